//! The tokenizer of element content (and of CDATA sections): start and end
//! tags with their attributes, character data split at line breaks as
//! expat reports it, references, comments and processing instructions.
//! Offsets in tokens are relative to the token's start.

use super::scan::{char_at, is_space, name_end, skip_space, Scan, Stop, INVALID_TOKEN};

pub type Span = (usize, usize);

#[derive(Debug)]
pub struct RawAttr {
    pub name: Span,
    /// The value between the quotes, references not yet replaced.
    pub value: Span,
}

#[derive(Debug)]
pub enum CTok {
    StartTag { name: Span, attrs: Vec<RawAttr>, empty: bool },
    EndTag { name: Span },
    Data,
    Newline,
    CharRef(char),
    EntityRef { name: Span },
    CdataStart,
    Comment { body: Span },
    Pi { target: Span, data: Span },
}

pub const BAD_CHAR_REF: u32 = 14;
pub const MISPLACED_XML_PI: u32 = 17;

/// A reference starting with '&' at `s[i]`: its end (after ';').
pub fn ref_end(s: &[u8], i: usize, ns: bool) -> Result<usize, Stop> {
    let mut j = i + 1;
    match s.get(j) {
        None => Err(Stop::Partial),
        Some(b'#') => {
            j += 1;
            let hex = s.get(j) == Some(&b'x');
            if hex {
                j += 1;
            }
            let start = j;
            loop {
                match s.get(j) {
                    None => return Err(Stop::Partial),
                    Some(b';') if j > start => return Ok(j + 1),
                    Some(c) if (hex && c.is_ascii_hexdigit()) || (!hex && c.is_ascii_digit()) => j += 1,
                    Some(_) => return Err(Stop::Error(INVALID_TOKEN, j)),
                }
            }
        }
        Some(_) => {
            let e = name_end(s, j)?;
            if ns {
                // With namespaces, entity names have no colon.
                if let Some(k) = s[j..e].iter().position(|&b| b == b':') {
                    return Err(Stop::Error(INVALID_TOKEN, j + k));
                }
            }
            match s.get(e) {
                None => Err(Stop::Partial),
                Some(b';') => Ok(e + 1),
                Some(_) => Err(Stop::Error(INVALID_TOKEN, e)),
            }
        }
    }
}

/// A quoted literal whose opening quote is at `s[i]`, in an attribute
/// value (`in_attr`: '<' refused, references checked): the end after the
/// closing quote.
pub fn quoted_end(s: &[u8], i: usize, in_attr: bool, ns: bool) -> Result<usize, Stop> {
    let q = s[i];
    let mut j = i + 1;
    loop {
        match char_at(s, j)? {
            None => return Err(Stop::Partial),
            Some((c, _)) if c as u32 == q as u32 => return Ok(j + 1),
            Some(('<', _)) if in_attr => return Err(Stop::Error(INVALID_TOKEN, j)),
            Some(('&', _)) if in_attr => j = ref_end(s, j, ns)?,
            Some((_, n)) => j += n,
        }
    }
}

/// A name of an element or attribute from `s[i]`: with namespaces, one
/// colon at most, followed by a name (expat's tokenizer refuses others).
fn qname_end(s: &[u8], i: usize, ns: bool) -> Result<usize, Stop> {
    if ns && s.get(i) == Some(&b':') {
        return Err(Stop::Error(INVALID_TOKEN, i));
    }
    let e = name_end(s, i)?;
    if ns {
        let mut colon = false;
        for k in i..e {
            if s[k] != b':' {
                continue;
            }
            if colon || k == i {
                return Err(Stop::Error(INVALID_TOKEN, k));
            }
            colon = true;
            match char_at(s, k + 1)? {
                Some((c, _)) if super::scan::is_name_start(c) && c != ':' => {}
                Some(_) => return Err(Stop::Error(INVALID_TOKEN, k + 1)),
                None => return Err(Stop::Partial),
            }
        }
    }
    Ok(e)
}

