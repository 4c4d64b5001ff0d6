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
    Branch { alt: usize, ptr: usize, saved: Saved, top: bool },
    RepeatOne { tail: usize, ptr: usize, count: i64, min: i64, lit: Option<u32>, saved: Saved, top: bool },
    MinRepeatOne { tail: usize, item: usize, ptr: usize, count: i64, max: u32, saved: Saved, top: bool },
    Repeat { rep: usize },
    MaxUntil1 { rep: usize, count: i64 },
    MaxUntil2 { rep: usize, count: i64, ptr: usize, saved: Saved, old_last: usize, tail: usize, top: bool },
    MaxUntil3 { rep: usize },
    MinUntil1 { rep: usize, count: i64 },
    MinUntil2 { rep: usize, count: i64, ptr: usize, saved: Saved, top: bool },
    MinUntil3 { rep: usize, count: i64, old_last: usize },
    Assert { next: usize, ptr: usize, top: bool },
    AssertNot { next: usize, ptr: usize, saved: Saved, top: bool },
    Atomic { next: usize, top: bool },
    /// POSSESSIVE_REPEAT at `pc`; `iter` is None while the minimum is being
    /// matched, then the start of the current iteration and the saved marks.
    Possessive { pc: usize, ptr: usize, count: i64, iter: Option<(usize, Saved)>, top: bool },
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
    pub fn pmatch<T: Unit>(&mut self, code: &[u32], text: &[T]) -> Result<bool, EngineError> {
        self.reset();
        self.ptr = self.start;
        // start > end is allowed: only ops that need no character can match.
        Machine { code, text, st: self }.run(0, true)
    }

    /// Finds the first match at or after `start`; on success `start` and
    /// `ptr` delimit it.
    pub fn search<T: Unit>(&mut self, code: &[u32], text: &[T]) -> Result<bool, EngineError> {
        self.reset();
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
        let mut m = Machine { code, text, st: self };
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
                    if m.in_charset(cs, text[pos].get()) {
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
    text: &'a [T],
    st: &'a mut State,
}

impl<'a, T: Unit> Machine<'a, T> {
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
                IN => ptr >= self.st.end || !self.in_charset(alt + 3, self.ch(ptr)),
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

    /// Runs the code from `pc` at `self.st.ptr`; true when SUCCESS is reached
    /// (the match then ends at `self.st.ptr`).
    fn run(&mut self, pc0: usize, toplevel: bool) -> Result<bool, EngineError> {
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
                        if top
                            && ((self.st.match_all && ptr != end) || (self.st.must_advance && ptr == self.st.start))
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
                    LITERAL | NOT_LITERAL | LITERAL_IGNORE | NOT_LITERAL_IGNORE | LITERAL_UNI_IGNORE
                    | NOT_LITERAL_UNI_IGNORE | LITERAL_LOC_IGNORE | NOT_LITERAL_LOC_IGNORE | CATEGORY => {
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
                        if self.room(ptr) < (b - a) as i64 {
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
                        if self.op(tail) == SUCCESS && ptr == end && !(top && self.st.must_advance && ptr == self.st.start)
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

    /// What a frame does with the result `ret` of its sub-match.
    fn resume(&mut self, frame: Frame, ret: bool) -> Step {
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
    fn possessive_step(&mut self, f: Frame) -> Step {
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

    fn possessive_done(&mut self, pc: usize, top: bool) -> Step {
        // Skip the body and the SUCCESS that ends it.
        Step::Continue(pc + 1 + self.op(pc + 1) as usize + 1, self.st.ptr, top)
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
