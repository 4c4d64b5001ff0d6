//! The process and the system: ids, umask, kill/waitpid, _exit, uname,
//! times, cpu_count, urandom, strerror and the wait-status macros; fork and
//! its hooks (`register_at_fork`), the wait family, sessions and process
//! groups, exec, sysconf/confstr.

use super::fd::fd_arg;
use super::path::{errno_err, path_arg};
use crate::native::unpack;
use krait_vm::{Args, PyResult, Value, Vm};
use std::cell::RefCell;
use std::ffi::CString;
use std::io::Read;

/// Positional-only arguments checked as CPython's clinic words it for
/// functions of several arguments: "kill() takes exactly 2 arguments (1 given)".
fn exact<'a>(vm: &Vm, name: &str, args: &Args<'a>, n: usize) -> PyResult<&'a [Value]> {
    crate::native::no_kwargs(vm, name, args)?;
    let k = args.args.len();
    if k != n {
        let s = if n == 1 { "" } else { "s" };
        return Err(vm.new_type_error(format!("{name}() takes exactly {n} argument{s} ({k} given)")));
    }
    Ok(args.args)
}

/// `posix.fork() takes no arguments (1 given)` (METH_NOARGS wording).
fn no_args(vm: &Vm, name: &str, args: &Args) -> PyResult<()> {
    crate::native::no_kwargs(vm, name, args)?;
    if !args.args.is_empty() {
        return Err(vm.new_type_error(format!("posix.{name}() takes no arguments ({} given)", args.args.len())));
    }
    Ok(())
}

/// A one-argument positional-only function (METH_O wording).
fn one_arg<'a>(vm: &Vm, name: &str, args: &Args<'a>) -> PyResult<&'a Value> {
    crate::native::no_kwargs(vm, name, args)?;
    if args.args.len() != 1 {
        let k = args.args.len();
        return Err(vm.new_type_error(format!("posix.{name}() takes exactly one argument ({k} given)")));
    }
    Ok(&args.args[0])
}

/// A clinic-converted single positional-only argument named `arg`.
fn single<'a>(vm: &Vm, name: &str, arg: &str, args: &Args<'a>) -> PyResult<&'a Value> {
    crate::native::no_kwargs(vm, name, args)?;
    match args.args.len() {
        1 => Ok(&args.args[0]),
        0 => Err(vm.new_type_error(format!("{name}() missing required argument '{arg}' (pos 1)"))),
        k => Err(vm.new_type_error(format!("{name}() takes at most 1 argument ({k} given)"))),
    }
}

macro_rules! id_getters {
    ($($fname:ident: $name:literal => $call:ident;)*) => {$(
        pub fn $fname(vm: &Vm, args: Args) -> PyResult {
            unpack(vm, $name, &args, 0, 0)?;
            // SAFETY: these calls take no arguments and cannot fail.
            Ok(Value::Int(unsafe { libc::$call() } as i64))
        }
    )*};
}

id_getters! {
    os_getpid: "getpid" => getpid;
    os_getppid: "getppid" => getppid;
    os_getuid: "getuid" => getuid;
    os_geteuid: "geteuid" => geteuid;
    os_getgid: "getgid" => getgid;
    os_getegid: "getegid" => getegid;
    os_getpgrp: "getpgrp" => getpgrp;
}

pub fn os_umask(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "umask", &args, 1, 1)?;
    let mask = fd_arg(vm, &a[0])?;
    // SAFETY: plain integer argument; umask cannot fail.
    Ok(Value::Int(unsafe { libc::umask(mask as libc::mode_t) } as i64))
}

pub fn os_kill(vm: &Vm, args: Args) -> PyResult {
    let a = exact(vm, "kill", &args, 2)?;
    let pid = fd_arg(vm, &a[0])?;
    let sig = fd_arg(vm, &a[1])?;
    // SAFETY: plain integer arguments.
    if unsafe { libc::kill(pid, sig) } != 0 {
        return Err(errno_err(vm, None));
    }
    Ok(Value::None)
}

