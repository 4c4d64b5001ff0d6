//! `_lzma.LZMACompressor` and `_lzma.LZMADecompressor`.

use super::filters::{build_chain, parse_chain, Filter, FILTER_LZMA1, PRESET_DEFAULT};
use super::{check_supported, lzma_error, u32_arg, u64_arg, Fail};
use crate::bz2::decompress_method;
use crate::compression::{data_arg, encode_all, maybe_unlocked, split, state_of, Decode, Decompressor, Locked, Step};
use crate::native::{native_type, new_object, TypeSpec};
use krait_vm::payload::GetSetDef;
use krait_vm::types::typeobj::Layout;
use krait_vm::{Args, NativeDef, PyResult, Value, Vm};
use liblzma::stream::{Action, Check, Error as LzError, LzmaOptions, Status, Stream};

const COMP: &str = "_lzma.LZMACompressor";
const DECOMP: &str = "_lzma.LZMADecompressor";

const FORMAT_AUTO: i32 = 0;
const FORMAT_XZ: i32 = 1;
const FORMAT_ALONE: i32 = 2;
const FORMAT_RAW: i32 = 3;
const CHECK_UNKNOWN: i32 = 16;

/// One call into liblzma; returns (consumed, produced, status).
fn code(s: &mut Stream, input: &[u8], out: &mut [u8], action: Action) -> (usize, usize, Result<Status, LzError>) {
    let (in0, out0) = (s.total_in(), s.total_out());
    let r = s.process(input, out, action);
    ((s.total_in() - in0) as usize, (s.total_out() - out0) as usize, r)
}

/// A compressor and whether `flush()` ended its stream.
struct Comp {
    stream: Stream,
    flushed: bool,
}

impl Comp {
    fn run(&mut self, data: &[u8], finish: bool) -> Result<Vec<u8>, Fail> {
        let action = if finish { Action::Finish } else { Action::Run };
        encode_all(data, finish, |input, out| {
            let len = out.len();
            out.resize(out.capacity(), 0);
            let (consumed, produced, r) = code(&mut self.stream, input, &mut out[len..], action);
            out.truncate(len + produced);
            match r {
                Ok(Status::StreamEnd) => Ok((consumed, true)),
                // CPython's special case for empty input.
                Ok(Status::MemNeeded) if input.is_empty() && produced < out.capacity() - len => Ok((consumed, false)),
                Ok(Status::MemNeeded) => Err(Fail::Buf),
                Ok(_) | Err(LzError::NoCheck) => Ok((consumed, false)),
                Err(e) => Err(Fail::Lib(e)),
            }
        })
    }
}

/// A decoder and the integrity check its stream declares.
struct Dec {
    stream: Stream,
    check: i32,
    /// The first bytes of the input: the .xz stream header, whose eighth
    /// byte names the check when liblzma reports it known.
    header: Vec<u8>,
}

impl Decode for Dec {
    type Err = Fail;

    fn step(&mut self, input: &[u8], out: &mut [u8]) -> Result<Step, Fail> {
        let (consumed, produced, r) = code(&mut self.stream, input, out, Action::Run);
        if self.header.len() < 12 {
            let take = consumed.min(12 - self.header.len());
            self.header.extend_from_slice(&input[..take]);
        }
        let step = |end, event| Ok(Step { consumed, produced, end, event });
        match r {
            Ok(Status::StreamEnd) => step(true, false),
            Ok(Status::GetCheck) => {
                self.check = self.header.get(7).map_or(0, |b| (b & 0x0f) as i32);
                step(false, true)
            }
            Err(LzError::NoCheck) => {
                self.check = 0;
                step(false, true)
            }
            Ok(Status::Ok) => step(false, false),
            // CPython's special case for empty input.
            Ok(Status::MemNeeded) if input.is_empty() && produced < out.len() => step(false, false),
            Ok(Status::MemNeeded) => Err(Fail::Buf),
            Err(e) => Err(Fail::Lib(e)),
        }
    }
}

type Decomp = Decompressor<Dec>;

/// An optional C int argument (`format`, `check`).
fn int_or(vm: &Vm, v: &Option<Value>, default: i32) -> PyResult<i32> {
    v.as_ref().map_or(Ok(default), |v| crate::native::c_int(vm, v))
}

