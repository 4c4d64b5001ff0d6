//! The Python-visible methods of `dict` (the table and the lookups that call
//! `__hash__`/`__eq__` live in `dict_table.rs` and `dict.rs`; the views in
//! `dict_views.rs`).
//!
//! Whatever may run Python code (hashing and comparing keys, reprs, reading
//! another mapping) happens with the table released; loops over a dict work
//! on a snapshot of its entries or re-borrow each step.

use crate::object::PyRef;
use crate::payload::{DictViewKind, Payload};
use crate::types::function::{Args, NativeDef};
use crate::types::iter::IterState;
use crate::types::seq_util::{self, method_args, new_cls, new_iter, new_with_base};
use crate::types::typeobj::Slot;
use crate::value::Value;
use crate::{PyResult, Vm};

fn dict_of<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a PyRef> {
    match v {
        Value::Obj(o) if o.payload.as_dict().is_some() => Ok(o),
        _ => Err(vm.new_type_error(format!(
            "descriptor '{name}' for 'dict' objects doesn't apply to a '{}' object",
            vm.type_name_of(v)
        ))),
    }
}

pub(crate) fn is_dict(v: &Value) -> bool {
    v.payload().and_then(|p| p.as_dict()).is_some()
}

/// Entries with their hashes, in order (a snapshot: no Python code runs).
pub fn entries_hashed(d: &PyRef) -> Vec<(Value, i64, Value)> {
    d.payload.as_dict().unwrap().borrow().iter().map(|e| (e.key.clone(), e.hash, e.value.clone())).collect()
}

impl Vm {
    /// `dict.update(arg)` for one positional argument: a dict, any object
    /// with `keys()`, or an iterable of pairs (CPython's `dict_update_arg`).
    pub fn dict_update_from(&self, d: &PyRef, arg: &Value) -> PyResult<()> {
        if let Value::Obj(o) = arg {
            if o.payload.as_dict().is_some() && (o.class().is(&self.types.dict) || !self.overrides_iter(o)) {
                // Inserting may run a key's `__eq__`, which may change the
                // source: CPython stops when its entry count moved.
                let entries_len = |o: &PyRef| o.payload.as_dict().unwrap().borrow().entries_len();
                let n = entries_len(o);
                for (k, h, v) in entries_hashed(o) {
                    self.dict_set_hashed(d, k, h, v)?;
                    if entries_len(o) != n {
                        return Err(self.new_runtime_error("dict mutated during update"));
                    }
                }
                return Ok(());
            }
        }
        if let Some(keys_fn) = self.getattr_opt(arg, "keys")? {
            let keys = self.call(&keys_fn, Args::EMPTY)?;
            let it = self.iter(&keys)?;
            while let Some(k) = self.next(&it)? {
                let v = self.getitem(arg, &k)?;
                self.dict_set(d, k, v)?;
            }
            return Ok(());
        }
        self.dict_merge_pairs(d, arg)
    }

    fn overrides_iter(&self, o: &PyRef) -> bool {
        match (self.type_lookup_str(o.class(), "__iter__"), self.type_lookup_str(&self.types.dict, "__iter__")) {
            (Some(a), Some(b)) => !a.is(&b),
            _ => false,
        }
    }

    /// Adds (key, value) pairs from an iterable of 2-sequences.
    pub fn dict_merge_pairs(&self, d: &PyRef, seq: &Value) -> PyResult<()> {
        let it = self.iter(seq)?;
        let mut i = 0usize;
        while let Some(item) = self.next(&it)? {
            let pair = match self.seq_items(&item) {
                Some(p) => p,
                None => {
                    let conv = self.iter(&item).and_then(|inner| {
                        let mut v = Vec::new();
                        while let Some(x) = self.next(&inner)? {
                            v.push(x);
                        }
                        Ok(v)
                    });
                    match conv {
                        Ok(v) => v,
                        Err(e) if self.exception_matches(&e, &self.exc.type_error) => {
                            return Err(self.new_type_error(format!(
                                "cannot convert dictionary update sequence element #{i} to a sequence"
                            )));
                        }
                        Err(e) => return Err(e),
                    }
                }
            };
            if pair.len() != 2 {
                return Err(self.new_value_error(format!(
                    "dictionary update sequence element #{i} has length {}; 2 is required",
                    pair.len()
                )));
            }
            let mut p = pair.into_iter();
            let (k, v) = (p.next().unwrap(), p.next().unwrap());
            self.dict_set(d, k, v)?;
            i += 1;
        }
        Ok(())
    }

