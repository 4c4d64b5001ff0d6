# Strs whose text lives in the object, and the result tuples that zip and
# enumerate recycle: contents, identity and gc tracking as in CPython.
import gc
import sys

words = "The cat saw THE dog and the Cat".split()
print([w.lower() for w in words], [w.upper() for w in words])
print("-".join(words), "".join([]), "x".join(["só"]), "é" + "ü", "" + "")
print(hash("abc") == hash("".join(["a", "bc"])), hash("é" + "ü") == hash("éü"))
print(len("日本" + "語"), ("日本" + "語")[2], "ÀbC".lower(), "straße".upper())
counts = {}
for w in words:
    k = w.lower()
    counts[k] = counts.get(k, 0) + 1
print(sorted(counts.items()))
print(sys.getsizeof("a" * 100) - sys.getsizeof("a" * 10) >= 90)

z = zip([1, 2, 3], [4, 5, 6])
a = next(z)
b = next(z)
print(a, b, a is b)
del a, b
print(next(z), next(z, "done"))
print(list(zip("abc", "def", "ghi", "jkl", "mno", "pqr")))
print(list(enumerate("xyz", 5)), list(enumerate([])))
for i, (x, y) in enumerate(zip([1, 2], [3, 4])):
    print(i, x, y)
kept = [t for t in zip(range(3), "abc")]
print(kept, len(set(map(id, kept))))
for t in enumerate(range(3)):
    print(gc.is_tracked(t), t)
for t in zip([1, 2], [3, 4]):
    gc.collect()
    print(gc.is_tracked(t), t)
e = enumerate([[], []])
x = next(e)
del x
gc.collect()
y = next(e)
print(gc.is_tracked(y), y)
try:
    list(zip([1, 2], [1], strict=True))
except ValueError as ex:
    print(ex)
try:
    list(zip([1], [1, 2], [3], strict=True))
except ValueError as ex:
    print(ex)
print(list(enumerate("ab", 2 ** 63 - 1)))


class D:
    def __del__(self):
        print("del", next(z2, None))


z2 = zip([D(), D(), 3], [1, 2, 3])
for p in z2:
    print("got", p[1])
