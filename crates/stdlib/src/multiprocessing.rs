//! `_multiprocessing`: `SemLock`, the lock and semaphore that
//! `multiprocessing.synchronize` builds every primitive on, over POSIX
//! named semaphores (sem_open), which work across fork() and, by name,
//! across unrelated processes; plus `sem_unlink` and `flags`.
//!
//! As in CPython, a recursive mutex counts acquisitions made by its owning
//! thread (the last thread that took the semaphore while the count was
//! positive); a plain semaphore counts too, so `_count` and `_is_mine`
//! describe the calling thread's holds. Waits release the GIL.

use crate::native::{bind, descr_error, native_type, new_object, TypeSpec};
use crate::posix::fd::fd_arg;
use krait_vm::payload::GetSetDef;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::Cell;
use std::ffi::CString;

const RECURSIVE_MUTEX: i32 = 0;
const SEMAPHORE: i32 = 1;
/// glibc's SEM_VALUE_MAX (INT_MAX).
const SEM_VALUE_MAX: i64 = i32::MAX as i64;

/// A number for the calling OS thread, unique among live threads; only
/// compared with itself, so any such number serves.
fn thread_id() -> usize {
    // SAFETY: pthread_self has no preconditions.
    unsafe { libc::pthread_self() as usize }
}

struct SemLock {
    handle: *mut libc::sem_t,
    /// Whether this object opened the handle (and closes it when freed); a
    /// handle rebuilt from a bare address belongs to another object.
    owned: bool,
    kind: i32,
    maxvalue: i32,
    name: Option<String>,
    /// The owner's acquisitions, changed only with the GIL held.
    count: Cell<i64>,
    last_tid: Cell<usize>,
}

/// Holds no Python references.
impl krait_vm::gc::NativeData for SemLock {}

impl Drop for SemLock {
    fn drop(&mut self) {
        if self.owned && self.handle != libc::SEM_FAILED {
            // SAFETY: the handle came from a successful sem_open and is closed once.
            unsafe { libc::sem_close(self.handle) };
        }
    }
}

impl SemLock {
    fn is_mine(&self) -> bool {
        self.count.get() > 0 && self.last_tid.get() == thread_id()
    }

    fn value(&self, vm: &Vm) -> PyResult<i32> {
        let mut v: libc::c_int = 0;
        // SAFETY: the handle is an open semaphore; `v` receives its value.
        if unsafe { libc::sem_getvalue(self.handle, &mut v) } < 0 {
            return Err(crate::posix::path::errno_err(vm, None));
        }
        Ok(v)
    }
}

fn semlock_type(vm: &Vm) -> PyRef {
    native_type(vm, &SEMLOCK)
}

fn this<'a>(vm: &Vm, args: &Args<'a>, name: &str) -> PyResult<&'a SemLock> {
    let v = args.args.first().ok_or_else(|| vm.new_type_error(format!("descriptor '{name}' needs an argument")))?;
    v.payload()
        .and_then(|p| p.as_native::<SemLock>())
        .ok_or_else(|| descr_error(vm, name, "_multiprocessing.SemLock", v))
}

fn rest<'a>(args: &Args<'a>) -> Args<'a> {
    Args { args: &args.args[1..], kwnames: args.kwnames }
}

fn name_cstr(vm: &Vm, name: &str) -> PyResult<CString> {
    CString::new(name).map_err(|_| vm.new_value_error("embedded null character"))
}

