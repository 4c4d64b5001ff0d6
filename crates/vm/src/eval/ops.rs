//! The slower instructions of the eval loop, one helper each: name lookups in
//! arbitrary mappings, method loading, unpacking, calls with `*args`/`**kwargs`,
//! function creation, f-string formatting, imports, context managers, and
//! `yield from`/`await` delegation. Pattern matching lives in `matching.rs`.

use crate::eval::frame::{is_null_slow, Frame};
use crate::instance_values;
use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::code::PyCode;
use crate::types::function::{FunctionData, NativeKind};
use crate::types::typeobj::{type_flags, Slot};
use crate::value::Value;
use crate::{Args, PyErr, PyResult, Vm};
use krait_compiler::bytecode::Opcode;
use krait_compiler::code::flags;

pub use crate::eval::matching::{is_match_mapping, is_match_sequence, match_class, match_keys};
pub(crate) use crate::eval::attr_cache::{load_attr_cached, load_method_cached, store_attr_cached};

fn s(name: &PyRef) -> &str {
    name.payload.as_str().map(|s| s.as_str()).unwrap_or("?")
}

/// `'name'` as CPython's `%R` of a str prints it (simple identifiers).
pub fn quoted(name: &PyRef) -> String {
    format!("'{}'", s(name))
}

pub fn unbound_local(vm: &Vm, code: &PyCode, idx: usize) -> PyErr {
    let name = code.varnames.get(idx).map(|n| s(n)).unwrap_or("?");
    vm.new_exception_msg(
        &vm.exc.unbound_local_error,
        format!("cannot access local variable '{name}' where it is not associated with a value"),
    )
}

pub fn unbound_deref(vm: &Vm, code: &PyCode, i: usize) -> PyErr {
    let name = code.cell_and_free.get(i).map(|n| s(n)).unwrap_or("?");
    if i < code.code.cellvars.len() {
        vm.new_exception_msg(
            &vm.exc.unbound_local_error,
            format!("cannot access local variable '{name}' where it is not associated with a value"),
        )
    } else {
        vm.new_name_error(format!(
            "cannot access free variable '{name}' where it is not associated with a value in enclosing scope"
        ))
    }
}

/// NameError for a missing global/builtin/local name (with `.name` set).
pub fn name_error(vm: &Vm, name: &PyRef) -> PyErr {
    let e = vm.new_name_error(format!("name '{}' is not defined", s(name)));
    if let Some(d) = vm.instance_dict(&Value::Obj(e.clone()), true) {
        vm.dict_set_str(&d, &vm.intern("name"), Value::Obj(name.clone()));
    }
    e
}

#[inline]
pub fn cell_get(cell: &Value) -> Option<Value> {
    match cell.payload() {
        Some(Payload::Cell(c)) => c.get(),
        _ => None,
    }
}

#[inline]
pub fn cell_set(cell: &Value, v: Option<Value>) {
    if let Some(Payload::Cell(c)) = cell.payload() {
        c.set(v);
    }
}

fn exact_dict(v: &Value) -> Option<&PyRef> {
    match v {
        Value::Obj(o) if o.payload.as_dict().is_some() && matches!(o.payload, Payload::Dict(_)) => Some(o),
        _ => None,
    }
}

/// `locals[name]` for LoadName: None when missing (KeyError absorbed).
pub fn mapping_lookup(vm: &Vm, l: &Value, name: &PyRef) -> PyResult<Option<Value>> {
    if let Some(d) = exact_dict(l) {
        if d.class().is(&vm.types.dict) {
            return Ok(vm.dict_get_str(d, name));
        }
    }
    match vm.getitem(l, &Value::Obj(name.clone())) {
        Ok(v) => Ok(Some(v)),
        Err(e) if vm.exception_matches(&e, &vm.exc.key_error) => Ok(None),
        Err(e) => Err(e),
    }
}

pub fn mapping_store(vm: &Vm, l: &Value, name: &PyRef, v: Value) -> PyResult<()> {
    if let Some(d) = exact_dict(l) {
        if d.class().is(&vm.types.dict) {
            vm.dict_set_str(d, name, v);
            return Ok(());
        }
    }
    vm.setitem(l, &Value::Obj(name.clone()), v)
}

/// `del locals[name]`: false when the name was missing.
pub fn mapping_delete(vm: &Vm, l: &Value, name: &PyRef) -> PyResult<bool> {
    if let Some(d) = exact_dict(l) {
        if d.class().is(&vm.types.dict) {
            return Ok(vm.dict_remove(d, &Value::Obj(name.clone()))?.is_some());
        }
    }
    match vm.delitem(l, &Value::Obj(name.clone())) {
        Ok(()) => Ok(true),
        Err(e) if vm.exception_matches(&e, &vm.exc.key_error) => Ok(false),
        Err(e) => Err(e),
    }
}

