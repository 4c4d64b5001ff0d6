//! Byte offsets to lines and columns, and building located `CompileError`s.

use crate::code::Position;
use crate::error::{CompileError, ErrorKind};
use ruff_text_size::{TextRange, TextSize};

/// Line starts of one source text.
pub struct SourceMap<'a> {
    pub src: &'a str,
    pub filename: &'a str,
    line_starts: Vec<u32>,
}

impl<'a> SourceMap<'a> {
    pub fn new(src: &'a str, filename: &'a str) -> SourceMap<'a> {
        let mut line_starts = vec![0u32];
        let bytes = src.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(i as u32 + 1),
                b'\r' => {
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    line_starts.push(i as u32 + 1);
                }
                _ => {}
            }
            i += 1;
        }
        SourceMap { src, filename, line_starts }
    }

    /// 1-based line and 0-based byte column of an offset.
    pub fn line_col(&self, offset: TextSize) -> (u32, u32) {
        let off = u32::from(offset).min(self.src.len() as u32);
        let line = match self.line_starts.binary_search(&off) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        (line as u32 + 1, off - self.line_starts[line])
    }

    pub fn position(&self, range: TextRange) -> Position {
        let (line, col) = self.line_col(range.start());
        let (end_line, end_col) = self.line_col(range.end());
        Position { line, end_line, col, end_col }
    }

    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }

    /// The text of a 1-based line, with its line ending.
    pub fn line_text(&self, line: u32) -> &'a str {
        let idx = (line.max(1) - 1) as usize;
        let Some(&start) = self.line_starts.get(idx) else { return "" };
        let end = self.line_starts.get(idx + 1).copied().unwrap_or(self.src.len() as u32);
        self.src.get(start as usize..end as usize).unwrap_or("")
    }

    /// 1-based character column of an offset (what CPython's parser errors report).
    pub fn char_col(&self, offset: TextSize) -> u32 {
        let (line, col) = self.line_col(offset);
        let text = self.line_text(line);
        let col = (col as usize).min(text.len());
        let mut end = col;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text[..end].chars().count() as u32 + 1
    }

    /// An error located like CPython's parser errors: character offsets, the line's text.
    pub fn parser_error(&self, kind: ErrorKind, msg: impl Into<String>, range: TextRange) -> CompileError {
        let (lineno, _) = self.line_col(range.start());
        let (end_lineno, _) = self.line_col(range.end());
        let text = self.line_text(lineno);
        let text = if text.ends_with('\n') || text.ends_with('\r') {
            text.trim_end_matches(['\r', '\n']).to_string() + "\n"
        } else {
            text.to_string() + "\n"
        };
        CompileError {
            kind,
            msg: msg.into(),
            filename: self.filename.to_string(),
            lineno,
            offset: self.char_col(range.start()),
            end_lineno,
            end_offset: self.char_col(range.end()),
            text: Some(text),
            no_location: false,
        }
    }

    /// An error located like CPython's symtable/compiler errors: byte offsets + 1; the
    /// text is read from the file (as `PyErr_ProgramTextObject` does), else None.
    pub fn compiler_error(&self, msg: impl Into<String>, range: TextRange) -> CompileError {
        let pos = self.position(range);
        CompileError {
            kind: ErrorKind::SyntaxError,
            msg: msg.into(),
            filename: self.filename.to_string(),
            lineno: pos.line,
            offset: pos.col + 1,
            end_lineno: pos.end_line,
            end_offset: pos.end_col + 1,
            text: program_text(self.filename, pos.line),
            no_location: false,
        }
    }
}

/// Line `lineno` of the file `filename`, as CPython reads it for compiler errors.
fn program_text(filename: &str, lineno: u32) -> Option<String> {
    if filename.starts_with('<') || filename.is_empty() {
        return None;
    }
    let data = std::fs::read(filename).ok()?;
    let line = data.split(|&b| b == b'\n').nth(lineno.checked_sub(1)? as usize)?;
    let mut s = String::from_utf8_lossy(line).into_owned();
    if s.ends_with('\r') {
        s.pop();
    }
    s.push('\n');
    Some(s)
}
