//! The descriptor types of builtin attributes and methods, and what Python
//! sees of them: `member_descriptor` (one per `__slots__` name),
//! `getset_descriptor` (native attributes such as `type.__name__` or a class's
//! `__dict__`), `method_descriptor`/`classmethod_descriptor` (a builtin method
//! as found in its type's dict) and `builtin_function_or_method` (a builtin
//! function, or a builtin method bound to its object). Calls and binding are
//! done by the protocol code (`protocol/call.rs`, `protocol/attr.rs`); this
//! file gives them `__get__`/`__set__`, names and reprs.

use crate::object::PyRef;
use crate::payload::{GetSetDef, MemberDescr, Payload};
use crate::types::function::{split_doc, NativeDef, NativeKind};
use crate::types::object::{as_type_ref, qualname_of};
use crate::types::text_util::{arity, Ar};
use crate::value::Value;
use crate::{Args, PyResult, Vm};

/// The owner type and the attribute name of a member or getset descriptor.
fn descr_parts(v: &Value) -> Option<(PyRef, String)> {
    match v.payload()?.base() {
        Payload::MemberDescr(m) => {
            Some((m.owner.clone(), m.name.payload.as_str().map(|s| s.as_str().to_string()).unwrap_or_default()))
        }
        Payload::GetSetDescr { def, owner } => Some((owner.clone(), def.name.to_string())),
        _ => None,
    }
}

fn self_parts(vm: &Vm, args: &Args) -> PyResult<(PyRef, String)> {
    args.args
        .first()
        .and_then(descr_parts)
        .ok_or_else(|| vm.new_type_error("descriptor method called on a non-descriptor"))
}

/// "descriptor 'a' for 'C' objects doesn't apply to a 'int' object".
fn check_applies(vm: &Vm, owner: &PyRef, name: &str, obj: &Value) -> PyResult<()> {
    if vm.is_subtype(vm.class_of(obj), owner) {
        return Ok(());
    }
    Err(vm.new_type_error(format!(
        "descriptor '{}' for '{}' objects doesn't apply to a '{}' object",
        name,
        vm.type_name(owner),
        vm.type_name_of(obj)
    )))
}

// ---------------------------------------------------------------------------
// `__slots__` values.

/// Reads slot `index` of `o` (an index into its class's `slot_names`):
/// `Some(None)` when the slot is unset, None when `o` has no such slot.
/// This and [`slot_store`] are the only code touching `__slots__` storage.
#[inline]
pub fn slot_load(vm: &Vm, o: &PyRef, index: usize) -> Option<Option<Value>> {
    match &o.payload {
        Payload::Instance(inst) => inst.slots.get(index).map(|c| c.get()),
        // Exceptions keep slot values in their per-type field dict, under
        // int keys (the fields have str keys).
        Payload::Exception(_) => {
            let d = crate::types::exception_methods::extra_dict(vm, o)?;
            Some(vm.dict_get(&d, &Value::Int(index as i64)).ok().flatten())
        }
        _ => None,
    }
}

/// Writes (`Some`) or clears (`None`) slot `index` of `o`; returns the old
/// value (`Some(None)`: was unset), None when `o` has no such slot. The old
/// value is dropped by the caller, after the store is complete.
pub fn slot_store(vm: &Vm, o: &PyRef, index: usize, value: Option<Value>) -> Option<Option<Value>> {
    match &o.payload {
        Payload::Instance(inst) => inst.slots.get(index).map(|c| c.replace(value)),
        Payload::Exception(_) => {
            let d = crate::types::exception_methods::extra_dict(vm, o)?;
            let key = Value::Int(index as i64);
            let old = vm.dict_get(&d, &key).ok().flatten();
            let r = match value {
                Some(v) => vm.dict_set(&d, key, v),
                None if old.is_some() => vm.dict_remove(&d, &key).map(|_| ()),
                None => Ok(()),
            };
            r.ok().map(|_| old)
        }
        _ => None,
    }
}

/// The name of a member descriptor as a Rust string.
fn member_name(m: &MemberDescr) -> &str {
    m.name.payload.as_str().map(|s| s.as_str()).unwrap_or("?")
}

