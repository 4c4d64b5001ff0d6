//! Frames: the state of one running (or suspended) Python code object.
//!
//! A frame keeps its fast locals, its cells and free variables, and its value
//! stack in ONE vector (`slots`): `[locals | cells | frees | stack...]`, sized
//! once from the code's counts and `stacksize`, so pushing never reallocates in
//! practice. An unset local and the eval loop's "NULL" stack marker are both a
//! private immortal sentinel object (see [`null`]) so the stack can be a plain
//! `Vec<Value>` and call arguments can be passed as a slice of it.
//!
//! Frames are boxed and recycled through a per-thread pool: a Python-to-Python
//! call allocates nothing once the pool is warm. A pooled frame keeps only its
//! buffers: every reference it held is released when it enters the pool. One
//! run of the eval loop also keeps the frames its calls finished with
//! ([`Spares`]), so a call there does not go to the thread-local pool.

use crate::object::PyRef;
use crate::payload::{FrameInfo, Payload};
use crate::types::code::PyCode;
use crate::value::Value;
use crate::eval::value_stack::pop_value;
use crate::Vm;
use std::cell::RefCell;
use std::mem::ManuallyDrop;
use std::ptr::NonNull;

pub struct Frame {
    /// The `code` object (keeps `PyCode` alive while the frame runs).
    /// `code`, `globals` and `builtins` are released by hand (`release`):
    /// a pooled frame keeps only their stale bits, never read.
    pub code: ManuallyDrop<PyRef>,
    /// `code`'s `PyCode`, valid while `code` is held (saves the eval loop
    /// two dependent loads on every call and return).
    pub pycode: *const PyCode,
    /// Counted references, except in a frame made by `with_function`: there
    /// they are uncounted copies of the function's own, which `func` keeps
    /// alive (a function's globals and builtins never change).
    pub globals: ManuallyDrop<PyRef>,
    pub builtins: ManuallyDrop<PyRef>,
    /// True while `code`, `globals` and `builtins` hold references (false in
    /// the pool).
    live: bool,
    /// The function a `with_function` frame runs (the reference the caller's
    /// stack held, moved in).
    pub func: Option<PyRef>,
    /// The locals mapping of module, class and exec frames; None for functions
    /// (which use fast locals).
    pub locals: Option<Value>,
    /// Fast locals, then cells and frees, then the value stack.
    pub slots: Vec<Value>,
    /// `len(varnames) + len(cellvars) + len(freevars)`: where the stack starts.
    pub nlocalsplus: u32,
    /// The instruction being run (or last run), for line numbers and tracebacks.
    pub lasti: u32,
    /// Where execution continues when the frame is resumed.
    pub pc: u32,
    /// The Python-visible frame object, made on demand and reused.
    pub frame_obj: Option<PyRef>,
    /// True for a generator/coroutine frame (yields suspend it).
    pub is_gen: bool,
    /// For an `__init__` frame the eval loop pushed itself while running
    /// `Class(...)`: the new instance, which the call produces when `__init__`
    /// returns (None otherwise).
    pub init_self: Option<Value>,
    /// For a generator's frame that the eval loop resumed itself (a
    /// `for` loop over the generator): the generator, which gets the frame
    /// back when it yields or finishes (see `generator::suspend_inline`).
    pub inline_gen: Option<PyRef>,
    /// For a binary operator's method that the eval loop called itself
    /// (see `exec::inline_binop_target`): the class of the left operand,
    /// that of the right one when it differs, and the operator, so that a
    /// NotImplemented result becomes CPython's TypeError.
    pub dunder: Option<(PyRef, Option<PyRef>, krait_compiler::bytecode::BinOp)>,
    /// What resumed an `inline_gen` frame, which decides what its caller
    /// does when it returns.
    pub inline_mode: InlineMode,
}

/// How the eval loop came to resume a generator in its own chain.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum InlineMode {
    /// `FOR_ITER`: a return ends the loop.
    ForIter,
    /// `gen.send(v)`: a return raises StopIteration at the call.
    SendCall,
    /// `SEND` of `yield from`: a return is the expression's value.
    YieldFrom,
}

/// A pointer to a live frame on the thread's frame stack (`vm.frames`).
/// Only the thread holding the GIL reads it, while the frame is alive.
#[derive(Clone, Copy)]
pub struct FrameRef(pub NonNull<Frame>);
// SAFETY: frames are only touched by the thread that holds the GIL.
unsafe impl Send for FrameRef {}
// SAFETY: as above.
unsafe impl Sync for FrameRef {}

