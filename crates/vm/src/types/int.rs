//! `int`: the constructor, conversions, repr/format/hash and the non-operator
//! methods (`bit_length`, `to_bytes`, ...). The arithmetic dunders live in
//! `int_ops.rs`. Also home of helpers shared by every numeric type file
//! (error conversion from `krait_text::format`, subclass instance creation,
//! Unicode digit normalisation for parsing).
//!
//! Exact ints that fit an i64 are `Value::Int`; others are heap `Payload::Int`
//! (see `value.rs`), so every result goes through `vm.new_int` to normalise.

use crate::object::PyRef;
use crate::payload::{GetSetDef, Payload};
use crate::types::function::NativeDef;
use crate::types::typeobj::Slot;
use crate::value::Value;
use crate::{Args, PyErr, PyResult, Vm};
use dashu_int::ops::{BitTest, UnsignedAbs};
use dashu_int::{IBig, Sign, UBig};
use krait_text::format::{self as tfmt, ErrorKind, FormatError};
use std::borrow::Cow;

/// Largest int (in bits) krait will build: beyond this `**`, `<<` and `*`
/// raise MemoryError instead of trying to allocate (an allocation failure
/// would abort the process). 2**32 bits is 512 MiB of digits.
pub const MAX_INT_BITS: usize = 1 << 32;

// ---------------------------------------------------------------------------
// Helpers shared by the numeric types
// ---------------------------------------------------------------------------

/// Turns a `krait_text::format` error into the Python exception it names.
pub fn fmt_err(vm: &Vm, e: FormatError) -> PyErr {
    let typ = match e.kind {
        ErrorKind::ValueError => &vm.exc.value_error,
        ErrorKind::OverflowError => &vm.exc.overflow_error,
        ErrorKind::ZeroDivisionError => &vm.exc.zero_division_error,
        ErrorKind::MemoryError => return vm.new_memory_error(),
    };
    match e.errno {
        // `OverflowError(34, 'Numerical result out of range')` has two args.
        Some(n) => vm.new_exception(typ, vec![Value::Int(n as i64), vm.new_str(e.msg)]),
        None => vm.new_exception_msg(typ, e.msg),
    }
}

/// An instance of `cls` (a subclass of a builtin number type) wrapping the
/// builtin payload `base`.
pub fn new_subclass_instance(cls: &PyRef, base: Payload) -> Value {
    PyRef::new_instance(cls.clone(), Some(Box::new(base))).into_value()
}

/// The small value of an unboxed int or bool.
#[inline]
pub fn small_int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
    }
}

/// The value of anything that is an int (bool and int subclasses included).
#[inline]
pub fn int_of(v: &Value) -> Option<IBig> {
    match v {
        Value::Int(i) => Some(IBig::from(*i)),
        Value::Bool(b) => Some(IBig::from(*b as i64)),
        Value::Obj(o) => o.payload.as_int().cloned(),
        _ => None,
    }
}

/// Is `v` an int (bool and subclasses included)?
#[inline]
pub fn is_int(v: &Value) -> bool {
    match v {
        Value::Int(_) | Value::Bool(_) => true,
        Value::Obj(o) => o.payload.as_int().is_some(),
        _ => false,
    }
}

/// An int's value as f64, correctly rounded; OverflowError when too large.
pub fn int_to_f64(vm: &Vm, v: &Value) -> PyResult<Option<f64>> {
    match v {
        Value::Int(i) => Ok(Some(*i as f64)),
        Value::Bool(b) => Ok(Some(*b as i64 as f64)),
        Value::Obj(o) => match o.payload.as_int() {
            Some(i) => tfmt::ibig_to_f64(i).map(Some).map_err(|e| fmt_err(vm, e)),
            None => Ok(None),
        },
        _ => Ok(None),
    }
}

/// A copy of the bytes of a bytes-like value: bytes, bytearray (subclasses
/// included), a memoryview or another buffer exporter (`array.array`).
pub fn bytes_like(v: &Value) -> Option<Vec<u8>> {
    let p = v.payload()?;
    if let Some(b) = p.as_bytes() {
        return Some(b.to_vec());
    }
    match p.base() {
        Payload::ByteArray(b) => Some(b.borrow().clone()),
        _ => crate::types::memoryview::buffer_bytes(v),
    }
}

