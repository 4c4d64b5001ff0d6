//! `object`: the root of every class. Its methods are the defaults every
//! class inherits: construction (`__new__`/`__init__` with CPython's
//! excess-argument rules), the generic attribute protocol, identity-based
//! equality and hashing, `repr`/`str`/`format`, `__dir__`, `__init_subclass__`
//! and the `__class__` attribute (with the layout checks of `__class__`
//! assignment). Also the `__dict__`/`__weakref__` attributes that `type.__new__`
//! adds to classes whose instances get a dict.

use crate::object::PyRef;
use crate::payload::{GetSetDef, Payload};
use crate::types::function::NativeDef;
use crate::types::typeobj::{type_flags, Layout, Slot};
use crate::value::Value;
use crate::{Args, PyResult, Vm};

// ---------------------------------------------------------------------------
// Small helpers shared by the class-machinery files.

/// The class as a `PyRef` when `v` is a type object.
pub(crate) fn as_type_ref(v: &Value) -> Option<&PyRef> {
    match v {
        Value::Obj(o) if o.payload.as_type().is_some() => Some(o),
        _ => None,
    }
}

/// `__qualname__` of a type.
pub(crate) fn qualname_of(typ: &PyRef) -> String {
    typ.payload.as_type().map(|t| t.qualname.borrow().clone()).unwrap_or_default()
}

/// `__module__` of a type as text: `None` for builtins (whose module is
/// "builtins" and is left out of reprs) or a heap type without a str module.
pub(crate) fn module_of(vm: &Vm, typ: &PyRef) -> Option<String> {
    let t = typ.payload.as_type()?;
    // Native-module types carry their module in their name ("itertools.count").
    if !t.is_heap() {
        if let Some((m, _)) = t.name.borrow().rsplit_once('.') {
            return Some(m.to_string());
        }
    }
    // Builtins are in "builtins" unless their dict says otherwise
    // (types.GenericAlias).
    let m = vm.dict_get_str(&t.dict, &vm.intern("__module__"))?;
    vm.as_str(&m).filter(|s| *s != "builtins").map(|s| s.to_string())
}

/// An attribute name argument: must be a str ("attribute name must be string").
pub(crate) fn attr_name(vm: &Vm, v: &Value) -> PyResult<PyRef> {
    match v {
        Value::Obj(o) if o.payload.as_str().is_some() => Ok(o.clone()),
        _ => Err(vm.new_type_error(format!("attribute name must be string, not '{}'", vm.type_name_of(v)))),
    }
}

/// Is `f` the native method `name` defined by `object` itself? (Used to ask
/// "does this class override `__init__`/`__new__`?".)
// Always inlined: `Class(args)` asks this on every instantiation.
#[inline(always)]
pub(crate) fn is_object_native(vm: &Vm, f: &Option<Value>, name: &str) -> bool {
    match f.as_ref().and_then(|f| f.payload()) {
        Some(Payload::NativeMethod { def, owner }) => owner.is(&vm.types.object) && def.name == name,
        None => true,
        _ => false,
    }
}

/// The first argument of a builtin `__new__`: checks it is a subtype of
/// `base`, with CPython's messages ("X.__new__(): not enough arguments",
/// "X.__new__(Y): Y is not a type object (int)", "X.__new__(int): int is not
/// a subtype of X").
pub fn new_target(vm: &Vm, fname: &str, args: &Args, base: &PyRef) -> PyResult<PyRef> {
    let cls = match args.positional().first() {
        Some(c) => c,
        None => return Err(vm.new_type_error(format!("{fname}.__new__(): not enough arguments"))),
    };
    let cls = match as_type_ref(cls) {
        Some(c) => c.clone(),
        None => {
            return Err(vm.new_type_error(format!(
                "{fname}.__new__(X): X is not a type object ({})",
                vm.type_name_of(cls)
            )))
        }
    };
    if !vm.is_subtype(&cls, base) {
        let n = vm.type_name(&cls);
        return Err(vm.new_type_error(format!(
            "{fname}.__new__({n}): {n} is not a subtype of {}",
            vm.type_name(base)
        )));
    }
    Ok(cls)
}

