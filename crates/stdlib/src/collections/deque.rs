//! `collections.deque` and its iterators. The items live in a `VecDeque`
//! inside a `RefCell`; every method copies what it needs out before it
//! runs Python code (`__eq__`, `__repr__` of items), and `state` counts
//! structural changes so iterators and searches notice mutation the way
//! CPython does ("deque mutated during iteration").

use crate::native::{class_getitem, native_type, new_iter, new_object, short_type_name, split_new, ssize, unpack, TypeSpec, ITER_METHODS};
use krait_compiler::bytecode::CmpOp;
use krait_vm::payload::GetSetDef;
use krait_vm::gc::{NativeData, Visitor};
use krait_vm::types::iter::NativeIter;
use krait_vm::types::typeobj::{type_flags, Layout, Slot};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::RefCell;
use std::collections::VecDeque;

pub(crate) struct Deque {
    st: RefCell<DequeState>,
}

struct DequeState {
    items: VecDeque<Value>,
    maxlen: Option<usize>,
    /// Bumped by every change of structure (not by `d[i] = x`).
    state: u64,
}

impl NativeData for Deque {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        if let Ok(st) = self.st.try_borrow() {
            for v in &st.items {
                visitor.visit_value(v);
            }
        }
    }
    fn clear(&self) {
        // A structural change: live iterators report the mutation.
        let old = match self.st.try_borrow_mut() {
            Ok(mut st) => {
                st.state += 1;
                std::mem::take(&mut st.items)
            }
            Err(_) => return,
        };
        drop(old);
    }
}

impl DequeState {
    /// Appends; returns the item pushed out by `maxlen`, which the caller
    /// drops once the state is no longer borrowed (its `__del__` may look
    /// at the deque).
    #[must_use]
    fn push_back(&mut self, x: Value) -> Option<Value> {
        self.state += 1;
        if self.maxlen == Some(0) {
            return Some(x);
        }
        let out = if Some(self.items.len()) == self.maxlen { self.items.pop_front() } else { None };
        self.items.push_back(x);
        out
    }
    #[must_use]
    fn push_front(&mut self, x: Value) -> Option<Value> {
        self.state += 1;
        if self.maxlen == Some(0) {
            return Some(x);
        }
        let out = if Some(self.items.len()) == self.maxlen { self.items.pop_back() } else { None };
        self.items.push_front(x);
        out
    }
}

fn deque_type(vm: &Vm) -> PyRef {
    native_type(vm, &DEQUE)
}

fn state_of(v: &Value) -> Option<&Deque> {
    v.payload().and_then(|p| p.as_native::<Deque>())
}

/// `self` of a deque method and its other arguments, arity-checked.
fn me<'a>(vm: &Vm, args: &Args<'a>, name: &str, min: usize, max: usize) -> PyResult<(&'a Value, &'a Deque, &'a [Value])> {
    let (first, rest) = match args.args.split_first() {
        Some(x) => x,
        None => return Err(vm.new_type_error(format!("descriptor '{name}' of 'collections.deque' object needs an argument"))),
    };
    let d = state_of(first).ok_or_else(|| crate::native::descr_error(vm, name, "collections.deque", first))?;
    let n = rest.len();
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("deque.{name}() takes no keyword arguments")));
    }
    if n < min || n > max {
        let msg = match (min, max) {
            (0, 0) => format!("deque.{name}() takes no arguments ({n} given)"),
            (1, 1) => format!("deque.{name}() takes exactly one argument ({n} given)"),
            (2, 2) => format!("{name} expected 2 arguments, got {n}"),
            _ if n < min => format!("{name}() takes at least {min} argument{} ({n} given)", if min == 1 { "" } else { "s" }),
            _ => format!("deque.{name} expected at most {max} argument{}, got {n}", if max == 1 { "" } else { "s" }),
        };
        return Err(vm.new_type_error(msg));
    }
    Ok((first, d, rest))
}

fn snapshot(d: &Deque) -> Vec<Value> {
    d.st.borrow().items.iter().cloned().collect()
}