pub fn os_waitpid(vm: &Vm, args: Args) -> PyResult {
    let a = exact(vm, "waitpid", &args, 2)?;
    let pid = fd_arg(vm, &a[0])?;
    let options = fd_arg(vm, &a[1])?;
    let (r, status) = wait_retrying(vm, move || {
        let mut status: libc::c_int = 0;
        // SAFETY: `status` receives the child's status.
        let r = unsafe { libc::waitpid(pid, &mut status, options) };
        (r, status)
    })?;
    Ok(vm.new_tuple(vec![Value::Int(r as i64), Value::Int(status as i64)]))
}

pub fn os_wait(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "wait", &args)?;
    let (r, status) = wait_retrying(vm, || {
        let mut status: libc::c_int = 0;
        // SAFETY: `status` receives the child's status.
        let r = unsafe { libc::wait(&mut status) };
        (r, status)
    })?;
    Ok(vm.new_tuple(vec![Value::Int(r as i64), Value::Int(status as i64)]))
}

/// Runs a blocking wait call with the GIL released, retrying after EINTR
/// once the signal handlers have run (PEP 475); a handler's exception wins.
fn wait_retrying(
    vm: &Vm,
    call: impl Fn() -> (libc::pid_t, libc::c_int) + Send + Copy,
) -> PyResult<(libc::pid_t, libc::c_int)> {
    loop {
        let (r, status, err) = vm.allow_threads(move || {
            let (r, status) = call();
            (r, status, std::io::Error::last_os_error())
        });
        if r >= 0 {
            return Ok((r, status));
        }
        if err.raw_os_error() != Some(libc::EINTR) {
            return Err(super::path::io_err(vm, &err, None, None));
        }
        crate::signal::check_signals(vm)?;
    }
}

pub fn os_killpg(vm: &Vm, args: Args) -> PyResult {
    let a = exact(vm, "killpg", &args, 2)?;
    let pgid = fd_arg(vm, &a[0])?;
    let sig = fd_arg(vm, &a[1])?;
    // SAFETY: plain integer arguments.
    if unsafe { libc::killpg(pgid, sig) } != 0 {
        return Err(errno_err(vm, None));
    }
    Ok(Value::None)
}

/// Fails with the current errno when a libc call returned a negative value.
fn check(vm: &Vm, r: libc::c_int) -> PyResult<libc::c_int> {
    if r < 0 {
        Err(errno_err(vm, None))
    } else {
        Ok(r)
    }
}

pub fn os_setsid(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "setsid", &args)?;
    // SAFETY: no arguments.
    check(vm, unsafe { libc::setsid() })?;
    Ok(Value::None)
}

pub fn os_setpgrp(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "setpgrp", &args)?;
    // SAFETY: plain integer arguments.
    check(vm, unsafe { libc::setpgid(0, 0) })?;
    Ok(Value::None)
}

pub fn os_setpgid(vm: &Vm, args: Args) -> PyResult {
    let a = exact(vm, "setpgid", &args, 2)?;
    let pid = fd_arg(vm, &a[0])?;
    let pgrp = fd_arg(vm, &a[1])?;
    // SAFETY: plain integer arguments.
    check(vm, unsafe { libc::setpgid(pid, pgrp) })?;
    Ok(Value::None)
}

pub fn os_getpgid(vm: &Vm, args: Args) -> PyResult {
    let pid = fd_arg(vm, single(vm, "getpgid", "pid", &args)?)?;
    // SAFETY: plain integer argument.
    Ok(Value::Int(check(vm, unsafe { libc::getpgid(pid) })? as i64))
}

pub fn os_getsid(vm: &Vm, args: Args) -> PyResult {
    let pid = fd_arg(vm, single(vm, "getsid", "pid", &args)?)?;
    // SAFETY: plain integer argument.
    Ok(Value::Int(check(vm, unsafe { libc::getsid(pid) })? as i64))
}

// ---- fork ----

/// The callables given to `register_at_fork`, per interpreter.
#[derive(Default)]
struct ForkHooks {
    before: RefCell<Vec<Value>>,
    after_in_child: RefCell<Vec<Value>>,
    after_in_parent: RefCell<Vec<Value>>,
}

