//! The environment: `posix.environ` (bytes to bytes, as on CPython; os.py
//! wraps it in `os.environ`), `putenv`, `unsetenv`.

use crate::native::unpack;
use krait_vm::{Args, PyRef, PyResult, Value, Vm};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// A snapshot of the process environment as a dict of bytes.
pub fn environ(vm: &Vm) -> PyResult<PyRef> {
    let d = vm.new_dict();
    for (k, v) in std::env::vars_os() {
        vm.dict_set(&d, vm.new_bytes(k.as_bytes().to_vec()), vm.new_bytes(v.as_bytes().to_vec()))?;
    }
    Ok(d)
}

/// A str (encoded as UTF-8) or bytes argument, without NUL bytes.
fn env_bytes(vm: &Vm, func: &str, v: &Value) -> PyResult<Vec<u8>> {
    let b = match vm.as_str(v) {
        Some(s) => s.as_bytes().to_vec(),
        None => match v.payload().and_then(|p| p.as_bytes()) {
            Some(b) => b.to_vec(),
            None => {
                return Err(vm.new_type_error(format!(
                    "{func}: expected str, bytes or os.PathLike object, not {}",
                    vm.type_name_of(v)
                )))
            }
        },
    };
    if b.contains(&0) {
        return Err(vm.new_value_error("embedded null byte"));
    }
    Ok(b)
}

/// A variable name: non-empty and without '='.
fn env_name(vm: &Vm, func: &str, v: &Value) -> PyResult<Vec<u8>> {
    let n = env_bytes(vm, func, v)?;
    // setenv(3) itself refuses an empty name.
    if n.is_empty() {
        return Err(crate::posix::path::raw_err(vm, libc::EINVAL, None));
    }
    if n.contains(&b'=') {
        return Err(vm.new_value_error("illegal environment variable name"));
    }
    Ok(n)
}

pub fn os_putenv(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "putenv", &args, 2, 2)?;
    let name = env_name(vm, "putenv", &a[0])?;
    let value = env_bytes(vm, "putenv", &a[1])?;
    // Checked above: no NUL or '=' in the name, no NUL in the value.
    std::env::set_var(OsStr::from_bytes(&name), OsStr::from_bytes(&value));
    Ok(Value::None)
}

pub fn os_unsetenv(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "unsetenv", &args, 1, 1)?;
    let name = env_name(vm, "unsetenv", &a[0])?;
    std::env::remove_var(OsStr::from_bytes(&name));
    Ok(Value::None)
}
