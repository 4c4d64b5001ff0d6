//! `_io.BytesIO`: an in-memory binary stream over a byte vector; seeking past
//! the end and writing pads with zero bytes, as in CPython.

use super::{bytes_like, closed_error, new_io_object, size_arg, split_self, IoData};
use crate::payload::{GetSetDef, Payload};
use crate::value::Value;
use crate::{Args, NativeDef, PyResult, Vm};
use std::cell::{RefCell, RefMut};

#[derive(Default)]
pub struct BytesIOState {
    buf: Vec<u8>,
    pos: usize,
    closed: bool,
    /// While `getbuffer()` views may be alive: the bytearray they look at.
    /// Its bytes are the stream's contents (copied back into `buf` before
    /// every operation); dropped once no view remains.
    export: Option<Value>,
}

/// Copies an exported buffer back into `buf`; true while views of it live.
fn sync_export(vm: &Vm, s: &mut BytesIOState) -> bool {
    let Some(ba) = s.export.clone() else { return false };
    if let Some(Payload::ByteArray(b)) = ba.payload() {
        s.buf.clone_from(&b.borrow());
    }
    if crate::types::memoryview::check_resizable(vm, &ba).is_ok() {
        s.export = None;
        return false;
    }
    true
}

/// CPython's CHECK_EXPORTS: operations that may resize or free the buffer
/// are refused while a `getbuffer()` view exists.
fn check_exports(vm: &Vm, v: &Value) -> PyResult<()> {
    let mut s = state(vm, v)?.try_borrow_mut().map_err(|_| vm.new_runtime_error("reentrant call inside BytesIO"))?;
    if sync_export(vm, &mut s) {
        return Err(vm.new_exception_msg(&vm.exc.buffer_error, "Existing exports of data: object cannot be re-sized"));
    }
    Ok(())
}

fn state<'a>(vm: &Vm, v: &'a Value) -> PyResult<&'a RefCell<BytesIOState>> {
    match super::io_data(v) {
        Some(IoData::BytesIO(s)) => Ok(s),
        _ => Err(vm.new_type_error(format!(
            "descriptor requires a '_io.BytesIO' object but received '{}'",
            vm.type_name_of(v)
        ))),
    }
}

fn open_state<'a>(vm: &Vm, v: &'a Value) -> PyResult<RefMut<'a, BytesIOState>> {
    let mut s = state(vm, v)?.try_borrow_mut().map_err(|_| vm.new_runtime_error("reentrant call inside BytesIO"))?;
    if s.closed {
        return Err(closed_error(vm));
    }
    sync_export(vm, &mut s);
    Ok(s)
}

fn this<'a>(vm: &Vm, args: &Args<'a>) -> PyResult<&'a Value> {
    args.args.first().ok_or_else(|| vm.new_type_error("descriptor needs an argument"))
}

fn take(s: &mut BytesIOState, n: i64) -> Vec<u8> {
    let start = s.pos.min(s.buf.len());
    let end = if n < 0 { s.buf.len() } else { (start + n as usize).min(s.buf.len()) };
    s.pos = end.max(s.pos);
    s.buf[start..end].to_vec()
}

fn readline(s: &mut BytesIOState, limit: i64) -> Vec<u8> {
    let start = s.pos.min(s.buf.len());
    let rest = &s.buf[start..];
    let mut n = rest.iter().position(|&c| c == b'\n').map_or(rest.len(), |i| i + 1);
    if limit >= 0 {
        n = n.min(limit as usize);
    }
    take(s, n as i64)
}

pub fn write(s: &mut BytesIOState, data: &[u8]) {
    if data.is_empty() {
        return;
    }
    if s.pos > s.buf.len() {
        s.buf.resize(s.pos, 0);
    }
    let end = s.pos + data.len();
    let overlap = end.min(s.buf.len());
    s.buf.splice(s.pos..overlap, data.iter().copied());
    s.pos = end;
}

fn b_new(vm: &Vm, args: Args) -> PyResult {
    let cls = crate::types::object::new_target(vm, "BytesIO", &args, &vm.types.bytes_io)?;
    Ok(new_io_object(&cls, IoData::BytesIO(RefCell::new(BytesIOState::default()))))
}

fn b_init(vm: &Vm, args: Args) -> PyResult {
    let (v, rest) = split_self(vm, args)?;
    let b = vm.bind_native("BytesIO", rest, &["initial_bytes"], 0, 0, None)?;
    let data = match &b[0] {
        None | Some(Value::None) => Vec::new(),
        Some(d) => bytes_like(vm, d)?,
    };
    check_exports(vm, v)?;
    let mut s = state(vm, v)?.try_borrow_mut().map_err(|_| vm.new_runtime_error("reentrant call inside BytesIO"))?;
    *s = BytesIOState { buf: data, pos: 0, closed: false, export: None };
    Ok(Value::None)
}

