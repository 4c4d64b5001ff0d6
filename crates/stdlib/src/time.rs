//! The `time` module: clocks (`time`, `monotonic`, `perf_counter`,
//! `process_time`, each with its `_ns` variant) and `sleep`. struct_time,
//! `gmtime`/`localtime`/`strftime`/`mktime` are not implemented yet.

use krait_vm::payload::{ModuleData, Payload};
use krait_vm::types::float::float_of;
use krait_vm::types::int::{int_of, int_to_f64};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn no_args(vm: &Vm, name: &str, args: &Args) -> PyResult<()> {
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("{name}() takes no keyword arguments")));
    }
    if !args.args.is_empty() {
        return Err(vm.new_type_error(format!("{name}() takes no arguments ({} given)", args.args.len())));
    }
    Ok(())
}

/// Nanoseconds since the Unix epoch (negative before it).
fn wall_ns() -> i128 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

/// Nanoseconds on a monotonic clock; the origin is the first call (as in
/// CPython, only differences are meaningful).
fn mono_ns() -> i128 {
    static START: OnceLock<Instant> = OnceLock::new();
    let start = *START.get_or_init(Instant::now);
    Instant::now().duration_since(start).as_nanos() as i128 + 1_000_000_000
}

/// CPU time of the process, from /proc/self/stat (utime + stime, in clock
/// ticks of 1/100 s); falls back to the monotonic clock elsewhere.
fn cpu_ns() -> i128 {
    if let Ok(stat) = std::fs::read_to_string("/proc/self/stat") {
        // Fields after the parenthesised command name; utime and stime are
        // fields 14 and 15 (1-based) of the whole line.
        if let Some(end) = stat.rfind(')') {
            let fields: Vec<&str> = stat[end + 1..].split_whitespace().collect();
            if fields.len() > 13 {
                let ut: i128 = fields[11].parse().unwrap_or(0);
                let st: i128 = fields[12].parse().unwrap_or(0);
                return (ut + st) * 10_000_000;
            }
        }
    }
    mono_ns()
}

fn ns_int(vm: &Vm, ns: i128) -> Value {
    vm.new_int(dashu_int::IBig::from(ns))
}

fn t_time(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "time", &args)?;
    Ok(Value::Float(wall_ns() as f64 / 1e9))
}
fn t_time_ns(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "time_ns", &args)?;
    Ok(ns_int(vm, wall_ns()))
}
fn t_monotonic(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "monotonic", &args)?;
    Ok(Value::Float(mono_ns() as f64 / 1e9))
}
fn t_monotonic_ns(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "monotonic_ns", &args)?;
    Ok(ns_int(vm, mono_ns()))
}
fn t_perf_counter(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "perf_counter", &args)?;
    Ok(Value::Float(mono_ns() as f64 / 1e9))
}
fn t_perf_counter_ns(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "perf_counter_ns", &args)?;
    Ok(ns_int(vm, mono_ns()))
}
fn t_process_time(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "process_time", &args)?;
    Ok(Value::Float(cpu_ns() as f64 / 1e9))
}
fn t_process_time_ns(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "process_time_ns", &args)?;
    Ok(ns_int(vm, cpu_ns()))
}

/// `time.sleep(secs)`: int or float seconds (anything else goes through
/// `__index__`, giving CPython's "'str' object cannot be interpreted as an
/// integer"), negative is ValueError.
fn t_sleep(vm: &Vm, args: Args) -> PyResult {
    if args.has_kwargs() {
        return Err(vm.new_type_error("sleep() takes no keyword arguments"));
    }
    let secs = match args.args {
        [s] => s,
        _ => return Err(vm.new_type_error(format!("sleep() takes exactly one argument ({} given)", args.args.len()))),
    };
    let f = match float_of(secs) {
        Some(f) => f,
        None if int_of(secs).is_some() => int_to_f64(vm, secs)?.unwrap_or(0.0),
        None => {
            let i = vm.index(secs)?;
            int_to_f64(vm, &i)?.unwrap_or(0.0)
        }
    };
    if f.is_nan() {
        return Err(vm.new_value_error("Invalid value NaN (not a number)"));
    }
    if f < 0.0 {
        return Err(vm.new_value_error("sleep length must be non-negative"));
    }
    if f > 9.2e9 {
        return Err(vm.new_overflow_error("sleep length is too large"));
    }
    std::thread::sleep(Duration::from_secs_f64(f));
    Ok(Value::None)
}

static FUNCS: &[NativeDef] = &[
    NativeDef::function("time", t_time),
    NativeDef::function("time_ns", t_time_ns),
    NativeDef::function("monotonic", t_monotonic),
    NativeDef::function("monotonic_ns", t_monotonic_ns),
    NativeDef::function("perf_counter", t_perf_counter),
    NativeDef::function("perf_counter_ns", t_perf_counter_ns),
    NativeDef::function("process_time", t_process_time),
    NativeDef::function("process_time_ns", t_process_time_ns),
    NativeDef::function("sleep", t_sleep),
];

/// Creates the `time` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let dict = vm.new_dict();
    vm.dict_set_str(&dict, &vm.intern("__name__"), vm.new_str("time"));
    for def in FUNCS {
        vm.dict_set_str(&dict, &vm.intern(def.name), vm.new_native_function(def, None));
    }
    Ok(PyRef::new(vm.types.module.clone(), Payload::Module(Box::new(ModuleData { dict }))))
}
