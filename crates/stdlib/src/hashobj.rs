//! The Python side shared by the hash modules (_md5, _sha1, _sha256, _sha3,
//! _blake2): one object layout holding any algorithm behind a trait, so the
//! methods (update, digest, hexdigest, copy) and attributes (name,
//! digest_size, block_size) are written once.

use crate::native::{native_type, new_object, TypeSpec};
use krait_vm::payload::GetSetDef;
use krait_vm::types::int::bytes_like;
use krait_vm::types::typeobj::Layout;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::sync::{Mutex, MutexGuard};

/// From this many bytes on, hashing runs with the GIL released (CPython's
/// HASHLIB_GIL_MINSIZE).
pub const GIL_MINSIZE: usize = 2048;

/// One hash algorithm's running state (`Send`: large inputs are hashed with
/// the GIL released).
pub trait HashAlgo: Send {
    fn update(&mut self, data: &[u8]);
    /// The digest of what was fed so far; `len` is the requested output
    /// length for extendable-output functions (ignored otherwise).
    fn finish(&self, len: usize) -> Vec<u8>;
    fn name(&self) -> &'static str;
    fn digest_size(&self) -> usize;
    fn block_size(&self) -> usize;
    /// SHAKE: digest() and hexdigest() take a length.
    fn is_xof(&self) -> bool {
        false
    }
    fn box_clone(&self) -> Box<dyn HashAlgo>;
}

/// The state is behind a mutex, as CPython's per-object lock: a thread
/// hashing a large input holds it with the GIL released. It is only ever
/// held for the hashing itself (never while Python code can run), so a
/// thread with the GIL that waits for it cannot wait for ever.
pub struct HashObj(Mutex<Box<dyn HashAlgo>>);

impl HashObj {
    fn new(st: Box<dyn HashAlgo>) -> HashObj {
        HashObj(Mutex::new(st))
    }

    fn lock(&self) -> MutexGuard<'_, Box<dyn HashAlgo>> {
        // Hashing cannot panic half-way in a way that matters: take it either way.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Holds no Python references.
impl krait_vm::gc::NativeData for HashObj {}

fn hash_of<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a HashObj> {
    v.payload().and_then(|p| p.as_native::<HashObj>()).ok_or_else(|| {
        vm.new_type_error(format!("descriptor '{name}' requires a hash object but received a '{}'", vm.type_name_of(v)))
    })
}

/// Data to hash: any bytes-like object; str is refused as CPython does.
pub fn data_arg(vm: &Vm, v: &Value) -> PyResult<Vec<u8>> {
    if vm.as_str(v).is_some() {
        return Err(vm.new_type_error("Strings must be encoded before hashing"));
    }
    bytes_like(v).ok_or_else(|| vm.new_type_error("object supporting the buffer API required"))
}

/// Wraps a fresh state as an object of the type `spec`, fed with `data`.
pub fn wrap(vm: &Vm, spec: &'static TypeSpec, mut st: Box<dyn HashAlgo>, data: Option<&Value>) -> PyResult {
    if let Some(d) = data {
        let d = data_arg(vm, d)?;
        if d.len() >= GIL_MINSIZE {
            vm.allow_threads(|| st.update(&d));
        } else {
            st.update(&d);
        }
    }
    let t = native_type(vm, spec);
    Ok(new_object(vm, &t, &t, HashObj::new(st)))
}

/// The usual constructor signature: `(string=b'', *, usedforsecurity=True)`.
pub fn construct(vm: &Vm, args: Args, name: &str, spec: &'static TypeSpec, st: Box<dyn HashAlgo>) -> PyResult {
    let a = vm.bind_native(name, args, &["string", "usedforsecurity"], 0, 0, Some(1))?;
    wrap(vm, spec, st, a[0].as_ref())
}

fn h_update(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("update", args, 2, 2)?;
    let h = hash_of(vm, &args.args[0], "update")?;
    // A copy of the data: the GIL may be released while it is hashed.
    let d = data_arg(vm, &args.args[1])?;
    if d.len() >= GIL_MINSIZE {
        vm.allow_threads(|| h.lock().update(&d));
    } else {
        h.lock().update(&d);
    }
    Ok(Value::None)
}

fn digest_bytes(vm: &Vm, args: Args, name: &str) -> PyResult<Vec<u8>> {
    let me = args.args.first().ok_or_else(|| vm.new_type_error(format!("{name}() needs an argument")))?;
    let h = hash_of(vm, me, name)?;
    // The lock is not held while the arguments are read (`__index__` may run Python code).
    let xof = h.lock().is_xof();
    if xof {
        let a = vm.bind_native(name, Args { args: &args.args[1..], kwnames: args.kwnames }, &["length"], 0, 1, None)?;
        let n = crate::native::ssize(vm, a[0].as_ref().unwrap_or(&Value::None))?;
        if n < 0 {
            return Err(vm.new_value_error("length must be non-negative"));
        }
        if n > (1 << 30) {
            return Err(vm.new_memory_error());
        }
        let n = n as usize;
        if n >= GIL_MINSIZE {
            return Ok(vm.allow_threads(|| h.lock().finish(n)));
        }
        return Ok(h.lock().finish(n));
    }
    vm.check_arity(name, args, 1, 1)?;
    Ok(h.lock().finish(0))
}

fn h_digest(vm: &Vm, args: Args) -> PyResult {
    Ok(vm.new_bytes(digest_bytes(vm, args, "digest")?))
}

fn h_hexdigest(vm: &Vm, args: Args) -> PyResult {
    let d = digest_bytes(vm, args, "hexdigest")?;
    Ok(vm.new_str(d.iter().map(|b| format!("{b:02x}")).collect::<String>()))
}

fn h_copy(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("copy", args, 1, 1)?;
    let me = &args.args[0];
    let st = hash_of(vm, me, "copy")?.lock().box_clone();
    let t = vm.class_of(me).clone();
    Ok(new_object(vm, &t, &t, HashObj::new(st)))
}

fn h_name(vm: &Vm, v: &Value) -> PyResult {
    Ok(vm.new_str(hash_of(vm, v, "name")?.lock().name()))
}
fn h_digest_size(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(hash_of(vm, v, "digest_size")?.lock().digest_size() as i64))
}
fn h_block_size(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(hash_of(vm, v, "block_size")?.lock().block_size() as i64))
}

