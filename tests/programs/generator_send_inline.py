# gen.send(v) on a plain generator resumes it in the eval loop (exec.rs CALL,
# generator.rs resume_inline): the same results, errors and exception state.
import sys, traceback
def acc():
    total = 0
    while True:
        v = yield total
        if v is None:
            return total
        total += v
a = acc()
print(a.send(None), a.send(1), a.send(2))
try:
    a.send(None)
except StopIteration as e:
    print("StopIteration", e.value)
try:
    a.send(1)
except StopIteration as e:
    print("again", e.value)
b = acc()
try:
    b.send(5)
except TypeError as e:
    print("TypeError:", e)
def bad():
    yield 1
    raise StopIteration("x")
c = bad(); next(c)
try:
    c.send(3)
except RuntimeError as e:
    print("RuntimeError:", e, repr(e.__cause__))
def boom():
    x = yield
    1 / x
d = boom(); d.send(None)
try:
    d.send(0)
except ZeroDivisionError:
    lines = traceback.format_exc().splitlines()
    print("\n".join(l for l in lines if "File" not in l))
class G:
    def send(self, v): return ("custom", v)
print(G().send(4))
def selfsend():
    yield me.send(None)
me = selfsend()
try:
    next(me)
except ValueError as e:
    print("ValueError:", e)
def pp(step):
    ball = yield
    while True:
        ball = yield ball * 3 + step
p = pp(1); q = pp(2); next(p); next(q)
ball = 1
for _ in range(5):
    ball = p.send(ball); ball = q.send(ball)
print(ball)
def excs():
    try:
        raise KeyError("k")
    except KeyError:
        v = yield sys.exc_info()[0].__name__
        yield (v, sys.exc_info()[0].__name__)
e = excs()
print(e.send(None))
try:
    raise OSError
except OSError:
    print(e.send("x"), sys.exc_info()[0].__name__)
