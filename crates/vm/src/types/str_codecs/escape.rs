//! The escape codecs: `unicode_escape`, `raw_unicode_escape` (str <->
//! bytes) and `escape_encode`/`escape_decode` (bytes <-> bytes, the bytes
//! literal rules).

use super::errors::decode_error;
use crate::{PyResult, Vm};

/// `unicode_escape` encoding: printable ASCII stays, the rest is escaped.
/// Takes code points, so lone surrogates come out as `\udXXX`.
pub fn encode_unicode_escape(cps: impl Iterator<Item = u32>) -> Vec<u8> {
    let mut out = Vec::with_capacity(cps.size_hint().0);
    for cp in cps {
        match cp {
            0x5C => out.extend_from_slice(b"\\\\"),
            0x09 => out.extend_from_slice(b"\\t"),
            0x0A => out.extend_from_slice(b"\\n"),
            0x0D => out.extend_from_slice(b"\\r"),
            0x20..=0x7E => out.push(cp as u8),
            _ => out.extend_from_slice(super::errors::backslash_escape(cp).as_bytes()),
        }
    }
    out
}

/// `raw_unicode_escape` encoding: Latin-1 as bytes, the rest as \u/\U.
pub fn encode_raw_unicode_escape(cps: impl Iterator<Item = u32>) -> Vec<u8> {
    let mut out = Vec::with_capacity(cps.size_hint().0);
    for cp in cps {
        if cp < 0x100 {
            out.push(cp as u8);
        } else {
            out.extend_from_slice(super::errors::backslash_escape(cp).as_bytes());
        }
    }
    out
}

/// Reads up to `n` hex digits at `at`: (value, digits read).
fn hex_digits(data: &[u8], at: usize, n: usize) -> (u32, usize) {
    let mut v = 0u32;
    let mut k = 0;
    while k < n {
        match data.get(at + k).and_then(|&b| (b as char).to_digit(16)) {
            Some(d) => v = v * 16 + d,
            None => break,
        }
        k += 1;
    }
    (v, k)
}

/// `unicode_escape` (raw: only `\u`/`\U` are escapes) decoding; returns
/// the text and the bytes consumed (an escape cut off by the end of a
/// non-final chunk is left for the next call).
pub fn decode_unicode_escape(vm: &Vm, data: &[u8], errors: &str, final_: bool, raw: bool) -> PyResult<(crate::types::str_surrogates::StrBuf, usize)> {
    let mut first_invalid = None;
    let r = decode_escapes(vm, data, errors, final_, raw, &mut first_invalid)?;
    warn_invalid_escape(vm, first_invalid)?;
    Ok(r)
}

/// CPython's DeprecationWarning for the first escape a literal would not
/// accept (kept as it is in the output).
fn warn_invalid_escape(vm: &Vm, first_invalid: Option<String>) -> PyResult<()> {
    match first_invalid {
        Some(msg) => vm.warn(&vm.exc.deprecation_warning, msg),
        None => Ok(()),
    }
}

/// The message for an invalid escape `\e`, or for an octal escape `digits`
/// past 0o377.
fn invalid_escape(e: u8) -> String {
    format!("invalid escape sequence '\\{}'", e as char)
}

fn invalid_octal(digits: &[u8]) -> String {
    format!("invalid octal escape sequence '\\{}'", String::from_utf8_lossy(digits))
}

