# Signal handlers run from the eval loop (busy code) and from blocking calls.
import os
import signal
import threading
import time

got = []
signal.signal(signal.SIGALRM, lambda s, f: got.append(s))
signal.alarm(1)
n = 0
while not got:
    n += 1
print("alarm handled in a busy loop:", got == [signal.SIGALRM])

# A handler's exception comes out where the main thread is.
def boom(s, f):
    raise RuntimeError("from handler")
signal.signal(signal.SIGUSR1, boom)
try:
    os.kill(os.getpid(), signal.SIGUSR1)
    for i in range(10**7):
        pass
except RuntimeError as e:
    print("raised:", e)

# SIGINT: KeyboardInterrupt in the main thread, also while it waits on a lock.
def interrupt_later():
    time.sleep(0.2)
    os.kill(os.getpid(), signal.SIGINT)
threading.Thread(target=interrupt_later).start()
try:
    threading.Event().wait()
except KeyboardInterrupt:
    print("KeyboardInterrupt while waiting")

# A signal sent by another thread is still handled by the main thread.
where = []
signal.signal(signal.SIGUSR2, lambda s, f: where.append(threading.current_thread().name))
t = threading.Thread(target=lambda: os.kill(os.getpid(), signal.SIGUSR2), name="sender")
t.start(); t.join()
for i in range(100000):
    if where:
        break
time.sleep(0.05)
print("handled in:", where)
