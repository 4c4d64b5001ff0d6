//! Tests of the `unicodedata` tables against values CPython 3.11 gives.

use super::names::{lookup, name};
use super::ucd::*;

#[test]
fn names_match_cpython() {
    let cases: &[(u32, &str)] = &[
        (0xE9, "LATIN SMALL LETTER E WITH ACUTE"),
        (0x1F600, "GRINNING FACE"),
        (0x4E00, "CJK UNIFIED IDEOGRAPH-4E00"),
        (0xAC01, "HANGUL SYLLABLE GAG"),
        (0xF900, "CJK COMPATIBILITY IDEOGRAPH-F900"),
        (0x18B00, "KHITAN SMALL SCRIPT CHARACTER-18B00"),
        (0x20, "SPACE"),
        (0xBD, "VULGAR FRACTION ONE HALF"),
    ];
    for &(cp, n) in cases {
        assert_eq!(name(cp).as_deref(), Some(n), "{cp:x}");
        assert_eq!(lookup(n, false), char::from_u32(cp).map(String::from), "{n}");
    }
    assert_eq!(name(0x17000), None); // Tangut has no name in CPython 3.11
    assert_eq!(name(0x0), None);
    assert_eq!(name(0x110000), None);
}

#[test]
fn every_stored_name_round_trips() {
    let mut n = 0;
    for cp in 0..0x110000u32 {
        if let Some(s) = name(cp) {
            n += 1;
            assert_eq!(lookup(&s, false), char::from_u32(cp).map(String::from), "{s}");
        }
    }
    assert_eq!(n, 138552); // CPython 3.11's count of named code points
}

#[test]
fn lookup_aliases_and_sequences() {
    assert_eq!(lookup("LATIN CAPITAL LETTER GHA", false).as_deref(), Some("\u{1A2}"));
    assert_eq!(lookup("latin small letter a", false).as_deref(), Some("a"));
    assert_eq!(lookup("LATIN CAPITAL LETTER A WITH MACRON AND GRAVE", true).as_deref(), Some("\u{100}\u{300}"));
    assert_eq!(lookup("LATIN CAPITAL LETTER A WITH MACRON AND GRAVE", false), None);
    assert_eq!(lookup("CJK UNIFIED IDEOGRAPH-4e00", false), None);
    assert_eq!(lookup("NO SUCH THING", true), None);
}

#[test]
fn properties() {
    assert_eq!((bidirectional(0xE9), combining(0xE9), east_asian_width(0xE9), mirrored(0xE9)), ("L", 0, "A", false));
    assert_eq!((bidirectional(0x301), combining(0x301), east_asian_width(0x301)), ("NSM", 230, "A"));
    assert_eq!((bidirectional(0x1F600), east_asian_width(0x1F600)), ("ON", "W"));
    assert_eq!(east_asian_width(0x61), "Na");
    assert!(mirrored(0x28));
    assert_eq!(decomposition(0xE9), "0065 0301");
    assert_eq!(decomposition(0xBD), "<fraction> 0031 2044 0032");
    assert_eq!(decomposition(0xF900), "8C48");
    assert_eq!(decomposition(0x61), "");
    assert_eq!(bidirectional(0x378), "");
}

#[test]
fn normalization_forms() {
    let s = "\u{1e9b}\u{323}\u{ac01}\u{fb01}\u{c5}\u{301}";
    let cps = |f| normalize(f, s).chars().map(|c| c as u32).collect::<Vec<_>>();
    assert_eq!(cps(Form::Nfc), [0x1e9b, 0x323, 0xac01, 0xfb01, 0x1fa]);
    assert_eq!(cps(Form::Nfd), [0x17f, 0x323, 0x307, 0x1100, 0x1161, 0x11a8, 0xfb01, 0x41, 0x30a, 0x301]);
    assert_eq!(cps(Form::Nfkc), [0x1e69, 0xac01, 0x66, 0x69, 0x1fa]);
    assert_eq!(cps(Form::Nfkd), [0x73, 0x323, 0x307, 0x1100, 0x1161, 0x11a8, 0x66, 0x69, 0x41, 0x30a, 0x301]);
    assert!(is_normalized(Form::Nfc, "abc\u{e9}"));
    assert!(!is_normalized(Form::Nfd, "\u{e9}"));
    // A composition exclusion stays decomposed under NFC.
    assert_eq!(normalize(Form::Nfc, "\u{958}"), "\u{915}\u{93c}");
}
