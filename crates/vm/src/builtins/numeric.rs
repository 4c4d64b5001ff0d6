//! Numeric and reducing builtins: abs, round, divmod, pow, sum, min, max,
//! sorted, any, all. Unboxed ints and floats take native fast paths; every
//! other value goes through its special methods as in CPython.

use crate::payload::Payload;
use crate::types::typeobj::Slot;
use crate::value::Value;
use crate::{Args, NativeDef, PyResult, Vm};
use dashu_int::IBig;
use krait_compiler::bytecode::{BinOp, CmpOp};

pub static FUNCTIONS: &[NativeDef] = &[
    NativeDef::function("abs", abs).doc(super::docs::ABS),
    NativeDef::function("round", round).doc(super::docs::ROUND),
    NativeDef::function("divmod", divmod).doc(super::docs::DIVMOD),
    NativeDef::function("pow", pow).doc(super::docs::POW),
    NativeDef::function("sum", sum).doc(super::docs::SUM),
    NativeDef::function("min", min).doc(super::docs::MIN),
    NativeDef::function("max", max).doc(super::docs::MAX),
    NativeDef::function("sorted", sorted).doc(super::docs::SORTED),
    NativeDef::function("any", any).doc(super::docs::ANY),
    NativeDef::function("all", all).doc(super::docs::ALL),
];

fn abs(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("abs", args, 1, 1)?;
    let v = &args.args[0];
    match v {
        Value::Int(i) => Ok(match i.checked_abs() {
            Some(a) => Value::Int(a),
            None => vm.new_int(-IBig::from(*i)),
        }),
        Value::Bool(b) => Ok(Value::Int(*b as i64)),
        Value::Float(f) => Ok(Value::Float(f.abs())),
        _ => match vm.call_special(v, Slot::Abs, &[])? {
            Some(r) => Ok(r),
            None => Err(vm.new_type_error(format!("bad operand type for abs(): '{}'", vm.type_name_of(v)))),
        },
    }
}

/// The exact integer value of a finite float (`int(f)` after rounding).
pub fn float_to_int(vm: &Vm, f: f64) -> PyResult {
    if f.is_nan() {
        return Err(vm.new_value_error("cannot convert float NaN to integer"));
    }
    if f.is_infinite() {
        return Err(vm.new_overflow_error("cannot convert float infinity to integer"));
    }
    if f.abs() < 9.0e18 {
        return Ok(Value::Int(f as i64));
    }
    // |f| >= 2**63: an integer; mantissa times a power of two.
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64 - 1075;
    let mant = (bits & ((1u64 << 52) - 1)) | (1u64 << 52);
    let mag = IBig::from(mant) << (exp as usize);
    Ok(vm.new_int(if f < 0.0 { -mag } else { mag }))
}

fn round(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("round", args, &["number", "ndigits"], 0, 1, None)?;
    let number = b[0].clone().unwrap();
    let ndigits = b[1].clone().filter(|v| !v.is_none());
    match (&number, &ndigits) {
        (Value::Int(_), None) => return Ok(number.clone()),
        (Value::Bool(x), None) => return Ok(Value::Int(*x as i64)),
        (Value::Float(f), None) => return float_to_int(vm, f.round_ties_even()),
        _ => {}
    }
    let f = match vm.special(&number, Slot::Round) {
        Some(f) => f,
        None => {
            return Err(vm.new_type_error(format!(
                "type {} doesn't define __round__ method",
                vm.type_name_of(&number)
            )));
        }
    };
    match ndigits {
        None => vm.call_unbound(&f, &number, &[]),
        Some(n) => vm.call_unbound(&f, &number, &[n]),
    }
}

/// Floor division and modulo of machine ints (None when the result overflows
/// or the divisor is zero: the int type's method then raises or goes big).
fn int_divmod(x: i64, y: i64) -> Option<(i64, i64)> {
    if y == 0 || (x == i64::MIN && y == -1) {
        return None;
    }
    let (mut q, mut r) = (x / y, x % y);
    if r != 0 && ((r < 0) != (y < 0)) {
        q -= 1;
        r += y;
    }
    Some((q, r))
}

