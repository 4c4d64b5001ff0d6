//! `stat`, `lstat`, `fstat`: the C `struct stat` turned into an
//! `os.stat_result` (a class defined by the module's Python part).

use super::fd::fd_arg;
use super::path::{flag, no_dir_fd, path_arg, raw_err, PathArg};
use krait_vm::{Args, PyResult, Value, Vm};
use std::mem::MaybeUninit;

fn big(vm: &Vm, v: i128) -> Value {
    match i64::try_from(v) {
        Ok(i) => Value::Int(i),
        Err(_) => vm.new_int(dashu_int::IBig::from(v)),
    }
}

/// The 19 values `stat_result` is built from (CPython's field order: the
/// ten sequence fields, with whole-second times, then float and ns times,
/// blksize, blocks, rdev).
fn stat_values(vm: &Vm, st: &libc::stat) -> Vec<Value> {
    let times = [(st.st_atime, st.st_atime_nsec), (st.st_mtime, st.st_mtime_nsec), (st.st_ctime, st.st_ctime_nsec)];
    let mut v = vec![
        Value::Int(st.st_mode as i64),
        big(vm, st.st_ino as i128),
        big(vm, st.st_dev as i128),
        big(vm, st.st_nlink as i128),
        Value::Int(st.st_uid as i64),
        Value::Int(st.st_gid as i64),
        Value::Int(st.st_size),
    ];
    for (s, _) in times {
        v.push(Value::Int(s));
    }
    for (s, ns) in times {
        v.push(Value::Float(s as f64 + ns as f64 * 1e-9));
    }
    for (s, ns) in times {
        v.push(big(vm, s as i128 * 1_000_000_000 + ns as i128));
    }
    v.push(Value::Int(st.st_blksize));
    v.push(Value::Int(st.st_blocks));
    v.push(big(vm, st.st_rdev as i128));
    v
}

/// An `os.stat_result` for `st`.
pub fn make_stat_result(vm: &Vm, st: &libc::stat) -> PyResult {
    let cls = super::helper(vm, "stat_result")?;
    let t = vm.new_tuple(stat_values(vm, st));
    vm.call(&cls, Args::new(&[t]))
}

/// stat(2) / lstat(2) / fstat(2) of a converted path.
pub fn do_stat(vm: &Vm, p: &PathArg, follow: bool) -> PyResult {
    let mut st = MaybeUninit::<libc::stat>::uninit();
    let (fd, c) = (p.fd, if p.fd.is_none() { Some(p.cstr()) } else { None });
    // A slow or network file system may keep it waiting: the GIL is released.
    let (r, e) = crate::select::blocking(vm, || match (fd, &c) {
        // SAFETY: fstat fills `st` when it returns 0.
        (Some(fd), _) => unsafe { libc::fstat(fd, st.as_mut_ptr()) },
        // SAFETY: `c` is NUL-terminated; stat fills `st` when it returns 0.
        (None, Some(c)) if follow => unsafe { libc::stat(c.as_ptr(), st.as_mut_ptr()) },
        // SAFETY: as above, for lstat.
        (None, Some(c)) => unsafe { libc::lstat(c.as_ptr(), st.as_mut_ptr()) },
        (None, None) => unreachable!("a path without descriptor has a C string"),
    });
    if r != 0 {
        return Err(raw_err(vm, e, if p.fd.is_some() { None } else { Some(p) }));
    }
    // SAFETY: the call succeeded, so the struct is initialised.
    let st = unsafe { st.assume_init() };
    make_stat_result(vm, &st)
}

pub fn os_stat(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("stat", args, &["path", "dir_fd", "follow_symlinks"], 0, 1, Some(1))?;
    let p = path_arg(vm, "stat", "path", b[0].as_ref().unwrap(), true)?;
    no_dir_fd(vm, "stat", &b[1])?;
    do_stat(vm, &p, flag(vm, &b[2], true)?)
}

pub fn os_lstat(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("lstat", args, &["path", "dir_fd"], 0, 1, Some(1))?;
    let p = path_arg(vm, "lstat", "path", b[0].as_ref().unwrap(), false)?;
    no_dir_fd(vm, "lstat", &b[1])?;
    do_stat(vm, &p, false)
}

pub fn os_fstat(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("fstat", args, &["fd"], 0, 1, None)?;
    let fd = fd_arg(vm, b[0].as_ref().unwrap())?;
    let p = PathArg { bytes: Vec::new(), object: Value::None, is_bytes: false, fd: Some(fd) };
    do_stat(vm, &p, true)
}
