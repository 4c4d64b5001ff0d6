//! Unit tests of the builtins, exceptions and files, against values taken
//! from CPython 3.11.

use crate::value::Value;
use crate::{Args, Vm};

fn vm() -> Box<Vm> {
    Vm::new(Default::default())
}

fn b(vm: &Vm, name: &str) -> Value {
    vm.dict_get_str(&vm.builtins_dict, &vm.intern(name)).unwrap_or_else(|| panic!("no builtin {name}"))
}

fn call(vm: &Vm, name: &str, args: &[Value]) -> Result<Value, String> {
    vm.call(&b(vm, name), Args::new(args)).map_err(|e| err_text(vm, &e))
}

fn err_text(vm: &Vm, e: &crate::PyRef) -> String {
    let v = Value::Obj(e.clone());
    format!("{}: {}", vm.type_name_of(&v), vm.str_string(&v).unwrap_or_default())
}

fn s(vm: &Vm, t: &str) -> Value {
    vm.new_str(t)
}

fn text(vm: &Vm, v: &Value) -> String {
    vm.as_str(v).unwrap_or("<not a str>").to_string()
}

#[test]
fn argument_errors() {
    let vm = vm();
    assert_eq!(call(&vm, "len", &[]).unwrap_err(), "TypeError: len() takes exactly one argument (0 given)");
    assert_eq!(call(&vm, "max", &[]).unwrap_err(), "TypeError: max expected at least 1 argument, got 0");
    assert_eq!(call(&vm, "chr", &[Value::Int(-1)]).unwrap_err(), "ValueError: chr() arg not in range(0x110000)");
    assert_eq!(
        call(&vm, "ord", &[s(&vm, "ab")]).unwrap_err(),
        "TypeError: ord() expected a character, but string of length 2 found"
    );
    assert_eq!(
        call(&vm, "getattr", &[Value::Int(1), Value::Int(2)]).unwrap_err(),
        "TypeError: attribute name must be string, not 'int'"
    );
    assert_eq!(
        call(&vm, "sum", &[vm.new_list(vec![]), s(&vm, "")]).unwrap_err(),
        "TypeError: sum() can't sum strings [use ''.join(seq) instead]"
    );
    assert_eq!(call(&vm, "max", &[vm.new_list(vec![])]).unwrap_err(), "ValueError: max() arg is an empty sequence");
    let (_, out, _) = crate::builtins::io::make_std_streams(&vm);
    vm.dict_set_str(&vm.sys.payload.as_module().unwrap().dict, &vm.intern("stdout"), out);
    let r = vm.call(&b(&vm, "print"), Args::with_kw(&[Value::Int(1)], &[s(&vm, "sep")]));
    assert_eq!(err_text(&vm, &r.unwrap_err()), "TypeError: sep must be None or a string, not int");
}

#[test]
fn numeric_builtins() {
    let vm = vm();
    let l = vm.new_list(vec![Value::Int(3), Value::Int(7), Value::Int(5)]);
    assert!(matches!(call(&vm, "max", &[l.clone()]), Ok(Value::Int(7))));
    assert!(matches!(call(&vm, "min", &[l.clone()]), Ok(Value::Int(3))));
    assert!(matches!(call(&vm, "sum", &[l]), Ok(Value::Int(15))));
    let tenth = vm.new_list(vec![Value::Float(0.1); 10]);
    assert!(matches!(call(&vm, "sum", &[tenth]), Ok(Value::Float(f)) if f == 0.9999999999999999));
    assert!(matches!(call(&vm, "abs", &[Value::Int(-5)]), Ok(Value::Int(5))));
    assert!(matches!(call(&vm, "round", &[Value::Float(2.5)]), Ok(Value::Int(2))));
    assert!(matches!(call(&vm, "pow", &[Value::Int(2), Value::Int(-1), Value::Int(5)]), Ok(Value::Int(3))));
    assert_eq!(text(&vm, &call(&vm, "bin", &[Value::Int(-5)]).unwrap()), "-0b101");
    assert_eq!(text(&vm, &call(&vm, "hex", &[Value::Int(255)]).unwrap()), "0xff");
    assert_eq!(text(&vm, &call(&vm, "chr", &[Value::Int(233)]).unwrap()), "é");
    assert!(matches!(call(&vm, "ord", &[s(&vm, "é")]), Ok(Value::Int(233))));
    assert_eq!(crate::builtins::functions::ascii_escape("'é\u{1234}\u{1f600}'"), "'\\xe9\\u1234\\U0001f600'");
}

