//! The bottom of a file chain: the OS handle (or a Python object standing in
//! for one) and the byte buffers. A TextIOWrapper, its Buffered* `.buffer`
//! and that one's FileIO `.raw` share one `Stream`, so data written through
//! any of them reaches the OS in order, and read-ahead is never lost.

use crate::types::exception_methods::os_error_from_io;
use crate::value::Value;
use crate::{Args, PyResult, Vm};
use std::io::{IsTerminal, Read, Seek, SeekFrom, Write};
use std::sync::{Condvar, Mutex};

pub const CHUNK: usize = 8192;

/// What a stream reads from and writes to.
pub enum Handle {
    File(std::fs::File),
    Stdin,
    Stdout,
    Stderr,
    /// A Python object with `read`/`write`/`seek`/... (a BytesIO under a
    /// TextIOWrapper, a user's RawIOBase under a BufferedReader).
    Py(Value),
}

pub fn io_err(vm: &Vm, e: std::io::Error) -> crate::PyErr {
    os_error_from_io(vm, &e, None, None)
}

fn retry<T>(mut f: impl FnMut() -> std::io::Result<T>) -> std::io::Result<T> {
    loop {
        match f() {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            r => return r,
        }
    }
}

// ---- other threads ------------------------------------------------------------
//
// A file method keeps its object's `FileState` and the chain's `Stream`
// borrowed while it runs, also while a system call waits with the GIL
// released (or a Python stand-in's method runs, during which the GIL may
// pass to another thread). Another thread using the same chain meanwhile
// finds a borrow taken: instead of failing (the single-threaded meaning, a
// re-entrant call) it waits until the holder is done, as CPython's buffered
// objects wait for their lock. The interpreter lists the threads that may let
// other threads run while holding such borrows; a failed borrow waits while
// some other thread is listed (a real re-entrant call made while an
// unrelated file is busy in another thread is reported late, when that one
// is done: rare, and never wrong).

/// The threads that may hold io borrows while another thread runs
/// (`vm.state`), and a count bumped at each departure.
#[derive(Default)]
struct IoBusy {
    threads: Mutex<(u64, Vec<u64>)>,
    left: Condvar,
}

impl IoBusy {
    fn lock(&self) -> std::sync::MutexGuard<'_, (u64, Vec<u64>)> {
        self.threads.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Runs `f` (no Python objects, no Vm) with the GIL released, listing the
/// thread as busy meanwhile (until it holds the GIL again).
pub fn release_io<R>(vm: &Vm, f: impl FnOnce() -> R + Send) -> R {
    listed(vm, || vm.allow_threads(f))
}

/// Runs `f` with the thread listed as busy (see above).
fn listed<R>(vm: &Vm, f: impl FnOnce() -> R) -> R {
    if !vm.gil.is_threaded() {
        return f();
    }
    let busy = vm.state::<IoBusy>();
    let me = crate::gil::thread_serial();
    busy.lock().1.push(me);
    let r = f();
    let mut g = busy.lock();
    if let Some(i) = g.1.iter().position(|t| *t == me) {
        g.1.swap_remove(i);
    }
    g.0 = g.0.wrapping_add(1);
    drop(g);
    busy.left.notify_all();
    r
}

/// After a failed borrow: when another thread let go of the GIL inside the
/// io module (it may hold the borrow), waits a while for one to come back
/// and returns true (borrow again); false means the caller itself holds it.
pub fn wait_for_holder(vm: &Vm) -> bool {
    // Once the interpreter finalizes, the other threads never run again: a
    // daemon thread's borrow is never given back (CPython aborts there).
    if !vm.gil.is_threaded() || vm.finalizing.get() {
        return false;
    }
    let busy = vm.state::<IoBusy>();
    let me = crate::gil::thread_serial();
    let seen = {
        let g = busy.lock();
        if !g.1.iter().any(|t| *t != me) {
            return false;
        }
        g.0
    };
    let busy = &*busy;
    // Listed too while waiting: this thread may hold borrows of its own.
    release_io(vm, || {
        let mut g = busy.lock();
        // Bounded, so a waiting thread still gets to look again now and then.
        let deadline = std::time::Instant::now() + std::time::Duration::from_millis(50);
        while g.0 == seen {
            let now = std::time::Instant::now();
            if now >= deadline {
                break;
            }
            g = busy.left.wait_timeout(g, deadline - now).unwrap_or_else(|e| e.into_inner()).0;
        }
    });
    true
}

/// A method of a Python stand-in, called with io borrows held: the thread is
/// listed as busy meanwhile, since the GIL may pass to another thread.
fn py_method(vm: &Vm, obj: &Value, name: &str, args: &[Value]) -> PyResult {
    listed(vm, || vm.call_method(obj, name, args))
}

/// Writes to the process's stdout or stderr.
fn write_std(stdout: bool, data: &[u8]) -> std::io::Result<()> {
    if stdout {
        // Rust's own stdout buffer is flushed at once: ours is the only one that counts.
        let mut o = std::io::stdout().lock();
        o.write_all(data)?;
        o.flush()
    } else {
        std::io::stderr().lock().write_all(data)
    }
}

impl Handle {
    pub fn read(&mut self, vm: &Vm, buf: &mut [u8]) -> PyResult<usize> {
        let r = match self {
            // `buf` is the stream's own buffer, borrowed: no other thread can touch it.
            Handle::File(f) => release_io(vm, || retry(|| f.read(buf))),
            Handle::Stdin => release_io(vm, || retry(|| std::io::stdin().lock().read(buf))),
            Handle::Py(obj) => {
                let data = py_method(vm, obj, "read", &[Value::Int(buf.len() as i64)])?;
                if data.is_none() {
                    return Ok(0);
                }
                let data = super::bytes_like(vm, &data)?;
                let n = data.len().min(buf.len());
                buf[..n].copy_from_slice(&data[..n]);
                return Ok(n);
            }
            _ => Err(std::io::Error::from_raw_os_error(9)),
        };
        r.map_err(|e| io_err(vm, e))
    }

