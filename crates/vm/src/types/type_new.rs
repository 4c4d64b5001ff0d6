//! `type.__new__(mcls, name, bases, ns, **kw)`: making a class.
//!
//! The order follows CPython's `type_new` so that the same error wins when a
//! definition has several problems: argument checks, MRO-entry check,
//! metaclass calculation (deferring to a more derived metaclass's `__new__`),
//! best base and layout, `__slots__`, the namespace copy (`__module__`,
//! `__qualname__`, `__classcell__`, implicit staticmethod/classmethod,
//! `__hash__ = None` next to `__eq__`), the MRO (a metaclass `mro()` is
//! honoured), the special-method cache, `__set_name__` and finally the
//! parent's `__init_subclass__`.

use crate::object::PyRef;
use crate::payload::{MemberDescr, Payload};
use crate::types::object::{as_type_ref, is_object_native, new_target, DICT_GETSET, WEAKREF_GETSET};
use crate::types::typeobj::{empty_slots, type_flags, Layout, TypeData};
use crate::value::Value;
use crate::{Args, PyResult, Vm};
use std::cell::{Cell, RefCell};

/// The most derived metaclass among `meta` and the metaclasses of `bases`.
pub fn calculate_metaclass(vm: &Vm, meta: &PyRef, bases: &[Value]) -> PyResult<PyRef> {
    let mut winner = meta.clone();
    for b in bases {
        let t = vm.type_of(b);
        if vm.is_subtype(&winner, &t) {
            continue;
        }
        if vm.is_subtype(&t, &winner) {
            winner = t;
            continue;
        }
        return Err(vm.new_type_error(
            "metaclass conflict: the metaclass of a derived class must be a (non-strict) subclass of the metaclasses of all its bases",
        ));
    }
    Ok(winner)
}

/// Do instances of `t` carry more than those of its base (slots, a
/// different builtin payload, or a `__dict__` added to a variable-size
/// builtin such as tuple, which CPython stores inside the object)? Such a
/// type is its own "solid base". (An added `__weakref__`, or a `__dict__` on
/// a fixed-size base, lives outside the slots and does not count.)
fn adds_layout(t: &TypeData) -> bool {
    match &t.base {
        None => true,
        Some(b) => {
            let bt = b.payload.as_type().unwrap();
            bt.layout != t.layout
                || bt.slot_names.len() != t.slot_names.len()
                || (has_itemsize(t.layout) && bt.has_flag(type_flags::HAS_DICT) != t.has_flag(type_flags::HAS_DICT))
        }
    }
}

/// Do instances of `t` have exactly the memory shape of its base's (CPython's
/// `compatible_with_tp_base`: same size, same dict and weakref places)?
fn same_shape_as_base(t: &TypeData) -> Option<&PyRef> {
    let b = t.base.as_ref()?;
    let bt = b.payload.as_type().unwrap();
    let same = bt.layout == t.layout
        && bt.slot_names.len() == t.slot_names.len()
        && bt.has_flag(type_flags::HAS_DICT) == t.has_flag(type_flags::HAS_DICT)
        && bt.has_flag(type_flags::HAS_WEAKREF) == t.has_flag(type_flags::HAS_WEAKREF);
    same.then_some(b)
}

/// What class `t` adds to its base's instances, in CPython's terms: the
/// number of words (slots, a weakref list, a dict inside a variable-size
/// object), whether the weakref list comes first (no new slots), and the
/// new slot names when the class declared `__slots__`.
fn added_words(vm: &Vm, t: &TypeData, base: &TypeData) -> (usize, bool, Option<Vec<String>>) {
    let new_slots = t.slot_names.len().saturating_sub(base.slot_names.len());
    let weak = t.has_flag(type_flags::HAS_WEAKREF) && !base.has_flag(type_flags::HAS_WEAKREF);
    let inline_dict =
        t.has_flag(type_flags::HAS_DICT) && !base.has_flag(type_flags::HAS_DICT) && has_itemsize(base.layout);
    let declared = vm.dict_get_str(&t.dict, &vm.intern("__slots__")).is_some();
    let names = declared.then(|| {
        t.slot_names[base.slot_names.len().min(t.slot_names.len())..]
            .iter()
            .map(|n| n.payload.as_str().map(|s| s.as_str().to_string()).unwrap_or_default())
            .collect()
    });
    (new_slots + weak as usize + inline_dict as usize, weak && new_slots == 0, names)
}

