//! UTF-8, UTF-16 and UTF-32 decoders with the incremental `final` flag
//! (without it, an incomplete sequence at the end is left unconsumed), and
//! the UTF-16/32 encoders for text without lone surrogates (a str with
//! them goes to `surrogate_encode`).

use super::errors::{decode_error, DecodeInput};
use crate::types::str_surrogates::StrBuf;
use crate::{PyResult, Vm};

/// Decodes UTF-8; returns the text and the number of bytes consumed.
pub fn decode_utf8(vm: &Vm, input: &[u8], errors: &str, final_: bool) -> PyResult<(StrBuf, usize)> {
    let mut data = DecodeInput::from(input);
    let mut out = StrBuf::with_capacity(data.len());
    let mut pos = 0;
    while pos < data.len() {
        let rest = &data[pos..];
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                pos = data.len();
            }
            Err(e) => {
                let good = e.valid_up_to();
                out.push_str(std::str::from_utf8(&rest[..good]).unwrap_or(""));
                let start = pos + good;
                let (len, reason) = match e.error_len() {
                    None if !final_ => return Ok((out, start)),
                    // The first two bytes of a surrogate, which `surrogatepass`
                    // may take once the third arrives.
                    Some(1) if !final_ && rest.len() - good == 2 && rest[good] == 0xED && rest[good + 1] >= 0xA0 => {
                        return Ok((out, start))
                    }
                    None => (rest.len() - good, "unexpected end of data"),
                    Some(n) => {
                        let b = rest[good];
                        let bad_start = (0x80..0xC2).contains(&b) || b >= 0xF5;
                        (n, if bad_start { "invalid start byte" } else { "invalid continuation byte" })
                    }
                };
                pos = decode_error(vm, errors, "utf-8", &mut data, start, start + len, reason, &mut out)?;
            }
        }
    }
    Ok((out, pos))
}

/// Detects a UTF-16/32 byte order mark: (bom length, big endian).
fn bom(data: &[u8], wide: bool) -> Option<(usize, bool)> {
    if wide {
        match data.get(..4)? {
            [0xFF, 0xFE, 0, 0] => Some((4, false)),
            [0, 0, 0xFE, 0xFF] => Some((4, true)),
            _ => None,
        }
    } else {
        match data.get(..2)? {
            [0xFF, 0xFE] => Some((2, false)),
            [0xFE, 0xFF] => Some((2, true)),
            _ => None,
        }
    }
}

/// `utf_16_ex_decode`/`utf_32_ex_decode`: `byteorder` -1 little, 1 big, 0
/// "detect a BOM, else little". Returns (text, consumed, byteorder found).
pub fn decode_utf16_32(
    vm: &Vm,
    data: &[u8],
    errors: &str,
    byteorder: i32,
    final_: bool,
    wide: bool,
) -> PyResult<(StrBuf, usize, i32)> {
    let mut order = byteorder;
    let mut pos = 0;
    if order == 0 {
        if let Some((n, big)) = bom(data, wide) {
            pos = n;
            order = if big { 1 } else { -1 };
        }
    }
    let big = order == 1;
    let name = match (wide, big) {
        (false, false) => "utf-16-le",
        (false, true) => "utf-16-be",
        (true, false) => "utf-32-le",
        (true, true) => "utf-32-be",
    };
    let mut out = StrBuf::with_capacity(data.len() / 2);
    let unit = if wide { 4 } else { 2 };
    let mut data = DecodeInput::from(data);
    let read = |data: &[u8], at: usize| -> u32 {
        if wide {
            let a = [data[at], data[at + 1], data[at + 2], data[at + 3]];
            if big { u32::from_be_bytes(a) } else { u32::from_le_bytes(a) }
        } else {
            let a = [data[at], data[at + 1]];
            (if big { u16::from_be_bytes(a) } else { u16::from_le_bytes(a) }) as u32
        }
    };
    while pos < data.len() {
        if data.len() - pos < unit {
            if !final_ {
                break;
            }
            let end = data.len();
            pos = decode_error(vm, errors, name, &mut data, pos, end, "truncated data", &mut out)?;
            continue;
        }
        let u = read(&data, pos);
        if wide {
            match char::from_u32(u) {
                Some(c) => {
                    out.push(c);
                    pos += 4;
                }
                None => {
                    let reason = if (0xD800..0xE000).contains(&u) {
                        "code point in surrogate code point range(0xd800, 0xe000)"
                    } else {
                        "code point not in range(0x110000)"
                    };
                    pos = decode_error(vm, errors, name, &mut data, pos, pos + 4, reason, &mut out)?;
                }
            }
            continue;
        }
        if !(0xD800..0xE000).contains(&u) {
            out.push(char::from_u32(u).unwrap_or('\u{FFFD}'));
            pos += 2;
        } else if u >= 0xDC00 {
            pos = decode_error(vm, errors, name, &mut data, pos, pos + 2, "illegal encoding", &mut out)?;
        } else if data.len() - pos < 4 {
            if !final_ {
                break;
            }
            let end = data.len();
            pos = decode_error(vm, errors, name, &mut data, pos, end, "unexpected end of data", &mut out)?;
        } else {
            let lo = read(&data, pos + 2);
            if (0xDC00..0xE000).contains(&lo) {
                let c = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                pos += 4;
            } else {
                pos = decode_error(vm, errors, name, &mut data, pos, pos + 2, "illegal UTF-16 surrogate", &mut out)?;
            }
        }
    }
    Ok((out, pos, order))
}

/// UTF-16/32 encoding; `byteorder` 0 writes a BOM then little endian.
pub fn encode_utf16_32(s: &str, byteorder: i32, wide: bool) -> Vec<u8> {
    let big = byteorder == 1;
    let mut out = Vec::with_capacity(s.len() * if wide { 4 } else { 2 } + 4);
    let mut put = |u: u32| {
        if wide {
            out.extend_from_slice(&if big { u.to_be_bytes() } else { u.to_le_bytes() });
        } else {
            let u = u as u16;
            out.extend_from_slice(&if big { u.to_be_bytes() } else { u.to_le_bytes() });
        }
    };
    if byteorder == 0 {
        put(0xFEFF);
    }
    if wide {
        s.chars().for_each(|c| put(c as u32));
    } else {
        s.encode_utf16().for_each(|u| put(u as u32));
    }
    out
}