impl FrameRef {
    /// # Safety
    /// The frame must still be on the frame stack (alive).
    pub unsafe fn get(&self) -> &Frame {
        // SAFETY: guaranteed by the caller.
        unsafe { self.0.as_ref() }
    }
}

thread_local! {
    /// The NULL sentinel: never visible to Python code. One per thread that
    /// creates interpreters; a Python thread adopts its interpreter's
    /// (`adopt_null`), since a frame may move between threads (a generator)
    /// and its unset locals must stay NULL. Never dropped: the thread's exit
    /// does not hold the GIL.
    static NULL: std::mem::ManuallyDrop<std::cell::OnceCell<PyRef>> = const { std::mem::ManuallyDrop::new(std::cell::OnceCell::new()) };
    /// Recycled frames (see `Frame::recycle`).
    static POOL: std::cell::UnsafeCell<Pool> = const { std::cell::UnsafeCell::new(Pool(Vec::new())) };
}

/// Runs `f` on this thread's frame pool. `f` only pushes or pops (no frame is
/// dropped and no other code runs meanwhile), so the access cannot nest.
#[inline(always)]
fn with_pool<R>(f: impl FnOnce(&mut Vec<Box<Frame>>) -> R) -> R {
    // SAFETY: the pool is thread-local and every caller's closure is a plain
    // push or pop, which cannot re-enter `with_pool`.
    POOL.with(|p| f(unsafe { &mut (*p.get()).0 }))
}

/// Finished frames one run of the eval loop keeps for its next calls
/// (released, as pooled frames are): a call then takes its frame from a local
/// vector instead of the thread's pool. What is left when the run ends goes
/// to the pool.
pub(crate) struct Spares(Vec<Box<Frame>>);

impl Spares {
    pub(crate) fn new() -> Spares {
        Spares(Vec::new())
    }

    /// A released frame: a spare, else one from the thread's pool.
    #[inline(always)]
    pub(crate) fn take(&mut self) -> Option<Box<Frame>> {
        match self.0.pop() {
            Some(f) => Some(f),
            None => with_pool(|p| p.pop()),
        }
    }

    /// Releases a finished frame (as `Frame::recycle`) and keeps it.
    #[inline(always)]
    pub(crate) fn put(&mut self, mut f: Box<Frame>) {
        if f.frame_obj.is_some() {
            f.keep_locals_for_frame_object();
        }
        // Released before it is stored: a `__del__` run by the drops may
        // re-enter the loop, which then finds this vector as it was.
        f.release();
        if self.0.len() < 64 {
            crate::eval::value_stack::push_inline(&mut self.0, f);
        } else {
            Frame::recycle(f);
        }
    }
}

impl Drop for Spares {
    fn drop(&mut self) {
        while let Some(f) = self.0.pop() {
            Frame::recycle(f);
        }
    }
}

/// The frame pool. A pooled frame holds no reference: its slots are empty,
/// its optional fields None, and its code, globals and builtins released
/// (`live` false): they are overwritten when the frame is reused.
struct Pool(Vec<Box<Frame>>);

impl Drop for Frame {
    /// A frame dropped while it still holds its references (a suspended
    /// generator's, when the generator goes) releases them here.
    fn drop(&mut self) {
        self.release();
    }
}

/// Grows `slots` to `len` with copies of `nul` (the NULL marker): one count
/// update for all of them, instead of one per local as `resize` would make.
/// (The length check inlined: most calls of small functions have no local
/// beyond their arguments.)
#[inline(always)]
fn fill_unset(slots: &mut Vec<Value>, len: usize, nul: &Value) {
    if slots.len() < len {
        fill_unset_from(slots, len, nul);
    }
}

fn fill_unset_from(slots: &mut Vec<Value>, len: usize, nul: &Value) {
    let have = slots.len();
    let n = len - have;
    let Value::Obj(o) = nul else {
        slots.resize(len, nul.clone());
        return;
    };
    slots.reserve(n);
    o.add_refs(n);
    // SAFETY: `reserve` made room for `n` more values past the length; each
    // is a bitwise copy of `nul` owning one of the `n` counts just added.
    unsafe {
        let dst = slots.as_mut_ptr().add(have);
        for k in 0..n {
            dst.add(k).write(std::ptr::read(nul));
        }
        slots.set_len(len);
    }
}

/// The NULL marker value (an unset local, "no self" in a call).
#[inline]
pub fn null() -> Value {
    NULL.with(|n| Value::Obj(n.get_or_init(make_null).clone()))
}

