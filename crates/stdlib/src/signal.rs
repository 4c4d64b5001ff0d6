//! The `_signal` module. The C-level handler only records the signal in
//! atomic flags (and writes its number to the wakeup fd, which is how
//! asyncio's loop learns of signals); the Python handlers run later, from
//! `check_signals`, which blocking calls (select, sockets) run when
//! interrupted and which the eval loop may call when `pending()` is true.
//!
//! SIGINT: until the eval loop polls `check_signals` (`set_eval_loop_polls`),
//! a SIGINT whose Python handler is `default_int_handler` keeps the OS
//! default action, so Ctrl-C still stops a busy program.

use crate::native::unpack;
use krait_vm::{Args, NativeDef, PyResult, Value, Vm};
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

const NSIG: usize = 65;

static PENDING: [AtomicBool; NSIG] = [const { AtomicBool::new(false) }; NSIG];
static ANY_PENDING: AtomicBool = AtomicBool::new(false);
static WAKEUP_FD: AtomicI32 = AtomicI32::new(-1);
static EVAL_POLLS: AtomicBool = AtomicBool::new(false);

/// The interpreter's Python-level handler of each signal: SIG_DFL (0),
/// SIG_IGN (1) or a callable; and its `default_int_handler` (`vm.state`).
#[derive(Default)]
struct SignalState {
    handlers: RefCell<Vec<Value>>,
    default_int: RefCell<Option<Value>>,
}

/// True when a signal arrived whose Python handler has not run yet.
pub fn pending() -> bool {
    ANY_PENDING.load(Ordering::Relaxed)
}

/// Tells the module the eval loop now calls `check_signals` when `pending()`:
/// from then on SIGINT raises KeyboardInterrupt instead of killing.
pub fn set_eval_loop_polls(vm: &Vm, on: bool) {
    EVAL_POLLS.store(on, Ordering::Relaxed);
    if on {
        vm.receive_signals(eval_breaker_check);
        // CPython's start-up installs the SIGINT handler: importing the
        // module does that (it reinstalls below otherwise).
        if vm.sys_modules_get("_signal").is_none() {
            let _ = vm.import_full("_signal");
            return;
        }
    }
    if let Some(h) = handler_of(vm, libc::SIGINT) {
        let _ = install(vm, libc::SIGINT, &h);
    }
}

/// What the eval breaker runs: the handlers, in the main thread; another
/// thread leaves them pending and keeps the breaker set for the main one.
fn eval_breaker_check(vm: &Vm, main_thread: bool) -> PyResult<()> {
    if main_thread {
        return check_signals(vm);
    }
    if ANY_PENDING.load(Ordering::Relaxed) {
        krait_vm::gil::signal_arrived();
    }
    Ok(())
}

/// Simulates the arrival of `sig` (`_thread.interrupt_main`): its Python
/// handler runs in the main thread at its next check. Nothing happens when
/// the signal is not handled by Python (SIG_DFL or SIG_IGN).
pub fn trip_signal(vm: &Vm, sig: i32) {
    if (sig as usize) >= NSIG || !matches!(handler_of(vm, sig), Some(Value::Obj(_))) {
        return;
    }
    PENDING[sig as usize].store(true, Ordering::SeqCst);
    ANY_PENDING.store(true, Ordering::SeqCst);
    krait_vm::gil::signal_arrived();
}

/// Blocks every signal in the calling thread (the command line's launcher
/// thread, which only waits for the interpreter thread), so the kernel
/// delivers them to a thread that runs Python and its blocking calls see
/// EINTR.
pub fn block_all_in_this_thread() {
    // SAFETY: sigfillset/pthread_sigmask get pointers to a live local set.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut set);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}

/// Ends the process as CPython does after an uncaught KeyboardInterrupt:
/// killed by SIGINT with the default action, so the parent sees the signal.
pub fn exit_by_sigint() -> ! {
    // SAFETY: resetting SIGINT's disposition, unblocking it in this thread
    // and sending it to this process have no memory effects.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_DFL);
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        libc::kill(libc::getpid(), libc::SIGINT);
    }
    std::process::exit(128 + libc::SIGINT)
}