fn semlock_new(vm: &Vm, args: Args) -> PyResult {
    let t = semlock_type(vm);
    let (cls, args) = crate::native::split_new(vm, args, &t)?;
    let a = bind(vm, "SemLock", args, &["kind", "value", "maxvalue", "name", "unlink"], 5)?;
    let kind = fd_arg(vm, a[0].as_ref().unwrap())?;
    let value = fd_arg(vm, a[1].as_ref().unwrap())?;
    let maxvalue = fd_arg(vm, a[2].as_ref().unwrap())?;
    let name_v = a[3].as_ref().unwrap();
    let Some(name) = vm.as_str(name_v).map(str::to_string) else {
        let t = vm.type_name_of(name_v);
        return Err(vm.new_type_error(format!("SemLock() argument 'name' must be str, not {t}")));
    };
    let unlink = vm.truthy(a[4].as_ref().unwrap())?;
    if kind != RECURSIVE_MUTEX && kind != SEMAPHORE {
        return Err(vm.new_value_error("unrecognized kind"));
    }
    let cname = name_cstr(vm, &name)?;
    // SAFETY: `cname` is a live C string; the variadic mode and value are
    // passed as the C types sem_open reads (mode_t promoted to unsigned int).
    let handle =
        unsafe { libc::sem_open(cname.as_ptr(), libc::O_CREAT | libc::O_EXCL, 0o600 as libc::c_uint, value as libc::c_uint) };
    if handle == libc::SEM_FAILED {
        return Err(crate::posix::path::errno_err(vm, None));
    }
    let sem = SemLock {
        handle,
        owned: true,
        kind,
        maxvalue,
        name: if unlink { None } else { Some(name) },
        count: Cell::new(0),
        last_tid: Cell::new(0),
    };
    // SAFETY: `cname` is a live C string.
    if unlink && unsafe { libc::sem_unlink(cname.as_ptr()) } < 0 {
        return Err(crate::posix::path::errno_err(vm, None));
    }
    Ok(new_object(vm, &cls, &t, sem))
}

/// `_rebuild(handle, kind, maxvalue, name)`: the SemLock a pickled one
/// describes; a named semaphore is opened again by name.
fn semlock_rebuild(vm: &Vm, args: Args) -> PyResult {
    crate::native::no_kwargs(vm, "_rebuild", &args)?;
    let cls = match args.args.first() {
        Some(Value::Obj(c)) => c.clone(),
        _ => semlock_type(vm),
    };
    let a = &args.args[1..];
    if a.len() != 4 {
        return Err(vm.new_type_error(format!("_rebuild() takes exactly 4 arguments ({} given)", a.len())));
    }
    let addr = vm.index(&a[0])?;
    let addr = match addr {
        Value::Int(i) => i as usize,
        Value::Bool(b) => b as usize,
        _ => return Err(vm.new_overflow_error("Python int too large to convert to C unsigned long")),
    };
    let kind = fd_arg(vm, &a[1])?;
    let maxvalue = fd_arg(vm, &a[2])?;
    let name = if a[3].is_none() {
        None
    } else {
        match vm.as_str(&a[3]) {
            Some(s) => Some(s.to_string()),
            None => {
                return Err(vm.new_type_error(format!(
                    "_rebuild() argument 4 must be str or None, not {}",
                    vm.type_name_of(&a[3])
                )))
            }
        }
    };
    let (handle, owned) = match &name {
        Some(n) => {
            let cname = name_cstr(vm, n)?;
            // SAFETY: `cname` is a live C string; opening an existing semaphore.
            let h = unsafe { libc::sem_open(cname.as_ptr(), 0) };
            if h == libc::SEM_FAILED {
                return Err(crate::posix::path::errno_err(vm, None));
            }
            (h, true)
        }
        None => (addr as *mut libc::sem_t, false),
    };
    let t = semlock_type(vm);
    let sem = SemLock { handle, owned, kind, maxvalue, name, count: Cell::new(0), last_tid: Cell::new(0) };
    Ok(new_object(vm, &cls, &t, sem))
}

/// The absolute CLOCK_REALTIME time `secs` from now, for sem_timedwait.
fn deadline(secs: f64) -> libc::timespec {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime fills `now`.
    unsafe { libc::clock_gettime(libc::CLOCK_REALTIME, &mut now) };
    let whole = secs.floor();
    let mut sec = now.tv_sec.saturating_add(whole.min(i64::MAX as f64 / 2.0) as libc::time_t);
    let mut nsec = now.tv_nsec + ((secs - whole) * 1e9) as libc::c_long;
    if nsec >= 1_000_000_000 {
        sec = sec.saturating_add(1);
        nsec -= 1_000_000_000;
    }
    libc::timespec { tv_sec: sec, tv_nsec: nsec }
}

