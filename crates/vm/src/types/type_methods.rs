//! `type`'s methods and attributes (`type.__call__`, `__repr__`, `__name__`,
//! `__mro__`, `__dict__`, ...), attribute assignment on classes (which must
//! refresh the special-method caches), and `mappingproxy`, the read-only view
//! a class's `__dict__` returns. Class creation itself is in `type_new.rs`.

use crate::object::PyRef;
use crate::payload::{GetSetDef, Payload};
use crate::protocol::call::with_prepended;
use crate::types::function::{split_doc, NativeDef};
use crate::types::object::{as_type_ref, attr_name, is_object_native, module_of, qualname_of};
use crate::types::typeobj::{type_flags, Slot, TypeData};
use crate::value::Value;
use crate::{Args, PyResult, Vm};

fn self_type<'a>(vm: &Vm, args: &Args<'a>, what: &str) -> PyResult<&'a PyRef> {
    match args.args.first() {
        Some(v) => as_type_ref(v).ok_or_else(|| {
            vm.new_type_error(format!(
                "descriptor '{what}' requires a 'type' object but received a '{}'",
                vm.type_name_of(v)
            ))
        }),
        None => Err(vm.new_type_error(format!("descriptor '{what}' of 'type' object needs an argument"))),
    }
}

fn td(t: &PyRef) -> &TypeData {
    t.payload.as_type().unwrap()
}

// ---------------------------------------------------------------------------
// Calling a class.

/// `type.__call__(cls, *args, **kw)`: `__new__`, then `__init__` when the
/// result is an instance of `cls`.
fn type_call(vm: &Vm, args: Args) -> PyResult {
    let cls = self_type(vm, &args, "__call__")?;
    call_type(vm, cls, Args::with_kw(&args.args[1..], args.kwnames))
}

/// Is `f` `type.__call__` itself (so that calling a class whose metaclass
/// has it can go to [`call_type`] directly)?
#[inline]
pub(crate) fn is_type_call(f: &Value) -> bool {
    debug_assert_eq!(TYPE_METHODS[TYPE_CALL_INDEX].name, "__call__");
    matches!(f.payload(), Some(Payload::NativeMethod { def, .. }) if std::ptr::eq(*def, &TYPE_METHODS[TYPE_CALL_INDEX]))
}

/// The index of `__call__` in `TYPE_METHODS`.
const TYPE_CALL_INDEX: usize = 2;

/// `type.__call__(cls, *rest)`: `__new__`, then `__init__` when `__new__`
/// returned an instance of `cls`.
pub(crate) fn call_type(vm: &Vm, cls: &PyRef, rest: Args) -> PyResult {
    let npos = rest.positional().len();
    if cls.is(&vm.types.type_) {
        if npos == 1 && !rest.has_kwargs() {
            return Ok(Value::Obj(vm.type_of(&rest.args[0])));
        }
        if npos == 1 {
            return Err(vm.new_type_error("type() takes no keyword arguments"));
        }
        if npos != 3 {
            return Err(vm.new_type_error("type() takes 1 or 3 arguments"));
        }
    }
    let t = td(cls);
    // A builtin type with a payload of its own but no constructor (iterators,
    // weak proxies, ...), or a class deriving from one without adding a
    // `__new__`: CPython's types without `tp_new`.
    if t.layout == crate::types::typeobj::Layout::Other
        && is_object_native(vm, &t.slot(Slot::New), "__new__")
    {
        return Err(vm.new_type_error(format!("cannot create '{}' instances", vm.type_name(cls))));
    }
    let new = match t.slot(Slot::New) {
        Some(n) => n,
        None => return Err(vm.new_type_error(format!("cannot create '{}' instances", vm.type_name(cls)))),
    };
    let cls_v = Value::Obj(cls.clone());
    let obj = match new.payload() {
        Some(Payload::NativeMethod { def, .. }) if def.kind == crate::types::function::NativeKind::StaticMethod => {
            with_prepended(&cls_v, rest.args, |full| (def.func)(vm, Args::with_kw(full, rest.kwnames)))?
        }
        Some(Payload::StaticMethod(w)) => {
            let f = w.func.get().unwrap_or(Value::None);
            with_prepended(&cls_v, rest.args, |full| vm.call(&f, Args::with_kw(full, rest.kwnames)))?
        }
        _ => {
            let f = vm.descr_get(&new, None, cls)?;
            with_prepended(&cls_v, rest.args, |full| vm.call(&f, Args::with_kw(full, rest.kwnames)))?
        }
    };
    let otype = vm.type_of(&obj);
    if !vm.is_subtype(&otype, cls) {
        return Ok(obj);
    }
    let ot = td(&otype);
    let init = ot.slot(Slot::Init);
    if is_object_native(vm, &init, "__init__") {
        // `object.__init__` only checks for excess arguments, which are an
        // error when `__new__` is object's too (and then object_new has
        // already complained, unless `__new__` returned another instance).
        if rest.args.is_empty() || !is_object_native(vm, &ot.slot(Slot::New), "__new__") {
            return Ok(obj);
        }
    }
    if let Some(init) = init {
        let r = match init.payload() {
            Some(Payload::Function(_)) | Some(Payload::NativeMethod { .. }) => {
                with_prepended(&obj, rest.args, |full| vm.call(&init, Args::with_kw(full, rest.kwnames)))?
            }
            _ => {
                let b = vm.descr_get(&init, Some(&obj), &otype)?;
                vm.call(&b, rest)?
            }
        };
        if !r.is_none() {
            return Err(vm.new_type_error(format!("__init__() should return None, not '{}'", vm.type_name_of(&r))));
        }
    }
    Ok(obj)
}

