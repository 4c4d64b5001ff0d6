//! The `_socket.socket` type. As in CPython, a socket with a timeout (or
//! non-blocking) has an O_NONBLOCK descriptor; a call that would block waits
//! with poll(2) for the time left and raises TimeoutError("timed out").

use super::addr::{self, SockAddr};
use crate::native::{descr_error, native_type, new_object, split_new, TypeSpec};
use crate::select::{blocking, errno};
use krait_vm::payload::GetSetDef;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::Cell;
use std::time::Instant;

pub struct Sock {
    pub fd: Cell<i32>,
    pub family: Cell<i32>,
    pub kind: Cell<i32>,
    pub proto: Cell<i32>,
    /// Seconds; negative means None (blocking).
    pub timeout: Cell<f64>,
}

/// Holds no Python references.
impl krait_vm::gc::NativeData for Sock {}

impl Drop for Sock {
    fn drop(&mut self) {
        let fd = self.fd.get();
        if fd >= 0 {
            // SAFETY: closing the descriptor this socket still owns.
            unsafe { libc::close(fd) };
        }
    }
}

pub fn socket_type(vm: &Vm) -> PyRef {
    native_type(vm, &SOCKET)
}

pub(super) fn sock_of<'a>(vm: &Vm, args: &Args<'a>, name: &str) -> PyResult<&'a Sock> {
    let v = args.args.first().ok_or_else(|| vm.new_type_error(format!("descriptor '{name}' needs an argument")))?;
    v.payload().and_then(|p| p.as_native::<Sock>()).ok_or_else(|| descr_error(vm, name, "_socket.socket", v))
}

pub(super) fn rest<'a>(args: &Args<'a>) -> Args<'a> {
    Args { args: &args.args[1..], kwnames: args.kwnames }
}

pub(super) fn int_arg(vm: &Vm, v: &Value) -> PyResult<i32> {
    crate::posix::fd::fd_arg(vm, v)
}

pub(super) fn os_err(vm: &Vm, e: i32) -> krait_vm::PyErr {
    crate::posix::path::raw_err(vm, e, None)
}

fn timed_out(vm: &Vm) -> krait_vm::PyErr {
    vm.new_exception_msg(&vm.exc.timeout_error, "timed out").into()
}

/// Sets or clears O_NONBLOCK.
pub fn set_nonblock(fd: i32, on: bool) -> i32 {
    // SAFETY: fcntl on an integer descriptor; no pointers.
    unsafe {
        let fl = libc::fcntl(fd, libc::F_GETFL);
        if fl < 0 {
            return -1;
        }
        let nf = if on { fl | libc::O_NONBLOCK } else { fl & !libc::O_NONBLOCK };
        if nf != fl {
            return libc::fcntl(fd, libc::F_SETFL, nf);
        }
        0
    }
}

/// Waits until `fd` is readable/writable; false when the deadline passed.
fn wait_fd(vm: &Vm, fd: i32, write: bool, deadline: Option<Instant>) -> PyResult<bool> {
    let events = if write { libc::POLLOUT } else { libc::POLLIN };
    loop {
        let mut p = libc::pollfd { fd, events, revents: 0 };
        let ms = crate::select::ms_left(deadline);
        // SAFETY: one live pollfd.
        let (n, e) = blocking(vm, || unsafe { libc::poll(&mut p, 1, ms) });
        if n < 0 {
            if e == libc::EINTR {
                crate::signal::check_signals(vm)?;
                continue;
            }
            return Err(os_err(vm, e));
        }
        return Ok(n > 0);
    }
}

