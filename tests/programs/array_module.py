# The array module: typecodes and their conversions, the sequence protocol,
# slices, comparisons, pickling support and CPython's error messages.
from array import array
import random
random.seed(5)
def t(f):
    try: return repr(f())
    except Exception as e: return type(e).__name__ + ': ' + str(e)
out = []
for trial in range(300):
    n = random.randint(0, 8)
    a = array('h', [random.randint(-5, 5) for _ in range(n)])
    l = a.tolist()
    i, j, k = [random.choice([None, -9, -3, -1, 0, 1, 2, 5, 9]) for _ in range(3)]
    if k == 0: k = None
    op = random.choice(['get', 'del', 'set', 'setn'])
    if op == 'get':
        out.append((a[i:j:k].tolist(), l[i:j:k]))
    elif op == 'del':
        del a[i:j:k]; del l[i:j:k]; out.append((a.tolist(), l))
    else:
        m = len(l[i:j:k]) if op == 'set' else random.randint(0, 3)
        new = [7] * m
        r1 = t(lambda: a.__setitem__(slice(i, j, k), array('h', new)))
        r2 = t(lambda: l.__setitem__(slice(i, j, k), new))
        out.append((a.tolist(), r1 if 'Error' in r1 else 'ok'))
for o in out: print(o[0], o[1] if not isinstance(o[1], list) else '')
a = array('i', [1, 2])
for f in [lambda: a.append(), lambda: a.append(1, 2), lambda: a.tolist(1), lambda: a.pop(1, 2), lambda: a.index(), lambda: a.insert(1), lambda: a.fromfile(1), lambda: a.count(), lambda: a.extend(), lambda: a.__reduce_ex__(), lambda: a.__reduce_ex__('x'), lambda: a.__deepcopy__(), lambda: a.byteswap(1), lambda: array('i', [1]) * 2.0, lambda: a.__iadd__([1]), lambda: a.append(x=1), lambda: a[1.0], lambda: a.__getitem__(2**70), lambda: a.index(1, 'x'), lambda: a.insert('x', 1)]:
    print(t(f))
class B(array):
    def __init__(self, *a): self.extra = 5
b = B('d', [1.0]); print(b, b.extra, b == array('d', [1.0]), b + b, type(b[:]), isinstance(b, array))
print(array('Q', [2**64-1]), array('L', [2**63]).tolist(), array('l', [-2**63]), array('f', [0.1]), array('b', b'\xff'))
x = array('i', range(5)); x[1:3] = x; print(x)
x = array('i', range(5)); x[::2] = array('i'); print(x)
x = array('i', range(5)); x += x; x *= 2; print(x, len(x)); x *= 0; print(x)
print(array('u', 'héllo wörld ✓'), array('u', 'ab') < array('u', 'b'), array('d', [1, 2]) > array('d', [1]))
print(array('i', [1, 2, 3]) == array('l', [1, 2, 3]), array('f', [1.5]) == array('d', [1.5]), array('i') == [], array('B', [255]) > array('b', [-1]))
from array import array
import array as am
import sys
a = array('i', [1, 2, 3])
print(am.typecodes, array.__module__, array.__name__, type(iter(a)), a.__reduce_ex__(2), a.__reduce_ex__(3))
print(array('u','ab').__reduce_ex__(3), array('d',[1.0]).__reduce_ex__(3), array('b',[1]).__reduce_ex__(3),array('Q',[1]).__reduce_ex__(3), array('f',[1.0]).__reduce_ex__(3), array('h',[1]).__reduce_ex__(3))
class A(array):
    pass
x = A('i', [1]); x.foo = 1; print(repr(x), x.__reduce_ex__(3), type(x + x), type(x * 2), type(x[:]))
print(am._array_reconstructor(array, 'i', 8, b'\x01\x00\x00\x00'))
print(am.__doc__[:40], array.__doc__[:40])
def t(f):
    try: r = f(); print(repr(r))
    except Exception as e: print(type(e).__name__, e)