fn divmod(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("divmod", args, 2, 2)?;
    let (a, b) = (&args.args[0], &args.args[1]);
    if let (Value::Int(x), Value::Int(y)) = (a, b) {
        if let Some((q, r)) = int_divmod(*x, *y) {
            return Ok(vm.new_tuple(vec![Value::Int(q), Value::Int(r)]));
        }
    }
    match vm.binary_op1(a, b, Slot::DivMod, Slot::RDivMod)? {
        Some(r) => Ok(r),
        None => Err(vm.new_type_error(format!(
            "unsupported operand type(s) for divmod(): '{}' and '{}'",
            vm.type_name_of(a),
            vm.type_name_of(b)
        ))),
    }
}

/// `base ** exp % m` for machine ints, exp >= 0, m != 0 (Python's sign rules:
/// the result has the sign of `m`).
fn modpow(base: i64, mut exp: i64, m: i64) -> i64 {
    let m128 = m as i128;
    let mut result: i128 = 1 % m128.abs();
    let mut b = (base as i128).rem_euclid(m128.abs());
    while exp > 0 {
        if exp & 1 == 1 {
            result = result * b % m128.abs();
        }
        b = b * b % m128.abs();
        exp >>= 1;
    }
    if m < 0 && result != 0 {
        result += m128;
    }
    result as i64
}

/// The inverse of `a` modulo `m` (m > 0), if any.
fn mod_inverse(a: i64, m: i64) -> Option<i64> {
    let (mut old_r, mut r) = ((a as i128).rem_euclid(m as i128), m as i128);
    let (mut old_s, mut s) = (1i128, 0i128);
    while r != 0 {
        let q = old_r / r;
        (old_r, r) = (r, old_r - q * r);
        (old_s, s) = (s, old_s - q * s);
    }
    if old_r != 1 {
        return None;
    }
    Some(old_s.rem_euclid(m as i128) as i64)
}

fn pow(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("pow", args, &["base", "exp", "mod"], 0, 2, None)?;
    let (base, exp) = (b[0].clone().unwrap(), b[1].clone().unwrap());
    let modulus = b[2].clone().filter(|m| !m.is_none());
    let modulus = match modulus {
        None => {
            if let Some(r) = vm.fast_binary_op(&base, &exp, BinOp::Power) {
                return r;
            }
            return match vm.binary_op1(&base, &exp, Slot::Pow, Slot::RPow)? {
                Some(r) => Ok(r),
                None => Err(vm.new_type_error(format!(
                    "unsupported operand type(s) for ** or pow(): '{}' and '{}'",
                    vm.type_name_of(&base),
                    vm.type_name_of(&exp)
                ))),
            };
        }
        Some(m) => m,
    };
    if let (Value::Int(x), Value::Int(e), Value::Int(m)) = (&base, &exp, &modulus) {
        let (x, e, m) = (*x, *e, *m);
        if m == 0 {
            return Err(vm.new_value_error("pow() 3rd argument cannot be 0"));
        }
        if m != i64::MIN && e != i64::MIN {
            if e >= 0 {
                return Ok(Value::Int(modpow(x, e, m)));
            }
            return match mod_inverse(x, m.abs()) {
                Some(inv) => Ok(Value::Int(modpow(inv, -e, m))),
                None => Err(vm.new_value_error("base is not invertible for the given modulus")),
            };
        }
    }
    // Three-argument power only asks the base (CPython does not call __rpow__ here).
    if let Some(f) = vm.special(&base, Slot::Pow) {
        let r = vm.call_unbound(&f, &base, &[exp.clone(), modulus.clone()])?;
        if !vm.is_not_implemented(&r) {
            return Ok(r);
        }
    }
    // CPython then tries the exponent's and the modulus's types: float and complex
    // refuse a modulus with their own errors; other types decline.
    for v in [&exp, &modulus] {
        match v {
            Value::Float(_) => return Err(pow_mod_float_error(vm)),
            Value::Obj(o) => match o.payload.base() {
                Payload::Float(_) => return Err(pow_mod_float_error(vm)),
                Payload::Complex(_) => return Err(vm.new_value_error("complex modulo")),
                _ => {}
            },
            _ => {}
        }
    }
    Err(vm.new_type_error(format!(
        "unsupported operand type(s) for ** or pow(): '{}', '{}', '{}'",
        vm.type_name_of(&base),
        vm.type_name_of(&exp),
        vm.type_name_of(&modulus)
    )))
}

