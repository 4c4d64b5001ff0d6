//! The network database look-ups of `_socket`: host entries by name and
//! by address (`gethostbyname_ex`, `gethostbyaddr`, through glibc's
//! reentrant calls), `getnameinfo`, and the services and protocols
//! databases. `socket.getfqdn()` is built on `gethostbyaddr`.

use super::addr::{code_error, gai_err, getaddrinfo, host_text, parse};
use crate::native::unpack;
use krait_vm::{Args, PyErr, PyResult, Value, Vm};
use std::ffi::{CStr, CString};

extern "C" {
    // glibc's reentrant host look-ups (not in the libc crate).
    fn gethostbyaddr_r(
        addr: *const libc::c_void,
        len: libc::socklen_t,
        family: libc::c_int,
        ret: *mut libc::hostent,
        buf: *mut libc::c_char,
        buflen: libc::size_t,
        result: *mut *mut libc::hostent,
        h_errnop: *mut libc::c_int,
    ) -> libc::c_int;
    fn gethostbyname_r(
        name: *const libc::c_char,
        ret: *mut libc::hostent,
        buf: *mut libc::c_char,
        buflen: libc::size_t,
        result: *mut *mut libc::hostent,
        h_errnop: *mut libc::c_int,
    ) -> libc::c_int;
    fn hstrerror(err: libc::c_int) -> *const libc::c_char;
}

/// `socket.herror(h_errno, message)`.
fn herr(vm: &Vm, code: i32) -> PyErr {
    // SAFETY: hstrerror returns a static NUL-terminated string.
    let msg = unsafe { CStr::from_ptr(hstrerror(code)) }.to_string_lossy().into_owned();
    code_error(vm, &super::herror_type(vm), code, msg)
}

/// The type as argument errors name it ("None" for None, as CPython's
/// getargs does).
fn arg_type(vm: &Vm, v: &Value) -> String {
    if v.is_none() {
        "None".to_string()
    } else {
        vm.type_name_of(v).to_string()
    }
}

/// A host name argument (str, bytes or bytearray) of `fname`.
pub fn host_arg(vm: &Vm, fname: &str, v: &Value) -> PyResult<String> {
    host_text(vm, v).map_err(|_| {
        vm.new_type_error(format!("{fname}() argument 1 must be str, bytes or bytearray, not {}", arg_type(vm, v)))
    })
}

fn c_string(vm: &Vm, s: &str) -> PyResult<CString> {
    CString::new(s).map_err(|_| vm.new_value_error("embedded null character"))
}

/// The strings of a NULL-terminated C array.
///
/// # Safety
/// `list` is null or a NULL-terminated array of NUL-terminated strings.
unsafe fn c_strings(list: *mut *mut libc::c_char) -> Vec<String> {
    let mut out = Vec::new();
    let mut p = list;
    // SAFETY: per the contract, each element up to the NULL is a string.
    unsafe {
        while !p.is_null() && !(*p).is_null() {
            out.push(CStr::from_ptr(*p).to_string_lossy().into_owned());
            p = p.add(1);
        }
    }
    out
}

/// `(name, aliases, addresses)` of a host entry (CPython's `gethost_common`).
///
/// # Safety
/// `h` points to a host entry filled by a successful look-up.
unsafe fn host_tuple(vm: &Vm, h: &libc::hostent) -> Value {
    // SAFETY: per the contract, the name and lists are valid.
    let (name, aliases) = unsafe { (CStr::from_ptr(h.h_name).to_string_lossy().into_owned(), c_strings(h.h_aliases)) };
    let mut addrs = Vec::new();
    let mut p = h.h_addr_list;
    // SAFETY: `h_addr_list` is NULL-terminated; each entry holds
    // `h_length` bytes of an address of family `h_addrtype`.
    unsafe {
        while !p.is_null() && !(*p).is_null() {
            let bytes = std::slice::from_raw_parts(*p as *const u8, h.h_length as usize);
            let text = match (h.h_addrtype, bytes.len()) {
                (libc::AF_INET, 4) => std::net::Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3]).to_string(),
                (libc::AF_INET6, 16) => {
                    let mut a = [0u8; 16];
                    a.copy_from_slice(bytes);
                    std::net::Ipv6Addr::from(a).to_string()
                }
                _ => String::new(),
            };
            addrs.push(vm.new_str(text));
            p = p.add(1);
        }
    }
    let aliases = aliases.into_iter().map(|a| vm.new_str(a)).collect();
    vm.new_tuple(vec![vm.new_str(name), vm.new_list(aliases), vm.new_list(addrs)])
}

