//! The `unicodedata` properties beyond the str predicates: bidi class,
//! combining class, east asian width, mirrored, decomposition, and the
//! normalization forms (tables in `ucd_tables.rs`, from
//! `tools/gen_ucd_tables.py`). Character names live in `names.rs`.

use super::ucd_tables as t;

/// (bidi index, combining class, east asian width index, mirrored).
fn ucd_record(cp: u32) -> (u8, u8, u8, u8) {
    if cp > 0x10FFFF {
        return (0, 0, 0, 0);
    }
    let mask = (1u32 << t::UCD_SHIFT) - 1;
    let block = t::UCD_INDEX1.get((cp >> t::UCD_SHIFT) as usize).copied().unwrap_or(0) as usize;
    let idx = t::UCD_INDEX2.get((block << t::UCD_SHIFT) | (cp & mask) as usize).copied().unwrap_or(0) as usize;
    t::UCD_RECORDS.get(idx).copied().unwrap_or((0, 0, 0, 0))
}

/// `unicodedata.bidirectional`: "" for unassigned code points.
pub fn bidirectional(cp: u32) -> &'static str {
    t::BIDI_NAMES.get(ucd_record(cp).0 as usize).copied().unwrap_or("")
}

/// `unicodedata.combining`: the canonical combining class.
pub fn combining(cp: u32) -> u8 {
    ucd_record(cp).1
}

/// `unicodedata.east_asian_width`.
pub fn east_asian_width(cp: u32) -> &'static str {
    t::EAW_NAMES.get(ucd_record(cp).2 as usize).copied().unwrap_or("N")
}

/// `unicodedata.mirrored`.
pub fn mirrored(cp: u32) -> bool {
    ucd_record(cp).3 != 0
}

/// The stored decomposition of one code point: (tag index, code points);
/// tag 0 is canonical. Empty for code points without one (Hangul syllables
/// are algorithmic and handled by the callers).
fn decomp_entry(cp: u32) -> (u32, &'static [u32]) {
    if cp > 0x10FFFF {
        return (0, &[]);
    }
    let mask = (1u32 << t::DECOMP_SHIFT) - 1;
    let block = t::DECOMP_INDEX1.get((cp >> t::DECOMP_SHIFT) as usize).copied().unwrap_or(0) as usize;
    let idx = t::DECOMP_INDEX2.get((block << t::DECOMP_SHIFT) | (cp & mask) as usize).copied().unwrap_or(0) as usize;
    let start = t::DECOMP_START.get(idx).copied().unwrap_or(0) as usize;
    let head = t::DECOMP_DATA.get(start).copied().unwrap_or(0);
    let len = (head >> 8) as usize;
    let body = t::DECOMP_DATA.get(start + 1..start + 1 + len).unwrap_or(&[]);
    (head & 0xFF, body)
}

/// `unicodedata.decomposition`: e.g. "<compat> 0020 0308", or "".
pub fn decomposition(cp: u32) -> String {
    let (tag, body) = decomp_entry(cp);
    let mut out = String::new();
    if body.is_empty() {
        return out;
    }
    if tag != 0 {
        out.push_str(t::DECOMP_TAGS.get(tag as usize).copied().unwrap_or(""));
    }
    for c in body {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&format!("{c:04X}"));
    }
    out
}

// Hangul syllable arithmetic (Unicode chapter 3.12).
const S_BASE: u32 = 0xAC00;
const L_BASE: u32 = 0x1100;
const V_BASE: u32 = 0x1161;
const T_BASE: u32 = 0x11A7;
const L_COUNT: u32 = 19;
const V_COUNT: u32 = 21;
const T_COUNT: u32 = 28;
const N_COUNT: u32 = V_COUNT * T_COUNT;
const S_COUNT: u32 = L_COUNT * N_COUNT;

