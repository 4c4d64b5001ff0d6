//! Character-level helpers of the XML tokenizers: UTF-8 decoding of the
//! internal buffer, XML's character classes, and position counting the way
//! expat counts (columns in characters, CR LF one line break).

/// Why a token could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The input ends inside the token: more data may complete it.
    Partial,
    /// The input ends inside a multi-byte character.
    PartialChar,
    /// A well-formedness error (expat's code) at this offset from the token's start.
    Error(u32, usize),
}

pub type Scan<T> = Result<(T, usize), Stop>;

pub const INVALID_TOKEN: u32 = 4;

/// The character at `s[i..]` and its length in bytes: `Ok(None)` at the
/// end of `s`, `Err(PartialChar)` for a truncated sequence, an invalid
/// token error for bytes that are not UTF-8 or not XML characters.
pub fn char_at(s: &[u8], i: usize) -> Result<Option<(char, usize)>, Stop> {
    let Some(&b) = s.get(i) else { return Ok(None) };
    if b < 0x80 {
        let c = b as char;
        if b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') {
            return Err(Stop::Error(INVALID_TOKEN, i));
        }
        return Ok(Some((c, 1)));
    }
    let n = match b {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return Err(Stop::Error(INVALID_TOKEN, i)),
    };
    if s.len() < i + n {
        // Check the continuation bytes we do have.
        if s[i + 1..].iter().any(|&c| c & 0xC0 != 0x80) {
            return Err(Stop::Error(INVALID_TOKEN, i));
        }
        return Err(Stop::PartialChar);
    }
    match std::str::from_utf8(&s[i..i + n]) {
        Ok(t) => {
            let c = t.chars().next().unwrap_or('\u{FFFF}');
            if is_xml_char(c) {
                Ok(Some((c, n)))
            } else {
                Err(Stop::Error(INVALID_TOKEN, i))
            }
        }
        Err(_) => Err(Stop::Error(INVALID_TOKEN, i)),
    }
}

pub fn is_xml_char(c: char) -> bool {
    matches!(c as u32, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// XML's name characters, approximately as expat knows them (the 4th
/// edition's: nothing outside the BMP, nor CJK extension A, nor the end of
/// the Hangul block).
pub fn is_name_start(c: char) -> bool {
    if matches!(c as u32, 0x3400..=0x4DBF | 0xD7A4..=0xD7FF | 0x10000..) {
        return false;
    }
    if (0x2070..=0x218F).contains(&(c as u32)) {
        // Letter-like symbols: only these were letters then.
        return matches!(c as u32, 0x2126 | 0x212A | 0x212B | 0x212E | 0x2180..=0x2182);
    }
    matches!(c as u32,
        0x3A | 0x41..=0x5A | 0x5F | 0x61..=0x7A | 0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x2FF
        | 0x370..=0x37D | 0x37F..=0x1FFF | 0x200C..=0x200D | 0x2070..=0x218F | 0x2C00..=0x2FEF
        | 0x3001..=0xD7FF | 0xF900..=0xFDCF | 0xFDF0..=0xFFFD | 0x10000..=0xEFFFF)
}

pub fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c as u32, 0x2D | 0x2E | 0x30..=0x39 | 0xB7 | 0x300..=0x36F | 0x203F..=0x2040)
}

/// Reads a name starting at `s[i]`: its end, `Err(Partial)` when the input
/// ends inside it, an invalid token error when `s[i]` cannot start a name.
pub fn name_end(s: &[u8], i: usize) -> Result<usize, Stop> {
    match char_at(s, i)? {
        None => return Err(Stop::Partial),
        Some((c, _)) if !is_name_start(c) => return Err(Stop::Error(INVALID_TOKEN, i)),
        _ => {}
    }
    let mut j = i;
    loop {
        match char_at(s, j)? {
            None => return Err(Stop::Partial),
            Some((c, n)) if is_name_char(c) => j += n,
            Some(_) => return Ok(j),
        }
    }
}

/// Skips XML white space from `i`.
pub fn skip_space(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && is_space(s[i]) {
        i += 1;
    }
    i
}

/// Where the text `s` ends, given where it starts: (line, column), with
/// CR LF, CR and LF each one line break and columns counted in characters.
/// `prev_cr` says the byte before `s` was a CR (so a leading LF is part of it).
pub fn advance(mut line: u64, mut col: u64, mut prev_cr: bool, s: &[u8]) -> (u64, u64, bool) {
    for &b in s {
        match b {
            b'\n' if prev_cr => prev_cr = false,
            b'\n' => {
                line += 1;
                col = 0;
            }
            b'\r' => {
                line += 1;
                col = 0;
                prev_cr = true;
            }
            _ => {
                prev_cr = false;
                if b & 0xC0 != 0x80 {
                    col += 1;
                }
            }
        }
    }
    (line, col, prev_cr)
}

/// A character reference's text between "&#" and ";" (without them).
pub fn char_ref_value(digits: &[u8]) -> Option<char> {
    let (radix, d) = match digits.first() {
        Some(b'x') => (16, &digits[1..]),
        _ => (10, digits),
    };
    if d.is_empty() {
        return None;
    }
    let mut v: u32 = 0;
    for &b in d {
        let x = (b as char).to_digit(radix)?;
        v = v.checked_mul(radix)?.checked_add(x)?;
        if v > 0x10FFFF {
            return None;
        }
    }
    char::from_u32(v).filter(|c| is_xml_char(*c))
}

/// Lossless text of bytes known to be UTF-8 (tokens are checked as read).
pub fn text(s: &[u8]) -> String {
    String::from_utf8_lossy(s).into_owned()
}
