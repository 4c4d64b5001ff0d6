//! `dict.keys()`, `dict.values()` and `dict.items()` views: live windows on
//! a dict. Keys and items views are set-like (`&`, `|`, `-`, `^` return sets,
//! comparisons are subset tests), following CPython's `dictobject.c` choices
//! of which operand is iterated, since that decides the result's order.

use crate::object::PyRef;
use crate::payload::{DictViewKind, Payload};
use crate::types::dict_methods::{dict_iter, dict_rev_iter};
use crate::types::function::{Args, NativeDef};
use crate::types::seq_util::method_args;
use crate::value::Value;
use crate::{PyResult, Vm};
use krait_compiler::bytecode::CmpOp;

impl Vm {
    /// A keys/values/items view of dict `d`.
    pub fn new_dict_view(&self, d: &PyRef, kind: DictViewKind) -> Value {
        let typ = match kind {
            DictViewKind::Keys => &self.types.dict_keys,
            DictViewKind::Values => &self.types.dict_values,
            DictViewKind::Items => &self.types.dict_items,
        };
        Value::Obj(PyRef::new(typ.clone(), Payload::DictView(Box::new((kind, d.clone())))))
    }
}

fn view(v: &Value) -> Option<(DictViewKind, &PyRef)> {
    match v.payload() {
        Some(Payload::DictView(b)) => Some((b.0, &b.1)),
        _ => None,
    }
}

/// A keys or items view (the set-like ones).
fn setlike_view(v: &Value) -> Option<(DictViewKind, &PyRef)> {
    view(v).filter(|(k, _)| *k != DictViewKind::Values)
}

fn self_view<'a>(vm: &Vm, v: &'a Value) -> PyResult<(DictViewKind, &'a PyRef)> {
    view(v).ok_or_else(|| vm.new_type_error(format!("expected a dict view, got '{}'", vm.type_name_of(v))))
}

fn v_len(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "__len__", 0, 0)?;
    let (_, d) = self_view(vm, s)?;
    Ok(Value::Int(vm.dict_len(d) as i64))
}

fn v_iter(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "__iter__", 0, 0)?;
    let (k, d) = self_view(vm, s)?;
    Ok(dict_iter(vm, d, k))
}

fn v_reversed(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "__reversed__", 0, 0)?;
    let (k, d) = self_view(vm, s)?;
    Ok(dict_rev_iter(vm, d, k))
}

/// `x in view` for keys and items views.
fn view_contains(vm: &Vm, kind: DictViewKind, d: &PyRef, x: &Value) -> PyResult<bool> {
    match kind {
        DictViewKind::Keys => Ok(vm.dict_get(d, x)?.is_some()),
        DictViewKind::Items => {
            let pair = match x.payload().and_then(|p| p.as_tuple()) {
                Some(t) if t.len() == 2 => t,
                _ => return Ok(false),
            };
            match vm.dict_get(d, &pair[0])? {
                Some(v) => vm.eq_identity_or(&v, &pair[1]),
                None => Ok(false),
            }
        }
        DictViewKind::Values => {
            for v in d.payload.as_dict().unwrap().borrow().iter().map(|e| e.value.clone()).collect::<Vec<_>>() {
                if vm.eq_identity_or(&v, x)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
    }
}

fn v_contains(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "__contains__", 1, 1)?;
    let (k, d) = self_view(vm, s)?;
    Ok(Value::Bool(view_contains(vm, k, d, &a[0])?))
}

fn v_repr(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "__repr__", 0, 0)?;
    let (kind, d) = self_view(vm, s)?;
    let name = vm.type_name_of(s);
    let r = vm.with_repr_guard(s, || {
        let items: Vec<Value> = match kind {
            DictViewKind::Keys => vm.dict_keys(d),
            DictViewKind::Values => vm.dict_items(d).into_iter().map(|(_, v)| v).collect(),
            DictViewKind::Items => vm.dict_items(d).into_iter().map(|(k, v)| vm.new_tuple(vec![k, v])).collect(),
        };
        crate::types::seq_util::join_reprs(vm, &items)
    })?;
    Ok(vm.new_str(match r {
        Some(body) => format!("{name}([{body}])"),
        None => "...".to_string(),
    }))
}

