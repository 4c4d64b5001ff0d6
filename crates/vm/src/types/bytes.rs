//! `bytes`, and the methods `bytes` and `bytearray` share. Every shared
//! method is one native registered on both types: it reads `self` as a byte
//! slice (a bytearray is copied out first, so no `RefCell` borrow is held
//! while Python code may run) and builds its result with the type of `self`
//! (bytes methods return bytes, bytearray methods return bytearray).
//! The bytearray-only mutators live in `bytearray.rs`.

use crate::payload::{BytesData, Payload};
use crate::types::function::{Args, NativeDef};
use crate::types::iter::IterState;
use crate::types::str_methods::{
    adjust_indices, arity, check_alloc, defer_to_reflected, dunder_args, is_index, repeat_size, rest, slice_index,
    slice_indices, split_ws, ssize_arg, Ar,
};
use crate::types::typeobj::Slot;
use crate::value::Value;
use crate::{PyRef, PyResult, Vm};
pub use crate::types::text_util::{bytes_repr, hex_string};
use crate::types::text_util::{find_bytes, is_ws, istitle_bytes, match_positions, rfind_bytes, title_bytes};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};

/// Whether a method runs on a bytes or a bytearray.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Bytes,
    ByteArray,
}

impl Kind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Bytes => "bytes",
            Kind::ByteArray => "bytearray",
        }
    }
}

/// `self` of a shared method: its kind and its bytes (bytearray copied).
pub(crate) fn this<'a>(vm: &Vm, args: &Args<'a>) -> PyResult<(Kind, Cow<'a, [u8]>)> {
    let p = args.positional().first().and_then(|v| v.payload()).map(|p| p.base());
    match p {
        Some(Payload::Bytes(b)) => Ok((Kind::Bytes, Cow::Borrowed(&b.bytes))),
        Some(Payload::ByteArray(b)) => Ok((Kind::ByteArray, Cow::Owned(b.borrow().clone()))),
        _ => Err(vm.new_type_error("descriptor requires a 'bytes' object")),
    }
}

/// A new exact bytearray.
pub fn new_bytearray(vm: &Vm, data: Vec<u8>) -> Value {
    Value::Obj(PyRef::new(vm.types.bytearray.clone(), Payload::ByteArray(RefCell::new(data))))
}

/// A result of the same kind as `self`.
pub(crate) fn make(vm: &Vm, kind: Kind, data: Vec<u8>) -> Value {
    match kind {
        Kind::Bytes => vm.new_bytes(data),
        Kind::ByteArray => new_bytearray(vm, data),
    }
}

/// The bytes of a bytes-like argument, or CPython's TypeError.
pub(crate) fn buf_arg<'a>(vm: &Vm, v: &'a Value) -> PyResult<Cow<'a, [u8]>> {
    match v.payload().map(|p| p.base()) {
        Some(Payload::Bytes(b)) => Ok(Cow::Borrowed(&b.bytes)),
        Some(Payload::ByteArray(b)) => Ok(Cow::Owned(b.borrow().clone())),
        _ => match crate::types::memoryview::memoryview_bytes_checked(vm, v)? {
            Some(b) => Ok(Cow::Owned(b)),
            None => Err(vm.new_type_error(format!("a bytes-like object is required, not '{}'", vm.type_name_of(v)))),
        },
    }
}

fn opt_buf<'a>(v: &'a Value) -> Option<Cow<'a, [u8]>> {
    match v.payload().map(|p| p.base()) {
        Some(Payload::Bytes(b)) => Some(Cow::Borrowed(&b.bytes)),
        Some(Payload::ByteArray(b)) => Some(Cow::Owned(b.borrow().clone())),
        _ => crate::types::memoryview::buffer_bytes(v).map(Cow::Owned),
    }
}

/// A byte value 0..=255 from an int-like (`__index__`).
pub(crate) fn byte_value(vm: &Vm, v: &Value) -> PyResult<u8> {
    let i = vm.index(v)?;
    match i {
        Value::Int(n) if (0..256).contains(&n) => Ok(n as u8),
        _ => Err(vm.new_value_error("byte must be in range(0, 256)")),
    }
}

/// The `sub` argument of find/count/index: bytes-like or an int byte.
fn sub_arg<'a>(vm: &Vm, v: &'a Value) -> PyResult<Cow<'a, [u8]>> {
    if let Some(b) = opt_buf(v) {
        return Ok(b);
    }
    if is_index(vm, v) {
        return Ok(Cow::Owned(vec![byte_value(vm, v)?]));
    }
    Err(vm.new_type_error(format!(
        "argument should be integer or bytes-like object, not '{}'",
        vm.type_name_of(v)
    )))
}

fn find_impl(vm: &Vm, args: Args, name: &str, reverse: bool) -> PyResult<i64> {
    let (kind, me) = this(vm, &args)?;
    let pos = arity(vm, args, kind.name(), name, 1, 3, Ar::Takes)?;
    let sub = sub_arg(vm, &pos[0])?;
    let (st, en) = adjust_indices(slice_index(vm, pos.get(1))?, slice_index(vm, pos.get(2))?, me.len());
    if en < st || en - st < sub.len() {
        return Ok(-1);
    }
    let hay = &me[st..en];
    let r = if reverse { rfind_bytes(hay, &sub) } else { find_bytes(hay, &sub) };
    Ok(r.map(|p| (st + p) as i64).unwrap_or(-1))
}
fn b_find(vm: &Vm, args: Args) -> PyResult {
    find_impl(vm, args, "find", false).map(Value::Int)
}
fn b_rfind(vm: &Vm, args: Args) -> PyResult {
    find_impl(vm, args, "rfind", true).map(Value::Int)
}
fn b_index(vm: &Vm, args: Args) -> PyResult {
    match find_impl(vm, args, "index", false)? {
        -1 => Err(vm.new_value_error("subsection not found")),
        i => Ok(Value::Int(i)),
    }
}
fn b_rindex(vm: &Vm, args: Args) -> PyResult {
    match find_impl(vm, args, "rindex", true)? {
        -1 => Err(vm.new_value_error("subsection not found")),
        i => Ok(Value::Int(i)),
    }
}
fn b_count(vm: &Vm, args: Args) -> PyResult {
    let (kind, me) = this(vm, &args)?;
    let pos = arity(vm, args, kind.name(), "count", 1, 3, Ar::Takes)?;
    let sub = sub_arg(vm, &pos[0])?;
    let (st, en) = adjust_indices(slice_index(vm, pos.get(1))?, slice_index(vm, pos.get(2))?, me.len());
    if en < st || en - st < sub.len() {
        return Ok(Value::Int(0));
    }
    if sub.is_empty() {
        return Ok(Value::Int((en - st + 1) as i64));
    }
    Ok(Value::Int(match_positions(&me[st..en], &sub, usize::MAX).len() as i64))
}

