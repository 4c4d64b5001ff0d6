//! `range`: a lazy arithmetic sequence. Bounds are ints of any size; the
//! common case where everything fits in an i64 takes native fast paths
//! (length, indexing, `in`, iteration), the rest is done with big ints.

use crate::payload::{Payload, RangeData};
use crate::types::function::{Args, NativeDef};
use crate::types::iter::{BigRangeIter, IterState};
use crate::types::seq_util::{method_args, new_iter};
use crate::value::Value;
use crate::{PyRef, PyResult, Vm};
use dashu_int::IBig;

fn data<'a>(vm: &Vm, v: &'a Value) -> PyResult<&'a RangeData> {
    match v.payload() {
        Some(Payload::Range(r)) => Ok(r),
        _ => Err(vm.new_type_error(format!(
            "descriptor requires a 'range' object but received a '{}'",
            vm.type_name_of(v)
        ))),
    }
}

/// (start, stop, step) when all three are machine ints.
fn small(r: &RangeData) -> Option<(i64, i64, i64)> {
    match (&r.start, &r.stop, &r.step) {
        (Value::Int(a), Value::Int(b), Value::Int(c)) => Some((*a, *b, *c)),
        _ => None,
    }
}

fn big(vm: &Vm, r: &RangeData) -> (IBig, IBig, IBig) {
    let f = |v: &Value| vm.as_ibig(v).unwrap_or(IBig::ZERO);
    (f(&r.start), f(&r.stop), f(&r.step))
}

/// Number of items (i128 cannot overflow for i64 bounds).
fn len_small(lo: i64, hi: i64, step: i64) -> i128 {
    let (lo, hi, step) = (lo as i128, hi as i128, step as i128);
    if step > 0 && lo < hi {
        (hi - lo - 1) / step + 1
    } else if step < 0 && lo > hi {
        (lo - hi - 1) / (-step) + 1
    } else {
        0
    }
}

fn len_big(lo: &IBig, hi: &IBig, step: &IBig) -> IBig {
    if *step > IBig::ZERO && lo < hi {
        (hi - lo - IBig::ONE) / step + IBig::ONE
    } else if *step < IBig::ZERO && lo > hi {
        (lo - hi - IBig::ONE) / (-step) + IBig::ONE
    } else {
        IBig::ZERO
    }
}

fn range_len(vm: &Vm, r: &RangeData) -> IBig {
    match small(r) {
        Some((a, b, c)) => IBig::from(len_small(a, b, c)),
        None => {
            let (a, b, c) = big(vm, r);
            len_big(&a, &b, &c)
        }
    }
}

impl Vm {
    /// `range(start, stop, step)` from ints (step already checked non-zero).
    pub fn new_range(&self, start: Value, stop: Value, step: Value) -> Value {
        Value::Obj(PyRef::new(self.types.range.clone(), Payload::Range(Box::new(RangeData { start, stop, step }))))
    }
}

fn r_new(vm: &Vm, args: Args) -> PyResult {
    if args.has_kwargs() {
        return Err(vm.new_type_error("range() takes no keyword arguments"));
    }
    let a = &args.args[1.min(args.args.len())..];
    let conv = |v: &Value| vm.index(v);
    let (start, stop, step) = match a.len() {
        0 => return Err(vm.new_type_error("range expected at least 1 argument, got 0")),
        1 => (Value::Int(0), conv(&a[0])?, Value::Int(1)),
        2 => (conv(&a[0])?, conv(&a[1])?, Value::Int(1)),
        3 => (conv(&a[0])?, conv(&a[1])?, conv(&a[2])?),
        n => return Err(vm.new_type_error(format!("range expected at most 3 arguments, got {n}"))),
    };
    if matches!(step, Value::Int(0)) {
        return Err(vm.new_value_error("range() arg 3 must not be zero"));
    }
    Ok(vm.new_range(start, stop, step))
}

fn r_len(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "range.__len__", 0, 0)?;
    let n = range_len(vm, data(vm, s)?);
    match i64::try_from(&n) {
        Ok(n) => Ok(Value::Int(n)),
        Err(_) => Err(vm.new_overflow_error("Python int too large to convert to C ssize_t")),
    }
}

fn r_bool(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "range.__bool__", 0, 0)?;
    Ok(Value::Bool(range_len(vm, data(vm, s)?) != IBig::ZERO))
}

