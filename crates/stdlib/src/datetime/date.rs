//! `datetime.date` (many of whose methods datetime inherits: they read the
//! date part of either) and the `IsoCalendarDate` tuple isocalendar() returns.

use super::delta::new_delta;
use super::iso;
use super::{
    cls_arg, as_date, as_datetime, as_delta, as_pure_date, bind_method, check_date, cmp_result, date_for_cls, date_type, new_date,
    str_arg, Delta, Hms, Ymd,
};
use crate::native::{native_type, split_new, TypeSpec};
use krait_compiler::bytecode::CmpOp;
use krait_vm::payload::{GetSetDef, Payload};
use krait_vm::types::seq_util::new_with_base;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};

fn date_of(vm: &Vm, v: &Value, name: &str) -> PyResult<Ymd> {
    as_date(v).ok_or_else(|| super::unsupported_type(vm, "datetime.date", name, v))
}

fn self_date(vm: &Vm, args: &Args, name: &str) -> PyResult<Ymd> {
    vm.check_arity(name, *args, 1, 1)?;
    date_of(vm, &args.args[0], name)
}

/// The bytes of a pickle state argument (bytes, or a str from a Python 2
/// pickle read as latin-1) if it looks like one: `n` long and byte
/// `check_at` passing `ok`.
pub fn pickle_state(vm: &Vm, v: &Value, n: usize, check_at: usize, ok: fn(u8) -> bool) -> PyResult<Option<Vec<u8>>> {
    if let Some(b) = v.payload().and_then(|p| p.as_bytes()) {
        return Ok((b.len() == n && ok(b[check_at])).then(|| b.to_vec()));
    }
    if let Some(s) = vm.as_str(v) {
        let chars: Vec<char> = s.chars().collect();
        if chars.len() != n || (chars[check_at] as u32) > 255 || !ok(chars[check_at] as u8) {
            return Ok(None);
        }
        if chars.iter().any(|&c| c as u32 > 255) {
            return Err(vm.new_value_error(
                "Failed to encode latin1 string when unpickling a date object. pickle.load(data, encoding='latin1') is assumed.",
            ));
        }
        return Ok(Some(chars.iter().map(|&c| c as u8).collect()));
    }
    Ok(None)
}

fn month_ok(b: u8) -> bool {
    (1..=12).contains(&(b & 0x7f))
}

fn date_new(vm: &Vm, args: Args) -> PyResult {
    let t = date_type(vm);
    let (cls, rest) = split_new(vm, args, &t)?;
    if rest.args.len() == 1 && !rest.has_kwargs() {
        if let Some(b) = pickle_state(vm, &rest.args[0], 4, 2, month_ok)? {
            // Only the month is checked, as CPython: the other fields come
            // from a pickle (nothing here indexes by them).
            let d = Ymd { y: b[0] as i32 * 256 + b[1] as i32, m: b[2] as u32, d: b[3] as u32 };
            return Ok(new_date(vm, &cls, d));
        }
    }
    let a = super::parse_args(vm, None, rest, &["year", "month", "day"], 3, 3, 3)?;
    let int = |i: usize| crate::native::c_int(vm, a[i].as_ref().unwrap_or(&Value::None));
    let d = check_date(vm, int(0)?, int(1)?, int(2)?)?;
    Ok(new_date(vm, &cls, d))
}

/// `date.today()`: `cls.fromtimestamp(time.time())`, so subclasses' own
/// fromtimestamp is used.
fn d_today(vm: &Vm, args: Args) -> PyResult {
    let cls = cls_arg(vm, &args, "today")?;
    vm.check_arity("today", Args::new(&args.args[1..]), 0, 0)?;
    let now = crate::time::wall_ns() as f64 / 1e9;
    vm.call_method(&Value::Obj(cls), "fromtimestamp", &[Value::Float(now)])
}

fn d_fromtimestamp(vm: &Vm, args: Args) -> PyResult {
    let cls = cls_arg(vm, &args, "fromtimestamp")?;
    let rest = Args::new(&args.args[1..]);
    vm.check_arity("fromtimestamp", rest, 1, 1)?;
    let ts = &args.args[1];
    if ts.is_none() {
        return Err(vm.new_type_error("'NoneType' object cannot be interpreted as an integer"));
    }
    let t = crate::time::calendar::seconds_arg(vm, Some(ts))?;
    let lt = crate::time::calendar::local_time(vm, t)?;
    let (y, m, d) = lt.ymd;
    let y = i32::try_from(y).map_err(|_| vm.new_overflow_error("timestamp out of range for platform time_t"))?;
    let d = check_date(vm, y, m as i32, d as i32)?;
    date_for_cls(vm, &cls, d)
}

