//! The `itertools` module. Every iterator is a lazy native iterator
//! (`IterState::Native`) whose state machine lives in one of the files:
//! `simple.rs` (count, cycle, repeat, accumulate, chain, compress,
//! dropwhile, takewhile, filterfalse, starmap, pairwise, islice),
//! `group.rs` (groupby, tee) and `combinatoric.rs` (product,
//! permutations, combinations, combinations_with_replacement, zip_longest).
//! Pickling and copying go through `__reduce__`/`__setstate__` in the
//! shapes CPython 3.11 uses (the helpers below), so pickles move between
//! the two interpreters.

mod combinatoric;
mod group;
mod simple;

use crate::native::{descr_error, iter_state, native_type, TypeSpec, ITER_METHODS};
use krait_vm::types::iter::NativeIter;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::rc::Rc;

/// Subclassable (every itertools type but `_grouper` and `_tee`).
pub(crate) const B: u32 = type_flags::BASETYPE;

/// The spec of an itertools iterator type; `methods` holds `__new__` and
/// any others, `__iter__`/`__next__` are added to them.
pub(crate) const fn spec(name: &'static str, doc: &'static str, flags: u32, methods: &'static [NativeDef]) -> TypeSpec {
    TypeSpec {
        module: "itertools",
        name,
        doc,
        layout: Layout::Other,
        flags,
        base: None,
        slots: &[],
        methods: &ITER_METHODS,
        more_methods: methods,
        getsets: &[],
    }
}

/// The type object of one itertools spec in this interpreter.
pub(crate) fn ty(vm: &Vm, s: &'static TypeSpec) -> PyRef {
    native_type(vm, s)
}

/// Creates the `itertools` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let mut attrs = Vec::new();
    for s in simple::SPECS.iter().chain(group::SPECS.iter()).chain(combinatoric::SPECS.iter()) {
        attrs.push((s.name, Value::Obj(ty(vm, s))));
    }
    attrs.push((group::TEE_DATA.name, Value::Obj(ty(vm, &group::TEE_DATA))));
    Ok(crate::native::make_module(
        vm,
        "itertools",
        "Functional tools for creating and using iterators.",
        &group::FUNCS,
        attrs,
    ))
}

/// The state of the `T` a method `name` of `owner` was called on, after
/// checking it got `extra` arguments besides self.
pub(crate) fn this<T: NativeIter>(vm: &Vm, args: &Args, name: &str, owner: &str, extra: usize) -> PyResult<Rc<dyn NativeIter>> {
    vm.check_arity(name, *args, 1 + extra, 1 + extra)?;
    iter_state::<T>(&args.args[0]).ok_or_else(|| descr_error(vm, name, owner, &args.args[0]))
}

/// `(type(me), args)` or `(type(me), args, state)`: what `__reduce__` returns.
pub(crate) fn reduce_value(vm: &Vm, me: &Value, args: Vec<Value>, state: Option<Value>) -> Value {
    let mut r = vec![Value::Obj(vm.class_of(me).clone()), vm.new_tuple(args)];
    r.extend(state);
    vm.new_tuple(r)
}

/// The items of a `__setstate__` tuple, with CPython's argument-count errors
/// ("function takes exactly 2 arguments (1 given)").
pub(crate) fn state_items(vm: &Vm, state: &Value, min: usize, max: usize) -> PyResult<Vec<Value>> {
    let items = match state.payload().and_then(|p| p.as_tuple()) {
        Some(t) => t.to_vec(),
        None => return Err(vm.new_type_error("state is not a tuple")),
    };
    let n = items.len();
    if n < min || n > max {
        let (how, want) = if min == max {
            ("exactly", min)
        } else if n < min {
            ("at least", min)
        } else {
            ("at most", max)
        };
        let s = if want == 1 { "" } else { "s" };
        return Err(vm.new_type_error(format!("function takes {how} {want} argument{s} ({n} given)")));
    }
    Ok(items)
}

/// A `list` argument of a state tuple, copied ("argument 1 must be list, not tuple").
pub(crate) fn state_list(vm: &Vm, v: &Value, pos: usize) -> PyResult<Vec<Value>> {
    if !vm.is_subtype(vm.class_of(v), &vm.types.list) {
        return Err(vm.new_type_error(format!("argument {pos} must be list, not {}", vm.type_name_of(v))));
    }
    vm.collect_iter(v)
}

/// Keyword arguments are refused by the itertools type `t` itself and by
/// subclasses that do not define their own `__init__` (which may take them).
pub(crate) fn refuse_kwargs(vm: &Vm, cls: &PyRef, t: &PyRef, name: &str, args: &Args) -> PyResult<()> {
    if args.has_kwargs() && krait_vm::types::seq_util::refuses_keywords(vm, cls, t, "__init__") {
        return Err(vm.new_type_error(format!("{name}() takes no keyword arguments")));
    }
    Ok(())
}