pub static METHODS: [NativeDef; 4] = [
    NativeDef::method("update", h_update),
    NativeDef::method("digest", h_digest),
    NativeDef::method("hexdigest", h_hexdigest),
    NativeDef::method("copy", h_copy),
];

pub static GETSETS: [GetSetDef; 3] = [
    GetSetDef { name: "name", get: h_name, set: None, doc: "" },
    GetSetDef { name: "digest_size", get: h_digest_size, set: None, doc: "" },
    GetSetDef { name: "block_size", get: h_block_size, set: None, doc: "" },
];

/// The TypeSpec of a hash object type `module.name`.
pub const fn spec(module: &'static str, name: &'static str) -> TypeSpec {
    TypeSpec {
        module,
        name,
        doc: "",
        layout: Layout::Other,
        flags: 0,
        base: None,
        slots: &[],
        methods: &METHODS,
        more_methods: &[],
        getsets: &GETSETS,
    }
}

/// A module with the given constructor functions, its types created eagerly.
pub fn module(vm: &Vm, name: &str, funcs: &'static [NativeDef], specs: &[&'static TypeSpec]) -> PyRef {
    for s in specs {
        native_type(vm, s);
    }
    crate::native::make_module(vm, name, "", funcs, vec![])
}

/// Merkle–Damgård buffering shared by MD5/SHA-1/SHA-256: feeds whole
/// 64-byte blocks to `compress`, keeps the rest.
#[derive(Clone)]
pub struct Md64 {
    pub buf: Vec<u8>,
    pub len: u64,
}

impl Md64 {
    pub fn new() -> Md64 {
        Md64 { buf: Vec::with_capacity(64), len: 0 }
    }

    pub fn update(&mut self, mut data: &[u8], mut compress: impl FnMut(&[u8; 64])) {
        self.len = self.len.wrapping_add(data.len() as u64);
        if !self.buf.is_empty() {
            let take = (64 - self.buf.len()).min(data.len());
            self.buf.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.buf.len() == 64 {
                let mut block = [0u8; 64];
                block.copy_from_slice(&self.buf);
                compress(&block);
                self.buf.clear();
            }
        }
        while data.len() >= 64 {
            let mut block = [0u8; 64];
            block.copy_from_slice(&data[..64]);
            compress(&block);
            data = &data[64..];
        }
        self.buf.extend_from_slice(data);
    }

    /// The final padding: 0x80, zeros, then the bit length (big- or little-endian).
    pub fn padding(&self, big_endian: bool) -> Vec<u8> {
        let bits = self.len.wrapping_mul(8);
        let used = (self.len % 64) as usize;
        let zeros = if used < 56 { 55 - used } else { 119 - used };
        let mut pad = vec![0x80u8];
        pad.extend(std::iter::repeat(0).take(zeros));
        pad.extend_from_slice(&if big_endian { bits.to_be_bytes() } else { bits.to_le_bytes() });
        pad
    }
}
