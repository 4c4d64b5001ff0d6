//! `_asyncio.Future` and the iterator its `__await__`/`__iter__` return.
//!
//! One Rust struct holds a future's fields, and a task's as well (a Task
//! is a Future with more fields; `is_task` tells them apart), all in one
//! `RefCell` that is never borrowed while Python code runs: values are
//! cloned or taken out first. `loop_` is None until `__init__` ran, which
//! is what "Future object is not initialized." checks, as in CPython.

use super::{call_soon, helpers, invalid_state};
use crate::native::{class_getitem, descr_error, native_type, new_object, new_object_with_dict, TypeSpec};
use krait_vm::gc::{NativeData, Visitor};
use krait_vm::payload::GetSetDef;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyErr, PyRef, PyResult, Value, Vm};
use std::cell::RefCell;

#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum State {
    #[default]
    Pending,
    Cancelled,
    Finished,
}

impl State {
    fn name(self) -> &'static str {
        match self {
            State::Pending => "PENDING",
            State::Cancelled => "CANCELLED",
            State::Finished => "FINISHED",
        }
    }
}

#[derive(Default)]
pub(crate) struct Fields {
    pub loop_: Option<Value>,
    /// (callback, context) pairs, in the order they were added.
    pub callbacks: Vec<(Value, Value)>,
    pub result: Option<Value>,
    pub exception: Option<Value>,
    /// The exception's traceback when it was set: `result()` raises it
    /// with that traceback again (and forgets it, breaking cycles).
    pub exception_tb: Option<Value>,
    pub source_tb: Option<Value>,
    pub cancel_msg: Option<Value>,
    /// The CancelledError that cancelled a task, chained into the one
    /// `result()` raises.
    pub cancelled_exc: Option<Value>,
    pub state: State,
    pub log_tb: bool,
    pub blocking: bool,
    // Task fields.
    pub fut_waiter: Option<Value>,
    pub coro: Option<Value>,
    pub name: Option<Value>,
    pub context: Option<Value>,
    pub must_cancel: bool,
    pub log_destroy_pending: bool,
    pub num_cancels_requested: i64,
}

impl Fields {
    fn values(&self) -> impl Iterator<Item = &Value> {
        let singles = [
            &self.loop_,
            &self.result,
            &self.exception,
            &self.exception_tb,
            &self.source_tb,
            &self.cancel_msg,
            &self.cancelled_exc,
            &self.fut_waiter,
            &self.coro,
            &self.name,
            &self.context,
        ];
        singles.into_iter().flatten().chain(self.callbacks.iter().flat_map(|(f, c)| [f, c]))
    }
}

pub(crate) struct FutObj {
    pub st: RefCell<Fields>,
    pub is_task: bool,
}

impl NativeData for FutObj {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        if let Ok(f) = self.st.try_borrow() {
            for v in f.values() {
                visitor.visit_value(v);
            }
        }
    }
    fn clear(&self) {
        crate::native::take_refcell(&self.st);
    }
}

pub(crate) fn future_type(vm: &Vm) -> PyRef {
    native_type(vm, &FUTURE)
}

pub(crate) fn iter_type(vm: &Vm) -> PyRef {
    native_type(vm, &FUTURE_ITER)
}

/// The fields of a Future (or Task) object.
pub(crate) fn fut_of(v: &Value) -> Option<&FutObj> {
    v.payload().and_then(|p| p.as_native::<FutObj>())
}

/// Is `v` exactly a `_asyncio.Future` or `_asyncio.Task` (not a subclass):
/// then its methods are known and the task step may use the fields.
pub(crate) fn exact_fut<'a>(vm: &Vm, v: &'a Value) -> Option<&'a FutObj> {
    let f = fut_of(v)?;
    vm.class_of(v).payload.as_type().is_some_and(|t| !t.is_heap()).then_some(f)
}

