"""Generates src/tests/syntax_cases.rs: CPython 3.11's verdict (compiles, or the
SyntaxError's class, message and location) for source snippets: the ones below
plus every string the conformance corpus passes to compile()/exec()/eval().

Run: python3 crates/compiler/tools/gen_syntax_cases.py /work/shared/conformance > crates/compiler/src/tests/syntax_cases.rs
"""
import builtins, glob, io, os, runpy, sys, contextlib, signal

SNIPPETS = [
    ("f(", "exec"), ("f(a b)", "exec"), ("x = (1, 2", "exec"), ("x = 1)", "exec"), ("x = [1, 2)", "exec"),
    ("x = [1,\n 2)", "exec"), ("if x\n  pass", "exec"), ("def f()\n  pass", "exec"), ("class C\n  pass", "exec"),
    ("while x\n  pass", "exec"), ("for x in y\n  pass", "exec"), ("  x = 1", "exec"), ("if x:\npass", "exec"),
    ("def f():\nreturn 1", "exec"), ("for x in y:\nbreak", "exec"), ("if x:\n    a\n  b", "exec"),
    ("x = 1 +", "exec"), ("print 'hello'", "exec"), ("1 = x", "exec"), ("f() = 1", "exec"), ("x + 1 = 2", "exec"),
    ("if x = 1:\n  pass", "exec"), ("x = 'abc", "exec"), ('x = """abc\n\n', "exec"), ("return 1", "exec"),
    ("break", "exec"), ("continue", "exec"), ("yield 1", "exec"), ("await x", "exec"), ("def f():\n  await x", "exec"),
    ("async def f():\n  yield 1\n  return 2", "exec"), ("nonlocal x", "exec"), ("def f():\n  nonlocal x", "exec"),
    ("def f(x):\n  global x", "exec"), ("def f(x):\n  nonlocal x", "exec"), ("def f():\n  x = 1\n  global x", "exec"),
    ("def f():\n  print(x)\n  global x", "exec"), ("def f(a, a): pass", "exec"), ("*a = 1", "exec"),
    ("*a, *b = c", "exec"), ("del f()", "exec"), ("del 1", "exec"), ("f(x=1, x=2)", "exec"), ("f(x=1, 2)", "exec"),
    ("f(**a, *b)", "exec"), ("from __future__ import braces", "exec"), ("from __future__ import nope", "exec"),
    ("x = 1\nfrom __future__ import annotations", "exec"), ("def f():\n  from os import *", "exec"),
    ("try:\n  pass\nexcept:\n  pass\nexcept ValueError:\n  pass", "exec"),
    ("try:\n  pass\nexcept ValueError:\n  pass\nexcept* TypeError:\n  pass", "exec"),
    ("try:\n  pass\nexcept* ValueError:\n  break", "exec"),
    ("for x in y:\n  try:\n    pass\n  except* ValueError:\n    break", "exec"),
    ("def f():\n  try:\n    pass\n  except* ValueError:\n    return", "exec"),
    ("match x:\n  case a:\n    pass\n  case b:\n    pass", "exec"),
    ("match x:\n  case _:\n    pass\n  case b:\n    pass", "exec"),
    ("match x:\n  case [a, a]:\n    pass", "exec"), ("match x:\n  case a | [b]:\n    pass", "exec"),
    ("match x:\n  case {1: a, 1: b}:\n    pass", "exec"),
    ("[x for x in (y := [1])]", "exec"), ("[i := 0 for i in range(3)]", "exec"),
    ("class C:\n  [(y := 1) for x in z]", "exec"), ("def f():\n  [x async for x in y]", "exec"),
    ("type X = int", "exec"), ("def f[T](): pass", "exec"), ("class C[T]: pass", "exec"),
    ("f'{x!z}'", "exec"), ("f'{'", "exec"), ("f'}'", "exec"), ("f'{a['b']}'", "exec"),
    ("x = (" * 201 + ")" * 201, "exec"), ("a, b += 1", "exec"), ("(a, b): int", "exec"), ("lambda: (yield)", "exec"),
    ("def f():\n  x: int\n  global x", "exec"), ("x := 5", "exec"), ("def f(*): pass", "exec"),
    ("def f(x=1, y): pass", "exec"), ("import", "exec"), ("from x import", "exec"), ("a b", "exec"),
    ("x = 1 2", "exec"), ("if True:\n\tx = 1\n        y = 2", "exec"), ("1 +", "eval"), ("x = 1", "eval"),
    ("print(1)\nprint(2)", "single"), ("None = 1", "exec"), ("True = 1", "exec"), ("__debug__ = 1", "exec"),
    ("f(a for a in b, c)", "exec"), ("x = yield = 1", "exec"), ("def f():\n  x = yield = 1", "exec"),
    ("[*a] = 1, 2", "exec"), ("a[*b] = 1", "exec"), ("print(*a)", "exec"), ("*a", "exec"), ("x = *a", "exec"),
    ("del (a, b), [c]", "exec"), ("del *a", "exec"), ("with a as 1: pass", "exec"), ("for 1 in x: pass", "exec"),
    ("else = 1", "exec"), ("x = 0777", "exec"), ("x = 1__0", "exec"), ("x = 1e", "exec"), ("x = $", "exec"),
    ("x = 'a' 'b' f'{c'", "exec"), ("a.b: int = 1", "exec"), ("@x\nclass C: pass", "exec"),
    ("assert (a, b)", "exec"), ("if x:\n  pass\n else:\n  pass", "exec"), ("def f():\n  class C:\n    nonlocal x", "exec"),
    ("class C:\n  def f(self):\n    super().f()", "exec"), ("x = {**a, 'b': 1}", "exec"), ("f(**a, b=1, **c)", "exec"),
    ("async def f():\n  yield from x", "exec"), ("def f():\n  yield from x\n  return 1", "exec"),
    ("async def f():\n  [await x for x in y]", "exec"), ("def f():\n  (await x for x in y)", "exec"),
    ("def f():\n  async with x: pass", "exec"), ("def f():\n  async for x in y: pass", "exec"),
    ("async def f():\n  async with x as y, z: pass", "exec"), ("x = [i for i in range(3) if (j := i)]", "exec"),
]

