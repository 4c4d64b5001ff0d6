//! Attribute access: `object.__getattribute__`'s order (data descriptors, then
//! the instance dict, then other descriptors and class attributes), the type
//! and module variants, `__getattr__` fallback, and descriptor binding.

use crate::instance_values;
use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::typeobj::{type_flags, Slot};
use crate::value::Value;
use crate::{Args, PyResult, Vm};

impl Vm {
    /// `getattr(obj, name)`.
    pub fn getattr(&self, obj: &Value, name: &PyRef) -> PyResult {
        let typ = self.class_of(obj);
        let t = typ.payload.as_type().unwrap();
        let custom = t.has_flag(type_flags::CUSTOM_GETATTRIBUTE);
        let r = if custom {
            match t.slot(Slot::GetAttribute) {
                Some(f) => self.call_unbound(&f, obj, &[Value::Obj(name.clone())]),
                None => self.generic_getattr(obj, name),
            }
        } else {
            self.generic_getattr(obj, name)
        };
        if !t.has_flag(type_flags::HAS_GETATTR) {
            return if custom { self.with_attribute_error_context(r, obj, name) } else { r };
        }
        match r {
            Err(e) if self.exception_matches(&e, &self.exc.attribute_error) => {
                if let Some(ga) = t.slot(Slot::GetAttr) {
                    let r = self.call_unbound(&ga, obj, &[Value::Obj(name.clone())]);
                    return self.with_attribute_error_context(r, obj, name);
                }
                Err(e)
            }
            r => r,
        }
    }

    /// As CPython's attribute lookup: an AttributeError raised by Python code
    /// (`__getattribute__`, `__getattr__`) without a `name` and `obj` of its
    /// own gets these, so the "Did you mean" hint works for it too.
    fn with_attribute_error_context(&self, r: PyResult, obj: &Value, name: &PyRef) -> PyResult {
        if let Err(e) = &r {
            if self.is_subtype(e.class(), &self.exc.attribute_error) {
                let set = |k: &str| {
                    let d = self.instance_dict(&Value::Obj(e.clone()), false);
                    d.and_then(|d| self.dict_get_str(&d, &self.intern(k))).is_some_and(|v| !v.is_none())
                };
                if !set("name") && !set("obj") {
                    self.set_attribute_error_context(e, obj, name);
                }
            }
        }
        r
    }

    /// `getattr(obj, name)` by Rust string.
    pub fn getattr_str(&self, obj: &Value, name: &str) -> PyResult {
        self.getattr(obj, &self.intern(name))
    }

    /// `getattr(obj, name, None)`-like: Ok(None) when AttributeError.
    pub fn getattr_opt(&self, obj: &Value, name: &str) -> PyResult<Option<Value>> {
        self.lookup_attr(obj, &self.intern(name))
    }

    /// Is `f` a `__getattribute__` that `generic_getattr` implements (object's,
    /// type's, module's)? Others (super's, user classes') must be called.
    pub fn is_native_getattribute(&self, f: &Value) -> bool {
        matches!(f.payload(), Some(Payload::NativeMethod { def, owner }) if def.name == "__getattribute__"
            && (owner.is(&self.types.object) || owner.is(&self.types.type_) || owner.is(&self.types.module)))
    }

    /// The instance dict of `obj`, if it has one (created on demand when `create`).
    pub fn instance_dict(&self, obj: &Value, create: bool) -> Option<PyRef> {
        let o = obj.as_obj()?;
        let cell = match &o.payload {
            Payload::Instance(d) => {
                let t = o.class().payload.as_type().unwrap();
                if !t.has_flag(type_flags::HAS_DICT) {
                    return None;
                }
                // Attributes kept inline move into the dict asked for.
                if create || instance_values::has_any(t, d) {
                    return Some(instance_values::materialize(self, t, d));
                }
                &d.dict
            }
            Payload::Function(f) => &f.dict,
            Payload::Exception(e) => &e.dict,
            Payload::StaticMethod(w) | Payload::ClassMethod(w) => &w.dict,
            Payload::Module(m) => return Some(m.dict.clone()),
            Payload::Type(t) => return Some(t.dict.clone()),
            _ => return None,
        };
        match cell.get() {
            Some(Value::Obj(d)) => Some(d),
            _ if create => {
                let d = self.new_dict();
                cell.set(Some(Value::Obj(d.clone())));
                Some(d)
            }
            _ => None,
        }
    }

