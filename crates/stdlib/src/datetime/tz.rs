//! `datetime.tzinfo` (the abstract base time zone classes derive from) and
//! `datetime.timezone` (a fixed offset with an optional name; `utc` is a
//! singleton that `timezone(timedelta(0))` returns).

use super::delta::{delta_hash, delta_repr_text, new_delta, Delta};
use super::{as_datetime, as_delta, call_offset};
use crate::native::{native_type, new_object, TypeSpec};
use krait_vm::gc::NativeData;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::RefCell;

pub struct TzInfoObj;
impl NativeData for TzInfoObj {}

pub struct TimezoneObj {
    pub offset: Delta,
    /// A str, or None for the "UTC+HH:MM" name.
    pub name: Value,
}
impl NativeData for TimezoneObj {}

#[derive(Default)]
struct TzState {
    utc: RefCell<Option<Value>>,
}

pub fn tzinfo_type(vm: &Vm) -> PyRef {
    native_type(vm, &TZINFO)
}

fn timezone_type(vm: &Vm) -> PyRef {
    native_type(vm, &TIMEZONE)
}

/// `timezone.utc`.
pub fn utc(vm: &Vm) -> Value {
    let st = vm.state::<TzState>();
    if let Some(u) = st.utc.borrow().as_ref() {
        return u.clone();
    }
    let t = timezone_type(vm);
    let u = new_object(vm, &t, &t, TimezoneObj { offset: Delta::ZERO, name: Value::None });
    *st.utc.borrow_mut() = Some(u.clone());
    u
}

/// The offset of a `timezone` (whose methods cannot be overridden: the type
/// is final), for skipping the method call.
pub fn exact_timezone_offset(_vm: &Vm, v: &Value) -> Option<Delta> {
    v.payload().and_then(|p| p.as_native::<TimezoneObj>()).map(|z| z.offset)
}

fn offset_out_of_range(off: Delta) -> bool {
    (off.days == -1 && off.secs == 0 && off.us < 1) || off.days < -1 || off.days >= 1
}

/// `new_timezone`: the utc singleton for a nameless zero offset.
pub fn new_timezone(vm: &Vm, offset: Delta, name: Option<Value>) -> PyResult {
    if name.is_none() && offset.is_zero() {
        return Ok(utc(vm));
    }
    if offset_out_of_range(offset) {
        return Err(vm.new_value_error(format!(
            "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24), not {}.",
            delta_repr_text("datetime.timedelta", offset)
        )));
    }
    let t = timezone_type(vm);
    Ok(new_object(vm, &t, &t, TimezoneObj { offset, name: name.unwrap_or(Value::None) }))
}

// ---------------------------------------------------------------------------
// tzinfo

fn tzinfo_new(vm: &Vm, args: Args) -> PyResult {
    let t = tzinfo_type(vm);
    let cls = krait_vm::types::seq_util::new_cls(vm, args.args, &t)?.clone();
    Ok(new_object(vm, &cls, &t, TzInfoObj))
}

fn not_implemented(vm: &Vm, args: Args, name: &str) -> PyResult {
    vm.check_arity(name, args, 2, 2)?;
    Err(vm.new_not_implemented_error(format!("a tzinfo subclass must implement {name}()")))
}

fn ti_tzname(vm: &Vm, args: Args) -> PyResult {
    not_implemented(vm, args, "tzname")
}
fn ti_utcoffset(vm: &Vm, args: Args) -> PyResult {
    not_implemented(vm, args, "utcoffset")
}
fn ti_dst(vm: &Vm, args: Args) -> PyResult {
    not_implemented(vm, args, "dst")
}

/// The default `fromutc`: standard offset from utcoffset() - dst(), then
/// the dst() of the shifted time (PEP 495's algorithm for simple zones).
fn ti_fromutc(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("fromutc", args, 2, 2)?;
    let (me, dt) = (&args.args[0], &args.args[1]);
    let Some(d) = as_datetime(dt) else {
        return Err(vm.new_type_error("fromutc: argument must be a datetime"));
    };
    if !d.tz.get().is(me) {
        return Err(vm.new_value_error("fromutc: dt.tzinfo is not self"));
    }
    let Some(off) = call_offset(vm, me, "utcoffset", dt)? else {
        return Err(vm.new_value_error("fromutc: non-None utcoffset() result required"));
    };
    let Some(dst) = call_offset(vm, me, "dst", dt)? else {
        return Err(vm.new_value_error("fromutc: non-None dst() result required"));
    };
    let delta = Delta::from_us(vm, off.total_us() - dst.total_us())?;
    let shifted = super::datetime::add_delta(vm, dt, delta.total_us())?;
    let Some(dst) = call_offset(vm, me, "dst", &shifted)? else {
        return Err(vm.new_value_error("fromutc: tz.dst() gave inconsistent results; cannot convert"));
    };
    super::datetime::add_delta(vm, &shifted, dst.total_us())
}

