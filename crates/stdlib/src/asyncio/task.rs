//! `_asyncio.Task`: a Future that drives a coroutine. Each step runs as a
//! loop callback (in the task's context): it sends None into the coroutine,
//! or throws an exception, then looks at what the coroutine yielded. An
//! exact Future or Task is waited on directly (its fields, no method
//! calls); anything else with `_asyncio_future_blocking` through its
//! methods, as CPython's `task_step_impl`.

use super::future::{
    add_done_callback, exact_fut, fut_of, future_cancel, future_init, future_type, get_result, log_unretrieved, loop_of,
    make_cancelled_error, set_exception, set_result, FutObj, Fields, Outcome, State,
};
use super::{call_soon, helpers, invalid_state, Helpers};
use crate::native::{class_getitem, descr_error, native_type, new_object_with_dict, TypeSpec};
use krait_vm::eval::generator::{gen_data, GenKind};
use krait_vm::payload::GetSetDef;
use krait_vm::types::typeobj::{type_flags, Layout, Slot};
use krait_vm::{Args, NativeDef, PyErr, PyRef, PyResult, Value, Vm};
use std::cell::RefCell;

pub(crate) fn task_type(vm: &Vm) -> PyRef {
    native_type(vm, &TASK)
}

fn task_of(v: &Value) -> Option<&FutObj> {
    fut_of(v).filter(|f| f.is_task)
}

/// `self` of a Task method, with the other arguments.
fn me<'a>(vm: &Vm, args: &Args<'a>, name: &str) -> PyResult<(&'a Value, &'a FutObj, Args<'a>)> {
    let Some((first, rest)) = args.args.split_first() else {
        return Err(vm.new_type_error(format!("descriptor '{name}' of '_asyncio.Task' object needs an argument")));
    };
    let t = task_of(first).ok_or_else(|| descr_error(vm, name, "_asyncio.Task", first))?;
    Ok((first, t, Args { args: rest, kwnames: args.kwnames }))
}

fn getset_task<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a FutObj> {
    task_of(v).ok_or_else(|| descr_error(vm, name, "_asyncio.Task", v))
}

fn task_new(vm: &Vm, args: Args) -> PyResult {
    let t = task_type(vm);
    let (cls, _) = crate::native::split_new(vm, args, &t)?;
    Ok(new_object_with_dict(&cls, FutObj { st: RefCell::new(Fields::default()), is_task: true }))
}

/// `Task(coro, *, loop=None, name=None, context=None)`.
fn task_init(vm: &Vm, args: Args) -> PyResult {
    let (this, t, rest) = me(vm, &args, "__init__")?;
    if rest.positional().len() > 1 {
        super::clinic_positional(vm, "Task", &rest, 1, 1)?;
    }
    let a = vm.bind_native("Task", rest, &["coro", "loop", "name", "context"], 0, 1, Some(1))?;
    let coro = a[0].clone().unwrap();
    future_init(vm, t, a[1].as_ref())?;
    if !super::is_coroutine(vm, &coro)? {
        // No "destroyed but pending" report for a task that never started.
        t.st.borrow_mut().log_destroy_pending = false;
        return Err(vm.new_type_error(format!("a coroutine was expected, got {}", vm.repr_string(&coro)?)));
    }
    let context = match &a[3] {
        None | Some(Value::None) => crate::contextvars::copy_current(vm)?,
        Some(c) => c.clone(),
    };
    let name = match &a[2] {
        None | Some(Value::None) => vm.new_str(format!("Task-{}", super::next_task_number(vm))),
        Some(n) if vm.class_of(n).is(&vm.types.str) => n.clone(),
        Some(n) => Value::Obj(vm.str(n)?),
    };
    let old = {
        let mut st = t.st.borrow_mut();
        st.must_cancel = false;
        st.log_destroy_pending = true;
        st.num_cancels_requested = 0;
        (st.context.replace(context), st.coro.replace(coro), st.name.replace(name), st.fut_waiter.take())
    };
    drop(old);
    call_step_soon(vm, &*helpers(vm)?, this, t, None)?;
    super::register_task(vm, this)?;
    Ok(Value::None)
}