    /// The attribute `name` among the instance's own (inline or in its
    /// dict), without making a dict.
    pub fn instance_attr(&self, obj: &Value, name: &PyRef) -> Option<Value> {
        if let Value::Obj(o) = obj {
            if let Payload::Instance(d) = &o.payload {
                match instance_values::get(o.class().payload.as_type()?, d, name) {
                    instance_values::Inline::Found(v) => return Some(v),
                    instance_values::Inline::Absent => return None,
                    instance_values::Inline::HasDict => {}
                }
            }
        }
        let dict = self.instance_dict(obj, false)?;
        self.dict_get_str(&dict, name)
    }

    /// Is `descr` a data descriptor (defines `__set__` or `__delete__`)?
    pub fn is_data_descriptor(&self, descr: &Value) -> bool {
        match descr.payload() {
            Some(Payload::Property(_)) | Some(Payload::MemberDescr(_)) | Some(Payload::GetSetDescr { .. }) => true,
            Some(Payload::Function(_))
            | Some(Payload::NativeMethod { .. })
            | Some(Payload::NativeFunction { .. })
            | Some(Payload::StaticMethod(_))
            | Some(Payload::ClassMethod(_))
            | Some(Payload::Str(_))
            | Some(Payload::Int(_))
            | Some(Payload::Tuple(_))
            | Some(Payload::Dict(_))
            | Some(Payload::List(_)) => false,
            Some(_) => {
                let t = self.class_of(descr);
                let t = t.payload.as_type().unwrap();
                t.has_slot(Slot::Set) || t.has_slot(Slot::Delete)
            }
            None => false,
        }
    }

    /// Does `descr` override the instance dict on lookup? CPython requires both a
    /// `__get__` and a `__set__`/`__delete__`; a set-only descriptor loses to the dict.
    pub fn is_overriding_descriptor(&self, descr: &Value) -> bool {
        if !self.is_data_descriptor(descr) {
            return false;
        }
        match descr.payload() {
            Some(Payload::Property(_)) | Some(Payload::MemberDescr(_)) | Some(Payload::GetSetDescr { .. }) => true,
            _ => self.class_of(descr).payload.as_type().is_some_and(|t| t.has_slot(Slot::Get)),
        }
    }

    /// `descr.__get__(obj, typ)` for any attribute found on a type; returns the
    /// attribute itself when it is not a descriptor.
    pub fn descr_get(&self, descr: &Value, obj: Option<&Value>, typ: &PyRef) -> PyResult {
        match descr.payload() {
            Some(Payload::Function(_)) => Ok(match obj {
                Some(o) => self.new_bound_method(descr.clone(), o.clone()),
                None => descr.clone(),
            }),
            Some(Payload::NativeMethod { def, owner }) => {
                use crate::types::function::NativeKind;
                match def.kind {
                    NativeKind::Method | NativeKind::Function => match obj {
                        Some(o) => {
                            if !self.is_subtype(self.class_of(o), owner) {
                                return Err(self.new_type_error(format!(
                                    "descriptor '{}' for '{}' objects doesn't apply to a '{}' object",
                                    def.name,
                                    self.type_name(owner),
                                    self.type_name_of(o)
                                )));
                            }
                            Ok(self.new_native_function(def, Some(o.clone())))
                        }
                        None => Ok(descr.clone()),
                    },
                    NativeKind::ClassMethod => Ok(self.new_native_function(def, Some(Value::Obj(typ.clone())))),
                    // The descriptor itself is callable unbound, and returning it keeps
                    // `C.__new__ is object.__new__` true as in CPython.
                    NativeKind::StaticMethod => Ok(descr.clone()),
                }
            }
            Some(Payload::StaticMethod(w)) => Ok(w.func.get().unwrap_or(Value::None)),
            Some(Payload::ClassMethod(w)) => {
                // Binds to the class; a wrapped descriptor chains (3.9+).
                crate::types::property::classmethod_bind(self, w.func.get().unwrap_or(Value::None), typ)
            }
            Some(Payload::Property(p)) => match obj {
                None => Ok(descr.clone()),
                Some(o) => match p[0].get() {
                    Some(fget) if !fget.is_none() => self.call(&fget, Args::new(&[o.clone()])),
                    _ => Err(self.new_attribute_error(format!(
                        "property {}of '{}' object has no getter",
                        self.property_name_for_error(descr),
                        self.type_name_of(o)
                    ))),
                },
            },
            Some(Payload::MemberDescr(m)) => match obj {
                None => Ok(descr.clone()),
                // An attribute access: an unset slot's AttributeError gets
                // the name and object (CPython's PyObject_GetAttr adds them).
                Some(o) => crate::types::member::member_get(self, m, o).map_err(|e| {
                    if self.exception_matches(&e, &self.exc.attribute_error) {
                        self.set_attribute_error_context(&e, o, &m.name);
                    }
                    e
                }),
            },
            Some(Payload::GetSetDescr { def, .. }) => match obj {
                None => Ok(descr.clone()),
                Some(o) => (def.get)(self, o),
            },
            Some(_) => {
                let dt = self.class_of(descr);
                match dt.payload.as_type().unwrap().slot(Slot::Get) {
                    Some(get) => {
                        let o = obj.cloned().unwrap_or(Value::None);
                        self.call_unbound(&get, descr, &[o, Value::Obj(typ.clone())])
                    }
                    None => Ok(descr.clone()),
                }
            }
            None => Ok(descr.clone()),
        }
    }

