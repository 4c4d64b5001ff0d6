//! A Python value: a two-word handle. `None`, bools, small ints and floats are
//! unboxed (no heap object, no reference count); everything else is a counted
//! reference to a heap object.
//!
//! Invariants:
//! - an exact `int` whose value fits in an i64 is always `Value::Int`; only
//!   bigger ints (and instances of int subclasses) are heap `Payload::Int`s;
//! - an exact `float` is always `Value::Float`; float subclass instances are heap;
//! - `True`/`False` are always `Value::Bool`, `None` is always `Value::None`.
//!
//! Identity (`is`, `id()`) of unboxed values is by value, as in PyPy: see
//! docs/differences.md.

use crate::object::PyRef;
use crate::payload::Payload;

// A full-word tag and every payload at offset 8: values are then copied as
// two whole words. (With the default layout a bool payload sits at byte 1 and
// copies get split into odd-sized pieces whose reloads stall store forwarding
// on every push and pop of the eval loop.)
#[repr(u64)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Obj(PyRef),
}

impl Clone for Value {
    // Forced inline: the eval loop clones values on every LOAD_FAST, and an
    // out-of-line call there costs more than the copy itself.
    #[inline(always)]
    fn clone(&self) -> Value {
        if let Value::Obj(o) = self {
            o.incref();
        }
        // SAFETY: the unboxed variants are plain data, and for `Obj` the count
        // was just raised, so the bitwise copy owns its own reference. Copying
        // the whole 16 bytes at once (rather than per variant) keeps the copy a
        // single load and store.
        unsafe { std::ptr::read(self) }
    }
}

impl Value {
    /// `a is b`.
    #[inline]
    pub fn is(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::None, Value::None) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a.to_bits() == b.to_bits(),
            (Value::Obj(a), Value::Obj(b)) => a.is(b),
            _ => false,
        }
    }

    #[inline(always)]
    pub fn is_none(&self) -> bool {
        matches!(self, Value::None)
    }

    /// The heap object, if this value is one.
    #[inline(always)]
    pub fn as_obj(&self) -> Option<&PyRef> {
        match self {
            Value::Obj(o) => Some(o),
            _ => None,
        }
    }

    /// The payload of a heap value.
    #[inline(always)]
    pub fn payload(&self) -> Option<&Payload> {
        match self {
            Value::Obj(o) => Some(&o.payload),
            _ => None,
        }
    }

    /// `id(x)`. Unboxed values get a stable id derived from their bits, tagged so
    /// that it cannot collide with a heap address (heap addresses are 8-aligned).
    pub fn id(&self) -> i64 {
        match self {
            Value::Obj(o) => o.id() as i64,
            Value::None => 0x1001,
            Value::Bool(b) => 0x1011 + *b as i64 * 16,
            Value::Int(i) => (i.wrapping_mul(16)) | 0x3,
            Value::Float(f) => ((f.to_bits() as i64).wrapping_mul(16)) | 0x5,
        }
    }
}

impl From<PyRef> for Value {
    #[inline(always)]
    fn from(r: PyRef) -> Value {
        Value::Obj(r)
    }
}
impl From<bool> for Value {
    #[inline(always)]
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    #[inline(always)]
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}
impl From<f64> for Value {
    #[inline(always)]
    fn from(f: f64) -> Value {
        Value::Float(f)
    }
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::None => write!(f, "None"),
            Value::Bool(b) => write!(f, "{}", if *b { "True" } else { "False" }),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x:?}"),
            Value::Obj(o) => write!(f, "{o:?}"),
        }
    }
}
