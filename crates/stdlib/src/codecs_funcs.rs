//! The codec functions of `_codecs` (`utf_8_decode`, `charmap_encode`, ...)
//! that CPython's `encodings/*.py` call, the standard error-handler
//! functions `lookup_error` returns, and the `EncodingMap` type of
//! `charmap_build`. Each encoder returns `(bytes, chars consumed)`, each
//! decoder `(str, bytes consumed)`.

use crate::native::{descr_error, native_type, new_object, TypeSpec};
use krait_vm::types::int::bytes_like;
use krait_vm::types::str_codecs::errors::{replacement_text, Handler};
use krait_vm::types::str_codecs::{self as sc, charmap, escape, utf, utf7, Codec};
use krait_vm::types::str_surrogates::StrBuf;
use krait_vm::types::typeobj::Layout;
use krait_vm::{Args, NativeDef, PyResult, Value, Vm};
use std::collections::HashMap;

/// Positional-only arguments, padded with None up to `max`.
fn params(vm: &Vm, name: &str, args: &Args, min: usize, max: usize) -> PyResult<Vec<Value>> {
    let a = crate::native::unpack(vm, name, args, min, max)?;
    let mut v = a.to_vec();
    v.resize(max, Value::None);
    Ok(v)
}

fn str_param<'a>(vm: &Vm, name: &str, v: &'a Value) -> PyResult<&'a str> {
    crate::codecs::str_arg(vm, name, 1, v)
}

fn data_param(vm: &Vm, v: &Value) -> PyResult<Vec<u8>> {
    bytes_like(v).ok_or_else(|| {
        vm.new_type_error(format!("a bytes-like object is required, not '{}'", vm.type_name_of(v)))
    })
}

/// A bytes-like argument, or a str as its UTF-8 bytes.
fn text_or_data_param(vm: &Vm, v: &Value) -> PyResult<Vec<u8>> {
    match vm.as_str(v) {
        Some(s) => Ok(s.as_bytes().to_vec()),
        None => data_param(vm, v),
    }
}

fn errors_param(vm: &Vm, name: &str, v: &Value) -> PyResult<String> {
    if v.is_none() {
        return Ok("strict".to_string());
    }
    vm.as_str(v).map(str::to_string).ok_or_else(|| {
        vm.new_type_error(format!("{name}() argument 2 must be str or None, not {}", vm.type_name_of(v)))
    })
}

fn int_param(vm: &Vm, v: &Value, default: i64) -> PyResult<i64> {
    if v.is_none() {
        return Ok(default);
    }
    crate::native::ssize(vm, v)
}

fn chars_len(s: &str) -> i64 {
    s.chars().count() as i64
}

fn enc_result(vm: &Vm, b: Vec<u8>, n: i64) -> PyResult {
    Ok(vm.new_tuple(vec![vm.new_bytes(b), Value::Int(n)]))
}

fn dec_result(vm: &Vm, s: StrBuf, n: usize) -> PyResult {
    Ok(vm.new_tuple(vec![s.into_value(vm), Value::Int(n as i64)]))
}

// ------------------------------------------------------------ encoders

/// An encoder of the form `f(str, errors=None[, byteorder])`.
fn encoder(vm: &Vm, args: Args, name: &str, f: impl Fn(&Value, &str, &str, i64) -> PyResult<Vec<u8>>) -> PyResult {
    let p = params(vm, name, &args, 1, 3)?;
    let s = str_param(vm, name, &p[0])?;
    let errors = errors_param(vm, name, &p[1])?;
    let order = int_param(vm, &p[2], 0)?;
    enc_result(vm, f(&p[0], s, &errors, order)?, chars_len(s))
}

macro_rules! simple_encoder {
    ($fname:ident, $name:literal, |$vm:ident, $obj:ident, $s:ident, $errors:ident, $order:ident| $body:expr) => {
        fn $fname($vm: &Vm, args: Args) -> PyResult {
            encoder($vm, args, $name, |$obj, $s, $errors, $order| {
                let _ = (&$obj, &$errors, &$order);
                $body
            })
        }
    };
}

/// The code points of a str argument, lone surrogates included.
fn code_points(obj: &Value, s: &str) -> Vec<u32> {
    match obj.payload().and_then(|p| p.as_str()) {
        Some(ps) => ps.code_points().collect(),
        None => s.chars().map(|c| c as u32).collect(),
    }
}

