//! The `_thread` module: real OS threads running under the GIL
//! (krait_vm::gil), locks (`lock.rs`), thread identity and `_local`
//! (`local.rs`).
//!
//! `start_new_thread` starts an OS thread that takes the GIL and calls the
//! function; an exception other than SystemExit escaping it is reported as
//! CPython's "Exception ignored in thread started by: ...". When the thread
//! is done, its `_set_sentinel` locks are released (this is what
//! `threading.Thread.join` waits on) and its `_local` dicts go, all with the
//! GIL held; then it releases the GIL for good.

mod local;
mod lock;

use crate::native::{bind, unpack, TypeSpec};
use krait_vm::payload::GetSetDef;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::{Cell, RefCell};

pub use lock::{acquire_raw, lock_state, new_lock, RawLock};

const TIMEOUT_MAX: f64 = 9223372036.0;

/// A new thread's native stack unless `stack_size()` set one: address space
/// only, committed as used.
const DEFAULT_STACK: usize = 64 << 20;
/// The part of a thread's stack kept back from Python code (the recursion
/// check raises RecursionError before it is reached).
const STACK_RESERVE: usize = 1 << 20;

/// The interpreter's thread bookkeeping.
#[derive(Default)]
struct Threads {
    /// Threads started by `start_new_thread` that have not ended (`_count`).
    running: Cell<usize>,
    /// The stack size for new threads (`stack_size`); 0 for the default.
    stack_size: Cell<usize>,
    /// The `_set_sentinel` locks of each thread (by `gil::thread_serial`),
    /// released when it ends. Kept here rather than in a thread-local, so
    /// they are dropped with the GIL held and with the interpreter.
    sentinels: RefCell<std::collections::HashMap<u64, Vec<Value>>>,
}

/// The running thread's ident: its `pthread_t`, as CPython's.
pub fn ident() -> i64 {
    // SAFETY: pthread_self has no preconditions.
    unsafe { libc::pthread_self() as i64 }
}

/// The idents of the threads that run Python and have not finished: the
/// main thread (noted when `_signal` is set up) and those
/// `start_new_thread` made. pthread_kill on any other `pthread_t` is
/// undefined behaviour (CPython crashes there), so `signal.pthread_kill`
/// asks this first.
static LIVE: std::sync::Mutex<Vec<i64>> = std::sync::Mutex::new(Vec::new());

fn live() -> std::sync::MutexGuard<'static, Vec<i64>> {
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// In a forked child only the forking thread is left.
pub fn after_fork_child() {
    *live() = vec![ident()];
}

/// Counts the running thread among the live ones (until `forget_thread`);
/// with the GIL held, like every use of `LIVE`.
pub fn note_thread() {
    let me = ident();
    let mut l = live();
    if !l.contains(&me) {
        l.push(me);
    }
}

fn forget_thread() {
    let me = ident();
    live().retain(|&t| t != me);
}

/// Is `id` a thread that may be signalled?
pub fn is_live(id: i64) -> bool {
    id == ident() || live().contains(&id)
}

fn get_ident(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("get_ident", args, 0, 0)?;
    Ok(Value::Int(ident()))
}

/// The kernel's id of the thread.
fn get_native_id(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("get_native_id", args, 0, 0)?;
    // SAFETY: gettid has no preconditions.
    Ok(Value::Int(unsafe { libc::gettid() } as i64))
}

// ---- module functions ----

fn allocate_lock(vm: &Vm, args: Args) -> PyResult {
    if !args.args.is_empty() || args.has_kwargs() {
        return Err(vm.new_type_error(format!("_thread.allocate_lock() takes no arguments ({} given)", args.args.len())));
    }
    Ok(new_lock(vm))
}

/// `_set_sentinel()`: a lock (the caller takes it) that is released when
/// this thread ends.
fn set_sentinel(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("_set_sentinel", args, 0, 0)?;
    let l = new_lock(vm);
    let me = krait_vm::gil::thread_serial();
    vm.state::<Threads>().sentinels.borrow_mut().entry(me).or_default().push(l.clone());
    Ok(l)
}

fn count(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("_count", args, 0, 0)?;
    Ok(Value::Int(vm.state::<Threads>().running.get() as i64))
}

fn stack_size(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "stack_size", &args, 0, 1)?;
    let threads = vm.state::<Threads>();
    let old = threads.stack_size.get();
    if let Some(v) = a.first() {
        let n = crate::native::ssize(vm, v)?;
        if n < 0 {
            return Err(vm.new_value_error("size must be 0 or a positive value"));
        }
        if n != 0 && n < 32768 {
            return Err(vm.new_value_error(format!("size not valid: {n} bytes")));
        }
        threads.stack_size.set(n as usize);
    }
    Ok(Value::Int(old as i64))
}

