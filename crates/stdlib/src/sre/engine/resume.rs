//! What each kind of pending frame does with the result of its sub-match:
//! try the next alternative or repeat count, pass the result on, or
//! continue after an assertion, atomic group or possessive repeat.

use super::super::consts::*;
use super::{Frame, Machine, Step, Unit};

impl<'a, T: Unit> Machine<'a, T> {
    /// What a frame does with the result `ret` of its sub-match.
    pub(super) fn resume(&mut self, frame: Frame, ret: bool) -> Step {
        match frame {
            Frame::Branch { alt, ptr, saved, top } => {
                if ret {
                    self.discard(&saved);
                    return Step::Return(true);
                }
                self.restore(&saved, false);
                let next = alt + self.op(alt) as usize;
                match self.viable_alt(next, ptr) {
                    Some(alt) => {
                        self.st.frames.push(Frame::Branch { alt, ptr, saved, top });
                        Step::Child(alt + 1, ptr, top)
                    }
                    None => {
                        self.discard(&saved);
                        Step::Return(false)
                    }
                }
            }
            Frame::RepeatOne { tail, mut ptr, mut count, min, lit, saved, top } => {
                if ret {
                    self.discard(&saved);
                    return Step::Return(true);
                }
                self.restore(&saved, false);
                // Give back one more character (more, to reach the literal).
                loop {
                    if count <= min {
                        self.discard(&saved);
                        return Step::Return(false);
                    }
                    ptr -= 1;
                    count -= 1;
                    match lit {
                        Some(c) if ptr >= self.st.end || self.ch(ptr) != c => continue,
                        _ => break,
                    }
                }
                self.st.frames.push(Frame::RepeatOne { tail, ptr, count, min, lit, saved, top });
                Step::Child(tail, ptr, top)
            }
            Frame::MinRepeatOne { tail, item, mut ptr, mut count, max, saved, top } => {
                if ret {
                    self.discard(&saved);
                    return Step::Return(true);
                }
                self.restore(&saved, false);
                // Take one more character, then try the tail again.
                if self.count(item, ptr, 1) == 0 {
                    self.discard(&saved);
                    return Step::Return(false);
                }
                ptr += 1;
                count += 1;
                if !(max == MAXREPEAT || count <= max as i64) {
                    self.discard(&saved);
                    return Step::Return(false);
                }
                self.st.frames.push(Frame::MinRepeatOne { tail, item, ptr, count, max, saved, top });
                Step::Child(tail, ptr, top)
            }
            Frame::Repeat { rep } => {
                self.st.repeat = self.st.reps[rep].prev;
                self.st.reps.truncate(rep);
                Step::Return(ret)
            }
            Frame::MaxUntil1 { rep, count } | Frame::MinUntil1 { rep, count } => {
                if !ret {
                    self.st.reps[rep].count = count - 1;
                }
                Step::Return(ret)
            }
            Frame::MaxUntil2 { rep, count, ptr, saved, old_last, tail, top } => {
                self.st.reps[rep].last_ptr = old_last;
                if ret {
                    self.discard(&saved);
                    return Step::Return(true);
                }
                self.restore(&saved, true);
                self.st.reps[rep].count = count - 1;
                // No further iteration: the tail must match here.
                self.st.repeat = self.st.reps[rep].prev;
                self.st.frames.push(Frame::MaxUntil3 { rep });
                Step::Child(tail, ptr, top)
            }
            Frame::MaxUntil3 { rep } => {
                self.st.repeat = Some(rep);
                Step::Return(ret)
            }
            Frame::MinUntil2 { rep, count, ptr, saved, top } => {
                self.st.repeat = Some(rep);
                if ret {
                    self.discard(&saved);
                    return Step::Return(true);
                }
                self.restore(&saved, true);
                let max = self.rep_param(rep, 2);
                if (count >= max as i64 && max != MAXREPEAT) || ptr == self.st.reps[rep].last_ptr {
                    return Step::Return(false);
                }
                // The tail failed: one more iteration of the body.
                self.st.reps[rep].count = count;
                let old_last = self.st.reps[rep].last_ptr;
                self.st.reps[rep].last_ptr = ptr;
                self.st.frames.push(Frame::MinUntil3 { rep, count, old_last });
                Step::Child(self.st.reps[rep].pc.wrapping_add(3), ptr, top)
            }
            Frame::MinUntil3 { rep, count, old_last } => {
                self.st.reps[rep].last_ptr = old_last;
                if !ret {
                    self.st.reps[rep].count = count - 1;
                }
                Step::Return(ret)
            }
            Frame::Assert { next, ptr, top } => {
                if ret {
                    Step::Continue(next, ptr, top)
                } else {
                    Step::Return(false)
                }
            }
            Frame::AssertNot { next, ptr, saved, top } => {
                if ret {
                    self.discard(&saved);
                    return Step::Return(false);
                }
                self.restore(&saved, true);
                Step::Continue(next, ptr, top)
            }
            Frame::Atomic { next, top } => {
                if ret {
                    Step::Continue(next, self.st.ptr, top)
                } else {
                    Step::Return(false)
                }
            }
            Frame::Possessive { pc, ptr, mut count, iter, top } => match iter {
                None => {
                    if !ret {
                        self.st.ptr = ptr;
                        return Step::Return(false);
                    }
                    count += 1;
                    self.possessive_step(Frame::Possessive { pc, ptr, count, iter: None, top })
                }
                Some((start, saved)) => {
                    if ret {
                        self.discard(&saved);
                        count += 1;
                        if self.st.ptr == start {
                            // An empty iteration: more would change nothing.
                            return self.possessive_done(pc, top);
                        }
                        self.possessive_step(Frame::Possessive { pc, ptr, count, iter: Some((start, saved)), top })
                    } else {
                        self.restore(&saved, true);
                        self.st.ptr = start;
                        self.possessive_done(pc, top)
                    }
                }
            },
        }
    }

    /// Starts the next iteration of a POSSESSIVE_REPEAT, or ends it.
    pub(super) fn possessive_step(&mut self, f: Frame) -> Step {
        let Frame::Possessive { pc, ptr, count, top, .. } = f else { return Step::Return(false) };
        let min = self.op(pc + 2) as i64;
        let max = self.op(pc + 3);
        let body = pc + 4;
        let at = self.st.ptr;
        if count < min {
            self.st.frames.push(Frame::Possessive { pc, ptr, count, iter: None, top });
            return Step::Child(body, at, false);
        }
        if count < max as i64 || max == MAXREPEAT {
            let saved = self.save(true);
            self.st.frames.push(Frame::Possessive { pc, ptr, count, iter: Some((at, saved)), top });
            return Step::Child(body, at, false);
        }
        self.possessive_done(pc, top)
    }

    pub(super) fn possessive_done(&mut self, pc: usize, top: bool) -> Step {
        // Skip the body and the SUCCESS that ends it.
        Step::Continue(pc + 1 + self.op(pc + 1) as usize + 1, self.st.ptr, top)
    }
}
