//! `types.SimpleNamespace` (CPython's `_PyNamespace_Type`): an object whose
//! keyword arguments become its attributes. It lives in the VM because
//! `sys.implementation` is one and `types.py` takes the class from there.

use crate::payload::GetSetDef;
use crate::types::function::{Args, NativeDef};
use crate::types::typeobj::{type_flags, Layout};
use crate::{PyRef, PyResult, Value, Vm};
use krait_compiler::bytecode::CmpOp;
use std::cell::RefCell;

/// The interpreter's namespace class (`vm.state`); immortal.
#[derive(Default)]
struct NamespaceType {
    t: RefCell<Option<PyRef>>,
}

/// The `types.SimpleNamespace` class of this interpreter, made on first use.
pub fn namespace_type(vm: &Vm) -> PyRef {
    let state = vm.state::<NamespaceType>();
    if let Some(t) = &*state.t.borrow() {
        return t.clone();
    }
    // No HAS_WEAKREF: CPython's namespaces cannot be weakly referenced.
    let t = vm.new_native_type("types", "SimpleNamespace", None, Layout::Object, type_flags::BASETYPE | type_flags::HAS_DICT, &[]);
    super::add_methods(vm, &t, &METHODS);
    super::add_getsets(vm, &t, &GETSETS);
    super::member::mark_members(vm, &t, &["__dict__"]);
    super::add_attr(vm, &t, "__doc__", vm.new_str("A simple attribute-based namespace.\n\nSimpleNamespace(**kwargs)"));
    // Defining __eq__ makes instances unhashable, as in CPython.
    super::add_attr(vm, &t, "__hash__", Value::None);
    vm.refresh_slots(&t);
    *state.t.borrow_mut() = Some(t.clone());
    t
}

/// A namespace with the given attributes (in order).
pub fn new_namespace(vm: &Vm, attrs: Vec<(&str, Value)>) -> Value {
    let t = namespace_type(vm);
    let obj = Value::Obj(super::object::new_plain_instance(vm, &t));
    if let Some(d) = vm.instance_dict(&obj, true) {
        for (k, v) in attrs {
            vm.dict_set_str(&d, &vm.intern(k), v);
        }
    }
    obj
}

fn is_namespace(vm: &Vm, v: &Value) -> bool {
    vm.is_subtype(vm.class_of(v), &namespace_type(vm))
}

fn check_self<'a>(vm: &Vm, args: &Args<'a>, name: &str) -> PyResult<&'a Value> {
    match args.args.first() {
        Some(s) if is_namespace(vm, s) => Ok(s),
        Some(s) => Err(vm.new_type_error(format!(
            "descriptor '{name}' requires a 'types.SimpleNamespace' object but received a '{}'",
            vm.type_name_of(s)
        ))),
        None => Err(vm.new_type_error(format!("descriptor '{name}' of 'types.SimpleNamespace' object needs an argument"))),
    }
}

fn ns_dict(vm: &Vm, v: &Value) -> PyResult<PyRef> {
    vm.instance_dict(v, true).ok_or_else(|| vm.new_attribute_error("This object has no __dict__"))
}

fn ns_init(vm: &Vm, args: Args) -> PyResult {
    let me = check_self(vm, &args, "__init__")?;
    if args.positional().len() > 1 {
        return Err(vm.new_type_error("no positional arguments expected"));
    }
    let d = ns_dict(vm, me)?;
    for (k, v) in args.keywords() {
        if vm.as_str(k).is_none() {
            return Err(vm.new_type_error("keywords must be strings"));
        }
        vm.dict_set(&d, k.clone(), v.clone())?;
    }
    Ok(Value::None)
}