/// CPython's `sock_call`: runs `f` (a libc call returning -1 on error) with
/// the GIL released, retrying on EINTR and waiting when the socket has a
/// timeout.
pub fn sock_call(vm: &Vm, s: &Sock, write: bool, mut f: impl FnMut(i32) -> isize + Send) -> PyResult<isize> {
    let t = s.timeout.get();
    let deadline = if t > 0.0 { crate::select::deadline_after(Some(t)) } else { None };
    loop {
        let fd = s.fd.get();
        let (r, e) = blocking(vm, || f(fd));
        if r >= 0 {
            return Ok(r);
        }
        if e == libc::EINTR {
            crate::signal::check_signals(vm)?;
            continue;
        }
        if t > 0.0 && (e == libc::EWOULDBLOCK || e == libc::EAGAIN) {
            if !wait_fd(vm, fd, write, deadline)? {
                return Err(timed_out(vm));
            }
            continue;
        }
        return Err(os_err(vm, e));
    }
}

fn sock_new(vm: &Vm, args: Args) -> PyResult {
    let t = socket_type(vm);
    let (cls, _) = split_new(vm, args, &t)?;
    let st = Sock {
        fd: Cell::new(-1),
        family: Cell::new(libc::AF_INET),
        kind: Cell::new(libc::SOCK_STREAM),
        proto: Cell::new(0),
        timeout: Cell::new(-1.0),
    };
    Ok(new_object(vm, &cls, &t, st))
}

fn getsockopt_int(fd: i32, level: i32, opt: i32) -> Option<i32> {
    let mut v: libc::c_int = 0;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: `v` and `len` are live locals of the sizes given.
    let r = unsafe { libc::getsockopt(fd, level, opt, (&mut v as *mut libc::c_int).cast(), &mut len) };
    (r == 0).then_some(v)
}

/// Records the new descriptor's parameters and applies the timeout.
pub fn init_state(s: &Sock, fd: i32, family: i32, kind: i32, proto: i32) {
    s.fd.set(fd);
    s.family.set(family);
    s.kind.set(kind & !(libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC));
    s.proto.set(proto);
    let t = if kind & libc::SOCK_NONBLOCK != 0 { 0.0 } else { super::default_timeout() };
    s.timeout.set(t);
    if t >= 0.0 {
        set_nonblock(fd, true);
    }
}

fn sock_init(vm: &Vm, args: Args) -> PyResult {
    let s = sock_of(vm, &args, "__init__")?;
    let a = vm.bind_native("socket", rest(&args), &["family", "type", "proto", "fileno"], 0, 0, None)?;
    let get = |i: usize| -> PyResult<i32> {
        match &a[i] {
            None | Some(Value::None) => Ok(-1),
            Some(v) => int_arg(vm, v),
        }
    };
    let (mut family, mut kind, mut proto) = (get(0)?, get(1)?, get(2)?);
    match &a[3] {
        Some(f) if !matches!(f, Value::None) => {
            let fd = int_arg(vm, f)?;
            if fd < 0 {
                return Err(vm.new_value_error("negative file descriptor"));
            }
            // The descriptor's own parameters fill in what was not given.
            let ask = |opt, have: i32| if have == -1 { getsockopt_int(fd, libc::SOL_SOCKET, opt) } else { Some(have) };
            family = match ask(libc::SO_DOMAIN, family) {
                Some(v) => v,
                None => return Err(os_err(vm, errno())),
            };
            kind = ask(libc::SO_TYPE, kind).unwrap_or(libc::SOCK_STREAM);
            proto = ask(libc::SO_PROTOCOL, proto).unwrap_or(0);
            init_state(s, fd, family, kind, proto);
        }
        _ => {
            if family == -1 {
                family = libc::AF_INET;
            }
            if kind == -1 {
                kind = libc::SOCK_STREAM;
            }
            if proto == -1 {
                proto = 0;
            }
            // SAFETY: socket(2) with integer arguments.
            let fd = unsafe { libc::socket(family, kind | libc::SOCK_CLOEXEC, proto) };
            if fd < 0 {
                return Err(os_err(vm, errno()));
            }
            init_state(s, fd, family, kind, proto);
        }
    }
    Ok(Value::None)
}