/// CPython's `descr_check`: TypeError "descriptor 'a' for 'C' objects
/// doesn't apply to a 'D' object" unless `obj` is an instance of the class
/// that defined the slot. Returns the object.
fn member_target<'a>(vm: &Vm, m: &MemberDescr, obj: &'a Value) -> PyResult<&'a PyRef> {
    let cls = vm.class_of(obj);
    if !cls.is(&m.owner) && !vm.is_subtype(cls, &m.owner) {
        return Err(vm.new_type_error(format!(
            "descriptor '{}' for '{}' objects doesn't apply to a '{}' object",
            member_name(m),
            vm.type_name(&m.owner),
            vm.type_name_of(obj)
        )));
    }
    obj.as_obj().ok_or_else(|| no_storage(vm, m, obj))
}

/// An instance of the class whose payload has no room for slots (a module
/// subclass with `__slots__`: not supported).
fn no_storage(vm: &Vm, m: &MemberDescr, obj: &Value) -> crate::PyErr {
    vm.new_type_error(format!(
        "descriptor '{}' for '{}' objects cannot be used with this '{}' object",
        member_name(m),
        vm.type_name(&m.owner),
        vm.type_name_of(obj)
    ))
}

/// `m.__get__(obj)`: the slot's value; AttributeError "'C' object has no
/// attribute 'a'" when it is unset.
pub fn member_get(vm: &Vm, m: &MemberDescr, obj: &Value) -> PyResult {
    let o = member_target(vm, m, obj)?;
    match slot_load(vm, o, m.index) {
        Some(Some(v)) => Ok(v),
        Some(None) => Err(vm.new_attribute_error(format!(
            "'{}' object has no attribute '{}'",
            vm.type_name_of(obj),
            member_name(m)
        ))),
        None => Err(no_storage(vm, m, obj)),
    }
}

/// `m.__set__(obj, v)` / `m.__delete__(obj)` (`value` None). Deleting an
/// unset slot raises AttributeError worded as the bare slot name, as 3.11.
pub fn member_set(vm: &Vm, m: &MemberDescr, obj: &Value, value: Option<Value>) -> PyResult<()> {
    let o = member_target(vm, m, obj)?;
    let deleting = value.is_none();
    match slot_store(vm, o, m.index, value) {
        Some(None) if deleting => Err(vm.new_attribute_error(member_name(m))),
        Some(_old) => Ok(()),
        None => Err(no_storage(vm, m, obj)),
    }
}

/// Makes the named native attributes of `typ` (added as getsets) objects of
/// type `member_descriptor`, as CPython defines them as members: so that
/// `types.MemberDescriptorType`, which is `type(FunctionType.__globals__)`,
/// is the type of `__slots__` descriptors too.
pub fn mark_members(vm: &Vm, typ: &PyRef, names: &[&str]) {
    let dict = &typ.payload.as_type().expect("mark_members on a type").dict;
    for n in names {
        let key = vm.intern(n);
        if let Some(Value::Obj(d)) = vm.dict_get_str(dict, &key) {
            if let Payload::GetSetDescr { def, owner } = &d.payload {
                let m = PyRef::new(vm.types.member_descriptor.clone(), Payload::GetSetDescr { def, owner: owner.clone() });
                vm.dict_set_str(dict, &key, Value::Obj(m));
            }
        }
    }
    vm.type_modified(typ);
}