fn make_null() -> PyRef {
    let n = PyRef::new_immortal_self_typed();
    crate::finalize::keep_for_process(&[&n]);
    n
}

/// Makes `null` (the marker of the thread that started this one) this
/// thread's NULL marker; before the thread runs any Python code.
pub fn adopt_null(null: &Value) {
    if let Value::Obj(n) = null {
        NULL.with(|c| {
            let _ = c.set(n.clone());
        });
    }
}

/// Is `v` the NULL marker?
#[inline(always)]
pub fn is_null(v: &Value, null: &Value) -> bool {
    match (v, null) {
        (Value::Obj(a), Value::Obj(b)) => a.is(b),
        _ => false,
    }
}

/// Is `v` the NULL marker? (Looks the sentinel up; for code outside the loop.)
pub fn is_null_slow(v: &Value) -> bool {
    match v {
        Value::Obj(a) => NULL.with(|n| a.is(n.get_or_init(make_null))),
        _ => false,
    }
}

/// The code's `PyCode` payload.
#[inline(always)]
pub fn pycode(code: &PyRef) -> &PyCode {
    match &code.payload {
        Payload::Code(c) => c,
        _ => unreachable!("frame code is always a code object"),
    }
}

/// A frame's `nlocalsplus` (locals, cells, frees) and the slot capacity it
/// needs with its value stack.
#[inline(always)]
fn sizes(c: &PyCode) -> (usize, usize) {
    (c.nlocalsplus as usize, c.frame_slots as usize)
}

impl Frame {
    /// A frame for `code` with every local unset and an empty stack, taken
    /// from the pool when possible.
    pub fn new(code: PyRef, globals: PyRef, builtins: PyRef, locals: Option<Value>) -> Box<Frame> {
        let (nlp, cap) = sizes(pycode(&code));
        let null = null();
        let mut f = Frame::from_pool(with_pool(|p| p.pop()), code, globals, builtins, locals, cap);
        fill_unset(&mut f.slots, nlp, &null);
        f.nlocalsplus = nlp as u32;
        f
    }

    /// A frame for a call whose positional arguments are the values of
    /// `caller[from..]`: they move into the first locals (no count changes),
    /// the caller's stack is cut at `from`, and the other locals start unset
    /// (`nul`). The eval loop's exact-positional call path.
    ///
    /// The frame takes over `func` (a Python function whose code is
    /// `pycode`), and borrows its globals and builtins through it. Always
    /// inlined: it is the body of every Python-to-Python call, and out of
    /// line it cost fib 4% more instructions.
    #[inline(always)]
    pub fn with_function(
        recycled: Option<Box<Frame>>,
        func: PyRef,
        pycode: &PyCode,
        caller: &mut Vec<Value>,
        from: usize,
        nul: &Value,
    ) -> Box<Frame> {
        let Payload::Function(fd) = &func.payload else { unreachable!("with_function takes a function") };
        let (nlp, cap) = sizes(pycode);
        // Values beyond the locals (never, for an exact call) are dropped.
        // (Checked first: `truncate` to the same length still makes an
        // out-of-line call to drop an empty slice.)
        if caller.len() > from.saturating_add(nlp) {
            caller.truncate(from.saturating_add(nlp));
        }
        let from = from.min(caller.len());
        let n = caller.len() - from;
        // SAFETY: uncounted copies, valid while `func` (moved into the frame
        // below) lives; `recycle` forgets rather than drops them.
        let (globals, builtins) = unsafe { (std::ptr::read(&fd.globals), std::ptr::read(&fd.builtins)) };
        let mut f = Frame::from_pool(recycled, fd.code.clone(), globals, builtins, None, cap);
        f.pycode = pycode;
        f.func = Some(func);
        // SAFETY: `f.slots` is empty with capacity >= nlp >= n; the n values
        // are moved bitwise and the caller's length is cut before them, so
        // each is owned exactly once.
        unsafe {
            // A loop, not `copy_nonoverlapping`: n is a handful, and a
            // memmove call costs more than the copies.
            let src = caller.as_ptr().add(from);
            let dst = f.slots.as_mut_ptr();
            for k in 0..n {
                dst.add(k).write(src.add(k).read());
            }
            f.slots.set_len(n);
            caller.set_len(from);
        }
        fill_unset(&mut f.slots, nlp, nul);
        f.nlocalsplus = nlp as u32;
        f
    }

