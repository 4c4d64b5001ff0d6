//! Python's own AST (the `_ast` node classes of CPython 3.11) as plain Rust
//! data, so the VM can turn it into `ast.AST` objects and back:
//! - `parse_to_ast`: source text to a tree of CPython's shapes and positions
//!   (ruff's AST differs: implicit concatenation, collapsed async variants, ...);
//! - `unparse`: a tree (perhaps built or edited by Python code) back to source
//!   text, which `compile(tree, ...)` then compiles as usual.

mod convert;
pub mod nodes;
mod unparse;

use crate::code::Constant;
use crate::error::CompileError;
use crate::locate::SourceMap;

pub use unparse::unparse;

/// How many of a field a node holds (ASDL's `x`, `x?`, `x*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quant {
    One,
    Opt,
    Seq,
}

/// One field of a node class: its name and ASDL type (`expr`, `identifier`, `int`, ...).
#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: &'static str,
    pub quant: Quant,
}

/// One class of `_ast`.
#[derive(Debug)]
pub struct NodeClass {
    pub name: &'static str,
    pub base: &'static str,
    pub is_abstract: bool,
    pub fields: &'static [Field],
    /// `_attributes` when the class defines it itself (sum and product types).
    pub attributes: Option<&'static [&'static str]>,
    /// Attributes whose class-level default is None (`int? end_lineno`).
    pub optional_attributes: &'static [&'static str],
    pub doc: &'static str,
}

/// The class named `name`, if `_ast` has one.
pub fn node_class(name: &str) -> Option<&'static NodeClass> {
    nodes::NODE_CLASSES.iter().find(|c| c.name == name)
}

/// Whether class `name` is `base` or derives from it.
pub fn is_subclass(name: &str, base: &str) -> bool {
    let mut cur = name;
    loop {
        if cur == base {
            return true;
        }
        match node_class(cur) {
            Some(c) => cur = c.base,
            None => return false,
        }
    }
}

/// A field value.
#[derive(Clone, Debug)]
pub enum AstValue {
    None,
    Node(Box<AstNode>),
    List(Vec<AstValue>),
    /// identifier and string fields (`Name.id`, `Constant.kind`).
    Str(String),
    /// int fields (`conversion`, `level`, `is_async`, `simple`).
    Int(i64),
    /// `Constant.value` and `MatchSingleton.value`.
    Const(Constant),
}

/// Line and column span (1-based lines, 0-based UTF-8 byte columns).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    pub lineno: i64,
    pub col_offset: i64,
    pub end_lineno: Option<i64>,
    pub end_col_offset: Option<i64>,
}

/// One node: its class name, its fields in `_fields` order, its position
/// (for classes with `lineno` among their attributes).
#[derive(Clone, Debug)]
pub struct AstNode {
    pub class: &'static str,
    pub fields: Vec<(&'static str, AstValue)>,
    pub pos: Option<Pos>,
}

impl AstNode {
    /// A field's value (None when absent).
    pub fn get(&self, name: &str) -> &AstValue {
        self.fields
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
            .unwrap_or(&AstValue::None)
    }
}

/// What `compile(..., flags=PyCF_ONLY_AST)` parses source as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AstMode {
    Exec,
    Eval,
    Single,
}

/// Parses source text to CPython's AST (a `Module`, `Expression` or `Interactive`).
pub fn parse_to_ast(source: &str, filename: &str, mode: AstMode) -> Result<AstNode, CompileError> {
    let source = &*crate::source::translate_newlines(source);
    crate::codegen::surrogates::with_source(source, || parse_to_ast_in(source, filename, mode))
}

fn parse_to_ast_in(source: &str, filename: &str, mode: AstMode) -> Result<AstNode, CompileError> {
    let map = SourceMap::new(source, filename);
    let m = match mode {
        AstMode::Exec => crate::Mode::Exec,
        AstMode::Eval => crate::Mode::Eval,
        AstMode::Single => crate::Mode::Single,
    };
    let parsed = crate::parse::parse(source, &map, m)?;
    let conv = convert::Conv { map: &map };
    Ok(match parsed {
        crate::parse::Parsed::Module(body) => {
            let body = AstValue::List(body.iter().map(|s| conv.stmt(s)).collect());
            if mode == AstMode::Single {
                AstNode {
                    class: "Interactive",
                    fields: vec![("body", body)],
                    pos: None,
                }
            } else {
                AstNode {
                    class: "Module",
                    fields: vec![("body", body), ("type_ignores", AstValue::List(vec![]))],
                    pos: None,
                }
            }
        }
        crate::parse::Parsed::Expression(e) => AstNode {
            class: "Expression",
            fields: vec![("body", conv.expr(&e))],
            pos: None,
        },
    })
}

#[cfg(test)]
mod tests;
