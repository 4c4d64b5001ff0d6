# _bz2 and _lzma through Lib/bz2.py and Lib/lzma.py: round trips, incremental
# decompression with max_length, unused_data, errors, files, and bytes that
# CPython produced (pasted below) decompressed here.
import bz2, lzma, os, tempfile, zlib

TEXT = b'The quick brown fox jumps over the lazy dog. ' * 20
BZ2_FIXED = b"BZh91AY&SY\x86\x01\xee\xcc\x00\x00m\x93\x80@\x01\x04\x00?\xff\xff\xf00\x00\xb8\n\x00\x06\x80\x00\n\x00\x06\x80\x00\x02\x95)\xa9\xa6\x8d\x18M\r\xa9\xb6\xa4\xc19\x13$\xfa&I\xf0MI\x82jN\x84\xf7'\xd90N\xc4\xc1;\t\xb17\x13\xb9<\x13\xa96'\xa1?\t\x82n&I\xdc\x9a\x13\x915'\x82hN\xa4\xfe&\xc4\xd0\x99&I\xd0\xab\xc9<\x93\xfc]\xc9\x14\xe1BB\x18\x07\xbb0"
XZ_FIXED = b"\xfd7zXZ\x00\x00\x04\xe6\xd6\xb4F\x02\x00!\x01\x16\x00\x00\x00t/\xe5\xa3\xe0\x03\x83\x008]\x00*\x1a\x08\xa2\x03%f\xf1Kx\xc5\xa2\x05\xff.\xe6\xd9\xd2 \x1a\xad4\xf8\xe2\x1d\xe8A6\xfa\xdc\x06i\xbb<\xe4\x104'\t\xeb\xb3f\xe3\xed7\x98\xed\x92\xad\xd5'<\xc8\x10\xc0\x00\x00\xc5G\xbdjr\x9c\x93\xaf\x00\x01T\x84\x07\x00\x00\x00\xd7\xb0\xfb\x8d\xb1\xc4g\xfb\x02\x00\x00\x00\x00\x04YZ"
ALONE_FIXED = b"]\x00\x00\x80\x00\xff\xff\xff\xff\xff\xff\xff\xff\x00*\x1a\x08\xa2\x03%f\xf1Kx\xc5\xa2\x05\xff.\xe6\xd9\xd2 \x1a\xad4\xf8\xe2\x1d\xe8A6\xfa\xdc\x06i\xbb<\xe4\x104'\t\xeb\xb3f\xe3\xed7\x98\xed\x92\xad\xd5'<\xcc6\x9da_\xfd\xef\x18\x00"
RAW_FIXED = b"\xe0\x03\x83\x00?]\x00*\x19\xfe+\xa4aD\xaa\x84i\x82l\xa3\x82\xdf\xcd\xd0\xe4\x7f\xa8\xce\x1d\x1aE\x84\xb0\x9d\xb8h\xc1\x96\x1c\xd8\xf2\x85\xf6\x91|\xf6d\x18\xf8\xea\x83?\xb8\xc9\xb2a\xc0#E'$\x97y\x07\x83\xa1\x99\xeb\x89\x00\x00"
SHA_FIXED = b'\xfd7zXZ\x00\x00\n\xe1\xfb\x0c\xa1\x02\x00!\x01\x16\x00\x00\x00t/\xe5\xa3\x01\x00\x07check me\x00\xe5\xa1\xcb.3\xa5\xe4gx\x18 \xa6\xcb\xe4\xc7\xf2RT\xa4H0\x00`\x06j%?R\xba\xee7\xe0\x00\x018\x08\xe2\x81\xc29\x18\x9bK\x9a\x01\x00\x00\x00\x00\nYZ'
RAW_FILTERS = [{'id': lzma.FILTER_DELTA, 'dist': 2}, {'id': lzma.FILTER_LZMA2, 'preset': 1}]


def attempt(label, f):
    try:
        r = f()
        print(label, 'ok', r if not isinstance(r, bytes) or len(r) < 60 else (len(r), zlib.crc32(r)))
    except Exception as e:
        print(label, type(e).__name__, e)


# Fixed bytes from CPython decompress to the same text, and compressing here
# gives the same bytes back.
print('bz2 fixed', bz2.decompress(BZ2_FIXED) == TEXT, bz2.compress(TEXT) == BZ2_FIXED)
print('xz fixed', lzma.decompress(XZ_FIXED) == TEXT, lzma.compress(TEXT) == XZ_FIXED)
print('alone fixed', lzma.decompress(ALONE_FIXED) == TEXT, lzma.compress(TEXT, format=lzma.FORMAT_ALONE) == ALONE_FIXED)
print('raw fixed', lzma.decompress(RAW_FIXED, format=lzma.FORMAT_RAW, filters=RAW_FILTERS) == TEXT)
print('raw same', lzma.compress(TEXT, format=lzma.FORMAT_RAW, filters=RAW_FILTERS) == RAW_FIXED)
print('sha fixed', lzma.decompress(SHA_FIXED))

# Round trips at several levels and presets, and concatenated streams.
data = bytes(range(256)) * 200 + b'x' * 50000
for level in (1, 9):
    z = bz2.compress(data, level)
    print('bz2 level', level, len(z), bz2.decompress(z) == data, bz2.decompress(z + z) == data + data)
