//! `datetime.datetime`: a date and a time with an optional tzinfo and PEP
//! 495 fold; a subclass of date. Local time goes through the C library
//! (the time module's helpers) as CPython's does.

use super::date::{date_text, pickle_state};
use super::delta::{delta_hash, new_delta, Delta};
use super::iso;
use super::time::{append_tz_fold, state_tzinfo};
use super::{
    cls_arg, offset_value, as_date, as_datetime, as_delta, as_time, call_offset, call_tzname, check_date, check_time, check_tzinfo, cmp_result,
    datetime_for_cls, datetime_type, from_us, local_seconds, local_to_posix, new_date, new_datetime, new_time, str_arg,
    to_us, DateTimeObj, Hms, Ymd, EPOCH_SECONDS, MAX_FOLD_SECONDS, US_PER_SECOND,
};
use crate::native::{split_new, TypeSpec};
use krait_compiler::bytecode::CmpOp;
use krait_vm::payload::GetSetDef;
use krait_vm::types::float::float_of;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};

fn dt_of<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a DateTimeObj> {
    as_datetime(v).ok_or_else(|| super::unsupported_type(vm, "datetime.datetime", name, v))
}

fn self_dt<'a>(vm: &Vm, args: &Args<'a>, name: &str) -> PyResult<&'a DateTimeObj> {
    vm.check_arity(name, *args, 1, 1)?;
    dt_of(vm, &args.args[0], name)
}

fn rest<'a>(args: &Args<'a>) -> Args<'a> {
    Args { args: &args.args[1..], kwnames: args.kwnames }
}

fn month_ok(b: u8) -> bool {
    (1..=12).contains(&(b & 0x7f))
}

fn datetime_new(vm: &Vm, args: Args) -> PyResult {
    let t = datetime_type(vm);
    let (cls, rest) = split_new(vm, args, &t)?;
    if (1..=2).contains(&rest.args.len()) && !rest.has_kwargs() {
        if let Some(b) = pickle_state(vm, &rest.args[0], 10, 2, month_ok)? {
            let tz = state_tzinfo(vm, rest.args.get(1))?;
            // Only the month is checked, as CPython's pickle fast path.
            let d = Ymd { y: b[0] as i32 * 256 + b[1] as i32, m: (b[2] & 0x7f) as u32, d: b[3] as u32 };
            let us = (b[7] as u32) << 16 | (b[8] as u32) << 8 | b[9] as u32;
            let hms = Hms { h: b[4] as u32, mi: b[5] as u32, s: b[6] as u32, us };
            return Ok(new_datetime(vm, &cls, d, hms, tz, b[2] >> 7));
        }
    }
    const NAMES: [&str; 9] = ["year", "month", "day", "hour", "minute", "second", "microsecond", "tzinfo", "fold"];
    let a = super::parse_args(vm, None, rest, &NAMES, 3, 8, 7)?;
    let int = |i: usize| super::int_arg(vm, &a[i], 0);
    let d = check_date(vm, int(0)?, int(1)?, int(2)?)?;
    let fold = int(8)?;
    let hms = check_time(vm, int(3)?, int(4)?, int(5)?, int(6)?, fold)?;
    let tz = a[7].clone().unwrap_or(Value::None);
    check_tzinfo(vm, &tz)?;
    Ok(super::new_datetime_of(vm, &cls, &t, d, hms, tz, fold as u8))
}

// ---------------------------------------------------------------------------
// Timestamps.

fn out_of_range(vm: &Vm) -> krait_vm::PyErr {
    vm.new_overflow_error("timestamp out of range for platform time_t")
}

/// CPython's `_PyTime_RoundHalfEven`.
fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - r).abs() == 0.5 {
        2.0 * (x / 2.0).round()
    } else {
        r
    }
}