/// A native codec, UTF-16/32 by `byteorder` (0: with a BOM, <0 little, >0 big endian).
fn utf_codec(order: i64, wide: bool) -> Codec {
    let (big, bom) = (order > 0, order == 0);
    if wide { Codec::Utf32 { big, bom } } else { Codec::Utf16 { big, bom } }
}

simple_encoder!(utf_8_encode, "utf_8_encode", |vm, obj, s, errors, order| sc::encode_native(vm, obj, s, Codec::Utf8, errors));
simple_encoder!(utf_7_encode, "utf_7_encode", |vm, obj, s, errors, order| Ok(utf7::encode_utf7(code_points(obj, s).into_iter())));
simple_encoder!(utf_16_encode, "utf_16_encode", |vm, obj, s, errors, order| sc::encode_native(vm, obj, s, utf_codec(order, false), errors));
simple_encoder!(utf_16_le_encode, "utf_16_le_encode", |vm, obj, s, errors, order| sc::encode_native(vm, obj, s, utf_codec(-1, false), errors));
simple_encoder!(utf_16_be_encode, "utf_16_be_encode", |vm, obj, s, errors, order| sc::encode_native(vm, obj, s, utf_codec(1, false), errors));
simple_encoder!(utf_32_encode, "utf_32_encode", |vm, obj, s, errors, order| sc::encode_native(vm, obj, s, utf_codec(order, true), errors));
simple_encoder!(utf_32_le_encode, "utf_32_le_encode", |vm, obj, s, errors, order| sc::encode_native(vm, obj, s, utf_codec(-1, true), errors));
simple_encoder!(utf_32_be_encode, "utf_32_be_encode", |vm, obj, s, errors, order| sc::encode_native(vm, obj, s, utf_codec(1, true), errors));
simple_encoder!(latin_1_encode, "latin_1_encode", |vm, obj, s, errors, order| sc::encode_native(vm, obj, s, Codec::Latin1, errors));
simple_encoder!(ascii_encode, "ascii_encode", |vm, obj, s, errors, order| sc::encode_native(vm, obj, s, Codec::Ascii, errors));
simple_encoder!(unicode_escape_encode, "unicode_escape_encode", |vm, obj, s, errors, order| Ok(
    escape::encode_unicode_escape(code_points(obj, s).into_iter())
));
simple_encoder!(raw_unicode_escape_encode, "raw_unicode_escape_encode", |vm, obj, s, errors, order| Ok(
    escape::encode_raw_unicode_escape(code_points(obj, s).into_iter())
));

// ------------------------------------------------------------ decoders

/// A decoder `f(data, errors=None, final=<default>)`.
fn decoder(
    vm: &Vm,
    args: Args,
    name: &str,
    final_default: bool,
    f: impl Fn(&[u8], &str, bool) -> PyResult<(StrBuf, usize)>,
) -> PyResult {
    let p = params(vm, name, &args, 1, 3)?;
    // The escape decoders read a str as its UTF-8 bytes (CPython's `s*`).
    let data = if name.ends_with("unicode_escape_decode") { text_or_data_param(vm, &p[0])? } else { data_param(vm, &p[0])? };
    let errors = errors_param(vm, name, &p[1])?;
    let final_ = if p[2].is_none() { final_default } else { vm.truthy(&p[2])? };
    let (s, n) = f(&data, &errors, final_)?;
    dec_result(vm, s, n)
}

macro_rules! simple_decoder {
    ($fname:ident, $name:literal, $final_default:expr, |$vm:ident, $d:ident, $e:ident, $f:ident| $body:expr) => {
        fn $fname($vm: &Vm, args: Args) -> PyResult {
            decoder($vm, args, $name, $final_default, |$d, $e, $f| {
                let _ = (&$e, &$f);
                $body
            })
        }
    };
}

simple_decoder!(utf_8_decode, "utf_8_decode", false, |vm, d, e, f| utf::decode_utf8(vm, d, e, f));
simple_decoder!(utf_7_decode, "utf_7_decode", false, |vm, d, e, f| utf7::decode_utf7(vm, d, e, f));
simple_decoder!(utf_16_decode, "utf_16_decode", false, |vm, d, e, f| utf::decode_utf16_32(vm, d, e, 0, f, false)
    .map(|r| (r.0, r.1)));
