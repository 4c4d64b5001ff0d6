//! `bytearray`: the mutable byte sequence. The read-only methods are the
//! shared ones of `bytes.rs`; this file adds construction (`__new__` makes an
//! empty object, `__init__` fills it, as in CPython) and the mutators.
//!
//! Every mutator computes its new bytes first (which may run Python code:
//! `__index__`, iteration) and only then borrows the buffer, so no `RefCell`
//! borrow is ever held across a call into Python.

use crate::payload::Payload;
use crate::types::bytes::{buf_arg, byte_value, bytes_from_args, ints_to_bytes, new_bytearray, repeat_bytes, Kind};
use crate::types::function::{Args, NativeDef};
use crate::types::str_methods::{arity, dunder_args, is_index, rest, slice_indices, ssize_arg, Ar};
use crate::value::Value;
use crate::{PyRef, PyResult, Vm};
use std::cell::RefCell;

/// The buffer of a bytearray (or subclass instance) `self`.
fn buf<'a>(vm: &Vm, v: Option<&'a Value>) -> PyResult<&'a RefCell<Vec<u8>>> {
    match v.and_then(|v| v.payload()).map(|p| p.base()) {
        Some(Payload::ByteArray(b)) => Ok(b),
        _ => Err(vm.new_type_error("descriptor requires a 'bytearray' object")),
    }
}

/// BufferError if the bytearray (first argument) has live memoryviews; CPython
/// checks this only when the size would change.
fn resizing(vm: &Vm, args: &Args) -> PyResult<()> {
    match args.args.first() {
        Some(v) => crate::types::memoryview::check_resizable(vm, v),
        None => Ok(()),
    }
}

fn ba_new(vm: &Vm, args: Args) -> PyResult {
    let cls = match args.positional().first().and_then(|c| c.as_obj()) {
        Some(c) if c.payload.as_type().is_some() => c.clone(),
        _ => return Err(vm.new_type_error("bytearray.__new__(X): X is not a type object")),
    };
    let payload = Payload::ByteArray(RefCell::new(Vec::new()));
    if cls.is(&vm.types.bytearray) {
        return Ok(Value::Obj(PyRef::new(cls, payload)));
    }
    Ok(Value::Obj(crate::types::str_methods::new_subclass_instance(&cls, payload)))
}

fn ba_init(vm: &Vm, args: Args) -> PyResult {
    let b = buf(vm, args.positional().first())?;
    let a = rest(args);
    if a.args.len() > 3 {
        return Err(vm.new_type_error(format!("bytearray() takes at most 3 arguments ({} given)", a.args.len())));
    }
    if !b.borrow().is_empty() {
        resizing(vm, &args)?;
    }
    let data = bytes_from_args(vm, a, Kind::ByteArray)?;
    *b.borrow_mut() = data;
    Ok(Value::None)
}

/// Bytes to store from the right side of a slice assignment.
fn assigned_bytes(vm: &Vm, v: &Value) -> PyResult<Vec<u8>> {
    if let Ok(d) = buf_arg(vm, v) {
        return Ok(d.into_owned());
    }
    let bad = v.payload().and_then(|p| p.as_str()).is_some()
        || is_index(vm, v)
        || (vm.special(v, crate::types::typeobj::Slot::Iter).is_none()
            && vm.special(v, crate::types::typeobj::Slot::GetItem).is_none());
    if bad {
        return Err(vm.new_type_error("can assign only bytes, buffers, or iterables of ints in range(0, 256)"));
    }
    ints_to_bytes(vm, v, Kind::ByteArray)
}

fn key_error(vm: &Vm, key: &Value) -> crate::PyErr {
    vm.new_type_error(format!("bytearray indices must be integers or slices, not {}", vm.type_name_of(key)))
}

/// Normalises an int index against `len`; None when out of range.
fn norm_index(vm: &Vm, key: &Value, len: usize) -> PyResult<Option<usize>> {
    let i = match vm.index(key)? {
        Value::Int(i) => i,
        _ => return Ok(None),
    };
    let j = if i < 0 { i + len as i64 } else { i };
    Ok(if j < 0 || j >= len as i64 { None } else { Some(j as usize) })
}