fn deque_new(vm: &Vm, args: Args) -> PyResult {
    let t = deque_type(vm);
    let (cls, _) = split_new(vm, args, &t)?;
    let st = DequeState { items: VecDeque::new(), maxlen: None, state: 0 };
    Ok(new_object(vm, &cls, &t, Deque { st: RefCell::new(st) }))
}

fn deque_init(vm: &Vm, args: Args) -> PyResult {
    let (first, rest) = args.args.split_first().ok_or_else(|| vm.new_type_error("deque.__init__ needs an argument"))?;
    let d = state_of(first).ok_or_else(|| crate::native::descr_error(vm, "__init__", "collections.deque", first))?;
    let rest = Args { args: rest, kwnames: args.kwnames };
    let a = crate::native::bind(vm, "deque", rest, &["iterable", "maxlen"], 0)?;
    let maxlen = match &a[1] {
        None | Some(Value::None) => None,
        Some(v) => {
            if !vm.is_subtype(vm.class_of(v), &vm.types.int) {
                return Err(vm.new_type_error("an integer is required"));
            }
            let n = ssize(vm, v)?;
            if n < 0 {
                return Err(vm.new_value_error("maxlen must be non-negative"));
            }
            Some(n as usize)
        }
    };
    let old = {
        let mut st = d.st.borrow_mut();
        st.maxlen = maxlen;
        if !st.items.is_empty() {
            st.state += 1;
        }
        std::mem::take(&mut st.items)
    };
    drop(old);
    if let Some(it) = &a[0] {
        extend(vm, first, d, it, false)?;
    }
    Ok(Value::None)
}

/// Appends (or prepends) every item of `iterable`; a deque extended by
/// itself copies itself first.
fn extend(vm: &Vm, this: &Value, d: &Deque, iterable: &Value, left: bool) -> PyResult<()> {
    let push = |x: Value| {
        let out = if left { d.st.borrow_mut().push_front(x) } else { d.st.borrow_mut().push_back(x) };
        drop(out);
    };
    if iterable.is(this) {
        for x in snapshot(d) {
            push(x);
        }
        return Ok(());
    }
    let it = vm.iter(iterable)?;
    while let Some(x) = vm.next(&it)? {
        push(x);
    }
    Ok(())
}

fn d_append(vm: &Vm, args: Args) -> PyResult {
    let (_, d, a) = me(vm, &args, "append", 1, 1)?;
    let out = d.st.borrow_mut().push_back(a[0].clone());
    drop(out);
    Ok(Value::None)
}
fn d_appendleft(vm: &Vm, args: Args) -> PyResult {
    let (_, d, a) = me(vm, &args, "appendleft", 1, 1)?;
    let out = d.st.borrow_mut().push_front(a[0].clone());
    drop(out);
    Ok(Value::None)
}
fn pop_common(vm: &Vm, args: Args, name: &str, left: bool) -> PyResult {
    let (_, d, _) = me(vm, &args, name, 0, 0)?;
    let mut st = d.st.borrow_mut();
    let x = if left { st.items.pop_front() } else { st.items.pop_back() };
    match x {
        Some(x) => {
            st.state += 1;
            Ok(x)
        }
        None => Err(vm.new_index_error("pop from an empty deque")),
    }
}
fn d_pop(vm: &Vm, args: Args) -> PyResult {
    pop_common(vm, args, "pop", false)
}
fn d_popleft(vm: &Vm, args: Args) -> PyResult {
    pop_common(vm, args, "popleft", true)
}
fn d_extend(vm: &Vm, args: Args) -> PyResult {
    let (this, d, a) = me(vm, &args, "extend", 1, 1)?;
    extend(vm, this, d, &a[0], false)?;
    Ok(Value::None)
}
fn d_extendleft(vm: &Vm, args: Args) -> PyResult {
    let (this, d, a) = me(vm, &args, "extendleft", 1, 1)?;
    extend(vm, this, d, &a[0], true)?;
    Ok(Value::None)
}
fn d_clear(vm: &Vm, args: Args) -> PyResult {
    let (_, d, _) = me(vm, &args, "clear", 0, 0)?;
    let old = {
        let mut st = d.st.borrow_mut();
        st.state += 1;
        std::mem::take(&mut st.items)
    };
    drop(old); // item destructors run with the deque unborrowed
    Ok(Value::None)
}

