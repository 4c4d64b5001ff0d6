//! Float arithmetic and conversions with CPython's exact semantics:
//! `float.hex/fromhex`, `round(x, n)`, `as_integer_ratio`, int <-> float,
//! correctly rounded `int / int`, `%`, `//`, `divmod`, `**`.

use dashu_int::ops::{BitTest, DivRem, UnsignedAbs};
use dashu_int::{IBig, Sign, UBig};

use super::digits::{self, decompose};
use super::error::{FmtResult, FormatError};

/// Builds the double nearest to `(m + f) * 2**e` where `0 <= f < 1` and
/// `sticky` tells whether `f > 0`; ties go to even.  `None` on overflow.
fn make_f64(m: &UBig, e: i64, sticky: bool) -> Option<f64> {
    let bits = m.bit_len() as i64;
    if bits == 0 {
        // Only a sticky fraction below 2**e; callers keep e small enough
        // that this rounds to zero.
        return Some(0.0);
    }
    let top = bits + e; // value < 2**top
    let lsb = (top - 53).max(-1074);
    let shift = lsb - e;
    let mant: u64 = if shift <= 0 {
        // Exact: no bits are dropped.
        let v: UBig = m << ((-shift) as usize);
        u64::try_from(&v).ok()?
    } else {
        let s = shift as usize;
        let q: UBig = m >> s;
        let mut q = u64::try_from(&q).ok()?;
        let half_bit = m.bit(s - 1);
        let below = m.trailing_zeros().is_some_and(|tz| tz < s - 1) || sticky;
        if half_bit && (below || q & 1 == 1) {
            q += 1;
        }
        q
    };
    let (mant, lsb) = if mant == 1u64 << 53 { (1u64 << 52, lsb + 1) } else { (mant, lsb) };
    if mant == 0 {
        return Some(0.0);
    }
    if mant < 1u64 << 52 {
        // Subnormal (lsb == -1074).
        return Some(f64::from_bits(mant));
    }
    let biased = lsb + 1075;
    if biased >= 2047 {
        return None;
    }
    Some(f64::from_bits(((biased as u64) << 52) | (mant & ((1u64 << 52) - 1))))
}

/// `float(v)` for an int, correctly rounded (half-even);
/// `OverflowError: int too large to convert to float`.
pub fn ibig_to_f64(v: &IBig) -> FmtResult<f64> {
    let neg = v.sign() == Sign::Negative;
    let mag = v.unsigned_abs();
    match make_f64(&mag, 0, false) {
        Some(x) => Ok(if neg { -x } else { x }),
        None => Err(FormatError::overflow("int too large to convert to float")),
    }
}

/// `int(x)` for a float (truncation toward zero).
pub fn float_to_ibig(x: f64) -> FmtResult<IBig> {
    if x.is_nan() {
        return Err(FormatError::value("cannot convert float NaN to integer"));
    }
    if x.is_infinite() {
        return Err(FormatError::overflow("cannot convert float infinity to integer"));
    }
    let t = x.trunc();
    if t.abs() < 9.2e18 {
        return Ok(IBig::from(t as i64));
    }
    let (m, e) = decompose(t.abs());
    let mag = UBig::from(m) << (e.max(0) as usize);
    let v = IBig::from(mag);
    Ok(if t < 0.0 { -v } else { v })
}

/// `x.as_integer_ratio()`: the exact reduced fraction.
pub fn float_as_integer_ratio(x: f64) -> FmtResult<(IBig, IBig)> {
    if x.is_infinite() {
        return Err(FormatError::overflow("cannot convert Infinity to integer ratio"));
    }
    if x.is_nan() {
        return Err(FormatError::value("cannot convert NaN to integer ratio"));
    }
    let (mut m, mut e) = decompose(x.abs());
    if m == 0 {
        return Ok((IBig::ZERO, IBig::ONE));
    }
    let tz = m.trailing_zeros() as i64;
    m >>= tz;
    e += tz;
    let num = IBig::from(m);
    let num = if x < 0.0 { -num } else { num };
    if e >= 0 {
        Ok((num << e as usize, IBig::ONE))
    } else {
        Ok((num, IBig::ONE << (-e) as usize))
    }
}

/// `round(x)` (no ndigits) before the conversion to int: nearest integer,
/// ties to even.  The caller converts with [`float_to_ibig`].
pub fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - r).abs() == 0.5 {
        2.0 * (x / 2.0).round()
    } else {
        r
    }
}

