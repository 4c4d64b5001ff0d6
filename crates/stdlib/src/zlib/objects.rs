//! `zlib.Compress` and `zlib.Decompress`, the stream objects `compressobj()`
//! and `decompressobj()` return. Their state sits behind a mutex (CPython's
//! per-object lock): large inputs are worked on with the GIL released, and
//! the lock is only taken inside that work, never while Python code runs.

use super::deflate::Deflater;
use super::inflate::DecompStream;
use super::{bind_posonly, c_int_or, ssize_or, zlib_error, DEF_BUF_SIZE};
use crate::compression::{data_arg, maybe_unlocked, split, Locked};
use crate::native::{descr_error, native_type, new_object, TypeSpec};
use krait_vm::payload::GetSetDef;
use krait_vm::types::int::bytes_like;
use krait_vm::types::typeobj::Layout;
use krait_vm::{Args, NativeDef, PyResult, Value, Vm};

type CompObj = Locked<Deflater>;
type DecompObj = Locked<DecompStream>;

/// Methods without parameters: "copy() takes no arguments".
fn no_args(vm: &Vm, name: &str, args: &Args) -> PyResult<()> {
    if args.args.is_empty() {
        Ok(())
    } else {
        Err(vm.new_type_error(format!("{name}() takes no arguments")))
    }
}

fn inconsistent(vm: &Vm) -> krait_vm::PyErr {
    vm.new_value_error("Inconsistent stream state")
}

/// A new object of `me`'s class around `state`.
fn wrap_like<T: Send + 'static>(vm: &Vm, me: &Value, state: T) -> Value {
    let cls = vm.class_of(me).clone();
    new_object(vm, &cls, &cls, Locked::new(state))
}

const COMP: &str = "zlib.Compress";
const DECOMP: &str = "zlib.Decompress";

/// `compressobj(level=-1, method=DEFLATED, wbits=MAX_WBITS, memLevel=8,
/// strategy=Z_DEFAULT_STRATEGY, zdict=None)`.
pub fn compressobj(vm: &Vm, args: Args) -> PyResult {
    let names = ["level", "method", "wbits", "memLevel", "strategy", "zdict"];
    let a = crate::native::bind(vm, "compressobj", args, &names, 0)?;
    let level = c_int_or(vm, &a[0], -1)?;
    let method = c_int_or(vm, &a[1], 8)?;
    let wbits = c_int_or(vm, &a[2], 15)?;
    let mem_level = c_int_or(vm, &a[3], 8)?;
    let strategy = c_int_or(vm, &a[4], 0)?;
    let zdict = match &a[5] {
        None => None,
        Some(v) if v.is_none() => None,
        Some(v) => Some(data_arg(vm, v)?),
    };
    let Some(mut d) = Deflater::new(level, method, wbits, mem_level, strategy) else {
        return Err(vm.new_value_error("Invalid initialization option"));
    };
    if let Some(z) = zdict {
        if d.set_dictionary(&z, level, strategy).is_none() {
            return Err(vm.new_value_error("Invalid dictionary"));
        }
    }
    let t = native_type(vm, &COMPRESS);
    Ok(new_object(vm, &t, &t, Locked::new(d)))
}

/// `decompressobj(wbits=MAX_WBITS, zdict=b'')`.
pub fn decompressobj(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::bind(vm, "decompressobj", args, &["wbits", "zdict"], 0)?;
    let wbits = c_int_or(vm, &a[0], 15)?;
    let zdict = match &a[1] {
        None => None,
        Some(v) => match bytes_like(v) {
            Some(b) if vm.as_str(v).is_none() => Some(b),
            _ => return Err(vm.new_type_error("zdict argument must support the buffer protocol")),
        },
    };
    let st = match DecompStream::new(wbits, zdict) {
        Ok(st) => st,
        Err(None) => return Err(vm.new_value_error("Invalid initialization option")),
        Err(Some(e)) => return Err(zlib_error(vm, e)),
    };
    let t = native_type(vm, &DECOMPRESS);
    Ok(new_object(vm, &t, &t, Locked::new(st)))
}

fn c_compress(vm: &Vm, args: Args) -> PyResult {
    let (me, rest) = split::<Deflater>(vm, args, "compress", COMP)?;
    let a = bind_posonly(vm, "compress", rest, &["data"], 1, 1)?;
    let data = data_arg(vm, a[0].as_ref().unwrap_or(&Value::None))?;
    let r = maybe_unlocked(vm, data.len(), || {
        let mut out = Vec::new();
        me.lock().run(&data, 0, &mut out, "while compressing data").map(|_| out)
    });
    r.map(|o| vm.new_bytes(o)).map_err(|e| zlib_error(vm, e))
}

fn c_flush(vm: &Vm, args: Args) -> PyResult {
    let (me, rest) = split::<Deflater>(vm, args, "flush", COMP)?;
    let a = bind_posonly(vm, "flush", rest, &["mode"], 1, 0)?;
    let mode = c_int_or(vm, &a[0], 4)?;
    // Flushing with Z_NO_FLUSH does nothing.
    if mode == 0 {
        return Ok(vm.new_bytes(Vec::new()));
    }
    let mut out = Vec::new();
    match vm.allow_threads(|| me.lock().run(&[], mode, &mut out, "while flushing")) {
        Ok(()) => Ok(vm.new_bytes(out)),
        Err(e) => Err(zlib_error(vm, e)),
    }
}

fn comp_copy(vm: &Vm, me: &Value, st: &CompObj) -> PyResult {
    let d = st.lock();
    if d.finished() {
        return Err(inconsistent(vm));
    }
    let copy = d.clone();
    drop(d);
    Ok(wrap_like(vm, me, copy))
}

