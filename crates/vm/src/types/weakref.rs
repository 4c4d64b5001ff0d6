//! Weak references: `_weakref.ref` (`weakref.ReferenceType`, subclassable),
//! and the weak proxies `ProxyType` and `CallableProxyType`, which forward
//! every operation to their referent. The object-model side (the weak pointer,
//! the per-referent lists, clearing when the referent is freed) lives in
//! `object.rs`; this file gives it Python semantics.
//!
//! List order follows CPython: the shared callback-less `ref` first, then the
//! shared callback-less proxy, then all others, most recently created first.
//! Callbacks run in that order when the referent is freed.

use crate::object::{weakrefs_of, PyRef, ValueCell, WeakPtr};
use crate::payload::{GetSetDef, Payload};
use crate::types::function::{Args, NativeDef};
use crate::types::typeobj::type_flags;
use crate::value::Value;
use crate::{PyResult, Vm};
use krait_compiler::bytecode::CmpOp;
use std::cell::Cell;

/// The payload of weakref and proxy objects.
pub struct WeakRefData {
    pub ptr: WeakPtr,
    /// The callback, None once called (or if there never was one).
    pub callback: ValueCell,
    /// The referent's hash, cached on first use; -1 until then.
    pub hash: Cell<i64>,
}

impl WeakRefData {
    fn new(callback: Option<Value>) -> WeakRefData {
        WeakRefData { ptr: WeakPtr::dead(), callback: ValueCell::new(callback), hash: Cell::new(-1) }
    }
}

/// The weakref payload of `v` (a ref, a ref subclass instance or a proxy).
pub fn data(v: &Value) -> Option<&WeakRefData> {
    match v.payload()?.base() {
        Payload::WeakRef(d) => Some(d),
        _ => None,
    }
}

/// The referent of a weakref or proxy, None once it is dead.
pub fn referent(v: &Value) -> Option<Value> {
    data(v)?.ptr.upgrade().map(Value::Obj)
}

pub(crate) fn is_proxy(vm: &Vm, o: &PyRef) -> bool {
    let c = o.class();
    c.is(&vm.types.weakproxy) || c.is(&vm.types.weakcallableproxy)
}

/// Can `v` be weakly referenced? As in CPython: classes' instances that have a
/// `__weakref__` slot, and functions, types, sets, generators, methods, code,
/// modules and files, but not ints, strs, tuples, lists, dicts, None, ...
pub fn weakrefable(vm: &Vm, v: &Value) -> bool {
    let o = match v {
        Value::Obj(o) => o,
        _ => return false,
    };
    let cls = o.class();
    if cls.payload.as_type().is_some_and(|t| t.has_flag(type_flags::HAS_WEAKREF)) {
        return true;
    }
    if cls.is(&vm.types.generic_alias) || cls.is(&vm.types.memoryview) {
        return true;
    }
    // io objects are instances wrapping the Io payload (they have a __dict__).
    if matches!(o.payload.base(), Payload::Io(_)) {
        return true;
    }
    matches!(
        o.payload,
        Payload::Function(_)
            | Payload::NativeFunction { .. }
            | Payload::BoundMethod(_)
            | Payload::Module(_)
            | Payload::Code(_)
            | Payload::Generator(_)
            | Payload::Type(_)
            | Payload::Set(_)
            | Payload::FrozenSet(_)
            | Payload::Io(_)
    )
}

fn not_weakrefable(vm: &Vm, v: &Value) -> crate::PyErr {
    vm.new_type_error(format!("cannot create weak reference to '{}' object", vm.type_name_of(v)))
}

/// Is `w` the shared callback-less ref (exact type) or proxy?
fn is_basic(vm: &Vm, w: &PyRef, proxy: bool) -> bool {
    // Stored callbacks are never None (filtered on creation).
    let no_cb = data(&Value::Obj(w.clone())).is_some_and(|d| !d.callback.is_set());
    no_cb && if proxy { is_proxy(vm, w) } else { w.class().is(&vm.types.weakref) }
}

