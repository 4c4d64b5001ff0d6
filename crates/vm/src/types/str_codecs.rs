//! The text codecs behind `str.encode`, `bytes.decode`, `str(b, encoding)`
//! and the `_codecs` module. UTF-8, ASCII, Latin-1, UTF-16 and UTF-32 have
//! native fast paths; any other name goes through the codec registry
//! (`_codecs.lookup`, which imports CPython's `encodings` package), as in
//! CPython. Error handlers are in `errors`.
//!
//! A str holding lone surrogates (`str_surrogates`) is encoded by
//! `surrogate_encode`.

pub mod charmap;
pub mod errors;
pub mod escape;
pub mod surrogate_encode;
pub mod utf;
pub mod utf7;

pub use errors::backslash_escape;

use crate::types::str_surrogates::StrBuf;
use crate::value::Value;
use crate::{PyResult, Vm};

/// A codec krait implements natively.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Codec {
    Utf8,
    Ascii,
    Latin1,
    Utf16 { big: bool, bom: bool },
    Utf32 { big: bool, bom: bool },
    /// Found through the codec registry (a Python codec).
    Registry,
}

impl Codec {
    /// The name CPython's error messages use.
    pub fn name(self) -> &'static str {
        match self {
            Codec::Utf8 => "utf-8",
            Codec::Ascii => "ascii",
            Codec::Latin1 => "latin-1",
            Codec::Utf16 { bom: true, .. } => "utf-16",
            Codec::Utf16 { big: false, .. } => "utf-16-le",
            Codec::Utf16 { big: true, .. } => "utf-16-be",
            Codec::Utf32 { bom: true, .. } => "utf-32",
            Codec::Utf32 { big: false, .. } => "utf-32-le",
            Codec::Utf32 { big: true, .. } => "utf-32-be",
            Codec::Registry => "",
        }
    }
}

/// Finds a codec by name the way `codecs.lookup` normalises names
/// (case-insensitive; `-` and blanks are equivalent to `_`).
pub fn lookup(vm: &Vm, name: &str) -> PyResult<Codec> {
    match native(name) {
        Some(c) => Ok(c),
        None => {
            registry_lookup(vm, name)?;
            Ok(Codec::Registry)
        }
    }
}

/// `_codecs.lookup(name)`: the CodecInfo (LookupError if unknown).
pub fn registry_lookup(vm: &Vm, name: &str) -> PyResult {
    // A VM without krait-stdlib (the VM's own unit tests) has no registry.
    let m = vm
        .import_full("_codecs")
        .map_err(|_| vm.new_exception_msg(&vm.exc.lookup_error, format!("unknown encoding: {name}")))?;
    let f = vm.getattr_str(&Value::Obj(m), "lookup")?;
    vm.call1(&f, &[vm.new_str(name)])
}

/// Looks up a codec for str<->bytes use: codecs such as rot13 or base64
/// declare `_is_text_encoding = False` and are refused.
fn text_codec(vm: &Vm, name: &str, verb: &str) -> PyResult<Vec<Value>> {
    let info = registry_lookup(vm, name)?;
    if let Ok(flag) = vm.getattr_str(&info, "_is_text_encoding") {
        if !vm.truthy(&flag)? {
            return Err(vm.new_exception_msg(
                &vm.exc.lookup_error,
                format!("'{name}' is not a text encoding; use codecs.{verb}() to handle arbitrary codecs"),
            ));
        }
    }
    vm.seq_items(&info).ok_or_else(|| vm.new_type_error("codec search functions must return 4-tuples"))
}

