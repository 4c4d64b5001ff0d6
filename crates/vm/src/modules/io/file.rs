//! FileIO, BufferedReader/Writer/Random and TextIOWrapper: one native state
//! (`FileState`) over a shared `Stream`, with the text layer in `text.rs`.
//! The methods are those of CPython's classes; which ones a class has is
//! decided in `init`. Buffering follows CPython: flushed by `flush()`,
//! `close()`, a full buffer, a newline when line-buffered, and at exit.
//!
//! No RefCell borrow is held while Python code can run, except around a
//! Python stand-in's own methods (`Handle::Py`); re-entering the same file
//! from those raises RuntimeError instead of panicking.

use super::stream::{Stream, CHUNK};
use super::text::*;
use super::{closed_error, split_self, unsupported, IoData};
use crate::payload::GetSetDef;
use crate::value::Value;
use crate::{Args, NativeDef, PyResult, Vm};
use std::cell::{Ref, RefCell, RefMut};
use std::io::SeekFrom;
use std::rc::Rc;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Reader,
    Writer,
    Random,
    Raw,
}

pub struct FileState {
    pub kind: Kind,
    pub stream: Rc<RefCell<Stream>>,
    /// The `name` (None: ask the object below, as for a TextIOWrapper over a BytesIO).
    pub name: Option<Value>,
    pub mode: String,
    pub readable: bool,
    pub writable: bool,
    /// Write to the OS at every write (`buffering=0`, `-u`).
    pub write_through: bool,
    pub buffer_size: usize,
    pub text: Option<TextState>,
    /// The object below: `.raw` of a buffered object (made on first use when
    /// the chain came from `open()`).
    pub raw: Option<Value>,
    /// `detach()` was called: the object is unusable.
    pub detached: bool,
}

// ---- helpers ----------------------------------------------------------------

pub fn state<'a>(vm: &Vm, v: &'a Value) -> PyResult<&'a RefCell<FileState>> {
    match super::io_data(v) {
        Some(IoData::File(f)) => Ok(f),
        _ => Err(vm.new_type_error(format!("descriptor requires a file object but received '{}'", vm.type_name_of(v)))),
    }
}

pub fn reentrant(vm: &Vm) -> crate::PyErr {
    vm.new_runtime_error("reentrant call inside file object")
}

/// A borrow: one held by another thread that let go of the GIL is waited
/// for (see stream.rs), one held by this thread is a re-entrant call.
fn take<B, E>(vm: &Vm, mut borrow: impl FnMut() -> Result<B, E>) -> PyResult<B> {
    loop {
        if let Ok(b) = borrow() {
            return Ok(b);
        }
        if !super::stream::wait_for_holder(vm) {
            return Err(reentrant(vm));
        }
    }
}

pub fn bm<'a>(vm: &Vm, f: &'a RefCell<FileState>) -> PyResult<RefMut<'a, FileState>> {
    take(vm, || f.try_borrow_mut())
}
pub fn br<'a>(vm: &Vm, f: &'a RefCell<FileState>) -> PyResult<Ref<'a, FileState>> {
    take(vm, || f.try_borrow())
}
pub fn sm<'a>(vm: &Vm, s: &'a RefCell<Stream>) -> PyResult<RefMut<'a, Stream>> {
    take(vm, || s.try_borrow_mut())
}
pub fn sr<'a>(vm: &Vm, s: &'a RefCell<Stream>) -> PyResult<Ref<'a, Stream>> {
    take(vm, || s.try_borrow())
}

fn this<'a>(vm: &Vm, args: &Args<'a>) -> PyResult<&'a Value> {
    args.args.first().ok_or_else(|| vm.new_type_error("file method needs an argument"))
}

fn is_closed(st: &FileState) -> bool {
    st.stream.try_borrow().map_or(false, |s| s.closed)
}

/// Checks the file is open (and readable/writable when asked).
fn check(vm: &Vm, st: &FileState, need_read: bool, need_write: bool) -> PyResult<()> {
    if is_closed(st) {
        return Err(closed_error(vm));
    }
    if need_read && !st.readable {
        return Err(unsupported(vm, if st.kind == Kind::Text { "not readable" } else { "read" }));
    }
    if need_write && !st.writable {
        return Err(unsupported(vm, if st.kind == Kind::Text { "not writable" } else { "write" }));
    }
    Ok(())
}

/// Before writing after reading: move the OS position back over what was read ahead.
fn drop_read_ahead(vm: &Vm, st: &mut FileState) -> PyResult<()> {
    let text_pending = st.text.as_ref().map_or(0, |t| t.decoded.len() - t.pos + t.pending_cr as usize);
    let mut s = sm(vm, &st.stream)?;
    let back = s.unread() + text_pending;
    if back > 0 {
        if let Some(h) = s.handle.as_mut() {
            h.seek(vm, SeekFrom::Current(-(back as i64)))?;
        }
    }
    s.read_buf.clear();
    s.read_pos = 0;
    drop(s);
    if let Some(t) = st.text.as_mut() {
        t.decoded.clear();
        t.pos = 0;
        t.pending_cr = false;
    }
    Ok(())
}

