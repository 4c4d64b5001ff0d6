//! Integer to text: `str(int)` with CPython 3.11's digit limit, conversion to
//! any base 2..36, `bin/oct/hex`-style prefixes, and `format(int, spec)`
//! (CPython's `format_long_internal`).

use dashu_int::ops::BitTest;
use dashu_int::IBig;

use super::error::{FmtResult, FormatError};
use super::float_fmt::format_float_internal;
use super::floatops::ibig_to_f64;
use super::render::{render_number, Layout, NumberParts};
use super::spec::{group_size, unknown_format_code, FormatSpec};

/// CPython's default `sys.get_int_max_str_digits()`.
pub const DEFAULT_MAX_STR_DIGITS: usize = 4300;
/// Below this many digits the limit is never checked (`sys.int_info.str_digits_check_threshold`).
pub const MAX_STR_DIGITS_THRESHOLD: usize = 640;

/// The `str(int)` / `int(str)` limit error for output (`str()`, `repr()`,
/// `format()`, `%d`).
pub fn str_limit_error(limit: usize) -> FormatError {
    FormatError::value(format!(
        "Exceeds the limit ({} digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit",
        limit
    ))
}

/// Number of decimal digits of |v| (exact).
fn decimal_len_lower_bound(v: &IBig) -> usize {
    let bits = v.bit_len();
    if bits == 0 {
        return 1;
    }
    // floor((bits-1) * log10(2)) + 1 is a lower bound on the digit count.
    (((bits - 1) as f64) * 0.301_029_995_663_981_1).floor() as usize + 1
}

/// `str(v)` in base 10, enforcing `max_str_digits` (0 = unlimited) exactly as
/// CPython: more than `max_str_digits` digits (sign excluded) is an error.
pub fn int_to_decimal_string(v: &IBig, max_str_digits: usize) -> FmtResult<String> {
    if max_str_digits > 0 {
        let lb = decimal_len_lower_bound(v);
        if lb > max_str_digits.max(MAX_STR_DIGITS_THRESHOLD) + 1 {
            return Err(str_limit_error(max_str_digits));
        }
    }
    let s = v.to_string();
    if max_str_digits > 0 {
        let n = s.len() - (s.starts_with('-') as usize);
        if n > MAX_STR_DIGITS_THRESHOLD && n > max_str_digits {
            return Err(str_limit_error(max_str_digits));
        }
    }
    Ok(s)
}

/// Digits of `v` in `base` (2..=36, lower-case letters, `-` for negatives, no
/// prefix).  No digit limit is applied (the caller applies it for base 10).
/// Returns `None` for an invalid base.
pub fn int_to_str_radix(v: &IBig, base: u32) -> Option<String> {
    if !(2..=36).contains(&base) {
        return None;
    }
    Some(match base {
        10 => v.to_string(),
        16 => format!("{:x}", v),
        8 => format!("{:o}", v),
        2 => format!("{:b}", v),
        _ => v.in_radix(base).to_string(),
    })
}

/// `bin()`, `oct()`, `hex()`: `base` 2, 8 or 16 with the `0b`/`0o`/`0x`
/// prefix after the sign (`-0xff`).  Other bases give `None`.
pub fn int_to_prefixed(v: &IBig, base: u32) -> Option<String> {
    let prefix = match base {
        2 => "0b",
        8 => "0o",
        16 => "0x",
        _ => return None,
    };
    let digits = int_to_str_radix(v, base)?;
    Some(match digits.strip_prefix('-') {
        Some(d) => format!("-{}{}", prefix, d),
        None => format!("{}{}", prefix, digits),
    })
}

/// `format(v, spec)` for an int (`spec` parsed with `default_type = Some('d')`).
///
/// Types `b c d o x X n` format the integer; `e E f F g G %` convert to float
/// first (`OverflowError: int too large to convert to float`).  `n` uses the
/// C locale.  `type_name` appears in "Unknown format code" errors;
/// `max_str_digits` is `sys.get_int_max_str_digits()` (0 = unlimited).
///
/// `c` with a surrogate code point (U+D800..U+DFFF) cannot be represented in
/// a Rust `String` and yields a `ValueError` (CPython would return the
/// surrogate).
pub fn format_int(v: &IBig, spec: &FormatSpec, type_name: &str, max_str_digits: usize) -> FmtResult<String> {
    let ty = spec.ty.unwrap_or('d');
    match ty {
        'b' | 'c' | 'd' | 'o' | 'x' | 'X' | 'n' => {}
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => {
            let x = ibig_to_f64(v)?;
            return format_float_internal(x, spec);
        }
        c => return Err(unknown_format_code(c, type_name)),
    }
    if spec.precision.is_some() {
        return Err(FormatError::value("Precision not allowed in integer format specifier"));
    }
    if spec.no_neg_0 {
        return Err(FormatError::value("Negative zero coercion (z) not allowed in integer format specifier"));
    }
    let layout = Layout {
        fill: spec.fill,
        align: spec.align_or('>'),
        width: spec.width,
        sign: spec.sign,
        grouping: if ty == 'n' { None } else { group_size(spec) },
    };
    if ty == 'c' {
        if spec.sign.is_some() {
            return Err(FormatError::value("Sign not allowed with integer format specifier 'c'"));
        }
        if spec.alternate {
            return Err(FormatError::value("Alternate form (#) not allowed with integer format specifier 'c'"));
        }
        if i64::try_from(v).is_err() {
            return Err(FormatError::overflow("Python int too large to convert to C long"));
        }
        let ch = char_from_int(v)?;
        let mut buf = [0u8; 4];
        let s: &str = ch.encode_utf8(&mut buf);
        let parts = NumberParts { negative: false, prefix: "", digits: "", has_decimal: false, remainder: s };
        return render_number(&parts, &layout);
    }
    let (base, prefix) = match ty {
        'b' => (2, "0b"),
        'o' => (8, "0o"),
        'x' => (16, "0x"),
        'X' => (16, "0X"),
        _ => (10, ""),
    };
    let s = if base == 10 {
        int_to_decimal_string(v, max_str_digits)?
    } else {
        int_to_str_radix(v, base).unwrap_or_default()
    };
    let (negative, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s.as_str()),
    };
    let upper;
    let digits = if ty == 'X' {
        upper = digits.to_ascii_uppercase();
        upper.as_str()
    } else {
        digits
    };
    let parts = NumberParts {
        negative,
        prefix: if spec.alternate { prefix } else { "" },
        digits,
        has_decimal: false,
        remainder: "",
    };
    render_number(&parts, &layout)
}

/// The character for `format(v, 'c')` / `'%c' % v`:
/// `OverflowError: %c arg not in range(0x110000)` when out of range.
pub fn char_from_int(v: &IBig) -> FmtResult<char> {
    let cp = i64::try_from(v).ok().filter(|c| (0..=0x10ffff).contains(c));
    match cp {
        None => Err(FormatError::overflow("%c arg not in range(0x110000)")),
        Some(c) => char::from_u32(c as u32)
            .ok_or_else(|| FormatError::value("surrogate code points are not supported in str")),
    }
}
