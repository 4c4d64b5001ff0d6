//! `property`, `staticmethod` and `classmethod`.
//!
//! The attribute protocol (`protocol/attr.rs`) binds the exact builtin
//! payloads directly for speed; the `__get__`/`__set__`/`__delete__` methods
//! here serve explicit calls and instances of subclasses (an `Instance` whose
//! `base` is the builtin payload), so they must not go back through
//! `vm.descr_get`/`vm.descr_set`, which would dispatch to them again.
//!
//! A property's cells: 0 fget, 1 fset, 2 fdel, 3 the name `__set_name__`
//! recorded (3.11 puts it in "property 'x' of 'C' object has no setter"),
//! 4 the explicit doc; when 4 is unset the doc is fget's `__doc__`, read when
//! asked (CPython copies it at creation; the results only differ if fget's
//! doc is changed afterwards).

use crate::object::{PyRef, ValueCell};
use crate::payload::{FuncWrapper, GetSetDef, Payload};
use crate::types::function::NativeDef;
use crate::types::object::{new_builtin_instance, new_target};
use crate::value::Value;
use crate::{Args, PyResult, Vm};

fn cells(v: &Value) -> Option<&[ValueCell; 5]> {
    match v.payload()?.base() {
        Payload::Property(p) => Some(p),
        _ => None,
    }
}

fn self_cells<'a>(vm: &Vm, args: &Args<'a>) -> PyResult<&'a [ValueCell; 5]> {
    args.args.first().and_then(cells).ok_or_else(|| vm.new_type_error("descriptor requires a 'property' object"))
}

fn prop_name_part(vm: &Vm, p: &[ValueCell; 5]) -> String {
    match p[3].get() {
        Some(n) => match vm.repr_string(&n) {
            Ok(r) => format!("{r} "),
            Err(_) => String::new(),
        },
        None => String::new(),
    }
}

fn func_of(p: &[ValueCell; 5], i: usize) -> Option<Value> {
    p[i].get().filter(|f| !f.is_none())
}

fn property_new(vm: &Vm, args: Args) -> PyResult {
    let cls = new_target(vm, "property", &args, &vm.types.property)?;
    let p: Box<[ValueCell; 5]> = Box::new(std::array::from_fn(|_| ValueCell::new(None)));
    Ok(Value::Obj(new_builtin_instance(&cls, &vm.types.property, Payload::Property(p))))
}

fn property_init(vm: &Vm, args: Args) -> PyResult {
    let p = self_cells(vm, &args)?;
    let rest = Args::with_kw(&args.args[1..], args.kwnames);
    let a = vm.bind_native("property", rest, &["fget", "fset", "fdel", "doc"], 0, 0, None)?;
    for i in 0..3 {
        p[i].set(Some(a[i].clone().unwrap_or(Value::None)));
    }
    p[4].set(a[3].clone().filter(|d| !d.is_none()));
    Ok(Value::None)
}

fn property_get(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__get__", args, 2, 3)?;
    let p = self_cells(vm, &args)?;
    let obj = &args.args[1];
    if obj.is_none() {
        return Ok(args.args[0].clone());
    }
    match func_of(p, 0) {
        Some(f) => vm.call(&f, Args::new(&[obj.clone()])),
        None => Err(vm.new_attribute_error(format!(
            "property {}of '{}' object has no getter",
            prop_name_part(vm, p),
            vm.type_name_of(obj)
        ))),
    }
}

fn property_set_or_delete(vm: &Vm, p: &[ValueCell; 5], obj: &Value, value: Option<Value>) -> PyResult {
    let (idx, what) = if value.is_some() { (1, "setter") } else { (2, "deleter") };
    match func_of(p, idx) {
        Some(f) => {
            let mut a = vec![obj.clone()];
            a.extend(value);
            vm.call(&f, Args::new(&a))?;
            Ok(Value::None)
        }
        None => Err(vm.new_attribute_error(format!(
            "property {}of '{}' object has no {}",
            prop_name_part(vm, p),
            vm.type_name_of(obj),
            what
        ))),
    }
}

