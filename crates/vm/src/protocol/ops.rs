//! Operators: binary (with reflected operands and in-place forms), unary,
//! and the native fast paths for builtin numbers.

use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::typeobj::Slot;
use crate::value::Value;
use crate::{PyErr, PyResult, Vm};
use krait_compiler::bytecode::{BinOp, CmpOp};

/// Comparison of two builtin numbers or two exact strs without calling out.
#[inline]
pub fn fast_compare(a: &Value, b: &Value, op: CmpOp) -> Option<bool> {
    use std::cmp::Ordering;
    let ord = match (a, b) {
        (Value::Int(x), Value::Int(y)) => x.cmp(y),
        (Value::Float(x), Value::Float(y)) => match x.partial_cmp(y) {
            Some(o) => o,
            None => return Some(op == CmpOp::Ne),
        },
        (Value::Int(x), Value::Float(y)) if x.unsigned_abs() < (1u64 << 53) => match (*x as f64).partial_cmp(y) {
            Some(o) => o,
            None => return Some(op == CmpOp::Ne),
        },
        (Value::Float(x), Value::Int(y)) if y.unsigned_abs() < (1u64 << 53) => match x.partial_cmp(&(*y as f64)) {
            Some(o) => o,
            None => return Some(op == CmpOp::Ne),
        },
        (Value::Obj(x), Value::Obj(y)) => match (&x.payload, &y.payload) {
            (Payload::Str(s1), Payload::Str(s2)) if x.class().is_immortal() && y.class().is_immortal() => s1.cmp_text(s2),
            _ => return None,
        },
        _ => return None,
    };
    Some(match op {
        CmpOp::Lt => ord == Ordering::Less,
        CmpOp::Le => ord != Ordering::Greater,
        CmpOp::Eq => ord == Ordering::Equal,
        CmpOp::Ne => ord != Ordering::Equal,
        CmpOp::Gt => ord == Ordering::Greater,
        CmpOp::Ge => ord != Ordering::Less,
    })
}

/// Python's hash of a float (modulus 2**61 - 1); NaN hashes by identity.
pub fn hash_float(f: f64, v: &Value) -> i64 {
    if f.is_nan() {
        // CPython hashes a NaN by identity, as `object.__hash__` does.
        return crate::types::object::identity_hash(v);
    }
    if f.is_infinite() {
        return if f > 0.0 { 314159 } else { -314159 };
    }
    if f.fract() == 0.0 && f.abs() < 9.2e18 {
        return crate::protocol::object::hash_i64(f as i64);
    }
    // The general algorithm: reduce the mantissa 28 bits at a time.
    const BITS: i32 = 61;
    const P: u64 = (1 << BITS) - 1;
    let (mut m, mut e) = frexp(f.abs());
    let mut x: u64 = 0;
    while m != 0.0 {
        x = ((x << 28) & P) | (x >> (BITS - 28));
        m *= 268435456.0;
        e -= 28;
        let y = m as u64;
        m -= y as f64;
        x += y;
        if x >= P {
            x -= P;
        }
    }
    let e = if e >= 0 { e % BITS } else { BITS - 1 - ((-1 - e) % BITS) };
    x = ((x << e) & P) | (x >> (BITS - e));
    let mut h = x as i64;
    if f < 0.0 {
        h = -h;
    }
    if h == -1 { -2 } else { h }
}

fn frexp(x: f64) -> (f64, i32) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        let (m, e) = frexp(x * (1u64 << 54) as f64);
        return (m, e - 54);
    }
    let m = f64::from_bits((bits & !(0x7ffu64 << 52)) | (1022u64 << 52));
    (m, exp - 1022)
}

/// The builtin sequence a value is (or derives from), for the concat/repeat fallback.
fn builtin_seq_name(v: &Value) -> Option<&'static str> {
    match v.payload()?.base() {
        Payload::Str(_) => Some("str"),
        Payload::List(_) => Some("list"),
        Payload::Tuple(_) => Some("tuple"),
        Payload::Bytes(_) => Some("bytes"),
        Payload::ByteArray(_) => Some("bytearray"),
        _ => None,
    }
}

