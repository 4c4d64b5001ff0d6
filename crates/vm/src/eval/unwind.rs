//! Raising and handling exceptions in the eval loop: the handled-exception
//! stack (`sys.exc_info()`), `raise` semantics, automatic `__context__`,
//! traceback entries, `except` matching and `except*` (exception groups).

use crate::eval::frame::Frame;
use crate::object::PyRef;
use crate::payload::{Payload, TracebackData};
use crate::types::function::NativeDef;
use crate::value::Value;
use crate::{Args, PyErr, PyResult, Vm};

/// The exception being handled, looking through the per-generator entries of
/// `vm.exc_stack` (innermost first) for one that is set.
pub fn current_exception(vm: &Vm) -> Option<PyRef> {
    let st = vm.exc_stack.borrow();
    for e in st.iter().rev() {
        if let Some(Value::Obj(o)) = e {
            return Some(o.clone());
        }
    }
    None
}

/// Replaces the innermost handled-exception entry, returning the old one.
pub fn exc_info_replace(vm: &Vm, new: Option<Value>) -> Option<Value> {
    let new = match new {
        Some(Value::None) => None,
        other => other,
    };
    let old = {
        let mut st = vm.exc_stack.borrow_mut();
        if st.is_empty() {
            st.push(None);
        }
        let top = st.last_mut().unwrap();
        std::mem::replace(top, new)
    };
    old
}

fn exc_data(e: &PyRef) -> Option<&crate::types::exception::ExceptionData> {
    e.payload.as_exception()
}

fn is_exception_class(vm: &Vm, v: &Value) -> bool {
    match v {
        Value::Obj(o) => o.payload.as_type().is_some() && vm.is_subtype(o, &vm.exc.base_exception),
        _ => false,
    }
}

/// Turns the operand of `raise` into an exception instance (instantiating a
/// class), with CPython's errors for anything else.
fn instantiate(vm: &Vm, v: Value, what: &str) -> PyResult<Option<PyRef>> {
    if is_exception_class(vm, &v) {
        return create_exception(vm, &v, &[]).map(Some);
    }
    match v {
        Value::Obj(o) if o.payload.as_exception().is_some() => Ok(Some(o)),
        Value::None if what == "cause" => Ok(None),
        _ => Err(vm.new_type_error(if what == "cause" {
            "exception causes must derive from BaseException"
        } else {
            "exceptions must derive from BaseException"
        })),
    }
}

/// Calls the exception class `cls` with `args`, with CPython's TypeError
/// when that returns something that is not an exception.
pub fn create_exception(vm: &Vm, cls: &Value, args: &[Value]) -> PyResult<PyRef> {
    match vm.call(cls, Args::new(args))? {
        Value::Obj(o) if o.payload.as_exception().is_some() => Ok(o),
        other => Err(vm.new_type_error(format!(
            "calling {} should have returned an instance of BaseException, not {}",
            vm.repr_string(cls).unwrap_or_default(),
            vm.type_name_of(&other)
        ))),
    }
}

/// Makes `cause` the explicit cause (and the context) of the new error `err`,
/// as CPython's `_PyErr_FormatFromCause`; returns `err`.
pub fn with_cause(err: PyErr, cause: PyErr) -> PyErr {
    if let Some(d) = err.payload.as_exception() {
        d.cause.set(Some(Value::Obj(cause.clone())));
        d.context.set(Some(Value::Obj(cause)));
        d.suppress_context.set(true);
    }
    err
}

/// `raise exc [from cause]`: the exception to propagate (or the TypeError).
pub fn make_raise(vm: &Vm, exc: Value, cause: Option<Value>) -> PyErr {
    let e = match instantiate(vm, exc, "exception") {
        Ok(Some(e)) => e,
        Ok(None) => return vm.new_type_error("exceptions must derive from BaseException"),
        Err(err) => return err,
    };
    if let Some(c) = cause {
        let c = match instantiate(vm, c, "cause") {
            Ok(c) => c,
            Err(err) => return err,
        };
        if let Some(d) = exc_data(&e) {
            d.cause.set(c.map(Value::Obj));
            d.suppress_context.set(true);
        }
    }
    set_context(vm, &e);
    e
}