/// CPython ignores SIGPIPE and SIGXFSZ at start-up, so writes to a closed
/// pipe or socket raise BrokenPipeError instead of killing the process.
pub fn ignore_startup_signals() {
    for sig in [libc::SIGPIPE, libc::SIGXFSZ] {
        // SAFETY: setting a signal's disposition to SIG_IGN has no memory effects.
        unsafe { libc::signal(sig, libc::SIG_IGN) };
    }
}

extern "C" fn c_handler(sig: libc::c_int) {
    // SAFETY: reading errno's thread-local slot; restored below so the
    // interrupted code sees its own errno (only async-signal-safe work here).
    let saved = unsafe { *libc::__errno_location() };
    if (sig as usize) < NSIG {
        PENDING[sig as usize].store(true, Ordering::SeqCst);
        ANY_PENDING.store(true, Ordering::SeqCst);
        krait_vm::gil::signal_arrived();
    }
    let fd = WAKEUP_FD.load(Ordering::SeqCst);
    if fd >= 0 {
        let b = sig as u8;
        // SAFETY: write(2) is async-signal-safe; `b` is a live one-byte buffer.
        unsafe { libc::write(fd, (&b as *const u8).cast(), 1) };
    }
    // SAFETY: as above.
    unsafe { *libc::__errno_location() = saved };
}

fn handler_of(vm: &Vm, sig: i32) -> Option<Value> {
    vm.state::<SignalState>().handlers.borrow().get(sig as usize).cloned()
}

fn is_default_int(vm: &Vm, v: &Value) -> bool {
    let st = vm.state::<SignalState>();
    let d = st.default_int.borrow();
    matches!((d.as_ref(), v), (Some(Value::Obj(a)), Value::Obj(b)) if a.is(b))
}

/// A signal `faulthandler.register` watches: where its stack dump goes,
/// whether it lists all threads, and whether the Python handler (or the
/// default action) follows.
#[derive(Clone, Copy)]
pub(crate) struct UserSignal {
    pub fd: i32,
    pub all_threads: bool,
    pub chain: bool,
    /// False once `signal.signal` replaced the handler (CPython's
    /// faulthandler loses the signal then, and registering it again only
    /// updates the settings).
    pub active: bool,
}

static USER_SIGNALS: std::sync::Mutex<[Option<UserSignal>; NSIG]> = std::sync::Mutex::new([None; NSIG]);

fn user_signal(sig: usize) -> Option<UserSignal> {
    USER_SIGNALS.lock().unwrap_or_else(|e| e.into_inner())[sig]
}

/// `faulthandler.register`: the signal is caught by this module's C
/// handler whatever its Python handler, and dumps the stack when the
/// signals are checked.
pub(crate) fn register_user(vm: &Vm, sig: i32, user: UserSignal) -> PyResult<()> {
    let old = user_signal(sig as usize);
    if old.is_none() {
        set_action(vm, sig, c_handler as extern "C" fn(libc::c_int) as libc::sighandler_t)?;
    }
    let active = old.map_or(true, |o| o.active);
    USER_SIGNALS.lock().unwrap_or_else(|e| e.into_inner())[sig as usize] = Some(UserSignal { active, ..user });
    Ok(())
}

/// `faulthandler.unregister`: the OS disposition goes back to what the
/// Python handler asks for. False when the signal was not registered.
pub(crate) fn unregister_user(vm: &Vm, sig: i32) -> PyResult<bool> {
    let was = USER_SIGNALS.lock().unwrap_or_else(|e| e.into_inner())[sig as usize].take();
    match was {
        None => Ok(false),
        Some(u) => {
            if u.active {
                install(vm, sig, &handler_of(vm, sig).unwrap_or(Value::Int(0)))?;
            }
            Ok(true)
        }
    }
}

