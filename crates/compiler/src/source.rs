//! PEP 263 source decoding: a UTF-8 BOM, or a `coding` cookie on line 1 or 2
//! (line 2 only when line 1 is blank or a comment); UTF-8 by default.
//! Supported encodings: utf-8, latin-1 (iso-8859-1), ascii, cp1252; the VM
//! decodes others through the codec registry (`foreign_cookie`).

use crate::error::{CompileError, ErrorKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Latin1,
    Ascii,
    Cp1252,
}

fn error(filename: &str, msg: String, lineno: u32, offset: u32, end_offset: u32, text: Option<String>) -> CompileError {
    CompileError {
        kind: ErrorKind::SyntaxError,
        msg,
        filename: filename.to_string(),
        lineno,
        offset,
        end_lineno: if lineno == 0 { 0 } else { lineno },
        end_offset,
        text,
        no_location: false,
    }
}

/// Decodes a script file as CPython's file tokenizer does: undecodable bytes
/// with no coding cookie (comments included) and unknown cookies are errors
/// with only a message.
pub fn decode_file_source(bytes: &[u8], filename: &str) -> Result<String, CompileError> {
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let bare = |msg: String| CompileError { no_location: true, ..error(filename, msg, 0, 0, 0, None) };
    match find_cookie(body) {
        Some(name) if normalize_encoding(&name).is_none() => Err(bare(format!("encoding problem: {name}"))),
        Some(_) => decode_source(bytes, filename),
        None => match std::str::from_utf8(body) {
            Ok(_) => decode_source(bytes, filename),
            Err(e) => {
                let pos = e.valid_up_to();
                let line = body[..pos].iter().filter(|&&b| b == b'\n').count() + 1;
                Err(bare(format!(
                    "Non-UTF-8 code starting with '\\x{:02x}' in file {filename} on line {line}, but no encoding declared; see https://peps.python.org/pep-0263/ for details",
                    body[pos]
                )))
            }
        },
    }
}

/// Decodes the bytes of a source file to text.
pub fn decode_source(bytes: &[u8], filename: &str) -> Result<String, CompileError> {
    let (bom, body) = match bytes.strip_prefix(b"\xef\xbb\xbf") {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    let encoding = match find_cookie(body) {
        Some(name) => {
            let enc = normalize_encoding(&name);
            // CPython accepts a BOM only with a cookie spelled as utf-8,
            // whatever the cookie names.
            let lower = name.to_ascii_lowercase().replace('_', "-");
            let spelled_utf8 = lower == "utf-8" || lower.starts_with("utf-8-");
            if bom && !spelled_utf8 {
                let shown = if enc == Some(Encoding::Latin1) { "iso-8859-1".to_string() } else { name.clone() };
                return Err(error(filename, format!("encoding problem: {shown} with BOM"), 0, 0, 0, None));
            }
            match enc {
                Some(enc) => enc,
                None => return Err(error(filename, format!("unknown encoding: {name}"), 0, 0, 0, None)),
            }
        }
        None => Encoding::Utf8,
    };
    match encoding {
        Encoding::Utf8 => decode_utf8(body, filename),
        Encoding::Latin1 => Ok(body.iter().map(|&b| b as char).collect()),
        Encoding::Ascii => {
            if let Some(pos) = body.iter().position(|&b| b >= 0x80) {
                return Err(error(
                    filename,
                    format!("'ascii' codec can't decode byte 0x{:02x} in position {pos}: ordinal not in range(128)", body[pos]),
                    0,
                    0,
                    0,
                    None,
                ));
            }
            Ok(body.iter().map(|&b| b as char).collect())
        }
        Encoding::Cp1252 => {
            let mut s = String::with_capacity(body.len());
            for (pos, &b) in body.iter().enumerate() {
                match cp1252_char(b) {
                    Some(c) => s.push(c),
                    None => {
                        return Err(error(
                            filename,
                            format!("'charmap' codec can't decode byte 0x{b:02x} in position {pos}: character maps to <undefined>"),
                            0,
                            0,
                            0,
                            None,
                        ))
                    }
                }
            }
            Ok(s)
        }
    }
}

/// The text as CPython's tokenizer reads it: "\r\n" and a lone "\r" are
/// "\n" (string literals spanning lines included).
pub fn translate_newlines(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        text.into()
    }
}

/// The coding cookie's encoding name when it is one this module cannot
/// decode (cp1251, ...): the VM decodes such sources through the codec
/// registry. None with a BOM (only a utf-8 cookie may go with one).
pub fn foreign_cookie(bytes: &[u8]) -> Option<String> {
    if bytes.starts_with(b"\xef\xbb\xbf") {
        return None;
    }
    find_cookie(bytes).filter(|name| normalize_encoding(name).is_none())
}

