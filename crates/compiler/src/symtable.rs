//! Scope analysis, following CPython 3.11's `symtable.c`: which names are local,
//! global (explicit or implicit), free or cell in each scope.
//!
//! Scopes are keyed by the address of their AST node (function def, class def,
//! lambda, comprehension), so the code generator finds them without depending on
//! visiting order.

use crate::error::{CompileError, ErrorKind};
use crate::locate::SourceMap;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};
use std::collections::{HashMap, HashSet};

pub const DEF_GLOBAL: u32 = 1;
pub const DEF_LOCAL: u32 = 2;
pub const DEF_PARAM: u32 = 4;
pub const DEF_NONLOCAL: u32 = 8;
pub const USE: u32 = 16;
pub const DEF_FREE_CLASS: u32 = 64;
pub const DEF_IMPORT: u32 = 128;
pub const DEF_ANNOT: u32 = 256;
pub const DEF_COMP_ITER: u32 = 512;
pub const DEF_BOUND: u32 = DEF_LOCAL | DEF_PARAM | DEF_IMPORT;

/// Deepest AST nesting the analysis follows before reporting CPython's
/// "maximum recursion depth exceeded during compilation".
pub const MAX_NESTING: u32 = 2000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    Class,
    Function,
    Lambda,
    Comprehension,
}

/// Where a name lives once analysis is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolScope {
    Unknown,
    Local,
    GlobalExplicit,
    GlobalImplicit,
    Free,
    Cell,
}

#[derive(Clone, Debug)]
pub struct Symbol {
    pub flags: u32,
    pub scope: SymbolScope,
}

pub type ScopeId = usize;

#[derive(Debug)]
pub struct Scope {
    pub kind: ScopeKind,
    pub name: String,
    pub symbols: HashMap<String, Symbol>,
    /// Symbol names in order of first appearance.
    pub order: Vec<String>,
    /// Parameters in order (mangled names).
    pub params: Vec<String>,
    pub children: Vec<ScopeId>,
    pub is_generator: bool,
    pub is_coroutine: bool,
    /// Comprehension containing `await` or `async for` (an async comprehension).
    pub is_async_comprehension: bool,
    pub needs_class_closure: bool,
    /// Nested in a function (free names may come from an enclosing function).
    pub nested: bool,
    pub has_free: bool,
    pub child_free: bool,
    comp_iter_target: bool,
    comp_iter_expr: u32,
    /// The private name (enclosing class) used for mangling.
    pub private: Option<String>,
    /// Ranges of first use/assignment, for "used prior to global declaration" errors.
    first_use: HashMap<String, TextRange>,
}

impl Scope {
    fn new(kind: ScopeKind, name: &str, nested: bool, private: Option<String>) -> Scope {
        Scope {
            kind,
            name: name.to_string(),
            symbols: HashMap::new(),
            order: Vec::new(),
            params: Vec::new(),
            children: Vec::new(),
            is_generator: false,
            is_coroutine: false,
            is_async_comprehension: false,
            needs_class_closure: false,
            nested,
            has_free: false,
            child_free: false,
            comp_iter_target: false,
            comp_iter_expr: 0,
            private,
            first_use: HashMap::new(),
        }
    }
    pub fn is_function_like(&self) -> bool {
        matches!(self.kind, ScopeKind::Function | ScopeKind::Lambda | ScopeKind::Comprehension)
    }
    pub fn scope_of(&self, name: &str) -> SymbolScope {
        self.symbols.get(name).map(|s| s.scope).unwrap_or(SymbolScope::Unknown)
    }
    pub fn flags_of(&self, name: &str) -> u32 {
        self.symbols.get(name).map(|s| s.flags).unwrap_or(0)
    }
    /// Names with the given scope, sorted (as CPython orders cellvars/freevars).
    pub fn names_with(&self, pred: impl Fn(&Symbol) -> bool) -> Vec<String> {
        let mut v: Vec<String> =
            self.symbols.iter().filter(|(_, s)| pred(s)).map(|(n, _)| n.clone()).collect();
        v.sort();
        v
    }
}

pub struct SymbolTable {
    pub scopes: Vec<Scope>,
    by_node: HashMap<usize, ScopeId>,
    /// `from __future__ import annotations` is in effect.
    pub future_annotations: bool,
}

impl SymbolTable {
    pub fn scope_for<T>(&self, node: &T) -> Option<ScopeId> {
        self.by_node.get(&node_key(node)).copied()
    }
    pub fn scope_by_key(&self, key: usize) -> Option<ScopeId> {
        self.by_node.get(&key).copied()
    }
}

pub fn node_key<T>(node: &T) -> usize {
    node as *const T as usize
}

