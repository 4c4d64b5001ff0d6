# gen.throw() edge cases: a class whose __new__ returns a non-exception,
# errors while instantiating, and the context of an exception thrown through
# `yield from`; generator lambdas return their body's value.

class E(Exception):
    def __new__(cls, *args, **kwargs):
        return cls

def boring():
    yield

g = boring()
next(g)
try:
    g.throw(E)
except TypeError as e:
    print("TypeError:", str(e).replace(__name__, "M"))
try:
    next(g)
except StopIteration:
    print("finished: the TypeError was raised inside the generator")

def catching():
    try:
        yield 1
    except TypeError as e:
        print("caught inside:", type(e).__name__, "should have returned" in str(e))
        yield 2

g = catching()
next(g)
print("throw ->", g.throw(E))

class Bad(Exception):
    def __init__(self, *args):
        raise ValueError("init failed: %r" % (args,))

g = catching()
next(g)
try:
    g.throw(Bad, "x")
except ValueError as e:
    print("ValueError:", e)

def f():
    yield

def g2():
    try:
        raise KeyError('a')
    except Exception:
        yield from f()

gen = g2()
gen.send(None)
try:
    gen.throw(ValueError)
except ValueError as e:
    ctx = e.__context__
    print("context:", type(ctx).__name__, ctx.args)

def g3():
    try:
        raise KeyError('b')
    except Exception:
        yield

gen = g3()
gen.send(None)
try:
    gen.throw(ValueError("v"))
except ValueError as e:
    print("context:", type(e.__context__).__name__, e.__context__.args)

# Bad arguments are raised by throw() itself, not in the generator.
gen = catching()
next(gen)
for args in [(1,), (ValueError(), 1), (ValueError, None, 5)]:
    try:
        gen.throw(*args)
    except TypeError as e:
        print("TypeError:", e)
print("resumes normally:", next(gen, "done"))

def g():
    return (yield 1)
f1 = lambda: (yield 1)
f2 = lambda: (yield from g())
for fn in (f1, f2):
    gen = fn()
    print(next(gen))
    try:
        gen.send(2)
    except StopIteration as e:
        print("returned", e.value)
print(list(lambda: (yield from [1, 2])) if False else list((lambda: (yield from [1, 2]))()))
