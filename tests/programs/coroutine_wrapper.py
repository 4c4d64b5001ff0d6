import asyncio
class Delayed:
    def __init__(self, v): self.v = v
    def __await__(self):
        return asyncio.sleep(0, self.v).__await__()
async def c(): return 5
async def main():
    print(await Delayed(7))
    w = c().__await__()
    print(type(w).__name__, iter(w) is w)
    try:
        next(w)
    except StopIteration as e:
        print("value", e.value)
asyncio.run(main())
