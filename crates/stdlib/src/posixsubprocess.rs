//! `_posixsubprocess.fork_exec`, which `subprocess.Popen` (and
//! multiprocessing's spawn) start children with: CPython 3.11's signature
//! and child-side protocol.
//!
//! Everything the child needs (argv, the executables to try, envp, cwd,
//! the descriptors to keep, groups) is converted to C data before fork().
//! The child then makes only async-signal-safe calls: another thread may
//! have held the allocator's or some other lock at the moment of the fork.
//! The one exception is `preexec_fn`, which runs Python code in the child
//! (as in CPython, where the documentation warns it may deadlock when
//! threads are running): the forking thread takes the GIL over and the
//! `os.register_at_fork` hooks run, then the function is called.
//!
//! A failure in the child is reported on `errpipe_write` the way
//! subprocess.py parses it: `OSError:<errno in hex>:` (plus `noexec` when
//! exec was never reached, so the error is about `cwd`), or
//! `SubprocessError:0:<message>`. The child then exits with status 255.

use crate::posix::fd::fd_arg;
use crate::posix::path::path_arg;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::ffi::CString;

/// The C data the child works from, all built before fork().
struct ChildPlan {
    argv: Vec<CString>,
    exec_list: Vec<CString>,
    envp: Option<Vec<CString>>,
    cwd: Option<CString>,
    close_fds: bool,
    fds_to_keep: Vec<libc::c_int>,
    /// (p2cread, p2cwrite, c2pread, c2pwrite, errread, errwrite); -1: unused.
    pipes: [libc::c_int; 6],
    errpipe_read: libc::c_int,
    errpipe_write: libc::c_int,
    restore_signals: bool,
    call_setsid: bool,
    pgid_to_set: libc::pid_t,
    gid: Option<libc::gid_t>,
    extra_groups: Option<Vec<libc::gid_t>>,
    uid: Option<libc::uid_t>,
    child_umask: libc::c_int,
    /// The highest descriptor number worth closing when close_range(2) is unavailable.
    max_fd: libc::c_int,
}

/// `_PySequence_BytesToCharpArray`: a sequence of bytes objects as C strings.
fn bytes_array(vm: &Vm, seq: &Value) -> PyResult<Vec<CString>> {
    let n = vm.len(seq)?;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let item = vm.getitem(seq, &Value::Int(i as i64))?;
        let Some(b) = item.payload().and_then(|p| p.as_bytes()) else {
            return Err(vm.new_type_error(format!("expected bytes, {} found", vm.type_name_of(&item))));
        };
        if b.contains(&0) {
            return Err(vm.new_value_error("embedded null byte"));
        }
        out.push(CString::new(b.to_vec()).unwrap_or_default());
    }
    Ok(out)
}

/// `PyUnicode_FSConverter`: str, bytes or os.PathLike as a C string.
fn fs_convert(vm: &Vm, v: &Value) -> PyResult<CString> {
    match path_arg(vm, "", "", v, false) {
        Ok(p) => Ok(p.cstr()),
        Err(e) if e.class().is(&vm.exc.type_error) => Err(vm.new_type_error(format!(
            "expected str, bytes or os.PathLike object, not {}",
            vm.type_name_of(v)
        ))),
        Err(e) => Err(e),
    }
}

/// `_Py_Gid_Converter` / `_Py_Uid_Converter`: an int, with -1 meaning "unchanged".
fn id_arg(vm: &Vm, v: &Value, what: &str) -> PyResult<u32> {
    if !matches!(v, Value::Int(_) | Value::Bool(_)) && vm.as_ibig(v).is_none() {
        if vm.special(v, krait_vm::types::typeobj::Slot::Index).is_none() {
            return Err(vm.new_type_error(format!("{what} should be integer, not {}", vm.type_name_of(v))));
        }
    }
    let i = match vm.index(v)? {
        Value::Int(i) => i,
        Value::Bool(b) => b as i64,
        _ => return Err(vm.new_overflow_error(format!("{what} is greater than maximum"))),
    };
    if i == -1 {
        return Ok(u32::MAX);
    }
    if i < 0 {
        return Err(vm.new_overflow_error(format!("{what} is less than minimum")));
    }
    u32::try_from(i).map_err(|_| vm.new_overflow_error(format!("{what} is greater than maximum")))
}

