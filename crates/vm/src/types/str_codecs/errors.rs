//! Codec error handlers. The standard handlers run natively without building
//! an exception; any other name is looked up in `_codecs`' registry
//! (`codecs.register_error`) and called with the Unicode*Error as CPython
//! does. `surrogateescape` and `surrogatepass` make and take lone
//! surrogates (see `str_surrogates`).

use crate::types::str_surrogates::StrBuf;
use crate::value::Value;
use crate::{PyErr, PyResult, Vm};

/// A resolved error handler.
pub enum Handler {
    Strict,
    Ignore,
    Replace,
    BackslashReplace,
    XmlCharRefReplace,
    NameReplace,
    /// PEP 383: undecodable bytes 0x80..0xFF become U+DC80..U+DCFF and back.
    SurrogateEscape,
    /// Surrogates encoded as a UTF would encode any other code point.
    SurrogatePass,
    Custom(Value),
}

/// Resolves an `errors=` name (only when an error actually happens, so an
/// unknown name is harmless on clean input, as in CPython).
pub fn handler(vm: &Vm, errors: &str) -> PyResult<Handler> {
    Ok(match errors {
        "strict" => Handler::Strict,
        "ignore" => Handler::Ignore,
        "replace" => Handler::Replace,
        "backslashreplace" => Handler::BackslashReplace,
        "xmlcharrefreplace" => Handler::XmlCharRefReplace,
        "namereplace" => Handler::NameReplace,
        "surrogateescape" => Handler::SurrogateEscape,
        "surrogatepass" => Handler::SurrogatePass,
        _ => Handler::Custom(lookup_error(vm, errors)?),
    })
}

/// `_codecs.lookup_error(name)` through the module (the registry lives there).
pub fn lookup_error(vm: &Vm, name: &str) -> PyResult {
    let m = vm.import_full("_codecs")?;
    let f = vm.getattr_str(&Value::Obj(m), "lookup_error")?;
    vm.call1(&f, &[vm.new_str(name)])
}

/// A UnicodeEncodeError/UnicodeDecodeError with its five fields filled.
pub fn unicode_error(vm: &Vm, typ: &crate::PyRef, fields: Vec<Value>) -> PyErr {
    let e = vm.new_exception(typ, fields.clone());
    match crate::types::exception_methods::init_exception_fields(vm, &e, &fields) {
        Ok(()) => e,
        Err(err) => err,
    }
}

pub fn decode_exc(vm: &Vm, encoding: &str, data: &[u8], start: usize, end: usize, reason: &str) -> PyErr {
    let fields = vec![
        vm.new_str(encoding),
        vm.new_bytes(data.to_vec()),
        Value::Int(start as i64),
        Value::Int(end as i64),
        vm.new_str(reason),
    ];
    unicode_error(vm, &vm.exc.unicode_decode_error, fields)
}

pub fn encode_exc(vm: &Vm, encoding: &str, obj: &Value, start: usize, end: usize, reason: &str) -> PyErr {
    let fields =
        vec![vm.new_str(encoding), obj.clone(), Value::Int(start as i64), Value::Int(end as i64), vm.new_str(reason)];
    unicode_error(vm, &vm.exc.unicode_encode_error, fields)
}

/// `\xhh`, `\uhhhh` or `\Uhhhhhhhh` for a code point.
pub fn backslash_escape(cp: u32) -> String {
    if cp < 0x100 {
        format!("\\x{cp:02x}")
    } else if cp < 0x10000 {
        format!("\\u{cp:04x}")
    } else {
        format!("\\U{cp:08x}")
    }
}

