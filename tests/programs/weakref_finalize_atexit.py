# weakref.finalize at interpreter exit: atexit finalizers run, newest first,
# after atexit handlers registered later than the first finalize.
import weakref


class Obj:
    def __init__(self, name):
        self.name = name


def section(t):
    print("--", t)


section("at exit")
keep = Obj("kept")
weakref.finalize(keep, print, "atexit finalizer 1")
weakref.finalize(keep, print, "atexit finalizer 2")
skipped = weakref.finalize(keep, print, "never printed")
skipped.atexit = False
other = Obj("other")
weakref.finalize(other, print, "atexit finalizer 3")
import atexit
atexit.register(print, "plain atexit handler")
print("end of script")
