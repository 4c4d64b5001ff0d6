//! `_posixsubprocess`, which `subprocess` imports at start-up (asyncio
//! imports subprocess). Spawning is not implemented yet: `fork_exec`
//! fails with ENOSYS, so `subprocess.Popen` raises OSError instead of the
//! import failing.

use krait_vm::{Args, NativeDef, PyRef, PyResult, Vm};

fn fork_exec(vm: &Vm, _args: Args) -> PyResult {
    Err(crate::posix::path::raw_err(vm, libc::ENOSYS, None))
}

static FUNCS: &[NativeDef] = &[NativeDef::function("fork_exec", fork_exec)];

/// Creates the `_posixsubprocess` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    Ok(crate::native::make_module(vm, "_posixsubprocess", "", FUNCS, Vec::new()))
}
