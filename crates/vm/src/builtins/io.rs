//! File objects: `open()` and the standard streams.
//!
//! One payload (`Payload::File`) serves the five types `_io.TextIOWrapper`,
//! `_io.BufferedReader`/`BufferedWriter`/`BufferedRandom` and `_io.FileIO`.
//! The OS handle and its byte buffers live in a shared `Stream`, so a text
//! file and its `.buffer` write through the same buffer, in order.
//!
//! Text files decode as they read (UTF-8 natively, other codecs through
//! `str_codecs`) and translate newlines at decode time (universal newlines
//! when `newline=None`). Buffering follows CPython: stdout is line-buffered
//! on a terminal and block-buffered otherwise, stderr line-buffered, `-u`
//! unbuffered; buffers are flushed by `flush()`, `close()`, when the last
//! reference goes (Drop), and by `flush_std_streams` at exit.
//!
//! No RefCell borrow of a file is held while Python code can run.

use crate::object::PyRef;
use crate::payload::{GetSetDef, Payload};
use crate::types::exception_methods::os_error_from_io;
use crate::value::Value;
use crate::{Args, NativeDef, PyResult, Vm};
use std::cell::RefCell;
use std::io::{IsTerminal, Read, Seek, SeekFrom, Write};
use std::rc::Rc;

const CHUNK: usize = 8192;

/// The OS object behind a file.
pub enum Handle {
    File(std::fs::File),
    Stdin,
    Stdout,
    Stderr,
}

impl Handle {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Handle::File(f) => f.read(buf),
            Handle::Stdin => std::io::stdin().lock().read(buf),
            _ => Err(std::io::Error::from_raw_os_error(9)),
        }
    }
    fn write_all(&mut self, data: &[u8]) -> std::io::Result<()> {
        match self {
            Handle::File(f) => f.write_all(data),
            // Rust's own stdout buffer is flushed at once: ours is the only one that counts.
            Handle::Stdout => {
                let mut o = std::io::stdout().lock();
                o.write_all(data)?;
                o.flush()
            }
            Handle::Stderr => std::io::stderr().lock().write_all(data),
            Handle::Stdin => Err(std::io::Error::from_raw_os_error(9)),
        }
    }
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        match self {
            Handle::File(f) => f.seek(pos),
            _ => Err(std::io::Error::from_raw_os_error(29)), // ESPIPE: Illegal seek
        }
    }
    fn fileno(&self) -> i64 {
        match self {
            Handle::File(f) => {
                use std::os::fd::AsRawFd;
                f.as_raw_fd() as i64
            }
            Handle::Stdin => 0,
            Handle::Stdout => 1,
            Handle::Stderr => 2,
        }
    }
    fn isatty(&self) -> bool {
        match self {
            Handle::File(f) => f.is_terminal(),
            Handle::Stdin => std::io::stdin().is_terminal(),
            Handle::Stdout => std::io::stdout().is_terminal(),
            Handle::Stderr => std::io::stderr().is_terminal(),
        }
    }
}

/// The OS handle and the byte buffers, shared by a text file and its `.buffer`.
pub struct Stream {
    handle: Option<Handle>,
    /// Bytes read ahead and not consumed yet: `read_buf[read_pos..]`.
    read_buf: Vec<u8>,
    read_pos: usize,
    /// Bytes written and not yet passed to the OS.
    write_buf: Vec<u8>,
    closed: bool,
    /// Whether closing releases the OS handle (false for the std streams).
    closefd: bool,
}

