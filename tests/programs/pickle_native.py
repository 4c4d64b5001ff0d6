# The native _pickle: byte-exact output at every protocol, round trips,
# memo/recursion, subclass hooks, persistent ids, error types and messages.
import _pickle
import copyreg
import io
import pickle

print(pickle.Pickler is _pickle.Pickler, pickle.loads is _pickle.loads)
print(_pickle.PicklingError.__module__, _pickle.PicklingError.__mro__[1].__name__)


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __eq__(self, other):
        return type(other) is Point and (self.x, self.y) == (other.x, other.y)


class Slotted:
    __slots__ = ('a', 'b')

    def __init__(self):
        self.a, self.b = 1, 'two'


class Kw:
    def __new__(cls, *, n):
        self = super().__new__(cls)
        self.n = n
        return self

    def __getnewargs_ex__(self):
        return (), {'n': self.n}


class MyList(list):
    pass


class MyDict(dict):
    pass


values = [None, True, False, 0, 1, -1, 255, 256, 65535, 65536, -129, 2**31 - 1, -2**31, 2**31, -2**31 - 1,
          2**63, -2**64, 2**200, 0.0, -1.5, 1e300, float('inf'), '', 'abc', 'é\u20ac\U0001f600', 'a\\b\nc\r\x00\x1a',
          'x' * 300, b'', b'\x00\xff', b'y' * 300, bytearray(b'ba'), (), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4), [],
          [1], [1, 2], list(range(1500)), {}, {'a': 1}, {i: str(i) for i in range(1200)}, set(), {1, 2},
          frozenset(), frozenset({3}), 3 + 4j, Point(1, [2]), MyList([1, 2]), MyDict(a=1), range(5), slice(1, 2),
          Ellipsis, NotImplemented, type(None), type(Ellipsis), int, len, pickle.dumps, Kw(n=5)]
for proto in range(pickle.HIGHEST_PROTOCOL + 1):
    blob = pickle.dumps(values, proto)
    back = pickle.loads(blob)
    same = [i for i, (a, b) in enumerate(zip(values, back)) if a != b]
    print(proto, same, [type(x).__name__ for x in back[-6:]], back[-1].n)
    # Byte-exact against CPython for simpler data.
    print(proto, pickle.dumps([1, -2, 3.5, 'x', b'y', (None, True), {'k': [2**70]}], proto).hex())

s = Slotted()
try:
    pickle.dumps(s, 1)
except TypeError as e:
    print(e)
for proto in (2, 4):
    t = pickle.loads(pickle.dumps(s, proto))
    print('slots', proto, t.a, t.b)

# Memo: shared and recursive structures.
shared = [1]
lst = [shared, shared]
lst.append(lst)
d = {}
d['me'] = d
t = ([], )
t[0].append(t)
for proto in range(6):
    out = pickle.loads(pickle.dumps(lst, proto))
    dd = pickle.loads(pickle.dumps(d, proto))
    tt = pickle.loads(pickle.dumps(t, proto))
    print('memo', proto, out[0] is out[1], out[2] is out, dd['me'] is dd, tt[0][0] is tt)
print(pickle.dumps(t, 2).hex(), pickle.dumps(t, 0))

# Framing: large data gets FRAME opcodes; a file receives it a frame at a time.
big = [b'z' * 70000, 'q' * 70000, list(range(20000))]
blob = pickle.dumps(big, 4)
print('frames', blob.count(b'\x95'), len(blob), pickle.loads(blob) == big)


class Writer:
    def __init__(self):
        self.chunks = []

    def write(self, b):
        self.chunks.append(len(b))


w = Writer()
pickle.dump(big, w, 4)
print('writes', w.chunks)

# Several pickles in one file; Unpickler reads exactly one each time.
f = io.BytesIO()
for proto in range(6):
    pickle.dump(('obj', proto), f, proto)
f.seek(0)
u = pickle.Unpickler(f)
print([u.load() for _ in range(6)])
try:
    u.load()
except EOFError as e:
    print('EOFError', e)


# Persistent ids.
class PP(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Point):
            return ('Point', obj.x)
        return None


class PU(pickle.Unpickler):
    def persistent_load(self, pid):
        return 'loaded %r' % (pid,)


for proto in range(6):
    f = io.BytesIO()
    PP(f, proto).dump([Point(7, 8), 1])
    print('pers', proto, PU(io.BytesIO(f.getvalue())).load())