/// CPython's `_PyUnicode_TransformDecimalAndSpaceToASCII`: Unicode white
/// space becomes ' ', Unicode decimal digits their ASCII digit, and any other
/// non-ASCII character a '?' (so the parse fails, as in CPython).
pub fn ascii_numeric(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| {
                if c.is_ascii() {
                    c
                } else if krait_text::unicode::is_space(c) {
                    ' '
                } else if let Some(d) = krait_text::unicode::decimal_value(c) {
                    char::from(b'0' + d as u8)
                } else {
                    '?'
                }
            })
            .collect(),
    )
}

/// Bytes as text for the number parsers: non-ASCII bytes become '?'.
pub fn bytes_as_ascii(b: &[u8]) -> String {
    b.iter().map(|&c| if c.is_ascii() { c as char } else { '?' }).collect()
}

/// The single extra operand of a binary dunder called as `int.__add__(a, b)`,
/// with CPython's "expected 1 argument, got N".
pub fn binary_args<'a>(vm: &Vm, name: &str, args: &Args<'a>) -> PyResult<(&'a Value, &'a Value)> {
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("{name}() takes no keyword arguments")));
    }
    match args.args {
        [a, b] => Ok((a, b)),
        [_, rest @ ..] => Err(vm.new_type_error(format!("expected 1 argument, got {}", rest.len()))),
        [] => Err(vm.new_type_error(format!("descriptor '{name}' needs an argument"))),
    }
}

/// `self` of a unary dunder or a method without arguments.
pub fn unary_arg<'a>(vm: &Vm, name: &str, args: &Args<'a>) -> PyResult<&'a Value> {
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("{name}() takes no keyword arguments")));
    }
    match args.args {
        [a] => Ok(a),
        [_, rest @ ..] => Err(vm.new_type_error(format!("{name}() takes no arguments ({} given)", rest.len()))),
        [] => Err(vm.new_type_error(format!("descriptor '{name}' needs an argument"))),
    }
}

/// `self` as an int; the method descriptor already checked the type, so a
/// mismatch only happens on direct calls of the Rust function.
pub fn self_int(vm: &Vm, v: &Value) -> PyResult<IBig> {
    int_of(v).ok_or_else(|| {
        vm.new_type_error(format!("descriptor requires a 'int' object but received a '{}'", vm.type_name_of(v)))
    })
}

/// Checks that `cls` (the first argument of a `__new__`) is a subtype of `base`.
pub fn check_new_cls(vm: &Vm, fname: &str, args: &Args, base: &PyRef) -> PyResult<PyRef> {
    let cls = match args.args.first() {
        Some(Value::Obj(c)) if c.payload.as_type().is_some() => c.clone(),
        Some(other) => {
            return Err(vm.new_type_error(format!(
                "{fname}.__new__(X): X is not a type object ({})",
                vm.type_name_of(other)
            )))
        }
        None => return Err(vm.new_type_error(format!("{fname}.__new__(): not enough arguments"))),
    };
    if !vm.is_subtype(&cls, base) {
        return Err(vm.new_type_error(format!(
            "{fname}.__new__({}): {} is not a subtype of {fname}",
            vm.type_name(&cls),
            vm.type_name(&cls)
        )));
    }
    // CPython's `tp_new_wrapper` check: the nearest builtin type of `cls`
    // must use this `__new__` (`int.__new__(bool)` would skip bool's).
    let mut builtin = cls.clone();
    while !builtin.is_immortal() {
        match builtin.payload.as_type().and_then(|t| t.base.clone()) {
            Some(b) => builtin = b,
            None => break,
        }
    }
    if !builtin.is(base) && builtin.is_immortal() && vm.is_subtype(&builtin, base) {
        let own_new = builtin.payload.as_type().is_some_and(|t| vm.dict_get_str(&t.dict, &vm.intern("__new__")).is_some());
        if own_new {
            return Err(vm.new_type_error(format!(
                "{fname}.__new__({}) is not safe, use {}.__new__()",
                vm.type_name(&cls),
                vm.type_name(&builtin)
            )));
        }
    }
    Ok(cls)
}

