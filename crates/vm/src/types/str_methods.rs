//! The Python-visible methods of `str` (the data type itself is in `str.rs`),
//! plus the argument helpers that `bytes`/`bytearray` share: arity checks with
//! CPython's messages, slice and start/end index normalisation, and building
//! instances of subclasses of builtin types.
//!
//! Predicates and case mapping come from `krait_text::unicode` (CPython's
//! tables), never from Rust's `char` methods, whose Unicode version and
//! definitions differ.

use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::function::{Args, NativeDef};
use crate::types::iter::IterState;
use crate::types::str::PyStr;
use crate::value::Value;
use crate::{PyResult, Vm};
use krait_text::unicode as uni;
use std::cell::RefCell;

pub(crate) use crate::types::text_util::*;

// ------------------------------------------------------------ str helpers

/// `self` of a str method.
fn this<'a>(vm: &Vm, args: &Args<'a>) -> PyResult<&'a PyStr> {
    args.positional()
        .first()
        .and_then(|v| v.payload())
        .and_then(|p| p.as_str())
        .ok_or_else(|| vm.new_type_error("descriptor requires a 'str' object"))
}

/// A str argument, or TypeError "must be str, not int" (`prefix` prepends
/// the function-specific part of the message).
fn str_arg<'a>(vm: &Vm, v: &'a Value, prefix: &str) -> PyResult<&'a PyStr> {
    v.payload()
        .and_then(|p| p.as_str())
        .ok_or_else(|| vm.new_type_error(format!("{prefix}must be str, not {}", vm.type_name_of(v))))
}

fn s(vm: &Vm, text: impl AsRef<str>) -> Value {
    vm.new_str(text)
}

/// A new exact str of known length in code points.
fn s_counted(vm: &Vm, text: impl AsRef<str>, char_len: usize) -> Value {
    Value::Obj(PyRef::new_str(vm.types.str.clone(), text.as_ref(), char_len))
}

/// Byte offset of code point `i` (clamped to the end).
fn boff(ps: &PyStr, i: usize) -> usize {
    if i >= ps.char_len() {
        ps.as_str().len()
    } else {
        ps.byte_offset(i)
    }
}

/// Code-point index of byte offset `b`.
fn cidx(ps: &PyStr, b: usize) -> usize {
    if ps.is_ascii() {
        b
    } else {
        ps.as_str()[..b].chars().count()
    }
}

/// Parses `sub[, start[, end]]` and returns (sub, start, end) in code points,
/// already adjusted; None when the range cannot contain `sub`.
fn sub_range<'a>(
    vm: &Vm,
    args: Args<'a>,
    name: &str,
) -> PyResult<(&'a PyStr, &'a PyStr, usize, usize)> {
    let me = this(vm, &args)?;
    let pos = arity(vm, args, "str", name, 1, 3, Ar::Takes)?;
    let sub = str_arg(vm, &pos[0], "")?;
    let start = slice_index(vm, pos.get(1))?;
    let end = slice_index(vm, pos.get(2))?;
    let (st, en) = adjust_indices(start, end, me.char_len());
    Ok((me, sub, st, en))
}

fn find_impl(vm: &Vm, args: Args, name: &str, reverse: bool) -> PyResult<i64> {
    let (me, sub, st, en) = sub_range(vm, args, name)?;
    if en < st || en - st < sub.char_len() {
        return Ok(-1);
    }
    let (bs, be) = (boff(me, st), boff(me, en));
    let hay = &me.as_str()[bs..be];
    let found = if reverse { hay.rfind(sub.as_str()) } else { hay.find(sub.as_str()) };
    Ok(match found {
        Some(p) => (st + cidx(me, bs + p) - cidx(me, bs)) as i64,
        None => -1,
    })
}

fn str_find(vm: &Vm, args: Args) -> PyResult {
    find_impl(vm, args, "find", false).map(Value::Int)
}
fn str_rfind(vm: &Vm, args: Args) -> PyResult {
    find_impl(vm, args, "rfind", true).map(Value::Int)
}
fn str_index(vm: &Vm, args: Args) -> PyResult {
    match find_impl(vm, args, "index", false)? {
        -1 => Err(vm.new_value_error("substring not found")),
        i => Ok(Value::Int(i)),
    }
}
fn str_rindex(vm: &Vm, args: Args) -> PyResult {
    match find_impl(vm, args, "rindex", true)? {
        -1 => Err(vm.new_value_error("substring not found")),
        i => Ok(Value::Int(i)),
    }
}

fn str_count(vm: &Vm, args: Args) -> PyResult {
    let (me, sub, st, en) = sub_range(vm, args, "count")?;
    if en < st || en - st < sub.char_len() {
        return Ok(Value::Int(0));
    }
    if sub.char_len() == 0 {
        return Ok(Value::Int((en - st + 1) as i64));
    }
    let hay = &me.as_str()[boff(me, st)..boff(me, en)];
    Ok(Value::Int(hay.matches(sub.as_str()).count() as i64))
}

fn starts_ends(vm: &Vm, args: Args, name: &str, ends: bool) -> PyResult {
    let me = this(vm, &args)?;
    let pos = arity(vm, args, "str", name, 1, 3, Ar::Takes)?;
    let start = slice_index(vm, pos.get(1))?;
    let end = slice_index(vm, pos.get(2))?;
    let (st, en) = adjust_indices(start, end, me.char_len());
    let test = |p: &PyStr| -> bool {
        let plen = p.char_len();
        if en < st || en - st < plen {
            return false;
        }
        let hay = &me.as_str()[boff(me, st)..boff(me, en)];
        if ends {
            hay.ends_with(p.as_str())
        } else {
            hay.starts_with(p.as_str())
        }
    };
    if let Some(p) = pos[0].payload().and_then(|p| p.as_str()) {
        return Ok(Value::Bool(test(p)));
    }
    if let Some(items) = pos[0].payload().and_then(|p| p.as_tuple()) {
        for it in items {
            match it.payload().and_then(|p| p.as_str()) {
                Some(p) => {
                    if test(p) {
                        return Ok(Value::Bool(true));
                    }
                }
                None => {
                    return Err(vm.new_type_error(format!(
                        "tuple for {name} must only contain str, not {}",
                        vm.type_name_of(it)
                    )))
                }
            }
        }
        return Ok(Value::Bool(false));
    }
    Err(vm.new_type_error(format!(
        "{name} first arg must be str or a tuple of str, not {}",
        vm.type_name_of(&pos[0])
    )))
}
fn str_startswith(vm: &Vm, args: Args) -> PyResult {
    starts_ends(vm, args, "startswith", false)
}
fn str_endswith(vm: &Vm, args: Args) -> PyResult {
    starts_ends(vm, args, "endswith", true)
}

// ------------------------------------------------------------ case & predicates