/// `start_new_thread(function, args, kwargs=None)`: returns the new thread's ident.
fn start_new_thread(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "start_new_thread", &args, 2, 3)?;
    if !vm.is_callable(&a[0]) {
        return Err(vm.new_type_error("first arg must be callable"));
    }
    if a[1].payload().and_then(|p| p.as_tuple()).is_none() {
        return Err(vm.new_type_error("2nd arg must be a tuple"));
    }
    let kwargs = match a.get(2) {
        Some(kw) if kw.payload().and_then(|p| p.as_dict()).is_none() => {
            return Err(vm.new_type_error("optional 3rd arg must be a dictionary"));
        }
        kw => kw.cloned(),
    };
    let threads = vm.state::<Threads>();
    let size = match threads.stack_size.get() {
        0 => DEFAULT_STACK,
        n => n.max(2 * STACK_RESERVE),
    };
    vm.gil.set_threaded();
    let start = Start { func: a[0].clone(), args: a[1].clone(), kwargs, null: krait_vm::eval::frame::null() };
    let handle = krait_vm::gil::VmHandle::new(vm);
    let (tx, rx) = std::sync::mpsc::channel::<i64>();
    threads.running.set(threads.running.get() + 1);
    let spawned = std::thread::Builder::new().stack_size(size).spawn(move || {
        let marker = 0u8;
        let top = &marker as *const u8 as usize;
        // SAFETY: `begin_thread` takes the GIL before anything touches a
        // Python object; the interpreter outlives its threads (a finalizing
        // interpreter parks them when they ask for the GIL again).
        let vm = unsafe { handle.get() };
        vm.begin_thread(top.saturating_sub(size - STACK_RESERVE), &start.null);
        // Counted live before its ident is handed out, so pthread_kill with
        // it works at once; under the GIL, so a fork never copies `LIVE` locked.
        note_thread();
        let _ = tx.send(ident());
        // A panic is a bug; unwinding out of here would leave the GIL held
        // and every other thread waiting, so the process ends instead (the
        // panic message is already printed), as the main thread's would.
        let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_thread(vm, start)));
        if ran.is_err() {
            std::process::exit(70);
        }
        forget_thread();
        vm.end_thread();
    });
    match spawned {
        Ok(_) => {
            // The new thread sends its ident once it has the GIL and is counted live.
            let id = vm.allow_threads(move || rx.recv().unwrap_or(0));
            Ok(Value::Int(id))
        }
        Err(_) => {
            threads.running.set(threads.running.get() - 1);
            Err(vm.new_runtime_error("can't start new thread"))
        }
    }
}

/// What a new thread runs.
struct Start {
    func: Value,
    args: Value,
    kwargs: Option<Value>,
    /// The starting thread's NULL marker (see `frame::adopt_null`).
    null: Value,
}

/// The body of a thread started by `start_new_thread`, with the GIL held.
fn run_thread(vm: &Vm, start: Start) {
    let result = krait_vm::eval::ops::call_ex(vm, &start.func, None, &start.args, start.kwargs.as_ref());
    if let Err(e) = result {
        if !vm.is_subtype(e.class(), &vm.exc.system_exit) {
            krait_vm::finalize::write_unraisable(vm, &e, Some("Exception ignored in thread started by"), Some(&start.func));
        }
    }
    drop(start);
    local::thread_ended(vm);
    let threads = vm.state::<Threads>();
    let sentinels = threads.sentinels.borrow_mut().remove(&krait_vm::gil::thread_serial()).unwrap_or_default();
    for l in &sentinels {
        if let Some(state) = lock_state(l) {
            state.raw.release();
        }
    }
    drop(sentinels);
    threads.running.set(threads.running.get().saturating_sub(1));
}

fn exit(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("exit", args, 0, 0)?;
    Err(vm.new_exception(&vm.exc.system_exit, vec![]).into())
}

/// `interrupt_main(signum=SIGINT)`: as if the signal arrived; its Python
/// handler runs in the main thread at its next check.
fn interrupt_main(vm: &Vm, args: Args) -> PyResult {
    let a = bind(vm, "interrupt_main", args, &["signum"], 0)?;
    let signum = match &a[0] {
        Some(v) => vm.to_index_i64(v)?,
        None => 2,
    };
    if !(1..65).contains(&signum) {
        return Err(vm.new_value_error("signal number out of range"));
    }
    crate::signal::trip_signal(vm, signum as i32);
    Ok(Value::None)
}

pub(crate) const fn spec(name: &'static str, doc: &'static str, flags: u32, methods: &'static [NativeDef], getsets: &'static [GetSetDef]) -> TypeSpec {
    TypeSpec { module: "_thread", name, doc, layout: Layout::Other, flags, base: None, slots: &[], methods, more_methods: &[], getsets }
}

pub(crate) const W: u32 = type_flags::HAS_WEAKREF;

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
        ("LockType", Value::Obj(crate::native::native_type(vm, &lock::LOCK))),
        ("RLock", Value::Obj(crate::native::native_type(vm, &lock::RLOCK))),
        ("_local", Value::Obj(local::local_type(vm))),
        ("error", Value::Obj(vm.exc.runtime_error.clone())),
        ("TIMEOUT_MAX", Value::Float(TIMEOUT_MAX)),
    ];
    let doc = "This module provides primitive operations to write multi-threaded programs.\nThe 'threading' module provides a more convenient interface.";
    Ok(crate::native::make_module(vm, "_thread", doc, &FUNCS, attrs))
}
