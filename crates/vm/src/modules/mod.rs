//! Native modules that live in the VM crate because the interpreter itself
//! needs them (`sys`, and `_io` for `open` and the std streams). Other native modules live in krait-stdlib.

pub mod imp;
pub mod ast;
pub mod io;
pub mod marshal;
pub mod sys;
