# zlib's Compress/Decompress objects: flush modes, max_length with
# unconsumed_tail, unused_data, eof, dictionaries, copies and their errors.
import copy
import zlib

def attempt(label, f):
    try:
        r = f()
    except Exception as e:
        print(label, '->', type(e).__name__ + ':', e)
    else:
        print(label, '->', repr(r)[:70])

data = b''.join(b'%d bottles of beer on the wall, %d bottles of beer.\n' % (i, i) for i in range(3000))

# compressobj with each flush mode between pieces; every prefix ending in a
# sync/full flush decompresses to the data so far
for mode in (zlib.Z_PARTIAL_FLUSH, zlib.Z_SYNC_FLUSH, zlib.Z_FULL_FLUSH, zlib.Z_BLOCK):
    co = zlib.compressobj(6, zlib.DEFLATED, 15, 9, zlib.Z_DEFAULT_STRATEGY)
    out = b''
    for i in range(0, len(data), 10000):
        out += co.compress(data[i:i + 10000]) + co.flush(mode)
        if mode in (zlib.Z_SYNC_FLUSH, zlib.Z_FULL_FLUSH):
            assert zlib.decompressobj().decompress(out) == data[:i + 10000]
    out += co.flush()
    print('flush mode', mode, zlib.decompress(out) == data)
print('first call gives the header:', zlib.compressobj().compress(b''), zlib.compressobj(wbits=-15).compress(b''),
      zlib.compressobj(wbits=31).compress(b''))
co = zlib.compressobj()
co.compress(b'abc')
print('repeated sync flush is empty:', len(co.flush(zlib.Z_SYNC_FLUSH)) > 0, co.flush(zlib.Z_SYNC_FLUSH), co.flush(zlib.Z_NO_FLUSH))
for strategy in range(5):
    for level in (0, 1, 9):
        co = zlib.compressobj(level, zlib.DEFLATED, -15, 8, strategy)
        assert zlib.decompress(co.compress(data) + co.flush(), -15) == data
print('strategies ok')

# Compress errors
co = zlib.compressobj()
attempt('flush kw', lambda: co.flush(mode=2))
attempt('flush 2 args', lambda: co.flush(1, 2))
attempt('flush bad mode', lambda: co.flush(7))
attempt('compress()', lambda: co.compress())
attempt('compress 2 args', lambda: co.compress(b'', 1))
attempt('compress str', lambda: co.compress('x'))
attempt('copy arg', lambda: co.copy(1))
attempt('__deepcopy__()', lambda: co.__deepcopy__())
co.compress(b'payload')
print('finish', len(co.flush()) > 0)
attempt('flush after finish', lambda: co.flush())
attempt('no-flush after finish', lambda: co.flush(zlib.Z_NO_FLUSH))
attempt('compress after finish', lambda: co.compress(b'x'))
attempt('copy after finish', lambda: co.copy())
attempt('memLevel 10', lambda: zlib.compressobj(memLevel=10))
attempt('method 7', lambda: zlib.compressobj(method=7))
attempt('strategy 5', lambda: zlib.compressobj(strategy=5))
attempt('gzip zdict', lambda: zlib.compressobj(wbits=31, zdict=b'x'))
attempt('str zdict', lambda: zlib.compressobj(zdict='x'))
attempt('7 args', lambda: zlib.compressobj(1, 2, 3, 4, 5, 6, 7))
attempt('bad kw', lambda: zlib.compressobj(foo=1))

# Compress.copy: both continue the same stream
co = zlib.compressobj(9)
head = co.compress(data[:50000])
for c2 in (co.copy(), copy.copy(co), copy.deepcopy(co)):
    assert zlib.decompress(head + c2.compress(b'COPY') + c2.flush()) == data[:50000] + b'COPY'
print('compress copy', zlib.decompress(head + co.compress(data[50000:]) + co.flush()) == data)

# streaming decompression with max_length
comp = zlib.compress(data) + b'UNUSED'
do = zlib.decompressobj()
parts = []
chunk = comp[:1000]
rest = comp[1000:]
while True:
    out = do.decompress(chunk, 777)
    assert len(out) <= 777
    parts.append(out)
    if do.eof:
        break
    chunk = do.unconsumed_tail
    if not chunk:
        chunk, rest = rest[:1000], rest[1000:]
