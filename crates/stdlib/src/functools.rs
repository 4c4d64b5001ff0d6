//! The `_functools` module: `reduce`, `cmp_to_key` (its `KeyWrapper`
//! objects), `partial`, and `_lru_cache_wrapper` (in `lru_cache.rs`).

use crate::native::{class_getitem, descr_error, native_type, new_object, new_object_with_dict, unpack, TypeSpec};
use krait_compiler::bytecode::CmpOp;
use krait_vm::gc::{NativeData, Visitor};
use krait_vm::payload::GetSetDef;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::RefCell;

// ---- reduce ----

fn reduce(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "reduce", &args, 2, 3)?;
    let it = vm.iter(&a[1]).map_err(|e| {
        if vm.exception_matches(&e, &vm.exc.type_error) {
            vm.new_type_error("reduce() arg 2 must support iteration")
        } else {
            e
        }
    })?;
    let mut acc = a.get(2).cloned();
    while let Some(x) = vm.next(&it)? {
        acc = Some(match acc {
            None => x,
            Some(v) => vm.call(&a[0], Args::new(&[v, x]))?,
        });
    }
    acc.ok_or_else(|| vm.new_type_error("reduce() of empty iterable with no initial value"))
}

// ---- cmp_to_key ----

struct KeyWrapper {
    cmp: Value,
    obj: Option<Value>,
}

impl NativeData for KeyWrapper {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        visitor.visit_value(&self.cmp);
        if let Some(o) = &self.obj {
            visitor.visit_value(o);
        }
    }
}

fn key_type(vm: &Vm) -> PyRef {
    native_type(vm, &KEYWRAPPER)
}

fn cmp_to_key(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::bind(vm, "cmp_to_key", args, &["mycmp"], 1)?;
    let t = key_type(vm);
    Ok(new_object(vm, &t, &t, KeyWrapper { cmp: a[0].clone().unwrap(), obj: None }))
}

fn key_of<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a KeyWrapper> {
    v.payload().and_then(|p| p.as_native::<KeyWrapper>()).ok_or_else(|| descr_error(vm, name, "functools.KeyWrapper", v))
}

fn key_call(vm: &Vm, args: Args) -> PyResult {
    let me = args.args.first().ok_or_else(|| vm.new_type_error("descriptor '__call__' needs an argument"))?;
    let k = key_of(vm, me, "__call__")?;
    let a = crate::native::bind(vm, "K", Args { args: &args.args[1..], kwnames: args.kwnames }, &["obj"], 1)?;
    let t = key_type(vm);
    Ok(new_object(vm, &t, &t, KeyWrapper { cmp: k.cmp.clone(), obj: a[0].clone() }))
}

fn key_compare(vm: &Vm, args: Args, name: &str, op: CmpOp) -> PyResult {
    vm.check_arity(name, args, 2, 2)?;
    let k = key_of(vm, &args.args[0], name)?;
    let other = match args.args[1].payload().and_then(|p| p.as_native::<KeyWrapper>()) {
        Some(o) => o,
        None => return Err(vm.new_type_error("other argument must be K instance")),
    };
    let (x, y) = match (&k.obj, &other.obj) {
        (Some(x), Some(y)) => (x.clone(), y.clone()),
        _ => return Err(vm.new_attribute_error("object")),
    };
    let res = vm.call(&k.cmp, Args::new(&[x, y]))?;
    vm.compare(&res, &Value::Int(0), op)
}

fn key_lt(vm: &Vm, args: Args) -> PyResult {
    key_compare(vm, args, "__lt__", CmpOp::Lt)
}
fn key_le(vm: &Vm, args: Args) -> PyResult {
    key_compare(vm, args, "__le__", CmpOp::Le)
}
fn key_eq(vm: &Vm, args: Args) -> PyResult {
    key_compare(vm, args, "__eq__", CmpOp::Eq)
}
fn key_ne(vm: &Vm, args: Args) -> PyResult {
    key_compare(vm, args, "__ne__", CmpOp::Ne)
}
fn key_gt(vm: &Vm, args: Args) -> PyResult {
    key_compare(vm, args, "__gt__", CmpOp::Gt)
}
fn key_ge(vm: &Vm, args: Args) -> PyResult {
    key_compare(vm, args, "__ge__", CmpOp::Ge)
}

