# The sqlite3 package over the native _sqlite3 module: connections, cursors,
# parameters, transactions, rows, types, adapters/converters, callbacks,
# blobs, backup, limits, dump and CPython's error messages.
import sqlite3
import datetime
import decimal


def show(f, *args, **kwargs):
    try:
        r = f(*args, **kwargs)
    except Exception as e:
        print("  ->", type(e).__name__ + ":", e)
        return None
    print("  =", repr(r))
    return r


print(sqlite3.paramstyle, sqlite3.apilevel, sqlite3.threadsafety)
print(type(sqlite3.sqlite_version).__name__, len(sqlite3.sqlite_version_info))
print(sqlite3.PARSE_DECLTYPES, sqlite3.PARSE_COLNAMES, sqlite3.SQLITE_DENY, sqlite3.SQLITE_IGNORE)
print(sqlite3.SQLITE_CREATE_TABLE, sqlite3.SQLITE_READ, sqlite3.SQLITE_LIMIT_SQL_LENGTH)
for name in ["Warning", "Error", "InterfaceError", "DatabaseError", "DataError", "OperationalError",
             "IntegrityError", "InternalError", "ProgrammingError", "NotSupportedError"]:
    cls = getattr(sqlite3, name)
    print(name, [c.__name__ for c in cls.__mro__[1:-2]])
print(sqlite3.complete_statement("select 1;"), sqlite3.complete_statement("select 'a;"),
      sqlite3.complete_statement("create trigger t after insert on x begin select 1; end;"),
      sqlite3.complete_statement("create trigger t after insert on x begin select 1;"))

print("-- cursor basics")
con = sqlite3.connect(":memory:")
cur = con.cursor()
print(cur.connection is con, cur.rowcount, cur.lastrowid, cur.description, cur.arraysize)
cur.execute("create table t(id integer primary key, name text, score real, data blob)")
print(cur.description, cur.rowcount, con.in_transaction, con.isolation_level)
cur.execute("insert into t(name, score, data) values (?, ?, ?)", ("ann", 1.5, b"\x00\x01"))
print(cur.rowcount, cur.lastrowid, con.in_transaction, con.total_changes)
cur.executemany("insert into t(name, score) values (:n, :s)", [{"n": "bob", "s": 2}, {"n": "cy", "s": None}])
print(cur.rowcount)
con.commit()
print(con.in_transaction)
cur.execute("select id, name, score, data from t order by id")
print([d[0] for d in cur.description])
print(cur.fetchone())
print(cur.fetchmany(5))
print(cur.fetchall(), cur.fetchone())
for row in con.execute("select name from t where score > ?", (1,)):
    print(" row", row)
cur.execute("update t set score = score * 2 where score is not null")
print("updated", cur.rowcount)
con.rollback()
print(con.execute("select sum(score) from t").fetchone())
cur.arraysize = 2
print(cur.execute("select id from t").fetchmany())

print("-- errors")
show(cur.execute, "select ?, ?", (1,))
show(cur.execute, "select :a", {"b": 1})
show(cur.execute, "select ?", {"a": 1})
show(cur.execute, "select 1; select 2")
show(cur.execute, "select ?", (2**63,))
show(cur.execute, "select ?", (object(),))
show(cur.execute, "select * from missing")
show(cur.execute, 42)
show(cur.executemany, "select ?", [(1,)])
show(cur.execute, "select ?", 5)
con.execute("create table u(x unique)")
con.execute("insert into u values (1)")
try:
    con.execute("insert into u values (1)")
except sqlite3.IntegrityError as e:
    print("IntegrityError", e, e.sqlite_errorcode, e.sqlite_errorname)
try:
    con.execute("selec 1")
except sqlite3.OperationalError as e:
    print("OperationalError", e, e.sqlite_errorname)
print(cur.execute("").description, cur.execute("-- only a comment").rowcount)

print("-- isolation levels")
con2 = sqlite3.connect(":memory:", isolation_level=None)
con2.execute("create table v(x)")
con2.execute("insert into v values (1)")
print(con2.in_transaction, con2.isolation_level)
con2.isolation_level = "IMMEDIATE"
con2.execute("insert into v values (2)")
print(con2.in_transaction)
con2.isolation_level = None
print(con2.in_transaction, con2.execute("select count(*) from v").fetchone())
show(setattr, con2, "isolation_level", "bogus")
show(setattr, con2, "isolation_level", 1)
with con2:
    con2.execute("insert into v values (3)")
try:
    with con2:
        con2.execute("begin")
        con2.execute("insert into v values (4)")
        raise KeyError("boom")
except KeyError:
    pass
print(con2.execute("select x from v order by x").fetchall())

print("-- rows and factories")
con.row_factory = sqlite3.Row
r = con.execute("select 1 as a, 'two' as B").fetchone()
print(type(r).__name__, r.keys(), r["a"], r["b"], r[1], r[-1], r[0:1], len(r), tuple(r))
print(r == con.execute("select 1 as a, 'two' as B").fetchone(), hash(r) == hash(con.execute("select 1 as a, 'two' as B").fetchone()))
show(r.__getitem__, "c")
show(r.__getitem__, 5)
con.row_factory = lambda cursor, row: {d[0]: v for d, v in zip(cursor.description, row)}
print(con.execute("select 1 as x, 2 as y").fetchone())
con.row_factory = None
con.text_factory = bytes
print(con.execute("select 'abc'").fetchone())
con.text_factory = lambda b: b.decode().upper()
print(con.execute("select 'abc'").fetchone())
con.text_factory = str

