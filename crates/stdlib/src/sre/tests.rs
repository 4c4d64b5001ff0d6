//! Engine tests on opcode lists produced by CPython 3.11's re/_compiler.py
//! (`re._compiler._code(re._parser.parse(p), 0)`).

use super::chars::*;
use super::consts::*;
use super::engine::{EngineError, State};
use super::program::Program;

/// 'a+b'
#[rustfmt::skip]
const A_PLUS_B: &[u32] = &[INFO, 4, 0, 2, 4294967295, REPEAT_ONE, 6, 1, MAXREPEAT, LITERAL, 97, SUCCESS, LITERAL, 98, SUCCESS];
/// '(a|b)*c'
#[rustfmt::skip]
const ALT_STAR: &[u32] = &[INFO, 4, 0, 1, 4294967295, REPEAT, 13, 0, MAXREPEAT, MARK, 0, IN, 5, RANGE, 97, 98, FAILURE, MARK, 1, MAX_UNTIL, LITERAL, 99, SUCCESS];
/// '(?<=ab)c'
#[rustfmt::skip]
const LOOKBEHIND: &[u32] = &[INFO, 4, 0, 1, 1, ASSERT, 7, 2, LITERAL, 97, LITERAL, 98, SUCCESS, LITERAL, 99, SUCCESS];
/// '(\\w+)=(\\d+)'
#[rustfmt::skip]
const WORD_EQ: &[u32] = &[INFO, 4, 0, 3, 4294967295, MARK, 0, REPEAT_ONE, 9, 1, MAXREPEAT, IN, 4, CATEGORY, CAT_UNI_WORD, FAILURE, SUCCESS, MARK, 1, LITERAL, 61, MARK, 2, REPEAT_ONE, 9, 1, MAXREPEAT, IN, 4, CATEGORY, CAT_UNI_DIGIT, FAILURE, SUCCESS, MARK, 3, SUCCESS];
/// '(a*)*b'
#[rustfmt::skip]
const NESTED_STAR: &[u32] = &[INFO, 4, 0, 1, 4294967295, REPEAT, 14, 0, MAXREPEAT, MARK, 0, REPEAT_ONE, 6, 0, MAXREPEAT, LITERAL, 97, SUCCESS, MARK, 1, MAX_UNTIL, LITERAL, 98, SUCCESS];
/// '(?i)straSSe'
#[rustfmt::skip]
const IGNORE: &[u32] = &[INFO, 4, 0, 7, 7, IN_UNI_IGNORE, 6, LITERAL, 115, LITERAL, 383, FAILURE, LITERAL_UNI_IGNORE, 116, LITERAL_UNI_IGNORE, 114, LITERAL_UNI_IGNORE, 97, IN_UNI_IGNORE, 6, LITERAL, 115, LITERAL, 383, FAILURE, IN_UNI_IGNORE, 6, LITERAL, 115, LITERAL, 383, FAILURE, LITERAL_UNI_IGNORE, 101, SUCCESS];
/// '(?:ab)*+'
#[rustfmt::skip]
const POSSESSIVE: &[u32] = &[INFO, 4, 0, 0, 4294967295, POSSESSIVE_REPEAT, 7, 0, MAXREPEAT, LITERAL, 97, LITERAL, 98, SUCCESS, SUCCESS];
/// '(?>a*)b'
#[rustfmt::skip]
const ATOMIC: &[u32] = &[INFO, 4, 0, 1, 4294967295, ATOMIC_GROUP, 9, REPEAT_ONE, 6, 0, MAXREPEAT, LITERAL, 97, SUCCESS, SUCCESS, LITERAL, 98, SUCCESS];
/// '(a)(?(1)b|c)'
#[rustfmt::skip]
const COND: &[u32] = &[INFO, 8, 1, 2, 2, 1, 0, 97, 0, MARK, 0, LITERAL, 97, MARK, 1, GROUPREF_EXISTS, 0, 6, LITERAL, 98, JUMP, 3, LITERAL, 99, SUCCESS];
/// '(a)\\1'
#[rustfmt::skip]
const BACKREF: &[u32] = &[INFO, 8, 1, 2, 2, 1, 0, 97, 0, MARK, 0, LITERAL, 97, MARK, 1, GROUPREF, 0, SUCCESS];
/// 'x*?y'
#[rustfmt::skip]
const LAZY: &[u32] = &[INFO, 4, 0, 1, 4294967295, MIN_REPEAT_ONE, 6, 0, MAXREPEAT, LITERAL, 120, SUCCESS, LITERAL, 121, SUCCESS];
/// '(?:a|ab)(?:c|bcd)'
#[rustfmt::skip]
const BRANCHES: &[u32] = &[INFO, 8, 1, 2, 5, 1, 1, 97, 0, LITERAL, 97, BRANCH, 3, JUMP, 7, 5, LITERAL, 98, JUMP, 2, FAILURE, BRANCH, 5, LITERAL, 99, JUMP, 11, 9, LITERAL, 98, LITERAL, 99, LITERAL, 100, JUMP, 2, FAILURE, SUCCESS];
/// '[Ѐ-ӿ]+'
#[rustfmt::skip]
const CYRILLIC: &[u32] = &[INFO, 4, 0, 1, 4294967295, REPEAT_ONE, 10, 1, MAXREPEAT, IN, 5, RANGE, 1024, 1279, FAILURE, SUCCESS, SUCCESS];
/// '(?m)^$'
#[rustfmt::skip]
const LINES: &[u32] = &[INFO, 4, 0, 0, 0, AT, AT_BEGINNING_LINE, AT, AT_END_LINE, SUCCESS];
/// '(a+)+b'
#[rustfmt::skip]
const CATASTROPHIC: &[u32] = &[INFO, 4, 0, 2, 4294967295, REPEAT, 14, 1, MAXREPEAT, MARK, 0, REPEAT_ONE, 6, 1, MAXREPEAT, LITERAL, 97, SUCCESS, MARK, 1, MAX_UNTIL, LITERAL, 98, SUCCESS];
/// '(a|b)*?c'
#[rustfmt::skip]
const LAZY_GROUP: &[u32] = &[INFO, 4, 0, 1, 4294967295, REPEAT, 13, 0, MAXREPEAT, MARK, 0, IN, 5, RANGE, 97, 98, FAILURE, MARK, 1, MIN_UNTIL, LITERAL, 99, SUCCESS];
/// '(?!ab)\\w+'
#[rustfmt::skip]
const NEG_LOOK: &[u32] = &[INFO, 4, 0, 1, 4294967295, ASSERT_NOT, 7, 0, LITERAL, 97, LITERAL, 98, SUCCESS, REPEAT_ONE, 9, 1, MAXREPEAT, IN, 4, CATEGORY, CAT_UNI_WORD, FAILURE, SUCCESS, SUCCESS];