fn ba_setitem(vm: &Vm, args: Args) -> PyResult {
    let b = buf(vm, args.positional().first())?;
    let pos = dunder_args(vm, args, 2)?;
    let (key, value) = (&pos[0], &pos[1]);
    if let Some(Payload::Slice(_)) = key.payload() {
        let data = assigned_bytes(vm, value)?;
        let len = b.borrow().len();
        let (start, stop, step, n) = slice_indices(vm, key, len)?;
        if step != 1 && data.is_empty() {
            return delete_slice(vm, &args, b, key);
        }
        if step == 1 && data.len() != (stop.max(start) - start) as usize {
            resizing(vm, &args)?;
        }
        let mut v = b.borrow_mut();
        if step == 1 {
            let start = start as usize;
            let stop = (stop.max(start as i64)) as usize;
            v.splice(start..stop, data);
            return Ok(Value::None);
        }
        if data.len() != n {
            return Err(vm.new_value_error(format!(
                "attempt to assign bytes of size {} to extended slice of size {n}",
                data.len()
            )));
        }
        for (k, byte) in data.into_iter().enumerate() {
            let idx = (start + k as i64 * step) as usize;
            if let Some(slot) = v.get_mut(idx) {
                *slot = byte;
            }
        }
        return Ok(Value::None);
    }
    if !is_index(vm, key) {
        return Err(key_error(vm, key));
    }
    let byte = byte_value(vm, value)?;
    let len = b.borrow().len();
    match norm_index(vm, key, len)? {
        Some(i) => {
            if let Some(slot) = b.borrow_mut().get_mut(i) {
                *slot = byte;
            }
            Ok(Value::None)
        }
        None => Err(vm.new_index_error("bytearray index out of range")),
    }
}

/// `del b[slice]` (and `b[extended slice] = b""`, which CPython treats so).
fn delete_slice(vm: &Vm, args: &Args, b: &RefCell<Vec<u8>>, key: &Value) -> PyResult {
    let len = b.borrow().len();
    let (start, _, step, n) = slice_indices(vm, key, len)?;
    // CPython checks an extended slice for exports even when it is empty.
    if step != 1 {
        resizing(vm, args)?;
    }
    if n == 0 {
        return Ok(Value::None);
    }
    resizing(vm, args)?;
    let mut v = b.borrow_mut();
    if step == 1 {
        v.drain(start as usize..start as usize + n);
        return Ok(Value::None);
    }
    let doomed: std::collections::HashSet<usize> = (0..n as i64).map(|k| (start + k * step) as usize).collect();
    let mut idx = 0;
    v.retain(|_| {
        let keep = !doomed.contains(&idx);
        idx += 1;
        keep
    });
    Ok(Value::None)
}

fn ba_delitem(vm: &Vm, args: Args) -> PyResult {
    let b = buf(vm, args.positional().first())?;
    let pos = dunder_args(vm, args, 1)?;
    let key = &pos[0];
    if let Some(Payload::Slice(_)) = key.payload() {
        return delete_slice(vm, &args, b, key);
    }
    if !is_index(vm, key) {
        return Err(key_error(vm, key));
    }
    let len = b.borrow().len();
    match norm_index(vm, key, len)? {
        Some(i) => {
            resizing(vm, &args)?;
            b.borrow_mut().remove(i);
            Ok(Value::None)
        }
        None => Err(vm.new_index_error("bytearray index out of range")),
    }
}

fn ba_append(vm: &Vm, args: Args) -> PyResult {
    let b = buf(vm, args.positional().first())?;
    let pos = arity(vm, args, "bytearray", "append", 1, 1, Ar::Exact)?;
    let byte = byte_value(vm, &pos[0])?;
    resizing(vm, &args)?;
    b.borrow_mut().push(byte);
    Ok(Value::None)
}

fn ba_extend(vm: &Vm, args: Args) -> PyResult {
    let b = buf(vm, args.positional().first())?;
    let pos = arity(vm, args, "bytearray", "extend", 1, 1, Ar::Exact)?;
    let src = &pos[0];
    let data = match buf_arg(vm, src) {
        Ok(d) => d.into_owned(),
        Err(_) => {
            if vm.special(src, crate::types::typeobj::Slot::Iter).is_none()
                && vm.special(src, crate::types::typeobj::Slot::GetItem).is_none()
            {
                return Err(vm.new_type_error(format!("can't extend bytearray with {}", vm.type_name_of(src))));
            }
            ints_to_bytes(vm, src, Kind::ByteArray)?
        }
    };
    if !data.is_empty() {
        resizing(vm, &args)?;
    }
    b.borrow_mut().extend_from_slice(&data);
    Ok(Value::None)
}