print('max_length', b''.join(parts) == data, do.eof, do.unused_data, do.unconsumed_tail, len(parts) > 100)
print('after eof', do.decompress(b'MORE'), do.unused_data, do.flush(), do.eof)
attempt('copy after flush at eof', lambda: do.copy())
attempt('decompress after flush at eof', lambda: do.decompress(b'x'))

do = zlib.decompressobj()
small = zlib.compress(b'hello') + b'XY'
print(do.decompress(small, 3), do.eof, do.unused_data, len(do.unconsumed_tail) > 0)
print(do.decompress(do.unconsumed_tail, 3), do.eof, do.unused_data, do.unconsumed_tail)
print(do.decompress(b'QQ', 3), do.unused_data, do.unconsumed_tail)
do = zlib.decompressobj()
print(do.decompress(small), do.eof, do.unused_data, do.unconsumed_tail, do.decompress(b'ZZ'), do.unused_data)

# byte-at-a-time, flush with the tail, copy midway
do = zlib.decompressobj(31)
gz = zlib.compress(data[:3000], 6, 31)
print('bytewise gzip', b''.join(do.decompress(gz[i:i + 1]) for i in range(len(gz))) == data[:3000], do.eof)
do = zlib.decompressobj()
first = do.decompress(comp, 100)
print('flush takes the tail', first + do.flush() == data, do.eof, do.unused_data, do.unconsumed_tail)
do = zlib.decompressobj()
half = len(comp) // 2
a = do.decompress(comp[:half])
d2 = do.copy()
d3 = copy.deepcopy(do)
print('decompress copies', a + do.decompress(comp[half:]) == data, a + d2.decompress(comp[half:]) == data,
      a + d3.decompress(comp[half:]) == data, d2.unused_data)
do = zlib.decompressobj()
print('partial then flush', len(do.decompress(comp[:-30])) > 0, do.flush()[-10:], do.eof)

# Decompress errors
do = zlib.decompressobj()
attempt('max_length -1', lambda: do.decompress(b'', -1))
attempt('max_length float', lambda: do.decompress(b'', 1.5))
attempt('decompress()', lambda: do.decompress())
attempt('decompress kw', lambda: do.decompress(data=b''))
attempt('decompress 3 args', lambda: do.decompress(b'', 1, 2))
attempt('flush 0', lambda: do.flush(0))
attempt('flush kw', lambda: do.flush(length=1))
attempt('set eof', lambda: setattr(do, 'eof', True))
attempt('set unused_data', lambda: setattr(do, 'unused_data', b''))
attempt('bad wbits', lambda: zlib.decompressobj(100))
attempt('zdict int', lambda: zlib.decompressobj(zdict=1))
attempt('zdict str', lambda: zlib.decompressobj(zdict='x'))
bad = zlib.decompressobj()
attempt('garbage', lambda: bad.decompress(b'abc'))
attempt('garbage again', lambda: bad.decompress(b'def'))
print('after error', bad.unconsumed_tail, bad.flush(), bad.eof)
trunc = zlib.decompressobj()
print('truncated stream', trunc.decompress(comp[:40])[:10], trunc.flush()[:10], trunc.eof)

# preset dictionaries
zdict = b'bottles of beer on the wall'
co = zlib.compressobj(zdict=zdict)
zc = co.compress(data[:5000]) + co.flush()
print('zdict header', zc[:2], len(zc) < len(zlib.compress(data[:5000])) + 8)
print('zdict round trip', zlib.decompressobj(zdict=zdict).decompress(zc) == data[:5000])
print('zdict bytearray', zlib.decompressobj(zdict=bytearray(zdict)).decompress(zc) == data[:5000])
attempt('no zdict', lambda: zlib.decompressobj().decompress(zc))
attempt('wrong zdict', lambda: zlib.decompressobj(zdict=b'other').decompress(zc))
attempt('one-shot needs dict', lambda: zlib.decompress(zc))
co = zlib.compressobj(wbits=-15, zdict=zdict)
rc = co.compress(data[:5000]) + co.flush()
print('raw zdict', zlib.decompressobj(-15, zdict=zdict).decompress(rc) == data[:5000])
do = zlib.decompressobj(zdict=zdict)
print('zdict streamed', b''.join(do.decompress(zc[i:i + 7], 50) + do.decompress(do.unconsumed_tail)
                                 for i in range(0, len(zc), 7)) + do.flush() == data[:5000])
