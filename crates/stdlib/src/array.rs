//! The `array` module: `array.array`, a compact sequence of C numbers (or
//! wide characters), and its iterator.
//!
//! Items are kept as the machine's native bytes (`Vec<u8>`, `itemsize`
//! bytes each), so `tobytes`/`frombytes`, `byteswap` and pickling work on
//! the raw memory as in CPython; items become Python values only when read.
//! Storage grows by CPython's rule (`resize`), which `__sizeof__` reports.
//!
//! The raw bytes are exported through `NativeData::buffer` (CPython's buffer
//! protocol), so bytes-like consumers (`bytes(arr)`, `int(arr)`,
//! `struct.unpack`, `struct.pack_into`) take an array and `memoryview(arr)`
//! views it; while views exist, operations that would resize the array
//! raise BufferError (`check_resizable`). `memoryview` of a 'u' array is refused.

use crate::native::{descr_error, native_type, new_iter, new_object, short_type_name, split_new, TypeSpec};
use crate::native::ITER_METHODS;
use dashu_int::IBig;
use krait_compiler::bytecode::CmpOp;
use krait_vm::gc::Visitor;
use krait_vm::payload::{GetSetDef, Payload};
use krait_vm::types::iter::NativeIter;
use krait_vm::types::typeobj::{type_flags, Layout, Slot};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::{Cell, RefCell};

const TYPECODES: &str = "bBuhHiIlLqQfd";

fn itemsize(tc: u8) -> usize {
    match tc {
        b'b' | b'B' => 1,
        b'h' | b'H' => 2,
        b'i' | b'I' | b'f' | b'u' => 4,
        _ => 8,
    }
}

fn is_int_code(tc: u8) -> bool {
    !matches!(tc, b'f' | b'd' | b'u')
}

/// CPython's machine format code of a typecode (pickling), little-endian x86-64.
fn mformat_of(tc: u8) -> i64 {
    match tc {
        b'B' => 0,
        b'b' => 1,
        b'H' => 2,
        b'h' => 4,
        b'I' => 6,
        b'i' => 8,
        b'L' | b'Q' => 10,
        b'l' | b'q' => 12,
        b'f' => 14,
        b'd' => 16,
        _ => 20, // 'u': UTF-32-LE
    }
}

pub struct ArrayData {
    tc: u8,
    data: RefCell<Vec<u8>>,
    /// Items allocated, following CPython's growth rule (for `__sizeof__`).
    allocated: Cell<usize>,
}

/// Holds no Python references; tracked all the same, as CPython's arrays
/// are (so `sys.getsizeof` counts the collector's header the same way).
impl krait_vm::gc::NativeData for ArrayData {
    fn is_gc(&self) -> bool {
        true
    }
    fn buffer(&self) -> Option<&RefCell<Vec<u8>>> {
        Some(&self.data)
    }
    fn buffer_format(&self) -> u8 {
        // CPython exports wide characters as 'w'.
        if self.tc == b'u' {
            b'w'
        } else {
            self.tc
        }
    }
}

impl ArrayData {
    fn new(tc: u8, data: Vec<u8>) -> ArrayData {
        let n = data.len() / itemsize(tc);
        ArrayData { tc, data: RefCell::new(data), allocated: Cell::new(n) }
    }
    fn isz(&self) -> usize {
        itemsize(self.tc)
    }
    fn len(&self) -> usize {
        self.data.borrow().len() / self.isz()
    }
    /// CPython's allocation bookkeeping for a change of length to `n`:
    /// over-allocate when growing past capacity or shrinking a lot.
    fn note_resize(&self, n: usize) {
        let old = self.len();
        if !(self.allocated.get() >= n && old < n + 16) {
            self.allocated.set(if n == 0 { 0 } else { (n >> 4) + if old < 8 { 3 } else { 7 } + n });
        }
    }
    /// Sets the item count to `n` (new items zeroed).
    fn resize(&self, n: usize) {
        self.note_resize(n);
        self.data.borrow_mut().resize(n * self.isz(), 0);
    }
    /// Replaces the contents (a whole number of items).
    fn replace(&self, new: Vec<u8>) {
        self.note_resize(new.len() / self.isz());
        *self.data.borrow_mut() = new;
    }
    fn item_bytes(&self, i: usize) -> Vec<u8> {
        let s = self.isz();
        self.data.borrow()[i * s..(i + 1) * s].to_vec()
    }
}

fn array_type(vm: &Vm) -> PyRef {
    native_type(vm, &ARRAY)
}

fn state_of(v: &Value) -> Option<&ArrayData> {
    v.payload().and_then(|p| p.as_native::<ArrayData>())
}

/// `self` of a method and its other arguments.
fn me<'a>(vm: &Vm, args: &Args<'a>, name: &str) -> PyResult<(&'a Value, &'a ArrayData, &'a [Value])> {
    let (first, rest) = args
        .args
        .split_first()
        .ok_or_else(|| vm.new_type_error(format!("descriptor '{name}' of 'array.array' object needs an argument")))?;
    let a = state_of(first).ok_or_else(|| descr_error(vm, name, "array.array", first))?;
    Ok((first, a, rest))
}

/// `me` for a method that may resize the array: BufferError while a
/// memoryview of it exists.
fn me_resizable<'a>(vm: &Vm, args: &Args<'a>, name: &str) -> PyResult<(&'a Value, &'a ArrayData, &'a [Value])> {
    let r = me(vm, args, name)?;
    check_resizable(vm, r.0)?;
    Ok(r)
}

/// BufferError if `this` has exports and would grow by `nbytes`.
fn check_grow(vm: &Vm, this: &Value, nbytes: usize) -> PyResult<()> {
    if nbytes > 0 {
        check_resizable(vm, this)?;
    }
    Ok(())
}

fn check_resizable(vm: &Vm, this: &Value) -> PyResult<()> {
    if krait_vm::types::memoryview::has_exports(vm, this) {
        return Err(vm.new_exception_msg(&vm.exc.buffer_error, "cannot resize an array that is exporting buffers"));
    }
    Ok(())
}

/// METH_NOARGS / METH_O arity checks, in CPython's words.
fn arity(vm: &Vm, args: &Args, name: &str, n: usize) -> PyResult<()> {
    crate::native::no_kwargs(vm, &format!("array.{name}"), args)?;
    let k = args.args.len().saturating_sub(1);
    if k != n {
        return Err(vm.new_type_error(match n {
            0 => format!("array.{name}() takes no arguments ({k} given)"),
            _ => format!("array.{name}() takes exactly one argument ({k} given)"),
        }));
    }
    Ok(())
}

/// Methods that take the defining class (extend, fromfile, __reduce_ex__):
/// "extend() takes exactly 1 positional argument (0 given)".
fn exact_positional(vm: &Vm, args: &Args, name: &str, n: usize) -> PyResult<()> {
    crate::native::no_kwargs(vm, name, args)?;
    let k = args.args.len().saturating_sub(1);
    if k != n {
        let s = if n == 1 { "" } else { "s" };
        return Err(vm.new_type_error(format!("{name}() takes exactly {n} positional argument{s} ({k} given)")));
    }
    Ok(())
}

