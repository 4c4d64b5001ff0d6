//! The matcher: runs the opcode list of re/_compiler.py over a subject of
//! `u8` (bytes, ASCII str) or `u32` (other str) code units.
//!
//! Backtracking never recurses on the Rust stack. Where CPython's engine
//! would call itself for a sub-match (a BRANCH alternative, the tail after a
//! repeat, an assertion body), this one pushes a `Frame` recording how to
//! resume, then runs the sub-match in the same loop. A sub-match ends at
//! SUCCESS or on a failing op; the result is handed to the top frame, which
//! either starts another attempt (pushing itself again), hands the result
//! further down, or (assertions, atomic groups, possessive repeats)
//! continues executing its own pattern. Memory grows with the depth of
//! pending choices, never with the Rust stack.

use super::chars::*;
use super::consts::*;
use super::program::Program;

mod resume;
mod run;

/// "Unset" for marks and repeat positions.
const NONE: usize = usize::MAX;

/// A code unit of the subject.
pub trait Unit: Copy {
    fn get(self) -> u32;
}
impl Unit for u8 {
    #[inline(always)]
    fn get(self) -> u32 {
        self as u32
    }
}
impl Unit for u32 {
    #[inline(always)]
    fn get(self) -> u32 {
        self
    }
}

/// The engine met code it cannot run (only possible with hand-made code).
#[derive(Debug, PartialEq, Eq)]
pub struct EngineError;

/// An active REPEAT (or POSSESSIVE_REPEAT) and its iteration count.
struct Rep {
    count: i64,
    /// Index of the REPEAT's skip word: min, max and the body follow it.
    pc: usize,
    prev: Option<usize>,
    /// Where the last iteration started (zero-width iteration guard).
    last_ptr: usize,
}

/// Saved `lastmark`/`lastindex` and, optionally, where the saved copy of
/// the marks starts on `mark_stack`.
#[derive(Clone, Copy)]
struct Saved {
    lastmark: isize,
    lastindex: isize,
    marks: Option<usize>,
}

enum Frame {
    Branch {
        alt: usize,
        ptr: usize,
        saved: Saved,
        top: bool,
    },
    RepeatOne {
        tail: usize,
        ptr: usize,
        count: i64,
        min: i64,
        lit: Option<u32>,
        saved: Saved,
        top: bool,
    },
    MinRepeatOne {
        tail: usize,
        item: usize,
        ptr: usize,
        count: i64,
        max: u32,
        saved: Saved,
        top: bool,
    },
    Repeat {
        rep: usize,
    },
    MaxUntil1 {
        rep: usize,
        count: i64,
    },
    MaxUntil2 {
        rep: usize,
        count: i64,
        ptr: usize,
        saved: Saved,
        old_last: usize,
        tail: usize,
        top: bool,
    },
    MaxUntil3 {
        rep: usize,
    },
    MinUntil1 {
        rep: usize,
        count: i64,
    },
    MinUntil2 {
        rep: usize,
        count: i64,
        ptr: usize,
        saved: Saved,
        top: bool,
    },
    MinUntil3 {
        rep: usize,
        count: i64,
        old_last: usize,
    },
    Assert {
        next: usize,
        ptr: usize,
        top: bool,
    },
    AssertNot {
        next: usize,
        ptr: usize,
        saved: Saved,
        top: bool,
    },
    Atomic {
        next: usize,
        top: bool,
    },
    /// POSSESSIVE_REPEAT at `pc`; `iter` is None while the minimum is being
    /// matched, then the start of the current iteration and the saved marks.
    Possessive {
        pc: usize,
        ptr: usize,
        count: i64,
        iter: Option<(usize, Saved)>,
        top: bool,
    },
}