macro_rules! str_transform {
    ($fname:ident, $pyname:literal, $f:expr) => {
        fn $fname(vm: &Vm, args: Args) -> PyResult {
            let me = this(vm, &args)?;
            arity(vm, args, "str", $pyname, 0, 0, Ar::Exact)?;
            let f: fn(&str) -> String = $f;
            Ok(s(vm, f(me.as_str())))
        }
    };
}

/// `lower`/`upper`: ASCII text is mapped straight into the new object.
macro_rules! str_case {
    ($fname:ident, $pyname:literal, $ascii:expr, $f:expr) => {
        fn $fname(vm: &Vm, args: Args) -> PyResult {
            let me = this(vm, &args)?;
            arity(vm, args, "str", $pyname, 0, 0, Ar::Exact)?;
            if me.is_ascii() {
                let text = me.as_str();
                let out = PyRef::new_str_with(vm.types.str.clone(), text.len(), text.len(), |w| {
                    w.push_ascii_mapped(text, $ascii)
                });
                return Ok(Value::Obj(out));
            }
            let f: fn(&str) -> String = $f;
            Ok(s(vm, f(me.as_str())))
        }
    };
}
str_case!(str_lower, "lower", |b: u8| b.to_ascii_lowercase(), uni::str_lower);
str_case!(str_upper, "upper", |b: u8| b.to_ascii_uppercase(), uni::str_upper);
str_transform!(str_casefold, "casefold", uni::str_casefold);
str_transform!(str_swapcase, "swapcase", uni::str_swapcase);
str_transform!(str_capitalize, "capitalize", uni::str_capitalize);

/// `str.title()`; ASCII text (where the cased characters are the letters)
/// is mapped straight into the new object.
fn str_title(vm: &Vm, args: Args) -> PyResult {
    let me = this(vm, &args)?;
    arity(vm, args, "str", "title", 0, 0, Ar::Exact)?;
    let text = me.as_str();
    if !me.is_ascii() {
        return Ok(s(vm, uni::str_title(text)));
    }
    let previous_is_cased = std::cell::Cell::new(false);
    let out = PyRef::new_str_with(vm.types.str.clone(), text.len(), text.len(), |w| {
        w.push_ascii_mapped(text, |b| {
            let mapped = if previous_is_cased.get() { b.to_ascii_lowercase() } else { b.to_ascii_uppercase() };
            previous_is_cased.set(b.is_ascii_alphabetic());
            mapped
        })
    });
    Ok(Value::Obj(out))
}

macro_rules! str_pred {
    ($fname:ident, $pyname:literal, $f:expr) => {
        fn $fname(vm: &Vm, args: Args) -> PyResult {
            let me = this(vm, &args)?;
            arity(vm, args, "str", $pyname, 0, 0, Ar::Exact)?;
            let f: fn(&str) -> bool = $f;
            Ok(Value::Bool(f(me.as_str())))
        }
    };
}
str_pred!(str_isalnum, "isalnum", uni::str_isalnum);
str_pred!(str_isalpha, "isalpha", uni::str_isalpha);
str_pred!(str_isascii, "isascii", |s: &str| s.is_ascii());
str_pred!(str_isdecimal, "isdecimal", uni::str_isdecimal);
str_pred!(str_isdigit, "isdigit", uni::str_isdigit);
str_pred!(str_isidentifier, "isidentifier", uni::str_isidentifier);
str_pred!(str_islower, "islower", uni::str_islower);
str_pred!(str_isnumeric, "isnumeric", uni::str_isnumeric);
/// A lone surrogate (category Cs) is not printable; U+FFFD, which stands
/// in the text for it, is.
fn str_isprintable(vm: &Vm, args: Args) -> PyResult {
    let me = this(vm, &args)?;
    arity(vm, args, "str", "isprintable", 0, 0, Ar::Exact)?;
    Ok(Value::Bool(!me.has_surrogates() && uni::str_isprintable(me.as_str())))
}
str_pred!(str_isspace, "isspace", uni::str_isspace);
str_pred!(str_istitle, "istitle", uni::str_istitle);
str_pred!(str_isupper, "isupper", uni::str_isupper);

// ------------------------------------------------------------ padding

/// The fill character argument of center/ljust/rjust.
fn fill_arg(vm: &Vm, v: Option<&Value>) -> PyResult<char> {
    let v = match v {
        None => return Ok(' '),
        Some(v) => v,
    };
    match v.payload().and_then(|p| p.as_str()) {
        Some(f) if f.char_len() == 1 => Ok(f.as_str().chars().next().unwrap_or(' ')),
        Some(_) => Err(vm.new_type_error("The fill character must be exactly one character long")),
        None => Err(vm.new_type_error(format!(
            "The fill character must be a unicode character, not {}",
            vm.type_name_of(v)
        ))),
    }
}

fn pad(vm: &Vm, args: Args, name: &str) -> PyResult {
    let me = this(vm, &args)?;
    let pos = arity(vm, args, "str", name, 1, 2, Ar::Expected)?;
    let width = ssize_arg(vm, &pos[0])?;
    let fill = fill_arg(vm, pos.get(1))?;
    let len = me.char_len() as i64;
    if width <= len {
        return Ok(s(vm, me.as_str()));
    }
    let marg = (width - len) as usize;
    check_alloc(vm, marg.saturating_mul(fill.len_utf8()).saturating_add(me.as_str().len()))?;
    let (left, right) = match name {
        "ljust" => (0, marg),
        "rjust" => (marg, 0),
        _ => {
            let left = marg / 2 + (marg & (width as usize) & 1);
            (left, marg - left)
        }
    };
    let mut out = String::with_capacity(me.as_str().len() + marg * fill.len_utf8());
    out.extend(std::iter::repeat(fill).take(left));
    out.push_str(me.as_str());
    out.extend(std::iter::repeat(fill).take(right));
    Ok(s(vm, out))
}
fn str_center(vm: &Vm, args: Args) -> PyResult {
    pad(vm, args, "center")
}
fn str_ljust(vm: &Vm, args: Args) -> PyResult {
    pad(vm, args, "ljust")
}
fn str_rjust(vm: &Vm, args: Args) -> PyResult {
    pad(vm, args, "rjust")
}

fn str_zfill(vm: &Vm, args: Args) -> PyResult {
    let me = this(vm, &args)?;
    let pos = arity(vm, args, "str", "zfill", 1, 1, Ar::Exact)?;
    let width = ssize_arg(vm, &pos[0])?;
    let len = me.char_len() as i64;
    if width <= len {
        return Ok(s(vm, me.as_str()));
    }
    let fill = (width - len) as usize;
    check_alloc(vm, fill + me.as_str().len())?;
    let text = me.as_str();
    let mut out = String::with_capacity(fill + text.len());
    let body = match text.as_bytes().first() {
        Some(b'+') | Some(b'-') => {
            out.push_str(&text[..1]);
            &text[1..]
        }
        _ => text,
    };
    out.extend(std::iter::repeat('0').take(fill));
    out.push_str(body);
    Ok(s(vm, out))
}