/// Pickles as (type, __getinitargs__() or (), __getstate__()).
fn ti_reduce(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__reduce__", args, 1, 1)?;
    let me = &args.args[0];
    let init_args = match vm.getattr_opt(me, "__getinitargs__")? {
        Some(f) => vm.call(&f, Args::EMPTY)?,
        None => vm.new_tuple(vec![]),
    };
    let state = if me.payload().and_then(|p| p.as_native::<TimezoneObj>()).is_some() {
        Value::None
    } else {
        match vm.getattr_opt(me, "__getstate__")? {
            Some(f) => vm.call(&f, Args::EMPTY)?,
            None => Value::None,
        }
    };
    Ok(vm.new_tuple(vec![Value::Obj(vm.class_of(me).clone()), init_args, state]))
}

static TZINFO_METHODS: [NativeDef; 6] = [
    NativeDef::staticmethod("__new__", tzinfo_new),
    NativeDef::method("tzname", ti_tzname).doc("datetime -> string name of time zone."),
    NativeDef::method("utcoffset", ti_utcoffset).doc("datetime -> timedelta showing offset from UTC, negative values indicating West of UTC"),
    NativeDef::method("dst", ti_dst).doc("datetime -> DST offset as timedelta positive east of UTC."),
    NativeDef::method("fromutc", ti_fromutc).doc("datetime in UTC -> datetime in local time."),
    NativeDef::method("__reduce__", ti_reduce).doc("-> (cls, state)"),
];

pub static TZINFO: TypeSpec = TypeSpec {
    module: "datetime",
    name: "tzinfo",
    doc: "Abstract base class for time zone info objects.",
    layout: Layout::Other,
    flags: type_flags::BASETYPE,
    base: None,
    slots: &[],
    methods: &TZINFO_METHODS,
    more_methods: &[],
    getsets: &[],
};

// ---------------------------------------------------------------------------
// timezone

fn tz_of<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a TimezoneObj> {
    v.payload()
        .and_then(|p| p.as_native::<TimezoneObj>())
        .ok_or_else(|| crate::native::descr_error(vm, name, "datetime.timezone", v))
}

fn timezone_new(vm: &Vm, args: Args) -> PyResult {
    let t = timezone_type(vm);
    let (_cls, rest) = crate::native::split_new(vm, args, &t)?;
    let a = super::parse_args(vm, Some("timezone"), rest, &["offset", "name"], 1, 2, 0)?;
    let off_v = a[0].clone().unwrap_or(Value::None);
    let Some(offset) = as_delta(&off_v) else {
        return Err(vm.new_type_error(format!(
            "timezone() argument 1 must be datetime.timedelta, not {}",
            vm.type_name_of(&off_v)
        )));
    };
    let name = match &a[1] {
        Some(n) => {
            super::str_arg(vm, n, "timezone", 2)?;
            Some(n.clone())
        }
        None => None,
    };
    new_timezone(vm, offset, name)
}

/// The dt argument of timezone's methods: a datetime or None.
fn check_dt_arg(vm: &Vm, args: Args, name: &str) -> PyResult<TimezoneInfo> {
    vm.check_arity(name, args, 2, 2)?;
    let z = tz_of(vm, &args.args[0], name)?;
    let dt = &args.args[1];
    if !dt.is_none() && as_datetime(dt).is_none() {
        return Err(vm.new_type_error(format!(
            "{name}(dt) argument must be a datetime instance or None, not {}",
            vm.type_name_of(dt)
        )));
    }
    Ok(TimezoneInfo { offset: z.offset, name: z.name.clone() })
}

struct TimezoneInfo {
    offset: Delta,
    name: Value,
}

fn tz_utcoffset(vm: &Vm, args: Args) -> PyResult {
    let z = check_dt_arg(vm, args, "utcoffset")?;
    Ok(new_delta(vm, z.offset))
}

fn tz_dst(vm: &Vm, args: Args) -> PyResult {
    check_dt_arg(vm, args, "dst")?;
    Ok(Value::None)
}

/// "UTC" or "UTC+HH:MM[:SS[.ffffff]]" for a nameless zone.
fn offset_name(vm: &Vm, z: &TimezoneInfo) -> Value {
    if !z.name.is_none() {
        return z.name.clone();
    }
    if z.offset.is_zero() {
        return vm.new_str("UTC");
    }
    vm.new_str(format!("UTC{}", super::iso::format_offset(z.offset, ":")))
}

fn tz_tzname(vm: &Vm, args: Args) -> PyResult {
    let z = check_dt_arg(vm, args, "tzname")?;
    Ok(offset_name(vm, &z))
}

