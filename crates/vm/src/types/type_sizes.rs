//! `type.__itemsize__`: the size of one variable-length item of a type's
//! instances as CPython 3.11 reports it on 64-bit machines (`tuple` 8, `int`
//! 4, `bytes` 1, ...; 0 for fixed-size types). A class inherits its nearest
//! builtin base's, as in CPython. Tests use it to build sizes that overflow
//! (`2 ** (tuple.__itemsize__ * 8)`). `__basicsize__` is not modelled.

use crate::payload::GetSetDef;
use crate::value::Value;
use crate::{PyResult, Vm};

fn itemsize(vm: &Vm, v: &Value) -> PyResult {
    let Some(t) = v.as_obj().and_then(|o| o.payload.as_type()) else {
        return Err(vm.new_type_error(format!(
            "descriptor '__itemsize__' for 'type' objects doesn't apply to a '{}' object",
            vm.type_name_of(v)
        )));
    };
    let ty = &vm.types;
    let sizes = [
        (&ty.tuple, 8),
        (&ty.int, 4),
        (&ty.bytes, 1),
        (&ty.memoryview, 8),
        (&ty.type_, 40),
        (&ty.code, 2),
        (&ty.frame, 8),
        (&ty.generator, 8),
        (&ty.coroutine, 8),
        (&ty.async_generator, 8),
    ];
    for base in t.mro.borrow().iter() {
        if let Some((_, n)) = sizes.iter().find(|(typ, _)| typ.is(base)) {
            return Ok(Value::Int(*n));
        }
    }
    Ok(Value::Int(0))
}

static TYPE_SIZES: [GetSetDef; 1] = [GetSetDef { name: "__itemsize__", get: itemsize, set: None, doc: "" }];

pub fn init(vm: &Vm) {
    crate::types::add_getsets(vm, &vm.types.type_, &TYPE_SIZES);
}
