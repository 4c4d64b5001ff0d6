# The csv module over the native _csv: reading, writing, dialects, the
# sniffer, DictReader/DictWriter, error messages and garbage collection.
import csv
import gc
import io
import pickle
import _csv


def attempt(f):
    try:
        print("  ->", repr(f()))
    except Exception as e:
        print("  !!", type(e).__name__, e)


def read(lines, **kw):
    r = csv.reader(lines, **kw)
    out = []
    try:
        for row in r:
            out.append(row)
    except Exception as e:
        out.append("%s: %s" % (type(e).__name__, e))
    return out, r.line_num


def write(rows, **kw):
    s = io.StringIO()
    w = csv.writer(s, **kw)
    results = [w.writerow(r) for r in rows]
    return results, s.getvalue()


print("== module")
print(_csv.__version__, sorted(n for n in dir(_csv) if not n.startswith("__")))
print(csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC, csv.QUOTE_NONE)
print(_csv.Reader, _csv.Writer, _csv.Dialect, csv.Error.__mro__)
print(sorted(csv.list_dialects()))

print("== reading")
for lines, kw in [
    (["a,b,c", "1,2,3"], {}),
    (['"a,b",c', '"x ""y"" z",w'], {}),
    (['"multi', 'line",end'], {}),
    (["a,b\r\n", "c,d\n", "\n", ""], {}),
    (["a;b;c"], {"delimiter": ";"}),
    (["a, b,  c"], {"skipinitialspace": True}),
    (["a\\,b,c\\\\d"], {"escapechar": "\\"}),
    (['"a\\"b",c'], {"escapechar": "\\", "doublequote": False}),
    (["'a,b',c"], {"quotechar": "'"}),
    (['"a,b",c'], {"quoting": csv.QUOTE_NONE}),
    (['1,"2",3.5,,x'], {"quoting": csv.QUOTE_NONNUMERIC}),
    (['"a"b,c'], {}),
    (['"a"b,c'], {"strict": True}),
    (['a,"b'], {}),
    (['a,"b'], {"strict": True}),
    (["a,b\rc,d"], {}),
    (["a\0b,c"], {}),
    (["x\\", "y"], {"escapechar": "\\"}),
    ([b"a,b"], {}),
    (["é|ü|\u4e2d"], {"delimiter": "|"}),
]:
    print(repr(lines), kw)
    print("  ", read(lines, **kw))

print("== field_size_limit")
old = csv.field_size_limit(10)
print(old, read(["0123456789,x"]), read(["01234567890"]))
print(csv.field_size_limit(old))
attempt(lambda: csv.field_size_limit("1"))
attempt(lambda: csv.field_size_limit(1, 2))
attempt(lambda: csv.field_size_limit(2**80))
print(csv.field_size_limit())

print("== writing")
for rows, kw in [
    ([["a", "b"], [1, 2.5, None, True]], {}),
    ([["a,b", 'say "hi"', "line\nbreak", ""]], {}),
    ([[""], [None], []], {}),
    ([["a", 1, 2.5, None]], {"quoting": csv.QUOTE_NONNUMERIC}),
    ([["a", 1]], {"quoting": csv.QUOTE_ALL}),
    ([["a,b", 'c"d']], {"quoting": csv.QUOTE_NONE, "escapechar": "\\"}),
    ([["a,b"]], {"quoting": csv.QUOTE_NONE}),
    ([[""]], {"quoting": csv.QUOTE_NONE}),
    ([['a"b']], {"doublequote": False}),
    ([['a"b', "c\\d"]], {"doublequote": False, "escapechar": "\\"}),
    ([["a", "b|c"]], {"lineterminator": "|"}),
    ([["x", "y"]], {"delimiter": "\t", "lineterminator": "\n"}),
    ([5], {}),
    ([iter(["gen", "row"])], {}),
]:
    print("iterator row" if "iterator" in repr(rows) else repr(rows)[:60], kw)
    attempt(lambda: write(rows, **kw))
w = csv.writer(io.StringIO())
print(w.writerows([["a"], ["b"]]), w.dialect.delimiter)
attempt(lambda: w.writerow())
attempt(lambda: w.writerow([1], [2]))
attempt(lambda: w.writerows(None))
attempt(lambda: csv.writer(1))
attempt(lambda: csv.reader(1))
attempt(lambda: csv.reader())

