# Sorting with keys of one builtin kind (ints, floats, strs, tuples), which
# krait compares natively, and the cases that must still run Python code:
# user __eq__/__lt__ inside tuples, str subclasses, mixed kinds, NaN,
# errors, reverse stability and a list mutated during its sort.

log = []


class Key:
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        log.append(("eq", self.v, other.v))
        return self.v == other.v

    def __lt__(self, other):
        log.append(("lt", self.v, other.v))
        return self.v < other.v

    def __repr__(self):
        return "K%d" % self.v


class S(str):
    def __lt__(self, other):
        log.append(("S.lt", str(self), str(other)))
        return str.__lt__(self, other)

    def __eq__(self, other):
        log.append(("S.eq", str(self), str(other)))
        return str.__eq__(self, other)

    __hash__ = str.__hash__


# Plain kinds, with reverse and stability.
data = [(i * 7919) % 23 - 11 for i in range(40)]
print(sorted(data))
print(sorted(data, reverse=True))
print(sorted(data, key=lambda v: v % 5))
print(sorted(data, key=lambda v: v % 5, reverse=True))
print(sorted(["pear", "Apple", "fig", "äpfel", "zed", "Zed", "", "a\u20acb", "a\U0001f600"]))
print(sorted([2.5, -1.0, 0.0, -0.0, 3.25, 1e300, -1e-300]))
nan = float("nan")
print(sorted([3.0, nan, 1.0, 2.0, nan, 0.5]))
print(sorted([(1, "b"), (1, "a"), (0, "z"), (1,), (), (1, "a", 0)]))
print(sorted([(2, 1.5), (2, nan), (1, 9.0), (2, 0.5)]))
print(sorted([("x", 2), ("x", 1), ("w", 3)], reverse=True))
words = "the quick brown fox jumps over the lazy dog again and again".split()
print(sorted(words, key=lambda w: (len(w), w)))
print(sorted(words, key=lambda w: (len(w), w), reverse=True))
print(sorted(enumerate(words), key=lambda p: (p[1], -p[0])))
print(sorted([True, 0, 1, False, -1]))
print(sorted([1, 2.5, 0, -3.5, 10**20, -(10**20)]))

# Tuples holding user objects: __eq__ decides the first differing item,
# then __lt__ orders it, as in CPython.
log.clear()
print(sorted([(1, Key(3)), (1, Key(1)), (0, Key(2)), (1, Key(1))]))
print(log)
log.clear()
print(max([(Key(1), 5), (Key(2), 1), (Key(1), 7)]))
print(log)
log.clear()
print(min([(Key(1), 5), (Key(2), 1), (Key(1), 7)], key=lambda t: t))
print(log)

# str subclasses are not compared natively.
log.clear()
print(sorted([S("b"), S("a"), S("c")]))
print(log)
log.clear()
print(sorted([("k", S("b")), ("k", S("a"))]))
print(log)
log.clear()
print(sorted(["b", S("a"), "c"]))
print(log)

# Mixed kinds: a TypeError from the comparison, items left as far as the sort got.
for bad in ([3, "a", 1], [(1, 2), (1, "x")], [1.5, None], ["a", ("a",)]):
    lst = list(bad)
    try:
        lst.sort()
    except TypeError as e:
        print("TypeError:", e)
    print(sorted(map(repr, lst)))

# A key that raises leaves the list unchanged.
lst = [3, 1, 2]


def bad_key(v):
    if v == 2:
        raise ValueError("no key for 2")
    return v


try:
    lst.sort(key=bad_key)
except ValueError as e:
    print("ValueError:", e)
print(lst)

# A comparison that mutates the list being sorted.
victim = [Key(3), Key(1), Key(2)]


class Meddle:
    def __init__(self, v):
        self.v = v

    def __lt__(self, other):
        victim.append(Key(0))
        return self.v < other.v


victim = [Meddle(3), Meddle(1), Meddle(2)]
try:
    victim.sort()
except ValueError as e:
    print("ValueError:", e)
print(len(victim))

# A single item: the key is still called.
print(sorted([5], key=lambda v: v * 2))
try:
    sorted([5], key=lambda v: 1 / 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)

# Comparison results that are not bools are made bools by the sort.
class Weird:
    def __init__(self, v):
        self.v = v

    def __lt__(self, other):
        return [1] if self.v < other.v else []

    def __repr__(self):
        return "W%d" % self.v


print(sorted([(0, Weird(2)), (0, Weird(1))]))
print((0, Weird(1)) < (0, Weird(2)), (0, Weird(2)) < (0, Weird(1)))
print((1, 2) < (1, 2, 0), (1, 2) <= (1, 2), (1, 3) > (1, 2, 9), (2,) >= (1, 9), (1, 2) == (1, 2.0), (1, 2) != (1, 2))

# Many items (runs, galloping) with tuple and str keys.
big = [((i * 2654435761) % 1000, "w%d" % ((i * 40503) % 97)) for i in range(3000)]
out = sorted(big)
print(out[:5], out[-5:], out == sorted(big, key=lambda t: t))
print(sorted(big, key=lambda t: t[1])[:5])
print(sorted(big, key=lambda t: (t[1], -t[0]), reverse=True)[:5])
