//! Generators, coroutines and async generators: an object owning a suspended
//! frame. Resuming runs the frame in a nested eval-loop run until it yields
//! (the frame goes back into the generator) or returns (the generator is
//! exhausted and the frame is recycled).
//!
//! The handled exception of a generator (`sys.exc_info()` inside it) is saved
//! in the generator between runs and pushed on `vm.exc_stack` while it runs.

use crate::eval::exec::{run, Exit};
use crate::eval::frame::Frame;
use crate::object::{PyRef, ValueCell};
use crate::payload::Payload;
use crate::types::function::FunctionData;
use crate::value::Value;
use crate::{Args, PyErr, PyResult, Vm};
use krait_compiler::bytecode::Opcode;
use krait_compiler::code::flags;
use std::cell::{Cell, RefCell};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenKind {
    Generator,
    Coroutine,
    AsyncGenerator,
}

impl GenKind {
    /// The word used in error messages ("generator", "coroutine", ...).
    pub fn word(self) -> &'static str {
        match self {
            GenKind::Generator => "generator",
            GenKind::Coroutine => "coroutine",
            GenKind::AsyncGenerator => "async generator",
        }
    }
}

pub struct GeneratorData {
    /// The suspended frame; None once finished (or while running: see `running`).
    pub frame: RefCell<Option<Box<Frame>>>,
    pub running: Cell<bool>,
    /// While running, its frame (out of `frame` then): for `gi_frame`.
    pub running_frame: Cell<*const Frame>,
    /// Has the frame run at least once?
    pub started: Cell<bool>,
    pub kind: GenKind,
    pub code: PyRef,
    pub name: ValueCell,
    pub qualname: ValueCell,
    /// The generator's own handled exception, saved while suspended.
    pub exc_state: ValueCell,
    /// A Python frame object for `gi_frame`, made on demand.
    pub frame_obj: ValueCell,
    /// Async generators: have PEP 525's hooks been looked at (first
    /// `__anext__`/`asend`/`athrow`/`aclose`)? Then `async_finalizer` holds
    /// the thread's finalizer hook of that moment, called instead of closing
    /// the generator when it is freed unfinished.
    pub hooks_inited: Cell<bool>,
    pub async_finalizer: ValueCell,
    /// Coroutines: `cr_origin`, the (filename, lineno, name) of the frames
    /// that created it, when origin tracking was on (see `coroutine_origin`).
    pub origin: ValueCell,
}

/// Makes the generator (coroutine, async generator) for a call of `func`
/// whose arguments are bound in `frame`.
pub fn new_generator(vm: &Vm, func: &PyRef, fd: &FunctionData, mut frame: Box<Frame>) -> Value {
    let _ = func;
    let co_flags = frame.code().code.flags;
    let (kind, typ) = if co_flags & flags::COROUTINE != 0 {
        (GenKind::Coroutine, vm.types.coroutine.clone())
    } else if co_flags & flags::ASYNC_GENERATOR != 0 {
        (GenKind::AsyncGenerator, vm.types.async_generator.clone())
    } else {
        (GenKind::Generator, vm.types.generator.clone())
    };
    // Skip the prologue's ReturnGenerator. CPython's first resume pushes
    // the sent None for a following POP_TOP; krait's prologue has none, so
    // `resume` pushes nothing the first time and the body starts on the empty
    // stack its exception table assumes.
    if frame.code().code.code.first().map(|i| i.op()) == Some(Opcode::ReturnGenerator) {
        frame.pc = 1;
    }
    frame.is_gen = true;
    let code = PyRef::clone(&frame.code);
    let data = GeneratorData {
        frame: RefCell::new(Some(frame)),
        running: Cell::new(false),
        running_frame: Cell::new(std::ptr::null()),
        started: Cell::new(false),
        kind,
        code,
        name: ValueCell::new(fd.name.get()),
        qualname: ValueCell::new(fd.qualname.get()),
        exc_state: ValueCell::new(None),
        frame_obj: ValueCell::new(None),
        hooks_inited: Cell::new(false),
        async_finalizer: ValueCell::new(None),
        origin: ValueCell::new(match vm.coro_origin_depth.get() {
            0 => None,
            depth if kind == GenKind::Coroutine => Some(coroutine_origin(vm, depth)),
            _ => None,
        }),
    };
    Value::Obj(PyRef::new(typ, Payload::Generator(Box::new(data))))
}