fn ns_repr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__repr__", args, 1, 1)?;
    let me = check_self(vm, &args, "__repr__")?;
    // The exact class prints as "namespace"; subclasses use their own name.
    let cls = vm.class_of(me);
    let name = if cls.is(&namespace_type(vm)) { "namespace".to_string() } else { vm.type_name(cls) };
    let d = ns_dict(vm, me)?;
    let body = vm.with_repr_guard(me, || {
        let mut parts = Vec::new();
        for (k, v) in vm.dict_items(&d) {
            // Only non-empty str keys are shown, as CPython does.
            match vm.as_str(&k) {
                Some(s) if !s.is_empty() => {
                    let r = vm.repr(&v)?;
                    parts.push(format!("{}={}", s, r.payload.as_str().map(|x| x.as_str()).unwrap_or("")));
                }
                _ => {}
            }
        }
        Ok(parts.join(", "))
    })?;
    Ok(vm.new_str(match body {
        Some(b) => format!("{name}({b})"),
        None => format!("{name}(...)"),
    }))
}

fn ns_compare(vm: &Vm, args: Args, name: &str, op: CmpOp) -> PyResult {
    vm.check_arity(name, args, 2, 2)?;
    let me = check_self(vm, &args, name)?;
    let other = &args.args[1];
    if !is_namespace(vm, other) || !matches!(op, CmpOp::Eq | CmpOp::Ne) {
        return Ok(vm.not_implemented());
    }
    let a = Value::Obj(ns_dict(vm, me)?);
    let b = Value::Obj(ns_dict(vm, other)?);
    vm.compare(&a, &b, op)
}

fn ns_eq(vm: &Vm, args: Args) -> PyResult {
    ns_compare(vm, args, "__eq__", CmpOp::Eq)
}
fn ns_ne(vm: &Vm, args: Args) -> PyResult {
    ns_compare(vm, args, "__ne__", CmpOp::Ne)
}
fn ns_lt(vm: &Vm, args: Args) -> PyResult {
    ns_compare(vm, args, "__lt__", CmpOp::Lt)
}
fn ns_le(vm: &Vm, args: Args) -> PyResult {
    ns_compare(vm, args, "__le__", CmpOp::Le)
}
fn ns_gt(vm: &Vm, args: Args) -> PyResult {
    ns_compare(vm, args, "__gt__", CmpOp::Gt)
}
fn ns_ge(vm: &Vm, args: Args) -> PyResult {
    ns_compare(vm, args, "__ge__", CmpOp::Ge)
}

/// Pickling: `(type(self), (), self.__dict__)`.
fn ns_reduce(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__reduce__", args, 1, 1)?;
    let me = check_self(vm, &args, "__reduce__")?;
    let cls = Value::Obj(vm.class_of(me).clone());
    let d = Value::Obj(ns_dict(vm, me)?);
    Ok(vm.new_tuple(vec![cls, vm.new_tuple(Vec::new()), d]))
}

fn get_dict(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Obj(ns_dict(vm, v)?))
}

fn set_dict(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let value = match value {
        Some(d) if d.payload().and_then(|p| p.as_dict()).is_some() => d,
        Some(d) => {
            return Err(vm.new_type_error(format!("__dict__ must be set to a dictionary, not a '{}'", vm.type_name_of(&d))))
        }
        None => return Err(vm.new_type_error("cannot delete __dict__")),
    };
    if let Some(i) = v.payload().and_then(|p| p.as_instance()) {
        let old = v
            .as_obj()
            .map(crate::instance_values::take_all_of)
            .unwrap_or_default();
        i.dict.set(Some(value));
        drop(old);
    }
    Ok(())
}

static METHODS: [NativeDef; 9] = [
    NativeDef::method("__init__", ns_init),
    NativeDef::method("__repr__", ns_repr),
    NativeDef::method("__eq__", ns_eq),
    NativeDef::method("__ne__", ns_ne),
    NativeDef::method("__lt__", ns_lt),
    NativeDef::method("__le__", ns_le),
    NativeDef::method("__gt__", ns_gt),
    NativeDef::method("__ge__", ns_ge),
    NativeDef::method("__reduce__", ns_reduce),
];

static GETSETS: [GetSetDef; 1] = [GetSetDef { name: "__dict__", get: get_dict, set: Some(set_dict), doc: "" }];
