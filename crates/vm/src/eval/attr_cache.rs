//! `LOAD_ATTR`, `STORE_ATTR` and `LOAD_METHOD` through the per-name attribute
//! caches of code objects (`types::code::AttrCache`).
//!
//! An entry says how a name resolves on one state of one type (a version
//! tag): a `__slots__` cell; the instance dict only (nothing of that name on
//! the type); the instance dict, else a plain method; the instance dict, else
//! a plain class value. Any change to a dict on the type's MRO, to the MRO or
//! to the special methods renews the tag, so while it matches the
//! classification holds and the hit paths only read the instance: the slot
//! cell, or the instance dict at the entry index where the name was found
//! last (checked by key identity: attribute names are interned), else one
//! native probe with the name's cached hash. The instance and its dict are
//! read each time, so `__class__` and `__dict__` assignment need no
//! invalidation.
//!
//! The hit paths are inlined into the eval loop; the rest goes out of line:
//! the second entry, a refill, and finally the generic protocol path.

use crate::eval::ops;
use crate::instance_values;
use crate::object::PyRef;
use crate::payload::{InstanceData, Payload};
use crate::types::code::{AttrCache, AttrEntry, AttrKind, PyCode};
use crate::types::dict_table::{DictTable, NativeFind};
use crate::types::function::NativeKind;
use crate::types::typeobj::{type_flags, Slot, TypeData};
use crate::value::Value;
use crate::{PyResult, Vm};
use std::cell::Cell;

/// What an instance-dict lookup that runs no Python code found.
enum DictHit {
    Found(Value),
    /// The instance has no dict, or the dict lacks the name.
    Absent,
    /// Only the generic path can tell (a key whose `__eq__` must run, a dict
    /// borrowed elsewhere, a `__dict__` that is not a plain dict).
    Unknown,
}

#[inline(always)]
fn is_key(k: &Value, name: &PyRef) -> bool {
    matches!(k, Value::Obj(k) if k.is(name))
}

/// `name` in the instance dict of `inst`, trying the entry index `hint` first.
/// An instance without a dict has its attributes inline: `hint` is then
/// the index among the type's shared names.
#[inline(always)]
fn dict_lookup(t: &TypeData, inst: &InstanceData, name: &PyRef, hint: &Cell<u32>) -> DictHit {
    let d = match inst.dict.peek() {
        None => {
            return match instance_values::get_hinted(t, inst, name, hint) {
                Some(v) => DictHit::Found(v),
                None => DictHit::Absent,
            }
        }
        Some(Value::Obj(d)) => d,
        Some(_) => return DictHit::Unknown,
    };
    let Payload::Dict(table) = &d.payload else { return DictHit::Unknown };
    let Ok(t) = table.try_borrow() else { return DictHit::Unknown };
    if let Some(e) = t.entry(hint.get() as usize) {
        if is_key(&e.key, name) {
            return DictHit::Found(e.value.clone());
        }
    }
    dict_probe(&t, name, hint)
}

/// The probe behind a missed hint; remembers where the name was found.
#[inline(never)]
fn dict_probe(t: &DictTable, name: &PyRef, hint: &Cell<u32>) -> DictHit {
    let Some(s) = name.payload.as_str() else { return DictHit::Unknown };
    match t.find_native(&Value::Obj(name.clone()), s.hash()) {
        Some(NativeFind::Found(ix)) => match t.entry(ix) {
            Some(e) => {
                hint.set(ix as u32);
                DictHit::Found(e.value.clone())
            }
            None => DictHit::Unknown,
        },
        Some(NativeFind::Missing(_)) => DictHit::Absent,
        None => DictHit::Unknown,
    }
}

