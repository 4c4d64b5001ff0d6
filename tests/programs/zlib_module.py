# The zlib module: one-shot and streaming (de)compression, wbits formats,
# dictionaries, flush modes, copies, checksums, errors and constants.
import zlib

def attempt(label, f):
    try:
        r = f()
    except Exception as e:
        print(label, '->', type(e).__name__ + ':', e)
    else:
        print(label, '->', repr(r)[:70])

print([k for k in sorted(dir(zlib)) if not k.startswith('_')])
print(zlib.MAX_WBITS, zlib.DEFLATED, zlib.DEF_MEM_LEVEL, zlib.DEF_BUF_SIZE, zlib.Z_DEFAULT_COMPRESSION,
      zlib.Z_BEST_SPEED, zlib.Z_BEST_COMPRESSION, zlib.Z_NO_COMPRESSION)
print(zlib.Z_FILTERED, zlib.Z_HUFFMAN_ONLY, zlib.Z_RLE, zlib.Z_FIXED, zlib.Z_DEFAULT_STRATEGY)
print(zlib.Z_NO_FLUSH, zlib.Z_PARTIAL_FLUSH, zlib.Z_SYNC_FLUSH, zlib.Z_FULL_FLUSH, zlib.Z_FINISH, zlib.Z_BLOCK, zlib.Z_TREES)
print(type(zlib.ZLIB_VERSION), zlib.ZLIB_VERSION == zlib.ZLIB_RUNTIME_VERSION, zlib.ZLIB_VERSION.count('.') >= 2)
print(zlib.error.__module__, zlib.error.__mro__[1:])
print(type(zlib.compressobj()), type(zlib.decompressobj()))
attempt('new Compress', lambda: type(zlib.compressobj())())

# checksums
print(zlib.crc32(b''), zlib.crc32(b'hello world'), zlib.adler32(b''), zlib.adler32(b'hello world'))
print(zlib.crc32(b'world', zlib.crc32(b'hello ')) == zlib.crc32(b'hello world'))
print(zlib.adler32(b'world', zlib.adler32(b'hello ')) == zlib.adler32(b'hello world'))
print(zlib.crc32(b'x' * 100000), zlib.adler32(bytes(range(256)) * 400))
print(zlib.crc32(b'abc', -1), zlib.crc32(b'abc', 2**40 + 5), zlib.adler32(b'abc', -1))
print(zlib.crc32(bytearray(b'abc')), zlib.crc32(memoryview(b'xabcx')[1:4]), zlib.adler32(memoryview(b'abc')))
attempt('crc32()', lambda: zlib.crc32())
attempt('crc32 3 args', lambda: zlib.crc32(b'', 1, 2))
attempt('crc32 kw', lambda: zlib.crc32(b'', value=1))
attempt('crc32 str', lambda: zlib.crc32('abc'))
attempt('adler32 float', lambda: zlib.adler32(b'', 1.5))

# one-shot round trips over every wbits format and level
data = b''.join(b'line %d: the quick brown fox jumps over the lazy dog\n' % i for i in range(2000))
for wbits in (15, 9, 8, 12, -15, -9, 31, 25):
    for level in (-1, 0, 1, 6, 9):
        c = zlib.compress(data, level, wbits)
        dw = {8: 9, -8: -9}.get(wbits, wbits)
        assert zlib.decompress(c, dw) == data, (wbits, level)
        if wbits > 0:
            assert zlib.decompress(c, 47) == data
            assert zlib.decompress(c, 0 if wbits < 16 else 16 + 15) == data
