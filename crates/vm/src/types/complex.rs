//! `complex`: construction (from numbers, `__complex__`, and strings such as
//! `'1+2j'`, `'j'`, `'(1-2j)'`), repr/format/hash, arithmetic mixed with
//! ints and floats, and `**` following CPython's algorithm (exact repeated
//! squaring for integral exponents up to 100, polar form otherwise) so
//! results match bit for bit. Complex numbers have no ordering, `//`, `%`.

use crate::payload::{GetSetDef, Payload};
use crate::types::float::{cmp_int_float, float_of};
use crate::types::function::NativeDef;
use crate::types::int::{ascii_numeric, binary_args, check_new_cls, fmt_err, int_of, int_to_f64, new_subclass_instance, subclass_result_warning, unary_arg};
use crate::types::typeobj::Slot;
use crate::value::Value;
use crate::{Args, PyResult, Vm};
use krait_text::format as tfmt;

/// The value of a complex (exact or subclass instance).
pub fn complex_of(v: &Value) -> Option<(f64, f64)> {
    match v.payload()?.base() {
        Payload::Complex(c) => Some(*c),
        _ => None,
    }
}

/// An arithmetic operand as complex: complex, float, or int (converted, with
/// OverflowError for huge ints); None for other types.
fn operand(vm: &Vm, v: &Value) -> PyResult<Option<(f64, f64)>> {
    if let Some(c) = complex_of(v) {
        return Ok(Some(c));
    }
    if let Some(f) = float_of(v) {
        return Ok(Some((f, 0.0)));
    }
    Ok(int_to_f64(vm, v)?.map(|f| (f, 0.0)))
}

fn self_complex(vm: &Vm, v: &Value) -> PyResult<(f64, f64)> {
    complex_of(v).ok_or_else(|| {
        vm.new_type_error(format!("descriptor requires a 'complex' object but received a '{}'", vm.type_name_of(v)))
    })
}

// ---------------------------------------------------------------------------
// Complex arithmetic kernels
// ---------------------------------------------------------------------------

type C = (f64, f64);

fn c_mul(a: C, b: C) -> C {
    (a.0 * b.0 - a.1 * b.1, a.0 * b.1 + a.1 * b.0)
}

/// Division scaled by the larger divisor component (avoids spurious
/// overflow); None on division by zero.
fn c_quot(a: C, b: C) -> Option<C> {
    let (abr, abi) = (b.0.abs(), b.1.abs());
    if abr >= abi {
        if abr == 0.0 {
            return None;
        }
        let ratio = b.1 / b.0;
        let denom = b.0 + b.1 * ratio;
        Some(((a.0 + a.1 * ratio) / denom, (a.1 - a.0 * ratio) / denom))
    } else if abi >= abr {
        let ratio = b.0 / b.1;
        let denom = b.0 * ratio + b.1;
        Some(((a.0 * ratio + a.1) / denom, (a.1 * ratio - a.0) / denom))
    } else {
        // A NaN component in the divisor.
        Some((f64::NAN, f64::NAN))
    }
}

fn c_powu(x: C, n: u64) -> C {
    let mut r = (1.0, 0.0);
    let mut p = x;
    let mut mask: u64 = 1;
    while mask > 0 && n >= mask {
        if n & mask != 0 {
            r = c_mul(r, p);
        }
        mask <<= 1;
        p = c_mul(p, p);
    }
    r
}

/// General power in polar form; None for 0 to a negative or complex power.
fn c_pow(a: C, b: C) -> Option<C> {
    if b.0 == 0.0 && b.1 == 0.0 {
        return Some((1.0, 0.0));
    }
    if a.0 == 0.0 && a.1 == 0.0 {
        if b.1 != 0.0 || b.0 < 0.0 {
            return None;
        }
        return Some((0.0, 0.0));
    }
    let vabs = a.0.hypot(a.1);
    let mut len = vabs.powf(b.0);
    let at = a.1.atan2(a.0);
    let mut phase = at * b.0;
    if b.1 != 0.0 {
        len /= (at * b.1).exp();
        phase += b.1 * vabs.ln();
    }
    Some((len * phase.cos(), len * phase.sin()))
}

