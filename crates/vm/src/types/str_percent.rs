//! printf-style `%` formatting of str, bytes and bytearray (CPython's
//! `PyUnicode_Format` and `_PyBytes_FormatEx`). One walker serves both:
//! a bytes format string is handled as Latin-1 text (one char per byte) and
//! the result encoded back, which keeps byte semantics exact. Number
//! rendering is `krait_text::format::percent`.

use crate::payload::Payload;
use crate::types::function::Args;
use crate::types::str_format::{ascii_string, fmt_err};
use crate::types::str_methods::dunder_args;
use crate::types::typeobj::Slot;
use crate::value::Value;
use crate::{PyResult, Vm};
use dashu_int::IBig;
use krait_text::format as tf;
use krait_text::format::PercentSpec;

/// Which operand type is being formatted.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Str,
    Bytes,
}

struct Ctx<'a> {
    vm: &'a Vm,
    /// The current argument source (the tuple, the single value, or the value
    /// looked up by the last `%(key)`).
    args: Value,
    tuple: Option<Vec<Value>>,
    arglen: i64,
    argidx: i64,
    dict: Option<Value>,
}

impl<'a> Ctx<'a> {
    fn next_arg(&mut self) -> PyResult {
        let idx = self.argidx;
        if idx < self.arglen {
            self.argidx += 1;
            if self.arglen < 0 {
                return Ok(self.args.clone());
            }
            if let Some(t) = &self.tuple {
                return Ok(t[idx as usize].clone());
            }
        }
        Err(self.vm.new_type_error("not enough arguments for format string"))
    }
}

/// The int a `%d`-family conversion formats, with CPython's errors.
fn int_operand(vm: &Vm, v: &Value, conv: char) -> PyResult<IBig> {
    if let Some(i) = vm.as_ibig(v) {
        return Ok(i);
    }
    let decimal = matches!(conv, 'd' | 'i' | 'u');
    let float = match v {
        Value::Float(f) => Some(*f),
        Value::Obj(o) => o.payload.as_float(),
        _ => None,
    };
    if let Some(f) = float {
        if decimal {
            return tf::float_to_ibig(f).map_err(|e| fmt_err(vm, e));
        }
        return Err(vm.new_type_error(format!("%{conv} format: an integer is required, not {}", vm.type_name_of(v))));
    }
    if decimal {
        // CPython: any number (`__int__`, `__index__` or `__float__`) goes
        // through `int()`; a TypeError from there becomes the format's own.
        let wrong = || vm.new_type_error(format!("%{conv} format: a real number is required, not {}", vm.type_name_of(v)));
        let is_number = [Slot::Int, Slot::Index, Slot::Float].into_iter().any(|s| vm.special(v, s).is_some())
            || matches!(v, Value::Obj(o) if matches!(o.payload.base(), crate::payload::Payload::Complex(_)));
        if !is_number {
            return Err(wrong());
        }
        return match vm.call1(&Value::Obj(vm.types.int.clone()), &[v.clone()]) {
            Ok(r) => Ok(vm.as_ibig(&r).unwrap_or_default()),
            Err(e) if vm.exception_matches(&e, &vm.exc.type_error) => Err(wrong()),
            Err(e) => Err(e),
        };
    }
    if vm.special(v, Slot::Index).is_some() {
        let r = vm.index(v)?;
        return Ok(vm.as_ibig(&r).unwrap_or_default());
    }
    Err(vm.new_type_error(format!("%{conv} format: an integer is required, not {}", vm.type_name_of(v))))
}

