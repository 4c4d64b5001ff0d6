//! Native modules that live in the VM crate because the interpreter itself
//! needs them (`sys`). Other native modules live in krait-stdlib.

pub mod sys;
