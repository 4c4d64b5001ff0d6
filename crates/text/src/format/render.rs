//! Field layout shared by int, float and complex formatting: CPython's
//! `calc_number_widths` + `fill_number` (sign, prefix, padding, zero padding
//! through the digit grouping) and `calc_padding` for plain text.

use super::error::{alloc_string, FmtResult};

/// One number to lay out: `[sign][prefix][digits][.][remainder]`.
pub(crate) struct NumberParts<'a> {
    /// The value is negative (a `-` is shown whatever the sign option).
    pub negative: bool,
    /// `0x` / `0o` / `0b` (already in the right case), or empty.
    pub prefix: &'a str,
    /// The leading run of ASCII digits (grouped and zero padded).
    pub digits: &'a str,
    /// A decimal point follows the digits.
    pub has_decimal: bool,
    /// Everything after the digits and point (fraction, exponent, `%`, `inf`).
    pub remainder: &'a str,
}

/// Layout options (a subset of the format spec).
pub(crate) struct Layout {
    pub fill: char,
    pub align: char,
    pub width: Option<usize>,
    /// `+`, `-`, `' '` or `None`.
    pub sign: Option<char>,
    /// Separator and group size.
    pub grouping: Option<(char, usize)>,
}

/// Splits a dtoa result (without its sign) into digits / point / remainder.
pub(crate) fn split_number(s: &str) -> (&str, bool, &str) {
    let n = s.bytes().take_while(|b| b.is_ascii_digit()).count();
    let digits = &s[..n];
    let rest = &s[n..];
    if let Some(r) = rest.strip_prefix('.') {
        (digits, true, r)
    } else {
        (digits, false, rest)
    }
}

/// Digits with separators inserted, left-padded with zeros to `min_width`
/// characters (CPython's `_PyUnicode_InsertThousandsGrouping`).
fn group_digits(digits: &str, min_width: i64, grouping: Option<(char, usize)>) -> FmtResult<String> {
    let d = digits.as_bytes();
    let mut remaining = d.len() as i64;
    let mut min_width = min_width;
    // Built right to left, reversed at the end.
    let cap = (min_width.max(0) as usize).saturating_add(d.len().saturating_mul(2)).saturating_add(1);
    let mut rev: Vec<char> = Vec::new();
    rev.try_reserve(cap).map_err(|_| super::error::FormatError::memory())?;
    let mut pos = d.len();
    let mut emit = |rev: &mut Vec<char>, n_chars: i64, n_zeros: i64, sep: Option<char>| {
        for _ in 0..n_chars {
            pos -= 1;
            rev.push(d[pos] as char);
        }
        for _ in 0..n_zeros {
            rev.push('0');
        }
        if let Some(s) = sep {
            rev.push(s);
        }
    };
    match grouping {
        None => {
            let len = remaining.max(min_width).max(1);
            let n_zeros = (len - remaining).max(0);
            let n_chars = remaining.min(len).max(0);
            emit(&mut rev, n_chars, n_zeros, None);
        }
        Some((sep, size)) => {
            let size = size as i64;
            let mut first = true;
            loop {
                let len = size.min(remaining.max(min_width).max(1));
                let n_zeros = (len - remaining).max(0);
                let n_chars = remaining.min(len).max(0);
                // The separator goes to the left of the *previous* group,
                // i.e. before this group's digits in reading order.
                if !first {
                    rev.push(sep);
                }
                emit(&mut rev, n_chars, n_zeros, None);
                first = false;
                remaining -= n_chars;
                min_width -= len;
                if remaining <= 0 && min_width <= 0 {
                    break;
                }
                min_width -= 1;
            }
        }
    }
    let mut out = alloc_string(rev.len())?;
    out.extend(rev.iter().rev());
    Ok(out)
}

/// Lays out a number in a field.
pub(crate) fn render_number(p: &NumberParts<'_>, l: &Layout) -> FmtResult<String> {
    let sign: Option<char> = match l.sign {
        Some('+') => Some(if p.negative { '-' } else { '+' }),
        Some(' ') => Some(if p.negative { '-' } else { ' ' }),
        _ => if p.negative { Some('-') } else { None },
    };
    let n_sign = sign.is_some() as i64;
    let n_prefix = p.prefix.chars().count() as i64;
    let n_decimal = p.has_decimal as i64;
    let n_remainder = p.remainder.chars().count() as i64;
    let non_digit = n_sign + n_prefix + n_decimal + n_remainder;
    let width = l.width.map(|w| w as i64).unwrap_or(-1);
    let min_width = if l.fill == '0' && l.align == '=' { width - non_digit } else { 0 };
    let grouped = if p.digits.is_empty() {
        String::new()
    } else {
        group_digits(p.digits, min_width, l.grouping)?
    };
    let n_grouped = grouped.len() as i64;
    let n_padding = width - (non_digit + n_grouped);
    let (mut lpad, mut spad, mut rpad) = (0i64, 0i64, 0i64);
    if n_padding > 0 {
        match l.align {
            '<' => rpad = n_padding,
            '^' => {
                lpad = n_padding / 2;
                rpad = n_padding - lpad;
            }
            '=' => spad = n_padding,
            _ => lpad = n_padding,
        }
    }
    let pad_bytes = ((lpad + spad + rpad) as usize).saturating_mul(l.fill.len_utf8());
    let mut out = alloc_string(pad_bytes.saturating_add((non_digit + n_grouped) as usize * 4))?;
    let fill = |out: &mut String, n: i64| {
        for _ in 0..n {
            out.push(l.fill);
        }
    };
    fill(&mut out, lpad);
    if let Some(s) = sign {
        out.push(s);
    }
    out.push_str(p.prefix);
    fill(&mut out, spad);
    out.push_str(&grouped);
    if p.has_decimal {
        out.push('.');
    }
    out.push_str(p.remainder);
    fill(&mut out, rpad);
    Ok(out)
}

/// Pads `s` (of `len` code points) to `width` with `fill` per `align`
/// (CPython's `calc_padding`; `'='` behaves like `'<'`).
pub(crate) fn pad_text(s: &str, len: usize, width: Option<usize>, align: char, fill: char) -> FmtResult<String> {
    let total = width.unwrap_or(0).max(len);
    let pad = total - len;
    let lpad = match align {
        '>' => pad,
        '^' => pad / 2,
        _ => 0,
    };
    let rpad = pad - lpad;
    let mut out = alloc_string(s.len().saturating_add(pad.saturating_mul(fill.len_utf8())))?;
    for _ in 0..lpad {
        out.push(fill);
    }
    out.push_str(s);
    for _ in 0..rpad {
        out.push(fill);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping() {
        let g = |d, w, s| group_digits(d, w, s).unwrap();
        assert_eq!(g("1234", 0, Some((',', 3))), "1,234");
        assert_eq!(g("1234", 8, Some((',', 3))), "0,001,234");
        assert_eq!(g("123", 0, Some((',', 3))), "123");
        assert_eq!(g("1", 5, None), "00001");
        assert_eq!(g("123456", 0, Some(('_', 4))), "12_3456");
    }
}
