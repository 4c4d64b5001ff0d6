//! `match` patterns.

use super::literal::constant_source;
use super::{list, node, text, Unparser, V};
use crate::code::Constant;

impl Unparser {
    pub(super) fn pattern(&mut self, v: &V) {
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
    pub(super) fn pattern_value(&mut self, v: &V) {
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
                self.lit(&s);
            }
            "UnaryOp" => {
                self.w("-");
                self.pattern_value(n.get("operand"));
            }
            "BinOp" => {
                self.pattern_value(n.get("left"));
                self.w(if node(n.get("op")).map(|o| o.class) == Some("Sub") {
                    " - "
                } else {
                    " + "
                });
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

    pub(super) fn patterns(&mut self, v: &V) {
        let mut first = true;
        for p in list(v) {
            self.sep(&mut first);
            self.pattern(p);
        }
    }
}
