//! Expressions, f-strings and patterns.

use super::{bare, ctx, ident, int_literal, opt, Conv, V};
use crate::code::Constant;
use ruff_python_ast::{self as ast, Expr, Pattern};
use ruff_text_size::{Ranged, TextRange};

impl<'a> Conv<'a> {
    pub fn expr(&self, e: &Expr) -> V {
        let r = e.range();
        match e {
            Expr::BoolOp(x) => self.node(
                "BoolOp",
                vec![
                    ("op", bare(&format!("{:?}", x.op))),
                    ("values", self.exprs(x.values.iter())),
                ],
                r,
            ),
            Expr::Named(x) => self.node(
                "NamedExpr",
                vec![
                    ("target", self.expr(&x.target)),
                    ("value", self.expr(&x.value)),
                ],
                r,
            ),
            Expr::BinOp(x) => self.node(
                "BinOp",
                vec![
                    ("left", self.expr(&x.left)),
                    ("op", bare(&format!("{:?}", x.op))),
                    ("right", self.expr(&x.right)),
                ],
                r,
            ),
            Expr::UnaryOp(x) => self.node(
                "UnaryOp",
                vec![
                    ("op", bare(&format!("{:?}", x.op))),
                    ("operand", self.expr(&x.operand)),
                ],
                r,
            ),
            Expr::Lambda(x) => self.node(
                "Lambda",
                vec![
                    ("args", self.arguments(x.parameters.as_deref())),
                    ("body", self.expr(&x.body)),
                ],
                r,
            ),
            Expr::If(x) => self.node(
                "IfExp",
                vec![
                    ("test", self.expr(&x.test)),
                    ("body", self.expr(&x.body)),
                    ("orelse", self.expr(&x.orelse)),
                ],
                r,
            ),
            Expr::Dict(x) => self.node(
                "Dict",
                vec![
                    (
                        "keys",
                        V::List(x.items.iter().map(|i| self.oexpr(i.key.as_ref())).collect()),
                    ),
                    (
                        "values",
                        V::List(x.items.iter().map(|i| self.expr(&i.value)).collect()),
                    ),
                ],
                r,
            ),
            Expr::Set(x) => self.node("Set", vec![("elts", self.exprs(x.elts.iter()))], r),
            Expr::ListComp(x) => self.node(
                "ListComp",
                vec![
                    ("elt", self.expr(&x.elt)),
                    ("generators", self.comprehensions(&x.generators)),
                ],
                r,
            ),
            Expr::SetComp(x) => self.node(
                "SetComp",
                vec![
                    ("elt", self.expr(&x.elt)),
                    ("generators", self.comprehensions(&x.generators)),
                ],
                r,
            ),
            Expr::DictComp(x) => self.node(
                "DictComp",
                vec![
                    ("key", self.oexpr(x.key.as_deref())),
                    ("value", self.expr(&x.value)),
                    ("generators", self.comprehensions(&x.generators)),
                ],
                r,
            ),
            Expr::Generator(x) => self.genexp(x, r),
            Expr::Await(x) => self.node("Await", vec![("value", self.expr(&x.value))], r),
            Expr::Yield(x) => {
                self.node("Yield", vec![("value", self.oexpr(x.value.as_deref()))], r)
            }
            Expr::YieldFrom(x) => self.node("YieldFrom", vec![("value", self.expr(&x.value))], r),
            Expr::Compare(x) => self.node(
                "Compare",
                vec![
                    ("left", self.expr(&x.left)),
                    (
                        "ops",
                        V::List(x.ops.iter().map(|o| bare(&format!("{o:?}"))).collect()),
                    ),
                    ("comparators", self.exprs(x.comparators.iter())),
                ],
                r,
            ),
            Expr::Call(x) => {
                let a = &x.arguments;
                let args = match (&*a.args, a.keywords.is_empty()) {
                    // `f(x for x in y)`: the generator's span is the call's parentheses.
                    ([Expr::Generator(g)], true) if !g.parenthesized => {
                        V::List(vec![self.genexp(g, a.range)])
                    }
                    _ => self.exprs(a.args.iter()),
                };
                self.node(
                    "Call",
                    vec![
                        ("func", self.expr(&x.func)),
                        ("args", args),
                        ("keywords", self.keywords(&a.keywords)),
                    ],
                    r,
                )
            }
            Expr::FString(x) => self.fstring(x, r),
            Expr::StringLiteral(x) => {
                let kind = match x.value.iter().next() {
                    Some(p)
                        if p.flags.prefix() == ast::str_prefix::StringLiteralPrefix::Unicode =>
                    {
                        V::Str("u".into())
                    }
                    _ => V::None,
                };
                self.constant(crate::codegen::surrogates::string_constant(&x.value), kind, r)
            }
            Expr::BytesLiteral(x) => {
                self.constant(Constant::Bytes(x.value.bytes().collect()), V::None, r)
            }
            Expr::NumberLiteral(x) => {
                let c = match &x.value {
                    ast::Number::Int(i) => Constant::Int(int_literal(i)),
                    ast::Number::Float(f) => Constant::Float(*f),
                    ast::Number::Complex { real, imag } => Constant::Complex {
                        re: *real,
                        im: *imag,
                    },
                };
                self.constant(c, V::None, r)
            }
            Expr::BooleanLiteral(x) => self.constant(Constant::Bool(x.value), V::None, r),
            Expr::NoneLiteral(_) => self.constant(Constant::None, V::None, r),
            Expr::EllipsisLiteral(_) => self.constant(Constant::Ellipsis, V::None, r),
            Expr::Attribute(x) => self.node(
                "Attribute",
                vec![
                    ("value", self.expr(&x.value)),
                    ("attr", ident(&x.attr)),
                    ("ctx", ctx(x.ctx)),
                ],
                r,
            ),
            Expr::Subscript(x) => self.node(
                "Subscript",
                vec![
                    ("value", self.expr(&x.value)),
                    ("slice", self.expr(&x.slice)),
                    ("ctx", ctx(x.ctx)),
                ],
                r,
            ),
            Expr::Starred(x) => self.node(
                "Starred",
                vec![("value", self.expr(&x.value)), ("ctx", ctx(x.ctx))],
                r,
            ),
            Expr::Name(x) => self.node(
                "Name",
                vec![
                    ("id", V::Str(x.id.as_str().to_string())),
                    ("ctx", ctx(x.ctx)),
                ],
                r,
            ),
            Expr::List(x) => self.node(
                "List",
                vec![("elts", self.exprs(x.elts.iter())), ("ctx", ctx(x.ctx))],
                r,
            ),
            Expr::Tuple(x) => self.node(
                "Tuple",
                vec![("elts", self.exprs(x.elts.iter())), ("ctx", ctx(x.ctx))],
                r,
            ),
            Expr::Slice(x) => self.node(
                "Slice",
                vec![
                    ("lower", self.oexpr(x.lower.as_deref())),
                    ("upper", self.oexpr(x.upper.as_deref())),
                    ("step", self.oexpr(x.step.as_deref())),
                ],
                r,
            ),
            // Not Python 3.11 syntax.
            Expr::TString(_) | Expr::IpyEscapeCommand(_) => {
                self.constant(Constant::None, V::None, r)
            }
        }
    }

