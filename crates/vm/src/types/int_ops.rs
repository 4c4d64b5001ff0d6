//! The arithmetic, bitwise and comparison dunders of `int`, with Python's
//! semantics: floor division and modulo take the divisor's sign, shifts and
//! bitwise operators act on two's complement of unbounded width, `/` is
//! correctly rounded, `**` with a negative exponent gives a float and the
//! three-argument form supports modular inverses.
//!
//! Each operation tries i64 arithmetic first (the common case when called
//! through the dunder, e.g. on bools or from `sum`) and falls back to dashu
//! big integers. Operands of other types get NotImplemented: float and
//! complex handle mixed arithmetic from their reflected methods.

use crate::types::function::NativeDef;
use crate::types::int::{binary_args, fmt_err, int_of, small_int, unary_arg, MAX_INT_BITS};
use crate::value::Value;
use crate::{Args, PyResult, Vm};
use dashu_int::ops::{BitTest, UnsignedAbs};
use dashu_int::{IBig, UBig};
use krait_text::format as tfmt;

/// The binary integer operations, for the shared dispatch below.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum IntOp {
    Add,
    Sub,
    Mul,
    FloorDiv,
    Mod,
    DivMod,
    TrueDiv,
    Pow,
    LShift,
    RShift,
    And,
    Or,
    Xor,
}

/// `a op b` for two ints given as values (int, bool, int subclasses).
/// Returns None if either operand is not an int.
pub fn int_binary(vm: &Vm, a: &Value, b: &Value, op: IntOp) -> Option<PyResult> {
    if let (Some(x), Some(y)) = (small_int(a), small_int(b)) {
        if let Some(r) = small_binary(vm, x, y, op) {
            return Some(r);
        }
    }
    let x = int_of(a)?;
    let y = int_of(b)?;
    Some(big_binary(vm, &x, &y, op))
}

/// The i64 fast path; None when the result needs big arithmetic (overflow)
/// or the slow path's error handling.
fn small_binary(vm: &Vm, x: i64, y: i64, op: IntOp) -> Option<PyResult> {
    let v = match op {
        IntOp::Add => Value::Int(x.checked_add(y)?),
        IntOp::Sub => Value::Int(x.checked_sub(y)?),
        IntOp::Mul => Value::Int(x.checked_mul(y)?),
        IntOp::And => Value::Int(x & y),
        IntOp::Or => Value::Int(x | y),
        IntOp::Xor => Value::Int(x ^ y),
        IntOp::FloorDiv | IntOp::Mod | IntOp::DivMod if y != 0 && !(x == i64::MIN && y == -1) => {
            let (mut q, mut r) = (x / y, x % y);
            if r != 0 && ((r < 0) != (y < 0)) {
                q -= 1;
                r += y;
            }
            match op {
                IntOp::FloorDiv => Value::Int(q),
                IntOp::Mod => Value::Int(r),
                _ => vm.new_tuple(vec![Value::Int(q), Value::Int(r)]),
            }
        }
        IntOp::TrueDiv if y != 0 && x.unsigned_abs() < (1 << 53) && y.unsigned_abs() < (1 << 53) => {
            // Both exactly representable: one correctly rounded division.
            Value::Float(x as f64 / y as f64)
        }
        IntOp::Pow if (0..64).contains(&y) => Value::Int(x.checked_pow(y as u32)?),
        IntOp::RShift if y >= 0 => Value::Int(if y >= 64 { if x < 0 { -1 } else { 0 } } else { x >> y }),
        IntOp::LShift if (0..63).contains(&y) => {
            let r = x.checked_shl(y as u32)?;
            if (r >> y) != x {
                return None;
            }
            Value::Int(r)
        }
        _ => return None,
    };
    Some(Ok(v))
}

fn zero_div(vm: &Vm, op: IntOp) -> crate::PyErr {
    vm.new_zero_division_error(match op {
        IntOp::Mod => "integer modulo by zero",
        IntOp::TrueDiv => "division by zero",
        _ => "integer division or modulo by zero",
    })
}

