//! `time.struct_time`: a tuple of the nine visible fields, with `tm_zone`
//! and `tm_gmtoff` kept beside it (CPython's structseq hides them from the
//! sequence), and the conversion of a time tuple back to a C `struct tm`
//! with CPython's checks (`gettmarg` and `checktm`).

use crate::native::{native_type, TypeSpec};
use krait_vm::payload::{GetSetDef, Payload};
use krait_vm::types::seq_util::new_with_base;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};

pub const FIELDS: [&str; 11] = [
    "tm_year", "tm_mon", "tm_mday", "tm_hour", "tm_min", "tm_sec", "tm_wday", "tm_yday", "tm_isdst", "tm_zone", "tm_gmtoff",
];

pub fn struct_time_type(vm: &Vm) -> PyRef {
    native_type(vm, &STRUCT_TIME)
}

fn tuple_type(vm: &Vm) -> PyRef {
    vm.types.tuple.clone()
}

/// A struct_time of class `cls` from nine items and the two hidden ones.
pub fn new_struct_time(vm: &Vm, cls: &PyRef, items: Vec<Value>, zone: Value, gmtoff: Value) -> Value {
    let v = new_with_base(vm, cls, &vm.types.tuple, Payload::Tuple(krait_vm::tuple_items::TupleItems::boxed(items.into_boxed_slice())));
    if let Some(inst) = v.payload().and_then(|p| p.as_instance()) {
        let n = inst.slots.len();
        if n >= 2 {
            inst.slots[n - 2].set(Some(zone));
            inst.slots[n - 1].set(Some(gmtoff));
        }
    }
    v
}

/// The hidden field `i` (0: tm_zone, 1: tm_gmtoff) of a struct_time.
pub fn hidden(v: &Value, i: usize) -> Value {
    v.payload()
        .and_then(|p| p.as_instance())
        .filter(|inst| inst.slots.len() >= 2)
        .and_then(|inst| inst.slots[inst.slots.len() - 2 + i].get())
        .unwrap_or(Value::None)
}

fn st_new(vm: &Vm, args: Args) -> PyResult {
    let t = struct_time_type(vm);
    let cls = krait_vm::types::seq_util::new_cls(vm, args.args, &t)?.clone();
    let rest = Args { args: &args.args[1..], kwnames: args.kwnames };
    let a = vm.bind_native("struct_time", rest, &["sequence", "dict"], 0, 1, None)?;
    let seq = a[0].clone().unwrap();
    let items = match vm.seq_items(&seq) {
        Some(i) => i,
        None if vm.iter(&seq).is_ok() && vm.as_str(&seq).is_none() => vm.collect_iter(&seq)?,
        None => return Err(vm.new_type_error("constructor requires a sequence")),
    };
    let n = items.len();
    if n < 9 {
        return Err(vm.new_type_error(format!("time.struct_time() takes an at least 9-sequence ({n}-sequence given)")));
    }
    if n > 11 {
        return Err(vm.new_type_error(format!("time.struct_time() takes an at most 11-sequence ({n}-sequence given)")));
    }
    let mut extra = [Value::None, Value::None];
    for (i, slot) in extra.iter_mut().enumerate() {
        if let Some(v) = items.get(9 + i) {
            *slot = v.clone();
        } else if let Some(Some(Value::Obj(d))) = a.get(1) {
            if d.payload.as_dict().is_some() {
                if let Some(v) = vm.dict_get_str(d, &vm.intern(FIELDS[9 + i])) {
                    *slot = v;
                }
            }
        }
    }
    let [zone, off] = extra;
    Ok(new_struct_time(vm, &cls, items[..9].to_vec(), zone, off))
}

fn items_of(vm: &Vm, v: &Value) -> PyResult<Vec<Value>> {
    vm.seq_items(v).ok_or_else(|| vm.new_type_error("descriptor requires a 'time.struct_time' object"))
}

fn st_repr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__repr__", args, 1, 1)?;
    let items = items_of(vm, &args.args[0])?;
    let mut parts = Vec::new();
    for (name, v) in FIELDS.iter().zip(&items) {
        parts.push(format!("{name}={}", vm.repr_string(v)?));
    }
    Ok(vm.new_str(format!("time.struct_time({})", parts.join(", "))))
}

fn st_reduce(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__reduce__", args, 1, 1)?;
    let me = &args.args[0];
    let items = items_of(vm, me)?;
    let d = vm.new_dict();
    vm.dict_set_str(&d, &vm.intern("tm_zone"), hidden(me, 0));
    vm.dict_set_str(&d, &vm.intern("tm_gmtoff"), hidden(me, 1));
    let args = vm.new_tuple(vec![vm.new_tuple(items), Value::Obj(d)]);
    Ok(vm.new_tuple(vec![Value::Obj(vm.class_of(me).clone()), args]))
}

macro_rules! field_getters {
    ($($fname:ident, $i:expr;)*) => {
        $(fn $fname(vm: &Vm, v: &Value) -> PyResult {
            Ok(items_of(vm, v)?.get($i).cloned().unwrap_or(Value::None))
        })*
    };
}

field_getters! {
    g_year, 0; g_mon, 1; g_mday, 2; g_hour, 3; g_min, 4; g_sec, 5; g_wday, 6; g_yday, 7; g_isdst, 8;
}

fn g_zone(_vm: &Vm, v: &Value) -> PyResult {
    Ok(hidden(v, 0))
}
fn g_gmtoff(_vm: &Vm, v: &Value) -> PyResult {
    Ok(hidden(v, 1))
}