/// Does the `__dict__` of `t`'s instances live outside the object (CPython
/// 3.11's "managed dict": added by a class statement to a fixed-size base)?
fn has_managed_dict(t: &PyRef) -> bool {
    let mut cur = t.clone();
    loop {
        let ct = cur.payload.as_type().unwrap();
        if !ct.has_flag(type_flags::HAS_DICT) {
            return false;
        }
        match &ct.base {
            Some(b) if b.payload.as_type().unwrap().has_flag(type_flags::HAS_DICT) => cur = b.clone(),
            Some(b) => return ct.is_heap() && !has_itemsize(b.payload.as_type().unwrap().layout),
            None => return false,
        }
    }
}

/// Are instances of `t` tracked by CPython's cycle collector (which decides
/// the deallocator)? Classes and containers are; numbers, strings and bare
/// `object` are not.
fn is_gc_type(t: &TypeData) -> bool {
    if t.is_heap() {
        return true;
    }
    match t.layout {
        Layout::Int | Layout::Bool | Layout::Float | Layout::Complex | Layout::Str | Layout::Bytes | Layout::ByteArray => {
            false
        }
        Layout::Object => t.base.is_some(),
        _ => true,
    }
}

/// May an instance of `old` become an instance of `new` (`__class__` and
/// `__bases__` assignment)? CPython's `compatible_for_assignment`: below the
/// classes that add nothing, both must be the same class, or siblings that
/// add the same slots in the same way. Err is the complaint, formatted as
/// "{what}: '{new}' {complaint} '{old}'" by [`assignment_error`].
pub(crate) fn check_assignment_layout(vm: &Vm, old: &PyRef, new: &PyRef) -> Result<(), &'static str> {
    if is_gc_type(old.payload.as_type().unwrap()) != is_gc_type(new.payload.as_type().unwrap()) {
        return Err("deallocator differs from");
    }
    if compatible_for_assignment(vm, old, new) {
        Ok(())
    } else {
        Err("object layout differs from")
    }
}

/// The TypeError for `what` ("__class__ assignment") when
/// [`check_assignment_layout`] refuses.
pub(crate) fn assignment_error(vm: &Vm, what: &str, old: &PyRef, new: &PyRef, complaint: &str) -> crate::PyErr {
    vm.new_type_error(format!("{what}: '{}' {complaint} '{}'", vm.type_name(new), vm.type_name(old)))
}

fn compatible_for_assignment(vm: &Vm, old: &PyRef, new: &PyRef) -> bool {
    let root = |t: &PyRef| {
        let mut cur = t.clone();
        while let Some(b) = same_shape_as_base(cur.payload.as_type().unwrap()) {
            cur = b.clone();
        }
        cur
    };
    let (nb, ob) = (root(new), root(old));
    if !nb.is(&ob) {
        let (nt, ot) = (nb.payload.as_type().unwrap(), ob.payload.as_type().unwrap());
        let base = match (&nt.base, &ot.base) {
            (Some(x), Some(y)) if x.is(y) => x.payload.as_type().unwrap(),
            _ => return false,
        };
        if !nt.is_heap() || !ot.is_heap() {
            return false;
        }
        let (nsize, nweak_first, nnames) = added_words(vm, nt, base);
        let (osize, oweak_first, onames) = added_words(vm, ot, base);
        let mut size = (nweak_first && oweak_first) as usize;
        if let (Some(a), Some(b)) = (&nnames, &onames) {
            if a != b {
                return false;
            }
            size += a.len();
        }
        if size != nsize || size != osize {
            return false;
        }
    }
    has_managed_dict(old) == has_managed_dict(new)
}