fn str_expandtabs(vm: &Vm, args: Args) -> PyResult {
    let me = this(vm, &args)?;
    let b = vm.bind_native("expandtabs", rest(args), &["tabsize"], 0, 0, None)?;
    let tabsize = match &b[0] {
        Some(v) => ssize_arg(vm, v)?,
        None => 8,
    };
    let mut out = String::with_capacity(me.as_str().len());
    let mut col: usize = 0;
    for c in me.as_str().chars() {
        match c {
            '\t' => {
                if tabsize > 0 {
                    let n = tabsize as usize - col % tabsize as usize;
                    check_alloc(vm, out.len() + n)?;
                    out.extend(std::iter::repeat(' ').take(n));
                    col += n;
                }
            }
            '\n' | '\r' => {
                out.push(c);
                col = 0;
            }
            _ => {
                out.push(c);
                col += 1;
            }
        }
    }
    Ok(s(vm, out))
}

// ------------------------------------------------------------ strip / split

fn strip_impl(vm: &Vm, args: Args, name: &str, left: bool, right: bool) -> PyResult {
    let me = this(vm, &args)?;
    let pos = arity(vm, args, "str", name, 0, 1, Ar::Expected)?;
    let text = me.as_str();
    let out = match pos.first() {
        None | Some(Value::None) if me.is_ascii() => {
            let t = text.as_bytes();
            let start = if left { t.iter().position(|&b| !is_ascii_space(b)).unwrap_or(t.len()) } else { 0 };
            let end = if right { t.iter().rposition(|&b| !is_ascii_space(b)).map_or(start, |e| e + 1).max(start) } else { t.len() };
            &text[start..end]
        }
        None | Some(Value::None) => {
            let mut t = text;
            if left {
                t = t.trim_start_matches(uni::is_space);
            }
            if right {
                t = t.trim_end_matches(uni::is_space);
            }
            t
        }
        Some(v) => match v.payload().and_then(|p| p.as_str()) {
            Some(chars) => {
                let chars = chars.as_str();
                let strip = |c: char| chars.contains(c);
                let mut t = text;
                if left {
                    t = t.trim_start_matches(strip);
                }
                if right {
                    t = t.trim_end_matches(strip);
                }
                t
            }
            None => return Err(vm.new_type_error(format!("{name} arg must be None or str"))),
        },
    };
    // Nothing stripped from an exact str: the str itself, as in CPython.
    if out.len() == text.len() {
        if let Some(me_val @ Value::Obj(o)) = args.args.first() {
            if o.class().is(&vm.types.str) {
                return Ok(me_val.clone());
            }
        }
    }
    if me.is_ascii() {
        return Ok(s_counted(vm, out, out.len()));
    }
    Ok(s(vm, out))
}
fn str_strip(vm: &Vm, args: Args) -> PyResult {
    strip_impl(vm, args, "strip", true, true)
}
fn str_lstrip(vm: &Vm, args: Args) -> PyResult {
    strip_impl(vm, args, "lstrip", true, false)
}
fn str_rstrip(vm: &Vm, args: Args) -> PyResult {
    strip_impl(vm, args, "rstrip", false, true)
}

/// `split(sep=None, maxsplit=-1)` arguments: sep (None = whitespace) and maxsplit.
fn split_args(vm: &Vm, args: Args, name: &str) -> PyResult<(Option<String>, i64)> {
    let b = vm.bind_native(name, rest(args), &["sep", "maxsplit"], 0, 0, None)?;
    let sep = match &b[0] {
        None | Some(Value::None) => None,
        Some(v) => match v.payload().and_then(|p| p.as_str()) {
            Some(sp) if sp.char_len() == 0 => return Err(vm.new_value_error("empty separator")),
            Some(sp) => Some(sp.as_str().to_string()),
            None => return Err(vm.new_type_error(format!("must be str or None, not {}", vm.type_name_of(v)))),
        },
    };
    let maxsplit = match &b[1] {
        Some(v) => ssize_arg(vm, v)?,
        None => -1,
    };
    Ok((sep, maxsplit))
}

/// ASCII whitespace as `str.isspace` sees it (including the separators
/// U+001C..U+001F).
#[inline]
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r' | 0x1c..=0x1f)
}

/// `split()` with no arguments of ASCII text: a byte scan (the general path
/// decodes each char for the Unicode whitespace test).
fn split_ascii_ws(text: &str) -> impl Iterator<Item = &str> + Clone {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && is_ascii_space(b[i]) {
            i += 1;
        }
        if i == b.len() {
            return None;
        }
        let start = i;
        while i < b.len() && !is_ascii_space(b[i]) {
            i += 1;
        }
        // Both ends sit next to ASCII bytes: char boundaries.
        Some(&text[start..i])
    })
}

/// The list of strs for the pieces of a split (of ASCII text if `ascii`):
/// the pieces are counted first (a scan is cheaper than growing the list),
/// then made straight into it.
fn str_list<'a>(vm: &Vm, parts: impl Iterator<Item = &'a str> + Clone, ascii: bool) -> Value {
    let mut out = Vec::with_capacity(parts.clone().count());
    if ascii {
        out.extend(parts.map(|p| s_counted(vm, p, p.len())));
    } else {
        out.extend(parts.map(|p| s(vm, p)));
    }
    vm.new_list(out)
}

fn str_split(vm: &Vm, args: Args) -> PyResult {
    let me = this(vm, &args)?;
    // The plain calls `s.split()` and `s.split(sep)` skip argument binding.
    if args.kwnames.is_empty() {
        match args.args {
            [_] if me.is_ascii() => return Ok(str_list(vm, split_ascii_ws(me.as_str()), true)),
            [_] => return Ok(str_list(vm, split_ws(me.as_str(), -1, uni::is_space).into_iter(), false)),
            [_, Value::Obj(o)] => {
                if let Some(sep) = o.payload.as_str().filter(|p| p.char_len() > 0) {
                    let text = me.as_str();
                    return Ok(match sep.as_str().as_bytes() {
                        // A one-byte separator searches by char (memchr), not substring.
                        &[c] => str_list(vm, text.split(c as char), me.is_ascii()),
                        _ => str_list(vm, text.split(sep.as_str()), me.is_ascii()),
                    });
                }
            }
            _ => {}
        }
    }
    let (sep, maxsplit) = split_args(vm, args, "split")?;
    let text = me.as_str();
    let parts: Vec<&str> = match &sep {
        None => split_ws(text, maxsplit, uni::is_space),
        Some(sep) if maxsplit < 0 => text.split(sep.as_str()).collect(),
        Some(sep) => text.splitn(maxsplit.saturating_add(1) as usize, sep.as_str()).collect(),
    };
    Ok(vm.new_list(parts.into_iter().map(|p| s(vm, p)).collect()))
}

