//! An AST back to source text, for `compile(tree, ...)`: the text is parsed
//! and compiled like any source. Every compound subexpression is
//! parenthesized (the text is for the compiler, not for people), and each
//! statement is put on its `lineno` when that is still ahead, so tracebacks
//! and `co_firstlineno` show the tree's line numbers.

use super::{AstNode, AstValue};
use crate::code::Constant;

type V = AstValue;

/// The source text of a `Module`/`Interactive` (statements) or `Expression`.
pub fn unparse(root: &AstNode) -> String {
    let mut u = Unparser { out: String::new(), line: 1, indent: 0 };
    match root.class {
        "Expression" => u.expr(root.get("body")),
        _ => u.body(root.get("body")),
    }
    u.out
}

struct Unparser {
    out: String,
    /// The line the next character goes on.
    line: i64,
    indent: usize,
}

fn list(v: &V) -> &[V] {
    match v {
        V::List(l) => l,
        _ => &[],
    }
}

fn node(v: &V) -> Option<&AstNode> {
    match v {
        V::Node(n) => Some(n),
        _ => None,
    }
}

fn text(v: &V) -> &str {
    match v {
        V::Str(s) => s,
        _ => "",
    }
}

fn int(v: &V) -> i64 {
    match v {
        V::Int(i) => *i,
        _ => 0,
    }
}

