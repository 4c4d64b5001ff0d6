//! Tests of the class machinery without a compiler: classes are made with
//! `type(name, bases, dict)` from Rust, with native methods.

use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::function::NativeDef;
use crate::value::Value;
use crate::{Args, PyErr, PyResult, Vm};

fn vm() -> Box<Vm> {
    Vm::new(Default::default())
}

fn ret_base(vm: &Vm, _a: Args) -> PyResult {
    Ok(vm.new_str("base"))
}
fn ret_c(vm: &Vm, _a: Args) -> PyResult {
    Ok(vm.new_str("c"))
}
fn ret_42(_vm: &Vm, _a: Args) -> PyResult {
    Ok(Value::Int(42))
}
fn ret_first(_vm: &Vm, a: Args) -> PyResult {
    Ok(a.args[0].clone())
}
fn ret_custom(vm: &Vm, _a: Args) -> PyResult {
    Ok(vm.new_str("custom"))
}
static GREET_BASE: NativeDef = NativeDef::method("greet", ret_base);
static GREET_C: NativeDef = NativeDef::method("greet", ret_c);
static FORTY_TWO: NativeDef = NativeDef::function("fortytwo", ret_42);
static FIRST: NativeDef = NativeDef::function("first", ret_first);
static CUSTOM_REPR: NativeDef = NativeDef::method("__repr__", ret_custom);

/// A method value as found in a class dict.
fn method(vm: &Vm, def: &'static NativeDef) -> Value {
    Value::Obj(PyRef::new(
        vm.types.method_descriptor.clone(),
        Payload::NativeMethod { def, owner: vm.types.object.clone() },
    ))
}

fn mkclass_kw(vm: &Vm, name: &str, bases: &[&PyRef], attrs: Vec<(&str, Value)>, kw: &[(&str, Value)]) -> PyResult<PyRef> {
    let d = vm.new_dict();
    for (k, v) in attrs {
        vm.dict_set_str(&d, &vm.intern(k), v);
    }
    let bases = vm.new_tuple(bases.iter().map(|b| Value::Obj((*b).clone())).collect());
    let mut args = vec![vm.new_str(name), bases, Value::Obj(d)];
    let names: Vec<Value> = kw.iter().map(|(k, _)| vm.new_str(*k)).collect();
    args.extend(kw.iter().map(|(_, v)| v.clone()));
    let r = vm.call(&Value::Obj(vm.types.type_.clone()), Args::with_kw(&args, &names))?;
    Ok(r.as_obj().unwrap().clone())
}

fn mkclass(vm: &Vm, name: &str, bases: &[&PyRef], attrs: Vec<(&str, Value)>) -> PyResult<PyRef> {
    mkclass_kw(vm, name, bases, attrs, &[])
}

fn call0(vm: &Vm, c: &PyRef) -> PyResult {
    vm.call(&Value::Obj(c.clone()), Args::EMPTY)
}

/// (exception type name, message) of an error.
fn err(vm: &Vm, e: PyErr) -> (String, String) {
    let args = e.payload.as_exception().unwrap().args.get().unwrap();
    let msg = args.payload().and_then(|p| p.as_tuple()).and_then(|t| t.first().cloned());
    let msg = msg.and_then(|m| vm.as_str(&m).map(|s| s.to_string())).unwrap_or_default();
    (vm.type_name(e.class()), msg)
}

fn expect_err<T>(vm: &Vm, r: PyResult<T>) -> (String, String) {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => err(vm, e),
    }
}

fn text(vm: &Vm, v: &Value) -> String {
    vm.as_str(v).expect("a str").to_string()
}