/// Clinic positional-only checks ("pop expected at most 1 argument, got 2").
fn pos_range(vm: &Vm, args: &Args, name: &str, min: usize, max: usize) -> PyResult<()> {
    crate::native::no_kwargs(vm, name, args)?;
    let k = args.args.len().saturating_sub(1);
    let s = |n: usize| if n == 1 { "" } else { "s" };
    if min == max && k != min {
        return Err(vm.new_type_error(format!("{name} expected {min} argument{}, got {k}", s(min))));
    }
    if k < min {
        return Err(vm.new_type_error(format!("{name} expected at least {min} argument{}, got {k}", s(min))));
    }
    if k > max {
        return Err(vm.new_type_error(format!("{name} expected at most {max} argument{}, got {k}", s(max))));
    }
    Ok(())
}

// ---- items: Python values <-> native bytes ----

/// An int argument through `__index__`, as a big integer.
fn int_of(vm: &Vm, v: &Value) -> PyResult<IBig> {
    let i = match v {
        Value::Int(_) | Value::Bool(_) => v.clone(),
        Value::Obj(o) if o.payload.as_int().is_some() => v.clone(),
        _ => {
            if vm.special(v, Slot::Index).is_none() {
                let t = vm.type_name_of(v);
                return Err(vm.new_type_error(format!("'{t}' object cannot be interpreted as an integer")));
            }
            vm.index(v)?
        }
    };
    Ok(vm.as_ibig(&i).unwrap_or_default())
}

/// A C long (PyArg's 'h', 'b', 'i', 'l' first convert to one).
fn c_long(vm: &Vm, v: &Value) -> PyResult<i64> {
    i64::try_from(&int_of(vm, v)?).map_err(|_| vm.new_overflow_error("Python int too large to convert to C long"))
}

fn in_range(vm: &Vm, x: i64, lo: i64, hi: i64, what: &str) -> PyResult<i64> {
    if x < lo {
        return Err(vm.new_overflow_error(format!("{what} is less than minimum")));
    }
    if x > hi {
        return Err(vm.new_overflow_error(format!("{what} is greater than maximum")));
    }
    Ok(x)
}

/// The native bytes of `v` as an item of typecode `tc`, with CPython's
/// conversions and error messages for each code.
fn encode(vm: &Vm, tc: u8, v: &Value) -> PyResult<Vec<u8>> {
    let short = |vm: &Vm, v: &Value| -> PyResult<i64> {
        in_range(vm, c_long(vm, v)?, i16::MIN as i64, i16::MAX as i64, "signed short integer")
    };
    let int = |vm: &Vm, v: &Value| -> PyResult<i64> {
        in_range(vm, c_long(vm, v)?, i32::MIN as i64, i32::MAX as i64, "signed integer")
    };
    let unsigned = |vm: &Vm, v: &Value, max: u64, neg: &str, big: &str| -> PyResult<u64> {
        let i = int_of(vm, v)?;
        if i < IBig::ZERO {
            return Err(vm.new_overflow_error(neg.to_string()));
        }
        let x = u64::try_from(&i).map_err(|_| vm.new_overflow_error(big.to_string()))?;
        if x > max {
            return Err(vm.new_overflow_error("unsigned int is greater than maximum"));
        }
        Ok(x)
    };
    Ok(match tc {
        b'b' => vec![in_range(vm, short(vm, v)?, -128, 127, "signed char")? as i8 as u8],
        b'B' => vec![in_range(vm, c_long(vm, v)?, 0, 255, "unsigned byte integer")? as u8],
        b'h' => (short(vm, v)? as i16).to_ne_bytes().to_vec(),
        b'H' => (in_range(vm, int(vm, v)?, 0, u16::MAX as i64, "unsigned short")? as u16).to_ne_bytes().to_vec(),
        b'i' => (int(vm, v)? as i32).to_ne_bytes().to_vec(),
        b'I' => {
            let neg = "can't convert negative value to unsigned int";
            let x = unsigned(vm, v, u32::MAX as u64, neg, "Python int too large to convert to C unsigned long")?;
            (x as u32).to_ne_bytes().to_vec()
        }
        b'l' => c_long(vm, v)?.to_ne_bytes().to_vec(),
        b'L' => {
            let neg = "can't convert negative value to unsigned int";
            unsigned(vm, v, u64::MAX, neg, "Python int too large to convert to C unsigned long")?.to_ne_bytes().to_vec()
        }
        b'q' => {
            let i = int_of(vm, v)?;
            i64::try_from(&i).map_err(|_| vm.new_overflow_error("int too big to convert"))?.to_ne_bytes().to_vec()
        }
        b'Q' => unsigned(vm, v, u64::MAX, "can't convert negative int to unsigned", "int too big to convert")?
            .to_ne_bytes()
            .to_vec(),
        b'f' => (crate::math::arg_f64(vm, v)? as f32).to_ne_bytes().to_vec(),
        b'd' => crate::math::arg_f64(vm, v)?.to_ne_bytes().to_vec(),
        _ => {
            let bad = || vm.new_type_error("array item must be unicode character");
            let s = vm.as_str(v).ok_or_else(bad)?;
            let mut cs = s.chars();
            match (cs.next(), cs.next()) {
                (Some(c), None) => (c as u32).to_ne_bytes().to_vec(),
                _ => return Err(bad()),
            }
        }
    })
}

fn char_of(vm: &Vm, u: u32) -> PyResult<char> {
    char::from_u32(u).ok_or_else(|| vm.new_value_error(format!("character U+{u:x} is not in range [U+0000; U+10ffff]")))
}

/// The Python value of one item's bytes.
fn decode(vm: &Vm, tc: u8, d: &[u8]) -> PyResult {
    let a2 = |d: &[u8]| [d[0], d[1]];
    let a4 = |d: &[u8]| [d[0], d[1], d[2], d[3]];
    let a8 = |d: &[u8]| [d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]];
    Ok(match tc {
        b'b' => Value::Int(d[0] as i8 as i64),
        b'B' => Value::Int(d[0] as i64),
        b'h' => Value::Int(i16::from_ne_bytes(a2(d)) as i64),
        b'H' => Value::Int(u16::from_ne_bytes(a2(d)) as i64),
        b'i' => Value::Int(i32::from_ne_bytes(a4(d)) as i64),
        b'I' => Value::Int(u32::from_ne_bytes(a4(d)) as i64),
        b'l' | b'q' => Value::Int(i64::from_ne_bytes(a8(d))),
        b'L' | b'Q' => vm.new_int(IBig::from(u64::from_ne_bytes(a8(d)))),
        b'f' => Value::Float(f32::from_ne_bytes(a4(d)) as f64),
        b'd' => Value::Float(f64::from_ne_bytes(a8(d))),
        _ => vm.new_str(char_of(vm, u32::from_ne_bytes(a4(d)))?.to_string()),
    })
}

/// An integer item as i128 (for native comparisons of integer arrays).
fn int_item(tc: u8, d: &[u8]) -> i128 {
    let mut b = [0u8; 8];
    b[..d.len()].copy_from_slice(d);
    match tc {
        b'b' => d[0] as i8 as i128,
        b'h' => i16::from_ne_bytes([d[0], d[1]]) as i128,
        b'i' => i32::from_ne_bytes([d[0], d[1], d[2], d[3]]) as i128,
        b'l' | b'q' => i64::from_ne_bytes(b) as i128,
        _ => u64::from_ne_bytes(b) as i128,
    }
}

fn get(vm: &Vm, a: &ArrayData, i: usize) -> PyResult {
    let b = a.item_bytes(i);
    decode(vm, a.tc, &b)
}

fn all_items(vm: &Vm, a: &ArrayData) -> PyResult<Vec<Value>> {
    let data = a.data.borrow().clone();
    data.chunks(a.isz()).map(|c| decode(vm, a.tc, c)).collect()
}

