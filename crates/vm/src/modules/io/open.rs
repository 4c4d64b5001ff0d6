//! Making file objects: `open()`, the constructors of FileIO, the Buffered*
//! classes and TextIOWrapper, `open_code`, `text_encoding`, and the standard
//! streams with CPython's buffering rules.

use super::file::{binary_mode, bm, class_of_kind, make_file, state, FileState, Kind};
use super::stream::{Handle, Stream, CHUNK};
use super::text::TextState;
use super::{split_self, IoData};
use crate::types::exception_methods::os_error_from_io;
use crate::value::Value;
use crate::{Args, NativeDef, PyResult, Vm};
use std::cell::RefCell;
use std::io::{IsTerminal, SeekFrom};
use std::rc::Rc;

// ---- open() --------------------------------------------------------------------

pub fn open(vm: &Vm, args: Args) -> PyResult {
    let names = ["file", "mode", "buffering", "encoding", "errors", "newline", "closefd", "opener"];
    let b = vm.bind_native("open", args, &names, 0, 1, None)?;
    let file = b[0].clone().unwrap();
    let mode_v = b[1].clone().unwrap_or_else(|| Value::Obj(vm.intern("r")));
    let mode = match vm.as_str(&mode_v) {
        Some(m) => m.to_string(),
        None => {
            return Err(vm.new_type_error(format!(
                "open() argument 'mode' must be str, not {}",
                vm.type_name_of(&mode_v)
            )));
        }
    };
    let buffering = match &b[2] {
        Some(v) => vm.to_index_i64(v)?,
        None => -1,
    };
    let opt_str = |i: usize, what: &str| -> PyResult<Option<String>> {
        match &b[i] {
            None | Some(Value::None) => Ok(None),
            Some(v) => match vm.as_str(v) {
                Some(s) => Ok(Some(s.to_string())),
                None => Err(vm.new_type_error(format!(
                    "open() argument '{what}' must be str or None, not {}",
                    vm.type_name_of(v)
                ))),
            },
        }
    };
    // "locale" (from io.text_encoding) is the locale's encoding: UTF-8 here.
    let encoding = opt_str(3, "encoding")?.map(|e| if e == "locale" { "UTF-8".to_string() } else { e });
    let errors = opt_str(4, "errors")?;
    let newline = opt_str(5, "newline")?;
    let closefd = match &b[6] {
        Some(v) => vm.truthy(v)?,
        None => true,
    };
    let opener = b[7].clone().filter(|o| !o.is_none());
    // Mode letters: each at most once, from "rwxabt+".
    let mut seen = String::new();
    for c in mode.chars() {
        if !"rwxabt+".contains(c) || seen.contains(c) {
            return Err(vm.new_value_error(format!("invalid mode: '{mode}'")));
        }
        seen.push(c);
    }
    let has = |c: char| seen.contains(c);
    let (binary, text_flag) = (has('b'), has('t'));
    let plus = has('+');
    let letters: Vec<char> = seen.chars().filter(|c| "rwxa".contains(*c)).collect();
    if text_flag && binary {
        return Err(vm.new_value_error("can't have text and binary mode at once"));
    }
    if letters.len() != 1 {
        return Err(vm.new_value_error("must have exactly one of create/read/write/append mode"));
    }
    let letter = letters[0];
    if binary && encoding.is_some() {
        return Err(vm.new_value_error("binary mode doesn't take an encoding argument"));
    }
    if binary && errors.is_some() {
        return Err(vm.new_value_error("binary mode doesn't take an errors argument"));
    }
    if binary && newline.is_some() {
        return Err(vm.new_value_error("binary mode doesn't take a newline argument"));
    }
    if let Some(nl) = &newline {
        if !["", "\n", "\r", "\r\n"].contains(&nl.as_str()) {
            return Err(vm.new_value_error(format!("illegal newline value: {nl}")));
        }
    }
    if !binary && buffering == 0 {
        return Err(vm.new_value_error("can't have unbuffered text I/O"));
    }
    if let Some(e) = &encoding {
        crate::types::str_codecs::lookup(vm, e)?;
    }
    let readable = letter == 'r' || plus;
    let writable = letter != 'r' || plus;
    let handle = match &opener {
        Some(o) => open_with_opener(vm, o, &file, letter, plus)?,
        None => open_handle(vm, &file, letter, plus, closefd)?,
    };
    let tty = handle.isatty(vm)?;
    let stream = Rc::new(RefCell::new(Stream::new(handle, closefd)));
    let buffer_size = if buffering > 1 { buffering as usize } else { CHUNK };
    if letter == 'a' {
        // O_APPEND writes at the end anyway; tell() should report it too.
        if let Some(h) = stream.borrow_mut().handle.as_mut() {
            let _ = h.seek(vm, SeekFrom::End(0));
        }
    }
    let base = FileState {
        kind: Kind::Raw,
        stream,
        name: Some(file.clone()),
        mode: binary_mode(readable, writable, letter),
        readable,
        writable,
        write_through: buffering == 0,
        buffer_size,
        text: None,
        raw: None,
        detached: false,
    };
    if binary {
        let kind = match (buffering == 0, readable, writable) {
            (true, _, _) => Kind::Raw,
            (_, true, true) => Kind::Random,
            (_, true, false) => Kind::Reader,
            _ => Kind::Writer,
        };
        return Ok(make_file(vm, FileState { kind, ..base }));
    }
    let text = make_file(
        vm,
        FileState {
            kind: Kind::Text,
            mode: mode.clone(),
            text: Some(new_text(
                encoding.unwrap_or_else(|| "UTF-8".to_string()),
                errors.unwrap_or_else(|| "strict".to_string()),
                newline,
                buffering == 1 || (buffering < 0 && tty),
            )),
            ..base
        },
    );
    // CPython's open() stores the mode in the wrapper's __dict__.
    vm.setattr_str(&text, "mode", vm.new_str(mode))?;
    Ok(text)
}

