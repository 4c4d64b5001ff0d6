//! AST to code objects, following CPython 3.11's `compile.c` conventions.
//!
//! Each code unit collects a flat list of instructions whose jump operands are
//! labels, plus CPython's pseudo-instructions for exception handling
//! (`SetupFinally`, `SetupCleanup`, `SetupWith`, `PopBlock`). The assembler
//! (`assemble.rs`) resolves labels, computes stack depths and turns the pseudo
//! instructions into the zero-cost exception table.

mod assemble;
mod expr;
mod pattern;
mod stmt;
pub(crate) mod surrogates;

use crate::bytecode::Opcode;
use crate::code::{flags, CodeObject, Constant, Position};
use crate::error::{CompileError, ErrorKind};
use crate::locate::SourceMap;
use crate::symtable::{self, mangle, ScopeId, ScopeKind, SymbolScope, SymbolTable};
use crate::Mode;
use dashu_int::IBig;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};
use std::collections::HashMap;

/// How CPython's messages name an expression (`literal`, `function call`, ...).
pub(crate) fn describe_expr(e: &Expr) -> &'static str {
    stmt::expr_description(e)
}

pub(crate) type CResult<T> = Result<T, CompileError>;

/// Compiles decoded source text.
pub fn compile_source(source: &str, filename: &str, mode: Mode) -> CResult<CodeObject> {
    surrogates::with_source(source, || compile_parsed(source, filename, mode))
}

fn compile_parsed(source: &str, filename: &str, mode: Mode) -> CResult<CodeObject> {
    let map = SourceMap::new(source, filename);
    let parsed = crate::parse::parse(source, &map, mode)?;
    match &parsed {
        crate::parse::Parsed::Module(body) => {
            let future = stmt::check_future_imports(body, &map)?;
            let st = symtable::build(body, &map, future.annotations)?;
            let mut c = Compiler::new(&map, st, future.annotations, mode);
            c.compile_module(body)
        }
        crate::parse::Parsed::Expression(e) => {
            let st = symtable::build_expr(e, &map)?;
            let mut c = Compiler::new(&map, st, false, mode);
            c.compile_eval(e)
        }
    }
}

/// A jump target inside one code unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Label(u32);

/// An instruction of a unit before assembly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Real(Opcode),
    /// Pushes an exception handler (`try:` bodies): on exception, pop to the
    /// current depth and push the exception.
    SetupFinally,
    /// Like SetupFinally but also pushes `lasti` below the exception.
    SetupCleanup,
    /// `with` bodies: the handler entry depth excludes the `__enter__` result.
    SetupWith,
    /// Pops the innermost handler.
    PopBlock,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Ins {
    pub op: Op,
    pub arg: u32,
    pub target: Option<Label>,
    pub pos: Position,
}

/// Kinds of frame blocks: what `return`/`break`/`continue` must undo on their way out.
#[derive(Clone, Debug)]
pub(crate) enum FBlockKind<'a> {
    WhileLoop,
    ForLoop,
    AsyncForLoop,
    TryExcept,
    FinallyTry(&'a [Stmt]),
    FinallyEnd,
    With(TextRange),
    AsyncWith(TextRange),
    /// An `except` body; the name bound by `as`, if any.
    HandlerCleanup(Option<String>),
    PopValue,
    ExceptionHandler,
    ExceptionGroupHandler,
    AsyncComprehensionGenerator,
}

#[derive(Clone, Debug)]
pub(crate) struct FBlock<'a> {
    pub kind: FBlockKind<'a>,
    /// Loops: where `continue` jumps.
    pub block: Label,
    /// Loops: where `break` jumps.
    pub exit: Label,
}

impl FBlock<'_> {
    fn is_loop(&self) -> bool {
        matches!(self.kind, FBlockKind::WhileLoop | FBlockKind::ForLoop | FBlockKind::AsyncForLoop)
    }
}

