//! `select.poll` (a registry of fds and event masks handed to poll(2) on
//! each call) and `select.epoll` (an epoll descriptor).

use super::{as_fd, deadline_after, errno, ms_left, retry_eintr, timeout_secs};
use crate::native::{descr_error, native_type, new_object, split_new, unpack, TypeSpec};
use krait_vm::payload::GetSetDef;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::{Cell, RefCell};

fn rest<'a>(args: &Args<'a>) -> Args<'a> {
    Args { args: &args.args[1..], kwnames: args.kwnames }
}

fn mask_arg(vm: &Vm, v: Option<&Value>, dflt: i64) -> PyResult<i64> {
    match v {
        None => Ok(dflt),
        Some(v) => vm.to_index_i64(v),
    }
}

// ---- poll ----

struct Poll {
    fds: RefCell<Vec<(i32, i16)>>,
}

/// Holds no Python references.
impl krait_vm::gc::NativeData for Poll {}

fn poll_of<'a>(vm: &Vm, args: &Args<'a>, name: &str) -> PyResult<&'a Poll> {
    let v = args.args.first().ok_or_else(|| vm.new_type_error(format!("descriptor '{name}' needs an argument")))?;
    v.payload().and_then(|p| p.as_native::<Poll>()).ok_or_else(|| descr_error(vm, name, "select.poll", v))
}

pub fn new_poll(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("poll", args, 0, 0)?;
    let t = native_type(vm, &POLL);
    Ok(new_object(vm, &t, &t, Poll { fds: RefCell::new(Vec::new()) }))
}

fn poll_register(vm: &Vm, args: Args) -> PyResult {
    let p = poll_of(vm, &args, "register")?;
    let a = unpack(vm, "register", &rest(&args), 1, 2)?;
    let fd = as_fd(vm, &a[0])?;
    let dflt = (libc::POLLIN | libc::POLLPRI | libc::POLLOUT) as i64;
    let mask = mask_arg(vm, a.get(1), dflt)?;
    if !(0..=0xffff).contains(&mask) {
        return Err(vm.new_overflow_error("Python int too large for C unsigned short"));
    }
    let mut fds = p.fds.borrow_mut();
    match fds.iter_mut().find(|(f, _)| *f == fd) {
        Some(e) => e.1 = mask as u16 as i16,
        None => fds.push((fd, mask as u16 as i16)),
    }
    Ok(Value::None)
}

fn poll_modify(vm: &Vm, args: Args) -> PyResult {
    let p = poll_of(vm, &args, "modify")?;
    let a = unpack(vm, "modify", &rest(&args), 2, 2)?;
    let fd = as_fd(vm, &a[0])?;
    let mask = mask_arg(vm, a.get(1), 0)?;
    if !(0..=0xffff).contains(&mask) {
        return Err(vm.new_overflow_error("Python int too large for C unsigned short"));
    }
    let mut fds = p.fds.borrow_mut();
    match fds.iter_mut().find(|(f, _)| *f == fd) {
        Some(e) => e.1 = mask as u16 as i16,
        None => return Err(crate::posix::path::raw_err(vm, libc::ENOENT, None)),
    }
    Ok(Value::None)
}

fn poll_unregister(vm: &Vm, args: Args) -> PyResult {
    let p = poll_of(vm, &args, "unregister")?;
    let a = unpack(vm, "unregister", &rest(&args), 1, 1)?;
    let fd = as_fd(vm, &a[0])?;
    let mut fds = p.fds.borrow_mut();
    match fds.iter().position(|(f, _)| *f == fd) {
        Some(i) => {
            fds.remove(i);
            Ok(Value::None)
        }
        None => Err(vm.new_key_error(Value::Int(fd as i64))),
    }
}

fn poll_poll(vm: &Vm, args: Args) -> PyResult {
    let p = poll_of(vm, &args, "poll")?;
    let a = unpack(vm, "poll", &rest(&args), 0, 1)?;
    // poll's timeout is in milliseconds.
    let ms = timeout_secs(vm, a.first(), "timeout must be an integer or None")?;
    let deadline = match ms {
        Some(m) if m >= 0.0 => deadline_after(Some(m / 1000.0)),
        _ => None,
    };
    let mut pfds: Vec<libc::pollfd> =
        p.fds.borrow().iter().map(|&(fd, ev)| libc::pollfd { fd, events: ev, revents: 0 }).collect();
    retry_eintr(vm, || {
        let t = if deadline.is_none() { -1 } else { ms_left(deadline) };
        // SAFETY: `pfds` is a live array of `pfds.len()` pollfd entries.
        let n = unsafe { libc::poll(pfds.as_mut_ptr(), pfds.len() as libc::nfds_t, t) };
        if n < 0 {
            Err(errno())
        } else {
            Ok(())
        }
    })?;
    let out = pfds
        .iter()
        .filter(|p| p.revents != 0)
        .map(|p| vm.new_tuple(vec![Value::Int(p.fd as i64), Value::Int(p.revents as u16 as i64)]))
        .collect();
    Ok(vm.new_list(out))
}