/// The plain instance shape of a class whose instances are `object`-like:
/// a lazily created dict (if the class has one) and one cell per `__slots__` name.
pub fn new_plain_instance(vm: &Vm, cls: &PyRef) -> PyRef {
    if cls.is(&vm.types.object) {
        return PyRef::new(cls.clone(), Payload::None_);
    }
    PyRef::new_instance(cls.clone(), None)
}

/// An instance of `cls` carrying the payload of the builtin type `builtin`
/// (`cls` is `builtin` or a subclass of it): the bare payload for the builtin
/// itself, an `Instance` wrapping it (dict, slots) for a subclass.
pub fn new_builtin_instance(cls: &PyRef, builtin: &PyRef, payload: Payload) -> PyRef {
    if cls.is(builtin) {
        return PyRef::new(cls.clone(), payload);
    }
    PyRef::new_instance(cls.clone(), Some(Box::new(payload)))
}

/// "Can't instantiate abstract class C with abstract methods f, g".
pub(crate) fn check_abstract(vm: &Vm, cls: &PyRef) -> PyResult<()> {
    let t = cls.payload.as_type().unwrap();
    if !t.has_flag(type_flags::IS_ABSTRACT) {
        return Ok(());
    }
    let am = match vm.dict_get_str(&t.dict, &vm.intern("__abstractmethods__")) {
        Some(v) => v,
        None => return Ok(()),
    };
    let mut names = Vec::new();
    for item in vm.collect_iter(&am)? {
        names.push(vm.str_string(&item)?);
    }
    names.sort();
    Err(vm.new_type_error(format!(
        "Can't instantiate abstract class {} with abstract method{} {}",
        vm.type_name(cls),
        if names.len() == 1 { "" } else { "s" },
        names.join(", ")
    )))
}

// ---------------------------------------------------------------------------
// object's methods.

fn object_new(vm: &Vm, args: Args) -> PyResult {
    let cls = new_target(vm, "object", &args, &vm.types.object)?;
    let t = cls.payload.as_type().unwrap();
    if args.args.len() > 1 {
        // CPython's rule: complain about extra arguments only if __new__ is
        // not overridden, or __init__ is not overridden either.
        if !is_object_native(vm, &t.slot(Slot::New), "__new__") {
            return Err(vm.new_type_error("object.__new__() takes exactly one argument (the type to instantiate)"));
        }
        if is_object_native(vm, &t.slot(Slot::Init), "__init__") {
            return Err(vm.new_type_error(format!("{}() takes no arguments", vm.type_name(&cls))));
        }
    }
    if t.layout != Layout::Object {
        // The instance needs a builtin payload only that builtin's __new__ makes.
        let mut sb = cls.clone();
        loop {
            let st = sb.payload.as_type().unwrap();
            let own_new = st.is_heap() && vm.dict_get_str(&st.dict, &vm.intern("__new__")).is_some();
            match (&st.base, own_new) {
                (Some(b), true) => sb = b.clone(),
                _ => break,
            }
        }
        return Err(vm.new_type_error(format!(
            "object.__new__({}) is not safe, use {}.__new__()",
            vm.type_name(&cls),
            vm.type_name(&sb)
        )));
    }
    check_abstract(vm, &cls)?;
    Ok(Value::Obj(new_plain_instance(vm, &cls)))
}

fn object_init(vm: &Vm, args: Args) -> PyResult {
    let this = &args.args[0];
    if args.args.len() > 1 {
        let t = vm.class_of(this).payload.as_type().unwrap();
        if !is_object_native(vm, &t.slot(Slot::Init), "__init__") {
            return Err(vm.new_type_error("object.__init__() takes exactly one argument (the instance to initialize)"));
        }
        if is_object_native(vm, &t.slot(Slot::New), "__new__") {
            return Err(vm.new_type_error(format!(
                "{}.__init__() takes exactly one argument (the instance to initialize)",
                vm.type_name_of(this)
            )));
        }
    }
    Ok(Value::None)
}

fn object_getattribute(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__getattribute__", args, 2, 2)?;
    let name = attr_name(vm, &args.args[1])?;
    vm.generic_getattr(&args.args[0], &name)
}

