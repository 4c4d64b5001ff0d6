//! `types.GenericAlias` (`list[int]`) and `types.UnionType` (`int | str`).
//!
//! GenericAlias is a native payload (`AliasData`) so that it can be
//! subclassed; UnionType is a small immutable record kept in an `Instance`
//! payload whose slot cells hold `[args]` (the type is builtin, so nothing
//! else reads those cells). A union's `__parameters__` is always `()`.

use crate::object::{PyRef, ValueCell};
use crate::payload::{GetSetDef, Payload};
use crate::types::function::NativeDef;
use crate::types::object::{as_type_ref, module_of, qualname_of};
use crate::value::Value;
use crate::{Args, PyResult, Vm};

fn record(typ: &PyRef, fields: Vec<Value>) -> Value {
    let o = PyRef::new_instance_with_slots(typ.clone(), None, fields.len());
    if let Some(inst) = o.payload.as_instance() {
        for (cell, v) in inst.slots.iter().zip(fields) {
            cell.set(Some(v));
        }
    }
    Value::Obj(o)
}

/// The fields of a UnionType value (checked by type).
fn fields(vm: &Vm, v: &Value, typ: &PyRef) -> Option<Vec<Value>> {
    if !vm.class_of(v).is(typ) {
        return None;
    }
    let inst = v.as_obj()?.payload.as_instance()?;
    Some(inst.slots.iter().map(|c| c.get().unwrap_or(Value::None)).collect())
}

/// A GenericAlias's state. It is a native payload (not slot cells) so that
/// Python subclasses such as `_CallableGenericAlias` carry it as their base
/// payload next to their own `__slots__`/`__dict__`.
pub struct AliasData {
    origin: Value,
    args: Value,
    /// `__parameters__`, computed on first use (it looks up attributes).
    params: ValueCell,
    /// `*tuple[int]`, what iterating `tuple[int]` gives (`__unpacked__`).
    starred: bool,
}

impl crate::gc::NativeData for AliasData {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn crate::gc::Visitor) {
        visitor.visit_value(&self.origin);
        visitor.visit_value(&self.args);
        // The cell has no borrowing accessor: the visit sees a clone (the same object).
        if let Some(p) = self.params.get() {
            visitor.visit_value(&p);
        }
    }
    fn clear(&self) {
        let old = self.params.take();
        drop(old);
    }
}

fn alias_data(v: &Value) -> Option<&AliasData> {
    v.payload().and_then(|p| p.as_native::<AliasData>())
}

pub(crate) fn alias_parts(_vm: &Vm, v: &Value) -> Option<(Value, Value)> {
    alias_data(v).map(|d| (d.origin.clone(), d.args.clone()))
}

/// The `__args__` of a union value.
pub(crate) fn union_args(vm: &Vm, v: &Value) -> Option<Vec<Value>> {
    let f = fields(vm, v, &vm.types.union_type)?;
    vm.seq_items(&f[0])
}

fn as_args_tuple(vm: &Vm, args: &Value) -> Value {
    if args.payload().and_then(|p| p.as_tuple()).is_some() && vm.class_of(args).is(&vm.types.tuple) {
        args.clone()
    } else {
        vm.new_tuple(vec![args.clone()])
    }
}

/// An alias of class `cls` (GenericAlias or a subclass).
fn alias_of_class(vm: &Vm, cls: &PyRef, origin: &Value, args: &Value) -> Value {
    starred_of_class(vm, cls, origin, args, false)
}

fn starred_of_class(vm: &Vm, cls: &PyRef, origin: &Value, args: &Value, starred: bool) -> Value {
    let data = AliasData { origin: origin.clone(), args: as_args_tuple(vm, args), params: ValueCell::new(None), starred };
    crate::types::seq_util::new_with_base(vm, cls, &vm.types.generic_alias, Payload::Native(Box::new(data)))
}

/// `origin[args]`: a GenericAlias (`args` becomes a tuple).
pub fn new_generic_alias(vm: &Vm, origin: &Value, args: &Value) -> Value {
    alias_of_class(vm, &vm.types.generic_alias, origin, args)
}

