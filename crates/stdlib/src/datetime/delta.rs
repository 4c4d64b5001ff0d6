//! `datetime.timedelta`: days, seconds and microseconds, normalised so that
//! 0 <= seconds < 86400 and 0 <= microseconds < 10**6, |days| <= 999999999.
//! Arithmetic goes through the total in microseconds (an i128, or a big int
//! where a float's exact ratio is involved), rounding half to even.

use super::{hash_parts, US_PER_DAY, US_PER_SECOND};
use crate::native::{native_type, new_object, TypeSpec};
use dashu_int::IBig;
use krait_compiler::bytecode::{BinOp, CmpOp};
use krait_vm::gc::NativeData;
use krait_vm::payload::GetSetDef;
use krait_vm::types::float::float_of;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};

pub const MAX_DELTA_DAYS: i32 = 999_999_999;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Default)]
pub struct Delta {
    pub days: i32,
    pub secs: i32,
    pub us: i32,
}

impl Delta {
    pub const ZERO: Delta = Delta { days: 0, secs: 0, us: 0 };

    pub fn total_us(self) -> i128 {
        self.days as i128 * US_PER_DAY as i128 + self.secs as i128 * US_PER_SECOND as i128 + self.us as i128
    }

    /// The normalised delta of `us` microseconds, or CPython's OverflowError.
    pub fn from_us(vm: &krait_vm::Vm, us: i128) -> PyResult<Delta> {
        let days = us.div_euclid(US_PER_DAY as i128);
        let rest = us.rem_euclid(US_PER_DAY as i128) as i64;
        let Ok(days) = i32::try_from(days) else {
            return Err(vm.new_overflow_error("Python int too large to convert to C int"));
        };
        if !(-MAX_DELTA_DAYS..=MAX_DELTA_DAYS).contains(&days) {
            return Err(vm.new_overflow_error(format!("days={days}; must have magnitude <= {MAX_DELTA_DAYS}")));
        }
        Ok(Delta { days, secs: (rest / US_PER_SECOND) as i32, us: (rest % US_PER_SECOND) as i32 })
    }

    pub fn is_zero(self) -> bool {
        self == Delta::ZERO
    }
}

pub struct DeltaObj(pub Delta);
impl NativeData for DeltaObj {}

pub fn new_delta(vm: &Vm, d: Delta) -> Value {
    let t = native_type(vm, &DELTA);
    new_object(vm, &t, &t, DeltaObj(d))
}

fn delta_value(vm: &Vm, us: i128) -> PyResult {
    Ok(new_delta(vm, Delta::from_us(vm, us)?))
}

/// An int value of any size.
pub fn int_value(vm: &Vm, i: i128) -> Value {
    match i64::try_from(i) {
        Ok(v) => Value::Int(v),
        Err(_) => vm.new_int(IBig::from(i)),
    }
}

fn too_large(vm: &Vm) -> krait_vm::PyErr {
    vm.new_overflow_error("Python int too large to convert to C int")
}

fn ibig_to_i128(vm: &Vm, b: &IBig) -> PyResult<i128> {
    i128::try_from(b).map_err(|_| too_large(vm))
}

/// Nearest integer to a / b, halves to even (`_PyLong_DivmodNear`).
pub fn divide_nearest(a: &IBig, b: &IBig) -> IBig {
    let zero = IBig::from(0);
    let mut q = a / b;
    let mut r = a - &q * b;
    // Make it floor division: the remainder takes the divisor's sign.
    if r != zero && ((r < zero) != (*b < zero)) {
        q -= 1;
        r += b;
    }
    let twice: IBig = &r * IBig::from(2);
    let cmp = if *b > zero { twice.cmp(b) } else { b.cmp(&twice) };
    let q_odd: bool = (&q % IBig::from(2)) != zero;
    if cmp == std::cmp::Ordering::Greater || (cmp == std::cmp::Ordering::Equal && q_odd) {
        q += 1;
    }
    q
}

fn delta_of<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<Delta> {
    super::as_delta(v).ok_or_else(|| super::unsupported_type(vm, "datetime.timedelta", name, v))
}

// ---------------------------------------------------------------------------
// Constructor.