/// The native attributes of builtin types that CPython defines as members
/// (`type(complex.real)` is `member_descriptor`), marked once every type's
/// attributes are in place.
pub(crate) fn mark_builtin_members(vm: &Vm) {
    let t = &vm.types;
    let table: [(&PyRef, &[&str]); 21] = [
        (&t.classmethod, &["__func__", "__wrapped__"]),
        (&t.staticmethod, &["__func__", "__wrapped__"]),
        (&t.complex, &["real", "imag"]),
        (&t.property, &["fget", "fset", "fdel", "__doc__"]),
        (&t.range, &["start", "stop", "step"]),
        (&t.slice, &["start", "stop", "step"]),
        (&t.super_, &["__thisclass__", "__self__", "__self_class__"]),
        (&t.type_, &["__basicsize__", "__itemsize__", "__flags__", "__weakrefoffset__", "__base__", "__dictoffset__", "__mro__"]),
        (&t.code, &["co_argcount", "co_posonlyargcount", "co_kwonlyargcount", "co_stacksize", "co_flags", "co_nlocals", "co_consts", "co_names", "co_filename", "co_name", "co_qualname", "co_firstlineno", "co_linetable", "co_exceptiontable"]),
        (&t.generator, &["gi_code"]),
        (&t.coroutine, &["cr_code", "cr_origin"]),
        (&t.async_generator, &["ag_running", "ag_code"]),
        (&t.method_descriptor, &["__objclass__", "__name__"]),
        (&t.classmethod_descriptor, &["__objclass__", "__name__"]),
        (&t.getset_descriptor, &["__objclass__", "__name__"]),
        (&t.member_descriptor, &["__objclass__", "__name__"]),
        (&t.module, &["__dict__"]),
        (&t.traceback, &["tb_frame", "tb_lasti"]),
        (&t.frame, &["f_trace_lines", "f_trace_opcodes"]),
        (&t.generic_alias, &["__origin__", "__args__", "__unpacked__"]),
        (&t.union_type, &["__args__"]),
    ];
    for (typ, names) in table {
        mark_members(vm, typ, names);
    }
}

fn descr_get_method(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__get__", args, 2, 3)?;
    let (owner, name) = self_parts(vm, &args)?;
    let obj = &args.args[1];
    if obj.is_none() {
        // `D.__get__(None, cls)` is the descriptor itself (CPython requires the type).
        if args.args.get(2).map_or(true, |t| t.is_none()) {
            return Err(vm.new_type_error("__get__(None, None) is invalid"));
        }
        return Ok(args.args[0].clone());
    }
    check_applies(vm, &owner, &name, obj)?;
    if let Some(Payload::MemberDescr(m)) = args.args[0].payload().map(|p| p.base()) {
        // Called explicitly, the error carries no attribute name/obj context.
        return member_get(vm, m, obj);
    }
    let typ = vm.type_of(obj);
    vm.descr_get(&args.args[0], Some(obj), &typ)
}

fn descr_set_method(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__set__", args, 3, 3)?;
    let (owner, name) = self_parts(vm, &args)?;
    check_applies(vm, &owner, &name, &args.args[1])?;
    vm.descr_set(&args.args[0], &args.args[1], Some(args.args[2].clone()))?;
    Ok(Value::None)
}

fn descr_delete_method(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__delete__", args, 2, 2)?;
    let (owner, name) = self_parts(vm, &args)?;
    check_applies(vm, &owner, &name, &args.args[1])?;
    vm.descr_set(&args.args[0], &args.args[1], None)?;
    Ok(Value::None)
}

fn member_repr(vm: &Vm, args: Args) -> PyResult {
    let (owner, name) = self_parts(vm, &args)?;
    Ok(vm.new_str(format!("<member '{}' of '{}' objects>", name, vm.type_name(&owner))))
}

fn getset_repr(vm: &Vm, args: Args) -> PyResult {
    let (owner, name) = self_parts(vm, &args)?;
    Ok(vm.new_str(format!("<attribute '{}' of '{}' objects>", name, vm.type_name(&owner))))
}

fn descr_name(vm: &Vm, v: &Value) -> PyResult {
    match descr_parts(v) {
        Some((_, n)) => Ok(vm.new_str(n)),
        None => Ok(Value::None),
    }
}

fn descr_qualname(vm: &Vm, v: &Value) -> PyResult {
    match descr_parts(v) {
        Some((o, n)) => Ok(vm.new_str(format!("{}.{}", qualname_of(&o), n))),
        None => Ok(Value::None),
    }
}

fn descr_objclass(_vm: &Vm, v: &Value) -> PyResult {
    Ok(descr_parts(v).map(|(o, _)| Value::Obj(o)).unwrap_or(Value::None))
}

fn descr_doc(vm: &Vm, v: &Value) -> PyResult {
    match v.payload().map(|p| p.base()) {
        Some(Payload::GetSetDescr { def, .. }) if !def.doc.is_empty() => Ok(vm.new_str(def.doc)),
        _ => Ok(Value::None),
    }
}

