//! The `cmath` module: CPython 3.11's complex functions. Non-finite inputs
//! take their results from 7x7 tables indexed by the class of the real and
//! imaginary parts (C99 Annex G, as CPython returns them); finite inputs use
//! the same formulas as CPython (Kahan's branch-cut-safe ones), so results
//! match bit for bit given the same libm. Errors: "math domain error"
//! (ValueError) and "math range error" (OverflowError).

use crate::math::arg_f64;
use crate::math_special as sp;
use krait_vm::types::complex::complex_of;
use krait_vm::types::typeobj::Slot;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::f64::consts::{LN_2, PI};

type C = (f64, f64);
type Table = [[C; 7]; 7];

const I: f64 = f64::INFINITY;
const N: f64 = f64::NAN;
const P12: f64 = PI / 2.0;
const P14: f64 = PI / 4.0;
const P34: f64 = 0.75 * PI;
const LARGE: f64 = f64::MAX / 4.0;
const MANT_DIG: i32 = 53;

/// What a C function leaves in `errno`.
#[derive(Clone, Copy, PartialEq)]
enum Err {
    Ok,
    Dom,
    Range,
}

/// The class of a double, in table order.
fn class(d: f64) -> usize {
    if d.is_nan() {
        6
    } else if d.is_infinite() {
        if d > 0.0 { 5 } else { 0 }
    } else if d != 0.0 {
        if d < 0.0 { 1 } else { 4 }
    } else if d.is_sign_negative() {
        2
    } else {
        3
    }
}

fn special(t: &Table, z: C) -> C {
    t[class(z.0)][class(z.1)]
}

fn finite(z: C) -> bool {
    z.0.is_finite() && z.1.is_finite()
}

fn ldexp(x: f64, e: i32) -> f64 {
    x * 2f64.powi(e)
}

fn c_sqrt(z: C) -> (C, Err) {
    if !finite(z) {
        return (special(&SQRT, z), Err::Ok);
    }
    if z.0 == 0.0 && z.1 == 0.0 {
        return ((0.0, z.1), Err::Ok);
    }
    let (mut ax, ay) = (z.0.abs(), z.1.abs());
    let s = if ax < f64::MIN_POSITIVE && ay < f64::MIN_POSITIVE {
        // Scale up so hypot's result is not subnormal.
        ax = ldexp(ax, MANT_DIG);
        ldexp((ax + ax.hypot(ldexp(ay, MANT_DIG))).sqrt(), -(MANT_DIG + 1) / 2)
    } else {
        ax /= 8.0;
        2.0 * (ax + ax.hypot(ay / 8.0)).sqrt()
    };
    let d = ay / (2.0 * s);
    if z.0 >= 0.0 {
        ((s, d.copysign(z.1)), Err::Ok)
    } else {
        ((d, s.copysign(z.1)), Err::Ok)
    }
}

fn c_exp(z: C) -> (C, Err) {
    if !finite(z) {
        let r = if z.0.is_infinite() && z.1.is_finite() && z.1 != 0.0 {
            if z.0 > 0.0 {
                (I.copysign(z.1.cos()), I.copysign(z.1.sin()))
            } else {
                (0f64.copysign(z.1.cos()), 0f64.copysign(z.1.sin()))
            }
        } else {
            special(&EXP, z)
        };
        let dom = z.1.is_infinite() && (z.0.is_finite() || (z.0.is_infinite() && z.0 > 0.0));
        return (r, if dom { Err::Dom } else { Err::Ok });
    }
    let r = if z.0 > LARGE.ln() {
        let l = (z.0 - 1.0).exp();
        (l * z.1.cos() * std::f64::consts::E, l * z.1.sin() * std::f64::consts::E)
    } else {
        let l = z.0.exp();
        (l * z.1.cos(), l * z.1.sin())
    };
    (r, overflow(r))
}

fn overflow(r: C) -> Err {
    if r.0.is_infinite() || r.1.is_infinite() {
        Err::Range
    } else {
        Err::Ok
    }
}