    pub(super) fn genexp(&self, x: &ast::ExprGenerator, r: TextRange) -> V {
        self.node(
            "GeneratorExp",
            vec![
                ("elt", self.expr(&x.elt)),
                ("generators", self.comprehensions(&x.generators)),
            ],
            r,
        )
    }

    /// An f-string (maybe implicitly concatenated with plain strings) as a
    /// JoinedStr: adjacent literal text merged into one Constant; as in
    /// CPython 3.11, the pieces carry the position of the whole string.
    fn fstring(&self, x: &ast::ExprFString, r: TextRange) -> V {
        let mut values = Vec::new();
        let mut lit = String::new();
        for part in x.value.iter() {
            match part {
                ast::FStringPart::Literal(s) => lit.push_str(&s.value),
                ast::FStringPart::FString(f) => {
                    self.fstring_elements(&f.elements, r, f.range, &mut values, &mut lit)
                }
            }
        }
        self.flush_literal(&mut values, &mut lit, r);
        self.node("JoinedStr", vec![("values", V::List(values))], r)
    }

    fn flush_literal(&self, values: &mut Vec<V>, lit: &mut String, r: TextRange) {
        if !lit.is_empty() {
            values.push(self.constant(Constant::Str(std::mem::take(lit)), V::None, r));
        }
    }