fn to_unicode(vm: &Vm, a: &ArrayData) -> PyResult<String> {
    let data = a.data.borrow();
    data.chunks(4).map(|c| char_of(vm, u32::from_ne_bytes([c[0], c[1], c[2], c[3]]))).collect()
}

fn unicode_bytes(s: &str) -> Vec<u8> {
    s.chars().flat_map(|c| (c as u32).to_ne_bytes()).collect()
}

/// A new exact `array.array` (what slicing, `+` and `*` return).
fn new_array(vm: &Vm, tc: u8, data: Vec<u8>) -> Value {
    let t = array_type(vm);
    new_object(vm, &t, &t, ArrayData::new(tc, data))
}

// ---- construction ----

fn append_value(vm: &Vm, a: &ArrayData, v: &Value) -> PyResult<()> {
    let b = encode(vm, a.tc, v)?;
    let n = a.len();
    a.resize(n + 1);
    a.data.borrow_mut()[n * a.isz()..].copy_from_slice(&b);
    Ok(())
}

/// Appends everything an iterable yields (CPython's `array_iter_extend`).
/// `this` is the array object when it may have exports to check.
fn extend_iter(vm: &Vm, this: Option<&Value>, a: &ArrayData, it: &Value) -> PyResult<()> {
    let it = vm.iter(it)?;
    while let Some(v) = vm.next(&it)? {
        if let Some(this) = this {
            check_resizable(vm, this)?;
        }
        append_value(vm, a, &v)?;
    }
    Ok(())
}

fn frombytes_into(vm: &Vm, a: &ArrayData, b: &[u8]) -> PyResult<()> {
    if b.len() % a.isz() != 0 {
        return Err(vm.new_value_error("bytes length not a multiple of item size"));
    }
    let n = a.len();
    a.resize(n + b.len() / a.isz());
    a.data.borrow_mut()[n * a.isz()..].copy_from_slice(b);
    Ok(())
}

fn is_bytes_or_bytearray(v: &Value) -> bool {
    matches!(v.payload().map(|p| p.base()), Some(Payload::Bytes(_) | Payload::ByteArray(_)))
}

fn array_new(vm: &Vm, args: Args) -> PyResult {
    let t = array_type(vm);
    let (cls, args) = split_new(vm, args, &t)?;
    if cls.is(&t) && args.has_kwargs() {
        return Err(vm.new_type_error("array.array() takes no keyword arguments"));
    }
    let pos = args.positional();
    if pos.is_empty() {
        return Err(vm.new_type_error("array() takes at least 1 argument (0 given)"));
    }
    if pos.len() > 2 {
        return Err(vm.new_type_error(format!("array() takes at most 2 arguments ({} given)", pos.len())));
    }
    let tcv = &pos[0];
    let tc = match vm.as_str(tcv) {
        Some(s) if s.chars().count() == 1 => s.chars().next().unwrap_or('\0'),
        _ => {
            return Err(vm.new_type_error(format!(
                "array() argument 1 must be a unicode character, not {}",
                vm.type_name_of(tcv)
            )))
        }
    };
    let init = pos.get(1);
    if let Some(init) = init {
        if tc != 'u' {
            if vm.as_str(init).is_some() {
                return Err(vm.new_type_error(format!("cannot use a str to initialize an array with typecode '{tc}'")));
            }
            if state_of(init).is_some_and(|o| o.tc == b'u') {
                return Err(vm.new_type_error(format!(
                    "cannot use a unicode array to initialize an array with typecode '{tc}'"
                )));
            }
        }
    }
    // Anything but a list, tuple, bytes, bytearray, str (for 'u') or array of
    // the same code is iterated (iter() first: its TypeError comes before a
    // bad typecode's ValueError, as in CPython).
    let mut iter_src = None;
    if let Some(init) = init {
        let direct = init.payload().is_some_and(|p| p.as_list().is_some() || p.as_tuple().is_some())
            || is_bytes_or_bytearray(init)
            || (tc == 'u' && vm.as_str(init).is_some())
            || state_of(init).is_some_and(|o| o.tc as char == tc);
        if !direct {
            iter_src = Some(vm.iter(init)?);
        }
    }
    if !tc.is_ascii() || !TYPECODES.as_bytes().contains(&(tc as u8)) {
        return Err(vm.new_value_error("bad typecode (must be b, B, u, h, H, i, I, l, L, q, Q, f or d)"));
    }
    let tc = tc as u8;
    let arr = ArrayData::new(tc, Vec::new());
    match (init, &iter_src) {
        (_, Some(it)) => extend_iter(vm, None, &arr, it)?,
        (None, None) => {}
        (Some(init), None) => {
            let seq = init.payload().and_then(|p| p.as_tuple().map(|t| t.to_vec()).or_else(|| p.as_list().map(|l| l.borrow().to_vec())));
            if let Some(items) = seq {
                let mut data = Vec::with_capacity(items.len() * itemsize(tc));
                for v in &items {
                    data.extend_from_slice(&encode(vm, tc, v)?);
                }
                *arr.data.borrow_mut() = data;
                arr.allocated.set(items.len());
            } else if is_bytes_or_bytearray(init) {
                let b = krait_vm::types::int::bytes_like(init).unwrap_or_default();
                frombytes_into(vm, &arr, &b)?;
            } else if let Some(s) = vm.as_str(init) {
                let b = unicode_bytes(s);
                arr.allocated.set(b.len() / 4);
                *arr.data.borrow_mut() = b;
            } else if let Some(o) = state_of(init) {
                let b = o.data.borrow().clone();
                arr.allocated.set(b.len() / itemsize(tc));
                *arr.data.borrow_mut() = b;
            }
        }
    }
    Ok(new_object(vm, &cls, &t, arr))
}

// ---- methods ----

fn m_append(vm: &Vm, args: Args) -> PyResult {
    arity(vm, &args, "append", 1)?;
    let (_, a, r) = me_resizable(vm, &args, "append")?;
    append_value(vm, a, &r[0])?;
    Ok(Value::None)
}

fn m_buffer_info(vm: &Vm, args: Args) -> PyResult {
    arity(vm, &args, "buffer_info", 0)?;
    let (_, a, _) = me(vm, &args, "buffer_info")?;
    let addr = a.data.borrow().as_ptr() as usize as i64;
    Ok(vm.new_tuple(vec![Value::Int(addr), Value::Int(a.len() as i64)]))
}

fn m_byteswap(vm: &Vm, args: Args) -> PyResult {
    arity(vm, &args, "byteswap", 0)?;
    let (_, a, _) = me(vm, &args, "byteswap")?;
    let s = a.isz();
    for c in a.data.borrow_mut().chunks_mut(s) {
        c.reverse();
    }
    Ok(Value::None)
}

/// Positions whose item equals `v` (Python `==`), from `start` to `stop`.
fn find(vm: &Vm, a: &ArrayData, v: &Value, start: usize, stop: usize, first_only: bool) -> PyResult<Vec<usize>> {
    let mut out = Vec::new();
    let mut i = start;
    // The array may change under `__eq__`: re-check the length each time.
    while i < stop.min(a.len()) {
        let x = get(vm, a, i)?;
        if vm.eq_bool(&x, v)? {
            out.push(i);
            if first_only {
                break;
            }
        }
        i += 1;
    }
    Ok(out)
}

