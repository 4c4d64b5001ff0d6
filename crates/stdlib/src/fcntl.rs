//! The `fcntl` module: `fcntl()`, `ioctl()`, `flock()` and `lockf()` over
//! libc, with CPython 3.11's argument conversions (a buffer argument is
//! copied into a 1024-byte scratch area and the result returned as bytes;
//! a writable buffer given to `ioctl` is updated in place) and messages.

use crate::select::{as_fd, errno};
use krait_vm::types::int::{bytes_like, is_int};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};

/// The scratch area a buffer argument is copied into (CPython's limit).
const BUF_SIZE: usize = 1024;

/// `fd, cmd` and the optional rest, positional only.
fn positional<'a>(vm: &Vm, name: &str, args: Args<'a>, min: usize, max: usize) -> PyResult<&'a [Value]> {
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("fcntl.{name}() takes no keyword arguments")));
    }
    let n = args.args.len();
    if n < min || n > max {
        let (bound, what) = if n < min { (min, "at least") } else { (max, "at most") };
        let what = if min == max { "" } else { what };
        let sep = if what.is_empty() { "" } else { " " };
        return Err(vm.new_type_error(format!("{name} expected {what}{sep}{bound} arguments, got {n}")));
    }
    Ok(args.args)
}

/// A C `int` argument (format "i").
fn c_int(vm: &Vm, v: &Value) -> PyResult<i32> {
    crate::posix::fd::fd_arg(vm, v)
}

/// A C `unsigned int` with its high bits dropped (format "I").
fn c_uint_mask(vm: &Vm, v: &Value) -> PyResult<u32> {
    match vm.index(v)? {
        Value::Int(x) => Ok(x as u32),
        Value::Bool(b) => Ok(b as u32),
        big => match vm.binary_op(&big, &Value::Int(0xffff_ffff), krait_compiler::bytecode::BinOp::And)? {
            Value::Int(x) => Ok(x as u32),
            _ => Ok(0),
        },
    }
}

/// The bytes of a str or bytes argument (format "s#"), else None.
fn str_or_bytes(vm: &Vm, v: &Value) -> Option<Vec<u8>> {
    if let Some(s) = vm.as_str(v) {
        return Some(s.as_bytes().to_vec());
    }
    v.payload().and_then(|p| p.as_bytes()).map(|b| b.to_vec())
}

/// Runs `f` (a libc call returning -1 on failure) with the GIL released,
/// retrying on EINTR after running the signal handlers (PEP 475).
fn retry(vm: &Vm, mut f: impl FnMut() -> libc::c_int + Send) -> PyResult<libc::c_int> {
    crate::select::retry_eintr(vm, || match f() {
        -1 => Err(errno()),
        r => Ok(r),
    })
}

/// Fails with OSError when a libc call returned -1.
fn check(vm: &Vm, r: libc::c_int) -> PyResult<libc::c_int> {
    if r == -1 {
        Err(crate::posix::path::raw_err(vm, errno(), None))
    } else {
        Ok(r)
    }
}

/// A copy of `data` in a scratch area of at least BUF_SIZE bytes (a
/// too-long argument is `name`'s ValueError).
fn scratch(vm: &Vm, name: &str, data: &[u8]) -> PyResult<Vec<u8>> {
    if data.len() > BUF_SIZE {
        return Err(vm.new_value_error(format!("{name} string arg too long")));
    }
    let mut buf = vec![0u8; BUF_SIZE];
    buf[..data.len()].copy_from_slice(data);
    Ok(buf)
}

fn fcntl_fcntl(vm: &Vm, args: Args) -> PyResult {
    let a = positional(vm, "fcntl", args, 2, 3)?;
    let fd = as_fd(vm, &a[0])?;
    let cmd = c_int(vm, &a[1])?;
    if let Some(data) = a.get(2).and_then(|v| str_or_bytes(vm, v)) {
        let mut buf = scratch(vm, "fcntl", &data)?;
        let p = buf.as_mut_ptr() as usize;
        // SAFETY: `p` points to BUF_SIZE writable bytes, as many as the
        // kernel may write for any command taking a buffer (CPython's limit).
        retry(vm, || unsafe { libc::fcntl(fd, cmd, p as *mut u8) })?;
        buf.truncate(data.len());
        return Ok(vm.new_bytes(buf));
    }
    let arg = match a.get(2) {
        Some(v) => c_uint_mask(vm, v)?,
        None => 0,
    };
    // SAFETY: an integer third argument; commands that read a pointer get
    // whatever the caller passed, as in C, and the kernel checks it.
    let r = retry(vm, || unsafe { libc::fcntl(fd, cmd, arg as libc::c_int) })?;
    Ok(Value::Int(r as i64))
}