/// CPython's `compute_cr_origin`: (filename, lineno, name) of the running
/// frames, innermost first, at most `depth` of them.
fn coroutine_origin(vm: &Vm, depth: u32) -> Value {
    let frames = vm.frames.borrow().clone();
    let entries = frames
        .iter()
        .rev()
        .take(depth as usize)
        .map(|fr| {
            // SAFETY: frames listed on `vm.frames` are alive while this
            // thread (holding the GIL) runs; they are only read here.
            let f = unsafe { fr.0.as_ref() };
            let pc = f.code();
            let line = Value::Int(f.lineno() as i64);
            vm.new_tuple(vec![Value::Obj(pc.filename.clone()), line, Value::Obj(pc.name.clone())])
        })
        .collect();
    vm.new_tuple(entries)
}

pub fn gen_data(v: &Value) -> Option<&GeneratorData> {
    match v.payload() {
        Some(Payload::Generator(g)) => Some(g),
        _ => None,
    }
}

/// Is this coroutine suspended inside an `await` (delegating)?
pub fn is_awaiting(v: &Value) -> bool {
    gen_data(v).is_some_and(|g| yield_from_target(g).is_some())
}

/// The iterator a suspended generator delegates to (`gi_yieldfrom`).
pub fn yield_from_target(g: &GeneratorData) -> Option<Value> {
    let fr = g.frame.borrow();
    let f = fr.as_ref()?;
    let code = f.code();
    let resume = code.code.code.get(f.pc as usize)?;
    if resume.op() == Opcode::Resume && resume.arg() >= 2 && g.started.get() {
        f.stack().last().cloned()
    } else {
        None
    }
}

/// Resumes `gen` with `value` sent in (or `throw` raised at the yield).
/// Ok(Ok(v)): it yielded v; Ok(Err(v)): it returned v.
fn resume(vm: &Vm, gen: &PyRef, value: Value, throw: Option<PyErr>) -> PyResult<Result<Value, Value>> {
    let g = match &gen.payload {
        Payload::Generator(g) => g,
        _ => return Err(vm.new_type_error("not a generator")),
    };
    if g.running.get() {
        return Err(vm.new_value_error(format!("{} already executing", g.kind.word())));
    }
    let frame = g.frame.borrow_mut().take();
    let mut frame = match frame {
        Some(f) => f,
        None => {
            if let Some(e) = throw {
                // Throwing into a finished generator re-raises; a finished
                // coroutine refuses (`close` never gets here).
                if g.kind == GenKind::Coroutine {
                    return Err(vm.new_runtime_error("cannot reuse already awaited coroutine"));
                }
                return Err(e);
            }
            return match g.kind {
                GenKind::Coroutine => Err(vm.new_runtime_error("cannot reuse already awaited coroutine")),
                GenKind::AsyncGenerator => Err(vm.new_exception(&vm.exc.stop_async_iteration, vec![])),
                GenKind::Generator => Ok(Err(Value::None)),
            };
        }
    };
    if !g.started.get() && throw.is_none() && !value.is_none() {
        *g.frame.borrow_mut() = Some(frame);
        return Err(vm.new_type_error(format!("can't send non-None value to a just-started {}", g.kind.word())));
    }
    let first = !g.started.replace(true);
    if throw.is_none() && !first {
        crate::eval::exec::push_value(&mut frame.slots, value);
    }
    g.running.set(true);
    g.running_frame.set(&*frame);
    let handling = g.exc_state.take();
    let chain = matches!(handling, Some(Value::Obj(_)));
    vm.exc_stack.borrow_mut().push(handling);
    if let (Some(e), true) = (&throw, chain) {
        // What is thrown in chains to the exception the generator handles,
        // even if it was raised elsewhere (by a `yield from` subiterator):
        // CPython's `_PyErr_ChainStackItem`.
        crate::eval::unwind::set_context(vm, e);
    }
    let r = run(vm, &mut frame, throw);
    g.running_frame.set(std::ptr::null());
    let saved = vm.exc_stack.borrow_mut().pop().flatten();
    g.exc_state.set(saved);
    g.running.set(false);
    match r {
        Ok(Exit::Yield(v)) => {
            *g.frame.borrow_mut() = Some(frame);
            Ok(Ok(v))
        }
        Ok(Exit::Return(v)) => {
            Frame::recycle(frame);
            g.exc_state.set(None);
            Ok(Err(v))
        }
        Err(e) => {
            Frame::recycle(frame);
            g.exc_state.set(None);
            Err(convert_stop(vm, g.kind, e))
        }
    }
}

