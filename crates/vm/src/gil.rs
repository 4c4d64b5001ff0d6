//! The global interpreter lock and the per-thread part of the interpreter.
//!
//! One OS thread at a time runs Python code or touches Python objects: the
//! one holding the GIL, as in CPython. Reference counts, `RefCell`s and the
//! rest of the object model are therefore plain (non-atomic) memory; the
//! GIL's mutex gives every hand-off the happens-before ordering they need.
//!
//! The scheme is CPython's "new GIL" (3.2+): a thread that wants the GIL
//! waits on a condition variable for the switch interval
//! (`sys.setswitchinterval`, 5 ms); if no hand-off happened meanwhile it
//! sets `drop_request` and the eval breaker, and the holder, at its next
//! check (backward jump or call), releases the GIL and waits until another
//! thread has taken it before asking for it again (forced switching, so a
//! busy thread cannot take the lock straight back).
//!
//! Thread state: the `Vm` holds the running thread's frames, handled
//! exceptions, recursion depth and stack bound. Releasing the GIL moves them
//! out into a [`ThreadState`] the thread keeps on its own stack; taking the
//! GIL moves them back. A hand-off costs a few word moves, and the hot paths
//! read plain `Vm` fields. This is CPython's thread-state swap.
//!
//! Until a second thread starts, the main thread holds the GIL without ever
//! releasing it: `allow_threads` is then a plain call.

use crate::{PyResult, Vm};
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// A serial number per OS thread (0 is never used), for the GIL's
/// bookkeeping; `_thread.get_ident` has its own numbers.
pub fn thread_serial() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    thread_local! {
        static SERIAL: u64 = NEXT.fetch_add(1, Ordering::Relaxed);
    }
    SERIAL.with(|s| *s)
}

struct GilState {
    locked: bool,
    /// Bumped on every acquisition: a waiter whose wait timed out with the
    /// same number knows no hand-off happened.
    switches: u64,
    /// Set at interpreter finalization: the serial of the finalizing thread.
    /// Any other thread that asks for the GIL afterwards blocks for good
    /// (daemon threads must not run while the interpreter is torn down).
    finalizer: u64,
}

pub struct Gil {
    state: Mutex<GilState>,
    /// Signalled when the GIL is released.
    released: Condvar,
    /// Signalled when a thread has taken the GIL (for forced switching).
    taken: Condvar,
    drop_request: AtomicBool,
    /// Whether a second thread was ever started (from then on releasing is real).
    threaded: AtomicBool,
    /// The switch interval in microseconds.
    interval_us: AtomicU64,
    /// The serial of the thread that made the interpreter (signal handlers
    /// run there).
    main: u64,
}

impl Gil {
    /// A GIL held by the calling thread (the interpreter's creator).
    pub fn new() -> Gil {
        Gil {
            state: Mutex::new(GilState { locked: true, switches: 0, finalizer: 0 }),
            released: Condvar::new(),
            taken: Condvar::new(),
            drop_request: AtomicBool::new(false),
            threaded: AtomicBool::new(false),
            interval_us: AtomicU64::new(5000),
            main: thread_serial(),
        }
    }

    fn lock_state(&self) -> MutexGuard<'_, GilState> {
        // Poisoning needs a panic while the mutex is held, and nothing in
        // these short sections can panic; take the state either way.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether another thread may be running (a second thread was started).
    #[inline(always)]
    pub fn is_threaded(&self) -> bool {
        self.threaded.load(Ordering::Relaxed)
    }

    /// Called before the first thread starts.
    pub fn set_threaded(&self) {
        self.threaded.store(true, Ordering::SeqCst);
    }

    /// Whether the caller is the interpreter's main thread.
    pub fn is_main_thread(&self) -> bool {
        thread_serial() == self.main
    }

    pub fn switch_interval(&self) -> f64 {
        self.interval_us.load(Ordering::Relaxed) as f64 / 1e6
    }

    pub fn set_switch_interval(&self, secs: f64) {
        let us = (secs * 1e6).clamp(1.0, u64::MAX as f64 / 2.0) as u64;
        self.interval_us.store(us, Ordering::Relaxed);
    }

    /// Whether a waiting thread asked the holder to let go.
    #[inline]
    pub fn drop_requested(&self) -> bool {
        self.drop_request.load(Ordering::Relaxed)
    }

