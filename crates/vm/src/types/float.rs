//! `float`: the constructor, repr/format/hash, arithmetic mixed with ints
//! (an int operand is converted exactly, OverflowError when it cannot be),
//! exact comparisons with ints of any size, rounding and the conversions
//! (`hex`, `fromhex`, `as_integer_ratio`). The numerics themselves
//! (`% // divmod **`, correctly rounded `round`) are `krait_text::format`'s.

use crate::payload::{GetSetDef, Payload};
use crate::types::function::NativeDef;
use crate::types::int::{
    ascii_numeric, binary_args, bytes_as_ascii, bytes_like, check_new_cls, fmt_err, int_of, int_to_f64,
    new_subclass_instance, small_int, subclass_result_warning, unary_arg,
};
use crate::types::typeobj::Slot;
use crate::value::Value;
use crate::{Args, PyResult, Vm};
use dashu_int::IBig;
use krait_text::format as tfmt;
use std::cmp::Ordering;

/// The value of a float (exact or subclass instance).
#[inline]
pub fn float_of(v: &Value) -> Option<f64> {
    match v {
        Value::Float(f) => Some(*f),
        Value::Obj(o) => o.payload.as_float(),
        _ => None,
    }
}

/// An arithmetic operand as a float: floats, and ints converted (raising
/// OverflowError for ints beyond the float range). None for other types.
pub fn operand(vm: &Vm, v: &Value) -> PyResult<Option<f64>> {
    if let Some(f) = float_of(v) {
        return Ok(Some(f));
    }
    int_to_f64(vm, v)
}

fn self_float(vm: &Vm, v: &Value) -> PyResult<f64> {
    float_of(v).ok_or_else(|| {
        vm.new_type_error(format!("descriptor requires a 'float' object but received a '{}'", vm.type_name_of(v)))
    })
}

// ---------------------------------------------------------------------------
// Construction
// ---------------------------------------------------------------------------

/// `float(s)` for a str, bytes or bytearray; None for other types.
fn parse_float_value(vm: &Vm, v: &Value) -> PyResult<Option<f64>> {
    let text = if let Some(s) = vm.as_str(v) {
        ascii_numeric(s).into_owned()
    } else if let Some(b) = bytes_like(v) {
        bytes_as_ascii(&b)
    } else {
        return Ok(None);
    };
    match tfmt::parse_float(&text) {
        Some(f) => Ok(Some(f)),
        None => {
            let r = vm.repr_string(v)?;
            Err(vm.new_value_error(format!("could not convert string to float: {r}")))
        }
    }
}

/// `float(x)`: CPython's `PyNumber_Float`.
pub fn float_from_object(vm: &Vm, v: &Value) -> PyResult<f64> {
    match v {
        Value::Float(f) => return Ok(*f),
        Value::Int(i) => return Ok(*i as f64),
        Value::Bool(b) => return Ok(*b as i64 as f64),
        _ => {}
    }
    if let Some(r) = vm.call_special(v, Slot::Float, &[])? {
        let Some(f) = float_of(&r) else {
            return Err(vm.new_type_error(format!(
                "{}.__float__ returned non-float (type {})",
                vm.type_name_of(v),
                vm.type_name_of(&r)
            )));
        };
        if !matches!(r, Value::Float(_)) && !vm.class_of(&r).is(&vm.types.float) {
            let method = format!("{}.__float__", vm.type_name_of(v));
            vm.warn(&vm.exc.deprecation_warning, subclass_result_warning(&method, "float", &vm.type_name_of(&r)))?;
        }
        return Ok(f);
    }
    if vm.special(v, Slot::Index).is_some() {
        let i = vm.index(v)?;
        return Ok(int_to_f64(vm, &i)?.unwrap_or(0.0));
    }
    if let Some(f) = parse_float_value(vm, v)? {
        return Ok(f);
    }
    Err(vm.new_type_error(format!(
        "float() argument must be a string or a real number, not '{}'",
        vm.type_name_of(v)
    )))
}

/// A float value of type `cls` (exact floats are unboxed).
fn make_float(vm: &Vm, cls: &crate::PyRef, f: f64) -> Value {
    if cls.is(&vm.types.float) {
        Value::Float(f)
    } else {
        new_subclass_instance(cls, Payload::Float(f))
    }
}

