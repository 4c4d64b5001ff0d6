//! `memoryview`: a view of the buffer of a bytes-like object (bytes,
//! bytearray, or another memoryview), one-dimensional, with the native
//! single-character struct formats (`B`, `b`, `c`, `?`, `h`, `H`, `i`, `I`,
//! `l`, `L`, `q`, `Q`, `n`, `N`, `f`, `d`, `P`).
//!
//! A view records the exporting object (never another memoryview: views of
//! views point at the root), a byte offset, a stride and an item count. While
//! any unreleased view of a bytearray exists, the bytearray refuses to change
//! size (CPython's export count); the count lives in a per-interpreter table
//! (`vm.state`) keyed by the exporter's id, which stays valid because the view
//! keeps the exporter alive.

use crate::payload::Payload;
use crate::types::function::{Args, NativeDef};
use crate::types::seq_util::{method_args, new_iter};
use crate::types::iter::IterState;
use crate::value::Value;
use crate::{PyRef, PyResult, Vm};
use dashu_int::IBig;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

/// Exporter id -> number of unreleased views over it, per interpreter. Each
/// view holds the table, so its `Drop` (which has no `Vm`) can reach it.
#[derive(Default)]
struct Exports {
    counts: RefCell<HashMap<usize, usize>>,
}

impl Exports {
    fn add(&self, id: usize) {
        *self.counts.borrow_mut().entry(id).or_insert(0) += 1;
    }

    fn remove(&self, id: usize) {
        let mut e = self.counts.borrow_mut();
        if let Some(n) = e.get_mut(&id) {
            *n -= 1;
            if *n == 0 {
                e.remove(&id);
            }
        }
    }
}

/// Does `obj` have unreleased memoryviews?
pub fn has_exports(vm: &Vm, obj: &Value) -> bool {
    let Some(o) = obj.as_obj() else { return false };
    vm.state::<Exports>().counts.borrow().get(&o.id()).is_some_and(|&n| n > 0)
}

/// BufferError when `obj` (a bytearray) has live memoryviews: called by every
/// bytearray operation that would change its size.
pub fn check_resizable(vm: &Vm, obj: &Value) -> PyResult<()> {
    if has_exports(vm, obj) {
        return Err(vm.new_exception_msg(
            &vm.exc.buffer_error,
            "Existing exports of data: object cannot be re-sized",
        ));
    }
    Ok(())
}

pub struct MemoryViewData {
    /// The exporter: a bytes or bytearray (or a subclass).
    obj: Value,
    /// Byte offset of item 0.
    start: usize,
    /// Number of items.
    len: usize,
    /// Bytes from one item to the next (negative for reversed slices).
    stride: isize,
    /// The format as given (`'B'`, `'@i'`); `code` is its letter.
    format: String,
    code: u8,
    itemsize: usize,
    readonly: bool,
    released: Cell<bool>,
    /// The interpreter's export table.
    exports: std::rc::Rc<Exports>,
}

/// The exporter is held for the view's whole life (`release` only marks the
/// view released), so it is traversed but not cleared.
impl crate::gc::NativeData for MemoryViewData {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn crate::gc::Visitor) {
        visitor.visit_value(&self.obj);
    }
}

impl Drop for MemoryViewData {
    fn drop(&mut self) {
        if !self.released.get() {
            if let Some(o) = self.obj.as_obj() {
                self.exports.remove(o.id());
            }
        }
    }
}

/// Item size of a native single-character format; None if unsupported.
fn itemsize_of(code: u8) -> Option<usize> {
    Some(match code {
        b'B' | b'b' | b'c' | b'?' => 1,
        b'h' | b'H' => 2,
        b'i' | b'I' | b'f' => 4,
        b'l' | b'L' | b'q' | b'Q' | b'n' | b'N' | b'd' | b'P' => 8,
        _ => return None,
    })
}

/// The letter of a format string: one character, optionally after '@'.
fn parse_format(f: &str) -> Option<u8> {
    let f = f.strip_prefix('@').unwrap_or(f);
    match f.as_bytes() {
        [c] if itemsize_of(*c).is_some() => Some(*c),
        _ => None,
    }
}

fn is_byte_format(code: u8) -> bool {
    matches!(code, b'B' | b'b' | b'c')
}

