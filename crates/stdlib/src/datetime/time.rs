//! `datetime.time`: a time of day with an optional tzinfo and PEP 495 fold.

use super::delta::{delta_hash, new_delta, Delta};
use super::iso;
use super::{
    offset_value, as_time, bind_method, call_offset, call_tzname, check_time, check_tzinfo, cmp_result, new_time, str_arg, time_for_cls,
    time_type, Hms, TimeObj,
};
use crate::native::{split_new, TypeSpec};
use krait_compiler::bytecode::CmpOp;
use krait_vm::payload::GetSetDef;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};

fn time_of<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a TimeObj> {
    as_time(v).ok_or_else(|| super::unsupported_type(vm, "datetime.time", name, v))
}

fn self_time<'a>(vm: &Vm, args: &Args<'a>, name: &str) -> PyResult<&'a TimeObj> {
    vm.check_arity(name, *args, 1, 1)?;
    time_of(vm, &args.args[0], name)
}

fn hour_ok(b: u8) -> bool {
    (b & 0x7f) < 24
}

/// A pickled state's optional tzinfo argument.
pub fn state_tzinfo(vm: &Vm, v: Option<&Value>) -> PyResult<Value> {
    match v {
        None => Ok(Value::None),
        Some(tz) => {
            if check_tzinfo(vm, tz).is_err() {
                return Err(vm.new_type_error("bad tzinfo state arg"));
            }
            Ok(tz.clone())
        }
    }
}

fn time_new(vm: &Vm, args: Args) -> PyResult {
    let t = time_type(vm);
    let (cls, rest) = split_new(vm, args, &t)?;
    if (1..=2).contains(&rest.args.len()) && !rest.has_kwargs() {
        if let Some(b) = super::date::pickle_state(vm, &rest.args[0], 6, 0, hour_ok)? {
            let tz = state_tzinfo(vm, rest.args.get(1))?;
            // Only the hour is checked, as CPython's pickle fast path.
            let us = (b[3] as u32) << 16 | (b[4] as u32) << 8 | b[5] as u32;
            let hms = Hms { h: (b[0] & 0x7f) as u32, mi: b[1] as u32, s: b[2] as u32, us };
            return Ok(new_time(vm, &cls, hms, tz, b[0] >> 7));
        }
    }
    const NAMES: [&str; 6] = ["hour", "minute", "second", "microsecond", "tzinfo", "fold"];
    let a = super::parse_args(vm, None, rest, &NAMES, 0, 5, 4)?;
    let int = |i: usize| super::int_arg(vm, &a[i], 0);
    let tz = a[4].clone().unwrap_or(Value::None);
    let fold = int(5)?;
    let hms = check_time(vm, int(0)?, int(1)?, int(2)?, int(3)?, fold)?;
    check_tzinfo(vm, &tz)?;
    Ok(new_time(vm, &cls, hms, tz, fold as u8))
}

time_fields!(time_of);

fn t_isoformat(vm: &Vm, args: Args) -> PyResult {
    let (me, a) = bind_method(vm, "isoformat", args, &["timespec"], 0)?;
    let t = time_of(vm, me, "isoformat")?;
    let spec_v = a[0].clone();
    let spec = match &spec_v {
        Some(v) => str_arg(vm, v, "isoformat", 1)?,
        None => "auto",
    };
    let mut s = iso::format_time_checked(vm, t.t, spec)?;
    s.push_str(&iso::offset_text(vm, &t.tz.get(), &Value::None, ":")?);
    Ok(vm.new_str(s))
}

fn t_str(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__str__", args, 1, 1)?;
    let me = &args.args[0];
    time_of(vm, me, "__str__")?;
    vm.call_method(me, "isoformat", &[])
}

fn t_repr(vm: &Vm, args: Args) -> PyResult {
    let t = self_time(vm, &args, "__repr__")?;
    let me = &args.args[0];
    let name = vm.type_name_of(me);
    let Hms { h, mi, s, us } = t.t;
    let mut r = if us != 0 {
        format!("{name}({h}, {mi}, {s}, {us})")
    } else if s != 0 {
        format!("{name}({h}, {mi}, {s})")
    } else {
        format!("{name}({h}, {mi})")
    };
    append_tz_fold(vm, &mut r, &t.tz.get(), t.fold)?;
    Ok(vm.new_str(r))
}

/// Adds ", tzinfo=..." and ", fold=1" inside a repr's closing parenthesis.
pub fn append_tz_fold(vm: &Vm, r: &mut String, tz: &Value, fold: u8) -> PyResult<()> {
    if !tz.is_none() {
        r.pop();
        r.push_str(&format!(", tzinfo={})", vm.repr_string(tz)?));
    }
    if fold != 0 {
        r.pop();
        r.push_str(", fold=1)");
    }
    Ok(())
}