/// `float.__new__(cls, x=0.0, /)`.
fn float_new(vm: &Vm, args: Args) -> PyResult {
    let cls = check_new_cls(vm, "float", &args, &vm.types.float)?;
    // Keywords are refused unless a subclass's own `__init__` takes them
    // (CPython's check against `tp_init`).
    let init = cls.payload.as_type().and_then(|t| t.slot(Slot::Init));
    if args.has_kwargs() && crate::types::object::is_object_native(vm, &init, "__init__") {
        return Err(vm.new_type_error("float() takes no keyword arguments"));
    }
    let f = match args.positional().get(1..).unwrap_or(&[]) {
        [] => 0.0,
        [x] => float_from_object(vm, x)?,
        rest => return Err(vm.new_type_error(format!("float expected at most 1 argument, got {}", rest.len()))),
    };
    Ok(make_float(vm, &cls, f))
}

// ---------------------------------------------------------------------------
// repr, format, hash, conversions
// ---------------------------------------------------------------------------

fn float_repr(vm: &Vm, args: Args) -> PyResult {
    let f = self_float(vm, unary_arg(vm, "__repr__", &args)?)?;
    Ok(vm.new_str(tfmt::float_repr(f)))
}

fn float_format(vm: &Vm, args: Args) -> PyResult {
    let (this, spec) = binary_args(vm, "__format__", &args)?;
    let f = self_float(vm, this)?;
    let spec = vm.as_str(spec).ok_or_else(|| {
        vm.new_type_error(format!("__format__() argument must be str, not {}", vm.type_name_of(spec)))
    })?;
    if spec.is_empty() {
        return Ok(Value::Obj(vm.str(this)?));
    }
    let tname = vm.type_name_of(this);
    let parsed = tfmt::parse_format_spec(spec, None, &tname).map_err(|e| fmt_err(vm, e))?;
    let s = tfmt::format_float(f, &parsed, &tname).map_err(|e| fmt_err(vm, e))?;
    Ok(vm.new_str(s))
}

fn float_hash(vm: &Vm, args: Args) -> PyResult {
    let v = unary_arg(vm, "__hash__", &args)?;
    let f = self_float(vm, v)?;
    Ok(Value::Int(crate::protocol::ops::hash_float(f, v)))
}

fn float_exact(vm: &Vm, args: Args) -> PyResult {
    let v = unary_arg(vm, "__float__", &args)?;
    Ok(Value::Float(self_float(vm, v)?))
}

fn float_bool(vm: &Vm, args: Args) -> PyResult {
    Ok(Value::Bool(self_float(vm, unary_arg(vm, "__bool__", &args)?)? != 0.0))
}

fn to_int(vm: &Vm, f: f64) -> PyResult {
    Ok(vm.new_int(tfmt::float_to_ibig(f).map_err(|e| fmt_err(vm, e))?))
}

fn float_trunc(vm: &Vm, args: Args) -> PyResult {
    to_int(vm, self_float(vm, unary_arg(vm, "__trunc__", &args)?)?)
}
fn float_floor(vm: &Vm, args: Args) -> PyResult {
    to_int(vm, self_float(vm, unary_arg(vm, "__floor__", &args)?)?.floor())
}
fn float_ceil(vm: &Vm, args: Args) -> PyResult {
    to_int(vm, self_float(vm, unary_arg(vm, "__ceil__", &args)?)?.ceil())
}

/// `float.__round__(self, ndigits=None)`.
fn float_round(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__round__", args, 1, 2)?;
    let f = self_float(vm, &args.args[0])?;
    let nd = match args.args.get(1) {
        None | Some(Value::None) => return to_int(vm, tfmt::round_half_even(f)),
        Some(n) => vm.index(n)?,
    };
    // Out-of-range ndigits behave like the extreme ones (CPython clamps).
    let nd = match small_int(&nd) {
        Some(n) => n,
        None => {
            if int_of(&nd).is_some_and(|i| i < IBig::ZERO) {
                i64::MIN / 2
            } else {
                i64::MAX / 2
            }
        }
    };
    Ok(Value::Float(tfmt::round_float(f, nd).map_err(|e| fmt_err(vm, e))?))
}

fn float_getnewargs(vm: &Vm, args: Args) -> PyResult {
    let f = self_float(vm, unary_arg(vm, "__getnewargs__", &args)?)?;
    Ok(vm.new_tuple(vec![Value::Float(f)]))
}