fn semlock_acquire(vm: &Vm, args: Args) -> PyResult {
    let s = this(vm, &args, "acquire")?;
    let a = bind(vm, "acquire", rest(&args), &["block", "timeout"], 0)?;
    let blocking = match &a[0] {
        Some(v) => vm.truthy(v)?,
        None => true,
    };
    if s.kind == RECURSIVE_MUTEX && s.is_mine() {
        s.count.set(s.count.get() + 1);
        return Ok(Value::Bool(true));
    }
    let timeout = match &a[1] {
        None | Some(Value::None) => None,
        Some(v) => Some(crate::math::arg_f64(vm, v)?.max(0.0)),
    };
    let when = timeout.map(deadline);
    let handle = s.handle as usize;
    // First without blocking (and without releasing the GIL).
    let mut res;
    let mut err;
    loop {
        // SAFETY: the handle is an open semaphore.
        res = unsafe { libc::sem_trywait(s.handle) };
        err = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
        if res < 0 && err == libc::EINTR {
            crate::signal::check_signals(vm)?;
            continue;
        }
        break;
    }
    if res < 0 && err == libc::EAGAIN && blocking {
        loop {
            (res, err) = vm.allow_threads(move || {
                let h = handle as *mut libc::sem_t;
                // SAFETY: the SemLock object (and so the semaphore) outlives
                // this call: the caller holds a reference to it.
                let r = unsafe {
                    match &when {
                        None => libc::sem_wait(h),
                        Some(d) => libc::sem_timedwait(h, d),
                    }
                };
                (r, std::io::Error::last_os_error().raw_os_error().unwrap_or(0))
            });
            if res < 0 && err == libc::EINTR {
                crate::signal::check_signals(vm)?;
                continue;
            }
            break;
        }
    }
    if res < 0 {
        if err == libc::EAGAIN || err == libc::ETIMEDOUT {
            return Ok(Value::Bool(false));
        }
        return Err(crate::posix::path::raw_err(vm, err, None));
    }
    s.count.set(s.count.get() + 1);
    s.last_tid.set(thread_id());
    Ok(Value::Bool(true))
}

fn release(vm: &Vm, s: &SemLock) -> PyResult {
    if s.kind == RECURSIVE_MUTEX {
        if !s.is_mine() {
            let msg = "attempt to release recursive lock not owned by thread";
            return Err(vm.new_exception_msg(&vm.exc.assertion_error, msg));
        }
        if s.count.get() > 1 {
            s.count.set(s.count.get() - 1);
            return Ok(Value::None);
        }
    } else if s.value(vm)? >= s.maxvalue {
        // Not a guarantee against a race with another process, as in CPython.
        return Err(vm.new_value_error("semaphore or lock released too many times"));
    }
    // SAFETY: the handle is an open semaphore.
    if unsafe { libc::sem_post(s.handle) } < 0 {
        return Err(crate::posix::path::errno_err(vm, None));
    }
    s.count.set(s.count.get() - 1);
    Ok(Value::None)
}

fn semlock_release(vm: &Vm, args: Args) -> PyResult {
    let s = this(vm, &args, "release")?;
    vm.check_arity("SemLock.release", rest(&args), 0, 0)?;
    release(vm, s)
}

fn semlock_enter(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("SemLock.__enter__", rest(&args), 0, 0)?;
    semlock_acquire(vm, Args::new(&args.args[..1]))
}

fn semlock_exit(vm: &Vm, args: Args) -> PyResult {
    let s = this(vm, &args, "__exit__")?;
    bind(vm, "__exit__", rest(&args), &["exc_type", "exc_value", "exc_tb"], 0)?;
    release(vm, s)
}

fn semlock_count(vm: &Vm, args: Args) -> PyResult {
    let s = this(vm, &args, "_count")?;
    vm.check_arity("SemLock._count", rest(&args), 0, 0)?;
    Ok(Value::Int(s.count.get()))
}

fn semlock_is_mine(vm: &Vm, args: Args) -> PyResult {
    let s = this(vm, &args, "_is_mine")?;
    vm.check_arity("SemLock._is_mine", rest(&args), 0, 0)?;
    Ok(Value::Bool(s.is_mine()))
}

fn semlock_get_value(vm: &Vm, args: Args) -> PyResult {
    let s = this(vm, &args, "_get_value")?;
    vm.check_arity("SemLock._get_value", rest(&args), 0, 0)?;
    // Some systems report waiters as a negative value.
    Ok(Value::Int(s.value(vm)?.max(0) as i64))
}

fn semlock_is_zero(vm: &Vm, args: Args) -> PyResult {
    let s = this(vm, &args, "_is_zero")?;
    vm.check_arity("SemLock._is_zero", rest(&args), 0, 0)?;
    Ok(Value::Bool(s.value(vm)? == 0))
}