// ---------------------------------------------------------------------------
// Construction
// ---------------------------------------------------------------------------

/// `int(s, base)` for a str or bytes-like `v` (with an explicit base, only
/// str, bytes and bytearray); None if `v` is none of those.
fn parse_int_value(vm: &Vm, v: &Value, base: u32, explicit_base: bool) -> PyResult<Option<IBig>> {
    let is_bytes_or_bytearray = || v.payload().is_some_and(|p| p.as_bytes().is_some() || matches!(p.base(), Payload::ByteArray(_)));
    let text: Cow<'_, str> = if let Some(s) = vm.as_str(v) {
        ascii_numeric(s)
    } else if explicit_base && !is_bytes_or_bytearray() {
        return Ok(None);
    } else if let Some(b) = bytes_like(v) {
        Cow::Owned(bytes_as_ascii(&b))
    } else {
        return Ok(None);
    };
    match tfmt::parse_int(&text, base, vm.int_max_str_digits.get()) {
        Ok(i) => Ok(Some(i)),
        Err(e) => {
            let r = vm.repr_string(v)?;
            // CPython truncates the literal's repr at 200 characters.
            let r: String = if r.chars().count() > 200 { r.chars().take(200).collect() } else { r };
            Err(fmt_err(vm, e.to_error(base, &r)))
        }
    }
}

/// The DeprecationWarning text for a conversion method (`__int__`,
/// `__index__`, `__float__`, `__complex__`) that returned an instance of a
/// strict subclass of `builtin` (of type `got`).
pub fn subclass_result_warning(method: &str, builtin: &str, got: &str) -> String {
    format!(
        "{method} returned non-{builtin} (type {got}).  The ability to return an instance of a strict \
         subclass of {builtin} is deprecated, and may be removed in a future version of Python."
    )
}

/// `int(x)` with one argument: CPython's `PyNumber_Long`.
pub fn int_from_object(vm: &Vm, v: &Value) -> PyResult<IBig> {
    match v {
        Value::Int(i) => return Ok(IBig::from(*i)),
        Value::Bool(b) => return Ok(IBig::from(*b as i64)),
        Value::Float(f) => return tfmt::float_to_ibig(*f).map_err(|e| fmt_err(vm, e)),
        Value::Obj(o) if o.class().is(&vm.types.int) => return Ok(o.payload.as_int().cloned().unwrap_or_default()),
        _ => {}
    }
    if let Some(r) = vm.call_special(v, Slot::Int, &[])? {
        let Some(i) = int_of(&r) else {
            return Err(vm.new_type_error(format!("__int__ returned non-int (type {})", vm.type_name_of(&r))));
        };
        if !matches!(r, Value::Int(_)) && !vm.class_of(&r).is(&vm.types.int) {
            vm.warn(&vm.exc.deprecation_warning, subclass_result_warning("__int__", "int", &vm.type_name_of(&r)))?;
        }
        return Ok(i);
    }
    if vm.special(v, Slot::Index).is_some() {
        let r = vm.index(v)?;
        return Ok(int_of(&r).unwrap_or_default());
    }
    if let Some(trunc) = vm.special(v, Slot::Trunc) {
        vm.warn(&vm.exc.deprecation_warning, "The delegation of int() to __trunc__ is deprecated.")?;
        let r = vm.call_unbound(&trunc, v, &[])?;
        if let Some(i) = int_of(&r) {
            return Ok(i);
        }
        if vm.special(&r, Slot::Index).is_none() {
            return Err(vm.new_type_error(format!(
                "__trunc__ returned non-Integral (type {})",
                vm.type_name_of(&r)
            )));
        }
        let i = vm.index(&r)?;
        return Ok(int_of(&i).unwrap_or_default());
    }
    if let Some(i) = parse_int_value(vm, v, 10, false)? {
        return Ok(i);
    }
    Err(vm.new_type_error(format!(
        "int() argument must be a string, a bytes-like object or a real number, not '{}'",
        vm.type_name_of(v)
    )))
}

