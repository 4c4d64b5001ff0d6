"""TextIOWrapper writes a byte-order mark once, at the start of the stream (utf-16, utf-32, utf-8-sig), again after seek(0), never when appending."""
import io, os, tempfile, codecs
print(codecs.getincrementalencoder('utf-16')().encode(''))
for enc in ['utf-16', 'utf-32', 'utf-8-sig', 'UTF_16', 'utf-16-le', 'latin-1']:
    b = io.BytesIO()
    t = io.TextIOWrapper(b, encoding=enc)
    t.write('')
    t.write('ab'); t.write('cd'); t.flush()
    print(enc, b.getvalue())
    t.seek(0); t.write('x'); t.flush(); print(b.getvalue())
    t.seek(0, 2); t.write('y'); t.flush(); print(b.getvalue())
d = tempfile.mkdtemp()
p = os.path.join(d, 'f.txt')
with open(p, 'w', encoding='utf-16') as f:
    f.write('a'); f.write('b')
with open(p, 'a', encoding='utf-16') as f:
    f.write('c')
with open(p, 'rb') as f: print(f.read())
with open(p, encoding='utf-16') as f: print(f.read())
b = io.BytesIO(b'xx')
b.seek(2)
t = io.TextIOWrapper(b, encoding='utf-16'); t.write('z'); t.flush(); print(b.getvalue())