fn c_log(z: C) -> (C, Err) {
    if !finite(z) {
        return (special(&LOG, z), Err::Ok);
    }
    let (ax, ay) = (z.0.abs(), z.1.abs());
    let re = if ax > LARGE || ay > LARGE {
        (ax / 2.0).hypot(ay / 2.0).ln() + LN_2
    } else if ax < f64::MIN_POSITIVE && ay < f64::MIN_POSITIVE {
        if ax > 0.0 || ay > 0.0 {
            ldexp(ax, MANT_DIG).hypot(ldexp(ay, MANT_DIG)).ln() - MANT_DIG as f64 * LN_2
        } else {
            return ((-I, z.1.atan2(z.0)), Err::Dom);
        }
    } else {
        let h = ax.hypot(ay);
        if (0.71..=1.73).contains(&h) {
            let (am, an) = if ax > ay { (ax, ay) } else { (ay, ax) };
            ((am - 1.0) * (am + 1.0) + an * an).ln_1p() / 2.0
        } else {
            h.ln()
        }
    };
    ((re, z.1.atan2(z.0)), Err::Ok)
}

fn c_log10(z: C) -> (C, Err) {
    let (s, e) = c_log(z);
    ((s.0 / std::f64::consts::LN_10, s.1 / std::f64::consts::LN_10), e)
}

fn c_acos(z: C) -> (C, Err) {
    if !finite(z) {
        return (special(&ACOS, z), Err::Ok);
    }
    let r = if z.0.abs() > LARGE || z.1.abs() > LARGE {
        let l = (z.0 / 2.0).hypot(z.1 / 2.0).ln() + LN_2 * 2.0;
        let im = if z.0 < 0.0 { -l.copysign(z.1) } else { l.copysign(-z.1) };
        (z.1.abs().atan2(z.0), im)
    } else {
        let s1 = c_sqrt((1.0 - z.0, -z.1)).0;
        let s2 = c_sqrt((1.0 + z.0, z.1)).0;
        (2.0 * s1.0.atan2(s2.0), sp::asinh(s2.0 * s1.1 - s2.1 * s1.0))
    };
    (r, Err::Ok)
}

fn c_acosh(z: C) -> (C, Err) {
    if !finite(z) {
        return (special(&ACOSH, z), Err::Ok);
    }
    let r = if z.0.abs() > LARGE || z.1.abs() > LARGE {
        ((z.0 / 2.0).hypot(z.1 / 2.0).ln() + LN_2 * 2.0, z.1.atan2(z.0))
    } else {
        let s1 = c_sqrt((z.0 - 1.0, z.1)).0;
        let s2 = c_sqrt((z.0 + 1.0, z.1)).0;
        (sp::asinh(s1.0 * s2.0 + s1.1 * s2.1), 2.0 * s1.1.atan2(s2.0))
    };
    (r, Err::Ok)
}

fn c_asinh(z: C) -> (C, Err) {
    if !finite(z) {
        return (special(&ASINH, z), Err::Ok);
    }
    let r = if z.0.abs() > LARGE || z.1.abs() > LARGE {
        let l = (z.0 / 2.0).hypot(z.1 / 2.0).ln() + LN_2 * 2.0;
        let re = if z.1 >= 0.0 { l.copysign(z.0) } else { -l.copysign(-z.0) };
        (re, z.1.atan2(z.0.abs()))
    } else {
        let s1 = c_sqrt((1.0 + z.1, -z.0)).0;
        let s2 = c_sqrt((1.0 - z.1, z.0)).0;
        (sp::asinh(s1.0 * s2.1 - s2.0 * s1.1), z.1.atan2(s1.0 * s2.0 - s1.1 * s2.1))
    };
    (r, Err::Ok)
}

/// asin(z) = -i asinh(iz).
fn c_asin(z: C) -> (C, Err) {
    let (s, e) = c_asinh((-z.1, z.0));
    ((s.1, -s.0), e)
}

