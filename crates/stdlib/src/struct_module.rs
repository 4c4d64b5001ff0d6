//! The `_struct` module (struct.py re-exports it): format strings, packing
//! and unpacking with the five byte orders, native x86-64 sizes and
//! alignment, and CPython 3.11's error messages. CPython packs some
//! standard-size codes with its native routines when sizes agree (so `<h`
//! says "short format requires ..." while `>h` says "'h' format requires
//! ..."); `int_rule` reproduces which message each order and code gives.

use crate::math::arg_f64;
use crate::native::{descr_error, native_type, new_iter, new_object, ssize, TypeSpec, ITER_METHODS};
use dashu_int::IBig;
use krait_vm::payload::{GetSetDef, Payload};
use krait_vm::types::int::{bytes_like, int_of};
use krait_vm::types::iter::NativeIter;
use krait_vm::types::typeobj::{type_flags, Layout as TypeLayout, Slot};
use krait_vm::{Args, NativeDef, PyErr, PyRef, PyResult, Value, Vm};
use std::cell::{Cell, RefCell};

#[derive(Clone, Copy, PartialEq)]
enum Order {
    /// '@': native sizes and alignment.
    Native,
    /// '=' and '<' (this machine is little-endian).
    Little,
    /// '>' and '!'.
    Big,
}

/// One format code with its repeat count (for 's' and 'p': the length).
#[derive(Clone)]
struct Code {
    ch: u8,
    offset: usize,
    size: usize,
    repeat: usize,
}

#[derive(Clone, Default)]
struct Format {
    text: String,
    order_native: bool,
    big: bool,
    codes: Vec<Code>,
    size: usize,
    /// Number of values packed / unpacked.
    len: usize,
}

impl Format {
    fn order(&self) -> Order {
        if self.order_native {
            Order::Native
        } else if self.big {
            Order::Big
        } else {
            Order::Little
        }
    }
}

/// Size of a code in this order (alignment is the size for native codes).
fn code_size(order: Order, c: u8) -> Option<usize> {
    Some(match (c, order) {
        (b'x' | b'c' | b'b' | b'B' | b'?' | b's' | b'p', _) => 1,
        (b'h' | b'H' | b'e', _) => 2,
        (b'i' | b'I' | b'f', _) => 4,
        (b'l' | b'L', Order::Native) => 8,
        (b'l' | b'L', _) => 4,
        (b'q' | b'Q' | b'd', _) => 8,
        (b'n' | b'N' | b'P', Order::Native) => 8,
        _ => return None,
    })
}

fn parse(vm: &Vm, fmt: &[u8]) -> PyResult<Format> {
    let too_long = || struct_error(vm, "total struct size too long");
    let (order, rest) = match fmt.first() {
        Some(b'@') => (Order::Native, &fmt[1..]),
        Some(b'=' | b'<') => (Order::Little, &fmt[1..]),
        Some(b'>' | b'!') => (Order::Big, &fmt[1..]),
        _ => (Order::Native, fmt),
    };
    let mut f = Format {
        text: String::from_utf8_lossy(fmt).into_owned(),
        order_native: order == Order::Native,
        big: order == Order::Big,
        ..Default::default()
    };
    let mut size: usize = 0;
    let mut i = 0;
    while i < rest.len() {
        let mut c = rest[i];
        i += 1;
        if c.is_ascii_whitespace() || c == 0x0b {
            continue;
        }
        let mut num: usize = 1;
        if c.is_ascii_digit() {
            num = (c - b'0') as usize;
            loop {
                match rest.get(i) {
                    Some(d) if d.is_ascii_digit() => {
                        num = num.checked_mul(10).and_then(|n| n.checked_add((d - b'0') as usize)).filter(|n| *n <= isize::MAX as usize).ok_or_else(too_long)?;
                        i += 1;
                    }
                    Some(d) => {
                        c = *d;
                        i += 1;
                        break;
                    }
                    None => return Err(struct_error(vm, "repeat count given without format specifier")),
                }
            }
        }
        let sz = code_size(order, c).ok_or_else(|| struct_error(vm, "bad char in struct format"))?;
        if order == Order::Native && size > 0 && !matches!(c, b'x' | b'c' | b's' | b'p') {
            let extra = (sz - 1) - (size - 1) % sz;
            size = size.checked_add(extra).ok_or_else(too_long)?;
        }
        let total = num.checked_mul(sz).ok_or_else(too_long)?;
        if c != b'x' {
            f.codes.push(Code { ch: c, offset: size, size: sz, repeat: num });
            f.len += if matches!(c, b's' | b'p') { 1 } else { num };
        }
        size = size.checked_add(total).filter(|s| *s <= isize::MAX as usize).ok_or_else(too_long)?;
    }
    f.size = size;
    Ok(f)
}

