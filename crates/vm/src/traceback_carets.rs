//! The caret line under a traceback's source line, by CPython 3.11.7's rules
//! (Python/traceback.c): `^` under the failing expression; for a binary
//! operation or a subscript (found by parsing the highlighted text) `~` under
//! the operands and `^` under the operator or the brackets; nothing when
//! plain carets would cover the whole stripped line.

use krait_compiler::ast::{parse_to_ast, AstMode, AstNode, AstValue};
use krait_compiler::code::Position;

fn is_ws(b: u8) -> bool {
    b == b' ' || b == b'\t' || b == 0x0c
}

/// `_PyPegen_byte_offset_to_character_offset`: characters in the first
/// `col` bytes (clamped one past the end, as CPython does).
fn char_offset(line: &str, col: usize) -> usize {
    let bytes = line.as_bytes();
    if col > bytes.len() {
        return line.chars().count() + 1;
    }
    String::from_utf8_lossy(&bytes[..col]).chars().count()
}

fn node<'a>(v: &'a AstValue) -> Option<&'a AstNode> {
    match v {
        AstValue::Node(n) => Some(n),
        _ => None,
    }
}

fn start(n: &AstNode) -> Option<usize> {
    n.pos.map(|p| p.col_offset as usize)
}

fn end(n: &AstNode) -> Option<usize> {
    n.pos.and_then(|p| p.end_col_offset).map(|c| c as usize)
}

/// Byte anchors `(left, right)` inside `segment` when it is one binary
/// operation or subscript (CPython's `extract_anchors_from_expr`).
fn anchors(segment: &str, filename: &str) -> Option<(usize, usize)> {
    let module = parse_to_ast(segment, filename, AstMode::Exec).ok()?;
    let body = match module.get("body") {
        AstValue::List(b) if b.len() == 1 => b,
        _ => return None,
    };
    let stmt = node(&body[0])?;
    if stmt.class != "Expr" {
        return None;
    }
    let expr = node(stmt.get("value"))?;
    let b = segment.as_bytes();
    match expr.class {
        "BinOp" => {
            let left_end = end(node(expr.get("left"))?)?;
            let right_start = start(node(expr.get("right"))?)?;
            // The first non-blank character between the operands, skipping
            // closing parentheses of the left operand; a second non-blank
            // character right after it is part of the operator (`//`, `**`).
            let (mut l, mut r) = (0, 0);
            let mut i = left_end;
            while i < right_start && i < b.len() {
                if !is_ws(b[i]) {
                    l = i;
                    r = i + 1;
                    if i + 1 < right_start && i + 1 < b.len() && !is_ws(b[i + 1]) {
                        r += 1;
                    }
                    if !(i + 1 < right_start && b[i] == b')') {
                        break;
                    }
                }
                i += 1;
            }
            Some((l, r))
        }
        "Subscript" => {
            let mut l = end(node(expr.get("value"))?)?;
            let mut r = end(node(expr.get("slice"))?)? + 1;
            while l < b.len() && b[l] != b'[' {
                l += 1;
            }
            while r < b.len() && b[r] != b']' {
                r += 1;
            }
            if r < b.len() {
                r += 1;
            }
            Some((l, r))
        }
        _ => None,
    }
}

/// The caret line (without the newline) for source line `src` (no line
/// terminator, indentation kept) of a frame at position `p`, or None.
pub(crate) fn caret_line(filename: &str, src: &str, lineno: u32, p: Position) -> Option<String> {
    if p.line == 0 || p.line != lineno || p.end_line < p.line {
        return None;
    }
    let chars: Vec<char> = src.chars().collect();
    let len = chars.len() as i64;
    let start_off = char_offset(src, p.col as usize) as i64;
    let mut end_off = char_offset(src, p.end_col as usize) as i64;
    let mut marks: Option<(i64, i64)> = None;
    if p.line == p.end_line {
        let (s, e) = (start_off.min(len).max(0) as usize, end_off.min(len).max(0) as usize);
        if s < e {
            let segment: String = chars[s..e].iter().collect();
            if let Some((l, r)) = anchors(&segment, filename) {
                marks = Some((char_offset(&segment, l) as i64 + start_off, char_offset(&segment, r) as i64 + start_off));
            }
        }
    } else {
        // A multi-line range: to the last non-blank character of this line.
        // (CPython walks the UTF-8 bytes with the character count; so do we.)
        let b = src.as_bytes();
        let mut i = len;
        loop {
            i -= 1;
            if i < 0 || (i as usize) < b.len() && !is_ws(b[i as usize]) {
                break;
            }
        }
        end_off = i + 1;
    }
    let indent = chars.iter().take_while(|c| matches!(c, ' ' | '\t' | '\x0c')).count() as i64;
    if end_off - start_off == len - indent && marks.is_none() {
        return None;
    }
    let (primary, secondary) = if marks.is_some() { ('~', '^') } else { ('^', '^') };
    let mut out = String::new();
    // The line is printed after 4 spaces with its indentation removed.
    let mut k = indent - 4;
    while k < end_off {
        k += 1;
        out.push(if k <= start_off {
            ' '
        } else {
            match marks {
                Some((l, r)) if l < k && k <= r => secondary,
                _ => primary,
            }
        });
    }
    Some(out)
}
