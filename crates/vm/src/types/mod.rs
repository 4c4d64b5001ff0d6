//! The builtin types, one file each. `init_all` fills their dicts at start-up.

pub mod code;
pub mod dict;
pub mod dict_table;
pub mod exception;
pub mod function;
pub mod int;
pub mod int_ops;
pub mod iter;
pub mod seq_util;
pub mod set;
pub mod set_methods;
pub mod slice;
pub mod str;
pub mod typeobj;

use crate::object::PyRef;
use crate::payload::{GetSetDef, Payload};
use crate::types::function::NativeDef;
use crate::value::Value;
use crate::Vm;

/// Fills the dicts of every builtin type with its methods and attributes.
/// Each type file has an `init(vm)`; add yours here.
pub fn init_all(vm: &Vm) {
    int::init(vm);
    slice::init(vm);
    set_methods::init(vm);
}

/// Puts native methods into a builtin type's dict.
pub fn add_methods(vm: &Vm, typ: &PyRef, defs: &'static [NativeDef]) {
    let dict = &typ.payload.as_type().expect("add_methods on a type").dict;
    for def in defs {
        let descr = PyRef::new(
            vm.types.method_descriptor.clone(),
            Payload::NativeMethod { def, owner: typ.clone() },
        );
        vm.dict_set_str(dict, &vm.intern(def.name), Value::Obj(descr));
    }
}

/// Puts native attributes (getter/setter pairs) into a builtin type's dict.
pub fn add_getsets(vm: &Vm, typ: &PyRef, defs: &'static [GetSetDef]) {
    let dict = &typ.payload.as_type().expect("add_getsets on a type").dict;
    for def in defs {
        let descr = PyRef::new(vm.types.getset_descriptor.clone(), Payload::GetSetDescr { def, owner: typ.clone() });
        vm.dict_set_str(dict, &vm.intern(def.name), Value::Obj(descr));
    }
}

/// Sets a plain attribute in a type's dict (e.g. `__hash__ = None`, constants).
pub fn add_attr(vm: &Vm, typ: &PyRef, name: &str, value: Value) {
    let dict = &typ.payload.as_type().expect("add_attr on a type").dict;
    vm.dict_set_str(dict, &vm.intern(name), value);
}
