# operator functions and getter types come from the native _operator module.
import operator as op, _operator

def show(f, *a, **k):
    try:
        return repr(f(*a, **k))
    except Exception as e:
        return '%s: %s' % (type(e).__name__, e)

print(op.add is _operator.add, op.__add__ is op.add, op.itemgetter.__module__)
print(show(op.index, 1.5), show(op.index, 'x'), op.index(True), show(op.index))
print(op.length_hint([1, 2]), op.length_hint(iter(range(7))), op.length_hint(1), op.length_hint(object(), 5), show(op.length_hint, [], 'x'))
class L:
    def __length_hint__(self): return -1
class L2:
    def __length_hint__(self): return 'x'
class L3:
    def __length_hint__(self): return NotImplemented
class L4:
    def __len__(self): raise TypeError('no')
    def __length_hint__(self): return 4
print(show(op.length_hint, L()), show(op.length_hint, L2()), op.length_hint(L3(), 9), op.length_hint(L4()))
print(_operator._compare_digest(b'abc', b'abc'), _operator._compare_digest('a', 'b'), show(_operator._compare_digest, 'a', b'a'),
      show(_operator._compare_digest, 'é', 'é'), show(_operator._compare_digest, 1, 2), _operator._compare_digest(bytearray(b'x'), b'x'))
print(op.call(max, 1, 5, key=lambda x: -x), show(op.call))
print(show(op.add, 1), show(op.add, 1, 2, 3), show(op.add, a=1, b=2), show(op.concat, 1, 2), show(op.concat, [1], (2,)), op.iconcat([1], (2,)))
print(op.countOf([1, 1, 2], 1), op.indexOf('abc', 'c'), show(op.indexOf, [1], 2), show(op.countOf, 1, 1))
print(op.not_(1), op.truth(1), op.is_(None, None), op.is_not(1, None), op.abs(-2), op.inv(5), op.invert(0), show(op.neg, 'x'), op.pos(True))
print(show(op.matmul, 1, 2), show(op.imatmul, 1, 2), show(op.itruediv, 1, 0), op.ipow(2, 10), op.ifloordiv(7, 2), op.imod(7, 3))
x = [1]
print(op.iadd(x, [2]) is x, x, op.iadd('a', 'b'), op.ior({1}, {2}), op.ixor(5, 1), op.iand(6, 3), op.ilshift(1, 3), op.irshift(8, 2), op.isub(5, 3), op.imul('ab', 2))
print(show(op.getitem, [1], 'x'), show(op.delitem, (), 0), show(op.setitem, (), 0, 1), show(op.contains, 1, 1), show(op.lt, 1, 'x'))
print(show(op.itemgetter), show(op.itemgetter(1)), show(op.itemgetter(1), [1, 2], x=1), show(op.attrgetter, 1), show(op.methodcaller), show(op.methodcaller, 1))
print(repr(op.itemgetter(1, 'a')), repr(op.attrgetter('a', 'b.c')), repr(op.methodcaller('f', 'x', y=[1])))
print(op.itemgetter(1).__reduce__(), op.attrgetter('a.b', 'c').__reduce__(), op.methodcaller('f', 1).__reduce__())
class A: pass
a = A(); a.b = A(); a.b.c = 5; a.x = 1
print(op.attrgetter('b.c', 'x')(a), show(op.attrgetter('b.d'), a), op.itemgetter(0, 2)('abc'), op.methodcaller('replace', 'a', 'b', 1)('aaa'))
try:
    class IG(op.itemgetter): pass
except TypeError as e:
    print('TypeError:', e)
import copy
g = op.itemgetter(2)
print(copy.copy(g)('abc'), copy.deepcopy(op.attrgetter('real'))(3), copy.copy(op.methodcaller('upper'))('x'))