/// The float a `%f`-family conversion formats (`PyFloat_AsDouble`).
pub(crate) fn float_operand(vm: &Vm, v: &Value) -> PyResult<f64> {
    match v {
        Value::Float(f) => return Ok(*f),
        Value::Int(i) => return Ok(*i as f64),
        Value::Bool(b) => return Ok(*b as i64 as f64),
        Value::Obj(o) => {
            if let Some(f) = o.payload.as_float() {
                return Ok(f);
            }
            if let Some(i) = o.payload.as_int() {
                return tf::ibig_to_f64(i).map_err(|e| fmt_err(vm, e));
            }
        }
        Value::None => {}
    }
    if let Some(r) = vm.call_special(v, Slot::Float, &[])? {
        return match r {
            Value::Float(f) => Ok(f),
            Value::Obj(ref o) if o.payload.as_float().is_some() => Ok(o.payload.as_float().unwrap_or(0.0)),
            _ => Err(vm.new_type_error(format!(
                "{}.__float__ returned non-float (type {})",
                vm.type_name_of(v),
                vm.type_name_of(&r)
            ))),
        };
    }
    if vm.special(v, Slot::Index).is_some() {
        let r = vm.index(v)?;
        let i = vm.as_ibig(&r).unwrap_or_default();
        return tf::ibig_to_f64(&i).map_err(|e| fmt_err(vm, e));
    }
    Err(vm.new_type_error(format!("must be real number, not {}", vm.type_name_of(v))))
}

/// A `*` width or precision argument.
fn star_arg(vm: &Vm, v: &Value) -> PyResult<i64> {
    if vm.as_ibig(v).is_none() {
        return Err(vm.new_type_error("* wants int"));
    }
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        _ => Err(vm.new_overflow_error("Python int too large to convert to C ssize_t")),
    }
}

