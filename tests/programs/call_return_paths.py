# Python-to-Python calls and returns the eval loop runs itself
# (eval/exec.rs: exact positional calls, frames reused within one loop run,
# the combined `LOAD_FAST; RETURN_VALUE` and `LOAD_CONST; RETURN_VALUE`
# forms of eval/quicken.rs): each must behave as CPython's plain call and
# RETURN_VALUE, including errors, tracebacks and the recursion limit.
import sys, traceback


def ident(x):
    return x                      # LOAD_FAST; RETURN_VALUE


def const():
    return 42                     # LOAD_CONST; RETURN_VALUE


def implicit():
    pass                          # LOAD_CONST None; RETURN_VALUE


def maybe_unbound(flag):
    if flag:
        y = 1
    return y                      # unbound local at the combined form


print(ident(1), ident("a"), ident(None), ident([1, 2]), ident(2.5))
print(const(), implicit())
print(maybe_unbound(True))
try:
    maybe_unbound(False)
except UnboundLocalError as e:
    print("UnboundLocalError:", e)
    tb = traceback.extract_tb(e.__traceback__)
    print([(f.name, f.line) for f in tb])


# Bound methods, methods called through the class, and methods with
# too few / too many arguments (the exact path must not apply).
class C:
    def __init__(self, v):
        self.v = v

    def get(self):
        return self.v

    def add(self, k):
        return self.v + k


c = C(5)
m = c.get
print(m(), c.get(), C.get(c), c.add(3), C.add(c, 4))
try:
    c.add()
except TypeError as e:
    print("TypeError:", e)
try:
    ident(1, 2)
except TypeError as e:
    print("TypeError:", e)
try:
    ident()
except TypeError as e:
    print("TypeError:", e)


# `__init__` returning a value through LOAD_CONST; RETURN_VALUE.
class BadInit:
    def __init__(self):
        return 1


try:
    BadInit()
except TypeError as e:
    print("TypeError:", e)


class NoneInit:
    def __init__(self, a):
        self.a = a
        return None


print(NoneInit(3).a)


# An operator method returning NotImplemented (a constant) from a frame the
# loop runs itself.
class Op:
    def __add__(self, other):
        return NotImplemented

    def __sub__(self, other):
        return 7


try:
    Op() + Op()
except TypeError as e:
    print("TypeError:", e)
print(Op() - Op())


# Generators finishing through the combined forms, driven by for, send and
# yield from.
def gen_const():
    yield 1
    return "done"


def gen_local(x):
    yield x
    return x


def delegate():
    r = yield from gen_const()
    s = yield from gen_local("loc")
    return (r, s)


print(list(gen_const()), list(gen_local(9)))
g = gen_const()
print(g.send(None))
try:
    g.send(5)
except StopIteration as e:
    print("StopIteration:", e.value)
d = delegate()
print(next(d), next(d))
try:
    next(d)
except StopIteration as e:
    print("StopIteration:", e.value)


# Tracebacks through several levels of calls made in the loop.
def level3(x):
    return 1 // x


def level2(x):
    return level3(x)


def level1(x):
    return level2(x)


try:
    level1(0)
except ZeroDivisionError:
    tb = traceback.extract_tb(sys.exc_info()[2])
    print([(f.name, f.line) for f in tb])


# Recursion: deep but within the limit, then past it, then fine again
# (frames are reused by the loop; none may be lost or leaked).
def depth(n):
    if n == 0:
        return 0
    return depth(n - 1) + 1


print(depth(900))


def forever(n):
    return forever(n + 1)


try:
    forever(0)
except RecursionError as e:
    print("RecursionError:", e)
print(depth(500))


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def tak(x, y, z):
    if y < x:
        return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))
    return z


print(fib(20), tak(12, 8, 4))


# A function whose locals outlive the call through its frame object.
def keep_frame():
    local = "kept"
    return sys._getframe()


fr = keep_frame()
print(fr.f_locals["local"], fr.f_code.co_name)


# A frame reused after one that held many locals and a deep stack.
def wide(a, b, c, d, e, f, g, h):
    t = [a, b, c, d, e, f, g, h]
    return sum(t) + (a + (b + (c + (d + (e + (f + (g + h)))))))


def narrow(x):
    return x


for i in range(3):
    print(wide(1, 2, 3, 4, 5, 6, 7, i), narrow(i))


# Closures and functions with defaults / keyword-only arguments.
def outer(k):
    def inner(x):
        return x + k
    return inner


def defaults(a, b=10):
    return a + b


def kwonly(a, *, b):
    return a - b


print(outer(3)(4), defaults(1), defaults(1, 2), kwonly(5, b=2))
