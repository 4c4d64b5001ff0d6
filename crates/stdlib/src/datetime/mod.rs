//! `_datetime`: the native date, time, datetime, timedelta, tzinfo and
//! timezone types that Lib/datetime.py takes over with
//! `from _datetime import *` (CPython's C accelerator). The calendar
//! arithmetic, object layouts, constructors and the calls into tzinfo
//! objects shared by the types live here; each type has its own file.

/// The six rich-comparison methods from one `f(vm, args, op, name)`.
macro_rules! richcmp_methods {
    ($f:ident) => {
        fn cmp_eq(vm: &Vm, args: Args) -> PyResult {
            $f(vm, args, CmpOp::Eq, "__eq__")
        }
        fn cmp_ne(vm: &Vm, args: Args) -> PyResult {
            $f(vm, args, CmpOp::Ne, "__ne__")
        }
        fn cmp_lt(vm: &Vm, args: Args) -> PyResult {
            $f(vm, args, CmpOp::Lt, "__lt__")
        }
        fn cmp_le(vm: &Vm, args: Args) -> PyResult {
            $f(vm, args, CmpOp::Le, "__le__")
        }
        fn cmp_gt(vm: &Vm, args: Args) -> PyResult {
            $f(vm, args, CmpOp::Gt, "__gt__")
        }
        fn cmp_ge(vm: &Vm, args: Args) -> PyResult {
            $f(vm, args, CmpOp::Ge, "__ge__")
        }
    };
}

/// `__op__` and `__rop__` methods from a CPython-style (left, right)
/// number slot; `$check` refuses a `self` of the wrong type.
macro_rules! binop_methods {
    ($check:ident; $($fwd:ident, $rev:ident => $f:ident, $name:literal, $rname:literal;)*) => {$(
        fn $fwd(vm: &Vm, args: Args) -> PyResult {
            vm.check_arity($name, args, 2, 2)?;
            $check(vm, &args.args[0], $name)?;
            $f(vm, &args.args[0], &args.args[1])
        }
        fn $rev(vm: &Vm, args: Args) -> PyResult {
            vm.check_arity($rname, args, 2, 2)?;
            $check(vm, &args.args[0], $rname)?;
            $f(vm, &args.args[1], &args.args[0])
        }
    )*};
}

/// `__reduce_ex__(proto)` and `__reduce__()` (protocol 2) from `$f(vm, self, proto)`.
macro_rules! reduce_methods {
    ($f:ident => $ex:ident, $plain:ident) => {
        fn $ex(vm: &Vm, args: Args) -> PyResult {
            vm.check_arity("__reduce_ex__", args, 2, 2)?;
            let proto = crate::native::c_int(vm, &args.args[1])?;
            $f(vm, &args.args[0], proto as i64)
        }
        fn $plain(vm: &Vm, args: Args) -> PyResult {
            vm.check_arity("__reduce__", args, 1, 1)?;
            $f(vm, &args.args[0], 2)
        }
    };
}

/// The hour..fold getters (and their table `GETSETS`) of time and
/// datetime, reading through `$of(vm, v, name)`.
macro_rules! time_fields {
    ($of:ident) => {
        fn g_hour(vm: &Vm, v: &Value) -> PyResult {
            Ok(Value::Int($of(vm, v, "hour")?.t.h as i64))
        }
        fn g_minute(vm: &Vm, v: &Value) -> PyResult {
            Ok(Value::Int($of(vm, v, "minute")?.t.mi as i64))
        }
        fn g_second(vm: &Vm, v: &Value) -> PyResult {
            Ok(Value::Int($of(vm, v, "second")?.t.s as i64))
        }
        fn g_microsecond(vm: &Vm, v: &Value) -> PyResult {
            Ok(Value::Int($of(vm, v, "microsecond")?.t.us as i64))
        }
        fn g_tzinfo(vm: &Vm, v: &Value) -> PyResult {
            Ok($of(vm, v, "tzinfo")?.tz.get())
        }
        fn g_fold(vm: &Vm, v: &Value) -> PyResult {
            Ok(Value::Int($of(vm, v, "fold")?.fold as i64))
        }
        static GETSETS: [GetSetDef; 6] = [
            GetSetDef { name: "hour", get: g_hour, set: None, doc: "" },
            GetSetDef { name: "minute", get: g_minute, set: None, doc: "" },
            GetSetDef { name: "second", get: g_second, set: None, doc: "" },
            GetSetDef { name: "microsecond", get: g_microsecond, set: None, doc: "" },
            GetSetDef { name: "tzinfo", get: g_tzinfo, set: None, doc: "" },
            GetSetDef { name: "fold", get: g_fold, set: None, doc: "" },
        ];
    };
}

