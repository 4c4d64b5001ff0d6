//! The number conversions of printf-style `%` formatting (CPython's
//! `formatlong`, `formatfloat` and `unicode_format_arg_output`).  The VM
//! walks the format string and the arguments; these functions render one
//! conversion given its flags, width and precision.

use dashu_int::IBig;

use super::dtoa::{double_to_string, DtoaFlags};
use super::error::{alloc_string, FmtResult, FormatError};
use super::int_fmt::{char_from_int, int_to_decimal_string, int_to_str_radix};

/// Flags, width and precision of one `%` conversion.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PercentSpec {
    /// `-`: left-justify.
    pub left: bool,
    /// `+`: always show a sign.
    pub sign: bool,
    /// `' '`: a blank for non-negative numbers.
    pub blank: bool,
    /// `#`: alternate form.
    pub alt: bool,
    /// `0`: zero padding (numbers only).
    pub zero: bool,
    /// Minimum width (a negative `*` width should be turned into `left`).
    pub width: Option<usize>,
    pub prec: Option<usize>,
}

/// Writes a converted value into its field (`unicode_format_arg_output`).
/// `numeric` enables sign handling and zero fill; `conv` matters for the
/// `0x`/`0o` prefix placement.
fn output(s: &str, spec: &PercentSpec, numeric: bool, conv: char) -> FmtResult<String> {
    let fill = if spec.zero && numeric { '0' } else { ' ' };
    let mut body = s;
    let mut len = s.chars().count();
    let mut signchar = None;
    let mut has_sign = numeric;
    if numeric {
        if let Some(c) = body.chars().next().filter(|&c| c == '-' || c == '+') {
            signchar = Some(c);
            body = &body[1..];
            len -= 1;
        } else if spec.sign {
            signchar = Some('+');
        } else if spec.blank {
            signchar = Some(' ');
        } else {
            has_sign = false;
        }
    }
    let mut width = spec.width.unwrap_or(0).max(len);
    let mut out = alloc_string(width.saturating_mul(fill.len_utf8()).saturating_add(s.len()).saturating_add(2))?;
    if has_sign {
        if fill != ' ' {
            out.extend(signchar);
        }
        if width > len {
            width -= 1;
        }
    }
    let prefixed = spec.alt && matches!(conv, 'x' | 'X' | 'o');
    if prefixed {
        if fill != ' ' {
            out.push_str(&body[..2]);
        }
        width = width.saturating_sub(2);
        len -= 2;
    }
    if width > len && !spec.left {
        for _ in 0..width - len {
            out.push(fill);
        }
        width = len;
    }
    if fill == ' ' {
        if has_sign {
            out.extend(signchar);
        }
        if prefixed {
            out.push_str(&body[..2]);
        }
    }
    out.push_str(if prefixed { &body[2..] } else { body });
    if width > len {
        for _ in 0..width - len {
            out.push(' ');
        }
    }
    Ok(out)
}

/// `'%<flags><width>.<prec><conv>' % v` for an int; `conv` is one of
/// `d i u o x X`.  `max_str_digits` applies to decimal output (0 = off).
pub fn percent_format_int(v: &IBig, spec: &PercentSpec, conv: char, max_str_digits: usize) -> FmtResult<String> {
    let prec = spec.prec.unwrap_or(0);
    if prec > i32::MAX as usize {
        return Err(FormatError::value("precision too big"));
    }
    if prec > (i32::MAX - 3) as usize {
        return Err(FormatError::overflow("precision too large"));
    }
    let (digits_s, prefix) = match conv {
        'd' | 'i' | 'u' => (int_to_decimal_string(v, max_str_digits)?, ""),
        'o' => (int_to_str_radix(v, 8).unwrap_or_default(), "0o"),
        'x' => (int_to_str_radix(v, 16).unwrap_or_default(), "0x"),
        'X' => (int_to_str_radix(v, 16).unwrap_or_default().to_ascii_uppercase(), "0X"),
        _ => return Err(FormatError::value(format!("unsupported format character '{}'", conv))),
    };
    let (neg, digits) = match digits_s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, digits_s.as_str()),
    };
    let mut s = alloc_string(digits.len().max(prec) + 3)?;
    if neg {
        s.push('-');
    }
    if spec.alt {
        s.push_str(prefix);
    }
    for _ in digits.len()..prec {
        s.push('0');
    }
    s.push_str(digits);
    output(&s, spec, true, conv)
}

/// `'%<flags><width>.<prec><conv>' % x` for a float; `conv` is one of
/// `e E f F g G` (default precision 6).
pub fn percent_format_float(x: f64, spec: &PercentSpec, conv: char) -> FmtResult<String> {
    if !matches!(conv, 'e' | 'E' | 'f' | 'F' | 'g' | 'G') {
        return Err(FormatError::value(format!("unsupported format character '{}'", conv)));
    }
    let prec = spec.prec.unwrap_or(6);
    if prec > i32::MAX as usize {
        return Err(FormatError::value("precision too big"));
    }
    let flags = DtoaFlags { alt: spec.alt, ..DtoaFlags::default() };
    let s = double_to_string(x, conv, prec, flags);
    output(&s, spec, true, conv)
}

/// `%s`, `%r`, `%a` given the already converted text: precision truncates
/// (in code points), then width pads (the `0` flag is ignored).
pub fn percent_format_str(s: &str, spec: &PercentSpec) -> FmtResult<String> {
    let text = match spec.prec {
        Some(p) => match s.char_indices().nth(p) {
            Some((i, _)) => &s[..i],
            None => s,
        },
        None => s,
    };
    output(text, spec, false, 's')
}

/// `%c` with an int argument (`OverflowError: %c arg not in range(0x110000)`).
pub fn percent_format_char_int(v: &IBig, spec: &PercentSpec) -> FmtResult<String> {
    let c = char_from_int(v)?;
    percent_format_char(c, spec)
}

/// `%c` with a character (width pads; the `0` flag and precision are ignored).
pub fn percent_format_char(c: char, spec: &PercentSpec) -> FmtResult<String> {
    let mut buf = [0u8; 4];
    let s: &str = c.encode_utf8(&mut buf);
    output(s, &PercentSpec { prec: None, ..*spec }, false, 'c')
}