// ---- the error class ----

/// The interpreter's `struct.error` (`vm.state`), made on first use.
#[derive(Default)]
struct StructError {
    error: RefCell<Option<PyRef>>,
}

fn error_type(vm: &Vm) -> PyRef {
    let state = vm.state::<StructError>();
    if let Some(t) = &*state.error.borrow() {
        return t.clone();
    }
    let ns = vm.new_dict();
    vm.dict_set_str(&ns, &vm.intern("__module__"), vm.new_str("struct"));
    let args = [vm.new_str("error"), vm.new_tuple(vec![Value::Obj(vm.exc.exception.clone())]), Value::Obj(ns)];
    let t = match vm.call(&Value::Obj(vm.types.type_.clone()), Args::new(&args)) {
        Ok(Value::Obj(t)) => t,
        _ => vm.exc.exception.clone(),
    };
    // Another thread may have made it meanwhile: keep the first.
    let t = state.error.borrow_mut().get_or_insert(t).clone();
    t
}

fn struct_error(vm: &Vm, msg: impl Into<String>) -> PyErr {
    vm.new_exception_msg(&error_type(vm), msg)
}

// ---- format argument ----

/// The format of a module-level call or `Struct()`: str (ASCII) or bytes.
fn format_arg(vm: &Vm, v: &Value) -> PyResult<Format> {
    let raw: Vec<u8> = if let Some(s) = vm.as_str(v) {
        if let Some((pos, ch)) = s.chars().enumerate().find(|(_, c)| !c.is_ascii()) {
            let args = [
                vm.new_str("ascii"),
                v.clone(),
                Value::Int(pos as i64),
                Value::Int(pos as i64 + 1),
                vm.new_str("ordinal not in range(128)"),
            ];
            let _ = ch;
            let e = vm.call(&Value::Obj(vm.exc.unicode_encode_error.clone()), Args::new(&args))?;
            return Err(e.as_obj().cloned().unwrap_or_else(|| vm.exc.unicode_encode_error.clone()));
        }
        s.as_bytes().to_vec()
    } else if let Some(b) = v.payload().and_then(|p| p.as_bytes()) {
        b.to_vec()
    } else {
        return Err(vm.new_type_error(format!(
            "Struct() argument 1 must be a str or bytes object, not {}",
            vm.type_name_of(v)
        )));
    };
    if raw.contains(&0) {
        return Err(struct_error(vm, "embedded null character"));
    }
    parse(vm, &raw)
}

// ---- packing ----

/// How an integer code checks its range: the accepted interval (of the
/// value as read by `get_long` / `get_ulong`) and the message outside it.
fn int_rule(order: Order, c: u8) -> (i128, i128, Option<String>) {
    let i32r = |c: u8| (i32::MIN as i128, i32::MAX as i128, Some(format!("'{}' format requires -2147483648 <= number <= 2147483647", c as char)));
    let u32r = |c: u8| (0, u32::MAX as i128, Some(format!("'{}' format requires 0 <= number <= 4294967295", c as char)));
    match (c, order) {
        (b'b', _) => (-128, 127, Some("byte format requires -128 <= number <= 127".into())),
        (b'B', _) => (0, 255, Some("ubyte format requires 0 <= number <= 255".into())),
        (b'h', Order::Big) => (-32768, 32767, Some("'h' format requires -32768 <= number <= 32767".into())),
        (b'h', _) => (-32768, 32767, Some("short format requires -32768 <= number <= 32767".into())),
        (b'H', Order::Big) => (0, 65535, Some("'H' format requires 0 <= number <= 65535".into())),
        (b'H', _) => (0, 65535, Some("ushort format requires 0 <= number <= 65535".into())),
        (b'i', _) => i32r(c),
        (b'I', _) => u32r(c),
        (b'l', Order::Native) => (i64::MIN as i128, i64::MAX as i128, None),
        (b'l', _) => i32r(c),
        (b'L', Order::Native) => (0, u64::MAX as i128, None),
        (b'L', _) => u32r(c),
        (b'q' | b'n', _) => (i64::MIN as i128, i64::MAX as i128, None),
        _ => (0, u64::MAX as i128, None),
    }
}