/// `SetupAnnotations`: `__annotations__ = {}` in the namespace if missing.
pub fn setup_annotations(vm: &Vm, l: &Value) -> PyResult<()> {
    let name = vm.intern("__annotations__");
    if mapping_lookup(vm, l, &name)?.is_none() {
        mapping_store(vm, l, &name, Value::Obj(vm.new_dict()))?;
    }
    Ok(())
}

/// `LoadMethod`'s fast path: the plain function (or builtin method
/// descriptor) found on the type when nothing shadows it, to be called with
/// `obj` as its first argument. None means "use getattr".
pub fn load_method(vm: &Vm, obj: &Value, name: &PyRef) -> PyResult<Option<Value>> {
    if let Value::Obj(o) = obj {
        if matches!(o.payload, Payload::Type(_) | Payload::Module(_)) {
            return Ok(None);
        }
    }
    let typ = vm.class_of(obj);
    let t = match typ.payload.as_type() {
        Some(t) => t,
        None => return Ok(None),
    };
    // Types and modules were excluded above, so a generic `__getattribute__`
    // here is object's own.
    if t.has_flag(type_flags::CUSTOM_GETATTRIBUTE | type_flags::HAS_GETATTR) {
        return Ok(None);
    }
    let descr = match vm.type_lookup(typ, name) {
        Some(d) => d,
        None => return Ok(None),
    };
    let is_method = match descr.payload() {
        Some(Payload::Function(_)) => true,
        Some(Payload::NativeMethod { def, .. }) => def.kind == NativeKind::Method,
        _ => false,
    };
    if !is_method {
        return Ok(None);
    }
    if vm.instance_attr(obj, name).is_some() {
        return Ok(None);
    }
    Ok(Some(descr))
}

/// For `cls(*args)` with `nargs` positional arguments: when `cls` is a plain
/// class (metaclass `type`, object's `__new__`, not abstract, no builtin base)
/// whose `__init__` is a Python function taking exactly `self` and those
/// arguments, the new (uninitialised) instance and that `__init__`.
#[inline]
pub(crate) fn inline_init_target(vm: &Vm, callable: &Value, nargs: usize) -> Option<(Value, Value)> {
    use crate::types::typeobj::Layout;
    let cls = callable.as_obj()?;
    let t = match &cls.payload {
        Payload::Type(t) => t,
        _ => return None,
    };
    if !cls.class().is(&vm.types.type_) || t.layout != Layout::Object || t.has_flag(type_flags::IS_ABSTRACT) {
        return None;
    }
    let init = {
        let slots = t.slots.borrow();
        if !crate::types::object::is_object_native(vm, &slots[Slot::New as usize], "__new__") {
            return None;
        }
        slots[Slot::Init as usize].clone()?
    };
    let Some(Payload::Function(fd)) = init.payload() else { return None };
    let code = crate::eval::frame::pycode(&fd.code);
    if !code.simple_args || code.code.argcount as usize != nargs + 1 {
        return None;
    }
    let obj = crate::types::object::new_plain_instance(vm, cls);
    Some((Value::Obj(obj), init))
}

/// `LOAD_ATTR`: an attribute found in the instance dict of a plain class
/// instance (CPython specialises this as LOAD_ATTR_INSTANCE_VALUE) skips the
/// generic path's detours; everything else goes through `getattr`.
#[inline]
pub(crate) fn load_attr(vm: &Vm, obj: &Value, name: &PyRef) -> PyResult {
    if let Value::Obj(o) = obj {
        if let Payload::Instance(inst) = &o.payload {
            let typ = o.class();
            if let Some(t) = typ.payload.as_type() {
                if !t.has_flag(type_flags::CUSTOM_GETATTRIBUTE | type_flags::HAS_GETATTR) {
                    let descr = vm.type_lookup(typ, name);
                    let data = descr.as_ref().is_some_and(|d| vm.is_overriding_descriptor(d));
                    if !data {
                        match instance_values::get(t, inst, name) {
                            instance_values::Inline::Found(v) => return Ok(v),
                            instance_values::Inline::Absent => {}
                            instance_values::Inline::HasDict => {
                                if let Some(Value::Obj(dict)) = inst.dict.get() {
                                    if let Some(v) = vm.dict_get_str(&dict, name) {
                                        return Ok(v);
                                    }
                                }
                            }
                        }
                        return match descr {
                            Some(d) => vm.descr_get(&d, Some(obj), typ),
                            None => Err(vm.no_attribute(obj, name)),
                        };
                    }
                    if let Some(d) = descr {
                        return vm.descr_get(&d, Some(obj), typ);
                    }
                }
            }
        }
    }
    vm.getattr(obj, name)
}

