//! `format(float, spec)` and `format(complex, spec)` (CPython's
//! `format_float_internal` / `format_complex_internal`) and `repr(complex)`.

use super::dtoa::{double_to_string, float_repr, DtoaFlags};
use super::error::{FmtResult, FormatError};
use super::render::{pad_text, render_number, split_number, Layout, NumberParts};
use super::spec::{group_size, unknown_format_code, FormatSpec};

/// Resolves the type/precision/flags of a float spec into dtoa arguments.
fn dtoa_args(spec: &FormatSpec, ty: Option<char>, for_complex: bool) -> FmtResult<(char, usize, DtoaFlags, bool)> {
    let precision = match spec.precision {
        Some(p) if p > i32::MAX as usize => return Err(FormatError::value("precision too big")),
        p => p,
    };
    let mut flags = DtoaFlags { alt: spec.alternate, no_neg_0: spec.no_neg_0, ..DtoaFlags::default() };
    let mut code = ty.unwrap_or('r');
    let mut default_precision = 6;
    let mut add_pct = false;
    if ty.is_none() {
        if !for_complex {
            flags.add_dot_0 = true;
        }
        default_precision = 0;
    }
    if code == 'n' {
        code = 'g';
    }
    if code == '%' {
        code = 'f';
        add_pct = true;
    }
    let precision = match precision {
        None => default_precision,
        Some(p) => {
            if code == 'r' {
                code = 'g';
            }
            p
        }
    };
    Ok((code, precision, flags, add_pct))
}

/// `format(x, spec)` for a float (`spec` parsed with `default_type = None`).
///
/// Types: none, `e E f F g G n %`; `n` uses the C locale (no grouping).
/// `type_name` is used in the "Unknown format code" message.
pub fn format_float(x: f64, spec: &FormatSpec, type_name: &str) -> FmtResult<String> {
    match spec.ty {
        None | Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%') => {}
        Some(c) => return Err(unknown_format_code(c, type_name)),
    }
    format_float_internal(x, spec)
}

/// Shared with int formatting (which converts to float for `e f g %`).
pub(crate) fn format_float_internal(x: f64, spec: &FormatSpec) -> FmtResult<String> {
    let (code, precision, flags, add_pct) = dtoa_args(spec, spec.ty, false)?;
    let x = if add_pct { x * 100.0 } else { x };
    let mut buf = double_to_string(x, code, precision, flags);
    if add_pct {
        buf.push('%');
    }
    let (negative, body) = match buf.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, buf.as_str()),
    };
    let (digits, has_decimal, remainder) = split_number(body);
    let parts = NumberParts { negative, prefix: "", digits, has_decimal, remainder };
    let layout = Layout {
        fill: spec.fill,
        align: spec.align_or('>'),
        width: spec.width,
        sign: spec.sign,
        grouping: if spec.ty == Some('n') { None } else { group_size(spec) },
    };
    render_number(&parts, &layout)
}

/// `repr(complex(re, im))`: `1j`, `(1+2j)`, `(-0-1j)`, `(nan+infj)`.
pub fn complex_repr(re: f64, im: f64) -> String {
    let flags = DtoaFlags::default();
    if re == 0.0 && re.is_sign_positive() {
        let mut s = double_to_string(im, 'r', 0, flags);
        s.push('j');
        s
    } else {
        let r = double_to_string(re, 'r', 0, flags);
        let i = double_to_string(im, 'r', 0, DtoaFlags { sign: true, ..flags });
        format!("({}{}j)", r, i)
    }
}

/// `str(float)` is the same as `repr(float)` in Python 3.
pub fn float_str(x: f64) -> String {
    float_repr(x)
}

/// `format(complex(re, im), spec)` (`spec` parsed with `default_type = None`).
pub fn format_complex(re: f64, im: f64, spec: &FormatSpec, type_name: &str) -> FmtResult<String> {
    match spec.ty {
        None | Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n') => {}
        Some(c) => return Err(unknown_format_code(c, type_name)),
    }
    if spec.fill == '0' {
        return Err(FormatError::value("Zero padding is not allowed in complex format specifier"));
    }
    if spec.align == Some('=') {
        return Err(FormatError::value("'=' alignment flag is not allowed in complex format specifier"));
    }
    let (code, precision, flags, _) = dtoa_args(spec, spec.ty, true)?;
    let (mut skip_re, mut add_parens) = (false, false);
    if spec.ty.is_none() {
        if re == 0.0 && re.is_sign_positive() {
            skip_re = true;
        } else {
            add_parens = true;
        }
    }
    let grouping = if spec.ty == Some('n') { None } else { group_size(spec) };
    let part = |v: f64, sign: Option<char>| -> FmtResult<String> {
        let buf = double_to_string(v, code, precision, flags);
        let (negative, body) = match buf.strip_prefix('-') {
            Some(b) => (true, b),
            None => (false, buf.as_str()),
        };
        let (digits, has_decimal, remainder) = split_number(body);
        let parts = NumberParts { negative, prefix: "", digits, has_decimal, remainder };
        render_number(&parts, &Layout { fill: ' ', align: '<', width: None, sign, grouping })
    };
    let re_s = if skip_re { String::new() } else { part(re, spec.sign)? };
    let im_s = part(im, if skip_re { spec.sign } else { Some('+') })?;
    let mut body = String::with_capacity(re_s.len() + im_s.len() + 3);
    if add_parens {
        body.push('(');
    }
    body.push_str(&re_s);
    body.push_str(&im_s);
    body.push('j');
    if add_parens {
        body.push(')');
    }
    let len = body.chars().count();
    pad_text(&body, len, spec.width, spec.align_or('>'), spec.fill)
}