impl Stream {
    fn flush_raw(&mut self) -> std::io::Result<()> {
        if self.write_buf.is_empty() {
            return Ok(());
        }
        let data = std::mem::take(&mut self.write_buf);
        match self.handle.as_mut() {
            Some(h) => h.write_all(&data),
            None => Ok(()),
        }
    }
    fn unread(&self) -> usize {
        self.read_buf.len() - self.read_pos
    }
    /// Reads up to `n` more bytes into the read buffer; 0 at end of file.
    fn fill(&mut self, n: usize) -> std::io::Result<usize> {
        if self.read_pos > 0 && self.read_pos == self.read_buf.len() {
            self.read_buf.clear();
            self.read_pos = 0;
        }
        let old = self.read_buf.len();
        self.read_buf.resize(old + n, 0);
        let r = match self.handle.as_mut() {
            Some(h) => loop {
                match h.read(&mut self.read_buf[old..]) {
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    r => break r,
                }
            },
            None => Ok(0),
        };
        let got = *r.as_ref().unwrap_or(&0);
        self.read_buf.truncate(old + got);
        r
    }
    fn take_bytes(&mut self, n: usize) -> Vec<u8> {
        let n = n.min(self.unread());
        let out = self.read_buf[self.read_pos..self.read_pos + n].to_vec();
        self.read_pos += n;
        out
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        // A file dropped without close() still gets its data written.
        let _ = self.flush_raw();
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Reader,
    Writer,
    Random,
    Raw,
}

/// Text-layer state of a TextIOWrapper.
struct TextState {
    encoding: String,
    errors: String,
    /// None: universal newlines; Some("") untranslated; Some("\n" | "\r" | "\r\n").
    newline: Option<String>,
    /// Decoded text not yet returned: `decoded[pos..]`.
    decoded: String,
    pos: usize,
    /// Universal mode: a '\r' at the end of a chunk, held until we know whether '\n' follows.
    pending_cr: bool,
    line_buffering: bool,
    /// The binary object `.buffer`, made on first use.
    buffer: Option<Value>,
}

pub struct FileState {
    kind: Kind,
    stream: Rc<RefCell<Stream>>,
    name: Value,
    mode: String,
    readable: bool,
    writable: bool,
    /// Write to the OS at every write (`buffering=0`, `-u`).
    write_through: bool,
    buffer_size: usize,
    text: Option<TextState>,
}

// ---- helpers ----------------------------------------------------------------

fn state<'a>(vm: &Vm, v: &'a Value) -> PyResult<&'a RefCell<FileState>> {
    match v.payload() {
        Some(Payload::File(f)) => Ok(f),
        _ => Err(vm.new_type_error(format!("descriptor requires a file object but received '{}'", vm.type_name_of(v)))),
    }
}

fn closed_error(vm: &Vm) -> PyRef {
    vm.new_value_error("I/O operation on closed file.")
}

fn unsupported(vm: &Vm, msg: &str) -> PyRef {
    vm.new_exception_msg(&vm.exc.unsupported_operation, msg)
}

fn io_err(vm: &Vm, e: std::io::Error) -> PyRef {
    os_error_from_io(vm, &e, None, None)
}

fn this<'a>(vm: &Vm, args: &Args<'a>) -> PyResult<&'a Value> {
    args.args.first().ok_or_else(|| vm.new_type_error("file method needs an argument"))
}