fn starts_ends(vm: &Vm, args: Args, name: &str, ends: bool) -> PyResult {
    let (kind, me) = this(vm, &args)?;
    let pos = arity(vm, args, kind.name(), name, 1, 3, Ar::Takes)?;
    let (st, en) = adjust_indices(slice_index(vm, pos.get(1))?, slice_index(vm, pos.get(2))?, me.len());
    let test = |p: &[u8]| -> bool {
        if en < st || en - st < p.len() {
            return false;
        }
        let hay = &me[st..en];
        if ends {
            hay.ends_with(p)
        } else {
            hay.starts_with(p)
        }
    };
    if let Some(p) = opt_buf(&pos[0]) {
        return Ok(Value::Bool(test(&p)));
    }
    if let Some(items) = pos[0].payload().and_then(|p| p.as_tuple()) {
        for it in items {
            if test(&buf_arg(vm, it)?) {
                return Ok(Value::Bool(true));
            }
        }
        return Ok(Value::Bool(false));
    }
    Err(vm.new_type_error(format!(
        "{name} first arg must be bytes or a tuple of bytes, not {}",
        vm.type_name_of(&pos[0])
    )))
}
fn b_startswith(vm: &Vm, args: Args) -> PyResult {
    starts_ends(vm, args, "startswith", false)
}
fn b_endswith(vm: &Vm, args: Args) -> PyResult {
    starts_ends(vm, args, "endswith", true)
}

// ------------------------------------------------------------ ASCII case

macro_rules! b_transform {
    ($fname:ident, $pyname:literal, $f:expr) => {
        fn $fname(vm: &Vm, args: Args) -> PyResult {
            let (kind, me) = this(vm, &args)?;
            arity(vm, args, kind.name(), $pyname, 0, 0, Ar::Exact)?;
            let f: fn(&[u8]) -> Vec<u8> = $f;
            Ok(make(vm, kind, f(&me)))
        }
    };
}
b_transform!(b_lower, "lower", |d| d.to_ascii_lowercase());
b_transform!(b_upper, "upper", |d| d.to_ascii_uppercase());
b_transform!(b_swapcase, "swapcase", |d| d
    .iter()
    .map(|b| if b.is_ascii_lowercase() { b.to_ascii_uppercase() } else { b.to_ascii_lowercase() })
    .collect());
b_transform!(b_title, "title", title_bytes);
b_transform!(b_capitalize, "capitalize", |d| d
    .iter()
    .enumerate()
    .map(|(i, b)| if i == 0 { b.to_ascii_uppercase() } else { b.to_ascii_lowercase() })
    .collect());

macro_rules! b_pred {
    ($fname:ident, $pyname:literal, $f:expr) => {
        fn $fname(vm: &Vm, args: Args) -> PyResult {
            let (kind, me) = this(vm, &args)?;
            arity(vm, args, kind.name(), $pyname, 0, 0, Ar::Exact)?;
            let f: fn(&[u8]) -> bool = $f;
            Ok(Value::Bool(f(&me)))
        }
    };
}
b_pred!(b_isalnum, "isalnum", |d| !d.is_empty() && d.iter().all(|b| b.is_ascii_alphanumeric()));
b_pred!(b_isalpha, "isalpha", |d| !d.is_empty() && d.iter().all(|b| b.is_ascii_alphabetic()));
b_pred!(b_isascii, "isascii", |d| d.is_ascii());
b_pred!(b_isdigit, "isdigit", |d| !d.is_empty() && d.iter().all(|b| b.is_ascii_digit()));
b_pred!(b_isspace, "isspace", |d| !d.is_empty() && d.iter().all(|b| is_ws(*b)));
b_pred!(b_islower, "islower", |d| d.iter().any(|b| b.is_ascii_lowercase()) && !d.iter().any(|b| b.is_ascii_uppercase()));
b_pred!(b_isupper, "isupper", |d| d.iter().any(|b| b.is_ascii_uppercase()) && !d.iter().any(|b| b.is_ascii_lowercase()));
b_pred!(b_istitle, "istitle", istitle_bytes);

// ------------------------------------------------------------ padding

fn pad(vm: &Vm, args: Args, name: &str) -> PyResult {
    let (kind, me) = this(vm, &args)?;
    let pos = arity(vm, args, kind.name(), name, 1, 2, Ar::Expected)?;
    let width = ssize_arg(vm, &pos[0])?;
    let fill = match pos.get(1) {
        None => b' ',
        Some(v) => match opt_buf(v) {
            Some(f) if f.len() == 1 => f[0],
            _ => {
                return Err(vm.new_type_error(format!(
                    "{name}() argument 2 must be a byte string of length 1, not {}",
                    vm.type_name_of(v)
                )))
            }
        },
    };
    let len = me.len() as i64;
    if width <= len {
        return Ok(make(vm, kind, me.into_owned()));
    }
    let marg = (width - len) as usize;
    check_alloc(vm, marg + me.len())?;
    let (left, right) = match name {
        "ljust" => (0, marg),
        "rjust" => (marg, 0),
        _ => {
            let left = marg / 2 + (marg & (width as usize) & 1);
            (left, marg - left)
        }
    };
    let mut out = Vec::with_capacity(width as usize);
    out.resize(left, fill);
    out.extend_from_slice(&me);
    out.resize(out.len() + right, fill);
    Ok(make(vm, kind, out))
}
fn b_center(vm: &Vm, args: Args) -> PyResult {
    pad(vm, args, "center")
}
fn b_ljust(vm: &Vm, args: Args) -> PyResult {
    pad(vm, args, "ljust")
}
fn b_rjust(vm: &Vm, args: Args) -> PyResult {
    pad(vm, args, "rjust")
}