simple_decoder!(utf_16_le_decode, "utf_16_le_decode", false, |vm, d, e, f| utf::decode_utf16_32(vm, d, e, -1, f, false)
    .map(|r| (r.0, r.1)));
simple_decoder!(utf_16_be_decode, "utf_16_be_decode", false, |vm, d, e, f| utf::decode_utf16_32(vm, d, e, 1, f, false)
    .map(|r| (r.0, r.1)));
simple_decoder!(utf_32_decode, "utf_32_decode", false, |vm, d, e, f| utf::decode_utf16_32(vm, d, e, 0, f, true)
    .map(|r| (r.0, r.1)));
simple_decoder!(utf_32_le_decode, "utf_32_le_decode", false, |vm, d, e, f| utf::decode_utf16_32(vm, d, e, -1, f, true)
    .map(|r| (r.0, r.1)));
simple_decoder!(utf_32_be_decode, "utf_32_be_decode", false, |vm, d, e, f| utf::decode_utf16_32(vm, d, e, 1, f, true)
    .map(|r| (r.0, r.1)));
simple_decoder!(latin_1_decode, "latin_1_decode", true, |vm, d, e, f| Ok((d.iter().map(|&b| b as char).collect(), d.len())));
simple_decoder!(ascii_decode, "ascii_decode", true, |vm, d, e, f| sc::decode_ascii(vm, d, e).map(|s| (s, d.len())));
simple_decoder!(unicode_escape_decode, "unicode_escape_decode", true, |vm, d, e, f| escape::decode_unicode_escape(
    vm, d, e, f, false
));
simple_decoder!(raw_unicode_escape_decode, "raw_unicode_escape_decode", true, |vm, d, e, f| {
    escape::decode_unicode_escape(vm, d, e, f, true)
});

/// `utf_16_ex_decode(data, errors=None, byteorder=0, final=False)` ->
/// (str, consumed, byteorder detected).
fn ex_decode(vm: &Vm, args: Args, name: &str, wide: bool) -> PyResult {
    let p = params(vm, name, &args, 1, 4)?;
    let data = data_param(vm, &p[0])?;
    let errors = errors_param(vm, name, &p[1])?;
    let order = int_param(vm, &p[2], 0)?.signum() as i32;
    let final_ = !p[3].is_none() && vm.truthy(&p[3])?;
    let (s, n, order) = utf::decode_utf16_32(vm, &data, &errors, order, final_, wide)?;
    Ok(vm.new_tuple(vec![s.into_value(vm), Value::Int(n as i64), Value::Int(order as i64)]))
}

fn utf_16_ex_decode(vm: &Vm, args: Args) -> PyResult {
    ex_decode(vm, args, "utf_16_ex_decode", false)
}

fn utf_32_ex_decode(vm: &Vm, args: Args) -> PyResult {
    ex_decode(vm, args, "utf_32_ex_decode", true)
}

// ------------------------------------------------------------ charmap

/// What `charmap_build` returns: a char -> byte table, and the byte size
/// CPython's packed three-level table would have (what `size()` reports).
struct EncodingMap(HashMap<u32, u8>, usize);

/// Holds no Python references.
impl krait_vm::gc::NativeData for EncodingMap {}

fn map_size(vm: &Vm, args: Args) -> PyResult {
    let me = &args.args[0];
    let m = me.payload().and_then(|p| p.as_native::<EncodingMap>()).ok_or_else(|| descr_error(vm, "size", "EncodingMap", me))?;
    Ok(Value::Int(m.1 as i64))
}

static MAP_METHODS: [NativeDef; 1] = [NativeDef::method("size", map_size)];
static ENCODING_MAP: TypeSpec = TypeSpec {
    module: "builtins",
    name: "EncodingMap",
    doc: "",
    layout: Layout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &MAP_METHODS,
    more_methods: &[],
    getsets: &[],
};