/// Item `i` (0 <= i < len) of the range.
fn item(vm: &Vm, r: &RangeData, i: &IBig) -> Value {
    if let (Some((a, _, c)), Ok(i)) = (small(r), i64::try_from(i)) {
        if let Some(v) = i.checked_mul(c).and_then(|x| x.checked_add(a)) {
            return Value::Int(v);
        }
    }
    let (a, _, c) = big(vm, r);
    vm.new_int(a + i * c)
}

fn r_getitem(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "range.__getitem__", 1, 1)?;
    let r = data(vm, s)?;
    let key = &a[0];
    if let Some(Payload::Slice(parts)) = key.payload() {
        let len = range_len(vm, r);
        let (b, e, sstep) = long_slice_indices(vm, parts, &len)?;
        let (start, _, step) = big(vm, r);
        let new_step = &step * &sstep;
        let new_start = &start + &step * b;
        let new_stop = &start + &step * e;
        return Ok(vm.new_range(vm.new_int(new_start), vm.new_int(new_stop), vm.new_int(new_step)));
    }
    let has_index = matches!(key, Value::Int(_) | Value::Bool(_))
        || key.payload().and_then(|p| p.as_int()).is_some()
        || vm.special(key, crate::types::typeobj::Slot::Index).is_some();
    if !has_index {
        return Err(vm.new_type_error(format!(
            "range indices must be integers or slices, not {}",
            vm.type_name_of(key)
        )));
    }
    let i = vm.as_ibig(&vm.index(key)?).unwrap_or(IBig::ZERO);
    let len = range_len(vm, r);
    let i = if i < IBig::ZERO { i + &len } else { i };
    if i < IBig::ZERO || i >= len {
        return Err(vm.new_index_error("range object index out of range"));
    }
    Ok(item(vm, r, &i))
}

/// CPython's `_PySlice_GetLongIndices`: slice bounds resolved against a length
/// of any size (ranges may be longer than any machine index).
fn long_slice_indices(vm: &Vm, parts: &[Value; 3], len: &IBig) -> PyResult<(IBig, IBig, IBig)> {
    let bound = |v: &Value| -> PyResult<Option<IBig>> {
        if v.is_none() {
            return Ok(None);
        }
        let has_index = matches!(v, Value::Int(_) | Value::Bool(_))
            || matches!(v.payload().map(|p| p.base()), Some(Payload::Int(_)))
            || vm.special(v, crate::types::typeobj::Slot::Index).is_some();
        if !has_index {
            return Err(vm.new_type_error("slice indices must be integers or None or have an __index__ method"));
        }
        Ok(Some(vm.as_ibig(&vm.index(v)?).unwrap_or(IBig::ZERO)))
    };
    let step = bound(&parts[2])?.unwrap_or(IBig::ONE);
    if step == IBig::ZERO {
        return Err(vm.new_value_error("slice step cannot be zero"));
    }
    let neg = step < IBig::ZERO;
    let (lower, upper) = if neg { (IBig::from(-1), len - IBig::ONE) } else { (IBig::ZERO, len.clone()) };
    let clamp = |v: IBig| -> IBig {
        let v = if v < IBig::ZERO { v + len } else { v };
        if v < lower {
            lower.clone()
        } else if v > upper {
            upper.clone()
        } else {
            v
        }
    };
    let start = match bound(&parts[0])? {
        Some(v) => clamp(v),
        None => if neg { upper.clone() } else { lower.clone() },
    };
    let stop = match bound(&parts[1])? {
        Some(v) => clamp(v),
        None => if neg { lower.clone() } else { upper.clone() },
    };
    Ok((start, stop, step))
}

/// Is `x` (an int) one of the range's values? Returns its index if so.
fn int_position(vm: &Vm, r: &RangeData, x: &Value) -> Option<IBig> {
    if let (Some((a, b, c)), Value::Int(x)) = (small(r), x) {
        let (a, b, c, x) = (a as i128, b as i128, c as i128, *x as i128);
        let inside = if c > 0 { a <= x && x < b } else { b < x && x <= a };
        return if inside && (x - a) % c == 0 { Some(IBig::from((x - a) / c)) } else { None };
    }
    let x = vm.as_ibig(x)?;
    let (a, b, c) = big(vm, r);
    let inside = if c > IBig::ZERO { a <= x && x < b } else { b < x && x <= a };
    if !inside {
        return None;
    }
    let d = &x - &a;
    if (&d % &c) == IBig::ZERO {
        Some(d / c)
    } else {
        None
    }
}

