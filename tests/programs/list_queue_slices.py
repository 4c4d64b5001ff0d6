# Lists used as queues (front removal and insertion) and list slicing:
# results, errors and the order in which side effects happen.
import sys

q = []
for i in range(1000):
    q.append(i)
total = 0
while q:
    x = q.pop(0)
    total += x
    if x % 3 == 0 and x < 900:
        q.append(x + 1000)
print("queue total:", total)

q = list(range(20))
for _ in range(7):
    del q[0]
q.insert(0, "a")
q.insert(1, "b")
q.insert(-1, "z")
q.insert(-100, "front")
q.insert(100, "back")
print(q)
print(q.pop(2), q.pop(-2), q.pop(0), q)
q[:3] = []
print(q)
q[:0] = ["x", "y", "z"]
print(q)
q[:2] = ["one", "two", "three", "four"]
print(q)
del q[:5]
print(q, len(q))
q.remove(12)
print(q, q.index(15), q.count(15), 15 in q)
for bad in [lambda: [].pop(0), lambda: [1].pop(-2), lambda: [1].pop(1), lambda: [1, 2].remove(3)]:
    try:
        bad()
    except (IndexError, ValueError) as e:
        print(type(e).__name__, e)

# Slicing reads.
p = list(range(10))
print(p[:], p[::-1], p[3::-1], p[7:2:-2], p[1:8:3], p[-3:], p[:-3], p[100:], p[::-100], p[5:1])
print(p[-100:100:4], p[9:-100:-4], p[2:2], p[::sys.maxsize], p[::-sys.maxsize])
print(p[10 ** 30:], p[-10 ** 30:2], p[:: 2 ** 70], p[True:])

# Slice assignment of equal and different lengths, and from many sources.
for first in range(1, 10):
    r = list(range(10))
    r[: first + 1] = r[first::-1]
    print(first, r)
r = list(range(8))
r[2:5] = (20, 30, 40)
r[1:3] = "ab"
r[6:] = range(3)
r[::2] = [0] * len(r[::2])
print(r)
r[:] = r
print(r)
r[1:4] = r
print(r)
r[::-1] = r
print(r)
r[5:1] = ["ins"]
print(r)
del r[::3]
print(r)
del r[::-2]
print(r)
del r[1:100:2]
print(r)


class Loud:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("del", self.name)


loud = [Loud(c) for c in "abcde"]
loud[1:4] = [7, 8, 9]
print("replaced equal length")
loud[0:2] = (1,)
print("replaced shorter")
loud = [Loud(c) for c in "uvwxyz"]
loud[::2] = [0, 0, 0]
print("replaced extended")
del loud[1::2]
print("deleted extended")
loud = [Loud("f"), Loud("g")]
loud.pop(0)
print("popped front")
del loud[:]
print("cleared")

# Errors, in CPython's order.
l = [1, 2, 3]
for stmt in ["l[::0] = 5", "l[::0] = [1]", "l['a':] = 5", "l[:'a'] = [1]", "l[1:2] = 5",
             "l[::2] = 5", "l[::2] = [1, 2, 3]", "del l[::0]", "l[1.5:]", "l[::0]"]:
    try:
        exec(stmt)
        print(stmt, l)
    except Exception as e:
        print(stmt, "->", type(e).__name__, e)


class Index:
    def __index__(self):
        l.append(9)
        return 1


l = [1, 2, 3]
print(l[Index():], l)
l = [1, 2, 3]
l[Index():] = [7]
print(l)


def grow():
    l.append(5)
    yield 1


l = [1, 2, 3]
l[1:] = grow()
print(l)
l = [1, 2, 3]
l[0:0] = grow()
print(l)


class Sub(list):
    def __getitem__(self, k):
        return ("sub", k)

    def __setitem__(self, k, v):
        print("sub set", k, v)


s = Sub([1, 2, 3])
print(s[1:2])
s[:1] = [4]
print(list(s), s[::-1] if False else list.__getitem__(s, slice(None, None, -1)))
print(sys.getsizeof([]) < sys.getsizeof([1, 2, 3]))
big = list(range(1000))
for _ in range(900):
    big.pop(0)
print(len(big), sys.getsizeof(big) > sys.getsizeof([]))