/// `charmap_build(table)`: an EncodingMap for a 256-char table CPython can
/// pack (BMP chars, NUL only first, few distinct blocks), else a dict
/// `{ord(ch): index}` (a later index wins for repeated chars).
fn charmap_build(vm: &Vm, args: Args) -> PyResult {
    let p = params(vm, "charmap_build", &args, 1, 1)?;
    let chars: Vec<char> = str_param(vm, "charmap_build", &p[0])?.chars().collect();
    let mut need_dict = chars.len() != 256 || chars.first() != Some(&'\0');
    let (mut l1, mut l2) = (std::collections::HashSet::new(), std::collections::HashSet::new());
    for &c in chars.iter().skip(1) {
        let cp = c as u32;
        if cp == 0 || cp > 0xFFFF {
            need_dict = true;
            break;
        }
        if cp != 0xFFFE {
            l1.insert(cp >> 11);
            l2.insert(cp >> 7);
        }
    }
    if need_dict || l1.len() >= 0xFF || l2.len() >= 0xFF {
        let d = vm.new_dict();
        for (i, &c) in chars.iter().enumerate() {
            vm.dict_set(&d, Value::Int(c as i64), Value::Int(i as i64))?;
        }
        return Ok(Value::Obj(d));
    }
    let mut m = HashMap::new();
    for (i, &c) in chars.iter().enumerate() {
        if c != '\u{FFFE}' {
            m.insert(c as u32, i as u8);
        }
    }
    let t = native_type(vm, &ENCODING_MAP);
    let size = 63 + 16 * l1.len() + 128 * l2.len();
    Ok(new_object(vm, &t, &t, EncodingMap(m, size)))
}

fn charmap_encode(vm: &Vm, args: Args) -> PyResult {
    let p = params(vm, "charmap_encode", &args, 1, 3)?;
    let s = str_param(vm, "charmap_encode", &p[0])?;
    let errors = errors_param(vm, "charmap_encode", &p[1])?;
    if p[2].is_none() {
        return enc_result(vm, sc::encode_latin(vm, &p[0], s, &errors, 0x100)?, chars_len(s));
    }
    let mapping = p[2].clone();
    let table = mapping.payload().and_then(|p| p.as_native::<EncodingMap>());
    let mut enc = |c: u32, out: &mut Vec<u8>| -> PyResult<bool> {
        match table {
            Some(t) => Ok(match t.0.get(&c) {
                Some(&b) => {
                    out.push(b);
                    true
                }
                None => false,
            }),
            None => charmap::encode_through_mapping(vm, &mapping, c, out),
        }
    };
    let out = sc::encode_chars(vm, &p[0], s, &errors, "charmap", "character maps to <undefined>", &mut enc)?;
    enc_result(vm, out, chars_len(s))
}

fn charmap_decode(vm: &Vm, args: Args) -> PyResult {
    let p = params(vm, "charmap_decode", &args, 1, 3)?;
    let data = data_param(vm, &p[0])?;
    let errors = errors_param(vm, "charmap_decode", &p[1])?;
    let s = charmap::decode_charmap(vm, &data, &errors, &p[2])?;
    dec_result(vm, s, data.len())
}

// ------------------------------------------------------------ bytes <-> bytes

fn escape_encode(vm: &Vm, args: Args) -> PyResult {
    let p = params(vm, "escape_encode", &args, 1, 2)?;
    let data = match p[0].payload().and_then(|x| x.as_bytes()) {
        Some(b) => b.to_vec(),
        None => {
            return Err(vm.new_type_error(format!(
                "escape_encode() argument 1 must be bytes, not {}",
                vm.type_name_of(&p[0])
            )))
        }
    };
    errors_param(vm, "escape_encode", &p[1])?;
    enc_result(vm, escape::escape_encode(&data), data.len() as i64)
}

fn escape_decode(vm: &Vm, args: Args) -> PyResult {
    let p = params(vm, "escape_decode", &args, 1, 2)?;
    let data = text_or_data_param(vm, &p[0])?;
    let errors = errors_param(vm, "escape_decode", &p[1])?;
    let out = escape::escape_decode(vm, &data, &errors)?;
    Ok(vm.new_tuple(vec![vm.new_bytes(out), Value::Int(data.len() as i64)]))
}

fn readbuffer_encode(vm: &Vm, args: Args) -> PyResult {
    let p = params(vm, "readbuffer_encode", &args, 1, 2)?;
    let data = text_or_data_param(vm, &p[0])?;
    errors_param(vm, "readbuffer_encode", &p[1])?;
    let n = data.len() as i64;
    enc_result(vm, data, n)
}