fn decode_escapes(
    vm: &Vm,
    data: &[u8],
    errors: &str,
    final_: bool,
    raw: bool,
    first_invalid: &mut Option<String>,
) -> PyResult<(crate::types::str_surrogates::StrBuf, usize)> {
    let name = if raw { "rawunicodeescape" } else { "unicodeescape" };
    let mut data = super::errors::DecodeInput::from(data);
    let mut out = crate::types::str_surrogates::StrBuf::with_capacity(data.len());
    let mut pos = 0;
    while pos < data.len() {
        let b = data[pos];
        if b != b'\\' {
            out.push(b as char);
            pos += 1;
            continue;
        }
        let start = pos;
        if raw {
            // An escape needs an odd number of backslashes before the u/U.
            let mut n = 0;
            while data.get(pos + n) == Some(&b'\\') {
                n += 1;
            }
            let next = data.get(pos + n).copied();
            if n % 2 == 0 || !matches!(next, Some(b'u') | Some(b'U')) {
                if next.is_none() && n % 2 == 1 && !final_ {
                    out.extend(std::iter::repeat_n('\\', n - 1));
                    return Ok((out, pos + n - 1));
                }
                out.extend(std::iter::repeat_n('\\', n));
                pos += n;
                continue;
            }
            out.extend(std::iter::repeat_n('\\', n - 1));
            pos += n - 1;
            let width = if next == Some(b'u') { 4 } else { 8 };
            let at = pos + 2;
            let (v, k) = hex_digits(&data, at, width);
            let here = pos;
            if k < width {
                if at + k == data.len() && !final_ {
                    return Ok((out, here));
                }
                pos = decode_error(vm, errors, name, &mut data, here, at + k, if width == 4 {
                    "truncated \\uXXXX escape"
                } else {
                    "truncated \\UXXXXXXXX escape"
                }, &mut out)?;
            } else if v <= 0x10FFFF {
                out.push_code_point(v);
                pos = at + k;
            } else {
                pos = decode_error(vm, errors, name, &mut data, here, at + k, "\\Uxxxxxxxx out of range", &mut out)?;
            }
            continue;
        }
        let Some(&e) = data.get(pos + 1) else {
            if !final_ {
                return Ok((out, pos));
            }
            let end = data.len();
            pos = decode_error(vm, errors, name, &mut data, start, end, "\\ at end of string", &mut out)?;
            continue;
        };
        pos += 2;
        let simple = match e {
            b'\n' => Some(None),
            b'\\' => Some(Some('\\')),
            b'\'' => Some(Some('\'')),
            b'"' => Some(Some('"')),
            b'a' => Some(Some('\x07')),
            b'b' => Some(Some('\x08')),
            b'f' => Some(Some('\x0c')),
            b'n' => Some(Some('\n')),
            b'r' => Some(Some('\r')),
            b't' => Some(Some('\t')),
            b'v' => Some(Some('\x0b')),
            _ => None,
        };
        if let Some(c) = simple {
            out.extend(c);
            continue;
        }
        match e {
            b'0'..=b'7' => {
                let mut v = (e - b'0') as u32;
                for _ in 0..2 {
                    match data.get(pos) {
                        Some(&d @ b'0'..=b'7') => {
                            v = v * 8 + (d - b'0') as u32;
                            pos += 1;
                        }
                        _ => break,
                    }
                }
                if v > 0o377 && first_invalid.is_none() {
                    *first_invalid = Some(invalid_octal(&data[start + 1..pos]));
                }
                out.push_code_point(v);
            }
            b'x' | b'u' | b'U' => {
                let width = match e {
                    b'x' => 2,
                    b'u' => 4,
                    _ => 8,
                };
                let (v, k) = hex_digits(&data, pos, width);
                if k < width {
                    if pos + k == data.len() && !final_ {
                        return Ok((out, start));
                    }
                    let reason = match e {
                        b'x' => "truncated \\xXX escape",
                        b'u' => "truncated \\uXXXX escape",
                        _ => "truncated \\UXXXXXXXX escape",
                    };
                    pos = decode_error(vm, errors, name, &mut data, start, pos + k, reason, &mut out)?;
                } else if v <= 0x10FFFF {
                    out.push_code_point(v);
                    pos += k;
                } else {
                    pos = decode_error(vm, errors, name, &mut data, start, pos + k, "illegal Unicode character", &mut out)?;
                }
            }
            b'N' => {
                // \N{NAME}; a missing closing brace is an incomplete escape.
                let close = match data.get(pos) {
                    Some(b'{') => data[pos + 1..].iter().position(|&b| b == b'}').map(|i| pos + 1 + i),
                    _ => Some(pos),
                };
                let Some(close) = close.filter(|_| pos < data.len()) else {
                    if !final_ {
                        return Ok((out, start));
                    }
                    let r = "malformed \\N character escape";
                    let end = data.len();
                    pos = decode_error(vm, errors, name, &mut data, start, end, r, &mut out)?;
                    continue;
                };
                if data[pos] != b'{' || close == pos + 1 {
                    let r = "malformed \\N character escape";
                    pos = decode_error(vm, errors, name, &mut data, start, close, r, &mut out)?;
                    continue;
                }
                let found = std::str::from_utf8(&data[pos + 1..close])
                    .ok()
                    .and_then(|n| krait_text::unicode::names::lookup(n, false));
                match found {
                    Some(s) => {
                        out.push_str(&s);
                        pos = close + 1;
                    }
                    None => {
                        let r = "unknown Unicode character name";
                        pos = decode_error(vm, errors, name, &mut data, start, close + 1, r, &mut out)?;
                    }
                }
            }
            _ => {
                // Unknown escapes are kept as they are.
                out.push('\\');
                out.push(e as char);
                first_invalid.get_or_insert_with(|| invalid_escape(e));
            }
        }
    }
    Ok((out, pos))
}