fn d_fromordinal(vm: &Vm, args: Args) -> PyResult {
    let cls = cls_arg(vm, &args, "fromordinal")?;
    let rest = Args { args: &args.args[1..], kwnames: args.kwnames };
    let a = crate::native::unpack(vm, "fromordinal", &rest, 1, 1)?;
    let ord = crate::native::c_int(vm, &a[0])? as i64;
    if ord < 1 {
        return Err(vm.new_value_error("ordinal must be >= 1"));
    }
    if ord > super::MAXORDINAL {
        let y = Ymd::from_ordinal(ord).y;
        return Err(vm.new_value_error(format!("year {y} is out of range")));
    }
    date_for_cls(vm, &cls, Ymd::from_ordinal(ord))
}

fn d_fromisoformat(vm: &Vm, args: Args) -> PyResult {
    let cls = cls_arg(vm, &args, "fromisoformat")?;
    vm.check_arity("fromisoformat", Args::new(&args.args[1..]), 1, 1)?;
    let sv = &args.args[1];
    let Some(s) = vm.as_str(sv) else {
        return Err(vm.new_type_error("fromisoformat: argument must be str"));
    };
    let b = s.as_bytes();
    let parsed = if matches!(b.len(), 7 | 8 | 10) { iso::parse_date(b, b.len()) } else { None };
    let Some((y, m, d)) = parsed else { return Err(iso::invalid(vm, sv)) };
    date_for_cls(vm, &cls, check_date(vm, y, m, d)?)
}

fn d_fromisocalendar(vm: &Vm, args: Args) -> PyResult {
    let cls = cls_arg(vm, &args, "fromisocalendar")?;
    let rest = Args { args: &args.args[1..], kwnames: args.kwnames };
    let a = vm.bind_native("fromisocalendar", rest, &["year", "week", "day"], 0, 3, None)?;
    let int = |i: usize| -> PyResult<i32> {
        let v = a[i].as_ref().unwrap_or(&Value::None);
        match vm.index(v) {
            Ok(Value::Int(x)) if i32::try_from(x).is_err() => Err(vm.new_value_error("ISO calendar component out of range")),
            Ok(Value::Obj(_)) => Err(vm.new_value_error("ISO calendar component out of range")),
            _ => crate::native::c_int(vm, v),
        }
    };
    let (y, m, d) = iso::from_isocalendar(vm, int(0)?, int(1)?, int(2)?)?;
    date_for_cls(vm, &cls, check_date(vm, y, m, d)?)
}

fn d_ctime(vm: &Vm, args: Args) -> PyResult {
    let d = self_date(vm, &args, "ctime")?;
    Ok(vm.new_str(iso::ctime(d, Hms::default())))
}

/// `strftime(format)`: uses the object's own timetuple() (datetime's for a datetime).
fn d_strftime(vm: &Vm, args: Args) -> PyResult {
    let (me, a) = bind_method(vm, "strftime", args, &["format"], 1)?;
    date_of(vm, me, "strftime")?;
    let fv = a[0].clone().unwrap_or(Value::None);
    let fmt = str_arg(vm, &fv, "strftime", 1)?;
    super::check_encodable(vm, &fv)?;
    let tt = vm.call_method(me, "timetuple", &[])?;
    match as_datetime(me) {
        Some(dt) => iso::strftime(vm, fmt, tt, &dt.tz.get(), me, dt.t.us),
        None => iso::strftime(vm, fmt, tt, &Value::None, &Value::None, 0),
    }
}

/// `__format__`: str(self) for an empty spec, else self.strftime(spec).
pub fn d_format(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__format__", args, 2, 2)?;
    let (me, spec) = (&args.args[0], &args.args[1]);
    let s = str_arg(vm, spec, "__format__", 1)?;
    if s.is_empty() {
        return Ok(vm.new_str(vm.str_string(me)?));
    }
    vm.call_method(me, "strftime", &[spec.clone()])
}

fn d_timetuple(vm: &Vm, args: Args) -> PyResult {
    let d = self_date(vm, &args, "timetuple")?;
    iso::struct_time(vm, d, Hms::default(), -1)
}

