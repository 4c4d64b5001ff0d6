//! `aiter()` and `anext()`, and the `anext_awaitable` that
//! `anext(it, default)` returns: awaiting it awaits `it.__anext__()` and
//! turns its StopAsyncIteration into a result of `default`.

use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::typeobj::{Layout, Slot};
use crate::value::Value;
use crate::{Args, NativeDef, PyResult, Vm};
use std::cell::RefCell;

/// `aiter(async_iterable)`.
pub fn aiter(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("aiter", args, 1, 1)?;
    let v = &args.args[0];
    let Some(f) = vm.special(v, Slot::AIter) else {
        return Err(vm.new_type_error(format!("'{}' object is not an async iterable", vm.type_name_of(v))));
    };
    let it = vm.call_unbound(&f, v, &[])?;
    if vm.special(&it, Slot::ANext).is_none() {
        return Err(vm.new_type_error(format!("aiter() returned not an async iterator of type '{}'", vm.type_name_of(&it))));
    }
    Ok(it)
}

/// `anext(aiterator[, default])`: the awaitable of `aiterator.__anext__()`,
/// wrapped when there is a default.
pub fn anext(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("anext", args, 1, 2)?;
    let it = &args.args[0];
    let Some(f) = vm.special(it, Slot::ANext) else {
        return Err(vm.new_type_error(format!("'{}' object is not an async iterator", vm.type_name_of(it))));
    };
    let awaitable = vm.call_unbound(&f, it, &[])?;
    let Some(default) = args.args.get(1) else { return Ok(awaitable) };
    let state = AnextAwaitable { awaitable, default: default.clone(), iter: RefCell::new(None) };
    Ok(Value::Obj(PyRef::new(anext_awaitable_type(vm), Payload::Native(Box::new(state)))))
}

struct AnextAwaitable {
    awaitable: Value,
    default: Value,
    /// The iterator that drives `awaitable`, made on the first step.
    iter: RefCell<Option<Value>>,
}

impl crate::gc::NativeData for AnextAwaitable {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn crate::gc::Visitor) {
        visitor.visit_value(&self.awaitable);
        visitor.visit_value(&self.default);
        if let Ok(it) = self.iter.try_borrow() {
            if let Some(v) = &*it {
                visitor.visit_value(v);
            }
        }
    }
    fn clear(&self) {
        let old = self.iter.try_borrow_mut().ok().and_then(|mut i| i.take());
        drop(old);
    }
}

#[derive(Default)]
struct AnextType(RefCell<Option<PyRef>>);

fn anext_awaitable_type(vm: &Vm) -> PyRef {
    let state = vm.state::<AnextType>();
    if let Some(t) = &*state.0.borrow() {
        return t.clone();
    }
    let t = vm.new_native_type("", "anext_awaitable", None, Layout::Other, 0, &[]);
    crate::types::add_methods(vm, &t, &METHODS);
    vm.refresh_slots(&t);
    *state.0.borrow_mut() = Some(t.clone());
    t
}

fn this<'a>(vm: &Vm, args: &Args<'a>) -> PyResult<&'a AnextAwaitable> {
    args.args
        .first()
        .and_then(|v| v.payload())
        .and_then(|p| p.as_native::<AnextAwaitable>())
        .ok_or_else(|| vm.new_type_error("expected an anext_awaitable"))
}

/// The iterator behind the awaitable (a coroutine is driven through its
/// `__await__` wrapper, which has `__next__`).
fn iter_of(vm: &Vm, a: &AnextAwaitable) -> PyResult {
    if let Some(it) = &*a.iter.borrow() {
        return Ok(it.clone());
    }
    let mut it = crate::eval::ops::get_awaitable(vm, a.awaitable.clone(), 0)?;
    if vm.special(&it, Slot::Next).is_none() {
        it = vm.call_method(&it, "__await__", &[])?;
    }
    *a.iter.borrow_mut() = Some(it.clone());
    Ok(it)
}

/// One step of the awaited iterator; its StopAsyncIteration becomes
/// StopIteration(default), the awaitable's result.
fn step(vm: &Vm, args: Args, method: &str) -> PyResult {
    let a = this(vm, &args)?;
    let it = iter_of(vm, a)?;
    let r = match method {
        "__next__" => match vm.special(&it, Slot::Next) {
            Some(f) => vm.call_unbound(&f, &it, &[]),
            None => vm.call_method(&it, "send", &[Value::None]),
        },
        _ => vm.call_method(&it, method, &args.args[1..]),
    };
    match r {
        Err(e) if vm.exception_matches(&e, &vm.exc.stop_async_iteration) => Err(vm.new_stop_iteration(Some(a.default.clone()))),
        r => r,
    }
}

fn an_next(vm: &Vm, args: Args) -> PyResult {
    step(vm, args, "__next__")
}

fn an_send(vm: &Vm, args: Args) -> PyResult {
    step(vm, args, "send")
}

fn an_throw(vm: &Vm, args: Args) -> PyResult {
    step(vm, args, "throw")
}

fn an_close(vm: &Vm, args: Args) -> PyResult {
    step(vm, args, "close")
}

fn an_self(vm: &Vm, args: Args) -> PyResult {
    this(vm, &args)?;
    Ok(args.args[0].clone())
}

static METHODS: [NativeDef; 6] = [
    NativeDef::method("__await__", an_self),
    NativeDef::method("__iter__", an_self),
    NativeDef::method("__next__", an_next),
    NativeDef::method("send", an_send),
    NativeDef::method("throw", an_throw),
    NativeDef::method("close", an_close),
];
