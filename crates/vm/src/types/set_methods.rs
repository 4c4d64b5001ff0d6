//! The Python-visible methods of `set` and `frozenset`. Each operation follows
//! the algorithm of CPython's `setobject.c` (which operand is iterated, when
//! tables are pre-sized, which type the result gets), because those choices
//! decide the iteration order users see.

use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::function::{Args, NativeDef};
use crate::types::iter::IterState;
use crate::types::seq_util::{method_args, new_cls, new_iter};
use crate::types::set::SetTable;
use crate::value::Value;
use crate::{PyResult, Vm};
use std::cell::RefCell;

fn table(v: &Value) -> Option<&RefCell<SetTable>> {
    v.payload().and_then(|p| p.as_set())
}

fn is_anyset(v: &Value) -> bool {
    table(v).is_some()
}

fn is_frozen(v: &Value) -> bool {
    matches!(v.payload().map(|p| p.base()), Some(Payload::FrozenSet(_)))
}

fn is_mutable_set(v: &Value) -> bool {
    matches!(v.payload().map(|p| p.base()), Some(Payload::Set(_)))
}

fn same(a: &Value, b: &Value) -> bool {
    a.is(b)
}

fn self_table<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a RefCell<SetTable>> {
    table(v).ok_or_else(|| {
        vm.new_type_error(format!("descriptor '{name}' requires a 'set' object but received a '{}'", vm.type_name_of(v)))
    })
}

/// An empty set of the builtin base type of `like` (set for set subclasses,
/// frozenset for frozenset subclasses): CPython's `make_new_set_basetype`.
fn new_basetype(vm: &Vm, like: &Value) -> Value {
    if is_frozen(like) {
        vm.new_set_of_type(&vm.types.frozenset)
    } else {
        vm.new_set_of_type(&vm.types.set)
    }
}

/// `set_copy`: a new set of the base type holding the same items.
fn set_copy(vm: &Vm, so: &Value) -> PyResult {
    let r = new_basetype(vm, so);
    vm.set_table_update(table(&r).unwrap(), so)?;
    Ok(r)
}

/// Hash a key for a set lookup; a `set` key that is unhashable is retried as a
/// frozenset (so `{1} in {frozenset({1})}` works), as CPython does.
fn lookup_key(vm: &Vm, key: &Value) -> PyResult<(Value, i64)> {
    match vm.hash(key) {
        Ok(h) => Ok((key.clone(), h)),
        Err(e) => frozen_retry(vm, key, e),
    }
}

/// The frozenset stand-in (and its hash) for a `set` key whose hashing
/// failed with TypeError; other failures are passed on.
fn frozen_retry(vm: &Vm, key: &Value, e: crate::PyErr) -> PyResult<(Value, i64)> {
    if !(is_mutable_set(key) && vm.exception_matches(&e, &vm.exc.type_error)) {
        return Err(e);
    }
    let fz = vm.new_set_of_type(&vm.types.frozenset);
    vm.set_table_update(table(&fz).unwrap(), key)?;
    let h = vm.set_table_hash(table(&fz).unwrap());
    Ok((fz, h))
}

/// Runs `f` on `key` and its hash, with `lookup_key`'s frozenset retry,
/// without cloning the key in the usual (hashable) case.
#[inline]
fn with_lookup_key<R>(vm: &Vm, key: &Value, f: impl FnOnce(&Value, i64) -> PyResult<R>) -> PyResult<R> {
    match vm.hash(key) {
        Ok(h) => f(key, h),
        Err(e) => {
            let (k, h) = frozen_retry(vm, key, e)?;
            f(&k, h)
        }
    }
}

fn contains_entry(vm: &Vm, so: &Value, key: &Value, hash: i64) -> PyResult<bool> {
    Ok(vm.set_table_find(table(so).unwrap(), key, hash)?.is_some())
}