/// One keyword's contribution in microseconds (CPython's `accum`): ints
/// exactly, floats split so only the last fraction is rounded.
fn accum(vm: &Vm, tag: &str, sofar: i128, num: &Value, factor: i64, leftover: &mut f64) -> PyResult<i128> {
    if let Some(i) = vm.as_ibig(num) {
        let i = ibig_to_i128(vm, &i)?;
        return i.checked_mul(factor as i128).and_then(|p| p.checked_add(sofar)).ok_or_else(|| too_large(vm));
    }
    if let Some(f) = float_of(num) {
        let int_of_float = |x: f64| -> PyResult<i128> {
            if x.is_nan() {
                return Err(vm.new_value_error("cannot convert float NaN to integer"));
            }
            if x.is_infinite() {
                return Err(vm.new_overflow_error("cannot convert float infinity to integer"));
            }
            if x.abs() >= 1.7e38 {
                return Err(too_large(vm));
            }
            Ok(x as i128)
        };
        let intpart = f.trunc();
        let frac = f - intpart;
        let sum = int_of_float(intpart)?
            .checked_mul(factor as i128)
            .and_then(|p| p.checked_add(sofar))
            .ok_or_else(|| too_large(vm))?;
        if frac == 0.0 {
            return Ok(sum);
        }
        let scaled = factor as f64 * frac;
        let whole = scaled.trunc();
        *leftover += scaled - whole;
        return sum.checked_add(int_of_float(whole)?).ok_or_else(|| too_large(vm));
    }
    Err(vm.new_type_error(format!("unsupported type for timedelta {tag} component: {}", vm.type_name_of(num))))
}

fn delta_new(vm: &Vm, args: Args) -> PyResult {
    let t = native_type(vm, &DELTA);
    let (cls, rest) = crate::native::split_new(vm, args, &t)?;
    const NAMES: [&str; 7] = ["days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks"];
    let a = super::parse_args(vm, Some("__new__"), rest, &NAMES, 0, 7, 0)?;
    // CPython's order of accumulation: smallest unit first.
    const ORDER: [(usize, &str, i64); 7] = [
        (2, "microseconds", 1),
        (3, "milliseconds", 1000),
        (1, "seconds", US_PER_SECOND),
        (4, "minutes", 60 * US_PER_SECOND),
        (5, "hours", 3600 * US_PER_SECOND),
        (0, "days", US_PER_DAY),
        (6, "weeks", 7 * US_PER_DAY),
    ];
    let mut total: i128 = 0;
    let mut leftover = 0.0f64;
    for (i, tag, factor) in ORDER {
        if let Some(v) = &a[i] {
            total = accum(vm, tag, total, v, factor, &mut leftover)?;
        }
    }
    if leftover != 0.0 {
        let mut whole = leftover.round();
        if (whole - leftover).abs() == 0.5 {
            let odd = (total & 1) as f64;
            whole = 2.0 * ((leftover + odd) * 0.5).round() - odd;
        }
        total = total.checked_add(whole as i128).ok_or_else(|| too_large(vm))?;
    }
    let d = Delta::from_us(vm, total)?;
    Ok(new_object(vm, &cls, &t, DeltaObj(d)))
}

// ---------------------------------------------------------------------------
// Arithmetic, as CPython's (left, right) number slots.

fn add(vm: &Vm, l: &Value, r: &Value) -> PyResult {
    match (super::as_delta(l), super::as_delta(r)) {
        (Some(a), Some(b)) => delta_value(vm, a.total_us() + b.total_us()),
        _ => Ok(vm.not_implemented()),
    }
}

fn sub(vm: &Vm, l: &Value, r: &Value) -> PyResult {
    match (super::as_delta(l), super::as_delta(r)) {
        (Some(a), Some(b)) => delta_value(vm, a.total_us() - b.total_us()),
        _ => Ok(vm.not_implemented()),
    }
}

/// `float.as_integer_ratio()` of a float operand.
fn float_ratio(vm: &Vm, f: &Value) -> PyResult<(IBig, IBig)> {
    let r = vm.call_method(f, "as_integer_ratio", &[])?;
    let Some(items) = r.payload().and_then(|p| p.as_tuple()).map(|t| t.to_vec()) else {
        return Err(vm.new_type_error(format!(
            "unexpected return type from as_integer_ratio(): expected tuple, got '{}'",
            vm.type_name_of(&r)
        )));
    };
    if items.len() != 2 {
        return Err(vm.new_value_error("as_integer_ratio() must return a 2-tuple"));
    }
    match (vm.as_ibig(&items[0]), vm.as_ibig(&items[1])) {
        (Some(n), Some(d)) => Ok((n, d)),
        _ => Err(vm.new_type_error("as_integer_ratio() must return a pair of ints")),
    }
}

