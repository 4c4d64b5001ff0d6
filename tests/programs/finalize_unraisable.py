# Exceptions raised by __del__, weakref callbacks and generators closed when
# freed: "Exception ignored in: ..." and the traceback on stderr (through
# sys.unraisablehook), and the program continues.
import io
import re
import sys
import weakref


def capture(fn):
    old = sys.stderr
    sys.stderr = buf = io.StringIO()
    try:
        fn()
    finally:
        sys.stderr = old
    text = re.sub(r"0x[0-9a-fA-F]+", "0x...", buf.getvalue())
    text = re.sub(r'File "[^"]*?([^/\\"]+)"', r'File "\1"', text)
    for line in text.splitlines():
        print("  |", line)


class Bad:
    def __del__(self):
        raise ValueError("boom")


def drop_bad():
    b = Bad()
    del b
    print("  continued")


print("__del__ raising:")
capture(drop_bad)


def temporary():
    Bad()
    print("  after temporary")


capture(temporary)


class Deep:
    def __del__(self):
        self.helper()

    def helper(self):
        return 1 / 0


def drop_deep():
    d = Deep()
    del d


print("error raised deeper in __del__:")
capture(drop_deep)


class Empty:
    def __del__(self):
        raise KeyboardInterrupt


def drop_empty():
    x = Empty()
    del x
    print("  continued after KeyboardInterrupt")


print("empty message (': ' is still written):")
capture(drop_empty)


class Exit:
    def __del__(self):
        sys.exit(3)


def drop_exit():
    x = Exit()
    del x
    print("  continued after SystemExit")


print("SystemExit in __del__ is ignored too:")
capture(drop_exit)


class Chained:
    def __del__(self):
        try:
            raise ValueError("inner")
        except ValueError:
            raise RuntimeError("outer")


def drop_chained():
    x = Chained()
    del x


print("no chained exceptions in the report:")
capture(drop_chained)


class Static:
    @staticmethod
    def __del__():
        raise TypeError("static")


class ClassM:
    __del__ = classmethod(lambda cls: 1 / 0)


def drop_descriptors():
    x = Static()
    del x
    y = ClassM()
    del y


print("__del__ that is not a plain function is named as bound:")
capture(drop_descriptors)


class Err(Exception):
    pass


class ModErr:
    def __del__(self):
        raise io.UnsupportedOperation("nope")


class MainErr:
    def __del__(self):
        raise Err("mine")


def drop_modules():
    a = ModErr()
    del a
    b = MainErr()
    del b


print("exception type with its module (not for builtins or __main__):")
capture(drop_modules)


class InstanceDel:
    def __init__(self):
        self.__del__ = lambda: print("  instance attribute __del__ (never called)")

    def __del__(self):
        print("  type's __del__")


print("__del__ is looked up on the type:")
InstanceDel()


class Target:
    pass


def weak_callback_error():
    o = Target()
    w = weakref.ref(o, lambda r: {}["missing"])
    del o
    print("  continued after callback")


print("weakref callback raising:")
capture(weak_callback_error)


def finalize_error():
    o = Target()
    weakref.finalize(o, lambda: 1 / 0)
    del o


print("weakref.finalize raising:")
capture(finalize_error)


def gen():
    try:
        yield 1
    finally:
        raise ValueError("from finally")


def stubborn():
    try:
        yield 1
    except GeneratorExit:
        yield 2


def drop_generators():
    g = gen()
    next(g)
    del g
    s = stubborn()
    next(s)
    del s


print("generators closed when freed:")
capture(drop_generators)

print("sys.unraisablehook:")
seen = []


def hook(u):
    seen.append(u)
    print("  hook:", type(u).__name__, u.exc_type.__name__, repr(u.exc_value), u.err_msg,
          type(u.object).__name__, u.exc_traceback is not None)


sys.unraisablehook = hook
Bad()
o = Target()
w = weakref.ref(o, lambda r: 1 / 0)
del o
g = gen()
next(g)
del g
print("  fields:", type(seen[0]).__match_args__, len(seen[0]))
print("  same type each time:", type(seen[0]) is type(seen[1]))
seen.clear()


def bad_hook(u):
    raise KeyError("hook failed")


def with_bad_hook():
    sys.unraisablehook = bad_hook
    Bad()


print("a failing hook is reported instead:")
capture(with_bad_hook)


def with_none_hook():
    sys.unraisablehook = None
    Bad()


print("hook set to None: default report:")
capture(with_none_hook)


def with_default_hook():
    sys.unraisablehook = sys.__unraisablehook__
    Bad()


print("sys.__unraisablehook__:")
capture(with_default_hook)
try:
    sys.__unraisablehook__(1)
except TypeError as e:
    print("  TypeError:", e)
print("end")
