//! `list`: the Python-visible methods of the builtin list.
//!
//! The list is a `RefCell<ListStorage>` (a Vec with a movable front, see
//! `list_storage.rs`). Any call that can run Python code
//! (`__eq__`, `__repr__`, `__index__`, iteration) happens with the cell
//! released: items are cloned out first and lengths re-checked afterwards,
//! because that code may mutate the very list being worked on. Replaced items
//! are dropped only after the borrow ends (their `__del__` may touch the list).

use crate::payload::Payload;
use crate::types::function::{Args, NativeDef};
use crate::types::iter::IterState;
use crate::types::list_slice;
use crate::types::list_storage::ListStorage;
use crate::types::seq_util::{self, method_args, new_cls, new_iter, new_with_base};
use crate::value::Value;
use crate::{PyResult, Vm};
use krait_compiler::bytecode::CmpOp;
use std::cell::RefCell;

type ListCell = RefCell<ListStorage>;

fn list_of<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a ListCell> {
    v.payload().and_then(|p| p.as_list()).ok_or_else(|| {
        vm.new_type_error(format!(
            "descriptor '{name}' for 'list' objects doesn't apply to a '{}' object",
            vm.type_name_of(v)
        ))
    })
}

/// A Vec with room for `n` values, or MemoryError (never an abort).
pub fn try_vec(vm: &Vm, n: usize) -> PyResult<Vec<Value>> {
    let mut v = Vec::new();
    seq_util::check_alloc_bytes(vm, n.saturating_mul(std::mem::size_of::<Value>()))?;
    v.try_reserve_exact(n).map_err(|_| vm.new_memory_error())?;
    Ok(v)
}

impl Vm {
    /// `list.extend(iterable)` on a list value.
    pub fn list_extend(&self, list: &Value, iterable: &Value) -> PyResult<()> {
        let l = list.payload().and_then(|p| p.as_list()).expect("list_extend on a non-list");
        if let Some(items) = self.exact_seq_items(iterable) {
            l.borrow_mut().extend(items);
            return Ok(());
        }
        let it = self.iter(iterable)?;
        let n = self.class_length_hint(iterable)?;
        l.borrow_mut().reserve(n);
        while let Some(x) = self.next(&it)? {
            l.borrow_mut().push(x);
        }
        Ok(())
    }

    /// `list.append(x)` on a list value.
    #[inline]
    pub fn list_append(&self, list: &Value, x: Value) {
        if let Some(l) = list.payload().and_then(|p| p.as_list()) {
            l.borrow_mut().push(x);
        }
    }
}

fn l_append(vm: &Vm, args: Args) -> PyResult {
    if args.args.len() == 2 && args.kwnames.is_empty() {
        list_of(vm, &args.args[0], "append")?.borrow_mut().push(args.args[1].clone());
        return Ok(Value::None);
    }
    let (s, a) = method_args(vm, args, "list.append", 1, 1)?;
    list_of(vm, s, "append")?.borrow_mut().push(a[0].clone());
    Ok(Value::None)
}

fn l_extend(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "list.extend", 1, 1)?;
    list_of(vm, s, "extend")?;
    vm.list_extend(s, &a[0])?;
    Ok(Value::None)
}

fn l_insert(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "insert", 2, 2)?;
    let l = list_of(vm, s, "insert")?;
    let i = vm.index_clamped(&a[0])?;
    let mut v = l.borrow_mut();
    let n = v.len() as i64;
    let idx = if i < 0 { (i.saturating_add(n)).max(0) } else { i.min(n) };
    v.insert(idx as usize, a[1].clone());
    Ok(Value::None)
}

fn l_pop(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "pop", 0, 1)?;
    let l = list_of(vm, s, "pop")?;
    let i = match a.first() {
        Some(x) => match vm.index(x)? {
            Value::Int(i) => i,
            _ => return Err(vm.new_index_error("pop index out of range")),
        },
        None => -1,
    };
    let mut v = l.borrow_mut();
    if v.is_empty() {
        return Err(vm.new_index_error("pop from empty list"));
    }
    let n = v.len() as i64;
    let idx = if i < 0 { i + n } else { i };
    if idx < 0 {
        return Err(vm.new_index_error("pop index out of range"));
    }
    v.remove(idx as usize).ok_or_else(|| vm.new_index_error("pop index out of range"))
}

