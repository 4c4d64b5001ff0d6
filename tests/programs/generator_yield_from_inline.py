# `yield from` a plain generator resumes it in the eval loop (exec.rs SEND,
# generator.rs resume_inline): values, return values, errors, throw/close.
import sys, traceback
def inner(n):
    for i in range(n):
        got = yield i
        if got is not None:
            print("inner got", got)
    return "inner-done"
def outer():
    r = yield from inner(3)
    print("outer got", r)
    r2 = yield from inner(0)
    print("outer got", r2)
    return "outer-done"
print(list(outer()))
o = outer()
print(next(o), o.send("x"), o.send(None))
try:
    o.send(None)
except StopIteration as e:
    print("stop", e.value)
def deep(n):
    if n:
        r = yield from deep(n - 1)
        return r + 1
    yield "bottom"
    return 0
d = deep(30)
print(next(d))
try:
    next(d)
except StopIteration as e:
    print("deep", e.value)
def failing():
    yield 1
    raise KeyError("k")
def wrap():
    try:
        yield from failing()
    except KeyError as e:
        print("caught", e)
        yield "recovered"
print(list(wrap()))
def stopper():
    yield 1
    raise StopIteration
def wrap2():
    yield from stopper()
try:
    list(wrap2())
except RuntimeError as e:
    print("RuntimeError:", e)
def thrower():
    try:
        yield 1
    except ValueError:
        yield "handled"
def wrap3():
    yield from thrower()
w = wrap3(); next(w)
print(w.throw(ValueError))
def closing():
    try:
        yield 1
    finally:
        print("inner closed")
def wrap4():
    yield from closing()
w = wrap4(); next(w); w.close(); print("closed ok")
def gy():
    yield from range(3)
    yield from [4, 5]
    yield from (x * 2 for x in range(2))
print(list(gy()))
def yf_frames():
    yield sys._getframe().f_back.f_code.co_name
def yf_outer():
    yield from yf_frames()
print(list(yf_outer()))
def self_ref():
    yield from me
me = self_ref()
try:
    next(me)
except ValueError as e:
    print("ValueError:", e)
def tb_inner():
    yield 1
    1 / 0
def tb_outer():
    yield from tb_inner()
try:
    for _ in tb_outer(): pass
except ZeroDivisionError:
    lines = traceback.format_exc().splitlines()
    print("\n".join(l for l in lines if "File" not in l))
