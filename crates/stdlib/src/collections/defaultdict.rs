//! `collections.defaultdict`: a dict subclass whose instances keep their
//! `default_factory` in an instance slot; `__missing__` calls it.

use crate::native::{native_type, short_type_name, TypeSpec};
use krait_vm::payload::GetSetDef;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};

fn dict_type(vm: &Vm) -> PyRef {
    vm.types.dict.clone()
}

pub(crate) fn defaultdict_type(vm: &Vm) -> PyRef {
    native_type(vm, &DEFAULTDICT)
}

/// The `default_factory` cell of a defaultdict (slot 0: dict has no slots).
fn factory_cell(v: &Value) -> Option<&krait_vm::object_slots::SlotCell> {
    v.payload().and_then(|p| p.as_instance()).and_then(|i| i.slots.first())
}

fn me<'a>(vm: &Vm, args: &Args<'a>, name: &str) -> PyResult<&'a Value> {
    match args.args.first() {
        Some(v) if factory_cell(v).is_some() && vm.is_subtype(vm.class_of(v), &defaultdict_type(vm)) => Ok(v),
        Some(v) => Err(crate::native::descr_error(vm, name, "collections.defaultdict", v)),
        None => Err(vm.new_type_error(format!("descriptor '{name}' of 'collections.defaultdict' object needs an argument"))),
    }
}

fn factory(v: &Value) -> Value {
    factory_cell(v).and_then(|c| c.get()).unwrap_or(Value::None)
}

fn get_factory(vm: &Vm, v: &Value) -> PyResult {
    let _ = vm;
    Ok(factory(v))
}

fn set_factory(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let _ = vm;
    if let Some(c) = factory_cell(v) {
        // Deleting leaves None, as CPython's plain object member does.
        c.set(value.filter(|x| !x.is_none()));
    }
    Ok(())
}

fn dd_init(vm: &Vm, args: Args) -> PyResult {
    let this = me(vm, &args, "__init__")?;
    let pos = args.positional();
    let mut rest: Vec<Value> = vec![this.clone()];
    if pos.len() > 1 {
        let f = &pos[1];
        if !f.is_none() && !vm.is_callable(f) {
            return Err(vm.new_type_error("first argument must be callable or None"));
        }
        set_factory(vm, this, Some(f.clone()))?;
        rest.extend(pos[2..].iter().cloned());
    }
    rest.extend(args.args[pos.len()..].iter().cloned());
    let init = vm.type_lookup_str(&dict_type(vm), "__init__").expect("dict.__init__");
    vm.call(&init, Args::with_kw(&rest, args.kwnames))?;
    Ok(Value::None)
}

fn dd_missing(vm: &Vm, args: Args) -> PyResult {
    let this = me(vm, &args, "__missing__")?;
    vm.check_arity("__missing__", Args::new(&args.args[1..]), 1, 1)?;
    let key = &args.args[1];
    let f = factory(this);
    if f.is_none() {
        return Err(vm.new_key_error(key.clone()));
    }
    let value = vm.call(&f, Args::EMPTY)?;
    vm.setitem(this, key, value.clone())?;
    Ok(value)
}

fn dd_repr(vm: &Vm, args: Args) -> PyResult {
    let this = me(vm, &args, "__repr__")?;
    let dict_repr = vm.type_lookup_str(&dict_type(vm), "__repr__").expect("dict.__repr__");
    let body = vm.call(&dict_repr, Args::new(std::slice::from_ref(this)))?;
    let body = vm.as_str(&body).unwrap_or("").to_string();
    let f = factory(this);
    let frepr = if f.is_none() {
        "None".to_string()
    } else {
        vm.with_repr_guard(&f, || vm.repr_string(&f))?.unwrap_or_else(|| "...".to_string())
    };
    Ok(vm.new_str(format!("{}({frepr}, {body})", short_type_name(vm, this))))
}

fn dd_copy(vm: &Vm, args: Args) -> PyResult {
    let this = me(vm, &args, "copy")?;
    vm.check_arity("copy", Args::new(&args.args[1..]), 0, 0)?;
    let cls = Value::Obj(vm.class_of(this).clone());
    vm.call(&cls, Args::new(&[factory(this), this.clone()]))
}

fn dd_reduce(vm: &Vm, args: Args) -> PyResult {
    let this = me(vm, &args, "__reduce__")?;
    let cls = Value::Obj(vm.class_of(this).clone());
    let f = factory(this);
    let init = if f.is_none() { vm.new_tuple(vec![]) } else { vm.new_tuple(vec![f]) };
    let items = vm.call_method(this, "items", &[])?;
    let it = vm.iter(&items)?;
    Ok(vm.new_tuple(vec![cls, init, Value::None, Value::None, it]))
}

/// `dd | other` and `other | dd`: a defaultdict with the left side's
/// items updated by the right side's.
fn or_common(vm: &Vm, args: Args, name: &str, reflected: bool) -> PyResult {
    let this = me(vm, &args, name)?;
    vm.check_arity(name, Args::new(&args.args[1..]), 1, 1)?;
    let other = &args.args[1];
    if !vm.is_subtype(vm.class_of(other), &vm.types.dict) {
        return Ok(vm.not_implemented());
    }
    let cls = Value::Obj(vm.class_of(this).clone());
    let (left, right) = if reflected { (other, this) } else { (this, other) };
    let new = vm.call(&cls, Args::new(&[factory(this), left.clone()]))?;
    vm.call_method(&new, "update", &[right.clone()])?;
    Ok(new)
}
fn dd_or(vm: &Vm, args: Args) -> PyResult {
    or_common(vm, args, "__or__", false)
}
fn dd_ror(vm: &Vm, args: Args) -> PyResult {
    or_common(vm, args, "__ror__", true)
}

static METHODS: [NativeDef; 8] = [
    NativeDef::method("__init__", dd_init),
    NativeDef::method("__missing__", dd_missing),
    NativeDef::method("__repr__", dd_repr),
    NativeDef::method("copy", dd_copy),
    NativeDef::method("__copy__", dd_copy),
    NativeDef::method("__reduce__", dd_reduce),
    NativeDef::method("__or__", dd_or),
    NativeDef::method("__ror__", dd_ror),
];

static GETSETS: [GetSetDef; 1] = [GetSetDef {
    name: "default_factory",
    get: get_factory,
    set: Some(set_factory),
    doc: "Factory for default value called by __missing__().",
}];

static DEFAULTDICT: TypeSpec = TypeSpec {
    module: "collections",
    name: "defaultdict",
    doc: "defaultdict(default_factory=None, /, [...]) --> dict with default factory\n\nThe default factory is called without arguments to produce\na new value when a key is not present, in __getitem__ only.\nA defaultdict compares equal to a dict with the same items.\nAll remaining arguments are treated the same as if they were\npassed to the dict constructor, including keyword arguments.\n",
    layout: Layout::Dict,
    flags: type_flags::BASETYPE,
    base: Some(dict_type),
    slots: &["default_factory"],
    methods: &METHODS,
    more_methods: &[],
    getsets: &GETSETS,
};
