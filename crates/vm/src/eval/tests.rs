//! End-to-end tests of the eval loop: compile source with krait's compiler,
//! run it as a module, and inspect the globals it leaves behind.

use crate::value::Value;
use crate::{PyRef, Vm};

fn run(src: &str) -> (Box<Vm>, PyRef, Result<Value, PyRef>) {
    let vm = Vm::new(Default::default());
    let code = krait_compiler::compile(src, "<test>", krait_compiler::Mode::Exec).expect("compiles");
    let code = vm.load_code(code);
    let globals = vm.new_dict();
    vm.dict_set_str(&globals, &vm.intern("__name__"), vm.new_str("__main__"));
    let r = vm.run_module_code(&code, &globals);
    (vm, globals, r)
}

fn get(vm: &Vm, g: &PyRef, name: &str) -> Value {
    vm.dict_get_str(g, &vm.intern(name)).unwrap_or_else(|| panic!("{name} not set"))
}

fn int(vm: &Vm, g: &PyRef, name: &str) -> i64 {
    match get(vm, g, name) {
        Value::Int(i) => i,
        v => panic!("{name} = {v:?}"),
    }
}

fn text(vm: &Vm, g: &PyRef, name: &str) -> String {
    let v = get(vm, g, name);
    vm.as_str(&v).unwrap_or_else(|| panic!("{name} not a str: {v:?}")).to_string()
}

fn ok(src: &str) -> (Box<Vm>, PyRef) {
    let (vm, g, r) = run(src);
    if let Err(e) = r {
        let msg = vm.repr_string(&Value::Obj(e.clone())).unwrap_or_default();
        panic!("raised {} {msg}", vm.type_name(e.class()));
    }
    (vm, g)
}

/// Runs `src`, which must raise; returns "Type: message".
fn err(src: &str) -> String {
    let (vm, _g, r) = run(src);
    let e = r.err().expect("should raise");
    let args = e.payload.as_exception().and_then(|d| d.args.get()).unwrap();
    let first = args.payload().and_then(|p| p.as_tuple()).and_then(|t| t.first().cloned());
    let msg = first.and_then(|m| vm.as_str(&m).map(String::from)).unwrap_or_default();
    format!("{}: {}", vm.type_name(e.class()), msg)
}

#[test]
fn arithmetic_and_functions() {
    let (vm, g) = ok("def fib(n):\n    if n < 2:\n        return n\n    return fib(n-1) + fib(n-2)\nx = fib(20)\n");
    assert_eq!(int(&vm, &g, "x"), 6765);
}

#[test]
fn deep_recursion_raises_recursion_error() {
    assert_eq!(err("def f(n):\n    return f(n+1)\nf(0)\n"), "RecursionError: maximum recursion depth exceeded");
}

#[test]
fn closures_and_cells() {
    let (vm, g) = ok(
        "def outer(a):\n    def inner(b):\n        return a + b\n    return inner\nx = outer(10)(5)\n\
         def counter():\n    n = 0\n    def inc():\n        nonlocal n\n        n += 1\n        return n\n    return inc\n\
         c = counter(); c(); y = c()\n",
    );
    assert_eq!(int(&vm, &g, "x"), 15);
    assert_eq!(int(&vm, &g, "y"), 2);
}

#[test]
fn argument_binding() {
    let (vm, g) = ok(
        "def f(a, b=2, *args, c, d=4, **kw):\n    return a + b + len(args) * 100 + c + d + len(kw) * 1000\n\
         x = f(1, c=3)\ny = f(1, 2, 3, 4, c=3, z=1)\n",
    );
    assert_eq!(int(&vm, &g, "x"), 10);
    assert_eq!(int(&vm, &g, "y"), 1210);
    assert_eq!(err("def f(a, b): pass\nf()"), "TypeError: f() missing 2 required positional arguments: 'a' and 'b'");
    assert_eq!(err("def f(a, b=1): pass\nf(1,2,3)"), "TypeError: f() takes from 1 to 2 positional arguments but 3 were given");
    assert_eq!(err("def f(a): pass\nf(1, z=2)"), "TypeError: f() got an unexpected keyword argument 'z'");
    assert_eq!(err("def f(a): pass\nf(1, a=2)"), "TypeError: f() got multiple values for argument 'a'");
    assert_eq!(
        err("def f(a, /): pass\nf(a=1)"),
        "TypeError: f() got some positional-only arguments passed as keyword arguments: 'a'"
    );
    assert_eq!(err("def f(*, k): pass\nf()"), "TypeError: f() missing 1 required keyword-only argument: 'k'");
    assert_eq!(err("def z(): pass\nz(1)"), "TypeError: z() takes 0 positional arguments but 1 was given");
}

