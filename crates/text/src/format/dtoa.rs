//! `PyOS_double_to_string`: lays out a float's decimal digits as text for
//! the codes `e E f F g G r`, with CPython's flags (always-sign, add `.0`,
//! alternate form, no-negative-zero).  Also the public [`float_repr`].

use super::digits::{self, Digits};

/// Flags of `PyOS_double_to_string` (`Py_DTSF_*`).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct DtoaFlags {
    /// `Py_DTSF_SIGN`: always emit a sign.
    pub sign: bool,
    /// `Py_DTSF_ADD_DOT_0`: integers get a trailing `.0`.
    pub add_dot_0: bool,
    /// `Py_DTSF_ALT`: alternate form (`#`).
    pub alt: bool,
    /// `Py_DTSF_NO_NEG_0`: a negative zero result loses its sign (`z`).
    pub no_neg_0: bool,
}

/// `repr(x)` / `str(x)` of a Python float: shortest round-trip digits, fixed
/// notation when `-4 <= exponent < 16`, otherwise scientific notation
/// (`1e+16`, `1e-05`), `inf`, `-inf`, `nan`.
pub fn float_repr(x: f64) -> String {
    double_to_string(x, 'r', 0, DtoaFlags { add_dot_0: true, ..DtoaFlags::default() })
}

/// `PyOS_double_to_string(x, code, precision, flags)`.
///
/// `code` is one of `e E f F g G r`; for `r` precision is ignored.
pub(crate) fn double_to_string(x: f64, code: char, precision: usize, flags: DtoaFlags) -> String {
    let upper = matches!(code, 'E' | 'F' | 'G');
    let code = code.to_ascii_lowercase();
    let negative = x.is_sign_negative();
    let mut out = String::new();
    if x.is_nan() {
        // A NaN never shows its sign, but '+' is honoured.
        if flags.sign {
            out.push('+');
        }
        out.push_str(if upper { "NAN" } else { "nan" });
        return out;
    }
    if x.is_infinite() {
        if negative {
            out.push('-');
        } else if flags.sign {
            out.push('+');
        }
        out.push_str(if upper { "INF" } else { "inf" });
        return out;
    }
    // Digit generation, mirroring the dtoa modes.
    let mut precision = precision as i64;
    let d: Digits = match code {
        'e' => {
            precision += 1;
            digits::significant(x, precision as usize)
        }
        'f' => digits::fixed(x, precision),
        'g' => {
            if precision == 0 {
                precision = 1;
            }
            digits::significant(x, precision as usize)
        }
        _ => digits::shortest(x),
    };
    let digit_bytes = d.digits.as_bytes();
    let digits_len = digit_bytes.len() as i64;
    let mut decpt = d.decpt;
    let is_zero = d.digits == "0";

    let mut use_exp = false;
    let mut vdigits_end = digits_len;
    match code {
        'e' => {
            use_exp = true;
            vdigits_end = precision;
        }
        'f' => vdigits_end = decpt + precision,
        'g' => {
            let limit = if flags.add_dot_0 { precision - 1 } else { precision };
            if decpt <= -4 || decpt > limit {
                use_exp = true;
            }
            if flags.alt {
                vdigits_end = precision;
            }
        }
        _ => {
            if decpt <= -4 || decpt > 16 {
                use_exp = true;
            }
        }
    }
    let mut exp = 0i64;
    if use_exp {
        exp = decpt - 1;
        decpt = 1;
    }
    let vdigits_start = if decpt <= 0 { decpt - 1 } else { 0 };
    if !use_exp && flags.add_dot_0 {
        vdigits_end = vdigits_end.max(decpt + 1);
    } else {
        vdigits_end = vdigits_end.max(decpt);
    }

    let sign_negative = negative && !(flags.no_neg_0 && is_zero);
    if sign_negative {
        out.push('-');
    } else if flags.sign {
        out.push('+');
    }
    let push_zeros = |out: &mut String, n: i64| {
        for _ in 0..n.max(0) {
            out.push('0');
        }
    };
    if decpt <= 0 {
        push_zeros(&mut out, decpt - vdigits_start);
        out.push('.');
        push_zeros(&mut out, -decpt);
    } else {
        push_zeros(&mut out, -vdigits_start);
    }
    if 0 < decpt && decpt <= digits_len {
        out.push_str(&d.digits[..decpt as usize]);
        out.push('.');
        out.push_str(&d.digits[decpt as usize..]);
    } else {
        out.push_str(&d.digits);
    }
    if digits_len < decpt {
        push_zeros(&mut out, decpt - digits_len);
        out.push('.');
        push_zeros(&mut out, vdigits_end - decpt);
    } else {
        push_zeros(&mut out, vdigits_end - digits_len);
    }
    if out.ends_with('.') && !flags.alt {
        out.pop();
    }
    if use_exp {
        out.push(if upper { 'E' } else { 'e' });
        if exp < 0 {
            out.push('-');
        } else {
            out.push('+');
        }
        let a = exp.unsigned_abs();
        if a < 10 {
            out.push('0');
        }
        out.push_str(&a.to_string());
    }
    out
}