/// Runs a reentrant host look-up with a growing scratch buffer; the
/// `(name, aliases, addresses)` tuple, or `herror`.
fn host_lookup(
    vm: &Vm,
    mut call: impl FnMut(*mut libc::hostent, *mut libc::c_char, usize, *mut *mut libc::hostent, *mut libc::c_int) -> libc::c_int,
) -> PyResult {
    let mut buf = vec![0 as libc::c_char; 16384];
    loop {
        // SAFETY: hostent is plain old data; all-zero is valid.
        let mut ent: libc::hostent = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::hostent = std::ptr::null_mut();
        let mut h_errno: libc::c_int = 0;
        let r = call(&mut ent, buf.as_mut_ptr(), buf.len(), &mut result, &mut h_errno);
        if r == libc::ERANGE && buf.len() < (1 << 22) {
            buf.resize(buf.len() * 2, 0);
            continue;
        }
        if result.is_null() {
            return Err(herr(vm, if h_errno == 0 { 1 } else { h_errno }));
        }
        // SAFETY: a successful look-up filled `ent`, pointing into `buf`.
        return Ok(unsafe { host_tuple(vm, &ent) });
    }
}

pub fn m_gethostbyname_ex(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "gethostbyname_ex", &args, 1, 1)?;
    let host = host_arg(vm, "gethostbyname_ex", &a[0])?;
    // The name must resolve first (a gaierror if not), as CPython's setipaddr.
    parse(vm, libc::AF_INET, &vm.new_tuple(vec![vm.new_str(host.clone()), Value::Int(0)]), "gethostbyname_ex")?;
    let name = c_string(vm, &host)?;
    host_lookup(vm, |ent, buf, len, result, h_errno| {
        // SAFETY: every pointer is valid for the call; `buf` holds `len` bytes.
        unsafe { gethostbyname_r(name.as_ptr(), ent, buf, len, result, h_errno) }
    })
}

pub fn m_gethostbyaddr(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "gethostbyaddr", &args, 1, 1)?;
    let host = host_arg(vm, "gethostbyaddr", &a[0])?;
    let ip = match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ip,
        Err(_) => match getaddrinfo(vm, Some(&host), None, libc::AF_UNSPEC, 0, 0, 0)?.into_iter().next() {
            Some((_, _, _, _, sa)) => sa.ip(),
            None => return Err(gai_err(vm, libc::EAI_NONAME)),
        },
    };
    let (bytes, family): (Vec<u8>, i32) = match ip {
        std::net::IpAddr::V4(v4) => (v4.octets().to_vec(), libc::AF_INET),
        std::net::IpAddr::V6(v6) => (v6.octets().to_vec(), libc::AF_INET6),
    };
    host_lookup(vm, |ent, buf, len, result, h_errno| {
        // SAFETY: `bytes` holds the address of `family`; the other pointers
        // are valid for the call; `buf` holds `len` bytes.
        unsafe {
            gethostbyaddr_r(bytes.as_ptr().cast(), bytes.len() as libc::socklen_t, family, ent, buf, len, result, h_errno)
        }
    })
}

