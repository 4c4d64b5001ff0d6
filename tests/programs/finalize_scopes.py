# When objects die: del, rebinding, function return (locals in co_varnames
# order), frames unwound by an exception, `except E as e`, temporaries,
# comprehensions, augmented assignment, attributes and slots.


class O:
    def __init__(self, n):
        self.n = n

    def __del__(self):
        print("  del", self.n)

    def __repr__(self):
        return "O(%s)" % self.n

    @property
    def x(self):
        return "x of %s" % self.n

    def meth(self):
        return self


print("del and rebinding:")
g = O("g1")
g = O("g2")
print("  rebound")
del g
print("  deleted")
a = b = O("chain")
del a
print("  del a (b still holds it)")
del b

print("function return releases locals in co_varnames order:")


def f():
    a = O("a")
    b = O("b")
    c = O("c")
    print("  returning")


def g(x, y):
    z = O("z")
    w = O("w")
    print("  returning")


def h():
    c = O("c")
    a = O("a")
    del c
    c = O("c2")
    print("  returning")


f()
g(O("x"), O("y"))
h()
print("  varnames:", h.__code__.co_varnames)


def mk():
    return O("returned")


mk()
print("  discarded return value gone")

print("frame unwinding by an exception:")


def raiser():
    a = O("ra")
    b = O("rb")
    raise ValueError


try:
    raiser()
except ValueError:
    print("  in handler (traceback keeps the frame)")
print("  after handler")


def raiser2():
    a = O("r2a")
    raise ValueError


def catcher():
    try:
        raiser2()
    except ValueError:
        print("  caught inner")
    print("  after inner")


catcher()

print("except ... as e is unbound at the end of the handler:")
try:
    raise KeyError(O("exc-arg"))
except KeyError as e:
    print("  in handler")
print("  after")


class E(Exception):
    def __del__(self):
        print("  del E")


try:
    raise E()
except E as e:
    print("  in handler E")
print("  after E")
try:
    raise E()
except E:
    print("  in handler E (no name)")
print("  after E (no name)")

print("temporaries:")


def ident(o):
    return o


print(" ", ident(O("tmp1")).x)
print(" ", O("tmp2").meth().n, "end of statement")
y = O("tmp3").x
print("  assigned", y)
print(" ", [O("a"), O("b")][1].n)


def star(*args, **kw):
    print("  in star")


star(*[O("s1")], **{"k": O("k1")})
print("  after star")


def tf():
    try:
        return O("first")
    finally:
        return O("second").n


print(" ", tf())

print("comprehensions:")
r = [o.n for o in [O("c0"), O("c1")]]
print(" ", r)
r = [O(i).n for i in range(3)]
print(" ", r)
r = {O(i).n: O(-i).n for i in range(2)}
print(" ", r)
r = sum(len(str(O(i).n)) for i in range(2))
print(" ", r)
r = [x for x in (O(i) for i in range(2))]
print("  made", len(r))
del r

print("augmented assignment:")


class A:
    def __init__(self, n):
        self.n = n

    def __add__(self, o):
        return A(self.n + o)

    def __del__(self):
        print("  del A", self.n)


a = A(1)
a += 1
print("  after +=")
obj = O("holder")
obj.v = A(10)
obj.v += 1
print("  after attribute +=")
lst = [A(20)]
lst[0] += 1
print("  after item +=")
del a, lst

print("attributes and slots:")
obj.a = O("attr1")
obj.a = O("attr2")
print("  rebound")
del obj.a
print("  deleted")


class S:
    __slots__ = ("s",)


s = S()
s.s = O("slot1")
s.s = O("slot2")
print("  slot rebound")
del s.s
print("  slot deleted")
s.s = O("slot3")
del s
print("  slot holder deleted")
del obj

print("unpacking:")
a, b = O("u1"), O("u2")
a, b = b, a
print("  swapped")
a, b = O("n1"), O("n2")
print("  rebound both")
del a, b

print("with statement:")


class CM:
    def __enter__(self):
        return O("enter-result")

    def __exit__(self, *a):
        print("  exit")
        return False

    def __del__(self):
        print("  del CM")


with CM() as v:
    print("  body")
print("  after with")
del v
print("end")