static DESCR_METHODS: [NativeDef; 3] = [
    NativeDef::method("__get__", descr_get_method),
    NativeDef::method("__set__", descr_set_method),
    NativeDef::method("__delete__", descr_delete_method),
];
static MEMBER_REPR: [NativeDef; 1] = [NativeDef::method("__repr__", member_repr)];
static GETSET_REPR: [NativeDef; 1] = [NativeDef::method("__repr__", getset_repr)];

static DESCR_GETSETS: [GetSetDef; 4] = [
    GetSetDef { name: "__name__", get: descr_name, set: None, doc: "" },
    GetSetDef { name: "__qualname__", get: descr_qualname, set: None, doc: "" },
    GetSetDef { name: "__objclass__", get: descr_objclass, set: None, doc: "" },
    GetSetDef { name: "__doc__", get: descr_doc, set: None, doc: "" },
];

// ---------------------------------------------------------------------------
// Builtin methods and functions.

/// What a native callable is: its definition, the type it belongs to (for
/// method descriptors) and the object it is bound to (for bound builtins).
struct NativeParts {
    def: &'static NativeDef,
    owner: Option<PyRef>,
    self_: Option<Value>,
}

fn native_parts(v: &Value) -> Option<NativeParts> {
    match v.payload()? {
        Payload::NativeMethod { def, owner } => Some(NativeParts { def, owner: Some(owner.clone()), self_: None }),
        Payload::NativeFunction { def, self_ } => Some(NativeParts { def, owner: None, self_: self_.clone() }),
        _ => None,
    }
}

fn native_self(vm: &Vm, args: &Args) -> PyResult<NativeParts> {
    args.args
        .first()
        .and_then(native_parts)
        .ok_or_else(|| vm.new_type_error("builtin method called on a non-builtin"))
}

fn native_repr(vm: &Vm, args: Args) -> PyResult {
    let p = native_self(vm, &args)?;
    let name = p.def.name;
    let s = match (&p.owner, &p.self_) {
        // A static method found in a type's dict is shown bound to the type, as CPython does.
        (Some(owner), _) if p.def.kind == NativeKind::StaticMethod => {
            format!("<built-in method {name} of type object at {:#x}>", owner.id())
        }
        (Some(owner), _) => format!("<method '{name}' of '{}' objects>", vm.type_name(owner)),
        (None, None) => format!("<built-in function {name}>"),
        (None, Some(s)) if matches!(s.payload(), Some(Payload::Module(_))) => format!("<built-in function {name}>"),
        (None, Some(s)) => {
            let tn = match as_type_ref(s) {
                Some(_) => "type".to_string(),
                None => vm.type_name_of(s),
            };
            format!("<built-in method {name} of {tn} object at {:#x}>", s.id())
        }
    };
    Ok(vm.new_str(s))
}

fn native_call(vm: &Vm, args: Args) -> PyResult {
    let f = match args.args.first() {
        Some(f) => f.clone(),
        None => return Err(vm.new_type_error("__call__() needs an argument")),
    };
    let rest = Args::with_kw(&args.args[1..], args.kwnames);
    vm.call(&f, rest)
}

fn method_descr_get(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__get__", args, 2, 3)?;
    let p = native_self(vm, &args)?;
    let obj = &args.args[1];
    let typ = match args.args.get(2) {
        Some(t) if !t.is_none() => match as_type_ref(t) {
            Some(t) => t.clone(),
            None => return Err(vm.new_type_error(format!("descriptor '{}' needs a type, not a '{}' as arg 2", p.def.name, vm.type_name_of(t)))),
        },
        _ => {
            if obj.is_none() {
                return Err(vm.new_type_error("__get__(None, None) is invalid"));
            }
            vm.type_of(obj)
        }
    };
    let o = if obj.is_none() { None } else { Some(obj) };
    vm.descr_get(&args.args[0], o, &typ)
}

fn native_name(vm: &Vm, v: &Value) -> PyResult {
    Ok(native_parts(v).map(|p| vm.new_str(p.def.name)).unwrap_or(Value::None))
}