fn c_atanh(z: C) -> (C, Err) {
    if !finite(z) {
        return (special(&ATANH, z), Err::Ok);
    }
    if z.0 < 0.0 {
        // atanh(z) = -atanh(-z) keeps the formulas to z.real >= 0.
        let (r, e) = c_atanh((-z.0, -z.1));
        return ((-r.0, -r.1), e);
    }
    let ay = z.1.abs();
    if z.0 > LARGE.sqrt() || ay > LARGE.sqrt() {
        let h = (z.0 / 2.0).hypot(z.1 / 2.0);
        ((z.0 / 4.0 / h / h, -P12.copysign(-z.1)), Err::Ok)
    } else if z.0 == 1.0 && ay < f64::MIN_POSITIVE.sqrt() {
        if ay == 0.0 {
            ((I, z.1), Err::Dom)
        } else {
            let re = -(ay.sqrt() / ay.hypot(2.0).sqrt()).ln();
            ((re, (2f64.atan2(-ay) / 2.0).copysign(z.1)), Err::Ok)
        }
    } else {
        let re = (4.0 * z.0 / ((1.0 - z.0) * (1.0 - z.0) + ay * ay)).ln_1p() / 4.0;
        let im = -(-2.0 * z.1).atan2((1.0 - z.0) * (1.0 + z.0) - ay * ay) / 2.0;
        ((re, im), Err::Ok)
    }
}

/// atan(z) = -i atanh(iz).
fn c_atan(z: C) -> (C, Err) {
    let (s, e) = c_atanh((-z.1, z.0));
    ((s.1, -s.0), e)
}

/// cosh and sinh share their shape; `sinh` picks the odd variant.
fn c_cosh_sinh(z: C, sinh: bool) -> (C, Err) {
    if !finite(z) {
        let r = if z.0.is_infinite() && z.1.is_finite() && z.1 != 0.0 {
            let (c, s) = (I.copysign(z.1.cos()), I.copysign(z.1.sin()));
            match (z.0 > 0.0, sinh) {
                (true, _) => (c, s),
                (false, false) => (c, -s),
                (false, true) => (-c, s),
            }
        } else {
            special(if sinh { &SINH } else { &COSH }, z)
        };
        let dom = z.1.is_infinite() && !z.0.is_nan();
        return (r, if dom { Err::Dom } else { Err::Ok });
    }
    let (ch, sh): (fn(f64) -> f64, fn(f64) -> f64) = if sinh { (f64::sinh, f64::cosh) } else { (f64::cosh, f64::sinh) };
    let r = if z.0.abs() > LARGE.ln() {
        let x1 = z.0 - 1f64.copysign(z.0);
        let e = std::f64::consts::E;
        (z.1.cos() * ch(x1) * e, z.1.sin() * sh(x1) * e)
    } else {
        (z.1.cos() * ch(z.0), z.1.sin() * sh(z.0))
    };
    (r, overflow(r))
}

fn c_cosh(z: C) -> (C, Err) {
    c_cosh_sinh(z, false)
}
fn c_sinh(z: C) -> (C, Err) {
    c_cosh_sinh(z, true)
}

fn c_tanh(z: C) -> (C, Err) {
    if !finite(z) {
        let r = if z.0.is_infinite() && z.1.is_finite() && z.1 != 0.0 {
            (1f64.copysign(z.0), 0f64.copysign(2.0 * z.1.sin() * z.1.cos()))
        } else {
            special(&TANH, z)
        };
        let dom = z.1.is_infinite() && z.0.is_finite();
        return (r, if dom { Err::Dom } else { Err::Ok });
    }
    let r = if z.0.abs() > LARGE.ln() {
        (1f64.copysign(z.0), 4.0 * z.1.sin() * z.1.cos() * (-2.0 * z.0.abs()).exp())
    } else {
        let (tx, ty, cx) = (z.0.tanh(), z.1.tan(), 1.0 / z.0.cosh());
        let txty = tx * ty;
        let denom = 1.0 + txty * txty;
        (tx * (1.0 + ty * ty) / denom, ((ty / denom) * cx) * cx)
    };
    (r, Err::Ok)
}