    /// The frame for an exact positional call: `caller` ends with
    /// `function, [NULL,] args...` from `callable_at` on, the function's code
    /// is `pycode` and the arguments (from `args_start`) are exactly its
    /// positional parameters. The arguments move into the first locals, the
    /// function into the frame, and the caller's stack is cut at
    /// `callable_at`.
    #[inline(always)]
    pub(crate) fn for_exact_call(
        spares: &mut Spares,
        pycode: &PyCode,
        caller: &mut Vec<Value>,
        callable_at: usize,
        args_start: usize,
        nul: &Value,
    ) -> Box<Frame> {
        let func = match caller.get_mut(callable_at).map(|v| std::mem::replace(v, Value::None)) {
            Some(Value::Obj(o)) => o,
            _ => unreachable!("for_exact_call needs the function on the stack"),
        };
        let f = Frame::with_function(spares.take(), func, pycode, caller, args_start, nul);
        // Left above the callable: the NULL (no self), then the callable's
        // emptied slot, popped inline rather than by a slice drop.
        if caller.len() > callable_at + 1 {
            drop(pop_value(caller));
        }
        if caller.len() > callable_at {
            drop(pop_value(caller));
        }
        f
    }

    /// A pooled (or new) frame with these fields, empty slots of at least
    /// `cap` capacity and `nlocalsplus` still to be set.
    #[inline(always)]
    fn from_pool(
        recycled: Option<Box<Frame>>,
        code: PyRef,
        globals: PyRef,
        builtins: PyRef,
        locals: Option<Value>,
        cap: usize,
    ) -> Box<Frame> {
        let pycode_ptr = pycode(&code) as *const PyCode;
        let Some(mut f) = recycled else {
            return Frame::fresh(code, pycode_ptr, globals, builtins, locals, cap);
        };
        // A pooled frame's optional fields are None, `is_gen` false and
        // its slots empty (`release` left them so): only what differs
        // from call to call is written.
        debug_assert!(f.slots.is_empty() && f.frame_obj.is_none() && f.init_self.is_none());
        debug_assert!(
            f.inline_gen.is_none() && f.dunder.is_none() && f.locals.is_none() && !f.is_gen
        );
        // SAFETY: a pooled frame's code, globals and builtins are uncounted
        // stand-ins and its `locals` is None (see `Pool`): overwritten
        // without dropping, nothing is leaked.
        unsafe {
            std::ptr::write(&mut f.code, ManuallyDrop::new(code));
            std::ptr::write(&mut f.globals, ManuallyDrop::new(globals));
            std::ptr::write(&mut f.builtins, ManuallyDrop::new(builtins));
            std::ptr::write(&mut f.locals, locals);
        }
        f.live = true;
        f.pycode = pycode_ptr;
        f.lasti = 0;
        f.pc = 0;
        if f.slots.capacity() < cap {
            f.slots.reserve(cap);
        }
        f
    }

    /// A newly allocated frame (the pool was empty).
    #[cold]
    #[inline(never)]
    fn fresh(
        code: PyRef,
        pycode: *const PyCode,
        globals: PyRef,
        builtins: PyRef,
        locals: Option<Value>,
        cap: usize,
    ) -> Box<Frame> {
        Box::new(Frame {
            code: ManuallyDrop::new(code),
            pycode,
            globals: ManuallyDrop::new(globals),
            builtins: ManuallyDrop::new(builtins),
            live: true,
            func: None,
            locals,
            slots: Vec::with_capacity(cap),
            nlocalsplus: 0,
            lasti: 0,
            pc: 0,
            frame_obj: None,
            is_gen: false,
            init_self: None,
            inline_gen: None,
            dunder: None,
            inline_mode: InlineMode::ForIter,
        })
    }

    /// Returns a finished frame to the pool. Its values are dropped first,
    /// outside any borrow (a `__del__` may run); a pooled frame holds no
    /// reference (the globals of an `exec` namespace, a module's code, must
    /// not live on until the frame is reused).
    pub fn recycle(mut f: Box<Frame>) {
        // The frame is off the frame stack, so nothing can reach its slots
        // while a `__del__` run by these drops executes; `clear` keeps the
        // buffer for the next call.
        if f.frame_obj.is_some() {
            f.keep_locals_for_frame_object();
        }
        f.release();
        // Keep a modest pool: deep recursion must not pin memory forever.
        // A frame not pooled is freed outside the pool's borrow.
        let spare = with_pool(|p| {
            if p.len() < 64 {
                p.push(f);
                None
            } else {
                Some(f)
            }
        });
        drop(spare);
    }