/// `self` of a Future method, with the other arguments.
fn me<'a>(vm: &Vm, args: &Args<'a>, name: &str) -> PyResult<(&'a Value, &'a FutObj, Args<'a>)> {
    let Some((first, rest)) = args.args.split_first() else {
        return Err(vm.new_type_error(format!("descriptor '{name}' of '_asyncio.Future' object needs an argument")));
    };
    let f = fut_of(first).ok_or_else(|| descr_error(vm, name, "_asyncio.Future", first))?;
    Ok((first, f, Args { args: rest, kwnames: args.kwnames }))
}

fn getset_fut<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a FutObj> {
    fut_of(v).ok_or_else(|| descr_error(vm, name, "_asyncio.Future", v))
}

pub(crate) fn not_initialized(vm: &Vm) -> PyErr {
    vm.new_runtime_error("Future object is not initialized.")
}

/// The loop of an initialized future.
pub(crate) fn loop_of(vm: &Vm, f: &FutObj) -> PyResult<Value> {
    f.st.borrow().loop_.clone().ok_or_else(|| not_initialized(vm))
}

/// Sets up a fresh pending future (CPython's `future_init`); also the first
/// part of `Task.__init__`. A second `__init__` starts the future part over.
pub(crate) fn future_init(vm: &Vm, f: &FutObj, lp: Option<&Value>) -> PyResult<()> {
    let mut old = std::mem::take(&mut *f.st.borrow_mut());
    {
        let mut st = f.st.borrow_mut();
        st.fut_waiter = old.fut_waiter.take();
        st.coro = old.coro.take();
        st.name = old.name.take();
        st.context = old.context.take();
        st.must_cancel = old.must_cancel;
        st.log_destroy_pending = old.log_destroy_pending;
        st.num_cancels_requested = old.num_cancels_requested;
    }
    drop(old);
    let lp = match lp {
        None | Some(Value::None) => super::get_event_loop(vm)?,
        Some(l) => l.clone(),
    };
    f.st.borrow_mut().loop_ = Some(lp.clone());
    let debug = vm.call_method(&lp, "get_debug", &[])?;
    if vm.truthy(&debug)? {
        let tb = vm.call(&helpers(vm)?.extract_stack, Args::EMPTY)?;
        f.st.borrow_mut().source_tb = Some(tb);
    }
    Ok(())
}

/// Schedules the callbacks of a future that just finished.
fn schedule_callbacks(vm: &Vm, me: &Value, f: &FutObj) -> PyResult<()> {
    let (lp, callbacks) = {
        let mut st = f.st.borrow_mut();
        (st.loop_.clone(), std::mem::take(&mut st.callbacks))
    };
    let Some(lp) = lp.filter(|_| !callbacks.is_empty()) else { return Ok(()) };
    let h = helpers(vm)?;
    for (cb, ctx) in callbacks {
        call_soon(vm, &h, &lp, cb, Some(me.clone()), Some(&ctx))?;
    }
    Ok(())
}

pub(crate) fn set_result(vm: &Vm, me: &Value, f: &FutObj, result: Value) -> PyResult<()> {
    {
        let mut st = f.st.borrow_mut();
        if st.loop_.is_none() {
            return Err(not_initialized(vm));
        }
        if st.state != State::Pending {
            drop(st);
            return Err(invalid_state(vm, "invalid state"));
        }
        st.result = Some(result);
        st.state = State::Finished;
    }
    schedule_callbacks(vm, me, f)
}

pub(crate) fn set_exception(vm: &Vm, me: &Value, f: &FutObj, exc: &Value) -> PyResult<()> {
    if f.st.borrow().loop_.is_none() {
        return Err(not_initialized(vm));
    }
    let pending = |vm: &Vm| {
        if f.st.borrow().state != State::Pending {
            return Err(invalid_state(vm, "invalid state"));
        }
        Ok(())
    };
    pending(vm)?;
    let is_class = matches!(exc, Value::Obj(c) if c.payload.as_type().is_some() && vm.is_subtype(c, &vm.exc.base_exception));
    let exc = if is_class {
        let e = vm.call(exc, Args::EMPTY)?;
        pending(vm)?;
        e
    } else {
        exc.clone()
    };
    let Some(eo) = exc.as_obj().filter(|o| o.payload.as_exception().is_some()) else {
        return Err(vm.new_type_error("invalid exception object"));
    };
    if eo.class().is(&vm.exc.stop_iteration) {
        return Err(vm.new_type_error("StopIteration interacts badly with generators and cannot be raised into a Future"));
    }
    let tb = eo.payload.as_exception().and_then(|d| d.traceback.get());
    {
        let mut st = f.st.borrow_mut();
        st.exception = Some(exc.clone());
        st.exception_tb = tb;
        st.state = State::Finished;
    }
    schedule_callbacks(vm, me, f)?;
    f.st.borrow_mut().log_tb = true;
    Ok(())
}