/// `codecs.escape_encode`: bytes escaped as inside a bytes literal.
pub fn escape_encode(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    for &b in data {
        match b {
            b'\\' | b'\'' => out.extend_from_slice(&[b'\\', b]),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0x20..=0x7E => out.push(b),
            _ => out.extend_from_slice(format!("\\x{b:02x}").as_bytes()),
        }
    }
    out
}

/// `codecs.escape_decode`: the escapes of a bytes literal. Errors raise
/// ValueError (`errors` may ask for '?' or nothing instead).
pub fn escape_decode(vm: &Vm, data: &[u8], errors: &str) -> PyResult<Vec<u8>> {
    let mut first_invalid = None;
    let out = escape_decode_bytes(vm, data, errors, &mut first_invalid)?;
    warn_invalid_escape(vm, first_invalid)?;
    Ok(out)
}

fn escape_decode_bytes(vm: &Vm, data: &[u8], errors: &str, first_invalid: &mut Option<String>) -> PyResult<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    let mut pos = 0;
    while pos < data.len() {
        let b = data[pos];
        if b != b'\\' {
            out.push(b);
            pos += 1;
            continue;
        }
        let start = pos;
        let Some(&e) = data.get(pos + 1) else {
            return Err(vm.new_value_error("Trailing \\ in string"));
        };
        pos += 2;
        match e {
            b'\n' => {}
            b'\\' | b'\'' | b'"' => out.push(e),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'0'..=b'7' => {
                let mut v = (e - b'0') as u32;
                for _ in 0..2 {
                    match data.get(pos) {
                        Some(&d @ b'0'..=b'7') => {
                            v = v * 8 + (d - b'0') as u32;
                            pos += 1;
                        }
                        _ => break,
                    }
                }
                if v > 0o377 && first_invalid.is_none() {
                    *first_invalid = Some(invalid_octal(&data[start + 1..pos]));
                }
                out.push(v as u8);
            }
            b'x' => {
                let (v, k) = hex_digits(data, pos, 2);
                if k == 2 {
                    out.push(v as u8);
                    pos += 2;
                } else {
                    match errors {
                        "strict" => {
                            return Err(vm.new_value_error(format!("invalid \\x escape at position {start}")));
                        }
                        "replace" => out.push(b'?'),
                        "ignore" => {}
                        _ => {
                            return Err(vm.new_value_error(format!(
                                "decoding error; unknown error handling code: {errors}"
                            )))
                        }
                    }
                    pos += k;
                }
            }
            _ => {
                out.extend_from_slice(&[b'\\', e]);
                first_invalid.get_or_insert_with(|| invalid_escape(e));
            }
        }
    }
    Ok(out)
}
