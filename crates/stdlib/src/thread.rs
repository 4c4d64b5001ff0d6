//! The `_thread` module for a single-threaded interpreter: locks, RLock,
//! thread identity and `_local`. `start_new_thread` raises RuntimeError
//! ("can't start new thread") until krait runs real threads. Because no
//! other thread can release a lock, a blocking acquire of a held lock
//! without a timeout would wait forever; it raises RuntimeError instead of
//! hanging, and one with a timeout sleeps that long and fails, as it would.

use crate::native::{bind, descr_error, native_type, new_object, new_object_with_dict, unpack, TypeSpec};
use krait_vm::payload::GetSetDef;
use krait_vm::types::float::float_of;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::Cell;

const TIMEOUT_MAX: f64 = 9223372036.0;

thread_local! {
    static IDENT_ANCHOR: u8 = const { 0 };
    static STACK_SIZE: Cell<i64> = const { Cell::new(0) };
}

/// A number identifying the running thread (like pthread_self, an address).
fn ident() -> i64 {
    IDENT_ANCHOR.with(|a| a as *const u8 as usize as i64)
}

fn get_ident(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("get_ident", args, 0, 0)?;
    Ok(Value::Int(ident()))
}

/// The kernel's id of the thread (Linux: the tid in /proc/thread-self).
fn get_native_id(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("get_native_id", args, 0, 0)?;
    let tid = std::fs::read_link("/proc/thread-self")
        .ok()
        .and_then(|p| p.file_name().and_then(|n| n.to_str()).and_then(|s| s.parse::<i64>().ok()))
        .unwrap_or(std::process::id() as i64);
    Ok(Value::Int(tid))
}

/// acquire()'s (blocking, timeout) as a wait in seconds: None waits forever.
fn acquire_args(vm: &Vm, args: Args) -> PyResult<(bool, Option<f64>)> {
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
    Ok((blocking, if !blocking { Some(0.0) } else if timeout == -1.0 { None } else { Some(timeout) }))
}

/// Waiting for a lock only this thread could release.
fn wait_held(vm: &Vm, wait: Option<f64>) -> PyResult {
    match wait {
        None => Err(vm.new_runtime_error("deadlock: the only thread waits for a lock it holds")),
        Some(secs) => {
            if secs > 0.0 {
                std::thread::sleep(std::time::Duration::from_secs_f64(secs));
            }
            Ok(Value::Bool(false))
        }
    }
}

// ---- lock ----

struct Lock {
    locked: Cell<bool>,
}

/// Holds no Python references.
impl krait_vm::gc::NativeData for Lock {}

fn lock_type(vm: &Vm) -> PyRef {
    native_type(vm, &LOCK)
}

fn new_lock(vm: &Vm) -> Value {
    let t = lock_type(vm);
    new_object(vm, &t, &t, Lock { locked: Cell::new(false) })
}

fn lock_of<'a>(vm: &Vm, args: &Args<'a>, name: &str) -> PyResult<(&'a Value, &'a Lock)> {
    let v = args.args.first().ok_or_else(|| vm.new_type_error(format!("descriptor '{name}' needs an argument")))?;
    let l = v.payload().and_then(|p| p.as_native::<Lock>()).ok_or_else(|| descr_error(vm, name, "_thread.lock", v))?;
    Ok((v, l))
}

fn rest<'a>(args: &Args<'a>) -> Args<'a> {
    Args { args: &args.args[1..], kwnames: args.kwnames }
}

fn lock_acquire(vm: &Vm, args: Args) -> PyResult {
    let (_, l) = lock_of(vm, &args, "acquire")?;
    let (_, wait) = acquire_args(vm, rest(&args))?;
    if !l.locked.get() {
        l.locked.set(true);
        return Ok(Value::Bool(true));
    }
    wait_held(vm, wait)
}

fn lock_enter(vm: &Vm, args: Args) -> PyResult {
    let (_, l) = lock_of(vm, &args, "__enter__")?;
    let (_, wait) = acquire_args(vm, rest(&args))?;
    if !l.locked.get() {
        l.locked.set(true);
        return Ok(Value::Bool(true));
    }
    wait_held(vm, wait)
}

fn lock_release(vm: &Vm, args: Args) -> PyResult {
    let (_, l) = lock_of(vm, &args, "release")?;
    if !l.locked.get() {
        return Err(vm.new_runtime_error("release unlocked lock"));
    }
    l.locked.set(false);
    Ok(Value::None)
}

fn lock_exit(vm: &Vm, args: Args) -> PyResult {
    lock_release(vm, Args::new(&args.args[..1.min(args.args.len())]))
}