/// The class whose instance layout `typ`'s instances have.
pub(crate) fn solid_base(typ: &PyRef) -> PyRef {
    let mut cur = typ.clone();
    loop {
        let t = cur.payload.as_type().unwrap();
        if adds_layout(t) {
            return cur;
        }
        match &t.base {
            Some(b) => cur = b.clone(),
            None => return cur,
        }
    }
}

/// `__base__` of a class with these bases: the base with the most derived
/// solid base ("multiple bases have instance lay-out conflict" if two are
/// unrelated).
pub(crate) fn best_base(vm: &Vm, bases: &[PyRef]) -> PyResult<PyRef> {
    let mut base: Option<PyRef> = None;
    let mut winner: Option<PyRef> = None;
    for b in bases {
        let bt = b.payload.as_type().unwrap();
        if bt.mro.borrow().is_empty() {
            return Err(vm.new_type_error(format!("Cannot extend an incomplete type '{}'", bt.name())));
        }
        if !bt.has_flag(type_flags::BASETYPE) {
            return Err(vm.new_type_error(format!("type '{}' is not an acceptable base type", bt.name())));
        }
        let candidate = solid_base(b);
        match &winner {
            None => {
                winner = Some(candidate);
                base = Some(b.clone());
            }
            Some(w) if vm.is_subtype(w, &candidate) => {}
            Some(w) if vm.is_subtype(&candidate, w) => {
                winner = Some(candidate);
                base = Some(b.clone());
            }
            Some(_) => return Err(vm.new_type_error("multiple bases have instance lay-out conflict")),
        }
    }
    base.ok_or_else(|| vm.new_type_error("bases must be types"))
}

/// Instances of these layouts have variable size: no `__slots__` or weakrefs.
fn has_itemsize(layout: Layout) -> bool {
    matches!(layout, Layout::Int | Layout::Bool | Layout::Bytes | Layout::Tuple | Layout::Type)
}

/// Private name mangling of a slot name in class `cls_name` (`__x` -> `_C__x`).
pub(crate) fn mangle(cls_name: &str, name: &str) -> String {
    if !name.starts_with("__") || name.ends_with("__") || name.contains('.') {
        return name.to_string();
    }
    let stripped = cls_name.trim_start_matches('_');
    if stripped.is_empty() {
        return name.to_string();
    }
    format!("_{stripped}{name}")
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c == '_' || c.is_alphabetic() => {}
        _ => return false,
    }
    chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// What `__slots__` asks for: new slot names (mangled, sorted) and whether
/// the class adds a `__dict__` and a `__weakref__`.
struct SlotsPlan {
    names: Vec<String>,
    add_dict: bool,
    add_weak: bool,
}

