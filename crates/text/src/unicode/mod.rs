//! Unicode 14.0 properties as CPython 3.11 sees them.
//!
//! Rust's `char` predicates disagree with Python's on thousands of code
//! points, so everything here is driven by tables generated from CPython's own
//! `str` methods and `unicodedata` (`tools/gen_unicode_tables.py` writes
//! `tables.rs` and `test_data.rs`; never edit those by hand).
//!
//! * per-char predicates matching `str.isalpha()` & co. on one-char strings,
//!   plus the case properties CPython's `unicodectype.c` uses internally
//!   (`is_cased`, `is_case_ignorable`);
//! * str-level helpers with CPython's exact algorithms (`str_lower`, `str_title`,
//!   `str_istitle`, ..., including the Final_Sigma rule);
//! * numeric values (`unicodedata.decimal/digit/numeric`);
//! * the general category;
//! * `repr()` / `ascii()` of str.
//!
//! The public API is `char`-based.  CPython strings may hold lone surrogates,
//! which `char` cannot; the [`cp`] module offers the same predicates on raw
//! `u32` code points (surrogates included) and [`repr_code_points`] renders
//! any code-point sequence, so a surrogate-capable str type can use them.

#[rustfmt::skip]
mod tables;
#[rustfmt::skip]
mod ucd_tables;
pub mod names;
pub mod ucd;
#[cfg(test)]
mod ucd_tests;

#[cfg(test)]
#[rustfmt::skip]
mod test_data;
#[cfg(test)]
mod tests;

use tables::TypeRecord;

static EMPTY_RECORD: TypeRecord = TypeRecord {
    flags: 0,
    lower: 0,
    upper: 0,
    title: 0,
    fold: 0,
    decimal: 0xFF,
    digit: 0xFF,
    numeric: 0xFFFF,
};

#[inline]
fn record(cp: u32) -> &'static TypeRecord {
    if cp > 0x10FFFF {
        return &EMPTY_RECORD;
    }
    let mask = (1u32 << tables::TYPE_SHIFT) - 1;
    let block = tables::TYPE_INDEX1
        .get((cp >> tables::TYPE_SHIFT) as usize)
        .copied()
        .unwrap_or(0) as usize;
    let idx = tables::TYPE_INDEX2
        .get((block << tables::TYPE_SHIFT) | (cp & mask) as usize)
        .copied()
        .unwrap_or(0) as usize;
    tables::TYPE_RECORDS.get(idx).unwrap_or(&EMPTY_RECORD)
}

#[inline]
fn flags(cp: u32) -> u32 {
    if cp < 0x80 {
        tables::ASCII_FLAGS.get(cp as usize).copied().unwrap_or(0)
    } else {
        record(cp).flags
    }
}

#[inline]
fn has(cp: u32, flag: u32) -> bool {
    flags(cp) & flag != 0
}

/// Predicates and properties on raw code points (`u32`), which may be lone
/// surrogates (`0xD800..=0xDFFF`) as CPython strings allow.  Values above
/// `0x10FFFF` have no properties (category "Cn").
pub mod cp {
    use super::{has, record, tables};
    use tables::*;

