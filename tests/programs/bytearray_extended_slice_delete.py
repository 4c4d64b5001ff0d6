# Assigning b'' to an extended slice deletes it (a resize, refused while a buffer is exported).
b = bytearray(b'abcdefghij'); b[1:-1:2] = b''; print(b)
b = bytearray(b'abcdefghij'); b[::-3] = b''; print(b)
b = bytearray(b'abcdefghij'); b[::2] = bytearray(); print(b)
b = bytearray(b'abc'); b[5:1:2] = b''; print(b)
b = bytearray(b'abcdefghij'); m = memoryview(b)
for f in ["b[1:-1:2] = b''", "b[::3] = []", "b[2:2:2] = b''"]:
    try:
        exec(f)
        print("ok", b)
    except BufferError as e:
        print("BufferError", e)
try:
    b[::2] = b'x'
except ValueError as e:
    print("ValueError", e)
for s in ['del b[2:2:2]', 'del b[2:2]', 'del b[5:1]']:
    try:
        exec(s)
        print('ok')
    except BufferError:
        print('BufferError')