pub fn m_getnameinfo(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "getnameinfo", &args, 2, 2)?;
    let Some(items) = a[0].payload().and_then(|p| p.as_tuple()).map(|t| t.to_vec()) else {
        return Err(vm.new_type_error(format!("getnameinfo() argument 1 must be a tuple")));
    };
    let flags = super::sock::int_arg(vm, &a[1])?;
    let illegal = || vm.new_type_error("getnameinfo(): illegal sockaddr argument");
    if !(2..=4).contains(&items.len()) {
        return Err(illegal());
    }
    let host = vm.as_str(&items[0]).ok_or_else(illegal)?.to_string();
    if !krait_vm::types::int::is_int(&items[1]) {
        return Err(illegal());
    }
    let port = super::sock::int_arg(vm, &items[1])?;
    let flowinfo = match items.get(2) {
        Some(v) => vm.to_index_i64(v)?,
        None => 0,
    };
    if !(0..=0xfffff).contains(&flowinfo) {
        return Err(vm.new_overflow_error("getnameinfo(): flowinfo must be 0-1048575."));
    }
    let found = getaddrinfo(vm, Some(&host), Some(&port.to_string()), libc::AF_UNSPEC, libc::SOCK_DGRAM, 0, libc::AI_NUMERICHOST)?;
    if found.len() > 1 {
        return Err(vm.new_os_error("sockaddr resolved to multiple addresses"));
    }
    let Some((family, _, _, _, resolved)) = found.into_iter().next() else {
        return Err(gai_err(vm, libc::EAI_NONAME));
    };
    let ip = vm.new_str(resolved.ip().to_string());
    let tuple = match family {
        libc::AF_INET if items.len() != 2 => return Err(vm.new_os_error("IPv4 sockaddr must be 2 tuple")),
        libc::AF_INET => vm.new_tuple(vec![ip, Value::Int(port as i64)]),
        _ => {
            let scope = items.get(3).cloned().unwrap_or(Value::Int(0));
            vm.new_tuple(vec![ip, Value::Int(port as i64), Value::Int(flowinfo), scope])
        }
    };
    let sa = parse(vm, family, &tuple, "getnameinfo")?;
    let mut hbuf = [0 as libc::c_char; 1025];
    let mut sbuf = [0 as libc::c_char; 32];
    // SAFETY: `sa` holds `sa.len` bytes of a socket address; the buffers'
    // lengths are passed with them.
    let r = unsafe {
        libc::getnameinfo(sa.ptr(), sa.len, hbuf.as_mut_ptr(), hbuf.len() as u32, sbuf.as_mut_ptr(), sbuf.len() as u32, flags)
    };
    if r != 0 {
        return Err(gai_err(vm, r));
    }
    // SAFETY: getnameinfo NUL-terminates both buffers on success.
    let (h, s) = unsafe { (CStr::from_ptr(hbuf.as_ptr()), CStr::from_ptr(sbuf.as_ptr())) };
    Ok(vm.new_tuple(vec![vm.new_str(h.to_string_lossy()), vm.new_str(s.to_string_lossy())]))
}

/// The protocol name argument of the services look-ups (None: any).
fn proto_arg(vm: &Vm, fname: &str, v: Option<&Value>) -> PyResult<Option<CString>> {
    match v {
        None => Ok(None),
        Some(p) => match vm.as_str(p) {
            Some(s) => Ok(Some(c_string(vm, s)?)),
            None => Err(vm.new_type_error(format!("{fname}() argument 2 must be str, not {}", arg_type(vm, p)))),
        },
    }
}

pub fn m_getservbyname(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "getservbyname", &args, 1, 2)?;
    let Some(name) = vm.as_str(&a[0]) else {
        return Err(vm.new_type_error(format!("getservbyname() argument 1 must be str, not {}", arg_type(vm, &a[0]))));
    };
    let name = c_string(vm, name)?;
    let proto = proto_arg(vm, "getservbyname", a.get(1))?;
    // SAFETY: NUL-terminated strings; the entry is read before the next
    // look-up (the GIL serialises them).
    let ent = unsafe { libc::getservbyname(name.as_ptr(), proto.as_ref().map_or(std::ptr::null(), |p| p.as_ptr())) };
    if ent.is_null() {
        return Err(vm.new_os_error("service/proto not found"));
    }
    // SAFETY: a non-null result points to a valid servent.
    let port = unsafe { (*ent).s_port };
    Ok(Value::Int(u16::from_be(port as u16) as i64))
}

pub fn m_getservbyport(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "getservbyport", &args, 1, 2)?;
    let port = super::sock::int_arg(vm, &a[0])?;
    if !(0..=0xffff).contains(&port) {
        return Err(vm.new_overflow_error("getservbyport: port must be 0-65535."));
    }
    let proto = proto_arg(vm, "getservbyport", a.get(1))?;
    // SAFETY: as in `m_getservbyname`.
    let ent = unsafe { libc::getservbyport((port as u16).to_be() as i32, proto.as_ref().map_or(std::ptr::null(), |p| p.as_ptr())) };
    if ent.is_null() {
        return Err(vm.new_os_error("port/proto not found"));
    }
    // SAFETY: a non-null result points to a valid servent.
    let name = unsafe { CStr::from_ptr((*ent).s_name) }.to_string_lossy().into_owned();
    Ok(vm.new_str(name))
}

pub fn m_getprotobyname(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "getprotobyname", &args, 1, 1)?;
    let Some(name) = vm.as_str(&a[0]) else {
        return Err(vm.new_type_error(format!("getprotobyname() argument 1 must be str, not {}", arg_type(vm, &a[0]))));
    };
    let name = c_string(vm, name)?;
    // SAFETY: a NUL-terminated string; the entry is read at once.
    let ent = unsafe { libc::getprotobyname(name.as_ptr()) };
    if ent.is_null() {
        return Err(vm.new_os_error("protocol not found"));
    }
    // SAFETY: a non-null result points to a valid protoent.
    Ok(Value::Int(unsafe { (*ent).p_proto } as i64))
}