/// The encoding named by a coding cookie on line 1 or 2.
fn find_cookie(body: &[u8]) -> Option<String> {
    let mut lines = body.split(|&b| b == b'\n');
    let first = lines.next()?;
    if let Some(name) = cookie_in_line(first) {
        return Some(name);
    }
    let trimmed: Vec<u8> = first.iter().copied().skip_while(|b| matches!(b, b' ' | b'\t' | 0x0c)).collect();
    let blank_or_comment = trimmed.is_empty() || trimmed[0] == b'#' || trimmed[0] == b'\r';
    if !blank_or_comment {
        return None;
    }
    cookie_in_line(lines.next()?)
}

/// `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)`
fn cookie_in_line(line: &[u8]) -> Option<String> {
    let mut i = 0;
    while i < line.len() && matches!(line[i], b' ' | b'\t' | 0x0c) {
        i += 1;
    }
    if line.get(i) != Some(&b'#') {
        return None;
    }
    let rest = &line[i..];
    let mut k = 0;
    while k + 7 <= rest.len() {
        if &rest[k..k + 6] == b"coding" && matches!(rest[k + 6], b':' | b'=') {
            let mut j = k + 7;
            while j < rest.len() && matches!(rest[j], b' ' | b'\t') {
                j += 1;
            }
            let start = j;
            while j < rest.len() && (rest[j].is_ascii_alphanumeric() || matches!(rest[j], b'-' | b'_' | b'.')) {
                j += 1;
            }
            if j > start {
                return Some(String::from_utf8_lossy(&rest[start..j]).into_owned());
            }
        }
        k += 1;
    }
    None
}

fn normalize_encoding(name: &str) -> Option<Encoding> {
    let n: String = name.to_ascii_lowercase().chars().map(|c| if c == '-' || c == ' ' { '_' } else { c }).collect();
    let base = n.as_str();
    if base == "utf_8" || base.starts_with("utf_8_") || matches!(base, "utf8" | "u8" | "utf" | "cp65001" | "utf8_ucs2" | "utf8_ucs4") {
        return Some(Encoding::Utf8);
    }
    if matches!(base, "latin_1" | "latin1" | "l1" | "iso8859_1" | "iso_8859_1" | "8859" | "cp819" | "latin" | "iso_ir_100" | "csisolatin1" | "iso_latin_1")
        || base.starts_with("latin_1_")
        || base.starts_with("iso_8859_1_")
        || base.starts_with("iso_latin_1_")
    {
        return Some(Encoding::Latin1);
    }
    if matches!(base, "ascii" | "us_ascii" | "646" | "us" | "ansi_x3.4_1968" | "ansi_x3_4_1968" | "cp367" | "csascii" | "ibm367" | "iso646_us" | "iso_646.irv_1991" | "iso_ir_6") {
        return Some(Encoding::Ascii);
    }
    if matches!(base, "cp1252" | "windows_1252" | "1252") {
        return Some(Encoding::Cp1252);
    }
    None
}

fn cp1252_char(b: u8) -> Option<char> {
    const HIGH: [u16; 32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ];
    if (0x80..0xA0).contains(&b) {
        let cp = HIGH[(b - 0x80) as usize];
        if cp == 0 {
            return None;
        }
        char::from_u32(cp as u32)
    } else {
        Some(b as char)
    }
}

/// UTF-8 decoding as CPython's tokenizer does it: invalid bytes in comments are
/// tolerated; elsewhere they are "(unicode error) 'utf-8' codec can't decode ...".
fn decode_utf8(body: &[u8], filename: &str) -> Result<String, CompileError> {
    match std::str::from_utf8(body) {
        Ok(s) => return Ok(s.to_string()),
        Err(_) => {}
    }
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    let mut base = 0usize;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                return Ok(out);
            }
            Err(e) => {
                let good = e.valid_up_to();
                out.push_str(std::str::from_utf8(&rest[..good]).unwrap_or(""));
                let pos = base + good;
                let bad_len = e.error_len().unwrap_or(rest.len() - good);
                if !in_comment(body, pos) {
                    return Err(utf8_error(body, pos, filename));
                }
                out.push('\u{FFFD}');
                rest = &rest[good + bad_len..];
                base = pos + bad_len;
            }
        }
    }
}