fn d_rotate(vm: &Vm, args: Args) -> PyResult {
    let (_, d, a) = me(vm, &args, "rotate", 0, 1)?;
    let n = match a.first() {
        Some(v) => ssize(vm, v)?,
        None => 1,
    };
    let mut st = d.st.borrow_mut();
    let len = st.items.len();
    if len > 1 {
        st.state += 1;
        let k = n.rem_euclid(len as i64) as usize;
        st.items.rotate_right(k);
    }
    Ok(Value::None)
}

fn d_reverse(vm: &Vm, args: Args) -> PyResult {
    let (_, d, _) = me(vm, &args, "reverse", 0, 0)?;
    d.st.borrow_mut().items.make_contiguous().reverse();
    Ok(Value::None)
}

/// Compares `x` with each item while the deque keeps its structure;
/// `f` sees each equal index and says whether to stop.
fn scan(vm: &Vm, d: &Deque, x: &Value, from: usize, to: usize, mut f: impl FnMut(usize) -> bool) -> PyResult<bool> {
    let start_state = d.st.borrow().state;
    let mut i = from;
    while i < to {
        let item = match d.st.borrow().items.get(i) {
            Some(v) => v.clone(),
            None => break,
        };
        let eq = vm.eq_identity_or(&item, x)?;
        if d.st.borrow().state != start_state {
            return Err(vm.new_runtime_error("deque mutated during iteration"));
        }
        if eq && f(i) {
            return Ok(true);
        }
        i += 1;
    }
    Ok(false)
}

fn d_count(vm: &Vm, args: Args) -> PyResult {
    let (_, d, a) = me(vm, &args, "count", 1, 1)?;
    let mut n = 0i64;
    let len = d.st.borrow().items.len();
    scan(vm, d, &a[0], 0, len, |_| {
        n += 1;
        false
    })?;
    Ok(Value::Int(n))
}

fn contains(vm: &Vm, args: Args) -> PyResult {
    let (_, d, a) = me(vm, &args, "__contains__", 1, 1)?;
    let len = d.st.borrow().items.len();
    Ok(Value::Bool(scan(vm, d, &a[0], 0, len, |_| true)?))
}

fn slice_index(vm: &Vm, v: &Value, len: usize) -> PyResult<usize> {
    let i = match v {
        Value::Int(i) => *i,
        _ if vm.special(v, Slot::Index).is_some() => match vm.index(v)? {
            Value::Int(i) => i,
            big => {
                if vm.as_ibig(&big).map_or(false, |b| b < dashu_int::IBig::ZERO) {
                    i64::MIN
                } else {
                    i64::MAX
                }
            }
        },
        _ => return Err(vm.new_type_error("slice indices must be integers or have an __index__ method")),
    };
    let len = len as i64;
    Ok(if i < 0 { (i + len).max(0) } else { i.min(len) } as usize)
}

fn find(vm: &Vm, args: Args) -> PyResult<Option<usize>> {
    let (_, d, a) = me(vm, &args, "index", 1, 3)?;
    let len = d.st.borrow().items.len();
    let start = match a.get(1) {
        Some(v) => slice_index(vm, v, len)?,
        None => 0,
    };
    let stop = match a.get(2) {
        Some(v) => slice_index(vm, v, len)?,
        None => len,
    };
    let mut found = None;
    scan(vm, d, &a[0], start, stop, |i| {
        found = Some(i);
        true
    })?;
    Ok(found)
}

fn d_index(vm: &Vm, args: Args) -> PyResult {
    match find(vm, args)? {
        Some(i) => Ok(Value::Int(i as i64)),
        None => Err(vm.new_value_error(format!("{} is not in deque", vm.repr_string(&args.args[1])?))),
    }
}

