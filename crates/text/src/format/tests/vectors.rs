//! Runs every vector file against the implementation.

use std::str::FromStr;

use dashu_int::IBig;

use crate::format::*;

fn unesc(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn rows(data: &str) -> Vec<Vec<String>> {
    data.lines().map(|l| l.split('\t').map(unesc).collect()).collect()
}

fn f(bits: &str) -> f64 {
    f64::from_bits(u64::from_str_radix(bits, 16).unwrap())
}

fn fb(x: f64) -> String {
    format!("{:016x}", x.to_bits())
}

fn big(s: &str) -> IBig {
    IBig::from_str(s).unwrap()
}

fn kind_name(k: ErrorKind) -> &'static str {
    match k {
        ErrorKind::ValueError => "ValueError",
        ErrorKind::OverflowError => "OverflowError",
        ErrorKind::ZeroDivisionError => "ZeroDivisionError",
        ErrorKind::MemoryError => "MemoryError",
    }
}

/// Renders a result the way the generator does (`!Kind: msg` for errors).
fn show(r: Result<String, FormatError>) -> String {
    match r {
        Ok(s) => s,
        Err(e) => match e.errno {
            Some(n) => format!("!{}: ({}, '{}')", kind_name(e.kind), n, e.msg),
            None => format!("!{}: {}", kind_name(e.kind), e.msg),
        },
    }
}

struct Tally {
    fails: Vec<String>,
    n: usize,
}

impl Tally {
    fn new() -> Tally {
        Tally { fails: vec![], n: 0 }
    }
    fn check(&mut self, what: &str, got: &str, want: &str) {
        self.n += 1;
        if got != want {
            self.fails.push(format!("{}: got {:?} want {:?}", what, got, want));
        }
    }
    fn finish(self, name: &str) {
        if !self.fails.is_empty() {
            let shown: Vec<_> = self.fails.iter().take(40).cloned().collect();
            panic!("{}: {} of {} failed:\n{}", name, self.fails.len(), self.n, shown.join("\n"));
        }
        assert!(self.n > 0);
    }
}

fn fmt_with(spec: &str, default: Option<char>, type_name: &str, run: impl Fn(&FormatSpec) -> FmtResult<String>) -> String {
    show(parse_format_spec(spec, default, type_name).and_then(|s| run(&s)))
}

#[test]
fn float_repr_vectors() {
    let mut t = Tally::new();
    for r in rows(include_str!("float_repr.txt")) {
        let x = f(&r[0]);
        t.check(&r[0], &float_repr(x), &r[1]);
    }
    t.finish("float_repr");
}

#[test]
fn format_float_vectors() {
    let mut t = Tally::new();
    for r in rows(include_str!("format_float.txt")) {
        let x = f(&r[0]);
        let got = fmt_with(&r[1], None, "float", |s| format_float(x, s, "float"));
        t.check(&format!("format({:?}, {:?})", x, r[1]), &got, &r[2]);
    }
    t.finish("format_float");
}

#[test]
fn format_int_vectors() {
    let mut t = Tally::new();
    for r in rows(include_str!("format_int.txt")) {
        let v = big(&r[0]);
        let got = fmt_with(&r[1], Some('d'), "int", |s| format_int(&v, s, "int", DEFAULT_MAX_STR_DIGITS));
        t.check(&format!("format({}, {:?})", r[0], r[1]), &got, &r[2]);
    }
    t.finish("format_int");
}

#[test]
fn format_str_vectors() {
    let mut t = Tally::new();
    for r in rows(include_str!("format_str.txt")) {
        let got = fmt_with(&r[1], Some('s'), "str", |s| format_str(&r[0], s, "str"));
        t.check(&format!("format({:?}, {:?})", r[0], r[1]), &got, &r[2]);
    }
    t.finish("format_str");
}