/// Does this code read its value as unsigned (`get_ulong`: negative values
/// are "argument out of range" rather than the range message)?
fn reads_unsigned(order: Order, c: u8) -> bool {
    match c {
        b'I' | b'L' | b'Q' | b'N' => true,
        b'H' => order == Order::Big,
        _ => false,
    }
}

fn pack_int(vm: &Vm, order: Order, c: u8, v: &Value, out: &mut [u8]) -> PyResult<()> {
    let n: IBig = match int_of(v) {
        Some(n) => n,
        None if vm.special(v, Slot::Index).is_some() => int_of(&vm.index(v)?).unwrap_or_default(),
        None => return Err(struct_error(vm, "required argument is not an integer")),
    };
    let x: i128 = i128::try_from(&n).unwrap_or(if n < IBig::from(0) { i128::MIN } else { i128::MAX });
    let too_large = || struct_error(vm, "int too large to convert");
    // 'P', and '>q'/'>Q' (which go through _PyLong_AsByteArray): OverflowError,
    // reported as "int too large to convert".
    if c == b'P' {
        if x < i64::MIN as i128 || x > u64::MAX as i128 {
            return Err(too_large());
        }
    } else if order == Order::Big && matches!(c, b'q' | b'Q') {
        let ok = if c == b'q' { x >= i64::MIN as i128 && x <= i64::MAX as i128 } else { (0..=u64::MAX as i128).contains(&x) };
        if !ok {
            return Err(too_large());
        }
    } else {
        let read_ok = if reads_unsigned(order, c) { (0..=u64::MAX as i128).contains(&x) } else { x >= i64::MIN as i128 && x <= i64::MAX as i128 };
        if !read_ok {
            return Err(struct_error(vm, "argument out of range"));
        }
        let (lo, hi, msg) = int_rule(order, c);
        if x < lo || x > hi {
            return Err(struct_error(vm, msg.unwrap_or_else(|| "argument out of range".into())));
        }
    }
    let bytes = (x as u128).to_le_bytes();
    let k = out.len();
    out.copy_from_slice(&bytes[..k]);
    if order == Order::Big {
        out.reverse();
    }
    Ok(())
}

/// `PyFloat_AsDouble` as struct reports its failure.
fn float_arg(vm: &Vm, v: &Value) -> PyResult<f64> {
    arg_f64(vm, v).map_err(|_| struct_error(vm, "required argument is not a float"))
}

/// IEEE binary16 bits of `x`, rounding half to even; None on overflow.
fn to_half(x: f64) -> Option<u16> {
    let sign = (x.is_sign_negative() as u16) << 15;
    if x.is_nan() {
        return Some(sign | 0x7e00);
    }
    if x.is_infinite() {
        return Some(sign | 0x7c00);
    }
    let a = x.abs();
    if a == 0.0 {
        return Some(sign);
    }
    let (mut f, mut e) = crate::math::frexp(a);
    f *= 2.0;
    e -= 1;
    if e >= 16 {
        return None;
    }
    if e < -25 {
        f = 0.0;
        e = 0;
    } else if e < -14 {
        f *= 2f64.powi(14 + e);
        e = 0;
    } else {
        e += 15;
        f -= 1.0;
    }
    f *= 1024.0;
    let mut bits = f as u16;
    let rest = f - bits as f64;
    if rest > 0.5 || (rest == 0.5 && bits % 2 == 1) {
        bits += 1;
        if bits == 1024 {
            bits = 0;
            e += 1;
            if e == 31 {
                return None;
            }
        }
    }
    Some(sign | ((e as u16) << 10) | bits)
}