    /// `str.isalpha()` of a one-char string.
    pub fn is_alpha(cp: u32) -> bool {
        has(cp, ALPHA)
    }
    /// `str.isdecimal()` of a one-char string.
    pub fn is_decimal(cp: u32) -> bool {
        has(cp, DECIMAL)
    }
    /// `str.isdigit()` of a one-char string.
    pub fn is_digit(cp: u32) -> bool {
        has(cp, DIGIT)
    }
    /// `str.isnumeric()` of a one-char string.
    pub fn is_numeric(cp: u32) -> bool {
        has(cp, NUMERIC)
    }
    /// `str.isalnum()` of a one-char string.
    pub fn is_alnum(cp: u32) -> bool {
        has(cp, ALPHA | DECIMAL | DIGIT | NUMERIC)
    }
    /// `str.isspace()` of a one-char string (also what `str.split()` splits on).
    pub fn is_space(cp: u32) -> bool {
        has(cp, SPACE)
    }
    /// `str.isprintable()` of a one-char string.
    pub fn is_printable(cp: u32) -> bool {
        has(cp, PRINTABLE)
    }
    /// Unicode `Lowercase` (CPython's `Py_UNICODE_ISLOWER`).
    pub fn is_lowercase(cp: u32) -> bool {
        has(cp, LOWER)
    }
    /// Unicode `Uppercase` (CPython's `Py_UNICODE_ISUPPER`).
    pub fn is_uppercase(cp: u32) -> bool {
        has(cp, UPPER)
    }
    /// General category `Lt` (CPython's `Py_UNICODE_ISTITLE`).
    pub fn is_titlecase(cp: u32) -> bool {
        has(cp, TITLE)
    }
    /// Unicode `Cased` (CPython's `_PyUnicode_IsCased`).
    pub fn is_cased(cp: u32) -> bool {
        has(cp, CASED)
    }
    /// Unicode `Case_Ignorable` (CPython's `_PyUnicode_IsCaseIgnorable`).
    pub fn is_case_ignorable(cp: u32) -> bool {
        has(cp, CASE_IGNORABLE)
    }
    /// Unicode `XID_Start` (note: `_` is not XID_Start).
    pub fn is_xid_start(cp: u32) -> bool {
        has(cp, XID_START)
    }
    /// Unicode `XID_Continue`.
    pub fn is_xid_continue(cp: u32) -> bool {
        has(cp, XID_CONTINUE)
    }
    /// Line boundary for `str.splitlines()`.
    pub fn is_linebreak(cp: u32) -> bool {
        has(cp, LINEBREAK)
    }
    /// `unicodedata.decimal(c)`.
    pub fn decimal_value(cp: u32) -> Option<u32> {
        let d = record(cp).decimal;
        (d != 0xFF).then_some(d as u32)
    }
    /// `unicodedata.digit(c)`.
    pub fn digit_value(cp: u32) -> Option<u32> {
        let d = record(cp).digit;
        (d != 0xFF).then_some(d as u32)
    }
    /// `unicodedata.numeric(c)` (bit-identical to CPython's double).
    pub fn numeric_value(cp: u32) -> Option<f64> {
        let i = record(cp).numeric;
        NUMERIC_VALUES
            .get(i as usize)
            .map(|&(n, d)| n as f64 / d as f64)
    }
    /// `unicodedata.category(c)`: the two-letter general category.
    pub fn category(cp: u32) -> &'static str {
        if cp > 0x10FFFF {
            return "Cn";
        }
        let mask = (1u32 << CATEGORY_SHIFT) - 1;
        let block = CATEGORY_INDEX1
            .get((cp >> CATEGORY_SHIFT) as usize)
            .copied()
            .unwrap_or(0) as usize;
        let idx = CATEGORY_INDEX2
            .get((block << CATEGORY_SHIFT) | (cp & mask) as usize)
            .copied()
            .unwrap_or(0) as usize;
        CATEGORY_NAMES.get(idx).copied().unwrap_or("Cn")
    }
}

// ---------------------------------------------------------------- predicates

