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
}