fn from_half(b: u16) -> f64 {
    let sign = if b & 0x8000 != 0 { -1.0 } else { 1.0 };
    let e = ((b >> 10) & 0x1f) as i32;
    let f = (b & 0x3ff) as f64;
    sign * match e {
        0x1f if f == 0.0 => f64::INFINITY,
        0x1f => f64::NAN,
        0 => f / 1024.0 * 2f64.powi(-14),
        _ => (1.0 + f / 1024.0) * 2f64.powi(e - 15),
    }
}

fn put(order: Order, out: &mut [u8], le: &[u8]) {
    out.copy_from_slice(le);
    if order == Order::Big {
        out.reverse();
    }
}

fn pack_one(vm: &Vm, order: Order, code: &Code, v: &Value, out: &mut [u8]) -> PyResult<()> {
    match code.ch {
        b'c' => match v.payload().and_then(|p| p.as_bytes()) {
            Some(b) if b.len() == 1 => out[0] = b[0],
            _ => return Err(struct_error(vm, "char format requires a bytes object of length 1")),
        },
        b's' | b'p' => {
            let b = bytes_of(v).ok_or_else(|| struct_error(vm, format!("argument for '{}' must be a bytes object", code.ch as char)))?;
            if code.ch == b's' {
                let n = b.len().min(out.len());
                out[..n].copy_from_slice(&b[..n]);
            } else if !out.is_empty() {
                let n = b.len().min(out.len() - 1);
                out[1..1 + n].copy_from_slice(&b[..n]);
                out[0] = n.min(255) as u8;
            }
        }
        b'?' => out[0] = vm.truthy(v)? as u8,
        b'e' => {
            let x = float_arg(vm, v)?;
            let h = to_half(x).ok_or_else(|| vm.new_overflow_error("float too large to pack with e format"))?;
            put(order, out, &h.to_le_bytes());
        }
        b'f' => {
            let x = float_arg(vm, v)?;
            let y = x as f32;
            if order != Order::Native && y.is_infinite() && x.is_finite() {
                return Err(vm.new_overflow_error("float too large to pack with f format"));
            }
            put(order, out, &y.to_le_bytes());
        }
        b'd' => {
            let x = float_arg(vm, v)?;
            put(order, out, &x.to_le_bytes());
        }
        c => pack_int(vm, order, c, v, out)?,
    }
    Ok(())
}

fn bytes_of(v: &Value) -> Option<Vec<u8>> {
    let p = v.payload()?;
    if let Some(b) = p.as_bytes() {
        return Some(b.to_vec());
    }
    match p.base() {
        Payload::ByteArray(b) => Some(b.borrow().clone()),
        _ => None,
    }
}

/// Packs `vals` into `out` (zeroed, `f.size` long).
fn pack_into_slice(vm: &Vm, f: &Format, name: &str, vals: &[Value], out: &mut [u8]) -> PyResult<()> {
    if vals.len() != f.len {
        return Err(struct_error(vm, format!("{name} expected {} items for packing (got {})", f.len, vals.len())));
    }
    let order = f.order();
    let mut vi = 0;
    for code in &f.codes {
        if matches!(code.ch, b's' | b'p') {
            pack_one(vm, order, code, &vals[vi], &mut out[code.offset..code.offset + code.repeat])?;
            vi += 1;
            continue;
        }
        for k in 0..code.repeat {
            let at = code.offset + k * code.size;
            pack_one(vm, order, code, &vals[vi], &mut out[at..at + code.size])?;
            vi += 1;
        }
    }
    Ok(())
}

fn pack_bytes(vm: &Vm, f: &Format, vals: &[Value]) -> PyResult {
    krait_vm::types::seq_util::check_alloc_bytes(vm, f.size)?;
    let mut out = vec![0u8; f.size];
    pack_into_slice(vm, f, "pack", vals, &mut out)?;
    Ok(vm.new_bytes(out))
}

// ---- unpacking ----