fn set_intersection(vm: &Vm, so: &Value, other: &Value) -> PyResult {
    if same(so, other) {
        return set_copy(vm, so);
    }
    let result = new_basetype(vm, so);
    let rt = table(&result).unwrap();
    if let Some(ot) = table(other) {
        let (mut a, mut b) = (so, other);
        if ot.borrow().len() > table(so).unwrap().borrow().len() {
            std::mem::swap(&mut a, &mut b);
        }
        let entries = table(b).unwrap().borrow().entries();
        for (k, h) in entries {
            if contains_entry(vm, a, &k, h)? {
                vm.set_table_add_hashed(rt, k, h)?;
            }
        }
        return Ok(result);
    }
    let it = vm.iter(other)?;
    while let Some(k) = vm.next(&it)? {
        let h = vm.hash(&k)?;
        if contains_entry(vm, so, &k, h)? {
            vm.set_table_add_hashed(rt, k, h)?;
        }
    }
    Ok(result)
}

fn difference_update_internal(vm: &Vm, so: &Value, other: &Value) -> PyResult<()> {
    let st = table(so).unwrap();
    if same(so, other) {
        let old = st.borrow_mut().clear();
        drop(old);
        return Ok(());
    }
    if let Some(ot) = table(other) {
        let other_small;
        let src = if (ot.borrow().len() >> 3) > st.borrow().len() {
            other_small = set_intersection(vm, so, other)?;
            &other_small
        } else {
            other
        };
        let mut removed = Vec::new();
        let done = st.borrow_mut().difference_update_native(&table(src).unwrap().borrow(), &mut removed);
        drop(removed);
        if done {
            shrink_after_removals(st);
            return Ok(());
        }
        let entries = table(src).unwrap().borrow().entries();
        for (k, h) in entries {
            vm.set_table_discard_hashed(st, &k, h)?;
        }
    } else {
        let it = vm.iter(other)?;
        while let Some(k) = vm.next(&it)? {
            let (k, h) = lookup_key(vm, &k)?;
            vm.set_table_discard_hashed(st, &k, h)?;
        }
    }
    shrink_after_removals(st);
    Ok(())
}

/// After a bulk removal: rebuild the table if dummies took over a quarter of it.
fn shrink_after_removals(st: &RefCell<SetTable>) {
    let mut t = st.borrow_mut();
    if t.fill() - t.len() > t.mask_value() / 4 {
        let n = if t.len() > 50000 { t.len() * 2 } else { t.len() * 4 };
        t.resize(n);
    }
}

fn set_difference(vm: &Vm, so: &Value, other: &Value) -> PyResult {
    let other_size = if let Some(ot) = table(other) {
        ot.borrow().len()
    } else if crate::types::seq_util::is_exact(other, &vm.types.dict) {
        vm.dict_len(other.as_obj().unwrap())
    } else {
        let r = set_copy(vm, so)?;
        difference_update_internal(vm, &r, other)?;
        return Ok(r);
    };
    if (table(so).unwrap().borrow().len() >> 2) > other_size {
        let r = set_copy(vm, so)?;
        difference_update_internal(vm, &r, other)?;
        return Ok(r);
    }
    let result = new_basetype(vm, so);
    let rt = table(&result).unwrap();
    if let Some(ot) = table(other) {
        // All keys compared natively: one pass under the borrows, no snapshot.
        let done = table(so).unwrap().borrow().difference_native(&ot.borrow(), &mut rt.borrow_mut());
        if done {
            return Ok(result);
        }
        let partial = rt.borrow_mut().clear();
        drop(partial);
    }
    let entries = table(so).unwrap().borrow().entries();
    for (k, h) in entries {
        let present = if table(other).is_some() {
            contains_entry(vm, other, &k, h)?
        } else {
            vm.dict_get_hashed(other.as_obj().unwrap(), &k, h)?.is_some()
        };
        if !present {
            vm.set_table_add_hashed(rt, k, h)?;
        }
    }
    Ok(result)
}