/// Formats `fmt % args`. In bytes mode `fmt` chars are bytes (Latin-1) and
/// the result's chars are too. The format is walked as UTF-8 bytes: its
/// syntax is ASCII, so text between conversions is copied a run at a time.
pub(crate) fn percent_format(vm: &Vm, fmt: &str, args: &Value, mode: Mode) -> PyResult<String> {
    let tuple = args.payload().and_then(|p| p.as_tuple()).map(|t| t.to_vec());
    let (arglen, argidx) = match &tuple {
        Some(t) => (t.len() as i64, 0),
        None => (-1, -2),
    };
    // A value with `__getitem__` is a mapping for `%(key)s`, except the
    // string types (CPython's exclusions: str for str %; str, bytes and
    // bytearray for bytes %).
    let p = args.payload();
    let is_text = match mode {
        Mode::Str => p.and_then(|p| p.as_str()).is_some(),
        Mode::Bytes => p.is_some_and(|p| {
            p.as_str().is_some() || p.as_bytes().is_some() || matches!(p.base(), Payload::ByteArray(_))
        }),
    };
    let dict = if tuple.is_none() && !is_text && vm.special(args, Slot::GetItem).is_some() {
        Some(args.clone())
    } else {
        None
    };
    let mut ctx = Ctx { vm, args: args.clone(), tuple, arglen, argidx, dict };
    let mut out = String::with_capacity(fmt.len() + 16);
    let text = fmt;
    let fmt = fmt.as_bytes();
    let n = fmt.len();
    let mut i = 0;
    while i < n {
        if fmt[i] != b'%' {
            let run = text[i..].find('%').map_or(n, |k| i + k);
            out.push_str(&text[i..run]);
            i = run;
            continue;
        }
        i += 1;
        if i < n && fmt[i] == b'%' {
            out.push('%');
            i += 1;
            continue;
        }
        // Mapping key.
        if i < n && fmt[i] == b'(' {
            let d = match &ctx.dict {
                Some(d) => d.clone(),
                None => return Err(vm.new_type_error("format requires a mapping")),
            };
            i += 1;
            let start = i;
            let mut depth = 1;
            while i < n {
                if fmt[i] == b')' {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                } else if fmt[i] == b'(' {
                    depth += 1;
                }
                i += 1;
            }
            if i >= n {
                return Err(vm.new_value_error("incomplete format key"));
            }
            let key_text = &text[start..i];
            i += 1;
            let key = match mode {
                Mode::Str => vm.new_str(key_text),
                Mode::Bytes => vm.new_bytes(key_text.chars().map(|c| c as u32 as u8).collect::<Vec<u8>>()),
            };
            ctx.args = vm.getitem(&d, &key)?;
            ctx.tuple = None;
            ctx.arglen = -1;
            ctx.argidx = -2;
        }
        let mut spec = PercentSpec::default();
        while i < n {
            match fmt[i] {
                b'-' => spec.left = true,
                b'+' => spec.sign = true,
                b' ' => spec.blank = true,
                b'#' => spec.alt = true,
                b'0' => spec.zero = true,
                _ => break,
            }
            i += 1;
        }
        // Width.
        if i < n && fmt[i] == b'*' {
            i += 1;
            let v = ctx.next_arg()?;
            let w = star_arg(vm, &v)?;
            if w < 0 {
                spec.left = true;
            }
            spec.width = Some(w.unsigned_abs() as usize);
        } else {
            let mut w: Option<usize> = None;
            while i < n && fmt[i].is_ascii_digit() {
                let d = (fmt[i] - b'0') as usize;
                w = Some(
                    w.unwrap_or(0)
                        .checked_mul(10)
                        .and_then(|x| x.checked_add(d))
                        .filter(|x| *x <= i32::MAX as usize)
                        .ok_or_else(|| vm.new_value_error("width too big"))?,
                );
                i += 1;
            }
            spec.width = w;
        }
        // Precision.
        if i < n && fmt[i] == b'.' {
            i += 1;
            if i < n && fmt[i] == b'*' {
                i += 1;
                let v = ctx.next_arg()?;
                let p = star_arg(vm, &v)?;
                // CPython reads a `*` precision as a C int.
                if i32::try_from(p).is_err() {
                    return Err(vm.new_overflow_error("Python int too large to convert to C int"));
                }
                spec.prec = Some(p.max(0) as usize);
            } else {
                let mut p: usize = 0;
                while i < n && fmt[i].is_ascii_digit() {
                    let d = (fmt[i] - b'0') as usize;
                    p = p
                        .checked_mul(10)
                        .and_then(|x| x.checked_add(d))
                        .filter(|x| *x <= i32::MAX as usize)
                        .ok_or_else(|| vm.new_value_error("precision too big"))?;
                    i += 1;
                }
                spec.prec = Some(p);
            }
        }
        // Length modifiers are accepted and ignored, as in C.
        while i < n && matches!(fmt[i], b'h' | b'l' | b'L') {
            i += 1;
        }
        let Some(conv) = text[i..].chars().next() else {
            return Err(vm.new_value_error("incomplete format"));
        };
        let conv_at = i;
        i += conv.len_utf8();
        let v = ctx.next_arg()?;
        // The plain `%d` of a machine int and `%s` of an exact str, straight
        // into the output.
        if spec == PercentSpec::default() {
            match (conv, &v) {
                ('d' | 'i' | 'u', Value::Int(x)) => {
                    push_i64(&mut out, *x);
                    continue;
                }
                ('s', Value::Obj(o)) if mode == Mode::Str && o.class().is(&vm.types.str) => {
                    out.push_str(o.payload.as_str().map_or("", |p| p.as_str()));
                    continue;
                }
                _ => {}
            }
        }
        let piece = match conv {
            's' | 'b' if mode == Mode::Bytes => {
                let raw = bytes_operand(vm, &v)?;
                let text: String = raw.iter().map(|&b| b as char).collect();
                tf::percent_format_str(&text, &spec)
            }
            's' => tf::percent_format_str(vm.str(&v)?.payload.as_str().map(|p| p.as_str()).unwrap_or(""), &spec),
            'r' if mode == Mode::Str => {
                tf::percent_format_str(vm.repr(&v)?.payload.as_str().map(|p| p.as_str()).unwrap_or(""), &spec)
            }
            'r' | 'a' => tf::percent_format_str(&ascii_string(vm, &v)?, &spec),
            'd' | 'i' | 'u' | 'o' | 'x' | 'X' => {
                let iv = int_operand(vm, &v, conv)?;
                let real = if conv == 'i' || conv == 'u' { 'd' } else { conv };
                tf::percent_format_int(&iv, &spec, real, vm.int_max_str_digits.get())
            }
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                let f = float_operand(vm, &v)?;
                tf::percent_format_float(f, &spec, conv)
            }
            'c' => tf::percent_format_char(char_operand(vm, &v, mode)?, &spec),
            _ => {
                let cp = conv as u32;
                // As CPython: bytes show the byte itself, str only 31..=126.
                let shown = if mode == Mode::Bytes || (31..=126).contains(&cp) { conv } else { '?' };
                if mode == Mode::Bytes && cp >= 0x80 {
                    // CPython formats its message with the byte as a
                    // negative C char, which `%c` rejects.
                    return Err(vm.new_overflow_error("character argument not in range(0x110000)"));
                }
                let conv_index = text[..conv_at].chars().count();
                return Err(vm.new_value_error(format!(
                    "unsupported format character '{shown}' ({cp:#x}) at index {conv_index}"
                )));
            }
        };
        out.push_str(&piece.map_err(|e| fmt_err(vm, e))?);
    }
    if ctx.argidx < ctx.arglen && ctx.dict.is_none() {
        let what = if mode == Mode::Bytes { "bytes" } else { "string" };
        return Err(vm.new_type_error(format!("not all arguments converted during {what} formatting")));
    }
    Ok(out)
}

