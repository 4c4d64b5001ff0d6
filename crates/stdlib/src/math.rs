//! The `math` module of CPython 3.11: the libm wrappers with CPython's error
//! rules (a NaN from a non-NaN argument is "math domain error", an infinity
//! from a finite argument is "math range error" for functions that can
//! overflow), the integer functions on big ints (factorial, gcd, lcm, isqrt,
//! comb, perm), `log` of ints too large for a float, exact `fsum`, and the
//! `__trunc__`/`__floor__`/`__ceil__` dispatch.

use crate::math_special as sp;
use dashu_int::ops::{BitTest, SquareRoot, UnsignedAbs};
use dashu_int::{IBig, UBig};
use krait_vm::payload::{ModuleData, Payload};
use krait_vm::types::int::{int_of, int_to_f64, small_int, MAX_INT_BITS};
use krait_vm::types::float::float_of;
use krait_vm::types::typeobj::Slot;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};

fn domain(vm: &Vm) -> krait_vm::PyErr {
    vm.new_value_error("math domain error")
}
fn range(vm: &Vm) -> krait_vm::PyErr {
    vm.new_overflow_error("math range error")
}

/// A float argument (`PyFloat_AsDouble`): floats, ints, `__float__`, `__index__`.
pub fn arg_f64(vm: &Vm, v: &Value) -> PyResult<f64> {
    if let Some(f) = float_of(v) {
        return Ok(f);
    }
    if let Some(f) = int_to_f64(vm, v)? {
        return Ok(f);
    }
    if let Some(r) = vm.call_special(v, Slot::Float, &[])? {
        return float_of(&r).ok_or_else(|| {
            vm.new_type_error(format!(
                "{}.__float__ returned non-float (type {})",
                vm.type_name_of(v),
                vm.type_name_of(&r)
            ))
        });
    }
    if vm.special(v, Slot::Index).is_some() {
        let i = vm.index(v)?;
        return Ok(int_to_f64(vm, &i)?.unwrap_or(0.0));
    }
    Err(vm.new_type_error(format!("must be real number, not {}", vm.type_name_of(v))))
}

/// An int argument via `__index__`.
fn arg_int(vm: &Vm, v: &Value) -> PyResult<IBig> {
    Ok(int_of(&vm.index(v)?).unwrap_or_default())
}

fn exactly(vm: &Vm, name: &str, args: &Args, n: usize) -> PyResult<()> {
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("{name}() takes no keyword arguments")));
    }
    if args.args.len() != n {
        let got = args.args.len();
        return Err(vm.new_type_error(if n == 1 {
            format!("{name}() takes exactly one argument ({got} given)")
        } else {
            format!("{name} expected {n} arguments, got {got}")
        }));
    }
    Ok(())
}

/// CPython's `math_1`: applies `f` and classifies a bad result.
fn math_1(vm: &Vm, args: Args, name: &str, f: fn(f64) -> f64, can_overflow: bool) -> PyResult {
    exactly(vm, name, &args, 1)?;
    let x = arg_f64(vm, &args.args[0])?;
    let r = f(x);
    if r.is_nan() && !x.is_nan() {
        return Err(domain(vm));
    }
    if r.is_infinite() && x.is_finite() {
        return Err(if can_overflow { range(vm) } else { domain(vm) });
    }
    Ok(Value::Float(r))
}

macro_rules! unary_funcs {
    ($($fname:ident, $name:literal, $f:expr, $ov:expr;)*) => {
        $(fn $fname(vm: &Vm, args: Args) -> PyResult { math_1(vm, args, $name, $f, $ov) })*
        static UNARY: &[NativeDef] = &[$(NativeDef::function($name, $fname),)*];
    };
}

