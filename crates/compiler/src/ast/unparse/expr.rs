//! Expressions and f-strings.

use super::literal::{constant_source, str_literal, str_literal_inner};
use super::{int, list, node, text, Unparser, V};
use crate::ast::AstNode;
use crate::code::Constant;

impl Unparser {
    /// A subexpression: parenthesized unless it is an atom.
    pub(super) fn expr(&mut self, v: &V) {
        let Some(n) = node(v) else {
            self.w("None");
            return;
        };
        self.break_to(Self::lineno(n));
        let atom = match n.class {
            "Name" | "Attribute" | "Subscript" | "Call" | "List" | "Tuple" | "Dict" | "Set"
            | "ListComp" | "SetComp" | "DictComp" | "GeneratorExp" | "JoinedStr" | "Starred" => {
                true
            }
            // `constant_source` parenthesizes numbers itself.
            "Constant" => true,
            _ => false,
        };
        if !atom {
            self.w("(");
        }
        self.expr_inner(n);
        if !atom {
            self.w(")");
        }
    }

    pub(super) fn expr_inner(&mut self, n: &AstNode) {
        let g = |k: &str| n.get(k);
        match n.class {
            "BoolOp" => {
                let op = if node(g("op")).map(|o| o.class) == Some("Or") {
                    " or "
                } else {
                    " and "
                };
                for (i, e) in list(g("values")).iter().enumerate() {
                    if i > 0 {
                        self.w(op);
                    }
                    self.expr(e);
                }
            }
            "NamedExpr" => {
                self.expr(g("target"));
                self.w(" := ");
                self.expr(g("value"));
            }
            "BinOp" => {
                self.expr(g("left"));
                self.w(" ");
                self.w(binop(node(g("op")).map(|o| o.class).unwrap_or("")));
                self.w(" ");
                self.expr(g("right"));
            }
            "UnaryOp" => {
                self.w(match node(g("op")).map(|o| o.class) {
                    Some("Not") => "not ",
                    Some("Invert") => "~",
                    Some("UAdd") => "+",
                    _ => "-",
                });
                self.expr(g("operand"));
            }
            "Lambda" => {
                self.w("lambda ");
                if let Some(a) = node(g("args")) {
                    self.arguments(a, false);
                }
                self.w(": ");
                self.expr(g("body"));
            }
            "IfExp" => {
                self.expr(g("body"));
                self.w(" if ");
                self.expr(g("test"));
                self.w(" else ");
                self.expr(g("orelse"));
            }
            "Dict" => {
                self.w("{");
                let values = list(g("values"));
                for (i, k) in list(g("keys")).iter().enumerate() {
                    if i > 0 {
                        self.w(", ");
                    }
                    if matches!(k, V::None) {
                        self.w("**");
                    } else {
                        self.expr(k);
                        self.w(": ");
                    }
                    self.expr(values.get(i).unwrap_or(&V::None));
                }
                self.w("}");
            }
            "Set" => {
                if list(g("elts")).is_empty() {
                    // Not valid source; an empty set display is the closest meaning.
                    self.w("{*()}");
                } else {
                    self.w("{");
                    self.comma_list(g("elts"));
                    self.w("}");
                }
            }
            "ListComp" | "SetComp" | "GeneratorExp" | "DictComp" => {
                let (open, close) = match n.class {
                    "ListComp" => ("[", "]"),
                    "GeneratorExp" => ("(", ")"),
                    _ => ("{", "}"),
                };
                self.w(open);
                if n.class == "DictComp" {
                    self.expr(g("key"));
                    self.w(": ");
                    self.expr(g("value"));
                } else {
                    self.expr(g("elt"));
                }
                for c in list(g("generators")) {
                    let Some(c) = node(c) else { continue };
                    self.w(if int(c.get("is_async")) != 0 {
                        " async for "
                    } else {
                        " for "
                    });
                    self.expr(c.get("target"));
                    self.w(" in ");
                    self.expr(c.get("iter"));
                    for cond in list(c.get("ifs")) {
                        self.w(" if ");
                        self.expr(cond);
                    }
                }
                self.w(close);
            }
            "Await" => {
                self.w("await ");
                self.expr(g("value"));
            }
            "Yield" => {
                self.w("yield");
                if !matches!(g("value"), V::None) {
                    self.w(" ");
                    self.expr(g("value"));
                }
            }
            "YieldFrom" => {
                self.w("yield from ");
                self.expr(g("value"));
            }
            "Compare" => {
                self.expr(g("left"));
                let comparators = list(g("comparators"));
                for (i, op) in list(g("ops")).iter().enumerate() {
                    self.w(" ");
                    self.w(cmpop(node(op).map(|o| o.class).unwrap_or("")));
                    self.w(" ");
                    self.expr(comparators.get(i).unwrap_or(&V::None));
                }
            }
            "Call" => {
                self.primary(g("func"));
                self.w("(");
                let mut first = true;
                for a in list(g("args")) {
                    self.sep(&mut first);
                    self.expr(a);
                }
                for k in list(g("keywords")) {
                    self.sep(&mut first);
                    self.keyword(k);
                }
                self.w(")");
            }
            "FormattedValue" => {
                self.joined_str(std::slice::from_ref(&V::Node(Box::new(n.clone()))))
            }
            "JoinedStr" => self.joined_str(list(g("values"))),
            "Constant" => self.constant(g("value")),
            "Attribute" => {
                self.primary(g("value"));
                self.w(".");
                self.w(text(g("attr")));
            }
            "Subscript" => {
                self.primary(g("value"));
                self.w("[");
                self.slice(g("slice"));
                self.w("]");
            }
            "Starred" => {
                self.w("*");
                self.expr(g("value"));
            }
            "Name" => self.w(text(g("id"))),
            "List" => {
                self.w("[");
                self.comma_list(g("elts"));
                self.w("]");
            }
            "Tuple" => {
                self.w("(");
                self.comma_list(g("elts"));
                if list(g("elts")).len() == 1 {
                    self.w(",");
                }
                self.w(")");
            }
            // Only valid inside a subscript (handled by `slice`).
            "Slice" => self.slice(&V::Node(Box::new(n.clone()))),
            _ => self.w("None"),
        }
    }

