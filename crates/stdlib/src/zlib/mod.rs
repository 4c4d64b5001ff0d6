//! The `zlib` module: CPython 3.11's API (compress, decompress, the
//! Compress/Decompress stream objects, crc32/adler32, zlib.error and the
//! constants) over miniz_oxide's deflate coder. The zlib and gzip wrappers,
//! preset dictionaries and zlib's error messages are handled in
//! `deflate.rs`/`inflate.rs`; `objects.rs` holds the two stream types.

mod checksum;
mod deflate;
mod inflate;
mod objects;

use crate::compression::{c_int, data_arg, maybe_unlocked};
use krait_vm::{Args, NativeDef, PyErr, PyRef, PyResult, Value, Vm};
use std::cell::RefCell;

/// A zlib failure: its return code, `strm->msg` (if zlib sets one) and
/// what CPython says it was doing ("while decompressing data").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ZErr {
    pub code: i32,
    pub msg: Option<&'static str>,
    pub when: &'static str,
}

const DEF_BUF_SIZE: i64 = 16384;

/// The `zlib.error` class of this interpreter.
#[derive(Default)]
struct ZlibState {
    error: RefCell<Option<Value>>,
}

/// `zlib.error(msg)`.
fn new_error(vm: &Vm, msg: &str) -> PyErr {
    let cls = vm.state::<ZlibState>().error.borrow().clone();
    let Some(cls) = cls else {
        return vm.new_runtime_error("zlib.error is missing");
    };
    match vm.call1(&cls, &[vm.new_str(msg)]) {
        Ok(Value::Obj(e)) => e,
        Ok(_) => vm.new_type_error("zlib.error is not an exception"),
        Err(e) => e,
    }
}

/// CPython's `zlib_error`: "Error -3 while decompressing data: incorrect
/// header check", with its fallback messages when zlib gives none.
fn zlib_error(vm: &Vm, e: ZErr) -> PyErr {
    let msg = e.msg.or(match e.code {
        -5 => Some("incomplete or truncated stream"),
        -2 => Some("inconsistent stream state"),
        -3 => Some("invalid input data"),
        _ => None,
    });
    match msg {
        Some(m) => new_error(vm, &format!("Error {} {}: {}", e.code, e.when, m)),
        None => new_error(vm, &format!("Error {} {}", e.code, e.when)),
    }
}

/// An optional C `int` argument with its default.
fn c_int_or(vm: &Vm, v: &Option<Value>, default: i32) -> PyResult<i32> {
    match v {
        Some(v) => c_int(vm, v),
        None => Ok(default),
    }
}

/// A `Py_ssize_t` argument with its default.
fn ssize_or(vm: &Vm, v: &Option<Value>, default: i64) -> PyResult<i64> {
    match v {
        Some(v) => crate::native::ssize(vm, v),
        None => Ok(default),
    }
}

/// An `unsigned int` taken bitwise (any int, modulo 2**32).
fn uint_bitwise(vm: &Vm, v: &Value) -> PyResult<u32> {
    match vm.index(v)? {
        Value::Int(i) => Ok(i as u32),
        Value::Bool(b) => Ok(b as u32),
        big => {
            let i = krait_vm::types::int::int_of(&big).unwrap_or_default();
            let m = i & dashu_int::IBig::from(0xffff_ffffu32);
            Ok(u32::try_from(&m).unwrap_or(0))
        }
    }
}

/// Argument-clinic binding whose first `posonly` parameters are
/// positional-only, `required` of them required: clinic's messages
/// ("f() takes at least 1 positional argument (0 given)", "'x' is an
/// invalid keyword argument for f()").
fn bind_posonly(vm: &Vm, name: &str, args: Args, names: &[&str], posonly: usize, required: usize) -> PyResult<Vec<Option<Value>>> {
    let given = args.positional().len();
    if given > names.len() {
        let n = names.len();
        let s = if n == 1 { "" } else { "s" };
        return Err(vm.new_type_error(format!("{name}() takes at most {n} argument{s} ({given} given)")));
    }
    if given < required {
        let how = if names.len() > required { "at least" } else { "exactly" };
        let s = if required == 1 { "" } else { "s" };
        return Err(vm.new_type_error(format!("{name}() takes {how} {required} positional argument{s} ({given} given)")));
    }
    if names.len() == posonly {
        if let Some((k, _)) = args.keywords().next() {
            let k = vm.as_str(k).unwrap_or("");
            return Err(vm.new_type_error(format!("'{k}' is an invalid keyword argument for {name}()")));
        }
    }
    vm.bind_native(name, args, names, posonly, required, None)
}

