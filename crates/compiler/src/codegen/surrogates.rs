//! Lone surrogates in string literals (`'\ud800'`). The parser's value has
//! U+FFFD where such an escape stands (a Rust string cannot hold it); this
//! finds the escapes again in the literal's source text so the constant can
//! carry the real code points (`Constant::SurrogateStr`).

use crate::code::Constant;
use ruff_python_ast::StringLiteralValue;
use ruff_text_size::Ranged;
use std::cell::RefCell;

thread_local! {
    /// The source text being compiled (literals are looked up in it).
    static SOURCE: RefCell<Option<std::rc::Rc<str>>> = const { RefCell::new(None) };
}

/// Makes `source` the text literals are read from while `f` compiles it.
pub(crate) fn with_source<T>(source: &str, f: impl FnOnce() -> T) -> T {
    let old = SOURCE.with(|s| s.replace(Some(source.into())));
    let r = f();
    SOURCE.with(|s| *s.borrow_mut() = old);
    r
}

/// The constant of a string literal: `Str`, or `SurrogateStr` when its
/// escapes make lone surrogates.
pub(crate) fn string_constant(value: &StringLiteralValue) -> Constant {
    let text = value.to_str();
    if text.contains('\u{FFFD}') {
        if let Some(surrogates) = find(value, text) {
            return Constant::SurrogateStr { text: text.to_string(), surrogates };
        }
    }
    Constant::Str(text.to_string())
}

/// (byte offset in `text`, code point) of each lone surrogate escape of the
/// literal's parts; None when they are not there or do not line up.
fn find(value: &StringLiteralValue, text: &str) -> Option<Vec<(usize, u16)>> {
    let source = SOURCE.with(|s| s.borrow().clone())?;
    let mut found = Vec::new();
    let mut chars_before = 0;
    for part in value.iter() {
        let src = source.get(part.range().start().to_usize()..part.range().end().to_usize())?;
        chars_before += scan_part(src, chars_before, &mut found)?;
    }
    if found.is_empty() {
        return None;
    }
    // Character positions to byte offsets, each on a U+FFFD of the value.
    let mut out = Vec::with_capacity(found.len());
    let mut want = found.into_iter().peekable();
    for (n, (b, c)) in text.char_indices().enumerate() {
        if want.peek().is_some_and(|&(at, _)| at == n) {
            let (_, cp) = want.next()?;
            if c != '\u{FFFD}' {
                return None;
            }
            out.push((b, cp));
        }
    }
    want.peek().is_none().then_some(out)
}

/// Scans one literal part (prefix, quotes and all): pushes (character
/// index in the whole value, code point) for each surrogate escape and
/// returns the part's length in characters.
fn scan_part(src: &str, base: usize, found: &mut Vec<(usize, u16)>) -> Option<usize> {
    let prefix_len = src.find(['\'', '"'])?;
    let raw = src[..prefix_len].contains(['r', 'R']);
    let body = &src[prefix_len..];
    let quote = if body.starts_with("'''") || body.starts_with("\"\"\"") { 3 } else { 1 };
    let content = body.get(quote..body.len().checked_sub(quote)?)?;
    let chars: Vec<char> = content.chars().collect();
    let mut n = 0;
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '\\' || i + 1 >= chars.len() {
            n += 1;
            i += 1;
            continue;
        }
        if raw {
            // A backslash escapes the quote but stays: two characters.
            n += 2;
            i += 2;
            continue;
        }
        let hex = |from: usize, len: usize| -> Option<u32> {
            let digits: String = chars.get(from..from + len)?.iter().collect();
            u32::from_str_radix(&digits, 16).ok()
        };
        match chars[i + 1] {
            '\n' => i += 2,
            '\r' => i += if chars.get(i + 2) == Some(&'\n') { 3 } else { 2 },
            '\\' | '\'' | '"' | 'a' | 'b' | 'f' | 'n' | 'r' | 't' | 'v' => {
                n += 1;
                i += 2;
            }
            '0'..='7' => {
                let digits = chars[i + 1..].iter().take(3).take_while(|c| ('0'..='7').contains(c)).count();
                n += 1;
                i += 1 + digits;
            }
            'x' => {
                n += 1;
                i += 4;
            }
            c @ ('u' | 'U') => {
                let len = if c == 'u' { 4 } else { 8 };
                let cp = hex(i + 2, len)?;
                if (0xD800..0xE000).contains(&cp) {
                    found.push((base + n, cp as u16));
                }
                n += 1;
                i += 2 + len;
            }
            'N' => {
                let close = chars[i..].iter().position(|&c| c == '}')?;
                n += 1;
                i += close + 1;
            }
            _ => {
                n += 2;
                i += 2;
            }
        }
    }
    Some(n)
}
