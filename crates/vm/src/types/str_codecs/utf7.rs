//! UTF-7 (RFC 2152) as CPython encodes and decodes it: set O characters and
//! white space are written directly, '+' as "+-", everything else in
//! modified base64 shifted by '+' (closed by '-' only when needed).

use super::errors::decode_error;
use crate::{PyResult, Vm};

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn from_b64(c: u8) -> Option<u32> {
    B64.iter().position(|&x| x == c).map(|i| i as u32)
}

/// Written as itself when encoding: printable ASCII and \t \n \r, except
/// '+' (written "+-"), '\\' and '~'.
fn encode_direct(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='}') && c != '+' && c != '\\'
}

/// Encodes code points (a lone surrogate goes into base64 as its own
/// UTF-16 unit, as in CPython).
pub fn encode_utf7(cps: impl Iterator<Item = u32>) -> Vec<u8> {
    let mut out = Vec::with_capacity(cps.size_hint().0);
    let (mut in_shift, mut bits, mut buf) = (false, 0u32, 0u64);
    for cp in cps {
        // A lone surrogate is never written directly; U+FFFD neither.
        let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
        if in_shift && encode_direct(ch) {
            if bits > 0 {
                out.push(B64[((buf << (6 - bits)) & 0x3F) as usize]);
                bits = 0;
                buf = 0;
            }
            in_shift = false;
            // A char that could be read as base64 (or '-') needs the explicit end.
            if ch.is_ascii_alphanumeric() || ch == '/' || ch == '-' {
                out.push(b'-');
            }
            out.push(ch as u8);
            continue;
        }
        if !in_shift {
            if ch == '+' {
                out.extend_from_slice(b"+-");
                continue;
            }
            if encode_direct(ch) {
                out.push(ch as u8);
                continue;
            }
            out.push(b'+');
            in_shift = true;
        }
        let mut units = [cp as u16, 0];
        let units = match char::from_u32(cp) {
            Some(c) => &*c.encode_utf16(&mut units),
            None => &units[..1],
        };
        for &u in units {
            bits += 16;
            buf = (buf << 16) | u as u64;
            while bits >= 6 {
                out.push(B64[((buf >> (bits - 6)) & 0x3F) as usize]);
                bits -= 6;
            }
            buf &= (1 << bits) - 1;
        }
    }
    if bits > 0 {
        out.push(B64[((buf << (6 - bits)) & 0x3F) as usize]);
    }
    if in_shift {
        out.push(b'-');
    }
    out
}

/// Decodes UTF-7; without `final_`, an open shift sequence is left
/// unconsumed. A surrogate not followed by its pair stays a lone one.
pub fn decode_utf7(vm: &Vm, input: &[u8], errors: &str, final_: bool) -> PyResult<(crate::types::str_surrogates::StrBuf, usize)> {
    let mut data = super::errors::DecodeInput::from(input);
    let mut out = crate::types::str_surrogates::StrBuf::with_capacity(data.len());
    let (mut in_shift, mut bits, mut buf) = (false, 0u32, 0u64);
    let mut surrogate: u32 = 0;
    let (mut shift_start, mut shift_out) = (0usize, 0usize);
    let mut pos = 0;
    while pos < data.len() {
        let ch = data[pos];
        let mut err: Option<(usize, &str)> = None;
        if in_shift {
            if let Some(v) = from_b64(ch) {
                buf = (buf << 6) | v as u64;
                bits += 6;
                pos += 1;
                if bits >= 16 {
                    let u = ((buf >> (bits - 16)) & 0xFFFF) as u32;
                    bits -= 16;
                    buf &= (1 << bits) - 1;
                    if surrogate != 0 {
                        if (0xDC00..0xE000).contains(&u) {
                            let c = 0x10000 + ((surrogate - 0xD800) << 10) + (u - 0xDC00);
                            out.push_code_point(c);
                            surrogate = 0;
                            continue;
                        }
                        out.push_code_point(surrogate);
                        surrogate = 0;
                    }
                    if (0xD800..0xDC00).contains(&u) {
                        surrogate = u;
                    } else {
                        out.push_code_point(u);
                    }
                }
            } else {
                in_shift = false;
                // A bad end of the shift consumes the char that ended it.
                if bits >= 6 {
                    pos += 1;
                    err = Some((shift_start, "partial character in shift sequence"));
                } else if bits > 0 && buf != 0 {
                    pos += 1;
                    err = Some((shift_start, "non-zero padding bits in shift sequence"));
                } else {
                    if surrogate != 0 && ch <= 127 && ch != b'+' {
                        out.push_code_point(surrogate);
                    }
                    surrogate = 0;
                    if ch == b'-' {
                        pos += 1;
                    }
                }
            }
        } else if ch == b'+' {
            let start = pos;
            pos += 1;
            match data.get(pos) {
                Some(b'-') => {
                    pos += 1;
                    out.push('+');
                }
                Some(&c) if from_b64(c).is_none() => {
                    pos += 1;
                    err = Some((start, "ill-formed sequence"));
                }
                _ => {
                    in_shift = true;
                    surrogate = 0;
                    shift_start = start;
                    shift_out = out.len();
                    bits = 0;
                    buf = 0;
                }
            }
        } else if ch <= 127 {
            out.push(ch as char);
            pos += 1;
        } else {
            pos += 1;
            err = Some((pos - 1, "unexpected special character"));
        }
        if let Some((start, reason)) = err {
            pos = decode_error(vm, errors, "utf7", &mut data, start, pos, reason, &mut out)?;
        }
    }
    if in_shift && final_ && (surrogate != 0 || bits >= 6 || (bits > 0 && buf != 0)) {
        let end = data.len();
        // A handler's resume position inside this tail is not honoured:
        // every standard handler resumes at the end anyway.
        decode_error(vm, errors, "utf7", &mut data, shift_start, end, "unterminated shift sequence", &mut out)?;
        return Ok((out, end));
    }
    if in_shift && !final_ {
        out.truncate(shift_out);
        return Ok((out, shift_start));
    }
    Ok((out, pos))
}