/// `STORE_ATTR` on a plain class instance whose attribute is not a data
/// descriptor: straight into the instance dict. Everything else (custom
/// `__setattr__`, descriptors, slots, no dict) takes the generic path.
#[inline]
pub(crate) fn store_attr(vm: &Vm, obj: &Value, name: &PyRef, v: Value) -> PyResult<()> {
    if let Value::Obj(o) = obj {
        if let Payload::Instance(inst) = &o.payload {
            let typ = o.class();
            if let Some(t) = typ.payload.as_type() {
                if !t.has_flag(type_flags::CUSTOM_SETATTR) && t.has_flag(type_flags::HAS_DICT) {
                    let descr = vm.type_lookup(typ, name);
                    if !descr.as_ref().is_some_and(|d| vm.is_data_descriptor(d)) {
                        if let Some(Value::Obj(dict)) = inst.dict.get() {
                            vm.dict_set_str(&dict, name, v);
                            return Ok(());
                        }
                        // Inline if the shape allows, else into the dict
                        // made from the inline values.
                        if let Err(v) = instance_values::store(vm, t, inst, name, &std::cell::Cell::new(0), v) {
                            vm.dict_set_str(&instance_values::materialize(vm, t, inst), name, v);
                        }
                        return Ok(());
                    }
                }
            }
        }
    }
    vm.setattr(obj, name, Some(v))
}

/// `seq[i]` for an exact list or tuple and an in-range int; None otherwise.
/// Always inlined: returned out of line, the value comes back through memory
/// in pieces and its reload stalls (nbody lost 10% to that).
#[inline(always)]
pub(crate) fn index_exact_seq(container: &Value, i: i64) -> Option<Value> {
    let o = container.as_obj()?;
    if !o.class().is_immortal() {
        return None; // a subclass may override __getitem__
    }
    let get = |items: &[Value]| {
        let n = items.len() as i64;
        let j = if i < 0 { i + n } else { i };
        if (0..n).contains(&j) {
            Some(items[j as usize].clone())
        } else {
            None
        }
    };
    match &o.payload {
        Payload::List(l) => get(&l.borrow()),
        Payload::Tuple(t) => get(t),
        _ => None,
    }
}

/// `lst[i] = v` for an exact list and an in-range int; hands `v` back
/// otherwise. The old item is dropped after the list is released.
#[inline(always)]
pub(crate) fn store_exact_list(container: &Value, i: i64, v: Value) -> Result<(), Value> {
    let Some(o) = container.as_obj() else { return Err(v) };
    let Payload::List(l) = &o.payload else { return Err(v) };
    if !o.class().is_immortal() {
        return Err(v);
    }
    let old = {
        let Ok(mut items) = l.try_borrow_mut() else { return Err(v) };
        let n = items.len() as i64;
        let j = if i < 0 { i + n } else { i };
        if !(0..n).contains(&j) {
            return Err(v);
        }
        std::mem::replace(&mut items[j as usize], v)
    };
    drop(old);
    Ok(())
}

/// Unary `-`, `+`, `~`.
pub fn unary(vm: &Vm, op: Opcode, v: &Value) -> PyResult {
    match (op, v) {
        (Opcode::UnaryNegative, Value::Int(i)) if *i != i64::MIN => return Ok(Value::Int(-i)),
        (Opcode::UnaryNegative, Value::Float(x)) => return Ok(Value::Float(-x)),
        (Opcode::UnaryNegative, Value::Bool(b)) => return Ok(Value::Int(-(*b as i64))),
        (Opcode::UnaryPositive, Value::Int(_)) | (Opcode::UnaryPositive, Value::Float(_)) => return Ok(v.clone()),
        (Opcode::UnaryPositive, Value::Bool(b)) => return Ok(Value::Int(*b as i64)),
        (Opcode::UnaryInvert, Value::Int(i)) => return Ok(Value::Int(!i)),
        (Opcode::UnaryInvert, Value::Bool(b)) => return Ok(Value::Int(!(*b as i64))),
        _ => {}
    }
    let (slot, sym) = match op {
        Opcode::UnaryNegative => (Slot::Neg, "-"),
        Opcode::UnaryPositive => (Slot::Pos, "+"),
        _ => (Slot::Invert, "~"),
    };
    match vm.call_special(v, slot, &[])? {
        Some(r) => Ok(r),
        None => Err(vm.new_type_error(format!("bad operand type for unary {}: '{}'", sym, vm.type_name_of(v)))),
    }
}

fn is_iterable(vm: &Vm, v: &Value) -> bool {
    vm.special(v, Slot::Iter).is_some() || vm.special(v, Slot::GetItem).is_some()
}

/// `ListExtend`: `[*it]`, with CPython's message for non-iterables.
pub fn list_extend(vm: &Vm, l: &Value, it: &Value) -> PyResult<()> {
    let items = match vm.collect_iter(it) {
        Ok(items) => items,
        Err(e) if vm.exception_matches(&e, &vm.exc.type_error) && !is_iterable(vm, it) => {
            return Err(vm.new_type_error(format!("Value after * must be an iterable, not {}", vm.type_name_of(it))))
        }
        Err(e) => return Err(e),
    };
    match l.payload().and_then(|p| p.as_list()) {
        Some(list) => {
            list.borrow_mut().extend(items);
            Ok(())
        }
        None => Err(vm.new_system_error("LIST_EXTEND on a non-list")),
    }
}