/// (basic ref, basic proxy, how many basics head the list) of `obj`'s list.
fn basics(vm: &Vm, list: &[PyRef]) -> (Option<PyRef>, Option<PyRef>, usize) {
    let mut i = 0;
    let mut r = None;
    let mut p = None;
    if let Some(w) = list.first().filter(|w| is_basic(vm, w, false)) {
        r = Some(w.clone());
        i = 1;
    }
    if let Some(w) = list.get(i).filter(|w| is_basic(vm, w, true)) {
        p = Some(w.clone());
        i += 1;
    }
    (r, p, i)
}

/// `cls(obj, callback)`: a new weak reference, or the shared basic one.
pub fn new_ref(vm: &Vm, cls: &PyRef, obj: &Value, callback: Option<Value>) -> PyResult {
    if !weakrefable(vm, obj) {
        return Err(not_weakrefable(vm, obj));
    }
    let target = obj.as_obj().expect("weakrefable values are objects");
    let callback = callback.filter(|c| !c.is_none());
    let list = weakrefs_of(target);
    let (basic_ref, _, nbasic) = basics(vm, &list);
    let exact_basic = callback.is_none() && cls.is(&vm.types.weakref);
    if exact_basic {
        if let Some(r) = basic_ref {
            return Ok(Value::Obj(r));
        }
    }
    let w = crate::types::object::new_builtin_instance(
        cls,
        &vm.types.weakref,
        Payload::WeakRef(Box::new(WeakRefData::new(callback))),
    );
    let index = if exact_basic { 0 } else { nbasic };
    attach(&w, target, index);
    Ok(Value::Obj(w))
}

/// `proxy(obj, callback)`.
pub fn new_proxy(vm: &Vm, obj: &Value, callback: Option<Value>) -> PyResult {
    if !weakrefable(vm, obj) {
        return Err(not_weakrefable(vm, obj));
    }
    let target = obj.as_obj().expect("weakrefable values are objects");
    let callback = callback.filter(|c| !c.is_none());
    let list = weakrefs_of(target);
    let (basic_ref, basic_proxy, nbasic) = basics(vm, &list);
    if callback.is_none() {
        if let Some(p) = basic_proxy {
            return Ok(Value::Obj(p));
        }
    }
    let cls = if vm.is_callable(obj) { &vm.types.weakcallableproxy } else { &vm.types.weakproxy };
    let w = PyRef::new(cls.clone(), Payload::WeakRef(Box::new(WeakRefData::new(callback.clone()))));
    let index = if callback.is_none() { basic_ref.is_some() as usize } else { nbasic };
    attach(&w, target, index);
    Ok(Value::Obj(w))
}

fn attach(w: &PyRef, target: &PyRef, index: usize) {
    // The payload is at its final address only now (a subclass instance boxes it).
    if let Payload::WeakRef(d) = w.payload.base() {
        d.ptr.attach(target, w, index);
    }
}

/// `obj.__weakref__`: the first weak reference to `obj`, or None.
pub fn first_weakref(_vm: &Vm, obj: &Value) -> Value {
    match obj {
        Value::Obj(o) => weakrefs_of(o).into_iter().next().map_or(Value::None, Value::Obj),
        _ => Value::None,
    }
}

/// The live weak references (and proxies) to `obj`, in list order.
pub fn weakrefs(obj: &Value) -> Vec<PyRef> {
    match obj {
        Value::Obj(o) => weakrefs_of(o),
        _ => Vec::new(),
    }
}

/// Called by `object.rs` once the referent of `live` has gone: each weakref
/// is already dead; take every callback first, then call them in order.
/// Errors are reported as unraisable, as CPython does.
pub(crate) fn run_callbacks(vm: &Vm, live: Vec<PyRef>) {
    let calls: Vec<(PyRef, Value)> = live
        .into_iter()
        .filter_map(|w| {
            let cb = data(&Value::Obj(w.clone()))?.callback.take()?;
            (!cb.is_none()).then_some((w, cb))
        })
        .collect();
    for (w, cb) in calls {
        if let Err(e) = vm.call1(&cb, &[Value::Obj(w)]) {
            write_unraisable(vm, &e, &cb);
        }
    }
}