/// `socket(...)` objects made natively (accept, socketpair, dup).
pub fn new_socket(vm: &Vm, fd: i32, family: i32, kind: i32, proto: i32) -> Value {
    let t = socket_type(vm);
    let st = Sock {
        fd: Cell::new(-1),
        family: Cell::new(family),
        kind: Cell::new(kind),
        proto: Cell::new(proto),
        timeout: Cell::new(-1.0),
    };
    init_state(&st, fd, family, kind, proto);
    new_object(vm, &t, &t, st)
}

fn sock_repr(vm: &Vm, args: Args) -> PyResult {
    let s = sock_of(vm, &args, "__repr__")?;
    Ok(vm.new_str(format!(
        "<socket object, fd={}, family={}, type={}, proto={}>",
        s.fd.get(),
        s.family.get(),
        s.kind.get(),
        s.proto.get()
    )))
}

fn sock_fileno(vm: &Vm, args: Args) -> PyResult {
    let s = sock_of(vm, &args, "fileno")?;
    Ok(Value::Int(s.fd.get() as i64))
}

fn sock_close(vm: &Vm, args: Args) -> PyResult {
    let s = sock_of(vm, &args, "close")?;
    let fd = s.fd.replace(-1);
    if fd >= 0 {
        // SAFETY: closing the descriptor this socket owned (it may linger: GIL released).
        let (r, e) = blocking(vm, || unsafe { libc::close(fd) });
        if r != 0 {
            // ECONNRESET on close is ignored, as in CPython.
            if e != libc::ECONNRESET {
                return Err(os_err(vm, e));
            }
        }
    }
    Ok(Value::None)
}

fn sock_detach(vm: &Vm, args: Args) -> PyResult {
    let s = sock_of(vm, &args, "detach")?;
    Ok(Value::Int(s.fd.replace(-1) as i64))
}

/// A timeout argument: None -> -1, else non-negative seconds.
pub fn timeout_arg(vm: &Vm, v: &Value) -> PyResult<f64> {
    let t = match v {
        Value::None => return Ok(-1.0),
        Value::Float(f) => *f,
        _ => match krait_vm::types::float::float_of(v) {
            Some(f) => f,
            None => vm.to_index_i64(v)? as f64,
        },
    };
    if t.is_nan() {
        return Err(vm.new_value_error("Invalid value NaN (not a number)"));
    }
    if t < 0.0 {
        return Err(vm.new_value_error("Timeout value out of range"));
    }
    Ok(t)
}

fn apply_timeout(vm: &Vm, s: &Sock, t: f64) -> PyResult {
    s.timeout.set(t);
    let fd = s.fd.get();
    if fd >= 0 && set_nonblock(fd, t >= 0.0) < 0 {
        return Err(os_err(vm, errno()));
    }
    Ok(Value::None)
}

fn sock_settimeout(vm: &Vm, args: Args) -> PyResult {
    let s = sock_of(vm, &args, "settimeout")?;
    let a = crate::native::unpack(vm, "settimeout", &rest(&args), 1, 1)?;
    let t = timeout_arg(vm, &a[0])?;
    apply_timeout(vm, s, t)
}

fn sock_gettimeout(vm: &Vm, args: Args) -> PyResult {
    let s = sock_of(vm, &args, "gettimeout")?;
    let t = s.timeout.get();
    Ok(if t < 0.0 { Value::None } else { Value::Float(t) })
}

fn sock_setblocking(vm: &Vm, args: Args) -> PyResult {
    let s = sock_of(vm, &args, "setblocking")?;
    let a = crate::native::unpack(vm, "setblocking", &rest(&args), 1, 1)?;
    let block = vm.truthy(&a[0])?;
    apply_timeout(vm, s, if block { -1.0 } else { 0.0 })
}

fn sock_getblocking(vm: &Vm, args: Args) -> PyResult {
    let s = sock_of(vm, &args, "getblocking")?;
    Ok(Value::Bool(s.timeout.get() != 0.0))
}