fn str_rsplit(vm: &Vm, args: Args) -> PyResult {
    let me = this(vm, &args)?;
    let (sep, maxsplit) = split_args(vm, args, "rsplit")?;
    let text = me.as_str();
    let parts: Vec<&str> = match &sep {
        None => rsplit_ws(text, maxsplit, uni::is_space),
        Some(sep) => {
            // Matches are found from the right, so overlapping separators
            // split differently from `split` ('aaa'.rsplit('aa') == ['a', '']).
            let n = if maxsplit < 0 { usize::MAX } else { maxsplit.saturating_add(1) as usize };
            let mut v: Vec<&str> = text.rsplitn(n, sep.as_str()).collect();
            v.reverse();
            v
        }
    };
    Ok(vm.new_list(parts.into_iter().map(|p| s(vm, p)).collect()))
}

fn str_splitlines(vm: &Vm, args: Args) -> PyResult {
    let me = this(vm, &args)?;
    let b = vm.bind_native("splitlines", rest(args), &["keepends"], 0, 0, None)?;
    let keep = match &b[0] {
        Some(v) => {
            if matches!(v, Value::Float(_)) {
                return Err(vm.new_type_error("'float' object cannot be interpreted as an integer"));
            }
            vm.truthy(&vm.index(v)?)?
        }
        None => false,
    };
    let text = me.as_str();
    let mut out = Vec::new();
    let mut start = 0;
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if uni::is_linebreak(c) {
            let mut end = i + c.len_utf8();
            if c == '\r' {
                if let Some(&(_, '\n')) = it.peek() {
                    it.next();
                    end += 1;
                }
            }
            out.push(s(vm, &text[start..if keep { end } else { i }]));
            start = end;
        }
    }
    if start < text.len() {
        out.push(s(vm, &text[start..]));
    }
    Ok(vm.new_list(out))
}

fn partition_impl(vm: &Vm, args: Args, name: &str, reverse: bool) -> PyResult {
    let me = this(vm, &args)?;
    let pos = arity(vm, args, "str", name, 1, 1, Ar::Exact)?;
    let sep = str_arg(vm, &pos[0], "")?;
    if sep.char_len() == 0 {
        return Err(vm.new_value_error("empty separator"));
    }
    let text = me.as_str();
    let found = if reverse { text.rfind(sep.as_str()) } else { text.find(sep.as_str()) };
    let parts = match found {
        Some(i) => [&text[..i], sep.as_str(), &text[i + sep.as_str().len()..]],
        None if reverse => ["", "", text],
        None => [text, "", ""],
    };
    Ok(vm.new_tuple(parts.iter().map(|p| s(vm, *p)).collect()))
}
fn str_partition(vm: &Vm, args: Args) -> PyResult {
    partition_impl(vm, args, "partition", false)
}
fn str_rpartition(vm: &Vm, args: Args) -> PyResult {
    partition_impl(vm, args, "rpartition", true)
}

fn str_removeprefix(vm: &Vm, args: Args) -> PyResult {
    let me = this(vm, &args)?;
    let pos = arity(vm, args, "str", "removeprefix", 1, 1, Ar::Exact)?;
    let p = str_arg(vm, &pos[0], "removeprefix() argument ")?;
    Ok(s(vm, me.as_str().strip_prefix(p.as_str()).unwrap_or(me.as_str())))
}
fn str_removesuffix(vm: &Vm, args: Args) -> PyResult {
    let me = this(vm, &args)?;
    let pos = arity(vm, args, "str", "removesuffix", 1, 1, Ar::Exact)?;
    let p = str_arg(vm, &pos[0], "removesuffix() argument ")?;
    let out = if p.as_str().is_empty() { me.as_str() } else { me.as_str().strip_suffix(p.as_str()).unwrap_or(me.as_str()) };
    Ok(s(vm, out))
}

fn str_replace(vm: &Vm, args: Args) -> PyResult {
    let me = this(vm, &args)?;
    let pos = arity(vm, args, "str", "replace", 2, 3, Ar::Expected)?;
    let old = str_arg(vm, &pos[0], "replace() argument 1 ")?;
    let new = str_arg(vm, &pos[1], "replace() argument 2 ")?;
    let count = match pos.get(2) {
        Some(v) => ssize_arg(vm, v)?,
        None => -1,
    };
    let text = me.as_str();
    let limit = if count < 0 { usize::MAX } else { count as usize };
    // Nothing to replace: an exact str is returned itself, as in CPython.
    let unchanged = limit == 0
        || text.len() < old.as_str().len()
        || pos[0].is(&pos[1])
        || (!old.as_str().is_empty() && !text.contains(old.as_str()));
    if unchanged {
        if let Some(me_val @ Value::Obj(o)) = args.args.first() {
            if o.class().is(&vm.types.str) {
                return Ok(me_val.clone());
            }
        }
        return Ok(s_counted(vm, text, me.char_len()));
    }
    if let ([from], [to]) = (old.as_str().as_bytes(), new.as_str().as_bytes()) {
        if me.is_ascii() && to.is_ascii() && count < 0 {
            // One ASCII character for another: mapped straight into the new object.
            let (from, to) = (*from, *to);
            let out = PyRef::new_str_with(vm.types.str.clone(), text.len(), text.len(), |w| {
                w.push_ascii_mapped(text, |b| if b == from { to } else { b })
            });
            return Ok(Value::Obj(out));
        }
    }
    let mut out = String::with_capacity(text.len());
    if old.as_str().is_empty() {
        // Insert `new` before every character and at the end.
        let mut n = 0;
        for (i, c) in text.char_indices() {
            if n < limit {
                out.push_str(new.as_str());
                n += 1;
                check_alloc(vm, out.len())?;
            } else {
                out.push_str(&text[i..]);
                return Ok(s(vm, out));
            }
            out.push(c);
        }
        if n < limit {
            out.push_str(new.as_str());
        }
        return Ok(s(vm, out));
    }
    let mut last = 0;
    for (n, (i, _)) in text.match_indices(old.as_str()).enumerate() {
        if n >= limit {
            break;
        }
        out.push_str(&text[last..i]);
        out.push_str(new.as_str());
        check_alloc(vm, out.len())?;
        last = i + old.as_str().len();
    }
    out.push_str(&text[last..]);
    Ok(s(vm, out))
}

