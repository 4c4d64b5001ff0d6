//! Tests of weak references: the object-model side directly from Rust, and the
//! Python-visible semantics through small snippets.

use super::*;
use crate::Vm;

fn vm() -> Box<Vm> {
    Vm::new(Default::default())
}

/// A fresh weakrefable object (a set).
fn referent(vm: &Vm) -> PyRef {
    vm.new_set_of_type(&vm.types.set).as_obj().unwrap().clone()
}

#[test]
fn ref_dies_with_referent_and_count_stays_true() {
    let vm = vm();
    let obj = referent(&vm);
    assert_eq!(obj.refcount(), 1);
    let w = new_ref(&vm, &vm.types.weakref, &Value::Obj(obj.clone()), None).unwrap();
    // The weak reference adds no count; the extra clone above is gone again.
    assert_eq!(obj.refcount(), 1);
    assert!(obj.has_weakrefs());
    assert!(crate::types::weakref::referent(&w).is_some_and(|r| r.id() == obj.id() as i64));
    assert_eq!(obj.refcount(), 1);
    drop(obj);
    assert!(crate::types::weakref::referent(&w).is_none());
}

#[test]
fn basic_ref_is_shared_and_callback_refs_are_not() {
    let vm = vm();
    let obj = Value::Obj(referent(&vm));
    let a = new_ref(&vm, &vm.types.weakref, &obj, None).unwrap();
    let b = new_ref(&vm, &vm.types.weakref, &obj, None).unwrap();
    assert_eq!(a.id(), b.id());
    let cb = Value::Obj(vm.types.int.clone());
    let c = new_ref(&vm, &vm.types.weakref, &obj, Some(cb)).unwrap();
    assert_ne!(a.id(), c.id());
    let p = new_proxy(&vm, &obj, None).unwrap();
    // Order: basic ref, basic proxy, then the others.
    let ids: Vec<i64> = weakrefs(&obj).iter().map(|w| w.id() as i64).collect();
    assert_eq!(ids, vec![a.id(), p.id(), c.id()]);
    assert_eq!(first_weakref(&vm, &obj).id(), a.id());
}

#[test]
fn dropping_the_weakref_unregisters_it() {
    let vm = vm();
    let obj = referent(&vm);
    let w = new_ref(&vm, &vm.types.weakref, &Value::Obj(obj.clone()), None).unwrap();
    assert_eq!(weakrefs(&Value::Obj(obj.clone())).len(), 1);
    drop(w);
    assert!(weakrefs(&Value::Obj(obj.clone())).is_empty());
    assert!(!obj.has_weakrefs());
}

#[test]
fn unweakrefable_values_raise_type_error() {
    let vm = vm();
    for v in [Value::Int(1), Value::None, vm.new_str("s"), vm.new_list(vec![]), vm.new_tuple(vec![Value::Int(1)])] {
        let e = new_ref(&vm, &vm.types.weakref, &v, None).unwrap_err();
        assert!(vm.exception_matches(&e, &vm.exc.type_error));
    }
}

/// Runs `src` and returns `repr(r)`.
fn run(src: &str) -> String {
    let vm = vm();
    let code = krait_compiler::compile(src, "<test>", krait_compiler::Mode::Exec).expect("compiles");
    let code = vm.load_code(code);
    let globals = vm.new_dict();
    vm.dict_set_str(&globals, &vm.intern("__name__"), vm.new_str("__main__"));
    if let Err(e) = vm.run_module_code(&code, &globals) {
        return format!("uncaught {}", vm.exception_last_line(&e));
    }
    let r = vm.dict_get_str(&globals, &vm.intern("r")).expect("r is set");
    vm.repr_string(&r).unwrap()
}

#[test]
fn callbacks_run_newest_first_with_the_dead_ref() {
    // `_weakref` lives in krait-stdlib: bind the type as the global `ref`.
    let vm = vm();
    let code = krait_compiler::compile(
        "log = []\nclass A: pass\na = A()\nr1 = ref(a, lambda w: log.append(('one', w() is None)))\n\
         r2 = ref(a, lambda w: log.append(('two', w is r2)))\ndel a\nr = (log, r1(), r2())\n",
        "<test>",
        krait_compiler::Mode::Exec,
    )
    .unwrap();
    let code = vm.load_code(code);
    let globals = vm.new_dict();
    vm.dict_set_str(&globals, &vm.intern("__name__"), vm.new_str("__main__"));
    vm.dict_set_str(&globals, &vm.intern("ref"), Value::Obj(vm.types.weakref.clone()));
    vm.run_module_code(&code, &globals).unwrap();
    let r = vm.dict_get_str(&globals, &vm.intern("r")).unwrap();
    assert_eq!(vm.repr_string(&r).unwrap(), "([('two', True), ('one', True)], None, None)");
}

#[test]
fn weakref_attribute_of_instances() {
    assert_eq!(run("class A: pass\na = A()\nr = a.__weakref__"), "None");
    assert_eq!(
        run("class S:\n    __slots__ = ('x',)\nr = hasattr(S(), '__weakref__')"),
        "False"
    );
}