fn start_tag(s: &[u8], ns: bool) -> Scan<CTok> {
    let ne = qname_end(s, 1, ns)?;
    let mut attrs: Vec<RawAttr> = Vec::new();
    let mut i = ne;
    loop {
        let j = skip_space(s, i);
        match s.get(j) {
            None => return Err(Stop::Partial),
            Some(b'>') => return Ok((CTok::StartTag { name: (1, ne), attrs, empty: false }, j + 1)),
            Some(b'/') => {
                return match s.get(j + 1) {
                    None => Err(Stop::Partial),
                    Some(b'>') => Ok((CTok::StartTag { name: (1, ne), attrs, empty: true }, j + 2)),
                    Some(_) => Err(Stop::Error(INVALID_TOKEN, j + 1)),
                }
            }
            _ => {}
        }
        if j == i {
            // Checks the character first (a partial one is not an error).
            char_at(s, j)?;
            return Err(Stop::Error(INVALID_TOKEN, j));
        }
        let an = qname_end(s, j, ns)?;
        let k = skip_space(s, an);
        match s.get(k) {
            None => return Err(Stop::Partial),
            Some(b'=') => {}
            Some(_) => return Err(Stop::Error(INVALID_TOKEN, k)),
        }
        let k = skip_space(s, k + 1);
        match s.get(k) {
            None => return Err(Stop::Partial),
            Some(b'"') | Some(b'\'') => {}
            Some(_) => return Err(Stop::Error(INVALID_TOKEN, k)),
        }
        let end = quoted_end(s, k, true, ns)?;
        attrs.push(RawAttr { name: (j, an), value: (k + 1, end - 1) });
        i = end;
    }
}

/// `<!--` at the start of `s`: the comment's end and body.
pub fn comment(s: &[u8]) -> Scan<Span> {
    if s.len() < 4 {
        return if b"<!--".starts_with(s) { Err(Stop::Partial) } else { Err(Stop::Error(INVALID_TOKEN, 2)) };
    }
    if &s[..4] != b"<!--" {
        return Err(Stop::Error(INVALID_TOKEN, 3));
    }
    let mut j = 4;
    loop {
        match char_at(s, j)? {
            None => return Err(Stop::Partial),
            Some(('-', _)) if s.get(j + 1) == Some(&b'-') => {
                return match s.get(j + 2) {
                    None => Err(Stop::Partial),
                    Some(b'>') => Ok(((4, j), j + 3)),
                    Some(_) => Err(Stop::Error(INVALID_TOKEN, j + 2)),
                };
            }
            Some(('-', _)) if j + 1 == s.len() => return Err(Stop::Partial),
            Some((_, n)) => j += n,
        }
    }
}

/// `<?` at the start of `s`: the processing instruction's target and data.
pub fn pi(s: &[u8], ns: bool) -> Scan<(Span, Span)> {
    let te = name_end(s, 2)?;
    if ns {
        // With namespaces, a target has no colon.
        if let Some(k) = s[2..te].iter().position(|&b| b == b':') {
            return Err(Stop::Error(INVALID_TOKEN, 2 + k));
        }
    }
    let mut j = te;
    match s.get(j) {
        None => return Err(Stop::Partial),
        Some(b'?') => {
            return match s.get(j + 1) {
                None => Err(Stop::Partial),
                Some(b'>') => Ok((((2, te), (te, te)), j + 2)),
                Some(_) => Err(Stop::Error(INVALID_TOKEN, j + 1)),
            }
        }
        Some(&b) if is_space(b) => {}
        Some(_) => {
            char_at(s, j)?;
            return Err(Stop::Error(INVALID_TOKEN, j));
        }
    }
    j = skip_space(s, j);
    let ds = j;
    loop {
        match char_at(s, j)? {
            None => return Err(Stop::Partial),
            Some(('?', _)) => match s.get(j + 1) {
                None => return Err(Stop::Partial),
                Some(b'>') => return Ok((((2, te), (ds, j)), j + 2)),
                Some(_) => j += 1,
            },
            Some((_, n)) => j += n,
        }
    }
}

/// Is the PI target "xml" in any case (reserved)?
pub fn is_xml_target(t: &[u8]) -> bool {
    t.eq_ignore_ascii_case(b"xml")
}

