//! CPython 3.11's wording of syntax errors.
//!
//! Two sources: a light pre-scan of the token stream (brackets, strings,
//! indentation, nesting depth) that finds what CPython's tokenizer reports, and
//! a mapping of ruff's parse errors to CPython's parser messages.

use crate::error::{CompileError, ErrorKind};
use crate::locate::SourceMap;
use crate::Mode;
use ruff_python_parser::{
    InterpolatedStringErrorType, LexicalErrorType, ParseErrorType, UnsupportedSyntaxError,
    UnsupportedSyntaxErrorKind,
};
use ruff_text_size::{TextRange, TextSize};

/// What the pre-scan learned about the token stream.
#[derive(Default, Debug)]
pub struct Scan {
    /// A tokenizer error (message, where, kind) and the offset at which the tokenizer finds it.
    pub error: Option<(String, TextRange, ErrorKind)>,
    /// The innermost bracket still open at the end of input.
    pub unclosed: Option<(char, TextSize)>,
}

fn range_at(off: usize, len: usize) -> TextRange {
    TextRange::new(TextSize::new(off as u32), TextSize::new((off + len) as u32))
}

/// Scans brackets and strings the way CPython's tokenizer does (without building tokens).
pub fn scan(source: &str, map: &SourceMap) -> Scan {
    let b = source.as_bytes();
    let mut i = 0;
    let mut stack: Vec<(u8, usize)> = Vec::new();
    let mut out = Scan::default();
    while i < b.len() {
        let c = b[i];
        match c {
            b'#' => {
                while i < b.len() && b[i] != b'\n' && b[i] != b'\r' {
                    i += 1;
                }
                continue;
            }
            b'(' | b'[' | b'{' => {
                if stack.len() >= crate::parse::max_paren_depth() {
                    out.error = Some(("too many nested parentheses".into(), range_at(i, 1), ErrorKind::SyntaxError));
                    return out;
                }
                stack.push((c, i));
            }
            b')' | b']' | b'}' => match stack.pop() {
                None => {
                    out.error = Some((format!("unmatched '{}'", c as char), range_at(i, 1), ErrorKind::SyntaxError));
                    return out;
                }
                Some((open, at)) => {
                    let expected = match open {
                        b'(' => b')',
                        b'[' => b']',
                        _ => b'}',
                    };
                    if expected != c {
                        let (open_line, _) = map.line_col(TextSize::new(at as u32));
                        let (close_line, _) = map.line_col(TextSize::new(i as u32));
                        let msg = if open_line != close_line {
                            format!(
                                "closing parenthesis '{}' does not match opening parenthesis '{}' on line {}",
                                c as char, open as char, open_line
                            )
                        } else {
                            format!("closing parenthesis '{}' does not match opening parenthesis '{}'", c as char, open as char)
                        };
                        out.error = Some((msg, range_at(i, 1), ErrorKind::SyntaxError));
                        return out;
                    }
                }
            },
            b'\'' | b'"' => {
                // A string: find its prefix (already consumed as a name) and its end.
                let start = string_start(b, i);
                let prefix = &source[start..i];
                let raw = prefix.bytes().any(|p| p == b'r' || p == b'R');
                let triple = b.len() >= i + 3 && b[i + 1] == c && b[i + 2] == c;
                let mut j = if triple { i + 3 } else { i + 1 };
                let mut closed = false;
                while j < b.len() {
                    let d = b[j];
                    if d == b'\\' && j + 1 < b.len() {
                        j += 2;
                        continue;
                    }
                    let _ = raw;
                    if triple {
                        if d == c && j + 2 < b.len() + 0 && b.get(j + 1) == Some(&c) && b.get(j + 2) == Some(&c) {
                            j += 3;
                            closed = true;
                            break;
                        }
                    } else if d == c {
                        j += 1;
                        closed = true;
                        break;
                    } else if d == b'\n' || d == b'\r' {
                        break;
                    }
                    j += 1;
                }
                if !closed {
                    let detected = map.line_col(TextSize::new(j.min(b.len()) as u32)).0;
                    let msg = if triple {
                        format!("unterminated triple-quoted string literal (detected at line {detected})")
                    } else {
                        format!("unterminated string literal (detected at line {detected})")
                    };
                    out.error = Some((msg, range_at(start, 1), ErrorKind::SyntaxError));
                    return out;
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    if let Some(&(open, at)) = stack.last() {
        out.unclosed = Some((open as char, TextSize::new(at as u32)));
    }
    out
}

/// Where a string literal starts, including its prefix letters.
fn string_start(b: &[u8], quote: usize) -> usize {
    let mut s = quote;
    while s > 0 && quote - s < 3 && matches!(b[s - 1], b'r' | b'R' | b'b' | b'B' | b'u' | b'U' | b'f' | b'F') {
        s -= 1;
    }
    // Only a prefix if it is not the tail of a longer name.
    if s < quote && s > 0 && (b[s - 1].is_ascii_alphanumeric() || b[s - 1] == b'_' || b[s - 1] >= 0x80) {
        return quote;
    }
    s
}

/// Errors that must be found before ruff runs (ruff must never see absurd nesting).
pub fn prescan(source: &str, map: &SourceMap) -> Result<(), CompileError> {
    let s = scan(source, map);
    if let Some((msg, range, kind)) = &s.error {
        if msg == "too many nested parentheses" {
            return Err(map.parser_error(*kind, msg.clone(), *range));
        }
    }
    Ok(())
}

pub fn map_unsupported(err: &UnsupportedSyntaxError, _source: &str, map: &SourceMap) -> CompileError {
    let msg = match &err.kind {
        UnsupportedSyntaxErrorKind::Pep701FString(_) => "f-string: expecting '}'".to_string(),
        _ => "invalid syntax".to_string(),
    };
    map.parser_error(ErrorKind::SyntaxError, msg, err.range)
}

pub fn map_parse_error(
    err: &ParseErrorType,
    location: TextRange,
    source: &str,
    map: &SourceMap,
    _mode: Mode,
) -> CompileError {
    let scan = scan(source, map);
    if let Some((msg, range, kind)) = scan.error {
        if range.start() <= location.start() || matches!(err, ParseErrorType::Lexical(_)) {
            return map.parser_error(kind, msg, range);
        }
    }
    let at_eof = location.start() >= TextSize::new(source.trim_end().len() as u32);
    if at_eof {
        if let Some((open, at)) = scan.unclosed {
            return map.parser_error(ErrorKind::SyntaxError, format!("'{open}' was never closed"), TextRange::new(at, at + TextSize::new(1)));
        }
    }
    let (kind, msg) = match err {
        ParseErrorType::Lexical(LexicalErrorType::IndentationError) => {
            (ErrorKind::IndentationError, "unindent does not match any outer indentation level".to_string())
        }
        ParseErrorType::UnexpectedIndentation => (ErrorKind::IndentationError, "unexpected indent".to_string()),
        ParseErrorType::Lexical(LexicalErrorType::UnrecognizedToken { tok }) => {
            let c = *tok;
            let msg = if is_printable(c) {
                format!("invalid character '{c}' (U+{:04X})", c as u32)
            } else {
                format!("invalid non-printable character U+{:04X}", c as u32)
            };
            (ErrorKind::SyntaxError, msg)
        }
        ParseErrorType::Lexical(LexicalErrorType::FStringError(e)) | ParseErrorType::FStringError(e) => {
            (ErrorKind::SyntaxError, fstring_message(e))
        }
        _ => (ErrorKind::SyntaxError, "invalid syntax".to_string()),
    };
    map.parser_error(kind, msg, location)
}

fn fstring_message(e: &InterpolatedStringErrorType) -> String {
    match e {
        InterpolatedStringErrorType::UnclosedLbrace => "f-string: expecting '}'".into(),
        InterpolatedStringErrorType::SingleRbrace => "f-string: single '}' is not allowed".into(),
        InterpolatedStringErrorType::InvalidConversionFlag => "f-string: invalid conversion character: expected 's', 'r', or 'a'".into(),
        InterpolatedStringErrorType::UnterminatedString => "f-string: unterminated string".into(),
        InterpolatedStringErrorType::UnterminatedTripleQuotedString => "f-string: unterminated string".into(),
        InterpolatedStringErrorType::LambdaWithoutParentheses => "f-string: lambda expressions are not allowed without parentheses".into(),
        _ => "f-string: invalid syntax".into(),
    }
}

/// Roughly Python's str.isprintable for one character.
fn is_printable(c: char) -> bool {
    !(c.is_control() || matches!(c as u32, 0x2028 | 0x2029 | 0xA0 | 0x1680 | 0x2000..=0x200F | 0x202F | 0x205F | 0x3000 | 0xFEFF))
}
