//! Native standard-library modules (math, time, ...). `register` makes them
//! importable by adding their constructors to `vm.native_modules`.

pub mod math;
pub mod cmath;
pub mod struct_module;
pub mod random;
pub mod sha512;
pub mod operator;
mod math_special;
pub mod time;
pub mod weakref_module;
pub mod itertools;
pub mod collections;
pub mod functools;
pub mod sre;
pub mod posix;
pub mod errno;
pub mod thread;
pub mod atexit;
pub mod string;
pub mod contextvars;
pub mod codecs;
mod codecs_funcs;
pub mod unicodedata;
pub mod heapq;
pub mod bisect;
pub mod signal;
pub mod select;
pub mod socket;
pub mod posixsubprocess;
pub mod json;
mod hashobj;
pub mod md5;
pub mod sha1;
pub mod sha256;
pub mod sha3;
pub mod blake2;
pub mod binascii;
pub(crate) mod native;

/// Makes every native module of this crate importable.
pub fn register(vm: &krait_vm::Vm) {
    let mut m = vm.native_modules.borrow_mut();
    m.insert("math".to_string(), math::make_module);
    m.insert("cmath".to_string(), cmath::make_module);
    m.insert("_struct".to_string(), struct_module::make_module);
    m.insert("_random".to_string(), random::make_module);
    m.insert("_sha512".to_string(), sha512::make_module);
    m.insert("_operator".to_string(), operator::make_module);
    m.insert("time".to_string(), time::make_module);
    m.insert("_weakref".to_string(), weakref_module::make_module);
    m.insert("itertools".to_string(), itertools::make_module);
    m.insert("_collections".to_string(), collections::make_module);
    m.insert("_functools".to_string(), functools::make_module);
    m.insert("_sre".to_string(), sre::make_module);
    m.insert("posix".to_string(), posix::make_module);
    m.insert("errno".to_string(), errno::make_module);
    m.insert("_thread".to_string(), thread::make_module);
    m.insert("atexit".to_string(), atexit::make_module);
    m.insert("_string".to_string(), string::make_module);
    m.insert("_ast".to_string(), krait_vm::modules::ast::make_module);
    m.insert("_contextvars".to_string(), contextvars::make_module);
    m.insert("_codecs".to_string(), codecs::make_module);
    m.insert("unicodedata".to_string(), unicodedata::make_module);
    m.insert("_heapq".to_string(), heapq::make_module);
    m.insert("_bisect".to_string(), bisect::make_module);
    m.insert("_signal".to_string(), signal::make_module);
    m.insert("select".to_string(), select::make_module);
    m.insert("_socket".to_string(), socket::make_module);
    m.insert("_posixsubprocess".to_string(), posixsubprocess::make_module);
    m.insert("_json".to_string(), json::make_module);
    m.insert("_md5".to_string(), md5::make_module);
    m.insert("_sha1".to_string(), sha1::make_module);
    m.insert("_sha256".to_string(), sha256::make_module);
    m.insert("_sha3".to_string(), sha3::make_module);
    m.insert("_blake2".to_string(), blake2::make_module);
    m.insert("binascii".to_string(), binascii::make_module);
}
