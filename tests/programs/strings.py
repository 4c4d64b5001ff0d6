# str methods, formatting, f-strings.
s = "Hello, World"
print(s.upper(), s.lower(), s.swapcase(), s.title(), len(s))
print(s.split(", "), s.replace("l", "L"), s.find("World"), s[::-1], s[1:5], s[-1])
print("-".join(["a", "b", "c"]), "  pad  ".strip(), "x".center(5, "*"), "42".zfill(5))
print(repr("it's"), repr('say "hi"'), repr("tab\there"), "abc" * 3, "b" in "abc")
name, n = "krait", 3.14159
print(f"{name!r} {n:.2f} {n:>10.3f} {42:05d} {255:x} {1234567:,} {'x':^5}|")
print("{} and {}".format(1, 2), "{1} {0}".format("a", "b"), "{name}".format(name="k"))
print("%s is %d years, %.1f%%" % ("k", 3, 99.5), "%r" % "q", "%5s|%-5s|" % ("a", "b"))
print(str(12), str(1.5), str(None), str(True), str([1, "a"]), str((1,)), str({"k": 1}))
print("a,b,,c".split(","), "  a  b ".split(), "line1\nline2".splitlines(), "abc".startswith("ab"))
print(ascii("é"), "é".encode(), b"abc".decode(), "ß".upper(), "İ".lower() == "i̇")