fn flush_state(vm: &Vm, st: &FileState) -> PyResult<()> {
    sm(vm, &st.stream)?.flush_raw(vm)
}

/// Appends bytes to the write buffer and flushes per the buffering policy.
fn write_bytes(vm: &Vm, st: &mut FileState, data: &[u8], has_newline: bool) -> PyResult<()> {
    if st.readable {
        drop_read_ahead(vm, st)?;
    }
    let line = st.text.as_ref().map_or(false, |t| t.line_buffering);
    let mut s = sm(vm, &st.stream)?;
    s.write_buf.extend_from_slice(data);
    if st.write_through || (line && has_newline) || s.write_buf.len() >= st.buffer_size {
        s.flush_raw(vm)?;
    }
    Ok(())
}

// ---- binary reading ---------------------------------------------------------

fn bin_read(vm: &Vm, st: &FileState, n: i64) -> PyResult<Vec<u8>> {
    let mut s = sm(vm, &st.stream)?;
    if n < 0 {
        while s.fill(vm, CHUNK * 8)? > 0 {}
        let all = s.unread();
        return Ok(s.take_bytes(all));
    }
    let n = n as usize;
    if st.kind == Kind::Raw {
        // FileIO.read(n): one system call.
        if s.unread() == 0 {
            s.fill(vm, n)?;
        }
        return Ok(s.take_bytes(n));
    }
    while s.unread() < n {
        let want = CHUNK.max(n - s.unread());
        if s.fill(vm, want)? == 0 {
            break;
        }
    }
    Ok(s.take_bytes(n))
}

fn bin_readline(vm: &Vm, st: &FileState, limit: i64) -> PyResult<Vec<u8>> {
    let mut s = sm(vm, &st.stream)?;
    let mut scanned = 0;
    loop {
        let avail = &s.read_buf[s.read_pos..];
        if let Some(i) = avail[scanned..].iter().position(|&b| b == b'\n') {
            let end = scanned + i + 1;
            let end = if limit >= 0 { end.min(limit as usize) } else { end };
            return Ok(s.take_bytes(end));
        }
        scanned = avail.len();
        if limit >= 0 && scanned >= limit as usize {
            return Ok(s.take_bytes(limit as usize));
        }
        if s.fill(vm, CHUNK)? == 0 {
            let n = s.unread();
            return Ok(s.take_bytes(n));
        }
    }
}

// ---- methods -----------------------------------------------------------------

/// The state of `self`, borrowed mutably and checked usable.
fn usable<'a>(vm: &Vm, v: &'a Value) -> PyResult<RefMut<'a, FileState>> {
    let st = bm(vm, state(vm, v)?)?;
    if st.detached {
        return Err(vm.new_value_error(if st.kind == Kind::Text {
            "underlying buffer has been detached"
        } else {
            "raw stream has been detached"
        }));
    }
    Ok(st)
}

/// CPython's closed-file message, which depends on the class and the operation.
fn closed_for(vm: &Vm, st: &FileState, op: &str) -> PyResult<()> {
    if !is_closed(st) {
        return Ok(());
    }
    Err(vm.new_value_error(match st.kind {
        Kind::Text => "I/O operation on closed file.".to_string(),
        Kind::Raw => "I/O operation on closed file".to_string(),
        _ if op == "write" => "write to closed file".to_string(),
        _ if op == "tell" || op == "fileno" => "I/O operation on closed file".to_string(),
        _ if op == "flush" => "I/O operation on closed file.".to_string(),
        _ => format!("{op} of closed file"),
    }))
}

fn one_size(vm: &Vm, args: Args, name: &str) -> PyResult<(Value, i64)> {
    let (v, rest) = split_self(vm, args)?;
    let b = vm.bind_native(name, rest, &["size"], 1, 0, None)?;
    Ok((v.clone(), super::size_arg(vm, b[0].as_ref())?))
}

fn m_read(vm: &Vm, args: Args) -> PyResult {
    let (v, n) = one_size(vm, args, "read")?;
    let mut st = usable(vm, &v)?;
    closed_for(vm, &st, "read")?;
    check(vm, &st, true, false)?;
    flush_state(vm, &st)?;
    if st.text.is_some() {
        let s = text_read(vm, &mut st, n)?;
        return Ok(vm.new_str(s));
    }
    let b = bin_read(vm, &st, n)?;
    Ok(vm.new_bytes(b))
}

fn m_readline(vm: &Vm, args: Args) -> PyResult {
    let (v, n) = one_size(vm, args, "readline")?;
    let mut st = usable(vm, &v)?;
    closed_for(vm, &st, "readline")?;
    check(vm, &st, true, false)?;
    flush_state(vm, &st)?;
    if st.text.is_some() {
        let s = text_readline(vm, &mut st, n)?;
        return Ok(vm.new_str(s));
    }
    let b = bin_readline(vm, &st, n)?;
    Ok(vm.new_bytes(b))
}