unary_funcs! {
    m_acos, "acos", f64::acos, false;
    m_acosh, "acosh", sp::acosh, false;
    m_asin, "asin", f64::asin, false;
    m_asinh, "asinh", sp::asinh, false;
    m_atan, "atan", f64::atan, false;
    m_atanh, "atanh", sp::atanh, false;
    m_cbrt, "cbrt", f64::cbrt, false;
    m_cos, "cos", f64::cos, false;
    m_cosh, "cosh", f64::cosh, true;
    m_exp, "exp", f64::exp, true;
    m_exp2, "exp2", f64::exp2, true;
    m_expm1, "expm1", f64::exp_m1, true;
    m_fabs, "fabs", f64::abs, false;
    m_log1p, "log1p", f64::ln_1p, false;
    m_sin, "sin", f64::sin, false;
    m_sinh, "sinh", f64::sinh, true;
    m_sqrt, "sqrt", f64::sqrt, false;
    m_tan, "tan", f64::tan, false;
    m_tanh, "tanh", f64::tanh, false;
    m_erf, "erf", sp::erf, false;
    m_erfc, "erfc", sp::erfc, false;
    m_degrees, "degrees", f64::to_degrees, true;
    m_radians, "radians", f64::to_radians, false;
}

fn m_gamma(vm: &Vm, args: Args) -> PyResult {
    exactly(vm, "gamma", &args, 1)?;
    match sp::gamma(arg_f64(vm, &args.args[0])?) {
        Ok(r) => Ok(Value::Float(r)),
        Err(true) => Err(domain(vm)),
        Err(false) => Err(range(vm)),
    }
}
fn m_lgamma(vm: &Vm, args: Args) -> PyResult {
    exactly(vm, "lgamma", &args, 1)?;
    match sp::lgamma(arg_f64(vm, &args.args[0])?) {
        Ok(r) => Ok(Value::Float(r)),
        Err(true) => Err(domain(vm)),
        Err(false) => Err(range(vm)),
    }
}

fn bool_1(vm: &Vm, args: Args, name: &str, f: fn(f64) -> bool) -> PyResult {
    exactly(vm, name, &args, 1)?;
    Ok(Value::Bool(f(arg_f64(vm, &args.args[0])?)))
}
fn m_isfinite(vm: &Vm, args: Args) -> PyResult {
    bool_1(vm, args, "isfinite", f64::is_finite)
}
fn m_isinf(vm: &Vm, args: Args) -> PyResult {
    bool_1(vm, args, "isinf", f64::is_infinite)
}
fn m_isnan(vm: &Vm, args: Args) -> PyResult {
    bool_1(vm, args, "isnan", f64::is_nan)
}

/// Two-float functions.
fn two(vm: &Vm, args: &Args, name: &str) -> PyResult<(f64, f64)> {
    exactly(vm, name, args, 2)?;
    Ok((arg_f64(vm, &args.args[0])?, arg_f64(vm, &args.args[1])?))
}
fn m_atan2(vm: &Vm, args: Args) -> PyResult {
    let (y, x) = two(vm, &args, "atan2")?;
    Ok(Value::Float(y.atan2(x)))
}
fn m_copysign(vm: &Vm, args: Args) -> PyResult {
    let (x, y) = two(vm, &args, "copysign")?;
    Ok(Value::Float(x.copysign(y)))
}
fn m_fmod(vm: &Vm, args: Args) -> PyResult {
    let (x, y) = two(vm, &args, "fmod")?;
    if y.is_infinite() && x.is_finite() {
        return Ok(Value::Float(x));
    }
    let r = x % y;
    if r.is_nan() && !x.is_nan() && !y.is_nan() {
        return Err(domain(vm));
    }
    Ok(Value::Float(r))
}
fn m_remainder(vm: &Vm, args: Args) -> PyResult {
    let (x, y) = two(vm, &args, "remainder")?;
    sp::remainder(x, y).map(Value::Float).ok_or_else(|| domain(vm))
}
fn m_nextafter(vm: &Vm, args: Args) -> PyResult {
    let (x, y) = two(vm, &args, "nextafter")?;
    Ok(Value::Float(nextafter(x, y)))
}

fn nextafter(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        return x + y;
    }
    if x == y {
        return y;
    }
    if x == 0.0 {
        return f64::from_bits(1).copysign(y);
    }
    let bits = x.to_bits();
    let up = (y > x) == (x > 0.0);
    f64::from_bits(if up { bits + 1 } else { bits - 1 })
}