fn key_obj(vm: &Vm, v: &Value) -> PyResult {
    let k = key_of(vm, v, "obj")?;
    k.obj.clone().ok_or_else(|| vm.new_attribute_error("obj"))
}

// ---- partial ----

struct Partial {
    /// func, args (a tuple) and keywords (a dict).
    st: RefCell<(Value, Value, Value)>,
}

impl NativeData for Partial {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        if let Ok(st) = self.st.try_borrow() {
            visitor.visit_value(&st.0);
            visitor.visit_value(&st.1);
            visitor.visit_value(&st.2);
        }
    }
    fn clear(&self) {
        let old = match self.st.try_borrow_mut() {
            Ok(mut st) => std::mem::replace(&mut *st, (Value::None, Value::None, Value::None)),
            Err(_) => return,
        };
        drop(old);
    }
}

fn partial_type(vm: &Vm) -> PyRef {
    native_type(vm, &PARTIAL)
}

fn partial_of<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a Partial> {
    v.payload().and_then(|p| p.as_native::<Partial>()).ok_or_else(|| descr_error(vm, name, "functools.partial", v))
}

fn partial_new(vm: &Vm, args: Args) -> PyResult {
    let t = partial_type(vm);
    let (cls, rest) = crate::native::split_new(vm, args, &t)?;
    let pos = rest.positional();
    let func = match pos.first() {
        Some(f) => f.clone(),
        None => return Err(vm.new_type_error("type 'partial' takes at least one argument")),
    };
    if !vm.is_callable(&func) {
        return Err(vm.new_type_error("the first argument must be callable"));
    }
    let mut func = func;
    let mut all_args: Vec<Value> = Vec::new();
    let kw = vm.new_dict();
    // A partial of a plain partial (same __call__, no instance dict) is flattened.
    if let Some(inner) = func.payload().and_then(|p| p.as_native::<Partial>()) {
        let same_call = vm.type_lookup_str(vm.class_of(&func), "__call__").map_or(false, |c| {
            vm.type_lookup_str(&t, "__call__").map_or(false, |p| p.is(&c))
        });
        if same_call && vm.instance_dict(&func, false).is_none() {
            let (f, a, k) = inner.st.borrow().clone();
            all_args.extend(a.payload().and_then(|p| p.as_tuple()).unwrap_or(&[]).iter().cloned());
            if let Value::Obj(kd) = &k {
                for (key, v) in vm.dict_items(kd) {
                    vm.dict_set(&kw, key, v)?;
                }
            }
            func = f;
        }
    }
    all_args.extend(pos[1..].iter().cloned());
    for (k, v) in rest.keywords() {
        vm.dict_set(&kw, k.clone(), v.clone())?;
    }
    let st = (func, vm.new_tuple(all_args), Value::Obj(kw));
    Ok(new_object_with_dict(&cls, Partial { st: RefCell::new(st) }))
}

fn partial_call(vm: &Vm, args: Args) -> PyResult {
    let me = args.args.first().ok_or_else(|| vm.new_type_error("descriptor '__call__' needs an argument"))?;
    let p = partial_of(vm, me, "__call__")?;
    let (func, pargs, pkw) = p.st.borrow().clone();
    let mut call_args: Vec<Value> = pargs.payload().and_then(|p| p.as_tuple()).unwrap_or(&[]).to_vec();
    let rest = Args { args: &args.args[1..], kwnames: args.kwnames };
    call_args.extend(rest.positional().iter().cloned());
    // Stored keywords first, overridden by the call's own.
    let mut names: Vec<Value> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    if let Value::Obj(d) = &pkw {
        for (k, v) in vm.dict_items(d) {
            names.push(k);
            values.push(v);
        }
    }
    for (k, v) in rest.keywords() {
        let ks = vm.as_str(k);
        match names.iter().position(|n| vm.as_str(n) == ks && ks.is_some()) {
            Some(i) => values[i] = v.clone(),
            None => {
                names.push(k.clone());
                values.push(v.clone());
            }
        }
    }
    call_args.extend(values);
    vm.call(&func, Args::with_kw(&call_args, &names))
}

