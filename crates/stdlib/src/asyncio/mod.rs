//! `_asyncio`: the native `Future` and `Task` that asyncio uses in place of
//! its pure-Python ones, and the functions `asyncio.events` and
//! `asyncio.tasks` take from here (the running loop, the task registry).
//! Behaviour follows CPython 3.11's `_asynciomodule.c`: a task steps its
//! coroutine with `send`/`throw` directly and waits on an exact Future or
//! Task without any Python-level call.
//!
//! The Python helpers the C module imports (repr functions, stack helpers,
//! the exception classes, `iscoroutine`) are looked up on first use: this
//! module is imported while `asyncio` itself is still being imported.

mod future;
mod task;

use crate::native::make_module as new_module;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::mem::ManuallyDrop;


/// The Python objects the native code calls.
pub(crate) struct Helpers {
    get_event_loop_policy: Value,
    future_repr: Value,
    task_repr: Value,
    task_get_stack: Value,
    task_print_stack: Value,
    iscoroutine: Value,
    extract_stack: Value,
    pub(crate) invalid_state_error: Value,
    pub(crate) cancelled_error: PyRef,
    /// `_current_tasks`, and names the hot paths use, made once.
    current_tasks: PyRef,
    call_soon_name: PyRef,
    context_kwnames: [Value; 1],
}

/// Per-interpreter state of the module.
#[derive(Default)]
pub(crate) struct AsyncioState {
    helpers: RefCell<Option<std::rc::Rc<Helpers>>>,
    /// `_all_tasks` (a `weakref.WeakSet`) and `_current_tasks` (a dict
    /// from loop to the task it runs), made with the module.
    all_tasks: RefCell<Option<Value>>,
    current_tasks: RefCell<Option<PyRef>>,
    /// Types `asyncio.iscoroutine` accepted, so it is asked once per type
    /// (at most 100, as CPython).
    coroutine_types: RefCell<Vec<PyRef>>,
    /// For the names "Task-N" of unnamed tasks.
    task_counter: Cell<u64>,
}

fn state(vm: &Vm) -> std::rc::Rc<AsyncioState> {
    vm.state::<AsyncioState>()
}

fn attr_of(vm: &Vm, module: &str, name: &str) -> PyResult {
    let m = vm.import_full(module)?;
    vm.getattr_str(&Value::Obj(m), name)
}

/// The Python helpers, imported the first time one is needed.
pub(crate) fn helpers(vm: &Vm) -> PyResult<std::rc::Rc<Helpers>> {
    let st = state(vm);
    if let Some(h) = st.helpers.borrow().as_ref() {
        return Ok(h.clone());
    }
    let cancelled = attr_of(vm, "asyncio.exceptions", "CancelledError")?;
    let Value::Obj(cancelled_error) = cancelled else { return Err(vm.new_type_error("CancelledError is not a class")) };
    let h = Helpers {
        get_event_loop_policy: attr_of(vm, "asyncio.events", "get_event_loop_policy")?,
        future_repr: attr_of(vm, "asyncio.base_futures", "_future_repr")?,
        task_repr: attr_of(vm, "asyncio.base_tasks", "_task_repr")?,
        task_get_stack: attr_of(vm, "asyncio.base_tasks", "_task_get_stack")?,
        task_print_stack: attr_of(vm, "asyncio.base_tasks", "_task_print_stack")?,
        iscoroutine: attr_of(vm, "asyncio.coroutines", "iscoroutine")?,
        extract_stack: attr_of(vm, "traceback", "extract_stack")?,
        invalid_state_error: attr_of(vm, "asyncio.exceptions", "InvalidStateError")?,
        cancelled_error,
        current_tasks: current_tasks(vm),
        call_soon_name: vm.intern("call_soon"),
        context_kwnames: [Value::Obj(vm.intern("context"))],
    };
    let h = std::rc::Rc::new(h);
    *st.helpers.borrow_mut() = Some(h.clone());
    Ok(h)
}

/// Calls the helper `pick` chooses with `arg`.
pub(crate) fn call_helper(vm: &Vm, pick: impl Fn(&Helpers) -> &Value, arg: &Value) -> PyResult {
    let h = helpers(vm)?;
    vm.call(pick(&h), Args::new(std::slice::from_ref(arg)))
}

/// `asyncio.InvalidStateError(msg)`, to raise.
pub(crate) fn invalid_state(vm: &Vm, msg: &str) -> krait_vm::PyErr {
    match helpers(vm).and_then(|h| krait_vm::eval::unwind::create_exception(vm, &h.invalid_state_error, &[vm.new_str(msg)])) {
        Ok(e) => e,
        Err(e) => e,
    }
}

// ---- the running loop ----

