//! Finalizers: what runs when an object's last reference goes, before it is
//! freed (`object.rs::free_one` calls [`finalize`] at most once per object).
//! Instances of classes with `__del__` get it called; suspended generators
//! and coroutines are closed. Errors are reported as CPython's unraisable
//! hook does ("Exception ignored in: ..." and the traceback on stderr) and
//! execution continues.

use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::typeobj::Slot;
use crate::value::Value;
use crate::Vm;

/// Makes `vm` the interpreter that finalizes objects freed on this thread.
pub fn install(vm: &Vm) {
    crate::object::set_callback_vm(vm);
    crate::object::set_finalizer(finalize);
}

fn finalize(vm: &Vm, obj: &PyRef) {
    if let Payload::Generator(_) = obj.payload {
        crate::eval::generator::finalize_generator(vm, obj);
        return;
    }
    let Some(del) = obj.class().payload.as_type().and_then(|t| t.slot(Slot::Del)) else { return };
    let this = Value::Obj(obj.clone());
    let r = match del.payload() {
        Some(Payload::Function(_)) | Some(Payload::NativeMethod { .. }) => vm.call1(&del, &[this]),
        // Other descriptors (staticmethod, callables with `__get__`) bind as an
        // attribute lookup would.
        _ => vm.getattr_str(&this, "__del__").and_then(|m| vm.call1(&m, &[])),
    };
    if let Err(e) = r {
        crate::types::weakref::write_unraisable(vm, &e, &del);
    }
}

/// Shutdown: the objects of `__main__` die, as when CPython clears its
/// modules. First every global that has a finalizer is finalized, in
/// definition order, while the other globals still exist (CPython's collector
/// finalizes the module's garbage before clearing any of it), then the items
/// of containers they hold; then the names are cleared (those starting with
/// `_` first, as `_PyModule_ClearDict`), releasing everything.
pub fn clear_main_module(vm: &Vm) {
    let Ok(Some(main)) = vm.dict_get(&vm.modules, &vm.new_str("__main__")) else { return };
    let Some(Payload::Module(m)) = main.payload() else { return };
    let dict = m.dict.clone();
    let Some(table) = dict.payload.as_dict() else { return };
    let entries: Vec<(Value, Value)> = table.borrow().iter().map(|e| (e.key.clone(), e.value.clone())).collect();
    for (_, v) in &entries {
        if let Value::Obj(o) = v {
            crate::object::finalize_now(o);
        }
    }
    // Then the items of lists, tuples and dicts held by globals, in place
    // (lists and tuples last item first, as they would be released), still
    // with every global intact.
    for (_, v) in &entries {
        let items: Vec<Value> = match v.payload() {
            Some(Payload::List(l)) => l.borrow().iter().rev().cloned().collect(),
            Some(Payload::Tuple(t)) => t.iter().rev().cloned().collect(),
            Some(Payload::Dict(d)) => d.borrow().iter().map(|e| e.value.clone()).collect(),
            _ => continue,
        };
        for item in &items {
            if let Value::Obj(o) = item {
                crate::object::finalize_now(o);
            }
        }
    }
    drop(entries);
    for underscored in [true, false] {
        let keys: Vec<Value> = table.borrow().iter().map(|e| e.key.clone()).collect();
        for k in keys {
            let Some(name) = vm.as_str(&k).map(String::from) else { continue };
            if name == "__builtins__" || name.starts_with('_') != underscored {
                continue;
            }
            let _ = vm.dict_set(&dict, k, Value::None);
        }
    }
}