fn lock_locked(vm: &Vm, args: Args) -> PyResult {
    let (_, l) = lock_of(vm, &args, "locked")?;
    Ok(Value::Bool(l.locked.get()))
}

fn lock_reinit(vm: &Vm, args: Args) -> PyResult {
    let (_, l) = lock_of(vm, &args, "_at_fork_reinit")?;
    l.locked.set(false);
    Ok(Value::None)
}

fn lock_repr(vm: &Vm, args: Args) -> PyResult {
    let (v, l) = lock_of(vm, &args, "__repr__")?;
    let state = if l.locked.get() { "locked" } else { "unlocked" };
    Ok(vm.new_str(format!("<{state} {} object at {:#x}>", vm.type_name_of(v), v.id())))
}

// ---- RLock ----

struct RLock {
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
    Ok(new_object(vm, &cls, &t, RLock { owner: Cell::new(0), count: Cell::new(0) }))
}

fn rlock_acquire(vm: &Vm, args: Args) -> PyResult {
    let (_, r) = rlock_of(vm, &args, "acquire")?;
    let (_, wait) = acquire_args(vm, rest(&args))?;
    let me = ident();
    if r.count.get() > 0 && r.owner.get() == me {
        r.count.set(r.count.get().checked_add(1).ok_or_else(|| vm.new_overflow_error("Internal lock count overflowed"))?);
        return Ok(Value::Bool(true));
    }
    if r.count.get() == 0 {
        r.owner.set(me);
        r.count.set(1);
        return Ok(Value::Bool(true));
    }
    wait_held(vm, wait)
}

