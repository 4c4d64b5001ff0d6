//! Broken-down time: `gmtime` (computed here, proleptic Gregorian),
//! `localtime` and `mktime` (the C library, so TZ and /etc/localtime are
//! honoured), `asctime`/`ctime`, `strftime` (the C library's, as CPython
//! calls it) and `strptime` (delegated to _strptime.py).

use super::struct_time::{check_tm, new_struct_time, struct_time_type, to_tm};
use krait_vm::types::float::float_of;
use krait_vm::types::int::int_of;
use krait_vm::{Args, PyResult, Value, Vm};
use std::ffi::{CStr, CString};

const WDAY: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MON: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

fn os_err(vm: &Vm, errno: i32) -> krait_vm::PyErr {
    krait_vm::types::exception_methods::os_error_from_io(vm, &std::io::Error::from_raw_os_error(errno), None, None)
}

fn out_of_range(vm: &Vm) -> krait_vm::PyErr {
    vm.new_overflow_error("timestamp out of range for platform time_t")
}

/// `_PyTime_ObjectToTime_t` with floor rounding; None means "now".
pub(crate) fn seconds_arg(vm: &Vm, v: Option<&Value>) -> PyResult<i64> {
    let v = match v {
        None | Some(Value::None) => return Ok(super::wall_ns().div_euclid(1_000_000_000) as i64),
        Some(v) => v,
    };
    if let Some(f) = float_of(v) {
        if f.is_nan() {
            return Err(vm.new_value_error("Invalid value NaN (not a number)"));
        }
        let f = f.floor();
        if !(-9.223372036854776e18..9.223372036854776e18).contains(&f) {
            return Err(out_of_range(vm));
        }
        return Ok(f as i64);
    }
    let i = vm.index(v)?;
    int_of(&i).and_then(|b| i64::try_from(&b).ok()).ok_or_else(|| out_of_range(vm))
}

/// Civil date of a day count from 1970-01-01 (Howard Hinnant's algorithm).
pub(crate) fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z.rem_euclid(146097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + (m <= 2) as i64;
    (y, m, d)
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

/// UTC broken-down time of `t` as C would fill it.
fn utc_tm(vm: &Vm, t: i64) -> PyResult<libc::tm> {
    let days = t.div_euclid(86400);
    let secs = t.rem_euclid(86400);
    let (y, m, d) = civil(days);
    if y - 1900 > i32::MAX as i64 || y - 1900 < i32::MIN as i64 {
        return Err(os_err(vm, 75));
    }
    const CUM: [i32; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    // SAFETY: `tm` is plain data; all-zero is a valid value.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    tm.tm_year = (y - 1900) as i32;
    tm.tm_mon = m as i32 - 1;
    tm.tm_mday = d as i32;
    tm.tm_hour = (secs / 3600) as i32;
    tm.tm_min = (secs / 60 % 60) as i32;
    tm.tm_sec = (secs % 60) as i32;
    tm.tm_wday = (days + 4).rem_euclid(7) as i32;
    tm.tm_yday = CUM[m as usize - 1] + d as i32 - 1 + (m > 2 && is_leap(y)) as i32;
    Ok(tm)
}

/// Local broken-down time from the C library.
fn local_tm(vm: &Vm, t: i64) -> PyResult<libc::tm> {
    let tt: libc::time_t = t;
    // SAFETY: `tm` is plain data; all-zero is a valid value.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers are valid for the call; localtime_r writes only `tm`.
    let r = unsafe { libc::localtime_r(&tt, &mut tm) };
    if r.is_null() {
        return Err(os_err(vm, std::io::Error::last_os_error().raw_os_error().unwrap_or(75)));
    }
    Ok(tm)
}

/// The local time of `t` as `_datetime` needs it: year, month, day, hour,
/// minute, second, UTC offset in seconds and the zone's name.
pub(crate) struct LocalTime {
    pub ymd: (i64, u32, u32),
    pub hms: (u32, u32, u32),
    pub gmtoff: i64,
    pub zone: Option<String>,
}

pub(crate) fn local_time(vm: &Vm, t: i64) -> PyResult<LocalTime> {
    let tm = local_tm(vm, t)?;
    Ok(LocalTime {
        ymd: (tm.tm_year as i64 + 1900, tm.tm_mon as u32 + 1, tm.tm_mday as u32),
        hms: (tm.tm_hour as u32, tm.tm_min as u32, tm.tm_sec as u32),
        gmtoff: tm.tm_gmtoff,
        zone: zone_of(&tm),
    })
}

/// The zone name a C `tm` points at.
fn zone_of(tm: &libc::tm) -> Option<String> {
    if tm.tm_zone.is_null() {
        return None;
    }
    // SAFETY: a non-null tm_zone from localtime_r points at a NUL-terminated
    // string owned by the C library that lives as long as the process.
    Some(unsafe { CStr::from_ptr(tm.tm_zone) }.to_string_lossy().into_owned())
}

fn tm_to_struct(vm: &Vm, tm: &libc::tm, zone: Value) -> Value {
    let items = vec![
        Value::Int(tm.tm_year as i64 + 1900),
        Value::Int(tm.tm_mon as i64 + 1),
        Value::Int(tm.tm_mday as i64),
        Value::Int(tm.tm_hour as i64),
        Value::Int(tm.tm_min as i64),
        Value::Int(tm.tm_sec as i64),
        Value::Int((tm.tm_wday as i64 + 6) % 7),
        Value::Int(tm.tm_yday as i64 + 1),
        Value::Int(tm.tm_isdst as i64),
    ];
    new_struct_time(vm, &struct_time_type(vm), items, zone, Value::Int(tm.tm_gmtoff))
}

fn opt_arg<'a>(vm: &Vm, name: &str, args: &Args<'a>) -> PyResult<Option<&'a Value>> {
    crate::native::no_kwargs(vm, name, args)?;
    match args.args {
        [] => Ok(None),
        [v] => Ok(Some(v)),
        a => Err(vm.new_type_error(format!("{name}() takes at most 1 argument ({} given)", a.len()))),
    }
}