/// Is byte `pos` inside a `#` comment (outside string literals) on its line?
fn in_comment(body: &[u8], pos: usize) -> bool {
    let line_start = body[..pos].iter().rposition(|&b| b == b'\n').map(|p| p + 1).unwrap_or(0);
    let mut quote: Option<u8> = None;
    let mut i = line_start;
    while i < pos {
        let c = body[i];
        match quote {
            Some(q) => {
                if c == b'\\' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
            }
            None => {
                if c == b'#' {
                    return true;
                }
                if c == b'\'' || c == b'"' {
                    quote = Some(c);
                }
            }
        }
        i += 1;
    }
    false
}

fn utf8_error(body: &[u8], pos: usize, filename: &str) -> CompileError {
    let line_start = body[..pos].iter().rposition(|&b| b == b'\n').map(|p| p + 1).unwrap_or(0);
    let lineno = body[..pos].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    let line_end = body[pos..].iter().position(|&b| b == b'\n').map(|p| pos + p + 1).unwrap_or(body.len());
    let text = String::from_utf8_lossy(&body[line_start..line_end]).into_owned();
    // Inside a string literal: CPython decodes the literal's contents and reports
    // the position within them, located at the end of the literal.
    if let Some((content_start, content_end, token_end)) = string_around(body, line_start, pos) {
        let content = &body[content_start..content_end];
        let rel = pos - content_start;
        let reason = describe_utf8_error(content, rel);
        let end_line_start = body[..token_end].iter().rposition(|&b| b == b'\n').map(|p| p + 1).unwrap_or(0);
        let end_lineno = body[..token_end].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        let end_line_end = body[token_end..].iter().position(|&b| b == b'\n').map(|p| token_end + p + 1).unwrap_or(body.len());
        let end_text = String::from_utf8_lossy(&body[end_line_start..end_line_end]).into_owned();
        // CPython reports it at the token after the literal (its parser has
        // read that one), or just past the literal at the end of a line.
        let (start, end) = next_token(body, token_end);
        let col = (start - end_line_start) as u32 + 1;
        let end_col = (end - end_line_start) as u32 + 1;
        return error(filename, format!("(unicode error) {reason}"), end_lineno, col, end_col, Some(end_text));
    }
    let _ = lineno;
    let reason = describe_utf8_error(&body[pos..], 0);
    let col = (pos - line_start) as u32 + 1;
    let reason = reason.replace(&format!("in position {}", 0), "in position 0");
    error(filename, format!("(unicode error) {reason}"), lineno, col, 0, Some(text))
}

/// The byte range of the token (a comment counts) after `pos` on its line;
/// empty at `pos` when the line ends there.
fn next_token(body: &[u8], pos: usize) -> (usize, usize) {
    let mut i = pos;
    while i < body.len() && matches!(body[i], b' ' | b'\t' | 0x0c) {
        i += 1;
    }
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
    let run = |from: usize, keep: &dyn Fn(u8) -> bool| from + body[from..].iter().take_while(|&&c| keep(c)).count();
    match body.get(i) {
        None | Some(b'\n') | Some(b'\r') => (pos, pos),
        Some(b'#') => (i, run(i, &|c| c != b'\n' && c != b'\r')),
        Some(&c) if ident(c) => (i, run(i, &ident)),
        Some(_) => {
            const TWO: [&[u8]; 17] = [
                b"==", b"!=", b"<=", b">=", b"**", b"//", b"<<", b">>", b"->", b":=", b"+=", b"-=", b"*=", b"/=", b"%=", b"&=", b"|=",
            ];
            let two = TWO.iter().any(|t| body[i..].starts_with(t));
            (i, i + if two { 2 } else { 1 })
        }
    }
}

/// Python's utf-8 decoder message for the first error at `rel` in `data`.
fn describe_utf8_error(data: &[u8], rel: usize) -> String {
    let slice = &data[rel..];
    let b = slice[0];
    let need = match b {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 0,
    };
    if need == 0 {
        return format!("'utf-8' codec can't decode byte 0x{b:02x} in position {rel}: invalid start byte");
    }
    let avail = slice.len().min(need);
    let mut ok = 1;
    while ok < avail {
        let c = slice[ok];
        let valid = match (ok, b) {
            (1, 0xE0) => (0xA0..=0xBF).contains(&c),
            (1, 0xED) => (0x80..=0x9F).contains(&c),
            (1, 0xF0) => (0x90..=0xBF).contains(&c),
            (1, 0xF4) => (0x80..=0x8F).contains(&c),
            _ => (0x80..=0xBF).contains(&c),
        };
        if !valid {
            return format!("'utf-8' codec can't decode byte 0x{b:02x} in position {rel}: invalid continuation byte");
        }
        ok += 1;
    }
    if avail < need {
        if avail == 1 {
            return format!("'utf-8' codec can't decode byte 0x{b:02x} in position {rel}: unexpected end of data");
        }
        return format!("'utf-8' codec can't decode bytes in position {}-{}: unexpected end of data", rel, rel + avail - 1);
    }
    format!("'utf-8' codec can't decode byte 0x{b:02x} in position {rel}: invalid start byte")
}