fn float_is_integer(vm: &Vm, args: Args) -> PyResult {
    let f = self_float(vm, unary_arg(vm, "is_integer", &args)?)?;
    Ok(Value::Bool(f.is_finite() && f.fract() == 0.0))
}

fn float_hex(vm: &Vm, args: Args) -> PyResult {
    let f = self_float(vm, unary_arg(vm, "hex", &args)?)?;
    Ok(vm.new_str(tfmt::float_hex(f)))
}

/// `float.fromhex(s)` (classmethod): a subclass gets `cls(result)`.
fn float_fromhex(vm: &Vm, args: Args) -> PyResult {
    let (cls, s) = match args.args {
        [cls, s] if !args.has_kwargs() => (cls, s),
        _ => return Err(vm.new_type_error("float.fromhex() takes exactly one argument")),
    };
    let s = vm.as_str(s).ok_or_else(|| {
        vm.new_type_error(format!("fromhex() argument must be str, not {}", vm.type_name_of(s)))
    })?;
    // Unlike float(), fromhex takes ASCII digits and white space only.
    let f = tfmt::float_fromhex(s).map_err(|e| fmt_err(vm, e))?;
    match cls {
        Value::Obj(c) if c.is(&vm.types.float) => Ok(Value::Float(f)),
        _ => vm.call(cls, Args::new(&[Value::Float(f)])),
    }
}

fn float_getformat(vm: &Vm, args: Args) -> PyResult {
    let a = args.args.get(1).and_then(|v| vm.as_str(v));
    match a {
        Some("double") | Some("float") => Ok(vm.new_str("IEEE, little-endian")),
        Some(_) => Err(vm.new_value_error("__getformat__() argument 1 must be 'double' or 'float'")),
        None => Err(vm.new_type_error("__getformat__() argument must be str")),
    }
}

fn float_as_integer_ratio(vm: &Vm, args: Args) -> PyResult {
    let f = self_float(vm, unary_arg(vm, "as_integer_ratio", &args)?)?;
    let (n, d) = tfmt::float_as_integer_ratio(f).map_err(|e| fmt_err(vm, e))?;
    Ok(vm.new_tuple(vec![vm.new_int(n), vm.new_int(d)]))
}

fn get_real(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Float(self_float(vm, v)?))
}
fn get_imag(_vm: &Vm, _v: &Value) -> PyResult {
    Ok(Value::Float(0.0))
}

// ---------------------------------------------------------------------------
// Arithmetic
// ---------------------------------------------------------------------------

#[derive(Clone, Copy)]
enum FOp {
    Add,
    Sub,
    Mul,
    TrueDiv,
    FloorDiv,
    Mod,
    DivMod,
}

/// `x op y` on two floats.
fn float_arith(vm: &Vm, x: f64, y: f64, op: FOp) -> PyResult {
    let e = |e| fmt_err(vm, e);
    Ok(match op {
        FOp::Add => Value::Float(x + y),
        FOp::Sub => Value::Float(x - y),
        FOp::Mul => Value::Float(x * y),
        FOp::TrueDiv => Value::Float(tfmt::float_div(x, y).map_err(e)?),
        FOp::FloorDiv => Value::Float(tfmt::float_floordiv(x, y).map_err(e)?),
        FOp::Mod => Value::Float(tfmt::float_mod(x, y).map_err(e)?),
        FOp::DivMod => {
            let (q, r) = tfmt::float_divmod(x, y).map_err(e)?;
            vm.new_tuple(vec![Value::Float(q), Value::Float(r)])
        }
    })
}

/// `x ** y` for floats; a negative base with a fractional exponent gives the
/// complex result, as CPython 3.11 does.
pub fn float_pow(vm: &Vm, x: f64, y: f64) -> PyResult {
    match tfmt::float_pow(x, y).map_err(|e| fmt_err(vm, e))? {
        tfmt::PowResult::Float(f) => Ok(Value::Float(f)),
        tfmt::PowResult::NeedsComplex => {
            let (re, im) = crate::types::complex::complex_pow(vm, (x, 0.0), (y, 0.0))?;
            Ok(vm.new_complex(re, im))
        }
    }
}