fn str_join(vm: &Vm, args: Args) -> PyResult {
    let me = this(vm, &args)?;
    let pos = arity(vm, args, "str", "join", 1, 1, Ar::Exact)?;
    let items = match vm.exact_seq_items(&pos[0]) {
        Some(items) => items,
        None => {
            if vm.special(&pos[0], crate::types::typeobj::Slot::Iter).is_none()
                && vm.special(&pos[0], crate::types::typeobj::Slot::GetItem).is_none()
            {
                return Err(vm.new_type_error("can only join an iterable"));
            }
            vm.collect_iter(&pos[0])?
        }
    };
    // Sizes first (and the type check): one exact allocation, no rescan.
    let sep = me.as_str();
    let gaps = items.len().saturating_sub(1);
    let (mut bytes, mut chars) = (sep.len() * gaps, me.char_len() * gaps);
    for (i, it) in items.iter().enumerate() {
        match it.payload().and_then(|p| p.as_str()) {
            Some(t) => {
                bytes += t.as_str().len();
                chars += t.char_len();
            }
            None => {
                return Err(vm.new_type_error(format!(
                    "sequence item {i}: expected str instance, {} found",
                    vm.type_name_of(it)
                )))
            }
        }
    }
    // One exact str joins to itself, as in CPython.
    if let [only] = &items[..] {
        if vm.class_of(only).is(&vm.types.str) {
            return Ok(only.clone());
        }
    }
    check_alloc(vm, bytes)?;
    let strs = || items.iter().filter_map(|it| it.payload().and_then(|p| p.as_str()));
    if me.has_surrogates() || strs().any(|t| t.has_surrogates()) {
        let mut b = crate::types::str_surrogates::StrBuf::with_capacity(bytes);
        for (i, t) in strs().enumerate() {
            if i > 0 {
                b.push_pystr(me);
            }
            b.push_pystr(t);
        }
        return Ok(b.into_value(vm));
    }
    let out = PyRef::new_str_with(vm.types.str.clone(), bytes, chars, |w| {
        for (i, it) in items.iter().enumerate() {
            if i > 0 {
                w.push(sep);
            }
            if let Some(t) = it.payload().and_then(|p| p.as_str()) {
                w.push(t.as_str());
            }
        }
    });
    Ok(Value::Obj(out))
}

// ------------------------------------------------------------ translate

fn str_translate(vm: &Vm, args: Args) -> PyResult {
    let me = this(vm, &args)?;
    let pos = arity(vm, args, "str", "translate", 1, 1, Ar::Exact)?;
    let table = &pos[0];
    let mut out = String::with_capacity(me.as_str().len());
    for c in me.as_str().chars() {
        let r = match vm.getitem(table, &Value::Int(c as i64)) {
            Ok(r) => r,
            Err(e) if vm.exception_matches(&e, &vm.exc.lookup_error) => {
                out.push(c);
                continue;
            }
            Err(e) => return Err(e),
        };
        match &r {
            Value::None => {}
            Value::Int(_) | Value::Bool(_) => push_mapped(vm, &mut out, &r)?,
            Value::Obj(o) if o.payload.as_int().is_some() => push_mapped(vm, &mut out, &r)?,
            Value::Obj(o) if o.payload.as_str().is_some() => out.push_str(o.payload.as_str().unwrap().as_str()),
            _ => return Err(vm.new_type_error("character mapping must return integer, None or str")),
        }
    }
    Ok(s(vm, out))
}

fn push_mapped(vm: &Vm, out: &mut String, v: &Value) -> PyResult<()> {
    let cp = match v {
        Value::Int(i) => *i,
        Value::Bool(b) => *b as i64,
        _ => -1,
    };
    match u32::try_from(cp).ok().filter(|c| *c < 0x110000) {
        Some(c) => {
            // Surrogates cannot live in a krait str; U+FFFD stands in.
            out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
            Ok(())
        }
        None => Err(vm.new_value_error("character mapping must be in range(0x110000)")),
    }
}

fn str_maketrans(vm: &Vm, args: Args) -> PyResult {
    if args.has_kwargs() {
        return Err(vm.new_type_error("str.maketrans() takes no keyword arguments"));
    }
    let pos = args.args;
    if pos.is_empty() || pos.len() > 3 {
        return Err(vm.new_type_error(if pos.is_empty() {
            "maketrans expected at least 1 argument, got 0".to_string()
        } else {
            format!("maketrans expected at most 3 arguments, got {}", pos.len())
        }));
    }
    let d = vm.new_dict();
    if pos.len() == 1 {
        if vm.class_of(&pos[0]).payload.as_type().map(|t| t.layout) != Some(crate::types::typeobj::Layout::Dict)
            && pos[0].payload().and_then(|p| p.as_dict()).is_none()
        {
            return Err(vm.new_type_error("if you give only one argument to maketrans it must be a dict"));
        }
        let src = pos[0].as_obj().cloned().ok_or_else(|| vm.new_type_error("expected dict"))?;
        for (k, v) in vm.dict_items(&src) {
            let key = match &k {
                Value::Int(_) | Value::Bool(_) => k.clone(),
                Value::Obj(o) if o.payload.as_int().is_some() => k.clone(),
                Value::Obj(o) if o.payload.as_str().is_some() => {
                    let ks = o.payload.as_str().unwrap();
                    if ks.char_len() != 1 {
                        return Err(vm.new_value_error("string keys in translate table must be of length 1"));
                    }
                    Value::Int(ks.as_str().chars().next().unwrap_or('\0') as i64)
                }
                _ => return Err(vm.new_type_error("keys in translate table must be strings or integers")),
            };
            vm.dict_set(&d, key, v)?;
        }
        return Ok(Value::Obj(d));
    }
    let x = str_arg(vm, &pos[0], "maketrans() argument 1 ")?;
    let y = str_arg(vm, &pos[1], "maketrans() argument 2 ")?;
    if x.char_len() != y.char_len() {
        return Err(vm.new_value_error("the first two maketrans arguments must have equal length"));
    }
    for (a, b) in x.as_str().chars().zip(y.as_str().chars()) {
        vm.dict_set(&d, Value::Int(a as i64), Value::Int(b as i64))?;
    }
    if let Some(z) = pos.get(2) {
        let z = str_arg(vm, z, "maketrans() argument 3 ")?;
        for c in z.as_str().chars() {
            vm.dict_set(&d, Value::Int(c as i64), Value::None)?;
        }
    }
    Ok(Value::Obj(d))
}

// ------------------------------------------------------------ encode / new

fn opt_str_kw<'a>(vm: &Vm, v: &'a Option<Value>, fname: &str, arg: &str) -> PyResult<Option<String>> {
    match v {
        None => Ok(None),
        Some(v) => match v.payload().and_then(|p| p.as_str()) {
            Some(s) => Ok(Some(s.as_str().to_string())),
            None => Err(vm.new_type_error(format!("{fname}() argument '{arg}' must be str, not {}", vm.type_name_of(v)))),
        },
    }
}

fn str_encode(vm: &Vm, args: Args) -> PyResult {
    let me = this(vm, &args)?;
    let b = vm.bind_native("encode", rest(args), &["encoding", "errors"], 0, 0, None)?;
    let enc = opt_str_kw(vm, &b[0], "encode", "encoding")?;
    let errors = opt_str_kw(vm, &b[1], "encode", "errors")?;
    let out = crate::types::str_codecs::encode(
        vm,
        &args.args[0],
        me.as_str(),
        enc.as_deref().unwrap_or("utf-8"),
        errors.as_deref().unwrap_or("strict"),
    )?;
    Ok(vm.new_bytes(out))
}

