# os, os.path, posix and errno against a scratch directory from tempfile.
import errno
import os
import stat
import tempfile

base = tempfile.mkdtemp(prefix='krait_os_')


def p(*parts):
    return os.path.join(base, *parts)


def show(e):
    # The scratch directory's name is random: print it as BASE.
    return f"{type(e).__name__}: {str(e).replace(base, 'BASE')} errno={e.errno} strerror={e.strerror!r}"


def tree(top):
    out = []
    for name in sorted(os.listdir(top)):
        full = os.path.join(top, name)
        kind = 'link' if os.path.islink(full) else 'dir' if os.path.isdir(full) else 'file'
        out.append((os.path.relpath(full, base), kind))
        if kind == 'dir':
            out.extend(tree(full))
    return out


print(os.path.isdir(base), os.listdir(base), oct(stat.S_IMODE(os.stat(base).st_mode)))

# Files and directories.
with open(p('a.txt'), 'w') as f:
    f.write('hello')
os.mkdir(p('sub'))
os.makedirs(p('sub', 'x', 'y'))
os.makedirs(p('sub', 'x'), exist_ok=True)
print(sorted(os.listdir(base)))
print(tree(base))

st = os.stat(p('a.txt'))
print(st.st_size, st[stat.ST_SIZE], len(st), stat.S_ISREG(st.st_mode), stat.S_ISDIR(st.st_mode))
print(type(st).__name__, type(st.st_mtime).__name__, type(st[8]).__name__, type(st.st_mtime_ns).__name__)
print(os.path.getsize(p('a.txt')), os.path.isfile(p('a.txt')), os.path.exists(p('nope')))

os.rename(p('a.txt'), p('b.txt'))
os.replace(p('b.txt'), p('c.txt'))
print(sorted(os.listdir(base)))

# scandir and DirEntry.
with os.scandir(base) as it:
    entries = sorted(it, key=lambda e: e.name)
for e in entries:
    size = e.stat().st_size if e.is_file() else '-'
    print(repr(e), e.name, e.is_dir(), e.is_file(), e.is_symlink(), e.path == p(e.name), size, os.fspath(e) == e.path)

# Links.
os.symlink(p('c.txt'), p('lnk'))
os.link(p('c.txt'), p('hard'))
print(os.path.islink(p('lnk')), os.readlink(p('lnk')) == p('c.txt'), stat.S_ISLNK(os.lstat(p('lnk')).st_mode))
print(os.stat(p('c.txt')).st_nlink, os.path.samefile(p('c.txt'), p('hard')), os.path.realpath(p('lnk')) == os.path.realpath(p('c.txt')))

# Errors print as CPython's.
attempts = [
    lambda: os.stat(p('nope')),
    lambda: os.mkdir(base),
    lambda: os.rmdir(p('sub')),
    lambda: os.remove(p('sub')),
    lambda: os.listdir(p('c.txt')),
    lambda: os.rename(p('zz'), p('yy')),
    lambda: os.open(p('nope'), os.O_RDONLY),
    lambda: os.chdir(p('nope')),
    lambda: os.stat(p('nope').encode()),
    lambda: open(p('nope')),
]
for attempt in attempts:
    try:
        attempt()
    except OSError as e:
        print(show(e))
for bad in [lambda: os.stat(3.5), lambda: os.stat('a\0b'), lambda: os.close('x'), lambda: os.listdir(42.0)]:
    try:
        bad()
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
e = OSError(errno.ENOENT, os.strerror(errno.ENOENT), 'some/file')
print(type(e).__name__, e, repr(e))
print(isinstance(os.error(errno.EEXIST, 'x'), FileExistsError), errno.errorcode[errno.EACCES], os.strerror(errno.EISDIR))