/// Sets the OS disposition that matches Python handler `h`.
fn install(vm: &Vm, sig: i32, h: &Value) -> PyResult<()> {
    let action = match h {
        Value::Int(0) => libc::SIG_DFL,
        Value::Int(1) => libc::SIG_IGN,
        _ if sig == libc::SIGINT && is_default_int(vm, h) && !EVAL_POLLS.load(Ordering::Relaxed) => libc::SIG_DFL,
        _ => c_handler as extern "C" fn(libc::c_int) as libc::sighandler_t,
    };
    set_action(vm, sig, action)
}

fn set_action(vm: &Vm, sig: i32, action: libc::sighandler_t) -> PyResult<()> {
    // SAFETY: a zeroed sigaction is valid; sigemptyset/sigaction get pointers to live locals.
    let r = unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = action;
        libc::sigemptyset(&mut sa.sa_mask);
        sa.sa_flags = libc::SA_ONSTACK;
        libc::sigaction(sig, &sa, std::ptr::null_mut())
    };
    if r != 0 {
        return Err(crate::posix::path::errno_err(vm, None));
    }
    Ok(())
}

/// Runs the Python handlers of the signals that arrived (PyErr_CheckSignals).
/// Only the main thread runs them, as in CPython; elsewhere they stay pending.
pub fn check_signals(vm: &Vm) -> PyResult<()> {
    if !ANY_PENDING.load(Ordering::Relaxed) || !vm.gil.is_main_thread() {
        return Ok(());
    }
    if !ANY_PENDING.swap(false, Ordering::SeqCst) {
        return Ok(());
    }
    for sig in 1..NSIG {
        if !PENDING[sig].swap(false, Ordering::SeqCst) {
            continue;
        }
        let user = user_signal(sig).filter(|u| u.active);
        if let Some(user) = user {
            crate::faulthandler::dump_for_signal(vm, user.fd, user.all_threads);
            if !user.chain {
                continue;
            }
        }
        let Some(h) = handler_of(vm, sig as i32) else { continue };
        if let Value::Int(0) = h {
            if user.is_some() {
                // Chained to the default action (which for most signals
                // ends the process), as faulthandler's C handler does.
                default_action(vm, sig as i32)?;
            }
            continue;
        }
        if matches!(h, Value::Int(_)) {
            continue;
        }
        let args = [Value::Int(sig as i64), Value::None];
        if let Err(e) = vm.call(&h, Args::new(&args)) {
            // The others stay pending for the next check, as in CPython.
            ANY_PENDING.store(true, Ordering::SeqCst);
            krait_vm::gil::signal_arrived();
            return Err(e);
        }
    }
    Ok(())
}

/// Runs the default action of `sig` now: the default disposition, the
/// signal raised (unblocked), then this module's handler again.
fn default_action(vm: &Vm, sig: i32) -> PyResult<()> {
    set_action(vm, sig, libc::SIG_DFL)?;
    // SAFETY: raise(3) on a valid signal number; the set is a live local.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, sig);
        libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        libc::raise(sig);
    }
    set_action(vm, sig, c_handler as extern "C" fn(libc::c_int) as libc::sighandler_t)
}

fn signum_arg(vm: &Vm, v: &Value) -> PyResult<i32> {
    let n = crate::posix::fd::fd_arg(vm, v)?;
    if n < 1 || n as usize >= NSIG {
        return Err(vm.new_value_error("signal number out of range"));
    }
    Ok(n)
}

fn s_signal(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "signal", &args, 2, 2)?;
    if !vm.gil.is_main_thread() {
        return Err(vm.new_value_error("signal only works in main thread of the main interpreter"));
    }
    let sig = signum_arg(vm, &a[0])?;
    let h = a[1].clone();
    let ok = match &h {
        Value::Int(0) | Value::Int(1) => true,
        Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::None => false,
        _ => vm.is_callable(&h),
    };
    if !ok {
        return Err(vm.new_type_error("signal handler must be signal.SIG_IGN, signal.SIG_DFL, or a callable object"));
    }
    install(vm, sig, &h)?;
    if let Some(u) = USER_SIGNALS.lock().unwrap_or_else(|e| e.into_inner())[sig as usize].as_mut() {
        u.active = false;
    }
    let st = vm.state::<SignalState>();
    let mut hs = st.handlers.borrow_mut();
    // Before make_module filled it (it always has by now), grow rather than panic.
    if hs.len() < NSIG {
        hs.resize(NSIG, Value::None);
    }
    Ok(std::mem::replace(&mut hs[sig as usize], h))
}

