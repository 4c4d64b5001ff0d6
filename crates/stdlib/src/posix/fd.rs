//! Integer file descriptors: open/close/read/write/lseek/pipe/dup and the
//! descriptor flags (inheritable, blocking), straight over the libc calls.

use super::path::{errno_err, flag, no_dir_fd, path_arg};
use crate::native::unpack;
use krait_vm::{Args, PyResult, Value, Vm};

/// A C `int` argument (`_PyLong_AsInt`).
pub fn fd_arg(vm: &Vm, v: &Value) -> PyResult<i32> {
    if matches!(v, Value::Float(_)) {
        return Err(vm.new_type_error("'float' object cannot be interpreted as an integer"));
    }
    let i = match vm.index(v)? {
        Value::Int(i) => i,
        Value::Bool(b) => b as i64,
        _ => return Err(vm.new_overflow_error("Python int too large to convert to C int")),
    };
    i32::try_from(i).map_err(|_| vm.new_overflow_error(if i > 0 {
        "Python int too large to convert to C int"
    } else {
        "Python int too small to convert to C int"
    }))
}

/// A C `Py_ssize_t`/`off_t` argument (`ctype` names it in the overflow message).
fn i64_arg(vm: &Vm, v: &Value, ctype: &str) -> PyResult<i64> {
    if matches!(v, Value::Float(_)) {
        return Err(vm.new_type_error("'float' object cannot be interpreted as an integer"));
    }
    match vm.index(v)? {
        Value::Int(i) => Ok(i),
        Value::Bool(b) => Ok(b as i64),
        _ => Err(vm.new_overflow_error(format!("Python int too large to convert to C {ctype}"))),
    }
}

/// Fails with the current errno when a libc call returned -1.
fn check(vm: &Vm, r: i64) -> PyResult<i64> {
    if r == -1 {
        Err(errno_err(vm, None))
    } else {
        Ok(r)
    }
}

/// Runs `f`, a libc call that may block (returning -1 on failure), with the
/// GIL released; retries on EINTR after running the signal handlers (PEP 475).
fn retry(vm: &Vm, mut f: impl FnMut() -> i64 + Send) -> PyResult<i64> {
    crate::select::retry_eintr(vm, || match f() {
        -1 => Err(crate::select::errno()),
        r => Ok(r),
    })
}

/// `f` as in `retry`, run once (close: the descriptor is gone even on EINTR).
fn once(vm: &Vm, f: impl FnOnce() -> i64 + Send) -> PyResult<i64> {
    match crate::select::blocking(vm, f) {
        (-1, e) => Err(super::path::raw_err(vm, e, None)),
        (r, _) => Ok(r),
    }
}

pub fn os_open(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("open", args, &["path", "flags", "mode", "dir_fd"], 0, 2, Some(3))?;
    let p = path_arg(vm, "open", "path", b[0].as_ref().unwrap(), false)?;
    let flags = fd_arg(vm, b[1].as_ref().unwrap())?;
    let mode = match &b[2] {
        Some(m) => fd_arg(vm, m)?,
        None => 0o777,
    };
    no_dir_fd(vm, "open", &b[3])?;
    let c = p.cstr();
    // New descriptors are non-inheritable (PEP 446). Opening a FIFO waits
    // for the other end: the GIL is released, and EINTR retried (PEP 475).
    let (flags, mode) = (flags | libc::O_CLOEXEC, mode as libc::c_uint);
    loop {
        // SAFETY: `c` is a valid NUL-terminated string for the duration of the call.
        let (fd, e) = crate::select::blocking(vm, || unsafe { libc::open(c.as_ptr(), flags, mode) });
        match (fd, e) {
            (fd, _) if fd >= 0 => return Ok(Value::Int(fd as i64)),
            (_, libc::EINTR) => crate::signal::check_signals(vm)?,
            (_, e) => return Err(super::path::raw_err(vm, e, Some(&p))),
        }
    }
}

pub fn os_close(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("close", args, &["fd"], 0, 1, None)?;
    let fd = fd_arg(vm, b[0].as_ref().unwrap())?;
    // SAFETY: closing an integer descriptor; a bad one gives EBADF.
    once(vm, || unsafe { libc::close(fd) } as i64)?;
    Ok(Value::None)
}

pub fn os_closerange(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "closerange", &args, 2, 2)?;
    let (lo, hi) = (fd_arg(vm, &a[0])?, fd_arg(vm, &a[1])?);
    for fd in lo.max(0)..hi {
        // SAFETY: errors (EBADF for unused numbers) are ignored, as CPython does.
        unsafe { libc::close(fd) };
    }
    Ok(Value::None)
}

