//! The `_stat` module: the file mode constants and tests that `stat.py`
//! takes over from its pure-Python definitions, and `filemode`, whose
//! native version marks a mode of no known file type with '?' (the
//! Python fallback prints '-'; `tarfile`'s listings show the difference).

use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};

/// A mode argument (`_PyLong_AsMode_t`): an int from 0 to 2**32 - 1.
fn mode_arg(vm: &Vm, fname: &str, args: &Args) -> PyResult<u32> {
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("_stat.{fname}() takes no keyword arguments")));
    }
    let [v] = args.args else {
        return Err(vm.new_type_error(format!("_stat.{fname}() takes exactly one argument ({} given)", args.args.len())));
    };
    if !krait_vm::types::int::is_int(v) {
        return Err(vm.new_type_error("an integer is required"));
    }
    match vm.index(v)? {
        Value::Int(i) if i < 0 => Err(vm.new_overflow_error("can't convert negative value to unsigned int")),
        Value::Int(i) => u32::try_from(i).map_err(|_| vm.new_overflow_error("mode out of range")),
        Value::Bool(b) => Ok(b as u32),
        big => match big.as_obj().and_then(|o| o.payload.as_int()) {
            Some(b) if b.sign() == dashu_int::Sign::Negative => {
                Err(vm.new_overflow_error("can't convert negative value to unsigned int"))
            }
            _ => Err(vm.new_overflow_error("Python int too large to convert to C unsigned long")),
        },
    }
}

const S_IFMT: u32 = libc::S_IFMT;

macro_rules! type_tests {
    ($($fname:ident, $name:literal, $bits:expr;)*) => {
        $(fn $fname(vm: &Vm, args: Args) -> PyResult {
            let mode = mode_arg(vm, $name, &args)?;
            let bits: Option<u32> = $bits;
            Ok(Value::Bool(bits.is_some_and(|b| mode & S_IFMT == b)))
        })*
    };
}

// Doors, event ports and whiteouts do not exist on Linux: never true.
type_tests! {
    s_isdir, "S_ISDIR", Some(libc::S_IFDIR);
    s_ischr, "S_ISCHR", Some(libc::S_IFCHR);
    s_isblk, "S_ISBLK", Some(libc::S_IFBLK);
    s_isreg, "S_ISREG", Some(libc::S_IFREG);
    s_isfifo, "S_ISFIFO", Some(libc::S_IFIFO);
    s_islnk, "S_ISLNK", Some(libc::S_IFLNK);
    s_issock, "S_ISSOCK", Some(libc::S_IFSOCK);
    s_isdoor, "S_ISDOOR", None;
    s_isport, "S_ISPORT", None;
    s_iswht, "S_ISWHT", None;
}

fn s_imode(vm: &Vm, args: Args) -> PyResult {
    Ok(Value::Int((mode_arg(vm, "S_IMODE", &args)? & 0o7777) as i64))
}

fn s_ifmt(vm: &Vm, args: Args) -> PyResult {
    Ok(Value::Int((mode_arg(vm, "S_IFMT", &args)? & S_IFMT) as i64))
}

/// `-rwxr-xr-x` for a mode, as `ls -l` shows it.
fn filemode(vm: &Vm, args: Args) -> PyResult {
    let mode = mode_arg(vm, "filemode", &args)?;
    let kind = match mode & S_IFMT {
        libc::S_IFREG => '-',
        libc::S_IFDIR => 'd',
        libc::S_IFLNK => 'l',
        libc::S_IFCHR => 'c',
        libc::S_IFBLK => 'b',
        libc::S_IFIFO => 'p',
        libc::S_IFSOCK => 's',
        _ => '?',
    };
    let bit = |m: u32, c: char| if mode & m != 0 { c } else { '-' };
    // The execute position shows set-id and sticky bits: lowercase with
    // execute permission, uppercase without.
    let exec = |x: u32, special: u32, with: char, without: char| match (mode & x != 0, mode & special != 0) {
        (true, true) => with,
        (false, true) => without,
        (true, false) => 'x',
        (false, false) => '-',
    };
    let s: String = [
        kind,
        bit(libc::S_IRUSR, 'r'),
        bit(libc::S_IWUSR, 'w'),
        exec(libc::S_IXUSR, libc::S_ISUID, 's', 'S'),
        bit(libc::S_IRGRP, 'r'),
        bit(libc::S_IWGRP, 'w'),
        exec(libc::S_IXGRP, libc::S_ISGID, 's', 'S'),
        bit(libc::S_IROTH, 'r'),
        bit(libc::S_IWOTH, 'w'),
        exec(libc::S_IXOTH, libc::S_ISVTX, 't', 'T'),
    ]
    .iter()
    .collect();
    Ok(vm.new_str(s))
}