    /// Takes the GIL, waiting for it. `breaker` is the interpreter's eval
    /// breaker, set (with `drop_request`) when the holder keeps it past
    /// the switch interval.
    fn acquire(&self, breaker: &AtomicBool) {
        let me = thread_serial();
        let mut s = self.lock_state();
        loop {
            if s.finalizer != 0 && s.finalizer != me {
                // The interpreter is being torn down: never run again. The
                // process exits without waiting for this thread.
                drop(s);
                loop {
                    std::thread::park();
                }
            }
            if !s.locked {
                break;
            }
            let seen = s.switches;
            let interval = Duration::from_micros(self.interval_us.load(Ordering::Relaxed));
            let (g, timeout) = self.released.wait_timeout(s, interval).unwrap_or_else(|e| e.into_inner());
            s = g;
            if timeout.timed_out() && s.locked && s.switches == seen {
                self.drop_request.store(true, Ordering::SeqCst);
                breaker.store(true, Ordering::SeqCst);
            }
        }
        s.locked = true;
        s.switches = s.switches.wrapping_add(1);
        self.drop_request.store(false, Ordering::SeqCst);
        drop(s);
        self.taken.notify_all();
    }

    fn release(&self) {
        let mut s = self.lock_state();
        debug_assert!(s.locked, "releasing a GIL nobody holds");
        s.locked = false;
        drop(s);
        self.released.notify_one();
    }

    /// The holder lets go because another thread asked: releases, waits
    /// until some thread has taken it, then asks for it again.
    fn hand_over(&self, breaker: &AtomicBool) {
        let mut s = self.lock_state();
        s.locked = false;
        let seen = s.switches;
        self.released.notify_one();
        // Wait for the hand-off; bounded, in case the requester stopped
        // waiting (a finalizing interpreter parks its waiters).
        let deadline = std::time::Instant::now() + Duration::from_micros(self.interval_us.load(Ordering::Relaxed) * 4 + 1000);
        while s.switches == seen && !s.locked {
            let now = std::time::Instant::now();
            if now >= deadline {
                break;
            }
            let (g, _) = self.taken.wait_timeout(s, deadline - now).unwrap_or_else(|e| e.into_inner());
            s = g;
        }
        drop(s);
        self.acquire(breaker);
    }

    /// Finalization: from now on only the calling thread (which holds the
    /// GIL) may take it again.
    pub fn begin_finalizing(&self) {
        self.lock_state().finalizer = thread_serial();
    }

    /// In a child process after fork(): the forking thread, the only one
    /// left, holds the GIL; the other threads are gone.
    pub fn after_fork_child(&self) {
        let mut s = self.lock_state();
        s.locked = true;
        self.drop_request.store(false, Ordering::SeqCst);
    }

    /// Takes the internal mutex for a fork(), so the child does not inherit
    /// it locked by a thread that does not exist there. Dropping the guard
    /// (in parent and child) unlocks it.
    pub fn fork_guard(&self) -> impl Drop + '_ {
        self.lock_state()
    }
}

/// What the eval breaker runs for signals: `(vm, in_main_thread)`.
pub type SignalCheck = fn(&Vm, bool) -> PyResult<()>;

/// The eval breaker of the interpreter that receives signals.
static SIGNAL_BREAKER: AtomicPtr<AtomicBool> = AtomicPtr::new(std::ptr::null_mut());

/// A signal arrived whose Python handler has not been looked at.
static SIGNAL_SEEN: AtomicBool = AtomicBool::new(false);

/// Called from a C signal handler (async-signal-safe: atomic loads and
/// stores only): makes the receiving interpreter's eval loop look.
pub fn signal_arrived() {
    SIGNAL_SEEN.store(true, Ordering::SeqCst);
    let b = SIGNAL_BREAKER.load(Ordering::SeqCst);
    if !b.is_null() {
        // SAFETY: the pointer is the eval breaker of a live interpreter: it
        // is cleared (`stop_receiving_signals`) before that interpreter goes.
        unsafe { (*b).store(true, Ordering::SeqCst) };
    }
}

/// What a thread keeps while it does not hold the GIL: the parts of the
/// `Vm` that belong to the running thread.
#[derive(Default)]
pub struct ThreadState {
    frames: Vec<crate::eval::frame::FrameRef>,
    exc_stack: Vec<Option<crate::Value>>,
    recursion_depth: u32,
    stack_limit: usize,
    repr_stack: Vec<i64>,
    asyncgen_hooks: [Option<crate::Value>; 2],
    coro_origin_depth: u32,
}

