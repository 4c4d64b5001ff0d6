import types
@types.coroutine
def tick():
    yield "tick"
async def agen(n):
    try:
        for i in range(n):
            await tick()
            yield i
    finally:
        print("agen finally")
async def main():
    out = []
    async for x in agen(3):
        out.append(x)
    print("collected", out)
    g = agen(5)
    print(await g.__anext__(), await g.asend(None))
    await g.aclose()
    try:
        await g.__anext__()
    except StopAsyncIteration:
        print("exhausted after aclose")
    g2 = agen(3)
    await g2.__anext__()
    try:
        await g2.athrow(ValueError("boom"))
    except ValueError as e:
        print("athrow raised", e)
    return "done"
def run(coro):
    try:
        while True:
            v = coro.send(None)
            assert v == "tick", v
    except StopIteration as e:
        return e.value
print(run(main()))