fn released_error(vm: &Vm) -> crate::PyErr {
    vm.new_value_error("operation forbidden on released memoryview object")
}

/// The view of a memoryview value (released or not).
fn view_of<'a>(vm: &Vm, v: &'a Value) -> PyResult<&'a MemoryViewData> {
    v.payload().and_then(|p| p.as_native::<MemoryViewData>()).ok_or_else(|| {
        vm.new_type_error(format!(
            "descriptor requires a 'memoryview' object but received a '{}'",
            vm.type_name_of(v)
        ))
    })
}

/// The view of a memoryview value, which must not be released.
fn live<'a>(vm: &Vm, v: &'a Value) -> PyResult<&'a MemoryViewData> {
    let d = view_of(vm, v)?;
    if d.released.get() {
        return Err(released_error(vm));
    }
    Ok(d)
}

/// Runs `f` on the exporter's bytes.
fn with_bytes<R>(obj: &Value, f: impl FnOnce(&[u8]) -> R) -> R {
    match obj.payload().map(|p| p.base()) {
        Some(Payload::Bytes(b)) => f(&b.bytes),
        Some(Payload::ByteArray(b)) => f(&b.borrow()),
        _ => match native_buffer(obj) {
            Some(b) => f(&b.borrow()),
            None => f(&[]),
        },
    }
}

/// Byte offset of item `i` (0 <= i < len).
fn offset(d: &MemoryViewData, i: usize) -> usize {
    (d.start as isize + d.stride * i as isize) as usize
}

impl MemoryViewData {
    /// The raw bytes of each item, in order.
    fn item_bytes(&self) -> Vec<Vec<u8>> {
        with_bytes(&self.obj, |buf| {
            (0..self.len)
                .map(|i| {
                    let o = offset(self, i);
                    buf.get(o..o + self.itemsize).map(|s| s.to_vec()).unwrap_or_else(|| vec![0; self.itemsize])
                })
                .collect()
        })
    }

    /// The view's contents as one byte string (`tobytes()`).
    fn contents(&self) -> Vec<u8> {
        self.item_bytes().concat()
    }
}

/// A new view over `obj`, counted as an export.
fn make_view(vm: &Vm, obj: Value, start: usize, len: usize, stride: isize, format: String, readonly: bool) -> Value {
    let code = parse_format(&format).unwrap_or(b'B');
    let exports = vm.state::<Exports>();
    if let Some(o) = obj.as_obj() {
        exports.add(o.id());
    }
    let data = MemoryViewData {
        obj,
        start,
        len,
        stride,
        itemsize: itemsize_of(code).unwrap_or(1),
        format,
        code,
        readonly,
        released: Cell::new(false),
        exports,
    };
    Value::Obj(PyRef::new(vm.types.memoryview.clone(), Payload::Native(Box::new(data))))
}

/// `memoryview(obj)`.
pub fn new_memoryview(vm: &Vm, obj: &Value) -> PyResult {
    if let Some(d) = obj.payload().and_then(|p| p.as_native::<MemoryViewData>()) {
        if d.released.get() {
            return Err(released_error(vm));
        }
        return Ok(make_view(vm, d.obj.clone(), d.start, d.len, d.stride, d.format.clone(), d.readonly));
    }
    match obj.payload().map(|p| p.base()) {
        Some(Payload::Native(n)) if n.exported_view().is_some() => match n.exported_view() {
            Some(Ok(view)) => new_memoryview(vm, &view),
            Some(Err(msg)) => Err(vm.new_value_error(msg)),
            None => Ok(Value::None),
        },
        Some(Payload::Bytes(b)) => Ok(make_view(vm, obj.clone(), 0, b.bytes.len(), 1, "B".into(), true)),
        Some(Payload::ByteArray(b)) => {
            let n = b.borrow().len();
            Ok(make_view(vm, obj.clone(), 0, n, 1, "B".into(), false))
        }
        Some(Payload::Native(n)) if n.buffer().is_some() && itemsize_of(n.buffer_format()).is_some() => {
            let code = n.buffer_format();
            let nbytes = n.buffer().map_or(0, |b| b.borrow().len());
            let size = itemsize_of(code).unwrap_or(1);
            Ok(make_view(vm, obj.clone(), 0, nbytes / size, size as isize, (code as char).to_string(), false))
        }
        _ => Err(vm.new_type_error(format!(
            "memoryview: a bytes-like object is required, not '{}'",
            vm.type_name_of(obj)
        ))),
    }
}