/// A timestamp as whole seconds and microseconds, rounded half to even.
fn timestamp_parts(vm: &Vm, v: &Value) -> PyResult<(i64, u32)> {
    if let Some(f) = float_of(v) {
        if f.is_nan() {
            return Err(vm.new_value_error("Invalid value NaN (not a number)"));
        }
        let mut int_part = f.trunc();
        let mut frac = round_half_even((f - int_part) * 1e6);
        if frac >= 1e6 {
            frac -= 1e6;
            int_part += 1.0;
        } else if frac < 0.0 {
            frac += 1e6;
            int_part -= 1.0;
        }
        if !(-9.223372036854776e18..9.223372036854776e18).contains(&int_part) {
            return Err(out_of_range(vm));
        }
        return Ok((int_part as i64, frac as u32));
    }
    let i = vm.index(v)?;
    match i {
        Value::Int(i) => Ok((i, 0)),
        Value::Bool(b) => Ok((b as i64, 0)),
        _ => Err(out_of_range(vm)),
    }
}

/// `datetime_from_timet_and_us`: the local (with fold detection) or UTC
/// broken-down time of POSIX time `t`, as an instance of `cls`.
fn from_posix(vm: &Vm, cls: &PyRef, local: bool, t: i64, us: u32, tz: Value) -> PyResult {
    let (y, m, d, hh, mm, ss, mut fold) = if local {
        let lt = crate::time::calendar::local_time(vm, t)?;
        let (y, m, d) = lt.ymd;
        (y, m, d, lt.hms.0, lt.hms.1, lt.hms.2.min(59), 0)
    } else {
        let (y, m, d) = crate::time::calendar::civil(t.div_euclid(86_400));
        let s = t.rem_euclid(86_400);
        (y, m, d, (s / 3600) as u32, (s / 60 % 60) as u32, (s % 60) as u32, 0)
    };
    if !(super::MINYEAR as i64..=super::MAXYEAR as i64).contains(&y) {
        return Err(vm.new_value_error(format!("year {y} is out of range")));
    }
    let date = Ymd { y: y as i32, m, d };
    let hms = Hms { h: hh, mi: mm, s: ss, us };
    if local && tz.is_none() {
        // A day back is before any fold; if the offset changed since then,
        // look whether the earlier offset gives the same wall time too.
        let result = (date.ordinal() - 1) * 86_400 + hms.seconds();
        let probe = local_seconds(vm, t - MAX_FOLD_SECONDS)?;
        let transition = result - probe - MAX_FOLD_SECONDS;
        if transition < 0 && local_seconds(vm, t + transition)? == result {
            fold = 1;
        }
    }
    datetime_for_cls(vm, cls, date, hms, tz, fold)
}

fn now_parts() -> (i64, u32) {
    let ns = crate::time::wall_ns();
    (ns.div_euclid(1_000_000_000) as i64, (ns.rem_euclid(1_000_000_000) / 1000) as u32)
}

fn dt_now(vm: &Vm, args: Args) -> PyResult {
    let cls = cls_arg(vm, &args, "now")?;
    let a = vm.bind_native("now", rest(&args), &["tz"], 0, 0, None)?;
    let tz = a[0].clone().unwrap_or(Value::None);
    check_tzinfo(vm, &tz)?;
    let (t, us) = now_parts();
    let r = from_posix(vm, &cls, tz.is_none(), t, us, tz.clone())?;
    if tz.is_none() {
        return Ok(r);
    }
    vm.call_method(&tz, "fromutc", &[r])
}

fn dt_utcnow(vm: &Vm, args: Args) -> PyResult {
    let cls = cls_arg(vm, &args, "utcnow")?;
    vm.check_arity("utcnow", rest(&args), 0, 0)?;
    let (t, us) = now_parts();
    from_posix(vm, &cls, false, t, us, Value::None)
}

fn dt_fromtimestamp(vm: &Vm, args: Args) -> PyResult {
    let cls = cls_arg(vm, &args, "fromtimestamp")?;
    let a = vm.bind_native("fromtimestamp", rest(&args), &["timestamp", "tz"], 0, 1, None)?;
    let tz = a[1].clone().unwrap_or(Value::None);
    check_tzinfo(vm, &tz)?;
    let (t, us) = timestamp_parts(vm, a[0].as_ref().unwrap_or(&Value::None))?;
    let r = from_posix(vm, &cls, tz.is_none(), t, us, tz.clone())?;
    if tz.is_none() {
        return Ok(r);
    }
    vm.call_method(&tz, "fromutc", &[r])
}