/// Both operands as floats, or None (NotImplemented) if either is not a
/// float or int.
fn operands(vm: &Vm, a: &Value, b: &Value) -> PyResult<Option<(f64, f64)>> {
    let x = match operand(vm, a)? {
        Some(x) => x,
        None => return Ok(None),
    };
    match operand(vm, b)? {
        Some(y) => Ok(Some((x, y))),
        None => Ok(None),
    }
}

macro_rules! float_binops {
    ($($fname:ident, $rfname:ident, $dunder:literal, $rdunder:literal, $op:expr;)*) => {
        $(
            fn $fname(vm: &Vm, args: Args) -> PyResult {
                let (a, b) = binary_args(vm, $dunder, &args)?;
                match operands(vm, a, b)? {
                    Some((x, y)) => float_arith(vm, x, y, $op),
                    None => Ok(vm.not_implemented()),
                }
            }
            fn $rfname(vm: &Vm, args: Args) -> PyResult {
                let (a, b) = binary_args(vm, $rdunder, &args)?;
                match operands(vm, b, a)? {
                    Some((x, y)) => float_arith(vm, x, y, $op),
                    None => Ok(vm.not_implemented()),
                }
            }
        )*
        static FLOAT_BINOPS: &[NativeDef] = &[
            $(NativeDef::method($dunder, $fname), NativeDef::method($rdunder, $rfname),)*
        ];
    };
}

float_binops! {
    float_add, float_radd, "__add__", "__radd__", FOp::Add;
    float_sub, float_rsub, "__sub__", "__rsub__", FOp::Sub;
    float_mul, float_rmul, "__mul__", "__rmul__", FOp::Mul;
    float_truediv, float_rtruediv, "__truediv__", "__rtruediv__", FOp::TrueDiv;
    float_floordiv, float_rfloordiv, "__floordiv__", "__rfloordiv__", FOp::FloorDiv;
    float_mod, float_rmod, "__mod__", "__rmod__", FOp::Mod;
    float_divmod, float_rdivmod, "__divmod__", "__rdivmod__", FOp::DivMod;
}

/// `float.__pow__(self, other, mod=None)` / `__rpow__`.
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
        return Err(vm.new_type_error("pow() 3rd argument not allowed unless all arguments are integers"));
    }
    let (a, b) = if reflected { (&args.args[1], &args.args[0]) } else { (&args.args[0], &args.args[1]) };
    match operands(vm, a, b)? {
        Some((x, y)) => float_pow(vm, x, y),
        None => Ok(vm.not_implemented()),
    }
}
fn float_pow_fn(vm: &Vm, args: Args) -> PyResult {
    pow_impl(vm, args, false)
}
fn float_rpow_fn(vm: &Vm, args: Args) -> PyResult {
    pow_impl(vm, args, true)
}

fn float_neg(vm: &Vm, args: Args) -> PyResult {
    Ok(Value::Float(-self_float(vm, unary_arg(vm, "__neg__", &args)?)?))
}
fn float_abs(vm: &Vm, args: Args) -> PyResult {
    Ok(Value::Float(self_float(vm, unary_arg(vm, "__abs__", &args)?)?.abs()))
}

// ---------------------------------------------------------------------------
// Comparisons
// ---------------------------------------------------------------------------

/// Exact order of an int and a float (None if the float is NaN): no
/// precision is lost for ints beyond 2**53.
pub fn cmp_int_float(i: &IBig, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 { Ordering::Less } else { Ordering::Greater });
    }
    if let Ok(small) = i64::try_from(i) {
        if small.unsigned_abs() < (1u64 << 53) {
            return (small as f64).partial_cmp(&f);
        }
    }
    // f = fl + frac with fl an integer and 0 <= frac < 1, both exact.
    let fl = f.floor();
    let fi = tfmt::float_to_ibig(fl).ok()?;
    Some(match i.cmp(&fi) {
        Ordering::Equal if f > fl => Ordering::Less,
        o => o,
    })
}

/// Order of two values when one is a float and the other a float or int.
pub fn float_cmp_values(a: &Value, b: &Value) -> Option<Option<Ordering>> {
    match (float_of(a), float_of(b)) {
        (Some(x), Some(y)) => Some(x.partial_cmp(&y)),
        (Some(x), None) => {
            let i = int_of(b)?;
            Some(cmp_int_float(&i, x).map(Ordering::reverse))
        }
        (None, Some(y)) => {
            let i = int_of(a)?;
            Some(cmp_int_float(&i, y))
        }
        (None, None) => None,
    }
}