fn new_text(encoding: String, errors: String, newline: Option<String>, line_buffering: bool) -> TextState {
    TextState { encoding, errors, newline, decoded: String::new(), pos: 0, pending_cr: false, line_buffering, buffer: None, encoder_started: None, continuation: None }
}

/// The OS handle for a path or a file descriptor.
fn open_handle(vm: &Vm, file: &Value, letter: char, plus: bool, closefd: bool) -> PyResult<Handle> {
    if let Value::Int(fd) = file {
        return Ok(match *fd {
            0 => Handle::Stdin,
            1 => Handle::Stdout,
            2 => Handle::Stderr,
            fd if fd < 0 => return Err(vm.new_value_error("negative file descriptor")),
            fd => Handle::File(file_from_fd(vm, fd)?),
        });
    }
    let path = path_arg(vm, file)?;
    if !closefd {
        return Err(vm.new_value_error("Cannot use closefd=False with file name"));
    }
    Ok(Handle::File(open_path(vm, &path, letter, plus, file)?))
}

/// A file on an existing descriptor, as CPython's FileIO adopts one: it
/// shares the caller's open file description (offset, flags) and keeps the
/// number, so `fileno()` is `fd`. Closing follows the stream's `closefd`
/// (see `Stream`'s Drop). A bad or directory descriptor is left as it was.
fn file_from_fd(vm: &Vm, fd: i64) -> PyResult<std::fs::File> {
    use std::os::fd::{FromRawFd, IntoRawFd};
    let Ok(raw) = i32::try_from(fd) else {
        // CPython's conversion fails and the int is then taken for a path.
        return Err(vm.new_type_error("expected str, bytes or os.PathLike object, not int"));
    };
    // SAFETY: at the OS boundary (not memory safety): the File takes over the
    // descriptor number the program handed to open(), as every Python does;
    // it closes it only when the program asked for that (closefd), and on
    // the error paths below ownership is given back without closing.
    let file = unsafe { std::fs::File::from_raw_fd(raw) };
    let err = match file.metadata() {
        Ok(m) if !m.is_dir() => return Ok(file),
        Ok(_) => std::io::Error::from_raw_os_error(21),
        Err(e) => e,
    };
    let _ = file.into_raw_fd();
    let name = (err.raw_os_error() == Some(21)).then_some(Value::Int(fd));
    Err(os_error_from_io(vm, &err, name, None))
}