// ---- stepping ----

/// Schedules the next step, with an exception to throw into the coroutine.
fn call_step_soon(vm: &Vm, h: &Helpers, task: &Value, t: &FutObj, exc: Option<PyErr>) -> PyResult<()> {
    let (lp, ctx) = {
        let st = t.st.borrow();
        (st.loop_.clone(), st.context.clone())
    };
    let lp = lp.ok_or_else(|| super::future::not_initialized(vm))?;
    let step = match exc {
        None => vm.new_native_function(&STEP, Some(task.clone())),
        Some(e) => vm.new_native_function(&STEP_WITH, Some(vm.new_tuple(vec![task.clone(), Value::Obj(e)]))),
    };
    call_soon(vm, h, &lp, step, None, ctx.as_ref())
}

/// A RuntimeError the coroutine gets thrown at its next step.
fn set_error_soon(vm: &Vm, h: &Helpers, task: &Value, t: &FutObj, msg: String) -> PyResult<()> {
    call_step_soon(vm, h, task, t, Some(vm.new_runtime_error(msg)))
}

/// The step callback: `self` is the task.
fn step_cb(vm: &Vm, args: Args) -> PyResult {
    let Some((task, rest)) = args.args.split_first() else { return Err(vm.new_type_error("task step needs a task")) };
    if !rest.is_empty() || args.has_kwargs() {
        return Err(vm.new_type_error("function takes no arguments"));
    }
    let t = task_of(task).ok_or_else(|| vm.new_type_error("task step needs a task"))?;
    task_step(vm, task, t, None)?;
    Ok(Value::None)
}

/// The step callback that throws: `self` is (task, exception).
fn step_with_cb(vm: &Vm, args: Args) -> PyResult {
    let pair = args.args.first().and_then(|p| p.payload()).and_then(|p| p.as_tuple()).map(|t| t.to_vec());
    let (Some([task, Value::Obj(exc)]), 1, false) = (pair.as_deref(), args.args.len(), args.has_kwargs()) else {
        return Err(vm.new_type_error("function takes no arguments"));
    };
    let t = task_of(task).ok_or_else(|| vm.new_type_error("task step needs a task"))?;
    task_step(vm, task, t, Some(exc.clone()))?;
    Ok(Value::None)
}

/// The done callback a task adds to the future it waits on.
fn wakeup_cb(vm: &Vm, args: Args) -> PyResult {
    let (Some(task), Some(fut), 2, false) = (args.args.first(), args.args.get(1), args.args.len(), args.has_kwargs()) else {
        return Err(vm.new_type_error(format!(
            "task_wakeup() takes exactly one argument ({} given)",
            args.args.len().saturating_sub(1)
        )));
    };
    let t = task_of(task).ok_or_else(|| vm.new_type_error("task_wakeup needs a task"))?;
    let exc = match exact_fut(vm, fut) {
        Some(f) => match get_result(vm, f) {
            Ok(Outcome::Result(_)) => None,
            Ok(Outcome::Exception(e)) | Err(e) => Some(e),
        },
        None => vm.call_method(fut, "result", &[]).err(),
    };
    task_step(vm, task, t, exc)?;
    Ok(Value::None)
}

static STEP: NativeDef = NativeDef::method("task_step", step_cb);
static STEP_WITH: NativeDef = NativeDef::method("task_step", step_with_cb);
static WAKEUP: NativeDef = NativeDef::method("task_wakeup", wakeup_cb);

/// One step, registered as the loop's current task while it runs.
fn task_step(vm: &Vm, task: &Value, t: &FutObj, exc: Option<PyErr>) -> PyResult<()> {
    let lp = loop_of(vm, t)?;
    let h = helpers(vm)?;
    super::enter_task(vm, &h, &lp, task)?;
    let r = step_impl(vm, &h, task, t, exc);
    let left = super::leave_task(vm, &h, &lp, task);
    match (r, left) {
        (Ok(()), left) => left,
        (Err(e), Ok(())) => Err(e),
        (Err(e), Err(e2)) => {
            if let Some(d) = e2.payload.as_exception() {
                d.context.set(Some(Value::Obj(e)));
            }
            Err(e2)
        }
    }
}