/// cos(z) = cosh(iz).
fn c_cos(z: C) -> (C, Err) {
    c_cosh((-z.1, z.0))
}
/// sin(z) = -i sinh(iz).
fn c_sin(z: C) -> (C, Err) {
    let (s, e) = c_sinh((-z.1, z.0));
    ((s.1, -s.0), e)
}
/// tan(z) = -i tanh(iz).
fn c_tan(z: C) -> (C, Err) {
    let (s, e) = c_tanh((-z.1, z.0));
    ((s.1, -s.0), e)
}

/// `abs()` of a complex: infinities win over NaNs.
fn c_abs(z: C) -> (f64, Err) {
    if !finite(z) {
        if z.0.is_infinite() {
            return (z.0.abs(), Err::Ok);
        }
        if z.1.is_infinite() {
            return (z.1.abs(), Err::Ok);
        }
        return (N, Err::Ok);
    }
    let r = z.0.hypot(z.1);
    (r, if r.is_finite() { Err::Ok } else { Err::Range })
}

/// Complex division as CPython's `_Py_c_quot`; division by zero is a domain error.
fn c_quot(a: C, b: C) -> (C, Err) {
    let (abr, abi) = (b.0.abs(), b.1.abs());
    if abr >= abi {
        if abr == 0.0 {
            return ((0.0, 0.0), Err::Dom);
        }
        let ratio = b.1 / b.0;
        let denom = b.0 + b.1 * ratio;
        (((a.0 + a.1 * ratio) / denom, (a.1 - a.0 * ratio) / denom), Err::Ok)
    } else if abi >= abr {
        let ratio = b.0 / b.1;
        let denom = b.0 * ratio + b.1;
        (((a.0 * ratio + a.1) / denom, (a.1 * ratio - a.0) / denom), Err::Ok)
    } else {
        ((N, N), Err::Ok)
    }
}

fn check(vm: &Vm, e: Err) -> PyResult<()> {
    match e {
        Err::Ok => Ok(()),
        Err::Dom => Err(vm.new_value_error("math domain error")),
        Err::Range => Err(vm.new_overflow_error("math range error")),
    }
}

/// `PyComplex_AsCComplex`: complex, `__complex__`, then any real number.
fn arg_c(vm: &Vm, v: &Value) -> PyResult<C> {
    if let Some(c) = complex_of(v) {
        return Ok(c);
    }
    if let Some(r) = vm.call_special(v, Slot::Complex, &[])? {
        return complex_of(&r).ok_or_else(|| {
            vm.new_type_error(format!("__complex__ returned non-complex (type {})", vm.type_name_of(&r)))
        });
    }
    Ok((arg_f64(vm, v)?, 0.0))
}

fn one_arg<'a>(vm: &Vm, name: &str, args: &Args<'a>) -> PyResult<&'a Value> {
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("cmath.{name}() takes no keyword arguments")));
    }
    match args.args {
        [v] => Ok(v),
        a => Err(vm.new_type_error(format!("cmath.{name}() takes exactly one argument ({} given)", a.len()))),
    }
}

fn unary(vm: &Vm, args: Args, name: &str, f: fn(C) -> (C, Err)) -> PyResult {
    let z = arg_c(vm, one_arg(vm, name, &args)?)?;
    let (r, e) = f(z);
    check(vm, e)?;
    Ok(vm.new_complex(r.0, r.1))
}

macro_rules! unary_funcs {
    ($($fname:ident, $name:literal, $f:expr;)*) => {
        $(fn $fname(vm: &Vm, args: Args) -> PyResult { unary(vm, args, $name, $f) })*
        static UNARY: &[NativeDef] = &[$(NativeDef::function($name, $fname),)*];
    };
}

unary_funcs! {
    cm_sqrt, "sqrt", c_sqrt;
    cm_exp, "exp", c_exp;
    cm_log10, "log10", c_log10;
    cm_acos, "acos", c_acos;
    cm_acosh, "acosh", c_acosh;
    cm_asin, "asin", c_asin;
    cm_asinh, "asinh", c_asinh;
    cm_atan, "atan", c_atan;
    cm_atanh, "atanh", c_atanh;
    cm_cos, "cos", c_cos;
    cm_cosh, "cosh", c_cosh;
    cm_sin, "sin", c_sin;
    cm_sinh, "sinh", c_sinh;
    cm_tan, "tan", c_tan;
    cm_tanh, "tanh", c_tanh;
}