/// A handler's `(replacement, newpos)` answer, checked as CPython does.
pub(super) fn parse_result(vm: &Vm, res: &Value, len: usize, decoding: bool) -> PyResult<(Value, usize)> {
    let msg = if decoding {
        "decoding error handler must return (str, int) tuple"
    } else {
        "encoding error handler must return (str/bytes, int) tuple"
    };
    let items = match res.payload().and_then(|p| p.as_tuple()) {
        Some(t) if t.len() == 2 => t.to_vec(),
        _ => return Err(vm.new_type_error(msg)),
    };
    let rep_ok = vm.as_str(&items[0]).is_some()
        || (!decoding && items[0].payload().and_then(|p| p.as_bytes()).is_some());
    let pos = match (&items[1], rep_ok) {
        (Value::Int(i), true) => *i,
        (Value::Bool(b), true) => *b as i64,
        _ => return Err(vm.new_type_error(msg)),
    };
    let newpos = if pos < 0 { pos + len as i64 } else { pos };
    if newpos < 0 || newpos > len as i64 {
        return Err(vm.new_index_error(format!("position {pos} from error handler out of bounds")));
    }
    Ok((items[0].clone(), newpos as usize))
}

/// A decoder's input: the bytes it was given, or the object a custom error
/// handler put in `exc.object` (decoding goes on in that, as in CPython).
pub type DecodeInput<'a> = std::borrow::Cow<'a, [u8]>;

/// Handles the undecodable bytes `data[start..end]`: appends the
/// replacement to `out` and returns where decoding resumes.
#[allow(clippy::too_many_arguments)]
pub fn decode_error(
    vm: &Vm,
    errors: &str,
    encoding: &str,
    input: &mut DecodeInput<'_>,
    start: usize,
    end: usize,
    reason: &str,
    out: &mut StrBuf,
) -> PyResult<usize> {
    let data: &[u8] = input;
    let fail = || decode_exc(vm, encoding, data, start, end, reason);
    match handler(vm, errors)? {
        Handler::Strict => Err(fail()),
        Handler::SurrogateEscape => {
            // Up to four bytes, each 0x80 or above (an ASCII byte cannot be escaped).
            let escaped = data[start..end].iter().take(4).take_while(|&&b| b >= 0x80).count();
            if escaped == 0 {
                return Err(fail());
            }
            for &b in &data[start..start + escaped] {
                out.push_code_point(0xDC00 + b as u32);
            }
            Ok(start + escaped)
        }
        Handler::SurrogatePass => match decode_surrogate(encoding, &data[start..]) {
            Some((cp, len)) => {
                out.push_code_point(cp);
                Ok(start + len)
            }
            None => Err(fail()),
        },
        Handler::Ignore => Ok(end),
        Handler::Replace => {
            out.push('\u{FFFD}');
            Ok(end)
        }
        Handler::BackslashReplace => {
            for &b in &data[start..end] {
                out.push_str(&backslash_escape(b as u32));
            }
            Ok(end)
        }
        Handler::XmlCharRefReplace | Handler::NameReplace => Err(vm.new_type_error("don't know how to handle UnicodeDecodeError in error callback")),
        Handler::Custom(f) => {
            let exc = decode_exc(vm, encoding, data, start, end, reason);
            let given = unicode_error_object(vm, &exc)?;
            let res = vm.call1(&f, &[Value::Obj(exc.clone())])?;
            // The handler may have replaced `exc.object`: decoding goes on there.
            let now = unicode_error_object(vm, &exc)?;
            if !now.is(&given) {
                let bytes = match now.payload().and_then(|p| p.as_bytes()) {
                    Some(b) => b.to_vec(),
                    None => return Err(vm.new_type_error("object attribute must be bytes")),
                };
                *input = DecodeInput::Owned(bytes);
            }
            let (rep, pos) = parse_result(vm, &res, input.len(), true)?;
            match rep.payload() {
                Some(crate::payload::Payload::Str(r)) => out.push_pystr(r),
                _ => out.push_str(vm.as_str(&rep).unwrap_or("")),
            }
            Ok(pos)
        }
    }
}

/// The `object` field of a UnicodeDecodeError.
fn unicode_error_object(vm: &Vm, exc: &crate::PyRef) -> PyResult<Value> {
    vm.getattr_str(&Value::Obj(exc.clone()), "object")
}