/// How a type argument prints inside `list[...]` and `X | Y`.
fn arg_repr(vm: &Vm, v: &Value) -> PyResult<String> {
    if v.is_none() {
        return Ok("None".into());
    }
    if let Value::Obj(o) = v {
        if o.is(&vm.ellipsis) {
            return Ok("...".into());
        }
    }
    if let Some(t) = as_type_ref(v) {
        if t.is(&vm.types.none_type) {
            return Ok("None".into());
        }
        let q = qualname_of(t);
        return Ok(match module_of(vm, t) {
            Some(m) => format!("{m}.{q}"),
            None => q,
        });
    }
    if let Some(items) = v.payload().and_then(|p| p.as_list()).map(|l| l.borrow().to_vec()) {
        let parts: PyResult<Vec<String>> = items.iter().map(|x| arg_repr(vm, x)).collect();
        return Ok(format!("[{}]", parts?.join(", ")));
    }
    vm.repr_string(v)
}

fn expect_alias<'a>(vm: &Vm, v: &'a Value) -> PyResult<&'a AliasData> {
    alias_data(v).ok_or_else(|| vm.new_type_error("expected a GenericAlias"))
}

fn alias_repr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__repr__", args, 1, 1)?;
    let d = expect_alias(vm, &args.args[0])?;
    let items = vm.seq_items(&d.args).unwrap_or_default();
    let parts: PyResult<Vec<String>> = items.iter().map(|x| arg_repr(vm, x)).collect();
    let inner = if items.is_empty() { "()".to_string() } else { parts?.join(", ") };
    let star = if d.starred { "*" } else { "" };
    Ok(vm.new_str(format!("{star}{}[{}]", arg_repr(vm, &d.origin)?, inner)))
}

fn alias_origin(vm: &Vm, v: &Value) -> PyResult {
    Ok(expect_alias(vm, v)?.origin.clone())
}
fn alias_args(vm: &Vm, v: &Value) -> PyResult {
    Ok(expect_alias(vm, v)?.args.clone())
}
fn empty_parameters(vm: &Vm, _v: &Value) -> PyResult {
    Ok(vm.new_tuple(vec![]))
}
fn alias_unpacked(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Bool(expect_alias(vm, v)?.starred))
}

/// `getattr(v, name, None)` that only swallows AttributeError.
fn lookup_attr(vm: &Vm, v: &Value, name: &str) -> PyResult<Option<Value>> {
    match vm.getattr(v, &vm.intern(name)) {
        Ok(x) => Ok(Some(x)),
        Err(e) if vm.exception_matches(&e, &vm.exc.attribute_error) => Ok(None),
        Err(e) => Err(e),
    }
}

fn push_unique(vm: &Vm, out: &mut Vec<Value>, v: Value) -> PyResult<()> {
    for x in out.iter() {
        if x.is(&v) || vm.eq_bool(x, &v)? {
            return Ok(());
        }
    }
    out.push(v);
    Ok(())
}

/// CPython's `_Py_make_parameters`: the type variables among the args
/// (anything with `__typing_subst__`) and the `__parameters__` of nested
/// generics, in order, without duplicates.
fn make_parameters(vm: &Vm, args: &Value) -> PyResult<Vec<Value>> {
    let mut out = Vec::new();
    for t in vm.seq_items(args).unwrap_or_default() {
        if as_type_ref(&t).is_some() {
            continue;
        }
        if lookup_attr(vm, &t, "__typing_subst__")?.is_some() {
            push_unique(vm, &mut out, t)?;
        } else if let Some(sub) = lookup_attr(vm, &t, "__parameters__")? {
            if let Some(items) = sub.payload().and_then(|p| p.as_tuple()).map(|t| t.to_vec()) {
                for p in items {
                    push_unique(vm, &mut out, p)?;
                }
            }
        }
    }
    Ok(out)
}

fn alias_parameters(vm: &Vm, v: &Value) -> PyResult {
    let d = expect_alias(vm, v)?;
    if let Some(p) = d.params.get() {
        return Ok(p);
    }
    let p = vm.new_tuple(make_parameters(vm, &d.args)?);
    d.params.set(Some(p.clone()));
    Ok(p)
}