fn pow_mod_float_error(vm: &Vm) -> crate::PyErr {
    vm.new_type_error("pow() 3rd argument not allowed unless all arguments are integers")
}

fn sum(vm: &Vm, args: Args) -> PyResult {
    let (iterable, start) = match args.args {
        // `sum(xs)`: nothing to bind.
        [xs] if args.kwnames.is_empty() => (xs.clone(), Value::Int(0)),
        _ => {
            // `iterable` is positional-only: `sum(iterable=xs)` fails too.
            if args.positional().is_empty() {
                return Err(vm.new_type_error(format!(
                    "sum() takes at least 1 positional argument ({} given)",
                    args.positional().len()
                )));
            }
            let mut b = vm.bind_native("sum", args, &["iterable", "start"], 1, 1, None)?;
            let start = b[1].take().unwrap_or(Value::Int(0));
            (b[0].take().unwrap_or(Value::None), start)
        }
    };
    if let Some(p) = start.payload().map(|p| p.base()) {
        let what = match p {
            Payload::Str(_) => Some("sum() can't sum strings [use ''.join(seq) instead]"),
            Payload::Bytes(_) => Some("sum() can't sum bytes [use b''.join(seq) instead]"),
            Payload::ByteArray(_) => Some("sum() can't sum bytearray [use b''.join(seq) instead]"),
            _ => None,
        };
        if let Some(msg) = what {
            return Err(vm.new_type_error(msg));
        }
    }
    let mut items = Items::new(vm, &iterable)?;
    let mut acc = start;
    // Machine-int phase: exact ints (and bools) added without overflow.
    // (A bool start is not an exact int: CPython keeps `sum([], True)` True.)
    if let Value::Int(start) = acc {
        let mut total: i64 = start;
        loop {
            let item = match items.next(vm)? {
                Some(x) => x,
                None => return Ok(Value::Int(total)),
            };
            let add = match item {
                Value::Int(i) => total.checked_add(i),
                Value::Bool(b) => total.checked_add(b as i64),
                _ => None,
            };
            match add {
                Some(t) => total = t,
                None => {
                    // Continue generically (or in floats) from here.
                    acc = match item {
                        Value::Float(f) => Value::Float(total as f64 + f),
                        _ => vm.binary_op(&Value::Int(total), &item, BinOp::Add)?,
                    };
                    break;
                }
            }
        }
    }
    // Float phase: plain double accumulation, as CPython 3.11.
    if let Value::Float(mut total) = acc {
        loop {
            let item = match items.next(vm)? {
                Some(x) => x,
                None => return Ok(Value::Float(total)),
            };
            match item {
                Value::Float(f) => total += f,
                Value::Int(i) => total += i as f64,
                Value::Bool(b) => total += b as i64 as f64,
                _ => {
                    acc = vm.binary_op(&Value::Float(total), &item, BinOp::Add)?;
                    break;
                }
            }
        }
    }
    while let Some(item) = items.next(vm)? {
        acc = vm.binary_op(&acc, &item, BinOp::Add)?;
    }
    Ok(acc)
}

/// The items of an iterable as a native loop takes them: an exact list or
/// tuple read by index (what its iterator would do, without making one; a
/// list that grows or shrinks meanwhile is seen as its iterator sees it),
/// anything else through its iterator.
enum Items {
    List(Value, usize),
    Tuple(Value, usize),
    Iter(Value),
}

impl Items {
    fn new(vm: &Vm, iterable: &Value) -> PyResult<Items> {
        Ok(match iterable {
            Value::Obj(o) if o.class().is(&vm.types.list) => Items::List(iterable.clone(), 0),
            Value::Obj(o) if o.class().is(&vm.types.tuple) => Items::Tuple(iterable.clone(), 0),
            _ => Items::Iter(vm.iter(iterable)?),
        })
    }

