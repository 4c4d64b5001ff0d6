# gzip, zipfile (ZIP_DEFLATED) and tarfile 'w:gz'/'r:gz' over the native zlib.
import gzip
import io
import tarfile
import zipfile
import zlib

data = b''.join(b'record %05d: %s\n' % (i, b'xyz' * (i % 7)) for i in range(4000))

g = gzip.compress(data, mtime=0)
print('gzip', gzip.decompress(g) == data, g[:4], g[8:10])
print('levels', [gzip.decompress(gzip.compress(data, level, mtime=0)) == data for level in (0, 1, 9)])
print('members', gzip.decompress(gzip.compress(b'ab', mtime=0) + gzip.compress(b'cd', mtime=0)))
buf = io.BytesIO()
with gzip.GzipFile(fileobj=buf, mode='wb', mtime=0, filename='data.txt') as f:
    f.write(data[:1000])
    f.write(data[1000:])
buf.seek(0)
with gzip.GzipFile(fileobj=buf) as f:
    print('GzipFile', f.readline(), len(f.read(100)), f.read() == data[len(data.split(b'\n')[0]) + 101:])
print('header name', buf.getvalue()[10:19])
try:
    gzip.decompress(g[:-5])
except EOFError as e:
    print('EOFError:', e)
try:
    gzip.decompress(b'\x1f\x8b\x08\x00' + b'\x00' * 6 + b'\xff\xff')
except Exception as e:
    print(type(e).__name__ + ':', e)

zb = io.BytesIO()
with zipfile.ZipFile(zb, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('a.txt', data)
    z.writestr('dir/b.bin', bytes(range(256)) * 8, compress_type=zipfile.ZIP_STORED)
    z.writestr('empty.txt', b'')
    z.writestr('level9.txt', data[:5000], compresslevel=9)
    with z.open('streamed.txt', 'w') as w:
        for i in range(50):
            w.write(b'streamed chunk %d\n' % i)
zb.seek(0)
with zipfile.ZipFile(zb) as z:
    print(z.namelist(), z.testzip())
    print([(i.filename, i.compress_type, i.file_size, i.CRC == zlib.crc32(z.read(i.filename))) for i in z.infolist()])
    print(z.read('a.txt') == data, z.read('dir/b.bin')[:4], z.read('empty.txt'), z.read('level9.txt') == data[:5000])
    with z.open('a.txt') as r:
        print(r.read(20), r.read(10), len(r.read()))
    with z.open('streamed.txt') as r:
        print(r.readline(), len(r.readlines()))

tb = io.BytesIO()
with tarfile.open(fileobj=tb, mode='w:gz') as t:
    for name, payload in (('one.txt', data), ('two.txt', b'second file\n')):
        info = tarfile.TarInfo(name)
        info.size = len(payload)
        info.mtime = 0
        t.addfile(info, io.BytesIO(payload))
tb.seek(0)
with tarfile.open(fileobj=tb, mode='r:gz') as t:
    print(t.getnames(), t.extractfile('one.txt').read() == data, t.extractfile('two.txt').read())
tb.seek(0)
with tarfile.open(fileobj=tb, mode='r:*') as t:
    print([(m.name, m.size) for m in t.getmembers()])