fn m_ulp(vm: &Vm, args: Args) -> PyResult {
    exactly(vm, "ulp", &args, 1)?;
    let x = arg_f64(vm, &args.args[0])?.abs();
    if x.is_nan() || x.is_infinite() {
        return Ok(Value::Float(x));
    }
    let next = nextafter(x, f64::INFINITY);
    if next.is_infinite() {
        let prev = nextafter(x, 0.0);
        return Ok(Value::Float(x - prev));
    }
    Ok(Value::Float(next - x))
}

fn m_pow(vm: &Vm, args: Args) -> PyResult {
    let (x, y) = two(vm, &args, "pow")?;
    // C99 pow special cases that Rust's powf shares; then CPython's checks.
    let r = if x == 1.0 || y == 0.0 { 1.0 } else { x.powf(y) };
    if r.is_nan() && !x.is_nan() && !y.is_nan() {
        return Err(domain(vm));
    }
    if r.is_infinite() && x.is_finite() && y.is_finite() {
        return Err(if x == 0.0 { domain(vm) } else { range(vm) });
    }
    Ok(Value::Float(r))
}

fn m_frexp(vm: &Vm, args: Args) -> PyResult {
    exactly(vm, "frexp", &args, 1)?;
    let x = arg_f64(vm, &args.args[0])?;
    let (m, e) = frexp(x);
    Ok(vm.new_tuple(vec![Value::Float(m), Value::Int(e as i64)]))
}

pub fn frexp(x: f64) -> (f64, i32) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        let (m, e) = frexp(x * 18014398509481984.0); // 2**54
        return (m, e - 54);
    }
    let m = f64::from_bits((bits & !(0x7ffu64 << 52)) | (1022u64 << 52));
    (m, exp - 1022)
}

fn ldexp(x: f64, e: i64) -> f64 {
    // Scale in steps so intermediate powers of two stay representable.
    let e = e.clamp(-2200, 2200) as i32;
    let mut r = x;
    let mut e = e;
    while e > 1000 {
        r *= 2f64.powi(1000);
        e -= 1000;
    }
    while e < -1000 {
        r *= 2f64.powi(-1000);
        e += 1000;
    }
    // The last step may be subnormal: split to round once.
    if e < -1022 {
        r *= 2f64.powi(e + 1022);
        r * 2f64.powi(-1022)
    } else {
        r * 2f64.powi(e)
    }
}

fn m_ldexp(vm: &Vm, args: Args) -> PyResult {
    exactly(vm, "ldexp", &args, 2)?;
    let x = arg_f64(vm, &args.args[0])?;
    let i = match int_of(&args.args[1]) {
        Some(i) => i,
        None => return Err(vm.new_type_error("Expected an int as second argument to ldexp.")),
    };
    let e = i64::try_from(&i).unwrap_or(if i > IBig::ZERO { i64::MAX } else { i64::MIN });
    if x == 0.0 || !x.is_finite() {
        return Ok(Value::Float(x));
    }
    let r = ldexp(x, e);
    if r.is_infinite() {
        return Err(range(vm));
    }
    Ok(Value::Float(r))
}

fn m_modf(vm: &Vm, args: Args) -> PyResult {
    exactly(vm, "modf", &args, 1)?;
    let x = arg_f64(vm, &args.args[0])?;
    let (f, i) = if x.is_infinite() { (0.0f64.copysign(x), x) } else { (x.fract(), x.trunc()) };
    Ok(vm.new_tuple(vec![Value::Float(f), Value::Float(i)]))
}

// ---------------------------------------------------------------------------
// Rounding via dunders
// ---------------------------------------------------------------------------

fn m_trunc(vm: &Vm, args: Args) -> PyResult {
    exactly(vm, "trunc", &args, 1)?;
    let x = &args.args[0];
    match vm.call_special(x, Slot::Trunc, &[])? {
        Some(r) => Ok(r),
        None => Err(vm.new_type_error(format!("type {} doesn't define __trunc__ method", vm.type_name_of(x)))),
    }
}

fn round_dunder(vm: &Vm, args: Args, name: &str, slot: Slot, f: fn(f64) -> f64) -> PyResult {
    exactly(vm, name, &args, 1)?;
    let x = &args.args[0];
    if let Value::Float(v) = x {
        return float_to_int(vm, f(*v));
    }
    if let Some(i) = small_int(x) {
        return Ok(Value::Int(i));
    }
    if let Some(r) = vm.call_special(x, slot, &[])? {
        return Ok(r);
    }
    float_to_int(vm, f(arg_f64(vm, x)?))
}