pub fn os_read(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "read", &args, 2, 2)?;
    let fd = fd_arg(vm, &a[0])?;
    let n = i64_arg(vm, &a[1], "ssize_t")?;
    if n < 0 {
        return Err(super::path::raw_err(vm, libc::EINVAL, None));
    }
    let mut buf = alloc_buf(vm, n as usize)?;
    // SAFETY: `buf` (owned here) has room for `n` bytes.
    let got = retry(vm, || unsafe { libc::read(fd, buf.as_mut_ptr().cast(), n as usize) } as i64)?;
    buf.truncate(got as usize);
    Ok(vm.new_bytes(buf))
}

/// A zeroed buffer, or MemoryError when `n` bytes cannot be had.
pub fn alloc_buf(vm: &Vm, n: usize) -> PyResult<Vec<u8>> {
    let mut buf = Vec::new();
    buf.try_reserve_exact(n).map_err(|_| vm.new_memory_error())?;
    buf.resize(n, 0);
    Ok(buf)
}

pub fn os_write(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "write", &args, 2, 2)?;
    let fd = fd_arg(vm, &a[0])?;
    let data = krait_vm::types::int::bytes_like(&a[1]).ok_or_else(|| {
        vm.new_type_error(format!("a bytes-like object is required, not '{}'", vm.type_name_of(&a[1])))
    })?;
    // SAFETY: `data` is a live buffer (a copy owned here) of `data.len()` bytes.
    let n = retry(vm, || unsafe { libc::write(fd, data.as_ptr().cast(), data.len()) } as i64)?;
    Ok(Value::Int(n))
}

pub fn os_lseek(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "lseek", &args, 3, 3)?;
    let fd = fd_arg(vm, &a[0])?;
    let pos = i64_arg(vm, &a[1], "long")?;
    let how = fd_arg(vm, &a[2])?;
    // SAFETY: plain integer arguments.
    let r = once(vm, || unsafe { libc::lseek(fd, pos, how) })?;
    Ok(Value::Int(r))
}

/// The descriptor of an int or of an object with `fileno()`.
fn fileno_arg(vm: &Vm, v: &Value) -> PyResult<i32> {
    if matches!(v, Value::Int(_) | Value::Bool(_)) {
        return fd_arg(vm, v);
    }
    match vm.getattr(v, &vm.intern("fileno")) {
        Ok(f) => {
            let r = vm.call(&f, Args::new(&[]))?;
            fd_arg(vm, &r)
        }
        Err(_) => Err(vm.new_type_error(format!(
            "argument must be an int, or have a fileno() method, not {}",
            vm.type_name_of(v)
        ))),
    }
}

pub fn os_fsync(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("fsync", args, &["fd"], 0, 1, None)?;
    let fd = fileno_arg(vm, b[0].as_ref().unwrap())?;
    // SAFETY: plain integer argument.
    once(vm, || unsafe { libc::fsync(fd) } as i64)?;
    Ok(Value::None)
}

pub fn os_isatty(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "isatty", &args, 1, 1)?;
    let fd = fd_arg(vm, &a[0])?;
    // SAFETY: plain integer argument; errors just mean "not a terminal".
    Ok(Value::Bool(unsafe { libc::isatty(fd) } == 1))
}

pub fn os_pipe(vm: &Vm, args: Args) -> PyResult {
    unpack(vm, "pipe", &args, 0, 0)?;
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: `fds` has room for the two descriptors pipe2 writes.
    check(vm, unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } as i64)?;
    Ok(vm.new_tuple(vec![Value::Int(fds[0] as i64), Value::Int(fds[1] as i64)]))
}

/// Marks `fd` non-inheritable (PEP 446), as CPython does for new descriptors.
fn set_cloexec(vm: &Vm, fd: libc::c_int) -> PyResult<()> {
    // SAFETY: plain integer arguments.
    let flags = check(vm, unsafe { libc::fcntl(fd, libc::F_GETFD) } as i64)? as libc::c_int;
    // SAFETY: as above.
    check(vm, unsafe { libc::fcntl(fd, libc::F_SETFD, flags | libc::FD_CLOEXEC) } as i64)?;
    Ok(())
}

pub fn os_openpty(vm: &Vm, args: Args) -> PyResult {
    unpack(vm, "openpty", &args, 0, 0)?;
    let (mut master, mut slave) = (0 as libc::c_int, 0 as libc::c_int);
    // SAFETY: the two out-pointers are valid; the name, termios and winsize
    // pointers may be null.
    check(vm, unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), std::ptr::null()) } as i64)?;
    set_cloexec(vm, master)?;
    set_cloexec(vm, slave)?;
    Ok(vm.new_tuple(vec![Value::Int(master as i64), Value::Int(slave as i64)]))
}

