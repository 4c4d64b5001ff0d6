# Pickling and copying the builtin iterators: __reduce__, __setstate__,
# __length_hint__, continuing from the same position after a round trip.
import copy
import operator
import pickle
import types


def show_reduce(r):
    # Iterator arguments (enumerate, zip, map...) are shown by type name,
    # everything else by repr.
    def fmt(x):
        name = type(x).__name__
        if name.endswith("iterator") or name in ("enumerate", "zip", "map", "filter", "reversed"):
            return "<%s>" % name
        if callable(x) and not isinstance(x, (type, types.GenericAlias)):
            return getattr(x, "__name__", name)
        return repr(x)
    f = r[0]
    fname = f.__name__ if isinstance(f, type) else fmt(f)
    parts = [fname, "(" + ", ".join(fmt(a) for a in r[1]) + ")"]
    parts += [fmt(x) for x in r[2:]]
    return " ".join(parts)


def roundtrips(make, steps):
    """Advances a fresh iterator by `steps`, then checks every protocol and
    copy/deepcopy give the same rest."""
    it = make()
    for _ in range(steps):
        next(it, None)
    r = it.__reduce__()
    results = set()
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        it2 = pickle.loads(pickle.dumps(it, proto))
        results.add((type(it2).__name__, tuple(it2)))
    for f in (copy.copy, copy.deepcopy):
        it2 = f(it)
        results.add((type(it2).__name__, tuple(it2)))
    rest = tuple(it)
    return show_reduce(r), sorted(results), rest


class Seq:
    def __getitem__(self, i):
        if i < 5:
            return i * 10
        raise IndexError(i)

    def __len__(self):
        return 5

    def __reduce__(self):
        return (Seq, ())

    def __repr__(self):
        return "Seq()"


class Countdown:
    def __init__(self, n):
        self.n = n

    def __call__(self):
        self.n = max(self.n - 1, 0)
        return self.n

    def __repr__(self):
        return "Countdown(%d)" % self.n


counter = [0]


def count_up():
    counter[0] += 1
    return counter[0]


def makers():
    yield "list", lambda: iter([1, 2, 3])
    yield "list_rev", lambda: reversed([1, 2, 3])
    yield "tuple", lambda: iter((1, 2, 3))
    yield "tuple_rev", lambda: reversed((1, 2, 3))
    yield "range", lambda: iter(range(3))
    yield "range_step", lambda: iter(range(10, 0, -3))
    yield "range_rev", lambda: reversed(range(1, 7, 2))
    yield "range_empty", lambda: iter(range(0))
    yield "longrange", lambda: iter(range(2**70, 2**70 + 3))
    yield "longrange_rev", lambda: reversed(range(-2**65, -2**65 + 9, 4))
    yield "str", lambda: iter("abc")
    yield "str_nonascii", lambda: iter("aé€𝄞")
    yield "bytes", lambda: iter(b"xyz")
    yield "bytearray", lambda: iter(bytearray(b"xyz"))
    yield "set", lambda: iter({1, 2, 3})
    yield "frozenset", lambda: iter(frozenset({4, 5}))
    yield "dict_keys", lambda: iter({"a": 1, "b": 2, "c": 3})
    yield "dict_values", lambda: iter({"a": 1, "b": 2, "c": 3}.values())
    yield "dict_items", lambda: iter({"a": 1, "b": 2, "c": 3}.items())
    yield "dict_rev_keys", lambda: reversed({"a": 1, "b": 2, "c": 3})
    yield "dict_rev_values", lambda: reversed({"a": 1, "b": 2, "c": 3}.values())
    yield "dict_rev_items", lambda: reversed({"a": 1, "b": 2, "c": 3}.items())
    yield "enumerate", lambda: enumerate("abc")
    yield "enumerate_start", lambda: enumerate([7, 8, 9], 2**64)
    yield "reversed_seq", lambda: reversed(Seq())
    yield "seq_iter", lambda: iter(Seq())
    yield "zip", lambda: zip("abc", [1, 2, 3])
    yield "zip_strict", lambda: zip("ab", (1, 2), strict=True)
    yield "zip_empty", lambda: zip()
    yield "map", lambda: map(operator.add, [1, 2, 3], (10, 20, 30))
    yield "filter", lambda: filter(None, [0, 1, 0, 2, 3])
    yield "filter_func", lambda: filter(operator.not_, [0, 1, 0, 2, 0])
    yield "callable", lambda: iter(Countdown(4), 0)
    yield "generic_alias", lambda: iter(tuple[int, str])