fn decomp_copy(vm: &Vm, me: &Value, st: &DecompObj) -> PyResult {
    let d = st.lock();
    if d.ended {
        return Err(inconsistent(vm));
    }
    let copy = d.clone();
    drop(d);
    Ok(wrap_like(vm, me, copy))
}

/// `copy()`, `__copy__()` and `__deepcopy__(memo, /)` of either type.
fn copy_impl(vm: &Vm, args: Args, name: &str) -> PyResult {
    let me = args.args.first().cloned().unwrap_or(Value::None);
    let is_comp = me.payload().and_then(|p| p.as_native::<CompObj>()).is_some();
    let owner = if is_comp { COMP } else { DECOMP };
    let rest = Args { args: args.args.get(1..).unwrap_or(&[]), kwnames: args.kwnames };
    if name == "__deepcopy__" {
        bind_posonly(vm, name, rest, &["memo"], 1, 1)?;
    } else {
        no_args(vm, name, &rest)?;
    }
    if is_comp {
        let (st, _) = split::<Deflater>(vm, args, name, owner)?;
        comp_copy(vm, &me, st)
    } else {
        let (st, _) = split::<DecompStream>(vm, args, name, owner)?;
        decomp_copy(vm, &me, st)
    }
}

fn copy(vm: &Vm, args: Args) -> PyResult {
    copy_impl(vm, args, "copy")
}
fn dunder_copy(vm: &Vm, args: Args) -> PyResult {
    copy_impl(vm, args, "__copy__")
}
fn dunder_deepcopy(vm: &Vm, args: Args) -> PyResult {
    copy_impl(vm, args, "__deepcopy__")
}

fn d_decompress(vm: &Vm, args: Args) -> PyResult {
    let (me, rest) = split::<DecompStream>(vm, args, "decompress", DECOMP)?;
    let a = bind_posonly(vm, "decompress", rest, &["data", "max_length"], 1, 1)?;
    let data = data_arg(vm, a[0].as_ref().unwrap_or(&Value::None))?;
    let max_length = ssize_or(vm, &a[1], 0)?;
    if max_length < 0 {
        return Err(vm.new_value_error("max_length must be non-negative"));
    }
    let r = maybe_unlocked(vm, data.len(), || me.lock().decompress(&data, max_length as usize));
    r.map(|o| vm.new_bytes(o)).map_err(|e| zlib_error(vm, e))
}

fn d_flush(vm: &Vm, args: Args) -> PyResult {
    let (me, rest) = split::<DecompStream>(vm, args, "flush", DECOMP)?;
    let a = bind_posonly(vm, "flush", rest, &["length"], 1, 0)?;
    if ssize_or(vm, &a[0], DEF_BUF_SIZE)? <= 0 {
        return Err(vm.new_value_error("length must be greater than zero"));
    }
    match vm.allow_threads(|| me.lock().flush()) {
        Ok(o) => Ok(vm.new_bytes(o)),
        Err(e) => Err(zlib_error(vm, e)),
    }
}

fn decomp_state<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a DecompObj> {
    v.payload().and_then(|p| p.as_native::<DecompObj>()).ok_or_else(|| descr_error(vm, name, DECOMP, v))
}

fn get_unused_data(vm: &Vm, v: &Value) -> PyResult {
    let data = decomp_state(vm, v, "unused_data")?.lock().unused_data.clone();
    Ok(vm.new_bytes(data))
}
fn get_unconsumed_tail(vm: &Vm, v: &Value) -> PyResult {
    let data = decomp_state(vm, v, "unconsumed_tail")?.lock().unconsumed_tail.clone();
    Ok(vm.new_bytes(data))
}
fn get_eof(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Bool(decomp_state(vm, v, "eof")?.lock().eof))
}

static COMPRESS_METHODS: [NativeDef; 5] = [
    NativeDef::method("compress", c_compress),
    NativeDef::method("flush", c_flush),
    NativeDef::method("copy", copy),
    NativeDef::method("__copy__", dunder_copy),
    NativeDef::method("__deepcopy__", dunder_deepcopy),
];

static DECOMPRESS_METHODS: [NativeDef; 5] = [
    NativeDef::method("decompress", d_decompress),
    NativeDef::method("flush", d_flush),
    NativeDef::method("copy", copy),
    NativeDef::method("__copy__", dunder_copy),
    NativeDef::method("__deepcopy__", dunder_deepcopy),
];

static DECOMPRESS_MEMBERS: [GetSetDef; 3] = [
    GetSetDef { name: "unused_data", get: get_unused_data, set: None, doc: "" },
    GetSetDef { name: "unconsumed_tail", get: get_unconsumed_tail, set: None, doc: "" },
    GetSetDef { name: "eof", get: get_eof, set: None, doc: "" },
];

const fn spec(name: &'static str, methods: &'static [NativeDef], getsets: &'static [GetSetDef]) -> TypeSpec {
    TypeSpec {
        module: "zlib",
        name,
        doc: "",
        layout: Layout::Other,
        flags: 0,
        base: None,
        slots: &[],
        methods,
        more_methods: &[],
        getsets,
    }
}

static COMPRESS: TypeSpec = spec("Compress", &COMPRESS_METHODS, &[]);
static DECOMPRESS: TypeSpec = spec("Decompress", &DECOMPRESS_METHODS, &DECOMPRESS_MEMBERS);

/// Creates both types; the Decompress attributes are read-only members as in CPython.
pub fn make_types(vm: &Vm) {
    native_type(vm, &COMPRESS);
    let t = native_type(vm, &DECOMPRESS);
    krait_vm::types::member::mark_members(vm, &t, &["unused_data", "unconsumed_tail", "eof"]);
}