/// `cancel(msg)` of a Future (the base part of a Task's).
pub(crate) fn future_cancel(vm: &Vm, me: &Value, f: &FutObj, msg: Option<Value>) -> PyResult<bool> {
    {
        let mut st = f.st.borrow_mut();
        st.log_tb = false;
        if st.state != State::Pending {
            return Ok(false);
        }
        st.state = State::Cancelled;
        let old = std::mem::replace(&mut st.cancel_msg, msg);
        drop(st);
        drop(old);
    }
    schedule_callbacks(vm, me, f)?;
    Ok(true)
}

/// The CancelledError a cancelled future raises: the one saved when a
/// task's coroutine raised it, else a new one with the cancel message.
pub(crate) fn make_cancelled_error(vm: &Vm, f: &FutObj) -> PyResult<PyErr> {
    let (saved, msg) = {
        let mut st = f.st.borrow_mut();
        (st.cancelled_exc.take(), st.cancel_msg.clone())
    };
    if let Some(Value::Obj(e)) = saved {
        if e.payload.as_exception().is_some() {
            return Ok(e);
        }
    }
    let cls = Value::Obj(helpers(vm)?.cancelled_error.clone());
    let args = match msg {
        None | Some(Value::None) => vec![],
        Some(m) => vec![m],
    };
    krait_vm::eval::unwind::create_exception(vm, &cls, &args)
}

/// What a finished future holds.
pub(crate) enum Outcome {
    Result(Value),
    Exception(PyErr),
}

/// The outcome of a done future, marking it retrieved; Err when it was
/// cancelled or is not done.
pub(crate) fn get_result(vm: &Vm, f: &FutObj) -> PyResult<Outcome> {
    let mut st = f.st.borrow_mut();
    if st.loop_.is_none() {
        drop(st);
        return Err(invalid_state(vm, "Future object is not initialized."));
    }
    match st.state {
        State::Cancelled => {
            drop(st);
            Err(make_cancelled_error(vm, f)?)
        }
        State::Pending => {
            drop(st);
            Err(invalid_state(vm, "Result is not set."))
        }
        State::Finished => {
            st.log_tb = false;
            if let Some(Value::Obj(e)) = st.exception.clone() {
                let tb = st.exception_tb.take();
                drop(st);
                if let Some(d) = e.payload.as_exception() {
                    d.traceback.set(tb.filter(|t| !t.is_none()));
                }
                return Ok(Outcome::Exception(e));
            }
            Ok(Outcome::Result(st.result.clone().unwrap_or(Value::None)))
        }
    }
}

/// Adds a done callback, or schedules it when the future is done already.
pub(crate) fn add_done_callback(vm: &Vm, me: &Value, f: &FutObj, func: Value, ctx: Value) -> PyResult<()> {
    let lp = {
        let mut st = f.st.borrow_mut();
        let Some(lp) = st.loop_.clone() else {
            drop(st);
            return Err(not_initialized(vm));
        };
        if st.state == State::Pending {
            st.callbacks.push((func, ctx));
            return Ok(());
        }
        lp
    };
    call_soon(vm, &*helpers(vm)?, &lp, func, Some(me.clone()), Some(&ctx))
}

// ---- methods ----