fn rlock_release(vm: &Vm, args: Args) -> PyResult {
    let (_, r) = rlock_of(vm, &args, "release")?;
    if r.count.get() == 0 || r.owner.get() != ident() {
        return Err(vm.new_runtime_error("cannot release un-acquired lock"));
    }
    r.count.set(r.count.get() - 1);
    if r.count.get() == 0 {
        r.owner.set(0);
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

fn rlock_release_save(vm: &Vm, args: Args) -> PyResult {
    let (_, r) = rlock_of(vm, &args, "_release_save")?;
    if r.count.get() == 0 {
        return Err(vm.new_runtime_error("cannot release un-acquired lock"));
    }
    let state = vm.new_tuple(vec![Value::Int(r.count.get()), Value::Int(r.owner.get())]);
    r.count.set(0);
    r.owner.set(0);
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
    if r.count.get() > 0 && r.owner.get() != owner {
        return Err(vm.new_runtime_error("deadlock: the only thread waits for a lock it holds"));
    }
    r.count.set(count);
    r.owner.set(owner);
    Ok(Value::None)
}

fn rlock_reinit(vm: &Vm, args: Args) -> PyResult {
    let (_, r) = rlock_of(vm, &args, "_at_fork_reinit")?;
    r.count.set(0);
    r.owner.set(0);
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

// ---- _local ----

/// The native state of a `_local` (its attributes live in its dict).
struct Local;

/// Holds no Python references (the instance dict is the object's own).
impl krait_vm::gc::NativeData for Local {}

/// `_local()`: one thread, so its attributes are those of a plain object with a dict.
fn local_new(vm: &Vm, args: Args) -> PyResult {
    let t = native_type(vm, &LOCAL);
    let (cls, rest) = crate::native::split_new(vm, args, &t)?;
    if !rest.args.is_empty() {
        let init = vm.type_lookup_str(&cls, "__init__");
        let base_init = vm.type_lookup_str(&vm.types.object, "__init__");
        if matches!((&init, &base_init), (Some(a), Some(b)) if a.is(b)) {
            return Err(vm.new_type_error("Initialization arguments are not supported"));
        }
    }
    Ok(new_object_with_dict(&cls, Local))
}

// ---- module functions ----

fn allocate_lock(vm: &Vm, args: Args) -> PyResult {
    if !args.args.is_empty() || args.has_kwargs() {
        return Err(vm.new_type_error(format!("_thread.allocate_lock() takes no arguments ({} given)", args.args.len())));
    }
    Ok(new_lock(vm))
}

fn set_sentinel(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("_set_sentinel", args, 0, 0)?;
    Ok(new_lock(vm))
}

fn count(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("_count", args, 0, 0)?;
    Ok(Value::Int(0))
}

fn stack_size(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "stack_size", &args, 0, 1)?;
    let old = STACK_SIZE.with(|s| s.get());
    if let Some(v) = a.first() {
        let n = crate::native::ssize(vm, v)?;
        if n < 0 {
            return Err(vm.new_value_error("size must be 0 or a positive value"));
        }
        if n != 0 && n < 32768 {
            return Err(vm.new_value_error(format!("size not valid: {n} bytes")));
        }
        STACK_SIZE.with(|s| s.set(n));
    }
    Ok(Value::Int(old))
}

fn start_new_thread(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "start_new_thread", &args, 2, 3)?;
    if !vm.is_callable(&a[0]) {
        return Err(vm.new_type_error("first arg must be callable"));
    }
    if a[1].payload().and_then(|p| p.as_tuple()).is_none() {
        return Err(vm.new_type_error("2nd arg must be a tuple"));
    }
    if let Some(kw) = a.get(2) {
        if kw.payload().and_then(|p| p.as_dict()).is_none() {
            return Err(vm.new_type_error("optional 3rd arg must be a dictionary"));
        }
    }
    Err(vm.new_runtime_error("can't start new thread"))
}

fn exit(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("exit", args, 0, 0)?;
    Err(vm.new_exception(&vm.exc.system_exit, vec![]).into())
}

/// `interrupt_main(signum=SIGINT)`: the main thread is the caller, so the
/// KeyboardInterrupt is raised here.
fn interrupt_main(vm: &Vm, args: Args) -> PyResult {
    let a = bind(vm, "interrupt_main", args, &["signum"], 0)?;
    let signum = match &a[0] {
        Some(v) => vm.to_index_i64(v)?,
        None => 2,
    };
    if !(1..65).contains(&signum) {
        return Err(vm.new_value_error("signal number out of range"));
    }
    if signum != 2 {
        return Ok(Value::None);
    }
    Err(vm.new_exception(&vm.exc.keyboard_interrupt, vec![]).into())
}

static LOCK_METHODS: [NativeDef; 10] = [
    NativeDef::method("acquire", lock_acquire),
    NativeDef::method("acquire_lock", lock_acquire),
    NativeDef::method("release", lock_release),
    NativeDef::method("release_lock", lock_release),
    NativeDef::method("locked", lock_locked),
    NativeDef::method("locked_lock", lock_locked),
    NativeDef::method("__enter__", lock_enter),
    NativeDef::method("__exit__", lock_exit),
    NativeDef::method("_at_fork_reinit", lock_reinit),
    NativeDef::method("__repr__", lock_repr),
];

static RLOCK_METHODS: [NativeDef; 10] = [
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

static LOCAL_METHODS: [NativeDef; 1] = [NativeDef::staticmethod("__new__", local_new)];
static LOCAL_GETSETS: [GetSetDef; 1] =
    [GetSetDef { name: "__dict__", get: crate::native::dict_get, set: Some(crate::native::dict_set), doc: "" }];

const fn spec(name: &'static str, doc: &'static str, flags: u32, methods: &'static [NativeDef], getsets: &'static [GetSetDef]) -> TypeSpec {
    TypeSpec { module: "_thread", name, doc, layout: Layout::Other, flags, base: None, slots: &[], methods, more_methods: &[], getsets }
}

const W: u32 = type_flags::HAS_WEAKREF;
static LOCK: TypeSpec = spec("lock", "A lock object is a synchronization primitive.", W, &LOCK_METHODS, &[]);
static RLOCK: TypeSpec = spec("RLock", "", type_flags::BASETYPE | W, &RLOCK_METHODS, &[]);
static LOCAL: TypeSpec =
    spec("_local", "Thread-local data", type_flags::BASETYPE | type_flags::HAS_DICT | W, &LOCAL_METHODS, &LOCAL_GETSETS);

static FUNCS: [NativeDef; 12] = [
    NativeDef::function("allocate_lock", allocate_lock),
    NativeDef::function("allocate", allocate_lock),
    NativeDef::function("get_ident", get_ident),
    NativeDef::function("get_native_id", get_native_id),
    NativeDef::function("_count", count),
    NativeDef::function("_set_sentinel", set_sentinel),
    NativeDef::function("stack_size", stack_size),
    NativeDef::function("start_new_thread", start_new_thread),
    NativeDef::function("start_new", start_new_thread),
    NativeDef::function("exit", exit),
    NativeDef::function("exit_thread", exit),
    NativeDef::function("interrupt_main", interrupt_main),
];

/// Creates the `_thread` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let attrs = vec![
        ("LockType", Value::Obj(lock_type(vm))),
        ("RLock", Value::Obj(native_type(vm, &RLOCK))),
        ("_local", Value::Obj(native_type(vm, &LOCAL))),
        ("error", Value::Obj(vm.exc.runtime_error.clone())),
        ("TIMEOUT_MAX", Value::Float(TIMEOUT_MAX)),
    ];
    let doc = "This module provides primitive operations to write multi-threaded programs.\nThe 'threading' module provides a more convenient interface.";
    Ok(crate::native::make_module(vm, "_thread", doc, &FUNCS, attrs))
}