/// The bytes of a memoryview value (None for other values); used where
/// builtins accept any bytes-like object.
pub fn memoryview_bytes(v: &Value) -> Option<Vec<u8>> {
    let d = v.payload()?.as_native::<MemoryViewData>()?;
    if d.released.get() {
        return None;
    }
    Some(d.contents())
}

/// The size in bytes of a live, writable memoryview (None for other values
/// and read-only views): the room `readinto` may fill.
pub fn writable_nbytes(v: &Value) -> Option<usize> {
    let d = v.payload()?.as_native::<MemoryViewData>()?;
    (!d.released.get() && !d.readonly).then_some(d.len * d.itemsize)
}

/// Writes `data` over the first whole items of a writable memoryview
/// (as `writable_nbytes` allows); returns how many bytes were stored.
pub fn write_prefix(vm: &Vm, v: &Value, data: &[u8]) -> PyResult<usize> {
    let Some(d) = v.payload().and_then(|p| p.as_native::<MemoryViewData>()) else {
        return Ok(0);
    };
    let n = (data.len() / d.itemsize).min(d.len);
    let writes: Vec<(usize, Vec<u8>)> =
        (0..n).map(|i| (offset(d, i), data[i * d.itemsize..(i + 1) * d.itemsize].to_vec())).collect();
    store(vm, d, &writes)?;
    Ok(n * d.itemsize)
}

/// A copy of the bytes of a memoryview or of a native object exporting a
/// buffer (`NativeData::buffer`); None for other values.
pub fn buffer_bytes(v: &Value) -> Option<Vec<u8>> {
    memoryview_bytes(v).or_else(|| match v.payload()?.base() {
        Payload::Native(n) => match n.exported_view() {
            Some(Ok(view)) => memoryview_bytes(&view),
            Some(Err(_)) => None,
            None => Some(n.buffer()?.borrow().clone()),
        },
        _ => None,
    })
}

/// The byte buffer a native object exports (an `array.array`'s items).
pub fn native_buffer(v: &Value) -> Option<&RefCell<Vec<u8>>> {
    match v.payload()?.base() {
        Payload::Native(n) => n.buffer(),
        _ => None,
    }
}

/// Like `memoryview_bytes`, but a released view is CPython's ValueError.
pub fn memoryview_bytes_checked(vm: &Vm, v: &Value) -> PyResult<Option<Vec<u8>>> {
    match v.payload().and_then(|p| p.as_native::<MemoryViewData>()) {
        Some(d) if d.released.get() => Err(released_error(vm)),
        Some(d) => Ok(Some(d.contents())),
        None => Ok(None),
    }
}

fn unpack(vm: &Vm, code: u8, b: &[u8]) -> Value {
    fn arr<const N: usize>(b: &[u8]) -> [u8; N] {
        let mut a = [0u8; N];
        for (x, y) in a.iter_mut().zip(b) {
            *x = *y;
        }
        a
    }
    match code {
        b'B' => Value::Int(b[0] as i64),
        b'b' => Value::Int(b[0] as i8 as i64),
        b'c' => vm.new_bytes(vec![b[0]]),
        b'?' => Value::Bool(b[0] != 0),
        b'h' => Value::Int(i16::from_ne_bytes(arr(b)) as i64),
        b'H' => Value::Int(u16::from_ne_bytes(arr(b)) as i64),
        b'i' => Value::Int(i32::from_ne_bytes(arr(b)) as i64),
        b'I' => Value::Int(u32::from_ne_bytes(arr(b)) as i64),
        b'l' | b'q' | b'n' => Value::Int(i64::from_ne_bytes(arr(b))),
        b'L' | b'Q' | b'N' | b'P' => {
            let u = u64::from_ne_bytes(arr(b));
            match i64::try_from(u) {
                Ok(i) => Value::Int(i),
                Err(_) => vm.new_int(IBig::from(u)),
            }
        }
        b'f' => Value::Float(f32::from_ne_bytes(arr(b)) as f64),
        b'd' => Value::Float(f64::from_ne_bytes(arr(b))),
        _ => Value::None,
    }
}

