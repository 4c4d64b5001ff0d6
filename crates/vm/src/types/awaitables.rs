//! Awaitable helper objects. `coroutine.__await__()` returns a
//! `coroutine_wrapper` that iterates the coroutine. The awaitables of async
//! generators (PEP 525): `agen.__anext__()` and
//! `agen.asend(v)` return an `async_generator_asend`, `agen.athrow(...)` and
//! `agen.aclose()` an `async_generator_athrow`. Awaiting one resumes the
//! generator frame; what the frame yields is told apart by the `Resume`
//! operand after its `YieldValue` (see `eval/generator.rs`): 1 after a real
//! `yield` of the async generator (the awaitable then finishes with
//! StopIteration(value)), 3 after an `await` inside it (the value goes out to
//! the event loop).

use crate::eval::generator::{gen_data, gen_throw_raw, make_throw_exception, send_raw};
use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::function::{Args, NativeDef};
use crate::types::typeobj::Layout;
use crate::value::Value;
use crate::{PyErr, PyResult, Vm};
use krait_compiler::bytecode::Opcode;
use std::cell::{Cell, RefCell};

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Init,
    Iter,
    Closed,
}

/// One `asend`/`athrow`/`aclose` awaitable.
struct AgenOp {
    gen: PyRef,
    /// What `asend` sends first, or the exception `athrow`/`aclose` throws.
    first: RefCell<Option<Result<Value, PyErr>>>,
    /// `aclose()`: a yielded value is an error, a finished generator is done.
    is_close: bool,
    /// `athrow`/`aclose` rather than `asend`.
    is_throw: bool,
    state: Cell<State>,
}

impl crate::gc::NativeData for AgenOp {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn crate::gc::Visitor) {
        visitor.visit(&self.gen);
        if let Ok(first) = self.first.try_borrow() {
            match &*first {
                Some(Ok(v)) => visitor.visit_value(v),
                Some(Err(e)) => visitor.visit(e),
                None => {}
            }
        }
    }
    fn clear(&self) {
        let old = match self.first.try_borrow_mut() {
            Ok(mut first) => first.take(),
            Err(_) => return,
        };
        drop(old);
    }
}

/// How a resumed async generator frame stopped.
enum Outcome {
    /// A real `yield value` of the async generator.
    Yielded(Value),
    /// An `await` inside it suspended: the value goes to the event loop.
    Awaiting(Value),
    /// It returned (fell off its end).
    Returned,
}

fn classify(gen: &PyRef, r: Result<Value, Value>) -> Outcome {
    match r {
        Err(_) => Outcome::Returned,
        Ok(v) => {
            let awaiting = gen_data(&Value::Obj(gen.clone())).is_some_and(|g| {
                let fr = g.frame.borrow();
                fr.as_ref().is_some_and(|f| {
                    f.code().code.code.get(f.pc as usize).is_some_and(|i| i.op() == Opcode::Resume && i.arg() >= 2)
                })
            });
            if awaiting {
                Outcome::Awaiting(v)
            } else {
                Outcome::Yielded(v)
            }
        }
    }
}

fn op_of<'a>(vm: &Vm, v: &'a Value) -> PyResult<&'a AgenOp> {
    v.payload()
        .and_then(|p| p.as_native::<AgenOp>())
        .ok_or_else(|| vm.new_type_error("expected an async generator awaitable"))
}

fn stop_iteration(vm: &Vm, v: Value) -> PyErr {
    crate::eval::generator::stop_iteration_for(vm, v)
}

/// Runs one step of the awaitable: `sent` is the value sent in (Ok) or an
/// exception thrown in (Err).
fn step(vm: &Vm, op: &AgenOp, sent: Result<Value, PyErr>) -> PyResult {
    if op.state.get() == State::Closed {
        return Err(vm.new_runtime_error(if op.is_throw {
            "cannot reuse already awaited aclose()/athrow()"
        } else {
            "cannot reuse already awaited __anext__()/asend()"
        }));
    }
    let input = if op.state.get() == State::Init {
        op.state.set(State::Iter);
        match (op.first.borrow_mut().take(), sent) {
            // The first send must be None (the awaitable's own protocol).
            (Some(first), Ok(v)) if v.is_none() => first,
            (Some(_), Ok(_)) if !op.is_throw => {
                op.state.set(State::Closed);
                return Err(vm.new_runtime_error("can't send non-None value to a just-started async generator"));
            }
            (_, other) => other,
        }
    } else {
        sent
    };
    let r = match input {
        Ok(v) => send_raw(vm, &op.gen, v),
        Err(e) => gen_throw_raw(vm, &op.gen, e),
    };
    let r = match r {
        Ok(r) => r,
        Err(e) => {
            op.state.set(State::Closed);
            if op.is_close
                && (vm.exception_matches(&e, &vm.exc.stop_async_iteration)
                    || vm.exception_matches(&e, &vm.exc.generator_exit))
            {
                return Err(stop_iteration(vm, Value::None));
            }
            return Err(e);
        }
    };
    match classify(&op.gen, r) {
        Outcome::Awaiting(v) => Ok(v),
        Outcome::Yielded(v) => {
            op.state.set(State::Closed);
            if op.is_close {
                return Err(vm.new_runtime_error("async generator ignored GeneratorExit"));
            }
            Err(stop_iteration(vm, v))
        }
        Outcome::Returned => {
            op.state.set(State::Closed);
            if op.is_close {
                return Err(stop_iteration(vm, Value::None));
            }
            Err(vm.new_exception(&vm.exc.stop_async_iteration, vec![]))
        }
    }
}

