//! The builtin types, one file each. `init_all` fills their dicts at start-up.

pub mod bool;
pub mod builtin_iters;
pub mod bytearray;
pub mod bytes;
pub mod code;
pub mod code_methods;
#[cfg(test)]
mod container_tests;
pub mod complex;
pub mod dict;
pub mod dict_methods;
pub mod dict_views;
pub mod dict_table;
pub mod exception;
pub mod exception_group;
pub mod exception_methods;
pub mod module_type;
pub mod singletons;
pub mod float;
pub mod function;
pub mod function_type;
pub mod generator_type;
pub mod awaitables;
pub mod int;
pub mod generic_alias;
pub mod isinstance;
pub mod member;
pub mod memoryview;
pub mod namespace;
pub mod object;
pub mod property;
pub mod super_;
pub mod type_methods;
pub mod type_new;
pub mod type_sizes;
pub mod int_ops;
pub mod iter;
pub mod iter_pickle;
pub mod list;
pub mod list_slice;
pub mod list_sort;
pub mod list_storage;
pub mod range;
pub mod seq_util;
pub mod set;
pub mod set_methods;
pub mod slice;
pub mod str;
pub mod str_codecs;
pub mod str_format;
pub mod str_methods;
pub mod str_percent;
pub mod str_surrogates;
pub mod tuple;
pub mod text_util;
pub mod typeobj;
pub mod weakref;
pub mod weakref_proxy;
#[cfg(test)]
mod text_tests;

use crate::object::PyRef;
use crate::payload::{GetSetDef, Payload};
use crate::types::function::NativeDef;
use crate::value::Value;
use crate::Vm;

/// Fills the dicts of every builtin type with its methods and attributes.
/// Each type file has an `init(vm)`; add yours here.
pub fn init_all(vm: &Vm) {
    // The class machinery first: object, type and the descriptor types.
    object::init(vm);
    type_methods::init(vm);
    type_sizes::init(vm);
    member::init(vm);
    property::init(vm);
    super_::init(vm);
    generic_alias::init(vm);
    int::init(vm);
    bool::init(vm);
    float::init(vm);
    complex::init(vm);
    slice::init(vm);
    set_methods::init(vm);
    list::init(vm);
    iter::init(vm);
    tuple::init(vm);
    dict_methods::init(vm);
    dict_views::init(vm);
    range::init(vm);
    builtin_iters::init(vm);
    iter_pickle::init(vm);
    str_methods::init(vm);
    bytes::init(vm);
    bytearray::init(vm);
    memoryview::init(vm);
    exception_methods::init(vm);
    singletons::init(vm);
    function_type::init(vm);
    code_methods::init(vm);
    generator_type::init(vm);
    module_type::init(vm);
    weakref::init(vm);
    member::mark_builtin_members(vm);
    // Last: every builtin type gets a `__doc__` entry (classes look it up).
    type_methods::fill_docs(vm);
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
    vm.type_modified(typ);
}

/// Puts native attributes (getter/setter pairs) into a builtin type's dict.
pub fn add_getsets(vm: &Vm, typ: &PyRef, defs: &'static [GetSetDef]) {
    let dict = &typ.payload.as_type().expect("add_getsets on a type").dict;
    for def in defs {
        let descr = PyRef::new(vm.types.getset_descriptor.clone(), Payload::GetSetDescr { def, owner: typ.clone() });
        vm.dict_set_str(dict, &vm.intern(def.name), Value::Obj(descr));
    }
    vm.type_modified(typ);
}

/// Sets a plain attribute in a type's dict (e.g. `__hash__ = None`, constants).
pub fn add_attr(vm: &Vm, typ: &PyRef, name: &str, value: Value) {
    let dict = &typ.payload.as_type().expect("add_attr on a type").dict;
    vm.dict_set_str(dict, &vm.intern(name), value);
    vm.type_modified(typ);
}
