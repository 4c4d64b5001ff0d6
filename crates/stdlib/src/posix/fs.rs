//! Paths and directories: listdir/scandir, mkdir/rmdir, remove, rename,
//! links, chmod/utime/access, getcwd/chdir, truncate.

use super::fd::fd_arg;
use super::path::{errno_err, flag, io_err, no_dir_fd, path_arg, raw_err, PathArg};
use crate::native::unpack;
use krait_vm::{Args, PyResult, Value, Vm};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirEntryExt, FileTypeExt};

/// Runs `f`, a libc call on a path, with the GIL released (a slow or
/// network file system may keep it waiting); gives its result and errno.
fn nogil(vm: &Vm, f: impl FnOnce() -> libc::c_int + Send) -> (libc::c_int, i32) {
    crate::select::blocking(vm, f)
}

/// Fails with the errno (naming `p`) when a libc call (run by `nogil`) returned non-zero.
fn check(vm: &Vm, (r, e): (libc::c_int, i32), p: &PathArg) -> PyResult {
    if r != 0 {
        return Err(raw_err(vm, e, Some(p)));
    }
    Ok(Value::None)
}

/// Binds `(path, *, dir_fd=None)` and converts the path.
fn path_only(vm: &Vm, name: &str, args: Args) -> PyResult<PathArg> {
    let b = vm.bind_native(name, args, &["path", "dir_fd"], 0, 1, Some(1))?;
    no_dir_fd(vm, name, &b[1])?;
    path_arg(vm, name, "path", b[0].as_ref().unwrap(), false)
}

/// The path argument of listdir/scandir: None (or missing) means '.'.
fn dir_arg(vm: &Vm, name: &str, v: &Option<Value>) -> PyResult<PathArg> {
    match v {
        None | Some(Value::None) => {
            Ok(PathArg { bytes: b".".to_vec(), object: vm.new_str("."), is_bytes: false, fd: None })
        }
        Some(v) => path_arg(vm, name, "path", v, false),
    }
}

/// (name bytes, DT_* code, inode) of each entry, without '.' and '..'.
fn read_dir(vm: &Vm, p: &PathArg) -> PyResult<Vec<(Vec<u8>, i64, u64)>> {
    let path = p.path();
    // Read whole with the GIL released (a large or remote directory is slow).
    vm.allow_threads(|| read_dir_raw(&path)).map_err(|e| io_err(vm, &e, Some(p), None))
}

fn read_dir_raw(path: &std::path::Path) -> std::io::Result<Vec<(Vec<u8>, i64, u64)>> {
    let rd = std::fs::read_dir(path)?;
    let mut out = Vec::new();
    for ent in rd {
        let ent = ent?;
        // file_type() uses d_type when the file system provides it.
        let dt = match ent.file_type() {
            Ok(t) if t.is_symlink() => libc::DT_LNK,
            Ok(t) if t.is_dir() => libc::DT_DIR,
            Ok(t) if t.is_file() => libc::DT_REG,
            Ok(t) if t.is_fifo() => libc::DT_FIFO,
            Ok(t) if t.is_socket() => libc::DT_SOCK,
            Ok(t) if t.is_char_device() => libc::DT_CHR,
            Ok(t) if t.is_block_device() => libc::DT_BLK,
            _ => libc::DT_UNKNOWN,
        };
        out.push((ent.file_name().as_bytes().to_vec(), dt as i64, ent.ino()));
    }
    Ok(out)
}

pub fn os_listdir(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("listdir", args, &["path"], 0, 0, None)?;
    let p = dir_arg(vm, "listdir", &b[0])?;
    let names = read_dir(vm, &p)?.into_iter().map(|(n, _, _)| p.make(vm, &n)).collect();
    Ok(vm.new_list(names))
}