/// The bytes of `v` stored as one item of format `code` (CPython's
/// `pack_single` errors).
fn pack(vm: &Vm, code: u8, v: &Value) -> PyResult<Vec<u8>> {
    let fmt = code as char;
    let bad_type = || vm.new_type_error(format!("memoryview: invalid type for format '{fmt}'"));
    let bad_value = || vm.new_value_error(format!("memoryview: invalid value for format '{fmt}'"));
    match code {
        b'c' => match v.payload().and_then(|p| p.as_bytes()) {
            Some(b) if b.len() == 1 => Ok(b.to_vec()),
            Some(_) => Err(bad_value()),
            None => Err(bad_type()),
        },
        b'?' => Ok(vec![vm.truthy(v)? as u8]),
        b'f' | b'd' => {
            let ok = matches!(v, Value::Float(_) | Value::Int(_) | Value::Bool(_))
                || matches!(v.payload().map(|p| p.base()), Some(Payload::Float(_)) | Some(Payload::Int(_)))
                || vm.special(v, crate::types::typeobj::Slot::Float).is_some()
                || vm.special(v, crate::types::typeobj::Slot::Index).is_some();
            if !ok {
                return Err(bad_type());
            }
            let f = crate::types::float::float_from_object(vm, v)?;
            Ok(if code == b'f' { (f as f32).to_ne_bytes().to_vec() } else { f.to_ne_bytes().to_vec() })
        }
        _ => {
            let is_int = matches!(v, Value::Int(_) | Value::Bool(_))
                || matches!(v.payload().map(|p| p.base()), Some(Payload::Int(_)))
                || vm.special(v, crate::types::typeobj::Slot::Index).is_some();
            if !is_int {
                return Err(bad_type());
            }
            let i = vm.as_ibig(&vm.index(v)?).unwrap_or(IBig::ZERO);
            let fits = |lo: i128, hi: i128| -> PyResult<i128> {
                match i128::try_from(&i) {
                    Ok(x) if x >= lo && x <= hi => Ok(x),
                    _ => Err(bad_value()),
                }
            };
            Ok(match code {
                b'B' => vec![fits(0, u8::MAX as i128)? as u8],
                b'b' => vec![fits(i8::MIN as i128, i8::MAX as i128)? as i8 as u8],
                b'h' => (fits(i16::MIN as i128, i16::MAX as i128)? as i16).to_ne_bytes().to_vec(),
                b'H' => (fits(0, u16::MAX as i128)? as u16).to_ne_bytes().to_vec(),
                b'i' => (fits(i32::MIN as i128, i32::MAX as i128)? as i32).to_ne_bytes().to_vec(),
                b'I' => (fits(0, u32::MAX as i128)? as u32).to_ne_bytes().to_vec(),
                b'l' | b'q' | b'n' => (fits(i64::MIN as i128, i64::MAX as i128)? as i64).to_ne_bytes().to_vec(),
                _ => (fits(0, u64::MAX as i128)? as u64).to_ne_bytes().to_vec(),
            })
        }
    }
}

/// Writes `data` (one item's bytes, or several for a slice) at byte offsets.
fn store(vm: &Vm, d: &MemoryViewData, writes: &[(usize, Vec<u8>)]) -> PyResult<()> {
    let target = match d.obj.payload().map(|p| p.base()) {
        Some(Payload::ByteArray(b)) => b,
        _ => native_buffer(&d.obj).ok_or_else(|| vm.new_type_error("cannot modify read-only memory"))?,
    };
    let mut b = target.borrow_mut();
    for (o, bytes) in writes {
        if let Some(dst) = b.get_mut(*o..*o + bytes.len()) {
            dst.copy_from_slice(bytes);
        }
    }
    Ok(())
}

fn mv_new(vm: &Vm, args: Args) -> PyResult {
    let rest = Args { args: args.args.get(1..).unwrap_or(&[]), kwnames: args.kwnames };
    let a = vm.bind_native("memoryview", rest, &["object"], 0, 1, None)?;
    new_memoryview(vm, a[0].as_ref().unwrap())
}

