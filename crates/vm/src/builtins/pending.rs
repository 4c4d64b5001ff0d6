//! Stand-ins for VM services other people are writing (isinstance, the eval
//! loop's code loading and frames, import). Every builtin goes through these
//! functions, so wiring the real service in is a one-line change here.
//! Each stand-in says what it should become; none of them panics.

use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::typeobj::Slot;
use crate::value::Value;
use crate::{PyResult, Vm};
use krait_compiler::{CodeObject, CompileError};

/// `isinstance(obj, cls)`. LEAD: replace the body with `vm.isinstance(obj, cls)`
/// once the classes colleague's isinstance.rs lands.
pub fn isinstance(vm: &Vm, obj: &Value, cls: &Value) -> PyResult<bool> {
    if let Some(items) = cls.payload().and_then(|p| p.as_tuple()) {
        let items = items.to_vec();
        for c in &items {
            if isinstance(vm, obj, c)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    match cls {
        Value::Obj(c) if c.payload.as_type().is_some() => {
            if vm.is_subtype(vm.class_of(obj), c) {
                return Ok(true);
            }
            if let Some(f) = metaclass_hook(vm, c, Slot::InstanceCheck) {
                let r = vm.call_unbound(&f, cls, &[obj.clone()])?;
                return vm.truthy(&r);
            }
            Ok(false)
        }
        _ => match vm.special(cls, Slot::InstanceCheck) {
            Some(f) => {
                let r = vm.call_unbound(&f, cls, &[obj.clone()])?;
                vm.truthy(&r)
            }
            None => Err(vm.new_type_error("isinstance() arg 2 must be a type, a tuple of types, or a union")),
        },
    }
}

/// `issubclass(sub, cls)`. LEAD: replace with `vm.issubclass(sub, cls)`.
pub fn issubclass(vm: &Vm, sub: &Value, cls: &Value) -> PyResult<bool> {
    if let Some(items) = cls.payload().and_then(|p| p.as_tuple()) {
        let items = items.to_vec();
        for c in &items {
            if issubclass(vm, sub, c)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    match cls {
        Value::Obj(c) if c.payload.as_type().is_some() => {
            if let Some(f) = metaclass_hook(vm, c, Slot::SubclassCheck) {
                let r = vm.call_unbound(&f, cls, &[sub.clone()])?;
                return vm.truthy(&r);
            }
            match sub {
                Value::Obj(s) if s.payload.as_type().is_some() => Ok(vm.is_subtype(s, c)),
                _ => Err(vm.new_type_error("issubclass() arg 1 must be a class")),
            }
        }
        _ => match vm.special(cls, Slot::SubclassCheck) {
            Some(f) => {
                let r = vm.call_unbound(&f, cls, &[sub.clone()])?;
                vm.truthy(&r)
            }
            None => Err(vm.new_type_error("issubclass() arg 2 must be a class, a tuple of classes, or a union")),
        },
    }
}

/// A `__instancecheck__`/`__subclasscheck__` defined by a user metaclass
/// (`type`'s own needs no call: the MRO test above is what it does).
fn metaclass_hook(vm: &Vm, cls: &PyRef, slot: Slot) -> Option<Value> {
    let meta = cls.class();
    if meta.is(&vm.types.type_) {
        return None;
    }
    let f = meta.payload.as_type()?.slot(slot)?;
    match f.payload() {
        Some(Payload::NativeMethod { .. }) => None,
        _ => Some(f),
    }
}

/// The globals dict of the running frame. LEAD: `vm.current_globals()`.
pub fn current_globals(vm: &Vm) -> PyResult<Value> {
    Err(vm.new_system_error("globals(): no frame support yet"))
}

/// The locals mapping of the running frame. LEAD: `vm.current_locals()`.
pub fn current_locals(vm: &Vm) -> PyResult<Value> {
    Err(vm.new_system_error("locals(): no frame support yet"))
}

/// A compiled module/expression as a `code` value. LEAD: `vm.load_code(code)`.
pub fn load_code(vm: &Vm, _code: CodeObject) -> PyResult<Value> {
    Err(vm.new_system_error("code objects are not supported yet"))
}

/// Runs a code value in `globals`/`locals`. LEAD: `vm.exec_code(code, globals, locals)`.
pub fn exec_code(vm: &Vm, _code: &Value, _globals: &PyRef, _locals: &Value) -> PyResult {
    Err(vm.new_system_error("the eval loop is not written yet"))
}

/// `__import__(name, globals, locals, fromlist, level)`. LEAD: `vm.import_name(...)`.
pub fn import_name(vm: &Vm, name: &Value, _globals: &Value, _locals: &Value, _fromlist: &Value, _level: i64) -> PyResult {
    let n = vm.as_str(name).unwrap_or("");
    if let Some(m) = vm.dict_get_str(&vm.modules, &vm.intern(n)) {
        return Ok(m);
    }
    if n == "builtins" {
        return Ok(Value::Obj(vm.builtins.clone()));
    }
    if n == "sys" {
        return Ok(Value::Obj(vm.sys.clone()));
    }
    let e = vm.new_exception_msg(&vm.exc.module_not_found_error, format!("No module named '{n}'"));
    crate::types::exception_methods::set_field(vm, &e, "name", name.clone());
    Err(e)
}

/// A compile error as the SyntaxError (or subclass) CPython raises. LEAD:
/// keep this, or point `vm.compile_error_to_exception` here.
pub fn compile_error_to_exception(vm: &Vm, err: &CompileError) -> PyRef {
    use krait_compiler::ErrorKind;
    let typ = match err.kind {
        ErrorKind::SyntaxError => &vm.exc.syntax_error,
        ErrorKind::IndentationError => &vm.exc.indentation_error,
        ErrorKind::TabError => &vm.exc.tab_error,
        ErrorKind::RecursionError => return vm.new_recursion_error(err.msg.clone()),
    };
    let num = |n: u32| Value::Int(n as i64);
    let details = vm.new_tuple(vec![
        vm.new_str(err.filename.as_str()),
        num(err.lineno),
        num(err.offset),
        match &err.text {
            Some(t) => vm.new_str(t.as_str()),
            None => Value::None,
        },
        num(err.end_lineno),
        num(err.end_offset),
    ]);
    let args = vec![vm.new_str(err.msg.as_str()), details];
    let e = vm.new_exception(typ, args.clone());
    // Fill the SyntaxError fields as its __init__ would.
    let _ = crate::types::exception_methods::init_exception_fields(vm, &e, &args);
    e
}