fn m_readlines(vm: &Vm, args: Args) -> PyResult {
    let (v, hint) = one_size(vm, args, "readlines")?;
    let mut st = usable(vm, &v)?;
    check(vm, &st, true, false)?;
    flush_state(vm, &st)?;
    let (mut out, mut total) = (Vec::new(), 0usize);
    loop {
        let (v, n) = if st.text.is_some() {
            let s = text_readline(vm, &mut st, -1)?;
            let n = s.chars().count();
            (vm.new_str(s), n)
        } else {
            let b = bin_readline(vm, &st, -1)?;
            let n = b.len();
            (vm.new_bytes(b), n)
        };
        if n == 0 {
            break;
        }
        out.push(v);
        total += n;
        if hint > 0 && total >= hint as usize {
            break;
        }
    }
    Ok(vm.new_list(out))
}

/// `readinto(b)`: reads up to len(b) bytes into a bytearray.
fn m_readinto(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("readinto", args, 2, 2)?;
    let len = super::readinto_len(vm, &args.args[1])?;
    let data = {
        let st = usable(vm, &args.args[0])?;
        closed_for(vm, &st, "readinto")?;
        check(vm, &st, true, false)?;
        flush_state(vm, &st)?;
        bin_read(vm, &st, len as i64)?
    };
    // Read into our own buffer with the GIL released, then copy what still fits.
    let n = super::readinto_store(vm, &args.args[1], &data)?;
    Ok(Value::Int(n as i64))
}

/// `peek(size)`: the buffered bytes without consuming them (at least one
/// read's worth when the buffer is empty).
fn m_peek(vm: &Vm, args: Args) -> PyResult {
    let v = this(vm, &args)?;
    let st = usable(vm, v)?;
    closed_for(vm, &st, "peek")?;
    check(vm, &st, true, false)?;
    flush_state(vm, &st)?;
    let mut s = sm(vm, &st.stream)?;
    if s.unread() == 0 {
        s.fill(vm, CHUNK)?;
    }
    Ok(vm.new_bytes(s.read_buf[s.read_pos..].to_vec()))
}

/// The encoding that goes on from where `name` started: the codecs that
/// open with a byte-order mark write it only at the start of a stream.
fn continuation_encoding(vm: &Vm, name: &str) -> PyResult<Option<&'static str>> {
    use crate::types::str_codecs::Codec;
    let little = cfg!(target_endian = "little");
    Ok(match crate::types::str_codecs::lookup(vm, name)? {
        Codec::Utf16 { bom: true, .. } => Some(if little { "utf-16-le" } else { "utf-16-be" }),
        Codec::Utf32 { bom: true, .. } => Some(if little { "utf-32-le" } else { "utf-32-be" }),
        Codec::Registry if name.to_ascii_lowercase().replace(['-', ' '], "_") == "utf_8_sig" => Some("utf-8"),
        _ => None,
    })
}

/// Encodes text for a text file in `encoding` (newline translation on
/// output included).
fn encode_text(vm: &Vm, t: &TextState, s: &Value, text: &str, encoding: &str) -> PyResult<Vec<u8>> {
    if crate::types::str_surrogates::surrogate_str(s).is_some() {
        // Lone surrogates go through the error handler (surrogateescape
        // writes the bytes they stand for); newlines are translated after.
        let data = crate::types::str_codecs::encode(vm, s, text, encoding, &t.errors)?;
        return Ok(match t.newline.as_deref() {
            Some(nl @ ("\r" | "\r\n")) => {
                data.iter().flat_map(|&b| if b == b'\n' { nl.as_bytes().to_vec() } else { vec![b] }).collect()
            }
            _ => data,
        });
    }
    let translated;
    let text = match t.newline.as_deref() {
        Some(nl @ ("\r" | "\r\n")) if text.contains('\n') => {
            translated = text.replace('\n', nl);
            translated.as_str()
        }
        _ => text,
    };
    if encoding.eq_ignore_ascii_case("utf-8") || encoding.eq_ignore_ascii_case("utf8") {
        return Ok(text.as_bytes().to_vec());
    }
    crate::types::str_codecs::encode(vm, s, text, encoding, &t.errors)
}

pub fn write_text(vm: &Vm, f: &RefCell<FileState>, sv: &Value, s: &str) -> PyResult<()> {
    let mut st = bm(vm, f)?;
    check(vm, &st, false, true)?;
    let t = st.text.as_mut().unwrap();
    if t.continuation.is_none() {
        t.continuation = Some(continuation_encoding(vm, &t.encoding)?);
    }
    // Only a codec that opens with a byte-order mark cares where the
    // stream is; a stream not at its start (appending, a wrapper over a
    // written buffer) has its mark already, an unseekable one starts here.
    let bom_free = t.continuation.flatten();
    let started = match (bom_free, t.encoder_started) {
        (None, _) => true,
        (Some(_), Some(b)) => b,
        (Some(_), None) => tell_state(vm, &st).map_or(false, |p| p != 0),
    };
    let t = st.text.as_ref().unwrap();
    let encoding = match bom_free {
        Some(e) if started => e,
        _ => t.encoding.as_str(),
    };
    // Nothing written starts nothing: '' would encode to a lone mark.
    let data = if s.is_empty() { Vec::new() } else { encode_text(vm, t, sv, s, encoding)? };
    if let Some(t) = st.text.as_mut() {
        t.encoder_started = Some(started || !s.is_empty());
    }
    write_bytes(vm, &mut st, &data, s.contains(['\n', '\r']))
}