/// `round(x, ndigits)` for a float: correctly rounded, half-even on the exact
/// value (CPython's `double_round`); `OverflowError: rounded value too large
/// to represent` when the result overflows.
pub fn round_float(x: f64, ndigits: i64) -> FmtResult<f64> {
    if !x.is_finite() {
        return Ok(x);
    }
    if ndigits > 323 {
        return Ok(x);
    }
    if ndigits < -308 {
        return Ok(0.0 * x);
    }
    let d = digits::fixed(x, ndigits);
    let s = format!(
        "{}0{}e{}",
        if x.is_sign_negative() { "-" } else { "" },
        d.digits,
        d.decpt - d.digits.len() as i64
    );
    let r: f64 = s.parse().unwrap_or(f64::NAN);
    if r.is_infinite() {
        return Err(FormatError::overflow("rounded value too large to represent"));
    }
    Ok(r)
}

/// `a / b` for ints, correctly rounded like CPython's `long_true_divide`.
pub fn int_true_divide(a: &IBig, b: &IBig) -> FmtResult<f64> {
    if *b == IBig::ZERO {
        return Err(FormatError::zero_div("division by zero"));
    }
    let neg = (a.sign() == Sign::Negative) != (b.sign() == Sign::Negative);
    let sgn = |x: f64| if neg { -x } else { x };
    if *a == IBig::ZERO {
        return Ok(sgn(0.0));
    }
    let (am, bm) = (a.unsigned_abs(), b.unsigned_abs());
    let (na, nb) = (am.bit_len() as i64, bm.bit_len() as i64);
    let diff = na - nb;
    if diff > 1025 {
        return Err(FormatError::overflow("integer division result too large for a float"));
    }
    if diff < -1080 {
        return Ok(sgn(0.0));
    }
    // Scale so the integer quotient has about 60 significant bits.
    let s = diff - 60;
    let (q, r) = if s >= 0 { am.div_rem(bm << s as usize) } else { (am << (-s) as usize).div_rem(bm) };
    match make_f64(&q, s, r != UBig::ZERO) {
        Some(x) => Ok(sgn(x)),
        None => Err(FormatError::overflow("integer division result too large for a float")),
    }
}

/// `x / y` for floats (`ZeroDivisionError: float division by zero`).
pub fn float_div(x: f64, y: f64) -> FmtResult<f64> {
    if y == 0.0 {
        return Err(FormatError::zero_div("float division by zero"));
    }
    Ok(x / y)
}

/// `x % y` for floats: the result has the sign of `y` (CPython's `float_rem`).
pub fn float_mod(x: f64, y: f64) -> FmtResult<f64> {
    if y == 0.0 {
        return Err(FormatError::zero_div("float modulo"));
    }
    let mut m = x % y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m += y;
        }
    } else {
        m = 0.0f64.copysign(y);
    }
    Ok(m)
}

fn div_mod(x: f64, y: f64) -> (f64, f64) {
    let mut m = x % y;
    let mut div = (x - m) / y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m += y;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(y);
    }
    let floordiv = if div != 0.0 {
        let mut f = div.floor();
        if div - f > 0.5 {
            f += 1.0;
        }
        f
    } else {
        0.0f64.copysign(x / y)
    };
    (floordiv, m)
}

/// `divmod(x, y)` for floats (`ZeroDivisionError: float divmod()`).
pub fn float_divmod(x: f64, y: f64) -> FmtResult<(f64, f64)> {
    if y == 0.0 {
        return Err(FormatError::zero_div("float divmod()"));
    }
    Ok(div_mod(x, y))
}

/// `x // y` for floats (`ZeroDivisionError: float floor division by zero`).
pub fn float_floordiv(x: f64, y: f64) -> FmtResult<f64> {
    if y == 0.0 {
        return Err(FormatError::zero_div("float floor division by zero"));
    }
    Ok(div_mod(x, y).0)
}

/// Result of [`float_pow`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PowResult {
    Float(f64),
    /// Negative base with a non-integer exponent: CPython delegates to
    /// complex power (`(-8) ** (1/3)`).
    NeedsComplex,
}

fn is_odd_integer(x: f64) -> bool {
    (x.abs() % 2.0) == 1.0
}

