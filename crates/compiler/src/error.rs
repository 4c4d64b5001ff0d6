//! Compile errors, carrying what CPython's SyntaxError carries.

/// Which exception the VM raises for a compile error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    SyntaxError,
    IndentationError,
    TabError,
    /// "maximum recursion depth exceeded during compilation": the VM raises RecursionError.
    RecursionError,
}

/// A syntax error as CPython reports it: `SyntaxError(msg, (filename, lineno, offset, text, end_lineno, end_offset))`.
/// `offset`/`end_offset` are 1-based character columns (as CPython's), 0 when unknown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    pub kind: ErrorKind,
    pub msg: String,
    pub filename: String,
    pub lineno: u32,
    pub offset: u32,
    pub end_lineno: u32,
    pub end_offset: u32,
    /// The source line (with its newline), when known.
    pub text: Option<String>,
    /// Reported with no file or line at all (a script file that cannot be
    /// decoded): the SyntaxError carries only its message.
    pub no_location: bool,
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}, line {})", self.msg, self.filename, self.lineno)
    }
}