fn ba_insert(vm: &Vm, args: Args) -> PyResult {
    let b = buf(vm, args.positional().first())?;
    let pos = arity(vm, args, "bytearray", "insert", 2, 2, Ar::Expected)?;
    let i = ssize_arg(vm, &pos[0])?;
    let byte = byte_value(vm, &pos[1])?;
    resizing(vm, &args)?;
    let mut v = b.borrow_mut();
    let len = v.len() as i64;
    let idx = if i < 0 { (i + len).max(0) } else { i.min(len) };
    v.insert(idx as usize, byte);
    Ok(Value::None)
}

fn ba_pop(vm: &Vm, args: Args) -> PyResult {
    let b = buf(vm, args.positional().first())?;
    let pos = arity(vm, args, "bytearray", "pop", 0, 1, Ar::Expected)?;
    let i = match pos.first() {
        Some(v) => ssize_arg(vm, v)?,
        None => -1,
    };
    let v = b.borrow();
    if v.is_empty() {
        return Err(vm.new_index_error("pop from empty bytearray"));
    }
    let len = v.len() as i64;
    let j = if i < 0 { i + len } else { i };
    if j < 0 || j >= len {
        return Err(vm.new_index_error("pop index out of range"));
    }
    drop(v);
    resizing(vm, &args)?;
    Ok(Value::Int(b.borrow_mut().remove(j as usize) as i64))
}

fn ba_remove(vm: &Vm, args: Args) -> PyResult {
    let b = buf(vm, args.positional().first())?;
    let pos = arity(vm, args, "bytearray", "remove", 1, 1, Ar::Exact)?;
    let byte = byte_value(vm, &pos[0])?;
    let found = b.borrow().iter().position(|x| *x == byte);
    match found {
        Some(i) => {
            resizing(vm, &args)?;
            b.borrow_mut().remove(i);
            Ok(Value::None)
        }
        None => Err(vm.new_value_error("value not found in bytearray")),
    }
}

fn ba_reverse(vm: &Vm, args: Args) -> PyResult {
    let b = buf(vm, args.positional().first())?;
    arity(vm, args, "bytearray", "reverse", 0, 0, Ar::Exact)?;
    b.borrow_mut().reverse();
    Ok(Value::None)
}

fn ba_clear(vm: &Vm, args: Args) -> PyResult {
    let b = buf(vm, args.positional().first())?;
    arity(vm, args, "bytearray", "clear", 0, 0, Ar::Exact)?;
    if !b.borrow().is_empty() {
        resizing(vm, &args)?;
    }
    b.borrow_mut().clear();
    Ok(Value::None)
}

fn ba_copy(vm: &Vm, args: Args) -> PyResult {
    let b = buf(vm, args.positional().first())?;
    arity(vm, args, "bytearray", "copy", 0, 0, Ar::Exact)?;
    let data = b.borrow().clone();
    Ok(new_bytearray(vm, data))
}

fn ba_alloc(vm: &Vm, args: Args) -> PyResult {
    let b = buf(vm, args.positional().first())?;
    arity(vm, args, "bytearray", "__alloc__", 0, 0, Ar::Exact)?;
    let n = b.borrow().len();
    Ok(Value::Int(if n == 0 { 0 } else { n as i64 + 1 }))
}

fn ba_iadd(vm: &Vm, args: Args) -> PyResult {
    let b = buf(vm, args.positional().first())?;
    let pos = dunder_args(vm, args, 1)?;
    let data = match buf_arg(vm, &pos[0]) {
        Ok(d) => d.into_owned(),
        Err(_) => {
            return Err(vm.new_type_error(format!("can't concat {} to bytearray", vm.type_name_of(&pos[0]))));
        }
    };
    crate::types::str_methods::check_alloc(vm, b.borrow().len() + data.len())?;
    if !data.is_empty() {
        resizing(vm, &args)?;
    }
    b.borrow_mut().extend_from_slice(&data);
    Ok(args.args[0].clone())
}

fn ba_imul(vm: &Vm, args: Args) -> PyResult {
    let b = buf(vm, args.positional().first())?;
    let pos = dunder_args(vm, args, 1)?;
    if !is_index(vm, &pos[0]) {
        // In-place repetition reports the bad count as `__index__` does.
        vm.index(&pos[0])?;
    }
    let cur = b.borrow().clone();
    match repeat_bytes(vm, Kind::ByteArray, &cur, &pos[0], false)? {
        Some(out) => {
            if out.len() != cur.len() {
                resizing(vm, &args)?;
            }
            *b.borrow_mut() = out;
            Ok(args.args[0].clone())
        }
        None => Ok(vm.not_implemented()),
    }
}