/// Calls each hook; a failing hook is reported as unraisable and the
/// others still run (CPython's `run_at_forkers`).
fn run_hooks(vm: &Vm, hooks: Vec<Value>) {
    for f in hooks {
        if let Err(e) = vm.call(&f, Args::new(&[])) {
            krait_vm::finalize::write_unraisable(vm, &e, None, Some(&f));
        }
    }
}

/// Before a fork: the `before` hooks, last registered first.
pub fn before_fork(vm: &Vm) {
    let mut hooks = vm.state::<ForkHooks>().before.borrow().clone();
    hooks.reverse();
    run_hooks(vm, hooks);
}

/// In the child after a fork: the forking thread takes over the GIL, then
/// the `after_in_child` hooks run in registration order.
pub fn after_fork_child(vm: &Vm) {
    vm.after_fork_child();
    crate::thread::after_fork_child();
    let hooks = vm.state::<ForkHooks>().after_in_child.borrow().clone();
    run_hooks(vm, hooks);
}

/// In the parent after a fork: the `after_in_parent` hooks in registration order.
pub fn after_fork_parent(vm: &Vm) {
    let hooks = vm.state::<ForkHooks>().after_in_parent.borrow().clone();
    run_hooks(vm, hooks);
}

pub fn os_register_at_fork(vm: &Vm, args: Args) -> PyResult {
    if !args.positional().is_empty() {
        return Err(vm.new_type_error("register_at_fork() takes no positional arguments"));
    }
    let names = ["before", "after_in_child", "after_in_parent"];
    let b = vm.bind_native("register_at_fork", args, &names, 0, 0, Some(0))?;
    if b.iter().all(|v| v.is_none()) {
        return Err(vm.new_type_error("At least one argument is required."));
    }
    for (v, name) in b.iter().zip(names) {
        if let Some(v) = v {
            if !vm.is_callable(v) {
                return Err(vm.new_type_error(format!("'{name}' must be callable, not {}", vm.type_name_of(v))));
            }
        }
    }
    let st = vm.state::<ForkHooks>();
    let lists = [&st.before, &st.after_in_child, &st.after_in_parent];
    for (v, list) in b.into_iter().zip(lists) {
        if let Some(v) = v {
            list.borrow_mut().push(v);
        }
    }
    Ok(Value::None)
}

/// fork() itself, with the GIL's internal mutex held across the call so
/// the child does not inherit it locked (see `Vm::fork_guard`). Returns
/// the result and the errno of a failure.
pub fn raw_fork(vm: &Vm) -> (libc::pid_t, std::io::Error) {
    let _g = vm.fork_guard();
    // SAFETY: fork has no memory-safety preconditions; the child only runs
    // the forking thread, whose state (GIL included) is set up by the caller.
    let pid = unsafe { libc::fork() };
    (pid, std::io::Error::last_os_error())
}

/// Runs `fork` (a libc fork returning the pid, -1 on failure) between
/// the `os.register_at_fork` hooks, with the GIL's internal mutex held as
/// in `raw_fork`.
fn fork_with_hooks(vm: &Vm, fork: impl FnOnce() -> libc::pid_t) -> PyResult<libc::pid_t> {
    before_fork(vm);
    let (pid, err) = {
        let _g = vm.fork_guard();
        let pid = fork();
        (pid, std::io::Error::last_os_error())
    };
    if pid == 0 {
        after_fork_child(vm);
    } else {
        after_fork_parent(vm);
    }
    if pid < 0 {
        return Err(super::path::io_err(vm, &err, None, None));
    }
    Ok(pid)
}

pub fn os_fork(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "fork", &args)?;
    // SAFETY: fork has no memory-safety preconditions; the child only runs
    // the forking thread, whose state is set up by `after_fork_child`.
    let pid = fork_with_hooks(vm, || unsafe { libc::fork() })?;
    Ok(Value::Int(pid as i64))
}

