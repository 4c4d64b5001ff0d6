//! The `_blake2` module: BLAKE2b and BLAKE2s (RFC 7693) with digest_size,
//! key, salt, person and the tree parameters.

use crate::hashobj::{data_arg, spec, wrap, HashAlgo};
use crate::native::TypeSpec;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};

/// Message word permutations, one row per round (RFC 7693 section 2.7).
const SIGMA: [[usize; 16]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
    [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
    [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
    [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
    [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];

const IV_B: [u64; 8] = [
    0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
    0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
];
const IV_S: [u32; 8] = [0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19];

/// The word-size dependent parts: BLAKE2b uses u64 words and 12 rounds,
/// BLAKE2s u32 words and 10 rounds.
#[derive(Clone)]
enum Words {
    B([u64; 8]),
    S([u32; 8]),
}

#[derive(Clone)]
pub struct Blake2 {
    h: Words,
    buf: Vec<u8>,
    /// Bytes compressed so far.
    t: u128,
    out_len: usize,
    last_node: bool,
}

macro_rules! compress_fn {
    ($name:ident, $w:ty, $iv:expr, $rounds:expr, $r1:expr, $r2:expr, $r3:expr, $r4:expr) => {
        fn $name(h: &mut [$w; 8], block: &[u8], t: u128, last: bool, last_node: bool) {
            const N: usize = std::mem::size_of::<$w>();
            let mut m = [0 as $w; 16];
            for (i, c) in block.chunks_exact(N).enumerate() {
                m[i] = <$w>::from_le_bytes(c.try_into().unwrap_or([0; N]));
            }
            let mut v = [0 as $w; 16];
            v[..8].copy_from_slice(h);
            v[8..].copy_from_slice(&$iv);
            v[12] ^= t as $w;
            v[13] ^= (t >> (8 * N)) as $w;
            if last {
                v[14] = !v[14];
                if last_node {
                    v[15] = !v[15];
                }
            }
            let g = |v: &mut [$w; 16], a: usize, b: usize, c: usize, d: usize, x: $w, y: $w| {
                v[a] = v[a].wrapping_add(v[b]).wrapping_add(x);
                v[d] = (v[d] ^ v[a]).rotate_right($r1);
                v[c] = v[c].wrapping_add(v[d]);
                v[b] = (v[b] ^ v[c]).rotate_right($r2);
                v[a] = v[a].wrapping_add(v[b]).wrapping_add(y);
                v[d] = (v[d] ^ v[a]).rotate_right($r3);
                v[c] = v[c].wrapping_add(v[d]);
                v[b] = (v[b] ^ v[c]).rotate_right($r4);
            };
            for r in 0..$rounds {
                let s = &SIGMA[r % 10];
                g(&mut v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
                g(&mut v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
                g(&mut v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
                g(&mut v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
                g(&mut v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
                g(&mut v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
                g(&mut v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
                g(&mut v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
            }
            for i in 0..8 {
                h[i] ^= v[i] ^ v[i + 8];
            }
        }
    };
}

compress_fn!(compress_b, u64, IV_B, 12, 32, 24, 16, 63);
compress_fn!(compress_s, u32, IV_S, 10, 16, 12, 8, 7);

impl Blake2 {
    fn block_len(&self) -> usize {
        match self.h {
            Words::B(_) => 128,
            Words::S(_) => 64,
        }
    }

    fn compress(&mut self, block: &[u8], last: bool) {
        match &mut self.h {
            Words::B(h) => compress_b(h, block, self.t, last, self.last_node),
            Words::S(h) => compress_s(h, block, self.t, last, self.last_node),
        }
    }
}

impl HashAlgo for Blake2 {
    fn update(&mut self, mut data: &[u8]) {
        let bl = self.block_len();
        // The last block must go through the final compression, so a full
        // buffer is only compressed once more data arrives.
        while !data.is_empty() {
            if self.buf.len() == bl {
                self.t += bl as u128;
                let block = std::mem::take(&mut self.buf);
                self.compress(&block, false);
            }
            let take = (bl - self.buf.len()).min(data.len());
            self.buf.extend_from_slice(&data[..take]);
            data = &data[take..];
        }
    }
    fn finish(&self, _len: usize) -> Vec<u8> {
        let mut s = self.clone();
        let bl = s.block_len();
        s.t += s.buf.len() as u128;
        let mut block = std::mem::take(&mut s.buf);
        block.resize(bl, 0);
        s.compress(&block, true);
        let mut out: Vec<u8> = match &s.h {
            Words::B(h) => h.iter().flat_map(|x| x.to_le_bytes()).collect(),
            Words::S(h) => h.iter().flat_map(|x| x.to_le_bytes()).collect(),
        };
        out.truncate(self.out_len);
        out
    }
    fn name(&self) -> &'static str {
        match self.h {
            Words::B(_) => "blake2b",
            Words::S(_) => "blake2s",
        }
    }
    fn digest_size(&self) -> usize {
        self.out_len
    }
    fn block_size(&self) -> usize {
        self.block_len()
    }
    fn box_clone(&self) -> Box<dyn HashAlgo> {
        Box::new(self.clone())
    }
}

static BLAKE2B: TypeSpec = spec("_blake2", "blake2b");
static BLAKE2S: TypeSpec = spec("_blake2", "blake2s");

const NAMES: [&str; 12] = [
    "data", "digest_size", "key", "salt", "person", "fanout", "depth", "leaf_size", "node_offset", "node_depth",
    "inner_size", "last_node",
];

fn make(vm: &Vm, args: Args, is_b: bool) -> PyResult {
    let (spec, max_out, max_salt, max_offset_bits): (&'static TypeSpec, usize, usize, u32) =
        if is_b { (&BLAKE2B, 64, 16, 64) } else { (&BLAKE2S, 32, 8, 48) };
    let mut names: Vec<&str> = NAMES.to_vec();
    names.push("usedforsecurity");
    let a = vm.bind_native(spec.name, args, &names, 1, 0, Some(1))?;
    let int = |i: usize, default: i64| -> PyResult<i64> {
        match &a[i] {
            Some(v) => crate::native::ssize(vm, v),
            None => Ok(default),
        }
    };
    let bytes = |i: usize| -> PyResult<Vec<u8>> {
        match &a[i] {
            Some(v) => data_arg(vm, v),
            None => Ok(Vec::new()),
        }
    };
    let digest_size = int(1, max_out as i64)?;
    if digest_size < 1 || digest_size > max_out as i64 {
        return Err(vm.new_value_error(format!("digest_size must be between 1 and {max_out} bytes")));
    }
    let key = bytes(2)?;
    if key.len() > max_out {
        return Err(vm.new_value_error(format!("maximum key length is {max_out} bytes")));
    }
    let salt = bytes(3)?;
    if salt.len() > max_salt {
        return Err(vm.new_value_error(format!("maximum salt length is {max_salt} bytes")));
    }
    let person = bytes(4)?;
    if person.len() > max_salt {
        return Err(vm.new_value_error(format!("maximum person length is {max_salt} bytes")));
    }
    let fanout = int(5, 1)?;
    if !(0..=255).contains(&fanout) {
        return Err(vm.new_value_error("fanout must be between 0 and 255"));
    }
    let depth = int(6, 1)?;
    if !(1..=255).contains(&depth) {
        return Err(vm.new_value_error("depth must be between 1 and 255"));
    }
    let leaf_size = int(7, 0)?;
    if !(0..=u32::MAX as i64).contains(&leaf_size) {
        return Err(vm.new_overflow_error("leaf_size is too large"));
    }
    let node_offset = int(8, 0)?;
    if node_offset < 0 || (max_offset_bits < 64 && node_offset >= 1i64 << max_offset_bits) {
        return Err(vm.new_overflow_error("node_offset is too large"));
    }
    let node_depth = int(9, 0)?;
    if !(0..=255).contains(&node_depth) {
        return Err(vm.new_value_error("node_depth must be between 0 and 255"));
    }
    let inner_size = int(10, 0)?;
    if inner_size < 0 || inner_size > max_out as i64 {
        return Err(vm.new_value_error(format!("inner_size must be between 0 and is {max_out}")));
    }
    let last_node = match &a[11] {
        Some(v) => vm.truthy(v)?,
        None => false,
    };
    // The parameter block (RFC 7693 section 2.5 and the BLAKE2 paper's tree parameters).
    let mut p = vec![0u8; if is_b { 64 } else { 32 }];
    p[0] = digest_size as u8;
    p[1] = key.len() as u8;
    p[2] = fanout as u8;
    p[3] = depth as u8;
    p[4..8].copy_from_slice(&(leaf_size as u32).to_le_bytes());
    let off = (node_offset as u64).to_le_bytes();
    if is_b {
        p[8..16].copy_from_slice(&off);
        p[16] = node_depth as u8;
        p[17] = inner_size as u8;
        p[32..32 + salt.len()].copy_from_slice(&salt);
        p[48..48 + person.len()].copy_from_slice(&person);
    } else {
        p[8..14].copy_from_slice(&off[..6]);
        p[14] = node_depth as u8;
        p[15] = inner_size as u8;
        p[16..16 + salt.len()].copy_from_slice(&salt);
        p[24..24 + person.len()].copy_from_slice(&person);
    }
    let h = if is_b {
        let mut h = IV_B;
        for (i, c) in p.chunks_exact(8).enumerate() {
            h[i] ^= u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
        }
        Words::B(h)
    } else {
        let mut h = IV_S;
        for (i, c) in p.chunks_exact(4).enumerate() {
            h[i] ^= u32::from_le_bytes(c.try_into().unwrap_or([0; 4]));
        }
        Words::S(h)
    };
    let mut st = Blake2 { h, buf: Vec::new(), t: 0, out_len: digest_size as usize, last_node };
    if !key.is_empty() {
        // A keyed hash starts with the key padded to one block.
        let mut k = key.clone();
        k.resize(st.block_len(), 0);
        st.update(&k);
    }
    wrap(vm, spec, Box::new(st), a[0].as_ref())
}

fn new_b(vm: &Vm, args: Args) -> PyResult {
    make(vm, args, true)
}
fn new_s(vm: &Vm, args: Args) -> PyResult {
    make(vm, args, false)
}

static FUNCS: [NativeDef; 2] = [NativeDef::function("blake2b", new_b), NativeDef::function("blake2s", new_s)];

/// Creates the `_blake2` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let m = crate::hashobj::module(vm, "_blake2", &FUNCS, &[&BLAKE2B, &BLAKE2S]);
    let d = match &m.payload {
        krait_vm::payload::Payload::Module(md) => md.dict.clone(),
        _ => return Ok(m),
    };
    for (k, v) in [
        ("BLAKE2B_SALT_SIZE", 16),
        ("BLAKE2B_PERSON_SIZE", 16),
        ("BLAKE2B_MAX_KEY_SIZE", 64),
        ("BLAKE2B_MAX_DIGEST_SIZE", 64),
        ("BLAKE2S_SALT_SIZE", 8),
        ("BLAKE2S_PERSON_SIZE", 8),
        ("BLAKE2S_MAX_KEY_SIZE", 32),
        ("BLAKE2S_MAX_DIGEST_SIZE", 32),
    ] {
        vm.dict_set_str(&d, &vm.intern(k), Value::Int(v));
    }
    Ok(m)
}