fn plan_slots(vm: &Vm, name: &str, ns: &PyRef, base: &TypeData) -> PyResult<SlotsPlan> {
    // Type objects and modules already have a dict and weakref support of
    // their own (their builtin flags do not say so).
    let own_dict = matches!(base.layout, Layout::Type | Layout::Module);
    let may_add_dict = !base.has_flag(type_flags::HAS_DICT) && !own_dict;
    let may_add_weak = !base.has_flag(type_flags::HAS_WEAKREF) && !has_itemsize(base.layout) && !own_dict;
    let slots = match vm.dict_get_str(ns, &vm.intern("__slots__")) {
        None => return Ok(SlotsPlan { names: Vec::new(), add_dict: may_add_dict, add_weak: may_add_weak }),
        Some(s) => s,
    };
    let items = if vm.as_str(&slots).is_some() { vec![slots] } else { vm.collect_iter(&slots)? };
    if !items.is_empty() && has_itemsize(base.layout) {
        return Err(vm.new_type_error(format!("nonempty __slots__ not supported for subtype of '{}'", base.name())));
    }
    // First every name is checked, then (a second pass, as CPython) the
    // mangled names are checked against the class namespace.
    let (mut add_dict, mut add_weak) = (false, false);
    let mut strs = Vec::with_capacity(items.len());
    for item in &items {
        let s = match vm.as_str(item) {
            Some(s) => s,
            None => {
                return Err(vm.new_type_error(format!(
                    "__slots__ items must be strings, not '{}'",
                    vm.type_name_of(item)
                )))
            }
        };
        if !is_identifier(s) {
            return Err(vm.new_type_error("__slots__ must be identifiers"));
        }
        if s == "__dict__" {
            if !may_add_dict || add_dict {
                return Err(vm.new_type_error("__dict__ slot disallowed: we already got one"));
            }
            add_dict = true;
        } else if s == "__weakref__" {
            if !may_add_weak || add_weak {
                return Err(vm.new_type_error(
                    "__weakref__ slot disallowed: either we already got one, or __itemsize__ != 0",
                ));
            }
            add_weak = true;
        } else {
            strs.push(s);
        }
    }
    let mut names = Vec::with_capacity(strs.len());
    for s in strs {
        let m = mangle(name, s);
        // `__qualname__` and `__classcell__` leave the namespace before the
        // class is made, so they are no class variables.
        if m != "__qualname__" && m != "__classcell__" && vm.dict_get_str(ns, &vm.intern(&m)).is_some() {
            return Err(vm.new_value_error(format!("'{m}' in __slots__ conflicts with class variable")));
        }
        names.push(m);
    }
    names.sort();
    Ok(SlotsPlan { names, add_dict, add_weak })
}

/// The module name of the code defining a class (`__name__` of the running
/// frame's globals).
fn caller_module_name(vm: &Vm) -> Option<Value> {
    let g = vm.current_globals().filter(|g| g.payload.as_dict().is_some())?;
    vm.dict_get_str(&g, &vm.intern("__name__"))
}

/// Parses the arguments of `type.__new__` and dispatches to a more derived
/// metaclass; then builds the class.
pub(crate) fn type_new(vm: &Vm, args: Args) -> PyResult {
    let mcls = new_target(vm, "type", &args, &vm.types.type_)?;
    let pos = args.positional();
    if pos.len() != 4 {
        return Err(vm.new_type_error(format!("type.__new__() takes exactly 3 arguments ({} given)", pos.len() - 1)));
    }
    let name = match vm.as_str(&pos[1]) {
        Some(s) => s.to_string(),
        None => {
            return Err(vm.new_type_error(format!(
                "type.__new__() argument 1 must be str, not {}",
                vm.type_name_of(&pos[1])
            )))
        }
    };
    let bases: Vec<Value> = match pos[2].payload().and_then(|p| p.as_tuple()) {
        Some(t) => t.to_vec(),
        None => {
            return Err(vm.new_type_error(format!(
                "type.__new__() argument 2 must be tuple, not {}",
                vm.type_name_of(&pos[2])
            )))
        }
    };
    let ns = match &pos[3] {
        Value::Obj(o) if o.payload.as_dict().is_some() => o.clone(),
        other => {
            return Err(vm.new_type_error(format!(
                "type.__new__() argument 3 must be dict, not {}",
                vm.type_name_of(other)
            )))
        }
    };
    for b in &bases {
        if as_type_ref(b).is_none() && vm.getattr_opt(b, "__mro_entries__")?.is_some() {
            return Err(vm.new_type_error("type() doesn't support MRO entry resolution; use types.new_class()"));
        }
    }
    let winner = calculate_metaclass(vm, &mcls, &bases)?;
    if !winner.is(&mcls) {
        let wnew = winner.payload.as_type().unwrap().slot(crate::types::typeobj::Slot::New);
        let is_type_new = matches!(wnew.as_ref().and_then(|f| f.payload()),
            Some(Payload::NativeMethod { def, owner }) if def.name == "__new__" && owner.is(&vm.types.type_));
        if !is_type_new {
            if let Some(f) = wnew {
                let f = vm.descr_get(&f, None, &winner)?;
                let mut a = vec![Value::Obj(winner.clone()), pos[1].clone(), pos[2].clone(), pos[3].clone()];
                a.extend_from_slice(&args.args[pos.len()..]);
                return vm.call(&f, Args::with_kw(&a, args.kwnames));
            }
        }
    }
    let mut base_types = Vec::with_capacity(bases.len());
    for b in &bases {
        match as_type_ref(b) {
            Some(t) => base_types.push(t.clone()),
            None => return Err(vm.new_type_error("bases must be types")),
        }
    }
    let kw: Vec<(Value, Value)> = args.keywords().map(|(k, v)| (k.clone(), v.clone())).collect();
    let cls = build_class(vm, &winner, &name, base_types, &ns)?;
    finish_class(vm, &cls, &kw)?;
    Ok(Value::Obj(cls))
}