#[test]
fn class_creation_mro_and_super() {
    let vm = vm();
    let a = mkclass(&vm, "A", &[], vec![("greet", method(&vm, &GREET_BASE))]).unwrap();
    let b = mkclass(&vm, "B", &[&a], vec![]).unwrap();
    let c = mkclass(&vm, "C", &[&a], vec![("greet", method(&vm, &GREET_C))]).unwrap();
    let d = mkclass(&vm, "D", &[&b, &c], vec![]).unwrap();
    let mro: Vec<String> = d.payload.as_type().unwrap().mro.borrow().iter().map(|t| vm.type_name(t)).collect();
    assert_eq!(mro, ["D", "B", "C", "A", "object"]);
    assert_eq!(vm.repr_string(&Value::Obj(a.clone())).unwrap(), "<class 'A'>");
    let inst = call0(&vm, &d).unwrap();
    assert!(vm.class_of(&inst).is(&d));
    assert!(vm.repr_string(&inst).unwrap().starts_with("<D object at 0x"));
    let g = vm.call_method(&inst, "greet", &[]).unwrap();
    assert_eq!(text(&vm, &g), "c");
    // super(B, d).greet skips B and finds C's.
    let sup = vm
        .call(&Value::Obj(vm.types.super_.clone()), Args::new(&[Value::Obj(b.clone()), inst.clone()]))
        .unwrap();
    let g = vm.call_method(&sup, "greet", &[]).unwrap();
    assert_eq!(text(&vm, &g), "c");
    let sup = vm
        .call(&Value::Obj(vm.types.super_.clone()), Args::new(&[Value::Obj(c.clone()), inst.clone()]))
        .unwrap();
    assert_eq!(text(&vm, &vm.call_method(&sup, "greet", &[]).unwrap()), "base");
    assert_eq!(vm.repr_string(&sup).unwrap(), "<super: <class 'C'>, <D object>>");
    let bad = vm.call(&Value::Obj(vm.types.super_.clone()), Args::new(&[Value::Obj(b.clone()), Value::Int(1)]));
    assert_eq!(expect_err(&vm, bad).1, "super(type, obj): obj must be an instance or subtype of type");
    // Subclass lists.
    let subs = vm.call_method(&Value::Obj(a.clone()), "__subclasses__", &[]).unwrap();
    assert_eq!(vm.len(&subs).unwrap(), 2);
}

#[test]
fn class_creation_errors() {
    let vm = vm();
    let a = mkclass(&vm, "A", &[], vec![]).unwrap();
    let b = mkclass(&vm, "B", &[&a], vec![]).unwrap();
    assert_eq!(
        expect_err(&vm, mkclass(&vm, "X", &[&a, &b], vec![])).1,
        "Cannot create a consistent method resolution\norder (MRO) for bases A, B"
    );
    assert_eq!(expect_err(&vm, mkclass(&vm, "X", &[&a, &a], vec![])).1, "duplicate base class A");
    assert_eq!(
        expect_err(&vm, mkclass(&vm, "X", &[&vm.types.bool_], vec![])).1,
        "type 'bool' is not an acceptable base type"
    );
    assert_eq!(
        expect_err(&vm, mkclass(&vm, "X", &[&vm.types.int, &vm.types.str], vec![])).1,
        "multiple bases have instance lay-out conflict"
    );
    let slots = vm.new_tuple(vec![vm.new_str("a")]);
    assert_eq!(
        expect_err(&vm, mkclass(&vm, "X", &[&vm.types.int], vec![("__slots__", slots.clone())])).1,
        "nonempty __slots__ not supported for subtype of 'int'"
    );
    assert_eq!(
        expect_err(&vm, mkclass(&vm, "X", &[], vec![("__slots__", slots), ("a", Value::Int(1))])),
        ("ValueError".to_string(), "'a' in __slots__ conflicts with class variable".to_string())
    );
    let dslot = vm.new_tuple(vec![vm.new_str("__dict__")]);
    assert_eq!(
        expect_err(&vm, mkclass(&vm, "X", &[&a], vec![("__slots__", dslot)])).1,
        "__dict__ slot disallowed: we already got one"
    );
    let ty = Value::Obj(vm.types.type_.clone());
    assert_eq!(expect_err(&vm, vm.call(&ty, Args::EMPTY)).1, "type() takes 1 or 3 arguments");
    assert_eq!(
        expect_err(&vm, mkclass_kw(&vm, "X", &[], vec![], &[("x", Value::Int(1))])).1,
        "X.__init_subclass__() takes no keyword arguments"
    );
    // type(x) is the type.
    let t = vm.call(&ty, Args::new(&[Value::Int(3)])).unwrap();
    assert!(t.as_obj().unwrap().is(&vm.types.int));
    // Metaclass conflict.
    let m1 = mkclass(&vm, "M1", &[&vm.types.type_], vec![]).unwrap();
    let m2 = mkclass(&vm, "M2", &[&vm.types.type_], vec![]).unwrap();
    let c1 = vm.call(&Value::Obj(m1.clone()), Args::new(&[vm.new_str("C1"), vm.new_tuple(vec![]), Value::Obj(vm.new_dict())])).unwrap();
    let c2 = vm.call(&Value::Obj(m2.clone()), Args::new(&[vm.new_str("C2"), vm.new_tuple(vec![]), Value::Obj(vm.new_dict())])).unwrap();
    assert!(vm.class_of(&c1).is(&m1));
    let r = vm.call(&ty, Args::new(&[vm.new_str("X"), vm.new_tuple(vec![c1, c2]), Value::Obj(vm.new_dict())]));
    assert!(expect_err(&vm, r).1.starts_with("metaclass conflict"));
}