/// `__reduce_ex__(proto)`: protocols < 3 carry the data as a Latin-1 str
/// (picklable without bytes), later ones as bytes, as CPython does.
fn ba_reduce_ex(vm: &Vm, args: Args) -> PyResult {
    let b = buf(vm, args.positional().first())?;
    let pos = arity(vm, args, "bytearray", "__reduce_ex__", 0, 1, Ar::Expected)?;
    let proto = match pos.first() {
        Some(v) => ssize_arg(vm, v)?,
        None => 0,
    };
    reduce(vm, &args.args[0], b, proto)
}

/// `__reduce__`: as `__reduce_ex__(2)`.
fn ba_reduce(vm: &Vm, args: Args) -> PyResult {
    let b = buf(vm, args.positional().first())?;
    arity(vm, args, "bytearray", "__reduce__", 0, 0, Ar::Exact)?;
    reduce(vm, &args.args[0], b, 2)
}

fn reduce(vm: &Vm, me: &Value, b: &RefCell<Vec<u8>>, proto: i64) -> PyResult {
    let data = b.borrow().clone();
    let cls = vm.type_of(me);
    // `__getstate__()`: the __dict__ and, for a subclass with slots, their values.
    let state = vm.call1(&vm.getattr_str(me, "__getstate__")?, &[])?;
    let ctor_args = if proto < 3 {
        let text: String = data.iter().map(|&c| c as char).collect();
        vm.new_tuple(vec![vm.new_str(text), vm.new_str("latin-1")])
    } else if data.is_empty() {
        vm.new_tuple(vec![])
    } else {
        vm.new_tuple(vec![vm.new_bytes(data)])
    };
    Ok(vm.new_tuple(vec![Value::Obj(cls), ctor_args, state]))
}

static BYTEARRAY_METHODS: &[NativeDef] = &[
    NativeDef::staticmethod("__new__", ba_new),
    NativeDef::method("__init__", ba_init),
    NativeDef::method("__setitem__", ba_setitem),
    NativeDef::method("__delitem__", ba_delitem),
    NativeDef::method("__iadd__", ba_iadd),
    NativeDef::method("__imul__", ba_imul),
    NativeDef::method("__alloc__", ba_alloc).doc("B.__alloc__() -> int"),
    NativeDef::method("__reduce__", ba_reduce).doc("__reduce__($self, /)\n--\n\nReturn state information for pickling."),
    NativeDef::method("__reduce_ex__", ba_reduce_ex).doc("__reduce_ex__($self, proto=0, /)\n--\n\nReturn state information for pickling."),
    NativeDef::method("append", ba_append).doc("append($self, item, /)\n--\n\nAppend a single item to the end of the bytearray."),
    NativeDef::method("extend", ba_extend).doc("extend($self, iterable_of_ints, /)\n--\n\nAppend all the items from the iterator or sequence to the end of the bytearray."),
    NativeDef::method("insert", ba_insert).doc("insert($self, index, item, /)\n--\n\nInsert a single item into the bytearray before the given index."),
    NativeDef::method("pop", ba_pop).doc("pop($self, index=-1, /)\n--\n\nRemove and return a single item from B."),
    NativeDef::method("remove", ba_remove).doc("remove($self, value, /)\n--\n\nRemove the first occurrence of a value in the bytearray."),
    NativeDef::method("reverse", ba_reverse).doc("reverse($self, /)\n--\n\nReverse the order of the values in B in place."),
    NativeDef::method("clear", ba_clear).doc("clear($self, /)\n--\n\nRemove all items from the bytearray."),
    NativeDef::method("copy", ba_copy).doc("copy($self, /)\n--\n\nReturn a copy of B."),
];

/// Registers bytearray's methods; `__hash__ = None` makes it unhashable.
pub fn init(vm: &Vm) {
    crate::types::add_methods(vm, &vm.types.bytearray, crate::types::bytes::SHARED_METHODS);
    crate::types::add_methods(vm, &vm.types.bytearray, BYTEARRAY_METHODS);
    crate::types::add_attr(vm, &vm.types.bytearray, "__hash__", Value::None);
}
