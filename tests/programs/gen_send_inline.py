# gen.send() resumed in the eval loop: edge cases of the inline path.
import sys, types

def echo():
    got = []
    try:
        while True:
            v = yield len(got)
            got.append(v)
    except GeneratorExit:
        print("closed with", got)
        raise

g = echo()
print(g.send(None))
print(g.send("a"), g.send("b"))
print(types.GeneratorType.send(g, "c"))
g.close()
try:
    g.send(1)
except StopIteration as e:
    print("StopIteration", e.value)

# a value sent to a fresh generator
h = echo()
try:
    h.send(5)
except TypeError as e:
    print("TypeError:", e)

# send() on a method that is not a generator's
class NotGen:
    send = types.GeneratorType.send
try:
    NotGen().send(1)
except TypeError as e:
    print("TypeError:", type(e).__name__)

# return value as StopIteration, and an exception out of send
def ret():
    x = yield 1
    if x == "boom":
        raise ValueError("boom")
    return x * 2

r = ret(); next(r)
try:
    r.send(21)
except StopIteration as e:
    print("returned", e.value)
r = ret(); next(r)
try:
    r.send("boom")
except ValueError as e:
    print("raised", e)

# re-entrant send is refused
def selfsend():
    yield me.send(None)
me = selfsend()
try:
    next(me)
except ValueError as e:
    print("ValueError:", e)

# the sender's frame is the generator frame's f_back while it runs
def who():
    while True:
        yield sys._getframe().f_back.f_code.co_name
def caller():
    w = who(); next(w)
    return w.send(None)
print(caller())

# deep chains of sends stop at the recursion limit
def relay(nxt):
    v = yield
    while True:
        v = yield (nxt.send(v) if nxt is not None else v)
chain = None
for _ in range(50):
    chain = relay(chain); next(chain)
print(chain.send(7))