/// CPython's "hackcheck": `object.__setattr__(int, 'x', 1)` must not bypass
/// `type.__setattr__`. The first builtin type in the MRO must use object's.
fn setattr_hackcheck(vm: &Vm, obj: &Value, what: &str) -> PyResult<()> {
    let typ = vm.class_of(obj);
    let builtin = typ.payload.as_type().unwrap().mro.borrow().iter().find(|c| !c.payload.as_type().unwrap().is_heap()).cloned();
    // `object` itself: its own method, nothing to check (the usual case).
    if let Some(builtin) = builtin.filter(|b| !b.is(&vm.types.object)) {
        let own = vm.dict_get_str(&builtin.payload.as_type().unwrap().dict, &vm.intern(what));
        if let Some(Payload::NativeMethod { owner, .. }) = own.as_ref().and_then(|f| f.payload()) {
            if !owner.is(&vm.types.object) {
                return Err(vm.new_type_error(format!(
                    "can't apply this {what} to {} object",
                    vm.type_name(&builtin)
                )));
            }
        }
    }
    Ok(())
}

fn object_setattr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__setattr__", args, 3, 3)?;
    let name = attr_name(vm, &args.args[1])?;
    setattr_hackcheck(vm, &args.args[0], "__setattr__")?;
    vm.generic_setattr(&args.args[0], &name, Some(args.args[2].clone()))?;
    Ok(Value::None)
}

fn object_delattr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__delattr__", args, 2, 2)?;
    let name = attr_name(vm, &args.args[1])?;
    setattr_hackcheck(vm, &args.args[0], "__delattr__")?;
    vm.generic_setattr(&args.args[0], &name, None)?;
    Ok(Value::None)
}

/// `<__main__.C object at 0x7f...>` (the module is left out for builtins).
pub fn default_repr(vm: &Vm, v: &Value) -> String {
    let typ = vm.class_of(v);
    let q = qualname_of(typ);
    match module_of(vm, typ) {
        Some(m) => format!("<{m}.{q} object at {:#x}>", v.id()),
        None => format!("<{q} object at {:#x}>", v.id()),
    }
}

fn object_repr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__repr__", args, 1, 1)?;
    Ok(vm.new_str(default_repr(vm, &args.args[0])))
}

fn object_str(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__str__", args, 1, 1)?;
    Ok(Value::Obj(vm.repr(&args.args[0])?))
}

/// Identity hash: the address rotated so the always-zero low bits matter
/// (CPython's `_Py_HashPointer`).
pub fn identity_hash(v: &Value) -> i64 {
    let h = (v.id() as u64).rotate_right(4) as i64;
    if h == -1 {
        -2
    } else {
        h
    }
}

fn object_hash(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__hash__", args, 1, 1)?;
    Ok(Value::Int(identity_hash(&args.args[0])))
}

fn object_eq(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__eq__", args, 2, 2)?;
    if args.args[0].is(&args.args[1]) {
        return Ok(Value::Bool(true));
    }
    Ok(vm.not_implemented())
}

/// `__ne__` delegates to the type's `__eq__` and inverts it.
fn object_ne(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__ne__", args, 2, 2)?;
    let (a, b) = (&args.args[0], &args.args[1]);
    let r = match vm.special(a, Slot::Eq) {
        Some(eq) if !is_object_native(vm, &Some(eq.clone()), "__eq__") => vm.call_compare_slot(&eq, a, b)?,
        _ => {
            if a.is(b) {
                Value::Bool(true)
            } else {
                vm.not_implemented()
            }
        }
    };
    if vm.is_not_implemented(&r) {
        return Ok(r);
    }
    Ok(Value::Bool(!vm.truthy(&r)?))
}

fn object_ordering(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("comparison", args, 2, 2)?;
    Ok(vm.not_implemented())
}

fn object_format(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__format__", args, 2, 2)?;
    let spec = match vm.as_str(&args.args[1]) {
        Some(s) => s,
        None => {
            return Err(vm.new_type_error(format!(
                "__format__() argument must be str, not {}",
                vm.type_name_of(&args.args[1])
            )))
        }
    };
    if !spec.is_empty() {
        return Err(vm.new_type_error(format!(
            "unsupported format string passed to {}.__format__",
            vm.type_name_of(&args.args[0])
        )));
    }
    Ok(Value::Obj(vm.str(&args.args[0])?))
}