fn dt_utcfromtimestamp(vm: &Vm, args: Args) -> PyResult {
    let cls = cls_arg(vm, &args, "utcfromtimestamp")?;
    let a = crate::native::unpack(vm, "utcfromtimestamp", &rest(&args), 1, 1)?;
    let (t, us) = timestamp_parts(vm, &a[0])?;
    from_posix(vm, &cls, false, t, us, Value::None)
}

fn dt_strptime(vm: &Vm, args: Args) -> PyResult {
    let cls = cls_arg(vm, &args, "strptime")?;
    let a = crate::native::unpack(vm, "strptime", &rest(&args), 2, 2)?;
    str_arg(vm, &a[0], "strptime", 1)?;
    str_arg(vm, &a[1], "strptime", 2)?;
    let m = Value::Obj(vm.import_full("_strptime")?);
    let f = vm.getattr_str(&m, "_strptime_datetime")?;
    vm.call(&f, Args::new(&[Value::Obj(cls), a[0].clone(), a[1].clone()]))
}

fn dt_combine(vm: &Vm, args: Args) -> PyResult {
    let cls = cls_arg(vm, &args, "combine")?;
    let a = vm.bind_native("combine", rest(&args), &["date", "time", "tzinfo"], 0, 2, None)?;
    let (dv, tv) = (a[0].clone().unwrap_or(Value::None), a[1].clone().unwrap_or(Value::None));
    let Some(d) = as_date(&dv) else {
        return Err(vm.new_type_error(format!("combine() argument 1 must be datetime.date, not {}", vm.type_name_of(&dv))));
    };
    let Some(t) = as_time(&tv) else {
        return Err(vm.new_type_error(format!("combine() argument 2 must be datetime.time, not {}", vm.type_name_of(&tv))));
    };
    let tz = a[2].clone().unwrap_or_else(|| t.tz.get());
    check_tzinfo(vm, &tz)?;
    datetime_for_cls(vm, &cls, d, t.t, tz, t.fold)
}

fn dt_fromisoformat(vm: &Vm, args: Args) -> PyResult {
    let cls = cls_arg(vm, &args, "fromisoformat")?;
    vm.check_arity("fromisoformat", Args::new(&args.args[1..]), 1, 1)?;
    let sv = &args.args[1];
    let Some(s) = vm.as_str(sv) else {
        return Err(vm.new_type_error("fromisoformat: argument must be str"));
    };
    let Some(((y, m, d), time)) = iso::parse_datetime(s) else {
        return Err(iso::invalid(vm, sv));
    };
    let (fields, offset) = match time {
        Some(t) => (t.fields, t.offset_us),
        None => ([0; 4], None),
    };
    let tz = iso::tzinfo_for(vm, offset)?;
    let date = check_date(vm, y, m, d)?;
    let hms = check_time(vm, fields[0], fields[1], fields[2], fields[3], 0)?;
    datetime_for_cls(vm, &cls, date, hms, tz, 0)
}

// ---------------------------------------------------------------------------
// Accessors and conversions.

time_fields!(dt_of);

fn dt_date(vm: &Vm, args: Args) -> PyResult {
    let d = self_dt(vm, &args, "date")?;
    Ok(new_date(vm, &super::date_type(vm), d.d))
}

fn dt_time(vm: &Vm, args: Args) -> PyResult {
    let d = self_dt(vm, &args, "time")?;
    Ok(new_time(vm, &super::time_type(vm), d.t, Value::None, d.fold))
}

fn dt_timetz(vm: &Vm, args: Args) -> PyResult {
    let d = self_dt(vm, &args, "timetz")?;
    Ok(new_time(vm, &super::time_type(vm), d.t, d.tz.get(), d.fold))
}

fn dt_ctime(vm: &Vm, args: Args) -> PyResult {
    let d = self_dt(vm, &args, "ctime")?;
    Ok(vm.new_str(iso::ctime(d.d, d.t)))
}

fn dt_timetuple(vm: &Vm, args: Args) -> PyResult {
    let d = self_dt(vm, &args, "timetuple")?;
    let me = &args.args[0];
    let dst = match call_offset(vm, &d.tz.get(), "dst", me)? {
        None => -1,
        Some(x) => (!x.is_zero()) as i64,
    };
    iso::struct_time(vm, d.d, d.t, dst)
}