fn m_count(vm: &Vm, args: Args) -> PyResult {
    arity(vm, &args, "count", 1)?;
    let (_, a, r) = me(vm, &args, "count")?;
    Ok(Value::Int(find(vm, a, &r[0], 0, usize::MAX, false)?.len() as i64))
}

/// A start/stop bound of `index` (negative counts from the end, clamped at 0).
fn bound(vm: &Vm, v: Option<&Value>, len: usize, dflt: usize) -> PyResult<usize> {
    let Some(v) = v else { return Ok(dflt) };
    if !is_index(vm, v) {
        return Err(vm.new_type_error("slice indices must be integers or have an __index__ method"));
    }
    let i = match vm.index(v)? {
        Value::Int(i) => i,
        Value::Bool(b) => b as i64,
        other => {
            if vm.as_ibig(&other).is_some_and(|b| b < IBig::ZERO) {
                i64::MIN
            } else {
                i64::MAX
            }
        }
    };
    Ok(if i < 0 { (i.saturating_add(len as i64)).max(0) as usize } else { i as usize })
}

fn m_index(vm: &Vm, args: Args) -> PyResult {
    pos_range(vm, &args, "index", 1, 3)?;
    let (_, a, r) = me(vm, &args, "index")?;
    let len = a.len();
    let start = bound(vm, r.get(1), len, 0)?;
    let stop = bound(vm, r.get(2), len, usize::MAX)?;
    match find(vm, a, &r[0], start, stop, true)?.first() {
        Some(&i) => Ok(Value::Int(i as i64)),
        None => Err(vm.new_value_error("array.index(x): x not in array")),
    }
}

fn m_remove(vm: &Vm, args: Args) -> PyResult {
    arity(vm, &args, "remove", 1)?;
    let (this, a, r) = me(vm, &args, "remove")?;
    match find(vm, a, &r[0], 0, usize::MAX, true)?.first() {
        Some(&i) => {
            check_resizable(vm, this)?;
            delete_range(a, i, i + 1);
            Ok(Value::None)
        }
        None => Err(vm.new_value_error("array.remove(x): x not in array")),
    }
}

/// Removes items `lo..hi`.
fn delete_range(a: &ArrayData, lo: usize, hi: usize) {
    let s = a.isz();
    let mut d = a.data.borrow().clone();
    d.drain(lo * s..hi * s);
    a.replace(d);
}

fn m_extend(vm: &Vm, args: Args) -> PyResult {
    exact_positional(vm, &args, "extend", 1)?;
    let (this, a, r) = me(vm, &args, "extend")?;
    extend_with(vm, this, a, &r[0])?;
    Ok(Value::None)
}

fn extend_with(vm: &Vm, this: &Value, a: &ArrayData, v: &Value) -> PyResult<()> {
    match state_of(v) {
        Some(o) => {
            if o.tc != a.tc {
                return Err(vm.new_type_error("can only extend with array of same kind"));
            }
            let b = o.data.borrow().clone();
            check_grow(vm, this, b.len())?;
            frombytes_into(vm, a, &b)
        }
        None => extend_iter(vm, Some(this), a, v),
    }
}

fn m_frombytes(vm: &Vm, args: Args) -> PyResult {
    arity(vm, &args, "frombytes", 1)?;
    let (this, a, r) = me(vm, &args, "frombytes")?;
    let b = krait_vm::types::int::bytes_like(&r[0]).ok_or_else(|| {
        vm.new_type_error(format!("a bytes-like object is required, not '{}'", vm.type_name_of(&r[0])))
    })?;
    check_grow(vm, this, b.len())?;
    frombytes_into(vm, a, &b)?;
    Ok(Value::None)
}

fn m_fromfile(vm: &Vm, args: Args) -> PyResult {
    exact_positional(vm, &args, "fromfile", 2)?;
    let (this, a, r) = me(vm, &args, "fromfile")?;
    let n = crate::native::ssize(vm, &r[1])?;
    if n < 0 {
        return Err(vm.new_value_error("negative count"));
    }
    let nbytes = (n as usize).checked_mul(a.isz()).ok_or_else(|| vm.new_memory_error())?;
    let b = vm.call_method(&r[0], "read", &[Value::Int(nbytes as i64)])?;
    let Some(bytes) = b.payload().and_then(|p| p.as_bytes()).map(|x| x.to_vec()) else {
        return Err(vm.new_type_error("read() didn't return bytes"));
    };
    let short = bytes.len() != nbytes;
    check_grow(vm, this, bytes.len())?;
    frombytes_into(vm, a, &bytes)?;
    if short {
        return Err(vm.new_exception_msg(&vm.exc.eof_error, "read() didn't return enough bytes"));
    }
    Ok(Value::None)
}

fn m_fromlist(vm: &Vm, args: Args) -> PyResult {
    arity(vm, &args, "fromlist", 1)?;
    let (this, a, r) = me(vm, &args, "fromlist")?;
    let Some(items) = r[0].payload().and_then(|p| p.as_list()).map(|l| l.borrow().to_vec()) else {
        return Err(vm.new_type_error("arg must be list"));
    };
    // All or nothing: convert first, then append.
    let mut b = Vec::with_capacity(items.len() * a.isz());
    for v in &items {
        b.extend_from_slice(&encode(vm, a.tc, v)?);
    }
    check_grow(vm, this, b.len())?;
    frombytes_into(vm, a, &b)?;
    Ok(Value::None)
}

fn m_fromunicode(vm: &Vm, args: Args) -> PyResult {
    arity(vm, &args, "fromunicode", 1)?;
    let (this, a, r) = me(vm, &args, "fromunicode")?;
    let Some(s) = vm.as_str(&r[0]) else {
        return Err(vm.new_type_error(format!("fromunicode() argument must be str, not {}", vm.type_name_of(&r[0]))));
    };
    if a.tc != b'u' {
        return Err(vm.new_value_error("fromunicode() may only be called on unicode type arrays"));
    }
    let b = unicode_bytes(s);
    check_grow(vm, this, b.len())?;
    frombytes_into(vm, a, &b)?;
    Ok(Value::None)
}

fn m_insert(vm: &Vm, args: Args) -> PyResult {
    pos_range(vm, &args, "insert", 2, 2)?;
    let (_, a, r) = me_resizable(vm, &args, "insert")?;
    let i = crate::native::ssize(vm, &r[0])?;
    let b = encode(vm, a.tc, &r[1])?;
    let n = a.len() as i64;
    let i = if i < 0 { (i + n).max(0) } else { i.min(n) } as usize;
    let s = a.isz();
    a.resize(n as usize + 1);
    let mut d = a.data.borrow_mut();
    d.copy_within(i * s..n as usize * s, (i + 1) * s);
    d[i * s..(i + 1) * s].copy_from_slice(&b);
    Ok(Value::None)
}

fn m_pop(vm: &Vm, args: Args) -> PyResult {
    pos_range(vm, &args, "pop", 0, 1)?;
    let (_, a, r) = me_resizable(vm, &args, "pop")?;
    let i = match r.first() {
        Some(v) => crate::native::ssize(vm, v)?,
        None => -1,
    };
    let n = a.len() as i64;
    if n == 0 {
        return Err(vm.new_exception_msg(&vm.exc.index_error, "pop from empty array"));
    }
    let i = if i < 0 { i + n } else { i };
    if i < 0 || i >= n {
        return Err(vm.new_exception_msg(&vm.exc.index_error, "pop index out of range"));
    }
    let v = get(vm, a, i as usize)?;
    delete_range(a, i as usize, i as usize + 1);
    Ok(v)
}

