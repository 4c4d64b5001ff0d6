//! Tests against data computed by CPython (see `test_data.rs`).

use super::test_data::{CASE_VECTORS, FINGERPRINTS, REPR_VECTORS, STR_VECTORS};
use super::*;

const FNV_OFFSET: u64 = 0xCBF2_9CE4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01B3;

struct Fp {
    n: u32,
    h: u64,
}

impl Fp {
    fn new() -> Self {
        Fp {
            n: 0,
            h: FNV_OFFSET,
        }
    }
    fn mix(&mut self, v: u32) {
        self.h = (self.h ^ v as u64).wrapping_mul(FNV_PRIME);
    }
}

fn expected(name: &str) -> (u32, u64) {
    FINGERPRINTS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|&(_, n, h)| (n, h))
        .unwrap_or_else(|| panic!("no fingerprint {name}"))
}

fn check(name: &str, fp: &Fp) {
    assert_eq!(
        (fp.n, fp.h),
        expected(name),
        "fingerprint mismatch for {name}"
    );
}

const ALL: std::ops::RangeInclusive<u32> = 0..=0x10FFFF;

fn check_pred(name: &str, f: fn(u32) -> bool, via_char: Option<fn(char) -> bool>) {
    let mut fp = Fp::new();
    for c in ALL {
        let v = f(c);
        if let (Some(g), Some(ch)) = (via_char, char::from_u32(c)) {
            assert_eq!(g(ch), v, "{name}: char and cp APIs disagree at U+{c:04X}");
        }
        if v {
            fp.n += 1;
            fp.mix(c);
        }
    }
    check(name, &fp);
}

#[test]
fn fingerprint_predicates() {
    check_pred("ALPHA", cp::is_alpha, Some(is_alpha));
    check_pred("DECIMAL", cp::is_decimal, Some(is_decimal));
    check_pred("DIGIT", cp::is_digit, Some(is_digit));
    check_pred("NUMERIC", cp::is_numeric, Some(is_numeric));
    check_pred("SPACE", cp::is_space, Some(is_space));
    check_pred("SPACE", cp::is_space, Some(is_whitespace));
    check_pred("PRINTABLE", cp::is_printable, Some(is_printable));
    check_pred("LOWER", cp::is_lowercase, Some(is_lowercase));
    check_pred("UPPER", cp::is_uppercase, Some(is_uppercase));
    check_pred("TITLE", cp::is_titlecase, Some(is_titlecase));
    check_pred("CASED", cp::is_cased, Some(is_cased));
    check_pred(
        "CASE_IGNORABLE",
        cp::is_case_ignorable,
        Some(is_case_ignorable),
    );
    check_pred("XID_START", cp::is_xid_start, Some(is_xid_start));
    check_pred("XID_CONTINUE", cp::is_xid_continue, Some(is_xid_continue));
    check_pred("LINEBREAK", cp::is_linebreak, Some(is_linebreak));
    check_pred("ALNUM", cp::is_alnum, Some(is_alnum));
}

#[test]
fn fingerprint_category() {
    let mut fp = Fp::new();
    for c in ALL {
        let cat = cp::category(c);
        if let Some(ch) = char::from_u32(c) {
            assert_eq!(category(ch), cat);
        }
        if cat != "Cn" {
            let b = cat.as_bytes();
            fp.n += 1;
            fp.mix(c);
            fp.mix((b[0] as u32) << 8 | b[1] as u32);
        }
    }
    check("CATEGORY", &fp);
}

#[test]
fn fingerprint_numeric_values() {
    let mut dec = Fp::new();
    let mut dig = Fp::new();
    let mut num = Fp::new();
    for c in ALL {
        let (d, g, n) = (
            cp::decimal_value(c),
            cp::digit_value(c),
            cp::numeric_value(c),
        );
        if let Some(ch) = char::from_u32(c) {
            assert_eq!(decimal_value(ch), d);
            assert_eq!(digit_value(ch), g);
            assert_eq!(numeric_value(ch).map(f64::to_bits), n.map(f64::to_bits));
        }
        assert_eq!(d.is_some(), cp::is_decimal(c));
        assert_eq!(g.is_some(), cp::is_digit(c));
        assert_eq!(n.is_some(), cp::is_numeric(c));
        if let Some(v) = d {
            dec.n += 1;
            dec.mix(c);
            dec.mix(v);
        }
        if let Some(v) = g {
            dig.n += 1;
            dig.mix(c);
            dig.mix(v);
        }
        if let Some(v) = n {
            let bits = v.to_bits();
            num.n += 1;
            num.mix(c);
            num.mix(bits as u32);
            num.mix((bits >> 32) as u32);
        }
    }
    check("DECIMAL_VALUE", &dec);
    check("DIGIT_VALUE", &dig);
    check("NUMERIC_VALUE", &num);
}

#[test]
fn fingerprint_case_maps() {
    type MapFn = fn(char) -> CaseMapping;
    let maps: [(&str, MapFn); 4] = [
        ("LOWER_MAP", lower_chars),
        ("UPPER_MAP", upper_chars),
        ("TITLE_MAP", title_chars),
        ("FOLD_MAP", casefold_chars),
    ];
    for (name, f) in maps {
        let mut fp = Fp::new();
        // Surrogates map to themselves (and are absent from the fingerprint).
        for c in ALL.filter_map(char::from_u32) {
            let m = f(c);
            if m.as_slice() != [c] {
                fp.n += 1;
                fp.mix(c as u32);
                fp.mix(m.len() as u32);
                for x in m {
                    fp.mix(x as u32);
                }
            }
        }
        check(name, &fp);
    }
}

