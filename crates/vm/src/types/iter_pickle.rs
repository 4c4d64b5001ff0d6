//! Pickling and copying of the builtin iterators: the `__reduce__` and
//! `__setstate__` methods of list_iterator, range_iterator, set_iterator,
//! enumerate, zip, ... giving what CPython 3.11's give, so that
//! `pickle.loads(pickle.dumps(it))` and `copy.copy(it)` continue from the
//! same position. Position-based iterators reduce to `(iter, (seq,), index)`
//! and take the index back in `__setstate__` (clamped to the sequence as in
//! CPython); hash-ordered ones (set, dict) reduce to `(iter, (list,))` of
//! the items they have left; an exhausted one reduces to an empty sequence.
//! Also the `__length_hint__` of the sequence iterator and `reversed`, which
//! ask the sequence its length.
//!
//! The `iter`/`reversed` builtins are looked up before the state is read:
//! the lookup may run a key's `__eq__`, which may advance the iterator.

use crate::payload::Payload;
use crate::types::function::{Args, NativeDef};
use crate::types::iter::{iter_next, IterState};
use crate::types::seq_util::{method_args, new_iter};
use crate::types::typeobj::Slot;
use crate::value::Value;
use crate::{PyResult, Vm};
use dashu_int::IBig;
use std::cell::RefCell;

/// `builtins.NAME`, as CPython's `_PyEval_GetBuiltin`: AttributeError when
/// it is missing.
pub(crate) fn builtin(vm: &Vm, name: &str) -> PyResult {
    let key = Value::Obj(vm.intern(name));
    match vm.dict_get(&vm.builtins_dict, &key)? {
        Some(f) => Ok(f),
        None => Err(vm.new_attribute_error(name)),
    }
}

/// The iterator a method was called on and its state; `nargs` is how many
/// arguments the method takes besides it.
fn this<'a>(vm: &Vm, args: Args<'a>, name: &str, nargs: usize) -> PyResult<(&'a Value, &'a [Value], &'a RefCell<IterState>)> {
    let (it, rest) = method_args(vm, args, name, nargs, nargs)?;
    match it.payload().map(|p| p.base()) {
        Some(Payload::Iter(cell)) => Ok((it, rest, cell)),
        _ => Err(vm.new_type_error(format!("descriptor '{name}' requires an iterator, not '{}'", vm.type_name_of(it)))),
    }
}

/// `(f, args)` or, with a state, `(f, args, state)`.
fn reduction(vm: &Vm, f: Value, args: Vec<Value>, state: Option<Value>) -> Value {
    let mut parts = vec![f, vm.new_tuple(args)];
    parts.extend(state);
    vm.new_tuple(parts)
}

/// `(f, (seq,), index)` while the iterator holds its sequence, else
/// `(f, (empty,))`.
fn at_index(vm: &Vm, f: Value, seq: Option<Value>, index: i64, empty: Value) -> Value {
    match seq {
        Some(s) => reduction(vm, f, vec![s], Some(Value::Int(index))),
        None => reduction(vm, f, vec![empty], None),
    }
}

fn type_value(vm: &Vm, it: &Value) -> Value {
    Value::Obj(vm.type_of(it))
}

fn state_error(vm: &Vm, it: &Value) -> crate::PyErr {
    vm.new_type_error(format!("cannot pickle '{}' object", vm.type_name_of(it)))
}

/// An index argument as CPython's `PyLong_AsSsize_t` takes it: an int only.
fn ssize_arg(vm: &Vm, v: &Value) -> PyResult<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        _ if vm.as_ibig(v).is_some() => Err(vm.new_overflow_error("Python int too large to convert to C ssize_t")),
        _ => Err(vm.new_type_error("an integer is required")),
    }
}

/// `i` clamped to `lo..=hi` (`hi` may be below `lo`: `lo` wins).
fn clamp(i: i64, lo: i64, hi: i64) -> i64 {
    i.min(hi).max(lo)
}

// ------------------------------------------------ sequence-like iterators