fn native_qualname(vm: &Vm, v: &Value) -> PyResult {
    let p = match native_parts(v) {
        Some(p) => p,
        None => return Ok(Value::None),
    };
    let prefix = match (&p.owner, &p.self_) {
        (Some(o), _) => Some(qualname_of(o)),
        (None, Some(s)) if matches!(s.payload(), Some(Payload::Module(_))) => None,
        (None, Some(s)) => Some(match as_type_ref(s) {
            Some(t) => qualname_of(t),
            None => qualname_of(vm.class_of(s)),
        }),
        (None, None) => None,
    };
    Ok(vm.new_str(match prefix {
        Some(q) => format!("{q}.{}", p.def.name),
        None => p.def.name.to_string(),
    }))
}

fn native_objclass(_vm: &Vm, v: &Value) -> PyResult {
    Ok(native_parts(v).and_then(|p| p.owner).map(Value::Obj).unwrap_or(Value::None))
}

/// The text signature and the doc proper of a native definition: from its
/// own doc (see `split_doc`), else, for the special methods CPython makes
/// slot wrappers of, the slot's standard ones.
fn sig_and_doc(def: &'static NativeDef) -> (Option<&'static str>, Option<&'static str>) {
    if def.doc.is_empty() {
        return match slot_doc(def) {
            Some((sig, doc)) => (Some(sig), Some(doc)),
            None => (None, None),
        };
    }
    let (sig, rest) = split_doc(def.name, def.doc);
    (sig, Some(rest).filter(|r| !r.is_empty()))
}

/// CPython's slot wrappers' `(__text_signature__, __doc__)`, by name.
fn slot_doc(def: &NativeDef) -> Option<(&'static str, &'static str)> {
    const UNARY: &str = "($self, /)";
    const BINARY: &str = "($self, value, /)";
    const KEY: &str = "($self, key, /)";
    if def.kind == NativeKind::StaticMethod {
        return (def.name == "__new__")
            .then_some(("($type, *args, **kwargs)", "Create and return a new object.  See help(type) for accurate signature."));
    }
    if def.kind != NativeKind::Method {
        return None;
    }
    Some(match def.name {
        "__repr__" => (UNARY, "Return repr(self)."),
        "__str__" => (UNARY, "Return str(self)."),
        "__hash__" => (UNARY, "Return hash(self)."),
        "__len__" => (UNARY, "Return len(self)."),
        "__iter__" => (UNARY, "Implement iter(self)."),
        "__next__" => (UNARY, "Implement next(self)."),
        "__bool__" => (UNARY, "True if self else False"),
        "__index__" => (UNARY, "Return self converted to an integer, if self is suitable for use as an index into a list."),
        "__int__" => (UNARY, "int(self)"),
        "__float__" => (UNARY, "float(self)"),
        "__abs__" => (UNARY, "abs(self)"),
        "__neg__" => (UNARY, "-self"),
        "__pos__" => (UNARY, "+self"),
        "__invert__" => (UNARY, "~self"),
        "__call__" => ("($self, /, *args, **kwargs)", "Call self as a function."),
        "__init__" => ("($self, /, *args, **kwargs)", "Initialize self.  See help(type(self)) for accurate signature."),
        "__getattribute__" => ("($self, name, /)", "Return getattr(self, name)."),
        "__setattr__" => ("($self, name, value, /)", "Implement setattr(self, name, value)."),
        "__delattr__" => ("($self, name, /)", "Implement delattr(self, name)."),
        "__get__" => ("($self, instance, owner=None, /)", "Return an attribute of instance, which is of type owner."),
        "__set__" => ("($self, instance, value, /)", "Set an attribute of instance to value."),
        "__delete__" => ("($self, instance, /)", "Delete an attribute of instance."),
        "__getitem__" => (KEY, "Return self[key]."),
        "__setitem__" => ("($self, key, value, /)", "Set self[key] to value."),
        "__delitem__" => (KEY, "Delete self[key]."),
        "__contains__" => (KEY, "Return key in self."),
        "__pow__" => ("($self, value, mod=None, /)", "Return pow(self, value, mod)."),
        "__rpow__" => ("($self, value, mod=None, /)", "Return pow(value, self, mod)."),
        "__divmod__" => (BINARY, "Return divmod(self, value)."),
        "__rdivmod__" => (BINARY, "Return divmod(value, self)."),
        "__iadd__" => (BINARY, "Implement self+=value."),
        "__imul__" => (BINARY, "Implement self*=value."),
        name => return binary_slot_doc(name).map(|d| (BINARY, d)),
    })
}