print("-- types and adapters")
print(con.execute("select 1, 2.5, 'x', x'ff00', null, 9223372036854775807").fetchone())
print(con.execute("select ?, ?, ?, ?, ?", (True, 3.25, "é", bytearray(b"ab"), memoryview(b"cd"))).fetchone())


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __repr__(self):
        return f"Point({self.x}, {self.y})"


sqlite3.register_adapter(Point, lambda p: f"{p.x};{p.y}")
sqlite3.register_converter("point", lambda b: Point(*map(float, b.split(b";"))))
pc = sqlite3.connect(":memory:", detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
pc.execute("create table p(pt point, n integer)")
pc.execute("insert into p values (?, ?)", (Point(1, 2), 3))
print(pc.execute("select pt, n from p").fetchone())
print(pc.execute('select pt as "pt [text]" from p').fetchone())
print(pc.execute('select n as "n [point]" from p').description[0][0])
d = datetime.date(2024, 2, 29)
ts = datetime.datetime(2024, 2, 29, 12, 30, 15, 5000)
pc.execute("create table dt(d date, ts timestamp)")
import warnings
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    pc.execute("insert into dt values (?, ?)", (d, ts))
    print(pc.execute("select d, ts from dt").fetchone())


class Conforming:
    def __conform__(self, proto):
        return "conformed" if proto is sqlite3.PrepareProtocol else None


print(pc.execute("select ?", (Conforming(),)).fetchone())
print(sqlite3.adapt(Point(5, 6)), show(sqlite3.adapt, object()))
sqlite3.register_adapter(decimal.Decimal, str)
print(pc.execute("select ?", (decimal.Decimal("1.10"),)).fetchone())

print("-- user functions")
con.create_function("double", 1, lambda x: x * 2)
con.create_function("pyver", 0, lambda: "krait-or-cpython", deterministic=True)
print(con.execute("select double(21), double('ab'), pyver()").fetchone())
con.create_function("boom", 0, lambda: 1 / 0)
show(con.execute, "select boom()")
con.create_function("big", 0, lambda: 2**70)
show(con.execute, "select big()")


class Summer:
    def __init__(self):
        self.total = 0

    def step(self, v):
        self.total += v

    def finalize(self):
        return self.total


con.create_aggregate("pysum", 1, Summer)
print(con.execute("select pysum(id), pysum(score) is null from t where score is not null").fetchone())
print(con.execute("select pysum(id) from t where 0").fetchone())


class WinSum(Summer):
    def inverse(self, v):
        self.total -= v

    def value(self):
        return self.total


con.create_window_function("winsum", 1, WinSum)
print(con.execute("select id, winsum(id) over (order by id rows between 1 preceding and current row) from t").fetchall())
con.create_collation("reverse", lambda a, b: (a < b) - (a > b))
print(con.execute("select name from t order by name collate reverse").fetchall())
show(con.create_collation, "x", 42)

print("-- hooks")
seen = []
con.set_trace_callback(seen.append)
con.execute("select ?", (7,))
con.set_trace_callback(None)
con.execute("select 8")
print(seen)
calls = []


def authorizer(action, arg1, arg2, dbname, source):
    calls.append(action)
    return sqlite3.SQLITE_DENY if arg1 == "u" else sqlite3.SQLITE_OK


con.set_authorizer(authorizer)
show(con.execute, "select * from u")
print(con.execute("select count(*) from t").fetchone(), sqlite3.SQLITE_SELECT in calls)
con.set_authorizer(None)
con.set_progress_handler(lambda: 1, 1)
show(con.execute, "select count(*) from t")
con.set_progress_handler(None, 1)
print(con.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) > 0)
old = con.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, 20)
show(con.execute, "select 'a rather long statement'")
con.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, old)
show(con.getlimit, 1000)

print("-- blob, backup, dump")
con.execute("create table b(data blob)")
con.execute("insert into b values (zeroblob(8))")
with con.blobopen("b", "data", 1) as blob:
    blob.write(b"abc")
    print(len(blob), blob.tell(), blob[0], blob[0:4])
    blob.seek(-2, 2)
    print(blob.read(), blob.tell())
    show(blob.write, b"toolong")
    show(blob.seek, 100)
print(con.execute("select data from b").fetchone())
con.commit()
target = sqlite3.connect(":memory:")
progress = []
con.backup(target, pages=1, progress=lambda status, remaining, total: progress.append(remaining))
print(target.execute("select name from t order by id").fetchall(), progress[-1])
show(con.backup, con)
dump = list(target.iterdump())
print(len(dump), dump[0], dump[-1])

print("-- closed objects")
cur2 = con.cursor()
cur2.close()
show(cur2.execute, "select 1")
con.close()
show(con.execute, "select 1")
show(cur.fetchone)
show(con.commit)
con.close()
uninit = sqlite3.Connection.__new__(sqlite3.Connection)
show(uninit.cursor)
print(isinstance(sqlite3.connect(":memory:", factory=type("MyConn", (sqlite3.Connection,), {})), sqlite3.Connection))
