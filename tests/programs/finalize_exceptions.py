# When objects held by exceptions and tracebacks die: frames kept by a
# traceback release their locals when the exception goes; sys.exc_info,
# chaining, saved exceptions, finally blocks.
import sys, traceback
class O:
    def __init__(self, n): self.n = n
    def __del__(self): print("  del", self.n)
class E(Exception):
    def __init__(self, n): super().__init__(n); self.n = n
    def __del__(self): print("  del E", self.n)
def lvl3():
    c = O("lvl3 local"); raise E("e3")
def lvl2():
    b = O("lvl2 local"); lvl3()
def lvl1():
    a = O("lvl1 local"); lvl2()
print("propagate through 3 frames:")
try:
    lvl1()
except E:
    print("  handler")
print("  after")
print("saved exception:")
try:
    lvl1()
except E as e:
    saved = e
print("  after handler")
del saved
print("  after del saved")
print("traceback frames cleared:")
try:
    lvl1()
except E as e:
    e.__traceback__ = None
    print("  tb cleared")
print("  after")
print("chained context:")
try:
    try:
        raise E("inner")
    except E:
        raise E("outer")
except E as e:
    print("  handler", e.n)
print("  after")
print("raise from:")
try:
    raise E("top") from E("cause")
except E:
    print("  handler")
print("  after")
print("exception in nested handler replaced:")
def nested():
    try:
        raise E("first")
    except E:
        try:
            raise E("second")
        except E:
            print("  inner handler")
        print("  after inner")
    print("  after outer")
nested()
print("exception caught in function, local released at return:")
def catch_local():
    x = O("cl")
    try:
        raise E("cl-exc")
    except E as e:
        print("  handling")
    print("  returning")
catch_local()
print("sys.exc_info copy:")
try:
    raise E("info")
except E:
    info = sys.exc_info()
print("  after handler")
del info
print("exception never caught in generator:")
def g():
    x = O("gen local")
    yield 1
    raise E("from gen")
try:
    for _ in g(): pass
except E:
    print("  caught")
print("  after")
print("finally runs with local alive:")
def fin():
    x = O("fin local")
    try:
        raise E("fin exc")
    finally:
        print("  in finally")
try: fin()
except E: print("  caught")
print("  after")
print("format_exc keeps nothing:")
try:
    lvl1()
except E:
    s = traceback.format_exc()
    print("  formatted")
print("  after")
print("end")
