# Parameters of every kind, defaults, closures, decorators, lambdas.
def f(a, b=2, *args, c, d=4, **kw):
    return (a, b, args, c, d, kw)
print(f(1, c=3), f(1, 2, 3, 4, c=5, e=6), f(*[1, 2], **{"c": 3}))
def pos_only(a, /, b):
    return a + b
print(pos_only(1, b=2))
def append_to(x, acc=[]):
    acc.append(x)
    return acc
print(append_to(1), append_to(2))
def counter():
    n = 0
    def inc():
        nonlocal n
        n += 1
        return n
    return inc
c = counter()
c(); c()
print(c())
def deco(fn):
    def wrapper(*a, **k):
        return "<" + str(fn(*a, **k)) + ">"
    return wrapper
@deco
def hello(name):
    return "hi " + name
print(hello("x"), (lambda x, y=1: x + y)(2), f.__name__, hello.__qualname__)
try:
    f()
except TypeError as e:
    print(e)
try:
    pos_only(a=1, b=2)
except TypeError as e:
    print(e)
g = 1
def set_global():
    global g
    g = 2
set_global()
print(g, f.__defaults__, f.__kwdefaults__)
