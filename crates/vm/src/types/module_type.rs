//! The `module` type: construction (`module(name, doc=None)`), the module
//! repr (`<module 'x' from '/path/x.py'>`, `<module 'sys' (built-in)>`),
//! `__dict__` and `__dir__`. Attribute lookup on modules (including a
//! module-level `__getattr__`) lives in `protocol/attr.rs`.

use crate::object::PyRef;
use crate::payload::{GetSetDef, ModuleData, Payload};
use crate::value::Value;
use crate::{Args, NativeDef, PyResult, Vm};

fn module_dict<'a>(vm: &Vm, v: &'a Value, what: &str) -> PyResult<&'a PyRef> {
    match v.payload() {
        Some(Payload::Module(m)) => Ok(&m.dict),
        _ => Err(vm.new_type_error(format!(
            "descriptor '{what}' requires a 'module' object but received a '{}'",
            vm.type_name_of(v)
        ))),
    }
}

/// A new, empty module object of type `cls` (module or a subclass).
pub fn new_module_of(vm: &Vm, cls: &PyRef) -> Value {
    Value::Obj(PyRef::new(cls.clone(), Payload::Module(Box::new(ModuleData { dict: vm.new_dict() }))))
}

/// A module named `name` with the standard attributes set, as `module(name)`.
pub fn new_module(vm: &Vm, name: &str) -> Value {
    let m = new_module_of(vm, &vm.types.module);
    let d = module_dict(vm, &m, "__init__").unwrap().clone();
    fill_standard(vm, &d, vm.new_str(name), Value::None);
    m
}

fn fill_standard(vm: &Vm, d: &PyRef, name: Value, doc: Value) {
    vm.dict_set_str(d, &vm.intern("__name__"), name);
    vm.dict_set_str(d, &vm.intern("__doc__"), doc);
    for k in ["__package__", "__loader__", "__spec__"] {
        vm.dict_set_str(d, &vm.intern(k), Value::None);
    }
}

fn module_new(vm: &Vm, args: Args) -> PyResult {
    match args.args.first() {
        Some(Value::Obj(c)) if c.payload.as_type().is_some() && vm.is_subtype(c, &vm.types.module) => {
            Ok(new_module_of(vm, c))
        }
        Some(c) => Err(vm.new_type_error(format!(
            "module.__new__(X): X is not a subtype of module ({})",
            vm.type_name_of(c)
        ))),
        None => Err(vm.new_type_error("module.__new__(): not enough arguments")),
    }
}

fn module_init(vm: &Vm, args: Args) -> PyResult {
    let this = args.args.first().cloned().unwrap_or(Value::None);
    let d = module_dict(vm, &this, "__init__")?.clone();
    let rest = Args::with_kw(&args.args[1..], args.kwnames);
    let b = vm.bind_native("module", rest, &["name", "doc"], 0, 1, None)?;
    let name = b[0].clone().unwrap();
    if vm.as_str(&name).is_none() {
        return Err(vm.new_type_error(format!(
            "module() argument 'name' must be str, not {}",
            vm.type_name_of(&name)
        )));
    }
    fill_standard(vm, &d, name, b[1].clone().unwrap_or(Value::None));
    Ok(Value::None)
}

/// The text of `module.__repr__`.
pub fn module_repr_string(vm: &Vm, m: &Value) -> PyResult<String> {
    let d = module_dict(vm, m, "__repr__")?.clone();
    let get = |k: &str| vm.dict_get_str(&d, &vm.intern(k));
    let name = match get("__name__") {
        Some(n) if vm.as_str(&n).is_some() => vm.as_str(&n).unwrap().to_string(),
        _ => "?".to_string(),
    };
    if let Some(f) = get("__file__") {
        if let Some(f) = vm.as_str(&f) {
            return Ok(format!("<module '{name}' from '{f}'>"));
        }
    }
    // Built-in (native) modules: by their spec's origin, or by being native.
    let mut builtin = vm.native_modules.borrow().contains_key(&name) || name == "sys" || name == "builtins";
    if let Some(spec) = get("__spec__").filter(|s| !s.is_none()) {
        if let Ok(Some(origin)) = vm.getattr_opt(&spec, "origin") {
            match vm.as_str(&origin) {
                Some("built-in") => builtin = true,
                Some("frozen") => return Ok(format!("<module '{name}' (frozen)>")),
                _ => {}
            }
        }
    }
    if builtin && get("__file__").is_none() {
        return Ok(format!("<module '{name}' (built-in)>"));
    }
    Ok(format!("<module '{name}'>"))
}

fn module_repr(vm: &Vm, args: Args) -> PyResult {
    let this = args.args.first().cloned().unwrap_or(Value::None);
    Ok(vm.new_str(module_repr_string(vm, &this)?))
}

fn module_dir(vm: &Vm, args: Args) -> PyResult {
    let this = args.args.first().cloned().unwrap_or(Value::None);
    module_dict(vm, &this, "__dir__")?;
    // Read as an attribute: a subclass may redefine `__dict__`.
    let d = vm.getattr_str(&this, "__dict__")?;
    let d = match d.as_obj() {
        Some(o) if o.payload.as_dict().is_some() => o.clone(),
        _ => return Err(vm.new_type_error("<module>.__dict__ is not a dictionary")),
    };
    // A module-level __dir__ function wins (PEP 562).
    if let Some(f) = vm.dict_get_str(&d, &vm.intern("__dir__")) {
        return vm.call1(&f, &[]);
    }
    Ok(vm.new_list(vm.dict_keys(&d)))
}

fn get_dict(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Obj(module_dict(vm, v, "__dict__")?.clone()))
}

static METHODS: [NativeDef; 4] = [
    NativeDef::staticmethod("__new__", module_new),
    NativeDef::method("__init__", module_init),
    NativeDef::method("__repr__", module_repr),
    NativeDef::method("__dir__", module_dir),
];
static GETSETS: [GetSetDef; 1] = [GetSetDef { name: "__dict__", get: get_dict, set: None, doc: "" }];

pub fn init(vm: &Vm) {
    super::add_methods(vm, &vm.types.module, &METHODS);
    super::add_getsets(vm, &vm.types.module, &GETSETS);
}