/// Finds the first index in `lo..hi` whose item equals `x` (re-reading the list
/// each step, since `__eq__` may change it).
fn find(vm: &Vm, l: &ListCell, x: &Value, lo: usize, hi: usize) -> PyResult<Option<usize>> {
    let mut i = lo;
    loop {
        let item = {
            let v = l.borrow();
            if i >= hi.min(v.len()) {
                return Ok(None);
            }
            v[i].clone()
        };
        if vm.eq_identity_or(&item, x)? {
            return Ok(Some(i));
        }
        i += 1;
    }
}

/// A start/stop argument of `index()`: an int or `__index__` object, clamped.
fn search_bound(vm: &Vm, v: &Value, len: usize) -> PyResult<usize> {
    let i = match v {
        Value::Int(i) => *i,
        _ => {
            let ok = v.payload().and_then(|p| p.as_int()).is_some()
                || matches!(v, Value::Bool(_))
                || vm.special(v, crate::types::typeobj::Slot::Index).is_some();
            if !ok {
                return Err(vm.new_type_error("slice indices must be integers or have an __index__ method"));
            }
            vm.index_clamped(v)?
        }
    };
    let n = len as i64;
    Ok(if i < 0 { (i.saturating_add(n)).max(0) as usize } else { i.min(n) as usize })
}

fn l_index(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "index", 1, 3)?;
    let l = list_of(vm, s, "index")?;
    let len = l.borrow().len();
    let lo = match a.get(1) {
        Some(v) => search_bound(vm, v, len)?,
        None => 0,
    };
    let hi = match a.get(2) {
        Some(v) => search_bound(vm, v, len)?,
        None => usize::MAX,
    };
    match find(vm, l, &a[0], lo, hi)? {
        Some(i) => Ok(Value::Int(i as i64)),
        None => Err(vm.new_value_error(format!("{} is not in list", vm.repr_string(&a[0])?))),
    }
}

fn l_count(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "list.count", 1, 1)?;
    let l = list_of(vm, s, "count")?;
    let mut n = 0;
    let mut i = 0;
    loop {
        let item = match l.borrow().get(i) {
            Some(x) => x.clone(),
            None => break,
        };
        if vm.eq_identity_or(&item, &a[0])? {
            n += 1;
        }
        i += 1;
    }
    Ok(Value::Int(n))
}

fn l_remove(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "list.remove", 1, 1)?;
    let l = list_of(vm, s, "remove")?;
    match find(vm, l, &a[0], 0, usize::MAX)? {
        Some(i) => {
            let old = l.borrow_mut().remove(i);
            drop(old);
            Ok(Value::None)
        }
        None => Err(vm.new_value_error("list.remove(x): x not in list")),
    }
}

fn l_clear(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "list.clear", 0, 0)?;
    let mut old = list_of(vm, s, "clear")?.borrow_mut().take_vec();
    // Released last item first, as CPython does (observable through `__del__`).
    old.reverse();
    drop(old);
    Ok(Value::None)
}

fn l_copy(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "list.copy", 0, 0)?;
    let items = list_of(vm, s, "copy")?.borrow().to_vec();
    Ok(vm.new_list(items))
}

fn l_reverse(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "list.reverse", 0, 0)?;
    list_of(vm, s, "reverse")?.borrow_mut().reverse();
    Ok(Value::None)
}

fn l_len(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "list.__len__", 0, 0)?;
    Ok(Value::Int(list_of(vm, s, "__len__")?.borrow().len() as i64))
}

fn is_slice(v: &Value) -> bool {
    matches!(v.payload(), Some(Payload::Slice(_)))
}

fn l_getitem(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "list.__getitem__", 1, 1)?;
    let l = list_of(vm, s, "__getitem__")?;
    let key = &a[0];
    if is_slice(key) {
        return list_slice::get_slice(vm, l, key);
    }
    let len = l.borrow().len();
    match seq_util::seq_index(vm, key, len, "list")? {
        Some(i) => match l.borrow().get(i) {
            Some(x) => Ok(x.clone()),
            None => Err(vm.new_index_error("list index out of range")),
        },
        None => Err(vm.new_index_error("list index out of range")),
    }
}