thread_local! {
    // This thread's running loop and the process it was set in, per
    // interpreter (keyed by the Vm's address), as CPython keeps it in the
    // thread state. Never dropped: thread-exit destructors must not free objects.
    static RUNNING: ManuallyDrop<RefCell<HashMap<usize, (Value, u32)>>> = ManuallyDrop::new(RefCell::new(HashMap::new()));
}

fn vm_key(vm: &Vm) -> usize {
    vm as *const Vm as usize
}

/// The running loop of this thread, if any (one set before a fork does not count).
pub(crate) fn running_loop(vm: &Vm) -> Option<Value> {
    RUNNING.with(|m| match m.borrow().get(&vm_key(vm)) {
        Some((l, pid)) if !l.is_none() && *pid == std::process::id() => Some(l.clone()),
        _ => None,
    })
}

fn set_running_loop(vm: &Vm, l: Value) {
    // The old loop is dropped after the borrow ends (its drop may run code).
    let old = RUNNING.with(|m| m.borrow_mut().insert(vm_key(vm), (l, std::process::id())));
    drop(old);
}

/// `get_event_loop()`: the running loop, else the policy's loop.
pub(crate) fn get_event_loop(vm: &Vm) -> PyResult {
    if let Some(l) = running_loop(vm) {
        return Ok(l);
    }
    let policy = vm.call(&helpers(vm)?.get_event_loop_policy, Args::EMPTY)?;
    vm.call_method(&policy, "get_event_loop", &[])
}

fn m_get_running_loop(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("get_running_loop", args, 0, 0)?;
    running_loop(vm).ok_or_else(|| vm.new_runtime_error("no running event loop"))
}

fn m_get_running_loop_or_none(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("_get_running_loop", args, 0, 0)?;
    Ok(running_loop(vm).unwrap_or(Value::None))
}

fn m_set_running_loop(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::unpack(vm, "_set_running_loop", &args, 1, 1)?;
    set_running_loop(vm, a[0].clone());
    Ok(Value::None)
}

fn m_get_event_loop(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("get_event_loop", args, 0, 0)?;
    get_event_loop(vm)
}

/// `_get_event_loop(stacklevel=3)`: kept for 3.10 compatibility; the stack
/// level no longer matters (no warning is issued here).
fn m_get_event_loop_compat(vm: &Vm, args: Args) -> PyResult {
    let a = vm.bind_native("_get_event_loop", args, &["stacklevel"], 0, 0, None)?;
    if let Some(v) = &a[0] {
        crate::native::ssize(vm, v)?;
    }
    get_event_loop(vm)
}

// ---- the task registry ----

fn current_tasks(vm: &Vm) -> PyRef {
    let st = state(vm);
    let existing = st.current_tasks.borrow().clone();
    existing.unwrap_or_else(|| {
        let d = vm.new_dict();
        *st.current_tasks.borrow_mut() = Some(d.clone());
        d
    })
}

pub(crate) fn register_task(vm: &Vm, task: &Value) -> PyResult<()> {
    let all = state(vm).all_tasks.borrow().clone();
    if let Some(all) = all {
        vm.call_method(&all, "add", &[task.clone()])?;
    }
    Ok(())
}

fn unregister_task(vm: &Vm, task: &Value) -> PyResult<()> {
    let all = state(vm).all_tasks.borrow().clone();
    if let Some(all) = all {
        vm.call_method(&all, "discard", &[task.clone()])?;
    }
    Ok(())
}

pub(crate) fn enter_task(vm: &Vm, h: &Helpers, lp: &Value, task: &Value) -> PyResult<()> {
    let d = &h.current_tasks;
    let hash = vm.hash(lp)?;
    if let Some(cur) = vm.dict_get_hashed(d, lp, hash)? {
        return Err(vm.new_runtime_error(format!(
            "Cannot enter into task {} while another task {} is being executed.",
            vm.repr_string(task)?,
            vm.repr_string(&cur)?
        )));
    }
    vm.dict_set_hashed(d, lp.clone(), hash, task.clone())
}

pub(crate) fn leave_task(vm: &Vm, h: &Helpers, lp: &Value, task: &Value) -> PyResult<()> {
    let d = &h.current_tasks;
    let hash = vm.hash(lp)?;
    let cur = vm.dict_get_hashed(d, lp, hash)?;
    match cur {
        Some(c) if c.is(task) => {
            vm.dict_remove_hashed(d, lp, hash)?;
            Ok(())
        }
        other => Err(vm.new_runtime_error(format!(
            "Leaving task {} does not match the current task {}.",
            vm.repr_string(task)?,
            vm.repr_string(&other.unwrap_or(Value::None))?
        ))),
    }
}

fn m_register_task(vm: &Vm, args: Args) -> PyResult {
    let a = vm.bind_native("_register_task", args, &["task"], 0, 1, None)?;
    register_task(vm, a[0].as_ref().unwrap())?;
    Ok(Value::None)
}

