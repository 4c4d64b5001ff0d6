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

#[cfg(test)]
mod tests {
    //! Number behaviour checked against CPython 3.11 (expected strings are
    //! python3's `repr` of the result or "ExcType: message").
    use crate::value::Value;
    use crate::{Args, PyResult, Vm};
    use krait_compiler::bytecode::BinOp;

    fn show(vm: &Vm, r: PyResult) -> String {
        match r {
            Ok(v) => vm.repr_string(&v).unwrap_or_else(|_| "<repr failed>".into()),
            Err(e) => {
                let msg = e
                    .payload
                    .as_exception()
                    .and_then(|d| d.args.get())
                    .and_then(|a| vm.seq_items(&a))
                    .map(|items| match items.as_slice() {
                        [one] => vm.as_str(one).map(str::to_string).unwrap_or_else(|| vm.repr_string(one).unwrap()),
                        [] => String::new(),
                        many => vm.repr_string(&vm.new_tuple(many.to_vec())).unwrap(),
                    })
                    .unwrap_or_default();
                format!("{}: {}", vm.type_name(e.class()), msg)
            }
        }
    }

    fn new(vm: &Vm, typ: &crate::PyRef, args: &[Value]) -> PyResult {
        let f = vm.type_lookup_str(typ, "__new__").unwrap();
        let mut v = vec![Value::Obj(typ.clone())];
        v.extend_from_slice(args);
        vm.call(&f, Args::new(&v))
    }

    fn big(vm: &Vm, s: &str) -> Value {
        vm.new_int(s.parse().unwrap())
    }

    fn method(vm: &Vm, obj: &Value, name: &str, args: &[Value]) -> PyResult {
        let f = vm.type_lookup_str(vm.class_of(obj), name).unwrap();
        let mut v = vec![obj.clone()];
        v.extend_from_slice(args);
        vm.call(&f, Args::new(&v))
    }

    #[test]
    fn int_arithmetic() {
        let vm = Vm::new(Default::default());
        let vm = &*vm;
        let i = Value::Int;
        let cases: Vec<(Value, Value, BinOp, &str)> = vec![
            (i(-7), i(2), BinOp::FloorDivide, "-4"),
            (i(-7), i(2), BinOp::Remainder, "1"),
            (i(1), i(0), BinOp::Remainder, "ZeroDivisionError: integer modulo by zero"),
            (i(1), i(0), BinOp::FloorDivide, "ZeroDivisionError: integer division or modulo by zero"),
            (i(1), i(0), BinOp::TrueDivide, "ZeroDivisionError: division by zero"),
            (i(2), i(-1), BinOp::Power, "0.5"),
            (i(0), i(-1), BinOp::Power, "ZeroDivisionError: 0.0 cannot be raised to a negative power"),
            (i(2), i(100), BinOp::Power, "1267650600228229401496703205376"),
            (i(1), i(-1), BinOp::Lshift, "ValueError: negative shift count"),
            (i(i64::MAX), i(1), BinOp::Add, "9223372036854775808"),
            (i(i64::MIN), i(-1), BinOp::FloorDivide, "9223372036854775808"),
            (Value::Bool(true), Value::Bool(true), BinOp::Add, "2"),
            (Value::Bool(true), Value::Bool(false), BinOp::And, "False"),
            (Value::Bool(true), i(1), BinOp::Or, "1"),
            (i(1), big(vm, "1000000000000000000000000000000000000"), BinOp::Lshift, "MemoryError: "),
        ];
        for (a, b, op, want) in cases {
            assert_eq!(show(vm, vm.binary_op(&a, &b, op)), want, "{a:?} {op:?} {b:?}");
        }
        let p100 = big(vm, "1267650600228229401496703205376");
        let p40 = big(vm, "1099511627776");
        let neg40 = vm.binary_op(&i(0), &p40, BinOp::Subtract).unwrap();
        assert_eq!(show(vm, vm.binary_op(&p100, &neg40, BinOp::FloorDivide)), "-1152921504606846976");
        let negp100 = vm.binary_op(&i(0), &p100, BinOp::Subtract).unwrap();
        assert_eq!(show(vm, vm.binary_op(&negp100, &i(3), BinOp::Rshift)), "-158456325028528675187087900672");
        let p70 = big(vm, "1180591620717411303424");
        assert_eq!(show(vm, vm.binary_op(&i(-5), &p70, BinOp::Xor)), "-1180591620717411303429");
        let p101 = vm.binary_op(&p100, &i(1), BinOp::Add).unwrap();
        assert_eq!(show(vm, vm.binary_op(&p101, &i(3), BinOp::TrueDivide)), "4.2255020007607644e+29");
        assert_eq!(show(vm, vm.hash(&vm.binary_op(&i(2), &i(61), BinOp::Power).unwrap()).map(Value::Int)), "1");
        // pow with modulus, through the dunder.
        assert_eq!(show(vm, method(vm, &i(2), "__pow__", &[i(3), i(-5)])), "-2");
        assert_eq!(show(vm, method(vm, &i(2), "__pow__", &[i(-1), i(5)])), "3");
        assert_eq!(
            show(vm, method(vm, &i(2), "__pow__", &[i(-1), i(4)])),
            "ValueError: base is not invertible for the given modulus"
        );
        assert_eq!(show(vm, method(vm, &i(2), "__pow__", &[i(3), i(0)])), "ValueError: pow() 3rd argument cannot be 0");
        assert_eq!(show(vm, method(vm, &i(15), "__round__", &[i(-1)])), "20");
        assert_eq!(show(vm, method(vm, &i(25), "__round__", &[i(-1)])), "20");
        assert_eq!(show(vm, method(vm, &i(-15), "__round__", &[i(-1)])), "-20");
        assert_eq!(show(vm, method(vm, &i(-5), "bit_count", &[])), "2");
        assert_eq!(show(vm, method(vm, &i(255), "bit_length", &[])), "8");
    }