pub fn open_code(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("open_code", args, &["path"], 0, 1, None)?;
    let p = b[0].clone().unwrap();
    if vm.as_str(&p).is_none() {
        return Err(vm.new_type_error(format!("open_code() argument 'path' must be str, not {}", vm.type_name_of(&p))));
    }
    let mode = vm.new_str("rb");
    open(vm, Args::new(&[p, mode]))
}

pub fn text_encoding(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("text_encoding", args, &["encoding", "stacklevel"], 0, 1, None)?;
    let e = b[0].clone().unwrap();
    Ok(if e.is_none() { vm.new_str("locale") } else { e })
}

/// A path argument as text: str, bytes (UTF-8) or an os.PathLike.
/// A path argument as the OS's bytes: str (UTF-8, lone surrogates back
/// to the bytes `surrogateescape` made of them), bytes, or an os.PathLike.
fn path_arg(vm: &Vm, v: &Value) -> PyResult<std::path::PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = if let Some(s) = vm.as_str(v) {
        crate::types::str_surrogates::fs_encode(vm, v, s)?
    } else if let Some(b) = v.payload().and_then(|p| p.as_bytes()) {
        b.to_vec()
    } else {
        return fspath_arg(vm, v);
    };
    if bytes.contains(&0) {
        return Err(vm.new_value_error("embedded null byte"));
    }
    Ok(std::path::PathBuf::from(std::ffi::OsStr::from_bytes(&bytes)))
}

fn fspath_arg(vm: &Vm, v: &Value) -> PyResult<std::path::PathBuf> {
    if let Some(f) = vm.special(v, crate::types::typeobj::Slot::Fspath) {
        let r = vm.call_unbound(&f, v, &[])?;
        if vm.as_str(&r).is_some() || r.payload().and_then(|p| p.as_bytes()).is_some() {
            return path_arg(vm, &r);
        }
        return Err(vm.new_type_error(format!(
            "expected {}.__fspath__() to return str or bytes, not {}",
            vm.type_name_of(v),
            vm.type_name_of(&r)
        )));
    }
    Err(vm.new_type_error(format!("expected str, bytes or os.PathLike object, not {}", vm.type_name_of(v))))
}

/// `open(..., opener=f)`: `f(file, flags)` gives the descriptor to use.
fn open_with_opener(vm: &Vm, opener: &Value, file: &Value, letter: char, plus: bool) -> PyResult<Handle> {
    // Linux O_* values, as CPython's FileIO computes them.
    let access = if plus { 0o2 } else if letter == 'r' { 0 } else { 0o1 };
    let extra = match letter {
        'w' => 0o100 | 0o1000,
        'a' => 0o100 | 0o2000,
        'x' => 0o100 | 0o200,
        _ => 0,
    };
    let flags = access | extra | 0o2000000;
    let r = vm.call(opener, Args::new(&[file.clone(), Value::Int(flags)]))?;
    let fd = match r {
        Value::Int(fd) => fd,
        _ => return Err(vm.new_type_error("expected integer from opener")),
    };
    if fd < 0 {
        return Err(vm.new_value_error(format!("opener returned {fd}")));
    }
    open_handle(vm, &Value::Int(fd), letter, plus, true)
}

fn open_path(vm: &Vm, path: &std::path::Path, letter: char, plus: bool, name: &Value) -> PyResult<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    match letter {
        'r' => o.read(true).write(plus),
        // An existing descriptor opened for writing (see `open_handle`).
        'u' => o.write(true).read(plus),
        'w' => o.write(true).create(true).truncate(true).read(plus),
        'a' => o.append(true).create(true).read(plus),
        _ => o.write(true).create_new(true).read(plus),
    };
    // Opening a FIFO waits for the other end: the GIL is released.
    let f = vm.allow_threads(|| o.open(path)).map_err(|e| os_error_from_io(vm, &e, Some(name.clone()), None))?;
    // Linux lets a directory be opened for reading; CPython refuses with EISDIR.
    if f.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(os_error_from_io(vm, &std::io::Error::from_raw_os_error(21), Some(name.clone()), None));
    }
    Ok(f)
}

// ---- constructors --------------------------------------------------------------

