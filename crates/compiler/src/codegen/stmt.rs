//! Statements: control flow, exception handling, `with`, imports, definitions.

use super::{CResult, Compiler, FBlock, FBlockKind, Label};
use crate::bytecode::{BinOp, Opcode};
use crate::code::{flags, CodeObject, Constant, Position};
use crate::locate::SourceMap;
use crate::symtable::{ScopeKind, SymbolScope};
use crate::Mode;
use ruff_python_ast::{self as ast, Expr, ExprContext, Stmt};
use ruff_text_size::{Ranged, TextRange};

pub(crate) struct FutureFlags {
    pub annotations: bool,
}

const FUTURE_FEATURES: &[&str] = &[
    "nested_scopes",
    "generators",
    "division",
    "absolute_import",
    "with_statement",
    "print_function",
    "unicode_literals",
    "barry_as_FLUFL",
    "generator_stop",
    "annotations",
];

/// CPython's future.c: `from __future__ import x` must come first (after the
/// docstring) and name a known feature.
pub(crate) fn check_future_imports(body: &[Stmt], map: &SourceMap) -> CResult<FutureFlags> {
    let mut flags = FutureFlags { annotations: false };
    let mut allowed = true;
    for (i, s) in body.iter().enumerate() {
        match s {
            Stmt::ImportFrom(imp) if imp.module.as_ref().map(|m| m.as_str()) == Some("__future__") && imp.level == 0 => {
                if !allowed {
                    return Err(map.compiler_error("from __future__ imports must occur at the beginning of the file", s.range()));
                }
                for alias in &imp.names {
                    let name = alias.name.as_str();
                    if name == "annotations" {
                        flags.annotations = true;
                    } else if name == "braces" {
                        return Err(future_error(map, "not a chance".into(), s.range()));
                    } else if !FUTURE_FEATURES.contains(&name) {
                        return Err(future_error(map, format!("future feature {name} is not defined"), s.range()));
                    }
                }
            }
            Stmt::Expr(e) if i == 0 && matches!(&*e.value, Expr::StringLiteral(_)) => {}
            _ => allowed = false,
        }
    }
    Ok(flags)
}

/// Future-feature errors carry no end position in CPython.
fn future_error(map: &SourceMap, msg: String, range: TextRange) -> crate::CompileError {
    let mut e = map.compiler_error(msg, range);
    e.end_offset = 0;
    e
}

fn is_valid_future_position(body: &[Stmt], target: &ast::StmtImportFrom) -> bool {
    for (i, s) in body.iter().enumerate() {
        match s {
            Stmt::ImportFrom(imp) if imp.module.as_ref().map(|m| m.as_str()) == Some("__future__") && imp.level == 0 => {
                if std::ptr::eq(imp, target) {
                    return true;
                }
            }
            Stmt::Expr(e) if i == 0 && matches!(&*e.value, Expr::StringLiteral(_)) => {}
            _ => return false,
        }
    }
    false
}

impl<'a> Compiler<'a> {
    pub fn stmts(&mut self, body: &'a [Stmt]) -> CResult<()> {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    pub fn stmt(&mut self, s: &'a Stmt) -> CResult<()> {
        self.enter_nested(s.range())?;
        let saved = self.loc;
        self.loc = s.range();
        let r = self.stmt_inner(s);
        self.loc = saved;
        self.leave_nested();
        r
    }