fn b_zfill(vm: &Vm, args: Args) -> PyResult {
    let (kind, me) = this(vm, &args)?;
    let pos = arity(vm, args, kind.name(), "zfill", 1, 1, Ar::Exact)?;
    let width = ssize_arg(vm, &pos[0])?;
    if width <= me.len() as i64 {
        return Ok(make(vm, kind, me.into_owned()));
    }
    let fill = width as usize - me.len();
    check_alloc(vm, width as usize)?;
    let mut out = Vec::with_capacity(width as usize);
    let body: &[u8] = match me.first() {
        Some(b'+') | Some(b'-') => {
            out.push(me[0]);
            &me[1..]
        }
        _ => &me,
    };
    out.resize(out.len() + fill, b'0');
    out.extend_from_slice(body);
    Ok(make(vm, kind, out))
}

fn b_expandtabs(vm: &Vm, args: Args) -> PyResult {
    let (kind, me) = this(vm, &args)?;
    let b = vm.bind_native("expandtabs", rest(args), &["tabsize"], 0, 0, None)?;
    let tabsize = match &b[0] {
        Some(v) => ssize_arg(vm, v)?,
        None => 8,
    };
    let mut out = Vec::with_capacity(me.len());
    let mut col = 0usize;
    for &c in me.iter() {
        match c {
            b'\t' => {
                if tabsize > 0 {
                    let n = tabsize as usize - col % tabsize as usize;
                    check_alloc(vm, out.len() + n)?;
                    out.resize(out.len() + n, b' ');
                    col += n;
                }
            }
            b'\n' | b'\r' => {
                out.push(c);
                col = 0;
            }
            _ => {
                out.push(c);
                col += 1;
            }
        }
    }
    Ok(make(vm, kind, out))
}

// ------------------------------------------------------------ strip / split

fn strip_impl(vm: &Vm, args: Args, name: &str, left: bool, right: bool) -> PyResult {
    let (kind, me) = this(vm, &args)?;
    let pos = arity(vm, args, kind.name(), name, 0, 1, Ar::Expected)?;
    let set: Option<Cow<[u8]>> = match pos.first() {
        None | Some(Value::None) => None,
        Some(v) => Some(buf_arg(vm, v)?),
    };
    let strip = |b: u8| match &set {
        None => is_ws(b),
        Some(s) => s.contains(&b),
    };
    let mut a = 0;
    let mut e = me.len();
    if left {
        while a < e && strip(me[a]) {
            a += 1;
        }
    }
    if right {
        while e > a && strip(me[e - 1]) {
            e -= 1;
        }
    }
    Ok(make(vm, kind, me[a..e].to_vec()))
}
fn b_strip(vm: &Vm, args: Args) -> PyResult {
    strip_impl(vm, args, "strip", true, true)
}
fn b_lstrip(vm: &Vm, args: Args) -> PyResult {
    strip_impl(vm, args, "lstrip", true, false)
}
fn b_rstrip(vm: &Vm, args: Args) -> PyResult {
    strip_impl(vm, args, "rstrip", false, true)
}

fn split_args(vm: &Vm, args: Args, name: &str) -> PyResult<(Option<Vec<u8>>, i64)> {
    let b = vm.bind_native(name, rest(args), &["sep", "maxsplit"], 0, 0, None)?;
    let sep = match &b[0] {
        None | Some(Value::None) => None,
        Some(v) => {
            let s = buf_arg(vm, v)?.into_owned();
            if s.is_empty() {
                return Err(vm.new_value_error("empty separator"));
            }
            Some(s)
        }
    };
    let maxsplit = match &b[1] {
        Some(v) => ssize_arg(vm, v)?,
        None => -1,
    };
    Ok((sep, maxsplit))
}

/// Byte whitespace split: the str algorithm over a Latin-1 view of the bytes.
fn split_ws_bytes(d: &[u8], maxsplit: i64, reverse: bool) -> Vec<Vec<u8>> {
    let text: String = d.iter().map(|&b| b as char).collect();
    let pred = |c: char| (c as u32) < 0x80 && is_ws(c as u8);
    let parts = if reverse {
        crate::types::str_methods::rsplit_ws(&text, maxsplit, pred)
    } else {
        split_ws(&text, maxsplit, pred)
    };
    parts.into_iter().map(|p| p.chars().map(|c| c as u32 as u8).collect()).collect()
}

fn b_split(vm: &Vm, args: Args) -> PyResult {
    let (kind, me) = this(vm, &args)?;
    let (sep, maxsplit) = split_args(vm, args, "split")?;
    let parts: Vec<Vec<u8>> = match sep {
        None => split_ws_bytes(&me, maxsplit, false),
        Some(sep) => {
            let limit = if maxsplit < 0 { usize::MAX } else { maxsplit as usize };
            let mut out = Vec::new();
            let mut last = 0;
            for p in match_positions(&me, &sep, limit) {
                out.push(me[last..p].to_vec());
                last = p + sep.len();
            }
            out.push(me[last..].to_vec());
            out
        }
    };
    Ok(vm.new_list(parts.into_iter().map(|p| make(vm, kind, p)).collect()))
}

fn b_rsplit(vm: &Vm, args: Args) -> PyResult {
    let (kind, me) = this(vm, &args)?;
    let (sep, maxsplit) = split_args(vm, args, "rsplit")?;
    let parts: Vec<Vec<u8>> = match sep {
        None => split_ws_bytes(&me, maxsplit, true),
        Some(sep) => {
            let mut left = if maxsplit < 0 { usize::MAX } else { maxsplit as usize };
            let mut out = Vec::new();
            let mut end = me.len();
            while left > 0 {
                match rfind_bytes(&me[..end], &sep) {
                    Some(p) => {
                        out.push(me[p + sep.len()..end].to_vec());
                        end = p;
                        left -= 1;
                    }
                    None => break,
                }
            }
            out.push(me[..end].to_vec());
            out.reverse();
            out
        }
    };
    Ok(vm.new_list(parts.into_iter().map(|p| make(vm, kind, p)).collect()))
}

fn b_splitlines(vm: &Vm, args: Args) -> PyResult {
    let (kind, me) = this(vm, &args)?;
    let b = vm.bind_native("splitlines", rest(args), &["keepends"], 0, 0, None)?;
    let keep = match &b[0] {
        Some(v) => vm.truthy(&vm.index(v)?)?,
        None => false,
    };
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < me.len() {
        let c = me[i];
        if c == b'\n' || c == b'\r' {
            let mut end = i + 1;
            if c == b'\r' && me.get(i + 1) == Some(&b'\n') {
                end += 1;
            }
            out.push(make(vm, kind, me[start..if keep { end } else { i }].to_vec()));
            start = end;
            i = end;
        } else {
            i += 1;
        }
    }
    if start < me.len() {
        out.push(make(vm, kind, me[start..].to_vec()));
    }
    Ok(vm.new_list(out))
}

