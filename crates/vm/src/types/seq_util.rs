//! Small helpers shared by the container types (list, tuple, dict, set,
//! range): argument checking that excludes `self` from the counts CPython
//! prints, making iterator objects, and subclass-aware construction.

use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::function::Args;
use crate::types::iter::IterState;
use crate::value::Value;
use crate::{PyResult, Vm};
use std::cell::RefCell;

/// Splits a method call into `self` and its other positional arguments,
/// checking keywords and arity with CPython's messages (`fname` as CPython
/// prints it, e.g. "list.append" or "pop").
pub fn method_args<'a>(vm: &Vm, args: Args<'a>, fname: &str, min: usize, max: usize) -> PyResult<(&'a Value, &'a [Value])> {
    let (first, rest) = match args.args.split_first() {
        Some(x) => x,
        None => return Err(vm.new_type_error(format!("{fname}() needs an argument"))),
    };
    let rest_args = Args { args: rest, kwnames: args.kwnames };
    vm.check_arity(fname, rest_args, min, max)?;
    Ok((first, rest))
}

/// Wraps an iterator state as an object of type `typ`.
pub fn new_iter(typ: &PyRef, st: IterState) -> Value {
    Value::Obj(PyRef::new(typ.clone(), Payload::Iter(Box::new(RefCell::new(st)))))
}

/// An instance of `cls`, a subclass of a builtin type, around the builtin's payload
/// (or the bare payload when `cls` is the builtin itself).
pub fn new_with_base(vm: &Vm, cls: &PyRef, builtin: &PyRef, payload: Payload) -> Value {
    let _ = vm;
    if cls.is(builtin) {
        return Value::Obj(PyRef::new(cls.clone(), payload));
    }
    Value::Obj(PyRef::new_instance(cls.clone(), Some(Box::new(payload))))
}

/// The class argument of a `__new__`: must be a subtype of `builtin`.
pub fn new_cls<'a>(vm: &Vm, args: &'a [Value], builtin: &PyRef) -> PyResult<&'a PyRef> {
    let bname = vm.type_name(builtin);
    match args.first() {
        Some(Value::Obj(c)) if c.payload.as_type().is_some() => {
            if vm.is_subtype(c, builtin) {
                Ok(c)
            } else {
                Err(vm.new_type_error(format!(
                    "{bname}.__new__({}): {} is not a subtype of {bname}",
                    vm.type_name(c),
                    vm.type_name(c)
                )))
            }
        }
        Some(v) => Err(vm.new_type_error(format!(
            "{bname}.__new__(X): X is not a type object ({})",
            vm.type_name_of(v)
        ))),
        None => Err(vm.new_type_error(format!("{bname}.__new__(): not enough arguments"))),
    }
}

/// Whether `builtin.__new__` (with `other` "__init__") or `builtin.__init__`
/// (with `other` "__new__") refuses keyword arguments for `cls`, as CPython
/// 3.11's list, tuple and frozenset do: for the builtin itself, and for a
/// subclass that does not override the other method (so `class L(list)`
/// with its own `__init__(self, seq, newarg=None)` can be called with
/// `newarg=`).
pub fn refuses_keywords(vm: &Vm, cls: &PyRef, builtin: &PyRef, other: &str) -> bool {
    if cls.is(builtin) {
        return true;
    }
    match (vm.type_lookup_str(cls, other), vm.type_lookup_str(builtin, other)) {
        (Some(Value::Obj(a)), Some(Value::Obj(b))) => a.is(&b),
        (a, b) => a.is_none() && b.is_none(),
    }
}

/// Is `v` an instance whose builtin-ness lets fast paths skip user overrides?
#[inline]
pub fn is_exact(v: &Value, typ: &PyRef) -> bool {
    matches!(v, Value::Obj(o) if o.class().is(typ))
}

/// The largest single allocation krait attempts: the machine's RAM plus swap,
/// what the kernel's overcommit heuristic lets CPython's malloc have. Our
/// allocator reserves address space lazily, so without this bound a request
/// like `[0] * 10**12` would "succeed" and then grind through filling it.
pub fn max_alloc_bytes() -> usize {
    static LIMIT: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *LIMIT.get_or_init(|| {
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let kib = |key: &str| -> Option<usize> {
            let line = meminfo.lines().find(|l| l.starts_with(key))?;
            line[key.len()..].trim().trim_end_matches("kB").trim().parse().ok()
        };
        match kib("MemTotal:") {
            Some(total) => (total + kib("SwapTotal:").unwrap_or(0)).saturating_mul(1024),
            None => 1usize << 40,
        }
    })
}

/// MemoryError (never an abort or a hopeless fill loop) when `bytes` is more
/// than this machine could ever hand out at once.
pub fn check_alloc_bytes(vm: &Vm, bytes: usize) -> PyResult<()> {
    if bytes > max_alloc_bytes() {
        return Err(vm.new_memory_error());
    }
    Ok(())
}

