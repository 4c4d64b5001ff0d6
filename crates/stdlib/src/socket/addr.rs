//! Socket addresses: Python tuples/strings to `sockaddr` and back, name
//! resolution through libc's getaddrinfo, and the inet_* conversions.

use krait_vm::{PyErr, PyResult, Value, Vm};
use std::ffi::{CStr, CString};
use std::net::{Ipv4Addr, Ipv6Addr};

/// A C socket address and its length.
pub struct SockAddr {
    pub storage: libc::sockaddr_storage,
    pub len: libc::socklen_t,
}

impl SockAddr {
    pub fn empty() -> SockAddr {
        // SAFETY: sockaddr_storage is plain data; all-zero is a valid value.
        SockAddr { storage: unsafe { std::mem::zeroed() }, len: std::mem::size_of::<libc::sockaddr_storage>() as u32 }
    }
    pub fn ptr(&self) -> *const libc::sockaddr {
        (&self.storage as *const libc::sockaddr_storage).cast()
    }
    pub fn mut_ptr(&mut self) -> *mut libc::sockaddr {
        (&mut self.storage as *mut libc::sockaddr_storage).cast()
    }
}

/// `socket.gaierror` for a getaddrinfo error code (EAI_*).
pub fn gai_err(vm: &Vm, code: i32) -> PyErr {
    if code == libc::EAI_SYSTEM {
        return crate::posix::path::errno_err(vm, None);
    }
    // SAFETY: gai_strerror returns a static NUL-terminated string.
    let msg = unsafe { CStr::from_ptr(libc::gai_strerror(code)) }.to_string_lossy().into_owned();
    code_error(vm, &super::gaierror_type(vm), code, msg)
}

/// `cls(code, message)`, an OSError subclass with errno and strerror set
/// (gaierror, herror).
pub fn code_error(vm: &Vm, cls: &krait_vm::PyRef, code: i32, msg: String) -> PyErr {
    let args = vec![Value::Int(code as i64), vm.new_str(msg)];
    let e = vm.new_exception(cls, args.clone());
    let _ = krait_vm::types::exception_methods::init_exception_fields(vm, &e, &args);
    e.into()
}

/// A host argument as text: str (IDNA is not attempted), bytes or bytearray.
pub fn host_text(vm: &Vm, v: &Value) -> PyResult<String> {
    if let Some(s) = vm.as_str(v) {
        return Ok(s.to_string());
    }
    if let Some(b) = v.payload().and_then(|p| p.as_bytes()) {
        return Ok(String::from_utf8_lossy(b).into_owned());
    }
    if let Some(krait_vm::payload::Payload::ByteArray(b)) = v.payload().map(|p| p.base()) {
        return Ok(String::from_utf8_lossy(&b.borrow()).into_owned());
    }
    Err(vm.new_type_error(format!("str, bytes or bytearray expected, not {}", vm.type_name_of(v))))
}

/// Resolves a host name for `family` as CPython's `setipaddr` does.
fn resolve(vm: &Vm, host: &str, family: i32) -> PyResult<std::net::IpAddr> {
    if family == libc::AF_INET {
        if host.is_empty() {
            return Ok(Ipv4Addr::UNSPECIFIED.into());
        }
        if host == "<broadcast>" || host == "255.255.255.255" {
            return Ok(Ipv4Addr::BROADCAST.into());
        }
        if let Ok(a) = host.parse::<Ipv4Addr>() {
            return Ok(a.into());
        }
    } else if let Ok(a) = host.parse::<Ipv6Addr>() {
        return Ok(a.into());
    } else if host.is_empty() {
        return Ok(Ipv6Addr::UNSPECIFIED.into());
    }
    let list = getaddrinfo(vm, Some(host), None, family, 0, 0, 0)?;
    match list.into_iter().next() {
        Some((_, _, _, _, a)) => Ok(a.ip()),
        None => Err(gai_err(vm, libc::EAI_NONAME)),
    }
}

fn port_of(vm: &Vm, v: &Value, caller: &str) -> PyResult<u16> {
    let p = vm.to_index_i64(v)?;
    u16::try_from(p).map_err(|_| vm.new_overflow_error(format!("{caller}(): port must be 0-65535.")))
}