    /// A frame object referenced elsewhere (a traceback's) keeps the
    /// function's locals alive, as CPython's frame takes ownership of them.
    #[cold]
    #[inline(never)]
    fn keep_locals_for_frame_object(&mut self) {
        let fo = self.frame_obj.take();
        if let Some(Payload::Frame(fi)) =
            fo.as_ref().filter(|o| o.refcount() > 1).map(|o| &o.payload)
        {
            if self.locals.is_none() {
                let n = (self.nlocalsplus as usize).min(self.slots.len());
                let kept: Vec<Value> = self.slots.drain(..n).collect();
                let old = std::mem::replace(&mut *fi.kept.borrow_mut(), kept);
                drop(old);
            }
        }
        drop(fo);
    }

    /// Drops every reference the frame holds (values, code, globals,
    /// builtins, function), keeping its buffers. Leaves the optional fields
    /// None and `is_gen` false, as `from_pool` expects.
    #[inline(always)]
    fn release(&mut self) {
        self.slots.clear();
        // One test for the fields a plain call never sets.
        if self.locals.is_some()
            | self.init_self.is_some()
            | self.inline_gen.is_some()
            | self.dunder.is_some()
            | self.frame_obj.is_some()
        {
            self.release_extras();
        }
        self.is_gen = false;
        if !self.live {
            return;
        }
        self.live = false;
        // SAFETY: `live` said the three hold values; each is released once
        // (`live` is now false) and not read again until overwritten.
        unsafe {
            ManuallyDrop::drop(&mut self.code);
            if self.func.is_none() {
                ManuallyDrop::drop(&mut self.globals);
                ManuallyDrop::drop(&mut self.builtins);
            }
        }
        // The function last: it may hold the only counts of the globals and
        // builtins just let go of.
        drop(self.func.take());
    }

    #[cold]
    #[inline(never)]
    fn release_extras(&mut self) {
        drop(self.locals.take());
        drop(self.init_self.take());
        drop(self.inline_gen.take());
        drop(self.dunder.take());
        drop(self.frame_obj.take());
    }

    #[inline(always)]
    pub fn code(&self) -> &PyCode {
        // SAFETY: `pycode` points into `self.code`, which the frame holds.
        unsafe { &*self.pycode }
    }

    /// The current line number.
    pub fn lineno(&self) -> u32 {
        self.code().code.line_of(self.lasti as usize)
    }

    /// Brings the frame object's line (if one was made) up to `lasti`.
    pub fn sync_frame_lineno(&self) {
        if let Some(fo) = &self.frame_obj {
            if let Payload::Frame(fi) = &fo.payload {
                fi.lineno.set(self.lineno());
            }
        }
    }

    /// The value stack (above locals and cells).
    pub fn stack(&self) -> &[Value] {
        &self.slots[(self.nlocalsplus as usize).min(self.slots.len())..]
    }

    /// The Python frame object for this frame (made once; its line is updated).
    pub fn frame_object(&mut self, vm: &Vm) -> PyRef {
        if let Some(fo) = &self.frame_obj {
            self.sync_frame_lineno();
            return fo.clone();
        }
        let lineno = self.lineno();
        let locals = match &self.locals {
            Some(l) => Some(l.clone()),
            None => None,
        };
        let fo = PyRef::new(
            vm.types.frame.clone(),
            Payload::Frame(Box::new(FrameInfo {
                code: PyRef::clone(&self.code),
                globals: PyRef::clone(&self.globals),
                locals: crate::object::ValueCell::new(locals),
                lineno: std::cell::Cell::new(lineno),
                back: crate::object::ValueCell::new(None),
                kept: RefCell::new(Vec::new()),
            })),
        );
        self.frame_obj = Some(fo.clone());
        fo
    }
}

#[cfg(test)]
mod tests {
    use crate::value::Value;
    use crate::Vm;

    #[test]
    fn pooled_frames_hold_no_references() {
        let vm = Vm::new(Default::default());
        let src = "def f(x):\n    return [x]\nfor i in range(3):\n    f(i)\n";
        let code = krait_compiler::compile(src, "<test>", krait_compiler::Mode::Exec).expect("compiles");
        let code = vm.load_code(code);
        let g = vm.new_dict();
        assert!(vm.run_module_code(&code, &g).is_ok());
        // The module's frame and f's are back in the pool; once `f` (which
        // holds its globals) is gone, only this test refers to the dict.
        drop(vm.dict_remove(&g, &vm.new_str("f")));
        assert_eq!(g.refcount(), 1);
        // A frame reused from the pool works as a fresh one.
        assert!(vm.run_module_code(&code, &g).is_ok());
        assert!(matches!(vm.dict_get(&g, &vm.new_str("i")), Ok(Some(Value::Int(2)))));
    }
}