fn symmetric_difference_update(vm: &Vm, so: &Value, other: &Value) -> PyResult<()> {
    let st = table(so).unwrap();
    if same(so, other) {
        let old = st.borrow_mut().clear();
        drop(old);
        return Ok(());
    }
    let entries: Vec<(Value, i64)> = if crate::types::seq_util::is_exact(other, &vm.types.dict) {
        let d = other.as_obj().unwrap().payload.as_dict().unwrap().borrow();
        d.iter().map(|e| (e.key.clone(), e.hash)).collect()
    } else if let Some(ot) = table(other) {
        ot.borrow().entries()
    } else {
        let tmp = new_basetype(vm, so);
        vm.set_table_update(table(&tmp).unwrap(), other)?;
        let e = table(&tmp).unwrap().borrow().entries();
        e
    };
    for (k, h) in entries {
        if !vm.set_table_discard_hashed(st, &k, h)? {
            vm.set_table_add_hashed(st, k, h)?;
        }
    }
    Ok(())
}

fn set_symmetric_difference(vm: &Vm, so: &Value, other: &Value) -> PyResult {
    let r = new_basetype(vm, so);
    vm.set_table_update(table(&r).unwrap(), other)?;
    symmetric_difference_update(vm, &r, so)?;
    Ok(r)
}

fn issubset(vm: &Vm, so: &Value, other: &Value) -> PyResult<bool> {
    if !is_anyset(other) {
        let tmp = vm.new_set_of_type(&vm.types.set);
        vm.set_table_update(table(&tmp).unwrap(), other)?;
        return issubset(vm, so, &tmp);
    }
    if table(so).unwrap().borrow().len() > table(other).unwrap().borrow().len() {
        return Ok(false);
    }
    let entries = table(so).unwrap().borrow().entries();
    for (k, h) in entries {
        if !contains_entry(vm, other, &k, h)? {
            return Ok(false);
        }
    }
    Ok(true)
}

fn issuperset(vm: &Vm, so: &Value, other: &Value) -> PyResult<bool> {
    if is_anyset(other) {
        return issubset(vm, other, so);
    }
    let it = vm.iter(other)?;
    while let Some(k) = vm.next(&it)? {
        let (k, h) = lookup_key(vm, &k)?;
        if !contains_entry(vm, so, &k, h)? {
            return Ok(false);
        }
    }
    Ok(true)
}

// ---- methods ----

/// `(self, arg)` of a one-argument method: the plain positional call is
/// settled without the general arity check (which gives the error messages).
#[inline]
fn one_arg<'a>(vm: &Vm, args: Args<'a>, fname: &str) -> PyResult<(&'a Value, &'a Value)> {
    if let ([s, a], true) = (args.args, args.kwnames.is_empty()) {
        return Ok((s, a));
    }
    let (s, a) = method_args(vm, args, fname, 1, 1)?;
    Ok((s, &a[0]))
}

fn m_add(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = one_arg(vm, args, "set.add")?;
    vm.set_table_add(self_table(vm, s, "add")?, a.clone())?;
    Ok(Value::None)
}

fn m_clear(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "set.clear", 0, 0)?;
    let old = self_table(vm, s, "clear")?.borrow_mut().clear();
    drop(old);
    Ok(Value::None)
}

fn m_copy(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "set.copy", 0, 0)?;
    if crate::types::seq_util::is_exact(s, &vm.types.frozenset) {
        return Ok(s.clone());
    }
    set_copy(vm, s)
}

fn m_discard(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = one_arg(vm, args, "set.discard")?;
    let t = self_table(vm, s, "discard")?;
    with_lookup_key(vm, a, |k, h| vm.set_table_discard_hashed(t, k, h))?;
    Ok(Value::None)
}

fn m_remove(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = one_arg(vm, args, "set.remove")?;
    let t = self_table(vm, s, "remove")?;
    if !with_lookup_key(vm, a, |k, h| vm.set_table_discard_hashed(t, k, h))? {
        return Err(vm.new_key_error(a.clone()));
    }
    Ok(Value::None)
}

fn m_pop(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "set.pop", 0, 0)?;
    let k = self_table(vm, s, "pop")?.borrow_mut().pop();
    match k {
        Some(k) => Ok(k),
        None => Err(vm.new_exception_msg(&vm.exc.key_error, "pop from an empty set")),
    }
}