fn d_remove(vm: &Vm, args: Args) -> PyResult {
    let (_, d, a) = me(vm, &args, "remove", 1, 1)?;
    let len = d.st.borrow().items.len();
    let mut found = None;
    let r = scan(vm, d, &a[0], 0, len, |i| {
        found = Some(i);
        true
    });
    match r {
        // CPython reports this case as an IndexError.
        Err(e) if vm.exception_matches(&e, &vm.exc.runtime_error) => {
            return Err(vm.new_index_error("deque mutated during iteration"))
        }
        Err(e) => return Err(e),
        Ok(_) => {}
    }
    match found {
        Some(i) => {
            let old = {
                let mut st = d.st.borrow_mut();
                st.state += 1;
                st.items.remove(i)
            };
            drop(old);
            Ok(Value::None)
        }
        None => Err(vm.new_value_error(format!("{} is not in deque", vm.repr_string(&a[0])?))),
    }
}

fn d_insert(vm: &Vm, args: Args) -> PyResult {
    let (_, d, a) = me(vm, &args, "insert", 2, 2)?;
    let i = ssize(vm, &a[0])?;
    let mut st = d.st.borrow_mut();
    if Some(st.items.len()) == st.maxlen {
        return Err(vm.new_index_error("deque already at its maximum size"));
    }
    let len = st.items.len() as i64;
    let pos = if i < 0 { (i + len).max(0) } else { i.min(len) } as usize;
    st.state += 1;
    st.items.insert(pos, a[1].clone());
    Ok(Value::None)
}

/// An item index: `__index__`, negative from the end, checked.
fn item_index(vm: &Vm, d: &Deque, v: &Value) -> PyResult<usize> {
    if !matches!(v, Value::Int(_) | Value::Bool(_)) && vm.special(v, Slot::Index).is_none() {
        return Err(vm.new_type_error(format!("sequence index must be integer, not '{}'", vm.type_name_of(v))));
    }
    let i = ssize(vm, v).map_err(|_| vm.new_index_error("cannot fit 'int' into an index-sized integer"))?;
    let len = d.st.borrow().items.len() as i64;
    let j = if i < 0 { i + len } else { i };
    if j < 0 || j >= len {
        return Err(vm.new_index_error("deque index out of range"));
    }
    Ok(j as usize)
}

fn d_getitem(vm: &Vm, args: Args) -> PyResult {
    let (_, d, a) = me(vm, &args, "__getitem__", 1, 1)?;
    let i = item_index(vm, d, &a[0])?;
    Ok(d.st.borrow().items[i].clone())
}

fn d_setitem(vm: &Vm, args: Args) -> PyResult {
    let (_, d, a) = me(vm, &args, "__setitem__", 2, 2)?;
    let i = item_index(vm, d, &a[0])?;
    let old = std::mem::replace(&mut d.st.borrow_mut().items[i], a[1].clone());
    drop(old);
    Ok(Value::None)
}

fn d_delitem(vm: &Vm, args: Args) -> PyResult {
    let (_, d, a) = me(vm, &args, "__delitem__", 1, 1)?;
    let i = item_index(vm, d, &a[0])?;
    let old = {
        let mut st = d.st.borrow_mut();
        st.state += 1;
        st.items.remove(i)
    };
    drop(old);
    Ok(Value::None)
}

fn d_len(vm: &Vm, args: Args) -> PyResult {
    let (_, d, _) = me(vm, &args, "__len__", 0, 0)?;
    Ok(Value::Int(d.st.borrow().items.len() as i64))
}

fn d_repr(vm: &Vm, args: Args) -> PyResult {
    let (this, d, _) = me(vm, &args, "__repr__", 0, 0)?;
    let r = vm.with_repr_guard(this, || {
        let list = vm.new_list(snapshot(d));
        let body = vm.repr_string(&list)?;
        let name = short_type_name(vm, this);
        Ok(match d.st.borrow().maxlen {
            Some(m) => format!("{name}({body}, maxlen={m})"),
            None => format!("{name}({body})"),
        })
    })?;
    Ok(vm.new_str(r.unwrap_or_else(|| "[...]".to_string())))
}