/// The docs of the binary operator and comparison slots ("Return self+value.").
fn binary_slot_doc(name: &str) -> Option<&'static str> {
    const OPS: [(&str, &str, &str); 18] = [
        ("add", "Return self+value.", "Return value+self."),
        ("sub", "Return self-value.", "Return value-self."),
        ("mul", "Return self*value.", "Return value*self."),
        ("truediv", "Return self/value.", "Return value/self."),
        ("floordiv", "Return self//value.", "Return value//self."),
        ("mod", "Return self%value.", "Return value%self."),
        ("lshift", "Return self<<value.", "Return value<<self."),
        ("rshift", "Return self>>value.", "Return value>>self."),
        ("and", "Return self&value.", "Return value&self."),
        ("or", "Return self|value.", "Return value|self."),
        ("xor", "Return self^value.", "Return value^self."),
        ("matmul", "Return self@value.", "Return value@self."),
        ("lt", "Return self<value.", ""),
        ("le", "Return self<=value.", ""),
        ("eq", "Return self==value.", ""),
        ("ne", "Return self!=value.", ""),
        ("gt", "Return self>value.", ""),
        ("ge", "Return self>=value.", ""),
    ];
    const IN_PLACE: [(&str, &str); 11] = [
        ("isub", "Return self-=value."),
        ("itruediv", "Return self/=value."),
        ("ifloordiv", "Return self//=value."),
        ("imod", "Return self%=value."),
        ("ilshift", "Return self<<=value."),
        ("irshift", "Return self>>=value."),
        ("iand", "Return self&=value."),
        ("ior", "Return self|=value."),
        ("ixor", "Return self^=value."),
        ("imatmul", "Return self@=value."),
        ("ipow", "Return self**=value."),
    ];
    let op = name.strip_prefix("__")?.strip_suffix("__")?;
    if let Some((_, d)) = IN_PLACE.iter().find(|(n, _)| *n == op) {
        return Some(d);
    }
    if let Some((_, d, _)) = OPS.iter().find(|(n, _, _)| *n == op) {
        return Some(d);
    }
    let op = op.strip_prefix('r')?;
    OPS.iter().find(|(n, _, r)| !r.is_empty() && *n == op).map(|(_, _, r)| *r)
}

fn native_doc(vm: &Vm, v: &Value) -> PyResult {
    match native_parts(v).and_then(|p| sig_and_doc(p.def).1) {
        Some(d) => Ok(vm.new_str(d)),
        None => Ok(Value::None),
    }
}

fn native_text_signature(vm: &Vm, v: &Value) -> PyResult {
    match native_parts(v).and_then(|p| sig_and_doc(p.def).0) {
        Some(s) => Ok(vm.new_str(s)),
        None => Ok(Value::None),
    }
}

/// `__reduce__` of a builtin function or method, as CPython's: a function
/// not bound to an object (or bound to its module) pickles as a global by
/// its name, anything else as `getattr(self_or_type, name)`.
fn native_reduce(vm: &Vm, args: Args) -> PyResult {
    let p = native_self(vm, &args)?;
    arity(vm, args, &vm.type_name_of(&args.args[0]), "__reduce__", 0, 0, Ar::Exact)?;
    let target = match (p.owner, p.self_) {
        // The unbound descriptor of a class method (`dict.__dict__['fromkeys']`).
        (Some(_), _) if p.def.kind == NativeKind::ClassMethod => {
            return Err(vm.new_type_error("cannot pickle 'classmethod_descriptor' object"))
        }
        (Some(owner), _) => Value::Obj(owner),
        (None, Some(s)) if !matches!(s.payload(), Some(Payload::Module(_))) => s,
        (None, _) => return Ok(vm.new_str(p.def.name)),
    };
    let getattr = vm
        .dict_get_str(&vm.builtins_dict, &vm.intern("getattr"))
        .ok_or_else(|| vm.new_runtime_error("lost builtins.getattr"))?;
    Ok(vm.new_tuple(vec![getattr, vm.new_tuple(vec![target, vm.new_str(p.def.name)])]))
}