fn d_isocalendar(vm: &Vm, args: Args) -> PyResult {
    let d = self_date(vm, &args, "isocalendar")?;
    let (y, w, wd) = d.isocalendar();
    Ok(new_isocal(vm, &isocal_type(vm), y as i64, w as i64, wd as i64))
}

fn d_isoformat(vm: &Vm, args: Args) -> PyResult {
    let d = self_date(vm, &args, "isoformat")?;
    Ok(vm.new_str(date_text(d)))
}

pub fn date_text(d: Ymd) -> String {
    format!("{:04}-{:02}-{:02}", d.y, d.m, d.d)
}

fn d_str(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__str__", args, 1, 1)?;
    let me = &args.args[0];
    if let Some(d) = as_pure_date(me).filter(|_| vm.class_of(me).is(&date_type(vm))) {
        return Ok(vm.new_str(date_text(d)));
    }
    vm.call_method(me, "isoformat", &[])
}

fn d_repr(vm: &Vm, args: Args) -> PyResult {
    let d = self_date(vm, &args, "__repr__")?;
    Ok(vm.new_str(format!("{}({}, {}, {})", vm.type_name_of(&args.args[0]), d.y, d.m, d.d)))
}

fn d_isoweekday(vm: &Vm, args: Args) -> PyResult {
    Ok(Value::Int(self_date(vm, &args, "isoweekday")?.weekday() as i64 + 1))
}

fn d_weekday(vm: &Vm, args: Args) -> PyResult {
    Ok(Value::Int(self_date(vm, &args, "weekday")?.weekday() as i64))
}

fn d_toordinal(vm: &Vm, args: Args) -> PyResult {
    Ok(Value::Int(self_date(vm, &args, "toordinal")?.ordinal()))
}

/// `replace()` keeps the class without calling it, as CPython 3.11.
fn d_replace(vm: &Vm, args: Args) -> PyResult {
    let (me, a) = bind_method(vm, "replace", args, &["year", "month", "day"], 0)?;
    let d = date_of(vm, me, "replace")?;
    let y = super::int_arg(vm, &a[0], d.y)?;
    let m = super::int_arg(vm, &a[1], d.m as i32)?;
    let dd = super::int_arg(vm, &a[2], d.d as i32)?;
    Ok(new_date(vm, vm.class_of(me), check_date(vm, y, m, dd)?))
}

fn d_reduce(vm: &Vm, args: Args) -> PyResult {
    let d = self_date(vm, &args, "__reduce__")?;
    let state = vec![(d.y >> 8) as u8, (d.y & 0xff) as u8, d.m as u8, d.d as u8];
    let cls = Value::Obj(vm.class_of(&args.args[0]).clone());
    Ok(vm.new_tuple(vec![cls, vm.new_tuple(vec![vm.new_bytes(state)])]))
}

fn d_hash(vm: &Vm, args: Args) -> PyResult {
    let d = self_date(vm, &args, "__hash__")?;
    Ok(Value::Int(super::hash_parts(&[d.y as i64, d.m as i64, d.d as i64])))
}

/// Compares the date parts. `date == datetime` never gets here: the
/// datetime's reflected method goes first and refuses.
fn compare(vm: &Vm, args: Args, op: CmpOp, name: &str) -> PyResult {
    vm.check_arity(name, args, 2, 2)?;
    let a = date_of(vm, &args.args[0], name)?;
    match as_date(&args.args[1]) {
        Some(b) => Ok(Value::Bool(cmp_result(a.cmp(&b), op))),
        None => Ok(vm.not_implemented()),
    }
}

richcmp_methods!(compare);

/// date + timedelta (whole days only), as CPython's `date_add`.
fn add(vm: &Vm, l: &Value, r: &Value) -> PyResult {
    if as_datetime(l).is_some() || as_datetime(r).is_some() {
        return Ok(vm.not_implemented());
    }
    let (d, delta, date_v) = match (as_pure_date(l), as_delta(r), as_delta(l), as_pure_date(r)) {
        (Some(d), Some(t), _, _) => (d, t, l),
        (_, _, Some(t), Some(d)) => (d, t, r),
        _ => return Ok(vm.not_implemented()),
    };
    shift(vm, date_v, d, delta.days as i64)
}

fn shift(vm: &Vm, date_v: &Value, d: Ymd, days: i64) -> PyResult {
    let ord = d.ordinal() + days;
    if !(1..=super::MAXORDINAL).contains(&ord) {
        return Err(vm.new_overflow_error("date value out of range"));
    }
    date_for_cls(vm, vm.class_of(date_v), Ymd::from_ordinal(ord))
}

