import threading, time, os, select, socket, hashlib, tempfile

# Blocking calls let other threads run (the GIL is released meanwhile).
# Most checks would hang if not: a thread blocks until the main thread acts.
# Only booleans are printed, never timings.

# 1. sleeping threads overlap
t0 = time.monotonic()
ts = [threading.Thread(target=time.sleep, args=(0.4,)) for _ in range(4)]
for t in ts: t.start()
for t in ts: t.join()
print("sleeps overlap:", time.monotonic() - t0 < 1.2)

# 2. a thread blocked reading a pipe while the main thread keeps running
r, w = os.pipe()
got = []
t = threading.Thread(target=lambda: got.append(os.read(r, 100)))
t.start()
n = 0
t0 = time.monotonic()
while time.monotonic() - t0 < 0.2:
    n += 1
print("main ran while reader waited:", n > 100, got == [])
os.write(w, b"ping")
t.join()
print("reader got:", got)

# 3. select and poll in a thread
res = []
def selecting():
    res.append(select.select([r], [], [], 10)[0] == [r])
    p = select.poll()
    p.register(r, select.POLLIN)
    res.append(len(p.poll(10000)) == 1)
t = threading.Thread(target=selecting); t.start()
time.sleep(0.05)
os.write(w, b"x")
t.join()
print("select, poll:", res)
os.close(r); os.close(w)

# 4. socket accept/recv in threads
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("127.0.0.1", 0)); srv.listen(1)
port = srv.getsockname()[1]
received = []
def serve():
    conn, _ = srv.accept()
    with conn:
        data = b""
        while len(data) < 200000:
            chunk = conn.recv(65536)
            if not chunk: break
            data += chunk
        received.append(len(data))
        conn.sendall(b"done")
t = threading.Thread(target=serve); t.start()
time.sleep(0.05)
c = socket.create_connection(("127.0.0.1", port))
c.sendall(b"y" * 200000)
print("server reply:", c.recv(10), received)
c.close(); t.join(); srv.close()

# 5. a socket recv with a timeout in a thread
a, b = socket.socketpair()
b.settimeout(5)
res = []
t = threading.Thread(target=lambda: res.append(b.recv(10))); t.start()
time.sleep(0.05)
a.send(b"late")
t.join()
print("recv with timeout:", res)
a.close(); b.close()

# 6. one file object written by several threads: no line lost or torn
path = os.path.join(tempfile.mkdtemp(), "lines.txt")
f = open(path, "w", buffering=1)
def writer(i):
    for j in range(500):
        f.write(f"thread {i} line {j}\n")
ts = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
for t in ts: t.start()
for t in ts: t.join()
f.close()
with open(path) as f:
    lines = f.read().splitlines()
want = {f"thread {i} line {j}" for i in range(4) for j in range(500)}
print("shared writes:", len(lines) == 2000 and set(lines) == want)

# 7. one file object read by several threads: every line read once
f = open(path)
counts = [0] * 4
def reader(i):
    for line in f:
        counts[i] += 1
ts = [threading.Thread(target=reader, args=(i,)) for i in range(4)]
for t in ts: t.start()
for t in ts: t.join()
f.close()
print("shared reads:", sum(counts))
with open(path, "rb", buffering=0) as f:
    buf = bytearray(9)
    print("readinto:", f.readinto(buf), bytes(buf))
os.unlink(path); os.rmdir(os.path.dirname(path))

# 8. one hash object fed large inputs from several threads
h = hashlib.sha256()
m = hashlib.md5()
data = b"z" * 50000
def hasher():
    for _ in range(10):
        h.update(data)
        m.update(data)
ts = [threading.Thread(target=hasher) for _ in range(4)]
for t in ts: t.start()
for t in ts: t.join()
print("hashes:", h.hexdigest() == hashlib.sha256(data * 40).hexdigest(),
      m.hexdigest() == hashlib.md5(data * 40).hexdigest())
