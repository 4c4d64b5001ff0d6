//! The `_sqlite3` module: CPython 3.11's SQLite binding (what the pure-Python
//! `sqlite3` package wraps), over rusqlite's safe API and a bundled SQLite.
//!
//! - `module.rs`: module functions, constants, `PrepareProtocol`;
//! - `connection.rs` (+ `conn_methods.rs`, `callbacks.rs`): `Connection`;
//! - `cursor.rs` (+ `execute.rs`): `Cursor` and statement execution;
//! - `row.rs`: `Row`; `blob.rs`: `Blob` and `backup`; `statement.rs`: `Statement`;
//!   `serialize.rs`: `serialize`/`deserialize`; `sqltext.rs`: SQL text scanning;
//! - `values.rs`: binding, adapters, converters; `errors.rs`: exceptions.
//!
//! A statement runs to completion when executed and its rows are buffered
//! (rusqlite statements borrow their connection, so they cannot outlive the
//! call); values are turned into Python objects (converters, text_factory)
//! only when fetched, as in CPython.

mod blob;
mod callbacks;
mod codes;
mod conn_methods;
mod connection;
mod cursor;
mod errors;
mod execute;
mod module;
mod row;
mod serialize;
mod sqltext;
mod statement;
mod values;

pub use module::make_module;

use krait_vm::{PyRef, Vm};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// Per-interpreter state: the exception classes, the adapter and
/// converter registries, and `enable_callback_tracebacks`.
#[derive(Default)]
pub struct SqliteState {
    exceptions: RefCell<Option<errors::Exceptions>>,
    adapters: RefCell<Option<PyRef>>,
    converters: RefCell<Option<PyRef>>,
    /// An adapter was registered for int, float, str or bytearray: every
    /// parameter is then looked up.
    base_type_adapted: Cell<bool>,
    tracebacks: Cell<bool>,
}

impl SqliteState {
    fn dict(vm: &Vm, cell: &RefCell<Option<PyRef>>) -> PyRef {
        if let Some(d) = &*cell.borrow() {
            return d.clone();
        }
        let d = vm.new_dict();
        *cell.borrow_mut() = Some(d.clone());
        d
    }

    /// `_sqlite3.adapters`.
    pub fn adapters_in(&self, vm: &Vm) -> PyRef {
        Self::dict(vm, &self.adapters)
    }

    /// `_sqlite3.converters`.
    pub fn converters_in(&self, vm: &Vm) -> PyRef {
        Self::dict(vm, &self.converters)
    }
}

pub fn state(vm: &Vm) -> Rc<SqliteState> {
    vm.state::<SqliteState>()
}

/// `detect_types` flags.
pub const PARSE_DECLTYPES: i32 = 1;
pub const PARSE_COLNAMES: i32 = 2;