/// Replaces the value of `name` in the instance dict when the entry at
/// `hint` holds it; hands `v` back otherwise. The old value is dropped with
/// the dict released (its `__del__` may look at the dict).
#[inline(always)]
fn dict_replace(t: &TypeData, inst: &InstanceData, name: &PyRef, hint: &Cell<u32>, v: Value) -> Result<(), Value> {
    let d = match inst.dict.peek() {
        None => return instance_values::replace_hinted(t, inst, name, hint, v),
        Some(Value::Obj(d)) => d,
        Some(_) => return Err(v),
    };
    let Payload::Dict(table) = &d.payload else { return Err(v) };
    let old = {
        let Ok(mut t) = table.try_borrow_mut() else { return Err(v) };
        let Some(e) = t.entry_mut(hint.get() as usize) else { return Err(v) };
        if !is_key(&e.key, name) {
            return Err(v);
        }
        crate::gc::dict_stored(d, &e.key, &v);
        std::mem::replace(&mut e.value, v)
    };
    drop(old);
    Ok(())
}

/// Stores `name` into the instance dict (made if missing) with one native
/// probe: a new key (an `__init__` setting up the instance) is appended, an
/// existing one replaced, and the hint updated either way. Hands `v` back
/// when only the generic path can tell (a key whose `__eq__` must run).
fn dict_store_probe(vm: &Vm, obj: &Value, t: &TypeData, inst: &InstanceData, name: &PyRef, hint: &Cell<u32>, v: Value) -> Result<(), Value> {
    // Inline when the instance's shape allows; else into the dict (made
    // from the inline attributes if need be).
    let v = match instance_values::is_inline(inst) {
        true => match instance_values::store(vm, t, inst, name, hint, v) {
            Ok(()) => return Ok(()),
            Err(v) => v,
        },
        false => v,
    };
    let Some(s) = name.payload.as_str() else { return Err(v) };
    let hash = s.hash();
    let Some(d) = vm.instance_dict(obj, true) else { return Err(v) };
    let Payload::Dict(table) = &d.payload else { return Err(v) };
    let key = Value::Obj(name.clone());
    let old = {
        let Ok(mut t) = table.try_borrow_mut() else { return Err(v) };
        match t.find_native(&key, hash) {
            Some(NativeFind::Found(ix)) => {
                crate::gc::dict_stored(&d, &key, &v);
                let Some(e) = t.entry_mut(ix) else { return Err(v) };
                hint.set(ix as u32);
                Some(std::mem::replace(&mut e.value, v))
            }
            Some(NativeFind::Missing(free)) => {
                crate::gc::dict_stored(&d, &key, &v);
                t.insert_found_missing(free, hash, key, v);
                // Appended last (a growing table compacts, keeping order).
                if let Some(ix) = t.entries_len().checked_sub(1) {
                    hint.set(ix as u32);
                }
                None
            }
            None => return Err(v),
        }
    };
    // Dropped with the dict released (a `__del__` may look at it).
    drop(old);
    Ok(())
}

/// The value of an attribute on a type state described by `e`, for an
/// instance, when the entry settles it without calling anything.
#[inline(always)]
fn load_hit(e: &AttrEntry, t: &TypeData, inst: &InstanceData, name: &PyRef) -> Option<Value> {
    if e.mode.get() & AttrEntry::LOAD == 0 {
        return None;
    }
    match e.kind.get() {
        AttrKind::Slot => inst.slots.get(e.index.get() as usize)?.get(),
        // Inline values first, returned as directly as a slot's: through
        // `DictHit` the value went via the stack in pieces and its reload
        // stalled (a fifth of a loop of attribute reads).
        AttrKind::Dict | AttrKind::ClassValue if instance_values::is_inline(inst) => {
            match instance_values::get_hinted(t, inst, name, &e.index) {
                Some(v) => Some(v),
                None if e.kind.get() == AttrKind::ClassValue => e.method.get(t),
                None => None,
            }
        }
        AttrKind::Dict => match dict_lookup(t, inst, name, &e.index) {
            DictHit::Found(v) => Some(v),
            _ => None,
        },
        AttrKind::ClassValue => match dict_lookup(t, inst, name, &e.index) {
            DictHit::Found(v) => Some(v),
            DictHit::Absent => e.method.get(t),
            DictHit::Unknown => None,
        },
        AttrKind::Method | AttrKind::Generic => None,
    }
}

