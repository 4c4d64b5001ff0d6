# Fast paths of str (one-character strs shared like CPython's latin-1
# singletons, ASCII title/replace, replace returning the str itself),
# dict.setdefault (one lookup: a key's __eq__ runs as in CPython), dict
# items iteration, and sum() over lists and tuples, with their slow cases.

# (Identity is checked on strs made at run time: constants are interned.)
s = "Hello, wörld €uro"
xh, ww, oe, euro, ff = "".join(["x", "H"]), "w" * 2, "ö" * 1, "€" * 2, "\xff" * 3
print([c for c in s], s[0] is xh[1], s[7] is ww[0], s[-1] is s[-1])
print(s[8] is oe[0], chr(246) is s[8], chr(0x20ac) is s[12], euro[0] is euro[1])
print([s[i] for i in range(-3, 3)], list("ab\x00\xff"), ff[0] is chr(255), ff[1] is ff[2])
ident = [id(c) for c in "abab"]
print(ident[0] == ident[2], ident[1] == ident[3])
try:
    s[40]
except IndexError as e:
    print("IndexError:", e)


class Sub(str):
    pass


print(type(Sub("abc")[1]), [type(c).__name__ for c in Sub("xy")])

for t in ["hello world", "HELLO wORLD", "o'neil mc-donald 3rd x", "", "  a  b", "über straße", "ǆemal ǉub", "a1b2 c3"]:
    print(repr(t.title()), repr(Sub(t).title()), type(Sub(t).title()).__name__)

r = "a b c"
print(r.replace(" ", "_"), r.replace(" ", "_", 1), r.replace(" ", "__"), r.replace("b", "€"), "é é".replace(" ", "-"))
print(r.replace("x", "y") is r, r.replace(" ", "_", 0) is r, r.replace("abcdef", "") is r)
sp = " "
print(r.replace(sp, sp) is r, r.replace(" ", " ") == r, "".replace("", "x"), "ab".replace("", "-"), "ab".replace("", "-", 1))
q = Sub("a b")
print(type(q.replace("x", "y")).__name__, q.replace("x", "y") is q, q.replace(" ", "+"))
try:
    r.replace(1, "x")
except TypeError as e:
    print("TypeError:", e)

# setdefault: one lookup.
calls = []


class K:
    def __init__(self, v, h):
        self.v, self.h = v, h

    def __hash__(self):
        calls.append(("hash", self.v))
        return self.h

    def __eq__(self, other):
        calls.append(("eq", self.v, other.v))
        return self.v == other.v

    def __repr__(self):
        return "K(%r)" % self.v


d = {K(1, 7): "one", K(2, 7): "two"}
calls.clear()
print(d.setdefault(K(3, 7), "three"), calls)
calls.clear()
print(d.setdefault(K(2, 7), "x"), calls)
calls.clear()
print(d.setdefault(K(4, 8)), calls, len(d))
print(list(d.items()))
words = {}
for w in "a b a c b a".split():
    words.setdefault(w, []).append(len(words))
print(words)
try:
    {}.setdefault([], 1)
except TypeError as e:
    print("TypeError:", e)


class Mutator:
    def __init__(self, target):
        self.target = target

    def __hash__(self):
        return 1

    def __eq__(self, other):
        self.target.clear()
        return False


m = {}
m[Mutator(m)] = 1
print(m.setdefault(Mutator(m), 2), len(m))

# Items iteration and mutation during it.
d = {"x": 1, "y": 2, "z": 3}
print([kv for kv in d.items()], max(d.items(), key=lambda kv: (kv[1], kv[0])))
it = iter(d.items())
a = next(it)
b = next(it)
print(a, b, a is b)
try:
    for k, v in d.items():
        d[k + k] = v
except RuntimeError as e:
    print("RuntimeError:", e)
print(list(reversed(d.items())))

# sum over lists and tuples (read by index) and other iterables.
print(sum([1, 2, 3]), sum((1.5, 2, True)), sum([], 10), sum([[1], [2]], []), sum(x * x for x in range(5)))
print(sum([2**62, 2**62, 2**62]), sum([1, 2.5, 10**30]), sum((0.1,) * 10), sum([1, 2], start=3))


class Grow:
    def __init__(self, lst, v):
        self.lst, self.v = lst, v

    def __radd__(self, other):
        if len(self.lst) < 6:
            self.lst.append(Grow(self.lst, self.v + 1))
        return other + self.v


lst = []
lst.append(Grow(lst, 1))
print(sum(lst), len(lst))


class Shrink:
    def __radd__(self, other):
        del lst2[:]
        return other + 100


lst2 = [1, Shrink(), 3, 4]
print(sum(lst2), lst2)
try:
    sum(["a", "b"])
except TypeError as e:
    print("TypeError:", e)
try:
    sum([1, "b"])
except TypeError as e:
    print("TypeError:", e)
try:
    sum()
except TypeError as e:
    print("TypeError:", e)
try:
    sum(iterable=[4, 5])
except TypeError as e:
    print("TypeError:", e)