fn native_self_attr(vm: &Vm, v: &Value) -> PyResult {
    match native_parts(v) {
        Some(NativeParts { self_: Some(s), .. }) => Ok(s),
        // Module-level builtins are bound to their module.
        Some(NativeParts { def, owner: None, self_: None }) if def.kind == NativeKind::Function => {
            let module = defining_module(vm, def).and_then(|n| vm.dict_get_str(&vm.modules, &vm.intern(&n)));
            Ok(module.unwrap_or_else(|| Value::Obj(vm.builtins.clone())))
        }
        _ => Ok(Value::None),
    }
}

fn native_module(vm: &Vm, v: &Value) -> PyResult {
    match native_parts(v) {
        Some(NativeParts { self_: Some(s), .. }) => match s.payload() {
            Some(Payload::Module(m)) => Ok(vm.dict_get_str(&m.dict, &vm.intern("__name__")).unwrap_or(Value::None)),
            _ => Ok(Value::None),
        },
        Some(NativeParts { def, owner: None, .. }) => Ok(match defining_module(vm, def) {
            Some(name) => vm.new_str(name),
            None => vm.new_str("builtins"),
        }),
        _ => Ok(Value::None),
    }
}

/// Module-level native function (by its definition's address) -> the native
/// module defining it (None: none, a builtin), per interpreter (`vm.state`);
/// filled on first `__module__` lookup.
#[derive(Default)]
struct DefModules {
    names: std::cell::RefCell<std::collections::HashMap<usize, Option<String>>>,
}

/// The loaded native module (`_operator`, `math`, `sys`, ...) whose dict holds
/// a builtin made from `def`: native functions are not bound to their module
/// (a bound `self_` would become their first argument), so it is searched
/// for. Python modules re-exporting it (`operator`) are not candidates.
fn defining_module(vm: &Vm, def: &'static NativeDef) -> Option<String> {
    let key = def as *const NativeDef as usize;
    if let Some(n) = vm.state::<DefModules>().names.borrow().get(&key) {
        return n.clone();
    }
    let mut names: Vec<String> = vm.native_modules.borrow().keys().cloned().collect();
    names.sort();
    names.push("sys".to_string());
    for name in names {
        let Some(Value::Obj(m)) = vm.dict_get_str(&vm.modules, &vm.intern(&name)) else { continue };
        let Payload::Module(md) = &m.payload else { continue };
        let found = vm.dict_items(&md.dict).iter().any(|(_, f)| {
            matches!(f.payload(), Some(Payload::NativeFunction { def: d, self_: None }) if std::ptr::eq(*d, def))
        });
        if found {
            vm.state::<DefModules>().names.borrow_mut().insert(key, Some(name.clone()));
            return Some(name);
        }
    }
    vm.state::<DefModules>().names.borrow_mut().insert(key, None);
    None
}

/// `__self__` of a builtin found in a type's dict: static methods such as
/// `__new__` are builtins bound to their type (`int.__new__.__self__ is int`).
fn method_descr_self(vm: &Vm, v: &Value) -> PyResult {
    match v.payload() {
        Some(Payload::NativeMethod { def, owner }) if def.kind == NativeKind::StaticMethod => Ok(Value::Obj(owner.clone())),
        _ => Err(vm.new_attribute_error(format!("'{}' object has no attribute '__self__'", vm.type_name_of(v)))),
    }
}

/// The function and bound object of a builtin function or method, for
/// `==` and `hash`.
fn bound_parts(v: &Value) -> Option<(&'static NativeDef, Option<Value>)> {
    match v.payload()? {
        Payload::NativeFunction { def, self_ } => Some((*def, self_.clone())),
        _ => None,
    }
}

/// `==` / `!=` of builtin functions and methods, as CPython's: the same
/// function bound to the very same object (`{}.get == {}.get` is False,
/// `dict.fromkeys == dict.fromkeys` True).
fn native_compare(vm: &Vm, args: Args, name: &str, want_equal: bool) -> PyResult {
    native_self(vm, &args)?;
    let [other] = arity(vm, args, &vm.type_name_of(&args.args[0]), name, 1, 1, Ar::Exact)? else {
        return Ok(vm.not_implemented());
    };
    let (Some((def, self_)), Some((other_def, other_self))) = (bound_parts(&args.args[0]), bound_parts(other)) else {
        return Ok(vm.not_implemented());
    };
    let same_self = match (&self_, &other_self) {
        (Some(a), Some(b)) => a.is(b),
        (a, b) => a.is_none() && b.is_none(),
    };
    Ok(Value::Bool((std::ptr::eq(def, other_def) && same_self) == want_equal))
}