fn type_init(vm: &Vm, args: Args) -> PyResult {
    self_type(vm, &args, "__init__")?;
    let n = args.positional().len() - 1;
    if n == 1 && args.has_kwargs() {
        return Err(vm.new_type_error("type.__init__() takes no keyword arguments"));
    }
    if n != 1 && n != 3 {
        return Err(vm.new_type_error("type.__init__() takes 1 or 3 arguments"));
    }
    Ok(Value::None)
}

/// `<class 'mod.Qual'>` (no module for builtins or a non-str `__module__`).
pub fn type_repr_string(vm: &Vm, cls: &PyRef) -> String {
    let q = qualname_of(cls);
    match module_of(vm, cls) {
        Some(m) => format!("<class '{m}.{q}'>"),
        None => format!("<class '{q}'>"),
    }
}

fn type_repr(vm: &Vm, args: Args) -> PyResult {
    let cls = self_type(vm, &args, "__repr__")?;
    Ok(vm.new_str(type_repr_string(vm, cls)))
}

fn type_getattribute(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__getattribute__", args, 2, 2)?;
    let cls = self_type(vm, &args, "__getattribute__")?;
    let name = attr_name(vm, &args.args[1])?;
    vm.type_getattr(cls, &name)
}

/// Bumps the version tag of `cls` and all its subclasses (for the attribute
/// caches, which hold their values without references: every class whose
/// MRO includes `cls` must get a new tag, however deep the hierarchy).
pub(crate) fn bump_versions(_vm: &Vm, cls: &PyRef, _depth: u32) {
    let mut todo = vec![cls.clone()];
    while let Some(c) = todo.pop() {
        td(&c).version.set(crate::types::typeobj::next_type_version());
        todo.extend(live_subclasses(&c));
    }
}

/// Direct subclasses as strong references.
pub(crate) fn live_subclasses(cls: &PyRef) -> Vec<PyRef> {
    crate::types::typeobj::live_subclasses(td(cls))
}

/// The classes made by `type.__new__` that appear in subclass lists, as
/// (address of the `TypeData`, address of the class object): weak entries,
/// owning nothing. When a class is freed, the drop of its `TypeData` finds
/// its object's address here to take it out of its bases' subclass lists.
/// (A mutex: unit tests run interpreters on parallel threads.)
static CLASSES: std::sync::Mutex<Option<std::collections::HashMap<usize, usize>>> = std::sync::Mutex::new(None);

/// Records a class (see `CLASSES`) before it is put in its bases' lists.
pub(crate) fn register_class(cls: &PyRef) {
    let t: *const TypeData = td(cls);
    let mut reg = CLASSES.lock().unwrap_or_else(|e| e.into_inner());
    reg.get_or_insert_with(Default::default).insert(t as usize, cls.as_ptr() as usize);
}

/// Forgets the class whose `TypeData` is `t` (it is being freed); returns
/// the class object's address if it was registered.
pub(crate) fn unregister_class(t: &TypeData) -> Option<*const crate::object::PyObject> {
    let mut reg = CLASSES.lock().unwrap_or_else(|e| e.into_inner());
    reg.as_mut()?.remove(&(t as *const TypeData as usize)).map(|a| a as *const crate::object::PyObject)
}

/// "cannot set 'x' attribute of immutable type 'int'".
fn check_mutable(vm: &Vm, cls: &PyRef, name: &str, deleting: bool) -> PyResult<()> {
    if !td(cls).is_heap() {
        return Err(vm.new_type_error(format!(
            "cannot {} '{}' attribute of immutable type '{}'",
            if deleting { "delete" } else { "set" },
            name,
            vm.type_name(cls)
        )));
    }
    Ok(())
}

/// `setattr(cls, name, value)` / `delattr(cls, name)` on a class.
pub fn type_setattr_impl(vm: &Vm, cls: &PyRef, name: &PyRef, value: Option<Value>) -> PyResult<()> {
    let n = name.payload.as_str().map(|s| s.as_str()).unwrap_or("");
    check_mutable(vm, cls, n, false)?;
    let clsv = Value::Obj(cls.clone());
    // The value being replaced or deleted is held until the caches are told
    // (`bump_versions` below): cache entries of the current version tag
    // point at it without owning it, and its release may run Python code.
    let _old = vm.dict_get_str(&td(cls).dict, name);
    if value.is_none() {
        let meta_descr = vm.type_lookup(cls.class(), name).filter(|d| vm.is_data_descriptor(d));
        if meta_descr.is_none() && vm.dict_get_str(&td(cls).dict, name).is_none() {
            let e = vm.new_attribute_error(format!("type object '{}' has no attribute '{}'", vm.type_name(cls), n));
            vm.set_attribute_error_context(&e, &clsv, name);
            return Err(e);
        }
    }
    vm.generic_setattr(&clsv, name, value)?;
    if Slot::from_dunder(n).is_some() {
        vm.refresh_slots(cls);
    } else {
        bump_versions(vm, cls, 0);
    }
    Ok(())
}