/// `a op b` on big integers.
pub fn big_binary(vm: &Vm, x: &IBig, y: &IBig, op: IntOp) -> PyResult {
    let zero = IBig::ZERO;
    Ok(match op {
        IntOp::Add => vm.new_int(x + y),
        IntOp::Sub => vm.new_int(x - y),
        IntOp::Mul => {
            if x.unsigned_abs().bit_len() + y.unsigned_abs().bit_len() > MAX_INT_BITS {
                return Err(vm.new_memory_error());
            }
            vm.new_int(x * y)
        }
        IntOp::And => vm.new_int(x & y),
        IntOp::Or => vm.new_int(x | y),
        IntOp::Xor => vm.new_int(x ^ y),
        IntOp::FloorDiv | IntOp::Mod | IntOp::DivMod => {
            if *y == zero {
                return Err(zero_div(vm, op));
            }
            let (q, r) = crate::types::int::floor_divmod(x, y);
            match op {
                IntOp::FloorDiv => vm.new_int(q),
                IntOp::Mod => vm.new_int(r),
                _ => vm.new_tuple(vec![vm.new_int(q), vm.new_int(r)]),
            }
        }
        IntOp::TrueDiv => Value::Float(tfmt::int_true_divide(x, y).map_err(|e| fmt_err(vm, e))?),
        IntOp::Pow => return int_pow(vm, x, y, None),
        IntOp::LShift => return int_lshift(vm, x, y),
        IntOp::RShift => {
            if *y < zero {
                return Err(vm.new_value_error("negative shift count"));
            }
            match usize::try_from(y) {
                Ok(n) if n < MAX_INT_BITS * 2 => vm.new_int(x >> n),
                _ => Value::Int(if *x < zero { -1 } else { 0 }),
            }
        }
    })
}

fn int_lshift(vm: &Vm, x: &IBig, y: &IBig) -> PyResult {
    if *y < IBig::ZERO {
        return Err(vm.new_value_error("negative shift count"));
    }
    if *x == IBig::ZERO {
        return Ok(Value::Int(0));
    }
    match usize::try_from(y) {
        Ok(n) if n <= MAX_INT_BITS && x.unsigned_abs().bit_len() + n <= MAX_INT_BITS => Ok(vm.new_int(x << n)),
        _ => Err(vm.new_memory_error()),
    }
}

/// `pow(x, y[, m])` for ints.
pub fn int_pow(vm: &Vm, x: &IBig, y: &IBig, m: Option<&IBig>) -> PyResult {
    if let Some(m) = m {
        return int_pow_mod(vm, x, y, m);
    }
    if *y < IBig::ZERO {
        // A negative exponent: the result is float(x) ** float(y).
        let fx = tfmt::ibig_to_f64(x).map_err(|e| fmt_err(vm, e))?;
        let fy = tfmt::ibig_to_f64(y).map_err(|e| fmt_err(vm, e))?;
        return match tfmt::float_pow(fx, fy).map_err(|e| fmt_err(vm, e))? {
            tfmt::PowResult::Float(f) => Ok(Value::Float(f)),
            // Integer exponents never need a complex result.
            tfmt::PowResult::NeedsComplex => Ok(Value::Float(f64::NAN)),
        };
    }
    let mag = x.unsigned_abs();
    if mag <= UBig::ONE {
        // 0, 1 and -1 to any power, without looking at the exponent's size.
        if *x == IBig::ZERO {
            return Ok(Value::Int(if *y == IBig::ZERO { 1 } else { 0 }));
        }
        if *x == IBig::ONE {
            return Ok(Value::Int(1));
        }
        let odd = (y & IBig::ONE) == IBig::ONE;
        return Ok(Value::Int(if odd { -1 } else { 1 }));
    }
    let e = match usize::try_from(y) {
        Ok(e) => e,
        Err(_) => return Err(vm.new_memory_error()),
    };
    let bits = (mag.bit_len() as u128 - 1) * e as u128;
    if bits > MAX_INT_BITS as u128 {
        return Err(vm.new_memory_error());
    }
    Ok(vm.new_int(x.pow(e)))
}