/// Checks `fds_to_keep`: non-negative ints in strictly increasing order.
fn fds_to_keep(vm: &Vm, v: &Value) -> PyResult<Vec<libc::c_int>> {
    let bad = || vm.new_value_error("bad value(s) in fds_to_keep");
    let items = v.payload().and_then(|p| p.as_tuple()).map(|t| t.to_vec()).unwrap_or_default();
    let mut out: Vec<libc::c_int> = Vec::with_capacity(items.len());
    for it in &items {
        let fd = match it {
            Value::Int(i) => *i,
            Value::Bool(b) => *b as i64,
            _ => return Err(bad()),
        };
        if fd < 0 || fd > i32::MAX as i64 || out.last().is_some_and(|&p| fd <= p as i64) {
            return Err(bad());
        }
        out.push(fd as libc::c_int);
    }
    Ok(out)
}

fn c_int_arg(vm: &Vm, v: &Value) -> PyResult<libc::c_int> {
    fd_arg(vm, v)
}

fn fork_exec(vm: &Vm, args: Args) -> PyResult {
    crate::native::no_kwargs(vm, "fork_exec", &args)?;
    let a = args.args;
    if a.len() != 23 {
        return Err(vm.new_type_error(format!("fork_exec() takes exactly 23 arguments ({} given)", a.len())));
    }
    // PyArg_ParseTuple's conversions, in argument order.
    let close_fds = vm.truthy(&a[2])?;
    if a[3].payload().and_then(|p| p.as_tuple()).is_none() {
        return Err(vm.new_type_error(format!("fork_exec() argument 4 must be tuple, not {}", vm.type_name_of(&a[3]))));
    }
    let mut ints = [0 as libc::c_int; 11];
    for (k, i) in (6..17).enumerate() {
        ints[k] = c_int_arg(vm, &a[i])?;
    }
    let child_umask = c_int_arg(vm, &a[20])?;
    let preexec_fn = a[21].clone();
    let _allow_vfork = vm.truthy(&a[22])?;
    let [p2cread, p2cwrite, c2pread, c2pwrite, errread, errwrite, errpipe_read, errpipe_write] =
        [ints[0], ints[1], ints[2], ints[3], ints[4], ints[5], ints[6], ints[7]];
    let [restore_signals, call_setsid, pgid_to_set] = [ints[8], ints[9], ints[10]];

    if close_fds && errpipe_write < 3 {
        return Err(vm.new_value_error("errpipe_write must be >= 3"));
    }
    let keep = fds_to_keep(vm, &a[3])?;
    let exec_list = bytes_array(vm, &a[1])?;
    let argv = if a[0].is_none() {
        Vec::new()
    } else {
        let items = vm.seq_items(&a[0]).ok_or_else(|| vm.new_type_error("argv must be a tuple"))?;
        items.iter().map(|x| fs_convert(vm, x)).collect::<PyResult<Vec<_>>>()?
    };
    let envp = if a[5].is_none() { None } else { Some(bytes_array(vm, &a[5])?) };
    let cwd = if a[4].is_none() { None } else { Some(fs_convert(vm, &a[4])?) };
    let extra_groups = if a[18].is_none() {
        None
    } else {
        let items = match a[18].payload().and_then(|p| p.as_list()) {
            Some(l) => l.borrow().to_vec(),
            None => return Err(vm.new_type_error("setgroups argument must be a list")),
        };
        if items.len() > 65536 {
            return Err(vm.new_value_error("too many extra_groups"));
        }
        let mut gs = Vec::with_capacity(items.len());
        for g in &items {
            if !matches!(g, Value::Int(_) | Value::Bool(_)) && vm.as_ibig(g).is_none() {
                return Err(vm.new_type_error("extra_groups must be integers"));
            }
            gs.push(id_arg(vm, g, "gid")?);
        }
        Some(gs)
    };
    let gid = if a[17].is_none() { None } else { Some(id_arg(vm, &a[17], "gid")?) };
    let uid = if a[19].is_none() { None } else { Some(id_arg(vm, &a[19], "uid")?) };

    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit fills `lim`.
    let got = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } == 0;
    let max_fd = if got && lim.rlim_cur != libc::RLIM_INFINITY {
        lim.rlim_cur.min(1 << 20) as libc::c_int
    } else {
        1 << 16
    };
    let plan = ChildPlan {
        argv,
        exec_list,
        envp,
        cwd,
        close_fds,
        fds_to_keep: keep,
        pipes: [p2cread, p2cwrite, c2pread, c2pwrite, errread, errwrite],
        errpipe_read,
        errpipe_write,
        restore_signals: restore_signals != 0,
        call_setsid: call_setsid != 0,
        pgid_to_set,
        gid: gid.filter(|&g| g != u32::MAX),
        extra_groups,
        uid: uid.filter(|&u| u != u32::MAX),
        child_umask,
        max_fd,
    };
    let argv_ptrs: Vec<*const libc::c_char> =
        plan.argv.iter().map(|c| c.as_ptr()).chain(std::iter::once(std::ptr::null())).collect();
    let env_ptrs: Option<Vec<*const libc::c_char>> =
        plan.envp.as_ref().map(|e| e.iter().map(|c| c.as_ptr()).chain(std::iter::once(std::ptr::null())).collect());

    let has_preexec = !preexec_fn.is_none();
    // Python code will run in the child: no collection may start there
    // half-way (CPython disables the collector around the fork too).
    let gc_was_enabled = has_preexec && vm.gc.is_enabled();
    if gc_was_enabled {
        vm.gc.set_enabled(false);
    }
    if has_preexec {
        crate::posix::proc::before_fork(vm);
    }
    let (pid, err) = crate::posix::proc::raw_fork(vm);
    if pid == 0 {
        let preexec = || -> bool {
            crate::posix::proc::after_fork_child(vm);
            vm.call(&preexec_fn, Args::new(&[])).is_ok()
        };
        let hook: Option<&dyn Fn() -> bool> = if has_preexec { Some(&preexec) } else { None };
        child_exec(&plan, &argv_ptrs, env_ptrs.as_deref(), hook);
    }
    if has_preexec {
        crate::posix::proc::after_fork_parent(vm);
    }
    if gc_was_enabled {
        vm.gc.set_enabled(true);
    }
    if pid < 0 {
        return Err(crate::posix::path::io_err(vm, &err, None, None));
    }
    Ok(Value::Int(pid as i64))
}

