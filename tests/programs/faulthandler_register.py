"""faulthandler.register/unregister: argument checks, a dump on a registered signal, chaining to the Python handler, and the default action."""
import faulthandler, signal, os, sys, subprocess, tempfile
for f in [lambda: faulthandler.register(signal.SIGSEGV), lambda: faulthandler.register(0), lambda: faulthandler.register(100),
          lambda: faulthandler.register('x'), lambda: faulthandler.unregister(signal.SIGUSR1), lambda: faulthandler.register(signal.SIGUSR1),
          lambda: faulthandler.unregister(signal.SIGUSR1), lambda: faulthandler.unregister(signal.SIGSEGV), lambda: faulthandler.unregister(100)]:
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)

def dumped(fd):
    os.lseek(fd, 0, 0)
    text = os.read(fd, 10000).decode()
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, 0)
    return [line.split(',')[0].strip() + (' in ' + line.split(' in ')[-1] if ' in ' in line else '') for line in text.splitlines()]

fd, path = tempfile.mkstemp()
calls = []
def handler(signum, frame):
    calls.append(signum)

def inner():
    os.kill(os.getpid(), signal.SIGUSR1)
    for _ in range(1000):  # the signal is handled at the next check
        pass

# No Python handler: the dump alone, and the process goes on.
faulthandler.register(signal.SIGUSR1, file=fd, all_threads=False)
inner()
out = dumped(fd)
print(out[0], any('in inner' in l for l in out), calls)
print(faulthandler.unregister(signal.SIGUSR1))
# With a Python handler and chain: the dump, then the handler.
signal.signal(signal.SIGUSR1, handler)
faulthandler.register(signal.SIGUSR1, file=fd, all_threads=True, chain=True)
inner()
out = dumped(fd)
print(out[0][:15], any('in inner' in l for l in out), calls)
# signal.signal takes the signal back: no dump, even after registering again.
signal.signal(signal.SIGUSR1, handler)
faulthandler.register(signal.SIGUSR1, file=fd, all_threads=False)
inner()
print(dumped(fd), calls)
print(faulthandler.unregister(signal.SIGUSR1))
inner()
print(calls, dumped(fd))
os.close(fd)
os.unlink(path)
# With chain and no Python handler, the default action follows: SIGUSR1 ends the process.
code = "import faulthandler, signal, os; faulthandler.register(signal.SIGUSR1, chain=True, all_threads=False); os.kill(os.getpid(), signal.SIGUSR1); [0 for _ in range(1000)]; print('survived')"
r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
print(r.returncode, r.stdout, r.stderr.splitlines()[0])
