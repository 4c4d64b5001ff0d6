//! `_IOBase`, `_RawIOBase`, `_BufferedIOBase`, `_TextIOBase`: the methods a
//! Python subclass inherits. As in CPython they are written against the
//! object's Python-level methods (`self.readline()` calls whatever the
//! subclass defines), and the closed state of a pure-Python subclass is the
//! `__IOBase_closed` attribute in its dict.

use super::{closed_error, is_empty_line, size_arg, split_self, unsupported};
use crate::payload::{GetSetDef, Payload};
use crate::value::Value;
use crate::{Args, NativeDef, PyResult, Vm};

const CLOSED_ATTR: &str = "__IOBase_closed";

fn this<'a>(vm: &Vm, args: &Args<'a>) -> PyResult<&'a Value> {
    args.args.first().ok_or_else(|| vm.new_type_error("descriptor needs an argument"))
}

/// `self.closed` as a bool (whatever the subclass defines it as).
pub fn is_closed(vm: &Vm, v: &Value) -> PyResult<bool> {
    let c = vm.getattr_str(v, "closed")?;
    vm.truthy(&c)
}

pub fn check_closed(vm: &Vm, v: &Value) -> PyResult<()> {
    if is_closed(vm, v)? {
        return Err(closed_error(vm));
    }
    Ok(())
}

fn g_closed(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Bool(vm.getattr_opt(v, CLOSED_ATTR)?.is_some()))
}

fn m_close(vm: &Vm, args: Args) -> PyResult {
    let v = this(vm, &args)?;
    if vm.getattr_opt(v, CLOSED_ATTR)?.is_some() {
        return Ok(Value::None);
    }
    let r = vm.call_method(v, "flush", &[]);
    vm.setattr_str(v, CLOSED_ATTR, Value::Bool(true))?;
    r.map(|_| Value::None)
}

fn m_flush(vm: &Vm, args: Args) -> PyResult {
    check_closed(vm, this(vm, &args)?)?;
    Ok(Value::None)
}

fn m_enter(vm: &Vm, args: Args) -> PyResult {
    let v = this(vm, &args)?;
    check_closed(vm, v)?;
    Ok(v.clone())
}

fn m_exit(vm: &Vm, args: Args) -> PyResult {
    vm.call_method(this(vm, &args)?, "close", &[])
}

fn m_next(vm: &Vm, args: Args) -> PyResult {
    let line = vm.call_method(this(vm, &args)?, "readline", &[])?;
    if is_empty_line(&line) {
        return Err(vm.new_stop_iteration(None));
    }
    Ok(line)
}

fn m_false(vm: &Vm, _args: Args) -> PyResult {
    let _ = vm;
    Ok(Value::Bool(false))
}

fn m_isatty(vm: &Vm, args: Args) -> PyResult {
    check_closed(vm, this(vm, &args)?)?;
    Ok(Value::Bool(false))
}

fn m_seek(vm: &Vm, _args: Args) -> PyResult {
    Err(unsupported(vm, "seek"))
}
fn m_truncate(vm: &Vm, _args: Args) -> PyResult {
    Err(unsupported(vm, "truncate"))
}
fn m_fileno(vm: &Vm, _args: Args) -> PyResult {
    Err(unsupported(vm, "fileno"))
}

fn m_tell(vm: &Vm, args: Args) -> PyResult {
    vm.call_method(this(vm, &args)?, "seek", &[Value::Int(0), Value::Int(1)])
}

fn check_flag(vm: &Vm, args: Args, method: &str, what: &str) -> PyResult {
    let v = this(vm, &args)?;
    let r = vm.call_method(v, method, &[])?;
    if !vm.truthy(&r)? {
        return Err(unsupported(vm, &format!("File or stream is not {what}.")));
    }
    Ok(r)
}
fn m_check_closed(vm: &Vm, args: Args) -> PyResult {
    check_closed(vm, this(vm, &args)?)?;
    Ok(Value::None)
}
fn m_check_readable(vm: &Vm, args: Args) -> PyResult {
    check_flag(vm, args, "readable", "readable")
}
fn m_check_writable(vm: &Vm, args: Args) -> PyResult {
    check_flag(vm, args, "writable", "writable")
}
fn m_check_seekable(vm: &Vm, args: Args) -> PyResult {
    check_flag(vm, args, "seekable", "seekable")
}