fn float_to_int(vm: &Vm, f: f64) -> PyResult {
    match krait_text::format::float_to_ibig(f) {
        Ok(i) => Ok(vm.new_int(i)),
        Err(e) => Err(krait_vm::types::int::fmt_err(vm, e)),
    }
}

fn m_floor(vm: &Vm, args: Args) -> PyResult {
    round_dunder(vm, args, "floor", Slot::Floor, f64::floor)
}
fn m_ceil(vm: &Vm, args: Args) -> PyResult {
    round_dunder(vm, args, "ceil", Slot::Ceil, f64::ceil)
}

// ---------------------------------------------------------------------------
// Logarithms (ints of any size)
// ---------------------------------------------------------------------------

/// `f(x)` where x may be an int too large for a float: log(m * 2**e) =
/// log(m) + e*log(2).
fn log_helper(vm: &Vm, x: &Value, f: fn(f64) -> f64) -> PyResult<f64> {
    if let Some(i) = int_of(x) {
        if i <= IBig::ZERO {
            return Err(domain(vm));
        }
        if let Ok(v) = krait_text::format::ibig_to_f64(&i) {
            return Ok(f(v));
        }
        // Keep the top 64 bits: plenty for a double's precision.
        let bits = (&i).unsigned_abs().bit_len();
        let shift = bits - 64;
        let top: IBig = &i >> shift;
        // As CPython: x = m * 2**e with 0.5 <= m < 1, then f(m) + e*f(2).
        let m = krait_text::format::ibig_to_f64(&top).unwrap_or(1.0) / 18446744073709551616.0;
        return Ok(f(m) + (shift + 64) as f64 * f(2.0));
    }
    let v = arg_f64(vm, x)?;
    if v.is_nan() {
        return Ok(v);
    }
    if v <= 0.0 {
        return Err(domain(vm));
    }
    Ok(f(v))
}

fn m_log(vm: &Vm, args: Args) -> PyResult {
    if args.has_kwargs() {
        return Err(vm.new_type_error("log() takes no keyword arguments"));
    }
    match args.args {
        [x] => Ok(Value::Float(log_helper(vm, x, f64::ln)?)),
        [x, b] => {
            let num = log_helper(vm, x, f64::ln)?;
            let den = log_helper(vm, b, f64::ln)?;
            if den == 0.0 {
                return Err(vm.new_zero_division_error("float division by zero"));
            }
            Ok(Value::Float(num / den))
        }
        _ => Err(vm.new_type_error(format!(
            "log expected {} argument{}, got {}",
            if args.args.is_empty() { "at least 1" } else { "at most 2" },
            if args.args.is_empty() { "" } else { "s" },
            args.args.len()
        ))),
    }
}
fn m_log2(vm: &Vm, args: Args) -> PyResult {
    exactly(vm, "log2", &args, 1)?;
    Ok(Value::Float(log_helper(vm, &args.args[0], f64::log2)?))
}
fn m_log10(vm: &Vm, args: Args) -> PyResult {
    exactly(vm, "log10", &args, 1)?;
    Ok(Value::Float(log_helper(vm, &args.args[0], f64::log10)?))
}

// ---------------------------------------------------------------------------
// Integer functions
// ---------------------------------------------------------------------------

/// Product of the integers in lo..hi by binary splitting (balanced operand
/// sizes make big multiplications fast).
fn range_product(lo: u64, hi: u64) -> UBig {
    if hi <= lo {
        return UBig::ONE;
    }
    if hi - lo <= 16 {
        let mut p = UBig::ONE;
        for k in lo..hi {
            p *= UBig::from(k);
        }
        return p;
    }
    let mid = lo + (hi - lo) / 2;
    range_product(lo, mid) * range_product(mid, hi)
}

