//! The dispatch loop: executes ops until a sub-match succeeds or fails,
//! then hands the result to the pending frames (see `resume.rs`).

use super::super::chars::*;
use super::super::consts::*;
use super::{EngineError, Frame, Machine, Rep, Step, Unit, NONE};

impl<'a, T: Unit> Machine<'a, T> {
    /// Runs the code from `pc` at `self.st.ptr`; true when SUCCESS is reached
    /// (the match then ends at `self.st.ptr`).
    pub(super) fn run(&mut self, pc0: usize, toplevel: bool) -> Result<bool, EngineError> {
        let base = self.st.frames.len();
        let mut pc = pc0;
        let mut ptr = self.st.ptr;
        let mut top = toplevel;
        let end = self.st.end;
        'exec: loop {
            // Execute ops until the current sub-match succeeds or fails.
            let mut ret: bool = loop {
                let op = self.op(pc);
                match op {
                    FAILURE => break false,
                    SUCCESS => {
                        if top && ((self.st.match_all && ptr != end) || (self.st.must_advance && ptr == self.st.start))
                        {
                            break false;
                        }
                        self.st.ptr = ptr;
                        break true;
                    }
                    ANY | ANY_ALL => {
                        if ptr >= end || !self.one(pc, self.ch(ptr)) {
                            break false;
                        }
                        ptr += 1;
                        pc += 1;
                    }
                    LITERAL
                    | NOT_LITERAL
                    | LITERAL_IGNORE
                    | NOT_LITERAL_IGNORE
                    | LITERAL_UNI_IGNORE
                    | NOT_LITERAL_UNI_IGNORE
                    | LITERAL_LOC_IGNORE
                    | NOT_LITERAL_LOC_IGNORE
                    | CATEGORY => {
                        if ptr >= end || !self.one(pc, self.ch(ptr)) {
                            break false;
                        }
                        ptr += 1;
                        pc += 2;
                    }
                    IN | IN_IGNORE | IN_UNI_IGNORE | IN_LOC_IGNORE => {
                        if ptr >= end || !self.one(pc, self.ch(ptr)) {
                            break false;
                        }
                        ptr += 1;
                        pc += 1 + self.op(pc + 1) as usize;
                    }
                    AT => {
                        if !self.at(ptr, self.op(pc + 1)) {
                            break false;
                        }
                        pc += 2;
                    }
                    INFO => {
                        let min = self.op(pc + 3) as i64;
                        if min > 0 && self.room(ptr) < min {
                            break false;
                        }
                        pc += 1 + self.op(pc + 1) as usize;
                    }
                    JUMP => pc += 1 + self.op(pc + 1) as usize,
                    MARK => {
                        let i = self.op(pc + 1) as usize;
                        if i >= self.st.marks.len() {
                            return Err(EngineError);
                        }
                        if i & 1 == 1 {
                            self.st.lastindex = (i / 2 + 1) as isize;
                        }
                        if i as isize > self.st.lastmark {
                            // Marks between the old and new lastmark are stale.
                            let from = (self.st.lastmark + 1) as usize;
                            for m in &mut self.st.marks[from..i] {
                                *m = NONE;
                            }
                            self.st.lastmark = i as isize;
                        }
                        self.st.marks[i] = ptr;
                        pc += 2;
                    }
                    GROUPREF | GROUPREF_IGNORE | GROUPREF_UNI_IGNORE | GROUPREF_LOC_IGNORE => {
                        let Some((a, b)) = self.group(self.op(pc + 1) as usize) else { break false };
                        // An empty group matches even past `end`, as in CPython.
                        if b > a && self.room(ptr) < (b - a) as i64 {
                            break false;
                        }
                        let fold: fn(u32) -> u32 = match op {
                            GROUPREF => |c| c,
                            GROUPREF_IGNORE => lower_ascii,
                            GROUPREF_UNI_IGNORE => lower_unicode,
                            _ => lower_locale,
                        };
                        if !(a..b).all(|k| fold(self.ch(k)) == fold(self.ch(ptr + k - a))) {
                            break false;
                        }
                        ptr += b - a;
                        pc += 2;
                    }
                    GROUPREF_EXISTS => {
                        if self.group(self.op(pc + 1) as usize).is_some() {
                            pc += 3;
                        } else {
                            pc += 1 + self.op(pc + 2) as usize;
                        }
                    }
                    BRANCH => {
                        let saved = self.save(self.st.repeat.is_some());
                        match self.viable_alt(pc + 1, ptr) {
                            Some(alt) => {
                                self.st.frames.push(Frame::Branch { alt, ptr, saved, top });
                                pc = alt + 1;
                            }
                            None => {
                                self.discard(&saved);
                                break false;
                            }
                        }
                    }
                    REPEAT_ONE | MIN_REPEAT_ONE | POSSESSIVE_REPEAT_ONE => {
                        let min = self.op(pc + 2) as usize;
                        let max = self.op(pc + 3);
                        let item = pc + 4;
                        let tail = pc + 1 + self.op(pc + 1) as usize;
                        if min as i64 > self.room(ptr) {
                            break false;
                        }
                        if op == MIN_REPEAT_ONE {
                            let mut count = 0;
                            if min > 0 {
                                count = self.count(item, ptr, min as u32);
                                if count < min {
                                    break false;
                                }
                                ptr += count;
                            }
                            if self.op(tail) == SUCCESS
                                && !(top
                                    && ((self.st.match_all && ptr != end)
                                        || (self.st.must_advance && ptr == self.st.start)))
                            {
                                self.st.ptr = ptr;
                                break true;
                            }
                            if !(max == MAXREPEAT || count <= max as usize) {
                                break false;
                            }
                            let saved = self.save(self.st.repeat.is_some());
                            self.st.frames.push(Frame::MinRepeatOne {
                                tail,
                                item,
                                ptr,
                                count: count as i64,
                                max,
                                saved,
                                top,
                            });
                            pc = tail;
                            continue;
                        }
                        let count = self.count(item, ptr, max);
                        if count < min {
                            break false;
                        }
                        ptr += count;
                        if self.op(tail) == SUCCESS
                            && ptr == end
                            && !(top && self.st.must_advance && ptr == self.st.start)
                        {
                            self.st.ptr = ptr;
                            break true;
                        }
                        if op == POSSESSIVE_REPEAT_ONE {
                            pc = tail;
                            continue;
                        }
                        let saved = self.save(self.st.repeat.is_some());
                        let lit = if self.op(tail) == LITERAL { Some(self.op(tail + 1)) } else { None };
                        let (mut count, min) = (count as i64, min as i64);
                        if let Some(c) = lit {
                            // Give back characters until the tail's literal can match.
                            while count >= min && (ptr >= end || self.ch(ptr) != c) {
                                if count == 0 {
                                    count = -1;
                                    break;
                                }
                                ptr -= 1;
                                count -= 1;
                            }
                        }
                        if count < min {
                            self.discard(&saved);
                            break false;
                        }
                        self.st.frames.push(Frame::RepeatOne { tail, ptr, count, min, lit, saved, top });
                        pc = tail;
                    }
                    REPEAT => {
                        let idx = self.st.reps.len();
                        self.st.reps.push(Rep { count: -1, pc: pc + 1, prev: self.st.repeat, last_ptr: NONE });
                        self.st.repeat = Some(idx);
                        self.st.frames.push(Frame::Repeat { rep: idx });
                        pc = pc + 1 + self.op(pc + 1) as usize;
                    }
                    MAX_UNTIL | MIN_UNTIL => {
                        let Some(rep) = self.st.repeat else { return Err(EngineError) };
                        let count = self.st.reps[rep].count + 1;
                        let min = self.rep_param(rep, 1) as i64;
                        let max = self.rep_param(rep, 2);
                        let body = self.st.reps[rep].pc.wrapping_add(3);
                        if count < min {
                            // Not enough iterations yet: run the body again.
                            self.st.reps[rep].count = count;
                            self.st.frames.push(if op == MAX_UNTIL {
                                Frame::MaxUntil1 { rep, count }
                            } else {
                                Frame::MinUntil1 { rep, count }
                            });
                            pc = body;
                            continue;
                        }
                        if op == MAX_UNTIL {
                            if (count < max as i64 || max == MAXREPEAT) && ptr != self.st.reps[rep].last_ptr {
                                // Greedy: try one more iteration first.
                                self.st.reps[rep].count = count;
                                let saved = self.save(true);
                                let old_last = self.st.reps[rep].last_ptr;
                                self.st.reps[rep].last_ptr = ptr;
                                self.st.frames.push(Frame::MaxUntil2 {
                                    rep,
                                    count,
                                    ptr,
                                    saved,
                                    old_last,
                                    tail: pc + 1,
                                    top,
                                });
                                pc = body;
                                continue;
                            }
                            self.st.repeat = self.st.reps[rep].prev;
                            self.st.frames.push(Frame::MaxUntil3 { rep });
                            pc += 1;
                        } else {
                            // Lazy: try the tail first.
                            self.st.repeat = self.st.reps[rep].prev;
                            let saved = self.save(self.st.repeat.is_some());
                            self.st.frames.push(Frame::MinUntil2 { rep, count, ptr, saved, top });
                            pc += 1;
                        }
                    }
                    POSSESSIVE_REPEAT => {
                        // Unlike REPEAT, no repeat context: CPython 3.11 leaves
                        // `state->repeat` alone here, which decides whether
                        // BRANCH inside the body saves marks.
                        self.st.ptr = ptr;
                        let f = Frame::Possessive { pc, ptr, count: 0, iter: None, top };
                        match self.possessive_step(f) {
                            Step::Child(npc, nptr, ntop) => {
                                pc = npc;
                                ptr = nptr;
                                top = ntop;
                            }
                            Step::Continue(npc, nptr, ntop) => {
                                pc = npc;
                                ptr = nptr;
                                top = ntop;
                            }
                            Step::Return(r) => break r,
                        }
                    }
                    ATOMIC_GROUP => {
                        self.st.frames.push(Frame::Atomic { next: pc + 1 + self.op(pc + 1) as usize, top });
                        pc += 2;
                        top = false;
                    }
                    ASSERT | ASSERT_NOT => {
                        let back = self.op(pc + 2) as usize;
                        let next = pc + 1 + self.op(pc + 1) as usize;
                        if ptr < back {
                            if op == ASSERT {
                                break false;
                            }
                            pc = next;
                            continue;
                        }
                        if op == ASSERT {
                            self.st.frames.push(Frame::Assert { next, ptr, top });
                        } else {
                            let saved = self.save(self.st.repeat.is_some());
                            self.st.frames.push(Frame::AssertNot { next, ptr, saved, top });
                        }
                        ptr -= back;
                        pc += 3;
                        top = false;
                    }
                    _ => return Err(EngineError),
                }
            };
            // Hand the result of the sub-match to the frames below it.
            loop {
                if self.st.frames.len() == base {
                    return Ok(ret);
                }
                let frame = self.st.frames.pop().expect("frames above base");
                match self.resume(frame, ret) {
                    Step::Return(r) => ret = r,
                    Step::Child(npc, nptr, ntop) | Step::Continue(npc, nptr, ntop) => {
                        pc = npc;
                        ptr = nptr;
                        top = ntop;
                        continue 'exec;
                    }
                }
            }
        }
    }
}
