# StringIO and BytesIO: reading, writing, seeking, newlines, errors, subclassing.
import io


def attempt(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)


s = io.StringIO('hello\nworld\nlast')
print(s.read(3), repr(s.readline()), s.tell())
print(list(s))
print(repr(s.read()), s.tell())
s.seek(0)
print(s.readlines())
s.seek(2)
print(s.write('XY'), repr(s.getvalue()), s.tell())
s.seek(30)
s.write('!')
print(repr(s.getvalue()))
print(s.truncate(5), repr(s.getvalue()), s.tell())
print(s.readable(), s.writable(), s.seekable(), s.isatty(), s.line_buffering)
attempt(lambda: s.fileno())
attempt(lambda: s.seek(-1))
attempt(lambda: s.seek(1, 1))
attempt(lambda: s.seek(0, 3))
attempt(lambda: s.truncate(-1))
attempt(lambda: s.write(5))
attempt(lambda: s.read('x'))
attempt(lambda: io.StringIO(1))
attempt(lambda: io.StringIO(newline=1))
attempt(lambda: io.StringIO(newline='x'))
s.close()
print(s.closed)
for op in (s.read, s.getvalue, s.tell, s.readline, lambda: s.write('a'), lambda: next(s)):
    attempt(op)
s.close()

# Newline handling.
text = 'a\r\nb\rc\nd'
for nl in (None, '', '\n', '\r', '\r\n'):
    t = io.StringIO(text, newline=nl)
    print(repr(nl), t.readlines(), repr(t.getvalue()), t.newlines)
t = io.StringIO(newline=None)
t.write('x\r')
t.write('\ny')
print(repr(t.getvalue()), t.newlines)
print(io.StringIO('a\nb', newline='\r\n').getvalue().encode())
print(io.StringIO('ab\r\ncd', newline='').readline(3))
print(io.StringIO('x' * 10).readline(4), io.StringIO('abc').read(None), io.StringIO('abc').read(-5))
print(io.StringIO('aé€\U0001F600z').read(4))
print(io.StringIO('abc', None).__getstate__())

# Context manager, print(file=...), iteration.
with io.StringIO() as f:
    print('one', 2, sep='-', file=f)
    print('three', file=f, end='')
    f.writelines(['\nfour', '\nfive'])
    print(repr(f.getvalue()))
print(f.closed)
for i, line in enumerate(io.StringIO('l1\nl2\n')):
    print(i, repr(line))


class Upper(io.StringIO):
    def write(self, s):
        return super().write(s.upper())


u = Upper()
print('quiet', file=u)
u.tag = 'attr'
print(repr(u.getvalue()), u.tag, isinstance(u, io.TextIOBase), isinstance(u, io.IOBase))
print(type(u).__mro__[1:])


class Lines(io.StringIO):
    def readline(self, *args):
        line = super().readline(*args)
        return line.strip() + '|' if line else ''


print(list(Lines('p\nq\n')))

# BytesIO.
b = io.BytesIO(b'ab\ncd\nef')
print(b.read(2), b.readline(), b.tell(), b.readlines())
print(b.seek(-2, 2), b.read(), b.seek(-100, 1), b.seek(3, 1))
b.seek(10)
print(b.write(b'Z'), b.getvalue())
print(b.write(bytearray(b'yy')), b.truncate(4), b.getvalue(), b.tell())
buf = bytearray(3)
b.seek(0)
print(b.readinto(buf), buf, b.read1(1), b.read(None))
print(list(io.BytesIO(b'1\n2\n3')), io.BytesIO().getvalue())
attempt(lambda: b.write('str'))
attempt(lambda: b.seek(-1))
attempt(lambda: b.seek(0, 5))
attempt(lambda: b.truncate(-2))
attempt(lambda: io.BytesIO('x'))
print(b.readable(), b.writable(), b.seekable(), b.isatty(), b.flush())
print(io.BytesIO(b'abc').__getstate__())
b.close()
print(b.closed)
attempt(lambda: b.read())
attempt(lambda: b.getvalue())
with io.BytesIO(b'w') as bb:
    print(bb.read())
print(bb.closed)

# The class tree.
print(io.StringIO.__mro__)
print(io.BytesIO.__mro__)
print(io.UnsupportedOperation.__mro__)
print(issubclass(io.StringIO, io.TextIOBase), issubclass(io.BytesIO, io.BufferedIOBase))
print(io.DEFAULT_BUFFER_SIZE, io.BlockingIOError is BlockingIOError)
d = io.IncrementalNewlineDecoder(None, True)
print(repr(d.decode('a\r')), repr(d.decode('\nb\r', final=True)), d.newlines, d.getstate())

# Reading past the end leaves the position there; writing there pads with NULs.
s = io.StringIO("1234567890")
print(s.seek(11), repr(s.read()), s.tell(), repr(s.readline()), s.tell())
s.write("x")
print(repr(s.getvalue()), s.tell())
s.seek(3)
s.write("ab")
print(repr(s.getvalue()), s.tell())
