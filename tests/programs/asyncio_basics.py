# asyncio on one thread: tasks, queues, locks, timeouts and sockets.
import asyncio
import socket


async def worker(name, delays, log):
    for d in delays:
        log.append(f"{name} step")
        await asyncio.sleep(d)
    return name.upper()


async def test_gather():
    log = []
    res = await asyncio.gather(worker("a", [0, 0], log), worker("b", [0, 0], log))
    print("gather:", res)
    print("interleaving:", log)


async def test_queue():
    q = asyncio.Queue(maxsize=2)
    got = []

    async def producer():
        for i in range(5):
            await q.put(i)
        await q.put(None)

    async def consumer():
        while True:
            item = await q.get()
            q.task_done()
            if item is None:
                break
            got.append(item * 10)

    await asyncio.gather(producer(), consumer())
    await q.join()
    print("queue:", got, q.empty())


async def test_lock():
    lock = asyncio.Lock()
    order = []

    async def critical(n):
        async with lock:
            order.append(f"enter {n}")
            await asyncio.sleep(0)
            order.append(f"exit {n}")

    await asyncio.gather(*(critical(i) for i in range(3)))
    print("lock:", order, lock.locked())


async def test_wait_for():
    async def slow():
        await asyncio.sleep(0.5)
        return "slow"

    try:
        await asyncio.wait_for(slow(), timeout=0.01)
    except asyncio.TimeoutError:
        print("wait_for: timed out")
    r = await asyncio.wait_for(asyncio.sleep(0.001, result="fast"), timeout=1)
    print("wait_for:", r)


async def test_sockets():
    loop = asyncio.get_running_loop()
    a, b = socket.socketpair()
    a.setblocking(False)
    b.setblocking(False)
    try:
        await loop.sock_sendall(a, b"ping " * 3)
        data = b""
        while len(data) < 15:
            data += await loop.sock_recv(b, 100)
        print("socket:", data)
        await loop.sock_sendall(b, b"pong")
        print("socket:", await loop.sock_recv(a, 100))
        print("family:", a.family == socket.AF_UNIX, a.type == socket.SOCK_STREAM)
    finally:
        a.close()
        b.close()


async def test_cancel():
    async def forever():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            print("cancel: got CancelledError")
            raise

    t = asyncio.create_task(forever())
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("cancel: task cancelled", t.cancelled())


async def main():
    await test_gather()
    await test_queue()
    await test_lock()
    await test_wait_for()
    await test_sockets()
    await test_cancel()
    return 42


print("result:", asyncio.run(main()))