    fn property_name_for_error(&self, descr: &Value) -> String {
        // 3.11 says "property 'x' of 'C' object has no getter" when the getter's
        // name is known; the name comes from fget/fset/fdel's __name__.
        if let Some(Payload::Property(p)) = descr.payload() {
            if let Some(n) = p[3].get() {
                if let Some(s) = self.as_str(&n) {
                    return format!("'{}' ", s);
                }
            }
        }
        String::new()
    }

    /// `object.__getattribute__(obj, name)`.
    pub fn generic_getattr(&self, obj: &Value, name: &PyRef) -> PyResult {
        if let Value::Obj(o) = obj {
            match &o.payload {
                Payload::Type(_) => return self.type_getattr(o, name),
                Payload::Module(m) => return self.module_getattr(obj, &m.dict, name),
                _ => {}
            }
        }
        match self.object_getattr(obj, name)? {
            Some(v) => Ok(v),
            None => Err(self.no_attribute(obj, name)),
        }
    }

    /// `object.__getattribute__` for an object that is neither a type nor a
    /// module; None where the attribute is missing (no exception made yet).
    fn object_getattr(&self, obj: &Value, name: &PyRef) -> PyResult<Option<Value>> {
        let typ = self.class_of(obj);
        let descr = self.type_lookup(typ, name);
        if let Some(d) = &descr {
            if self.is_overriding_descriptor(d) {
                return self.descr_get(d, Some(obj), typ).map(Some);
            }
        }
        if let Some(v) = self.instance_attr(obj, name) {
            return Ok(Some(v));
        }
        match descr {
            Some(d) => self.descr_get(&d, Some(obj), typ).map(Some),
            None => Ok(None),
        }
    }

    /// `getattr(obj, name)` as an Option: None where that raises
    /// AttributeError. For objects with the default attribute lookup the
    /// missing case makes no exception at all (CPython's
    /// `_PyObject_LookupAttr`): `getattr(x, name, default)` and `hasattr`
    /// on a missing name are common and an exception is costly to make.
    pub fn lookup_attr(&self, obj: &Value, name: &PyRef) -> PyResult<Option<Value>> {
        let t = self.class_of(obj).payload.as_type().unwrap();
        let default_lookup = !t.has_flag(type_flags::CUSTOM_GETATTRIBUTE)
            && !t.has_flag(type_flags::HAS_GETATTR)
            && !matches!(obj.payload(), Some(Payload::Type(_)) | Some(Payload::Module(_)));
        let r = if default_lookup { self.object_getattr(obj, name) } else { self.getattr(obj, name).map(Some) };
        match r {
            Err(e) if self.exception_matches(&e, &self.exc.attribute_error) => Ok(None),
            r => r,
        }
    }

    /// The AttributeError for a missing attribute, worded as CPython's.
    pub fn no_attribute(&self, obj: &Value, name: &PyRef) -> PyRef {
        let n = name.payload.as_str().map(|s| s.as_str()).unwrap_or("?");
        let e = self.new_attribute_error(format!("'{}' object has no attribute '{}'", self.type_name_of(obj), n));
        self.set_attribute_error_context(&e, obj, name);
        e
    }