/// `__reduce__` of list_iterator, tuple_iterator and the sequence iterator:
/// `(iter, (seq,), index)`, or `(iter, ([],))` / `(iter, ((),))` once exhausted.
fn seq_reduce(vm: &Vm, args: Args) -> PyResult {
    let (it, _, cell) = this(vm, args, "__reduce__", 0)?;
    let iter = builtin(vm, "iter")?;
    let IterState::Seq { seq, index } = &*cell.borrow() else { return Err(state_error(vm, it)) };
    let empty = if vm.class_of(it).is(&vm.types.list_iterator) { vm.new_list(vec![]) } else { vm.new_tuple(vec![]) };
    Ok(at_index(vm, iter, seq.clone(), *index as i64, empty))
}

/// Length of the list or tuple a list/tuple iterator walks (None for the
/// sequence iterator, whose index is not clamped above).
fn seq_len(s: &Value) -> Option<usize> {
    let p = s.payload()?;
    if let Some(l) = p.as_list() {
        return Some(l.borrow().len());
    }
    p.as_tuple().map(|t| t.len())
}

fn seq_setstate(vm: &Vm, args: Args) -> PyResult {
    let (it, rest, cell) = this(vm, args, "__setstate__", 1)?;
    let i = ssize_arg(vm, &rest[0])?;
    let bounded = !vm.class_of(it).is(&vm.types.iterator);
    if let IterState::Seq { seq: Some(s), index } = &mut *cell.borrow_mut() {
        let hi = match seq_len(s) {
            Some(n) if bounded => n as i64,
            _ => i64::MAX,
        };
        *index = clamp(i, 0, hi) as usize;
    }
    Ok(Value::None)
}

/// `__reduce__` of list_reverseiterator, `(reversed, (list,), index)`, and
/// of `reversed`, `(type, (seq,), index)`; exhausted, `(iter, ([],))` and
/// `(type, ((),))`.
fn rev_reduce(vm: &Vm, args: Args) -> PyResult {
    let (it, _, cell) = this(vm, args, "__reduce__", 0)?;
    let list_rev = vm.class_of(it).is(&vm.types.list_reverseiterator);
    let f = if list_rev { builtin(vm, "reversed")? } else { type_value(vm, it) };
    let IterState::Reversed { seq, index } = &*cell.borrow() else { return Err(state_error(vm, it)) };
    if list_rev && seq.is_none() {
        return Ok(reduction(vm, builtin(vm, "iter")?, vec![vm.new_list(vec![])], None));
    }
    Ok(at_index(vm, f, seq.clone(), *index as i64, vm.new_tuple(vec![])))
}

fn rev_setstate(vm: &Vm, args: Args) -> PyResult {
    let (_, rest, cell) = this(vm, args, "__setstate__", 1)?;
    let i = ssize_arg(vm, &rest[0])?;
    let seq = match &*cell.borrow() {
        IterState::Reversed { seq: Some(s), .. } => s.clone(),
        _ => return Ok(Value::None),
    };
    // A reversed list iterator reads the list's length; `reversed` asks
    // the sequence (Python code may run, so with the state released).
    let n = match seq.payload().and_then(|p| p.as_list()) {
        Some(l) => l.borrow().len(),
        None => vm.len(&seq)?,
    };
    if let IterState::Reversed { index, .. } = &mut *cell.borrow_mut() {
        *index = clamp(i, -1, n as i64 - 1) as isize;
    }
    Ok(Value::None)
}

/// `__reduce__` of the str iterators: the index counts code points.
fn str_reduce(vm: &Vm, args: Args) -> PyResult {
    let (it, _, cell) = this(vm, args, "__reduce__", 0)?;
    let iter = builtin(vm, "iter")?;
    let IterState::Str { s, byte_pos } = &*cell.borrow() else { return Err(state_error(vm, it)) };
    let text = s.as_ref().and_then(|t| t.payload.as_str()).map_or("", |p| p.as_str());
    let index = text.get(..*byte_pos).map_or(0, |done| done.chars().count());
    Ok(at_index(vm, iter, s.clone().map(Value::Obj), index as i64, vm.new_str("")))
}