pub(crate) fn binop_slots(op: BinOp) -> (Slot, Slot, Slot) {
    use Slot::*;
    match op.base() {
        BinOp::Add => (Add, RAdd, IAdd),
        BinOp::And => (And, RAnd, IAnd),
        BinOp::FloorDivide => (FloorDiv, RFloorDiv, IFloorDiv),
        BinOp::Lshift => (LShift, RLShift, ILShift),
        BinOp::MatrixMultiply => (MatMul, RMatMul, IMatMul),
        BinOp::Multiply => (Mul, RMul, IMul),
        BinOp::Remainder => (Mod, RMod, IMod),
        BinOp::Or => (Or, ROr, IOr),
        BinOp::Power => (Pow, RPow, IPow),
        BinOp::Rshift => (RShift, RRShift, IRShift),
        BinOp::Subtract => (Sub, RSub, ISub),
        BinOp::TrueDivide => (TrueDiv, RTrueDiv, ITrueDiv),
        BinOp::Xor => (Xor, RXor, IXor),
        _ => unreachable!(),
    }
}

impl Vm {
    /// `a op b` for every binary operator, in-place forms included.
    pub fn binary_op(&self, a: &Value, b: &Value, op: BinOp) -> PyResult {
        if let Some(r) = self.fast_binary_op(a, b, op) {
            return r;
        }
        if let (Value::Obj(x), Value::Obj(y)) = (a, b) {
            if let Some(r) = self.builtin_obj_binop(x, y, op) {
                return r;
            }
        }
        let (slot, rslot, islot) = binop_slots(op);
        if op.is_inplace() {
            if let Some(r) = self.call_special(a, islot, &[b.clone()])? {
                if !self.is_not_implemented(&r) {
                    return Ok(r);
                }
            }
        }
        if let Some(r) = self.binary_op1(a, b, slot, rslot)? {
            return Ok(r);
        }
        // CPython falls back to the sequence slots when both number methods decline
        // (a builtin sequence that deferred to a reflected method that refused).
        if op.base() == BinOp::Multiply {
            let repeats = |v: &Value| builtin_seq_name(v).is_some() && self.keeps_seq_slot(v, &["__mul__", "__rmul__"]);
            let other = if repeats(a) {
                Some(b)
            } else if repeats(b) {
                Some(a)
            } else {
                None
            };
            if let Some(other) = other {
                return Err(self.new_type_error(format!(
                    "can't multiply sequence by non-int of type '{}'",
                    self.type_name_of(other)
                )));
            }
        }
        if op.base() == BinOp::Add {
            if let Some(kind) = builtin_seq_name(a).filter(|_| self.keeps_seq_slot(a, &["__add__"])) {
                let tn = self.type_name_of(b);
                return Err(self.new_type_error(match kind {
                    "bytes" | "bytearray" => format!("can't concat {} to {}", tn, kind),
                    _ => format!("can only concatenate {} (not \"{}\") to {}", kind, tn, kind),
                }));
            }
        }
        let extra = if op.base() == BinOp::Rshift && self.is_print_builtin(a) {
            ". Did you mean \"print(<message>, file=<output_stream>)\"?"
        } else {
            ""
        };
        Err(self.unsupported_operands(op, &self.type_name_of(a), &self.type_name_of(b), extra))
    }

    /// Does the type of `v` keep its builtin sequence's concatenation or
    /// repetition slot? A class that defines one of `names` in Python loses
    /// it, as CPython's slot update clears `sq_concat`/`sq_repeat` then.
    fn keeps_seq_slot(&self, v: &Value, names: &[&str]) -> bool {
        let cls = self.class_of(v);
        if !cls.payload.as_type().is_some_and(|t| t.is_heap()) {
            return true;
        }
        names.iter().all(|n| {
            let f = self.type_lookup_str(cls, n);
            matches!(f.as_ref().and_then(|f| f.payload()), Some(Payload::NativeMethod { .. }))
        })
    }

    /// CPython's TypeError for operands no method accepted.
    pub fn unsupported_operands(&self, op: BinOp, a: &str, b: &str, extra: &str) -> PyErr {
        let sym = if op == BinOp::Power { "** or pow()" } else { op.symbol() };
        self.new_type_error(format!("unsupported operand type(s) for {sym}: '{a}' and '{b}'{extra}"))
    }

    fn is_print_builtin(&self, v: &Value) -> bool {
        matches!(v.payload(), Some(Payload::NativeFunction { def, .. }) if def.name == "print")
    }