// ------------------------------------------------------------ error handlers

fn exc_field(vm: &Vm, exc: &Value, name: &str) -> PyResult<i64> {
    let v = vm.getattr_str(exc, name)?;
    crate::native::ssize(vm, &v)
}

/// (kind, start, end) of a Unicode error; kind 0 encode, 1 decode, 2 translate.
fn unicode_exc(vm: &Vm, args: &Args, name: &str) -> PyResult<(u8, Value, usize, usize)> {
    let a = crate::native::unpack(vm, name, args, 1, 1)?;
    let exc = a[0].clone();
    let kind = if vm.isinstance_type(&exc, &vm.exc.unicode_encode_error) {
        0
    } else if vm.isinstance_type(&exc, &vm.exc.unicode_decode_error) {
        1
    } else if vm.isinstance_type(&exc, &vm.exc.unicode_translate_error) {
        2
    } else {
        return Err(vm.new_type_error(format!(
            "don't know how to handle {} in error callback",
            vm.type_name_of(&exc)
        )));
    };
    let start = exc_field(vm, &exc, "start")?.max(0) as usize;
    let end = exc_field(vm, &exc, "end")?.max(0) as usize;
    Ok((kind, exc, start, end.max(start)))
}

fn wrong_kind(vm: &Vm, exc: &Value) -> krait_vm::PyErr {
    vm.new_type_error(format!("don't know how to handle {} in error callback", vm.type_name_of(exc)))
}

/// The code points object[start:end] of an encode/translate error (lone
/// surrogates included); TypeError if the object is not a str.
fn bad_code_points(vm: &Vm, exc: &Value, start: usize, end: usize) -> PyResult<Vec<u32>> {
    let obj = vm.getattr_str(exc, "object")?;
    match obj.payload().and_then(|p| p.as_str()) {
        Some(s) => Ok(s.code_points().skip(start).take(end - start).collect()),
        None => Err(vm.new_type_error("object attribute must be unicode")),
    }
}

/// The bytes object of a decode error; TypeError if it is not bytes-like.
fn bad_bytes(vm: &Vm, exc: &Value) -> PyResult<Vec<u8>> {
    let obj = vm.getattr_str(exc, "object")?;
    bytes_like(&obj).ok_or_else(|| vm.new_type_error("object attribute must be bytes"))
}

fn answer(vm: &Vm, s: String, end: usize) -> PyResult {
    Ok(vm.new_tuple(vec![vm.new_str(s), Value::Int(end as i64)]))
}

fn strict_errors(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::unpack(vm, "strict_errors", &args, 1, 1)?;
    match &a[0] {
        Value::Obj(e) if vm.is_subtype(e.class(), &vm.exc.base_exception) => Err(e.clone()),
        _ => Err(vm.new_type_error("codec must pass exception instance")),
    }
}

fn ignore_errors(vm: &Vm, args: Args) -> PyResult {
    let (_, _, _, end) = unicode_exc(vm, &args, "ignore_errors")?;
    answer(vm, String::new(), end)
}

fn replace_errors(vm: &Vm, args: Args) -> PyResult {
    let (kind, exc, start, end) = unicode_exc(vm, &args, "replace_errors")?;
    let s = match kind {
        0 => "?".repeat(bad_code_points(vm, &exc, start, end)?.len()),
        1 => {
            bad_bytes(vm, &exc)?;
            "\u{FFFD}".to_string()
        }
        _ => "\u{FFFD}".repeat(bad_code_points(vm, &exc, start, end)?.len()),
    };
    answer(vm, s, end)
}

/// A replacing handler's answer for an encode (or, `translate_too`,
/// translate) error: the text the native handler `h` writes.
fn replacing_handler(vm: &Vm, args: Args, name: &str, h: Handler, translate_too: bool) -> PyResult {
    let (kind, exc, start, end) = unicode_exc(vm, &args, name)?;
    if kind == 1 || (kind == 2 && !translate_too) {
        return Err(wrong_kind(vm, &exc));
    }
    let cps = bad_code_points(vm, &exc, start, end)?;
    answer(vm, replacement_text(&h, &cps).unwrap_or_default(), end)
}

