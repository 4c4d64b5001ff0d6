//! The `_bz2` module: CPython 3.11's BZ2Compressor and BZ2Decompressor over
//! the `bzip2` crate (backed by libbz2-rs-sys, a Rust port of libbzip2, so
//! the output is byte for byte libbzip2's). Lib/bz2.py builds the file
//! objects and the one-shot functions on these two types.

use crate::compression::{data_arg, encode_all, maybe_unlocked, split, state_of, Decode, Decompressor, Locked, Step};
use crate::native::{native_type, new_object, TypeSpec};
use bzip2::{Action, Compress, Compression, Decompress, Error as BzError, Status};
use krait_vm::payload::GetSetDef;
use krait_vm::types::typeobj::Layout;
use krait_vm::{Args, NativeDef, PyErr, PyRef, PyResult, Value, Vm};

const COMP: &str = "_bz2.BZ2Compressor";
const DECOMP: &str = "_bz2.BZ2Decompressor";

/// A libbzip2 failure (a return code or a status that stands for one).
#[derive(Debug, Clone, Copy)]
pub enum Fail {
    Lib(BzError),
    Mem,
}

/// CPython's `catch_bz2_error`.
fn bz2_error(vm: &Vm, e: Fail) -> PyErr {
    match e {
        Fail::Lib(BzError::Param) => vm.new_value_error("Internal error - invalid parameters passed to libbzip2"),
        Fail::Lib(BzError::Data | BzError::DataMagic) => vm.new_os_error("Invalid data stream"),
        Fail::Lib(BzError::Sequence) => vm.new_runtime_error("Internal error - Invalid sequence of commands sent to libbzip2"),
        Fail::Mem => vm.new_memory_error(),
    }
}

/// Input is handed to libbzip2 in pieces its `unsigned int` counters can hold.
const MAX_CHUNK: usize = u32::MAX as usize;

/// A compressor and whether `flush()` ended its stream.
struct Comp {
    coder: Compress,
    flushed: bool,
}

impl Comp {
    /// Feeds `data` (or finishes the stream) and collects the output.
    fn run(&mut self, data: &[u8], action: Action) -> Result<Vec<u8>, Fail> {
        encode_all(data, action == Action::Finish, |input, out| {
            let piece = &input[..input.len().min(MAX_CHUNK)];
            let before = self.coder.total_in();
            let status = self.coder.compress_vec(piece, out, action).map_err(Fail::Lib)?;
            Ok(((self.coder.total_in() - before) as usize, status == Status::StreamEnd))
        })
    }
}

impl Decode for Decompress {
    type Err = Fail;

    fn step(&mut self, input: &[u8], out: &mut [u8]) -> Result<Step, Fail> {
        let input = &input[..input.len().min(MAX_CHUNK)];
        let out_len = out.len().min(MAX_CHUNK);
        let (in0, out0) = (self.total_in(), self.total_out());
        let status = self.decompress(input, &mut out[..out_len]).map_err(Fail::Lib)?;
        if status == Status::MemNeeded {
            return Err(Fail::Mem);
        }
        let consumed = (self.total_in() - in0) as usize;
        let produced = (self.total_out() - out0) as usize;
        Ok(Step { consumed, produced, end: status == Status::StreamEnd, event: false })
    }
}

type Decomp = Decompressor<Decompress>;

/// `BZ2Compressor(compresslevel=9, /)`.
fn comp_new(vm: &Vm, args: Args) -> PyResult {
    let t = native_type(vm, &COMPRESSOR);
    let (cls, rest) = crate::native::split_new(vm, args, &t)?;
    if rest.has_kwargs() {
        return Err(vm.new_type_error("BZ2Compressor() takes no keyword arguments"));
    }
    let pos = rest.positional();
    if pos.len() > 1 {
        return Err(vm.new_type_error(format!("BZ2Compressor expected at most 1 argument, got {}", pos.len())));
    }
    let level = match pos.first() {
        Some(v) => crate::compression::c_int(vm, v)?,
        None => 9,
    };
    let Some(level) = u32::try_from(level).ok().and_then(Compression::try_new) else {
        return Err(vm.new_value_error("compresslevel must be between 1 and 9"));
    };
    let state = Comp { coder: Compress::new(level, 0), flushed: false };
    Ok(new_object(vm, &cls, &t, Locked::new(state)))
}

/// `BZ2Compressor.compress(data, /)`.
fn comp_compress(vm: &Vm, args: Args) -> PyResult {
    let (me, rest) = split::<Comp>(vm, args, "compress", COMP)?;
    if rest.has_kwargs() {
        return Err(vm.new_type_error("BZ2Compressor.compress() takes no keyword arguments"));
    }
    let [data] = rest.positional() else {
        let n = rest.positional().len();
        return Err(vm.new_type_error(format!("BZ2Compressor.compress() takes exactly one argument ({n} given)")));
    };
    let data = data_arg(vm, data)?;
    let r = maybe_unlocked(vm, data.len(), || {
        let mut c = me.lock();
        if c.flushed {
            return Ok(None);
        }
        c.run(&data, Action::Run).map(Some)
    });
    match r {
        Ok(Some(out)) => Ok(vm.new_bytes(out)),
        Ok(None) => Err(vm.new_value_error("Compressor has been flushed")),
        Err(e) => Err(bz2_error(vm, e)),
    }
}