fn s_getsignal(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "getsignal", &args, 1, 1)?;
    let sig = signum_arg(vm, &a[0])?;
    Ok(handler_of(vm, sig).unwrap_or(Value::None))
}

fn s_default_int_handler(vm: &Vm, _args: Args) -> PyResult {
    Err(vm.new_exception(&vm.exc.keyboard_interrupt, vec![]).into())
}

fn s_set_wakeup_fd(vm: &Vm, args: Args) -> PyResult {
    let a = vm.bind_native("set_wakeup_fd", args, &["fd", "warn_on_full_buffer"], 1, 1, Some(1))?;
    let fd = crate::posix::fd::fd_arg(vm, a[0].as_ref().unwrap())?;
    if !vm.gil.is_main_thread() {
        return Err(vm.new_value_error("set_wakeup_fd only works in main thread of the main interpreter"));
    }
    if fd != -1 {
        // SAFETY: fstat/fcntl on an integer descriptor; `st` is a live local.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        if unsafe { libc::fstat(fd, &mut st) } != 0 {
            return Err(crate::posix::path::errno_err(vm, None));
        }
        // SAFETY: as above.
        let fl = unsafe { libc::fcntl(fd, libc::F_GETFL) };
        if fl >= 0 && fl & libc::O_NONBLOCK == 0 {
            return Err(vm.new_value_error(format!("the fd {fd} must be in non-blocking mode")));
        }
    }
    Ok(Value::Int(WAKEUP_FD.swap(fd, Ordering::SeqCst) as i64))
}

fn s_valid_signals(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("valid_signals", args, 0, 0)?;
    let mut out = Vec::new();
    // SAFETY: sigfillset/sigismember on a live local set.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut set);
        for s in 1..NSIG as i32 {
            if libc::sigismember(&set, s) == 1 {
                out.push(Value::Int(s as i64));
            }
        }
    }
    vm.new_set(out)
}

fn s_raise_signal(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "raise_signal", &args, 1, 1)?;
    let sig = signum_arg(vm, &a[0])?;
    // SAFETY: raise(3) with a checked signal number.
    if unsafe { libc::raise(sig) } != 0 {
        return Err(crate::posix::path::errno_err(vm, None));
    }
    check_signals(vm)?;
    Ok(Value::None)
}

fn s_alarm(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "alarm", &args, 1, 1)?;
    let secs = crate::posix::fd::fd_arg(vm, &a[0])?;
    // SAFETY: alarm(2) only arms a timer.
    Ok(Value::Int(unsafe { libc::alarm(secs as libc::c_uint) } as i64))
}

fn s_pause(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("pause", args, 0, 0)?;
    // SAFETY: pause(2) returns when a signal is caught; the GIL is released meanwhile.
    vm.allow_threads(|| unsafe { libc::pause() });
    check_signals(vm)?;
    Ok(Value::None)
}

fn s_strsignal(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "strsignal", &args, 1, 1)?;
    let sig = signum_arg(vm, &a[0])?;
    // SAFETY: strsignal returns a pointer to a NUL-terminated string (or null), copied at once.
    let p = unsafe { libc::strsignal(sig) };
    if p.is_null() {
        return Ok(Value::None);
    }
    // SAFETY: non-null, NUL-terminated (see above).
    let s = unsafe { std::ffi::CStr::from_ptr(p) }.to_string_lossy().into_owned();
    if s.starts_with("Unknown signal") {
        return Ok(Value::None);
    }
    Ok(vm.new_str(s))
}

