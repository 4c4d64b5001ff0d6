# json.dumps re-reads a list at each item, as CPython's C encoder: a default
# hook that shortens or grows the list being encoded changes what is written.
import json
a = [object()] * 10
def crasher(obj):
    del a[-1]
print(json.dumps(a, default=crasher))
b = [1, [2, 3], (4, 5), []]
print(json.dumps(b), json.dumps(()), json.dumps([[]]))
c = [object()] * 3
def grow(obj):
    if len(c) < 6:
        c.append(7)
print(json.dumps(c, default=grow))