/// The number of items `n * k` with an overflow/size check; MemoryError
/// instead of an abort for absurd sizes.
pub fn checked_repeat_len(vm: &Vm, len: usize, n: i64) -> PyResult<usize> {
    if n <= 0 || len == 0 {
        return Ok(0);
    }
    match len.checked_mul(n as usize) {
        Some(total) => {
            check_alloc_bytes(vm, total.saturating_mul(std::mem::size_of::<Value>()))?;
            Ok(total)
        }
        None => Err(vm.new_memory_error()),
    }
}

/// The repeat count of `seq * n`: an index-able int (big ints saturate), or a
/// TypeError "can't multiply sequence by non-int of type 'float'".
pub fn repeat_count(vm: &Vm, n: &Value) -> PyResult<Option<i64>> {
    match n {
        Value::Int(i) => Ok(Some(*i)),
        Value::Bool(b) => Ok(Some(*b as i64)),
        Value::Float(_) | Value::None => Ok(None),
        _ => {
            let has_index = n.payload().and_then(|p| p.as_int()).is_some()
                || vm.special(n, crate::types::typeobj::Slot::Index).is_some();
            if !has_index {
                return Ok(None);
            }
            let i = vm.index(n)?;
            match i {
                Value::Int(i) => Ok(Some(i)),
                other => match vm.as_ibig(&other) {
                    Some(b) if b < dashu_int::IBig::ZERO => Ok(Some(0)),
                    _ => Err(vm.new_overflow_error(format!(
                        "cannot fit '{}' into an index-sized integer",
                        vm.type_name_of(n)
                    ))),
                },
            }
        }
    }
}

/// Resolves a sequence index (`__index__` included) against `len`: Ok(None)
/// when out of range. Non-integers raise "<what> indices must be integers or
/// slices, not str".
pub fn seq_index(vm: &Vm, key: &Value, len: usize, what: &str) -> PyResult<Option<usize>> {
    let i = match key {
        Value::Int(i) => *i,
        Value::Bool(b) => *b as i64,
        _ => {
            let has_index = key.payload().and_then(|p| p.as_int()).is_some()
                || vm.special(key, crate::types::typeobj::Slot::Index).is_some();
            if !has_index {
                return Err(vm.new_type_error(format!(
                    "{what} indices must be integers or slices, not {}",
                    vm.type_name_of(key)
                )));
            }
            match vm.index(key)? {
                Value::Int(i) => i,
                _ => {
                    return Err(vm.new_exception_msg(
                        &vm.exc.index_error,
                        format!("cannot fit '{}' into an index-sized integer", vm.type_name_of(key)),
                    ))
                }
            }
        }
    };
    let idx = if i < 0 { i + len as i64 } else { i };
    if idx < 0 || idx as u64 >= len as u64 {
        Ok(None)
    } else {
        Ok(Some(idx as usize))
    }
}

/// Lexicographic comparison of two snapshots, as list and tuple do it: find
/// the first index where items differ (by `==`), then compare those items
/// with `op`, or the lengths if one is a prefix of the other. `get` re-reads
/// items each step since a user `__eq__` may mutate a list being compared.
pub fn seq_richcompare(
    vm: &Vm,
    get_a: &dyn Fn(usize) -> Option<Value>,
    get_b: &dyn Fn(usize) -> Option<Value>,
    len_a: &dyn Fn() -> usize,
    len_b: &dyn Fn() -> usize,
    op: krait_compiler::bytecode::CmpOp,
) -> PyResult {
    use krait_compiler::bytecode::CmpOp;
    if matches!(op, CmpOp::Eq | CmpOp::Ne) && len_a() != len_b() {
        return Ok(Value::Bool(op == CmpOp::Ne));
    }
    let mut i = 0;
    loop {
        let (x, y) = match (get_a(i), get_b(i)) {
            (Some(x), Some(y)) => (x, y),
            _ => break,
        };
        if !vm.eq_identity_or(&x, &y)? {
            // An `__eq__` may have shrunk either sequence: with no items
            // left to compare, the sizes decide (as CPython).
            if i >= len_a() || i >= len_b() {
                break;
            }
            return match op {
                CmpOp::Eq => Ok(Value::Bool(false)),
                CmpOp::Ne => Ok(Value::Bool(true)),
                _ => vm.compare(&x, &y, op),
            };
        }
        i += 1;
    }
    let (la, lb) = (len_a(), len_b());
    Ok(Value::Bool(op.holds(la, lb)))
}

/// Joins the reprs of `items` with ", " (each repr may run Python code).
pub fn join_reprs(vm: &Vm, items: &[Value]) -> PyResult<String> {
    let mut out = String::new();
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(vm.repr(x)?.payload.as_str().unwrap().as_str());
    }
    Ok(out)
}
