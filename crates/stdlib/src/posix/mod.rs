//! The `posix` module, which `os` is built on: file system calls, file
//! descriptors, the environment and process information, over libc.
//! The result types (`stat_result`, ...) and `DirEntry`/`scandir` are
//! written in Python (`helpers.py`), run in the module's namespace.
//!
//! `dir_fd` arguments other than None are refused (NotImplementedError), so
//! `_have_functions` lists no `*at` function and os.py, shutil and pathlib
//! use the path-based code paths.

pub mod env;
pub mod fd;
pub mod fs;
pub mod path;
pub mod proc;
pub mod stat;

use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::RefCell;

const HELPERS: &str = include_str!("helpers.py");

/// The interpreter's posix module dict (`vm.state`), so native functions
/// can find the Python-defined result types.
#[derive(Default)]
struct PosixState {
    dict: RefCell<Option<PyRef>>,
}

/// A name defined by the module's Python part (e.g. `stat_result`).
pub fn helper(vm: &Vm, name: &str) -> PyResult<Value> {
    let d = vm.state::<PosixState>().dict.borrow().clone();
    d.and_then(|d| vm.dict_get_str(&d, &vm.intern(name)))
        .ok_or_else(|| vm.new_system_error(format!("posix.{name} is missing")))
}

fn os_fspath(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("fspath", args, &["path"], 0, 1, None)?;
    path::fspath(vm, b[0].as_ref().unwrap())
}

fn os_terminal_size(vm: &Vm, args: Args) -> PyResult {
    let (c, l) = fd::terminal_size(vm, args)?;
    Ok(vm.new_tuple(vec![Value::Int(c), Value::Int(l)]))
}

static FUNCS: &[NativeDef] = &[
    NativeDef::function("stat", stat::os_stat),
    NativeDef::function("lstat", stat::os_lstat),
    NativeDef::function("fstat", stat::os_fstat),
    NativeDef::function("listdir", fs::os_listdir),
    NativeDef::function("_scandir", fs::os_scandir_raw),
    NativeDef::function("mkdir", fs::os_mkdir),
    NativeDef::function("rmdir", fs::os_rmdir),
    NativeDef::function("remove", fs::os_remove),
    NativeDef::function("unlink", fs::os_unlink),
    NativeDef::function("rename", fs::os_rename),
    NativeDef::function("replace", fs::os_replace),
    NativeDef::function("link", fs::os_link),
    NativeDef::function("symlink", fs::os_symlink),
    NativeDef::function("readlink", fs::os_readlink),
    NativeDef::function("getcwd", fs::os_getcwd),
    NativeDef::function("getcwdb", fs::os_getcwdb),
    NativeDef::function("chdir", fs::os_chdir),
    NativeDef::function("chmod", fs::os_chmod),
    NativeDef::function("chown", fs::os_chown),
    NativeDef::function("lchown", fs::os_lchown),
    NativeDef::function("fchown", fs::os_fchown),
    NativeDef::function("access", fs::os_access),
    NativeDef::function("truncate", fs::os_truncate),
    NativeDef::function("utime", fs::os_utime),
    NativeDef::function("open", fd::os_open),
    NativeDef::function("close", fd::os_close),
    NativeDef::function("closerange", fd::os_closerange),
    NativeDef::function("read", fd::os_read),
    NativeDef::function("write", fd::os_write),
    NativeDef::function("lseek", fd::os_lseek),
    NativeDef::function("fsync", fd::os_fsync),
    NativeDef::function("isatty", fd::os_isatty),
    NativeDef::function("pipe", fd::os_pipe),
    NativeDef::function("openpty", fd::os_openpty),
    NativeDef::function("login_tty", fd::os_login_tty),
    NativeDef::function("dup", fd::os_dup),
    NativeDef::function("dup2", fd::os_dup2),
    NativeDef::function("ftruncate", fd::os_ftruncate),
    NativeDef::function("get_inheritable", fd::os_get_inheritable),
    NativeDef::function("set_inheritable", fd::os_set_inheritable),
    NativeDef::function("get_blocking", fd::os_get_blocking),
    NativeDef::function("set_blocking", fd::os_set_blocking),
    NativeDef::function("device_encoding", fd::os_device_encoding),
    NativeDef::function("_terminal_size", os_terminal_size),
    NativeDef::function("fspath", os_fspath),
    NativeDef::function("putenv", env::os_putenv),
    NativeDef::function("unsetenv", env::os_unsetenv),
    NativeDef::function("getpid", proc::os_getpid),
    NativeDef::function("getppid", proc::os_getppid),
    NativeDef::function("getuid", proc::os_getuid),
    NativeDef::function("geteuid", proc::os_geteuid),
    NativeDef::function("getgid", proc::os_getgid),
    NativeDef::function("getegid", proc::os_getegid),
    NativeDef::function("getpgrp", proc::os_getpgrp),
    NativeDef::function("umask", proc::os_umask),
    NativeDef::function("kill", proc::os_kill),
    NativeDef::function("waitpid", proc::os_waitpid),
    NativeDef::function("_exit", proc::os_exit),
    NativeDef::function("uname", proc::os_uname),
    NativeDef::function("times", proc::os_times),
    NativeDef::function("cpu_count", proc::os_cpu_count),
    NativeDef::function("urandom", proc::os_urandom),
    NativeDef::function("strerror", proc::os_strerror),
    NativeDef::function("WIFEXITED", proc::os_wifexited),
    NativeDef::function("WEXITSTATUS", proc::os_wexitstatus),
    NativeDef::function("WIFSIGNALED", proc::os_wifsignaled),
    NativeDef::function("WTERMSIG", proc::os_wtermsig),
    NativeDef::function("WIFSTOPPED", proc::os_wifstopped),
    NativeDef::function("WSTOPSIG", proc::os_wstopsig),
    NativeDef::function("WCOREDUMP", proc::os_wcoredump),
    NativeDef::function("WIFCONTINUED", proc::os_wifcontinued),
    NativeDef::function("waitstatus_to_exitcode", proc::os_waitstatus_to_exitcode),
    NativeDef::function("wait", proc::os_wait),
    NativeDef::function("fork", proc::os_fork),
    NativeDef::function("forkpty", proc::os_forkpty),
    NativeDef::function("register_at_fork", proc::os_register_at_fork),
    NativeDef::function("killpg", proc::os_killpg),
    NativeDef::function("setsid", proc::os_setsid),
    NativeDef::function("setpgrp", proc::os_setpgrp),
    NativeDef::function("setpgid", proc::os_setpgid),
    NativeDef::function("getpgid", proc::os_getpgid),
    NativeDef::function("getsid", proc::os_getsid),
    NativeDef::function("execv", proc::os_execv),
    NativeDef::function("execve", proc::os_execve),
    NativeDef::function("sysconf", proc::os_sysconf),
    NativeDef::function("confstr", proc::os_confstr),
];