fn l_setitem(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "list.__setitem__", 2, 2)?;
    let l = list_of(vm, s, "__setitem__")?;
    set_or_del(vm, s, l, &a[0], Some(&a[1]))?;
    Ok(Value::None)
}

fn l_delitem(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "list.__delitem__", 1, 1)?;
    let l = list_of(vm, s, "__delitem__")?;
    set_or_del(vm, s, l, &a[0], None)?;
    Ok(Value::None)
}

/// `l[key] = value` (or `del l[key]` when `value` is None), slices included.
fn set_or_del(vm: &Vm, s: &Value, l: &ListCell, key: &Value, value: Option<&Value>) -> PyResult<()> {
    if !is_slice(key) {
        let len = l.borrow().len();
        let i = match seq_util::seq_index(vm, key, len, "list")? {
            Some(i) if i < l.borrow().len() => i,
            _ => return Err(vm.new_index_error("list assignment index out of range")),
        };
        let old = match value {
            Some(v) => std::mem::replace(&mut l.borrow_mut()[i], v.clone()),
            None => l.borrow_mut().remove(i).unwrap_or(Value::None),
        };
        drop(old);
        return Ok(());
    }
    list_slice::assign_slice(vm, s, l, key, value)
}

fn l_contains(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "list.__contains__", 1, 1)?;
    let l = list_of(vm, s, "__contains__")?;
    Ok(Value::Bool(find(vm, l, &a[0], 0, usize::MAX)?.is_some()))
}

fn l_iter(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "list.__iter__", 0, 0)?;
    list_of(vm, s, "__iter__")?;
    Ok(new_iter(&vm.types.list_iterator, IterState::Seq { seq: Some(s.clone()), index: 0 }))
}

fn l_reversed(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "list.__reversed__", 0, 0)?;
    let n = list_of(vm, s, "__reversed__")?.borrow().len();
    Ok(new_iter(
        &vm.types.list_reverseiterator,
        IterState::Reversed { seq: Some(s.clone()), index: n as isize - 1 },
    ))
}

fn l_repr(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "list.__repr__", 0, 0)?;
    let l = list_of(vm, s, "__repr__")?;
    if l.borrow().is_empty() {
        return Ok(vm.new_str("[]"));
    }
    let r = vm.with_repr_guard(s, || {
        let mut out = String::from("[");
        let mut i = 0;
        loop {
            let item = match l.borrow().get(i) {
                Some(x) => x.clone(),
                None => break,
            };
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(vm.repr(&item)?.payload.as_str().unwrap().as_str());
            i += 1;
        }
        out.push(']');
        Ok(out)
    })?;
    Ok(vm.new_str(r.unwrap_or_else(|| "[...]".to_string())))
}

fn cmp(vm: &Vm, args: Args, op: CmpOp) -> PyResult {
    let (s, a) = method_args(vm, args, "list.__eq__", 1, 1)?;
    let la = list_of(vm, s, "__eq__")?;
    let lb = match a[0].payload().and_then(|p| p.as_list()) {
        Some(l) => l,
        None => return Ok(vm.not_implemented()),
    };
    seq_util::seq_richcompare(
        vm,
        &|i| la.borrow().get(i).cloned(),
        &|i| lb.borrow().get(i).cloned(),
        &|| la.borrow().len(),
        &|| lb.borrow().len(),
        op,
    )
}
fn l_eq(vm: &Vm, args: Args) -> PyResult {
    cmp(vm, args, CmpOp::Eq)
}
fn l_ne(vm: &Vm, args: Args) -> PyResult {
    cmp(vm, args, CmpOp::Ne)
}
fn l_lt(vm: &Vm, args: Args) -> PyResult {
    cmp(vm, args, CmpOp::Lt)
}
fn l_le(vm: &Vm, args: Args) -> PyResult {
    cmp(vm, args, CmpOp::Le)
}
fn l_gt(vm: &Vm, args: Args) -> PyResult {
    cmp(vm, args, CmpOp::Gt)
}
fn l_ge(vm: &Vm, args: Args) -> PyResult {
    cmp(vm, args, CmpOp::Ge)
}