fn unpack_one(vm: &Vm, order: Order, c: u8, b: &[u8]) -> PyResult {
    let mut le = [0u8; 8];
    le[..b.len()].copy_from_slice(b);
    if order == Order::Big {
        le[..b.len()].reverse();
    }
    let u = u64::from_le_bytes(le);
    let bits = b.len() as u32 * 8;
    let signed = |u: u64| -> i64 { if bits == 64 { u as i64 } else { ((u << (64 - bits)) as i64) >> (64 - bits) } };
    Ok(match c {
        b'c' => vm.new_bytes(vec![b[0]]),
        b'?' => Value::Bool(b[0] != 0),
        b'e' => Value::Float(from_half(u as u16)),
        b'f' => Value::Float(f32::from_bits(u as u32) as f64),
        b'd' => Value::Float(f64::from_bits(u)),
        b'b' | b'h' | b'i' | b'l' | b'q' | b'n' => Value::Int(signed(u)),
        _ => vm.new_int(IBig::from(u)),
    })
}

fn unpack_slice(vm: &Vm, f: &Format, data: &[u8]) -> PyResult {
    let order = f.order();
    let mut out = Vec::with_capacity(f.len);
    for code in &f.codes {
        match code.ch {
            b's' => out.push(vm.new_bytes(data[code.offset..code.offset + code.repeat].to_vec())),
            b'p' => {
                if code.repeat == 0 {
                    return Err(vm.new_system_error("Negative size passed to PyBytes_FromStringAndSize"));
                }
                let n = (data[code.offset] as usize).min(code.repeat - 1);
                out.push(vm.new_bytes(data[code.offset + 1..code.offset + 1 + n].to_vec()));
            }
            c => {
                for k in 0..code.repeat {
                    let at = code.offset + k * code.size;
                    out.push(unpack_one(vm, order, c, &data[at..at + code.size])?);
                }
            }
        }
    }
    Ok(vm.new_tuple(out))
}

/// The bytes of a readable buffer argument.
fn buffer_arg(vm: &Vm, v: &Value) -> PyResult<Vec<u8>> {
    bytes_like(v).ok_or_else(|| vm.new_type_error(format!("a bytes-like object is required, not '{}'", vm.type_name_of(v))))
}

fn do_unpack(vm: &Vm, f: &Format, buf: &Value) -> PyResult {
    let data = buffer_arg(vm, buf)?;
    if data.len() != f.size {
        return Err(struct_error(vm, format!("unpack requires a buffer of {} bytes", f.size)));
    }
    unpack_slice(vm, f, &data)
}

fn do_unpack_from(vm: &Vm, f: &Format, buf: &Value, offset: Option<&Value>) -> PyResult {
    let data = buffer_arg(vm, buf)?;
    let mut off = match offset {
        Some(o) => ssize(vm, o)?,
        None => 0,
    };
    let (len, size) = (data.len() as i64, f.size as i64);
    if off < 0 {
        if off + size > 0 {
            return Err(struct_error(vm, format!("not enough data to unpack {size} bytes at offset {off}")));
        }
        if off + len < 0 {
            return Err(struct_error(vm, format!("offset {off} out of range for {len}-byte buffer")));
        }
        off += len;
    }
    if len - off < size {
        return Err(struct_error(vm, format!(
            "unpack_from requires a buffer of at least {} bytes for unpacking {size} bytes at offset {off} (actual buffer size is {len})",
            // CPython adds them as size_t: no overflow near i64::MAX.
            size as u64 + off as u64
        )));
    }
    let off = off as usize;
    unpack_slice(vm, f, &data[off..off + f.size])
}