fn type_setattr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__setattr__", args, 3, 3)?;
    let cls = self_type(vm, &args, "__setattr__")?;
    let name = attr_name(vm, &args.args[1])?;
    type_setattr_impl(vm, cls, &name, Some(args.args[2].clone()))?;
    Ok(Value::None)
}

fn type_delattr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__delattr__", args, 2, 2)?;
    let cls = self_type(vm, &args, "__delattr__")?;
    let name = attr_name(vm, &args.args[1])?;
    type_setattr_impl(vm, cls, &name, None)?;
    Ok(Value::None)
}

fn type_mro(vm: &Vm, args: Args) -> PyResult {
    let cls = self_type(vm, &args, "mro")?;
    let bases = td(cls).bases.borrow().clone();
    let mro = vm.compute_mro(cls, &bases)?;
    Ok(vm.new_list(mro.into_iter().map(Value::Obj).collect()))
}

fn type_subclasses(vm: &Vm, args: Args) -> PyResult {
    let cls = self_type(vm, &args, "__subclasses__")?;
    Ok(vm.new_list(live_subclasses(cls).into_iter().map(Value::Obj).collect()))
}

fn type_instancecheck(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__instancecheck__", args, 2, 2)?;
    let cls = self_type(vm, &args, "__instancecheck__")?;
    Ok(Value::Bool(crate::types::isinstance::real_isinstance(vm, &args.args[1], &Value::Obj(cls.clone()))?))
}

fn type_subclasscheck(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__subclasscheck__", args, 2, 2)?;
    let cls = self_type(vm, &args, "__subclasscheck__")?;
    Ok(Value::Bool(crate::types::isinstance::real_issubclass(vm, &args.args[1], &Value::Obj(cls.clone()))?))
}

fn type_prepare(vm: &Vm, _args: Args) -> PyResult {
    Ok(Value::Obj(vm.new_dict()))
}

fn type_sizeof(vm: &Vm, args: Args) -> PyResult {
    let cls = self_type(vm, &args, "__sizeof__")?;
    Ok(Value::Int(crate::object_size::object_size(cls) as i64))
}

fn type_dir(vm: &Vm, args: Args) -> PyResult {
    let cls = self_type(vm, &args, "__dir__")?;
    let out = vm.new_dict();
    let mro = td(cls).mro.borrow().clone();
    // CPython merges the class dict first, then each base recursively; the
    // MRO order gives the same set (dir() sorts it).
    for c in mro {
        for k in vm.dict_keys(&td(&c).dict) {
            vm.dict_set(&out, k, Value::None)?;
        }
    }
    Ok(vm.new_list(vm.dict_keys(&out)))
}

fn type_new_entry(vm: &Vm, args: Args) -> PyResult {
    crate::types::type_new::type_new(vm, args)
}

static TYPE_METHODS: [NativeDef; 14] = [
    NativeDef::staticmethod("__new__", type_new_entry),
    NativeDef::method("__init__", type_init),
    NativeDef::method("__call__", type_call),
    NativeDef::method("__repr__", type_repr),
    NativeDef::method("__getattribute__", type_getattribute),
    NativeDef::method("__setattr__", type_setattr),
    NativeDef::method("__delattr__", type_delattr),
    NativeDef::method("mro", type_mro).doc("mro($self, /)\n--\n\nReturn a type's method resolution order."),
    NativeDef::method("__subclasses__", type_subclasses).doc("__subclasses__($self, /)\n--\n\nReturn a list of immediate subclasses."),
    NativeDef::method("__instancecheck__", type_instancecheck).doc("__instancecheck__($self, instance, /)\n--\n\nCheck if an object is an instance."),
    NativeDef::method("__subclasscheck__", type_subclasscheck).doc("__subclasscheck__($self, subclass, /)\n--\n\nCheck if a class is a subclass."),
    NativeDef::classmethod("__prepare__", type_prepare).doc("__prepare__() -> dict"),
    NativeDef::method("__sizeof__", type_sizeof).doc("__sizeof__($self, /)\n--\n\nReturn memory consumption of the type object."),
    NativeDef::method("__dir__", type_dir).doc("__dir__($self, /)\n--\n\nSpecialized __dir__ implementation for types."),
];

// ---------------------------------------------------------------------------
// Attributes of classes.

fn cls_of<'a>(vm: &Vm, v: &'a Value) -> PyResult<&'a PyRef> {
    as_type_ref(v).ok_or_else(|| vm.new_type_error(format!("descriptor requires a 'type' object, not '{}'", vm.type_name_of(v))))
}

fn get_name(vm: &Vm, v: &Value) -> PyResult {
    let t = td(cls_of(vm, v)?);
    let name = t.name();
    // Native-module types are named "module.name" in messages (CPython's
    // tp_name); `__name__` is the part after the last dot.
    if !t.is_heap() {
        let short = name.rsplit_once('.').map_or(name.as_str(), |(_, short)| short);
        return Ok(vm.new_str(short));
    }
    // Interned: a class's name is the same str object on every read, as
    // CPython's `ht_name` (`inspect.classify_class_attrs` matches by identity).
    Ok(Value::Obj(vm.intern(&name)))
}

