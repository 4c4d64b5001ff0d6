//! `tuple`: the Python-visible methods of the builtin tuple, including
//! CPython's xxHash-based tuple hash (so `hash((1, 2))` equals CPython's).
//! Tuples are immutable, so items can be read without copying; only the
//! comparisons and reprs of the items themselves run Python code.

use crate::payload::Payload;
use crate::types::function::{Args, NativeDef};
use crate::types::iter::IterState;
use crate::types::list::{defer_to_reflected, try_vec};
use crate::types::seq_util::{self, method_args, new_cls, new_iter, new_with_base};
use crate::value::Value;
use crate::{PyResult, Vm};
use krait_compiler::bytecode::CmpOp;

fn items_of<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a [Value]> {
    v.payload().and_then(|p| p.as_tuple()).ok_or_else(|| {
        vm.new_type_error(format!(
            "descriptor '{name}' for 'tuple' objects doesn't apply to a '{}' object",
            vm.type_name_of(v)
        ))
    })
}

impl Vm {
    /// `hash(tuple)` over already-known item hashes (CPython's xxHash variant).
    pub fn tuple_hash_of(&self, items: &[Value]) -> PyResult<i64> {
        const P1: u64 = 11400714785074694791;
        const P2: u64 = 14029467366897019727;
        const P5: u64 = 2870177450012600261;
        let mut acc: u64 = P5;
        for x in items {
            let lane = self.hash(x)? as u64;
            acc = acc.wrapping_add(lane.wrapping_mul(P2));
            acc = acc.rotate_left(31);
            acc = acc.wrapping_mul(P1);
        }
        acc = acc.wrapping_add((items.len() as u64) ^ (P5 ^ 3527539));
        if acc == u64::MAX {
            return Ok(1546275796);
        }
        Ok(acc as i64)
    }
}

fn t_len(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "tuple.__len__", 0, 0)?;
    Ok(Value::Int(items_of(vm, s, "__len__")?.len() as i64))
}

fn t_getitem(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "tuple.__getitem__", 1, 1)?;
    let t = items_of(vm, s, "__getitem__")?;
    let key = &a[0];
    if let Some(Payload::Slice(_)) = key.payload() {
        let (start, _, step, n) = vm.slice_indices(key, t.len())?;
        if step == 1 && n == t.len() && seq_util::is_exact(s, &vm.types.tuple) {
            return Ok(s.clone());
        }
        let out: Vec<Value> = if step == 1 {
            t[start as usize..start as usize + n].to_vec()
        } else {
            (0..n).map(|k| t[(start + k as isize * step) as usize].clone()).collect()
        };
        return Ok(vm.new_tuple(out));
    }
    match seq_util::seq_index(vm, key, t.len(), "tuple")? {
        Some(i) => Ok(t[i].clone()),
        None => Err(vm.new_index_error("tuple index out of range")),
    }
}

fn t_contains(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "tuple.__contains__", 1, 1)?;
    for x in items_of(vm, s, "__contains__")? {
        if vm.eq_identity_or(x, &a[0])? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn t_count(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "tuple.count", 1, 1)?;
    let mut n = 0;
    for x in items_of(vm, s, "count")? {
        if vm.eq_identity_or(x, &a[0])? {
            n += 1;
        }
    }
    Ok(Value::Int(n))
}

fn bound(vm: &Vm, v: &Value, len: usize) -> PyResult<usize> {
    let ok = matches!(v, Value::Int(_) | Value::Bool(_))
        || v.payload().and_then(|p| p.as_int()).is_some()
        || vm.special(v, crate::types::typeobj::Slot::Index).is_some();
    if !ok {
        return Err(vm.new_type_error("slice indices must be integers or have an __index__ method"));
    }
    let i = vm.index_clamped(v)?;
    let n = len as i64;
    Ok(if i < 0 { i.saturating_add(n).max(0) as usize } else { i.min(n) as usize })
}

fn t_index(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "index", 1, 3)?;
    let t = items_of(vm, s, "index")?;
    let lo = match a.get(1) {
        Some(v) => bound(vm, v, t.len())?,
        None => 0,
    };
    let hi = match a.get(2) {
        Some(v) => bound(vm, v, t.len())?,
        None => t.len(),
    };
    for i in lo..hi.max(lo) {
        if vm.eq_identity_or(&t[i], &a[0])? {
            return Ok(Value::Int(i as i64));
        }
    }
    Err(vm.new_value_error("tuple.index(x): x not in tuple"))
}