pub fn os_login_tty(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "login_tty", &args, 1, 1)?;
    let fd = fd_arg(vm, &a[0])?;
    // SAFETY: a plain integer argument.
    check(vm, unsafe { libc::login_tty(fd) } as i64)?;
    Ok(Value::None)
}

pub fn os_dup(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "dup", &args, 1, 1)?;
    let fd = fd_arg(vm, &a[0])?;
    // SAFETY: plain integer arguments; the copy is non-inheritable.
    let r = check(vm, unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) } as i64)?;
    Ok(Value::Int(r))
}

pub fn os_dup2(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("dup2", args, &["fd", "fd2", "inheritable"], 0, 2, None)?;
    let fd = fd_arg(vm, b[0].as_ref().unwrap())?;
    let fd2 = fd_arg(vm, b[1].as_ref().unwrap())?;
    let inheritable = flag(vm, &b[2], true)?;
    let r = if inheritable {
        // SAFETY: plain integer arguments.
        unsafe { libc::dup2(fd, fd2) }
    } else {
        // SAFETY: plain integer arguments.
        unsafe { libc::dup3(fd, fd2, libc::O_CLOEXEC) }
    };
    Ok(Value::Int(check(vm, r as i64)?))
}

pub fn os_ftruncate(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "ftruncate", &args, 2, 2)?;
    let fd = fd_arg(vm, &a[0])?;
    let len = i64_arg(vm, &a[1], "long")?;
    // SAFETY: plain integer arguments.
    retry(vm, || unsafe { libc::ftruncate(fd, len) } as i64)?;
    Ok(Value::None)
}

fn fd_flags(vm: &Vm, fd: i32, get: i32) -> PyResult<i32> {
    // SAFETY: F_GETFD/F_GETFL take no further argument.
    Ok(check(vm, unsafe { libc::fcntl(fd, get) } as i64)? as i32)
}

fn set_fd_flag(vm: &Vm, fd: i32, get: i32, set: i32, bit: i32, on: bool) -> PyResult {
    let old = fd_flags(vm, fd, get)?;
    let new = if on { old | bit } else { old & !bit };
    if new != old {
        // SAFETY: F_SETFD/F_SETFL take an int argument.
        check(vm, unsafe { libc::fcntl(fd, set, new) } as i64)?;
    }
    Ok(Value::None)
}

pub fn os_get_inheritable(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "get_inheritable", &args, 1, 1)?;
    let fd = fd_arg(vm, &a[0])?;
    Ok(Value::Bool(fd_flags(vm, fd, libc::F_GETFD)? & libc::FD_CLOEXEC == 0))
}

pub fn os_set_inheritable(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "set_inheritable", &args, 2, 2)?;
    let fd = fd_arg(vm, &a[0])?;
    let on = fd_arg(vm, &a[1])? != 0;
    set_fd_flag(vm, fd, libc::F_GETFD, libc::F_SETFD, libc::FD_CLOEXEC, !on)
}

pub fn os_get_blocking(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "get_blocking", &args, 1, 1)?;
    let fd = fd_arg(vm, &a[0])?;
    Ok(Value::Bool(fd_flags(vm, fd, libc::F_GETFL)? & libc::O_NONBLOCK == 0))
}

pub fn os_set_blocking(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "set_blocking", &args, 2, 2)?;
    let fd = fd_arg(vm, &a[0])?;
    let on = vm.truthy(&a[1])?;
    set_fd_flag(vm, fd, libc::F_GETFL, libc::F_SETFL, libc::O_NONBLOCK, !on)
}

/// `device_encoding(fd)`: the locale's encoding for a terminal, else None.
pub fn os_device_encoding(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("device_encoding", args, &["fd"], 0, 1, None)?;
    let fd = fd_arg(vm, b[0].as_ref().unwrap())?;
    // SAFETY: plain integer argument.
    if unsafe { libc::isatty(fd) } == 1 {
        return Ok(vm.new_str("UTF-8"));
    }
    Ok(Value::None)
}

/// `get_terminal_size(fd=1)` -> (columns, lines), from TIOCGWINSZ.
pub fn terminal_size(vm: &Vm, args: Args) -> PyResult<(i64, i64)> {
    let a = unpack(vm, "get_terminal_size", &args, 0, 1)?;
    let fd = match a.first() {
        Some(v) => fd_arg(vm, v)?,
        None => 1,
    };
    let mut ws = libc::winsize { ws_row: 0, ws_col: 0, ws_xpixel: 0, ws_ypixel: 0 };
    // SAFETY: TIOCGWINSZ writes one `winsize` into `ws`.
    check(vm, unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws as *mut libc::winsize) } as i64)?;
    Ok((ws.ws_col as i64, ws.ws_row as i64))
}