fn v_mapping(vm: &Vm, v: &Value) -> PyResult {
    let (_, d) = self_view(vm, v)?;
    Ok(Value::Obj(PyRef::new(vm.types.mappingproxy.clone(), Payload::MappingProxy(Value::Obj(d.clone())))))
}

/// CPython's `dictviews_to_set`: a keys view becomes a set built from its dict
/// (the pre-sized path), anything else is iterated.
fn to_set(vm: &Vm, v: &Value) -> PyResult {
    let s = vm.new_set(vec![])?;
    let t = s.payload().unwrap().as_set().unwrap();
    match view(v) {
        Some((DictViewKind::Keys, d)) => vm.set_table_update(t, &Value::Obj(d.clone()))?,
        _ => vm.set_table_update(t, v)?,
    }
    Ok(s)
}

fn set_of(s: &Value) -> &std::cell::RefCell<crate::types::set::SetTable> {
    s.payload().unwrap().as_set().unwrap()
}

fn op_sub(vm: &Vm, a: &Value, b: &Value) -> PyResult {
    let r = to_set(vm, a)?;
    vm.call_method(&r, "difference_update", std::slice::from_ref(b))?;
    Ok(r)
}

fn op_or(vm: &Vm, a: &Value, b: &Value) -> PyResult {
    let r = to_set(vm, a)?;
    vm.set_table_update(set_of(&r), b)?;
    Ok(r)
}

fn op_xor(vm: &Vm, a: &Value, b: &Value) -> PyResult {
    let r = to_set(vm, a)?;
    vm.call_method(&r, "symmetric_difference_update", std::slice::from_ref(b))?;
    Ok(r)
}

fn op_and(vm: &Vm, a: &Value, b: &Value) -> PyResult {
    // The view goes first (the interpreter may have swapped the operands).
    let (mut sv, mut other) = if setlike_view(a).is_some() { (a, b) } else { (b, a) };
    let len_self = vm.dict_len(setlike_view(sv).unwrap().1);
    if crate::types::seq_util::is_exact(other, &vm.types.set) && len_self <= vm.len(other)? {
        return vm.call_method(other, "intersection", std::slice::from_ref(sv));
    }
    if let Some((_, od)) = setlike_view(other) {
        if vm.dict_len(od) > len_self {
            std::mem::swap(&mut sv, &mut other);
        }
    }
    let (kind, d) = setlike_view(sv).unwrap();
    let result = vm.new_set(vec![])?;
    let it = vm.iter(other)?;
    while let Some(x) = vm.next(&it)? {
        if view_contains(vm, kind, d, &x)? {
            vm.set_add(&result, x)?;
        }
    }
    Ok(result)
}

/// Binary operators: `self` is args[0]; reflected forms swap the operands.
/// Any iterable operand is accepted (`keys & 1` raises "'int' object is not
/// iterable", as in CPython).
macro_rules! view_binops {
    ($($fwd:ident, $refl:ident, $op:ident;)*) => {$(
        fn $fwd(vm: &Vm, args: Args) -> PyResult {
            let (s, a) = method_args(vm, args, "__op__", 1, 1)?;
            $op(vm, s, &a[0])
        }
        fn $refl(vm: &Vm, args: Args) -> PyResult {
            let (s, a) = method_args(vm, args, "__rop__", 1, 1)?;
            $op(vm, &a[0], s)
        }
    )*};
}
view_binops! {
    v_sub, v_rsub, op_sub;
    v_or, v_ror, op_or;
    v_xor, v_rxor, op_xor;
    v_and, v_rand, op_and;
}

/// All items of `a` are in `b` (CPython's `all_contained_in`).
fn all_contained_in(vm: &Vm, a: &Value, b: &Value) -> PyResult<bool> {
    let it = vm.iter(a)?;
    while let Some(x) = vm.next(&it)? {
        if !vm.contains(b, &x)? {
            return Ok(false);
        }
    }
    Ok(true)
}