fn partition_impl(vm: &Vm, args: Args, name: &str, reverse: bool) -> PyResult {
    let (kind, me) = this(vm, &args)?;
    let pos = arity(vm, args, kind.name(), name, 1, 1, Ar::Exact)?;
    let sep = buf_arg(vm, &pos[0])?;
    if sep.is_empty() {
        return Err(vm.new_value_error("empty separator"));
    }
    let found = if reverse { rfind_bytes(&me, &sep) } else { find_bytes(&me, &sep) };
    let parts: [Vec<u8>; 3] = match found {
        Some(i) => [me[..i].to_vec(), sep.to_vec(), me[i + sep.len()..].to_vec()],
        None if reverse => [vec![], vec![], me.to_vec()],
        None => [me.to_vec(), vec![], vec![]],
    };
    Ok(vm.new_tuple(parts.into_iter().map(|p| make(vm, kind, p)).collect()))
}
fn b_partition(vm: &Vm, args: Args) -> PyResult {
    partition_impl(vm, args, "partition", false)
}
fn b_rpartition(vm: &Vm, args: Args) -> PyResult {
    partition_impl(vm, args, "rpartition", true)
}

fn b_removeprefix(vm: &Vm, args: Args) -> PyResult {
    let (kind, me) = this(vm, &args)?;
    let pos = arity(vm, args, kind.name(), "removeprefix", 1, 1, Ar::Exact)?;
    let p = buf_arg(vm, &pos[0])?;
    Ok(make(vm, kind, me.strip_prefix(&p[..]).unwrap_or(&me).to_vec()))
}
fn b_removesuffix(vm: &Vm, args: Args) -> PyResult {
    let (kind, me) = this(vm, &args)?;
    let pos = arity(vm, args, kind.name(), "removesuffix", 1, 1, Ar::Exact)?;
    let p = buf_arg(vm, &pos[0])?;
    Ok(make(vm, kind, me.strip_suffix(&p[..]).unwrap_or(&me).to_vec()))
}

fn b_replace(vm: &Vm, args: Args) -> PyResult {
    let (kind, me) = this(vm, &args)?;
    let pos = arity(vm, args, kind.name(), "replace", 2, 3, Ar::Expected)?;
    let old = buf_arg(vm, &pos[0])?;
    let new = buf_arg(vm, &pos[1])?;
    let count = match pos.get(2) {
        Some(v) => ssize_arg(vm, v)?,
        None => -1,
    };
    let limit = if count < 0 { usize::MAX } else { count as usize };
    let mut out = Vec::with_capacity(me.len());
    if old.is_empty() {
        let mut n = 0;
        for (i, &c) in me.iter().enumerate() {
            if n >= limit {
                out.extend_from_slice(&me[i..]);
                return Ok(make(vm, kind, out));
            }
            out.extend_from_slice(&new);
            check_alloc(vm, out.len())?;
            n += 1;
            out.push(c);
        }
        if n < limit {
            out.extend_from_slice(&new);
        }
        return Ok(make(vm, kind, out));
    }
    let mut last = 0;
    for p in match_positions(&me, &old, limit) {
        out.extend_from_slice(&me[last..p]);
        out.extend_from_slice(&new);
        check_alloc(vm, out.len())?;
        last = p + old.len();
    }
    out.extend_from_slice(&me[last..]);
    Ok(make(vm, kind, out))
}

fn b_join(vm: &Vm, args: Args) -> PyResult {
    let (kind, me) = this(vm, &args)?;
    let pos = arity(vm, args, kind.name(), "join", 1, 1, Ar::Exact)?;
    if vm.special(&pos[0], Slot::Iter).is_none() && vm.special(&pos[0], Slot::GetItem).is_none() {
        return Err(vm.new_type_error("can only join an iterable"));
    }
    let items = vm.collect_iter(&pos[0])?;
    let mut out = Vec::new();
    for (i, it) in items.iter().enumerate() {
        match opt_buf(it) {
            Some(b) => {
                if i > 0 {
                    out.extend_from_slice(&me);
                }
                out.extend_from_slice(&b);
            }
            None => {
                return Err(vm.new_type_error(format!(
                    "sequence item {i}: expected a bytes-like object, {} found",
                    vm.type_name_of(it)
                )))
            }
        }
    }
    Ok(make(vm, kind, out))
}

fn b_translate(vm: &Vm, args: Args) -> PyResult {
    let (kind, me) = this(vm, &args)?;
    let a = rest(args);
    if a.positional().is_empty() {
        return Err(vm.new_type_error("translate() takes at least 1 positional argument (0 given)"));
    }
    let b = vm.bind_native("translate", a, &["table", "delete"], 1, 1, None)?;
    let table: Option<Vec<u8>> = match &b[0] {
        None | Some(Value::None) => None,
        Some(v) => {
            let t = buf_arg(vm, v)?.into_owned();
            if t.len() != 256 {
                return Err(vm.new_value_error("translation table must be 256 characters long"));
            }
            Some(t)
        }
    };
    let delete: Vec<u8> = match &b[1] {
        None => vec![],
        Some(v) => buf_arg(vm, v)?.into_owned(),
    };
    let out: Vec<u8> = me
        .iter()
        .filter(|c| !delete.contains(c))
        .map(|&c| match &table {
            Some(t) => t[c as usize],
            None => c,
        })
        .collect();
    Ok(make(vm, kind, out))
}

fn b_maketrans(vm: &Vm, args: Args) -> PyResult {
    if args.has_kwargs() {
        return Err(vm.new_type_error("maketrans() takes no keyword arguments"));
    }
    if args.args.len() != 2 {
        return Err(vm.new_type_error(format!("maketrans expected 2 arguments, got {}", args.args.len())));
    }
    let from = buf_arg(vm, &args.args[0])?;
    let to = buf_arg(vm, &args.args[1])?;
    if from.len() != to.len() {
        return Err(vm.new_value_error("maketrans arguments must have same length"));
    }
    let mut table: Vec<u8> = (0..=255u8).collect();
    for (f, t) in from.iter().zip(to.iter()) {
        table[*f as usize] = *t;
    }
    Ok(vm.new_bytes(table))
}

// ------------------------------------------------------------ hex / decode

