# list, tuple, dict, set basics and reprs.
l = [3, 1, 2]
l.append(5); l.extend([0]); l.insert(0, 9)
print(l, sorted(l), l[::2], l.pop(), l.index(2), l.count(1), len(l))
l.sort(reverse=True)
print(l, list(reversed(l)), [x * x for x in l if x % 2])
t = (1, "two", 3.0)
print(t, t[1:], (1,), (), t + (4,), t * 2, 3.0 in t)
d = {"a": 1, "b": 2}
d["c"] = 3
del d["a"]
print(d, list(d), list(d.values()), list(d.items()), d.get("z", 0), "b" in d)
print({k: v * 2 for k, v in d.items()}, dict(zip("xy", [1, 2])), d.pop("b"), d)
s = {3, 1, 2}
s.add(2)
print(s, s | {4}, s & {1, 5}, s - {1}, {1, 2} <= s, frozenset([1]))
a = [1, 2]
a.append(a)
print(a, [[]] * 2, list(range(5)), list(range(10, 0, -3)), range(3))
first, *rest = [1, 2, 3, 4]
print(first, rest)
print(list(enumerate("ab")), list(zip([1, 2], "ab")), list(map(abs, [-1, 2])), list(filter(None, [0, 1, 2])))