fn property_set(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__set__", args, 3, 3)?;
    let p = self_cells(vm, &args)?;
    property_set_or_delete(vm, p, &args.args[1], Some(args.args[2].clone()))
}

fn property_delete(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__delete__", args, 2, 2)?;
    let p = self_cells(vm, &args)?;
    property_set_or_delete(vm, p, &args.args[1], None)
}

fn property_set_name(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__set_name__", args, 3, 3)?;
    let p = self_cells(vm, &args)?;
    p[3].set(Some(args.args[2].clone()));
    Ok(Value::None)
}

/// `getter`/`setter`/`deleter`: a copy of the property (made by calling its
/// type, as CPython does) with one function replaced.
fn property_copy(vm: &Vm, args: &Args, which: usize) -> PyResult {
    vm.check_arity("property copy", *args, 2, 2)?;
    let this = &args.args[0];
    let p = self_cells(vm, args)?;
    let mut funcs: Vec<Value> = (0..3).map(|i| p[i].get().unwrap_or(Value::None)).collect();
    funcs[which] = args.args[1].clone();
    // A doc taken from the old getter is re-derived from the new one.
    let doc = p[4].get().unwrap_or(Value::None);
    funcs.push(doc);
    let typ = Value::Obj(vm.type_of(this));
    let new = vm.call(&typ, Args::new(&funcs))?;
    if let Some(np) = cells(&new) {
        np[3].set(p[3].get());
    }
    Ok(new)
}

fn property_getter(vm: &Vm, args: Args) -> PyResult {
    property_copy(vm, &args, 0)
}
fn property_setter(vm: &Vm, args: Args) -> PyResult {
    property_copy(vm, &args, 1)
}
fn property_deleter(vm: &Vm, args: Args) -> PyResult {
    property_copy(vm, &args, 2)
}

fn prop_cell_getter(v: &Value, i: usize) -> PyResult {
    Ok(cells(v).and_then(|p| p[i].get()).unwrap_or(Value::None))
}
fn prop_fget(_vm: &Vm, v: &Value) -> PyResult {
    prop_cell_getter(v, 0)
}
fn prop_fset(_vm: &Vm, v: &Value) -> PyResult {
    prop_cell_getter(v, 1)
}
fn prop_fdel(_vm: &Vm, v: &Value) -> PyResult {
    prop_cell_getter(v, 2)
}

fn prop_doc_get(vm: &Vm, v: &Value) -> PyResult {
    let p = match cells(v) {
        Some(p) => p,
        None => return Ok(Value::None),
    };
    if let Some(d) = p[4].get() {
        return Ok(d);
    }
    match func_of(p, 0) {
        Some(f) => Ok(vm.getattr_opt(&f, "__doc__")?.unwrap_or(Value::None)),
        None => Ok(Value::None),
    }
}

fn prop_doc_set(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    match cells(v) {
        Some(p) => {
            // Setting None keeps None (not "take it from fget").
            p[4].set(Some(value.unwrap_or(Value::None)));
            Ok(())
        }
        None => Err(vm.new_type_error("descriptor requires a 'property' object")),
    }
}

/// True if any of the functions has a true `__isabstractmethod__`.
fn any_abstract(vm: &Vm, funcs: &[Value]) -> PyResult {
    for f in funcs {
        if let Some(v) = vm.getattr_opt(f, "__isabstractmethod__")? {
            if vm.truthy(&v)? {
                return Ok(Value::Bool(true));
            }
        }
    }
    Ok(Value::Bool(false))
}

fn prop_isabstract(vm: &Vm, v: &Value) -> PyResult {
    let funcs: Vec<Value> = match cells(v) {
        Some(p) => (0..3).filter_map(|i| func_of(p, i)).collect(),
        None => Vec::new(),
    };
    any_abstract(vm, &funcs)
}

