"""TextIOWrapper.reconfigure: what may change when, argument checks, and the effect on writes (sys.stdout too)."""
import io, sys
b = io.BytesIO(b'abc\ndef\n')
t = io.TextIOWrapper(b, encoding='ascii')
t.readline()
for kw in [dict(encoding='utf-8'), dict(newline=''), dict(errors='ignore'), dict(line_buffering=True), dict(newline='x'),
           dict(encoding=5), dict(foo=1), dict(newline=None)]:
    try:
        print(t.reconfigure(**kw), t.encoding, t.errors, t.line_buffering)
    except Exception as e:
        print(type(e).__name__, e)
try:
    t.reconfigure(1)
except Exception as e:
    print(type(e).__name__, e)
t.read()
t2 = io.TextIOWrapper(io.BytesIO(), encoding='ascii', errors='ignore')
t2.reconfigure(encoding='latin-1'); print(t2.encoding, t2.errors)
t2.reconfigure(errors='replace'); print(t2.encoding, t2.errors)
t2.write('é€'); t2.flush(); print(t2.buffer.getvalue())
t2.reconfigure(encoding='utf-8', newline='\r\n'); t2.write('é\n'); t2.flush(); print(t2.buffer.getvalue())
for kw in [dict(encoding='nope'), dict(newline='x'), dict(write_through=True)]:
    try:
        print(t2.reconfigure(**kw), t2.write_through)
    except Exception as e:
        print(type(e).__name__, e)
sys.stdout.reconfigure(encoding='utf-8', errors='backslashreplace')
print(sys.stdout.encoding, sys.stdout.errors)
print('\udc80 ok')