/// `LOAD_ATTR`.
#[inline(always)]
pub(crate) fn load_attr_cached(vm: &Vm, code: &PyCode, ni: usize, obj: &Value, name: &PyRef) -> PyResult {
    if let (Value::Obj(o), Some(c)) = (obj, code.attr_cache.get(ni)) {
        if let Payload::Instance(inst) = &o.payload {
            if let Some(t) = o.class().payload.as_type() {
                let e = &c.first;
                if e.version.get() == t.version.get() {
                    if let Some(v) = load_hit(e, t, inst, name) {
                        return Ok(v);
                    }
                }
            }
        }
    }
    load_attr_miss(vm, code, ni, obj, name)
}

#[inline(never)]
fn load_attr_miss(vm: &Vm, code: &PyCode, ni: usize, obj: &Value, name: &PyRef) -> PyResult {
    if let (Value::Obj(o), Some(c)) = (obj, code.attr_cache.get(ni)) {
        if let Payload::Instance(inst) = &o.payload {
            let typ = o.class();
            if let Some(t) = typ.payload.as_type() {
                if let Some(e) = entry_for(vm, c, typ, t, name) {
                    if let Some(v) = load_hit(e, t, inst, name) {
                        return Ok(v);
                    }
                    // A method read as an attribute: bound, unless the
                    // instance dict shadows it.
                    if e.kind.get() == AttrKind::Method && e.mode.get() & AttrEntry::LOAD != 0 {
                        match dict_lookup(t, inst, name, &e.index) {
                            DictHit::Found(v) => return Ok(v),
                            DictHit::Absent => {
                                if let Some(m) = e.method.get(t) {
                                    return vm.descr_get(&m, Some(obj), typ);
                                }
                            }
                            DictHit::Unknown => {}
                        }
                    }
                }
            }
        }
    }
    ops::load_attr(vm, obj, name)
}

/// `STORE_ATTR`.
#[inline(always)]
pub(crate) fn store_attr_cached(vm: &Vm, code: &PyCode, ni: usize, obj: &Value, name: &PyRef, v: Value) -> PyResult<()> {
    let mut v = v;
    if let (Value::Obj(o), Some(c)) = (obj, code.attr_cache.get(ni)) {
        if let Payload::Instance(inst) = &o.payload {
            if let Some(t) = o.class().payload.as_type() {
                let e = &c.first;
                if e.version.get() == t.version.get() {
                    match store_by_entry(t, inst, e, name, v) {
                        Ok(()) => return Ok(()),
                        Err(back) => v = back,
                    }
                }
            }
        }
    }
    store_attr_miss(vm, code, ni, obj, name, v)
}

/// A store through `e` (valid for the instance's type): into the slot cell,
/// or over the existing key of the instance dict. Hands `v` back otherwise.
#[inline(always)]
fn store_by_entry(t: &TypeData, inst: &InstanceData, e: &AttrEntry, name: &PyRef, v: Value) -> Result<(), Value> {
    if e.mode.get() & AttrEntry::STORE == 0 {
        return Err(v);
    }
    match e.kind.get() {
        AttrKind::Slot => match inst.slots.get(e.index.get() as usize) {
            Some(cell) => {
                cell.set(Some(v));
                Ok(())
            }
            None => Err(v),
        },
        AttrKind::Dict | AttrKind::Method | AttrKind::ClassValue => dict_replace(t, inst, name, &e.index, v),
        AttrKind::Generic => Err(v),
    }
}