/// Is `v` a buffer `ioctl` may write to, and its bytes if so?
fn writable_bytes(vm: &Vm, v: &Value) -> Option<Vec<u8>> {
    if str_or_bytes(vm, v).is_some() || is_int(v) {
        return None;
    }
    let view = vm.call1(&Value::Obj(vm.types.memoryview.clone()), &[v.clone()]).ok()?;
    let readonly = vm.getattr_str(&view, "readonly").ok()?;
    if vm.truthy(&readonly).unwrap_or(true) {
        return None;
    }
    bytes_like(v)
}

fn fcntl_ioctl(vm: &Vm, args: Args) -> PyResult {
    let a = positional(vm, "ioctl", args, 2, 4)?;
    let fd = as_fd(vm, &a[0])?;
    let request = c_uint_mask(vm, &a[1])? as libc::c_ulong;
    let mutate = match a.get(3) {
        Some(v) => vm.truthy(v)?,
        None => true,
    };
    if let Some(arg) = a.get(2) {
        if let Some(data) = writable_bytes(vm, arg) {
            // A writable buffer: updated in place (through a copy at least
            // BUF_SIZE long) when `mutate_flag` is true, else read-only.
            let mut buf = if mutate { data.clone() } else { scratch(vm, "ioctl", &data)? };
            buf.resize(buf.len().max(BUF_SIZE), 0);
            // SAFETY: `buf` holds at least BUF_SIZE writable bytes.
            let r = check(vm, unsafe { libc::ioctl(fd, request, buf.as_mut_ptr()) })?;
            buf.truncate(data.len());
            if !mutate {
                return Ok(vm.new_bytes(buf));
            }
            // Written back through a byte view, whatever the item format.
            let view = vm.call1(&Value::Obj(vm.types.memoryview.clone()), &[arg.clone()])?;
            let bytes_view = vm.call_method(&view, "cast", &[vm.new_str("B")])?;
            let key = vm.new_slice(Value::Int(0), Value::Int(data.len() as i64), Value::None);
            vm.setitem(&bytes_view, &key, vm.new_bytes(buf))?;
            return Ok(Value::Int(r as i64));
        }
        let read_only = str_or_bytes(vm, arg).or_else(|| if is_int(arg) { None } else { bytes_like(arg) });
        if let Some(data) = read_only {
            let mut buf = scratch(vm, "ioctl", &data)?;
            // SAFETY: `buf` holds BUF_SIZE writable bytes.
            check(vm, unsafe { libc::ioctl(fd, request, buf.as_mut_ptr()) })?;
            buf.truncate(data.len());
            return Ok(vm.new_bytes(buf));
        }
    }
    let arg = match a.get(2) {
        Some(v) => c_int(vm, v)?,
        None => 0,
    };
    // SAFETY: an integer argument; requests that read a pointer get what
    // the caller passed, as in C, and the kernel checks it.
    let r = check(vm, unsafe { libc::ioctl(fd, request, arg as libc::c_long) })?;
    Ok(Value::Int(r as i64))
}

fn fcntl_flock(vm: &Vm, args: Args) -> PyResult {
    let a = positional(vm, "flock", args, 2, 2)?;
    let fd = as_fd(vm, &a[0])?;
    let op = c_int(vm, &a[1])?;
    // SAFETY: plain integer arguments.
    retry(vm, || unsafe { libc::flock(fd, op) })?;
    Ok(Value::None)
}