/// Takes the suspended frame of `gen` to run it in the eval loop's own
/// chain, for `next()` from a `for` loop or for `send(value)`: the
/// bookkeeping of `resume` for a plain generator, without a nested run.
/// The frame keeps `gen` (its `inline_gen`). Gives `gen` and `value` back
/// when the generator must go the general way (not a plain generator,
/// running, finished, or a value sent to a fresh one).
pub(crate) fn resume_inline(
    vm: &Vm,
    gen: PyRef,
    value: Value,
    mode: crate::eval::frame::InlineMode,
) -> Result<Box<Frame>, (PyRef, Value)> {
    let Payload::Generator(g) = &gen.payload else { return Err((gen, value)) };
    if g.kind != GenKind::Generator || g.running.get() || (!g.started.get() && !value.is_none()) {
        return Err((gen, value));
    }
    let Some(mut frame) = g.frame.borrow_mut().take() else { return Err((gen, value)) };
    if g.started.replace(true) {
        // The value of the `yield` it stopped at.
        crate::eval::exec::push_value(&mut frame.slots, value);
    }
    g.running.set(true);
    g.running_frame.set(&*frame);
    crate::eval::value_stack::push_inline(&mut vm.exc_stack.borrow_mut(), g.exc_state.take());
    frame.inline_mode = mode;
    frame.inline_gen = Some(gen);
    Ok(frame)
}

/// The counterpart of `resume_inline` when the frame yields (`finished`
/// false: the generator keeps it) or stops, returning or raising (`finished`
/// true: the caller recycles it).
pub(crate) fn suspend_inline(vm: &Vm, gen: &PyRef, frame: Box<Frame>, finished: bool) -> Option<Box<Frame>> {
    let Payload::Generator(g) = &gen.payload else { return Some(frame) };
    let saved = vm.exc_stack.borrow_mut().pop().flatten();
    g.running.set(false);
    g.running_frame.set(std::ptr::null());
    if finished {
        g.exc_state.set(None);
        drop(saved);
        Some(frame)
    } else {
        g.exc_state.set(saved);
        *g.frame.borrow_mut() = Some(frame);
        None
    }
}

/// PEP 479: a StopIteration escaping a generator becomes a RuntimeError.
pub(crate) fn convert_stop(vm: &Vm, kind: GenKind, e: PyErr) -> PyErr {
    let msg = if vm.exception_matches(&e, &vm.exc.stop_iteration) {
        format!("{} raised StopIteration", kind.word())
    } else if kind == GenKind::AsyncGenerator && vm.exception_matches(&e, &vm.exc.stop_async_iteration) {
        "async generator raised StopAsyncIteration".to_string()
    } else {
        return e;
    };
    crate::eval::unwind::with_cause(vm.new_runtime_error(msg), e)
}