/// Appends the decimal digits of `x`.
fn push_i64(out: &mut String, x: i64) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    let mut m = x.unsigned_abs();
    loop {
        at -= 1;
        buf[at] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    if x < 0 {
        out.push('-');
    }
    for &b in &buf[at..] {
        out.push(b as char);
    }
}

/// The character of a `%c` conversion.
fn char_operand(vm: &Vm, v: &Value, mode: Mode) -> PyResult<char> {
    match mode {
        Mode::Str => {
            if let Some(s) = v.payload().and_then(|p| p.as_str()) {
                if s.char_len() == 1 {
                    return Ok(s.as_str().chars().next().unwrap_or('\0'));
                }
                return Err(vm.new_type_error("%c requires int or char"));
            }
            let i = match vm.as_ibig(v) {
                Some(i) => i,
                None if vm.special(v, Slot::Index).is_some() => vm.as_ibig(&vm.index(v)?).unwrap_or_default(),
                None => return Err(vm.new_type_error("%c requires int or char")),
            };
            tf::char_from_int(&i).map_err(|e| fmt_err(vm, e))
        }
        Mode::Bytes => {
            if let Some(b) = crate::types::str_methods::bytes_like(v) {
                if b.len() == 1 {
                    return Ok(b[0] as char);
                }
                return Err(vm.new_type_error("%c requires an integer in range(256) or a single byte"));
            }
            let i = match vm.as_ibig(v) {
                Some(i) => i,
                None if vm.special(v, Slot::Index).is_some() => vm.as_ibig(&vm.index(v)?).unwrap_or_default(),
                None => return Err(vm.new_type_error("%c requires an integer in range(256) or a single byte")),
            };
            match u8::try_from(&i) {
                Ok(b) => Ok(b as char),
                Err(_) => Err(vm.new_overflow_error("%c arg not in range(256)")),
            }
        }
    }
}

/// The bytes of a `%s`/`%b` operand in bytes formatting.
fn bytes_operand(vm: &Vm, v: &Value) -> PyResult<Vec<u8>> {
    if let Some(b) = crate::types::str_methods::bytes_like(v) {
        return Ok(b);
    }
    if let Some(b) = crate::types::bytes::dunder_bytes_vec(vm, v)? {
        return Ok(b);
    }
    Err(vm.new_type_error(format!(
        "%b requires a bytes-like object, or an object that implements __bytes__, not '{}'",
        vm.type_name_of(v)
    )))
}

/// `str.__mod__(self, args)`.
pub fn str_mod(vm: &Vm, args: Args) -> PyResult {
    let pos = dunder_args(vm, args, 1)?;
    let me = args.positional().first().and_then(|v| v.payload()).and_then(|p| p.as_str());
    let me = me.ok_or_else(|| vm.new_type_error("descriptor '__mod__' requires a 'str' object"))?;
    Ok(vm.new_str(percent_format(vm, me.as_str(), &pos[0], Mode::Str)?))
}

/// `bytes % args` / `bytearray % args`: the formatted bytes.
pub(crate) fn bytes_mod(vm: &Vm, fmt: &[u8], args: &Value) -> PyResult<Vec<u8>> {
    let latin1: String = fmt.iter().map(|&b| b as char).collect();
    let out = percent_format(vm, &latin1, args, Mode::Bytes)?;
    Ok(out.chars().map(|c| c as u32 as u8).collect())
}