fn self_op<'a>(vm: &Vm, args: &Args<'a>) -> PyResult<&'a AgenOp> {
    let s = args.args.first().ok_or_else(|| vm.new_type_error("descriptor needs an argument"))?;
    op_of(vm, s)
}

fn op_send(vm: &Vm, args: Args) -> PyResult {
    let op = self_op(vm, &args)?;
    vm.check_arity("send", Args::new(args.args.get(1..).unwrap_or(&[])), 1, 1)?;
    step(vm, op, Ok(args.args[1].clone()))
}

fn op_next(vm: &Vm, args: Args) -> PyResult {
    let op = self_op(vm, &args)?;
    step(vm, op, Ok(Value::None))
}

fn op_throw(vm: &Vm, args: Args) -> PyResult {
    let op = self_op(vm, &args)?;
    let rest = args.args.get(1..).unwrap_or(&[]);
    vm.check_arity("throw", Args::new(rest), 1, 3)?;
    let exc = make_throw_exception(vm, &rest[0], rest.get(1), rest.get(2))?;
    if op.state.get() == State::Init {
        op.first.borrow_mut().take();
        op.state.set(State::Iter);
    }
    step(vm, op, Err(exc))
}

fn op_close(vm: &Vm, args: Args) -> PyResult {
    self_op(vm, &args)?.state.set(State::Closed);
    Ok(Value::None)
}

fn op_self(vm: &Vm, args: Args) -> PyResult {
    self_op(vm, &args)?;
    Ok(args.args[0].clone())
}

static OP_METHODS: [NativeDef; 6] = [
    NativeDef::method("send", op_send),
    NativeDef::method("__next__", op_next),
    NativeDef::method("throw", op_throw),
    NativeDef::method("close", op_close),
    NativeDef::method("__iter__", op_self),
    NativeDef::method("__await__", op_self),
];

/// The helper types of one interpreter (immortal).
struct AwaitableTypes {
    asend: PyRef,
    athrow: PyRef,
    coro_wrapper: PyRef,
}

/// Where the interpreter keeps them (`vm.state`), made on first use.
#[derive(Default)]
struct AwaitableState {
    types: RefCell<Option<AwaitableTypes>>,
}

/// One of the helper types, picked from the interpreter's set.
fn op_type(vm: &Vm, pick: fn(&AwaitableTypes) -> &PyRef) -> PyRef {
    let state = vm.state::<AwaitableState>();
    if let Some(t) = &*state.types.borrow() {
        return pick(t).clone();
    }
    let make = |name: &str, methods: &'static [NativeDef]| {
        let t = vm.new_native_type("", name, None, Layout::Other, 0, &[]);
        crate::types::add_methods(vm, &t, methods);
        vm.refresh_slots(&t);
        t
    };
    let types = AwaitableTypes {
        asend: make("async_generator_asend", &OP_METHODS),
        athrow: make("async_generator_athrow", &OP_METHODS),
        coro_wrapper: make("coroutine_wrapper", &WRAPPER_METHODS),
    };
    let t = pick(&types).clone();
    *state.types.borrow_mut() = Some(types);
    t
}

/// `coroutine.__await__()`: an iterator over the coroutine (CPython's
/// `coroutine_wrapper`), so `__await__` implementations may return it.
pub(crate) fn coroutine_wrapper(vm: &Vm, coro: &Value) -> PyResult {
    let c = coro.as_obj().filter(|c| matches!(c.payload, Payload::Generator(_)));
    let c = c.ok_or_else(|| vm.new_type_error("expected a coroutine"))?.clone();
    Ok(Value::Obj(PyRef::new(op_type(vm, |t| &t.coro_wrapper), Payload::Native(Box::new(CoroWrapper(c))))))
}

