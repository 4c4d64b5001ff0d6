# Imported modules are compiled once and cached under __pycache__ (krait's
# files are NAME.krait.pyc, CPython's NAME.cpython-311.pyc); a changed,
# moved or damaged cache is never used as it stands.
import os
import shutil
import subprocess
import sys
import tempfile

env = dict(os.environ)
env.pop("PYTHONDONTWRITEBYTECODE", None)


def run(code, *flags, cwd):
    r = subprocess.run([sys.executable, *flags, "-c", code], cwd=cwd, env=env,
                       capture_output=True, text=True)
    return (r.stdout + r.stderr).strip()


def cached(d):
    pc = os.path.join(d, "__pycache__")
    return sorted(n.split(".")[0] for n in os.listdir(pc)) if os.path.isdir(pc) else []


show = "import mod; print(mod.VALUE, mod.f.__code__.co_filename == mod.__file__)"
with tempfile.TemporaryDirectory() as top:
    d = os.path.join(top, "a")
    os.mkdir(d)
    src = os.path.join(d, "mod.py")
    with open(src, "w") as f:
        f.write("VALUE = 1\ndef f(): pass\n")
    print("-B:", run(show, "-B", cwd=d), cached(d))
    print("first:", run(show, cwd=d), cached(d))
    print("again:", run(show, cwd=d), cached(d))
    # The cache is really what runs: a source edited without changing its
    # size or modification time still runs as cached (as CPython's does).
    st = os.stat(src)
    with open(src, "w") as f:
        f.write("VALUE = 9\ndef f(): pass\n")
    os.utime(src, ns=(st.st_atime_ns, st.st_mtime_ns))
    print("same stamp:", run(show, cwd=d))
    # A new source (another size) is compiled again, not taken from the cache.
    with open(src, "w") as f:
        f.write("VALUE = 'two'\ndef f(): pass\n")
    print("changed:", run(show, cwd=d))
    # A cache file with a damaged header is ignored (and replaced). (krait
    # checks the body too; CPython trusts a body whose header matches.)
    pc = os.path.join(d, "__pycache__")
    for name in os.listdir(pc):
        with open(os.path.join(pc, name), "r+b") as f:
            f.write(b"\0\0\0\0")
    print("damaged:", run(show, cwd=d))
    print("after damage:", run(show, cwd=d))
    # Moved elsewhere, the cached code takes the new file name.
    e = os.path.join(top, "b")
    shutil.move(d, e)
    print("moved:", run(show, cwd=e))
    # sys.dont_write_bytecode set by the program itself.
    os.mkdir(os.path.join(top, "c"))
    with open(os.path.join(top, "c", "other.py"), "w") as f:
        f.write("X = 3\n")
    print("dont_write:", run("import sys; sys.dont_write_bytecode = True; import other; print(other.X)",
                             cwd=os.path.join(top, "c")), cached(os.path.join(top, "c")))