fn m_write(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("write", args, 2, 2)?;
    let v = &args.args[0];
    let f = state(vm, v)?;
    let arg = &args.args[1];
    let is_text = usable(vm, v)?.text.is_some();
    if is_text {
        let s = match vm.as_str(arg) {
            Some(s) => s,
            None => {
                check(vm, &*br(vm, f)?, false, true)?;
                return Err(vm.new_type_error(format!("write() argument must be str, not {}", vm.type_name_of(arg))));
            }
        };
        write_text(vm, f, arg, s)?;
        return Ok(Value::Int(s.chars().count() as i64));
    }
    let data = match super::bytes_like(vm, arg) {
        Ok(d) => d,
        Err(e) => {
            check(vm, &*br(vm, f)?, false, true)?;
            return Err(e);
        }
    };
    let mut st = bm(vm, f)?;
    if st.writable {
        closed_for(vm, &st, "write")?;
    } else if st.kind != Kind::Raw {
        return Err(unsupported(vm, "write"));
    }
    check(vm, &st, false, true)?;
    write_bytes(vm, &mut st, &data, false)?;
    Ok(Value::Int(data.len() as i64))
}

fn m_flush(vm: &Vm, args: Args) -> PyResult {
    let st = usable(vm, this(vm, &args)?)?;
    if is_closed(&st) {
        closed_for(vm, &st, "flush")?;
    }
    flush_state(vm, &st)?;
    Ok(Value::None)
}

pub fn close_state(vm: &Vm, f: &RefCell<FileState>) -> PyResult<()> {
    let st = br(vm, f)?;
    if st.detached {
        return Ok(());
    }
    let mut s = sm(vm, &st.stream)?;
    if s.closed {
        return Ok(());
    }
    let r = s.flush_raw(vm);
    s.closed = true;
    if s.closefd {
        if let Some(h) = s.handle.take() {
            h.close(vm)?;
        }
    }
    r
}

fn m_close(vm: &Vm, args: Args) -> PyResult {
    close_state(vm, state(vm, this(vm, &args)?)?)?;
    Ok(Value::None)
}

fn m_seek(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("seek", args, 2, 3)?;
    let offset = vm.to_index_i64(&args.args[1])?;
    let whence = match args.args.get(2) {
        Some(w) => vm.to_index_i64(w)?,
        None => 0,
    };
    let mut st = usable(vm, &args.args[0])?;
    closed_for(vm, &st, "seek")?;
    check(vm, &st, false, false)?;
    let text = st.text.is_some();
    let pos = match whence {
        0 if offset < 0 && text => return Err(vm.new_value_error(format!("negative seek position {offset}"))),
        // A binary stream hands a negative position to its raw stream.
        0 if offset < 0 => SeekFrom::Current(offset),
        0 => SeekFrom::Start(offset as u64),
        1 if text && offset != 0 => return Err(unsupported(vm, "can't do nonzero cur-relative seeks")),
        1 => SeekFrom::Current(offset),
        2 if text && offset != 0 => return Err(unsupported(vm, "can't do nonzero end-relative seeks")),
        2 => SeekFrom::End(offset),
        _ if text => return Err(vm.new_value_error(format!("invalid whence ({whence}, should be 0, 1 or 2)"))),
        _ => return Err(vm.new_value_error(format!("whence value {whence} unsupported"))),
    };
    flush_state(vm, &st)?;
    // Relative seeks count from the logical position, before the read-ahead.
    drop_read_ahead(vm, &mut st)?;
    if let Some(t) = st.text.as_mut() {
        t.encoder_started = None;
    }
    let mut s = sm(vm, &st.stream)?;
    let r = match s.handle.as_mut() {
        Some(h) if whence == 0 && offset < 0 => h.seek_negative(vm, offset)?,
        Some(h) => h.seek(vm, pos)?,
        None => return Err(closed_error(vm)),
    };
    Ok(Value::Int(r as i64))
}

fn tell_state(vm: &Vm, st: &FileState) -> PyResult<i64> {
    flush_state(vm, st)?;
    let text_pending = st.text.as_ref().map_or(0, |t| {
        // Undecoded text counts in bytes of its encoding; UTF-8 and the
        // single-byte codecs are what krait writes natively.
        let rest = &t.decoded[t.pos..];
        if t.encoding.eq_ignore_ascii_case("utf-8") || t.encoding.eq_ignore_ascii_case("utf8") {
            rest.len()
        } else {
            rest.chars().count()
        }
    }) + st.text.as_ref().map_or(0, |t| t.pending_cr as usize);
    let mut s = sm(vm, &st.stream)?;
    let unread = s.unread();
    let pos = match s.handle.as_mut() {
        Some(h) => h.seek(vm, SeekFrom::Current(0))?,
        None => return Err(closed_error(vm)),
    };
    Ok(pos as i64 - unread as i64 - text_pending as i64)
}