#[test]
fn construction_argument_rules() {
    let vm = vm();
    let a = mkclass(&vm, "A", &[], vec![]).unwrap();
    let r = vm.call(&Value::Obj(a.clone()), Args::new(&[Value::Int(1)]));
    assert_eq!(expect_err(&vm, r).1, "A() takes no arguments");
    let r = vm.call(&Value::Obj(vm.types.object.clone()), Args::new(&[Value::Int(1)]));
    assert_eq!(expect_err(&vm, r).1, "object() takes no arguments");
    // Abstract classes.
    let ab = mkclass(&vm, "Ab", &[], vec![]).unwrap();
    vm.setattr_str(&Value::Obj(ab.clone()), "__abstractmethods__", vm.new_tuple(vec![vm.new_str("f")])).unwrap();
    assert_eq!(expect_err(&vm, call0(&vm, &ab)).1, "Can't instantiate abstract class Ab with abstract method f");
}

#[test]
fn slots_and_dicts() {
    let vm = vm();
    let slots = vm.new_tuple(vec![vm.new_str("y"), vm.new_str("x")]);
    let s = mkclass(&vm, "S", &[], vec![("__slots__", slots)]).unwrap();
    let inst = call0(&vm, &s).unwrap();
    vm.setattr_str(&inst, "x", Value::Int(5)).unwrap();
    assert!(matches!(vm.getattr_str(&inst, "x").unwrap(), Value::Int(5)));
    assert_eq!(expect_err(&vm, vm.getattr_str(&inst, "y")).1, "'S' object has no attribute 'y'");
    assert_eq!(expect_err(&vm, vm.setattr_str(&inst, "z", Value::Int(1))).1, "'S' object has no attribute 'z'");
    let descr = vm.getattr_str(&Value::Obj(s.clone()), "x").unwrap();
    assert_eq!(vm.repr_string(&descr).unwrap(), "<member 'x' of 'S' objects>");
    // A subclass without __slots__ gets a dict; its slots continue the base's.
    let t = mkclass(&vm, "T", &[&s], vec![]).unwrap();
    let ti = call0(&vm, &t).unwrap();
    vm.setattr_str(&ti, "z", Value::Int(7)).unwrap();
    vm.setattr_str(&ti, "y", Value::Int(8)).unwrap();
    assert!(matches!(vm.getattr_str(&ti, "z").unwrap(), Value::Int(7)));
    let d = vm.getattr_str(&ti, "__dict__").unwrap();
    assert_eq!(vm.len(&d).unwrap(), 1);
    let r = vm.setattr_str(&ti, "__dict__", Value::Int(1));
    assert_eq!(expect_err(&vm, r).1, "__dict__ must be set to a dictionary, not a 'int'");
    // __class__ assignment.
    let a = mkclass(&vm, "A", &[], vec![]).unwrap();
    let b = mkclass(&vm, "B", &[&a], vec![]).unwrap();
    let ai = call0(&vm, &a).unwrap();
    vm.setattr_str(&ai, "__class__", Value::Obj(b.clone())).unwrap();
    assert!(vm.class_of(&ai).is(&b));
    let r = vm.setattr_str(&ai, "__class__", Value::Obj(s.clone()));
    assert_eq!(expect_err(&vm, r).1, "__class__ assignment: 'S' object layout differs from 'B'");
    let r = vm.setattr_str(&ai, "__class__", Value::Obj(vm.types.int.clone()));
    assert_eq!(expect_err(&vm, r).1, "__class__ assignment only supported for mutable types or ModuleType subclasses");
}