/// CPython's CO_MAXBLOCKS.
const MAX_BLOCKS: usize = 20;

#[derive(Hash, PartialEq, Eq)]
enum ConstKey {
    None,
    Bool(bool),
    Int(IBig),
    Float(u64),
    Complex(u64, u64),
    Str(String),
    SurrogateStr(String, Vec<(usize, u16)>),
    Bytes(Vec<u8>),
    Tuple(Vec<ConstKey>),
    FrozenSet(Vec<ConstKey>),
    Ellipsis,
}

fn const_key(c: &Constant) -> Option<ConstKey> {
    Some(match c {
        Constant::None => ConstKey::None,
        Constant::Bool(b) => ConstKey::Bool(*b),
        Constant::Int(i) => ConstKey::Int(i.clone()),
        Constant::Float(f) => ConstKey::Float(f.to_bits()),
        Constant::Complex { re, im } => ConstKey::Complex(re.to_bits(), im.to_bits()),
        Constant::Str(s) => ConstKey::Str(s.clone()),
        Constant::SurrogateStr { text, surrogates } => ConstKey::SurrogateStr(text.clone(), surrogates.clone()),
        Constant::Bytes(b) => ConstKey::Bytes(b.clone()),
        Constant::Tuple(t) => ConstKey::Tuple(t.iter().map(const_key).collect::<Option<_>>()?),
        Constant::FrozenSet(t) => ConstKey::FrozenSet(t.iter().map(const_key).collect::<Option<_>>()?),
        Constant::Ellipsis => ConstKey::Ellipsis,
        Constant::Code(_) => return None,
    })
}

/// One code object being built.
pub(crate) struct Unit<'a> {
    pub scope: ScopeId,
    pub kind: ScopeKind,
    pub instrs: Vec<Ins>,
    pub labels: Vec<u32>,
    pub consts: Vec<Constant>,
    const_map: HashMap<ConstKey, u32>,
    pub names: Vec<String>,
    name_map: HashMap<String, u32>,
    pub varnames: Vec<String>,
    var_map: HashMap<String, u32>,
    pub cellvars: Vec<String>,
    pub freevars: Vec<String>,
    deref_map: HashMap<String, u32>,
    pub fblocks: Vec<FBlock<'a>>,
    pub argcount: u32,
    pub posonlyargcount: u32,
    pub kwonlyargcount: u32,
    pub flags: u32,
    pub name: String,
    pub qualname: String,
    pub firstlineno: u32,
    pub docstring: Option<String>,
    pub private: Option<String>,
    /// Inside an `async def` (await allowed).
    pub is_async_function: bool,
}

const UNBOUND: u32 = u32::MAX;

pub(crate) struct Compiler<'a> {
    pub map: &'a SourceMap<'a>,
    pub st: SymbolTable,
    pub units: Vec<Unit<'a>>,
    pub future_annotations: bool,
    pub mode: Mode,
    /// The source range instructions are currently attributed to.
    pub loc: TextRange,
    pub depth: u32,
    /// The module's statements (to check where `from __future__` imports are).
    pub module_body: Option<&'a [Stmt]>,
}

impl<'a> Compiler<'a> {
    fn new(map: &'a SourceMap<'a>, st: SymbolTable, future_annotations: bool, mode: Mode) -> Self {
        Compiler { map, st, units: Vec::new(), future_annotations, mode, loc: TextRange::default(), depth: 0, module_body: None }
    }

