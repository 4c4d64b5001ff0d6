//! `_posixshmem`: shm_open and shm_unlink, which
//! `multiprocessing.shared_memory` and `multiprocessing.resource_tracker`
//! (imported by the spawn and forkserver start methods) use.

use crate::native::bind;
use crate::posix::fd::fd_arg;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::ffi::CString;

/// The `path` argument: a str (as a C string).
fn path_of(vm: &Vm, func: &str, v: &Value) -> PyResult<CString> {
    let Some(s) = vm.as_str(v) else {
        return Err(vm.new_type_error(format!("{func}() argument 'path' must be str, not {}", vm.type_name_of(v))));
    };
    CString::new(s).map_err(|_| vm.new_value_error("embedded null character"))
}

/// The OSError for errno, naming the path.
fn path_err(vm: &Vm, path: &Value) -> krait_vm::PyErr {
    let e = std::io::Error::last_os_error();
    krait_vm::types::exception_methods::os_error_from_io(vm, &e, Some(path.clone()), None)
}

fn shm_open(vm: &Vm, args: Args) -> PyResult {
    let a = bind(vm, "shm_open", args, &["path", "flags", "mode"], 2)?;
    let pv = a[0].as_ref().unwrap();
    let path = path_of(vm, "shm_open", pv)?;
    let flags = fd_arg(vm, a[1].as_ref().unwrap())?;
    let mode = match &a[2] {
        Some(m) => fd_arg(vm, m)?,
        None => 0o777,
    };
    loop {
        // SAFETY: `path` is a live C string; flags and mode are plain integers.
        let fd = unsafe { libc::shm_open(path.as_ptr(), flags, mode as libc::mode_t) };
        if fd >= 0 {
            return Ok(Value::Int(fd as i64));
        }
        if std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            return Err(path_err(vm, pv));
        }
        crate::signal::check_signals(vm)?;
    }
}

fn shm_unlink(vm: &Vm, args: Args) -> PyResult {
    let a = bind(vm, "shm_unlink", args, &["path"], 1)?;
    let pv = a[0].as_ref().unwrap();
    let path = path_of(vm, "shm_unlink", pv)?;
    // SAFETY: `path` is a live C string.
    if unsafe { libc::shm_unlink(path.as_ptr()) } < 0 {
        return Err(path_err(vm, pv));
    }
    Ok(Value::None)
}

static FUNCS: &[NativeDef] =
    &[NativeDef::function("shm_open", shm_open), NativeDef::function("shm_unlink", shm_unlink)];

/// Creates the `_posixshmem` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    Ok(crate::native::make_module(vm, "_posixshmem", "POSIX shared memory module", FUNCS, Vec::new()))
}
