# The native _datetime module: reprs, errors, arithmetic, time zones,
# pickling and subclassing (datetime.py takes its classes from _datetime).
import datetime as dt
import pickle
import copy
from datetime import date, time, datetime, timedelta, timezone, tzinfo


def attempt(label, f):
    try:
        print(label, '->', repr(f()))
    except Exception as e:
        print(label, '!!', type(e).__name__, e)


print(dt.datetime.__module__, dt.date is date, type(dt.UTC).__name__, dt.UTC is timezone.utc)
print(repr(date(2024, 2, 29)), repr(datetime(2024, 2, 29, 1, 2)), repr(time(1, 2, 3, 4)))
print(repr(datetime(2020, 1, 1, tzinfo=timezone.utc, fold=1)), repr(timedelta(1, 2, 3)), repr(timedelta(0)))
print(str(timedelta(-1, 3, 5)), str(timedelta(days=2, microseconds=1)), str(timedelta(hours=-1)))
print(date(2024, 1, 1).isocalendar(), date(2021, 1, 3).isocalendar().week, date.fromisocalendar(2020, 53, 7))

# Constructor errors.
attempt('bad day', lambda: date(2023, 2, 29))
attempt('bad month', lambda: date(2023, 13, 1))
attempt('bad year', lambda: datetime(10000, 1, 1))
attempt('bad hour', lambda: time(24))
attempt('bad fold', lambda: time(fold=2))
attempt('float year', lambda: date(2020.0, 1, 1))
attempt('bad tzinfo', lambda: datetime(2020, 1, 1, tzinfo=1))
attempt('timedelta overflow', lambda: timedelta(days=10**9))
attempt('timedelta type', lambda: timedelta(seconds='1'))
attempt('timezone range', lambda: timezone(timedelta(days=1)))
attempt('timezone name type', lambda: timezone(timedelta(0), 5))

