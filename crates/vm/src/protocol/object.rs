//! hash, equality and rich comparison, repr/str, truth, len, iteration and
//! subscription for values of any type.

use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::typeobj::Slot;
use crate::value::Value;
use crate::{Args, PyResult, Vm};
use dashu_int::IBig;
use krait_compiler::bytecode::CmpOp;

impl Vm {
    /// The cached special method `slot` of the type of `v`.
    #[inline]
    pub fn special(&self, v: &Value, slot: Slot) -> Option<Value> {
        self.class_of(v).payload.as_type().and_then(|t| t.slot(slot))
    }

    /// Calls special method `slot` on `v` with extra arguments; None if the type
    /// does not define it.
    pub fn call_special(&self, v: &Value, slot: Slot, extra: &[Value]) -> PyResult<Option<Value>> {
        let f = match self.special(v, slot) {
            Some(f) => f,
            None => return Ok(None),
        };
        Ok(Some(self.call_unbound(&f, v, extra)?))
    }

    /// Calls an attribute found on a type (an unbound function, a native method
    /// descriptor, or any descriptor) as a method of `obj`.
    pub fn call_unbound(&self, f: &Value, obj: &Value, extra: &[Value]) -> PyResult {
        match f.payload() {
            // A builtin method of `obj`'s own type (the usual case: a slot
            // found on its class) goes straight to its Rust function.
            Some(Payload::NativeMethod { def, owner })
                if def.kind == crate::types::function::NativeKind::Method
                    && self.is_subtype(self.class_of(obj), owner) =>
            {
                crate::protocol::call::with_prepended(obj, extra, |args| (def.func)(self, Args::new(args)))
            }
            Some(Payload::Function(_)) | Some(Payload::NativeMethod { .. }) => {
                crate::protocol::call::with_prepended(obj, extra, |args| self.call(f, Args::new(args)))
            }
            _ => {
                let typ = self.type_of(obj);
                let bound = self.descr_get(f, Some(obj), &typ)?;
                self.call(&bound, Args::new(extra))
            }
        }
    }

    /// `hash(v)`.
    pub fn hash(&self, v: &Value) -> PyResult<i64> {
        match v {
            Value::Int(i) => Ok(hash_i64(*i)),
            Value::Bool(b) => Ok(*b as i64),
            Value::None => Ok(0xFCA86420u32 as i64 >> 4),
            Value::Float(f) => Ok(crate::protocol::ops::hash_float(*f, v)),
            Value::Obj(o) => {
                if let Payload::Str(s) = &o.payload {
                    if o.class().is(&self.types.str) {
                        return Ok(s.hash());
                    }
                }
                match self.special(v, Slot::Hash) {
                    Some(f) if !f.is_none() => {
                        let r = self.call_unbound(&f, v, &[])?;
                        match r {
                            Value::Int(i) => Ok(if i == -1 { -2 } else { i }),
                            Value::Bool(b) => Ok(b as i64),
                            Value::Obj(ref ro) if ro.payload.as_int().is_some() => {
                                // Big ints hash by value (reduced modulo 2**61 - 1).
                                let h = self.hash(&self.new_int(ro.payload.as_int().unwrap().clone()))?;
                                Ok(h)
                            }
                            _ => Err(self.new_type_error("__hash__ method should return an integer")),
                        }
                    }
                    _ => Err(self.new_type_error(format!("unhashable type: '{}'", self.type_name_of(v)))),
                }
            }
        }
    }

    /// `a == b` as a bool, with CPython's identity shortcut (`x == x` is True
    /// for containers even when `x.__eq__` says otherwise, e.g. NaN in a list).
    pub fn eq_bool(&self, a: &Value, b: &Value) -> PyResult<bool> {
        if let (Value::Float(x), Value::Float(y)) = (a, b) {
            // Plain `==` (NaN != NaN); fast_key_eq may treat the same NaN as equal.
            return Ok(x == y);
        }
        if a.is(b) {
            return Ok(true);
        }
        if let Some(r) = crate::types::dict_table::fast_key_eq(a, b) {
            return Ok(r);
        }
        let r = self.compare(a, b, CmpOp::Eq)?;
        self.truthy(&r)
    }

    /// Identity-or-equality as containers use it (`x in [x]` is True for NaN).
    pub fn eq_identity_or(&self, a: &Value, b: &Value) -> PyResult<bool> {
        if a.is(b) {
            return Ok(true);
        }
        self.eq_bool(a, b)
    }

