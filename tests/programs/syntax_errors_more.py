# Syntax error messages and positions for yield targets, chained assignments,
# open brackets at the end of the source, and compile(..., "single").

def show(src, mode="exec"):
    try:
        compile(src, "<s>", mode)
        print("ok", repr(src))
    except SyntaxError as e:
        print(repr(src), "|", e.msg, e.lineno, e.offset, e.end_lineno, e.end_offset)

print("-- assignment to yield")
for s in ["(yield bar) = y", "def f(): (yield bar) = y", "def f(): x = yield = y",
          "def f(): x, (yield) = 1", "def f(): yield = 1", "def f(): (yield bar) = y = 3",
          "def f(): [(yield)] = 3", "(a+b) = 1", "((a+b)) = 1", "(a+b) = c = 1",
          "a+b = c if d else e", "(f()) = 1 = 2", "f() = 1", "a+b = 'x=1'"]:
    show(s)

print("-- brackets never closed")
for s in ["[a b", "[a b\n", "[a b c", "[a b]", "[a b, c", "f(a b.c\n", "[a b c\nd",
          "[a b\n]", "[a\nb c", "[a b\n,c", "[a b # x\n", "x = [a b c\n\n", "[a b\n c]\n",
          "[\na b\n", "([a b\n])", "([a b\n]", "[[a b]\n", "[a\n b\n]\n", "[a b ",
          "[interesting\nfoo()\n", "[a", "foo(", "x = (1,\n2"]:
    show(s)

print("-- continuation at the end")
for s in ["(1, \\", "(1, \\\n", '"\\\n"(1 for c in I,\\\n\\', "(1,\n\\\n\\"]:
    show(s)

print("-- single mode")
for s in ["1; 2\n", "a = 1; b = 2;\n", "x = 1; y = 2  # c\n\n", "1; 2\n3\n", "print(1)\nprint(2)",
          "if 1:\n  pass\n"]:
    show(s, "single")
exec(compile("1; 2; x = 3; x\n", "<s>", "single"))

print("-- coding cookies decoded by the codec registry")
for src in [b'# -*- coding: cp1251 -*-\nPython = "\xcf\xb3\xf2\xee\xed" +', b'# -*- coding: iso8859-7 -*-\n\xe1 = 0xI',
            b'# coding: cp1251\nx=1\n\x98', b'# coding: rot13\nx=1\n', b'# coding: nosuchcodec\nx=1\n']:
    show(src)
ns = {}
exec(b'# coding: cp1251\ns = "\xcf\xb3\xf2\xee\xed"\n', ns)
print(ns["s"], [hex(ord(c)) for c in ns["s"]])
exec(b'# coding: koi8-r\nt = "\xf0\xc9\xd4\xcf\xce"\n', ns)
print(ns["t"])
import ast
print(ast.dump(ast.parse(b'# coding: cp1251\n"\xcf"\n').body[0]))

print("-- open bracket before a later invalid-syntax line")
for s in [b'# coding=latin\n(aaaaaaaaaaaaaaaaa\naaaaaaaaaaa\xb5', "(a\nb c", "(\n1 2", "x = (1,\n2 3 4\n",
          "f(a,\n  b c)\n", "[1,\n 2 +]\n", "(1,\n 2 +\n", "foo(\n  x for x in y z\n", "d = {\n 'a': 1 2\n",
          "(1 +\n", "print(1\n2)\n", "if x:\n  (1,\n  2 3"]:
    show(s)

print("-- while 0 bodies are checked and compiled")
for s in ["while 0: return", "class C:\n  while 0: return\n  else:  x=1", "while 0: await x",
          "while 0:\n  break\nelse:\n  pass", "while False:\n  continue"]:
    show(s)
c = compile("while 0:\n  x = 12345\ny = 1", "", "exec")
print(c.co_consts, c.co_names)
def f():
    while 0:
        return 777
    else:
        x = 2
    return x
print(f(), f.__code__.co_consts)

print("-- except and except* in one try")
for s in ["try: pass\nexcept ValueError: pass\nexcept* TypeError: pass", "try: pass\nexcept* ValueError: pass\nexcept TypeError: pass",
          "try: pass\nexcept* ValueError: pass\nexcept: pass", "try:\n  pass\nexcept  TypeError as e:\n  pass\nexcept*  (A, B):\n  pass"]:
    show(s)

print("-- line continuation and non-printable characters")
for s in [r"a = 3 \ 4", "1,\\#\n2", "\nfgdfgf\n1,\\#\n2\n", "A.\u018a\\ ", "print\x17('Hello')", b"with(0,,):\n\x01",
          "x = 1 \\ # c\n", "\\ x", "x = '\\ \x01'  # \x02\n", "x = (1,\n\\\n2)\n"]:
    show(s)
for s in ["x = 1 + \\", "x = 5\\", "\\", "x = 1 \\\n", "A.\u03bc\\\n", '"\\xhh" \\']:
    try:
        compile(s, "<string>", "exec")
    except SyntaxError as e:
        print(repr(s), "|", e, e.lineno, e.offset)