/// `os.forkpty()`: a fork whose child runs on a new pseudo-terminal (as
/// its session leader and controlling terminal); the parent gets the
/// master end.
pub fn os_forkpty(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "forkpty", &args)?;
    let mut master: libc::c_int = -1;
    let out = &mut master;
    // SAFETY: as in `os_fork`; `out` is a valid out-pointer, and the name,
    // termios and winsize pointers may be null.
    let pid = fork_with_hooks(vm, || unsafe {
        libc::forkpty(out, std::ptr::null_mut(), std::ptr::null(), std::ptr::null())
    })?;
    Ok(vm.new_tuple(vec![Value::Int(pid as i64), Value::Int(master as i64)]))
}

// ---- exec ----

/// An argv list or tuple as C strings (`execv()` wording for errors).
fn exec_argv(vm: &Vm, func: &str, v: &Value) -> PyResult<Vec<CString>> {
    let items = vm.seq_items(v).ok_or_else(|| vm.new_type_error(format!("{func}() arg 2 must be a tuple or list")))?;
    if items.is_empty() {
        return Err(vm.new_value_error(format!("{func}() arg 2 must not be empty")));
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, it) in items.iter().enumerate() {
        let p = path_arg(vm, func, "args", it, false)?;
        if i == 0 && p.bytes.is_empty() {
            return Err(vm.new_value_error(format!("{func}() arg 2 first element cannot be empty")));
        }
        out.push(p.cstr());
    }
    Ok(out)
}

fn ptr_array(v: &[CString]) -> Vec<*const libc::c_char> {
    v.iter().map(|c| c.as_ptr()).chain(std::iter::once(std::ptr::null())).collect()
}

pub fn os_execv(vm: &Vm, args: Args) -> PyResult {
    let a = exact(vm, "execv", &args, 2)?;
    let path = path_arg(vm, "execv", "path", &a[0], false)?;
    let argv = exec_argv(vm, "execv", &a[1])?;
    let ptrs = ptr_array(&argv);
    let cpath = path.cstr();
    // SAFETY: the path and the NULL-terminated argv point into live CStrings.
    unsafe { libc::execv(cpath.as_ptr(), ptrs.as_ptr()) };
    Err(errno_err(vm, None))
}

/// An environment mapping as "KEY=value" C strings (CPython's `parse_envlist`).
pub fn env_list(vm: &Vm, env: &Value) -> PyResult<Vec<CString>> {
    let keys = vm.call_method(env, "keys", &[])?;
    let vals = vm.call_method(env, "values", &[])?;
    let keys = vm.collect_iter(&keys)?;
    let vals = vm.collect_iter(&vals)?;
    let mut out = Vec::with_capacity(keys.len());
    for (k, v) in keys.iter().zip(vals.iter()) {
        let k = path_arg(vm, "execve", "env", k, false)?.bytes;
        let v = path_arg(vm, "execve", "env", v, false)?.bytes;
        if k.is_empty() || k[1..].contains(&b'=') {
            return Err(vm.new_value_error("illegal environment variable name"));
        }
        let mut kv = k;
        kv.push(b'=');
        kv.extend_from_slice(&v);
        out.push(CString::new(kv).unwrap_or_default());
    }
    Ok(out)
}

pub fn os_execve(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("execve", args, &["path", "argv", "env"], 0, 3, None)?;
    let (pathv, argvv, envv) = (b[0].as_ref().unwrap(), b[1].as_ref().unwrap(), b[2].as_ref().unwrap());
    let path = path_arg(vm, "execve", "path", pathv, false)?;
    let argv = exec_argv(vm, "execve", argvv)?;
    let env = env_list(vm, envv)?;
    let (aptrs, eptrs) = (ptr_array(&argv), ptr_array(&env));
    let cpath = path.cstr();
    // SAFETY: path, argv and envp point into live CStrings and are NULL-terminated.
    unsafe { libc::execve(cpath.as_ptr(), aptrs.as_ptr(), eptrs.as_ptr()) };
    Err(errno_err(vm, Some(&path)))
}