fn d_maxlen(vm: &Vm, v: &Value) -> PyResult {
    let d = state_of(v).ok_or_else(|| crate::native::descr_error(vm, "maxlen", "collections.deque", v))?;
    Ok(match d.st.borrow().maxlen {
        Some(m) => Value::Int(m as i64),
        None => Value::None,
    })
}

/// A copy of the same type (subclasses are called with the deque, and
/// the maxlen when there is one).
fn copy_of(vm: &Vm, this: &Value, d: &Deque) -> PyResult {
    let t = deque_type(vm);
    let maxlen = d.st.borrow().maxlen;
    if vm.class_of(this).is(&t) {
        let st = DequeState { items: d.st.borrow().items.clone(), maxlen, state: 0 };
        return Ok(new_object(vm, &t, &t, Deque { st: RefCell::new(st) }));
    }
    let cls = Value::Obj(vm.class_of(this).clone());
    match maxlen {
        Some(m) => vm.call(&cls, Args::new(&[this.clone(), Value::Int(m as i64)])),
        None => vm.call(&cls, Args::new(&[this.clone()])),
    }
}

fn d_copy(vm: &Vm, args: Args) -> PyResult {
    let (this, d, _) = me(vm, &args, "copy", 0, 0)?;
    copy_of(vm, this, d)
}

fn d_add(vm: &Vm, args: Args) -> PyResult {
    let (this, d, a) = me(vm, &args, "__add__", 1, 1)?;
    if state_of(&a[0]).is_none() {
        return Err(vm.new_type_error(format!(
            "can only concatenate deque (not \"{}\") to deque",
            vm.type_name_of(&a[0])
        )));
    }
    let new = copy_of(vm, this, d)?;
    if let Some(nd) = state_of(&new) {
        extend(vm, &new, nd, &a[0], false)?;
    } else {
        vm.call_method(&new, "extend", &[a[0].clone()])?;
    }
    Ok(new)
}

fn d_iadd(vm: &Vm, args: Args) -> PyResult {
    let (this, d, a) = me(vm, &args, "__iadd__", 1, 1)?;
    extend(vm, this, d, &a[0], false)?;
    Ok(this.clone())
}

/// Repeats the items in place, keeping the last `maxlen` of them.
fn repeat_in_place(vm: &Vm, d: &Deque, n: &Value) -> PyResult<()> {
    let n = ssize(vm, n)?;
    let mut st = d.st.borrow_mut();
    if n <= 0 {
        if !st.items.is_empty() {
            st.state += 1;
        }
        let old = std::mem::take(&mut st.items);
        drop(st);
        drop(old);
        return Ok(());
    }
    if n == 1 || st.items.is_empty() {
        return Ok(());
    }
    let orig: Vec<Value> = st.items.iter().cloned().collect();
    let total = (orig.len() as u128) * (n as u128);
    let keep = st.maxlen.map_or(total, |m| total.min(m as u128));
    if keep > (isize::MAX as u128) / 16 {
        return Err(vm.new_memory_error());
    }
    st.state += 1;
    let skip = (total - keep) as usize;
    let mut out = VecDeque::with_capacity(keep as usize);
    for k in skip..total as usize {
        out.push_back(orig[k % orig.len()].clone());
    }
    let old = std::mem::replace(&mut st.items, out);
    drop(st);
    drop(old);
    Ok(())
}

fn not_int_factor(vm: &Vm, v: &Value) -> bool {
    !matches!(v, Value::Int(_) | Value::Bool(_)) && vm.special(v, Slot::Index).is_none()
}

fn d_mul(vm: &Vm, args: Args) -> PyResult {
    let (this, d, a) = me(vm, &args, "__mul__", 1, 1)?;
    if not_int_factor(vm, &a[0]) {
        // A user class's __rmul__ gets its turn; builtins get CPython's
        // sequence-repeat error about the non-int operand.
        let cls = vm.class_of(&a[0]);
        if cls.payload.as_type().map_or(false, |t| t.is_heap()) && vm.special(&a[0], Slot::RMul).is_some() {
            return Ok(vm.not_implemented());
        }
        return Err(vm.new_type_error(format!("can't multiply sequence by non-int of type '{}'", vm.type_name_of(&a[0]))));
    }
    let new = copy_of(vm, this, d)?;
    match state_of(&new) {
        Some(nd) => repeat_in_place(vm, nd, &a[0])?,
        None => return vm.binary_op(&new, &a[0], krait_compiler::bytecode::BinOp::InplaceMultiply),
    }
    Ok(new)
}