/// `int.__new__(cls, x=0, /, base=10)`.
fn int_new(vm: &Vm, args: Args) -> PyResult {
    let cls = check_new_cls(vm, "int", &args, &vm.types.int)?;
    for (k, _) in args.keywords() {
        let k = vm.as_str(k).unwrap_or("");
        if k != "base" {
            return Err(vm.new_type_error(format!("'{k}' is an invalid keyword argument for int()")));
        }
    }
    let rest = Args::with_kw(&args.args[1..], args.kwnames);
    let a = vm.bind_native("int", rest, &["x", "base"], 1, 0, None)?;
    let value = match (&a[0], &a[1]) {
        (None, None) => IBig::ZERO,
        (None, Some(_)) => return Err(vm.new_type_error("int() missing string argument")),
        (Some(x), None) => int_from_object(vm, x)?,
        (Some(x), Some(b)) => {
            let base = vm.index(b)?;
            let base = match small_int(&base) {
                Some(b) if b == 0 || (2..=36).contains(&b) => b as u32,
                _ => return Err(vm.new_value_error("int() base must be >= 2 and <= 36, or 0")),
            };
            match parse_int_value(vm, x, base, true)? {
                Some(i) => i,
                None => return Err(vm.new_type_error("int() can't convert non-string with explicit base")),
            }
        }
    };
    if cls.is(&vm.types.int) {
        Ok(vm.new_int(value))
    } else {
        Ok(new_subclass_instance(&cls, Payload::Int(value)))
    }
}

// ---------------------------------------------------------------------------
// repr, format, hash, conversions
// ---------------------------------------------------------------------------

/// `str(i)` with the int/str digit limit.
pub fn int_to_string(vm: &Vm, i: &IBig) -> PyResult<String> {
    tfmt::int_to_decimal_string(i, vm.int_max_str_digits.get()).map_err(|e| fmt_err(vm, e))
}

fn int_repr(vm: &Vm, args: Args) -> PyResult {
    let s = self_int(vm, unary_arg(vm, "__repr__", &args)?)?;
    if let Ok(small) = i64::try_from(&s) {
        return Ok(vm.new_str(small.to_string()));
    }
    Ok(vm.new_str(int_to_string(vm, &s)?))
}

fn int_format(vm: &Vm, args: Args) -> PyResult {
    let (this, spec) = binary_args(vm, "__format__", &args)?;
    let i = self_int(vm, this)?;
    let spec = vm.as_str(spec).ok_or_else(|| {
        vm.new_type_error(format!("__format__() argument must be str, not {}", vm.type_name_of(spec)))
    })?;
    if spec.is_empty() {
        return Ok(Value::Obj(vm.str(this)?));
    }
    let tname = vm.type_name_of(this);
    let parsed = tfmt::parse_format_spec(spec, Some('d'), &tname).map_err(|e| fmt_err(vm, e))?;
    let s = tfmt::format_int(&i, &parsed, &tname, vm.int_max_str_digits.get()).map_err(|e| fmt_err(vm, e))?;
    Ok(vm.new_str(s))
}

fn int_hash(vm: &Vm, args: Args) -> PyResult {
    let i = self_int(vm, unary_arg(vm, "__hash__", &args)?)?;
    Ok(Value::Int(tfmt::hash_int(&i)))
}

/// `int(self)` as an exact int (for `__int__`, `__index__`, `__pos__`, ...).
fn int_exact(vm: &Vm, args: Args) -> PyResult {
    let v = unary_arg(vm, "__int__", &args)?;
    match v {
        Value::Int(_) => Ok(v.clone()),
        Value::Obj(o) if o.class().is(&vm.types.int) => Ok(v.clone()),
        _ => Ok(vm.new_int(self_int(vm, v)?)),
    }
}

fn int_float(vm: &Vm, args: Args) -> PyResult {
    let v = unary_arg(vm, "__float__", &args)?;
    match int_to_f64(vm, v)? {
        Some(f) => Ok(Value::Float(f)),
        None => Err(vm.new_type_error("descriptor '__float__' requires a 'int' object")),
    }
}

fn int_bool(vm: &Vm, args: Args) -> PyResult {
    let i = self_int(vm, unary_arg(vm, "__bool__", &args)?)?;
    Ok(Value::Bool(i != IBig::ZERO))
}