/// One `send` step used by `yield from`/`await` and by `send()`.
pub fn send_raw(vm: &Vm, gen: &PyRef, value: Value) -> PyResult<Result<Value, Value>> {
    resume(vm, gen, value, None)
}

/// `next(gen)`: Some(value), or None when the generator returns.
pub fn gen_next(vm: &Vm, gen: &Value) -> PyResult<Option<Value>> {
    let Some(g) = gen.as_obj() else { return Err(vm.new_type_error("not a generator")) };
    Ok(resume(vm, g, Value::None, None)?.ok())
}

/// The StopIteration for a generator's return value.
pub fn stop_iteration_for(vm: &Vm, v: Value) -> PyErr {
    if v.is_none() {
        vm.new_stop_iteration(None)
    } else {
        vm.new_stop_iteration(Some(v))
    }
}

/// `gen.send(value)`.
pub fn gen_send(vm: &Vm, gen: &PyRef, value: Value) -> PyResult {
    match resume(vm, gen, value, None)? {
        Ok(v) => Ok(v),
        Err(r) => Err(stop_iteration_for(vm, r)),
    }
}

/// Closes the iterator a generator delegates to.
fn close_iter(vm: &Vm, yf: &Value) -> PyResult<()> {
    if let (Some(_), Some(o)) = (gen_data(yf), yf.as_obj()) {
        return gen_close(vm, o);
    }
    // A failing lookup of `close` is reported and closing goes on (CPython).
    match vm.getattr_opt(yf, "close") {
        Ok(Some(close)) => {
            vm.call(&close, Args::EMPTY)?;
        }
        Ok(None) => {}
        Err(e) => crate::finalize::write_unraisable(vm, &e, None, Some(yf)),
    }
    Ok(())
}

/// `gen.throw(exc)`: Ok(Ok(v)) if the generator yielded v afterwards.
pub fn gen_throw_raw(vm: &Vm, gen: &PyRef, exc: PyErr) -> PyResult<Result<Value, Value>> {
    let g = match &gen.payload {
        Payload::Generator(g) => g,
        _ => return Err(vm.new_type_error("not a generator")),
    };
    if let Some(yf) = yield_from_target(g) {
        if vm.exception_matches(&exc, &vm.exc.generator_exit) {
            g.running.set(true);
            let r = close_iter(vm, &yf);
            g.running.set(false);
            if let Err(e) = r {
                return resume(vm, gen, Value::None, Some(e));
            }
            return resume(vm, gen, Value::None, Some(exc));
        }
        g.running.set(true);
        let sub: Option<PyResult<Result<Value, Value>>> = if let (Some(_), Some(o)) = (gen_data(&yf), yf.as_obj()) {
            Some(gen_throw_raw(vm, o, exc.clone()))
        } else {
            match vm.getattr_opt(&yf, "throw") {
                Err(e) => {
                    // Raised by throw() itself; the generator stays suspended.
                    g.running.set(false);
                    return Err(e);
                }
                Ok(None) => None,
                Ok(Some(t)) => Some(match vm.call(&t, Args::new(&[Value::Obj(exc.clone())])) {
                    Ok(v) => Ok(Ok(v)),
                    Err(e) if vm.exception_matches(&e, &vm.exc.stop_iteration) => {
                        Ok(Err(crate::eval::ops::stop_iteration_value(vm, &e)))
                    }
                    Err(e) => Err(e),
                }),
            }
        };
        g.running.set(false);
        match sub {
            None => {}
            Some(Ok(Ok(v))) => return Ok(Ok(v)),
            Some(Ok(Err(done))) => {
                // The subiterator finished: leave the delegation loop (pop it,
                // continue after the Send) with its result as the value.
                {
                    let mut fr = g.frame.borrow_mut();
                    if let Some(f) = fr.as_mut() {
                        let send_at = (f.pc as usize).saturating_sub(2);
                        let target = f.code().code.code.get(send_at).filter(|i| i.op() == Opcode::Send).map(|i| i.arg());
                        if let Some(t) = target {
                            f.slots.pop();
                            f.pc = t;
                        }
                    }
                }
                return resume(vm, gen, done, None);
            }
            Some(Err(e)) => return resume(vm, gen, Value::None, Some(e)),
        }
    }
    resume(vm, gen, Value::None, Some(exc))
}