fn decompose_into(cp: u32, compat: bool, out: &mut Vec<u32>) {
    if (S_BASE..S_BASE + S_COUNT).contains(&cp) {
        let s = cp - S_BASE;
        out.push(L_BASE + s / N_COUNT);
        out.push(V_BASE + (s % N_COUNT) / T_COUNT);
        if !s.is_multiple_of(T_COUNT) {
            out.push(T_BASE + s % T_COUNT);
        }
        return;
    }
    let (tag, body) = decomp_entry(cp);
    if body.is_empty() || (tag != 0 && !compat) {
        out.push(cp);
        return;
    }
    for &c in body {
        decompose_into(c, compat, out);
    }
}

/// Full decomposition followed by the canonical ordering of combining marks.
fn decompose(s: &[u32], compat: bool) -> Vec<u32> {
    let mut out = Vec::with_capacity(s.len());
    for &c in s {
        decompose_into(c, compat, &mut out);
    }
    // Stable sort of every run of non-starters by combining class.
    let mut i = 0;
    while i < out.len() {
        if combining(out[i]) == 0 {
            i += 1;
            continue;
        }
        let start = i;
        while i < out.len() && combining(out[i]) != 0 {
            i += 1;
        }
        out[start..i].sort_by_key(|&c| combining(c));
    }
    out
}

fn compose_pair(a: u32, b: u32) -> Option<u32> {
    if (L_BASE..L_BASE + L_COUNT).contains(&a) && (V_BASE..V_BASE + V_COUNT).contains(&b) {
        return Some(S_BASE + ((a - L_BASE) * V_COUNT + (b - V_BASE)) * T_COUNT);
    }
    if (S_BASE..S_BASE + S_COUNT).contains(&a)
        && (a - S_BASE).is_multiple_of(T_COUNT)
        && (T_BASE + 1..T_BASE + T_COUNT).contains(&b)
    {
        return Some(a + (b - T_BASE));
    }
    t::COMPOSITIONS.binary_search_by(|&(x, y, _)| (x, y).cmp(&(a, b))).ok().map(|i| t::COMPOSITIONS[i].2)
}

/// Canonical composition of a decomposed, canonically ordered sequence.
fn compose(s: &mut Vec<u32>) {
    let mut out: Vec<u32> = Vec::with_capacity(s.len());
    // Index in `out` of the last starter, which later chars may combine with.
    let mut starter: Option<usize> = None;
    for &c in s.iter() {
        let cc = combining(c);
        if let Some(st) = starter {
            // Intervening chars are marks in canonical order, so only the
            // last one can block (class >= this one's, or any for a starter).
            let unblocked = out.len() == st + 1 || out.last().is_some_and(|&l| combining(l) < cc);
            if unblocked {
                if let Some(comp) = compose_pair(out[st], c) {
                    out[st] = comp;
                    continue;
                }
            }
        }
        if cc == 0 {
            starter = Some(out.len());
        }
        out.push(c);
    }
    *s = out;
}

/// The normalization forms of `unicodedata.normalize`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    Nfc,
    Nfd,
    Nfkc,
    Nfkd,
}

impl Form {
    /// "NFC", "NFD", "NFKC", "NFKD" (exact spelling, as CPython wants).
    pub fn parse(s: &str) -> Option<Form> {
        Some(match s {
            "NFC" => Form::Nfc,
            "NFD" => Form::Nfd,
            "NFKC" => Form::Nfkc,
            "NFKD" => Form::Nfkd,
            _ => return None,
        })
    }
}

/// Normalizes a code-point sequence.
pub fn normalize_cps(form: Form, s: &[u32]) -> Vec<u32> {
    let compat = matches!(form, Form::Nfkc | Form::Nfkd);
    let mut d = decompose(s, compat);
    if matches!(form, Form::Nfc | Form::Nfkc) {
        compose(&mut d);
    }
    d
}

/// `unicodedata.normalize(form, s)`.
pub fn normalize(form: Form, s: &str) -> String {
    // ASCII is invariant under every form.
    if s.is_ascii() {
        return s.to_string();
    }
    let cps: Vec<u32> = s.chars().map(|c| c as u32).collect();
    normalize_cps(form, &cps).into_iter().filter_map(char::from_u32).collect()
}

/// `unicodedata.is_normalized(form, s)`.
pub fn is_normalized(form: Form, s: &str) -> bool {
    s.is_ascii() || normalize(form, s) == s
}