impl Unparser {
    fn w(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// Starts a new line for a statement whose original line is `lineno`.
    fn start_line(&mut self, lineno: i64) {
        if !self.out.is_empty() {
            self.out.push('\n');
            self.line += 1;
        }
        while self.line < lineno {
            self.out.push('\n');
            self.line += 1;
        }
        for _ in 0..self.indent {
            self.out.push_str("    ");
        }
    }

    fn lineno(n: &AstNode) -> i64 {
        n.pos.map(|p| p.lineno).unwrap_or(0)
    }

    fn body(&mut self, stmts: &V) {
        let stmts = list(stmts);
        if stmts.is_empty() {
            self.start_line(0);
            self.w("pass");
        }
        for s in stmts {
            if let Some(n) = node(s) {
                self.stmt(n);
            }
        }
    }

    fn block(&mut self, stmts: &V) {
        self.w(":");
        self.indent += 1;
        self.body(stmts);
        self.indent -= 1;
    }

    fn stmt(&mut self, n: &AstNode) {
        let g = |k: &str| n.get(k);
        if matches!(n.class, "FunctionDef" | "AsyncFunctionDef" | "ClassDef") {
            for d in list(g("decorator_list")) {
                self.start_line(node(d).map(Self::lineno).unwrap_or(0));
                self.w("@");
                self.expr(d);
            }
        }
        self.start_line(Self::lineno(n));
        match n.class {
            "FunctionDef" | "AsyncFunctionDef" => {
                if n.class == "AsyncFunctionDef" {
                    self.w("async ");
                }
                self.w("def ");
                self.w(text(g("name")));
                self.w("(");
                if let Some(a) = node(g("args")) {
                    self.arguments(a, true);
                }
                self.w(")");
                if !matches!(g("returns"), V::None) {
                    self.w(" -> ");
                    self.expr(g("returns"));
                }
                self.block(g("body"));
            }
            "ClassDef" => {
                self.w("class ");
                self.w(text(g("name")));
                self.w("(");
                let mut first = true;
                for b in list(g("bases")) {
                    self.sep(&mut first);
                    self.expr(b);
                }
                for k in list(g("keywords")) {
                    self.sep(&mut first);
                    self.keyword(k);
                }
                self.w(")");
                self.block(g("body"));
            }
            "Return" => {
                self.w("return");
                if !matches!(g("value"), V::None) {
                    self.w(" ");
                    self.expr(g("value"));
                }
            }
            "Delete" => {
                self.w("del ");
                self.comma_list(g("targets"));
            }
            "Assign" => {
                for t in list(g("targets")) {
                    self.expr(t);
                    self.w(" = ");
                }
                self.expr(g("value"));
            }
            "AugAssign" => {
                self.expr(g("target"));
                self.w(" ");
                self.w(binop(node(g("op")).map(|o| o.class).unwrap_or("")));
                self.w("= ");
                self.expr(g("value"));
            }
            "AnnAssign" => {
                let target = g("target");
                let simple = int(g("simple")) != 0 && node(target).map(|t| t.class) == Some("Name");
                if simple {
                    self.w(text(node(target).map(|t| t.get("id")).unwrap_or(&V::None)));
                } else {
                    self.w("(");
                    self.expr(target);
                    self.w(")");
                }
                self.w(": ");
                self.expr(g("annotation"));
                if !matches!(g("value"), V::None) {
                    self.w(" = ");
                    self.expr(g("value"));
                }
            }
            "For" | "AsyncFor" => {
                if n.class == "AsyncFor" {
                    self.w("async ");
                }
                self.w("for ");
                self.expr(g("target"));
                self.w(" in ");
                self.expr(g("iter"));
                self.block(g("body"));
                self.orelse(g("orelse"));
            }
            "While" => {
                self.w("while ");
                self.expr(g("test"));
                self.block(g("body"));
                self.orelse(g("orelse"));
            }
            "If" => {
                self.w("if ");
                self.expr(g("test"));
                self.block(g("body"));
                self.orelse(g("orelse"));
            }
            "With" | "AsyncWith" => {
                if n.class == "AsyncWith" {
                    self.w("async ");
                }
                self.w("with ");
                let mut first = true;
                for item in list(g("items")) {
                    self.sep(&mut first);
                    if let Some(i) = node(item) {
                        self.expr(i.get("context_expr"));
                        if !matches!(i.get("optional_vars"), V::None) {
                            self.w(" as ");
                            self.expr(i.get("optional_vars"));
                        }
                    }
                }
                self.block(g("body"));
            }
            "Match" => {
                self.w("match ");
                self.expr(g("subject"));
                self.w(":");
                self.indent += 1;
                for c in list(g("cases")) {
                    let Some(c) = node(c) else { continue };
                    let line = node(c.get("pattern")).map(Self::lineno).unwrap_or(0);
                    self.start_line(line);
                    self.w("case ");
                    self.pattern(c.get("pattern"));
                    if !matches!(c.get("guard"), V::None) {
                        self.w(" if ");
                        self.expr(c.get("guard"));
                    }
                    self.block(c.get("body"));
                }
                self.indent -= 1;
            }
            "Raise" => {
                self.w("raise");
                if !matches!(g("exc"), V::None) {
                    self.w(" ");
                    self.expr(g("exc"));
                    if !matches!(g("cause"), V::None) {
                        self.w(" from ");
                        self.expr(g("cause"));
                    }
                }
            }
            "Try" | "TryStar" => {
                self.w("try");
                self.block(g("body"));
                for h in list(g("handlers")) {
                    let Some(h) = node(h) else { continue };
                    self.start_line(Self::lineno(h));
                    self.w(if n.class == "TryStar" { "except*" } else { "except" });
                    if !matches!(h.get("type"), V::None) {
                        self.w(" ");
                        self.expr(h.get("type"));
                        if let V::Str(name) = h.get("name") {
                            self.w(" as ");
                            self.w(name);
                        }
                    }
                    self.block(h.get("body"));
                }
                self.orelse(g("orelse"));
                if !list(g("finalbody")).is_empty() {
                    self.start_line(0);
                    self.w("finally");
                    self.block(g("finalbody"));
                }
            }
            "Assert" => {
                self.w("assert ");
                self.expr(g("test"));
                if !matches!(g("msg"), V::None) {
                    self.w(", ");
                    self.expr(g("msg"));
                }
            }
            "Import" => {
                self.w("import ");
                self.aliases(g("names"));
            }
            "ImportFrom" => {
                self.w("from ");
                self.w(&".".repeat(int(g("level")).clamp(0, 1000) as usize));
                self.w(text(g("module")));
                self.w(" import ");
                self.aliases(g("names"));
            }
            "Global" | "Nonlocal" => {
                self.w(if n.class == "Global" { "global " } else { "nonlocal " });
                let names: Vec<&str> = list(g("names")).iter().map(text).collect();
                self.w(&names.join(", "));
            }
            "Expr" => self.expr(g("value")),
            "Pass" => self.w("pass"),
            "Break" => self.w("break"),
            "Continue" => self.w("continue"),
            _ => self.w("pass"),
        }
    }

    fn orelse(&mut self, orelse: &V) {
        let stmts = list(orelse);
        if stmts.is_empty() {
            return;
        }
        self.start_line(0);
        self.w("else");
        self.block(orelse);
    }

    fn sep(&mut self, first: &mut bool) {
        if !*first {
            self.w(", ");
        }
        *first = false;
    }

    fn comma_list(&mut self, v: &V) {
        let mut first = true;
        for e in list(v) {
            self.sep(&mut first);
            self.expr(e);
        }
    }

    fn aliases(&mut self, v: &V) {
        let mut first = true;
        for a in list(v) {
            self.sep(&mut first);
            if let Some(a) = node(a) {
                self.w(text(a.get("name")));
                if let V::Str(s) = a.get("asname") {
                    self.w(" as ");
                    self.w(s);
                }
            }
        }
    }

    fn keyword(&mut self, k: &V) {
        let Some(k) = node(k) else { return };
        match k.get("arg") {
            V::Str(name) => {
                self.w(name);
                self.w("=");
            }
            _ => self.w("**"),
        }
        self.expr(k.get("value"));
    }

    fn arg(&mut self, a: &V, annotations: bool) {
        let Some(a) = node(a) else { return };
        self.w(text(a.get("arg")));
        if annotations && !matches!(a.get("annotation"), V::None) {
            self.w(": ");
            self.expr(a.get("annotation"));
        }
    }

    fn arguments(&mut self, a: &AstNode, annotations: bool) {
        let posonly = list(a.get("posonlyargs"));
        let args = list(a.get("args"));
        let defaults = list(a.get("defaults"));
        let positional: Vec<&V> = posonly.iter().chain(args.iter()).collect();
        let first_default = positional.len().saturating_sub(defaults.len());
        let mut first = true;
        for (i, p) in positional.iter().enumerate() {
            self.sep(&mut first);
            self.arg(p, annotations);
            if i >= first_default {
                self.w("=");
                self.expr(&defaults[i - first_default]);
            }
            if i + 1 == posonly.len() {
                self.w(", /");
            }
        }
        let kwonly = list(a.get("kwonlyargs"));
        if !matches!(a.get("vararg"), V::None) {
            self.sep(&mut first);
            self.w("*");
            self.arg(a.get("vararg"), annotations);
        } else if !kwonly.is_empty() {
            self.sep(&mut first);
            self.w("*");
        }
        let kw_defaults = list(a.get("kw_defaults"));
        for (i, k) in kwonly.iter().enumerate() {
            self.sep(&mut first);
            self.arg(k, annotations);
            if let Some(d) = kw_defaults.get(i).filter(|d| !matches!(d, V::None)) {
                self.w("=");
                self.expr(d);
            }
        }
        if !matches!(a.get("kwarg"), V::None) {
            self.sep(&mut first);
            self.w("**");
            self.arg(a.get("kwarg"), annotations);
        }
    }

    /// A subexpression: parenthesized unless it is an atom.
    fn expr(&mut self, v: &V) {
        let Some(n) = node(v) else {
            self.w("None");
            return;
        };
        let atom = match n.class {
            "Name" | "Attribute" | "Subscript" | "Call" | "List" | "Tuple" | "Dict" | "Set" | "ListComp" | "SetComp"
            | "DictComp" | "GeneratorExp" | "JoinedStr" | "Starred" => true,
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

    fn expr_inner(&mut self, n: &AstNode) {
        let g = |k: &str| n.get(k);
        match n.class {
            "BoolOp" => {
                let op = if node(g("op")).map(|o| o.class) == Some("Or") { " or " } else { " and " };
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
                    self.w(if int(c.get("is_async")) != 0 { " async for " } else { " for " });
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
            "FormattedValue" => self.joined_str(std::slice::from_ref(&V::Node(Box::new(n.clone())))),
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
    fn primary(&mut self, v: &V) {
        match node(v).map(|n| n.class) {
            Some("Name" | "Attribute" | "Call" | "Subscript") => self.expr(v),
            _ => {
                self.w("(");
                self.expr(v);
                self.w(")");
            }
        }
    }

    fn slice(&mut self, v: &V) {
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
            "Tuple" if list(n.get("elts")).iter().any(|e| node(e).map(|e| e.class) == Some("Slice")) => {
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

    fn constant(&mut self, v: &V) {
        match v {
            V::Const(c) => {
                let s = constant_source(c);
                self.w(&s);
            }
            V::Str(s) => self.w(&str_literal(s)),
            V::Int(i) => self.w(&i.to_string()),
            _ => self.w("None"),
        }
    }

    /// An f-string: literal parts escaped, each value as `{(expr)!c:spec}`;
    /// the outer quotes are chosen so that no expression contains them
    /// (3.11 f-strings forbid that and backslashes in expressions).
    fn joined_str(&mut self, values: &[V]) {
        let body = self.fstring_body(values);
        let quote = ["'", "\"", "'''", "\"\"\""].into_iter().find(|q| !body.1.contains(q)).unwrap_or("'");
        self.w("f");
        self.w(quote);
        self.w(&escape_body(&body.0, quote));
        self.w(quote);
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
                    let mut sub = Unparser { out: String::new(), line: self.line, indent: 0 };
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

fn binop(class: &str) -> &'static str {
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

fn cmpop(class: &str) -> &'static str {
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

impl Unparser {
    fn pattern(&mut self, v: &V) {
        let Some(n) = node(v) else { return };
        let g = |k: &str| n.get(k);
        match n.class {
            "MatchValue" => self.pattern_value(g("value")),
            "MatchSingleton" => self.constant(g("value")),
            "MatchSequence" => {
                self.w("[");
                self.patterns(g("patterns"));
                self.w("]");
            }
            "MatchMapping" => {
                self.w("{");
                let pats = list(g("patterns"));
                let mut first = true;
                for (i, k) in list(g("keys")).iter().enumerate() {
                    self.sep(&mut first);
                    self.pattern_value(k);
                    self.w(": ");
                    self.pattern(pats.get(i).unwrap_or(&V::None));
                }
                if let V::Str(rest) = g("rest") {
                    self.sep(&mut first);
                    self.w("**");
                    self.w(rest);
                }
                self.w("}");
            }
            "MatchClass" => {
                self.expr(g("cls"));
                self.w("(");
                self.patterns(g("patterns"));
                let mut first = list(g("patterns")).is_empty();
                let pats = list(g("kwd_patterns"));
                for (i, a) in list(g("kwd_attrs")).iter().enumerate() {
                    self.sep(&mut first);
                    self.w(text(a));
                    self.w("=");
                    self.pattern(pats.get(i).unwrap_or(&V::None));
                }
                self.w(")");
            }
            "MatchStar" => {
                self.w("*");
                self.w(match g("name") {
                    V::Str(s) => s,
                    _ => "_",
                });
            }
            "MatchAs" => match (g("pattern"), g("name")) {
                (V::None, V::Str(name)) => self.w(name),
                (V::None, _) => self.w("_"),
                (p, name) => {
                    self.w("(");
                    self.pattern(p);
                    self.w(" as ");
                    self.w(text(name));
                    self.w(")");
                }
            },
            "MatchOr" => {
                self.w("(");
                for (i, p) in list(g("patterns")).iter().enumerate() {
                    if i > 0 {
                        self.w(" | ");
                    }
                    self.pattern(p);
                }
                self.w(")");
            }
            _ => self.w("_"),
        }
    }

    /// A value pattern or mapping key: patterns take literals, `-1`, `1+2j`
    /// and dotted names bare, never parenthesized.
    fn pattern_value(&mut self, v: &V) {
        let Some(n) = node(v) else { return };
        match n.class {
            "Constant" => {
                let s = match n.get("value") {
                    V::Const(Constant::Int(i)) => i.to_string(),
                    V::Const(Constant::Float(f)) => format!("{f:?}"),
                    V::Const(Constant::Complex { im, .. }) => format!("{im:?}j"),
                    V::Const(c) => constant_source(c),
                    _ => "None".into(),
                };
                self.w(&s);
            }
            "UnaryOp" => {
                self.w("-");
                self.pattern_value(n.get("operand"));
            }
            "BinOp" => {
                self.pattern_value(n.get("left"));
                self.w(if node(n.get("op")).map(|o| o.class) == Some("Sub") { " - " } else { " + " });
                self.pattern_value(n.get("right"));
            }
            "Attribute" => {
                self.pattern_value(n.get("value"));
                self.w(".");
                self.w(text(n.get("attr")));
            }
            "Name" => self.w(text(n.get("id"))),
            "JoinedStr" => self.expr(v),
            _ => self.expr(v),
        }
    }

    fn patterns(&mut self, v: &V) {
        let mut first = true;
        for p in list(v) {
            self.sep(&mut first);
            self.pattern(p);
        }
    }
}

/// A constant as source that evaluates to it.
fn constant_source(c: &Constant) -> String {
    match c {
        Constant::None => "None".into(),
        Constant::Bool(b) => (if *b { "True" } else { "False" }).into(),
        Constant::Int(i) => format!("({i})"),
        Constant::Float(f) => format!("({})", float_source(*f)),
        Constant::Complex { re, im } => format!("({} + {}j)", float_source(*re), float_source(*im)),
        Constant::Str(s) => str_literal(s),
        Constant::Bytes(b) => bytes_literal(b),
        Constant::Tuple(items) => {
            let parts: Vec<String> = items.iter().map(constant_source).collect();
            format!("({}{})", parts.join(", "), if items.len() == 1 { "," } else { "" })
        }
        Constant::FrozenSet(items) => {
            let parts: Vec<String> = items.iter().map(constant_source).collect();
            format!("frozenset(({}{}))", parts.join(", "), if items.len() == 1 { "," } else { "" })
        }
        Constant::Ellipsis => "...".into(),
        Constant::Code(_) => "None".into(),
    }
}

fn float_source(f: f64) -> String {
    if f.is_nan() {
        "(1e309 - 1e309)".into()
    } else if f.is_infinite() {
        (if f > 0.0 { "1e309" } else { "(-1e309)" }).into()
    } else {
        // Rust's shortest round-trip form is a valid Python float literal once it has a `.` or `e`.
        let s = format!("{f:?}");
        if f < 0.0 {
            format!("({s})")
        } else {
            s
        }
    }
}

fn str_literal(s: &str) -> String {
    let q = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    format!("{q}{}{q}", str_literal_inner(s, q))
}

fn str_literal_inner(s: &str, q: char) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn bytes_literal(b: &[u8]) -> String {
    let mut out = String::from("b'");
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\'' => out.push_str("\\'"),
            0x20..=0x7e => out.push(c as char),
            _ => out.push_str(&format!("\\x{c:02x}")),
        }
    }
    out.push('\'');
    out
}
