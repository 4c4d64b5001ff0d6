# Generators resumed by a for loop run in the eval loop's own frame chain
# (exec.rs FOR_ITER, generator.rs resume_inline): same behaviour as next().
import sys, traceback
def g(n):
    for i in range(n):
        yield i
    return "done"
print(list(g(3)), sum(g(10)))
for x in g(3):
    print(x)
def h():
    yield 1
    raise ValueError("boom")
try:
    for x in h():
        print("got", x)
except ValueError:
    lines = traceback.format_exc().splitlines()
    print("\n".join(line for line in lines if "File" not in line))
def s():
    yield 1
    raise StopIteration
try:
    for x in s(): pass
except RuntimeError as e:
    print("RuntimeError:", e, type(e.__cause__).__name__)
def reent():
    yield 1
    for y in gen: pass
gen = reent()
try:
    for x in gen: pass
except ValueError as e:
    print("ValueError:", e)
def running():
    yield gen2.gi_running
    yield gen2.gi_suspended
gen2 = running()
print([v for v in gen2], gen2.gi_running, gen2.gi_frame)
def exc_state():
    try:
        raise KeyError("inner")
    except KeyError:
        yield sys.exc_info()[0].__name__
        yield sys.exc_info()[0].__name__
    yield sys.exc_info()[0]
try:
    raise TypeError("outer")
except TypeError:
    for v in exc_state():
        print(v, sys.exc_info()[0].__name__)
def nested():
    for a in g(2):
        for b in g(2):
            yield a, b
print(list(nested()))
def deep(n):
    if n: 
        yield from deep(n-1)
    yield n
print(sum(deep(50)))
it = g(5)
for v in it:
    if v == 2: break
print(next(it), list(it))
def rec(n):
    for x in rec(n + 1): yield x
    yield n
try:
    for x in rec(0): pass
except RecursionError as e:
    print("RecursionError", e)
def closes():
    try:
        yield 1
        yield 2
    finally:
        print("closed")
for v in closes():
    break
print("after")

def watch():
    yield gw.gi_frame is not None, gw.gi_frame.f_code.co_name, gw.gi_frame.f_back.f_code.co_name
    yield gw.gi_running
def driver():
    return list(gw)
gw = watch()
print(driver(), gw.gi_frame)
gs2 = watch
def sender():
    g = watch2()
    return g.send(None)
def watch2():
    me2 = yield
    yield
print(sender())