/// `_scandir(path)`: `(path_object, [(name, d_type, inode), ...])` for the
/// Python-level `scandir`, which builds the DirEntry objects.
pub fn os_scandir_raw(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("scandir", args, &["path"], 0, 0, None)?;
    let p = dir_arg(vm, "scandir", &b[0])?;
    let items = read_dir(vm, &p)?
        .into_iter()
        .map(|(n, dt, ino)| {
            let ino = match i64::try_from(ino) {
                Ok(i) => Value::Int(i),
                Err(_) => vm.new_int(dashu_int::IBig::from(ino)),
            };
            vm.new_tuple(vec![p.make(vm, &n), Value::Int(dt), ino])
        })
        .collect();
    Ok(vm.new_tuple(vec![p.object.clone(), vm.new_list(items)]))
}

pub fn os_mkdir(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("mkdir", args, &["path", "mode", "dir_fd"], 0, 1, Some(2))?;
    let p = path_arg(vm, "mkdir", "path", b[0].as_ref().unwrap(), false)?;
    let mode = match &b[1] {
        Some(m) => fd_arg(vm, m)?,
        None => 0o777,
    };
    no_dir_fd(vm, "mkdir", &b[2])?;
    let c = p.cstr();
    // SAFETY: `c` is NUL-terminated.
    check(vm, nogil(vm, || unsafe { libc::mkdir(c.as_ptr(), mode as libc::mode_t) }), &p)
}

pub fn os_rmdir(vm: &Vm, args: Args) -> PyResult {
    let p = path_only(vm, "rmdir", args)?;
    let c = p.cstr();
    // SAFETY: `c` is NUL-terminated.
    check(vm, nogil(vm, || unsafe { libc::rmdir(c.as_ptr()) }), &p)
}

fn unlink_impl(vm: &Vm, name: &str, args: Args) -> PyResult {
    let p = path_only(vm, name, args)?;
    let c = p.cstr();
    // SAFETY: `c` is NUL-terminated.
    check(vm, nogil(vm, || unsafe { libc::unlink(c.as_ptr()) }), &p)
}
pub fn os_remove(vm: &Vm, args: Args) -> PyResult {
    unlink_impl(vm, "remove", args)
}
pub fn os_unlink(vm: &Vm, args: Args) -> PyResult {
    unlink_impl(vm, "unlink", args)
}

/// Binds `(src, dst, *, src_dir_fd=None, dst_dir_fd=None)`.
fn two_paths(vm: &Vm, name: &str, args: Args) -> PyResult<(PathArg, PathArg)> {
    let b = vm.bind_native(name, args, &["src", "dst", "src_dir_fd", "dst_dir_fd"], 0, 2, Some(2))?;
    let src = path_arg(vm, name, "src", b[0].as_ref().unwrap(), false)?;
    let dst = path_arg(vm, name, "dst", b[1].as_ref().unwrap(), false)?;
    no_dir_fd(vm, name, &b[2])?;
    no_dir_fd(vm, name, &b[3])?;
    Ok((src, dst))
}

fn rename_impl(vm: &Vm, name: &str, args: Args) -> PyResult {
    let (src, dst) = two_paths(vm, name, args)?;
    let (a, b) = (src.cstr(), dst.cstr());
    // SAFETY: both strings are NUL-terminated.
    let (r, e) = nogil(vm, || unsafe { libc::rename(a.as_ptr(), b.as_ptr()) });
    if r != 0 {
        return Err(io_err(vm, &std::io::Error::from_raw_os_error(e), Some(&src), Some(&dst)));
    }
    Ok(Value::None)
}
pub fn os_rename(vm: &Vm, args: Args) -> PyResult {
    rename_impl(vm, "rename", args)
}
pub fn os_replace(vm: &Vm, args: Args) -> PyResult {
    rename_impl(vm, "replace", args)
}

pub fn os_link(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("link", args, &["src", "dst", "src_dir_fd", "dst_dir_fd", "follow_symlinks"], 0, 2, Some(2))?;
    let src = path_arg(vm, "link", "src", b[0].as_ref().unwrap(), false)?;
    let dst = path_arg(vm, "link", "dst", b[1].as_ref().unwrap(), false)?;
    no_dir_fd(vm, "link", &b[2])?;
    no_dir_fd(vm, "link", &b[3])?;
    let (a, c) = (src.cstr(), dst.cstr());
    // SAFETY: both strings are NUL-terminated.
    let (r, e) = nogil(vm, || unsafe { libc::link(a.as_ptr(), c.as_ptr()) });
    if r != 0 {
        return Err(io_err(vm, &std::io::Error::from_raw_os_error(e), Some(&src), Some(&dst)));
    }
    Ok(Value::None)
}

