//! The process and the system: ids, umask, kill/waitpid, _exit, uname,
//! times, cpu_count, urandom, strerror and the wait-status macros.

use super::fd::fd_arg;
use super::path::errno_err;
use crate::native::unpack;
use krait_vm::{Args, PyResult, Value, Vm};
use std::io::Read;

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
    let a = unpack(vm, "kill", &args, 2, 2)?;
    let pid = fd_arg(vm, &a[0])?;
    let sig = fd_arg(vm, &a[1])?;
    // SAFETY: plain integer arguments.
    if unsafe { libc::kill(pid, sig) } != 0 {
        return Err(errno_err(vm, None));
    }
    Ok(Value::None)
}

pub fn os_waitpid(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "waitpid", &args, 2, 2)?;
    let pid = fd_arg(vm, &a[0])?;
    let options = fd_arg(vm, &a[1])?;
    let mut status: libc::c_int = 0;
    // SAFETY: `status` receives the child's status.
    let r = unsafe { libc::waitpid(pid, &mut status, options) };
    if r < 0 {
        return Err(errno_err(vm, None));
    }
    Ok(vm.new_tuple(vec![Value::Int(r as i64), Value::Int(status as i64)]))
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