for name, make in makers():
    n = len(list(make()))
    for steps in sorted({0, 1, n}):
        counter[0] = 0
        reduced, results, rest = roundtrips(make, steps)
        print(name, steps, reduced)
        for kind, items in results:
            print("   ", kind, items, items == rest)

# The callable iterator calls its function again after a round trip.
counter[0] = 0
it = iter(count_up, 4)
next(it)
print(show_reduce(it.__reduce__()))
print(list(pickle.loads(pickle.dumps(it))))
counter[0] = 1
print(list(it))

# Set and dict iterators: the reduction is of what is left, and the
# iterator itself does not move.
s = {10, 20, 30}
it = iter(s)
first = next(it)
r = it.__reduce__()
print(sorted(r[1][0]) == sorted(s - {first}), sorted(list(it)) == sorted(s - {first}))
d = {"x": 1}
it = iter(d)
d["y"] = 2
try:
    it.__reduce__()
except RuntimeError as e:
    print("RuntimeError", e)
s = {1, 2}
it = iter(s)
s.add(3)
try:
    it.__reduce__()
except RuntimeError as e:
    print("RuntimeError", e)

# __setstate__ clamps out-of-range indices and rejects non-ints.
def setstates(make, values):
    out = []
    for v in values:
        it = make()
        try:
            it.__setstate__(v)
            out.append(list(it))
        except (TypeError, OverflowError) as e:
            out.append("%s: %s" % (type(e).__name__, e))
    return out


values = [-5, 0, 1, 2, 3, 100, True, 2**70, -2**70, "a", 1.5]
for name, make in [
    ("list", lambda: iter([1, 2, 3])),
    ("list_rev", lambda: reversed([1, 2, 3])),
    ("tuple", lambda: iter((1, 2, 3))),
    ("range", lambda: iter(range(3))),
    ("range_rev", lambda: reversed(range(3))),
    ("str", lambda: iter("abc")),
    ("str_nonascii", lambda: iter("é€𝄞")),
    ("bytes", lambda: iter(b"abc")),
    ("bytearray", lambda: iter(bytearray(b"abc"))),
    ("reversed_seq", lambda: reversed(Seq())),
]:
    print(name, setstates(make, values))
# The sequence iterator has no upper bound, only a lower one.
print("seq_iter", setstates(lambda: iter(Seq()), [-42, 0, 3, 100]))
print("longrange", setstates(lambda: iter(range(2**70, 2**70 + 3)), [-5, 0, 1, 3, 2**80, True, "a"]))
it = iter(range(10))
it.__setstate__(3)
print(it.__reduce__()[2], operator.length_hint(it), list(it))
it = iter(range(2**70, 2**70 + 10))
it.__setstate__(7)
print(it.__reduce__()[2], it.__length_hint__(), list(it))
print(iter(range(2**70)).__length_hint__())

# __setstate__ on an exhausted iterator does nothing.
it = iter([1, 2])
list(it)
it.__setstate__(0)
print(list(it), show_reduce(it.__reduce__()))

# zip's state is strict.
z = zip("ab", "cde")
z.__setstate__(True)
try:
    print(list(z))
except ValueError as e:
    print("ValueError", e)
z = zip("ab", "cde", strict=True)
z.__setstate__(0)
print(list(z), z.__reduce__()[2:])

# Length hints.
for it in [iter([1, 2]), reversed(Seq()), iter(Seq()), iter(range(5)), iter("abc")]:
    next(it)
    print(type(it).__name__, operator.length_hint(it))


