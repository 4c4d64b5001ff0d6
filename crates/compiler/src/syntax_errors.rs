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
            b'\\' if matches!(&b[i + 1..], b"" | b"\n" | b"\r\n") => {
                // A line continuation into the end of the source: CPython's
                // tokenizer reports an open bracket, or the end.
                out.error = Some(match stack.last() {
                    Some(&(open, at)) => (format!("'{}' was never closed", open as char), range_at(at, 1), ErrorKind::SyntaxError),
                    None => ("unexpected EOF while parsing".into(), range_at(i + 1, 0), ErrorKind::SyntaxError),
                });
                return out;
            }
            b'\\' if !matches!(b.get(i + 1), None | Some(b'\n' | b'\r')) => {
                out.error = Some((
                    "unexpected character after line continuation character".into(),
                    range_at(i + 1, 0),
                    ErrorKind::SyntaxError,
                ));
                return out;
            }
            0x01..=0x08 | 0x0b | 0x0e..=0x1f | 0x7f => {
                out.error = Some((format!("invalid non-printable character U+{c:04X}"), range_at(i, 0), ErrorKind::SyntaxError));
                return out;
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
                    // CPython counts a final newline as part of the last line.
                    let mut eof = j.min(b.len());
                    if eof == b.len() && eof > 0 && b[eof - 1] == b'\n' {
                        eof -= 1;
                    }
                    let detected = map.line_col(TextSize::new(eof as u32)).0;
                    let msg = if triple {
                        format!("unterminated triple-quoted string literal (detected at line {detected})")
                    } else {
                        format!("unterminated string literal (detected at line {detected})")
                    };
                    out.error = Some((msg, range_at(start, 0), ErrorKind::SyntaxError));
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

/// The error for what `scan` found.
fn scan_error(map: &SourceMap, kind: ErrorKind, msg: String, range: TextRange) -> CompileError {
    let mut e = map.parser_error(kind, msg, range);
    if e.msg.ends_with("was never closed") || e.msg.starts_with("unexpected character after line continuation") {
        e.end_offset = 0;
    }
    e
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
    let ctx = Ctx { source: _source, map, location: err.range };
    match &err.kind {
        UnsupportedSyntaxErrorKind::Pep701FString(kind) => {
            // The kind enum is not exported by ruff; its Debug name identifies it.
            let msg = match format!("{kind:?}").as_str() {
                "Backslash" => "f-string expression part cannot include a backslash".to_string(),
                "Comment" => "f-string expression part cannot include '#'".to_string(),
                "NestedQuote" => {
                    // 3.11's tokenizer ends the string at the nested quote.
                    let inner = ctx.before();
                    let after_brace = inner.rfind('{').map(|p| &inner[p..]).unwrap_or("");
                    match after_brace.chars().rev().find(|c| matches!(c, '[' | '(' | '{' | ']' | ')' | '}')) {
                        Some(c @ ('[' | '(')) => format!("f-string: unmatched '{c}'"),
                        _ => "f-string: expecting '}'".to_string(),
                    }
                }
                _ => "f-string: expecting '}'".to_string(),
            };
            ctx.fstring_error(msg)
        }
        UnsupportedSyntaxErrorKind::TypeAliasStatement => {
            // CPython points at the name after the soft keyword `type`.
            let text = ctx.text(TextRange::new(err.range.start(), TextSize::new(_source.len() as u32)));
            let after = text.strip_prefix("type").unwrap_or(text);
            let skipped = text.len() - after.trim_start().len();
            let at = err.range.start() + TextSize::new(skipped as u32);
            map.parser_error(ErrorKind::SyntaxError, "invalid syntax", TextRange::new(at, at + TextSize::new(1)))
        }
        UnsupportedSyntaxErrorKind::TypeParameterList => {
            let before = ctx.before().trim_end();
            let msg = if before.ends_with(|c: char| c.is_alphanumeric() || c == '_') && before.split_whitespace().rev().nth(1) == Some("class") {
                "invalid syntax"
            } else {
                "expected '('"
            };
            map.parser_error(ErrorKind::SyntaxError, msg, err.range)
        }
        _ => map.parser_error(ErrorKind::SyntaxError, "invalid syntax", err.range),
    }
}

pub fn map_parse_error(
    err: &ParseErrorType,
    location: TextRange,
    source: &str,
    map: &SourceMap,
    mode: Mode,
) -> CompileError {
    let num = crate::number_literals::first_number_error(source);
    let Scan { error: scanned, unclosed } = scan(source, map);
    // The tokenizer reached the bad literal before the parser gave up (and
    // before any string or bracket error it would have met first).
    if let Some(n) = &num {
        let start = TextSize::new(n.start as u32);
        if start <= location.end() && !scanned.as_ref().is_some_and(|o| o.1.start() < start) {
            return number_error(map, n);
        }
    }
    let mut e = map_parser_error(err, location, source, map, mode);
    if e.msg == "invalid syntax" {
        if let Some(better) = (Ctx { source, map, location }).assignment_in_brackets() {
            e = better;
        }
    }
    // CPython then tokenizes the rest: a bracket left open at the end, on a
    // line before the error, is the error instead.
    if let (true, None, Some((open, at))) = (e.msg == "invalid syntax", &scanned, unclosed) {
        if e.lineno > map.line_col(at).0 {
            return never_closed(map, open, at);
        }
    }
    if from_tokenizer(&e) {
        return e;
    }
    // After an error found by the parser, CPython tokenizes the rest of the
    // source: the first tokenizer error anywhere replaces it.
    match (num, scanned) {
        (Some(n), Some(o)) if o.1.start() < TextSize::new(n.start as u32) => scan_error(map, o.2, o.0, o.1),
        (Some(n), _) => number_error(map, &n),
        (None, Some(o)) => scan_error(map, o.2, o.0, o.1),
        (None, None) => e,
    }
}

fn map_parser_error(
    err: &ParseErrorType,
    location: TextRange,
    source: &str,
    map: &SourceMap,
    mode: Mode,
) -> CompileError {
    let scan = scan(source, map);
    if let Some((msg, range, kind)) = scan.error {
        if range.start() <= location.start() || matches!(err, ParseErrorType::Lexical(_)) {
            return scan_error(map, kind, msg, range);
        }
    }
    if let Some(e) = indentation_error(source, map) {
        if e.lineno <= map.line_col(location.start()).0 {
            return e;
        }
    }
    let at_eof = location.start() >= TextSize::new(source.trim_end().len() as u32);
    if at_eof {
        if let Some((open, at)) = scan.unclosed {
            return never_closed(map, open, at);
        }
    }
    let ctx = Ctx { source, map, location };
    let syntax = |msg: String, range: TextRange| map.parser_error(ErrorKind::SyntaxError, msg, range);
    let at_loc = |msg: &str| syntax(msg.to_string(), location);
    if ctx.in_fstring() {
        let msg = match err {
            ParseErrorType::Lexical(LexicalErrorType::FStringError(e)) | ParseErrorType::FStringError(e) => fstring_message(e),
            _ => "f-string: expecting '}'".to_string(),
        };
        return ctx.fstring_error(msg);
    }
    match err {
        ParseErrorType::Lexical(LexicalErrorType::IndentationError) => {
            let (line, _) = map.line_col(location.start());
            ctx.end_of_line_error(ErrorKind::IndentationError, "unindent does not match any outer indentation level", line)
        }
        ParseErrorType::UnexpectedIndentation => {
            let (line, col) = map.line_col(location.end());
            let mut e = map.parser_error(ErrorKind::IndentationError, "unexpected indent", location);
            e.lineno = line;
            e.offset = col;
            e
        }
        ParseErrorType::OtherError(m) if m.starts_with("Expected an indented block after ") => {
            let what = &m["Expected an indented block after ".len()..];
            let (keyword, cpython) = match what {
                "`if` statement" => ("if", "'if' statement"),
                "`else` clause" => ("else", "'else' statement"),
                "`elif` clause" => ("elif", "'elif' statement"),
                "`for` statement" => ("for", "'for' statement"),
                "`with` statement" => ("with", "'with' statement"),
                "`class` definition" => ("class", "class definition"),
                "`while` statement" => ("while", "'while' statement"),
                "function definition" => ("def", "function definition"),
                "`case` block" => ("case", "'case' statement"),
                "`try` statement" => ("try", "'try' statement"),
                "`except` clause" => ("except", "'except' statement"),
                "`finally` clause" => ("finally", "'finally' statement"),
                "`match` statement" => ("match", "'match' statement"),
                _ => ("", "statement"),
            };
            let line = ctx.header_line(keyword);
            let cpython = if keyword == "except" && ctx.header_text(line).trim_start().starts_with("except*") {
                "'except*' statement"
            } else {
                cpython
            };
            map.parser_error(ErrorKind::IndentationError, format!("expected an indented block after {cpython} on line {line}"), location)
        }
        ParseErrorType::Lexical(LexicalErrorType::UnrecognizedToken { tok }) => {
            let c = *tok;
            let msg = if c.is_ascii() {
                "invalid syntax".to_string()
            } else if is_printable(c) {
                format!("invalid character '{c}' (U+{:04X})", c as u32)
            } else {
                format!("invalid non-printable character U+{:04X}", c as u32)
            };
            at_loc(&msg)
        }
        ParseErrorType::Lexical(LexicalErrorType::OtherError(m)) if m.contains("decimal integer literal") => {
            // CPython marks the zeros and the first other digit.
            let digits = ctx.text(location);
            let zeros = digits.bytes().take_while(|&c| c == b'0' || c == b'_').count();
            let end = zeros.min(digits.len());
            let r = TextRange::new(location.start(), location.start() + TextSize::new(end as u32));
            syntax("leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers".into(), r)
        }
        ParseErrorType::Lexical(LexicalErrorType::Eof) => at_loc("unexpected EOF while parsing"),
        ParseErrorType::ExpectedToken { expected, found } => {
            use ruff_python_ast::token::TokenKind as T;
            match (expected, found) {
                (T::Colon, T::Equal) => {
                    let start = ctx.after_keyword();
                    syntax("invalid syntax. Maybe you meant '==' or ':=' instead of '='?".into(), TextRange::new(start, location.end()))
                }
                (T::Colon, T::Lpar) if ctx.before().trim_end().ends_with("lambda") => {
                    at_loc("Lambda expression parameters cannot be parenthesized")
                }
                (T::Colon, _) => at_loc("expected ':'"),
                (T::Lpar, _) => at_loc("expected '('"),
                (T::Else, _) => {
                    let start = ctx.ternary_start();
                    syntax("expected 'else' after 'if' expression".into(), TextRange::new(start, location.end()))
                }
                (T::Comma, T::For) | (T::Comma, T::Async) => {
                    let start = ctx.first_element_start();
                    syntax("did you forget parentheses around the comprehension target?".into(), TextRange::new(start, location.start()))
                }
                (T::Comma, f) if is_augassign(*f) => {
                    let start = ctx.statement_start();
                    syntax("'tuple' is an illegal expression for augmented assignment".into(), TextRange::new(start, location.start()))
                }
                (T::Comma, f) if starts_expression(*f) && ctx.bracket_depth() > 0 => {
                    // CPython's tokenizer looks at the token after the second
                    // element first: past the line of a bracket left open at
                    // the end, that bracket is the error.
                    if let Some((open, at)) = scan.unclosed {
                        let next_line = ctx.line_after_primary();
                        if next_line.map_or(true, |l| l > map.line_col(at).0) {
                            return never_closed(map, open, at);
                        }
                    }
                    let start = ctx.element_start();
                    syntax("invalid syntax. Perhaps you forgot a comma?".into(), TextRange::new(start, location.end()))
                }
                _ => at_loc("invalid syntax"),
            }
        }
        ParseErrorType::SimpleStatementsOnSameLine => {
            let line_start = ctx.statement_start();
            let first = ctx.text(TextRange::new(line_start, location.start())).trim();
            if first == "print" || first == "exec" {
                return syntax(
                    format!("Missing parentheses in call to '{first}'. Did you mean {first}(...)?"),
                    TextRange::new(line_start, location.end()),
                );
            }
            at_loc("invalid syntax")
        }
        ParseErrorType::InvalidAssignmentTarget => {
            let what = ctx.description(location);
            let msg = match what {
                "None" | "True" | "False" | "__debug__" => format!("cannot assign to {what}"),
                "yield expression" if ctx.enclosing_parens() == 0 => "assignment to yield expression not possible".to_string(),
                _ if ctx.followed_by_single_equal() && !matches!(what, "tuple" | "list" | "starred" | "name" | "attribute" | "subscript") => {
                    format!("cannot assign to {what} here. Maybe you meant '==' instead of '='?")
                }
                _ => format!("cannot assign to {what}"),
            };
            at_loc(&msg)
        }
        ParseErrorType::InvalidDeleteTarget => at_loc(&format!("cannot delete {}", ctx.description(location))),
        ParseErrorType::InvalidAugmentedAssignmentTarget => {
            at_loc(&format!("'{}' is an illegal expression for augmented assignment", ctx.description(location)))
        }
        ParseErrorType::InvalidNamedAssignmentTarget => {
            at_loc(&format!("cannot use assignment expressions with {}", ctx.description(location)))
        }
        ParseErrorType::PositionalAfterKeywordArgument => {
            syntax("positional argument follows keyword argument".into(), ctx.call_end())
        }
        ParseErrorType::PositionalAfterKeywordUnpacking => {
            syntax("positional argument follows keyword argument unpacking".into(), ctx.call_end())
        }
        ParseErrorType::InvalidArgumentUnpackingOrder => at_loc("iterable argument unpacking follows keyword argument unpacking"),
        ParseErrorType::UnparenthesizedGeneratorExpression => at_loc("Generator expression must be parenthesized"),
        ParseErrorType::NonDefaultParamAfterDefaultParam => at_loc("non-default argument follows default argument"),
        ParseErrorType::ExpectedKeywordParam => at_loc("named arguments must follow bare *"),
        ParseErrorType::ParamAfterVarKeywordParam => at_loc("arguments cannot follow var-keyword argument"),
        ParseErrorType::VarParameterWithDefault => {
            let msg = if ctx.text(location).starts_with("**") || ctx.before().trim_end().ends_with("**") {
                "var-keyword argument cannot have default value"
            } else {
                "var-positional argument cannot have default value"
            };
            at_loc(msg)
        }
        ParseErrorType::OtherError(m) => {
            let lower = m.to_string();
            if lower.starts_with("Cannot have both 'except' and 'except*'") {
                // CPython marks the clause's `except` or `except*` keyword.
                let rest = &source[usize::from(location.start())..];
                let after_kw = rest.strip_prefix("except").unwrap_or(rest);
                let star = after_kw.trim_start_matches([' ', '\t', '\x0c']);
                let len = rest.len() - if star.starts_with('*') { star.len() - 1 } else { after_kw.len() };
                let end = location.start() + TextSize::new(len as u32);
                syntax("cannot have both 'except' and 'except*' on the same 'try'".into(), TextRange::new(location.start(), end))
            } else if lower.starts_with("Only single target") {
                let mut chars = lower.chars();
                let first = chars.next().map(|c| c.to_ascii_lowercase()).unwrap_or('o');
                at_loc(&(first.to_string() + chars.as_str()))
            } else if lower.starts_with("Expected one or more exception types") {
                at_loc("expected one or more exception types")
            } else {
                at_loc("invalid syntax")
            }
        }
        ParseErrorType::ExpectedExpression if mode == Mode::Eval && at_eof => {
            let mut e = at_loc("invalid syntax");
            e.offset = 0;
            e
        }
        _ => at_loc("invalid syntax"),
    }
}

/// "'(' was never closed", at the bracket; CPython gives no end column.
fn never_closed(map: &SourceMap, open: char, at: TextSize) -> CompileError {
    scan_error(map, ErrorKind::SyntaxError, format!("'{open}' was never closed"), TextRange::new(at, at + TextSize::new(1)))
}

/// Is `e` one of the errors CPython's tokenizer (not its parser) reports?
fn from_tokenizer(e: &CompileError) -> bool {
    const PREFIXES: [&str; 12] = [
        "unterminated ",
        "unmatched '",
        "closing parenthesis",
        "invalid character",
        "invalid non-printable character",
        "leading zeros",
        "unexpected EOF",
        "too many nested",
        "unindent does not match",
        "unexpected character after line continuation",
        "(unicode error)",
        "f-string",
    ];
    matches!(e.kind, ErrorKind::TabError)
        || e.msg.ends_with("was never closed")
        || PREFIXES.iter().any(|p| e.msg.starts_with(p))
}

/// The SyntaxError for a malformed number literal.
fn number_error(map: &SourceMap, num: &crate::number_literals::NumberError) -> CompileError {
    let mut err = map.parser_error(ErrorKind::SyntaxError, num.msg.clone(), TextRange::empty(TextSize::new(num.at as u32)));
    // CPython's offset here is the tokenizer's 0-based column.
    err.offset = err.offset.saturating_sub(1);
    err.end_offset = err.offset;
    err
}

fn is_augassign(t: ruff_python_ast::token::TokenKind) -> bool {
    use ruff_python_ast::token::TokenKind as T;
    matches!(
        t,
        T::PlusEqual | T::MinusEqual | T::StarEqual | T::SlashEqual | T::DoubleSlashEqual | T::PercentEqual
            | T::AmperEqual | T::VbarEqual | T::CircumflexEqual | T::LeftShiftEqual | T::RightShiftEqual
            | T::DoubleStarEqual | T::AtEqual
    )
}

fn starts_expression(t: ruff_python_ast::token::TokenKind) -> bool {
    use ruff_python_ast::token::TokenKind as T;
    matches!(
        t,
        T::Name | T::Int | T::Float | T::Complex | T::String | T::FStringStart | T::Lpar | T::Lsqb | T::Lbrace
            | T::True | T::False | T::None | T::Ellipsis | T::Lambda | T::Not | T::Await | T::Tilde
    )
}

/// Source context around an error location, for CPython's heuristics.
struct Ctx<'s> {
    source: &'s str,
    map: &'s SourceMap<'s>,
    location: TextRange,
}