fn step_impl(vm: &Vm, h: &Helpers, task: &Value, t: &FutObj, mut exc: Option<PyErr>) -> PyResult<()> {
    let (state, must_cancel) = {
        let st = t.st.borrow();
        (st.state, st.must_cancel)
    };
    if state != State::Pending {
        let e = exc.map_or(Value::None, Value::Obj);
        let msg = format!("_step(): already done: {} {}", vm.repr_string(task)?, vm.repr_string(&e)?);
        return Err(invalid_state(vm, &msg));
    }
    let cancelled_error = &h.cancelled_error;
    if must_cancel {
        if exc.as_ref().is_some_and(|e| !vm.exception_matches(e, cancelled_error)) {
            exc = None;
        }
        if exc.is_none() {
            exc = Some(make_cancelled_error(vm, t)?);
        }
        t.st.borrow_mut().must_cancel = false;
    }
    let (coro, old_waiter) = {
        let mut st = t.st.borrow_mut();
        (st.coro.clone(), st.fut_waiter.take())
    };
    drop(old_waiter);
    let Some(coro) = coro else { return Err(vm.new_runtime_error("uninitialized Task object")) };
    // As CPython's `PyIter_Send` and `coro.throw(exc)`: Ok(Ok(yielded)),
    // Ok(Err(returned)) or the exception.
    let by_method = |r: PyResult| match r {
        Ok(v) => Ok(Ok(v)),
        Err(e) if vm.exception_matches(&e, &vm.exc.stop_iteration) => Ok(Err(krait_vm::eval::ops::stop_iteration_value(vm, &e))),
        Err(e) => Err(e),
    };
    let is_gen = gen_data(&coro).is_some();
    let outcome = match exc {
        None if is_gen || vm.special(&coro, Slot::Next).is_some() => krait_vm::eval::ops::send(vm, &coro, Value::None),
        None => by_method(vm.call_method(&coro, "send", &[Value::None])),
        Some(e) => match coro.as_obj().filter(|_| is_gen) {
            Some(g) => krait_vm::eval::generator::gen_throw_raw(vm, g, e),
            None => by_method(vm.call_method(&coro, "throw", &[Value::Obj(e)])),
        },
    };
    match outcome {
        Ok(Err(value)) => {
            let (must_cancel, msg) = {
                let mut st = t.st.borrow_mut();
                (std::mem::replace(&mut st.must_cancel, false), st.cancel_msg.clone())
            };
            if must_cancel {
                // Cancelled right before the coroutine returned.
                future_cancel(vm, task, t, msg)?;
            } else {
                set_result(vm, task, t, value)?;
            }
            Ok(())
        }
        Err(e) if vm.exception_matches(&e, cancelled_error) => {
            // Kept to be the context of the CancelledError `result()` raises.
            let old = t.st.borrow_mut().cancelled_exc.replace(Value::Obj(e));
            drop(old);
            future_cancel(vm, task, t, None)?;
            Ok(())
        }
        Err(e) => {
            set_exception(vm, task, t, &Value::Obj(e.clone()))?;
            if vm.exception_matches(&e, &vm.exc.keyboard_interrupt) || vm.exception_matches(&e, &vm.exc.system_exit) {
                return Err(e);
            }
            Ok(())
        }
        Ok(Ok(result)) => handle_yield(vm, h, task, t, result),
    }
}

/// The loop of a future the coroutine yielded: `get_loop()` if it has one,
/// else its `_loop`.
fn future_loop(vm: &Vm, fut: &Value) -> PyResult {
    if let Some(f) = exact_fut(vm, fut) {
        return loop_of(vm, f);
    }
    match vm.getattr_opt(fut, "get_loop")? {
        Some(m) => vm.call(&m, Args::EMPTY),
        None => vm.getattr_str(fut, "_loop"),
    }
}

