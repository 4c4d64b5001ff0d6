//! Character names (`unicodedata.name` / `lookup`) as CPython 3.11 gives
//! them. CJK unified ideographs and Hangul syllables are computed; all other
//! names are decoded from `names.bin` (word-dictionary compression, layout in
//! `ucd_tables.rs`, written by `tools/gen_ucd_tables.py`). The data is a
//! binary blob rather than Rust arrays so that half a megabyte of bytes does
//! not become megabytes of source for rustc to parse.

use super::ucd_tables as t;
use std::collections::HashMap;
use std::sync::OnceLock;

static BLOB: &[u8] = include_bytes!("names.bin");

fn part(range: (usize, usize)) -> &'static [u8] {
    BLOB.get(range.0..range.1).unwrap_or(&[])
}

fn u32_at(bytes: &[u8], i: usize) -> u32 {
    match bytes.get(i * 4..i * 4 + 4) {
        Some(b) => u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
        None => 0,
    }
}

const L_NAMES: [&str; 19] = ["G", "GG", "N", "D", "DD", "R", "M", "B", "BB", "S", "SS", "", "J", "JJ", "C", "K", "T", "P", "H"];
const V_NAMES: [&str; 21] = [
    "A", "AE", "YA", "YAE", "EO", "E", "YEO", "YE", "O", "WA", "WAE", "OE", "YO", "U", "WEO", "WE", "WI", "YU", "EU", "YI", "I",
];
const T_NAMES: [&str; 28] = [
    "", "G", "GG", "GS", "N", "NJ", "NH", "D", "L", "LG", "LM", "LB", "LS", "LT", "LP", "LH", "M", "B", "BS", "S", "SS", "NG",
    "J", "C", "K", "T", "P", "H",
];

fn is_cjk(cp: u32) -> bool {
    t::CJK_RANGES.iter().any(|&(a, b)| (a..=b).contains(&cp))
}

/// Appends word `i` of the lexicon.
fn push_word(out: &mut String, i: usize) {
    let offs = part(t::WORD_OFFS);
    let (a, b) = (u32_at(offs, i) as usize, u32_at(offs, i + 1) as usize);
    if let Some(w) = part(t::LEXICON).get(a..b) {
        out.extend(w.iter().map(|&b| b as char));
    }
}

/// Decodes the phrase at `pos`; returns the name and the next position.
fn decode_phrase(cp: u32, mut pos: usize) -> (String, usize) {
    let ph = part(t::PHRASES);
    let head = ph.get(pos).copied().unwrap_or(0);
    pos += 1;
    let mut out = String::new();
    for k in 0..(head & 0x7F) {
        if k > 0 {
            out.push(' ');
        }
        let b = ph.get(pos).copied().unwrap_or(0);
        pos += 1;
        let idx = if b < t::ONE_BYTE_WORDS {
            b as usize
        } else {
            let lo = ph.get(pos).copied().unwrap_or(0);
            pos += 1;
            t::ONE_BYTE_WORDS as usize + (((b - t::ONE_BYTE_WORDS) as usize) << 8 | lo as usize)
        };
        push_word(&mut out, idx);
    }
    if head & 0x80 != 0 {
        out.push_str(&format!("{cp:04X}"));
    }
    (out, pos)
}

/// The stored name of entry `k` (in code point order), with its code point.
fn stored_entry(k: usize) -> (u32, String) {
    let cps = part(t::NAME_CPS);
    let offs = part(t::NAME_OFFS);
    let mut pos = u32_at(offs, k / 16) as usize;
    // Skip the earlier names of this group of 16.
    for j in (k & !15)..k {
        pos = decode_phrase(u32_at(cps, j), pos).1;
    }
    let cp = u32_at(cps, k);
    (cp, decode_phrase(cp, pos).0)
}