fn t_iter(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "tuple.__iter__", 0, 0)?;
    items_of(vm, s, "__iter__")?;
    Ok(new_iter(&vm.types.tuple_iterator, IterState::Seq { seq: Some(s.clone()), index: 0 }))
}

fn t_hash(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "tuple.__hash__", 0, 0)?;
    Ok(Value::Int(vm.tuple_hash_of(items_of(vm, s, "__hash__")?)?))
}

fn t_repr(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "tuple.__repr__", 0, 0)?;
    let t = items_of(vm, s, "__repr__")?;
    if t.is_empty() {
        return Ok(vm.new_str("()"));
    }
    let r = vm.with_repr_guard(s, || {
        let body = seq_util::join_reprs(vm, t)?;
        Ok(if t.len() == 1 { format!("({body},)") } else { format!("({body})") })
    })?;
    Ok(vm.new_str(r.unwrap_or_else(|| "(...)".to_string())))
}

fn cmp(vm: &Vm, args: Args, op: CmpOp) -> PyResult {
    let (s, a) = method_args(vm, args, "tuple.__eq__", 1, 1)?;
    let ta = items_of(vm, s, "__eq__")?;
    let tb = match a[0].payload().and_then(|p| p.as_tuple()) {
        Some(t) => t,
        None => return Ok(vm.not_implemented()),
    };
    items_compare(vm, ta, tb, op)
}