fn m_unregister_task(vm: &Vm, args: Args) -> PyResult {
    let a = vm.bind_native("_unregister_task", args, &["task"], 0, 1, None)?;
    unregister_task(vm, a[0].as_ref().unwrap())?;
    Ok(Value::None)
}

fn m_enter_task(vm: &Vm, args: Args) -> PyResult {
    let a = vm.bind_native("_enter_task", args, &["loop", "task"], 0, 2, None)?;
    enter_task(vm, &*helpers(vm)?, a[0].as_ref().unwrap(), a[1].as_ref().unwrap())?;
    Ok(Value::None)
}

fn m_leave_task(vm: &Vm, args: Args) -> PyResult {
    let a = vm.bind_native("_leave_task", args, &["loop", "task"], 0, 2, None)?;
    leave_task(vm, &*helpers(vm)?, a[0].as_ref().unwrap(), a[1].as_ref().unwrap())?;
    Ok(Value::None)
}

/// Argument clinic's count of positional arguments before keyword-only
/// parameters: at most `max`, and `min` when nothing is given by keyword.
pub(crate) fn clinic_positional(vm: &Vm, fname: &str, args: &Args, max: usize, min: usize) -> PyResult<()> {
    let n = args.positional().len();
    if n <= max && (n >= min || args.has_kwargs()) {
        return Ok(());
    }
    let s = if max == 1 { "" } else { "s" };
    Err(vm.new_type_error(match (max, min == max) {
        (0, _) => format!("{fname}() takes no positional arguments"),
        (_, true) => format!("{fname}() takes exactly {max} positional argument{s} ({n} given)"),
        _ => format!("{fname}() takes at most {max} positional argument{s} ({n} given)"),
    }))
}

/// `loop.call_soon(func[, arg], context=ctx)`; the handle is dropped.
pub(crate) fn call_soon(vm: &Vm, h: &Helpers, lp: &Value, func: Value, arg: Option<Value>, ctx: Option<&Value>) -> PyResult<()> {
    let method = vm.getattr(lp, &h.call_soon_name)?;
    let mut a = Vec::with_capacity(3);
    a.push(func);
    a.extend(arg);
    match ctx {
        None => vm.call(&method, Args::new(&a))?,
        Some(c) => {
            a.push(c.clone());
            vm.call(&method, Args::with_kw(&a, &h.context_kwnames))?
        }
    };
    Ok(())
}

/// Is `coro` a coroutine for a Task: a native coroutine, or an object
/// `asyncio.iscoroutine` accepts (remembered by type).
pub(crate) fn is_coroutine(vm: &Vm, coro: &Value) -> PyResult<bool> {
    if let Some(g) = krait_vm::eval::generator::gen_data(coro) {
        if g.kind == krait_vm::eval::generator::GenKind::Coroutine {
            return Ok(true);
        }
    }
    let st = state(vm);
    let cls = vm.class_of(coro).clone();
    if st.coroutine_types.borrow().iter().any(|t| t.is(&cls)) {
        return Ok(true);
    }
    let r = vm.call(&helpers(vm)?.iscoroutine, Args::new(std::slice::from_ref(coro)))?;
    if !vm.truthy(&r)? {
        return Ok(false);
    }
    let mut types = st.coroutine_types.borrow_mut();
    if types.len() < 100 {
        types.push(cls);
    }
    Ok(true)
}

/// The next automatic task name's number.
pub(crate) fn next_task_number(vm: &Vm) -> u64 {
    let st = state(vm);
    st.task_counter.set(st.task_counter.get() + 1);
    st.task_counter.get()
}

static FUNCS: [NativeDef; 9] = [
    NativeDef::function("get_running_loop", m_get_running_loop),
    NativeDef::function("_get_running_loop", m_get_running_loop_or_none),
    NativeDef::function("_set_running_loop", m_set_running_loop),
    NativeDef::function("get_event_loop", m_get_event_loop),
    NativeDef::function("_get_event_loop", m_get_event_loop_compat),
    NativeDef::function("_register_task", m_register_task),
    NativeDef::function("_unregister_task", m_unregister_task),
    NativeDef::function("_enter_task", m_enter_task),
    NativeDef::function("_leave_task", m_leave_task),
];

pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let weakset = attr_of(vm, "weakref", "WeakSet")?;
    let all_tasks = vm.call(&weakset, Args::EMPTY)?;
    let current = current_tasks(vm);
    *state(vm).all_tasks.borrow_mut() = Some(all_tasks.clone());
    let attrs = vec![
        ("Future", Value::Obj(future::future_type(vm))),
        ("Task", Value::Obj(task::task_type(vm))),
        ("_all_tasks", all_tasks),
        ("_current_tasks", Value::Obj(current)),
    ];
    Ok(new_module(vm, "_asyncio", "Accelerator module for asyncio", &FUNCS, attrs))
}
