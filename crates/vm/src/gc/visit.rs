//! Enumerating the references an object holds (CPython's `tp_traverse`) and
//! dropping them (`tp_clear`). The cycle collector, `gc.get_referents` and
//! `gc.get_referrers` see an object's outgoing references only through these.
//!
//! The rule for every traverse function: visit each reference the object
//! *owns* (holds a count for) at most once per holding. Visiting fewer is
//! safe (a cycle through the missed edge is not found: a leak); visiting a
//! reference that is not owned is not (the collector could free a live object).

use crate::object::PyRef;
use crate::value::Value;

/// What receives the references of a traversed object.
pub trait Visitor {
    /// One owned reference to a heap object.
    fn visit(&mut self, obj: &PyRef);
    /// One owned value (unboxed values are only of interest to
    /// `gc.get_referents`, which lists ints and floats too).
    #[inline]
    fn visit_value(&mut self, v: &Value) {
        if let Value::Obj(o) = v {
            self.visit(o);
        }
    }
}

/// The state of a native module's object type (`Payload::Native`): the
/// module's Rust data, with the hooks the cycle collector needs. A type whose
/// state holds Python references should implement `traverse` and `clear` and
/// return true from `is_gc`; the defaults describe an object that holds none
/// (or whose references the collector may ignore: cycles through it leak).
pub trait NativeData: std::any::Any {
    /// Is the object tracked by the cycle collector? The answer decides the
    /// object's memory layout (a GC header in front), and the VM asks again
    /// whenever it needs the header (freeing included): it must give the
    /// same answer for the object's whole life, whatever `clear` did (a
    /// changed answer frees the wrong block).
    fn is_gc(&self) -> bool {
        false
    }
    /// Visits every Python reference the state owns (see the module docs).
    fn traverse(&self, _visitor: &mut dyn Visitor) {}
    /// Drops every Python reference the state owns that could be part of a
    /// cycle (CPython's `tp_clear`). Called on unreachable garbage only; the
    /// object must stay valid (methods may still be called on it) afterwards.
    /// Must not run Python code while a borrow of the state is held: take the
    /// references out first, then let them drop.
    fn clear(&self) {}
    /// The object's raw bytes if it exports a simple, writable byte buffer
    /// (CPython's buffer protocol, as `array.array` does): bytes-like
    /// consumers copy from it and `struct.pack_into` writes into it.
    fn buffer(&self) -> Option<&std::cell::RefCell<Vec<u8>>> {
        None
    }
    /// The struct-module format letter of the buffer's items (what a
    /// memoryview of it shows as `format`).
    fn buffer_format(&self) -> u8 {
        b'B'
    }
    /// A memoryview whose buffer this object exports in turn
    /// (`pickle.PickleBuffer`): `memoryview(obj)` and bytes-like consumers
    /// read through it; Err(message) for the ValueError of an object whose
    /// buffer was released.
    fn exported_view(&self) -> Option<Result<Value, &'static str>> {
        None
    }
}
