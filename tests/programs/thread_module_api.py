import _thread, time, threading
def boom(x):
    raise ValueError(x)
_thread.start_new_thread(boom, ("bad",))
time.sleep(0.2)
def quit_():
    raise SystemExit(3)
_thread.start_new_thread(quit_, ())
time.sleep(0.1)
try:
    _thread.start_new_thread(1, ())
except TypeError as e: print(e)
try:
    _thread.start_new_thread(print, [])
except TypeError as e: print(e)
try:
    _thread.start_new_thread(print, (), 1)
except TypeError as e: print(e)
l = threading.local()
print(type(l).__name__, repr(type(l)))
try:
    threading.local(1)
except TypeError as e: print(e)
lk = _thread.allocate_lock()
print(lk.acquire(timeout=0.01), lk.acquire(timeout=0.01), lk.locked())
try:
    lk.acquire(False, 1)
except ValueError as e: print(e)
lk.release()
try: lk.release()
except RuntimeError as e: print(e)
r = _thread.RLock()
r.acquire(); r.acquire(); print(r._is_owned())
def other(): print("other owns:", r._is_owned(), r.acquire(False))
t = threading.Thread(target=other); t.start(); t.join()
r.release(); r.release()
try: r.release()
except RuntimeError as e: print(e)
print(_thread._count())
