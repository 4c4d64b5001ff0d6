//! `weakref.ProxyType` and `weakref.CallableProxyType`: every special method
//! unwraps the proxy (ReferenceError once the referent is gone) and applies
//! the operation to the referent; binary operators also unwrap a proxy on the
//! other side, as CPython does.

use crate::types::function::{Args, NativeDef};
use crate::types::typeobj::Slot;
use crate::types::weakref::{is_proxy, referent};
use crate::value::Value;
use crate::{PyResult, Vm};
use krait_compiler::bytecode::{BinOp, CmpOp, Opcode};

/// The referent behind a proxy; any other value unchanged.
fn unwrap(vm: &Vm, v: &Value) -> PyResult<Value> {
    match v {
        Value::Obj(o) if is_proxy(vm, o) => referent(v).ok_or_else(|| {
            vm.new_exception_msg(&vm.exc.reference_error, "weakly-referenced object no longer exists")
        }),
        _ => Ok(v.clone()),
    }
}

/// `self` (unwrapped) and the other arguments; `n` is their expected count.
fn parts<'a>(vm: &Vm, args: &Args<'a>, name: &str, n: usize) -> PyResult<(Value, &'a [Value])> {
    vm.check_arity(name, *args, n + 1, n + 1)?;
    match args.args.first() {
        Some(Value::Obj(o)) if is_proxy(vm, o) => Ok((unwrap(vm, &args.args[0])?, &args.args[1..])),
        _ => Err(vm.new_type_error(format!("descriptor '{name}' requires a 'weakref.ProxyType' object"))),
    }
}

fn call_builtin(vm: &Vm, name: &str, args: &[Value]) -> PyResult {
    match vm.dict_get_str(&vm.builtins_dict, &vm.intern(name)) {
        Some(f) => vm.call1(&f, args),
        None => Err(vm.new_system_error(format!("builtin {name} is missing"))),
    }
}

fn attr_name(vm: &Vm, v: &Value) -> PyResult<crate::PyRef> {
    match v {
        Value::Obj(o) if o.payload.as_str().is_some() => Ok(o.clone()),
        _ => Err(vm.new_type_error(format!("attribute name must be string, not '{}'", vm.type_name_of(v)))),
    }
}

macro_rules! binops {
    ($($f:ident, $rf:ident, $if:ident, $name:literal, $rname:literal, $iname:literal, $op:ident, $iop:ident;)*) => {$(
        fn $f(vm: &Vm, args: Args) -> PyResult {
            let (a, rest) = parts(vm, &args, $name, 1)?;
            vm.binary_op(&a, &unwrap(vm, &rest[0])?, BinOp::$op)
        }
        fn $rf(vm: &Vm, args: Args) -> PyResult {
            let (a, rest) = parts(vm, &args, $rname, 1)?;
            vm.binary_op(&unwrap(vm, &rest[0])?, &a, BinOp::$op)
        }
        fn $if(vm: &Vm, args: Args) -> PyResult {
            let (a, rest) = parts(vm, &args, $iname, 1)?;
            vm.binary_op(&a, &unwrap(vm, &rest[0])?, BinOp::$iop)
        }
    )*};
}

binops! {
    p_add, p_radd, p_iadd, "__add__", "__radd__", "__iadd__", Add, InplaceAdd;
    p_sub, p_rsub, p_isub, "__sub__", "__rsub__", "__isub__", Subtract, InplaceSubtract;
    p_mul, p_rmul, p_imul, "__mul__", "__rmul__", "__imul__", Multiply, InplaceMultiply;
    p_matmul, p_rmatmul, p_imatmul, "__matmul__", "__rmatmul__", "__imatmul__", MatrixMultiply, InplaceMatrixMultiply;
    p_truediv, p_rtruediv, p_itruediv, "__truediv__", "__rtruediv__", "__itruediv__", TrueDivide, InplaceTrueDivide;
    p_floordiv, p_rfloordiv, p_ifloordiv, "__floordiv__", "__rfloordiv__", "__ifloordiv__", FloorDivide, InplaceFloorDivide;
    p_mod, p_rmod, p_imod, "__mod__", "__rmod__", "__imod__", Remainder, InplaceRemainder;
    p_lshift, p_rlshift, p_ilshift, "__lshift__", "__rlshift__", "__ilshift__", Lshift, InplaceLshift;
    p_rshift, p_rrshift, p_irshift, "__rshift__", "__rrshift__", "__irshift__", Rshift, InplaceRshift;
    p_and, p_rand, p_iand, "__and__", "__rand__", "__iand__", And, InplaceAnd;
    p_or, p_ror, p_ior, "__or__", "__ror__", "__ior__", Or, InplaceOr;
    p_xor, p_rxor, p_ixor, "__xor__", "__rxor__", "__ixor__", Xor, InplaceXor;
}