fn m_tell(vm: &Vm, args: Args) -> PyResult {
    let st = usable(vm, this(vm, &args)?)?;
    closed_for(vm, &st, "tell")?;
    check(vm, &st, false, false)?;
    Ok(Value::Int(tell_state(vm, &st)?))
}

fn m_truncate(vm: &Vm, args: Args) -> PyResult {
    let mut st = usable(vm, this(vm, &args)?)?;
    check(vm, &st, false, false)?;
    if !st.writable {
        return Err(unsupported(vm, if st.kind == Kind::Raw { "File not open for writing" } else { "truncate" }));
    }
    let size = match args.positional().get(1) {
        None | Some(Value::None) => tell_state(vm, &st)?,
        Some(v) => vm.to_index_i64(v)?,
    };
    if size < 0 {
        return Err(vm.new_value_error(format!("negative size value {size}")));
    }
    flush_state(vm, &st)?;
    drop_read_ahead(vm, &mut st)?;
    let mut s = sm(vm, &st.stream)?;
    match s.handle.as_mut() {
        Some(h) => h.truncate(vm, size as u64)?,
        None => return Err(closed_error(vm)),
    }
    Ok(Value::Int(size))
}

fn m_fileno(vm: &Vm, args: Args) -> PyResult {
    let st = usable(vm, this(vm, &args)?)?;
    let s = sr(vm, &st.stream)?;
    match (&s.handle, s.closed) {
        (Some(h), false) => Ok(Value::Int(h.fileno(vm)?)),
        _ => Err(vm.new_value_error("I/O operation on closed file")),
    }
}

fn m_isatty(vm: &Vm, args: Args) -> PyResult {
    let st = usable(vm, this(vm, &args)?)?;
    check(vm, &st, false, false)?;
    let s = sr(vm, &st.stream)?;
    match s.handle.as_ref() {
        Some(h) => Ok(Value::Bool(h.isatty(vm)?)),
        None => Ok(Value::Bool(false)),
    }
}

fn m_readable(vm: &Vm, args: Args) -> PyResult {
    let st = usable(vm, this(vm, &args)?)?;
    check(vm, &st, false, false)?;
    Ok(Value::Bool(st.readable))
}

fn m_writable(vm: &Vm, args: Args) -> PyResult {
    let st = usable(vm, this(vm, &args)?)?;
    check(vm, &st, false, false)?;
    Ok(Value::Bool(st.writable))
}

fn m_seekable(vm: &Vm, args: Args) -> PyResult {
    let st = usable(vm, this(vm, &args)?)?;
    check(vm, &st, false, false)?;
    let mut s = sm(vm, &st.stream)?;
    match s.handle.as_mut() {
        Some(h) => Ok(Value::Bool(h.seekable(vm)?)),
        None => Ok(Value::Bool(false)),
    }
}

fn m_next(vm: &Vm, args: Args) -> PyResult {
    let v = this(vm, &args)?;
    let line = if vm.class_of(v).payload.as_type().map_or(false, |t| !t.is_heap()) {
        m_readline(vm, Args::new(&[v.clone()]))?
    } else {
        vm.call_method(v, "readline", &[])?
    };
    if super::is_empty_line(&line) {
        return Err(vm.new_stop_iteration(None));
    }
    Ok(line)
}

/// `tp_name` as CPython prints it: `_io.X` for the builtin, the bare name for a subclass.
fn type_label(vm: &Vm, v: &Value) -> String {
    let c = vm.class_of(v);
    let name = vm.type_name(c);
    if c.payload.as_type().map_or(false, |t| t.is_heap()) {
        name
    } else {
        format!("_io.{name}")
    }
}

/// `getattr(v, name)`, None when it raises AttributeError or ValueError.
fn soft_attr(vm: &Vm, v: &Value, name: &str) -> PyResult<Option<Value>> {
    match vm.getattr_str(v, name) {
        Ok(x) => Ok(Some(x)),
        Err(e) => {
            let t = e.class();
            if vm.is_subtype(t, &vm.exc.attribute_error) || vm.is_subtype(t, &vm.exc.value_error) {
                Ok(None)
            } else {
                Err(e)
            }
        }
    }
}

