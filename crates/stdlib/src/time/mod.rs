//! The `time` module: clocks (`time`, `monotonic`, `perf_counter`,
//! `process_time`, `thread_time`, `clock_gettime`, each with its `_ns`
//! variant, and `get_clock_info`), `sleep`, the zone constants (`timezone`,
//! `altzone`, `daylight`, `tzname`, computed as CPython does from January and
//! July of the current year), and in the other files struct_time and the
//! broken-down time functions.

pub(crate) mod calendar;
mod struct_time;

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
pub(crate) fn wall_ns() -> i128 {
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
    // Until an absolute time on the monotonic clock, as CPython: a signal
    // interrupts the wait so its Python handler runs (and may raise) here,
    // then the rest is slept (PEP 475). The GIL is released meanwhile.
    let d = Duration::from_secs_f64(f);
    // SAFETY: a zeroed timespec is valid; clock_gettime writes into it.
    let mut deadline: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut deadline) };
    let nsec = deadline.tv_nsec as u64 + d.subsec_nanos() as u64;
    deadline.tv_sec += d.as_secs() as libc::time_t + (nsec / 1_000_000_000) as libc::time_t;
    deadline.tv_nsec = (nsec % 1_000_000_000) as _;
    loop {
        // SAFETY: `deadline` is a live, normalized timespec; no remainder is asked for.
        let r = vm.allow_threads(|| unsafe {
            libc::clock_nanosleep(libc::CLOCK_MONOTONIC, libc::TIMER_ABSTIME, &deadline, std::ptr::null_mut())
        });
        match r {
            0 => return Ok(Value::None),
            libc::EINTR => crate::signal::check_signals(vm)?,
            e => return Err(crate::posix::path::raw_err(vm, e, None)),
        }
    }
}

extern "C" {
    // POSIX; the libc crate does not declare it.
    fn tzset();
}

/// `clock_gettime(clk)` in nanoseconds; EINVAL and friends as OSError.
fn clock_ns(vm: &Vm, clk: libc::clockid_t) -> PyResult<i128> {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid timespec the call writes.
    if unsafe { libc::clock_gettime(clk, &mut ts) } != 0 {
        return Err(krait_vm::types::exception_methods::os_error_from_io(vm, &std::io::Error::last_os_error(), None, None));
    }
    Ok(ts.tv_sec as i128 * 1_000_000_000 + ts.tv_nsec as i128)
}

fn clk_arg(vm: &Vm, name: &str, args: &Args) -> PyResult<libc::clockid_t> {
    let a = crate::native::unpack(vm, name, args, 1, 1)?;
    let i = vm.index(&a[0])?;
    match i {
        Value::Int(i) if i32::try_from(i).is_ok() => Ok(i as libc::clockid_t),
        _ => Err(vm.new_overflow_error("signed integer is greater than maximum")),
    }
}

fn t_clock_gettime(vm: &Vm, args: Args) -> PyResult {
    let c = clk_arg(vm, "clock_gettime", &args)?;
    Ok(Value::Float(clock_ns(vm, c)? as f64 / 1e9))
}
fn t_clock_gettime_ns(vm: &Vm, args: Args) -> PyResult {
    let c = clk_arg(vm, "clock_gettime_ns", &args)?;
    Ok(ns_int(vm, clock_ns(vm, c)?))
}
fn t_clock_getres(vm: &Vm, args: Args) -> PyResult {
    let c = clk_arg(vm, "clock_getres", &args)?;
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid timespec the call writes.
    if unsafe { libc::clock_getres(c, &mut ts) } != 0 {
        return Err(krait_vm::types::exception_methods::os_error_from_io(vm, &std::io::Error::last_os_error(), None, None));
    }
    Ok(Value::Float(ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9))
}
fn t_thread_time(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "thread_time", &args)?;
    Ok(Value::Float(clock_ns(vm, libc::CLOCK_THREAD_CPUTIME_ID)? as f64 / 1e9))
}
fn t_thread_time_ns(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "thread_time_ns", &args)?;
    Ok(ns_int(vm, clock_ns(vm, libc::CLOCK_THREAD_CPUTIME_ID)?))
}

/// `get_clock_info(name)`: the namespace is built by the module's Python helper.
fn t_get_clock_info(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::unpack(vm, "get_clock_info", &args, 1, 1)?;
    let name = vm.as_str(&a[0]).ok_or_else(|| {
        vm.new_type_error(format!("get_clock_info() argument 1 must be str, not {}", vm.type_name_of(&a[0])))
    })?;
    let (imp, mono, adj) = match name {
        "time" => ("clock_gettime(CLOCK_REALTIME)", false, true),
        "monotonic" | "perf_counter" => ("clock_gettime(CLOCK_MONOTONIC)", true, false),
        "process_time" => ("clock_gettime(CLOCK_PROCESS_CPUTIME_ID)", true, false),
        "thread_time" => ("clock_gettime(CLOCK_THREAD_CPUTIME_ID)", true, false),
        _ => return Err(vm.new_value_error("unknown clock")),
    };
    let ns = namespace_type(vm)?;
    let names = [vm.new_str("implementation"), vm.new_str("monotonic"), vm.new_str("adjustable"), vm.new_str("resolution")];
    let vals = [vm.new_str(imp), Value::Bool(mono), Value::Bool(adj), Value::Float(1e-9)];
    vm.call(&ns, Args::with_kw(&vals, &names))
}

