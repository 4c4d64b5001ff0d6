//! Python's numeric hash (`sys.hash_info`): reduction modulo the Mersenne
//! prime 2**61 - 1 so that equal ints, floats and complexes hash equal.

use dashu_int::ops::UnsignedAbs;
use dashu_int::{IBig, Sign, UBig};

use super::digits::decompose;

/// `sys.hash_info.modulus`.
pub const HASH_MODULUS: u64 = (1u64 << 61) - 1;
/// `sys.hash_info.inf`.
pub const HASH_INF: i64 = 314_159;
/// `sys.hash_info.imag`.
pub const HASH_IMAG: u64 = 1_000_003;
const HASH_BITS: u32 = 61;

fn finish(x: u64, negative: bool) -> i64 {
    let h = if negative { (x as i64).wrapping_neg() } else { x as i64 };
    if h == -1 {
        -2
    } else {
        h
    }
}

/// `hash(n)` for an int fitting in i64.
pub fn hash_i64(n: i64) -> i64 {
    let x = n.unsigned_abs() % HASH_MODULUS;
    finish(x, n < 0)
}

/// `hash(n)` for any int.
pub fn hash_int(n: &IBig) -> i64 {
    if let Ok(small) = i64::try_from(n) {
        return hash_i64(small);
    }
    let m = n.unsigned_abs() % UBig::from(HASH_MODULUS);
    let x = u64::try_from(&m).unwrap_or(0);
    finish(x, n.sign() == Sign::Negative)
}

/// `2**e mod (2**61 - 1)` for any `e` (2**61 == 1 modulo the prime).
fn pow2_mod(e: i64) -> u64 {
    let r = e.rem_euclid(HASH_BITS as i64) as u32;
    1u64 << r
}

fn mulmod(a: u64, b: u64) -> u64 {
    ((a as u128 * b as u128) % HASH_MODULUS as u128) as u64
}

/// `hash(x)` for a float; `None` for NaN (CPython hashes a NaN by object
/// identity, which only the caller knows).
pub fn hash_float(x: f64) -> Option<i64> {
    if x.is_nan() {
        return None;
    }
    if x.is_infinite() {
        return Some(if x > 0.0 { HASH_INF } else { -HASH_INF });
    }
    let (m, e) = decompose(x.abs());
    let v = mulmod(m % HASH_MODULUS, pow2_mod(e));
    Some(finish(v, x < 0.0))
}

/// `hash(complex(re, im))`; `nan_hash` is the identity hash the caller uses
/// for NaN components (CPython uses the complex object's pointer hash).
pub fn hash_complex(re: f64, im: f64, nan_hash: i64) -> i64 {
    let hr = hash_float(re).unwrap_or(nan_hash) as u64;
    let hi = hash_float(im).unwrap_or(nan_hash) as u64;
    let combined = hr.wrapping_add(HASH_IMAG.wrapping_mul(hi)) as i64;
    if combined == -1 {
        -2
    } else {
        combined
    }
}