/// An exception a codec raised, wrapped as CPython's
/// `_PyErr_TrySetFromCause` does: when it holds no more than its type and
/// one str argument, a new one of the same type says "`operation` with
/// 'encoding' codec failed (Type: message)", the original as its cause.
/// Anything else passes through as it is.
pub fn wrap_codec_error(vm: &Vm, err: crate::PyErr, operation: &str, encoding: &str) -> crate::PyErr {
    if !wrappable(vm, &err) {
        return err;
    }
    let orig = Value::Obj(err.clone());
    let wrapped = (|| -> PyResult<crate::PyErr> {
        let cls = Value::Obj(err.class().clone());
        let msg = format!(
            "{operation} with '{encoding}' codec failed ({}: {})",
            vm.type_name_of(&orig),
            vm.str_string(&orig)?
        );
        let new = vm.call1(&cls, &[vm.new_str(msg)])?;
        vm.setattr_str(&new, "__cause__", orig.clone())?;
        match new {
            Value::Obj(o) => Ok(o),
            _ => Err(err.clone()),
        }
    })();
    wrapped.unwrap_or(err)
}

/// Can the exception be made again from its type and message alone: no
/// class state beyond BaseException's (builtin exceptions with fields, a
/// class of its own `__init__`/`__new__` or slots), at most one str
/// argument and no attributes of its own?
fn wrappable(vm: &Vm, err: &crate::PyErr) -> bool {
    let e = &vm.exc;
    let stateful = [
        &e.stop_iteration, &e.system_exit, &e.import_error, &e.attribute_error, &e.name_error, &e.os_error,
        &e.syntax_error, &e.unicode_encode_error, &e.unicode_decode_error, &e.unicode_translate_error,
        &e.base_exception_group,
    ];
    let cls = err.class();
    if stateful.iter().any(|t| vm.is_subtype(cls, t)) {
        return false;
    }
    let Some(mro) = cls.payload.as_type().map(|t| t.mro.borrow().clone()) else { return false };
    for c in mro.iter().take_while(|c| !c.is(&e.base_exception)) {
        let Ok(d) = vm.getattr_str(&Value::Obj(c.clone()), "__dict__") else { return false };
        let own = |name: &str| vm.contains(&d, &vm.new_str(name)).unwrap_or(true);
        if own("__init__") || own("__new__") {
            return false;
        }
        if own("__slots__") {
            let slots = vm.getitem(&d, &vm.new_str("__slots__"));
            if !matches!(slots.map(|s| vm.len(&s)), Ok(Ok(0))) {
                return false;
            }
        }
    }
    let v = Value::Obj(err.clone());
    let args_ok = match vm.getattr_str(&v, "args").ok().and_then(|a| vm.seq_items(&a)) {
        Some(a) => a.is_empty() || (a.len() == 1 && crate::types::str_format::is_exact_str(vm, &a[0])),
        None => false,
    };
    let no_attrs = match vm.instance_dict(&v, false) {
        Some(d) => vm.len(&Value::Obj(d)).map(|n| n == 0).unwrap_or(false),
        None => true,
    };
    args_ok && no_attrs
}

/// Calls a registry encoder/decoder and returns the first item of the
/// `(result, length)` tuple it must give.
fn call_codec(vm: &Vm, f: &Value, input: Value, errors: &str, what: &str, encoding: &str) -> PyResult {
    let operation = if what == "encoder" { "encoding" } else { "decoding" };
    let res = vm.call1(f, &[input, vm.new_str(errors)]).map_err(|e| wrap_codec_error(vm, e, operation, encoding))?;
    match res.payload().and_then(|p| p.as_tuple()) {
        Some(t) if t.len() == 2 => Ok(t[0].clone()),
        _ => Err(vm.new_type_error(format!("{what} must return a tuple (object, integer)"))),
    }
}

fn registry_encode(vm: &Vm, obj: &Value, encoding: &str, errors: &str) -> PyResult<Vec<u8>> {
    let info = text_codec(vm, encoding, "encode")?;
    let v = call_codec(vm, &info[0], obj.clone(), errors, "encoder", encoding)?;
    match v.payload().and_then(|p| p.as_bytes()) {
        Some(b) => Ok(b.to_vec()),
        None => Err(vm.new_type_error(format!(
            "'{encoding}' encoder returned '{}' instead of 'bytes'; use codecs.encode() to encode to arbitrary types",
            vm.type_name_of(&v)
        ))),
    }
}