try:
    pickle.loads(pickle.dumps(1, 0).replace(b'I1', b'P1'))
except pickle.UnpicklingError as e:
    print(repr(e))


# reducer_override, dispatch_table, find_class.
class RO(pickle.Pickler):
    def reducer_override(self, obj):
        if obj == 42:
            return int, ('43',)
        return NotImplemented


f = io.BytesIO()
RO(f, 2).dump([42, 1])
print('reducer_override', pickle.loads(f.getvalue()))
f = io.BytesIO()
p = pickle.Pickler(f, 2)
p.dispatch_table = {Point: lambda pt: (Point, (pt.y, pt.x))}
p.dump(Point(1, 2))
r = pickle.loads(f.getvalue())
print('dispatch_table', r.x, r.y)


class Restricted(pickle.Unpickler):
    def find_class(self, module, name):
        if name == 'Point':
            raise pickle.UnpicklingError('forbidden %s.%s' % (module, name))
        return super().find_class(module, name)


try:
    Restricted(io.BytesIO(pickle.dumps(Point(1, 2)))).load()
except pickle.UnpicklingError as e:
    print(e)
print(pickle.Unpickler(io.BytesIO()).find_class('builtins', 'len') is len)

# Python 2 names under protocols 0-2, fix_imports off.
print(pickle.dumps(ValueError, 2), pickle.dumps(ValueError, 2, fix_imports=False))
print(pickle.loads(b'c__builtin__\nxrange\n.'), pickle.loads(b'cexceptions\nStandardError\n.'))
print(pickle.loads(b'U\x03abc.', encoding='bytes'), pickle.loads(b'U\x03ab\xff.', encoding='latin1'))

# Memo proxies.
f = io.BytesIO()
p = pickle.Pickler(f, 2)
obj = ['x']
p.dump(obj)
print(type(p.memo).__name__, sorted(v[0] for v in p.memo.copy().values()))
p2 = pickle.Pickler(io.BytesIO(), 2)
p2.memo = p.memo
p2.dump(obj)
p.clear_memo()
print(len(p.memo.copy()))
u = pickle.Unpickler(io.BytesIO(f.getvalue()))
u.load()
print(type(u.memo).__name__, u.memo.copy())
try:
    u.memo = {-1: None}
except ValueError as e:
    print('ValueError', e)

# Errors while pickling.
class BadReduce:
    def __init__(self, v):
        self.v = v

    def __reduce__(self):
        return self.v


def f():
    pass


for v in [1, (), (1,), (f, 1), (1, ()), (f, (), None, 5), (f, (), None, None, 5), (f, (), None, None, None, 5),
          (copyreg.__newobj__, ()), (copyreg.__newobj__, (1,)), (copyreg.__newobj__, (int,)),
          (copyreg.__newobj_ex__, (int,)), (copyreg.__newobj_ex__, (1, (), {})), (copyreg.__newobj_ex__, (Point, 1, {})),
          'nothere']:
    try:
        pickle.dumps(BadReduce(v), 2)
    except Exception as e:
        print(type(e).__name__, str(e).replace(repr(BadReduce), 'BR').split(' object at ')[0])


def local():
    class L:
        pass
    return L


for obj in [lambda: 0, local(), local()(), (x for x in [])]:
    try:
        pickle.dumps(obj)
    except Exception as e:
        print(type(e).__name__, str(e).split(' at 0x')[0])
for args in [(1, 6), (1, 'a')]:
    try:
        pickle.dumps(*args)
    except Exception as e:
        print(type(e).__name__, e)
for ctor in [lambda: pickle.Pickler(1), lambda: pickle.Pickler(io.BytesIO(), 4, buffer_callback=len),
             lambda: pickle.Unpickler(1)]:
    try:
        ctor()
    except Exception as e:
        print(type(e).__name__, e)


class NoInit(pickle.Pickler):
    def __init__(self):
        pass


class NoInitU(pickle.Unpickler):
    def __init__(self):
        pass


for call in [lambda: NoInit().dump(1), lambda: NoInitU().load()]:
    try:
        call()
    except pickle.PickleError as e:
        print(type(e).__name__, e)