mod date;
mod datetime;
mod delta;
mod iso;
mod time;
mod tz;

use crate::native::{native_type, new_object};
use krait_vm::gc::{NativeData, Visitor};
use krait_vm::{Args, PyErr, PyRef, PyResult, Value, Vm};
use std::cell::RefCell;

pub use delta::Delta;

pub const MINYEAR: i32 = 1;
pub const MAXYEAR: i32 = 9999;
/// `date(9999, 12, 31).toordinal()`.
pub const MAXORDINAL: i64 = 3_652_059;
pub const US_PER_SECOND: i64 = 1_000_000;
pub const US_PER_DAY: i64 = 86_400 * US_PER_SECOND;
/// Seconds from 0001-01-01 to 1970-01-01.
pub const EPOCH_SECONDS: i64 = 719_162 * 86_400;
/// The largest fold in the IANA database is 23 hours; probing a day back finds any.
pub const MAX_FOLD_SECONDS: i64 = 86_400;

const DAYS_IN_MONTH: [u32; 13] = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DAYS_BEFORE_MONTH: [u32; 13] = [0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
pub const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
pub const MONTH_NAMES: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// ---------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian, ordinal 1 = 0001-01-01).

pub fn is_leap(y: i32) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

pub fn days_in_month(y: i32, m: u32) -> u32 {
    if m == 2 && is_leap(y) {
        29
    } else {
        DAYS_IN_MONTH[m as usize]
    }
}

fn days_before_month(y: i32, m: u32) -> u32 {
    DAYS_BEFORE_MONTH[m as usize] + (m > 2 && is_leap(y)) as u32
}

fn days_before_year(y: i32) -> i64 {
    let y = y as i64 - 1;
    y * 365 + y / 4 - y / 100 + y / 400
}

/// A calendar date; always valid once made by the constructors.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub struct Ymd {
    pub y: i32,
    pub m: u32,
    pub d: u32,
}

impl Ymd {
    pub fn ordinal(self) -> i64 {
        days_before_year(self.y) + days_before_month(self.y, self.m) as i64 + self.d as i64
    }

    /// The date of an ordinal in 1..=MAXORDINAL.
    pub fn from_ordinal(ord: i64) -> Ymd {
        // Days since 1970-01-01 for the civil-date algorithm.
        let (y, m, d) = crate::time::calendar::civil(ord - 719_163);
        Ymd { y: y as i32, m, d }
    }

    /// Monday is 0.
    pub fn weekday(self) -> u32 {
        ((self.ordinal() + 6) % 7) as u32
    }

    pub fn day_of_year(self) -> u32 {
        days_before_month(self.y, self.m) + self.d
    }

    /// ISO (year, week, weekday).
    pub fn isocalendar(self) -> (i32, u32, u32) {
        let mut year = self.y;
        let today = self.ordinal();
        let mut week1 = iso_week1_monday(year);
        let mut week = (today - week1).div_euclid(7);
        let mut day = (today - week1).rem_euclid(7);
        if week < 0 {
            year -= 1;
            week1 = iso_week1_monday(year);
            week = (today - week1).div_euclid(7);
            day = (today - week1).rem_euclid(7);
        } else if week >= 52 && today >= iso_week1_monday(year + 1) {
            year += 1;
            week = 0;
        }
        (year, week as u32 + 1, day as u32 + 1)
    }
}

/// The ordinal of the Monday starting ISO week 1 of `year`.
pub fn iso_week1_monday(year: i32) -> i64 {
    let first = Ymd { y: year, m: 1, d: 1 }.ordinal();
    let first_weekday = (first + 6) % 7;
    let monday = first - first_weekday;
    if first_weekday > 3 {
        monday + 7
    } else {
        monday
    }
}

/// A time of day.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Default)]
pub struct Hms {
    pub h: u32,
    pub mi: u32,
    pub s: u32,
    pub us: u32,
}

impl Hms {
    pub fn seconds(self) -> i64 {
        self.h as i64 * 3600 + self.mi as i64 * 60 + self.s as i64
    }
    pub fn total_us(self) -> i64 {
        self.seconds() * US_PER_SECOND + self.us as i64
    }
}

