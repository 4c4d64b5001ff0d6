//! Special functions Rust's std lacks: erf, erfc, gamma, lgamma; plus the
//! exact float sum (Shewchuk's algorithm, as `math.fsum`) and the IEEE
//! remainder. erf/erfc/gamma/lgamma are accurate to a few ulps but are not
//! guaranteed bit-identical to CPython (which uses libm erf/erfc and its own
//! Lanczos tables for gamma).

use std::f64::consts::PI;

const SQRT_PI: f64 = 1.772_453_850_905_516;

/// exp(-x*x) with the rounding error of x*x compensated (matters for erfc
/// of large arguments, where the relative error of x*x is amplified).
fn exp_neg_sq(x: f64) -> f64 {
    let hi = x * x;
    let lo = x.mul_add(x, -hi);
    (-hi).exp() * (1.0 - lo)
}

/// erf(x) for |x| < 3 by the all-positive series
/// erf(x) = 2/sqrt(pi) * exp(-x^2) * sum x^(2n+1) 2^n / (1*3*...*(2n+1)).
fn erf_series(x: f64) -> f64 {
    let x2 = x * x;
    let mut term = x;
    let mut sum = x;
    let mut n = 0.0;
    loop {
        n += 1.0;
        term *= 2.0 * x2 / (2.0 * n + 1.0);
        sum += term;
        if term.abs() < sum.abs() * 1e-17 || n > 500.0 {
            break;
        }
    }
    2.0 / SQRT_PI * exp_neg_sq(x) * sum
}

/// erfc(x) for x >= 1 by its continued fraction (modified Lentz).
fn erfc_cf(x: f64) -> f64 {
    // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))
    let tiny = 1e-300;
    let mut f = x;
    let mut c = x;
    let mut d = 0.0;
    for k in 1..5000 {
        let a = k as f64 / 2.0;
        d = x + a * d;
        if d == 0.0 {
            d = tiny;
        }
        c = x + a / c;
        if c == 0.0 {
            c = tiny;
        }
        d = 1.0 / d;
        let delta = c * d;
        f *= delta;
        if (delta - 1.0).abs() < 1e-16 {
            break;
        }
    }
    exp_neg_sq(x) / SQRT_PI / f
}

pub fn erf(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x.abs() < 3.0 {
        return erf_series(x);
    }
    if x.abs() > 6.0 {
        return 1.0f64.copysign(x);
    }
    let r = 1.0 - erfc_cf(x.abs());
    r.copysign(x)
}

pub fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x < 0.5 {
        return 1.0 - erf(x);
    }
    if x > 27.3 {
        return 0.0;
    }
    if x < 1.5 {
        return 1.0 - erf_series(x);
    }
    erfc_cf(x)
}

const LANCZOS_G: f64 = 7.0;
const LANCZOS: [f64; 9] = [
    0.999_999_999_999_809_9,
    676.520_368_121_885_1,
    -1_259.139_216_722_402_8,
    771.323_428_777_653_1,
    -176.615_029_162_140_6,
    12.507_343_278_686_905,
    -0.138_571_095_265_720_12,
    9.984_369_578_019_572e-6,
    1.505_632_735_149_311_6e-7,
];

fn lanczos_sum(x: f64) -> f64 {
    // x is the argument minus one.
    let mut a = LANCZOS[0];
    for (i, c) in LANCZOS.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    a
}

/// sin(pi * x) without the rounding of `pi * x`: x is first reduced
/// exactly to [-0.5, 0.5] around an integer (the error near integers
/// would otherwise swamp the result there).
fn sin_pi(x: f64) -> f64 {
    let n = x.round();
    let r = x - n;
    let s = (PI * r).sin();
    if n % 2.0 == 0.0 {
        s
    } else {
        -s
    }
}

/// Exact factorials for gamma of small positive integers.
fn small_factorial(n: u32) -> f64 {
    (1..n).fold(1.0, |acc, k| acc * k as f64)
}

/// Gamma; Err(true) = domain error, Err(false) = range error.
pub fn gamma(x: f64) -> Result<f64, bool> {
    if x.is_nan() {
        return Ok(x);
    }
    if x.is_infinite() {
        return if x > 0.0 { Ok(x) } else { Err(true) };
    }
    if x == x.floor() && x <= 0.0 {
        return Err(true);
    }
    if x == x.floor() && x <= 23.0 {
        return Ok(small_factorial(x as u32));
    }
    if x > 171.7 {
        return Err(false);
    }
    let r = if x < 0.5 {
        let s = sin_pi(x);
        let g = gamma_pos(1.0 - x);
        PI / (s * g)
    } else {
        gamma_pos(x)
    };
    if r.is_infinite() || r.is_nan() {
        return Err(false);
    }
    Ok(r)
}

