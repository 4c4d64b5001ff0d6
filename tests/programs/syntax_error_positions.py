# SyntaxError positions and messages for tokenizer and parser errors, the
# SyntaxError caret printing, and exception attributes and line numbers.
import io
import pickle
import sys


def show(src):
    try:
        compile(src, "<s>", "exec")
        print("no error", repr(src))
    except SyntaxError as e:
        print(repr(src), repr(e.msg), e.lineno, e.offset, e.end_lineno, e.end_offset)


print("-- number literals")
for src in [
    "x = 0xI", "(0x+1)", "x = 32e-+4", "x = 0o9", "α = 0xI", "x = 0b12", "x = 0b2", "x = 0o", "x = 0x",
    "x = 1_", "x = 1__0", "x = 1e", "x = 1ex", "x = 1.5e+", "x = 1abc", "x = 0x1g", "x = 1jx", "x = 0_",
    "x = 1.__class__", "x = 1if 1else 2", "x = 0x1for", "x = 012", "x = 0012", "x = 0_0_1", "print(1 + 0o8)",
    "y = '0xI' + 0xI", "x = 5 5\ny = 0xI", "x = 0xI\ny = 5 5", "x = [0b1_]", "x = 1_000", "x = 0b_",
    "x = 12e-", "x = 3.14x", "if x = 0xI:\n pass", "f(1 2) + 0o9", "x = 1 2", "x = 0x1 2",
]:
    show(src)

print("-- tokenizer errors after a parser error")
show("if 1:\n    def foo():\n        '''\n\n    def bar():\n        pass\n\n    def baz():\n        '''quux'''\n    ")

print("-- '=' inside brackets")
for src in [
    "ages = {'Alice'=22, 'Bob'=23}", "{a=1}", "[x.y = 1]", "(1 = 2)", "[f(x) = 3, 4]", "x = [1, 2 = 3]",
    "(a, b = 3)", "[a[1] = 2]", "[-1 = 2]", "[1 + 2 = 3]", "if (a = 1): pass", "if (1 = a): pass",
    "[True = 1]", "[x for x in y if x = 1]", "print((x.y = 1))", "(a, [b] = 3)", "('a' = 1)",
]:
    show(src)

print("-- walrus and comprehension variables")
for src in [
    "{i for i in range(5) if (j := 0) for j in range(5)}", "[i for i in x if (y := 1) for (a, y) in z]",
    "[i for i in range(5) if (i := 0)]", "[(j := 0) for i in range(5) for j in range(5)]",
]:
    show(src)

print("-- carets of a raised SyntaxError")
for info in [(1, 2, "abcdefg", 1, 100), (1, 20, "abcdefg", 1, 100), (1, 8, "abcdefg", 1, 9), (1, 2, "  abcdefg\n", 1, 100),
             (1, 4, "abcdefg", 1, 2), (1, -4, "abcdefg", 1, -2), (1, 0, "abcdefg", 1, 5), (1, 2, "abcdefg", 2, 5),
             (1, 3, "abcdefg", 1, -2), (1, 9, "abcdefg", 1, 12), (1, 5, "    abcdefg\n", 1, 7)]:
    try:
        raise SyntaxError("bad bad", ("bad.py",) + info)
    except SyntaxError:
        old, sys.stderr = sys.stderr, io.StringIO()
        sys.__excepthook__(*sys.exc_info())
        out, sys.stderr = sys.stderr.getvalue(), old
        print(info, repr(out.split("line 1\n")[1]))
for args in [("bad.py", 1, 2), ("bad.py", 1, 2, "abc", 1), ("bad.py", 1, 2, "abc", 1, 2, 3)]:
    try:
        SyntaxError("bad", args)
    except TypeError as e:
        print("TypeError:", e)

print("-- exception attributes")
e = ImportError("test", name="name", path="path")
e.__init__()
print(e.args, e.msg, e.name, e.path)
print(str(UnicodeTranslateError("xxxx", 1, 5, "foo")))
for args in [("foo", "bar", "baz"), ("foo", "bar", "baz", None, "quux"), (2, "x")]:
    e = OSError(*args)
    n = pickle.loads(pickle.dumps(e))
    print(type(n).__name__, n.args, n.filename, n.filename2, e.__reduce__())


class A:
    blech = None

    def __getattr__(self, attr):
        raise AttributeError()


try:
    A().bluch
except AttributeError as e:
    print(e.name, type(e.obj).__name__)


class B:
    def __getattribute__(self, attr):
        return A().__dict__["nope"] if attr == "x" else object().blich


try:
    B().something
except AttributeError as e:
    print(e.name, type(e.obj).__name__)

print("-- line of a frame left by a re-raise")


def lines(f):
    try:
        f()
    except Exception as ex:
        t = ex.__traceback__.tb_next
    first = t.tb_frame.f_code.co_firstlineno
    print(f.__name__, t.tb_lineno - first, t.tb_frame.f_lineno - first)


def other_except():
    try:
        1 / 0
    except TypeError as ex:
        pass


def in_try():
    try:
        1 / 0
    finally:
        pass


def in_try2():
    try:
        1 / 0
    finally:
        x = 1
        y = 2


def nested():
    try:
        try:
            1 / 0
        except KeyError:
            pass
    except TypeError:
        pass


def in_except():
    try:
        1 / 0
    except:
        1 / 0
        pass


for f in [other_except, in_try, in_try2, nested, in_except]:
    lines(f)

print("-- undecodable source")
for src in [b"# coding: foo\nx=1\n", b"\xef\xbb\xbf# coding: latin-1\nx=1\n", b"x = '\x89'\n",
            b"\xef\xbb\xbf#coding: utf8\nprint('\xe6\x88\x91')\n", b"\xef\xbb\xbf# coding: utf-8\nx = 1\n",
            b"\xef\xbb\xbf# coding: UTF_8\nx = 1\n", b"\xef\xbb\xbf# coding: utf-8-sig\nx = 1\n"]:
    try:
        compile(src, "x", "exec")
        print("ok", src)
    except SyntaxError as e:
        print(repr(e.msg), e.args, e.lineno, e.offset, e.filename, e.text, e.end_lineno, e.end_offset)

print("-- undecodable string literals")
for src in [b'Python = "\xcf\xb3\xf2\xee\xed" +', b"x = '\xff'\n", b"x = '\xff'", b"x = '\xff' + y", b"x = '\xff'   foo\n",
            b"x = '\xff' == 2\n", b"x = '\xff'  # c\n", b"x = ('\xff',\n 2)\n"]:
    try:
        compile(src, "x", "exec")
    except SyntaxError as e:
        print(src, repr(e.msg), e.lineno, e.offset, e.end_lineno, e.end_offset)