/// "Exception ignored in: <obj>" and the traceback, on stderr (through
/// `sys.unraisablehook`; see `finalize::write_unraisable`).
pub fn write_unraisable(vm: &Vm, exc: &PyRef, obj: &Value) {
    crate::finalize::write_unraisable(vm, exc, None, Some(obj));
}

// ---------------------------------------------------------------------------
// ReferenceType

fn this(vm: &Vm, args: &Args, name: &str) -> PyResult<Value> {
    match args.args.first() {
        Some(v) if data(v).is_some() => Ok(v.clone()),
        _ => Err(vm.new_type_error(format!("descriptor '{name}' requires a 'weakref.ReferenceType' object"))),
    }
}

fn ref_new(vm: &Vm, args: Args) -> PyResult {
    let cls = crate::types::seq_util::new_cls(vm, args.args, &vm.types.weakref)?.clone();
    let pos = &args.positional()[1..];
    match pos.len() {
        0 => return Err(vm.new_type_error("__new__ expected at least 1 argument, got 0")),
        1 | 2 => {}
        n => return Err(vm.new_type_error(format!("__new__ expected at most 2 arguments, got {n}"))),
    }
    new_ref(vm, &cls, &pos[0], pos.get(1).cloned())
}

fn ref_init(vm: &Vm, args: Args) -> PyResult {
    if args.has_kwargs() {
        return Err(vm.new_type_error("ref() takes no keyword arguments"));
    }
    match args.args.len().saturating_sub(1) {
        0 => Err(vm.new_type_error("__init__ expected at least 1 argument, got 0")),
        1 | 2 => Ok(Value::None),
        n => Err(vm.new_type_error(format!("__init__ expected at most 2 arguments, got {n}"))),
    }
}

fn ref_call(vm: &Vm, args: Args) -> PyResult {
    let s = this(vm, &args, "__call__")?;
    if args.has_kwargs() {
        return Err(vm.new_type_error("weakref() takes no keyword arguments"));
    }
    let n = args.args.len() - 1;
    if n != 0 {
        return Err(vm.new_type_error(format!("weakref expected 0 arguments, got {n}")));
    }
    Ok(referent(&s).unwrap_or(Value::None))
}

fn ref_hash(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__hash__", args, 1, 1)?;
    let s = this(vm, &args, "__hash__")?;
    let d = data(&s).unwrap();
    if d.hash.get() != -1 {
        return Ok(Value::Int(d.hash.get()));
    }
    match referent(&s) {
        Some(o) => {
            let h = vm.hash(&o)?;
            d.hash.set(h);
            Ok(Value::Int(h))
        }
        None => Err(vm.new_type_error("weak object has gone away")),
    }
}

fn ref_compare(vm: &Vm, args: Args, op: CmpOp) -> PyResult {
    vm.check_arity(op_name(op), args, 2, 2)?;
    let s = this(vm, &args, op_name(op))?;
    let other = &args.args[1];
    if !matches!(op, CmpOp::Eq | CmpOp::Ne) || data(other).is_none() {
        return Ok(vm.not_implemented());
    }
    match (referent(&s), referent(other)) {
        (Some(a), Some(b)) => vm.compare(&a, &b, op),
        _ => {
            let same = s.id() == other.id();
            Ok(Value::Bool(if op == CmpOp::Eq { same } else { !same }))
        }
    }
}

fn op_name(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Lt => "__lt__",
        CmpOp::Le => "__le__",
        CmpOp::Eq => "__eq__",
        CmpOp::Ne => "__ne__",
        CmpOp::Gt => "__gt__",
        CmpOp::Ge => "__ge__",
    }
}