    /// A new exact dict with the same items as `d`.
    pub fn dict_copy(&self, d: &PyRef) -> PyResult<PyRef> {
        let out = self.new_dict();
        self.dict_fill_from(&out, d);
        Ok(out)
    }

    /// Copies the items of `src` into the empty dict `d`, hashes and order
    /// kept, no key compared (CPython's fast path of `dict_merge`).
    pub fn dict_fill_from(&self, d: &PyRef, src: &PyRef) {
        if d.is(src) {
            return;
        }
        let (Some(to), Some(from)) = (d.payload.as_dict(), src.payload.as_dict()) else { return };
        to.borrow_mut().fill_from(&from.borrow());
        if crate::gc::is_tracked(&Value::Obj(src.clone())) {
            crate::gc::track(d);
        }
    }
}

fn d_getitem(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "dict.__getitem__", 1, 1)?;
    let d = dict_of(vm, s, "__getitem__")?;
    if let Some(v) = vm.dict_get(d, &a[0])? {
        return Ok(v);
    }
    if !d.class().is(&vm.types.dict) {
        if let Some(f) = vm.special(s, Slot::Missing) {
            return vm.call_unbound(&f, s, &[a[0].clone()]);
        }
    }
    Err(vm.new_key_error(a[0].clone()))
}

fn d_setitem(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "dict.__setitem__", 2, 2)?;
    vm.dict_set(dict_of(vm, s, "__setitem__")?, a[0].clone(), a[1].clone())?;
    Ok(Value::None)
}

fn d_delitem(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "dict.__delitem__", 1, 1)?;
    match vm.dict_remove(dict_of(vm, s, "__delitem__")?, &a[0])? {
        Some(old) => {
            drop(old);
            Ok(Value::None)
        }
        None => Err(vm.new_key_error(a[0].clone())),
    }
}

fn d_contains(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "dict.__contains__", 1, 1)?;
    Ok(Value::Bool(vm.dict_get(dict_of(vm, s, "__contains__")?, &a[0])?.is_some()))
}

fn d_len(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "dict.__len__", 0, 0)?;
    Ok(Value::Int(vm.dict_len(dict_of(vm, s, "__len__")?) as i64))
}

/// A forward iterator over a dict's keys, values or items.
pub fn dict_iter(vm: &Vm, d: &PyRef, kind: DictViewKind) -> Value {
    let len = vm.dict_len(d);
    let typ = match kind {
        DictViewKind::Keys => &vm.types.dict_keyiterator,
        DictViewKind::Values => &vm.types.dict_valueiterator,
        DictViewKind::Items => &vm.types.dict_itemiterator,
    };
    new_iter(typ, IterState::Dict { dict: Some(d.clone()), pos: 0, len, remaining: len, kind })
}

/// A reverse iterator over a dict's keys, values or items.
pub fn dict_rev_iter(vm: &Vm, d: &PyRef, kind: DictViewKind) -> Value {
    let (len, end) = {
        let t = d.payload.as_dict().unwrap().borrow();
        (t.len(), t.entries_len())
    };
    let typ = match kind {
        DictViewKind::Keys => &vm.types.dict_reversekeyiterator,
        DictViewKind::Values => &vm.types.dict_reversevalueiterator,
        DictViewKind::Items => &vm.types.dict_reverseitemiterator,
    };
    new_iter(typ, IterState::DictRev { dict: Some(d.clone()), pos: end, len, remaining: len, kind })
}

fn d_iter(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "dict.__iter__", 0, 0)?;
    Ok(dict_iter(vm, dict_of(vm, s, "__iter__")?, DictViewKind::Keys))
}

fn d_reversed(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "dict.__reversed__", 0, 0)?;
    Ok(dict_rev_iter(vm, dict_of(vm, s, "__reversed__")?, DictViewKind::Keys))
}