    /// Tries `a.__op__(b)` and `b.__rop__(a)` in CPython's order; None if both
    /// return NotImplemented (or are missing).
    pub fn binary_op1(&self, a: &Value, b: &Value, slot: Slot, rslot: Slot) -> PyResult<Option<Value>> {
        let ta = self.class_of(a);
        let tb = self.class_of(b);
        let fa = ta.payload.as_type().unwrap().slot(slot);
        let fb = if ta.is(tb) { None } else { tb.payload.as_type().unwrap().slot(rslot) };
        let mut fb = fb;
        if let Some(f) = &fb {
            if self.is_subtype(tb, ta) && !self.same_method(fa.as_ref(), f, ta, rslot) {
                let r = self.call_unbound(f, b, &[a.clone()])?;
                if !self.is_not_implemented(&r) {
                    return Ok(Some(r));
                }
                fb = None;
            }
        }
        if let Some(f) = fa {
            let r = self.call_unbound(&f, a, &[b.clone()])?;
            if !self.is_not_implemented(&r) {
                return Ok(Some(r));
            }
        }
        if let Some(f) = fb {
            let r = self.call_unbound(&f, b, &[a.clone()])?;
            if !self.is_not_implemented(&r) {
                return Ok(Some(r));
            }
        }
        Ok(None)
    }

    /// Does the subclass's reflected method differ from the base's? (CPython
    /// only gives the right operand priority when it overrides the method.)
    fn same_method(&self, _fa: Option<&Value>, fb: &Value, ta: &crate::PyRef, rslot: Slot) -> bool {
        match ta.payload.as_type().unwrap().slot(rslot) {
            Some(base_r) => base_r.is(fb),
            None => false,
        }
    }

    /// Operators between two exact builtin objects whose methods cannot be
    /// overridden (str concatenation, set algebra), without the special
    /// method lookup and call. None: take the general path.
    #[inline]
    fn builtin_obj_binop(&self, x: &PyRef, y: &PyRef, op: BinOp) -> Option<PyResult> {
        match (&x.payload, &y.payload) {
            // `+=` on a str is `+` (str has no `__iadd__`).
            (Payload::Str(p), Payload::Str(q))
                if op.base() == BinOp::Add && x.class().is(&self.types.str) && y.class().is(&self.types.str) =>
            {
                Some(crate::types::str_methods::concat(self, p, q))
            }
            (Payload::Set(_) | Payload::FrozenSet(_), Payload::Set(_) | Payload::FrozenSet(_)) if !op.is_inplace() => {
                crate::types::set_methods::exact_set_binop(self, x, y, op)
            }
            _ => None,
        }
    }

    /// Native arithmetic on unboxed ints and floats; None when the operands need
    /// the general path.
    #[inline]
    pub fn fast_binary_op(&self, a: &Value, b: &Value, op: BinOp) -> Option<PyResult> {
        // The eval loop's quick cases first (one definition of them).
        if let Some(v) = crate::eval::quick_ops::quick_binop(a, b, op) {
            return Some(Ok(v));
        }
        match (a, b) {
            (Value::Int(x), Value::Int(y)) => {
                let (x, y) = (*x, *y);
                let r = match op.base() {
                    // Negative divisors (positive ones were quick).
                    BinOp::FloorDivide if y != 0 && !(x == i64::MIN && y == -1) => {
                        let q = x / y;
                        Some(Value::Int(if (x % y != 0) && ((x < 0) != (y < 0)) { q - 1 } else { q }))
                    }
                    BinOp::Remainder if y != 0 && !(x == i64::MIN && y == -1) => {
                        let r = x % y;
                        Some(Value::Int(if r != 0 && ((r < 0) != (y < 0)) { r + y } else { r }))
                    }
                    BinOp::Lshift if (0..63).contains(&y) => {
                        let r = x.checked_shl(y as u32).filter(|r| (r >> y) == x);
                        r.map(Value::Int)
                    }
                    BinOp::Rshift if y >= 0 => Some(Value::Int(if y >= 64 { if x < 0 { -1 } else { 0 } } else { x >> y })),
                    _ => None,
                };
                r.map(Ok)
            }
            (Value::Float(x), Value::Int(y)) => float_op(*x, *y as f64, op),
            (Value::Int(x), Value::Float(y)) => float_op(*x as f64, *y, op),
            _ => None,
        }
    }
}

#[inline]
fn float_op(x: f64, y: f64, op: BinOp) -> Option<PyResult> {
    match op.base() {
        BinOp::Add => Some(Ok(Value::Float(x + y))),
        BinOp::Subtract => Some(Ok(Value::Float(x - y))),
        BinOp::Multiply => Some(Ok(Value::Float(x * y))),
        BinOp::TrueDivide if y != 0.0 => Some(Ok(Value::Float(x / y))),
        _ => None,
    }
}