/// Converts a Python address for a socket of `family`.
pub fn parse(vm: &Vm, family: i32, v: &Value, caller: &str) -> PyResult<SockAddr> {
    let mut sa = SockAddr::empty();
    match family {
        libc::AF_UNIX => {
            let path: Vec<u8> = if let Some(s) = vm.as_str(v) {
                s.as_bytes().to_vec()
            } else if let Some(b) = krait_vm::types::int::bytes_like(v) {
                b
            } else {
                return Err(vm.new_type_error(format!("a bytes-like object is required, not '{}'", vm.type_name_of(v))));
            };
            // SAFETY: sockaddr_storage is large enough and aligned for sockaddr_un.
            let un = unsafe { &mut *(sa.mut_ptr() as *mut libc::sockaddr_un) };
            if path.len() >= un.sun_path.len() {
                return Err(vm.new_os_error("AF_UNIX path too long"));
            }
            un.sun_family = libc::AF_UNIX as libc::sa_family_t;
            for (d, s) in un.sun_path.iter_mut().zip(&path) {
                *d = *s as libc::c_char;
            }
            let base = std::mem::size_of::<libc::sa_family_t>();
            // Abstract names (leading NUL) have no terminator.
            sa.len = (base + path.len() + usize::from(path.first() != Some(&0))) as u32;
        }
        libc::AF_INET | libc::AF_INET6 => {
            let Some(t) = v.payload().and_then(|p| p.as_tuple()).map(|t| t.to_vec()) else {
                let fam = if family == libc::AF_INET { "AF_INET" } else { "AF_INET6" };
                return Err(vm.new_type_error(format!("{caller}(): {fam} address must be tuple, not {}", vm.type_name_of(v))));
            };
            if family == libc::AF_INET {
                if t.len() != 2 {
                    return Err(vm.new_type_error("AF_INET address must be a pair (host, port)"));
                }
                let host = host_text(vm, &t[0])?;
                let port = port_of(vm, &t[1], caller)?;
                let std::net::IpAddr::V4(ip) = resolve(vm, &host, family)? else {
                    return Err(gai_err(vm, libc::EAI_FAMILY));
                };
                // SAFETY: sockaddr_storage is large enough and aligned for sockaddr_in.
                let sin = unsafe { &mut *(sa.mut_ptr() as *mut libc::sockaddr_in) };
                sin.sin_family = libc::AF_INET as libc::sa_family_t;
                sin.sin_port = port.to_be();
                sin.sin_addr.s_addr = u32::from_ne_bytes(ip.octets());
                sa.len = std::mem::size_of::<libc::sockaddr_in>() as u32;
            } else {
                if !(2..=4).contains(&t.len()) {
                    return Err(vm.new_type_error(format!(
                        "AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])"
                    )));
                }
                let host = host_text(vm, &t[0])?;
                let port = port_of(vm, &t[1], caller)?;
                let flow = match t.get(2) {
                    Some(f) => u32::try_from(vm.to_index_i64(f)?)
                        .map_err(|_| vm.new_overflow_error(format!("{caller}(): flowinfo must be 0-1048575.")))?,
                    None => 0,
                };
                let scope = match t.get(3) {
                    Some(s) => vm.to_index_i64(s)? as u32,
                    None => 0,
                };
                let ip = match resolve(vm, &host, family)? {
                    std::net::IpAddr::V6(ip) => ip,
                    std::net::IpAddr::V4(ip) => ip.to_ipv6_mapped(),
                };
                // SAFETY: sockaddr_storage is large enough and aligned for sockaddr_in6.
                let sin6 = unsafe { &mut *(sa.mut_ptr() as *mut libc::sockaddr_in6) };
                sin6.sin6_family = libc::AF_INET6 as libc::sa_family_t;
                sin6.sin6_port = port.to_be();
                sin6.sin6_flowinfo = flow.to_be();
                sin6.sin6_scope_id = scope;
                sin6.sin6_addr.s6_addr = ip.octets();
                sa.len = std::mem::size_of::<libc::sockaddr_in6>() as u32;
            }
        }
        _ => return Err(vm.new_os_error(format!("{caller}(): bad family"))),
    }
    Ok(sa)
}

/// A Rust view of an IP socket address.
fn to_std(sa: &SockAddr) -> Option<std::net::SocketAddr> {
    match sa.storage.ss_family as i32 {
        libc::AF_INET => {
            // SAFETY: the family says this storage holds a sockaddr_in.
            let sin = unsafe { &*(sa.ptr() as *const libc::sockaddr_in) };
            let ip = Ipv4Addr::from(sin.sin_addr.s_addr.to_ne_bytes());
            Some(std::net::SocketAddr::new(ip.into(), u16::from_be(sin.sin_port)))
        }
        libc::AF_INET6 => {
            // SAFETY: the family says this storage holds a sockaddr_in6.
            let sin6 = unsafe { &*(sa.ptr() as *const libc::sockaddr_in6) };
            let ip = Ipv6Addr::from(sin6.sin6_addr.s6_addr);
            Some(std::net::SocketAddr::V6(std::net::SocketAddrV6::new(
                ip,
                u16::from_be(sin6.sin6_port),
                u32::from_be(sin6.sin6_flowinfo),
                sin6.sin6_scope_id,
            )))
        }
        _ => None,
    }
}

