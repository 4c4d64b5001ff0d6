# os.chown/lchown/fchown with CPython's uid/gid checks; tarfile extracts with them.
import os, tempfile
for a in [('/nonexist', 0, 0), ('/tmp', 'a', 0), ('/tmp', 0, 2**40), ('/tmp', -2, 0), ('/tmp', -1, -1), ('/tmp', 0, 2**70)]:
    try: print(os.chown(*a))
    except Exception as e: print(type(e).__name__, e)
try: os.lchown('/nonexist', 0, 0)
except Exception as e: print(type(e).__name__, e)
try: os.fchown(999, 0, 0)
except Exception as e: print(type(e).__name__, e)
except Exception as e: print(type(e).__name__, e)
fd, p = tempfile.mkstemp()
st = os.stat(p)
os.chown(p, st.st_uid, st.st_gid); os.fchown(fd, -1, -1); os.lchown(p, st.st_uid, -1); os.chown(fd, -1, st.st_gid)
print(os.stat(p).st_uid == st.st_uid)
os.close(fd); os.unlink(p)
import tarfile, io
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode='w:gz') as t:
    data = b'hello'
    ti = tarfile.TarInfo('x.txt'); ti.size = len(data)
    t.addfile(ti, io.BytesIO(data))
buf.seek(0)
d = tempfile.mkdtemp()
with tarfile.open(fileobj=buf, mode='r:gz') as t:
    t.extractall(d)
print(open(os.path.join(d, 'x.txt')).read())
import shutil; shutil.rmtree(d)