fn prog(code: &[u32]) -> Program {
    Program::new(code.to_vec())
}

fn wide(s: &str) -> Vec<u32> {
    s.chars().map(|c| c as u32).collect()
}

/// Span and groups of the first match of `code` in `s` (search).
fn search(code: &[u32], groups: usize, s: &str) -> Option<((usize, usize), Vec<Option<(usize, usize)>>)> {
    let text = wide(s);
    let mut st = State::new(0, text.len(), groups);
    if !st.search(&prog(code), &text).expect("valid code") {
        return None;
    }
    Some(((st.start, st.ptr), (1..=groups).map(|g| st.group_span(g)).collect()))
}

fn span(code: &[u32], s: &str) -> Option<(usize, usize)> {
    search(code, 2, s).map(|r| r.0)
}

#[test]
fn literals_and_greedy_repeat() {
    assert_eq!(span(A_PLUS_B, "xaaab"), Some((1, 5)));
    assert_eq!(span(A_PLUS_B, "aaa"), None);
    assert_eq!(span(LAZY, "xxxy"), Some((0, 4)));
    assert_eq!(span(LAZY, "xxx"), None);
}

#[test]
fn groups_and_repeat_contexts() {
    assert_eq!(search(ALT_STAR, 1, "ababc"), Some(((0, 5), vec![Some((3, 4))])));
    assert_eq!(search(NESTED_STAR, 1, "aab"), Some(((0, 3), vec![Some((2, 2))])));
    assert_eq!(search(WORD_EQ, 2, "x took=12ms"), Some(((2, 9), vec![Some((2, 6)), Some((7, 9))])));
    assert_eq!(search(LAZY_GROUP, 1, "abc"), Some(((0, 3), vec![Some((1, 2))])));
}

#[test]
fn branches_backtrack() {
    assert_eq!(span(BRANCHES, "abcd"), Some((0, 4)));
    assert_eq!(span(BRANCHES, "ac"), Some((0, 2)));
    assert_eq!(span(BRANCHES, "abd"), None);
}