fn fut_new(vm: &Vm, args: Args) -> PyResult {
    let t = future_type(vm);
    let (cls, _) = crate::native::split_new(vm, args, &t)?;
    Ok(new_object_with_dict(&cls, FutObj { st: RefCell::new(Fields::default()), is_task: false }))
}

fn fut_init(vm: &Vm, args: Args) -> PyResult {
    let (_, f, rest) = me(vm, &args, "__init__")?;
    super::clinic_positional(vm, "Future", &rest, 0, 0)?;
    if rest.kwnames.len() > 1 {
        return Err(vm.new_type_error(format!("Future() takes at most 1 keyword argument ({} given)", rest.kwnames.len())));
    }
    let a = vm.bind_native("Future", rest, &["loop"], 0, 0, Some(0))?;
    future_init(vm, f, a[0].as_ref())?;
    Ok(Value::None)
}

fn fut_result(vm: &Vm, args: Args) -> PyResult {
    let (_, f, rest) = me(vm, &args, "result")?;
    vm.check_arity("Future.result", rest, 0, 0)?;
    match get_result(vm, f)? {
        Outcome::Result(v) => Ok(v),
        Outcome::Exception(e) => Err(e),
    }
}

fn fut_exception(vm: &Vm, args: Args) -> PyResult {
    let (_, f, rest) = me(vm, &args, "exception")?;
    vm.check_arity("Future.exception", rest, 0, 0)?;
    let (state, alive) = {
        let st = f.st.borrow();
        (st.state, st.loop_.is_some())
    };
    if !alive {
        return Err(invalid_state(vm, "Future object is not initialized."));
    }
    match state {
        State::Cancelled => Err(make_cancelled_error(vm, f)?),
        State::Pending => Err(invalid_state(vm, "Exception is not set.")),
        State::Finished => {
            let mut st = f.st.borrow_mut();
            if st.exception.is_some() {
                st.log_tb = false;
            }
            Ok(st.exception.clone().unwrap_or(Value::None))
        }
    }
}

fn fut_set_result(vm: &Vm, args: Args) -> PyResult {
    let (me_, f, rest) = me(vm, &args, "set_result")?;
    vm.check_arity("Future.set_result", rest, 1, 1)?;
    let a = rest.args;
    set_result(vm, me_, f, a[0].clone())?;
    Ok(Value::None)
}

fn fut_set_exception(vm: &Vm, args: Args) -> PyResult {
    let (me_, f, rest) = me(vm, &args, "set_exception")?;
    vm.check_arity("Future.set_exception", rest, 1, 1)?;
    let a = rest.args;
    set_exception(vm, me_, f, &a[0])?;
    Ok(Value::None)
}

fn fut_add_done_callback(vm: &Vm, args: Args) -> PyResult {
    let (me_, f, rest) = me(vm, &args, "add_done_callback")?;
    super::clinic_positional(vm, "add_done_callback", &rest, 1, 1)?;
    let a = vm.bind_native("add_done_callback", rest, &["fn", "context"], 1, 1, Some(1))?;
    let func = a[0].clone().unwrap();
    let ctx = match &a[1] {
        None | Some(Value::None) => crate::contextvars::copy_current(vm)?,
        Some(c) => c.clone(),
    };
    add_done_callback(vm, me_, f, func, ctx)?;
    Ok(Value::None)
}

fn fut_remove_done_callback(vm: &Vm, args: Args) -> PyResult {
    let (_, f, rest) = me(vm, &args, "remove_done_callback")?;
    vm.check_arity("Future.remove_done_callback", rest, 1, 1)?;
    let a = rest.args;
    let func = &a[0];
    if f.st.borrow().loop_.is_none() {
        return Err(not_initialized(vm));
    }
    // Compared on a copy: `__eq__` may change the list; the survivors
    // replace it only if it was not changed meanwhile (else the callbacks
    // it has now stay, as CPython keeps a list mutated under it).
    let snapshot: Vec<(Value, Value)> = f.st.borrow().callbacks.clone();
    let mut kept = Vec::with_capacity(snapshot.len());
    for (cb, ctx) in &snapshot {
        if !vm.eq_bool(cb, func)? {
            kept.push((cb.clone(), ctx.clone()));
        }
    }
    let removed = snapshot.len() - kept.len();
    if removed > 0 {
        let mut st = f.st.borrow_mut();
        let unchanged = st.callbacks.len() == snapshot.len()
            && st.callbacks.iter().zip(&snapshot).all(|(a, b)| a.0.is(&b.0) && a.1.is(&b.1));
        let old = if unchanged { Some(std::mem::replace(&mut st.callbacks, kept)) } else { None };
        drop(st);
        drop(old);
    }
    Ok(Value::Int(removed as i64))
}