/// Integer constants (Linux values, from libc).
fn constants() -> Vec<(&'static str, i64)> {
    use libc::*;
    let c = |n: &'static str, v: c_int| (n, v as i64);
    vec![
        c("F_OK", F_OK), c("R_OK", R_OK), c("W_OK", W_OK), c("X_OK", X_OK),
        c("O_RDONLY", O_RDONLY), c("O_WRONLY", O_WRONLY), c("O_RDWR", O_RDWR), c("O_APPEND", O_APPEND),
        c("O_CREAT", O_CREAT), c("O_EXCL", O_EXCL), c("O_TRUNC", O_TRUNC), c("O_ACCMODE", O_ACCMODE),
        c("O_NONBLOCK", O_NONBLOCK), c("O_NDELAY", O_NDELAY), c("O_SYNC", O_SYNC), c("O_DSYNC", O_DSYNC),
        c("O_RSYNC", O_RSYNC), c("O_FSYNC", O_FSYNC), c("O_NOCTTY", O_NOCTTY), c("O_CLOEXEC", O_CLOEXEC),
        c("O_DIRECTORY", O_DIRECTORY), c("O_NOFOLLOW", O_NOFOLLOW), c("O_ASYNC", O_ASYNC),
        c("O_DIRECT", O_DIRECT), c("O_LARGEFILE", O_LARGEFILE), c("O_NOATIME", O_NOATIME),
        c("O_PATH", O_PATH), c("O_TMPFILE", O_TMPFILE),
        c("SEEK_DATA", SEEK_DATA), c("SEEK_HOLE", SEEK_HOLE),
        c("WNOHANG", WNOHANG), c("WUNTRACED", WUNTRACED), c("WCONTINUED", WCONTINUED),
        c("WEXITED", WEXITED), c("WSTOPPED", WSTOPPED), c("WNOWAIT", WNOWAIT),
        c("P_PID", P_PID as c_int), c("P_PGID", P_PGID as c_int), c("P_ALL", P_ALL as c_int),
        c("PRIO_PROCESS", PRIO_PROCESS as c_int), c("PRIO_PGRP", PRIO_PGRP as c_int),
        c("PRIO_USER", PRIO_USER as c_int),
        c("CLD_EXITED", CLD_EXITED), c("CLD_KILLED", CLD_KILLED), c("CLD_DUMPED", CLD_DUMPED),
        c("CLD_TRAPPED", CLD_TRAPPED), c("CLD_STOPPED", CLD_STOPPED), c("CLD_CONTINUED", CLD_CONTINUED),
        c("F_LOCK", F_LOCK), c("F_TLOCK", F_TLOCK), c("F_ULOCK", F_ULOCK), c("F_TEST", F_TEST),
        c("RTLD_LAZY", RTLD_LAZY), c("RTLD_NOW", RTLD_NOW), c("RTLD_GLOBAL", RTLD_GLOBAL),
        c("RTLD_LOCAL", RTLD_LOCAL), c("RTLD_NODELETE", RTLD_NODELETE), c("RTLD_NOLOAD", RTLD_NOLOAD),
        c("RTLD_DEEPBIND", RTLD_DEEPBIND),
        c("EX_OK", 0), c("EX_USAGE", 64), c("EX_DATAERR", 65), c("EX_NOINPUT", 66), c("EX_NOUSER", 67),
        c("EX_NOHOST", 68), c("EX_UNAVAILABLE", 69), c("EX_SOFTWARE", 70), c("EX_OSERR", 71),
        c("EX_OSFILE", 72), c("EX_CANTCREAT", 73), c("EX_IOERR", 74), c("EX_TEMPFAIL", 75),
        c("EX_PROTOCOL", 76), c("EX_NOPERM", 77), c("EX_CONFIG", 78),
        c("TMP_MAX", 238328), c("NGROUPS_MAX", 65536),
        c("SCHED_OTHER", SCHED_OTHER), c("SCHED_FIFO", SCHED_FIFO), c("SCHED_RR", SCHED_RR),
        c("SCHED_BATCH", SCHED_BATCH), c("SCHED_IDLE", SCHED_IDLE),
        c("SCHED_RESET_ON_FORK", SCHED_RESET_ON_FORK),
        ("ST_RDONLY", ST_RDONLY as i64), ("ST_NOSUID", ST_NOSUID as i64), ("ST_NODEV", ST_NODEV as i64),
        ("ST_NOEXEC", ST_NOEXEC as i64), ("ST_SYNCHRONOUS", ST_SYNCHRONOUS as i64),
        ("ST_MANDLOCK", ST_MANDLOCK as i64), ("ST_WRITE", 128), ("ST_APPEND", 256),
        ("ST_NOATIME", ST_NOATIME as i64), ("ST_NODIRATIME", ST_NODIRATIME as i64),
        ("ST_RELATIME", ST_RELATIME as i64),
    ]
}