/// `compress(data, /, level=Z_DEFAULT_COMPRESSION, wbits=MAX_WBITS)`.
fn compress(vm: &Vm, args: Args) -> PyResult {
    let a = bind_posonly(vm, "compress", args, &["data", "level", "wbits"], 1, 1)?;
    let data = data_arg(vm, a[0].as_ref().unwrap_or(&Value::None))?;
    let level = c_int_or(vm, &a[1], -1)?;
    let wbits = c_int_or(vm, &a[2], 15)?;
    let Some(mut d) = deflate::Deflater::new(level, 8, wbits, 8, 0) else {
        return Err(new_error(vm, "Bad compression level"));
    };
    let out = maybe_unlocked(vm, data.len(), || {
        let mut out = Vec::new();
        d.run(&data, 4, &mut out, "while compressing data").map(|_| out)
    });
    out.map(|o| vm.new_bytes(o)).map_err(|e| zlib_error(vm, e))
}

/// `decompress(data, /, wbits=MAX_WBITS, bufsize=DEF_BUF_SIZE)`.
fn decompress(vm: &Vm, args: Args) -> PyResult {
    let a = bind_posonly(vm, "decompress", args, &["data", "wbits", "bufsize"], 1, 1)?;
    let data = data_arg(vm, a[0].as_ref().unwrap_or(&Value::None))?;
    let wbits = c_int_or(vm, &a[1], 15)?;
    if ssize_or(vm, &a[2], DEF_BUF_SIZE)? < 0 {
        return Err(vm.new_value_error("bufsize must be non-negative"));
    }
    let out = maybe_unlocked(vm, data.len(), || inflate::decompress_all(&data, wbits));
    out.map(|o| vm.new_bytes(o)).map_err(|e| zlib_error(vm, e))
}

/// `crc32(data, value=0, /)` and `adler32(data, value=1, /)`.
fn checksum_fn(vm: &Vm, args: Args, name: &str, start: u32, f: fn(u32, &[u8]) -> u32) -> PyResult {
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("zlib.{name}() takes no keyword arguments")));
    }
    let a = crate::native::unpack(vm, name, &args, 1, 2)?;
    let data = data_arg(vm, &a[0])?;
    let value = match a.get(1) {
        Some(v) => uint_bitwise(vm, v)?,
        None => start,
    };
    Ok(Value::Int(maybe_unlocked(vm, data.len(), || f(value, &data)) as i64))
}

fn crc32(vm: &Vm, args: Args) -> PyResult {
    checksum_fn(vm, args, "crc32", 0, checksum::crc32)
}

fn adler32(vm: &Vm, args: Args) -> PyResult {
    checksum_fn(vm, args, "adler32", 1, checksum::adler32)
}

const fn doc(def: NativeDef, doc: &'static str) -> NativeDef {
    NativeDef { doc, ..def }
}