fn fut_cancel(vm: &Vm, args: Args) -> PyResult {
    let (me_, f, rest) = me(vm, &args, "cancel")?;
    let a = vm.bind_native("cancel", rest, &["msg"], 0, 0, None)?;
    if f.st.borrow().loop_.is_none() {
        return Err(not_initialized(vm));
    }
    Ok(Value::Bool(future_cancel(vm, me_, f, a[0].clone())?))
}

fn fut_cancelled(vm: &Vm, args: Args) -> PyResult {
    let (_, f, rest) = me(vm, &args, "cancelled")?;
    vm.check_arity("Future.cancelled", rest, 0, 0)?;
    let st = f.st.borrow();
    Ok(Value::Bool(st.loop_.is_some() && st.state == State::Cancelled))
}

fn fut_done(vm: &Vm, args: Args) -> PyResult {
    let (_, f, rest) = me(vm, &args, "done")?;
    vm.check_arity("Future.done", rest, 0, 0)?;
    let st = f.st.borrow();
    Ok(Value::Bool(st.loop_.is_some() && st.state != State::Pending))
}

fn fut_get_loop(vm: &Vm, args: Args) -> PyResult {
    let (_, f, rest) = me(vm, &args, "get_loop")?;
    vm.check_arity("Future.get_loop", rest, 0, 0)?;
    loop_of(vm, f)
}

fn fut_make_cancelled_error(vm: &Vm, args: Args) -> PyResult {
    let (_, f, rest) = me(vm, &args, "_make_cancelled_error")?;
    vm.check_arity("Future._make_cancelled_error", rest, 0, 0)?;
    Ok(Value::Obj(make_cancelled_error(vm, f)?))
}

fn fut_repr(vm: &Vm, args: Args) -> PyResult {
    let (me_, _, _) = me(vm, &args, "__repr__")?;
    super::call_helper(vm, |h| &h.future_repr, me_)
}

fn fut_await(vm: &Vm, args: Args) -> PyResult {
    let (me_, f, rest) = me(vm, &args, "__await__")?;
    vm.check_arity("__await__", rest, 0, 0)?;
    if f.st.borrow().loop_.is_none() {
        return Err(not_initialized(vm));
    }
    let t = iter_type(vm);
    Ok(new_object(vm, &t, &t, FutureIter { fut: RefCell::new(Some(me_.clone())) }))
}

/// CPython's `FutureObj_finalize`: a future whose exception nobody
/// retrieved reports it to the loop's exception handler.
pub(crate) fn log_unretrieved(vm: &Vm, me_: &Value, f: &FutObj) -> PyResult<()> {
    let (exc, lp, source_tb) = {
        let mut st = f.st.borrow_mut();
        if !st.log_tb {
            return Ok(());
        }
        st.log_tb = false;
        (st.exception.clone(), st.loop_.clone(), st.source_tb.clone())
    };
    let Some(lp) = lp else { return Ok(()) };
    let message = vm.new_str(format!("{} exception was never retrieved", crate::native::short_type_name(vm, me_)));
    let entries = [("message", message), ("exception", exc.unwrap_or(Value::None)), ("future", me_.clone())];
    report_to_loop(vm, &lp, &entries, source_tb)
}