#[inline(never)]
fn store_attr_miss(vm: &Vm, code: &PyCode, ni: usize, obj: &Value, name: &PyRef, v: Value) -> PyResult<()> {
    if let (Value::Obj(o), Some(c)) = (obj, code.attr_cache.get(ni)) {
        if let Payload::Instance(inst) = &o.payload {
            let typ = o.class();
            if let Some(t) = typ.payload.as_type() {
                if let Some(e) = entry_for(vm, c, typ, t, name) {
                    let v = match store_by_entry(t, inst, e, name, v) {
                        Ok(()) => return Ok(()),
                        Err(v) => v,
                    };
                    // A dict entry whose key is not there yet: one probe.
                    let dict_kind = matches!(e.kind.get(), AttrKind::Dict | AttrKind::Method | AttrKind::ClassValue);
                    let v = if e.mode.get() & AttrEntry::STORE != 0 && dict_kind {
                        match dict_store_probe(vm, obj, t, inst, name, &e.index, v) {
                            Ok(()) => return Ok(()),
                            Err(v) => v,
                        }
                    } else {
                        v
                    };
                    return ops::store_attr(vm, obj, name, v);
                }
            }
        }
    }
    ops::store_attr(vm, obj, name, v)
}

/// Objects whose attribute lookups have rules (and dicts) of their own, so
/// a cached class method may be shadowed.
#[inline(always)]
fn has_own_attr_rules(p: &Payload) -> bool {
    matches!(
        p,
        Payload::Type(_)
            | Payload::Module(_)
            | Payload::Function(_)
            | Payload::Exception(_)
            | Payload::StaticMethod(_)
            | Payload::ClassMethod(_)
    )
}

/// `LOAD_METHOD`: the function to call with `obj` as its first argument,
/// or None for "use getattr" (see `ops::load_method`).
#[inline(always)]
pub(crate) fn load_method_cached(vm: &Vm, code: &PyCode, ni: usize, obj: &Value, name: &PyRef) -> PyResult<Option<Value>> {
    if let (Value::Obj(o), Some(c)) = (obj, code.attr_cache.get(ni)) {
        if let Some(t) = o.class().payload.as_type() {
            let e = &c.first;
            if e.version.get() == t.version.get() && e.kind.get() == AttrKind::Method && e.mode.get() & AttrEntry::LOAD != 0 {
                let shadowed = match &o.payload {
                    Payload::Instance(inst) => !matches!(dict_lookup(t, inst, name, &e.index), DictHit::Absent),
                    p => has_own_attr_rules(p),
                };
                if !shadowed {
                    if let Some(m) = e.method.get(t) {
                        return Ok(Some(m));
                    }
                }
            }
        }
    }
    load_method_miss(vm, code, ni, obj, name)
}

#[inline(never)]
fn load_method_miss(vm: &Vm, code: &PyCode, ni: usize, obj: &Value, name: &PyRef) -> PyResult<Option<Value>> {
    if let (Value::Obj(o), Some(c)) = (obj, code.attr_cache.get(ni)) {
        let typ = o.class();
        let plain = !has_own_attr_rules(&o.payload);
        if let (true, Some(t)) = (plain, typ.payload.as_type()) {
            if let Some(e) = entry_for(vm, c, typ, t, name) {
                if e.kind.get() == AttrKind::Method && e.mode.get() & AttrEntry::LOAD != 0 {
                    let absent = match &o.payload {
                        Payload::Instance(inst) => dict_lookup(t, inst, name, &e.index),
                        _ => DictHit::Absent,
                    };
                    match absent {
                        DictHit::Absent => {
                            if let Some(m) = e.method.get(t) {
                                return Ok(Some(m));
                            }
                        }
                        // Shadowed by the instance dict: getattr finds it there.
                        DictHit::Found(_) => return Ok(None),
                        DictHit::Unknown => {}
                    }
                }
            }
        }
    }
    ops::load_method(vm, obj, name)
}