fn backslashreplace_errors(vm: &Vm, args: Args) -> PyResult {
    let (kind, exc, start, end) = unicode_exc(vm, &args, "backslashreplace_errors")?;
    if kind == 1 {
        let data = bad_bytes(vm, &exc)?;
        let s = data.get(start..end.min(data.len())).unwrap_or(&[]).iter().map(|&b| sc::backslash_escape(b as u32)).collect();
        return answer(vm, s, end);
    }
    replacing_handler(vm, args, "backslashreplace_errors", Handler::BackslashReplace, true)
}

fn xmlcharrefreplace_errors(vm: &Vm, args: Args) -> PyResult {
    replacing_handler(vm, args, "xmlcharrefreplace_errors", Handler::XmlCharRefReplace, false)
}

fn namereplace_errors(vm: &Vm, args: Args) -> PyResult {
    replacing_handler(vm, args, "namereplace_errors", Handler::NameReplace, false)
}

/// The exception itself, to raise when a handler cannot deal with it.
fn reraise(vm: &Vm, exc: Value) -> PyResult {
    match exc {
        Value::Obj(e) => Err(e),
        _ => Err(vm.new_type_error("codec must pass exception instance")),
    }
}

/// `surrogateescape`: bytes 0x80..0xFF to U+DC80..U+DCFF when decoding
/// (at most four), and back when encoding; anything else re-raises.
fn surrogateescape_errors(vm: &Vm, args: Args) -> PyResult {
    let (kind, exc, start, end) = unicode_exc(vm, &args, "surrogateescape")?;
    match kind {
        0 => {
            let cps = bad_code_points(vm, &exc, start, end)?;
            if !cps.iter().all(|c| (0xDC80..=0xDCFF).contains(c)) {
                return reraise(vm, exc);
            }
            let bytes: Vec<u8> = cps.iter().map(|&c| (c - 0xDC00) as u8).collect();
            Ok(vm.new_tuple(vec![vm.new_bytes(bytes), Value::Int(end as i64)]))
        }
        1 => {
            let data = bad_bytes(vm, &exc)?;
            let bad = data.get(start..end.min(data.len())).unwrap_or(&[]);
            let n = bad.iter().take(4).take_while(|&&b| b >= 0x80).count();
            if n == 0 {
                return reraise(vm, exc);
            }
            let mut out = StrBuf::default();
            bad[..n].iter().for_each(|&b| out.push_code_point(0xDC00 + b as u32));
            Ok(vm.new_tuple(vec![out.into_value(vm), Value::Int((start + n) as i64)]))
        }
        _ => Err(wrong_kind(vm, &exc)),
    }
}

/// `surrogatepass`: lone surrogates written (encoding) or read (decoding)
/// as the exception's UTF would any code point; anything else re-raises.
fn surrogatepass_errors(vm: &Vm, args: Args) -> PyResult {
    let (kind, exc, start, end) = unicode_exc(vm, &args, "surrogatepass")?;
    if kind == 2 {
        return Err(wrong_kind(vm, &exc));
    }
    let encoding = vm.getattr_str(&exc, "encoding")?;
    let codec = match vm.as_str(&encoding).map(|e| sc::lookup(vm, e)) {
        Some(Ok(c)) if c != Codec::Registry && c != Codec::Ascii && c != Codec::Latin1 => c,
        Some(Err(e)) => return Err(e),
        _ => return reraise(vm, exc),
    };
    if kind == 0 {
        let cps = bad_code_points(vm, &exc, start, end)?;
        if cps.is_empty() || !cps.iter().all(|&c| (0xD800..0xE000).contains(&c)) {
            return reraise(vm, exc);
        }
        let mut b = StrBuf::default();
        cps.iter().for_each(|&c| b.push_code_point(c));
        let s = b.into_value(vm);
        let text = vm.as_str(&s).unwrap_or("").to_string();
        let codec = match codec {
            // No BOM in the middle of the output.
            Codec::Utf16 { big, .. } => Codec::Utf16 { big, bom: false },
            Codec::Utf32 { big, .. } => Codec::Utf32 { big, bom: false },
            c => c,
        };
        let bytes = sc::encode_native(vm, &s, &text, codec, "surrogatepass")?;
        return Ok(vm.new_tuple(vec![vm.new_bytes(bytes), Value::Int(end as i64)]));
    }
    let data = bad_bytes(vm, &exc)?;
    let rest = data.get(start..).unwrap_or(&[]);
    let unit = match codec {
        Codec::Utf16 { .. } => 2,
        Codec::Utf32 { .. } => 4,
        _ => 3,
    };
    let Some(chunk) = rest.get(..unit) else { return reraise(vm, exc) };
    let name = match codec {
        Codec::Utf16 { big, .. } => if big { "utf-16-be" } else { "utf-16-le" },
        Codec::Utf32 { big, .. } => if big { "utf-32-be" } else { "utf-32-le" },
        _ => "utf-8",
    };
    let mut out = StrBuf::default();
    match sc::errors::decode_error(vm, "surrogatepass", name, &mut chunk.into(), 0, unit, "", &mut out) {
        Ok(n) if n == unit => Ok(vm.new_tuple(vec![out.into_value(vm), Value::Int((start + unit) as i64)])),
        _ => reraise(vm, exc),
    }
}