fn do_pack_into(vm: &Vm, f: &Format, args: &[Value]) -> PyResult {
    let buf = args.first().ok_or_else(|| struct_error(vm, "pack_into expected buffer argument"))?;
    let off_v = args.get(1).ok_or_else(|| struct_error(vm, "pack_into expected offset argument"))?;
    let vals = &args[2..];
    let exported = krait_vm::types::memoryview::native_buffer(buf);
    let len = match buf.payload().map(|p| p.base()) {
        Some(Payload::ByteArray(b)) => b.borrow().len(),
        _ if exported.is_some() => exported.map_or(0, |b| b.borrow().len()),
        Some(Payload::Native(_)) if krait_vm::types::memoryview::memoryview_bytes(buf).is_some() => vm.len(buf)?,
        _ => {
            return Err(vm.new_type_error(format!(
                "argument must be read-write bytes-like object, not {}",
                vm.type_name_of(buf)
            )))
        }
    } as i64;
    let mut off = match vm.index(off_v)? {
        Value::Int(i) => i,
        _ => return Err(vm.new_index_error(format!("cannot fit '{}' into an index-sized integer", vm.type_name_of(off_v)))),
    };
    krait_vm::types::seq_util::check_alloc_bytes(vm, f.size)?;
    let mut out = vec![0u8; f.size];
    pack_into_slice(vm, f, "pack_into", vals, &mut out)?;
    let size = f.size as i64;
    if off < 0 {
        if off + size > 0 {
            return Err(struct_error(vm, format!("no space to pack {size} bytes at offset {off}")));
        }
        if off + len < 0 {
            return Err(struct_error(vm, format!("offset {off} out of range for {len}-byte buffer")));
        }
        off += len;
    }
    if len - off < size {
        return Err(struct_error(vm, format!(
            "pack_into requires a buffer of at least {} bytes for packing {size} bytes at offset {off} (actual buffer size is {len})",
            // CPython adds them as size_t: no overflow near i64::MAX.
            size as u64 + off as u64
        )));
    }
    let off = off as usize;
    // Packing ran Python code (`__index__`), which may have shrunk the buffer.
    let write = |b: &mut Vec<u8>| match b.get_mut(off..off + f.size) {
        Some(dst) => {
            dst.copy_from_slice(&out);
            Ok(())
        }
        None => Err(vm.new_exception_msg(&vm.exc.buffer_error, "buffer was resized while packing")),
    };
    if let Some(Payload::ByteArray(b)) = buf.payload().map(|p| p.base()) {
        write(&mut b.borrow_mut())?;
    } else if let Some(b) = exported {
        write(&mut b.borrow_mut())?;
    } else {
        let key = vm.new_slice(Value::Int(off as i64), Value::Int((off + f.size) as i64), Value::None);
        vm.setitem(buf, &key, vm.new_bytes(out))?;
    }
    Ok(Value::None)
}

// ---- iter_unpack ----

struct UnpackIter {
    fmt: Format,
    data: Vec<u8>,
    pos: Cell<usize>,
}

impl NativeIter for UnpackIter {
    fn next(&self, vm: &Vm, _this: &Value) -> PyResult<Option<Value>> {
        let p = self.pos.get();
        if p + self.fmt.size > self.data.len() {
            return Ok(None);
        }
        self.pos.set(p + self.fmt.size);
        unpack_slice(vm, &self.fmt, &self.data[p..p + self.fmt.size]).map(Some)
    }
}

fn do_iter_unpack(vm: &Vm, f: Format, buf: &Value) -> PyResult {
    if f.size == 0 {
        return Err(struct_error(vm, "cannot iteratively unpack with a struct of length 0"));
    }
    let data = buffer_arg(vm, buf)?;
    if data.len() % f.size != 0 {
        return Err(struct_error(vm, format!("iterative unpacking requires a buffer of a multiple of {} bytes", f.size)));
    }
    let t = native_type(vm, &UNPACK_ITER);
    Ok(new_iter(vm, &t, &t, UnpackIter { fmt: f, data, pos: Cell::new(0) }))
}

fn ui_length_hint(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__length_hint__", args, 1, 1)?;
    let st = crate::native::iter_state::<UnpackIter>(&args.args[0])
        .ok_or_else(|| descr_error(vm, "__length_hint__", "_struct.unpack_iterator", &args.args[0]))?;
    let it = crate::native::downcast::<UnpackIter>(&st);
    Ok(Value::Int(((it.data.len() - it.pos.get()) / it.fmt.size) as i64))
}

fn ui_new(vm: &Vm, _args: Args) -> PyResult {
    Err(vm.new_type_error("cannot create '_struct.unpack_iterator' instances"))
}

static UI_METHODS: [NativeDef; 2] =
    [NativeDef::method("__length_hint__", ui_length_hint), NativeDef::staticmethod("__new__", ui_new)];

static UNPACK_ITER: TypeSpec = TypeSpec {
    module: "_struct",
    name: "unpack_iterator",
    doc: "",
    layout: TypeLayout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &ITER_METHODS,
    more_methods: &UI_METHODS,
    getsets: &[],
};

// ---- module functions ----