fn int_pow_mod(vm: &Vm, x: &IBig, y: &IBig, m: &IBig) -> PyResult {
    use dashu_int::fast_div::ConstDivisor;
    if *m == IBig::ZERO {
        return Err(vm.new_value_error("pow() 3rd argument cannot be 0"));
    }
    let negative_mod = *m < IBig::ZERO;
    let mabs = m.unsigned_abs();
    if mabs == UBig::ONE {
        return Ok(Value::Int(0));
    }
    let ring = ConstDivisor::new(mabs.clone());
    let mut base = ring.reduce(x.clone());
    if *y < IBig::ZERO {
        base = match base.inv() {
            Some(b) => b,
            None => return Err(vm.new_value_error("base is not invertible for the given modulus")),
        };
    }
    let r = base.pow(&y.unsigned_abs()).residue();
    let r = IBig::from(r);
    // The result takes the modulus's sign, as `%` does.
    let r = if negative_mod && r != IBig::ZERO { r - IBig::from(mabs) } else { r };
    Ok(vm.new_int(r))
}

/// `int.__pow__(self, other, mod=None)` / `__rpow__`.
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
    let (a, b) = if reflected { (&args.args[1], &args.args[0]) } else { (&args.args[0], &args.args[1]) };
    let m = args.args.get(2).filter(|m| !m.is_none());
    let (x, y) = match (int_of(a), int_of(b)) {
        (Some(x), Some(y)) => (x, y),
        _ => return Ok(vm.not_implemented()),
    };
    match m {
        None => {
            if let (Some(sx), Some(sy)) = (small_int(a), small_int(b)) {
                if let Some(r) = small_binary(vm, sx, sy, IntOp::Pow) {
                    return r;
                }
            }
            int_pow(vm, &x, &y, None)
        }
        Some(m) => match int_of(m) {
            Some(mi) => int_pow(vm, &x, &y, Some(&mi)),
            None => Ok(vm.not_implemented()),
        },
    }
}

fn int_pow_fn(vm: &Vm, args: Args) -> PyResult {
    pow_impl(vm, args, false)
}
fn int_rpow_fn(vm: &Vm, args: Args) -> PyResult {
    pow_impl(vm, args, true)
}

macro_rules! int_binops {
    ($($fname:ident, $rfname:ident, $dunder:literal, $rdunder:literal, $op:expr;)*) => {
        $(
            fn $fname(vm: &Vm, args: Args) -> PyResult {
                let (a, b) = binary_args(vm, $dunder, &args)?;
                match int_binary(vm, a, b, $op) {
                    Some(r) => r,
                    None => Ok(vm.not_implemented()),
                }
            }
            fn $rfname(vm: &Vm, args: Args) -> PyResult {
                let (a, b) = binary_args(vm, $rdunder, &args)?;
                match int_binary(vm, b, a, $op) {
                    Some(r) => r,
                    None => Ok(vm.not_implemented()),
                }
            }
        )*
        static INT_BINOPS: &[NativeDef] = &[
            $(NativeDef::method($dunder, $fname), NativeDef::method($rdunder, $rfname),)*
        ];
    };
}

