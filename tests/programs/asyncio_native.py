# The native _asyncio Future and Task: states, cancellation with messages,
# exceptions, done callbacks and their contexts, gather/wait/timeouts, task
# names, subclasses, the task step's errors and the registry functions.
import asyncio
import contextvars
import io
import sys
import _asyncio
import builtins


def print(*args, sep=" ", end="\n", file=None):
    # Task reprs name this file by its path, which differs from clone to clone.
    builtins.print(sep.join(map(str, args)).replace(__file__, "FILE"), end=end, file=file)

print(asyncio.Future is _asyncio.Future, asyncio.Task is _asyncio.Task)
print(issubclass(asyncio.Task, asyncio.Future), asyncio.Future[int])

var = contextvars.ContextVar("var", default="unset")


def show(label, f):
    try:
        print(label, "->", f())
    except BaseException as e:
        print(label, "raises", type(e).__name__, e.args)


async def sleeper(delay, value):
    await asyncio.sleep(delay)
    return value


async def failing():
    await asyncio.sleep(0)
    raise KeyError("bad")


async def future_states():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    print(repr(f), f.done(), f.cancelled(), f._state, f._callbacks)
    show("result pending", f.result)
    show("exception pending", f.exception)
    f.set_result([1, 2])
    print(repr(f), f.result(), f.exception(), f._result)
    show("set twice", lambda: f.set_result(3))
    show("cancel done", f.cancel)

    g = loop.create_future()
    show("set StopIteration", lambda: g.set_exception(StopIteration))
    show("set non-exception", lambda: g.set_exception(42))
    g.set_exception(ValueError)
    print(type(g.exception()).__name__, g._log_traceback)
    show("result with exception", g.result)
    show("log_traceback True", lambda: setattr(g, "_log_traceback", True))
    show("del blocking", lambda: delattr(g, "_asyncio_future_blocking"))

    c = loop.create_future()
    print(c.cancel("why"), c.cancelled(), c._cancel_message, repr(c))
    show("cancelled result", c.result)
    show("cancelled exception", c.exception)
    c._cancel_message = "changed"
    show("cancelled result again", c.result)

    u = asyncio.Future.__new__(asyncio.Future)
    show("uninit result", u.result)
    show("uninit exception", u.exception)
    show("uninit set_result", lambda: u.set_result(1))
    show("uninit get_loop", u.get_loop)
    show("uninit done", u.done)
    show("positional loop", lambda: asyncio.Future(loop))

    it = iter(loop.create_future())
    show("iter throw", lambda: it.throw(ValueError("x")))
    show("iter throw bad", lambda: it.throw(42))
    d = loop.create_future()
    d.set_result((1, 2))
    try:
        d.__await__().send(None)
    except StopIteration as e:
        print("StopIteration args", e.args)
    print(await d)


async def callbacks():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    seen = []

    def cb(fut):
        seen.append(("cb", var.get(), fut.result()))

    def other(fut):
        seen.append(("other", var.get()))

    var.set("outer")
    f.add_done_callback(cb)
    ctx = contextvars.copy_context()
    ctx.run(var.set, "inside")
    f.add_done_callback(other, context=ctx)
    f.add_done_callback(other)
    print(len(f._callbacks), f.remove_done_callback(other), len(f._callbacks))
    f.set_result("v")
    f.add_done_callback(cb)  # done already: scheduled at once
    await asyncio.sleep(0)
    print(seen)


async def cancellation():
    loop = asyncio.get_running_loop()
    t = asyncio.create_task(sleeper(10, "never"), name="sleepy")
    await asyncio.sleep(0)
    print(t.get_name(), t.cancelling(), t.cancel("stop it"), t.cancelling())
    print(t.cancel("again"), t.cancelling(), t.uncancel(), t.cancelling())
    try:
        await t
    except asyncio.CancelledError as e:
        print("cancelled with", e.args, t.cancelled(), t._state)
    print(t.cancel(), repr(t))

    async def stubborn():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError as e:
            print("stubborn caught", e.args)
        return "survived"

    s = asyncio.create_task(stubborn())
    await asyncio.sleep(0)
    s.cancel("please")
    print(await s, s.cancelled())

    async def cancel_before_start():
        return "ran"

    b = asyncio.create_task(cancel_before_start())
    b.cancel("early")
    try:
        await b
    except asyncio.CancelledError as e:
        print("early cancel", e.args)

    try:
        await asyncio.wait_for(sleeper(10, 1), 0.01)
    except asyncio.TimeoutError as e:
        print("timeout", type(e).__name__, type(e.__context__).__name__)

    f = loop.create_future()
    loop.call_soon(f.cancel, "from callback")
    try:
        await f
    except asyncio.CancelledError as e:
        print("future cancelled", e.args)


async def exceptions():
    t = asyncio.create_task(failing())
    try:
        await t
    except KeyError as e:
        print("task raised", e.args, t.done(), type(t.exception()).__name__)
    print(await asyncio.gather(failing(), sleeper(0, 5), return_exceptions=True))
    try:
        await asyncio.gather(failing(), sleeper(0, 5))
    except KeyError as e:
        print("gather raised", e.args)
    done, pending = await asyncio.wait([asyncio.create_task(sleeper(0, i)) for i in range(3)])
    print(sorted(x.result() for x in done), pending)
    tasks = [asyncio.create_task(sleeper(d, d)) for d in (0, 0.05)]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print(len(done), len(pending))
    for p in pending:
        p.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