/// An argument given as something other than None.
fn given(v: &Option<Value>) -> Option<&Value> {
    v.as_ref().filter(|v| !v.is_none())
}

/// The xz check of a `check` argument, or liblzma's error for it.
fn xz_check(check: i32) -> Result<Check, Fail> {
    match check {
        0 => Ok(Check::None),
        1 => Ok(Check::Crc32),
        4 => Ok(Check::Crc64),
        10 => Ok(Check::Sha256),
        2..=15 if !check_supported(check) => Err(Fail::Lib(LzError::UnsupportedCheck)),
        _ => Err(Fail::Lib(LzError::Program)),
    }
}

/// The encoder for the parsed arguments.
fn new_encoder(vm: &Vm, format: i32, check: i32, preset: u32, chain: Option<Vec<Filter>>) -> PyResult<Stream> {
    let lib = |r: Result<Stream, LzError>| r.map_err(|e| lzma_error(vm, Fail::Lib(e)));
    match (format, chain) {
        (FORMAT_XZ, None) => {
            if LzmaOptions::new_preset(preset).is_err() {
                return Err(lzma_error(vm, Fail::Lib(LzError::Options)));
            }
            let check = xz_check(check).map_err(|e| lzma_error(vm, e))?;
            lib(Stream::new_easy_encoder(preset, check))
        }
        (FORMAT_XZ, Some(chain)) => {
            let filters = build_chain(&chain).map_err(|e| lzma_error(vm, e))?;
            let check = xz_check(check).map_err(|e| lzma_error(vm, e))?;
            lib(Stream::new_stream_encoder(&filters, check))
        }
        (FORMAT_ALONE, None) => match LzmaOptions::new_preset(preset) {
            Ok(o) => lib(Stream::new_lzma_encoder(&o)),
            Err(_) => Err(super::new_error(vm, &format!("Invalid compression preset: {preset}"))),
        },
        (FORMAT_ALONE, Some(chain)) => match chain.as_slice() {
            [Filter::Lzma { id: FILTER_LZMA1, spec }] => {
                let o = spec.options().map_err(|e| lzma_error(vm, e))?;
                lib(Stream::new_lzma_encoder(&o))
            }
            _ => Err(vm.new_value_error("Invalid filter chain for FORMAT_ALONE - must be a single LZMA1 filter")),
        },
        (FORMAT_RAW, None) => Err(vm.new_value_error("Must specify filters for FORMAT_RAW")),
        (FORMAT_RAW, Some(chain)) => {
            let filters = build_chain(&chain).map_err(|e| lzma_error(vm, e))?;
            lib(Stream::new_raw_encoder(&filters))
        }
        _ => Err(vm.new_value_error(format!("Invalid container format: {format}"))),
    }
}

/// `LZMACompressor(format=FORMAT_XZ, check=-1, preset=None, filters=None)`.
fn comp_new(vm: &Vm, args: Args) -> PyResult {
    let t = native_type(vm, &COMPRESSOR);
    let (cls, rest) = crate::native::split_new(vm, args, &t)?;
    let a = vm.bind_native("LZMACompressor", rest, &["format", "check", "preset", "filters"], 0, 0, None)?;
    let format = int_or(vm, &a[0], FORMAT_XZ)?;
    let check = int_or(vm, &a[1], -1)?;
    if format != FORMAT_XZ && check != -1 && check != 0 {
        return Err(vm.new_value_error("Integrity checks are only supported by FORMAT_XZ"));
    }
    let (preset, filters) = (given(&a[2]), given(&a[3]));
    if preset.is_some() && filters.is_some() {
        return Err(vm.new_value_error("Cannot specify both preset and filter chain"));
    }
    let preset = preset.map_or(Ok(PRESET_DEFAULT), |p| u32_arg(vm, p))?;
    let check = if check == -1 && format == FORMAT_XZ { 4 } else { check };
    let chain = match filters {
        Some(f) if matches!(format, FORMAT_XZ | FORMAT_ALONE | FORMAT_RAW) => Some(parse_chain(vm, f)?),
        _ => None,
    };
    let stream = new_encoder(vm, format, check, preset, chain)?;
    Ok(new_object(vm, &cls, &t, Locked::new(Comp { stream, flushed: false })))
}

