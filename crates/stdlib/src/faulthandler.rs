//! `faulthandler`: tracebacks written straight to a file descriptor.
//!
//! `dump_traceback` writes the running thread's Python stack in CPython's
//! layout. krait's fatal errors are Rust panics, which print their own
//! report, so `enable` records the setting (`is_enabled`) and checks the
//! file as CPython does but installs no signal handler.
//! `dump_traceback_later` arms a watchdog thread that writes CPython's
//! "Timeout (h:mm:ss)!" line when the time runs out (and exits the process
//! if asked). It cannot list the stacks: reading another thread's frames
//! without the GIL is unsafe in krait, and the watchdog never holds it.
//! `register` makes a signal dump the stack: the signal module's C handler
//! records it, and the dump is written when the main thread checks its
//! signals (where the GIL is held and frames can be read), before the
//! Python handler or, with `chain`, the default action.

use crate::native::make_module as native_module;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};

static ENABLED: AtomicBool = AtomicBool::new(false);

/// The armed watchdog: its cancel flag and the condition it waits on.
type Watchdog = Arc<(Mutex<bool>, Condvar)>;
static WATCHDOG: Mutex<Option<Watchdog>> = Mutex::new(None);

/// The descriptor to write to: an int, or a file's `fileno()` (flushed
/// first); `sys.stderr` when `file` is None.
fn file_fd(vm: &Vm, file: Option<&Value>) -> PyResult<i32> {
    let file = match file.filter(|f| !f.is_none()) {
        Some(f) => f.clone(),
        None => match krait_vm::modules::sys::sys_attr(vm, "stderr") {
            Some(e) if !e.is_none() => e,
            _ => return Err(vm.new_runtime_error("sys.stderr is None")),
        },
    };
    if let Value::Int(fd) = file {
        if fd < 0 {
            return Err(vm.new_value_error("file is not a valid file descripter"));
        }
        return i32::try_from(fd).map_err(|_| vm.new_overflow_error("Python int too large to convert to C int"));
    }
    let fd = vm.call_method(&file, "fileno", &[])?;
    let fd = match fd {
        Value::Int(fd) if fd >= 0 => fd as i32,
        _ => return Err(vm.new_runtime_error("file.fileno() is not a valid file descriptor")),
    };
    // Written past the file object's buffer: flush it first, as CPython does.
    let _ = vm.call_method(&file, "flush", &[]);
    Ok(fd)
}

fn write_fd(fd: i32, text: &str) {
    let mut rest = text.as_bytes();
    while !rest.is_empty() {
        // SAFETY: writes from a live buffer of the given length.
        let n = unsafe { libc::write(fd, rest.as_ptr().cast(), rest.len()) };
        if n <= 0 {
            return;
        }
        rest = &rest[n as usize..];
    }
}

/// The running thread's stack, innermost first, in CPython's layout.
fn stack_lines(vm: &Vm) -> String {
    let mut out = String::new();
    let mut depth = 0;
    while let Some(frame) = vm.frame_object_at(depth) {
        let f = Value::Obj(frame);
        let code = vm.getattr_str(&f, "f_code").ok();
        let text = |v: Option<Value>| v.and_then(|v| vm.as_str(&v).map(String::from)).unwrap_or_else(|| "???".into());
        let file = text(code.as_ref().and_then(|c| vm.getattr_str(c, "co_filename").ok()));
        let name = text(code.as_ref().and_then(|c| vm.getattr_str(c, "co_name").ok()));
        let line = match vm.getattr_str(&f, "f_lineno") {
            Ok(Value::Int(n)) => n.to_string(),
            _ => "???".into(),
        };
        out.push_str(&format!("  File \"{file}\", line {line} in {name}\n"));
        depth += 1;
    }
    out
}

fn dump_traceback(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("dump_traceback", args, &["file", "all_threads"], 0, 0, None)?;
    let fd = file_fd(vm, b[0].as_ref())?;
    let all_threads = match &b[1] {
        Some(v) => vm.truthy(v)?,
        None => true,
    };
    dump_for_signal(vm, fd, all_threads);
    Ok(Value::None)
}

/// Writes the running thread's stack to `fd` (also the dump of a
/// registered signal).
pub(crate) fn dump_for_signal(vm: &Vm, fd: i32, all_threads: bool) {
    let header = if all_threads {
        format!("Current thread 0x{:016x} (most recent call first):\n", crate::thread::ident() as u64)
    } else {
        "Stack (most recent call first):\n".to_string()
    };
    write_fd(fd, &(header + &stack_lines(vm)));
}