#[test]
fn exception_behaviour() {
    let vm = vm();
    let ve = Value::Obj(vm.exc.value_error.clone());
    let e = vm.call1(&ve, &[s(&vm, "x")]).unwrap();
    assert_eq!(vm.repr_string(&e).unwrap(), "ValueError('x')");
    assert_eq!(vm.str_string(&e).unwrap(), "x");
    let ke = vm.call1(&Value::Obj(vm.exc.key_error.clone()), &[s(&vm, "k")]).unwrap();
    assert_eq!(vm.str_string(&ke).unwrap(), "'k'");
    let os = vm.call1(&Value::Obj(vm.exc.os_error.clone()), &[Value::Int(2), s(&vm, "No such file"), s(&vm, "f")]).unwrap();
    assert_eq!(vm.type_name_of(&os), "FileNotFoundError");
    assert_eq!(vm.str_string(&os).unwrap(), "[Errno 2] No such file: 'f'");
    let st = vm.new_stop_iteration(Some(Value::Int(5)));
    assert!(matches!(vm.getattr_str(&Value::Obj(st), "value"), Ok(Value::Int(5))));
    let note = vm.call_method(&e, "add_note", &[Value::Int(1)]).unwrap_err();
    assert_eq!(err_text(&vm, &note), "TypeError: note must be a str, not 'int'");
    let r = vm.setattr_str(&e, "__cause__", Value::Int(1)).unwrap_err();
    assert_eq!(err_text(&vm, &r), "TypeError: exception cause must be None or derive from BaseException");
    let ude = Value::Obj(vm.exc.unicode_decode_error.clone());
    let u = vm
        .call1(&ude, &[s(&vm, "utf-8"), vm.new_bytes(vec![0xff]), Value::Int(0), Value::Int(1), s(&vm, "invalid start byte")])
        .unwrap();
    assert_eq!(vm.str_string(&u).unwrap(), "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte");
}

#[test]
fn exception_groups() {
    let vm = vm();
    let v1 = vm.call1(&Value::Obj(vm.exc.value_error.clone()), &[Value::Int(1)]).unwrap();
    let t2 = vm.call1(&Value::Obj(vm.exc.type_error.clone()), &[Value::Int(2)]).unwrap();
    let beg = Value::Obj(vm.exc.base_exception_group.clone());
    let eg = vm.call1(&beg, &[s(&vm, "m"), vm.new_list(vec![v1, t2])]).unwrap();
    assert_eq!(vm.type_name_of(&eg), "ExceptionGroup");
    assert_eq!(vm.str_string(&eg).unwrap(), "m (2 sub-exceptions)");
    let parts = vm.call_method(&eg, "split", &[Value::Obj(vm.exc.value_error.clone())]).unwrap();
    assert_eq!(vm.repr_string(&parts).unwrap(), "(ExceptionGroup('m', [ValueError(1)]), ExceptionGroup('m', [TypeError(2)]))");
    let empty = vm.call1(&beg, &[s(&vm, "m"), vm.new_list(vec![])]).unwrap_err();
    assert_eq!(err_text(&vm, &empty), "ValueError: second argument (exceptions) must be a non-empty sequence");
}

#[test]
fn files_round_trip() {
    let vm = vm();
    let path = std::env::temp_dir().join(format!("krait_io_test_{}", std::process::id()));
    let p = s(&vm, path.to_str().unwrap());
    let f = call(&vm, "open", &[p.clone(), s(&vm, "w")]).unwrap();
    assert!(matches!(vm.call_method(&f, "write", &[s(&vm, "héllo\r\nworld\nlast")]), Ok(Value::Int(17))));
    let r = vm.call(&b(&vm, "print"), Args::with_kw(&[Value::Int(1), f.clone()], &[s(&vm, "file")]));
    assert!(r.is_ok());
    vm.call_method(&f, "close", &[]).unwrap();
    let closed = vm.call_method(&f, "write", &[s(&vm, "x")]).unwrap_err();
    assert_eq!(err_text(&vm, &closed), "ValueError: I/O operation on closed file.");
    let f = call(&vm, "open", &[p.clone()]).unwrap();
    assert_eq!(vm.repr_string(&f).unwrap(), format!("<_io.TextIOWrapper name={} mode='r' encoding='UTF-8'>", vm.repr_string(&p).unwrap()));
    assert_eq!(text(&vm, &vm.call_method(&f, "readline", &[]).unwrap()), "héllo\n");
    assert_eq!(text(&vm, &vm.call_method(&f, "read", &[Value::Int(3)]).unwrap()), "wor");
    assert_eq!(text(&vm, &vm.call_method(&f, "read", &[]).unwrap()), "ld\nlast1\n");
    vm.call_method(&f, "close", &[]).unwrap();
    let fb = call(&vm, "open", &[p.clone(), s(&vm, "rb")]).unwrap();
    let data = vm.call_method(&fb, "read", &[]).unwrap();
    assert_eq!(data.payload().and_then(|p| p.as_bytes()).unwrap(), "héllo\r\nworld\nlast1\n".as_bytes());
    vm.call_method(&fb, "close", &[]).unwrap();
    let _ = std::fs::remove_file(&path);
    let missing = call(&vm, "open", &[s(&vm, "/nonexistent/x")]).unwrap_err();
    assert_eq!(missing, "FileNotFoundError: [Errno 2] No such file or directory: '/nonexistent/x'");
}

#[test]
fn singletons_and_modules() {
    let vm = vm();
    assert_eq!(vm.repr_string(&Value::None).unwrap(), "None");
    assert_eq!(vm.repr_string(&vm.not_implemented()).unwrap(), "NotImplemented");
    assert_eq!(vm.repr_string(&Value::Obj(vm.ellipsis.clone())).unwrap(), "Ellipsis");
    assert!(matches!(vm.call1(&Value::Obj(vm.types.none_type.clone()), &[]), Ok(Value::None)));
    let m = vm.call1(&Value::Obj(vm.types.module.clone()), &[s(&vm, "m")]).unwrap();
    assert_eq!(vm.repr_string(&m).unwrap(), "<module 'm'>");
    assert_eq!(vm.repr_string(&Value::Obj(vm.sys.clone())).unwrap(), "<module 'sys' (built-in)>");
}