fn tz_str(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__str__", args, 1, 1)?;
    let z = tz_of(vm, &args.args[0], "__str__")?;
    Ok(offset_name(vm, &TimezoneInfo { offset: z.offset, name: z.name.clone() }))
}

fn tz_repr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__repr__", args, 1, 1)?;
    let me = &args.args[0];
    let z = tz_of(vm, me, "__repr__")?;
    if me.is(&utc(vm)) {
        return Ok(vm.new_str("datetime.timezone.utc"));
    }
    let off = delta_repr_text("datetime.timedelta", z.offset);
    let tname = vm.type_name_of(me);
    if z.name.is_none() {
        return Ok(vm.new_str(format!("{tname}({off})")));
    }
    Ok(vm.new_str(format!("{tname}({off}, {})", vm.repr_string(&z.name)?)))
}

fn tz_fromutc(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("fromutc", args, 2, 2)?;
    let (me, dt) = (&args.args[0], &args.args[1]);
    let z = tz_of(vm, me, "fromutc")?;
    let Some(d) = as_datetime(dt) else {
        return Err(vm.new_type_error("fromutc: argument must be a datetime"));
    };
    if !d.tz.get().is(me) {
        return Err(vm.new_value_error("fromutc: dt.tzinfo is not self"));
    }
    super::datetime::add_delta(vm, dt, z.offset.total_us())
}

fn tz_getinitargs(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__getinitargs__", args, 1, 1)?;
    let z = tz_of(vm, &args.args[0], "__getinitargs__")?;
    let mut items = vec![new_delta(vm, z.offset)];
    if !z.name.is_none() {
        items.push(z.name.clone());
    }
    Ok(vm.new_tuple(items))
}

fn tz_eq_ne(vm: &Vm, args: Args, name: &str, eq: bool) -> PyResult {
    vm.check_arity(name, args, 2, 2)?;
    let a = tz_of(vm, &args.args[0], name)?.offset;
    match args.args[1].payload().and_then(|p| p.as_native::<TimezoneObj>()) {
        Some(b) => Ok(Value::Bool((a == b.offset) == eq)),
        None => Ok(vm.not_implemented()),
    }
}

fn tz_eq(vm: &Vm, args: Args) -> PyResult {
    tz_eq_ne(vm, args, "__eq__", true)
}
fn tz_ne(vm: &Vm, args: Args) -> PyResult {
    tz_eq_ne(vm, args, "__ne__", false)
}

fn tz_hash(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__hash__", args, 1, 1)?;
    Ok(Value::Int(delta_hash(tz_of(vm, &args.args[0], "__hash__")?.offset)))
}

static TIMEZONE_METHODS: [NativeDef; 12] = [
    NativeDef::staticmethod("__new__", timezone_new),
    NativeDef::method("utcoffset", tz_utcoffset).doc("Return fixed offset."),
    NativeDef::method("dst", tz_dst).doc("Return None."),
    NativeDef::method("tzname", tz_tzname).doc("If name is specified when timezone is created, returns the name.  Otherwise returns offset as 'UTC(+|-)HH:MM'."),
    NativeDef::method("fromutc", tz_fromutc).doc("datetime in UTC -> datetime in local time."),
    NativeDef::method("__getinitargs__", tz_getinitargs).doc("pickle support"),
    NativeDef::method("__eq__", tz_eq),
    NativeDef::method("__ne__", tz_ne),
    NativeDef::method("__hash__", tz_hash),
    NativeDef::method("__repr__", tz_repr),
    NativeDef::method("__str__", tz_str),
    NativeDef::method("__reduce__", ti_reduce),
];

fn tzinfo_base(vm: &Vm) -> PyRef {
    tzinfo_type(vm)
}

pub static TIMEZONE: TypeSpec = TypeSpec {
    module: "datetime",
    name: "timezone",
    doc: "Fixed offset from UTC implementation of tzinfo.",
    layout: Layout::Other,
    flags: 0,
    base: Some(tzinfo_base),
    slots: &[],
    methods: &TIMEZONE_METHODS,
    more_methods: &[],
    getsets: &[],
};

/// The timezone type with its class attributes utc, min and max.
pub fn finish_timezone(vm: &Vm) -> PyResult<PyRef> {
    let t = timezone_type(vm);
    let minutes = 23 * 60 + 59;
    let max = Delta::from_us(vm, minutes as i128 * 60_000_000)?;
    let min = Delta::from_us(vm, -(minutes as i128) * 60_000_000)?;
    krait_vm::types::add_attr(vm, &t, "utc", utc(vm));
    krait_vm::types::add_attr(vm, &t, "min", new_timezone(vm, min, None)?);
    krait_vm::types::add_attr(vm, &t, "max", new_timezone(vm, max, None)?);
    Ok(t)
}
