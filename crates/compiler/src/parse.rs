//! Parsing with ruff_python_parser, limited to Python 3.11, with syntax errors
//! reworded as CPython 3.11 words them.

use crate::error::{CompileError, ErrorKind};
use crate::locate::SourceMap;
use crate::Mode;
use ruff_python_ast::{Expr, Mod, PythonVersion, Stmt};
use ruff_python_parser::{ParseErrorType, ParseOptions};
use ruff_text_size::{TextRange, TextSize};

pub enum Parsed {
    Module(Vec<Stmt>),
    Expression(Box<Expr>),
}

/// CPython's tokenizer limit on bracket nesting (MAXLEVEL).
const MAX_PAREN_DEPTH: usize = 200;

pub fn parse(source: &str, map: &SourceMap, mode: Mode) -> Result<Parsed, CompileError> {
    crate::syntax_errors::prescan(source, map)?;
    let ruff_mode = match mode {
        Mode::Eval => ruff_python_parser::Mode::Expression,
        _ => ruff_python_parser::Mode::Module,
    };
    let options = ParseOptions::from(ruff_mode).with_target_version(PythonVersion::PY311);
    let parsed = ruff_python_parser::parse_unchecked(source, options);
    if let Some(err) = parsed.errors().first() {
        return Err(crate::syntax_errors::map_parse_error(&err.error, err.location, source, map, mode));
    }
    if let Some(err) = parsed.unsupported_syntax_errors().first() {
        return Err(crate::syntax_errors::map_unsupported(err, source, map));
    }
    let syntax = parsed.into_syntax();
    match syntax {
        Mod::Module(m) => {
            let body: Vec<Stmt> = m.body.into_iter().collect();
            if mode == Mode::Single {
                check_single(&body, source, map)?;
            }
            Ok(Parsed::Module(body))
        }
        Mod::Expression(e) => Ok(Parsed::Expression(e.body)),
    }
}

/// `compile(..., "single")` accepts one statement: a compound statement or
/// simple statements joined by `;` on one logical line.
fn check_single(body: &[Stmt], source: &str, map: &SourceMap) -> Result<(), CompileError> {
    use ruff_text_size::Ranged;
    let mut last = match body.first() {
        Some(first) => first.range().end(),
        None => return Ok(()),
    };
    for stmt in &body[1..] {
        let between = &source[usize::from(last)..usize::from(stmt.range().start())];
        let joined = between.replace("\\\r\n", "").replace("\\\n", "");
        if joined.trim_matches(|c| c == ' ' || c == '\t' || c == '\x0c') != ";" {
            return Err(map.parser_error(
                ErrorKind::SyntaxError,
                "multiple statements found while compiling a single statement",
                TextRange::new(last, last),
            ));
        }
        last = stmt.range().end();
    }
    Ok(())
}

pub(crate) fn max_paren_depth() -> usize {
    MAX_PAREN_DEPTH
}

#[allow(dead_code)]
fn unused(_: ParseErrorType, _: TextSize) {}