fn sub(vm: &Vm, l: &Value, r: &Value) -> PyResult {
    if as_datetime(l).is_some() || as_datetime(r).is_some() {
        return Ok(vm.not_implemented());
    }
    let Some(a) = as_pure_date(l) else { return Ok(vm.not_implemented()) };
    if let Some(b) = as_pure_date(r) {
        let days = a.ordinal() - b.ordinal();
        return Ok(new_delta(vm, Delta { days: days as i32, secs: 0, us: 0 }));
    }
    if let Some(t) = as_delta(r) {
        return shift(vm, l, a, -(t.days as i64));
    }
    Ok(vm.not_implemented())
}

binop_methods! {
    date_of;
    d_add, d_radd => add, "__add__", "__radd__";
    d_sub, d_rsub => sub, "__sub__", "__rsub__";
}

fn g_year(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(date_of(vm, v, "year")?.y as i64))
}
fn g_month(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(date_of(vm, v, "month")?.m as i64))
}
fn g_day(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(date_of(vm, v, "day")?.d as i64))
}

static METHODS: [NativeDef; 30] = [
    NativeDef::staticmethod("__new__", date_new),
    NativeDef::classmethod("today", d_today).doc("Current date or datetime:  same as self.__class__.fromtimestamp(time.time())."),
    NativeDef::classmethod("fromtimestamp", d_fromtimestamp).doc("Create a date from a POSIX timestamp."),
    NativeDef::classmethod("fromordinal", d_fromordinal).doc("int -> date corresponding to a proleptic Gregorian ordinal."),
    NativeDef::classmethod("fromisoformat", d_fromisoformat).doc("str -> Construct a date from a string in ISO 8601 format."),
    NativeDef::classmethod("fromisocalendar", d_fromisocalendar).doc("int, int, int -> Construct a date from the ISO year, week number and weekday."),
    NativeDef::method("ctime", d_ctime).doc("Return ctime() style string."),
    NativeDef::method("strftime", d_strftime).doc("format -> strftime() style string."),
    NativeDef::method("__format__", d_format).doc("Formats self with strftime."),
    NativeDef::method("timetuple", d_timetuple).doc("Return time tuple, compatible with time.localtime()."),
    NativeDef::method("isocalendar", d_isocalendar).doc("Return a named tuple containing ISO year, week number, and weekday."),
    NativeDef::method("isoformat", d_isoformat).doc("Return string in ISO 8601 format, YYYY-MM-DD."),
    NativeDef::method("isoweekday", d_isoweekday).doc("Return the day of the week represented by the date.\nMonday == 1 ... Sunday == 7"),
    NativeDef::method("toordinal", d_toordinal).doc("Return proleptic Gregorian ordinal.  January 1 of year 1 is day 1."),
    NativeDef::method("weekday", d_weekday).doc("Return the day of the week represented by the date.\nMonday == 0 ... Sunday == 6"),
    NativeDef::method("replace", d_replace).doc("Return date with new specified fields."),
    NativeDef::method("__reduce__", d_reduce).doc("__reduce__() -> (cls, state)"),
    NativeDef::method("__repr__", d_repr),
    NativeDef::method("__str__", d_str),
    NativeDef::method("__hash__", d_hash),
    NativeDef::method("__add__", d_add),
    NativeDef::method("__radd__", d_radd),
    NativeDef::method("__sub__", d_sub),
    NativeDef::method("__rsub__", d_rsub),
    NativeDef::method("__eq__", cmp_eq),
    NativeDef::method("__ne__", cmp_ne),
    NativeDef::method("__lt__", cmp_lt),
    NativeDef::method("__le__", cmp_le),
    NativeDef::method("__gt__", cmp_gt),
    NativeDef::method("__ge__", cmp_ge),
];

static GETSETS: [GetSetDef; 3] = [
    GetSetDef { name: "year", get: g_year, set: None, doc: "" },
    GetSetDef { name: "month", get: g_month, set: None, doc: "" },
    GetSetDef { name: "day", get: g_day, set: None, doc: "" },
];

pub static DATE: TypeSpec = TypeSpec {
    module: "datetime",
    name: "date",
    doc: "date(year, month, day) --> date object",
    layout: Layout::Other,
    flags: type_flags::BASETYPE,
    base: None,
    slots: &[],
    methods: &METHODS,
    more_methods: &[],
    getsets: &GETSETS,
};

