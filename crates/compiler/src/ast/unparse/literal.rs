//! Constants as source text that evaluates to them.

use crate::code::Constant;

/// A constant as source that evaluates to it.
pub(super) fn constant_source(c: &Constant) -> String {
    match c {
        Constant::None => "None".into(),
        Constant::Bool(b) => (if *b { "True" } else { "False" }).into(),
        Constant::Int(i) => format!("({i})"),
        Constant::Float(f) => format!("({})", float_source(*f)),
        Constant::Complex { re, im } => format!("({} + {}j)", float_source(*re), float_source(*im)),
        Constant::Str(s) | Constant::SurrogateStr { text: s, .. } => str_literal(s),
        Constant::Bytes(b) => bytes_literal(b),
        Constant::Tuple(items) => {
            let parts: Vec<String> = items.iter().map(constant_source).collect();
            format!(
                "({}{})",
                parts.join(", "),
                if items.len() == 1 { "," } else { "" }
            )
        }
        Constant::FrozenSet(items) => {
            let parts: Vec<String> = items.iter().map(constant_source).collect();
            format!(
                "frozenset(({}{}))",
                parts.join(", "),
                if items.len() == 1 { "," } else { "" }
            )
        }
        Constant::Ellipsis => "...".into(),
        Constant::Code(_) => "None".into(),
    }
}

fn float_source(f: f64) -> String {
    if f.is_nan() {
        "(1e309 - 1e309)".into()
    } else if f.is_infinite() {
        (if f > 0.0 { "1e309" } else { "(-1e309)" }).into()
    } else {
        // Rust's shortest round-trip form is a valid Python float literal once it has a `.` or `e`.
        let s = format!("{f:?}");
        if f < 0.0 {
            format!("({s})")
        } else {
            s
        }
    }
}

pub(super) fn str_literal(s: &str) -> String {
    let q = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    format!("{q}{}{q}", str_literal_inner(s, q))
}

pub(super) fn str_literal_inner(s: &str, q: char) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

fn bytes_literal(b: &[u8]) -> String {
    let mut out = String::from("b'");
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\'' => out.push_str("\\'"),
            0x20..=0x7e => out.push(c as char),
            _ => out.push_str(&format!("\\x{c:02x}")),
        }
    }
    out.push('\'');
    out
}