fn fmt_first<'a>(vm: &Vm, name: &str, args: &Args<'a>) -> PyResult<(Format, &'a [Value])> {
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("_struct.{name}() takes no keyword arguments")));
    }
    let f = args.args.first().ok_or_else(|| vm.new_type_error("missing format argument"))?;
    Ok((format_arg(vm, f)?, &args.args[1..]))
}

fn m_pack(vm: &Vm, args: Args) -> PyResult {
    let (f, rest) = fmt_first(vm, "pack", &args)?;
    pack_bytes(vm, &f, rest)
}

fn m_pack_into(vm: &Vm, args: Args) -> PyResult {
    let (f, rest) = fmt_first(vm, "pack_into", &args)?;
    do_pack_into(vm, &f, rest)
}

fn m_unpack(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::unpack(vm, "unpack", &args, 2, 2)?;
    do_unpack(vm, &format_arg(vm, &a[0])?, &a[1])
}

fn m_unpack_from(vm: &Vm, args: Args) -> PyResult {
    let a = vm.bind_native("unpack_from", args, &["format", "buffer", "offset"], 1, 2, None)?;
    let f = format_arg(vm, a[0].as_ref().unwrap())?;
    do_unpack_from(vm, &f, a[1].as_ref().unwrap(), a[2].as_ref())
}

fn m_iter_unpack(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::unpack(vm, "iter_unpack", &args, 2, 2)?;
    do_iter_unpack(vm, format_arg(vm, &a[0])?, &a[1])
}

fn m_calcsize(vm: &Vm, args: Args) -> PyResult {
    if args.has_kwargs() {
        return Err(vm.new_type_error("calcsize() takes no keyword arguments"));
    }
    match args.args {
        [f] => Ok(Value::Int(format_arg(vm, f)?.size as i64)),
        a => Err(vm.new_type_error(format!("calcsize() takes exactly one argument ({} given)", a.len()))),
    }
}

fn m_clearcache(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("_clearcache", args, 0, 0)?;
    Ok(Value::None)
}

static FUNCS: &[NativeDef] = &[
    NativeDef::function("pack", m_pack),
    NativeDef::function("pack_into", m_pack_into),
    NativeDef::function("unpack", m_unpack),
    NativeDef::function("unpack_from", m_unpack_from),
    NativeDef::function("iter_unpack", m_iter_unpack),
    NativeDef::function("calcsize", m_calcsize),
    NativeDef::function("_clearcache", m_clearcache),
];

// ---- Struct ----

struct StructObj {
    fmt: RefCell<Format>,
}

/// Holds no Python references.
impl krait_vm::gc::NativeData for StructObj {}

fn struct_of<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a StructObj> {
    v.payload().and_then(|p| p.as_native::<StructObj>()).ok_or_else(|| descr_error(vm, name, "_struct.Struct", v))
}

fn s_new(vm: &Vm, args: Args) -> PyResult {
    let t = native_type(vm, &STRUCT);
    let (cls, _) = crate::native::split_new(vm, args, &t)?;
    Ok(new_object(vm, &cls, &t, StructObj { fmt: RefCell::new(Format::default()) }))
}

fn s_init(vm: &Vm, args: Args) -> PyResult {
    let me = args.args.first().ok_or_else(|| vm.new_type_error("descriptor '__init__' needs an argument"))?;
    let s = struct_of(vm, me, "__init__")?;
    let rest = Args { args: &args.args[1..], kwnames: args.kwnames };
    let a = vm.bind_native("Struct", rest, &["format"], 0, 1, None)?;
    *s.fmt.borrow_mut() = format_arg(vm, a[0].as_ref().unwrap())?;
    Ok(Value::None)
}

fn s_self<'a>(vm: &Vm, args: &Args<'a>, name: &str) -> PyResult<(Format, &'a [Value])> {
    let me = args.args.first().ok_or_else(|| vm.new_type_error(format!("descriptor '{name}' needs an argument")))?;
    let f = struct_of(vm, me, name)?.fmt.borrow().clone();
    Ok((f, &args.args[1..]))
}

fn s_pack(vm: &Vm, args: Args) -> PyResult {
    crate::native::no_kwargs(vm, "pack", &args)?;
    let (f, rest) = s_self(vm, &args, "pack")?;
    pack_bytes(vm, &f, rest)
}

