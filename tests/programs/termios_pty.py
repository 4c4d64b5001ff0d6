"""termios over a pipe (errors) and a pseudo-terminal (attributes, raw mode,
window size), and os.openpty/forkpty through the pty module."""
import termios, os, sys, pty, tty
names = sorted(n for n in dir(termios) if n.isupper())
print(len(names), sum(getattr(termios, n) for n in names) % 1000003)
print(termios.error.__module__, termios.error.__mro__)
r, w = os.pipe()
for call in [lambda: termios.tcgetattr(r), lambda: termios.tcgetattr(99), lambda: termios.tcgetattr('x'),
             lambda: termios.tcgetattr(-1), lambda: termios.tcsetattr(r, 0, 5), lambda: termios.tcsetattr(r, 0, [1]*7),
             lambda: termios.tcgetwinsize(r), lambda: termios.tcsetwinsize(r, 5), lambda: termios.tcdrain(r),
             lambda: termios.tcflush(r, termios.TCIFLUSH), lambda: termios.tcflow(r, 1), lambda: termios.tcsendbreak(r, 0),
             lambda: termios.tcgetattr(1.5), lambda: termios.tcgetattr()]:
    try:
        print(call())
    except Exception as e:
        print(type(e).__name__, e.args)
m, s = pty.openpty()
a = termios.tcgetattr(s)
print(len(a), len(a[6]), type(a[6][0]), a[6][termios.VMIN])
tty.setraw(s)
b = termios.tcgetattr(s)
print(b[3] & termios.ICANON, b[6][termios.VMIN], b[6][termios.VTIME], type(b[6][0]))
termios.tcsetattr(s, termios.TCSANOW, a)
print(termios.tcgetattr(s) == a)
termios.tcsetwinsize(s, (40, 100))
print(termios.tcgetwinsize(s))
try: termios.tcsetwinsize(s, (70000, 1))
except Exception as e: print(type(e).__name__, e)
try:
    c = list(a); c[6] = c[6][:5]; termios.tcsetattr(s, 0, c)
except Exception as e: print(type(e).__name__, e)
try:
    c = list(a); c[6] = [1.5]*len(a[6]); termios.tcsetattr(s, 0, c)
except Exception as e: print(type(e).__name__, e)
termios.tcdrain(s); termios.tcflush(s, termios.TCIOFLUSH)
print("ok")

# A child on its own pseudo-terminal: its output arrives through the master
# end with the terminal's newline translation.
pid, fd = pty.fork()
if pid == 0:
    print("child on a tty:", os.isatty(0), os.isatty(1))
    os._exit(7)
data = b""
while True:
    try:
        chunk = os.read(fd, 1024)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
print(data)
_, status = os.waitpid(pid, 0)
print(os.waitstatus_to_exitcode(status))
print(os.get_inheritable(m), os.get_inheritable(s))
os.login_tty  # exists, as in CPython 3.11