fn b_hex(vm: &Vm, args: Args) -> PyResult {
    let (_, me) = this(vm, &args)?;
    let b = vm.bind_native("hex", rest(args), &["sep", "bytes_per_sep"], 0, 0, None)?;
    let sep: Option<u8> = match &b[0] {
        None => None,
        Some(v) => {
            let s: Vec<u32> = if let Some(t) = v.payload().and_then(|p| p.as_str()) {
                t.as_str().chars().map(|c| c as u32).collect()
            } else if let Some(bb) = opt_buf(v) {
                bb.iter().map(|&x| x as u32).collect()
            } else {
                return Err(vm.new_type_error(format!("object of type '{}' has no len()", vm.type_name_of(v))));
            };
            if s.len() != 1 {
                return Err(vm.new_value_error("sep must be length 1."));
            }
            if s[0] > 0x7f {
                return Err(vm.new_value_error("sep must be ASCII."));
            }
            Some(s[0] as u8)
        }
    };
    let per = match &b[1] {
        Some(v) => ssize_arg(vm, v)?,
        None => 1,
    };
    Ok(vm.new_str(hex_string(&me, sep, per)))
}

/// `bytes.fromhex(s)` / `bytearray.fromhex(s)` (a class method).
fn b_fromhex(vm: &Vm, args: Args) -> PyResult {
    let cls = args.positional().first().and_then(|v| v.as_obj()).cloned();
    let cls = cls.ok_or_else(|| vm.new_type_error("fromhex needs a class"))?;
    let is_ba = vm.is_subtype(&cls, &vm.types.bytearray);
    let tname = if is_ba { "bytearray" } else { "bytes" };
    let pos = arity(vm, args, tname, "fromhex", 1, 1, Ar::Exact)?;
    let s = pos[0].payload().and_then(|p| p.as_str()).ok_or_else(|| {
        vm.new_type_error(format!("fromhex() argument must be str, not {}", vm.type_name_of(&pos[0])))
    })?;
    let chars: Vec<char> = s.as_str().chars().collect();
    let mut out = Vec::with_capacity(chars.len() / 2);
    let mut i = 0;
    let bad = |i: usize| vm.new_value_error(format!("non-hexadecimal number found in fromhex() arg at position {i}"));
    while i < chars.len() {
        if chars[i].is_ascii_whitespace() || chars[i] == '\x0b' {
            i += 1;
            continue;
        }
        let hi = chars[i].to_digit(16).filter(|_| chars[i].is_ascii()).ok_or_else(|| bad(i))?;
        let lo = chars
            .get(i + 1)
            .and_then(|c| if c.is_ascii() { c.to_digit(16) } else { None })
            .ok_or_else(|| bad(i + 1))?;
        out.push((hi * 16 + lo) as u8);
        i += 2;
    }
    let v = if is_ba { new_bytearray(vm, out) } else { vm.new_bytes(out) };
    if cls.is(&vm.types.bytes) || cls.is(&vm.types.bytearray) {
        return Ok(v);
    }
    vm.call(&Value::Obj(cls), Args::new(&[v]))
}

fn b_decode(vm: &Vm, args: Args) -> PyResult {
    let (_, me) = this(vm, &args)?;
    let b = vm.bind_native("decode", rest(args), &["encoding", "errors"], 0, 0, None)?;
    let get = |v: &Option<Value>, what: &str, default: &str| -> PyResult<String> {
        match v {
            None => Ok(default.to_string()),
            Some(v) => match v.payload().and_then(|p| p.as_str()) {
                Some(s) => Ok(s.as_str().to_string()),
                None => Err(vm.new_type_error(format!(
                    "decode() argument '{what}' must be str, not {}",
                    vm.type_name_of(v)
                ))),
            },
        }
    };
    let enc = get(&b[0], "encoding", "utf-8")?;
    let errors = get(&b[1], "errors", "strict")?;
    let s = crate::types::str_codecs::decode(vm, &args.args[0], &me, &enc, &errors)?;
    Ok(s.into_value(vm))
}

// ------------------------------------------------------------ dunders

fn b_repr(vm: &Vm, args: Args) -> PyResult {
    let (kind, me) = this(vm, &args)?;
    arity(vm, args, kind.name(), "__repr__", 0, 0, Ar::Exact)?;
    Ok(vm.new_str(match kind {
        Kind::Bytes => bytes_repr(&me),
        Kind::ByteArray => format!("{}({})", vm.type_name_of(&args.args[0]), crate::types::text_util::bytes_repr_with(&me, true)),
    }))
}

fn b_len(vm: &Vm, args: Args) -> PyResult {
    let (kind, me) = this(vm, &args)?;
    arity(vm, args, kind.name(), "__len__", 0, 0, Ar::Exact)?;
    Ok(Value::Int(me.len() as i64))
}

fn b_hash(vm: &Vm, args: Args) -> PyResult {
    this(vm, &args)?;
    dunder_args(vm, args, 0)?;
    match args.args[0].payload().map(|p| p.base()) {
        Some(Payload::Bytes(b)) => Ok(Value::Int(bytes_hash(b))),
        _ => Err(vm.new_type_error(format!("unhashable type: '{}'", vm.type_name_of(&args.args[0])))),
    }
}

/// The (cached) hash of a bytes object, equal to CPython's.
pub fn bytes_hash(b: &BytesData) -> i64 {
    let h = b.hash.get();
    if h != -1 {
        return h;
    }
    let h = crate::types::str::siphash_bytes(&b.bytes);
    b.hash.set(h);
    h
}

fn b_sizeof(vm: &Vm, args: Args) -> PyResult {
    let (kind, _) = this(vm, &args)?;
    arity(vm, args, kind.name(), "__sizeof__", 0, 0, Ar::Exact)?;
    Ok(Value::Int(crate::object_size::own_size(&args.args[0]) as i64))
}

fn b_getnewargs(vm: &Vm, args: Args) -> PyResult {
    let (kind, me) = this(vm, &args)?;
    arity(vm, args, kind.name(), "__getnewargs__", 0, 0, Ar::Exact)?;
    Ok(vm.new_tuple(vec![vm.new_bytes(me.into_owned())]))
}

fn b_bytes(vm: &Vm, args: Args) -> PyResult {
    let (kind, me) = this(vm, &args)?;
    arity(vm, args, kind.name(), "__bytes__", 0, 0, Ar::Exact)?;
    match &args.args[0] {
        Value::Obj(o) if o.class().is(&vm.types.bytes) => Ok(args.args[0].clone()),
        _ => Ok(vm.new_bytes(me.into_owned())),
    }
}