/// CPython words the refusal to delete `__name__`, `__module__`, `__doc__`,
/// ... as for immutable types, whatever the class.
fn cannot_delete(vm: &Vm, cls: &PyRef, attr: &str) -> crate::PyErr {
    vm.new_type_error(format!("cannot delete '{attr}' attribute of immutable type '{}'", vm.type_name(cls)))
}

/// `__module__` and `__doc__` may be set on heap classes, never deleted.
fn set_special_in_dict(vm: &Vm, cls: &PyRef, attr: &str, value: Option<Value>) -> PyResult<()> {
    check_mutable(vm, cls, attr, value.is_none())?;
    if value.is_none() {
        return Err(cannot_delete(vm, cls, attr));
    }
    set_in_dict(vm, cls, attr, value)
}

/// Shared checks of `__name__`/`__qualname__` assignment; returns the text.
fn settable_str(vm: &Vm, cls: &PyRef, attr: &str, value: &Option<Value>) -> PyResult<String> {
    check_mutable(vm, cls, attr, value.is_none())?;
    let v = match value {
        Some(v) => v,
        None => return Err(cannot_delete(vm, cls, attr)),
    };
    match vm.as_str(v) {
        Some(s) => Ok(s.to_string()),
        None => Err(vm.new_type_error(format!(
            "can only assign string to {}.{attr}, not '{}'",
            vm.type_name(cls),
            vm.type_name_of(v)
        ))),
    }
}

fn set_name(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let cls = cls_of(vm, v)?;
    let s = settable_str(vm, cls, "__name__", &value)?;
    if s.contains('\0') {
        return Err(vm.new_value_error("type name must not contain null characters"));
    }
    *td(cls).name.borrow_mut() = s;
    Ok(())
}

fn get_qualname(vm: &Vm, v: &Value) -> PyResult {
    let cls = cls_of(vm, v)?;
    let q = qualname_of(cls);
    Ok(if td(cls).is_heap() { Value::Obj(vm.intern(&q)) } else { vm.new_str(q) })
}

fn set_qualname(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let cls = cls_of(vm, v)?;
    let s = settable_str(vm, cls, "__qualname__", &value)?;
    *td(cls).qualname.borrow_mut() = s;
    Ok(())
}

fn get_module(vm: &Vm, v: &Value) -> PyResult {
    let t = td(cls_of(vm, v)?);
    let m = vm.dict_get_str(&t.dict, &vm.intern("__module__"));
    if !t.is_heap() {
        // Native-module types: the module is the name's prefix ("itertools.count").
        if let Some((module, _)) = t.name.borrow().rsplit_once('.') {
            return Ok(vm.new_str(module));
        }
        return Ok(m.filter(|m| vm.as_str(m).is_some()).unwrap_or_else(|| vm.new_str("builtins")));
    }
    m.ok_or_else(|| vm.new_attribute_error("__module__"))
}

/// Attributes of heap classes stored in the class dict (`__module__`, `__doc__`).
fn set_in_dict(vm: &Vm, cls: &PyRef, attr: &str, value: Option<Value>) -> PyResult<()> {
    check_mutable(vm, cls, attr, value.is_none())?;
    let key = vm.intern(attr);
    // Released only after the caches are told (see `type_setattr_impl`).
    let _old = vm.dict_get_str(&td(cls).dict, &key);
    match value {
        Some(x) => vm.dict_set_str(&td(cls).dict, &key, x),
        None => {
            if vm.dict_remove(&td(cls).dict, &Value::Obj(key))?.is_none() {
                return Err(vm.new_attribute_error(attr.to_string()));
            }
        }
    }
    bump_versions(vm, cls, 0);
    Ok(())
}

fn set_module(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    set_special_in_dict(vm, cls_of(vm, v)?, "__module__", value)
}

fn get_bases(vm: &Vm, v: &Value) -> PyResult {
    let bases = td(cls_of(vm, v)?).bases.borrow().clone();
    Ok(vm.new_tuple(bases.into_iter().map(Value::Obj).collect()))
}

/// Recomputes the MRO (and caches) of `cls` and everything derived from it.
fn remro(vm: &Vm, cls: &PyRef, depth: u32) -> PyResult<()> {
    if depth > vm.recursion_limit.get() {
        return Err(vm.new_recursion_error("maximum recursion depth exceeded"));
    }
    let bases = td(cls).bases.borrow().clone();
    let mro = crate::types::type_new::compute_class_mro(vm, cls, &bases)?;
    // The old MRO is released after the caches are told (see `type_setattr_impl`).
    let _old = std::mem::replace(&mut *td(cls).mro.borrow_mut(), mro);
    bump_versions(vm, cls, 0);
    for s in live_subclasses(cls) {
        remro(vm, &s, depth + 1)?;
    }
    Ok(())
}

/// Is `target` among the bases of `from`, transitively, by the `__bases__`
/// lists? While a metaclass `mro()` runs inside a `__bases__` assignment the
/// MROs are not updated yet, but the lists are (CPython's check along
/// `tp_base` for the same reason).
fn reaches_through_bases(from: &PyRef, target: &PyRef) -> bool {
    let mut seen = std::collections::HashSet::new();
    let mut todo = vec![from.clone()];
    while let Some(t) = todo.pop() {
        if t.is(target) {
            return true;
        }
        if seen.insert(t.as_ptr() as usize) {
            todo.extend(td(&t).bases.borrow().iter().cloned());
        }
    }
    false
}