/// An item index: int-like, normalised against `len`.
fn item_index(vm: &Vm, d: &MemoryViewData, key: &Value) -> PyResult<usize> {
    let i = vm.as_ibig(&vm.index(key)?).unwrap_or(IBig::ZERO);
    let n = IBig::from(d.len);
    let i = if i < IBig::ZERO { i + &n } else { i };
    if i < IBig::ZERO || i >= n {
        return Err(vm.new_index_error("index out of bounds on dimension 1"));
    }
    Ok(usize::try_from(&i).unwrap_or(0))
}

fn is_index_key(vm: &Vm, key: &Value) -> bool {
    matches!(key, Value::Int(_) | Value::Bool(_))
        || matches!(key.payload().map(|p| p.base()), Some(Payload::Int(_)))
        || vm.special(key, crate::types::typeobj::Slot::Index).is_some()
}

fn mv_getitem(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "memoryview.__getitem__", 1, 1)?;
    let d = live(vm, s)?;
    let key = &a[0];
    if let Some(Payload::Slice(_)) = key.payload() {
        let (start, _, step, n) = vm.slice_indices(key, d.len)?;
        let begin = if n == 0 { d.start } else { offset(d, start as usize) };
        return Ok(make_view(vm, d.obj.clone(), begin, n, d.stride * step, d.format.clone(), d.readonly));
    }
    if let Value::Obj(o) = key {
        if o.is(&vm.ellipsis) {
            return Ok(s.clone());
        }
    }
    if !is_index_key(vm, key) {
        return Err(vm.new_type_error("memoryview: invalid slice key"));
    }
    let i = item_index(vm, d, key)?;
    let o = offset(d, i);
    let bytes = with_bytes(&d.obj, |b| b.get(o..o + d.itemsize).map(|s| s.to_vec()));
    match bytes {
        Some(b) => Ok(unpack(vm, d.code, &b)),
        None => Err(vm.new_index_error("index out of bounds on dimension 1")),
    }
}

fn mv_setitem(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "memoryview.__setitem__", 2, 2)?;
    let d = live(vm, s)?;
    if d.readonly {
        return Err(vm.new_type_error("cannot modify read-only memory"));
    }
    let (key, value) = (&a[0], &a[1]);
    if let Some(Payload::Slice(_)) = key.payload() {
        let (start, _, step, n) = vm.slice_indices(key, d.len)?;
        // The source must be a buffer of the same format and length.
        let Some((src_code, src_items)) = buffer_items(vm, value)? else {
            return Err(vm.new_type_error(format!(
                "a bytes-like object is required, not '{}'",
                vm.type_name_of(value)
            )));
        };
        if src_code != d.code || src_items.len() != n {
            return Err(vm.new_value_error("memoryview assignment: lvalue and rvalue have different structures"));
        }
        let writes: Vec<(usize, Vec<u8>)> = src_items
            .into_iter()
            .enumerate()
            .map(|(k, item)| (offset(d, (start + step * k as isize) as usize), item))
            .collect();
        return store(vm, d, &writes).map(|_| Value::None);
    }
    if !is_index_key(vm, key) {
        return Err(vm.new_type_error("memoryview: invalid slice key"));
    }
    let i = item_index(vm, d, key)?;
    let bytes = pack(vm, d.code, value)?;
    store(vm, d, &[(offset(d, i), bytes)]).map(|_| Value::None)
}

fn mv_delitem(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "memoryview.__delitem__", 1, 1)?;
    let d = live(vm, s)?;
    if d.readonly {
        return Err(vm.new_type_error("cannot modify read-only memory"));
    }
    Err(vm.new_type_error("cannot delete memory"))
}

fn mv_len(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "memoryview.__len__", 0, 0)?;
    Ok(Value::Int(live(vm, s)?.len as i64))
}

fn mv_iter(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "memoryview.__iter__", 0, 0)?;
    live(vm, s)?;
    Ok(new_iter(&vm.types.memory_iterator, IterState::Seq { seq: Some(s.clone()), index: 0 }))
}

fn mv_repr(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "memoryview.__repr__", 0, 0)?;
    let d = view_of(vm, s)?;
    let id = s.as_obj().map_or(0, |o| o.id());
    let what = if d.released.get() { "released memory" } else { "memory" };
    Ok(vm.new_str(format!("<{what} at {id:#x}>")))
}