// ---- the child: async-signal-safe calls only (but for `preexec`) ----

fn errno() -> libc::c_int {
    // SAFETY: reads this thread's errno.
    unsafe { *libc::__errno_location() }
}

fn set_errno(e: libc::c_int) {
    // SAFETY: writes this thread's errno.
    unsafe { *libc::__errno_location() = e }
}

/// write(2) of all of `buf`, retried after EINTR; errors are ignored, as
/// the child can do nothing about them.
fn write_all(fd: libc::c_int, mut buf: &[u8]) {
    while !buf.is_empty() {
        // SAFETY: `buf` is a live byte slice.
        let n = unsafe { libc::write(fd, buf.as_ptr().cast(), buf.len()) };
        if n < 0 {
            if errno() == libc::EINTR {
                continue;
            }
            return;
        }
        buf = &buf[n as usize..];
    }
}

fn set_inheritable(fd: libc::c_int, inheritable: bool) -> Result<(), ()> {
    // SAFETY: fcntl on an integer descriptor; no memory is passed.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFD) };
    if flags < 0 {
        return Err(());
    }
    let new = if inheritable { flags & !libc::FD_CLOEXEC } else { flags | libc::FD_CLOEXEC };
    // SAFETY: as above.
    if new != flags && unsafe { libc::fcntl(fd, libc::F_SETFD, new) } < 0 {
        return Err(());
    }
    Ok(())
}

/// A libc call's result, -1 meaning failure (errno set).
fn posix(r: libc::c_int) -> Result<libc::c_int, ()> {
    if r == -1 {
        Err(())
    } else {
        Ok(r)
    }
}

/// Closes descriptors `lo..=hi` (close_range(2), or one by one up to `max_fd`).
fn close_range(lo: libc::c_int, hi: libc::c_int, max_fd: libc::c_int) {
    if lo > hi {
        return;
    }
    // SAFETY: the close_range system call takes plain integers.
    let r = unsafe { libc::syscall(libc::SYS_close_range, lo as libc::c_uint, hi as libc::c_uint, 0 as libc::c_uint) };
    if r == 0 {
        return;
    }
    for fd in lo..=hi.min(max_fd) {
        // SAFETY: closing a descriptor number; EBADF for unused ones is ignored.
        unsafe { libc::close(fd) };
    }
}

/// Closes every descriptor from 3 up except those in `keep` (sorted).
fn close_open_fds(keep: &[libc::c_int], max_fd: libc::c_int) {
    let mut lo = 3;
    for &k in keep {
        if k >= lo {
            close_range(lo, k - 1, max_fd);
            lo = k + 1;
        }
    }
    close_range(lo, libc::c_int::MAX, max_fd);
}

