//! The `_random` module: `Random`, the Mersenne Twister (MT19937) that
//! random.py builds on, seeded exactly as CPython seeds it (an int's
//! absolute value as 32-bit words through `init_by_array`; other objects by
//! their hash; None from /dev/urandom), so seeded sequences are
//! bit-identical. str/bytes seeds are turned into ints by random.py.

use crate::native::{descr_error, native_type, new_object, TypeSpec};
use dashu_int::ops::UnsignedAbs;
use dashu_int::{IBig, UBig};
use krait_vm::types::int::int_of;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::RefCell;
use std::io::Read;

const N: usize = 624;
const M: usize = 397;

pub struct Mt {
    mt: [u32; N],
    index: usize,
}

impl Mt {
    fn new() -> Mt {
        let mut m = Mt { mt: [0; N], index: N + 1 };
        m.init_genrand(19650218);
        m
    }

    fn init_genrand(&mut self, s: u32) {
        self.mt[0] = s;
        for i in 1..N {
            let p = self.mt[i - 1];
            self.mt[i] = 1812433253u32.wrapping_mul(p ^ (p >> 30)).wrapping_add(i as u32);
        }
        self.index = N;
    }

    fn init_by_array(&mut self, key: &[u32]) {
        self.init_genrand(19650218);
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(key.len()) {
            let p = self.mt[i - 1];
            self.mt[i] = (self.mt[i] ^ (p ^ (p >> 30)).wrapping_mul(1664525)).wrapping_add(key[j]).wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                self.mt[0] = self.mt[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let p = self.mt[i - 1];
            self.mt[i] = (self.mt[i] ^ (p ^ (p >> 30)).wrapping_mul(1566083941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                self.mt[0] = self.mt[N - 1];
                i = 1;
            }
        }
        self.mt[0] = 0x80000000;
    }

    pub fn next_u32(&mut self) -> u32 {
        const UPPER: u32 = 0x80000000;
        const LOWER: u32 = 0x7fffffff;
        const MATRIX_A: u32 = 0x9908b0df;
        let mag = |y: u32| if y & 1 != 0 { MATRIX_A } else { 0 };
        if self.index >= N {
            for k in 0..N {
                let y = (self.mt[k] & UPPER) | (self.mt[(k + 1) % N] & LOWER);
                self.mt[k] = self.mt[(k + M) % N] ^ (y >> 1) ^ mag(y);
            }
            self.index = 0;
        }
        let mut y = self.mt[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^ (y >> 18)
    }

    /// A float in [0, 1) with 53 random bits.
    pub fn random(&mut self) -> f64 {
        let a = (self.next_u32() >> 5) as f64;
        let b = (self.next_u32() >> 6) as f64;
        (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)
    }

    /// Seeds from the 32-bit words of a non-negative int, least significant first.
    fn seed_ubig(&mut self, n: &UBig) {
        let bytes = n.to_le_bytes();
        let mut key: Vec<u32> =
            bytes.chunks(4).map(|c| c.iter().rev().fold(0u32, |acc, b| (acc << 8) | *b as u32)).collect();
        while key.len() > 1 && *key.last().unwrap() == 0 {
            key.pop();
        }
        if key.is_empty() {
            key.push(0);
        }
        self.init_by_array(&key);
    }
}

struct RandomObj(RefCell<Mt>);

/// Holds no Python references.
impl krait_vm::gc::NativeData for RandomObj {}

fn gen_of<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a RandomObj> {
    v.payload().and_then(|p| p.as_native::<RandomObj>()).ok_or_else(|| descr_error(vm, name, "_random.Random", v))
}

fn random_type(vm: &Vm) -> PyRef {
    native_type(vm, &RANDOM)
}

/// CPython's `random_seed`.
fn seed(vm: &Vm, g: &RandomObj, arg: Option<&Value>) -> PyResult<()> {
    let arg = match arg {
        None | Some(Value::None) => {
            let mut buf = vec![0u8; N * 4];
            let ok = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut buf)).is_ok();
            if !ok {
                // No OS randomness: the clock, as CPython falls back to.
                let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
                buf[..16].copy_from_slice(&t.to_le_bytes());
            }
            let key: Vec<u32> = buf.chunks(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
            g.0.borrow_mut().init_by_array(&key);
            return Ok(());
        }
        Some(a) => a,
    };
    let n: UBig = match int_of(arg) {
        Some(i) => i.unsigned_abs(),
        None => {
            let h = vm.hash(arg)?;
            UBig::from(h as u64)
        }
    };
    g.0.borrow_mut().seed_ubig(&n);
    Ok(())
}

fn r_new(vm: &Vm, args: Args) -> PyResult {
    let t = random_type(vm);
    let (cls, rest) = crate::native::split_new(vm, args, &t)?;
    let obj = new_object(vm, &cls, &t, RandomObj(RefCell::new(Mt::new())));
    // `_random.Random(x)` itself seeds in __new__ (CPython's tp_init); Python
    // subclasses seed from their own __init__.
    if cls.is(&t) {
        if rest.has_kwargs() {
            return Err(vm.new_type_error("Random() takes no keyword arguments"));
        }
        if rest.args.len() > 1 {
            return Err(vm.new_type_error("Random() requires 0 or 1 argument"));
        }
        seed(vm, gen_of(vm, &obj, "__new__")?, rest.args.first())?;
    }
    Ok(obj)
}

fn r_seed(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("seed", args, 1, 2)?;
    let g = gen_of(vm, &args.args[0], "seed")?;
    seed(vm, g, args.args.get(1))?;
    Ok(Value::None)
}

fn r_random(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("random", args, 1, 1)?;
    let g = gen_of(vm, &args.args[0], "random")?;
    let r = g.0.borrow_mut().random();
    Ok(Value::Float(r))
}

fn r_getrandbits(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("getrandbits", args, 2, 2)?;
    let g = gen_of(vm, &args.args[0], "getrandbits")?;
    // `k` is a C int in CPython.
    let k = match vm.index(&args.args[1])? {
        Value::Int(k) if i32::try_from(k).is_ok() => k,
        _ => return Err(vm.new_overflow_error("Python int too large to convert to C int")),
    };
    if k < 0 {
        return Err(vm.new_value_error("number of bits must be non-negative"));
    }
    if k == 0 {
        return Ok(Value::Int(0));
    }
    let mut mt = g.0.borrow_mut();
    if k <= 32 {
        return Ok(Value::Int((mt.next_u32() >> (32 - k)) as i64));
    }
    let words = ((k - 1) / 32 + 1) as usize;
    let mut bytes = Vec::with_capacity(words * 4);
    let mut left = k;
    for _ in 0..words {
        let mut r = mt.next_u32();
        if left < 32 {
            r >>= 32 - left;
        }
        bytes.extend_from_slice(&r.to_le_bytes());
        left -= 32;
    }
    Ok(vm.new_int(IBig::from(UBig::from_le_bytes(&bytes))))
}

fn r_getstate(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("getstate", args, 1, 1)?;
    let g = gen_of(vm, &args.args[0], "getstate")?;
    let mt = g.0.borrow();
    let mut items: Vec<Value> = mt.mt.iter().map(|x| Value::Int(*x as i64)).collect();
    items.push(Value::Int(mt.index as i64));
    Ok(vm.new_tuple(items))
}

fn r_setstate(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("setstate", args, 2, 2)?;
    let g = gen_of(vm, &args.args[0], "setstate")?;
    let st = &args.args[1];
    let items = match st.payload().and_then(|p| p.as_tuple()) {
        Some(t) => t.to_vec(),
        None => return Err(vm.new_type_error("state vector must be a tuple")),
    };
    if items.len() != N + 1 {
        return Err(vm.new_value_error("state vector is the wrong size"));
    }
    let mut new = [0u32; N];
    for (slot, v) in new.iter_mut().zip(&items) {
        let i = int_of(v).ok_or_else(|| vm.new_type_error(format!("an integer is required (got type {})", vm.type_name_of(v))))?;
        if i < IBig::from(0) {
            return Err(vm.new_overflow_error("can't convert negative value to unsigned int"));
        }
        let u = u64::try_from(&i).map_err(|_| vm.new_overflow_error("Python int too large to convert to C unsigned long"))?;
        *slot = u as u32;
    }
    let index = match int_of(&items[N]).map(|i| i64::try_from(&i)) {
        Some(Ok(i)) => i,
        Some(Err(_)) => return Err(vm.new_overflow_error("Python int too large to convert to C long")),
        None => return Err(vm.new_type_error(format!("'{}' object cannot be interpreted as an integer", vm.type_name_of(&items[N])))),
    };
    if index < 0 || index > N as i64 {
        return Err(vm.new_value_error("invalid state"));
    }
    let mut mt = g.0.borrow_mut();
    mt.mt = new;
    mt.index = index as usize;
    Ok(Value::None)
}

static METHODS: [NativeDef; 6] = [
    NativeDef::staticmethod("__new__", r_new),
    NativeDef::method("seed", r_seed),
    NativeDef::method("random", r_random),
    NativeDef::method("getrandbits", r_getrandbits),
    NativeDef::method("getstate", r_getstate),
    NativeDef::method("setstate", r_setstate),
];

static RANDOM: TypeSpec = TypeSpec {
    module: "_random",
    name: "Random",
    doc: "Random() -> create a random number generator with its own internal state.",
    layout: Layout::Other,
    flags: type_flags::BASETYPE,
    base: None,
    slots: &[],
    methods: &METHODS,
    more_methods: &[],
    getsets: &[],
};

/// Creates the `_random` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    Ok(crate::native::make_module(
        vm,
        "_random",
        "Module implements the Mersenne Twister random number generator.",
        &[],
        vec![("Random", Value::Obj(random_type(vm)))],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_42_matches_cpython() {
        let mut m = Mt::new();
        m.seed_ubig(&UBig::from(42u8));
        assert_eq!(m.random(), 0.6394267984578837);
        assert_eq!(m.random(), 0.025010755222666936);
    }
}
