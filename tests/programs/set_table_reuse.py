# Sets and frozensets made and freed in turn (their small tables are reused): item finalization order, hashes, tracking.
import gc, weakref
class K:
    def __init__(s, n): s.n = n
    def __hash__(s): return s.n % 3
    def __eq__(s, o): return isinstance(o, K) and s.n == o.n
    def __del__(s): print('del', s.n)
def mk():
    s = {K(1), K(2), K(4)}
    return len(s)
print(mk())
for i in range(3):
    a = set(range(i, i + 5)); b = frozenset(range(3)); c = a - b; d = a | b
    print(sorted(c), sorted(d), hash(frozenset(c)) == hash(frozenset(sorted(c))))
print(gc.is_tracked(set()), gc.is_tracked({1}), gc.is_tracked(frozenset({1})))
s = set(); s.add(1); s.discard(1); print(s, len(s))
x = [set(range(n)) for n in range(20)]
del x
print(sorted({1, 2, 3} ^ {3, 4}), frozenset() == frozenset(), {frozenset({1}): 1}[frozenset([1])])