/// A signal number for `register`/`unregister`: not one of the fatal
/// signals `enable` handles.
fn user_signum(vm: &Vm, v: &Value) -> PyResult<i32> {
    let sig = crate::posix::fd::fd_arg(vm, v)?;
    if [libc::SIGSEGV, libc::SIGFPE, libc::SIGABRT, libc::SIGBUS, libc::SIGILL].contains(&sig) {
        return Err(vm.new_runtime_error(format!("signal {sig} cannot be registered, use enable() instead")));
    }
    if sig < 1 || sig >= 65 {
        return Err(vm.new_value_error("signal number out of range"));
    }
    Ok(sig)
}

fn register(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("register", args, &["signum", "file", "all_threads", "chain"], 1, 0, None)?;
    let sig = user_signum(vm, b[0].as_ref().unwrap())?;
    let fd = file_fd(vm, b[1].as_ref())?;
    let flag = |v: &Option<Value>, default: bool| v.as_ref().map_or(Ok(default), |v| vm.truthy(v));
    let (all_threads, chain) = (flag(&b[2], true)?, flag(&b[3], false)?);
    crate::signal::register_user(vm, sig, crate::signal::UserSignal { fd, all_threads, chain, active: true })?;
    Ok(Value::None)
}

fn unregister(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("unregister", args, 1, 1)?;
    let sig = user_signum(vm, &args.args[0])?;
    Ok(Value::Bool(crate::signal::unregister_user(vm, sig)?))
}

fn enable(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("enable", args, &["file", "all_threads"], 0, 0, None)?;
    file_fd(vm, b[0].as_ref())?;
    ENABLED.store(true, Ordering::SeqCst);
    Ok(Value::None)
}

fn disable(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("disable", args, 0, 0)?;
    Ok(Value::Bool(ENABLED.swap(false, Ordering::SeqCst)))
}

fn is_enabled(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("is_enabled", args, 0, 0)?;
    Ok(Value::Bool(ENABLED.load(Ordering::SeqCst)))
}

/// Stops an armed watchdog (it wakes at once and writes nothing).
fn cancel_watchdog() {
    let old = WATCHDOG.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(w) = old {
        *w.0.lock().unwrap_or_else(|e| e.into_inner()) = true;
        w.1.notify_all();
    }
}

fn dump_traceback_later(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("dump_traceback_later", args, &["timeout", "repeat", "file", "exit"], 0, 1, None)?;
    let timeout = krait_vm::types::float::float_from_object(vm, b[0].as_ref().unwrap())?;
    if !(timeout > 0.0) || timeout > 1e12 {
        return Err(if timeout > 1e12 {
            vm.new_overflow_error("timeout value is too large")
        } else {
            vm.new_value_error("timeout must be greater than 0")
        });
    }
    let flag = |v: &Option<Value>| v.as_ref().map_or(Ok(false), |v| vm.truthy(v));
    let (repeat, exit) = (flag(&b[1])?, flag(&b[3])?);
    let fd = file_fd(vm, b[2].as_ref())?;
    cancel_watchdog();
    let w: Watchdog = Arc::new((Mutex::new(false), Condvar::new()));
    *WATCHDOG.lock().unwrap_or_else(|e| e.into_inner()) = Some(w.clone());
    let secs = timeout as u64;
    let micros = ((timeout - secs as f64) * 1e6).round() as u64;
    let fraction = if micros > 0 { format!(".{micros:06}") } else { String::new() };
    let header = format!("Timeout ({}:{:02}:{:02}{fraction})!\n", secs / 3600, secs / 60 % 60, secs % 60);
    let period = std::time::Duration::from_secs_f64(timeout);
    let spawned = std::thread::Builder::new().name("faulthandler watchdog".into()).spawn(move || loop {
        let cancelled = w.0.lock().unwrap_or_else(|e| e.into_inner());
        let (cancelled, wait) = w.1.wait_timeout_while(cancelled, period, |c| !*c).unwrap_or_else(|e| e.into_inner());
        if *cancelled || !wait.timed_out() {
            return;
        }
        drop(cancelled);
        write_fd(fd, &header);
        if exit {
            // SAFETY: ends the process at once, as CPython's watchdog does.
            unsafe { libc::_exit(1) };
        }
        if !repeat {
            return;
        }
    });
    spawned.map_err(|_| vm.new_runtime_error("unable to start watchdog thread"))?;
    Ok(Value::None)
}

fn cancel_dump_traceback_later(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("cancel_dump_traceback_later", args, 0, 0)?;
    cancel_watchdog();
    Ok(Value::None)
}

static FUNCS: &[NativeDef] = &[
    NativeDef::function("enable", enable),
    NativeDef::function("disable", disable),
    NativeDef::function("is_enabled", is_enabled),
    NativeDef::function("dump_traceback", dump_traceback),
    NativeDef::function("dump_traceback_later", dump_traceback_later),
    NativeDef::function("cancel_dump_traceback_later", cancel_dump_traceback_later),
    NativeDef::function("register", register),
    NativeDef::function("unregister", unregister),
];

pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    Ok(native_module(vm, "faulthandler", "faulthandler module.", FUNCS, Vec::new()))
}