/// Makes the class object: everything up to (not including) `__set_name__`
/// and `__init_subclass__`.
pub(crate) fn build_class(vm: &Vm, meta: &PyRef, name: &str, mut bases: Vec<PyRef>, ns: &PyRef) -> PyResult<PyRef> {
    if bases.is_empty() {
        bases.push(vm.types.object.clone());
    }
    let base = best_base(vm, &bases)?;
    let bt = base.payload.as_type().unwrap();
    let plan = plan_slots(vm, name, ns, bt)?;

    // The namespace copy.
    let dict = vm.new_dict();
    for (k, v) in vm.dict_items(ns) {
        vm.dict_set(&dict, k, v)?;
    }
    let key = |s: &str| vm.intern(s);
    if vm.dict_get_str(&dict, &key("__module__")).is_none() {
        if let Some(m) = caller_module_name(vm) {
            vm.dict_set_str(&dict, &key("__module__"), m);
        }
    }
    let qualname = match vm.dict_get_str(&dict, &key("__qualname__")) {
        Some(q) => match vm.as_str(&q) {
            Some(s) => {
                let s = s.to_string();
                vm.dict_remove(&dict, &Value::Obj(key("__qualname__")))?;
                s
            }
            None => {
                return Err(vm.new_type_error(format!("type __qualname__ must be a str, not {}", vm.type_name_of(&q))))
            }
        },
        None => name.to_string(),
    };
    let classcell = match vm.dict_get_str(&dict, &key("__classcell__")) {
        Some(c) => {
            if !matches!(c.payload(), Some(Payload::Cell(_))) {
                let r = vm.repr_string(&Value::Obj(vm.type_of(&c)))?;
                return Err(vm.new_type_error(format!("__classcell__ must be a nonlocal cell, not {r}")));
            }
            vm.dict_remove(&dict, &Value::Obj(key("__classcell__")))?;
            Some(c)
        }
        None => None,
    };
    // Implicit staticmethod / classmethod for plain functions.
    for (n, wrap_static) in [("__new__", true), ("__init_subclass__", false), ("__class_getitem__", false)] {
        if let Some(f) = vm.dict_get_str(&dict, &key(n)) {
            if matches!(f.payload(), Some(Payload::Function(_))) {
                let w = if wrap_static { vm.new_staticmethod(f) } else { vm.new_classmethod(f) };
                vm.dict_set_str(&dict, &key(n), w);
            }
        }
    }
    // A class that defines __eq__ without __hash__ is unhashable.
    if vm.dict_get_str(&dict, &key("__eq__")).is_some() && vm.dict_get_str(&dict, &key("__hash__")).is_none() {
        vm.dict_set_str(&dict, &key("__hash__"), Value::None);
    }

    let mut flags = type_flags::HEAPTYPE | type_flags::BASETYPE;
    flags |= bt.flags.get() & type_flags::EXCEPTION;
    // A `__dict__` or `__weakref__` of any base is inherited, not only the
    // best base's (CPython's inherit_slots copies the offsets along the MRO):
    // `class C(A, B)` with slotted A and plain B has instance dicts.
    for b in &bases {
        flags |= b.payload.as_type().unwrap().flags.get() & (type_flags::HAS_DICT | type_flags::HAS_WEAKREF);
    }
    if plan.add_dict {
        flags |= type_flags::HAS_DICT;
    }
    if plan.add_weak {
        flags |= type_flags::HAS_WEAKREF;
    }
    let first_new_slot = bt.slot_names.len();
    let mut slot_names = bt.slot_names.clone();
    slot_names.extend(plan.names.iter().map(|n| vm.intern(n)));
    // Instances keep their attributes inline when they have a `__dict__`
    // and are `Instance` payloads (exceptions, types and modules have
    // dicts of their own).
    let shared_keys = (flags & type_flags::HAS_DICT != 0
        && !matches!(bt.layout, Layout::Exception | Layout::Type | Layout::Module))
    .then(crate::instance_values::SharedKeys::new);
    let cls = PyRef::new(
        meta.clone(),
        Payload::Type(Box::new(TypeData {
            name: RefCell::new(name.to_string()),
            qualname: RefCell::new(qualname),
            bases: RefCell::new(bases.clone()),
            base: Some(base.clone()),
            mro: RefCell::new(Vec::new()),
            dict: dict.clone(),
            flags: Cell::new(flags),
            layout: bt.layout,
            slot_names,
            slots: empty_slots(),
            version: Cell::new(0),
            subclasses: RefCell::new(Vec::new()),
            doc: None,
            native_new: bt.native_new,
            shared_keys,
        })),
    );
    // The descriptors do not replace what the namespace copy now holds
    // (`__module__`, or `__dict__` given as a class variable).
    for (i, n) in plan.names.iter().enumerate() {
        if vm.dict_get_str(&dict, &key(n)).is_some() {
            continue;
        }
        let d = MemberDescr { name: vm.intern(n), index: first_new_slot + i, owner: cls.clone() };
        let d = PyRef::new(vm.types.member_descriptor.clone(), Payload::MemberDescr(Box::new(d)));
        vm.dict_set_str(&dict, &key(n), Value::Obj(d));
    }
    for (add, def) in [(plan.add_dict, &DICT_GETSET), (plan.add_weak, &WEAKREF_GETSET)] {
        if add && vm.dict_get_str(&dict, &key(def.name)).is_none() {
            let d = PyRef::new(vm.types.getset_descriptor.clone(), Payload::GetSetDescr { def, owner: cls.clone() });
            vm.dict_set_str(&dict, &key(def.name), Value::Obj(d));
        }
    }
    if vm.dict_get_str(&dict, &key("__doc__")).is_none() {
        vm.dict_set_str(&dict, &key("__doc__"), Value::None);
    }

    let mro = compute_class_mro(vm, &cls, &bases)?;
    *cls.payload.as_type().unwrap().mro.borrow_mut() = mro;
    crate::types::type_methods::register_class(&cls);
    for b in &bases {
        // Raw pointers, owning nothing: a freed class takes itself out of
        // its bases' lists (`Drop for TypeData`, through `register_class`).
        b.payload.as_type().unwrap().subclasses.borrow_mut().push(cls.as_ptr());
    }
    vm.refresh_slots(&cls);
    if let Some(Value::Obj(c)) = classcell {
        if let Payload::Cell(cell) = &c.payload {
            cell.set(Some(Value::Obj(cls.clone())));
        }
    }
    Ok(cls)
}