fn str_setstate(vm: &Vm, args: Args) -> PyResult {
    let (_, rest, cell) = this(vm, args, "__setstate__", 1)?;
    let i = ssize_arg(vm, &rest[0])?;
    if let IterState::Str { s: Some(t), byte_pos } = &mut *cell.borrow_mut() {
        let text = t.payload.as_str().map_or("", |p| p.as_str());
        let i = i.max(0) as usize;
        *byte_pos = text.char_indices().nth(i).map_or(text.len(), |(b, _)| b);
    }
    Ok(Value::None)
}

/// `__reduce__` of the bytes and bytearray iterators.
fn bytes_reduce(vm: &Vm, args: Args) -> PyResult {
    let (it, _, cell) = this(vm, args, "__reduce__", 0)?;
    let iter = builtin(vm, "iter")?;
    let IterState::Bytes { data, index } = &*cell.borrow() else { return Err(state_error(vm, it)) };
    Ok(at_index(vm, iter, data.clone(), *index as i64, vm.new_tuple(vec![])))
}

fn bytes_setstate(vm: &Vm, args: Args) -> PyResult {
    let (_, rest, cell) = this(vm, args, "__setstate__", 1)?;
    let i = ssize_arg(vm, &rest[0])?;
    if let IterState::Bytes { data: Some(d), index } = &mut *cell.borrow_mut() {
        let n = match d.payload().map(|p| p.base()) {
            Some(Payload::Bytes(b)) => b.bytes.len(),
            Some(Payload::ByteArray(b)) => b.borrow().len(),
            _ => 0,
        };
        *index = clamp(i, 0, n as i64) as usize;
    }
    Ok(Value::None)
}

// ------------------------------------------------------------- ranges

/// `(iter, (range(start, start + len * step, step),), index)`: the range
/// the iterator was made from (for a reversed range, the reversed one).
fn range_reduction(vm: &Vm, iter: Value, start: IBig, step: IBig, len: &IBig, index: IBig) -> Value {
    let stop = &start + len * &step;
    let range = vm.new_range(vm.new_int(start), vm.new_int(stop), vm.new_int(step));
    reduction(vm, iter, vec![range], Some(vm.new_int(index)))
}

fn range_reduce(vm: &Vm, args: Args) -> PyResult {
    let (it, _, cell) = this(vm, args, "__reduce__", 0)?;
    let iter = builtin(vm, "iter")?;
    let st = cell.borrow();
    Ok(match &*st {
        IterState::Range { step, remaining, start, len, .. } => {
            let index = IBig::from(len - remaining);
            range_reduction(vm, iter, IBig::from(*start), IBig::from(*step), &IBig::from(*len), index)
        }
        IterState::BigRange(b) => {
            let index = &b.len - &b.remaining;
            range_reduction(vm, iter, b.start.clone(), b.step.clone(), &b.len, index)
        }
        _ => return Err(state_error(vm, it)),
    })
}

/// range_iterator takes its index as a C long (any `__index__`);
/// longrange_iterator takes any int.
fn range_setstate(vm: &Vm, args: Args) -> PyResult {
    let (it, rest, cell) = this(vm, args, "__setstate__", 1)?;
    let arg = &rest[0];
    if vm.class_of(it).is(&vm.types.longrange_iterator) {
        let Some(i) = vm.as_ibig(arg) else {
            return Err(vm.new_type_error(format!(
                "'<' not supported between instances of '{}' and 'int'",
                vm.type_name_of(arg)
            )));
        };
        if let IterState::BigRange(b) = &mut *cell.borrow_mut() {
            let i = if i < IBig::ZERO { IBig::ZERO } else if i > b.len { b.len.clone() } else { i };
            b.next = &b.start + &i * &b.step;
            b.remaining = &b.len - &i;
        }
        return Ok(Value::None);
    }
    let i = match vm.index(arg)? {
        Value::Int(i) => i,
        _ => return Err(vm.new_overflow_error("Python int too large to convert to C long")),
    };
    if let IterState::Range { next, step, remaining, start, len } = &mut *cell.borrow_mut() {
        let i = clamp(i, 0, *len as i64);
        *remaining = *len - i as u64;
        *next = start.wrapping_add(i.wrapping_mul(*step));
    }
    Ok(Value::None)
}

