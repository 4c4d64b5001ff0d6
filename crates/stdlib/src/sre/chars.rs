//! Character predicates and case mappings of the regex engine: the
//! CATEGORY codes, the AT word tests, and the three case foldings (ASCII,
//! "locale" and Unicode) that the `_IGNORE` opcode variants use.

use krait_text::unicode::{cp, lower_chars, upper_chars};

// CATEGORY codes, in the order of re/_constants.py's CHCODES.
pub const CAT_DIGIT: u32 = 0;
pub const CAT_NOT_DIGIT: u32 = 1;
pub const CAT_SPACE: u32 = 2;
pub const CAT_NOT_SPACE: u32 = 3;
pub const CAT_WORD: u32 = 4;
pub const CAT_NOT_WORD: u32 = 5;
pub const CAT_LINEBREAK: u32 = 6;
pub const CAT_NOT_LINEBREAK: u32 = 7;
pub const CAT_LOC_WORD: u32 = 8;
pub const CAT_LOC_NOT_WORD: u32 = 9;
pub const CAT_UNI_DIGIT: u32 = 10;
pub const CAT_UNI_NOT_DIGIT: u32 = 11;
pub const CAT_UNI_SPACE: u32 = 12;
pub const CAT_UNI_NOT_SPACE: u32 = 13;
pub const CAT_UNI_WORD: u32 = 14;
pub const CAT_UNI_NOT_WORD: u32 = 15;
pub const CAT_UNI_LINEBREAK: u32 = 16;
pub const CAT_UNI_NOT_LINEBREAK: u32 = 17;

#[inline]
pub fn is_ascii_digit(ch: u32) -> bool {
    (b'0' as u32..=b'9' as u32).contains(&ch)
}

/// C's isspace in the "C" locale (what `\s` means under re.ASCII).
#[inline]
pub fn is_ascii_space(ch: u32) -> bool {
    matches!(ch, 0x20 | 0x09..=0x0D)
}

#[inline]
pub fn is_ascii_word(ch: u32) -> bool {
    ch < 128 && ((ch as u8).is_ascii_alphanumeric() || ch == b'_' as u32)
}

/// Locale word characters: krait runs in the C/UTF-8 locale, where bytes
/// above 127 are neither letters nor digits.
#[inline]
pub fn is_loc_word(ch: u32) -> bool {
    is_ascii_word(ch)
}

#[inline]
pub fn is_uni_word(ch: u32) -> bool {
    if ch < 128 {
        return is_ascii_word(ch);
    }
    cp::is_alnum(ch)
}

#[inline]
pub fn is_uni_digit(ch: u32) -> bool {
    if ch < 128 {
        return is_ascii_digit(ch);
    }
    cp::is_decimal(ch)
}

#[inline]
pub fn is_uni_space(ch: u32) -> bool {
    if ch < 128 {
        // str.isspace() also counts the ASCII separators 0x1C..0x1F.
        return matches!(ch, 0x20 | 0x09..=0x0D | 0x1C..=0x1F);
    }
    cp::is_space(ch)
}

#[inline]
pub fn is_uni_linebreak(ch: u32) -> bool {
    if ch < 128 {
        return matches!(ch, 0x0A..=0x0D | 0x1C..=0x1E);
    }
    cp::is_linebreak(ch)
}

/// Does `ch` belong to category `code`? Unknown codes match nothing.
#[inline]
pub fn category(code: u32, ch: u32) -> bool {
    match code {
        CAT_DIGIT => is_ascii_digit(ch),
        CAT_NOT_DIGIT => !is_ascii_digit(ch),
        CAT_SPACE => is_ascii_space(ch),
        CAT_NOT_SPACE => !is_ascii_space(ch),
        CAT_WORD => is_ascii_word(ch),
        CAT_NOT_WORD => !is_ascii_word(ch),
        CAT_LINEBREAK => ch == 10,
        CAT_NOT_LINEBREAK => ch != 10,
        CAT_LOC_WORD => is_loc_word(ch),
        CAT_LOC_NOT_WORD => !is_loc_word(ch),
        CAT_UNI_DIGIT => is_uni_digit(ch),
        CAT_UNI_NOT_DIGIT => !is_uni_digit(ch),
        CAT_UNI_SPACE => is_uni_space(ch),
        CAT_UNI_NOT_SPACE => !is_uni_space(ch),
        CAT_UNI_WORD => is_uni_word(ch),
        CAT_UNI_NOT_WORD => !is_uni_word(ch),
        CAT_UNI_LINEBREAK => is_uni_linebreak(ch),
        CAT_UNI_NOT_LINEBREAK => !is_uni_linebreak(ch),
        _ => false,
    }
}

#[inline]
pub fn lower_ascii(ch: u32) -> u32 {
    if (b'A' as u32..=b'Z' as u32).contains(&ch) {
        ch + 32
    } else {
        ch
    }
}

#[inline]
pub fn upper_ascii(ch: u32) -> u32 {
    if (b'a' as u32..=b'z' as u32).contains(&ch) {
        ch - 32
    } else {
        ch
    }
}

/// tolower() of the C/UTF-8 locale: only ASCII letters change.
#[inline]
pub fn lower_locale(ch: u32) -> u32 {
    lower_ascii(ch)
}

#[inline]
pub fn upper_locale(ch: u32) -> u32 {
    upper_ascii(ch)
}

/// The simple lowercase mapping CPython's engine uses: the first character
/// of the full mapping (so 'İ' gives 'i').
#[inline]
pub fn lower_unicode(ch: u32) -> u32 {
    if ch < 128 {
        return lower_ascii(ch);
    }
    match char::from_u32(ch) {
        Some(c) => lower_chars(c).next().map_or(ch, |m| m as u32),
        None => ch,
    }
}

/// The simple uppercase mapping (first character of the full one: 'ß' gives 'S').
#[inline]
pub fn upper_unicode(ch: u32) -> u32 {
    if ch < 128 {
        return upper_ascii(ch);
    }
    match char::from_u32(ch) {
        Some(c) => upper_chars(c).next().map_or(ch, |m| m as u32),
        None => ch,
    }
}

pub fn ascii_iscased(ch: u32) -> bool {
    ch < 128 && (ch as u8).is_ascii_alphabetic()
}

pub fn unicode_iscased(ch: u32) -> bool {
    ch != lower_unicode(ch) || ch != upper_unicode(ch)
}

/// LITERAL_LOC_IGNORE: the pattern character equals `ch` or one of its cases.
#[inline]
pub fn char_loc_ignore(pat: u32, ch: u32) -> bool {
    ch == pat || lower_locale(ch) == pat || upper_locale(ch) == pat
}