/// The dict and the other arguments of a call `d.m(key)` or `d.m(key, x)`
/// (no keywords): what `get` and `setdefault` take, checked without the
/// general argument binding.
#[inline]
fn key_call<'a>(args: &Args<'a>) -> Option<(&'a PyRef, &'a Value, Option<&'a Value>)> {
    match args.args {
        [Value::Obj(d), key, rest @ ..] if rest.len() <= 1 && args.kwnames.is_empty() && d.payload.as_dict().is_some() => {
            Some((d, key, rest.first()))
        }
        _ => None,
    }
}

fn d_get(vm: &Vm, args: Args) -> PyResult {
    if let Some((d, key, default)) = key_call(&args) {
        return Ok(match vm.dict_get(d, key)? {
            Some(v) => v,
            None => default.cloned().unwrap_or(Value::None),
        });
    }
    let (s, a) = method_args(vm, args, "get", 1, 2)?;
    match vm.dict_get(dict_of(vm, s, "get")?, &a[0])? {
        Some(v) => Ok(v),
        None => Ok(a.get(1).cloned().unwrap_or(Value::None)),
    }
}

fn d_setdefault(vm: &Vm, args: Args) -> PyResult {
    if let Some((d, key, default)) = key_call(&args) {
        let h = vm.hash(key)?;
        return vm.dict_setdefault_hashed(d, key, h, default.cloned().unwrap_or(Value::None));
    }
    let (s, a) = method_args(vm, args, "setdefault", 1, 2)?;
    let d = dict_of(vm, s, "setdefault")?;
    let h = vm.hash(&a[0])?;
    vm.dict_setdefault_hashed(d, &a[0], h, a.get(1).cloned().unwrap_or(Value::None))
}

fn d_pop(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "pop", 1, 2)?;
    match vm.dict_remove(dict_of(vm, s, "pop")?, &a[0])? {
        Some(v) => Ok(v),
        None => match a.get(1) {
            Some(d) => Ok(d.clone()),
            None => Err(vm.new_key_error(a[0].clone())),
        },
    }
}

fn d_popitem(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "dict.popitem", 0, 0)?;
    let d = dict_of(vm, s, "popitem")?;
    let e = {
        let mut t = d.payload.as_dict().unwrap().borrow_mut();
        match t.last_index() {
            Some(ix) => t.remove_at(ix),
            None => None,
        }
    };
    match e {
        Some(e) => Ok(vm.new_tuple(vec![e.key, e.value])),
        None => Err(vm.new_exception_msg(&vm.exc.key_error, "popitem(): dictionary is empty")),
    }
}

fn d_keys(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "dict.keys", 0, 0)?;
    Ok(vm.new_dict_view(dict_of(vm, s, "keys")?, DictViewKind::Keys))
}
fn d_values(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "dict.values", 0, 0)?;
    Ok(vm.new_dict_view(dict_of(vm, s, "values")?, DictViewKind::Values))
}
fn d_items(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "dict.items", 0, 0)?;
    Ok(vm.new_dict_view(dict_of(vm, s, "items")?, DictViewKind::Items))
}

fn d_clear(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "dict.clear", 0, 0)?;
    let old = dict_of(vm, s, "clear")?.payload.as_dict().unwrap().borrow_mut().clear();
    drop(old);
    Ok(Value::None)
}

fn d_copy(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "dict.copy", 0, 0)?;
    Ok(Value::Obj(vm.dict_copy(dict_of(vm, s, "copy")?)?))
}

/// `update(self, [arg], **kwargs)`, shared by `__init__`.
fn update_impl(vm: &Vm, args: Args, fname: &str) -> PyResult {
    let s = args.args.first().ok_or_else(|| vm.new_type_error(format!("{fname}() needs an argument")))?;
    let d = dict_of(vm, s, fname)?;
    let pos = &args.positional()[1..];
    if pos.len() > 1 {
        return Err(vm.new_type_error(format!("{fname} expected at most 1 argument, got {}", pos.len())));
    }
    if let Some(arg) = pos.first() {
        vm.dict_update_from(d, arg)?;
    }
    for (k, v) in args.keywords() {
        vm.dict_set(d, k.clone(), v.clone())?;
    }
    Ok(Value::None)
}

