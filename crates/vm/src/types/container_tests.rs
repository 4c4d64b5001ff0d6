//! Behaviour tests of the container types (list, tuple, dict, set, range,
//! slice, iterators) through their Python-visible methods, with expected
//! values taken from CPython 3.11.

use crate::value::Value;
use crate::Vm;

fn r(vm: &Vm, v: &Value) -> String {
    vm.repr_string(v).unwrap()
}

fn m(vm: &Vm, obj: &Value, name: &str, args: &[Value]) -> Value {
    vm.call_method(obj, name, args).unwrap_or_else(|e| panic!("{name}: {}", exc(vm, &e)))
}

fn exc(vm: &Vm, e: &crate::PyRef) -> String {
    let args = vm.getattr_str(&Value::Obj(e.clone()), "args").ok();
    format!("{}{}", vm.type_name(e.class()), args.map(|a| r(vm, &a)).unwrap_or_default())
}

fn err(vm: &Vm, obj: &Value, name: &str, args: &[Value]) -> String {
    match vm.call_method(obj, name, args) {
        Ok(v) => panic!("{name} returned {}", r(vm, &v)),
        Err(e) => exc(vm, &e),
    }
}

fn ints(vm: &Vm, xs: &[i64]) -> Value {
    vm.new_list(xs.iter().map(|&i| Value::Int(i)).collect())
}

#[test]
fn list_behaviour() {
    let vm = Vm::new(Default::default());
    let l = ints(&vm, &[3, 1, 2]);
    m(&vm, &l, "append", &[Value::Int(5)]);
    m(&vm, &l, "sort", &[]);
    assert_eq!(r(&vm, &l), "[1, 2, 3, 5]");
    m(&vm, &l, "insert", &[Value::Int(-100), Value::Int(0)]);
    assert_eq!(r(&vm, &l), "[0, 1, 2, 3, 5]");
    assert_eq!(err(&vm, &l, "remove", &[Value::Int(9)]), "ValueError('list.remove(x): x not in list',)");
    assert_eq!(err(&vm, &l, "index", &[Value::Int(9)]), "ValueError('9 is not in list',)");
    assert_eq!(err(&vm, &vm.new_list(vec![]), "pop", &[]), "IndexError('pop from empty list',)");
    let sl = vm.new_slice(Value::None, Value::None, Value::Int(-2));
    assert_eq!(r(&vm, &vm.getitem(&l, &sl).unwrap()), "[5, 2, 0]");
    let e = vm.setitem(&l, &sl, ints(&vm, &[1, 2])).unwrap_err();
    assert_eq!(exc(&vm, &e), "ValueError('attempt to assign sequence of size 2 to extended slice of size 3',)");
    vm.delitem(&l, &sl).unwrap();
    assert_eq!(r(&vm, &l), "[1, 3]");
    let sl2 = vm.new_slice(Value::Int(1), Value::Int(1), Value::None);
    vm.setitem(&l, &sl2, ints(&vm, &[7, 8, 9])).unwrap();
    assert_eq!(r(&vm, &l), "[1, 7, 8, 9, 3]");
    // Recursive repr.
    m(&vm, &l, "append", &[l.clone()]);
    assert_eq!(r(&vm, &l), "[1, 7, 8, 9, 3, [...]]");
    m(&vm, &l, "pop", &[]);
    let key = vm.new_str("x");
    assert_eq!(
        exc(&vm, &vm.getitem(&l, &key).unwrap_err()),
        "TypeError('list indices must be integers or slices, not str',)"
    );
    let t = vm.new_tuple(vec![Value::Int(1)]);
    assert_eq!(err(&vm, &l, "__add__", &[t]), "TypeError('can only concatenate list (not \"tuple\") to list',)");
    let big = m(&vm, &ints(&vm, &[0]), "__mul__", &[Value::Int(3)]);
    assert_eq!(r(&vm, &big), "[0, 0, 0]");
    assert_eq!(err(&vm, &ints(&vm, &[0]), "__mul__", &[Value::Int(1_000_000_000_000)]), "MemoryError()");
    // Sort with mixed types propagates the TypeError and keeps the items.
    let mixed = vm.new_list(vec![Value::Int(3), vm.new_str("a"), Value::Int(1)]);
    assert_eq!(
        err(&vm, &mixed, "sort", &[]),
        "TypeError(\"'<' not supported between instances of 'str' and 'int'\",)"
    );
    assert_eq!(r(&vm, &mixed), "[3, 'a', 1]");
    let a = ints(&vm, &[1, 2, 3]);
    let b = ints(&vm, &[1, 2, 4]);
    assert!(vm.lt_bool(&a, &b).unwrap());
}