fn registry_decode(vm: &Vm, obj: &Value, encoding: &str, errors: &str) -> PyResult<StrBuf> {
    let info = text_codec(vm, encoding, "decode")?;
    let v = call_codec(vm, &info[1], obj.clone(), errors, "decoder", encoding)?;
    match v.payload() {
        Some(crate::payload::Payload::Str(s)) => {
            let mut b = StrBuf::with_capacity(s.byte_len());
            b.push_pystr(s);
            Ok(b)
        }
        _ => Err(vm.new_type_error(format!(
            "'{encoding}' decoder returned '{}' instead of 'str'; use codecs.decode() to decode to arbitrary types",
            vm.type_name_of(&v)
        ))),
    }
}

/// Encodes code point by code point with `enc` (lone surrogates of `obj`
/// included); runs of code points it refuses go to the error handler
/// together, as in CPython.
pub fn encode_chars(
    vm: &Vm,
    obj: &Value,
    s: &str,
    errors: &str,
    encoding: &str,
    reason: &str,
    enc: &mut errors::EncodeOne,
) -> PyResult<Vec<u8>> {
    let cps: Vec<u32> = match obj.payload().and_then(|p| p.as_str()) {
        Some(ps) => ps.code_points().collect(),
        None => s.chars().map(|c| c as u32).collect(),
    };
    let mut out = Vec::with_capacity(cps.len());
    let mut scratch = Vec::new();
    let mut i = 0;
    while i < cps.len() {
        if enc(cps[i], &mut out)? {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < cps.len() {
            scratch.clear();
            if enc(cps[end], &mut scratch)? {
                break;
            }
            end += 1;
        }
        i = errors::encode_error(vm, errors, encoding, obj, &cps, i, end, reason, &mut out, enc)?;
    }
    Ok(out)
}

/// ASCII (limit 0x80) or Latin-1 (0x100) encoding.
pub fn encode_latin(vm: &Vm, obj: &Value, s: &str, errors: &str, limit: u32) -> PyResult<Vec<u8>> {
    if s.is_ascii() {
        return Ok(s.as_bytes().to_vec());
    }
    let (name, reason) =
        if limit == 0x80 { ("ascii", "ordinal not in range(128)") } else { ("latin-1", "ordinal not in range(256)") };
    let mut enc = |c: u32, out: &mut Vec<u8>| -> PyResult<bool> {
        if c < limit {
            out.push(c as u8);
            Ok(true)
        } else {
            Ok(false)
        }
    };
    encode_chars(vm, obj, s, errors, name, reason, &mut enc)
}

/// ASCII decoding.
pub fn decode_ascii(vm: &Vm, input: &[u8], errors: &str) -> PyResult<StrBuf> {
    if input.is_ascii() {
        return Ok(StrBuf::from(input.iter().map(|&b| b as char).collect::<String>()));
    }
    let mut data = errors::DecodeInput::from(input);
    let mut out = StrBuf::with_capacity(data.len());
    let mut pos = 0;
    while pos < data.len() {
        if data[pos] < 0x80 {
            out.push(data[pos] as char);
            pos += 1;
        } else {
            pos = errors::decode_error(vm, errors, "ascii", &mut data, pos, pos + 1, "ordinal not in range(128)", &mut out)?;
        }
    }
    Ok(out)
}

/// `s.encode(encoding, errors)`; `obj` is the str value (for the exception).
pub fn encode(vm: &Vm, obj: &Value, s: &str, encoding: &str, errors: &str) -> PyResult<Vec<u8>> {
    // The registry is only consulted for names krait does not know natively.
    match native(encoding) {
        Some(codec) => encode_native(vm, obj, s, codec, errors),
        None => registry_encode(vm, obj, encoding, errors),
    }
}

/// Encodes with a native codec (`Codec::Registry` means none: empty
/// output); `obj` is the str value, `s` its text.
pub fn encode_native(vm: &Vm, obj: &Value, s: &str, codec: Codec, errors: &str) -> PyResult<Vec<u8>> {
    if let (Some(ps), false) = (crate::types::str_surrogates::surrogate_str(obj), codec == Codec::Registry) {
        return surrogate_encode::encode(vm, obj, ps, codec, errors);
    }
    Ok(match codec {
        Codec::Utf8 => s.as_bytes().to_vec(),
        Codec::Utf16 { big, bom } => utf::encode_utf16_32(s, byteorder(big, bom), false),
        Codec::Utf32 { big, bom } => utf::encode_utf16_32(s, byteorder(big, bom), true),
        Codec::Ascii => encode_latin(vm, obj, s, errors, 0x80)?,
        Codec::Latin1 => encode_latin(vm, obj, s, errors, 0x100)?,
        Codec::Registry => Vec::new(),
    })
}

fn byteorder(big: bool, bom: bool) -> i32 {
    if bom {
        0
    } else if big {
        1
    } else {
        -1
    }
}

/// The native codec for a name, if any (no registry look-up).
fn native(name: &str) -> Option<Codec> {
    let norm: String =
        name.trim().chars().map(|c| if c == '-' || c == ' ' { '_' } else { c.to_ascii_lowercase() }).collect();
    Some(match norm.as_str() {
        "utf_8" | "utf8" | "u8" | "utf" | "cp65001" | "utf8_ucs2" | "utf8_ucs4" => Codec::Utf8,
        "ascii" | "us_ascii" | "646" | "us" | "ansi_x3.4_1968" | "ansi_x3.4_1986" | "cp367" | "csascii" | "ibm367"
        | "iso646_us" | "iso_646.irv_1991" | "iso_ir_6" => Codec::Ascii,
        "latin_1" | "latin1" | "latin" | "l1" | "iso_8859_1" | "iso8859_1" | "8859" | "cp819" | "iso_ir_100"
        | "csisolatin1" | "ibm819" | "iso_8859_1_1987" => Codec::Latin1,
        "utf_16" | "utf16" | "u16" => Codec::Utf16 { big: false, bom: true },
        "utf_16_le" | "utf_16le" | "utf16le" => Codec::Utf16 { big: false, bom: false },
        "utf_16_be" | "utf_16be" | "utf16be" => Codec::Utf16 { big: true, bom: false },
        "utf_32" | "utf32" | "u32" => Codec::Utf32 { big: false, bom: true },
        "utf_32_le" | "utf_32le" | "utf32le" => Codec::Utf32 { big: false, bom: false },
        "utf_32_be" | "utf_32be" | "utf32be" => Codec::Utf32 { big: true, bom: false },
        _ => return None,
    })
}

/// `data.decode(encoding, errors)`; `obj` is the bytes-like value (for
/// codecs from the registry, which receive it).
pub fn decode(vm: &Vm, obj: &Value, data: &[u8], encoding: &str, errors: &str) -> PyResult<StrBuf> {
    let codec = match native(encoding) {
        Some(c) => c,
        None => return registry_decode(vm, obj, encoding, errors),
    };
    Ok(match codec {
        Codec::Utf8 => utf::decode_utf8(vm, data, errors, true)?.0,
        Codec::Ascii => decode_ascii(vm, data, errors)?,
        Codec::Latin1 => StrBuf::from(data.iter().map(|&b| b as char).collect::<String>()),
        Codec::Utf16 { big, bom } => utf::decode_utf16_32(vm, data, errors, byteorder(big, bom), true, false)?.0,
        Codec::Utf32 { big, bom } => utf::decode_utf16_32(vm, data, errors, byteorder(big, bom), true, true)?.0,
        Codec::Registry => registry_decode(vm, obj, encoding, errors)?,
    })
}