fn set_bases(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let cls = cls_of(vm, v)?;
    check_mutable(vm, cls, "__bases__", value.is_none())?;
    let value = match value {
        Some(x) => x,
        None => return Err(vm.new_type_error(format!("cannot delete '__bases__' attribute of immutable type '{}'", vm.type_name(cls)))),
    };
    let items = match value.payload().and_then(|p| p.as_tuple()) {
        Some(t) => t.to_vec(),
        None => {
            return Err(vm.new_type_error(format!(
                "can only assign tuple to {}.__bases__, not {}",
                vm.type_name(cls),
                vm.type_name_of(&value)
            )))
        }
    };
    if items.is_empty() {
        return Err(vm.new_type_error(format!("can only assign non-empty tuple to {}.__bases__, not ()", vm.type_name(cls))));
    }
    let mut new_bases = Vec::with_capacity(items.len());
    for it in &items {
        let b = match as_type_ref(it) {
            Some(b) => b.clone(),
            None => {
                return Err(vm.new_type_error(format!(
                    "{}.__bases__ must be tuple of classes, not '{}'",
                    vm.type_name(cls),
                    vm.type_name_of(it)
                )))
            }
        };
        if vm.is_subtype(&b, cls) || reaches_through_bases(&b, cls) {
            return Err(vm.new_type_error("a __bases__ item causes an inheritance cycle"));
        }
        new_bases.push(b);
    }
    let nb = crate::types::type_new::best_base(vm, &new_bases)?;
    let old_base = td(cls).base.clone().unwrap_or_else(|| vm.types.object.clone());
    if let Err(why) = crate::types::type_new::check_assignment_layout(vm, &old_base, &nb) {
        return Err(crate::types::type_new::assignment_error(vm, "__bases__ assignment", &old_base, &nb, why));
    }
    let old_bases = std::mem::replace(&mut *td(cls).bases.borrow_mut(), new_bases.clone());
    let result = remro(vm, cls, 0);
    // A metaclass `mro()` may have assigned `__bases__` again meanwhile:
    // that assignment did this bookkeeping (and stays, even when this one
    // fails), as in CPython.
    let replaced = {
        let now = td(cls).bases.borrow();
        now.len() != new_bases.len() || now.iter().zip(&new_bases).any(|(a, b)| !a.is(b))
    };
    if let Err(e) = result {
        if !replaced {
            *td(cls).bases.borrow_mut() = old_bases;
            let _ = remro(vm, cls, 0);
        }
        return Err(e);
    }
    if replaced {
        return Ok(());
    }
    for b in &old_bases {
        td(b).subclasses.borrow_mut().retain(|p| !std::ptr::eq(*p, cls.as_ptr()));
    }
    for b in &new_bases {
        td(b).subclasses.borrow_mut().push(cls.as_ptr());
    }
    // TODO: `__base__` keeps the original solid base (TypeData::base is fixed).
    vm.refresh_slots(cls);
    Ok(())
}

fn get_base(vm: &Vm, v: &Value) -> PyResult {
    let t = td(cls_of(vm, v)?);
    // `type` is made before `object` exists, so its base is only in `bases`.
    let b = t.base.clone().or_else(|| t.bases.borrow().first().cloned());
    Ok(b.map(Value::Obj).unwrap_or(Value::None))
}

fn get_mro(vm: &Vm, v: &Value) -> PyResult {
    let mro = td(cls_of(vm, v)?).mro.borrow().clone();
    if mro.is_empty() {
        // A class whose metaclass `mro()` is still running.
        return Ok(Value::None);
    }
    Ok(vm.new_tuple(mro.into_iter().map(Value::Obj).collect()))
}

fn get_dict(vm: &Vm, v: &Value) -> PyResult {
    Ok(vm.new_mappingproxy(Value::Obj(td(cls_of(vm, v)?).dict.clone())))
}

fn get_doc(vm: &Vm, v: &Value) -> PyResult {
    let cls = cls_of(vm, v)?;
    let t = td(cls);
    if cls.is(&vm.types.type_) {
        // type's own dict holds the `__doc__` getset for classes.
        return Ok(vm.new_str(TYPE_DOC));
    }
    if !t.is_heap() {
        // A str in the dict (see `fill_docs`), else the static doc; a
        // `__doc__` descriptor there (property's) is for instances.
        if let Some(d) = vm.dict_get_str(&t.dict, &vm.intern("__doc__")) {
            if vm.as_str(&d).is_some() {
                return Ok(d);
            }
        }
        return Ok(static_doc(vm, cls).map(|d| vm.new_str(d)).unwrap_or(Value::None));
    }
    match vm.dict_get_str(&t.dict, &vm.intern("__doc__")) {
        Some(d) => vm.descr_get(&d, None, cls),
        None => Ok(Value::None),
    }
}

fn set_doc(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    set_special_in_dict(vm, cls_of(vm, v)?, "__doc__", value)
}

fn no_annotations(vm: &Vm, cls: &PyRef) -> crate::PyErr {
    vm.new_attribute_error(format!("type object '{}' has no attribute '__annotations__'", vm.type_name(cls)))
}