fn d_imul(vm: &Vm, args: Args) -> PyResult {
    let (this, d, a) = me(vm, &args, "__imul__", 1, 1)?;
    if not_int_factor(vm, &a[0]) {
        return Ok(vm.not_implemented());
    }
    repeat_in_place(vm, d, &a[0])?;
    Ok(this.clone())
}

fn compare(vm: &Vm, args: Args, name: &str, op: CmpOp) -> PyResult {
    let (_, d, a) = me(vm, &args, name, 1, 1)?;
    let other = match state_of(&a[0]) {
        Some(o) => o,
        None => return Ok(vm.not_implemented()),
    };
    // Compared as lists are: the snapshots keep Python code from seeing a
    // deque change under the loop.
    let x = vm.new_list(snapshot(d));
    let y = vm.new_list(snapshot(other));
    vm.compare(&x, &y, op)
}

fn d_eq(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__eq__", CmpOp::Eq)
}
fn d_ne(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__ne__", CmpOp::Ne)
}
fn d_lt(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__lt__", CmpOp::Lt)
}
fn d_le(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__le__", CmpOp::Le)
}
fn d_gt(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__gt__", CmpOp::Gt)
}
fn d_ge(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__ge__", CmpOp::Ge)
}

fn d_reduce(vm: &Vm, args: Args) -> PyResult {
    let (this, d, _) = me(vm, &args, "__reduce__", 0, 0)?;
    let cls = Value::Obj(vm.class_of(this).clone());
    let state = vm.instance_dict(this, false).map(Value::Obj).unwrap_or(Value::None);
    let it = vm.iter(this)?;
    let init = match d.st.borrow().maxlen {
        Some(m) => vm.new_tuple(vec![vm.new_tuple(vec![]), Value::Int(m as i64)]),
        None => vm.new_tuple(vec![]),
    };
    Ok(vm.new_tuple(vec![cls, init, state, it]))
}

// ---- iterators ----

struct DequeIter {
    deque: Value,
    reverse: bool,
    /// Position from the front (or back), items left, and the deque's
    /// `state` when the iterator was made.
    st: RefCell<(usize, usize, u64)>,
}

impl NativeIter for DequeIter {
    /// The deque is held for the iterator's whole life (not clearable: the
    /// deque's own `clear` breaks any cycle through the pair).
    fn traverse(&self, visitor: &mut dyn Visitor) {
        visitor.visit_value(&self.deque);
    }
    fn next(&self, vm: &Vm, _this: &Value) -> PyResult<Option<Value>> {
        let d = match state_of(&self.deque) {
            Some(d) => d,
            None => return Ok(None),
        };
        let ds = d.st.borrow();
        let mut st = self.st.borrow_mut();
        if ds.state != st.2 {
            st.1 = 0;
            return Err(vm.new_runtime_error("deque mutated during iteration"));
        }
        if st.1 == 0 {
            return Ok(None);
        }
        let len = ds.items.len();
        let idx = if self.reverse { len - 1 - st.0 } else { st.0 };
        let x = ds.items.get(idx).cloned();
        st.0 += 1;
        st.1 -= 1;
        Ok(x)
    }
}

fn make_iter(vm: &Vm, this: &Value, d: &Deque, reverse: bool) -> Value {
    let t = native_type(vm, if reverse { &REV_ITER } else { &ITER });
    let (len, state) = {
        let s = d.st.borrow();
        (s.items.len(), s.state)
    };
    new_iter(vm, &t, &t, DequeIter { deque: this.clone(), reverse, st: RefCell::new((0, len, state)) })
}

fn d_iter(vm: &Vm, args: Args) -> PyResult {
    let (this, d, _) = me(vm, &args, "__iter__", 0, 0)?;
    Ok(make_iter(vm, this, d, false))
}
fn d_reversed(vm: &Vm, args: Args) -> PyResult {
    let (this, d, _) = me(vm, &args, "__reversed__", 0, 0)?;
    Ok(make_iter(vm, this, d, true))
}