/// In a child process: the parent's holds are not the child's.
fn semlock_after_fork(vm: &Vm, args: Args) -> PyResult {
    let s = this(vm, &args, "_after_fork")?;
    vm.check_arity("SemLock._after_fork", rest(&args), 0, 0)?;
    s.count.set(0);
    Ok(Value::None)
}

fn state_of<'a>(vm: &Vm, v: &'a Value, attr: &str) -> PyResult<&'a SemLock> {
    v.payload().and_then(|p| p.as_native::<SemLock>()).ok_or_else(|| {
        vm.new_type_error(format!(
            "descriptor '{attr}' for '_multiprocessing.SemLock' objects doesn't apply to a '{}' object",
            vm.type_name_of(v)
        ))
    })
}

fn get_handle(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(state_of(vm, v, "handle")?.handle as usize as i64))
}

fn get_kind(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(state_of(vm, v, "kind")?.kind as i64))
}

fn get_maxvalue(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(state_of(vm, v, "maxvalue")?.maxvalue as i64))
}

fn get_name(vm: &Vm, v: &Value) -> PyResult {
    Ok(match &state_of(vm, v, "name")?.name {
        Some(n) => vm.new_str(n.as_str()),
        None => Value::None,
    })
}

fn sem_unlink(vm: &Vm, args: Args) -> PyResult {
    crate::native::no_kwargs(vm, "sem_unlink", &args)?;
    if args.args.len() != 1 {
        let n = args.args.len();
        return Err(vm.new_type_error(format!("_multiprocessing.sem_unlink() takes exactly one argument ({n} given)")));
    }
    let v = &args.args[0];
    let Some(name) = vm.as_str(v) else {
        return Err(vm.new_type_error(format!("sem_unlink() argument must be str, not {}", vm.type_name_of(v))));
    };
    let cname = name_cstr(vm, name)?;
    // SAFETY: `cname` is a live C string.
    if unsafe { libc::sem_unlink(cname.as_ptr()) } < 0 {
        return Err(crate::posix::path::errno_err(vm, None));
    }
    Ok(Value::None)
}

static METHODS: [NativeDef; 11] = [
    NativeDef::staticmethod("__new__", semlock_new),
    NativeDef::method("acquire", semlock_acquire),
    NativeDef::method("release", semlock_release),
    NativeDef::method("__enter__", semlock_enter),
    NativeDef::method("__exit__", semlock_exit),
    NativeDef::method("_count", semlock_count),
    NativeDef::method("_is_mine", semlock_is_mine),
    NativeDef::method("_get_value", semlock_get_value),
    NativeDef::method("_is_zero", semlock_is_zero),
    NativeDef::method("_after_fork", semlock_after_fork),
    NativeDef::classmethod("_rebuild", semlock_rebuild),
];

static GETSETS: [GetSetDef; 4] = [
    GetSetDef { name: "handle", get: get_handle, set: None, doc: "" },
    GetSetDef { name: "kind", get: get_kind, set: None, doc: "" },
    GetSetDef { name: "maxvalue", get: get_maxvalue, set: None, doc: "" },
    GetSetDef { name: "name", get: get_name, set: None, doc: "" },
];

static SEMLOCK: TypeSpec = TypeSpec {
    module: "_multiprocessing",
    name: "SemLock",
    doc: "Semaphore/Mutex type",
    layout: Layout::Other,
    flags: type_flags::BASETYPE,
    base: None,
    slots: &[],
    methods: &METHODS,
    more_methods: &[],
    getsets: &GETSETS,
};

static FUNCS: &[NativeDef] = &[NativeDef::function("sem_unlink", sem_unlink)];

/// Creates the `_multiprocessing` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let t = semlock_type(vm);
    krait_vm::types::add_attr(vm, &t, "SEM_VALUE_MAX", Value::Int(SEM_VALUE_MAX));
    let flags = Value::Obj(vm.new_dict());
    vm.setitem(&flags, &vm.new_str("HAVE_SEM_OPEN"), Value::Int(1))?;
    vm.setitem(&flags, &vm.new_str("HAVE_SEM_TIMEDWAIT"), Value::Int(1))?;
    let attrs = vec![("SemLock", Value::Obj(t)), ("flags", flags)];
    Ok(crate::native::make_module(vm, "_multiprocessing", "", FUNCS, attrs))
}