/// The string literal containing `pos`: (contents start, contents end, token end).
fn string_around(body: &[u8], line_start: usize, pos: usize) -> Option<(usize, usize, usize)> {
    // Scan from the start of the file so triple-quoted strings spanning lines are seen.
    let _ = line_start;
    let mut i = 0;
    while i < body.len() {
        let c = body[i];
        if c == b'#' {
            while i < body.len() && body[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if c == b'\'' || c == b'"' {
            let triple = body.get(i + 1) == Some(&c) && body.get(i + 2) == Some(&c);
            let open = if triple { 3 } else { 1 };
            let cs = i + open;
            let mut j = cs;
            let mut end = None;
            while j < body.len() {
                if body[j] == b'\\' {
                    j += 2;
                    continue;
                }
                if triple {
                    if body[j] == c && body.get(j + 1) == Some(&c) && body.get(j + 2) == Some(&c) {
                        end = Some((j, j + 3));
                        break;
                    }
                } else if body[j] == c {
                    end = Some((j, j + 1));
                    break;
                } else if body[j] == b'\n' {
                    break;
                }
                j += 1;
            }
            let (ce, te) = end.unwrap_or((j.min(body.len()), j.min(body.len())));
            if cs <= pos && pos < te {
                return Some((cs, ce, te));
            }
            if pos < cs {
                return None;
            }
            i = te.max(i + 1);
            continue;
        }
        if i >= pos {
            return None;
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_and_boms() {
        assert_eq!(decode_source(b"x = 1\n", "f").unwrap(), "x = 1\n");
        assert_eq!(decode_source(b"\xef\xbb\xbfx = 1\n", "f").unwrap(), "x = 1\n");
        assert_eq!(decode_source(b"# -*- coding: latin-1 -*-\nx='\xff'\n", "f").unwrap(), "# -*- coding: latin-1 -*-\nx='\u{ff}'\n");
        assert_eq!(decode_source(b"#!/bin/sh\n# vim: set fileencoding=cp1252 :\nx='\x80'\n", "f").unwrap(), "#!/bin/sh\n# vim: set fileencoding=cp1252 :\nx='\u{20ac}'\n");
        assert_eq!(decode_source(b"x=1\n# coding: foo\n", "f").unwrap(), "x=1\n# coding: foo\n");
        let e = decode_source(b"# coding: foo\nx=1\n", "f").unwrap_err();
        assert_eq!(e.msg, "unknown encoding: foo");
        let e = decode_source(b"\xef\xbb\xbf# coding: latin-1\nx=1\n", "f").unwrap_err();
        assert_eq!(e.msg, "encoding problem: iso-8859-1 with BOM");
        let e = decode_source(b"# coding: ascii\nx='\xc3\xa9'\n", "f").unwrap_err();
        assert_eq!(e.msg, "'ascii' codec can't decode byte 0xc3 in position 19: ordinal not in range(128)");
    }

    #[test]
    fn invalid_utf8() {
        let e = decode_source(b"x = '\xff'\n", "f").unwrap_err();
        assert_eq!(e.msg, "(unicode error) 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte");
        assert_eq!((e.lineno, e.offset), (1, 8));
        let e = decode_source(b"x = 1\ny = '\xc3\x28'\n", "f").unwrap_err();
        assert_eq!(e.msg, "(unicode error) 'utf-8' codec can't decode byte 0xc3 in position 0: invalid continuation byte");
        assert_eq!((e.lineno, e.offset), (2, 9));
        let e = decode_source(b"x = '\xe2\x82'\n", "f").unwrap_err();
        assert_eq!(e.msg, "(unicode error) 'utf-8' codec can't decode bytes in position 0-1: unexpected end of data");
        let e = decode_source(b"s = '''abc\n\xff'''\n", "f").unwrap_err();
        assert_eq!(e.msg, "(unicode error) 'utf-8' codec can't decode byte 0xff in position 4: invalid start byte");
        assert_eq!((e.lineno, e.offset), (2, 5));
        let e = decode_source(b"x = \xff\n", "f").unwrap_err();
        assert_eq!((e.lineno, e.offset), (1, 5));
        assert_eq!(decode_source(b"# comment \xff\nx=1\n", "f").unwrap(), "# comment \u{fffd}\nx=1\n");
    }
}