// ---- sysconf / confstr ----

/// The `sysconf` names krait knows (Linux values, from libc).
fn sysconf_table() -> Vec<(&'static str, libc::c_int)> {
    use libc::*;
    vec![
        ("SC_ARG_MAX", _SC_ARG_MAX), ("SC_CHILD_MAX", _SC_CHILD_MAX), ("SC_CLK_TCK", _SC_CLK_TCK),
        ("SC_NGROUPS_MAX", _SC_NGROUPS_MAX), ("SC_OPEN_MAX", _SC_OPEN_MAX), ("SC_STREAM_MAX", _SC_STREAM_MAX),
        ("SC_TZNAME_MAX", _SC_TZNAME_MAX), ("SC_JOB_CONTROL", _SC_JOB_CONTROL), ("SC_SAVED_IDS", _SC_SAVED_IDS),
        ("SC_VERSION", _SC_VERSION), ("SC_PAGESIZE", _SC_PAGESIZE), ("SC_PAGE_SIZE", _SC_PAGE_SIZE),
        ("SC_NPROCESSORS_CONF", _SC_NPROCESSORS_CONF), ("SC_NPROCESSORS_ONLN", _SC_NPROCESSORS_ONLN),
        ("SC_PHYS_PAGES", _SC_PHYS_PAGES), ("SC_AVPHYS_PAGES", _SC_AVPHYS_PAGES),
        ("SC_SEM_NSEMS_MAX", _SC_SEM_NSEMS_MAX), ("SC_SEM_VALUE_MAX", _SC_SEM_VALUE_MAX),
        ("SC_SIGQUEUE_MAX", _SC_SIGQUEUE_MAX), ("SC_RTSIG_MAX", _SC_RTSIG_MAX), ("SC_TIMER_MAX", _SC_TIMER_MAX),
        ("SC_IOV_MAX", _SC_IOV_MAX), ("SC_LINE_MAX", _SC_LINE_MAX), ("SC_HOST_NAME_MAX", _SC_HOST_NAME_MAX),
        ("SC_LOGIN_NAME_MAX", _SC_LOGIN_NAME_MAX), ("SC_TTY_NAME_MAX", _SC_TTY_NAME_MAX),
        ("SC_SYMLOOP_MAX", _SC_SYMLOOP_MAX), ("SC_GETPW_R_SIZE_MAX", _SC_GETPW_R_SIZE_MAX),
        ("SC_GETGR_R_SIZE_MAX", _SC_GETGR_R_SIZE_MAX), ("SC_THREADS", _SC_THREADS),
        ("SC_THREAD_STACK_MIN", _SC_THREAD_STACK_MIN), ("SC_THREAD_THREADS_MAX", _SC_THREAD_THREADS_MAX),
        ("SC_THREAD_KEYS_MAX", _SC_THREAD_KEYS_MAX), ("SC_SEMAPHORES", _SC_SEMAPHORES),
        ("SC_MQ_OPEN_MAX", _SC_MQ_OPEN_MAX), ("SC_MQ_PRIO_MAX", _SC_MQ_PRIO_MAX),
        ("SC_ATEXIT_MAX", _SC_ATEXIT_MAX), ("SC_BC_BASE_MAX", _SC_BC_BASE_MAX), ("SC_BC_DIM_MAX", _SC_BC_DIM_MAX),
        ("SC_BC_SCALE_MAX", _SC_BC_SCALE_MAX), ("SC_BC_STRING_MAX", _SC_BC_STRING_MAX),
        ("SC_COLL_WEIGHTS_MAX", _SC_COLL_WEIGHTS_MAX), ("SC_EXPR_NEST_MAX", _SC_EXPR_NEST_MAX),
        ("SC_RE_DUP_MAX", _SC_RE_DUP_MAX), ("SC_2_VERSION", _SC_2_VERSION), ("SC_XOPEN_VERSION", _SC_XOPEN_VERSION),
        ("SC_MINSIGSTKSZ", 249),
    ]
}