impl ThreadState {
    /// The state of a thread that has not run Python code yet, whose native
    /// stack may be used down to `stack_limit`.
    pub fn fresh(stack_limit: usize) -> ThreadState {
        ThreadState { stack_limit, ..ThreadState::default() }
    }
}

impl Vm {
    /// Moves the running thread's state out of the interpreter.
    fn save_thread(&self) -> ThreadState {
        ThreadState {
            frames: std::mem::take(&mut *self.frames.borrow_mut()),
            exc_stack: std::mem::take(&mut *self.exc_stack.borrow_mut()),
            recursion_depth: self.recursion_depth.replace(0),
            stack_limit: self.stack_limit.get(),
            repr_stack: std::mem::take(&mut *self.repr_stack.borrow_mut()),
            asyncgen_hooks: self.asyncgen_hooks.take(),
            coro_origin_depth: self.coro_origin_depth.replace(0),
        }
    }

    /// Moves a thread's state into the interpreter (after taking the GIL).
    fn restore_thread(&self, ts: ThreadState) {
        *self.frames.borrow_mut() = ts.frames;
        *self.exc_stack.borrow_mut() = ts.exc_stack;
        self.recursion_depth.set(ts.recursion_depth);
        self.stack_limit.set(ts.stack_limit);
        *self.repr_stack.borrow_mut() = ts.repr_stack;
        *self.asyncgen_hooks.borrow_mut() = ts.asyncgen_hooks;
        self.coro_origin_depth.set(ts.coro_origin_depth);
    }

    /// Runs `f`, which must not touch Python objects, with the GIL released,
    /// so other threads run meanwhile: for anything that blocks (sleeping,
    /// waiting for a lock, I/O, select, waiting for a process) or takes long
    /// in pure Rust. `Send` keeps `f` from capturing the `Vm`.
    pub fn allow_threads<R>(&self, f: impl FnOnce() -> R + Send) -> R {
        if !self.gil.is_threaded() {
            return f();
        }
        let ts = self.release_gil();
        let r = f();
        self.acquire_gil(ts);
        r
    }

    /// Releases the GIL, keeping the thread's state (see `acquire_gil`).
    pub fn release_gil(&self) -> ThreadState {
        let ts = self.save_thread();
        self.gil.release();
        ts
    }

    /// Takes the GIL and makes `ts` the running thread's state.
    pub fn acquire_gil(&self, ts: ThreadState) {
        self.gil.acquire(&self.eval_breaker);
        self.restore_thread(ts);
    }