/// The (key, value) pairs of a mapping: a dict directly, else `keys()` and
/// `__getitem__`. None when `src` is not a mapping (no `keys`).
fn mapping_items(vm: &Vm, src: &Value) -> PyResult<Option<Vec<(Value, Value)>>> {
    if let Value::Obj(o) = src {
        // An exact dict (the usual `**kwargs`) needs no `keys` lookup.
        if o.class().is(&vm.types.dict) {
            return Ok(Some(vm.dict_items(o)));
        }
        if o.payload.as_dict().is_some() && vm.type_lookup_str(o.class(), "keys").is_some_and(|k| {
            vm.type_lookup_str(&vm.types.dict, "keys").is_some_and(|dk| dk.is(&k))
        }) {
            return Ok(Some(vm.dict_items(o)));
        }
    }
    let keys = match vm.getattr_opt(src, "keys")? {
        Some(k) => k,
        None => return Ok(None),
    };
    let keys = vm.call(&keys, Args::EMPTY)?;
    let mut out = Vec::new();
    for k in vm.collect_iter(&keys)? {
        let v = vm.getitem(src, &k)?;
        out.push((k, v));
    }
    Ok(Some(out))
}

/// `DictUpdate`: `{**src}`.
pub fn dict_update(vm: &Vm, d: &Value, src: &Value) -> PyResult<()> {
    let items = match mapping_items(vm, src)? {
        Some(i) => i,
        None => return Err(vm.new_type_error(format!("'{}' object is not a mapping", vm.type_name_of(src)))),
    };
    let Some(d) = d.as_obj() else { return Err(vm.new_system_error("DICT_UPDATE on a non-dict")) };
    for (k, v) in items {
        vm.dict_set(d, k, v)?;
    }
    Ok(())
}

/// CPython's `_PyObject_FunctionStr`: `module.qualname()` or `qualname()`.
pub fn function_str(vm: &Vm, func: &Value) -> String {
    let qual = match vm.getattr_opt(func, "__qualname__") {
        Ok(Some(q)) if vm.as_str(&q).is_some() => vm.as_str(&q).unwrap().to_string(),
        _ => return format!("{} object", vm.type_name_of(func)),
    };
    match vm.getattr_opt(func, "__module__") {
        Ok(Some(m)) => match vm.as_str(&m) {
            Some(m) if m != "builtins" => format!("{m}.{qual}()"),
            _ => format!("{qual}()"),
        },
        _ => format!("{qual}()"),
    }
}

/// `DictMerge`: `f(**src)`, rejecting duplicate keywords.
pub fn dict_merge(vm: &Vm, func: &Value, d: &Value, src: &Value) -> PyResult<()> {
    // `f(**kw)` builds an empty dict and merges `kw` into it: copied whole.
    if let (Some(to), Some(from)) = (d.as_obj(), src.as_obj()) {
        let empty = to.payload.as_dict().is_some_and(|t| t.borrow().len() == 0);
        if empty && from.class().is(&vm.types.dict) {
            vm.dict_fill_from(to, from);
            return Ok(());
        }
    }
    let items = match mapping_items(vm, src) {
        Ok(Some(i)) => i,
        Ok(None) => {
            return Err(vm.new_type_error(format!(
                "{} argument after ** must be a mapping, not {}",
                function_str(vm, func),
                vm.type_name_of(src)
            )))
        }
        Err(e) => return Err(e),
    };
    let Some(d) = d.as_obj() else { return Err(vm.new_system_error("DICT_MERGE on a non-dict")) };
    for (k, v) in items {
        if vm.dict_get(d, &k)?.is_some() {
            return Err(match vm.as_str(&k) {
                Some(ks) => vm.new_type_error(format!(
                    "{} got multiple values for keyword argument '{}'",
                    function_str(vm, func),
                    ks
                )),
                None => vm.new_type_error(format!("{} keywords must be strings", function_str(vm, func))),
            });
        }
        vm.dict_set(d, k, v)?;
    }
    Ok(())
}