fn fcntl_lockf(vm: &Vm, args: Args) -> PyResult {
    let a = positional(vm, "lockf", args, 2, 5)?;
    let fd = as_fd(vm, &a[0])?;
    let code = c_int(vm, &a[1])?;
    let len = a.get(2).map(|v| crate::native::c_long(vm, v)).transpose()?.unwrap_or(0);
    let start = a.get(3).map(|v| crate::native::c_long(vm, v)).transpose()?.unwrap_or(0);
    let whence = a.get(4).map(|v| c_int(vm, v)).transpose()?.unwrap_or(0);
    // CPython tests the bits in this order, so LOCK_SH wins over LOCK_EX.
    let kind = if code == libc::LOCK_UN {
        libc::F_UNLCK
    } else if code & libc::LOCK_SH != 0 {
        libc::F_RDLCK
    } else if code & libc::LOCK_EX != 0 {
        libc::F_WRLCK
    } else {
        return Err(vm.new_value_error("unrecognized lockf argument"));
    };
    // SAFETY: flock is plain old data; all-zero is valid.
    let mut lock: libc::flock = unsafe { std::mem::zeroed() };
    lock.l_type = kind as libc::c_short;
    lock.l_whence = whence as libc::c_short;
    lock.l_start = start;
    lock.l_len = len;
    let cmd = if code & libc::LOCK_NB != 0 { libc::F_SETLK } else { libc::F_SETLKW };
    let p = &lock as *const libc::flock as usize;
    // SAFETY: `p` points to a live, initialised flock for the whole call.
    retry(vm, || unsafe { libc::fcntl(fd, cmd, p as *const libc::flock) })?;
    Ok(Value::None)
}

const FCNTL_DOC: &str = "Perform the operation `cmd` on file descriptor fd.\n\nThe values used for `cmd` are operating system dependent, and are available\nas constants in the fcntl module, using the same names as used in\nthe relevant C header files.  The argument arg is optional, and\ndefaults to 0; it may be an int or a string.  If arg is given as a string,\nthe return value of fcntl is a string of that length, containing the\nresulting value put in the arg buffer by the operating system.  The length\nof the arg string is not allowed to exceed 1024 bytes.  If the arg given\nis an integer or if none is specified, the result value is an integer\ncorresponding to the return value of the fcntl call in the C code.";

static FUNCS: [NativeDef; 4] = [
    NativeDef::function("fcntl", fcntl_fcntl).doc(FCNTL_DOC),
    NativeDef::function("ioctl", fcntl_ioctl),
    NativeDef::function("flock", fcntl_flock),
    NativeDef::function("lockf", fcntl_lockf),
];

const MODULE_DOC: &str = "This module performs file control and I/O control on file\ndescriptors.  It is an interface to the fcntl() and ioctl() Unix\nroutines.  File descriptors can be obtained with the fileno() method of\na file or socket object.";

macro_rules! libc_consts {
    ($($name:ident)*) => { [$((stringify!($name), libc::$name as i64)),*] };
}

pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let from_libc = libc_consts!(
        FD_CLOEXEC F_ADD_SEALS F_DUPFD F_DUPFD_CLOEXEC F_GETFD F_GETFL
        F_GETLEASE F_GETLK F_GETOWN F_GETPIPE_SZ F_GET_SEALS F_NOTIFY F_OFD_GETLK
        F_OFD_SETLK F_OFD_SETLKW F_RDLCK F_SEAL_GROW F_SEAL_SEAL F_SEAL_SHRINK F_SEAL_WRITE
        F_SETFD F_SETFL F_SETLEASE F_SETLK F_SETLKW F_SETOWN F_SETPIPE_SZ
        F_UNLCK F_WRLCK LOCK_EX LOCK_NB LOCK_SH LOCK_UN
    );
    // Not in the libc crate for this target: the directory-notify bits
    // of `<fcntl.h>`, the 64-bit lock commands (the same as the plain ones
    // on 64-bit Linux), and the signal, BSD-lock and obsolete
    // mandatory-lock values of `<asm-generic/fcntl.h>`.
    let from_headers: [(&str, i64); 19] = [
        ("FASYNC", libc::O_ASYNC as i64),
        ("F_EXLCK", 4),
        ("F_SHLCK", 8),
        ("F_SETSIG", 10),
        ("F_GETSIG", 11),
        ("DN_ACCESS", 0x1),
        ("DN_MODIFY", 0x2),
        ("DN_CREATE", 0x4),
        ("DN_DELETE", 0x8),
        ("DN_RENAME", 0x10),
        ("DN_ATTRIB", 0x20),
        ("DN_MULTISHOT", 0x8000_0000),
        ("F_GETLK64", libc::F_GETLK as i64),
        ("F_SETLK64", libc::F_SETLK as i64),
        ("F_SETLKW64", libc::F_SETLKW as i64),
        ("LOCK_MAND", 32),
        ("LOCK_READ", 64),
        ("LOCK_WRITE", 128),
        ("LOCK_RW", 192),
    ];
    let attrs = from_libc.iter().chain(from_headers.iter()).map(|&(n, v)| (n, Value::Int(v))).collect();
    Ok(crate::native::make_module(vm, "fcntl", MODULE_DOC, &FUNCS, attrs))
}