/// The C functions os.py asks about; only those krait implements fully
/// (no `*at` variants, see the module docs).
const HAVE_FUNCTIONS: &[&str] = &["HAVE_FCHDIR", "HAVE_FCHMOD", "HAVE_FTRUNCATE", "HAVE_FUTIMENS"];

/// Creates the `posix` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let mut attrs: Vec<(&str, Value)> = constants().into_iter().map(|(n, v)| (n, Value::Int(v))).collect();
    attrs.push(("environ", Value::Obj(env::environ(vm)?)));
    attrs.push(("error", Value::Obj(vm.exc.os_error.clone())));
    let have = HAVE_FUNCTIONS.iter().map(|s| vm.new_str(*s)).collect();
    attrs.push(("_have_functions", vm.new_list(have)));
    let m = crate::native::make_module(vm, "posix", "", FUNCS, attrs);
    let dict = match &m.payload {
        krait_vm::payload::Payload::Module(md) => md.dict.clone(),
        _ => return Err(vm.new_system_error("posix is not a module")),
    };
    // A module made again (after `del sys.modules['posix']`): the old dict dies outside the borrow.
    let old = vm.state::<PosixState>().dict.replace(Some(dict.clone()));
    drop(old);
    let builtins = vm.intern("__builtins__");
    vm.dict_set_str(&dict, &builtins, Value::Obj(vm.builtins.clone()));
    let code = krait_compiler::compile(HELPERS, "<posix>", krait_compiler::Mode::Exec)
        .map_err(|e| vm.compile_error_to_exception(&e))?;
    let code = vm.load_code(code);
    vm.run_module_code(&code, &dict)?;
    let _ = vm.dict_remove(&dict, &vm.new_str("__builtins__"));
    Ok(m)
}