/// Whether the rest of the statement `rest` holds another `=` or `:=` at
/// bracket depth 0 (a chained assignment: CPython then drops its "Maybe you
/// meant '=='" hint).
fn assigns_again(rest: &str) -> bool {
    let b = rest.as_bytes();
    let (mut depth, mut quote, mut i) = (0usize, None::<u8>, 0);
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(_) if c == b'\\' => i += 1,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                b'\'' | b'"' => quote = Some(c),
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                b'\n' | b';' | b'#' if depth == 0 => return false,
                b'=' if depth == 0 => {
                    let prev = if i > 0 { b[i - 1] } else { b' ' };
                    let next = b.get(i + 1).copied().unwrap_or(b' ');
                    if next != b'=' && !b"=<>!".contains(&prev) {
                        return true;
                    }
                    i += 1;
                }
                _ => {}
            },
        }
        i += 1;
    }
    false
}

impl<'s> Ctx<'s> {
    fn text(&self, r: TextRange) -> &'s str {
        self.source.get(usize::from(r.start())..usize::from(r.end())).unwrap_or("")
    }
    fn before(&self) -> &'s str {
        &self.source[..usize::from(self.location.start()).min(self.source.len())]
    }
    /// The description (`literal`, `function call`, ...) of the expression at `r`.
    fn description(&self, r: TextRange) -> &'static str {
        let text = self.text(r).trim();
        if text.starts_with('*') && !text.starts_with("**") {
            return "starred";
        }
        match ruff_python_parser::parse_expression(text) {
            Ok(p) => crate::codegen::describe_expr(p.expr()),
            Err(_) => {
                if text.starts_with("yield") {
                    "yield expression"
                } else {
                    "expression"
                }
            }
        }
    }
    /// Whether `=` (not `==`) follows the error's expression, after the
    /// parentheses that enclose it.
    fn followed_by_single_equal(&self) -> bool {
        let mut rest = self.source[usize::from(self.location.end())..].trim_start();
        for _ in 0..self.enclosing_parens() {
            match rest.strip_prefix(')') {
                Some(r) => rest = r.trim_start(),
                None => return false,
            }
        }
        match rest.strip_prefix('=') {
            Some(value) if !value.starts_with('=') => !assigns_again(value),
            _ => false,
        }
    }
    /// The line of the first token after the primary expression starting at
    /// the error's token (calls, subscripts and attributes included); None
    /// at the end of the source.
    fn line_after_primary(&self) -> Option<u32> {
        let b = self.source.as_bytes();
        let name_byte = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
        let mut i = usize::from(self.location.end());
        let (mut depth, mut after_dot) = (0usize, false);
        loop {
            match b.get(i) {
                None => return None,
                Some(b' ' | b'\t' | b'\x0c' | b'\n' | b'\r' | b'\\') => i += 1,
                Some(b'#') => i = self.source[i..].find('\n').map_or(b.len(), |n| i + n),
                Some(b'(' | b'[') => {
                    depth += 1;
                    i += 1;
                }
                Some(b')' | b']') if depth > 0 => {
                    depth -= 1;
                    i += 1;
                }
                Some(_) if depth > 0 => i += 1,
                Some(b'.') => {
                    after_dot = true;
                    i += 1;
                }
                Some(&c) if after_dot && name_byte(c) => {
                    after_dot = false;
                    while i < b.len() && name_byte(b[i]) {
                        i += 1;
                    }
                }
                Some(_) => return Some(self.map.line_col(TextSize::new(i as u32)).0),
            }
        }
    }
    /// How many `(` directly precede the error's expression.
    fn enclosing_parens(&self) -> usize {
        let mut n = 0;
        let mut b = self.before().trim_end();
        while let Some(r) = b.strip_suffix('(') {
            n += 1;
            b = r.trim_end();
        }
        n
    }
    /// Start of the logical line holding the error.
    fn statement_start(&self) -> TextSize {
        let b = self.before();
        let start = b.rfind(['\n', ';']).map(|p| p + 1).unwrap_or(0);
        let skipped = b[start..].len() - b[start..].trim_start().len();
        TextSize::new((start + skipped) as u32)
    }
    /// After `if`/`while`/`elif` and spaces at the start of the statement.
    fn after_keyword(&self) -> TextSize {
        let st = usize::from(self.statement_start());
        let rest = &self.source[st..];
        for kw in ["elif", "if", "while"] {
            if let Some(r) = rest.strip_prefix(kw) {
                let skipped = r.len() - r.trim_start().len();
                return TextSize::new((st + kw.len() + skipped) as u32);
            }
        }
        TextSize::new(st as u32)
    }
    fn bracket_depth(&self) -> usize {
        let mut depth: i64 = 0;
        let st = usize::from(self.statement_start());
        for c in self.source[st..usize::from(self.location.start())].chars() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                _ => {}
            }
        }
        let line_depth = depth.max(0) as usize;
        if line_depth > 0 {
            return line_depth;
        }
        // Multi-line brackets: count from the start of the input.
        let mut depth: i64 = 0;
        for c in self.before().chars() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                _ => {}
            }
        }
        depth.max(0) as usize
    }
    /// Start of the element before the error inside the innermost bracket (after its `(` or last `,`).
    /// `[x.y = 1]`, `{'a'=1}`, `(a, b = 3)`: a single `=` after an element of
    /// a parenthesized expression or display (not a call, subscript or dict),
    /// reported as CPython's `invalid_named_expression` rule does.
    fn assignment_in_brackets(&self) -> Option<CompileError> {
        let rest = &self.source[usize::from(self.location.start())..];
        if !rest.starts_with('=') || rest[1..].starts_with('=') || self.bracket_depth() == 0 {
            return None;
        }
        let start = self.element_start();
        let b = self.source.as_bytes();
        // The innermost open bracket, and whether it holds a `key:` (a dict).
        let mut k = usize::from(start);
        let mut depth = 0i64;
        let mut colon = false;
        let open = loop {
            k = k.checked_sub(1)?;
            match b[k] {
                b')' | b']' | b'}' => depth += 1,
                b'(' | b'[' | b'{' if depth > 0 => depth -= 1,
                b'(' | b'[' | b'{' => break b[k],
                b':' if depth == 0 => colon = true,
                _ => {}
            }
        };
        let head = self.source[..k].trim_end();
        let word: String = head.chars().rev().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<Vec<_>>().into_iter().rev().collect();
        const KEYWORDS: [&str; 16] =
            ["if", "elif", "while", "return", "in", "and", "or", "not", "is", "assert", "yield", "else", "del", "for", "await", "from"];
        let call = open == b'('
            && !KEYWORDS.contains(&word.as_str())
            && head.bytes().last().is_some_and(|c| c.is_ascii_alphanumeric() || c >= 0x80 || matches!(c, b'_' | b')' | b']' | b'"' | b'\''));
        if colon {
            return None;
        }
        let target = TextRange::new(start, self.location.start());
        let target_text = self.text(target).trim_end();
        if target_text.is_empty() || ruff_python_parser::parse_expression(target_text).is_err() {
            return None;
        }
        let target = TextRange::at(start, TextSize::new(target_text.len() as u32));
        // The value after `=` runs to the element's end.
        let value_start = usize::from(self.location.start()) + 1;
        let mut j = value_start;
        let mut depth = 0i64;
        while j < b.len() {
            match b[j] {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' if depth == 0 => break,
                b')' | b']' | b'}' => depth -= 1,
                b',' | b':' | b'\n' if depth == 0 => break,
                _ => {}
            }
            j += 1;
        }
        let value_end = TextSize::new((value_start + self.source[value_start..j].trim_end().len()) as u32);
        let syntax = |msg: &str, r: TextRange| self.map.parser_error(ErrorKind::SyntaxError, msg, r);
        if call {
            return Some(syntax("expression cannot contain assignment, perhaps you meant \"==\"?", TextRange::new(start, value_end)));
        }
        let what = self.description(target);
        if matches!(what, "True" | "False" | "None" | "list" | "tuple" | "generator expression" | "starred") {
            return None;
        }
        if what == "name" {
            return Some(syntax("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", TextRange::new(start, value_end)));
        }
        Some(syntax(&format!("cannot assign to {what} here. Maybe you meant '==' instead of '='?"), target))
    }
    fn element_start(&self) -> TextSize {
        let b = self.before().as_bytes();
        let mut depth = 0i64;
        let mut i = b.len();
        while i > 0 {
            let c = b[i - 1];
            match c {
                b')' | b']' | b'}' => depth += 1,
                b'(' | b'[' | b'{' => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                b',' if depth == 0 => break,
                _ => {}
            }
            i -= 1;
        }
        while i < b.len() && (b[i] == b' ' || b[i] == b'\t' || b[i] == b'\n') {
            i += 1;
        }
        TextSize::new(i as u32)
    }
    /// Start of the first element inside the innermost open bracket.
    fn first_element_start(&self) -> TextSize {
        let b = self.before().as_bytes();
        let mut depth = 0i64;
        let mut i = b.len();
        while i > 0 {
            match b[i - 1] {
                b')' | b']' | b'}' => depth += 1,
                b'(' | b'[' | b'{' => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                _ => {}
            }
            i -= 1;
        }
        while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
            i += 1;
        }
        TextSize::new(i as u32)
    }
    /// Start of the body of the last conditional expression before the error.
    fn ternary_start(&self) -> TextSize {
        let b = self.before();
        let Some(pos) = b.rfind(" if ") else { return self.location.start() };
        let head = &b[..pos];
        let trimmed = head.trim_end();
        let bytes = trimmed.as_bytes();
        let mut i = bytes.len();
        let mut depth = 0i64;
        while i > 0 {
            let c = bytes[i - 1];
            match c {
                b')' | b']' | b'}' => depth += 1,
                b'(' | b'[' | b'{' => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                b' ' | b'=' | b',' | b'\n' if depth == 0 => break,
                _ => {}
            }
            i -= 1;
        }
        TextSize::new(i as u32)
    }
    /// The closing parenthesis of the call around the error.
    fn call_end(&self) -> TextRange {
        let b = self.source.as_bytes();
        let mut i = usize::from(self.location.start());
        let mut depth = 0i64;
        while i < b.len() {
            match b[i] {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    if depth == 0 {
                        return TextRange::new(TextSize::new(i as u32), TextSize::new(i as u32 + 1));
                    }
                    depth -= 1;
                }
                _ => {}
            }
            i += 1;
        }
        self.location
    }
    /// The line of the compound statement header (`if`, `def`, ...) that lacks a body.
    fn header_line(&self, keyword: &str) -> u32 {
        let (mut line, _) = self.map.line_col(self.location.start());
        while line > 1 {
            line -= 1;
            let t = self.map.line_text(line).trim_start();
            let t = t.strip_prefix("async ").unwrap_or(t).trim_start();
            let first_word: String = t.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if keyword.is_empty() || first_word == keyword || (keyword == "def" && t.starts_with('@')) {
                if keyword == "def" && t.starts_with('@') {
                    continue;
                }
                return line;
            }
        }
        line.max(1)
    }
    fn header_text(&self, line: u32) -> &'s str {
        self.map.line_text(line)
    }
    /// Whether the error lies inside an f-string (between its quotes) on its line.
    fn in_fstring(&self) -> bool {
        let st = usize::from(self.statement_start());
        let seg = &self.source[st..usize::from(self.location.start()).max(st)];
        let b = seg.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c == b'\'' || c == b'"' {
                let is_f = i > 0 && matches!(b[i - 1], b'f' | b'F') || i > 1 && matches!(b[i - 1], b'r' | b'R') && matches!(b[i - 2], b'f' | b'F');
                let triple = b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&c);
                let mut j = i + if triple { 3 } else { 1 };
                let mut closed = false;
                while j < b.len() {
                    if b[j] == b'\\' {
                        j += 2;
                        continue;
                    }
                    if b[j] == c && (!triple || (b.get(j + 1) == Some(&c) && b.get(j + 2) == Some(&c))) {
                        closed = true;
                        j += if triple { 3 } else { 1 };
                        break;
                    }
                    j += 1;
                }
                if !closed {
                    return is_f;
                }
                i = j;
                continue;
            }
            i += 1;
        }
        false
    }
    /// CPython 3.11 reports f-string errors at the end of the line holding the f-string.
    fn fstring_error(&self, msg: String) -> CompileError {
        let (line, _) = self.map.line_col(self.location.start());
        self.end_of_line_error(ErrorKind::SyntaxError, &msg, line)
    }
    fn end_of_line_error(&self, kind: ErrorKind, msg: &str, line: u32) -> CompileError {
        let text = self.map.line_text(line).trim_end_matches(['\n', '\r']);
        let mut e = self.map.parser_error(kind, msg, self.location);
        e.lineno = line;
        e.offset = text.chars().count() as u32 + 1;
        e.end_lineno = line;
        e.end_offset = e.offset;
        e.text = Some(format!("{text}\n"));
        e
    }
}