#[test]
fn tuple_and_range() {
    let vm = Vm::new(Default::default());
    let t = vm.new_tuple(vec![Value::Int(1)]);
    assert_eq!(r(&vm, &t), "(1,)");
    assert_eq!(r(&vm, &vm.new_tuple(vec![])), "()");
    let rg = vm.call(&Value::Obj(vm.types.range.clone()), crate::Args::new(&[Value::Int(0), Value::Int(10), Value::Int(3)]));
    let rg = match rg {
        Ok(v) => v,
        Err(_) => vm.new_range(Value::Int(0), Value::Int(10), Value::Int(3)),
    };
    assert_eq!(r(&vm, &rg), "range(0, 10, 3)");
    assert_eq!(vm.len(&rg).unwrap(), 4);
    assert!(vm.contains(&rg, &Value::Int(9)).unwrap());
    assert!(!vm.contains(&rg, &Value::Int(8)).unwrap());
    let sl = vm.new_slice(Value::None, Value::None, Value::Int(-1));
    assert_eq!(r(&vm, &vm.getitem(&rg, &sl).unwrap()), "range(9, -3, -3)");
    let items = vm.collect_iter(&m(&vm, &rg, "__reversed__", &[])).unwrap();
    assert_eq!(r(&vm, &vm.new_list(items)), "[9, 6, 3, 0]");
    // hash(range(0, 10, 3)) == hash((4, 0, 3))
    assert_eq!(
        vm.hash(&rg).unwrap(),
        vm.hash(&vm.new_tuple(vec![Value::Int(4), Value::Int(0), Value::Int(3)])).unwrap()
    );
    assert_eq!(err(&vm, &rg, "index", &[Value::Int(4)]), "ValueError('4 is not in range',)");
}

#[test]
fn dict_behaviour() {
    let vm = Vm::new(Default::default());
    let d = vm.new_dict();
    let dv = Value::Obj(d.clone());
    vm.dict_set(&d, vm.new_str("a"), Value::Int(1)).unwrap();
    vm.dict_set(&d, vm.new_str("b"), Value::Int(2)).unwrap();
    assert_eq!(r(&vm, &dv), "{'a': 1, 'b': 2}");
    assert_eq!(r(&vm, &m(&vm, &dv, "keys", &[])), "dict_keys(['a', 'b'])");
    assert_eq!(r(&vm, &m(&vm, &dv, "items", &[])), "dict_items([('a', 1), ('b', 2)])");
    assert_eq!(r(&vm, &m(&vm, &dv, "popitem", &[])), "('b', 2)");
    let bad = vm.new_list(vec![vm.new_tuple(vec![Value::Int(1), Value::Int(2), Value::Int(3)])]);
    assert_eq!(
        err(&vm, &dv, "update", &[bad]),
        "ValueError('dictionary update sequence element #0 has length 3; 2 is required',)"
    );
    m(&vm, &dv, "__setitem__", &[Value::Int(1), dv.clone()]);
    assert_eq!(r(&vm, &dv), "{'a': 1, 1: {...}}");
    // Size change during iteration.
    let it = vm.iter(&dv).unwrap();
    vm.next(&it).unwrap();
    vm.dict_set(&d, Value::Int(2), Value::None).unwrap();
    let e = vm.next(&it).unwrap_err();
    assert_eq!(exc(&vm, &e), "RuntimeError('dictionary changed size during iteration',)");
    let empty = Value::Obj(vm.new_dict());
    assert_eq!(err(&vm, &empty, "popitem", &[]), "KeyError('popitem(): dictionary is empty',)");
    let ks = m(&vm, &dv, "keys", &[]);
    let other = vm.new_set(vec![vm.new_str("a"), vm.new_str("zz")]).unwrap();
    let inter = vm.binary_op(&ks, &other, krait_compiler::bytecode::BinOp::And).unwrap();
    assert_eq!(r(&vm, &inter), "{'a'}");
}

