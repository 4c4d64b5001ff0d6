//! Text: ISO 8601 parsing for the `fromisoformat` constructors (the forms
//! CPython 3.11's C parser takes), isoformat pieces, UTC offsets as text,
//! and strftime's %z/%Z/%f expansion before the time module's strftime.

use super::{call_offset, call_tzname, iso_week1_monday, is_leap, Delta, Hms, Ymd};
use krait_vm::{Args, PyResult, Value, Vm};

/// The byte at `i`, or 0 past the end (the C parser reads the terminator).
fn at(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

fn parse_digits(s: &[u8], pos: usize, n: usize) -> Option<(usize, i32)> {
    let mut v = 0i32;
    for i in 0..n {
        let c = at(s, pos + i);
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as i32;
    }
    Some((pos + n, v))
}

enum IsoWeekError {
    Week,
    Day,
}

/// ISO week date to a calendar date.
fn iso_to_ymd(year: i32, week: i32, day: i32) -> Result<(i32, i32, i32), IsoWeekError> {
    if week <= 0 || week >= 53 {
        let first_weekday = Ymd { y: year, m: 1, d: 1 }.weekday();
        let long_year = first_weekday == 3 || (first_weekday == 2 && is_leap(year));
        if !(week == 53 && long_year) {
            return Err(IsoWeekError::Week);
        }
    }
    if !(1..=7).contains(&day) {
        return Err(IsoWeekError::Day);
    }
    let ord = iso_week1_monday(year) + ((week - 1) * 7 + day - 1) as i64;
    let d = Ymd::from_ordinal(ord);
    Ok((d.y, d.m as i32, d.d as i32))
}

/// `date.fromisocalendar`'s conversion with its messages.
pub fn from_isocalendar(vm: &Vm, year: i32, week: i32, day: i32) -> PyResult<(i32, i32, i32)> {
    if !(super::MINYEAR..=super::MAXYEAR).contains(&year) {
        return Err(vm.new_value_error(format!("Year is out of range: {year}")));
    }
    iso_to_ymd(year, week, day).map_err(|e| match e {
        IsoWeekError::Week => vm.new_value_error(format!("Invalid week: {week}")),
        IsoWeekError::Day => vm.new_value_error(format!("Invalid day: {day} (range is [1, 7])")),
    })
}

/// A date (YYYY-MM-DD, YYYYMMDD, YYYY-Www[-D], YYYYWww[D]) at the start
/// of `s`; `len` is where the date is taken to end.
pub fn parse_date(s: &[u8], len: usize) -> Option<(i32, i32, i32)> {
    let (mut p, year) = parse_digits(s, 0, 4)?;
    let sep = at(s, p) == b'-';
    if sep {
        p += 1;
    }
    if at(s, p) == b'W' {
        let (q, week) = parse_digits(s, p + 1, 2)?;
        p = q;
        let mut day = 1;
        if p < len {
            if sep {
                if at(s, p) != b'-' {
                    return None;
                }
                p += 1;
            }
            day = parse_digits(s, p, 1)?.1;
        }
        return iso_to_ymd(year, week, day).ok();
    }
    let (mut p, month) = parse_digits(s, p, 2)?;
    if sep {
        if at(s, p) != b'-' {
            return None;
        }
        p += 1;
    }
    let (_, day) = parse_digits(s, p, 2)?;
    Some((year, month, day))
}

/// Where a datetime string's date ends (the separator's index), as the C
/// parser guesses it; None when it cannot be a date.
fn find_separator(s: &[u8]) -> Option<usize> {
    let len = s.len();
    if len == 7 {
        return Some(7);
    }
    if at(s, 4) == b'-' {
        if at(s, 5) != b'W' {
            return Some(10);
        }
        if len < 8 {
            return None;
        }
        if len > 8 && at(s, 8) == b'-' {
            if len == 9 {
                return None;
            }
            if len > 10 && at(s, 10).is_ascii_digit() {
                return Some(8);
            }
            return Some(10);
        }
        return Some(8);
    }
    if at(s, 4) == b'W' {
        let mut idx = 7;
        while idx < len && at(s, idx).is_ascii_digit() {
            idx += 1;
        }
        if idx < 9 {
            return Some(idx);
        }
        return Some(if idx % 2 == 0 { 7 } else { 8 });
    }
    Some(8)
}

/// HH[:MM[:SS[.ffffff]]] (or without colons) in s[start..end]; the flag
/// tells whether anything follows in the whole string.
fn parse_hh_mm_ss_ff(s: &[u8], start: usize, end: usize) -> Result<(Hms4, bool), ()> {
    let mut vals = [0i32; 4];
    let mut p = start;
    let mut has_sep = true;
    let mut fraction = false;
    for i in 0..3 {
        let (q, v) = parse_digits(s, p, 2).ok_or(())?;
        vals[i] = v;
        let c = at(s, q);
        p = q + 1;
        if i == 0 {
            has_sep = c == b':';
        }
        if p >= end {
            return Ok((vals, c != 0));
        } else if has_sep && c == b':' {
            continue;
        } else if c == b'.' || c == b',' {
            fraction = true;
            break;
        } else if !has_sep {
            p -= 1;
        } else {
            return Err(());
        }
    }
    if !fraction && p >= end {
        return Ok((vals, at(s, p) != 0));
    }
    let remains = end.saturating_sub(p);
    let to_parse = remains.min(6);
    if to_parse == 0 {
        return Err(());
    }
    let (mut q, us) = parse_digits(s, p, to_parse).ok_or(())?;
    const CORRECTION: [i32; 5] = [100_000, 10_000, 1000, 100, 10];
    vals[3] = if to_parse < 6 { us * CORRECTION[to_parse - 1] } else { us };
    while at(s, q).is_ascii_digit() {
        q += 1;
    }
    Ok((vals, at(s, q) != 0))
}

type Hms4 = [i32; 4];

/// A parsed time: fields and, when there was a zone, its offset in microseconds.
pub struct IsoTime {
    pub fields: Hms4,
    pub offset_us: Option<i64>,
}

/// The time part (and optional Z/+HH:MM[:SS[.ffffff]] zone) of `s[start..]`.
pub fn parse_time(s: &[u8], start: usize) -> Option<IsoTime> {
    let end = s.len();
    let mut tz_pos = start;
    loop {
        let c = at(s, tz_pos);
        if c == b'Z' || c == b'+' || c == b'-' {
            break;
        }
        tz_pos += 1;
        if tz_pos >= end {
            break;
        }
    }
    let (fields, more) = parse_hh_mm_ss_ff(s, start, tz_pos).ok()?;
    if tz_pos >= end {
        return if more { None } else { Some(IsoTime { fields, offset_us: None }) };
    }
    if at(s, tz_pos) == b'Z' {
        return if tz_pos + 1 != end { None } else { Some(IsoTime { fields, offset_us: Some(0) }) };
    }
    let sign = if at(s, tz_pos) == b'-' { -1 } else { 1 };
    let (tz, more) = parse_hh_mm_ss_ff(s, tz_pos + 1, end).ok()?;
    if more {
        return None;
    }
    let secs = tz[0] as i64 * 3600 + tz[1] as i64 * 60 + tz[2] as i64;
    Some(IsoTime { fields, offset_us: Some(sign * (secs * 1_000_000 + tz[3] as i64)) })
}

/// The tzinfo for a parsed offset: None, utc, or a fixed timezone.
pub fn tzinfo_for(vm: &Vm, offset_us: Option<i64>) -> PyResult {
    match offset_us {
        None => Ok(Value::None),
        // As CPython: only the whole seconds decide whether it is UTC.
        Some(us) if us / 1_000_000 == 0 => Ok(super::tz::utc(vm)),
        Some(us) => super::tz::new_timezone(vm, Delta::from_us(vm, us as i128)?, None),
    }
}

/// A datetime string split as CPython's parser does: date fields and the
/// time, if any. None: "Invalid isoformat string".
pub fn parse_datetime(s: &str) -> Option<((i32, i32, i32), Option<IsoTime>)> {
    let b = s.as_bytes();
    let sep = find_separator(b)?;
    let date = parse_date(b, sep)?;
    if b.len() <= sep {
        return Some((date, None));
    }
    // Skip the separator, which may be any character.
    let c = b[sep];
    let width = if c & 0x80 == 0 {
        1
    } else {
        match c & 0xf0 {
            0xe0 => 3,
            0xf0 => 4,
            _ => 2,
        }
    };
    let time = parse_time(b, sep + width)?;
    Some((date, Some(time)))
}

pub fn invalid(vm: &Vm, s: &Value) -> krait_vm::PyErr {
    // Built from str objects so a lone surrogate in the input survives.
    let msg = vm.repr(s).and_then(|r| vm.binary_op(&vm.new_str("Invalid isoformat string: "), &Value::Obj(r), krait_compiler::bytecode::BinOp::Add));
    match msg {
        Ok(m) => vm.new_exception(&vm.exc.value_error, vec![m]),
        Err(e) => e,
    }
}

// ---------------------------------------------------------------------------
// Formatting.

/// "+HH<sep>MM[<sep>SS[.ffffff]]".
pub fn format_offset(off: Delta, sep: &str) -> String {
    let total = off.total_us();
    let sign = if total < 0 { '-' } else { '+' };
    let total = total.abs() as i64;
    let (secs, us) = (total / 1_000_000, total % 1_000_000);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if us != 0 {
        format!("{sign}{h:02}{sep}{m:02}{sep}{s:02}.{us:06}")
    } else if s != 0 {
        format!("{sign}{h:02}{sep}{m:02}{sep}{s:02}")
    } else {
        format!("{sign}{h:02}{sep}{m:02}")
    }
}

/// The utcoffset of `tzinfo` for `arg` as text, or "" when there is none.
pub fn offset_text(vm: &Vm, tzinfo: &Value, arg: &Value, sep: &str) -> PyResult<String> {
    Ok(match call_offset(vm, tzinfo, "utcoffset", arg)? {
        Some(off) => format_offset(off, sep),
        None => String::new(),
    })
}

/// The time part of isoformat for a timespec; None for an unknown one.
pub fn format_time(t: Hms, timespec: &str) -> Option<String> {
    let Hms { h, mi, s, us } = t;
    Some(match timespec {
        "auto" if us != 0 => format!("{h:02}:{mi:02}:{s:02}.{us:06}"),
        "auto" | "seconds" => format!("{h:02}:{mi:02}:{s:02}"),
        "hours" => format!("{h:02}"),
        "minutes" => format!("{h:02}:{mi:02}"),
        "milliseconds" => format!("{h:02}:{mi:02}:{s:02}.{:03}", us / 1000),
        "microseconds" => format!("{h:02}:{mi:02}:{s:02}.{us:06}"),
        _ => return None,
    })
}

pub fn format_time_checked(vm: &Vm, t: Hms, timespec: &str) -> PyResult<String> {
    format_time(t, timespec).ok_or_else(|| vm.new_value_error("Unknown timespec value"))
}

/// `wrap_strftime`: expands %z, %Z (from `tzinfo` given `tzarg`) and %f,
/// then formats the rest with `time.strftime(fmt, timetuple)`.
pub fn strftime(vm: &Vm, fmt: &str, timetuple: Value, tzinfo: &Value, tzarg: &Value, us: u32) -> PyResult {
    let mut out = String::with_capacity(fmt.len() + 8);
    let mut chars = fmt.chars();
    let mut z: Option<String> = None;
    let mut zname: Option<String> = None;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('z') => {
                if z.is_none() {
                    z = Some(offset_text(vm, tzinfo, tzarg, "")?);
                }
                out.push_str(z.as_deref().unwrap_or(""));
            }
            Some('Z') => {
                if zname.is_none() {
                    // As CPython: the name's own replace() doubles any '%'.
                    let n = call_tzname(vm, tzinfo, tzarg)?;
                    super::check_encodable(vm, &n)?;
                    let text = if n.is_none() {
                        String::new()
                    } else {
                        let r = vm.call_method(&n, "replace", &[vm.new_str("%"), vm.new_str("%%")])?;
                        match vm.as_str(&r) {
                            Some(s) => s.to_string(),
                            None => return Err(vm.new_type_error("tzname.replace() did not return a string")),
                        }
                    };
                    zname = Some(text);
                }
                out.push_str(zname.as_deref().unwrap_or(""));
            }
            Some('f') => out.push_str(&format!("{us:06}")),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    let time_mod = Value::Obj(vm.import_full("time")?);
    let f = vm.getattr_str(&time_mod, "strftime")?;
    vm.call(&f, Args::new(&[vm.new_str(out), timetuple]))
}

/// `time.struct_time((y, m, d, hh, mm, ss, wday, yday, dst))`.
pub fn struct_time(vm: &Vm, d: Ymd, t: Hms, dst: i64) -> PyResult {
    let items = vec![
        Value::Int(d.y as i64),
        Value::Int(d.m as i64),
        Value::Int(d.d as i64),
        Value::Int(t.h as i64),
        Value::Int(t.mi as i64),
        Value::Int(t.s as i64),
        Value::Int(d.weekday() as i64),
        Value::Int(d.day_of_year() as i64),
        Value::Int(dst),
    ];
    let time_mod = Value::Obj(vm.import_full("time")?);
    let st = vm.getattr_str(&time_mod, "struct_time")?;
    vm.call(&st, Args::new(&[vm.new_tuple(items)]))
}

/// "Wed Jan  1 01:01:01 2020".
pub fn ctime(d: Ymd, t: Hms) -> String {
    format!(
        "{} {} {:2} {:02}:{:02}:{:02} {:04}",
        super::DAY_NAMES[d.weekday() as usize],
        super::MONTH_NAMES[d.m as usize - 1],
        d.d,
        t.h,
        t.mi,
        t.s,
        d.y
    )
}