fn mv_hash(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "memoryview.__hash__", 0, 0)?;
    let d = live(vm, s)?;
    if !d.readonly {
        return Err(vm.new_value_error("cannot hash writable memoryview object"));
    }
    if !is_byte_format(d.code) {
        return Err(vm.new_value_error("memoryview: hashing is restricted to formats 'B', 'b' or 'c'"));
    }
    Ok(Value::Int(vm.hash(&vm.new_bytes(d.contents()))?))
}

/// The items of a bytes-like value as Python values, with its format letter;
/// None when `v` is not bytes-like. A released view is an error.
/// The format letter and the items' bytes of a buffer: a memoryview (which
/// must not be released), a native exporter (`array.array`), or another
/// bytes-like value (format 'B'); None for anything else.
fn buffer_items(vm: &Vm, v: &Value) -> PyResult<Option<(u8, Vec<Vec<u8>>)>> {
    if let Some(d) = v.payload().and_then(|p| p.as_native::<MemoryViewData>()) {
        if d.released.get() {
            return Err(released_error(vm));
        }
        return Ok(Some((d.code, d.item_bytes())));
    }
    if let Some(Payload::Native(n)) = v.payload().map(|p| p.base()) {
        if let (Some(b), Some(size)) = (n.buffer(), itemsize_of(n.buffer_format())) {
            return Ok(Some((n.buffer_format(), b.borrow().chunks(size).map(<[u8]>::to_vec).collect())));
        }
    }
    Ok(crate::types::text_util::bytes_like(v).map(|b| (b'B', b.into_iter().map(|x| vec![x]).collect())))
}

fn unpacked(vm: &Vm, v: &Value) -> PyResult<Option<Vec<Value>>> {
    Ok(buffer_items(vm, v)?.map(|(code, items)| items.iter().map(|b| unpack(vm, code, b)).collect()))
}

fn equal(vm: &Vm, a: &Value, b: &Value) -> PyResult<Option<bool>> {
    if a.is(b) {
        return Ok(Some(true));
    }
    let released = |v: &Value| v.payload().and_then(|p| p.as_native::<MemoryViewData>()).is_some_and(|d| d.released.get());
    if released(a) || released(b) {
        return Ok(Some(false));
    }
    let (Some(x), Some(y)) = (unpacked(vm, a)?, unpacked(vm, b)?) else { return Ok(None) };
    if x.len() != y.len() {
        return Ok(Some(false));
    }
    for (p, q) in x.iter().zip(&y) {
        if !vm.eq_bool(p, q)? {
            return Ok(Some(false));
        }
    }
    Ok(Some(true))
}

fn mv_eq(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "memoryview.__eq__", 1, 1)?;
    view_of(vm, s)?;
    Ok(match equal(vm, s, &a[0])? {
        Some(r) => Value::Bool(r),
        None => vm.not_implemented(),
    })
}

fn mv_ne(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "memoryview.__ne__", 1, 1)?;
    view_of(vm, s)?;
    Ok(match equal(vm, s, &a[0])? {
        Some(r) => Value::Bool(!r),
        None => vm.not_implemented(),
    })
}

fn mv_tobytes(vm: &Vm, args: Args) -> PyResult {
    let rest = Args { args: args.args.get(1..).unwrap_or(&[]), kwnames: args.kwnames };
    let s = args.args.first().ok_or_else(|| vm.new_type_error("tobytes() needs an argument"))?;
    let a = vm.bind_native("tobytes", rest, &["order"], 0, 0, None)?;
    if let Some(o) = a[0].as_ref().filter(|o| !o.is_none()) {
        match vm.as_str(o) {
            Some("C") | Some("F") | Some("A") => {}
            Some(_) => return Err(vm.new_value_error("order must be 'C', 'F' or 'A'")),
            None => {
                return Err(vm.new_type_error(format!(
                    "tobytes() argument 'order' must be str or None, not {}",
                    vm.type_name_of(o)
                )))
            }
        }
    }
    Ok(vm.new_bytes(live(vm, s)?.contents()))
}

fn mv_tolist(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "memoryview.tolist", 0, 0)?;
    let d = live(vm, s)?;
    Ok(vm.new_list(d.item_bytes().iter().map(|b| unpack(vm, d.code, b)).collect()))
}