    fn stmt_inner(&mut self, s: &'a Stmt) -> CResult<()> {
        match s {
            Stmt::FunctionDef(f) => self.function_def(f),
            Stmt::ClassDef(c) => self.class_def(c),
            Stmt::Return(r) => self.return_stmt(r),
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.delete_target(t)?;
                }
                Ok(())
            }
            Stmt::Assign(a) => {
                self.expr(&a.value)?;
                let n = a.targets.len();
                for (i, t) in a.targets.iter().enumerate() {
                    if i + 1 < n {
                        self.loc = s.range();
                        self.emit(Opcode::Copy, 1);
                    }
                    self.store_target(t)?;
                }
                Ok(())
            }
            Stmt::AugAssign(a) => self.aug_assign(a),
            Stmt::AnnAssign(a) => self.ann_assign(a),
            Stmt::TypeAlias(t) => Err(self.error("invalid syntax", t.range)),
            Stmt::For(f) => {
                if f.is_async {
                    self.async_for(f)
                } else {
                    self.for_stmt(f)
                }
            }
            Stmt::While(w) => self.while_stmt(w),
            Stmt::If(i) => self.if_stmt(i),
            Stmt::With(w) => {
                if w.is_async {
                    self.check_async(w.range, "'async with' outside async function")?;
                }
                self.with_stmt(w, 0)
            }
            Stmt::Match(m) => self.match_stmt(m),
            Stmt::Raise(r) => {
                let mut n = 0;
                if let Some(e) = &r.exc {
                    self.expr(e)?;
                    n = 1;
                    if let Some(c) = &r.cause {
                        self.expr(c)?;
                        n = 2;
                    }
                }
                self.loc = s.range();
                self.emit(Opcode::RaiseVarargs, n);
                Ok(())
            }
            Stmt::Try(t) => {
                if !t.finalbody.is_empty() {
                    self.try_finally(t)
                } else if t.is_star {
                    self.try_star_except(t)
                } else {
                    self.try_except(t)
                }
            }
            Stmt::Assert(a) => {
                if let Expr::Tuple(t) = &*a.test {
                    let _ = t; // CPython warns ("assertion is always true"); no warning machinery here.
                }
                let end = self.new_label();
                self.jump_if(&a.test, end, true)?;
                self.loc = s.range();
                self.emit(Opcode::LoadAssertionError, 0);
                if let Some(m) = &a.msg {
                    self.emit(Opcode::PushNull, 0);
                    self.expr(m)?;
                    self.loc = s.range();
                    self.emit(Opcode::Call, 1);
                }
                self.emit(Opcode::RaiseVarargs, 1);
                self.bind(end);
                Ok(())
            }
            Stmt::Import(i) => {
                for alias in &i.names {
                    self.loc = s.range();
                    let zero = self.add_const(Constant::Int(0.into()));
                    self.emit(Opcode::LoadConst, zero);
                    self.load_const(Constant::None);
                    self.emit_name(Opcode::ImportName, alias.name.as_str());
                    let name = alias.name.as_str();
                    match &alias.asname {
                        Some(asname) => {
                            let parts: Vec<&str> = name.split('.').collect();
                            if parts.len() > 1 {
                                for (k, attr) in parts[1..].iter().enumerate() {
                                    self.emit_name(Opcode::ImportFrom, attr);
                                    if k + 2 < parts.len() {
                                        self.emit(Opcode::Swap, 2);
                                        self.emit(Opcode::PopTop, 0);
                                    }
                                }
                                self.store_name(asname.as_str())?;
                                self.emit(Opcode::PopTop, 0);
                            } else {
                                self.store_name(asname.as_str())?;
                            }
                        }
                        None => {
                            let top = name.split('.').next().unwrap_or(name);
                            self.store_name(top)?;
                        }
                    }
                }
                Ok(())
            }
            Stmt::ImportFrom(i) => self.import_from(i),
            Stmt::Global(_) | Stmt::Nonlocal(_) | Stmt::Pass(_) | Stmt::IpyEscapeCommand(_) => Ok(()),
            Stmt::Expr(e) => {
                if self.mode == Mode::Single && self.units.len() == 1 {
                    self.expr(&e.value)?;
                    self.loc = s.range();
                    self.emit(Opcode::PrintExpr, 0);
                    return Ok(());
                }
                if is_constant_expr(&e.value) {
                    // No side effects: CPython emits only a NOP here.
                    self.emit(Opcode::Nop, 0);
                    return Ok(());
                }
                self.expr(&e.value)?;
                self.loc = s.range();
                self.emit(Opcode::PopTop, 0);
                Ok(())
            }
            Stmt::Break(b) => self.break_stmt(b.range),
            Stmt::Continue(c) => self.continue_stmt(c.range),
        }
    }

    pub fn check_async(&self, range: TextRange, msg: &str) -> CResult<()> {
        let u = self.ur();
        if u.kind != ScopeKind::Function || !u.is_async_function {
            if u.kind == ScopeKind::Comprehension && u.flags & (flags::COROUTINE | flags::ASYNC_GENERATOR) != 0 {
                return Ok(());
            }
            return Err(self.error(msg, range));
        }
        Ok(())
    }

    // ---- definitions ----

    fn decorators(&mut self, decs: &'a [ast::Decorator]) -> CResult<()> {
        for d in decs {
            self.expr(&d.expression)?;
            self.loc = d.expression.range();
            self.emit(Opcode::PushNull, 0);
        }
        Ok(())
    }

    fn apply_decorators(&mut self, decs: &'a [ast::Decorator]) {
        for d in decs.iter().rev() {
            self.loc = d.expression.range();
            self.emit(Opcode::Call, 1);
        }
    }

    /// Defaults and keyword defaults; returns the MakeFunction flags they need.
    pub fn default_arguments(&mut self, p: &'a ast::Parameters) -> CResult<u32> {
        let mut fl = 0;
        let defaults: Vec<&Expr> =
            p.posonlyargs.iter().chain(p.args.iter()).filter_map(|a| a.default.as_deref()).collect();
        if !defaults.is_empty() {
            for d in &defaults {
                self.expr(d)?;
            }
            self.emit(Opcode::BuildTuple, defaults.len() as u32);
            fl |= 1;
        }
        let kwdefaults: Vec<&'a ast::ParameterWithDefault> =
            p.kwonlyargs.iter().filter(|a| a.default.is_some()).collect();
        if !kwdefaults.is_empty() {
            for a in &kwdefaults {
                let name = crate::symtable::mangle(self.ur().private.as_deref(), a.parameter.name.as_str());
                self.load_const(Constant::Str(name));
                if let Some(d) = &a.default {
                    self.expr(d)?;
                }
            }
            self.emit(Opcode::BuildMap, kwdefaults.len() as u32);
            fl |= 2;
        }
        Ok(fl)
    }

    /// Parameter and return annotations as a dict; returns flag 4 when any.
    fn annotations(&mut self, p: &'a ast::Parameters, returns: Option<&'a Expr>) -> CResult<u32> {
        let mut n = 0;
        let mut params: Vec<&'a ast::Parameter> = Vec::new();
        for a in p.posonlyargs.iter().chain(p.args.iter()) {
            params.push(&a.parameter);
        }
        if let Some(v) = &p.vararg {
            params.push(v);
        }
        for a in p.kwonlyargs.iter() {
            params.push(&a.parameter);
        }
        if let Some(v) = &p.kwarg {
            params.push(v);
        }
        for prm in params {
            if let Some(ann) = &prm.annotation {
                let name = crate::symtable::mangle(self.ur().private.as_deref(), prm.name.as_str());
                self.load_const(Constant::Str(name));
                self.annotation_value(ann)?;
                n += 1;
            }
        }
        if let Some(r) = returns {
            self.load_const(Constant::Str("return".into()));
            self.annotation_value(r)?;
            n += 1;
        }
        if n > 0 {
            self.emit(Opcode::BuildMap, n);
            Ok(4)
        } else {
            Ok(0)
        }
    }

    /// An annotation's value: evaluated, or its source text under `from __future__ import annotations`.
    pub fn annotation_value(&mut self, ann: &'a Expr) -> CResult<()> {
        if let (Expr::Starred(st), false) = (ann, self.future_annotations) {
            // `*args: *Ts` stores the single item of `[*Ts]`.
            self.expr(&st.value)?;
            self.emit(Opcode::UnpackSequence, 1);
            return Ok(());
        }
        if self.future_annotations {
            let text = annotation_text(self.map.src, ann);
            self.load_const(Constant::Str(text));
            Ok(())
        } else {
            self.expr(ann)
        }
    }

    fn setup_params(&mut self, p: &ast::Parameters) {
        let u = self.u();
        u.argcount = (p.posonlyargs.len() + p.args.len()) as u32;
        u.posonlyargcount = p.posonlyargs.len() as u32;
        u.kwonlyargcount = p.kwonlyargs.len() as u32;
        if p.vararg.is_some() {
            u.flags |= flags::VARARGS;
        }
        if p.kwarg.is_some() {
            u.flags |= flags::VARKEYWORDS;
        }
    }

    fn first_line(&self, range: TextRange, decs: &[ast::Decorator]) -> u32 {
        let start = decs.first().map(|d| d.range.start()).unwrap_or(range.start());
        self.map.line_col(start).0
    }

    fn function_def(&mut self, f: &'a ast::StmtFunctionDef) -> CResult<()> {
        if f.type_params.is_some() {
            return Err(self.error("invalid syntax", f.range));
        }
        self.decorators(&f.decorator_list)?;
        let firstlineno = self.first_line(f.range, &f.decorator_list);
        self.loc = f.range;
        let mut fl = self.default_arguments(&f.parameters)?;
        fl |= self.annotations(&f.parameters, f.returns.as_deref())?;
        let Some(scope) = self.st.scope_for(f) else {
            return Err(self.error("internal compiler error: no scope for function", f.range));
        };
        let qualname = self.qualname_for(f.name.as_str(), scope);
        self.enter_unit(scope, f.name.as_str(), qualname, firstlineno);
        self.setup_params(&f.parameters);
        let doc = super::docstring_of(&f.body);
        let body: &'a [Stmt] = if doc.is_some() { &f.body[1..] } else { &f.body };
        if let Some(d) = &doc {
            // CPython keeps the docstring as the first constant.
            self.add_const(Constant::Str(d.clone()));
        } else {
            self.add_const(Constant::None);
        }
        self.u().docstring = doc;
        self.stmts(body)?;
        if let Some(last) = f.body.last() {
            self.loc = last.range();
        }
        self.load_const(Constant::None);
        self.emit_noloc(Opcode::ReturnValue, 0);
        let code = self.leave_unit()?;
        self.loc = f.range;
        self.make_closure(code, fl)?;
        self.apply_decorators(&f.decorator_list);
        self.loc = f.range;
        self.store_name(f.name.as_str())
    }

    /// Pushes the closure tuple (if the code has free variables), the code and MakeFunction.
    pub fn make_closure(&mut self, code: CodeObject, mut fl: u32) -> CResult<()> {
        if !code.freevars.is_empty() {
            for name in &code.freevars {
                let i = self.deref_index(name);
                self.emit(Opcode::LoadClosure, i);
            }
            self.emit(Opcode::BuildTuple, code.freevars.len() as u32);
            fl |= 8;
        }
        self.load_const(Constant::Code(Box::new(code)));
        self.emit(Opcode::MakeFunction, fl);
        Ok(())
    }

    fn class_def(&mut self, c: &'a ast::StmtClassDef) -> CResult<()> {
        if c.type_params.is_some() {
            return Err(self.error("invalid syntax", c.range));
        }
        self.decorators(&c.decorator_list)?;
        let firstlineno = self.first_line(c.range, &c.decorator_list);
        let Some(scope) = self.st.scope_for(c) else {
            return Err(self.error("internal compiler error: no scope for class", c.range));
        };
        let qualname = self.qualname_for(c.name.as_str(), scope);
        self.enter_unit(scope, c.name.as_str(), qualname.clone(), firstlineno);
        self.loc = c.range;
        // The position of the class line for the namespace setup.
        self.loc = TextRange::new(c.range.start(), c.name.range.end());
        self.load_name_raw(Opcode::LoadName, "__name__");
        self.load_name_raw(Opcode::StoreName, "__module__");
        self.load_const(Constant::Str(qualname));
        self.load_name_raw(Opcode::StoreName, "__qualname__");
        if super::needs_annotations(&c.body) {
            self.emit(Opcode::SetupAnnotations, 0);
        }
        let doc = super::docstring_of(&c.body);
        let body: &'a [Stmt] = if let Some(d) = &doc {
            self.loc = c.body[0].range();
            self.load_const(Constant::Str(d.clone()));
            self.store_name("__doc__")?;
            &c.body[1..]
        } else {
            &c.body
        };
        self.u().docstring = doc;
        self.stmts(body)?;
        if let Some(last) = c.body.last() {
            self.loc = last.range();
        }
        let needs_cell = self.st.scopes[scope].needs_class_closure;
        if needs_cell {
            let i = self.deref_index("__class__");
            self.emit_noloc(Opcode::LoadClosure, i);
            self.emit_noloc(Opcode::Copy, 1);
            self.load_name_raw(Opcode::StoreName, "__classcell__");
        } else {
            self.load_const(Constant::None);
        }
        self.emit_noloc(Opcode::ReturnValue, 0);
        let code = self.leave_unit()?;
        self.loc = c.range;
        self.emit(Opcode::LoadBuildClass, 0);
        self.emit(Opcode::PushNull, 0);
        self.make_closure(code, 0)?;
        self.load_const(Constant::Str(c.name.to_string()));
        match &c.arguments {
            Some(args) => self.call_helper(2, &args.args, &args.keywords, c.range)?,
            None => {
                self.loc = c.range;
                self.emit(Opcode::Call, 2);
            }
        }
        self.apply_decorators(&c.decorator_list);
        self.loc = c.range;
        self.store_name(c.name.as_str())
    }

    /// A name operand without mangling (dunder names never mangle anyway).
    fn load_name_raw(&mut self, op: Opcode, name: &str) {
        let i = self.add_name(name);
        self.emit(op, i);
    }

    // ---- return / break / continue ----

    fn return_stmt(&mut self, r: &'a ast::StmtReturn) -> CResult<()> {
        let kind = self.ur().kind;
        if !matches!(kind, ScopeKind::Function | ScopeKind::Lambda | ScopeKind::Comprehension) {
            return Err(self.error("'return' outside function", r.range));
        }
        if r.value.is_some() && self.ur().flags & flags::ASYNC_GENERATOR != 0 {
            return Err(self.error("'return' with value in async generator", r.range));
        }
        let preserve_tos = r.value.as_deref().map(|v| !is_constant_expr(v)).unwrap_or(false);
        if preserve_tos {
            if let Some(v) = &r.value {
                self.expr(v)?;
            }
        }
        self.loc = r.range;
        self.unwind_fblock_stack(preserve_tos, false, r.range)?;
        self.loc = r.range;
        match &r.value {
            None => self.load_const(Constant::None),
            Some(v) if !preserve_tos => self.expr(v)?,
            _ => {}
        }
        self.loc = r.range;
        self.emit(Opcode::ReturnValue, 0);
        Ok(())
    }

    fn break_stmt(&mut self, range: TextRange) -> CResult<()> {
        let Some(lp) = self.unwind_fblock_stack(false, true, range)? else {
            return Err(self.error("'break' outside loop", range));
        };
        self.loc = range;
        self.unwind_fblock(&lp, false)?;
        self.loc = range;
        self.emit_jump(Opcode::Jump, lp.exit);
        Ok(())
    }

    fn continue_stmt(&mut self, range: TextRange) -> CResult<()> {
        let Some(lp) = self.unwind_fblock_stack(false, true, range)? else {
            return Err(self.error("'continue' not properly in loop", range));
        };
        self.loc = range;
        self.emit_jump(Opcode::Jump, lp.block);
        Ok(())
    }

    /// Undoes the frame blocks from the innermost out (to the innermost loop when `to_loop`).
    fn unwind_fblock_stack(&mut self, preserve_tos: bool, to_loop: bool, range: TextRange) -> CResult<Option<FBlock<'a>>> {
        let Some(top) = self.ur().fblocks.last().cloned() else { return Ok(None) };
        if matches!(top.kind, FBlockKind::ExceptionGroupHandler) {
            return Err(self.error("'break', 'continue' and 'return' cannot appear in an except* block", range));
        }
        if to_loop && top.is_loop() {
            return Ok(Some(top));
        }
        self.u().fblocks.pop();
        let r = self.unwind_fblock(&top, preserve_tos).and_then(|_| self.unwind_fblock_stack(preserve_tos, to_loop, range));
        self.u().fblocks.push(top);
        r
    }

    fn unwind_fblock(&mut self, fb: &FBlock<'a>, preserve_tos: bool) -> CResult<()> {
        match &fb.kind {
            FBlockKind::WhileLoop
            | FBlockKind::ExceptionHandler
            | FBlockKind::ExceptionGroupHandler
            | FBlockKind::AsyncComprehensionGenerator => {}
            FBlockKind::ForLoop | FBlockKind::AsyncForLoop => {
                if preserve_tos {
                    self.emit(Opcode::Swap, 2);
                }
                self.emit(Opcode::PopTop, 0);
            }
            FBlockKind::TryExcept => self.pop_block(),
            FBlockKind::FinallyTry(body) => {
                self.pop_block();
                if preserve_tos {
                    let l = self.new_label();
                    self.push_fblock(FBlockKind::PopValue, l, l, self.loc)?;
                }
                let saved = self.loc;
                self.stmts(body)?;
                self.loc = saved;
                if preserve_tos {
                    self.pop_fblock();
                }
            }
            FBlockKind::FinallyEnd => {
                if preserve_tos {
                    self.emit(Opcode::Swap, 2);
                }
                self.emit(Opcode::PopTop, 0);
                if preserve_tos {
                    self.emit(Opcode::Swap, 2);
                }
                self.pop_block();
                self.emit(Opcode::PopExcept, 0);
            }
            FBlockKind::With(range) | FBlockKind::AsyncWith(range) => {
                let saved = self.loc;
                self.loc = *range;
                self.pop_block();
                if preserve_tos {
                    self.emit(Opcode::Swap, 2);
                }
                self.call_exit_with_nones();
                if matches!(fb.kind, FBlockKind::AsyncWith(_)) {
                    self.emit(Opcode::GetAwaitable, 2);
                    self.load_const(Constant::None);
                    self.add_yield_from(true);
                }
                self.emit(Opcode::PopTop, 0);
                self.loc = saved;
            }
            FBlockKind::HandlerCleanup(name) => {
                if name.is_some() {
                    self.pop_block();
                }
                if preserve_tos {
                    self.emit(Opcode::Swap, 2);
                }
                self.pop_block();
                self.emit(Opcode::PopExcept, 0);
                if let Some(n) = name {
                    let n = n.clone();
                    self.load_const(Constant::None);
                    self.store_name(&n)?;
                    self.name_op(&n, ExprContext::Del)?;
                }
            }
            FBlockKind::PopValue => {
                if preserve_tos {
                    self.emit(Opcode::Swap, 2);
                }
                self.emit(Opcode::PopTop, 0);
            }
        }
        Ok(())
    }

    fn call_exit_with_nones(&mut self) {
        // exit(None, None, None) using the `[callable, self_or_null, args]` layout: the
        // first None fills the self slot and becomes the first argument.
        self.load_const(Constant::None);
        self.load_const(Constant::None);
        self.load_const(Constant::None);
        self.emit(Opcode::Call, 2);
    }

    // ---- loops and conditionals ----

    fn for_stmt(&mut self, f: &'a ast::StmtFor) -> CResult<()> {
        let start = self.new_label();
        let cleanup = self.new_label();
        let end = self.new_label();
        self.expr(&f.iter)?;
        // CPython 3.11 gives GET_ITER and FOR_ITER the whole statement's
        // position (so a traceback through them shows no caret).
        self.loc = f.range;
        self.emit(Opcode::GetIter, 0);
        self.bind(start);
        self.push_fblock(FBlockKind::ForLoop, start, end, f.range)?;
        self.loc = f.range;
        self.emit_jump(Opcode::ForIter, cleanup);
        self.store_target(&f.target)?;
        self.stmts(&f.body)?;
        self.loc = f.iter.range();
        self.emit_noloc(Opcode::Jump, 0);
        self.u().instrs.last_mut().expect("just emitted").target = Some(start);
        self.pop_fblock();
        self.bind(cleanup);
        self.stmts(&f.orelse)?;
        self.bind(end);
        Ok(())
    }

    fn async_for(&mut self, f: &'a ast::StmtFor) -> CResult<()> {
        self.check_async(f.range, "'async for' outside async function")?;
        let start = self.new_label();
        let except = self.new_label();
        let end = self.new_label();
        self.expr(&f.iter)?;
        self.loc = f.iter.range();
        self.emit(Opcode::GetAIter, 0);
        self.bind(start);
        self.push_fblock(FBlockKind::AsyncForLoop, start, end, f.range)?;
        self.setup_finally(except);
        self.emit(Opcode::GetANext, 0);
        self.load_const(Constant::None);
        self.add_yield_from(true);
        self.pop_block();
        self.store_target(&f.target)?;
        self.stmts(&f.body)?;
        self.emit_jump(Opcode::Jump, start);
        self.pop_fblock();
        self.bind(except);
        self.loc = f.iter.range();
        self.emit(Opcode::EndAsyncFor, 0);
        self.stmts(&f.orelse)?;
        self.bind(end);
        Ok(())
    }

    fn while_stmt(&mut self, w: &'a ast::StmtWhile) -> CResult<()> {
        let lp = self.new_label();
        let anchor = self.new_label();
        let end = self.new_label();
        // A `while 0` body is compiled too, as CPython 3.11 does: for its
        // errors (`return` outside a function) and its constants and names.
        self.bind(lp);
        self.push_fblock(FBlockKind::WhileLoop, lp, end, w.range)?;
        if constant_truth(&w.test) != Some(true) {
            self.jump_if(&w.test, anchor, false)?;
        }
        self.stmts(&w.body)?;
        self.loc = w.test.range();
        self.emit_jump(Opcode::Jump, lp);
        self.pop_fblock();
        self.bind(anchor);
        self.stmts(&w.orelse)?;
        self.bind(end);
        Ok(())
    }

    fn if_stmt(&mut self, i: &'a ast::StmtIf) -> CResult<()> {
        let end = self.new_label();
        let mut next = self.new_label();
        self.jump_if(&i.test, next, false)?;
        self.stmts(&i.body)?;
        for clause in &i.elif_else_clauses {
            self.emit_noloc(Opcode::Jump, 0);
            self.u().instrs.last_mut().expect("just emitted").target = Some(end);
            self.bind(next);
            next = self.new_label();
            self.loc = clause.range;
            if let Some(t) = &clause.test {
                self.jump_if(t, next, false)?;
            }
            self.stmts(&clause.body)?;
        }
        self.bind(next);
        self.bind(end);
        Ok(())
    }

    // ---- exceptions ----

    fn try_finally(&mut self, t: &'a ast::StmtTry) -> CResult<()> {
        let end = self.new_label();
        let exit = self.new_label();
        let cleanup = self.new_label();
        let body_l = self.new_label();
        self.setup_finally(end);
        self.push_fblock(FBlockKind::FinallyTry(&t.finalbody), body_l, end, t.range)?;
        if !t.handlers.is_empty() {
            if t.is_star {
                self.try_star_except(t)?;
            } else {
                self.try_except(t)?;
            }
        } else {
            self.stmts(&t.body)?;
        }
        self.pop_block();
        self.pop_fblock();
        self.stmts(&t.finalbody)?;
        self.emit_noloc(Opcode::Jump, 0);
        self.u().instrs.last_mut().expect("just emitted").target = Some(exit);
        // exceptional path
        self.bind(end);
        self.loc = TextRange::default();
        self.setup_cleanup(cleanup);
        self.emit(Opcode::PushExcInfo, 0);
        self.push_fblock(FBlockKind::FinallyEnd, end, end, t.range)?;
        let body_start = self.u().instrs.len();
        self.stmts(&t.finalbody)?;
        self.pop_fblock();
        self.loc = TextRange::default();
        // As CPython's line propagation: the re-raise is on the finally body's
        // last line (a frame left by it shows that line in `f_lineno`).
        let last_pos = match t.finalbody.last() {
            Some(ast::Stmt::Pass(p)) => Some(self.map.position(p.range)),
            last => self.u().instrs[body_start..]
                .iter()
                .rev()
                .map(|i| i.pos)
                .find(|p| *p != Position::default())
                .or_else(|| last.map(|s| self.map.position(s.range()))),
        };
        self.emit(Opcode::Reraise, 0);
        if let Some(pos) = last_pos {
            self.u().instrs.last_mut().expect("just emitted").pos = pos;
        }
        self.bind(cleanup);
        self.pop_except_and_reraise();
        self.bind(exit);
        Ok(())
    }

    fn pop_except_and_reraise(&mut self) {
        self.emit(Opcode::Copy, 3);
        self.emit(Opcode::PopExcept, 0);
        self.emit(Opcode::Reraise, 1);
    }

    fn try_except(&mut self, t: &'a ast::StmtTry) -> CResult<()> {
        let except = self.new_label();
        let end = self.new_label();
        let cleanup = self.new_label();
        let body_l = self.new_label();
        self.setup_finally(except);
        self.push_fblock(FBlockKind::TryExcept, body_l, body_l, t.range)?;
        self.stmts(&t.body)?;
        self.pop_fblock();
        self.pop_block();
        self.stmts(&t.orelse)?;
        self.emit_noloc(Opcode::Jump, 0);
        self.u().instrs.last_mut().expect("just emitted").target = Some(end);
        self.bind(except);
        self.loc = TextRange::default();
        self.setup_cleanup(cleanup);
        self.emit(Opcode::PushExcInfo, 0);
        self.push_fblock(FBlockKind::ExceptionHandler, except, except, t.range)?;
        let n = t.handlers.len();
        for (i, h) in t.handlers.iter().enumerate() {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            self.loc = h.range;
            if h.type_.is_none() && i + 1 < n {
                return Err(self.error("default 'except:' must be last", h.range));
            }
            let next = self.new_label();
            if let Some(ty) = &h.type_ {
                self.expr(ty)?;
                self.loc = h.range;
                self.emit(Opcode::CheckExcMatch, 0);
                self.emit_jump(Opcode::PopJumpIfFalse, next);
            }
            if let Some(name) = &h.name {
                let cleanup_end = self.new_label();
                self.store_name(name.as_str())?;
                self.setup_cleanup(cleanup_end);
                self.push_fblock(FBlockKind::HandlerCleanup(Some(name.to_string())), cleanup_end, cleanup_end, h.range)?;
                self.stmts(&h.body)?;
                self.pop_fblock();
                self.loc = TextRange::default();
                self.pop_block();
                self.pop_block();
                self.emit(Opcode::PopExcept, 0);
                self.load_const(Constant::None);
                self.store_name(name.as_str())?;
                self.name_op(name.as_str(), ExprContext::Del)?;
                self.emit_jump(Opcode::Jump, end);
                self.bind(cleanup_end);
                self.load_const(Constant::None);
                self.store_name(name.as_str())?;
                self.name_op(name.as_str(), ExprContext::Del)?;
                self.emit(Opcode::Reraise, 1);
            } else {
                self.emit(Opcode::PopTop, 0);
                let l = self.new_label();
                self.push_fblock(FBlockKind::HandlerCleanup(None), l, l, h.range)?;
                self.stmts(&h.body)?;
                self.pop_fblock();
                self.loc = TextRange::default();
                self.pop_block();
                self.emit(Opcode::PopExcept, 0);
                self.emit_jump(Opcode::Jump, end);
            }
            self.bind(next);
        }
        // No handler matched: the re-raise is on the last `except` line, as
        // CPython's line propagation puts it.
        self.loc = t.handlers.last().map(|h| h.range()).unwrap_or_default();
        self.pop_fblock();
        self.emit(Opcode::Reraise, 0);
        self.loc = TextRange::default();
        self.bind(cleanup);
        self.pop_except_and_reraise();
        self.bind(end);
        Ok(())
    }

    fn try_star_except(&mut self, t: &'a ast::StmtTry) -> CResult<()> {
        let except = self.new_label();
        let end = self.new_label();
        let cleanup = self.new_label();
        let reraise_star = self.new_label();
        let body_l = self.new_label();
        self.setup_finally(except);
        self.push_fblock(FBlockKind::TryExcept, body_l, body_l, t.range)?;
        self.stmts(&t.body)?;
        self.pop_fblock();
        self.pop_block();
        self.stmts(&t.orelse)?;
        self.emit_noloc(Opcode::Jump, 0);
        self.u().instrs.last_mut().expect("just emitted").target = Some(end);
        self.bind(except);
        self.loc = TextRange::default();
        self.setup_cleanup(cleanup);
        self.emit(Opcode::PushExcInfo, 0);
        self.push_fblock(FBlockKind::ExceptionGroupHandler, except, except, t.range)?;
        let n = t.handlers.len();
        for (i, h) in t.handlers.iter().enumerate() {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            self.loc = h.range;
            let next_except = self.new_label();
            let except_with_error = self.new_label();
            let no_match = self.new_label();
            if i == 0 {
                self.emit(Opcode::Copy, 1);
                self.emit(Opcode::BuildList, 0);
                self.emit(Opcode::Swap, 2);
            }
            match &h.type_ {
                Some(ty) => {
                    self.expr(ty)?;
                    self.loc = h.range;
                    self.emit(Opcode::CheckEgMatch, 0);
                    self.emit(Opcode::Copy, 1);
                    self.emit_jump(Opcode::PopJumpIfNone, no_match);
                }
                None => return Err(self.error("expected 'except' or 'finally' block", h.range)),
            }
            let cleanup_end = self.new_label();
            match &h.name {
                Some(name) => self.store_name(name.as_str())?,
                None => self.emit(Opcode::PopTop, 0),
            }
            self.setup_cleanup(cleanup_end);
            let name = h.name.as_ref().map(|n| n.to_string());
            self.push_fblock(FBlockKind::HandlerCleanup(name.clone()), cleanup_end, cleanup_end, h.range)?;
            self.stmts(&h.body)?;
            self.pop_fblock();
            self.loc = TextRange::default();
            self.pop_block();
            if let Some(n) = &name {
                self.load_const(Constant::None);
                self.store_name(n)?;
                self.name_op(n, ExprContext::Del)?;
            }
            self.emit_jump(Opcode::Jump, next_except);
            self.bind(cleanup_end);
            if let Some(n) = &name {
                self.load_const(Constant::None);
                self.store_name(n)?;
                self.name_op(n, ExprContext::Del)?;
            }
            self.emit(Opcode::ListAppend, 3);
            self.emit(Opcode::PopTop, 0);
            self.emit_jump(Opcode::Jump, except_with_error);
            self.bind(next_except);
            self.emit(Opcode::Nop, 0);
            self.emit_jump(Opcode::Jump, except_with_error);
            self.bind(no_match);
            self.emit(Opcode::PopTop, 0);
            self.bind(except_with_error);
            if i + 1 == n {
                self.emit(Opcode::ListAppend, 1);
                self.emit_jump(Opcode::Jump, reraise_star);
            }
        }
        self.loc = TextRange::default();
        self.pop_fblock();
        let reraise = self.new_label();
        self.bind(reraise_star);
        self.emit(Opcode::PrepReraiseStar, 0);
        self.emit(Opcode::Copy, 1);
        self.emit_jump(Opcode::PopJumpIfNotNone, reraise);
        self.emit(Opcode::PopTop, 0);
        self.pop_block();
        self.emit(Opcode::PopExcept, 0);
        self.emit_jump(Opcode::Jump, end);
        self.bind(reraise);
        self.pop_block();
        self.emit(Opcode::Swap, 2);
        self.emit(Opcode::PopExcept, 0);
        self.emit(Opcode::Reraise, 0);
        self.bind(cleanup);
        self.pop_except_and_reraise();
        self.bind(end);
        Ok(())
    }

    // ---- with ----

    fn with_stmt(&mut self, w: &'a ast::StmtWith, pos: usize) -> CResult<()> {
        let Some(item) = w.items.get(pos) else {
            return self.stmts(&w.body);
        };
        let block = self.new_label();
        let final_l = self.new_label();
        let exit = self.new_label();
        let cleanup = self.new_label();
        self.expr(&item.context_expr)?;
        self.loc = item.context_expr.range();
        let is_async = w.is_async;
        if is_async {
            self.emit(Opcode::BeforeAsyncWith, 0);
            self.emit(Opcode::GetAwaitable, 1);
            self.load_const(Constant::None);
            self.add_yield_from(true);
        } else {
            self.emit(Opcode::BeforeWith, 0);
        }
        self.setup_with(final_l);
        let kind = if is_async { FBlockKind::AsyncWith(w.range) } else { FBlockKind::With(w.range) };
        self.push_fblock(kind, block, final_l, w.range)?;
        match &item.optional_vars {
            Some(v) => self.store_target(v)?,
            None => self.emit(Opcode::PopTop, 0),
        }
        self.with_stmt(w, pos + 1)?;
        self.pop_fblock();
        self.loc = w.range;
        self.pop_block();
        self.call_exit_with_nones();
        if is_async {
            self.emit(Opcode::GetAwaitable, 2);
            self.load_const(Constant::None);
            self.add_yield_from(true);
        }
        self.emit(Opcode::PopTop, 0);
        self.emit_jump(Opcode::Jump, exit);
        // exceptional path: [exit, lasti, exc]
        self.bind(final_l);
        self.loc = w.range;
        self.setup_cleanup(cleanup);
        self.emit(Opcode::PushExcInfo, 0);
        self.emit(Opcode::WithExceptStart, 0);
        if is_async {
            self.emit(Opcode::GetAwaitable, 2);
            self.load_const(Constant::None);
            self.add_yield_from(true);
        }
        let suppress = self.new_label();
        self.emit_jump(Opcode::PopJumpIfTrue, suppress);
        self.emit(Opcode::Reraise, 2);
        self.bind(cleanup);
        self.pop_except_and_reraise();
        self.bind(suppress);
        self.emit(Opcode::PopTop, 0);
        self.pop_block();
        self.emit(Opcode::PopExcept, 0);
        self.emit(Opcode::PopTop, 0);
        self.emit(Opcode::PopTop, 0);
        self.bind(exit);
        Ok(())
    }

    // ---- imports ----

    fn import_from(&mut self, i: &'a ast::StmtImportFrom) -> CResult<()> {
        let module = i.module.as_ref().map(|m| m.as_str()).unwrap_or("");
        if module == "__future__" && i.level == 0 {
            let ok = self.units.len() == 1 && self.module_body_has(i);
            if !ok {
                return Err(self.error("from __future__ imports must occur at the beginning of the file", i.range));
            }
        }
        let level = self.add_const(Constant::Int((i.level as i64).into()));
        self.emit(Opcode::LoadConst, level);
        let names: Vec<Constant> = i.names.iter().map(|a| Constant::Str(a.name.to_string())).collect();
        self.load_const(Constant::Tuple(names));
        self.emit_name(Opcode::ImportName, module);
        for alias in &i.names {
            if alias.name.as_str() == "*" {
                if self.ur().kind != ScopeKind::Module {
                    return Err(self.error("import * only allowed at module level", i.range));
                }
                self.emit(Opcode::ImportStar, 0);
                return Ok(());
            }
            self.emit_name(Opcode::ImportFrom, alias.name.as_str());
            let store = alias.asname.as_ref().unwrap_or(&alias.name);
            self.store_name(store.as_str())?;
        }
        self.emit(Opcode::PopTop, 0);
        Ok(())
    }

    fn module_body_has(&self, target: &ast::StmtImportFrom) -> bool {
        match &self.module_body {
            Some(body) => is_valid_future_position(body, target),
            None => false,
        }
    }

    // ---- assignments ----

    fn aug_assign(&mut self, a: &'a ast::StmtAugAssign) -> CResult<()> {
        let op = binop_of(a.op).inplace();
        match &*a.target {
            Expr::Name(n) => {
                self.loc = n.range;
                self.load_name(n.id.as_str())?;
                self.expr(&a.value)?;
                self.loc = a.range;
                self.emit(Opcode::BinaryOp, op as u32);
                self.loc = n.range;
                self.store_name(n.id.as_str())
            }
            Expr::Attribute(at) => {
                self.expr(&at.value)?;
                self.loc = at.range;
                self.emit(Opcode::Copy, 1);
                self.emit_name(Opcode::LoadAttr, at.attr.as_str());
                self.expr(&a.value)?;
                self.loc = a.range;
                self.emit(Opcode::BinaryOp, op as u32);
                self.loc = at.range;
                self.emit(Opcode::Swap, 2);
                self.emit_name(Opcode::StoreAttr, at.attr.as_str());
                Ok(())
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.subscript_index(&s.slice)?;
                self.loc = s.range;
                self.emit(Opcode::Copy, 2);
                self.emit(Opcode::Copy, 2);
                self.emit(Opcode::BinarySubscr, 0);
                self.expr(&a.value)?;
                self.loc = a.range;
                self.emit(Opcode::BinaryOp, op as u32);
                self.loc = s.range;
                self.emit(Opcode::Swap, 3);
                self.emit(Opcode::Swap, 2);
                self.emit(Opcode::StoreSubscr, 0);
                Ok(())
            }
            other => Err(self.error(
                format!("'{}' is an illegal expression for augmented assignment", expr_description(other)),
                other.range(),
            )),
        }
    }

    fn ann_assign(&mut self, a: &'a ast::StmtAnnAssign) -> CResult<()> {
        if let Some(v) = &a.value {
            self.expr(v)?;
            self.store_target(&a.target)?;
        }
        let kind = self.ur().kind;
        let module_or_class = matches!(kind, ScopeKind::Module | ScopeKind::Class);
        match &*a.target {
            Expr::Name(n) => {
                if a.simple && module_or_class {
                    self.annotation_value(&a.annotation)?;
                    self.loc = a.range;
                    self.load_name_raw(Opcode::LoadName, "__annotations__");
                    let mangled = crate::symtable::mangle(self.ur().private.as_deref(), n.id.as_str());
                    self.load_const(Constant::Str(mangled));
                    self.emit(Opcode::StoreSubscr, 0);
                }
            }
            Expr::Attribute(at) => {
                if a.value.is_none() {
                    self.expr(&at.value)?;
                    self.emit(Opcode::PopTop, 0);
                }
            }
            Expr::Subscript(s) => {
                if a.value.is_none() {
                    self.expr(&s.value)?;
                    self.emit(Opcode::PopTop, 0);
                    self.expr(&s.slice)?;
                    self.emit(Opcode::PopTop, 0);
                }
            }
            other => {
                return Err(self.error(
                    format!("only single target (not {}) can be annotated", target_kind(other)),
                    other.range(),
                ))
            }
        }
        if !a.simple && !self.future_annotations && module_or_class {
            self.expr(&a.annotation)?;
            self.emit(Opcode::PopTop, 0);
        }
        Ok(())
    }

    pub fn delete_target(&mut self, t: &'a Expr) -> CResult<()> {
        self.loc = t.range();
        match t {
            Expr::Name(n) => self.name_op(n.id.as_str(), ExprContext::Del),
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                self.loc = a.range;
                self.emit_name(Opcode::DeleteAttr, a.attr.as_str());
                Ok(())
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.subscript_index(&s.slice)?;
                self.loc = s.range;
                self.emit(Opcode::DeleteSubscr, 0);
                Ok(())
            }
            Expr::Tuple(tu) => {
                for e in &tu.elts {
                    self.delete_target(e)?;
                }
                Ok(())
            }
            Expr::List(l) => {
                for e in &l.elts {
                    self.delete_target(e)?;
                }
                Ok(())
            }
            other => Err(self.error(format!("cannot delete {}", expr_description(other)), other.range())),
        }
    }
}

