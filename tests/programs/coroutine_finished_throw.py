# Throwing into a finished coroutine is refused like sending; a finished
# generator re-raises. A bad awaitable from __anext__ is a TypeError caused by
# the original error. Docstrings of generator and coroutine methods.
import types

async def coroutine():
    return 'spam'

coro = coroutine()
try:
    coro.send(None)
except StopIteration as e:
    print("StopIteration", e.value)
for step in ("send", "throw", "close"):
    try:
        if step == "send":
            coro.send(None)
        elif step == "throw":
            coro.throw(Exception("wat"))
        else:
            print("close ->", coro.close())
    except RuntimeError as e:
        print(step, "RuntimeError:", e)

def gen():
    yield 1
g = gen()
list(g)
try:
    g.throw(KeyError("k"))
except KeyError as e:
    print("generator throw re-raises", repr(e))

class F:
    def __aiter__(self):
        return self
    def __anext__(self):
        return self
    def __await__(self):
        1 / 0

class G(F):
    def __anext__(self):
        return 5

async def main(cls):
    async for _ in cls():
        pass

for cls in (F, G):
    try:
        main(cls).send(None)
    except TypeError as e:
        print("TypeError:", e, "| cause:", repr(e.__cause__), e.__suppress_context__)

for t in (types.GeneratorType, types.CoroutineType):
    for n in ("send", "throw", "close"):
        print(repr(getattr(t, n).__doc__))
for t in (types.GeneratorType, types.CoroutineType, types.AsyncGeneratorType):
    print(t.__dict__["__name__"].__doc__, "|", t.__dict__["__qualname__"].__doc__)
