//! The native `_io` module: CPython's class tree (`_IOBase` and its three
//! abstract children, FileIO, the Buffered* classes, BytesIO, StringIO,
//! TextIOWrapper, IncrementalNewlineDecoder) plus `open`, `open_code` and
//! `text_encoding`. Lib/io.py builds the public `io` module on top of it.
//!
//! It lives in the VM crate, not krait-stdlib, because the interpreter itself
//! needs it: builtin `open` and `sys.stdin/stdout/stderr` are its objects.
//!
//! Files: `iobase.rs` (the abstract bases, generic methods in terms of
//! Python-level calls), `stringio.rs`, `bytesio.rs`, `stream.rs` (OS handles
//! and the byte buffers shared along a file chain), `file.rs` (FileIO,
//! Buffered*, TextIOWrapper methods), `text.rs` (decoding and lines),
//! `open.rs` (constructors, `open()`, std streams), `newline_decoder.rs`,
//! `rwpair.rs`.
//!
//! Every object is a `Payload::Instance` wrapping `Payload::Io`, even for the
//! exact builtin class, because CPython's io objects all have a `__dict__`
//! (`open()` stores `mode` there).

pub mod bytesio;
pub mod file;
pub mod iobase;
pub mod newline_decoder;
pub mod open;
pub mod rwpair;
pub mod stream;
pub mod stringio;
pub mod text;

use crate::object::PyRef;
use crate::payload::Payload;
use crate::value::Value;
use crate::{Args, PyResult, Vm};
use std::cell::RefCell;

pub const DEFAULT_BUFFER_SIZE: usize = 8192;

/// The native state of an `_io` object.
pub enum IoData {
    File(RefCell<file::FileState>),
    StringIO(RefCell<stringio::StringIOState>),
    BytesIO(RefCell<bytesio::BytesIOState>),
    Decoder(RefCell<newline_decoder::DecoderState>),
    RWPair(RefCell<Option<(Value, Value)>>),
}

/// The io state of a value, looking through a subclass instance.
pub fn io_data(v: &Value) -> Option<&IoData> {
    match v.payload().map(|p| p.base()) {
        Some(Payload::Io(d)) => Some(d),
        _ => None,
    }
}

/// A new io object of class `cls` (always with a `__dict__` cell).
pub fn new_io_object(cls: &PyRef, data: IoData) -> Value {
    Value::Obj(PyRef::new_instance(cls.clone(), Some(Box::new(Payload::Io(Box::new(data))))))
}

pub fn closed_error(vm: &Vm) -> crate::PyErr {
    vm.new_value_error("I/O operation on closed file.")
}

pub fn unsupported(vm: &Vm, msg: &str) -> crate::PyErr {
    vm.new_exception_msg(&vm.exc.unsupported_operation, msg)
}

/// Splits a method call into `self` and the remaining arguments.
pub fn split_self<'a>(vm: &Vm, args: Args<'a>) -> PyResult<(&'a Value, Args<'a>)> {
    if args.positional().is_empty() {
        return Err(vm.new_type_error("descriptor needs an argument"));
    }
    Ok((&args.args[0], Args::with_kw(&args.args[1..], args.kwnames)))
}

/// An optional size argument: None or an index; -1 when absent.
pub fn size_arg(vm: &Vm, v: Option<&Value>) -> PyResult<i64> {
    match v {
        None | Some(Value::None) => Ok(-1),
        Some(v) => {
            if vm.special(v, crate::types::typeobj::Slot::Index).is_none() && !matches!(v, Value::Int(_) | Value::Bool(_)) {
                return Err(vm.new_type_error(format!(
                    "argument should be integer or None, not '{}'",
                    vm.type_name_of(v)
                )));
            }
            vm.to_index_i64(v)
        }
    }
}

/// The bytes of a bytes-like argument (bytes, bytearray).
pub fn bytes_like(vm: &Vm, v: &Value) -> PyResult<Vec<u8>> {
    match v.payload().map(|p| p.base()) {
        Some(Payload::Bytes(b)) => Ok(b.bytes.to_vec()),
        Some(Payload::ByteArray(b)) => Ok(b.borrow().clone()),
        // memoryview (pathlib's write_bytes passes one).
        _ => crate::types::int::bytes_like(v).ok_or_else(|| {
            vm.new_type_error(format!("a bytes-like object is required, not '{}'", vm.type_name_of(v)))
        }),
    }
}