/// The registers of one search/match and the scratch stacks it reuses.
pub struct State {
    /// Where the current attempt starts (`pos` for match).
    pub start: usize,
    /// The end of the subject (`endpos`).
    pub end: usize,
    /// Where the last successful match ended.
    pub ptr: usize,
    pub marks: Vec<usize>,
    pub lastmark: isize,
    pub lastindex: isize,
    /// fullmatch: SUCCESS only at `end`.
    pub match_all: bool,
    /// After an empty match, the next one must not be empty at the same place.
    pub must_advance: bool,
    frames: Vec<Frame>,
    mark_stack: Vec<usize>,
    reps: Vec<Rep>,
    repeat: Option<usize>,
}

impl State {
    pub fn new(start: usize, end: usize, groups: usize) -> State {
        State {
            start,
            end,
            ptr: start,
            marks: vec![NONE; groups * 2],
            lastmark: -1,
            lastindex: -1,
            match_all: false,
            must_advance: false,
            frames: Vec::new(),
            mark_stack: Vec::new(),
            reps: Vec::new(),
            repeat: None,
        }
    }

    fn reset(&mut self) {
        self.lastmark = -1;
        self.lastindex = -1;
        self.frames.clear();
        self.mark_stack.clear();
        self.reps.clear();
        self.repeat = None;
    }

    /// The span of group `g` (1-based) of the last match, if it took part.
    pub fn group_span(&self, g: usize) -> Option<(usize, usize)> {
        let i = 2 * (g - 1);
        if (i + 1) as isize > self.lastmark {
            return None;
        }
        let (a, b) = (*self.marks.get(i)?, *self.marks.get(i + 1)?);
        if a == NONE || b == NONE {
            return None;
        }
        Some((a, b))
    }

    /// Is the subject matched by `code` at `start` (`match`/`fullmatch`)?
    pub fn pmatch<T: Unit>(&mut self, prog: &Program, text: &[T]) -> Result<bool, EngineError> {
        self.reset();
        self.ptr = self.start;
        // start > end is allowed: only ops that need no character can match.
        Machine::new(prog, text, self).run(0, true)
    }

    /// Finds the first match at or after `start`; on success `start` and
    /// `ptr` delimit it.
    pub fn search<T: Unit>(&mut self, prog: &Program, text: &[T]) -> Result<bool, EngineError> {
        self.reset();
        let code = &prog.code[..];
        let end = self.end;
        let mut pos = self.start;
        if pos > end {
            return Ok(false);
        }
        let op = |i: usize| code.get(i).copied().unwrap_or(FAILURE);
        let mut body = 0;
        let mut min = 0usize;
        let mut prefix: &[u32] = &[];
        let mut charset: Option<usize> = None;
        if op(0) == INFO {
            let flags = op(2);
            min = op(3) as usize;
            if end - pos < min {
                return Ok(false);
            }
            if flags & INFO_PREFIX != 0 {
                let len = op(5) as usize;
                prefix = code.get(7..7 + len).unwrap_or(&[]);
            } else if flags & INFO_CHARSET != 0 {
                charset = Some(5);
            }
            body = 1 + op(1) as usize;
        }
        // The last start that leaves room for `min` characters.
        let last = if min > 1 { end - (min - 1) } else { end };
        let anchored = op(body) == AT && matches!(op(body + 1), AT_BEGINNING | AT_BEGINNING_STRING);
        let mut m = Machine::new(prog, text, self);
        loop {
            // Skip positions the INFO block rules out.
            if let Some(&first) = prefix.first() {
                loop {
                    if pos > last || pos >= end {
                        return Ok(false);
                    }
                    if text[pos].get() == first
                        && pos + prefix.len() <= end
                        && prefix.iter().enumerate().all(|(k, &c)| text[pos + k].get() == c)
                    {
                        break;
                    }
                    pos += 1;
                }
            } else if let Some(cs) = charset {
                loop {
                    if pos > last || pos >= end {
                        return Ok(false);
                    }
                    let c = text[pos].get();
                    let hit = match &prog.prefix_map {
                        Some(map) if c < 256 => map[(c >> 5) as usize] >> (c & 31) & 1 != 0,
                        _ => m.in_charset(cs, c),
                    };
                    if hit {
                        break;
                    }
                    pos += 1;
                }
            }
            m.st.start = pos;
            m.st.ptr = pos;
            m.st.lastmark = -1;
            m.st.lastindex = -1;
            if m.run(body, true)? {
                return Ok(true);
            }
            m.st.must_advance = false;
            if anchored || pos >= last {
                return Ok(false);
            }
            pos += 1;
        }
    }
}