/// `loop.call_exception_handler(context)` with a context dict of `entries`
/// and the object's creation traceback, if recorded.
pub(crate) fn report_to_loop(vm: &Vm, lp: &Value, entries: &[(&str, Value)], source_tb: Option<Value>) -> PyResult<()> {
    let ctx = vm.new_dict();
    for (k, v) in entries {
        vm.dict_set_str(&ctx, &vm.intern(k), v.clone());
    }
    if let Some(tb) = source_tb {
        vm.dict_set_str(&ctx, &vm.intern("source_traceback"), tb);
    }
    vm.call_method(lp, "call_exception_handler", &[Value::Obj(ctx)])?;
    Ok(())
}

fn fut_del(vm: &Vm, args: Args) -> PyResult {
    let (me_, f, _) = me(vm, &args, "__del__")?;
    log_unretrieved(vm, me_, f)?;
    Ok(Value::None)
}

// ---- attributes ----

fn opt(v: &Option<Value>) -> Value {
    v.clone().unwrap_or(Value::None)
}

fn get_state(vm: &Vm, v: &Value) -> PyResult {
    let f = getset_fut(vm, v, "_state")?;
    let st = f.st.borrow();
    if st.loop_.is_none() {
        drop(st);
        return Err(not_initialized(vm));
    }
    Ok(vm.new_str(st.state.name()))
}

fn get_blocking(vm: &Vm, v: &Value) -> PyResult {
    let f = getset_fut(vm, v, "_asyncio_future_blocking")?;
    Ok(Value::Bool(f.st.borrow().blocking))
}

fn cannot_delete(vm: &Vm) -> PyErr {
    vm.new_attribute_error("cannot delete attribute")
}

fn set_blocking(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let f = getset_fut(vm, v, "_asyncio_future_blocking")?;
    let value = value.ok_or_else(|| cannot_delete(vm))?;
    let b = vm.truthy(&value)?;
    f.st.borrow_mut().blocking = b;
    Ok(())
}

fn get_log_traceback(vm: &Vm, v: &Value) -> PyResult {
    let f = getset_fut(vm, v, "_log_traceback")?;
    Ok(Value::Bool(f.st.borrow().log_tb))
}

fn set_log_traceback(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let f = getset_fut(vm, v, "_log_traceback")?;
    let value = value.ok_or_else(|| cannot_delete(vm))?;
    if vm.truthy(&value)? {
        return Err(vm.new_value_error("_log_traceback can only be set to False"));
    }
    f.st.borrow_mut().log_tb = false;
    Ok(())
}

fn get_loop(vm: &Vm, v: &Value) -> PyResult {
    Ok(opt(&getset_fut(vm, v, "_loop")?.st.borrow().loop_))
}

fn get_callbacks(vm: &Vm, v: &Value) -> PyResult {
    let f = getset_fut(vm, v, "_callbacks")?;
    let st = f.st.borrow();
    if st.loop_.is_none() {
        drop(st);
        return Err(not_initialized(vm));
    }
    if st.callbacks.is_empty() {
        return Ok(Value::None);
    }
    let items: Vec<(Value, Value)> = st.callbacks.clone();
    drop(st);
    Ok(vm.new_list(items.into_iter().map(|(cb, ctx)| vm.new_tuple(vec![cb, ctx])).collect()))
}

fn get_result_attr(vm: &Vm, v: &Value) -> PyResult {
    Ok(opt(&getset_fut(vm, v, "_result")?.st.borrow().result))
}

fn get_exception_attr(vm: &Vm, v: &Value) -> PyResult {
    Ok(opt(&getset_fut(vm, v, "_exception")?.st.borrow().exception))
}

fn get_source_traceback(vm: &Vm, v: &Value) -> PyResult {
    Ok(opt(&getset_fut(vm, v, "_source_traceback")?.st.borrow().source_tb))
}

fn get_cancel_message(vm: &Vm, v: &Value) -> PyResult {
    Ok(opt(&getset_fut(vm, v, "_cancel_message")?.st.borrow().cancel_msg))
}

fn set_cancel_message(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let f = getset_fut(vm, v, "_cancel_message")?;
    let value = value.ok_or_else(|| cannot_delete(vm))?;
    let old = std::mem::replace(&mut f.st.borrow_mut().cancel_msg, Some(value));
    drop(old);
    Ok(())
}