    /// Rich comparison `a op b`, with reflected operands and NotImplemented.
    pub fn compare(&self, a: &Value, b: &Value, op: CmpOp) -> PyResult {
        if let Some(r) = crate::protocol::ops::fast_compare(a, b, op) {
            return Ok(Value::Bool(r));
        }
        self.nested(" in comparison", || self.compare_slots(a, b, op))
    }

    /// Runs comparison method `f` of `obj`'s type. An error while binding it
    /// (a property that raises) counts as NotImplemented, as in CPython's
    /// `slot_tp_richcompare`; errors of the call itself propagate.
    pub(crate) fn call_compare_slot(&self, f: &Value, obj: &Value, other: &Value) -> PyResult {
        match f.payload() {
            Some(Payload::Function(_)) | Some(Payload::NativeMethod { .. }) => {
                self.call(f, Args::new(&[obj.clone(), other.clone()]))
            }
            _ => match self.descr_get(f, Some(obj), &self.type_of(obj)) {
                Ok(bound) => self.call(&bound, Args::new(std::slice::from_ref(other))),
                Err(_) => Ok(self.not_implemented()),
            },
        }
    }

    fn compare_slots(&self, a: &Value, b: &Value, op: CmpOp) -> PyResult {
        let ta = self.type_of(a);
        let tb = self.type_of(b);
        let slot = cmp_slot(op);
        let rslot = cmp_slot(op.swapped());
        let mut checked_reflected = false;
        if !ta.is(&tb) && self.is_subtype(&tb, &ta) {
            if let Some(f) = self.special(b, rslot) {
                checked_reflected = true;
                let r = self.call_compare_slot(&f, b, a)?;
                if !self.is_not_implemented(&r) {
                    return Ok(r);
                }
            }
        }
        if let Some(f) = self.special(a, slot) {
            let r = self.call_compare_slot(&f, a, b)?;
            if !self.is_not_implemented(&r) {
                return Ok(r);
            }
        }
        if !checked_reflected {
            if let Some(f) = self.special(b, rslot) {
                let r = self.call_compare_slot(&f, b, a)?;
                if !self.is_not_implemented(&r) {
                    return Ok(r);
                }
            }
        }
        match op {
            CmpOp::Eq => Ok(Value::Bool(a.is(b))),
            CmpOp::Ne => Ok(Value::Bool(!a.is(b))),
            _ => Err(self.new_type_error(format!(
                "'{}' not supported between instances of '{}' and '{}'",
                op.symbol(),
                self.type_name(&ta),
                self.type_name(&tb)
            ))),
        }
    }

    /// `a < b` as a bool (sorting, min/max).
    pub fn lt_bool(&self, a: &Value, b: &Value) -> PyResult<bool> {
        if let Some(r) = crate::protocol::ops::fast_compare(a, b, CmpOp::Lt) {
            return Ok(r);
        }
        let r = self.compare(a, b, CmpOp::Lt)?;
        self.truthy(&r)
    }

    /// `repr(v)` as a str value.
    pub fn repr(&self, v: &Value) -> PyResult<PyRef> {
        self.nested(" while getting the repr of an object", || self.repr_unguarded(v))
    }

    /// Runs `f` one level deeper against the recursion limit, like a Python
    /// call: CPython's Py_EnterRecursiveCall(where). Native operations that
    /// recurse through containers (repr, comparison) raise RecursionError
    /// "maximum recursion depth exceeded{where}" instead of exhausting the stack.
    pub fn nested<R>(&self, where_: &str, f: impl FnOnce() -> PyResult<R>) -> PyResult<R> {
        let d = self.recursion_depth.get() + 1;
        if d > self.recursion_limit.get() {
            return Err(self.new_recursion_error(format!("maximum recursion depth exceeded{where_}")));
        }
        self.recursion_depth.set(d);
        let r = f();
        self.recursion_depth.set(self.recursion_depth.get().saturating_sub(1));
        r
    }

    fn repr_unguarded(&self, v: &Value) -> PyResult<PyRef> {
        match self.call_special(v, Slot::Repr, &[])? {
            Some(Value::Obj(o)) if o.payload.as_str().is_some() => Ok(o),
            Some(r) => Err(self.new_type_error(format!(
                "__repr__ returned non-string (type {})",
                self.type_name_of(&r)
            ))),
            None => Ok(self.new_str_ref(format!("<{} object>", self.type_name_of(v)))),
        }
    }

    /// `repr(v)` as Rust text.
    pub fn repr_string(&self, v: &Value) -> PyResult<String> {
        Ok(self.repr(v)?.payload.as_str().unwrap().as_str().to_string())
    }