struct Machine<'a, T: Unit> {
    code: &'a [u32],
    prog: &'a Program,
    text: &'a [T],
    st: &'a mut State,
}

/// One op's answer for `ch`, without the precomputed tables (used to build them).
pub fn test_one(prog: &Program, pc: usize, ch: u32) -> bool {
    let mut st = State::new(0, 0, 0);
    let empty: &[u8] = &[];
    Machine::new(prog, empty, &mut st).one(pc, ch)
}

/// A bare charset's answer for `ch` (the INFO block's first-character set).
pub fn test_charset(prog: &Program, pc: usize, ch: u32) -> bool {
    let mut st = State::new(0, 0, 0);
    let empty: &[u8] = &[];
    Machine::new(prog, empty, &mut st).in_charset(pc, ch)
}

impl<'a, T: Unit> Machine<'a, T> {
    fn new(prog: &'a Program, text: &'a [T], st: &'a mut State) -> Self {
        Machine { code: &prog.code, prog, text, st }
    }

    /// The precomputed answers below 256 of the set op at `pc`, if any.
    #[inline(always)]
    fn map(&self, pc: usize) -> Option<&'a [u32; 8]> {
        match self.prog.fast.get(pc) {
            Some(&k) if k != 0 => self.prog.maps.get(k as usize - 1),
            _ => None,
        }
    }

    /// The code word at `i`; FAILURE past the end, so that malformed code
    /// fails instead of reading out of bounds.
    #[inline(always)]
    fn op(&self, i: usize) -> u32 {
        self.code.get(i).copied().unwrap_or(FAILURE)
    }

    /// Characters left before `end` (negative when a match starts past it).
    #[inline(always)]
    fn room(&self, ptr: usize) -> i64 {
        self.st.end as i64 - ptr as i64
    }

    #[inline(always)]
    fn ch(&self, i: usize) -> u32 {
        self.text[i].get()
    }

    fn in_charset(&self, mut i: usize, ch: u32) -> bool {
        let mut ok = true;
        loop {
            match self.op(i) {
                FAILURE => return !ok,
                LITERAL => {
                    if ch == self.op(i + 1) {
                        return ok;
                    }
                    i += 2;
                }
                CATEGORY => {
                    if category(self.op(i + 1), ch) {
                        return ok;
                    }
                    i += 2;
                }
                CHARSET => {
                    if ch < 256 && self.op(i + 1 + (ch as usize >> 5)) & (1 << (ch & 31)) != 0 {
                        return ok;
                    }
                    i += 9;
                }
                RANGE => {
                    if self.op(i + 1) <= ch && ch <= self.op(i + 2) {
                        return ok;
                    }
                    i += 3;
                }
                RANGE_UNI_IGNORE => {
                    // `ch` is already lowercased; its uppercase may be in range too.
                    let (lo, hi) = (self.op(i + 1), self.op(i + 2));
                    if lo <= ch && ch <= hi {
                        return ok;
                    }
                    let up = upper_unicode(ch);
                    if lo <= up && up <= hi {
                        return ok;
                    }
                    i += 3;
                }
                NEGATE => {
                    ok = !ok;
                    i += 1;
                }
                BIGCHARSET => {
                    // A block number per 256 characters (bytes packed four to a
                    // word), then one 256-bit bitmap per distinct block.
                    let blocks = self.op(i + 1) as usize;
                    i += 2;
                    if ch < 0x10000 {
                        let hi = (ch >> 8) as usize;
                        let block = (self.op(i + hi / 4) >> ((hi % 4) * 8)) & 0xFF;
                        let bit = block as usize * 256 + (ch & 255) as usize;
                        if self.op(i + 64 + bit / 32) & (1 << (bit % 32)) != 0 {
                            return ok;
                        }
                    }
                    i += 64 + blocks * 8;
                }
                _ => return false,
            }
        }
    }

    /// Does the one-character op at `pc` accept `ch`? (false for ops that
    /// are not one-character.)
    #[inline]
    fn one(&self, pc: usize, ch: u32) -> bool {
        if ch < 256 {
            if let Some(m) = self.map(pc) {
                return m[(ch >> 5) as usize] >> (ch & 31) & 1 != 0;
            }
        }
        let arg = self.op(pc + 1);
        match self.op(pc) {
            ANY => ch != 10,
            ANY_ALL => true,
            LITERAL => ch == arg,
            NOT_LITERAL => ch != arg,
            IN => self.in_charset(pc + 2, ch),
            LITERAL_IGNORE => lower_ascii(ch) == arg,
            NOT_LITERAL_IGNORE => lower_ascii(ch) != arg,
            LITERAL_UNI_IGNORE => lower_unicode(ch) == arg,
            NOT_LITERAL_UNI_IGNORE => lower_unicode(ch) != arg,
            LITERAL_LOC_IGNORE => char_loc_ignore(arg, ch),
            NOT_LITERAL_LOC_IGNORE => !char_loc_ignore(arg, ch),
            IN_IGNORE => self.in_charset(pc + 2, lower_ascii(ch)),
            IN_UNI_IGNORE => self.in_charset(pc + 2, lower_unicode(ch)),
            IN_LOC_IGNORE => {
                self.in_charset(pc + 2, ch)
                    || self.in_charset(pc + 2, lower_locale(ch))
                    || self.in_charset(pc + 2, upper_locale(ch))
            }
            CATEGORY => category(arg, ch),
            _ => false,
        }
    }

    /// How many times (up to `max`) the one-character item at `pc` matches
    /// from `ptr`.
    fn count(&self, pc: usize, ptr: usize, max: u32) -> usize {
        let avail = self.st.end.saturating_sub(ptr);
        let limit = if max != MAXREPEAT && (max as usize) < avail { ptr + max as usize } else { self.st.end };
        let mut p = ptr;
        match self.op(pc) {
            ANY_ALL => p = limit,
            LITERAL => {
                let c = self.op(pc + 1);
                while p < limit && self.ch(p) == c {
                    p += 1;
                }
            }
            NOT_LITERAL => {
                let c = self.op(pc + 1);
                while p < limit && self.ch(p) != c {
                    p += 1;
                }
            }
            ANY => {
                while p < limit && self.ch(p) != 10 {
                    p += 1;
                }
            }
            IN | IN_IGNORE | IN_UNI_IGNORE | IN_LOC_IGNORE => {
                let map = self.map(pc);
                while p < limit {
                    let c = self.ch(p);
                    let hit = match map {
                        Some(m) if c < 256 => m[(c >> 5) as usize] >> (c & 31) & 1 != 0,
                        _ => self.one(pc, c),
                    };
                    if !hit {
                        break;
                    }
                    p += 1;
                }
            }
            _ => {
                while p < limit && self.one(pc, self.ch(p)) {
                    p += 1;
                }
            }
        }
        p - ptr
    }

    fn word_at(&self, ptr: usize, word: fn(u32) -> bool) -> (bool, bool) {
        let before = ptr > 0 && word(self.ch(ptr - 1));
        let here = ptr < self.st.end && word(self.ch(ptr));
        (before, here)
    }

    fn at(&self, ptr: usize, code: u32) -> bool {
        let end = self.st.end;
        match code {
            AT_BEGINNING | AT_BEGINNING_STRING => ptr == 0,
            AT_BEGINNING_LINE => ptr == 0 || self.ch(ptr - 1) == 10,
            AT_END => ptr == end || (ptr + 1 == end && self.ch(ptr) == 10),
            AT_END_LINE => ptr == end || (ptr < self.text.len() && self.ch(ptr) == 10),
            AT_END_STRING => ptr == end,
            AT_BOUNDARY | AT_NON_BOUNDARY | AT_LOC_BOUNDARY | AT_LOC_NON_BOUNDARY | AT_UNI_BOUNDARY
            | AT_UNI_NON_BOUNDARY => {
                if end == 0 {
                    return false;
                }
                let word: fn(u32) -> bool = match code {
                    AT_BOUNDARY | AT_NON_BOUNDARY => is_ascii_word,
                    AT_LOC_BOUNDARY | AT_LOC_NON_BOUNDARY => is_loc_word,
                    _ => is_uni_word,
                };
                let (b, h) = self.word_at(ptr, word);
                if matches!(code, AT_BOUNDARY | AT_LOC_BOUNDARY | AT_UNI_BOUNDARY) {
                    b != h
                } else {
                    b == h
                }
            }
            _ => false,
        }
    }

    fn save(&mut self, push_marks: bool) -> Saved {
        let marks = if push_marks {
            let base = self.st.mark_stack.len();
            if self.st.lastmark >= 0 {
                let n = (self.st.lastmark + 1) as usize;
                self.st.mark_stack.extend_from_slice(&self.st.marks[..n]);
            }
            Some(base)
        } else {
            None
        };
        Saved { lastmark: self.st.lastmark, lastindex: self.st.lastindex, marks }
    }

    /// Puts back the saved marks and lastmark; `pop` also drops the copy.
    fn restore(&mut self, s: &Saved, pop: bool) {
        if let Some(base) = s.marks {
            if s.lastmark >= 0 {
                let n = (s.lastmark + 1) as usize;
                let (marks, stack) = (&mut self.st.marks, &self.st.mark_stack);
                marks[..n].copy_from_slice(&stack[base..base + n]);
            }
            if pop {
                self.st.mark_stack.truncate(base);
            }
        }
        self.st.lastmark = s.lastmark;
        self.st.lastindex = s.lastindex;
    }

    fn discard(&mut self, s: &Saved) {
        if let Some(base) = s.marks {
            self.st.mark_stack.truncate(base);
        }
    }

    /// Is group `g` (0-based) set? Returns its span.
    fn group(&self, g: usize) -> Option<(usize, usize)> {
        let i = 2 * g;
        if i as isize >= self.st.lastmark {
            return None;
        }
        let (a, b) = (self.st.marks[i], self.st.marks[i + 1]);
        if a == NONE || b == NONE || b < a {
            return None;
        }
        Some((a, b))
    }

    /// The first BRANCH alternative from `alt` on that can start at `ptr`
    /// (alternatives beginning with a literal or set that does not match the
    /// next character are skipped).
    fn viable_alt(&self, mut alt: usize, ptr: usize) -> Option<usize> {
        loop {
            let skip = self.op(alt) as usize;
            if skip == 0 {
                return None;
            }
            let first = self.op(alt + 1);
            let reject = match first {
                LITERAL => ptr >= self.st.end || self.ch(ptr) != self.op(alt + 2),
                IN => ptr >= self.st.end || !self.one(alt + 1, self.ch(ptr)),
                _ => false,
            };
            if !reject {
                return Some(alt);
            }
            alt += skip;
        }
    }

    fn rep_param(&self, rep: usize, k: usize) -> u32 {
        self.op(self.st.reps[rep].pc.wrapping_add(k))
    }
}

/// What to do after an op or a frame has run.
enum Step {
    /// Start a sub-match at (pc, ptr, toplevel); a frame was pushed.
    Child(usize, usize, bool),
    /// Carry on executing in the resumed frame's own context.
    Continue(usize, usize, bool),
    /// Hand this result to the next frame down.
    Return(bool),
}