/// Generic readline: `peek` when the object has it, else one byte at a time.
fn m_readline(vm: &Vm, args: Args) -> PyResult {
    let (v, rest) = split_self(vm, args)?;
    let b = vm.bind_native("readline", rest, &["size"], 1, 0, None)?;
    let limit = size_arg(vm, b[0].as_ref())?;
    let peek = vm.getattr_opt(v, "peek")?;
    let mut out: Vec<u8> = Vec::new();
    while limit < 0 || (out.len() as i64) < limit {
        let mut n = 1i64;
        if let Some(p) = &peek {
            let ahead = vm.call(p, Args::new(&[Value::Int(1)]))?;
            let data = super::bytes_like(vm, &ahead).map_err(|_| {
                vm.new_os_error(format!("peek() should have returned a bytes object, not '{}'", vm.type_name_of(&ahead)))
            })?;
            if !data.is_empty() {
                n = match data.iter().position(|&c| c == b'\n') {
                    Some(i) => i as i64 + 1,
                    None => data.len() as i64,
                };
                if limit >= 0 {
                    n = n.min(limit - out.len() as i64);
                }
            }
        }
        let chunk = vm.call_method(v, "read", &[Value::Int(n)])?;
        let data = match chunk.payload().map(|p| p.base()) {
            Some(Payload::Bytes(_)) | Some(Payload::ByteArray(_)) => super::bytes_like(vm, &chunk)?,
            _ => {
                return Err(vm.new_os_error(format!(
                    "read() should have returned a bytes object, not '{}'",
                    vm.type_name_of(&chunk)
                )))
            }
        };
        if data.is_empty() {
            break;
        }
        out.extend_from_slice(&data);
        if out.ends_with(b"\n") {
            break;
        }
    }
    Ok(vm.new_bytes(out))
}

fn m_readlines(vm: &Vm, args: Args) -> PyResult {
    let (v, rest) = split_self(vm, args)?;
    let b = vm.bind_native("readlines", rest, &["hint"], 1, 0, None)?;
    let hint = size_arg(vm, b[0].as_ref())?;
    let it = vm.iter(v)?;
    let (mut out, mut total) = (Vec::new(), 0i64);
    while let Some(line) = vm.next(&it)? {
        total += vm.len(&line)? as i64;
        out.push(line);
        if hint > 0 && total >= hint {
            break;
        }
    }
    Ok(vm.new_list(out))
}

fn m_writelines(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("writelines", args, 2, 2)?;
    let v = &args.args[0];
    check_closed(vm, v)?;
    let it = vm.iter(&args.args[1])?;
    while let Some(line) = vm.next(&it)? {
        vm.call_method(v, "write", &[line])?;
    }
    Ok(Value::None)
}

// ---- _RawIOBase ---------------------------------------------------------------

fn raw_read(vm: &Vm, args: Args) -> PyResult {
    let (v, rest) = split_self(vm, args)?;
    let b = vm.bind_native("read", rest, &["size"], 1, 0, None)?;
    let n = size_arg(vm, b[0].as_ref())?;
    if n < 0 {
        return vm.call_method(v, "readall", &[]);
    }
    let buf = crate::types::bytes::new_bytearray(vm, vec![0; n as usize]);
    let got = vm.call_method(v, "readinto", &[buf.clone()])?;
    if got.is_none() {
        return Ok(Value::None);
    }
    let got = vm.to_index_i64(&got)?;
    let data = super::bytes_like(vm, &buf)?;
    if got < 0 || got as usize > data.len() {
        return Err(vm.new_value_error(format!("readinto returned {got} outside buffer size {}", data.len())));
    }
    Ok(vm.new_bytes(data[..got as usize].to_vec()))
}

fn raw_readall(vm: &Vm, args: Args) -> PyResult {
    let v = this(vm, &args)?;
    let mut out = Vec::new();
    loop {
        let chunk = vm.call_method(v, "read", &[Value::Int(super::DEFAULT_BUFFER_SIZE as i64)])?;
        if chunk.is_none() {
            if out.is_empty() {
                return Ok(Value::None);
            }
            break;
        }
        let data = super::bytes_like(vm, &chunk).map_err(|_| vm.new_type_error("read() should return bytes"))?;
        if data.is_empty() {
            break;
        }
        out.extend_from_slice(&data);
    }
    Ok(vm.new_bytes(out))
}

fn not_implemented(vm: &Vm, _args: Args) -> PyResult {
    Err(vm.new_not_implemented_error(""))
}

// ---- _BufferedIOBase / _TextIOBase ----------------------------------------------

fn unsupported_detach(vm: &Vm, _a: Args) -> PyResult {
    Err(unsupported(vm, "detach"))
}
fn unsupported_read(vm: &Vm, _a: Args) -> PyResult {
    Err(unsupported(vm, "read"))
}
fn unsupported_read1(vm: &Vm, _a: Args) -> PyResult {
    Err(unsupported(vm, "read1"))
}
fn unsupported_write(vm: &Vm, _a: Args) -> PyResult {
    Err(unsupported(vm, "write"))
}
fn unsupported_readline(vm: &Vm, _a: Args) -> PyResult {
    Err(unsupported(vm, "readline"))
}