fn sock_bind(vm: &Vm, args: Args) -> PyResult {
    let s = sock_of(vm, &args, "bind")?;
    let a = crate::native::unpack(vm, "bind", &rest(&args), 1, 1)?;
    let sa = addr::parse(vm, s.family.get(), &a[0], "bind")?;
    // SAFETY: `sa` holds a valid address of `sa.len` bytes.
    if unsafe { libc::bind(s.fd.get(), sa.ptr(), sa.len) } != 0 {
        return Err(os_err(vm, errno()));
    }
    Ok(Value::None)
}

fn sock_listen(vm: &Vm, args: Args) -> PyResult {
    let s = sock_of(vm, &args, "listen")?;
    let a = crate::native::unpack(vm, "listen", &rest(&args), 0, 1)?;
    let backlog = match a.first() {
        Some(v) => int_arg(vm, v)?.max(0),
        None => 128,
    };
    // SAFETY: listen(2) with integers.
    if unsafe { libc::listen(s.fd.get(), backlog) } != 0 {
        return Err(os_err(vm, errno()));
    }
    Ok(Value::None)
}

fn sock_accept(vm: &Vm, args: Args) -> PyResult {
    let s = sock_of(vm, &args, "_accept")?;
    let mut sa = SockAddr::empty();
    let fd = sock_call(vm, s, false, |fd| {
        sa.len = std::mem::size_of::<libc::sockaddr_storage>() as u32;
        // SAFETY: `sa` has room for `sa.len` bytes and receives the peer address.
        unsafe { libc::accept4(fd, sa.mut_ptr(), &mut sa.len, libc::SOCK_CLOEXEC) as isize }
    })?;
    Ok(vm.new_tuple(vec![Value::Int(fd as i64), addr::make(vm, &sa)]))
}

/// connect(); returns the errno instead of raising when `ex` (connect_ex).
fn do_connect(vm: &Vm, s: &Sock, target: &Value, ex: bool, caller: &str) -> PyResult<i32> {
    let sa = addr::parse(vm, s.family.get(), target, caller)?;
    let fd = s.fd.get();
    // SAFETY: `sa` holds a valid address of `sa.len` bytes.
    let (mut r, mut e) = blocking(vm, || unsafe { libc::connect(fd, sa.ptr(), sa.len) });
    let t = s.timeout.get();
    if r != 0 && (e == libc::EINTR || (e == libc::EINPROGRESS && t > 0.0)) {
        if e == libc::EINTR {
            crate::signal::check_signals(vm)?;
        }
        if t == 0.0 {
            e = libc::EWOULDBLOCK;
        } else {
            let deadline = if t > 0.0 { crate::select::deadline_after(Some(t)) } else { None };
            if !wait_fd(vm, fd, true, deadline)? {
                return if ex { Ok(libc::EWOULDBLOCK) } else { Err(timed_out(vm)) };
            }
            e = getsockopt_int(fd, libc::SOL_SOCKET, libc::SO_ERROR).unwrap_or_else(errno);
            r = if e == 0 { 0 } else { -1 };
        }
    }
    if r == 0 {
        return Ok(0);
    }
    if ex {
        Ok(e)
    } else {
        Err(os_err(vm, e))
    }
}

fn sock_connect(vm: &Vm, args: Args) -> PyResult {
    let s = sock_of(vm, &args, "connect")?;
    let a = crate::native::unpack(vm, "connect", &rest(&args), 1, 1)?;
    do_connect(vm, s, &a[0], false, "connect")?;
    Ok(Value::None)
}

fn sock_connect_ex(vm: &Vm, args: Args) -> PyResult {
    let s = sock_of(vm, &args, "connect_ex")?;
    let a = crate::native::unpack(vm, "connect_ex", &rest(&args), 1, 1)?;
    Ok(Value::Int(do_connect(vm, s, &a[0], true, "connect_ex")? as i64))
}

fn sock_shutdown(vm: &Vm, args: Args) -> PyResult {
    let s = sock_of(vm, &args, "shutdown")?;
    let a = crate::native::unpack(vm, "shutdown", &rest(&args), 1, 1)?;
    let how = int_arg(vm, &a[0])?;
    // SAFETY: shutdown(2) with integers.
    if unsafe { libc::shutdown(s.fd.get(), how) } != 0 {
        return Err(os_err(vm, errno()));
    }
    Ok(Value::None)
}

