# The ast module: parse/dump with positions, literal_eval, unparse, visitors,
# and compiling trees (also ones edited by a NodeTransformer).
import ast

SNIPPETS = [
    "x = 1 + 2",
    "a, *b = c = d",
    "x += 1; y //= 2; z @= m",
    "x: int = 5\n(y): str\nz.a: list[int]",
    "del a.b, c[0], d",
    "if a:\n  pass\nelif b:\n  pass\nelse:\n  pass",
    "while x:\n    break\nelse:\n    continue",
    "for i, j in enumerate(y):\n    print(i)\nelse:\n    pass",
    "@d\n@e(1)\nasync def f(a, /, b=1, *c, d, e=2, **k) -> int:\n  pass",
    "def g(*, a, b=3): yield a; yield from b",
    "class C(B, metaclass=M):\n  '''doc'''\n  x: int = 1\n  def m(self): return super().m()",
    "@dec\n\n# comment\nclass D: pass",
    "f(x for x in y)",
    "f((x for x in y))",
    "f(a, *b, c=1, **d)",
    "import a.b as c, d\nfrom . import (x as y)\nfrom ..m import *\nfrom os.path import join",
    "with a as b, c: pass\nwith (open(f) as g): pass",
    "try:\n  pass\nexcept E as e:\n  pass\nexcept (A, B):\n  raise\nelse:\n  x = 1\nfinally:\n  pass",
    "try:\n  pass\nexcept* ValueError as eg:\n  raise X from eg",
    "match x:\n  case [1, *r] | {'k': [*r]} if r: pass\n  case C(1, a=b) as z: pass\n  case None | True | False: pass\n  case -1 | 1+2j | 'a' 'b' | b'c': pass\n  case {1: _, **rest}: pass\n  case a.b.c: pass\n  case (x, y, *_): pass\n  case _: pass",
    "lambda a, *, b=2: a",
    "lambda: 0",
    "lambda *a, **k: (a, k)",
    "x[1:2, ::3]",
    "x[a:b], x[::], x[1], x[1,], x[...]",
    "(a) = 1",
    "x = (yield)",
    "a < b <= c != d is e is not f in g not in h",
    "not a and b or c",
    "-a + ~b * +c ** d / e % f << g >> h | i ^ j & k // l @ m",
    "a if b else c",
    "(y := 10)",
    "[x for x in y if x if not x]",
    "{x: y for x, y in z}",
    "{x for x in y}",
    "[*a, *b]; {**a, 'b': 1}; {1, 2}; (); (1,); []",
    "f'a{x!r:>{w}} b' 'c'",
    "x = f'{a}' f'{b=}'",
    "u'x' 'y'",
    "'a' f'{b:x}'",
    "f''",
    "f'{x:}'",
    "f'{ x = }'",
    "f'{x=:>4}'",
    "f'{x=!s}'",
    "f'{x!a}{y:{z}.{w}}'",
    "b'a' b'c'",
    "1e10j; 0xff; 1_000; 0o17; 0b101; 1.5e-3; 10**100; 123456789012345678901234567890",
    "...; None; True; False",
    "async def f():\n  async for a in b: pass\n  async with c: pass\n  await d\n  [x async for x in e]",
    "global a, b\nnonlocal c",
    "assert x, 'msg'",
    "return\nreturn 1, 2",
    "raise\nraise E\nraise E from None",
    "print('héllo', 'ü')  # é\nx = 'ü' + y",
    "x = 1 \\\n  + 2",
    "a = (1,\n     2)\nb = [\n  3,\n]",
    "'''doc\nstring'''\nx = 1",
    "def f():\n    '''doc'''\n    return 1",
    "a.b.c.d = e[f][g]",
    "f(*args)(**kw)[0].x",
    "if (n := len(a)) > 10: pass",
]


def show(src):
    print("==", repr(src))
    tree = ast.parse(src)
    print(ast.dump(tree, include_attributes=True))
    try:
        code = compile(tree, "<ast>", "exec")
        print(type(code).__name__)
    except SyntaxError as e:
        print("SyntaxError:", e.msg, e.lineno)


for s in SNIPPETS:
    show(s)

# eval and single modes
print(ast.dump(ast.parse("1 + x", mode="eval"), include_attributes=True))
print(ast.dump(ast.parse("x = 1", mode="single")))
print(eval(compile(ast.parse("1 + 2 * 3", mode="eval"), "<ast>", "eval")))
print(ast.dump(compile("a + b", "<s>", "eval", ast.PyCF_ONLY_AST)))

# literal_eval
for s in ["1", "-2.5", "1+2j", "[1, (2, 3), {'a': {4}}]", "b'x'", "None", "{'a': -1}", "set()"]:
    print(repr(ast.literal_eval(s)))
for bad in ["f(1)", "a + b", "[x for x in y]"]:
    try:
        ast.literal_eval(bad)
    except ValueError as e:
        print("ValueError:", str(e).split(" at 0x")[0])