    /// `str(v)` as a str value.
    pub fn str(&self, v: &Value) -> PyResult<PyRef> {
        if let Value::Obj(o) = v {
            if o.class().is(&self.types.str) {
                return Ok(o.clone());
            }
        }
        match self.call_special(v, Slot::Str, &[])? {
            Some(Value::Obj(o)) if o.payload.as_str().is_some() => Ok(o),
            Some(r) => Err(self.new_type_error(format!(
                "__str__ returned non-string (type {})",
                self.type_name_of(&r)
            ))),
            None => self.repr(v),
        }
    }

    pub fn str_string(&self, v: &Value) -> PyResult<String> {
        Ok(self.str(v)?.payload.as_str().unwrap().as_str().to_string())
    }

    /// Runs `f` unless `v` is already being repr'd further up the stack (for
    /// `[[...]]` and `{...}` of self-containing containers); then `None`.
    pub fn with_repr_guard<T>(&self, v: &Value, f: impl FnOnce() -> PyResult<T>) -> PyResult<Option<T>> {
        let id = v.id();
        if self.repr_stack.borrow().contains(&id) {
            return Ok(None);
        }
        self.repr_stack.borrow_mut().push(id);
        let r = f();
        self.repr_stack.borrow_mut().retain(|x| *x != id);
        r.map(Some)
    }

    /// `bool(v)`.
    pub fn truthy(&self, v: &Value) -> PyResult<bool> {
        match v {
            Value::Bool(b) => Ok(*b),
            Value::None => Ok(false),
            Value::Int(i) => Ok(*i != 0),
            Value::Float(f) => Ok(*f != 0.0),
            Value::Obj(o) => {
                if o.class().is_immortal() {
                    match &o.payload {
                        Payload::Str(s) => return Ok(s.char_len() != 0),
                        Payload::List(l) => return Ok(!l.borrow().is_empty()),
                        Payload::Tuple(t) => return Ok(!t.is_empty()),
                        Payload::Dict(d) => return Ok(!d.borrow().is_empty()),
                        Payload::Int(_) => return Ok(true),
                        _ => {}
                    }
                }
                if let Some(r) = self.call_special(v, Slot::Bool, &[])? {
                    return match r {
                        Value::Bool(b) => Ok(b),
                        _ => Err(self.new_type_error(format!(
                            "__bool__ should return bool, returned {}",
                            self.type_name_of(&r)
                        ))),
                    };
                }
                if self.special(v, Slot::Len).is_some() {
                    return Ok(self.len(v)? != 0);
                }
                Ok(true)
            }
        }
    }

    /// `len(v)`.
    pub fn len(&self, v: &Value) -> PyResult<usize> {
        // Builtin types only: a subclass may override __len__.
        if let Value::Obj(o) = v {
            if o.class().is_immortal() {
                match &o.payload {
                    Payload::Str(s) => return Ok(s.char_len()),
                    Payload::List(l) => return Ok(l.borrow().len()),
                    Payload::Tuple(t) => return Ok(t.len()),
                    Payload::Dict(d) => return Ok(d.borrow().len()),
                    _ => {}
                }
            }
        }
        match self.call_special(v, Slot::Len, &[])? {
            Some(r) => {
                // The sign is checked before the size, as CPython does.
                match self.index(&r)? {
                    Value::Int(i) if i >= 0 => Ok(i as usize),
                    Value::Int(_) => Err(self.new_value_error("__len__() should return >= 0")),
                    big if self.as_ibig(&big).is_some_and(|b| b < IBig::ZERO) => {
                        Err(self.new_value_error("__len__() should return >= 0"))
                    }
                    _ => Err(self.new_overflow_error("cannot fit 'int' into an index-sized integer")),
                }
            }
            None => Err(self.new_type_error(format!("object of type '{}' has no len()", self.type_name_of(v)))),
        }
    }

    /// CPython's `PyObject_LengthHint`: `len(v)` when `v` has a `__len__`
    /// (a TypeError from it is ignored), else its `__length_hint__` (looked
    /// up on the type and bound like any special method), else `default`.
    pub fn length_hint(&self, v: &Value, default: i64) -> PyResult<i64> {
        if self.special(v, Slot::Len).is_some() {
            match self.len(v) {
                Ok(n) => return Ok(n as i64),
                Err(e) if self.exception_matches(&e, &self.exc.type_error) => {}
                Err(e) => return Err(e),
            }
        }
        let hint = match self.type_lookup_str(self.class_of(v), "__length_hint__") {
            Some(h) => h,
            None => return Ok(default),
        };
        let r = match self.call_unbound(&hint, v, &[]) {
            Ok(r) => r,
            Err(e) if self.exception_matches(&e, &self.exc.type_error) => return Ok(default),
            Err(e) => return Err(e),
        };
        if self.is_not_implemented(&r) {
            return Ok(default);
        }
        if self.as_ibig(&r).is_none() {
            return Err(self.new_type_error(format!(
                "__length_hint__ must be an integer, not {}",
                self.type_name_of(&r)
            )));
        }
        match self.index(&r)? {
            Value::Int(n) if n >= 0 => Ok(n),
            Value::Int(_) => Err(self.new_value_error("__length_hint__() should return >= 0")),
            Value::Bool(b) => Ok(b as i64),
            _ => Err(self.new_overflow_error("Python int too large to convert to C ssize_t")),
        }
    }

