# A dict changed under an iterator: size changes and keys replaced at the
# same size both raise; deleting then re-adding a key that was not yet
# reached is seen, as CPython's entry order has it.
def run(label, f):
    try:
        print(label, f())
    except RuntimeError as e:
        print(label, 'RuntimeError:', e)

def replace_only_key(view):
    d = {0: 0}
    out = []
    for x in view(d):
        out.append(x)
        del d[0]
        d[0] = 0
    return out

run('keys', lambda: replace_only_key(lambda d: d))
run('values', lambda: replace_only_key(lambda d: d.values()))
run('items', lambda: replace_only_key(lambda d: d.items()))

def grow():
    d = {0: 0}
    for k in d:
        d[1] = 1
run('grow', grow)

def readd_later():
    d = {0: 0, 1: 1, 2: 2}
    out = []
    for k in d:
        out.append(k)
        if k == 0:
            del d[1]
            d[1] = 1
    return out
run('re-add later key', readd_later)

def emptied_then_filled():
    d = {'a': 1}
    del d['a']
    d['b'] = 2
    d['c'] = 3
    return list(d), len(d)
run('emptied then filled', emptied_then_filled)

# dict.update(other dict) whose key comparison clears the source.
class ClearsOther:
    def __hash__(self):
        return 0
    def __eq__(self, o):
        other.clear()
        return False

other = dict((i, 0) for i in range(1, 50))
other[ClearsOther()] = 0
d = {ClearsOther(): 0, 1: 1}
try:
    d.update(other)
except RuntimeError as e:
    print("update:", e)
other = {1: 2, 3: 4}
d = {}
d.update(other)
d.update(d)
print(d)