fn ref_repr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__repr__", args, 1, 1)?;
    let s = this(vm, &args, "__repr__")?;
    let text = match referent(&s) {
        None => format!("<weakref at {:#x}; dead>", s.id()),
        Some(o) => {
            let tp = vm.type_name_of(&o);
            match special_name(vm, &o) {
                Some(name) => format!("<weakref at {:#x}; to '{tp}' at {:#x} ({name})>", s.id(), o.id()),
                None => format!("<weakref at {:#x}; to '{tp}' at {:#x}>", s.id(), o.id()),
            }
        }
    };
    Ok(vm.new_str(text))
}

/// The referent's `__name__` for the repr, looked up on its type as CPython
/// does (an instance attribute or `__getattr__` does not count); errors mean
/// no name.
fn special_name(vm: &Vm, o: &Value) -> Option<String> {
    let cls = vm.type_of(o);
    let descr = vm.type_lookup_str(&cls, "__name__")?;
    let name = vm.descr_get(&descr, Some(o), &cls).ok()?;
    vm.as_str(&name).map(str::to_string)
}

fn ref_class_getitem(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__class_getitem__", args, 2, 2)?;
    vm.generic_alias(&args.args[0], &args.args[1])
}

fn callback_get(_vm: &Vm, obj: &Value) -> PyResult {
    Ok(data(obj).and_then(|d| d.callback.get()).unwrap_or(Value::None))
}

macro_rules! cmp_fns {
    ($($f:ident => $op:ident),*) => {$(
        fn $f(vm: &Vm, args: Args) -> PyResult { ref_compare(vm, args, CmpOp::$op) }
    )*};
}
cmp_fns!(ref_lt => Lt, ref_le => Le, ref_eq => Eq, ref_ne => Ne, ref_gt => Gt, ref_ge => Ge);

static REF_METHODS: [NativeDef; 12] = [
    NativeDef::staticmethod("__new__", ref_new),
    NativeDef::method("__init__", ref_init),
    NativeDef::method("__call__", ref_call),
    NativeDef::method("__hash__", ref_hash),
    NativeDef::method("__repr__", ref_repr),
    NativeDef::method("__lt__", ref_lt),
    NativeDef::method("__le__", ref_le),
    NativeDef::method("__eq__", ref_eq),
    NativeDef::method("__ne__", ref_ne),
    NativeDef::method("__gt__", ref_gt),
    NativeDef::method("__ge__", ref_ge),
    NativeDef::classmethod("__class_getitem__", ref_class_getitem),
];

/// `__callback__` is a read-only member in CPython, with its message.
fn callback_set(vm: &Vm, _obj: &Value, _value: Option<Value>) -> PyResult<()> {
    Err(vm.new_attribute_error("readonly attribute"))
}

static REF_GETSETS: [GetSetDef; 1] =
    [GetSetDef { name: "__callback__", get: callback_get, set: Some(callback_set), doc: "" }];

pub fn init(vm: &Vm) {
    crate::object::set_callback_vm(vm);
    // The names are "weakref.X" as in CPython's messages; `__qualname__` is the short one.
    for t in [&vm.types.weakref, &vm.types.weakproxy, &vm.types.weakcallableproxy] {
        let td = t.payload.as_type().expect("a type");
        let short = td.name().rsplit('.').next().unwrap_or_default().to_string();
        *td.qualname.borrow_mut() = short;
    }
    let r = &vm.types.weakref;
    crate::types::add_methods(vm, r, &REF_METHODS);
    crate::types::add_getsets(vm, r, &REF_GETSETS);
    for (t, callable) in [(&vm.types.weakproxy, false), (&vm.types.weakcallableproxy, true)] {
        crate::types::add_methods(vm, t, &crate::types::weakref_proxy::PROXY_METHODS);
        if callable {
            crate::types::add_methods(vm, t, &crate::types::weakref_proxy::CALLABLE_METHODS);
        } else {
            crate::types::add_methods(vm, t, &crate::types::weakref_proxy::PLAIN_METHODS);
        }
        crate::types::add_attr(vm, t, "__hash__", Value::None);
    }
}

#[cfg(test)]
#[path = "weakref_tests.rs"]
mod tests;