fn m_factorial(vm: &Vm, args: Args) -> PyResult {
    exactly(vm, "factorial", &args, 1)?;
    let n = arg_int(vm, &args.args[0])?;
    if n < IBig::ZERO {
        return Err(vm.new_value_error("factorial() not defined for negative values"));
    }
    let n = match u64::try_from(&n) {
        Ok(n) if n <= i64::MAX as u64 => n,
        _ => return Err(vm.new_overflow_error("factorial() argument should not exceed 9223372036854775807")),
    };
    // log2(n!) < n * log2(n).
    if (n as f64) * (n.max(2) as f64).log2() > MAX_INT_BITS as f64 {
        return Err(vm.new_memory_error());
    }
    Ok(vm.new_int(IBig::from(range_product(1, n + 1))))
}

fn m_gcd(vm: &Vm, args: Args) -> PyResult {
    if args.has_kwargs() {
        return Err(vm.new_type_error("gcd() takes no keyword arguments"));
    }
    let mut g = UBig::ZERO;
    for a in args.args {
        let v = arg_int(vm, a)?.unsigned_abs();
        g = gcd(&g, &v);
    }
    Ok(vm.new_int(IBig::from(g)))
}

fn gcd(a: &UBig, b: &UBig) -> UBig {
    use dashu_int::ops::Gcd;
    if *a == UBig::ZERO {
        return b.clone();
    }
    if *b == UBig::ZERO {
        return a.clone();
    }
    a.gcd(b)
}

fn m_lcm(vm: &Vm, args: Args) -> PyResult {
    if args.has_kwargs() {
        return Err(vm.new_type_error("lcm() takes no keyword arguments"));
    }
    let mut l = UBig::ONE;
    for a in args.args {
        let v = arg_int(vm, a)?.unsigned_abs();
        if v == UBig::ZERO || l == UBig::ZERO {
            l = UBig::ZERO;
            continue;
        }
        let g = gcd(&l, &v);
        l = &l / &g * v;
    }
    Ok(vm.new_int(IBig::from(l)))
}

fn m_isqrt(vm: &Vm, args: Args) -> PyResult {
    exactly(vm, "isqrt", &args, 1)?;
    let n = arg_int(vm, &args.args[0])?;
    if n < IBig::ZERO {
        return Err(vm.new_value_error("isqrt() argument must be nonnegative"));
    }
    Ok(vm.new_int(IBig::from(n.unsigned_abs().sqrt())))
}

/// n and k for comb/perm, validated with CPython's messages.
fn n_k(vm: &Vm, n: &Value, k: &Value) -> PyResult<(IBig, IBig)> {
    let n = arg_int(vm, n)?;
    let k = arg_int(vm, k)?;
    if n < IBig::ZERO {
        return Err(vm.new_value_error("n must be a non-negative integer"));
    }
    if k < IBig::ZERO {
        return Err(vm.new_value_error("k must be a non-negative integer"));
    }
    Ok((n, k))
}

/// n! / (n-k)!, the falling factorial, or a MemoryError if absurdly large.
fn falling(vm: &Vm, n: &IBig, k: u64) -> PyResult<IBig> {
    let nbits = n.unsigned_abs().bit_len() as f64;
    if k as f64 * nbits > MAX_INT_BITS as f64 {
        return Err(vm.new_memory_error());
    }
    if let Ok(nn) = u64::try_from(n) {
        return Ok(IBig::from(range_product(nn - k + 1, nn + 1)));
    }
    let mut p = IBig::ONE;
    for j in 0..k {
        p *= n - IBig::from(j);
    }
    Ok(p)
}

fn m_perm(vm: &Vm, args: Args) -> PyResult {
    if args.has_kwargs() {
        return Err(vm.new_type_error("perm() takes no keyword arguments"));
    }
    let (n, k) = match args.args {
        [n] => {
            let nv = arg_int(vm, n)?;
            if nv < IBig::ZERO {
                return Err(vm.new_value_error("n must be a non-negative integer"));
            }
            (nv.clone(), nv)
        }
        [n, k] if k.is_none() => {
            let nv = arg_int(vm, n)?;
            if nv < IBig::ZERO {
                return Err(vm.new_value_error("n must be a non-negative integer"));
            }
            (nv.clone(), nv)
        }
        [n, k] => n_k(vm, n, k)?,
        _ => {
            return Err(vm.new_type_error(format!(
                "perm expected at most 2 arguments, got {}",
                args.args.len()
            )))
        }
    };
    if k > n {
        return Ok(Value::Int(0));
    }
    let k = u64::try_from(&k)
        .map_err(|_| vm.new_overflow_error(format!("k must not exceed {}", i64::MAX)))?;
    Ok(vm.new_int(falling(vm, &n, k)?))
}