/// A placeholder state for `__new__`; `__init__` replaces it.
fn blank(kind: Kind) -> FileState {
    let mut s = Stream::new(Handle::Stdin, false);
    s.handle = None;
    s.closed = true;
    FileState {
        kind,
        stream: Rc::new(RefCell::new(s)),
        name: None,
        mode: String::new(),
        readable: false,
        writable: false,
        write_through: false,
        buffer_size: CHUNK,
        text: None,
        raw: None,
        detached: false,
    }
}

fn new_of(vm: &Vm, args: Args, kind: Kind) -> PyResult {
    let base = class_of_kind(vm, kind);
    let cls = crate::types::object::new_target(vm, &vm.type_name(base), &args, base)?;
    Ok(super::new_io_object(&cls, IoData::File(RefCell::new(blank(kind)))))
}
fn fileio_new(vm: &Vm, args: Args) -> PyResult {
    new_of(vm, args, Kind::Raw)
}
fn reader_new(vm: &Vm, args: Args) -> PyResult {
    new_of(vm, args, Kind::Reader)
}
fn writer_new(vm: &Vm, args: Args) -> PyResult {
    new_of(vm, args, Kind::Writer)
}
fn random_new(vm: &Vm, args: Args) -> PyResult {
    new_of(vm, args, Kind::Random)
}
fn text_new(vm: &Vm, args: Args) -> PyResult {
    new_of(vm, args, Kind::Text)
}

fn install(vm: &Vm, v: &Value, st: FileState) -> PyResult {
    *bm(vm, state(vm, v)?)? = st;
    Ok(Value::None)
}

fn fileio_init(vm: &Vm, args: Args) -> PyResult {
    let (v, rest) = split_self(vm, args)?;
    let b = vm.bind_native("FileIO", rest, &["file", "mode", "closefd", "opener"], 0, 1, None)?;
    let file = b[0].clone().unwrap();
    if matches!(file, Value::Float(_)) {
        return Err(vm.new_type_error("integer argument expected, got float"));
    }
    let mode = match &b[1] {
        None => "r".to_string(),
        Some(m) => vm.as_str(m).map(str::to_string).ok_or_else(|| {
            vm.new_type_error(format!("FileIO() argument 'mode' must be str, not {}", vm.type_name_of(m)))
        })?,
    };
    let closefd = match &b[2] {
        Some(c) => vm.truthy(c)?,
        None => true,
    };
    let (mut letter, mut plus, mut count) = ('r', false, 0);
    for c in mode.chars() {
        match c {
            'r' | 'w' | 'x' | 'a' => {
                letter = c;
                count += 1;
            }
            '+' if !plus => plus = true,
            'b' => {}
            _ => return Err(vm.new_value_error(format!("invalid mode: {mode}"))),
        }
    }
    if count != 1 || mode.matches('+').count() > 1 {
        return Err(vm.new_value_error("Must have exactly one of create/read/write/append mode and at most one plus"));
    }
    let handle = open_handle(vm, &file, letter, plus, closefd)?;
    let readable = letter == 'r' || plus;
    let writable = letter != 'r' || plus;
    let stream = Rc::new(RefCell::new(Stream::new(handle, closefd)));
    install(
        vm,
        v,
        FileState {
            stream,
            name: Some(file),
            mode: binary_mode(readable, writable, letter),
            readable,
            writable,
            write_through: true,
            ..blank(Kind::Raw)
        },
    )
}

/// The stream of a native object below (shared), or a Python stand-in.
fn stream_over(vm: &Vm, below: &Value) -> PyResult<(Rc<RefCell<Stream>>, bool, bool, String)> {
    if let Some(IoData::File(f)) = super::io_data(below) {
        let st = super::file::br(vm, f)?;
        if st.text.is_none() && !st.detached {
            return Ok((st.stream.clone(), st.readable, st.writable, st.mode.clone()));
        }
    }
    let r = vm.call_method(below, "readable", &[])?;
    let w = vm.call_method(below, "writable", &[])?;
    let stream = Rc::new(RefCell::new(Stream::new(Handle::Py(below.clone()), true)));
    Ok((stream, vm.truthy(&r)?, vm.truthy(&w)?, String::new()))
}

