# Per-module import locks: threads importing a module another thread is
# still running wait for it (no half-initialized module, no second run); two
# threads importing a cycle from both ends do not deadlock.
import os
import sys
import tempfile
import threading

d = tempfile.mkdtemp()
sources = {
    'slowmod': 'import time\nimport counter\ncounter.runs += 1\ntime.sleep(0.2)\nVALUE = 42\n',
    'counter': 'runs = 0\n',
    'cyc_a': 'import time\ntime.sleep(0.1)\nimport cyc_b\nA = 1\n',
    'cyc_b': 'import time\ntime.sleep(0.1)\nimport cyc_a\nB = 2\n',
    'pkg/__init__': 'import time\ntime.sleep(0.1)\nREADY = True\n',
    'pkg/sub': 'from . import READY\nSUB = READY\n',
}
os.mkdir(os.path.join(d, 'pkg'))
for name, src in sources.items():
    with open(os.path.join(d, name + '.py'), 'w') as f:
        f.write(src)
sys.path.insert(0, d)

results = []
lock = threading.Lock()
def run(target, n):
    ts = [threading.Thread(target=target) for _ in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()

def use_slowmod():
    import slowmod
    with lock:
        results.append(slowmod.VALUE)
run(use_slowmod, 4)
import counter
print(results, 'module body ran', counter.runs, 'time(s)')

results.clear()
def imp(name):
    __import__(name)
    with lock:
        results.append(name)
ts = [threading.Thread(target=imp, args=(n,)) for n in ('cyc_a', 'cyc_b')]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(sorted(results), sys.modules['cyc_a'].A, sys.modules['cyc_b'].B)

results.clear()
def use_pkg():
    from pkg import sub
    with lock:
        results.append(sub.SUB)
run(use_pkg, 3)
print(results)
import shutil
shutil.rmtree(d)