static FUNCS: [NativeDef; 13] = [
    NativeDef::function("S_ISDIR", s_isdir),
    NativeDef::function("S_ISCHR", s_ischr),
    NativeDef::function("S_ISBLK", s_isblk),
    NativeDef::function("S_ISREG", s_isreg),
    NativeDef::function("S_ISFIFO", s_isfifo),
    NativeDef::function("S_ISLNK", s_islnk),
    NativeDef::function("S_ISSOCK", s_issock),
    NativeDef::function("S_ISDOOR", s_isdoor),
    NativeDef::function("S_ISPORT", s_isport),
    NativeDef::function("S_ISWHT", s_iswht),
    NativeDef::function("S_IMODE", s_imode),
    NativeDef::function("S_IFMT", s_ifmt),
    NativeDef::function("filemode", filemode),
];

const MODULE_DOC: &str = "File mode constants and tests (S_IS*), and filemode(), for the stat module.";

pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let m = |v: u32| v as i64;
    let consts: [(&str, i64); 51] = [
        ("S_IFDIR", m(libc::S_IFDIR)),
        ("S_IFCHR", m(libc::S_IFCHR)),
        ("S_IFBLK", m(libc::S_IFBLK)),
        ("S_IFREG", m(libc::S_IFREG)),
        ("S_IFIFO", m(libc::S_IFIFO)),
        ("S_IFLNK", m(libc::S_IFLNK)),
        ("S_IFSOCK", m(libc::S_IFSOCK)),
        ("S_IFDOOR", 0),
        ("S_IFPORT", 0),
        ("S_IFWHT", 0),
        ("S_ISUID", m(libc::S_ISUID)),
        ("S_ISGID", m(libc::S_ISGID)),
        ("S_ISVTX", m(libc::S_ISVTX)),
        // Mandatory locking: set-group-id without group execute.
        ("S_ENFMT", m(libc::S_ISGID)),
        ("S_IREAD", m(libc::S_IRUSR)),
        ("S_IWRITE", m(libc::S_IWUSR)),
        ("S_IEXEC", m(libc::S_IXUSR)),
        ("S_IRWXU", m(libc::S_IRWXU)),
        ("S_IRUSR", m(libc::S_IRUSR)),
        ("S_IWUSR", m(libc::S_IWUSR)),
        ("S_IXUSR", m(libc::S_IXUSR)),
        ("S_IRWXG", m(libc::S_IRWXG)),
        ("S_IRGRP", m(libc::S_IRGRP)),
        ("S_IWGRP", m(libc::S_IWGRP)),
        ("S_IXGRP", m(libc::S_IXGRP)),
        ("S_IRWXO", m(libc::S_IRWXO)),
        ("S_IROTH", m(libc::S_IROTH)),
        ("S_IWOTH", m(libc::S_IWOTH)),
        ("S_IXOTH", m(libc::S_IXOTH)),
        // BSD file flags (`st_flags`), as CPython defines them everywhere.
        ("UF_NODUMP", 0x1),
        ("UF_IMMUTABLE", 0x2),
        ("UF_APPEND", 0x4),
        ("UF_OPAQUE", 0x8),
        ("UF_NOUNLINK", 0x10),
        ("UF_COMPRESSED", 0x20),
        ("UF_HIDDEN", 0x8000),
        ("SF_ARCHIVED", 0x1_0000),
        ("SF_IMMUTABLE", 0x2_0000),
        ("SF_APPEND", 0x4_0000),
        ("SF_NOUNLINK", 0x10_0000),
        ("SF_SNAPSHOT", 0x20_0000),
        // Indexes into the tuple form of a stat result.
        ("ST_MODE", 0),
        ("ST_INO", 1),
        ("ST_DEV", 2),
        ("ST_NLINK", 3),
        ("ST_UID", 4),
        ("ST_GID", 5),
        ("ST_SIZE", 6),
        ("ST_ATIME", 7),
        ("ST_MTIME", 8),
        ("ST_CTIME", 9),
    ];
    let attrs = consts.iter().map(|&(n, v)| (n, Value::Int(v))).collect();
    Ok(crate::native::make_module(vm, "_stat", MODULE_DOC, &FUNCS, attrs))
}
