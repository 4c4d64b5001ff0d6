class L(list):
    def __getitem__(self, i): return ('get', i)
    def __len__(self): return 42
    def __iter__(self): return iter(['it'])
    def __contains__(self, x): return x == 'magic'
    def __setitem__(self, i, v): print('set', i, v)
l = L([1, 2, 3])
print(l[0], l[-1], l[1:2], len(l), list(l), 'magic' in l, 1 in l)
l[0] = 9
for x in l: print(x)
a, = l
print(a)
class T(tuple):
    def __getitem__(self, i): return ('tget', i)
    def __iter__(self): return iter(('x', 'y'))
t = T((1, 2))
print(t[0], list(t))
p, q = t
print(p, q)
class D(dict):
    def __getitem__(self, k): return ('dget', k)
    def __missing__(self, k): return 'missing'
d = D(a=1)
print(d['a'], d['zz'])
class S(str):
    def __getitem__(self, i): return 'sget'
    def __len__(self): return 7
print(S('abc')[0], len(S('abc')))