fn t_strftime(vm: &Vm, args: Args) -> PyResult {
    let (me, a) = bind_method(vm, "strftime", args, &["format"], 1)?;
    let t = time_of(vm, me, "strftime")?;
    let fv = a[0].clone().unwrap_or(Value::None);
    let fmt = str_arg(vm, &fv, "strftime", 1)?;
    super::check_encodable(vm, &fv)?;
    // The date part is 1900-01-01, as CPython's.
    let tt = [1900, 1, 1, t.t.h as i64, t.t.mi as i64, t.t.s as i64, 0, 1, -1].map(Value::Int).to_vec();
    iso::strftime(vm, fmt, vm.new_tuple(tt), &t.tz.get(), &Value::None, t.t.us)
}

fn t_utcoffset(vm: &Vm, args: Args) -> PyResult {
    let t = self_time(vm, &args, "utcoffset")?;
    Ok(offset_value(vm, call_offset(vm, &t.tz.get(), "utcoffset", &Value::None)?))
}

fn t_dst(vm: &Vm, args: Args) -> PyResult {
    let t = self_time(vm, &args, "dst")?;
    Ok(offset_value(vm, call_offset(vm, &t.tz.get(), "dst", &Value::None)?))
}

fn t_tzname(vm: &Vm, args: Args) -> PyResult {
    let t = self_time(vm, &args, "tzname")?;
    call_tzname(vm, &t.tz.get(), &Value::None)
}

fn t_replace(vm: &Vm, args: Args) -> PyResult {
    const NAMES: [&str; 6] = ["hour", "minute", "second", "microsecond", "tzinfo", "fold"];
    let Some(me) = args.args.first() else {
        return Err(vm.new_type_error("descriptor 'replace' needs an argument"));
    };
    let rest = Args { args: &args.args[1..], kwnames: args.kwnames };
    let a = super::parse_args(vm, Some("replace"), rest, &NAMES, 0, 5, 4)?;
    let t = time_of(vm, me, "replace")?;
    let h = super::int_arg(vm, &a[0], t.t.h as i32)?;
    let mi = super::int_arg(vm, &a[1], t.t.mi as i32)?;
    let s = super::int_arg(vm, &a[2], t.t.s as i32)?;
    let us = super::int_arg(vm, &a[3], t.t.us as i32)?;
    let tz = a[4].clone().unwrap_or_else(|| t.tz.get());
    let fold = super::int_arg(vm, &a[5], t.fold as i32)?;
    let hms = check_time(vm, h, mi, s, us, fold)?;
    check_tzinfo(vm, &tz)?;
    Ok(new_time(vm, vm.class_of(me), hms, tz, fold as u8))
}

fn t_fromisoformat(vm: &Vm, args: Args) -> PyResult {
    let cls = super::cls_arg(vm, &args, "fromisoformat")?;
    vm.check_arity("fromisoformat", Args::new(&args.args[1..]), 1, 1)?;
    let sv = &args.args[1];
    let Some(s) = vm.as_str(sv) else {
        return Err(vm.new_type_error("fromisoformat: argument must be str"));
    };
    let body = s.strip_prefix('T').unwrap_or(s);
    let Some(parsed) = iso::parse_time(body.as_bytes(), 0) else {
        return Err(iso::invalid(vm, sv));
    };
    let tz = iso::tzinfo_for(vm, parsed.offset_us)?;
    let [h, mi, sec, us] = parsed.fields;
    let hms = check_time(vm, h, mi, sec, us, 0)?;
    time_for_cls(vm, &cls, hms, tz)
}

/// The pickle: (cls, (state bytes[, tzinfo])); the fold bit rides on the
/// hour byte for protocols above 3.
fn reduce(vm: &Vm, me: &Value, proto: i64) -> PyResult {
    let t = time_of(vm, me, "__reduce_ex__")?;
    let fold_bit = if t.fold != 0 && proto > 3 { 0x80 } else { 0 };
    let us = t.t.us;
    let state = vec![t.t.h as u8 | fold_bit, t.t.mi as u8, t.t.s as u8, (us >> 16) as u8, (us >> 8) as u8, us as u8];
    Ok(super::pickle_reduce(vm, me, state, t.tz.get()))
}

reduce_methods!(reduce => t_reduce_ex, t_reduce);

