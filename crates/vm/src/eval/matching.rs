//! Structural pattern matching support (`MatchMapping`, `MatchSequence`,
//! `MatchKeys`, `MatchClass`), with CPython 3.11's rules and messages.

use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::typeobj::Slot;
use crate::value::Value;
use crate::{Args, PyResult, Vm};

/// Does any class in the MRO of `v`'s type have one of `names` (and come from
/// `collections.abc`)? Stands in for CPython's Py_TPFLAGS_MAPPING/SEQUENCE,
/// which `collections.abc` sets on registration.
fn mro_has_abc(vm: &Vm, v: &Value, names: &[&str]) -> bool {
    let typ = vm.class_of(v);
    let Some(t) = typ.payload.as_type() else { return false };
    let mro = t.mro.borrow().clone();
    for c in mro.iter() {
        let Some(ct) = c.payload.as_type() else { continue };
        if !names.contains(&ct.name().as_str()) {
            continue;
        }
        let module = vm.dict_get_str(&ct.dict, &vm.intern("__module__"));
        if module.as_ref().and_then(|m| vm.as_str(m)).is_some_and(|m| m == "collections.abc" || m == "_collections_abc") {
            return true;
        }
    }
    // Virtual subclasses registered with the ABC: ask isinstance on the ABC.
    false
}

pub fn is_match_mapping(vm: &Vm, v: &Value) -> bool {
    match v.payload().map(|p| p.base()) {
        Some(Payload::Dict(_)) | Some(Payload::MappingProxy(_)) => return true,
        _ => {}
    }
    mro_has_abc(vm, v, &["Mapping", "MutableMapping"])
}

pub fn is_match_sequence(vm: &Vm, v: &Value) -> bool {
    match v.payload().map(|p| p.base()) {
        Some(Payload::List(_)) | Some(Payload::Tuple(_)) | Some(Payload::Range(_)) => return true,
        Some(Payload::Str(_)) | Some(Payload::Bytes(_)) | Some(Payload::ByteArray(_)) => return false,
        _ => {}
    }
    let tn = vm.type_name_of(v);
    if tn == "deque" || tn == "memoryview" || tn == "array" {
        return true;
    }
    mro_has_abc(vm, v, &["Sequence", "MutableSequence"])
}

/// `MatchKeys`: a tuple of the values for `keys`, or None if one is missing.
pub fn match_keys(vm: &Vm, subject: &Value, keys: &Value) -> PyResult {
    let keys = keys.payload().and_then(|p| p.as_tuple()).map(|t| t.to_vec()).unwrap_or_default();
    if keys.is_empty() {
        return Ok(vm.new_tuple(vec![]));
    }
    let mut seen: Vec<Value> = Vec::new();
    let mut out = Vec::with_capacity(keys.len());
    let dummy = Value::Obj(vm.not_implemented.clone());
    let get = match subject.as_obj() {
        Some(d) if matches!(d.payload, Payload::Dict(_)) && d.class().is(&vm.types.dict) => None,
        _ => Some(vm.getattr_str(subject, "get")?),
    };
    for k in keys {
        for s in &seen {
            if vm.eq_bool(s, &k)? {
                return Err(vm.new_value_error(format!(
                    "mapping pattern checks duplicate key ({})",
                    vm.repr_string(&k)?
                )));
            }
        }
        seen.push(k.clone());
        let v = match &get {
            None => vm.dict_get(subject.as_obj().unwrap(), &k)?,
            Some(g) => {
                let v = vm.call(g, Args::new(&[k.clone(), dummy.clone()]))?;
                if v.is(&dummy) {
                    None
                } else {
                    Some(v)
                }
            }
        };
        match v {
            Some(v) => out.push(v),
            None => return Ok(Value::None),
        }
    }
    Ok(vm.new_tuple(out))
}

/// Builtin types whose instances match themselves for one positional
/// sub-pattern (`case int(x)`).
fn matches_self(vm: &Vm, cls: &PyRef) -> bool {
    let t = &vm.types;
    [&t.bool_, &t.bytearray, &t.bytes, &t.dict, &t.float, &t.frozenset, &t.int, &t.list, &t.set, &t.str, &t.tuple]
        .iter()
        .any(|b| vm.is_subtype(cls, b))
}

