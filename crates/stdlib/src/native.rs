//! Helpers shared by the native modules that define their own types
//! (itertools, _collections, _functools, _thread): creating the types once
//! per interpreter, wrapping Rust state as objects, getting it back, and
//! the argument checks whose CPython wording several modules share.

use krait_vm::gc::{NativeData, Visitor};
use krait_vm::payload::{GetSetDef, Payload};
use krait_vm::types::iter::{iter_next, IterState, NativeIter};
use krait_vm::types::seq_util::{new_cls, new_with_base};
use krait_vm::types::typeobj::Layout;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// How to build one native type.
pub struct TypeSpec {
    pub module: &'static str,
    pub name: &'static str,
    pub doc: &'static str,
    /// Instance layout and flags (`type_flags`), base type (None: object).
    pub layout: Layout,
    pub flags: u32,
    pub base: Option<fn(&Vm) -> PyRef>,
    pub slots: &'static [&'static str],
    pub methods: &'static [NativeDef],
    /// More methods (lets a shared list such as `ITER_METHODS` be combined).
    pub more_methods: &'static [NativeDef],
    pub getsets: &'static [GetSetDef],
}

/// Hashes a spec's address (unique already) cheaply: `native_type` runs
/// for every object a native type makes, where SipHash showed in profiles.
#[derive(Default)]
struct AddrHasher(u64);

impl std::hash::Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ *b as u64;
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// The native types made so far in one interpreter (`vm.state`), by the
/// address of their spec. They are immortal, so the cache never holds a
/// dangling reference.
#[derive(Default)]
struct NativeTypes {
    types: RefCell<HashMap<usize, PyRef, std::hash::BuildHasherDefault<AddrHasher>>>,
}

/// The type `spec` describes, created on first use in this interpreter.
pub fn native_type(vm: &Vm, spec: &'static TypeSpec) -> PyRef {
    let key = spec as *const TypeSpec as usize;
    let state = vm.state::<NativeTypes>();
    if let Some(t) = state.types.borrow().get(&key) {
        return t.clone();
    }
    let base = spec.base.map(|f| f(vm));
    let t = vm.new_native_type(spec.module, spec.name, base.as_ref(), spec.layout, spec.flags, spec.slots);
    krait_vm::types::add_methods(vm, &t, spec.methods);
    krait_vm::types::add_methods(vm, &t, spec.more_methods);
    krait_vm::types::add_getsets(vm, &t, spec.getsets);
    if !spec.doc.is_empty() {
        krait_vm::types::add_attr(vm, &t, "__doc__", vm.new_str(spec.doc));
    }
    vm.refresh_slots(&t);
    state.types.borrow_mut().insert(key, t.clone());
    t
}

/// An object of the native type `builtin` (or its subclass `cls`) holding
/// `state`, whose `NativeData` hooks tell the cycle collector about the
/// Python references it holds.
pub fn new_object<T: NativeData>(vm: &Vm, cls: &PyRef, builtin: &PyRef, state: T) -> Value {
    new_with_base(vm, cls, builtin, Payload::Native(Box::new(state)))
}

/// An iterator object of the native type `builtin` (or subclass `cls`).
pub fn new_iter<T: NativeIter>(vm: &Vm, cls: &PyRef, builtin: &PyRef, state: T) -> Value {
    let st = IterState::Native(Rc::new(state));
    new_with_base(vm, cls, builtin, Payload::Iter(Box::new(RefCell::new(st))))
}

/// Checks the class argument of a `__new__` and returns it with the other arguments.
pub fn split_new<'a>(vm: &Vm, args: Args<'a>, builtin: &PyRef) -> PyResult<(PyRef, Args<'a>)> {
    let cls = new_cls(vm, args.args, builtin)?.clone();
    Ok((cls, Args { args: &args.args[1..], kwnames: args.kwnames }))
}

/// The Rust state of a native iterator, if `v` is one of type `T`.
pub fn iter_state<T: NativeIter>(v: &Value) -> Option<Rc<dyn NativeIter>> {
    let rc = match v.payload().map(|p| p.base()) {
        Some(Payload::Iter(c)) => match &*c.borrow() {
            IterState::Native(n) => n.clone(),
            _ => return None,
        },
        _ => return None,
    };
    let any: &dyn Any = &*rc;
    if any.is::<T>() {
        Some(rc)
    } else {
        None
    }
}

/// Downcasts what `iter_state` returned.
pub fn downcast<T: 'static>(rc: &Rc<dyn NativeIter>) -> &T {
    let any: &dyn Any = &**rc;
    any.downcast_ref::<T>().expect("checked by iter_state")
}