/// Microseconds since 0001-01-01T00:00 of a naive date and time.
pub fn to_us(d: Ymd, t: Hms) -> i128 {
    (d.ordinal() - 1) as i128 * US_PER_DAY as i128 + t.total_us() as i128
}

/// The date and time `us` microseconds after 0001-01-01T00:00;
/// OverflowError "date value out of range" outside years 1..=9999.
pub fn from_us(vm: &Vm, us: i128) -> PyResult<(Ymd, Hms)> {
    let days = us.div_euclid(US_PER_DAY as i128);
    let rest = us.rem_euclid(US_PER_DAY as i128) as i64;
    let ord = days + 1;
    if !(1..=MAXORDINAL as i128).contains(&ord) {
        return Err(vm.new_overflow_error("date value out of range"));
    }
    let secs = rest / US_PER_SECOND;
    let t = Hms { h: (secs / 3600) as u32, mi: (secs / 60 % 60) as u32, s: (secs % 60) as u32, us: (rest % US_PER_SECOND) as u32 };
    Ok((Ymd::from_ordinal(ord as i64), t))
}

/// The outcome of comparison `op` given how the operands order.
pub fn cmp_result(ord: std::cmp::Ordering, op: krait_compiler::bytecode::CmpOp) -> bool {
    use krait_compiler::bytecode::CmpOp;
    use std::cmp::Ordering::*;
    match op {
        CmpOp::Lt => ord == Less,
        CmpOp::Le => ord != Greater,
        CmpOp::Eq => ord == Equal,
        CmpOp::Ne => ord != Equal,
        CmpOp::Gt => ord == Greater,
        CmpOp::Ge => ord != Less,
    }
}

// ---------------------------------------------------------------------------
// Field checks with CPython's messages.

pub fn check_date(vm: &Vm, y: i32, m: i32, d: i32) -> PyResult<Ymd> {
    if !(MINYEAR..=MAXYEAR).contains(&y) {
        return Err(vm.new_value_error(format!("year {y} is out of range")));
    }
    if !(1..=12).contains(&m) {
        return Err(vm.new_value_error("month must be in 1..12"));
    }
    if d < 1 || d as u32 > days_in_month(y, m as u32) {
        return Err(vm.new_value_error("day is out of range for month"));
    }
    Ok(Ymd { y, m: m as u32, d: d as u32 })
}

pub fn check_time(vm: &Vm, h: i32, mi: i32, s: i32, us: i32, fold: i32) -> PyResult<Hms> {
    if !(0..=23).contains(&h) {
        return Err(vm.new_value_error("hour must be in 0..23"));
    }
    if !(0..=59).contains(&mi) {
        return Err(vm.new_value_error("minute must be in 0..59"));
    }
    if !(0..=59).contains(&s) {
        return Err(vm.new_value_error("second must be in 0..59"));
    }
    if !(0..=999_999).contains(&us) {
        return Err(vm.new_value_error("microsecond must be in 0..999999"));
    }
    if fold != 0 && fold != 1 {
        return Err(vm.new_value_error("fold must be either 0 or 1"));
    }
    Ok(Hms { h: h as u32, mi: mi as u32, s: s as u32, us: us as u32 })
}

/// A tzinfo argument must be None or a tzinfo instance.
pub fn check_tzinfo(vm: &Vm, v: &Value) -> PyResult<()> {
    if v.is_none() || vm.isinstance_type(v, &tz::tzinfo_type(vm)) {
        return Ok(());
    }
    Err(vm.new_type_error(format!(
        "tzinfo argument must be None or of a tzinfo subclass, not type '{}'",
        vm.type_name_of(v)
    )))
}

/// An optional int argument ("i" in CPython's argument parsing).
pub fn int_arg(vm: &Vm, v: &Option<Value>, default: i32) -> PyResult<i32> {
    match v {
        Some(v) => crate::native::c_int(vm, v),
        None => Ok(default),
    }
}

/// A str argument ("U"): "name() argument N must be str, not int".
pub fn str_arg<'a>(vm: &Vm, v: &'a Value, fname: &str, pos: usize) -> PyResult<&'a str> {
    vm.as_str(v)
        .ok_or_else(|| vm.new_type_error(format!("{fname}() argument {pos} must be str, not {}", vm.type_name_of(v))))
}

