//! `slice`: the object made by `a[i:j:k]`, its Python methods, and the shared
//! helper `Vm::slice_indices` that every sequence (list, tuple, str, bytes,
//! range, ...) uses to turn a slice into concrete (start, stop, step, length).
//!
//! Slice bounds may be any objects with `__index__`, including ints far beyond
//! the machine range; as in CPython they are clamped into the isize range
//! before being adjusted to the sequence length, so `a[:10**100]` just works.

use crate::payload::Payload;
use crate::types::function::{Args, NativeDef};
use crate::value::Value;
use crate::{PyRef, PyResult, Vm};
use dashu_int::IBig;
use krait_compiler::bytecode::CmpOp;

impl Vm {
    /// A new slice object (one allocation: the parts live in the payload).
    /// Inlined so that the three values go from the caller's registers
    /// straight into the new object.
    #[inline]
    pub fn new_slice(&self, start: Value, stop: Value, step: Value) -> Value {
        Value::Obj(PyRef::new(self.types.slice.clone(), Payload::Slice([start, stop, step])))
    }

    /// One slice bound as an isize clamped to the isize range (CPython's
    /// `_PyEval_SliceIndex`); None stays None.
    #[inline]
    fn slice_bound(&self, v: &Value) -> PyResult<Option<i64>> {
        match v {
            Value::None => Ok(None),
            Value::Int(i) => Ok(Some(*i)),
            _ => self.slice_bound_slow(v),
        }
    }

    /// `slice_bound` for anything but None and small ints.
    #[cold]
    fn slice_bound_slow(&self, v: &Value) -> PyResult<Option<i64>> {
        if let Value::Bool(b) = v {
            return Ok(Some(*b as i64));
        }
        let has_index = matches!(v.payload().map(|p| p.base()), Some(Payload::Int(_)))
            || self.special(v, crate::types::typeobj::Slot::Index).is_some();
        if !has_index {
            return Err(self.new_type_error("slice indices must be integers or None or have an __index__ method"));
        }
        Ok(Some(self.index_clamped(v)?))
    }

    /// `operator.index(v)` clamped to the i64 range (big ints saturate).
    pub fn index_clamped(&self, v: &Value) -> PyResult<i64> {
        let i = self.index(v)?;
        Ok(match i {
            Value::Int(i) => i,
            other => match self.as_ibig(&other) {
                Some(b) => {
                    if b < IBig::ZERO {
                        i64::MIN
                    } else {
                        i64::MAX
                    }
                }
                None => 0,
            },
        })
    }

    /// The (start, stop, step) of a slice object, bounds clamped, step checked.
    #[inline]
    pub fn slice_unpack(&self, slice: &Value) -> PyResult<(Option<i64>, Option<i64>, i64)> {
        let parts = match slice.payload() {
            Some(Payload::Slice(p)) => p,
            _ => return Err(self.new_type_error("expected a slice")),
        };
        let step = match self.slice_bound(&parts[2])? {
            None => 1,
            Some(0) => return Err(self.new_value_error("slice step cannot be zero")),
            // -i64::MAX keeps `-step` from overflowing, as CPython does.
            Some(s) => s.max(-i64::MAX),
        };
        let start = self.slice_bound(&parts[0])?;
        let stop = self.slice_bound(&parts[1])?;
        Ok((start, stop, step))
    }

    /// Resolves a slice against a sequence of length `len`: (start, stop, step,
    /// number of items), with CPython's `PySlice_AdjustIndices` rules.
    pub fn slice_indices(&self, slice: &Value, len: usize) -> PyResult<(isize, isize, isize, usize)> {
        let (start, stop, step) = self.slice_unpack(slice)?;
        let (s, e, n) = adjust_indices(start, stop, step, len as i64);
        Ok((s as isize, e as isize, step as isize, n as usize))
    }
}