print('round trips ok', len(zlib.compress(data)) < len(data) // 10)
print(zlib.compress(b'', wbits=31)[:10], zlib.compress(b'abc', 9, 31)[:10], zlib.compress(b'abc', 1, 25)[:10])
print(zlib.compress(b'abc')[:2], zlib.compress(b'abc', 1)[:2], zlib.compress(b'abc', 9)[:2], zlib.compress(b'abc', 0, 9)[:2])
print(zlib.decompress(zlib.compress(b'')), zlib.decompress(zlib.compress(b'x'), bufsize=0))
print(zlib.decompress(bytearray(zlib.compress(b'ba'))), zlib.decompress(memoryview(zlib.compress(b'mv'))))
print(zlib.decompress(zlib.compress(b'tail') + b'ignored trailing data'))

# streams CPython made
print(zlib.decompress(b'x\x9cs\x0e\xa8,\xc9\xc8\xcfS\xc8MLIU(\xc9\xc8,V(.)JM\xcc\xd5Sp\x1e\x95\x19A2\x00\xaeC\xba\x19')[:40])
gz = (b'\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03K\xaf\xca,P(.)JM\xccUH+\xca\xcfUp\x0e\xa8,\xc9\xc8\xcf\xe3J'
      b'\xa7\x83\x04\x00\x0bf\x07\xef}\x00\x00\x00')
print(zlib.decompress(gz, 31)[:30], zlib.decompress(gz, 47) == zlib.decompress(gz, 31))
print(zlib.decompress(b'+J,WHIM\xcbI,IU(\xa2#\x1b\x00', -15))
zd_stream = b'x\xbb\\\xc0\x08JC\xb0\x14\x12\xf3R\x14R\xd0\xd4\x00\x00\xbc1\x0b\xec'
print(zlib.decompressobj(zdict=b'dictionary words here').decompress(zd_stream))

# argument and stream errors
ok = zlib.compress(b'hello world ' * 10)
attempt('compress()', lambda: zlib.compress())
attempt('compress kw data', lambda: zlib.compress(data=b''))
attempt('compress 4 args', lambda: zlib.compress(b'', 1, 2, 3))
attempt('compress str', lambda: zlib.compress('text'))
attempt('level 10', lambda: zlib.compress(b'', 10))
attempt('level -2', lambda: zlib.compress(b'', -2))
attempt('wbits 100', lambda: zlib.compress(b'', wbits=100))
attempt('wbits -8', lambda: zlib.compress(b'', wbits=-8))
attempt('wbits 24', lambda: zlib.compress(b'', wbits=24))
attempt('level float', lambda: zlib.compress(b'', level=1.0))
attempt('level huge', lambda: zlib.compress(b'', level=2**40))
attempt('decompress()', lambda: zlib.decompress())
attempt('bad kw', lambda: zlib.decompress(ok, foo=1))
attempt('truncated', lambda: zlib.decompress(ok[:-1]))
attempt('header only', lambda: zlib.decompress(ok[:2]))
attempt('empty', lambda: zlib.decompress(b''))
attempt('garbage', lambda: zlib.decompress(b'not zlib data'))
attempt('bad method', lambda: zlib.decompress(b'\x79\x9c' + b'\x00' * 10))
attempt('bad window', lambda: zlib.decompress(b'\x88\x98' + b'\x00' * 10))
attempt('window > wbits', lambda: zlib.decompress(ok, 9))
attempt('data check', lambda: zlib.decompress(ok[:-1] + bytes([ok[-1] ^ 1])))
attempt('block type', lambda: zlib.decompress(b'x\x9c\xff\xff\xff'))
attempt('stored lengths', lambda: zlib.decompress(b'x\x9c\x01\x05\x00\x00\x00abcde'))
attempt('raw as zlib', lambda: zlib.decompress(ok, -15))
attempt('zlib as gzip', lambda: zlib.decompress(ok, 31))
attempt('gzip flags', lambda: zlib.decompress(b'\x1f\x8b\x08\xe0' + b'\x00' * 20, 31))
attempt('gzip method', lambda: zlib.decompress(b'\x1f\x8b\x07\x00' + b'\x00' * 20, 31))
attempt('gzip length', lambda: zlib.decompress(gz[:-4] + b'\x00\x00\x00\x00', 31))
attempt('gzip crc', lambda: zlib.decompress(gz[:-8] + b'\x00' * 4 + gz[-4:], 31))
attempt('decompress wbits 100', lambda: zlib.decompress(ok, 100))
attempt('decompress wbits -7', lambda: zlib.decompress(ok, -7))
attempt('bufsize -1', lambda: zlib.decompress(ok, bufsize=-1))
attempt('needs dict', lambda: zlib.decompress(zd_stream))
