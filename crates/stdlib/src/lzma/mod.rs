//! The `_lzma` module: CPython 3.11's LZMACompressor, LZMADecompressor,
//! LZMAError, the filter property helpers zipfile uses and the constants,
//! over the `liblzma` crate (xz's liblzma, built from source). Filter
//! chain specifiers are parsed in `filters.rs`; `objects.rs` holds the two
//! stream types. Lib/lzma.py builds the file objects and one-shot functions.

mod filters;
mod objects;

use krait_vm::{Args, NativeDef, PyErr, PyRef, PyResult, Value, Vm};
use liblzma::stream::Error as LzError;
use std::cell::RefCell;

/// A liblzma failure: an error return or LZMA_BUF_ERROR.
#[derive(Debug, Clone, Copy)]
pub enum Fail {
    Lib(LzError),
    Buf,
}

/// The `_lzma.LZMAError` class of this interpreter.
#[derive(Default)]
struct LzmaState {
    error: RefCell<Option<Value>>,
}

/// `LZMAError(msg)`.
fn new_error(vm: &Vm, msg: &str) -> PyErr {
    let cls = vm.state::<LzmaState>().error.borrow().clone();
    let Some(cls) = cls else {
        return vm.new_runtime_error("_lzma.LZMAError is missing");
    };
    match vm.call1(&cls, &[vm.new_str(msg)]) {
        Ok(Value::Obj(e)) => e,
        Ok(_) => vm.new_type_error("LZMAError is not an exception"),
        Err(e) => e,
    }
}

/// CPython's `catch_lzma_error`.
fn lzma_error(vm: &Vm, e: Fail) -> PyErr {
    let msg = match e {
        Fail::Buf => "Insufficient buffer space",
        Fail::Lib(e) => match e {
            LzError::Mem => return vm.new_memory_error(),
            LzError::UnsupportedCheck => "Unsupported integrity check",
            LzError::MemLimit => "Memory usage limit exceeded",
            LzError::Format => "Input format not supported by decoder",
            LzError::Options => "Invalid or unsupported options",
            LzError::Data => "Corrupt input data",
            LzError::Program => "Internal error",
            // Not an error for CPython; never passed here.
            LzError::NoCheck => "Unrecognized error from liblzma: 5",
        },
    };
    new_error(vm, msg)
}

/// `PyLong_AsUnsignedLongLong`: an int (no `__index__`), 0..2**64.
fn u64_arg(vm: &Vm, v: &Value) -> PyResult<u64> {
    let Some(i) = krait_vm::types::int::int_of(v) else {
        return Err(vm.new_type_error("an integer is required"));
    };
    if i < dashu_int::IBig::ZERO {
        return Err(vm.new_overflow_error("can't convert negative int to unsigned"));
    }
    u64::try_from(&i).map_err(|_| vm.new_overflow_error("int too big to convert"))
}

/// CPython's `uint32_converter`.
fn u32_arg(vm: &Vm, v: &Value) -> PyResult<u32> {
    let n = u64_arg(vm, v)?;
    u32::try_from(n).map_err(|_| vm.new_overflow_error("Value too large for uint32_t type"))
}

/// An int as a Python value (u64 may exceed i64).
fn int_value(vm: &Vm, n: u64) -> Value {
    match i64::try_from(n) {
        Ok(i) => Value::Int(i),
        Err(_) => vm.new_int(dashu_int::IBig::from(n)),
    }
}

/// The check ids this liblzma supports.
fn check_supported(id: i32) -> bool {
    matches!(id, 0 | 1 | 4 | 10)
}

/// `is_check_supported(check_id, /)`.
fn is_check_supported(vm: &Vm, args: Args) -> PyResult {
    let a = vm.bind_native("is_check_supported", args, &["check_id"], 1, 1, None)?;
    let id = crate::native::c_int(vm, a[0].as_ref().unwrap_or(&Value::None))?;
    Ok(Value::Bool(check_supported(id)))
}

/// `_encode_filter_properties(filter, /)`.
fn encode_filter_properties(vm: &Vm, args: Args) -> PyResult {
    let a = vm.bind_native("_encode_filter_properties", args, &["filter"], 1, 1, None)?;
    let f = filters::parse_filter(vm, a[0].as_ref().unwrap_or(&Value::None))?;
    filters::encode_properties(&f).map(|b| vm.new_bytes(b)).map_err(|e| lzma_error(vm, e))
}