/// Unpacks `seq` into exactly `before` values, or with `after` = Some(n) into
/// `before` values, a list of the middle, and `n` values. In source order.
pub fn unpack(vm: &Vm, seq: &Value, before: usize, after: Option<usize>) -> PyResult<Vec<Value>> {
    let items = match vm.exact_seq_items(seq) {
        Some(items) => items,
        None => {
            if !is_iterable(vm, seq) {
                return Err(vm.new_type_error(format!("cannot unpack non-iterable {} object", vm.type_name_of(seq))));
            }
            let it = vm.iter(seq)?;
            if after.is_none() {
                // Stop after one more than needed (the iterator may be infinite).
                let mut out = Vec::with_capacity(before);
                while out.len() < before {
                    match vm.next(&it)? {
                        Some(v) => out.push(v),
                        None => {
                            return Err(vm.new_value_error(format!(
                                "not enough values to unpack (expected {}, got {})",
                                before,
                                out.len()
                            )))
                        }
                    }
                }
                if vm.next(&it)?.is_some() {
                    return Err(vm.new_value_error(format!("too many values to unpack (expected {before})")));
                }
                return Ok(out);
            }
            let mut out = Vec::new();
            while let Some(v) = vm.next(&it)? {
                out.push(v);
            }
            out
        }
    };
    match after {
        None => {
            if items.len() == before {
                Ok(items)
            } else if items.len() < before {
                Err(vm.new_value_error(format!(
                    "not enough values to unpack (expected {}, got {})",
                    before,
                    items.len()
                )))
            } else {
                Err(vm.new_value_error(format!("too many values to unpack (expected {before})")))
            }
        }
        Some(after) => {
            if items.len() < before + after {
                return Err(vm.new_value_error(format!(
                    "not enough values to unpack (expected at least {}, got {})",
                    before + after,
                    items.len()
                )));
            }
            let mut items = items;
            let tail = items.split_off(items.len() - after);
            let middle = items.split_off(before);
            items.push(vm.new_list(middle));
            items.extend(tail);
            Ok(items)
        }
    }
}

/// `FormatValue`: conversion (1 str, 2 repr, 3 ascii) then format with spec.
pub fn format_value(vm: &Vm, v: Value, conv: u32, spec: Option<Value>) -> PyResult {
    let v = match conv {
        1 => Value::Obj(vm.str(&v)?),
        2 => Value::Obj(vm.repr(&v)?),
        3 => {
            let r = vm.repr_string(&v)?;
            vm.new_str(ascii_escape(&r))
        }
        _ => v,
    };
    let spec_s = spec.as_ref().and_then(|s| vm.as_str(s)).unwrap_or("");
    Ok(Value::Obj(vm.format_value(&v, spec_s)?))
}

/// `ascii()`'s escaping of a repr.
pub fn ascii_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        let c = ch as u32;
        if c < 0x80 {
            out.push(ch);
        } else if c < 0x100 {
            out.push_str(&format!("\\x{c:02x}"));
        } else if c < 0x10000 {
            out.push_str(&format!("\\u{c:04x}"));
        } else {
            out.push_str(&format!("\\U{c:08x}"));
        }
    }
    out
}

/// `GetYieldFromIter`.
pub fn get_yield_from_iter(vm: &Vm, code: &PyCode, v: Value) -> PyResult {
    if let Some(Payload::Generator(g)) = v.payload() {
        if g.kind == crate::eval::generator::GenKind::Coroutine {
            if code.code.flags & (flags::COROUTINE | flags::ITERABLE_COROUTINE) == 0 {
                return Err(vm.new_type_error("cannot 'yield from' a coroutine object in a non-coroutine generator"));
            }
            return Ok(v);
        }
        if g.kind == crate::eval::generator::GenKind::Generator {
            return Ok(v);
        }
    }
    vm.iter(&v)
}

/// `CallFunctionEx`: `callable(*args, **kwargs)`.
pub fn call_ex(vm: &Vm, callable: &Value, self_: Option<Value>, args: &Value, kwargs: Option<&Value>) -> PyResult {
    let (all, names) = call_ex_args(vm, callable, self_, args, kwargs)?;
    vm.call(callable, Args::with_kw(&all, &names))
}

/// The arguments of `callable(*args, **kwargs)` (after `self_`, if any)
/// flattened: positional then keyword values, and the keywords' names.
pub fn call_ex_args(
    vm: &Vm,
    callable: &Value,
    self_: Option<Value>,
    args: &Value,
    kwargs: Option<&Value>,
) -> PyResult<(Vec<Value>, Vec<Value>)> {
    let mut all: Vec<Value> = Vec::new();
    if let Some(s) = self_ {
        all.push(s);
    }
    match args.payload().and_then(|p| p.as_tuple()) {
        Some(t) => all.extend_from_slice(t),
        None => {
            if !is_iterable(vm, args) {
                return Err(vm.new_type_error(format!(
                    "{} argument after * must be an iterable, not {}",
                    function_str(vm, callable),
                    vm.type_name_of(args)
                )));
            }
            all.extend(vm.collect_iter(args)?);
        }
    }
    let mut names = Vec::new();
    if let Some(kw) = kwargs {
        let items = match kw.as_obj() {
            Some(d) if d.payload.as_dict().is_some() => vm.dict_items(d),
            _ => match mapping_items(vm, kw)? {
                Some(i) => i,
                None => {
                    return Err(vm.new_type_error(format!(
                        "{} argument after ** must be a mapping, not {}",
                        function_str(vm, callable),
                        vm.type_name_of(kw)
                    )))
                }
            },
        };
        for (k, v) in items {
            if vm.as_str(&k).is_none() {
                return Err(vm.new_type_error("keywords must be strings"));
            }
            names.push(k);
            all.push(v);
        }
    }
    Ok((all, names))
}