fn mv_hex(vm: &Vm, args: Args) -> PyResult {
    let s = args.args.first().ok_or_else(|| vm.new_type_error("hex() needs an argument"))?;
    let bytes = vm.new_bytes(live(vm, s)?.contents());
    // Same separators and errors as bytes.hex().
    let f = vm.getattr_opt(&bytes, "hex")?.ok_or_else(|| vm.new_type_error("hex"))?;
    vm.call(&f, Args { args: &args.args[1..], kwnames: args.kwnames })
}

fn mv_release(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "memoryview.release", 0, 0)?;
    let d = view_of(vm, s)?;
    if !d.released.replace(true) {
        if let Some(o) = d.obj.as_obj() {
            d.exports.remove(o.id());
        }
    }
    Ok(Value::None)
}

fn mv_enter(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "memoryview.__enter__", 0, 0)?;
    live(vm, s)?;
    Ok(s.clone())
}

fn mv_exit(vm: &Vm, args: Args) -> PyResult {
    let s = args.args.first().ok_or_else(|| vm.new_type_error("__exit__() needs an argument"))?;
    mv_release(vm, Args::new(std::slice::from_ref(s)))
}

fn mv_toreadonly(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "memoryview.toreadonly", 0, 0)?;
    let d = live(vm, s)?;
    Ok(make_view(vm, d.obj.clone(), d.start, d.len, d.stride, d.format.clone(), true))
}

fn mv_cast(vm: &Vm, args: Args) -> PyResult {
    let s = args.args.first().ok_or_else(|| vm.new_type_error("cast() needs an argument"))?;
    let rest = Args { args: &args.args[1..], kwnames: args.kwnames };
    let a = vm.bind_native("cast", rest, &["format", "shape"], 0, 1, None)?;
    let d = live(vm, s)?;
    let fmt_v = a[0].as_ref().unwrap();
    let fmt = match vm.as_str(fmt_v) {
        Some(f) => f.to_string(),
        None => {
            return Err(vm.new_type_error(format!(
                "cast() argument 'format' must be str, not {}",
                vm.type_name_of(fmt_v)
            )))
        }
    };
    if d.stride != d.itemsize as isize && d.len > 1 {
        return Err(vm.new_type_error("memoryview: casts are restricted to C-contiguous views"));
    }
    let code = parse_format(&fmt).ok_or_else(|| {
        vm.new_value_error(
            "memoryview: destination format must be a native single character format prefixed with an optional '@'",
        )
    })?;
    if !is_byte_format(code) && !is_byte_format(d.code) {
        return Err(vm.new_type_error("memoryview: cannot cast between two non-byte formats"));
    }
    let nbytes = d.len * d.itemsize;
    let size = itemsize_of(code).unwrap_or(1);
    if nbytes % size != 0 {
        return Err(vm.new_type_error("memoryview: length is not a multiple of itemsize"));
    }
    let len = nbytes / size;
    if let Some(shape) = a[1].as_ref() {
        let dims = match vm.seq_items(shape) {
            Some(v) => v,
            None => return Err(vm.new_type_error("shape must be a list or a tuple")),
        };
        // Only one-dimensional views are supported: shape must be [len].
        let ok = dims.len() == 1 && matches!(dims[0], Value::Int(n) if n >= 0 && n as usize == len);
        if !ok {
            return Err(vm.new_not_implemented_error("memoryview: multi-dimensional casts are not supported"));
        }
    }
    Ok(make_view(vm, d.obj.clone(), d.start, len, size as isize, fmt, d.readonly))
}

macro_rules! getter {
    ($name:ident, |$vm:ident, $d:ident, $s:ident| $body:expr) => {
        fn $name($vm: &Vm, $s: &Value) -> PyResult {
            let $d = live($vm, $s)?;
            Ok($body)
        }
    };
}