fn object_sizeof(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__sizeof__", args, 1, 1)?;
    // The object and its slot cells (and what a builtin payload owns), as
    // laid out in memory: see `object_size.rs`.
    Ok(Value::Int(crate::object_size::own_size(&args.args[0]) as i64))
}

/// Adds the keys of `cls.__dict__` and of its bases' dicts (recursively) to `out`.
fn merge_class_dict(vm: &Vm, cls: &PyRef, out: &PyRef, depth: u32) -> PyResult<()> {
    if depth > vm.recursion_limit.get() {
        return Err(vm.new_recursion_error("maximum recursion depth exceeded"));
    }
    let t = match cls.payload.as_type() {
        Some(t) => t,
        None => return Ok(()),
    };
    for k in vm.dict_keys(&t.dict) {
        vm.dict_set(out, k, Value::None)?;
    }
    let bases = t.bases.borrow().clone();
    for b in &bases {
        merge_class_dict(vm, b, out, depth + 1)?;
    }
    Ok(())
}

fn object_dir(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__dir__", args, 1, 1)?;
    let this = &args.args[0];
    let names = vm.new_dict();
    // As CPython: `self.__dict__` and `self.__class__` are looked up as
    // attributes (a weak proxy forwards both to its referent).
    match vm.getattr_opt(this, "__dict__")? {
        Some(Value::Obj(d)) if d.payload.as_dict().is_some() => {
            for k in vm.dict_keys(&d) {
                vm.dict_set(&names, k, Value::None)?;
            }
        }
        _ => {}
    }
    if let Some(Value::Obj(cls)) = vm.getattr_opt(this, "__class__")? {
        merge_class_dict(vm, &cls, &names, 0)?;
    }
    Ok(vm.new_list(vm.dict_keys(&names)))
}

fn object_init_subclass(vm: &Vm, args: Args) -> PyResult {
    let cls = &args.args[0];
    let name = match as_type_ref(cls) {
        Some(c) => vm.type_name(c),
        None => vm.type_name_of(cls),
    };
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("{name}.__init_subclass__() takes no keyword arguments")));
    }
    if args.args.len() > 1 {
        return Err(vm.new_type_error(format!(
            "{name}.__init_subclass__() takes no arguments ({} given)",
            args.args.len() - 1
        )));
    }
    Ok(Value::None)
}

fn object_subclasshook(vm: &Vm, _args: Args) -> PyResult {
    Ok(vm.not_implemented())
}

// ---------------------------------------------------------------------------
// Pickling and copying support (`copy.copy` calls `__reduce_ex__(4)`).

/// `object.__getstate__()`: the instance `__dict__` itself (None when it is
/// empty), paired with a dict of the `__slots__` values that are set when the
/// class has slots. The slot names come from `copyreg._slotnames(cls)`
/// (cached as `cls.__slotnames__`), read with `getattr`, as CPython.
fn object_getstate(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__getstate__", args, 1, 1)?;
    getstate_default(vm, &args.args[0], false)
}