static FUTURE_METHODS: [NativeDef; 18] = [
    NativeDef::staticmethod("__new__", fut_new),
    NativeDef::method("__init__", fut_init),
    NativeDef::method("result", fut_result),
    NativeDef::method("exception", fut_exception),
    NativeDef::method("set_result", fut_set_result),
    NativeDef::method("set_exception", fut_set_exception),
    NativeDef::method("add_done_callback", fut_add_done_callback),
    NativeDef::method("remove_done_callback", fut_remove_done_callback),
    NativeDef::method("cancel", fut_cancel),
    NativeDef::method("cancelled", fut_cancelled),
    NativeDef::method("done", fut_done),
    NativeDef::method("get_loop", fut_get_loop),
    NativeDef::method("_make_cancelled_error", fut_make_cancelled_error),
    NativeDef::method("__repr__", fut_repr),
    NativeDef::method("__await__", fut_await),
    NativeDef::method("__iter__", fut_await),
    NativeDef::method("__del__", fut_del),
    NativeDef::classmethod("__class_getitem__", class_getitem),
];

static FUTURE_GETSETS: [GetSetDef; 9] = [
    GetSetDef { name: "_state", get: get_state, set: None, doc: "" },
    GetSetDef { name: "_asyncio_future_blocking", get: get_blocking, set: Some(set_blocking), doc: "" },
    GetSetDef { name: "_log_traceback", get: get_log_traceback, set: Some(set_log_traceback), doc: "" },
    GetSetDef { name: "_loop", get: get_loop, set: None, doc: "" },
    GetSetDef { name: "_callbacks", get: get_callbacks, set: None, doc: "" },
    GetSetDef { name: "_result", get: get_result_attr, set: None, doc: "" },
    GetSetDef { name: "_exception", get: get_exception_attr, set: None, doc: "" },
    GetSetDef { name: "_source_traceback", get: get_source_traceback, set: None, doc: "" },
    GetSetDef { name: "_cancel_message", get: get_cancel_message, set: Some(set_cancel_message), doc: "" },
];

pub(crate) static FUTURE: TypeSpec = TypeSpec {
    module: "_asyncio",
    name: "Future",
    doc: "This class is *almost* compatible with concurrent.futures.Future.\n\n    Differences:\n\n    - result() and exception() do not take a timeout argument and\n      raise an exception when the future isn't done yet.\n\n    - Callbacks registered with add_done_callback() are always called\n      via the event loop's call_soon_threadsafe().\n\n    - This class is not compatible with the wait() and as_completed()\n      methods in the concurrent.futures package.",
    layout: Layout::Other,
    flags: type_flags::BASETYPE | type_flags::HAS_DICT | type_flags::HAS_WEAKREF,
    base: None,
    slots: &[],
    methods: &FUTURE_METHODS,
    more_methods: &[],
    getsets: &FUTURE_GETSETS,
};

// ---- the iterator of `await future` ----

/// Yields its future once while it is pending (marking it blocking, which
/// tells a task it was awaited properly), then returns its result.
struct FutureIter {
    fut: RefCell<Option<Value>>,
}

impl NativeData for FutureIter {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        crate::native::visit_refcell(&self.fut, visitor, |f, v| {
            if let Some(f) = f {
                v.visit_value(f);
            }
        });
    }
    fn clear(&self) {
        crate::native::take_refcell(&self.fut);
    }
}

fn iter_me<'a>(vm: &Vm, args: &Args<'a>, name: &str) -> PyResult<(&'a FutureIter, &'a [Value])> {
    let Some((first, rest)) = args.args.split_first() else {
        return Err(vm.new_type_error(format!("descriptor '{name}' of '_asyncio.FutureIter' object needs an argument")));
    };
    let it = first
        .payload()
        .and_then(|p| p.as_native::<FutureIter>())
        .ok_or_else(|| descr_error(vm, name, "_asyncio.FutureIter", first))?;
    crate::native::no_kwargs(vm, name, args)?;
    Ok((it, rest))
}