for preset in (0, 6, 9 | lzma.PRESET_EXTREME):
    z = lzma.compress(data, preset=preset)
    print('xz preset', preset, len(z), lzma.decompress(z) == data)
for check in (lzma.CHECK_NONE, lzma.CHECK_CRC32, lzma.CHECK_CRC64, lzma.CHECK_SHA256):
    z = lzma.compress(b'abc', check=check)
    d = lzma.LZMADecompressor()
    print('check', check, d.check, d.decompress(z), d.check, d.eof)

# Incremental decompression with max_length.
for name, comp, decomp in (('bz2', bz2.compress, bz2.BZ2Decompressor), ('xz', lzma.compress, lzma.LZMADecompressor)):
    z = comp(data)
    d = decomp()
    print(name, 'start', d.eof, d.needs_input, d.unused_data)
    first = d.decompress(z[:100], 10)
    print(name, 'first', first[:10], d.needs_input)
    parts = [first]
    pos = 100
    while not d.eof:
        if d.needs_input:
            parts.append(d.decompress(z[pos:pos + 500], 3000))
            pos += 500
        else:
            parts.append(d.decompress(b'', 3000))
        assert all(len(p) <= 3000 for p in parts)
    print(name, 'joined', b''.join(parts) == data, max(len(p) for p in parts))
    d = decomp()
    print(name, 'tail', d.decompress(z + b'TAIL') == data, d.unused_data, d.eof, d.needs_input)
    attempt(name + ' after eof', lambda: d.decompress(b'x'))
    attempt(name + ' zero', lambda: decomp().decompress(z, 0))

# Errors.
attempt('bz2 bad', lambda: bz2.decompress(b'this is not bzip2'))
attempt('bz2 truncated', lambda: bz2.decompress(BZ2_FIXED[:-5]))
attempt('bz2 level', lambda: bz2.BZ2Compressor(10))
attempt('bz2 str', lambda: bz2.compress('text'))
c = bz2.BZ2Compressor()
c.compress(b'abc')
print('bz2 flush', len(c.flush()))
attempt('bz2 flushed', lambda: c.compress(b'more'))
attempt('bz2 reflush', lambda: c.flush())
attempt('xz bad', lambda: lzma.decompress(b'this is not xz data at all'))
attempt('xz corrupt', lambda: lzma.decompress(XZ_FIXED[:40] + b'\0' + XZ_FIXED[41:]))
attempt('xz truncated', lambda: lzma.decompress(XZ_FIXED[:-3]))
attempt('xz memlimit', lambda: lzma.LZMADecompressor(memlimit=1000).decompress(XZ_FIXED))
attempt('raw no filters', lambda: lzma.LZMADecompressor(format=lzma.FORMAT_RAW))
attempt('xz filters', lambda: lzma.LZMADecompressor(format=lzma.FORMAT_XZ, filters=RAW_FILTERS))
attempt('both', lambda: lzma.LZMACompressor(preset=1, filters=RAW_FILTERS))
attempt('bad id', lambda: lzma.LZMACompressor(filters=[{'id': 99}]))
attempt('no id', lambda: lzma.LZMACompressor(filters=[{}]))
attempt('bad option', lambda: lzma.LZMACompressor(filters=[{'id': lzma.FILTER_LZMA2, 'color': 1}]))
attempt('bad preset', lambda: lzma.LZMACompressor(preset=12))
attempt('alone chain', lambda: lzma.LZMACompressor(format=lzma.FORMAT_ALONE, filters=RAW_FILTERS))
attempt('check alone', lambda: lzma.LZMACompressor(format=lzma.FORMAT_ALONE, check=lzma.CHECK_CRC32))
attempt('too many', lambda: lzma.LZMACompressor(filters=[{'id': lzma.FILTER_X86}] * 5))
print('supported', [c for c in range(16) if lzma.is_check_supported(c)])

# Filter properties, as zipfile's LZMA mode uses them.
import _lzma
for spec in ({'id': lzma.FILTER_LZMA1}, {'id': lzma.FILTER_LZMA1, 'dict_size': 1 << 16, 'lc': 2, 'lp': 1, 'pb': 1},
             {'id': lzma.FILTER_LZMA2, 'preset': 1}, {'id': lzma.FILTER_DELTA, 'dist': 7}, {'id': lzma.FILTER_ARM, 'start_offset': 16}):
    props = _lzma._encode_filter_properties(spec)
    print('props', props, _lzma._decode_filter_properties(spec['id'], props))
attempt('props bad', lambda: _lzma._decode_filter_properties(lzma.FILTER_LZMA1, b'\xff\0\0\0\0'))

# Files.
with tempfile.TemporaryDirectory() as tmp:
    for mod, ext in ((bz2, 'bz2'), (lzma, 'xz')):
        path = os.path.join(tmp, 'f.' + ext)
        with mod.open(path, 'wt', encoding='utf-8') as f:
            for i in range(1000):
                f.write(f'line {i}\n')
        with mod.open(path, 'rt', encoding='utf-8') as f:
            lines = f.readlines()
        print(ext, 'file', len(lines), lines[-1].strip())
        with mod.open(path, 'rb') as f:
            f.seek(5000)
            print(ext, 'seek', f.read(12))