// ------------------------------------------- set and dict iterators

/// `(iter, (items,))`: the items a set or dict iterator has left, read
/// from a copy of its state (so an error for a changed container is
/// raised as CPython raises it, and the iterator itself does not move).
fn drain_reduce(vm: &Vm, args: Args) -> PyResult {
    let (it, _, cell) = this(vm, args, "__reduce__", 0)?;
    let copy = match &*cell.borrow() {
        IterState::Set { set, pos, len } => IterState::Set { set: set.clone(), pos: *pos, len: *len },
        IterState::Dict { dict, pos, len, remaining, kind } => {
            IterState::Dict { dict: dict.clone(), pos: *pos, len: *len, remaining: *remaining, kind: *kind }
        }
        IterState::DictRev { dict, pos, len, remaining, kind } => {
            IterState::DictRev { dict: dict.clone(), pos: *pos, len: *len, remaining: *remaining, kind: *kind }
        }
        _ => return Err(state_error(vm, it)),
    };
    let tmp = new_iter(&vm.type_of(it), copy);
    let mut items = Vec::new();
    while let Some(x) = iter_next(vm, &tmp)? {
        items.push(x);
    }
    Ok(reduction(vm, builtin(vm, "iter")?, vec![vm.new_list(items)], None))
}

// ------------------------------------- enumerate, zip, map, filter, iter(f, x)

fn enumerate_reduce(vm: &Vm, args: Args) -> PyResult {
    let (it, _, cell) = this(vm, args, "__reduce__", 0)?;
    let IterState::Enumerate { iter, count, .. } = &*cell.borrow() else { return Err(state_error(vm, it)) };
    Ok(reduction(vm, type_value(vm, it), vec![iter.clone(), count.clone()], None))
}

/// `(type, iterators)`, with `True` as the state when strict.
fn zip_reduce(vm: &Vm, args: Args) -> PyResult {
    let (it, _, cell) = this(vm, args, "__reduce__", 0)?;
    let IterState::Zip { iters, strict, .. } = &*cell.borrow() else { return Err(state_error(vm, it)) };
    Ok(reduction(vm, type_value(vm, it), iters.to_vec(), strict.then_some(Value::Bool(true))))
}

fn zip_setstate(vm: &Vm, args: Args) -> PyResult {
    let (_, rest, cell) = this(vm, args, "__setstate__", 1)?;
    let on = vm.truthy(&rest[0])?;
    if let IterState::Zip { strict, .. } = &mut *cell.borrow_mut() {
        *strict = on;
    }
    Ok(Value::None)
}

fn map_reduce(vm: &Vm, args: Args) -> PyResult {
    let (it, _, cell) = this(vm, args, "__reduce__", 0)?;
    let IterState::Map { func, iters } = &*cell.borrow() else { return Err(state_error(vm, it)) };
    let mut parts = vec![func.clone()];
    parts.extend(iters.iter().cloned());
    Ok(reduction(vm, type_value(vm, it), parts, None))
}

fn filter_reduce(vm: &Vm, args: Args) -> PyResult {
    let (it, _, cell) = this(vm, args, "__reduce__", 0)?;
    let IterState::Filter { func, iter } = &*cell.borrow() else { return Err(state_error(vm, it)) };
    Ok(reduction(vm, type_value(vm, it), vec![func.clone(), iter.clone()], None))
}

/// `iter(f, sentinel)` reduces to `(iter, (f, sentinel))`, `(iter, ((),))`
/// once exhausted.
fn callable_reduce(vm: &Vm, args: Args) -> PyResult {
    let (it, _, cell) = this(vm, args, "__reduce__", 0)?;
    let iter = builtin(vm, "iter")?;
    let IterState::Callable { func, sentinel } = &*cell.borrow() else { return Err(state_error(vm, it)) };
    Ok(match func {
        Some(f) => reduction(vm, iter, vec![f.clone(), sentinel.clone()], None),
        None => reduction(vm, iter, vec![vm.new_tuple(vec![])], None),
    })
}

