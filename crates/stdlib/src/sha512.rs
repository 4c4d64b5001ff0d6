//! The `_sha512` module: SHA-512 and SHA-384 (FIPS 180-4) as hash objects
//! with `update`, `digest`, `hexdigest`, `copy`, `name`, `digest_size` and
//! `block_size`. random.py uses it to turn str/bytes seeds into ints, and
//! hashlib falls back to it.

use crate::native::{descr_error, native_type, new_object, TypeSpec};
use krait_vm::payload::GetSetDef;
use krait_vm::types::int::bytes_like;
use krait_vm::types::typeobj::Layout;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use crate::hashobj::GIL_MINSIZE;
use std::sync::{Mutex, MutexGuard};

/// The round constants: the first 64 bits of the fractional parts of the
/// cube roots of the first 80 primes.
const K: [u64; 80] = [
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
    0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
    0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
    0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
    0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
    0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
    0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
    0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
    0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
    0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
    0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
    0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
    0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
    0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
];

const IV512: [u64; 8] = [
    0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
    0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
];
const IV384: [u64; 8] = [
    0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17, 0x152fecd8f70e5939,
    0x67332667ffc00b31, 0x8eb44a8768581511, 0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4,
];

/// A running SHA-512/384 computation.
#[derive(Clone)]
pub struct Sha512 {
    h: [u64; 8],
    buf: Vec<u8>,
    len: u128,
    /// 64 for SHA-512, 48 for SHA-384.
    out_len: usize,
}

impl Sha512 {
    pub fn new(out_len: usize) -> Sha512 {
        Sha512 { h: if out_len == 64 { IV512 } else { IV384 }, buf: Vec::with_capacity(128), len: 0, out_len }
    }

    pub fn update(&mut self, mut data: &[u8]) {
        self.len += data.len() as u128;
        if !self.buf.is_empty() {
            let take = (128 - self.buf.len()).min(data.len());
            self.buf.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.buf.len() == 128 {
                let block: [u8; 128] = self.buf[..].try_into().expect("128 bytes");
                self.compress(&block);
                self.buf.clear();
            }
        }
        while data.len() >= 128 {
            self.compress(data[..128].try_into().expect("128 bytes"));
            data = &data[128..];
        }
        self.buf.extend_from_slice(data);
    }