const fn gs(name: &'static str, get: fn(&Vm, &Value) -> PyResult, doc: &'static str) -> GetSetDef {
    GetSetDef { name, get, set: None, doc }
}

static GETSETS: [GetSetDef; 11] = [
    gs("tm_year", g_year, "year, for example, 1993"),
    gs("tm_mon", g_mon, "month of year, range [1, 12]"),
    gs("tm_mday", g_mday, "day of month, range [1, 31]"),
    gs("tm_hour", g_hour, "hours, range [0, 23]"),
    gs("tm_min", g_min, "minutes, range [0, 59]"),
    gs("tm_sec", g_sec, "seconds, range [0, 61])"),
    gs("tm_wday", g_wday, "day of week, range [0, 6], Monday is 0"),
    gs("tm_yday", g_yday, "day of year, range [1, 366]"),
    gs("tm_isdst", g_isdst, "1 if summer time is in effect, 0 if not, and -1 if unknown"),
    gs("tm_zone", g_zone, "abbreviation of timezone name"),
    gs("tm_gmtoff", g_gmtoff, "offset from UTC in seconds"),
];

static METHODS: [NativeDef; 3] = [
    NativeDef::staticmethod("__new__", st_new),
    NativeDef::method("__repr__", st_repr),
    NativeDef::method("__reduce__", st_reduce),
];

static STRUCT_TIME: TypeSpec = TypeSpec {
    module: "time",
    name: "struct_time",
    doc: "The time value as returned by gmtime(), localtime(), and strptime(), and\n accepted by asctime(), mktime() and strftime().  May be considered as a\n sequence of 9 integers.",
    layout: Layout::Tuple,
    flags: type_flags::BASETYPE,
    base: Some(tuple_type),
    slots: &["_tm_zone", "_tm_gmtoff"],
    methods: &METHODS,
    more_methods: &[],
    getsets: &GETSETS,
};

/// Adds the class attributes CPython's structseq has.
pub fn finish_type(vm: &Vm) -> PyRef {
    let t = struct_time_type(vm);
    for (k, n) in [("n_sequence_fields", 9), ("n_fields", 11), ("n_unnamed_fields", 0)] {
        krait_vm::types::add_attr(vm, &t, k, Value::Int(n));
    }
    let args = vm.new_tuple(FIELDS[..9].iter().map(|f| vm.new_str(*f)).collect());
    krait_vm::types::add_attr(vm, &t, "__match_args__", args);
    t
}

/// A time tuple converted to a C `struct tm` (`gettmarg`); `zone` receives
/// a struct_time's tm_zone. `who` names the function in the size error.
pub fn to_tm(vm: &Vm, v: &Value, who: &str, zone: &mut Option<String>) -> PyResult<libc::tm> {
    let items = match v.payload().and_then(|p| p.as_tuple()) {
        Some(t) => t.to_vec(),
        None => return Err(vm.new_type_error("Tuple or struct_time argument required")),
    };
    if items.len() != 9 {
        return Err(vm.new_type_error(format!("{who}(): illegal time tuple argument")));
    }
    let mut f = [0i32; 9];
    for (slot, item) in f.iter_mut().zip(&items) {
        *slot = crate::native::c_int(vm, item)?;
    }
    // SAFETY: `tm` is plain data; all-zero is a valid value (null tm_zone).
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    tm.tm_year = f[0].wrapping_sub(1900);
    tm.tm_mon = f[1].wrapping_sub(1);
    tm.tm_mday = f[2];
    tm.tm_hour = f[3];
    tm.tm_min = f[4];
    tm.tm_sec = f[5];
    tm.tm_wday = f[6].wrapping_add(1) % 7;
    tm.tm_yday = f[7].wrapping_sub(1);
    tm.tm_isdst = f[8];
    if vm.class_of(v).is(&struct_time_type(vm)) || vm.is_subtype(vm.class_of(v), &struct_time_type(vm)) {
        if let Some(z) = vm.as_str(&hidden(v, 0)) {
            *zone = Some(z.to_string());
        }
        if let Some(off) = vm.as_ibig(&hidden(v, 1)) {
            tm.tm_gmtoff = i64::try_from(&off).unwrap_or(0);
        }
    }
    Ok(tm)
}

/// CPython's `checktm` (with the normalisations asctime and strftime apply).
pub fn check_tm(vm: &Vm, tm: &mut libc::tm) -> PyResult<()> {
    if tm.tm_mon == -1 {
        tm.tm_mon = 0;
    } else if !(0..=11).contains(&tm.tm_mon) {
        return Err(vm.new_value_error("month out of range"));
    }
    if tm.tm_mday == 0 {
        tm.tm_mday = 1;
    } else if !(0..=31).contains(&tm.tm_mday) {
        return Err(vm.new_value_error("day of month out of range"));
    }
    if !(0..=23).contains(&tm.tm_hour) {
        return Err(vm.new_value_error("hour out of range"));
    }
    if !(0..=59).contains(&tm.tm_min) {
        return Err(vm.new_value_error("minute out of range"));
    }
    if !(0..=61).contains(&tm.tm_sec) {
        return Err(vm.new_value_error("seconds out of range"));
    }
    if tm.tm_wday < 0 {
        return Err(vm.new_value_error("day of week out of range"));
    }
    if tm.tm_yday == -1 {
        tm.tm_yday = 0;
    } else if !(0..=365).contains(&tm.tm_yday) {
        return Err(vm.new_value_error("day of year out of range"));
    }
    Ok(())
}
