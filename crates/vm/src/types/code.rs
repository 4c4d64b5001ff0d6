//! `code` objects: a compiled `CodeObject` plus its constants and names turned
//! into VM values once, when the code is loaded.

use crate::object::PyRef;
use crate::value::Value;
use krait_compiler::CodeObject;

pub struct PyCode {
    pub code: CodeObject,
    /// `code.consts` as values (nested code objects become `code` objects).
    pub consts: Box<[Value]>,
    /// `code.names`, interned.
    pub names: Box<[PyRef]>,
    /// `code.varnames`, interned (keyword arguments match against these).
    pub varnames: Box<[PyRef]>,
    /// Cell names then free names, interned.
    pub cell_and_free: Box<[PyRef]>,
    /// Interned `name`, `qualname`, `filename`.
    pub name: PyRef,
    pub qualname: PyRef,
    pub filename: PyRef,
    /// True when a call with exactly `argcount` positional arguments only has
    /// to move them into the first fast locals: no `*args`/`**kwargs`, no
    /// keyword-only parameters, no cells or free variables, not a generator.
    pub simple_args: bool,
    /// One cache per name for `LOAD_GLOBAL` (indexed like `names`).
    pub global_cache: Box<[GlobalCache]>,
}

/// Where `LOAD_GLOBAL` found a name the last time: valid while the globals
/// and builtins dicts keep the keys versions it was filled under (a value
/// replaced in place needs no invalidation: the entry index is cached, not
/// the value).
pub struct GlobalCache {
    pub globals_version: std::cell::Cell<u64>,
    pub builtins_version: std::cell::Cell<u64>,
    /// Entry index; the top bit set means "in builtins".
    pub index: std::cell::Cell<u32>,
}

impl GlobalCache {
    pub const IN_BUILTINS: u32 = 1 << 31;

    pub fn empty() -> GlobalCache {
        GlobalCache {
            globals_version: std::cell::Cell::new(u64::MAX),
            builtins_version: std::cell::Cell::new(u64::MAX),
            index: std::cell::Cell::new(0),
        }
    }
}