static HANDLERS: [NativeDef; 8] = [
    NativeDef::function("strict_errors", strict_errors),
    NativeDef::function("ignore_errors", ignore_errors),
    NativeDef::function("replace_errors", replace_errors),
    NativeDef::function("backslashreplace_errors", backslashreplace_errors),
    NativeDef::function("xmlcharrefreplace_errors", xmlcharrefreplace_errors),
    NativeDef::function("namereplace_errors", namereplace_errors),
    NativeDef::function("surrogateescape", surrogateescape_errors),
    NativeDef::function("surrogatepass", surrogatepass_errors),
];

/// The function behind a standard error handler name.
pub fn builtin_handler(name: &str) -> Option<&'static NativeDef> {
    let i = ["strict", "ignore", "replace", "backslashreplace", "xmlcharrefreplace", "namereplace", "surrogateescape", "surrogatepass"]
        .iter()
        .position(|&n| n == name)?;
    HANDLERS.get(i)
}

pub static CODEC_FUNCS: [NativeDef; 32] = [
    NativeDef::function("utf_8_encode", utf_8_encode),
    NativeDef::function("utf_8_decode", utf_8_decode),
    NativeDef::function("utf_7_encode", utf_7_encode),
    NativeDef::function("utf_7_decode", utf_7_decode),
    NativeDef::function("utf_16_encode", utf_16_encode),
    NativeDef::function("utf_16_le_encode", utf_16_le_encode),
    NativeDef::function("utf_16_be_encode", utf_16_be_encode),
    NativeDef::function("utf_16_decode", utf_16_decode),
    NativeDef::function("utf_16_le_decode", utf_16_le_decode),
    NativeDef::function("utf_16_be_decode", utf_16_be_decode),
    NativeDef::function("utf_16_ex_decode", utf_16_ex_decode),
    NativeDef::function("utf_32_encode", utf_32_encode),
    NativeDef::function("utf_32_le_encode", utf_32_le_encode),
    NativeDef::function("utf_32_be_encode", utf_32_be_encode),
    NativeDef::function("utf_32_decode", utf_32_decode),
    NativeDef::function("utf_32_le_decode", utf_32_le_decode),
    NativeDef::function("utf_32_be_decode", utf_32_be_decode),
    NativeDef::function("utf_32_ex_decode", utf_32_ex_decode),
    NativeDef::function("latin_1_encode", latin_1_encode),
    NativeDef::function("latin_1_decode", latin_1_decode),
    NativeDef::function("ascii_encode", ascii_encode),
    NativeDef::function("ascii_decode", ascii_decode),
    NativeDef::function("charmap_encode", charmap_encode),
    NativeDef::function("charmap_decode", charmap_decode),
    NativeDef::function("charmap_build", charmap_build),
    NativeDef::function("unicode_escape_encode", unicode_escape_encode),
    NativeDef::function("unicode_escape_decode", unicode_escape_decode),
    NativeDef::function("raw_unicode_escape_encode", raw_unicode_escape_encode),
    NativeDef::function("raw_unicode_escape_decode", raw_unicode_escape_decode),
    NativeDef::function("escape_encode", escape_encode),
    NativeDef::function("escape_decode", escape_decode),
    NativeDef::function("readbuffer_encode", readbuffer_encode),
];