/// CPython's `_Py_Mangle`: `__x` inside class `C` becomes `_C__x`.
pub fn mangle(private: Option<&str>, name: &str) -> String {
    let Some(class) = private else { return name.to_string() };
    if !name.starts_with("__") || name.ends_with("__") || name.contains('.') {
        return name.to_string();
    }
    let stripped = class.trim_start_matches('_');
    if stripped.is_empty() {
        return name.to_string();
    }
    format!("_{stripped}{name}")
}

struct Builder<'a> {
    map: &'a SourceMap<'a>,
    scopes: Vec<Scope>,
    by_node: HashMap<usize, ScopeId>,
    stack: Vec<ScopeId>,
    depth: u32,
    future_annotations: bool,
    nonlocal_sites: HashMap<(ScopeId, String), TextRange>,
}

type R = Result<(), CompileError>;

pub fn build(body: &[Stmt], map: &SourceMap, future_annotations: bool) -> Result<SymbolTable, CompileError> {
    let mut b = Builder {
        map,
        scopes: vec![Scope::new(ScopeKind::Module, "top", false, None)],
        by_node: HashMap::new(),
        stack: vec![0],
        depth: 0,
        future_annotations,
        nonlocal_sites: HashMap::new(),
    };
    for s in body {
        b.stmt(s)?;
    }
    b.analyze()?;
    Ok(SymbolTable { scopes: b.scopes, by_node: b.by_node, future_annotations })
}

pub fn build_expr(body: &Expr, map: &SourceMap) -> Result<SymbolTable, CompileError> {
    let mut b = Builder {
        map,
        scopes: vec![Scope::new(ScopeKind::Module, "top", false, None)],
        by_node: HashMap::new(),
        stack: vec![0],
        depth: 0,
        future_annotations: false,
        nonlocal_sites: HashMap::new(),
    };
    b.expr(body)?;
    b.analyze()?;
    Ok(SymbolTable { scopes: b.scopes, by_node: b.by_node, future_annotations: false })
}

impl<'a> Builder<'a> {
    fn err(&self, msg: String, range: TextRange) -> CompileError {
        self.map.compiler_error(msg, range)
    }
    fn cur(&self) -> ScopeId {
        *self.stack.last().unwrap_or(&0)
    }
    fn cur_scope(&mut self) -> &mut Scope {
        let id = self.cur();
        &mut self.scopes[id]
    }
    fn mangled(&self, name: &str) -> String {
        mangle(self.scopes[self.cur()].private.as_deref(), name)
    }

    fn enter(&mut self, kind: ScopeKind, name: &str, key: usize) {
        let parent = self.cur();
        let p = &self.scopes[parent];
        let nested = p.nested || p.is_function_like();
        let private = p.private.clone();
        let id = self.scopes.len();
        self.scopes.push(Scope::new(kind, name, nested, private));
        self.scopes[parent].children.push(id);
        self.by_node.insert(key, id);
        self.stack.push(id);
    }
    fn leave(&mut self) {
        self.stack.pop();
    }

    /// `symtable_add_def`: records a use or binding of `name` in scope `sid`.
    fn add_def_in(&mut self, sid: ScopeId, name: &str, flag: u32, range: TextRange) -> R {
        let mangled = mangle(self.scopes[sid].private.as_deref(), name);
        let scope = &mut self.scopes[sid];
        match scope.symbols.get_mut(&mangled) {
            Some(sym) => {
                if flag & DEF_PARAM != 0 && sym.flags & DEF_PARAM != 0 {
                    return Err(self.err(format!("duplicate argument '{name}' in function definition"), range));
                }
                sym.flags |= flag;
            }
            None => {
                scope.symbols.insert(mangled.clone(), Symbol { flags: flag, scope: SymbolScope::Unknown });
                scope.order.push(mangled.clone());
            }
        }
        let scope = &mut self.scopes[sid];
        if flag & (USE | DEF_LOCAL) != 0 {
            scope.first_use.entry(mangled.clone()).or_insert(range);
        }
        if flag & DEF_PARAM != 0 {
            scope.params.push(mangled.clone());
        } else if flag & DEF_GLOBAL != 0 {
            let m = &mut self.scopes[0];
            match m.symbols.get_mut(&mangled) {
                Some(sym) => sym.flags |= flag,
                None => {
                    m.symbols.insert(mangled.clone(), Symbol { flags: flag, scope: SymbolScope::Unknown });
                    m.order.push(mangled);
                }
            }
        }
        Ok(())
    }
    fn add_def(&mut self, name: &str, flag: u32, range: TextRange) -> R {
        let mut flag = flag;
        let sid = self.cur();
        if flag & DEF_LOCAL != 0 && self.scopes[sid].comp_iter_target {
            // An earlier walrus in this comprehension made the name global or
            // nonlocal here: a loop variable cannot rebind it.
            if self.scopes[sid].flags_of(name) & (DEF_GLOBAL | DEF_NONLOCAL) != 0 {
                return Err(self.err(
                    format!("comprehension inner loop cannot rebind assignment expression target '{name}'"),
                    range,
                ));
            }
            flag |= DEF_COMP_ITER;
        }
        self.add_def_in(sid, name, flag, range)
    }