fn zero_div(vm: &Vm) -> krait_vm::PyErr {
    vm.new_zero_division_error("integer division or modulo by zero")
}

/// delta * (n / d), rounded half to even.
fn scale(vm: &Vm, d: Delta, n: &IBig, den: &IBig) -> PyResult {
    if *den == IBig::from(0) {
        return Err(zero_div(vm));
    }
    let q = divide_nearest(&(IBig::from(d.total_us()) * n), den);
    delta_value(vm, ibig_to_i128(vm, &q)?)
}

fn mul_one(vm: &Vm, d: Delta, other: &Value) -> PyResult {
    if let Some(i) = vm.as_ibig(other) {
        let p = IBig::from(d.total_us()) * i;
        return delta_value(vm, ibig_to_i128(vm, &p)?);
    }
    if float_of(other).is_some() {
        let (n, den) = float_ratio(vm, other)?;
        return scale(vm, d, &n, &den);
    }
    Ok(vm.not_implemented())
}

fn mul(vm: &Vm, l: &Value, r: &Value) -> PyResult {
    if let Some(d) = super::as_delta(l) {
        return mul_one(vm, d, r);
    }
    if let Some(d) = super::as_delta(r) {
        return mul_one(vm, d, l);
    }
    Ok(vm.not_implemented())
}

fn floordiv(vm: &Vm, l: &Value, r: &Value) -> PyResult {
    let Some(a) = super::as_delta(l) else { return Ok(vm.not_implemented()) };
    if let Some(i) = vm.as_ibig(r) {
        if i == IBig::from(0) {
            return Err(zero_div(vm));
        }
        let (q, _) = floor_divmod(&IBig::from(a.total_us()), &i);
        return delta_value(vm, ibig_to_i128(vm, &q)?);
    }
    if let Some(b) = super::as_delta(r) {
        if b.is_zero() {
            return Err(zero_div(vm));
        }
        return Ok(int_value(vm, py_div(a.total_us(), b.total_us())));
    }
    Ok(vm.not_implemented())
}

fn py_mod(a: i128, b: i128) -> i128 {
    let r = a % b;
    if r != 0 && ((r < 0) != (b < 0)) {
        r + b
    } else {
        r
    }
}

fn py_div(a: i128, b: i128) -> i128 {
    (a - py_mod(a, b)) / b
}

fn floor_divmod(a: &IBig, b: &IBig) -> (IBig, IBig) {
    let zero = IBig::from(0);
    let mut q = a / b;
    let mut r = a - &q * b;
    if r != zero && ((r < zero) != (*b < zero)) {
        q -= 1;
        r += b;
    }
    (q, r)
}

fn truediv(vm: &Vm, l: &Value, r: &Value) -> PyResult {
    let Some(a) = super::as_delta(l) else { return Ok(vm.not_implemented()) };
    if let Some(b) = super::as_delta(r) {
        if b.is_zero() {
            return Err(vm.new_zero_division_error("division by zero"));
        }
        return vm.binary_op(&int_value(vm, a.total_us()), &int_value(vm, b.total_us()), BinOp::TrueDivide);
    }
    if float_of(r).is_some() {
        let (n, den) = float_ratio(vm, r)?;
        return scale(vm, a, &den, &n);
    }
    if let Some(i) = vm.as_ibig(r) {
        return scale(vm, a, &IBig::from(1), &i);
    }
    Ok(vm.not_implemented())
}

fn rem(vm: &Vm, l: &Value, r: &Value) -> PyResult {
    match (super::as_delta(l), super::as_delta(r)) {
        (Some(a), Some(b)) => {
            if b.is_zero() {
                return Err(vm.new_zero_division_error("integer modulo by zero"));
            }
            delta_value(vm, py_mod(a.total_us(), b.total_us()))
        }
        _ => Ok(vm.not_implemented()),
    }
}

