//! `_thread._local`: an object whose attributes are per thread. Each thread
//! that touches it gets its own dict; attribute access first installs the
//! calling thread's dict as the object's `__dict__` (all threads run under
//! the GIL, so the swap and the lookup that follows are not interleaved with
//! another thread's access), then does the generic lookup. A thread seeing
//! the object for the first time gets an empty dict and, when the class
//! defines `__init__`, a call of it with the constructor's arguments. A
//! thread's dicts go when it ends (`thread_ended`).

use crate::native::{native_type, new_object_with_dict, TypeSpec};
use krait_vm::gc::{NativeData, Visitor};
use krait_vm::payload::GetSetDef;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::RefCell;
use std::collections::HashMap;

pub struct Local {
    /// Each thread's attribute dict, by `gil::thread_serial` (never reused,
    /// unlike thread idents).
    dicts: RefCell<HashMap<u64, PyRef>>,
    /// The constructor's positional and keyword arguments, for `__init__`
    /// in the other threads.
    init_args: RefCell<Option<(Vec<Value>, Vec<(Value, Value)>)>>,
}

impl NativeData for Local {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        for d in self.dicts.borrow().values() {
            visitor.visit(d);
        }
        if let Some((pos, kw)) = &*self.init_args.borrow() {
            for v in pos {
                visitor.visit_value(v);
            }
            for (k, v) in kw {
                visitor.visit_value(k);
                visitor.visit_value(v);
            }
        }
    }
    fn clear(&self) {
        let dicts = std::mem::take(&mut *self.dicts.borrow_mut());
        let args = self.init_args.borrow_mut().take();
        drop((dicts, args));
    }
}

/// Weak references to the locals each thread (by `gil::thread_serial`) has
/// a dict in, dropped when the thread ends.
#[derive(Default)]
struct Touched(RefCell<HashMap<u64, Vec<Value>>>);

fn local_state(v: &Value) -> Option<&Local> {
    v.payload().and_then(|p| p.as_native::<Local>())
}

/// `_local(*args, **kwargs)`.
fn local_new(vm: &Vm, args: Args) -> PyResult {
    let t = native_type(vm, &LOCAL);
    let (cls, rest) = crate::native::split_new(vm, args, &t)?;
    let has_args = !rest.args.is_empty();
    if has_args && !defines_init(vm, &cls) {
        return Err(vm.new_type_error("Initialization arguments are not supported"));
    }
    let npos = rest.args.len() - rest.kwnames.len();
    let kw: Vec<(Value, Value)> = rest.kwnames.iter().cloned().zip(rest.args[npos..].iter().cloned()).collect();
    let state = Local { dicts: RefCell::new(HashMap::new()), init_args: RefCell::new(Some((rest.args[..npos].to_vec(), kw))) };
    let obj = new_object_with_dict(&cls, state);
    // The creating thread's dict is the one the object starts with; its
    // `__init__` runs from the type call as for any object.
    install_dict(vm, &obj, true)?;
    Ok(obj)
}

/// Whether `cls` has an `__init__` other than object's.
fn defines_init(vm: &Vm, cls: &PyRef) -> bool {
    let init = vm.type_lookup_str(cls, "__init__");
    let base_init = vm.type_lookup_str(&vm.types.object, "__init__");
    !matches!((&init, &base_init), (Some(a), Some(b)) if a.is(b))
}

