# _thread.get_ident is the thread's pthread_t, so signal.pthread_kill reaches
# the right thread; threads that finished (or never were) get ESRCH.
import signal
import threading
import time

got = []
signal.signal(signal.SIGUSR1, lambda s, f: got.append((s, threading.current_thread().name)))
signal.pthread_kill(threading.get_ident(), signal.SIGUSR1)
print('self:', got)
print(threading.get_ident() == threading.main_thread().ident, threading.get_ident() > 0)

ready = threading.Event()
stop = threading.Event()
def worker():
    ready.set()
    stop.wait()
t = threading.Thread(target=worker, name='worker')
t.start()
ready.wait()
print('worker ident differs:', t.ident != threading.get_ident())
signal.pthread_kill(t.ident, 0)
print('signal 0 to a live thread: ok')
# Delivered to the worker's thread; the handler still runs in the main thread.
got.clear()
signal.pthread_kill(t.ident, signal.SIGUSR1)
for _ in range(100):
    if got:
        break
    time.sleep(0.01)
print('worker signalled:', got)
stop.set()
t.join()
# CPython crashes on these (pthread_kill of a pthread_t that is no thread):
# krait raises ESRCH, as docs/differences.md records. The four expected
# ProcessLookupError lines are krait's; the rest is python3's output.
for args in [(t.ident, 0), (-1, 0), (12345, 0), (2**64, 0)]:
    try:
        signal.pthread_kill(*args)
    except ProcessLookupError as e:
        print('ProcessLookupError', e.errno)
for args in [('x', 0), (threading.get_ident(), -1), (threading.get_ident(), 1000), (threading.get_ident(), 'a')]:
    try:
        signal.pthread_kill(*args)
    except (TypeError, OSError) as e:
        print(type(e).__name__, e)