/// Exact ints and bools are compared arithmetically; anything else by `==`.
fn is_plain_int(vm: &Vm, x: &Value) -> bool {
    match x {
        Value::Int(_) | Value::Bool(_) => true,
        Value::Obj(o) => o.class().is(&vm.types.int),
        _ => false,
    }
}

fn r_contains(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "range.__contains__", 1, 1)?;
    let r = data(vm, s)?;
    if is_plain_int(vm, &a[0]) {
        let x = match a[0] {
            Value::Bool(b) => Value::Int(b as i64),
            ref v => v.clone(),
        };
        return Ok(Value::Bool(int_position(vm, r, &x).is_some()));
    }
    let it = r_iter_value(vm, s)?;
    while let Some(v) = vm.next(&it)? {
        if vm.eq_identity_or(&v, &a[0])? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn r_index(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "range.index", 1, 1)?;
    let r = data(vm, s)?;
    if is_plain_int(vm, &a[0]) {
        let x = match a[0] {
            Value::Bool(b) => Value::Int(b as i64),
            ref v => v.clone(),
        };
        return match int_position(vm, r, &x) {
            Some(i) => Ok(vm.new_int(i)),
            None => Err(vm.new_value_error(format!("{} is not in range", vm.repr_string(&a[0])?))),
        };
    }
    let it = r_iter_value(vm, s)?;
    let mut i = 0i64;
    while let Some(v) = vm.next(&it)? {
        if vm.eq_identity_or(&v, &a[0])? {
            return Ok(Value::Int(i));
        }
        i += 1;
    }
    Err(vm.new_value_error("sequence.index(x): x not in sequence"))
}

fn r_count(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "range.count", 1, 1)?;
    let r = data(vm, s)?;
    if is_plain_int(vm, &a[0]) {
        let x = match a[0] {
            Value::Bool(b) => Value::Int(b as i64),
            ref v => v.clone(),
        };
        return Ok(Value::Int(int_position(vm, r, &x).is_some() as i64));
    }
    let it = r_iter_value(vm, s)?;
    let mut n = 0;
    while let Some(v) = vm.next(&it)? {
        if vm.eq_identity_or(&v, &a[0])? {
            n += 1;
        }
    }
    Ok(Value::Int(n))
}

/// An iterator from `first` by `step` for `len` items.
fn make_iter(vm: &Vm, first: IBig, step: IBig, len: IBig) -> Value {
    if let (Ok(f), Ok(s), Ok(n)) = (i64::try_from(&first), i64::try_from(&step), i64::try_from(&len)) {
        // The last value must fit too (next is advanced only while items remain).
        let last = (f as i128) + (s as i128) * ((n as i128) - 1).max(0);
        if i64::try_from(last).is_ok() {
            let st = IterState::Range { next: f, step: s, remaining: n as u64, start: f, len: n as u64 };
            return new_iter(&vm.types.range_iterator, st);
        }
    }
    let b = BigRangeIter { next: first.clone(), step, remaining: len.clone(), start: first, len };
    new_iter(&vm.types.longrange_iterator, IterState::BigRange(Box::new(b)))
}

fn r_iter_value(vm: &Vm, s: &Value) -> PyResult {
    let r = data(vm, s)?;
    if let Some((a, b, c)) = small(r) {
        let n = len_small(a, b, c);
        if n <= i64::MAX as i128 {
            let st = IterState::Range { next: a, step: c, remaining: n as u64, start: a, len: n as u64 };
            return Ok(new_iter(&vm.types.range_iterator, st));
        }
    }
    let (a, _, c) = big(vm, r);
    Ok(make_iter(vm, a, c, range_len(vm, r)))
}

fn r_iter(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "range.__iter__", 0, 0)?;
    r_iter_value(vm, s)
}

fn r_reversed(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "range.__reversed__", 0, 0)?;
    let r = data(vm, s)?;
    let (a, _, c) = big(vm, r);
    let len = range_len(vm, r);
    if len == IBig::ZERO {
        return Ok(make_iter(vm, a, -c, len));
    }
    let last = &a + &c * (&len - IBig::ONE);
    Ok(make_iter(vm, last, -c, len))
}