#[test]
fn descriptors_property_classmethod_staticmethod() {
    let vm = vm();
    let fget = vm.new_native_function(&FORTY_TWO, None);
    let prop = vm.call(&Value::Obj(vm.types.property.clone()), Args::new(&[fget])).unwrap();
    let cm = vm.new_classmethod(vm.new_native_function(&FIRST, None));
    let sm = vm.new_staticmethod(vm.new_native_function(&FORTY_TWO, None));
    let p = mkclass(&vm, "P", &[], vec![("v", prop), ("cm", cm), ("sm", sm)]).unwrap();
    let inst = call0(&vm, &p).unwrap();
    assert!(matches!(vm.getattr_str(&inst, "v").unwrap(), Value::Int(42)));
    let r = vm.setattr_str(&inst, "v", Value::Int(1));
    assert_eq!(expect_err(&vm, r).1, "property 'v' of 'P' object has no setter");
    let r = vm.call_method(&inst, "cm", &[]).unwrap();
    assert!(r.as_obj().unwrap().is(&p));
    assert!(matches!(vm.call_method(&inst, "sm", &[]).unwrap(), Value::Int(42)));
    let smv = vm.getattr_str(&Value::Obj(p.clone()), "__dict__").unwrap();
    let smv = vm.getitem(&smv, &vm.new_str("sm")).unwrap();
    assert_eq!(vm.repr_string(&smv).unwrap(), "<staticmethod(<built-in function fortytwo>)>");
}

#[test]
fn type_attributes_and_setattr() {
    let vm = vm();
    let a = mkclass(&vm, "A", &[], vec![]).unwrap();
    let b = mkclass(&vm, "B", &[&a], vec![]).unwrap();
    let av = Value::Obj(a.clone());
    vm.setattr_str(&av, "__repr__", method(&vm, &CUSTOM_REPR)).unwrap();
    let bi = call0(&vm, &b).unwrap();
    assert_eq!(vm.repr_string(&bi).unwrap(), "custom");
    let r = vm.setattr_str(&Value::Obj(vm.types.int.clone()), "x", Value::Int(1));
    assert_eq!(expect_err(&vm, r).1, "cannot set 'x' attribute of immutable type 'int'");
    let r = vm.setattr(&av, &vm.intern("nope"), None);
    assert_eq!(expect_err(&vm, r).1, "type object 'A' has no attribute 'nope'");
    vm.setattr_str(&av, "__name__", vm.new_str("Z")).unwrap();
    assert_eq!(text(&vm, &vm.getattr_str(&av, "__name__").unwrap()), "Z");
    let r = vm.setattr_str(&av, "__name__", Value::Int(1));
    assert_eq!(expect_err(&vm, r).1, "can only assign string to Z.__name__, not 'int'");
    let mro = vm.getattr_str(&Value::Obj(b.clone()), "__mro__").unwrap();
    assert_eq!(vm.len(&mro).unwrap(), 3);
    let d = vm.getattr_str(&av, "__dict__").unwrap();
    assert!(matches!(d.payload(), Some(Payload::MappingProxy(_))));
    assert!(vm.getitem(&d, &vm.new_str("__doc__")).unwrap().is_none());
    // isinstance / issubclass.
    let t = vm.new_tuple(vec![Value::Obj(vm.types.int.clone()), vm.new_tuple(vec![av.clone()])]);
    assert!(vm.isinstance(&bi, &t).unwrap());
    assert!(!vm.isinstance(&Value::Int(1), &av).unwrap());
    assert!(vm.isinstance(&Value::Bool(true), &Value::Obj(vm.types.int.clone())).unwrap());
    assert_eq!(
        expect_err(&vm, vm.isinstance(&Value::Int(1), &Value::Int(1))).1,
        "isinstance() arg 2 must be a type, a tuple of types, or a union"
    );
    assert_eq!(expect_err(&vm, vm.issubclass(&Value::Int(1), &av)).1, "issubclass() arg 1 must be a class");
    assert!(vm.issubclass(&Value::Obj(b.clone()), &av).unwrap());
}