/// `object.__getstate__` for `this`. With `required` (pickling an object
/// whose constructor takes no arguments), an object with slots that the slot
/// names do not cover cannot be pickled.
fn getstate_default(vm: &Vm, this: &Value, required: bool) -> PyResult {
    let mut state = Value::None;
    if let Some(d) = vm.instance_dict(this, false) {
        if vm.dict_len(&d) > 0 {
            state = Value::Obj(d);
        }
    }
    let cls = vm.type_of(this);
    let names = type_slot_names(vm, &cls)?;
    if required && matches!(this.payload(), Some(Payload::Instance(_))) {
        let t = cls.payload.as_type().unwrap();
        let named = names.payload().and_then(|p| p.as_list()).map_or(0, |l| l.borrow().len());
        // (A `__dict__` counts as one more word, as in CPython.)
        if t.slot_names.len() > named + t.has_flag(type_flags::HAS_DICT) as usize {
            return Err(vm.new_type_error(format!("cannot pickle '{}' object", vm.type_name(&cls))));
        }
    }
    let list = match names.payload().and_then(|p| p.as_list()) {
        Some(l) if !l.borrow().is_empty() => l,
        _ => return Ok(state),
    };
    let slots = vm.new_dict();
    let n = list.borrow().len();
    for i in 0..n {
        let name = match list.borrow().get(i) {
            Some(v) => v.clone(),
            None => break,
        };
        let Some(nref) = name.as_obj().filter(|o| o.payload.as_str().is_some()) else {
            return Err(vm.new_type_error(format!(
                "attribute name must be string, not '{}'",
                vm.type_name_of(&name)
            )));
        };
        match vm.getattr(this, nref) {
            Ok(v) => vm.dict_set(&slots, name.clone(), v)?,
            Err(e) if vm.exception_matches(&e, &vm.exc.attribute_error) => {}
            Err(e) => return Err(e),
        }
        if list.borrow().len() != n {
            return Err(vm.new_runtime_error("__slotsname__ changed size during iteration"));
        }
    }
    if vm.dict_len(&slots) > 0 {
        return Ok(vm.new_tuple(vec![state, Value::Obj(slots)]));
    }
    Ok(state)
}

/// `cls.__slotnames__` from the class's own dict, else
/// `copyreg._slotnames(cls)` (which caches it there): a list or None.
fn type_slot_names(vm: &Vm, cls: &PyRef) -> PyResult {
    let t = cls.payload.as_type().unwrap();
    let is_list = |v: &Value| v.payload().and_then(|p| p.as_list()).is_some();
    if let Some(v) = vm.dict_get_str(&t.dict, &vm.intern("__slotnames__")) {
        if !v.is_none() && !is_list(&v) {
            return Err(vm.new_type_error(format!(
                "{}.__slotnames__ should be a list or None, not {}",
                vm.type_name(cls),
                vm.type_name_of(&v)
            )));
        }
        return Ok(v);
    }
    let f = copyreg_attr(vm, "_slotnames")?;
    let v = vm.call(&f, Args::new(&[Value::Obj(cls.clone())]))?;
    if !v.is_none() && !is_list(&v) {
        return Err(vm.new_type_error("copyreg._slotnames didn't return a list or None"));
    }
    Ok(v)
}

fn copyreg_attr(vm: &Vm, name: &str) -> PyResult {
    let m = vm.import_full("copyreg")?;
    vm.getattr_str(&Value::Obj(m), name)
}

/// CPython's `_PyObject_LookupSpecial`: `name` found on the type of `obj`
/// and bound to it.
fn lookup_special(vm: &Vm, obj: &Value, name: &str) -> PyResult<Option<Value>> {
    let typ = vm.type_of(obj);
    match vm.type_lookup_str(&typ, name) {
        Some(d) => vm.descr_get(&d, Some(obj), &typ).map(Some),
        None => Ok(None),
    }
}