/// Ranges are equal when they produce the same sequence.
fn ranges_equal(vm: &Vm, x: &RangeData, y: &RangeData) -> bool {
    let (lx, ly) = (range_len(vm, x), range_len(vm, y));
    if lx != ly {
        return false;
    }
    if lx == IBig::ZERO {
        return true;
    }
    let (ax, _, cx) = big(vm, x);
    let (ay, _, cy) = big(vm, y);
    if ax != ay {
        return false;
    }
    lx == IBig::ONE || cx == cy
}

fn r_eq_impl(vm: &Vm, args: Args, ne: bool) -> PyResult {
    let (s, a) = method_args(vm, args, "range.__eq__", 1, 1)?;
    let x = data(vm, s)?;
    let y = match a[0].payload() {
        Some(Payload::Range(r)) => r,
        _ => return Ok(vm.not_implemented()),
    };
    Ok(Value::Bool(ranges_equal(vm, x, y) != ne))
}
fn r_eq(vm: &Vm, args: Args) -> PyResult {
    r_eq_impl(vm, args, false)
}
fn r_ne(vm: &Vm, args: Args) -> PyResult {
    r_eq_impl(vm, args, true)
}

fn r_hash(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "range.__hash__", 0, 0)?;
    let r = data(vm, s)?;
    let len = range_len(vm, r);
    let t = if len == IBig::ZERO {
        vec![Value::Int(0), Value::None, Value::None]
    } else if len == IBig::ONE {
        vec![Value::Int(1), r.start.clone(), Value::None]
    } else {
        vec![vm.new_int(len), r.start.clone(), r.step.clone()]
    };
    Ok(Value::Int(vm.tuple_hash_of(&t)?))
}

fn r_repr(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "range.__repr__", 0, 0)?;
    let r = data(vm, s)?;
    let (a, b) = (vm.repr_string(&r.start)?, vm.repr_string(&r.stop)?);
    if matches!(r.step, Value::Int(1)) {
        return Ok(vm.new_str(format!("range({a}, {b})")));
    }
    Ok(vm.new_str(format!("range({a}, {b}, {})", vm.repr_string(&r.step)?)))
}

fn r_reduce(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "range.__reduce__", 0, 0)?;
    let r = data(vm, s)?;
    Ok(vm.new_tuple(vec![
        Value::Obj(vm.types.range.clone()),
        vm.new_tuple(vec![r.start.clone(), r.stop.clone(), r.step.clone()]),
    ]))
}

fn get_start(vm: &Vm, v: &Value) -> PyResult {
    Ok(data(vm, v)?.start.clone())
}
fn get_stop(vm: &Vm, v: &Value) -> PyResult {
    Ok(data(vm, v)?.stop.clone())
}
fn get_step(vm: &Vm, v: &Value) -> PyResult {
    Ok(data(vm, v)?.step.clone())
}

static RANGE_METHODS: [NativeDef; 14] = [
    NativeDef::staticmethod("__new__", r_new),
    NativeDef::method("__len__", r_len),
    NativeDef::method("__bool__", r_bool),
    NativeDef::method("__getitem__", r_getitem),
    NativeDef::method("__contains__", r_contains),
    NativeDef::method("__iter__", r_iter),
    NativeDef::method("__reversed__", r_reversed),
    NativeDef::method("__eq__", r_eq),
    NativeDef::method("__ne__", r_ne),
    NativeDef::method("__hash__", r_hash),
    NativeDef::method("__repr__", r_repr),
    NativeDef::method("__reduce__", r_reduce),
    NativeDef::method("index", r_index),
    NativeDef::method("count", r_count),
];

static RANGE_GETSETS: [crate::payload::GetSetDef; 3] = [
    crate::payload::GetSetDef { name: "start", get: get_start, set: None, doc: "" },
    crate::payload::GetSetDef { name: "stop", get: get_stop, set: None, doc: "" },
    crate::payload::GetSetDef { name: "step", get: get_step, set: None, doc: "" },
];

pub fn init(vm: &Vm) {
    crate::types::add_methods(vm, &vm.types.range, &RANGE_METHODS);
    crate::types::add_getsets(vm, &vm.types.range, &RANGE_GETSETS);
}

#[cfg(test)]
mod tests {
    use super::len_small;

    #[test]
    fn lengths() {
        assert_eq!(len_small(0, 10, 3), 4);
        assert_eq!(len_small(10, 0, -3), 4);
        assert_eq!(len_small(0, 0, 1), 0);
        assert_eq!(len_small(i64::MIN, i64::MAX, 1), u64::MAX as i128);
    }
}