fn divmod(vm: &Vm, l: &Value, r: &Value) -> PyResult {
    match (super::as_delta(l), super::as_delta(r)) {
        (Some(a), Some(b)) => {
            if b.is_zero() {
                return Err(zero_div(vm));
            }
            let (x, y) = (a.total_us(), b.total_us());
            let q = int_value(vm, py_div(x, y));
            Ok(vm.new_tuple(vec![q, delta_value(vm, py_mod(x, y))?]))
        }
        _ => Ok(vm.not_implemented()),
    }
}

binop_methods! {
    delta_of;
    d_add, d_radd => add, "__add__", "__radd__";
    d_sub, d_rsub => sub, "__sub__", "__rsub__";
    d_mul, d_rmul => mul, "__mul__", "__rmul__";
    d_floordiv, d_rfloordiv => floordiv, "__floordiv__", "__rfloordiv__";
    d_truediv, d_rtruediv => truediv, "__truediv__", "__rtruediv__";
    d_mod, d_rmod => rem, "__mod__", "__rmod__";
    d_divmod, d_rdivmod => divmod, "__divmod__", "__rdivmod__";
}

fn unary(vm: &Vm, args: Args, name: &str) -> PyResult<Delta> {
    vm.check_arity(name, args, 1, 1)?;
    delta_of(vm, &args.args[0], name)
}

fn d_neg(vm: &Vm, args: Args) -> PyResult {
    let d = unary(vm, args, "__neg__")?;
    delta_value(vm, -d.total_us())
}

fn d_pos(vm: &Vm, args: Args) -> PyResult {
    let d = unary(vm, args, "__pos__")?;
    Ok(new_delta(vm, d))
}

fn d_abs(vm: &Vm, args: Args) -> PyResult {
    let d = unary(vm, args, "__abs__")?;
    delta_value(vm, d.total_us().abs())
}

fn d_bool(vm: &Vm, args: Args) -> PyResult {
    let d = unary(vm, args, "__bool__")?;
    Ok(Value::Bool(!d.is_zero()))
}

fn d_hash(vm: &Vm, args: Args) -> PyResult {
    let d = unary(vm, args, "__hash__")?;
    Ok(Value::Int(delta_hash(d)))
}

pub fn delta_hash(d: Delta) -> i64 {
    hash_parts(&[d.days as i64, d.secs as i64, d.us as i64])
}

fn d_total_seconds(vm: &Vm, args: Args) -> PyResult {
    let d = unary(vm, args, "total_seconds")?;
    let us = d.total_us();
    if us.abs() < (1i128 << 53) {
        return Ok(Value::Float(us as f64 / 1e6));
    }
    vm.binary_op(&int_value(vm, us), &Value::Int(US_PER_SECOND), BinOp::TrueDivide)
}

fn d_reduce(vm: &Vm, args: Args) -> PyResult {
    let me = &args.args.first().cloned().unwrap_or(Value::None);
    let d = unary(vm, args, "__reduce__")?;
    let cls = Value::Obj(vm.class_of(me).clone());
    let state = vec![Value::Int(d.days as i64), Value::Int(d.secs as i64), Value::Int(d.us as i64)];
    Ok(vm.new_tuple(vec![cls, vm.new_tuple(state)]))
}

pub fn delta_repr_text(type_name: &str, d: Delta) -> String {
    let mut parts = Vec::new();
    if d.days != 0 {
        parts.push(format!("days={}", d.days));
    }
    if d.secs != 0 {
        parts.push(format!("seconds={}", d.secs));
    }
    if d.us != 0 {
        parts.push(format!("microseconds={}", d.us));
    }
    if parts.is_empty() {
        return format!("{type_name}(0)");
    }
    format!("{type_name}({})", parts.join(", "))
}

fn d_repr(vm: &Vm, args: Args) -> PyResult {
    let d = unary(vm, args, "__repr__")?;
    Ok(vm.new_str(delta_repr_text(&vm.type_name_of(&args.args[0]), d)))
}

fn d_str(vm: &Vm, args: Args) -> PyResult {
    let d = unary(vm, args, "__str__")?;
    let mut s = String::new();
    if d.days != 0 {
        s = format!("{} day{}, ", d.days, if d.days.abs() != 1 { "s" } else { "" });
    }
    let (h, m, sec) = (d.secs / 3600, d.secs / 60 % 60, d.secs % 60);
    s.push_str(&format!("{h}:{m:02}:{sec:02}"));
    if d.us != 0 {
        s.push_str(&format!(".{:06}", d.us));
    }
    Ok(vm.new_str(s))
}