/// `unicodedata.name(chr(cp))`, or None when it has no name.
pub fn name(cp: u32) -> Option<String> {
    if is_cjk(cp) {
        return Some(format!("CJK UNIFIED IDEOGRAPH-{cp:X}"));
    }
    if (0xAC00..0xAC00 + 11172).contains(&cp) {
        let s = (cp - 0xAC00) as usize;
        return Some(format!("HANGUL SYLLABLE {}{}{}", L_NAMES[s / 588], V_NAMES[(s % 588) / 28], T_NAMES[s % 28]));
    }
    let cps = part(t::NAME_CPS);
    let (mut lo, mut hi) = (0usize, t::NAME_COUNT);
    while lo < hi {
        let mid = (lo + hi) / 2;
        match u32_at(cps, mid).cmp(&cp) {
            std::cmp::Ordering::Equal => return Some(stored_entry(mid).1),
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
        }
    }
    None
}

fn name_map() -> &'static HashMap<String, u32> {
    static MAP: OnceLock<HashMap<String, u32>> = OnceLock::new();
    MAP.get_or_init(|| {
        let cps = part(t::NAME_CPS);
        let mut m = HashMap::with_capacity(t::NAME_COUNT);
        let mut pos = 0;
        for k in 0..t::NAME_COUNT {
            let cp = u32_at(cps, k);
            let (n, next) = decode_phrase(cp, pos);
            pos = next;
            m.insert(n, cp);
        }
        m
    })
}

/// Longest of `names` that `s` starts with: (index, length).
fn longest_prefix(s: &str, names: &[&str]) -> (usize, usize) {
    let mut best = (usize::MAX, 0);
    for (i, n) in names.iter().enumerate() {
        if s.starts_with(n) && (best.0 == usize::MAX || n.len() > best.1) {
            best = (i, n.len());
        }
    }
    best
}

fn hangul_lookup(rest: &str) -> Option<u32> {
    let (l, n1) = longest_prefix(rest, &L_NAMES);
    let rest = rest.get(n1..)?;
    let (v, n2) = longest_prefix(rest, &V_NAMES);
    let rest = rest.get(n2..)?;
    let (tt, n3) = longest_prefix(rest, &T_NAMES);
    if l == usize::MAX || v == usize::MAX || tt == usize::MAX || n3 != rest.len() {
        return None;
    }
    Some(0xAC00 + (l as u32 * 21 + v as u32) * 28 + tt as u32)
}

/// What `unicodedata.lookup` finds for a name (case-insensitive, as
/// CPython compares upper-cased): a character, one by alias, or a named
/// sequence. `with_sequences: false` is `\N{...}`'s view.
pub fn lookup(name: &str, with_sequences: bool) -> Option<String> {
    let up = name.to_ascii_uppercase();
    if let Some(rest) = up.strip_prefix("HANGUL SYLLABLE ") {
        if let Some(cp) = hangul_lookup(rest) {
            return char::from_u32(cp).map(String::from);
        }
    }
    if name.len() >= 22 && up.starts_with("CJK UNIFIED IDEOGRAPH-") {
        // CPython parses exactly 4 or 5 upper-case hex digits here.
        let hex = &name[22..];
        if (hex.len() == 4 || hex.len() == 5) && hex.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)) {
            let v = u32::from_str_radix(hex, 16).ok()?;
            return if is_cjk(v) { char::from_u32(v).map(String::from) } else { None };
        }
        return None;
    }
    if let Some(&cp) = name_map().get(&up) {
        return char::from_u32(cp).map(String::from);
    }
    if let Ok(i) = t::ALIASES.binary_search_by(|&(a, _)| a.cmp(up.as_str())) {
        return char::from_u32(t::ALIASES[i].1).map(String::from);
    }
    if with_sequences {
        if let Ok(i) = t::NAMED_SEQUENCES.binary_search_by(|&(a, _)| a.cmp(up.as_str())) {
            return Some(t::NAMED_SEQUENCES[i].1.to_string());
        }
    }
    None
}