/// Should `seq op other` defer to `other`'s reflected method? Only user classes
/// can accept a list; for builtins CPython's sequence error message applies.
pub fn defer_to_reflected(vm: &Vm, other: &Value, rslot: crate::types::typeobj::Slot) -> bool {
    let t = vm.class_of(other);
    let td = t.payload.as_type().unwrap();
    // A weak proxy's reflected methods forward to its referent.
    (td.is_heap() && td.has_slot(rslot)) || matches!(other, Value::Obj(o) if crate::types::weakref::is_proxy(vm, o))
}

fn l_add(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "list.__add__", 1, 1)?;
    let l = list_of(vm, s, "__add__")?;
    let other = match a[0].payload().and_then(|p| p.as_list()) {
        Some(o) => o,
        None => {
            if defer_to_reflected(vm, &a[0], crate::types::typeobj::Slot::RAdd) {
                return Ok(vm.not_implemented());
            }
            return Err(vm.new_type_error(format!(
                "can only concatenate list (not \"{}\") to list",
                vm.type_name_of(&a[0])
            )));
        }
    };
    let (x, y) = (l.borrow(), other.borrow());
    let mut out = try_vec(vm, x.len() + y.len())?;
    out.extend_from_slice(&x);
    out.extend_from_slice(&y);
    drop((x, y));
    Ok(vm.new_list(out))
}

fn l_iadd(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "list.__iadd__", 1, 1)?;
    list_of(vm, s, "__iadd__")?;
    vm.list_extend(s, &a[0])?;
    Ok(s.clone())
}

fn repeat(vm: &Vm, items: &[Value], n: i64) -> PyResult<Vec<Value>> {
    let total = seq_util::checked_repeat_len(vm, items.len(), n)?;
    let mut out = try_vec(vm, total)?;
    if total > 0 {
        for _ in 0..n {
            out.extend_from_slice(items);
        }
    }
    Ok(out)
}

fn mul_count(vm: &Vm, n: &Value) -> PyResult<Result<i64, Value>> {
    match seq_util::repeat_count(vm, n)? {
        Some(k) => Ok(Ok(k)),
        None => {
            if defer_to_reflected(vm, n, crate::types::typeobj::Slot::RMul) {
                return Ok(Err(vm.not_implemented()));
            }
            Err(vm.new_type_error(format!("can't multiply sequence by non-int of type '{}'", vm.type_name_of(n))))
        }
    }
}

fn l_mul(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "list.__mul__", 1, 1)?;
    let l = list_of(vm, s, "__mul__")?;
    let n = match mul_count(vm, &a[0])? {
        Ok(n) => n,
        Err(ni) => return Ok(ni),
    };
    let items = l.borrow().to_vec();
    Ok(vm.new_list(repeat(vm, &items, n)?))
}

fn l_imul(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "list.__imul__", 1, 1)?;
    let l = list_of(vm, s, "__imul__")?;
    let n = match mul_count(vm, &a[0])? {
        Ok(n) => n,
        Err(ni) => return Ok(ni),
    };
    let items = l.borrow().to_vec();
    let new = repeat(vm, &items, n)?;
    drop(items);
    let mut old = l.borrow_mut().replace_all(new);
    // `l *= 0` clears: released last item first, as CPython's list_clear.
    old.reverse();
    drop(old);
    Ok(s.clone())
}

fn l_sizeof(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "list.__sizeof__", 0, 0)?;
    list_of(vm, s, "__sizeof__")?;
    Ok(Value::Int(crate::object_size::own_size(s) as i64))
}

fn l_new(vm: &Vm, args: Args) -> PyResult {
    let cls = new_cls(vm, args.args, &vm.types.list)?;
    Ok(new_with_base(vm, cls, &vm.types.list, Payload::List(RefCell::new(ListStorage::new()))))
}

