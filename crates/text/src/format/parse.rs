//! Text to number: `float(str)` and `int(str, base)` with CPython 3.11's
//! grammar (underscores, prefixes, whitespace, `inf`/`nan`) and its
//! integer-string digit limit.
//!
//! Both parsers strip ASCII whitespace only.  CPython first maps every
//! Unicode whitespace character to a space and every Unicode decimal digit
//! to its ASCII digit (`_PyUnicode_TransformDecimalAndSpaceToASCII`); the
//! caller must do that mapping before calling in here.

use dashu_int::{IBig, UBig};

use super::error::FormatError;
use super::int_fmt::MAX_STR_DIGITS_THRESHOLD;

fn is_py_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
}

fn trim_py_space(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_ascii() && is_py_space(c as u8))
}

/// Parses `digitpart ::= digit (["_"] digit)*` at the start of `b`, pushing
/// the digits (without underscores) to `out`.  Returns the bytes consumed,
/// or 0 if there is no digitpart; a dangling `_` is not consumed.
fn digitpart(b: &[u8], out: &mut String) -> usize {
    let mut i = 0;
    if !b.first().is_some_and(|c| c.is_ascii_digit()) {
        return 0;
    }
    loop {
        while i < b.len() && b[i].is_ascii_digit() {
            out.push(b[i] as char);
            i += 1;
        }
        if i + 1 < b.len() && b[i] == b'_' && b[i + 1].is_ascii_digit() {
            i += 1;
            continue;
        }
        return i;
    }
}

/// `float(s)` for a str argument: `None` means CPython's
/// `ValueError: could not convert string to float: <repr(s)>`.
///
/// Grammar: `[sign] (digitpart ["." [digitpart]] | "." digitpart) [("e"|"E")
/// [sign] digitpart]` or `[sign] ("inf" | "infinity" | "nan")`
/// (case-insensitive), surrounded by optional ASCII whitespace.  Results are
/// correctly rounded; overflow gives `inf`.
pub fn parse_float(s: &str) -> Option<f64> {
    let t = trim_py_space(s);
    let b = t.as_bytes();
    let (neg, rest) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    let lower: String = String::from_utf8_lossy(rest).to_ascii_lowercase();
    let special = match lower.as_str() {
        "inf" | "infinity" => Some(f64::INFINITY),
        "nan" => Some(f64::NAN),
        _ => None,
    };
    if let Some(v) = special {
        return Some(if neg { -v } else { v });
    }
    let mut clean = String::with_capacity(rest.len() + 2);
    if neg {
        clean.push('-');
    }
    let mut i = digitpart(rest, &mut clean);
    let int_digits = i > 0;
    let mut frac_digits = false;
    if i < rest.len() && rest[i] == b'.' {
        clean.push('.');
        i += 1;
        let n = digitpart(&rest[i..], &mut clean);
        frac_digits = n > 0;
        i += n;
    }
    if !int_digits && !frac_digits {
        return None;
    }
    if i < rest.len() && (rest[i] == b'e' || rest[i] == b'E') {
        clean.push('e');
        i += 1;
        if i < rest.len() && (rest[i] == b'+' || rest[i] == b'-') {
            clean.push(rest[i] as char);
            i += 1;
        }
        let n = digitpart(&rest[i..], &mut clean);
        if n == 0 {
            return None;
        }
        i += n;
    }
    if i != rest.len() {
        return None;
    }
    if !int_digits {
        // Rust accepts ".5" but be explicit.
        let at = if neg { 1 } else { 0 };
        clean.insert(at, '0');
    }
    clean.parse::<f64>().ok()
}

/// Why `int(s, base)` failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseIntError {
    /// `ValueError: int() base must be >= 2 and <= 36, or 0`.
    BadBase,
    /// `ValueError: invalid literal for int() with base {base}: {repr(s)}`
    /// (the caller formats it, since it needs `repr` of the original str).
    Invalid,
    /// More digits than `sys.get_int_max_str_digits()` allows.
    ExceedsLimit { limit: usize, digits: usize },
}

