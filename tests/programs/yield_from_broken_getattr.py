# `yield from` an iterator whose __getattr__ fails: send() and throw() raise
# that error (throw leaves the generator suspended), close() reports it as
# unraisable and goes on.
import sys

class Broken:
    def __iter__(self):
        return self
    def __next__(self):
        return 1
    def __getattr__(self, attr):
        1/0
    def __repr__(self):
        return "<Broken>"

def g():
    yield from Broken()

gi = g()
print(next(gi))
try:
    gi.send(1)
except ZeroDivisionError:
    print("send: ZeroDivisionError", gi.gi_frame is None)

gi = g()
print(next(gi))
try:
    gi.throw(AttributeError)
except ZeroDivisionError:
    print("throw: ZeroDivisionError, suspended:", gi.gi_frame is not None, gi.gi_running)
print("next after throw:", next(gi))

def hook(u):
    print("unraisable", u.exc_type.__name__, u.object)
sys.unraisablehook = hook
gi.close()
print("closed", gi.gi_frame)
