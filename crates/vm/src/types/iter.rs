//! The state of builtin iterators (list_iterator, range_iterator, zip, map,
//! ...) and `iter_next`, which advances any of them, plus the Python-visible
//! `__iter__`/`__next__`/`__length_hint__` of the iterator types.
//!
//! An iterator's state sits in a `RefCell`; `iter_next` never keeps it
//! borrowed while Python code runs (a `map` function may call `next()` on the
//! same map): it copies out what it needs, runs the code, and re-borrows to
//! store the new position.

use crate::object::PyRef;
use crate::payload::{DictViewKind, Payload};
use crate::types::function::{Args, NativeDef};
use crate::types::typeobj::Slot;
use crate::value::Value;
use crate::{PyResult, Vm};
use dashu_int::IBig;
use std::cell::RefCell;

pub enum IterState {
    /// Iterates a list, tuple, or any object by `__getitem__` with increasing
    /// indices until IndexError (the "sequence iterator"); `None` when exhausted.
    Seq { seq: Option<Value>, index: usize },
    /// `range` iteration with i64 bounds; `start` and `len` are the range's
    /// (for `__reduce__`: the position is `len - remaining`).
    Range { next: i64, step: i64, remaining: u64, start: i64, len: u64 },
    /// `range` iteration beyond the i64 range (longrange_iterator), boxed
    /// as it is rare and would make every iterator's state bigger.
    BigRange(Box<BigRangeIter>),
    /// `str` iteration by byte offset.
    Str { s: Option<PyRef>, byte_pos: usize },
    /// Dict keys/values/items iteration: the dict, the entry position, the
    /// dict's length at creation (size-change check) and the items still
    /// expected (keys-changed check).
    Dict { dict: Option<PyRef>, pos: usize, len: usize, remaining: usize, kind: DictViewKind },
    /// Reversed dict iteration: `pos` is one past the next entry to look at.
    DictRev { dict: Option<PyRef>, pos: usize, len: usize, remaining: usize, kind: DictViewKind },
    /// Set iteration: slot position and the set's size at creation.
    Set { set: Option<PyRef>, pos: usize, len: usize },
    /// `reversed()` over a sequence (lists natively, others by `__getitem__`).
    Reversed { seq: Option<Value>, index: isize },
    /// `result` (in zip too): the last tuple handed out, recycled by the
    /// next step when nothing else holds it any more (see `result_tuple`).
    Enumerate { iter: Value, count: Value, result: Option<PyRef> },
    /// Shared so that each step can hold the iterators with the state
    /// released (their `__next__` may run code) without copying the list.
    Zip { iters: std::rc::Rc<[Value]>, strict: bool, result: Option<PyRef> },
    Map { func: Value, iters: Vec<Value> },
    Filter { func: Value, iter: Value },
    /// `iter(callable, sentinel)`.
    Callable { func: Option<Value>, sentinel: Value },
    /// Bytes / bytearray iteration.
    Bytes { data: Option<Value>, index: usize },
    /// Any other iterator some native module defines; advanced through its
    /// type's `__next__`. The state's hooks tell the cycle collector about
    /// the Python references it holds.
    Other(Box<dyn crate::gc::NativeData>),
    /// A native module's iterator (itertools): a Rust state machine. Shared
    /// so `iter_next` can release the state's borrow while it runs.
    Native(std::rc::Rc<dyn NativeIter>),
}

/// The state of a longrange_iterator: the next value, the step and how many
/// values remain, with the range's start and length (for `__reduce__`).
pub struct BigRangeIter {
    pub next: IBig,
    pub step: IBig,
    pub remaining: IBig,
    pub start: IBig,
    pub len: IBig,
}