fn index_of(vm: &Vm, params: &[Value], v: &Value) -> PyResult<Option<usize>> {
    for (i, p) in params.iter().enumerate() {
        if p.is(v) || vm.eq_bool(p, v)? {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

/// `alias[item]`: substitutes the type variables (CPython's
/// `_Py_subs_parameters`, without TypeVarTuple unpacking). The result is
/// always a plain GenericAlias, as in CPython.
fn alias_getitem(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__getitem__", args, 2, 2)?;
    let this = &args.args[0];
    let d = expect_alias(vm, this)?;
    let params_v = alias_parameters(vm, this)?;
    let params = vm.seq_items(&params_v).unwrap_or_default();
    if params.is_empty() {
        return Err(vm.new_type_error(format!("{} is not a generic class", vm.repr_string(this)?)));
    }
    let mut item = args.args[1].clone();
    if !(item.payload().and_then(|p| p.as_tuple()).is_some()) {
        item = vm.new_tuple(vec![item]);
    }
    for p in &params {
        if let Some(prepare) = lookup_attr(vm, p, "__typing_prepare_subst__")? {
            item = vm.call(&prepare, Args::new(&[this.clone(), item.clone()]))?;
        }
    }
    let items = vm.seq_items(&item).unwrap_or_default();
    if items.len() != params.len() {
        let which = if items.len() > params.len() { "many" } else { "few" };
        return Err(vm.new_type_error(format!(
            "Too {which} arguments for {}; actual {}, expected {}",
            vm.repr_string(this)?,
            items.len(),
            params.len()
        )));
    }
    let mut new_args = Vec::new();
    for arg in vm.seq_items(&d.args).unwrap_or_default() {
        if as_type_ref(&arg).is_some() {
            new_args.push(arg);
            continue;
        }
        if let Some(subst) = lookup_attr(vm, &arg, "__typing_subst__")? {
            let i = index_of(vm, &params, &arg)?.unwrap_or(0);
            new_args.push(vm.call(&subst, Args::new(&[items[i].clone()]))?);
            continue;
        }
        // A nested generic: substitute its own parameters.
        let sub = lookup_attr(vm, &arg, "__parameters__")?;
        let subparams = sub.and_then(|s| s.payload().and_then(|p| p.as_tuple()).map(|t| t.to_vec())).unwrap_or_default();
        if subparams.is_empty() {
            new_args.push(arg);
            continue;
        }
        let mut subargs = Vec::new();
        for sp in &subparams {
            if let Some(i) = index_of(vm, &params, sp)? {
                subargs.push(items[i].clone());
            }
        }
        let key = vm.new_tuple(subargs);
        new_args.push(vm.getitem(&arg, &key)?);
    }
    Ok(starred_of_class(vm, &vm.types.generic_alias, &d.origin, &vm.new_tuple(new_args), d.starred))
}

fn alias_new(vm: &Vm, args: Args) -> PyResult {
    let cls = crate::types::seq_util::new_cls(vm, args.args, &vm.types.generic_alias)?.clone();
    if args.has_kwargs() {
        return Err(vm.new_type_error("GenericAlias() takes no keyword arguments"));
    }
    let rest = &args.args[1..];
    if rest.len() != 2 {
        return Err(vm.new_type_error(format!("GenericAlias expected 2 arguments, got {}", rest.len())));
    }
    Ok(alias_of_class(vm, &cls, &rest[0], &rest[1]))
}

fn alias_call(vm: &Vm, args: Args) -> PyResult {
    let (origin, _) = alias_parts(vm, &args.args[0]).ok_or_else(|| vm.new_type_error("expected a GenericAlias"))?;
    let r = vm.call(&origin, Args::with_kw(&args.args[1..], args.kwnames))?;
    // CPython records the alias on the instance when it can.
    if let Err(e) = vm.setattr_str(&r, "__orig_class__", args.args[0].clone()) {
        if !vm.exception_matches(&e, &vm.exc.attribute_error) && !vm.exception_matches(&e, &vm.exc.type_error) {
            return Err(e);
        }
    }
    Ok(r)
}

fn alias_mro_entries(vm: &Vm, args: Args) -> PyResult {
    let (origin, _) = alias_parts(vm, &args.args[0]).ok_or_else(|| vm.new_type_error("expected a GenericAlias"))?;
    Ok(vm.new_tuple(vec![origin]))
}

/// Attributes not defined on the alias come from its origin
/// (`list[int].append`, `list[int].__name__`), except the alias's own
/// (CPython's `attr_exceptions`).
fn alias_getattr(vm: &Vm, args: Args) -> PyResult {
    const OWN: [&str; 11] = [
        "__class__", "__origin__", "__args__", "__unpacked__", "__parameters__", "__typing_unpacked_tuple_args__",
        "__mro_entries__", "__reduce_ex__", "__reduce__", "__copy__", "__deepcopy__",
    ];
    vm.check_arity("__getattr__", args, 2, 2)?;
    let (origin, _) = alias_parts(vm, &args.args[0]).ok_or_else(|| vm.new_type_error("expected a GenericAlias"))?;
    let name = crate::types::object::attr_name(vm, &args.args[1])?;
    let n = name.payload.as_str().map(|s| s.as_str()).unwrap_or("");
    if OWN.contains(&n) {
        return Err(vm.no_attribute(&args.args[0], &name));
    }
    vm.getattr(&origin, &name)
}

fn alias_eq(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__eq__", args, 2, 2)?;
    let (Some((o1, a1)), Some((o2, a2))) = (alias_parts(vm, &args.args[0]), alias_parts(vm, &args.args[1])) else {
        return Ok(vm.not_implemented());
    };
    let same_star = alias_data(&args.args[0]).map(|d| d.starred) == alias_data(&args.args[1]).map(|d| d.starred);
    Ok(Value::Bool(same_star && vm.eq_bool(&o1, &o2)? && vm.eq_bool(&a1, &a2)?))
}

fn alias_hash(vm: &Vm, args: Args) -> PyResult {
    let (o, a) = alias_parts(vm, &args.args[0]).ok_or_else(|| vm.new_type_error("expected a GenericAlias"))?;
    Ok(Value::Int(vm.hash(&o)? ^ vm.hash(&a)?))
}

/// `iter(tuple[int])`: a generic_alias_iterator that gives `*tuple[int]`
/// once (the alias it holds is let go of then).
struct AliasIter {
    alias: std::cell::RefCell<Option<Value>>,
}

impl crate::gc::NativeData for AliasIter {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn crate::gc::Visitor) {
        if let Ok(a) = self.alias.try_borrow() {
            if let Some(v) = &*a {
                visitor.visit_value(v);
            }
        }
    }
    fn clear(&self) {
        let old = self.alias.borrow_mut().take();
        drop(old);
    }
}

fn alias_iter(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__iter__", args, 1, 1)?;
    expect_alias(vm, &args.args[0])?;
    let it = AliasIter { alias: std::cell::RefCell::new(Some(args.args[0].clone())) };
    Ok(Value::Obj(PyRef::new(vm.types.generic_alias_iterator.clone(), Payload::Native(Box::new(it)))))
}

fn alias_iter_state<'a>(vm: &Vm, args: &Args<'a>, name: &str) -> PyResult<&'a AliasIter> {
    vm.check_arity(name, *args, 1, 1)?;
    args.args[0]
        .payload()
        .and_then(|p| p.as_native::<AliasIter>())
        .ok_or_else(|| vm.new_type_error(format!("descriptor '{name}' requires a 'generic_alias_iterator' object")))
}