fn native_eq(vm: &Vm, args: Args) -> PyResult {
    native_compare(vm, args, "__eq__", true)
}

fn native_ne(vm: &Vm, args: Args) -> PyResult {
    native_compare(vm, args, "__ne__", false)
}

/// `hash` of a builtin function or method: from the identities of the
/// function and the bound object (bound to an unhashable list, it still
/// hashes).
fn native_hash(vm: &Vm, args: Args) -> PyResult {
    native_self(vm, &args)?;
    arity(vm, args, &vm.type_name_of(&args.args[0]), "__hash__", 0, 0, Ar::Exact)?;
    let Some((def, self_)) = bound_parts(&args.args[0]) else { return Ok(Value::Int(args.args[0].id())) };
    let h = self_.map_or(0, |s| s.id()) ^ (def as *const NativeDef as i64 >> 3);
    Ok(Value::Int(if h == -1 { -2 } else { h }))
}

static METHOD_DESCR_METHODS: [NativeDef; 4] = [
    NativeDef::method("__get__", method_descr_get),
    NativeDef::method("__repr__", native_repr),
    NativeDef::method("__call__", native_call),
    NativeDef::method("__reduce__", native_reduce),
];
static BUILTIN_FUNCTION_METHODS: [NativeDef; 6] = [
    NativeDef::method("__repr__", native_repr),
    NativeDef::method("__call__", native_call),
    NativeDef::method("__reduce__", native_reduce),
    NativeDef::method("__eq__", native_eq),
    NativeDef::method("__ne__", native_ne),
    NativeDef::method("__hash__", native_hash),
];

static METHOD_DESCR_GETSETS: [GetSetDef; 6] = [
    GetSetDef { name: "__self__", get: method_descr_self, set: None, doc: "" },
    GetSetDef { name: "__name__", get: native_name, set: None, doc: "" },
    GetSetDef { name: "__qualname__", get: native_qualname, set: None, doc: "" },
    GetSetDef { name: "__objclass__", get: native_objclass, set: None, doc: "" },
    GetSetDef { name: "__doc__", get: native_doc, set: None, doc: "" },
    GetSetDef { name: "__text_signature__", get: native_text_signature, set: None, doc: "" },
];
static BUILTIN_FUNCTION_GETSETS: [GetSetDef; 6] = [
    GetSetDef { name: "__name__", get: native_name, set: None, doc: "" },
    GetSetDef { name: "__qualname__", get: native_qualname, set: None, doc: "" },
    GetSetDef { name: "__self__", get: native_self_attr, set: None, doc: "" },
    GetSetDef { name: "__module__", get: native_module, set: None, doc: "" },
    GetSetDef { name: "__doc__", get: native_doc, set: None, doc: "" },
    GetSetDef { name: "__text_signature__", get: native_text_signature, set: None, doc: "" },
];

pub fn init(vm: &Vm) {
    use crate::types::{add_getsets, add_methods};
    let t = &vm.types;
    add_methods(vm, &t.member_descriptor, &DESCR_METHODS);
    add_methods(vm, &t.member_descriptor, &MEMBER_REPR);
    add_getsets(vm, &t.member_descriptor, &DESCR_GETSETS);
    add_methods(vm, &t.getset_descriptor, &DESCR_METHODS);
    add_methods(vm, &t.getset_descriptor, &GETSET_REPR);
    add_getsets(vm, &t.getset_descriptor, &DESCR_GETSETS);
    for typ in [&t.method_descriptor, &t.classmethod_descriptor] {
        add_methods(vm, typ, &METHOD_DESCR_METHODS);
        add_getsets(vm, typ, &METHOD_DESCR_GETSETS);
    }
    add_methods(vm, &t.builtin_function, &BUILTIN_FUNCTION_METHODS);
    add_getsets(vm, &t.builtin_function, &BUILTIN_FUNCTION_GETSETS);
}