/// Sets `exc.__context__` to the exception being handled (as CPython's
/// `_PyErr_SetObject` does), cutting any cycle that would form.
pub fn set_context(vm: &Vm, exc: &PyRef) {
    let Some(handled) = current_exception(vm) else { return };
    if handled.is(exc) {
        return;
    }
    // Walk handled's context chain; if `exc` is on it, cut the link so no
    // cycle forms. Bounded in case a cycle was made by hand.
    let mut o = handled.clone();
    for _ in 0..100_000 {
        let next = match exc_data(&o).and_then(|d| d.context.get()) {
            Some(Value::Obj(c)) => c,
            _ => break,
        };
        if next.is(exc) {
            if let Some(d) = exc_data(&o) {
                d.context.set(None);
            }
            break;
        }
        o = next;
    }
    if let Some(d) = exc_data(exc) {
        d.context.set(Some(Value::Obj(handled)));
    }
}

/// Records that `exc` passed through frame `f` (at `f.lasti`): a new
/// traceback entry in front of the existing ones. A fresh exception (no
/// traceback yet, e.g. raised by native code) also gets its `__context__`.
pub fn add_traceback(vm: &Vm, exc: &PyRef, f: &mut Frame) {
    let Some(d) = exc_data(exc) else { return };
    let old = d.traceback.get();
    let fresh = matches!(old, None | Some(Value::None));
    if fresh {
        set_context(vm, exc);
    }
    let frame = f.frame_object(vm);
    let tb = PyRef::new(
        vm.types.traceback.clone(),
        Payload::Traceback(Box::new(TracebackData {
            next: crate::object::ValueCell::new(match old {
                Some(Value::None) => None,
                o => o,
            }),
            frame,
            lasti: f.lasti,
            lineno: f.lineno(),
        })),
    );
    d.traceback.set(Some(Value::Obj(tb)));
}

/// Hook for adjusting an exception leaving a frame (nothing to do today).
#[inline]
pub fn normalize_for_caller(_vm: &Vm, exc: PyErr) -> PyErr {
    exc
}

fn check_except_type_valid(vm: &Vm, typ: &Value, star: bool) -> PyResult<()> {
    let bad = || vm.new_type_error("catching classes that do not inherit from BaseException is not allowed");
    let eg_bad = || vm.new_type_error("catching ExceptionGroup with except* is not allowed. Use except instead.");
    let check_one = |t: &Value| -> PyResult<()> {
        if !is_exception_class(vm, t) {
            return Err(bad());
        }
        if star {
            if let Value::Obj(o) = t {
                if vm.is_subtype(o, &vm.exc.base_exception_group) {
                    return Err(eg_bad());
                }
            }
        }
        Ok(())
    };
    if let Some(items) = typ.payload().and_then(|p| p.as_tuple()) {
        for t in items {
            check_one(t)?;
        }
        return Ok(());
    }
    check_one(typ)
}

/// `PyErr_GivenExceptionMatches`: class or (nested) tuple of classes.
pub fn given_exception_matches(vm: &Vm, exc_type: &PyRef, typ: &Value) -> bool {
    if let Some(items) = typ.payload().and_then(|p| p.as_tuple()) {
        return items.iter().any(|t| given_exception_matches(vm, exc_type, t));
    }
    match typ {
        Value::Obj(t) if t.payload.as_type().is_some() => vm.is_subtype(exc_type, t),
        _ => false,
    }
}

/// `except T:` — is the exception an instance of T?
pub fn check_exc_match(vm: &Vm, exc: &Value, typ: &Value) -> PyResult<bool> {
    check_except_type_valid(vm, typ, false)?;
    Ok(given_exception_matches(vm, vm.class_of(exc), typ))
}

/// `except* T:` on exception `exc`: (rest, Some(match)) or (_, None) when
/// nothing matches.
pub fn check_eg_match(vm: &Vm, exc: Value, typ: &Value) -> PyResult<(Value, Option<Value>)> {
    check_except_type_valid(vm, typ, true)?;
    let e = match &exc {
        Value::Obj(o) => o.clone(),
        _ => return Ok((Value::None, None)),
    };
    if given_exception_matches(vm, e.class(), typ) {
        if vm.is_subtype(e.class(), &vm.exc.base_exception_group) {
            return Ok((Value::None, Some(exc)));
        }
        // A naked exception is wrapped into ExceptionGroup('', (e,)) (a tuple, as
        // CPython's args show).
        let wrapped = vm.call(
            &Value::Obj(vm.exc.base_exception_group.clone()),
            Args::new(&[vm.new_str(""), vm.new_tuple(vec![exc.clone()])]),
        )?;
        if let (Some(w), Some(d)) = (wrapped.payload().and_then(|p| p.as_exception()), exc_data(&e)) {
            w.traceback.set(d.traceback.get());
        }
        return Ok((Value::None, Some(wrapped)));
    }
    if vm.is_subtype(e.class(), &vm.exc.base_exception_group) {
        let pair = vm.call_method(&exc, "split", &[typ.clone()])?;
        let items = vm.seq_items(&pair).unwrap_or_default();
        if items.len() == 2 && !items[0].is_none() {
            return Ok((items[1].clone(), Some(items[0].clone())));
        }
    }
    Ok((Value::None, None))
}