/// `log(z[, base])`: errno is that of the last `c_log` or of the division.
fn cm_log(vm: &Vm, args: Args) -> PyResult {
    if args.has_kwargs() {
        return Err(vm.new_type_error("cmath.log() takes no keyword arguments"));
    }
    let a = crate::native::unpack(vm, "log", &args, 1, 2)?;
    let x = arg_c(vm, &a[0])?;
    let (mut r, mut e) = c_log(x);
    if let Some(b) = a.get(1) {
        let (lb, eb) = c_log(arg_c(vm, b)?);
        let (q, eq) = c_quot(r, lb);
        r = q;
        e = if eq == Err::Ok { eb } else { eq };
    }
    check(vm, e)?;
    Ok(vm.new_complex(r.0, r.1))
}

/// `atan2` with C99's answers for infinities spelled out (as CPython's `c_atan2`).
fn c_atan2(z: C) -> f64 {
    if z.0.is_nan() || z.1.is_nan() {
        return N;
    }
    if z.1.is_infinite() {
        if z.0.is_infinite() {
            return if z.0 > 0.0 { P14.copysign(z.1) } else { P34.copysign(z.1) };
        }
        return P12.copysign(z.1);
    }
    if z.0.is_infinite() || z.1 == 0.0 {
        return if z.0.is_sign_positive() { 0f64.copysign(z.1) } else { PI.copysign(z.1) };
    }
    z.1.atan2(z.0)
}

fn cm_phase(vm: &Vm, args: Args) -> PyResult {
    let z = arg_c(vm, one_arg(vm, "phase", &args)?)?;
    let phi = c_atan2(z);
    // glibc's atan2 reports an underflow to zero as ERANGE, which CPython
    // turns into OverflowError here.
    if phi == 0.0 && z.1 != 0.0 && z.0.is_finite() {
        return Err(vm.new_overflow_error("math range error"));
    }
    Ok(Value::Float(phi))
}

fn cm_polar(vm: &Vm, args: Args) -> PyResult {
    let z = arg_c(vm, one_arg(vm, "polar", &args)?)?;
    let phi = c_atan2(z);
    let (r, e) = c_abs(z);
    check(vm, e)?;
    Ok(vm.new_tuple(vec![Value::Float(r), Value::Float(phi)]))
}

fn cm_rect(vm: &Vm, args: Args) -> PyResult {
    if args.has_kwargs() {
        return Err(vm.new_type_error("cmath.rect() takes no keyword arguments"));
    }
    let a = crate::native::unpack(vm, "rect", &args, 2, 2)?;
    let (r, phi) = (arg_f64(vm, &a[0])?, arg_f64(vm, &a[1])?);
    let (z, e) = if !r.is_finite() || !phi.is_finite() {
        let z = if r.is_infinite() && phi.is_finite() && phi != 0.0 {
            let (c, s) = (I.copysign(phi.cos()), I.copysign(phi.sin()));
            if r > 0.0 { (c, s) } else { (-c, -s) }
        } else {
            RECT[class(r)][class(phi)]
        };
        let dom = r != 0.0 && !r.is_nan() && phi.is_infinite();
        (z, if dom { Err::Dom } else { Err::Ok })
    } else if phi == 0.0 {
        ((r, r * phi), Err::Ok)
    } else {
        ((r * phi.cos(), r * phi.sin()), Err::Ok)
    };
    check(vm, e)?;
    Ok(vm.new_complex(z.0, z.1))
}

fn cm_isfinite(vm: &Vm, args: Args) -> PyResult {
    let z = arg_c(vm, one_arg(vm, "isfinite", &args)?)?;
    Ok(Value::Bool(finite(z)))
}
fn cm_isinf(vm: &Vm, args: Args) -> PyResult {
    let z = arg_c(vm, one_arg(vm, "isinf", &args)?)?;
    Ok(Value::Bool(z.0.is_infinite() || z.1.is_infinite()))
}
fn cm_isnan(vm: &Vm, args: Args) -> PyResult {
    let z = arg_c(vm, one_arg(vm, "isnan", &args)?)?;
    Ok(Value::Bool(z.0.is_nan() || z.1.is_nan()))
}

