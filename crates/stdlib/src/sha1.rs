//! The `_sha1` module: SHA-1 (FIPS 180-4), which hashlib falls back to without OpenSSL.

use crate::hashobj::{construct, spec, HashAlgo, Md64};
use crate::native::TypeSpec;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Vm};

#[derive(Clone)]
pub struct Sha1 {
    h: [u32; 5],
    md: Md64,
}

impl Sha1 {
    pub fn new() -> Sha1 {
        Sha1 { h: [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0], md: Md64::new() }
    }

    fn compress(h: &mut [u32; 5], block: &[u8; 64]) {
        let mut w = [0u32; 80];
        for (i, c) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = *h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i / 20 {
                0 => ((b & c) | (!b & d), 0x5A827999),
                1 => (b ^ c ^ d, 0x6ED9EBA1),
                2 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
                _ => (b ^ c ^ d, 0xCA62C1D6u32),
            };
            let t = a.rotate_left(5).wrapping_add(f).wrapping_add(e).wrapping_add(k).wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
}

impl HashAlgo for Sha1 {
    fn update(&mut self, data: &[u8]) {
        let h = &mut self.h;
        self.md.update(data, |b| Sha1::compress(h, b));
    }
    fn finish(&self, _len: usize) -> Vec<u8> {
        let mut s = self.clone();
        let pad = s.md.padding(true);
        s.update(&pad);
        s.h.iter().flat_map(|x| x.to_be_bytes()).collect()
    }
    fn name(&self) -> &'static str {
        "sha1"
    }
    fn digest_size(&self) -> usize {
        20
    }
    fn block_size(&self) -> usize {
        64
    }
    fn box_clone(&self) -> Box<dyn HashAlgo> {
        Box::new(self.clone())
    }
}

static SHA1: TypeSpec = spec("_sha1", "sha1");

fn new_sha1(vm: &Vm, args: Args) -> PyResult {
    construct(vm, args, "sha1", &SHA1, Box::new(Sha1::new()))
}

static FUNCS: [NativeDef; 1] = [NativeDef::function("sha1", new_sha1)];

/// Creates the `_sha1` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    Ok(crate::hashobj::module(vm, "_sha1", &FUNCS, &[&SHA1]))
}