/// `PySlice_AdjustIndices`: clamps start/stop into the sequence and counts items.
#[inline]
pub fn adjust_indices(start: Option<i64>, stop: Option<i64>, step: i64, len: i64) -> (i64, i64, i64) {
    let (def_start, def_stop) = if step < 0 { (len - 1, -1) } else { (0, len) };
    let fix = |v: Option<i64>, default: i64| -> i64 {
        match v {
            None => default,
            Some(mut v) => {
                if v < 0 {
                    v = v.saturating_add(len);
                    if v < 0 {
                        v = if step < 0 { -1 } else { 0 };
                    }
                } else if v >= len {
                    v = if step < 0 { len - 1 } else { len };
                }
                v
            }
        }
    };
    let s = fix(start, def_start);
    let e = fix(stop, def_stop);
    // Steps of 1 and -1 are by far the most common: no division for them.
    let n = if step == 1 {
        (e - s).max(0)
    } else if step == -1 {
        (s - e).max(0)
    } else if step < 0 {
        if e < s {
            (s - e - 1) / (-step) + 1
        } else {
            0
        }
    } else if s < e {
        (e - s - 1) / step + 1
    } else {
        0
    };
    (s, e, n)
}

fn slice_parts<'a>(vm: &Vm, v: &'a Value) -> PyResult<&'a [Value; 3]> {
    match v.payload() {
        Some(Payload::Slice(p)) => Ok(p),
        _ => Err(vm.new_type_error(format!(
            "descriptor requires a 'slice' object but received a '{}'",
            vm.type_name_of(v)
        ))),
    }
}

fn slice_new(vm: &Vm, args: Args) -> PyResult {
    let a = args.args;
    if args.has_kwargs() {
        return Err(vm.new_type_error("slice() takes no keyword arguments"));
    }
    let rest = &a[1.min(a.len())..];
    match rest.len() {
        0 => Err(vm.new_type_error("slice expected at least 1 argument, got 0")),
        1 => Ok(vm.new_slice(Value::None, rest[0].clone(), Value::None)),
        2 => Ok(vm.new_slice(rest[0].clone(), rest[1].clone(), Value::None)),
        3 => Ok(vm.new_slice(rest[0].clone(), rest[1].clone(), rest[2].clone())),
        n => Err(vm.new_type_error(format!("slice expected at most 3 arguments, got {n}"))),
    }
}

fn slice_repr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__repr__", args, 1, 1)?;
    let p = slice_parts(vm, &args.args[0])?;
    let (a, b, c) = (vm.repr_string(&p[0])?, vm.repr_string(&p[1])?, vm.repr_string(&p[2])?);
    Ok(vm.new_str(format!("slice({a}, {b}, {c})")))
}

fn slice_indices_method(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("indices", args, 2, 2)?;
    let len = vm.index(&args.args[1])?;
    let len = match len {
        Value::Int(i) if i < 0 => return Err(vm.new_value_error("length should not be negative")),
        Value::Int(i) => i,
        other => {
            if vm.as_ibig(&other).map_or(false, |b| b < IBig::ZERO) {
                return Err(vm.new_value_error("length should not be negative"));
            }
            i64::MAX
        }
    };
    let (start, stop, step) = vm.slice_unpack(&args.args[0])?;
    let (s, e, _) = adjust_indices(start, stop, step, len);
    Ok(vm.new_tuple(vec![Value::Int(s), Value::Int(e), Value::Int(step)]))
}

fn slice_cmp(vm: &Vm, args: Args, op: CmpOp) -> PyResult {
    vm.check_arity("__eq__", args, 2, 2)?;
    let (a, b) = (&args.args[0], &args.args[1]);
    let (pa, pb) = match (a.payload(), b.payload()) {
        (Some(Payload::Slice(x)), Some(Payload::Slice(y))) => (x, y),
        _ => return Ok(vm.not_implemented()),
    };
    let ta = vm.new_tuple(pa.to_vec());
    let tb = vm.new_tuple(pb.to_vec());
    vm.compare(&ta, &tb, op)
}

