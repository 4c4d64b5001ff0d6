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
}

fn quantified(s: &[u8], j: usize, tok: PTok) -> Scan<PTok> {
    match s.get(j) {
        None => Err(Stop::Partial),
        Some(b'?' | b'*' | b'+') => Ok((tok, j + 1)),
        // What may follow a name in the prolog; anything else is not well-formed.
        Some(&b) if is_space(b) || b">)|,[]%/\"'".contains(&b) => Ok((tok, j)),
        Some(_) if tok == PTok::CloseParen => Ok((tok, j)),
        Some(_) => {
            char_at(s, j)?;
            Err(Stop::Error(INVALID_TOKEN, j))
        }
    }
}

/// The next prolog token at the start of `s` (not empty). `final_` lets a
/// name or white space end at the end of the input.
pub fn prolog_token(s: &[u8], final_: bool) -> Scan<PTok> {
    let at_end = |r: Scan<PTok>, n: usize, tok: PTok| match r {
        Err(Stop::Partial) if final_ => Ok((tok, n)),
        r => r,
    };
    match s[0] {
        b'<' => match s.get(1) {
            None => Err(Stop::Partial),
            Some(b'?') => {
                let ((t, _), n) = pi(s)?;
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
                    let e = name_end(s, 2)?;
                    Ok((PTok::DeclOpen, e))
                }
            },
            Some(_) => match char_at(s, 1)? {
                Some((c, _)) if is_name_start(c) => Ok((PTok::InstanceStart, 1)),
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
        b'"' | b'\'' => quoted_end(s, 0, false).map(|n| (PTok::Literal, n)),
        b'[' => Ok((PTok::OpenBracket, 1)),
        b']' => Ok((PTok::CloseBracket, 1)),
        b'>' => Ok((PTok::DeclClose, 1)),
        b'(' => Ok((PTok::OpenParen, 1)),
        b')' => at_end(quantified(s, 1, PTok::CloseParen), 1, PTok::CloseParen),
        b'|' => Ok((PTok::Or, 1)),
        b',' => Ok((PTok::Comma, 1)),
        b'%' => match s.get(1) {
            None => Err(Stop::Partial),
            Some(&b) if is_space(b) => Ok((PTok::Percent, 1)),
            Some(_) => {
                let e = ref_end(s, 0)?;
                Ok((PTok::PeRef, e))
            }
        },
        b'#' => match name_end(s, 1) {
            Ok(e) => Ok((PTok::PoundName, e)),
            Err(Stop::Partial) if final_ => Ok((PTok::PoundName, s.len())),
            Err(e) => Err(e),
        },
        _ => match char_at(s, 0)? {
            Some((c, _)) if is_name_start(c) => match name_end(s, 0) {
                Ok(e) => at_end(quantified(s, e, PTok::Name), e, PTok::Name),
                Err(Stop::Partial) if final_ => Ok((PTok::Name, s.len())),
                Err(e) => Err(e),
            },
            // A name token not starting as a name (enumerated values: "(1|2)").
            Some((c, _)) if is_name_char(c) => {
                let mut j = 0;
                loop {
                    match char_at(s, j)? {
                        Some((c, n)) if is_name_char(c) => j += n,
                        Some(_) => return quantified(s, j, PTok::Name),
                        None if final_ => return Ok((PTok::Name, j)),
                        None => return Err(Stop::Partial),
                    }
                }
            }
            _ => Err(Stop::Error(INVALID_TOKEN, 0)),
        },
    }
}
