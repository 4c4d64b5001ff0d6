//! The tokenizer of the prolog, the document type declaration and the
//! epilog: the pieces expat hands one by one to a default handler.

use super::content::{comment, pi, quoted_end, ref_end};
use super::scan::{char_at, is_name_char, is_name_start, is_space, name_end, Scan, Stop, INVALID_TOKEN};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PTok {
    /// `<?xml ...?>` (whether it is allowed here is the caller's business).
    XmlDecl,
    Pi,
    Comment,
    /// `<!NAME`: DOCTYPE, ENTITY, ELEMENT, ATTLIST, NOTATION.
    DeclOpen,
    /// `<![`: a conditional section.
    CondSect,
    Space,
    Name,
    /// `#NAME` (#PCDATA, #IMPLIED, ...).
    PoundName,
    Literal,
    OpenBracket,
    CloseBracket,
    DeclClose,
    OpenParen,
    /// `)` with its quantifier, if any.
    CloseParen,
    Or,
    Comma,
    /// `%` followed by white space (a parameter entity declaration).
    Percent,
    PeRef,
    /// `<` starting the root element.
    InstanceStart,
    /// `]]>`: the end of a conditional section.
    CondSectClose,
    /// A name token that is not a name (starts with a digit, '-', '.').
    Nmtoken,
}

/// A token ending at `j` that may only be followed by one of `follow`
/// (or white space); anything else there is not well-formed, as in expat.
fn followed(s: &[u8], j: usize, tok: PTok, follow: &[u8], final_: bool) -> Scan<PTok> {
    match s.get(j) {
        None if final_ => Ok((tok, j)),
        None => Err(Stop::Partial),
        Some(&b) if is_space(b) || follow.contains(&b) => Ok((tok, j)),
        Some(_) => {
            char_at(s, j)?;
            Err(Stop::Error(INVALID_TOKEN, j))
        }
    }
}

/// A name, or a ')', with its optional quantifier.
fn quantified(s: &[u8], j: usize, tok: PTok, final_: bool) -> Scan<PTok> {
    match s.get(j) {
        Some(b'?' | b'*' | b'+') => Ok((tok, j + 1)),
        _ if tok == PTok::CloseParen => followed(s, j, tok, b">,|)", final_),
        _ => followed(s, j, tok, b">)|,[%", final_),
    }
}

/// The next prolog token at the start of `s` (not empty). `final_` lets a
/// name or white space end at the end of the input.
pub fn prolog_token(s: &[u8], final_: bool, ns: bool) -> Scan<PTok> {
    match s[0] {
        b'<' => match s.get(1) {
            None => Err(Stop::Partial),
            Some(b'?') => {
                let ((t, _), n) = pi(s, ns)?;
                if &s[t.0..t.1] == b"xml" {
                    Ok((PTok::XmlDecl, n))
                } else {
                    Ok((PTok::Pi, n))
                }
            }
            Some(b'!') => match s.get(2) {
                None => Err(Stop::Partial),
                Some(b'-') => comment(s).map(|(_, n)| (PTok::Comment, n)),
                Some(b'[') => Ok((PTok::CondSect, 3)),
                Some(_) => {
                    // `<!` and a keyword in capitals, then white space.
                    let mut e = 2;
                    while e < s.len() && (s[e].is_ascii_alphabetic() || s[e] == b'_' || (s[e] == b':' && !ns)) {
                        e += 1;
                    }
                    if e == 2 {
                        char_at(s, 2)?;
                        return Err(Stop::Error(INVALID_TOKEN, 2));
                    }
                    // A '%' may follow if a name does ("<!ENTITY%name").
                    if s.get(e) == Some(&b'%') {
                        return match s.get(e + 1) {
                            None => Err(Stop::Partial),
                            Some(&b) if is_space(b) || b == b'%' => Err(Stop::Error(INVALID_TOKEN, e)),
                            Some(_) => Ok((PTok::DeclOpen, e)),
                        };
                    }
                    followed(s, e, PTok::DeclOpen, b"", false)
                }
            },
            // As expat: any non-ASCII character may start the root element
            // here (the tag's tokenizer judges it).
            Some(&b) if b >= 0x80 => Ok((PTok::InstanceStart, 1)),
            Some(_) => match char_at(s, 1)? {
                Some((c, _)) if is_name_start(c) && !(ns && c == ':') => Ok((PTok::InstanceStart, 1)),
                _ => Err(Stop::Error(INVALID_TOKEN, 1)),
            },
        },
        b if is_space(b) => {
            let mut j = 0;
            while j < s.len() && is_space(s[j]) {
                j += 1;
            }
            // A CR at the end may start a CR LF: keep it for the next call.
            if j == s.len() && s[j - 1] == b'\r' && !final_ && j > 1 {
                j -= 1;
            }
            Ok((PTok::Space, j))
        }
        b'"' | b'\'' => {
            let n = quoted_end(s, 0, false, false)?;
            followed(s, n, PTok::Literal, b">%[", final_)
        }
        b'[' => Ok((PTok::OpenBracket, 1)),
        b']' => match (s.get(1), s.get(2)) {
            (Some(b']'), Some(b'>')) => Ok((PTok::CondSectClose, 3)),
            (Some(b']'), None) | (None, _) if !final_ => Err(Stop::Partial),
            _ => Ok((PTok::CloseBracket, 1)),
        },
        b'>' => Ok((PTok::DeclClose, 1)),
        b'(' => Ok((PTok::OpenParen, 1)),
        b')' => quantified(s, 1, PTok::CloseParen, final_),
        b'|' => Ok((PTok::Or, 1)),
        b',' => Ok((PTok::Comma, 1)),
        b'%' => match s.get(1) {
            None => Err(Stop::Partial),
            Some(&b) if is_space(b) || b == b'%' => Ok((PTok::Percent, 1)),
            Some(_) => {
                let e = ref_end(s, 0, false)?;
                Ok((PTok::PeRef, e))
            }
        },
        b'#' => {
            let mut e = name_end(s, 1)?;
            if ns {
                // With namespaces, a colon ends the name (and is refused).
                e = s[1..e].iter().position(|&b| b == b':').map_or(e, |k| 1 + k);
            }
            followed(s, e, PTok::PoundName, b")>%|", false)
        }
        _ => match char_at(s, 0)? {
            Some((c, _)) if is_name_start(c) => {
                // With namespaces, a leading colon makes no name.
                let kind = if ns && c == ':' { PTok::Nmtoken } else { PTok::Name };
                match name_end(s, 0) {
                    Ok(e) => quantified(s, e, kind, final_),
                    Err(Stop::Partial) if final_ => Ok((kind, s.len())),
                    Err(e) => Err(e),
                }
            }
            // A name token not starting as a name (enumerated values: "(1|2)").
            Some((c, _)) if is_name_char(c) => {
                let mut j = 0;
                loop {
                    match char_at(s, j)? {
                        Some((c, n)) if is_name_char(c) => j += n,
                        Some(_) => return quantified(s, j, PTok::Nmtoken, final_),
                        None if final_ => return Ok((PTok::Nmtoken, j)),
                        None => return Err(Stop::Partial),
                    }
                }
            }
            _ => Err(Stop::Error(INVALID_TOKEN, 0)),
        },
    }
}
