//! Exact binary-to-decimal digit generation for finite `f64` values.
//!
//! * [`shortest`]: the shortest digit string that round-trips (via `ryu`),
//!   i.e. dtoa mode 0 as used by `repr(float)`;
//! * [`fixed`]: the value rounded to `p` digits after the decimal point
//!   (dtoa mode 3, `'%.pf'`, `round(x, p)`);
//! * [`significant`]: the value rounded to `n` significant digits (dtoa
//!   mode 2, `'%.ne'`, `'%g'`).
//!
//! Rounding is round-half-even on the *exact* binary value, exactly like
//! David Gay's dtoa that CPython uses; big integers make it exact for any
//! precision.  All results have trailing zeros stripped; a zero result is
//! returned as digits `"0"` with `decpt == 1`.

use dashu_int::ops::{BitTest, DivRem};
use dashu_int::UBig;

/// A decimal digit string `d1 d2 ... dn` meaning `0.d1d2...dn * 10**decpt`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Digits {
    /// ASCII digits, no leading or trailing zeros (except the single `"0"`).
    pub digits: String,
    pub decpt: i64,
}

impl Digits {
    fn zero() -> Digits {
        Digits { digits: "0".to_string(), decpt: 1 }
    }
    /// Builds from an integer string `n` scaled by `10**-p`; strips zeros.
    fn from_scaled(n: String, p: i64) -> Digits {
        let trimmed = n.trim_start_matches('0');
        if trimmed.is_empty() {
            return Digits::zero();
        }
        let decpt = trimmed.len() as i64 - p;
        let d = trimmed.trim_end_matches('0');
        Digits { digits: d.to_string(), decpt }
    }
}

/// Splits finite non-negative `x` into `(mant, exp)` with `x == mant * 2**exp`.
pub(crate) fn decompose(x: f64) -> (u64, i64) {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    if biased == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), biased - 1075)
    }
}

/// Shortest round-trip digits of a finite `x` (sign ignored).
pub(crate) fn shortest(x: f64) -> Digits {
    let x = x.abs();
    if x == 0.0 {
        return Digits::zero();
    }
    let mut buf = ryu::Buffer::new();
    let s = buf.format_finite(x);
    let (mant, exp) = match s.find('e') {
        Some(i) => (&s[..i], s[i + 1..].parse::<i64>().unwrap_or(0)),
        None => (s, 0),
    };
    let (int_part, frac_part) = match mant.find('.') {
        Some(i) => (&mant[..i], &mant[i + 1..]),
        None => (mant, ""),
    };
    let mut all = String::with_capacity(int_part.len() + frac_part.len());
    all.push_str(int_part);
    all.push_str(frac_part);
    let mut decpt = int_part.len() as i64 + exp;
    let lead = all.len() - all.trim_start_matches('0').len();
    decpt -= lead as i64;
    let d = all[lead..].trim_end_matches('0');
    if d.is_empty() {
        return Digits::zero();
    }
    Digits { digits: d.to_string(), decpt }
}

const POW10_U128: [u128; 23] = {
    let mut t = [1u128; 23];
    let mut i = 1;
    while i < 23 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// `round_half_even(x * 10**p)` as a decimal integer string, for finite `x >= 0`.
fn scaled_round(x: f64, p: i64) -> String {
    let (mant, exp) = decompose(x);
    // Fast path: everything fits in u128.
    if (0..=22).contains(&p) && exp < 0 && exp > -127 {
        let num = mant as u128 * POW10_U128[p as usize];
        let s = (-exp) as u32;
        let mut q = num >> s;
        let r = num & ((1u128 << s) - 1);
        let half = 1u128 << (s - 1);
        if r > half || (r == half && q & 1 == 1) {
            q += 1;
        }
        return q.to_string();
    }
    if exp >= 0 && (0..=22).contains(&p) && exp <= 40 {
        let num = ((mant as u128) << exp).checked_mul(POW10_U128[p as usize]);
        if let Some(n) = num {
            return n.to_string();
        }
    }
    let mut num = UBig::from(mant);
    let mut den = UBig::ONE;
    if exp >= 0 {
        num <<= exp as usize;
    } else {
        den <<= (-exp) as usize;
    }
    let ten = UBig::from(10u8);
    if p >= 0 {
        num *= ten.pow(p as usize);
    } else {
        den *= ten.pow((-p) as usize);
    }
    let (mut q, r) = (&num).div_rem(&den);
    let twice = r << 1;
    if twice > den || (twice == den && q.bit(0)) {
        q += UBig::ONE;
    }
    q.to_string()
}

/// `x` (finite, sign ignored) correctly rounded to `p` digits after the
/// decimal point (`p` may be negative: round to tens, hundreds, ...).
pub(crate) fn fixed(x: f64, p: i64) -> Digits {
    let x = x.abs();
    if x == 0.0 {
        return Digits::zero();
    }
    // Beyond 1080 fractional digits every double is exact; below -330 every
    // double rounds to zero.  Clamping keeps the big-int work bounded.
    if p < -330 {
        return Digits::zero();
    }
    let p = p.min(1080);
    Digits::from_scaled(scaled_round(x, p), p)
}

/// `x` (finite, sign ignored) correctly rounded to `n >= 1` significant digits.
pub(crate) fn significant(x: f64, n: usize) -> Digits {
    let x = x.abs();
    if x == 0.0 {
        return Digits::zero();
    }
    // A double has at most 767 significant decimal digits.
    let n = n.clamp(1, 800) as i64;
    let (mant, exp) = decompose(x);
    let bitlen = 64 - mant.leading_zeros() as i64;
    let e2 = exp + bitlen - 1; // x in [2**e2, 2**(e2+1))
    let k = ((e2 as f64) * std::f64::consts::LOG10_2).floor() as i64;
    let mut p = n - 1 - k;
    for _ in 0..8 {
        let s = scaled_round(x, p);
        let len = s.len() as i64;
        if len == n {
            return Digits::from_scaled(s, p);
        }
        p -= len - n;
    }
    // Not reached in practice; fall back to the last estimate.
    Digits::from_scaled(scaled_round(x, p), p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str, decpt: i64) -> Digits {
        Digits { digits: s.to_string(), decpt }
    }

    #[test]
    fn basics() {
        assert_eq!(shortest(0.1), d("1", 0));
        assert_eq!(shortest(1e16), d("1", 17));
        assert_eq!(shortest(5e-324), d("5", -323));
        assert_eq!(shortest(123.456), d("123456", 3));
        assert_eq!(fixed(2.5, 0), d("2", 1));
        assert_eq!(fixed(3.5, 0), d("4", 1));
        assert_eq!(fixed(0.125, 2), d("12", 0));
        assert_eq!(fixed(0.001, 1), d("0", 1));
        assert_eq!(fixed(123.456, -1), d("12", 3));
        assert_eq!(fixed(0.1, 20), d("10000000000000000555", 0));
        assert_eq!(significant(9.99, 2), d("1", 2));
        assert_eq!(significant(1e300, 1), d("1", 301));
        assert_eq!(significant(5e-324, 3), d("494", -323));
    }
}