fn m_reverse(vm: &Vm, args: Args) -> PyResult {
    arity(vm, &args, "reverse", 0)?;
    let (_, a, _) = me(vm, &args, "reverse")?;
    let s = a.isz();
    let mut d = a.data.borrow_mut();
    let mut items: Vec<Vec<u8>> = d.chunks(s).map(|c| c.to_vec()).collect();
    items.reverse();
    *d = items.concat();
    Ok(Value::None)
}

fn m_tobytes(vm: &Vm, args: Args) -> PyResult {
    arity(vm, &args, "tobytes", 0)?;
    let (_, a, _) = me(vm, &args, "tobytes")?;
    let b = a.data.borrow().clone();
    Ok(vm.new_bytes(b))
}

fn m_tofile(vm: &Vm, args: Args) -> PyResult {
    arity(vm, &args, "tofile", 1)?;
    let (_, a, r) = me(vm, &args, "tofile")?;
    // In blocks of 64 KiB, as CPython writes them.
    let data = a.data.borrow().clone();
    for block in data.chunks(64 * 1024) {
        vm.call_method(&r[0], "write", &[vm.new_bytes(block.to_vec())])?;
    }
    Ok(Value::None)
}

fn m_tolist(vm: &Vm, args: Args) -> PyResult {
    arity(vm, &args, "tolist", 0)?;
    let (_, a, _) = me(vm, &args, "tolist")?;
    Ok(vm.new_list(all_items(vm, a)?))
}

fn m_tounicode(vm: &Vm, args: Args) -> PyResult {
    arity(vm, &args, "tounicode", 0)?;
    let (_, a, _) = me(vm, &args, "tounicode")?;
    if a.tc != b'u' {
        return Err(vm.new_value_error("tounicode() may only be called on unicode type arrays"));
    }
    Ok(vm.new_str(to_unicode(vm, a)?))
}

fn m_copy(vm: &Vm, args: Args) -> PyResult {
    arity(vm, &args, "__copy__", 0)?;
    let (_, a, _) = me(vm, &args, "__copy__")?;
    Ok(new_array(vm, a.tc, a.data.borrow().clone()))
}

fn m_deepcopy(vm: &Vm, args: Args) -> PyResult {
    arity(vm, &args, "__deepcopy__", 1)?;
    let (_, a, _) = me(vm, &args, "__deepcopy__")?;
    Ok(new_array(vm, a.tc, a.data.borrow().clone()))
}

fn m_sizeof(vm: &Vm, args: Args) -> PyResult {
    arity(vm, &args, "__sizeof__", 0)?;
    let (_, a, _) = me(vm, &args, "__sizeof__")?;
    Ok(Value::Int((64 + a.allocated.get() * a.isz()) as i64))
}

fn m_reduce_ex(vm: &Vm, args: Args) -> PyResult {
    exact_positional(vm, &args, "__reduce_ex__", 1)?;
    let (this, a, r) = me(vm, &args, "__reduce_ex__")?;
    let protocol = match &r[0] {
        Value::Int(i) => *i,
        Value::Bool(b) => *b as i64,
        v if v.payload().and_then(|p| p.as_int()).is_some() => c_long(vm, v)?,
        _ => return Err(vm.new_type_error("__reduce_ex__ argument should be an integer")),
    };
    let dict = vm.instance_dict(this, false).map(Value::Obj).unwrap_or(Value::None);
    let cls = Value::Obj(vm.class_of(this).clone());
    let code = vm.new_str((a.tc as char).to_string());
    if protocol < 3 {
        let list = vm.new_list(all_items(vm, a)?);
        return Ok(vm.new_tuple(vec![cls, vm.new_tuple(vec![code, list]), dict]));
    }
    let recon = vm.getattr_str(&Value::Obj(vm.import_full("array")?), "_array_reconstructor")?;
    let bytes = vm.new_bytes(a.data.borrow().clone());
    let rargs = vm.new_tuple(vec![cls, code, Value::Int(mformat_of(a.tc)), bytes]);
    Ok(vm.new_tuple(vec![recon, rargs, dict]))
}

// ---- the sequence protocol ----

fn m_len(vm: &Vm, args: Args) -> PyResult {
    let (_, a, _) = me(vm, &args, "__len__")?;
    Ok(Value::Int(a.len() as i64))
}

fn is_index(vm: &Vm, v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Bool(_))
        || v.payload().and_then(|p| p.as_int()).is_some()
        || vm.special(v, Slot::Index).is_some()
}

/// An item index normalised against `len`; None when out of range.
fn item_index(vm: &Vm, key: &Value, len: usize) -> PyResult<Option<usize>> {
    let i = match vm.index(key)? {
        Value::Int(i) => i,
        Value::Bool(b) => b as i64,
        _ => {
            return Err(vm.new_exception_msg(
                &vm.exc.index_error,
                format!("cannot fit '{}' into an index-sized integer", vm.type_name_of(key)),
            ))
        }
    };
    let i = if i < 0 { i + len as i64 } else { i };
    Ok((i >= 0 && (i as usize) < len).then_some(i as usize))
}

fn is_slice(v: &Value) -> bool {
    matches!(v.payload(), Some(Payload::Slice(_)))
}

fn m_getitem(vm: &Vm, args: Args) -> PyResult {
    let (_, a, r) = me(vm, &args, "__getitem__")?;
    let key = r.first().ok_or_else(|| vm.new_type_error("expected 1 argument, got 0"))?;
    if is_slice(key) {
        let (start, _, step, n) = vm.slice_indices(key, a.len())?;
        let s = a.isz();
        let d = a.data.borrow();
        let mut out = Vec::with_capacity(n * s);
        for k in 0..n {
            let i = (start + k as isize * step) as usize;
            out.extend_from_slice(&d[i * s..(i + 1) * s]);
        }
        drop(d);
        return Ok(new_array(vm, a.tc, out));
    }
    if !is_index(vm, key) {
        return Err(vm.new_type_error("array indices must be integers"));
    }
    match item_index(vm, key, a.len())? {
        Some(i) => get(vm, a, i),
        None => Err(vm.new_exception_msg(&vm.exc.index_error, "array index out of range")),
    }
}

