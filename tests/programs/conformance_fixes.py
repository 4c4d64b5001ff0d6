# Behaviours fixed to match CPython 3.11 (protocol opt-outs, error messages,
# exception args, numeric details, iteration, call errors).
import sys

def t(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, type(e).__name__, e)

# __iter__ / __contains__ = None opt out of the protocol (no __getitem__ fallback).
class Blocked:
    __iter__ = None
    __contains__ = None
    __hash__ = None
    __reversed__ = None
    def __getitem__(self, i):
        return i
class NoIter:
    __iter__ = None
t("iter", lambda: iter(Blocked()))
t("list", lambda: list(Blocked()))
t("in", lambda: 1 in Blocked())
t("hash", lambda: hash(Blocked()))
t("reversed", lambda: reversed(Blocked()))
t("in no iter", lambda: 1 in NoIter())
t("sorted", lambda: sorted(NoIter()))
def forloop():
    for x in NoIter():
        pass
t("for", forloop)

# A set-only data descriptor loses to the instance dict on lookup.
class SetOnly:
    def __set__(self, obj, v):
        print("  set", v)
class C:
    s = SetOnly()
c = C()
c.__dict__["s"] = "instance"
print("set-only:", c.s)
c.s = 3

# Sequence repetition/concatenation fallbacks.
class V:
    def __rmul__(self, o):
        return NotImplemented
    def __radd__(self, o):
        return NotImplemented
t("str*V", lambda: "x" * V())
t("list*V", lambda: [1] * V())
t("str+V", lambda: "x" + V())
t("bytes+V", lambda: b"x" + V())
t("tuple+V", lambda: (1,) + V())

# Slots: deleting an unset slot names only the slot.
class P:
    __slots__ = ("x", "y")
p = P()
t("slot get", lambda: p.y)
def delslot():
    del p.y
t("slot del", delslot)

# int.__sizeof__ grows with the digits (krait reports its own layout's bytes).
print("sizeof:", (0).__sizeof__() <= (1).__sizeof__() <= (2 ** 30).__sizeof__() < (2 ** 1000).__sizeof__(), True.__sizeof__() == (1).__sizeof__())

# pow messages.
t("2**'a'", lambda: 2 ** "a")
t("pow float exp", lambda: pow(2, 3.0, 5))
t("pow float mod", lambda: pow(2, 3, 5.0))
t("pow complex mod", lambda: pow(2, 3, 1j))
t("pow str", lambda: pow("a", 3, 5))
t("pow missing", lambda: pow(x=2, y=3))
t("pow by name and position", lambda: pow(2, 3, base=2))
def ipow():
    x = 2
    x **= "a"
t("**=", ipow)

# Exception args come from __new__, reset by __init__; OSError parses in
# __init__ when a subclass overrides it.
class Retry(Exception):
    def __init__(self, attempts):
        self.attempts = attempts
class Net(Retry, ConnectionError):
    pass
e = Net(5)
print("net:", repr(e), e.args, e.errno)
class Q(OSError):
    def __init__(self, *a):
        super().__init__(*a)
q = Q(2, "nf", "file")
print("oserror subclass:", q.args, q.errno, q.filename, type(Q(2, "x")).__name__)
e = OSError(1, "x")
e.__init__()
print("oserror init no-op:", e.args, type(OSError(2, "y")).__name__)
t("oserror kw", lambda: OSError(1, x=2))
e = Exception(1, 2)
e.__init__()
print("reinit:", e.args)

# except* wraps a naked exception in a tuple.
try:
    raise ValueError("naked")
except* ValueError as g:
    print("wrapped:", repr(g), type(g.exceptions).__name__)

# Identity before equality in sequence comparison.
nan = float("nan")
print("nan list:", [nan] == [nan], (nan,) == (nan,), [nan] < [nan], {1: nan} == {1: nan}, nan in {nan})

# __code__ must be a code object.
def f():
    pass
def outer():
    v = 1
    def inner():
        return v
    return inner
t("__code__", lambda: setattr(f, "__code__", None))
t("__code__ freevars", lambda: setattr(outer(), "__code__", f.__code__))
f.__code__ = f.__code__
print("same code ok")

# Ranges with big bounds.
big = range(10 ** 20)
print("big range:", big[::10 ** 19], big[10 ** 19:][:3], big[-3:], big[::-1][:2])
t("big len", lambda: len(big))
t("slice step 0", lambda: big[::0])

# sys.exit(None) has no args; a tuple is the argument list.
for v in [None, (1, 2), "msg"]:
    try:
        sys.exit(v)
    except SystemExit as ex:
        print("exit:", repr(v), ex.code, ex.args)

# f(*x) / f(**x) errors name the function.
def g(*a, **k):
    pass
class K:
    def m(self, *a):
        pass
t("star", lambda: g(*5))
t("star2", lambda: g(**5))
t("method star", lambda: K().m(*5))
t("builtin star", lambda: len(*5))
t("list extend", lambda: g(1, *5))

# A StopIteration from map's function ends the iteration.
def stopper(x):
    if x == 2:
        raise StopIteration
    return x
print("map:", list(map(stopper, range(4))), list(filter(lambda x: stopper(x) or True, range(4))))

# Complex literals: 1 - 0j is (1+0j).
print("complex:", 1 - 0j, 1.0 - 0j, -0.0 - 0j, 0 + 0j)

# bytearray repr escapes ' even inside double quotes.
print(bytearray(b"it's"), bytearray(b'a"b'))

# sorted() calls a bad key even for one item.
t("sorted key", lambda: sorted([1], key=5))
print("empty:", sorted([], key=5))

# repr of deeply nested lists hits the recursion limit.
deep = []
for _ in range(5000):
    deep = [deep]
t("deep repr", lambda: len(repr(deep)))
