//! Turning the bytes given to `Parse` into the UTF-8 the tokenizers read:
//! the encoding comes from `ParserCreate(encoding=...)`, a byte order mark,
//! the XML declaration, or is UTF-8. Single-byte encodings expat does not
//! know are given as a table built from Python's codecs (as pyexpat does).

#[derive(Debug, Clone)]
pub enum Enc {
    Unknown,
    Utf8,
    Utf16Le,
    Utf16Be,
    /// A single-byte encoding: the character of each byte (None: invalid).
    Table(Box<[Option<char>; 256]>),
}

pub enum Need {
    /// The named encoding must be given as a table (`set_table`).
    Table(String),
}

pub struct Decoder {
    pub enc: Enc,
    /// An encoding named by ParserCreate, taking precedence over the document's.
    pub forced: Option<String>,
    raw: Vec<u8>,
    /// The length of a byte order mark removed (counted in positions).
    pub bom: usize,
}

/// The encoding of a name expat knows itself.
fn builtin(name: &str) -> Option<Enc> {
    let n = name.to_ascii_lowercase().replace('_', "-");
    Some(match n.as_str() {
        "utf-8" | "utf8" => Enc::Utf8,
        "utf-16" => Enc::Unknown,
        "utf-16le" | "utf-16-le" => Enc::Utf16Le,
        "utf-16be" | "utf-16-be" => Enc::Utf16Be,
        "iso-8859-1" | "latin-1" | "latin1" | "iso8859-1" | "l1" => {
            Enc::Table(Box::new(std::array::from_fn(|b| char::from_u32(b as u32))))
        }
        "us-ascii" | "ascii" => Enc::Table(Box::new(std::array::from_fn(|b| if b < 128 { char::from_u32(b as u32) } else { None }))),
        _ => return None,
    })
}

/// The encoding named in an XML declaration at the start of `s`, if the
/// declaration is complete (`Err` while it may still be coming).
fn declared(s: &[u8], final_: bool) -> Result<Option<String>, ()> {
    if !s.starts_with(b"<?xml") {
        if b"<?xml".starts_with(s) && !final_ {
            return Err(());
        }
        return Ok(None);
    }
    let Some(end) = s.windows(2).position(|w| w == b"?>") else {
        return if final_ { Ok(None) } else { Err(()) };
    };
    // A malformed declaration is left for the parser to refuse.
    Ok(super::dtd::read_xml_decl(&s[..end + 2]).ok().and_then(|(_, enc, _)| enc))
}

impl Decoder {
    pub fn new(forced: Option<String>) -> Decoder {
        Decoder { enc: Enc::Unknown, forced, raw: Vec::new(), bom: 0 }
    }

    /// Bytes left that do not make a whole character.
    pub fn pending(&self) -> bool {
        !self.raw.is_empty()
    }

    /// Is the text converted (so that expat reports data in pieces)?
    pub fn converts(&self) -> bool {
        !matches!(self.enc, Enc::Unknown | Enc::Utf8)
    }

    pub fn width(&self) -> super::core::Width {
        use super::core::Width;
        match self.enc {
            Enc::Unknown | Enc::Utf8 => Width::Utf8,
            Enc::Utf16Le | Enc::Utf16Be => Width::Utf16,
            Enc::Table(_) => Width::One,
        }
    }

    pub fn set_table(&mut self, table: [Option<char>; 256]) {
        self.enc = Enc::Table(Box::new(table));
    }

    /// Chooses the encoding from what has arrived; Ok(false) to wait for more.
    fn detect(&mut self, final_: bool) -> Result<bool, Need> {
        let r = &self.raw;
        if r.len() < 4 && !final_ {
            return Ok(false);
        }
        if r.starts_with(&[0xFE, 0xFF]) {
            self.raw.drain(..2);
            self.bom = 2;
            self.enc = Enc::Utf16Be;
            return Ok(true);
        }
        if r.starts_with(&[0xFF, 0xFE]) {
            self.raw.drain(..2);
            self.bom = 2;
            self.enc = Enc::Utf16Le;
            return Ok(true);
        }
        if r.starts_with(&[0xEF, 0xBB, 0xBF]) {
            self.raw.drain(..3);
            self.bom = 3;
            self.enc = Enc::Utf8;
            return Ok(true);
        }
        if r.starts_with(&[b'<', 0, b'?', 0]) {
            self.enc = Enc::Utf16Le;
            return Ok(true);
        }
        if r.starts_with(&[0, b'<', 0, b'?']) {
            self.enc = Enc::Utf16Be;
            return Ok(true);
        }
        if self.forced.is_none() && r.len() >= 2 && (r[0] == 0) != (r[1] == 0) {
            // No declaration can start with a NUL: UTF-16 without a byte order mark.
            self.enc = if r[0] == 0 { Enc::Utf16Be } else { Enc::Utf16Le };
            return Ok(true);
        }
        let name = match &self.forced {
            Some(f) => Some(f.clone()),
            None => match declared(r, final_) {
                Ok(n) => n,
                Err(()) => return Ok(false),
            },
        };
        self.enc = match name {
            None => Enc::Utf8,
            Some(n) => match builtin(&n) {
                Some(Enc::Unknown) => Enc::Utf8,
                Some(e) => e,
                None => return Err(Need::Table(n)),
            },
        };
        Ok(true)
    }

    /// Decodes what can be decoded of the bytes received so far.
    pub fn feed(&mut self, data: &[u8], final_: bool, out: &mut Vec<u8>) -> Result<(), Need> {
        self.raw.extend_from_slice(data);
        if matches!(self.enc, Enc::Unknown) {
            if let Some(f) = self.forced.clone() {
                match builtin(&f) {
                    Some(Enc::Unknown) | None => {}
                    Some(e) => self.enc = e,
                }
            }
        }
        if matches!(self.enc, Enc::Unknown) && !self.detect(final_)? {
            return Ok(());
        }
        let raw = std::mem::take(&mut self.raw);
        let used = match &self.enc {
            Enc::Unknown | Enc::Utf8 => {
                out.extend_from_slice(&raw);
                raw.len()
            }
            Enc::Utf16Le | Enc::Utf16Be => {
                let le = matches!(self.enc, Enc::Utf16Le);
                let units: Vec<u16> = raw
                    .chunks_exact(2)
                    .map(|c| if le { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) })
                    .collect();
                let mut n = units.len();
                // A lead surrogate at the end waits for its pair.
                if n > 0 && (0xD800..0xDC00).contains(&units[n - 1]) && !final_ {
                    n -= 1;
                }
                for r in char::decode_utf16(units[..n].iter().copied()) {
                    let c = r.unwrap_or('\u{FFFF}');
                    let mut b = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
                }
                n * 2
            }
            Enc::Table(t) => {
                for &b in &raw {
                    let c = t[b as usize].unwrap_or('\u{FFFF}');
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                raw.len()
            }
        };
        self.raw = raw[used..].to_vec();
        Ok(())
    }
}
