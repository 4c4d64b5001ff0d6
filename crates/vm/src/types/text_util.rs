//! Argument and sequence helpers shared by the str, bytes and bytearray
//! methods: arity checks with CPython's three families of messages,
//! start/end and slice index normalisation, repetition sizes, subclass
//! instances of builtin types, and whitespace splitting.

use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::function::Args;
use crate::value::Value;
use crate::{PyResult, Vm};

/// How a builtin reports a wrong number of arguments (CPython has three
/// families of messages depending on how the C function parses them).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ar {
    /// METH_NOARGS / METH_O: "str.upper() takes no arguments (1 given)".
    Exact,
    /// `_PyArg_CheckPositional`: "center expected at least 1 argument, got 0".
    Expected,
    /// `PyArg_ParseTuple`: "find() takes at least 1 argument (0 given)".
    Takes,
}

/// Checks the arguments after `self` and returns them (keywords refused).
pub(crate) fn arity<'a>(
    vm: &Vm,
    args: Args<'a>,
    tname: &str,
    name: &str,
    min: usize,
    max: usize,
    style: Ar,
) -> PyResult<&'a [Value]> {
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("{tname}.{name}() takes no keyword arguments")));
    }
    let pos = args.positional().get(1..).unwrap_or(&[]);
    let n = pos.len();
    if n >= min && n <= max {
        return Ok(pos);
    }
    let s = |k: usize| if k == 1 { "" } else { "s" };
    let msg = match style {
        Ar::Exact if max == 0 => format!("{tname}.{name}() takes no arguments ({n} given)"),
        Ar::Exact => format!("{tname}.{name}() takes exactly one argument ({n} given)"),
        Ar::Expected if min == max => format!("{name} expected {min} argument{}, got {n}", s(min)),
        Ar::Expected if n < min => format!("{name} expected at least {min} argument{}, got {n}", s(min)),
        Ar::Expected => format!("{name} expected at most {max} argument{}, got {n}", s(max)),
        Ar::Takes if min == max => format!("{name}() takes exactly {min} argument{} ({n} given)", s(min)),
        Ar::Takes if n < min => format!("{name}() takes at least {min} argument{} ({n} given)", s(min)),
        Ar::Takes => format!("{name}() takes at most {max} argument{} ({n} given)", s(max)),
    };
    Err(vm.new_type_error(msg))
}

/// Argument check of a slot wrapper (`'a'.__add__()`): "expected 1 argument, got 0".
pub(crate) fn dunder_args<'a>(vm: &Vm, args: Args<'a>, n: usize) -> PyResult<&'a [Value]> {
    let pos = args.positional().get(1..).unwrap_or(&[]);
    if args.has_kwargs() || pos.len() != n {
        return Err(vm.new_type_error(format!(
            "expected {n} argument{}, got {}",
            if n == 1 { "" } else { "s" },
            pos.len()
        )));
    }
    Ok(pos)
}

/// The arguments after `self`, keywords included (for `bind_native`).
pub(crate) fn rest<'a>(args: Args<'a>) -> Args<'a> {
    // `self` must be positional; without it the arguments stay as they are
    // (the caller has already rejected a missing `self`).
    if args.positional().is_empty() {
        return args;
    }
    Args { args: &args.args[1..], kwnames: args.kwnames }
}

/// An instance of `cls` (a subclass of a builtin type without `__dict__`
/// layout) wrapping the builtin payload `base`.
pub(crate) fn new_subclass_instance(cls: &PyRef, base: Payload) -> PyRef {
    PyRef::new_instance(cls.clone(), Some(Box::new(base)))
}

/// An int argument used as a size or count (`__index__`); big ints raise
/// OverflowError "Python int too large to convert to C ssize_t".
pub(crate) fn ssize_arg(vm: &Vm, v: &Value) -> PyResult<i64> {
    match vm.index(v)? {
        Value::Int(i) => Ok(i),
        _ => Err(vm.new_overflow_error("Python int too large to convert to C ssize_t")),
    }
}