fn int_getnewargs(vm: &Vm, args: Args) -> PyResult {
    let i = self_int(vm, unary_arg(vm, "__getnewargs__", &args)?)?;
    Ok(vm.new_tuple(vec![vm.new_int(i)]))
}

/// `int.__round__(self, ndigits=None)`: half-even to a multiple of 10**-ndigits.
fn int_round(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__round__", args, 1, 2)?;
    let i = self_int(vm, &args.args[0])?;
    let nd = match args.args.get(1) {
        None | Some(Value::None) => return Ok(vm.new_int(i)),
        Some(n) => int_of(&vm.index(n)?).unwrap_or_default(),
    };
    if nd >= IBig::ZERO {
        return Ok(vm.new_int(i));
    }
    let k = nd.unsigned_abs();
    // 10**k > |i| * 2 when k exceeds the digit count + 1: the result is 0.
    let digits = (&i).unsigned_abs().bit_len() as u64 * 3 / 10 + 2;
    let k = match u64::try_from(&k) {
        Ok(k) if k <= digits => k as usize,
        _ => return Ok(Value::Int(0)),
    };
    let pow = IBig::from(10).pow(k);
    let (q, r) = floor_divmod(&i, &pow);
    // Half-even on the remainder: round up when r > pow/2, or r == pow/2 and q odd.
    let twice = &r * IBig::from(2);
    let up = twice > pow || (twice == pow && (&q % IBig::from(2)) != IBig::ZERO);
    let q = if up { q + IBig::ONE } else { q };
    Ok(vm.new_int(q * pow))
}

/// Python's floor division and modulo (the remainder has the divisor's
/// sign). `b` must be nonzero.
pub fn floor_divmod(a: &IBig, b: &IBig) -> (IBig, IBig) {
    use dashu_int::ops::DivRem;
    let (q, r) = a.clone().div_rem(b.clone());
    if r != IBig::ZERO && (r.sign() == Sign::Negative) != (b.sign() == Sign::Negative) {
        (q - IBig::ONE, r + b)
    } else {
        (q, r)
    }
}

// ---------------------------------------------------------------------------
// Methods
// ---------------------------------------------------------------------------

fn int_bit_length(vm: &Vm, args: Args) -> PyResult {
    let i = self_int(vm, unary_arg(vm, "bit_length", &args)?)?;
    Ok(Value::Int(i.unsigned_abs().bit_len() as i64))
}

/// The bytes krait uses: an unboxed int its 16-byte value, a heap int its
/// object plus the digits beyond the two words kept inline (`object_size.rs`).
fn int_sizeof(vm: &Vm, args: Args) -> PyResult {
    let me = unary_arg(vm, "__sizeof__", &args)?;
    self_int(vm, me)?;
    Ok(Value::Int(crate::object_size::own_size(me) as i64))
}

fn int_bit_count(vm: &Vm, args: Args) -> PyResult {
    let i = self_int(vm, unary_arg(vm, "bit_count", &args)?)?;
    Ok(Value::Int(i.unsigned_abs().count_ones() as i64))
}

fn int_as_integer_ratio(vm: &Vm, args: Args) -> PyResult {
    let i = self_int(vm, unary_arg(vm, "as_integer_ratio", &args)?)?;
    Ok(vm.new_tuple(vec![vm.new_int(i), Value::Int(1)]))
}

/// Parses `byteorder` ("little"/"big") for to_bytes/from_bytes.
fn byteorder_is_little(vm: &Vm, fname: &str, v: Option<&Value>) -> PyResult<bool> {
    match v {
        None => Ok(false),
        Some(v) => match vm.as_str(v) {
            Some("little") => Ok(true),
            Some("big") => Ok(false),
            Some(_) => Err(vm.new_value_error("byteorder must be either 'little' or 'big'")),
            None => Err(vm.new_type_error(format!(
                "{fname}() argument 'byteorder' must be str, not {}",
                vm.type_name_of(v)
            ))),
        },
    }
}