    /// `iter(v)`.
    pub fn iter(&self, v: &Value) -> PyResult {
        let f = self.special(v, Slot::Iter);
        // `__iter__ = None` declares the type not iterable (no __getitem__ fallback).
        if let Some(f) = f.clone().filter(|f| !f.is_none()) {
            let r = self.call_unbound(&f, v, &[])?;
            // A builtin type's own `__iter__` always makes an iterator.
            let builtin = matches!(f.payload(), Some(Payload::NativeMethod { .. })) && self.class_of(v).is_immortal();
            if !builtin && self.special(&r, Slot::Next).is_none() {
                return Err(self.new_type_error(format!(
                    "iter() returned non-iterator of type '{}'",
                    self.type_name_of(&r)
                )));
            }
            return Ok(r);
        }
        if f.is_none() && self.special(v, Slot::GetItem).is_some() && !matches!(v.payload(), Some(Payload::Dict(_))) {
            return Ok(self.new_seq_iter(v.clone()));
        }
        Err(self.new_type_error(format!("'{}' object is not iterable", self.type_name_of(v))))
    }

    /// `next(it)`: Some(value), or None when the iterator is exhausted
    /// (StopIteration is absorbed without being created where possible).
    pub fn next(&self, it: &Value) -> PyResult<Option<Value>> {
        if let Some(Payload::Iter(_)) = it.payload() {
            return crate::types::iter::iter_next(self, it);
        }
        if let Some(Payload::Generator(_)) = it.payload() {
            return crate::eval::generator::gen_next(self, it);
        }
        match self.special(it, Slot::Next) {
            Some(f) => match self.call_unbound(&f, it, &[]) {
                Ok(v) => Ok(Some(v)),
                Err(e) if self.exception_matches(&e, &self.exc.stop_iteration) => Ok(None),
                Err(e) => Err(e),
            },
            None => Err(self.new_type_error(format!("'{}' object is not an iterator", self.type_name_of(it)))),
        }
    }

    /// `v[key]`.
    pub fn getitem(&self, v: &Value, key: &Value) -> PyResult {
        // Exact lists and tuples only: a subclass may override __getitem__.
        if let Value::Int(i) = key {
            if let Some(r) = crate::eval::ops::index_exact_seq(v, *i) {
                return Ok(r);
            }
        }
        if let Some(l) = exact_list_with_slice(v, key) {
            return crate::types::list_slice::get_slice(self, l, key);
        }
        if let Value::Obj(o) = v {
            if let Payload::Str(me) = &o.payload {
                if o.class().is(&self.types.str) {
                    return crate::types::str_methods::subscript(self, me, key);
                }
            }
        }
        if let Some(r) = self.call_special(v, Slot::GetItem, &[key.clone()])? {
            return Ok(r);
        }
        if let Value::Obj(o) = v {
            if o.payload.as_type().is_some() {
                // `C[int]`: __class_getitem__ on a class.
                if let Some(f) = self.type_lookup_str(o, "__class_getitem__") {
                    let bound = self.descr_get(&f, None, o)?;
                    let bound = match bound.payload() {
                        Some(Payload::Function(_)) => self.new_bound_method(bound.clone(), v.clone()),
                        _ => bound,
                    };
                    return self.call(&bound, Args::new(&[key.clone()]));
                }
                if o.is(&self.types.type_) {
                    return self.generic_alias(v, key);
                }
                return Err(self.new_type_error(format!("type '{}' is not subscriptable", self.type_name(o))));
            }
        }
        Err(self.new_type_error(format!("'{}' object is not subscriptable", self.type_name_of(v))))
    }