/// `a ** b` for complex numbers with CPython's errors.
pub fn complex_pow(vm: &Vm, a: C, b: C) -> PyResult<C> {
    let r = if b.1 == 0.0 && b.0 == b.0.floor() && b.0.abs() <= 100.0 {
        let n = b.0 as i64;
        if n >= 0 {
            Some(c_powu(a, n as u64))
        } else {
            c_quot((1.0, 0.0), c_powu(a, n.unsigned_abs()))
        }
    } else {
        c_pow(a, b)
    };
    match r {
        None => Err(vm.new_zero_division_error("0.0 to a negative or complex power")),
        Some(r) if r.0.is_infinite() || r.1.is_infinite() => Err(vm.new_overflow_error("complex exponentiation")),
        Some(r) => Ok(r),
    }
}

// ---------------------------------------------------------------------------
// Construction
// ---------------------------------------------------------------------------

/// Reads a float literal (sign, digits with single underscores, fraction,
/// exponent, or inf/infinity/nan) at the start of `s`; returns its value and
/// length.
fn float_prefix(s: &str) -> Option<(f64, usize)> {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let lower = s[i..].to_ascii_lowercase();
    for word in ["infinity", "inf", "nan"] {
        if lower.starts_with(word) {
            let end = i + word.len();
            return tfmt::parse_float(&s[..end]).map(|f| (f, end));
        }
    }
    let digits = |i: &mut usize| -> bool {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
            if *i + 1 < b.len() && b[*i] == b'_' && b[*i + 1].is_ascii_digit() {
                *i += 1;
            }
        }
        *i > start
    };
    let mut any = digits(&mut i);
    if i < b.len() && b[i] == b'.' {
        i += 1;
        any |= digits(&mut i);
    }
    if !any {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if digits(&mut j) {
            i = j;
        }
    }
    tfmt::parse_float(&s[..i]).map(|f| (f, i))
}

/// `complex(s)` for a str; None when the string is malformed.
fn parse_complex(s: &str) -> Option<C> {
    let is_ws = |c: char| c.is_ascii_whitespace() || c == '\x0b';
    let mut t = s.trim_matches(is_ws);
    if let Some(inner) = t.strip_prefix('(') {
        t = inner.strip_suffix(')')?.trim_matches(is_ws);
    }
    let is_j = |r: &str| r == "j" || r == "J";
    match float_prefix(t) {
        Some((x, n)) => {
            let rest = &t[n..];
            if rest.is_empty() {
                return Some((x, 0.0));
            }
            if is_j(rest) {
                return Some((0.0, x));
            }
            if !(rest.starts_with('+') || rest.starts_with('-')) {
                return None;
            }
            match float_prefix(rest) {
                Some((y, m)) if is_j(&rest[m..]) => Some((x, y)),
                Some(_) => None,
                None => match rest {
                    "+j" | "+J" => Some((x, 1.0)),
                    "-j" | "-J" => Some((x, -1.0)),
                    _ => None,
                },
            }
        }
        None => match t {
            "j" | "J" | "+j" | "+J" => Some((0.0, 1.0)),
            "-j" | "-J" => Some((0.0, -1.0)),
            _ => None,
        },
    }
}

/// `x.__complex__()` if the type defines it.
fn try_dunder_complex(vm: &Vm, v: &Value) -> PyResult<Option<C>> {
    match vm.call_special(v, Slot::Complex, &[])? {
        None => Ok(None),
        Some(r) => match complex_of(&r) {
            Some(c) => {
                if !vm.class_of(&r).is(&vm.types.complex) {
                    let warning = subclass_result_warning("__complex__", "complex", &vm.type_name_of(&r));
                    vm.warn(&vm.exc.deprecation_warning, warning)?;
                }
                Ok(Some(c))
            }
            None => Err(vm.new_type_error(format!(
                "__complex__ returned non-complex (type {})",
                vm.type_name_of(&r)
            ))),
        },
    }
}

/// Does the value convert with `float()` without being a str (has
/// `__float__` or `__index__`)?
fn is_real_number(vm: &Vm, v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Bool(_) | Value::Float(_))
        || vm.special(v, Slot::Float).is_some()
        || vm.special(v, Slot::Index).is_some()
}