fn m_update(vm: &Vm, args: Args) -> PyResult {
    let (s, others) = method_args(vm, args, "set.update", 0, usize::MAX)?;
    let t = self_table(vm, s, "update")?;
    for o in others {
        vm.set_table_update(t, o)?;
    }
    Ok(Value::None)
}

fn m_union(vm: &Vm, args: Args) -> PyResult {
    let (s, others) = method_args(vm, args, "set.union", 0, usize::MAX)?;
    self_table(vm, s, "union")?;
    let r = set_copy(vm, s)?;
    for o in others {
        if same(o, s) {
            continue;
        }
        vm.set_table_update(table(&r).unwrap(), o)?;
    }
    Ok(r)
}

fn m_intersection(vm: &Vm, args: Args) -> PyResult {
    let (s, others) = method_args(vm, args, "set.intersection", 0, usize::MAX)?;
    self_table(vm, s, "intersection")?;
    if others.is_empty() {
        return set_copy(vm, s);
    }
    let mut r = s.clone();
    for o in others {
        r = set_intersection(vm, &r, o)?;
    }
    Ok(r)
}

fn m_intersection_update(vm: &Vm, args: Args) -> PyResult {
    let (s, others) = method_args(vm, args, "set.intersection_update", 0, usize::MAX)?;
    let t = self_table(vm, s, "intersection_update")?;
    let mut r = s.clone();
    for o in others {
        r = set_intersection(vm, &r, o)?;
    }
    if !same(&r, s) {
        let rt = table(&r).unwrap();
        t.borrow_mut().swap_contents(&mut rt.borrow_mut());
    }
    Ok(Value::None)
}

fn m_difference(vm: &Vm, args: Args) -> PyResult {
    let (s, others) = method_args(vm, args, "set.difference", 0, usize::MAX)?;
    self_table(vm, s, "difference")?;
    if others.is_empty() {
        return set_copy(vm, s);
    }
    let r = set_difference(vm, s, &others[0])?;
    for o in &others[1..] {
        difference_update_internal(vm, &r, o)?;
    }
    Ok(r)
}

fn m_difference_update(vm: &Vm, args: Args) -> PyResult {
    let (s, others) = method_args(vm, args, "set.difference_update", 0, usize::MAX)?;
    self_table(vm, s, "difference_update")?;
    for o in others {
        difference_update_internal(vm, s, o)?;
    }
    Ok(Value::None)
}

fn m_symmetric_difference(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "set.symmetric_difference", 1, 1)?;
    self_table(vm, s, "symmetric_difference")?;
    set_symmetric_difference(vm, s, &a[0])
}

fn m_symmetric_difference_update(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "set.symmetric_difference_update", 1, 1)?;
    self_table(vm, s, "symmetric_difference_update")?;
    symmetric_difference_update(vm, s, &a[0])?;
    Ok(Value::None)
}

fn m_issubset(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "set.issubset", 1, 1)?;
    self_table(vm, s, "issubset")?;
    Ok(Value::Bool(issubset(vm, s, &a[0])?))
}

fn m_issuperset(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "set.issuperset", 1, 1)?;
    self_table(vm, s, "issuperset")?;
    Ok(Value::Bool(issuperset(vm, s, &a[0])?))
}

fn m_isdisjoint(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "set.isdisjoint", 1, 1)?;
    let st = self_table(vm, s, "isdisjoint")?;
    let other = &a[0];
    if same(s, other) {
        return Ok(Value::Bool(st.borrow().is_empty()));
    }
    if let Some(ot) = table(other) {
        let (small, big) = if ot.borrow().len() > st.borrow().len() { (s, other) } else { (other, s) };
        let entries = table(small).unwrap().borrow().entries();
        for (k, h) in entries {
            if contains_entry(vm, big, &k, h)? {
                return Ok(Value::Bool(false));
            }
        }
        return Ok(Value::Bool(true));
    }
    let it = vm.iter(other)?;
    while let Some(k) = vm.next(&it)? {
        let h = vm.hash(&k)?;
        if contains_entry(vm, s, &k, h)? {
            return Ok(Value::Bool(false));
        }
    }
    Ok(Value::Bool(true))
}