    #[test]
    fn int_constructor_and_bytes() {
        let vm = Vm::new(Default::default());
        let vm = &*vm;
        let int = vm.types.int.clone();
        let s = |x: &str| vm.new_str(x);
        assert_eq!(show(vm, new(vm, &int, &[s(" 1_0 ")])), "10");
        assert_eq!(show(vm, new(vm, &int, &[s("١٢")])), "12");
        assert_eq!(show(vm, new(vm, &int, &[s("x")])), "ValueError: invalid literal for int() with base 10: 'x'");
        assert_eq!(show(vm, new(vm, &int, &[s("0x10"), Value::Int(0)])), "16");
        assert_eq!(show(vm, new(vm, &int, &[s("010"), Value::Int(0)])), "ValueError: invalid literal for int() with base 0: '010'");
        assert_eq!(show(vm, new(vm, &int, &[Value::Float(1.5), Value::Int(10)])), "TypeError: int() can't convert non-string with explicit base");
        assert_eq!(show(vm, new(vm, &int, &[s("10"), Value::Int(1)])), "ValueError: int() base must be >= 2 and <= 36, or 0");
        assert_eq!(show(vm, new(vm, &int, &[Value::Float(-2.7)])), "-2");
        assert_eq!(show(vm, new(vm, &int, &[Value::Float(f64::NAN)])), "ValueError: cannot convert float NaN to integer");
        assert_eq!(show(vm, new(vm, &int, &[Value::Float(f64::INFINITY)])), "OverflowError: cannot convert float infinity to integer");
        assert_eq!(show(vm, new(vm, &int, &[vm.new_list(vec![])])), "TypeError: int() argument must be a string, a bytes-like object or a real number, not 'list'");
        let i = Value::Int;
        assert_eq!(show(vm, method(vm, &i(255), "to_bytes", &[])), "b'\\xff'");
        assert_eq!(show(vm, method(vm, &i(256), "to_bytes", &[])), "OverflowError: int too big to convert");
        assert_eq!(show(vm, method(vm, &i(-1), "to_bytes", &[])), "OverflowError: can't convert negative int to unsigned");
        assert_eq!(show(vm, method(vm, &i(5), "to_bytes", &[i(2), s("little")])), "b'\\x05\\x00'");
        let from = vm.type_lookup_str(&int, "from_bytes").unwrap();
        let r = vm.call(&from, Args::new(&[vm.new_bytes(vec![1u8, 2])]));
        assert_eq!(show(vm, r), "258");
    }

