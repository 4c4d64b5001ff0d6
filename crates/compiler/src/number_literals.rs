//! Malformed number literals (`0xI`, `0o9`, `1e+x`, `1_`, `0b2`), found and
//! located as CPython's tokenizer reports them.

/// A number-literal error: the message and the byte index of the tokenizer's
/// position when it gave up (CPython's `offset` is that position's column, 0-based).
pub struct NumberError {
    pub msg: String,
    pub at: usize,
    /// Where the literal starts.
    pub start: usize,
}

/// The first malformed number literal in `source` outside strings and
/// comments, if any. Literals this does not judge (leading zeros) end the
/// search: the parser's own error covers them.
pub fn first_number_error(source: &str) -> Option<NumberError> {
    let b = source.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'#' {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'\'' || c == b'"' {
            i = skip_string(b, i);
        } else if is_ident_char(c) && !c.is_ascii_digit() {
            while i < b.len() && is_ident_char(b[i]) {
                i += 1;
            }
        } else if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(|d| d.is_ascii_digit())) {
            match number(b, i) {
                Ok(Some(end)) => i = end.max(i + 1),
                Ok(None) => return None,
                Err(e) => return Some(NumberError { start: i, ..e }),
            }
        } else {
            i += 1;
        }
    }
    None
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

fn at(b: &[u8], j: usize) -> u8 {
    b.get(j).copied().unwrap_or(0)
}

/// The index just past the string literal whose opening quote is at `i`.
fn skip_string(b: &[u8], i: usize) -> usize {
    let q = b[i];
    let triple = at(b, i + 1) == q && at(b, i + 2) == q;
    let mut j = if triple { i + 3 } else { i + 1 };
    while j < b.len() {
        let d = b[j];
        if d == b'\\' {
            j += 2;
            continue;
        }
        if triple {
            if d == q && at(b, j + 1) == q && at(b, j + 2) == q {
                return j + 3;
            }
        } else if d == q {
            return j + 1;
        } else if d == b'\n' {
            return j;
        }
        j += 1;
    }
    b.len()
}

fn err(msg: impl Into<String>, at: usize) -> NumberError {
    NumberError { msg: msg.into(), at, start: 0 }
}

/// Scans the number starting at `i`: Ok(Some(end)) when well formed,
/// Ok(None) for a literal left to the parser, Err for a malformed one.
fn number(b: &[u8], i: usize) -> Result<Option<usize>, NumberError> {
    if b[i] == b'.' {
        return fraction(b, i + 1).map(Some);
    }
    if b[i] == b'0' {
        let (kind, radix) = match at(b, i + 1) {
            b'x' | b'X' => ("hexadecimal", 16),
            b'o' | b'O' => ("octal", 8),
            b'b' | b'B' => ("binary", 2),
            _ => return zero_prefixed(b, i + 1),
        };
        return prefixed(b, i + 2, kind, radix).map(Some);
    }
    let j = decimal_tail(b, i)?;
    after_integer(b, j).map(Some)
}

/// Digits after `0x`/`0o`/`0b`, with single underscores between them.
fn prefixed(b: &[u8], mut j: usize, kind: &str, radix: u32) -> Result<usize, NumberError> {
    let in_radix = |c: u8| (c as char).is_digit(radix);
    loop {
        if at(b, j) == b'_' {
            j += 1;
        }
        let c = at(b, j);
        if !in_radix(c) {
            if radix < 10 && c.is_ascii_digit() {
                return Err(err(format!("invalid digit '{}' in {kind} literal", c as char), j + 1));
            }
            return Err(err(format!("invalid {kind} literal"), j));
        }
        while in_radix(at(b, j)) {
            j += 1;
        }
        if at(b, j) != b'_' {
            break;
        }
    }
    let c = at(b, j);
    if radix < 10 && c.is_ascii_digit() {
        return Err(err(format!("invalid digit '{}' in {kind} literal", c as char), j + 1));
    }
    verify_end(b, j, kind)
}

/// `0`, `00`, `0_0`, `0.5`, `0e1`, `0j`; other digits after zeros are the
/// parser's "leading zeros" error.
fn zero_prefixed(b: &[u8], mut j: usize) -> Result<Option<usize>, NumberError> {
    loop {
        if at(b, j) == b'_' {
            j += 1;
            if !at(b, j).is_ascii_digit() {
                return Err(err("invalid decimal literal", j));
            }
        }
        if at(b, j) != b'0' {
            break;
        }
        j += 1;
    }
    if at(b, j).is_ascii_digit() {
        return Ok(None);
    }
    after_integer(b, j).map(Some)
}

/// Digits with single underscores between them, from `j`; returns the end.
fn decimal_tail(b: &[u8], mut j: usize) -> Result<usize, NumberError> {
    loop {
        while at(b, j).is_ascii_digit() {
            j += 1;
        }
        if at(b, j) != b'_' {
            return Ok(j);
        }
        j += 1;
        if !at(b, j).is_ascii_digit() {
            return Err(err("invalid decimal literal", j));
        }
    }
}

/// What may follow a decimal integer part: a fraction, an exponent, `j`.
fn after_integer(b: &[u8], j: usize) -> Result<usize, NumberError> {
    match at(b, j) {
        b'.' => fraction(b, j + 1),
        b'e' | b'E' => exponent(b, j),
        b'j' | b'J' => verify_end(b, j + 1, "imaginary"),
        _ => verify_end(b, j, "decimal"),
    }
}

/// After the `.` of a float.
fn fraction(b: &[u8], mut j: usize) -> Result<usize, NumberError> {
    if at(b, j).is_ascii_digit() {
        j = decimal_tail(b, j)?;
    }
    match at(b, j) {
        b'e' | b'E' => exponent(b, j),
        b'j' | b'J' => verify_end(b, j + 1, "imaginary"),
        _ => verify_end(b, j, "decimal"),
    }
}

/// From the `e` of an exponent.
fn exponent(b: &[u8], e: usize) -> Result<usize, NumberError> {
    let mut j = e + 1;
    if matches!(at(b, j), b'+' | b'-') {
        j += 1;
        if !at(b, j).is_ascii_digit() {
            return Err(err("invalid decimal literal", j));
        }
    } else if !at(b, j).is_ascii_digit() {
        // `1e` alone: the number ends before the `e`, which then must not
        // start a name (`1else` is allowed).
        verify_end(b, e, "decimal")?;
        return Ok(e);
    }
    j = decimal_tail(b, j)?;
    if matches!(at(b, j), b'j' | b'J') {
        return verify_end(b, j + 1, "imaginary");
    }
    verify_end(b, j, "decimal")
}

/// A number must not run into a name, except the keywords that can follow
/// one in valid code (`1if`, `1or`, `1else`, ...: only a warning in CPython).
fn verify_end(b: &[u8], j: usize, kind: &str) -> Result<usize, NumberError> {
    let rest = &b[j.min(b.len())..];
    let keyword = match at(b, j) {
        b'a' => rest.starts_with(b"and"),
        b'e' => rest.starts_with(b"else"),
        b'f' => rest.starts_with(b"for"),
        b'i' => matches!(at(b, j + 1), b'f' | b'n' | b's'),
        b'o' => rest.starts_with(b"or"),
        b'n' => rest.starts_with(b"not"),
        _ => false,
    };
    if !keyword && j < b.len() && is_ident_char(b[j]) {
        return Err(err(format!("invalid {kind} literal"), j));
    }
    Ok(j)
}