/// `int.to_bytes(length=1, byteorder='big', *, signed=False)`.
fn int_to_bytes(vm: &Vm, args: Args) -> PyResult {
    let this = args.args.first().ok_or_else(|| vm.new_type_error("descriptor 'to_bytes' needs an argument"))?;
    let i = self_int(vm, this)?;
    let rest = Args::with_kw(&args.args[1..], args.kwnames);
    let a = vm.bind_native("to_bytes", rest, &["length", "byteorder", "signed"], 0, 0, Some(2))?;
    let length = match &a[0] {
        None => 1i64,
        Some(l) => {
            let l = vm.index(l)?;
            match small_int(&l) {
                Some(n) if n < 0 => return Err(vm.new_value_error("length argument must be non-negative")),
                Some(n) => n,
                None if int_of(&l).is_some_and(|x| x < IBig::ZERO) => {
                    return Err(vm.new_value_error("length argument must be non-negative"))
                }
                None => return Err(vm.new_overflow_error("Python int too large to convert to C ssize_t")),
            }
        }
    };
    let little = byteorder_is_little(vm, "to_bytes", a[1].as_ref())?;
    let signed = match &a[2] {
        Some(s) => vm.truthy(s)?,
        None => false,
    };
    if !signed && i < IBig::ZERO {
        return Err(vm.new_overflow_error("can't convert negative int to unsigned"));
    }
    // Bits needed: magnitude bits, plus a sign bit when signed (except for
    // negative powers of two, which fit exactly: -128 in one byte).
    let mag = (&i).unsigned_abs();
    let need_bits = if !signed || i == IBig::ZERO {
        mag.bit_len()
    } else if i < IBig::ZERO {
        let m1: UBig = &mag - UBig::ONE;
        m1.bit_len() + 1
    } else {
        mag.bit_len() + 1
    };
    if need_bits > (length as u64).saturating_mul(8).min(u64::MAX / 2) as usize {
        return Err(vm.new_overflow_error("int too big to convert"));
    }
    let length = length as usize;
    // Two's complement: a negative value is 2**(8*length) + i.
    let repr: UBig = if i < IBig::ZERO {
        let modulus = UBig::ONE << (8 * length);
        modulus - mag
    } else {
        mag
    };
    let mut bytes = repr.to_le_bytes().into_vec();
    bytes.resize(length, 0);
    if !little {
        bytes.reverse();
    }
    Ok(vm.new_bytes(bytes))
}

/// `int.from_bytes(bytes, byteorder='big', *, signed=False)` (a classmethod).
fn int_from_bytes(vm: &Vm, args: Args) -> PyResult {
    let cls = args.args.first().cloned().ok_or_else(|| vm.new_type_error("from_bytes needs a class"))?;
    let rest = Args::with_kw(&args.args[1..], args.kwnames);
    let a = vm.bind_native("from_bytes", rest, &["bytes", "byteorder", "signed"], 0, 1, Some(2))?;
    let src = a[0].clone().unwrap_or(Value::None);
    let data = match bytes_like(&src) {
        Some(b) => b,
        None => {
            if vm.as_str(&src).is_some() {
                return Err(vm.new_type_error("cannot convert 'str' object to bytes"));
            }
            if let Some(d) = crate::types::bytes::dunder_bytes_vec(vm, &src)? {
                return int_from_byte_data(vm, &cls, &d, &a);
            }
            // Any iterable of ints in range(256), as `bytes(x)` accepts.
            let items = vm.collect_iter(&src).map_err(|e| {
                if vm.exception_matches(&e, &vm.exc.type_error) {
                    vm.new_type_error(format!("cannot convert '{}' object to bytes", vm.type_name_of(&src)))
                } else {
                    e
                }
            })?;
            let mut out = Vec::with_capacity(items.len());
            for it in &items {
                let n = vm.index(it)?;
                match small_int(&n) {
                    Some(b @ 0..=255) => out.push(b as u8),
                    _ => return Err(vm.new_value_error("bytes must be in range(0, 256)")),
                }
            }
            out
        }
    };
    int_from_byte_data(vm, &cls, &data, &a)
}

