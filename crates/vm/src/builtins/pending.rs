//! The seam between the builtins and VM services written elsewhere
//! (isinstance.rs, the eval loop, import). Every builtin goes through these
//! small adapters, so a change of those APIs is a one-place edit here.

use crate::object::PyRef;
use crate::value::Value;
use crate::{PyResult, Vm};
use krait_compiler::{CodeObject, CompileError};

/// `isinstance(obj, cls)` (types/isinstance.rs).
pub fn isinstance(vm: &Vm, obj: &Value, cls: &Value) -> PyResult<bool> {
    vm.isinstance(obj, cls)
}

/// `issubclass(sub, cls)` (types/isinstance.rs).
pub fn issubclass(vm: &Vm, sub: &Value, cls: &Value) -> PyResult<bool> {
    vm.issubclass(sub, cls)
}

/// The globals dict of the running frame.
pub fn current_globals(vm: &Vm) -> PyResult<Value> {
    match vm.current_globals() {
        Some(g) => Ok(Value::Obj(g)),
        None => Err(vm.new_system_error("globals(): no current frame")),
    }
}

/// The locals mapping of the running frame.
pub fn current_locals(vm: &Vm) -> PyResult<Value> {
    vm.current_locals()
}

/// A compiled module/expression as a `code` value.
pub fn load_code(vm: &Vm, code: CodeObject) -> PyResult<Value> {
    Ok(Value::Obj(vm.load_code(code)))
}

/// Runs a code value in `globals`/`locals`.
pub fn exec_code(vm: &Vm, code: &Value, globals: &PyRef, locals: &Value) -> PyResult {
    match code {
        Value::Obj(c) => vm.exec_code(c, globals, locals.clone()),
        _ => Err(vm.new_type_error("exec_code needs a code object")),
    }
}

/// `__import__(name, globals, locals, fromlist, level)`.
pub fn import_name(vm: &Vm, name: &Value, globals: &Value, _locals: &Value, fromlist: &Value, level: i64) -> PyResult {
    let name = match name {
        Value::Obj(n) => n.clone(),
        _ => return Err(vm.new_type_error("__import__() argument 1 must be str")),
    };
    let globals = match globals {
        Value::Obj(g) if g.payload.as_dict().is_some() => g.clone(),
        // Absolute imports do not look at globals; relative ones then fail
        // as CPython does ("attempted relative import with no known parent package").
        _ => vm.new_dict(),
    };
    vm.import_name(&name, &globals, fromlist.clone(), level)
}

/// A compile error as the SyntaxError (or subclass) CPython raises.
pub fn compile_error_to_exception(vm: &Vm, err: &CompileError) -> PyRef {
    vm.compile_error_to_exception(err)
}