fn m_repr(vm: &Vm, args: Args) -> PyResult {
    let v = this(vm, &args)?;
    let (kind, closed, closefd, mode, enc) = {
        let st = br(vm, state(vm, v)?)?;
        let s = sr(vm, &st.stream)?;
        (st.kind, s.closed, s.closefd, st.mode.clone(), st.text.as_ref().map(|t| t.encoding.clone()))
    };
    let label = type_label(vm, v);
    let mut out = format!("<{label}");
    match kind {
        Kind::Raw if closed => return Ok(vm.new_str(format!("<{label} [closed]>"))),
        Kind::Raw => {
            match soft_attr(vm, v, "name")? {
                Some(n) => out.push_str(&format!(" name={}", vm.repr_string(&n)?)),
                None => {}
            }
            out.push_str(&format!(" mode='{mode}' closefd={}", if closefd { "True" } else { "False" }));
        }
        Kind::Text => {
            if let Some(n) = soft_attr(vm, v, "name")? {
                out.push_str(&format!(" name={}", vm.repr_string(&n)?));
            }
            if let Some(m) = soft_attr(vm, v, "mode")? {
                out.push_str(&format!(" mode={}", vm.repr_string(&m)?));
            }
            out.push_str(&format!(" encoding='{}'", enc.unwrap_or_default()));
        }
        _ => {
            if let Some(n) = soft_attr(vm, v, "name")? {
                out.push_str(&format!(" name={}", vm.repr_string(&n)?));
            }
        }
    }
    out.push('>');
    Ok(vm.new_str(out))
}

/// `reconfigure(*, encoding, errors, newline, line_buffering, write_through)`:
/// flushes, then changes what was given. The encoding, errors and newline
/// can change only while no decoded text is waiting to be read.
fn m_reconfigure(vm: &Vm, args: Args) -> PyResult {
    let v = this(vm, &args)?;
    if args.positional().len() > 1 {
        return Err(vm.new_type_error("reconfigure() takes no positional arguments"));
    }
    let names = ["encoding", "errors", "newline", "line_buffering", "write_through"];
    let mut given: [Option<Value>; 5] = Default::default();
    for (k, val) in args.keywords() {
        let key = vm.as_str(k).unwrap_or("");
        match names.iter().position(|n| *n == key) {
            Some(i) => given[i] = Some(val.clone()),
            None => return Err(vm.new_type_error(format!("'{key}' is an invalid keyword argument for reconfigure()"))),
        }
    }
    let text_arg = |i: usize| -> PyResult<Option<String>> {
        match &given[i] {
            None | Some(Value::None) => Ok(None),
            Some(x) => vm.as_str(x).map(|s| Some(s.to_string())).ok_or_else(|| {
                vm.new_type_error(format!("reconfigure() argument '{}' must be str or None, not {}", names[i], vm.type_name_of(x)))
            }),
        }
    };
    let (encoding, errors) = (text_arg(0)?, text_arg(1)?);
    // `newline=None` is a value (universal newlines), unlike the others.
    let newline = match &given[2] {
        None => None,
        Some(Value::None) => Some(None),
        Some(x) => match vm.as_str(x) {
            Some(s) => Some(Some(s.to_string())),
            None => {
                return Err(vm.new_type_error(format!("reconfigure() argument 'newline' must be str or None, not {}", vm.type_name_of(x))))
            }
        },
    };
    let flag = |i: usize| -> PyResult<Option<bool>> {
        match &given[i] {
            None | Some(Value::None) => Ok(None),
            Some(x) => vm.truthy(x).map(Some),
        }
    };
    let (line_buffering, write_through) = (flag(3)?, flag(4)?);
    let mut st = usable(vm, v)?;
    let Some(t) = st.text.as_ref() else { return Err(unsupported(vm, "reconfigure")) };
    let changes_codec = encoding.is_some() || errors.is_some() || newline.is_some();
    if changes_codec && t.pos < t.decoded.len() {
        return Err(unsupported(vm, "It is not possible to set the encoding or newline of stream after the first read"));
    }
    if let Some(e) = &encoding {
        crate::types::str_codecs::lookup(vm, e)?;
    }
    if let Some(Some(nl)) = &newline {
        if !["", "\n", "\r", "\r\n"].contains(&nl.as_str()) {
            return Err(vm.new_value_error(format!("illegal newline value: {nl}")));
        }
    }
    flush_state(vm, &st)?;
    if let Some(t) = st.text.as_mut() {
        if let Some(e) = encoding {
            t.encoding = e;
            t.continuation = None;
            // A new encoding without errors starts from strict ones.
            t.errors = errors.clone().unwrap_or_else(|| "strict".to_string());
            t.encoder_started = None;
        }
        if let Some(e) = errors {
            t.errors = e;
        }
        if let Some(nl) = newline {
            t.newline = nl;
        }
        if let Some(b) = line_buffering {
            t.line_buffering = b;
        }
    }
    if let Some(b) = write_through {
        st.write_through = b;
    }
    Ok(Value::None)
}

/// `detach()`: flushes and hands back the object below; this one becomes unusable.
fn m_detach(vm: &Vm, args: Args) -> PyResult {
    let v = this(vm, &args)?;
    let below = if state(vm, v).map(|f| br(vm, f).map(|s| s.kind == Kind::Text))?? { g_buffer(vm, v)? } else { g_raw(vm, v)? };
    let mut st = usable(vm, v)?;
    flush_state(vm, &st)?;
    drop_read_ahead(vm, &mut st)?;
    st.detached = true;
    Ok(below)
}

// ---- attributes ----------------------------------------------------------------