fn dt_utctimetuple(vm: &Vm, args: Args) -> PyResult {
    let d = self_dt(vm, &args, "utctimetuple")?;
    let me = &args.args[0];
    let (date, time) = match call_offset(vm, &d.tz.get(), "utcoffset", me)? {
        None => (d.d, d.t),
        Some(off) => from_us(vm, to_us(d.d, d.t) - off.total_us())?,
    };
    iso::struct_time(vm, date, time, 0)
}

fn dt_timestamp(vm: &Vm, args: Args) -> PyResult {
    let d = self_dt(vm, &args, "timestamp")?;
    let me = &args.args[0];
    let tz = d.tz.get();
    if tz.is_none() {
        let secs = local_to_posix(vm, d.d, d.t, d.fold)?;
        return Ok(Value::Float(secs as f64 + d.t.us as f64 / 1e6));
    }
    let Some(off) = call_offset(vm, &tz, "utcoffset", me)? else {
        return Err(vm.new_type_error("can't subtract offset-naive and offset-aware datetimes"));
    };
    let us = to_us(d.d, d.t) - off.total_us() - EPOCH_SECONDS as i128 * US_PER_SECOND as i128;
    if us.abs() < (1i128 << 53) {
        return Ok(Value::Float(us as f64 / 1e6));
    }
    vm.binary_op(&super::delta::int_value(vm, us), &Value::Int(US_PER_SECOND), krait_compiler::bytecode::BinOp::TrueDivide)
}

fn dt_isoformat(vm: &Vm, args: Args) -> PyResult {
    let (me, a) = super::bind_method(vm, "isoformat", args, &["sep", "timespec"], 0)?;
    let d = dt_of(vm, me, "isoformat")?;
    let sep = match &a[0] {
        None => 'T',
        Some(v) => {
            let mut chars = vm.as_str(v).map(|s| s.chars());
            match chars.as_mut().map(|c| (c.next(), c.next())) {
                Some((Some(c), None)) => c,
                _ => {
                    let got = if vm.as_str(v).is_some() { "str".to_string() } else { vm.type_name_of(v) };
                    return Err(vm.new_type_error(format!("isoformat() argument 1 must be a unicode character, not {got}")));
                }
            }
        }
    };
    let spec = match &a[1] {
        Some(v) => str_arg(vm, v, "isoformat", 2)?,
        None => "auto",
    };
    let text = iso_text(vm, me, d, sep, spec)?;
    // A lone surrogate separator cannot live in Rust text: splice the
    // separator's own str in.
    if let Some(sep_v) = a[0].as_ref().filter(|v| v.payload().and_then(|p| p.as_str()).is_some_and(|s| s.has_surrogates())) {
        let (head, tail) = text.split_at(10);
        let tail = &tail[sep.len_utf8()..];
        let joined = vm.binary_op(&vm.new_str(head), sep_v, krait_compiler::bytecode::BinOp::Add)?;
        return vm.binary_op(&joined, &vm.new_str(tail), krait_compiler::bytecode::BinOp::Add);
    }
    Ok(vm.new_str(text))
}

fn iso_text(vm: &Vm, me: &Value, d: &DateTimeObj, sep: char, spec: &str) -> PyResult<String> {
    let mut s = date_text(d.d);
    s.push(sep);
    s.push_str(&iso::format_time_checked(vm, d.t, spec)?);
    s.push_str(&iso::offset_text(vm, &d.tz.get(), me, ":")?);
    Ok(s)
}

fn dt_str(vm: &Vm, args: Args) -> PyResult {
    let d = self_dt(vm, &args, "__str__")?;
    let me = &args.args[0];
    if vm.class_of(me).is(&datetime_type(vm)) {
        return Ok(vm.new_str(iso_text(vm, me, d, ' ', "auto")?));
    }
    vm.call_method(me, "isoformat", &[vm.new_str(" ")])
}

