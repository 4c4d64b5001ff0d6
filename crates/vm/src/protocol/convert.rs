//! Making values from Rust data and reading Rust data out of values.

use crate::object::PyRef;
use crate::payload::Payload;
use crate::value::Value;
use crate::{PyResult, Vm};
use dashu_int::IBig;

impl Vm {
    pub fn new_str(&self, s: impl AsRef<str>) -> Value {
        Value::Obj(self.new_str_ref(s))
    }
    pub fn new_str_ref(&self, s: impl AsRef<str>) -> PyRef {
        let s = s.as_ref();
        PyRef::new_str(self.types.str.clone(), s, crate::types::str::count_chars(s))
    }
    pub fn new_tuple(&self, items: Vec<Value>) -> Value {
        if items.is_empty() {
            return Value::Obj(self.empty_tuple.clone());
        }
        Value::Obj(PyRef::new_tuple(self.types.tuple.clone(), items))
    }
    pub fn new_list(&self, items: Vec<Value>) -> Value {
        Value::Obj(PyRef::new(self.types.list.clone(), Payload::List(std::cell::RefCell::new(items.into()))))
    }
    pub fn new_bytes(&self, b: impl Into<Box<[u8]>>) -> Value {
        Value::Obj(PyRef::new(
            self.types.bytes.clone(),
            Payload::Bytes(Box::new(crate::payload::BytesData { bytes: b.into(), hash: std::cell::Cell::new(-1) })),
        ))
    }
    /// An int from a big integer, unboxed when it fits in an i64.
    pub fn new_int(&self, i: IBig) -> Value {
        match i64::try_from(&i) {
            Ok(v) => Value::Int(v),
            Err(_) => Value::Obj(PyRef::new(self.types.int.clone(), Payload::Int(i))),
        }
    }
    pub fn new_complex(&self, re: f64, im: f64) -> Value {
        Value::Obj(PyRef::new(self.types.complex.clone(), Payload::Complex((re, im))))
    }

    /// The text of a str value (any str subclass included), else None.
    pub fn as_str<'a>(&self, v: &'a Value) -> Option<&'a str> {
        v.payload().and_then(|p| p.as_str()).map(|s| s.as_str())
    }

    /// The value as a big integer if it is an int (bool included).
    pub fn as_ibig(&self, v: &Value) -> Option<IBig> {
        match v {
            Value::Int(i) => Some(IBig::from(*i)),
            Value::Bool(b) => Some(IBig::from(*b as i64)),
            Value::Obj(o) => o.payload.as_int().cloned(),
            _ => None,
        }
    }

    /// `operator.index(v)` as an i64 when it fits; OverflowError otherwise
    /// (message `msg_overflow`, e.g. "cannot fit 'int' into an index-sized integer").
    pub fn to_index_i64(&self, v: &Value) -> PyResult<i64> {
        match v {
            Value::Int(i) => Ok(*i),
            Value::Bool(b) => Ok(*b as i64),
            _ => {
                let i = self.index(v)?;
                match i {
                    Value::Int(i) => Ok(i),
                    _ => Err(self.new_exception_msg(
                        &self.exc.index_error,
                        format!("cannot fit '{}' into an index-sized integer", self.type_name_of(v)),
                    )),
                }
            }
        }
    }

    /// `operator.index(v)`: the int a value stands for (`__index__`).
    pub fn index(&self, v: &Value) -> PyResult {
        match v {
            Value::Int(_) => Ok(v.clone()),
            Value::Bool(b) => Ok(Value::Int(*b as i64)),
            Value::Obj(o) if o.payload.as_int().is_some() => Ok(self.new_int(o.payload.as_int().unwrap().clone())),
            _ => {
                if let Some(f) = self.class_of(v).payload.as_type().and_then(|t| t.slot(crate::types::typeobj::Slot::Index)) {
                    let r = self.call(&f, crate::Args::new(&[v.clone()]))?;
                    if self.as_ibig(&r).is_some() {
                        if !matches!(r, Value::Int(_)) && !self.class_of(&r).is(&self.types.int) {
                            let warning = crate::types::int::subclass_result_warning(
                                "__index__",
                                "int",
                                &self.type_name_of(&r),
                            );
                            self.warn(&self.exc.deprecation_warning, warning)?;
                        }
                        return Ok(match r {
                            Value::Bool(b) => Value::Int(b as i64),
                            Value::Obj(ref o) if !o.class().is(&self.types.int) => self.new_int(o.payload.as_int().unwrap().clone()),
                            other => other,
                        });
                    }
                    return Err(self.new_type_error(format!(
                        "__index__ returned non-int (type {})",
                        self.type_name_of(&r)
                    )));
                }
                Err(self.new_type_error(format!(
                    "'{}' object cannot be interpreted as an integer",
                    self.type_name_of(v)
                )))
            }
        }
    }

    /// The items of a tuple or list value, cloned (no Python code runs).
    pub fn seq_items(&self, v: &Value) -> Option<Vec<Value>> {
        let p = v.payload()?;
        if let Some(t) = p.as_tuple() {
            return Some(t.to_vec());
        }
        p.as_list().map(|l| l.borrow().to_vec())
    }

    /// The items of an exact list or tuple (CPython's PySequence_Fast fast
    /// path); None for anything else, subclasses included, since they may
    /// override `__iter__`. Iteration contexts use this, not `seq_items`.
    pub fn exact_seq_items(&self, v: &Value) -> Option<Vec<Value>> {
        let o = v.as_obj()?;
        if !o.class().is_immortal() {
            return None;
        }
        self.seq_items(v)
    }

    /// Everything an iterable yields, collected (runs Python code).
    pub fn collect_iter(&self, v: &Value) -> PyResult<Vec<Value>> {
        if let Some(items) = self.exact_seq_items(v) {
            return Ok(items);
        }
        let it = self.iter(v)?;
        let mut out = Vec::with_capacity(self.class_length_hint(v)?);
        while let Some(x) = self.next(&it)? {
            out.push(x);
        }
        Ok(out)
    }

    /// The room to reserve before collecting the items of `v`. A class's own
    /// `__len__`/`__length_hint__` runs, as CPython's `PyObject_LengthHint`
    /// in `list(v)`, `tuple(v)`, `[*v]` (its effects and errors show);
    /// builtin iterables' hints are unobservable and not asked.
    pub fn class_length_hint(&self, v: &Value) -> PyResult<usize> {
        if !self.class_of(v).payload.as_type().is_some_and(|t| t.is_heap()) {
            return Ok(0);
        }
        Ok((self.length_hint(v, 8)? as usize).min(1 << 16))
    }
}
