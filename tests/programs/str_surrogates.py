# Lone surrogates: made by surrogateescape/surrogatepass decoding, chr() and
# literals; kept by indexing, slicing, iteration, concatenation, join,
# f-strings, comparison, hashing and repr; written back by encode, print and
# the OS path functions.
import os
import sys
import tempfile

bad = b'ab\xff\xfe-\xc3'
s = bad.decode('utf-8', 'surrogateescape')
print(len(s), repr(s), ascii(s), s.encode('utf-8', 'surrogateescape') == bad)
print(s.encode('ascii', 'surrogateescape'), s.encode('latin-1', 'surrogateescape'))
for h in ['strict', 'replace', 'ignore', 'backslashreplace', 'xmlcharrefreplace', 'namereplace', 'surrogatepass']:
    try:
        print(h, s.encode('utf-8', h))
    except UnicodeEncodeError as e:
        print(h, 'UnicodeEncodeError:', e, e.start, e.end)
p = s.encode('utf-8', 'surrogatepass')
print(p, p.decode('utf-8', 'surrogatepass') == s)
print(b'\xed\xa0\x80x'.decode('utf-8', 'surrogatepass').encode('utf-16-le', 'surrogatepass'))
print(b'\x00\xd8a\x00'.decode('utf-16-le', 'surrogatepass').encode('utf-32-be', 'surrogatepass'))
for data, enc, err in [(b'a\x80', 'ascii', 'surrogatepass'), (b'a\x00', 'utf-8', 'surrogateescape'), (b'\xed\xa0', 'utf-8', 'surrogatepass')]:
    try:
        print(repr(data.decode(enc, err)))
    except UnicodeDecodeError as e:
        print('UnicodeDecodeError:', e)
print(b'a\x80b'.decode('ascii', 'surrogateescape').encode('ascii', 'surrogateescape'))

t = b'a\xffb'.decode('utf-8', 'surrogateescape')
u = b'a\xfeb'.decode('utf-8', 'surrogateescape')
print(repr(t[1]), ord(t[1]), repr(t[1:]), repr(t[::-1]), [repr(c) for c in t])
print(t == u, t != u, t == 'a\ufffdb', hash(t) == hash(u), t < u, {t: 1, u: 2}[t], sorted([u, t, 'a']) == ['a', u, t])
print(repr(t + '!'), repr('>' + t), repr(''.join([t, u])), repr('-'.join([t, 'x'])), repr(f'{t}/x'), repr(str(t)))
print(t[1] in t, 'b' in t, t.startswith('a'), t.find('b'))
x = chr(0xdc80)
print(repr(x), len(x), ord(x), x == t[1], repr(chr(0xd800) + chr(0xdc00)), len(chr(0xd800) + chr(0xdc00)))
print(repr('\ud800'), len('\ud800'), '\udcff' == t[1], repr('a\udcff' 'b'), repr('\U0000d800'), repr(r'\ud800'))
print(repr('\N{BULLET}\udcff\x41\101\
x'), repr(u'\udfff' "x" '\ufffd'), '\ufffd' == '\udcff', len('\udcff\ufffd'))
def f():
    return '\udc81'
print(repr(f()), f.__code__.co_consts, repr(eval("'\\ud801'")), compile("x = '\\udc00'", "s", "exec").co_consts)
try:
    '\ud800'.encode('utf-8')
except UnicodeEncodeError as e:
    print(e)

# File names that are not UTF-8 come back through surrogateescape.
d = tempfile.mkdtemp()
raw = os.path.join(d.encode(), b'f\xffx')
open(raw, 'w').close()
names = os.listdir(d)
path = os.path.join(d, names[0])
print([repr(n) for n in names], os.listdir(d.encode()), os.path.exists(path), os.fsencode(path) == raw)
with open(path) as fh:
    print(repr(os.path.basename(fh.name)))
os.rename(path, path + '2')
print([repr(n) for n in sorted(os.listdir(d))])
os.unlink(path + '2')
os.rmdir(d)

# Text streams write them through their error handler.
import io
buf = io.BytesIO()
w = io.TextIOWrapper(buf, encoding='utf-8', errors='surrogateescape')
w.write(t)
w.flush()
print(buf.getvalue())
w = io.TextIOWrapper(io.BytesIO(), encoding='utf-8')
try:
    w.write(t)
    w.flush()
except UnicodeEncodeError as e:
    print(e)
