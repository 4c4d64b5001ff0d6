//! From a unit's label-addressed instruction list to a `CodeObject`:
//! a flow analysis computes the stack depth and the active exception handler
//! at every instruction (as CPython's `stackdepth` and
//! `label_exception_targets`); pseudo-instructions and unreachable code are
//! dropped; jumps get absolute indices; the exception table is built from runs of
//! instructions sharing a handler.

use super::{CResult, Ins, Op, Unit, UNBOUND};
use crate::bytecode::{encode, Instr, Opcode};
use crate::code::{flags, CodeObject, ExceptionEntry, Position};
use crate::locate::SourceMap;
use std::rc::Rc;

/// An active handler: where to go, the depth to unwind to, whether lasti is pushed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Handler {
    target: u32,
    depth: u32,
    lasti: bool,
}

#[derive(Clone)]
struct State {
    depth: u32,
    handlers: Rc<Vec<Handler>>,
}

pub(super) fn assemble(unit: Unit, map: &SourceMap) -> CResult<CodeObject> {
    let instrs = &unit.instrs;
    let n = instrs.len();
    let target_of = |ins: &Ins| -> Option<u32> {
        ins.target.map(|l| {
            let t = unit.labels[l.0 as usize];
            if t == UNBOUND { n as u32 } else { t }
        })
    };

    // ---- flow analysis ----
    let mut states: Vec<Option<State>> = vec![None; n + 1];
    let mut handler_at: Vec<Option<Handler>> = vec![None; n];
    let mut max_depth: u32 = 0;
    let mut work: Vec<usize> = Vec::new();
    let internal = |what: &str| {
        map.compiler_error(format!("internal compiler error: {what} in {}", unit.qualname), Default::default())
    };
    if n > 0 {
        states[0] = Some(State { depth: 0, handlers: Rc::new(Vec::new()) });
        work.push(0);
    }
    // Every path into an instruction must agree on the stack depth and handlers
    // (CPython asserts the same); a disagreement is a code generator bug.
    let mut inconsistent = false;
    let mut push_state = |states: &mut Vec<Option<State>>, work: &mut Vec<usize>, at: u32, st: State| {
        let at = at as usize;
        if at > n {
            return;
        }
        match &states[at] {
            None => {
                states[at] = Some(st);
                work.push(at);
            }
            Some(old) => {
                if old.depth != st.depth || old.handlers != st.handlers {
                    inconsistent = true;
                }
            }
        }
    };
    while let Some(start) = work.pop() {
        let mut i = start;
        loop {
            if i >= n {
                break;
            }
            let st = states[i].clone().expect("queued instructions have a state");
            let ins = &instrs[i];
            let depth = st.depth as i64;
            match ins.op {
                Op::Real(op) => {
                    handler_at[i] = st.handlers.last().copied();
                    if let Some(t) = target_of(ins) {
                        let d = depth + op.stack_effect(ins.arg, true) as i64;
                        if d < 0 {
                            return Err(internal("stack underflow"));
                        }
                        max_depth = max_depth.max(d as u32);
                        push_state(&mut states, &mut work, t, State { depth: d as u32, handlers: st.handlers.clone() });
                    }
                    if op.is_terminal() {
                        break;
                    }
                    let d = depth + op.stack_effect(ins.arg, false) as i64;
                    if d < 0 {
                        return Err(internal("stack underflow"));
                    }
                    max_depth = max_depth.max(d as u32);
                    let next = State { depth: d as u32, handlers: st.handlers };
                    if states[i + 1].is_some() {
                        push_state(&mut states, &mut work, i as u32 + 1, next);
                        break;
                    }
                    states[i + 1] = Some(next);
                    i += 1;
                }
                Op::SetupFinally | Op::SetupCleanup | Op::SetupWith => {
                    let t = target_of(ins).unwrap_or(n as u32);
                    let (table_depth, lasti, pushed) = match ins.op {
                        Op::SetupFinally => (st.depth, false, 1),
                        Op::SetupCleanup => (st.depth, true, 2),
                        _ => (st.depth.saturating_sub(1), true, 1),
                    };
                    let handler_depth = st.depth + pushed;
                    max_depth = max_depth.max(handler_depth);
                    push_state(
                        &mut states,
                        &mut work,
                        t,
                        State { depth: handler_depth, handlers: st.handlers.clone() },
                    );
                    let mut hs = (*st.handlers).clone();
                    hs.push(Handler { target: t, depth: table_depth, lasti });
                    let next = State { depth: st.depth, handlers: Rc::new(hs) };
                    if states[i + 1].is_some() {
                        push_state(&mut states, &mut work, i as u32 + 1, next);
                        break;
                    }
                    states[i + 1] = Some(next);
                    i += 1;
                }
                Op::PopBlock => {
                    let mut hs = (*st.handlers).clone();
                    hs.pop();
                    let next = State { depth: st.depth, handlers: Rc::new(hs) };
                    if states[i + 1].is_some() {
                        push_state(&mut states, &mut work, i as u32 + 1, next);
                        break;
                    }
                    states[i + 1] = Some(next);
                    i += 1;
                }
            }
        }
    }

    if inconsistent {
        return Err(internal("inconsistent stack depth"));
    }

    // ---- layout: keep reachable real instructions ----
    let keep: Vec<bool> = (0..n)
        .map(|i| matches!(instrs[i].op, Op::Real(_)) && states[i].is_some())
        .collect();
    // sizes in words (ExtendedArg prefixes), iterated to a fixed point for jumps.
    let mut size: Vec<u32> = vec![1; n];
    let mut offset: Vec<u32> = vec![0; n + 1];
    loop {
        let mut off = 0u32;
        for i in 0..n {
            offset[i] = off;
            if keep[i] {
                off += size[i];
            }
        }
        offset[n] = off;
        let mut changed = false;
        for i in 0..n {
            if !keep[i] {
                continue;
            }
            let arg = final_arg(&instrs[i], &target_of, &offset);
            let s = if arg > Instr::ARG_MAX { 2 } else { 1 };
            if s != size[i] {
                size[i] = s;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }

    let mut code: Vec<Instr> = Vec::new();
    let mut positions: Vec<Position> = Vec::new();
    let mut word_handler: Vec<Option<Handler>> = Vec::new();
    for i in 0..n {
        if !keep[i] {
            continue;
        }
        let ins = &instrs[i];
        let Op::Real(op) = ins.op else { continue };
        let arg = final_arg(ins, &target_of, &offset);
        let before = code.len();
        encode(&mut code, op, arg);
        for _ in before..code.len() {
            positions.push(ins.pos);
            word_handler.push(handler_at[i]);
        }
    }

    // ---- exception table ----
    let mut table: Vec<ExceptionEntry> = Vec::new();
    let mut w = 0;
    while w < word_handler.len() {
        let Some(h) = word_handler[w] else {
            w += 1;
            continue;
        };
        let start = w;
        while w < word_handler.len() && word_handler[w] == Some(h) {
            w += 1;
        }
        table.push(ExceptionEntry {
            start: start as u32,
            end: w as u32,
            handler: offset[(h.target as usize).min(n)],
            depth: h.depth,
            lasti: h.lasti,
        });
    }

    let mut fl = unit.flags;
    if unit.freevars.is_empty() && unit.cellvars.is_empty() {
        fl |= flags::NOFREE;
    }
    let cell2arg = unit
        .cellvars
        .iter()
        .map(|c| {
            let nparams = unit.argcount
                + unit.kwonlyargcount
                + (fl & flags::VARARGS != 0) as u32
                + (fl & flags::VARKEYWORDS != 0) as u32;
            unit.varnames.iter().take(nparams as usize).position(|v| v == c).map(|p| p as u32)
        })
        .collect();
    Ok(CodeObject {
        code,
        positions,
        consts: unit.consts,
        names: unit.names,
        varnames: unit.varnames,
        cellvars: unit.cellvars,
        freevars: unit.freevars,
        cell2arg,
        exception_table: table,
        argcount: unit.argcount,
        posonlyargcount: unit.posonlyargcount,
        kwonlyargcount: unit.kwonlyargcount,
        flags: fl,
        stacksize: max_depth,
        name: unit.name,
        qualname: unit.qualname,
        filename: map.filename.to_string(),
        firstlineno: unit.firstlineno,
        docstring: unit.docstring,
    })
}

fn final_arg(ins: &Ins, target_of: &impl Fn(&Ins) -> Option<u32>, offset: &[u32]) -> u32 {
    match target_of(ins) {
        Some(t) => offset[(t as usize).min(offset.len() - 1)],
        None => ins.arg,
    }
}

#[allow(dead_code)]
fn is_real(op: Op) -> Option<Opcode> {
    match op {
        Op::Real(o) => Some(o),
        _ => None,
    }
}