fn compare(vm: &Vm, args: Args, name: &str, test: fn(Ordering) -> bool, nan: bool) -> PyResult {
    let (a, b) = binary_args(vm, name, &args)?;
    match float_cmp_values(a, b) {
        Some(Some(o)) => Ok(Value::Bool(test(o))),
        Some(None) => Ok(Value::Bool(nan)),
        None => Ok(vm.not_implemented()),
    }
}
fn float_eq(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__eq__", |o| o.is_eq(), false)
}
fn float_ne(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__ne__", |o| o.is_ne(), true)
}
fn float_lt(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__lt__", |o| o.is_lt(), false)
}
fn float_le(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__le__", |o| o.is_le(), false)
}
fn float_gt(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__gt__", |o| o.is_gt(), false)
}
fn float_ge(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__ge__", |o| o.is_ge(), false)
}

static FLOAT_METHODS: [NativeDef; 29] = [
    NativeDef::staticmethod("__new__", float_new),
    NativeDef::method("__repr__", float_repr),
    NativeDef::method("__format__", float_format).doc("__format__($self, format_spec, /)\n--\n\nFormats the float according to format_spec."),
    NativeDef::method("__hash__", float_hash),
    NativeDef::method("__float__", float_exact),
    NativeDef::method("__pos__", float_exact),
    NativeDef::method("conjugate", float_exact).doc("conjugate($self, /)\n--\n\nReturn self, the complex conjugate of any float."),
    NativeDef::method("__bool__", float_bool),
    NativeDef::method("__int__", float_trunc),
    NativeDef::method("__trunc__", float_trunc).doc("__trunc__($self, /)\n--\n\nReturn the Integral closest to x between 0 and x."),
    NativeDef::method("__floor__", float_floor).doc("__floor__($self, /)\n--\n\nReturn the floor as an Integral."),
    NativeDef::method("__ceil__", float_ceil).doc("__ceil__($self, /)\n--\n\nReturn the ceiling as an Integral."),
    NativeDef::method("__round__", float_round).doc("__round__($self, ndigits=None, /)\n--\n\nReturn the Integral closest to x, rounding half toward even."),
    NativeDef::method("__getnewargs__", float_getnewargs).doc("__getnewargs__($self, /)\n--\n\n"),
    NativeDef::method("is_integer", float_is_integer).doc("is_integer($self, /)\n--\n\nReturn True if the float is an integer."),
    NativeDef::method("hex", float_hex).doc("hex($self, /)\n--\n\nReturn a hexadecimal representation of a floating-point number."),
    NativeDef::method("as_integer_ratio", float_as_integer_ratio).doc("as_integer_ratio($self, /)\n--\n\nReturn integer ratio."),
    NativeDef::method("__pow__", float_pow_fn),
    NativeDef::method("__rpow__", float_rpow_fn),
    NativeDef::method("__neg__", float_neg),
    NativeDef::method("__abs__", float_abs),
    NativeDef::method("__eq__", float_eq),
    NativeDef::method("__ne__", float_ne),
    NativeDef::method("__lt__", float_lt),
    NativeDef::method("__le__", float_le),
    NativeDef::method("__gt__", float_gt),
    NativeDef::method("__ge__", float_ge),
    NativeDef::classmethod("fromhex", float_fromhex).doc("fromhex($type, string, /)\n--\n\nCreate a floating-point number from a hexadecimal string."),
    NativeDef::classmethod("__getformat__", float_getformat).doc("__getformat__($type, typestr, /)\n--\n\nYou probably don't want to use this function."),
];

static FLOAT_GETSETS: [GetSetDef; 2] = [
    GetSetDef { name: "real", get: get_real, set: None, doc: "the real part of a complex number" },
    GetSetDef { name: "imag", get: get_imag, set: None, doc: "the imaginary part of a complex number" },
];

pub fn init(vm: &Vm) {
    crate::types::add_methods(vm, &vm.types.float, &FLOAT_METHODS);
    crate::types::add_methods(vm, &vm.types.float, FLOAT_BINOPS);
    crate::types::add_getsets(vm, &vm.types.float, &FLOAT_GETSETS);
}
