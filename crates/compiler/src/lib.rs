//! krait's compiler: Python source text to code objects.
//!
//! source bytes --[`source`: PEP 263 decoding]--> text --[ruff_python_parser]--> AST
//! --[`symtable`]--> scopes --[`codegen`]--> [`CodeObject`]
//!
//! Errors come out as [`CompileError`]s worded as CPython 3.11 words them.

pub mod bytecode;
pub mod code;
pub mod code_cache;
pub mod dis;
pub mod error;
pub mod source;
pub mod symtable;
pub mod codegen;
pub mod ast;
mod locate;
mod parse;
mod syntax_errors;
mod number_literals;

pub use code::{CodeObject, Constant};
pub use error::{CompileError, ErrorKind};

/// What the source is compiled as (the `mode` argument of `compile()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A module or script: a sequence of statements.
    Exec,
    /// A single expression; the code returns its value.
    Eval,
    /// One interactive statement; expression statements print their value.
    Single,
}

/// Compiles text (already decoded) to a module-level code object.
pub fn compile(source: &str, filename: &str, mode: Mode) -> Result<CodeObject, CompileError> {
    codegen::compile_source(&source::translate_newlines(source), filename, mode)
}

/// Compiles raw bytes of a source file: decodes them by PEP 263 first.
pub fn compile_bytes(source: &[u8], filename: &str, mode: Mode) -> Result<CodeObject, CompileError> {
    let text = source::decode_source(source, filename)?;
    compile(&text, filename, mode)
}

/// Compiles the bytes of a script file (`python3 file.py`): as
/// `compile_bytes`, with the file tokenizer's decoding errors.
pub fn compile_file_bytes(source: &[u8], filename: &str, mode: Mode) -> Result<CodeObject, CompileError> {
    let text = source::decode_file_source(source, filename)?;
    compile(&text, filename, mode)
}

#[cfg(test)]
mod tests;