/// The state machine of a native iterator; `this` is the iterator object.
/// `next` may run Python code, so implementations must not hold their own
/// borrows across such calls.
///
/// `traverse` and `clear` are the cycle collector's hooks (see
/// `crate::gc::NativeData`): an iterator whose state holds Python references
/// visits each owned one exactly once in `traverse` (skipping state whose
/// `RefCell` is borrowed) and takes them out in `clear`, dropping them only
/// after its borrows are released.
pub trait NativeIter: std::any::Any {
    fn next(&self, vm: &Vm, this: &Value) -> PyResult<Option<Value>>;
    /// Visits every Python reference the state owns.
    fn traverse(&self, _visitor: &mut dyn crate::gc::Visitor) {}
    /// Drops the Python references the state owns (unreachable garbage only).
    fn clear(&self) {}
}

impl Vm {
    /// The iterator `iter(seq)` makes for objects with only `__getitem__`.
    pub fn new_seq_iter(&self, seq: Value) -> Value {
        Value::Obj(PyRef::new(
            self.types.iterator.clone(),
            Payload::Iter(Box::new(RefCell::new(IterState::Seq { seq: Some(seq), index: 0 }))),
        ))
    }
}

fn state(it: &Value) -> &RefCell<IterState> {
    // `base()` sees through subclass instances (`class E(enumerate)`).
    match it.payload().map(|p| p.base()) {
        Some(Payload::Iter(s)) => s,
        _ => unreachable!("iter_next is only called on Payload::Iter"),
    }
}

/// Is `e` an IndexError or StopIteration (which end a sequence iteration)?
fn ends_sequence(vm: &Vm, e: &PyRef) -> bool {
    vm.exception_matches(e, &vm.exc.index_error) || vm.exception_matches(e, &vm.exc.stop_iteration)
}

/// `next()` of a builtin iterator: Some(value), or None when exhausted.
/// A StopIteration escaping from code the iterator runs (map's function,
/// filter's predicate) ends the iteration, as a NULL from CPython's
/// tp_iternext with StopIteration set does.
///
/// List and range iterators are stepped here, building the result in the
/// caller's slot: passing a result on through `match` copies it as one
/// 16-byte load of a value just stored as two words, which stalls the CPU's
/// store forwarding on every step (see `value.rs`).
#[inline]
pub fn iter_next(vm: &Vm, it: &Value) -> PyResult<Option<Value>> {
    if let Some(Payload::Iter(cell)) = it.payload() {
        if let Ok(mut st) = cell.try_borrow_mut() {
            match &mut *st {
                IterState::Seq { seq: Some(s), index } => {
                    if let Some(Ok(items)) = s.payload().and_then(|p| p.as_list()).map(|l| l.try_borrow()) {
                        if let Some(x) = items.get(*index) {
                            let x = x.clone();
                            *index += 1;
                            return Ok(Some(x));
                        }
                    }
                }
                IterState::Enumerate { .. } | IterState::Zip { .. } => {
                    drop(st);
                    return Ok(tuple_step(vm, cell)?.map(Value::Obj));
                }
                IterState::Range { next, step, remaining, .. } if *remaining > 0 => {
                    let v = *next;
                    *remaining -= 1;
                    if *remaining > 0 {
                        *next = next.wrapping_add(*step);
                    }
                    return Ok(Some(Value::Int(v)));
                }
                _ => {}
            }
        }
    }
    iter_next_slow(vm, it)
}

#[inline(never)]
fn iter_next_slow(vm: &Vm, it: &Value) -> PyResult<Option<Value>> {
    // Returned as it is, not rebuilt by a `match`: the result is then made
    // in the caller's slot rather than copied there whole right after being
    // written in two words (a store-forwarding stall per step).
    let r = iter_next_inner(vm, it);
    if let Err(e) = &r {
        if vm.exception_matches(e, &vm.exc.stop_iteration) {
            return Ok(None);
        }
    }
    r
}