    pub fn u(&mut self) -> &mut Unit<'a> {
        self.units.last_mut().expect("a code unit is always open while compiling")
    }
    pub fn ur(&self) -> &Unit<'a> {
        self.units.last().expect("a code unit is always open while compiling")
    }

    pub fn error(&self, msg: impl Into<String>, range: TextRange) -> CompileError {
        self.map.compiler_error(msg, range)
    }

    /// Guards recursion over deeply nested ASTs.
    pub fn enter_nested(&mut self, range: TextRange) -> CResult<()> {
        self.depth += 1;
        if self.depth > symtable::MAX_NESTING + 50 {
            let mut e = self.error("maximum recursion depth exceeded during compilation", range);
            e.kind = ErrorKind::RecursionError;
            return Err(e);
        }
        Ok(())
    }
    pub fn leave_nested(&mut self) {
        self.depth -= 1;
    }

    // ---- units ----

    pub fn enter_unit(&mut self, scope: ScopeId, name: &str, qualname: String, firstlineno: u32) {
        let sc = &self.st.scopes[scope];
        let kind = sc.kind;
        let mut varnames: Vec<String> = sc.params.clone();
        if sc.is_function_like() {
            for n in &sc.order {
                let sym = &sc.symbols[n];
                if sym.scope == SymbolScope::Local || sym.scope == SymbolScope::Cell {
                    if sym.flags & symtable::DEF_PARAM == 0 && !varnames.contains(n) {
                        varnames.push(n.clone());
                    }
                }
            }
        }
        let mut cellvars = sc.names_with(|s| s.scope == SymbolScope::Cell);
        if sc.needs_class_closure {
            cellvars.push("__class__".to_string());
            cellvars.sort();
        }
        let freevars = sc.names_with(|s| {
            s.scope == SymbolScope::Free || s.flags & symtable::DEF_FREE_CLASS != 0
        });
        let mut deref_map = HashMap::new();
        for (i, n) in cellvars.iter().chain(freevars.iter()).enumerate() {
            deref_map.entry(n.clone()).or_insert(i as u32);
        }
        let var_map = varnames.iter().enumerate().map(|(i, n)| (n.clone(), i as u32)).collect();
        let private = if kind == ScopeKind::Class {
            Some(name.to_string())
        } else {
            self.units.last().and_then(|u| u.private.clone())
        };
        let mut fl = 0;
        if sc.is_function_like() {
            fl |= flags::OPTIMIZED | flags::NEWLOCALS;
            if sc.nested {
                fl |= flags::NESTED;
            }
            let is_gen = sc.is_generator;
            let is_coro = sc.is_coroutine || (kind == ScopeKind::Comprehension && sc.is_async_comprehension);
            if is_gen && is_coro {
                fl |= flags::ASYNC_GENERATOR;
            } else if is_gen {
                fl |= flags::GENERATOR;
            } else if is_coro {
                fl |= flags::COROUTINE;
            }
        }
        let is_async_function = sc.is_coroutine;
        self.units.push(Unit {
            scope,
            kind,
            instrs: Vec::new(),
            labels: Vec::new(),
            consts: Vec::new(),
            const_map: HashMap::new(),
            names: Vec::new(),
            name_map: HashMap::new(),
            varnames,
            var_map,
            cellvars,
            freevars,
            deref_map,
            fblocks: Vec::new(),
            argcount: 0,
            posonlyargcount: 0,
            kwonlyargcount: 0,
            flags: fl,
            name: name.to_string(),
            qualname,
            firstlineno,
            docstring: None,
            private,
            is_async_function,
        });
        if fl & (flags::GENERATOR | flags::COROUTINE | flags::ASYNC_GENERATOR) != 0 {
            // The table's ReturnGenerator also consumes the first `send(None)`, so
            // no POP_TOP follows it (CPython 3.11 emits RETURN_GENERATOR; POP_TOP).
            self.emit(Opcode::ReturnGenerator, 0);
        }
        self.emit(Opcode::Resume, 0);
    }

    pub fn leave_unit(&mut self) -> CResult<CodeObject> {
        let unit = self.units.pop().expect("leave_unit with an open unit");
        assemble::assemble(unit, self.map)
    }

    /// The qualified name for a new function/class named `name` in the current unit (CPython's compiler_set_qualname).
    pub fn qualname_for(&self, name: &str, child_scope: ScopeId) -> String {
        let Some(u) = self.units.last() else { return name.to_string() };
        if u.kind == ScopeKind::Module {
            return name.to_string();
        }
        // A name declared global in the parent makes the qualname unqualified.
        let child_kind = self.st.scopes[child_scope].kind;
        if matches!(child_kind, ScopeKind::Function | ScopeKind::Class) {
            let mangled = mangle(u.private.as_deref(), name);
            if self.st.scopes[u.scope].scope_of(&mangled) == SymbolScope::GlobalExplicit {
                return name.to_string();
            }
        }
        let base = &u.qualname;
        if matches!(u.kind, ScopeKind::Function | ScopeKind::Lambda | ScopeKind::Comprehension) {
            format!("{base}.<locals>.{name}")
        } else {
            format!("{base}.{name}")
        }
    }

    // ---- emitting ----

    pub fn cur_pos(&self) -> Position {
        if self.loc.is_empty() && self.loc.start() == 0.into() {
            return Position::default();
        }
        self.map.position(self.loc)
    }

    pub fn emit(&mut self, op: Opcode, arg: u32) {
        let pos = self.cur_pos();
        self.u().instrs.push(Ins { op: Op::Real(op), arg, target: None, pos });
    }
    pub fn emit_noloc(&mut self, op: Opcode, arg: u32) {
        self.u().instrs.push(Ins { op: Op::Real(op), arg, target: None, pos: Position::default() });
    }
    pub fn emit_jump(&mut self, op: Opcode, target: Label) {
        let pos = self.cur_pos();
        self.u().instrs.push(Ins { op: Op::Real(op), arg: 0, target: Some(target), pos });
    }
    pub fn emit_pseudo(&mut self, op: Op, target: Option<Label>) {
        let pos = self.cur_pos();
        self.u().instrs.push(Ins { op, arg: 0, target, pos });
    }
    pub fn setup_finally(&mut self, handler: Label) {
        self.emit_pseudo(Op::SetupFinally, Some(handler));
    }
    pub fn setup_cleanup(&mut self, handler: Label) {
        self.emit_pseudo(Op::SetupCleanup, Some(handler));
    }
    pub fn setup_with(&mut self, handler: Label) {
        self.emit_pseudo(Op::SetupWith, Some(handler));
    }
    pub fn pop_block(&mut self) {
        self.emit_pseudo(Op::PopBlock, None);
    }
    pub fn new_label(&mut self) -> Label {
        let u = self.u();
        u.labels.push(UNBOUND);
        Label(u.labels.len() as u32 - 1)
    }
    pub fn bind(&mut self, l: Label) {
        let u = self.u();
        u.labels[l.0 as usize] = u.instrs.len() as u32;
    }

    pub fn add_const(&mut self, c: Constant) -> u32 {
        let u = self.u();
        match const_key(&c) {
            Some(key) => {
                if let Some(&i) = u.const_map.get(&key) {
                    return i;
                }
                let i = u.consts.len() as u32;
                u.consts.push(c);
                u.const_map.insert(key, i);
                i
            }
            None => {
                u.consts.push(c);
                u.consts.len() as u32 - 1
            }
        }
    }
    pub fn load_const(&mut self, c: Constant) {
        let i = self.add_const(c);
        self.emit(Opcode::LoadConst, i);
    }
    pub fn add_name(&mut self, name: &str) -> u32 {
        let u = self.u();
        if let Some(&i) = u.name_map.get(name) {
            return i;
        }
        let i = u.names.len() as u32;
        u.names.push(name.to_string());
        u.name_map.insert(name.to_string(), i);
        i
    }
    /// Emits an instruction whose operand is a (mangled) name.
    pub fn emit_name(&mut self, op: Opcode, name: &str) {
        let mangled = mangle(self.ur().private.as_deref(), name);
        let i = self.add_name(&mangled);
        self.emit(op, i);
    }
    pub fn varname_index(&mut self, name: &str) -> u32 {
        let u = self.u();
        if let Some(&i) = u.var_map.get(name) {
            return i;
        }
        let i = u.varnames.len() as u32;
        u.varnames.push(name.to_string());
        u.var_map.insert(name.to_string(), i);
        i
    }
    pub fn deref_index(&mut self, name: &str) -> u32 {
        let u = self.u();
        if let Some(&i) = u.deref_map.get(name) {
            return i;
        }
        // Not classified as a cell or free variable: should not happen; add a free slot.
        let i = (u.cellvars.len() + u.freevars.len()) as u32;
        u.freevars.push(name.to_string());
        u.deref_map.insert(name.to_string(), i);
        i
    }

    /// Loads, stores or deletes a name as its scope requires (CPython's compiler_nameop).
    pub fn name_op(&mut self, name: &str, ctx: ast::ExprContext) -> CResult<()> {
        if ctx == ast::ExprContext::Store
            && matches!(name, "__debug__")
        {
            return Err(self.error("cannot assign to __debug__", self.loc));
        }
        let mangled = mangle(self.ur().private.as_deref(), name);
        let u = self.ur();
        let scope_id = u.scope;
        let kind = u.kind;
        let is_function = matches!(kind, ScopeKind::Function | ScopeKind::Lambda | ScopeKind::Comprehension);
        let sc = self.st.scopes[scope_id].scope_of(&mangled);
        enum OpType {
            Deref,
            Fast,
            Global,
            Name,
        }
        let optype = match sc {
            SymbolScope::Free | SymbolScope::Cell => OpType::Deref,
            SymbolScope::Local if is_function => OpType::Fast,
            SymbolScope::GlobalImplicit if is_function => OpType::Global,
            SymbolScope::GlobalExplicit => OpType::Global,
            _ => OpType::Name,
        };
        // A class body name that is also passed through as free to methods is still a local of the class.
        use ast::ExprContext as C;
        match optype {
            OpType::Deref => {
                let i = self.deref_index(&mangled);
                let op = match ctx {
                    C::Load if kind == ScopeKind::Class => Opcode::LoadClassDeref,
                    C::Store => Opcode::StoreDeref,
                    C::Del => Opcode::DeleteDeref,
                    _ => Opcode::LoadDeref,
                };
                self.emit(op, i);
            }
            OpType::Fast => {
                let i = self.varname_index(&mangled);
                let op = match ctx {
                    C::Store => Opcode::StoreFast,
                    C::Del => Opcode::DeleteFast,
                    _ => Opcode::LoadFast,
                };
                self.emit(op, i);
            }
            OpType::Global => {
                let i = self.add_name(&mangled);
                match ctx {
                    C::Store => self.emit(Opcode::StoreGlobal, i),
                    C::Del => self.emit(Opcode::DeleteGlobal, i),
                    _ => self.emit(Opcode::LoadGlobal, i << 1),
                }
            }
            OpType::Name => {
                let i = self.add_name(&mangled);
                let op = match ctx {
                    C::Store => Opcode::StoreName,
                    C::Del => Opcode::DeleteName,
                    _ => Opcode::LoadName,
                };
                self.emit(op, i);
            }
        }
        Ok(())
    }

    pub fn load_name(&mut self, name: &str) -> CResult<()> {
        self.name_op(name, ast::ExprContext::Load)
    }
    pub fn store_name(&mut self, name: &str) -> CResult<()> {
        self.name_op(name, ast::ExprContext::Store)
    }

    /// Is `name` a global loaded with LOAD_GLOBAL here (so a call can use the push-NULL form)?
    pub fn is_global_load(&self, name: &str) -> bool {
        let u = self.ur();
        let mangled = mangle(u.private.as_deref(), name);
        let is_function = matches!(u.kind, ScopeKind::Function | ScopeKind::Lambda | ScopeKind::Comprehension);
        match self.st.scopes[u.scope].scope_of(&mangled) {
            SymbolScope::GlobalExplicit => true,
            SymbolScope::GlobalImplicit => is_function,
            _ => false,
        }
    }

    // ---- frame blocks ----

    pub fn push_fblock(&mut self, kind: FBlockKind<'a>, block: Label, exit: Label, range: TextRange) -> CResult<()> {
        if self.ur().fblocks.len() >= MAX_BLOCKS {
            return Err(self.error("too many statically nested blocks", range));
        }
        self.u().fblocks.push(FBlock { kind, block, exit });
        Ok(())
    }
    pub fn pop_fblock(&mut self) {
        self.u().fblocks.pop();
    }

    // ---- top level ----

    fn compile_module(&mut self, body: &'a [Stmt]) -> CResult<CodeObject> {
        let scope = 0;
        self.module_body = Some(body);
        self.enter_unit(scope, "<module>", "<module>".into(), 1);
        self.loc = TextRange::default();
        let interactive = self.mode == Mode::Single;
        if !interactive && needs_annotations(body) {
            self.emit(Opcode::SetupAnnotations, 0);
        }
        if interactive && needs_annotations(body) {
            self.emit(Opcode::SetupAnnotations, 0);
        }
        let mut rest = body;
        if !interactive {
            if let Some(doc) = docstring_of(body) {
                if let Some(first) = body.first() {
                    self.loc = first.range();
                }
                self.u().docstring = Some(doc.clone());
                self.load_const(Constant::Str(doc));
                self.store_name("__doc__")?;
                rest = &body[1..];
            }
        }
        for s in rest {
            self.stmt(s)?;
        }
        // The implicit `return None` has no position of its own (CPython gives it the last line).
        self.loc = body.last().map(|s| TextRange::empty(s.range().end())).unwrap_or_default();
        if let Some(last) = body.last() {
            self.loc = last.range();
        }
        self.load_const(Constant::None);
        self.emit(Opcode::ReturnValue, 0);
        if body.is_empty() {
            // An empty module has a single line 1 ... keep positions empty.
        }
        self.leave_unit()
    }

    fn compile_eval(&mut self, e: &'a Expr) -> CResult<CodeObject> {
        self.enter_unit(0, "<module>", "<module>".into(), 1);
        self.expr(e)?;
        self.loc = e.range();
        self.emit(Opcode::ReturnValue, 0);
        self.leave_unit()
    }
}