/// Checks bases for duplicates, then linearises: the metaclass's own `mro()`
/// when it overrides `type.mro`, else C3.
pub(crate) fn compute_class_mro(vm: &Vm, cls: &PyRef, bases: &[PyRef]) -> PyResult<Vec<PyRef>> {
    for (i, b) in bases.iter().enumerate() {
        if bases[..i].iter().any(|x| x.is(b)) {
            return Err(vm.new_type_error(format!("duplicate base class {}", vm.type_name(b))));
        }
    }
    let meta = cls.class();
    if !meta.is(&vm.types.type_) {
        let m = vm.type_lookup_str(meta, "mro");
        let native = matches!(m.as_ref().and_then(|f| f.payload()),
            Some(Payload::NativeMethod { owner, .. }) if owner.is(&vm.types.type_));
        if m.is_some() && !native {
            // A new class has no MRO yet while `mro()` runs (`__mro__` is
            // None, as in CPython); a reassignment of `__bases__` keeps the old.
            let r = vm.call_method(&Value::Obj(cls.clone()), "mro", &[])?;
            let items = vm.collect_iter(&r)?;
            let solid = solid_base(cls);
            let mut out = Vec::with_capacity(items.len());
            for it in items {
                let t = match as_type_ref(&it) {
                    Some(t) => t.clone(),
                    None => {
                        return Err(vm.new_type_error(format!(
                            "mro() returned a non-class ('{}')",
                            vm.type_name_of(&it)
                        )))
                    }
                };
                if !vm.is_subtype(&solid, &solid_base(&t)) {
                    return Err(vm.new_type_error(format!(
                        "mro() returned base with unsuitable layout ('{}')",
                        vm.type_name(&t)
                    )));
                }
                out.push(t);
            }
            return Ok(out);
        }
    }
    vm.compute_mro(cls, bases)
}