int_binops! {
    int_add, int_radd, "__add__", "__radd__", IntOp::Add;
    int_sub, int_rsub, "__sub__", "__rsub__", IntOp::Sub;
    int_mul, int_rmul, "__mul__", "__rmul__", IntOp::Mul;
    int_floordiv, int_rfloordiv, "__floordiv__", "__rfloordiv__", IntOp::FloorDiv;
    int_mod, int_rmod, "__mod__", "__rmod__", IntOp::Mod;
    int_divmod, int_rdivmod, "__divmod__", "__rdivmod__", IntOp::DivMod;
    int_truediv, int_rtruediv, "__truediv__", "__rtruediv__", IntOp::TrueDiv;
    int_lshift_fn, int_rlshift_fn, "__lshift__", "__rlshift__", IntOp::LShift;
    int_rshift_fn, int_rrshift_fn, "__rshift__", "__rrshift__", IntOp::RShift;
    int_and, int_rand, "__and__", "__rand__", IntOp::And;
    int_or, int_ror, "__or__", "__ror__", IntOp::Or;
    int_xor, int_rxor, "__xor__", "__rxor__", IntOp::Xor;
}

// Unary operators.
fn int_neg(vm: &Vm, args: Args) -> PyResult {
    let v = unary_arg(vm, "__neg__", &args)?;
    if let Some(i) = small_int(v) {
        if let Some(n) = i.checked_neg() {
            return Ok(Value::Int(n));
        }
    }
    Ok(vm.new_int(-int_of(v).unwrap_or_default()))
}
fn int_pos(vm: &Vm, args: Args) -> PyResult {
    let v = unary_arg(vm, "__pos__", &args)?;
    if let Some(i) = small_int(v) {
        return Ok(Value::Int(i));
    }
    Ok(vm.new_int(int_of(v).unwrap_or_default()))
}
fn int_abs(vm: &Vm, args: Args) -> PyResult {
    let v = unary_arg(vm, "__abs__", &args)?;
    if let Some(i) = small_int(v) {
        if let Some(n) = i.checked_abs() {
            return Ok(Value::Int(n));
        }
    }
    Ok(vm.new_int(IBig::from(int_of(v).unwrap_or_default().unsigned_abs())))
}
fn int_invert(vm: &Vm, args: Args) -> PyResult {
    let v = unary_arg(vm, "__invert__", &args)?;
    if let Some(i) = small_int(v) {
        return Ok(Value::Int(!i));
    }
    Ok(vm.new_int(-int_of(v).unwrap_or_default() - IBig::ONE))
}

/// Comparison of two ints; NotImplemented for anything else (float handles
/// int comparisons from its reflected side, exactly).
fn compare(vm: &Vm, args: Args, name: &str, test: fn(std::cmp::Ordering) -> bool) -> PyResult {
    let (a, b) = binary_args(vm, name, &args)?;
    let ord = match (small_int(a), small_int(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => match (int_of(a), int_of(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => return Ok(vm.not_implemented()),
        },
    };
    Ok(Value::Bool(test(ord)))
}
fn int_eq(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__eq__", |o| o.is_eq())
}
fn int_ne(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__ne__", |o| o.is_ne())
}
fn int_lt(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__lt__", |o| o.is_lt())
}
fn int_le(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__le__", |o| o.is_le())
}
fn int_gt(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__gt__", |o| o.is_gt())
}
fn int_ge(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__ge__", |o| o.is_ge())
}

static INT_OTHER_OPS: [NativeDef; 12] = [
    NativeDef::method("__pow__", int_pow_fn),
    NativeDef::method("__rpow__", int_rpow_fn),
    NativeDef::method("__neg__", int_neg),
    NativeDef::method("__pos__", int_pos),
    NativeDef::method("__abs__", int_abs),
    NativeDef::method("__invert__", int_invert),
    NativeDef::method("__eq__", int_eq),
    NativeDef::method("__ne__", int_ne),
    NativeDef::method("__lt__", int_lt),
    NativeDef::method("__le__", int_le),
    NativeDef::method("__gt__", int_gt),
    NativeDef::method("__ge__", int_ge),
];

pub fn init(vm: &Vm) {
    crate::types::add_methods(vm, &vm.types.int, INT_BINOPS);
    crate::types::add_methods(vm, &vm.types.int, &INT_OTHER_OPS);
}