    /// `v[key] = value`.
    pub fn setitem(&self, v: &Value, key: &Value, value: Value) -> PyResult<()> {
        if let (Value::Obj(o), Value::Int(i)) = (v, key) {
            if o.class().is(&self.types.list) {
                let l = o.payload.as_list().unwrap();
                let mut l = l.borrow_mut();
                let idx = if *i < 0 { *i + l.len() as i64 } else { *i };
                if idx >= 0 && (idx as usize) < l.len() {
                    let old = std::mem::replace(&mut l[idx as usize], value);
                    drop(l);
                    drop(old);
                    return Ok(());
                }
            }
        }
        if let Value::Obj(o) = v {
            if o.class().is(&self.types.dict) {
                return self.dict_set(o, key.clone(), value);
            }
        }
        if let Some(l) = exact_list_with_slice(v, key) {
            return crate::types::list_slice::assign_slice(self, v, l, key, Some(&value));
        }
        match self.call_special(v, Slot::SetItem, &[key.clone(), value])? {
            Some(_) => Ok(()),
            None => Err(self.new_type_error(format!(
                "'{}' object does not support item assignment",
                self.type_name_of(v)
            ))),
        }
    }

    /// `del v[key]`.
    pub fn delitem(&self, v: &Value, key: &Value) -> PyResult<()> {
        if let Some(l) = exact_list_with_slice(v, key) {
            return crate::types::list_slice::assign_slice(self, v, l, key, None);
        }
        match self.call_special(v, Slot::DelItem, &[key.clone()])? {
            Some(_) => Ok(()),
            None => Err(self.new_type_error(format!(
                "'{}' object doesn't support item deletion",
                self.type_name_of(v)
            ))),
        }
    }

    /// `item in container`.
    pub fn contains(&self, container: &Value, item: &Value) -> PyResult<bool> {
        // Exact builtin containers answer without the `__contains__` call.
        if let Value::Obj(o) = container {
            match &o.payload {
                Payload::Set(t) | Payload::FrozenSet(t)
                    if o.class().is(&self.types.set) || o.class().is(&self.types.frozenset) =>
                {
                    return crate::types::set_methods::set_contains_key(self, t, item);
                }
                Payload::Dict(_) if o.class().is(&self.types.dict) => {
                    return Ok(self.dict_get(o, item)?.is_some());
                }
                Payload::Str(text) if o.class().is(&self.types.str) => {
                    if let Some(needle) = item.payload().and_then(|p| p.as_str()) {
                        return Ok(crate::types::str_methods::contains_text(text, needle));
                    }
                }
                _ => {}
            }
        }
        if let Some(f) = self.special(container, Slot::Contains) {
            if f.is_none() {
                return Err(self.new_type_error(format!(
                    "'{}' object is not a container",
                    self.type_name_of(container)
                )));
            }
            let r = self.call_unbound(&f, container, &[item.clone()])?;
            return self.truthy(&r);
        }
        if self.special(container, Slot::Iter).is_some() || self.special(container, Slot::GetItem).is_some() {
            // CPython rewords any TypeError from iter() (e.g. `__iter__ = None`).
            let it = match self.iter(container) {
                Ok(it) => it,
                Err(e) if self.exception_matches(&e, &self.exc.type_error) => {
                    return Err(self.new_type_error(format!(
                        "argument of type '{}' is not iterable",
                        self.type_name_of(container)
                    )))
                }
                Err(e) => return Err(e),
            };
            while let Some(x) = self.next(&it)? {
                if self.eq_identity_or(&x, item)? {
                    return Ok(true);
                }
            }
            return Ok(false);
        }
        Err(self.new_type_error(format!(
            "argument of type '{}' is not iterable",
            self.type_name_of(container)
        )))
    }
}

fn cmp_slot(op: CmpOp) -> Slot {
    match op {
        CmpOp::Lt => Slot::Lt,
        CmpOp::Le => Slot::Le,
        CmpOp::Eq => Slot::Eq,
        CmpOp::Ne => Slot::Ne,
        CmpOp::Gt => Slot::Gt,
        CmpOp::Ge => Slot::Ge,
    }
}

/// Python's hash of a machine int (modulus 2**61 - 1, -1 maps to -2).
#[inline]
pub fn hash_i64(i: i64) -> i64 {
    const P: i64 = (1 << 61) - 1;
    let h = if i >= 0 { i % P } else { -((-(i as i128) % P as i128) as i64) };
    if h == -1 { -2 } else { h }
}

/// The storage of `v` when it is an exact list (a subclass may override the
/// subscript methods) and `key` a slice: that case skips the method call.
#[inline]
fn exact_list_with_slice<'a>(v: &'a Value, key: &Value) -> Option<&'a std::cell::RefCell<crate::types::list_storage::ListStorage>> {
    let o = v.as_obj()?;
    match (&o.payload, key.payload()) {
        (Payload::List(l), Some(Payload::Slice(_))) if o.class().is_immortal() => Some(l),
        _ => None,
    }
}
