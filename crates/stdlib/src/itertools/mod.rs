//! The `itertools` module. Every iterator is a lazy native iterator
//! (`IterState::Native`) whose state machine lives in one of the files:
//! `simple.rs` (count, cycle, repeat, accumulate, chain, compress,
//! dropwhile, takewhile, filterfalse, starmap, pairwise, islice),
//! `group.rs` (groupby, tee) and `combinatoric.rs` (product,
//! permutations, combinations, combinations_with_replacement, zip_longest).
//! Pickling (`__reduce__`/`__setstate__`) is not provided.

mod combinatoric;
mod group;
mod simple;

use crate::native::{native_type, TypeSpec, ITER_METHODS};
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{NativeDef, PyRef, PyResult, Value, Vm};

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
    Ok(crate::native::make_module(
        vm,
        "itertools",
        "Functional tools for creating and using iterators.",
        &group::FUNCS,
        attrs,
    ))
}
