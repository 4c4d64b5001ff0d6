//! `_io.BufferedRWPair(reader, writer)`: reads go to one object, writes to
//! the other (CPython wraps each in a Buffered*; the objects given here are
//! used as they are, which behaves the same for buffered arguments).

use super::{split_self, IoData};
use crate::payload::GetSetDef;
use crate::value::Value;
use crate::{Args, NativeDef, PyResult, Vm};
use std::cell::RefCell;

fn pair(vm: &Vm, v: &Value) -> PyResult<(Value, Value)> {
    match super::io_data(v) {
        Some(IoData::RWPair(p)) => p
            .try_borrow()
            .map_err(|_| vm.new_runtime_error("reentrant call"))?
            .clone()
            .ok_or_else(|| vm.new_value_error("I/O operation on uninitialized object")),
        _ => Err(vm.new_type_error("descriptor requires a '_io.BufferedRWPair' object")),
    }
}

fn p_new(vm: &Vm, args: Args) -> PyResult {
    let cls = crate::types::object::new_target(vm, "BufferedRWPair", &args, &vm.types.buffered_rw_pair)?;
    Ok(super::new_io_object(&cls, IoData::RWPair(RefCell::new(None))))
}

fn p_init(vm: &Vm, args: Args) -> PyResult {
    let (v, rest) = split_self(vm, args)?;
    let b = vm.bind_native("BufferedRWPair", rest, &["reader", "writer", "buffer_size"], 0, 2, None)?;
    let (r, w) = (b[0].clone().unwrap(), b[1].clone().unwrap());
    if !vm.truthy(&vm.call_method(&r, "readable", &[])?)? {
        return Err(super::unsupported(vm, "File or stream is not readable."));
    }
    if !vm.truthy(&vm.call_method(&w, "writable", &[])?)? {
        return Err(super::unsupported(vm, "File or stream is not writable."));
    }
    if let Some(IoData::RWPair(p)) = super::io_data(v) {
        *p.try_borrow_mut().map_err(|_| vm.new_runtime_error("reentrant call"))? = Some((r, w));
    }
    Ok(Value::None)
}

macro_rules! forward {
    ($fname:ident, $name:literal, $reader:expr) => {
        fn $fname(vm: &Vm, args: Args) -> PyResult {
            let (v, rest) = split_self(vm, args)?;
            let (r, w) = pair(vm, v)?;
            let target = if $reader { r } else { w };
            let f = vm.getattr_str(&target, $name)?;
            vm.call(&f, rest)
        }
    };
}
forward!(p_read, "read", true);
forward!(p_read1, "read1", true);
forward!(p_peek, "peek", true);
forward!(p_readinto, "readinto", true);
forward!(p_readinto1, "readinto1", true);
forward!(p_readable, "readable", true);
forward!(p_write, "write", false);
forward!(p_flush, "flush", false);
forward!(p_writable, "writable", false);

fn p_isatty(vm: &Vm, args: Args) -> PyResult {
    let (v, _) = split_self(vm, args)?;
    let (r, w) = pair(vm, v)?;
    if vm.truthy(&vm.call_method(&w, "isatty", &[])?)? {
        return Ok(Value::Bool(true));
    }
    vm.call_method(&r, "isatty", &[])
}

fn p_close(vm: &Vm, args: Args) -> PyResult {
    let (v, _) = split_self(vm, args)?;
    let (r, w) = pair(vm, v)?;
    let first = vm.call_method(&w, "close", &[]);
    vm.call_method(&r, "close", &[])?;
    first
}

fn g_closed(vm: &Vm, v: &Value) -> PyResult {
    let (_, w) = pair(vm, v)?;
    vm.getattr_str(&w, "closed")
}

static METHODS: [NativeDef; 13] = [
    NativeDef::staticmethod("__new__", p_new),
    NativeDef::method("__init__", p_init),
    NativeDef::method("read", p_read),
    NativeDef::method("read1", p_read1),
    NativeDef::method("peek", p_peek),
    NativeDef::method("readinto", p_readinto),
    NativeDef::method("readinto1", p_readinto1),
    NativeDef::method("readable", p_readable),
    NativeDef::method("write", p_write),
    NativeDef::method("flush", p_flush),
    NativeDef::method("writable", p_writable),
    NativeDef::method("isatty", p_isatty),
    NativeDef::method("close", p_close),
];

static GETSETS: [GetSetDef; 1] = [GetSetDef { name: "closed", get: g_closed, set: None, doc: "" }];

pub fn init(vm: &Vm) {
    crate::types::add_methods(vm, &vm.types.buffered_rw_pair, &METHODS);
    crate::types::add_getsets(vm, &vm.types.buffered_rw_pair, &GETSETS);
}
