# _functools used directly: reduce, cmp_to_key, partial.
from _functools import reduce, cmp_to_key, partial

def show(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, '!!', type(e).__name__, e)

add = lambda a, b: a + b
show('reduce', lambda: (reduce(add, [1, 2, 3, 4]), reduce(add, [], 10), reduce(add, ['a'], 'b'), reduce(add, 'xyz')))
show('reduce empty', lambda: reduce(add, []))
show('reduce not iterable', lambda: reduce(add, 5))
show('reduce arity', lambda: reduce(add))
show('reduce kw', lambda: reduce(add, [1], initial=2))
show('reduce error', lambda: reduce(lambda a, b: a / b, [1, 0]))
show('reduce doc', lambda: reduce.__doc__.splitlines()[0])

K = cmp_to_key(lambda a, b: (a > b) - (a < b))
show('cmp_to_key sort', lambda: sorted([5, 2, 9, 1], key=cmp_to_key(lambda a, b: b - a)))
show('cmp_to_key sort str', lambda: sorted(['bb', 'a', 'ccc'], key=cmp_to_key(lambda a, b: len(a) - len(b))))
show('K compare', lambda: (K(1) < K(2), K(2) <= K(2), K(3) == K(3), K(3) != K(3), K(1) > K(2), K(1) >= K(0)))
show('K obj', lambda: K('x').obj)
show('K other', lambda: K(1) < 2)
show('K hash', lambda: hash(K(1)))
show('K no arg', lambda: K())
show('K type', lambda: (type(K).__name__, type(K(1)).__module__))
show('cmp_to_key kw', lambda: sorted([2, 1], key=cmp_to_key(mycmp=lambda a, b: a - b)))

def f(*args, **kw):
    return args, kw
p = partial(f, 1, 2, a=3)
show('partial call', lambda: (p(), p(4, b=5), p(a=9)))
show('partial attrs', lambda: (p.func is f, p.args, p.keywords))
show('partial repr', lambda: repr(partial(len, 'abc')))
show('partial repr kw', lambda: repr(partial(print, 1, sep='', end='!')))
show('partial nested', lambda: (repr(partial(partial(print, 1), 2, x=3)), partial(partial(f, 1), 2).func is f))
q = partial(f, 0); q.note = 'hi'
show('partial dict', lambda: (q.__dict__, q.note, partial(f, 1, x=1)(x=2)))
show('partial nested with dict', lambda: partial(q, 1).func is q)
show('partial readonly', lambda: setattr(p, 'func', len))
show('partial no args', lambda: partial())
show('partial not callable', lambda: partial(3))
show('partial dict type', lambda: setattr(q, '__dict__', 5))
class P(partial):
    pass
show('partial subclass', lambda: (repr(P(len, 'ab')), P(len, 'ab')(), isinstance(P(len), partial)))
show('partial of subclass', lambda: repr(partial(P(f, 1), 2)).replace(hex(id(f)), 'ID'))
class Q(partial):
    def __call__(self, *a):
        return 'Q called'
show('partial of overriding subclass', lambda: (partial(Q(f, 1), 2).func.__class__.__name__, partial(Q(f, 1), 2)()))
show('partial reduce', lambda: partial(f, 1, k=2).__reduce__()[2][1:])
r = partial(f); r.__setstate__((len, ('abc',), None, None))
show('partial setstate', lambda: (r(), r.keywords))
show('partial bad state', lambda: r.__setstate__((1, 2)))
show('partial not a method', lambda: (lambda C: C().m())(type('C', (), {'m': partial(f, 'bound?')})))
show('partial generic', lambda: partial[int])
rec = partial(f); rec.__setstate__((f, (rec,), {}, None))
show('partial recursive repr', lambda: repr(rec).replace(hex(id(f)), 'ID'))
show('names', lambda: (partial.__name__, partial.__module__, repr(partial)))
