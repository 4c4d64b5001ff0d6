//! Native standard-library modules (math, time, ...). `register` makes them
//! importable by adding their constructors to `vm.native_modules`.

pub mod math;
mod math_special;
pub mod time;

/// Makes every native module of this crate importable.
pub fn register(vm: &krait_vm::Vm) {
    let mut m = vm.native_modules.borrow_mut();
    m.insert("math".to_string(), math::make_module);
    m.insert("time".to_string(), time::make_module);
}