/// `surrogatepass` decoding: the surrogate a UTF encodes at the start of
/// `data`, and its length in bytes.
fn decode_surrogate(encoding: &str, data: &[u8]) -> Option<(u32, usize)> {
    let (cp, len) = match (encoding, data) {
        ("utf-8", [0xED, b1 @ 0xA0..=0xBF, b2 @ 0x80..=0xBF, ..]) => {
            (0xD000 | ((*b1 as u32 & 0x3F) << 6) | (*b2 as u32 & 0x3F), 3)
        }
        ("utf-16-le", [a, b, ..]) => (u16::from_le_bytes([*a, *b]) as u32, 2),
        ("utf-16-be", [a, b, ..]) => (u16::from_be_bytes([*a, *b]) as u32, 2),
        ("utf-32-le", [a, b, c, d, ..]) => (u32::from_le_bytes([*a, *b, *c, *d]), 4),
        ("utf-32-be", [a, b, c, d, ..]) => (u32::from_be_bytes([*a, *b, *c, *d]), 4),
        _ => return None,
    };
    crate::types::str_surrogates::is_surrogate(cp).then_some((cp, len))
}

/// Encodes one code point for the codec at hand: Ok(false) when it cannot.
pub type EncodeOne<'a> = dyn FnMut(u32, &mut Vec<u8>) -> PyResult<bool> + 'a;

/// The text the replacing handlers (replace, backslashreplace,
/// xmlcharrefreplace, namereplace) put for the code points `bad`; None for
/// the others.
pub fn replacement_text(h: &Handler, bad: &[u32]) -> Option<String> {
    Some(match h {
        Handler::Replace => "?".repeat(bad.len()),
        Handler::BackslashReplace => bad.iter().map(|&c| backslash_escape(c)).collect(),
        Handler::XmlCharRefReplace => bad.iter().map(|&c| format!("&#{c};")).collect(),
        Handler::NameReplace => bad
            .iter()
            .map(|&c| match krait_text::unicode::names::name(c) {
                Some(n) => format!("\\N{{{n}}}"),
                None => backslash_escape(c),
            })
            .collect(),
        _ => return None,
    })
}

/// Handles the unencodable code points `cps[start..end]` of `obj`: appends
/// the replacement (itself encoded with `enc`) and returns where to resume.
#[allow(clippy::too_many_arguments)]
pub fn encode_error(
    vm: &Vm,
    errors: &str,
    encoding: &str,
    obj: &Value,
    cps: &[u32],
    start: usize,
    end: usize,
    reason: &str,
    out: &mut Vec<u8>,
    enc: &mut EncodeOne,
) -> PyResult<usize> {
    let fail = || encode_exc(vm, encoding, obj, start, end, reason);
    let h = handler(vm, errors)?;
    let (text, pos) = match h {
        Handler::Strict | Handler::SurrogatePass => return Err(fail()),
        Handler::Ignore => return Ok(end),
        // The handler's way: all of the run escapes back to bytes, or none.
        Handler::SurrogateEscape => {
            if !cps[start..end].iter().all(|c| (0xDC80..=0xDCFF).contains(c)) {
                return Err(fail());
            }
            out.extend(cps[start..end].iter().map(|&c| (c - 0xDC00) as u8));
            return Ok(end);
        }
        Handler::Custom(f) => {
            let exc = encode_exc(vm, encoding, obj, start, end, reason);
            let res = vm.call1(&f, &[Value::Obj(exc)])?;
            let (rep, pos) = parse_result(vm, &res, cps.len(), false)?;
            if let Some(b) = rep.payload().and_then(|p| p.as_bytes()) {
                out.extend_from_slice(b);
                return Ok(pos);
            }
            let rep_cps: Vec<u32> = match rep.payload().and_then(|p| p.as_str()) {
                Some(r) => r.code_points().collect(),
                None => Vec::new(),
            };
            (rep_cps, pos)
        }
        _ => (replacement_text(&h, &cps[start..end]).unwrap_or_default().chars().map(|c| c as u32).collect(), end),
    };
    for c in text {
        if !enc(c, out)? {
            return Err(fail());
        }
    }
    Ok(pos)
}