/// Waits on `result`, a future that yielded itself from `__await__`.
fn wait_on(vm: &Vm, task: &Value, t: &FutObj, result: Value) -> PyResult<()> {
    let ctx = t.st.borrow().context.clone().unwrap_or(Value::None);
    let wakeup = vm.new_native_function(&WAKEUP, Some(task.clone()));
    match exact_fut(vm, &result) {
        Some(f) => add_done_callback(vm, &result, f, wakeup, ctx)?,
        None => {
            let add = vm.getattr_str(&result, "add_done_callback")?;
            let kw = [Value::Obj(vm.intern("context"))];
            vm.call(&add, Args::with_kw(&[wakeup, ctx], &kw))?;
        }
    }
    let (must_cancel, msg) = {
        let mut st = t.st.borrow_mut();
        let old = st.fut_waiter.replace(result.clone());
        drop(st);
        drop(old);
        let st = t.st.borrow();
        (st.must_cancel, st.cancel_msg.clone().unwrap_or(Value::None))
    };
    if must_cancel {
        let r = vm.call_method(&result, "cancel", &[msg])?;
        if vm.truthy(&r)? {
            t.st.borrow_mut().must_cancel = false;
        }
    }
    Ok(())
}

fn handle_yield(vm: &Vm, h: &Helpers, task: &Value, t: &FutObj, result: Value) -> PyResult<()> {
    if result.is(task) {
        return set_error_soon(vm, h, task, t, format!("Task cannot await on itself: {}", vm.repr_string(task)?));
    }
    let task_loop = loop_of(vm, t)?;
    let different_loop = |vm: &Vm| -> PyResult<()> {
        let msg = format!(
            "Task {} got Future {} attached to a different loop",
            vm.repr_string(task)?,
            vm.repr_string(&result)?
        );
        set_error_soon(vm, h, task, t, msg)
    };
    let yield_not_from = |vm: &Vm| -> PyResult<()> {
        let msg = format!(
            "yield was used instead of yield from in task {} with {}",
            vm.repr_string(task)?,
            vm.repr_string(&result)?
        );
        set_error_soon(vm, h, task, t, msg)
    };
    if let Some(f) = exact_fut(vm, &result) {
        let (same_loop, blocking) = {
            let st = f.st.borrow();
            (st.loop_.as_ref().is_some_and(|l| l.is(&task_loop)), st.blocking)
        };
        if !same_loop {
            return different_loop(vm);
        }
        if !blocking {
            return yield_not_from(vm);
        }
        f.st.borrow_mut().blocking = false;
        return wait_on(vm, task, t, result.clone());
    }
    if result.is_none() {
        // A bare yield gives up control for one loop iteration.
        return call_step_soon(vm, h, task, t, None);
    }
    match vm.getattr_opt(&result, "_asyncio_future_blocking")? {
        Some(o) if !o.is_none() => {
            let blocking = vm.truthy(&o)?;
            let floop = future_loop(vm, &result)?;
            if !floop.is(&task_loop) {
                return different_loop(vm);
            }
            if !blocking {
                return yield_not_from(vm);
            }
            vm.setattr_str(&result, "_asyncio_future_blocking", Value::Bool(false))?;
            return wait_on(vm, task, t, result.clone());
        }
        _ => {}
    }
    if gen_data(&result).is_some_and(|g| g.kind == GenKind::Generator) {
        let msg = format!(
            "yield was used instead of yield from for generator in task {} with {}",
            vm.repr_string(task)?,
            vm.repr_string(&result)?
        );
        return set_error_soon(vm, h, task, t, msg);
    }
    set_error_soon(vm, h, task, t, format!("Task got bad yield: {}", vm.repr_string(&result)?))
}

// ---- methods ----