/// Assigns (`value` Some) or deletes (None) `self[key]`.
/// `a[key] = value`, or `del a[key]` when value is None; `this` is the
/// array object (checked for exports when its size would change).
fn assign(vm: &Vm, this: &Value, a: &ArrayData, key: &Value, value: Option<&Value>) -> PyResult<()> {
    if !is_slice(key) {
        if !is_index(vm, key) {
            return Err(vm.new_type_error("array indices must be integers"));
        }
        let Some(i) = item_index(vm, key, a.len())? else {
            return Err(vm.new_exception_msg(&vm.exc.index_error, "array assignment index out of range"));
        };
        match value {
            Some(v) => {
                let b = encode(vm, a.tc, v)?;
                let s = a.isz();
                a.data.borrow_mut()[i * s..(i + 1) * s].copy_from_slice(&b);
            }
            None => {
                check_resizable(vm, this)?;
                delete_range(a, i, i + 1);
            }
        }
        return Ok(());
    }
    let other: Vec<u8> = match value {
        None => Vec::new(),
        Some(v) => match state_of(v) {
            Some(o) => {
                if o.tc != a.tc {
                    return Err(vm.new_type_error("bad argument type for built-in operation"));
                }
                o.data.borrow().clone()
            }
            None => {
                return Err(vm.new_type_error(format!(
                    "can only assign array (not \"{}\") to array slice",
                    vm.type_name_of(v)
                )))
            }
        },
    };
    let s = a.isz();
    let needed = other.len() / s;
    let (start, stop, step, n) = vm.slice_indices(key, a.len())?;
    if needed != n {
        check_resizable(vm, this)?;
    }
    if step == 1 {
        // A contiguous range: replaced by the other array's items.
        let lo = start.max(0) as usize;
        let hi = (stop.max(start)).max(0) as usize;
        let hi = hi.min(a.len()).max(lo);
        let mut d = a.data.borrow().clone();
        d.splice(lo * s..hi * s, other);
        a.replace(d);
        return Ok(());
    }
    if needed == 0 {
        // Deleting an extended slice (also what assigning an empty array does).
        let mut drop_idx: Vec<usize> = (0..n).map(|k| (start + k as isize * step) as usize).collect();
        drop_idx.sort_unstable();
        let kept: Vec<u8> = a
            .data
            .borrow()
            .chunks(s)
            .enumerate()
            .filter(|(i, _)| drop_idx.binary_search(i).is_err())
            .flat_map(|(_, c)| c.to_vec())
            .collect();
        a.replace(kept);
        return Ok(());
    }
    if needed != n {
        let msg = format!("attempt to assign array of size {needed} to extended slice of size {n}");
        return Err(vm.new_value_error(msg));
    }
    let mut d = a.data.borrow_mut();
    for k in 0..n {
        let i = (start + k as isize * step) as usize;
        d[i * s..(i + 1) * s].copy_from_slice(&other[k * s..(k + 1) * s]);
    }
    Ok(())
}

fn m_setitem(vm: &Vm, args: Args) -> PyResult {
    let (this, a, r) = me(vm, &args, "__setitem__")?;
    if r.len() != 2 {
        return Err(vm.new_type_error(format!("expected 2 arguments, got {}", r.len())));
    }
    assign(vm, this, a, &r[0], Some(&r[1]))?;
    Ok(Value::None)
}

fn m_delitem(vm: &Vm, args: Args) -> PyResult {
    let (this, a, r) = me(vm, &args, "__delitem__")?;
    let key = r.first().ok_or_else(|| vm.new_type_error("expected 1 argument, got 0"))?;
    assign(vm, this, a, key, None)?;
    Ok(Value::None)
}

fn m_contains(vm: &Vm, args: Args) -> PyResult {
    let (_, a, r) = me(vm, &args, "__contains__")?;
    let v = r.first().ok_or_else(|| vm.new_type_error("expected 1 argument, got 0"))?;
    Ok(Value::Bool(!find(vm, a, v, 0, usize::MAX, true)?.is_empty()))
}

fn m_add(vm: &Vm, args: Args) -> PyResult {
    let (_, a, r) = me(vm, &args, "__add__")?;
    let v = r.first().ok_or_else(|| vm.new_type_error("expected 1 argument, got 0"))?;
    let Some(o) = state_of(v) else {
        return Err(vm.new_type_error(format!("can only append array (not \"{}\") to array", vm.type_name_of(v))));
    };
    if o.tc != a.tc {
        return Err(vm.new_type_error("bad argument type for built-in operation"));
    }
    let mut d = a.data.borrow().clone();
    d.extend_from_slice(&o.data.borrow());
    Ok(new_array(vm, a.tc, d))
}

fn m_iadd(vm: &Vm, args: Args) -> PyResult {
    let (this, a, r) = me(vm, &args, "__iadd__")?;
    let v = r.first().ok_or_else(|| vm.new_type_error("expected 1 argument, got 0"))?;
    if state_of(v).is_none() {
        return Err(vm.new_type_error(format!("can only extend array with array (not \"{}\")", vm.type_name_of(v))));
    }
    extend_with(vm, this, a, v)?;
    Ok(this.clone())
}

/// The repeat count of `*`, or None when `v` is not an integer.
fn repeat_count(vm: &Vm, v: &Value) -> PyResult<Option<i64>> {
    if !is_index(vm, v) {
        return Ok(None);
    }
    Ok(Some(match vm.index(v)? {
        Value::Int(i) => i,
        Value::Bool(b) => b as i64,
        big => {
            if vm.as_ibig(&big).is_some_and(|b| b < IBig::ZERO) {
                0
            } else {
                return Err(vm.new_overflow_error(format!(
                    "cannot fit '{}' into an index-sized integer",
                    vm.type_name_of(v)
                )));
            }
        }
    }))
}

fn not_int_error(vm: &Vm, v: &Value) -> PyResult {
    // A user class's __rmul__ gets its turn, as for list.
    let cls = vm.class_of(v);
    if cls.payload.as_type().is_some_and(|t| t.is_heap()) && vm.special(v, Slot::RMul).is_some() {
        return Ok(vm.not_implemented());
    }
    Err(vm.new_type_error(format!("can't multiply sequence by non-int of type '{}'", vm.type_name_of(v))))
}

fn m_mul(vm: &Vm, args: Args) -> PyResult {
    let (_, a, r) = me(vm, &args, "__mul__")?;
    let v = r.first().ok_or_else(|| vm.new_type_error("expected 1 argument, got 0"))?;
    let Some(n) = repeat_count(vm, v)? else { return not_int_error(vm, v) };
    let d = a.data.borrow();
    let n = n.max(0) as usize;
    if n > 0 && d.len().checked_mul(n).is_none_or(|t| t > isize::MAX as usize) {
        return Err(vm.new_memory_error());
    }
    let out = d.repeat(n);
    drop(d);
    Ok(new_array(vm, a.tc, out))
}

fn m_imul(vm: &Vm, args: Args) -> PyResult {
    let (this, a, r) = me(vm, &args, "__imul__")?;
    let v = r.first().ok_or_else(|| vm.new_type_error("expected 1 argument, got 0"))?;
    let Some(n) = repeat_count(vm, v)? else { return not_int_error(vm, v) };
    let n = n.max(0) as usize;
    let d = a.data.borrow().clone();
    if n > 0 && d.len().checked_mul(n).is_none_or(|t| t > isize::MAX as usize) {
        return Err(vm.new_memory_error());
    }
    if n != 1 && !d.is_empty() {
        check_resizable(vm, this)?;
    }
    a.replace(d.repeat(n));
    Ok(this.clone())
}

fn m_repr(vm: &Vm, args: Args) -> PyResult {
    let (this, a, _) = me(vm, &args, "__repr__")?;
    let name = short_type_name(vm, this);
    let tc = a.tc as char;
    if a.len() == 0 {
        return Ok(vm.new_str(format!("{name}('{tc}')")));
    }
    let body = if a.tc == b'u' {
        vm.new_str(to_unicode(vm, a)?)
    } else {
        vm.new_list(all_items(vm, a)?)
    };
    Ok(vm.new_str(format!("{name}('{tc}', {})", vm.repr_string(&body)?)))
}