fn m_comb(vm: &Vm, args: Args) -> PyResult {
    exactly(vm, "comb", &args, 2)?;
    let (n, k) = n_k(vm, &args.args[0], &args.args[1])?;
    if k > n {
        return Ok(Value::Int(0));
    }
    let nk = &n - &k;
    let k = if nk < k { nk } else { k };
    let k = u64::try_from(&k)
        .map_err(|_| vm.new_overflow_error(format!("min(n - k, k) must not exceed {}", i64::MAX)))?;
    let num = falling(vm, &n, k)?;
    let den = IBig::from(range_product(1, k + 1));
    Ok(vm.new_int(num / den))
}

fn m_prod(vm: &Vm, args: Args) -> PyResult {
    let a = vm.bind_native("prod", args, &["iterable", "start"], 1, 1, Some(1))?;
    let mut acc = a[1].clone().unwrap_or(Value::Int(1));
    let it = vm.iter(a[0].as_ref().unwrap_or(&Value::None))?;
    while let Some(x) = vm.next(&it)? {
        acc = vm.binary_op(&acc, &x, krait_compiler::bytecode::BinOp::Multiply)?;
    }
    Ok(acc)
}

fn m_fsum(vm: &Vm, args: Args) -> PyResult {
    exactly(vm, "fsum", &args, 1)?;
    let items = vm.collect_iter(&args.args[0])?;
    let mut xs = Vec::with_capacity(items.len());
    for x in &items {
        xs.push(arg_f64(vm, x)?);
    }
    match sp::fsum(xs.into_iter()) {
        Ok(r) => Ok(Value::Float(r)),
        Err(sp::FsumError::Overflow) => Err(vm.new_overflow_error("intermediate overflow in fsum")),
        Err(sp::FsumError::InfMinusInf) => Err(vm.new_value_error("-inf + inf in fsum")),
    }
}

/// Euclidean norm of a vector without undue overflow or underflow, as
/// CPython computes it (nearly always correctly rounded): scale by a power of
/// two so the largest magnitude is in [0.5, 1), sum the squares exactly as
/// far as possible (each square and each running sum split into a double and
/// its rounding error), take the square root, then correct it once by the
/// residual of squaring it back.
fn vector_norm(v: &[f64]) -> f64 {
    let mut max = 0.0f64;
    let mut found_nan = false;
    for &x in v {
        if x.is_infinite() {
            return f64::INFINITY;
        }
        found_nan |= x.is_nan();
        max = max.max(x.abs());
    }
    if found_nan {
        return f64::NAN;
    }
    if max == 0.0 || v.len() <= 1 {
        return max;
    }
    let (_, e) = frexp(max);
    if e < -1023 {
        // 2**-e would overflow: bring subnormals up to normals first.
        let scaled: Vec<f64> = v.iter().map(|x| x / f64::MIN_POSITIVE).collect();
        return f64::MIN_POSITIVE * vector_norm(&scaled);
    }
    let scale = ldexp(1.0, -(e as i64));
    // The exact sum is `sum + product_errs + sum_errs`. `sum` starts at 1.0
    // so no addend (a square below 1) is larger than it, which keeps the
    // two-sum exact.
    let (mut sum, mut product_errs, mut sum_errs) = (1.0f64, 0.0f64, 0.0f64);
    let mut add_product = |a: f64, b: f64| {
        let p = a * b;
        product_errs += a.mul_add(b, -p);
        let t = sum + p;
        sum_errs += (sum - t) + p;
        sum = t;
        sum - 1.0 + (product_errs + sum_errs)
    };
    let mut total = 0.0;
    for &x in v {
        total = add_product(x * scale, x * scale);
    }
    let h = total.sqrt();
    // What is left after taking h*h away corrects h.
    let residual = add_product(-h, h);
    (h + residual / (2.0 * h)) / scale
}

