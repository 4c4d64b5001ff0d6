//! Generators, coroutines and async generators: a suspended frame.

use crate::value::Value;
use crate::{PyResult, Vm};

pub struct GeneratorData {}

/// `next(gen)`: Some(value) or None when the generator returns.
pub fn gen_next(vm: &Vm, gen: &Value) -> PyResult<Option<Value>> {
    let _ = (vm, gen);
    Ok(None)
}