    /// `r` is the whole string's range, `part` the range of this f-string
    /// part of an implicit concatenation.
    fn fstring_elements(
        &self,
        elements: &ast::InterpolatedStringElements,
        r: TextRange,
        part: TextRange,
        values: &mut Vec<V>,
        lit: &mut String,
    ) {
        for el in elements.iter() {
            match el {
                ast::InterpolatedStringElement::Literal(l) => lit.push_str(&l.value),
                ast::InterpolatedStringElement::Interpolation(i) => {
                    let mut conversion = i.conversion as i8 as i64;
                    if let Some(d) = &i.debug_text {
                        lit.push_str(d.leading());
                        lit.push_str(d.expression());
                        lit.push_str(d.trailing());
                        // `=` means repr unless a conversion or format spec is given.
                        if conversion == -1 && i.format_spec.is_none() {
                            conversion = b'r' as i64;
                        }
                    }
                    self.flush_literal(values, lit, r);
                    // 3.11 places a format spec at its f-string part, and its
                    // literal text there too unless the spec has replacement fields.
                    let spec = opt(i.format_spec.as_deref(), |s| {
                        let mut vals = Vec::new();
                        let mut l = String::new();
                        self.fstring_elements(&s.elements, r, part, &mut vals, &mut l);
                        let only_text = vals.is_empty();
                        self.flush_literal(&mut vals, &mut l, if only_text { part } else { r });
                        self.node("JoinedStr", vec![("values", V::List(vals))], part)
                    });
                    values.push(self.node(
                        "FormattedValue",
                        vec![
                            ("value", self.expr(&i.expression)),
                            ("conversion", V::Int(conversion)),
                            ("format_spec", spec),
                        ],
                        r,
                    ));
                }
            }
        }
    }

    pub(super) fn pattern(&self, p: &Pattern) -> V {
        let r = p.range();
        match p {
            Pattern::MatchValue(x) => {
                self.node("MatchValue", vec![("value", self.expr(&x.value))], r)
            }
            Pattern::MatchSingleton(x) => {
                let c = match x.value {
                    ast::Singleton::None => Constant::None,
                    ast::Singleton::True => Constant::Bool(true),
                    ast::Singleton::False => Constant::Bool(false),
                };
                self.node("MatchSingleton", vec![("value", V::Const(c))], r)
            }
            Pattern::MatchSequence(x) => self.node(
                "MatchSequence",
                vec![("patterns", self.patterns(&x.patterns))],
                r,
            ),
            Pattern::MatchMapping(x) => self.node(
                "MatchMapping",
                vec![
                    ("keys", self.exprs(x.keys.iter())),
                    ("patterns", self.patterns(&x.patterns)),
                    ("rest", opt(x.rest.as_ref(), ident)),
                ],
                r,
            ),
            Pattern::MatchClass(x) => self.node(
                "MatchClass",
                vec![
                    ("cls", self.expr(&x.cls)),
                    ("patterns", self.patterns(&x.arguments.patterns)),
                    (
                        "kwd_attrs",
                        V::List(
                            x.arguments
                                .keywords
                                .iter()
                                .map(|k| ident(&k.attr))
                                .collect(),
                        ),
                    ),
                    (
                        "kwd_patterns",
                        V::List(
                            x.arguments
                                .keywords
                                .iter()
                                .map(|k| self.pattern(&k.pattern))
                                .collect(),
                        ),
                    ),
                ],
                r,
            ),
            Pattern::MatchStar(x) => {
                self.node("MatchStar", vec![("name", opt(x.name.as_ref(), ident))], r)
            }
            Pattern::MatchAs(x) => self.node(
                "MatchAs",
                vec![
                    ("pattern", opt(x.pattern.as_deref(), |p| self.pattern(p))),
                    ("name", opt(x.name.as_ref(), ident)),
                ],
                r,
            ),
            Pattern::MatchOr(x) => {
                self.node("MatchOr", vec![("patterns", self.patterns(&x.patterns))], r)
            }
        }
    }

    fn patterns(&self, ps: &[Pattern]) -> V {
        V::List(ps.iter().map(|p| self.pattern(p)).collect())
    }
}
