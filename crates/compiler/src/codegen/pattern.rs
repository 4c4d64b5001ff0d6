//! `match` statements, following CPython 3.11's compile.c (compiler_match and
//! the compiler_pattern_* helpers): each pattern consumes the subject on top of
//! the stack and leaves its captures below; failures jump to a chain of
//! `fail_pop` labels that pop whatever the pattern had pushed so far.

use super::expr::constant_of;
use super::{CResult, Compiler, Label};
use crate::bytecode::{BinOp, CmpOp, Opcode};
use crate::code::Constant;
use ruff_python_ast::{self as ast, Expr, Pattern};
use ruff_text_size::Ranged;

struct PatternContext {
    /// Names captured so far, in stack order.
    stores: Vec<String>,
    allow_irrefutable: bool,
    /// `fail_pop[n]` pops n items and then falls into `fail_pop[n - 1]`.
    fail_pop: Vec<Label>,
    /// Items on top of the stack that must stay there (above the captures).
    on_top: u32,
}

fn is_wildcard(p: &Pattern) -> bool {
    matches!(p, Pattern::MatchAs(a) if a.pattern.is_none() && a.name.is_none())
}

fn is_star_wildcard(p: &Pattern) -> bool {
    matches!(p, Pattern::MatchStar(s) if s.name.is_none())
}

impl<'a> Compiler<'a> {
    pub fn match_stmt(&mut self, m: &'a ast::StmtMatch) -> CResult<()> {
        self.expr(&m.subject)?;
        let end = self.new_label();
        let cases = m.cases.len();
        let has_default = cases > 1 && m.cases.last().map(|c| is_wildcard(&c.pattern)).unwrap_or(false);
        let n = cases - has_default as usize;
        for (i, case) in m.cases[..n].iter().enumerate() {
            self.loc = case.pattern.range();
            if i + 1 != n {
                self.emit(Opcode::Copy, 1);
            }
            let mut pc = PatternContext {
                stores: Vec::new(),
                allow_irrefutable: case.guard.is_some() || i + 1 == cases,
                fail_pop: Vec::new(),
                on_top: 0,
            };
            self.pattern(&case.pattern, &mut pc)?;
            for name in pc.stores.clone() {
                self.store_name(&name)?;
            }
            if let Some(g) = &case.guard {
                self.ensure_fail_pop(&mut pc, 0);
                let target = pc.fail_pop[0];
                self.jump_if(g, target, false)?;
            }
            if i + 1 != n {
                self.emit(Opcode::PopTop, 0);
            }
            self.stmts(&case.body)?;
            self.emit_jump(Opcode::Jump, end);
            self.loc = case.pattern.range();
            self.emit_and_reset_fail_pop(&mut pc);
        }
        if has_default {
            let case = &m.cases[cases - 1];
            self.loc = case.pattern.range();
            if cases == 1 {
                self.emit(Opcode::PopTop, 0);
            } else {
                self.emit(Opcode::Nop, 0);
            }
            if let Some(g) = &case.guard {
                self.jump_if(g, end, false)?;
            }
            self.stmts(&case.body)?;
        }
        self.bind(end);
        Ok(())
    }

    fn ensure_fail_pop(&mut self, pc: &mut PatternContext, n: usize) {
        while pc.fail_pop.len() <= n {
            let l = self.new_label();
            pc.fail_pop.push(l);
        }
    }

    fn jump_to_fail_pop(&mut self, pc: &mut PatternContext, op: Opcode) {
        let pops = pc.on_top as usize + pc.stores.len();
        self.ensure_fail_pop(pc, pops);
        let target = pc.fail_pop[pops];
        self.emit_jump(op, target);
    }

    fn emit_and_reset_fail_pop(&mut self, pc: &mut PatternContext) {
        if pc.fail_pop.is_empty() {
            return;
        }
        for i in (1..pc.fail_pop.len()).rev() {
            self.bind(pc.fail_pop[i]);
            self.emit(Opcode::PopTop, 0);
        }
        self.bind(pc.fail_pop[0]);
        pc.fail_pop.clear();
    }

    fn rotate(&mut self, count: u32) {
        let mut count = count;
        while count > 1 {
            self.emit(Opcode::Swap, count);
            count -= 1;
        }
    }

    fn pattern_store_name(&mut self, name: Option<&ast::Identifier>, pc: &mut PatternContext, range: ruff_text_size::TextRange) -> CResult<()> {
        let Some(n) = name else {
            self.emit(Opcode::PopTop, 0);
            return Ok(());
        };
        let n = n.as_str();
        if n == "__debug__" {
            return Err(self.error("cannot assign to __debug__", range));
        }
        if pc.stores.iter().any(|s| s == n) {
            return Err(self.error(format!("multiple assignments to name '{n}' in pattern"), range));
        }
        let rotations = pc.on_top + pc.stores.len() as u32 + 1;
        self.rotate(rotations);
        pc.stores.push(n.to_string());
        Ok(())
    }

