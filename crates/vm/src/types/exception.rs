//! Data of `BaseException` instances (and of every subclass: exceptions always
//! carry their own `__dict__`).

use crate::object::ValueCell;
use std::cell::Cell;

#[derive(Default)]
pub struct ExceptionData {
    /// `args`: always a tuple.
    pub args: ValueCell,
    pub traceback: ValueCell,
    pub cause: ValueCell,
    pub context: ValueCell,
    pub suppress_context: Cell<bool>,
    /// The instance `__dict__` (created lazily); holds `__notes__` and any attribute.
    pub dict: ValueCell,
    /// Per-type extra fields (e.g. StopIteration.value, OSError.errno,
    /// SyntaxError fields, ExceptionGroup's message and exceptions), by name in `dict`
    /// where CPython exposes them as attributes.
    pub extra: ValueCell,
}
