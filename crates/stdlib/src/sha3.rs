//! The `_sha3` module: SHA3-224/256/384/512 and SHAKE128/256 (FIPS 202),
//! Keccak-f[1600] with the sponge construction.

use crate::hashobj::{spec, wrap, HashAlgo};
use crate::native::TypeSpec;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Vm};

/// Round constants from the rc() LFSR of FIPS 202 (Algorithm 5 and 6).
fn round_constants() -> [u64; 24] {
    let mut r: u8 = 1;
    let mut rc_bit = || {
        let bit = r & 1;
        // x^8 + x^6 + x^5 + x^4 + 1
        r = if r & 0x80 != 0 { (r << 1) ^ 0x71 } else { r << 1 };
        bit
    };
    let mut out = [0u64; 24];
    for c in out.iter_mut() {
        for j in 0..7 {
            if rc_bit() == 1 {
                *c |= 1u64 << ((1u32 << j) - 1);
            }
        }
    }
    out
}

/// Rotation offsets of the rho step, indexed by x + 5y.
fn rho_offsets() -> [u32; 25] {
    let mut off = [0u32; 25];
    let (mut x, mut y) = (1usize, 0usize);
    for t in 0..24u32 {
        off[x + 5 * y] = ((t + 1) * (t + 2) / 2) % 64;
        let nx = y;
        y = (2 * x + 3 * y) % 5;
        x = nx;
    }
    off
}

fn keccak_f(a: &mut [u64; 25], rc: &[u64; 24], rho: &[u32; 25]) {
    for &round_c in rc {
        // theta
        let mut c = [0u64; 5];
        for x in 0..5 {
            c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        }
        for x in 0..5 {
            let d = c[(x + 4) % 5] ^ c[(x + 1) % 5].rotate_left(1);
            for y in 0..5 {
                a[x + 5 * y] ^= d;
            }
        }
        // rho and pi
        let mut b = [0u64; 25];
        for x in 0..5 {
            for y in 0..5 {
                b[y + 5 * ((2 * x + 3 * y) % 5)] = a[x + 5 * y].rotate_left(rho[x + 5 * y]);
            }
        }
        // chi
        for y in 0..5 {
            for x in 0..5 {
                a[x + 5 * y] = b[x + 5 * y] ^ (!b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y]);
            }
        }
        // iota
        a[0] ^= round_c;
    }
}

#[derive(Clone)]
pub struct Sha3 {
    state: [u64; 25],
    buf: Vec<u8>,
    /// Rate in bytes (block_size).
    rate: usize,
    /// Output length in bytes; 0 for SHAKE.
    out_len: usize,
    name: &'static str,
    rc: [u64; 24],
    rho: [u32; 25],
}

impl Sha3 {
    pub fn new(name: &'static str, rate: usize, out_len: usize) -> Sha3 {
        Sha3 { state: [0; 25], buf: Vec::new(), rate, out_len, name, rc: round_constants(), rho: rho_offsets() }
    }

    fn absorb_block(&mut self, block: &[u8]) {
        for (i, c) in block.chunks_exact(8).enumerate() {
            self.state[i] ^= u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
        }
        keccak_f(&mut self.state, &self.rc, &self.rho);
    }
}

impl HashAlgo for Sha3 {
    fn update(&mut self, mut data: &[u8]) {
        if !self.buf.is_empty() {
            let take = (self.rate - self.buf.len()).min(data.len());
            self.buf.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.buf.len() == self.rate {
                let block = std::mem::take(&mut self.buf);
                self.absorb_block(&block);
            }
        }
        while data.len() >= self.rate {
            let (block, rest) = data.split_at(self.rate);
            self.absorb_block(block);
            data = rest;
        }
        self.buf.extend_from_slice(data);
    }

    fn finish(&self, len: usize) -> Vec<u8> {
        let mut s = self.clone();
        let mut block = std::mem::take(&mut s.buf);
        // Domain separation: 01 for SHA-3, 1111 for SHAKE, then pad10*1.
        block.push(if self.out_len == 0 { 0x1f } else { 0x06 });
        block.resize(self.rate, 0);
        block[self.rate - 1] |= 0x80;
        s.absorb_block(&block);
        let want = if self.out_len == 0 { len } else { self.out_len };
        let mut out = Vec::with_capacity(want);
        loop {
            for w in &s.state[..self.rate / 8] {
                out.extend_from_slice(&w.to_le_bytes());
            }
            if out.len() >= want {
                break;
            }
            keccak_f(&mut s.state, &s.rc, &s.rho);
        }
        out.truncate(want);
        out
    }
    fn name(&self) -> &'static str {
        self.name
    }
    fn digest_size(&self) -> usize {
        self.out_len
    }
    fn block_size(&self) -> usize {
        self.rate
    }
    fn is_xof(&self) -> bool {
        self.out_len == 0
    }
    fn box_clone(&self) -> Box<dyn HashAlgo> {
        Box::new(self.clone())
    }
}

static SHA3_224: TypeSpec = spec("_sha3", "sha3_224");
static SHA3_256: TypeSpec = spec("_sha3", "sha3_256");
static SHA3_384: TypeSpec = spec("_sha3", "sha3_384");
static SHA3_512: TypeSpec = spec("_sha3", "sha3_512");
static SHAKE_128: TypeSpec = spec("_sha3", "shake_128");
static SHAKE_256: TypeSpec = spec("_sha3", "shake_256");

fn make(vm: &Vm, args: Args, spec: &'static TypeSpec, rate: usize, out_len: usize) -> PyResult {
    // (data=b'', /, *, usedforsecurity=True)
    let a = vm.bind_native(spec.name, args, &["data", "usedforsecurity"], 1, 0, Some(1))?;
    wrap(vm, spec, Box::new(Sha3::new(spec.name, rate, out_len)), a[0].as_ref())
}

fn new_224(vm: &Vm, args: Args) -> PyResult {
    make(vm, args, &SHA3_224, 144, 28)
}
fn new_256(vm: &Vm, args: Args) -> PyResult {
    make(vm, args, &SHA3_256, 136, 32)
}
fn new_384(vm: &Vm, args: Args) -> PyResult {
    make(vm, args, &SHA3_384, 104, 48)
}
fn new_512(vm: &Vm, args: Args) -> PyResult {
    make(vm, args, &SHA3_512, 72, 64)
}
fn new_shake128(vm: &Vm, args: Args) -> PyResult {
    make(vm, args, &SHAKE_128, 168, 0)
}
fn new_shake256(vm: &Vm, args: Args) -> PyResult {
    make(vm, args, &SHAKE_256, 136, 0)
}

static FUNCS: [NativeDef; 6] = [
    NativeDef::function("sha3_224", new_224),
    NativeDef::function("sha3_256", new_256),
    NativeDef::function("sha3_384", new_384),
    NativeDef::function("sha3_512", new_512),
    NativeDef::function("shake_128", new_shake128),
    NativeDef::function("shake_256", new_shake256),
];

/// Creates the `_sha3` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    Ok(crate::hashobj::module(vm, "_sha3", &FUNCS, &[&SHA3_224, &SHA3_256, &SHA3_384, &SHA3_512, &SHAKE_128, &SHAKE_256]))
}