/// A slice index (`_PyEval_SliceIndex`): None passes through, big ints clamp.
pub(crate) fn slice_index(vm: &Vm, v: Option<&Value>) -> PyResult<Option<i64>> {
    let v = match v {
        None | Some(Value::None) => return Ok(None),
        Some(v) => v,
    };
    let has_index = match v {
        Value::Int(_) | Value::Bool(_) => true,
        Value::Float(_) | Value::None => false,
        Value::Obj(o) => o.payload.as_int().is_some() || vm.special(v, crate::types::typeobj::Slot::Index).is_some(),
    };
    if !has_index {
        return Err(vm.new_type_error("slice indices must be integers or None or have an __index__ method"));
    }
    Ok(Some(match vm.index(v)? {
        Value::Int(i) => i,
        other => {
            let neg = vm.as_ibig(&other).map(|b| b < dashu_int::IBig::ZERO).unwrap_or(false);
            if neg {
                i64::MIN
            } else {
                i64::MAX
            }
        }
    }))
}

/// CPython's ADJUST_INDICES for `start`/`end` arguments of find/count/...:
/// both clamped to `0..=len` except that `start` may exceed `len`.
pub(crate) fn adjust_indices(start: Option<i64>, end: Option<i64>, len: usize) -> (usize, usize) {
    let len_i = len as i64;
    let mut end = end.unwrap_or(len_i);
    if end > len_i {
        end = len_i;
    } else if end < 0 {
        end = (end + len_i).max(0);
    }
    let mut start = start.unwrap_or(0);
    if start < 0 {
        start = (start + len_i).max(0);
    }
    (start as usize, end as usize)
}

/// `slice.indices(len)` as `(start, stop, step, slicelength)` (the slice
/// module's `PySlice_GetIndicesEx`), widened to i64.
pub(crate) fn slice_indices(vm: &Vm, slice: &Value, len: usize) -> PyResult<(i64, i64, i64, usize)> {
    let (a, b, c, n) = vm.slice_indices(slice, len)?;
    Ok((a as i64, b as i64, c as i64, n))
}

/// Refuses absurd result sizes up front: MemoryError rather than an abort
/// (or the kernel's OOM killer) when allocating.
pub(crate) fn check_alloc(vm: &Vm, n: usize) -> PyResult<()> {
    crate::types::seq_util::check_alloc_bytes(vm, n)
}

/// The byte size of a repetition `seq * n`, with CPython's errors:
/// OverflowError `too_long` when the size overflows (MemoryError if None).
pub(crate) fn repeat_size(vm: &Vm, len: usize, n: &Value, too_long: Option<&str>) -> PyResult<Option<usize>> {
    let count = match vm.index(n)? {
        Value::Int(i) => i,
        _ => return Err(vm.new_overflow_error("cannot fit 'int' into an index-sized integer")),
    };
    if count <= 0 || len == 0 {
        return Ok(None);
    }
    let total = (len as i64).checked_mul(count).filter(|t| *t <= isize::MAX as i64);
    match total {
        None => Err(match too_long {
            Some(msg) => vm.new_overflow_error(msg),
            None => vm.new_memory_error(),
        }),
        Some(t) => {
            check_alloc(vm, t as usize)?;
            Ok(Some(t as usize))
        }
    }
}

/// True when a binary operator should defer to the right operand's reflected
/// method (a user class defining it) rather than raise the sequence error.
pub(crate) fn defer_to_reflected(vm: &Vm, other: &Value, slot: crate::types::typeobj::Slot) -> bool {
    // Only a reflected method written in Python can accept a builtin sequence;
    // inherited builtin ones (an int subclass's __radd__) would just decline.
    let t = vm.class_of(other);
    // A weak proxy's reflected methods forward to its referent.
    if matches!(other, Value::Obj(o) if crate::types::weakref::is_proxy(vm, o)) {
        return true;
    }
    match t.payload.as_type() {
        Some(td) if td.is_heap() => {
            matches!(td.slot(slot), Some(f) if !matches!(f.payload(), Some(Payload::NativeMethod { .. })))
        }
        _ => false,
    }
}

/// Whitespace split (CPython `split_whitespace`), left to right.
pub(crate) fn split_ws<'t>(text: &'t str, maxsplit: i64, is_ws: impl Fn(char) -> bool) -> Vec<&'t str> {
    let mut out = Vec::new();
    let mut rest = text.trim_start_matches(&is_ws);
    let mut left = if maxsplit < 0 { i64::MAX } else { maxsplit };
    while !rest.is_empty() {
        if left == 0 {
            out.push(rest);
            return out;
        }
        match rest.find(&is_ws) {
            Some(i) => {
                out.push(&rest[..i]);
                rest = rest[i..].trim_start_matches(&is_ws);
                left -= 1;
            }
            None => {
                out.push(rest);
                return out;
            }
        }
    }
    out
}