fn s_of(f: fn(char, &mut String), c: char) -> String {
    let mut s = String::new();
    f(c, &mut s);
    s
}

#[test]
fn case_vectors() {
    assert!(CASE_VECTORS.len() > 100);
    for &(c, lo, up, ti, fo) in CASE_VECTORS {
        assert_eq!(s_of(to_lower, c), lo, "lower U+{:04X}", c as u32);
        assert_eq!(s_of(to_upper, c), up, "upper U+{:04X}", c as u32);
        assert_eq!(s_of(to_title, c), ti, "title U+{:04X}", c as u32);
        assert_eq!(s_of(casefold, c), fo, "casefold U+{:04X}", c as u32);
    }
}

#[test]
fn case_examples() {
    assert_eq!(str_upper("ß"), "SS");
    assert_eq!(str_upper("ﬁ"), "FI");
    assert_eq!(str_lower("İ"), "i\u{307}");
    assert_eq!(str_title("ß"), "Ss");
    assert_eq!(str_casefold("Straße"), "strasse");
    assert_eq!(str_lower("ΟΔΟΣ ΟΔΟΣ"), "οδος οδος");
    assert_eq!(str_lower("Σ"), "σ");
    assert_eq!(str_capitalize("ǆemal"), "ǅemal");
    assert_eq!(str_swapcase("ΑΣ"), "ας");
}

#[test]
fn str_vectors() {
    assert!(STR_VECTORS.len() > 300);
    for v in STR_VECTORS {
        let s = v.s;
        assert_eq!(str_lower(s), v.lower, "lower {s:?}");
        assert_eq!(str_upper(s), v.upper, "upper {s:?}");
        assert_eq!(str_casefold(s), v.casefold, "casefold {s:?}");
        assert_eq!(str_swapcase(s), v.swapcase, "swapcase {s:?}");
        assert_eq!(str_capitalize(s), v.capitalize, "capitalize {s:?}");
        assert_eq!(str_title(s), v.title, "title {s:?}");
        let preds = [
            str_islower(s),
            str_isupper(s),
            str_istitle(s),
            str_isidentifier(s),
            str_isalpha(s),
            str_isalnum(s),
            str_isdecimal(s),
            str_isdigit(s),
            str_isnumeric(s),
            str_isspace(s),
            str_isprintable(s),
        ];
        let flags = preds
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &p)| acc | ((p as u32) << i));
        assert_eq!(flags, v.flags, "predicates of {s:?}: got {flags:#x}");
    }
}

#[test]
fn repr_vectors() {
    assert!(REPR_VECTORS.len() > 100);
    for &(cps, rp, asc) in REPR_VECTORS {
        assert_eq!(
            repr_code_points(cps.iter().copied(), QuotePref::Auto, false),
            rp,
            "{cps:x?}"
        );
        assert_eq!(
            repr_code_points(cps.iter().copied(), QuotePref::Auto, true),
            asc,
            "{cps:x?}"
        );
        let s: Option<String> = cps.iter().map(|&c| char::from_u32(c)).collect();
        if let Some(s) = s {
            assert_eq!(repr_str(&s, QuotePref::Auto), rp, "{s:?}");
            assert_eq!(ascii_repr(&s), asc, "{s:?}");
        }
    }
}

#[test]
fn repr_examples() {
    assert_eq!(repr_str("a'b", QuotePref::Auto), "\"a'b\"");
    assert_eq!(repr_str("a'b\"", QuotePref::Auto), "'a\\'b\"'");
    assert_eq!(repr_str("a\"b", QuotePref::Double), "\"a\\\"b\"");
    assert_eq!(repr_str("it's", QuotePref::Single), "'it\\'s'");
    assert_eq!(
        repr_str("\x7f\u{a0}\u{ad}é", QuotePref::Auto),
        "'\\x7f\\xa0\\xadé'"
    );
    assert_eq!(ascii_repr("é😀"), "'\\xe9\\U0001f600'");
    assert_eq!(
        repr_code_points([0xD800], QuotePref::Auto, false),
        "'\\ud800'"
    );
}

#[test]
fn linebreaks_and_spaces() {
    let lb: Vec<u32> = ALL.filter(|&c| cp::is_linebreak(c)).collect();
    assert_eq!(
        lb,
        [0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029]
    );
    for c in [
        '\t', '\n', '\x0b', '\x0c', '\r', '\x1c', '\x1f', ' ', '\u{85}', '\u{a0}', '\u{3000}',
    ] {
        assert!(is_whitespace(c), "{c:?}");
    }
    assert!(!is_whitespace('\u{200b}'));
    assert!(!is_whitespace('\u{feff}'));
}

#[test]
fn numeric_examples() {
    assert_eq!(decimal_value('٣'), Some(3));
    assert_eq!(digit_value('²'), Some(2));
    assert_eq!(decimal_value('²'), None);
    assert_eq!(numeric_value('½'), Some(0.5));
    assert_eq!(numeric_value('⅓'), Some(1.0 / 3.0));
    assert_eq!(numeric_value('兆'), Some(1e12));
    assert_eq!(numeric_value('a'), None);
    assert_eq!(category('a'), "Ll");
    assert_eq!(category('\u{378}'), "Cn");
    assert_eq!(cp::category(0xD800), "Cs");
    assert_eq!(cp::category(0x110000), "Cn");
}

#[test]
fn identifiers() {
    assert!(str_isidentifier("_"));
    assert!(str_isidentifier("héllo_1"));
    assert!(!str_isidentifier("1a"));
    assert!(!str_isidentifier(""));
    assert!(!is_xid_start('_'));
    assert!(is_xid_continue('_'));
}