/// `MakeFunction`.
pub fn make_function(
    vm: &Vm,
    f: &Frame,
    code_obj: Value,
    closure: Option<Value>,
    annotations: Option<Value>,
    kwdefaults: Option<Value>,
    defaults: Option<Value>,
) -> PyResult {
    let code = match &code_obj {
        Value::Obj(o) if o.payload.as_code().is_some() => o.clone(),
        _ => return Err(vm.new_system_error("MAKE_FUNCTION without a code object")),
    };
    let pc = code.payload.as_code().unwrap();
    // Closures are made on every call of their outer function: no interning.
    let module = vm.dict_get_str(&f.globals, vm.known_name(crate::types::typeobj::Name::DunderName));
    let doc = match &pc.code.docstring {
        Some(d) => vm.new_str(d.as_str()),
        None => Value::None,
    };
    let annotations = match annotations {
        Some(a) => match a.payload().and_then(|p| p.as_tuple()) {
            // A flat tuple (name, value, name, value, ...) becomes a dict.
            Some(t) => {
                let d = vm.new_dict();
                for pair in t.chunks(2) {
                    if pair.len() == 2 {
                        vm.dict_set(&d, pair[0].clone(), pair[1].clone())?;
                    }
                }
                Some(Value::Obj(d))
            }
            None => Some(a),
        },
        None => None,
    };
    let fd = FunctionData {
        code: crate::object::SwapRef::new(code.clone()),
        globals: PyRef::clone(&f.globals),
        builtins: PyRef::clone(&f.builtins),
        name: crate::object::ValueCell::new(Some(Value::Obj(pc.name.clone()))),
        qualname: crate::object::ValueCell::new(Some(Value::Obj(pc.qualname.clone()))),
        defaults: crate::object::ValueCell::new(defaults.filter(|d| !d.is_none())),
        kwdefaults: crate::object::ValueCell::new(kwdefaults.filter(|d| !d.is_none())),
        closure: closure.and_then(|c| c.as_obj().cloned()),
        doc: crate::object::ValueCell::new(Some(doc)),
        module: crate::object::ValueCell::new(Some(module.unwrap_or(Value::None))),
        annotations: crate::object::ValueCell::new(annotations),
        dict: crate::object::ValueCell::new(None),
    };
    Ok(Value::Obj(PyRef::new(vm.types.function.clone(), Payload::Function(Box::new(fd)))))
}

/// The value a StopIteration carries (`args[0]` or None).
pub fn stop_iteration_value(vm: &Vm, e: &PyRef) -> Value {
    let _ = vm;
    match e.payload.as_exception().and_then(|d| d.args.get()) {
        Some(args) => args.payload().and_then(|p| p.as_tuple()).and_then(|t| t.first().cloned()).unwrap_or(Value::None),
        None => Value::None,
    }
}

/// One step of `yield from`/`await`: Ok(Ok(yielded)) to pass a value up,
/// Ok(Err(result)) when the subiterator is done.
pub fn send(vm: &Vm, it: &Value, v: Value) -> PyResult<Result<Value, Value>> {
    if let Some(Payload::Generator(_)) = it.payload() {
        return crate::eval::generator::send_raw(vm, it.as_obj().unwrap(), v);
    }
    let r = if v.is_none() {
        match vm.special(it, Slot::Next) {
            Some(f) => vm.call_unbound(&f, it, &[]),
            None => return Err(vm.new_type_error(format!("'{}' object is not an iterator", vm.type_name_of(it)))),
        }
    } else {
        vm.call_method(it, "send", &[v])
    };
    match r {
        Ok(y) => Ok(Ok(y)),
        Err(e) if vm.exception_matches(&e, &vm.exc.stop_iteration) => Ok(Err(stop_iteration_value(vm, &e))),
        Err(e) => Err(e),
    }
}