pub fn os_symlink(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("symlink", args, &["src", "dst", "target_is_directory", "dir_fd"], 0, 2, Some(3))?;
    let src = path_arg(vm, "symlink", "src", b[0].as_ref().unwrap(), false)?;
    let dst = path_arg(vm, "symlink", "dst", b[1].as_ref().unwrap(), false)?;
    no_dir_fd(vm, "symlink", &b[3])?;
    let (a, c) = (src.cstr(), dst.cstr());
    // SAFETY: both strings are NUL-terminated.
    let (r, e) = nogil(vm, || unsafe { libc::symlink(a.as_ptr(), c.as_ptr()) });
    if r != 0 {
        return Err(io_err(vm, &std::io::Error::from_raw_os_error(e), Some(&src), Some(&dst)));
    }
    Ok(Value::None)
}

pub fn os_readlink(vm: &Vm, args: Args) -> PyResult {
    let p = path_only(vm, "readlink", args)?;
    let path = p.path();
    let target = vm.allow_threads(|| std::fs::read_link(&path)).map_err(|e| io_err(vm, &e, Some(&p), None))?;
    Ok(p.make(vm, target.as_os_str().as_bytes()))
}

pub fn os_getcwd(vm: &Vm, args: Args) -> PyResult {
    unpack(vm, "getcwd", &args, 0, 0)?;
    let d = std::env::current_dir().map_err(|e| io_err(vm, &e, None, None))?;
    Ok(super::path::decode(vm, d.as_os_str().as_bytes()))
}

pub fn os_getcwdb(vm: &Vm, args: Args) -> PyResult {
    unpack(vm, "getcwdb", &args, 0, 0)?;
    let d = std::env::current_dir().map_err(|e| io_err(vm, &e, None, None))?;
    Ok(vm.new_bytes(d.as_os_str().as_bytes().to_vec()))
}

pub fn os_chdir(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("chdir", args, &["path"], 0, 1, None)?;
    let p = path_arg(vm, "chdir", "path", b[0].as_ref().unwrap(), true)?;
    if let Some(fd) = p.fd {
        // SAFETY: plain integer argument.
        if unsafe { libc::fchdir(fd) } != 0 {
            return Err(errno_err(vm, None));
        }
        return Ok(Value::None);
    }
    let c = p.cstr();
    // SAFETY: `c` is NUL-terminated.
    check(vm, nogil(vm, || unsafe { libc::chdir(c.as_ptr()) }), &p)
}

pub fn os_chmod(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("chmod", args, &["path", "mode", "dir_fd", "follow_symlinks"], 0, 2, Some(2))?;
    let p = path_arg(vm, "chmod", "path", b[0].as_ref().unwrap(), true)?;
    let mode = fd_arg(vm, b[1].as_ref().unwrap())? as libc::mode_t;
    no_dir_fd(vm, "chmod", &b[2])?;
    if let Some(fd) = p.fd {
        // SAFETY: plain integer arguments.
        if unsafe { libc::fchmod(fd, mode) } != 0 {
            return Err(errno_err(vm, None));
        }
        return Ok(Value::None);
    }
    let c = p.cstr();
    let flags = if flag(vm, &b[3], true)? { 0 } else { libc::AT_SYMLINK_NOFOLLOW };
    // SAFETY: `c` is NUL-terminated.
    check(vm, nogil(vm, || unsafe { libc::fchmodat(libc::AT_FDCWD, c.as_ptr(), mode, flags) }), &p)
}

/// A uid/gid argument as CPython's `_Py_Uid_Converter` takes it: -1 means
/// "unchanged"; other values outside uid_t are refused with its messages.
fn id_arg(vm: &Vm, v: &Value, what: &str) -> PyResult<u32> {
    if !krait_vm::types::int::is_int(v) && vm.special(v, krait_vm::types::typeobj::Slot::Index).is_none() {
        return Err(vm.new_type_error(format!("{what} should be integer, not {}", vm.type_name_of(v))));
    }
    match vm.index(v)? {
        Value::Int(-1) => Ok(u32::MAX),
        Value::Int(i) => u32::try_from(i).map_err(|_| vm.new_overflow_error(format!("{what} is less than minimum"))),
        _ => Err(vm.new_overflow_error(format!("{what} is greater than maximum"))),
    }
}