fn b_read(vm: &Vm, args: Args) -> PyResult {
    let (v, rest) = split_self(vm, args)?;
    let b = vm.bind_native("read", rest, &["size"], 1, 0, None)?;
    let mut s = open_state(vm, v)?;
    let n = size_arg(vm, b[0].as_ref())?;
    Ok(vm.new_bytes(take(&mut s, n)))
}

fn b_readline(vm: &Vm, args: Args) -> PyResult {
    let (v, rest) = split_self(vm, args)?;
    let b = vm.bind_native("readline", rest, &["size"], 1, 0, None)?;
    let mut s = open_state(vm, v)?;
    let n = size_arg(vm, b[0].as_ref())?;
    Ok(vm.new_bytes(readline(&mut s, n)))
}

fn b_readlines(vm: &Vm, args: Args) -> PyResult {
    let (v, rest) = split_self(vm, args)?;
    let b = vm.bind_native("readlines", rest, &["size"], 1, 0, None)?;
    let mut s = open_state(vm, v)?;
    let hint = size_arg(vm, b[0].as_ref())?;
    let (mut out, mut total) = (Vec::new(), 0usize);
    loop {
        let line = readline(&mut s, -1);
        if line.is_empty() {
            break;
        }
        total += line.len();
        out.push(vm.new_bytes(line));
        if hint > 0 && total >= hint as usize {
            break;
        }
    }
    Ok(vm.new_list(out))
}

fn b_readinto(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("readinto", args, 2, 2)?;
    let len = super::readinto_len(vm, &args.args[1])?;
    let data = take(&mut *open_state(vm, &args.args[0])?, len as i64);
    super::readinto_store(vm, &args.args[1], &data)?;
    Ok(Value::Int(data.len() as i64))
}

fn b_write(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("write", args, 2, 2)?;
    let v = &args.args[0];
    open_state(vm, v)?;
    check_exports(vm, v)?;
    let data = bytes_like(vm, &args.args[1])?;
    let mut s = open_state(vm, v)?;
    write(&mut s, &data);
    Ok(Value::Int(data.len() as i64))
}

fn b_writelines(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("writelines", args, 2, 2)?;
    let v = &args.args[0];
    open_state(vm, v)?;
    check_exports(vm, v)?;
    let it = vm.iter(&args.args[1])?;
    while let Some(item) = vm.next(&it)? {
        let data = bytes_like(vm, &item)?;
        write(&mut *open_state(vm, v)?, &data);
    }
    Ok(Value::None)
}

/// `getbuffer()`: a writable memoryview of the contents (see `export`).
fn b_getbuffer(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("getbuffer", args, 1, 1)?;
    let mut s = open_state(vm, &args.args[0])?;
    let ba = match &s.export {
        Some(ba) => ba.clone(),
        None => {
            let ba = crate::types::bytes::new_bytearray(vm, s.buf.clone());
            s.export = Some(ba.clone());
            ba
        }
    };
    drop(s);
    crate::types::memoryview::new_memoryview(vm, &ba)
}

fn b_getvalue(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("getvalue", args, 1, 1)?;
    Ok(vm.new_bytes(open_state(vm, &args.args[0])?.buf.clone()))
}

fn b_tell(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("tell", args, 1, 1)?;
    Ok(Value::Int(open_state(vm, &args.args[0])?.pos as i64))
}

fn b_seek(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("seek", args, 2, 3)?;
    let pos = vm.to_index_i64(&args.args[1])?;
    let whence = match args.args.get(2) {
        Some(w) => vm.to_index_i64(w)?,
        None => 0,
    };
    let mut s = open_state(vm, &args.args[0])?;
    if pos < 0 && whence == 0 {
        return Err(vm.new_value_error(format!("negative seek value {pos}")));
    }
    let base = match whence {
        0 => 0,
        1 => s.pos as i64,
        2 => s.buf.len() as i64,
        _ => return Err(vm.new_value_error(format!("invalid whence ({whence}, should be 0, 1 or 2)"))),
    };
    s.pos = base.saturating_add(pos).max(0) as usize;
    Ok(Value::Int(s.pos as i64))
}

fn b_truncate(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("truncate", args, 1, 2)?;
    open_state(vm, &args.args[0])?;
    check_exports(vm, &args.args[0])?;
    let mut s = open_state(vm, &args.args[0])?;
    let size = match args.args.get(1) {
        None | Some(Value::None) => s.pos as i64,
        Some(n) => vm.to_index_i64(n)?,
    };
    if size < 0 {
        return Err(vm.new_value_error(format!("negative size value {size}")));
    }
    if (size as usize) < s.buf.len() {
        s.buf.truncate(size as usize);
    }
    Ok(Value::Int(size))
}