/// Text must reach the C library as UTF-8: a str with lone surrogates
/// raises the codec's UnicodeEncodeError, as CPython's conversion does.
pub fn check_encodable(vm: &Vm, v: &Value) -> PyResult<()> {
    if v.payload().and_then(|p| p.as_str()).is_some_and(|s| s.has_surrogates()) {
        vm.call_method(v, "encode", &[])?;
    }
    Ok(())
}

/// Keyword-capable arguments bound with the messages of CPython's
/// `PyArg_ParseTupleAndKeywords` (which the C constructors use): `fname`
/// None words them "function ..." and "... for this function". The first
/// `required` are required; those from `kwonly` on are keyword-only.
/// CPython converts each argument as it goes, so for an error found later
/// (a missing or unknown argument) a bad int among the first `ints`
/// arguments is reported instead.
pub fn parse_args(vm: &Vm, fname: Option<&str>, args: Args, names: &[&str], required: usize, kwonly: usize, ints: usize) -> PyResult<Vec<Option<Value>>> {
    let (f, paren) = match fname {
        Some(n) => (n, "()"),
        None => ("function", ""),
    };
    let pos = args.positional();
    let (nargs, nkw, len) = (pos.len(), args.kwnames.len(), names.len());
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    if nargs + nkw > len {
        let kw = if nargs == 0 { "keyword " } else { "" };
        return Err(vm.new_type_error(format!("{f}{paren} takes at most {len} {kw}argument{} ({} given)", plural(len), nargs + nkw)));
    }
    if nargs > kwonly {
        let how = if required < len { "at most" } else { "exactly" };
        return Err(vm.new_type_error(format!("{f}{paren} takes {how} {kwonly} positional argument{} ({nargs} given)", plural(kwonly))));
    }
    let mut out: Vec<Option<Value>> = pos.iter().cloned().map(Some).collect();
    out.resize(len, None);
    let mut used = 0;
    for (k, v) in args.keywords() {
        let k = vm.as_str(k).unwrap_or("");
        if let Some(i) = names.iter().position(|n| *n == k).filter(|&i| i >= nargs) {
            out[i] = Some(v.clone());
            used += 1;
        }
    }
    let convert_before = |upto: usize| -> PyResult<()> {
        for v in out[..upto.min(ints)].iter().flatten() {
            crate::native::c_int(vm, v)?;
        }
        Ok(())
    };
    if let Some(i) = (0..required).find(|&i| out[i].is_none()) {
        convert_before(i)?;
        return Err(vm.new_type_error(format!("{f}{paren} missing required argument '{}' (pos {})", names[i], i + 1)));
    }
    if used < nkw {
        convert_before(len)?;
        for (k, _) in args.keywords() {
            let k = vm.as_str(k).unwrap_or("");
            if let Some(i) = names[..nargs].iter().position(|n| *n == k) {
                return Err(vm.new_type_error(format!("argument for {f}{paren} given by name ('{k}') and position ({})", i + 1)));
            }
        }
        for (k, _) in args.keywords() {
            let k = vm.as_str(k).unwrap_or("");
            if !names.contains(&k) {
                let whom = match fname {
                    Some(n) => format!("{n}()"),
                    None => "this function".to_string(),
                };
                return Err(vm.new_type_error(format!("'{k}' is an invalid keyword argument for {whom}")));
            }
        }
    }
    Ok(out)
}

/// Binds a method's arguments after `self` (clinic style).
pub fn bind_method<'a>(vm: &Vm, name: &str, args: Args<'a>, names: &[&str], required: usize) -> PyResult<(&'a Value, Vec<Option<Value>>)> {
    let Some(me) = args.args.first() else {
        return Err(vm.new_type_error(format!("descriptor '{name}' needs an argument")));
    };
    let rest = Args { args: &args.args[1..], kwnames: args.kwnames };
    Ok((me, vm.bind_native(name, rest, names, 0, required, None)?))
}

/// The class argument of a classmethod.
pub fn cls_arg(vm: &Vm, args: &Args, name: &str) -> PyResult<PyRef> {
    match args.args.first() {
        Some(Value::Obj(c)) if c.payload.as_type().is_some() => Ok(c.clone()),
        _ => Err(vm.new_type_error(format!("descriptor '{name}' needs a type"))),
    }
}