#[test]
fn complex_vectors() {
    let mut t = Tally::new();
    for r in rows(include_str!("complex.txt")) {
        let (re, im) = (f(&r[0]), f(&r[1]));
        let got = if r[2] == "repr" {
            complex_repr(re, im)
        } else {
            fmt_with(&r[2], None, "complex", |s| format_complex(re, im, s, "complex"))
        };
        t.check(&format!("complex({:?},{:?}) {:?}", re, im, r[2]), &got, &r[3]);
    }
    t.finish("complex");
}

/// Parses `%[flags][width][.prec]conv` for the tests.
fn pspec(s: &str) -> (PercentSpec, char) {
    let b: Vec<char> = s.chars().collect();
    let mut i = 1;
    let mut p = PercentSpec::default();
    while i < b.len() {
        match b[i] {
            '-' => p.left = true,
            '+' => p.sign = true,
            ' ' => p.blank = true,
            '#' => p.alt = true,
            '0' => p.zero = true,
            _ => break,
        }
        i += 1;
    }
    let mut w = String::new();
    while b[i].is_ascii_digit() {
        w.push(b[i]);
        i += 1;
    }
    if !w.is_empty() {
        p.width = Some(w.parse().unwrap());
    }
    if b[i] == '.' {
        i += 1;
        let mut q = String::new();
        while b[i].is_ascii_digit() {
            q.push(b[i]);
            i += 1;
        }
        p.prec = Some(q.parse().unwrap_or(0));
    }
    (p, b[i])
}

#[test]
fn percent_vectors() {
    let mut t = Tally::new();
    for r in rows(include_str!("percent.txt")) {
        let (spec, conv) = pspec(&r[2]);
        let got = match r[0].as_str() {
            "int" => show(percent_format_int(&big(&r[1]), &spec, conv, DEFAULT_MAX_STR_DIGITS)),
            "float" => show(percent_format_float(f(&r[1]), &spec, conv)),
            "str" => show(percent_format_str(&r[1], &spec)),
            _ => show(percent_format_char_int(&big(&r[1]), &spec)),
        };
        t.check(&format!("{:?} % {}", r[2], r[1]), &got, &r[3]);
    }
    t.finish("percent");
}

#[test]
fn parse_float_vectors() {
    let mut t = Tally::new();
    for r in rows(include_str!("parse_float.txt")) {
        let got = match parse_float(&r[0]) {
            Some(x) if x.is_nan() => fb(f64::NAN.copysign(x)),
            Some(x) => fb(x),
            None => "None".to_string(),
        };
        let want = if r[1] != "None" && f(&r[1]).is_nan() { fb(f64::NAN.copysign(f(&r[1]))) } else { r[1].clone() };
        t.check(&format!("float({:?})", r[0]), &got, &want);
    }
    t.finish("parse_float");
}

#[test]
fn parse_int_vectors() {
    let mut t = Tally::new();
    for r in rows(include_str!("parse_int.txt")) {
        let base: u32 = r[1].parse().unwrap();
        let got = match parse_int(&r[0], base, DEFAULT_MAX_STR_DIGITS) {
            Ok(v) => {
                use dashu_int::ops::BitTest;
                if v.bit_len() >= 600 {
                    format!("#{}", hash_int(&v))
                } else {
                    v.to_string()
                }
            }
            Err(e) => {
                let repr = format!("'{}'", r[0].replace('\t', "\\t").replace('\n', "\\n"));
                show(Err(e.to_error(base, &repr)))
            }
        };
        let want = &r[2];
        let short = |s: &str| s.chars().take(120).collect::<String>();
        t.check(&format!("int({:?}, {})", short(&r[0]), base), &short(&got), &short(want));
    }
    t.finish("parse_int");
}