fn compare(vm: &Vm, args: Args, op: CmpOp, name: &str) -> PyResult {
    vm.check_arity(name, args, 2, 2)?;
    let a = delta_of(vm, &args.args[0], name)?;
    match super::as_delta(&args.args[1]) {
        Some(b) => Ok(Value::Bool(super::cmp_result(a.cmp(&b), op))),
        None => Ok(vm.not_implemented()),
    }
}

richcmp_methods!(compare);

fn g_days(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(delta_of(vm, v, "days")?.days as i64))
}
fn g_seconds(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(delta_of(vm, v, "seconds")?.secs as i64))
}
fn g_microseconds(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(delta_of(vm, v, "microseconds")?.us as i64))
}

static METHODS: [NativeDef; 30] = [
    NativeDef::staticmethod("__new__", delta_new),
    NativeDef::method("__add__", d_add),
    NativeDef::method("__radd__", d_radd),
    NativeDef::method("__sub__", d_sub),
    NativeDef::method("__rsub__", d_rsub),
    NativeDef::method("__mul__", d_mul),
    NativeDef::method("__rmul__", d_rmul),
    NativeDef::method("__floordiv__", d_floordiv),
    NativeDef::method("__rfloordiv__", d_rfloordiv),
    NativeDef::method("__truediv__", d_truediv),
    NativeDef::method("__rtruediv__", d_rtruediv),
    NativeDef::method("__mod__", d_mod),
    NativeDef::method("__rmod__", d_rmod),
    NativeDef::method("__divmod__", d_divmod),
    NativeDef::method("__rdivmod__", d_rdivmod),
    NativeDef::method("__neg__", d_neg),
    NativeDef::method("__pos__", d_pos),
    NativeDef::method("__abs__", d_abs),
    NativeDef::method("__bool__", d_bool),
    NativeDef::method("__hash__", d_hash),
    NativeDef::method("__repr__", d_repr),
    NativeDef::method("__str__", d_str),
    NativeDef::method("__reduce__", d_reduce),
    NativeDef::method("total_seconds", d_total_seconds).doc("Total seconds in the duration."),
    NativeDef::method("__eq__", cmp_eq),
    NativeDef::method("__ne__", cmp_ne),
    NativeDef::method("__lt__", cmp_lt),
    NativeDef::method("__le__", cmp_le),
    NativeDef::method("__gt__", cmp_gt),
    NativeDef::method("__ge__", cmp_ge),
];

static GETSETS: [GetSetDef; 3] = [
    GetSetDef { name: "days", get: g_days, set: None, doc: "Number of days." },
    GetSetDef { name: "seconds", get: g_seconds, set: None, doc: "Number of seconds (>= 0 and less than 1 day)." },
    GetSetDef { name: "microseconds", get: g_microseconds, set: None, doc: "Number of microseconds (>= 0 and less than 1 second)." },
];

pub static DELTA: TypeSpec = TypeSpec {
    module: "datetime",
    name: "timedelta",
    doc: "Difference between two datetime values.\n\ntimedelta(days=0, seconds=0, microseconds=0, milliseconds=0, minutes=0, hours=0, weeks=0)\n\nAll arguments are optional and default to 0.\nArguments may be integers or floats, and may be positive or negative.",
    layout: Layout::Other,
    flags: type_flags::BASETYPE,
    base: None,
    slots: &[],
    methods: &METHODS,
    more_methods: &[],
    getsets: &GETSETS,
};

/// Class attributes min, max and resolution.
pub fn finish(vm: &Vm, t: &PyRef) {
    let max = Delta { days: MAX_DELTA_DAYS, secs: 86_399, us: 999_999 };
    krait_vm::types::add_attr(vm, t, "min", new_delta(vm, Delta { days: -MAX_DELTA_DAYS, secs: 0, us: 0 }));
    krait_vm::types::add_attr(vm, t, "max", new_delta(vm, max));
    krait_vm::types::add_attr(vm, t, "resolution", new_delta(vm, Delta { days: 0, secs: 0, us: 1 }));
}