/// `str.isalpha()` of a one-char string.
#[inline]
pub fn is_alpha(c: char) -> bool {
    cp::is_alpha(c as u32)
}
/// `str.isdecimal()` of a one-char string.
#[inline]
pub fn is_decimal(c: char) -> bool {
    cp::is_decimal(c as u32)
}
/// `str.isdigit()` of a one-char string.
#[inline]
pub fn is_digit(c: char) -> bool {
    cp::is_digit(c as u32)
}
/// `str.isnumeric()` of a one-char string.
#[inline]
pub fn is_numeric(c: char) -> bool {
    cp::is_numeric(c as u32)
}
/// `str.isalnum()` of a one-char string (alpha || decimal || digit || numeric).
#[inline]
pub fn is_alnum(c: char) -> bool {
    cp::is_alnum(c as u32)
}
/// `str.isspace()` of a one-char string.
#[inline]
pub fn is_space(c: char) -> bool {
    cp::is_space(c as u32)
}
/// Whitespace as `str.split()` / `str.strip()` use it (same as [`is_space`]).
#[inline]
pub fn is_whitespace(c: char) -> bool {
    cp::is_space(c as u32)
}
/// `str.isprintable()` of a one-char string; decides escaping in `repr()`.
#[inline]
pub fn is_printable(c: char) -> bool {
    cp::is_printable(c as u32)
}
/// Unicode `Lowercase` (`'a'.islower()` per char).
#[inline]
pub fn is_lowercase(c: char) -> bool {
    cp::is_lowercase(c as u32)
}
/// Unicode `Uppercase` (`'A'.isupper()` per char).
#[inline]
pub fn is_uppercase(c: char) -> bool {
    cp::is_uppercase(c as u32)
}
/// General category `Lt` (titlecase letter such as 'ǅ').
#[inline]
pub fn is_titlecase(c: char) -> bool {
    cp::is_titlecase(c as u32)
}
/// Unicode `Cased`.
#[inline]
pub fn is_cased(c: char) -> bool {
    cp::is_cased(c as u32)
}
/// Unicode `Case_Ignorable`.
#[inline]
pub fn is_case_ignorable(c: char) -> bool {
    cp::is_case_ignorable(c as u32)
}
/// Unicode `XID_Start`.
#[inline]
pub fn is_xid_start(c: char) -> bool {
    cp::is_xid_start(c as u32)
}
/// Unicode `XID_Continue`.
#[inline]
pub fn is_xid_continue(c: char) -> bool {
    cp::is_xid_continue(c as u32)
}
/// Line boundary for `str.splitlines()`:
/// `\n \r \x0b \x0c \x1c \x1d \x1e \x85 \u2028 \u2029`.
#[inline]
pub fn is_linebreak(c: char) -> bool {
    cp::is_linebreak(c as u32)
}
/// `unicodedata.decimal(c)`; `Some` exactly when `c.isdecimal()`.
#[inline]
pub fn decimal_value(c: char) -> Option<u32> {
    if c.is_ascii_digit() {
        return Some(c as u32 - '0' as u32);
    }
    cp::decimal_value(c as u32)
}
/// `unicodedata.digit(c)`; `Some` exactly when `c.isdigit()`.
#[inline]
pub fn digit_value(c: char) -> Option<u32> {
    if c.is_ascii_digit() {
        return Some(c as u32 - '0' as u32);
    }
    cp::digit_value(c as u32)
}
/// `unicodedata.numeric(c)`; `Some` exactly when `c.isnumeric()`.
#[inline]
pub fn numeric_value(c: char) -> Option<f64> {
    if c.is_ascii_digit() {
        return Some((c as u32 - '0' as u32) as f64);
    }
    cp::numeric_value(c as u32)
}
/// `unicodedata.category(c)`.
#[inline]
pub fn category(c: char) -> &'static str {
    cp::category(c as u32)
}

// ---------------------------------------------------------------- case mapping

/// The full case mapping of one char: up to three chars.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaseMapping {
    chars: [char; 3],
    len: u8,
    pos: u8,
}

impl CaseMapping {
    fn one(c: char) -> Self {
        CaseMapping {
            chars: [c, '\0', '\0'],
            len: 1,
            pos: 0,
        }
    }

    /// The remaining mapped chars.
    pub fn as_slice(&self) -> &[char] {
        self.chars
            .get(self.pos as usize..self.len as usize)
            .unwrap_or(&[])
    }
}

impl Iterator for CaseMapping {
    type Item = char;
    fn next(&mut self) -> Option<char> {
        if self.pos < self.len {
            let c = self.chars.get(self.pos as usize).copied();
            self.pos += 1;
            c
        } else {
            None
        }
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = (self.len - self.pos.min(self.len)) as usize;
        (n, Some(n))
    }
}