    /// Around a fork(): hold the returned guard across the fork() call in
    /// the parent (it keeps the GIL's internal mutex from being inherited in
    /// a locked state); then, in the child, call `after_fork_child`.
    pub fn fork_guard(&self) -> impl Drop + '_ {
        self.gil.fork_guard()
    }

    /// In the child process after a fork(): the calling thread, the only one
    /// left, holds the GIL; the other threads are gone.
    pub fn after_fork_child(&self) {
        self.gil.after_fork_child();
        self.import_locks.after_fork_child();
    }

    /// A new OS thread starts running Python code here: takes the GIL with a
    /// fresh thread state whose native stack ends at `stack_limit`, and
    /// makes this interpreter the thread's (collector, finalizers, the NULL
    /// marker `null` of the starting thread).
    pub fn begin_thread(&self, stack_limit: usize, null: &crate::Value) {
        self.acquire_gil(ThreadState::fresh(stack_limit));
        crate::eval::frame::adopt_null(null);
        crate::gc::install(self);
        crate::finalize::install(self);
    }

    /// The thread is done with Python: drops its state (with the GIL held)
    /// and releases the GIL for good. Nothing Python may happen on this
    /// thread afterwards.
    pub fn end_thread(&self) {
        drop(self.save_thread());
        crate::object::unset_callback_vm(self);
        crate::gc::uninstall(self);
        self.gil.release();
    }

    /// The eval breaker went off: runs a requested collection, lets another
    /// thread run when one asked for the GIL, and runs the handlers of
    /// signals that arrived (their exception, e.g. KeyboardInterrupt, is
    /// raised here).
    #[cold]
    #[inline(never)]
    pub fn handle_eval_breaker(&self) -> PyResult<()> {
        self.eval_breaker.store(false, Ordering::SeqCst);
        crate::gc::run_pending(self);
        if self.gil.drop_requested() {
            self.yield_gil();
        }
        if let Some(check) = self.signal_check.get() {
            // Cleared first: `check` calls `signal_arrived` again for what it
            // leaves pending.
            if SIGNAL_SEEN.swap(false, Ordering::SeqCst) {
                check(self, self.gil.is_main_thread())?;
            }
        }
        Ok(())
    }

    /// Makes this interpreter the one whose eval loop learns of signals
    /// (`signal_arrived`): `check` runs at the eval breaker (told whether
    /// the caller is the main thread, where handlers run).
    pub fn receive_signals(&self, check: SignalCheck) {
        self.signal_check.set(Some(check));
        SIGNAL_BREAKER.store(&self.eval_breaker as *const AtomicBool as *mut AtomicBool, Ordering::SeqCst);
    }

    /// Stops `signal_arrived` from touching this interpreter (teardown).
    pub(crate) fn stop_receiving_signals(&self) {
        let me = &self.eval_breaker as *const AtomicBool as *mut AtomicBool;
        let _ = SIGNAL_BREAKER.compare_exchange(me, std::ptr::null_mut(), Ordering::SeqCst, Ordering::SeqCst);
    }

    /// The eval breaker saw a drop request: lets another thread run.
    fn yield_gil(&self) {
        let ts = self.save_thread();
        self.gil.hand_over(&self.eval_breaker);
        self.restore_thread(ts);
    }
}

/// The interpreter, handed to a new OS thread. Python objects and the `Vm`
/// are only touched by the thread holding the GIL, and the `Vm` outlives
/// every thread that can still take it (a finalizing interpreter parks them
/// for good), so sharing the reference is sound.
#[derive(Clone, Copy)]
pub struct VmHandle(*const Vm);

// SAFETY: see the type's comment: every use goes through `get` after taking the GIL.
unsafe impl Send for VmHandle {}

impl VmHandle {
    pub fn new(vm: &Vm) -> VmHandle {
        VmHandle(vm as *const Vm)
    }

    /// # Safety
    /// The caller must take the GIL (`acquire_gil`) before touching any
    /// Python object through the returned reference, and the interpreter
    /// must be alive (it is while the thread can take the GIL).
    pub unsafe fn get<'a>(self) -> &'a Vm {
        // SAFETY: guaranteed by the caller.
        unsafe { &*self.0 }
    }
}

thread_local! {
    /// The interpreter a `Vm::scoped` call on this thread lent out (null: none).
    static SCOPED_VM: std::cell::Cell<*const Vm> = const { std::cell::Cell::new(std::ptr::null()) };
}

impl Vm {
    /// Runs `f` with this interpreter reachable through `with_scoped_vm` on
    /// this thread, for callbacks a C library makes from inside `f` (SQLite
    /// calling a user-defined function) whose closures must be `'static`
    /// and so cannot capture `&Vm`. Calls nest; the previous one is restored.
    pub fn scoped<R>(&self, f: impl FnOnce() -> R) -> R {
        struct Restore(*const Vm);
        impl Drop for Restore {
            fn drop(&mut self) {
                SCOPED_VM.with(|c| c.set(self.0));
            }
        }
        let _restore = Restore(SCOPED_VM.with(|c| c.replace(self as *const Vm)));
        f()
    }
}

/// Runs `f` with the interpreter an enclosing `Vm::scoped` call on this
/// thread lent out; None when there is none (a callback from elsewhere).
pub fn with_scoped_vm<R>(f: impl FnOnce(&Vm) -> R) -> Option<R> {
    let p = SCOPED_VM.with(|c| c.get());
    if p.is_null() {
        return None;
    }
    // SAFETY: the pointer was set by `Vm::scoped` on this thread, whose
    // `&self` borrow outlives the closure it runs, and it is reset (by a
    // drop guard, unwinding included) before that borrow ends; a non-null
    // value therefore points to a live `Vm`. The reference handed to `f`
    // cannot escape `f` (its lifetime is local to this call).
    let vm = unsafe { &*p };
    Some(f(vm))
}