/// A utcoffset()/dst() result as a value.
pub fn offset_value(vm: &Vm, d: Option<Delta>) -> Value {
    match d {
        Some(d) => delta::new_delta(vm, d),
        None => Value::None,
    }
}

/// `(type(me), (state[, tzinfo]))`: the pickle of a time or datetime.
pub fn pickle_reduce(vm: &Vm, me: &Value, state: Vec<u8>, tz: Value) -> Value {
    let mut items = vec![vm.new_bytes(state)];
    if !tz.is_none() {
        items.push(tz);
    }
    vm.new_tuple(vec![Value::Obj(vm.class_of(me).clone()), vm.new_tuple(items)])
}

pub fn unsupported_type(vm: &Vm, owner: &str, name: &str, got: &Value) -> PyErr {
    crate::native::descr_error(vm, name, owner, got)
}

/// A hash of small integers (never -1), standing in for CPython's hash of
/// the object's bytes: equal fields hash equal, which is all that is needed.
pub fn hash_parts(parts: &[i64]) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &p in parts {
        h ^= p as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
        h ^= h >> 29;
    }
    let h = (h >> 1) as i64;
    if h == -1 {
        -2
    } else {
        h
    }
}

// ---------------------------------------------------------------------------
// Object layouts.

pub struct DateObj(pub Ymd);
impl NativeData for DateObj {}

/// A datetime.time or datetime.datetime's tzinfo: kept in a RefCell so the
/// cycle collector can clear it. Whether the object is tracked is fixed
/// when it is made (clearing must not change the answer).
pub struct TzSlot {
    tz: RefCell<Value>,
    tracked: bool,
}

impl TzSlot {
    pub fn new(v: Value) -> TzSlot {
        let tracked = !v.is_none();
        TzSlot { tz: RefCell::new(v), tracked }
    }
    pub fn get(&self) -> Value {
        match self.tz.try_borrow() {
            Ok(v) => v.clone(),
            Err(_) => Value::None,
        }
    }
    fn is_set(&self) -> bool {
        self.tracked
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        if let Ok(v) = self.tz.try_borrow() {
            visitor.visit_value(&v);
        }
    }
    fn clear(&self) {
        let old = match self.tz.try_borrow_mut() {
            Ok(mut v) => std::mem::replace(&mut *v, Value::None),
            Err(_) => return,
        };
        drop(old);
    }
}

/// The cycle-collector hooks of an object whose only reference is its tzinfo.
macro_rules! tz_holder {
    ($t:ident) => {
        impl NativeData for $t {
            fn is_gc(&self) -> bool {
                self.tz.is_set()
            }
            fn traverse(&self, visitor: &mut dyn Visitor) {
                self.tz.traverse(visitor)
            }
            fn clear(&self) {
                self.tz.clear()
            }
        }
    };
}

pub struct TimeObj {
    pub t: Hms,
    pub fold: u8,
    pub tz: TzSlot,
}

tz_holder!(TimeObj);

pub struct DateTimeObj {
    pub d: Ymd,
    pub t: Hms,
    pub fold: u8,
    pub tz: TzSlot,
}

tz_holder!(DateTimeObj);

pub fn as_delta(v: &Value) -> Option<Delta> {
    v.payload().and_then(|p| p.as_native::<delta::DeltaObj>()).map(|d| d.0)
}
/// A date that is not a datetime.
pub fn as_pure_date(v: &Value) -> Option<Ymd> {
    v.payload().and_then(|p| p.as_native::<DateObj>()).map(|d| d.0)
}
/// The date part of a date or datetime.
pub fn as_date(v: &Value) -> Option<Ymd> {
    let p = v.payload()?;
    if let Some(d) = p.as_native::<DateObj>() {
        return Some(d.0);
    }
    p.as_native::<DateTimeObj>().map(|d| d.d)
}
pub fn as_datetime(v: &Value) -> Option<&DateTimeObj> {
    v.payload().and_then(|p| p.as_native::<DateTimeObj>())
}
pub fn as_time(v: &Value) -> Option<&TimeObj> {
    v.payload().and_then(|p| p.as_native::<TimeObj>())
}

// ---------------------------------------------------------------------------
// Making objects: directly for the types themselves (and `replace` on
// subclasses, as CPython 3.11), by calling the class for subclasses.