fn alias_iter_self(vm: &Vm, args: Args) -> PyResult {
    alias_iter_state(vm, &args, "__iter__")?;
    Ok(args.args[0].clone())
}

fn alias_iter_next(vm: &Vm, args: Args) -> PyResult {
    let it = alias_iter_state(vm, &args, "__next__")?;
    let Some(alias) = it.alias.borrow_mut().take() else { return Err(vm.new_stop_iteration(None)) };
    let d = expect_alias(vm, &alias)?;
    Ok(starred_of_class(vm, &vm.types.generic_alias, &d.origin, &d.args, true))
}

/// `(iter, (alias,))`, `(iter, ((),))` once exhausted.
fn alias_iter_reduce(vm: &Vm, args: Args) -> PyResult {
    let it = alias_iter_state(vm, &args, "__reduce__")?;
    let iter = crate::types::iter_pickle::builtin(vm, "iter")?;
    let arg = it.alias.borrow().clone().unwrap_or_else(|| vm.new_tuple(vec![]));
    Ok(vm.new_tuple(vec![iter, vm.new_tuple(vec![arg])]))
}

/// `(type(alias), (origin, args))`; a starred alias, `(next, (iter(alias),))`.
fn alias_reduce(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__reduce__", args, 1, 1)?;
    let this = &args.args[0];
    let d = expect_alias(vm, this)?;
    if d.starred {
        let plain = new_generic_alias(vm, &d.origin, &d.args);
        let it = vm.iter(&plain)?;
        return Ok(vm.new_tuple(vec![crate::types::iter_pickle::builtin(vm, "next")?, vm.new_tuple(vec![it])]));
    }
    let args = vm.new_tuple(vec![d.origin.clone(), d.args.clone()]);
    Ok(vm.new_tuple(vec![Value::Obj(vm.type_of(this)), args]))
}

