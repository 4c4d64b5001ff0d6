//! The compiler's output: a code object, independent of the VM's value types.
//! The VM turns `Constant`s into its own values once, when it loads the code.

use crate::bytecode::Instr;
use dashu_int::IBig;

/// Flags of a code object (values as in CPython's `co_flags`).
pub mod flags {
    pub const OPTIMIZED: u32 = 0x1;
    pub const NEWLOCALS: u32 = 0x2;
    pub const VARARGS: u32 = 0x4;
    pub const VARKEYWORDS: u32 = 0x8;
    pub const NESTED: u32 = 0x10;
    pub const GENERATOR: u32 = 0x20;
    pub const NOFREE: u32 = 0x40;
    pub const COROUTINE: u32 = 0x80;
    pub const ITERABLE_COROUTINE: u32 = 0x100;
    pub const ASYNC_GENERATOR: u32 = 0x200;
}

/// A compile-time constant.
#[derive(Clone, Debug, PartialEq)]
pub enum Constant {
    None,
    Bool(bool),
    Int(IBig),
    Float(f64),
    Complex { re: f64, im: f64 },
    Str(String),
    /// A str with lone surrogates: the text has U+FFFD at each (byte
    /// offset, code point) of `surrogates` (see `codegen::surrogates`).
    SurrogateStr { text: String, surrogates: Vec<(usize, u16)> },
    Bytes(Vec<u8>),
    Tuple(Vec<Constant>),
    /// For `x in {1, 2}` folded to a frozenset.
    FrozenSet(Vec<Constant>),
    Ellipsis,
    Code(Box<CodeObject>),
}

/// Where an instruction came from, for tracebacks (`^^^^` ranges) and line numbers.
/// Lines are 1-based; columns are 0-based offsets in UTF-8 bytes of the line, as
/// CPython's `co_positions()` reports them. All zero means "no position".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position {
    pub line: u32,
    pub end_line: u32,
    pub col: u32,
    pub end_col: u32,
}

/// One entry of the exception table: an exception raised by an instruction in
/// `start..end` jumps to `handler` after popping the value stack down to
/// `depth` (and pushing the raising instruction's index first when `lasti`).
/// The exception itself is then pushed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExceptionEntry {
    pub start: u32,
    pub end: u32,
    pub handler: u32,
    pub depth: u32,
    pub lasti: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CodeObject {
    pub code: Vec<Instr>,
    /// One position per instruction word in `code`.
    pub positions: Vec<Position>,
    pub consts: Vec<Constant>,
    /// Global, attribute and imported names.
    pub names: Vec<String>,
    /// Fast locals: parameters first (positional, keyword-only, `*args`, `**kwargs`), then the rest.
    pub varnames: Vec<String>,
    /// Locals captured by inner scopes (each lives in a cell).
    pub cellvars: Vec<String>,
    /// Variables captured from enclosing scopes.
    pub freevars: Vec<String>,
    /// For each cellvar that is also a parameter, the parameter's index in varnames
    /// (the eval loop copies the argument into the new cell at frame start).
    pub cell2arg: Vec<Option<u32>>,
    pub exception_table: Vec<ExceptionEntry>,
    pub argcount: u32,
    pub posonlyargcount: u32,
    pub kwonlyargcount: u32,
    pub flags: u32,
    /// The maximum value-stack depth.
    pub stacksize: u32,
    pub name: String,
    pub qualname: String,
    pub filename: String,
    pub firstlineno: u32,
    /// The docstring when the body starts with one (functions and classes), else None.
    pub docstring: Option<String>,
}

impl CodeObject {
    pub fn is_generator(&self) -> bool {
        self.flags & flags::GENERATOR != 0
    }
    pub fn is_coroutine(&self) -> bool {
        self.flags & flags::COROUTINE != 0
    }
    pub fn is_async_generator(&self) -> bool {
        self.flags & flags::ASYNC_GENERATOR != 0
    }
    /// Total number of parameters, `*args` and `**kwargs` included.
    pub fn total_params(&self) -> usize {
        (self.argcount
            + self.kwonlyargcount
            + (self.flags & flags::VARARGS != 0) as u32
            + (self.flags & flags::VARKEYWORDS != 0) as u32) as usize
    }
    /// The line of instruction `i`, or the first line when unknown.
    pub fn line_of(&self, i: usize) -> u32 {
        match self.positions.get(i) {
            Some(p) if p.line != 0 => p.line,
            _ => self.firstlineno,
        }
    }
    /// The innermost exception-table entry covering instruction `i`.
    pub fn handler_for(&self, i: u32) -> Option<&ExceptionEntry> {
        // Entries are emitted sorted and non-overlapping; a linear scan is fine
        // since it only runs when an exception is raised.
        self.exception_table.iter().find(|e| e.start <= i && i < e.end)
    }
}