/// The entry of `c` for the current state of `t`, refilled if none
/// matches. A refill goes into `first`, where the inlined hit paths look
/// (the latest type seen is the likeliest next), pushing the entry there
/// into the others in turn; a hit on one of the others leaves it in place,
/// so a site that sees several types in rotation copies nothing. None when
/// the lookup could not be cached (it ran code that changed the type).
fn entry_for<'a>(vm: &Vm, c: &'a AttrCache, typ: &PyRef, t: &TypeData, name: &PyRef) -> Option<&'a AttrEntry> {
    let first = &c.first;
    let version = t.version.get();
    if version != 0 && first.version.get() == version {
        return Some(first);
    }
    if let Some(more) = c.more.get() {
        if let Some(e) = more.iter().find(|e| version != 0 && e.version.get() == version) {
            return Some(e);
        }
    }
    if first.version.get() != 0 {
        let more = c.more.get_or_init(|| Box::new([AttrEntry::empty(), AttrEntry::empty(), AttrEntry::empty()]));
        let victim = c.victim.get() as usize % more.len();
        c.victim.set(((victim + 1) % more.len()) as u8);
        more[victim].copy_from(first);
    }
    fill(vm, first, typ, t, name).then_some(first)
}

/// Classifies `name` on `typ` into `e`; false when the lookup ran code
/// that changed the type (nothing is cached then).
fn fill(vm: &Vm, e: &AttrEntry, typ: &PyRef, t: &TypeData, name: &PyRef) -> bool {
    let (descr, current) = e.method.fill(vm, typ, name);
    if !current {
        e.version.set(0);
        return false;
    }
    let (kind, index) = match &descr {
        None => (AttrKind::Dict, 0),
        Some(d) => match d.payload() {
            Some(Payload::MemberDescr(m)) if vm.is_subtype(typ, &m.owner) => match u32::try_from(m.index) {
                Ok(i) => (AttrKind::Slot, i),
                Err(_) => (AttrKind::Generic, 0),
            },
            Some(Payload::Function(_)) => (AttrKind::Method, 0),
            Some(Payload::NativeMethod { def, .. }) if def.kind == NativeKind::Method => (AttrKind::Method, 0),
            _ if is_plain_value(d) => (AttrKind::ClassValue, 0),
            _ => (AttrKind::Generic, 0),
        },
    };
    let mut mode = 0;
    if objects_own(vm, t, Slot::GetAttribute) {
        mode |= AttrEntry::LOAD;
    }
    let dict_kind = matches!(kind, AttrKind::Dict | AttrKind::Method | AttrKind::ClassValue);
    if !t.has_flag(type_flags::CUSTOM_SETATTR) && (kind == AttrKind::Slot || (dict_kind && t.has_flag(type_flags::HAS_DICT))) {
        mode |= AttrEntry::STORE;
    }
    e.kind.set(kind);
    e.index.set(index);
    e.mode.set(mode);
    e.version.set(t.version.get());
    true
}

/// Is the type's special method `s` object's own (or absent)? Module and
/// type have their own `__getattribute__`, which the hit paths do not follow.
fn objects_own(vm: &Vm, t: &TypeData, s: Slot) -> bool {
    match t.slot(s).as_ref().and_then(|v| v.payload()) {
        None => true,
        Some(Payload::NativeMethod { owner, .. }) => owner.is(&vm.types.object),
        Some(_) => false,
    }
}

/// A class attribute that reads as itself from an instance: no descriptor
/// now and never one later (its type is builtin, so it cannot gain
/// `__get__`/`__set__`/`__delete__`).
fn is_plain_value(v: &Value) -> bool {
    let Value::Obj(o) = v else { return true };
    if matches!(
        o.payload,
        Payload::Function(_)
            | Payload::NativeMethod { .. }
            | Payload::StaticMethod(_)
            | Payload::ClassMethod(_)
            | Payload::Property(_)
            | Payload::MemberDescr(_)
            | Payload::GetSetDescr { .. }
    ) {
        return false;
    }
    match o.class().payload.as_type() {
        Some(ct) => !ct.is_heap() && !ct.has_slot(Slot::Get) && !ct.has_slot(Slot::Set) && !ct.has_slot(Slot::Delete),
        None => false,
    }
}