class NoLen:
    def __getitem__(self, i):
        if i < 3:
            return i
        raise IndexError


print(operator.length_hint(iter(NoLen()), -1))
it = iter(NoLen())
list(it)
print(it.__length_hint__())


class WeirdLen:
    called = False

    def __len__(self):
        if not self.called:
            self.called = True
            return 10
        raise ZeroDivisionError

    def __getitem__(self, index):
        return index


try:
    operator.length_hint(reversed(WeirdLen()))
except ZeroDivisionError:
    print("ZeroDivisionError from reversed's length hint")


# A reentrant callable iterator that exhausts itself while it is called.
def spam():
    if spam.recursive:
        return 2
    spam.recursive = True
    list(spam.iterator)
    return 1


spam.recursive = False
spam.iterator = iter(spam, 2)
print(next(spam.iterator, "exhausted"))


# Subclasses of enumerate, zip, map, filter and reversed reduce to their class.
class E(enumerate):
    pass


class Z(zip):
    pass


class M(map):
    pass


class F(filter):
    pass


class R(reversed):
    pass


for make in [lambda: E("xyz", 5), lambda: Z("ab", "cd"), lambda: M(str, [1, 2]), lambda: F(None, [0, 1]), lambda: R([1, 2, 3])]:
    it = make()
    next(it)
    print(show_reduce(it.__reduce__()))
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        it2 = pickle.loads(pickle.dumps(it, proto))
        assert type(it2) is type(it), (type(it2), type(it))
    it3 = copy.deepcopy(it)
    print(type(it3).__name__, list(it3), list(it))


# Keyword arguments: the builtins take none, subclasses that override
# __init__ or __new__ may.
for t in (list, tuple, set, frozenset):
    try:
        t(x=1)
    except TypeError as e:
        print(e)

    class Plain(t):
        pass

    try:
        Plain(sequence=())
    except TypeError as e:
        print("Plain:", e)

    class WithInit(t):
        def __init__(self, seq, newarg=None):
            if t in (list, set):
                super().__init__(seq)
            self.newarg = newarg

    u = WithInit([1, 2], newarg=3)
    print(type(u).__name__, sorted(u), u.newarg)

    class WithNew(t):
        def __new__(cls, seq, newarg=None):
            self = super().__new__(cls, seq)
            self.newarg = newarg
            return self

    u = WithNew([1, 2])
    print(type(u).__name__, sorted(u), u.newarg)
    try:
        u = WithNew([1, 2], newarg=3)
        print(type(u).__name__, sorted(u), u.newarg)
    except TypeError as e:
        print("WithNew:", e)


# set and frozenset subclasses with __slots__ keep the slot values.
class S(set):
    __slots__ = ("x", "__dict__")


class FS(frozenset):
    __slots__ = ("x", "y")


s = S([1])
s.x = 2
print(s.__reduce__())
s.z = 3
print(s.__reduce__())
f = FS([1])
f.x = 2
print(f.__reduce__(), FS().__reduce__(), set().__reduce__(), frozenset([3]).__reduce__())
for proto in range(pickle.HIGHEST_PROTOCOL + 1):
    for obj in (s, f):
        c = pickle.loads(pickle.dumps(obj, proto))
        print(type(c).__name__, sorted(c), c.x, getattr(c, "z", None), getattr(c, "y", "unset"))
c = copy.copy(s)
print(sorted(c), c.x, c.z)
c = copy.deepcopy(f)
print(sorted(c), c.x)

print(tuple.__itemsize__ > 0, tuple.__itemsize__ * 8)

# Iterating a GenericAlias gives the starred alias once; both pickle.
star = next(iter(list[int]))
print(star, star.__unpacked__, list[int].__unpacked__, star == list[int], star == next(iter(list[int])))
print(pickle.loads(pickle.dumps(star)), pickle.loads(pickle.dumps(dict[str, int])), copy.deepcopy(star))
print([*tuple[int, str]], show_reduce(star.__reduce__()))
