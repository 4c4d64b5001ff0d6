# A file object that is dropped is flushed and closed at that moment, by
# calling its close() (so a subclass's close runs, and a text file closes the
# binary buffer under it).
import io
import os
import shutil
import tempfile
import weakref

d = tempfile.mkdtemp()
p = os.path.join(d, "f.txt")


def content():
    with open(p) as f:
        return f.read()


try:
    print("del:")
    f = open(p, "w")
    f.write("one")
    del f
    print(" ", repr(content()))
    print("rebinding:")
    f = open(p, "w")
    f.write("two")
    f = None
    print(" ", repr(content()))
    print("function local:")

    def w():
        f = open(p, "w")
        f.write("three")

    w()
    print(" ", repr(content()))
    print("temporary:")
    open(p, "w").write("four")
    print(" ", repr(content()))
    print("binary, buffered:")
    f = open(p, "wb")
    f.write(b"five")
    del f
    print(" ", repr(content()))
    print("binary, unbuffered:")
    f = open(p, "wb", buffering=0)
    f.write(b"six")
    del f
    print(" ", repr(content()))
    print("removed from a list:")
    l = [open(p, "w")]
    l[0].write("seven")
    l.clear()
    print(" ", repr(content()))
    print("frame unwound by an exception (the traceback keeps it open):")

    def wx():
        f = open(p, "w")
        f.write("eight")
        raise ValueError

    try:
        wx()
    except ValueError:
        print("  in handler:", repr(content()))
    print("  after handler:", repr(content()))
    print("the descriptor is closed:")
    f = open(p)
    fd = f.fileno()
    del f
    try:
        os.fstat(fd)
        print("  still open")
    except OSError:
        print("  closed")
    print("text file dropped while its buffer is referenced:")
    f = open(p, "w")
    b = f.buffer
    f.write("nine")
    del f
    print("  buffer closed:", b.closed, repr(content()))
    del b
    print("TextIOWrapper over BytesIO closes it:")
    bio = io.BytesIO()
    t = io.TextIOWrapper(bio, encoding="utf-8")
    t.write("x")
    del t
    print("  closed:", bio.closed)
    print("subclasses:")

    class MyIO(io.StringIO):
        def __del__(self):
            print("  MyIO.__del__, closed:", self.closed)

    m = MyIO()
    del m

    class MyF(io.FileIO):
        def close(self):
            print("  MyF.close, finalizing:", getattr(self, "_finalizing", None))
            super().close()

    m = MyF(p, "w")
    del m

    class MyT(io.TextIOWrapper):
        def close(self):
            print("  MyT.close")
            super().close()

    m = MyT(open(p, "wb"), encoding="utf-8")
    m.write("ten")
    del m
    print(" ", repr(content()))

    class MyS(io.StringIO):
        def close(self):
            print("  MyS.close")
            super().close()

    m = MyS()
    del m

    class Closed(io.IOBase):
        closed = True

        def close(self):
            print("  never called")

    m = Closed()
    del m
    print("weakref to a file:")
    f = open(p)
    r = weakref.ref(f, lambda r: print("  weakref callback"))
    del f
    print("close() raising when dropped is ignored:")

    class BadClose(io.FileIO):
        def close(self):
            super().close()
            raise OSError("close failed")

    b = BadClose(p, "r")
    del b
    print("  continued")
finally:
    shutil.rmtree(d)
print("end")
