# PEP 525's hooks: firstiter on the first __anext__/asend/athrow/aclose, the
# finalizer (instead of closing) when an unfinished async generator is freed,
# hooks kept per thread, and asyncio closing async generators through them.
import asyncio
import gc
import sys
import threading

log = []
def firstiter(g):
    log.append(('firstiter', g.__name__))
def finalizer(g):
    log.append(('finalizer', g.__name__))
    kept.append(g)  # resurrects it
kept = []

async def agen():
    try:
        yield 1
        yield 2
    finally:
        log.append('agen finally')

print(sys.get_asyncgen_hooks())
print(type(sys.get_asyncgen_hooks()).__name__, type(sys.get_asyncgen_hooks()).__module__)
old = sys.get_asyncgen_hooks()
sys.set_asyncgen_hooks(firstiter=firstiter, finalizer=finalizer)
h = sys.get_asyncgen_hooks()
print(h.firstiter is firstiter, h.finalizer is finalizer, h[0] is firstiter, len(h))

g = agen()
print('made:', log)
c = g.__anext__()
print('after __anext__:', log)
try:
    c.send(None)
except StopIteration as e:
    print('value', e.value)
del c
g2 = agen()
g2.asend(None).close()
print(log)
log.clear()
del g
print('after del:', log, len(kept))
# The finalizer ran once; closing the resurrected generator now runs its finally.
g = kept.pop()
try:
    g.aclose().send(None)
except StopIteration:
    pass
print(log)
log.clear()
del g
gc.collect()
print('after second free:', log)
# A generator that finished needs no finalizer.
async def short():
    yield 1
g = short()
for step in range(2):
    try:
        g.__anext__().send(None)
    except (StopIteration, StopAsyncIteration) as e:
        print(type(e).__name__)
del g
print('finished freed:', log)
log.clear()

# Hooks are per thread.
seen = []
def other():
    seen.append(sys.get_asyncgen_hooks())
    sys.set_asyncgen_hooks(firstiter=print)
t = threading.Thread(target=other)
t.start()
t.join()
print('other thread saw:', seen[0], sys.get_asyncgen_hooks().firstiter is firstiter)

# Only one argument changes; None removes a hook.
sys.set_asyncgen_hooks(finalizer=None)
print(sys.get_asyncgen_hooks().firstiter is firstiter, sys.get_asyncgen_hooks().finalizer)
for bad in [dict(firstiter=1), dict(finalizer='x'), dict(firstiter=1, finalizer=2)]:
    try:
        sys.set_asyncgen_hooks(**bad)
    except TypeError as e:
        print('TypeError:', e)
sys.set_asyncgen_hooks(*old)
print(sys.get_asyncgen_hooks())

# asyncio registers its own hooks: an abandoned generator is closed by the loop.
async def ticker():
    try:
        for i in range(10):
            yield i
            await asyncio.sleep(0)
    finally:
        print('ticker closed')

async def main():
    hooks = sys.get_asyncgen_hooks()
    print('loop hooks set:', hooks.firstiter is not None, hooks.finalizer is not None)
    t = ticker()
    async for v in t:
        if v == 2:
            break
    del t
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    left = ticker()
    await left.__anext__()
    print('main done')
    return left

held = asyncio.run(main())
print('after run, hooks reset:', sys.get_asyncgen_hooks())