    fn compress(&mut self, block: &[u8; 128]) {
        let mut w = [0u64; 80];
        for (i, c) in block.chunks_exact(8).enumerate() {
            w[i] = u64::from_be_bytes(c.try_into().expect("8 bytes"));
        }
        for i in 16..80 {
            let s0 = w[i - 15].rotate_right(1) ^ w[i - 15].rotate_right(8) ^ (w[i - 15] >> 7);
            let s1 = w[i - 2].rotate_right(19) ^ w[i - 2].rotate_right(61) ^ (w[i - 2] >> 6);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = self.h;
        for i in 0..80 {
            let s1 = e.rotate_right(14) ^ e.rotate_right(18) ^ e.rotate_right(41);
            let ch = (e & f) ^ (!e & g);
            let t1 = h.wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(w[i]);
            let s0 = a.rotate_right(28) ^ a.rotate_right(34) ^ a.rotate_right(39);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            h = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in self.h.iter_mut().zip([a, b, c, d, e, f, g, h]) {
            *x = x.wrapping_add(y);
        }
    }

    /// The digest of what was fed so far (the state is left as it was).
    pub fn digest(&self) -> Vec<u8> {
        let mut s = self.clone();
        let bits = s.len.wrapping_mul(8);
        let mut pad = vec![0x80u8];
        let used = (s.len % 128) as usize;
        let zeros = if used < 112 { 111 - used } else { 239 - used };
        pad.extend(std::iter::repeat(0).take(zeros));
        pad.extend_from_slice(&bits.to_be_bytes());
        s.update(&pad);
        s.h.iter().flat_map(|x| x.to_be_bytes()).take(self.out_len).collect()
    }
}

// ---- the Python objects ----

/// Behind a mutex, as in hashobj.rs (large inputs are hashed with the GIL
/// released; the lock is never held while Python code can run).
struct HashObj(Mutex<Sha512>);

impl HashObj {
    fn lock(&self) -> MutexGuard<'_, Sha512> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Holds no Python references.
impl krait_vm::gc::NativeData for HashObj {}

fn hash_of<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a HashObj> {
    v.payload().and_then(|p| p.as_native::<HashObj>()).ok_or_else(|| descr_error(vm, name, "_sha512.sha512", v))
}

/// Data to hash: any bytes-like object; str is refused as CPython does.
fn data_arg(vm: &Vm, v: &Value) -> PyResult<Vec<u8>> {
    if vm.as_str(v).is_some() {
        return Err(vm.new_type_error("Strings must be encoded before hashing"));
    }
    bytes_like(v).ok_or_else(|| vm.new_type_error(format!("object supporting the buffer API required")))
}

fn construct(vm: &Vm, args: Args, name: &str, out_len: usize, spec: &'static TypeSpec) -> PyResult {
    let a = vm.bind_native(name, args, &["string", "usedforsecurity"], 0, 0, Some(1))?;
    let mut st = Sha512::new(out_len);
    if let Some(d) = &a[0] {
        let d = data_arg(vm, d)?;
        if d.len() >= GIL_MINSIZE {
            vm.allow_threads(|| st.update(&d));
        } else {
            st.update(&d);
        }
    }
    let t = native_type(vm, spec);
    Ok(new_object(vm, &t, &t, HashObj(Mutex::new(st))))
}

fn new_sha512(vm: &Vm, args: Args) -> PyResult {
    construct(vm, args, "sha512", 64, &SHA512)
}
fn new_sha384(vm: &Vm, args: Args) -> PyResult {
    construct(vm, args, "sha384", 48, &SHA384)
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

fn h_digest(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("digest", args, 1, 1)?;
    Ok(vm.new_bytes(hash_of(vm, &args.args[0], "digest")?.lock().digest()))
}

fn h_hexdigest(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("hexdigest", args, 1, 1)?;
    let d = hash_of(vm, &args.args[0], "hexdigest")?.lock().digest();
    Ok(vm.new_str(d.iter().map(|b| format!("{b:02x}")).collect::<String>()))
}

fn h_copy(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("copy", args, 1, 1)?;
    let me = &args.args[0];
    let st = hash_of(vm, me, "copy")?.lock().clone();
    let t = vm.class_of(me).clone();
    Ok(new_object(vm, &t, &t, HashObj(Mutex::new(st))))
}

fn h_name(vm: &Vm, v: &Value) -> PyResult {
    let n = hash_of(vm, v, "name")?.lock().out_len;
    Ok(vm.new_str(if n == 64 { "sha512" } else { "sha384" }))
}
fn h_digest_size(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(hash_of(vm, v, "digest_size")?.lock().out_len as i64))
}
fn h_block_size(vm: &Vm, v: &Value) -> PyResult {
    hash_of(vm, v, "block_size")?;
    Ok(Value::Int(128))
}

static METHODS: [NativeDef; 4] = [
    NativeDef::method("update", h_update),
    NativeDef::method("digest", h_digest),
    NativeDef::method("hexdigest", h_hexdigest),
    NativeDef::method("copy", h_copy),
];

static GETSETS: [GetSetDef; 3] = [
    GetSetDef { name: "name", get: h_name, set: None, doc: "" },
    GetSetDef { name: "digest_size", get: h_digest_size, set: None, doc: "" },
    GetSetDef { name: "block_size", get: h_block_size, set: None, doc: "" },
];

const fn spec(name: &'static str) -> TypeSpec {
    TypeSpec {
    module: "_sha512",
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

static SHA512: TypeSpec = spec("sha512");
static SHA384: TypeSpec = spec("sha384");

static FUNCS: [NativeDef; 2] = [NativeDef::function("sha512", new_sha512), NativeDef::function("sha384", new_sha384)];

/// Creates the `_sha512` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    Ok(crate::native::make_module(vm, "_sha512", "", &FUNCS, vec![]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn known_digests() {
        let mut s = Sha512::new(64);
        s.update(b"abc");
        assert_eq!(&hex(&s.digest())[..32], "ddaf35a193617abacc417349ae204131");
        let mut s = Sha512::new(48);
        s.update(b"");
        assert_eq!(&hex(&s.digest())[..32], "38b060a751ac96384cd9327eb1b1e36a");
        // Split updates across the block boundary agree with one update.
        let data: Vec<u8> = (0..300u32).map(|i| i as u8).collect();
        let mut a = Sha512::new(64);
        a.update(&data);
        let mut b = Sha512::new(64);
        b.update(&data[..5]);
        b.update(&data[5..200]);
        b.update(&data[200..]);
        assert_eq!(a.digest(), b.digest());
    }
}