fn partial_repr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__repr__", args, 1, 1)?;
    let me = &args.args[0];
    let p = partial_of(vm, me, "__repr__")?;
    let r = vm.with_repr_guard(me, || {
        let (func, pargs, pkw) = p.st.borrow().clone();
        let mut parts = vec![vm.repr_string(&func)?];
        for a in pargs.payload().and_then(|p| p.as_tuple()).unwrap_or(&[]) {
            parts.push(vm.repr_string(a)?);
        }
        if let Value::Obj(d) = &pkw {
            for (k, v) in vm.dict_items(d) {
                parts.push(format!("{}={}", vm.str_string(&k)?, vm.repr_string(&v)?));
            }
        }
        Ok(format!("{}({})", vm.type_name_of(me), parts.join(", ")))
    })?;
    Ok(vm.new_str(r.unwrap_or_else(|| "...".to_string())))
}

fn partial_reduce(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__reduce__", args, 1, 1)?;
    let me = &args.args[0];
    let p = partial_of(vm, me, "__reduce__")?;
    let (func, pargs, kw) = p.st.borrow().clone();
    let dict = vm.instance_dict(me, false).map(Value::Obj).unwrap_or(Value::None);
    let cls = Value::Obj(vm.class_of(me).clone());
    Ok(vm.new_tuple(vec![cls, vm.new_tuple(vec![func.clone()]), vm.new_tuple(vec![func, pargs, kw, dict])]))
}

fn partial_setstate(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__setstate__", args, 2, 2)?;
    let me = &args.args[0];
    let p = partial_of(vm, me, "__setstate__")?;
    let state = &args.args[1];
    let items = match state.payload().and_then(|p| p.as_tuple()) {
        Some(t) if t.len() == 4 => t.to_vec(),
        _ => return Err(vm.new_type_error("invalid partial state")),
    };
    let (func, fargs, kw, dict) = (&items[0], &items[1], &items[2], &items[3]);
    let args_ok = fargs.payload().and_then(|p| p.as_tuple()).is_some();
    let kw_ok = kw.is_none() || kw.payload().and_then(|p| p.as_dict()).is_some();
    if !vm.is_callable(func) || !args_ok || !kw_ok {
        return Err(vm.new_type_error("invalid partial state"));
    }
    // Exact tuples and dicts are kept (a copy shares them); subclasses become
    // plain ones.
    let kw = match kw {
        Value::None => Value::Obj(vm.new_dict()),
        k if k.as_obj().is_some_and(|o| o.class().is(&vm.types.dict)) => k.clone(),
        k => vm.call(&Value::Obj(vm.types.dict.clone()), Args::new(std::slice::from_ref(k)))?,
    };
    let fargs = match fargs {
        a if a.as_obj().is_some_and(|o| o.class().is(&vm.types.tuple)) => a.clone(),
        a => vm.new_tuple(a.payload().and_then(|p| p.as_tuple()).unwrap_or(&[]).to_vec()),
    };
    // The old state is dropped after the borrow ends (a __del__ may look at the partial).
    let old = std::mem::replace(&mut *p.st.borrow_mut(), (func.clone(), fargs, kw));
    drop(old);
    // A None dict empties the instance's attributes.
    let dict = if dict.is_none() { Value::Obj(vm.new_dict()) } else { dict.clone() };
    crate::native::dict_set(vm, me, Some(dict))?;
    Ok(Value::None)
}

fn p_func(vm: &Vm, v: &Value) -> PyResult {
    Ok(partial_of(vm, v, "func")?.st.borrow().0.clone())
}
fn p_args(vm: &Vm, v: &Value) -> PyResult {
    Ok(partial_of(vm, v, "args")?.st.borrow().1.clone())
}
fn p_keywords(vm: &Vm, v: &Value) -> PyResult {
    Ok(partial_of(vm, v, "keywords")?.st.borrow().2.clone())
}
fn readonly(vm: &Vm, _v: &Value, _value: Option<Value>) -> PyResult<()> {
    Err(vm.new_attribute_error("readonly attribute"))
}