fn m_len(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "set.__len__", 0, 0)?;
    Ok(Value::Int(self_table(vm, s, "__len__")?.borrow().len() as i64))
}

fn m_contains(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = one_arg(vm, args, "set.__contains__")?;
    Ok(Value::Bool(set_contains_key(vm, self_table(vm, s, "__contains__")?, a)?))
}

/// `key in s` for any set or frozenset table (also the `in` operator's
/// shortcut for exact sets, see `Vm::contains`).
#[inline]
pub fn set_contains_key(vm: &Vm, t: &RefCell<SetTable>, key: &Value) -> PyResult<bool> {
    with_lookup_key(vm, key, |k, h| Ok(vm.set_table_find(t, k, h)?.is_some()))
}

fn m_iter(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "set.__iter__", 0, 0)?;
    let len = self_table(vm, s, "__iter__")?.borrow().len();
    Ok(new_iter(
        &vm.types.set_iterator,
        IterState::Set { set: Some(s.as_obj().unwrap().clone()), pos: 0, len },
    ))
}

/// `next()` of a set_iterator: "Set changed size during iteration" if the set's
/// size differs from when iteration began (sticky once raised).
pub fn set_iter_next(vm: &Vm, set: &PyRef, pos: &mut usize, len: &mut usize) -> PyResult<Option<Value>> {
    let t = set.payload.as_set().unwrap().borrow();
    if t.len() != *len {
        *len = usize::MAX;
        return Err(vm.new_runtime_error("Set changed size during iteration"));
    }
    match t.next_entry(*pos) {
        Some((next, k)) => {
            *pos = next;
            Ok(Some(k.clone()))
        }
        None => Ok(None),
    }
}

fn m_repr(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "set.__repr__", 0, 0)?;
    let t = self_table(vm, s, "__repr__")?;
    let cls = vm.class_of(s);
    let name = vm.type_name(cls);
    let plain = cls.is(&vm.types.set);
    if t.borrow().is_empty() {
        return Ok(vm.new_str(format!("{name}()")));
    }
    let r = vm.with_repr_guard(s, || {
        let keys = t.borrow().keys();
        crate::types::seq_util::join_reprs(vm, &keys)
    })?;
    Ok(vm.new_str(match r {
        None => format!("{name}(...)"),
        Some(body) if plain => format!("{{{body}}}"),
        Some(body) => format!("{name}({{{body}}})"),
    }))
}

fn binop_args<'a>(vm: &Vm, args: Args<'a>, name: &str) -> PyResult<(&'a Value, &'a Value)> {
    let (s, a) = method_args(vm, args, name, 1, 1)?;
    Ok((s, &a[0]))
}

fn op_or(vm: &Vm, a: &Value, b: &Value) -> PyResult {
    if !is_anyset(a) || !is_anyset(b) {
        return Ok(vm.not_implemented());
    }
    let r = set_copy(vm, a)?;
    if !same(a, b) {
        vm.set_table_update(table(&r).unwrap(), b)?;
    }
    Ok(r)
}
fn op_and(vm: &Vm, a: &Value, b: &Value) -> PyResult {
    if !is_anyset(a) || !is_anyset(b) {
        return Ok(vm.not_implemented());
    }
    set_intersection(vm, a, b)
}
fn op_sub(vm: &Vm, a: &Value, b: &Value) -> PyResult {
    if !is_anyset(a) || !is_anyset(b) {
        return Ok(vm.not_implemented());
    }
    set_difference(vm, a, b)
}
fn op_xor(vm: &Vm, a: &Value, b: &Value) -> PyResult {
    if !is_anyset(a) || !is_anyset(b) {
        return Ok(vm.not_implemented());
    }
    set_symmetric_difference(vm, a, b)
}