/// Sets up the child and execs; on failure reports to the parent. Never returns.
fn child_exec(
    p: &ChildPlan,
    argv: &[*const libc::c_char],
    envp: Option<&[*const libc::c_char]>,
    preexec: Option<&dyn Fn() -> bool>,
) -> ! {
    let mut reached_preexec = false;
    let mut err_msg: &[u8] = b"";
    let _: Result<(), ()> = child_setup(p, &mut reached_preexec, &mut err_msg, preexec).and_then(|()| {
        let mut saved = 0;
        for exe in &p.exec_list {
            // SAFETY: `exe`, argv and envp are NUL-terminated and NULL-terminated arrays of live CStrings.
            unsafe {
                match envp {
                    Some(e) => libc::execve(exe.as_ptr(), argv.as_ptr(), e.as_ptr()),
                    None => libc::execv(exe.as_ptr(), argv.as_ptr()),
                }
            };
            let e = errno();
            if e != libc::ENOENT && e != libc::ENOTDIR && saved == 0 {
                saved = e;
            }
        }
        // Report the first interesting exec error, not the last.
        if saved != 0 {
            set_errno(saved);
        }
        Err(())
    });
    let mut e = errno();
    let fd = p.errpipe_write;
    if e != 0 {
        write_all(fd, b"OSError:");
        let mut hex = [0u8; 16];
        let mut i = hex.len();
        while e != 0 && i > 0 {
            i -= 1;
            hex[i] = b"0123456789abcdef"[(e % 16) as usize];
            e /= 16;
        }
        write_all(fd, &hex[i..]);
        write_all(fd, b":");
        if !reached_preexec {
            // The error came before exec (e.g. chdir(cwd)).
            write_all(fd, b"noexec");
        }
    } else {
        write_all(fd, b"SubprocessError:0:");
        write_all(fd, err_msg);
    }
    // SAFETY: ends the child without running the parent's exit handlers.
    unsafe { libc::_exit(255) }
}

/// Everything between fork and exec: descriptors, cwd, umask, signals,
/// session, ids, then `preexec_fn` and closing the other descriptors.
/// Err: errno says why (0 with `err_msg` set for a preexec_fn failure).
fn child_setup(
    p: &ChildPlan,
    reached_preexec: &mut bool,
    err_msg: &mut &'static [u8],
    preexec: Option<&dyn Fn() -> bool>,
) -> Result<(), ()> {
    let [p2cread, p2cwrite, c2pread, mut c2pwrite, errread, mut errwrite] = p.pipes;
    for &fd in &p.fds_to_keep {
        if fd != p.errpipe_write {
            set_inheritable(fd, true)?;
        }
    }
    // SAFETY (all the calls below): libc calls on integer descriptors or on
    // C strings prepared before the fork.
    unsafe {
        // The parent's ends of the pipes.
        for fd in [p2cwrite, c2pread, errread, p.errpipe_read] {
            if fd != -1 {
                posix(libc::close(fd))?;
            }
        }
        // A pipe end sitting on 0, 1 or 2 would be overwritten by the dup2s below.
        if c2pwrite == 0 {
            c2pwrite = posix(libc::dup(c2pwrite))?;
            set_inheritable(c2pwrite, false)?;
        }
        while errwrite == 0 || errwrite == 1 {
            errwrite = posix(libc::dup(errwrite))?;
            set_inheritable(errwrite, false)?;
        }
        // dup2 clears close-on-exec, but does nothing when the numbers are equal.
        for (fd, target) in [(p2cread, 0), (c2pwrite, 1), (errwrite, 2)] {
            if fd == target {
                set_inheritable(fd, true)?;
            } else if fd != -1 {
                posix(libc::dup2(fd, target))?;
            }
        }
        if let Some(cwd) = &p.cwd {
            posix(libc::chdir(cwd.as_ptr()))?;
        }
        if p.child_umask >= 0 {
            libc::umask(p.child_umask as libc::mode_t);
        }
        if p.restore_signals {
            // CPython ignores these at start-up; the new program gets the defaults.
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
            libc::signal(libc::SIGXFSZ, libc::SIG_DFL);
        }
        if p.call_setsid {
            posix(libc::setsid())?;
        }
        if p.pgid_to_set >= 0 {
            posix(libc::setpgid(0, p.pgid_to_set))?;
        }
        if let Some(groups) = &p.extra_groups {
            posix(libc::setgroups(groups.len(), groups.as_ptr()))?;
        }
        if let Some(gid) = p.gid {
            posix(libc::setregid(gid, gid))?;
        }
        if let Some(uid) = p.uid {
            posix(libc::setreuid(uid, uid))?;
        }
    }
    *reached_preexec = true;
    if let Some(f) = preexec {
        if !f() {
            *err_msg = b"Exception occurred in preexec_fn.";
            set_errno(0);
            return Err(());
        }
    }
    // After preexec_fn, which may have opened descriptors.
    if p.close_fds {
        close_open_fds(&p.fds_to_keep, p.max_fd);
    }
    Ok(())
}

static FUNCS: &[NativeDef] = &[NativeDef::function("fork_exec", fork_exec)];

/// Creates the `_posixsubprocess` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    Ok(crate::native::make_module(vm, "_posixsubprocess", "", FUNCS, Vec::new()))
}
