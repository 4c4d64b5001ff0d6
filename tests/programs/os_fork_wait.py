# os.fork, register_at_fork hook order, waitpid/wait and the status macros. getsid may be 0 where the session leader is outside the pid namespace (CI), so only its consistency is checked.
import os
import sys

order = []
os.register_at_fork(before=lambda: order.append('before1'), after_in_parent=lambda: order.append('parent1'),
                    after_in_child=lambda: order.append('child1'))
os.register_at_fork(before=lambda: order.append('before2'), after_in_parent=lambda: order.append('parent2'),
                    after_in_child=lambda: order.append('child2'))
sys.stdout.flush()
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r)
    os.write(w, repr(order).encode())
    os._exit(7)
os.close(w)
data = b''
while chunk := os.read(r, 100):
    data += chunk
os.close(r)
print('child saw:', data.decode())
print('parent saw:', order)
p, status = os.waitpid(pid, 0)
print(p == pid, os.WIFEXITED(status), os.WEXITSTATUS(status), os.waitstatus_to_exitcode(status))

pid = os.fork()
if pid == 0:
    os.kill(os.getpid(), 9)
p, status = os.wait()
print(p == pid, os.WIFSIGNALED(status), os.WTERMSIG(status), os.waitstatus_to_exitcode(status))

pid = os.fork()
if pid == 0:
    import time
    time.sleep(0.3)
    os._exit(0)
print('WNOHANG:', os.waitpid(pid, os.WNOHANG))
print('waited:', os.waitpid(pid, 0)[1])
try:
    os.waitpid(pid, 0)
except ChildProcessError as e:
    print(type(e).__name__, e)
for args, kwargs in [((len,), {}), ((), {}), ((), {'before': None}), ((), {'before': 1}), ((), {'foo': len})]:
    try:
        os.register_at_fork(*args, **kwargs)
    except TypeError as e:
        print('TypeError:', e)
for f, a in [(os.fork, (1,)), (os.waitpid, (1,)), (os.kill, (1,)), (os.waitstatus_to_exitcode, (0x17f,))]:
    try:
        f(*a)
    except (TypeError, ValueError) as e:
        print(type(e).__name__ + ':', e)
print(os.getpgid(0) == os.getpgrp(), os.getsid(0) == os.getsid(os.getpid()), os.sysconf('SC_PAGESIZE') > 0, os.confstr('CS_PATH') != '')