/// `complex.__new__(cls, real=0, imag=0)`.
fn complex_new(vm: &Vm, args: Args) -> PyResult {
    let cls = check_new_cls(vm, "complex", &args, &vm.types.complex)?;
    let rest = Args::with_kw(&args.args[1..], args.kwnames);
    let a = vm.bind_native("complex", rest, &["real", "imag"], 0, 0, None)?;
    let make = |re: f64, im: f64| -> Value {
        if cls.is(&vm.types.complex) {
            vm.new_complex(re, im)
        } else {
            new_subclass_instance(&cls, Payload::Complex((re, im)))
        }
    };
    let (r, i) = (a[0].clone(), a[1].clone());
    let r = match r {
        None => {
            // complex() or complex(imag=x).
            Value::Int(0)
        }
        Some(r) => r,
    };
    if let Some(s) = vm.as_str(&r) {
        if i.is_some() {
            return Err(vm.new_type_error("complex() can't take second arg if first is a string"));
        }
        return match parse_complex(&ascii_numeric(s)) {
            Some((re, im)) => Ok(make(re, im)),
            None => Err(vm.new_value_error("complex() arg is a malformed string")),
        };
    }
    if let Some(iv) = &i {
        if vm.as_str(iv).is_some() {
            return Err(vm.new_type_error("complex() second arg can't be a string"));
        }
    }
    // An exact complex alone is returned unchanged.
    if i.is_none() && cls.is(&vm.types.complex) {
        if let Value::Obj(o) = &r {
            if o.class().is(&vm.types.complex) {
                return Ok(r.clone());
            }
        }
    }
    let (cr, cr_is_complex) = match try_dunder_complex(vm, &r)? {
        Some(c) => (c, true),
        None => match complex_of(&r) {
            Some(c) => (c, true),
            None => {
                if !is_real_number(vm, &r) {
                    return Err(vm.new_type_error(format!(
                        "complex() first argument must be a string or a number, not '{}'",
                        vm.type_name_of(&r)
                    )));
                }
                ((crate::types::float::float_from_object(vm, &r)?, 0.0), false)
            }
        },
    };
    let (mut re, mut im) = (cr.0, cr.1);
    if let Some(iv) = &i {
        let (ci, ci_is_complex) = match complex_of(iv) {
            Some(c) => (c, true),
            None => {
                if !is_real_number(vm, iv) {
                    return Err(vm.new_type_error(format!(
                        "complex() second argument must be a number, not '{}'",
                        vm.type_name_of(iv)
                    )));
                }
                ((crate::types::float::float_from_object(vm, iv)?, 0.0), false)
            }
        };
        // re + i*im with both possibly complex: (a+bj) + (c+dj)j.
        im = ci.0;
        if ci_is_complex {
            re -= ci.1;
        }
        if cr_is_complex {
            im += cr.1;
        }
    }
    Ok(make(re, im))
}

// ---------------------------------------------------------------------------
// Methods
// ---------------------------------------------------------------------------

fn complex_repr(vm: &Vm, args: Args) -> PyResult {
    let (re, im) = self_complex(vm, unary_arg(vm, "__repr__", &args)?)?;
    Ok(vm.new_str(tfmt::complex_repr(re, im)))
}

fn complex_format(vm: &Vm, args: Args) -> PyResult {
    let (this, spec) = binary_args(vm, "__format__", &args)?;
    let (re, im) = self_complex(vm, this)?;
    let spec = vm.as_str(spec).ok_or_else(|| {
        vm.new_type_error(format!("__format__() argument must be str, not {}", vm.type_name_of(spec)))
    })?;
    if spec.is_empty() {
        return Ok(Value::Obj(vm.str(this)?));
    }
    let tname = vm.type_name_of(this);
    let parsed = tfmt::parse_format_spec(spec, None, &tname).map_err(|e| fmt_err(vm, e))?;
    let s = tfmt::format_complex(re, im, &parsed, &tname).map_err(|e| fmt_err(vm, e))?;
    Ok(vm.new_str(s))
}

