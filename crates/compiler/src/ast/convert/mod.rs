//! ruff's AST to CPython 3.11's shapes and positions.

use super::{AstNode, AstValue, Pos};
use crate::code::Constant;
use crate::locate::SourceMap;
use dashu_int::IBig;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

mod expr;

pub(super) struct Conv<'a> {
    pub map: &'a SourceMap<'a>,
}

type V = AstValue;

/// The `&'static` spelling of a class name from the table (ruff's operator
/// enums print the same names as CPython's classes).
fn class_name(name: &str) -> &'static str {
    super::node_class(name).map(|c| c.name).unwrap_or("AST")
}

/// An int literal's value; ruff keeps big ones as their source text.
fn int_literal(i: &ast::Int) -> IBig {
    if let Some(v) = i.as_u64() {
        return IBig::from(v);
    }
    let text: String = i
        .to_string()
        .chars()
        .filter(|&c| c != '_')
        .collect::<String>()
        .to_ascii_lowercase();
    let (digits, radix) = match text.get(..2) {
        Some("0x") => (&text[2..], 16),
        Some("0o") => (&text[2..], 8),
        Some("0b") => (&text[2..], 2),
        _ => (&text[..], 10),
    };
    IBig::from_str_radix(digits, radix).unwrap_or_default()
}

fn bare(name: &str) -> V {
    V::Node(Box::new(AstNode {
        class: class_name(name),
        fields: vec![],
        pos: None,
    }))
}

fn opt<T>(x: Option<T>, f: impl FnOnce(T) -> V) -> V {
    x.map(f).unwrap_or(V::None)
}

fn ident(i: &ast::Identifier) -> V {
    V::Str(i.id.as_str().to_string())
}

fn ctx(c: ast::ExprContext) -> V {
    bare(match c {
        ast::ExprContext::Store => "Store",
        ast::ExprContext::Del => "Del",
        _ => "Load",
    })
}

impl<'a> Conv<'a> {
    fn pos(&self, r: TextRange) -> Pos {
        let p = self.map.position(r);
        Pos {
            lineno: p.line as i64,
            col_offset: p.col as i64,
            end_lineno: Some(p.end_line as i64),
            end_col_offset: Some(p.end_col as i64),
        }
    }