/// After the class exists: `__set_name__` on its attributes, then the
/// parent's `__init_subclass__(**kw)`.
pub(crate) fn finish_class(vm: &Vm, cls: &PyRef, kw: &[(Value, Value)]) -> PyResult<()> {
    let dict = cls.payload.as_type().unwrap().dict.clone();
    let clsv = Value::Obj(cls.clone());
    for (k, v) in vm.dict_items(&dict) {
        let f = match vm.special(&v, crate::types::typeobj::Slot::SetName) {
            Some(f) => f,
            None => continue,
        };
        if let Err(e) = vm.call_unbound(&f, &v, &[clsv.clone(), k.clone()]) {
            let msg = format!(
                "Error calling __set_name__ on '{}' instance {} in '{}'",
                vm.type_name_of(&v),
                vm.repr_string(&k)?,
                vm.type_name(cls)
            );
            return Err(crate::eval::unwind::with_cause(vm.new_runtime_error(msg), e));
        }
    }
    // super(cls, cls).__init_subclass__(**kw): the classes after `cls` in
    // its MRO, which a metaclass `mro()` may have left out.
    let mro = cls.payload.as_type().unwrap().mro.borrow().clone();
    let Some(at) = mro.iter().position(|c| c.is(cls)) else {
        return Err(vm.new_type_error("super(type, obj): obj must be an instance or subtype of type"));
    };
    let name = vm.intern("__init_subclass__");
    for c in mro.iter().skip(at + 1) {
        if let Some(f) = vm.dict_get_str(&c.payload.as_type().unwrap().dict, &name) {
            if is_object_native(vm, &Some(f.clone()), "__init_subclass__") && kw.is_empty() {
                return Ok(());
            }
            let bound = vm.descr_get(&f, None, cls)?;
            let vals: Vec<Value> = kw.iter().map(|(_, v)| v.clone()).collect();
            let names: Vec<Value> = kw.iter().map(|(k, _)| k.clone()).collect();
            vm.call(&bound, Args::with_kw(&vals, &names))?;
            return Ok(());
        }
    }
    Ok(())
}
