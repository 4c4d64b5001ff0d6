//! The `_collections` module: `deque` (with its iterator types),
//! `defaultdict`, `_count_elements` and namedtuple's `_tuplegetter`.
//! OrderedDict stays in pure Python (collections/__init__.py falls back
//! to its own version when it is missing here).

mod defaultdict;
mod deque;
mod tuplegetter;

use crate::native::native_type;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};

/// `_count_elements(mapping, iterable)`: `mapping[x] = mapping.get(x, 0) + 1` for each x.
fn count_elements(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::unpack(vm, "_count_elements", &args, 2, 2)?;
    let get = vm.getattr_str(&a[0], "get")?;
    let it = vm.iter(&a[1])?;
    while let Some(x) = vm.next(&it)? {
        let old = vm.call(&get, Args::new(&[x.clone(), Value::Int(0)]))?;
        let new = vm.binary_op(&old, &Value::Int(1), krait_compiler::bytecode::BinOp::Add)?;
        vm.setitem(&a[0], &x, new)?;
    }
    Ok(Value::None)
}

static FUNCS: [NativeDef; 1] = [NativeDef::function("_count_elements", count_elements)];

/// Creates the `_collections` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let attrs = vec![
        ("deque", Value::Obj(deque::finish(vm))),
        ("defaultdict", Value::Obj(defaultdict::defaultdict_type(vm))),
        ("_deque_iterator", Value::Obj(native_type(vm, &deque::ITER))),
        ("_deque_reverse_iterator", Value::Obj(native_type(vm, &deque::REV_ITER))),
        ("_tuplegetter", Value::Obj(native_type(vm, &tuplegetter::TUPLEGETTER))),
    ];
    Ok(crate::native::make_module(
        vm,
        "_collections",
        "High performance data structures.\n- deque:        ordered collection accessible from endpoints only\n- defaultdict:  dict subclass with a default value factory\n",
        &FUNCS,
        attrs,
    ))
}