/// `_BufferedIOBase.readinto(b)`: `self.read(len(b))` copied into `b`.
fn buffered_readinto(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("readinto", args, 2, 2)?;
    readinto_with(vm, &args.args[0], &args.args[1], "read")
}
fn buffered_readinto1(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("readinto1", args, 2, 2)?;
    readinto_with(vm, &args.args[0], &args.args[1], "read1")
}

pub fn readinto_with(vm: &Vm, v: &Value, buf: &Value, method: &str) -> PyResult {
    let len = super::readinto_len(vm, buf)?;
    let data = vm.call_method(v, method, &[Value::Int(len as i64)])?;
    let data = super::bytes_like(vm, &data).map_err(|_| vm.new_type_error("read() should return bytes"))?;
    if data.len() > len {
        return Err(vm.new_value_error(format!("read() returned too much data: {len} bytes requested, {} returned", data.len())));
    }
    // `read` ran Python code: the target may have shrunk meanwhile.
    let n = super::readinto_store(vm, buf, &data)?;
    Ok(Value::Int(n as i64))
}

fn none_getter(_vm: &Vm, _v: &Value) -> PyResult {
    Ok(Value::None)
}

static IOBASE_METHODS: [NativeDef; 22] = [
    NativeDef::method("close", m_close),
    NativeDef::method("flush", m_flush),
    NativeDef::method("__enter__", m_enter),
    NativeDef::method("__exit__", m_exit),
    NativeDef::method("__iter__", m_enter),
    NativeDef::method("__next__", m_next),
    NativeDef::method("seekable", m_false),
    NativeDef::method("readable", m_false),
    NativeDef::method("writable", m_false),
    NativeDef::method("isatty", m_isatty),
    NativeDef::method("seek", m_seek),
    NativeDef::method("tell", m_tell),
    NativeDef::method("truncate", m_truncate),
    NativeDef::method("fileno", m_fileno),
    NativeDef::method("readline", m_readline),
    NativeDef::method("readlines", m_readlines),
    NativeDef::method("writelines", m_writelines),
    NativeDef::method("_checkClosed", m_check_closed),
    NativeDef::method("_checkReadable", m_check_readable),
    NativeDef::method("_checkWritable", m_check_writable),
    NativeDef::method("_checkSeekable", m_check_seekable),
    NativeDef::method("__del__", m_del),
];

/// Finalizer: closes the object (CPython's iobase_finalize); errors are ignored.
fn m_del(vm: &Vm, args: Args) -> PyResult {
    let v = this(vm, &args)?;
    if let Ok(false) = is_closed(vm, v) {
        // Tells close() it runs as part of finalization, as CPython does.
        let _ = vm.setattr_str(v, "_finalizing", Value::Bool(true));
        let _ = vm.call_method(v, "close", &[]);
    }
    Ok(Value::None)
}

static IOBASE_GETSETS: [GetSetDef; 1] = [GetSetDef { name: "closed", get: g_closed, set: None, doc: "" }];

static RAW_METHODS: [NativeDef; 4] = [
    NativeDef::method("read", raw_read),
    NativeDef::method("readall", raw_readall),
    NativeDef::method("readinto", not_implemented),
    NativeDef::method("write", not_implemented),
];

static BUFFERED_METHODS: [NativeDef; 6] = [
    NativeDef::method("detach", unsupported_detach),
    NativeDef::method("read", unsupported_read),
    NativeDef::method("read1", unsupported_read1),
    NativeDef::method("readinto", buffered_readinto),
    NativeDef::method("readinto1", buffered_readinto1),
    NativeDef::method("write", unsupported_write),
];

static TEXT_METHODS: [NativeDef; 4] = [
    NativeDef::method("detach", unsupported_detach),
    NativeDef::method("read", unsupported_read),
    NativeDef::method("readline", unsupported_readline),
    NativeDef::method("write", unsupported_write),
];

static TEXT_GETSETS: [GetSetDef; 3] = [
    GetSetDef { name: "encoding", get: none_getter, set: None, doc: "" },
    GetSetDef { name: "newlines", get: none_getter, set: None, doc: "" },
    GetSetDef { name: "errors", get: none_getter, set: None, doc: "" },
];

pub fn init(vm: &Vm) {
    use crate::types::{add_getsets, add_methods};
    let t = &vm.types;
    add_methods(vm, &t.io_base, &IOBASE_METHODS);
    add_getsets(vm, &t.io_base, &IOBASE_GETSETS);
    add_methods(vm, &t.raw_io_base, &RAW_METHODS);
    add_methods(vm, &t.buffered_io_base, &BUFFERED_METHODS);
    add_methods(vm, &t.text_io_base, &TEXT_METHODS);
    add_getsets(vm, &t.text_io_base, &TEXT_GETSETS);
}
