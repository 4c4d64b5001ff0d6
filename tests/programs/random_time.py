# _random's Mersenne Twister, _sha512, and the time module (fixed timestamps only).
import random, _random, _sha512, time, calendar

for s in [0, 1, -1, 2**32, 2**100 + 12345, 3.5, 'abc', b'xyz', bytearray(b'q'), 10**50]:
    random.seed(s)
    print(repr(s)[:20], random.random(), random.getrandbits(1), random.getrandbits(33), random.getrandbits(100), random.randrange(10**30))
r = random.Random(5)
print([r.randint(-5, 5) for _ in range(20)], r.gauss(1, 2), r.normalvariate(0, 1), r.lognormvariate(0, 1), r.vonmisesvariate(1, 2),
      r.gammavariate(2, 3), r.betavariate(2, 3), r.paretovariate(2), r.weibullvariate(1, 2), r.uniform(1, 2), r.triangular())
x = list(range(30)); r.shuffle(x)
print(x, r.sample(x, 7), r.choices(x, k=5), r.choice('abc'), r.randbytes(5))
st = r.getstate(); print(len(st), st[0], len(st[1]), st[1][-1], st[2])
a = r.random(); r.setstate(st); print(a == r.random())
g = _random.Random(123); print(g.random(), g.getrandbits(70), type(g).__name__)
for bad in [lambda: g.getrandbits(-1), lambda: g.setstate(1), lambda: g.setstate((1,) * 3), lambda: g.setstate((0,) * 624 + (625,)),
            lambda: random.seed([1]), lambda: _random.Random(1, 2), lambda: _random.Random(x=1)]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)
h = _sha512.sha512(b'abc'); h.update(b'def')
print(h.hexdigest(), h.name, h.digest_size, h.block_size, h.copy().digest()[:4], _sha512.sha384(b'x' * 300).hexdigest())

g = time.gmtime(1_000_000_000.7)
print(g, g.tm_zone, g.tm_gmtoff, len(g), g[:3], time.struct_time.n_fields, time.struct_time.n_sequence_fields)
print(g.__reduce__())
for v in [-1.5, 1e20, float('nan'), 'x', -62135596800, 253402300800]:
    try:
        print(time.gmtime(v))
    except Exception as e:
        print(type(e).__name__, e)
s = time.struct_time((2020, 1, 2, 3, 4, 5, 6, 7, 0, 'EST', -18000))
print(s, s.tm_zone, s.tm_gmtoff, s == (2020, 1, 2, 3, 4, 5, 6, 7, 0))
for bad in [(1, 2, 3), range(12), 5]:
    try:
        time.struct_time(bad)
    except TypeError as e:
        print('TypeError', e)
print(time.asctime((2001, 9, 9, 1, 46, 40, 6, 252, 0)), '|', time.asctime((2001, 0, 0, 0, 0, 0, 0, 0, 0)), '|', time.asctime(time.gmtime(0)))
fmt = '%a %A %b %B %c %C %d %D %e %F %g %G %h %I %j %k %l %m %M %n %p %r %R %S %t %T %u %U %V %w %W %x %X %y %Y %%'
print(time.strftime(fmt, (2001, 9, 9, 1, 46, 40, 6, 252, 0)))
print(time.strftime(fmt, time.gmtime(1_234_567_890)), time.strftime('%Z %z', time.gmtime(0)), time.strftime('', (2001, 9, 9, 1, 46, 40, 6, 252, 0)))
for bad in [(2001, 13, 9, 1, 46, 40, 6, 252, 0), (2001, 9, 32, 1, 46, 40, 6, 252, 0), (2001, 9, 9, 24, 46, 40, 6, 252, 0),
            (2001, 9, 9, 1, 60, 40, 6, 252, 0), (2001, 9, 9, 1, 46, 62, 6, 252, 0), (2001, 9, 9, 1, 46, 40, -2, 252, 0),
            (2001, 9, 9, 1, 46, 40, 6, 367, 0), (2001, 9, 9), [2001, 9, 9, 1, 46, 40, 6, 252, 0], (2**40, 1, 1, 0, 0, 0, 0, 1, 0)]:
    try:
        print(time.strftime('%Y %m %d', bad))
    except Exception as e:
        print(type(e).__name__, e)
print(calendar.timegm(time.gmtime(1_000_000_000)), time.strptime('2024-02-29 10:11:12', '%Y-%m-%d %H:%M:%S'))
print(time.get_clock_info('monotonic'), time.get_clock_info('time').adjustable, time._STRUCT_TM_ITEMS)
try:
    time.get_clock_info('x')
except ValueError as e:
    print('ValueError', e)