fn compare(vm: &Vm, args: Args, name: &str, op: CmpOp) -> PyResult {
    let (_, a, r) = me(vm, &args, name)?;
    let v = r.first().ok_or_else(|| vm.new_type_error("expected 1 argument, got 0"))?;
    let Some(b) = state_of(v) else { return Ok(vm.not_implemented()) };
    let (la, lb) = (a.len(), b.len());
    if la != lb && matches!(op, CmpOp::Eq | CmpOp::Ne) {
        return Ok(Value::Bool(op == CmpOp::Ne));
    }
    if a.tc == b.tc && is_int_code(a.tc) {
        // Same integer code: compared natively, as CPython's fast path does.
        let s = a.isz();
        let (da, db) = (a.data.borrow(), b.data.borrow());
        for (x, y) in da.chunks(s).zip(db.chunks(s)) {
            let (x, y) = (int_item(a.tc, x), int_item(a.tc, y));
            if x != y {
                return Ok(Value::Bool(op.holds(x, y)));
            }
        }
        return Ok(Value::Bool(op.holds(la, lb)));
    }
    // First differing item (by ==), then the operator on it.
    let mut i = 0;
    while i < a.len() && i < b.len() {
        let (x, y) = (get(vm, a, i)?, get(vm, b, i)?);
        if !vm.eq_bool(&x, &y)? {
            return match op {
                CmpOp::Eq => Ok(Value::Bool(false)),
                CmpOp::Ne => Ok(Value::Bool(true)),
                _ => vm.compare(&x, &y, op),
            };
        }
        i += 1;
    }
    Ok(Value::Bool(op.holds(a.len(), b.len())))
}


fn m_eq(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__eq__", CmpOp::Eq)
}
fn m_ne(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__ne__", CmpOp::Ne)
}
fn m_lt(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__lt__", CmpOp::Lt)
}
fn m_le(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__le__", CmpOp::Le)
}
fn m_gt(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__gt__", CmpOp::Gt)
}
fn m_ge(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__ge__", CmpOp::Ge)
}

fn get_typecode(vm: &Vm, v: &Value) -> PyResult {
    let a = state_of(v).ok_or_else(|| descr_error(vm, "typecode", "array.array", v))?;
    Ok(vm.new_str((a.tc as char).to_string()))
}

fn get_itemsize(vm: &Vm, v: &Value) -> PyResult {
    let a = state_of(v).ok_or_else(|| descr_error(vm, "itemsize", "array.array", v))?;
    Ok(Value::Int(a.isz() as i64))
}

// ---- the iterator ----

/// The array (None once exhausted) and the next position.
struct ArrayIter {
    st: RefCell<(Option<Value>, usize)>,
}

impl NativeIter for ArrayIter {
    fn traverse(&self, visitor: &mut dyn Visitor) {
        if let Ok(st) = self.st.try_borrow() {
            if let Some(a) = &st.0 {
                visitor.visit_value(a);
            }
        }
    }
    fn clear(&self) {
        let old = self.st.try_borrow_mut().ok().and_then(|mut st| st.0.take());
        drop(old);
    }
    fn next(&self, vm: &Vm, _this: &Value) -> PyResult<Option<Value>> {
        let (arr, i) = {
            let st = self.st.borrow();
            match &st.0 {
                Some(a) => (a.clone(), st.1),
                None => return Ok(None),
            }
        };
        let a = state_of(&arr).expect("an array iterator holds an array");
        if i < a.len() {
            self.st.borrow_mut().1 = i + 1;
            return Ok(Some(get(vm, a, i)?));
        }
        let old = self.st.borrow_mut().0.take();
        drop(old);
        Ok(None)
    }
}

fn m_iter(vm: &Vm, args: Args) -> PyResult {
    let (this, _, _) = me(vm, &args, "__iter__")?;
    let t = native_type(vm, &ARRAY_ITER);
    Ok(new_iter(vm, &t, &t, ArrayIter { st: RefCell::new((Some(this.clone()), 0)) }))
}

fn iter_state<'a>(vm: &Vm, args: &'a Args, name: &str) -> PyResult<std::rc::Rc<dyn NativeIter>> {
    let v = args.args.first().ok_or_else(|| vm.new_type_error(format!("descriptor '{name}' needs an argument")))?;
    crate::native::iter_state::<ArrayIter>(v).ok_or_else(|| descr_error(vm, name, "array.arrayiterator", v))
}

fn it_reduce(vm: &Vm, args: Args) -> PyResult {
    let rc = iter_state(vm, &args, "__reduce__")?;
    let it = crate::native::downcast::<ArrayIter>(&rc);
    let iter_fn = vm.getattr_str(&Value::Obj(vm.builtins.clone()), "iter")?;
    let st = it.st.borrow();
    Ok(match &st.0 {
        Some(a) => vm.new_tuple(vec![iter_fn, vm.new_tuple(vec![a.clone()]), Value::Int(st.1 as i64)]),
        None => vm.new_tuple(vec![iter_fn, vm.new_tuple(vec![vm.new_tuple(vec![])])]),
    })
}

fn it_setstate(vm: &Vm, args: Args) -> PyResult {
    let rc = iter_state(vm, &args, "__setstate__")?;
    let v = args.args.get(1).ok_or_else(|| vm.new_type_error("expected 1 argument, got 0"))?;
    let it = crate::native::downcast::<ArrayIter>(&rc);
    let n = crate::native::ssize(vm, v)?;
    let mut st = it.st.borrow_mut();
    let len = st.0.as_ref().and_then(state_of).map_or(0, |a| a.len()) as i64;
    if st.0.is_some() {
        st.1 = n.clamp(0, len) as usize;
    }
    Ok(Value::None)
}

// ---- the module function ----

/// `_array_reconstructor(arraytype, typecode, mformat_code, items)`: the
/// unpickler's constructor (see `__reduce_ex__`).
fn array_reconstructor(vm: &Vm, args: Args) -> PyResult {
    crate::native::no_kwargs(vm, "_array_reconstructor", &args)?;
    let a = args.args;
    if a.len() != 4 {
        return Err(vm.new_type_error(format!("_array_reconstructor expected 4 arguments, got {}", a.len())));
    }
    let t = array_type(vm);
    let cls = match &a[0] {
        Value::Obj(o) if o.payload.as_type().is_some() => o.clone(),
        v => {
            return Err(vm.new_type_error(format!("first argument must be a type object, not {}", vm.type_name_of(v))))
        }
    };
    let tc = match vm.as_str(&a[1]) {
        Some(s) if s.chars().count() == 1 => s.chars().next().unwrap_or('\0'),
        _ => {
            return Err(vm.new_type_error(format!(
                "_array_reconstructor() argument 2 must be a unicode character, not {}",
                vm.type_name_of(&a[1])
            )))
        }
    };
    let code = crate::posix::fd::fd_arg(vm, &a[2])?;
    if !vm.is_subtype(&cls, &t) {
        return Err(vm.new_type_error(format!("{} is not a subtype of array.array", vm.type_name(&cls))));
    }
    if !tc.is_ascii() || !TYPECODES.as_bytes().contains(&(tc as u8)) {
        return Err(vm.new_value_error("second argument must be a valid type code"));
    }
    if !(0..=21).contains(&code) {
        return Err(vm.new_value_error("third argument must be a valid machine format code."));
    }
    let Some(items) = a[3].payload().and_then(|p| p.as_bytes()).map(|b| b.to_vec()) else {
        return Err(vm.new_type_error(format!("fourth argument should be bytes, not {}", vm.type_name_of(&a[3]))));
    };
    let cls_v = Value::Obj(cls);
    let make = |tc: char, init: Value| vm.call(&cls_v, Args::new(&[vm.new_str(tc.to_string()), init]));
    let tc8 = tc as u8;
    if code as i64 == mformat_of(tc8) {
        return make(tc, vm.new_bytes(items));
    }
    // Another machine's layout: decode the items, then build from them.
    const SIZES: [usize; 22] = [1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 8, 8, 8, 8, 4, 4, 8, 8, 4, 4, 8, 8];
    let size = SIZES[code as usize];
    if items.len() % size != 0 {
        return Err(vm.new_value_error("string length not a multiple of item size"));
    }
    let big_endian = code % 2 == 1;
    let chunk = |c: &[u8]| -> Vec<u8> {
        let mut v = c.to_vec();
        if big_endian {
            v.reverse();
        }
        v
    };
    let (tc, init) = match code {
        14..=17 => {
            let n = if code < 16 { 4 } else { 8 };
            let vals = items
                .chunks(n)
                .map(|c| {
                    let le = chunk(c);
                    Value::Float(if n == 4 {
                        f32::from_le_bytes([le[0], le[1], le[2], le[3]]) as f64
                    } else {
                        f64::from_le_bytes([le[0], le[1], le[2], le[3], le[4], le[5], le[6], le[7]])
                    })
                })
                .collect();
            (tc, vm.new_list(vals))
        }
        18..=21 => {
            let enc = ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"][(code - 18) as usize];
            let s = vm.call_method(&vm.new_bytes(items), "decode", &[vm.new_str(enc)])?;
            (tc, s)
        }
        _ => {
            let signed = matches!(code, 1 | 4 | 5 | 8 | 9 | 12 | 13);
            // The native integer code of that size and signedness (the last
            // match in typecode order, as CPython picks it).
            let mut pick = tc;
            for c in TYPECODES.bytes() {
                if is_int_code(c) && itemsize(c) == size && (c.is_ascii_lowercase() == signed) {
                    pick = c as char;
                }
            }
            let vals = items
                .chunks(size)
                .map(|c| {
                    let le = chunk(c);
                    let mut b = [0u8; 8];
                    b[..size].copy_from_slice(&le);
                    if signed && le[size - 1] & 0x80 != 0 {
                        for x in b.iter_mut().skip(size) {
                            *x = 0xff;
                        }
                    }
                    if signed {
                        Value::Int(i64::from_le_bytes(b))
                    } else {
                        vm.new_int(IBig::from(u64::from_le_bytes(b)))
                    }
                })
                .collect();
            (pick, vm.new_list(vals))
        }
    };
    make(tc, init)
}

