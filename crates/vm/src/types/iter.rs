//! The state of builtin iterators (list_iterator, range_iterator, zip, map, ...).
//! Each variant is one Python type; `next` for each lives with its type.

use crate::object::PyRef;
use crate::value::Value;

pub enum IterState {
    /// Iterates a list, tuple, or any object by `__getitem__` with increasing
    /// indices until IndexError (the "sequence iterator"); `None` when exhausted.
    Seq { seq: Option<Value>, index: usize },
    /// `range` iteration with i64 bounds.
    Range { next: i64, step: i64, remaining: u64 },
    /// `str` iteration by byte offset.
    Str { s: Option<PyRef>, byte_pos: usize },
    /// Dict keys/values/items iteration: the dict, the entry position, the
    /// dict's length and version at creation (to detect size changes).
    Dict { dict: Option<PyRef>, pos: usize, len: usize, kind: crate::payload::DictViewKind },
    /// Set iteration.
    Set { set: Option<PyRef>, pos: usize, len: usize },
    /// `reversed()` over a sequence.
    Reversed { seq: Option<Value>, index: isize },
    Enumerate { iter: Value, count: Value },
    Zip { iters: Vec<Value>, strict: bool },
    Map { func: Value, iters: Vec<Value> },
    Filter { func: Value, iter: Value },
    /// `iter(callable, sentinel)`.
    Callable { func: Option<Value>, sentinel: Value },
    /// Bytes / bytearray iteration.
    Bytes { data: Option<Value>, index: usize },
    /// Any other iterator some native module defines.
    Other(Box<dyn std::any::Any>),
}

use crate::payload::Payload;
use crate::{PyResult, Vm};

impl Vm {
    /// The iterator `iter(seq)` makes for objects with only `__getitem__`.
    pub fn new_seq_iter(&self, seq: Value) -> Value {
        Value::Obj(PyRef::new(
            self.types.iterator.clone(),
            Payload::Iter(Box::new(std::cell::RefCell::new(IterState::Seq { seq: Some(seq), index: 0 }))),
        ))
    }
}

/// `next()` of a builtin iterator: Some(value), or None when exhausted.
pub fn iter_next(vm: &Vm, it: &Value) -> PyResult<Option<Value>> {
    let _ = (vm, it);
    Ok(None)
}