fn cm_isclose(vm: &Vm, args: Args) -> PyResult {
    let npos = args.positional().len();
    if npos > 2 {
        return Err(vm.new_type_error(format!("isclose() takes exactly 2 positional arguments ({npos} given)")));
    }
    let a = vm.bind_native("isclose", args, &["a", "b", "rel_tol", "abs_tol"], 0, 2, Some(2))?;
    let x = arg_c(vm, a[0].as_ref().unwrap_or(&Value::None))?;
    let y = arg_c(vm, a[1].as_ref().unwrap_or(&Value::None))?;
    let rel = match &a[2] {
        Some(v) => arg_f64(vm, v)?,
        None => 1e-9,
    };
    let abs = match &a[3] {
        Some(v) => arg_f64(vm, v)?,
        None => 0.0,
    };
    if rel < 0.0 || abs < 0.0 {
        return Err(vm.new_value_error("tolerances must be non-negative"));
    }
    if x == y {
        return Ok(Value::Bool(true));
    }
    if [x.0, x.1, y.0, y.1].iter().any(|v| v.is_infinite()) {
        return Ok(Value::Bool(false));
    }
    let diff = c_abs((x.0 - y.0, x.1 - y.1)).0;
    let close = diff <= rel * c_abs(y).0 || diff <= rel * c_abs(x).0 || diff <= abs;
    Ok(Value::Bool(close))
}

static OTHER: &[NativeDef] = &[
    NativeDef::function("log", cm_log),
    NativeDef::function("phase", cm_phase),
    NativeDef::function("polar", cm_polar),
    NativeDef::function("rect", cm_rect),
    NativeDef::function("isfinite", cm_isfinite),
    NativeDef::function("isinf", cm_isinf),
    NativeDef::function("isnan", cm_isnan),
    NativeDef::function("isclose", cm_isclose),
];

/// Creates the `cmath` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let m = crate::native::make_module(
        vm,
        "cmath",
        "This module provides access to mathematical functions for complex\nnumbers.",
        UNARY,
        vec![
            ("pi", Value::Float(PI)),
            ("e", Value::Float(std::f64::consts::E)),
            ("tau", Value::Float(std::f64::consts::TAU)),
            ("inf", Value::Float(I)),
            ("infj", vm.new_complex(0.0, I)),
            ("nan", Value::Float(N)),
            ("nanj", vm.new_complex(0.0, N)),
        ],
    );
    let dict = &m.payload.as_module().expect("a module").dict;
    for def in OTHER {
        vm.dict_set_str(dict, &vm.intern(def.name), vm.new_native_function(def, None));
    }
    Ok(m)
}

