# cmath special values and branch cuts; struct formats, byte orders and errors.
import cmath, math, struct

inf, nan = math.inf, math.nan
def show(f, *a, **k):
    try:
        return repr(f(*a, **k))
    except Exception as e:
        return '%s: %s' % (type(e).__name__, e)

specials = [complex(a, b) for a in (-inf, -2.5, -0.0, 0.0, 2.5, inf, nan) for b in (-inf, -1.5, -0.0, 0.0, 1.5, inf, nan)]
for name in ['sqrt', 'exp', 'log', 'log10', 'acos', 'acosh', 'asin', 'asinh', 'atan', 'atanh', 'cos', 'cosh', 'sin', 'sinh', 'tan', 'tanh']:
    f = getattr(cmath, name)
    print(name, ' '.join(show(f, z) for z in specials))
finite = [0.5 + 0.25j, -3 + 4j, 1e-300 + 1e-300j, 1e300 - 1e300j, 1 + 0j, -1 - 0j, 2j, 5e-324 + 0j, 710 + 1j, 0.999 + 1e-10j]
for z in finite:
    print(z, [show(getattr(cmath, n), z) for n in ['sqrt', 'exp', 'log', 'acos', 'asinh', 'atanh', 'tan', 'cosh']])
print(cmath.polar(-1), cmath.polar(complex(inf, nan)), cmath.rect(2, math.pi / 2), show(cmath.rect, 1, inf), cmath.rect(0, inf))
print(cmath.phase(-1 - 0j), cmath.phase(complex(-0.0, 0.0)), show(cmath.phase, complex(1, 1e-310)), show(cmath.phase, complex(2.5, 5e-324)))
print(cmath.log(8, 2), show(cmath.log, 1, 1), cmath.log(0j, 2), show(cmath.log, 1j, 0))
print(cmath.isclose(1, 1 + 1e-10j), cmath.isclose(1j, 1.1j, rel_tol=0.1), show(cmath.isclose, 1, 2, rel_tol=-1), show(cmath.isclose, 1, 2, 3))
print(cmath.isfinite(complex(1, inf)), cmath.isinf(complex(nan, inf)), cmath.isnan(complex(nan, 0)))
print(cmath.pi, cmath.e, cmath.tau, cmath.inf, cmath.infj, cmath.nan, cmath.nanj)
class C:
    def __complex__(self): return 2j
class Bad:
    def __complex__(self): return 2
print(cmath.sqrt(C()), show(cmath.sqrt, Bad()), show(cmath.sqrt, 'x'), show(cmath.sqrt), show(cmath.exp, 1000), show(cmath.cosh, complex(1, inf)))

print(struct.calcsize('@bhbqbi'), struct.calcsize('=bhbqbi'), struct.calcsize('i0q'), struct.calcsize('@ce'), struct.calcsize('x3x'))
for order in '@=<>!':
    for c in 'bBhHiIlLqQ':
        row = []
        for v in [-2**63 - 1, -129, -1, 255, 65536, 2**32, 2**64, 1.5, True]:
            row.append(show(struct.pack, order + c, v))
        print(order, c, ' '.join(row))
for c in 'efd':
    print(c, [show(struct.pack, '<' + c, v) for v in (1.0, 65519.0, 65520.0, 1e300, -0.0, nan, 'x', 2**2000)])
print(struct.unpack('<e', b'\x00\x7c'), struct.unpack('>e', b'\x80\x01'), struct.unpack('@f', struct.pack('@f', 1e300)))
print(struct.pack('5p', b'abcdefg'), struct.unpack('3p', b'\x05ab'), struct.pack('3s', bytearray(b'ab')), struct.pack('?', [1]))
for bad in [lambda: struct.pack('c', b'ab'), lambda: struct.pack('s', 'a'), lambda: struct.pack('z'), lambda: struct.pack('3'),
            lambda: struct.pack('<n', 1), lambda: struct.calcsize('99999999999999999999i'), lambda: struct.calcsize('i\0'),
            lambda: struct.unpack('i', 'abcd'), lambda: struct.unpack_from('<I', b'abcdef', 4), lambda: struct.unpack_from('<I', b'abcdef', -1),
            lambda: struct.unpack_from('<I', b'abcdef', -10), lambda: struct.pack_into('<I', bytearray(8), -3, 1),
            lambda: struct.pack_into('<I', bytes(8), 0, 1), lambda: struct.pack_into('<I', bytearray(8)),
            lambda: struct.iter_unpack('<I', b'abcde'), lambda: struct.iter_unpack('', b''), lambda: struct.Struct(5), lambda: struct.pack()]:
    print(show(bad))
buf = bytearray(8)
struct.pack_into('<I', buf, -4, 0x01020304)
print(buf)
it = struct.iter_unpack('<H', b'abcdef')
print(type(it).__name__, it.__length_hint__(), next(it), it.__length_hint__(), list(it))
s = struct.Struct(b'>3si?x')
print(s.format, s.size, s.pack(b'hi', -5, 2), s.unpack(s.pack(b'hi', -5, 2)), s.unpack_from(b'\x00' + s.pack(b'a', 1, 0), 1))
print(struct.error.__module__, struct.error.__mro__[1].__name__, type(s).__name__, type(s).__module__)