/// `str.__new__(cls, object='', encoding='utf-8', errors='strict')`.
fn str_new(vm: &Vm, args: Args) -> PyResult {
    let cls = match args.positional().first().and_then(|c| c.as_obj()) {
        Some(c) if c.payload.as_type().is_some() => c.clone(),
        _ => return Err(vm.new_type_error("str.__new__(X): X is not a type object")),
    };
    let a = rest(args);
    for (k, _) in a.keywords() {
        let k = vm.as_str(k).unwrap_or("");
        if !matches!(k, "object" | "encoding" | "errors") {
            return Err(vm.new_type_error(format!("'{k}' is an invalid keyword argument for str()")));
        }
    }
    let b = vm.bind_native("str", a, &["object", "encoding", "errors"], 0, 0, None)?;
    let enc = opt_str_kw(vm, &b[1], "str", "encoding")?;
    let errors = opt_str_kw(vm, &b[2], "str", "errors")?;
    let text: PyRef = match &b[0] {
        None => vm.intern(""),
        Some(obj) if enc.is_none() && errors.is_none() => vm.str(obj)?,
        Some(obj) => {
            if obj.payload().and_then(|p| p.as_str()).is_some() {
                return Err(vm.new_type_error("decoding str is not supported"));
            }
            let data = bytes_like(obj).ok_or_else(|| {
                vm.new_type_error(format!(
                    "decoding to str: need a bytes-like object, {} found",
                    vm.type_name_of(obj)
                ))
            })?;
            let t = crate::types::str_codecs::decode(
                vm,
                obj,
                &data,
                enc.as_deref().unwrap_or("utf-8"),
                errors.as_deref().unwrap_or("strict"),
            )?;
            t.into_ref(vm)
        }
    };
    if cls.is(&vm.types.str) {
        return Ok(Value::Obj(text));
    }
    let ps = PyStr::new(text.payload.as_str().map(|p| p.as_str()).unwrap_or(""));
    Ok(Value::Obj(new_subclass_instance(&cls, Payload::Str(ps))))
}

// ------------------------------------------------------------ dunders

fn str_repr(vm: &Vm, args: Args) -> PyResult {
    let me = this(vm, &args)?;
    arity(vm, args, "str", "__repr__", 0, 0, Ar::Exact)?;
    if me.has_surrogates() {
        return Ok(s(vm, crate::types::str_surrogates::repr(me, false)));
    }
    Ok(s(vm, uni::repr_str(me.as_str(), uni::QuotePref::Auto)))
}

fn str_str(vm: &Vm, args: Args) -> PyResult {
    let me = this(vm, &args)?;
    arity(vm, args, "str", "__str__", 0, 0, Ar::Exact)?;
    match &args.args[0] {
        Value::Obj(o) if o.class().is(&vm.types.str) => Ok(args.args[0].clone()),
        _ => Ok(s(vm, me.as_str())),
    }
}

fn str_hash(vm: &Vm, args: Args) -> PyResult {
    let me = this(vm, &args)?;
    arity(vm, args, "str", "__hash__", 0, 0, Ar::Exact)?;
    Ok(Value::Int(me.hash()))
}

fn str_len(vm: &Vm, args: Args) -> PyResult {
    let me = this(vm, &args)?;
    arity(vm, args, "str", "__len__", 0, 0, Ar::Exact)?;
    Ok(Value::Int(me.char_len() as i64))
}

fn str_sizeof(vm: &Vm, args: Args) -> PyResult {
    this(vm, &args)?;
    arity(vm, args, "str", "__sizeof__", 0, 0, Ar::Exact)?;
    Ok(Value::Int(crate::object_size::own_size(&args.args[0]) as i64))
}

fn str_getnewargs(vm: &Vm, args: Args) -> PyResult {
    let me = this(vm, &args)?;
    arity(vm, args, "str", "__getnewargs__", 0, 0, Ar::Exact)?;
    Ok(vm.new_tuple(vec![s(vm, me.as_str())]))
}

fn str_cmp(vm: &Vm, args: Args, f: fn(std::cmp::Ordering) -> bool) -> PyResult {
    let me = this(vm, &args)?;
    let pos = dunder_args(vm, args, 1)?;
    match pos[0].payload().and_then(|p| p.as_str()) {
        Some(o) => Ok(Value::Bool(f(me.cmp_text(o)))),
        None => Ok(vm.not_implemented()),
    }
}
fn str_eq(vm: &Vm, args: Args) -> PyResult {
    str_cmp(vm, args, |o| o.is_eq())
}
fn str_ne(vm: &Vm, args: Args) -> PyResult {
    str_cmp(vm, args, |o| o.is_ne())
}
fn str_lt(vm: &Vm, args: Args) -> PyResult {
    str_cmp(vm, args, |o| o.is_lt())
}
fn str_le(vm: &Vm, args: Args) -> PyResult {
    str_cmp(vm, args, |o| o.is_le())
}
fn str_gt(vm: &Vm, args: Args) -> PyResult {
    str_cmp(vm, args, |o| o.is_gt())
}
fn str_ge(vm: &Vm, args: Args) -> PyResult {
    str_cmp(vm, args, |o| o.is_ge())
}

fn str_contains(vm: &Vm, args: Args) -> PyResult {
    let me = this(vm, &args)?;
    let pos = dunder_args(vm, args, 1)?;
    match pos[0].payload().and_then(|p| p.as_str()) {
        Some(o) => Ok(Value::Bool(contains_text(me, o))),
        None => Err(vm.new_type_error(format!(
            "'in <string>' requires string as left operand, not {}",
            vm.type_name_of(&pos[0])
        ))),
    }
}

/// `needle in s`: one byte (the common `ch in "+-eE"`) by memchr.
#[inline]
pub fn contains_text(s: &PyStr, needle: &PyStr) -> bool {
    match needle.as_str().as_bytes() {
        [b] => s.as_str().as_bytes().contains(b),
        _ => s.as_str().contains(needle.as_str()),
    }
}

/// `a + b` for two strs.
pub fn concat(vm: &Vm, a: &PyStr, b: &PyStr) -> PyResult {
    if a.has_surrogates() || b.has_surrogates() {
        return Ok(crate::types::str_surrogates::concat_with_surrogates(vm, &[a, b]));
    }
    let chars = a.char_len() + b.char_len();
    let (a, b) = (a.as_str(), b.as_str());
    check_alloc(vm, a.len() + b.len())?;
    Ok(Value::Obj(PyRef::new_str_from_parts(vm.types.str.clone(), &[a, b], chars)))
}

fn str_add(vm: &Vm, args: Args) -> PyResult {
    let me = this(vm, &args)?;
    let pos = dunder_args(vm, args, 1)?;
    match pos[0].payload().and_then(|p| p.as_str()) {
        Some(o) => concat(vm, me, o),
        None if defer_to_reflected(vm, &pos[0], crate::types::typeobj::Slot::RAdd) => Ok(vm.not_implemented()),
        None => Err(vm.new_type_error(format!(
            "can only concatenate str (not \"{}\") to str",
            vm.type_name_of(&pos[0])
        ))),
    }
}