fn complex_hash(vm: &Vm, args: Args) -> PyResult {
    let v = unary_arg(vm, "__hash__", &args)?;
    let (re, im) = self_complex(vm, v)?;
    let nan_hash = crate::protocol::object::hash_i64(v.id() >> 4);
    Ok(Value::Int(tfmt::hash_complex(re, im, nan_hash)))
}

fn complex_bool(vm: &Vm, args: Args) -> PyResult {
    let (re, im) = self_complex(vm, unary_arg(vm, "__bool__", &args)?)?;
    Ok(Value::Bool(re != 0.0 || im != 0.0))
}

fn complex_exact(vm: &Vm, args: Args) -> PyResult {
    let v = unary_arg(vm, "__complex__", &args)?;
    let (re, im) = self_complex(vm, v)?;
    Ok(vm.new_complex(re, im))
}

fn complex_conjugate(vm: &Vm, args: Args) -> PyResult {
    let (re, im) = self_complex(vm, unary_arg(vm, "conjugate", &args)?)?;
    Ok(vm.new_complex(re, -im))
}

fn complex_neg(vm: &Vm, args: Args) -> PyResult {
    let (re, im) = self_complex(vm, unary_arg(vm, "__neg__", &args)?)?;
    Ok(vm.new_complex(-re, -im))
}

fn complex_abs(vm: &Vm, args: Args) -> PyResult {
    let (re, im) = self_complex(vm, unary_arg(vm, "__abs__", &args)?)?;
    if re.is_infinite() || im.is_infinite() {
        return Ok(Value::Float(f64::INFINITY));
    }
    if re.is_nan() || im.is_nan() {
        return Ok(Value::Float(f64::NAN));
    }
    let r = re.hypot(im);
    if r.is_infinite() {
        return Err(vm.new_overflow_error("absolute value too large"));
    }
    Ok(Value::Float(r))
}

fn complex_getnewargs(vm: &Vm, args: Args) -> PyResult {
    let (re, im) = self_complex(vm, unary_arg(vm, "__getnewargs__", &args)?)?;
    Ok(vm.new_tuple(vec![Value::Float(re), Value::Float(im)]))
}

fn get_real(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Float(self_complex(vm, v)?.0))
}
fn get_imag(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Float(self_complex(vm, v)?.1))
}

#[derive(Clone, Copy)]
enum COp {
    Add,
    Sub,
    Mul,
    Div,
}

fn arith(vm: &Vm, a: C, b: C, op: COp) -> PyResult {
    let (re, im) = match op {
        COp::Add => (a.0 + b.0, a.1 + b.1),
        COp::Sub => (a.0 - b.0, a.1 - b.1),
        COp::Mul => c_mul(a, b),
        COp::Div => c_quot(a, b).ok_or_else(|| vm.new_zero_division_error("complex division by zero"))?,
    };
    Ok(vm.new_complex(re, im))
}

macro_rules! complex_binops {
    ($($fname:ident, $rfname:ident, $dunder:literal, $rdunder:literal, $op:expr;)*) => {
        $(
            fn $fname(vm: &Vm, args: Args) -> PyResult {
                let (a, b) = binary_args(vm, $dunder, &args)?;
                match (operand(vm, a)?, operand(vm, b)?) {
                    (Some(x), Some(y)) => arith(vm, x, y, $op),
                    _ => Ok(vm.not_implemented()),
                }
            }
            fn $rfname(vm: &Vm, args: Args) -> PyResult {
                let (a, b) = binary_args(vm, $rdunder, &args)?;
                match (operand(vm, b)?, operand(vm, a)?) {
                    (Some(x), Some(y)) => arith(vm, x, y, $op),
                    _ => Ok(vm.not_implemented()),
                }
            }
        )*
        static COMPLEX_BINOPS: &[NativeDef] = &[
            $(NativeDef::method($dunder, $fname), NativeDef::method($rdunder, $rfname),)*
        ];
    };
}

complex_binops! {
    complex_add, complex_radd, "__add__", "__radd__", COp::Add;
    complex_sub, complex_rsub, "__sub__", "__rsub__", COp::Sub;
    complex_mul, complex_rmul, "__mul__", "__rmul__", COp::Mul;
    complex_truediv, complex_rtruediv, "__truediv__", "__rtruediv__", COp::Div;
}