fn dt_repr(vm: &Vm, args: Args) -> PyResult {
    let d = self_dt(vm, &args, "__repr__")?;
    let name = vm.type_name_of(&args.args[0]);
    let Ymd { y, m, d: day } = d.d;
    let Hms { h, mi, s, us } = d.t;
    let mut r = if us != 0 {
        format!("{name}({y}, {m}, {day}, {h}, {mi}, {s}, {us})")
    } else if s != 0 {
        format!("{name}({y}, {m}, {day}, {h}, {mi}, {s})")
    } else {
        format!("{name}({y}, {m}, {day}, {h}, {mi})")
    };
    // datetime's repr puts the fold before the tzinfo (time's the other way).
    if d.fold != 0 {
        r.pop();
        r.push_str(", fold=1)");
    }
    append_tz_fold(vm, &mut r, &d.tz.get(), 0)?;
    Ok(vm.new_str(r))
}

fn dt_utcoffset(vm: &Vm, args: Args) -> PyResult {
    let d = self_dt(vm, &args, "utcoffset")?;
    Ok(offset_value(vm, call_offset(vm, &d.tz.get(), "utcoffset", &args.args[0])?))
}

fn dt_dst(vm: &Vm, args: Args) -> PyResult {
    let d = self_dt(vm, &args, "dst")?;
    Ok(offset_value(vm, call_offset(vm, &d.tz.get(), "dst", &args.args[0])?))
}

fn dt_tzname(vm: &Vm, args: Args) -> PyResult {
    let d = self_dt(vm, &args, "tzname")?;
    call_tzname(vm, &d.tz.get(), &args.args[0])
}

fn dt_replace(vm: &Vm, args: Args) -> PyResult {
    const NAMES: [&str; 9] = ["year", "month", "day", "hour", "minute", "second", "microsecond", "tzinfo", "fold"];
    let Some(me) = args.args.first() else {
        return Err(vm.new_type_error("descriptor 'replace' needs an argument"));
    };
    let a = super::parse_args(vm, Some("replace"), rest(&args), &NAMES, 0, 8, 7)?;
    let d = dt_of(vm, me, "replace")?;
    let int = |i: usize, cur: u32| super::int_arg(vm, &a[i], cur as i32);
    let y = super::int_arg(vm, &a[0], d.d.y)?;
    let date = check_date(vm, y, int(1, d.d.m)?, int(2, d.d.d)?)?;
    let fold = int(8, d.fold as u32)?;
    let hms = check_time(vm, int(3, d.t.h)?, int(4, d.t.mi)?, int(5, d.t.s)?, int(6, d.t.us)?, fold)?;
    let tz = a[7].clone().unwrap_or_else(|| d.tz.get());
    check_tzinfo(vm, &tz)?;
    Ok(new_datetime(vm, vm.class_of(me), date, hms, tz, fold as u8))
}

/// `self + timedelta(microseconds=us)`, keeping the class and tzinfo.
pub fn add_delta(vm: &Vm, dt: &Value, us: i128) -> PyResult {
    let d = dt_of(vm, dt, "__add__")?;
    let (date, time) = from_us(vm, to_us(d.d, d.t) + us)?;
    datetime_for_cls(vm, vm.class_of(dt), date, time, d.tz.get(), 0)
}

fn dt_astimezone(vm: &Vm, args: Args) -> PyResult {
    let (me, a) = super::bind_method(vm, "astimezone", args, &["tz"], 0)?;
    let d = dt_of(vm, me, "astimezone")?;
    let target = a[0].clone().unwrap_or(Value::None);
    check_tzinfo(vm, &target)?;
    let naive_zone = || -> PyResult {
        let t = local_to_posix(vm, d.d, d.t, d.fold)?;
        super::local_timezone_at(vm, t)
    };
    let own = d.tz.get();
    let mut self_tz = if own.is_none() { naive_zone()? } else { own };
    if self_tz.is(&target) {
        return Ok(me.clone());
    }
    let offset = match call_offset(vm, &self_tz, "utcoffset", me)? {
        Some(o) => o,
        None => {
            self_tz = naive_zone()?;
            call_offset(vm, &self_tz, "utcoffset", me)?.unwrap_or(Delta::ZERO)
        }
    };
    let (date, time) = from_us(vm, to_us(d.d, d.t) - offset.total_us())?;
    let tz = if target.is_none() {
        let posix = (date.ordinal() - 1) * 86_400 + time.seconds() - EPOCH_SECONDS;
        super::local_timezone_at(vm, posix)?
    } else {
        target
    };
    let utc_dt = datetime_for_cls(vm, vm.class_of(me), date, time, Value::None, 0)?;
    let cls = vm.class_of(&utc_dt).clone();
    let (date, time) = dt_of(vm, &utc_dt, "astimezone").map(|x| (x.d, x.t))?;
    let result = new_datetime(vm, &cls, date, time, tz.clone(), 0);
    vm.call_method(&tz, "fromutc", &[result])
}