/// Protocol 2+ reduction: `(copyreg.__newobj__, (cls, *args), state, listitems, dictitems)`.
fn reduce_newobj(vm: &Vm, this: &Value) -> PyResult {
    let cls = Value::Obj(vm.type_of(this));
    let mut hasargs = true;
    let tuple_of = |v: &Value| v.payload().and_then(|p| p.as_tuple()).is_some();
    // Looked up on the type, as special methods are (an instance
    // `__getattr__` is not asked).
    let (args, kwargs) = if let Some(f) = lookup_special(vm, this, "__getnewargs_ex__")? {
        let r = vm.call(&f, Args::EMPTY)?;
        let pair = match r.payload().and_then(|p| p.as_tuple()) {
            Some(t) if t.len() == 2 => (t[0].clone(), t[1].clone()),
            Some(t) => {
                return Err(vm.new_value_error(format!(
                    "__getnewargs_ex__ should return a tuple of length 2, not {}",
                    t.len()
                )))
            }
            None => {
                return Err(vm.new_type_error(format!(
                    "__getnewargs_ex__ should return a tuple, not '{}'",
                    vm.type_name_of(&r)
                )))
            }
        };
        if !tuple_of(&pair.0) {
            return Err(vm.new_type_error(format!(
                "first item of the tuple returned by __getnewargs_ex__ must be a tuple, not '{}'",
                vm.type_name_of(&pair.0)
            )));
        }
        if pair.1.payload().and_then(|p| p.as_dict()).is_none() {
            return Err(vm.new_type_error(format!(
                "second item of the tuple returned by __getnewargs_ex__ must be a dict, not '{}'",
                vm.type_name_of(&pair.1)
            )));
        }
        (pair.0, Some(pair.1))
    } else if let Some(f) = lookup_special(vm, this, "__getnewargs__")? {
        let r = vm.call(&f, Args::EMPTY)?;
        if !tuple_of(&r) {
            return Err(vm.new_type_error(format!(
                "__getnewargs__ should return a tuple, not '{}'",
                vm.type_name_of(&r)
            )));
        }
        (r, None)
    } else {
        // A native base's state (a subclass of `_pickle.Pickler`, say) is
        // not in `__dict__`: such objects cannot be pickled, as in CPython.
        let native_base = matches!(this.payload().map(|p| p.base()), Some(Payload::Native(_)));
        let plain = (matches!(this.payload(), Some(Payload::Instance(_)) | Some(Payload::None_)) && !native_base)
            || this.payload().map_or(false, |p| p.as_list().is_some() || p.as_dict().is_some());
        if !plain {
            return Err(vm.new_type_error(format!("cannot pickle '{}' object", vm.type_name_of(this))));
        }
        hasargs = false;
        (vm.new_tuple(vec![]), None)
    };
    let args_v = vm.seq_items(&args).unwrap_or_default();
    let has_kw = match &kwargs {
        Some(k) => vm.len(k)? > 0,
        None => false,
    };
    let (newobj, newargs) = if has_kw {
        (copyreg_attr(vm, "__newobj_ex__")?, vm.new_tuple(vec![cls, args, kwargs.unwrap_or(Value::None)]))
    } else {
        let mut a = vec![cls];
        a.extend(args_v);
        (copyreg_attr(vm, "__newobj__")?, vm.new_tuple(a))
    };
    let is_list = this.payload().map_or(false, |p| p.as_list().is_some());
    let is_dict = this.payload().map_or(false, |p| p.as_dict().is_some());
    let own_getstate = vm.type_lookup_str(vm.class_of(this), "__getstate__");
    let state = if is_object_native(vm, &own_getstate, "__getstate__") {
        getstate_default(vm, this, !(hasargs || is_list || is_dict))?
    } else {
        vm.call_method(this, "__getstate__", &[])?
    };
    let listitems = if is_list { vm.iter(this)? } else { Value::None };
    let dictitems = if is_dict { vm.iter(&vm.call_method(this, "items", &[])?)? } else { Value::None };
    Ok(vm.new_tuple(vec![newobj, newargs, state, listitems, dictitems]))
}

fn reduce_with_protocol(vm: &Vm, this: &Value, proto: i64) -> PyResult {
    if proto >= 2 {
        return reduce_newobj(vm, this);
    }
    let f = copyreg_attr(vm, "_reduce_ex")?;
    vm.call(&f, Args::new(&[this.clone(), Value::Int(proto)]))
}

fn object_reduce(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__reduce__", args, 1, 1)?;
    reduce_with_protocol(vm, &args.args[0], 0)
}

fn object_reduce_ex(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__reduce_ex__", args, 2, 2)?;
    let this = &args.args[0];
    let proto = vm.to_index_i64(&args.args[1])?;
    // A class that overrides __reduce__ gets it called instead.
    let own = vm.type_lookup_str(vm.class_of(this), "__reduce__");
    if !is_object_native(vm, &own, "__reduce__") {
        let f = vm.getattr_str(this, "__reduce__")?;
        return vm.call(&f, Args::EMPTY);
    }
    reduce_with_protocol(vm, this, proto)
}