fn buffered_init(vm: &Vm, args: Args, kind: Kind, name: &str) -> PyResult {
    let (v, rest) = split_self(vm, args)?;
    let b = vm.bind_native(name, rest, &["raw", "buffer_size"], 0, 1, None)?;
    let raw = b[0].clone().unwrap();
    let size = match &b[1] {
        Some(s) => vm.to_index_i64(s)?,
        None => CHUNK as i64,
    };
    let (stream, readable, writable, mode) = stream_over(vm, &raw)?;
    if matches!(kind, Kind::Reader | Kind::Random) && !readable {
        return Err(super::unsupported(vm, "File or stream is not readable."));
    }
    if matches!(kind, Kind::Writer | Kind::Random) && !writable {
        return Err(super::unsupported(vm, "File or stream is not writable."));
    }
    if size <= 0 {
        return Err(vm.new_value_error("buffer size must be strictly positive"));
    }
    install(
        vm,
        v,
        FileState {
            stream,
            mode,
            readable: kind != Kind::Writer,
            writable: kind != Kind::Reader,
            buffer_size: size as usize,
            raw: Some(raw),
            ..blank(kind)
        },
    )
}
fn reader_init(vm: &Vm, args: Args) -> PyResult {
    buffered_init(vm, args, Kind::Reader, "BufferedReader")
}
fn writer_init(vm: &Vm, args: Args) -> PyResult {
    buffered_init(vm, args, Kind::Writer, "BufferedWriter")
}
fn random_init(vm: &Vm, args: Args) -> PyResult {
    buffered_init(vm, args, Kind::Random, "BufferedRandom")
}

fn text_init(vm: &Vm, args: Args) -> PyResult {
    let (v, rest) = split_self(vm, args)?;
    let names = ["buffer", "encoding", "errors", "newline", "line_buffering", "write_through"];
    let b = vm.bind_native("TextIOWrapper", rest, &names, 0, 1, None)?;
    let buffer = b[0].clone().unwrap();
    let opt = |i: usize, what: &str| -> PyResult<Option<String>> {
        match &b[i] {
            None | Some(Value::None) => Ok(None),
            Some(x) => vm.as_str(x).map(|s| Some(s.to_string())).ok_or_else(|| {
                vm.new_type_error(format!("TextIOWrapper() argument '{what}' must be str or None, not {}", vm.type_name_of(x)))
            }),
        }
    };
    let mut encoding = opt(1, "encoding")?.unwrap_or_else(|| "UTF-8".to_string());
    if encoding == "locale" {
        encoding = "UTF-8".to_string();
    }
    crate::types::str_codecs::lookup(vm, &encoding)?;
    let errors = opt(2, "errors")?.unwrap_or_else(|| "strict".to_string());
    let newline = opt(3, "newline")?;
    if let Some(nl) = &newline {
        if !["", "\n", "\r", "\r\n"].contains(&nl.as_str()) {
            return Err(vm.new_value_error(format!("illegal newline value: {nl}")));
        }
    }
    let flag = |i: usize| -> PyResult<bool> { b[i].as_ref().map_or(Ok(false), |x| vm.truthy(x)) };
    let (line_buffering, write_through) = (flag(4)?, flag(5)?);
    let (stream, readable, writable, _) = stream_over(vm, &buffer)?;
    let mut text = new_text(encoding, errors, newline, line_buffering);
    text.buffer = Some(buffer);
    install(vm, v, FileState { stream, readable, writable, write_through, text: Some(text), ..blank(Kind::Text) })
}

static FILEIO_METHODS: [NativeDef; 2] =
    [NativeDef::staticmethod("__new__", fileio_new), NativeDef::method("__init__", fileio_init)];
static READER_METHODS: [NativeDef; 2] =
    [NativeDef::staticmethod("__new__", reader_new), NativeDef::method("__init__", reader_init)];
static WRITER_METHODS: [NativeDef; 2] =
    [NativeDef::staticmethod("__new__", writer_new), NativeDef::method("__init__", writer_init)];
static RANDOM_METHODS: [NativeDef; 2] =
    [NativeDef::staticmethod("__new__", random_new), NativeDef::method("__init__", random_init)];
static TEXT_METHODS: [NativeDef; 2] =
    [NativeDef::staticmethod("__new__", text_new), NativeDef::method("__init__", text_init)];