# unparse
for s in SNIPPETS[:40]:
    print(ast.unparse(ast.parse(s)))

# classes and constructors
print(ast.Name._fields, ast.Name._attributes, ast.Name.__match_args__)
print(ast.expr._fields, ast.AST._fields, ast.arguments._attributes)
print(ast.Constant.kind, ast.expr.end_lineno, ast.arguments.vararg)
n = ast.Name("x", ast.Load(), lineno=3)
print(n.id, type(n.ctx).__name__, n.lineno, hasattr(n, "col_offset"), n.end_lineno)
print(ast.dump(ast.Constant(1)), ast.dump(ast.BinOp(left=ast.Constant(1))))
for args in [(1, 2, 3), ()]:
    try:
        ast.Name(*args)
        print("ok")
    except TypeError as e:
        print("TypeError:", e)
try:
    ast.Pass(1)
except TypeError as e:
    print("TypeError:", e)
print(ast.Constant(1).__reduce__()[0].__name__, ast.AST().__reduce__()[1:])
print(isinstance(ast.Add(), ast.operator), issubclass(ast.FunctionDef, ast.stmt), ast.Load.__mro__)
print(ast.parse("x").body[0].value.ctx is ast.parse("y").body[0].value.ctx)
print(ast.PyCF_ONLY_AST, ast.PyCF_TYPE_COMMENTS, ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
print(ast.Module.__module__, repr(ast.AST.__doc__) , ast.BinOp.__doc__)
match ast.parse("f(1)").body[0].value:
    case ast.Call(ast.Name(id), [ast.Constant(v)]):
        print("matched", id, v)
import copy
t = ast.parse("a = [1, 2]")
print(ast.dump(copy.deepcopy(t)) == ast.dump(t))

# walk, visitors, transformers
tree = ast.parse("def f(x):\n    return x * 2 + y\nprint(f(20))")
print(sorted(type(n).__name__ for n in ast.walk(tree)))


class Names(ast.NodeVisitor):
    def visit_Name(self, node):
        print("name", node.id, node.lineno, node.col_offset)


Names().visit(tree)


class Double(ast.NodeTransformer):
    def visit_Constant(self, node):
        if isinstance(node.value, int):
            return ast.copy_location(ast.Constant(node.value * 10), node)
        return node


t2 = Double().visit(tree)
exec(compile(t2, "<ast>", "exec"), {"y": 1})


class AddPrint(ast.NodeTransformer):
    def visit_FunctionDef(self, node):
        node.body.insert(0, ast.Expr(ast.Call(ast.Name("print", ast.Load()), [ast.Constant("enter " + node.name)], [])))
        return node


t3 = ast.fix_missing_locations(AddPrint().visit(ast.parse("def g(a):\n    return a\nprint(g(5))")))
exec(compile(t3, "<ast>", "exec"))
print(t3.body[0].body[0].lineno, t3.body[0].body[0].value.col_offset)
t4 = ast.parse("x = 1\ny = 2")
ast.increment_lineno(t4, 5)
print([n.lineno for n in ast.walk(t4) if hasattr(n, "lineno")])
print(ast.get_docstring(ast.parse("'''  Doc\n   more'''\nx")), ast.get_docstring(ast.parse("def f():\n  'd'").body[0]))
print(ast.get_source_segment("x = a + b", ast.parse("x = a + b").body[0].value))

# a tree built by hand
m = ast.Module(body=[ast.Expr(ast.Call(ast.Name("print", ast.Load()), [ast.JoinedStr([ast.Constant("v="), ast.FormattedValue(ast.Constant(42), 114, None)])], []))], type_ignores=[])
exec(compile(ast.fix_missing_locations(m), "<hand>", "exec"))

# errors
for bad in [ast.Module(body=[ast.Expr(ast.Load())], type_ignores=[]), ast.Module(body=[ast.Pass()], type_ignores=[]),
            ast.Module(body=1, type_ignores=[]), ast.Module(type_ignores=[]), ast.Expression(body=ast.Name("x", ast.Load()))]:
    try:
        compile(bad, "<bad>", "exec")
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
try:
    compile(ast.fix_missing_locations(ast.Module([ast.Expr(ast.Constant([1]))], [])), "<bad>", "exec")
except TypeError as e:
    print("TypeError", e)
try:
    ast.parse("x = = 1")
except SyntaxError as e:
    print("SyntaxError", e.msg, e.lineno)

# line numbers survive compiling a tree
src = "def f():\n\n    return 1 / 0\nf()"
try:
    exec(compile(ast.parse(src), "<ast>", "exec"))
except ZeroDivisionError as e:
    tb = e.__traceback__
    while tb.tb_next:
        tb = tb.tb_next
    print("line", tb.tb_lineno, tb.tb_frame.f_code.co_firstlineno)