/// Builds the exception of `throw(typ[, val[, tb]])` (CPython's rules): Err
/// for bad arguments, raised by `throw` itself; Ok for what goes into the
/// generator, which is the error if instantiating `typ` failed.
pub fn make_throw_exception(vm: &Vm, typ: &Value, val: Option<&Value>, tb: Option<&Value>) -> PyResult<PyErr> {
    if let Some(tb) = tb {
        if !tb.is_none() && !matches!(tb.payload(), Some(Payload::Traceback(_))) {
            return Err(vm.new_type_error("throw() third argument must be a traceback object"));
        }
    }
    let exc = match typ {
        Value::Obj(t) if t.payload.as_type().is_some() && vm.is_subtype(t, &vm.exc.base_exception) => {
            match val {
                Some(v) if v.as_obj().is_some_and(|o| o.payload.as_exception().is_some() && vm.is_subtype(o.class(), t)) => {
                    v.as_obj().unwrap().clone()
                }
                _ => {
                    let args: Vec<Value> = match val {
                        None | Some(Value::None) => Vec::new(),
                        Some(v) => match v.payload().and_then(|p| p.as_tuple()) {
                            Some(t) => t.to_vec(),
                            None => vec![v.clone()],
                        },
                    };
                    // Failing to instantiate is an error raised inside the
                    // generator (CPython normalizes the thrown exception there).
                    match crate::eval::unwind::create_exception(vm, typ, &args) {
                        Ok(o) => o,
                        Err(e) => return Ok(e),
                    }
                }
            }
        }
        Value::Obj(o) if o.payload.as_exception().is_some() => {
            if val.is_some_and(|v| !v.is_none()) {
                return Err(vm.new_type_error("instance exception may not have a separate value"));
            }
            o.clone()
        }
        _ => {
            return Err(vm.new_type_error(format!(
                "exceptions must be classes or instances deriving from BaseException, not {}",
                vm.type_name_of(typ)
            )))
        }
    };
    if let (Some(tb), Some(d)) = (tb, exc.payload.as_exception()) {
        if !tb.is_none() {
            d.traceback.set(Some(tb.clone()));
        }
    }
    Ok(exc)
}

/// PEP 525's `async_gen_init_hooks`: on an async generator's first
/// `__anext__`/`asend`/`athrow`/`aclose`, it keeps the running thread's
/// finalizer hook and is passed to its firstiter hook.
pub fn init_async_hooks(vm: &Vm, gen: &PyRef) -> PyResult<()> {
    let Payload::Generator(g) = &gen.payload else { return Ok(()) };
    if g.hooks_inited.replace(true) {
        return Ok(());
    }
    let [firstiter, finalizer] = vm.asyncgen_hooks.borrow().clone();
    g.async_finalizer.set(finalizer);
    match firstiter {
        Some(f) => vm.call1(&f, &[Value::Obj(gen.clone())]).map(drop),
        None => Ok(()),
    }
}

