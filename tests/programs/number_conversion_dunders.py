# int()/float()/complex() and the conversion dunders: results of a strict
# subclass are accepted with a DeprecationWarning, int() via __trunc__ warns,
# and the other cases CPython 3.11 distinguishes.
import warnings


def caught(f, *args):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            r = f(*args)
            out = f"{type(r).__name__} {r!r}"
        except Exception as e:
            out = f"{type(e).__name__}: {e}"
    print(out, [f"{x.category.__name__}: {x.message}" for x in w])


class IntSub(int):
    pass


class FloatSub(float):
    pass


class ComplexSub(complex):
    pass


class IntReturnsBool:
    def __int__(self):
        return True


class IntReturnsSub:
    def __int__(self):
        return IntSub(7)


class IndexReturnsBool:
    def __index__(self):
        return True


class JustTrunc:
    def __trunc__(self):
        return 42


class TruncRaises:
    def __trunc__(self):
        1 / 0


class TruncReturnsIndex:
    def __trunc__(self):
        return IndexReturnsBool()


class FloatReturnsSub:
    def __float__(self):
        return FloatSub(2.5)


class FloatReturnsInt(float):
    def __float__(self):
        return 42


class ComplexReturnsSub:
    def __complex__(self):
        return ComplexSub(1 + 2j)


caught(int, IntReturnsBool())
caught(int, IntReturnsSub())
caught(int, IndexReturnsBool())
caught(IntSub, IndexReturnsBool())
caught(int, JustTrunc())
caught(int, TruncRaises())
caught(int, TruncReturnsIndex())
caught(float, FloatReturnsSub())
caught(FloatSub, FloatReturnsSub())
caught(float, FloatReturnsInt(1.0))
caught(float, IndexReturnsBool())
caught(complex, ComplexReturnsSub())
import operator
caught(operator.index, IndexReturnsBool())
caught(lambda: [10, 20][IndexReturnsBool()])

# A warning turned into an error stops the conversion.
with warnings.catch_warnings():
    warnings.simplefilter("error")
    for f, x in [(int, IntReturnsSub()), (float, FloatReturnsSub()), (complex, ComplexReturnsSub()), (int, JustTrunc())]:
        try:
            f(x)
        except DeprecationWarning as e:
            print("error:", e)

# Exact results warn about nothing.
caught(int, IntSub(5))
caught(float, FloatSub(1.5))


# float subclasses take keywords when their own __init__ does.
class WithInit(float):
    def __init__(self, arg, newarg=None):
        self.newarg = newarg


u = WithInit(2.5, newarg=3)
print(type(u).__name__, float(u), u.newarg)
for make in (lambda: FloatSub(x=0), lambda: float(x="3.14")):
    try:
        make()
    except TypeError as e:
        print("TypeError:", e)

# NaN hashes by identity, as object.__hash__ does.
nan = float("nan")
print(hash(nan) == object.__hash__(nan))

# fromhex takes ASCII only; float() takes other digits and spaces.
for s in ["0x1p\uff10", "\u30000x1p0", " 0x1p0 "]:
    try:
        print(float.fromhex(s))
    except ValueError as e:
        print("ValueError:", e)
print(float("\u3000\uff11.5"))

# int.from_bytes takes __bytes__.
class B:
    def __bytes__(self):
        return b"\x01\x02"


class BadB:
    def __bytes__(self):
        return "x"


print(int.from_bytes(B(), "big"), int.from_bytes(B(), "little", signed=True))
for bad in (BadB(), object(), "ab"):
    try:
        int.from_bytes(bad, "big")
    except TypeError as e:
        print("TypeError:", e)

# With an explicit base only str, bytes and bytearray parse.
print(int(memoryview(b"101")), int(memoryview(b"1234")[1:3]))
for x in (memoryview(b"101"), bytearray(b"101"), b"101"):
    try:
        print(int(x, 2))
    except TypeError as e:
        print("TypeError:", e)

# len() converts __len__'s result with __index__, checking the sign before
# the size; errors inside __index__ propagate.
import sys


class L:
    def __init__(self, v):
        self.v = v

    def __len__(self):
        return self.v


class RaisingIndex:
    def __index__(self):
        1 / 0


for v in [3, -1, sys.maxsize + 1, -sys.maxsize - 10, 2.5, RaisingIndex(), True, IndexReturnsBool()]:
    caught(len, L(v))

# NotImplemented in a boolean context warns (it is still true).
caught(bool, NotImplemented)
caught(lambda: "yes" if NotImplemented else "no")
