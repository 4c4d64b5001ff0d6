//! `bool`: a subclass of int with exactly two (unboxed) values. Only `&`, `|`
//! and `^` between two bools give a bool; everything else is int arithmetic,
//! inherited from `int`. `bool` is not subclassable (no BASETYPE flag).

use crate::types::function::NativeDef;
use crate::types::int::{binary_args, unary_arg};
use crate::types::int_ops::{int_binary, IntOp};
use crate::value::Value;
use crate::{Args, PyResult, Vm};

/// `bool.__new__(cls, x=False, /)`.
fn bool_new(vm: &Vm, args: Args) -> PyResult {
    if args.has_kwargs() {
        return Err(vm.new_type_error("bool() takes no keyword arguments"));
    }
    match args.args {
        [_] => Ok(Value::Bool(false)),
        [_, x] => Ok(Value::Bool(vm.truthy(x)?)),
        [_, rest @ ..] => Err(vm.new_type_error(format!("bool expected at most 1 argument, got {}", rest.len()))),
        [] => Err(vm.new_type_error("bool.__new__(): not enough arguments")),
    }
}

fn bool_repr(vm: &Vm, args: Args) -> PyResult {
    let v = unary_arg(vm, "__repr__", &args)?;
    let b = matches!(v, Value::Bool(true));
    Ok(Value::Obj(vm.intern(if b { "True" } else { "False" })))
}

/// `a op b` for `& | ^`: a bool when both are bools, else int arithmetic.
fn logical(vm: &Vm, a: &Value, b: &Value, op: IntOp) -> PyResult {
    if let (Value::Bool(x), Value::Bool(y)) = (a, b) {
        return Ok(Value::Bool(match op {
            IntOp::And => x & y,
            IntOp::Or => x | y,
            _ => x ^ y,
        }));
    }
    match int_binary(vm, a, b, op) {
        Some(r) => r,
        None => Ok(vm.not_implemented()),
    }
}

macro_rules! bool_ops {
    ($($fname:ident, $dunder:literal, $op:expr, $reflected:expr;)*) => {
        $(
            fn $fname(vm: &Vm, args: Args) -> PyResult {
                let (a, b) = binary_args(vm, $dunder, &args)?;
                if $reflected { logical(vm, b, a, $op) } else { logical(vm, a, b, $op) }
            }
        )*
        static BOOL_METHODS: &[NativeDef] = &[
            NativeDef::staticmethod("__new__", bool_new),
            NativeDef::method("__repr__", bool_repr),
            $(NativeDef::method($dunder, $fname),)*
        ];
    };
}

bool_ops! {
    bool_and, "__and__", IntOp::And, false;
    bool_rand, "__rand__", IntOp::And, true;
    bool_or, "__or__", IntOp::Or, false;
    bool_ror, "__ror__", IntOp::Or, true;
    bool_xor, "__xor__", IntOp::Xor, false;
    bool_rxor, "__rxor__", IntOp::Xor, true;
}

pub fn init(vm: &Vm) {
    crate::types::add_methods(vm, &vm.types.bool_, BOOL_METHODS);
}
