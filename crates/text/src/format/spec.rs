//! The format-spec mini-language of `format()` / `str.format`:
//! `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`,
//! parsed exactly as CPython 3.11's `parse_internal_render_format_spec`,
//! with the same errors raised at the same points.

use super::error::{FmtResult, FormatError};

/// A parsed format spec.  Alignment and type stay `None` when omitted; the
/// per-type defaults are applied by the formatting functions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatSpec {
    /// Fill character (`' '` unless given, or `'0'` from the `0` flag).
    pub fill: char,
    /// `true` when the fill was given explicitly together with an alignment.
    pub fill_specified: bool,
    /// `<`, `>`, `=` or `^` when given explicitly.
    pub align: Option<char>,
    /// `true` when the `0` flag set the fill (it then implies `=` alignment
    /// for numbers when no alignment was given).
    pub zero_flag: bool,
    /// `+`, `-` or `' '`.
    pub sign: Option<char>,
    /// The `z` flag (coerce negative zero to positive zero; floats only).
    pub no_neg_0: bool,
    /// The `#` flag.
    pub alternate: bool,
    pub width: Option<usize>,
    /// `','` or `'_'`.
    pub grouping: Option<char>,
    pub precision: Option<usize>,
    /// The presentation type, or the `default_type` given to the parser.
    pub ty: Option<char>,
}

impl FormatSpec {
    /// Effective alignment for a type whose default alignment is `default`
    /// (`'>'` for numbers, `'<'` for str).
    pub fn align_or(&self, default: char) -> char {
        match self.align {
            Some(a) => a,
            None if self.zero_flag && default == '>' => '=',
            None => default,
        }
    }
}

fn is_align(c: char) -> bool {
    matches!(c, '<' | '>' | '=' | '^')
}

/// Unicode decimal digit value (`Py_UNICODE_TODECIMAL`).
fn decimal(c: char) -> Option<u32> {
    if c.is_ascii_digit() {
        Some(c as u32 - '0' as u32)
    } else if c.is_ascii() {
        None
    } else {
        crate::unicode::decimal_value(c)
    }
}

/// Reads a run of decimal digits; `Ok(None)` when there are none.
fn get_integer(chars: &[char], pos: &mut usize) -> FmtResult<Option<usize>> {
    let start = *pos;
    let mut acc: usize = 0;
    while let Some(v) = chars.get(*pos).and_then(|&c| decimal(c)) {
        let v = v as usize;
        if acc > (isize::MAX as usize - v) / 10 {
            return Err(FormatError::value("Too many decimal digits in format string"));
        }
        acc = acc * 10 + v;
        *pos += 1;
    }
    Ok(if *pos == start { None } else { Some(acc) })
}

/// `"Unknown format code 'x' for object of type 'T'"` (with `\x..` escapes
/// for non-printable-ASCII codes, as CPython does).
pub fn unknown_format_code(code: char, type_name: &str) -> FormatError {
    let c = code as u32;
    if c > 32 && c < 128 {
        FormatError::value(format!("Unknown format code '{}' for object of type '{}'", code, type_name))
    } else {
        FormatError::value(format!("Unknown format code '\\x{:x}' for object of type '{}'", c, type_name))
    }
}

fn invalid_separator(sep: char, ty: Option<char>) -> FormatError {
    let c = ty.map(|c| c as u32).unwrap_or(0);
    if c > 32 && c < 128 {
        FormatError::value(format!("Cannot specify '{}' with '{}'.", sep, ty.unwrap_or('\0')))
    } else {
        FormatError::value(format!("Cannot specify '{}' with '\\x{:x}'.", sep, c))
    }
}

/// Parses a format spec.
///
/// `default_type` is the presentation type used when none is given (`'d'`
/// for int, `None` for float/complex, `'s'` for str); it matters for the
/// grouping checks.  `type_name` (e.g. `"int"`) only appears in the
/// "Invalid format specifier" message.  The empty spec is valid here, but
/// note CPython defines `format(x, '')` as `str(x)`, which the caller handles.
pub fn parse_format_spec(spec: &str, default_type: Option<char>, type_name: &str) -> FmtResult<FormatSpec> {
    let chars: Vec<char> = spec.chars().collect();
    let end = chars.len();
    let mut pos = 0usize;
    let mut f = FormatSpec {
        fill: ' ',
        fill_specified: false,
        align: None,
        zero_flag: false,
        sign: None,
        no_neg_0: false,
        alternate: false,
        width: None,
        grouping: None,
        precision: None,
        ty: default_type,
    };
    if end >= 2 && is_align(chars[1]) {
        f.align = Some(chars[1]);
        f.fill = chars[0];
        f.fill_specified = true;
        pos = 2;
    } else if end >= 1 && is_align(chars[0]) {
        f.align = Some(chars[0]);
        pos = 1;
    }
    if pos < end && matches!(chars[pos], '+' | '-' | ' ') {
        f.sign = Some(chars[pos]);
        pos += 1;
    }
    if pos < end && chars[pos] == 'z' {
        f.no_neg_0 = true;
        pos += 1;
    }
    if pos < end && chars[pos] == '#' {
        f.alternate = true;
        pos += 1;
    }
    if !f.fill_specified && pos < end && chars[pos] == '0' {
        f.fill = '0';
        f.zero_flag = true;
        pos += 1;
    }
    f.width = get_integer(&chars, &mut pos)?;
    if pos < end && chars[pos] == ',' {
        f.grouping = Some(',');
        pos += 1;
    }
    if pos < end && chars[pos] == '_' {
        if f.grouping.is_some() {
            return Err(FormatError::value("Cannot specify both ',' and '_'."));
        }
        f.grouping = Some('_');
        pos += 1;
    }
    if pos < end && chars[pos] == ',' && f.grouping == Some('_') {
        return Err(FormatError::value("Cannot specify both ',' and '_'."));
    }
    if pos < end && chars[pos] == '.' {
        pos += 1;
        match get_integer(&chars, &mut pos)? {
            Some(p) => f.precision = Some(p),
            None => return Err(FormatError::value("Format specifier missing precision")),
        }
    }
    if end - pos > 1 {
        return Err(FormatError::value(format!(
            "Invalid format specifier '{}' for object of type '{}'",
            spec, type_name
        )));
    }
    if end - pos == 1 {
        f.ty = Some(chars[pos]);
    }
    if let Some(sep) = f.grouping {
        match f.ty {
            None | Some('d' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F') => {}
            Some('b' | 'o' | 'x' | 'X') if sep == '_' => {}
            _ => return Err(invalid_separator(sep, f.ty)),
        }
    }
    Ok(f)
}

/// Group size used for a grouping char and presentation type.
pub(crate) fn group_size(f: &FormatSpec) -> Option<(char, usize)> {
    f.grouping.map(|sep| {
        let four = sep == '_' && matches!(f.ty, Some('b' | 'o' | 'x' | 'X'));
        (sep, if four { 4 } else { 3 })
    })
}