#[test]
fn set_behaviour() {
    let vm = Vm::new(Default::default());
    let s = vm.new_set(vec![Value::Int(3), Value::Int(1), Value::Int(2)]).unwrap();
    assert_eq!(r(&vm, &s), "{1, 2, 3}");
    assert_eq!(r(&vm, &vm.new_set(vec![]).unwrap()), "set()");
    let f = vm.new_frozenset(vec![Value::Int(1), Value::Int(2)]).unwrap();
    assert_eq!(r(&vm, &f), "frozenset({1, 2})");
    assert_eq!(r(&vm, &vm.new_frozenset(vec![]).unwrap()), "frozenset()");
    let u = vm.binary_op(&s, &f, krait_compiler::bytecode::BinOp::Subtract).unwrap();
    assert_eq!(r(&vm, &u), "{3}");
    let x = vm.binary_op(&s, &f, krait_compiler::bytecode::BinOp::Xor).unwrap();
    assert_eq!(r(&vm, &x), "{3}");
    let ff = vm.binary_op(&f, &s, krait_compiler::bytecode::BinOp::Or).unwrap();
    assert_eq!(r(&vm, &ff), "frozenset({1, 2, 3})");
    assert!(vm.lt_bool(&f, &s).unwrap());
    assert_eq!(err(&vm, &vm.new_set(vec![]).unwrap(), "pop", &[]), "KeyError('pop from an empty set',)");
    // A set key is looked up as a frozenset.
    let outer = vm.new_set(vec![f.clone()]).unwrap();
    let probe = vm.new_set(vec![Value::Int(2), Value::Int(1)]).unwrap();
    assert!(vm.contains(&outer, &probe).unwrap());
    let it = vm.iter(&s).unwrap();
    vm.next(&it).unwrap();
    m(&vm, &s, "add", &[Value::Int(99)]);
    assert_eq!(exc(&vm, &vm.next(&it).unwrap_err()), "RuntimeError('Set changed size during iteration',)");
}

#[test]
fn iterators() {
    let vm = Vm::new(Default::default());
    let call = |t: &crate::PyRef, args: &[Value], kw: &[(&str, Value)]| -> Result<Value, String> {
        let mut all = args.to_vec();
        let mut names = Vec::new();
        for (k, v) in kw {
            all.push(v.clone());
            names.push(vm.new_str(*k));
        }
        vm.call(&Value::Obj(t.clone()), crate::Args::with_kw(&all, &names)).map_err(|e| exc(&vm, &e))
    };
    let l = ints(&vm, &[1, 2]);
    let l3 = ints(&vm, &[1, 2, 3]);
    let z = call(&vm.types.zip, &[l3.clone(), l.clone()], &[("strict", Value::Bool(true))]).unwrap();
    assert_eq!(
        exc(&vm, &vm.collect_iter(&z).unwrap_err()),
        "ValueError('zip() argument 2 is shorter than argument 1',)"
    );
    let e = call(&vm.types.enumerate, &[l.clone()], &[("start", Value::Int(5))]).unwrap();
    assert_eq!(r(&vm, &vm.new_list(vm.collect_iter(&e).unwrap())), "[(5, 1), (6, 2)]");
    assert_eq!(call(&vm.types.enumerate, &[], &[]).unwrap_err(), "TypeError(\"enumerate() missing required argument 'iterable'\",)");
    let rv = call(&vm.types.reversed, &[l3.clone()], &[]).unwrap();
    assert_eq!(vm.type_name_of(&rv), "list_reverseiterator");
    assert_eq!(r(&vm, &vm.new_list(vm.collect_iter(&rv).unwrap())), "[3, 2, 1]");
    assert_eq!(call(&vm.types.reversed, &[Value::Int(1)], &[]).unwrap_err(), "TypeError(\"'int' object is not reversible\",)");
    let f = call(&vm.types.filter, &[Value::None, ints(&vm, &[0, 1, 0, 2])], &[]).unwrap();
    assert_eq!(r(&vm, &vm.new_list(vm.collect_iter(&f).unwrap())), "[1, 2]");
}