fn s_siginterrupt(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "siginterrupt", &args, 2, 2)?;
    let sig = signum_arg(vm, &a[0])?;
    let flag = crate::posix::fd::fd_arg(vm, &a[1])?;
    // SAFETY: reads and rewrites this signal's sigaction through live locals.
    let r = unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        libc::sigaction(sig, std::ptr::null(), &mut sa);
        if flag != 0 {
            sa.sa_flags &= !libc::SA_RESTART;
        } else {
            sa.sa_flags |= libc::SA_RESTART;
        }
        libc::sigaction(sig, &sa, std::ptr::null_mut())
    };
    if r != 0 {
        return Err(crate::posix::path::errno_err(vm, None));
    }
    Ok(Value::None)
}

fn s_pthread_sigmask(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "pthread_sigmask", &args, 2, 2)?;
    let how = crate::posix::fd::fd_arg(vm, &a[0])?;
    let sigs = vm.collect_iter(&a[1])?;
    // SAFETY: sigset operations on live locals; pthread_sigmask writes `old`.
    let (r, old) = unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for s in &sigs {
            let n = signum_arg(vm, s)?;
            libc::sigaddset(&mut set, n);
        }
        (libc::pthread_sigmask(how, &set, &mut old), old)
    };
    if r != 0 {
        return Err(crate::posix::path::raw_err(vm, r, None));
    }
    let mut out = Vec::new();
    for s in 1..NSIG as i32 {
        // SAFETY: sigismember reads the live `old` set.
        if unsafe { libc::sigismember(&old, s) } == 1 {
            out.push(Value::Int(s as i64));
        }
    }
    check_signals(vm)?;
    vm.new_set(out)
}

fn s_pthread_kill(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "pthread_kill", &args, 2, 2)?;
    let id = match &a[0] {
        Value::Int(i) => Some(*i),
        v if krait_vm::types::int::is_int(v) => None,
        v => return Err(vm.new_type_error(format!("pthread_kill() argument 1 must be int, not {}", vm.type_name_of(v)))),
    };
    let sig = crate::posix::fd::fd_arg(vm, &a[1])?;
    // A thread that is not (or no longer) running gets ESRCH rather than
    // the crash pthread_kill may give.
    let Some(id) = id.filter(|&id| crate::thread::is_live(id)) else {
        return Err(crate::posix::path::raw_err(vm, libc::ESRCH, None));
    };
    // SAFETY: `id` is the pthread_t of a thread that has not finished (see
    // `thread::is_live`); a bad signal number gives EINVAL.
    let r = unsafe { libc::pthread_kill(id as libc::pthread_t, sig) };
    if r != 0 {
        return Err(crate::posix::path::raw_err(vm, r, None));
    }
    check_signals(vm)?;
    Ok(Value::None)
}

static FUNCS: &[NativeDef] = &[
    NativeDef::function("signal", s_signal),
    NativeDef::function("getsignal", s_getsignal),
    NativeDef::function("default_int_handler", s_default_int_handler),
    NativeDef::function("set_wakeup_fd", s_set_wakeup_fd),
    NativeDef::function("valid_signals", s_valid_signals),
    NativeDef::function("raise_signal", s_raise_signal),
    NativeDef::function("alarm", s_alarm),
    NativeDef::function("pause", s_pause),
    NativeDef::function("strsignal", s_strsignal),
    NativeDef::function("siginterrupt", s_siginterrupt),
    NativeDef::function("pthread_sigmask", s_pthread_sigmask),
    NativeDef::function("pthread_kill", s_pthread_kill),
];