    fn nest(&mut self, range: TextRange) -> R {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            let mut e = self.err("maximum recursion depth exceeded during compilation".into(), range);
            e.kind = ErrorKind::RecursionError;
            return Err(e);
        }
        Ok(())
    }

    fn stmts(&mut self, body: &[Stmt]) -> R {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &Stmt) -> R {
        self.nest(s.range())?;
        let r = self.stmt_inner(s);
        self.depth -= 1;
        r
    }

    fn stmt_inner(&mut self, s: &Stmt) -> R {
        match s {
            Stmt::FunctionDef(f) => {
                self.add_def(f.name.as_str(), DEF_LOCAL, f.name.range)?;
                self.params_defaults(&f.parameters)?;
                self.annotations(&f.parameters, f.returns.as_deref())?;
                for d in &f.decorator_list {
                    self.expr(&d.expression)?;
                }
                self.enter(ScopeKind::Function, f.name.as_str(), node_key(f));
                if f.is_async {
                    self.cur_scope().is_coroutine = true;
                }
                self.params(&f.parameters)?;
                self.stmts(&f.body)?;
                self.leave();
            }
            Stmt::ClassDef(c) => {
                self.add_def(c.name.as_str(), DEF_LOCAL, c.name.range)?;
                if let Some(args) = &c.arguments {
                    for a in args.args.iter() {
                        self.expr(a)?;
                    }
                    for k in args.keywords.iter() {
                        self.expr(&k.value)?;
                    }
                }
                for d in &c.decorator_list {
                    self.expr(&d.expression)?;
                }
                self.enter(ScopeKind::Class, c.name.as_str(), node_key(c));
                self.cur_scope().private = Some(c.name.to_string());
                self.stmts(&c.body)?;
                self.leave();
            }
            Stmt::Return(r) => {
                if let Some(v) = &r.value {
                    self.expr(v)?;
                }
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.expr(t)?;
                }
            }
            Stmt::Assign(a) => {
                for t in &a.targets {
                    self.expr(t)?;
                }
                self.expr(&a.value)?;
            }
            Stmt::AnnAssign(a) => {
                if let Expr::Name(n) = &*a.target {
                    let mangled = self.mangled(n.id.as_str());
                    let flags = self.scopes[self.cur()].flags_of(&mangled);
                    if flags & (DEF_GLOBAL | DEF_NONLOCAL) != 0 && a.simple {
                        let kind = if flags & DEF_GLOBAL != 0 { "global" } else { "nonlocal" };
                        return Err(self.err(format!("annotated name '{}' can't be {kind}", n.id), s.range()));
                    }
                    if a.simple {
                        self.add_def(n.id.as_str(), DEF_ANNOT | DEF_LOCAL, n.range)?;
                    } else if a.value.is_some() {
                        self.add_def(n.id.as_str(), DEF_LOCAL, n.range)?;
                    }
                } else {
                    self.expr(&a.target)?;
                }
                self.annotation(&a.annotation)?;
                if let Some(v) = &a.value {
                    self.expr(v)?;
                }
            }
            Stmt::AugAssign(a) => {
                self.expr(&a.target)?;
                self.expr(&a.value)?;
            }
            Stmt::TypeAlias(t) => {
                self.expr(&t.name)?;
                self.expr(&t.value)?;
            }
            Stmt::For(f) => {
                self.expr(&f.target)?;
                self.expr(&f.iter)?;
                self.stmts(&f.body)?;
                self.stmts(&f.orelse)?;
            }
            Stmt::While(w) => {
                self.expr(&w.test)?;
                self.stmts(&w.body)?;
                self.stmts(&w.orelse)?;
            }
            Stmt::If(i) => {
                self.expr(&i.test)?;
                self.stmts(&i.body)?;
                for c in &i.elif_else_clauses {
                    if let Some(t) = &c.test {
                        self.expr(t)?;
                    }
                    self.stmts(&c.body)?;
                }
            }
            Stmt::With(w) => {
                for item in &w.items {
                    self.expr(&item.context_expr)?;
                    if let Some(v) = &item.optional_vars {
                        self.expr(v)?;
                    }
                }
                self.stmts(&w.body)?;
            }
            Stmt::Match(m) => {
                self.expr(&m.subject)?;
                for c in &m.cases {
                    self.pattern(&c.pattern)?;
                    if let Some(g) = &c.guard {
                        self.expr(g)?;
                    }
                    self.stmts(&c.body)?;
                }
            }
            Stmt::Raise(r) => {
                if let Some(e) = &r.exc {
                    self.expr(e)?;
                }
                if let Some(c) = &r.cause {
                    self.expr(c)?;
                }
            }
            Stmt::Try(t) => {
                self.stmts(&t.body)?;
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    if let Some(ty) = &h.type_ {
                        self.expr(ty)?;
                    }
                    if let Some(n) = &h.name {
                        self.add_def(n.as_str(), DEF_LOCAL, n.range)?;
                    }
                    self.stmts(&h.body)?;
                }
                self.stmts(&t.orelse)?;
                self.stmts(&t.finalbody)?;
            }
            Stmt::Assert(a) => {
                self.expr(&a.test)?;
                if let Some(m) = &a.msg {
                    self.expr(m)?;
                }
            }
            Stmt::Import(i) => {
                for alias in &i.names {
                    self.import_alias(alias, false, alias.range)?;
                }
            }
            Stmt::ImportFrom(i) => {
                for alias in &i.names {
                    self.import_alias(alias, true, alias.range)?;
                }
            }
            Stmt::Global(g) => {
                for n in &g.names {
                    self.declare(n.as_str(), true, s.range())?;
                }
            }
            Stmt::Nonlocal(g) => {
                if self.cur() == 0 {
                    return Err(self.err("nonlocal declaration not allowed at module level".into(), s.range()));
                }
                for n in &g.names {
                    self.declare(n.as_str(), false, s.range())?;
                }
            }
            Stmt::Expr(e) => self.expr(&e.value)?,
            Stmt::Pass(_) | Stmt::Break(_) | Stmt::Continue(_) | Stmt::IpyEscapeCommand(_) => {}
        }
        Ok(())
    }

    fn declare(&mut self, name: &str, global: bool, range: TextRange) -> R {
        let mangled = self.mangled(name);
        let sid = self.cur();
        let flags = self.scopes[sid].flags_of(&mangled);
        let kw = if global { "global" } else { "nonlocal" };
        if flags & (DEF_PARAM | DEF_LOCAL | USE | DEF_ANNOT) != 0 {
            let msg = if flags & DEF_PARAM != 0 {
                format!("name '{name}' is parameter and {kw}")
            } else if flags & USE != 0 {
                format!("name '{name}' is used prior to {kw} declaration")
            } else if flags & DEF_ANNOT != 0 {
                format!("annotated name '{name}' can't be {kw}")
            } else {
                format!("name '{name}' is assigned to before {kw} declaration")
            };
            return Err(self.err(msg, range));
        }
        if (!global && flags & DEF_GLOBAL != 0) || (global && flags & DEF_NONLOCAL != 0) {
            let first = self.nonlocal_sites.get(&(sid, mangled.clone())).copied().unwrap_or(range);
            return Err(self.err(format!("name '{name}' is nonlocal and global"), first));
        }
        // The first global/nonlocal directive for the name (CPython reports errors there).
        self.nonlocal_sites.entry((sid, mangled)).or_insert(range);
        self.add_def(name, if global { DEF_GLOBAL } else { DEF_NONLOCAL }, range)
    }

    fn import_alias(&mut self, alias: &ast::Alias, from: bool, stmt_range: TextRange) -> R {
        let name = alias.asname.as_ref().unwrap_or(&alias.name).as_str();
        if name == "*" {
            if self.scopes[self.cur()].kind != ScopeKind::Module {
                return Err(self.err("import * only allowed at module level".into(), stmt_range));
            }
            return Ok(());
        }
        let store = if alias.asname.is_none() && !from {
            name.split('.').next().unwrap_or(name)
        } else {
            name
        };
        self.add_def(store, DEF_IMPORT, alias.range)
    }

    fn params_defaults(&mut self, p: &ast::Parameters) -> R {
        for a in p.posonlyargs.iter().chain(p.args.iter()).chain(p.kwonlyargs.iter()) {
            if let Some(d) = &a.default {
                self.expr(d)?;
            }
        }
        Ok(())
    }

    fn annotations(&mut self, p: &ast::Parameters, returns: Option<&Expr>) -> R {
        for a in p.posonlyargs.iter().chain(p.args.iter()) {
            if let Some(ann) = &a.parameter.annotation {
                self.annotation(ann)?;
            }
        }
        if let Some(v) = &p.vararg {
            if let Some(ann) = &v.annotation {
                self.annotation(ann)?;
            }
        }
        for a in p.kwonlyargs.iter() {
            if let Some(ann) = &a.parameter.annotation {
                self.annotation(ann)?;
            }
        }
        if let Some(v) = &p.kwarg {
            if let Some(ann) = &v.annotation {
                self.annotation(ann)?;
            }
        }
        if let Some(r) = returns {
            self.annotation(r)?;
        }
        Ok(())
    }

    fn annotation(&mut self, e: &Expr) -> R {
        if self.future_annotations {
            return Ok(());
        }
        self.expr(e)
    }

    fn params(&mut self, p: &ast::Parameters) -> R {
        for a in p.posonlyargs.iter().chain(p.args.iter()) {
            self.add_def(a.parameter.name.as_str(), DEF_PARAM, a.parameter.range)?;
        }
        for a in p.kwonlyargs.iter() {
            self.add_def(a.parameter.name.as_str(), DEF_PARAM, a.parameter.range)?;
        }
        if let Some(v) = &p.vararg {
            self.add_def(v.name.as_str(), DEF_PARAM, v.range)?;
        }
        if let Some(v) = &p.kwarg {
            self.add_def(v.name.as_str(), DEF_PARAM, v.range)?;
        }
        Ok(())
    }

    // Parameters are bound in the same order the code generator lays out varnames:
    // positional, keyword-only, *args, **kwargs.

    fn exprs(&mut self, es: &[Expr]) -> R {
        for e in es {
            self.expr(e)?;
        }
        Ok(())
    }

    pub fn expr(&mut self, e: &Expr) -> R {
        self.nest(e.range())?;
        let r = self.expr_inner(e);
        self.depth -= 1;
        r
    }

    fn expr_inner(&mut self, e: &Expr) -> R {
        match e {
            Expr::BoolOp(b) => self.exprs(&b.values)?,
            Expr::Named(n) => self.named_expr(n)?,
            Expr::BinOp(b) => {
                self.expr(&b.left)?;
                self.expr(&b.right)?;
            }
            Expr::UnaryOp(u) => self.expr(&u.operand)?,
            Expr::Lambda(l) => {
                if let Some(p) = &l.parameters {
                    self.params_defaults(p)?;
                }
                self.enter(ScopeKind::Lambda, "lambda", node_key(l));
                if let Some(p) = &l.parameters {
                    self.params(p)?;
                }
                self.expr(&l.body)?;
                self.leave();
            }
            Expr::If(i) => {
                self.expr(&i.test)?;
                self.expr(&i.body)?;
                self.expr(&i.orelse)?;
            }
            Expr::Dict(d) => {
                for item in &d.items {
                    if let Some(k) = &item.key {
                        self.expr(k)?;
                    }
                    self.expr(&item.value)?;
                }
            }
            Expr::Set(s) => self.exprs(&s.elts)?,
            Expr::ListComp(c) => self.comprehension(node_key(c), "listcomp", &c.generators, &c.elt, None, e)?,
            Expr::SetComp(c) => self.comprehension(node_key(c), "setcomp", &c.generators, &c.elt, None, e)?,
            Expr::DictComp(c) => {
                let key = c.key.as_deref().unwrap_or(&c.value);
                self.comprehension(node_key(c), "dictcomp", &c.generators, key, Some(&c.value), e)?
            }
            Expr::Generator(c) => self.comprehension(node_key(c), "genexpr", &c.generators, &c.elt, None, e)?,
            Expr::Await(a) => {
                self.await_check(e.range())?;
                self.expr(&a.value)?;
            }
            Expr::Yield(y) => {
                self.yield_check(e.range())?;
                if let Some(v) = &y.value {
                    self.expr(v)?;
                }
            }
            Expr::YieldFrom(y) => {
                self.yield_check(e.range())?;
                self.expr(&y.value)?;
            }
            Expr::Compare(c) => {
                self.expr(&c.left)?;
                self.exprs(&c.comparators)?;
            }
            Expr::Call(c) => {
                self.expr(&c.func)?;
                self.exprs(&c.arguments.args)?;
                for k in c.arguments.keywords.iter() {
                    self.expr(&k.value)?;
                }
            }
            Expr::FString(f) => {
                for part in f.value.iter() {
                    if let ast::FStringPart::FString(fs) = part {
                        self.fstring_elements(&fs.elements)?;
                    }
                }
            }
            Expr::TString(_) => {}
            Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_)
            | Expr::IpyEscapeCommand(_) => {}
            Expr::Attribute(a) => self.expr(&a.value)?,
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
            }
            Expr::Starred(s) => self.expr(&s.value)?,
            Expr::Name(n) => {
                let id = n.id.as_str();
                let flag = if n.ctx == ast::ExprContext::Load { USE } else { DEF_LOCAL };
                self.add_def(id, flag, n.range)?;
                if n.ctx == ast::ExprContext::Load && id == "super" && self.scopes[self.cur()].is_function_like() {
                    self.add_def("__class__", USE, n.range)?;
                }
            }
            Expr::List(l) => self.exprs(&l.elts)?,
            Expr::Tuple(t) => self.exprs(&t.elts)?,
            Expr::Slice(s) => {
                if let Some(x) = &s.lower {
                    self.expr(x)?;
                }
                if let Some(x) = &s.upper {
                    self.expr(x)?;
                }
                if let Some(x) = &s.step {
                    self.expr(x)?;
                }
            }
        }
        Ok(())
    }

    fn fstring_elements(&mut self, elements: &ast::InterpolatedStringElements) -> R {
        for el in elements.iter() {
            if let ast::InterpolatedStringElement::Interpolation(i) = el {
                self.expr(&i.expression)?;
                if let Some(spec) = &i.format_spec {
                    self.fstring_elements(&spec.elements)?;
                }
            }
        }
        Ok(())
    }

    fn yield_check(&mut self, range: TextRange) -> R {
        let sid = self.cur();
        let scope = &self.scopes[sid];
        match scope.kind {
            ScopeKind::Module | ScopeKind::Class => {
                Err(self.err("'yield' outside function".into(), range))
            }
            ScopeKind::Comprehension => {
                let what = match scope.name.as_str() {
                    "listcomp" => "list comprehension",
                    "setcomp" => "set comprehension",
                    "dictcomp" => "dict comprehension",
                    _ => "generator expression",
                };
                Err(self.err(format!("'yield' inside {what}"), range))
            }
            _ => {
                self.scopes[sid].is_generator = true;
                Ok(())
            }
        }
    }

    fn await_check(&mut self, _range: TextRange) -> R {
        // Whether `await` is allowed depends on the code unit (top-level await in
        // some compile flags, async comprehensions), so the code generator checks it.
        let sid = self.cur();
        if self.scopes[sid].kind == ScopeKind::Comprehension {
            self.scopes[sid].is_async_comprehension = true;
        }
        Ok(())
    }

    fn named_expr(&mut self, n: &ast::ExprNamed) -> R {
        let sid = self.cur();
        if self.scopes[sid].comp_iter_expr > 0 {
            return Err(self.err(
                "assignment expression cannot be used in a comprehension iterable expression".into(),
                n.range,
            ));
        }
        if let Expr::Name(target) = &*n.target {
            if self.scopes[sid].kind == ScopeKind::Comprehension {
                self.extend_named_expr_scope(target)?;
                self.expr(&n.value)?;
                return Ok(());
            }
        }
        self.expr(&n.value)?;
        self.expr(&n.target)
    }

    /// A walrus target inside a comprehension binds in the nearest enclosing
    /// function (or module); comprehensions in between see it as nonlocal.
    fn extend_named_expr_scope(&mut self, target: &ast::ExprName) -> R {
        let name = target.id.as_str();
        let range = target.range;
        let cur = self.cur();
        for &sid in self.stack.clone().iter().rev() {
            let scope = &self.scopes[sid];
            match scope.kind {
                ScopeKind::Comprehension => {
                    if scope.flags_of(name) & DEF_COMP_ITER != 0 {
                        return Err(self.err(
                            format!("assignment expression cannot rebind comprehension iteration variable '{name}'"),
                            range,
                        ));
                    }
                }
                ScopeKind::Function | ScopeKind::Lambda => {
                    if scope.flags_of(name) & DEF_GLOBAL != 0 {
                        self.add_def_in(cur, name, DEF_GLOBAL, range)?;
                    } else {
                        self.add_def_in(cur, name, DEF_NONLOCAL, range)?;
                    }
                    self.mark_intermediate_nonlocal(sid, name, range)?;
                    return self.add_def_in(sid, name, DEF_LOCAL, range);
                }
                ScopeKind::Module => {
                    self.add_def_in(cur, name, DEF_GLOBAL, range)?;
                    self.mark_intermediate_global(name, range)?;
                    return self.add_def_in(sid, name, DEF_GLOBAL, range);
                }
                ScopeKind::Class => {
                    return Err(self.err(
                        "assignment expression within a comprehension cannot be used in a class body".into(),
                        range,
                    ));
                }
            }
        }
        Ok(())
    }

    /// Comprehensions between the walrus and its binding scope pass the name through.
    fn mark_intermediate_nonlocal(&mut self, target_scope: ScopeId, name: &str, range: TextRange) -> R {
        let stack = self.stack.clone();
        let cur = self.cur();
        for &sid in stack.iter().rev() {
            if sid == target_scope {
                break;
            }
            if sid != cur {
                self.add_def_in(sid, name, DEF_NONLOCAL, range)?;
            }
        }
        Ok(())
    }
    fn mark_intermediate_global(&mut self, name: &str, range: TextRange) -> R {
        let stack = self.stack.clone();
        let cur = self.cur();
        for &sid in stack.iter().rev() {
            if sid == 0 {
                break;
            }
            if sid != cur {
                self.add_def_in(sid, name, DEF_GLOBAL, range)?;
            }
        }
        Ok(())
    }

    fn comprehension(
        &mut self,
        key: usize,
        name: &str,
        generators: &[ast::Comprehension],
        elt: &Expr,
        value: Option<&Expr>,
        whole: &Expr,
    ) -> R {
        let Some(first) = generators.first() else { return Ok(()) };
        // The outermost iterable is evaluated in the enclosing scope.
        let parent = self.cur();
        self.scopes[parent].comp_iter_expr += 1;
        let r = self.expr(&first.iter);
        self.scopes[parent].comp_iter_expr -= 1;
        r?;
        self.enter(ScopeKind::Comprehension, name, key);
        let sid = self.cur();
        let is_generator = name == "genexpr";
        if first.is_async {
            self.scopes[sid].is_async_comprehension = true;
        }
        self.add_def(".0", DEF_PARAM, first.range)?;
        self.comp_target(&first.target)?;
        for cond in &first.ifs {
            self.expr(cond)?;
        }
        for g in &generators[1..] {
            if g.is_async {
                self.scopes[sid].is_async_comprehension = true;
            }
            self.scopes[sid].comp_iter_expr += 1;
            let r = self.expr(&g.iter);
            self.scopes[sid].comp_iter_expr -= 1;
            r?;
            self.comp_target(&g.target)?;
            for cond in &g.ifs {
                self.expr(cond)?;
            }
        }
        if let Some(v) = value {
            if !std::ptr::eq(v, elt) {
                self.expr(elt)?;
            }
            self.expr(v)?;
        } else {
            self.expr(elt)?;
        }
        if is_generator {
            self.scopes[sid].is_generator = true;
        }
        let _ = whole;
        self.leave();
        // An async list/set/dict comprehension is awaited where it is built, which
        // makes an enclosing comprehension asynchronous too.
        let parent = self.cur();
        if !is_generator && self.scopes[sid].is_async_comprehension && self.scopes[parent].kind == ScopeKind::Comprehension {
            self.scopes[parent].is_async_comprehension = true;
        }
        Ok(())
    }

    fn comp_target(&mut self, t: &Expr) -> R {
        let sid = self.cur();
        self.scopes[sid].comp_iter_target = true;
        let r = self.expr(t);
        self.scopes[sid].comp_iter_target = false;
        r
    }

    fn pattern(&mut self, p: &ast::Pattern) -> R {
        self.nest(p.range())?;
        let r = self.pattern_inner(p);
        self.depth -= 1;
        r
    }

    fn pattern_inner(&mut self, p: &ast::Pattern) -> R {
        use ast::Pattern as P;
        match p {
            P::MatchValue(v) => self.expr(&v.value)?,
            P::MatchSingleton(_) => {}
            P::MatchSequence(s) => {
                for q in &s.patterns {
                    self.pattern(q)?;
                }
            }
            P::MatchMapping(m) => {
                for k in m.keys.iter() {
                    self.expr(k)?;
                }
                for q in m.patterns.iter() {
                    self.pattern(q)?;
                }
                if let Some(r) = &m.rest {
                    self.add_def(r.as_str(), DEF_LOCAL, r.range)?;
                }
            }
            P::MatchClass(c) => {
                self.expr(&c.cls)?;
                for q in c.arguments.patterns.iter() {
                    self.pattern(q)?;
                }
                for k in &c.arguments.keywords {
                    self.pattern(&k.pattern)?;
                }
            }
            P::MatchStar(s) => {
                if let Some(n) = &s.name {
                    self.add_def(n.as_str(), DEF_LOCAL, n.range)?;
                }
            }
            P::MatchAs(a) => {
                if let Some(q) = &a.pattern {
                    self.pattern(q)?;
                }
                if let Some(n) = &a.name {
                    self.add_def(n.as_str(), DEF_LOCAL, n.range)?;
                }
            }
            P::MatchOr(o) => {
                for q in &o.patterns {
                    self.pattern(q)?;
                }
            }
        }
        Ok(())
    }

    // ---- analysis (CPython's analyze_block) ----

    fn analyze(&mut self) -> R {
        let mut free = HashSet::new();
        let global = HashSet::new();
        self.analyze_block(0, None, &mut free, &global)
    }

    fn analyze_block(
        &mut self,
        sid: ScopeId,
        bound: Option<&HashSet<String>>,
        free: &mut HashSet<String>,
        global: &HashSet<String>,
    ) -> R {
        let mut local: HashSet<String> = HashSet::new();
        let mut scopes: HashMap<String, SymbolScope> = HashMap::new();
        let mut newglobal: HashSet<String> = HashSet::new();
        let mut newfree: HashSet<String> = HashSet::new();
        let mut newbound: HashSet<String> = HashSet::new();
        let mut global = global.clone();
        let mut bound_local: Option<HashSet<String>> = bound.cloned();
        let kind = self.scopes[sid].kind;

        if kind == ScopeKind::Class {
            newglobal.extend(global.iter().cloned());
            if let Some(b) = bound {
                newbound.extend(b.iter().cloned());
            }
        }

        let names = self.scopes[sid].order.clone();
        for name in &names {
            let flags = self.scopes[sid].symbols[name].flags;
            self.analyze_name(sid, &mut scopes, name, flags, &mut bound_local, &mut local, free, &mut global)?;
        }

        if kind != ScopeKind::Class {
            if self.scopes[sid].is_function_like() {
                newbound.extend(local.iter().cloned());
            }
            if let Some(b) = &bound_local {
                newbound.extend(b.iter().cloned());
            }
            newglobal.extend(global.iter().cloned());
        } else {
            newbound.insert("__class__".to_string());
        }

        let children = self.scopes[sid].children.clone();
        let mut allfree = HashSet::new();
        for child in children {
            let mut child_free = newfree.clone();
            let cb = newbound.clone();
            let cg = newglobal.clone();
            self.analyze_block(child, Some(&cb), &mut child_free, &cg)?;
            let c = &self.scopes[child];
            if c.has_free || c.child_free {
                self.scopes[sid].child_free = true;
            }
            allfree.extend(child_free);
        }
        newfree.extend(allfree);

        if self.scopes[sid].is_function_like() {
            // analyze_cells: locals used free by children become cells.
            for (name, sc) in scopes.iter_mut() {
                if *sc == SymbolScope::Local && newfree.contains(name) {
                    *sc = SymbolScope::Cell;
                    newfree.remove(name);
                }
            }
        } else if kind == ScopeKind::Class && newfree.remove("__class__") {
            self.scopes[sid].needs_class_closure = true;
        }

        // update_symbols
        let is_class = kind == ScopeKind::Class;
        let scope = &mut self.scopes[sid];
        for (name, sym) in scope.symbols.iter_mut() {
            if let Some(sc) = scopes.get(name) {
                sym.scope = *sc;
            }
        }
        for name in newfree.iter() {
            if let Some(sym) = scope.symbols.get_mut(name) {
                if is_class && sym.flags & (DEF_BOUND | DEF_GLOBAL) != 0 {
                    sym.flags |= DEF_FREE_CLASS;
                }
                continue;
            }
            if let Some(b) = &bound_local {
                if !b.contains(name) {
                    continue;
                }
            }
            scope.symbols.insert(name.clone(), Symbol { flags: 0, scope: SymbolScope::Free });
            scope.order.push(name.clone());
        }
        free.extend(newfree);
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn analyze_name(
        &mut self,
        sid: ScopeId,
        scopes: &mut HashMap<String, SymbolScope>,
        name: &str,
        flags: u32,
        bound: &mut Option<HashSet<String>>,
        local: &mut HashSet<String>,
        free: &mut HashSet<String>,
        global: &mut HashSet<String>,
    ) -> R {
        let set = |scopes: &mut HashMap<String, SymbolScope>, s| {
            scopes.insert(name.to_string(), s);
        };
        if flags & DEF_GLOBAL != 0 {
            if flags & DEF_NONLOCAL != 0 {
                let range = self.scopes[sid].first_use.get(name).copied().unwrap_or_default();
                return Err(self.err(format!("name '{name}' is nonlocal and global"), range));
            }
            set(scopes, SymbolScope::GlobalExplicit);
            global.insert(name.to_string());
            if let Some(b) = bound {
                b.remove(name);
            }
            return Ok(());
        }
        if flags & DEF_NONLOCAL != 0 {
            let ok = bound.as_ref().map(|b| b.contains(name)).unwrap_or(false);
            if !ok {
                let range = self.nonlocal_range(sid, name);
                return Err(self.err(format!("no binding for nonlocal '{name}' found"), range));
            }
            set(scopes, SymbolScope::Free);
            self.scopes[sid].has_free = true;
            free.insert(name.to_string());
            return Ok(());
        }
        if flags & DEF_BOUND != 0 {
            set(scopes, SymbolScope::Local);
            local.insert(name.to_string());
            global.remove(name);
            return Ok(());
        }
        if bound.as_ref().map(|b| b.contains(name)).unwrap_or(false) {
            set(scopes, SymbolScope::Free);
            self.scopes[sid].has_free = true;
            free.insert(name.to_string());
            return Ok(());
        }
        if global.contains(name) {
            set(scopes, SymbolScope::GlobalImplicit);
            return Ok(());
        }
        if self.scopes[sid].nested {
            self.scopes[sid].has_free = true;
        }
        set(scopes, SymbolScope::GlobalImplicit);
        Ok(())
    }

    fn nonlocal_range(&self, sid: ScopeId, name: &str) -> TextRange {
        self.nonlocal_sites.get(&(sid, name.to_string())).copied().unwrap_or_default()
    }
}
