//! The `_md5` module: MD5 (RFC 1321), which hashlib falls back to without OpenSSL.

use crate::hashobj::{construct, spec, HashAlgo, Md64};
use crate::native::TypeSpec;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Vm};

/// Per-round left-rotation amounts (RFC 1321 section 3.4).
const S: [u32; 16] = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

fn k_table() -> [u32; 64] {
    // K[i] = floor(2^32 * |sin(i + 1)|); f64 is exact enough for all 64 entries.
    let mut k = [0u32; 64];
    for (i, x) in k.iter_mut().enumerate() {
        *x = ((i as f64 + 1.0).sin().abs() * 4294967296.0) as u32;
    }
    k
}

#[derive(Clone)]
pub struct Md5 {
    h: [u32; 4],
    md: Md64,
    k: [u32; 64],
}

impl Md5 {
    pub fn new() -> Md5 {
        Md5 { h: [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476], md: Md64::new(), k: k_table() }
    }

    fn compress(h: &mut [u32; 4], k: &[u32; 64], block: &[u8; 64]) {
        let mut m = [0u32; 16];
        for (i, c) in block.chunks_exact(4).enumerate() {
            m[i] = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        }
        let [mut a, mut b, mut c, mut d] = *h;
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let s = S[(i / 16) * 4 + i % 4];
            let t = a.wrapping_add(f).wrapping_add(k[i]).wrapping_add(m[g]).rotate_left(s);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(t);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d]) {
            *x = x.wrapping_add(y);
        }
    }
}

impl HashAlgo for Md5 {
    fn update(&mut self, data: &[u8]) {
        let (h, k) = (&mut self.h, &self.k);
        self.md.update(data, |b| Md5::compress(h, k, b));
    }
    fn finish(&self, _len: usize) -> Vec<u8> {
        let mut s = self.clone();
        let pad = s.md.padding(false);
        s.update(&pad);
        s.h.iter().flat_map(|x| x.to_le_bytes()).collect()
    }
    fn name(&self) -> &'static str {
        "md5"
    }
    fn digest_size(&self) -> usize {
        16
    }
    fn block_size(&self) -> usize {
        64
    }
    fn box_clone(&self) -> Box<dyn HashAlgo> {
        Box::new(self.clone())
    }
}

static MD5: TypeSpec = spec("_md5", "md5");

fn new_md5(vm: &Vm, args: Args) -> PyResult {
    construct(vm, args, "md5", &MD5, Box::new(Md5::new()))
}

static FUNCS: [NativeDef; 1] = [NativeDef::function("md5", new_md5)];

/// Creates the `_md5` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    Ok(crate::hashobj::module(vm, "_md5", &FUNCS, &[&MD5]))
}