/// `chown(path, uid, gid, *, dir_fd, follow_symlinks)`, `lchown(path, uid,
/// gid)` (never following a symlink) and `fchown(fd, uid, gid)`.
fn chown_impl(vm: &Vm, name: &str, args: Args) -> PyResult {
    let names: &[&str] = match name {
        "chown" => &["path", "uid", "gid", "dir_fd", "follow_symlinks"],
        "lchown" => &["path", "uid", "gid"],
        _ => &["fd", "uid", "gid"],
    };
    let b = vm.bind_native(name, args, names, 0, 3, (name == "chown").then_some(3))?;
    let (uid, gid) = (id_arg(vm, b[1].as_ref().unwrap(), "uid")?, id_arg(vm, b[2].as_ref().unwrap(), "gid")?);
    let (p, fd) = if name == "fchown" {
        (None, Some(fd_arg(vm, b[0].as_ref().unwrap())?))
    } else {
        let p = path_arg(vm, name, "path", b[0].as_ref().unwrap(), name == "chown")?;
        let fd = p.fd;
        (Some(p), fd)
    };
    if let Some(fd) = fd {
        // SAFETY: plain integer arguments.
        if unsafe { libc::fchown(fd, uid, gid) } != 0 {
            return Err(errno_err(vm, None));
        }
        return Ok(Value::None);
    }
    let Some(p) = p else { return Ok(Value::None) };
    let follow = match name {
        "chown" => {
            no_dir_fd(vm, name, &b[3])?;
            flag(vm, &b[4], true)?
        }
        _ => false,
    };
    let c = p.cstr();
    let flags = if follow { 0 } else { libc::AT_SYMLINK_NOFOLLOW };
    // SAFETY: `c` is NUL-terminated.
    check(vm, nogil(vm, || unsafe { libc::fchownat(libc::AT_FDCWD, c.as_ptr(), uid, gid, flags) }), &p)
}

pub fn os_chown(vm: &Vm, args: Args) -> PyResult {
    chown_impl(vm, "chown", args)
}

pub fn os_lchown(vm: &Vm, args: Args) -> PyResult {
    chown_impl(vm, "lchown", args)
}

pub fn os_fchown(vm: &Vm, args: Args) -> PyResult {
    chown_impl(vm, "fchown", args)
}

pub fn os_access(vm: &Vm, args: Args) -> PyResult {
    let names = ["path", "mode", "dir_fd", "effective_ids", "follow_symlinks"];
    let b = vm.bind_native("access", args, &names, 0, 2, Some(2))?;
    let p = path_arg(vm, "access", "path", b[0].as_ref().unwrap(), false)?;
    let mode = fd_arg(vm, b[1].as_ref().unwrap())?;
    no_dir_fd(vm, "access", &b[2])?;
    let mut flags = 0;
    if flag(vm, &b[3], false)? {
        flags |= libc::AT_EACCESS;
    }
    if !flag(vm, &b[4], true)? {
        flags |= libc::AT_SYMLINK_NOFOLLOW;
    }
    let c = p.cstr();
    // SAFETY: `c` is NUL-terminated.
    Ok(Value::Bool(nogil(vm, || unsafe { libc::faccessat(libc::AT_FDCWD, c.as_ptr(), mode, flags) }).0 == 0))
}

pub fn os_truncate(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("truncate", args, &["path", "length"], 0, 2, None)?;
    let p = path_arg(vm, "truncate", "path", b[0].as_ref().unwrap(), true)?;
    let len = match vm.index(b[1].as_ref().unwrap())? {
        Value::Int(i) => i,
        _ => return Err(vm.new_overflow_error("Python int too large to convert to C long")),
    };
    if let Some(fd) = p.fd {
        // SAFETY: plain integer arguments.
        let (r, e) = nogil(vm, || unsafe { libc::ftruncate(fd, len) });
        if r != 0 {
            return Err(raw_err(vm, e, None));
        }
        return Ok(Value::None);
    }
    let c = p.cstr();
    // SAFETY: `c` is NUL-terminated.
    check(vm, nogil(vm, || unsafe { libc::truncate(c.as_ptr(), len) }), &p)
}