    fn subpattern(&mut self, p: &'a Pattern, pc: &mut PatternContext) -> CResult<()> {
        let allow = pc.allow_irrefutable;
        pc.allow_irrefutable = true;
        let r = self.pattern(p, pc);
        pc.allow_irrefutable = allow;
        r
    }

    fn pattern(&mut self, p: &'a Pattern, pc: &mut PatternContext) -> CResult<()> {
        self.enter_nested(p.range())?;
        let saved = self.loc;
        self.loc = p.range();
        let r = self.pattern_inner(p, pc);
        self.loc = saved;
        self.leave_nested();
        r
    }

    fn pattern_inner(&mut self, p: &'a Pattern, pc: &mut PatternContext) -> CResult<()> {
        match p {
            Pattern::MatchValue(v) => {
                self.expr(&v.value)?;
                self.loc = p.range();
                self.emit(Opcode::CompareOp, CmpOp::Eq as u32);
                self.jump_to_fail_pop(pc, Opcode::PopJumpIfFalse);
            }
            Pattern::MatchSingleton(s) => {
                let c = match s.value {
                    ast::Singleton::None => Constant::None,
                    ast::Singleton::True => Constant::Bool(true),
                    ast::Singleton::False => Constant::Bool(false),
                };
                self.load_const(c);
                self.emit(Opcode::IsOp, 0);
                self.jump_to_fail_pop(pc, Opcode::PopJumpIfFalse);
            }
            Pattern::MatchAs(a) => match &a.pattern {
                None => {
                    if !pc.allow_irrefutable {
                        return Err(match &a.name {
                            Some(n) => self.error(format!("name capture '{}' makes remaining patterns unreachable", n.as_str()), p.range()),
                            None => self.error("wildcard makes remaining patterns unreachable", p.range()),
                        });
                    }
                    self.pattern_store_name(a.name.as_ref(), pc, p.range())?;
                }
                Some(inner) => {
                    pc.on_top += 1;
                    self.emit(Opcode::Copy, 1);
                    self.pattern(inner, pc)?;
                    pc.on_top -= 1;
                    self.loc = p.range();
                    self.pattern_store_name(a.name.as_ref(), pc, p.range())?;
                }
            },
            Pattern::MatchStar(s) => {
                self.pattern_store_name(s.name.as_ref(), pc, p.range())?;
            }
            Pattern::MatchSequence(s) => self.pattern_sequence(&s.patterns, pc, p)?,
            Pattern::MatchMapping(m) => self.pattern_mapping(m, pc)?,
            Pattern::MatchClass(c) => self.pattern_class(c, pc)?,
            Pattern::MatchOr(o) => self.pattern_or(o, pc)?,
        }
        Ok(())
    }

    fn pattern_sequence(&mut self, patterns: &'a [Pattern], pc: &mut PatternContext, whole: &Pattern) -> CResult<()> {
        let size = patterns.len();
        let mut star: Option<usize> = None;
        let mut only_wildcard = true;
        let mut star_wildcard = false;
        for (i, q) in patterns.iter().enumerate() {
            if matches!(q, Pattern::MatchStar(_)) {
                if star.is_some() {
                    return Err(self.error("multiple starred names in sequence pattern", whole.range()));
                }
                star_wildcard = is_star_wildcard(q);
                only_wildcard &= star_wildcard;
                star = Some(i);
                continue;
            }
            only_wildcard &= is_wildcard(q);
        }
        pc.on_top += 1;
        self.emit(Opcode::MatchSequence, 0);
        self.jump_to_fail_pop(pc, Opcode::PopJumpIfFalse);
        match star {
            None => {
                self.emit(Opcode::GetLen, 0);
                self.load_const(Constant::Int((size as i64).into()));
                self.emit(Opcode::CompareOp, CmpOp::Eq as u32);
                self.jump_to_fail_pop(pc, Opcode::PopJumpIfFalse);
            }
            Some(_) if size > 1 => {
                self.emit(Opcode::GetLen, 0);
                self.load_const(Constant::Int(((size - 1) as i64).into()));
                self.emit(Opcode::CompareOp, CmpOp::Ge as u32);
                self.jump_to_fail_pop(pc, Opcode::PopJumpIfFalse);
            }
            Some(_) => {}
        }
        pc.on_top -= 1;
        if only_wildcard {
            self.emit(Opcode::PopTop, 0);
        } else if star_wildcard {
            let star = star.unwrap_or(size);
            pc.on_top += 1;
            for (i, q) in patterns.iter().enumerate() {
                if is_wildcard(q) || i == star {
                    continue;
                }
                self.loc = whole.range();
                self.emit(Opcode::Copy, 1);
                if i < star {
                    self.load_const(Constant::Int((i as i64).into()));
                } else {
                    self.emit(Opcode::GetLen, 0);
                    self.load_const(Constant::Int(((size - i) as i64).into()));
                    self.emit(Opcode::BinaryOp, BinOp::Subtract as u32);
                }
                self.emit(Opcode::BinarySubscr, 0);
                self.subpattern(q, pc)?;
            }
            pc.on_top -= 1;
            self.emit(Opcode::PopTop, 0);
        } else {
            match star {
                Some(i) => {
                    let after = size - i - 1;
                    if i >= 256 || after >= (1 << 16) {
                        return Err(self.error("too many expressions in star-unpacking sequence pattern", whole.range()));
                    }
                    self.emit(Opcode::UnpackEx, (i as u32) | ((after as u32) << 8));
                }
                None => self.emit(Opcode::UnpackSequence, size as u32),
            }
            pc.on_top += size as u32;
            for q in patterns {
                pc.on_top -= 1;
                self.subpattern(q, pc)?;
            }
        }
        Ok(())
    }