getter!(get_obj, |vm, d, s| { let _ = (vm, s); d.obj.clone() });
getter!(get_nbytes, |vm, d, s| { let _ = (vm, s); Value::Int((d.len * d.itemsize) as i64) });
getter!(get_readonly, |vm, d, s| { let _ = (vm, s); Value::Bool(d.readonly) });
getter!(get_itemsize, |vm, d, s| { let _ = (vm, s); Value::Int(d.itemsize as i64) });
getter!(get_format, |vm, d, s| { let _ = s; vm.new_str(d.format.clone()) });
getter!(get_ndim, |vm, d, s| { let _ = (vm, d, s); Value::Int(1) });
getter!(get_shape, |vm, d, s| { let _ = s; vm.new_tuple(vec![Value::Int(d.len as i64)]) });
getter!(get_strides, |vm, d, s| { let _ = s; vm.new_tuple(vec![Value::Int(d.stride as i64)]) });
getter!(get_suboffsets, |vm, d, s| { let _ = (s, d); vm.new_tuple(vec![]) });
getter!(get_contiguous, |vm, d, s| { let _ = (vm, s); Value::Bool(d.len <= 1 || d.stride == d.itemsize as isize) });

static MV_METHODS: [NativeDef; 18] = [
    NativeDef::staticmethod("__new__", mv_new),
    NativeDef::method("__getitem__", mv_getitem),
    NativeDef::method("__setitem__", mv_setitem),
    NativeDef::method("__delitem__", mv_delitem),
    NativeDef::method("__len__", mv_len),
    NativeDef::method("__iter__", mv_iter),
    NativeDef::method("__repr__", mv_repr),
    NativeDef::method("__hash__", mv_hash),
    NativeDef::method("__eq__", mv_eq),
    NativeDef::method("__ne__", mv_ne),
    NativeDef::method("__enter__", mv_enter),
    NativeDef::method("__exit__", mv_exit),
    NativeDef::method("tobytes", mv_tobytes).doc("tobytes($self, /, order='C')\n--\n\nReturn the data in the buffer as a byte string."),
    NativeDef::method("tolist", mv_tolist).doc("tolist($self, /)\n--\n\nReturn the data in the buffer as a list of elements."),
    NativeDef::method("hex", mv_hex).doc("hex($self, /, sep=<unrepresentable>, bytes_per_sep=1)\n--\n\nReturn the data in the buffer as a str of hexadecimal numbers."),
    NativeDef::method("release", mv_release).doc("release($self, /)\n--\n\nRelease the underlying buffer exposed by the memoryview object."),
    NativeDef::method("toreadonly", mv_toreadonly).doc("toreadonly($self, /)\n--\n\nReturn a readonly version of the memoryview."),
    NativeDef::method("cast", mv_cast).doc("cast($self, /, format, shape=<unrepresentable>)\n--\n\nCast a memoryview to a new format or shape."),
];

use crate::payload::GetSetDef;
static MV_GETSETS: [GetSetDef; 12] = [
    GetSetDef { name: "obj", get: get_obj, set: None, doc: "The underlying object of the memoryview." },
    GetSetDef { name: "nbytes", get: get_nbytes, set: None, doc: "The amount of space in bytes that the array would use in a contiguous representation." },
    GetSetDef { name: "readonly", get: get_readonly, set: None, doc: "A bool indicating whether the memory is read only." },
    GetSetDef { name: "itemsize", get: get_itemsize, set: None, doc: "The size in bytes of each element of the memoryview." },
    GetSetDef { name: "format", get: get_format, set: None, doc: "A string containing the format (in struct module style) for each element in the view." },
    GetSetDef { name: "ndim", get: get_ndim, set: None, doc: "An integer indicating how many dimensions of a multi-dimensional array the memory represents." },
    GetSetDef { name: "shape", get: get_shape, set: None, doc: "A tuple of ndim integers giving the shape of the memory as an N-dimensional array." },
    GetSetDef { name: "strides", get: get_strides, set: None, doc: "A tuple of ndim integers giving the size in bytes to access each element for each dimension of the array." },
    GetSetDef { name: "suboffsets", get: get_suboffsets, set: None, doc: "A tuple of integers used internally for PIL-style arrays." },
    GetSetDef { name: "c_contiguous", get: get_contiguous, set: None, doc: "A bool indicating whether the memory is C contiguous." },
    GetSetDef { name: "f_contiguous", get: get_contiguous, set: None, doc: "A bool indicating whether the memory is Fortran contiguous." },
    GetSetDef { name: "contiguous", get: get_contiguous, set: None, doc: "A bool indicating whether the memory is contiguous." },
];

pub fn init(vm: &Vm) {
    crate::types::add_methods(vm, &vm.types.memoryview, &MV_METHODS);
    crate::types::add_getsets(vm, &vm.types.memoryview, &MV_GETSETS);
}