fn parameterized_error(vm: &Vm, what: &str) -> PyResult {
    Err(vm.new_type_error(format!("{what}() argument 2 cannot be a parameterized generic")))
}
fn alias_instancecheck(vm: &Vm, _args: Args) -> PyResult {
    parameterized_error(vm, "isinstance")
}
fn alias_subclasscheck(vm: &Vm, _args: Args) -> PyResult {
    parameterized_error(vm, "issubclass")
}

// ---------------------------------------------------------------------------
// Unions.

/// Can `v` take part in `X | Y`? (types, None, aliases, unions)
fn unionable(vm: &Vm, v: &Value) -> bool {
    v.is_none() || as_type_ref(v).is_some() || alias_parts(vm, v).is_some() || union_args(vm, v).is_some()
}

/// `a | b`: flattened, deduplicated (by identity/equality), None as NoneType;
/// a single remaining member is returned as is.
pub fn make_union(vm: &Vm, a: &Value, b: &Value) -> PyResult {
    if !unionable(vm, a) || !unionable(vm, b) {
        return Ok(vm.not_implemented());
    }
    let mut members: Vec<Value> = Vec::new();
    for v in [a, b] {
        let items = union_args(vm, v).unwrap_or_else(|| vec![v.clone()]);
        for it in items {
            let it = if it.is_none() { Value::Obj(vm.types.none_type.clone()) } else { it };
            let mut dup = false;
            for m in &members {
                if m.is(&it) || vm.eq_bool(m, &it)? {
                    dup = true;
                    break;
                }
            }
            if !dup {
                members.push(it);
            }
        }
    }
    if members.len() == 1 {
        return Ok(members.pop().unwrap_or(Value::None));
    }
    Ok(record(&vm.types.union_type, vec![vm.new_tuple(members)]))
}

fn union_or(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__or__", args, 2, 2)?;
    make_union(vm, &args.args[0], &args.args[1])
}

fn union_ror(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__ror__", args, 2, 2)?;
    make_union(vm, &args.args[1], &args.args[0])
}

fn union_repr(vm: &Vm, args: Args) -> PyResult {
    let items = union_args(vm, &args.args[0]).ok_or_else(|| vm.new_type_error("expected a UnionType"))?;
    let parts: PyResult<Vec<String>> = items.iter().map(|x| arg_repr(vm, x)).collect();
    Ok(vm.new_str(parts?.join(" | ")))
}

fn union_args_get(vm: &Vm, v: &Value) -> PyResult {
    match fields(vm, v, &vm.types.union_type) {
        Some(f) => Ok(f[0].clone()),
        None => Err(vm.new_type_error("expected a UnionType")),
    }
}

fn union_eq(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__eq__", args, 2, 2)?;
    let (Some(a), Some(b)) = (union_args(vm, &args.args[0]), union_args(vm, &args.args[1])) else {
        return Ok(vm.not_implemented());
    };
    // Equal as sets of members.
    for (x, y) in [(&a, &b), (&b, &a)] {
        for m in x.iter() {
            let mut found = false;
            for n in y.iter() {
                if vm.eq_bool(m, n)? {
                    found = true;
                    break;
                }
            }
            if !found {
                return Ok(Value::Bool(false));
            }
        }
    }
    Ok(Value::Bool(true))
}

fn union_hash(vm: &Vm, args: Args) -> PyResult {
    let items = union_args(vm, &args.args[0]).ok_or_else(|| vm.new_type_error("expected a UnionType"))?;
    let mut h: i64 = 0x345678;
    for it in &items {
        // Order-independent, like hashing a frozenset.
        h ^= vm.hash(it)?.wrapping_mul(0x5bd1e995);
    }
    Ok(Value::Int(if h == -1 { -2 } else { h }))
}

