import asyncio
async def agen():
    yield 1
    yield 2
class AIt:
    def __init__(self): self.n = 0
    def __aiter__(self): return self
    async def __anext__(self):
        self.n += 1
        if self.n > 2: raise StopAsyncIteration
        return self.n * 10
async def main():
    g = agen()
    print(await anext(g), await anext(g), await anext(g, 'done'))
    try:
        await anext(g)
    except StopAsyncIteration: print("stop")
    a = aiter(AIt())
    print(await anext(a), await anext(a, 5), await anext(a, 5))
    aw = anext(agen(), None)
    print(type(aw).__name__)
    for bad in (1, [1]):
        try: anext(bad)
        except TypeError as e: print(e)
        try: aiter(bad)
        except TypeError as e: print(e)
    class Bad:
        def __aiter__(self): return 1
    try: aiter(Bad())
    except TypeError as e: print(e)
    print(await anext(agen(), default := 3))
asyncio.run(main())
