# marshal: CPython 3.11's wire format for data values (versions 0-4),
# round trips, byte-identical dumps where CPython's output does not depend
# on reference counts, records written by CPython, files, and bad data.
import io
import marshal

print(marshal.version)


def show(f):
    try:
        r = f()
    except Exception as e:
        print(type(e).__name__ + ':', e)
    else:
        print(repr(r) if not isinstance(r, (set, frozenset)) else sorted(r, key=repr))


n = 7
values = [None, True, False, ..., StopIteration, 0, 1, -1, 255, 256, 257, -5, -6,
          2**31 - 1, -2**31, 2**31, -2**31 - 1, 2**62, -2**63, 2**64 + 5, -(10**40), 3**200,
          1.5, -0.0, float('inf'), -float('inf'), 1e300, 0.1, 5e-324, 1e16, 123456789.125,
          complex(1, -2.5), 'abc', 'a b c', 'é€😀', '', 'x' * 300, 'ü' * 300, '\ud800x',
          b'', b'\x00\xffbytes', bytearray(b'ba'), memoryview(b'mv'), (), (1, 'two', 3.0),
          [1, [2, [3]]], {'k': 1, 'j': [None]}, {1, 2, 3}, frozenset({'a', 'b'}), frozenset(),
          tuple(range(300)), list(range(-3, 300)), {'nested': ({'x': b'y'}, [1.25])}]

# Round trips at every version.
for v in values:
    for ver in range(5):
        got = marshal.loads(marshal.dumps(v, ver))
        expect = bytes(v) if isinstance(v, (bytearray, memoryview)) else v
        if got != expect and not (got != got):
            print('MISMATCH', ver, repr(v)[:40], repr(got)[:40])
        if type(got) is not type(expect):
            print('TYPE', ver, repr(v)[:40], type(got).__name__)
print('round trips done')

# Versions 0-2 write no references: identical bytes to CPython's.
for v in values:
    print([marshal.dumps(v, ver).hex()[:80] for ver in range(3)])

# Versions 3 and 4 for top-level scalars, shared objects and singletons.
for v in [None, True, ..., 0, 300, 2**40, 'name', 'a b', 'é', b'xy', 2.5, 1j, (), [], {}, frozenset()]:
    print(marshal.dumps(v, 3).hex(), marshal.dumps(v, 4).hex())
s = str(n) + ' shared'
print(marshal.dumps([s, s, (s,)], 3).hex())
print(marshal.dumps([s, s, (s,)]).hex())
print(marshal.dumps([1, 1, 2, 1, -5, 256, 256]).hex())
print(marshal.dumps({str(n): [float(n), n * 1000], 'z': None}).hex())
print(marshal.dumps({str(n) + ' ', n * 1000, float(n)}).hex())

# Recursive containers (version >= 3 keeps them finite).
l = [n]
l.append(l)
r = marshal.loads(marshal.dumps(l))
print(r, r[1] is r)
d = {}
d['self'] = d
r = marshal.loads(marshal.dumps(d))
print(r, r['self'] is r)
t = ([],)
t[0].append(t)
r = marshal.loads(marshal.dumps(t))
print(r, r[0][0] is r)
show(lambda: marshal.dumps(l, 2))

# Sharing is kept from version 3 on.
shared = [1.5]
r = marshal.loads(marshal.dumps((shared, shared)))
print(r[0] is r[1], marshal.loads(marshal.dumps((shared, shared), 2))[0] is shared)