fn pow_impl(vm: &Vm, args: Args, reflected: bool) -> PyResult {
    let name = if reflected { "__rpow__" } else { "__pow__" };
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("{name}() takes no keyword arguments")));
    }
    if args.args.len() < 2 || args.args.len() > 3 {
        return Err(vm.new_type_error(format!(
            "{name} expected at least 1 argument, got {}",
            args.args.len().saturating_sub(1)
        )));
    }
    if args.args.get(2).is_some_and(|m| !m.is_none()) {
        return Err(vm.new_value_error("complex modulo"));
    }
    let (a, b) = if reflected { (&args.args[1], &args.args[0]) } else { (&args.args[0], &args.args[1]) };
    match (operand(vm, a)?, operand(vm, b)?) {
        (Some(x), Some(y)) => {
            let (re, im) = complex_pow(vm, x, y)?;
            Ok(vm.new_complex(re, im))
        }
        _ => Ok(vm.not_implemented()),
    }
}
fn complex_pow_fn(vm: &Vm, args: Args) -> PyResult {
    pow_impl(vm, args, false)
}
fn complex_rpow_fn(vm: &Vm, args: Args) -> PyResult {
    pow_impl(vm, args, true)
}

/// `==` with complex, float or int (ints compared exactly).
fn equal(vm: &Vm, a: &Value, b: &Value) -> Option<bool> {
    let (re, im) = complex_of(a)?;
    if let Some(c) = complex_of(b) {
        return Some(re == c.0 && im == c.1);
    }
    if let Some(f) = float_of(b) {
        return Some(im == 0.0 && re == f);
    }
    let i = int_of(b)?;
    let _ = vm;
    Some(im == 0.0 && cmp_int_float(&i, re) == Some(std::cmp::Ordering::Equal))
}

fn complex_eq(vm: &Vm, args: Args) -> PyResult {
    let (a, b) = binary_args(vm, "__eq__", &args)?;
    Ok(equal(vm, a, b).map_or_else(|| vm.not_implemented(), Value::Bool))
}
fn complex_ne(vm: &Vm, args: Args) -> PyResult {
    let (a, b) = binary_args(vm, "__ne__", &args)?;
    Ok(equal(vm, a, b).map_or_else(|| vm.not_implemented(), |e| Value::Bool(!e)))
}

static COMPLEX_METHODS: [NativeDef; 15] = [
    NativeDef::staticmethod("__new__", complex_new),
    NativeDef::method("__repr__", complex_repr),
    NativeDef::method("__format__", complex_format).doc("__format__($self, format_spec, /)\n--\n\nConvert to a string according to format_spec."),
    NativeDef::method("__hash__", complex_hash),
    NativeDef::method("__bool__", complex_bool),
    NativeDef::method("__complex__", complex_exact).doc("__complex__($self, /)\n--\n\nConvert this value to exact type complex."),
    NativeDef::method("__pos__", complex_exact),
    NativeDef::method("conjugate", complex_conjugate).doc("conjugate($self, /)\n--\n\nReturn the complex conjugate of its argument. (3-4j).conjugate() == 3+4j."),
    NativeDef::method("__neg__", complex_neg),
    NativeDef::method("__abs__", complex_abs),
    NativeDef::method("__getnewargs__", complex_getnewargs).doc("__getnewargs__($self, /)\n--\n\n"),
    NativeDef::method("__pow__", complex_pow_fn),
    NativeDef::method("__rpow__", complex_rpow_fn),
    NativeDef::method("__eq__", complex_eq),
    NativeDef::method("__ne__", complex_ne),
];

static COMPLEX_GETSETS: [GetSetDef; 2] = [
    GetSetDef { name: "real", get: get_real, set: None, doc: "the real part of a complex number" },
    GetSetDef { name: "imag", get: get_imag, set: None, doc: "the imaginary part of a complex number" },
];

pub fn init(vm: &Vm) {
    crate::types::add_methods(vm, &vm.types.complex, &COMPLEX_METHODS);
    crate::types::add_methods(vm, &vm.types.complex, COMPLEX_BINOPS);
    crate::types::add_getsets(vm, &vm.types.complex, &COMPLEX_GETSETS);
}