/// `int.from_bytes` once the bytes are in hand; `a` are its bound arguments.
fn int_from_byte_data(vm: &Vm, cls: &Value, data: &[u8], a: &[Option<Value>]) -> PyResult {
    let little = byteorder_is_little(vm, "from_bytes", a[1].as_ref())?;
    let signed = match &a[2] {
        Some(s) => vm.truthy(s)?,
        None => false,
    };
    let mag = if little { UBig::from_le_bytes(data) } else { UBig::from_be_bytes(data) };
    let top_set = match if little { data.last() } else { data.first() } {
        Some(b) => b & 0x80 != 0,
        None => false,
    };
    let value = if signed && top_set {
        IBig::from(mag) - IBig::from(UBig::ONE << (8 * data.len()))
    } else {
        IBig::from(mag)
    };
    let result = vm.new_int(value);
    match cls {
        Value::Obj(c) if c.is(&vm.types.int) => Ok(result),
        _ => vm.call(cls, Args::new(&[result])),
    }
}

// Getters: `real`, `imag`, `numerator`, `denominator`.
fn get_self_int(vm: &Vm, v: &Value) -> PyResult {
    Ok(vm.new_int(self_int(vm, v)?))
}
fn get_zero(_vm: &Vm, _v: &Value) -> PyResult {
    Ok(Value::Int(0))
}
fn get_one(_vm: &Vm, _v: &Value) -> PyResult {
    Ok(Value::Int(1))
}

static INT_METHODS: [NativeDef; 19] = [
    NativeDef::staticmethod("__new__", int_new),
    NativeDef::method("__repr__", int_repr),
    NativeDef::method("__format__", int_format).doc("__format__($self, format_spec, /)\n--\n\n"),
    NativeDef::method("__hash__", int_hash),
    NativeDef::method("__int__", int_exact),
    NativeDef::method("__index__", int_exact),
    NativeDef::method("__trunc__", int_exact).doc("Truncating an Integral returns itself."),
    NativeDef::method("__floor__", int_exact).doc("Flooring an Integral returns itself."),
    NativeDef::method("__ceil__", int_exact).doc("Ceiling of an Integral returns itself."),
    NativeDef::method("conjugate", int_exact).doc("Returns self, the complex conjugate of any int."),
    NativeDef::method("__float__", int_float),
    NativeDef::method("__bool__", int_bool),
    NativeDef::method("__getnewargs__", int_getnewargs).doc("__getnewargs__($self, /)\n--\n\n"),
    NativeDef::method("__round__", int_round).doc("__round__($self, ndigits=<unrepresentable>, /)\n--\n\nRounding an Integral returns itself."),
    NativeDef::method("bit_length", int_bit_length).doc("bit_length($self, /)\n--\n\nNumber of bits necessary to represent self in binary."),
    NativeDef::method("bit_count", int_bit_count).doc("bit_count($self, /)\n--\n\nNumber of ones in the binary representation of the absolute value of self."),
    NativeDef::method("as_integer_ratio", int_as_integer_ratio).doc("as_integer_ratio($self, /)\n--\n\nReturn integer ratio."),
    NativeDef::method("to_bytes", int_to_bytes).doc("to_bytes($self, /, length=1, byteorder='big', *, signed=False)\n--\n\nReturn an array of bytes representing an integer."),
    NativeDef::method("__sizeof__", int_sizeof).doc("__sizeof__($self, /)\n--\n\nReturns size in memory, in bytes."),
];

static INT_CLASSMETHODS: [NativeDef; 1] = [NativeDef::classmethod("from_bytes", int_from_bytes).doc(
    "from_bytes($type, /, bytes, byteorder='big', *, signed=False)\n--\n\nReturn the integer represented by the given array of bytes.",
)];

static INT_GETSETS: [GetSetDef; 4] = [
    GetSetDef { name: "real", get: get_self_int, set: None, doc: "the real part of a complex number" },
    GetSetDef { name: "imag", get: get_zero, set: None, doc: "the imaginary part of a complex number" },
    GetSetDef { name: "numerator", get: get_self_int, set: None, doc: "the numerator of a rational number in lowest terms" },
    GetSetDef { name: "denominator", get: get_one, set: None, doc: "the denominator of a rational number in lowest terms" },
];

pub fn init(vm: &Vm) {
    let t = &vm.types.int;
    crate::types::add_methods(vm, t, &INT_METHODS);
    crate::types::add_methods(vm, t, &INT_CLASSMETHODS);
    crate::types::add_getsets(vm, t, &INT_GETSETS);
    crate::types::int_ops::init(vm);
}