/// Checks the file is open (and readable/writable when asked).
fn check(vm: &Vm, st: &FileState, need_read: bool, need_write: bool) -> PyResult<()> {
    if st.stream.borrow().closed {
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
    let mut s = st.stream.borrow_mut();
    let back = s.unread() + text_pending;
    if back > 0 {
        if let Some(h) = s.handle.as_mut() {
            h.seek(SeekFrom::Current(-(back as i64))).map_err(|e| io_err(vm, e))?;
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
    st.stream.borrow_mut().flush_raw().map_err(|e| io_err(vm, e))
}

/// Appends bytes to the write buffer and flushes per the buffering policy.
fn write_bytes(vm: &Vm, st: &mut FileState, data: &[u8], has_newline: bool) -> PyResult<()> {
    if st.readable {
        drop_read_ahead(vm, st)?;
    }
    let line = st.text.as_ref().map_or(false, |t| t.line_buffering);
    let mut s = st.stream.borrow_mut();
    s.write_buf.extend_from_slice(data);
    if st.write_through || (line && has_newline) || s.write_buf.len() >= st.buffer_size {
        s.flush_raw().map_err(|e| io_err(vm, e))?;
    }
    Ok(())
}

// ---- text decoding ----------------------------------------------------------

/// Decodes more input into the text buffer; false at end of file.
fn text_fill(vm: &Vm, st: &mut FileState) -> PyResult<bool> {
    let t = st.text.as_mut().unwrap();
    let mut s = st.stream.borrow_mut();
    let utf8 = matches!(crate::types::str_codecs::lookup(vm, &t.encoding)?, crate::types::str_codecs::Codec::Utf8);
    let eof = if utf8 {
        s.fill(CHUNK).map_err(|e| io_err(vm, e))? == 0
    } else {
        // Other codecs: decode the rest of the file at once (no incremental state needed).
        let mut eof = false;
        while !eof {
            eof = s.fill(CHUNK * 8).map_err(|e| io_err(vm, e))? == 0;
        }
        true
    };
    let raw = &s.read_buf[s.read_pos..];
    let (text, used) = if utf8 {
        match std::str::from_utf8(raw) {
            Ok(txt) => (txt.to_string(), raw.len()),
            Err(e) if e.error_len().is_none() && !eof => {
                // An incomplete sequence at the end: keep it for the next chunk.
                let n = e.valid_up_to();
                (std::str::from_utf8(&raw[..n]).unwrap().to_string(), n)
            }
            Err(_) => {
                let obj = vm.new_bytes(raw.to_vec());
                (crate::types::str_codecs::decode(vm, &obj, raw, &t.encoding, &t.errors)?, raw.len())
            }
        }
    } else {
        let obj = vm.new_bytes(raw.to_vec());
        (crate::types::str_codecs::decode(vm, &obj, raw, &t.encoding, &t.errors)?, raw.len())
    };
    s.read_pos += used;
    drop(s);
    if t.pos > 0 && t.pos * 2 >= t.decoded.len() {
        t.decoded.drain(..t.pos);
        t.pos = 0;
    }
    if t.newline.is_none() {
        let mut chunk = String::with_capacity(text.len() + 1);
        if std::mem::take(&mut t.pending_cr) {
            chunk.push('\r');
        }
        chunk.push_str(&text);
        if chunk.ends_with('\r') && !eof {
            chunk.pop();
            t.pending_cr = true;
        }
        t.decoded.push_str(&chunk.replace("\r\n", "\n").replace('\r', "\n"));
    } else {
        t.decoded.push_str(&text);
    }
    Ok(!(eof && text.is_empty()))
}

/// Byte offset in `s` after `n` chars (or the end).
fn char_end(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

fn text_take(t: &mut TextState, bytes: usize) -> String {
    let out = t.decoded[t.pos..t.pos + bytes].to_string();
    t.pos += bytes;
    out
}

/// `read(n)` on a text file; n < 0 reads everything.
fn text_read(vm: &Vm, st: &mut FileState, n: i64) -> PyResult<String> {
    loop {
        let t = st.text.as_ref().unwrap();
        let avail = &t.decoded[t.pos..];
        if n >= 0 && avail.len() >= n as usize && avail.chars().count() >= n as usize {
            break;
        }
        if !text_fill(vm, st)? {
            break;
        }
    }
    let t = st.text.as_mut().unwrap();
    let end = if n < 0 { t.decoded.len() - t.pos } else { char_end(&t.decoded[t.pos..], n as usize) };
    Ok(text_take(t, end))
}

/// Where the first line in `s` ends (byte offset after its terminator), if
/// complete; `eof` says no more data can come.
fn line_end(s: &str, newline: Option<&str>, eof: bool) -> Option<usize> {
    match newline {
        None | Some("\n") => s.find('\n').map(|i| i + 1),
        Some("") => {
            let i = s.find(['\r', '\n'])?;
            if s.as_bytes()[i] == b'\n' {
                return Some(i + 1);
            }
            match s.as_bytes().get(i + 1) {
                Some(b'\n') => Some(i + 2),
                Some(_) => Some(i + 1),
                None if eof => Some(i + 1),
                None => None,
            }
        }
        Some(term) => s.find(term).map(|i| i + term.len()),
    }
}

fn text_readline(vm: &Vm, st: &mut FileState, limit: i64) -> PyResult<String> {
    let mut eof = false;
    loop {
        let t = st.text.as_ref().unwrap();
        let avail = &t.decoded[t.pos..];
        if let Some(end) = line_end(avail, t.newline.as_deref(), eof) {
            let end = if limit >= 0 { end.min(char_end(avail, limit as usize)) } else { end };
            return Ok(text_take(st.text.as_mut().unwrap(), end));
        }
        if limit >= 0 && avail.chars().count() >= limit as usize {
            let end = char_end(avail, limit as usize);
            return Ok(text_take(st.text.as_mut().unwrap(), end));
        }
        if eof {
            let n = avail.len();
            return Ok(text_take(st.text.as_mut().unwrap(), n));
        }
        eof = !text_fill(vm, st)?;
    }
}

// ---- binary reading ---------------------------------------------------------

fn bin_read(vm: &Vm, st: &FileState, n: i64) -> PyResult<Vec<u8>> {
    let mut s = st.stream.borrow_mut();
    if n < 0 {
        while s.fill(CHUNK * 8).map_err(|e| io_err(vm, e))? > 0 {}
        let all = s.unread();
        return Ok(s.take_bytes(all));
    }
    let n = n as usize;
    if st.kind == Kind::Raw {
        // FileIO.read(n): one system call.
        if s.unread() == 0 {
            s.fill(n).map_err(|e| io_err(vm, e))?;
        }
        return Ok(s.take_bytes(n));
    }
    while s.unread() < n {
        let want = CHUNK.max(n - s.unread());
        if s.fill(want).map_err(|e| io_err(vm, e))? == 0 {
            break;
        }
    }
    Ok(s.take_bytes(n))
}

fn bin_readline(vm: &Vm, st: &FileState, limit: i64) -> PyResult<Vec<u8>> {
    let mut s = st.stream.borrow_mut();
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
        if s.fill(CHUNK).map_err(|e| io_err(vm, e))? == 0 {
            let n = s.unread();
            return Ok(s.take_bytes(n));
        }
    }
}

// ---- methods -----------------------------------------------------------------

/// An optional size argument: None or an int; -1 when absent.
fn size_arg(vm: &Vm, v: Option<&Value>) -> PyResult<i64> {
    match v {
        None | Some(Value::None) => Ok(-1),
        Some(v) => vm.to_index_i64(v),
    }
}

fn m_read(vm: &Vm, args: Args) -> PyResult {
    let f = state(vm, this(vm, &args)?)?;
    let n = size_arg(vm, args.args.get(1))?;
    let mut st = f.borrow_mut();
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
    let f = state(vm, this(vm, &args)?)?;
    let n = size_arg(vm, args.args.get(1))?;
    let mut st = f.borrow_mut();
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
    let f = state(vm, this(vm, &args)?)?;
    let hint = size_arg(vm, args.args.get(1))?;
    let mut st = f.borrow_mut();
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

/// Encodes text for a text file (newline translation on output included).
fn encode_text(vm: &Vm, t: &TextState, s: &Value, text: &str) -> PyResult<Vec<u8>> {
    let translated;
    let text = match t.newline.as_deref() {
        Some(nl @ ("\r" | "\r\n")) if text.contains('\n') => {
            translated = text.replace('\n', nl);
            translated.as_str()
        }
        _ => text,
    };
    if t.encoding.eq_ignore_ascii_case("utf-8") || t.encoding.eq_ignore_ascii_case("utf8") {
        return Ok(text.as_bytes().to_vec());
    }
    crate::types::str_codecs::encode(vm, s, text, &t.encoding, &t.errors)
}

fn write_text(vm: &Vm, f: &RefCell<FileState>, sv: &Value, s: &str) -> PyResult<()> {
    let mut st = f.borrow_mut();
    check(vm, &st, false, true)?;
    let data = encode_text(vm, st.text.as_ref().unwrap(), sv, s)?;
    write_bytes(vm, &mut st, &data, s.contains(['\n', '\r']))
}

fn m_write(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("write", args, 2, 2)?;
    let f = state(vm, &args.args[0])?;
    let arg = &args.args[1];
    let is_text = f.borrow().text.is_some();
    if is_text {
        let s = match vm.as_str(arg) {
            Some(s) => s,
            None => {
                check(vm, &f.borrow(), false, true)?;
                return Err(vm.new_type_error(format!(
                    "write() argument must be str, not {}",
                    vm.type_name_of(arg)
                )));
            }
        };
        write_text(vm, f, arg, s)?;
        return Ok(Value::Int(s.chars().count() as i64));
    }
    let data: Vec<u8> = match arg.payload().map(|p| p.base()) {
        Some(Payload::Bytes(b)) => b.bytes.to_vec(),
        Some(Payload::ByteArray(b)) => b.borrow().clone(),
        _ => {
            check(vm, &f.borrow(), false, true)?;
            return Err(vm.new_type_error(format!(
                "a bytes-like object is required, not '{}'",
                vm.type_name_of(arg)
            )));
        }
    };
    let mut st = f.borrow_mut();
    check(vm, &st, false, true)?;
    write_bytes(vm, &mut st, &data, false)?;
    Ok(Value::Int(data.len() as i64))
}

fn m_writelines(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("writelines", args, 2, 2)?;
    let this = &args.args[0];
    check(vm, &state(vm, this)?.borrow(), false, true)?;
    let it = vm.iter(&args.args[1])?;
    while let Some(line) = vm.next(&it)? {
        m_write(vm, Args::new(&[this.clone(), line]))?;
    }
    Ok(Value::None)
}

fn m_flush(vm: &Vm, args: Args) -> PyResult {
    let f = state(vm, this(vm, &args)?)?;
    let st = f.borrow();
    if st.stream.borrow().closed {
        return Err(closed_error(vm));
    }
    flush_state(vm, &st)?;
    Ok(Value::None)
}

fn close_state(vm: &Vm, f: &RefCell<FileState>) -> PyResult<()> {
    let st = f.borrow();
    let mut s = st.stream.borrow_mut();
    if s.closed {
        return Ok(());
    }
    let r = s.flush_raw();
    s.closed = true;
    if s.closefd {
        s.handle = None;
    }
    r.map_err(|e| io_err(vm, e))
}

fn m_close(vm: &Vm, args: Args) -> PyResult {
    close_state(vm, state(vm, this(vm, &args)?)?)?;
    Ok(Value::None)
}

fn m_seek(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("seek", args, 2, 3)?;
    let f = state(vm, &args.args[0])?;
    let offset = vm.to_index_i64(&args.args[1])?;
    let whence = match args.args.get(2) {
        Some(w) => vm.to_index_i64(w)?,
        None => 0,
    };
    let mut st = f.borrow_mut();
    check(vm, &st, false, false)?;
    let text = st.text.is_some();
    let pos = match whence {
        0 if offset < 0 => return Err(vm.new_value_error(format!("negative seek position {offset}"))),
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
    let mut s = st.stream.borrow_mut();
    let r = match s.handle.as_mut() {
        Some(h) => h.seek(pos).map_err(|e| io_err(vm, e))?,
        None => return Err(closed_error(vm)),
    };
    Ok(Value::Int(r as i64))
}

fn tell_state(vm: &Vm, st: &FileState) -> PyResult<i64> {
    flush_state(vm, st)?;
    let text_pending = st.text.as_ref().map_or(0, |t| t.decoded.len() - t.pos + t.pending_cr as usize);
    let mut s = st.stream.borrow_mut();
    let unread = s.unread();
    let pos = match s.handle.as_mut() {
        Some(h) => h.seek(SeekFrom::Current(0)).map_err(|e| io_err(vm, e))?,
        None => return Err(closed_error(vm)),
    };
    Ok(pos as i64 - unread as i64 - text_pending as i64)
}

fn m_tell(vm: &Vm, args: Args) -> PyResult {
    let f = state(vm, this(vm, &args)?)?;
    let st = f.borrow();
    check(vm, &st, false, false)?;
    Ok(Value::Int(tell_state(vm, &st)?))
}

fn m_truncate(vm: &Vm, args: Args) -> PyResult {
    let f = state(vm, this(vm, &args)?)?;
    let mut st = f.borrow_mut();
    check(vm, &st, false, true)?;
    let size = match args.args.get(1) {
        None | Some(Value::None) => tell_state(vm, &st)?,
        Some(v) => vm.to_index_i64(v)?,
    };
    if size < 0 {
        return Err(vm.new_value_error(format!("negative size value {size}")));
    }
    flush_state(vm, &st)?;
    drop_read_ahead(vm, &mut st)?;
    let s = st.stream.borrow();
    match &s.handle {
        Some(Handle::File(file)) => file.set_len(size as u64).map_err(|e| io_err(vm, e))?,
        _ => return Err(io_err(vm, std::io::Error::from_raw_os_error(22))),
    }
    Ok(Value::Int(size))
}

fn m_fileno(vm: &Vm, args: Args) -> PyResult {
    let f = state(vm, this(vm, &args)?)?;
    let st = f.borrow();
    let s = st.stream.borrow();
    match (&s.handle, s.closed) {
        (Some(h), false) => Ok(Value::Int(h.fileno())),
        _ => Err(vm.new_value_error("I/O operation on closed file")),
    }
}

fn m_isatty(vm: &Vm, args: Args) -> PyResult {
    let f = state(vm, this(vm, &args)?)?;
    let st = f.borrow();
    check(vm, &st, false, false)?;
    let s = st.stream.borrow();
    Ok(Value::Bool(s.handle.as_ref().map_or(false, |h| h.isatty())))
}

fn m_readable(vm: &Vm, args: Args) -> PyResult {
    let f = state(vm, this(vm, &args)?)?;
    let st = f.borrow();
    check(vm, &st, false, false)?;
    Ok(Value::Bool(st.readable))
}

fn m_writable(vm: &Vm, args: Args) -> PyResult {
    let f = state(vm, this(vm, &args)?)?;
    let st = f.borrow();
    check(vm, &st, false, false)?;
    Ok(Value::Bool(st.writable))
}

fn m_seekable(vm: &Vm, args: Args) -> PyResult {
    let f = state(vm, this(vm, &args)?)?;
    let st = f.borrow();
    check(vm, &st, false, false)?;
    let mut s = st.stream.borrow_mut();
    Ok(Value::Bool(s.handle.as_mut().map_or(false, |h| h.seek(SeekFrom::Current(0)).is_ok())))
}

fn m_iter(vm: &Vm, args: Args) -> PyResult {
    let v = this(vm, &args)?;
    check(vm, &state(vm, v)?.borrow(), false, false)?;
    Ok(v.clone())
}

fn m_next(vm: &Vm, args: Args) -> PyResult {
    let v = this(vm, &args)?;
    let line = m_readline(vm, Args::new(&[v.clone()]))?;
    let empty = match &line {
        Value::Obj(o) => match &o.payload {
            Payload::Str(s) => s.char_len() == 0,
            Payload::Bytes(b) => b.bytes.is_empty(),
            _ => false,
        },
        _ => false,
    };
    if empty {
        return Err(vm.new_stop_iteration(None));
    }
    Ok(line)
}

fn m_exit(vm: &Vm, args: Args) -> PyResult {
    close_state(vm, state(vm, this(vm, &args)?)?)?;
    Ok(Value::None)
}

fn m_repr(vm: &Vm, args: Args) -> PyResult {
    let v = this(vm, &args)?;
    let f = state(vm, v)?;
    let (kind, name, mode, enc, closed, closefd) = {
        let st = f.borrow();
        let s = st.stream.borrow();
        (st.kind, st.name.clone(), st.mode.clone(), st.text.as_ref().map(|t| t.encoding.clone()), s.closed, s.closefd)
    };
    let tname = vm.type_name_of(v);
    let name_r = vm.repr_string(&name)?;
    Ok(vm.new_str(match kind {
        Kind::Text => format!("<_io.{tname} name={name_r} mode='{mode}' encoding='{}'>", enc.unwrap_or_default()),
        Kind::Raw if closed => format!("<_io.{tname} [closed]>"),
        Kind::Raw => format!(
            "<_io.{tname} name={name_r} mode='{mode}' closefd={}>",
            if closefd { "True" } else { "False" }
        ),
        _ => format!("<_io.{tname} name={name_r}>"),
    }))
}

// ---- attributes ----------------------------------------------------------------

fn g_closed(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Bool(state(vm, v)?.borrow().stream.borrow().closed))
}
fn g_name(vm: &Vm, v: &Value) -> PyResult {
    Ok(state(vm, v)?.borrow().name.clone())
}
fn g_mode(vm: &Vm, v: &Value) -> PyResult {
    Ok(vm.new_str(state(vm, v)?.borrow().mode.as_str()))
}
fn text_attr(vm: &Vm, v: &Value, get: fn(&Vm, &TextState) -> Value) -> PyResult {
    let f = state(vm, v)?;
    let st = f.borrow();
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
fn g_closefd(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Bool(state(vm, v)?.borrow().stream.borrow().closefd))
}

/// The binary mode string CPython's buffered/raw objects report.
fn binary_mode(readable: bool, writable: bool, letter: char) -> String {
    let plus = readable && writable;
    let letter = if plus && letter == 'w' { 'r' } else { letter };
    format!("{letter}b{}", if plus { "+" } else { "" })
}

fn g_buffer(vm: &Vm, v: &Value) -> PyResult {
    let f = state(vm, v)?;
    let mut st = f.borrow_mut();
    let (kind, readable, writable) = (st.kind, st.readable, st.writable);
    let stream = st.stream.clone();
    let name = st.name.clone();
    let bsize = st.buffer_size;
    let wt = st.write_through;
    let mode = st.mode.clone();
    let t = match st.text.as_mut() {
        Some(t) => t,
        None => return Err(vm.new_attribute_error(format!("'{}' object has no attribute 'buffer'", vm.type_name_of(v)))),
    };
    if let Some(b) = &t.buffer {
        return Ok(b.clone());
    }
    let _ = kind;
    let letter = mode.chars().find(|c| "rwax".contains(*c)).unwrap_or('r');
    let bkind = match (readable, writable) {
        (true, true) => Kind::Random,
        (true, false) => Kind::Reader,
        _ => Kind::Writer,
    };
    let b = make_file(
        vm,
        FileState {
            kind: bkind,
            stream,
            name,
            mode: binary_mode(readable, writable, letter),
            readable,
            writable,
            write_through: wt,
            buffer_size: bsize,
            text: None,
        },
    );
    t.buffer = Some(b.clone());
    Ok(b)
}

fn make_file(vm: &Vm, st: FileState) -> Value {
    let t = &vm.types;
    let typ = match st.kind {
        Kind::Text => &t.text_io_wrapper,
        Kind::Reader => &t.buffered_reader,
        Kind::Writer => &t.buffered_writer,
        Kind::Random => &t.buffered_random,
        Kind::Raw => &t.file_io,
    };
    Value::Obj(PyRef::new(typ.clone(), Payload::File(Box::new(RefCell::new(st)))))
}

// ---- open() --------------------------------------------------------------------

fn open(vm: &Vm, args: Args) -> PyResult {
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
    let encoding = opt_str(3, "encoding")?;
    let errors = opt_str(4, "errors")?;
    let newline = opt_str(5, "newline")?;
    let closefd = match &b[6] {
        Some(v) => vm.truthy(v)?,
        None => true,
    };
    if b[7].as_ref().map_or(false, |o| !o.is_none()) {
        return Err(vm.new_not_implemented_error("open(): opener is not supported by krait yet"));
    }
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
    // The file: a path (str, bytes, PathLike) or a file descriptor.
    let handle = if let Value::Int(fd) = file {
        match fd {
            0 => Handle::Stdin,
            1 => Handle::Stdout,
            2 => Handle::Stderr,
            _ if fd < 0 => return Err(vm.new_value_error("negative file descriptor")),
            // Without `unsafe` there is no from_raw_fd: reopen it through /dev/fd.
            _ => Handle::File(open_path(vm, &format!("/dev/fd/{fd}"), letter, plus, &file)?),
        }
    } else {
        let path = path_arg(vm, &file)?;
        if !closefd {
            return Err(vm.new_value_error("Cannot use closefd=False with file name"));
        }
        Handle::File(open_path(vm, &path, letter, plus, &file)?)
    };
    let tty = handle.isatty();
    let stream = Rc::new(RefCell::new(Stream {
        handle: Some(handle),
        read_buf: Vec::new(),
        read_pos: 0,
        write_buf: Vec::new(),
        closed: false,
        closefd,
    }));
    let buffer_size = if buffering > 1 { buffering as usize } else { CHUNK };
    if letter == 'a' {
        // O_APPEND writes at the end anyway; tell() should report it too.
        if let Some(h) = stream.borrow_mut().handle.as_mut() {
            let _ = h.seek(SeekFrom::End(0));
        }
    }
    let st = if binary {
        let kind = match (buffering == 0, readable, writable) {
            (true, _, _) => Kind::Raw,
            (_, true, true) => Kind::Random,
            (_, true, false) => Kind::Reader,
            _ => Kind::Writer,
        };
        FileState {
            kind,
            stream,
            name: file.clone(),
            mode: binary_mode(readable, writable, letter),
            readable,
            writable,
            write_through: buffering == 0,
            buffer_size,
            text: None,
        }
    } else {
        FileState {
            kind: Kind::Text,
            stream,
            name: file.clone(),
            mode: mode.clone(),
            readable,
            writable,
            write_through: false,
            buffer_size,
            text: Some(TextState {
                encoding: encoding.unwrap_or_else(|| "UTF-8".to_string()),
                errors: errors.unwrap_or_else(|| "strict".to_string()),
                newline,
                decoded: String::new(),
                pos: 0,
                pending_cr: false,
                line_buffering: buffering == 1 || (buffering < 0 && tty),
                buffer: None,
            }),
        }
    };
    Ok(make_file(vm, st))
}

/// A path argument as text: str, bytes (UTF-8) or an os.PathLike.
fn path_arg(vm: &Vm, v: &Value) -> PyResult<String> {
    if let Some(s) = vm.as_str(v) {
        if s.contains('\0') {
            return Err(vm.new_value_error("embedded null byte"));
        }
        return Ok(s.to_string());
    }
    if let Some(b) = v.payload().and_then(|p| p.as_bytes()) {
        return Ok(String::from_utf8_lossy(b).into_owned());
    }
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

fn open_path(vm: &Vm, path: &str, letter: char, plus: bool, name: &Value) -> PyResult<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    match letter {
        'r' => o.read(true).write(plus),
        'w' => o.write(true).create(true).truncate(true).read(plus),
        'a' => o.append(true).create(true).read(plus),
        _ => o.write(true).create_new(true).read(plus),
    };
    let f = o.open(path).map_err(|e| os_error_from_io(vm, &e, Some(name.clone()), None))?;
    // Linux lets a directory be opened for reading; CPython refuses with EISDIR.
    if f.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(os_error_from_io(vm, &std::io::Error::from_raw_os_error(21), Some(name.clone()), None));
    }
    Ok(f)
}

// ---- standard streams ----------------------------------------------------------

fn std_stream(vm: &Vm, handle: Handle, name: &str, readable: bool, line_buffering: bool, write_through: bool, errors: &str) -> Value {
    let stream = Rc::new(RefCell::new(Stream {
        handle: Some(handle),
        read_buf: Vec::new(),
        read_pos: 0,
        write_buf: Vec::new(),
        closed: false,
        closefd: false,
    }));
    make_file(
        vm,
        FileState {
            kind: Kind::Text,
            stream,
            name: vm.new_str(name),
            mode: if readable { "r" } else { "w" }.to_string(),
            readable,
            writable: !readable,
            write_through,
            buffer_size: CHUNK,
            text: Some(TextState {
                encoding: "utf-8".to_string(),
                errors: errors.to_string(),
                newline: None,
                decoded: String::new(),
                pos: 0,
                pending_cr: false,
                line_buffering,
                buffer: None,
            }),
        },
    )
}

/// `sys.stdin`, `sys.stdout`, `sys.stderr`: stdout is line-buffered on a
/// terminal and block-buffered otherwise; stderr is line-buffered; `-u`
/// makes both write through.
pub fn make_std_streams(vm: &Vm) -> (Value, Value, Value) {
    let unbuffered = vm.config.unbuffered;
    let tty = std::io::stdout().is_terminal();
    let stdin = std_stream(vm, Handle::Stdin, "<stdin>", true, false, false, "strict");
    let stdout = std_stream(vm, Handle::Stdout, "<stdout>", false, tty, unbuffered, "strict");
    let stderr = std_stream(vm, Handle::Stderr, "<stderr>", false, true, unbuffered, "backslashreplace");
    (stdin, stdout, stderr)
}

/// Flushes `sys.stdout` and `sys.stderr` (at exit). Errors of stdout are
/// returned (CPython then reports them and exits with 120).
pub fn flush_std_streams(vm: &Vm) -> PyResult<()> {
    let mut result = Ok(());
    for name in ["stdout", "stderr"] {
        if let Some(f) = super::functions::sys_attr(vm, name).filter(|f| !f.is_none()) {
            let r = match f.payload() {
                Some(Payload::File(st)) => {
                    let st = st.borrow();
                    if st.stream.borrow().closed {
                        Ok(())
                    } else {
                        flush_state(vm, &st)
                    }
                }
                _ => vm.call_method(&f, "flush", &[]).map(|_| ()),
            };
            if name == "stdout" {
                result = r;
            }
        }
    }
    result
}

/// Writes `s` natively when `file` is one of krait's text files (print's
/// fast path); None when `file` is anything else.
pub fn fast_write(vm: &Vm, file: &Value, s: &str) -> Option<PyResult<()>> {
    let f = match file {
        Value::Obj(o) if o.class().is(&vm.types.text_io_wrapper) => match &o.payload {
            Payload::File(f) => f,
            _ => return None,
        },
        _ => return None,
    };
    if f.borrow().text.is_none() {
        return None;
    }
    // Only encoding errors need the str object; make it lazily.
    let mut st = match f.try_borrow_mut() {
        Ok(st) => st,
        Err(_) => return Some(Err(vm.new_runtime_error("reentrant call inside file write"))),
    };
    if let Err(e) = check(vm, &st, false, true) {
        return Some(Err(e));
    }
    let t = st.text.as_ref().unwrap();
    let plain = t.newline.as_deref().map_or(true, |n| n.is_empty() || n == "\n")
        && (t.encoding.eq_ignore_ascii_case("utf-8") || t.encoding.eq_ignore_ascii_case("utf8"));
    let r = if plain {
        write_bytes(vm, &mut st, s.as_bytes(), s.contains(['\n', '\r']))
    } else {
        drop(st);
        write_text(vm, f, &vm.new_str(s), s)
    };
    Some(r)
}

// ---- registration --------------------------------------------------------------

pub static FUNCTIONS: &[NativeDef] = &[NativeDef::function("open", open)];

static METHODS: [NativeDef; 23] = [
    NativeDef::method("read", m_read),
    NativeDef::method("read1", m_read),
    NativeDef::method("readall", m_read),
    NativeDef::method("readline", m_readline),
    NativeDef::method("readlines", m_readlines),
    NativeDef::method("write", m_write),
    NativeDef::method("writelines", m_writelines),
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
    NativeDef::method("__iter__", m_iter),
    NativeDef::method("__next__", m_next),
    NativeDef::method("__enter__", m_iter),
    NativeDef::method("__exit__", m_exit),
    NativeDef::method("__repr__", m_repr),
    NativeDef::method("detach", m_detach),
];

fn m_detach(vm: &Vm, _args: Args) -> PyResult {
    Err(vm.new_not_implemented_error("detach() is not supported by krait yet"))
}

const fn ro(name: &'static str, get: fn(&Vm, &Value) -> PyResult) -> GetSetDef {
    GetSetDef { name, get, set: None, doc: "" }
}

static COMMON_GETSETS: [GetSetDef; 3] = [ro("closed", g_closed), ro("name", g_name), ro("mode", g_mode)];
static TEXT_GETSETS: [GetSetDef; 5] = [
    ro("encoding", g_encoding),
    ro("errors", g_errors),
    ro("newlines", g_newlines),
    ro("line_buffering", g_line_buffering),
    ro("buffer", g_buffer),
];
static RAW_GETSETS: [GetSetDef; 1] = [ro("closefd", g_closefd)];

pub fn init(vm: &Vm) {
    use crate::types::{add_attr, add_getsets, add_methods};
    let t = &vm.types;
    for typ in [&t.text_io_wrapper, &t.buffered_reader, &t.buffered_writer, &t.buffered_random, &t.file_io] {
        add_methods(vm, typ, &METHODS);
        add_getsets(vm, typ, &COMMON_GETSETS);
        add_attr(vm, typ, "__module__", Value::Obj(vm.intern("_io")));
    }
    add_getsets(vm, &t.text_io_wrapper, &TEXT_GETSETS);
    add_getsets(vm, &t.file_io, &RAW_GETSETS);
    // io.UnsupportedOperation is both an OSError and a ValueError.
    let uo = &vm.exc.unsupported_operation;
    let bases = vec![vm.exc.os_error.clone(), vm.exc.value_error.clone()];
    if let Ok(mro) = vm.compute_mro(uo, &bases) {
        let td = uo.payload.as_type().unwrap();
        *td.bases.borrow_mut() = bases;
        *td.mro.borrow_mut() = mro;
        vm.exc.value_error.payload.as_type().unwrap().subclasses.borrow_mut().push(uo.as_ptr());
    }
    add_attr(vm, uo, "__module__", Value::Obj(vm.intern("io")));
}