/// Seconds (int or float) as a timespec, rounding toward minus infinity.
fn timespec_of(vm: &Vm, v: &Value) -> PyResult<libc::timespec> {
    if let Value::Float(f) = v {
        if !f.is_finite() {
            return Err(vm.new_value_error("Invalid value NaN (not a number)"));
        }
        let secs = f.floor();
        if !(-9.2e18..9.2e18).contains(&secs) {
            return Err(vm.new_overflow_error("timestamp out of range for platform time_t"));
        }
        let mut ns = ((f - secs) * 1e9).floor() as i64;
        let mut s = secs as i64;
        if ns >= 1_000_000_000 {
            ns -= 1_000_000_000;
            s += 1;
        }
        return Ok(libc::timespec { tv_sec: s, tv_nsec: ns });
    }
    let s = vm.to_index_i64(v)?;
    Ok(libc::timespec { tv_sec: s, tv_nsec: 0 })
}

fn pair(vm: &Vm, v: &Value) -> Option<(Value, Value)> {
    let is_tuple = v.payload().and_then(|p| p.as_tuple()).is_some();
    let items = if is_tuple { vm.seq_items(v)? } else { return None };
    match items.as_slice() {
        [a, b] => Some((a.clone(), b.clone())),
        _ => None,
    }
}

pub fn os_utime(vm: &Vm, args: Args) -> PyResult {
    let names = ["path", "times", "ns", "dir_fd", "follow_symlinks"];
    let b = vm.bind_native("utime", args, &names, 0, 1, Some(2))?;
    let p = path_arg(vm, "utime", "path", b[0].as_ref().unwrap(), true)?;
    no_dir_fd(vm, "utime", &b[3])?;
    let times = b[1].clone().filter(|t| !t.is_none());
    let now = libc::timespec { tv_sec: 0, tv_nsec: libc::UTIME_NOW };
    let ts = match (&times, &b[2]) {
        (Some(_), Some(_)) => {
            return Err(vm.new_value_error("utime: you may specify either 'times' or 'ns' but not both"))
        }
        (Some(t), None) => {
            let (a, m) = pair(vm, t)
                .ok_or_else(|| vm.new_type_error("utime: 'times' must be either a tuple of two ints or None"))?;
            [timespec_of(vm, &a)?, timespec_of(vm, &m)?]
        }
        (None, Some(n)) => {
            let (a, m) = pair(vm, n).ok_or_else(|| vm.new_type_error("utime: 'ns' must be a tuple of two ints"))?;
            let split = |v: &Value| -> PyResult<libc::timespec> {
                let n = vm.as_ibig(v).ok_or_else(|| vm.new_type_error("utime: 'ns' must be a tuple of two ints"))?;
                let n = i128::try_from(&n).map_err(|_| vm.new_overflow_error("timestamp too large"))?;
                Ok(libc::timespec { tv_sec: n.div_euclid(1_000_000_000) as i64, tv_nsec: n.rem_euclid(1_000_000_000) as i64 })
            };
            [split(&a)?, split(&m)?]
        }
        (None, None) => [now, now],
    };
    if let Some(fd) = p.fd {
        // SAFETY: `ts` holds the two timespecs futimens reads.
        if unsafe { libc::futimens(fd, ts.as_ptr()) } != 0 {
            return Err(errno_err(vm, None));
        }
        return Ok(Value::None);
    }
    let flags = if flag(vm, &b[4], true)? { 0 } else { libc::AT_SYMLINK_NOFOLLOW };
    let c = p.cstr();
    // SAFETY: `c` is NUL-terminated and `ts` holds two timespecs.
    check(vm, nogil(vm, || unsafe { libc::utimensat(libc::AT_FDCWD, c.as_ptr(), ts.as_ptr(), flags) }), &p)
}