fn same_metadata(a: &PyRef, b: &PyRef) -> bool {
    match (exc_data(a), exc_data(b)) {
        (Some(x), Some(y)) => {
            let same = |p: Option<Value>, q: Option<Value>| match (p, q) {
                (None, None) => true,
                (Some(p), Some(q)) => p.is(&q),
                (None, Some(Value::None)) | (Some(Value::None), None) => true,
                _ => false,
            };
            same(x.traceback.get(), y.traceback.get())
                && same(x.cause.get(), y.cause.get())
                && same(x.context.get(), y.context.get())
        }
        _ => false,
    }
}

/// The leaf exceptions of an exception (group), by identity.
fn collect_leaves(vm: &Vm, e: &Value, out: &mut Vec<Value>) {
    if let Value::Obj(o) = e {
        if vm.is_subtype(o.class(), &vm.exc.base_exception_group) {
            if let Ok(excs) = vm.getattr_str(e, "exceptions") {
                for x in vm.seq_items(&excs).unwrap_or_default() {
                    collect_leaves(vm, &x, out);
                }
            }
            return;
        }
    }
    out.push(e.clone());
}

fn leaf_in_set(vm: &Vm, args: Args) -> PyResult {
    // args: (the tuple of kept leaves, the leaf being tested)
    let a = args.args;
    if a.len() < 2 {
        return Err(vm.new_type_error("leaf predicate needs one argument"));
    }
    let keep = a[0].payload().and_then(|p| p.as_tuple()).unwrap_or(&[]);
    Ok(Value::Bool(keep.iter().any(|k| k.is(&a[1]))))
}

static LEAF_IN_SET: NativeDef = NativeDef::function("_leaf_in_set", leaf_in_set);

/// `except*` epilogue: what is left to raise after the handlers ran, given
/// the original exception and the list of raised/re-raised ones.
pub fn prep_reraise_star(vm: &Vm, orig: &Value, list: &Value) -> PyResult {
    let items: Vec<Value> = vm.seq_items(list).unwrap_or_default();
    let excs: Vec<Value> = items.into_iter().filter(|v| !v.is_none()).collect();
    if excs.is_empty() {
        return Ok(Value::None);
    }
    let orig_ref = match orig {
        Value::Obj(o) => o.clone(),
        _ => return Ok(excs[0].clone()),
    };
    if !vm.is_subtype(orig_ref.class(), &vm.exc.base_exception_group) {
        return Ok(excs[0].clone());
    }
    let mut raised = Vec::new();
    let mut keep_leaves = Vec::new();
    for e in &excs {
        let is_reraised = match e {
            Value::Obj(o) => o.is(&orig_ref) || same_metadata(o, &orig_ref),
            _ => false,
        };
        if is_reraised {
            collect_leaves(vm, e, &mut keep_leaves);
        } else {
            raised.push(e.clone());
        }
    }
    let reraised_eg = if keep_leaves.is_empty() {
        Value::None
    } else {
        let pred = vm.new_native_function(&LEAF_IN_SET, Some(vm.new_tuple(keep_leaves)));
        let pair = vm.call_method(orig, "split", &[pred])?;
        vm.seq_items(&pair).and_then(|v| v.into_iter().next()).unwrap_or(Value::None)
    };
    if raised.is_empty() {
        return Ok(reraised_eg);
    }
    if !reraised_eg.is_none() {
        raised.push(reraised_eg);
    }
    vm.call(
        &Value::Obj(vm.exc.base_exception_group.clone()),
        Args::new(&[vm.new_str(""), vm.new_list(raised)]),
    )
}