static METHODS: [NativeDef; 38] = [
    NativeDef::staticmethod("__new__", array_new),
    NativeDef::method("append", m_append),
    NativeDef::method("buffer_info", m_buffer_info),
    NativeDef::method("byteswap", m_byteswap),
    NativeDef::method("count", m_count),
    NativeDef::method("extend", m_extend),
    NativeDef::method("frombytes", m_frombytes),
    NativeDef::method("fromfile", m_fromfile),
    NativeDef::method("fromlist", m_fromlist),
    NativeDef::method("fromunicode", m_fromunicode),
    NativeDef::method("index", m_index),
    NativeDef::method("insert", m_insert),
    NativeDef::method("pop", m_pop),
    NativeDef::method("remove", m_remove),
    NativeDef::method("reverse", m_reverse),
    NativeDef::method("tobytes", m_tobytes),
    NativeDef::method("tofile", m_tofile),
    NativeDef::method("tolist", m_tolist),
    NativeDef::method("tounicode", m_tounicode),
    NativeDef::method("__copy__", m_copy),
    NativeDef::method("__deepcopy__", m_deepcopy),
    NativeDef::method("__reduce_ex__", m_reduce_ex),
    NativeDef::method("__sizeof__", m_sizeof),
    NativeDef::method("__len__", m_len),
    NativeDef::method("__getitem__", m_getitem),
    NativeDef::method("__setitem__", m_setitem),
    NativeDef::method("__delitem__", m_delitem),
    NativeDef::method("__contains__", m_contains),
    NativeDef::method("__iter__", m_iter),
    NativeDef::method("__add__", m_add),
    NativeDef::method("__iadd__", m_iadd),
    NativeDef::method("__mul__", m_mul),
    NativeDef::method("__rmul__", m_mul),
    NativeDef::method("__imul__", m_imul),
    NativeDef::method("__repr__", m_repr),
    NativeDef::method("__eq__", m_eq),
    NativeDef::method("__ne__", m_ne),
    NativeDef::method("__lt__", m_lt),
];

static MORE_METHODS: [NativeDef; 3] = [
    NativeDef::method("__le__", m_le),
    NativeDef::method("__gt__", m_gt),
    NativeDef::method("__ge__", m_ge),
];

static GETSETS: [GetSetDef; 2] = [
    GetSetDef { name: "typecode", get: get_typecode, set: None, doc: "the typecode character used to create the array" },
    GetSetDef { name: "itemsize", get: get_itemsize, set: None, doc: "the size, in bytes, of one array item" },
];

const ARRAY_DOC: &str = "array(typecode [, initializer]) -> array\n\n\
Return a new array whose items are restricted by typecode, and\n\
initialized from the optional initializer value, which must be a list,\n\
string or iterable over elements of the appropriate type.\n\n\
Arrays represent basic values and behave very much like lists, except\n\
the type of objects stored in them is constrained. The type is specified\n\
at object creation time by using a type code, which is a single character.";

static ARRAY: TypeSpec = TypeSpec {
    module: "array",
    name: "array",
    doc: ARRAY_DOC,
    layout: Layout::Other,
    flags: type_flags::BASETYPE | type_flags::HAS_WEAKREF,
    base: None,
    slots: &[],
    methods: &METHODS,
    more_methods: &MORE_METHODS,
    getsets: &GETSETS,
};

static ITER_EXTRA: [NativeDef; 2] =
    [NativeDef::method("__reduce__", it_reduce), NativeDef::method("__setstate__", it_setstate)];

static ARRAY_ITER: TypeSpec = TypeSpec {
    module: "array",
    name: "arrayiterator",
    doc: "",
    layout: Layout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &ITER_METHODS,
    more_methods: &ITER_EXTRA,
    getsets: &[],
};

static FUNCS: &[NativeDef] = &[NativeDef::function("_array_reconstructor", array_reconstructor)];

const MODULE_DOC: &str = "This module defines an object type which can efficiently represent\n\
an array of basic values: characters, integers, floating point\n\
numbers.  Arrays are sequence types and behave very much like lists,\n\
except that the type of objects stored in them is constrained.\n";

/// Creates the `array` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let t = array_type(vm);
    if vm.dict_get_str(&t.payload.as_type().expect("a type").dict, &vm.intern("__hash__")).is_none() {
        krait_vm::types::add_attr(vm, &t, "__hash__", Value::None);
        vm.refresh_slots(&t);
        // In the type dicts, as for CPython's types (`dir` lists it).
        krait_vm::types::add_attr(vm, &t, "__module__", vm.new_str("array"));
        krait_vm::types::add_attr(vm, &native_type(vm, &ARRAY_ITER), "__module__", vm.new_str("array"));
    }
    // As CPython's module does on import: arrays are MutableSequences.
    let abc = vm.import_full("collections.abc")?;
    let mutable_sequence = vm.getattr_str(&Value::Obj(abc), "MutableSequence")?;
    vm.call_method(&mutable_sequence, "register", &[Value::Obj(t.clone())])?;
    let attrs = vec![
        ("array", Value::Obj(t.clone())),
        ("ArrayType", Value::Obj(t)),
        ("typecodes", vm.new_str(TYPECODES)),
    ];
    Ok(crate::native::make_module(vm, "array", MODULE_DOC, FUNCS, attrs))
}
