//! BaseExceptionGroup and ExceptionGroup (PEP 654): construction with
//! CPython's validation, `message`/`exceptions`, `str`, and the recursive
//! `subgroup`/`split` with `derive`.

use super::exception_methods::{group_fields, new_raw, set_field};
use crate::object::PyRef;
use crate::payload::{GetSetDef, Payload};
use crate::types::typeobj::Slot;
use crate::value::Value;
use crate::{Args, NativeDef, PyResult, Vm};

const NEW: &str = "BaseExceptionGroup.__new__()";

fn eg_new(vm: &Vm, args: Args) -> PyResult {
    let pos = args.positional();
    let mut cls = match pos.first() {
        Some(Value::Obj(c)) if c.payload.as_type().is_some() && vm.is_subtype(c, &vm.exc.base_exception_group) => {
            c.clone()
        }
        Some(c) => {
            return Err(vm.new_type_error(format!(
                "BaseExceptionGroup.__new__(X): X is not a subtype of BaseExceptionGroup ({})",
                vm.type_name_of(c)
            )));
        }
        None => return Err(vm.new_type_error(format!("{NEW}: not enough arguments"))),
    };
    let rest = &pos[1..];
    if rest.len() != 2 {
        return Err(vm.new_type_error(format!("{NEW} takes exactly 2 arguments ({} given)", rest.len())));
    }
    let (message, excs) = (&rest[0], &rest[1]);
    if vm.as_str(message).is_none() {
        return Err(vm.new_type_error(format!("{NEW} argument 1 must be str, not {}", vm.type_name_of(message))));
    }
    // A sequence: has __getitem__ and is not a mapping.
    let is_seq = vm.special(excs, Slot::GetItem).is_some()
        && !matches!(excs.payload().map(|p| p.base()), Some(Payload::Dict(_)));
    if !is_seq {
        return Err(vm.new_type_error("second argument (exceptions) must be a sequence"));
    }
    let items = vm.collect_iter(excs)?;
    if items.is_empty() {
        return Err(vm.new_value_error("second argument (exceptions) must be a non-empty sequence"));
    }
    let mut all_exceptions = true;
    for (i, e) in items.iter().enumerate() {
        match e.payload() {
            Some(Payload::Exception(_)) => {
                if !vm.is_subtype(vm.class_of(e), &vm.exc.exception) {
                    all_exceptions = false;
                }
            }
            _ => {
                return Err(vm.new_value_error(format!(
                    "Item {i} of second argument (exceptions) is not an exception"
                )));
            }
        }
    }
    if cls.is(&vm.exc.base_exception_group) {
        if all_exceptions {
            cls = vm.exc.exception_group.clone();
        }
    } else if cls.is(&vm.exc.exception_group) {
        if !all_exceptions {
            return Err(vm.new_type_error("Cannot nest BaseExceptions in an ExceptionGroup"));
        }
    } else if !all_exceptions && vm.is_subtype(&cls, &vm.exc.exception) {
        return Err(vm.new_type_error(format!("Cannot nest BaseExceptions in '{}'", vm.type_name(&cls))));
    }
    let e = new_raw(vm, &cls, rest);
    set_field(vm, &e, "message", message.clone());
    set_field(vm, &e, "exceptions", vm.new_tuple(items));
    Ok(Value::Obj(e))
}

fn eg_init(vm: &Vm, args: Args) -> PyResult {
    let this = args.args.first().cloned().unwrap_or(Value::None);
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("{}() takes no keyword arguments", vm.type_name_of(&this))));
    }
    if let Some(e) = this.payload().and_then(|p| p.as_exception()) {
        e.args.set(Some(vm.new_tuple(args.positional()[1..].to_vec())));
    }
    Ok(Value::None)
}

fn this_group<'a>(vm: &Vm, args: &Args<'a>) -> PyResult<&'a PyRef> {
    match args.args.first() {
        Some(Value::Obj(o)) if matches!(o.payload, Payload::Exception(_)) && vm.is_subtype(o.class(), &vm.exc.base_exception_group) => Ok(o),
        _ => Err(vm.new_type_error("descriptor requires a 'BaseExceptionGroup' object")),
    }
}

fn eg_str(vm: &Vm, args: Args) -> PyResult {
    let e = this_group(vm, &args)?;
    let (msg, excs) = group_fields(vm, e);
    let n = excs.payload().and_then(|p| p.as_tuple()).map_or(0, |t| t.len());
    Ok(vm.new_str(format!(
        "{} ({} sub-exception{})",
        vm.str_string(&msg)?,
        n,
        if n == 1 { "" } else { "s" }
    )))
}

fn eg_derive(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("derive", args, 2, 2)?;
    let e = this_group(vm, &args)?;
    let (msg, _) = group_fields(vm, e);
    let cls = Value::Obj(vm.exc.base_exception_group.clone());
    vm.call1(&cls, &[msg, args.args[1].clone()])
}

/// What `split`/`subgroup` match leaves against.
enum Matcher {
    Types(Value),
    Predicate(Value),
}

fn matcher(vm: &Vm, cond: &Value) -> PyResult<Matcher> {
    let is_exc_type = |v: &Value| matches!(v, Value::Obj(o) if o.payload.as_type().is_some() && vm.is_subtype(o, &vm.exc.base_exception));
    if is_exc_type(cond) {
        return Ok(Matcher::Types(cond.clone()));
    }
    if let Some(t) = cond.payload().and_then(|p| p.as_tuple()) {
        if t.iter().all(is_exc_type) {
            return Ok(Matcher::Types(cond.clone()));
        }
    } else if vm.is_callable(cond) && !matches!(cond.payload(), Some(Payload::Type(_))) {
        return Ok(Matcher::Predicate(cond.clone()));
    }
    Err(vm.new_type_error("expected a function, exception type or tuple of exception types"))
}

