//! Path arguments (`str`, `bytes`, `os.PathLike`, sometimes an int file
//! descriptor) and the OSError raised for a failed call, as CPython's
//! `path_converter` and `path_error` do them.

use krait_vm::types::exception_methods::os_error_from_io;
use krait_vm::types::typeobj::Slot;
use krait_vm::{PyErr, PyResult, Value, Vm};
use std::ffi::{CString, OsStr};
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

/// A converted path argument.
pub struct PathArg {
    /// The bytes handed to the OS.
    pub bytes: Vec<u8>,
    /// What error messages show: the str/bytes after `__fspath__`.
    pub object: Value,
    /// Results (names from listdir, readlink, ...) are bytes when the
    /// argument was bytes.
    pub is_bytes: bool,
    /// Set when an int file descriptor was given (and allowed).
    pub fd: Option<i32>,
}

impl PathArg {
    pub fn path(&self) -> PathBuf {
        PathBuf::from(OsStr::from_bytes(&self.bytes))
    }
    /// The path as a C string (the converter already refused NUL bytes).
    pub fn cstr(&self) -> CString {
        CString::new(self.bytes.clone()).unwrap_or_default()
    }
    /// A name or path produced by the OS, typed like this argument.
    pub fn make(&self, vm: &Vm, raw: &[u8]) -> Value {
        if self.is_bytes {
            vm.new_bytes(raw.to_vec())
        } else {
            decode(vm, raw)
        }
    }
}

/// OS bytes as text: the filesystem encoding (UTF-8) with
/// `surrogateescape`, so undecodable bytes come back as they were.
pub fn decode(vm: &Vm, raw: &[u8]) -> Value {
    if let Ok(s) = std::str::from_utf8(raw) {
        return vm.new_str(s);
    }
    match krait_vm::types::str_codecs::utf::decode_utf8(vm, raw, "surrogateescape", true) {
        Ok((text, _)) => text.into_value(vm),
        Err(_) => vm.new_str(String::from_utf8_lossy(raw)),
    }
}

fn type_error(vm: &Vm, func: &str, arg: &str, allow_fd: bool, v: &Value) -> PyErr {
    // listdir and scandir also take None (and an fd, which krait refuses).
    let kinds = if func == "listdir" || func == "scandir" {
        "string, bytes, os.PathLike, integer or None"
    } else if allow_fd {
        "string, bytes, os.PathLike or integer"
    } else {
        "string, bytes or os.PathLike"
    };
    vm.new_type_error(format!("{func}: {arg} should be {kinds}, not {}", vm.type_name_of(v)))
}

/// Converts argument `arg` of `func`.
pub fn path_arg(vm: &Vm, func: &str, arg: &str, v: &Value, allow_fd: bool) -> PyResult<PathArg> {
    if allow_fd && matches!(v, Value::Int(_)) {
        let fd = crate::posix::fd::fd_arg(vm, v)?;
        return Ok(PathArg { bytes: Vec::new(), object: v.clone(), is_bytes: false, fd: Some(fd) });
    }
    let mut obj = v.clone();
    if vm.as_str(&obj).is_none() && !is_bytes(&obj) {
        match vm.special(&obj, Slot::Fspath) {
            Some(f) => {
                let r = vm.call_unbound(&f, &obj, &[])?;
                if vm.as_str(&r).is_none() && !is_bytes(&r) {
                    return Err(vm.new_type_error(format!(
                        "expected {}.__fspath__() to return str or bytes, not {}",
                        vm.type_name_of(&obj),
                        vm.type_name_of(&r)
                    )));
                }
                obj = r;
            }
            None => return Err(type_error(vm, func, arg, allow_fd, v)),
        }
    }
    let (bytes, is_b) = match vm.as_str(&obj) {
        Some(s) => (krait_vm::types::str_surrogates::fs_encode(vm, &obj, s)?, false),
        None => (obj.payload().and_then(|p| p.as_bytes()).unwrap_or(&[]).to_vec(), true),
    };
    if bytes.contains(&0) {
        // str goes through the filesystem encoder, which words it differently.
        if is_b {
            return Err(vm.new_value_error(format!("{func}: embedded null character in {arg}")));
        }
        return Err(vm.new_value_error("embedded null byte"));
    }
    Ok(PathArg { bytes, object: obj, is_bytes: is_b, fd: None })
}

fn is_bytes(v: &Value) -> bool {
    v.payload().and_then(|p| p.as_bytes()).is_some()
        && !v.payload().is_some_and(|p| matches!(p.base(), krait_vm::payload::Payload::ByteArray(_)))
}

/// `os.fspath(path)`.
pub fn fspath(vm: &Vm, v: &Value) -> PyResult {
    if vm.as_str(v).is_some() || is_bytes(v) {
        return Ok(v.clone());
    }
    match vm.special(v, Slot::Fspath) {
        Some(f) => {
            let r = vm.call_unbound(&f, v, &[])?;
            if vm.as_str(&r).is_some() || is_bytes(&r) {
                Ok(r)
            } else {
                Err(vm.new_type_error(format!(
                    "expected {}.__fspath__() to return str or bytes, not {}",
                    vm.type_name_of(v),
                    vm.type_name_of(&r)
                )))
            }
        }
        None => Err(vm.new_type_error(format!(
            "expected str, bytes or os.PathLike object, not {}",
            vm.type_name_of(v)
        ))),
    }
}

/// The OSError for `err` (subclass chosen by errno), naming `p` (and `p2`).
pub fn io_err(vm: &Vm, err: &std::io::Error, p: Option<&PathArg>, p2: Option<&PathArg>) -> PyErr {
    os_error_from_io(vm, err, p.map(|p| p.object.clone()), p2.map(|p| p.object.clone()))
}

/// The OSError for the C library's current `errno`.
pub fn errno_err(vm: &Vm, p: Option<&PathArg>) -> PyErr {
    io_err(vm, &std::io::Error::last_os_error(), p, None)
}

/// An OSError for a given errno value.
pub fn raw_err(vm: &Vm, errno: i32, p: Option<&PathArg>) -> PyErr {
    io_err(vm, &std::io::Error::from_raw_os_error(errno), p, None)
}

/// Refuses a `dir_fd` other than None (krait has no `*at` variants).
pub fn no_dir_fd(vm: &Vm, func: &str, v: &Option<Value>) -> PyResult<()> {
    match v {
        None | Some(Value::None) => Ok(()),
        Some(_) => Err(vm.new_not_implemented_error(format!("{func}: dir_fd unavailable on this platform"))),
    }
}

/// A `follow_symlinks`-style flag (default `dflt`).
pub fn flag(vm: &Vm, v: &Option<Value>, dflt: bool) -> PyResult<bool> {
    match v {
        None => Ok(dflt),
        Some(x) => vm.truthy(x),
    }
}
