# open(): modes, types, reprs, encodings, newlines, seeking, errors.
# No `os` module is assumed: one scratch file under /tmp (unique by time) is
# reused and emptied at the end.
import io
import sys
import time

path = '/tmp/krait_io_files_%d.txt' % time.time_ns()
shown = path.replace(path, 'PATH')


def attempt(f):
    try:
        print(repr(f()).replace(path, 'PATH'))
    except Exception as e:
        print(type(e).__name__, str(e).replace(path, 'PATH'))


def show(f):
    return repr(f).replace(path, 'PATH')


with open(path, 'w') as f:
    print(show(f), f.mode, f.encoding, f.errors, f.line_buffering, f.newlines)
    print(f.write('line one\nline two\n'), f.writable(), f.readable(), f.seekable())
    f.writelines(['third\n', 'fourth'])
    print(show(f.buffer), show(f.buffer.raw), type(f.buffer).__name__)
print(f.closed, show(f))
attempt(lambda: f.write('x'))

with open(path) as f:
    print(f.readline(), end='')
    print(f.tell())
    print(f.readlines())
    print(repr(f.read()), f.tell())
    f.seek(0)
    print([line for line in f])
    f.seek(5)
    print(repr(f.read(3)))
    attempt(lambda: f.seek(1, 1))
    attempt(lambda: f.write('no'))
    print(f.fileno() > 2, f.isatty(), f.name == path)

with open(path, 'rb') as f:
    print(show(f), f.mode, type(f).__name__)
    print(f.read(4), f.peek(1)[:1], f.read1(3), f.tell())
    print(f.readline(), f.seek(-3, 2), f.read(), f.seek(0), f.readlines()[:2])
    b = bytearray(5)
    f.seek(0)
    print(f.readinto(b), b)
    print(show(f.raw), f.raw.closefd)

with open(path, 'r+b') as f:
    print(show(f), type(f).__name__, f.mode)
    f.write(b'LINE')
    f.seek(0)
    print(f.read(9))
    print(f.truncate(9), f.seek(0, 2))

with open(path, 'ab') as f:
    print(f.tell(), f.write(b'\nappended'), f.mode)
with open(path, 'rb', buffering=0) as f:
    print(show(f), type(f).__name__, f.read())
with open(path, 'a') as f:
    print(f.tell())

# Encodings.
with open(path, 'w', encoding='latin-1') as f:
    f.write('café\n')
with open(path, 'rb') as f:
    print(f.read())
with open(path, encoding='latin-1') as f:
    print(repr(f.read()), f.encoding)
with open(path, 'w', encoding='utf-8') as f:
    f.write('naïve €\n')
with open(path, 'rb') as f:
    print(f.read())
with open(path, encoding='utf-8') as f:
    print(repr(f.readline()))
with open(path, 'w', encoding='ascii', errors='replace') as f:
    f.write('a€b')
with open(path, 'rb') as f:
    print(f.read())
attempt(lambda: open(path, 'w', encoding='ascii').write('€'))
with open(path, 'wb') as f:
    f.write(b'ok\xff\n')
attempt(lambda: open(path, encoding='utf-8').read())
print(repr(open(path, encoding='utf-8', errors='replace').read()))
print(repr(open(path, encoding='utf-8', errors='ignore').read()))

# Newlines.
with open(path, 'w', newline='') as f:
    f.write('a\r\nb\rc\nd')
for nl in (None, '', '\n', '\r', '\r\n'):
    with open(path, newline=nl) as f:
        print(repr(nl), f.readlines())
with open(path, 'w', newline='\r\n') as f:
    f.write('x\ny\n')
print(open(path, 'rb').read())

# Errors.
attempt(lambda: open('/tmp/krait-no-such-dir/x'))
attempt(lambda: open(path, 'rz'))
attempt(lambda: open(path, 'rw'))
attempt(lambda: open(path, 'rbt'))
attempt(lambda: open(path, 'rb', encoding='utf-8'))
attempt(lambda: open(path, 'rb', errors='strict'))
attempt(lambda: open(path, 'rb', newline=''))
attempt(lambda: open(path, 'r', buffering=0))
attempt(lambda: open(path, newline='x'))
attempt(lambda: open(path, encoding='nope'))
attempt(lambda: open(1.5))
attempt(lambda: open(path, 1))
attempt(lambda: open('/tmp'))
attempt(lambda: open(path, 'x'))

# The io classes directly.
raw = io.FileIO(path, 'w')
print(show(raw), raw.write(b'raw data\n'), raw.closefd)
raw.close()
print(show(raw))
w = io.BufferedWriter(io.FileIO(path, 'w'))
print(show(w), w.write(b'buffered\n'))
w.close()
r = io.BufferedReader(io.FileIO(path))
print(r.read(), r.raw.closed)
r.close()
print(r.raw.closed)
t = io.TextIOWrapper(io.BytesIO(b'one\ntwo\n'), encoding='utf-8')
print(show(t), t.readline(), t.read(), type(t.buffer).__name__)
bio = io.BytesIO()
t = io.TextIOWrapper(bio, encoding='utf-8', newline='\r\n')
t.write('p\nq')
t.flush()
print(bio.getvalue(), t.detach() is bio)
attempt(lambda: t.read())

# The standard streams.
print(type(sys.stdout).__name__, show(sys.stdout), show(sys.stderr), show(sys.stdin))
print(sys.stdout.encoding, sys.stderr.errors, sys.stdout.writable(), sys.stdin.readable())
print(isinstance(sys.stdout, io.TextIOBase), isinstance(sys.stdout, io.IOBase))
sys.stdout.write('direct\n')
sys.stdout.buffer.write(b'bytes\n')
sys.stdout.flush()


class Collect:
    def __init__(self):
        self.parts = []

    def write(self, s):
        self.parts.append(s)


c = Collect()
print('to', 'object', file=c)
print(c.parts)

open(path, 'w').close()
