//! The `_socket` module that `socket.py` wraps: the socket type (`sock.rs`,
//! `io.rs`), addresses and name resolution (`addr.rs`), and the module
//! functions and constants (Linux values, from libc).

pub mod addr;
mod consts;
mod io;
mod netdb;
pub mod sock;

use crate::native::unpack;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::ffi::CStr;

/// setdefaulttimeout's value as f64 bits (negative: None); one per process, as in CPython.
static DEFAULT_TIMEOUT: AtomicU64 = AtomicU64::new(0xBFF0_0000_0000_0000); // -1.0

/// gaierror and herror of one interpreter (`vm.state`), by name.
#[derive(Default)]
struct SocketErrors {
    types: RefCell<Vec<(&'static str, PyRef)>>,
}

pub fn default_timeout() -> f64 {
    f64::from_bits(DEFAULT_TIMEOUT.load(Ordering::Relaxed))
}

fn error_type(vm: &Vm, name: &'static str) -> PyRef {
    let state = vm.state::<SocketErrors>();
    if let Some((_, t)) = state.types.borrow().iter().find(|(n, _)| *n == name) {
        return t.clone();
    }
    let ns = vm.new_dict();
    vm.dict_set_str(&ns, &vm.intern("__module__"), vm.new_str("socket"));
    let base = Value::Obj(vm.exc.os_error.clone());
    let args = [vm.new_str(name), vm.new_tuple(vec![base]), Value::Obj(ns)];
    let t = match vm.call(&Value::Obj(vm.types.type_.clone()), Args::new(&args)) {
        Ok(Value::Obj(t)) => t,
        _ => vm.exc.os_error.clone(),
    };
    let mut types = state.types.borrow_mut();
    // Another thread may have made it meanwhile: one class per interpreter.
    if let Some((_, t)) = types.iter().find(|(n, _)| *n == name) {
        return t.clone();
    }
    types.push((name, t.clone()));
    t
}

pub fn gaierror_type(vm: &Vm) -> PyRef {
    error_type(vm, "gaierror")
}

pub fn herror_type(vm: &Vm) -> PyRef {
    error_type(vm, "herror")
}

fn m_socketpair(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "socketpair", &args, 0, 3)?;
    let get = |i: usize, d: i32| -> PyResult<i32> {
        match a.get(i) {
            None | Some(Value::None) => Ok(d),
            Some(v) => sock::int_arg(vm, v),
        }
    };
    let (family, kind, proto) = (get(0, libc::AF_UNIX)?, get(1, libc::SOCK_STREAM)?, get(2, 0)?);
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: `fds` has room for the two descriptors.
    if unsafe { libc::socketpair(family, kind | libc::SOCK_CLOEXEC, proto, fds.as_mut_ptr()) } != 0 {
        return Err(sock::os_err(vm, crate::select::errno()));
    }
    let a = sock::new_socket(vm, fds[0], family, kind, proto);
    let b = sock::new_socket(vm, fds[1], family, kind, proto);
    Ok(vm.new_tuple(vec![a, b]))
}

fn m_getaddrinfo(vm: &Vm, args: Args) -> PyResult {
    let a = vm.bind_native("getaddrinfo", args, &["host", "port", "family", "type", "proto", "flags"], 0, 2, None)?;
    let host = match a[0].as_ref().unwrap() {
        Value::None => None,
        v => Some(addr::host_text(vm, v)?),
    };
    let port = match a[1].as_ref().unwrap() {
        Value::None => None,
        Value::Int(i) => Some(i.to_string()),
        v => match vm.as_str(v) {
            Some(s) => Some(s.to_string()),
            None => match v.payload().and_then(|p| p.as_bytes()) {
                Some(b) => Some(String::from_utf8_lossy(b).into_owned()),
                None => return Err(vm.new_os_error("Int or String expected")),
            },
        },
    };
    let int = |i: usize| -> PyResult<i32> {
        match &a[i] {
            None => Ok(0),
            Some(v) => sock::int_arg(vm, v),
        }
    };
    let list = addr::getaddrinfo(vm, host.as_deref(), port.as_deref(), int(2)?, int(3)?, int(4)?, int(5)?)?;
    let out = list
        .iter()
        .map(|(f, t, p, c, sa)| {
            vm.new_tuple(vec![
                Value::Int(*f as i64),
                Value::Int(*t as i64),
                Value::Int(*p as i64),
                vm.new_str(c.clone()),
                addr::std_to_value(vm, sa),
            ])
        })
        .collect();
    Ok(vm.new_list(out))
}

fn m_gethostname(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("gethostname", args, 0, 0)?;
    let mut buf = [0 as libc::c_char; 1024];
    // SAFETY: `buf` has room for `buf.len()` bytes; the last stays NUL.
    if unsafe { libc::gethostname(buf.as_mut_ptr(), buf.len() - 1) } != 0 {
        return Err(sock::os_err(vm, crate::select::errno()));
    }
    // SAFETY: NUL-terminated within `buf` (see above).
    Ok(vm.new_str(unsafe { CStr::from_ptr(buf.as_ptr()) }.to_string_lossy().into_owned()))
}

