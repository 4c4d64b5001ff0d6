//! Structural pattern matching support (`MatchMapping`, `MatchSequence`,
//! `MatchKeys`, `MatchClass`), with CPython 3.11's rules and messages.

use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::typeobj::{Name, Slot};
use crate::value::Value;
use crate::{Args, PyResult, Vm};

/// Does any class in the MRO of `v`'s type have one of `names` (and come from
/// `collections.abc`)? Stands in for CPython's Py_TPFLAGS_MAPPING/SEQUENCE,
/// which `collections.abc` sets on registration.
fn mro_has_abc(vm: &Vm, v: &Value, names: &[&str]) -> bool {
    let typ = vm.class_of(v);
    let Some(t) = typ.payload.as_type() else { return false };
    // Only classes written in Python can have a `collections.abc` class
    // on their MRO.
    if !t.is_heap() {
        return false;
    }
    let candidates: Vec<PyRef> = t
        .mro
        .borrow()
        .iter()
        .filter(|c| c.payload.as_type().is_some_and(|ct| names.contains(&ct.name.borrow().as_str())))
        .cloned()
        .collect();
    for c in candidates {
        let Some(ct) = c.payload.as_type() else { continue };
        let module = vm.dict_get_str(&ct.dict, vm.known_name(Name::Module));
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
    if let Some(t) = vm.class_of(v).payload.as_type() {
        let n = t.name.borrow();
        if *n == "deque" || *n == "memoryview" || *n == "array" {
            return true;
        }
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

/// `cls.__match_args__` when the lookup needs no descriptor or hook: `cls`
/// is an instance of `type` itself (whose own MRO has no `__match_args__`),
/// and its MRO holds an exact tuple or nothing (Some(None), where getattr
/// would have made an AttributeError just to discard it). None: ask getattr.
fn plain_match_args(vm: &Vm, cls: &PyRef) -> Option<Option<Value>> {
    if !cls.class().is(&vm.types.type_) {
        return None;
    }
    match vm.type_lookup(cls, vm.known_name(Name::MatchArgs)) {
        None => Some(None),
        Some(v) if v.as_obj().is_some_and(|o| o.class().is(&vm.types.tuple)) => Some(Some(v)),
        Some(_) => None,
    }
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
    let cname = || vm.type_name(&cls_ref);
    let kwnames: &[Value] = names.payload().and_then(|p| p.as_tuple()).unwrap_or(&[]);
    let mut out = Vec::with_capacity(nargs + kwnames.len());
    // The attribute for sub-pattern name `name`; `before` holds the names
    // used so far (CPython's `seen` set), for the duplicate check.
    let get = |vm: &Vm, name: &Value, before: (&[Value], &[Value])| -> PyResult<Option<Value>> {
        let Value::Obj(n) = name else { return Ok(None) };
        let text = n.payload.as_str().map(|s| s.as_str()).unwrap_or("");
        if before.0.iter().chain(before.1).any(|b| b.is(name) || vm.as_str(b) == Some(text)) {
            return Err(vm.new_type_error(format!("{}() got multiple sub-patterns for attribute '{text}'", cname())));
        }
        // An exact str (checked below for `__match_args__`; the compiler's
        // keyword names are constants), almost always interned already.
        match vm.getattr(subject, n) {
            Ok(v) => Ok(Some(v)),
            Err(e) if vm.exception_matches(&e, &vm.exc.attribute_error) => Ok(None),
            Err(e) => Err(e),
        }
    };
    let match_args = if nargs == 0 {
        None
    } else if let Some(found) = plain_match_args(vm, &cls_ref) {
        found
    } else {
        match vm.getattr(cls, vm.known_name(Name::MatchArgs)) {
            Ok(m) => {
                if !m.as_obj().is_some_and(|o| o.class().is(&vm.types.tuple)) {
                    return Err(vm.new_type_error(format!(
                        "{}.__match_args__ must be a tuple (got {})",
                        cname(),
                        vm.type_name_of(&m)
                    )));
                }
                Some(m)
            }
            Err(e) if vm.exception_matches(&e, &vm.exc.attribute_error) => None,
            Err(e) => return Err(e),
        }
    };
    // The positional sub-patterns' names (a prefix of `__match_args__`).
    let mut positional: &[Value] = &[];
    if nargs > 0 {
        match match_args.as_ref().and_then(|m| m.payload()).and_then(|p| p.as_tuple()) {
            Some(ma) => {
                if nargs > ma.len() {
                    return Err(vm.new_type_error(format!(
                        "{}() accepts {} positional sub-pattern{} ({} given)",
                        cname(),
                        ma.len(),
                        if ma.len() == 1 { "" } else { "s" },
                        nargs
                    )));
                }
                positional = &ma[..nargs];
                for (i, name) in positional.iter().enumerate() {
                    if !name.as_obj().is_some_and(|n| n.class().is(&vm.types.str)) {
                        return Err(vm.new_type_error(format!(
                            "__match_args__ elements must be strings (got {})",
                            vm.type_name_of(name)
                        )));
                    }
                    match get(vm, name, (&positional[..i], &[]))? {
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
                        cname(),
                        allowed,
                        if allowed == 1 { "" } else { "s" },
                        nargs
                    )));
                }
                out.push(subject.clone());
            }
        }
    }
    for (i, name) in kwnames.iter().enumerate() {
        match get(vm, name, (positional, &kwnames[..i]))? {
            Some(v) => out.push(v),
            None => return Ok(Value::None),
        }
    }
    Ok(vm.new_tuple(out))
}