impl ExactSizeIterator for CaseMapping {}

fn map_field(c: char, field: i32, ext: bool) -> CaseMapping {
    if ext {
        let start = (field & 0xFFFF) as usize;
        let len = ((field >> 16) & 0xFF) as usize;
        let mut m = CaseMapping {
            chars: ['\0'; 3],
            len: 0,
            pos: 0,
        };
        if let Some(src) = tables::EXT_CASE.get(start..start + len) {
            for (dst, &s) in m.chars.iter_mut().zip(src) {
                *dst = s;
                m.len += 1;
            }
        }
        if m.len == 0 {
            return CaseMapping::one(c);
        }
        m
    } else {
        let mapped = (c as i64 + field as i64) as u32;
        CaseMapping::one(char::from_u32(mapped).unwrap_or(c))
    }
}

/// Full lowercase mapping (`c.lower()` without context; `'İ'` → `"i̇"`).
pub fn lower_chars(c: char) -> CaseMapping {
    if c.is_ascii() {
        return CaseMapping::one(c.to_ascii_lowercase());
    }
    let r = record(c as u32);
    map_field(c, r.lower, r.flags & tables::EXT_LOWER != 0)
}

/// Full uppercase mapping (`'ß'` → `"SS"`).
pub fn upper_chars(c: char) -> CaseMapping {
    if c.is_ascii() {
        return CaseMapping::one(c.to_ascii_uppercase());
    }
    let r = record(c as u32);
    map_field(c, r.upper, r.flags & tables::EXT_UPPER != 0)
}

/// Full titlecase mapping (`'ß'` → `"Ss"`, `'ǆ'` → `"ǅ"`).
pub fn title_chars(c: char) -> CaseMapping {
    if c.is_ascii() {
        return CaseMapping::one(c.to_ascii_uppercase());
    }
    let r = record(c as u32);
    map_field(c, r.title, r.flags & tables::EXT_TITLE != 0)
}

/// Full case folding (`c.casefold()`; `'ß'` → `"ss"`).
pub fn casefold_chars(c: char) -> CaseMapping {
    if c.is_ascii() {
        return CaseMapping::one(c.to_ascii_lowercase());
    }
    let r = record(c as u32);
    map_field(c, r.fold, r.flags & tables::EXT_FOLD != 0)
}

/// Appends the full lowercase mapping of `c` to `out`.
pub fn to_lower(c: char, out: &mut String) {
    out.extend(lower_chars(c));
}
/// Appends the full uppercase mapping of `c` to `out`.
pub fn to_upper(c: char, out: &mut String) {
    out.extend(upper_chars(c));
}
/// Appends the full titlecase mapping of `c` to `out`.
pub fn to_title(c: char, out: &mut String) {
    out.extend(title_chars(c));
}
/// Appends the full case folding of `c` to `out`.
pub fn casefold(c: char, out: &mut String) {
    out.extend(casefold_chars(c));
}

const CAPITAL_SIGMA: char = '\u{3A3}';

/// CPython's `handle_capital_sigma`: is the 'Σ' at byte offset `i` of `s` in
/// the Final_Sigma context (`cased case-ignorable* Σ !(case-ignorable* cased)`)?
fn final_sigma(s: &str, i: usize) -> bool {
    let before = s.get(..i).unwrap_or("");
    let after = s.get(i + CAPITAL_SIGMA.len_utf8()..).unwrap_or("");
    let preceded = before
        .chars()
        .rev()
        .find(|&c| !is_case_ignorable(c))
        .is_some_and(is_cased);
    if !preceded {
        return false;
    }
    match after.chars().find(|&c| !is_case_ignorable(c)) {
        Some(c) => !is_cased(c),
        None => true,
    }
}

