//! krait's virtual machine: the object model, the builtin types, the eval loop
//! and the builtins and sys modules. See docs/architecture.md for the tour.

pub mod builtins;
pub mod config;
pub mod eval;
pub mod exceptions;
pub mod finalize;
pub mod gc;
pub mod gil;
pub mod import;
mod import_cache;
pub mod import_lock;
pub mod instance_values;
mod interp_state;
pub mod modules;
pub mod object;
pub mod object_size;
pub mod object_slots;
pub mod payload;
pub mod tuple_items;
pub mod protocol;
pub mod repl;
pub mod run;
mod source_decode;
pub mod traceback;
mod traceback_carets;
pub mod types;
pub mod value;
pub mod vm;

pub use exceptions::PyErr;
pub use object::PyRef;
pub use types::function::{Args, NativeDef};
pub use value::Value;
pub use vm::Vm;

/// The result of anything that can raise a Python exception.
pub type PyResult<T = Value> = Result<T, PyErr>;