# Records written by CPython 3.11.
VECTORS = [
    '4e',
    '54',
    '46',
    '2e',
    '53',
    'e900000000',
    'e901000000',
    'e9ffffffff',
    'e9ff000000',
    'e9ffffff7f',
    'e900000080',
    'ec03000000000000000200',
    'ecfdffffff010000000200',
    'ec0500000000000000000000000400',
    'ec0500000005000000000000001000',
    'ecf7ffffff000000000004ab4fbb7a9714d770f814631d',
    'e7000000000000f83f',
    'e70000000000000080',
    'e7000000000000f07f',
    'e79c7500883ce4377e',
    'e79a9999999999b93f',
    'f9000000000000f03f00000000000004c0',
    'da03616263',
    'fa056120622063',
    'f509000000c3a9e282acf09f9880',
    'da00',
    'c12c010000787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878',
    'f300000000',
    'f30700000000ff6279746573',
    'a900',
    'a903e901000000da0374776fe70000000000000840',
    'db02000000e9010000005b02000000e9020000005b01000000e903000000',
    'fbda016be901000000da016a5b010000004e30',
    'bc03000000e901000000e902000000e903000000',
    'be02000000da0161da0162',
    'a82c010000e900000000e901000000e902000000e903000000e904000000e905000000e906000000e907000000e908000000e909000000e90a000000e90b000000e90c000000e90d000000e90e000000e90f000000e910000000e911000000e912000000e913000000e914000000e915000000e916000000e917000000e918000000e919000000e91a000000e91b000000e91c000000e91d000000e91e000000e91f000000e920000000e921000000e922000000e923000000e924000000e925000000e926000000e927000000e928000000e929000000e92a000000e92b000000e92c000000e92d000000e92e000000e92f000000e930000000e931000000e932000000e933000000e934000000e935000000e936000000e937000000e938000000e939000000e93a000000e93b000000e93c000000e93d000000e93e000000e93f000000e940000000e941000000e942000000e943000000e944000000e945000000e946000000e947000000e948000000e949000000e94a000000e94b000000e94c000000e94d000000e94e000000e94f000000e950000000e951000000e952000000e953000000e954000000e955000000e956000000e957000000e958000000e959000000e95a000000e95b000000e95c000000e95d000000e95e000000e95f000000e960000000e961000000e962000000e963000000e964000000e965000000e966000000e967000000e968000000e969000000e96a000000e96b000000e96c000000e96d000000e96e000000e96f000000e970000000e971000000e972000000e973000000e974000000e975000000e976000000e977000000e978000000e979000000e97a000000e97b000000e97c000000e97d000000e97e000000e97f000000e980000000e981000000e982000000e983000000e984000000e985000000e986000000e987000000e988000000e989000000e98a000000e98b000000e98c000000e98d000000e98e000000e98f000000e990000000e991000000e992000000e993000000e994000000e995000000e996000000e997000000e998000000e999000000e99a000000e99b000000e99c000000e99d000000e99e000000e99f000000e9a0000000e9a1000000e9a2000000e9a3000000e9a4000000e9a5000000e9a6000000e9a7000000e9a8000000e9a9000000e9aa000000e9ab000000e9ac000000e9ad000000e9ae000000e9af000000e9b0000000e9b1000000e9b2000000e9b3000000e9b4000000e9b5000000e9b6000000e9b7000000e9b8000000e9b9000000e9ba000000e9bb000000e9bc000000e9bd000000e9be000000e9bf000000e9c0000000e9c1000000e9c2000000e9c3000000e9c4000000e9c5000000e9c6000000e9c7000000e9c8000000e9c9000000e9ca000000e9cb000000e9cc000000e9cd000000e9ce000000e9cf000000e9d0000000e9d1000000e9d2000000e9d3000000e9d4000000e9d5000000e9d6000000e9d7000000e9d8000000e9d9000000e9da000000e9db000000e9dc000000e9dd000000e9de000000e9df000000e9e0000000e9e1000000e9e2000000e9e3000000e9e4000000e9e5000000e9e6000000e9e7000000e9e8000000e9e9000000e9ea000000e9eb000000e9ec000000e9ed000000e9ee000000e9ef000000e9f0000000e9f1000000e9f2000000e9f3000000e9f4000000e9f5000000e9f6000000e9f7000000e9f8000000e9f9000000e9fa000000e9fb000000e9fc000000e9fd000000e9fe000000e9ff000000e900010000690101000069020100006903010000690401000069050100006906010000690701000069080100006909010000690a010000690b010000690c010000690d010000690e010000690f0100006910010000691101000069120100006913010000691401000069150100006916010000691701000069180100006919010000691a010000691b010000691c010000691d010000691e010000691f0100006920010000692101000069220100006923010000692401000069250100006926010000692701000069280100006929010000692a010000692b010000',
    'fbda066e657374656429027bda0178f30100000079305b01000000e7000000000000f43f30',
    '3e02000000e70000000000001c40e70000000000002040',
    'a9015b010000007200000000',
    'db02000000e9070000007200000000',
    '5b03000000f5080000003720736861726564720000000028010000007200000000',
]
EXPECTED = [None, True, False, ..., StopIteration, 0, 1, -1, 255, 2**31 - 1, -2**31, 2**31, -2**31 - 1,
            2**62, 2**64 + 5, -(10**40), 1.5, -0.0, float('inf'), 1e300, 0.1, complex(1, -2.5),
            'abc', 'a b c', 'é€😀', '', 'x' * 300, b'', b'\x00\xffbytes', (), (1, 'two', 3.0),
            [1, [2, [3]]], {'k': 1, 'j': [None]}, {1, 2, 3}, frozenset({'a', 'b'}),
            tuple(range(300)), {'nested': ({'x': b'y'}, [1.25])}]
for h, v in zip(VECTORS, EXPECTED):
    got = marshal.loads(bytes.fromhex(h))
    if got != v or type(got) is not type(v):
        print('BAD VECTOR', h[:20], repr(got)[:40])