static OBJECT_PICKLE_METHODS: [NativeDef; 3] = [
    NativeDef::method("__getstate__", object_getstate).doc("__getstate__($self, /)\n--\n\nHelper for pickle."),
    NativeDef::method("__reduce__", object_reduce).doc("__reduce__($self, /)\n--\n\nHelper for pickle."),
    NativeDef::method("__reduce_ex__", object_reduce_ex).doc("__reduce_ex__($self, protocol, /)\n--\n\nHelper for pickle."),
];

static OBJECT_METHODS: [NativeDef; 17] = [
    NativeDef::staticmethod("__new__", object_new),
    NativeDef::method("__init__", object_init),
    NativeDef::method("__getattribute__", object_getattribute),
    NativeDef::method("__setattr__", object_setattr),
    NativeDef::method("__delattr__", object_delattr),
    NativeDef::method("__repr__", object_repr),
    NativeDef::method("__str__", object_str),
    NativeDef::method("__hash__", object_hash),
    NativeDef::method("__eq__", object_eq),
    NativeDef::method("__ne__", object_ne),
    NativeDef::method("__lt__", object_ordering),
    NativeDef::method("__le__", object_ordering),
    NativeDef::method("__gt__", object_ordering),
    NativeDef::method("__ge__", object_ordering),
    NativeDef::method("__format__", object_format).doc("__format__($self, format_spec, /)\n--\n\nDefault object formatter."),
    NativeDef::method("__sizeof__", object_sizeof).doc("__sizeof__($self, /)\n--\n\nSize of object in memory, in bytes."),
    NativeDef::method("__dir__", object_dir).doc("__dir__($self, /)\n--\n\nDefault dir() implementation."),
];

static OBJECT_CLASS_METHODS: [NativeDef; 2] = [
    NativeDef::classmethod("__init_subclass__", object_init_subclass).doc("This method is called when a class is subclassed."),
    NativeDef::classmethod("__subclasshook__", object_subclasshook).doc("Abstract classes can override this to customize issubclass()."),
];

// ---------------------------------------------------------------------------
// `__class__`.

fn class_get(vm: &Vm, obj: &Value) -> PyResult {
    Ok(Value::Obj(vm.type_of(obj)))
}

fn class_set(vm: &Vm, obj: &Value, value: Option<Value>) -> PyResult<()> {
    let value = match value {
        Some(v) => v,
        None => return Err(vm.new_type_error("can't delete __class__ attribute")),
    };
    let new = match as_type_ref(&value) {
        Some(t) => t.clone(),
        None => {
            return Err(vm.new_type_error(format!(
                "__class__ must be set to a class, not '{}' object",
                vm.type_name_of(&value)
            )))
        }
    };
    let old = vm.type_of(obj);
    let (ot, nt) = (old.payload.as_type().unwrap(), new.payload.as_type().unwrap());
    let both_modules = vm.is_subtype(&old, &vm.types.module) && vm.is_subtype(&new, &vm.types.module);
    if !both_modules && (!ot.is_heap() || !nt.is_heap()) {
        return Err(vm.new_type_error("__class__ assignment only supported for mutable types or ModuleType subclasses"));
    }
    let o = match obj {
        Value::Obj(o) => o,
        _ => return Err(vm.new_type_error("__class__ assignment only supported for mutable types or ModuleType subclasses")),
    };
    if let Err(why) = crate::types::type_new::check_assignment_layout(vm, &old, &new) {
        return Err(crate::types::type_new::assignment_error(vm, "__class__ assignment", &old, &new, why));
    }
    // Inline attributes are laid out by the old class's shared names.
    if let Payload::Instance(d) = &o.payload {
        if crate::instance_values::has_any(ot, d) {
            crate::instance_values::materialize(vm, ot, d);
        }
    }
    o.set_class(new);
    Ok(())
}

static OBJECT_GETSETS: [GetSetDef; 1] =
    [GetSetDef { name: "__class__", get: class_get, set: Some(class_set), doc: "" }];

// ---------------------------------------------------------------------------
// `__dict__` and `__weakref__` of instances of classes (added by type.__new__).