/// Whitespace split from the right (`rsplit_whitespace`); result in order.
pub(crate) fn rsplit_ws<'t>(text: &'t str, maxsplit: i64, is_ws: impl Fn(char) -> bool) -> Vec<&'t str> {
    let mut out = Vec::new();
    let mut rest = text.trim_end_matches(&is_ws);
    let mut left = if maxsplit < 0 { i64::MAX } else { maxsplit };
    while !rest.is_empty() {
        if left == 0 {
            out.push(rest);
            break;
        }
        match rest.rfind(&is_ws) {
            Some(i) => {
                let w = rest[i..].chars().next().map(|c| c.len_utf8()).unwrap_or(1);
                out.push(&rest[i + w..]);
                rest = rest[..i].trim_end_matches(&is_ws);
                left -= 1;
            }
            None => {
                out.push(rest);
                break;
            }
        }
    }
    out.reverse();
    out
}

pub(crate) use crate::types::int::bytes_like;

/// Is `v` usable as a repetition count (has `__index__`)?
pub(crate) fn is_index(vm: &Vm, v: &Value) -> bool {
    match v {
        Value::Int(_) | Value::Bool(_) => true,
        Value::Float(_) | Value::None => false,
        Value::Obj(o) => o.payload.as_int().is_some() || vm.special(v, crate::types::typeobj::Slot::Index).is_some(),
    }
}

// ------------------------------------------------------------ byte-string algorithms

pub(crate) fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    if needle.len() == 1 {
        return hay.iter().position(|b| *b == needle[0]);
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

pub(crate) fn rfind_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(hay.len());
    }
    if needle.len() > hay.len() {
        return None;
    }
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Non-overlapping occurrences, left to right.
pub(crate) fn match_positions(hay: &[u8], needle: &[u8], limit: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = 0;
    while out.len() < limit && i + needle.len() <= hay.len() {
        match find_bytes(&hay[i..], needle) {
            Some(p) => {
                out.push(i + p);
                i += p + needle.len();
            }
            None => break,
        }
    }
    out
}

pub(crate) fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

pub(crate) fn title_bytes(d: &[u8]) -> Vec<u8> {
    let mut prev_cased = false;
    d.iter()
        .map(|&b| {
            let r = if prev_cased { b.to_ascii_lowercase() } else { b.to_ascii_uppercase() };
            prev_cased = b.is_ascii_alphabetic();
            r
        })
        .collect()
}

pub(crate) fn istitle_bytes(d: &[u8]) -> bool {
    let (mut cased, mut prev_cased) = (false, false);
    for &b in d {
        if b.is_ascii_uppercase() {
            if prev_cased {
                return false;
            }
            prev_cased = true;
            cased = true;
        } else if b.is_ascii_lowercase() {
            if !prev_cased {
                return false;
            }
            prev_cased = true;
            cased = true;
        } else {
            prev_cased = false;
        }
    }
    cased
}

/// `bytes.hex(sep, bytes_per_sep)`: groups count from the right when
/// `bytes_per_sep` is positive, from the left when negative.
pub fn hex_string(d: &[u8], sep: Option<u8>, per: i64) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(d.len() * 3);
    let group = per.unsigned_abs() as usize;
    for (i, &b) in d.iter().enumerate() {
        if let Some(s) = sep {
            if i > 0 && group > 0 {
                let boundary = if per > 0 { (d.len() - i) % group == 0 } else { i % group == 0 };
                if boundary {
                    out.push(s as char);
                }
            }
        }
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 15) as usize] as char);
    }
    out
}

/// `repr()` of bytes content: `b'...'` with CPython's quote choice.
pub fn bytes_repr(d: &[u8]) -> String {
    bytes_repr_with(d, false)
}

/// `bytes_repr`, or with `always_escape_single` bytearray's variant, which
/// escapes `'` even inside double quotes (CPython's bytearray_repr).
pub fn bytes_repr_with(d: &[u8], always_escape_single: bool) -> String {
    let q = if d.contains(&b'\'') && !d.contains(&b'"') { b'"' } else { b'\'' };
    let mut out = String::with_capacity(d.len() + 3);
    out.push('b');
    out.push(q as char);
    for &c in d {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            _ if c == q || (always_escape_single && c == b'\'') => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            _ => out.push_str(&format!("\\x{c:02x}")),
        }
    }
    out.push(q as char);
    out
}
