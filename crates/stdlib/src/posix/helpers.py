# The Python part of krait's `posix` module: the struct-sequence result
# types and DirEntry/scandir. It runs in the module's namespace after the
# native functions (stat, lstat, _scandir) are in place.

class _StructSeq(tuple):
    __slots__ = ()
    _extra = ()
    _repr_names = ()

    def __new__(cls, sequence, dict=None):
        seq = tuple(sequence)
        n, ns, nf = len(seq), cls.n_sequence_fields, cls.n_fields
        if n < ns or n > nf:
            tn = cls.__module__ + '.' + cls.__name__
            if ns == nf:
                raise TypeError(f"{tn}() takes a {ns}-sequence ({n}-sequence given)")
            if n < ns:
                raise TypeError(f"{tn}() takes an at least {ns}-sequence ({n}-sequence given)")
            raise TypeError(f"{tn}() takes an at most {nf}-sequence ({n}-sequence given)")
        self = tuple.__new__(cls, seq[:ns])
        if cls._extra:
            extra = list(seq[ns:]) + [None] * (nf - n)
            if dict:
                for i, f in enumerate(cls._extra):
                    if i >= n - ns and f in dict:
                        extra[i] = dict[f]
            cls._fill(self, extra)
            self.__dict__['_x'] = tuple(extra)
        return self

    @staticmethod
    def _fill(self, extra):
        pass

    def __repr__(self):
        parts = ', '.join('%s=%r' % (f, v) for f, v in zip(self._repr_names, self))
        return '%s.%s(%s)' % (type(self).__module__, type(self).__name__, parts)

    def __reduce__(self):
        extra = self.__dict__.get('_x', ()) if self._extra else ()
        return (type(self), (tuple(self), dict(zip(self._extra, extra))))


def _make_structseq(name, module, fields, extra=(), unnamed=()):
    # `fields`: names of the sequence items (repr order); items whose index is
    # in `unnamed` get no attribute. `extra`: attributes beyond the sequence.
    ns = {'__module__': module, '__qualname__': name, '_repr_names': tuple(fields), '_extra': tuple(extra),
          'n_sequence_fields': len(fields), 'n_fields': len(fields) + len(extra),
          'n_unnamed_fields': len(unnamed)}
    if not extra:
        ns['__slots__'] = ()
    for i, f in enumerate(fields):
        if i not in unnamed:
            ns[f] = property(lambda self, i=i: tuple.__getitem__(self, i))
    for i, f in enumerate(extra):
        ns[f] = property(lambda self, i=i: self.__dict__['_x'][i])
    return type(name, (_StructSeq,), ns)


stat_result = _make_structseq(
    'stat_result', 'os',
    ('st_mode', 'st_ino', 'st_dev', 'st_nlink', 'st_uid', 'st_gid', 'st_size', 'st_atime', 'st_mtime', 'st_ctime'),
    ('st_atime', 'st_mtime', 'st_ctime', 'st_atime_ns', 'st_mtime_ns', 'st_ctime_ns', 'st_blksize', 'st_blocks',
     'st_rdev'),
    unnamed=(7, 8, 9))


def _stat_fill(self, extra):
    # Float times default to the whole seconds of the sequence part.
    for i in range(3):
        if extra[i] is None:
            extra[i] = tuple.__getitem__(self, 7 + i)


stat_result._fill = staticmethod(_stat_fill)
uname_result = _make_structseq('uname_result', 'posix', ('sysname', 'nodename', 'release', 'version', 'machine'))
times_result = _make_structseq('times_result', 'posix',
                               ('user', 'system', 'children_user', 'children_system', 'elapsed'))
terminal_size = _make_structseq('terminal_size', 'os', ('columns', 'lines'))


def get_terminal_size(fd=1, /):
    return terminal_size(_terminal_size(fd))


_DT_UNKNOWN, _DT_DIR, _DT_REG, _DT_LNK = 0, 4, 8, 10


class DirEntry:
    __slots__ = ('_name', '_path', '_dtype', '_ino', '_stat', '_lstat')

    def __new__(cls, *args, **kwargs):
        raise TypeError("cannot create 'posix.DirEntry' instances")

    name = property(lambda self: self._name)
    path = property(lambda self: self._path)

    def __repr__(self):
        return f'<DirEntry {self._name!r}>'

    def __fspath__(self):
        return self._path

    def inode(self):
        return self._ino

    def is_symlink(self):
        if self._dtype != _DT_UNKNOWN:
            return self._dtype == _DT_LNK
        try:
            st = self.stat(follow_symlinks=False)
        except FileNotFoundError:
            return False
        return st.st_mode & 0o170000 == 0o120000

    def _test_mode(self, follow, fmt, dtype):
        if self._dtype != _DT_UNKNOWN and not (follow and self._dtype == _DT_LNK):
            return self._dtype == dtype
        try:
            st = self.stat(follow_symlinks=follow)
        except FileNotFoundError:
            return False
        return st.st_mode & 0o170000 == fmt

    def is_dir(self, *, follow_symlinks=True):
        return self._test_mode(follow_symlinks, 0o040000, _DT_DIR)

    def is_file(self, *, follow_symlinks=True):
        return self._test_mode(follow_symlinks, 0o100000, _DT_REG)

    def stat(self, *, follow_symlinks=True):
        if not follow_symlinks:
            if self._lstat is None:
                self._lstat = lstat(self._path)
            return self._lstat
        if self._stat is None:
            if self.is_symlink():
                self._stat = stat(self._path)
            else:
                self._stat = self.stat(follow_symlinks=False)
        return self._stat

    __class_getitem__ = classmethod(type(list[int]))


class _ScandirIterator:
    __slots__ = ('_entries',)

    def __iter__(self):
        return self

    def __next__(self):
        if self._entries:
            return self._entries.pop()
        self._entries = None
        raise StopIteration

    def close(self):
        self._entries = None

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()


_ScandirIterator.__name__ = _ScandirIterator.__qualname__ = 'ScandirIterator'


def scandir(path=None):
    top, items = _scandir(path)
    sep = b'/' if isinstance(top, bytes) else '/'
    prefix = top if top.endswith(sep) else top + sep
    entries = []
    for name, dtype, ino in reversed(items):
        e = object.__new__(DirEntry)
        e._name, e._path, e._dtype, e._ino = name, prefix + name, dtype, ino
        e._stat = e._lstat = None
        entries.append(e)
    it = object.__new__(_ScandirIterator)
    it._entries = entries
    return it