    /// Records `name` and `obj` on an AttributeError (for "Did you mean" hints).
    pub fn set_attribute_error_context(&self, e: &PyRef, obj: &Value, name: &PyRef) {
        if let Some(d) = self.instance_dict(&Value::Obj(e.clone()), true) {
            self.dict_set_str(&d, &self.intern("name"), Value::Obj(name.clone()));
            self.dict_set_str(&d, &self.intern("obj"), obj.clone());
        }
    }

    /// `type.__getattribute__(cls, name)`.
    pub fn type_getattr(&self, cls: &PyRef, name: &PyRef) -> PyResult {
        let meta = cls.class();
        let meta_attr = self.type_lookup(meta, name);
        if let Some(m) = &meta_attr {
            if self.is_overriding_descriptor(m) {
                return self.descr_get(m, Some(&Value::Obj(cls.clone())), meta);
            }
        }
        if let Some(attr) = self.type_lookup(cls, name) {
            return match attr.payload() {
                Some(Payload::Function(_)) => Ok(attr),
                _ => self.descr_get(&attr, None, cls),
            };
        }
        if let Some(m) = meta_attr {
            return self.descr_get(&m, Some(&Value::Obj(cls.clone())), meta);
        }
        let n = name.payload.as_str().map(|s| s.as_str()).unwrap_or("?");
        let e = self.new_attribute_error(format!("type object '{}' has no attribute '{}'", self.type_name(cls), n));
        self.set_attribute_error_context(&e, &Value::Obj(cls.clone()), name);
        Err(e)
    }

    fn module_getattr(&self, obj: &Value, dict: &PyRef, name: &PyRef) -> PyResult {
        let typ = self.class_of(obj);
        if let Some(d) = self.type_lookup(typ, name) {
            if self.is_overriding_descriptor(&d) {
                return self.descr_get(&d, Some(obj), typ);
            }
        }
        if let Some(v) = self.dict_get_str(dict, name) {
            return Ok(v);
        }
        if let Some(d) = self.type_lookup(typ, name) {
            return self.descr_get(&d, Some(obj), typ);
        }
        if let Some(ga) = self.dict_get_str(dict, &self.intern("__getattr__")) {
            return self.call(&ga, Args::new(&[Value::Obj(name.clone())]));
        }
        let modname = self
            .dict_get_str(dict, &self.intern("__name__"))
            .and_then(|v| self.as_str(&v).map(|s| s.to_string()));
        let n = name.payload.as_str().map(|s| s.as_str()).unwrap_or("?");
        let e = match modname {
            Some(m) => self.new_attribute_error(format!("module '{}' has no attribute '{}'", m, n)),
            None => self.new_attribute_error(format!("module has no attribute '{}'", n)),
        };
        self.set_attribute_error_context(&e, obj, name);
        Err(e)
    }

    /// `setattr(obj, name, value)`; `value` None means `delattr`.
    pub fn setattr(&self, obj: &Value, name: &PyRef, value: Option<Value>) -> PyResult<()> {
        let typ = self.class_of(obj);
        let t = typ.payload.as_type().unwrap();
        let slot = if value.is_some() { Slot::SetAttr } else { Slot::DelAttr };
        if let Some(f) = t.slot(slot) {
            let native = matches!(f.payload(), Some(Payload::NativeMethod { def, .. })
                if def.name == "__setattr__" || def.name == "__delattr__");
            if !native {
                let mut args = vec![Value::Obj(name.clone())];
                args.extend(value);
                self.call_unbound(&f, obj, &args)?;
                return Ok(());
            }
            if let Some(Payload::NativeMethod { def, owner }) = f.payload() {
                if !owner.is(&self.types.object) {
                    // A builtin type's own __setattr__ (type, module, ...).
                    let mut args = vec![obj.clone(), Value::Obj(name.clone())];
                    args.extend(value);
                    (def.func)(self, Args::new(&args))?;
                    return Ok(());
                }
            }
        }
        self.generic_setattr(obj, name, value)
    }

    pub fn setattr_str(&self, obj: &Value, name: &str, value: Value) -> PyResult<()> {
        self.setattr(obj, &self.intern(name), Some(value))
    }

