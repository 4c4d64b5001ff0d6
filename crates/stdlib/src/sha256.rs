//! The `_sha256` module: SHA-256 and SHA-224 (FIPS 180-4).

use crate::hashobj::{construct, spec, HashAlgo, Md64};
use crate::native::TypeSpec;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Vm};

/// First 32 bits of the fractional parts of the cube roots of the first 64 primes.
const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

const IV256: [u32; 8] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const IV224: [u32; 8] = [0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4];

#[derive(Clone)]
pub struct Sha256 {
    h: [u32; 8],
    md: Md64,
    /// 32 for SHA-256, 28 for SHA-224.
    out_len: usize,
}

impl Sha256 {
    pub fn new(out_len: usize) -> Sha256 {
        Sha256 { h: if out_len == 32 { IV256 } else { IV224 }, md: Md64::new(), out_len }
    }

    fn compress(h: &mut [u32; 8], block: &[u8; 64]) {
        let mut w = [0u32; 64];
        for (i, c) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = *h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh.wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
}

impl HashAlgo for Sha256 {
    fn update(&mut self, data: &[u8]) {
        let h = &mut self.h;
        self.md.update(data, |b| Sha256::compress(h, b));
    }
    fn finish(&self, _len: usize) -> Vec<u8> {
        let mut s = self.clone();
        let pad = s.md.padding(true);
        s.update(&pad);
        s.h.iter().flat_map(|x| x.to_be_bytes()).take(self.out_len).collect()
    }
    fn name(&self) -> &'static str {
        if self.out_len == 32 {
            "sha256"
        } else {
            "sha224"
        }
    }
    fn digest_size(&self) -> usize {
        self.out_len
    }
    fn block_size(&self) -> usize {
        64
    }
    fn box_clone(&self) -> Box<dyn HashAlgo> {
        Box::new(self.clone())
    }
}

static SHA256: TypeSpec = spec("_sha256", "sha256");
static SHA224: TypeSpec = spec("_sha256", "sha224");

fn new_sha256(vm: &Vm, args: Args) -> PyResult {
    construct(vm, args, "sha256", &SHA256, Box::new(Sha256::new(32)))
}
fn new_sha224(vm: &Vm, args: Args) -> PyResult {
    construct(vm, args, "sha224", &SHA224, Box::new(Sha256::new(28)))
}

static FUNCS: [NativeDef; 2] = [NativeDef::function("sha256", new_sha256), NativeDef::function("sha224", new_sha224)];

/// Creates the `_sha256` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    Ok(crate::hashobj::module(vm, "_sha256", &FUNCS, &[&SHA256, &SHA224]))
}
