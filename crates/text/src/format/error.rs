//! The error type shared by every routine in [`crate::format`]: a Python
//! exception class plus CPython's exact message text.

use std::fmt;

/// Which Python exception the VM should raise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    ValueError,
    OverflowError,
    ZeroDivisionError,
    MemoryError,
}

/// An error with CPython's exact message (`str(exc)`).
///
/// For `float ** float` overflow CPython raises `OverflowError(34, 'Numerical
/// result out of range')`; that case is signalled with `errno == Some(34)` and
/// `msg == "Numerical result out of range"` so the VM can build the 2-tuple args.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError {
    pub kind: ErrorKind,
    pub msg: String,
    pub errno: Option<i32>,
}

impl FormatError {
    pub fn new(kind: ErrorKind, msg: impl Into<String>) -> FormatError {
        FormatError { kind, msg: msg.into(), errno: None }
    }
    pub fn value(msg: impl Into<String>) -> FormatError {
        FormatError::new(ErrorKind::ValueError, msg)
    }
    pub fn overflow(msg: impl Into<String>) -> FormatError {
        FormatError::new(ErrorKind::OverflowError, msg)
    }
    pub fn zero_div(msg: impl Into<String>) -> FormatError {
        FormatError::new(ErrorKind::ZeroDivisionError, msg)
    }
    pub(crate) fn memory() -> FormatError {
        FormatError::new(ErrorKind::MemoryError, "")
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.errno {
            Some(e) => write!(f, "[Errno {}] {}", e, self.msg),
            None => f.write_str(&self.msg),
        }
    }
}

impl std::error::Error for FormatError {}

/// Result alias used throughout the module.
pub type FmtResult<T> = Result<T, FormatError>;

/// Allocates an output buffer, turning absurd sizes into `MemoryError`
/// instead of aborting the process.
pub(crate) fn alloc_string(cap: usize) -> FmtResult<String> {
    let mut s = String::new();
    s.try_reserve(cap).map_err(|_| FormatError::memory())?;
    Ok(s)
}