/// Class attributes min, max and resolution.
pub fn finish(vm: &Vm, t: &PyRef) {
    krait_vm::types::add_attr(vm, t, "min", new_date(vm, t, Ymd { y: 1, m: 1, d: 1 }));
    krait_vm::types::add_attr(vm, t, "max", new_date(vm, t, Ymd { y: 9999, m: 12, d: 31 }));
    krait_vm::types::add_attr(vm, t, "resolution", new_delta(vm, Delta { days: 1, secs: 0, us: 0 }));
}

// ---------------------------------------------------------------------------
// IsoCalendarDate: a (year, week, weekday) tuple with named fields.

fn tuple_base(vm: &Vm) -> PyRef {
    vm.types.tuple.clone()
}

fn isocal_type(vm: &Vm) -> PyRef {
    native_type(vm, &ISOCAL)
}

fn new_isocal(vm: &Vm, cls: &PyRef, y: i64, w: i64, wd: i64) -> Value {
    let items = vec![Value::Int(y), Value::Int(w), Value::Int(wd)].into_boxed_slice();
    new_with_base(vm, cls, &vm.types.tuple, Payload::Tuple(krait_vm::tuple_items::TupleItems::boxed(items)))
}

fn isocal_new(vm: &Vm, args: Args) -> PyResult {
    let t = isocal_type(vm);
    let (cls, rest) = split_new(vm, args, &t)?;
    let a = super::parse_args(vm, None, rest, &["year", "week", "weekday"], 3, 3, 3)?;
    let int = |i: usize| crate::native::c_int(vm, a[i].as_ref().unwrap_or(&Value::None));
    Ok(new_isocal(vm, &cls, int(0)? as i64, int(1)? as i64, int(2)? as i64))
}

fn isocal_item(vm: &Vm, v: &Value, i: usize) -> PyResult {
    match v.payload().and_then(|p| p.as_tuple()).and_then(|t| t.get(i)) {
        Some(x) => Ok(x.clone()),
        None => Err(crate::native::descr_error(vm, "year", "datetime.IsoCalendarDate", v)),
    }
}

fn g_iso_year(vm: &Vm, v: &Value) -> PyResult {
    isocal_item(vm, v, 0)
}
fn g_iso_week(vm: &Vm, v: &Value) -> PyResult {
    isocal_item(vm, v, 1)
}
fn g_iso_weekday(vm: &Vm, v: &Value) -> PyResult {
    isocal_item(vm, v, 2)
}

fn isocal_repr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__repr__", args, 1, 1)?;
    let me = &args.args[0];
    let f = |i| -> PyResult<String> { vm.repr_string(&isocal_item(vm, me, i)?) };
    Ok(vm.new_str(format!("{}(year={}, week={}, weekday={})", vm.type_name_of(me), f(0)?, f(1)?, f(2)?)))
}

/// Pickles as a plain tuple, as CPython's does.
fn isocal_reduce(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__reduce__", args, 1, 1)?;
    let me = &args.args[0];
    let items = me.payload().and_then(|p| p.as_tuple()).map(|t| t.to_vec()).unwrap_or_default();
    Ok(vm.new_tuple(vec![Value::Obj(vm.types.tuple.clone()), vm.new_tuple(vec![vm.new_tuple(items)])]))
}

static ISOCAL_METHODS: [NativeDef; 3] = [
    NativeDef::staticmethod("__new__", isocal_new),
    NativeDef::method("__repr__", isocal_repr),
    NativeDef::method("__reduce__", isocal_reduce),
];

static ISOCAL_GETSETS: [GetSetDef; 3] = [
    GetSetDef { name: "year", get: g_iso_year, set: None, doc: "" },
    GetSetDef { name: "week", get: g_iso_week, set: None, doc: "" },
    GetSetDef { name: "weekday", get: g_iso_weekday, set: None, doc: "" },
];

static ISOCAL: TypeSpec = TypeSpec {
    module: "datetime",
    name: "IsoCalendarDate",
    doc: "The result of date.isocalendar() or datetime.isocalendar()\n\nThis object may be accessed either as a tuple of\n  ((year, week, weekday)\nor via the object attributes as named in the above tuple.",
    layout: Layout::Tuple,
    flags: 0,
    base: Some(tuple_base),
    slots: &[],
    methods: &ISOCAL_METHODS,
    more_methods: &[],
    getsets: &ISOCAL_GETSETS,
};