pub(crate) fn target_kind(e: &Expr) -> &'static str {
    match e {
        Expr::Tuple(_) => "tuple",
        Expr::List(_) => "list",
        _ => "expression",
    }
}

/// CPython's `_PyPegen_get_expr_name`: how error messages name an expression.
pub(crate) fn expr_description(e: &Expr) -> &'static str {
    match e {
        Expr::Attribute(_) => "attribute",
        Expr::Subscript(_) => "subscript",
        Expr::Starred(_) => "starred",
        Expr::Name(_) => "name",
        Expr::List(_) => "list",
        Expr::Tuple(_) => "tuple",
        Expr::Lambda(_) => "lambda",
        Expr::Call(_) => "function call",
        Expr::BoolOp(_) | Expr::BinOp(_) | Expr::UnaryOp(_) => "expression",
        Expr::Generator(_) => "generator expression",
        Expr::Yield(_) | Expr::YieldFrom(_) => "yield expression",
        Expr::Await(_) => "await expression",
        Expr::ListComp(_) => "list comprehension",
        Expr::SetComp(_) => "set comprehension",
        Expr::DictComp(_) => "dict comprehension",
        Expr::Dict(_) => "dict literal",
        Expr::Set(_) => "set display",
        Expr::FString(_) => "f-string expression",
        Expr::StringLiteral(_) | Expr::BytesLiteral(_) | Expr::NumberLiteral(_) | Expr::EllipsisLiteral(_) => "literal",
        Expr::BooleanLiteral(b) => {
            if b.value {
                "True"
            } else {
                "False"
            }
        }
        Expr::NoneLiteral(_) => "None",
        Expr::Compare(_) => "comparison",
        Expr::If(_) => "conditional expression",
        Expr::Named(_) => "named expression",
        _ => "expression",
    }
}

