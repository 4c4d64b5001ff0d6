//! The built-in text codecs behind `str.encode`, `bytes.decode` and
//! `str(b, encoding)`: UTF-8, ASCII and Latin-1 (with their aliases), UTF-16
//! and UTF-32, and the standard error handlers.
//!
//! krait strs are Rust strings, so they cannot hold lone surrogates: the
//! `surrogateescape`/`surrogatepass` handlers therefore behave as `strict`
//! (docs/differences.md), and `namereplace` falls back to backslash escapes
//! because krait has no character-name table.

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
        }
    }
}

/// Finds a codec by name the way `codecs.lookup` normalises names
/// (case-insensitive; `-` and blanks are equivalent to `_`).
pub fn lookup(vm: &Vm, name: &str) -> PyResult<Codec> {
    let norm: String =
        name.trim().chars().map(|c| if c == '-' || c == ' ' { '_' } else { c.to_ascii_lowercase() }).collect();
    Ok(match norm.as_str() {
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
        _ => return Err(vm.new_exception_msg(&vm.exc.lookup_error, format!("unknown encoding: {name}"))),
    })
}

/// A UnicodeEncodeError/UnicodeDecodeError with its five fields filled (the
/// exception's `__str__` formats CPython's message from them).
fn unicode_error(vm: &Vm, typ: &crate::PyRef, fields: Vec<Value>) -> crate::PyErr {
    let e = vm.new_exception(typ, fields.clone());
    match crate::types::exception_methods::init_exception_fields(vm, &e, &fields) {
        Ok(()) => e,
        Err(err) => err,
    }
}

fn unknown_handler(vm: &Vm, errors: &str) -> crate::PyErr {
    vm.new_exception_msg(&vm.exc.lookup_error, format!("unknown error handler name '{errors}'"))
}

