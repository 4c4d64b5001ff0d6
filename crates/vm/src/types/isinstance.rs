//! `isinstance` and `issubclass` as CPython computes them: exact-type fast
//! paths, tuples (nested, any match), `__instancecheck__`/`__subclasscheck__`
//! on the metaclass (so ABCs work), the `__class__` fallback, and classes
//! that are not types but have a `__bases__` tuple.

use crate::object::PyRef;
use crate::types::object::as_type_ref;
use crate::types::typeobj::Slot;
use crate::value::Value;
use crate::{PyResult, Vm};

const ISINSTANCE_ARG2: &str = "isinstance() arg 2 must be a type, a tuple of types, or a union";
const ISSUBCLASS_ARG1: &str = "issubclass() arg 1 must be a class";
const ISSUBCLASS_ARG2: &str = "issubclass() arg 2 must be a class, a tuple of classes, or a union";

fn tuple_items(v: &Value) -> Option<Vec<Value>> {
    v.payload().and_then(|p| p.as_tuple()).map(|t| t.to_vec())
}

fn check_depth(vm: &Vm, depth: u32, what: &str) -> PyResult<()> {
    if depth > vm.recursion_limit.get() {
        return Err(vm.new_recursion_error(format!("maximum recursion depth exceeded in {what}")));
    }
    Ok(())
}

/// Calls a metaclass's `__instancecheck__`/`__subclasscheck__` unless it is
/// `type`'s own (then `None`: the caller does the real check directly).
fn user_check(vm: &Vm, cls: &Value, slot: Slot, arg: &Value) -> PyResult<Option<bool>> {
    let f = match vm.special(cls, slot) {
        Some(f) => f,
        None => return Ok(None),
    };
    if let Some(crate::payload::Payload::NativeMethod { owner, .. }) = f.payload() {
        if owner.is(&vm.types.type_) {
            return Ok(None);
        }
    }
    let r = vm.call_unbound(&f, cls, &[arg.clone()])?;
    Ok(Some(vm.truthy(&r)?))
}

/// `__bases__` of an object that acts as a class, if it is a tuple.
fn abstract_bases(vm: &Vm, cls: &Value) -> PyResult<Option<Vec<Value>>> {
    Ok(vm.getattr_opt(cls, "__bases__")?.and_then(|b| tuple_items(&b)))
}

/// Is `derived` a subclass of `cls` through `__bases__` (for non-type classes)?
fn abstract_issubclass(vm: &Vm, derived: &Value, cls: &Value, depth: u32) -> PyResult<bool> {
    let mut cur = derived.clone();
    let mut depth = depth;
    loop {
        if cur.is(cls) {
            return Ok(true);
        }
        check_depth(vm, depth, "__subclasscheck__")?;
        let bases = match abstract_bases(vm, &cur)? {
            Some(b) => b,
            None => return Ok(false),
        };
        match bases.len() {
            0 => return Ok(false),
            1 => {
                // Single inheritance: iterate instead of recursing.
                cur = bases[0].clone();
                depth += 1;
            }
            _ => {
                for b in &bases {
                    if abstract_issubclass(vm, b, cls, depth + 1)? {
                        return Ok(true);
                    }
                }
                return Ok(false);
            }
        }
    }
}

/// `type.__instancecheck__`: the check without calling any hook on `cls`.
pub fn real_isinstance(vm: &Vm, obj: &Value, cls: &Value) -> PyResult<bool> {
    if let Some(c) = as_type_ref(cls) {
        if vm.is_subtype(vm.class_of(obj), c) {
            return Ok(true);
        }
        // `__class__` may lie (proxies, mocks).
        let icls = match vm.getattr(obj, vm.known_name(crate::types::typeobj::Name::Class)) {
            Ok(v) => Some(v),
            Err(e) if vm.exception_matches(&e, &vm.exc.attribute_error) => None,
            Err(e) => return Err(e),
        };
        if let Some(Value::Obj(ic)) = icls {
            if ic.payload.as_type().is_some() && !ic.is(vm.class_of(obj)) {
                return Ok(vm.is_subtype(&ic, c));
            }
        }
        return Ok(false);
    }
    if abstract_bases(vm, cls)?.is_none() {
        return Err(vm.new_type_error(ISINSTANCE_ARG2));
    }
    match vm.getattr_opt(obj, "__class__")? {
        Some(icls) => abstract_issubclass(vm, &icls, cls, 0),
        None => Ok(false),
    }
}

/// `type.__subclasscheck__`: the check without calling any hook on `cls`.
pub fn real_issubclass(vm: &Vm, derived: &Value, cls: &Value) -> PyResult<bool> {
    if let (Some(d), Some(c)) = (as_type_ref(derived), as_type_ref(cls)) {
        return Ok(vm.is_subtype(d, c));
    }
    if as_type_ref(derived).is_none() && abstract_bases(vm, derived)?.is_none() {
        return Err(vm.new_type_error(ISSUBCLASS_ARG1));
    }
    if as_type_ref(cls).is_none() && abstract_bases(vm, cls)?.is_none() {
        return Err(vm.new_type_error(ISSUBCLASS_ARG2));
    }
    abstract_issubclass(vm, derived, cls, 0)
}

fn isinstance_depth(vm: &Vm, obj: &Value, cls: &Value, depth: u32) -> PyResult<bool> {
    // Exact type: no hook can say otherwise.
    if let Some(c) = as_type_ref(cls) {
        if vm.class_of(obj).is(c) {
            return Ok(true);
        }
        if c.class().is(&vm.types.type_) {
            return real_isinstance(vm, obj, cls);
        }
    }
    if let Some(items) = tuple_items(cls) {
        check_depth(vm, depth, "__instancecheck__")?;
        for it in &items {
            if isinstance_depth(vm, obj, it, depth + 1)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    match user_check(vm, cls, Slot::InstanceCheck, obj)? {
        Some(r) => Ok(r),
        None => real_isinstance(vm, obj, cls),
    }
}

fn issubclass_depth(vm: &Vm, derived: &Value, cls: &Value, depth: u32) -> PyResult<bool> {
    if let (Some(d), Some(c)) = (as_type_ref(derived), as_type_ref(cls)) {
        if c.class().is(&vm.types.type_) {
            return Ok(vm.is_subtype(d, c));
        }
    }
    if let Some(items) = tuple_items(cls) {
        check_depth(vm, depth, "__subclasscheck__")?;
        for it in &items {
            if issubclass_depth(vm, derived, it, depth + 1)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    match user_check(vm, cls, Slot::SubclassCheck, derived)? {
        Some(r) => Ok(r),
        None => real_issubclass(vm, derived, cls),
    }
}

impl Vm {
    /// `isinstance(obj, cls)`.
    pub fn isinstance(&self, obj: &Value, cls: &Value) -> PyResult<bool> {
        isinstance_depth(self, obj, cls, 0)
    }

    /// `issubclass(sub, cls)`.
    pub fn issubclass(&self, sub: &Value, cls: &Value) -> PyResult<bool> {
        issubclass_depth(self, sub, cls, 0)
    }

    /// `isinstance(obj, cls)` for a type `cls` known to be a plain class
    /// (no hooks): the common check in native code.
    pub fn isinstance_type(&self, obj: &Value, cls: &PyRef) -> bool {
        self.is_subtype(self.class_of(obj), cls)
    }
}
