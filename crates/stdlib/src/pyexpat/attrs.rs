//! The xmlparser's data attributes: buffering and attribute-reporting
//! switches, the intern dict, and the position and error attributes.

use super::xmlparser::state;
use krait_vm::payload::GetSetDef;
use krait_vm::{PyResult, Value, Vm};

fn need(vm: &Vm, value: Option<Value>) -> PyResult<Value> {
    value.ok_or_else(|| vm.new_runtime_error("Cannot delete attribute"))
}

macro_rules! bool_attr {
    ($name:literal, $($field:ident).+) => {
        GetSetDef {
            name: $name,
            get: |vm, v| Ok(Value::Bool(state(vm, v, $name)?.inner.borrow().$($field).+)),
            set: Some(|vm, v, value| {
                let p = state(vm, v, $name)?;
                let b = vm.truthy(&need(vm, value)?)?;
                if $name == "buffer_text" && !b {
                    p.flush(vm)?;
                }
                p.inner.borrow_mut().$($field).+ = b;
                Ok(())
            }),
            doc: "",
        }
    };
}

macro_rules! pos_attr {
    ($name:literal, $idx:tt) => {
        GetSetDef { name: $name, get: |vm, v| Ok(Value::Int(state(vm, v, $name)?.inner.borrow().pos.$idx as i64)), set: None, doc: "" }
    };
}

fn get_buffer_size(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(state(vm, v, "buffer_size")?.inner.borrow().buffer_size as i64))
}

fn set_buffer_size(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let p = state(vm, v, "buffer_size")?;
    let value = need(vm, value)?;
    if !matches!(value, Value::Int(_)) && vm.as_ibig(&value).is_none() {
        return Err(vm.new_type_error("buffer_size must be an integer"));
    }
    let n = crate::native::ssize(vm, &value)?;
    if n <= 0 {
        return Err(vm.new_value_error("buffer_size must be greater than zero"));
    }
    if n > i32::MAX as i64 {
        return Err(vm.new_value_error(format!("buffer_size must not be greater than {}", i32::MAX)));
    }
    p.flush(vm)?;
    p.inner.borrow_mut().buffer_size = n as usize;
    Ok(())
}

fn get_buffer_used(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(state(vm, v, "buffer_used")?.inner.borrow().buffer.len() as i64))
}

fn get_intern(vm: &Vm, v: &Value) -> PyResult {
    Ok(state(vm, v, "intern")?.inner.borrow().intern.clone().unwrap_or(Value::None))
}

fn get_error_code(vm: &Vm, v: &Value) -> PyResult {
    let p = state(vm, v, "ErrorCode")?;
    let i = p.inner.borrow();
    Ok(Value::Int(i.last_error.map_or(0, |e| e.code as i64)))
}

fn get_ns_prefixes(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Bool(state(vm, v, "namespace_prefixes")?.inner.borrow().core.ns_prefixes))
}

fn set_ns_prefixes(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let p = state(vm, v, "namespace_prefixes")?;
    let b = vm.truthy(&need(vm, value)?)?;
    p.inner.borrow_mut().core.ns_prefixes = b;
    Ok(())
}

pub static ATTR_GETSETS: [GetSetDef; 14] = [
    bool_attr!("buffer_text", buffer_text),
    bool_attr!("ordered_attributes", ordered),
    bool_attr!("specified_attributes", specified),
    GetSetDef { name: "namespace_prefixes", get: get_ns_prefixes, set: Some(set_ns_prefixes), doc: "" },
    GetSetDef { name: "buffer_size", get: get_buffer_size, set: Some(set_buffer_size), doc: "" },
    GetSetDef { name: "buffer_used", get: get_buffer_used, set: None, doc: "" },
    GetSetDef { name: "intern", get: get_intern, set: None, doc: "" },
    GetSetDef { name: "ErrorCode", get: get_error_code, set: None, doc: "" },
    pos_attr!("CurrentLineNumber", 0),
    pos_attr!("CurrentColumnNumber", 1),
    pos_attr!("CurrentByteIndex", 2),
    pos_attr!("ErrorLineNumber", 0),
    pos_attr!("ErrorColumnNumber", 1),
    pos_attr!("ErrorByteIndex", 2),
];
