"""fcntl: fcntl/ioctl/flock/lockf with int, buffer and writable-buffer arguments, and their errors."""
import fcntl, os, array, tempfile
print(sum(getattr(fcntl, n) for n in dir(fcntl) if n.isupper()))
r,w=os.pipe()
tests=[lambda: fcntl.fcntl(r, fcntl.F_GETFL), lambda: fcntl.fcntl(r, fcntl.F_GETFL, b'x'*2000), lambda: fcntl.fcntl(r, fcntl.F_GETFD, b'abcd'),
lambda: fcntl.fcntl(r, fcntl.F_GETFD, 'ab'), lambda: fcntl.fcntl(99, 1), lambda: fcntl.fcntl(r, 1, 1.5), lambda: fcntl.fcntl(r, 1, None), lambda: fcntl.fcntl(r),
lambda: fcntl.flock(r, fcntl.LOCK_EX), lambda: fcntl.flock(99, 2), lambda: fcntl.lockf(r, 99), lambda: fcntl.lockf(r, fcntl.LOCK_SH),
lambda: fcntl.ioctl(r, 0x541B, b'abcd'), lambda: fcntl.ioctl(r, 0x541B), lambda: fcntl.ioctl(r, 0x541B, bytearray(4)),
lambda: fcntl.ioctl(r, 0x541B, bytearray(4), False), lambda: fcntl.ioctl(r, 0x541B, b'x'*2000),lambda: fcntl.ioctl(r, 0x541B, 1.5), lambda: fcntl.fcntl(r, 2**40),
lambda: fcntl.fcntl(r, fcntl.F_GETFL, 2**40), lambda: fcntl.ioctl(r, -1), lambda: fcntl.ioctl(r, 2**33), lambda: fcntl.fcntl(fd=1, cmd=2), lambda: fcntl.lockf(r, fcntl.LOCK_UN, 2**70),
lambda: fcntl.fcntl(r, fcntl.F_GETFL, memoryview(b'ab')), lambda: fcntl.flock(r, 2**40), lambda: fcntl.fcntl(r, fcntl.F_GETFL, array.array('i',[1])),
lambda: fcntl.flock(), lambda: fcntl.lockf(1,2,3,4,5,6), lambda: fcntl.ioctl(1)]
for t in tests:
  try: print(repr(t()))
  except Exception as e: print(type(e).__name__, e)
os.write(w, b'hello')
buf = array.array('i', [0])
print(fcntl.ioctl(r, 0x541B, buf), buf[0])   # FIONREAD
ba = bytearray(4)
print(fcntl.ioctl(r, 0x541B, ba, True), int.from_bytes(ba, 'little'))
print(fcntl.ioctl(r, 0x541B, memoryview(bytearray(4))))
with tempfile.TemporaryFile() as f:
    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 0, 0)
    fcntl.lockf(f.fileno(), fcntl.LOCK_UN)
    fcntl.flock(f, fcntl.LOCK_UN)
    fl = fcntl.fcntl(f, fcntl.F_GETFL)
    fcntl.fcntl(f, fcntl.F_SETFL, fl | os.O_NONBLOCK)
    print(fcntl.fcntl(f, fcntl.F_GETFL) & os.O_NONBLOCK != 0)
print(fcntl.fcntl(r, fcntl.F_GETFD) & fcntl.FD_CLOEXEC)