fn m_hypot(vm: &Vm, args: Args) -> PyResult {
    if args.has_kwargs() {
        return Err(vm.new_type_error("hypot() takes no keyword arguments"));
    }
    let mut v = Vec::with_capacity(args.args.len());
    for a in args.args {
        v.push(arg_f64(vm, a)?);
    }
    Ok(Value::Float(vector_norm(&v)))
}

fn m_dist(vm: &Vm, args: Args) -> PyResult {
    exactly(vm, "dist", &args, 2)?;
    // Any iterable is taken (CPython turns non-tuples into tuples).
    let (p, q) = (vm.collect_iter(&args.args[0])?, vm.collect_iter(&args.args[1])?);
    if p.len() != q.len() {
        return Err(vm.new_value_error("both points must have the same number of dimensions"));
    }
    let coords = |items: &[Value]| -> PyResult<Vec<f64>> { items.iter().map(|x| arg_f64(vm, x)).collect() };
    let (p, q) = (coords(&p)?, coords(&q)?);
    let diffs: Vec<f64> = p.iter().zip(&q).map(|(a, b)| (a - b).abs()).collect();
    Ok(Value::Float(vector_norm(&diffs)))
}

fn m_isclose(vm: &Vm, args: Args) -> PyResult {
    let a = vm.bind_native("isclose", args, &["a", "b", "rel_tol", "abs_tol"], 0, 2, Some(2))?;
    let x = arg_f64(vm, a[0].as_ref().unwrap_or(&Value::None))?;
    let y = arg_f64(vm, a[1].as_ref().unwrap_or(&Value::None))?;
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
    if x.is_infinite() || y.is_infinite() {
        return Ok(Value::Bool(false));
    }
    let diff = (y - x).abs();
    Ok(Value::Bool((diff <= (rel * y).abs()) || (diff <= (rel * x).abs()) || diff <= abs))
}

static OTHER: &[NativeDef] = &[
    NativeDef::function("gamma", m_gamma),
    NativeDef::function("lgamma", m_lgamma),
    NativeDef::function("isfinite", m_isfinite),
    NativeDef::function("isinf", m_isinf),
    NativeDef::function("isnan", m_isnan),
    NativeDef::function("atan2", m_atan2),
    NativeDef::function("copysign", m_copysign),
    NativeDef::function("fmod", m_fmod),
    NativeDef::function("remainder", m_remainder),
    NativeDef::function("nextafter", m_nextafter),
    NativeDef::function("ulp", m_ulp),
    NativeDef::function("pow", m_pow),
    NativeDef::function("frexp", m_frexp),
    NativeDef::function("ldexp", m_ldexp),
    NativeDef::function("modf", m_modf),
    NativeDef::function("trunc", m_trunc),
    NativeDef::function("floor", m_floor),
    NativeDef::function("ceil", m_ceil),
    NativeDef::function("log", m_log),
    NativeDef::function("log2", m_log2),
    NativeDef::function("log10", m_log10),
    NativeDef::function("factorial", m_factorial),
    NativeDef::function("gcd", m_gcd),
    NativeDef::function("lcm", m_lcm),
    NativeDef::function("isqrt", m_isqrt),
    NativeDef::function("perm", m_perm),
    NativeDef::function("comb", m_comb),
    NativeDef::function("prod", m_prod),
    NativeDef::function("fsum", m_fsum),
    NativeDef::function("hypot", m_hypot),
    NativeDef::function("dist", m_dist),
    NativeDef::function("isclose", m_isclose),
];

