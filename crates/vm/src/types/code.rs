//! `code` objects: a compiled `CodeObject` plus its constants and names turned
//! into VM values once, when the code is loaded.

use crate::object::PyRef;
use crate::value::Value;
use krait_compiler::CodeObject;

pub struct PyCode {
    pub code: CodeObject,
    /// `code.code` quickened (`eval/quicken.rs`): what the eval loop runs.
    pub quick: Box<[krait_compiler::bytecode::Instr]>,
    /// Where a call starts: 1 past an opening `RESUME 0` (a no-op), else 0.
    pub start: u32,
    /// Fast locals + cells + frees: where a frame's value stack starts.
    pub nlocalsplus: u32,
    /// The slots a frame needs: `nlocalsplus`, the stack, one spare.
    pub frame_slots: u32,
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
    /// One attribute cache per name for `LOAD_ATTR`/`STORE_ATTR`/`LOAD_METHOD`
    /// (indexed like `names`).
    pub attr_cache: Box<[AttrCache]>,
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

/// What an attribute instruction found for a name on one type state (a type
/// version tag): CPython 3.11's LOAD_ATTR_SLOT / LOAD_ATTR_INSTANCE_VALUE /
/// LOAD_METHOD specialisations, kept per name of the code object.
pub struct AttrCache {
    /// The type version tag the entry is valid for (0: empty).
    pub version: std::cell::Cell<u64>,
    pub kind: std::cell::Cell<AttrKind>,
    /// The `__slots__` cell index for `AttrKind::Slot`.
    pub index: std::cell::Cell<u32>,
    /// What the type lookup found (the method for `AttrKind::Method`),
    /// held without a reference and valid for its own version tag only.
    pub method: crate::types::typeobj::CachedLookup,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum AttrKind {
    /// Nothing cacheable: the generic path decides.
    Generic,
    /// A `__slots__` member: the value is in the instance's slot cell.
    Slot,
    /// No attribute of that name on the type at all: only the instance dict.
    Dict,
    /// A plain function or method descriptor on the type (not shadowed
    /// unless the instance dict has the name).
    Method,
}

impl AttrCache {
    pub fn empty() -> AttrCache {
        AttrCache {
            version: std::cell::Cell::new(0),
            kind: std::cell::Cell::new(AttrKind::Generic),
            index: std::cell::Cell::new(0),
            method: crate::types::typeobj::CachedLookup::empty(),
        }
    }
}