static PROPERTY_METHODS: [NativeDef; 9] = [
    NativeDef::staticmethod("__new__", property_new),
    NativeDef::method("__init__", property_init),
    NativeDef::method("__get__", property_get),
    NativeDef::method("__set__", property_set),
    NativeDef::method("__delete__", property_delete),
    NativeDef::method("__set_name__", property_set_name),
    NativeDef::method("getter", property_getter),
    NativeDef::method("setter", property_setter),
    NativeDef::method("deleter", property_deleter),
];

static PROPERTY_GETSETS: [GetSetDef; 5] = [
    GetSetDef { name: "fget", get: prop_fget, set: None, doc: "" },
    GetSetDef { name: "fset", get: prop_fset, set: None, doc: "" },
    GetSetDef { name: "fdel", get: prop_fdel, set: None, doc: "" },
    GetSetDef { name: "__doc__", get: prop_doc_get, set: Some(prop_doc_set), doc: "" },
    GetSetDef { name: "__isabstractmethod__", get: prop_isabstract, set: None, doc: "" },
];

// ---------------------------------------------------------------------------
// staticmethod and classmethod: the wrapped callable and a `__dict__`.

fn wrapped_cell(v: &Value) -> Option<&ValueCell> {
    match v.payload()?.base() {
        Payload::StaticMethod(w) | Payload::ClassMethod(w) => Some(&w.func),
        _ => None,
    }
}

fn wrapped_func(vm: &Vm, v: &Value) -> PyResult {
    match wrapped_cell(v) {
        Some(c) => Ok(c.get().unwrap_or(Value::None)),
        None => Err(vm.new_type_error(format!("descriptor requires a wrapper object, not '{}'", vm.type_name_of(v)))),
    }
}

/// Which of the two wrapper types a value is (for messages and reprs).
fn wrapper_kind(v: &Value) -> &'static str {
    match v.payload().map(|p| p.base()) {
        Some(Payload::ClassMethod(_)) => "classmethod",
        _ => "staticmethod",
    }
}

fn staticmethod_new(vm: &Vm, args: Args) -> PyResult {
    let cls = new_target(vm, "staticmethod", &args, &vm.types.staticmethod)?;
    let p = Payload::StaticMethod(FuncWrapper::new(None));
    Ok(Value::Obj(new_builtin_instance(&cls, &vm.types.staticmethod, p)))
}

fn classmethod_new(vm: &Vm, args: Args) -> PyResult {
    let cls = new_target(vm, "classmethod", &args, &vm.types.classmethod)?;
    let p = Payload::ClassMethod(FuncWrapper::new(None));
    Ok(Value::Obj(new_builtin_instance(&cls, &vm.types.classmethod, p)))
}

/// `staticmethod.__init__`/`classmethod.__init__`: exactly one callable.
fn wrapper_init(vm: &Vm, args: Args) -> PyResult {
    let this = &args.args[0];
    let kind = wrapper_kind(this);
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("{kind}() takes no keyword arguments")));
    }
    let n = args.args.len() - 1;
    if n != 1 {
        return Err(vm.new_type_error(format!("{kind} expected 1 argument, got {n}")));
    }
    let f = &args.args[1];
    match wrapped_cell(this) {
        Some(c) => c.set(Some(f.clone())),
        None => return Err(vm.new_type_error(format!("descriptor '__init__' requires a '{kind}' object"))),
    }
    // As `functools.wraps`: the callable's own attributes, those it has.
    for name in ["__module__", "__name__", "__qualname__", "__doc__", "__annotations__"] {
        if let Some(v) = vm.getattr_opt(f, name)? {
            vm.setattr_str(this, name, v)?;
        }
    }
    Ok(Value::None)
}

fn staticmethod_get(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__get__", args, 2, 3)?;
    wrapped_func(vm, &args.args[0])
}

fn staticmethod_call(vm: &Vm, args: Args) -> PyResult {
    let f = wrapped_func(vm, &args.args[0])?;
    vm.call(&f, Args::with_kw(&args.args[1..], args.kwnames))
}