cases = []  # (src, mode, verdict)

def record(src, mode):
    if isinstance(src, bytes):
        try:
            src = src.decode()
        except Exception:
            return
    if not isinstance(src, str):
        return
    try:
        real_compile(src, "<case>", mode, dont_inherit=True)
        cases.append((src, mode, None))
    except SyntaxError as e:
        cases.append((src, mode, (type(e).__name__, e.msg, e.lineno or 0, e.offset or 0, e.end_lineno or 0, e.end_offset or 0)))
    except Exception:
        pass

real_compile = builtins.compile
real_exec = builtins.exec
real_eval = builtins.eval

def my_compile(src, filename="<string>", mode="exec", *a, **k):
    if isinstance(src, (str, bytes)) and not k.get("flags") and not a:
        record(src, mode)
    return real_compile(src, filename, mode, *a, **k)

def my_exec(src, *a, **k):
    if isinstance(src, (str, bytes)):
        record(src, "exec")
    return real_exec(src, *a, **k)

def my_eval(src, *a, **k):
    if isinstance(src, (str, bytes)):
        record(src, "eval")
    return real_eval(src, *a, **k)

for s, m in SNIPPETS:
    record(s, m)

root = sys.argv[1] if len(sys.argv) > 1 else None
if root:
    for path in sorted(glob.glob(os.path.join(root, "*", "*.py"))):
        base = os.path.basename(path)
        if base.startswith("_") or "threads" in path or "multiproc" in base:
            continue
        text = open(path, encoding="utf-8", errors="replace").read()
        if "compile(" not in text and "exec(" not in text and "eval(" not in text:
            continue
        builtins.compile, builtins.exec, builtins.eval = my_compile, my_exec, my_eval
        old_cwd = os.getcwd()
        try:
            os.chdir(os.path.dirname(path))
            sys.path.insert(0, os.path.dirname(path))
            signal.alarm(10)
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                runpy.run_path(path, run_name="__main__")
        except BaseException:
            pass
        finally:
            signal.alarm(0)
            sys.path.pop(0)
            os.chdir(old_cwd)
            builtins.compile, builtins.exec, builtins.eval = real_compile, real_exec, real_eval

def rs(s):
    out = []
    for ch in s:
        o = ord(ch)
        if ch == '"': out.append('\\"')
        elif ch == '\\': out.append('\\\\')
        elif ch == '\n': out.append('\\n')
        elif ch == '\t': out.append('\\t')
        elif ch == '\r': out.append('\\r')
        elif o < 0x20 or o == 0x7f: out.append('\\u{%x}' % o)
        elif 0xd800 <= o < 0xe000: return None
        else: out.append(ch)
    return '"' + ''.join(out) + '"'

seen = set()
print("// @generated by tools/gen_syntax_cases.py from CPython 3.11.7; do not edit.")
print("pub(crate) struct Case { pub src: &'static str, pub mode: &'static str, pub err: Option<(&'static str, &'static str, u32, u32, u32, u32)> }")
print("pub(crate) const CASES: &[Case] = &[")
for src, mode, v in cases:
    if (src, mode) in seen or len(src) > 2000:
        continue
    seen.add((src, mode))
    s = rs(src)
    if s is None:
        continue
    if v is None:
        print(f"    Case {{ src: {s}, mode: \"{mode}\", err: None }},")
    else:
        kind, msg, l, o, el, eo = v
        m = rs(msg)
        if m is None: continue
        print(f"    Case {{ src: {s}, mode: \"{mode}\", err: Some((\"{kind}\", {m}, {l}, {o}, {el}, {max(eo,0)})) }},")
print("];")