// Results for non-finite arguments: rows are the real part's class, columns
// the imaginary part's (-inf, <0, -0, +0, >0, +inf, nan); finite-finite
// cells are never used.
static ACOS: Table = [
    [(P34, I), (PI, I), (PI, I), (PI, -I), (PI, -I), (P34, -I), (N, I)],
    [(P12, I), (N, N), (N, N), (N, N), (N, N), (P12, -I), (N, N)],
    [(P12, I), (N, N), (N, N), (N, N), (N, N), (P12, -I), (P12, N)],
    [(P12, I), (N, N), (N, N), (N, N), (N, N), (P12, -I), (P12, N)],
    [(P12, I), (N, N), (N, N), (N, N), (N, N), (P12, -I), (N, N)],
    [(P14, I), (0.0, I), (0.0, I), (0.0, -I), (0.0, -I), (P14, -I), (N, I)],
    [(N, I), (N, N), (N, N), (N, N), (N, N), (N, -I), (N, N)],
];
static ACOSH: Table = [
    [(I, -P34), (I, -PI), (I, -PI), (I, PI), (I, PI), (I, P34), (I, N)],
    [(I, -P12), (N, N), (N, N), (N, N), (N, N), (I, P12), (N, N)],
    [(I, -P12), (N, N), (N, N), (N, N), (N, N), (I, P12), (N, N)],
    [(I, -P12), (N, N), (N, N), (N, N), (N, N), (I, P12), (N, N)],
    [(I, -P12), (N, N), (N, N), (N, N), (N, N), (I, P12), (N, N)],
    [(I, -P14), (I, -0.0), (I, -0.0), (I, 0.0), (I, 0.0), (I, P14), (I, N)],
    [(I, N), (N, N), (N, N), (N, N), (N, N), (I, N), (N, N)],
];
static ASINH: Table = [
    [(-I, -P14), (-I, -0.0), (-I, -0.0), (-I, 0.0), (-I, 0.0), (-I, P14), (-I, N)],
    [(-I, -P12), (N, N), (N, N), (N, N), (N, N), (-I, P12), (N, N)],
    [(-I, -P12), (N, N), (N, N), (N, N), (N, N), (-I, P12), (N, N)],
    [(I, -P12), (N, N), (N, N), (N, N), (N, N), (I, P12), (N, N)],
    [(I, -P12), (N, N), (N, N), (N, N), (N, N), (I, P12), (N, N)],
    [(I, -P14), (I, -0.0), (I, -0.0), (I, 0.0), (I, 0.0), (I, P14), (I, N)],
    [(I, N), (N, N), (N, -0.0), (N, 0.0), (N, N), (I, N), (N, N)],
];
static ATANH: Table = [
    [(-0.0, -P12), (-0.0, -P12), (-0.0, -P12), (-0.0, P12), (-0.0, P12), (-0.0, P12), (-0.0, N)],
    [(-0.0, -P12), (N, N), (N, N), (N, N), (N, N), (-0.0, P12), (N, N)],
    [(-0.0, -P12), (N, N), (N, N), (N, N), (N, N), (-0.0, P12), (-0.0, N)],
    [(0.0, -P12), (N, N), (N, N), (N, N), (N, N), (0.0, P12), (0.0, N)],
    [(0.0, -P12), (N, N), (N, N), (N, N), (N, N), (0.0, P12), (N, N)],
    [(0.0, -P12), (0.0, -P12), (0.0, -P12), (0.0, P12), (0.0, P12), (0.0, P12), (0.0, N)],
    [(0.0, -P12), (N, N), (N, N), (N, N), (N, N), (0.0, P12), (N, N)],
];
static COSH: Table = [
    [(N, N), (I, I), (I, 0.0), (I, -0.0), (I, -I), (N, N), (I, N)],
    [(N, N), (N, N), (N, N), (N, N), (N, N), (N, N), (N, N)],
    [(N, N), (N, N), (N, N), (N, N), (N, N), (N, N), (N, 0.0)],
    [(N, N), (N, N), (N, N), (N, N), (N, N), (N, N), (N, 0.0)],
    [(N, N), (N, N), (N, N), (N, N), (N, N), (N, N), (N, N)],
    [(N, N), (I, -I), (I, -0.0), (I, 0.0), (I, I), (N, N), (I, N)],
    [(N, N), (N, N), (N, 0.0), (N, 0.0), (N, N), (N, N), (N, N)],
];
static EXP: Table = [
    [(0.0, 0.0), (0.0, -0.0), (0.0, -0.0), (0.0, 0.0), (0.0, 0.0), (0.0, 0.0), (0.0, 0.0)],
    [(N, N), (N, N), (N, N), (N, N), (N, N), (N, N), (N, N)],
    [(N, N), (N, N), (N, N), (N, N), (N, N), (N, N), (N, N)],
    [(N, N), (N, N), (N, N), (N, N), (N, N), (N, N), (N, N)],
    [(N, N), (N, N), (N, N), (N, N), (N, N), (N, N), (N, N)],
    [(N, N), (I, -I), (I, -0.0), (I, 0.0), (I, I), (N, N), (I, N)],
    [(N, N), (N, N), (N, -0.0), (N, 0.0), (N, N), (N, N), (N, N)],
];
static LOG: Table = [
    [(I, -P34), (I, -PI), (I, -PI), (I, PI), (I, PI), (I, P34), (I, N)],
    [(I, -P12), (N, N), (N, N), (N, N), (N, N), (I, P12), (N, N)],
    [(I, -P12), (N, N), (N, N), (N, N), (N, N), (I, P12), (N, N)],
    [(I, -P12), (N, N), (N, N), (N, N), (N, N), (I, P12), (N, N)],
    [(I, -P12), (N, N), (N, N), (N, N), (N, N), (I, P12), (N, N)],
    [(I, -P14), (I, -0.0), (I, -0.0), (I, 0.0), (I, 0.0), (I, P14), (I, N)],
    [(I, N), (N, N), (N, N), (N, N), (N, N), (I, N), (N, N)],
];
static SINH: Table = [
    [(N, N), (-I, -I), (-I, -0.0), (-I, 0.0), (-I, I), (N, N), (I, N)],
    [(N, N), (N, N), (N, N), (N, N), (N, N), (N, N), (N, N)],
    [(N, N), (N, N), (N, N), (N, N), (N, N), (N, N), (0.0, N)],
    [(N, N), (N, N), (N, N), (N, N), (N, N), (N, N), (0.0, N)],
    [(N, N), (N, N), (N, N), (N, N), (N, N), (N, N), (N, N)],
    [(N, N), (I, -I), (I, -0.0), (I, 0.0), (I, I), (N, N), (I, N)],
    [(N, N), (N, N), (N, -0.0), (N, 0.0), (N, N), (N, N), (N, N)],
];
static SQRT: Table = [
    [(I, -I), (0.0, -I), (0.0, -I), (0.0, I), (0.0, I), (I, I), (N, I)],
    [(I, -I), (N, N), (N, N), (N, N), (N, N), (I, I), (N, N)],
    [(I, -I), (N, N), (N, N), (N, N), (N, N), (I, I), (N, N)],
    [(I, -I), (N, N), (N, N), (N, N), (N, N), (I, I), (N, N)],
    [(I, -I), (N, N), (N, N), (N, N), (N, N), (I, I), (N, N)],
    [(I, -I), (I, -0.0), (I, -0.0), (I, 0.0), (I, 0.0), (I, I), (I, N)],
    [(I, -I), (N, N), (N, N), (N, N), (N, N), (I, I), (N, N)],
];
static TANH: Table = [
    [(-1.0, 0.0), (-1.0, -0.0), (-1.0, -0.0), (-1.0, 0.0), (-1.0, 0.0), (-1.0, 0.0), (-1.0, 0.0)],
    [(N, N), (N, N), (N, N), (N, N), (N, N), (N, N), (N, N)],
    [(N, N), (N, N), (N, N), (N, N), (N, N), (N, N), (N, N)],
    [(N, N), (N, N), (N, N), (N, N), (N, N), (N, N), (N, N)],
    [(N, N), (N, N), (N, N), (N, N), (N, N), (N, N), (N, N)],
    [(1.0, 0.0), (1.0, -0.0), (1.0, -0.0), (1.0, 0.0), (1.0, 0.0), (1.0, 0.0), (1.0, 0.0)],
    [(N, N), (N, N), (N, -0.0), (N, 0.0), (N, N), (N, N), (N, N)],
];
static RECT: Table = [
    [(N, N), (-I, I), (-I, 0.0), (-I, -0.0), (-I, -I), (N, N), (I, N)],
    [(N, N), (N, N), (N, N), (N, N), (N, N), (N, N), (N, N)],
    [(0.0, 0.0), (N, N), (N, N), (N, N), (N, N), (0.0, 0.0), (0.0, 0.0)],
    [(0.0, 0.0), (N, N), (N, N), (N, N), (N, N), (0.0, 0.0), (0.0, 0.0)],
    [(N, N), (N, N), (N, N), (N, N), (N, N), (N, N), (N, N)],
    [(N, N), (I, -I), (I, -0.0), (I, 0.0), (I, I), (N, N), (I, N)],
    [(N, N), (N, N), (N, 0.0), (N, 0.0), (N, N), (N, N), (N, N)],
];