/// `types.SimpleNamespace`, or (while that is not a real namespace type in
/// this interpreter) a small class with the same repr.
fn namespace_type(vm: &Vm) -> PyResult {
    let types = vm.import_full("types")?;
    let ns = vm.getattr_str(&Value::Obj(types), "SimpleNamespace")?;
    if vm.getattr_str(&ns, "__name__").ok().and_then(|n| vm.as_str(&n).map(|s| s == "SimpleNamespace")) == Some(true) {
        return Ok(ns);
    }
    const SRC: &str = "class SimpleNamespace:\n    def __init__(self, **kw):\n        self.__dict__.update(kw)\n    def __repr__(self):\n        return 'namespace(' + ', '.join('%s=%r' % kv for kv in self.__dict__.items()) + ')'\n    def __eq__(self, other):\n        return isinstance(other, SimpleNamespace) and self.__dict__ == other.__dict__\n";
    let code = krait_compiler::compile(SRC, "<time>", krait_compiler::Mode::Exec).map_err(|e| vm.compile_error_to_exception(&e))?;
    let code = vm.load_code(code);
    let g = vm.new_dict();
    vm.dict_set_str(&g, &vm.intern("__builtins__"), Value::Obj(vm.builtins.clone()));
    vm.dict_set_str(&g, &vm.intern("__name__"), vm.new_str("types"));
    vm.run_module_code(&code, &g)?;
    vm.dict_get_str(&g, &vm.intern("SimpleNamespace")).ok_or_else(|| vm.new_system_error("no SimpleNamespace"))
}

fn t_tzset(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "tzset", &args)?;
    // SAFETY: tzset only rereads TZ into the C library's own state.
    unsafe { tzset() };
    // The zone constants are module attributes: refresh them.
    if let Some(m) = vm.sys_modules_get("time") {
        set_zone_attrs(vm, &m.payload.as_module().expect("module").dict);
    }
    Ok(Value::None)
}

/// `timezone`, `altzone`, `daylight`, `tzname` from the local offsets of
/// January and July of this year (the southern hemisphere has DST in January).
fn set_zone_attrs(vm: &Vm, dict: &PyRef) {
    const YEAR: i64 = (365 * 24 + 6) * 3600;
    let now = wall_ns().div_euclid(1_000_000_000) as i64;
    let t = now / YEAR * YEAR;
    let info = |t: i64| -> (i64, String) {
        let tt: libc::time_t = t;
        // SAFETY: `tm` is plain data; all-zero is a valid value.
        let mut tm: libc::tm = unsafe { std::mem::zeroed() };
        // SAFETY: valid pointers; localtime_r writes only `tm`.
        let ok = !unsafe { libc::localtime_r(&tt, &mut tm) }.is_null();
        let zone = if ok && !tm.tm_zone.is_null() {
            // SAFETY: tm_zone points at a NUL-terminated string the C library keeps alive.
            unsafe { std::ffi::CStr::from_ptr(tm.tm_zone) }.to_string_lossy().into_owned()
        } else {
            "UTC".to_string()
        };
        (if ok { -tm.tm_gmtoff } else { 0 }, zone)
    };
    let (janoff, janname) = info(t);
    let (julyoff, julyname) = info(t + YEAR / 2);
    let (tz, alt, names) = if janoff < julyoff {
        (julyoff, janoff, (julyname, janname))
    } else {
        (janoff, julyoff, (janname, julyname))
    };
    let set = |k: &str, v: Value| vm.dict_set_str(dict, &vm.intern(k), v);
    set("timezone", Value::Int(tz));
    set("altzone", Value::Int(alt));
    set("daylight", Value::Int((janoff != julyoff) as i64));
    set("tzname", vm.new_tuple(vec![vm.new_str(names.0), vm.new_str(names.1)]));
}

static FUNCS: &[NativeDef] = &[
    NativeDef::function("gmtime", calendar::t_gmtime),
    NativeDef::function("localtime", calendar::t_localtime),
    NativeDef::function("mktime", calendar::t_mktime),
    NativeDef::function("asctime", calendar::t_asctime),
    NativeDef::function("ctime", calendar::t_ctime),
    NativeDef::function("strftime", calendar::t_strftime),
    NativeDef::function("strptime", calendar::t_strptime),
    NativeDef::function("clock_gettime", t_clock_gettime),
    NativeDef::function("clock_gettime_ns", t_clock_gettime_ns),
    NativeDef::function("clock_getres", t_clock_getres),
    NativeDef::function("thread_time", t_thread_time),
    NativeDef::function("thread_time_ns", t_thread_time_ns),
    NativeDef::function("get_clock_info", t_get_clock_info),
    NativeDef::function("tzset", t_tzset),
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
    // SAFETY: tzset only reads TZ into the C library's own state (CPython
    // calls it when the module is initialised too).
    unsafe { tzset() };
    set_zone_attrs(vm, &dict);
    let set = |k: &str, v: Value| vm.dict_set_str(&dict, &vm.intern(k), v);
    set("struct_time", Value::Obj(struct_time::finish_type(vm)));
    set("_STRUCT_TM_ITEMS", Value::Int(11));
    for (k, v) in [
        ("CLOCK_REALTIME", libc::CLOCK_REALTIME),
        ("CLOCK_MONOTONIC", libc::CLOCK_MONOTONIC),
        ("CLOCK_MONOTONIC_RAW", libc::CLOCK_MONOTONIC_RAW),
        ("CLOCK_PROCESS_CPUTIME_ID", libc::CLOCK_PROCESS_CPUTIME_ID),
        ("CLOCK_THREAD_CPUTIME_ID", libc::CLOCK_THREAD_CPUTIME_ID),
        ("CLOCK_BOOTTIME", libc::CLOCK_BOOTTIME),
        ("CLOCK_TAI", libc::CLOCK_TAI),
    ] {
        set(k, Value::Int(v as i64));
    }
    Ok(PyRef::new(vm.types.module.clone(), Payload::Module(Box::new(ModuleData { dict }))))
}