    #[inline]
    fn next(&mut self, vm: &Vm) -> PyResult<Option<Value>> {
        match self {
            Items::List(l, i) => {
                let x = l.payload().and_then(|p| p.as_list()).and_then(|c| c.borrow().get(*i).cloned());
                *i += x.is_some() as usize;
                Ok(x)
            }
            Items::Tuple(t, i) => {
                let x = t.payload().and_then(|p| p.as_tuple()).and_then(|items| items.get(*i).cloned());
                *i += x.is_some() as usize;
                Ok(x)
            }
            Items::Iter(it) => vm.next(it),
        }
    }
}

/// min() and max(): one iterable or several arguments, `key=`, `default=`.
fn min_max(vm: &Vm, args: Args, name: &str, op: CmpOp) -> PyResult {
    let (mut key, mut default) = (None, None);
    for (k, v) in args.keywords() {
        match vm.as_str(k).unwrap_or("") {
            "key" => key = Some(v.clone()).filter(|v| !v.is_none()),
            "default" => default = Some(v.clone()),
            other => {
                return Err(vm.new_type_error(format!("'{other}' is an invalid keyword argument for {name}()")));
            }
        }
    }
    let pos = args.positional();
    if pos.is_empty() {
        return Err(vm.new_type_error(format!("{name} expected at least 1 argument, got 0")));
    }
    if pos.len() > 1 && default.is_some() {
        return Err(vm.new_type_error(format!(
            "Cannot specify a default for {name}() with multiple positional arguments"
        )));
    }
    let it = if pos.len() == 1 { vm.iter(&pos[0])? } else { vm.iter(&vm.new_tuple(pos.to_vec()))? };
    let mut best: Option<(Value, Value)> = None;
    while let Some(item) = vm.next(&it)? {
        let k = match &key {
            Some(f) => vm.call1(f, &[item.clone()])?,
            None => item.clone(),
        };
        let replace = match &best {
            None => true,
            Some((_, bk)) => crate::types::tuple::compare_bool(vm, &k, bk, op)?,
        };
        if replace {
            best = Some((item, k));
        }
    }
    match best {
        Some((item, _)) => Ok(item),
        None => match default {
            Some(d) => Ok(d),
            None => Err(vm.new_value_error(format!("{name}() arg is an empty sequence"))),
        },
    }
}

fn min(vm: &Vm, args: Args) -> PyResult {
    min_max(vm, args, "min", CmpOp::Lt)
}

fn max(vm: &Vm, args: Args) -> PyResult {
    min_max(vm, args, "max", CmpOp::Gt)
}

fn sorted(vm: &Vm, args: Args) -> PyResult {
    let pos = args.positional();
    if pos.len() != 1 {
        return Err(vm.new_type_error(format!("sorted expected 1 argument, got {}", pos.len())));
    }
    let items = vm.collect_iter(&pos[0])?;
    let list = vm.new_list(items);
    let sort = vm.getattr_str(&list, "sort")?;
    // The keywords (key=, reverse=) go to list.sort unchanged.
    let mut call_args: Vec<Value> = args.args[1..].to_vec();
    call_args.shrink_to_fit();
    vm.call(&sort, Args::with_kw(&call_args, args.kwnames))?;
    Ok(list)
}

fn any(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("any", args, 1, 1)?;
    let it = vm.iter(&args.args[0])?;
    while let Some(x) = vm.next(&it)? {
        if vm.truthy(&x)? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn all(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("all", args, 1, 1)?;
    let it = vm.iter(&args.args[0])?;
    while let Some(x) = vm.next(&it)? {
        if !vm.truthy(&x)? {
            return Ok(Value::Bool(false));
        }
    }
    Ok(Value::Bool(true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modular_power() {
        assert_eq!(modpow(2, 3, 5), 3);
        assert_eq!(modpow(2, 3, -5), -2);
        assert_eq!(modpow(-2, 3, 5), 2);
        assert_eq!(mod_inverse(2, 5), Some(3));
        assert_eq!(mod_inverse(2, 4), None);
        assert_eq!(int_divmod(7, -2), Some((-4, -1)));
        assert_eq!(int_divmod(-7, 2), Some((-4, 1)));
    }
}