/// `LZMACompressor.compress(data, /)`.
fn comp_compress(vm: &Vm, args: Args) -> PyResult {
    let (me, rest) = split::<Comp>(vm, args, "compress", COMP)?;
    if rest.has_kwargs() {
        return Err(vm.new_type_error("LZMACompressor.compress() takes no keyword arguments"));
    }
    let [data] = rest.positional() else {
        let n = rest.positional().len();
        return Err(vm.new_type_error(format!("LZMACompressor.compress() takes exactly one argument ({n} given)")));
    };
    let data = data_arg(vm, data)?;
    let r = maybe_unlocked(vm, data.len(), || {
        let mut c = me.lock();
        (!c.flushed).then(|| c.run(&data, false))
    });
    match r {
        Some(Ok(out)) => Ok(vm.new_bytes(out)),
        None => Err(vm.new_value_error("Compressor has been flushed")),
        Some(Err(e)) => Err(lzma_error(vm, e)),
    }
}

/// `LZMACompressor.flush()`.
fn comp_flush(vm: &Vm, args: Args) -> PyResult {
    let (me, rest) = split::<Comp>(vm, args, "flush", COMP)?;
    if !rest.args.is_empty() {
        let n = rest.args.len();
        return Err(vm.new_type_error(format!("LZMACompressor.flush() takes no arguments ({n} given)")));
    }
    let r = vm.allow_threads(|| {
        let mut c = me.lock();
        if c.flushed {
            return None;
        }
        c.flushed = true;
        Some(c.run(&[], true))
    });
    match r {
        Some(Ok(out)) => Ok(vm.new_bytes(out)),
        None => Err(vm.new_value_error("Repeated call to flush()")),
        Some(Err(e)) => Err(lzma_error(vm, e)),
    }
}

/// `LZMADecompressor(format=FORMAT_AUTO, memlimit=None, filters=None)`.
fn decomp_new(vm: &Vm, args: Args) -> PyResult {
    let t = native_type(vm, &DECOMPRESSOR);
    let (cls, rest) = crate::native::split_new(vm, args, &t)?;
    let a = vm.bind_native("LZMADecompressor", rest, &["format", "memlimit", "filters"], 0, 0, None)?;
    let format = int_or(vm, &a[0], FORMAT_AUTO)?;
    let (memlimit, filters) = (given(&a[1]), given(&a[2]));
    if memlimit.is_some() && format == FORMAT_RAW {
        return Err(vm.new_value_error("Cannot specify memory limit with FORMAT_RAW"));
    }
    let memlimit = memlimit.map_or(Ok(u64::MAX), |m| u64_arg(vm, m))?;
    if format == FORMAT_RAW && filters.is_none() {
        return Err(vm.new_value_error("Must specify filters for FORMAT_RAW"));
    }
    if format != FORMAT_RAW && filters.is_some() {
        return Err(vm.new_value_error("Cannot specify filters except with FORMAT_RAW"));
    }
    let flags = liblzma::stream::TELL_ANY_CHECK | liblzma::stream::TELL_NO_CHECK;
    let (stream, check) = match format {
        FORMAT_AUTO => (Stream::new_auto_decoder(memlimit, flags), CHECK_UNKNOWN),
        FORMAT_XZ => (Stream::new_stream_decoder(memlimit, flags), CHECK_UNKNOWN),
        FORMAT_ALONE => (Stream::new_lzma_decoder(memlimit), 0),
        FORMAT_RAW => {
            let chain = parse_chain(vm, filters.unwrap_or(&Value::None))?;
            let filters = build_chain(&chain).map_err(|e| lzma_error(vm, e))?;
            (Stream::new_raw_decoder(&filters), 0)
        }
        _ => return Err(vm.new_value_error(format!("Invalid container format: {format}"))),
    };
    let stream = stream.map_err(|e| lzma_error(vm, Fail::Lib(e)))?;
    let state: Decomp = Decompressor::new(Dec { stream, check, header: Vec::new() }, true);
    Ok(new_object(vm, &cls, &t, Locked::new(state)))
}

/// `LZMADecompressor.decompress(data, max_length=-1)`.
fn decomp_decompress(vm: &Vm, args: Args) -> PyResult {
    let (me, rest) = split::<Decomp>(vm, args, "decompress", DECOMP)?;
    let run = |data: &[u8], max_length| {
        let mut d = me.lock();
        (!d.eof).then(|| d.decompress(data, max_length))
    };
    decompress_method(vm, rest, "Already at end of stream", run, lzma_error)
}

