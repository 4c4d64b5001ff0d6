//! `_thread.lock` and `_thread.RLock`. A lock may be released by another
//! thread than the one that took it, so it is a flag under a mutex with a
//! condition variable, not a Rust mutex. Waiting releases the GIL; in the
//! main thread the wait wakes every 50 ms to run signal handlers, so Ctrl-C
//! interrupts a blocked `acquire` as in CPython.

use super::{ident, TIMEOUT_MAX};
use crate::native::{bind, descr_error, native_type, new_object, unpack, TypeSpec};
use krait_vm::types::float::float_of;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::Cell;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The shared part of a lock: what a thread waits on without the GIL.
#[derive(Default)]
pub struct RawLock {
    locked: Mutex<bool>,
    unlocked: Condvar,
}

impl RawLock {
    fn state(&self) -> MutexGuard<'_, bool> {
        self.locked.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn try_acquire(&self) -> bool {
        let mut l = self.state();
        !std::mem::replace(&mut *l, true)
    }

    pub fn is_locked(&self) -> bool {
        *self.state()
    }

    /// Unlocks; false if it was not locked.
    pub fn release(&self) -> bool {
        let mut l = self.state();
        if !*l {
            return false;
        }
        *l = false;
        drop(l);
        self.unlocked.notify_one();
        true
    }

    pub fn force_unlocked(&self) {
        *self.state() = false;
    }

    /// Blocks (without the GIL) until the lock is taken, `deadline` passes
    /// or `slice` elapses; true when taken.
    fn wait_acquire(&self, deadline: Option<Instant>, slice: Option<Duration>) -> bool {
        let start = Instant::now();
        let end = match (deadline, slice.map(|s| start + s)) {
            (Some(d), Some(s)) => Some(d.min(s)),
            (d, s) => d.or(s),
        };
        let mut l = self.state();
        loop {
            if !*l {
                *l = true;
                return true;
            }
            match end {
                None => l = self.unlocked.wait(l).unwrap_or_else(|e| e.into_inner()),
                Some(end) => {
                    let now = Instant::now();
                    if now >= end {
                        return false;
                    }
                    l = self.unlocked.wait_timeout(l, end - now).unwrap_or_else(|e| e.into_inner()).0;
                }
            }
        }
    }
}

/// Takes `raw`, waiting at most `wait` seconds (None: for ever) with the
/// GIL released. Signal handlers run in the main thread while it waits.
pub fn acquire_raw(vm: &Vm, raw: &RawLock, wait: Option<f64>) -> PyResult<bool> {
    if raw.try_acquire() {
        return Ok(true);
    }
    if wait == Some(0.0) {
        return Ok(false);
    }
    let deadline = wait.map(|s| Instant::now() + Duration::from_secs_f64(s));
    let slice = vm.gil.is_main_thread().then(|| Duration::from_millis(50));
    loop {
        if vm.allow_threads(|| raw.wait_acquire(deadline, slice)) {
            return Ok(true);
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Ok(false);
        }
        if crate::signal::pending() {
            crate::signal::check_signals(vm)?;
        }
    }
}

/// acquire()'s (blocking, timeout) as a wait in seconds: None waits forever.
fn acquire_args(vm: &Vm, args: Args) -> PyResult<Option<f64>> {
    let a = bind(vm, "acquire", args, &["blocking", "timeout"], 0)?;
    let blocking = match &a[0] {
        Some(v) => vm.truthy(v)?,
        None => true,
    };
    let timeout = match &a[1] {
        None => -1.0,
        Some(v) => match float_of(v) {
            Some(f) => f,
            None => match vm.index(v)? {
                Value::Int(i) => i as f64,
                _ => return Err(vm.new_overflow_error("timestamp too large to convert to C _PyTime_t")),
            },
        },
    };
    if !blocking && timeout != -1.0 {
        return Err(vm.new_value_error("can't specify a timeout for a non-blocking call"));
    }
    if timeout < 0.0 && timeout != -1.0 {
        return Err(vm.new_value_error("timeout value must be positive"));
    }
    if timeout > TIMEOUT_MAX {
        return Err(vm.new_overflow_error("timeout value is too large"));
    }
    Ok(if !blocking { Some(0.0) } else if timeout == -1.0 { None } else { Some(timeout) })
}

fn rest<'a>(args: &Args<'a>) -> Args<'a> {
    Args { args: &args.args[1..], kwnames: args.kwnames }
}

// ---- lock ----

pub struct Lock {
    pub raw: RawLock,
}

/// Holds no Python references.
impl krait_vm::gc::NativeData for Lock {}