/// `cancel(msg=None)`: asks the coroutine to stop; true unless already done.
fn task_cancel(vm: &Vm, args: Args) -> PyResult {
    let (_, t, rest) = me(vm, &args, "cancel")?;
    let a = vm.bind_native("cancel", rest, &["msg"], 0, 0, None)?;
    let msg = a[0].clone().unwrap_or(Value::None);
    let waiter = {
        let mut st = t.st.borrow_mut();
        st.log_tb = false;
        if st.state != State::Pending {
            return Ok(Value::Bool(false));
        }
        st.num_cancels_requested += 1;
        st.fut_waiter.clone()
    };
    if let Some(w) = waiter {
        let r = vm.call_method(&w, "cancel", &[msg.clone()])?;
        if vm.truthy(&r)? {
            // The waiter stays: it may be a task that ignores the
            // cancellation and has to be cancelled again.
            return Ok(Value::Bool(true));
        }
    }
    let old = {
        let mut st = t.st.borrow_mut();
        st.must_cancel = true;
        st.cancel_msg.replace(msg)
    };
    drop(old);
    Ok(Value::Bool(true))
}

fn task_cancelling(vm: &Vm, args: Args) -> PyResult {
    let (_, t, rest) = me(vm, &args, "cancelling")?;
    vm.check_arity("Task.cancelling", rest, 0, 0)?;
    Ok(Value::Int(t.st.borrow().num_cancels_requested))
}

fn task_uncancel(vm: &Vm, args: Args) -> PyResult {
    let (_, t, rest) = me(vm, &args, "uncancel")?;
    vm.check_arity("Task.uncancel", rest, 0, 0)?;
    let mut st = t.st.borrow_mut();
    if st.num_cancels_requested > 0 {
        st.num_cancels_requested -= 1;
    }
    Ok(Value::Int(st.num_cancels_requested))
}

fn opt(v: &Option<Value>) -> Value {
    v.clone().unwrap_or(Value::None)
}

fn task_get_coro(vm: &Vm, args: Args) -> PyResult {
    let (_, t, rest) = me(vm, &args, "get_coro")?;
    vm.check_arity("Task.get_coro", rest, 0, 0)?;
    Ok(opt(&t.st.borrow().coro))
}

fn task_get_name(vm: &Vm, args: Args) -> PyResult {
    let (_, t, rest) = me(vm, &args, "get_name")?;
    vm.check_arity("Task.get_name", rest, 0, 0)?;
    Ok(opt(&t.st.borrow().name))
}

fn task_set_name(vm: &Vm, args: Args) -> PyResult {
    let (_, t, rest) = me(vm, &args, "set_name")?;
    vm.check_arity("Task.set_name", rest, 1, 1)?;
    let a = rest.args;
    let name = if vm.class_of(&a[0]).is(&vm.types.str) { a[0].clone() } else { Value::Obj(vm.str(&a[0])?) };
    let old = t.st.borrow_mut().name.replace(name);
    drop(old);
    Ok(Value::None)
}

fn task_set_result(vm: &Vm, args: Args) -> PyResult {
    me(vm, &args, "set_result")?;
    Err(vm.new_runtime_error("Task does not support set_result operation"))
}

fn task_set_exception(vm: &Vm, args: Args) -> PyResult {
    me(vm, &args, "set_exception")?;
    Err(vm.new_runtime_error("Task does not support set_exception operation"))
}

fn task_get_stack(vm: &Vm, args: Args) -> PyResult {
    let (this, _, rest) = me(vm, &args, "get_stack")?;
    super::clinic_positional(vm, "get_stack", &rest, 0, 0)?;
    let a = vm.bind_native("get_stack", rest, &["limit"], 0, 0, Some(0))?;
    let limit = a[0].clone().unwrap_or(Value::None);
    vm.call(&helpers(vm)?.task_get_stack, Args::new(&[this.clone(), limit]))
}

fn task_print_stack(vm: &Vm, args: Args) -> PyResult {
    let (this, _, rest) = me(vm, &args, "print_stack")?;
    super::clinic_positional(vm, "print_stack", &rest, 0, 0)?;
    let a = vm.bind_native("print_stack", rest, &["limit", "file"], 0, 0, Some(0))?;
    let limit = a[0].clone().unwrap_or(Value::None);
    let file = a[1].clone().unwrap_or(Value::None);
    vm.call(&helpers(vm)?.task_print_stack, Args::new(&[this.clone(), limit, file]))
}