fn t_hash(vm: &Vm, args: Args) -> PyResult {
    let t = self_time(vm, &args, "__hash__")?;
    match call_offset(vm, &t.tz.get(), "utcoffset", &Value::None)? {
        None => Ok(Value::Int(super::hash_parts(&[t.t.h as i64, t.t.mi as i64, t.t.s as i64, t.t.us as i64]))),
        Some(off) => {
            let d = Delta::from_us(vm, t.t.total_us() as i128 - off.total_us())?;
            Ok(Value::Int(delta_hash(d)))
        }
    }
}

fn compare(vm: &Vm, args: Args, op: CmpOp, name: &str) -> PyResult {
    vm.check_arity(name, args, 2, 2)?;
    let a = time_of(vm, &args.args[0], name)?;
    let Some(b) = as_time(&args.args[1]) else { return Ok(vm.not_implemented()) };
    let (ta, tb) = (a.tz.get(), b.tz.get());
    if ta.is(&tb) {
        return Ok(Value::Bool(cmp_result(a.t.cmp(&b.t), op)));
    }
    let o1 = call_offset(vm, &ta, "utcoffset", &Value::None)?;
    let o2 = call_offset(vm, &tb, "utcoffset", &Value::None)?;
    let ord = match (o1, o2) {
        (x, y) if x == y => a.t.cmp(&b.t),
        (Some(x), Some(y)) => {
            // CPython compares whole seconds net of the offsets, then microseconds.
            let s1 = a.t.seconds() - x.days as i64 * 86_400 - x.secs as i64;
            let s2 = b.t.seconds() - y.days as i64 * 86_400 - y.secs as i64;
            s1.cmp(&s2).then(a.t.us.cmp(&b.t.us))
        }
        _ => {
            return match op {
                CmpOp::Eq => Ok(Value::Bool(false)),
                CmpOp::Ne => Ok(Value::Bool(true)),
                _ => Err(vm.new_type_error("can't compare offset-naive and offset-aware times")),
            }
        }
    };
    Ok(Value::Bool(cmp_result(ord, op)))
}

richcmp_methods!(compare);

static METHODS: [NativeDef; 20] = [
    NativeDef::staticmethod("__new__", time_new),
    NativeDef::method("isoformat", t_isoformat).doc("Return string in ISO 8601 format, [HH[:MM[:SS[.mmm[uuu]]]]][+HH:MM].\n\nThe optional argument timespec specifies the number of additional terms\nof the time to include. Valid options are 'auto', 'hours', 'minutes',\n'seconds', 'milliseconds' and 'microseconds'.\n"),
    NativeDef::method("strftime", t_strftime).doc("format -> strftime() style string."),
    NativeDef::method("__format__", super::date::d_format).doc("Formats self with strftime."),
    NativeDef::method("utcoffset", t_utcoffset).doc("Return self.tzinfo.utcoffset(self)."),
    NativeDef::method("tzname", t_tzname).doc("Return self.tzinfo.tzname(self)."),
    NativeDef::method("dst", t_dst).doc("Return self.tzinfo.dst(self)."),
    NativeDef::method("replace", t_replace).doc("Return time with new specified fields."),
    NativeDef::classmethod("fromisoformat", t_fromisoformat).doc("string -> time from a string in ISO 8601 format"),
    NativeDef::method("__reduce_ex__", t_reduce_ex).doc("__reduce_ex__(proto) -> (cls, state)"),
    NativeDef::method("__reduce__", t_reduce).doc("__reduce__() -> (cls, state)"),
    NativeDef::method("__repr__", t_repr),
    NativeDef::method("__str__", t_str),
    NativeDef::method("__hash__", t_hash),
    NativeDef::method("__eq__", cmp_eq),
    NativeDef::method("__ne__", cmp_ne),
    NativeDef::method("__lt__", cmp_lt),
    NativeDef::method("__le__", cmp_le),
    NativeDef::method("__gt__", cmp_gt),
    NativeDef::method("__ge__", cmp_ge),
];

pub static TIME: TypeSpec = TypeSpec {
    module: "datetime",
    name: "time",
    doc: "time([hour[, minute[, second[, microsecond[, tzinfo]]]]]) --> a time object\n\nAll arguments are optional. tzinfo may be None, or an instance of\na tzinfo subclass. The remaining arguments may be ints.\n",
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
    let max = Hms { h: 23, mi: 59, s: 59, us: 999_999 };
    krait_vm::types::add_attr(vm, t, "min", new_time(vm, t, Hms::default(), Value::None, 0));
    krait_vm::types::add_attr(vm, t, "max", new_time(vm, t, max, Value::None, 0));
    krait_vm::types::add_attr(vm, t, "resolution", new_delta(vm, Delta { days: 0, secs: 0, us: 1 }));
}
