//! `format(str, spec)` (CPython's `format_string_internal`): widths count
//! code points and a precision truncates.

use super::error::{FmtResult, FormatError};
use super::render::pad_text;
use super::spec::{unknown_format_code, FormatSpec};

/// `format(s, spec)` for a str (`spec` parsed with `default_type = Some('s')`).
pub fn format_str(s: &str, spec: &FormatSpec, type_name: &str) -> FmtResult<String> {
    match spec.ty {
        None | Some('s') => {}
        Some(c) => return Err(unknown_format_code(c, type_name)),
    }
    match spec.sign {
        Some(' ') => return Err(FormatError::value("Space not allowed in string format specifier")),
        Some(_) => return Err(FormatError::value("Sign not allowed in string format specifier")),
        None => {}
    }
    if spec.no_neg_0 {
        return Err(FormatError::value("Negative zero coercion (z) not allowed in string format specifier"));
    }
    if spec.alternate {
        return Err(FormatError::value("Alternate form (#) not allowed in string format specifier"));
    }
    if spec.align == Some('=') {
        return Err(FormatError::value("'=' alignment not allowed in string format specifier"));
    }
    let mut len = s.chars().count();
    let mut text = s;
    if let Some(p) = spec.precision {
        if p < len {
            let cut = s.char_indices().nth(p).map(|(i, _)| i).unwrap_or(s.len());
            text = &s[..cut];
            len = p;
        }
    }
    pad_text(text, len, spec.width, spec.align_or('<'), spec.fill)
}