fn task_repr(vm: &Vm, args: Args) -> PyResult {
    let (this, _, _) = me(vm, &args, "__repr__")?;
    super::call_helper(vm, |h| &h.task_repr, this)
}

/// A task freed while pending is reported to its loop; then the Future's
/// report of an exception never retrieved.
fn task_del(vm: &Vm, args: Args) -> PyResult {
    let (this, t, _) = me(vm, &args, "__del__")?;
    let (report, lp, source_tb) = {
        let st = t.st.borrow();
        (st.state == State::Pending && st.log_destroy_pending, st.loop_.clone(), st.source_tb.clone())
    };
    let mut first_err = None;
    if let (true, Some(lp)) = (report, lp) {
        let entries = [("task", this.clone()), ("message", vm.new_str("Task was destroyed but it is pending!"))];
        first_err = super::future::report_to_loop(vm, &lp, &entries, source_tb).err();
    }
    let second = log_unretrieved(vm, this, t);
    match first_err {
        Some(e) => Err(e),
        None => second.map(|_| Value::None),
    }
}

// ---- attributes ----

fn get_log_destroy_pending(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Bool(getset_task(vm, v, "_log_destroy_pending")?.st.borrow().log_destroy_pending))
}

fn set_log_destroy_pending(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let t = getset_task(vm, v, "_log_destroy_pending")?;
    let value = value.ok_or_else(|| vm.new_attribute_error("cannot delete attribute"))?;
    let b = vm.truthy(&value)?;
    t.st.borrow_mut().log_destroy_pending = b;
    Ok(())
}

fn get_must_cancel(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Bool(getset_task(vm, v, "_must_cancel")?.st.borrow().must_cancel))
}

fn get_coro(vm: &Vm, v: &Value) -> PyResult {
    Ok(opt(&getset_task(vm, v, "_coro")?.st.borrow().coro))
}

fn get_fut_waiter(vm: &Vm, v: &Value) -> PyResult {
    Ok(opt(&getset_task(vm, v, "_fut_waiter")?.st.borrow().fut_waiter))
}

static TASK_METHODS: [NativeDef; 15] = [
    NativeDef::staticmethod("__new__", task_new),
    NativeDef::method("__init__", task_init),
    NativeDef::method("cancel", task_cancel),
    NativeDef::method("cancelling", task_cancelling),
    NativeDef::method("uncancel", task_uncancel),
    NativeDef::method("get_coro", task_get_coro),
    NativeDef::method("get_name", task_get_name),
    NativeDef::method("set_name", task_set_name),
    NativeDef::method("set_result", task_set_result),
    NativeDef::method("set_exception", task_set_exception),
    NativeDef::method("get_stack", task_get_stack),
    NativeDef::method("print_stack", task_print_stack),
    NativeDef::method("__repr__", task_repr),
    NativeDef::method("__del__", task_del),
    NativeDef::classmethod("__class_getitem__", class_getitem),
];

static TASK_GETSETS: [GetSetDef; 4] = [
    GetSetDef { name: "_log_destroy_pending", get: get_log_destroy_pending, set: Some(set_log_destroy_pending), doc: "" },
    GetSetDef { name: "_must_cancel", get: get_must_cancel, set: None, doc: "" },
    GetSetDef { name: "_coro", get: get_coro, set: None, doc: "" },
    GetSetDef { name: "_fut_waiter", get: get_fut_waiter, set: None, doc: "" },
];

static TASK: TypeSpec = TypeSpec {
    module: "_asyncio",
    name: "Task",
    doc: "A coroutine wrapped in a Future.",
    layout: Layout::Other,
    flags: type_flags::BASETYPE | type_flags::HAS_DICT | type_flags::HAS_WEAKREF,
    base: Some(future_type),
    slots: &[],
    methods: &TASK_METHODS,
    more_methods: &[],
    getsets: &TASK_GETSETS,
};
