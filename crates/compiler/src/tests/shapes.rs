//! Code shapes: disassembly of small programs, scopes, flags, positions.

use super::*;
use crate::code::{flags, Constant};
use crate::dis::{dis_recursive, disassemble};

fn ops(co: &CodeObject) -> Vec<String> {
    co.code.iter().map(|i| i.op().name().to_string()).collect()
}

fn code_const<'a>(co: &'a CodeObject, name: &str) -> &'a CodeObject {
    co.consts
        .iter()
        .find_map(|c| match c {
            Constant::Code(c) if c.name == name => Some(&**c),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no code object {name}"))
}

#[test]
fn module_assignment_and_call() {
    let co = exec("x = 1\nprint(x)\n");
    assert_eq!(
        ops(&co),
        ["RESUME", "LOAD_CONST", "STORE_NAME", "LOAD_NAME", "PUSH_NULL", "LOAD_NAME", "CALL", "POP_TOP", "LOAD_CONST", "RETURN_VALUE"]
    );
    let text = disassemble(&co);
    assert!(text.contains("LOAD_CONST               0 (1)"), "{text}");
}

#[test]
fn function_locals_globals_and_method_calls() {
    let co = exec("def f(a, *args, b=2, **kw):\n    c = a.m(1, k=2)\n    return g(c)\n");
    let f = code_const(&co, "f");
    assert_eq!(f.argcount, 1);
    assert_eq!(f.kwonlyargcount, 1);
    assert_eq!(f.flags & (flags::VARARGS | flags::VARKEYWORDS), flags::VARARGS | flags::VARKEYWORDS);
    assert_eq!(f.varnames, ["a", "b", "args", "kw", "c"]);
    let text = disassemble(f);
    assert!(text.contains("LOAD_METHOD"), "{text}");
    assert!(text.contains("KW_NAMES"), "{text}");
    assert!(text.contains("LOAD_GLOBAL              3 (g + NULL)"), "{text}");
    let m = disassemble(&co);
    assert!(m.contains("MAKE_FUNCTION            2 (kwdefaults)"), "{m}");
}

#[test]
fn closures_cells_and_qualnames() {
    let co = exec("def outer(x):\n    def inner():\n        return x\n    return inner\n");
    let outer = code_const(&co, "outer");
    assert_eq!(outer.cellvars, ["x"]);
    assert_eq!(outer.cell2arg, [Some(0)]);
    let inner = code_const(outer, "inner");
    assert_eq!(inner.freevars, ["x"]);
    assert_eq!(inner.qualname, "outer.<locals>.inner");
    let text = disassemble(outer);
    assert!(text.contains("LOAD_CLOSURE"), "{text}");
    assert!(text.contains("MAKE_FUNCTION            8 (closure)"), "{text}");
}

#[test]
fn class_body_and_class_cell() {
    let co = exec("class C(B, metaclass=M):\n    'doc'\n    def m(self):\n        return super().m()\n");
    let c = code_const(&co, "C");
    assert_eq!(c.cellvars, ["__class__"]);
    assert_eq!(c.docstring.as_deref(), Some("doc"));
    let text = disassemble(c);
    assert!(text.contains("STORE_NAME               2 (__classcell__)") || text.contains("(__classcell__)"), "{text}");
    let m = code_const(c, "m");
    assert_eq!(m.freevars, ["__class__"]);
    assert_eq!(m.qualname, "C.m");
    let top = disassemble(&co);
    assert!(top.contains("LOAD_BUILD_CLASS"), "{top}");
    assert!(top.contains("KW_NAMES"), "{top}");
}

#[test]
fn class_private_names_are_mangled() {
    let co = exec("class C:\n    __x = 1\n    def f(self):\n        return self.__y\n");
    let c = code_const(&co, "C");
    assert!(c.names.contains(&"_C__x".to_string()));
    let f = code_const(c, "f");
    assert!(f.names.contains(&"_C__y".to_string()));
}

#[test]
fn comprehensions_are_functions() {
    let co = exec("def f(y):\n    return [x * y for x in range(3) if x]\n");
    let f = code_const(&co, "f");
    let lc = code_const(f, "<listcomp>");
    assert_eq!(lc.qualname, "f.<locals>.<listcomp>");
    assert_eq!(lc.argcount, 1);
    assert_eq!(lc.varnames[0], ".0");
    assert_eq!(lc.freevars, ["y"]);
    assert!(ops(lc).contains(&"LIST_APPEND".to_string()));
    assert!(dis_recursive(&co).contains("Disassembly of <code object <listcomp>"));
    let g = exec("g = (x for x in y)\n");
    let ge = code_const(&g, "<genexpr>");
    assert!(ge.flags & flags::GENERATOR != 0);
}

#[test]
fn walrus_in_comprehension_binds_in_function() {
    let co = exec("def f():\n    [(last := x) for x in range(3)]\n    return last\n");
    let f = code_const(&co, "f");
    assert_eq!(f.cellvars, ["last"]);
    let lc = code_const(f, "<listcomp>");
    assert_eq!(lc.freevars, ["last"]);
}

#[test]
fn generators_and_coroutines() {
    let co = exec("def g():\n    yield 1\n    yield from h()\nasync def c():\n    await x\nasync def ag():\n    yield 1\n");
    let g = code_const(&co, "g");
    assert!(g.is_generator());
    assert!(ops(g).contains(&"SEND".to_string()));
    let c = code_const(&co, "c");
    assert!(c.is_coroutine());
    assert!(ops(c).contains(&"GET_AWAITABLE".to_string()));
    let ag = code_const(&co, "ag");
    assert!(ag.is_async_generator());
    assert!(ops(ag).contains(&"ASYNC_GEN_WRAP".to_string()));
}

#[test]
fn try_except_finally_shapes_have_exception_tables() {
    let co = exec("try:\n    f()\nexcept ValueError as e:\n    g(e)\nelse:\n    h()\nfinally:\n    k()\n");
    assert!(!co.exception_table.is_empty());
    let names = ops(&co);
    for op in ["PUSH_EXC_INFO", "CHECK_EXC_MATCH", "POP_EXCEPT", "RERAISE", "DELETE_NAME"] {
        assert!(names.contains(&op.to_string()), "{op} missing:\n{}", disassemble(&co));
    }
    // Handlers start at depth + lasti + 1; the stack size covers them.
    for e in &co.exception_table {
        assert!(e.depth + e.lasti as u32 + 1 <= co.stacksize);
        assert!(e.start < e.end && (e.handler as usize) < co.code.len());
    }
}

#[test]
fn with_and_except_star() {
    let co = exec("with a as b, c:\n    pass\ntry:\n    pass\nexcept* E as eg:\n    pass\n");
    let names = ops(&co);
    for op in ["BEFORE_WITH", "WITH_EXCEPT_START", "CHECK_EG_MATCH", "PREP_RERAISE_STAR"] {
        assert!(names.contains(&op.to_string()), "{op} missing:\n{}", disassemble(&co));
    }
}

#[test]
fn return_through_finally_and_loops() {
    let co = exec("def f():\n    for x in y:\n        try:\n            if x:\n                break\n            continue\n        finally:\n            g()\n    while True:\n        with m:\n            return 1\n");
    let f = code_const(&co, "f");
    assert!(f.stacksize >= 3);
}

#[test]
fn match_statement_shapes() {
    let src = "match p:\n    case [1, *rest]:\n        pass\n    case {'k': v, **kw}:\n        pass\n    case Point(x=0, y=yy) | Point(y=yy, x=1):\n        pass\n    case str() as s if s:\n        pass\n    case _:\n        pass\n";
    let co = exec(src);
    let names = ops(&co);
    for op in ["MATCH_SEQUENCE", "UNPACK_EX", "MATCH_MAPPING", "MATCH_KEYS", "MATCH_CLASS", "GET_LEN"] {
        assert!(names.contains(&op.to_string()), "{op} missing:\n{}", disassemble(&co));
    }
}

#[test]
fn fstrings_and_constants() {
    let co = exec("s = f'{a!r:>{w}} and {b=}'\nt = (1, 2.0, -3, 'x', None)\nz = -0.0\n");
    let text = disassemble(&co);
    assert!(text.contains("FORMAT_VALUE"), "{text}");
    assert!(text.contains("BUILD_STRING"), "{text}");
    assert!(co.consts.contains(&Constant::Tuple(vec![
        Constant::Int(1.into()),
        Constant::Float(2.0),
        Constant::Int((-3).into()),
        Constant::Str("x".into()),
        Constant::None
    ])));
    assert!(co.consts.iter().any(|c| matches!(c, Constant::Float(f) if *f == 0.0 && f.is_sign_negative())));
}

#[test]
fn constants_keep_types_distinct() {
    let co = exec("a = 0\nb = 0.0\nc = False\nd = -0.0\n");
    assert_eq!(co.consts.len(), 5); // 0, 0.0, False, -0.0, None
}

#[test]
fn imports() {
    let co = exec("import a.b.c\nimport a.b as c\nfrom . import x\nfrom m import *\n");
    let text = disassemble(&co);
    assert!(text.contains("IMPORT_NAME"), "{text}");
    assert!(text.contains("IMPORT_FROM"), "{text}");
    assert!(text.contains("IMPORT_STAR"), "{text}");
}

#[test]
fn annotations() {
    let co = exec("x: int = 1\ndef f(a: int) -> str: pass\n");
    assert!(ops(&co).contains(&"SETUP_ANNOTATIONS".to_string()));
    let co = exec("from __future__ import annotations\nx: List[int]\n");
    assert!(co.consts.contains(&Constant::Str("List[int]".into())));
}

#[test]
fn eval_and_single_modes() {
    let co = compile("1 + 2", "<e>", Mode::Eval).unwrap();
    assert_eq!(ops(&co).last().map(|s| s.as_str()), Some("RETURN_VALUE"));
    let co = compile("x\n", "<s>", Mode::Single).unwrap();
    assert!(ops(&co).contains(&"PRINT_EXPR".to_string()));
}

#[test]
fn positions_and_firstlineno() {
    let co = exec("@dec\n\ndef f():\n    return (a +\n            b)\n");
    let f = code_const(&co, "f");
    assert_eq!(f.firstlineno, 1);
    let i = f.code.iter().position(|i| i.op().name() == "BINARY_OP").unwrap();
    let p = f.positions[i];
    assert_eq!((p.line, p.end_line, p.col, p.end_col), (4, 5, 12, 13));
    assert_eq!(f.positions.len(), f.code.len());
}

#[test]
fn every_construct_compiles() {
    let src = r#"
import os, sys as s
from os.path import join as j, split
x = y = 1
a, *b, c = range(5)
[d, (e, f)] = 1, (2, 3)
x += 1; o.a += 1; o[1] *= 2; o[1:2] += [3]
del x, o.a, o[1], o[1:2]
t: int
o.b: int = 2
def gen(a, /, b, *, c=3, **k):
    global G
    G = lambda q=1, *r, **s: (q, r, s)
    nonlocal_var = 0
    def inner():
        nonlocal nonlocal_var
        nonlocal_var += 1
        yield nonlocal_var
    return {k: v for k, v in k.items()}, {z for z in b}, (w async for w in c) if False else None
async def co():
    async with a as b:
        async for i in b:
            await i
    return [await z async for z in y]
class K(Base, *bases, **kw):
    attr = 1
    def m(self): return __class__
    @staticmethod
    def s(): pass
while x < 10 and not y or z:
    if x: break
    elif y: continue
    else: pass
else:
    pass
for i in range(3):
    pass
else:
    pass
try:
    raise ValueError("x") from None
except (TypeError, ValueError) as err:
    pass
except Exception:
    raise
else:
    pass
finally:
    pass
assert x, "msg"
with open(f) as fh, open(g):
    pass
print(*args, sep="", **kwargs)
f(a)(b)[c].d
s = f"{x!r} {y:{w}.{p}} {z=}" "tail"
n = 1 if x else 2
c = 1 < x <= 3 != y
s = {1, 2, *o}; l = [1, *o]; t = (1, *o); dd = {**a, 'b': 1, **c}
sl = o[1:2, ::3, ...]
w = (v := 10)
match command.split():
    case [action]:
        pass
    case [action, obj]:
        pass
    case Point(x=0, y=0) | {"x": 0} | [1, 2, *_] | None | "s" | -1 | 1+2j | Color.RED:
        pass
    case _ if x:
        pass
"#;
    exec(src);
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    big_stack(|| {
        let e = err(&format!("x = {}1{}", "(".repeat(250), ")".repeat(250)));
        assert_eq!(e.msg, "too many nested parentheses");
        let e = compile(&format!("x = {}1", "-".repeat(5000)), "<t>", Mode::Exec).unwrap_err();
        assert_eq!(e.kind, crate::ErrorKind::RecursionError);
        assert!(compile(&format!("x = {}1", "1+".repeat(1000)), "<t>", Mode::Exec).is_ok());
        let e = compile(&format!("x = {}1", "1+".repeat(5000)), "<t>", Mode::Exec).unwrap_err();
        assert_eq!(e.msg, "maximum recursion depth exceeded during compilation");
    });
}

#[test]
fn scope_errors() {
    assert_eq!(err("def f():\n    nonlocal x\n").msg, "no binding for nonlocal 'x' found");
    assert_eq!(err("nonlocal x\n").msg, "nonlocal declaration not allowed at module level");
    assert_eq!(err("def f(x):\n    global x\n").msg, "name 'x' is parameter and global");
    assert_eq!(err("def f():\n    x = 1\n    global x\n").msg, "name 'x' is assigned to before global declaration");
    assert_eq!(err("def f():\n    print(x)\n    global x\n").msg, "name 'x' is used prior to global declaration");
    assert_eq!(err("[i := 0 for i in range(3)]").msg, "assignment expression cannot rebind comprehension iteration variable 'i'");
    assert_eq!(err("[x for x in (y := [1])]").msg, "assignment expression cannot be used in a comprehension iterable expression");
    assert_eq!(err("class C:\n    [(y := 1) for x in z]\n").msg, "assignment expression within a comprehension cannot be used in a class body");
    assert_eq!(err("def f():\n    [x async for x in y]\n").msg, "asynchronous comprehension outside of an asynchronous function");
    assert_eq!(err("return 1").msg, "'return' outside function");
    assert_eq!(err("async def f():\n    yield 1\n    return 2\n").msg, "'return' with value in async generator");
    assert_eq!(err("def f():\n    await x\n").msg, "'await' outside async function");
    assert_eq!(err("yield 1").msg, "'yield' outside function");
    assert_eq!(err("for x in y:\n    try:\n        pass\n    except* E:\n        break\n").msg, "'break', 'continue' and 'return' cannot appear in an except* block");
    assert_eq!(err("match x:\n    case [b] | a:\n        pass\n").msg, "alternative patterns bind different names");
    assert_eq!(err("match x:\n    case a:\n        pass\n    case b:\n        pass\n").msg, "name capture 'a' makes remaining patterns unreachable");
    assert_eq!(err("match x:\n    case [a, a]:\n        pass\n").msg, "multiple assignments to name 'a' in pattern");
}