static POLL_METHODS: [NativeDef; 4] = [
    NativeDef::method("register", poll_register),
    NativeDef::method("modify", poll_modify),
    NativeDef::method("unregister", poll_unregister),
    NativeDef::method("poll", poll_poll),
];

static POLL: TypeSpec = TypeSpec {
    module: "select",
    name: "poll",
    doc: "",
    layout: Layout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &POLL_METHODS,
    more_methods: &[],
    getsets: &[],
};

// ---- epoll ----

struct Epoll {
    fd: Cell<i32>,
}

/// Holds no Python references.
impl krait_vm::gc::NativeData for Epoll {}

impl Drop for Epoll {
    fn drop(&mut self) {
        let fd = self.fd.get();
        if fd >= 0 {
            // SAFETY: closing the descriptor this object owns.
            unsafe { libc::close(fd) };
        }
    }
}

pub fn epoll_type(vm: &Vm) -> PyRef {
    native_type(vm, &EPOLL)
}

fn epoll_of<'a>(vm: &Vm, args: &Args<'a>, name: &str) -> PyResult<&'a Epoll> {
    let v = args.args.first().ok_or_else(|| vm.new_type_error(format!("descriptor '{name}' needs an argument")))?;
    v.payload().and_then(|p| p.as_native::<Epoll>()).ok_or_else(|| descr_error(vm, name, "select.epoll", v))
}

/// The epoll's descriptor, or ValueError once closed.
fn open_fd(vm: &Vm, e: &Epoll) -> PyResult<i32> {
    match e.fd.get() {
        fd if fd >= 0 => Ok(fd),
        _ => Err(vm.new_value_error("I/O operation on closed epoll object")),
    }
}

fn epoll_new(vm: &Vm, args: Args) -> PyResult {
    let t = epoll_type(vm);
    let (cls, rest) = split_new(vm, args, &t)?;
    let a = vm.bind_native("epoll", rest, &["sizehint", "flags"], 0, 0, None)?;
    let hint = mask_arg(vm, a[0].as_ref(), -1)?;
    if hint == 0 || hint < -1 {
        return Err(vm.new_value_error("negative sizehint"));
    }
    let _ = mask_arg(vm, a[1].as_ref(), 0)?;
    // SAFETY: epoll_create1 makes a new descriptor; no pointers involved.
    let fd = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
    if fd < 0 {
        return Err(crate::posix::path::errno_err(vm, None));
    }
    Ok(new_object(vm, &cls, &t, Epoll { fd: Cell::new(fd) }))
}

fn epoll_fromfd(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "fromfd", &args, 2, 2)?;
    let t = epoll_type(vm);
    let cls = match &a[0] {
        Value::Obj(c) if c.payload.as_type().is_some() => c.clone(),
        _ => t.clone(),
    };
    let fd = crate::posix::fd::fd_arg(vm, &a[1])?;
    Ok(new_object(vm, &cls, &t, Epoll { fd: Cell::new(fd) }))
}

fn ctl(vm: &Vm, e: &Epoll, op: i32, fd: i32, mask: i64) -> PyResult {
    let efd = open_fd(vm, e)?;
    let mut ev = libc::epoll_event { events: mask as u32, u64: fd as u64 };
    // SAFETY: `ev` is a live epoll_event; the kernel validates both descriptors.
    let r = unsafe { libc::epoll_ctl(efd, op, fd, &mut ev) };
    if r < 0 {
        return Err(crate::posix::path::errno_err(vm, None));
    }
    Ok(Value::None)
}

fn epoll_register(vm: &Vm, args: Args) -> PyResult {
    let e = epoll_of(vm, &args, "register")?;
    let a = vm.bind_native("register", rest(&args), &["fd", "eventmask"], 0, 1, None)?;
    let fd = as_fd(vm, a[0].as_ref().unwrap())?;
    let dflt = (libc::EPOLLIN | libc::EPOLLPRI | libc::EPOLLOUT) as i64;
    let mask = mask_arg(vm, a[1].as_ref(), dflt)?;
    ctl(vm, e, libc::EPOLL_CTL_ADD, fd, mask)
}

fn epoll_modify(vm: &Vm, args: Args) -> PyResult {
    let e = epoll_of(vm, &args, "modify")?;
    let a = vm.bind_native("modify", rest(&args), &["fd", "eventmask"], 0, 2, None)?;
    let fd = as_fd(vm, a[0].as_ref().unwrap())?;
    let mask = mask_arg(vm, a[1].as_ref(), 0)?;
    ctl(vm, e, libc::EPOLL_CTL_MOD, fd, mask)
}