/// Creates the `math` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let dict = vm.new_dict();
    let set = |name: &str, v: Value| vm.dict_set_str(&dict, &vm.intern(name), v);
    set("__name__", vm.new_str("math"));
    for def in UNARY.iter().chain(OTHER.iter()) {
        set(def.name, vm.new_native_function(def, None));
    }
    set("pi", Value::Float(std::f64::consts::PI));
    set("e", Value::Float(std::f64::consts::E));
    set("tau", Value::Float(std::f64::consts::TAU));
    set("inf", Value::Float(f64::INFINITY));
    set("nan", Value::Float(f64::NAN));
    Ok(PyRef::new(vm.types.module.clone(), Payload::Module(Box::new(ModuleData { dict }))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(vm: &Vm, m: &PyRef, name: &str, args: &[Value]) -> String {
        let d = &m.payload.as_module().unwrap().dict;
        let f = vm.dict_get_str(d, &vm.intern(name)).unwrap();
        match vm.call(&f, Args::new(args)) {
            Ok(v) => vm.repr_string(&v).unwrap(),
            Err(e) => {
                let a = e.payload.as_exception().and_then(|d| d.args.get()).and_then(|a| vm.seq_items(&a));
                let msg = a.and_then(|a| a.first().and_then(|x| vm.as_str(x).map(str::to_string))).unwrap_or_default();
                format!("{}: {}", vm.type_name(e.class()), msg)
            }
        }
    }

    #[test]
    fn math_matches_cpython() {
        let vm = Vm::new(Default::default());
        let vm = &*vm;
        let m = make_module(vm).unwrap();
        let i = Value::Int;
        let f = Value::Float;
        let big = |s: &str| vm.new_int(s.parse().unwrap());
        let p1000 = big(&format!("1{}", "0".repeat(1000)));
        let cases: Vec<(&str, Vec<Value>, &str)> = vec![
            ("sqrt", vec![vm.new_str("x")], "TypeError: must be real number, not str"),
            ("sqrt", vec![i(-1)], "ValueError: math domain error"),
            ("exp", vec![i(1000)], "OverflowError: math range error"),
            ("log", vec![i(0)], "ValueError: math domain error"),
            ("log", vec![p1000.clone()], "2302.585092994045"),
            ("log", vec![i(8), i(1)], "ZeroDivisionError: float division by zero"),
            ("factorial", vec![i(-1)], "ValueError: factorial() not defined for negative values"),
            ("factorial", vec![f(2.0)], "TypeError: 'float' object cannot be interpreted as an integer"),
            ("factorial", vec![i(25)], "15511210043330985984000000"),
            ("gcd", vec![], "0"),
            ("gcd", vec![i(12), i(18), i(-8)], "2"),
            ("lcm", vec![i(4), i(6), i(10)], "60"),
            ("isqrt", vec![i(-1)], "ValueError: isqrt() argument must be nonnegative"),
            ("comb", vec![i(5), i(7)], "0"),
            ("comb", vec![i(-1), i(2)], "ValueError: n must be a non-negative integer"),
            ("perm", vec![i(5), i(2)], "20"),
            ("fsum", vec![vm.new_list(vec![f(0.1); 10])], "1.0"),
            ("fsum", vec![vm.new_list(vec![f(1e308), f(1e308)])], "OverflowError: intermediate overflow in fsum"),
            ("hypot", vec![i(3), i(4)], "5.0"),
            ("remainder", vec![i(5), i(3)], "-1.0"),
            ("fmod", vec![f(f64::INFINITY), i(1)], "ValueError: math domain error"),
            ("frexp", vec![f(8.0)], "(0.5, 4)"),
            ("ldexp", vec![f(1.0), i(2000)], "OverflowError: math range error"),
            ("ldexp", vec![f(1.0), f(2.0)], "TypeError: Expected an int as second argument to ldexp."),
            ("modf", vec![f(-2.5)], "(-0.5, -2.0)"),
            ("floor", vec![f(-1.5)], "-2"),
            ("ceil", vec![f(1.2)], "2"),
            ("trunc", vec![vm.new_str("x")], "TypeError: type str doesn't define __trunc__ method"),
            ("gamma", vec![i(0)], "ValueError: math domain error"),
            ("gamma", vec![i(172)], "OverflowError: math range error"),
            ("pow", vec![i(0), i(-1)], "ValueError: math domain error"),
            ("pow", vec![i(10), i(400)], "OverflowError: math range error"),
            ("nextafter", vec![i(1), i(2)], "1.0000000000000002"),
            ("ulp", vec![f(1.0)], "2.220446049250313e-16"),
            ("atan2", vec![i(1), i(1)], "0.7853981633974483"),
        ];
        for (name, args, want) in cases {
            assert_eq!(call(vm, &m, name, &args), want, "math.{name}{args:?}");
        }
    }
}
