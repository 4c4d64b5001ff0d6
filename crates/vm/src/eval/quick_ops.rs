//! The eval loop's fast cases that need no call: arithmetic and comparisons
//! on unboxed numbers (shared by the plain and the quickened instructions),
//! and reading operands of the instructions after the current one.

use crate::value::Value;
use krait_compiler::bytecode::{BinOp, CmpOp, Instr, Opcode};

/// `x <op> y` on two unboxed ints.
#[inline(always)]
pub(crate) fn int_compare(x: i64, y: i64, op: CmpOp) -> bool {
    op.holds(x, y)
}

/// `x <op> y` decided without calling anything (ints, floats, exact strs).
#[inline(always)]
pub(crate) fn compare_quick(lhs: &Value, rhs: &Value, cop: CmpOp) -> Option<bool> {
    match (lhs, rhs) {
        (Value::Int(x), Value::Int(y)) => Some(int_compare(*x, *y, cop)),
        _ => crate::protocol::ops::fast_compare(lhs, rhs, cop),
    }
}

/// The instruction at `i` with its `ExtendedArg` prefixes folded in:
/// (opcode byte, operand, index after it).
pub(crate) fn decode_at(instrs: &[Instr], mut i: usize) -> (u8, u32, usize) {
    let mut arg = 0u32;
    while let Some(x) = instrs.get(i) {
        arg = (arg << Instr::ARG_BITS) | x.arg();
        i += 1;
        if x.op_byte() != Opcode::ExtendedArg as u8 {
            return (x.op_byte(), arg, i);
        }
    }
    (Opcode::Nop as u8, 0, i)
}

/// The operand of `instrs[i]` (an instruction quickening saw there).
#[inline(always)]
pub(crate) fn next_arg(instrs: &[Instr], i: usize) -> usize {
    instrs.get(i).map_or(0, |x| x.arg() as usize)
}

/// `x <op> y` when both are unboxed numbers and the result needs no
/// allocation and no error (None: the general path decides, raising
/// ZeroDivisionError or going to a big int as needed).
#[inline(always)]
pub(crate) fn quick_binop(lhs: &Value, rhs: &Value, bop: BinOp) -> Option<Value> {
    /// Ints that convert to floats exactly, so `x / y` is correctly rounded.
    const EXACT: u64 = 1 << 53;
    match (lhs, rhs) {
        (&Value::Int(x), &Value::Int(y)) => match bop.base() {
            BinOp::Add => x.checked_add(y).map(Value::Int),
            BinOp::Subtract => x.checked_sub(y).map(Value::Int),
            BinOp::Multiply => x.checked_mul(y).map(Value::Int),
            BinOp::And => Some(Value::Int(x & y)),
            BinOp::Or => Some(Value::Int(x | y)),
            BinOp::Xor => Some(Value::Int(x ^ y)),
            // Floor semantics; with a positive divisor they are Euclid's.
            BinOp::Remainder if y > 0 => Some(Value::Int(x.rem_euclid(y))),
            BinOp::FloorDivide if y > 0 => Some(Value::Int(x.div_euclid(y))),
            BinOp::TrueDivide if y != 0 && x.unsigned_abs() <= EXACT && y.unsigned_abs() <= EXACT => {
                Some(Value::Float(x as f64 / y as f64))
            }
            _ => None,
        },
        (&Value::Float(x), &Value::Float(y)) => match bop.base() {
            BinOp::Add => Some(Value::Float(x + y)),
            BinOp::Subtract => Some(Value::Float(x - y)),
            BinOp::Multiply => Some(Value::Float(x * y)),
            BinOp::TrueDivide if y != 0.0 => Some(Value::Float(x / y)),
            _ => None,
        },
        _ => None,
    }
}