fn richcmp(vm: &Vm, args: Args, op: CmpOp) -> PyResult {
    let (s, a) = method_args(vm, args, "__eq__", 1, 1)?;
    let other = &a[0];
    if setlike_view(other).is_none() && other.payload().and_then(|p| p.as_set()).is_none() {
        return Ok(vm.not_implemented());
    }
    let (la, lb) = (vm.len(s)?, vm.len(other)?);
    let r = match op {
        CmpOp::Eq | CmpOp::Ne => {
            let eq = la == lb && all_contained_in(vm, s, other)?;
            eq == (op == CmpOp::Eq)
        }
        CmpOp::Lt => la < lb && all_contained_in(vm, s, other)?,
        CmpOp::Le => la <= lb && all_contained_in(vm, s, other)?,
        CmpOp::Gt => la > lb && all_contained_in(vm, other, s)?,
        CmpOp::Ge => la >= lb && all_contained_in(vm, other, s)?,
    };
    Ok(Value::Bool(r))
}
fn v_eq(vm: &Vm, args: Args) -> PyResult {
    richcmp(vm, args, CmpOp::Eq)
}
fn v_ne(vm: &Vm, args: Args) -> PyResult {
    richcmp(vm, args, CmpOp::Ne)
}
fn v_lt(vm: &Vm, args: Args) -> PyResult {
    richcmp(vm, args, CmpOp::Lt)
}
fn v_le(vm: &Vm, args: Args) -> PyResult {
    richcmp(vm, args, CmpOp::Le)
}
fn v_gt(vm: &Vm, args: Args) -> PyResult {
    richcmp(vm, args, CmpOp::Gt)
}
fn v_ge(vm: &Vm, args: Args) -> PyResult {
    richcmp(vm, args, CmpOp::Ge)
}

fn v_isdisjoint(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "isdisjoint", 1, 1)?;
    let other = &a[0];
    if s.is(other) {
        return Ok(Value::Bool(vm.len(s)? == 0));
    }
    let (kind, d) = self_view(vm, s)?;
    let other_is_setlike = setlike_view(other).is_some() || other.payload().and_then(|p| p.as_set()).is_some();
    if other_is_setlike && vm.len(other)? > vm.dict_len(d) {
        let it = vm.iter(s)?;
        while let Some(x) = vm.next(&it)? {
            if vm.contains(other, &x)? {
                return Ok(Value::Bool(false));
            }
        }
        return Ok(Value::Bool(true));
    }
    let it = vm.iter(other)?;
    while let Some(x) = vm.next(&it)? {
        if view_contains(vm, kind, d, &x)? {
            return Ok(Value::Bool(false));
        }
    }
    Ok(Value::Bool(true))
}

static VIEW_COMMON: [NativeDef; 4] = [
    NativeDef::method("__len__", v_len),
    NativeDef::method("__iter__", v_iter),
    NativeDef::method("__reversed__", v_reversed),
    NativeDef::method("__repr__", v_repr),
];

static SETLIKE: [NativeDef; 16] = [
    NativeDef::method("__contains__", v_contains),
    NativeDef::method("__sub__", v_sub),
    NativeDef::method("__rsub__", v_rsub),
    NativeDef::method("__or__", v_or),
    NativeDef::method("__ror__", v_ror),
    NativeDef::method("__xor__", v_xor),
    NativeDef::method("__rxor__", v_rxor),
    NativeDef::method("__and__", v_and),
    NativeDef::method("__rand__", v_rand),
    NativeDef::method("__eq__", v_eq),
    NativeDef::method("__ne__", v_ne),
    NativeDef::method("__lt__", v_lt),
    NativeDef::method("__le__", v_le),
    NativeDef::method("__gt__", v_gt),
    NativeDef::method("__ge__", v_ge),
    NativeDef::method("isdisjoint", v_isdisjoint),
];

static MAPPING: [crate::payload::GetSetDef; 1] =
    [crate::payload::GetSetDef { name: "mapping", get: v_mapping, set: None, doc: "" }];

pub fn init(vm: &Vm) {
    let t = &vm.types;
    for typ in [&t.dict_keys, &t.dict_values, &t.dict_items] {
        crate::types::add_methods(vm, typ, &VIEW_COMMON);
        crate::types::add_getsets(vm, typ, &MAPPING);
    }
    for typ in [&t.dict_keys, &t.dict_items] {
        crate::types::add_methods(vm, typ, &SETLIKE);
        crate::types::add_attr(vm, typ, "__hash__", Value::None);
    }
}