/// `x ** y` for floats (CPython's `float_pow`).  Overflow raises
/// `OverflowError(34, 'Numerical result out of range')` (see
/// [`FormatError::errno`]); `0.0 ** negative` raises ZeroDivisionError.
pub fn float_pow(x: f64, y: f64) -> FmtResult<PowResult> {
    use PowResult::Float;
    if y == 0.0 {
        return Ok(Float(1.0));
    }
    if x.is_nan() {
        return Ok(Float(x));
    }
    if y.is_nan() {
        return Ok(Float(if x == 1.0 { 1.0 } else { y }));
    }
    if y.is_infinite() {
        let ax = x.abs();
        return Ok(Float(if ax == 1.0 {
            1.0
        } else if (y > 0.0) == (ax > 1.0) {
            f64::INFINITY
        } else {
            0.0
        }));
    }
    if x.is_infinite() {
        let odd = is_odd_integer(y);
        return Ok(Float(if y > 0.0 {
            if odd { x } else { x.abs() }
        } else if odd {
            0.0f64.copysign(x)
        } else {
            0.0
        }));
    }
    if x == 0.0 {
        if y < 0.0 {
            return Err(FormatError::zero_div("0.0 cannot be raised to a negative power"));
        }
        return Ok(Float(if is_odd_integer(y) { x } else { 0.0 }));
    }
    let mut base = x;
    let mut negate = false;
    if base < 0.0 {
        if y != y.floor() {
            return Ok(PowResult::NeedsComplex);
        }
        base = -base;
        negate = is_odd_integer(y);
    }
    if base == 1.0 {
        return Ok(Float(if negate { -1.0 } else { 1.0 }));
    }
    let r = base.powf(y);
    if r.is_infinite() {
        let mut e = FormatError::overflow("Numerical result out of range");
        e.errno = Some(34);
        return Err(e);
    }
    Ok(Float(if negate { -r } else { r }))
}

/// `float.hex(x)`: `0x1.999999999999ap-4`, `-0x0.0p+0`, `inf`, `nan`.
pub fn float_hex(x: f64) -> String {
    if !x.is_finite() {
        return super::dtoa::float_repr(x);
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x == 0.0 {
        return format!("{}0x0.0p+0", sign);
    }
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    let (lead, exp) = if biased == 0 { (0, -1022) } else { (1, biased - 1023) };
    format!("{}0x{}.{:013x}p{}{}", sign, lead, frac, if exp < 0 { '-' } else { '+' }, exp.abs())
}

/// `float.fromhex(s)`.  Errors: `ValueError: invalid hexadecimal
/// floating-point string`, `OverflowError: hexadecimal value too large to
/// represent as a float`.
pub fn float_fromhex(s: &str) -> FmtResult<f64> {
    let parse_error = || FormatError::value("invalid hexadecimal floating-point string");
    let t = s.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c'));
    let b = t.as_bytes();
    // Infinities and NaNs (their sign is handled here too).
    {
        let (neg, rest) = match b.first() {
            Some(b'-') => (true, &t[1..]),
            Some(b'+') => (false, &t[1..]),
            _ => (false, t),
        };
        let l = rest.to_ascii_lowercase();
        if l == "inf" || l == "infinity" {
            return Ok(if neg { f64::NEG_INFINITY } else { f64::INFINITY });
        }
        if l == "nan" {
            return Ok(if neg { -f64::NAN } else { f64::NAN });
        }
    }
    let mut i = 0;
    let mut neg = false;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        neg = b[i] == b'-';
        i += 1;
    }
    if b.get(i) == Some(&b'0') && matches!(b.get(i + 1), Some(b'x' | b'X')) {
        i += 2;
    }
    let mut hex = String::new();
    let mut fdigits: i64 = 0;
    while i < b.len() && b[i].is_ascii_hexdigit() {
        hex.push(b[i] as char);
        i += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_hexdigit() {
            hex.push(b[i] as char);
            fdigits += 1;
            i += 1;
        }
    }
    if hex.is_empty() {
        return Err(parse_error());
    }
    let mut exp: i64 = 0;
    if i < b.len() && (b[i] == b'p' || b[i] == b'P') {
        i += 1;
        let mut eneg = false;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            eneg = b[i] == b'-';
            i += 1;
        }
        if i >= b.len() || !b[i].is_ascii_digit() {
            return Err(parse_error());
        }
        while i < b.len() && b[i].is_ascii_digit() {
            exp = exp.saturating_mul(10).saturating_add((b[i] - b'0') as i64);
            i += 1;
        }
        if eneg {
            exp = -exp;
        }
    }
    if i != b.len() {
        return Err(parse_error());
    }
    let sgn = |x: f64| if neg { -x } else { x };
    let m = UBig::from_str_radix(&hex, 16).map_err(|_| parse_error())?;
    // C's `long` exponent clamps; mirror CPython's extreme-value shortcuts.
    if m == UBig::ZERO || exp < i64::MIN / 2 {
        return Ok(sgn(0.0));
    }
    if exp > i64::MAX / 2 {
        return Err(FormatError::overflow("hexadecimal value too large to represent as a float"));
    }
    let e = exp - 4 * fdigits;
    let top = e.saturating_add(m.bit_len() as i64);
    if top < -1074 {
        return Ok(sgn(0.0));
    }
    if top > 1024 {
        return Err(FormatError::overflow("hexadecimal value too large to represent as a float"));
    }
    match make_f64(&m, e, false) {
        Some(x) => Ok(sgn(x)),
        None => Err(FormatError::overflow("hexadecimal value too large to represent as a float")),
    }
}