pub fn t_gmtime(vm: &Vm, args: Args) -> PyResult {
    let t = seconds_arg(vm, opt_arg(vm, "gmtime", &args)?)?;
    let tm = utc_tm(vm, t)?;
    // glibc's gmtime_r names the zone "GMT".
    Ok(tm_to_struct(vm, &tm, vm.new_str("GMT")))
}

pub fn t_localtime(vm: &Vm, args: Args) -> PyResult {
    let t = seconds_arg(vm, opt_arg(vm, "localtime", &args)?)?;
    let tm = local_tm(vm, t)?;
    let zone = zone_of(&tm).map_or(Value::None, |z| vm.new_str(z));
    Ok(tm_to_struct(vm, &tm, zone))
}

pub fn t_mktime(vm: &Vm, args: Args) -> PyResult {
    crate::native::no_kwargs(vm, "mktime", &args)?;
    let a = crate::native::unpack(vm, "mktime", &args, 1, 1)?;
    let mut zone = None;
    let mut tm = to_tm(vm, &a[0], "mktime", &mut zone)?;
    tm.tm_zone = std::ptr::null();
    // A tm_wday still -1 afterwards tells a real failure from the time -1.
    tm.tm_wday = -1;
    // SAFETY: `tm` is a valid, initialised struct tm; mktime only reads and normalises it.
    let t = unsafe { libc::mktime(&mut tm) };
    if t == -1 && tm.tm_wday == -1 {
        return Err(vm.new_overflow_error("mktime argument out of range"));
    }
    Ok(Value::Float(t as f64))
}

fn asctime_text(tm: &libc::tm) -> String {
    format!(
        "{} {}{:>3} {:02}:{:02}:{:02} {}",
        WDAY[tm.tm_wday.rem_euclid(7) as usize],
        MON[tm.tm_mon.rem_euclid(12) as usize],
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        tm.tm_year as i64 + 1900
    )
}

/// The struct tm of an optional time tuple argument (now, local, if absent).
fn tuple_or_now(vm: &Vm, v: Option<&Value>, who: &str, zone: &mut Option<String>) -> PyResult<libc::tm> {
    match v {
        Some(v) => {
            let mut tm = to_tm(vm, v, who, zone)?;
            check_tm(vm, &mut tm)?;
            Ok(tm)
        }
        None => {
            let tm = local_tm(vm, seconds_arg(vm, None)?)?;
            *zone = zone_of(&tm);
            Ok(tm)
        }
    }
}

pub fn t_asctime(vm: &Vm, args: Args) -> PyResult {
    let v = opt_arg(vm, "asctime", &args)?;
    let tm = tuple_or_now(vm, v, "asctime", &mut None)?;
    if tm.tm_year as i64 + 1900 > i32::MAX as i64 {
        return Err(vm.new_overflow_error("year out of range"));
    }
    Ok(vm.new_str(asctime_text(&tm)))
}

pub fn t_ctime(vm: &Vm, args: Args) -> PyResult {
    let t = seconds_arg(vm, opt_arg(vm, "ctime", &args)?)?;
    let tm = local_tm(vm, t)?;
    Ok(vm.new_str(asctime_text(&tm)))
}

pub fn t_strftime(vm: &Vm, args: Args) -> PyResult {
    crate::native::no_kwargs(vm, "strftime", &args)?;
    let a = crate::native::unpack(vm, "strftime", &args, 1, 2)?;
    let fmt = vm.as_str(&a[0]).ok_or_else(|| {
        vm.new_type_error(format!("strftime() argument 1 must be str, not {}", vm.type_name_of(&a[0])))
    })?;
    let mut zone = None;
    let mut tm = tuple_or_now(vm, a.get(1), "strftime", &mut zone)?;
    tm.tm_isdst = tm.tm_isdst.clamp(-1, 1);
    if fmt.contains('\0') {
        return Err(vm.new_value_error("embedded null character"));
    }
    let zone_c = zone.and_then(|z| CString::new(z).ok());
    tm.tm_zone = zone_c.as_ref().map_or(std::ptr::null(), |z| z.as_ptr());
    if fmt.is_empty() {
        return Ok(vm.new_str(""));
    }
    let cfmt = CString::new(fmt).map_err(|_| vm.new_value_error("embedded null character"))?;
    // As CPython: grow the buffer until the result fits; an empty result
    // from a large buffer is taken as genuinely empty.
    let mut size = 1024usize;
    loop {
        let mut buf = vec![0u8; size];
        // SAFETY: `buf` has `size` writable bytes, `cfmt` is NUL-terminated,
        // and `tm` (with tm_zone null or pointing into `zone_c`) is valid.
        let n = unsafe { libc::strftime(buf.as_mut_ptr().cast(), size, cfmt.as_ptr(), &tm) };
        if n > 0 || size >= 256 * fmt.len().max(1) {
            buf.truncate(n);
            return Ok(vm.new_str(String::from_utf8_lossy(&buf).into_owned()));
        }
        size *= 2;
    }
}

pub fn t_strptime(vm: &Vm, args: Args) -> PyResult {
    let m = vm.import_full("_strptime")?;
    let f = vm.getattr_str(&Value::Obj(m), "_strptime_time")?;
    vm.call(&f, args)
}

#[cfg(test)]
mod tests {
    use super::civil;

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(-1), (1969, 12, 31));
        assert_eq!(civil(11016), (2000, 2, 29));
        assert_eq!(civil(-719528), (0, 1, 1));
    }
}
