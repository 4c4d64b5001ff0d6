# Indexing and slicing long non-ASCII strs (whose code points krait finds
# through an index plus the position of the last lookup): forward and
# backward scans, jumps, slices of every width, and the one-character
# results that are shared as in CPython.

parts = ["caf\u00e9", "na\u00efve", "\u65e5\u672c\u8a9e", "\U0001f600x", "plain", "\u20ac"]
text = "|".join(parts[(i * 7) % len(parts)] + str(i) for i in range(400))
n = len(text)
print(n, len(text.encode()))

forward = "".join(text[i] for i in range(n))
backward = "".join(text[i] for i in range(n - 1, -1, -1))
print(forward == text, backward == text[::-1])
jumps = [(i * 7919) % n for i in range(2000)]
print("".join(text[j] for j in jumps) == "".join(list(text)[j] for j in jumps))
print([text[j] for j in jumps[:12]], text[-1], text[-n])

chunks = []
pos = 0
while pos < n:
    width = 1 + pos % 9
    chunks.append(text[pos:pos + width])
    pos += width
print("".join(chunks) == text, chunks[:6], chunks[-3:])
print(text[5:5], text[n:], text[3:n - 3][:10], text[::-1][:8], text[100:300:7][:10])
print(text.startswith("na", text.index("na")), text.find("\u20ac", 500), text.rfind("\u65e5", 0, 700))
print(text.count("\u00e9"), text[1000:1010], text[-20:-10])

# Scanning by index like a tokenizer.
pos = 0
words = 0
while pos < n:
    while pos < n and text[pos] == "|":
        pos += 1
    start = pos
    while pos < n and text[pos] != "|":
        pos += 1
    if start < pos:
        words += 1
        last = text[start:pos]
print(words, last)

# Shared one-character results, computed at run time.
t = "\u00e9t\u00e9" * 40
print(t[0] is t[2], t[1] is t[-2], t[0:1] is t[2], t[80:81] is t[0], "\u20ac\u20ac"[0:1] == "\u20ac")
try:
    text[n]
except IndexError as e:
    print("IndexError:", e)