/// Makes the calling thread's dict the object's `__dict__`, creating it
/// (and running `__init__` for a thread other than the creator) if needed.
fn install_dict(vm: &Vm, obj: &Value, creating: bool) -> PyResult<()> {
    let Some(local) = local_state(obj) else { return Ok(()) };
    let me = krait_vm::gil::thread_serial();
    let existing = local.dicts.borrow().get(&me).cloned();
    let fresh = existing.is_none();
    let dict = match existing {
        Some(d) => d,
        None => {
            let d = vm.new_dict();
            local.dicts.borrow_mut().insert(me, d.clone());
            let weak = krait_vm::types::weakref::new_ref(vm, &vm.types.weakref, obj, None)?;
            vm.state::<Touched>().0.borrow_mut().entry(me).or_default().push(weak);
            d
        }
    };
    // Attributes kept inline move into a dict first, so the dict is what
    // every later access uses.
    vm.instance_dict(obj, true);
    crate::native::dict_set(vm, obj, Some(Value::Obj(dict)))?;
    if fresh && !creating {
        let cls = obj.as_obj().expect("a local is an object").class().clone();
        if defines_init(vm, &cls) {
            let (pos, kw) = local.init_args.borrow().clone().unwrap_or_default();
            let kwargs = Value::Obj(vm.new_dict());
            for (k, v) in kw {
                vm.setitem(&kwargs, &k, v)?;
            }
            let init = vm.getattr_str(obj, "__init__")?;
            krait_vm::eval::ops::call_ex(vm, &init, None, &vm.new_tuple(pos), Some(&kwargs))?;
        }
    }
    Ok(())
}

/// The object and the attribute name of an attribute method's arguments.
fn target<'a>(vm: &Vm, args: &Args<'a>, name: &str, n: usize) -> PyResult<(&'a Value, PyRef)> {
    let a = crate::native::unpack(vm, name, args, n, n)?;
    let attr = match &a[1] {
        Value::Obj(o) if o.payload.as_str().is_some() => o.clone(),
        v => return Err(vm.new_type_error(format!("attribute name must be string, not '{}'", vm.type_name_of(v)))),
    };
    install_dict(vm, &a[0], false)?;
    Ok((&a[0], attr))
}

fn local_getattribute(vm: &Vm, args: Args) -> PyResult {
    let (obj, name) = target(vm, &args, "__getattribute__", 2)?;
    vm.generic_getattr(obj, &name)
}

fn local_setattr(vm: &Vm, args: Args) -> PyResult {
    let (obj, name) = target(vm, &args, "__setattr__", 3)?;
    vm.generic_setattr(obj, &name, Some(args.args[2].clone()))?;
    Ok(Value::None)
}

fn local_delattr(vm: &Vm, args: Args) -> PyResult {
    let (obj, name) = target(vm, &args, "__delattr__", 2)?;
    vm.generic_setattr(obj, &name, None)?;
    Ok(Value::None)
}

/// The calling thread is ending: its dicts in every local it touched go.
pub fn thread_ended(vm: &Vm) {
    let me = krait_vm::gil::thread_serial();
    let touched = vm.state::<Touched>().0.borrow_mut().remove(&me).unwrap_or_default();
    for weak in touched {
        if let Some(obj) = krait_vm::types::weakref::referent(&weak).filter(|o| !o.is_none()) {
            let gone = local_state(&obj).and_then(|l| l.dicts.borrow_mut().remove(&me));
            drop(gone);
        }
    }
}

static LOCAL_METHODS: [NativeDef; 4] = [
    NativeDef::staticmethod("__new__", local_new),
    NativeDef::method("__getattribute__", local_getattribute),
    NativeDef::method("__setattr__", local_setattr),
    NativeDef::method("__delattr__", local_delattr),
];
static LOCAL_GETSETS: [GetSetDef; 1] =
    [GetSetDef { name: "__dict__", get: local_dict_get, set: Some(crate::native::dict_set), doc: "" }];

fn local_dict_get(vm: &Vm, v: &Value) -> PyResult {
    install_dict(vm, v, false)?;
    crate::native::dict_get(vm, v)
}

pub static LOCAL: TypeSpec = super::spec(
    "_local",
    "Thread-local data",
    krait_vm::types::typeobj::type_flags::BASETYPE | krait_vm::types::typeobj::type_flags::HAS_DICT | super::W,
    &LOCAL_METHODS,
    &LOCAL_GETSETS,
);

/// The `_local` type.
pub fn local_type(vm: &Vm) -> PyRef {
    native_type(vm, &LOCAL)
}