// ------------------------------------------------------- length hints

/// `__length_hint__` of the sequence iterator (the sequence's `len` less
/// the index; NotImplemented without `__len__`) and of `reversed` (the
/// index plus one, 0 past the sequence's `len`).
fn seq_length_hint(vm: &Vm, args: Args) -> PyResult {
    let (it, _, cell) = this(vm, args, "__length_hint__", 0)?;
    let (seq, index, reversed) = match &*cell.borrow() {
        IterState::Seq { seq: Some(s), index } => (s.clone(), *index as i64, false),
        IterState::Reversed { seq: Some(s), index } => (s.clone(), *index as i64, true),
        IterState::Seq { .. } | IterState::Reversed { .. } => return Ok(Value::Int(0)),
        _ => return Err(state_error(vm, it)),
    };
    if !reversed && vm.special(&seq, Slot::Len).is_none() {
        return Ok(vm.not_implemented());
    }
    let n = vm.len(&seq)? as i64;
    Ok(Value::Int(if reversed {
        if n < index + 1 { 0 } else { index + 1 }
    } else {
        (n - index).max(0)
    }))
}

static SEQ: [NativeDef; 2] =
    [NativeDef::method("__reduce__", seq_reduce), NativeDef::method("__setstate__", seq_setstate)];
static SEQ_ITERATOR: [NativeDef; 1] = [NativeDef::method("__length_hint__", seq_length_hint)];
static REVERSED: [NativeDef; 2] =
    [NativeDef::method("__reduce__", rev_reduce), NativeDef::method("__setstate__", rev_setstate)];
static RANGE: [NativeDef; 2] =
    [NativeDef::method("__reduce__", range_reduce), NativeDef::method("__setstate__", range_setstate)];
static STR: [NativeDef; 2] =
    [NativeDef::method("__reduce__", str_reduce), NativeDef::method("__setstate__", str_setstate)];
static BYTES: [NativeDef; 2] =
    [NativeDef::method("__reduce__", bytes_reduce), NativeDef::method("__setstate__", bytes_setstate)];
static DRAIN: [NativeDef; 1] = [NativeDef::method("__reduce__", drain_reduce)];
static ENUMERATE: [NativeDef; 1] = [NativeDef::method("__reduce__", enumerate_reduce)];
static ZIP: [NativeDef; 2] =
    [NativeDef::method("__reduce__", zip_reduce), NativeDef::method("__setstate__", zip_setstate)];
static MAP: [NativeDef; 1] = [NativeDef::method("__reduce__", map_reduce)];
static FILTER: [NativeDef; 1] = [NativeDef::method("__reduce__", filter_reduce)];
static CALLABLE: [NativeDef; 1] = [NativeDef::method("__reduce__", callable_reduce)];

/// Adds the methods to the iterator types (after `iter::init`, whose
/// `__length_hint__` the sequence iterator's and `reversed`'s replace).
pub fn init(vm: &Vm) {
    let t = &vm.types;
    let add = |typ, defs| crate::types::add_methods(vm, typ, defs);
    for typ in [&t.list_iterator, &t.tuple_iterator, &t.iterator] {
        add(typ, &SEQ);
    }
    for typ in [&t.list_reverseiterator, &t.reversed] {
        add(typ, &REVERSED);
    }
    add(&t.iterator, &SEQ_ITERATOR);
    add(&t.reversed, &SEQ_ITERATOR);
    add(&t.range_iterator, &RANGE);
    add(&t.longrange_iterator, &RANGE);
    add(&t.str_iterator, &STR);
    add(&t.unicode_iterator, &STR);
    add(&t.bytes_iterator, &BYTES);
    add(&t.bytearray_iterator, &BYTES);
    add(&t.set_iterator, &DRAIN);
    for typ in crate::types::iter::dict_iterator_types(vm) {
        add(typ, &DRAIN);
    }
    add(&t.enumerate, &ENUMERATE);
    add(&t.zip, &ZIP);
    add(&t.map, &MAP);
    add(&t.filter, &FILTER);
    add(&t.callable_iterator, &CALLABLE);
}