fn d_update(vm: &Vm, args: Args) -> PyResult {
    update_impl(vm, args, "update")
}

fn d_init(vm: &Vm, args: Args) -> PyResult {
    update_impl(vm, args, "dict")
}

fn d_new(vm: &Vm, args: Args) -> PyResult {
    let cls = new_cls(vm, args.args, &vm.types.dict)?;
    Ok(new_with_base(vm, cls, &vm.types.dict, Payload::Dict(Box::default())))
}

fn d_fromkeys(vm: &Vm, args: Args) -> PyResult {
    let (cls, a) = method_args(vm, args, "fromkeys", 1, 2)?;
    let value = a.get(1).cloned().unwrap_or(Value::None);
    let d = vm.call(cls, Args::EMPTY)?;
    if seq_util::is_exact(&d, &vm.types.dict) {
        let dr = d.as_obj().unwrap();
        if let Some(src) = a[0].as_obj().filter(|o| o.class().is(&vm.types.dict)) {
            for (k, h, _) in entries_hashed(src) {
                vm.dict_set_hashed(dr, k, h, value.clone())?;
            }
            return Ok(d);
        }
        if let Some(t) = a[0].payload().and_then(|p| p.as_set()) {
            let entries = t.borrow().entries();
            for (k, h) in entries {
                vm.dict_set_hashed(dr, k, h, value.clone())?;
            }
            return Ok(d);
        }
        let it = vm.iter(&a[0])?;
        while let Some(k) = vm.next(&it)? {
            vm.dict_set(dr, k, value.clone())?;
        }
        return Ok(d);
    }
    let it = vm.iter(&a[0])?;
    while let Some(k) = vm.next(&it)? {
        vm.setitem(&d, &k, value.clone())?;
    }
    Ok(d)
}

fn d_repr(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "dict.__repr__", 0, 0)?;
    let d = dict_of(vm, s, "__repr__")?;
    if vm.dict_len(d) == 0 {
        return Ok(vm.new_str("{}"));
    }
    let r = vm.with_repr_guard(s, || {
        let mut out = String::from("{");
        for (i, (k, v)) in vm.dict_items(d).into_iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(vm.repr(&k)?.payload.as_str().unwrap().as_str());
            out.push_str(": ");
            out.push_str(vm.repr(&v)?.payload.as_str().unwrap().as_str());
        }
        out.push('}');
        Ok(out)
    })?;
    Ok(vm.new_str(r.unwrap_or_else(|| "{...}".to_string())))
}

/// `a == b` for two dicts: same length and every key of `a` maps to an equal value in `b`.
pub fn dict_equal(vm: &Vm, a: &PyRef, b: &PyRef) -> PyResult<bool> {
    if vm.dict_len(a) != vm.dict_len(b) {
        return Ok(false);
    }
    for (k, h, v) in entries_hashed(a) {
        match vm.dict_get_hashed(b, &k, h)? {
            Some(bv) => {
                if !vm.eq_identity_or(&v, &bv)? {
                    return Ok(false);
                }
            }
            None => return Ok(false),
        }
    }
    Ok(true)
}

fn d_eq_impl(vm: &Vm, args: Args, ne: bool) -> PyResult {
    let (s, a) = method_args(vm, args, "dict.__eq__", 1, 1)?;
    let d = dict_of(vm, s, "__eq__")?;
    if !is_dict(&a[0]) {
        return Ok(vm.not_implemented());
    }
    let eq = dict_equal(vm, d, a[0].as_obj().unwrap())?;
    Ok(Value::Bool(eq != ne))
}
fn d_eq(vm: &Vm, args: Args) -> PyResult {
    d_eq_impl(vm, args, false)
}
fn d_ne(vm: &Vm, args: Args) -> PyResult {
    d_eq_impl(vm, args, true)
}

fn d_or(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "dict.__or__", 1, 1)?;
    let d = dict_of(vm, s, "__or__")?;
    if !is_dict(&a[0]) {
        return Ok(vm.not_implemented());
    }
    let out = vm.dict_copy(d)?;
    vm.dict_update_from(&out, &a[0])?;
    Ok(Value::Obj(out))
}