#[path = "class_e2e_cases.rs"]
mod cases;

/// Runs every snippet of `class_e2e_cases.rs` and compares `repr(r)`.
#[test]
fn python_snippets_match_cpython() {
    let mut failures = Vec::new();
    for (src, expected) in cases::CASES {
        let body: String = src.lines().map(|l| format!("    {l}\n")).collect();
        let wrapped = format!(
            "try:\n{body}except Exception as e:\n    r = 'EXC ' + type(e).__name__ + ': ' + str(e)\n"
        );
        let vm = Vm::new(Default::default());
        let code = match krait_compiler::compile(&wrapped, "<test>", krait_compiler::Mode::Exec) {
            Ok(c) => c,
            Err(_) => {
                failures.push(format!("--- does not compile:\n{src}"));
                continue;
            }
        };
        let code = vm.load_code(code);
        let globals = vm.new_dict();
        vm.dict_set_str(&globals, &vm.intern("__name__"), vm.new_str("__main__"));
        let got = match vm.run_module_code(&code, &globals) {
            Err(e) => format!("uncaught {}: {}", vm.type_name(e.class()), err(&vm, e).1),
            Ok(_) => match vm.dict_get_str(&globals, &vm.intern("r")) {
                None => "NO R".to_string(),
                Some(r) => vm.repr_string(&r).unwrap_or_else(|e| format!("repr failed: {:?}", err(&vm, e))),
            },
        };
        if got != *expected {
            failures.push(format!("--- {src}\n  expected {expected}\n  got      {got}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} failed:\n{}", failures.len(), cases::CASES.len(), failures.join("\n"));
}


/// Runs the program named by `KRAIT_RUN_FILE` as `__main__` (for comparing a
/// whole script's output with CPython by hand):
/// `KRAIT_RUN_FILE=x.py cargo test -p krait-vm run_file -- --ignored --nocapture`.
#[test]
#[ignore]
fn run_file() {
    let path = std::env::var("KRAIT_RUN_FILE").expect("KRAIT_RUN_FILE");
    let src = std::fs::read(&path).unwrap();
    let config = crate::config::Config { stdlib_dir: std::env::var("KRAIT_STDLIB_DIR").ok(), ..Default::default() };
    let vm = Vm::new(config);
    if let Err(e) = crate::modules::sys::finish_init(&vm) {
        vm.handle_uncaught(&e);
        return;
    }
    if let Err(e) = vm.run_main_source(&src, &path) {
        vm.handle_uncaught(&e);
    }
    if let Some(out) = crate::modules::sys::sys_attr(&vm, "stdout") {
        let _ = vm.call_method(&out, "flush", &[]);
    }
}