    pub fn write_all(&mut self, vm: &Vm, data: &[u8]) -> PyResult<()> {
        if let Handle::Py(obj) = self {
            // A raw object may write part of the data; a buffered one takes it all.
            let mut done = 0;
            while done < data.len() {
                let n = py_method(vm, obj, "write", &[vm.new_bytes(data[done..].to_vec())])?;
                match n {
                    Value::None => break,
                    n => {
                        let n = vm.to_index_i64(&n)?;
                        if n <= 0 {
                            break;
                        }
                        done += n as usize;
                    }
                }
            }
            return Ok(());
        }
        let r = match self {
            Handle::File(f) => release_io(vm, || f.write_all(data)),
            Handle::Stdout => release_io(vm, || write_std(true, data)),
            Handle::Stderr => release_io(vm, || write_std(false, data)),
            _ => Err(std::io::Error::from_raw_os_error(9)),
        };
        r.map_err(|e| io_err(vm, e))
    }

    fn write_os(&mut self, data: &[u8]) -> std::io::Result<()> {
        match self {
            Handle::File(f) => f.write_all(data),
            Handle::Stdout => write_std(true, data),
            Handle::Stderr => write_std(false, data),
            _ => Err(std::io::Error::from_raw_os_error(9)),
        }
    }

    pub fn seek(&mut self, vm: &Vm, pos: SeekFrom) -> PyResult<u64> {
        let r = match self {
            Handle::File(f) => release_io(vm, || f.seek(pos)),
            Handle::Py(obj) => {
                let (off, whence) = match pos {
                    SeekFrom::Start(n) => (n as i64, 0),
                    SeekFrom::Current(n) => (n, 1),
                    SeekFrom::End(n) => (n, 2),
                };
                let r = py_method(vm, obj, "seek", &[Value::Int(off), Value::Int(whence)])?;
                return Ok(vm.to_index_i64(&r)?.max(0) as u64);
            }
            _ => Err(std::io::Error::from_raw_os_error(29)), // ESPIPE: Illegal seek
        };
        r.map_err(|e| io_err(vm, e))
    }

    /// An absolute seek to a negative offset: a Python raw stream decides
    /// (`_compression.DecompressReader` goes to the start); a file is lseek's EINVAL.
    pub fn seek_negative(&mut self, vm: &Vm, offset: i64) -> PyResult<u64> {
        match self {
            Handle::Py(obj) => {
                let r = py_method(vm, obj, "seek", &[Value::Int(offset), Value::Int(0)])?;
                Ok(vm.to_index_i64(&r)?.max(0) as u64)
            }
            Handle::File(_) => Err(io_err(vm, std::io::Error::from_raw_os_error(22))),
            _ => Err(io_err(vm, std::io::Error::from_raw_os_error(29))),
        }
    }

    pub fn seekable(&mut self, vm: &Vm) -> PyResult<bool> {
        match self {
            Handle::Py(obj) => {
                let r = py_method(vm, obj, "seekable", &[])?;
                vm.truthy(&r)
            }
            Handle::File(f) => Ok(f.stream_position().is_ok()),
            _ => Ok(false),
        }
    }