fn name_call(vm: &Vm, args: Args, name: &str, peer: bool) -> PyResult {
    let s = sock_of(vm, &args, name)?;
    vm.check_arity(name, rest(&args), 0, 0)?;
    let mut sa = SockAddr::empty();
    // SAFETY: `sa` has room for `sa.len` bytes.
    let r = unsafe {
        if peer {
            libc::getpeername(s.fd.get(), sa.mut_ptr(), &mut sa.len)
        } else {
            libc::getsockname(s.fd.get(), sa.mut_ptr(), &mut sa.len)
        }
    };
    if r != 0 {
        return Err(os_err(vm, errno()));
    }
    Ok(addr::make(vm, &sa))
}

fn sock_getsockname(vm: &Vm, args: Args) -> PyResult {
    name_call(vm, args, "getsockname", false)
}

fn sock_getpeername(vm: &Vm, args: Args) -> PyResult {
    name_call(vm, args, "getpeername", true)
}

fn sock_setsockopt(vm: &Vm, args: Args) -> PyResult {
    let s = sock_of(vm, &args, "setsockopt")?;
    let a = crate::native::unpack(vm, "setsockopt", &rest(&args), 3, 4)?;
    let level = int_arg(vm, &a[0])?;
    let opt = int_arg(vm, &a[1])?;
    let buf: Vec<u8> = if a.len() == 4 {
        if !matches!(a[2], Value::None) {
            return Err(vm.new_type_error("setsockopt() takes exactly 4 arguments when the third is None"));
        }
        let n = int_arg(vm, &a[3])?;
        // SAFETY: setsockopt with a null value and an explicit length.
        if unsafe { libc::setsockopt(s.fd.get(), level, opt, std::ptr::null(), n as u32) } != 0 {
            return Err(os_err(vm, errno()));
        }
        return Ok(Value::None);
    } else if let Some(b) = krait_vm::types::int::bytes_like(&a[2]) {
        b
    } else {
        let v = int_arg(vm, &a[2])?;
        v.to_ne_bytes().to_vec()
    };
    // SAFETY: `buf` is a live buffer of `buf.len()` bytes.
    if unsafe { libc::setsockopt(s.fd.get(), level, opt, buf.as_ptr().cast(), buf.len() as u32) } != 0 {
        return Err(os_err(vm, errno()));
    }
    Ok(Value::None)
}

fn sock_getsockopt(vm: &Vm, args: Args) -> PyResult {
    let s = sock_of(vm, &args, "getsockopt")?;
    let a = crate::native::unpack(vm, "getsockopt", &rest(&args), 2, 3)?;
    let level = int_arg(vm, &a[0])?;
    let opt = int_arg(vm, &a[1])?;
    match a.get(2) {
        None => match getsockopt_int(s.fd.get(), level, opt) {
            Some(v) => Ok(Value::Int(v as i64)),
            None => Err(os_err(vm, errno())),
        },
        Some(n) => {
            let n = int_arg(vm, n)?;
            if !(0..=1024).contains(&n) {
                return Err(vm.new_os_error("getsockopt buflen out of range"));
            }
            let mut buf = vec![0u8; n as usize];
            let mut len = n as libc::socklen_t;
            // SAFETY: `buf` has room for `len` bytes.
            let r = unsafe { libc::getsockopt(s.fd.get(), level, opt, buf.as_mut_ptr().cast(), &mut len) };
            if r != 0 {
                return Err(os_err(vm, errno()));
            }
            buf.truncate(len as usize);
            Ok(vm.new_bytes(buf))
        }
    }
}