t(lambda: am._array_reconstructor(list, 'i', 8, b''))
t(lambda: am._array_reconstructor(array, 'z', 8, b''))
t(lambda: am._array_reconstructor(array, 'i', 99, b''))
t(lambda: am._array_reconstructor(array, 'i', 4, b'\x01\x00\x00\x00\x00\x00\x00\x00'))
t(lambda: am._array_reconstructor(array, 'd', 18, b'\x00'*8))
t(lambda: am._array_reconstructor(array, 'u', 21, 'ab'.encode('utf-16-le')))
t(lambda: am._array_reconstructor(array, 'i', 8, 'x'))
t(lambda: am._array_reconstructor(array, 'i', 8))
a = array('b', range(10))
a[2:5] = array('b', [9]); print(a); del a[::3]; print(a); a[::2] = array('b', [0]*len(a[::2])); print(a)
a *= 2; print(a); a += array('b', [7]); print(a, a.count(0), a.index(0, 2), a.index(0, -3)); a.reverse(); print(a)
a.insert(100, 5); a.insert(-100, 6); print(a, a.pop(), a.pop(0)); a.byteswap(); print(a)
b = array('h', [1, 256]); b.byteswap(); print(b, b.tobytes(), b.tolist())
print(array('d', [1.5]) * 3, 3 * array('i', [1]), array('i', [1, 2]) == [1, 2], 2 in array('i', [1, 2]), 'x' in array('i'))
print(array('i', [1, 2]) < array('i', [1, 3]), array('i', [1]) == array('I', [1]), array('f', [float('nan')]) == array('f', [float('nan')]))
print(list(reversed(array('i', [1,2,3]))), array('i', [3, 1]).__copy__(), bool(array('i')), len(array('q', [1, 2])))
import copy, pickle; print(copy.deepcopy(array('i', [1])), pickle.loads(pickle.dumps(array('u', 'ab'), 2)))
it = iter(array("i", [1, 2, 3])); next(it); print(list(it))
z = array('i', [1]); z.extend([2, 3]); z.extend(array('i', [4])); z.fromlist([5]); z.frombytes(array('i', [6]).tobytes()); print(z)
print(array('i', [1,2,3])[-1], array('i', [1,2,3])[::-1], array('i')[5:], array('B', b'abc'), array('B', bytearray(b'ab')))
print(array('b', [1]) + array('b', [2]))
print(array('i',[1,2,3,4])[1:3], array('i', [1,2,3,4])[::2])
import io
f = io.BytesIO(); array('i', [1, 2]).tofile(f); f.seek(0); y = array('i'); y.fromfile(f, 2); print(y)
f.seek(0); t(lambda: y.fromfile(f, 5)); print(y)
t(lambda: y.fromfile(f, -1))
t(lambda: array('i', [1]).index(1, 5))


def t2(f):
    try:
        r = f()
        print(repr(r))
    except Exception as e:
        print(type(e).__name__, e)


for tc in 'bBuhHiIlLqQfd':
    for v in [-1, 256, 2**31, 2**32, 2**63, 2**64, -2**63-1, 1.5, 'x', 'xy', None, True, 2**15, 2**16, -129, 128, -2**15-1, -2**31-1]:
        print(tc, repr(v)[:12], end=' ')
        t2(lambda: array(tc, [v]))
t2(lambda: array(1)); t2(lambda: array('ab')); t2(lambda: array('z')); t2(lambda: array('b', [1], x=1)); t2(lambda: array()); t2(lambda: array('b', 'abc')); t2(lambda: array('b', array('u', 'ab'))); t2(lambda: array('u', array('b', [1])))
t2(lambda: array('i', b'abcd')); t2(lambda: array('i', b'abc')); t2(lambda: array('i', 5)); t2(lambda: array('i', range(3))); t2(lambda: array('d', array('i', [1,2])))
a = array('i', [1, 2, 3])
t2(lambda: a.index(5)); t2(lambda: a.remove(5)); t2(lambda: array('i').pop()); t2(lambda: a.pop(10)); t2(lambda: a[10]); t2(lambda: a.__setitem__(10, 1)); t2(lambda: a.__delitem__(10))
t2(lambda: a.__setitem__(slice(0,2), [1])); t2(lambda: a.__setitem__(slice(0,3,2), array('i', [1]))); t2(lambda: a.__setitem__(slice(0,2), array('b', [1])))
t2(lambda: a + [1]); t2(lambda: a + array('b')); t2(lambda: a.extend(array('b'))); t2(lambda: a.extend(5)); t2(lambda: a.fromlist((1,))); t2(lambda: a.fromunicode('x')); t2(lambda: a.tounicode()); t2(lambda: a.frombytes(b'abc'));t2(lambda: a.frombytes('abc'))
t2(lambda: a['x']); t2(lambda: a * 'x'); t2(lambda: hash(a)); t2(lambda: a < 5); t2(lambda: a.fromfile(5, 1)); t2(lambda: a.tofile(5)); t2(lambda: a.index(1, 1)); t2(lambda: a.count('x'));
print(repr(array('u', 'abc')), repr(array('d')), repr(array('f', [1.5, 2])), str(array('b', [1])), array('i',[1,2]) == array('d', [1.0, 2.0]), array('i',[1]) < array('i',[1,0]))
import pickle
for proto in range(6):
    for arr in [array('i', [1, -2]), array('d', [1.5]), array('u', 'hé'), array('Q', [2**64 - 1]), B('b', [1])]:
        r = arr.__reduce_ex__(proto)
        print(proto, r[0] is array or r[0].__name__, r[1][1:], r[2])
print(array('i', [5, 6]).__sizeof__(), array('i').__sizeof__())