/// The pickle: (cls, (state bytes[, tzinfo])); the fold bit rides on the
/// month byte for protocols above 3.
fn reduce(vm: &Vm, me: &Value, proto: i64) -> PyResult {
    let d = dt_of(vm, me, "__reduce_ex__")?;
    let fold_bit = if d.fold != 0 && proto > 3 { 0x80 } else { 0 };
    let us = d.t.us;
    let state = vec![
        (d.d.y >> 8) as u8,
        (d.d.y & 0xff) as u8,
        d.d.m as u8 | fold_bit,
        d.d.d as u8,
        d.t.h as u8,
        d.t.mi as u8,
        d.t.s as u8,
        (us >> 16) as u8,
        (us >> 8) as u8,
        us as u8,
    ];
    Ok(super::pickle_reduce(vm, me, state, d.tz.get()))
}

reduce_methods!(reduce => dt_reduce_ex, dt_reduce);

/// Hash of the naive fields, or of the UTC instant (using the fold=0
/// offset, so both sides of a fold hash alike).
fn dt_hash(vm: &Vm, args: Args) -> PyResult {
    let d = self_dt(vm, &args, "__hash__")?;
    let me = &args.args[0];
    let tz = d.tz.get();
    let offset = if d.fold != 0 && !tz.is_none() {
        let zero_fold = new_datetime(vm, vm.class_of(me), d.d, d.t, tz.clone(), 0);
        call_offset(vm, &tz, "utcoffset", &zero_fold)?
    } else {
        call_offset(vm, &tz, "utcoffset", me)?
    };
    match offset {
        None => {
            let (x, t) = (d.d, d.t);
            Ok(Value::Int(super::hash_parts(&[x.y as i64, x.m as i64, x.d as i64, t.h as i64, t.mi as i64, t.s as i64, t.us as i64])))
        }
        Some(off) => {
            let local = (d.d.ordinal() as i128) * super::US_PER_DAY as i128 + d.t.total_us() as i128;
            Ok(Value::Int(delta_hash(Delta::from_us(vm, local - off.total_us())?)))
        }
    }
}

// ---------------------------------------------------------------------------
// Arithmetic and comparison.

fn add(vm: &Vm, l: &Value, r: &Value) -> PyResult {
    if as_datetime(l).is_some() {
        if let Some(t) = as_delta(r) {
            return add_delta(vm, l, t.total_us());
        }
    } else if let (Some(t), Some(_)) = (as_delta(l), as_datetime(r)) {
        return add_delta(vm, r, t.total_us());
    }
    Ok(vm.not_implemented())
}

fn sub(vm: &Vm, l: &Value, r: &Value) -> PyResult {
    let Some(a) = as_datetime(l) else { return Ok(vm.not_implemented()) };
    if let Some(b) = as_datetime(r) {
        let (ta, tb) = (a.tz.get(), b.tz.get());
        let (o1, o2) = if ta.is(&tb) {
            (None, None)
        } else {
            (call_offset(vm, &ta, "utcoffset", l)?, call_offset(vm, &tb, "utcoffset", r)?)
        };
        if o1.is_some() != o2.is_some() {
            return Err(vm.new_type_error("can't subtract offset-naive and offset-aware datetimes"));
        }
        let offdiff = o1.map_or(0, |o| o.total_us()) - o2.map_or(0, |o| o.total_us());
        let us = to_us(a.d, a.t) - to_us(b.d, b.t) - offdiff;
        return Ok(new_delta(vm, Delta::from_us(vm, us)?));
    }
    if let Some(t) = as_delta(r) {
        return add_delta(vm, l, -t.total_us());
    }
    Ok(vm.not_implemented())
}