static PARTIAL_METHODS: [NativeDef; 6] = [
    NativeDef::staticmethod("__new__", partial_new),
    NativeDef::method("__call__", partial_call),
    NativeDef::method("__repr__", partial_repr),
    NativeDef::method("__reduce__", partial_reduce),
    NativeDef::method("__setstate__", partial_setstate),
    NativeDef::classmethod("__class_getitem__", class_getitem),
];

static PARTIAL_GETSETS: [GetSetDef; 4] = [
    GetSetDef { name: "func", get: p_func, set: Some(readonly), doc: "function object to use in future partial calls" },
    GetSetDef { name: "args", get: p_args, set: Some(readonly), doc: "tuple of arguments to future partial calls" },
    GetSetDef { name: "keywords", get: p_keywords, set: Some(readonly), doc: "dictionary of keyword arguments to future partial calls" },
    GetSetDef { name: "__dict__", get: crate::native::dict_get, set: Some(crate::native::dict_set), doc: "" },
];

static PARTIAL: TypeSpec = TypeSpec {
    module: "functools",
    name: "partial",
    doc: "partial(func, *args, **keywords) - new function with partial application\n    of the given arguments and keywords.\n",
    layout: Layout::Other,
    flags: type_flags::BASETYPE | type_flags::HAS_DICT | type_flags::HAS_WEAKREF,
    base: None,
    slots: &[],
    methods: &PARTIAL_METHODS,
    more_methods: &[],
    getsets: &PARTIAL_GETSETS,
};

static KEY_METHODS: [NativeDef; 7] = [
    NativeDef::method("__call__", key_call),
    NativeDef::method("__lt__", key_lt),
    NativeDef::method("__le__", key_le),
    NativeDef::method("__eq__", key_eq),
    NativeDef::method("__ne__", key_ne),
    NativeDef::method("__gt__", key_gt),
    NativeDef::method("__ge__", key_ge),
];

static KEY_GETSETS: [GetSetDef; 1] = [GetSetDef { name: "obj", get: key_obj, set: None, doc: "Value wrapped by a key function." }];

static KEYWRAPPER: TypeSpec = TypeSpec {
    module: "functools",
    name: "KeyWrapper",
    doc: "",
    layout: Layout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &KEY_METHODS,
    more_methods: &[],
    getsets: &KEY_GETSETS,
};

static FUNCS: [NativeDef; 2] = [
    NativeDef {
        doc: "reduce(function, iterable[, initial]) -> value\n\nApply a function of two arguments cumulatively to the items of a sequence\nor iterable, from left to right, so as to reduce the iterable to a single\nvalue.  For example, reduce(lambda x, y: x+y, [1, 2, 3, 4, 5]) calculates\n((((1+2)+3)+4)+5).  If initial is present, it is placed before the items\nof the iterable in the calculation, and serves as a default when the\niterable is empty.",
        ..NativeDef::function("reduce", reduce)
    },
    NativeDef { doc: "Convert a cmp= function into a key= function.", ..NativeDef::function("cmp_to_key", cmp_to_key) },
];

/// Creates the `_functools` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let kt = key_type(vm);
    if vm.dict_get_str(&kt.payload.as_type().unwrap().dict, &vm.intern("__hash__")).is_none() {
        // Key wrappers compare but do not hash.
        krait_vm::types::add_attr(vm, &kt, "__hash__", Value::None);
        vm.refresh_slots(&kt);
    }
    let attrs = vec![
        ("partial", Value::Obj(partial_type(vm))),
        ("_lru_cache_wrapper", Value::Obj(crate::lru_cache::lru_cache_wrapper_type(vm))),
    ];
    Ok(crate::native::make_module(vm, "_functools", "Tools that operate on functions.", &FUNCS, attrs))
}