    fn pattern_mapping(&mut self, m: &'a ast::PatternMatchMapping, pc: &mut PatternContext) -> CResult<()> {
        let size = m.keys.len();
        if size != m.patterns.len() {
            return Err(self.error("keys and patterns of a mapping pattern differ in length", m.range));
        }
        pc.on_top += 1;
        self.emit(Opcode::MatchMapping, 0);
        self.jump_to_fail_pop(pc, Opcode::PopJumpIfFalse);
        if size == 0 && m.rest.is_none() {
            pc.on_top -= 1;
            self.emit(Opcode::PopTop, 0);
            return Ok(());
        }
        if size > 0 {
            self.emit(Opcode::GetLen, 0);
            self.load_const(Constant::Int((size as i64).into()));
            self.emit(Opcode::CompareOp, CmpOp::Ge as u32);
            self.jump_to_fail_pop(pc, Opcode::PopJumpIfFalse);
        }
        let mut seen: Vec<Constant> = Vec::new();
        for key in m.keys.iter() {
            if let Some(c) = constant_of(key) {
                if seen.contains(&c) {
                    return Err(self.error(format!("mapping pattern checks duplicate key ({})", const_repr(&c)), m.range));
                }
                seen.push(c);
            } else if !matches!(key, Expr::Attribute(_)) {
                return Err(self.error("mapping pattern keys may only match literals and attribute lookups", key.range()));
            }
            self.expr(key)?;
        }
        self.loc = m.range;
        self.emit(Opcode::BuildTuple, size as u32);
        self.emit(Opcode::MatchKeys, 0);
        pc.on_top += 2;
        self.emit(Opcode::Copy, 1);
        self.load_const(Constant::None);
        self.emit(Opcode::IsOp, 1);
        self.jump_to_fail_pop(pc, Opcode::PopJumpIfFalse);
        self.emit(Opcode::UnpackSequence, size as u32);
        pc.on_top += size as u32;
        pc.on_top -= 1;
        for q in m.patterns.iter() {
            pc.on_top -= 1;
            self.subpattern(q, pc)?;
        }
        pc.on_top -= 2;
        self.loc = m.range;
        if let Some(rest) = &m.rest {
            self.emit(Opcode::BuildMap, 0);
            self.emit(Opcode::Swap, 3);
            self.emit(Opcode::DictUpdate, 2);
            self.emit(Opcode::UnpackSequence, size as u32);
            let mut k = size as u32;
            while k > 0 {
                self.emit(Opcode::Copy, 1 + k);
                k -= 1;
                self.emit(Opcode::Swap, 2);
                self.emit(Opcode::DeleteSubscr, 0);
            }
            self.pattern_store_name(Some(rest), pc, rest.range)?;
        } else {
            self.emit(Opcode::PopTop, 0);
            self.emit(Opcode::PopTop, 0);
        }
        Ok(())
    }