/// CPython's `lower_ucs4`: lowercase with the Final_Sigma special case.
fn push_lower_ctx(s: &str, i: usize, c: char, out: &mut String) {
    if c == CAPITAL_SIGMA {
        out.push(if final_sigma(s, i) {
            '\u{3C2}'
        } else {
            '\u{3C3}'
        });
    } else {
        to_lower(c, out);
    }
}

/// `str.lower()`.
pub fn str_lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        push_lower_ctx(s, i, c, &mut out);
    }
    out
}

/// `str.upper()`.
pub fn str_upper(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_uppercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        to_upper(c, &mut out);
    }
    out
}

/// `str.casefold()`.
pub fn str_casefold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        casefold(c, &mut out);
    }
    out
}

/// `str.swapcase()`.
pub fn str_swapcase(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        if is_uppercase(c) {
            push_lower_ctx(s, i, c, &mut out);
        } else if is_lowercase(c) {
            to_upper(c, &mut out);
        } else {
            out.push(c);
        }
    }
    out
}

/// `str.capitalize()` (3.8+: the first char is *title*-cased, the rest lowered).
pub fn str_capitalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        if i == 0 {
            to_title(c, &mut out);
        } else {
            push_lower_ctx(s, i, c, &mut out);
        }
    }
    out
}

/// `str.title()`.
pub fn str_title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut previous_is_cased = false;
    for (i, c) in s.char_indices() {
        if previous_is_cased {
            push_lower_ctx(s, i, c, &mut out);
        } else {
            to_title(c, &mut out);
        }
        previous_is_cased = is_cased(c);
    }
    out
}

// ---------------------------------------------------------------- str predicates

