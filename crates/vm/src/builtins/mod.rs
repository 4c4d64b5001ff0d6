//! The `builtins` module: every builtin function, type and exception type
//! under its Python name, plus the constants (`None`, `True`, `Ellipsis`, ...).
//!
//! Files: `functions.rs` (general builtins), `numeric.rs` (abs, round, pow,
//! sum, min/max, sorted, any/all), `io.rs` (`open` and the file objects,
//! standard streams), `pending.rs` (adapters to VM services written elsewhere),
//! `build_class.rs` (`__build_class__`, by the classes colleague), `docs.rs`
//! (the builtin functions' docstrings and text signatures).

mod async_iter;
pub mod build_class;
mod docs;
pub mod functions;
pub mod io;
pub mod numeric;
pub mod pending;

use crate::value::Value;
use crate::Vm;

pub fn init(vm: &Vm) {
    let d = &vm.builtins_dict;
    let set = |name: &str, v: Value| vm.dict_set_str(d, &vm.intern(name), v);
    for defs in [functions::FUNCTIONS, numeric::FUNCTIONS, io::FUNCTIONS] {
        for def in defs {
            set(def.name, vm.new_native_function(def, None));
        }
    }
    let t = &vm.types;
    for typ in [
        &t.object, &t.type_, &t.int, &t.bool_, &t.float, &t.complex, &t.str, &t.bytes, &t.bytearray, &t.tuple,
        &t.list, &t.dict, &t.set, &t.frozenset, &t.range, &t.slice, &t.property, &t.staticmethod,
        &t.classmethod, &t.super_, &t.enumerate, &t.zip, &t.map, &t.filter, &t.reversed, &t.memoryview,
    ] {
        set(&vm.type_name(typ), Value::Obj(typ.clone()));
    }
    for typ in vm.exc.all() {
        // io.UnsupportedOperation lives in the io module, not in builtins.
        if !typ.is(&vm.exc.unsupported_operation) {
            set(&vm.type_name(&typ), Value::Obj(typ));
        }
    }
    // Aliases kept for old code (they are the same type object in CPython).
    set("EnvironmentError", Value::Obj(vm.exc.os_error.clone()));
    set("IOError", Value::Obj(vm.exc.os_error.clone()));
    set("None", Value::None);
    set("True", Value::Bool(true));
    set("False", Value::Bool(false));
    set("Ellipsis", Value::Obj(vm.ellipsis.clone()));
    set("NotImplemented", vm.not_implemented());
    set("__debug__", Value::Bool(vm.config.optimize == 0));
    set("__name__", Value::Obj(vm.intern("builtins")));
    set("__package__", Value::Obj(vm.intern("")));
    set("__spec__", Value::None);
    set("__loader__", Value::None);
    set(
        "__doc__",
        vm.new_str(
            "Built-in functions, types, exceptions, and other objects.\n\nThis module provides direct access to all \
             'built-in'\nidentifiers of Python; for example, builtins.len is\nthe full name for the built-in function \
             len().\n\nThis module is not normally accessed explicitly by most\napplications, but can be useful in \
             modules that provide\nobjects with the same name as a built-in value, but in\nwhich the built-in of that \
             name is also needed.",
        ),
    );
    io::init(vm);
    build_class::register(vm);
}

#[cfg(test)]
mod tests;