# File descriptors.
fd = os.open(p('d.bin'), os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
print(os.write(fd, b'abcdef'), os.lseek(fd, 0, os.SEEK_SET), os.read(fd, 3), os.lseek(fd, 0, os.SEEK_CUR))
print(os.fstat(fd).st_size, os.get_inheritable(fd), os.get_blocking(fd), os.isatty(fd))
os.ftruncate(fd, 2)
os.fsync(fd)
print(os.fstat(fd).st_size)
fd2 = os.dup(fd)
os.close(fd)
print(os.lseek(fd2, 0, os.SEEK_END))
os.close(fd2)
try:
    os.close(fd2)
except OSError as e:
    print(show(e))
r, w = os.pipe()
os.write(w, b'through the pipe')
os.close(w)
print(os.read(r, 100), os.read(r, 100))
os.close(r)
with os.fdopen(os.open(p('d.bin'), os.O_RDONLY)) as f:
    print(repr(f.read()))

# chmod, utime, access, truncate.
os.chmod(p('c.txt'), 0o600)
print(oct(stat.S_IMODE(os.stat(p('c.txt')).st_mode)), os.access(p('c.txt'), os.R_OK), os.access(p('nope'), os.F_OK))
os.utime(p('c.txt'), (1000000000, 1200000000.5))
st = os.stat(p('c.txt'))
print(st.st_atime, st.st_mtime, st.st_mtime_ns, st[8], os.path.getmtime(p('c.txt')))
os.utime(p('c.txt'), ns=(5_000_000_123, 6_000_000_456))
print(os.stat(p('c.txt')).st_atime_ns, os.stat(p('c.txt')).st_mtime_ns)
os.truncate(p('c.txt'), 3)
with open(p('c.txt')) as f:
    print(f.read())

# Current directory.
old = os.getcwd()
os.chdir(base)
print(os.getcwd() == os.path.realpath(base), os.getcwdb() == os.fsencode(os.getcwd()))
print(sorted(os.listdir()), sorted(e.path for e in os.scandir()), sorted(os.listdir(b'.')))
os.chdir(old)

# Environment.
os.environ['KRAIT_OS_TEST'] = 'value 1'
print(os.environ['KRAIT_OS_TEST'], os.getenv('KRAIT_OS_TEST'), 'KRAIT_OS_TEST' in os.environ)
print(os.environb[b'KRAIT_OS_TEST'])
del os.environ['KRAIT_OS_TEST']
print(os.environ.get('KRAIT_OS_TEST'), os.getenv('KRAIT_OS_TEST', 'default'))
try:
    os.environ['A=B'] = 'x'
except ValueError as e:
    print('ValueError', e)

# os.path.
print(os.path.join('a', 'b', 'c'), os.path.join('/a', '/b'), os.path.split('/x/y/z.txt'), os.path.splitext('f.tar.gz'))
print(os.path.dirname('/a/b'), os.path.basename('/a/b/'), os.path.normpath('/a/./b/../c//d'), os.path.abspath('/a/b/../c'))
print(os.path.relpath('/a/b/c', '/a'), os.path.commonpath(['/a/b', '/a/c']), os.path.commonprefix(['abc', 'abd']))
print(os.path.isabs('/x'), os.path.isabs('x'), os.path.expanduser('~') == os.environ.get('HOME', os.path.expanduser('~')))
print(os.sep, os.curdir, os.pardir, os.extsep, os.pathsep, repr(os.linesep), os.name, os.devnull)
print(os.fspath('s'), os.fsencode('x'), os.fsdecode(b'y'), os.path.splitdrive('/a/b'))

# Process and system information (types only: values vary).
print(type(os.getpid()).__name__, os.getppid() > 0, type(os.getuid()).__name__, type(os.cpu_count()).__name__)
u = os.uname()
print(type(u).__name__, u.sysname, len(u), u[0] == u.sysname)
print(len(os.urandom(16)), type(os.times()).__name__, len(os.times()))
old_mask = os.umask(0o22)
print(oct(os.umask(old_mask)))
print(os.stat_result(range(10)), os.terminal_size((80, 24)))
print(os.WEXITSTATUS(256), os.WIFEXITED(0), os.waitstatus_to_exitcode(512))

# Clean up.
os.remove(p('lnk'))
os.unlink(p('hard'))
os.remove(p('c.txt'))
os.remove(p('d.bin'))
os.removedirs(p('sub', 'x', 'y'))
print(os.path.exists(base))