/// `gen.close()`.
pub fn gen_close(vm: &Vm, gen: &PyRef) -> PyResult<()> {
    let g = match &gen.payload {
        Payload::Generator(g) => g,
        _ => return Err(vm.new_type_error("not a generator")),
    };
    if g.running.get() {
        return Err(vm.new_value_error(format!("{} already executing", g.kind.word())));
    }
    if g.frame.borrow().is_none() {
        return Ok(());
    }
    if !g.started.get() {
        let f = g.frame.borrow_mut().take();
        if let Some(f) = f {
            Frame::recycle(f);
        }
        return Ok(());
    }
    let mut exc = None;
    if let Some(yf) = yield_from_target(g) {
        g.running.set(true);
        let r = close_iter(vm, &yf);
        g.running.set(false);
        if let Err(e) = r {
            exc = Some(e);
        }
    }
    let exc = exc.unwrap_or_else(|| vm.new_exception(&vm.exc.generator_exit, vec![]));
    match resume(vm, gen, Value::None, Some(exc)) {
        Ok(Ok(_)) => Err(vm.new_runtime_error(format!("{} ignored GeneratorExit", g.kind.word()))),
        Ok(Err(_)) => Ok(()),
        Err(e) if vm.exception_matches(&e, &vm.exc.generator_exit) || vm.exception_matches(&e, &vm.exc.stop_iteration) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Finalizer for a generator being freed: closes a suspended generator, as
/// CPython's `_PyGen_Finalize`; an error (other than the GeneratorExit the
/// close expects) is reported as unraisable.
pub fn finalize_generator(vm: &Vm, gen: &PyRef) {
    // CPython's gen_dealloc clears the weak references (running their
    // callbacks) before it closes the generator, unlike other objects. Only
    // when it is being freed (the finalizer's lent count is the only one).
    if gen.has_weakrefs() && gen.refcount() == 1 {
        let live = crate::object::clear_weakrefs_of_garbage(gen, &Default::default());
        crate::types::weakref::run_callbacks(vm, live);
    }
    if let Payload::Generator(g) = &gen.payload {
        if let (Some(finalizer), true) = (g.async_finalizer.get(), g.frame.borrow().is_some()) {
            // PEP 525: the event loop's hook schedules `aclose()` (keeping
            // the generator alive) instead of closing it here.
            if let Err(e) = vm.call1(&finalizer, &[Value::Obj(gen.clone())]) {
                crate::types::weakref::write_unraisable(vm, &e, &Value::Obj(gen.clone()));
            }
            return;
        }
        if g.started.get() && g.frame.borrow().is_some() && !g.running.get() {
            if let Err(e) = gen_close(vm, gen) {
                crate::types::weakref::write_unraisable(vm, &e, &Value::Obj(gen.clone()));
            }
        } else if matches!(g.kind, GenKind::Coroutine) && !g.started.get() && g.frame.borrow().is_some() {
            warn_unawaited_coroutine(vm, gen);
        }
    }
}

/// A coroutine freed without ever running: "RuntimeWarning: coroutine '...'
/// was never awaited" at the running line, through `warnings.warn` (so
/// filters apply), as CPython's `_PyErr_WarnUnawaitedCoroutine`; an error (a
/// filter turning it into an exception) is reported as unraisable. What
/// `warnings._warn_unawaited_coroutine` does, without its `source=`: the
/// pure-Python `warn_explicit` krait runs mistakes that for the output file.
fn warn_unawaited_coroutine(vm: &Vm, coro: &PyRef) {
    let this = Value::Obj(coro.clone());
    // As CPython, through `warnings._warn_unawaited_coroutine` (it adds where
    // the coroutine was made) when there is one; its failure is reported,
    // and unless it was the warning itself, the plain warning follows.
    let hook = vm.import_full("warnings").and_then(|w| vm.getattr_opt(&Value::Obj(w), "_warn_unawaited_coroutine"));
    let warned = match hook.and_then(|h| h.map(|f| vm.call1(&f, &[this.clone()])).transpose()) {
        Ok(called) => called.is_some(),
        Err(e) => {
            crate::types::weakref::write_unraisable(vm, &e, &this);
            vm.exception_matches(&e, &vm.exc.runtime_warning)
        }
    };
    if warned {
        return;
    }
    let r = (|| {
        let qualname = vm.str_string(&vm.getattr_str(&this, "__qualname__")?)?;
        vm.warn(&vm.exc.runtime_warning, format!("coroutine '{qualname}' was never awaited"))
    })();
    if let Err(e) = r {
        crate::types::weakref::write_unraisable(vm, &e, &this);
    }
}