fn m_gethostbyname(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "gethostbyname", &args, 1, 1)?;
    let host = netdb::host_arg(vm, "gethostbyname", &a[0])?;
    let sa = addr::parse(vm, libc::AF_INET, &vm.new_tuple(vec![vm.new_str(host), Value::Int(0)]), "gethostbyname")?;
    match addr::make(vm, &sa).payload().and_then(|p| p.as_tuple()).and_then(|t| t.first().cloned()) {
        Some(v) => Ok(v),
        None => Err(vm.new_os_error("gethostbyname failed")),
    }
}

fn m_inet_aton(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "inet_aton", &args, 1, 1)?;
    let s = vm.as_str(&a[0]).ok_or_else(|| {
        vm.new_type_error(format!("inet_aton() argument 1 must be str, not {}", vm.type_name_of(&a[0])))
    })?;
    match parse_aton(s) {
        Some(a) => Ok(vm.new_bytes(a.to_be_bytes().to_vec())),
        None => Err(vm.new_os_error("illegal IP address string passed to inet_aton")),
    }
}

/// The classic inet_aton forms: a, a.b, a.b.c, a.b.c.d, each part decimal,
/// octal (leading 0) or hex (0x); the last part fills the remaining bytes.
fn parse_aton(s: &str) -> Option<u32> {
    let s = s.split(|c: char| c.is_ascii_whitespace()).next()?;
    let parts: Vec<&str> = s.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut nums = Vec::with_capacity(parts.len());
    for p in &parts {
        let (digits, radix) = if let Some(h) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
            (h, 16)
        } else if p.len() > 1 && p.starts_with('0') {
            (&p[1..], 8)
        } else {
            (*p, 10)
        };
        if digits.is_empty() && radix != 16 {
            return None;
        }
        let v = if digits.is_empty() { 0 } else { u64::from_str_radix(digits, radix).ok()? };
        nums.push(v);
    }
    let last = *nums.last()?;
    let head = &nums[..nums.len() - 1];
    if head.iter().any(|&n| n > 255) || last >> (8 * (4 - head.len())) != 0 {
        return None;
    }
    let mut r: u64 = 0;
    for (i, n) in head.iter().enumerate() {
        r |= n << (24 - 8 * i);
    }
    Some((r | last) as u32)
}

fn m_inet_ntoa(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "inet_ntoa", &args, 1, 1)?;
    let b = krait_vm::types::int::bytes_like(&a[0]).ok_or_else(|| {
        vm.new_type_error(format!("a bytes-like object is required, not '{}'", vm.type_name_of(&a[0])))
    })?;
    if b.len() != 4 {
        return Err(vm.new_os_error("packed IP wrong length for inet_ntoa"));
    }
    Ok(vm.new_str(std::net::Ipv4Addr::new(b[0], b[1], b[2], b[3]).to_string()))
}

fn m_inet_pton(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "inet_pton", &args, 2, 2)?;
    let af = sock::int_arg(vm, &a[0])?;
    let s = vm.as_str(&a[1]).ok_or_else(|| {
        vm.new_type_error(format!("inet_pton() argument 2 must be str, not {}", vm.type_name_of(&a[1])))
    })?;
    let bad = || vm.new_os_error("illegal IP address string passed to inet_pton");
    match af {
        libc::AF_INET => Ok(vm.new_bytes(s.parse::<std::net::Ipv4Addr>().map_err(|_| bad())?.octets().to_vec())),
        libc::AF_INET6 => Ok(vm.new_bytes(s.parse::<std::net::Ipv6Addr>().map_err(|_| bad())?.octets().to_vec())),
        _ => Err(sock::os_err(vm, libc::EAFNOSUPPORT)),
    }
}

fn m_inet_ntop(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "inet_ntop", &args, 2, 2)?;
    let af = sock::int_arg(vm, &a[0])?;
    let b = krait_vm::types::int::bytes_like(&a[1]).ok_or_else(|| {
        vm.new_type_error(format!("a bytes-like object is required, not '{}'", vm.type_name_of(&a[1])))
    })?;
    let bad = || vm.new_value_error("invalid length of packed IP address string");
    match af {
        libc::AF_INET => {
            let o: [u8; 4] = b.as_slice().try_into().map_err(|_| bad())?;
            Ok(vm.new_str(std::net::Ipv4Addr::from(o).to_string()))
        }
        libc::AF_INET6 => {
            let o: [u8; 16] = b.as_slice().try_into().map_err(|_| bad())?;
            Ok(vm.new_str(std::net::Ipv6Addr::from(o).to_string()))
        }
        _ => Err(vm.new_value_error(format!("unknown address family {af}"))),
    }
}