    fn node(&self, class: &str, fields: Vec<(&'static str, V)>, r: TextRange) -> V {
        V::Node(Box::new(AstNode {
            class: class_name(class),
            fields,
            pos: Some(self.pos(r)),
        }))
    }

    fn plain(&self, class: &str, fields: Vec<(&'static str, V)>) -> V {
        V::Node(Box::new(AstNode {
            class: class_name(class),
            fields,
            pos: None,
        }))
    }

    fn stmts(&self, body: &[Stmt]) -> V {
        V::List(body.iter().map(|s| self.stmt(s)).collect())
    }

    fn exprs<'b>(&self, it: impl IntoIterator<Item = &'b Expr>) -> V {
        V::List(it.into_iter().map(|e| self.expr(e)).collect())
    }

    fn oexpr(&self, e: Option<&Expr>) -> V {
        opt(e, |e| self.expr(e))
    }

    /// Where `def`/`class` (or `async`) starts after the decorators: CPython
    /// positions decorated definitions there, ruff at the first `@`.
    fn after_decorators(&self, decorators: &[ast::Decorator], r: TextRange) -> TextRange {
        let Some(last) = decorators.last() else {
            return r;
        };
        let bytes = self.map.src.as_bytes();
        let mut i = u32::from(last.range.end()) as usize;
        while i < bytes.len() {
            match bytes[i] {
                b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\\' => i += 1,
                b'#' => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                _ => break,
            }
        }
        TextRange::new(TextSize::new(i as u32).min(r.end()), r.end())
    }

    pub fn stmt(&self, s: &Stmt) -> V {
        let r = s.range();
        match s {
            Stmt::FunctionDef(f) => {
                let class = if f.is_async {
                    "AsyncFunctionDef"
                } else {
                    "FunctionDef"
                };
                let fields = vec![
                    ("name", ident(&f.name)),
                    ("args", self.arguments(Some(&f.parameters))),
                    ("body", self.stmts(&f.body)),
                    (
                        "decorator_list",
                        self.exprs(f.decorator_list.iter().map(|d| &d.expression)),
                    ),
                    ("returns", self.oexpr(f.returns.as_deref())),
                    ("type_comment", V::None),
                ];
                self.node(class, fields, self.after_decorators(&f.decorator_list, r))
            }
            Stmt::ClassDef(c) => {
                let (bases, keywords) = match &c.arguments {
                    Some(a) => (self.exprs(a.args.iter()), self.keywords(&a.keywords)),
                    None => (V::List(vec![]), V::List(vec![])),
                };
                let fields = vec![
                    ("name", ident(&c.name)),
                    ("bases", bases),
                    ("keywords", keywords),
                    ("body", self.stmts(&c.body)),
                    (
                        "decorator_list",
                        self.exprs(c.decorator_list.iter().map(|d| &d.expression)),
                    ),
                ];
                self.node(
                    "ClassDef",
                    fields,
                    self.after_decorators(&c.decorator_list, r),
                )
            }
            Stmt::Return(x) => {
                self.node("Return", vec![("value", self.oexpr(x.value.as_deref()))], r)
            }
            Stmt::Delete(x) => {
                self.node("Delete", vec![("targets", self.exprs(x.targets.iter()))], r)
            }
            Stmt::Assign(x) => self.node(
                "Assign",
                vec![
                    ("targets", self.exprs(x.targets.iter())),
                    ("value", self.expr(&x.value)),
                    ("type_comment", V::None),
                ],
                r,
            ),
            Stmt::AugAssign(x) => self.node(
                "AugAssign",
                vec![
                    ("target", self.expr(&x.target)),
                    ("op", bare(&format!("{:?}", x.op))),
                    ("value", self.expr(&x.value)),
                ],
                r,
            ),
            Stmt::AnnAssign(x) => self.node(
                "AnnAssign",
                vec![
                    ("target", self.expr(&x.target)),
                    ("annotation", self.expr(&x.annotation)),
                    ("value", self.oexpr(x.value.as_deref())),
                    ("simple", V::Int(x.simple as i64)),
                ],
                r,
            ),
            Stmt::For(x) => self.node(
                if x.is_async { "AsyncFor" } else { "For" },
                vec![
                    ("target", self.expr(&x.target)),
                    ("iter", self.expr(&x.iter)),
                    ("body", self.stmts(&x.body)),
                    ("orelse", self.stmts(&x.orelse)),
                    ("type_comment", V::None),
                ],
                r,
            ),
            Stmt::While(x) => self.node(
                "While",
                vec![
                    ("test", self.expr(&x.test)),
                    ("body", self.stmts(&x.body)),
                    ("orelse", self.stmts(&x.orelse)),
                ],
                r,
            ),
            Stmt::If(x) => {
                let orelse = self.elif_chain(&x.elif_else_clauses, r.end());
                self.node(
                    "If",
                    vec![
                        ("test", self.expr(&x.test)),
                        ("body", self.stmts(&x.body)),
                        ("orelse", orelse),
                    ],
                    r,
                )
            }
            Stmt::With(x) => {
                let items = x
                    .items
                    .iter()
                    .map(|i| {
                        self.plain(
                            "withitem",
                            vec![
                                ("context_expr", self.expr(&i.context_expr)),
                                ("optional_vars", self.oexpr(i.optional_vars.as_deref())),
                            ],
                        )
                    })
                    .collect();
                self.node(
                    if x.is_async { "AsyncWith" } else { "With" },
                    vec![
                        ("items", V::List(items)),
                        ("body", self.stmts(&x.body)),
                        ("type_comment", V::None),
                    ],
                    r,
                )
            }
            Stmt::Match(x) => {
                let cases = x
                    .cases
                    .iter()
                    .map(|c| {
                        self.plain(
                            "match_case",
                            vec![
                                ("pattern", self.pattern(&c.pattern)),
                                ("guard", self.oexpr(c.guard.as_deref())),
                                ("body", self.stmts(&c.body)),
                            ],
                        )
                    })
                    .collect();
                self.node(
                    "Match",
                    vec![
                        ("subject", self.expr(&x.subject)),
                        ("cases", V::List(cases)),
                    ],
                    r,
                )
            }
            Stmt::Raise(x) => self.node(
                "Raise",
                vec![
                    ("exc", self.oexpr(x.exc.as_deref())),
                    ("cause", self.oexpr(x.cause.as_deref())),
                ],
                r,
            ),
            Stmt::Try(x) => {
                let handlers = x
                    .handlers
                    .iter()
                    .map(|h| {
                        let ast::ExceptHandler::ExceptHandler(h) = h;
                        self.node(
                            "ExceptHandler",
                            vec![
                                ("type", self.oexpr(h.type_.as_deref())),
                                ("name", opt(h.name.as_ref(), ident)),
                                ("body", self.stmts(&h.body)),
                            ],
                            h.range,
                        )
                    })
                    .collect();
                self.node(
                    if x.is_star { "TryStar" } else { "Try" },
                    vec![
                        ("body", self.stmts(&x.body)),
                        ("handlers", V::List(handlers)),
                        ("orelse", self.stmts(&x.orelse)),
                        ("finalbody", self.stmts(&x.finalbody)),
                    ],
                    r,
                )
            }
            Stmt::Assert(x) => self.node(
                "Assert",
                vec![
                    ("test", self.expr(&x.test)),
                    ("msg", self.oexpr(x.msg.as_deref())),
                ],
                r,
            ),
            Stmt::Import(x) => self.node("Import", vec![("names", self.aliases(&x.names))], r),
            Stmt::ImportFrom(x) => self.node(
                "ImportFrom",
                vec![
                    ("module", opt(x.module.as_ref(), ident)),
                    ("names", self.aliases(&x.names)),
                    ("level", V::Int(x.level as i64)),
                ],
                r,
            ),
            Stmt::Global(x) => self.node(
                "Global",
                vec![("names", V::List(x.names.iter().map(ident).collect()))],
                r,
            ),
            Stmt::Nonlocal(x) => self.node(
                "Nonlocal",
                vec![("names", V::List(x.names.iter().map(ident).collect()))],
                r,
            ),
            Stmt::Expr(x) => self.node("Expr", vec![("value", self.expr(&x.value))], r),
            Stmt::Pass(_) => self.node("Pass", vec![], r),
            Stmt::Break(_) => self.node("Break", vec![], r),
            Stmt::Continue(_) => self.node("Continue", vec![], r),
            // Not Python 3.11 syntax: rejected by the parser options before this.
            Stmt::TypeAlias(_) | Stmt::IpyEscapeCommand(_) => self.node("Pass", vec![], r),
        }
    }

    /// `elif`/`else` clauses as CPython nests them: each `elif` is an If in
    /// the previous one's orelse, spanning to the end of the whole statement.
    fn elif_chain(&self, clauses: &[ast::ElifElseClause], end: TextSize) -> V {
        let Some(first) = clauses.first() else {
            return V::List(vec![]);
        };
        match &first.test {
            None => self.stmts(&first.body),
            Some(test) => {
                let orelse = self.elif_chain(&clauses[1..], end);
                let r = TextRange::new(first.range.start(), end);
                V::List(vec![self.node(
                    "If",
                    vec![
                        ("test", self.expr(test)),
                        ("body", self.stmts(&first.body)),
                        ("orelse", orelse),
                    ],
                    r,
                )])
            }
        }
    }

    fn aliases(&self, names: &[ast::Alias]) -> V {
        V::List(
            names
                .iter()
                .map(|a| {
                    self.node(
                        "alias",
                        vec![
                            ("name", ident(&a.name)),
                            ("asname", opt(a.asname.as_ref(), ident)),
                        ],
                        a.range,
                    )
                })
                .collect(),
        )
    }

    fn keywords(&self, kws: &[ast::Keyword]) -> V {
        V::List(
            kws.iter()
                .map(|k| {
                    self.node(
                        "keyword",
                        vec![
                            ("arg", opt(k.arg.as_ref(), ident)),
                            ("value", self.expr(&k.value)),
                        ],
                        k.range,
                    )
                })
                .collect(),
        )
    }

    fn arg(&self, p: &ast::Parameter) -> V {
        self.node(
            "arg",
            vec![
                ("arg", ident(&p.name)),
                ("annotation", self.oexpr(p.annotation.as_deref())),
                ("type_comment", V::None),
            ],
            // CPython's span starts at the name, after any `*` or `**`.
            TextRange::new(p.name.range.start(), p.range.end()),
        )
    }

    fn arguments(&self, params: Option<&ast::Parameters>) -> V {
        let empty = ast::Parameters::default();
        let p = params.unwrap_or(&empty);
        let posonly: Vec<V> = p
            .posonlyargs
            .iter()
            .map(|a| self.arg(&a.parameter))
            .collect();
        let args: Vec<V> = p.args.iter().map(|a| self.arg(&a.parameter)).collect();
        let defaults: Vec<V> = p
            .posonlyargs
            .iter()
            .chain(p.args.iter())
            .filter_map(|a| a.default.as_deref().map(|d| self.expr(d)))
            .collect();
        let kwonly: Vec<V> = p
            .kwonlyargs
            .iter()
            .map(|a| self.arg(&a.parameter))
            .collect();
        let kw_defaults: Vec<V> = p
            .kwonlyargs
            .iter()
            .map(|a| self.oexpr(a.default.as_deref()))
            .collect();
        self.plain(
            "arguments",
            vec![
                ("posonlyargs", V::List(posonly)),
                ("args", V::List(args)),
                ("vararg", opt(p.vararg.as_deref(), |a| self.arg(a))),
                ("kwonlyargs", V::List(kwonly)),
                ("kw_defaults", V::List(kw_defaults)),
                ("kwarg", opt(p.kwarg.as_deref(), |a| self.arg(a))),
                ("defaults", V::List(defaults)),
            ],
        )
    }

    fn comprehensions(&self, gens: &[ast::Comprehension]) -> V {
        V::List(
            gens.iter()
                .map(|g| {
                    self.plain(
                        "comprehension",
                        vec![
                            ("target", self.expr(&g.target)),
                            ("iter", self.expr(&g.iter)),
                            ("ifs", self.exprs(g.ifs.iter())),
                            ("is_async", V::Int(g.is_async as i64)),
                        ],
                    )
                })
                .collect(),
        )
    }

    fn constant(&self, c: Constant, kind: V, r: TextRange) -> V {
        self.node("Constant", vec![("value", V::Const(c)), ("kind", kind)], r)
    }
}