impl ParseIntError {
    /// The error as a `FormatError`; `literal_repr` is `repr()` of the
    /// argument, `base` the base as passed.
    pub fn to_error(&self, base: u32, literal_repr: &str) -> FormatError {
        match self {
            ParseIntError::BadBase => FormatError::value("int() base must be >= 2 and <= 36, or 0"),
            ParseIntError::Invalid => {
                FormatError::value(format!("invalid literal for int() with base {}: {}", base, literal_repr))
            }
            ParseIntError::ExceedsLimit { limit, digits } => FormatError::value(format!(
                "Exceeds the limit ({} digits) for integer string conversion: value has {} digits; use sys.set_int_max_str_digits() to increase the limit",
                limit, digits
            )),
        }
    }
}

fn digit_value(b: u8) -> u32 {
    match b {
        b'0'..=b'9' => (b - b'0') as u32,
        b'a'..=b'z' => (b - b'a') as u32 + 10,
        b'A'..=b'Z' => (b - b'A') as u32 + 10,
        _ => 99,
    }
}

/// `int(s, base)` for a str argument (also `int(bytes)` after decoding).
///
/// `base` is 0 (auto-detect `0x`/`0o`/`0b`, decimal otherwise; a nonzero
/// decimal with a leading zero is invalid) or 2..=36.  Single underscores
/// are allowed between digits and after a base prefix.  `max_str_digits`
/// is `sys.get_int_max_str_digits()` (0 = unlimited); it applies to bases
/// that are not powers of two.
pub fn parse_int(s: &str, base: u32, max_str_digits: usize) -> Result<IBig, ParseIntError> {
    if base == 1 || base > 36 {
        return Err(ParseIntError::BadBase);
    }
    let b = trim_py_space(s).as_bytes();
    let mut i = 0;
    let mut neg = false;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        neg = b[i] == b'-';
        i += 1;
    }
    let mut base = base;
    let at = |k: usize| b.get(k).copied().unwrap_or(0).to_ascii_lowercase();
    let mut error_if_nonzero = false;
    if base == 0 {
        base = if at(i) != b'0' {
            10
        } else {
            match at(i + 1) {
                b'x' => 16,
                b'o' => 8,
                b'b' => 2,
                _ => {
                    error_if_nonzero = true;
                    10
                }
            }
        };
    }
    if at(i) == b'0' && matches!((base, at(i + 1)), (16, b'x') | (8, b'o') | (2, b'b')) {
        i += 2;
        if at(i) == b'_' {
            i += 1;
        }
    }
    // Validate: digits with single underscores between them.
    let body = &b[i..];
    if body.is_empty() || body[0] == b'_' {
        return Err(ParseIntError::Invalid);
    }
    let mut digits = String::with_capacity(body.len());
    let mut prev_underscore = false;
    let mut end = 0;
    for &c in body {
        if c == b'_' {
            if prev_underscore {
                return Err(ParseIntError::Invalid);
            }
            prev_underscore = true;
        } else if digit_value(c) < base {
            prev_underscore = false;
            digits.push(c as char);
        } else {
            break;
        }
        end += 1;
    }
    if prev_underscore {
        return Err(ParseIntError::Invalid);
    }
    // CPython checks the limit on the leading run of digits before it looks
    // at what follows.
    if !base.is_power_of_two() && max_str_digits > 0 {
        let n = digits.len();
        if n > MAX_STR_DIGITS_THRESHOLD && n > max_str_digits {
            return Err(ParseIntError::ExceedsLimit { limit: max_str_digits, digits: n });
        }
    }
    if end != body.len() {
        return Err(ParseIntError::Invalid);
    }
    let mag = UBig::from_str_radix(&digits, base).map_err(|_| ParseIntError::Invalid)?;
    if error_if_nonzero && mag != UBig::ZERO {
        return Err(ParseIntError::Invalid);
    }
    let v = IBig::from(mag);
    Ok(if neg { -v } else { v })
}
