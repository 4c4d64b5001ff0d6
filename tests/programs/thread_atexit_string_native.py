# _thread (single-threaded), atexit (callbacks run at exit, last first) and _string.
import _thread, atexit, _string

def show(label, f):
    try:
        print(label, f())
    except BaseException as e:
        print(label, '!!', type(e).__name__, e)

l = _thread.allocate_lock()
show('lock', lambda: (repr(l).split()[0], type(l).__name__, _thread.LockType is type(l), l.locked()))
show('acquire', lambda: (l.acquire(), l.locked(), l.acquire(False), l.acquire(timeout=0.01)))
show('release', lambda: (l.release(), l.locked()))
show('release unlocked', lambda: l.release())
show('acquire args', lambda: l.acquire(False, 1))
show('acquire timeout', lambda: l.acquire(timeout=-2))
show('acquire arity', lambda: l.acquire(1, 2, 3))
with l:
    show('with', lambda: l.locked())
show('after with', lambda: l.locked())
r = _thread.RLock()
with r:
    with r:
        show('rlock nested', lambda: (repr(r).split()[0], repr(r).split()[5], r._is_owned()))
show('rlock released', lambda: (repr(r).split()[0], r._is_owned()))
show('rlock release', lambda: r.release())
show('ident', lambda: (_thread.get_ident() == _thread.get_ident(), type(_thread.get_native_id()).__name__))
show('misc', lambda: (_thread.TIMEOUT_MAX, _thread.error, _thread._count(), _thread.stack_size()))
show('stack_size', lambda: (_thread.stack_size(1)))
show('start bad', lambda: _thread.start_new_thread(1, ()))
show('start bad args', lambda: _thread.start_new_thread(print, 1))
show('exit', lambda: _thread.exit())
loc = _thread._local(); loc.x = 5
show('local', lambda: (loc.x, loc.__dict__))
show('local args', lambda: _thread._local(1))

print(list(_string.formatter_parser('a{0}b{x.y[1]!r:>{w}}c{{d}}e{}')))
for s in ['{', '}', 'a{0', '{0!}', '{0!rr}', '{0:{', '{0[}', '{a[}]}']:
    show(repr(s), lambda: list(_string.formatter_parser(s)))
f, rest = _string.formatter_field_name_split('0.b[1][k]')
print(f, list(rest))
for s in ['a.', 'a[', 'a[]', 'a[0]x', '-1']:
    show(repr(s), lambda: (lambda p: (p[0], list(p[1])))(_string.formatter_field_name_split(s)))

def first():
    print('registered first, runs last')
def second(a, b=0):
    print('second', a, b)
def failing():
    raise ValueError('boom in atexit')
n0 = atexit._ncallbacks()  # site may have registered some
atexit.register(first)
show('register returns func', lambda: atexit.register(second, 1, b=2) is second)
atexit.register(failing)
atexit.register(print, 'unregistered')
atexit.unregister(print)
show('ncallbacks', lambda: atexit._ncallbacks() - n0)
show('register nothing', lambda: atexit.register())
show('register non-callable', lambda: atexit.register(3))
print('end of main')