p = pickle.Pickler(io.BytesIO())
print(p.bin, p.fast, hasattr(p, 'persistent_id'), hasattr(p, 'dispatch_table'))
for set_it in [lambda: setattr(p, 'persistent_id', 1), lambda: delattr(p, 'persistent_id')]:
    try:
        set_it()
    except TypeError as e:
        print('TypeError', e)
p.fast = 1
cyc = []
for _ in range(60):
    cyc = [cyc]
cyc[0][0].append(cyc)
try:
    p.dump(cyc)
except ValueError as e:
    print('ValueError', str(e).split(' at ')[0])

# Errors while unpickling.
for data in [b'', b'N', b'h\x05.', b'g5\n.', b'0.', b'(0.', b'a.', b']\x85(e.', b'S"abc\n.', b'Sabc\n.', b'I1x\n.',
             b'\x82\x05.', b'\x81.', b')N\x81.', b'N)\x81.', b'cbuiltins\nnothere\n.', b'cnomod\nx\n.',
             b'\x8c\x03abcN\x93.', b'}N\x8c\x01a\x8c\x01b\x86b.', b'\x8a\xff.', b'T\xff\xff\xff\xff.', b'p-1\n.',
             b'Nq\x00\x94h\x01.', b'X\x01\x00\x00\x00\xff.', b'(K\x01\x92.', b'\x97.', b'2.', b'(1.', b'1.', b'}(N.',
             b'\x8f(N\x90.', b'\xff', b"'", b'Fabc\n.', b'L12\n.', b'L12a\n.', b'Q.', b')N}\x92.',
             b'cbuiltins\nint\nN}\x92.', b'\x80\x06.', b'\x82\x00.', b'NN\x8a\x00R.', b'(N\x8c\x01a\x8c\x01bd.',
             b'}(Nu.', b'](a.', b'\x8b\xff\xff\xff\xff.', b'i__builtin__\nobject\n.', b'(o.', b'I-0x1f\n.', b'I017\n.',
             b'I01\n.', b'\x95\x02\x00\x00\x00\x00\x00\x00\x00N.', b'not a pickle']:
    try:
        print(data, repr(pickle.loads(data)))
    except Exception as e:
        print(data, type(e).__name__, e)

# Protocol 5 buffers: in-band as bytes/bytearray, out-of-band through buffer_callback.
PickleBuffer = pickle.PickleBuffer
for proto in (4, 5):
    try:
        pickle.dumps(PickleBuffer(b'ab'), proto)
    except pickle.PicklingError as e:
        print(proto, e)
ro, rw = PickleBuffer(b'abc'), PickleBuffer(bytearray(b'def'))
print(pickle.dumps([ro, rw], 5))
print(pickle.loads(pickle.dumps([ro, rw, ro], 5)))
oob = []
blob = pickle.dumps([ro, rw, 1], 5, buffer_callback=oob.append)
print(blob, len(oob))
out = pickle.loads(blob, buffers=oob)
print([bytes(x) for x in out[:2]], type(out[0]).__name__, memoryview(out[0]).readonly, memoryview(out[1]).readonly)
try:
    pickle.loads(blob, buffers=[])
except pickle.UnpicklingError as e:
    print(e)
print(bytes(ro.raw()), ro.raw().format, memoryview(rw).readonly)
ro.release()
for act in [lambda: ro.raw(), lambda: memoryview(ro), lambda: pickle.dumps(ro, 5)]:
    try:
        act()
    except ValueError as e:
        print('ValueError', e)
try:
    PickleBuffer(1)
except TypeError as e:
    print(e)

# A subclass of a native type keeps its state outside __dict__: not picklable.
for proto in (2, 4):
    try:
        pickle.dumps(PP(io.BytesIO()), proto)
    except TypeError as e:
        print(proto, 'TypeError', e)

# A buffered file: the unpickler looks ahead with peek() but leaves the file
# right after each pickle.
import tempfile
with tempfile.TemporaryFile() as f:
    for proto in range(6):
        pickle.dump(('obj', proto, list(range(proto * 1000))), f, proto)
    pickle.dump({'a': [1, 2.5, 'x' * 20000]}, f, 0)
    f.write(b'TRAILER')
    f.seek(0)
    u = pickle.Unpickler(f)
    out = [u.load() for _ in range(6)]
    print([(o[0], o[1], len(o[2])) for o in out], f.tell())
    print(len(pickle.load(f)['a'][2]), f.read())