/// `x - y`, `x | y`, `x & y`, `x ^ y` between exact sets/frozensets (whose
/// operator methods cannot be overridden), for `Vm::binary_op`'s shortcut.
pub fn exact_set_binop(vm: &Vm, x: &PyRef, y: &PyRef, op: krait_compiler::bytecode::BinOp) -> Option<PyResult> {
    use krait_compiler::bytecode::BinOp;
    let exact = |o: &PyRef| o.class().is(&vm.types.set) || o.class().is(&vm.types.frozenset);
    if !exact(x) || !exact(y) {
        return None;
    }
    let (a, b) = (Value::Obj(x.clone()), Value::Obj(y.clone()));
    match op {
        BinOp::Subtract => Some(set_difference(vm, &a, &b)),
        BinOp::Or => Some(op_or(vm, &a, &b)),
        BinOp::And => Some(set_intersection(vm, &a, &b)),
        BinOp::Xor => Some(set_symmetric_difference(vm, &a, &b)),
        _ => None,
    }
}

macro_rules! binops {
    ($($fwd:ident, $refl:ident, $op:ident, $name:literal;)*) => {$(
        fn $fwd(vm: &Vm, args: Args) -> PyResult {
            let (a, b) = binop_args(vm, args, $name)?;
            $op(vm, a, b)
        }
        fn $refl(vm: &Vm, args: Args) -> PyResult {
            let (a, b) = binop_args(vm, args, $name)?;
            $op(vm, b, a)
        }
    )*};
}
binops! {
    m_or, m_ror, op_or, "__or__";
    m_and, m_rand, op_and, "__and__";
    m_sub, m_rsub, op_sub, "__sub__";
    m_xor, m_rxor, op_xor, "__xor__";
}

fn m_ior(vm: &Vm, args: Args) -> PyResult {
    let (s, o) = binop_args(vm, args, "__ior__")?;
    if !is_anyset(o) {
        return Ok(vm.not_implemented());
    }
    vm.set_table_update(self_table(vm, s, "__ior__")?, o)?;
    Ok(s.clone())
}
fn m_iand(vm: &Vm, args: Args) -> PyResult {
    let (s, o) = binop_args(vm, args, "__iand__")?;
    if !is_anyset(o) {
        return Ok(vm.not_implemented());
    }
    let t = self_table(vm, s, "__iand__")?;
    let r = set_intersection(vm, s, o)?;
    if !same(&r, s) {
        t.borrow_mut().swap_contents(&mut table(&r).unwrap().borrow_mut());
    }
    Ok(s.clone())
}
fn m_isub(vm: &Vm, args: Args) -> PyResult {
    let (s, o) = binop_args(vm, args, "__isub__")?;
    if !is_anyset(o) {
        return Ok(vm.not_implemented());
    }
    difference_update_internal(vm, s, o)?;
    Ok(s.clone())
}
fn m_ixor(vm: &Vm, args: Args) -> PyResult {
    let (s, o) = binop_args(vm, args, "__ixor__")?;
    if !is_anyset(o) {
        return Ok(vm.not_implemented());
    }
    symmetric_difference_update(vm, s, o)?;
    Ok(s.clone())
}

fn richcmp(vm: &Vm, args: Args, op: krait_compiler::bytecode::CmpOp) -> PyResult {
    use krait_compiler::bytecode::CmpOp;
    let (a, b) = binop_args(vm, args, "__eq__")?;
    let (ta, tb) = match (table(a), table(b)) {
        (Some(x), Some(y)) => (x, y),
        _ => return Ok(vm.not_implemented()),
    };
    let (la, lb) = (ta.borrow().len(), tb.borrow().len());
    let r = match op {
        CmpOp::Eq => la == lb && issubset(vm, a, b)?,
        CmpOp::Ne => !(la == lb && issubset(vm, a, b)?),
        CmpOp::Le => issubset(vm, a, b)?,
        CmpOp::Ge => issuperset(vm, a, b)?,
        CmpOp::Lt => la < lb && issubset(vm, a, b)?,
        CmpOp::Gt => la > lb && issuperset(vm, a, b)?,
    };
    Ok(Value::Bool(r))
}
fn m_eq(vm: &Vm, args: Args) -> PyResult {
    richcmp(vm, args, krait_compiler::bytecode::CmpOp::Eq)
}
fn m_ne(vm: &Vm, args: Args) -> PyResult {
    richcmp(vm, args, krait_compiler::bytecode::CmpOp::Ne)
}
fn m_lt(vm: &Vm, args: Args) -> PyResult {
    richcmp(vm, args, krait_compiler::bytecode::CmpOp::Lt)
}
fn m_le(vm: &Vm, args: Args) -> PyResult {
    richcmp(vm, args, krait_compiler::bytecode::CmpOp::Le)
}
fn m_gt(vm: &Vm, args: Args) -> PyResult {
    richcmp(vm, args, krait_compiler::bytecode::CmpOp::Gt)
}
fn m_ge(vm: &Vm, args: Args) -> PyResult {
    richcmp(vm, args, krait_compiler::bytecode::CmpOp::Ge)
}

