//! The singleton types: NoneType, NotImplementedType and ellipsis. Calling
//! the type returns the singleton; each has a fixed repr.

use crate::value::Value;
use crate::{Args, NativeDef, PyResult, Vm};

/// Checks the receiver of a method of singleton type `tname`.
fn check_self(vm: &Vm, args: &Args, tname: &str, method: &str, want: &crate::PyRef) -> PyResult<()> {
    match args.args.first() {
        Some(v) if vm.class_of(v).is(want) => Ok(()),
        Some(v) => Err(vm.new_type_error(format!(
            "descriptor '{method}' requires a '{tname}' object but received a '{}'",
            vm.type_name_of(v)
        ))),
        None => Err(vm.new_type_error(format!("descriptor '{method}' of '{tname}' object needs an argument"))),
    }
}

/// `__new__` of a singleton type: no arguments allowed (the message uses the
/// name CPython's error uses, which for `ellipsis` is "EllipsisType").
fn new_checked(vm: &Vm, args: Args, shown: &str, value: Value) -> PyResult {
    if args.args.len() > 1 {
        return Err(vm.new_type_error(format!("{shown} takes no arguments")));
    }
    Ok(value)
}

fn none_new(vm: &Vm, args: Args) -> PyResult {
    new_checked(vm, args, "NoneType", Value::None)
}
fn none_repr(vm: &Vm, args: Args) -> PyResult {
    check_self(vm, &args, "NoneType", "__repr__", &vm.types.none_type)?;
    Ok(Value::Obj(vm.intern("None")))
}
fn none_bool(vm: &Vm, args: Args) -> PyResult {
    check_self(vm, &args, "NoneType", "__bool__", &vm.types.none_type)?;
    Ok(Value::Bool(false))
}

fn ni_new(vm: &Vm, args: Args) -> PyResult {
    new_checked(vm, args, "NotImplementedType", vm.not_implemented())
}
fn ni_repr(vm: &Vm, args: Args) -> PyResult {
    check_self(vm, &args, "NotImplementedType", "__repr__", &vm.types.not_implemented_type)?;
    Ok(Value::Obj(vm.intern("NotImplemented")))
}
fn ni_bool(vm: &Vm, args: Args) -> PyResult {
    check_self(vm, &args, "NotImplementedType", "__bool__", &vm.types.not_implemented_type)?;
    vm.warn(&vm.exc.deprecation_warning, "NotImplemented should not be used in a boolean context")?;
    Ok(Value::Bool(true))
}

fn ellipsis_new(vm: &Vm, args: Args) -> PyResult {
    new_checked(vm, args, "EllipsisType", Value::Obj(vm.ellipsis.clone()))
}
fn ellipsis_repr(vm: &Vm, args: Args) -> PyResult {
    check_self(vm, &args, "ellipsis", "__repr__", &vm.types.ellipsis_type)?;
    Ok(Value::Obj(vm.intern("Ellipsis")))
}

static NONE_METHODS: [NativeDef; 3] = [
    NativeDef::staticmethod("__new__", none_new),
    NativeDef::method("__repr__", none_repr),
    NativeDef::method("__bool__", none_bool),
];
static NI_METHODS: [NativeDef; 4] = [
    NativeDef::staticmethod("__new__", ni_new),
    NativeDef::method("__repr__", ni_repr),
    NativeDef::method("__reduce__", ni_repr),
    NativeDef::method("__bool__", ni_bool),
];
static ELLIPSIS_METHODS: [NativeDef; 3] = [
    NativeDef::staticmethod("__new__", ellipsis_new),
    NativeDef::method("__repr__", ellipsis_repr),
    NativeDef::method("__reduce__", ellipsis_repr),
];

pub fn init(vm: &Vm) {
    super::add_methods(vm, &vm.types.none_type, &NONE_METHODS);
    super::add_methods(vm, &vm.types.not_implemented_type, &NI_METHODS);
    super::add_methods(vm, &vm.types.ellipsis_type, &ELLIPSIS_METHODS);
}