fn uint_arg(vm: &Vm, v: &Value, name: &str, bits: u32) -> PyResult<u64> {
    let i = vm.to_index_i64(v).map_err(|e| e)?;
    if i < 0 {
        return Err(vm.new_overflow_error(format!("{name}: can't convert negative Python int to C {bits}-bit unsigned integer")));
    }
    if (i as u64) >> bits != 0 {
        return Err(vm.new_overflow_error(format!("{name}: Python int too large to convert to C {bits}-bit unsigned integer")));
    }
    Ok(i as u64)
}

fn swap16(vm: &Vm, args: Args, name: &str) -> PyResult {
    let a = unpack(vm, name, &args, 1, 1)?;
    let x = uint_arg(vm, &a[0], name, 16)? as u16;
    Ok(Value::Int(x.to_be() as i64))
}

fn swap32(vm: &Vm, args: Args, name: &str) -> PyResult {
    let a = unpack(vm, name, &args, 1, 1)?;
    let x = uint_arg(vm, &a[0], name, 32)? as u32;
    Ok(Value::Int(x.to_be() as i64))
}

fn m_htons(vm: &Vm, args: Args) -> PyResult {
    swap16(vm, args, "htons")
}
fn m_ntohs(vm: &Vm, args: Args) -> PyResult {
    swap16(vm, args, "ntohs")
}
fn m_htonl(vm: &Vm, args: Args) -> PyResult {
    swap32(vm, args, "htonl")
}
fn m_ntohl(vm: &Vm, args: Args) -> PyResult {
    swap32(vm, args, "ntohl")
}

fn m_getdefaulttimeout(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("getdefaulttimeout", args, 0, 0)?;
    let t = default_timeout();
    Ok(if t < 0.0 { Value::None } else { Value::Float(t) })
}

fn m_setdefaulttimeout(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "setdefaulttimeout", &args, 1, 1)?;
    let t = sock::timeout_arg(vm, &a[0])?;
    DEFAULT_TIMEOUT.store(t.to_bits(), Ordering::Relaxed);
    Ok(Value::None)
}

fn m_close(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "close", &args, 1, 1)?;
    let fd = sock::int_arg(vm, &a[0])?;
    // SAFETY: closing an integer descriptor (it may linger: GIL released).
    let (r, e) = crate::select::blocking(vm, || unsafe { libc::close(fd) });
    // ECONNRESET is ignored as in CPython.
    if r != 0 && e != libc::ECONNRESET {
        return Err(sock::os_err(vm, e));
    }
    Ok(Value::None)
}

fn m_dup(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "dup", &args, 1, 1)?;
    let fd = sock::int_arg(vm, &a[0])?;
    // SAFETY: duplicating an integer descriptor.
    let n = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) };
    if n < 0 {
        return Err(sock::os_err(vm, crate::select::errno()));
    }
    Ok(Value::Int(n as i64))
}

static FUNCS: &[NativeDef] = &[
    NativeDef::function("socketpair", m_socketpair),
    NativeDef::function("getaddrinfo", m_getaddrinfo),
    NativeDef::function("gethostname", m_gethostname),
    NativeDef::function("gethostbyname", m_gethostbyname),
    NativeDef::function("gethostbyname_ex", netdb::m_gethostbyname_ex),
    NativeDef::function("gethostbyaddr", netdb::m_gethostbyaddr),
    NativeDef::function("getnameinfo", netdb::m_getnameinfo),
    NativeDef::function("getservbyname", netdb::m_getservbyname),
    NativeDef::function("getservbyport", netdb::m_getservbyport),
    NativeDef::function("getprotobyname", netdb::m_getprotobyname),
    NativeDef::function("inet_aton", m_inet_aton),
    NativeDef::function("inet_ntoa", m_inet_ntoa),
    NativeDef::function("inet_pton", m_inet_pton),
    NativeDef::function("inet_ntop", m_inet_ntop),
    NativeDef::function("htons", m_htons),
    NativeDef::function("ntohs", m_ntohs),
    NativeDef::function("htonl", m_htonl),
    NativeDef::function("ntohl", m_ntohl),
    NativeDef::function("getdefaulttimeout", m_getdefaulttimeout),
    NativeDef::function("setdefaulttimeout", m_setdefaulttimeout),
    NativeDef::function("close", m_close),
    NativeDef::function("dup", m_dup),
];

/// Creates the `_socket` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    crate::signal::ignore_startup_signals();
    let mut attrs: Vec<(&str, Value)> = consts::constants().into_iter().map(|(n, v)| (n, Value::Int(v))).collect();
    let t = sock::socket_type(vm);
    attrs.push(("socket", Value::Obj(t.clone())));
    attrs.push(("SocketType", Value::Obj(t)));
    attrs.push(("error", Value::Obj(vm.exc.os_error.clone())));
    attrs.push(("timeout", Value::Obj(vm.exc.timeout_error.clone())));
    attrs.push(("gaierror", Value::Obj(gaierror_type(vm))));
    attrs.push(("herror", Value::Obj(error_type(vm, "herror"))));
    attrs.push(("has_ipv6", Value::Bool(true)));
    Ok(crate::native::make_module(vm, "_socket", "", FUNCS, attrs))
}
