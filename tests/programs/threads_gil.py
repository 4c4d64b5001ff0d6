import threading, sys, gc, time

# 1. busy threads are preempted: a counter thread and main both make progress
stop = False
counts = [0, 0]
def spin(i):
    while not stop:
        counts[i] += 1
ts = [threading.Thread(target=spin, args=(i,)) for i in range(2)]
for t in ts: t.start()
time.sleep(0.1)
x = 0
for i in range(200000):
    x += i
stop = True
for t in ts: t.join()
print("both spun:", counts[0] > 0 and counts[1] > 0, x)

# 2. a generator created in one thread, resumed in others
def gen():
    for i in range(6):
        yield i
    late = 1
    yield late
g = gen()
out = []
def take():
    out.append(next(g))
for _ in range(7):
    t = threading.Thread(target=take); t.start(); t.join()
print("generator across threads:", out)

# 3. garbage cycles made in many threads are collected
class Node:
    def __init__(self): self.ref = self
def churn():
    for _ in range(20000):
        Node()
ts = [threading.Thread(target=churn) for _ in range(4)]
for t in ts: t.start()
for t in ts: t.join()
gc.collect()
print("nodes left:", sum(1 for o in gc.get_objects() if type(o) is Node))

# 4. recursion limit per thread
def deep(n): return deep(n + 1)
res = []
def rec():
    try:
        deep(0)
    except RecursionError as e:
        res.append(str(e))
t = threading.Thread(target=rec); t.start(); t.join()
print(res)

# 5. exceptions handled in a thread don't leak into another's sys.exc_info
seen = []
ev1, ev2 = threading.Event(), threading.Event()
def holder():
    try:
        raise KeyError("in thread")
    except KeyError:
        ev1.set(); ev2.wait()
        seen.append(repr(sys.exc_info()[1]))
t = threading.Thread(target=holder); t.start()
ev1.wait()
seen.append(repr(sys.exc_info()[1]))
ev2.set(); t.join()
print(seen)

# 6. many short threads
n = [0]
lock = threading.Lock()
def inc():
    with lock:
        n[0] += 1
ts = [threading.Thread(target=inc) for _ in range(200)]
for t in ts: t.start()
for t in ts: t.join()
print("200 threads:", n[0], threading.active_count())

# 7. frames: sys._getframe in a thread sees its own stack
def where():
    return sys._getframe().f_back.f_code.co_name
def in_thread():
    res.append(where())
t = threading.Thread(target=in_thread); t.start(); t.join()
print(res[-1])