/// The `__dict__` descriptor of the first builtin class with a dict of its
/// own (type, module, exceptions) among the bases of `obj`'s class, which
/// the `__dict__` of a Python subclass defers to (CPython's
/// `get_builtin_base_with_dict`): `Meta.__dict__` stays a read-only proxy
/// even when another base of `Meta` has added a `__dict__` attribute.
fn builtin_dict_descr(vm: &Vm, obj: &Value) -> Option<Value> {
    let mut cur = vm.type_of(obj);
    loop {
        let t = cur.payload.as_type().unwrap();
        if !t.is_heap() && (t.has_flag(type_flags::HAS_DICT) || t.layout == Layout::Type) {
            let d = vm.type_lookup_str(&cur, "__dict__")?;
            let ours = matches!(d.payload(), Some(Payload::GetSetDescr { def, .. }) if std::ptr::eq(*def, &DICT_GETSET));
            return (!ours).then_some(d);
        }
        let next = t.base.clone()?;
        cur = next;
    }
}

fn dict_get(vm: &Vm, obj: &Value) -> PyResult {
    if let Some(d) = builtin_dict_descr(vm, obj) {
        return vm.descr_get(&d, Some(obj), &vm.type_of(obj));
    }
    match vm.instance_dict(obj, true) {
        Some(d) => Ok(Value::Obj(d)),
        None => Err(vm.new_attribute_error(format!("'{}' object has no attribute '__dict__'", vm.type_name_of(obj)))),
    }
}

fn dict_set(vm: &Vm, obj: &Value, value: Option<Value>) -> PyResult<()> {
    if let Some(d) = builtin_dict_descr(vm, obj) {
        if !vm.descr_set(&d, obj, value)? {
            return Err(vm.new_type_error(format!(
                "this __dict__ descriptor does not support '{}' objects",
                vm.type_name_of(obj)
            )));
        }
        return Ok(());
    }
    set_instance_dict(vm, obj, value)
}

/// Replaces (or with None removes) the `__dict__` of an instance, exception
/// or function.
pub(crate) fn set_instance_dict(vm: &Vm, obj: &Value, value: Option<Value>) -> PyResult<()> {
    if let Some(v) = &value {
        if v.payload().and_then(|p| p.as_dict()).is_none() {
            return Err(vm.new_type_error(format!(
                "__dict__ must be set to a dictionary, not a '{}'",
                vm.type_name_of(v)
            )));
        }
    }
    let cell = match obj.as_obj().map(|o| &o.payload) {
        Some(Payload::Instance(d)) => &d.dict,
        Some(Payload::Exception(e)) => &e.dict,
        Some(Payload::Function(f)) => &f.dict,
        Some(Payload::StaticMethod(w)) | Some(Payload::ClassMethod(w)) => &w.dict,
        _ => {
            return Err(vm.new_attribute_error(format!(
                "'{}' object has no attribute '__dict__'",
                vm.type_name_of(obj)
            )))
        }
    };
    // Deleting leaves no dict; the next access creates a fresh one (as 3.11).
    // Inline attributes are replaced too; they go once the store is done.
    let old = match obj.as_obj() {
        Some(o) => crate::instance_values::take_all_of(o),
        None => Vec::new(),
    };
    cell.set(value);
    drop(old);
    Ok(())
}

fn weakref_get(vm: &Vm, obj: &Value) -> PyResult {
    Ok(crate::types::weakref::first_weakref(vm, obj))
}

/// The `__dict__` attribute `type.__new__` puts in classes that add a dict.
pub static DICT_GETSET: GetSetDef = GetSetDef {
    name: "__dict__",
    get: dict_get,
    set: Some(dict_set),
    doc: "dictionary for instance variables",
};

/// The `__weakref__` attribute of classes that add weak reference support.
pub static WEAKREF_GETSET: GetSetDef = GetSetDef {
    name: "__weakref__",
    get: weakref_get,
    set: None,
    doc: "list of weak references to the object",
};

pub fn init(vm: &Vm) {
    let o = &vm.types.object;
    crate::types::add_methods(vm, o, &OBJECT_METHODS);
    crate::types::add_methods(vm, o, &OBJECT_CLASS_METHODS);
    crate::types::add_methods(vm, o, &OBJECT_PICKLE_METHODS);
    crate::types::add_getsets(vm, o, &OBJECT_GETSETS);
}

#[cfg(test)]
#[path = "class_tests.rs"]
mod class_tests;
