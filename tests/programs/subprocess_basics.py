# subprocess over _posixsubprocess.fork_exec: exit codes, exec failures,
# cwd/env, preexec_fn, signals, timeouts and descriptors passed down.
import os
import signal
import subprocess
import sys

sys.stdout.flush()
print('run echo:', subprocess.run(['/bin/echo', 'hello', 'world']).returncode, flush=True)
print('exit 3:', subprocess.run(['sh', '-c', 'exit 3']).returncode)
print('call:', subprocess.call(['true']), subprocess.call(['false']))
for argv, kw in [(['/nonexistent/prog'], {}), (['no-such-program-xyz'], {}), (['/bin/echo'], {'cwd': '/nonexistent-dir'}),
                 (['/etc/passwd'], {})]:
    try:
        subprocess.run(argv, **kw)
    except OSError as e:
        print(type(e).__name__, e.errno, e.strerror, e.filename)
try:
    subprocess.check_call(['false'])
except subprocess.CalledProcessError as e:
    print('CalledProcessError:', e)


def pre():
    os.environ['FROM_PREEXEC'] = 'set'
    print('preexec ran', flush=True)


print('preexec:', subprocess.run(['true'], preexec_fn=pre).returncode)


def bad():
    raise ValueError('boom')


try:
    subprocess.run(['true'], preexec_fn=bad)
except subprocess.SubprocessError as e:
    print('SubprocessError:', e)
sys.stdout.flush()
subprocess.run(['sh', '-c', 'echo cwd=$(pwd) foo=$FOO'], cwd='/tmp', env={'FOO': 'bar', 'PATH': os.environ['PATH']})
p = subprocess.Popen(['sleep', '10'])
p.terminate()
print('terminate:', p.wait(), p.returncode == -signal.SIGTERM)
p = subprocess.Popen(['sleep', '10'])
p.kill()
print('kill:', p.wait())
try:
    subprocess.run(['sleep', '5'], timeout=0.2)
except subprocess.TimeoutExpired as e:
    print('TimeoutExpired:', e.cmd, round(e.timeout, 1))
r, w = os.pipe()
p = subprocess.Popen(['sh', '-c', 'echo through fd >&%d' % w], pass_fds=(w,))
os.close(w)
p.wait()
print('pass_fds:', os.read(r, 100))
os.close(r)
r, w = os.pipe()
p = subprocess.Popen(['sh', '-c', 'ls /proc/self/fd/%d 2>/dev/null || echo closed' % r], stdout=w)
os.close(w)
p.wait()
print('close_fds:', os.read(r, 100))
os.close(r)
with open(os.devnull) as f:
    print('stdin from file:', subprocess.run(['cat'], stdin=f).returncode)
p = subprocess.Popen(['sh', '-c', 'exit 0'], start_new_session=True)
print('new session:', p.wait())
r = subprocess.run([sys.executable, '-c', 'import sys; sys.exit(4)'])
print('python child:', r.returncode)