    pub fn truncate(&mut self, vm: &Vm, size: u64) -> PyResult<()> {
        match self {
            Handle::File(f) => release_io(vm, || f.set_len(size)).map_err(|e| io_err(vm, e)),
            Handle::Py(obj) => py_method(vm, obj, "truncate", &[Value::Int(size as i64)]).map(|_| ()),
            _ => Err(io_err(vm, std::io::Error::from_raw_os_error(22))),
        }
    }

    pub fn fileno(&self, vm: &Vm) -> PyResult<i64> {
        Ok(match self {
            Handle::File(f) => {
                use std::os::fd::AsRawFd;
                f.as_raw_fd() as i64
            }
            Handle::Stdin => 0,
            Handle::Stdout => 1,
            Handle::Stderr => 2,
            Handle::Py(obj) => {
                let r = py_method(vm, obj, "fileno", &[])?;
                vm.to_index_i64(&r)?
            }
        })
    }

    pub fn isatty(&self, vm: &Vm) -> PyResult<bool> {
        Ok(match self {
            Handle::File(f) => f.is_terminal(),
            Handle::Stdin => std::io::stdin().is_terminal(),
            Handle::Stdout => std::io::stdout().is_terminal(),
            Handle::Stderr => std::io::stderr().is_terminal(),
            Handle::Py(obj) => {
                let r = py_method(vm, obj, "isatty", &[])?;
                vm.truthy(&r)?
            }
        })
    }

    /// Closes a Python stand-in (OS handles close when dropped).
    pub fn close(&self, vm: &Vm) -> PyResult<()> {
        if let Handle::Py(obj) = self {
            py_method(vm, obj, "close", &[])?;
        }
        Ok(())
    }
}

/// The OS handle and the byte buffers, shared along a file chain.
pub struct Stream {
    pub handle: Option<Handle>,
    /// Bytes read ahead and not consumed yet: `read_buf[read_pos..]`.
    pub read_buf: Vec<u8>,
    pub read_pos: usize,
    /// Bytes written and not yet passed to the OS.
    pub write_buf: Vec<u8>,
    pub closed: bool,
    /// Whether closing releases the OS handle (false for the std streams).
    pub closefd: bool,
}

impl Stream {
    pub fn new(handle: Handle, closefd: bool) -> Stream {
        Stream { handle: Some(handle), read_buf: Vec::new(), read_pos: 0, write_buf: Vec::new(), closed: false, closefd }
    }

    pub fn flush_raw(&mut self, vm: &Vm) -> PyResult<()> {
        if self.write_buf.is_empty() {
            return Ok(());
        }
        let data = std::mem::take(&mut self.write_buf);
        match self.handle.as_mut() {
            Some(h) => h.write_all(vm, &data),
            None => Ok(()),
        }
    }

    pub fn unread(&self) -> usize {
        self.read_buf.len() - self.read_pos
    }

    /// Reads up to `n` more bytes into the read buffer; 0 at end of file.
    pub fn fill(&mut self, vm: &Vm, n: usize) -> PyResult<usize> {
        if self.read_pos > 0 && self.read_pos == self.read_buf.len() {
            self.read_buf.clear();
            self.read_pos = 0;
        }
        let old = self.read_buf.len();
        self.read_buf.resize(old + n, 0);
        let r = match self.handle.as_mut() {
            Some(h) => h.read(vm, &mut self.read_buf[old..]),
            None => Ok(0),
        };
        let got = *r.as_ref().unwrap_or(&0);
        self.read_buf.truncate(old + got);
        r
    }

    pub fn take_bytes(&mut self, n: usize) -> Vec<u8> {
        let n = n.min(self.unread());
        let out = self.read_buf[self.read_pos..self.read_pos + n].to_vec();
        self.read_pos += n;
        out
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        // A file dropped without close() still gets its data written (OS
        // handles only: a Python stand-in cannot be called without the VM).
        if !self.write_buf.is_empty() {
            let data = std::mem::take(&mut self.write_buf);
            if let Some(h) = self.handle.as_mut() {
                let _ = h.write_os(&data);
            }
        }
        // A descriptor the stream does not own stays open.
        if !self.closefd {
            if let Some(Handle::File(f)) = self.handle.take() {
                let _ = std::os::fd::IntoRawFd::into_raw_fd(f);
            }
        }
    }
}

/// Calls a method of a Python stand-in with no stream borrow held.
pub fn call_py(vm: &Vm, obj: &Value, name: &str, args: &[Value]) -> PyResult {
    let f = vm.getattr_str(obj, name)?;
    vm.call(&f, Args::new(args))
}