fn g_closed(vm: &Vm, v: &Value) -> PyResult {
    let st = usable(vm, v)?;
    Ok(Value::Bool(is_closed(&st)))
}
fn g_name(vm: &Vm, v: &Value) -> PyResult {
    let (name, below) = {
        let st = usable(vm, v)?;
        (st.name.clone(), st.raw.clone().or_else(|| st.text.as_ref().and_then(|t| t.buffer.clone())))
    };
    match (name, below) {
        (Some(n), _) => Ok(n),
        (None, Some(b)) => vm.getattr_str(&b, "name"),
        (None, None) => Err(vm.new_attribute_error(format!("'{}' object has no attribute 'name'", type_label(vm, v)))),
    }
}
/// FileIO keeps `name` as a plain attribute (CPython stores it in the
/// instance dict: `tempfile` sets it to the descriptor); the buffered and
/// text layers read it from below and refuse assignment.
fn s_name(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let mut st = bm(vm, state(vm, v)?)?;
    if st.kind != Kind::Raw {
        return Err(vm.new_attribute_error(format!(
            "attribute 'name' of '{}' objects is not writable",
            type_label(vm, v)
        )));
    }
    match value {
        Some(n) => st.name = Some(n),
        None if st.name.is_some() => st.name = None,
        None => return Err(vm.new_attribute_error("name")),
    }
    Ok(())
}
fn g_mode(vm: &Vm, v: &Value) -> PyResult {
    Ok(vm.new_str(usable(vm, v)?.mode.as_str()))
}
fn text_attr(vm: &Vm, v: &Value, get: fn(&Vm, &TextState) -> Value) -> PyResult {
    let st = usable(vm, v)?;
    match &st.text {
        Some(t) => Ok(get(vm, t)),
        None => Err(vm.new_attribute_error(format!("'{}' object has no such attribute", vm.type_name_of(v)))),
    }
}
fn g_encoding(vm: &Vm, v: &Value) -> PyResult {
    text_attr(vm, v, |vm, t| vm.new_str(t.encoding.as_str()))
}
fn g_errors(vm: &Vm, v: &Value) -> PyResult {
    text_attr(vm, v, |vm, t| vm.new_str(t.errors.as_str()))
}
fn g_newlines(vm: &Vm, v: &Value) -> PyResult {
    text_attr(vm, v, |_, _| Value::None)
}
fn g_line_buffering(vm: &Vm, v: &Value) -> PyResult {
    text_attr(vm, v, |_, t| Value::Bool(t.line_buffering))
}
fn g_write_through(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Bool(usable(vm, v)?.write_through))
}
fn g_closefd(vm: &Vm, v: &Value) -> PyResult {
    let st = usable(vm, v)?;
    let s = sr(vm, &st.stream)?;
    Ok(Value::Bool(s.closefd))
}
fn g_chunk_size(_vm: &Vm, _v: &Value) -> PyResult {
    Ok(Value::Int(CHUNK as i64))
}

/// The binary mode string CPython's buffered/raw objects report.
pub fn binary_mode(readable: bool, writable: bool, letter: char) -> String {
    let plus = readable && writable;
    let letter = if plus && letter == 'w' { 'r' } else { letter };
    format!("{letter}b{}", if plus { "+" } else { "" })
}

/// A new object one level below `st` sharing its stream (made on first use
/// of `.buffer`/`.raw` for chains built by `open()`).
fn lower(vm: &Vm, st: &FileState, kind: Kind) -> Value {
    let letter = st.mode.chars().find(|c| "rwax".contains(*c)).unwrap_or('r');
    let mode = if st.kind == Kind::Text { binary_mode(st.readable, st.writable, letter) } else { st.mode.clone() };
    make_file(
        vm,
        FileState {
            kind,
            stream: st.stream.clone(),
            name: st.name.clone(),
            mode,
            readable: st.readable,
            writable: st.writable,
            write_through: st.write_through,
            buffer_size: st.buffer_size,
            text: None,
            raw: None,
            detached: false,
        },
    )
}

fn g_buffer(vm: &Vm, v: &Value) -> PyResult {
    let mut st = usable(vm, v)?;
    let kind = match (st.readable, st.writable) {
        (true, true) => Kind::Random,
        (true, false) => Kind::Reader,
        _ => Kind::Writer,
    };
    if st.text.is_none() {
        return Err(vm.new_attribute_error(format!("'{}' object has no attribute 'buffer'", vm.type_name_of(v))));
    }
    if let Some(b) = &st.text.as_ref().unwrap().buffer {
        return Ok(b.clone());
    }
    let b = lower(vm, &st, kind);
    st.text.as_mut().unwrap().buffer = Some(b.clone());
    Ok(b)
}

fn g_raw(vm: &Vm, v: &Value) -> PyResult {
    let mut st = usable(vm, v)?;
    if let Some(r) = &st.raw {
        return Ok(r.clone());
    }
    let r = lower(vm, &st, Kind::Raw);
    st.raw = Some(r.clone());
    Ok(r)
}