fn str_repeat(vm: &Vm, args: Args, reflected: bool) -> PyResult {
    let me = this(vm, &args)?;
    let pos = dunder_args(vm, args, 1)?;
    let n = &pos[0];
    if !is_index(vm, n) {
        if !reflected && defer_to_reflected(vm, n, crate::types::typeobj::Slot::RMul) {
            return Ok(vm.not_implemented());
        }
        return Err(vm.new_type_error(format!(
            "can't multiply sequence by non-int of type '{}'",
            vm.type_name_of(n)
        )));
    }
    match repeat_size(vm, me.as_str().len(), n, Some("repeated string is too long"))? {
        None => Ok(s(vm, "")),
        // `s * 1` is `s` itself for an exact str, as in CPython.
        Some(total) if total == me.byte_len() && vm.class_of(&args.positional()[0]).is(&vm.types.str) => {
            Ok(args.positional()[0].clone())
        }
        Some(total) => {
            let count = total / me.as_str().len().max(1);
            if me.has_surrogates() {
                let mut b = crate::types::str_surrogates::StrBuf::with_capacity(total);
                (0..count).for_each(|_| b.push_pystr(me));
                return Ok(b.into_value(vm));
            }
            Ok(s(vm, me.as_str().repeat(count)))
        }
    }
}
fn str_mul(vm: &Vm, args: Args) -> PyResult {
    str_repeat(vm, args, false)
}
fn str_rmul(vm: &Vm, args: Args) -> PyResult {
    str_repeat(vm, args, true)
}

fn str_getitem(vm: &Vm, args: Args) -> PyResult {
    let me = this(vm, &args)?;
    let pos = dunder_args(vm, args, 1)?;
    subscript(vm, me, &pos[0])
}

/// `s[key]`: an index or a slice (`Vm::getitem` comes here straight for
/// an exact str).
pub fn subscript(vm: &Vm, me: &PyStr, key: &Value) -> PyResult {
    if let Value::Int(i) = key {
        let len = me.char_len() as i64;
        let j = if *i < 0 { i + len } else { *i };
        if (0..len).contains(&j) {
            return Ok(Value::Obj(me.item(vm, j as usize)));
        }
        return Err(vm.new_index_error("string index out of range"));
    }
    if let Some(Payload::Slice(_)) = key.payload() {
        let (start, _stop, step, n) = slice_indices(vm, key, me.char_len())?;
        if n == 0 {
            return Ok(s(vm, ""));
        }
        if me.has_surrogates() {
            let cps: Vec<u32> = me.code_points().collect();
            let mut b = crate::types::str_surrogates::StrBuf::with_capacity(n);
            (0..n as i64).for_each(|k| b.push_code_point(cps[(start + k * step) as usize]));
            return Ok(b.into_value(vm));
        }
        let text = me.as_str();
        if step == 1 {
            let bs = boff(me, start as usize);
            let be = boff(me, start as usize + n);
            if n == 1 {
                // One character: shared like an index's result, as CPython's.
                let c = text[bs..be].chars().next().unwrap_or('\0');
                return Ok(Value::Obj(crate::types::str::char_str(vm, c)));
            }
            return Ok(s_counted(vm, &text[bs..be], n));
        }
        let mut out = String::with_capacity(n);
        if me.is_ascii() {
            let bytes = text.as_bytes();
            for k in 0..n as i64 {
                out.push(bytes[(start + k * step) as usize] as char);
            }
        } else {
            let chars: Vec<char> = text.chars().collect();
            for k in 0..n as i64 {
                out.push(chars[(start + k * step) as usize]);
            }
        }
        return Ok(s(vm, out));
    }
    if !is_index(vm, key) {
        return Err(vm.new_type_error(format!("string indices must be integers, not '{}'", vm.type_name_of(key))));
    }
    let i = match vm.index(key)? {
        Value::Int(i) => i,
        _ => return Err(vm.new_index_error("cannot fit 'int' into an index-sized integer")),
    };
    let len = me.char_len() as i64;
    let j = if i < 0 { i + len } else { i };
    if j < 0 || j >= len {
        return Err(vm.new_index_error("string index out of range"));
    }
    Ok(Value::Obj(me.item(vm, j as usize)))
}

fn str_iter(vm: &Vm, args: Args) -> PyResult {
    this(vm, &args)?;
    dunder_args(vm, args, 0)?;
    let o = args.args[0].as_obj().cloned().ok_or_else(|| vm.new_type_error("expected str"))?;
    let ascii = vm.as_str(&args.args[0]).map_or(true, str::is_ascii);
    Ok(Value::Obj(PyRef::new(
        if ascii { vm.types.str_iterator.clone() } else { vm.types.unicode_iterator.clone() },
        Payload::Iter(Box::new(RefCell::new(IterState::Str { s: Some(o), byte_pos: 0 }))),
    )))
}

fn str_rmod(vm: &Vm, args: Args) -> PyResult {
    this(vm, &args)?;
    dunder_args(vm, args, 1)?;
    Ok(vm.not_implemented())
}