/// The members for isinstance/issubclass; aliases inside are an error.
fn check_members(vm: &Vm, u: &Value, what: &str) -> PyResult<Vec<Value>> {
    let items = union_args(vm, u).ok_or_else(|| vm.new_type_error("expected a UnionType"))?;
    if items.iter().any(|i| alias_parts(vm, i).is_some()) {
        parameterized_error(vm, what)?;
    }
    Ok(items)
}

fn union_instancecheck(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__instancecheck__", args, 2, 2)?;
    for m in check_members(vm, &args.args[0], "isinstance")? {
        if vm.isinstance(&args.args[1], &m)? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn union_subclasscheck(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__subclasscheck__", args, 2, 2)?;
    for m in check_members(vm, &args.args[0], "issubclass")? {
        if vm.issubclass(&args.args[1], &m)? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

/// `type.__or__` / `type.__ror__`.
fn type_or(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__or__", args, 2, 2)?;
    make_union(vm, &args.args[0], &args.args[1])
}
fn type_ror(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__ror__", args, 2, 2)?;
    make_union(vm, &args.args[1], &args.args[0])
}

static ALIAS_ITER_METHODS: [NativeDef; 3] = [
    NativeDef::method("__iter__", alias_iter_self),
    NativeDef::method("__next__", alias_iter_next),
    NativeDef::method("__reduce__", alias_iter_reduce),
];
static ALIAS_METHODS: [NativeDef; 14] = [
    NativeDef::method("__iter__", alias_iter),
    NativeDef::method("__reduce__", alias_reduce),
    NativeDef::staticmethod("__new__", alias_new),
    NativeDef::method("__getitem__", alias_getitem),
    NativeDef::method("__repr__", alias_repr),
    NativeDef::method("__call__", alias_call),
    NativeDef::method("__mro_entries__", alias_mro_entries),
    NativeDef::method("__getattr__", alias_getattr),
    NativeDef::method("__eq__", alias_eq),
    NativeDef::method("__hash__", alias_hash),
    NativeDef::method("__or__", union_or),
    NativeDef::method("__ror__", union_ror),
    NativeDef::method("__instancecheck__", alias_instancecheck),
    NativeDef::method("__subclasscheck__", alias_subclasscheck),
];
static ALIAS_GETSETS: [GetSetDef; 4] = [
    GetSetDef { name: "__origin__", get: alias_origin, set: None, doc: "" },
    GetSetDef { name: "__args__", get: alias_args, set: None, doc: "" },
    GetSetDef { name: "__parameters__", get: alias_parameters, set: None, doc: "" },
    GetSetDef { name: "__unpacked__", get: alias_unpacked, set: None, doc: "" },
];
static UNION_METHODS: [NativeDef; 7] = [
    NativeDef::method("__repr__", union_repr),
    NativeDef::method("__or__", union_or),
    NativeDef::method("__ror__", union_ror),
    NativeDef::method("__eq__", union_eq),
    NativeDef::method("__hash__", union_hash),
    NativeDef::method("__instancecheck__", union_instancecheck),
    NativeDef::method("__subclasscheck__", union_subclasscheck),
];
static UNION_GETSETS: [GetSetDef; 2] = [
    GetSetDef { name: "__args__", get: union_args_get, set: None, doc: "" },
    GetSetDef { name: "__parameters__", get: empty_parameters, set: None, doc: "" },
];
static TYPE_OR: [NativeDef; 2] = [NativeDef::method("__or__", type_or), NativeDef::method("__ror__", type_ror)];

pub fn init(vm: &Vm) {
    use crate::types::{add_attr, add_getsets, add_methods};
    let t = &vm.types;
    add_methods(vm, &t.generic_alias, &ALIAS_METHODS);
    add_methods(vm, &t.generic_alias_iterator, &ALIAS_ITER_METHODS);
    add_getsets(vm, &t.generic_alias, &ALIAS_GETSETS);
    add_methods(vm, &t.union_type, &UNION_METHODS);
    add_getsets(vm, &t.union_type, &UNION_GETSETS);
    add_methods(vm, &t.type_, &TYPE_OR);
    for typ in [&t.generic_alias, &t.union_type] {
        add_attr(vm, typ, "__module__", vm.new_str("types"));
    }
}
