//! Compiling source bytes whose coding cookie names an encoding the
//! compiler cannot decode natively (cp1251, iso8859-7, ...): those are
//! decoded through the codec registry, as CPython's tokenizer does.

use crate::Vm;
use krait_compiler::{CodeObject, CompileError, ErrorKind, Mode};

impl Vm {
    /// The text of `bytes` decoded by the codec its cookie names, when the
    /// compiler does not know that encoding; None leaves decoding (and the
    /// error for an unknown encoding) to the compiler.
    pub fn decode_source_by_codec(&self, bytes: &[u8], filename: &str) -> Result<Option<String>, CompileError> {
        let Some(name) = krait_compiler::source::foreign_cookie(bytes) else { return Ok(None) };
        let decoded = self.call_method(&self.new_bytes(bytes), "decode", &[self.new_str(name.as_str())]);
        let err = match decoded.and_then(|text| self.str_string(&text)) {
            Ok(text) => return Ok(Some(text)),
            Err(e) => e,
        };
        let msg = self.str_string(&crate::value::Value::Obj(err.clone())).unwrap_or_default();
        if self.exception_matches(&err, &self.exc.lookup_error) && msg.starts_with("unknown encoding") {
            return Ok(None);
        }
        Err(CompileError {
            kind: ErrorKind::SyntaxError,
            msg,
            filename: filename.to_string(),
            lineno: 0,
            offset: 0,
            end_lineno: 0,
            end_offset: 0,
            text: None,
            no_location: false,
        })
    }

    /// Compiles source bytes as `compile()`, `exec()` and imports do
    /// (`script`: as the file tokenizer reads a script), PEP 263 decoding
    /// included.
    pub fn compile_source_bytes(&self, bytes: &[u8], filename: &str, mode: Mode, script: bool) -> Result<CodeObject, CompileError> {
        match self.decode_source_by_codec(bytes, filename)? {
            Some(text) => krait_compiler::compile(&text, filename, mode),
            None if script => krait_compiler::compile_file_bytes(bytes, filename, mode),
            None => krait_compiler::compile_bytes(bytes, filename, mode),
        }
    }
}