/// How two items order when that is known without running Python code and
/// agrees with both their `==` and their `<`: the same object, exact ints,
/// floats (not NaN), exact strs. None: Python must decide.
#[inline]
fn native_order(vm: &Vm, x: &Value, y: &Value) -> Option<std::cmp::Ordering> {
    match (x, y) {
        (Value::Int(a), Value::Int(b)) => Some(a.cmp(b)),
        (Value::Float(a), Value::Float(b)) => a.partial_cmp(b),
        (Value::Obj(a), Value::Obj(b)) => {
            if a.is(b) {
                return Some(std::cmp::Ordering::Equal);
            }
            match (&a.payload, &b.payload) {
                (Payload::Str(s), Payload::Str(t))
                    if a.class().is(&vm.types.str) && b.class().is(&vm.types.str) =>
                {
                    Some(s.cmp_text(t))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The index of the first pair of items that are not equal (by identity or
/// `==`, which may run Python code), or None when one tuple is a prefix of
/// the other (tuples cannot change meanwhile).
#[inline]
fn first_difference(vm: &Vm, a: &[Value], b: &[Value]) -> PyResult<Option<usize>> {
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        let equal = match native_order(vm, x, y) {
            Some(o) => o == std::cmp::Ordering::Equal,
            None => vm.eq_identity_or(x, y)?,
        };
        if !equal {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

/// Does an ordering satisfy `op`?
#[inline]
fn satisfies(o: std::cmp::Ordering, op: CmpOp) -> bool {
    use std::cmp::Ordering::*;
    match op {
        CmpOp::Lt => o == Less,
        CmpOp::Le => o != Greater,
        CmpOp::Eq => o == Equal,
        CmpOp::Ne => o != Equal,
        CmpOp::Gt => o == Greater,
        CmpOp::Ge => o != Less,
    }
}

/// `a op b` for the items of two tuples, as CPython's tuple rich comparison:
/// `==` on each pair until one differs, then `op` on that pair (its result
/// as returned, not made a bool), else the lengths decide.
pub fn items_compare(vm: &Vm, a: &[Value], b: &[Value], op: CmpOp) -> PyResult {
    if matches!(op, CmpOp::Eq | CmpOp::Ne) && a.len() != b.len() {
        return Ok(Value::Bool(op == CmpOp::Ne));
    }
    match first_difference(vm, a, b)? {
        None => Ok(Value::Bool(satisfies(a.len().cmp(&b.len()), op))),
        Some(_) if op == CmpOp::Eq => Ok(Value::Bool(false)),
        Some(_) if op == CmpOp::Ne => Ok(Value::Bool(true)),
        Some(i) => vm.compare(&a[i], &b[i], op),
    }
}

/// `a op b` as a bool for the items of two tuples (sorting, `min`/`max`):
/// `items_compare`, the deciding pair's result made a bool.
pub fn items_compare_bool(vm: &Vm, a: &[Value], b: &[Value], op: CmpOp) -> PyResult<bool> {
    if matches!(op, CmpOp::Eq | CmpOp::Ne) && a.len() != b.len() {
        return Ok(op == CmpOp::Ne);
    }
    match first_difference(vm, a, b)? {
        None => Ok(satisfies(a.len().cmp(&b.len()), op)),
        Some(i) => match native_order(vm, &a[i], &b[i]) {
            Some(o) => Ok(satisfies(o, op)),
            None => {
                let r = vm.compare(&a[i], &b[i], op)?;
                vm.truthy(&r)
            }
        },
    }
}

/// The items of `v` if it is an exact tuple (whose comparisons no subclass
/// can override).
#[inline]
pub fn exact_items<'a>(vm: &Vm, v: &'a Value) -> Option<&'a [Value]> {
    match v {
        Value::Obj(o) if o.class().is(&vm.types.tuple) => match &o.payload {
            Payload::Tuple(t) => Some(t),
            _ => None,
        },
        _ => None,
    }
}

/// `a op b` as a bool (`op` an ordering), with exact tuples compared here
/// item by item rather than through their rich comparison (the same calls on
/// the items, in the same order).
#[inline]
pub fn compare_bool(vm: &Vm, a: &Value, b: &Value, op: CmpOp) -> PyResult<bool> {
    if let Some(r) = crate::protocol::ops::fast_compare(a, b, op) {
        return Ok(r);
    }
    if let (Some(x), Some(y)) = (exact_items(vm, a), exact_items(vm, b)) {
        return items_compare_bool(vm, x, y, op);
    }
    let r = vm.compare(a, b, op)?;
    vm.truthy(&r)
}

fn t_eq(vm: &Vm, args: Args) -> PyResult {
    cmp(vm, args, CmpOp::Eq)
}
fn t_ne(vm: &Vm, args: Args) -> PyResult {
    cmp(vm, args, CmpOp::Ne)
}
fn t_lt(vm: &Vm, args: Args) -> PyResult {
    cmp(vm, args, CmpOp::Lt)
}
fn t_le(vm: &Vm, args: Args) -> PyResult {
    cmp(vm, args, CmpOp::Le)
}
fn t_gt(vm: &Vm, args: Args) -> PyResult {
    cmp(vm, args, CmpOp::Gt)
}
fn t_ge(vm: &Vm, args: Args) -> PyResult {
    cmp(vm, args, CmpOp::Ge)
}

fn t_add(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "tuple.__add__", 1, 1)?;
    let x = items_of(vm, s, "__add__")?;
    let y = match a[0].payload().and_then(|p| p.as_tuple()) {
        Some(y) => y,
        None => {
            if defer_to_reflected(vm, &a[0], crate::types::typeobj::Slot::RAdd) {
                return Ok(vm.not_implemented());
            }
            return Err(vm.new_type_error(format!(
                "can only concatenate tuple (not \"{}\") to tuple",
                vm.type_name_of(&a[0])
            )));
        }
    };
    if y.is_empty() && seq_util::is_exact(s, &vm.types.tuple) {
        return Ok(s.clone());
    }
    if x.is_empty() && seq_util::is_exact(&a[0], &vm.types.tuple) {
        return Ok(a[0].clone());
    }
    let mut out = try_vec(vm, x.len() + y.len())?;
    out.extend_from_slice(x);
    out.extend_from_slice(y);
    Ok(vm.new_tuple(out))
}

fn t_mul(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "tuple.__mul__", 1, 1)?;
    let t = items_of(vm, s, "__mul__")?;
    let n = match seq_util::repeat_count(vm, &a[0])? {
        Some(n) => n,
        None => {
            if defer_to_reflected(vm, &a[0], crate::types::typeobj::Slot::RMul) {
                return Ok(vm.not_implemented());
            }
            return Err(vm.new_type_error(format!(
                "can't multiply sequence by non-int of type '{}'",
                vm.type_name_of(&a[0])
            )));
        }
    };
    if n == 1 && seq_util::is_exact(s, &vm.types.tuple) {
        return Ok(s.clone());
    }
    let total = seq_util::checked_repeat_len(vm, t.len(), n)?;
    let mut out = try_vec(vm, total)?;
    if total > 0 {
        for _ in 0..n {
            out.extend_from_slice(t);
        }
    }
    Ok(vm.new_tuple(out))
}

fn t_getnewargs(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "tuple.__getnewargs__", 0, 0)?;
    let t = items_of(vm, s, "__getnewargs__")?;
    Ok(vm.new_tuple(vec![vm.new_tuple(t.to_vec())]))
}

fn t_sizeof(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "tuple.__sizeof__", 0, 0)?;
    items_of(vm, s, "__sizeof__")?;
    Ok(Value::Int(crate::object_size::own_size(s) as i64))
}

fn t_new(vm: &Vm, args: Args) -> PyResult {
    let cls = new_cls(vm, args.args, &vm.types.tuple)?;
    let exact = cls.is(&vm.types.tuple);
    if args.has_kwargs() && seq_util::refuses_keywords(vm, cls, &vm.types.tuple, "__init__") {
        return Err(vm.new_type_error("tuple() takes no keyword arguments"));
    }
    let rest = &args.positional()[1..];
    if rest.len() > 1 {
        return Err(vm.new_type_error(format!("tuple expected at most 1 argument, got {}", rest.len())));
    }
    let items = match rest.first() {
        Some(it) => {
            if exact && seq_util::is_exact(it, &vm.types.tuple) {
                return Ok(it.clone());
            }
            vm.collect_iter(it)?
        }
        None => Vec::new(),
    };
    if exact {
        return Ok(vm.new_tuple(items));
    }
    Ok(new_with_base(vm, cls, &vm.types.tuple, Payload::Tuple(crate::tuple_items::TupleItems::boxed(items.into_boxed_slice()))))
}

fn class_getitem(vm: &Vm, args: Args) -> PyResult {
    let (cls, a) = method_args(vm, args, "__class_getitem__", 1, 1)?;
    vm.generic_alias(cls, &a[0])
}

static TUPLE_METHODS: [NativeDef; 21] = [
    NativeDef::staticmethod("__new__", t_new),
    NativeDef::method("__len__", t_len),
    NativeDef::method("__getitem__", t_getitem),
    NativeDef::method("__contains__", t_contains),
    NativeDef::method("__iter__", t_iter),
    NativeDef::method("__hash__", t_hash),
    NativeDef::method("__repr__", t_repr),
    NativeDef::method("__eq__", t_eq),
    NativeDef::method("__ne__", t_ne),
    NativeDef::method("__lt__", t_lt),
    NativeDef::method("__le__", t_le),
    NativeDef::method("__gt__", t_gt),
    NativeDef::method("__ge__", t_ge),
    NativeDef::method("__add__", t_add),
    NativeDef::method("__mul__", t_mul),
    NativeDef::method("__rmul__", t_mul),
    NativeDef::method("count", t_count).doc("count($self, value, /)\n--\n\nReturn number of occurrences of value."),
    NativeDef::method("index", t_index).doc("index($self, value, start=0, stop=sys.maxsize, /)\n--\n\nReturn first index of value."),
    NativeDef::method("__getnewargs__", t_getnewargs).doc("__getnewargs__($self, /)\n--\n\n"),
    NativeDef::method("__sizeof__", t_sizeof),
    NativeDef::classmethod("__class_getitem__", class_getitem).doc("See PEP 585"),
];

pub fn init(vm: &Vm) {
    crate::types::add_methods(vm, &vm.types.tuple, &TUPLE_METHODS);
}

#[cfg(test)]
mod tests {
    use crate::value::Value;
    use crate::Vm;

    #[test]
    fn tuple_hash_matches_cpython() {
        let vm = Vm::new(Default::default());
        // python3 -c "print(hash((1,2)), hash(()))"
        assert_eq!(vm.tuple_hash_of(&[Value::Int(1), Value::Int(2)]).unwrap(), -3550055125485641917);
        assert_eq!(vm.tuple_hash_of(&[]).unwrap(), 5740354900026072187);
    }
}
