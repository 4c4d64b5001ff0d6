//! The hash table behind `set` and `frozenset`. It reuses the dict table with
//! `None` values for now; CPython's set uses a different probing scheme, so
//! iteration order of sets of ints can differ: see docs/differences.md until
//! the set table mirrors CPython's.

pub use crate::types::dict_table::DictTable as SetTable;