/// `s.encode(encoding, errors)`; `obj` is the str value (for the exception).
pub fn encode(vm: &Vm, obj: &Value, s: &str, encoding: &str, errors: &str) -> PyResult<Vec<u8>> {
    let codec = lookup(vm, encoding)?;
    let limit: u32 = match codec {
        Codec::Utf8 => return Ok(s.as_bytes().to_vec()),
        Codec::Utf16 { big, bom } => {
            let mut out = Vec::with_capacity(s.len() * 2 + 2);
            let mut put = |u: u16| out.extend_from_slice(&if big { u.to_be_bytes() } else { u.to_le_bytes() });
            if bom {
                put(0xFEFF);
            }
            for u in s.encode_utf16() {
                put(u);
            }
            return Ok(out);
        }
        Codec::Utf32 { big, bom } => {
            let mut out = Vec::with_capacity(s.len() * 4 + 4);
            let mut put = |u: u32| out.extend_from_slice(&if big { u.to_be_bytes() } else { u.to_le_bytes() });
            if bom {
                put(0xFEFF);
            }
            for c in s.chars() {
                put(c as u32);
            }
            return Ok(out);
        }
        Codec::Ascii => 0x80,
        Codec::Latin1 => 0x100,
    };
    if s.is_ascii() {
        return Ok(s.as_bytes().to_vec());
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if (c as u32) < limit {
            out.push(c as u32 as u8);
            i += 1;
            continue;
        }
        // A run of unencodable characters is reported (and replaced) together.
        let mut end = i + 1;
        while end < chars.len() && chars[end] as u32 >= limit {
            end += 1;
        }
        match errors {
            "strict" | "surrogateescape" | "surrogatepass" => {
                let reason = if limit == 0x80 { "ordinal not in range(128)" } else { "ordinal not in range(256)" };
                return Err(unicode_error(
                    vm,
                    &vm.exc.unicode_encode_error,
                    vec![
                        vm.new_str(codec.name()),
                        obj.clone(),
                        Value::Int(i as i64),
                        Value::Int(end as i64),
                        vm.new_str(reason),
                    ],
                ));
            }
            "ignore" => {}
            "replace" => out.extend(std::iter::repeat(b'?').take(end - i)),
            "backslashreplace" | "namereplace" => {
                for &c in &chars[i..end] {
                    out.extend_from_slice(backslash_escape(c as u32).as_bytes());
                }
            }
            "xmlcharrefreplace" => {
                for &c in &chars[i..end] {
                    out.extend_from_slice(format!("&#{};", c as u32).as_bytes());
                }
            }
            _ => return Err(unknown_handler(vm, errors)),
        }
        i = end;
    }
    Ok(out)
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

/// `data.decode(encoding, errors)`; `obj` is the bytes-like value (for the exception).
pub fn decode(vm: &Vm, obj: &Value, data: &[u8], encoding: &str, errors: &str) -> PyResult<String> {
    let codec = lookup(vm, encoding)?;
    // UTF-16/32 with a BOM report errors under the endianness they detected.
    let name = std::cell::Cell::new(match codec {
        Codec::Utf16 { bom: true, .. } => "utf-16-le",
        Codec::Utf32 { bom: true, .. } => "utf-32-le",
        c => c.name(),
    });
    let fail = |start: usize, end: usize, reason: &str| -> crate::PyErr {
        unicode_error(
            vm,
            &vm.exc.unicode_decode_error,
            vec![
                vm.new_str(name.get()),
                obj.clone(),
                Value::Int(start as i64),
                Value::Int(end as i64),
                vm.new_str(reason),
            ],
        )
    };
    // Applies the error handler to the bad bytes data[start..end].
    let handle = |out: &mut String, start: usize, end: usize, reason: &str| -> PyResult<()> {
        match errors {
            "strict" | "surrogateescape" | "surrogatepass" => Err(fail(start, end, reason)),
            "ignore" => Ok(()),
            "replace" => {
                out.push('\u{FFFD}');
                Ok(())
            }
            "backslashreplace" => {
                for &b in &data[start..end] {
                    out.push_str(&backslash_escape(b as u32));
                }
                Ok(())
            }
            _ => Err(unknown_handler(vm, errors)),
        }
    };
    let mut out = String::new();
    match codec {
        Codec::Utf8 => {
            let mut rest = data;
            let mut base = 0;
            loop {
                match std::str::from_utf8(rest) {
                    Ok(s) => {
                        out.push_str(s);
                        break;
                    }
                    Err(e) => {
                        let good = e.valid_up_to();
                        // SAFETY-free: the prefix was validated by from_utf8.
                        out.push_str(std::str::from_utf8(&rest[..good]).unwrap_or(""));
                        let start = base + good;
                        let (len, reason) = match e.error_len() {
                            None => (rest.len() - good, "unexpected end of data"),
                            Some(n) => {
                                let b = rest[good];
                                let bad_start = (0x80..0xC2).contains(&b) || b >= 0xF5;
                                (n, if bad_start { "invalid start byte" } else { "invalid continuation byte" })
                            }
                        };
                        handle(&mut out, start, start + len, reason)?;
                        rest = &rest[good + len..];
                        base = start + len;
                        if rest.is_empty() {
                            break;
                        }
                    }
                }
            }
        }
        Codec::Ascii => {
            if let Ok(s) = std::str::from_utf8(data) {
                if s.is_ascii() {
                    return Ok(s.to_string());
                }
            }
            for (i, &b) in data.iter().enumerate() {
                if b < 0x80 {
                    out.push(b as char);
                } else {
                    handle(&mut out, i, i + 1, "ordinal not in range(128)")?;
                }
            }
        }
        Codec::Latin1 => out.extend(data.iter().map(|&b| b as char)),
        Codec::Utf16 { big, bom } => {
            let mut big = big;
            let mut start = 0;
            if bom && data.len() >= 2 {
                match (data[0], data[1]) {
                    (0xFF, 0xFE) => start = 2,
                    (0xFE, 0xFF) => {
                        start = 2;
                        big = true;
                        name.set("utf-16-be");
                    }
                    _ => {}
                }
            }
            let units: Vec<u16> = data[start..]
                .chunks_exact(2)
                .map(|c| if big { u16::from_be_bytes([c[0], c[1]]) } else { u16::from_le_bytes([c[0], c[1]]) })
                .collect();
            let mut pos = start;
            for r in char::decode_utf16(units.iter().copied()) {
                match r {
                    Ok(c) => {
                        out.push(c);
                        pos += c.len_utf16() * 2;
                    }
                    Err(_) => {
                        handle(&mut out, pos, pos + 2, "illegal UTF-16 surrogate")?;
                        pos += 2;
                    }
                }
            }
            if (data.len() - start) % 2 == 1 {
                handle(&mut out, data.len() - 1, data.len(), "truncated data")?;
            }
        }
        Codec::Utf32 { big, bom } => {
            let mut big = big;
            let mut start = 0;
            if bom && data.len() >= 4 {
                if data[..4] == [0xFF, 0xFE, 0, 0] {
                    start = 4;
                } else if data[..4] == [0, 0, 0xFE, 0xFF] {
                    start = 4;
                    big = true;
                    name.set("utf-32-be");
                }
            }
            let body = &data[start..];
            for (k, c) in body.chunks_exact(4).enumerate() {
                let arr = [c[0], c[1], c[2], c[3]];
                let u = if big { u32::from_be_bytes(arr) } else { u32::from_le_bytes(arr) };
                let pos = start + 4 * k;
                match char::from_u32(u) {
                    Some(ch) => out.push(ch),
                    None => handle(&mut out, pos, pos + 4, "code point not in range(0x110000)")?,
                }
            }
            let tail = body.len() % 4;
            if tail != 0 {
                handle(&mut out, data.len() - tail, data.len(), "truncated data")?;
            }
        }
    }
    Ok(out)
}
