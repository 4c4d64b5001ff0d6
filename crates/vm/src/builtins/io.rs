//! Builtin `open` and the standard streams: thin re-exports of the `_io`
//! module (`modules/io/`), which the interpreter needs at start-up.

use crate::NativeDef;

pub use crate::modules::io::open::{fast_write, flush_std_streams, make_std_streams};

pub static FUNCTIONS: &[NativeDef] = &[NativeDef::function("open", crate::modules::io::open::open).doc(super::docs::OPEN)];

pub fn init(vm: &crate::Vm) {
    crate::modules::io::init(vm);
}