    fn pattern_class(&mut self, c: &'a ast::PatternMatchClass, pc: &mut PatternContext) -> CResult<()> {
        let patterns = &c.arguments.patterns;
        let keywords = &c.arguments.keywords;
        let nargs = patterns.len();
        let nattrs = keywords.len();
        for (i, k) in keywords.iter().enumerate() {
            if keywords[..i].iter().any(|o| o.attr.as_str() == k.attr.as_str()) {
                return Err(self.error(
                    format!("attribute name repeated in class pattern: {}", k.attr.as_str()),
                    k.pattern.range(),
                ));
            }
        }
        self.expr(&c.cls)?;
        self.loc = c.range;
        let names: Vec<Constant> = keywords.iter().map(|k| Constant::Str(k.attr.to_string())).collect();
        self.load_const(Constant::Tuple(names));
        self.emit(Opcode::MatchClass, nargs as u32);
        self.emit(Opcode::Copy, 1);
        self.load_const(Constant::None);
        self.emit(Opcode::IsOp, 1);
        pc.on_top += 1;
        self.jump_to_fail_pop(pc, Opcode::PopJumpIfFalse);
        self.emit(Opcode::UnpackSequence, (nargs + nattrs) as u32);
        pc.on_top += (nargs + nattrs) as u32;
        pc.on_top -= 1;
        for i in 0..nargs + nattrs {
            pc.on_top -= 1;
            let q = if i < nargs { &patterns[i] } else { &keywords[i - nargs].pattern };
            if is_wildcard(q) {
                self.emit(Opcode::PopTop, 0);
                continue;
            }
            self.subpattern(q, pc)?;
        }
        Ok(())
    }

    fn pattern_or(&mut self, o: &'a ast::PatternMatchOr, pc: &mut PatternContext) -> CResult<()> {
        let end = self.new_label();
        let size = o.patterns.len();
        let old_stores = std::mem::take(&mut pc.stores);
        let old_allow = pc.allow_irrefutable;
        let old_fail_pop = std::mem::take(&mut pc.fail_pop);
        let old_on_top = pc.on_top;
        let mut control: Option<Vec<String>> = None;
        for (i, alt) in o.patterns.iter().enumerate() {
            self.loc = alt.range();
            pc.stores = Vec::new();
            pc.allow_irrefutable = i + 1 == size && old_allow;
            pc.fail_pop = Vec::new();
            pc.on_top = 0;
            self.emit(Opcode::Copy, 1);
            self.pattern(alt, pc)?;
            let nstores = pc.stores.len();
            match &control {
                None => control = Some(pc.stores.clone()),
                Some(ctl) if ctl.len() != nstores => {
                    return Err(self.error("alternative patterns bind different names", alt.range()));
                }
                Some(ctl) => {
                    let ctl = ctl.clone();
                    let mut icontrol = nstores;
                    while icontrol > 0 {
                        icontrol -= 1;
                        let name = &ctl[icontrol];
                        let Some(istores) = pc.stores.iter().position(|s| s == name) else {
                            return Err(self.error("alternative patterns bind different names", alt.range()));
                        };
                        if icontrol != istores {
                            let rotations = istores + 1;
                            let rotated: Vec<String> = pc.stores.drain(0..rotations).collect();
                            let at = icontrol - istores;
                            for (k, r) in rotated.into_iter().enumerate() {
                                pc.stores.insert(at + k, r);
                            }
                            for _ in 0..rotations {
                                self.rotate(icontrol as u32 + 1);
                            }
                        }
                    }
                }
            }
            self.emit_jump(Opcode::Jump, end);
            self.emit_and_reset_fail_pop(pc);
        }
        pc.stores = old_stores;
        pc.allow_irrefutable = old_allow;
        pc.fail_pop = old_fail_pop;
        pc.on_top = old_on_top;
        self.loc = o.range;
        self.emit(Opcode::PopTop, 0);
        self.jump_to_fail_pop(pc, Opcode::Jump);
        self.bind(end);
        let control = control.unwrap_or_default();
        let nstores = control.len() as u32;
        let nrots = nstores + 1 + pc.on_top + pc.stores.len() as u32;
        for name in control {
            self.rotate(nrots);
            if pc.stores.contains(&name) {
                return Err(self.error(format!("multiple assignments to name '{name}' in pattern"), o.range));
            }
            pc.stores.push(name);
        }
        self.emit(Opcode::PopTop, 0);
        Ok(())
    }
}

/// A short Python repr of a constant, for error messages.
fn const_repr(c: &Constant) -> String {
    match c {
        Constant::None => "None".into(),
        Constant::Bool(b) => if *b { "True".into() } else { "False".into() },
        Constant::Int(i) => i.to_string(),
        Constant::Float(f) => format!("{f:?}"),
        Constant::Str(s) | Constant::SurrogateStr { text: s, .. } => {
            if s.contains('\'') && !s.contains('"') {
                format!("\"{s}\"")
            } else {
                format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
            }
        }
        Constant::Bytes(b) => format!("b'{}'", String::from_utf8_lossy(b)),
        _ => "...".into(),
    }
}