fn it_length_hint(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "__length_hint__", &args, 1, 1)?;
    let rc = crate::native::iter_state::<DequeIter>(&a[0])
        .ok_or_else(|| crate::native::descr_error(vm, "__length_hint__", "_collections._deque_iterator", &a[0]))?;
    let left = crate::native::downcast::<DequeIter>(&rc).st.borrow().1;
    Ok(Value::Int(left as i64))
}

/// `_deque_iterator(deque, index=0)`: an iterator that has skipped `index` items.
fn iter_new_common(vm: &Vm, args: Args, reverse: bool) -> PyResult {
    let spec = if reverse { &REV_ITER } else { &ITER };
    let t = native_type(vm, spec);
    let (_cls, rest) = split_new(vm, args, &t)?;
    let a = unpack(vm, spec.name, &rest, 1, 2)?;
    let d = state_of(&a[0]).ok_or_else(|| {
        vm.new_type_error(format!("{}() argument 1 must be collections.deque, not {}", spec.name, vm.type_name_of(&a[0])))
    })?;
    let it = make_iter(vm, &a[0], d, reverse);
    let skip = match a.get(1) {
        Some(v) => ssize(vm, v)?,
        None => 0,
    };
    for _ in 0..skip {
        if vm.next(&it)?.is_none() {
            break;
        }
    }
    Ok(it)
}
fn iter_new(vm: &Vm, args: Args) -> PyResult {
    iter_new_common(vm, args, false)
}
fn rev_iter_new(vm: &Vm, args: Args) -> PyResult {
    iter_new_common(vm, args, true)
}

static DEQUE_METHODS: [NativeDef; 39] = [
    NativeDef::staticmethod("__new__", deque_new),
    NativeDef::method("__init__", deque_init),
    NativeDef::method("append", d_append),
    NativeDef::method("appendleft", d_appendleft),
    NativeDef::method("pop", d_pop),
    NativeDef::method("popleft", d_popleft),
    NativeDef::method("extend", d_extend),
    NativeDef::method("extendleft", d_extendleft),
    NativeDef::method("clear", d_clear),
    NativeDef::method("copy", d_copy),
    NativeDef::method("__copy__", d_copy),
    NativeDef::method("count", d_count),
    NativeDef::method("index", d_index),
    NativeDef::method("insert", d_insert),
    NativeDef::method("remove", d_remove),
    NativeDef::method("reverse", d_reverse),
    NativeDef::method("rotate", d_rotate),
    NativeDef::method("__len__", d_len),
    NativeDef::method("__getitem__", d_getitem),
    NativeDef::method("__setitem__", d_setitem),
    NativeDef::method("__delitem__", d_delitem),
    NativeDef::method("__contains__", contains),
    NativeDef::method("__iter__", d_iter),
    NativeDef::method("__reversed__", d_reversed),
    NativeDef::method("__repr__", d_repr),
    NativeDef::method("__eq__", d_eq),
    NativeDef::method("__ne__", d_ne),
    NativeDef::method("__lt__", d_lt),
    NativeDef::method("__le__", d_le),
    NativeDef::method("__gt__", d_gt),
    NativeDef::method("__ge__", d_ge),
    NativeDef::method("__add__", d_add),
    NativeDef::method("__iadd__", d_iadd),
    NativeDef::method("__mul__", d_mul),
    NativeDef::method("__rmul__", d_mul),
    NativeDef::method("__imul__", d_imul),
    NativeDef::method("__reduce__", d_reduce),
    NativeDef::classmethod("__class_getitem__", class_getitem),
    NativeDef::method("__sizeof__", d_sizeof),
];

fn d_sizeof(vm: &Vm, args: Args) -> PyResult {
    let (_, d, _) = me(vm, &args, "__sizeof__", 0, 0)?;
    // CPython's layout: a 64-slot block per 64 items plus the header.
    let blocks = d.st.borrow().items.len() / 64 + 1;
    Ok(Value::Int(624 + (blocks as i64 - 1) * 528))
}

