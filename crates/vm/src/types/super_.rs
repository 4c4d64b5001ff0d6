//! `super`: attribute lookup that starts after a given class in the MRO of
//! the instance's type, binding what it finds as descriptors do
//! (`super().__init__(...)`, classmethods, properties).
//!
//! The payload is `(thisclass, obj, obj_type)`; an unbound `super(C)` has
//! `obj` None and no `obj_type`. Everything is fixed at creation, in
//! `__new__` (`super.__init__` only re-checks arguments).

use crate::object::PyRef;
use crate::payload::{GetSetDef, Payload};
use crate::types::function::NativeDef;
use crate::types::object::{as_type_ref, attr_name, new_builtin_instance, new_target};
use crate::value::Value;
use crate::{Args, PyResult, Vm};

type SuperData = (PyRef, Value, Option<PyRef>);

fn super_data(v: &Value) -> Option<&SuperData> {
    match v.payload()?.base() {
        Payload::Super(s) => Some(s),
        _ => None,
    }
}

fn self_super<'a>(vm: &Vm, args: &Args<'a>) -> PyResult<&'a SuperData> {
    args.args.first().and_then(super_data).ok_or_else(|| vm.new_type_error("descriptor requires a 'super' object"))
}

/// The class and first argument of the running function, for `super()`.
fn frame_super_args(vm: &Vm) -> PyResult<(Value, Value)> {
    let (cls, first) = vm.current_frame_super_args()?;
    Ok((Value::Obj(cls), first))
}

/// The type to search the MRO of: `obj` itself when it is a subclass of
/// `typ` (a classmethod's `super()`), else its class (or its `__class__`).
fn supercheck(vm: &Vm, typ: &PyRef, obj: &Value) -> PyResult<PyRef> {
    if let Some(t) = as_type_ref(obj) {
        if vm.is_subtype(t, typ) {
            return Ok(t.clone());
        }
    }
    if vm.is_subtype(vm.class_of(obj), typ) {
        return Ok(vm.type_of(obj));
    }
    if let Some(Value::Obj(c)) = vm.getattr_opt(obj, "__class__")? {
        if c.payload.as_type().is_some() && !c.is(vm.class_of(obj)) && vm.is_subtype(&c, typ) {
            return Ok(c);
        }
    }
    Err(vm.new_type_error("super(type, obj): obj must be an instance or subtype of type"))
}

/// Checks `super(type[, obj])` arguments; returns the payload tuple.
fn super_args(vm: &Vm, args: &Args, fname: &str) -> PyResult<SuperData> {
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("{fname}() takes no keyword arguments")));
    }
    let pos = args.positional();
    if pos.len() > 2 {
        return Err(vm.new_type_error(format!("{fname}() expected at most 2 arguments, got {}", pos.len())));
    }
    let (typ, obj) = match pos.len() {
        0 => frame_super_args(vm)?,
        1 => (pos[0].clone(), Value::None),
        _ => (pos[0].clone(), pos[1].clone()),
    };
    let typ = match as_type_ref(&typ) {
        Some(t) => t.clone(),
        None => {
            return Err(vm.new_type_error(format!(
                "super() argument 1 must be a type, not {}",
                vm.type_name_of(&typ)
            )))
        }
    };
    if obj.is_none() {
        return Ok((typ, Value::None, None));
    }
    let obj_type = supercheck(vm, &typ, &obj)?;
    Ok((typ, obj, Some(obj_type)))
}

fn super_new(vm: &Vm, args: Args) -> PyResult {
    let cls = new_target(vm, "super", &args, &vm.types.super_)?;
    let rest = Args::with_kw(&args.args[1..], args.kwnames);
    let data = super_args(vm, &rest, "super")?;
    Ok(Value::Obj(new_builtin_instance(&cls, &vm.types.super_, Payload::Super(Box::new(data)))))
}

fn super_init(vm: &Vm, args: Args) -> PyResult {
    // Everything was done by __new__; a direct super.__init__ call on an
    // existing object only validates its arguments.
    self_super(vm, &args)?;
    let pos = args.positional().len();
    if args.has_kwargs() {
        return Err(vm.new_type_error("super() takes no keyword arguments"));
    }
    if pos > 3 {
        return Err(vm.new_type_error(format!("super() expected at most 2 arguments, got {}", pos - 1)));
    }
    Ok(Value::None)
}

