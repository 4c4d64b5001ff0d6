# sys.getsizeof and __sizeof__: orderings that hold for any honest layout,
# and CPython's checks of what a user __sizeof__ returns.
import sys

size = sys.getsizeof

# Containers grow with what they hold.
print("empty list < list of ten:", size([]) < size(list(range(10))))
grow = []
before = size(grow)
for i in range(20):
    grow.append(i)
print("appends grow the list:", size(grow) > before)
print("list __sizeof__ counts capacity:", [].__sizeof__() < [1, 2, 3].__sizeof__())
print("empty tuple < tuple of ten:", size(()) < size(tuple(range(10))))
print("empty dict < ten entries:", size({}) < size({i: i for i in range(10)}))
print("empty set < ten items:", size(set()) < size(set(range(10))))
print("bytes grow:", size(b"") < size(b"x" * 100))
print("bytearray grows:", size(bytearray()) < size(bytearray(100)))

# Text: longer is bigger, and non-ASCII costs more per character.
print('"" < "abc":', size("") < size("abc"))
ascii_text = "a" * 100
wide_text = "\u00e9" * 100
print("non-ASCII bigger per char:", size(wide_text) > size(ascii_text))
print("ascii grows by length:", size("a" * 1000) - size("a" * 10) >= 990)

# Ints: big ones take more room.
print("0 < 2**100:", size(0) < size(2 ** 100))
print("2**100 < 2**10000:", size(2 ** 100) < size(2 ** 10000))
print("int __sizeof__ grows:", (2 ** 1000).__sizeof__() > (1).__sizeof__())


# Instances: slots versus a __dict__.
class Slotted:
    __slots__ = ("a", "b", "c", "d")

    def __init__(self):
        self.a, self.b, self.c, self.d = 1, 2, 3, 4


class Plain:
    def __init__(self):
        self.a, self.b, self.c, self.d = 1, 2, 3, 4


s, p = Slotted(), Plain()
print("slotted has no __dict__:", not hasattr(s, "__dict__"))
print("slotted < plain + its dict:", size(s) < size(p) + size(p.__dict__))


class Slotted8:
    __slots__ = ("a", "b", "c", "d", "e", "f", "g", "h")


print("object.__sizeof__ counts slot cells:", object.__sizeof__(Slotted8()) > object.__sizeof__(s))
print("user class __sizeof__ is object's:", s.__sizeof__() == object.__sizeof__(s))
print("getsizeof adds the GC header:", size(p) >= p.__sizeof__(), size([]) >= [].__sizeof__())


# User __sizeof__ results, as CPython checks them.
class Returns:
    def __init__(self, value):
        self.value = value

    def __sizeof__(self):
        return self.value


class Raises:
    def __init__(self, exc):
        self.exc = exc

    def __sizeof__(self):
        raise self.exc


class NotCallable:
    __sizeof__ = None


class IntSub(int):
    pass


class MyTypeError(TypeError):
    pass


class Index:
    def __index__(self):
        return 7


def attempt(label, obj, *default):
    try:
        r = size(obj, *default)
        print(label, "->", r if isinstance(r, str) else "int", type(r).__name__)
    except Exception as e:
        print(label, "->", type(e).__name__, e)


attempt("returns 10", Returns(10))
print("returns 10 plus header >= 10:", size(Returns(10)) >= 10)
print("returns 0 and 1 differ by one:", size(Returns(1)) - size(Returns(0)))
print("bool result counts as int:", size(Returns(True)) - size(Returns(0)))
print("int subclass result:", size(Returns(IntSub(5))) - size(Returns(0)))
for default in [(), ("dflt",)]:
    tag = " with default" if default else ""
    attempt("negative" + tag, Returns(-1), *default)
    attempt("str result" + tag, Returns("x"), *default)
    attempt("float result" + tag, Returns(1.5), *default)
    attempt("__index__ result" + tag, Returns(Index()), *default)
    attempt("huge result" + tag, Returns(2 ** 70), *default)
    attempt("huge negative" + tag, Returns(-(2 ** 70)), *default)
    attempt("raises KeyError" + tag, Raises(KeyError("boom")), *default)
    attempt("raises TypeError" + tag, Raises(TypeError("te")), *default)
    attempt("raises TypeError subclass" + tag, Raises(MyTypeError("mine")), *default)
    attempt("raises IndexError" + tag, Raises(IndexError("ie")), *default)
    attempt("__sizeof__ = None" + tag, NotCallable(), *default)

# __sizeof__ is looked up on the type, not the instance.
p2 = Plain()
p2.__sizeof__ = lambda: 10 ** 6
print("instance attribute ignored:", size(p2) == size(Plain()))
print("keywords:", size(object=[], default=None) == size([]))
try:
    size()
except TypeError as e:
    print("no args:", e)
try:
    size(1, 2, 3)
except TypeError as e:
    print("three args:", e)
try:
    [].__sizeof__(1)
except TypeError as e:
    print("list.__sizeof__ arg:", type(e).__name__)
try:
    list.__sizeof__(())
except TypeError as e:
    print("list.__sizeof__ on a tuple:", type(e).__name__)


# Subclasses of builtins and every other kind of object have a size.
class L(list):
    pass


class D(dict):
    pass


class E(Exception):
    pass


lst = L(range(100))
print("list subclass counts its items:", size(lst) > size(L()))
print("dict subclass counts its entries:", size(D((i, i) for i in range(50))) > size(D()))


def gen():
    yield 1


def frame():
    return sys._getframe()


import types
kinds = [None, True, 1.5, 1j, range(10), slice(1, 2), object(), Plain, type, len, [].append,
         list.append, Plain.__init__, gen(), gen, gen.__code__, frame(), iter([]), {}.keys(),
         types.SimpleNamespace(a=1), sys, E("x"), property(), staticmethod(len), classmethod(len),
         frozenset({1, 2}), memoryview(b"ab"), Slotted.a, int.real, super(L, lst), NotImplemented, ...]
print("all sizes positive ints:", all(type(size(k)) is int and size(k) > 0 for k in kinds))
print("all __sizeof__ positive ints:", all(type(type(k).__sizeof__(k)) is int and type(k).__sizeof__(k) > 0 for k in kinds))
