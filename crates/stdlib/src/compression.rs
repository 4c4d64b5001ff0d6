//! Pieces shared by the compression modules (`zlib`, `_bz2`, `_lzma`): the
//! per-object lock around a coder, the bytes-like argument, running large
//! inputs with the GIL released, and the incremental decompressor of
//! `_bz2`/`_lzma` (input kept between calls, `max_length`, `eof`,
//! `unused_data`, `needs_input`) over any coder that works one call at a time.

use crate::native::descr_error;
use krait_vm::gc::NativeData;
use krait_vm::types::int::bytes_like;
use krait_vm::{Args, PyResult, Value, Vm};
use std::sync::{Mutex, MutexGuard};

/// From this much data on, the work runs with the GIL released.
pub const GIL_MINSIZE: usize = 4096;

/// A Rust state behind the object's lock (CPython's per-object lock):
/// large inputs are worked on with the GIL released, and the lock is only
/// taken inside that work, never while Python code runs.
pub struct Locked<T>(pub Mutex<T>);

impl<T> Locked<T> {
    pub fn new(state: T) -> Self {
        Locked(Mutex::new(state))
    }

    pub fn lock(&self) -> MutexGuard<'_, T> {
        // The work under the lock does not panic half-way in a way that matters.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Holds no Python references.
impl<T: 'static> NativeData for Locked<T> {}

/// The `Locked<T>` state of `v`, or the descriptor's TypeError.
pub fn state_of<'a, T: 'static>(vm: &Vm, v: &'a Value, name: &str, owner: &str) -> PyResult<&'a Locked<T>> {
    v.payload().and_then(|p| p.as_native::<Locked<T>>()).ok_or_else(|| descr_error(vm, name, owner, v))
}

/// The object's state (`args[0]`) and the other arguments.
pub fn split<'a, T: 'static>(vm: &Vm, args: Args<'a>, name: &str, owner: &str) -> PyResult<(&'a Locked<T>, Args<'a>)> {
    let Some(me) = args.args.first() else {
        return Err(vm.new_type_error(format!("descriptor '{name}' of '{owner}' object needs an argument")));
    };
    let st = state_of(vm, me, name, owner)?;
    Ok((st, Args { args: &args.args[1..], kwnames: args.kwnames }))
}

/// Runs `f` with the GIL released when `size` is large (`f` touches no Python object).
pub fn maybe_unlocked<R: Send>(vm: &Vm, size: usize, f: impl FnOnce() -> R + Send) -> R {
    if size >= GIL_MINSIZE {
        vm.allow_threads(f)
    } else {
        f()
    }
}

/// A `Py_buffer` argument: any bytes-like object.
pub fn data_arg(vm: &Vm, v: &Value) -> PyResult<Vec<u8>> {
    if vm.as_str(v).is_none() {
        if let Some(b) = bytes_like(v) {
            return Ok(b);
        }
    }
    Err(vm.new_type_error(format!("a bytes-like object is required, not '{}'", vm.type_name_of(v))))
}

/// A C `int` argument (`__index__`, then the range check).
pub fn c_int(vm: &Vm, v: &Value) -> PyResult<i32> {
    match vm.index(v)? {
        Value::Int(i) if i32::try_from(i).is_ok() => Ok(i as i32),
        Value::Bool(b) => Ok(b as i32),
        _ => Err(vm.new_overflow_error("Python int too large to convert to C int")),
    }
}

/// Runs an encoder over all of `data` (`finish`: then to the end of its
/// stream), collecting the output. `step` codes some input into the spare
/// capacity of `out` and returns how much it consumed and whether the
/// stream has ended.
pub fn encode_all<E>(
    data: &[u8],
    finish: bool,
    mut step: impl FnMut(&[u8], &mut Vec<u8>) -> Result<(usize, bool), E>,
) -> Result<Vec<u8>, E> {
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        if out.capacity() - out.len() < 1024 {
            out.reserve(out.len().max(32 * 1024));
        }
        let (consumed, ended) = step(&data[pos..], &mut out)?;
        pos += consumed;
        let done = if finish { ended } else { pos == data.len() && out.len() < out.capacity() };
        if done {
            return Ok(out);
        }
    }
}

/// What one call into a decoding library did.
pub struct Step {
    pub consumed: usize,
    pub produced: usize,
    /// The end-of-stream marker was reached.
    pub end: bool,
    /// The coder stopped early to report something (liblzma's GET_CHECK,
    /// NO_CHECK), possibly without progress: not a stall.
    pub event: bool,
}

/// A decoding library driven one call at a time.
pub trait Decode {
    type Err;
    /// Decodes from `input` into `out` (either may be empty).
    fn step(&mut self, input: &[u8], out: &mut [u8]) -> Result<Step, Self::Err>;
}

/// The first output block (CPython's blocks output buffer starts at 32 KiB).
const FIRST_BLOCK: usize = 32 * 1024;

/// The incremental decompressor state shared by `_bz2` and `_lzma`.
pub struct Decompressor<D> {
    pub coder: D,
    pub eof: bool,
    pub needs_input: bool,
    pub unused_data: Vec<u8>,
    /// Input given but not consumed yet (output was limited by `max_length`).
    pending: Vec<u8>,
    /// `_lzma` checks for a full output buffer before for used-up input,
    /// `_bz2` the other way round (which decides `needs_input`).
    output_first: bool,
}

impl<D: Decode> Decompressor<D> {
    pub fn new(coder: D, output_first: bool) -> Self {
        Decompressor { coder, eof: false, needs_input: true, unused_data: Vec::new(), pending: Vec::new(), output_first }
    }

    /// `decompress(data, max_length)` once the eof check is done: the
    /// pending input followed by `data` is decoded into at most
    /// `max_length` bytes (no limit when negative).
    pub fn decompress(&mut self, data: &[u8], max_length: i64) -> Result<Vec<u8>, D::Err> {
        let mut input = std::mem::take(&mut self.pending);
        input.extend_from_slice(data);
        let limit = usize::try_from(max_length).unwrap_or(usize::MAX);
        let mut out = vec![0u8; limit.min(FIRST_BLOCK)];
        let mut filled = 0;
        let mut pos = 0;
        loop {
            let step = self.coder.step(&input[pos..], &mut out[filled..])?;
            pos += step.consumed;
            filled += step.produced;
            if step.end {
                self.eof = true;
                break;
            }
            let out_full = filled == out.len();
            let in_done = pos == input.len();
            if in_done && !(self.output_first && out_full) {
                break;
            }
            if out_full {
                if filled == limit {
                    break;
                }
                out.resize(limit.min(filled.saturating_mul(2).max(FIRST_BLOCK)), 0);
            } else if step.consumed == 0 && step.produced == 0 && !step.event {
                // No progress with input and room left: nothing more to do now.
                break;
            }
        }
        // A full output buffer (stopped at max_length) may leave output inside the coder.
        let out_full = filled == out.len();
        out.truncate(filled);
        let rest = &input[pos..];
        if self.eof {
            self.needs_input = false;
            if !rest.is_empty() {
                self.unused_data = rest.to_vec();
            }
        } else if rest.is_empty() {
            self.needs_input = !(self.output_first && out_full);
        } else {
            self.needs_input = false;
            self.pending = rest.to_vec();
        }
        Ok(out)
    }
}