fn epoll_unregister(vm: &Vm, args: Args) -> PyResult {
    let e = epoll_of(vm, &args, "unregister")?;
    let a = vm.bind_native("unregister", rest(&args), &["fd"], 0, 1, None)?;
    let fd = as_fd(vm, a[0].as_ref().unwrap())?;
    ctl(vm, e, libc::EPOLL_CTL_DEL, fd, 0)
}

fn epoll_poll(vm: &Vm, args: Args) -> PyResult {
    let e = epoll_of(vm, &args, "poll")?;
    let a = vm.bind_native("poll", rest(&args), &["timeout", "maxevents"], 0, 0, None)?;
    let secs = timeout_secs(vm, a[0].as_ref(), "timeout must be an integer or None")?;
    let max = mask_arg(vm, a[1].as_ref(), -1)?;
    let efd = open_fd(vm, e)?;
    let max = if max == -1 {
        libc::FD_SETSIZE as i64 - 1
    } else if max < 1 {
        return Err(vm.new_value_error(format!("maxevents must be greater than 0, got {max}")));
    } else {
        max.min(1 << 20)
    };
    let deadline = match secs {
        Some(s) if s >= 0.0 => deadline_after(Some(s)),
        _ => None,
    };
    let forever = !matches!(secs, Some(s) if s >= 0.0);
    let mut evs: Vec<libc::epoll_event> = vec![libc::epoll_event { events: 0, u64: 0 }; max as usize];
    let n = retry_eintr(vm, || {
        let t = if forever { -1 } else { ms_left(deadline) };
        // SAFETY: `evs` has room for `evs.len()` events.
        let n = unsafe { libc::epoll_wait(efd, evs.as_mut_ptr(), evs.len() as i32, t) };
        if n < 0 {
            Err(errno())
        } else {
            Ok(n as usize)
        }
    })?;
    let out = evs[..n]
        .iter()
        .map(|ev| {
            let (fd, mask) = (ev.u64 as i32, ev.events);
            vm.new_tuple(vec![Value::Int(fd as i64), Value::Int(mask as i64)])
        })
        .collect();
    Ok(vm.new_list(out))
}

fn epoll_close(vm: &Vm, args: Args) -> PyResult {
    let e = epoll_of(vm, &args, "close")?;
    let fd = e.fd.replace(-1);
    if fd >= 0 {
        // SAFETY: closing the descriptor this object owned.
        if unsafe { libc::close(fd) } != 0 {
            return Err(crate::posix::path::errno_err(vm, None));
        }
    }
    Ok(Value::None)
}

fn epoll_fileno(vm: &Vm, args: Args) -> PyResult {
    let e = epoll_of(vm, &args, "fileno")?;
    Ok(Value::Int(open_fd(vm, e)? as i64))
}

fn epoll_enter(vm: &Vm, args: Args) -> PyResult {
    let e = epoll_of(vm, &args, "__enter__")?;
    open_fd(vm, e)?;
    Ok(args.args[0].clone())
}

fn epoll_exit(vm: &Vm, args: Args) -> PyResult {
    epoll_close(vm, Args::new(&args.args[..1]))
}

fn epoll_closed(vm: &Vm, v: &Value) -> PyResult {
    let e = v.payload().and_then(|p| p.as_native::<Epoll>()).ok_or_else(|| descr_error(vm, "closed", "select.epoll", v))?;
    Ok(Value::Bool(e.fd.get() < 0))
}

static EPOLL_METHODS: [NativeDef; 10] = [
    NativeDef::staticmethod("__new__", epoll_new),
    NativeDef::classmethod("fromfd", epoll_fromfd),
    NativeDef::method("register", epoll_register),
    NativeDef::method("modify", epoll_modify),
    NativeDef::method("unregister", epoll_unregister),
    NativeDef::method("poll", epoll_poll),
    NativeDef::method("close", epoll_close),
    NativeDef::method("fileno", epoll_fileno),
    NativeDef::method("__enter__", epoll_enter),
    NativeDef::method("__exit__", epoll_exit),
];

static EPOLL_GETSETS: [GetSetDef; 1] = [GetSetDef { name: "closed", get: epoll_closed, set: None, doc: "" }];

static EPOLL: TypeSpec = TypeSpec {
    module: "select",
    name: "epoll",
    doc: "",
    layout: Layout::Other,
    flags: type_flags::BASETYPE,
    base: None,
    slots: &[],
    methods: &EPOLL_METHODS,
    more_methods: &[],
    getsets: &EPOLL_GETSETS,
};