fn m_hash(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "frozenset.__hash__", 0, 0)?;
    Ok(Value::Int(vm.set_table_hash(self_table(vm, s, "__hash__")?)))
}

fn m_sizeof(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "set.__sizeof__", 0, 0)?;
    self_table(vm, s, "__sizeof__")?;
    Ok(Value::Int(crate::object_size::own_size(s) as i64))
}

fn m_reduce(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "set.__reduce__", 0, 0)?;
    let keys = self_table(vm, s, "__reduce__")?.borrow().keys();
    // `__getstate__`: the instance dict and `__slots__` values.
    let state = vm.call_method(s, "__getstate__", &[])?;
    Ok(vm.new_tuple(vec![Value::Obj(vm.type_of(s)), vm.new_tuple(vec![vm.new_list(keys)]), state]))
}

fn set_new(vm: &Vm, args: Args) -> PyResult {
    let cls = new_cls(vm, args.args, &vm.types.set)?;
    if cls.is(&vm.types.set) && args.has_kwargs() {
        return Err(vm.new_type_error("set() takes no keyword arguments"));
    }
    Ok(vm.new_set_of_type(cls))
}

fn set_init(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = args.args.split_first().ok_or_else(|| vm.new_type_error("set.__init__() needs an argument"))?;
    if args.has_kwargs() {
        return Err(vm.new_type_error("set() takes no keyword arguments"));
    }
    let rest = &args.args[1..];
    if rest.len() > 1 {
        return Err(vm.new_type_error(format!("set expected at most 1 argument, got {}", rest.len())));
    }
    let t = self_table(vm, s, "__init__")?;
    if t.borrow().fill() != 0 {
        let old = t.borrow_mut().clear();
        drop(old);
    }
    if let Some(it) = rest.first() {
        vm.set_table_update(t, it)?;
    }
    Ok(Value::None)
}

fn frozenset_new(vm: &Vm, args: Args) -> PyResult {
    let cls = new_cls(vm, args.args, &vm.types.frozenset)?;
    let exact = cls.is(&vm.types.frozenset);
    if args.has_kwargs() && crate::types::seq_util::refuses_keywords(vm, cls, &vm.types.frozenset, "__init__") {
        return Err(vm.new_type_error("frozenset() takes no keyword arguments"));
    }
    let rest = &args.positional()[1..];
    if rest.len() > 1 {
        return Err(vm.new_type_error(format!("frozenset expected at most 1 argument, got {}", rest.len())));
    }
    if let Some(it) = rest.first() {
        if exact && crate::types::seq_util::is_exact(it, &vm.types.frozenset) {
            return Ok(it.clone());
        }
    }
    let r = vm.new_set_of_type(cls);
    if let Some(it) = rest.first() {
        vm.set_table_update(table(&r).unwrap(), it)?;
    }
    Ok(r)
}

fn class_getitem(vm: &Vm, args: Args) -> PyResult {
    let (cls, a) = method_args(vm, args, "__class_getitem__", 1, 1)?;
    vm.generic_alias(cls, &a[0])
}