print("== dialects")
d = _csv.Dialect()
print(d.delimiter, repr(d.quotechar), d.escapechar, d.doublequote, d.skipinitialspace,
      repr(d.lineterminator), d.quoting, d.strict)
for kw in [
    {"delimiter": None}, {"delimiter": 1}, {"delimiter": "ab"}, {"quotechar": 1},
    {"quotechar": "ab"}, {"escapechar": 0}, {"lineterminator": None},
    {"lineterminator": 1}, {"quoting": None}, {"quoting": 7}, {"quoting": True},
    {"quotechar": None, "quoting": csv.QUOTE_ALL}, {"bad": 1},
]:
    print(kw)
    attempt(lambda: _csv.Dialect(**kw))
print(_csv.Dialect(quotechar=None).quoting)
attempt(lambda: _csv.Dialect("nonesuch"))
attempt(lambda: setattr(d, "delimiter", ";"))
attempt(lambda: setattr(d, "strict", True))
attempt(lambda: pickle.dumps(d))
print(_csv.Dialect(d) is d, _csv.Dialect(d, strict=True) is d)


class Semi(csv.Dialect):
    delimiter = ";"
    quotechar = "'"
    doublequote = True
    skipinitialspace = False
    lineterminator = "\n"
    quoting = csv.QUOTE_MINIMAL


csv.register_dialect("semi", Semi)
csv.register_dialect("pipes", delimiter="|", quoting=csv.QUOTE_ALL)
print(sorted(csv.list_dialects()))
print(write([["a;b", "c'd"]], dialect="semi"))
print(write([["a", "b"]], dialect="pipes"))
print(read(["'a;b';c"], dialect="semi"))
print(write([["a", "b"]], dialect="semi", delimiter=","))
print(csv.get_dialect("pipes").delimiter, csv.get_dialect("semi").lineterminator == "\n")
csv.unregister_dialect("pipes")
attempt(lambda: csv.unregister_dialect("pipes"))
attempt(lambda: csv.get_dialect("pipes"))
attempt(lambda: csv.register_dialect(1))
attempt(lambda: csv.register_dialect("x", delimiter="::"))


class Incomplete(csv.Dialect):
    delimiter = ","


attempt(lambda: Incomplete())
r = csv.reader([], "excel-tab")
print(repr(r.dialect.delimiter), r.line_num)

print("== DictReader / DictWriter")
text = "name,age\r\nann,31\r\nbob,27,extra\r\ncid\r\n"
for row in csv.DictReader(io.StringIO(text, newline="")):
    print(row)
for row in csv.DictReader(io.StringIO(text, newline=""), restkey="more", restval="?"):
    print(row)
out = io.StringIO()
dw = csv.DictWriter(out, fieldnames=["a", "b"], restval="-")
print(dw.writeheader())
dw.writerow({"a": 1})
dw.writerows([{"a": "x,y", "b": 2}, {"b": 3}])
print(repr(out.getvalue()))
attempt(lambda: dw.writerow({"a": 1, "zzz": 2}))

print("== Sniffer")
sample = "id;name;score\r\n1;'ann, jr';3.5\r\n2;bob;4.0\r\n3;'cid';2.25\r\n"
sn = csv.Sniffer()
dia = sn.sniff(sample)
print(repr(dia.delimiter), repr(dia.quotechar), dia.doublequote, dia.skipinitialspace)
print(sn.has_header(sample))
print(list(csv.reader(io.StringIO(sample), dia)))
dia = sn.sniff("a|b|c\n1|2|3\n4|5|6\n")
print(repr(dia.delimiter))
attempt(lambda: sn.sniff("abc"))

print("== round trip")
rows = [["plain", 'q"uote', "com,ma", "new\nline", "cr\rhere", "", " sp "], [1.5, -2, None]]
s = io.StringIO()
csv.writer(s).writerows(rows)
print(list(csv.reader(io.StringIO(s.getvalue(), newline=""))))

print("== garbage collection")


class Source:
    def __init__(self):
        self.lines = iter(["a,b"])

    def __iter__(self):
        return self

    def __next__(self):
        return next(self.lines)

    def __del__(self):
        print("source freed")


src = Source()
src.reader = csv.reader(src)
print(next(src.reader))
del src
gc.collect()


class Sink:
    def write(self, s):
        return len(s)

    def __del__(self):
        print("sink freed")


sink = Sink()
sink.writer = csv.writer(sink)
print(sink.writer.writerow(["x", "y"]))
del sink
gc.collect()
print("done")