    #[test]
    fn float_behaviour() {
        let vm = Vm::new(Default::default());
        let vm = &*vm;
        let f = Value::Float;
        let i = Value::Int;
        let cases: Vec<(Value, Value, BinOp, &str)> = vec![
            (f(1.0), i(0), BinOp::TrueDivide, "ZeroDivisionError: float division by zero"),
            (f(1.0), i(0), BinOp::Remainder, "ZeroDivisionError: float modulo"),
            (f(1.0), i(0), BinOp::FloorDivide, "ZeroDivisionError: float floor division by zero"),
            (i(-7), f(2.0), BinOp::FloorDivide, "-4.0"),
            (i(-7), f(2.5), BinOp::Remainder, "0.5"),
            (f(-8.0), f(1.0 / 3.0), BinOp::Power, "(1.0000000000000002+1.7320508075688772j)"),
            (f(2.0), i(10000), BinOp::Power, "OverflowError: (34, 'Numerical result out of range')"),
            (f(0.1), f(0.2), BinOp::Add, "0.30000000000000004"),
            (f(1e16), f(1.0), BinOp::Multiply, "1e+16"),
        ];
        for (a, b, op, want) in cases {
            assert_eq!(show(vm, vm.binary_op(&a, &b, op)), want, "{a:?} {op:?} {b:?}");
        }
        let p400 = vm.binary_op(&i(10), &i(400), BinOp::Power).unwrap();
        assert_eq!(show(vm, vm.binary_op(&p400, &f(1.0), BinOp::Multiply)), "OverflowError: int too large to convert to float");
        // Exact comparisons with big ints.
        let p53 = vm.binary_op(&i(2), &i(53), BinOp::Power).unwrap();
        let p53_1 = vm.binary_op(&p53, &i(1), BinOp::Add).unwrap();
        let gt = vm.compare(&p53_1, &f(9007199254740992.0), krait_compiler::bytecode::CmpOp::Gt).unwrap();
        assert_eq!(show(vm, Ok(gt)), "True");
        let lt = vm.compare(&f(1e308), &p400, krait_compiler::bytecode::CmpOp::Lt).unwrap();
        assert_eq!(show(vm, Ok(lt)), "True");
        let float = vm.types.float.clone();
        let s = |x: &str| vm.new_str(x);
        assert_eq!(show(vm, new(vm, &float, &[s("  1_0.5  ")])), "10.5");
        assert_eq!(show(vm, new(vm, &float, &[s("1__0")])), "ValueError: could not convert string to float: '1__0'");
        assert_eq!(show(vm, new(vm, &float, &[s("-infinity")])), "-inf");
        assert_eq!(show(vm, method(vm, &f(2.5), "__round__", &[])), "2");
        assert_eq!(show(vm, method(vm, &f(2.675), "__round__", &[i(2)])), "2.67");
        assert_eq!(show(vm, method(vm, &f(1.5), "as_integer_ratio", &[])), "(3, 2)");
        assert_eq!(show(vm, method(vm, &f(-0.0), "hex", &[])), "'-0x0.0p+0'");
        assert_eq!(show(vm, method(vm, &f(1.5), "__format__", &[s(".3f")])), "'1.500'");
        assert_eq!(show(vm, method(vm, &f(1.5), "__format__", &[s("x")])), "ValueError: Unknown format code 'x' for object of type 'float'");
        assert_eq!(show(vm, vm.hash(&f(1.5)).map(Value::Int)), "1152921504606846977");
    }

    #[test]
    fn complex_behaviour() {
        let vm = Vm::new(Default::default());
        let vm = &*vm;
        let c = |re, im| vm.new_complex(re, im);
        let i = Value::Int;
        assert_eq!(show(vm, vm.binary_op(&c(1.0, 2.0), &i(10), BinOp::Power)), "(237-3116j)");
        assert_eq!(show(vm, vm.binary_op(&c(1.0, 2.0), &Value::Float(0.5), BinOp::Power)), "(1.272019649514069+0.7861513777574233j)");
        assert_eq!(show(vm, vm.binary_op(&c(0.0, 1.0), &i(0), BinOp::TrueDivide)), "ZeroDivisionError: complex division by zero");
        assert_eq!(show(vm, vm.binary_op(&c(0.0, 0.0), &i(-1), BinOp::Power)), "ZeroDivisionError: 0.0 to a negative or complex power");
        assert_eq!(
            show(vm, vm.binary_op(&c(1.0, 2.0), &i(1), BinOp::FloorDivide)),
            "TypeError: unsupported operand type(s) for //: 'complex' and 'int'"
        );
        assert_eq!(show(vm, Ok(c(-0.0, -0.0))), "(-0-0j)");
        assert_eq!(show(vm, Ok(c(f64::NAN, f64::INFINITY))), "(nan+infj)");
        let complex = vm.types.complex.clone();
        let s = |x: &str| vm.new_str(x);
        assert_eq!(show(vm, new(vm, &complex, &[s("1+2j")])), "(1+2j)");
        assert_eq!(show(vm, new(vm, &complex, &[s("j")])), "1j");
        assert_eq!(show(vm, new(vm, &complex, &[s(" (1-2j) ")])), "(1-2j)");
        assert_eq!(show(vm, new(vm, &complex, &[s("-1.5e3-infj")])), "(-1500-infj)");
        assert_eq!(show(vm, new(vm, &complex, &[s("x")])), "ValueError: complex() arg is a malformed string");
        assert_eq!(show(vm, new(vm, &complex, &[s("1"), i(2)])), "TypeError: complex() can't take second arg if first is a string");
        assert_eq!(show(vm, new(vm, &complex, &[i(1), c(0.0, 1.0)])), "0j");
        assert_eq!(show(vm, vm.hash(&c(0.0, 1.0)).map(Value::Int)), "1000003");
        let eq = vm.compare(&c(1.0, 0.0), &i(1), krait_compiler::bytecode::CmpOp::Eq).unwrap();
        assert_eq!(show(vm, Ok(eq)), "True");
        assert_eq!(show(vm, method(vm, &c(3.0, 4.0), "__abs__", &[])), "5.0");
        assert_eq!(show(vm, method(vm, &c(1.0, 2.0), "__format__", &[s(".2f")])), "'1.00+2.00j'");
    }
}