fn matches(vm: &Vm, m: &Matcher, e: &Value) -> PyResult<bool> {
    match m {
        Matcher::Types(t) => crate::builtins::pending::isinstance(vm, e, t),
        Matcher::Predicate(f) => {
            let r = vm.call1(f, &[e.clone()])?;
            vm.truthy(&r)
        }
    }
}

fn is_group(vm: &Vm, v: &Value) -> bool {
    matches!(v, Value::Obj(o) if matches!(o.payload, Payload::Exception(_)) && vm.is_subtype(o.class(), &vm.exc.base_exception_group))
}

/// A new group with `items` made by `orig.derive(items)`, carrying over the
/// traceback, cause, context and notes (as CPython's `exceptiongroup_subset`).
fn subset(vm: &Vm, orig: &PyRef, items: Vec<Value>) -> PyResult<Option<Value>> {
    if items.is_empty() {
        return Ok(None);
    }
    let ov = Value::Obj(orig.clone());
    let eg = vm.call_method(&ov, "derive", &[vm.new_list(items)])?;
    let (src, dst) = match (orig.payload.as_exception(), eg.payload().and_then(|p| p.as_exception())) {
        (Some(s), Some(d)) => (s, d),
        _ => return Err(vm.new_type_error("derive must return an instance of BaseExceptionGroup")),
    };
    dst.traceback.set(src.traceback.get());
    dst.cause.set(src.cause.get());
    dst.context.set(src.context.get());
    // Only a sequence of notes is copied (CPython's PySequence_Check).
    let notes = vm.getattr_opt(&ov, "__notes__")?;
    if let Some(notes) = notes.filter(|n| !crate::types::dict_methods::is_dict(n) && vm.special(n, Slot::GetItem).is_some()) {
        let copy = vm.new_list(vm.collect_iter(&notes)?);
        vm.setattr_str(&eg, "__notes__", copy)?;
    }
    Ok(Some(eg))
}

/// Recursive split: (matching part, rest), either may be None.
fn split_rec(vm: &Vm, e: &Value, m: &Matcher, want_rest: bool) -> PyResult<(Option<Value>, Option<Value>)> {
    vm.nested(" in exceptiongroup_split_recursive", || split_level(vm, e, m, want_rest))
}

fn split_level(vm: &Vm, e: &Value, m: &Matcher, want_rest: bool) -> PyResult<(Option<Value>, Option<Value>)> {
    if matches(vm, m, e)? {
        return Ok((Some(e.clone()), None));
    }
    if !is_group(vm, e) {
        return Ok((None, Some(e.clone())));
    }
    let g = e.as_obj().unwrap();
    let (_, excs) = group_fields(vm, g);
    let items = excs.payload().and_then(|p| p.as_tuple()).map(|t| t.to_vec()).unwrap_or_default();
    let (mut hit, mut miss) = (Vec::new(), Vec::new());
    for x in &items {
        let (a, b) = split_rec(vm, x, m, want_rest)?;
        hit.extend(a);
        if want_rest {
            miss.extend(b);
        }
    }
    let a = subset(vm, g, hit)?;
    let b = if want_rest { subset(vm, g, miss)? } else { None };
    Ok((a, b))
}

fn eg_split(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("split", args, 2, 2)?;
    let e = this_group(vm, &args)?;
    let m = matcher(vm, &args.args[1])?;
    let (a, b) = split_rec(vm, &Value::Obj(e.clone()), &m, true)?;
    Ok(vm.new_tuple(vec![a.unwrap_or(Value::None), b.unwrap_or(Value::None)]))
}

fn eg_subgroup(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("subgroup", args, 2, 2)?;
    let e = this_group(vm, &args)?;
    let m = matcher(vm, &args.args[1])?;
    let (a, _) = split_rec(vm, &Value::Obj(e.clone()), &m, false)?;
    Ok(a.unwrap_or(Value::None))
}

fn get_message(vm: &Vm, v: &Value) -> PyResult {
    let a = [v.clone()];
    let e = this_group(vm, &Args::new(&a))?;
    Ok(group_fields(vm, e).0)
}

fn get_exceptions(vm: &Vm, v: &Value) -> PyResult {
    let a = [v.clone()];
    let e = this_group(vm, &Args::new(&a))?;
    Ok(group_fields(vm, e).1)
}

static METHODS: [NativeDef; 7] = [
    NativeDef::staticmethod("__new__", eg_new),
    NativeDef::classmethod("__class_getitem__", crate::types::builtin_iters::getitem_generic_alias),
    NativeDef::method("__init__", eg_init),
    NativeDef::method("__str__", eg_str),
    NativeDef::method("derive", eg_derive),
    NativeDef::method("split", eg_split),
    NativeDef::method("subgroup", eg_subgroup),
];

static GETSETS: [GetSetDef; 2] = [
    GetSetDef { name: "message", get: get_message, set: None, doc: "exception message" },
    GetSetDef { name: "exceptions", get: get_exceptions, set: None, doc: "nested exceptions" },
];

pub fn init(vm: &Vm) {
    crate::types::add_methods(vm, &vm.exc.base_exception_group, &METHODS);
    crate::types::add_getsets(vm, &vm.exc.base_exception_group, &GETSETS);
}