/// Visits the values of a `RefCell`-held state through `f`, or nothing when
/// the state is borrowed mutably right now (visiting fewer is safe).
pub fn visit_refcell<T>(cell: &RefCell<T>, visitor: &mut dyn Visitor, f: impl FnOnce(&T, &mut dyn Visitor)) {
    if let Ok(st) = cell.try_borrow() {
        f(&st, visitor);
    }
}

/// Takes a `RefCell`-held state out (leaving its default) and drops the old
/// one only after the borrow is released: dropping may run `__del__`, which
/// may look at the object again. Nothing happens when the state is borrowed.
pub fn take_refcell<T: Default>(cell: &RefCell<T>) {
    let old = match cell.try_borrow_mut() {
        Ok(mut st) => std::mem::take(&mut *st),
        Err(_) => return,
    };
    drop(old);
}

/// A method called on the wrong kind of object, in CPython's words: slot
/// wrappers (dunders) say "requires a 'mod.T' object but received a 'int'",
/// other methods "for 'mod.T' objects doesn't apply to a 'int' object".
pub fn descr_error(vm: &Vm, name: &str, owner: &str, got: &Value) -> krait_vm::PyErr {
    let got = vm.type_name_of(got);
    if name.starts_with("__") {
        vm.new_type_error(format!("descriptor '{name}' requires a '{owner}' object but received a '{got}'"))
    } else {
        vm.new_type_error(format!("descriptor '{name}' for '{owner}' objects doesn't apply to a '{got}' object"))
    }
}

/// `name() takes no keyword arguments` unless there are none.
pub fn no_kwargs(vm: &Vm, name: &str, args: &Args) -> PyResult<()> {
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("{name}() takes no keyword arguments")));
    }
    Ok(())
}

/// Positional-only arguments checked the way CPython's `PyArg_UnpackTuple`
/// words it: "name expected 2 arguments, got 1", "expected at least ...".
pub fn unpack<'a>(vm: &Vm, name: &str, args: &Args<'a>, min: usize, max: usize) -> PyResult<&'a [Value]> {
    no_kwargs(vm, name, args)?;
    let n = args.args.len();
    let plural = |k: usize| if k == 1 { "" } else { "s" };
    if min == max && n != min {
        return Err(vm.new_type_error(format!("{name} expected {min} argument{}, got {n}", plural(min))));
    }
    if n < min {
        return Err(vm.new_type_error(format!("{name} expected at least {min} argument{}, got {n}", plural(min))));
    }
    if n > max {
        return Err(vm.new_type_error(format!("{name} expected at most {max} argument{}, got {n}", plural(max))));
    }
    Ok(args.args)
}

/// Argument-clinic style binding that first checks the total count
/// ("f() takes at most 2 arguments (3 given)") as CPython does.
pub fn bind(vm: &Vm, name: &str, args: Args, names: &[&str], required: usize) -> PyResult<Vec<Option<Value>>> {
    let total = args.args.len();
    if total > names.len() {
        let n = names.len();
        return Err(vm.new_type_error(format!(
            "{name}() takes at most {n} argument{} ({total} given)",
            if n == 1 { "" } else { "s" }
        )));
    }
    vm.bind_native(name, args, names, 0, required, None)
}

fn it_iter(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__iter__", args, 1, 1)?;
    Ok(args.args[0].clone())
}

fn it_next(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__next__", args, 1, 1)?;
    let it = &args.args[0];
    if !matches!(it.payload().map(|p| p.base()), Some(Payload::Iter(_))) {
        return Err(vm.new_type_error(format!(
            "descriptor '__next__' requires an iterator but received a '{}'",
            vm.type_name_of(it)
        )));
    }
    match iter_next(vm, it)? {
        Some(v) => Ok(v),
        None => Err(vm.new_stop_iteration(None)),
    }
}

/// `__iter__` (returns self) and `__next__` for native iterator types.
pub static ITER_METHODS: [NativeDef; 2] = [NativeDef::method("__iter__", it_iter), NativeDef::method("__next__", it_next)];

/// `__class_getitem__` making `types.GenericAlias`.
pub fn class_getitem(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__class_getitem__", args, 2, 2)?;
    vm.generic_alias(&args.args[0], &args.args[1])
}