/// The room in a `readinto` target: a bytearray or a writable memoryview.
pub fn readinto_len(vm: &Vm, v: &Value) -> PyResult<usize> {
    match v.payload().map(|p| p.base()) {
        Some(Payload::ByteArray(b)) => Ok(b.try_borrow().map_err(|_| vm.new_runtime_error("reentrant call"))?.len()),
        _ => crate::types::memoryview::writable_nbytes(v).ok_or_else(|| {
            vm.new_type_error(format!("readinto() argument must be read-write bytes-like object, not {}", vm.type_name_of(v)))
        }),
    }
}

/// Copies what was read into a `readinto` target; the target may have
/// shrunk meanwhile (Python code or another thread ran), so only what still
/// fits is copied. Returns the number of bytes stored.
pub fn readinto_store(vm: &Vm, v: &Value, data: &[u8]) -> PyResult<usize> {
    match v.payload().map(|p| p.base()) {
        Some(Payload::ByteArray(b)) => {
            let mut t = b.try_borrow_mut().map_err(|_| vm.new_runtime_error("reentrant call"))?;
            let n = data.len().min(t.len());
            t[..n].copy_from_slice(&data[..n]);
            Ok(n)
        }
        _ => crate::types::memoryview::write_prefix(vm, v, data),
    }
}

/// Is the line empty (a str or bytes of length 0)? Used by iteration.
pub fn is_empty_line(v: &Value) -> bool {
    match v.payload().map(|p| p.base()) {
        Some(Payload::Str(s)) => s.char_len() == 0,
        Some(Payload::Bytes(b)) => b.bytes.is_empty(),
        Some(Payload::ByteArray(b)) => b.borrow().is_empty(),
        _ => false,
    }
}

/// Sets up the classes' methods and makes `_io` importable.
pub fn init(vm: &Vm) {
    use crate::types::add_attr;
    let t = &vm.types;
    for typ in [
        &t.io_base, &t.raw_io_base, &t.buffered_io_base, &t.text_io_base, &t.file_io, &t.buffered_reader,
        &t.buffered_writer, &t.buffered_random, &t.buffered_rw_pair, &t.bytes_io, &t.string_io, &t.text_io_wrapper,
        &t.newline_decoder,
    ] {
        add_attr(vm, typ, "__module__", Value::Obj(vm.intern("_io")));
    }
    iobase::init(vm);
    stringio::init(vm);
    bytesio::init(vm);
    file::init(vm);
    newline_decoder::init(vm);
    rwpair::init(vm);
    // io.UnsupportedOperation is both an OSError and a ValueError.
    let uo = &vm.exc.unsupported_operation;
    let bases = vec![vm.exc.os_error.clone(), vm.exc.value_error.clone()];
    if let Ok(mro) = vm.compute_mro(uo, &bases) {
        let td = uo.payload.as_type().unwrap();
        *td.bases.borrow_mut() = bases;
        *td.mro.borrow_mut() = mro;
        vm.exc.value_error.payload.as_type().unwrap().subclasses.borrow_mut().push(uo.as_ptr());
    }
    add_attr(vm, uo, "__module__", Value::Obj(vm.intern("io")));
    // CPython makes it with PyErr_NewException, a heap type: io.py sets its __module__.
    let td = uo.payload.as_type().unwrap();
    td.flags.set(td.flags.get() | crate::types::typeobj::type_flags::HEAPTYPE);
    vm.native_modules.borrow_mut().insert("_io".to_string(), make_module);
}

static FUNCTIONS: [crate::NativeDef; 3] = [
    crate::NativeDef::function("open", open::open),
    crate::NativeDef::function("open_code", open::open_code),
    crate::NativeDef::function("text_encoding", open::text_encoding),
];

fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let m = vm.new_module("_io");
    let dict = match &m.payload {
        Payload::Module(d) => d.dict.clone(),
        _ => unreachable!("new_module makes a module"),
    };
    let set = |name: &str, v: Value| vm.dict_set_str(&dict, &vm.intern(name), v);
    for def in &FUNCTIONS {
        set(def.name, vm.new_native_function(def, None));
    }
    let t = &vm.types;
    for typ in [
        &t.io_base, &t.raw_io_base, &t.buffered_io_base, &t.text_io_base, &t.file_io, &t.buffered_reader,
        &t.buffered_writer, &t.buffered_random, &t.buffered_rw_pair, &t.bytes_io, &t.string_io, &t.text_io_wrapper,
        &t.newline_decoder,
    ] {
        set(&vm.type_name(typ), Value::Obj(typ.clone()));
    }
    set("DEFAULT_BUFFER_SIZE", Value::Int(DEFAULT_BUFFER_SIZE as i64));
    set("UnsupportedOperation", Value::Obj(vm.exc.unsupported_operation.clone()));
    set("BlockingIOError", Value::Obj(vm.exc.blocking_io_error.clone()));
    Ok(m)
}