/// `__pow__`/`__rpow__` take an optional modulus (three-argument `pow`).
fn pow_args<'a>(vm: &Vm, args: &Args<'a>, name: &str) -> PyResult<(Value, Value, Option<Value>)> {
    vm.check_arity(name, *args, 2, 3)?;
    let (a, rest) = parts(vm, &Args::new(&args.args[..2]), name, 1)?;
    let b = unwrap(vm, &rest[0])?;
    let m = match args.args.get(2) {
        Some(m) if !m.is_none() => Some(unwrap(vm, m)?),
        _ => None,
    };
    Ok((a, b, m))
}

fn p_pow(vm: &Vm, args: Args) -> PyResult {
    let (a, b, m) = pow_args(vm, &args, "__pow__")?;
    match m {
        Some(m) => call_builtin(vm, "pow", &[a, b, m]),
        None => vm.binary_op(&a, &b, BinOp::Power),
    }
}
fn p_rpow(vm: &Vm, args: Args) -> PyResult {
    let (a, b, m) = pow_args(vm, &args, "__rpow__")?;
    match m {
        Some(m) => call_builtin(vm, "pow", &[b, a, m]),
        None => vm.binary_op(&b, &a, BinOp::Power),
    }
}
fn p_ipow(vm: &Vm, args: Args) -> PyResult {
    let (a, b, _) = pow_args(vm, &args, "__ipow__")?;
    vm.binary_op(&a, &b, BinOp::InplacePower)
}
fn p_divmod(vm: &Vm, args: Args) -> PyResult {
    let (a, rest) = parts(vm, &args, "__divmod__", 1)?;
    call_builtin(vm, "divmod", &[a, unwrap(vm, &rest[0])?])
}
fn p_rdivmod(vm: &Vm, args: Args) -> PyResult {
    let (a, rest) = parts(vm, &args, "__rdivmod__", 1)?;
    call_builtin(vm, "divmod", &[unwrap(vm, &rest[0])?, a])
}

macro_rules! unary_ops {
    ($($f:ident, $name:literal, |$vm:ident, $a:ident| $body:expr;)*) => {$(
        fn $f($vm: &Vm, args: Args) -> PyResult {
            let ($a, _) = parts($vm, &args, $name, 0)?;
            $body
        }
    )*};
}

unary_ops! {
    p_neg, "__neg__", |vm, a| crate::eval::ops::unary(vm, Opcode::UnaryNegative, &a);
    p_pos, "__pos__", |vm, a| crate::eval::ops::unary(vm, Opcode::UnaryPositive, &a);
    p_invert, "__invert__", |vm, a| crate::eval::ops::unary(vm, Opcode::UnaryInvert, &a);
    p_abs, "__abs__", |vm, a| call_builtin(vm, "abs", &[a]);
    p_int, "__int__", |vm, a| vm.call1(&Value::Obj(vm.types.int.clone()), &[a]);
    p_float, "__float__", |vm, a| vm.call1(&Value::Obj(vm.types.float.clone()), &[a]);
    p_index, "__index__", |vm, a| vm.index(&a);
    p_bool, "__bool__", |vm, a| Ok(Value::Bool(vm.truthy(&a)?));
    p_len, "__len__", |vm, a| Ok(Value::Int(vm.len(&a)? as i64));
    p_iter, "__iter__", |vm, a| vm.iter(&a);
    p_str, "__str__", |vm, a| Ok(Value::Obj(vm.str(&a)?));
    p_bytes, "__bytes__", |vm, a| vm.call1(&Value::Obj(vm.types.bytes.clone()), &[a]);
    p_reversed, "__reversed__", |vm, a| vm.call1(&Value::Obj(vm.types.reversed.clone()), &[a]);
    p_next, "__next__", |vm, a| {
        if vm.special(&a, Slot::Next).is_none() {
            return Err(vm.new_type_error(format!(
                "Weakref proxy referenced a non-iterator '{}' object",
                vm.type_name_of(&a)
            )));
        }
        match vm.next(&a)? {
            Some(v) => Ok(v),
            None => Err(vm.new_stop_iteration(None)),
        }
    };
}

fn p_repr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__repr__", args, 1, 1)?;
    let s = &args.args[0];
    let target = referent(s).unwrap_or(Value::None);
    Ok(vm.new_str(format!(
        "<weakproxy at {:#x} to {} at {:#x}>",
        s.id(),
        vm.type_name_of(&target),
        target.id()
    )))
}