/// Does a module/class body contain an annotated assignment at its own level
/// (CPython's find_ann: looks into compound statements but not nested scopes)?
pub(crate) fn needs_annotations(body: &[Stmt]) -> bool {
    body.iter().any(|s| match s {
        Stmt::AnnAssign(_) => true,
        Stmt::For(f) => needs_annotations(&f.body) || needs_annotations(&f.orelse),
        Stmt::While(w) => needs_annotations(&w.body) || needs_annotations(&w.orelse),
        Stmt::If(i) => needs_annotations(&i.body) || i.elif_else_clauses.iter().any(|c| needs_annotations(&c.body)),
        Stmt::With(w) => needs_annotations(&w.body),
        Stmt::Try(t) => {
            needs_annotations(&t.body)
                || needs_annotations(&t.orelse)
                || needs_annotations(&t.finalbody)
                || t.handlers.iter().any(|h| {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    needs_annotations(&h.body)
                })
        }
        Stmt::Match(m) => m.cases.iter().any(|c| needs_annotations(&c.body)),
        _ => false,
    })
}

/// The docstring of a body: its first statement when that is a plain string literal.
pub(crate) fn docstring_of(body: &[Stmt]) -> Option<String> {
    match body.first()? {
        Stmt::Expr(e) => match &*e.value {
            Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
            _ => None,
        },
        _ => None,
    }
}