binop_methods! {
    dt_of;
    dt_add, dt_radd => add, "__add__", "__radd__";
    dt_sub, dt_rsub => sub, "__sub__", "__rsub__";
}

/// The utcoffset `dt` would have with its fold flipped (PEP 495: times
/// in a fold or gap never compare equal across zones).
fn flip_fold_offset(vm: &Vm, dt: &Value, d: &DateTimeObj) -> PyResult<Option<Delta>> {
    let tz = d.tz.get();
    let flipped = new_datetime(vm, vm.class_of(dt), d.d, d.t, tz.clone(), 1 - d.fold);
    call_offset(vm, &tz, "utcoffset", &flipped)
}

fn pep495_exception(vm: &Vm, l: &Value, a: &DateTimeObj, o1: Option<Delta>, r: &Value, b: &DateTimeObj, o2: Option<Delta>) -> PyResult<bool> {
    if flip_fold_offset(vm, l, a)? != o1 {
        return Ok(true);
    }
    Ok(flip_fold_offset(vm, r, b)? != o2)
}

fn compare(vm: &Vm, args: Args, op: CmpOp, name: &str) -> PyResult {
    vm.check_arity(name, args, 2, 2)?;
    let (l, r) = (&args.args[0], &args.args[1]);
    let a = dt_of(vm, l, name)?;
    let Some(b) = as_datetime(r) else {
        if as_date(r).is_some() {
            return match op {
                CmpOp::Eq => Ok(Value::Bool(false)),
                CmpOp::Ne => Ok(Value::Bool(true)),
                _ => Err(vm.new_type_error(format!(
                    "can't compare {} to {}",
                    vm.type_name_of(l),
                    vm.type_name_of(r)
                ))),
            };
        }
        return Ok(vm.not_implemented());
    };
    let naive_order = (a.d, a.t).cmp(&(b.d, b.t));
    let (ta, tb) = (a.tz.get(), b.tz.get());
    if ta.is(&tb) {
        return Ok(Value::Bool(cmp_result(naive_order, op)));
    }
    let o1 = call_offset(vm, &ta, "utcoffset", l)?;
    let o2 = call_offset(vm, &tb, "utcoffset", r)?;
    let eq_op = matches!(op, CmpOp::Eq | CmpOp::Ne);
    let ord = match (o1, o2) {
        (x, y) if x == y => naive_order,
        (Some(x), Some(y)) => (to_us(a.d, a.t) - x.total_us()).cmp(&(to_us(b.d, b.t) - y.total_us())),
        _ => {
            return match op {
                CmpOp::Eq => Ok(Value::Bool(false)),
                CmpOp::Ne => Ok(Value::Bool(true)),
                _ => Err(vm.new_type_error("can't compare offset-naive and offset-aware datetimes")),
            }
        }
    };
    if eq_op && ord == std::cmp::Ordering::Equal && pep495_exception(vm, l, a, o1, r, b, o2)? {
        return Ok(Value::Bool(op == CmpOp::Ne));
    }
    Ok(Value::Bool(cmp_result(ord, op)))
}

richcmp_methods!(compare);

