//! The eval loop: frames, dispatch, calls between Python functions, and
//! generators.

pub mod frame;
pub mod generator;

use crate::object::PyRef;
use crate::{Args, PyResult, Vm};

/// Calls a Python function object from native code.
pub fn call_function(vm: &Vm, func: &PyRef, args: Args) -> PyResult {
    let _ = (func, args);
    Err(vm.new_system_error("eval loop not written yet"))
}