fn b_cmp(vm: &Vm, args: Args, f: fn(std::cmp::Ordering) -> bool) -> PyResult {
    let (_, me) = this(vm, &args)?;
    let pos = dunder_args(vm, args, 1)?;
    match opt_buf(&pos[0]) {
        Some(o) => Ok(Value::Bool(f(me[..].cmp(&o[..])))),
        None => Ok(vm.not_implemented()),
    }
}
fn b_eq(vm: &Vm, args: Args) -> PyResult {
    b_cmp(vm, args, |o| o.is_eq())
}
fn b_ne(vm: &Vm, args: Args) -> PyResult {
    b_cmp(vm, args, |o| o.is_ne())
}
fn b_lt(vm: &Vm, args: Args) -> PyResult {
    b_cmp(vm, args, |o| o.is_lt())
}
fn b_le(vm: &Vm, args: Args) -> PyResult {
    b_cmp(vm, args, |o| o.is_le())
}
fn b_gt(vm: &Vm, args: Args) -> PyResult {
    b_cmp(vm, args, |o| o.is_gt())
}
fn b_ge(vm: &Vm, args: Args) -> PyResult {
    b_cmp(vm, args, |o| o.is_ge())
}

fn b_contains(vm: &Vm, args: Args) -> PyResult {
    let (_, me) = this(vm, &args)?;
    let pos = dunder_args(vm, args, 1)?;
    if is_index(vm, &pos[0]) {
        let b = byte_value(vm, &pos[0])?;
        return Ok(Value::Bool(me.contains(&b)));
    }
    let sub = buf_arg(vm, &pos[0])?;
    Ok(Value::Bool(find_bytes(&me, &sub).is_some()))
}

fn b_add(vm: &Vm, args: Args) -> PyResult {
    let (kind, me) = this(vm, &args)?;
    let pos = dunder_args(vm, args, 1)?;
    match opt_buf(&pos[0]) {
        Some(o) => {
            check_alloc(vm, me.len() + o.len())?;
            let mut out = Vec::with_capacity(me.len() + o.len());
            out.extend_from_slice(&me);
            out.extend_from_slice(&o);
            Ok(make(vm, kind, out))
        }
        None if defer_to_reflected(vm, &pos[0], Slot::RAdd) => Ok(vm.not_implemented()),
        None => Err(vm.new_type_error(format!("can't concat {} to {}", vm.type_name_of(&pos[0]), kind.name()))),
    }
}

pub(crate) fn repeat_bytes(vm: &Vm, kind: Kind, me: &[u8], n: &Value, reflected: bool) -> PyResult<Option<Vec<u8>>> {
    if !is_index(vm, n) {
        if !reflected && defer_to_reflected(vm, n, Slot::RMul) {
            return Ok(None);
        }
        return Err(vm.new_type_error(format!(
            "can't multiply sequence by non-int of type '{}'",
            vm.type_name_of(n)
        )));
    }
    let too_long = if kind == Kind::Bytes { Some("repeated bytes are too long") } else { None };
    Ok(Some(match repeat_size(vm, me.len(), n, too_long)? {
        None => Vec::new(),
        Some(total) => me.repeat(total / me.len().max(1)),
    }))
}

fn b_mul_impl(vm: &Vm, args: Args, reflected: bool) -> PyResult {
    let (kind, me) = this(vm, &args)?;
    let me_value = args.positional()[0].clone();
    let pos = dunder_args(vm, args, 1)?;
    match repeat_bytes(vm, kind, &me, &pos[0], reflected)? {
        // `b * 1` is `b` itself for exact bytes, as in CPython.
        Some(out) if out.len() == me.len() && vm.class_of(&me_value).is(&vm.types.bytes) => Ok(me_value),
        Some(out) => Ok(make(vm, kind, out)),
        None => Ok(vm.not_implemented()),
    }
}
fn b_mul(vm: &Vm, args: Args) -> PyResult {
    b_mul_impl(vm, args, false)
}
fn b_rmul(vm: &Vm, args: Args) -> PyResult {
    b_mul_impl(vm, args, true)
}

fn b_mod(vm: &Vm, args: Args) -> PyResult {
    let (kind, me) = this(vm, &args)?;
    let pos = dunder_args(vm, args, 1)?;
    let out = crate::types::str_percent::bytes_mod(vm, &me, &pos[0])?;
    Ok(make(vm, kind, out))
}
fn b_rmod(vm: &Vm, args: Args) -> PyResult {
    this(vm, &args)?;
    dunder_args(vm, args, 1)?;
    Ok(vm.not_implemented())
}

fn b_getitem(vm: &Vm, args: Args) -> PyResult {
    let (kind, me) = this(vm, &args)?;
    let pos = dunder_args(vm, args, 1)?;
    let key = &pos[0];
    if let Some(Payload::Slice(_)) = key.payload() {
        let (start, _, step, n) = slice_indices(vm, key, me.len())?;
        let out: Vec<u8> = if step == 1 {
            me[start as usize..start as usize + n].to_vec()
        } else {
            (0..n as i64).map(|k| me[(start + k * step) as usize]).collect()
        };
        return Ok(make(vm, kind, out));
    }
    if !is_index(vm, key) {
        return Err(vm.new_type_error(format!(
            "{} indices must be integers or slices, not {}",
            if kind == Kind::Bytes { "byte" } else { "bytearray" },
            vm.type_name_of(key)
        )));
    }
    let msg = if kind == Kind::Bytes { "index out of range" } else { "bytearray index out of range" };
    let i = match vm.index(key)? {
        Value::Int(i) => i,
        _ => return Err(vm.new_index_error("cannot fit 'int' into an index-sized integer")),
    };
    let j = if i < 0 { i + me.len() as i64 } else { i };
    if j < 0 || j >= me.len() as i64 {
        return Err(vm.new_index_error(msg));
    }
    Ok(Value::Int(me[j as usize] as i64))
}

fn b_iter(vm: &Vm, args: Args) -> PyResult {
    this(vm, &args)?;
    dunder_args(vm, args, 0)?;
    let bytearray = matches!(args.args[0].payload().map(|p| p.base()), Some(Payload::ByteArray(_)));
    Ok(Value::Obj(PyRef::new(
        if bytearray { vm.types.bytearray_iterator.clone() } else { vm.types.bytes_iterator.clone() },
        Payload::Iter(Box::new(RefCell::new(IterState::Bytes { data: Some(args.args[0].clone()), index: 0 }))),
    )))
}

// ------------------------------------------------------------ construction