/// A module object with the given functions and attributes.
pub fn make_module(vm: &Vm, name: &str, doc: &str, funcs: &'static [NativeDef], attrs: Vec<(&str, Value)>) -> PyRef {
    let dict = vm.new_dict();
    vm.dict_set_str(&dict, &vm.intern("__name__"), vm.new_str(name));
    vm.dict_set_str(&dict, &vm.intern("__doc__"), if doc.is_empty() { Value::None } else { vm.new_str(doc) });
    for def in funcs {
        vm.dict_set_str(&dict, &vm.intern(def.name), vm.new_native_function(def, None));
    }
    for (k, v) in attrs {
        vm.dict_set_str(&dict, &vm.intern(k), v);
    }
    PyRef::new(vm.types.module.clone(), Payload::Module(Box::new(krait_vm::payload::ModuleData { dict })))
}

/// `PyNumber_AsSsize_t(v, OverflowError)`: `__index__`, then the C range.
pub fn ssize(vm: &Vm, v: &Value) -> PyResult<i64> {
    match vm.index(v)? {
        Value::Int(i) => Ok(i),
        Value::Bool(b) => Ok(b as i64),
        _ => Err(vm.new_overflow_error("Python int too large to convert to C ssize_t")),
    }
}

/// `PyLong_AsLong` of an argument: `__index__` (floats refused), then the
/// C long range.
pub fn c_long(vm: &Vm, v: &Value) -> PyResult<i64> {
    match vm.index(v)? {
        Value::Int(i) => Ok(i),
        Value::Bool(b) => Ok(b as i64),
        _ => Err(vm.new_overflow_error("Python int too large to convert to C long")),
    }
}

/// A C int as `PyArg_Parse`'s "i" reads it (`__index__`, floats refused).
pub fn c_int(vm: &Vm, v: &Value) -> PyResult<i32> {
    if let Value::Int(i) = v {
        return i32::try_from(*i).map_err(|_| {
            vm.new_overflow_error(if *i > 0 {
                "signed integer is greater than maximum"
            } else {
                "signed integer is less than minimum"
            })
        });
    }
    if matches!(v, Value::Float(_)) {
        return Err(vm.new_type_error("'float' object cannot be interpreted as an integer"));
    }
    let i = vm.index(v)?;
    let big = vm.as_ibig(&i).unwrap_or_default();
    if big > dashu_int::IBig::from(i32::MAX) {
        return Err(vm.new_overflow_error("signed integer is greater than maximum"));
    }
    if big < dashu_int::IBig::from(i32::MIN) {
        return Err(vm.new_overflow_error("signed integer is less than minimum"));
    }
    Ok(i32::try_from(&big).unwrap_or(0))
}

/// CPython's `_PyType_Name`: the type's name after its last dot, as reprs
/// such as `count(5)` and `deque([])` print it.
pub fn short_type_name(vm: &Vm, v: &Value) -> String {
    let n = vm.type_name_of(v);
    match n.rsplit_once('.') {
        Some((_, s)) => s.to_string(),
        None => n,
    }
}

/// An object of a native type whose instances have a `__dict__` (partial,
/// _thread._local): always an `Instance` around the native state, so the
/// attribute machinery finds the dict. `cls` must have `HAS_DICT`.
pub fn new_object_with_dict<T: NativeData>(cls: &PyRef, state: T) -> Value {
    Value::Obj(PyRef::new_instance(cls.clone(), Some(Box::new(Payload::Native(Box::new(state))))))
}

/// `__dict__` of such objects: created on first access.
pub fn dict_get(vm: &Vm, v: &Value) -> PyResult {
    match vm.instance_dict(v, true) {
        Some(d) => Ok(Value::Obj(d)),
        None => Err(vm.new_attribute_error("This object has no __dict__")),
    }
}

/// Setting `__dict__`: only a dict will do.
pub fn dict_set(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let value = match value {
        Some(d) if d.payload().and_then(|p| p.as_dict()).is_some() => d,
        Some(d) => {
            return Err(vm.new_type_error(format!("__dict__ must be set to a dictionary, not a '{}'", vm.type_name_of(&d))))
        }
        None => return Err(vm.new_type_error("cannot delete __dict__")),
    };
    if let Some(i) = v.payload().and_then(|p| p.as_instance()) {
        i.dict.set(Some(value));
    }
    Ok(())
}

/// CPython's `PyNumber_Check`: int, float, complex or anything with
/// `__index__`/`__int__`/`__float__`.
pub fn is_number(vm: &Vm, v: &Value) -> bool {
    use krait_vm::types::typeobj::Slot;
    matches!(v, Value::Int(_) | Value::Float(_) | Value::Bool(_))
        || vm.is_subtype(vm.class_of(v), &vm.types.complex)
        || vm.special(v, Slot::Index).is_some()
        || vm.special(v, Slot::Int).is_some()
        || vm.special(v, Slot::Float).is_some()
}