pub fn init(vm: &Vm) {
    use crate::types::add_methods;
    let t = &vm.types;
    add_methods(vm, &t.file_io, &FILEIO_METHODS);
    add_methods(vm, &t.buffered_reader, &READER_METHODS);
    add_methods(vm, &t.buffered_writer, &WRITER_METHODS);
    add_methods(vm, &t.buffered_random, &RANDOM_METHODS);
    add_methods(vm, &t.text_io_wrapper, &TEXT_METHODS);
}

// ---- standard streams ----------------------------------------------------------

fn std_stream(vm: &Vm, handle: Handle, name: &str, readable: bool, line_buffering: bool, write_through: bool, errors: &str) -> Value {
    let stream = Rc::new(RefCell::new(Stream::new(handle, false)));
    let v = make_file(
        vm,
        FileState {
            kind: Kind::Text,
            stream,
            name: Some(vm.new_str(name)),
            mode: if readable { "rb" } else { "wb" }.to_string(),
            readable,
            writable: !readable,
            write_through,
            buffer_size: CHUNK,
            text: Some(new_text("utf-8".to_string(), errors.to_string(), None, line_buffering)),
            raw: None,
            detached: false,
        },
    );
    let _ = vm.setattr_str(&v, "mode", vm.new_str(if readable { "r" } else { "w" }));
    v
}

/// `sys.stdin`, `sys.stdout`, `sys.stderr`: stdout is line-buffered on a
/// terminal and block-buffered otherwise; stderr is line-buffered; `-u`
/// makes both write through.
pub fn make_std_streams(vm: &Vm) -> (Value, Value, Value) {
    let unbuffered = vm.config.unbuffered;
    let tty = std::io::stdout().is_terminal();
    let errors = stdio_errors(vm);
    let stdin = std_stream(vm, Handle::Stdin, "<stdin>", true, false, false, &errors);
    let stdout = std_stream(vm, Handle::Stdout, "<stdout>", false, tty, unbuffered, &errors);
    let stderr = std_stream(vm, Handle::Stderr, "<stderr>", false, true, unbuffered, "backslashreplace");
    (stdin, stdout, stderr)
}

/// The error handler of stdin and stdout, as CPython chooses it: the
/// `:errors` part of PYTHONIOENCODING, else `surrogateescape` in the C and
/// POSIX locales and the UTF-8 locales CPython coerces those to (PEP 538),
/// else `strict`.
fn stdio_errors(vm: &Vm) -> String {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    if !vm.config.ignore_environment {
        if let Some(errors) = env("PYTHONIOENCODING").and_then(|v| v.split_once(':').map(|(_, e)| e.to_string())) {
            if !errors.is_empty() {
                return errors;
            }
        }
    }
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"].iter().find_map(|k| env(k)).unwrap_or_else(|| "C".to_string());
    let legacy = matches!(locale.as_str(), "C" | "POSIX" | "C.UTF-8" | "C.utf8" | "UTF-8");
    if legacy { "surrogateescape" } else { "strict" }.to_string()
}

/// Flushes `sys.stdout` and `sys.stderr` (at exit). Errors of stdout are
/// returned (CPython then reports them and exits with 120).
pub fn flush_std_streams(vm: &Vm) -> PyResult<()> {
    let mut result = Ok(());
    for name in ["stdout", "stderr"] {
        if let Some(f) = crate::modules::sys::sys_attr(vm, name).filter(|f| !f.is_none()) {
            let closed = vm.getattr_str(&f, "closed").and_then(|c| vm.truthy(&c)).unwrap_or(false);
            let r = if closed { Ok(()) } else { vm.call_method(&f, "flush", &[]).map(|_| ()) };
            if name == "stdout" {
                result = r;
            }
        }
    }
    result
}

/// Writes `s` natively when `file` is exactly a TextIOWrapper (print's fast
/// path); None when `file` is anything else.
pub fn fast_write(vm: &Vm, file: &Value, s: &str) -> Option<PyResult<()>> {
    if !vm.class_of(file).is(&vm.types.text_io_wrapper) {
        return None;
    }
    let f = match super::io_data(file) {
        Some(IoData::File(f)) => f,
        _ => return None,
    };
    Some(super::file::write_text(vm, f, &vm.new_str(s), s))
}