fn b_true(vm: &Vm, args: Args) -> PyResult {
    open_state(vm, this(vm, &args)?)?;
    Ok(Value::Bool(true))
}
fn b_false(vm: &Vm, args: Args) -> PyResult {
    open_state(vm, this(vm, &args)?)?;
    Ok(Value::Bool(false))
}
fn b_flush(vm: &Vm, args: Args) -> PyResult {
    open_state(vm, this(vm, &args)?)?;
    Ok(Value::None)
}
fn b_iter(vm: &Vm, args: Args) -> PyResult {
    let v = this(vm, &args)?;
    open_state(vm, v)?;
    Ok(v.clone())
}
fn b_next(vm: &Vm, args: Args) -> PyResult {
    let mut s = open_state(vm, this(vm, &args)?)?;
    let line = readline(&mut s, -1);
    if line.is_empty() {
        return Err(vm.new_stop_iteration(None));
    }
    Ok(vm.new_bytes(line))
}

fn b_close(vm: &Vm, args: Args) -> PyResult {
    let v = this(vm, &args)?;
    check_exports(vm, v)?;
    let mut s = state(vm, v)?.try_borrow_mut().map_err(|_| vm.new_runtime_error("reentrant call inside BytesIO"))?;
    s.closed = true;
    s.buf = Vec::new();
    Ok(Value::None)
}

fn b_getstate(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__getstate__", args, 1, 1)?;
    let v = &args.args[0];
    let (data, pos) = {
        let s = open_state(vm, v)?;
        (s.buf.clone(), s.pos)
    };
    let dict = match vm.instance_dict(v, false) {
        Some(d) => vm.call(&Value::Obj(vm.types.dict.clone()), Args::new(&[Value::Obj(d)]))?,
        None => Value::None,
    };
    Ok(vm.new_tuple(vec![vm.new_bytes(data), Value::Int(pos as i64), dict]))
}

fn b_setstate(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__setstate__", args, 2, 2)?;
    let (v, st) = (&args.args[0], &args.args[1]);
    let items = match st.payload().and_then(|p| p.as_tuple()) {
        Some(t) if t.len() >= 3 => t.to_vec(),
        _ => {
            return Err(vm.new_type_error(format!(
                "{}.__setstate__ argument should be 3-tuple, got {}",
                vm.type_name_of(v),
                vm.type_name_of(st)
            )))
        }
    };
    check_exports(vm, v)?;
    let data = bytes_like(vm, &items[0])?;
    let pos = vm.to_index_i64(&items[1])?;
    if pos < 0 {
        return Err(vm.new_value_error("position value cannot be negative"));
    }
    {
        let mut s = open_state(vm, v)?;
        s.buf = data;
        s.pos = pos as usize;
    }
    if !items[2].is_none() {
        if let Some(d) = vm.instance_dict(v, true) {
            vm.call_method(&Value::Obj(d), "update", &[items[2].clone()])?;
        }
    }
    Ok(Value::None)
}

fn g_closed(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Bool(state(vm, v)?.borrow().closed))
}

static METHODS: [NativeDef; 25] = [
    NativeDef::staticmethod("__new__", b_new),
    NativeDef::method("__init__", b_init),
    NativeDef::method("read", b_read),
    NativeDef::method("read1", b_read),
    NativeDef::method("readline", b_readline),
    NativeDef::method("readlines", b_readlines),
    NativeDef::method("readinto", b_readinto),
    NativeDef::method("write", b_write),
    NativeDef::method("writelines", b_writelines),
    NativeDef::method("getvalue", b_getvalue),
    NativeDef::method("getbuffer", b_getbuffer),
    NativeDef::method("tell", b_tell),
    NativeDef::method("seek", b_seek),
    NativeDef::method("truncate", b_truncate),
    NativeDef::method("readable", b_true),
    NativeDef::method("writable", b_true),
    NativeDef::method("seekable", b_true),
    NativeDef::method("isatty", b_false),
    NativeDef::method("flush", b_flush),
    NativeDef::method("__iter__", b_iter),
    NativeDef::method("__next__", b_next),
    NativeDef::method("close", b_close),
    NativeDef::method("__getstate__", b_getstate),
    NativeDef::method("__setstate__", b_setstate),
    NativeDef::method("readinto1", b_readinto),
];

static GETSETS: [GetSetDef; 1] = [GetSetDef { name: "closed", get: g_closed, set: None, doc: "" }];

pub fn init(vm: &Vm) {
    crate::types::add_methods(vm, &vm.types.bytes_io, &METHODS);
    crate::types::add_getsets(vm, &vm.types.bytes_io, &GETSETS);
}