fn l_init(vm: &Vm, args: Args) -> PyResult {
    let s = args.args.first().ok_or_else(|| vm.new_type_error("list.__init__() needs an argument"))?;
    if args.has_kwargs() && seq_util::refuses_keywords(vm, vm.class_of(s), &vm.types.list, "__new__") {
        return Err(vm.new_type_error("list() takes no keyword arguments"));
    }
    let rest = &args.positional()[1..];
    if rest.len() > 1 {
        return Err(vm.new_type_error(format!("list expected at most 1 argument, got {}", rest.len())));
    }
    let l = list_of(vm, s, "__init__")?;
    let old = l.borrow_mut().take_vec();
    drop(old);
    if let Some(it) = rest.first() {
        vm.list_extend(s, it)?;
    }
    Ok(Value::None)
}

fn class_getitem(vm: &Vm, args: Args) -> PyResult {
    let (cls, a) = method_args(vm, args, "__class_getitem__", 1, 1)?;
    vm.generic_alias(cls, &a[0])
}

static LIST_METHODS: [NativeDef; 35] = [
    NativeDef::staticmethod("__new__", l_new),
    NativeDef::method("__init__", l_init),
    NativeDef::method("append", l_append).doc("append($self, object, /)\n--\n\nAppend object to the end of the list."),
    NativeDef::method("extend", l_extend).doc("extend($self, iterable, /)\n--\n\nExtend list by appending elements from the iterable."),
    NativeDef::method("insert", l_insert).doc("insert($self, index, object, /)\n--\n\nInsert object before index."),
    NativeDef::method("pop", l_pop).doc("pop($self, index=-1, /)\n--\n\nRemove and return item at index (default last)."),
    NativeDef::method("remove", l_remove).doc("remove($self, value, /)\n--\n\nRemove first occurrence of value."),
    NativeDef::method("index", l_index).doc("index($self, value, start=0, stop=sys.maxsize, /)\n--\n\nReturn first index of value."),
    NativeDef::method("count", l_count).doc("count($self, value, /)\n--\n\nReturn number of occurrences of value."),
    NativeDef::method("clear", l_clear).doc("clear($self, /)\n--\n\nRemove all items from list."),
    NativeDef::method("copy", l_copy).doc("copy($self, /)\n--\n\nReturn a shallow copy of the list."),
    NativeDef::method("reverse", l_reverse).doc("reverse($self, /)\n--\n\nReverse *IN PLACE*."),
    NativeDef::method("sort", crate::types::list_sort::l_sort).doc("sort($self, /, *, key=None, reverse=False)\n--\n\nSort the list in ascending order and return None."),
    NativeDef::method("__len__", l_len),
    NativeDef::method("__getitem__", l_getitem).doc("x.__getitem__(y) <==> x[y]"),
    NativeDef::method("__setitem__", l_setitem),
    NativeDef::method("__delitem__", l_delitem),
    NativeDef::method("__contains__", l_contains),
    NativeDef::method("__iter__", l_iter),
    NativeDef::method("__reversed__", l_reversed).doc("__reversed__($self, /)\n--\n\nReturn a reverse iterator over the list."),
    NativeDef::method("__repr__", l_repr),
    NativeDef::method("__eq__", l_eq),
    NativeDef::method("__ne__", l_ne),
    NativeDef::method("__lt__", l_lt),
    NativeDef::method("__le__", l_le),
    NativeDef::method("__gt__", l_gt),
    NativeDef::method("__ge__", l_ge),
    NativeDef::method("__add__", l_add),
    NativeDef::method("__iadd__", l_iadd),
    NativeDef::method("__mul__", l_mul),
    NativeDef::method("__rmul__", l_mul),
    NativeDef::method("__imul__", l_imul),
    NativeDef::method("__sizeof__", l_sizeof).doc("__sizeof__($self, /)\n--\n\nReturn the size of the list in memory, in bytes."),
    NativeDef::classmethod("__class_getitem__", class_getitem).doc("See PEP 585"),
    NativeDef::method("__reversed__", l_reversed).doc("__reversed__($self, /)\n--\n\nReturn a reverse iterator over the list."),
];

pub fn init(vm: &Vm) {
    crate::types::add_methods(vm, &vm.types.list, &LIST_METHODS);
    crate::types::add_attr(vm, &vm.types.list, "__hash__", Value::None);
}