pub fn date_type(vm: &Vm) -> PyRef {
    native_type(vm, &date::DATE)
}
pub fn datetime_type(vm: &Vm) -> PyRef {
    native_type(vm, &datetime::DATETIME)
}
pub fn time_type(vm: &Vm) -> PyRef {
    native_type(vm, &time::TIME)
}
pub fn delta_type(vm: &Vm) -> PyRef {
    native_type(vm, &delta::DELTA)
}

pub fn new_date(vm: &Vm, cls: &PyRef, d: Ymd) -> Value {
    new_object(vm, cls, &date_type(vm), DateObj(d))
}

pub fn new_datetime(vm: &Vm, cls: &PyRef, d: Ymd, t: Hms, tz: Value, fold: u8) -> Value {
    new_datetime_of(vm, cls, &datetime_type(vm), d, t, tz, fold)
}

/// `new_datetime` when the caller has the datetime type at hand already.
pub fn new_datetime_of(vm: &Vm, cls: &PyRef, builtin: &PyRef, d: Ymd, t: Hms, tz: Value, fold: u8) -> Value {
    new_object(vm, cls, builtin, DateTimeObj { d, t, fold, tz: TzSlot::new(tz) })
}

pub fn new_time(vm: &Vm, cls: &PyRef, t: Hms, tz: Value, fold: u8) -> Value {
    new_object(vm, cls, &time_type(vm), TimeObj { t, fold, tz: TzSlot::new(tz) })
}

/// `new_date_subclass_ex`: a date of class `cls` (a datetime at midnight
/// when `cls` is a datetime class).
pub fn date_for_cls(vm: &Vm, cls: &PyRef, d: Ymd) -> PyResult {
    let date_t = date_type(vm);
    if cls.is(&date_t) {
        return Ok(new_object(vm, cls, &date_t, DateObj(d)));
    }
    if vm.is_subtype(cls, &datetime_type(vm)) {
        return datetime_for_cls(vm, cls, d, Hms::default(), Value::None, 0);
    }
    let args = [Value::Int(d.y as i64), Value::Int(d.m as i64), Value::Int(d.d as i64)];
    vm.call(&Value::Obj(cls.clone()), Args::new(&args))
}

/// `new_datetime_subclass_fold_ex`: subclasses are called with the fields
/// and tzinfo (CPython 3.11 does not pass the fold on to them).
pub fn datetime_for_cls(vm: &Vm, cls: &PyRef, d: Ymd, t: Hms, tz: Value, fold: u8) -> PyResult {
    let builtin = datetime_type(vm);
    if cls.is(&builtin) {
        return Ok(new_datetime_of(vm, cls, &builtin, d, t, tz, fold));
    }
    let args = [
        Value::Int(d.y as i64),
        Value::Int(d.m as i64),
        Value::Int(d.d as i64),
        Value::Int(t.h as i64),
        Value::Int(t.mi as i64),
        Value::Int(t.s as i64),
        Value::Int(t.us as i64),
        tz,
    ];
    vm.call(&Value::Obj(cls.clone()), Args::new(&args))
}

pub fn time_for_cls(vm: &Vm, cls: &PyRef, t: Hms, tz: Value) -> PyResult {
    if cls.is(&time_type(vm)) {
        return Ok(new_time(vm, cls, t, tz, 0));
    }
    let args = [Value::Int(t.h as i64), Value::Int(t.mi as i64), Value::Int(t.s as i64), Value::Int(t.us as i64), tz];
    vm.call(&Value::Obj(cls.clone()), Args::new(&args))
}

// ---------------------------------------------------------------------------
// Calls into tzinfo objects.

/// `tzinfo.utcoffset(arg)` or `tzinfo.dst(arg)` checked as CPython does:
/// None or a timedelta strictly within a day.
pub fn call_offset(vm: &Vm, tzinfo: &Value, name: &str, arg: &Value) -> PyResult<Option<Delta>> {
    if tzinfo.is_none() {
        return Ok(None);
    }
    if let Some(off) = tz::exact_timezone_offset(vm, tzinfo) {
        return Ok(if name == "utcoffset" { Some(off) } else { None });
    }
    let r = vm.call_method(tzinfo, name, std::slice::from_ref(arg))?;
    if r.is_none() {
        return Ok(None);
    }
    match as_delta(&r) {
        Some(d) => {
            if (d.days == -1 && d.secs == 0 && d.us < 1) || d.days < -1 || d.days >= 1 {
                return Err(vm.new_value_error(
                    "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24).",
                ));
            }
            Ok(Some(d))
        }
        None => Err(vm.new_type_error(format!(
            "tzinfo.{name}() must return None or timedelta, not '{}'",
            vm.type_name_of(&r)
        ))),
    }
}