/// A configuration name: a str looked up in `table` or an int.
fn conf_name(vm: &Vm, v: &Value, table: &[(&str, libc::c_int)]) -> PyResult<libc::c_int> {
    if let Some(s) = vm.as_str(v) {
        return table
            .iter()
            .find(|(n, _)| *n == s)
            .map(|(_, c)| *c)
            .ok_or_else(|| vm.new_value_error("unrecognized configuration name"));
    }
    if matches!(v, Value::Int(_) | Value::Bool(_)) || v.payload().and_then(|p| p.as_int()).is_some() {
        return fd_arg(vm, v);
    }
    Err(vm.new_type_error("configuration names must be strings or integers"))
}

pub fn os_sysconf(vm: &Vm, args: Args) -> PyResult {
    let name = conf_name(vm, one_arg(vm, "sysconf", &args)?, &sysconf_table())?;
    // SAFETY: errno is this thread's; sysconf only reads the name.
    let r = unsafe {
        *libc::__errno_location() = 0;
        libc::sysconf(name)
    };
    if r == -1 && std::io::Error::last_os_error().raw_os_error() != Some(0) {
        return Err(errno_err(vm, None));
    }
    Ok(Value::Int(r as i64))
}

fn confstr_table() -> Vec<(&'static str, libc::c_int)> {
    // _CS_PATH, _CS_GNU_LIBC_VERSION, _CS_GNU_LIBPTHREAD_VERSION (glibc's values).
    vec![("CS_PATH", 0), ("CS_GNU_LIBC_VERSION", 2), ("CS_GNU_LIBPTHREAD_VERSION", 3)]
}

extern "C" {
    fn confstr(name: libc::c_int, buf: *mut libc::c_char, len: libc::size_t) -> libc::size_t;
}

pub fn os_confstr(vm: &Vm, args: Args) -> PyResult {
    let name = conf_name(vm, one_arg(vm, "confstr", &args)?, &confstr_table())?;
    let mut buf = vec![0u8; 256];
    loop {
        // SAFETY: `buf` is writable for its length; errno is this thread's.
        let n = unsafe {
            *libc::__errno_location() = 0;
            confstr(name, buf.as_mut_ptr().cast(), buf.len())
        };
        if n == 0 {
            let err = std::io::Error::last_os_error();
            if err.raw_os_error() != Some(0) {
                return Err(super::path::io_err(vm, &err, None, None));
            }
            return Ok(Value::None);
        }
        if n <= buf.len() {
            return Ok(vm.new_str(String::from_utf8_lossy(&buf[..n - 1]).into_owned()));
        }
        buf.resize(n, 0);
    }
}

pub fn os_exit(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("_exit", args, &["status"], 0, 1, None)?;
    let code = fd_arg(vm, b[0].as_ref().unwrap())?;
    // SAFETY: ends the process at once without cleanup, as os._exit must.
    unsafe { libc::_exit(code) }
}

fn cstr_field(f: &[libc::c_char]) -> String {
    let bytes: Vec<u8> = f.iter().take_while(|&&c| c != 0).map(|&c| c as u8).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

pub fn os_uname(vm: &Vm, args: Args) -> PyResult {
    unpack(vm, "uname", &args, 0, 0)?;
    let mut u = std::mem::MaybeUninit::<libc::utsname>::uninit();
    // SAFETY: uname fills the struct when it returns 0.
    if unsafe { libc::uname(u.as_mut_ptr()) } != 0 {
        return Err(errno_err(vm, None));
    }
    // SAFETY: initialised by the successful call above.
    let u = unsafe { u.assume_init() };
    let fields = [&u.sysname[..], &u.nodename[..], &u.release[..], &u.version[..], &u.machine[..]];
    let vals = fields.iter().map(|f| vm.new_str(cstr_field(f))).collect();
    let cls = super::helper(vm, "uname_result")?;
    vm.call(&cls, Args::new(&[vm.new_tuple(vals)]))
}

pub fn os_times(vm: &Vm, args: Args) -> PyResult {
    unpack(vm, "times", &args, 0, 0)?;
    let mut t = libc::tms { tms_utime: 0, tms_stime: 0, tms_cutime: 0, tms_cstime: 0 };
    // SAFETY: times fills `t`; the result is the elapsed clock ticks.
    let elapsed = unsafe { libc::times(&mut t) };
    // SAFETY: sysconf has no side effects.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    let vals = [t.tms_utime, t.tms_stime, t.tms_cutime, t.tms_cstime, elapsed];
    let vals = vals.iter().map(|&v| Value::Float(v as f64 / hz)).collect();
    let cls = super::helper(vm, "times_result")?;
    vm.call(&cls, Args::new(&[vm.new_tuple(vals)]))
}

pub fn os_cpu_count(vm: &Vm, args: Args) -> PyResult {
    unpack(vm, "cpu_count", &args, 0, 0)?;
    // SAFETY: sysconf has no side effects.
    let n = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) };
    Ok(if n < 1 { Value::None } else { Value::Int(n as i64) })
}