static METHODS: [NativeDef; 36] = [
    NativeDef::staticmethod("__new__", datetime_new),
    NativeDef::classmethod("now", dt_now).doc("Returns new datetime object representing current time local to tz.\n\n  tz\n    Timezone object.\n\nIf no tz is specified, uses local timezone."),
    NativeDef::classmethod("utcnow", dt_utcnow).doc("Return a new datetime representing UTC day and time."),
    NativeDef::classmethod("fromtimestamp", dt_fromtimestamp).doc("timestamp[, tz] -> tz's local time from POSIX timestamp."),
    NativeDef::classmethod("utcfromtimestamp", dt_utcfromtimestamp).doc("Construct a naive UTC datetime from a POSIX timestamp."),
    NativeDef::classmethod("strptime", dt_strptime).doc("string, format -> new datetime parsed from a string (like time.strptime())."),
    NativeDef::classmethod("combine", dt_combine).doc("date, time -> datetime with same date and time fields"),
    NativeDef::classmethod("fromisoformat", dt_fromisoformat).doc("string -> datetime from a string in most ISO 8601 formats"),
    NativeDef::method("date", dt_date).doc("Return date object with same year, month and day."),
    NativeDef::method("time", dt_time).doc("Return time object with same time but with tzinfo=None."),
    NativeDef::method("timetz", dt_timetz).doc("Return time object with same time and tzinfo."),
    NativeDef::method("ctime", dt_ctime).doc("Return ctime() style string."),
    NativeDef::method("timetuple", dt_timetuple).doc("Return time tuple, compatible with time.localtime()."),
    NativeDef::method("timestamp", dt_timestamp).doc("Return POSIX timestamp as float."),
    NativeDef::method("utctimetuple", dt_utctimetuple).doc("Return UTC time tuple, compatible with time.localtime()."),
    NativeDef::method("isoformat", dt_isoformat).doc("[sep] -> string in ISO 8601 format, YYYY-MM-DDT[HH[:MM[:SS[.mmm[uuu]]]]][+HH:MM].\nsep is used to separate the year from the time, and defaults to 'T'.\nThe optional argument timespec specifies the number of additional terms\nof the time to include. Valid options are 'auto', 'hours', 'minutes',\n'seconds', 'milliseconds' and 'microseconds'.\n"),
    NativeDef::method("utcoffset", dt_utcoffset).doc("Return self.tzinfo.utcoffset(self)."),
    NativeDef::method("tzname", dt_tzname).doc("Return self.tzinfo.tzname(self)."),
    NativeDef::method("dst", dt_dst).doc("Return self.tzinfo.dst(self)."),
    NativeDef::method("replace", dt_replace).doc("Return datetime with new specified fields."),
    NativeDef::method("astimezone", dt_astimezone).doc("tz -> convert to local time in new timezone tz\n"),
    NativeDef::method("__reduce_ex__", dt_reduce_ex).doc("__reduce_ex__(proto) -> (cls, state)"),
    NativeDef::method("__reduce__", dt_reduce).doc("__reduce__() -> (cls, state)"),
    NativeDef::method("__repr__", dt_repr),
    NativeDef::method("__str__", dt_str),
    NativeDef::method("__hash__", dt_hash),
    NativeDef::method("__add__", dt_add),
    NativeDef::method("__radd__", dt_radd),
    NativeDef::method("__sub__", dt_sub),
    NativeDef::method("__rsub__", dt_rsub),
    NativeDef::method("__eq__", cmp_eq),
    NativeDef::method("__ne__", cmp_ne),
    NativeDef::method("__lt__", cmp_lt),
    NativeDef::method("__le__", cmp_le),
    NativeDef::method("__gt__", cmp_gt),
    NativeDef::method("__ge__", cmp_ge),
];

fn date_base(vm: &Vm) -> PyRef {
    super::date_type(vm)
}

pub static DATETIME: TypeSpec = TypeSpec {
    module: "datetime",
    name: "datetime",
    doc: "datetime(year, month, day[, hour[, minute[, second[, microsecond[,tzinfo]]]]])\n\nThe year, month and day arguments are required. tzinfo may be None, or an\ninstance of a tzinfo subclass. The remaining arguments may be ints.\n",
    layout: Layout::Other,
    flags: type_flags::BASETYPE,
    base: Some(date_base),
    slots: &[],
    methods: &METHODS,
    more_methods: &[],
    getsets: &GETSETS,
};

/// Class attributes min, max and resolution.
pub fn finish(vm: &Vm, t: &PyRef) {
    let max_d = Ymd { y: 9999, m: 12, d: 31 };
    let max_t = Hms { h: 23, mi: 59, s: 59, us: 999_999 };
    krait_vm::types::add_attr(vm, t, "min", new_datetime(vm, t, Ymd { y: 1, m: 1, d: 1 }, Hms::default(), Value::None, 0));
    krait_vm::types::add_attr(vm, t, "max", new_datetime(vm, t, max_d, max_t, Value::None, 0));
    krait_vm::types::add_attr(vm, t, "resolution", new_delta(vm, Delta { days: 0, secs: 0, us: 1 }));
}