async def bad_yields():
    loop = asyncio.get_running_loop()

    @asyncio.coroutine if hasattr(asyncio, "coroutine") else (lambda f: f)
    def unused():
        pass

    class Weird:
        def __await__(self):
            yield 42

    class Gen:
        def __await__(self):
            def g():
                yield
            yield g()

    other_loop = asyncio.new_event_loop()

    class Foreign:
        def __await__(self):
            fut = other_loop.create_future()
            fut._asyncio_future_blocking = True
            yield fut

    class NotBlocking:
        def __await__(self):
            yield loop.create_future()

    for obj in (Weird(), Gen(), Foreign(), NotBlocking()):
        async def use(o=obj):
            await o
        t = asyncio.create_task(use())
        try:
            await t
        except RuntimeError as e:
            print(type(obj).__name__, "->", str(e).split(" <")[0].split(":")[0])
    other_loop.close()

    async def self_await():
        await task
    task = asyncio.create_task(self_await())
    try:
        await task
    except RuntimeError as e:
        print("self await ->", str(e).split(":")[0])


async def names_and_registry():
    loop = asyncio.get_running_loop()
    t = asyncio.create_task(sleeper(0, 1))
    print(t.get_name().startswith("Task-"), t.get_coro().__name__)
    t.set_name(123)
    print(repr(t.get_name()), asyncio.current_task() is not t, t in asyncio.all_tasks())
    await t
    print(t in asyncio.all_tasks(), asyncio.current_task().get_name())
    show("set_result on task", lambda: t.set_result(1))
    show("set_exception on task", lambda: t.set_exception(ValueError()))
    show("not a coroutine", lambda: asyncio.Task(42, loop=loop))
    show("enter while running", lambda: _asyncio._enter_task(loop, t))
    show("leave other", lambda: _asyncio._leave_task(loop, t))
    print(_asyncio.get_running_loop() is loop, _asyncio._get_running_loop() is loop)
    print(type(t.get_stack()), t._fut_waiter, t._must_cancel, t._coro.__name__)

    async def show_stack():
        await asyncio.sleep(0)
    s = asyncio.create_task(show_stack())
    await asyncio.sleep(0)
    out = io.StringIO()
    s.print_stack(file=out)
    print(out.getvalue().splitlines()[0], len(s.get_stack()))
    await s


class MyFuture(asyncio.Future):
    def __init__(self, *, loop=None):
        super().__init__(loop=loop)
        self.extra = "mine"

    def set_result(self, value):
        super().set_result(value * 2)


class MyTask(asyncio.Task):
    steps = 0


async def subclasses():
    loop = asyncio.get_running_loop()
    f = MyFuture(loop=loop)
    loop.call_soon(f.set_result, 21)
    print(await f, f.extra, repr(f))
    t = MyTask(sleeper(0, "sub"), loop=loop, name="custom")
    print(await t, repr(t), type(t).__name__)
    plain = loop.create_future()
    plain.attr = 5
    print(plain.attr, hasattr(plain, "__dict__"))


async def argument_errors():
    loop = asyncio.get_running_loop()

    async def c():
        pass

    co = c()
    show("Task two positional", lambda: asyncio.Task(co, 1, loop=loop))
    show("Task no coro", lambda: asyncio.Task(loop=loop))
    show("Task bad keyword", lambda: asyncio.Task(co, loop=loop, bogus=1))
    co.close()
    f = loop.create_future()
    show("add_done_callback()", lambda: f.add_done_callback())
    show("add_done_callback two", lambda: f.add_done_callback(print, None))
    show("result(1)", lambda: f.result(1))
    show("cancel(1, 2)", lambda: f.cancel(1, 2))
    show("set_result()", lambda: f.set_result())
    show("remove_done_callback()", lambda: f.remove_done_callback())
    show("unbound result", lambda: asyncio.Future.result(1))
    show("get_name on future", lambda: asyncio.Task.get_name(f))
    show("Future two keywords", lambda: asyncio.Future(loop=loop, x=1))
    show("send()", lambda: f.__await__().send())
    show("throw()", lambda: f.__await__().throw())
    show("throw bad traceback", lambda: f.__await__().throw(ValueError, 1, 2))
    t = asyncio.create_task(c())
    show("get_stack(1)", lambda: t.get_stack(1))
    show("print_stack(1)", lambda: t.print_stack(1))
    show("set_name()", lambda: t.set_name())
    show("new of int", lambda: asyncio.Future.__new__(int))
    show("FutureIter()", lambda: type(iter(f))())
    await t


def no_loop():
    show("get_running_loop", _asyncio.get_running_loop)
    print(_asyncio._get_running_loop())


async def main():
    for part in (future_states, callbacks, cancellation, exceptions, bad_yields,
                 names_and_registry, subclasses, argument_errors):
        print("--", part.__name__)
        await part()


no_loop()
asyncio.run(main())
no_loop()