pub static STR_METHODS: &[NativeDef] = &[
    NativeDef::staticmethod("__new__", str_new),
    NativeDef::method("__repr__", str_repr),
    NativeDef::method("__str__", str_str),
    NativeDef::method("__hash__", str_hash),
    NativeDef::method("__len__", str_len),
    NativeDef::method("__sizeof__", str_sizeof).doc("__sizeof__($self, /)\n--\n\nReturn the size of the string in memory, in bytes."),
    NativeDef::method("__getnewargs__", str_getnewargs),
    NativeDef::method("__eq__", str_eq),
    NativeDef::method("__ne__", str_ne),
    NativeDef::method("__lt__", str_lt),
    NativeDef::method("__le__", str_le),
    NativeDef::method("__gt__", str_gt),
    NativeDef::method("__ge__", str_ge),
    NativeDef::method("__contains__", str_contains),
    NativeDef::method("__add__", str_add),
    NativeDef::method("__mul__", str_mul),
    NativeDef::method("__rmul__", str_rmul),
    NativeDef::method("__getitem__", str_getitem),
    NativeDef::method("__iter__", str_iter),
    NativeDef::method("__mod__", crate::types::str_percent::str_mod),
    NativeDef::method("__rmod__", str_rmod),
    NativeDef::method("__format__", crate::types::str_format::str_format_spec).doc("__format__($self, format_spec, /)\n--\n\nReturn a formatted version of the string as described by format_spec."),
    NativeDef::method("format", crate::types::str_format::str_format).doc("S.format(*args, **kwargs) -> str"),
    NativeDef::method("format_map", crate::types::str_format::str_format_map).doc("S.format_map(mapping) -> str"),
    NativeDef::method("capitalize", str_capitalize).doc("capitalize($self, /)\n--\n\nReturn a capitalized version of the string."),
    NativeDef::method("casefold", str_casefold).doc("casefold($self, /)\n--\n\nReturn a version of the string suitable for caseless comparisons."),
    NativeDef::method("center", str_center).doc("center($self, width, fillchar=' ', /)\n--\n\nReturn a centered string of length width."),
    NativeDef::method("count", str_count).doc("S.count(sub[, start[, end]]) -> int"),
    NativeDef::method("encode", str_encode).doc("encode($self, /, encoding='utf-8', errors='strict')\n--\n\nEncode the string using the codec registered for encoding."),
    NativeDef::method("endswith", str_endswith).doc("S.endswith(suffix[, start[, end]]) -> bool"),
    NativeDef::method("expandtabs", str_expandtabs).doc("expandtabs($self, /, tabsize=8)\n--\n\nReturn a copy where all tab characters are expanded using spaces."),
    NativeDef::method("find", str_find).doc("S.find(sub[, start[, end]]) -> int"),
    NativeDef::method("index", str_index).doc("S.index(sub[, start[, end]]) -> int"),
    NativeDef::method("isalnum", str_isalnum).doc("isalnum($self, /)\n--\n\nReturn True if the string is an alpha-numeric string, False otherwise."),
    NativeDef::method("isalpha", str_isalpha).doc("isalpha($self, /)\n--\n\nReturn True if the string is an alphabetic string, False otherwise."),
    NativeDef::method("isascii", str_isascii).doc("isascii($self, /)\n--\n\nReturn True if all characters in the string are ASCII, False otherwise."),
    NativeDef::method("isdecimal", str_isdecimal).doc("isdecimal($self, /)\n--\n\nReturn True if the string is a decimal string, False otherwise."),
    NativeDef::method("isdigit", str_isdigit).doc("isdigit($self, /)\n--\n\nReturn True if the string is a digit string, False otherwise."),
    NativeDef::method("isidentifier", str_isidentifier).doc("isidentifier($self, /)\n--\n\nReturn True if the string is a valid Python identifier, False otherwise."),
    NativeDef::method("islower", str_islower).doc("islower($self, /)\n--\n\nReturn True if the string is a lowercase string, False otherwise."),
    NativeDef::method("isnumeric", str_isnumeric).doc("isnumeric($self, /)\n--\n\nReturn True if the string is a numeric string, False otherwise."),
    NativeDef::method("isprintable", str_isprintable).doc("isprintable($self, /)\n--\n\nReturn True if the string is printable, False otherwise."),
    NativeDef::method("isspace", str_isspace).doc("isspace($self, /)\n--\n\nReturn True if the string is a whitespace string, False otherwise."),
    NativeDef::method("istitle", str_istitle).doc("istitle($self, /)\n--\n\nReturn True if the string is a title-cased string, False otherwise."),
    NativeDef::method("isupper", str_isupper).doc("isupper($self, /)\n--\n\nReturn True if the string is an uppercase string, False otherwise."),
    NativeDef::method("join", str_join).doc("join($self, iterable, /)\n--\n\nConcatenate any number of strings."),
    NativeDef::method("ljust", str_ljust).doc("ljust($self, width, fillchar=' ', /)\n--\n\nReturn a left-justified string of length width."),
    NativeDef::method("lower", str_lower).doc("lower($self, /)\n--\n\nReturn a copy of the string converted to lowercase."),
    NativeDef::method("lstrip", str_lstrip).doc("lstrip($self, chars=None, /)\n--\n\nReturn a copy of the string with leading whitespace removed."),
    NativeDef::staticmethod("maketrans", str_maketrans).doc("maketrans(x, y=<unrepresentable>, z=<unrepresentable>, /)\n--\n\nReturn a translation table usable for str.translate()."),
    NativeDef::method("partition", str_partition).doc("partition($self, sep, /)\n--\n\nPartition the string into three parts using the given separator."),
    NativeDef::method("removeprefix", str_removeprefix).doc("removeprefix($self, prefix, /)\n--\n\nReturn a str with the given prefix string removed if present."),
    NativeDef::method("removesuffix", str_removesuffix).doc("removesuffix($self, suffix, /)\n--\n\nReturn a str with the given suffix string removed if present."),
    NativeDef::method("replace", str_replace).doc("replace($self, old, new, count=-1, /)\n--\n\nReturn a copy with all occurrences of substring old replaced by new."),
    NativeDef::method("rfind", str_rfind).doc("S.rfind(sub[, start[, end]]) -> int"),
    NativeDef::method("rindex", str_rindex).doc("S.rindex(sub[, start[, end]]) -> int"),
    NativeDef::method("rjust", str_rjust).doc("rjust($self, width, fillchar=' ', /)\n--\n\nReturn a right-justified string of length width."),
    NativeDef::method("rpartition", str_rpartition).doc("rpartition($self, sep, /)\n--\n\nPartition the string into three parts using the given separator."),
    NativeDef::method("rsplit", str_rsplit).doc("rsplit($self, /, sep=None, maxsplit=-1)\n--\n\nReturn a list of the substrings in the string, using sep as the separator string."),
    NativeDef::method("rstrip", str_rstrip).doc("rstrip($self, chars=None, /)\n--\n\nReturn a copy of the string with trailing whitespace removed."),
    NativeDef::method("split", str_split).doc("split($self, /, sep=None, maxsplit=-1)\n--\n\nReturn a list of the substrings in the string, using sep as the separator string."),
    NativeDef::method("splitlines", str_splitlines).doc("splitlines($self, /, keepends=False)\n--\n\nReturn a list of the lines in the string, breaking at line boundaries."),
    NativeDef::method("startswith", str_startswith).doc("S.startswith(prefix[, start[, end]]) -> bool"),
    NativeDef::method("strip", str_strip).doc("strip($self, chars=None, /)\n--\n\nReturn a copy of the string with leading and trailing whitespace removed."),
    NativeDef::method("swapcase", str_swapcase).doc("swapcase($self, /)\n--\n\nConvert uppercase characters to lowercase and lowercase characters to uppercase."),
    NativeDef::method("title", str_title).doc("title($self, /)\n--\n\nReturn a version of the string where each word is titlecased."),
    NativeDef::method("translate", str_translate).doc("translate($self, table, /)\n--\n\nReplace each character in the string using the given translation table."),
    NativeDef::method("upper", str_upper).doc("upper($self, /)\n--\n\nReturn a copy of the string converted to uppercase."),
    NativeDef::method("zfill", str_zfill).doc("zfill($self, width, /)\n--\n\nPad a numeric string with zeros on the left, to fill a field of the given width."),
];

/// Registers str's methods.
pub fn init(vm: &Vm) {
    crate::types::add_methods(vm, &vm.types.str, STR_METHODS);
}