pub fn os_urandom(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "urandom", &args, 1, 1)?;
    let n = vm.to_index_i64(&a[0])?;
    if n < 0 {
        return Err(vm.new_value_error("negative argument not allowed"));
    }
    let mut buf = super::fd::alloc_buf(vm, n as usize)?;
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .map_err(|e| super::path::io_err(vm, &e, None, None))?;
    Ok(vm.new_bytes(buf))
}

/// The C library's message for an errno value.
pub fn strerror_text(code: i32) -> String {
    let text = std::io::Error::from_raw_os_error(code).to_string();
    // Rust appends " (os error N)".
    match text.rfind(" (os error ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

pub fn os_strerror(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "strerror", &args, 1, 1)?;
    Ok(vm.new_str(strerror_text(fd_arg(vm, &a[0])?)))
}

macro_rules! wait_macros {
    ($($fname:ident: $name:literal => |$s:ident| $e:expr;)*) => {$(
        pub fn $fname(vm: &Vm, args: Args) -> PyResult {
            let b = vm.bind_native($name, args, &["status"], 0, 1, None)?;
            let $s = fd_arg(vm, b[0].as_ref().unwrap())?;
            Ok($e)
        }
    )*};
}

wait_macros! {
    os_wifexited: "WIFEXITED" => |s| Value::Bool(libc::WIFEXITED(s));
    os_wexitstatus: "WEXITSTATUS" => |s| Value::Int(libc::WEXITSTATUS(s) as i64);
    os_wifsignaled: "WIFSIGNALED" => |s| Value::Bool(libc::WIFSIGNALED(s));
    os_wtermsig: "WTERMSIG" => |s| Value::Int(libc::WTERMSIG(s) as i64);
    os_wifstopped: "WIFSTOPPED" => |s| Value::Bool(libc::WIFSTOPPED(s));
    os_wstopsig: "WSTOPSIG" => |s| Value::Int(libc::WSTOPSIG(s) as i64);
    os_wcoredump: "WCOREDUMP" => |s| Value::Bool(libc::WCOREDUMP(s));
    os_wifcontinued: "WIFCONTINUED" => |s| Value::Bool(libc::WIFCONTINUED(s));
}

pub fn os_waitstatus_to_exitcode(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("waitstatus_to_exitcode", args, &["status"], 0, 1, None)?;
    let s = fd_arg(vm, b[0].as_ref().unwrap())?;
    if libc::WIFEXITED(s) {
        return Ok(Value::Int(libc::WEXITSTATUS(s) as i64));
    }
    if libc::WIFSIGNALED(s) {
        return Ok(Value::Int(-(libc::WTERMSIG(s) as i64)));
    }
    if libc::WIFSTOPPED(s) {
        return Err(vm.new_value_error(format!("process stopped by delivery of signal {}", libc::WSTOPSIG(s))));
    }
    Err(vm.new_value_error(format!("invalid wait status: {s}")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn strerror_has_no_rust_suffix() {
        assert_eq!(super::strerror_text(2), "No such file or directory");
        assert_eq!(super::strerror_text(9999), "Unknown error 9999");
    }
}