fn get_annotations(vm: &Vm, v: &Value) -> PyResult {
    let cls = cls_of(vm, v)?;
    let t = td(cls);
    if !t.is_heap() {
        return Err(no_annotations(vm, cls));
    }
    let key = vm.intern("__annotations__");
    match vm.dict_get_str(&t.dict, &key) {
        Some(a) => vm.descr_get(&a, None, cls),
        None => {
            let d = Value::Obj(vm.new_dict());
            vm.dict_set_str(&t.dict, &key, d.clone());
            vm.type_modified(cls);
            Ok(d)
        }
    }
}

fn set_annotations(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let cls = cls_of(vm, v)?;
    if !td(cls).is_heap() {
        return Err(vm.new_type_error(format!(
            "cannot set '__annotations__' attribute of immutable type '{}'",
            vm.type_name(cls)
        )));
    }
    let deleting = value.is_none();
    set_in_dict(vm, cls, "__annotations__", value).map_err(|e| if deleting { no_annotations(vm, cls) } else { e })
}

fn get_abstractmethods(vm: &Vm, v: &Value) -> PyResult {
    let cls = cls_of(vm, v)?;
    if !cls.is(&vm.types.type_) {
        if let Some(a) = vm.dict_get_str(&td(cls).dict, &vm.intern("__abstractmethods__")) {
            return Ok(a);
        }
    }
    Err(vm.new_attribute_error("__abstractmethods__"))
}

fn set_abstractmethods(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let cls = cls_of(vm, v)?;
    let abstract_ = match &value {
        Some(x) => vm.truthy(x)?,
        None => false,
    };
    let key = vm.intern("__abstractmethods__");
    // Released only after the caches are told (see `type_setattr_impl`).
    let _old = vm.dict_get_str(&td(cls).dict, &key);
    match value {
        Some(x) => vm.dict_set_str(&td(cls).dict, &key, x),
        None => {
            if vm.dict_remove(&td(cls).dict, &Value::Obj(key))?.is_none() {
                return Err(vm.new_attribute_error("__abstractmethods__"));
            }
        }
    }
    let t = td(cls);
    let f = t.flags.get() & !type_flags::IS_ABSTRACT;
    t.flags.set(if abstract_ { f | type_flags::IS_ABSTRACT } else { f });
    bump_versions(vm, cls, 0);
    Ok(())
}

/// `__text_signature__` of a class: from the header of a builtin type's doc
/// (see `split_doc`); heap classes have none.
fn get_text_signature(vm: &Vm, v: &Value) -> PyResult {
    let cls = cls_of(vm, v)?;
    let t = td(cls);
    if t.is_heap() {
        return Ok(Value::None);
    }
    let name = vm.type_name(cls);
    let short = name.rsplit('.').next().unwrap_or(&name);
    match t.doc.or_else(|| builtin_type_doc(vm, cls)).and_then(|d| split_doc(short, d).0) {
        Some(sig) => Ok(vm.new_str(sig)),
        None => Ok(Value::None),
    }
}

/// `__dictoffset__`: not modelled (None).
fn get_dictoffset(_vm: &Vm, _v: &Value) -> PyResult {
    Ok(Value::None)
}

fn get_flags(vm: &Vm, v: &Value) -> PyResult {
    // CPython's Py_TPFLAGS_HEAPTYPE / BASETYPE / HAVE_GC values, for code that tests them.
    let t = td(cls_of(vm, v)?);
    let mut f: i64 = 0;
    if t.is_heap() {
        f |= 1 << 9;
    }
    if t.has_flag(type_flags::BASETYPE) {
        f |= 1 << 10;
    }
    if t.has_flag(type_flags::IS_ABSTRACT) {
        f |= 1 << 20;
    }
    Ok(Value::Int(f))
}

static TYPE_GETSETS: [GetSetDef; 13] = [
    GetSetDef { name: "__name__", get: get_name, set: Some(set_name), doc: "" },
    GetSetDef { name: "__qualname__", get: get_qualname, set: Some(set_qualname), doc: "" },
    GetSetDef { name: "__module__", get: get_module, set: Some(set_module), doc: "" },
    GetSetDef { name: "__bases__", get: get_bases, set: Some(set_bases), doc: "" },
    GetSetDef { name: "__base__", get: get_base, set: None, doc: "" },
    GetSetDef { name: "__mro__", get: get_mro, set: None, doc: "" },
    GetSetDef { name: "__dict__", get: get_dict, set: None, doc: "" },
    GetSetDef { name: "__doc__", get: get_doc, set: Some(set_doc), doc: "" },
    GetSetDef { name: "__annotations__", get: get_annotations, set: Some(set_annotations), doc: "" },
    GetSetDef { name: "__abstractmethods__", get: get_abstractmethods, set: Some(set_abstractmethods), doc: "" },
    GetSetDef { name: "__text_signature__", get: get_text_signature, set: None, doc: "" },
    GetSetDef { name: "__flags__", get: get_flags, set: None, doc: "" },
    GetSetDef { name: "__dictoffset__", get: get_dictoffset, set: None, doc: "" },
];

// ---------------------------------------------------------------------------
// mappingproxy