/// CPython's tokenizer indentation check: TabError for inconsistent tabs and
/// spaces, IndentationError for a dedent to no outer level.
fn indentation_error(source: &str, map: &SourceMap) -> Option<CompileError> {
    let mut stack: Vec<(u32, u32)> = vec![(0, 0)];
    let mut depth = 0i64;
    let mut in_string: Option<(u8, bool)> = None;
    let mut continuation = false;
    for (idx, line) in source.split_inclusive('\n').enumerate() {
        let lineno = idx as u32 + 1;
        let bytes = line.as_bytes();
        let at_logical_start = depth == 0 && in_string.is_none() && !continuation;
        if at_logical_start {
            let (mut col, mut alt) = (0u32, 0u32);
            let mut k = 0;
            while k < bytes.len() {
                match bytes[k] {
                    b' ' => {
                        col += 1;
                        alt += 1;
                    }
                    b'\t' => {
                        col = (col / 8 + 1) * 8;
                        alt += 1;
                    }
                    0x0c => {
                        col = 0;
                        alt = 0;
                    }
                    _ => break,
                }
                k += 1;
            }
            let rest = &line[k..];
            let blank = rest.trim().is_empty() || rest.trim_start().starts_with('#');
            if !blank {
                let &(top, top_alt) = stack.last()?;
                let tab_error = || {
                    let mut e = map.parser_error(ErrorKind::TabError, "inconsistent use of tabs and spaces in indentation", TextRange::default());
                    e.lineno = lineno;
                    e.end_lineno = lineno;
                    e.offset = 1;
                    e.end_offset = e.offset;
                    e.text = Some(format!("{}\n", line.trim_end_matches(['\n', '\r'])));
                    e
                };
                if col == top {
                    if alt != top_alt {
                        return Some(tab_error());
                    }
                } else if col > top {
                    if alt <= top_alt {
                        return Some(tab_error());
                    }
                    stack.push((col, alt));
                } else {
                    while stack.len() > 1 && col < stack.last()?.0 {
                        stack.pop();
                    }
                    let &(top, top_alt) = stack.last()?;
                    if col != top {
                        let mut e = map.parser_error(ErrorKind::IndentationError, "unindent does not match any outer indentation level", TextRange::default());
                        let text = line.trim_end_matches(['\n', '\r']);
                        e.lineno = lineno;
                        e.end_lineno = lineno;
                        e.offset = text.chars().count() as u32 + 1;
                        e.end_offset = e.offset;
                        e.text = Some(format!("{text}\n"));
                        return Some(e);
                    }
                    if alt != top_alt {
                        return Some(tab_error());
                    }
                }
            }
        }
        // Track brackets and strings to find where logical lines start.
        let mut k = 0;
        continuation = false;
        while k < bytes.len() {
            let c = bytes[k];
            if let Some((q, triple)) = in_string {
                if c == b'\\' {
                    k += 2;
                    continue;
                }
                if c == q && (!triple || (bytes.get(k + 1) == Some(&q) && bytes.get(k + 2) == Some(&q))) {
                    in_string = None;
                    k += if triple { 3 } else { 1 };
                    continue;
                }
                if !triple && c == b'\n' {
                    in_string = None;
                }
                k += 1;
                continue;
            }
            match c {
                b'#' => break,
                b'\'' | b'"' => {
                    let triple = bytes.get(k + 1) == Some(&c) && bytes.get(k + 2) == Some(&c);
                    in_string = Some((c, triple));
                    k += if triple { 3 } else { 1 };
                    continue;
                }
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth = (depth - 1).max(0),
                b'\\' if bytes.get(k + 1) == Some(&b'\n') || (bytes.get(k + 1) == Some(&b'\r')) => continuation = true,
                _ => {}
            }
            k += 1;
        }
        if let Some((_, false)) = in_string {
            in_string = None;
        }
    }
    None
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
