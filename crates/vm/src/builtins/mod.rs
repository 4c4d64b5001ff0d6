//! The `builtins` module.

use crate::Vm;

pub fn init(_vm: &Vm) {}
