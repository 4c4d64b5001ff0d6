//! Expressions, calls, assignment targets, conditional jumps, comprehensions.

use super::stmt::{binop_of, expr_description};
use super::{CResult, Compiler, FBlockKind, Label};
use crate::bytecode::{CmpOp, Opcode};
use crate::code::{flags, Constant};
use crate::symtable::ScopeKind;
use dashu_int::IBig;
use ruff_python_ast::{self as ast, Expr, ExprContext};
use ruff_text_size::{Ranged, TextRange};

/// Beyond this many items, displays are built incrementally (CPython's STACK_USE_GUIDELINE).
const STACK_USE_GUIDELINE: usize = 30;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Collection {
    List,
    Tuple,
    Set,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum CompKind {
    List,
    Set,
    Dict,
    Gen,
}

/// The constant a literal expression denotes (with `-literal` and tuples of constants folded).
pub(crate) fn constant_of(e: &Expr) -> Option<Constant> {
    Some(match e {
        Expr::NoneLiteral(_) => Constant::None,
        Expr::BooleanLiteral(b) => Constant::Bool(b.value),
        Expr::EllipsisLiteral(_) => Constant::Ellipsis,
        Expr::StringLiteral(s) => super::surrogates::string_constant(&s.value),
        Expr::BytesLiteral(b) => Constant::Bytes(b.value.bytes().collect()),
        Expr::NumberLiteral(n) => number_constant(&n.value)?,
        Expr::UnaryOp(u) if u.op == ast::UnaryOp::USub => match &*u.operand {
            Expr::NumberLiteral(n) => match number_constant(&n.value)? {
                Constant::Int(i) => Constant::Int(-i),
                Constant::Float(f) => Constant::Float(-f),
                Constant::Complex { re, im } => Constant::Complex { re: -re, im: -im },
                _ => return None,
            },
            _ => return None,
        },
        // `1+2j`, `-0-0j`: complex literals (used as match patterns and keys).
        Expr::BinOp(b) if matches!(b.op, ast::Operator::Add | ast::Operator::Sub) && matches!(&*b.right, Expr::NumberLiteral(n) if matches!(n.value, ast::Number::Complex { .. })) => {
            let left = match &*b.left {
                Expr::NumberLiteral(_) | Expr::UnaryOp(_) => constant_of(&b.left)?,
                _ => return None,
            };
            let re = match left {
                Constant::Int(i) => f64::try_from(i).ok()?,
                Constant::Float(f) => f,
                _ => return None,
            };
            let Constant::Complex { re: r2, im } = constant_of(&b.right)? else { return None };
            // Complex arithmetic on (re, +0.0): `1 - 0j` is (1+0j), as in CPython.
            if b.op == ast::Operator::Add {
                Constant::Complex { re: re + r2, im: 0.0 + im }
            } else {
                Constant::Complex { re: re - r2, im: 0.0 - im }
            }
        }
        Expr::Tuple(t) if t.ctx == ExprContext::Load => {
            Constant::Tuple(t.elts.iter().map(constant_of).collect::<Option<Vec<_>>>()?)
        }
        _ => return None,
    })
}

pub(crate) fn number_constant(n: &ast::Number) -> Option<Constant> {
    Some(match n {
        ast::Number::Int(i) => Constant::Int(int_value(i)?),
        ast::Number::Float(f) => Constant::Float(*f),
        ast::Number::Complex { real, imag } => Constant::Complex { re: *real, im: *imag },
    })
}

pub(crate) fn int_value(i: &ast::Int) -> Option<IBig> {
    if let Some(v) = i.as_u64() {
        return Some(IBig::from(v));
    }
    let text: String = i.to_string().chars().filter(|&c| c != '_').collect();
    let lower = text.to_ascii_lowercase();
    let (digits, radix) = if let Some(d) = lower.strip_prefix("0x") {
        (d.to_string(), 16)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (d.to_string(), 8)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (d.to_string(), 2)
    } else {
        (lower, 10)
    };
    IBig::from_str_radix(&digits, radix).ok()
}

impl<'a> Compiler<'a> {
    pub fn expr(&mut self, e: &'a Expr) -> CResult<()> {
        self.enter_nested(e.range())?;
        let saved = self.loc;
        self.loc = e.range();
        let r = self.expr_inner(e);
        self.loc = saved;
        self.leave_nested();
        r
    }

    fn expr_inner(&mut self, e: &'a Expr) -> CResult<()> {
        if let Some(c) = constant_of(e) {
            self.load_const(c);
            return Ok(());
        }
        match e {
            Expr::BoolOp(b) => {
                let end = self.new_label();
                let op = if b.op == ast::BoolOp::And { Opcode::JumpIfFalseOrPop } else { Opcode::JumpIfTrueOrPop };
                let n = b.values.len();
                for (i, v) in b.values.iter().enumerate() {
                    self.expr(v)?;
                    if i + 1 < n {
                        self.loc = e.range();
                        self.emit_jump(op, end);
                    }
                }
                self.bind(end);
            }
            Expr::Named(n) => {
                self.expr(&n.value)?;
                self.loc = e.range();
                self.emit(Opcode::Copy, 1);
                self.store_target(&n.target)?;
            }
            Expr::BinOp(b) => {
                self.expr(&b.left)?;
                self.expr(&b.right)?;
                self.loc = e.range();
                self.emit(Opcode::BinaryOp, binop_of(b.op) as u32);
            }
            Expr::UnaryOp(u) => {
                self.expr(&u.operand)?;
                self.loc = e.range();
                let op = match u.op {
                    ast::UnaryOp::Not => Opcode::UnaryNot,
                    ast::UnaryOp::USub => Opcode::UnaryNegative,
                    ast::UnaryOp::UAdd => Opcode::UnaryPositive,
                    ast::UnaryOp::Invert => Opcode::UnaryInvert,
                };
                self.emit(op, 0);
            }
            Expr::Lambda(l) => self.lambda(l)?,
            Expr::If(i) => {
                let next = self.new_label();
                let end = self.new_label();
                self.jump_if(&i.test, next, false)?;
                self.expr(&i.body)?;
                self.emit_jump(Opcode::Jump, end);
                self.bind(next);
                self.expr(&i.orelse)?;
                self.bind(end);
            }
            Expr::Dict(d) => self.dict_display(d)?,
            Expr::Set(s) => self.starunpack(&s.elts, Collection::Set, 0)?,
            Expr::List(l) => match l.ctx {
                ExprContext::Load => self.starunpack(&l.elts, Collection::List, 0)?,
                _ => return Err(self.error("invalid list context", l.range)),
            },
            Expr::Tuple(t) => match t.ctx {
                ExprContext::Load => self.starunpack(&t.elts, Collection::Tuple, 0)?,
                _ => return Err(self.error("invalid tuple context", t.range)),
            },
            Expr::ListComp(c) => self.comprehension(e, node_key(c), "<listcomp>", CompKind::List, &c.generators, &c.elt, None)?,
            Expr::SetComp(c) => self.comprehension(e, node_key(c), "<setcomp>", CompKind::Set, &c.generators, &c.elt, None)?,
            Expr::DictComp(c) => {
                let Some(key) = c.key.as_deref() else {
                    return Err(self.error("dict unpacking cannot be used in dict comprehension", c.range));
                };
                self.comprehension(e, node_key(c), "<dictcomp>", CompKind::Dict, &c.generators, key, Some(&c.value))?
            }
            Expr::Generator(c) => self.comprehension(e, node_key(c), "<genexpr>", CompKind::Gen, &c.generators, &c.elt, None)?,
            Expr::Await(a) => {
                let u = self.ur();
                let top_level_await = false;
                if !top_level_await {
                    if !matches!(u.kind, ScopeKind::Function | ScopeKind::Lambda | ScopeKind::Comprehension) {
                        return Err(self.error("'await' outside function", e.range()));
                    }
                    if !(u.kind == ScopeKind::Function && u.is_async_function) && u.kind != ScopeKind::Comprehension {
                        return Err(self.error("'await' outside async function", e.range()));
                    }
                }
                self.expr(&a.value)?;
                self.loc = e.range();
                self.emit(Opcode::GetAwaitable, 0);
                self.load_const(Constant::None);
                self.add_yield_from(true);
            }
            Expr::Yield(y) => {
                if !matches!(self.ur().kind, ScopeKind::Function | ScopeKind::Lambda) {
                    return Err(self.error("'yield' outside function", e.range()));
                }
                match &y.value {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(Constant::None),
                }
                self.loc = e.range();
                self.emit_yield();
            }
            Expr::YieldFrom(y) => {
                if !matches!(self.ur().kind, ScopeKind::Function | ScopeKind::Lambda) {
                    return Err(self.error("'yield' outside function", e.range()));
                }
                if self.ur().is_async_function {
                    return Err(self.error("'yield from' inside async function", e.range()));
                }
                self.expr(&y.value)?;
                self.loc = e.range();
                self.emit(Opcode::GetYieldFromIter, 0);
                self.load_const(Constant::None);
                self.add_yield_from(false);
            }
            Expr::Compare(c) => self.compare(c)?,
            Expr::Call(c) => self.call(c)?,
            Expr::FString(f) => self.fstring(f)?,
            Expr::TString(t) => return Err(self.error("invalid syntax", t.range)),
            Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_) => {
                // Only reached when the constant could not be converted.
                return Err(self.error("invalid literal", e.range()));
            }
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                self.loc = attr_range(a);
                self.emit_name(Opcode::LoadAttr, a.attr.as_str());
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.subscript_index(&s.slice)?;
                self.loc = e.range();
                self.emit(Opcode::BinarySubscr, 0);
            }
            Expr::Starred(s) => return Err(self.error("can't use starred expression here", s.range)),
            Expr::Name(n) => {
                if n.id.as_str() == "__debug__" {
                    self.load_const(Constant::Bool(true));
                } else {
                    self.load_name(n.id.as_str())?;
                }
            }
            Expr::Slice(s) => self.slice(s)?,
            Expr::IpyEscapeCommand(i) => return Err(self.error("invalid syntax", i.range)),
        }
        Ok(())
    }

    /// `yield`: value -> sent value.
    pub fn emit_yield(&mut self) {
        if self.ur().flags & flags::ASYNC_GENERATOR != 0 {
            self.emit(Opcode::AsyncGenWrap, 0);
        }
        self.emit(Opcode::YieldValue, 0);
        self.emit(Opcode::Resume, 1);
    }

    /// The delegation loop of `yield from`/`await`: `iter value -> result`.
    pub fn add_yield_from(&mut self, is_await: bool) {
        let start = self.new_label();
        let exit = self.new_label();
        self.bind(start);
        self.emit_jump(Opcode::Send, exit);
        self.emit(Opcode::YieldValue, 0);
        self.emit(Opcode::Resume, if is_await { 3 } else { 2 });
        self.emit_jump(Opcode::Jump, start);
        self.bind(exit);
    }

    pub fn subscript_index(&mut self, e: &'a Expr) -> CResult<()> {
        match e {
            Expr::Slice(s) => self.slice(s),
            _ => self.expr(e),
        }
    }

    fn slice(&mut self, s: &'a ast::ExprSlice) -> CResult<()> {
        let mut n = 2;
        match &s.lower {
            Some(x) => self.expr(x)?,
            None => self.load_const(Constant::None),
        }
        match &s.upper {
            Some(x) => self.expr(x)?,
            None => self.load_const(Constant::None),
        }
        if let Some(x) = &s.step {
            self.expr(x)?;
            n = 3;
        }
        self.loc = s.range;
        self.emit(Opcode::BuildSlice, n);
        Ok(())
    }

    fn lambda(&mut self, l: &'a ast::ExprLambda) -> CResult<()> {
        let fl = match &l.parameters {
            Some(p) => self.default_arguments(p)?,
            None => 0,
        };
        let Some(scope) = self.st.scope_for(l) else {
            return Err(self.error("internal compiler error: no scope for lambda", l.range));
        };
        let qualname = self.qualname_for("<lambda>", scope);
        let line = self.map.line_col(l.range.start()).0;
        self.enter_unit(scope, "<lambda>", qualname, line);
        if let Some(p) = &l.parameters {
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
        self.add_const(Constant::None);
        self.expr(&l.body)?;
        self.loc = l.body.range();
        // A generator lambda returns its body's value too (CPython 3.11.7).
        self.emit(Opcode::ReturnValue, 0);
        let code = self.leave_unit()?;
        self.loc = l.range;
        self.make_closure(code, fl)
    }

    fn dict_display(&mut self, d: &'a ast::ExprDict) -> CResult<()> {
        let mut have_dict = false;
        let mut pending = 0u32;
        let all_plain = d.items.iter().all(|i| i.key.is_some());
        // {"a": x, "b": y}: constant string keys -> BuildConstKeyMap.
        if all_plain && d.items.len() > 1 && d.items.len() <= STACK_USE_GUIDELINE {
            let keys: Option<Vec<Constant>> = d.items.iter().map(|i| i.key.as_ref().and_then(constant_of)).collect();
            if let Some(keys) = keys {
                if keys.iter().all(|k| matches!(k, Constant::Str(_))) {
                    let mut distinct = keys.clone();
                    distinct.dedup();
                    let unique = {
                        let mut seen: Vec<&Constant> = Vec::new();
                        keys.iter().all(|k| {
                            if seen.contains(&k) {
                                false
                            } else {
                                seen.push(k);
                                true
                            }
                        })
                    };
                    if unique {
                        for item in &d.items {
                            self.expr(&item.value)?;
                        }
                        self.load_const(Constant::Tuple(keys));
                        self.loc = d.range;
                        self.emit(Opcode::BuildConstKeyMap, d.items.len() as u32);
                        return Ok(());
                    }
                }
            }
        }
        for item in &d.items {
            match &item.key {
                Some(k) => {
                    self.expr(k)?;
                    self.expr(&item.value)?;
                    pending += 1;
                    if pending as usize >= STACK_USE_GUIDELINE / 2 {
                        self.loc = d.range;
                        self.emit(Opcode::BuildMap, pending);
                        if have_dict {
                            self.emit(Opcode::DictUpdate, 1);
                        }
                        have_dict = true;
                        pending = 0;
                    }
                }
                None => {
                    self.loc = d.range;
                    if pending > 0 {
                        self.emit(Opcode::BuildMap, pending);
                        if have_dict {
                            self.emit(Opcode::DictUpdate, 1);
                        }
                        have_dict = true;
                        pending = 0;
                    }
                    if !have_dict {
                        self.emit(Opcode::BuildMap, 0);
                        have_dict = true;
                    }
                    self.expr(&item.value)?;
                    self.loc = d.range;
                    self.emit(Opcode::DictUpdate, 1);
                }
            }
        }
        self.loc = d.range;
        if pending > 0 || !have_dict {
            self.emit(Opcode::BuildMap, pending);
            if have_dict {
                self.emit(Opcode::DictUpdate, 1);
            }
        }
        Ok(())
    }

    /// Lists, tuples and sets, with `*x` items (CPython's starunpack_helper).
    fn starunpack(&mut self, elts: &'a [Expr], kind: Collection, pushed: u32) -> CResult<()> {
        let range = self.loc;
        let has_star = elts.iter().any(|e| matches!(e, Expr::Starred(_)));
        let (build, append, extend) = match kind {
            Collection::Set => (Opcode::BuildSet, Opcode::SetAdd, Opcode::SetUpdate),
            _ => (Opcode::BuildList, Opcode::ListAppend, Opcode::ListExtend),
        };
        if !has_star && elts.len() + (pushed as usize) <= STACK_USE_GUIDELINE {
            for e in elts {
                self.expr(e)?;
            }
            self.loc = range;
            let n = elts.len() as u32 + pushed;
            match kind {
                Collection::Tuple => self.emit(Opcode::BuildTuple, n),
                Collection::List => self.emit(Opcode::BuildList, n),
                Collection::Set => self.emit(Opcode::BuildSet, n),
            }
            return Ok(());
        }
        let mut built = false;
        if !has_star {
            self.emit(build, pushed);
            built = true;
        }
        for (i, e) in elts.iter().enumerate() {
            if let Expr::Starred(s) = e {
                if !built {
                    self.loc = range;
                    self.emit(build, i as u32 + pushed);
                    built = true;
                }
                self.expr(&s.value)?;
                self.loc = range;
                self.emit(extend, 1);
            } else {
                self.expr(e)?;
                if built {
                    self.loc = range;
                    self.emit(append, 1);
                }
            }
        }
        if !built {
            self.emit(build, elts.len() as u32 + pushed);
        }
        self.loc = range;
        if kind == Collection::Tuple {
            self.emit(Opcode::ListToTuple, 0);
        }
        Ok(())
    }

    fn compare(&mut self, c: &'a ast::ExprCompare) -> CResult<()> {
        self.expr(&c.left)?;
        let n = c.ops.len();
        if n == 1 {
            self.expr(&c.comparators[0])?;
            self.loc = c.range;
            self.compare_op(c.ops[0]);
            return Ok(());
        }
        let cleanup = self.new_label();
        let end = self.new_label();
        for i in 0..n - 1 {
            self.expr(&c.comparators[i])?;
            self.loc = c.range;
            self.emit(Opcode::Swap, 2);
            self.emit(Opcode::Copy, 2);
            self.compare_op(c.ops[i]);
            self.emit_jump(Opcode::JumpIfFalseOrPop, cleanup);
        }
        self.expr(&c.comparators[n - 1])?;
        self.loc = c.range;
        self.compare_op(c.ops[n - 1]);
        self.emit_jump(Opcode::Jump, end);
        self.bind(cleanup);
        self.emit(Opcode::Swap, 2);
        self.emit(Opcode::PopTop, 0);
        self.bind(end);
        Ok(())
    }

    fn compare_op(&mut self, op: ast::CmpOp) {
        use ast::CmpOp as C;
        match op {
            C::Eq => self.emit(Opcode::CompareOp, CmpOp::Eq as u32),
            C::NotEq => self.emit(Opcode::CompareOp, CmpOp::Ne as u32),
            C::Lt => self.emit(Opcode::CompareOp, CmpOp::Lt as u32),
            C::LtE => self.emit(Opcode::CompareOp, CmpOp::Le as u32),
            C::Gt => self.emit(Opcode::CompareOp, CmpOp::Gt as u32),
            C::GtE => self.emit(Opcode::CompareOp, CmpOp::Ge as u32),
            C::Is => self.emit(Opcode::IsOp, 0),
            C::IsNot => self.emit(Opcode::IsOp, 1),
            C::In => self.emit(Opcode::ContainsOp, 0),
            C::NotIn => self.emit(Opcode::ContainsOp, 1),
        }
    }

    /// Jumps to `target` when `e`'s truth equals `cond` (CPython's compiler_jump_if).
    pub fn jump_if(&mut self, e: &'a Expr, target: Label, cond: bool) -> CResult<()> {
        self.enter_nested(e.range())?;
        let r = self.jump_if_inner(e, target, cond);
        self.leave_nested();
        r
    }

    fn jump_if_inner(&mut self, e: &'a Expr, target: Label, cond: bool) -> CResult<()> {
        match e {
            Expr::UnaryOp(u) if u.op == ast::UnaryOp::Not => return self.jump_if(&u.operand, target, !cond),
            Expr::BoolOp(b) => {
                let cond2 = b.op == ast::BoolOp::Or;
                let next2 = if cond != cond2 { self.new_label() } else { target };
                let n = b.values.len();
                for v in &b.values[..n - 1] {
                    self.jump_if(v, next2, cond2)?;
                }
                self.jump_if(&b.values[n - 1], target, cond)?;
                if next2 != target {
                    self.bind(next2);
                }
                return Ok(());
            }
            Expr::Compare(c) if c.ops.len() > 1 => {
                self.expr(&c.left)?;
                let n = c.ops.len();
                let cleanup = self.new_label();
                for i in 0..n - 1 {
                    self.expr(&c.comparators[i])?;
                    self.loc = c.range;
                    self.emit(Opcode::Swap, 2);
                    self.emit(Opcode::Copy, 2);
                    self.compare_op(c.ops[i]);
                    self.emit_jump(Opcode::PopJumpIfFalse, cleanup);
                }
                self.expr(&c.comparators[n - 1])?;
                self.loc = c.range;
                self.compare_op(c.ops[n - 1]);
                self.emit_jump(if cond { Opcode::PopJumpIfTrue } else { Opcode::PopJumpIfFalse }, target);
                let end = self.new_label();
                self.emit_jump(Opcode::Jump, end);
                self.bind(cleanup);
                self.emit(Opcode::PopTop, 0);
                if !cond {
                    self.emit_jump(Opcode::Jump, target);
                }
                self.bind(end);
                return Ok(());
            }
            _ => {}
        }
        self.expr(e)?;
        self.loc = e.range();
        self.emit_jump(if cond { Opcode::PopJumpIfTrue } else { Opcode::PopJumpIfFalse }, target);
        Ok(())
    }

    // ---- calls ----

    fn call(&mut self, c: &'a ast::ExprCall) -> CResult<()> {
        self.validate_keywords(&c.arguments.keywords)?;
        let plain_args = !c.arguments.args.iter().any(|a| matches!(a, Expr::Starred(_)))
            && !c.arguments.keywords.iter().any(|k| k.arg.is_none());
        match &*c.func {
            Expr::Attribute(a)
                if plain_args && a.ctx == ExprContext::Load && c.arguments.args.len() + c.arguments.keywords.len() < STACK_USE_GUIDELINE =>
            {
                self.expr(&a.value)?;
                self.loc = attr_range(a);
                self.emit_name(Opcode::LoadMethod, a.attr.as_str());
                for arg in c.arguments.args.iter() {
                    self.expr(arg)?;
                }
                self.finish_call(c.arguments.args.len() as u32, &c.arguments.keywords, c.range())?;
                return Ok(());
            }
            Expr::Name(n) if n.id.as_str() != "__debug__" && self.is_global_load(n.id.as_str()) => {
                self.loc = n.range;
                let mangled = crate::symtable::mangle(self.ur().private.as_deref(), n.id.as_str());
                let i = self.add_name(&mangled);
                self.emit(Opcode::LoadGlobal, (i << 1) | 1);
            }
            f => {
                self.expr(f)?;
                self.loc = f.range();
                self.emit(Opcode::PushNull, 0);
            }
        }
        self.call_helper(0, &c.arguments.args, &c.arguments.keywords, c.range())
    }

    fn validate_keywords(&self, keywords: &[ast::Keyword]) -> CResult<()> {
        for (i, k) in keywords.iter().enumerate() {
            let Some(name) = &k.arg else { continue };
            for later in &keywords[i + 1..] {
                if let Some(other) = &later.arg {
                    if other.as_str() == name.as_str() {
                        return Err(self.error(format!("keyword argument repeated: {}", name.as_str()), later.range));
                    }
                }
            }
        }
        Ok(())
    }

    /// Keyword values, KwNames and Call, after `nargs` positional arguments.
    fn finish_call(&mut self, nargs: u32, keywords: &'a [ast::Keyword], range: TextRange) -> CResult<()> {
        let mut names = Vec::new();
        for k in keywords {
            self.expr(&k.value)?;
            if let Some(a) = &k.arg {
                names.push(Constant::Str(a.to_string()));
            }
        }
        self.loc = range;
        if !names.is_empty() {
            let i = self.add_const(Constant::Tuple(names));
            self.emit(Opcode::KwNames, i);
        }
        self.emit(Opcode::Call, nargs + keywords.len() as u32);
        Ok(())
    }

    /// Arguments and the call itself; `pushed` positional arguments are already on the stack.
    pub fn call_helper(&mut self, pushed: u32, args: &'a [Expr], keywords: &'a [ast::Keyword], range: TextRange) -> CResult<()> {
        self.validate_keywords(keywords)?;
        let ex = args.iter().any(|a| matches!(a, Expr::Starred(_)))
            || keywords.iter().any(|k| k.arg.is_none())
            || args.len() + keywords.len() + pushed as usize > STACK_USE_GUIDELINE * 8;
        if !ex {
            for a in args {
                self.expr(a)?;
            }
            return self.finish_call(pushed + args.len() as u32, keywords, range);
        }
        self.loc = range;
        match args {
            // A lone `*x` goes to CallFunctionEx as is (as CPython), which
            // words a non-iterable's error with the function's name.
            [Expr::Starred(s)] if pushed == 0 => {
                self.expr(&s.value)?;
            }
            _ => self.starunpack(args, Collection::Tuple, pushed)?,
        }
        let mut have_dict = false;
        let mut nseen = 0usize;
        for (i, k) in keywords.iter().enumerate() {
            if k.arg.is_none() {
                if nseen > 0 {
                    self.subkwargs(&keywords[i - nseen..i])?;
                    if have_dict {
                        self.emit(Opcode::DictMerge, 1);
                    }
                    have_dict = true;
                    nseen = 0;
                }
                if !have_dict {
                    self.loc = range;
                    self.emit(Opcode::BuildMap, 0);
                    have_dict = true;
                }
                self.expr(&k.value)?;
                self.loc = range;
                self.emit(Opcode::DictMerge, 1);
            } else {
                nseen += 1;
            }
        }
        if nseen > 0 {
            self.subkwargs(&keywords[keywords.len() - nseen..])?;
            if have_dict {
                self.emit(Opcode::DictMerge, 1);
            }
            have_dict = true;
        }
        self.loc = range;
        self.emit(Opcode::CallFunctionEx, have_dict as u32);
        Ok(())
    }

    fn subkwargs(&mut self, kws: &'a [ast::Keyword]) -> CResult<()> {
        for k in kws {
            let name = k.arg.as_ref().map(|a| a.to_string()).unwrap_or_default();
            self.load_const(Constant::Str(name));
            self.expr(&k.value)?;
        }
        self.emit(Opcode::BuildMap, kws.len() as u32);
        Ok(())
    }

    // ---- f-strings ----

    fn fstring(&mut self, f: &'a ast::ExprFString) -> CResult<()> {
        // Pieces: literal text is merged; each interpolation is one stack item.
        let mut count = 0u32;
        let mut lit = String::new();
        let mut any_lit = false;
        for part in f.value.iter() {
            match part {
                ast::FStringPart::Literal(s) => {
                    lit.push_str(&s.value);
                    any_lit = true;
                }
                ast::FStringPart::FString(fs) => {
                    self.fstring_elements(&fs.elements, &mut lit, &mut any_lit, &mut count)?;
                }
            }
        }
        if !lit.is_empty() || count == 0 {
            self.load_const(Constant::Str(std::mem::take(&mut lit)));
            count += 1;
        }
        let _ = any_lit;
        self.loc = f.range;
        if count > 1 {
            self.emit(Opcode::BuildString, count);
        }
        Ok(())
    }

    fn fstring_elements(
        &mut self,
        elements: &'a ast::InterpolatedStringElements,
        lit: &mut String,
        any_lit: &mut bool,
        count: &mut u32,
    ) -> CResult<()> {
        for el in elements.iter() {
            match el {
                ast::InterpolatedStringElement::Literal(l) => {
                    lit.push_str(&l.value);
                    *any_lit = true;
                }
                ast::InterpolatedStringElement::Interpolation(i) => {
                    let mut conversion = match i.conversion {
                        ast::ConversionFlag::None => 0,
                        ast::ConversionFlag::Str => 1,
                        ast::ConversionFlag::Repr => 2,
                        ast::ConversionFlag::Ascii => 3,
                    };
                    if let Some(debug) = &i.debug_text {
                        lit.push_str(debug.leading());
                        let start = usize::from(i.expression.range().start());
                        let end = usize::from(i.expression.range().end());
                        lit.push_str(self.map.src.get(start..end).unwrap_or(""));
                        lit.push_str(debug.trailing());
                        if conversion == 0 && i.format_spec.is_none() {
                            conversion = 2;
                        }
                    }
                    if !lit.is_empty() {
                        self.load_const(Constant::Str(std::mem::take(lit)));
                        *count += 1;
                    }
                    self.expr(&i.expression)?;
                    let mut fl = conversion;
                    if let Some(spec) = &i.format_spec {
                        let mut spec_lit = String::new();
                        let mut spec_any = false;
                        let mut spec_count = 0u32;
                        self.fstring_elements(&spec.elements, &mut spec_lit, &mut spec_any, &mut spec_count)?;
                        if !spec_lit.is_empty() || spec_count == 0 {
                            self.load_const(Constant::Str(spec_lit));
                            spec_count += 1;
                        }
                        if spec_count > 1 {
                            self.emit(Opcode::BuildString, spec_count);
                        }
                        fl |= 4;
                    }
                    self.loc = i.range;
                    self.emit(Opcode::FormatValue, fl);
                    *count += 1;
                }
            }
        }
        Ok(())
    }

    // ---- assignment targets ----

    pub fn store_target(&mut self, t: &'a Expr) -> CResult<()> {
        self.enter_nested(t.range())?;
        let saved = self.loc;
        self.loc = t.range();
        let r = self.store_target_inner(t);
        self.loc = saved;
        self.leave_nested();
        r
    }

    fn store_target_inner(&mut self, t: &'a Expr) -> CResult<()> {
        match t {
            Expr::Name(n) => self.store_name(n.id.as_str()),
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                self.loc = attr_range(a);
                self.emit_name(Opcode::StoreAttr, a.attr.as_str());
                Ok(())
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.subscript_index(&s.slice)?;
                self.loc = s.range;
                self.emit(Opcode::StoreSubscr, 0);
                Ok(())
            }
            Expr::Tuple(tu) => self.unpack_into(&tu.elts, tu.range),
            Expr::List(l) => self.unpack_into(&l.elts, l.range),
            Expr::Starred(s) => Err(self.error("starred assignment target must be in a list or tuple", s.range)),
            other => {
                let what = expr_description(other);
                Err(self.error(format!("cannot assign to {what}"), other.range()))
            }
        }
    }

    fn unpack_into(&mut self, elts: &'a [Expr], range: TextRange) -> CResult<()> {
        let mut star: Option<usize> = None;
        for (i, e) in elts.iter().enumerate() {
            if matches!(e, Expr::Starred(_)) {
                if star.is_some() {
                    return Err(self.error("multiple starred expressions in assignment", range));
                }
                star = Some(i);
            }
        }
        self.loc = range;
        match star {
            Some(i) => {
                let after = elts.len() - i - 1;
                if i >= 256 || after >= (1 << 16) {
                    return Err(self.error("too many expressions in star-unpacking assignment", range));
                }
                self.emit(Opcode::UnpackEx, (i as u32) | ((after as u32) << 8));
            }
            None => self.emit(Opcode::UnpackSequence, elts.len() as u32),
        }
        for e in elts {
            match e {
                Expr::Starred(s) => self.store_target(&s.value)?,
                _ => self.store_target(e)?,
            }
        }
        Ok(())
    }

    // ---- comprehensions ----

    #[allow(clippy::too_many_arguments)]
    fn comprehension(
        &mut self,
        whole: &'a Expr,
        key: usize,
        name: &str,
        kind: CompKind,
        generators: &'a [ast::Comprehension],
        elt: &'a Expr,
        value: Option<&'a Expr>,
    ) -> CResult<()> {
        let Some(scope) = self.st.scope_by_key(key) else {
            return Err(self.error("internal compiler error: no scope for comprehension", whole.range()));
        };
        let Some(outermost) = generators.first() else {
            return Err(self.error("invalid syntax", whole.range()));
        };
        let is_async = self.st.scopes[scope].is_async_comprehension;
        let outer = self.ur();
        let outer_ok = (outer.kind == ScopeKind::Function && outer.is_async_function) || outer.kind == ScopeKind::Comprehension;
        if is_async && kind != CompKind::Gen && !outer_ok {
            return Err(self.error("asynchronous comprehension outside of an asynchronous function", whole.range()));
        }
        let qualname = self.qualname_for(name, scope);
        let line = self.map.line_col(whole.range().start()).0;
        self.enter_unit(scope, name, qualname, line);
        self.loc = whole.range();
        self.u().argcount = 1;
        match kind {
            CompKind::List => self.emit(Opcode::BuildList, 0),
            CompKind::Set => self.emit(Opcode::BuildSet, 0),
            CompKind::Dict => self.emit(Opcode::BuildMap, 0),
            CompKind::Gen => {}
        }
        self.comprehension_generator(generators, 0, 0, elt, value, kind, whole.range())?;
        self.loc = whole.range();
        if kind == CompKind::Gen {
            self.load_const(Constant::None);
        }
        self.emit(Opcode::ReturnValue, 0);
        let code = self.leave_unit()?;
        self.loc = whole.range();
        self.make_closure(code, 0)?;
        self.emit(Opcode::PushNull, 0);
        self.expr(&outermost.iter)?;
        self.loc = whole.range();
        if outermost.is_async {
            self.emit(Opcode::GetAIter, 0);
        } else {
            self.emit(Opcode::GetIter, 0);
        }
        self.emit(Opcode::Call, 1);
        if is_async && kind != CompKind::Gen {
            self.emit(Opcode::GetAwaitable, 0);
            self.load_const(Constant::None);
            self.add_yield_from(true);
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn comprehension_generator(
        &mut self,
        generators: &'a [ast::Comprehension],
        index: usize,
        depth: u32,
        elt: &'a Expr,
        value: Option<&'a Expr>,
        kind: CompKind,
        range: TextRange,
    ) -> CResult<()> {
        let gen = &generators[index];
        let start = self.new_label();
        let if_cleanup = self.new_label();
        let anchor = self.new_label();
        let depth = depth + 1;
        if index == 0 {
            self.loc = gen.iter.range();
            self.emit(Opcode::LoadFast, 0);
        } else {
            self.expr(&gen.iter)?;
            self.loc = gen.iter.range();
            self.emit(if gen.is_async { Opcode::GetAIter } else { Opcode::GetIter }, 0);
        }
        self.bind(start);
        if gen.is_async {
            self.push_fblock(FBlockKind::AsyncComprehensionGenerator, start, anchor, range)?;
            self.setup_finally(anchor);
            self.emit(Opcode::GetANext, 0);
            self.load_const(Constant::None);
            self.add_yield_from(true);
            self.pop_block();
        } else {
            self.emit_jump(Opcode::ForIter, anchor);
        }
        self.store_target(&gen.target)?;
        for cond in &gen.ifs {
            self.jump_if(cond, if_cleanup, false)?;
        }
        if index + 1 < generators.len() {
            self.comprehension_generator(generators, index + 1, depth, elt, value, kind, range)?;
        } else {
            match kind {
                CompKind::Gen => {
                    self.expr(elt)?;
                    self.loc = elt.range();
                    self.emit_yield();
                    self.emit(Opcode::PopTop, 0);
                }
                CompKind::List => {
                    self.expr(elt)?;
                    self.loc = elt.range();
                    self.emit(Opcode::ListAppend, depth + 1);
                }
                CompKind::Set => {
                    self.expr(elt)?;
                    self.loc = elt.range();
                    self.emit(Opcode::SetAdd, depth + 1);
                }
                CompKind::Dict => {
                    self.expr(elt)?;
                    if let Some(v) = value {
                        self.expr(v)?;
                    }
                    self.loc = elt.range();
                    self.emit(Opcode::MapAdd, depth + 1);
                }
            }
        }
        self.bind(if_cleanup);
        self.loc = gen.iter.range();
        self.emit_jump(Opcode::Jump, start);
        if gen.is_async {
            self.pop_fblock();
            self.bind(anchor);
            self.emit(Opcode::EndAsyncFor, 0);
        } else {
            self.bind(anchor);
        }
        Ok(())
    }
}

/// The range CPython attributes attribute loads to (the whole `a.b` expression).
fn attr_range(a: &ast::ExprAttribute) -> TextRange {
    a.range
}

pub(crate) fn node_key<T>(n: &T) -> usize {
    crate::symtable::node_key(n)
}