fn decomp<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a Locked<Decomp>> {
    state_of::<Decomp>(vm, v, name, DECOMP)
}
fn get_check(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(decomp(vm, v, "check")?.lock().coder.check as i64))
}
fn get_eof(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Bool(decomp(vm, v, "eof")?.lock().eof))
}
fn get_unused_data(vm: &Vm, v: &Value) -> PyResult {
    let data = decomp(vm, v, "unused_data")?.lock().unused_data.clone();
    Ok(vm.new_bytes(data))
}
fn get_needs_input(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Bool(decomp(vm, v, "needs_input")?.lock().needs_input))
}

static COMPRESSOR_METHODS: [NativeDef; 3] = [
    NativeDef::staticmethod("__new__", comp_new),
    NativeDef::method("compress", comp_compress),
    NativeDef::method("flush", comp_flush),
];

static DECOMPRESSOR_METHODS: [NativeDef; 2] =
    [NativeDef::staticmethod("__new__", decomp_new), NativeDef::method("decompress", decomp_decompress)];

static DECOMPRESSOR_MEMBERS: [GetSetDef; 4] = [
    GetSetDef { name: "check", get: get_check, set: None, doc: "ID of the integrity check used by the input stream." },
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
    module: "_lzma",
    name: "LZMACompressor",
    doc: "LZMACompressor(format=FORMAT_XZ, check=-1, preset=None, filters=None)\n\nCreate a compressor object for compressing data incrementally.\n\nformat specifies the container format to use for the output. This can\nbe FORMAT_XZ (default), FORMAT_ALONE, or FORMAT_RAW.\n\ncheck specifies the integrity check to use. For FORMAT_XZ, the default\nis CHECK_CRC64. FORMAT_ALONE and FORMAT_RAW do not support integrity\nchecks; for these formats, check must be omitted, or be CHECK_NONE.\n\nThe settings used by the compressor can be specified either as a\npreset compression level (with the 'preset' argument), or in detail\nas a custom filter chain (with the 'filters' argument). For FORMAT_XZ\nand FORMAT_ALONE, the default is to use the PRESET_DEFAULT preset\nlevel. For FORMAT_RAW, the caller must always specify a filter chain;\nthe raw compressor does not support preset compression levels.\n\npreset (if provided) should be an integer in the range 0-9, optionally\nOR-ed with the constant PRESET_EXTREME.\n\nfilters (if provided) should be a sequence of dicts. Each dict should\nhave an entry for \"id\" indicating the ID of the filter, plus\nadditional entries for options to the filter.\n\nFor one-shot compression, use the compress() function instead.\n",
    layout: Layout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &COMPRESSOR_METHODS,
    more_methods: &[],
    getsets: &[],
};

static DECOMPRESSOR: TypeSpec = TypeSpec {
    module: "_lzma",
    name: "LZMADecompressor",
    doc: "Create a decompressor object for decompressing data incrementally.\n\n  format\n    Specifies the container format of the input stream.  If this is\n    FORMAT_AUTO (the default), the decompressor will automatically detect\n    whether the input is FORMAT_XZ or FORMAT_ALONE.  Streams created with\n    FORMAT_RAW cannot be autodetected.\n  memlimit\n    Limit the amount of memory used by the decompressor.  This will cause\n    decompression to fail if the input cannot be decompressed within the\n    given limit.\n  filters\n    A custom filter chain.  This argument is required for FORMAT_RAW, and\n    not accepted with any other format.  When provided, this should be a\n    sequence of dicts, each indicating the ID and options for a single\n    filter.\n\nFor one-shot decompression, use the decompress() function instead.",
    layout: Layout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &DECOMPRESSOR_METHODS,
    more_methods: &[],
    getsets: &DECOMPRESSOR_MEMBERS,
};

/// Creates both types; the decompressor's attributes are read-only members.
pub fn make_types(vm: &Vm) -> Vec<(&'static str, Value)> {
    let comp = native_type(vm, &COMPRESSOR);
    let decomp = native_type(vm, &DECOMPRESSOR);
    krait_vm::types::member::mark_members(vm, &decomp, &["check", "eof", "unused_data", "needs_input"]);
    vec![("LZMACompressor", Value::Obj(comp)), ("LZMADecompressor", Value::Obj(decomp))]
}
