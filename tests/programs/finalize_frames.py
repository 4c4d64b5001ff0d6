# Frames release their locals (cells included) in CPython's order when they
# return, finish or are unwound; class bodies; methods.
class O:
    def __init__(self, n): self.n = n
    def __del__(self): print("  del", self.n)
print("cells:")
def f(p):
    a = O("a")
    c = O("cell c")
    b = O("b")
    def inner(): return c
    p2 = p
    print("  returning")
f(O("param"))
def f2(x):
    y = O("y")
    def inner(): return x
    print("  returning")
f2(O("param cell x"))
print("class body:")
class C:
    a = O("class a")
    tmp = O("tmp")
    del tmp
    print("  end of body")
print("after class")
C.a = None
print("lambda default / nested frames:")
def outer():
    o1 = O("outer local")
    def mid():
        o2 = O("mid local")
        raise KeyError
    try:
        mid()
    except KeyError:
        print("  caught in outer")
    print("  outer returning")
outer()
print("generator locals at finish:")
def g():
    a = O("g a"); b = O("g b")
    yield 1
    print("  generator ending")
for _ in g(): pass
print("  after loop")
print("method frame self:")
class M:
    def __init__(self, n): self.n = n
    def __del__(self): print("  del M", self.n)
    def run(self):
        x = O("run local")
        return 1
M("temp").run()
print("end")