fn s_pack_into(vm: &Vm, args: Args) -> PyResult {
    crate::native::no_kwargs(vm, "pack_into", &args)?;
    let (f, rest) = s_self(vm, &args, "pack_into")?;
    do_pack_into(vm, &f, rest)
}

fn s_unpack(vm: &Vm, args: Args) -> PyResult {
    let (f, rest) = s_self(vm, &args, "unpack")?;
    crate::native::no_kwargs(vm, "Struct.unpack", &args)?;
    match rest {
        [b] => do_unpack(vm, &f, b),
        r => Err(vm.new_type_error(format!("Struct.unpack() takes exactly one argument ({} given)", r.len()))),
    }
}

fn s_unpack_from(vm: &Vm, args: Args) -> PyResult {
    let (f, _) = s_self(vm, &args, "unpack_from")?;
    let rest = Args { args: &args.args[1..], kwnames: args.kwnames };
    let a = vm.bind_native("unpack_from", rest, &["buffer", "offset"], 0, 1, None)?;
    do_unpack_from(vm, &f, a[0].as_ref().unwrap(), a[1].as_ref())
}

fn s_iter_unpack(vm: &Vm, args: Args) -> PyResult {
    let (f, rest) = s_self(vm, &args, "iter_unpack")?;
    let a = crate::native::unpack(vm, "iter_unpack", &Args { args: rest, kwnames: args.kwnames }, 1, 1)?;
    do_iter_unpack(vm, f, &a[0])
}

fn s_sizeof(vm: &Vm, args: Args) -> PyResult {
    let (f, _) = s_self(vm, &args, "__sizeof__")?;
    Ok(Value::Int(56 + 32 * (f.codes.len() as i64 + 1)))
}

fn s_format(vm: &Vm, v: &Value) -> PyResult {
    Ok(vm.new_str(struct_of(vm, v, "format")?.fmt.borrow().text.as_str()))
}

fn s_size(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(struct_of(vm, v, "size")?.fmt.borrow().size as i64))
}

static STRUCT_METHODS: [NativeDef; 8] = [
    NativeDef::staticmethod("__new__", s_new),
    NativeDef::method("__init__", s_init),
    NativeDef::method("pack", s_pack),
    NativeDef::method("pack_into", s_pack_into),
    NativeDef::method("unpack", s_unpack),
    NativeDef::method("unpack_from", s_unpack_from),
    NativeDef::method("iter_unpack", s_iter_unpack),
    NativeDef::method("__sizeof__", s_sizeof),
];

static STRUCT_GETSETS: [GetSetDef; 2] = [
    GetSetDef { name: "format", get: s_format, set: None, doc: "struct format string" },
    GetSetDef { name: "size", get: s_size, set: None, doc: "struct size in bytes" },
];

static STRUCT: TypeSpec = TypeSpec {
    module: "_struct",
    name: "Struct",
    doc: "Struct(format)\n--\n\nCreate a compiled struct object.",
    layout: TypeLayout::Other,
    flags: type_flags::BASETYPE | type_flags::HAS_WEAKREF,
    base: None,
    slots: &[],
    methods: &STRUCT_METHODS,
    more_methods: &[],
    getsets: &STRUCT_GETSETS,
};

/// Creates the `_struct` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    Ok(crate::native::make_module(
        vm,
        "_struct",
        "Functions to convert between Python values and C structs.\nPython bytes objects are used to hold the data representing the C struct\nand also as format strings (explained below) to describe the layout of data\nin the C struct.",
        FUNCS,
        vec![("Struct", Value::Obj(native_type(vm, &STRUCT))), ("error", Value::Obj(error_type(vm)))],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_floats_round_to_even() {
        assert_eq!(to_half(1.0), Some(0x3c00));
        assert_eq!(to_half(65519.0), Some(0x7bff));
        assert_eq!(to_half(65520.0), None);
        assert_eq!(to_half(2f64.powi(-25)), Some(0));
        assert_eq!(from_half(0x0001), 2f64.powi(-24));
        assert_eq!(from_half(0xfc00), f64::NEG_INFINITY);
    }
}