    /// `object.__setattr__` / `object.__delattr__`.
    pub fn generic_setattr(&self, obj: &Value, name: &PyRef, value: Option<Value>) -> PyResult<()> {
        let typ = self.class_of(obj);
        if let Some(descr) = self.type_lookup(typ, name) {
            if self.descr_set(&descr, obj, value.clone())? {
                return Ok(());
            }
        }
        // Inline when the instance's shape allows.
        let value = match (value, obj) {
            (Some(v), Value::Obj(o)) => match &o.payload {
                Payload::Instance(d) => {
                    let t = typ.payload.as_type().unwrap();
                    match instance_values::store(self, t, d, name, &std::cell::Cell::new(0), v) {
                        Ok(()) => return Ok(()),
                        Err(v) => Some(v),
                    }
                }
                _ => Some(v),
            },
            (value, _) => value,
        };
        let n = name.payload.as_str().map(|s| s.as_str()).unwrap_or("?");
        // CPython's setattr/delattr errors carry no name/obj context.
        let missing = || self.new_attribute_error(format!("'{}' object has no attribute '{}'", self.type_name_of(obj), n));
        // (A delete on an object that may have a dict but has none yet says
        // "no attribute", not "read-only", so the dict is made here too.)
        match self.instance_dict(obj, true) {
            Some(d) => match value {
                Some(v) => {
                    self.dict_set_str(&d, name, v);
                    Ok(())
                }
                None => match self.dict_remove(&d, &Value::Obj(name.clone()))? {
                    Some(_) => Ok(()),
                    None => Err(missing()),
                },
            },
            None => {
                if self.type_lookup(typ, name).is_some() {
                    return Err(self.new_attribute_error(format!(
                        "'{}' object attribute '{}' is read-only",
                        self.type_name_of(obj),
                        n
                    )));
                }
                Err(missing())
            }
        }
    }

    /// Runs a data descriptor's `__set__`/`__delete__`; Ok(false) when `descr`
    /// is not a data descriptor (the caller then uses the instance dict).
    pub fn descr_set(&self, descr: &Value, obj: &Value, value: Option<Value>) -> PyResult<bool> {
        match descr.payload() {
            Some(Payload::Property(p)) => {
                let (idx, what) = if value.is_some() { (1, "setter") } else { (2, "deleter") };
                match p[idx].get() {
                    Some(f) if !f.is_none() => {
                        let mut args = vec![obj.clone()];
                        args.extend(value);
                        self.call(&f, Args::new(&args))?;
                        Ok(true)
                    }
                    _ => Err(self.new_attribute_error(format!(
                        "property {}of '{}' object has no {}",
                        self.property_name_for_error(descr),
                        self.type_name_of(obj),
                        what
                    ))),
                }
            }
            Some(Payload::MemberDescr(m)) => {
                crate::types::member::member_set(self, m, obj, value)?;
                Ok(true)
            }
            Some(Payload::GetSetDescr { def, owner }) => match def.set {
                Some(set) => {
                    set(self, obj, value)?;
                    Ok(true)
                }
                // A read-only native member (`function.__globals__`).
                None if self.class_of(descr).is(&self.types.member_descriptor) => {
                    Err(self.new_attribute_error("readonly attribute"))
                }
                None => Err(self.new_attribute_error(format!(
                    "attribute '{}' of '{}' objects is not writable",
                    def.name,
                    self.type_name(owner)
                ))),
            },
            Some(_) if self.is_data_descriptor(descr) => {
                let dt = self.class_of(descr).payload.as_type().unwrap();
                match value {
                    Some(v) => match dt.slot(Slot::Set) {
                        Some(f) => {
                            self.call_unbound(&f, descr, &[obj.clone(), v])?;
                            Ok(true)
                        }
                        None => Err(self.new_attribute_error("__set__")),
                    },
                    None => match dt.slot(Slot::Delete) {
                        Some(f) => {
                            self.call_unbound(&f, descr, &[obj.clone()])?;
                            Ok(true)
                        }
                        None => Err(self.new_attribute_error("__delete__")),
                    },
                }
            }
            _ => Ok(false),
        }
    }

    /// `origin[args]` -> a `types.GenericAlias` (see `types/generic_alias.rs`).
    pub fn generic_alias(&self, origin: &Value, args: &Value) -> PyResult {
        Ok(crate::types::generic_alias::new_generic_alias(self, origin, args))
    }
}