/// `BZ2Compressor.flush()`.
fn comp_flush(vm: &Vm, args: Args) -> PyResult {
    let (me, rest) = split::<Comp>(vm, args, "flush", COMP)?;
    if !rest.args.is_empty() {
        let n = rest.args.len();
        return Err(vm.new_type_error(format!("BZ2Compressor.flush() takes no arguments ({n} given)")));
    }
    let r = vm.allow_threads(|| {
        let mut c = me.lock();
        if c.flushed {
            return Ok(None);
        }
        c.flushed = true;
        c.run(&[], Action::Finish).map(Some)
    });
    match r {
        Ok(Some(out)) => Ok(vm.new_bytes(out)),
        Ok(None) => Err(vm.new_value_error("Repeated call to flush()")),
        Err(e) => Err(bz2_error(vm, e)),
    }
}

/// `BZ2Decompressor()`.
fn decomp_new(vm: &Vm, args: Args) -> PyResult {
    let t = native_type(vm, &DECOMPRESSOR);
    let (cls, rest) = crate::native::split_new(vm, args, &t)?;
    if !rest.positional().is_empty() {
        return Err(vm.new_type_error("BZ2Decompressor() takes no positional arguments"));
    }
    if rest.has_kwargs() {
        return Err(vm.new_type_error("BZ2Decompressor() takes no keyword arguments"));
    }
    let state: Decomp = Decompressor::new(Decompress::new(false), false);
    Ok(new_object(vm, &cls, &t, Locked::new(state)))
}

/// The shared `decompress(data, max_length=-1)` of `_bz2` and `_lzma`:
/// `run` decodes under the object's lock (None: the stream had ended,
/// which is an EOFError saying `ended`).
pub(crate) fn decompress_method<E: Send>(
    vm: &Vm,
    args: Args,
    ended: &str,
    run: impl FnOnce(&[u8], i64) -> Option<Result<Vec<u8>, E>> + Send,
    error: impl FnOnce(&Vm, E) -> PyErr,
) -> PyResult {
    let a = vm.bind_native("decompress", args, &["data", "max_length"], 0, 1, None)?;
    let data = data_arg(vm, a[0].as_ref().unwrap_or(&Value::None))?;
    let max_length = match &a[1] {
        Some(v) => crate::native::ssize(vm, v)?,
        None => -1,
    };
    match maybe_unlocked(vm, data.len(), || run(&data, max_length)) {
        None => Err(vm.new_exception_msg(&vm.exc.eof_error, ended)),
        Some(Ok(out)) => Ok(vm.new_bytes(out)),
        Some(Err(e)) => Err(error(vm, e)),
    }
}

/// `BZ2Decompressor.decompress(data, max_length=-1)`.
fn decomp_decompress(vm: &Vm, args: Args) -> PyResult {
    let (me, rest) = split::<Decomp>(vm, args, "decompress", DECOMP)?;
    let run = |data: &[u8], max_length| {
        let mut d = me.lock();
        (!d.eof).then(|| d.decompress(data, max_length))
    };
    decompress_method(vm, rest, "End of stream already reached", run, bz2_error)
}

fn get_eof(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Bool(state_of::<Decomp>(vm, v, "eof", DECOMP)?.lock().eof))
}
fn get_unused_data(vm: &Vm, v: &Value) -> PyResult {
    let data = state_of::<Decomp>(vm, v, "unused_data", DECOMP)?.lock().unused_data.clone();
    Ok(vm.new_bytes(data))
}
fn get_needs_input(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Bool(state_of::<Decomp>(vm, v, "needs_input", DECOMP)?.lock().needs_input))
}

static COMPRESSOR_METHODS: [NativeDef; 3] = [
    NativeDef::staticmethod("__new__", comp_new),
    NativeDef::method("compress", comp_compress),
    NativeDef::method("flush", comp_flush),
];

static DECOMPRESSOR_METHODS: [NativeDef; 2] =
    [NativeDef::staticmethod("__new__", decomp_new), NativeDef::method("decompress", decomp_decompress)];

static DECOMPRESSOR_MEMBERS: [GetSetDef; 3] = [
    GetSetDef { name: "eof", get: get_eof, set: None, doc: "True if the end-of-stream marker has been reached." },
    GetSetDef { name: "unused_data", get: get_unused_data, set: None, doc: "Data found after the end of the compressed stream." },
    GetSetDef {
        name: "needs_input",
        get: get_needs_input,
        set: None,
        doc: "True if more input is needed before more decompressed data can be produced.",
    },
];

static COMPRESSOR: TypeSpec = TypeSpec {
    module: "_bz2",
    name: "BZ2Compressor",
    doc: "Create a compressor object for compressing data incrementally.\n\n  compresslevel\n    Compression level, as a number between 1 and 9.\n\nFor one-shot compression, use the compress() function instead.",
    layout: Layout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &COMPRESSOR_METHODS,
    more_methods: &[],
    getsets: &[],
};

static DECOMPRESSOR: TypeSpec = TypeSpec {
    module: "_bz2",
    name: "BZ2Decompressor",
    doc: "Create a decompressor object for decompressing data incrementally.\n\nFor one-shot decompression, use the decompress() function instead.",
    layout: Layout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &DECOMPRESSOR_METHODS,
    more_methods: &[],
    getsets: &DECOMPRESSOR_MEMBERS,
};

/// Creates the `_bz2` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let comp = native_type(vm, &COMPRESSOR);
    let decomp = native_type(vm, &DECOMPRESSOR);
    krait_vm::types::member::mark_members(vm, &decomp, &["eof", "unused_data", "needs_input"]);
    let attrs = vec![("BZ2Compressor", Value::Obj(comp)), ("BZ2Decompressor", Value::Obj(decomp))];
    Ok(crate::native::make_module(vm, "_bz2", "", &[], attrs))
}