/// One step of zip: the next item of each iterator into `out`; false when
/// one is exhausted (an error if `strict` and the others are not).
fn zip_step(vm: &Vm, iters: &[Value], strict: bool, out: &mut [Value]) -> PyResult<bool> {
    for (i, inner) in iters.iter().enumerate() {
        let next = match inner.payload() {
            Some(Payload::Iter(_)) => iter_next(vm, inner)?,
            _ => vm.next(inner)?,
        };
        match next {
            Some(x) => out[i] = x,
            None => {
                if !strict {
                    return Ok(false);
                }
                if i > 0 {
                    let plural = if i == 1 { " " } else { "s 1-" };
                    return Err(vm.new_value_error(format!("zip() argument {} is shorter than argument{plural}{i}", i + 1)));
                }
                for (j, other) in iters.iter().enumerate().skip(1) {
                    if vm.next(other)?.is_some() {
                        let plural = if j == 1 { " " } else { "s 1-" };
                        return Err(vm.new_value_error(format!("zip() argument {} is longer than argument{plural}{j}", j + 1)));
                    }
                }
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// The tuple of `items` that enumerate and zip hand out. As CPython does,
/// the first tuple is kept and reused by later steps while the consumer has
/// let go of it (`for i, x in enumerate(xs)` unpacks and drops it), saving
/// an allocation per step; otherwise a new one is made. `items` is left
/// holding what the caller drops after this returns (the recycled tuple's
/// old items, or Nones), with no borrow held.
///
/// Gives the tuple as a `PyRef` (one register): returned as a two-word
/// `Value` that the caller then copies whole, it stalled store forwarding on
/// every step.
fn result_tuple(vm: &Vm, cell: &RefCell<IterState>, items: &mut [Value]) -> PyRef {
    let mut st = cell.borrow_mut();
    let slot = match &mut *st {
        IterState::Enumerate { result, .. } | IterState::Zip { result, .. } => result,
        _ => return PyRef::new_tuple_taking(vm.types.tuple.clone(), items),
    };
    match slot {
        Some(t) if t.recycle_tuple(items) => t.clone(),
        Some(_) => PyRef::new_tuple_taking(vm.types.tuple.clone(), items),
        None => {
            let t = PyRef::new_tuple_taking(vm.types.tuple.clone(), items);
            *slot = Some(t.clone());
            t
        }
    }
}

/// One step of enumerate or zip: the result tuple, or None when done (a
/// StopIteration from an inner iterator's code also ends it). Gives a
/// `PyRef`, one register, which the caller wraps in the `Value` it returns:
/// passing a two-word `Value` back through memory stalled store forwarding
/// on every step.
#[inline(never)]
fn tuple_step(vm: &Vm, cell: &RefCell<IterState>) -> PyResult<Option<PyRef>> {
    match tuple_step_inner(vm, cell) {
        Err(e) if vm.exception_matches(&e, &vm.exc.stop_iteration) => Ok(None),
        r => r,
    }
}

fn tuple_step_inner(vm: &Vm, cell: &RefCell<IterState>) -> PyResult<Option<PyRef>> {
    let st = cell.borrow();
    match &*st {
        IterState::Enumerate { iter, count, .. } => {
            let (inner, n) = (iter.clone(), count.clone());
            drop(st);
            let next = match inner.payload() {
                Some(Payload::Iter(_)) => iter_next(vm, &inner)?,
                _ => vm.next(&inner)?,
            };
            let Some(x) = next else { return Ok(None) };
            let next = match n {
                Value::Int(i) if i < i64::MAX => Value::Int(i + 1),
                _ => vm.binary_op(&n, &Value::Int(1), krait_compiler::bytecode::BinOp::Add)?,
            };
            if let IterState::Enumerate { count, .. } = &mut *cell.borrow_mut() {
                *count = next;
            }
            let mut items = [n, x];
            Ok(Some(result_tuple(vm, cell, &mut items)))
        }
        IterState::Zip { iters, strict, .. } => {
            let (iters, strict) = (std::rc::Rc::clone(iters), *strict);
            drop(st);
            if iters.is_empty() {
                return Ok(None);
            }
            // The items are gathered first (their iterators may run code),
            // then handed out at once; short zips need no heap buffer.
            const SHORT: usize = 4;
            let mut short = [const { Value::None }; SHORT];
            let mut long = Vec::new();
            let items: &mut [Value] = if iters.len() <= SHORT {
                &mut short[..iters.len()]
            } else {
                long.resize(iters.len(), Value::None);
                &mut long
            };
            if !zip_step(vm, &iters, strict, items)? {
                return Ok(None);
            }
            Ok(Some(result_tuple(vm, cell, items)))
        }
        _ => Ok(None),
    }
}

/// The `(key, value)` tuple of a dict entry (built from the pair in place,
/// with no intermediate vector).
#[inline]
fn item_pair(vm: &Vm, e: &crate::types::dict::Entry) -> Value {
    let mut pair = [e.key.clone(), e.value.clone()];
    Value::Obj(PyRef::new_tuple_taking(vm.types.tuple.clone(), &mut pair))
}

/// References an iterator drops when it is exhausted (see `iter_next_inner`).
#[derive(Default)]
struct Dropped {
    v: Option<Value>,
    r: Option<PyRef>,
}

fn iter_next_inner(vm: &Vm, it: &Value) -> PyResult<Option<Value>> {
    let cell = state(it);
    // What an exhausted iterator lets go of is dropped here, after the
    // state's borrow ends: a `__del__` it runs may call `next` on us again.
    let mut dead = Dropped::default();
    let mut st = cell.borrow_mut();
    match &mut *st {
        IterState::Seq { seq, index } => {
            let s = match seq {
                Some(s) => s,
                None => return Ok(None),
            };
            if let Some(p) = s.payload() {
                if let Some(l) = p.as_list() {
                    let item = l.borrow().get(*index).cloned();
                    return Ok(match item {
                        Some(x) => {
                            *index += 1;
                            Some(x)
                        }
                        None => {
                            dead.v = seq.take();
                            None
                        }
                    });
                }
                if let Some(t) = p.as_tuple() {
                    return Ok(match t.get(*index) {
                        Some(x) => {
                            *index += 1;
                            Some(x.clone())
                        }
                        None => {
                            dead.v = seq.take();
                            None
                        }
                    });
                }
            }
            let (s, i) = (s.clone(), *index);
            drop(st);
            match vm.getitem(&s, &Value::Int(i as i64)) {
                Ok(x) => {
                    if let IterState::Seq { index, .. } = &mut *cell.borrow_mut() {
                        *index = i + 1;
                    }
                    Ok(Some(x))
                }
                Err(e) if ends_sequence(vm, &e) => {
                    if let IterState::Seq { seq, .. } = &mut *cell.borrow_mut() {
                        dead.v = seq.take();
                    }
                    Ok(None)
                }
                Err(e) => Err(e),
            }
        }
        IterState::Range { next, step, remaining, .. } => {
            if *remaining == 0 {
                return Ok(None);
            }
            let v = *next;
            *remaining -= 1;
            if *remaining > 0 {
                *next = next.wrapping_add(*step);
            }
            Ok(Some(Value::Int(v)))
        }
        IterState::BigRange(b) => {
            if b.remaining <= IBig::ZERO {
                return Ok(None);
            }
            let v = b.next.clone();
            b.remaining -= IBig::ONE;
            b.next += &b.step;
            Ok(Some(vm.new_int(v)))
        }
        IterState::Str { s, byte_pos } => {
            let text = match s {
                Some(t) => t,
                None => return Ok(None),
            };
            let ps = text.payload.as_str().unwrap();
            let rest = &ps.as_str()[*byte_pos..];
            match rest.chars().next() {
                Some(c) => {
                    let at = *byte_pos;
                    *byte_pos += c.len_utf8();
                    // A lone surrogate stands in the text as U+FFFD.
                    if c == crate::types::str_surrogates::STAND_IN {
                        if let Some(cp) = ps.surrogate_at(at) {
                            return Ok(Some(Value::Obj(crate::types::str_surrogates::surrogate_char(vm, cp))));
                        }
                    }
                    Ok(Some(Value::Obj(crate::types::str::char_str(vm, c))))
                }
                None => {
                    // Dropped after the borrow: a subclass's `__del__` may call `next` on us.
                    dead.r = s.take();
                    Ok(None)
                }
            }
        }
        IterState::Dict { dict, pos, len, remaining, kind } => {
            let d = match dict {
                Some(d) => d.clone(),
                None => return Ok(None),
            };
            let t = d.payload.as_dict().unwrap().borrow();
            if t.len() != *len {
                *len = usize::MAX;
                dead.r = dict.take();
                return Err(vm.new_runtime_error("dictionary changed size during iteration"));
            }
            match t.next_entry(*pos) {
                Some((next, e)) => {
                    if *remaining == 0 {
                        dead.r = dict.take();
                        return Err(vm.new_runtime_error("dictionary keys changed during iteration"));
                    }
                    *remaining -= 1;
                    *pos = next;
                    let out = match kind {
                        DictViewKind::Keys => e.key.clone(),
                        DictViewKind::Values => e.value.clone(),
                        DictViewKind::Items => item_pair(vm, e),
                    };
                    Ok(Some(out))
                }
                None => {
                    drop(t);
                    dead.r = dict.take();
                    Ok(None)
                }
            }
        }
        IterState::DictRev { dict, pos, len, remaining, kind } => {
            let d = match dict {
                Some(d) => d.clone(),
                None => return Ok(None),
            };
            let t = d.payload.as_dict().unwrap().borrow();
            if t.len() != *len {
                *len = usize::MAX;
                dead.r = dict.take();
                return Err(vm.new_runtime_error("dictionary changed size during iteration"));
            }
            while *pos > 0 {
                *pos -= 1;
                if let Some(e) = t.entry(*pos) {
                    if *remaining == 0 {
                        dead.r = dict.take();
                        return Err(vm.new_runtime_error("dictionary keys changed during iteration"));
                    }
                    *remaining -= 1;
                    let out = match kind {
                        DictViewKind::Keys => e.key.clone(),
                        DictViewKind::Values => e.value.clone(),
                        DictViewKind::Items => item_pair(vm, e),
                    };
                    return Ok(Some(out));
                }
            }
            drop(t);
            dead.r = dict.take();
            Ok(None)
        }
        IterState::Set { set, pos, len } => {
            let s = match set {
                Some(s) => s,
                None => return Ok(None),
            };
            let r = crate::types::set_methods::set_iter_next(vm, s, pos, len)?;
            if r.is_none() {
                dead.r = set.take();
            }
            Ok(r)
        }
        IterState::Reversed { seq, index } => {
            let s = match seq {
                Some(s) if *index >= 0 => s.clone(),
                _ => {
                    dead.v = seq.take();
                    return Ok(None);
                }
            };
            if let Some(l) = s.payload().and_then(|p| p.as_list()) {
                if it.as_obj().map_or(false, |o| o.class().is(&vm.types.list_reverseiterator)) {
                    let item = l.borrow().get(*index as usize).cloned();
                    return Ok(match item {
                        Some(x) => {
                            *index -= 1;
                            Some(x)
                        }
                        None => {
                            *index = -1;
                            dead.v = seq.take();
                            None
                        }
                    });
                }
            }
            let i = *index;
            drop(st);
            match vm.getitem(&s, &Value::Int(i as i64)) {
                Ok(x) => {
                    if let IterState::Reversed { index, .. } = &mut *cell.borrow_mut() {
                        *index = i - 1;
                    }
                    Ok(Some(x))
                }
                Err(e) if ends_sequence(vm, &e) => {
                    if let IterState::Reversed { seq, index } = &mut *cell.borrow_mut() {
                        dead.v = seq.take();
                        *index = -1;
                    }
                    Ok(None)
                }
                Err(e) => Err(e),
            }
        }
        IterState::Enumerate { .. } | IterState::Zip { .. } => {
            drop(st);
            Ok(tuple_step(vm, cell)?.map(Value::Obj))
        }
        IterState::Map { func, iters } => {
            let (func, iters) = (func.clone(), iters.clone());
            drop(st);
            let mut args = Vec::with_capacity(iters.len());
            for inner in &iters {
                match vm.next(inner)? {
                    Some(x) => args.push(x),
                    None => return Ok(None),
                }
            }
            Ok(Some(vm.call(&func, Args::new(&args))?))
        }
        IterState::Filter { func, iter } => {
            let (func, inner) = (func.clone(), iter.clone());
            drop(st);
            let plain = func.is_none() || matches!(&func, Value::Obj(o) if o.is(&vm.types.bool_));
            loop {
                let x = match vm.next(&inner)? {
                    Some(x) => x,
                    None => return Ok(None),
                };
                let keep = if plain {
                    vm.truthy(&x)?
                } else {
                    let r = vm.call(&func, Args::new(std::slice::from_ref(&x)))?;
                    vm.truthy(&r)?
                };
                if keep {
                    return Ok(Some(x));
                }
            }
        }
        IterState::Callable { func, sentinel } => {
            let (f, sentinel) = match func {
                Some(f) => (f.clone(), sentinel.clone()),
                None => return Ok(None),
            };
            drop(st);
            let finish = || {
                let dead = match &mut *cell.borrow_mut() {
                    IterState::Callable { func, .. } => func.take(),
                    _ => None,
                };
                drop(dead);
            };
            let result = vm.call(&f, Args::EMPTY);
            // The function may have exhausted this very iterator meanwhile.
            if result.is_ok() && matches!(&*cell.borrow(), IterState::Callable { func: None, .. }) {
                return Ok(None);
            }
            match result {
                Ok(r) => {
                    if vm.eq_identity_or(&r, &sentinel)? {
                        finish();
                        Ok(None)
                    } else {
                        Ok(Some(r))
                    }
                }
                Err(e) if vm.exception_matches(&e, &vm.exc.stop_iteration) => {
                    finish();
                    Ok(None)
                }
                Err(e) => Err(e),
            }
        }
        IterState::Bytes { data, index } => {
            let d = match data {
                Some(d) => d,
                None => return Ok(None),
            };
            let b = match d.payload().map(|p| p.base()) {
                Some(Payload::Bytes(b)) => b.bytes.get(*index).copied(),
                Some(Payload::ByteArray(b)) => b.borrow().get(*index).copied(),
                _ => None,
            };
            match b {
                Some(b) => {
                    *index += 1;
                    Ok(Some(Value::Int(b as i64)))
                }
                None => {
                    dead.v = data.take();
                    Ok(None)
                }
            }
        }
        IterState::Native(n) => {
            let n = n.clone();
            drop(st);
            n.next(vm, it)
        }
        IterState::Other(_) => {
            drop(st);
            match vm.special(it, Slot::Next) {
                Some(f) => match vm.call_unbound(&f, it, &[]) {
                    Ok(v) => Ok(Some(v)),
                    Err(e) if vm.exception_matches(&e, &vm.exc.stop_iteration) => Ok(None),
                    Err(e) => Err(e),
                },
                None => Ok(None),
            }
        }
    }
}

/// How many items an iterator still expects to yield (`__length_hint__`).
pub fn length_hint(vm: &Vm, it: &Value) -> Option<usize> {
    let _ = vm;
    let st = state(it).borrow();
    Some(match &*st {
        IterState::Seq { seq: Some(s), index } => match s.payload() {
            Some(p) if p.as_list().is_some() => p.as_list().unwrap().borrow().len().saturating_sub(*index),
            Some(p) if p.as_tuple().is_some() => p.as_tuple().unwrap().len().saturating_sub(*index),
            _ => return None,
        },
        IterState::Seq { seq: None, .. } => 0,
        IterState::Range { remaining, .. } => *remaining as usize,
        IterState::BigRange(b) => usize::try_from(&b.remaining).unwrap_or(usize::MAX),
        IterState::Str { s: Some(s), byte_pos } => s.payload.as_str().unwrap().as_str()[*byte_pos..].chars().count(),
        IterState::Str { s: None, .. } => 0,
        IterState::Dict { dict: Some(d), len, remaining, .. } | IterState::DictRev { dict: Some(d), len, remaining, .. } => {
            if d.payload.as_dict().unwrap().borrow().len() == *len {
                *remaining
            } else {
                0
            }
        }
        IterState::Dict { dict: None, .. } | IterState::DictRev { dict: None, .. } => 0,
        IterState::Set { set: Some(s), pos, len } => {
            let t = s.payload.as_set().unwrap().borrow();
            if t.len() != *len {
                0
            } else {
                let mut n = 0;
                let mut p = *pos;
                while let Some((next, _)) = t.next_entry(p) {
                    n += 1;
                    p = next;
                }
                n
            }
        }
        IterState::Set { set: None, .. } => 0,
        IterState::Reversed { seq: Some(s), index } => {
            let n = match s.payload() {
                Some(p) if p.as_list().is_some() => p.as_list().unwrap().borrow().len() as isize,
                _ => isize::MAX,
            };
            if *index < n {
                (*index + 1).max(0) as usize
            } else {
                0
            }
        }
        IterState::Reversed { seq: None, .. } => 0,
        IterState::Bytes { data: Some(d), index } => match d.payload().map(|p| p.base()) {
            Some(Payload::Bytes(b)) => b.bytes.len().saturating_sub(*index),
            Some(Payload::ByteArray(b)) => b.borrow().len().saturating_sub(*index),
            _ => 0,
        },
        IterState::Bytes { data: None, .. } => 0,
        _ => return None,
    })
}

fn it_iter(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__iter__", args, 1, 1)?;
    Ok(args.args[0].clone())
}

fn it_next(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__next__", args, 1, 1)?;
    let it = &args.args[0];
    if !matches!(it.payload().map(|p| p.base()), Some(Payload::Iter(_))) {
        return Err(vm.new_type_error(format!(
            "descriptor '__next__' requires an iterator but received a '{}'",
            vm.type_name_of(it)
        )));
    }
    match iter_next(vm, it)? {
        Some(v) => Ok(v),
        None => Err(vm.new_stop_iteration(None)),
    }
}

fn it_length_hint(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__length_hint__", args, 1, 1)?;
    let it = &args.args[0];
    if !matches!(it.payload().map(|p| p.base()), Some(Payload::Iter(_))) {
        return Ok(vm.not_implemented());
    }
    if let IterState::BigRange(b) = &*state(it).borrow() {
        return Ok(vm.new_int(b.remaining.clone()));
    }
    match length_hint(vm, it) {
        Some(n) => Ok(Value::Int(n as i64)),
        None => Ok(vm.not_implemented()),
    }
}

pub(crate) static ITER_METHODS: [NativeDef; 2] =
    [NativeDef::method("__iter__", it_iter), NativeDef::method("__next__", it_next)];

static LENGTH_HINT: [NativeDef; 1] = [NativeDef::method("__length_hint__", it_length_hint)];

/// The six dict iterator types (keys, values, items; forward and reversed).
pub(crate) fn dict_iterator_types(vm: &Vm) -> [&PyRef; 6] {
    let t = &vm.types;
    [
        &t.dict_keyiterator,
        &t.dict_valueiterator,
        &t.dict_itemiterator,
        &t.dict_reversekeyiterator,
        &t.dict_reversevalueiterator,
        &t.dict_reverseitemiterator,
    ]
}

pub fn init(vm: &Vm) {
    let t = &vm.types;
    // Types whose CPython counterparts have __length_hint__.
    for typ in [
        &t.list_iterator,
        &t.tuple_iterator,
        &t.range_iterator,
        &t.longrange_iterator,
        &t.str_iterator,
        &t.unicode_iterator,
        &t.set_iterator,
        &t.list_reverseiterator,
        &t.reversed,
        &t.iterator,
        &t.bytes_iterator,
        &t.bytearray_iterator,
    ] {
        crate::types::add_methods(vm, typ, &ITER_METHODS);
        crate::types::add_methods(vm, typ, &LENGTH_HINT);
    }
    for typ in dict_iterator_types(vm) {
        crate::types::add_methods(vm, typ, &ITER_METHODS);
        crate::types::add_methods(vm, typ, &LENGTH_HINT);
    }
    for typ in [&t.callable_iterator, &t.enumerate, &t.zip, &t.map, &t.filter, &t.memory_iterator] {
        crate::types::add_methods(vm, typ, &ITER_METHODS);
    }
}