/// `GetAwaitable`: the iterator `await v` delegates to.
pub fn get_awaitable(vm: &Vm, v: Value, where_: u32) -> PyResult {
    if let Some(Payload::Generator(g)) = v.payload() {
        use crate::eval::generator::GenKind;
        if g.kind == GenKind::Coroutine {
            if crate::eval::generator::is_awaiting(&v) {
                return Err(vm.new_runtime_error("coroutine is being awaited already"));
            }
            return Ok(v);
        }
        if g.kind == GenKind::Generator && g.code.payload.as_code().is_some_and(|c| c.code.flags & flags::ITERABLE_COROUTINE != 0) {
            return Ok(v);
        }
    }
    let bad = |vm: &Vm| -> PyErr {
        match where_ {
            1 => vm.new_type_error(format!(
                "'async with' received an object from __aenter__ that does not implement __await__: {}",
                vm.type_name_of(&v)
            )),
            2 => vm.new_type_error(format!(
                "'async with' received an object from __aexit__ that does not implement __await__: {}",
                vm.type_name_of(&v)
            )),
            _ => vm.new_type_error(format!("object {} can't be used in 'await' expression", vm.type_name_of(&v))),
        }
    };
    let Some(f) = vm.special(&v, Slot::Await) else { return Err(bad(vm)) };
    let r = vm.call_unbound(&f, &v, &[])?;
    if let Some(Payload::Generator(g)) = r.payload() {
        if g.kind == crate::eval::generator::GenKind::Coroutine {
            return Err(vm.new_type_error("__await__() returned a coroutine"));
        }
    }
    if vm.special(&r, Slot::Next).is_none() && !matches!(r.payload(), Some(Payload::Generator(_))) {
        return Err(vm.new_type_error(format!("__await__() returned non-iterator of type '{}'", vm.type_name_of(&r))));
    }
    Ok(r)
}

/// `GetAIter`: `v.__aiter__()`.
pub fn get_aiter(vm: &Vm, v: Value) -> PyResult {
    let Some(f) = vm.special(&v, Slot::AIter) else {
        return Err(vm.new_type_error(format!(
            "'async for' requires an object with __aiter__ method, got {}",
            vm.type_name_of(&v)
        )));
    };
    let r = vm.call_unbound(&f, &v, &[])?;
    if vm.special(&r, Slot::ANext).is_none() {
        return Err(vm.new_type_error(format!(
            "'async for' received an object from __aiter__ that does not implement __anext__: {}",
            vm.type_name_of(&r)
        )));
    }
    Ok(r)
}

/// `GetANext`: the awaitable of `aiter.__anext__()`.
pub fn get_anext(vm: &Vm, aiter: &Value) -> PyResult {
    let Some(f) = vm.special(aiter, Slot::ANext) else {
        return Err(vm.new_type_error(format!(
            "'async for' requires an iterator with __anext__ method, got {}",
            vm.type_name_of(aiter)
        )));
    };
    let r = vm.call_unbound(&f, aiter, &[])?;
    get_awaitable(vm, r.clone(), 0).map_err(|e| {
        let msg = format!("'async for' received an invalid object from __anext__: {}", vm.type_name_of(&r));
        crate::eval::unwind::with_cause(vm.new_type_error(msg), e)
    })
}

/// `ImportName`: see `import.rs`.
pub fn import_name(vm: &Vm, name: &PyRef, globals: &PyRef, fromlist: Value, level: i64) -> PyResult {
    vm.import_name(name, globals, fromlist, level)
}

/// `ImportFrom`: see `import.rs`.
pub fn import_from(vm: &Vm, module: &Value, name: &PyRef) -> PyResult {
    vm.import_from(module, name)
}

/// `from module import *` into `locals`.
pub fn import_star(vm: &Vm, module: &Value, locals: &Value) -> PyResult<()> {
    let (names, from_all) = match vm.getattr_opt(module, "__all__")? {
        Some(all) => (vm.collect_iter(&all)?, true),
        None => {
            let d = match vm.getattr_opt(module, "__dict__")? {
                Some(d) => d,
                None => return Err(vm.new_import_error("from-import-* object has no __dict__ and no __all__")),
            };
            let keys = vm.call_method(&d, "keys", &[])?;
            (vm.collect_iter(&keys)?, false)
        }
    };
    for n in names {
        let Some(ns) = vm.as_str(&n) else {
            let modname = vm
                .getattr_opt(module, "__name__")?
                .and_then(|m| vm.as_str(&m).map(String::from))
                .unwrap_or_default();
            return Err(vm.new_type_error(if from_all {
                format!("Item in {}.__all__ must be str, not {}", modname, vm.type_name_of(&n))
            } else {
                format!("Key in {}.__dict__ must be str, not {}", modname, vm.type_name_of(&n))
            }));
        };
        if !from_all && ns.starts_with('_') {
            continue;
        }
        let name = vm.intern(ns);
        let v = vm.getattr(module, &name)?;
        mapping_store(vm, locals, &name, v)?;
    }
    Ok(())
}

/// `WithExceptStart`: `exit(type(exc), exc, exc.__traceback__)`.
pub fn with_except_start(vm: &Vm, exit: &Value, exc: &Value) -> PyResult {
    let typ = Value::Obj(vm.type_of(exc));
    let tb = exc
        .payload()
        .and_then(|p| p.as_exception())
        .and_then(|d| d.traceback.get())
        .unwrap_or(Value::None);
    vm.call(exit, Args::new(&[typ, exc.clone(), tb]))
}