fn sock_dup(vm: &Vm, args: Args) -> PyResult {
    let s = sock_of(vm, &args, "dup")?;
    // SAFETY: fcntl duplicating an integer descriptor.
    let fd = unsafe { libc::fcntl(s.fd.get(), libc::F_DUPFD_CLOEXEC, 0) };
    if fd < 0 {
        return Err(os_err(vm, errno()));
    }
    Ok(new_socket(vm, fd, s.family.get(), s.kind.get(), s.proto.get()))
}

fn get_family(vm: &Vm, v: &Value) -> PyResult {
    let s = v.payload().and_then(|p| p.as_native::<Sock>()).ok_or_else(|| descr_error(vm, "family", "_socket.socket", v))?;
    Ok(Value::Int(s.family.get() as i64))
}

fn get_type(vm: &Vm, v: &Value) -> PyResult {
    let s = v.payload().and_then(|p| p.as_native::<Sock>()).ok_or_else(|| descr_error(vm, "type", "_socket.socket", v))?;
    Ok(Value::Int(s.kind.get() as i64))
}

fn get_proto(vm: &Vm, v: &Value) -> PyResult {
    let s = v.payload().and_then(|p| p.as_native::<Sock>()).ok_or_else(|| descr_error(vm, "proto", "_socket.socket", v))?;
    Ok(Value::Int(s.proto.get() as i64))
}

fn get_timeout(vm: &Vm, v: &Value) -> PyResult {
    let s = v.payload().and_then(|p| p.as_native::<Sock>()).ok_or_else(|| descr_error(vm, "timeout", "_socket.socket", v))?;
    let t = s.timeout.get();
    Ok(if t < 0.0 { Value::None } else { Value::Float(t) })
}

fn sock_enter(vm: &Vm, args: Args) -> PyResult {
    sock_of(vm, &args, "__enter__")?;
    Ok(args.args[0].clone())
}

fn sock_exit(vm: &Vm, args: Args) -> PyResult {
    sock_close(vm, Args::new(&args.args[..1]))
}

static METHODS: &[NativeDef] = &[
    NativeDef::staticmethod("__new__", sock_new),
    NativeDef::method("__init__", sock_init),
    NativeDef::method("__repr__", sock_repr),
    NativeDef::method("__enter__", sock_enter),
    NativeDef::method("__exit__", sock_exit),
    NativeDef::method("fileno", sock_fileno),
    NativeDef::method("close", sock_close),
    NativeDef::method("detach", sock_detach),
    NativeDef::method("settimeout", sock_settimeout),
    NativeDef::method("gettimeout", sock_gettimeout),
    NativeDef::method("setblocking", sock_setblocking),
    NativeDef::method("getblocking", sock_getblocking),
    NativeDef::method("bind", sock_bind),
    NativeDef::method("listen", sock_listen),
    NativeDef::method("_accept", sock_accept),
    NativeDef::method("connect", sock_connect),
    NativeDef::method("connect_ex", sock_connect_ex),
    NativeDef::method("shutdown", sock_shutdown),
    NativeDef::method("getsockname", sock_getsockname),
    NativeDef::method("getpeername", sock_getpeername),
    NativeDef::method("setsockopt", sock_setsockopt),
    NativeDef::method("getsockopt", sock_getsockopt),
    NativeDef::method("dup", sock_dup),
];

static GETSETS: [GetSetDef; 4] = [
    GetSetDef { name: "family", get: get_family, set: None, doc: "the socket family" },
    GetSetDef { name: "type", get: get_type, set: None, doc: "the socket type" },
    GetSetDef { name: "proto", get: get_proto, set: None, doc: "the socket protocol" },
    GetSetDef { name: "timeout", get: get_timeout, set: None, doc: "the socket timeout" },
];

static SOCKET: TypeSpec = TypeSpec {
    module: "_socket",
    name: "socket",
    doc: "socket(family=AF_INET, type=SOCK_STREAM, proto=0) -> socket object",
    layout: Layout::Other,
    flags: type_flags::BASETYPE,
    base: None,
    slots: &[],
    methods: METHODS,
    more_methods: super::io::IO_METHODS,
    getsets: &GETSETS,
};
