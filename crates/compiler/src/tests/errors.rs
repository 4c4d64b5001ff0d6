//! Syntax errors against CPython 3.11's verdicts (tests/syntax_cases.rs).

use super::syntax_cases::CASES;
use crate::{compile, ErrorKind, Mode};

fn kind_name(k: ErrorKind) -> &'static str {
    match k {
        ErrorKind::SyntaxError => "SyntaxError",
        ErrorKind::IndentationError => "IndentationError",
        ErrorKind::TabError => "TabError",
        ErrorKind::RecursionError => "RecursionError",
    }
}

/// Every case: same verdict; for errors the same class, message, line and offset.
pub(crate) fn mismatches() -> Vec<String> {
    let mut out = Vec::new();
    for case in CASES {
        let mode = match case.mode {
            "eval" => Mode::Eval,
            "single" => Mode::Single,
            _ => Mode::Exec,
        };
        let got = compile(case.src, "<case>", mode);
        match (&got, &case.err) {
            (Ok(_), None) => {}
            (Ok(_), Some(e)) => out.push(format!("{:?}: compiled, CPython: {:?}", case.src, e)),
            (Err(e), None) => out.push(format!("{:?}: {} {:?}, CPython compiles", case.src, kind_name(e.kind), e.msg)),
            (Err(e), Some((kind, msg, line, offset, _, _))) => {
                if kind_name(e.kind) != *kind || e.msg != *msg || e.lineno != *line || e.offset != *offset {
                    out.push(format!(
                        "{:?}: got {} {:?} {}:{}, CPython {} {:?} {}:{}",
                        case.src,
                        kind_name(e.kind),
                        e.msg,
                        e.lineno,
                        e.offset,
                        kind,
                        msg,
                        line,
                        offset
                    ));
                }
            }
        }
    }
    out
}

#[test]
fn syntax_errors_match_cpython() {
    let bad = super::big_stack(mismatches);
    for b in &bad {
        eprintln!("{b}");
    }
    eprintln!("{} of {} cases differ", bad.len(), CASES.len());
    assert!(bad.len() <= KNOWN_DIFFERENCES, "{} cases differ from CPython", bad.len());
}

/// Cases where krait's message still differs from CPython's (to be driven to 0).
const KNOWN_DIFFERENCES: usize = 0;

#[test]
#[ignore]
fn dump_ruff_errors() {
    use ruff_python_parser::{parse_unchecked, Mode as RMode, ParseOptions};
    for case in CASES {
        let m = if case.mode == "eval" { RMode::Expression } else { RMode::Module };
        let p = parse_unchecked(case.src, ParseOptions::from(m).with_target_version(ruff_python_ast::PythonVersion::PY311));
        if let Some(e) = p.errors().first() {
            eprintln!("{:?} => {:?} @ {:?}", case.src, e.error, e.location);
        } else if let Some(u) = p.unsupported_syntax_errors().first() {
            eprintln!("{:?} => unsupported {:?} @ {:?}", case.src, u.kind, u.range);
        }
    }
}