fn slice_eq(vm: &Vm, args: Args) -> PyResult {
    slice_cmp(vm, args, CmpOp::Eq)
}
fn slice_ne(vm: &Vm, args: Args) -> PyResult {
    slice_cmp(vm, args, CmpOp::Ne)
}
fn slice_lt(vm: &Vm, args: Args) -> PyResult {
    slice_cmp(vm, args, CmpOp::Lt)
}
fn slice_le(vm: &Vm, args: Args) -> PyResult {
    slice_cmp(vm, args, CmpOp::Le)
}
fn slice_gt(vm: &Vm, args: Args) -> PyResult {
    slice_cmp(vm, args, CmpOp::Gt)
}
fn slice_ge(vm: &Vm, args: Args) -> PyResult {
    slice_cmp(vm, args, CmpOp::Ge)
}

fn slice_reduce(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__reduce__", args, 1, 1)?;
    let p = slice_parts(vm, &args.args[0])?;
    Ok(vm.new_tuple(vec![Value::Obj(vm.types.slice.clone()), vm.new_tuple(p.to_vec())]))
}

fn get_start(vm: &Vm, v: &Value) -> PyResult {
    Ok(slice_parts(vm, v)?[0].clone())
}
fn get_stop(vm: &Vm, v: &Value) -> PyResult {
    Ok(slice_parts(vm, v)?[1].clone())
}
fn get_step(vm: &Vm, v: &Value) -> PyResult {
    Ok(slice_parts(vm, v)?[2].clone())
}

static SLICE_METHODS: [NativeDef; 10] = [
    NativeDef::staticmethod("__new__", slice_new),
    NativeDef::method("__repr__", slice_repr),
    NativeDef::method("indices", slice_indices_method),
    NativeDef::method("__eq__", slice_eq),
    NativeDef::method("__ne__", slice_ne),
    NativeDef::method("__lt__", slice_lt),
    NativeDef::method("__le__", slice_le),
    NativeDef::method("__gt__", slice_gt),
    NativeDef::method("__ge__", slice_ge),
    NativeDef::method("__reduce__", slice_reduce),
];

static SLICE_GETSETS: [crate::payload::GetSetDef; 3] = [
    crate::payload::GetSetDef { name: "start", get: get_start, set: None, doc: "" },
    crate::payload::GetSetDef { name: "stop", get: get_stop, set: None, doc: "" },
    crate::payload::GetSetDef { name: "step", get: get_step, set: None, doc: "" },
];

pub fn init(vm: &Vm) {
    crate::types::add_methods(vm, &vm.types.slice, &SLICE_METHODS);
    crate::types::add_getsets(vm, &vm.types.slice, &SLICE_GETSETS);
    // Slices are unhashable in 3.11 (they became hashable in 3.12).
    crate::types::add_attr(vm, &vm.types.slice, "__hash__", Value::None);
}

#[cfg(test)]
mod tests {
    use super::adjust_indices;

    #[test]
    fn adjust() {
        // list(range(10))[::-1], [2:8:3], [-100:100], [5:1]
        assert_eq!(adjust_indices(None, None, -1, 10), (9, -1, 10));
        assert_eq!(adjust_indices(Some(2), Some(8), 3, 10), (2, 8, 2));
        assert_eq!(adjust_indices(Some(-100), Some(100), 1, 10), (0, 10, 10));
        assert_eq!(adjust_indices(Some(5), Some(1), 1, 10), (5, 1, 0));
        assert_eq!(adjust_indices(Some(i64::MIN), Some(i64::MAX), -i64::MAX, 10), (-1, 9, 0));
        assert_eq!(adjust_indices(Some(3), None, -1, 10), (3, -1, 4));
        assert_eq!(adjust_indices(Some(3), Some(7), -1, 10), (3, 7, 0));
        assert_eq!(adjust_indices(None, Some(-100), 1, 10), (0, 0, 0));
        assert_eq!(adjust_indices(Some(-3), Some(100), 1, 10), (7, 10, 3));
    }
}
