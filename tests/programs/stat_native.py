"""_stat: the native constants, S_IS* tests, S_IMODE/S_IFMT and filemode (with '?' for an unknown file type), and argument errors."""
import _stat, stat
names = sorted(n for n in dir(_stat) if n.isupper() and not callable(getattr(_stat, n)))
print(len(names), [(n, getattr(_stat, n)) for n in names])
print(sorted(n for n in dir(_stat) if callable(getattr(_stat, n)) and not n.startswith('_')))
print(stat.filemode is _stat.filemode, stat.S_ISDIR is _stat.S_ISDIR)
for mode in [0o170777, 0o100644, 0o140755, 0o4755 | 0o100000, 0o1777 | 0o40000, 0o2644 | 0o100000, 0o120777, 0o20600, 0o60660, 0o10644, 0o7000]:
    print(oct(mode), _stat.filemode(mode), _stat.S_IMODE(mode), _stat.S_IFMT(mode),
          [f(mode) for f in (_stat.S_ISDIR, _stat.S_ISCHR, _stat.S_ISBLK, _stat.S_ISREG, _stat.S_ISFIFO, _stat.S_ISLNK, _stat.S_ISSOCK, _stat.S_ISDOOR, _stat.S_ISPORT, _stat.S_ISWHT)])
for f in [lambda: _stat.S_ISDIR(-1), lambda: _stat.S_ISDIR(2**40), lambda: _stat.S_ISDIR(-2**70), lambda: _stat.S_ISDIR(2**70), lambda: _stat.S_ISDIR('x'), lambda: _stat.S_ISDIR(1.5),
          lambda: _stat.filemode(-1), lambda: _stat.S_ISDIR(), lambda: _stat.S_ISDIR(True), lambda: _stat.S_IMODE(1, 2), lambda: _stat.filemode(mode=1)]:
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)
