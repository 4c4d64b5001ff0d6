//! The iterator types the builtins module exposes as classes: `enumerate`,
//! `zip`, `map`, `filter` and `reversed` (their `__new__`, with CPython's
//! argument errors). Advancing them is `iter::iter_next`; they are types, so
//! `isinstance(x, enumerate)` works and they can be subclassed.

use crate::payload::Payload;
use crate::types::function::{Args, NativeDef};
use crate::types::iter::IterState;
use crate::types::seq_util::{new_cls, new_with_base};
use crate::types::typeobj::Slot;
use crate::value::Value;
use crate::{PyRef, PyResult, Vm};
use std::cell::RefCell;

fn make(vm: &Vm, cls: &PyRef, builtin: &PyRef, st: IterState) -> Value {
    new_with_base(vm, cls, builtin, Payload::Iter(Box::new(RefCell::new(st))))
}

/// `enumerate(iterable, start=0)`.
fn enumerate_new(vm: &Vm, args: Args) -> PyResult {
    let cls = new_cls(vm, args.args, &vm.types.enumerate)?;
    let rest = Args { args: &args.args[1..], kwnames: args.kwnames };
    let npos = rest.positional().len();
    let total = npos + rest.kwnames.len();
    if total > 2 {
        return Err(vm.new_type_error(format!("enumerate() takes at most 2 arguments ({total} given)")));
    }
    let mut iterable = rest.positional().first().cloned();
    let mut start = rest.positional().get(1).cloned();
    for (k, v) in rest.keywords() {
        match vm.as_str(k).unwrap_or("") {
            "iterable" if iterable.is_none() => iterable = Some(v.clone()),
            "start" if start.is_none() => start = Some(v.clone()),
            "iterable" | "start" => {
                return Err(vm.new_type_error(format!(
                    "argument for enumerate() given by name ('{}') and position ({})",
                    vm.as_str(k).unwrap_or(""),
                    if vm.as_str(k) == Some("iterable") { 1 } else { 2 }
                )))
            }
            other => {
                return Err(vm.new_type_error(format!("enumerate() got an unexpected keyword argument '{other}'")))
            }
        }
    }
    let iterable = iterable.ok_or_else(|| vm.new_type_error("enumerate() missing required argument 'iterable'"))?;
    let count = match start {
        Some(s) => vm.index(&s)?,
        None => Value::Int(0),
    };
    let iter = vm.iter(&iterable)?;
    Ok(make(vm, cls, &vm.types.enumerate, IterState::Enumerate { iter, count, result: None }))
}

/// `zip(*iterables, strict=False)`.
fn zip_new(vm: &Vm, args: Args) -> PyResult {
    let cls = new_cls(vm, args.args, &vm.types.zip)?;
    let mut strict = false;
    for (k, v) in args.keywords() {
        match vm.as_str(k).unwrap_or("") {
            "strict" => strict = vm.truthy(v)?,
            other => return Err(vm.new_type_error(format!("'{other}' is an invalid keyword argument for zip()"))),
        }
    }
    let mut iters = Vec::with_capacity(args.positional().len().saturating_sub(1));
    for x in &args.positional()[1..] {
        iters.push(vm.iter(x)?);
    }
    Ok(make(vm, cls, &vm.types.zip, IterState::Zip { iters: iters.into(), strict, result: None }))
}

/// `map(func, *iterables)`.
fn map_new(vm: &Vm, args: Args) -> PyResult {
    let cls = new_cls(vm, args.args, &vm.types.map)?;
    if args.has_kwargs() && super::seq_util::refuses_keywords(vm, &cls, &vm.types.map, "__init__") {
        return Err(vm.new_type_error("map() takes no keyword arguments"));
    }
    let pos = &args.positional()[1..];
    if pos.len() < 2 {
        return Err(vm.new_type_error("map() must have at least two arguments."));
    }
    let mut iters = Vec::with_capacity(pos.len() - 1);
    for x in &pos[1..] {
        iters.push(vm.iter(x)?);
    }
    Ok(make(vm, cls, &vm.types.map, IterState::Map { func: pos[0].clone(), iters }))
}

/// `filter(function or None, iterable)`.
fn filter_new(vm: &Vm, args: Args) -> PyResult {
    let cls = new_cls(vm, args.args, &vm.types.filter)?;
    if args.has_kwargs() && super::seq_util::refuses_keywords(vm, &cls, &vm.types.filter, "__init__") {
        return Err(vm.new_type_error("filter() takes no keyword arguments"));
    }
    let pos = &args.positional()[1..];
    if pos.len() != 2 {
        return Err(vm.new_type_error(format!("filter expected 2 arguments, got {}", pos.len())));
    }
    let iter = vm.iter(&pos[1])?;
    Ok(make(vm, cls, &vm.types.filter, IterState::Filter { func: pos[0].clone(), iter }))
}

/// `reversed(seq)`: `seq.__reversed__()` if defined, else a reverse sequence
/// iterator over `__len__`/`__getitem__`.
fn reversed_new(vm: &Vm, args: Args) -> PyResult {
    let cls = new_cls(vm, args.args, &vm.types.reversed)?;
    if cls.is(&vm.types.reversed) && args.has_kwargs() {
        return Err(vm.new_type_error("reversed() takes no keyword arguments"));
    }
    let pos = &args.positional()[1..];
    if pos.len() != 1 {
        return Err(vm.new_type_error(format!("reversed expected 1 argument, got {}", pos.len())));
    }
    let seq = &pos[0];
    let not_reversible = || vm.new_type_error(format!("'{}' object is not reversible", vm.type_name_of(seq)));
    // As in CPython, a subclass of reversed also hands back what the
    // sequence's own `__reversed__` gives.
    match vm.special(seq, Slot::Reversed) {
        Some(f) if f.is_none() => return Err(not_reversible()),
        Some(f) => return vm.call_unbound(&f, seq, &[]),
        None => {}
    }
    let is_sequence = vm.special(seq, Slot::GetItem).is_some() && seq.payload().and_then(|p| p.as_dict()).is_none();
    if !is_sequence {
        return Err(not_reversible());
    }
    let n = vm.len(seq)?;
    Ok(make(vm, cls, &vm.types.reversed, IterState::Reversed { seq: Some(seq.clone()), index: n as isize - 1 }))
}

/// `cls[item]` for builtin generic classes: a `types.GenericAlias`.
pub(crate) fn getitem_generic_alias(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__class_getitem__", args, 2, 2)?;
    vm.generic_alias(&args.args[0], &args.args[1])
}

static ENUMERATE: [NativeDef; 2] = [
    NativeDef::staticmethod("__new__", enumerate_new),
    NativeDef::classmethod("__class_getitem__", getitem_generic_alias),
];
static ZIP: [NativeDef; 1] = [NativeDef::staticmethod("__new__", zip_new)];
static MAP: [NativeDef; 1] = [NativeDef::staticmethod("__new__", map_new)];
static FILTER: [NativeDef; 1] = [NativeDef::staticmethod("__new__", filter_new)];
static REVERSED: [NativeDef; 1] = [NativeDef::staticmethod("__new__", reversed_new)];

pub fn init(vm: &Vm) {
    let t = &vm.types;
    crate::types::add_methods(vm, &t.enumerate, &ENUMERATE);
    crate::types::add_methods(vm, &t.zip, &ZIP);
    crate::types::add_methods(vm, &t.map, &MAP);
    crate::types::add_methods(vm, &t.filter, &FILTER);
    crate::types::add_methods(vm, &t.reversed, &REVERSED);
}
