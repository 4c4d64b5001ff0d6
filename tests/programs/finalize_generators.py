# A generator dropped while suspended runs its finally at that moment (after
# its weak references are cleared); one never started or finished does not;
# a coroutine never awaited warns.
import warnings
import weakref


class O:
    def __init__(self, n):
        self.n = n

    def __del__(self):
        print("  del", self.n)


def gen(name):
    x = O("local of " + name)
    try:
        yield 1
        yield 2
    finally:
        print("  finally", name)


print("drop suspended:")
g = gen("a")
next(g)
g = None
print("  after")
print("rebind suspended:")
g = gen("b")
next(g)
g = gen("c")
print("  after rebind (c never started)")
del g
print("suspended generators in a list (last first):")
l = [gen(str(i)) for i in range(3)]
for x in l:
    next(x)
del x
del l
print("  after list")
print("local of a returning function:")


def f():
    g = gen("local")
    next(g)
    print("  returning")


f()
print("  returned")
print("exhausted:")
g = gen("ex")
list(g)
print("  exhausted")
del g
print("break out of a for loop over a generator:")
for v in gen("loop"):
    break
print("  after break")
del v


def first():
    for v in gen("return in loop"):
        return v


print("return from inside the loop:", first())
print("generator expression:")
ge = (O(i) for i in range(3))
next(ge)
del ge
print("  after")
print("yield from:")


def outer():
    try:
        yield from gen("inner")
    finally:
        print("  finally outer")


g = outer()
next(g)
del g
print("generator holding a generator:")


def wrapper(inner):
    try:
        yield next(inner)
    finally:
        print("  finally wrapper")


g = wrapper(gen("wrapped"))
next(g)
del g
print("weak reference callback runs before the generator is closed:")
g = gen("w")
next(g)
r = weakref.ref(g, lambda r: print("  weakref callback, dead:", r() is None))
del g
print("exception in the generator body:")


def gen2():
    try:
        yield 1
        raise ValueError
    finally:
        print("  finally gen2")


g = gen2()
next(g)
try:
    next(g)
except ValueError:
    print("  caught")
del g
print("coroutine never awaited:")


async def co():
    return 1


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    c = co()
    del c
    c = co()
    c.close()
    del c
for w in caught:
    print(" ", w.category.__name__, w.message)
print("end")