/// Character data: a run without markup or line breaks.
fn data(s: &[u8]) -> Scan<CTok> {
    let mut j = 0;
    loop {
        // Data before a bad or partial character is reported first.
        let c = match char_at(s, j) {
            Ok(c) => c,
            Err(e) if j == 0 => return Err(e),
            Err(_) => return Ok((CTok::Data, j)),
        };
        match c {
            None => break,
            Some(('<' | '&' | '\r' | '\n', _)) => break,
            Some((']', _)) => {
                // "]]>" is not allowed in content; a trailing "]" or "]]" waits.
                let rest = &s[j..];
                if rest.starts_with(b"]]>") {
                    return Err(Stop::Error(INVALID_TOKEN, j + 2));
                }
                if b"]]>".starts_with(rest) {
                    if j == 0 {
                        return Err(Stop::Partial);
                    }
                    break;
                }
                j += 1;
            }
            Some((_, n)) => j += n,
        }
    }
    Ok((CTok::Data, j))
}

/// A line break at `s[0]`: its length (CR LF together).
fn newline(s: &[u8]) -> Scan<CTok> {
    if s[0] == b'\r' {
        return match s.get(1) {
            None => Err(Stop::Partial),
            Some(b'\n') => Ok((CTok::Newline, 2)),
            Some(_) => Ok((CTok::Newline, 1)),
        };
    }
    Ok((CTok::Newline, 1))
}

/// The next token of element content at the start of `s` (not empty).
pub fn content_token(s: &[u8], ns: bool) -> Scan<CTok> {
    match s[0] {
        b'<' => match s.get(1) {
            None => Err(Stop::Partial),
            Some(b'/') => {
                let ne = qname_end(s, 2, ns)?;
                let j = skip_space(s, ne);
                match s.get(j) {
                    None => Err(Stop::Partial),
                    Some(b'>') => Ok((CTok::EndTag { name: (2, ne) }, j + 1)),
                    Some(_) => {
                        char_at(s, j)?;
                        Err(Stop::Error(INVALID_TOKEN, j))
                    }
                }
            }
            Some(b'!') => {
                if s.get(2) == Some(&b'-') || s.len() < 3 {
                    let (body, n) = comment(s)?;
                    return Ok((CTok::Comment { body }, n));
                }
                let want = b"<![CDATA[";
                let n = s.len().min(want.len());
                if s[..n] != want[..n] {
                    let bad = (0..n).find(|&k| s[k] != want[k]).unwrap_or(0);
                    return Err(Stop::Error(INVALID_TOKEN, bad));
                }
                if n < want.len() {
                    return Err(Stop::Partial);
                }
                Ok((CTok::CdataStart, want.len()))
            }
            Some(b'?') => {
                let ((target, data), n) = pi(s, ns)?;
                if is_xml_target(&s[target.0..target.1]) {
                    return Err(Stop::Error(MISPLACED_XML_PI, 0));
                }
                Ok((CTok::Pi { target, data }, n))
            }
            Some(_) => start_tag(s, ns),
        },
        b'&' => {
            let end = ref_end(s, 0, ns)?;
            if s[1] == b'#' {
                match super::scan::char_ref_value(&s[2..end - 1]) {
                    Some(c) => Ok((CTok::CharRef(c), end)),
                    None => Err(Stop::Error(BAD_CHAR_REF, 0)),
                }
            } else {
                Ok((CTok::EntityRef { name: (1, end - 1) }, end))
            }
        }
        b'\r' | b'\n' => newline(s),
        _ => data(s),
    }
}

#[derive(Debug)]
pub enum CdTok {
    Data,
    Newline,
    End,
}

/// The next token inside a CDATA section: as expat, a run of data ends
/// before a ']' (one starting the run is part of it) or a line break.
pub fn cdata_token(s: &[u8]) -> Scan<CdTok> {
    if s[0] == b'\r' || s[0] == b'\n' {
        return newline(s).map(|(_, n)| (CdTok::Newline, n));
    }
    let mut j = 0;
    if s[0] == b']' {
        if s.starts_with(b"]]>") {
            return Ok((CdTok::End, 3));
        }
        if b"]]>".starts_with(s) {
            return Err(Stop::Partial);
        }
        j = 1;
    }
    while j < s.len() {
        if s[j] == b']' {
            break;
        }
        match char_at(s, j) {
            Ok(None) => break,
            Ok(Some(('\r' | '\n', _))) => break,
            Ok(Some((_, n))) => j += n,
            Err(e) if j == 0 => return Err(e),
            Err(_) => break,
        }
    }
    Ok((CdTok::Data, j))
}