static COMMON: [NativeDef; 29] = [
    NativeDef::method("copy", m_copy).doc("Return a shallow copy of a set."),
    NativeDef::method("difference", m_difference).doc("Return the difference of two or more sets as a new set."),
    NativeDef::method("intersection", m_intersection).doc("Return the intersection of two sets as a new set."),
    NativeDef::method("isdisjoint", m_isdisjoint).doc("Return True if two sets have a null intersection."),
    NativeDef::method("issubset", m_issubset).doc("Report whether another set contains this set."),
    NativeDef::method("issuperset", m_issuperset).doc("Report whether this set contains another set."),
    NativeDef::method("symmetric_difference", m_symmetric_difference).doc("Return the symmetric difference of two sets as a new set."),
    NativeDef::method("union", m_union).doc("Return the union of sets as a new set."),
    NativeDef::method("__len__", m_len),
    NativeDef::method("__contains__", m_contains).doc("x.__contains__(y) <==> y in x."),
    NativeDef::method("__iter__", m_iter),
    NativeDef::method("__repr__", m_repr),
    NativeDef::method("__or__", m_or),
    NativeDef::method("__ror__", m_ror),
    NativeDef::method("__and__", m_and),
    NativeDef::method("__rand__", m_rand),
    NativeDef::method("__sub__", m_sub),
    NativeDef::method("__rsub__", m_rsub),
    NativeDef::method("__xor__", m_xor),
    NativeDef::method("__rxor__", m_rxor),
    NativeDef::method("__eq__", m_eq),
    NativeDef::method("__ne__", m_ne),
    NativeDef::method("__lt__", m_lt),
    NativeDef::method("__le__", m_le),
    NativeDef::method("__gt__", m_gt),
    NativeDef::method("__ge__", m_ge),
    NativeDef::method("__sizeof__", m_sizeof).doc("S.__sizeof__() -> size of S in memory, in bytes"),
    NativeDef::method("__reduce__", m_reduce).doc("Return state information for pickling."),
    NativeDef::classmethod("__class_getitem__", class_getitem).doc("See PEP 585"),
];

static SET_ONLY: [NativeDef; 16] = [
    NativeDef::staticmethod("__new__", set_new),
    NativeDef::method("__init__", set_init),
    NativeDef::method("add", m_add).doc("Add an element to a set."),
    NativeDef::method("clear", m_clear).doc("Remove all elements from this set."),
    NativeDef::method("discard", m_discard).doc("Remove an element from a set if it is a member."),
    NativeDef::method("remove", m_remove).doc("Remove an element from a set; it must be a member."),
    NativeDef::method("pop", m_pop).doc("Remove and return an arbitrary set element."),
    NativeDef::method("update", m_update).doc("Update a set with the union of itself and others."),
    NativeDef::method("intersection_update", m_intersection_update).doc("Update a set with the intersection of itself and another."),
    NativeDef::method("difference_update", m_difference_update).doc("Remove all elements of another set from this set."),
    NativeDef::method("symmetric_difference_update", m_symmetric_difference_update).doc("Update a set with the symmetric difference of itself and another."),
    NativeDef::method("__ior__", m_ior),
    NativeDef::method("__iand__", m_iand),
    NativeDef::method("__isub__", m_isub),
    NativeDef::method("__ixor__", m_ixor),
    NativeDef::method("__sizeof__", m_sizeof).doc("S.__sizeof__() -> size of S in memory, in bytes"),
];

static FROZENSET_ONLY: [NativeDef; 2] = [
    NativeDef::staticmethod("__new__", frozenset_new),
    NativeDef::method("__hash__", m_hash),
];

pub fn init(vm: &Vm) {
    for t in [&vm.types.set, &vm.types.frozenset] {
        crate::types::add_methods(vm, t, &COMMON);
    }
    crate::types::add_methods(vm, &vm.types.set, &SET_ONLY);
    crate::types::add_attr(vm, &vm.types.set, "__hash__", Value::None);
    crate::types::add_methods(vm, &vm.types.frozenset, &FROZENSET_ONLY);
}
