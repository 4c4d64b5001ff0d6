# The collector's graph walk: what survives a collection of each generation,
# which objects a collection untracks, and the counts it keeps.
import gc
import weakref


class Node:
    def __init__(self, name):
        self.name = name
        self.other = None


def gen_of(obj):
    """The generation whose gc.get_objects() lists obj (None if untracked)."""
    for g in range(3):
        if any(o is obj for o in gc.get_objects(g)):
            return g
    return None


gc.collect()
gc.disable()

# -- A survivor moves one generation up per collection of its generation.
n = Node("n")
print("new:", gen_of(n))
gc.collect(0)
print("after collect(0):", gen_of(n))
gc.collect(0)
print("after another collect(0):", gen_of(n))
gc.collect(1)
print("after collect(1):", gen_of(n))
gc.collect(2)
print("after collect(2):", gen_of(n))

# -- Counts after each kind of collection.
gc.collect(0)
c = gc.get_count()
print("counts after collect(0): young", c[0])
before = gc.get_count()[1]
gc.collect(0)
print("collect(0) adds one to the next count:", gc.get_count()[1] - before)
gc.collect(1)
c = gc.get_count()
print("counts after collect(1):", c[0], c[1])
gc.collect()
c = gc.get_count()
print("counts after collect():", c[0], c[1], c[2])

# -- Collections per generation (get_stats).
s0 = [s["collections"] for s in gc.get_stats()]
gc.collect(0)
gc.collect(0)
gc.collect(1)
gc.collect(2)
s1 = [s["collections"] for s in gc.get_stats()]
print("collections made:", [b - a for a, b in zip(s0, s1)])


# -- Garbage in an older generation is found only by collecting it.
def make_cycle(name):
    a = Node(name + ".a")
    b = Node(name + ".b")
    a.other = b
    b.other = a
    return weakref.ref(a)


old = make_cycle("old")
keep = old()
gc.collect(0)
gc.collect(1)  # now in the oldest generation
print("old cycle in generation:", gen_of(old()))
keep = None  # garbage from here, in the oldest generation
young = make_cycle("young")
print("collect(0) found:", gc.collect(0))
print("young cycle gone:", young() is None, "old cycle alive:", old() is not None)
print("collect(1) found:", gc.collect(1))
print("old cycle alive:", old() is not None)
print("collect(2) found:", gc.collect(2))
print("old cycle gone:", old() is None)


# -- Objects reachable only through a younger object (backward references)
# survive, whatever the order the walk meets them in.
def backward():
    items = [Node("item%d" % i) for i in range(50)]
    for a, b in zip(items, items[1:]):
        a.other = b
    items[-1].other = items[0]
    refs = [weakref.ref(x) for x in items]
    holder = Node("holder")  # newer than the items
    holder.other = tuple(items)
    del items, a, b
    return holder, refs


holder, refs = backward()
print("collect(0) with backward references found:", gc.collect(0))
print("items alive:", all(r() is not None for r in refs))
print("items in generation:", sorted({gen_of(r()) for r in refs}))
holder = None
print("collect(1) after dropping the holder found:", gc.collect(1))
print("items gone:", all(r() is None for r in refs))


# -- A chain that a newer object rescues after the older part was passed.
def rescue():
    first = Node("first")
    mid = Node("mid")
    first.other = mid
    mid.other = first  # a cycle with no outside reference yet
    keeper = [first]  # newer, referenced from outside
    return keeper, weakref.ref(mid)


keeper, mid = rescue()
print("rescue collect found:", gc.collect(0), "mid alive:", mid() is not None)
print("rescued objects tracked:", gc.is_tracked(keeper[0]), gc.is_tracked(mid()))
keeper = None
print("dropped:", gc.collect(), "mid gone:", mid() is None)

# -- Untracking: tuples of atoms in any collection, dicts of atoms only in
# full ones; containers holding containers stay tracked.
t_atoms = tuple([1, "two", 3.0, None, b"x"])
t_inner = tuple([1, 2])
t_outer = tuple([t_inner, "x"])
t_list = tuple([[1]])
d_atoms = {}
d_atoms["k"] = []
del d_atoms["k"]
d_atoms["a"] = 1
d_list = {"l": [1]}
print("before:", gc.is_tracked(t_atoms), gc.is_tracked(t_inner), gc.is_tracked(t_outer),
      gc.is_tracked(t_list), gc.is_tracked(d_atoms), gc.is_tracked(d_list))
gc.collect(0)
print("after collect(0):", gc.is_tracked(t_atoms), gc.is_tracked(t_inner), gc.is_tracked(t_outer),
      gc.is_tracked(t_list), gc.is_tracked(d_atoms), gc.is_tracked(d_list))
gc.collect(1)
print("after collect(1):", gc.is_tracked(d_atoms), gc.is_tracked(d_list))
gc.collect(2)
print("after collect(2):", gc.is_tracked(d_atoms), gc.is_tracked(d_list))
d_atoms["l"] = []
print("dict tracked again on a container store:", gc.is_tracked(d_atoms))
print("tuple with a list still tracked:", gc.is_tracked(t_list))

# -- Untracked objects inside a cycle's garbage do not confuse the count.
def cycle_with_atoms():
    a = Node("a")
    a.other = (a, (1, 2), {"x": 1})
    return weakref.ref(a)


w = cycle_with_atoms()
print("cycle holding atom containers:", gc.collect(), w() is None)

# -- Frozen objects are left alone, then collected once unfrozen.
frozen = make_cycle("frozen")
gc.freeze()
print("frozen count positive:", gc.get_freeze_count() > 0)
print("frozen cycle in no generation:", gen_of(frozen()))
print("collect with frozen garbage found:", gc.collect())
print("frozen cycle alive:", frozen() is not None)
fresh = make_cycle("fresh")
print("fresh garbage found:", gc.collect(), fresh() is None)
gc.unfreeze()
print("unfrozen into generation:", gen_of(frozen()))
print("freeze count after unfreeze:", gc.get_freeze_count())
print("unfrozen garbage found:", gc.collect(), frozen() is None)

# -- A finalizer that resurrects: the object survives into an older
# generation and its __del__ does not run again.
saved = []


class Phoenix:
    def __init__(self):
        self.me = self

    def __del__(self):
        print("Phoenix.__del__")
        saved.append(self)


def phoenix():
    Phoenix()


phoenix()
print("resurrecting collect found:", gc.collect())
print("saved:", len(saved), "tracked:", gc.is_tracked(saved[0]), "generation:", gen_of(saved[0]))
saved.clear()
print("second collect found:", gc.collect())


# -- gc.collect() from a finalizer during a collection does nothing.
class Nested:
    def __init__(self):
        self.me = self

    def __del__(self):
        print("nested collect returns:", gc.collect())


def nested():
    Nested()


nested()
print("outer collect found:", gc.collect())

# -- Many objects in one list, and a long chain (no recursion in the walk).
big = [Node(i) for i in range(20000)]
print("big list survives:", gc.collect(), len(big), gen_of(big[-1]))
chain = None
for i in range(100000):
    n = Node(i)
    n.other = chain
    chain = n
print("long chain survives:", gc.collect(), chain.name)
head = chain
chain = n = None
last = head
while last.other is not None:
    last = last.other
last.other = head  # one cycle through 100000 objects
head = last = None
print("long cycle collected:", gc.collect())
gc.enable()