    /// The target of `.attr`, `(...)` or `[...]`: names and trailers as they
    /// are, anything else in parentheses (`(1).real`).
    pub(super) fn primary(&mut self, v: &V) {
        match node(v).map(|n| n.class) {
            Some("Name" | "Attribute" | "Call" | "Subscript") => self.expr(v),
            _ => {
                self.w("(");
                self.expr(v);
                self.w(")");
            }
        }
    }

    pub(super) fn slice(&mut self, v: &V) {
        let Some(n) = node(v) else { return };
        match n.class {
            "Slice" => {
                for (i, k) in ["lower", "upper", "step"].iter().enumerate() {
                    if i > 0 {
                        self.w(":");
                    }
                    if !matches!(n.get(k), V::None) {
                        self.expr(n.get(k));
                    }
                }
            }
            "Tuple"
                if list(n.get("elts"))
                    .iter()
                    .any(|e| node(e).map(|e| e.class) == Some("Slice")) =>
            {
                let elts = list(n.get("elts"));
                for (i, e) in elts.iter().enumerate() {
                    if i > 0 {
                        self.w(", ");
                    }
                    self.slice(e);
                }
                if elts.len() == 1 {
                    self.w(",");
                }
            }
            _ => self.expr(v),
        }
    }

    pub(super) fn constant(&mut self, v: &V) {
        match v {
            V::Const(c) => {
                let s = constant_source(c);
                self.lit(&s);
            }
            V::Str(s) => self.lit(&str_literal(s)),
            V::Int(i) => self.w(&i.to_string()),
            _ => self.w("None"),
        }
    }

    /// An f-string: literal parts escaped, each value as `{(expr)!c:spec}`;
    /// the outer quotes are chosen so that no expression contains them
    /// (3.11 f-strings forbid that and backslashes in expressions).
    fn joined_str(&mut self, values: &[V]) {
        let body = self.fstring_body(values);
        let quote = ["'", "\"", "'''", "\"\"\""]
            .into_iter()
            .find(|q| !body.1.contains(q))
            .unwrap_or("'");
        self.lit("f");
        self.lit(quote);
        self.lit(&escape_body(&body.0, quote));
        self.lit(quote);
    }

    /// The inside of an f-string and the concatenated text of its expressions.
    fn fstring_body(&mut self, values: &[V]) -> (Vec<Piece>, String) {
        let mut pieces = Vec::new();
        let mut exprs = String::new();
        for v in values {
            let Some(n) = node(v) else { continue };
            match n.class {
                "Constant" => {
                    if let V::Const(Constant::Str(s)) = n.get("value") {
                        pieces.push(Piece::Lit(s.clone()));
                    }
                }
                "FormattedValue" => {
                    let mut sub = Unparser {
                        out: String::new(),
                        line: self.line,
                        indent: 0,
                        depth: 0,
                        breaks: false,
                    };
                    sub.w("(");
                    sub.expr(n.get("value"));
                    sub.w(")");
                    exprs.push_str(&sub.out);
                    let conv = match int(n.get("conversion")) {
                        115 => "!s",
                        114 => "!r",
                        97 => "!a",
                        _ => "",
                    };
                    let spec = match node(n.get("format_spec")) {
                        Some(s) => {
                            let (p, e) = self.fstring_body(list(s.get("values")));
                            exprs.push_str(&e);
                            Some(p)
                        }
                        None => None,
                    };
                    pieces.push(Piece::Value(sub.out, conv, spec));
                }
                _ => {}
            }
        }
        (pieces, exprs)
    }
}

enum Piece {
    Lit(String),
    Value(String, &'static str, Option<Vec<Piece>>),
}

fn escape_body(pieces: &[Piece], quote: &str) -> String {
    let mut out = String::new();
    for p in pieces {
        match p {
            Piece::Lit(s) => {
                let lit = str_literal_inner(s, quote.chars().next().unwrap_or('\''));
                out.push_str(&lit.replace('{', "{{").replace('}', "}}"));
            }
            Piece::Value(e, conv, spec) => {
                out.push('{');
                out.push_str(e);
                out.push_str(conv);
                if let Some(spec) = spec {
                    out.push(':');
                    out.push_str(&escape_body(spec, quote));
                }
                out.push('}');
            }
        }
    }
    out
}

pub(super) fn binop(class: &str) -> &'static str {
    match class {
        "Add" => "+",
        "Sub" => "-",
        "Mult" => "*",
        "MatMult" => "@",
        "Div" => "/",
        "Mod" => "%",
        "Pow" => "**",
        "LShift" => "<<",
        "RShift" => ">>",
        "BitOr" => "|",
        "BitXor" => "^",
        "BitAnd" => "&",
        _ => "//",
    }
}

pub(super) fn cmpop(class: &str) -> &'static str {
    match class {
        "Eq" => "==",
        "NotEq" => "!=",
        "Lt" => "<",
        "LtE" => "<=",
        "Gt" => ">",
        "GtE" => ">=",
        "Is" => "is",
        "IsNot" => "is not",
        "In" => "in",
        _ => "not in",
    }
}