# timedelta normalisation and arithmetic (half-even rounding).
print(timedelta(1.5, 1.5, 1.5), timedelta(microseconds=0.5), timedelta(microseconds=1.5), timedelta(microseconds=-1.5))
print(timedelta(1, 2, 3) * 2.5, timedelta(1) / 7, timedelta(1) // 7, timedelta(hours=1) / 3.0)
print(timedelta(1) / timedelta(hours=7), timedelta(1) // timedelta(hours=5), timedelta(1) % timedelta(hours=5))
print(divmod(timedelta(1), timedelta(hours=7)), -timedelta(microseconds=1), abs(timedelta(-1)), bool(timedelta()))
print(timedelta(weeks=1, days=-1, hours=25, minutes=-1, milliseconds=1500).total_seconds())
attempt('td / 0', lambda: timedelta(1) / 0)
attempt('td % zero', lambda: timedelta(1) % timedelta(0))
attempt('td / td zero', lambda: timedelta(1) / timedelta(0))
attempt('td + int', lambda: timedelta(1) + 1)
attempt('td * nan', lambda: timedelta(1) * float('nan'))
attempt('min - 1us', lambda: timedelta.min - timedelta.resolution)
print(timedelta.max, timedelta.min, timedelta.resolution)

# date and datetime arithmetic.
d = date(2024, 2, 28)
print(d + timedelta(days=1, hours=23), timedelta(2) + d, d - timedelta(365), d - date(2023, 2, 28))
attempt('date overflow', lambda: date.max + timedelta(1))
attempt('date - int', lambda: d - 5)
attempt('datetime - date', lambda: datetime(2020, 1, 1) - date(2020, 1, 1))
x = datetime(2024, 2, 29, 23, 59, 59, 999999)
print(x + timedelta(microseconds=1), x - datetime(2024, 1, 1), (x - timedelta(days=60)).isoformat())
print(date(2020, 1, 1) == datetime(2020, 1, 1), date(2020, 1, 1).__eq__(datetime(2020, 1, 1, 5)))
attempt('datetime < date', lambda: datetime(2020, 1, 1) < date(2020, 1, 1))
attempt('date < int', lambda: date(2020, 1, 1) < 5)
print(sorted([date(2020, 5, 1), date(2019, 1, 1), date(2020, 1, 1)]))

# Time zones.
ist = timezone(timedelta(hours=5, minutes=30), 'IST')
a = datetime(2024, 1, 1, 12, 0, tzinfo=ist)
u = a.astimezone(timezone.utc)
print(a, a.tzname(), a.utcoffset(), a.dst(), u, u == a, hash(u) == hash(a), a.timestamp())
print(repr(ist), repr(timezone(timedelta(hours=-5))), str(timezone(timedelta(hours=-5, seconds=3))), timezone.min, timezone.max)
print(timezone(timedelta(0)) is timezone.utc, timezone(timedelta(0), 'Z') == timezone.utc)
attempt('naive - aware', lambda: a - datetime(2024, 1, 1))
attempt('naive < aware', lambda: datetime(2024, 1, 1) < a)
print(datetime(2024, 1, 1) == a, time(1, tzinfo=ist) < time(1, tzinfo=timezone.utc))
print(datetime.fromtimestamp(0, timezone.utc), datetime.utcfromtimestamp(1.5e-6), datetime.fromtimestamp(2.5e-6, timezone.utc))
print(datetime.fromtimestamp(1e9, ist).isoformat(), datetime(2000, 1, 1, tzinfo=timezone.utc).timestamp())
attempt('fromtimestamp nan', lambda: datetime.fromtimestamp(float('nan')))
attempt('fromtimestamp huge', lambda: datetime.fromtimestamp(1e20))


class Fixed(tzinfo):
    def __init__(self, minutes, name):
        self.off = timedelta(minutes=minutes)
        self.name = name

    def utcoffset(self, d):
        return self.off

    def tzname(self, d):
        return self.name

    def dst(self, d):
        return timedelta(0)

    def __repr__(self):
        return 'Fixed(%r)' % self.name


f = Fixed(-90, 'M%T')
b = datetime(2024, 6, 1, 8, 30, tzinfo=f)
print(b, b.strftime('%z|%Z|%f'), b.astimezone(ist), b.utctimetuple()[:6], f.fromutc(b.replace(tzinfo=f)))
attempt('tzinfo abstract', lambda: tzinfo().utcoffset(None))
attempt('fromutc wrong tz', lambda: f.fromutc(datetime(2020, 1, 1)))


class BadOffset(tzinfo):
    def utcoffset(self, d):
        return timedelta(hours=24)


attempt('offset too big', lambda: datetime(2020, 1, 1, tzinfo=BadOffset()).utcoffset())

# Formatting and parsing.
print(x.isoformat(' ', 'milliseconds'), time(1, 2, 3, 4, ist).isoformat('hours'), format(x, '%d/%m/%Y'), format(x, ''))
print(x.ctime(), x.strftime('%j %U %W %a %b %%'), time(7).strftime('%I:%M %p %Y'))
attempt('bad timespec', lambda: x.isoformat(timespec='x'))
attempt('bad sep', lambda: x.isoformat(sep='ab'))
for s in ['2020-01-01', '2020-W01-1T12', '20200101T1200Z', '2020-01-01T12:00:00.1234567+05:00', '2020-01-01T24:00', '2020-01', '2020-01-01T12:00:']:
    attempt('fromisoformat ' + s, lambda: datetime.fromisoformat(s))
for s in ['T12:00', '1200', '12:00:00,5-03:00', '25:00', '12:0']:
    attempt('time.fromisoformat ' + s, lambda: time.fromisoformat(s))
attempt('date.fromisoformat', lambda: date.fromisoformat('2020W011'))
attempt('date.fromisoformat bad', lambda: date.fromisoformat('2020-1-1'))
attempt('fromisocalendar', lambda: date.fromisocalendar(2020, 54, 1))
print(datetime.strptime('03/15/23 14:30', '%m/%d/%y %H:%M'), date(2024, 7, 4).timetuple()[:])

# Pickling: CPython's byte-string states, round trips at every protocol.
print(date(2020, 1, 1).__reduce__(), datetime(2020, 1, 1, 1, 2, 3, 4, fold=1).__reduce_ex__(4))
print(time(1, 2, 3, 4, fold=1).__reduce_ex__(2), timezone.utc.__reduce__(), timedelta(1, 2, 3).__reduce__())
objs = [date(2020, 2, 29), datetime(2020, 1, 1, 1, 2, 3, 4, tzinfo=ist, fold=1), time(23, 59, tzinfo=timezone.utc),
        timedelta(-1, 5, 7), ist, timezone.utc, date(2020, 1, 1).isocalendar()]
for proto in range(pickle.HIGHEST_PROTOCOL + 1):
    back = [pickle.loads(pickle.dumps(o, proto)) for o in objs]
    print(proto, all(p == o and type(p) in (type(o), tuple) for p, o in zip(back, objs)), back[1].fold)
print(copy.deepcopy(a) == a, pickle.loads(b'cdatetime\ndate\n(c_codecs\nencode\n(V\x07\xe4\x01\x01\nVlatin1\ntRtR.'))


# Subclassing.
class MyDate(date):
    def __new__(cls, y, m, d, tag='x'):
        self = super().__new__(cls, y, m, d)
        self.tag = tag
        return self


class MyDT(datetime):
    pass


class MyTD(timedelta):
    pass


md = MyDate(2020, 1, 1, 'hi')
print(repr(md), md.tag, type(md + timedelta(1)).__name__, type(md.replace(day=2)).__name__, MyDate.fromordinal(5))
m = MyDT(2020, 1, 1, 12)
print(repr(m), type(m + timedelta(1)).__name__, type(m.replace(hour=1)).__name__, type(MyDT.fromisoformat('2020-01-01')).__name__)
print(type(MyDT.combine(date(2020, 1, 1), time(5, fold=1))).__name__, MyDT.combine(date(2020, 1, 1), time(5, fold=1)).fold)
print(repr(MyTD(1)), type(MyTD(1) + MyTD(1)).__name__, isinstance(m, date), MyDT.min, MyDT.now(timezone.utc).tzinfo)
print(type(pickle.loads(pickle.dumps(m))).__name__, pickle.loads(pickle.dumps(m)) == m)
attempt('timezone subclass', lambda: type('Z', (timezone,), {}))

# Argument errors in the words of CPython's keyword-argument parser.
attempt('missing day', lambda: date(2020, 1))
attempt('too many', lambda: date(1, 2, 3, 4))
attempt('bad keyword', lambda: datetime(2020, 1, 1, foo=1))
attempt('positional fold', lambda: datetime(2020, 1, 1, 1, 1, 1, 1, None, 1))
attempt('timedelta keyword', lambda: timedelta(x=1))
attempt('replace keyword', lambda: time(1).replace(x=1))
attempt('timezone missing', lambda: timezone())
attempt('str date', lambda: datetime('2020-01-01'))
attempt('str then keyword', lambda: datetime(2020, 'x', foo=1))

# Cycles through a tzinfo (the collector may clear a datetime's tzinfo).
import gc


class CycleTZ(tzinfo):
    def utcoffset(self, d):
        return timedelta(hours=1)


for i in range(3000):
    z = CycleTZ()
    z.me = datetime(2020, 1, 1, tzinfo=z)
    z.t = time(1, tzinfo=z)
del z
gc.collect()
print('cycles ok')

# Lone surrogates: kept in isoformat's separator and in error messages.
print(ascii(datetime(2020, 1, 2, 3, 4).isoformat('\ud800')))
try:
    datetime.fromisoformat('2020-01-01T12:00\ud800')
except ValueError as e:
    print(ascii(str(e)))
try:
    date(2020, 1, 1).strftime('%Y\ud800')
except UnicodeEncodeError as e:
    print(type(e).__name__, e.reason)