print(sorted(marshal.loads(bytes.fromhex(VECTORS[len(EXPECTED)]))))
r = marshal.loads(bytes.fromhex(VECTORS[len(EXPECTED) + 1]))
print(r, r[0][0] is r)
r = marshal.loads(bytes.fromhex(VECTORS[len(EXPECTED) + 2]))
print(r, r[1] is r)
r = marshal.loads(bytes.fromhex(VECTORS[len(EXPECTED) + 3]))
print(r, r[0] is r[1] is r[2][0])
print(marshal.loads(b'I\xfe\xdc\xba\x98\x76\x54\x32\x10'), marshal.loads(b'f\x03inf'), marshal.loads(b'x\x011\x03-.5'))
print(marshal.loads(b'a\x02\x00\x00\x00\xe9x'), marshal.loads(b'u\x03\x00\x00\x00\xed\xa0\x80') == '\ud800')
print(marshal.loads(bytearray(b'Nrest')), marshal.loads(memoryview(b')\x02TF')))

# dump/load on files: each load leaves the file right after its value.
f = io.BytesIO()
for v in [1, 'two', (3.0, [4])]:
    print(marshal.dump(v, f))
marshal.dump({'v': 5}, f, 1)
f.write(b'junk')
f.seek(0)
for i in range(4):
    print(marshal.load(f), f.tell())
show(lambda: marshal.load(f))
show(lambda: marshal.load(io.BytesIO(b'')))
show(lambda: marshal.load(io.BytesIO(b'i\x01\x00')))
show(lambda: marshal.load(io.BytesIO(b')')))


class BadReader(io.BytesIO):
    def readinto(self, buf):
        got = super().readinto(buf)
        return got + 10**6 if got and got > 4 else got


for v in (1.0, 1j, b'0123456789', '0123456789'):
    show(lambda: marshal.load(BadReader(marshal.dumps(v))))


class StrReader:
    def read(self, n):
        return 'x'


show(lambda: marshal.load(StrReader()))
show(lambda: marshal.load(1))
show(lambda: marshal.dump(1, 2))

# Argument handling.
show(lambda: marshal.dumps())
show(lambda: marshal.dumps(1, 2, 3))
show(lambda: marshal.dumps(1, version=2))
show(lambda: marshal.dumps(1, 'x'))
show(lambda: marshal.dumps(1, 2**40))
show(lambda: marshal.dumps(1, 1.5))
show(lambda: marshal.dumps(300, -1))
show(lambda: marshal.dumps(300, 99))
show(lambda: marshal.loads())
show(lambda: marshal.loads(b'N', b'N'))
show(lambda: marshal.loads(bytes=b'N'))
show(lambda: marshal.loads('N'))
show(lambda: marshal.load())
show(lambda: marshal.dump(1))
show(lambda: marshal.dump(1, io.BytesIO(), 3, 4))

# Unmarshallable values.
class C:
    pass


class MyInt(int):
    pass


class MyBytes(bytes):
    pass


for v in [len, C, C(), MyInt(3), [object()], {1: print}, range(3)]:
    show(lambda: marshal.dumps(v))
print(marshal.dumps(MyBytes(b'sub'), 2))

# Nesting limits.
deep = []
for i in range(1999):
    deep = [deep]
print(len(marshal.dumps(deep)))
show(lambda: marshal.dumps([deep]))
show(lambda: len(marshal.loads(b'[\x01\x00\x00\x00' * 1999 + b'N')))
show(lambda: marshal.loads(b'[\x01\x00\x00\x00' * 2000 + b'N'))
show(lambda: marshal.loads(b')\x01' * 3000 + b'N'))
show(lambda: marshal.loads(b'{N' * 2500 + b'N' + b'0' * 2500))

# Bad and truncated data.
for data in [b'', b'?', b'\x80', b'0', b')\x010', b'[\x01\x00\x00\x000', b'<\x01\x00\x00\x000',
             b'i\x01\x00', b'l\x02\x00\x00\x00\x01\x00\x01\x80', b'l\x02\x00\x00\x00\x01\x00\x00\x00',
             b'l\x00\x00\x00\x80', b'l\xff\xff\xff\x7f', b's\xff\xff\xff\x7f', b's\xff\xff\xff\xff',
             b'(\xff\xff\xff\xff', b'(\xff\xff\xff\x7f', b'[\xff\xff\xff\xff', b'[\xff\xff\xff\x7f',
             b'{\xff\xff\xff\xff', b'<\xff\xff\xff\xff', b'<\xff\xff\xff\x7f', b'a\xff\xff\xff\xff',
             b'u\x01\x00\x00\x00\xff', b'z', b'z\x05ab', b'f', b'f\x03abc', b'f\x04 1.5', b'g\x00',
             b'y' + b'\x00' * 12, b'r\x00\x00\x00\x00',
             b'\xdb\x01\x00\x00\x00r\x01\x00\x00\x00', b'r\xff\xff\xff\xff', b'{i\x01\x00\x00\x00',
             b'{[\x00\x00\x00\x00N0', b'<\x01\x00\x00\x00[\x00\x00\x00\x00', b'{N0', b')',
             b')\x02N', b'I\x00\x00']:
    show(lambda: marshal.loads(data))
data = marshal.dumps(('hello', 'dolly', None))
for i in range(len(data)):
    try:
        marshal.loads(data[:i])
    except EOFError:
        pass
    else:
        print('no EOFError at', i)
print('done')