/// The content `bytes(source, encoding, errors)` / `bytearray(...)` builds.
pub(crate) fn bytes_from_args(vm: &Vm, args: Args, kind: Kind) -> PyResult<Vec<u8>> {
    let b = vm.bind_native(kind.name(), args, &["source", "encoding", "errors"], 0, 0, None)?;
    let getstr = |v: &Option<Value>, what: &str| -> PyResult<Option<String>> {
        match v {
            None => Ok(None),
            Some(v) => match v.payload().and_then(|p| p.as_str()) {
                Some(s) => Ok(Some(s.as_str().to_string())),
                None => Err(vm.new_type_error(format!(
                    "{}() argument '{what}' must be str, not {}",
                    kind.name(),
                    vm.type_name_of(v)
                ))),
            },
        }
    };
    let enc = getstr(&b[1], "encoding")?;
    let errors = getstr(&b[2], "errors")?;
    let src = match &b[0] {
        None => {
            if enc.is_some() {
                return Err(vm.new_type_error("encoding without a string argument"));
            }
            if errors.is_some() {
                return Err(vm.new_type_error("errors without a string argument"));
            }
            return Ok(Vec::new());
        }
        Some(v) => v.clone(),
    };
    // __bytes__ comes first, even on a str subclass.
    if kind == Kind::Bytes && enc.is_none() && errors.is_none() {
        if let Some(d) = dunder_bytes_vec(vm, &src)? {
            return Ok(d);
        }
    }
    if let Some(s) = src.payload().and_then(|p| p.as_str()) {
        let enc = enc.ok_or_else(|| vm.new_type_error("string argument without an encoding"))?;
        return crate::types::str_codecs::encode(vm, &src, s.as_str(), &enc, errors.as_deref().unwrap_or("strict"));
    }
    if enc.is_some() {
        return Err(vm.new_type_error("encoding without a string argument"));
    }
    if errors.is_some() {
        return Err(vm.new_type_error("errors without a string argument"));
    }
    if let Some(d) = opt_buf(&src) {
        return Ok(d.into_owned());
    }
    if is_index(vm, &src) {
        let n = match vm.index(&src)? {
            Value::Int(n) => n,
            _ => return Err(vm.new_overflow_error("cannot fit 'int' into an index-sized integer")),
        };
        if n < 0 {
            return Err(vm.new_value_error("negative count"));
        }
        check_alloc(vm, n as usize)?;
        return Ok(vec![0; n as usize]);
    }
    if vm.special(&src, Slot::Iter).is_none() && vm.special(&src, Slot::GetItem).is_none() {
        return Err(vm.new_type_error(format!(
            "cannot convert '{}' object to {}",
            vm.type_name_of(&src),
            kind.name()
        )));
    }
    ints_to_bytes(vm, &src, kind)
}

/// `src.__bytes__()` if its type has one: a bytes (subclass) instance,
/// else TypeError.
pub(crate) fn dunder_bytes(vm: &Vm, src: &Value) -> PyResult<Option<Value>> {
    match vm.call_special(src, Slot::Bytes, &[])? {
        Some(r) if r.payload().and_then(|p| p.as_bytes()).is_some() => Ok(Some(r)),
        Some(r) => Err(vm.new_type_error(format!("__bytes__ returned non-bytes (type {})", vm.type_name_of(&r)))),
        None => Ok(None),
    }
}

/// The bytes of `src.__bytes__()`, as `dunder_bytes`.
pub(crate) fn dunder_bytes_vec(vm: &Vm, src: &Value) -> PyResult<Option<Vec<u8>>> {
    Ok(dunder_bytes(vm, src)?.map(|r| r.payload().and_then(|p| p.as_bytes()).unwrap_or_default().to_vec()))
}

/// The bytes of an iterable of ints (each 0..=255).
pub(crate) fn ints_to_bytes(vm: &Vm, src: &Value, kind: Kind) -> PyResult<Vec<u8>> {
    // Item by item: an item's __index__ may change a list being read.
    let iter = vm.iter(src)?;
    let mut out = Vec::new();
    while let Some(it) = vm.next(&iter)? {
        let i = vm.index(&it)?;
        match i {
            Value::Int(n) if (0..256).contains(&n) => out.push(n as u8),
            _ => {
                return Err(vm.new_value_error(if kind == Kind::Bytes {
                    "bytes must be in range(0, 256)"
                } else {
                    "byte must be in range(0, 256)"
                }))
            }
        }
    }
    Ok(out)
}

fn bytes_new(vm: &Vm, args: Args) -> PyResult {
    let cls = match args.positional().first().and_then(|c| c.as_obj()) {
        Some(c) if c.payload.as_type().is_some() => c.clone(),
        _ => return Err(vm.new_type_error("bytes.__new__(X): X is not a type object")),
    };
    let inner = rest(args);
    // `bytes(x)` is what x.__bytes__() returns, a subclass instance too.
    if let ([src], [], true) = (inner.args, inner.kwnames, cls.is(&vm.types.bytes)) {
        if let Some(r) = dunder_bytes(vm, src)? {
            return Ok(r);
        }
    }
    let data = bytes_from_args(vm, inner, Kind::Bytes)?;
    let payload = Payload::Bytes(Box::new(BytesData { bytes: data.into_boxed_slice(), hash: Cell::new(-1) }));
    if cls.is(&vm.types.bytes) {
        return Ok(Value::Obj(PyRef::new(cls, payload)));
    }
    Ok(Value::Obj(crate::types::str_methods::new_subclass_instance(&cls, payload)))
}