fn iter_step(vm: &Vm, it: &FutureIter) -> PyResult {
    let Some(fut) = it.fut.borrow().clone() else { return Err(vm.new_stop_iteration(None)) };
    let Some(f) = fut_of(&fut) else { return Err(vm.new_stop_iteration(None)) };
    {
        let mut st = f.st.borrow_mut();
        if st.state == State::Pending {
            if !st.blocking {
                st.blocking = true;
                return Ok(fut.clone());
            }
            drop(st);
            return Err(vm.new_runtime_error("await wasn't used with future"));
        }
    }
    let old = it.fut.borrow_mut().take();
    drop(old);
    match get_result(vm, f)? {
        Outcome::Result(v) => Err(vm.new_stop_iteration(Some(v))),
        Outcome::Exception(e) => Err(e),
    }
}

fn iter_next(vm: &Vm, args: Args) -> PyResult {
    let (it, rest) = iter_me(vm, &args, "__next__")?;
    if !rest.is_empty() {
        return Err(vm.new_type_error(format!("expected 0 arguments, got {}", rest.len())));
    }
    iter_step(vm, it)
}

/// `send(value)`: the value is ignored (a future has nothing to receive).
fn iter_send(vm: &Vm, args: Args) -> PyResult {
    let (it, rest) = iter_me(vm, &args, "send")?;
    vm.check_arity("FutureIter.send", Args::new(rest), 1, 1)?;
    iter_step(vm, it)
}

/// `throw(typ[, val[, tb]])`: raises the exception here; the iterator is done.
fn iter_throw(vm: &Vm, args: Args) -> PyResult {
    let (it, rest) = iter_me(vm, &args, "throw")?;
    if rest.is_empty() || rest.len() > 3 {
        return Err(vm.new_type_error(if rest.is_empty() {
            "throw expected at least 1 argument, got 0".to_string()
        } else {
            format!("throw expected at most 3 arguments, got {}", rest.len())
        }));
    }
    let tb = rest.get(2).filter(|t| !t.is_none());
    if tb.is_some_and(|t| !matches!(t.payload(), Some(krait_vm::payload::Payload::Traceback(_)))) {
        return Err(vm.new_type_error("throw() third argument must be a traceback"));
    }
    let is_exc = match &rest[0] {
        Value::Obj(o) if o.payload.as_type().is_some() => vm.is_subtype(o, &vm.exc.base_exception),
        Value::Obj(o) => o.payload.as_exception().is_some(),
        _ => false,
    };
    if !is_exc {
        return Err(vm.new_type_error("exceptions must be classes deriving BaseException or instances of such a class"));
    }
    let exc = krait_vm::eval::generator::make_throw_exception(vm, &rest[0], rest.get(1), tb)?;
    let old = it.fut.borrow_mut().take();
    drop(old);
    Err(exc)
}

fn iter_close(vm: &Vm, args: Args) -> PyResult {
    let (it, _) = iter_me(vm, &args, "close")?;
    let old = it.fut.borrow_mut().take();
    drop(old);
    Ok(Value::None)
}

fn iter_iter(vm: &Vm, args: Args) -> PyResult {
    iter_me(vm, &args, "__iter__")?;
    Ok(args.args[0].clone())
}

fn iter_new(vm: &Vm, _args: Args) -> PyResult {
    Err(vm.new_type_error("cannot create '_asyncio.FutureIter' instances"))
}

static ITER_METHODS: [NativeDef; 6] = [
    NativeDef::staticmethod("__new__", iter_new),
    NativeDef::method("__iter__", iter_iter),
    NativeDef::method("__next__", iter_next),
    NativeDef::method("send", iter_send),
    NativeDef::method("throw", iter_throw),
    NativeDef::method("close", iter_close),
];

static FUTURE_ITER: TypeSpec = TypeSpec {
    module: "_asyncio",
    name: "FutureIter",
    doc: "",
    layout: Layout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &ITER_METHODS,
    more_methods: &[],
    getsets: &[],
};