#[test]
fn floatops_vectors() {
    let mut t = Tally::new();
    for r in rows(include_str!("floatops.txt")) {
        let got = match r[0].as_str() {
            "hex" => float_hex(f(&r[1])),
            "ratio" => show(float_as_integer_ratio(f(&r[1])).map(|(n, d)| format!("{}/{}", n, d))),
            "int" => show(float_to_ibig(f(&r[1])).map(|v| v.to_string())),
            "hash" => hash_float(f(&r[1])).map_or("nan".to_string(), |h| h.to_string()),
            "round" => show(round_float(f(&r[1]), r[2].parse().unwrap()).map(fb)),
            "round0" => show(float_to_ibig(round_half_even(f(&r[1]))).map(|v| v.to_string())),
            "fromhex" => show(float_fromhex(&r[1]).map(|x| fb(if x.is_nan() { f64::NAN.copysign(x) } else { x }))),
            "mod" => show(float_mod(f(&r[1]), f(&r[2])).map(fb)),
            "floordiv" => show(float_floordiv(f(&r[1]), f(&r[2])).map(fb)),
            "divmod" => show(float_divmod(f(&r[1]), f(&r[2])).map(|(a, b)| format!("{},{}", fb(a), fb(b)))),
            "pow" => show(float_pow(f(&r[1]), f(&r[2])).map(|p| match p {
                PowResult::Float(x) => fb(x),
                PowResult::NeedsComplex => "complex".to_string(),
            })),
            other => panic!("unknown op {}", other),
        };
        // NaN payloads may differ; compare NaNs by sign only.
        let want = if r[3].len() == 16 && !r[3].starts_with('!') && u64::from_str_radix(&r[3], 16).is_ok() {
            let x = f(&r[3]);
            if x.is_nan() { fb(f64::NAN.copysign(x)) } else { r[3].clone() }
        } else {
            r[3].clone()
        };
        let got = if got.len() == 16 && u64::from_str_radix(&got, 16).is_ok() && f(&got).is_nan() {
            fb(f64::NAN.copysign(f(&got)))
        } else {
            got
        };
        t.check(&format!("{} {} {}", r[0], r[1], r[2]), &got, &want);
    }
    t.finish("floatops");
}

#[test]
fn intops_vectors() {
    let mut t = Tally::new();
    for r in rows(include_str!("intops.txt")) {
        let got = match r[0].as_str() {
            "tofloat" => show(ibig_to_f64(&big(&r[1])).map(fb)),
            "hash" => hash_int(&big(&r[1])).to_string(),
            "truediv" => show(int_true_divide(&big(&r[1]), &big(&r[2])).map(fb)),
            "hashc" => hash_complex(f(&r[1]), f(&r[2]), 0).to_string(),
            "radix" => int_to_str_radix(&big(&r[1]), r[2].parse().unwrap()).unwrap(),
            other => panic!("unknown op {}", other),
        };
        t.check(&format!("{} {} {}", r[0], r[1], r[2]), &got, &r[3]);
    }
    t.finish("intops");
}

#[test]
fn fuzzed_spec_vectors() {
    let mut t = Tally::new();
    for r in rows(include_str!("fuzz.txt")) {
        let spec = &r[2];
        let got = match r[0].as_str() {
            "int" => {
                let v = big(&r[1]);
                if spec.is_empty() { v.to_string() } else {
                    fmt_with(spec, Some('d'), "int", |s| format_int(&v, s, "int", DEFAULT_MAX_STR_DIGITS))
                }
            }
            "float" => {
                let x = f(&r[1]);
                fmt_with(spec, None, "float", |s| format_float(x, s, "float"))
            }
            "str" => fmt_with(spec, Some('s'), "str", |s| format_str(&r[1], s, "str")),
            _ => {
                let (a, b) = r[1].split_once(',').unwrap();
                let (re, im) = (f(a), f(b));
                if spec.is_empty() { complex_repr(re, im) } else {
                    fmt_with(spec, None, "complex", |s| format_complex(re, im, s, "complex"))
                }
            }
        };
        t.check(&format!("format({}:{}, {:?})", r[0], r[1], spec), &got, &r[3]);
    }
    t.finish("fuzz");
}
