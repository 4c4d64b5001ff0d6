//! The `select` module: `select()`, and the `poll` and `epoll` objects
//! (`objects.rs`) that `selectors` builds on. An interrupted wait (EINTR)
//! runs the Python signal handlers and retries with the time left, as
//! CPython does (PEP 475).

mod objects;

use crate::native::unpack;
use krait_vm::types::float::float_of;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::time::Instant;

/// `PyObject_AsFileDescriptor`: an int, or the result of `fileno()`.
pub fn as_fd(vm: &Vm, v: &Value) -> PyResult<i32> {
    let n = match v {
        Value::Int(_) | Value::Bool(_) => v.clone(),
        Value::Float(_) => return Err(vm.new_type_error("argument must be an int, or have a fileno() method.")),
        _ if vm.as_str(v).is_none() && vm.getattr_str(v, "fileno").is_ok() => {
            let r = vm.call_method(v, "fileno", &[])?;
            if !matches!(r, Value::Int(_) | Value::Bool(_)) && vm.index(&r).is_err() {
                return Err(vm.new_type_error("fileno() returned a non-integer"));
            }
            r
        }
        _ => match vm.index(v) {
            Ok(i) => i,
            Err(_) => return Err(vm.new_type_error("argument must be an int, or have a fileno() method.")),
        },
    };
    let fd = crate::posix::fd::fd_arg(vm, &n)?;
    if fd < 0 {
        return Err(vm.new_value_error(format!("file descriptor cannot be a negative integer ({fd})")));
    }
    Ok(fd)
}

/// A timeout in seconds (None: wait forever), with `msg` for a wrong type.
pub fn timeout_secs(vm: &Vm, v: Option<&Value>, msg: &str) -> PyResult<Option<f64>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(v) => match float_of(v) {
            Some(f) if f.is_nan() => Err(vm.new_value_error("Invalid value NaN (not a number)")),
            Some(f) => Ok(Some(f)),
            None => match vm.index(v) {
                Ok(Value::Int(i)) => Ok(Some(i as f64)),
                Ok(_) => Err(vm.new_overflow_error("timeout doesn't fit into C timeval")),
                Err(_) => Err(vm.new_type_error(msg.to_string())),
            },
        },
    }
}

/// Milliseconds left until `deadline` (rounded up), or -1 without one.
pub fn ms_left(deadline: Option<Instant>) -> i32 {
    match deadline {
        None => -1,
        Some(d) => {
            let left = d.saturating_duration_since(Instant::now());
            let ms = (left.as_nanos() + 999_999) / 1_000_000;
            ms.min(i32::MAX as u128) as i32
        }
    }
}

/// The deadline `secs` from now (None: none). Huge values mean "never".
pub fn deadline_after(secs: Option<f64>) -> Option<Instant> {
    let s = secs?;
    if s > 1e9 {
        return None;
    }
    Some(Instant::now() + std::time::Duration::from_secs_f64(s.max(0.0)))
}

/// Calls `f`, a blocking call, with the GIL released until it does not fail
/// with EINTR, running signal handlers in between; returns its result or
/// the errno it failed with.
pub fn retry_eintr<T: Send>(vm: &Vm, mut f: impl FnMut() -> Result<T, i32> + Send) -> PyResult<T> {
    loop {
        match vm.allow_threads(|| f()) {
            Ok(v) => return Ok(v),
            Err(libc::EINTR) => crate::signal::check_signals(vm)?,
            Err(e) => return Err(crate::posix::path::raw_err(vm, e, None)),
        }
    }
}

/// Runs `f`, a libc call that may block and returns a negative value on
/// failure, with the GIL released; gives its result and, on failure, the
/// errno it set (read at once: taking the GIL back may make other calls).
pub fn blocking<R: Copy + PartialOrd + Default>(vm: &Vm, f: impl FnOnce() -> R + Send) -> (R, i32) {
    vm.allow_threads(|| {
        let r = f();
        (r, if r < R::default() { errno() } else { 0 })
    })
}

/// The calling thread's errno.
pub fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

fn fd_list(vm: &Vm, v: &Value) -> PyResult<Vec<(i32, Value)>> {
    let items = vm.collect_iter(v)?;
    let mut out = Vec::with_capacity(items.len());
    for it in items {
        let fd = as_fd(vm, &it)?;
        if fd as usize >= libc::FD_SETSIZE {
            return Err(vm.new_value_error("filedescriptor out of range in select()"));
        }
        out.push((fd, it));
    }
    Ok(out)
}