pub fn class_of_kind(vm: &Vm, kind: Kind) -> &crate::object::PyRef {
    let t = &vm.types;
    match kind {
        Kind::Text => &t.text_io_wrapper,
        Kind::Reader => &t.buffered_reader,
        Kind::Writer => &t.buffered_writer,
        Kind::Random => &t.buffered_random,
        Kind::Raw => &t.file_io,
    }
}

pub fn make_file(vm: &Vm, st: FileState) -> Value {
    let cls = class_of_kind(vm, st.kind).clone();
    super::new_io_object(&cls, IoData::File(RefCell::new(st)))
}

// ---- registration --------------------------------------------------------------

static COMMON: [NativeDef; 14] = [
    NativeDef::method("flush", m_flush),
    NativeDef::method("close", m_close),
    NativeDef::method("seek", m_seek),
    NativeDef::method("tell", m_tell),
    NativeDef::method("truncate", m_truncate),
    NativeDef::method("fileno", m_fileno),
    NativeDef::method("isatty", m_isatty),
    NativeDef::method("readable", m_readable),
    NativeDef::method("writable", m_writable),
    NativeDef::method("seekable", m_seekable),
    NativeDef::method("__repr__", m_repr),
    NativeDef::method("__next__", m_next),
    NativeDef::method("read", m_read),
    NativeDef::method("write", m_write),
];

static RAW_METHODS: [NativeDef; 2] = [NativeDef::method("readall", m_read), NativeDef::method("readinto", m_readinto)];

static BUFFERED_METHODS: [NativeDef; 7] = [
    NativeDef::method("read1", m_read),
    NativeDef::method("readline", m_readline),
    NativeDef::method("readlines", m_readlines),
    NativeDef::method("readinto", m_readinto),
    NativeDef::method("readinto1", m_readinto),
    NativeDef::method("peek", m_peek),
    NativeDef::method("detach", m_detach),
];

static TEXT_METHODS: [NativeDef; 4] = [
    NativeDef::method("readline", m_readline),
    NativeDef::method("readlines", m_readlines),
    NativeDef::method("detach", m_detach),
    NativeDef::method("reconfigure", m_reconfigure),
];

const fn ro(name: &'static str, get: fn(&Vm, &Value) -> PyResult) -> GetSetDef {
    GetSetDef { name, get, set: None, doc: "" }
}

static COMMON_GETSETS: [GetSetDef; 2] =
    [ro("closed", g_closed), GetSetDef { name: "name", get: g_name, set: Some(s_name), doc: "" }];
static BIN_GETSETS: [GetSetDef; 1] = [ro("mode", g_mode)];
static BUFFERED_GETSETS: [GetSetDef; 1] = [ro("raw", g_raw)];
static TEXT_GETSETS: [GetSetDef; 7] = [
    ro("encoding", g_encoding),
    ro("errors", g_errors),
    ro("newlines", g_newlines),
    ro("line_buffering", g_line_buffering),
    ro("write_through", g_write_through),
    ro("buffer", g_buffer),
    ro("_CHUNK_SIZE", g_chunk_size),
];
/// FileIO's own, with CPython's docs (`FileIO.closed.__doc__`).
static FILE_IO_GETSETS: [GetSetDef; 4] = [
    GetSetDef { name: "closed", get: g_closed, set: None, doc: "True if the file is closed" },
    GetSetDef { name: "name", get: g_name, set: Some(s_name), doc: "" },
    GetSetDef { name: "mode", get: g_mode, set: None, doc: "String giving the file mode" },
    GetSetDef { name: "closefd", get: g_closefd, set: None, doc: "True if the file descriptor will be closed by close()." },
];

pub fn init(vm: &Vm) {
    use crate::types::{add_getsets, add_methods};
    let t = &vm.types;
    for typ in [&t.text_io_wrapper, &t.buffered_reader, &t.buffered_writer, &t.buffered_random, &t.file_io] {
        add_methods(vm, typ, &COMMON);
    }
    for typ in [&t.text_io_wrapper, &t.buffered_reader, &t.buffered_writer, &t.buffered_random] {
        add_getsets(vm, typ, &COMMON_GETSETS);
    }
    for typ in [&t.buffered_reader, &t.buffered_writer, &t.buffered_random] {
        add_methods(vm, typ, &BUFFERED_METHODS);
        add_getsets(vm, typ, &BIN_GETSETS);
        add_getsets(vm, typ, &BUFFERED_GETSETS);
    }
    add_methods(vm, &t.file_io, &RAW_METHODS);
    add_getsets(vm, &t.file_io, &FILE_IO_GETSETS);
    add_methods(vm, &t.text_io_wrapper, &TEXT_METHODS);
    add_getsets(vm, &t.text_io_wrapper, &TEXT_GETSETS);
    // CPython's members (`type(TextIOWrapper.buffer)` is member_descriptor).
    let text_members = ["encoding", "buffer", "line_buffering", "write_through"];
    crate::types::member::mark_members(vm, &t.text_io_wrapper, &text_members);
    for typ in [&t.buffered_reader, &t.buffered_writer, &t.buffered_random] {
        crate::types::member::mark_members(vm, typ, &["raw"]);
    }
    super::open::init(vm);
}
