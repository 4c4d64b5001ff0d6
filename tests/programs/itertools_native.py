# itertools: results, laziness, reprs and argument errors (compared with CPython).
import itertools as it
from itertools import *

def show(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, '!!', type(e).__name__, e)

show('count', lambda: list(islice(count(), 5)))
show('count step', lambda: list(islice(count(2.5, -0.5), 4)))
show('count big', lambda: list(islice(count(2**63 - 2), 4)))
show('count repr', lambda: (repr(count()), repr(count(3, 1)), repr(count(3, 1.0)), repr(count(1, 2**70))))
c = count(5); next(c); show('count repr after next', lambda: repr(c))
show('count bad', lambda: count('a'))
show('cycle', lambda: list(islice(cycle('abc'), 8)))
show('cycle empty', lambda: list(cycle([])))
show('repeat', lambda: (list(repeat('x', 3)), list(repeat(1, -2)), repr(repeat(None)), repr(repeat([1], 2))))
r = repeat(7, 3); next(r); show('repeat hint', lambda: (r.__length_hint__(), repr(r)))
show('repeat unsized', lambda: repeat(1).__length_hint__())
show('accumulate', lambda: list(accumulate([1, 2, 3, 4])))
show('accumulate func', lambda: list(accumulate([3, 1, 4, 1, 5], max)))
show('accumulate initial', lambda: list(accumulate([1, 2], initial=100)))
show('accumulate empty initial', lambda: list(accumulate([], initial=None)))
show('accumulate kw', lambda: list(accumulate(iterable=[1, 2], func=lambda a, b: a * b)))
show('accumulate 3 pos', lambda: accumulate([1], None, None))
show('chain', lambda: list(chain('ab', [1, 2], (), range(2))))
show('chain.from_iterable', lambda: list(chain.from_iterable(['ab', 'cd'])))
show('chain lazy error', lambda: list(chain([1], 5)))
show('chain generic', lambda: chain[int])
show('compress', lambda: list(compress('ABCDEF', [1, 0, 1, 0, 1, 1])))
show('dropwhile', lambda: list(dropwhile(lambda x: x < 5, [1, 4, 6, 4, 1])))
show('takewhile', lambda: list(takewhile(lambda x: x < 5, [1, 4, 6, 4, 1])))
show('filterfalse', lambda: list(filterfalse(lambda x: x % 2, range(10))))
show('filterfalse None', lambda: list(filterfalse(None, [0, 1, '', 'a', None])))
show('starmap', lambda: list(starmap(pow, [(2, 5), (3, 2), [10, 3]])))
show('pairwise', lambda: list(pairwise('ABCDE')))
show('pairwise short', lambda: list(pairwise('A')))
show('islice', lambda: [list(islice('ABCDEFG', 2)), list(islice('ABCDEFG', 2, 4)),
                        list(islice('ABCDEFG', 2, None)), list(islice('ABCDEFG', 0, None, 2))])
show('islice errors', lambda: islice([], -1))
show('islice step0', lambda: islice([], 0, 1, 0))
show('islice start', lambda: islice([], 'x', 1))
show('groupby', lambda: [(k, list(g)) for k, g in groupby('AAAABBBCCDAABBB')])
show('groupby key', lambda: [(k, list(g)) for k, g in groupby(range(10), lambda x: x // 3)])
show('groupby keys', lambda: [k for k, g in groupby('AAAABBBCCD')])
gb = groupby('aabbc'); k1, g1 = next(gb); k2, g2 = next(gb)
show('groupby stale grouper', lambda: (list(g1), list(g2)))
a, b = tee(range(5))
show('tee', lambda: (list(a), list(b)))
a, b, c2 = tee(iter('xyz'), 3); next(a)
show('tee lag', lambda: (list(a), list(b), list(c2)))
a, = tee([1, 2], 1); b = a.__copy__(); next(a)
show('tee copy', lambda: (list(a), list(b), type(a).__name__))
show('tee n', lambda: (tee([1], 0), len(tee([], 4))))
show('tee big', lambda: [sum(x) for x in tee(range(1000), 3)])
show('tee neg', lambda: tee([], -1))
show('zip_longest', lambda: list(zip_longest('ABCD', 'xy', fillvalue='-')))
show('zip_longest none', lambda: (list(zip_longest()), list(zip_longest([1], []))))
show('zip_longest kw', lambda: zip_longest([], fill=1))
show('product', lambda: list(product('AB', range(2))))
show('product repeat', lambda: list(product([0, 1], repeat=3)))
show('product empty', lambda: (list(product()), list(product([], [1]))))
show('permutations', lambda: list(permutations(range(3))))
show('permutations r', lambda: list(permutations('ABCD', 2)))
show('permutations r0', lambda: (list(permutations('AB', 0)), list(permutations('AB', 5))))
show('permutations bad r', lambda: permutations('ab', 1.0))
show('combinations', lambda: list(combinations('ABCD', 2)))
show('combinations big r', lambda: list(combinations(range(4), 5)))
show('cwr', lambda: list(combinations_with_replacement('ABC', 2)))
show('cwr 0', lambda: (list(combinations_with_replacement([], 0)), list(combinations_with_replacement('a', 3))))
show('types', lambda: (repr(it.chain), it.groupby.__name__, it.count.__module__, type(iter(tee([])[0])).__name__))
show('isinstance', lambda: isinstance(chain(), chain))
class MyChain(chain):
    pass
show('subclass', lambda: (type(MyChain([1], [2])).__name__, list(MyChain([1], [2]))))
class Count2(count):
    pass
show('subclass repr', lambda: repr(Count2(4)))

# Laziness: nothing is consumed before it is asked for.
seen = []
def gen():
    for i in range(5):
        seen.append(i)
        yield i
m = map(lambda x: x * 10, gen())
s = islice(m, 1, 3)
show('lazy before', lambda: list(seen))
show('lazy islice', lambda: (list(s), seen))

# Re-entrancy must raise, not crash.
def reenter():
    t = None
    def g():
        yield next(t)
    t, = tee(g(), 1)
    return next(t)
show('tee reenter', reenter)
def reenter_chain():
    c = None
    def g():
        yield from c
    c = chain(g())
    return next(c)
show('chain reenter', reenter_chain)
show('length_hint', lambda: __import__('operator').length_hint(repeat(1, 4)))