impl Vm {
    /// A read-only view of `mapping` (a class's `__dict__`).
    pub fn new_mappingproxy(&self, mapping: Value) -> Value {
        Value::Obj(PyRef::new(self.types.mappingproxy.clone(), Payload::MappingProxy(mapping)))
    }
}

fn proxied(vm: &Vm, args: &Args) -> PyResult<Value> {
    match args.args.first().and_then(|v| v.payload()) {
        Some(Payload::MappingProxy(m)) => Ok(m.clone()),
        _ => Err(vm.new_type_error("descriptor requires a 'mappingproxy' object")),
    }
}

fn mp_new(vm: &Vm, args: Args) -> PyResult {
    let rest = Args::with_kw(&args.args[1.min(args.args.len())..], args.kwnames);
    let a = vm.bind_native("mappingproxy", rest, &["mapping"], 0, 1, None)?;
    let m = a[0].clone().unwrap_or(Value::None);
    let is_seq = matches!(m.payload().map(|p| p.base()), Some(Payload::List(_)) | Some(Payload::Tuple(_)));
    // CPython asks only for `__getitem__` (PyMapping_Check).
    if is_seq || vm.special(&m, Slot::GetItem).is_none() {
        return Err(vm.new_type_error(format!("mappingproxy() argument must be a mapping, not {}", vm.type_name_of(&m))));
    }
    Ok(vm.new_mappingproxy(m))
}

fn mp_getitem(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__getitem__", args, 2, 2)?;
    vm.getitem(&proxied(vm, &args)?, &args.args[1])
}

fn mp_get(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("get", args, 2, 3)?;
    let m = proxied(vm, &args)?;
    let default = args.args.get(2).cloned().unwrap_or(Value::None);
    if let Value::Obj(d) = &m {
        if d.payload.as_dict().is_some() {
            return Ok(vm.dict_get(d, &args.args[1])?.unwrap_or(default));
        }
    }
    vm.call_method(&m, "get", &[args.args[1].clone(), default])
}

fn mp_delegate(vm: &Vm, args: &Args, name: &str) -> PyResult {
    vm.check_arity(name, *args, 1, 1)?;
    vm.call_method(&proxied(vm, args)?, name, &[])
}
fn mp_keys(vm: &Vm, args: Args) -> PyResult {
    mp_delegate(vm, &args, "keys")
}
fn mp_values(vm: &Vm, args: Args) -> PyResult {
    mp_delegate(vm, &args, "values")
}
fn mp_items(vm: &Vm, args: Args) -> PyResult {
    mp_delegate(vm, &args, "items")
}
fn mp_copy(vm: &Vm, args: Args) -> PyResult {
    mp_delegate(vm, &args, "copy")
}

fn mp_contains(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__contains__", args, 2, 2)?;
    Ok(Value::Bool(vm.contains(&proxied(vm, &args)?, &args.args[1])?))
}

fn mp_iter(vm: &Vm, args: Args) -> PyResult {
    vm.iter(&proxied(vm, &args)?)
}

fn mp_len(vm: &Vm, args: Args) -> PyResult {
    Ok(Value::Int(vm.len(&proxied(vm, &args)?)? as i64))
}

fn mp_repr(vm: &Vm, args: Args) -> PyResult {
    let m = proxied(vm, &args)?;
    Ok(vm.new_str(format!("mappingproxy({})", vm.repr_string(&m)?)))
}

fn mp_str(vm: &Vm, args: Args) -> PyResult {
    Ok(Value::Obj(vm.str(&proxied(vm, &args)?)?))
}

fn mp_eq(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__eq__", args, 2, 2)?;
    vm.compare(&proxied(vm, &args)?, &args.args[1], krait_compiler::bytecode::CmpOp::Eq)
}

static MAPPINGPROXY_METHODS: [NativeDef; 13] = [
    NativeDef::staticmethod("__new__", mp_new),
    NativeDef::method("__getitem__", mp_getitem),
    NativeDef::method("get", mp_get),
    NativeDef::method("keys", mp_keys),
    NativeDef::method("values", mp_values),
    NativeDef::method("items", mp_items),
    NativeDef::method("copy", mp_copy),
    NativeDef::method("__contains__", mp_contains),
    NativeDef::method("__iter__", mp_iter),
    NativeDef::method("__len__", mp_len),
    NativeDef::method("__repr__", mp_repr),
    NativeDef::method("__str__", mp_str),
    NativeDef::method("__eq__", mp_eq),
];

const OBJECT_DOC: &str = "object()\n--\n\nThe base class of the class hierarchy.\n\nWhen called, it accepts no arguments and returns a new featureless\ninstance that has no instance attributes and cannot be given any.\n";
const TYPE_DOC: &str = "type(object) -> the object's type\ntype(name, bases, dict, **kwds) -> a new type";