/// `_decode_filter_properties(filter_id, encoded_props, /)`.
fn decode_filter_properties(vm: &Vm, args: Args) -> PyResult {
    let a = vm.bind_native("_decode_filter_properties", args, &["filter_id", "encoded_props"], 2, 2, None)?;
    let id = u64_arg(vm, a[0].as_ref().unwrap_or(&Value::None))?;
    let props = crate::compression::data_arg(vm, a[1].as_ref().unwrap_or(&Value::None))?;
    let fields = filters::decode_properties(id, &props).map_err(|e| lzma_error(vm, e))?;
    let d = vm.new_dict();
    for (k, v) in fields {
        vm.dict_set_str(&d, &vm.intern(k), int_value(vm, v));
    }
    Ok(Value::Obj(d))
}

static FUNCS: [NativeDef; 3] = [
    NativeDef::function("is_check_supported", is_check_supported).doc("is_check_supported($module, check_id, /)\n--\n\nTest whether the given integrity check is supported.\n\nAlways returns True for CHECK_NONE and CHECK_CRC32."),
    NativeDef::function("_encode_filter_properties", encode_filter_properties).doc("_encode_filter_properties($module, filter, /)\n--\n\nReturn a bytes object encoding the options (properties) of the filter specified by *filter* (a dict).\n\nThe result does not include the filter ID itself, only the options."),
    NativeDef::function("_decode_filter_properties", decode_filter_properties).doc("_decode_filter_properties($module, filter_id, encoded_props, /)\n--\n\nReturn a bytes object encoding the options (properties) of the filter specified by *filter* (a dict).\n\nThe result does not include the filter ID itself, only the options."),
];

/// Creates the `_lzma` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let ns = vm.new_dict();
    vm.dict_set_str(&ns, &vm.intern("__module__"), vm.new_str("_lzma"));
    vm.dict_set_str(&ns, &vm.intern("__doc__"), vm.new_str("Call to liblzma failed."));
    let bases = vm.new_tuple(vec![Value::Obj(vm.exc.exception.clone())]);
    let error = vm.call1(&Value::Obj(vm.types.type_.clone()), &[vm.new_str("LZMAError"), bases, Value::Obj(ns)])?;
    *vm.state::<LzmaState>().error.borrow_mut() = Some(error.clone());
    let int = |i: i64| Value::Int(i);
    let mut attrs = vec![
        ("LZMAError", error),
        ("FORMAT_AUTO", int(0)),
        ("FORMAT_XZ", int(1)),
        ("FORMAT_ALONE", int(2)),
        ("FORMAT_RAW", int(3)),
        ("CHECK_NONE", int(0)),
        ("CHECK_CRC32", int(1)),
        ("CHECK_CRC64", int(4)),
        ("CHECK_SHA256", int(10)),
        ("CHECK_ID_MAX", int(15)),
        ("CHECK_UNKNOWN", int(16)),
        ("FILTER_LZMA1", int_value(vm, filters::FILTER_LZMA1)),
        ("FILTER_LZMA2", int(filters::FILTER_LZMA2 as i64)),
        ("FILTER_DELTA", int(filters::FILTER_DELTA as i64)),
        ("FILTER_X86", int(filters::FILTER_X86 as i64)),
        ("FILTER_POWERPC", int(filters::FILTER_POWERPC as i64)),
        ("FILTER_IA64", int(filters::FILTER_IA64 as i64)),
        ("FILTER_ARM", int(filters::FILTER_ARM as i64)),
        ("FILTER_ARMTHUMB", int(filters::FILTER_ARMTHUMB as i64)),
        ("FILTER_SPARC", int(filters::FILTER_SPARC as i64)),
        ("MF_HC3", int(3)),
        ("MF_HC4", int(4)),
        ("MF_BT2", int(18)),
        ("MF_BT3", int(19)),
        ("MF_BT4", int(20)),
        ("MODE_FAST", int(1)),
        ("MODE_NORMAL", int(2)),
        ("PRESET_DEFAULT", int(filters::PRESET_DEFAULT as i64)),
        ("PRESET_EXTREME", int(0x8000_0000)),
    ];
    attrs.extend(objects::make_types(vm));
    Ok(crate::native::make_module(vm, "_lzma", "", &FUNCS, attrs))
}