fn constants() -> Vec<(&'static str, i64)> {
    use libc::*;
    let c = |n: &'static str, v: c_int| (n, v as i64);
    vec![
        c("SIGHUP", SIGHUP), c("SIGINT", SIGINT), c("SIGQUIT", SIGQUIT), c("SIGILL", SIGILL),
        c("SIGTRAP", SIGTRAP), c("SIGABRT", SIGABRT), c("SIGIOT", SIGIOT), c("SIGBUS", SIGBUS),
        c("SIGFPE", SIGFPE), c("SIGKILL", SIGKILL), c("SIGUSR1", SIGUSR1), c("SIGSEGV", SIGSEGV),
        c("SIGUSR2", SIGUSR2), c("SIGPIPE", SIGPIPE), c("SIGALRM", SIGALRM), c("SIGTERM", SIGTERM),
        c("SIGSTKFLT", SIGSTKFLT), c("SIGCHLD", SIGCHLD), c("SIGCLD", SIGCHLD), c("SIGCONT", SIGCONT),
        c("SIGSTOP", SIGSTOP), c("SIGTSTP", SIGTSTP), c("SIGTTIN", SIGTTIN), c("SIGTTOU", SIGTTOU),
        c("SIGURG", SIGURG), c("SIGXCPU", SIGXCPU), c("SIGXFSZ", SIGXFSZ), c("SIGVTALRM", SIGVTALRM),
        c("SIGPROF", SIGPROF), c("SIGWINCH", SIGWINCH), c("SIGIO", SIGIO), c("SIGPOLL", SIGPOLL),
        c("SIGPWR", SIGPWR), c("SIGSYS", SIGSYS), c("SIGRTMIN", 34), c("SIGRTMAX", 64),
        c("NSIG", NSIG as c_int), c("SIG_DFL", 0), c("SIG_IGN", 1),
        c("SIG_BLOCK", SIG_BLOCK), c("SIG_UNBLOCK", SIG_UNBLOCK), c("SIG_SETMASK", SIG_SETMASK),
        c("ITIMER_REAL", ITIMER_REAL), c("ITIMER_VIRTUAL", ITIMER_VIRTUAL), c("ITIMER_PROF", ITIMER_PROF),
    ]
}

/// Creates the `_signal` module (and records the handlers the OS has now).
pub fn make_module(vm: &Vm) -> PyResult<krait_vm::PyRef> {
    ignore_startup_signals();
    if vm.gil.is_main_thread() {
        crate::thread::note_thread();
    }
    let attrs: Vec<(&str, Value)> = constants().into_iter().map(|(n, v)| (n, Value::Int(v))).collect();
    let m = crate::native::make_module(vm, "_signal", "", FUNCS, attrs);
    let dict = match &m.payload {
        krait_vm::payload::Payload::Module(md) => md.dict.clone(),
        _ => return Err(vm.new_system_error("_signal is not a module")),
    };
    let dflt = vm.dict_get_str(&dict, &vm.intern("default_int_handler")).unwrap_or(Value::None);
    let st = vm.state::<SignalState>();
    let old_default = st.default_int.replace(Some(dflt.clone()));
    let mut hs = vec![Value::None; NSIG];
    for (sig, slot) in hs.iter_mut().enumerate().skip(1) {
        // SAFETY: queries (does not change) the disposition into a live local.
        let cur = unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(sig as i32, std::ptr::null(), &mut sa) != 0 {
                continue;
            }
            sa.sa_sigaction
        };
        *slot = if cur == libc::SIG_IGN { Value::Int(1) } else if cur == libc::SIG_DFL { Value::Int(0) } else { Value::None };
    }
    // SIGINT gets default_int_handler unless it was ignored at start-up
    // (a background job of a shell without job control), as in CPython.
    let sigint_ignored = matches!(hs[libc::SIGINT as usize], Value::Int(1));
    if !sigint_ignored {
        hs[libc::SIGINT as usize] = dflt.clone();
    }
    let old_handlers = st.handlers.replace(hs);
    // A module made again: the old values die outside the borrows.
    drop((old_default, old_handlers));
    if !sigint_ignored {
        install(vm, libc::SIGINT, &dflt)?;
    }
    let ie = vm.exc.os_error.clone();
    vm.dict_set_str(&dict, &vm.intern("ItimerError"), Value::Obj(ie));
    Ok(m)
}