/// The raw docs (with CPython's signature header where CPython has one) of
/// the builtin types whose `TypeData::doc` is unset.
fn builtin_type_doc(vm: &Vm, cls: &PyRef) -> Option<&'static str> {
    let t = &vm.types;
    let docs: [(&PyRef, &'static str); 25] = [
        (&t.object, OBJECT_DOC),
        (&t.int, "int([x]) -> integer\nint(x, base=10) -> integer\n\nConvert a number or string to an integer."),
        (&t.bool_, "bool(x) -> bool\n\nTrue when the argument is true, False otherwise."),
        (&t.float, "float(x=0, /)\n--\n\nConvert a string or number to a floating point number, if possible."),
        (&t.complex, "complex(real=0, imag=0)\n--\n\nCreate a complex number from a real part and an optional imaginary part."),
        (&t.str, "str(object='') -> str\nstr(bytes_or_buffer[, encoding[, errors]]) -> str\n\nMake a string from the object."),
        (&t.bytes, "bytes(iterable_of_ints) -> bytes\nbytes(string, encoding[, errors]) -> bytes\nbytes(bytes_or_buffer) -> \
                    immutable copy of bytes_or_buffer\nbytes(int) -> bytes object of size given by the parameter initialized with null bytes\n\
                    bytes() -> empty bytes object\n\nMake an immutable array of bytes."),
        (&t.bytearray, "bytearray(iterable_of_ints) -> bytearray\nbytearray(string, encoding[, errors]) -> bytearray\n\
                        bytearray(bytes_or_buffer) -> mutable copy of bytes_or_buffer\nbytearray(int) -> bytes array of size \
                        given by the parameter initialized with null bytes\nbytearray() -> empty bytes array\n\nMake a mutable array of bytes."),
        (&t.tuple, "tuple(iterable=(), /)\n--\n\nBuilt-in immutable sequence."),
        (&t.list, "list(iterable=(), /)\n--\n\nBuilt-in mutable sequence."),
        (&t.dict, "dict() -> new empty dictionary\ndict(mapping) -> new dictionary from a mapping's pairs\n\
                   dict(iterable) -> new dictionary from (key, value) pairs\ndict(**kwargs) -> new dictionary of the keyword arguments"),
        (&t.set, "set() -> new empty set object\nset(iterable) -> new set object\n\nBuild an unordered collection of unique elements."),
        (&t.frozenset, "frozenset() -> empty frozenset object\nfrozenset(iterable) -> frozenset object\n\n\
                        Build an immutable unordered collection of unique elements."),
        (&t.range, "range(stop) -> range object\nrange(start, stop[, step]) -> range object\n\n\
                    Return an object that produces a sequence of integers from start to stop by step."),
        (&t.slice, "slice(stop)\nslice(start, stop[, step])\n\nCreate a slice object, used for extended slicing."),
        (&t.property, "property(fget=None, fset=None, fdel=None, doc=None)\n--\n\nProperty attribute."),
        (&t.staticmethod, "staticmethod(function) -> method\n\nConvert a function to be a static method."),
        (&t.classmethod, "classmethod(function) -> method\n\nConvert a function to be a class method."),
        (&t.super_, "super() -> same as super(__class__, <first argument>)\nsuper(type) -> unbound super object\n\
                     super(type, obj) -> bound super object; requires isinstance(obj, type)\n\
                     super(type, type2) -> bound super object; requires issubclass(type2, type)"),
        (&t.enumerate, "enumerate(iterable, start=0)\n--\n\nReturn an enumerate object, yielding (index, item) pairs."),
        (&t.zip, "zip(*iterables, strict=False) --> Yield tuples until an input is exhausted."),
        (&t.map, "map(func, *iterables) --> map object\n\nApply func to the items of the iterables in turn."),
        (&t.filter, "filter(function or None, iterable) --> filter object\n\nYield the items of the iterable for which function(item) is true."),
        (&t.reversed, "reversed(sequence, /)\n--\n\nReturn a reverse iterator over the values of the given sequence."),
        (&t.memoryview, "memoryview(object)\n--\n\nCreate a new memoryview object which references the given object."),
    ];
    docs.iter().find(|(t, _)| t.is(cls)).map(|(_, d)| *d)
}

/// A builtin type's `__doc__`: its static doc without the signature header.
fn static_doc(vm: &Vm, cls: &PyRef) -> Option<&'static str> {
    let raw = td(cls).doc.or_else(|| builtin_type_doc(vm, cls))?;
    let name = vm.type_name(cls);
    let (_, doc) = split_doc(name.rsplit('.').next().unwrap_or(&name), raw);
    Some(doc).filter(|d| !d.is_empty())
}

/// Gives every builtin type a `__doc__` in its dict (its static doc or
/// None), as CPython's builtin types all have one: `x.__doc__` on an
/// instance must not fall through to `object.__doc__`.
pub fn fill_docs(vm: &Vm) {
    let key = vm.intern("__doc__");
    let mut all = vm.types.all();
    all.push(vm.types.object.clone());
    all.extend(vm.exc.all());
    for t in all {
        let d = td(&t);
        if vm.dict_get_str(&d.dict, &key).is_none() {
            let doc = static_doc(vm, &t).map(|s| vm.new_str(s)).unwrap_or(Value::None);
            vm.dict_set_str(&d.dict, &key, doc);
            vm.type_modified(&t);
        }
    }
}

pub fn init(vm: &Vm) {
    use crate::types::{add_getsets, add_methods};
    add_methods(vm, &vm.types.type_, &TYPE_METHODS);
    add_getsets(vm, &vm.types.type_, &TYPE_GETSETS);
    add_methods(vm, &vm.types.mappingproxy, &MAPPINGPROXY_METHODS);
}