fn select_select(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "select", &args, 3, 4)?;
    let secs = timeout_secs(vm, a.get(3), "timeout must be a float or None")?;
    if matches!(secs, Some(s) if s < 0.0) {
        return Err(vm.new_value_error("timeout must be non-negative"));
    }
    let lists = [fd_list(vm, &a[0])?, fd_list(vm, &a[1])?, fd_list(vm, &a[2])?];
    // The wait sees only the descriptors (Python objects stay with the GIL).
    let fds: Vec<Vec<i32>> = lists.iter().map(|l| l.iter().map(|(fd, _)| *fd).collect()).collect();
    let deadline = deadline_after(secs);
    let sets = retry_eintr(vm, || {
        // SAFETY: fd_set values are plain bitsets; FD_ZERO/FD_SET get live locals
        // and every fd was checked to be below FD_SETSIZE.
        let mut sets: [libc::fd_set; 3] = unsafe { std::mem::zeroed() };
        let mut nfds = 0;
        for (set, list) in sets.iter_mut().zip(&fds) {
            unsafe { libc::FD_ZERO(set) };
            for fd in list {
                unsafe { libc::FD_SET(*fd, set) };
                nfds = nfds.max(*fd + 1);
            }
        }
        let mut tv;
        let tvp = match deadline {
            None => std::ptr::null_mut(),
            Some(d) => {
                let left = d.saturating_duration_since(Instant::now());
                tv = libc::timeval { tv_sec: left.as_secs() as libc::time_t, tv_usec: left.subsec_micros() as libc::suseconds_t };
                &mut tv as *mut libc::timeval
            }
        };
        let [r, w, x] = &mut sets;
        // SAFETY: the three sets and the optional timeval are live locals.
        let n = unsafe { libc::select(nfds, r, w, x, tvp) };
        if n < 0 {
            Err(errno())
        } else {
            Ok(sets)
        }
    })?;
    let mut out = Vec::with_capacity(3);
    for (set, list) in sets.iter().zip(&lists) {
        let ready: Vec<Value> = list
            .iter()
            // SAFETY: FD_ISSET reads a live set with an fd below FD_SETSIZE.
            .filter(|(fd, _)| unsafe { libc::FD_ISSET(*fd, set) })
            .map(|(_, v)| v.clone())
            .collect();
        out.push(vm.new_list(ready));
    }
    Ok(vm.new_tuple(out))
}

static FUNCS: &[NativeDef] = &[
    NativeDef::function("select", select_select),
    NativeDef::function("poll", objects::new_poll),
];

fn constants() -> Vec<(&'static str, i64)> {
    use libc::*;
    let s = |n: &'static str, v: c_short| (n, v as i64);
    let e = |n: &'static str, v: c_int| (n, v as u32 as i64);
    vec![
        s("POLLIN", POLLIN), s("POLLPRI", POLLPRI), s("POLLOUT", POLLOUT), s("POLLERR", POLLERR),
        s("POLLHUP", POLLHUP), s("POLLNVAL", POLLNVAL), s("POLLRDNORM", POLLRDNORM),
        s("POLLRDBAND", POLLRDBAND), s("POLLWRNORM", POLLWRNORM), s("POLLWRBAND", POLLWRBAND),
        s("POLLMSG", 0x400), s("POLLRDHUP", POLLRDHUP),
        e("EPOLLIN", EPOLLIN), e("EPOLLOUT", EPOLLOUT), e("EPOLLPRI", EPOLLPRI), e("EPOLLERR", EPOLLERR),
        e("EPOLLHUP", EPOLLHUP), e("EPOLLET", EPOLLET), e("EPOLLONESHOT", EPOLLONESHOT),
        e("EPOLLEXCLUSIVE", EPOLLEXCLUSIVE), e("EPOLLRDHUP", EPOLLRDHUP), e("EPOLLRDNORM", EPOLLRDNORM),
        e("EPOLLRDBAND", EPOLLRDBAND), e("EPOLLWRNORM", EPOLLWRNORM), e("EPOLLWRBAND", EPOLLWRBAND),
        e("EPOLLMSG", EPOLLMSG), e("EPOLL_CLOEXEC", EPOLL_CLOEXEC), ("PIPE_BUF", PIPE_BUF as i64),
    ]
}

/// Creates the `select` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let mut attrs: Vec<(&str, Value)> = constants().into_iter().map(|(n, v)| (n, Value::Int(v))).collect();
    attrs.push(("error", Value::Obj(vm.exc.os_error.clone())));
    attrs.push(("epoll", Value::Obj(objects::epoll_type(vm))));
    Ok(crate::native::make_module(vm, "select", "", FUNCS, attrs))
}