static FUNCS: [NativeDef; 6] = [
    doc(
        NativeDef::function("adler32", adler32),
        "adler32($module, data, value=1, /)\n--\n\nCompute an Adler-32 checksum of data.\n\n  value\n    Starting value of the checksum.\n\nThe returned checksum is an integer.",
    ),
    doc(
        NativeDef::function("compress", compress),
        "compress($module, data, /, level=Z_DEFAULT_COMPRESSION, wbits=MAX_WBITS)\n--\n\nReturns a bytes object containing compressed data.\n\n  data\n    Binary data to be compressed.\n  level\n    Compression level, in 0-9 or -1.\n  wbits\n    The window buffer size and container format.",
    ),
    doc(
        NativeDef::function("compressobj", objects::compressobj),
        "compressobj($module, /, level=Z_DEFAULT_COMPRESSION, method=DEFLATED,\n            wbits=MAX_WBITS, memLevel=DEF_MEM_LEVEL,\n            strategy=Z_DEFAULT_STRATEGY, zdict=None)\n--\n\nReturn a compressor object.",
    ),
    doc(
        NativeDef::function("crc32", crc32),
        "crc32($module, data, value=0, /)\n--\n\nCompute a CRC-32 checksum of data.\n\n  value\n    Starting value of the checksum.\n\nThe returned checksum is an integer.",
    ),
    doc(
        NativeDef::function("decompress", decompress),
        "decompress($module, data, /, wbits=MAX_WBITS, bufsize=DEF_BUF_SIZE)\n--\n\nReturns a bytes object containing the uncompressed data.\n\n  data\n    Compressed data.\n  wbits\n    The window buffer size and container format.\n  bufsize\n    The initial output buffer size.",
    ),
    doc(
        NativeDef::function("decompressobj", objects::decompressobj),
        "decompressobj($module, /, wbits=MAX_WBITS, zdict=b'')\n--\n\nReturn a decompressor object.\n\n  wbits\n    The window buffer size and container format.\n  zdict\n    The predefined compression dictionary.  This must be the same\n    dictionary as used by the compressor that produced the input data.",
    ),
];

const MODULE_DOC: &str = "The functions in this module allow compression and decompression using the
zlib library, which is based on GNU zip.

adler32(string[, start]) -- Compute an Adler-32 checksum.
compress(data[, level]) -- Compress data, with compression level 0-9 or -1.
compressobj([level[, ...]]) -- Return a compressor object.
crc32(string[, start]) -- Compute a CRC-32 checksum.
decompress(string,[wbits],[bufsize]) -- Decompresses a compressed string.
decompressobj([wbits[, zdict]]) -- Return a decompressor object.

'wbits' is window buffer size and container format.
Compressor objects support compress() and flush() methods; decompressor
objects support decompress() and flush().";

/// The version CPython 3.11 reports (the zlib it was built with).
const ZLIB_VERSION: &str = "1.2.13";

/// Creates the `zlib` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let ns = vm.new_dict();
    vm.dict_set_str(&ns, &vm.intern("__module__"), vm.new_str("zlib"));
    let bases = vm.new_tuple(vec![Value::Obj(vm.exc.exception.clone())]);
    let error = vm.call1(&Value::Obj(vm.types.type_.clone()), &[vm.new_str("error"), bases, Value::Obj(ns)])?;
    *vm.state::<ZlibState>().error.borrow_mut() = Some(error.clone());
    objects::make_types(vm);
    let int = |i: i64| Value::Int(i);
    let attrs = vec![
        ("error", error),
        ("MAX_WBITS", int(15)),
        ("DEFLATED", int(8)),
        ("DEF_MEM_LEVEL", int(8)),
        ("DEF_BUF_SIZE", int(DEF_BUF_SIZE)),
        ("Z_NO_COMPRESSION", int(0)),
        ("Z_BEST_SPEED", int(1)),
        ("Z_BEST_COMPRESSION", int(9)),
        ("Z_DEFAULT_COMPRESSION", int(-1)),
        ("Z_FILTERED", int(1)),
        ("Z_HUFFMAN_ONLY", int(2)),
        ("Z_RLE", int(3)),
        ("Z_FIXED", int(4)),
        ("Z_DEFAULT_STRATEGY", int(0)),
        ("Z_NO_FLUSH", int(0)),
        ("Z_PARTIAL_FLUSH", int(1)),
        ("Z_SYNC_FLUSH", int(2)),
        ("Z_FULL_FLUSH", int(3)),
        ("Z_FINISH", int(4)),
        ("Z_BLOCK", int(5)),
        ("Z_TREES", int(6)),
        ("ZLIB_VERSION", vm.new_str(ZLIB_VERSION)),
        ("ZLIB_RUNTIME_VERSION", vm.new_str(ZLIB_VERSION)),
    ];
    Ok(crate::native::make_module(vm, "zlib", MODULE_DOC, &FUNCS, attrs))
}
