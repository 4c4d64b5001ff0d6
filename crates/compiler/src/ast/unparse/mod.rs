//! An AST back to source text, for `compile(tree, ...)`: the text is parsed
//! and compiled like any source. Every compound subexpression is
//! parenthesized (the text is for the compiler, not for people), and each
//! statement is put on its `lineno` when that is still ahead, so tracebacks
//! and `co_firstlineno` show the tree's line numbers.

mod expr;
use expr::binop;
mod literal;
mod pattern;

use super::{AstNode, AstValue};

type V = AstValue;

/// The source text of a `Module`/`Interactive` (statements) or `Expression`.
pub fn unparse(root: &AstNode) -> String {
    let mut u = Unparser {
        out: String::new(),
        line: 1,
        indent: 0,
        depth: 0,
        breaks: true,
    };
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
    /// Open brackets: inside them a line break may go anywhere.
    depth: i32,
    /// Whether subexpressions may be moved down to their own lines
    /// (not inside a single-quoted f-string).
    breaks: bool,
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
    /// Writes syntax (brackets counted); literal text goes through `lit`.
    fn w(&mut self, s: &str) {
        for b in s.bytes() {
            match b {
                b'(' | b'[' | b'{' => self.depth += 1,
                b')' | b']' | b'}' => self.depth -= 1,
                _ => {}
            }
        }
        self.out.push_str(s);
    }

    fn lit(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// Inside brackets, moves down to `lineno` so that nested code
    /// (lambdas, comprehensions) keeps its first line.
    fn break_to(&mut self, lineno: i64) {
        if self.breaks && self.depth > 0 {
            while self.line < lineno {
                self.out.push('\n');
                self.line += 1;
            }
        }
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

    /// Statements; simple ones that were on the line of the one before
    /// (`a = 1; b = 2`) stay there, so later lines do not drift.
    fn body(&mut self, stmts: &V) {
        let stmts = list(stmts);
        if stmts.is_empty() {
            self.start_line(0);
            self.w("pass");
        }
        let mut prev_simple = false;
        for s in stmts {
            if let Some(n) = node(s) {
                let simple = is_simple(n);
                if simple && prev_simple && Self::lineno(n) <= self.line {
                    self.w("; ");
                    self.simple_stmt(n);
                } else {
                    self.stmt(n);
                }
                prev_simple = simple;
            }
        }
    }

    /// A suite: on the header's line (`def f(): ...`) when it was there
    /// and is all simple statements, else indented below.
    fn block(&mut self, stmts: &V) {
        self.w(":");
        let items = list(stmts);
        let inline = !items.is_empty()
            && items
                .iter()
                .all(|s| node(s).is_some_and(|n| is_simple(n) && Self::lineno(n) <= self.line));
        if inline {
            for (i, s) in items.iter().enumerate() {
                self.w(if i == 0 { " " } else { "; " });
                if let Some(n) = node(s) {
                    self.simple_stmt(n);
                }
            }
            return;
        }
        self.indent += 1;
        self.body(stmts);
        self.indent -= 1;
    }

    fn stmt(&mut self, n: &AstNode) {
        if matches!(n.class, "FunctionDef" | "AsyncFunctionDef" | "ClassDef") {
            for d in list(n.get("decorator_list")) {
                self.start_line(node(d).map(Self::lineno).unwrap_or(0));
                self.w("@");
                self.expr(d);
            }
        }
        self.start_line(Self::lineno(n));
        self.simple_stmt(n);
    }

    /// A statement from where the cursor is (compound ones too, despite the name).
    fn simple_stmt(&mut self, n: &AstNode) {
        let g = |k: &str| n.get(k);
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
                self.orelse(g("orelse"), false);
            }
            "While" => {
                self.w("while ");
                self.expr(g("test"));
                self.block(g("body"));
                self.orelse(g("orelse"), false);
            }
            "If" => {
                self.w("if ");
                self.expr(g("test"));
                self.block(g("body"));
                self.orelse(g("orelse"), true);
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
                    self.w(if n.class == "TryStar" {
                        "except*"
                    } else {
                        "except"
                    });
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
                self.orelse(g("orelse"), false);
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
                self.w(if n.class == "Global" {
                    "global "
                } else {
                    "nonlocal "
                });
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

    fn orelse(&mut self, orelse: &V, elif: bool) {
        let stmts = list(orelse);
        if stmts.is_empty() {
            return;
        }
        // `else: if` as `elif`, which keeps the lines of a chain.
        if let [V::Node(n)] = stmts {
            if elif && n.class == "If" {
                self.start_line(Self::lineno(n));
                self.w("elif ");
                self.expr(n.get("test"));
                self.block(n.get("body"));
                self.orelse(n.get("orelse"), true);
                return;
            }
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
}

/// Whether a statement may share a line with others (not a compound statement).
fn is_simple(n: &AstNode) -> bool {
    !matches!(
        n.class,
        "FunctionDef"
            | "AsyncFunctionDef"
            | "ClassDef"
            | "For"
            | "AsyncFor"
            | "While"
            | "If"
            | "With"
            | "AsyncWith"
            | "Match"
            | "Try"
            | "TryStar"
    )
}