fn enter_exit(vm: &Vm, cm: &Value, enter: Slot, exit: Slot, proto: &str) -> PyResult<(Value, Value)> {
    let Some(enter_f) = vm.special(cm, enter) else {
        return Err(vm.new_type_error(format!(
            "'{}' object does not support the {} protocol",
            vm.type_name_of(cm),
            proto
        )));
    };
    let Some(exit_f) = vm.special(cm, exit) else {
        return Err(vm.new_type_error(format!(
            "'{}' object does not support the {} protocol (missed {} method)",
            vm.type_name_of(cm),
            proto,
            exit.dunder()
        )));
    };
    let typ = vm.type_of(cm);
    let bound_exit = vm.descr_get(&exit_f, Some(cm), &typ)?;
    let res = vm.call_unbound(&enter_f, cm, &[])?;
    Ok((bound_exit, res))
}

/// `BeforeWith`: `(bound __exit__, cm.__enter__())`.
pub fn before_with(vm: &Vm, cm: &Value) -> PyResult<(Value, Value)> {
    enter_exit(vm, cm, Slot::Enter, Slot::Exit, "context manager")
}

/// `BeforeAsyncWith`: `(bound __aexit__, cm.__aenter__())`.
pub fn before_async_with(vm: &Vm, cm: &Value) -> PyResult<(Value, Value)> {
    enter_exit(vm, cm, Slot::AEnter, Slot::AExit, "asynchronous context manager")
}

/// `PrintExpr`: `sys.displayhook(v)`.
pub fn print_expr(vm: &Vm, v: Value) -> PyResult<()> {
    match vm.getattr_opt(&Value::Obj(vm.sys.clone()), "displayhook")? {
        Some(hook) => {
            vm.call(&hook, Args::new(&[v]))?;
            Ok(())
        }
        None => Err(vm.new_runtime_error("lost sys.displayhook")),
    }
}

/// Is this value a NULL stack marker? (For introspection code outside the loop.)
pub fn is_unset(v: &Value) -> bool {
    is_null_slow(v)
}

/// `LOAD_GLOBAL` through the code's per-name cache: while neither namespace
/// has gained or lost a key since the cache was filled, the cached entry
/// index still holds the name, so no hashing or probing is needed.
#[inline(always)]
pub(crate) fn load_global_cached(vm: &Vm, code: &PyCode, i: usize, globals: &PyRef, builtins: &PyRef) -> Option<Value> {
    use crate::types::code::GlobalCache;
    let cache = code.global_cache.get(i)?;
    // The hit path reads the keys versions and the entry of each table
    // inline, without taking a counted borrow: a global lookup is one of the
    // commonest things the loop does (every call of a module-level function).
    if let Some(g) = globals.payload.as_dict() {
        // SAFETY: the table is not mutably borrowed (checked here), and
        // nothing between this read and the return can borrow it mutably:
        // only the version is compared and one value's reference count is
        // raised, which runs no Python code and touches no dict.
        let Ok(g) = (unsafe { g.try_borrow_unguarded() }) else {
            return load_global_fill(vm, code, i, globals, builtins);
        };
        if cache.globals_version.get() == g.version {
            let ix = cache.index.get();
            if ix & GlobalCache::IN_BUILTINS == 0 {
                return g.entry(ix as usize).map(|e| e.value.clone());
            }
            if let Some(b) = builtins.payload.as_dict() {
                // SAFETY: as for the globals above.
                let Ok(b) = (unsafe { b.try_borrow_unguarded() }) else {
                    return load_global_fill(vm, code, i, globals, builtins);
                };
                if cache.builtins_version.get() == b.version {
                    return b.entry((ix & !GlobalCache::IN_BUILTINS) as usize).map(|e| e.value.clone());
                }
            }
        }
    }
    load_global_fill(vm, code, i, globals, builtins)
}

#[cold]
#[inline(never)]
fn load_global_fill(vm: &Vm, code: &PyCode, i: usize, globals: &PyRef, builtins: &PyRef) -> Option<Value> {
    use crate::types::code::GlobalCache;
    let gv = vm.dict_keys_version(globals);
    let bv = vm.dict_keys_version(builtins);
    let name = code.names.get(i)?;
    let cache = &code.global_cache[i];
    let (raw, in_builtins, value) = match vm.dict_index_str(globals, name) {
        Some(ix) => (ix, 0, vm.dict_value_at(globals, ix)),
        None => {
            let ix = vm.dict_index_str(builtins, name)?;
            (ix, GlobalCache::IN_BUILTINS, vm.dict_value_at(builtins, ix))
        }
    };
    let ix = raw as u32 | in_builtins;
    // A lookup that ran `__eq__` on a str-subclass key may have changed the
    // dicts: only cache what is still current (and indices that fit).
    if raw < GlobalCache::IN_BUILTINS as usize
        && vm.dict_keys_version(globals) == gv
        && vm.dict_keys_version(builtins) == bv
    {
        cache.globals_version.set(gv);
        cache.builtins_version.set(bv);
        cache.index.set(ix);
    }
    value
}
