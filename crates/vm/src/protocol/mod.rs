//! The abstract object protocol (CPython's abstract.c and object.c): what the
//! eval loop and every builtin use to operate on values of any type. Fast
//! paths for builtin types come first; everything else dispatches through the
//! special-method cache of the type (see `types/typeobj.rs`).

pub mod attr;
pub mod call;
pub mod convert;
pub mod object;
pub mod ops;