fn single(s: &str) -> Option<char> {
    let mut it = s.chars();
    match (it.next(), it.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// `str.islower()`.
pub fn str_islower(s: &str) -> bool {
    if let Some(c) = single(s) {
        return is_lowercase(c);
    }
    let mut cased = false;
    for c in s.chars() {
        if is_uppercase(c) || is_titlecase(c) {
            return false;
        } else if !cased && is_lowercase(c) {
            cased = true;
        }
    }
    cased
}

/// `str.isupper()`.
pub fn str_isupper(s: &str) -> bool {
    if let Some(c) = single(s) {
        return is_uppercase(c);
    }
    let mut cased = false;
    for c in s.chars() {
        if is_lowercase(c) || is_titlecase(c) {
            return false;
        } else if !cased && is_uppercase(c) {
            cased = true;
        }
    }
    cased
}

/// `str.istitle()`.
pub fn str_istitle(s: &str) -> bool {
    if let Some(c) = single(s) {
        return is_titlecase(c) || is_uppercase(c);
    }
    let mut cased = false;
    let mut previous_is_cased = false;
    for c in s.chars() {
        if is_uppercase(c) || is_titlecase(c) {
            if previous_is_cased {
                return false;
            }
            previous_is_cased = true;
            cased = true;
        } else if is_lowercase(c) {
            if !previous_is_cased {
                return false;
            }
            previous_is_cased = true;
            cased = true;
        } else {
            previous_is_cased = false;
        }
    }
    cased
}

/// `str.isidentifier()`: XID_Start or '_' then XID_Continue*.  (Source-code
/// identifiers are NFKC-normalised by the compiler first; this does not.)
pub fn str_isidentifier(s: &str) -> bool {
    let mut it = s.chars();
    match it.next() {
        Some(c) if c == '_' || is_xid_start(c) => it.all(is_xid_continue),
        _ => false,
    }
}

fn all_nonempty(s: &str, f: fn(char) -> bool) -> bool {
    !s.is_empty() && s.chars().all(f)
}

/// `str.isalpha()`.
pub fn str_isalpha(s: &str) -> bool {
    all_nonempty(s, is_alpha)
}
/// `str.isalnum()`.
pub fn str_isalnum(s: &str) -> bool {
    all_nonempty(s, is_alnum)
}
/// `str.isdecimal()`.
pub fn str_isdecimal(s: &str) -> bool {
    all_nonempty(s, is_decimal)
}
/// `str.isdigit()`.
pub fn str_isdigit(s: &str) -> bool {
    all_nonempty(s, is_digit)
}
/// `str.isnumeric()`.
pub fn str_isnumeric(s: &str) -> bool {
    all_nonempty(s, is_numeric)
}
/// `str.isspace()`.
pub fn str_isspace(s: &str) -> bool {
    all_nonempty(s, is_space)
}
/// `str.isprintable()` (true for the empty string).
pub fn str_isprintable(s: &str) -> bool {
    s.chars().all(is_printable)
}

// ---------------------------------------------------------------- repr

/// Quote selection for [`repr_str`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum QuotePref {
    /// CPython's rule: `'` unless the text contains `'` and no `"`.
    #[default]
    Auto,
    /// Always `'...'` (escaping `'` inside).
    Single,
    /// Always `"..."` (escaping `"` inside).
    Double,
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn push_hex(out: &mut String, v: u32, digits: u32) {
    for k in (0..digits).rev() {
        let nib = (v >> (4 * k)) & 0xF;
        out.push(HEX.get(nib as usize).map_or('0', |&b| b as char));
    }
}

fn push_escaped_cp(out: &mut String, cp: u32) {
    if cp <= 0xFF {
        out.push_str("\\x");
        push_hex(out, cp, 2);
    } else if cp <= 0xFFFF {
        out.push_str("\\u");
        push_hex(out, cp, 4);
    } else {
        out.push_str("\\U");
        push_hex(out, cp, 8);
    }
}

/// `repr()` (or, with `ascii_only`, `ascii()`) of any code-point sequence,
/// lone surrogates included (they are not printable, so they come out as
/// `\udxxx`).  The iterator is walked twice (quote choice, then output).
pub fn repr_code_points<I>(cps: I, quote: QuotePref, ascii_only: bool) -> String
where
    I: IntoIterator<Item = u32>,
    I::IntoIter: Clone,
{
    let it = cps.into_iter();
    let q = match quote {
        QuotePref::Single => '\'',
        QuotePref::Double => '"',
        QuotePref::Auto => {
            let (mut squote, mut dquote) = (false, false);
            for cp in it.clone() {
                squote |= cp == '\'' as u32;
                dquote |= cp == '"' as u32;
            }
            if squote && !dquote {
                '"'
            } else {
                '\''
            }
        }
    };
    let mut out = String::with_capacity(it.size_hint().0 + 2);
    out.push(q);
    for cp in it {
        match cp {
            0x5C => out.push_str("\\\\"),
            0x09 => out.push_str("\\t"),
            0x0A => out.push_str("\\n"),
            0x0D => out.push_str("\\r"),
            _ if cp == q as u32 => {
                out.push('\\');
                out.push(q);
            }
            0x00..=0x1F | 0x7F => push_escaped_cp(&mut out, cp),
            0x20..=0x7E => out.push(char::from_u32(cp).unwrap_or('?')),
            _ => match char::from_u32(cp) {
                Some(c) if !ascii_only && cp::is_printable(cp) => out.push(c),
                _ => push_escaped_cp(&mut out, cp),
            },
        }
    }
    out.push(q);
    out
}

/// `repr(s)` of a str, exactly as CPython (with [`QuotePref::Auto`]).
pub fn repr_str(s: &str, quote: QuotePref) -> String {
    if s.bytes()
        .all(|b| (0x20..0x7F).contains(&b) && b != b'\\' && b != b'\'')
        && quote != QuotePref::Double
    {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('\'');
        out.push_str(s);
        out.push('\'');
        return out;
    }
    repr_code_points(s.chars().map(|c| c as u32), quote, false)
}

/// `ascii(s)` of a str: like `repr` but every non-ASCII char escaped.
pub fn ascii_repr(s: &str) -> String {
    repr_code_points(s.chars().map(|c| c as u32), QuotePref::Auto, true)
}