#[test]
fn lookaround() {
    assert_eq!(span(LOOKBEHIND, "abc"), Some((2, 3)));
    assert_eq!(span(LOOKBEHIND, "xbc"), None);
    assert_eq!(span(NEG_LOOK, "abc"), Some((1, 3)));
}

#[test]
fn atomic_and_possessive() {
    assert_eq!(span(ATOMIC, "aaab"), Some((0, 4)));
    assert_eq!(span(POSSESSIVE, "ababa"), Some((0, 4)));
}

#[test]
fn conditionals_and_backrefs() {
    assert_eq!(span(COND, "ab"), Some((0, 2)));
    assert_eq!(span(COND, "ac"), None);
    assert_eq!(span(BACKREF, "xaa"), Some((1, 3)));
    assert_eq!(span(BACKREF, "ab"), None);
}

#[test]
fn case_folding_and_sets() {
    assert_eq!(span(IGNORE, "STRASSE"), Some((0, 7)));
    assert_eq!(span(IGNORE, "stra\u{17f}se"), Some((0, 7)));
    assert_eq!(span(CYRILLIC, "abc привет"), Some((4, 10)));
    assert_eq!(lower_unicode(0x130), 0x69);
    assert_eq!(upper_unicode(0xDF), 0x53);
    assert!(unicode_iscased(0x3A3) && !unicode_iscased(0x5D0));
}

#[test]
fn bytes_subject_and_bounds() {
    let mut st = State::new(1, 4, 0);
    assert_eq!(st.search(&prog(A_PLUS_B), b"aaab".as_slice()), Ok(true));
    assert_eq!((st.start, st.ptr), (1, 4));
    // endpos cuts the subject.
    let mut st = State::new(0, 3, 0);
    assert_eq!(st.search(&prog(A_PLUS_B), b"aaab".as_slice()), Ok(false));
    // fullmatch
    let mut st = State::new(0, 2, 0);
    st.match_all = true;
    assert_eq!(st.pmatch(&prog(LINES), b"\n\n".as_slice()), Ok(false));
}

#[test]
fn empty_matches_advance() {
    let text = wide("ab");
    let mut st = State::new(0, 2, 0);
    let mut spans = Vec::new();
    while st.search(&prog(LINES), &text) == Ok(true) {
        spans.push((st.start, st.ptr));
        st.must_advance = st.ptr == st.start;
        st.start = st.ptr;
        if spans.len() > 5 {
            break;
        }
    }
    assert_eq!(spans, vec![]);
    let mut st = State::new(0, 3, 0);
    let text = wide("a\n\n");
    let mut spans = Vec::new();
    while st.search(&prog(LINES), &text) == Ok(true) {
        spans.push((st.start, st.ptr));
        st.must_advance = st.ptr == st.start;
        st.start = st.ptr;
    }
    assert_eq!(spans, vec![(2, 2), (3, 3)]);
}

#[test]
fn catastrophic_pattern_terminates_without_recursion() {
    // Exponential in CPython too; 20 characters keep it short, and the
    // explicit stack means a long subject cannot overflow the Rust stack.
    let s = "a".repeat(20);
    assert_eq!(span(CATASTROPHIC, &s), None);
    let long = "ab".repeat(200_000) + "c";
    assert_eq!(span(ALT_STAR, &long), Some((0, long.len())));
}

#[test]
fn malformed_code_fails_cleanly() {
    let text = wide("abc");
    let mut st = State::new(0, 3, 0);
    // MARK beyond the groups, unknown opcode, truncated code: no panic.
    assert_eq!(st.pmatch(&prog(&[MARK, 5, SUCCESS]), &text), Err(EngineError));
    assert_eq!(st.pmatch(&prog(&[99]), &text), Err(EngineError));
    assert_eq!(st.pmatch(&prog(&[REPEAT_ONE, 100, 0]), &text), Ok(false));
    assert_eq!(st.pmatch(&prog(&[MAX_UNTIL]), &text), Err(EngineError));
    assert_eq!(st.search(&prog(&[INFO, 900, 4, 1, 1]), &text), Ok(false));
    assert_eq!(st.pmatch(&prog(&[BRANCH, 0]), &text), Ok(false));
    assert_eq!(st.pmatch(&prog(&[IN, 2, BIGCHARSET, 9]), &text), Ok(false));
}