fn lock_type(vm: &Vm) -> PyRef {
    native_type(vm, &LOCK)
}

/// A new unlocked `_thread.lock`.
pub fn new_lock(vm: &Vm) -> Value {
    let t = lock_type(vm);
    new_object(vm, &t, &t, Lock { raw: RawLock::default() })
}

/// The state of a `_thread.lock` object.
pub fn lock_state(v: &Value) -> Option<&Lock> {
    v.payload().and_then(|p| p.as_native::<Lock>())
}

fn lock_of<'a>(vm: &Vm, args: &Args<'a>, name: &str) -> PyResult<(&'a Value, &'a Lock)> {
    let v = args.args.first().ok_or_else(|| vm.new_type_error(format!("descriptor '{name}' needs an argument")))?;
    let l = lock_state(v).ok_or_else(|| descr_error(vm, name, "_thread.lock", v))?;
    Ok((v, l))
}

fn lock_acquire(vm: &Vm, args: Args) -> PyResult {
    let (_, l) = lock_of(vm, &args, "acquire")?;
    let wait = acquire_args(vm, rest(&args))?;
    Ok(Value::Bool(acquire_raw(vm, &l.raw, wait)?))
}

fn lock_release(vm: &Vm, args: Args) -> PyResult {
    let (_, l) = lock_of(vm, &args, "release")?;
    if !l.raw.release() {
        return Err(vm.new_runtime_error("release unlocked lock"));
    }
    Ok(Value::None)
}

fn lock_exit(vm: &Vm, args: Args) -> PyResult {
    lock_release(vm, Args::new(&args.args[..1.min(args.args.len())]))
}

fn lock_locked(vm: &Vm, args: Args) -> PyResult {
    let (_, l) = lock_of(vm, &args, "locked")?;
    Ok(Value::Bool(l.raw.is_locked()))
}

fn lock_reinit(vm: &Vm, args: Args) -> PyResult {
    let (_, l) = lock_of(vm, &args, "_at_fork_reinit")?;
    l.raw.force_unlocked();
    Ok(Value::None)
}

fn lock_repr(vm: &Vm, args: Args) -> PyResult {
    let (v, l) = lock_of(vm, &args, "__repr__")?;
    let state = if l.raw.is_locked() { "locked" } else { "unlocked" };
    Ok(vm.new_str(format!("<{state} {} object at {:#x}>", vm.type_name_of(v), v.id())))
}

// ---- RLock ----

/// The owner and count change only in the owning thread, with the GIL held.
struct RLock {
    raw: RawLock,
    owner: Cell<i64>,
    count: Cell<i64>,
}

/// Holds no Python references.
impl krait_vm::gc::NativeData for RLock {}

fn rlock_of<'a>(vm: &Vm, args: &Args<'a>, name: &str) -> PyResult<(&'a Value, &'a RLock)> {
    let v = args.args.first().ok_or_else(|| vm.new_type_error(format!("descriptor '{name}' needs an argument")))?;
    let l = v.payload().and_then(|p| p.as_native::<RLock>()).ok_or_else(|| descr_error(vm, name, "_thread.RLock", v))?;
    Ok((v, l))
}

fn rlock_new(vm: &Vm, args: Args) -> PyResult {
    let t = native_type(vm, &RLOCK);
    let (cls, _) = crate::native::split_new(vm, args, &t)?;
    Ok(new_object(vm, &cls, &t, RLock { raw: RawLock::default(), owner: Cell::new(0), count: Cell::new(0) }))
}

fn rlock_acquire(vm: &Vm, args: Args) -> PyResult {
    let (_, r) = rlock_of(vm, &args, "acquire")?;
    let wait = acquire_args(vm, rest(&args))?;
    let me = ident();
    if r.count.get() > 0 && r.owner.get() == me {
        r.count.set(r.count.get().checked_add(1).ok_or_else(|| vm.new_overflow_error("Internal lock count overflowed"))?);
        return Ok(Value::Bool(true));
    }
    if !acquire_raw(vm, &r.raw, wait)? {
        return Ok(Value::Bool(false));
    }
    r.owner.set(me);
    r.count.set(1);
    Ok(Value::Bool(true))
}

fn rlock_release(vm: &Vm, args: Args) -> PyResult {
    let (_, r) = rlock_of(vm, &args, "release")?;
    if r.count.get() == 0 || r.owner.get() != ident() {
        return Err(vm.new_runtime_error("cannot release un-acquired lock"));
    }
    r.count.set(r.count.get() - 1);
    if r.count.get() == 0 {
        r.owner.set(0);
        r.raw.release();
    }
    Ok(Value::None)
}