/// Methods shared by bytes and bytearray (registered on both).
pub static SHARED_METHODS: &[NativeDef] = &[
    NativeDef::method("__repr__", b_repr),
    NativeDef::method("__str__", b_repr),
    NativeDef::method("__len__", b_len),
    NativeDef::method("__sizeof__", b_sizeof).doc("__sizeof__($self, /)\n--\n\nReturns the size of the bytearray object in memory, in bytes."),
    NativeDef::method("__eq__", b_eq),
    NativeDef::method("__ne__", b_ne),
    NativeDef::method("__lt__", b_lt),
    NativeDef::method("__le__", b_le),
    NativeDef::method("__gt__", b_gt),
    NativeDef::method("__ge__", b_ge),
    NativeDef::method("__contains__", b_contains),
    NativeDef::method("__add__", b_add),
    NativeDef::method("__mul__", b_mul),
    NativeDef::method("__rmul__", b_rmul),
    NativeDef::method("__mod__", b_mod),
    NativeDef::method("__rmod__", b_rmod),
    NativeDef::method("__getitem__", b_getitem),
    NativeDef::method("__iter__", b_iter),
    NativeDef::classmethod("fromhex", b_fromhex).doc("fromhex($type, string, /)\n--\n\nCreate a bytes object from a string of hexadecimal numbers."),
    NativeDef::staticmethod("maketrans", b_maketrans).doc("maketrans(frm, to, /)\n--\n\nReturn a translation table useable for the bytes or bytearray translate method."),
    NativeDef::method("capitalize", b_capitalize).doc("B.capitalize() -> copy of B"),
    NativeDef::method("center", b_center).doc("center($self, width, fillchar=b' ', /)\n--\n\nReturn a centered string of length width."),
    NativeDef::method("count", b_count).doc("B.count(sub[, start[, end]]) -> int"),
    NativeDef::method("decode", b_decode).doc("decode($self, /, encoding='utf-8', errors='strict')\n--\n\nDecode the bytes using the codec registered for encoding."),
    NativeDef::method("endswith", b_endswith).doc("B.endswith(suffix[, start[, end]]) -> bool"),
    NativeDef::method("expandtabs", b_expandtabs).doc("expandtabs($self, /, tabsize=8)\n--\n\nReturn a copy where all tab characters are expanded using spaces."),
    NativeDef::method("find", b_find).doc("B.find(sub[, start[, end]]) -> int"),
    NativeDef::method("hex", b_hex).doc("hex($self, /, sep=<unrepresentable>, bytes_per_sep=1)\n--\n\nCreate a string of hexadecimal numbers from a bytes object."),
    NativeDef::method("index", b_index).doc("B.index(sub[, start[, end]]) -> int"),
    NativeDef::method("isalnum", b_isalnum).doc("B.isalnum() -> bool"),
    NativeDef::method("isalpha", b_isalpha).doc("B.isalpha() -> bool"),
    NativeDef::method("isascii", b_isascii).doc("B.isascii() -> bool"),
    NativeDef::method("isdigit", b_isdigit).doc("B.isdigit() -> bool"),
    NativeDef::method("islower", b_islower).doc("B.islower() -> bool"),
    NativeDef::method("isspace", b_isspace).doc("B.isspace() -> bool"),
    NativeDef::method("istitle", b_istitle).doc("B.istitle() -> bool"),
    NativeDef::method("isupper", b_isupper).doc("B.isupper() -> bool"),
    NativeDef::method("join", b_join).doc("join($self, iterable_of_bytes, /)\n--\n\nConcatenate any number of bytes objects."),
    NativeDef::method("ljust", b_ljust).doc("ljust($self, width, fillchar=b' ', /)\n--\n\nReturn a left-justified string of length width."),
    NativeDef::method("lower", b_lower).doc("B.lower() -> copy of B"),
    NativeDef::method("lstrip", b_lstrip).doc("lstrip($self, bytes=None, /)\n--\n\nStrip leading bytes contained in the argument."),
    NativeDef::method("partition", b_partition).doc("partition($self, sep, /)\n--\n\nPartition the bytes into three parts using the given separator."),
    NativeDef::method("removeprefix", b_removeprefix).doc("removeprefix($self, prefix, /)\n--\n\nReturn a bytes object with the given prefix string removed if present."),
    NativeDef::method("removesuffix", b_removesuffix).doc("removesuffix($self, suffix, /)\n--\n\nReturn a bytes object with the given suffix string removed if present."),
    NativeDef::method("replace", b_replace).doc("replace($self, old, new, count=-1, /)\n--\n\nReturn a copy with all occurrences of substring old replaced by new."),
    NativeDef::method("rfind", b_rfind).doc("B.rfind(sub[, start[, end]]) -> int"),
    NativeDef::method("rindex", b_rindex).doc("B.rindex(sub[, start[, end]]) -> int"),
    NativeDef::method("rjust", b_rjust).doc("rjust($self, width, fillchar=b' ', /)\n--\n\nReturn a right-justified string of length width."),
    NativeDef::method("rpartition", b_rpartition).doc("rpartition($self, sep, /)\n--\n\nPartition the bytes into three parts using the given separator."),
    NativeDef::method("rsplit", b_rsplit).doc("rsplit($self, /, sep=None, maxsplit=-1)\n--\n\nReturn a list of the sections in the bytes, using sep as the delimiter."),
    NativeDef::method("rstrip", b_rstrip).doc("rstrip($self, bytes=None, /)\n--\n\nStrip trailing bytes contained in the argument."),
    NativeDef::method("split", b_split).doc("split($self, /, sep=None, maxsplit=-1)\n--\n\nReturn a list of the sections in the bytes, using sep as the delimiter."),
    NativeDef::method("splitlines", b_splitlines).doc("splitlines($self, /, keepends=False)\n--\n\nReturn a list of the lines in the bytes, breaking at line boundaries."),
    NativeDef::method("startswith", b_startswith).doc("B.startswith(prefix[, start[, end]]) -> bool"),
    NativeDef::method("strip", b_strip).doc("strip($self, bytes=None, /)\n--\n\nStrip leading and trailing bytes contained in the argument."),
    NativeDef::method("swapcase", b_swapcase).doc("B.swapcase() -> copy of B"),
    NativeDef::method("title", b_title).doc("B.title() -> copy of B"),
    NativeDef::method("translate", b_translate).doc("translate($self, table, /, delete=b'')\n--\n\nReturn a copy with each character mapped by the given translation table."),
    NativeDef::method("upper", b_upper).doc("B.upper() -> copy of B"),
    NativeDef::method("zfill", b_zfill).doc("zfill($self, width, /)\n--\n\nPad a numeric string with zeros on the left, to fill a field of the given width."),
];

/// Methods of bytes only.
static BYTES_METHODS: &[NativeDef] = &[
    NativeDef::staticmethod("__new__", bytes_new),
    NativeDef::method("__hash__", b_hash),
    NativeDef::method("__getnewargs__", b_getnewargs),
    NativeDef::method("__bytes__", b_bytes).doc("__bytes__($self, /)\n--\n\nConvert this value to exact type bytes."),
];

/// Registers bytes' methods.
pub fn init(vm: &Vm) {
    crate::types::add_methods(vm, &vm.types.bytes, SHARED_METHODS);
    crate::types::add_methods(vm, &vm.types.bytes, BYTES_METHODS);
}