#[test]
fn try_except_finally() {
    let (vm, g) = ok(
        "r = []\ntry:\n    1/0\nexcept ZeroDivisionError as e:\n    r.append(1)\nfinally:\n    r.append(2)\n\
         def f():\n    try:\n        return 1\n    finally:\n        r.append(3)\nf()\nn = len(r)\n\
         try:\n    try:\n        raise KeyError('k')\n    except KeyError:\n        raise ValueError('v')\nexcept ValueError as e:\n    ctx = type(e.__context__).__name__\n",
    );
    assert_eq!(int(&vm, &g, "n"), 3);
    assert_eq!(text(&vm, &g, "ctx"), "KeyError");
    assert_eq!(err("raise"), "RuntimeError: No active exception to reraise");
    assert_eq!(err("raise 1"), "TypeError: exceptions must derive from BaseException");
    assert_eq!(
        err("try:\n 1/0\nexcept 1: pass"),
        "TypeError: catching classes that do not inherit from BaseException is not allowed"
    );
}

#[test]
fn generators() {
    let (vm, g) = ok(
        "def gen(n):\n    for i in range(n):\n        x = yield i\n    return 7\n\
         s = 0\nfor v in gen(5):\n    s += v\n\
         def deleg():\n    r = yield from gen(2)\n    yield r\n\
         t = 0\nfor v in deleg():\n    t += v\n",
    );
    assert_eq!(int(&vm, &g, "s"), 10);
    assert_eq!(int(&vm, &g, "t"), 8);
    assert_eq!(
        err("def g():\n    yield 1\nx = g()\nx.send(2)"),
        "TypeError: can't send non-None value to a just-started generator"
    );
    assert_eq!(err("def g():\n    raise StopIteration\n    yield\nnext(g())"), "RuntimeError: generator raised StopIteration");
}

#[test]
fn with_statement_and_classes() {
    let (vm, g) = ok(
        "log = []\nclass CM:\n    def __enter__(self):\n        log.append('in')\n        return 5\n    def __exit__(self, t, v, tb):\n        log.append('out')\n        return True\n\
         with CM() as v:\n    raise ValueError\nn = len(log) + v\n\
         class A:\n    def m(self):\n        return 1\nclass B(A):\n    def m(self):\n        return super().m() + 1\nb = B().m()\n",
    );
    assert_eq!(int(&vm, &g, "n"), 7);
    assert_eq!(int(&vm, &g, "b"), 2);
    assert_eq!(err("with 1: pass"), "TypeError: 'int' object does not support the context manager protocol");
}

#[test]
fn unpacking() {
    let (vm, g) = ok("a, *b, c = [1, 2, 3, 4]\nn = a + len(b) + c\n");
    assert_eq!(int(&vm, &g, "n"), 7);
    assert_eq!(err("a, b = 1"), "TypeError: cannot unpack non-iterable int object");
    assert_eq!(err("a, b = [1]"), "ValueError: not enough values to unpack (expected 2, got 1)");
    assert_eq!(err("a, b = [1, 2, 3]"), "ValueError: too many values to unpack (expected 2)");
    assert_eq!(err("x"), "NameError: name 'x' is not defined");
    assert_eq!(
        err("def f():\n    x\n    x = 1\nf()"),
        "UnboundLocalError: cannot access local variable 'x' where it is not associated with a value"
    );
}
