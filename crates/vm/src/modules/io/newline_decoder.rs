//! `_io.IncrementalNewlineDecoder`: wraps an incremental decoder (or None for
//! str input), holds back a trailing "\r" until the next chunk shows whether
//! "\n" follows, records which newline kinds were seen and, with
//! `translate`, turns "\r\n" and "\r" into "\n".

use super::stringio::{scan_newlines, seen_value};
use super::{split_self, IoData};
use crate::payload::GetSetDef;
use crate::value::Value;
use crate::{Args, NativeDef, PyResult, Vm};
use std::cell::RefCell;

pub struct DecoderState {
    decoder: Value,
    translate: bool,
    pendingcr: bool,
    seen: u8,
    ready: bool,
}

fn state<'a>(vm: &Vm, v: &'a Value) -> PyResult<&'a RefCell<DecoderState>> {
    match super::io_data(v) {
        Some(IoData::Decoder(d)) => {
            if !d.try_borrow().map_or(true, |d| d.ready) {
                return Err(vm.new_value_error("IncrementalNewlineDecoder.__init__() not called"));
            }
            Ok(d)
        }
        _ => Err(vm.new_type_error(format!(
            "descriptor requires a '_io.IncrementalNewlineDecoder' object but received '{}'",
            vm.type_name_of(v)
        ))),
    }
}

fn snapshot(vm: &Vm, v: &Value) -> PyResult<(Value, bool, bool)> {
    let d = state(vm, v)?.try_borrow().map_err(|_| vm.new_runtime_error("reentrant call"))?;
    Ok((d.decoder.clone(), d.translate, d.pendingcr))
}

fn d_new(vm: &Vm, args: Args) -> PyResult {
    let cls = crate::types::object::new_target(vm, "IncrementalNewlineDecoder", &args, &vm.types.newline_decoder)?;
    let st = DecoderState { decoder: Value::None, translate: false, pendingcr: false, seen: 0, ready: false };
    Ok(super::new_io_object(&cls, IoData::Decoder(RefCell::new(st))))
}

fn d_init(vm: &Vm, args: Args) -> PyResult {
    let (v, rest) = split_self(vm, args)?;
    let b = vm.bind_native("IncrementalNewlineDecoder", rest, &["decoder", "translate", "errors"], 0, 2, None)?;
    let translate = vm.truthy(b[1].as_ref().unwrap())?;
    let cell = match super::io_data(v) {
        Some(IoData::Decoder(d)) => d,
        _ => return Err(vm.new_type_error("IncrementalNewlineDecoder.__init__ needs a decoder object")),
    };
    *cell.try_borrow_mut().map_err(|_| vm.new_runtime_error("reentrant call"))? =
        DecoderState { decoder: b[0].clone().unwrap(), translate, pendingcr: false, seen: 0, ready: true };
    Ok(Value::None)
}

fn d_decode(vm: &Vm, args: Args) -> PyResult {
    let (v, rest) = split_self(vm, args)?;
    let b = vm.bind_native("decode", rest, &["input", "final"], 0, 1, None)?;
    let input = b[0].clone().unwrap();
    let fin = b[1].as_ref().map_or(Ok(false), |f| vm.truthy(f))?;
    let (decoder, translate, pendingcr) = snapshot(vm, v)?;
    let out = if decoder.is_none() {
        input
    } else {
        let f = vm.getattr_str(&decoder, "decode")?;
        let kw = [vm.new_str("final")];
        vm.call(&f, Args::with_kw(&[input, Value::Bool(fin)], &kw))?
    };
    let mut text = match vm.as_str(&out) {
        Some(s) => s.to_string(),
        None => {
            return Err(vm.new_type_error(format!(
                "decoder should return a string result, not '{}'",
                vm.type_name_of(&out)
            )))
        }
    };
    let mut pending = pendingcr;
    if pending && (!text.is_empty() || fin) {
        text.insert(0, '\r');
        pending = false;
    }
    if text.ends_with('\r') && !fin {
        text.pop();
        pending = true;
    }
    let mut d = state(vm, v)?.try_borrow_mut().map_err(|_| vm.new_runtime_error("reentrant call"))?;
    d.pendingcr = pending;
    let text = scan_newlines(&text, &mut d.seen, translate);
    Ok(vm.new_str(text))
}

fn d_getstate(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("getstate", args, 1, 1)?;
    let (decoder, _, pendingcr) = snapshot(vm, &args.args[0])?;
    let (buf, flag) = if decoder.is_none() {
        (vm.new_bytes(Vec::new()), 0)
    } else {
        let st = vm.call_method(&decoder, "getstate", &[])?;
        match st.payload().and_then(|p| p.as_tuple()) {
            Some([buf, flag]) => (buf.clone(), vm.to_index_i64(flag)?),
            _ => return Err(vm.new_type_error("illegal decoder state")),
        }
    };
    Ok(vm.new_tuple(vec![buf, Value::Int((flag << 1) | pendingcr as i64)]))
}

fn d_setstate(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("setstate", args, 2, 2)?;
    let v = &args.args[0];
    let (buf, flag) = match args.args[1].payload().and_then(|p| p.as_tuple()) {
        Some([buf, flag]) => (buf.clone(), vm.to_index_i64(flag)?),
        _ => return Err(vm.new_type_error("state argument must be a tuple")),
    };
    let (decoder, _, _) = snapshot(vm, v)?;
    state(vm, v)?.try_borrow_mut().map_err(|_| vm.new_runtime_error("reentrant call"))?.pendingcr = flag & 1 != 0;
    if !decoder.is_none() {
        vm.call_method(&decoder, "setstate", &[vm.new_tuple(vec![buf, Value::Int(flag >> 1)])])?;
    }
    Ok(Value::None)
}

fn d_reset(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("reset", args, 1, 1)?;
    let v = &args.args[0];
    let (decoder, _, _) = snapshot(vm, v)?;
    {
        let mut d = state(vm, v)?.try_borrow_mut().map_err(|_| vm.new_runtime_error("reentrant call"))?;
        d.seen = 0;
        d.pendingcr = false;
    }
    if !decoder.is_none() {
        vm.call_method(&decoder, "reset", &[])?;
    }
    Ok(Value::None)
}

fn g_newlines(vm: &Vm, v: &Value) -> PyResult {
    let seen = state(vm, v)?.try_borrow().map_err(|_| vm.new_runtime_error("reentrant call"))?.seen;
    Ok(seen_value(vm, seen))
}

static METHODS: [NativeDef; 6] = [
    NativeDef::staticmethod("__new__", d_new),
    NativeDef::method("__init__", d_init),
    NativeDef::method("decode", d_decode),
    NativeDef::method("getstate", d_getstate),
    NativeDef::method("setstate", d_setstate),
    NativeDef::method("reset", d_reset),
];

static GETSETS: [GetSetDef; 1] = [GetSetDef { name: "newlines", get: g_newlines, set: None, doc: "" }];

pub fn init(vm: &Vm) {
    crate::types::add_methods(vm, &vm.types.newline_decoder, &METHODS);
    crate::types::add_getsets(vm, &vm.types.newline_decoder, &GETSETS);
}