/// `tzinfo.tzname(arg)`: None or a str.
pub fn call_tzname(vm: &Vm, tzinfo: &Value, arg: &Value) -> PyResult {
    if tzinfo.is_none() {
        return Ok(Value::None);
    }
    let r = vm.call_method(tzinfo, "tzname", std::slice::from_ref(arg))?;
    if r.is_none() || vm.as_str(&r).is_some() {
        return Ok(r);
    }
    Err(vm.new_type_error(format!("tzinfo.tzname() must return None or a string, not '{}'", vm.type_name_of(&r))))
}

// ---------------------------------------------------------------------------
// Local time (the C library's, through the time module's helpers).

/// Wall-clock seconds since 0001-01-01 of the local time at POSIX time `u`.
pub fn local_seconds(vm: &Vm, u: i64) -> PyResult<i64> {
    let lt = crate::time::calendar::local_time(vm, u)?;
    let (y, m, d) = lt.ymd;
    if !(MINYEAR as i64..=MAXYEAR as i64).contains(&y) {
        return Err(vm.new_value_error(format!("year {y} is out of range")));
    }
    let ymd = Ymd { y: y as i32, m, d };
    Ok((ymd.ordinal() - 1) * 86_400 + lt.hms.0 as i64 * 3600 + lt.hms.1 as i64 * 60 + lt.hms.2 as i64)
}

/// POSIX time of a naive local date and time (CPython's `local_to_seconds`):
/// solves `local(u) == t`, choosing by `fold` in folds and gaps.
pub fn local_to_posix(vm: &Vm, d: Ymd, t: Hms, fold: u8) -> PyResult<i64> {
    // Everything in POSIX seconds: local(u) is the wall clock at u read as UTC.
    let local = |u: i64| -> PyResult<i64> { Ok(local_seconds(vm, u)? - EPOCH_SECONDS) };
    let t = (d.ordinal() - 1) * 86_400 + t.seconds() - EPOCH_SECONDS;
    let a = local(t)? - t;
    let u1 = t - a;
    let t1 = local(u1)?;
    let b;
    if t1 == t {
        let u2 = if fold != 0 { u1 + MAX_FOLD_SECONDS } else { u1 - MAX_FOLD_SECONDS };
        let bb = local(u2)? - u2;
        if a == bb {
            return Ok(u1);
        }
        b = bb;
    } else {
        b = t1 - u1;
    }
    let u2 = t - b;
    let t2 = local(u2)?;
    if t2 == t {
        return Ok(u2);
    }
    if t1 == t {
        return Ok(u1);
    }
    Ok(if fold != 0 { u1.min(u2) } else { u1.max(u2) })
}

/// A `timezone` for the local zone at POSIX time `t` (offset and name from
/// the C library).
pub fn local_timezone_at(vm: &Vm, t: i64) -> PyResult {
    let lt = crate::time::calendar::local_time(vm, t)?;
    let off = Delta::from_us(vm, lt.gmtoff as i128 * US_PER_SECOND as i128)?;
    tz::new_timezone(vm, off, lt.zone.map(|z| vm.new_str(z)))
}

/// The module object.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let date_t = date_type(vm);
    let datetime_t = datetime_type(vm);
    let time_t = time_type(vm);
    let delta_t = delta_type(vm);
    let tzinfo_t = tz::tzinfo_type(vm);
    let timezone_t = tz::finish_timezone(vm)?;
    date::finish(vm, &date_t);
    datetime::finish(vm, &datetime_t);
    time::finish(vm, &time_t);
    delta::finish(vm, &delta_t);
    let utc = tz::utc(vm);
    let attrs = vec![
        ("date", Value::Obj(date_t)),
        ("datetime", Value::Obj(datetime_t)),
        ("time", Value::Obj(time_t)),
        ("timedelta", Value::Obj(delta_t)),
        ("tzinfo", Value::Obj(tzinfo_t)),
        ("timezone", Value::Obj(timezone_t)),
        ("UTC", utc),
        ("MINYEAR", Value::Int(MINYEAR as i64)),
        ("MAXYEAR", Value::Int(MAXYEAR as i64)),
    ];
    Ok(crate::native::make_module(vm, "_datetime", "Fast implementation of the datetime type.", &[], attrs))
}