/// Binds a classmethod's callable to `typ`. Since 3.9 a wrapped descriptor
/// (another classmethod, a property, ...) is bound through its own `__get__`.
pub fn classmethod_bind(vm: &Vm, func: Value, typ: &PyRef) -> PyResult {
    let chains = match func.payload() {
        Some(Payload::Function(_)) | None => false,
        Some(_) => vm.special(&func, crate::types::typeobj::Slot::Get).is_some(),
    };
    if chains {
        let t = Value::Obj(typ.clone());
        return vm.descr_get(&func, Some(&t), typ);
    }
    Ok(vm.new_bound_method(func, Value::Obj(typ.clone())))
}

fn classmethod_get(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__get__", args, 2, 3)?;
    let f = wrapped_func(vm, &args.args[0])?;
    let typ = match args.args.get(2) {
        Some(Value::Obj(t)) if t.payload.as_type().is_some() => t.clone(),
        _ => vm.type_of(&args.args[1]),
    };
    classmethod_bind(vm, f, &typ)
}

fn wrapper_repr(vm: &Vm, args: Args) -> PyResult {
    let this = &args.args[0];
    let f = wrapped_func(vm, this)?;
    let inner = vm.repr_string(&f)?;
    Ok(vm.new_str(format!("<{}({})>", wrapper_kind(this), inner)))
}

fn wrapper_func_attr(vm: &Vm, v: &Value) -> PyResult {
    wrapped_func(vm, v)
}

fn wrapper_isabstract(vm: &Vm, v: &Value) -> PyResult {
    let f = wrapped_func(vm, v)?;
    any_abstract(vm, &[f])
}

static STATICMETHOD_METHODS: [NativeDef; 5] = [
    NativeDef::staticmethod("__new__", staticmethod_new),
    NativeDef::method("__init__", wrapper_init),
    NativeDef::method("__get__", staticmethod_get),
    NativeDef::method("__call__", staticmethod_call),
    NativeDef::method("__repr__", wrapper_repr),
];
static CLASSMETHOD_METHODS: [NativeDef; 4] = [
    NativeDef::staticmethod("__new__", classmethod_new),
    NativeDef::method("__init__", wrapper_init),
    NativeDef::method("__get__", classmethod_get),
    NativeDef::method("__repr__", wrapper_repr),
];
static WRAPPER_GETSETS: [GetSetDef; 3] = [
    GetSetDef { name: "__func__", get: wrapper_func_attr, set: None, doc: "" },
    GetSetDef { name: "__wrapped__", get: wrapper_func_attr, set: None, doc: "" },
    GetSetDef { name: "__isabstractmethod__", get: wrapper_isabstract, set: None, doc: "" },
];

impl Vm {
    /// `staticmethod(f)` from native code.
    pub fn new_staticmethod(&self, f: Value) -> Value {
        Value::Obj(PyRef::new(self.types.staticmethod.clone(), Payload::StaticMethod(FuncWrapper::new(Some(f)))))
    }
    /// `classmethod(f)` from native code.
    pub fn new_classmethod(&self, f: Value) -> Value {
        Value::Obj(PyRef::new(self.types.classmethod.clone(), Payload::ClassMethod(FuncWrapper::new(Some(f)))))
    }
}

pub fn init(vm: &Vm) {
    use crate::types::{add_getsets, add_methods};
    add_methods(vm, &vm.types.property, &PROPERTY_METHODS);
    add_getsets(vm, &vm.types.property, &PROPERTY_GETSETS);
    add_methods(vm, &vm.types.staticmethod, &STATICMETHOD_METHODS);
    add_getsets(vm, &vm.types.staticmethod, &WRAPPER_GETSETS);
    add_getsets(vm, &vm.types.staticmethod, std::slice::from_ref(&crate::types::object::DICT_GETSET));
    add_methods(vm, &vm.types.classmethod, &CLASSMETHOD_METHODS);
    add_getsets(vm, &vm.types.classmethod, &WRAPPER_GETSETS);
    add_getsets(vm, &vm.types.classmethod, std::slice::from_ref(&crate::types::object::DICT_GETSET));
}