pub(crate) fn binop_of(op: ast::Operator) -> BinOp {
    use ast::Operator as O;
    match op {
        O::Add => BinOp::Add,
        O::Sub => BinOp::Subtract,
        O::Mult => BinOp::Multiply,
        O::MatMult => BinOp::MatrixMultiply,
        O::Div => BinOp::TrueDivide,
        O::Mod => BinOp::Remainder,
        O::Pow => BinOp::Power,
        O::LShift => BinOp::Lshift,
        O::RShift => BinOp::Rshift,
        O::BitOr => BinOp::Or,
        O::BitXor => BinOp::Xor,
        O::BitAnd => BinOp::And,
        O::FloorDiv => BinOp::FloorDivide,
    }
}

/// Literal constants whose evaluation has no effect.
pub(crate) fn is_constant_expr(e: &Expr) -> bool {
    matches!(
        e,
        Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_)
    )
}

/// The truth value of a constant test (`while True:`), if known.
pub(crate) fn constant_truth(e: &Expr) -> Option<bool> {
    match e {
        Expr::BooleanLiteral(b) => Some(b.value),
        Expr::NoneLiteral(_) => Some(false),
        Expr::NumberLiteral(n) => match &n.value {
            ast::Number::Int(i) => Some(i.as_u64() != Some(0)),
            ast::Number::Float(f) => Some(*f != 0.0),
            ast::Number::Complex { real, imag } => Some(*real != 0.0 || *imag != 0.0),
        },
        Expr::StringLiteral(s) => Some(!s.value.to_str().is_empty()),
        Expr::EllipsisLiteral(_) => Some(true),
        _ => None,
    }
}

/// The source text of an annotation, for `from __future__ import annotations`
/// (CPython unparses the AST; the source text agrees for normally formatted code).
pub(crate) fn annotation_text(src: &str, e: &Expr) -> String {
    let r = e.range();
    let text = src.get(usize::from(r.start())..usize::from(r.end())).unwrap_or("");
    // Parenthesized annotations keep their inner text only; join continuation lines.
    let joined: String = text.split('\n').map(|l| l.trim()).collect::<Vec<_>>().join(" ");
    joined
}

#[allow(dead_code)]
fn scope_is(c: &Compiler, name: &str, s: SymbolScope) -> bool {
    c.st.scopes[c.ur().scope].scope_of(name) == s
}

#[allow(dead_code)]
fn unused(_: Label) {}