fn d_ror(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "dict.__ror__", 1, 1)?;
    let d = dict_of(vm, s, "__ror__")?;
    if !is_dict(&a[0]) {
        return Ok(vm.not_implemented());
    }
    let out = vm.dict_copy(a[0].as_obj().unwrap())?;
    vm.dict_update_from(&out, &Value::Obj(d.clone()))?;
    Ok(Value::Obj(out))
}

fn d_ior(vm: &Vm, args: Args) -> PyResult {
    let (s, a) = method_args(vm, args, "dict.__ior__", 1, 1)?;
    vm.dict_update_from(dict_of(vm, s, "__ior__")?, &a[0])?;
    Ok(s.clone())
}

fn d_sizeof(vm: &Vm, args: Args) -> PyResult {
    let (s, _) = method_args(vm, args, "dict.__sizeof__", 0, 0)?;
    dict_of(vm, s, "__sizeof__")?;
    Ok(Value::Int(crate::object_size::own_size(s) as i64))
}

fn class_getitem(vm: &Vm, args: Args) -> PyResult {
    let (cls, a) = method_args(vm, args, "__class_getitem__", 1, 1)?;
    vm.generic_alias(cls, &a[0])
}

static DICT_METHODS: [NativeDef; 28] = [
    NativeDef::staticmethod("__new__", d_new),
    NativeDef::method("__init__", d_init),
    NativeDef::method("__getitem__", d_getitem).doc("x.__getitem__(y) <==> x[y]"),
    NativeDef::method("__setitem__", d_setitem),
    NativeDef::method("__delitem__", d_delitem),
    NativeDef::method("__contains__", d_contains).doc("__contains__($self, key, /)\n--\n\nTrue if the dictionary has the specified key, else False."),
    NativeDef::method("__len__", d_len),
    NativeDef::method("__iter__", d_iter),
    NativeDef::method("__reversed__", d_reversed).doc("__reversed__($self, /)\n--\n\nReturn a reverse iterator over the dict keys."),
    NativeDef::method("__repr__", d_repr),
    NativeDef::method("__eq__", d_eq),
    NativeDef::method("__ne__", d_ne),
    NativeDef::method("__or__", d_or),
    NativeDef::method("__ror__", d_ror),
    NativeDef::method("__ior__", d_ior),
    NativeDef::method("__sizeof__", d_sizeof).doc("D.__sizeof__() -> size of D in memory, in bytes"),
    NativeDef::method("get", d_get).doc("get($self, key, default=None, /)\n--\n\nReturn the value for key if key is in the dictionary, else default."),
    NativeDef::method("setdefault", d_setdefault).doc("setdefault($self, key, default=None, /)\n--\n\nInsert key with a value of default if key is not in the dictionary."),
    NativeDef::method("pop", d_pop).doc("pop($self, key, default=<unrepresentable>, /)\n--\n\nD.pop(k[,d]) -> v, remove specified key and return the corresponding value."),
    NativeDef::method("popitem", d_popitem).doc("popitem($self, /)\n--\n\nRemove and return a (key, value) pair as a 2-tuple."),
    NativeDef::method("keys", d_keys).doc("D.keys() -> a set-like object providing a view on D's keys"),
    NativeDef::method("values", d_values).doc("D.values() -> an object providing a view on D's values"),
    NativeDef::method("items", d_items).doc("D.items() -> a set-like object providing a view on D's items"),
    NativeDef::method("update", d_update).doc("D.update([E, ]**F) -> None.  Update D from dict/iterable E and F."),
    NativeDef::method("clear", d_clear).doc("D.clear() -> None.  Remove all items from D."),
    NativeDef::method("copy", d_copy).doc("D.copy() -> a shallow copy of D"),
    NativeDef::classmethod("fromkeys", d_fromkeys).doc("fromkeys($type, iterable, value=None, /)\n--\n\nCreate a new dictionary with keys from iterable and values set to value."),
    NativeDef::classmethod("__class_getitem__", class_getitem).doc("See PEP 585"),
];

pub fn init(vm: &Vm) {
    crate::types::add_methods(vm, &vm.types.dict, &DICT_METHODS);
    crate::types::add_attr(vm, &vm.types.dict, "__hash__", Value::None);
}