fn rlock_exit(vm: &Vm, args: Args) -> PyResult {
    rlock_release(vm, Args::new(&args.args[..1.min(args.args.len())]))
}

fn rlock_is_owned(vm: &Vm, args: Args) -> PyResult {
    let (_, r) = rlock_of(vm, &args, "_is_owned")?;
    Ok(Value::Bool(r.count.get() > 0 && r.owner.get() == ident()))
}

/// `_recursion_count()`: how often the calling thread holds the lock.
fn rlock_recursion_count(vm: &Vm, args: Args) -> PyResult {
    let (_, r) = rlock_of(vm, &args, "_recursion_count")?;
    Ok(Value::Int(if r.owner.get() == ident() { r.count.get() } else { 0 }))
}

fn rlock_release_save(vm: &Vm, args: Args) -> PyResult {
    let (_, r) = rlock_of(vm, &args, "_release_save")?;
    if r.count.get() == 0 {
        return Err(vm.new_runtime_error("cannot release un-acquired lock"));
    }
    let state = vm.new_tuple(vec![Value::Int(r.count.get()), Value::Int(r.owner.get())]);
    r.count.set(0);
    r.owner.set(0);
    r.raw.release();
    Ok(state)
}

fn rlock_acquire_restore(vm: &Vm, args: Args) -> PyResult {
    let (_, r) = rlock_of(vm, &args, "_acquire_restore")?;
    let a = unpack(vm, "_acquire_restore", &rest(&args), 1, 1)?;
    let items = a[0].payload().and_then(|p| p.as_tuple()).map(|t| t.to_vec()).unwrap_or_default();
    if items.len() != 2 {
        return Err(vm.new_type_error(format!("_acquire_restore() argument 1 must be tuple, not {}", vm.type_name_of(&a[0]))));
    }
    let count = vm.to_index_i64(&items[0])?;
    let owner = vm.to_index_i64(&items[1])?;
    acquire_raw(vm, &r.raw, None)?;
    r.count.set(count);
    r.owner.set(owner);
    Ok(Value::None)
}

fn rlock_reinit(vm: &Vm, args: Args) -> PyResult {
    let (_, r) = rlock_of(vm, &args, "_at_fork_reinit")?;
    r.count.set(0);
    r.owner.set(0);
    r.raw.force_unlocked();
    Ok(Value::None)
}

fn rlock_repr(vm: &Vm, args: Args) -> PyResult {
    let (v, r) = rlock_of(vm, &args, "__repr__")?;
    let state = if r.count.get() > 0 { "locked" } else { "unlocked" };
    Ok(vm.new_str(format!(
        "<{state} {} object owner={} count={} at {:#x}>",
        vm.type_name_of(v),
        r.owner.get(),
        r.count.get(),
        v.id()
    )))
}

static LOCK_METHODS: [NativeDef; 10] = [
    NativeDef::method("acquire", lock_acquire),
    NativeDef::method("acquire_lock", lock_acquire),
    NativeDef::method("release", lock_release),
    NativeDef::method("release_lock", lock_release),
    NativeDef::method("locked", lock_locked),
    NativeDef::method("locked_lock", lock_locked),
    NativeDef::method("__enter__", lock_acquire),
    NativeDef::method("__exit__", lock_exit),
    NativeDef::method("_at_fork_reinit", lock_reinit),
    NativeDef::method("__repr__", lock_repr),
];

static RLOCK_METHODS: [NativeDef; 11] = [
    NativeDef::method("_recursion_count", rlock_recursion_count),
    NativeDef::staticmethod("__new__", rlock_new),
    NativeDef::method("acquire", rlock_acquire),
    NativeDef::method("release", rlock_release),
    NativeDef::method("__enter__", rlock_acquire),
    NativeDef::method("__exit__", rlock_exit),
    NativeDef::method("_is_owned", rlock_is_owned),
    NativeDef::method("_release_save", rlock_release_save),
    NativeDef::method("_acquire_restore", rlock_acquire_restore),
    NativeDef::method("_at_fork_reinit", rlock_reinit),
    NativeDef::method("__repr__", rlock_repr),
];

pub static LOCK: TypeSpec = super::spec("lock", "A lock object is a synchronization primitive.", super::W, &LOCK_METHODS, &[]);
pub static RLOCK: TypeSpec =
    super::spec("RLock", "", krait_vm::types::typeobj::type_flags::BASETYPE | super::W, &RLOCK_METHODS, &[]);