/// CPython's `makesockaddr`: the Python form of a C address.
pub fn make(vm: &Vm, sa: &SockAddr) -> Value {
    match sa.storage.ss_family as i32 {
        libc::AF_UNIX => {
            // SAFETY: the family says this storage holds a sockaddr_un.
            let un = unsafe { &*(sa.ptr() as *const libc::sockaddr_un) };
            let base = std::mem::size_of::<libc::sa_family_t>();
            let n = (sa.len as usize).saturating_sub(base).min(un.sun_path.len());
            let raw: Vec<u8> = un.sun_path[..n].iter().map(|&c| c as u8).collect();
            if raw.first() == Some(&0) {
                return vm.new_bytes(raw);
            }
            let end = raw.iter().position(|&c| c == 0).unwrap_or(raw.len());
            vm.new_str(String::from_utf8_lossy(&raw[..end]).into_owned())
        }
        libc::AF_INET | libc::AF_INET6 => match to_std(sa) {
            Some(std::net::SocketAddr::V4(a)) => {
                vm.new_tuple(vec![vm.new_str(a.ip().to_string()), Value::Int(a.port() as i64)])
            }
            Some(std::net::SocketAddr::V6(a)) => vm.new_tuple(vec![
                vm.new_str(a.ip().to_string()),
                Value::Int(a.port() as i64),
                Value::Int(a.flowinfo() as i64),
                Value::Int(a.scope_id() as i64),
            ]),
            None => Value::None,
        },
        0 => Value::None,
        f => vm.new_tuple(vec![Value::Int(f as i64), vm.new_bytes(Vec::new())]),
    }
}

/// One getaddrinfo result: family, type, proto, canonname, address.
pub type AddrInfo = (i32, i32, i32, String, std::net::SocketAddr);

/// libc getaddrinfo; results other than IPv4/IPv6 are skipped.
pub fn getaddrinfo(
    vm: &Vm,
    host: Option<&str>,
    port: Option<&str>,
    family: i32,
    socktype: i32,
    proto: i32,
    flags: i32,
) -> PyResult<Vec<AddrInfo>> {
    let h = host.map(|h| CString::new(h).map_err(|_| vm.new_value_error("embedded null character")));
    let h = h.transpose()?;
    let p = port.map(|p| CString::new(p).map_err(|_| vm.new_value_error("embedded null character")));
    let p = p.transpose()?;
    // The look-up may take long (DNS): done with the GIL released, on owned data only.
    let found = vm.allow_threads(|| {
        // SAFETY: a zeroed addrinfo is a valid hints value.
        let mut hints: libc::addrinfo = unsafe { std::mem::zeroed() };
        hints.ai_family = family;
        hints.ai_socktype = socktype;
        hints.ai_protocol = proto;
        hints.ai_flags = flags;
        let mut res: *mut libc::addrinfo = std::ptr::null_mut();
        // SAFETY: the strings and hints are live locals; `res` receives a list freed below.
        let code = unsafe {
            libc::getaddrinfo(
                h.as_ref().map_or(std::ptr::null(), |c| c.as_ptr()),
                p.as_ref().map_or(std::ptr::null(), |c| c.as_ptr()),
                &hints,
                &mut res,
            )
        };
        if code != 0 {
            // errno too: EAI_SYSTEM reports it, and taking the GIL back may change it.
            return Err((code, crate::select::errno()));
        }
        let mut out = Vec::new();
        let mut cur = res;
        while !cur.is_null() {
            // SAFETY: `cur` walks the list getaddrinfo returned, still allocated.
            let ai = unsafe { &*cur };
            let mut sa = SockAddr::empty();
            let n = (ai.ai_addrlen as usize).min(std::mem::size_of::<libc::sockaddr_storage>());
            // SAFETY: copies `n` bytes of the result's address into our storage.
            unsafe { std::ptr::copy_nonoverlapping(ai.ai_addr as *const u8, sa.mut_ptr() as *mut u8, n) };
            sa.len = n as u32;
            let canon = if ai.ai_canonname.is_null() {
                String::new()
            } else {
                // SAFETY: a non-null canonname is a NUL-terminated string.
                unsafe { CStr::from_ptr(ai.ai_canonname) }.to_string_lossy().into_owned()
            };
            if let Some(a) = to_std(&sa) {
                out.push((ai.ai_family, ai.ai_socktype, ai.ai_protocol, canon, a));
            }
            cur = ai.ai_next;
        }
        // SAFETY: frees the list getaddrinfo allocated, once.
        unsafe { libc::freeaddrinfo(res) };
        Ok(out)
    });
    match found {
        Ok(out) => Ok(out),
        Err((libc::EAI_SYSTEM, e)) => Err(crate::posix::path::raw_err(vm, e, None)),
        Err((code, _)) => Err(gai_err(vm, code)),
    }
}

/// The Python tuple of a std address, as `make` would give.
pub fn std_to_value(vm: &Vm, a: &std::net::SocketAddr) -> Value {
    match a {
        std::net::SocketAddr::V4(a) => vm.new_tuple(vec![vm.new_str(a.ip().to_string()), Value::Int(a.port() as i64)]),
        std::net::SocketAddr::V6(a) => vm.new_tuple(vec![
            vm.new_str(a.ip().to_string()),
            Value::Int(a.port() as i64),
            Value::Int(a.flowinfo() as i64),
            Value::Int(a.scope_id() as i64),
        ]),
    }
}