fn p_getattribute(vm: &Vm, args: Args) -> PyResult {
    let (a, rest) = parts(vm, &args, "__getattribute__", 1)?;
    vm.getattr(&a, &attr_name(vm, &rest[0])?)
}
fn p_setattr(vm: &Vm, args: Args) -> PyResult {
    let (a, rest) = parts(vm, &args, "__setattr__", 2)?;
    vm.setattr(&a, &attr_name(vm, &rest[0])?, Some(rest[1].clone()))?;
    Ok(Value::None)
}
fn p_delattr(vm: &Vm, args: Args) -> PyResult {
    let (a, rest) = parts(vm, &args, "__delattr__", 1)?;
    vm.setattr(&a, &attr_name(vm, &rest[0])?, None)?;
    Ok(Value::None)
}
fn p_getitem(vm: &Vm, args: Args) -> PyResult {
    let (a, rest) = parts(vm, &args, "__getitem__", 1)?;
    vm.getitem(&a, &rest[0])
}
fn p_setitem(vm: &Vm, args: Args) -> PyResult {
    let (a, rest) = parts(vm, &args, "__setitem__", 2)?;
    vm.setitem(&a, &rest[0], rest[1].clone())?;
    Ok(Value::None)
}
fn p_delitem(vm: &Vm, args: Args) -> PyResult {
    let (a, rest) = parts(vm, &args, "__delitem__", 1)?;
    vm.delitem(&a, &rest[0])?;
    Ok(Value::None)
}
fn p_contains(vm: &Vm, args: Args) -> PyResult {
    let (a, rest) = parts(vm, &args, "__contains__", 1)?;
    Ok(Value::Bool(vm.contains(&a, &rest[0])?))
}
fn p_call(vm: &Vm, args: Args) -> PyResult {
    let a = match args.args.first() {
        Some(s) => unwrap(vm, s)?,
        None => return Err(vm.new_type_error("descriptor '__call__' needs an argument")),
    };
    vm.call(&a, Args::with_kw(&args.args[1..], args.kwnames))
}

fn compare(vm: &Vm, args: Args, name: &str, op: CmpOp) -> PyResult {
    let (a, rest) = parts(vm, &args, name, 1)?;
    vm.compare(&a, &unwrap(vm, &rest[0])?, op)
}
macro_rules! cmp_fns {
    ($($f:ident, $name:literal => $op:ident;)*) => {$(
        fn $f(vm: &Vm, args: Args) -> PyResult { compare(vm, args, $name, CmpOp::$op) }
    )*};
}
cmp_fns! {
    p_lt, "__lt__" => Lt;
    p_le, "__le__" => Le;
    p_eq, "__eq__" => Eq;
    p_ne, "__ne__" => Ne;
    p_gt, "__gt__" => Gt;
    p_ge, "__ge__" => Ge;
}

macro_rules! defs {
    ($($name:literal => $f:ident),* $(,)?) => { [$(NativeDef::method($name, $f),)*] };
}

/// Methods of both proxy types.
pub static PROXY_METHODS: [NativeDef; 67] = defs![
    "__add__" => p_add, "__radd__" => p_radd, "__iadd__" => p_iadd,
    "__sub__" => p_sub, "__rsub__" => p_rsub, "__isub__" => p_isub,
    "__mul__" => p_mul, "__rmul__" => p_rmul, "__imul__" => p_imul,
    "__matmul__" => p_matmul, "__rmatmul__" => p_rmatmul, "__imatmul__" => p_imatmul,
    "__truediv__" => p_truediv, "__rtruediv__" => p_rtruediv, "__itruediv__" => p_itruediv,
    "__floordiv__" => p_floordiv, "__rfloordiv__" => p_rfloordiv, "__ifloordiv__" => p_ifloordiv,
    "__mod__" => p_mod, "__rmod__" => p_rmod, "__imod__" => p_imod,
    "__lshift__" => p_lshift, "__rlshift__" => p_rlshift, "__ilshift__" => p_ilshift,
    "__rshift__" => p_rshift, "__rrshift__" => p_rrshift, "__irshift__" => p_irshift,
    "__and__" => p_and, "__rand__" => p_rand, "__iand__" => p_iand,
    "__or__" => p_or, "__ror__" => p_ror, "__ior__" => p_ior,
    "__xor__" => p_xor, "__rxor__" => p_rxor, "__ixor__" => p_ixor,
    "__pow__" => p_pow, "__rpow__" => p_rpow, "__ipow__" => p_ipow,
    "__divmod__" => p_divmod, "__rdivmod__" => p_rdivmod,
    "__neg__" => p_neg, "__pos__" => p_pos, "__invert__" => p_invert, "__abs__" => p_abs,
    "__int__" => p_int, "__float__" => p_float, "__index__" => p_index, "__bool__" => p_bool,
    "__len__" => p_len, "__iter__" => p_iter, "__next__" => p_next, "__str__" => p_str,
    "__repr__" => p_repr,
    "__getattribute__" => p_getattribute, "__setattr__" => p_setattr, "__delattr__" => p_delattr,
    "__getitem__" => p_getitem, "__setitem__" => p_setitem, "__delitem__" => p_delitem,
    "__contains__" => p_contains,
    "__lt__" => p_lt, "__le__" => p_le, "__eq__" => p_eq, "__ne__" => p_ne, "__gt__" => p_gt, "__ge__" => p_ge,
];

/// `ProxyType` only (CPython's callable proxy lacks these two).
pub static PLAIN_METHODS: [NativeDef; 2] = defs!["__bytes__" => p_bytes, "__reversed__" => p_reversed];

/// `CallableProxyType` only.
pub static CALLABLE_METHODS: [NativeDef; 1] = defs!["__call__" => p_call];