fn gamma_pos(x: f64) -> f64 {
    let x = x - 1.0;
    let t = x + LANCZOS_G + 0.5;
    // Split the power to avoid overflow for x near 171.
    let p = t.powf((x + 0.5) / 2.0);
    (2.0 * PI).sqrt() * p * (-t).exp() * p * lanczos_sum(x)
}

/// log|gamma(x)|; Err(true) = domain error, Err(false) = range error.
pub fn lgamma(x: f64) -> Result<f64, bool> {
    if x.is_nan() {
        return Ok(x);
    }
    if x.is_infinite() {
        return Ok(f64::INFINITY);
    }
    if x == x.floor() && x <= 0.0 {
        return Err(true);
    }
    if x == 1.0 || x == 2.0 {
        return Ok(0.0);
    }
    if x.abs() < 1e-300 {
        return Ok(-x.abs().ln());
    }
    let r = if x < 0.5 {
        // Reflection: log(pi / |sin(pi x)|) - lgamma(1 - x).
        let s = sin_pi(x).abs();
        PI.ln() - s.ln() - lgamma(1.0 - x)?
    } else if x < 20.0 {
        gamma_pos(x).abs().ln()
    } else {
        let y = x - 1.0;
        let t = y + LANCZOS_G + 0.5;
        (2.0 * PI).sqrt().ln() + (y + 0.5) * t.ln() - t + lanczos_sum(y).ln()
    };
    if r.is_infinite() {
        return Err(false);
    }
    Ok(r)
}

/// IEEE 754 remainder (the result of x - n*y with n the integer nearest
/// x/y, ties to even). None for a domain error.
pub fn remainder(x: f64, y: f64) -> Option<f64> {
    if x.is_nan() {
        return Some(x);
    }
    if y.is_nan() {
        return Some(y);
    }
    if x.is_infinite() || y == 0.0 {
        return None;
    }
    if y.is_infinite() {
        return Some(x);
    }
    let (ax, ay) = (x.abs(), y.abs());
    let m = ax % ay;
    let c = ay - m;
    let r = if m < c {
        m
    } else if m > c {
        -c
    } else {
        // Half-way: pick the even multiple. m - 2*fmod(0.5*(ax - m), ay) is
        // m when the quotient is even and -m when it is odd.
        m - 2.0 * ((0.5 * (ax - m)) % ay)
    };
    Some(1.0f64.copysign(x) * r)
}

/// Why `fsum` failed.
pub enum FsumError {
    Overflow,
    InfMinusInf,
}

/// The correctly rounded sum of `xs` (Shewchuk's partials with the final
/// half-way correction), with CPython's special-value rules.
pub fn fsum(xs: impl Iterator<Item = f64>) -> Result<f64, FsumError> {
    let mut partials: Vec<f64> = Vec::new();
    let mut special = 0.0f64;
    let mut inf_sum = 0.0f64;
    for mut x in xs {
        let xsave = x;
        let mut i = 0;
        for j in 0..partials.len() {
            let mut y = partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                partials[i] = lo;
                i += 1;
            }
            x = hi;
        }
        partials.truncate(i);
        if x != 0.0 {
            if !x.is_finite() {
                // A non-finite result from finite inputs is an overflow;
                // non-finite inputs are summed separately.
                if xsave.is_finite() {
                    return Err(FsumError::Overflow);
                }
                if xsave.is_infinite() {
                    inf_sum += xsave;
                }
                special += xsave;
                partials.clear();
            } else {
                partials.push(x);
            }
        }
    }
    if special != 0.0 {
        if inf_sum.is_nan() {
            return Err(FsumError::InfMinusInf);
        }
        return Ok(special);
    }
    let mut hi = 0.0;
    let mut n = partials.len();
    if n > 0 {
        n -= 1;
        hi = partials[n];
        let mut lo = 0.0;
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = partials[n];
            hi = x + y;
            let yr = hi - x;
            lo = y - yr;
            if lo != 0.0 {
                break;
            }
        }
        // Round half-even correctly when the remaining partials push the
        // half-way case one way.
        if n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            let yr = x - hi;
            if y == yr {
                hi = x;
            }
        }
    }
    Ok(hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_values() {
        assert!((erf(0.5) - 0.5204998778130465).abs() < 4e-16);
        assert!((erfc(3.0) / 2.2090496998585438e-05 - 1.0).abs() < 1e-14);
        assert_eq!(gamma(5.0).ok(), Some(24.0));
        assert!((gamma(0.5).unwrap() / 1.7724538509055159 - 1.0).abs() < 1e-14);
        assert!((lgamma(-2.5).unwrap() - -0.05624371649767457).abs() < 1e-14);
        assert_eq!(remainder(5.0, 3.0), Some(-1.0));
        assert_eq!(fsum([0.1; 10].into_iter()).ok(), Some(1.0));
        assert!(matches!(fsum([1e308, 1e308].into_iter()), Err(FsumError::Overflow)));
    }
}