struct CoroWrapper(PyRef);

impl crate::gc::NativeData for CoroWrapper {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn crate::gc::Visitor) {
        visitor.visit(&self.0);
    }
}

fn wrapped<'a>(vm: &Vm, args: &Args<'a>) -> PyResult<Value> {
    let s = args.args.first().ok_or_else(|| vm.new_type_error("descriptor needs an argument"))?;
    s.payload()
        .and_then(|p| p.as_native::<CoroWrapper>())
        .map(|w| Value::Obj(w.0.clone()))
        .ok_or_else(|| vm.new_type_error("expected a coroutine_wrapper"))
}

/// Forwards a wrapper method to the coroutine's method of the same name.
fn forward(vm: &Vm, args: Args, name: &str) -> PyResult {
    let coro = wrapped(vm, &args)?;
    let m = vm.getattr_str(&coro, name)?;
    vm.call(&m, Args::with_kw(args.args.get(1..).unwrap_or(&[]), args.kwnames))
}

fn wrapper_next(vm: &Vm, args: Args) -> PyResult {
    let coro = wrapped(vm, &args)?;
    let send = vm.getattr_str(&coro, "send")?;
    vm.call(&send, Args::new(&[Value::None]))
}
fn wrapper_send(vm: &Vm, args: Args) -> PyResult {
    forward(vm, args, "send")
}
fn wrapper_throw(vm: &Vm, args: Args) -> PyResult {
    forward(vm, args, "throw")
}
fn wrapper_close(vm: &Vm, args: Args) -> PyResult {
    forward(vm, args, "close")
}
fn wrapper_iter(vm: &Vm, args: Args) -> PyResult {
    wrapped(vm, &args)?;
    Ok(args.args[0].clone())
}

static WRAPPER_METHODS: [NativeDef; 5] = [
    NativeDef::method("__next__", wrapper_next),
    NativeDef::method("send", wrapper_send),
    NativeDef::method("throw", wrapper_throw),
    NativeDef::method("close", wrapper_close),
    NativeDef::method("__iter__", wrapper_iter),
];

fn new_op(vm: &Vm, gen: &Value, first: Result<Value, PyErr>, is_throw: bool, is_close: bool) -> PyResult {
    let g = gen.as_obj().filter(|g| matches!(g.payload, Payload::Generator(_)));
    let g = g.ok_or_else(|| vm.new_type_error("expected an async generator"))?.clone();
    crate::eval::generator::init_async_hooks(vm, &g)?;
    let t = if is_throw { op_type(vm, |t| &t.athrow) } else { op_type(vm, |t| &t.asend) };
    let op = AgenOp { gen: g, first: RefCell::new(Some(first)), is_close, is_throw, state: Cell::new(State::Init) };
    Ok(Value::Obj(PyRef::new(t, Payload::Native(Box::new(op)))))
}

fn agen_aiter(vm: &Vm, args: Args) -> PyResult {
    args.args.first().cloned().ok_or_else(|| vm.new_type_error("descriptor needs an argument"))
}

fn agen_anext(vm: &Vm, args: Args) -> PyResult {
    let g = args.args.first().ok_or_else(|| vm.new_type_error("descriptor needs an argument"))?;
    new_op(vm, g, Ok(Value::None), false, false)
}

fn agen_asend(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("asend", Args::new(args.args.get(1..).unwrap_or(&[])), 1, 1)?;
    new_op(vm, &args.args[0], Ok(args.args[1].clone()), false, false)
}

fn agen_athrow(vm: &Vm, args: Args) -> PyResult {
    let rest = args.args.get(1..).unwrap_or(&[]);
    vm.check_arity("athrow", Args::new(rest), 1, 3)?;
    let exc = make_throw_exception(vm, &rest[0], rest.get(1), rest.get(2))?;
    new_op(vm, &args.args[0], Err(exc), true, false)
}

fn agen_aclose(vm: &Vm, args: Args) -> PyResult {
    let g = args.args.first().ok_or_else(|| vm.new_type_error("descriptor needs an argument"))?;
    let exc = vm.new_exception(&vm.exc.generator_exit, vec![]);
    new_op(vm, g, Err(exc), true, true)
}

pub(crate) static ASYNC_GENERATOR_OPS: [NativeDef; 5] = [
    NativeDef::method("__aiter__", agen_aiter),
    NativeDef::method("__anext__", agen_anext),
    NativeDef::method("asend", agen_asend),
    NativeDef::method("athrow", agen_athrow),
    NativeDef::method("aclose", agen_aclose),
];