/// `super(T, obj).name`.
pub fn super_getattr(vm: &Vm, this: &Value, name: &PyRef) -> PyResult {
    let (thisclass, obj, obj_type) = match super_data(this) {
        Some(d) => d,
        None => return vm.generic_getattr(this, name),
    };
    let skip = name.payload.as_str().map(|s| s.as_str() == "__class__").unwrap_or(false);
    if let (Some(start), false) = (obj_type, skip) {
        let mro = start.payload.as_type().unwrap().mro.borrow().clone();
        if let Some(i) = mro.iter().position(|c| c.is(thisclass)) {
            for c in &mro[i + 1..] {
                let dict = &c.payload.as_type().unwrap().dict;
                if let Some(res) = vm.dict_get_str(dict, name) {
                    // An instance binds; when obj is the class itself
                    // (classmethod's super()), bind to nothing.
                    let inst = match obj {
                        Value::Obj(o) if o.is(start) => None,
                        _ => Some(obj),
                    };
                    return vm.descr_get(&res, inst, start);
                }
            }
        }
    }
    vm.generic_getattr(this, name)
}

fn super_getattribute(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__getattribute__", args, 2, 2)?;
    let name = attr_name(vm, &args.args[1])?;
    super_getattr(vm, &args.args[0], &name)
}

fn super_get(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__get__", args, 2, 3)?;
    let (thisclass, obj, _) = self_super(vm, &args)?;
    let new_obj = &args.args[1];
    if new_obj.is_none() || !obj.is_none() {
        return Ok(args.args[0].clone());
    }
    let this = &args.args[0];
    let typ = vm.type_of(this);
    if typ.is(&vm.types.super_) {
        let obj_type = supercheck(vm, thisclass, new_obj)?;
        let data = (thisclass.clone(), new_obj.clone(), Some(obj_type));
        return Ok(Value::Obj(PyRef::new(typ, Payload::Super(Box::new(data)))));
    }
    // A subclass of super: build through its constructor.
    vm.call(&Value::Obj(typ), Args::new(&[Value::Obj(thisclass.clone()), new_obj.clone()]))
}

fn super_repr(vm: &Vm, args: Args) -> PyResult {
    let (thisclass, _, obj_type) = self_super(vm, &args)?;
    // CPython prints the bare type names here (tp_name), not the class repr.
    let tc = vm.type_name(thisclass);
    Ok(vm.new_str(match obj_type {
        Some(t) => format!("<super: <class '{tc}'>, <{} object>>", vm.type_name(t)),
        None => format!("<super: <class '{tc}'>, NULL>"),
    }))
}

fn get_thisclass(_vm: &Vm, v: &Value) -> PyResult {
    Ok(super_data(v).map(|d| Value::Obj(d.0.clone())).unwrap_or(Value::None))
}
fn get_self(_vm: &Vm, v: &Value) -> PyResult {
    Ok(super_data(v).map(|d| d.1.clone()).unwrap_or(Value::None))
}
fn get_self_class(_vm: &Vm, v: &Value) -> PyResult {
    Ok(super_data(v).and_then(|d| d.2.clone()).map(Value::Obj).unwrap_or(Value::None))
}

static SUPER_METHODS: [NativeDef; 5] = [
    NativeDef::staticmethod("__new__", super_new),
    NativeDef::method("__init__", super_init),
    NativeDef::method("__getattribute__", super_getattribute),
    NativeDef::method("__get__", super_get),
    NativeDef::method("__repr__", super_repr),
];

static SUPER_GETSETS: [GetSetDef; 3] = [
    GetSetDef { name: "__thisclass__", get: get_thisclass, set: None, doc: "the class invoking super()" },
    GetSetDef { name: "__self__", get: get_self, set: None, doc: "the instance invoking super(); may be None" },
    GetSetDef { name: "__self_class__", get: get_self_class, set: None, doc: "the type of the instance invoking super(); may be None" },
];

pub fn init(vm: &Vm) {
    crate::types::add_methods(vm, &vm.types.super_, &SUPER_METHODS);
    crate::types::add_getsets(vm, &vm.types.super_, &SUPER_GETSETS);
}