static DEQUE_GETSETS: [GetSetDef; 1] =
    [GetSetDef { name: "maxlen", get: d_maxlen, set: None, doc: "maximum size of a deque or None if unbounded" }];

pub(crate) static DEQUE: TypeSpec = TypeSpec {
    module: "collections",
    name: "deque",
    doc: "deque([iterable[, maxlen]]) --> deque object\n\nA list-like sequence optimized for data accesses near its endpoints.",
    layout: Layout::Other,
    flags: type_flags::BASETYPE | type_flags::HAS_WEAKREF,
    base: None,
    slots: &[],
    methods: &DEQUE_METHODS,
    more_methods: &[],
    getsets: &DEQUE_GETSETS,
};

static ITER_M: [NativeDef; 2] =
    [NativeDef::staticmethod("__new__", iter_new), NativeDef::method("__length_hint__", it_length_hint)];
static REV_ITER_M: [NativeDef; 2] =
    [NativeDef::staticmethod("__new__", rev_iter_new), NativeDef::method("__length_hint__", it_length_hint)];

pub(crate) static ITER: TypeSpec = TypeSpec {
    module: "_collections",
    name: "_deque_iterator",
    doc: "",
    layout: Layout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &ITER_METHODS,
    more_methods: &ITER_M,
    getsets: &[],
};
pub(crate) static REV_ITER: TypeSpec = TypeSpec {
    module: "_collections",
    name: "_deque_reverse_iterator",
    doc: "",
    layout: Layout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &ITER_METHODS,
    more_methods: &REV_ITER_M,
    getsets: &[],
};

/// Sets `__hash__ = None` (deques are unhashable) once the type exists.
pub(crate) fn finish(vm: &Vm) -> PyRef {
    let t = deque_type(vm);
    if vm.dict_get_str(&t.payload.as_type().unwrap().dict, &vm.intern("__hash__")).is_none() {
        krait_vm::types::add_attr(vm, &t, "__hash__", Value::None);
        vm.refresh_slots(&t);
    }
    t
}

#[cfg(test)]
mod gc_tests {
    use super::*;
    use krait_vm::gc::{NativeData, Visitor};

    /// Records the identity of each visited object.
    struct Ids(Vec<usize>);
    impl Visitor for Ids {
        fn visit(&mut self, obj: &PyRef) {
            self.0.push(obj.id());
        }
    }

    fn visited(f: impl FnOnce(&mut Ids)) -> Vec<usize> {
        let mut ids = Ids(Vec::new());
        f(&mut ids);
        ids.0
    }

    #[test]
    fn deque_traverse_visits_each_item_and_clear_drops_them() {
        let vm = Vm::new(Default::default());
        let vm = &*vm;
        let items: Vec<Value> = (0..3).map(|_| vm.new_list(Vec::new())).collect();
        let mut args = items.clone();
        args.push(Value::Int(7));
        let d = vm.call(&Value::Obj(finish(vm)), Args::new(&[vm.new_list(args)])).unwrap();
        let st = state_of(&d).unwrap();
        assert!(st.is_gc());
        let want: Vec<usize> = items.iter().map(|v| v.as_obj().unwrap().id()).collect();
        assert_eq!(visited(|ids| st.traverse(ids)), want);

        // The iterator visits its deque.
        let it = make_iter(vm, &d, st, false);
        let rc = crate::native::iter_state::<DequeIter>(&it).unwrap();
        assert_eq!(visited(|ids| rc.traverse(ids)), vec![d.as_obj().unwrap().id()]);

        // A state borrowed for writing is skipped.
        {
            let _b = st.st.borrow_mut();
            assert!(visited(|ids| st.traverse(ids)).is_empty());
        }

        st.clear();
        assert!(visited(|ids| st.traverse(ids)).is_empty());
        assert_eq!(st.st.borrow().items.len(), 0);
        // Clearing is a mutation the live iterator reports.
        assert!(krait_vm::types::iter::iter_next(vm, &it).is_err());
    }
}