fn isinstance(vm: &Vm, obj: &Value, cls: &PyRef) -> PyResult<bool> {
    if vm.is_subtype(vm.class_of(obj), cls) {
        return Ok(true);
    }
    // A metaclass __instancecheck__ written in Python (ABCs).
    let meta = cls.class();
    if let Some(f) = meta.payload.as_type().and_then(|t| t.slot(Slot::InstanceCheck)) {
        if matches!(f.payload(), Some(Payload::Function(_))) {
            let r = vm.call_unbound(&f, &Value::Obj(cls.clone()), &[obj.clone()])?;
            return vm.truthy(&r);
        }
    }
    Ok(false)
}

/// `MatchClass`: the attributes for the sub-patterns, or None for no match.
pub fn match_class(vm: &Vm, subject: &Value, cls: &Value, nargs: usize, names: &Value) -> PyResult {
    let cls_ref = match cls {
        Value::Obj(o) if o.payload.as_type().is_some() => o.clone(),
        _ => return Err(vm.new_type_error("called match pattern must be a type")),
    };
    if !isinstance(vm, subject, &cls_ref)? {
        return Ok(Value::None);
    }
    let cname = vm.type_name(&cls_ref);
    let kwnames = names.payload().and_then(|p| p.as_tuple()).map(|t| t.to_vec()).unwrap_or_default();
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(nargs + kwnames.len());
    let get = |vm: &Vm, name: &Value, seen: &mut Vec<String>| -> PyResult<Option<Value>> {
        let n = vm.as_str(name).unwrap_or("").to_string();
        if seen.contains(&n) {
            return Err(vm.new_type_error(format!("{cname}() got multiple sub-patterns for attribute '{n}'")));
        }
        seen.push(n.clone());
        match vm.getattr(subject, &vm.intern(&n)) {
            Ok(v) => Ok(Some(v)),
            Err(e) if vm.exception_matches(&e, &vm.exc.attribute_error) => Ok(None),
            Err(e) => Err(e),
        }
    };
    if nargs > 0 {
        let match_args = match vm.getattr_opt(cls, "__match_args__")? {
            Some(m) => {
                let Some(t) = m.payload().and_then(|p| p.as_tuple()).map(|t| t.to_vec()) else {
                    return Err(vm.new_type_error(format!(
                        "{}.__match_args__ must be a tuple (got {})",
                        cname,
                        vm.type_name_of(&m)
                    )));
                };
                Some(t)
            }
            None => None,
        };
        match match_args {
            Some(ma) => {
                if nargs > ma.len() {
                    return Err(vm.new_type_error(format!(
                        "{}() accepts {} positional sub-pattern{} ({} given)",
                        cname,
                        ma.len(),
                        if ma.len() == 1 { "" } else { "s" },
                        nargs
                    )));
                }
                for name in &ma[..nargs] {
                    if vm.as_str(name).is_none() {
                        return Err(vm.new_type_error(format!(
                            "__match_args__ elements must be strings (got {})",
                            vm.type_name_of(name)
                        )));
                    }
                    match get(vm, name, &mut seen)? {
                        Some(v) => out.push(v),
                        None => return Ok(Value::None),
                    }
                }
            }
            None => {
                let allowed = if matches_self(vm, &cls_ref) { 1 } else { 0 };
                if nargs > allowed {
                    return Err(vm.new_type_error(format!(
                        "{}() accepts {} positional sub-pattern{} ({} given)",
                        cname,
                        allowed,
                        if allowed == 1 { "" } else { "s" },
                        nargs
                    )));
                }
                out.push(subject.clone());
            }
        }
    }
    for name in &kwnames {
        match get(vm, name, &mut seen)? {
            Some(v) => out.push(v),
            None => return Ok(Value::None),
        }
    }
    Ok(vm.new_tuple(out))
}
