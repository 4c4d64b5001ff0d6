//! Hand-picked cases from the brief, plus no-panic sweeps over odd inputs.

use std::str::FromStr;

use dashu_int::IBig;

use crate::format::*;

fn ff(x: f64, spec: &str) -> String {
    parse_format_spec(spec, None, "float").and_then(|s| format_float(x, &s, "float")).unwrap()
}

#[test]
fn brief_examples() {
    assert_eq!(float_repr(1e16), "1e+16");
    assert_eq!(float_repr(1e-5), "1e-05");
    assert_eq!(float_repr(0.0001), "0.0001");
    assert_eq!(float_repr(123456789012345.0), "123456789012345.0");
    assert_eq!(float_repr(1.2345678901234568e16), "1.2345678901234568e+16");
    assert_eq!(float_repr(-0.0), "-0.0");
    assert_eq!(float_repr(f64::NAN), "nan");
    assert_eq!(float_repr(5e-324), "5e-324");
    assert_eq!(ff(1e16, ".3"), "1e+16");
    assert_eq!(ff(2.5, ".0f"), "2");
    let p = PercentSpec { prec: Some(20), ..PercentSpec::default() };
    assert_eq!(percent_format_float(0.1, &p, 'f').unwrap(), "0.10000000000000000555");
    let big = ff(1e300, "f");
    assert_eq!(big, "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.000000");
    assert_eq!(ff(1e300, ".1000f").len(), 301 + 1 + 1000);
    let tiny = percent_format_float(5e-324, &PercentSpec { prec: Some(1100), ..PercentSpec::default() }, 'e').unwrap();
    assert_eq!(tiny, "4.94065645841246544176568792868221372365059802614324764425585682500675507270208751865299836361635992379796564695445717730926656710355939796398774796010781878126300713190311404527845817167848982103688718636056998730723050006387409153564984387312473397273169615140031715385398074126238565591171026658556686768187039560310624931945271591492455329305456544401127480129709999541931989409080416563324524757147869014726780159355238611550134803526493472019379026810710749170333222684475333572083243193609238289345836806010601150616980975307834227731832924790498252473077637592724787465608477820373446969953364701797267771758512566055119913150489110145103786273816725095583738973359899366480994116420570263709027924276754456522908753868250641971826553344726562500000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000e-324");
    let i = IBig::from_str(&"9".repeat(20000)).unwrap();
    assert_eq!(int_to_decimal_string(&i, 0).unwrap().len(), 20000);
    assert_eq!(int_to_decimal_string(&i, 4300).unwrap_err().msg,
        "Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit");
    assert_eq!(int_true_divide(&IBig::from(10).pow(400), &IBig::from(10).pow(399)).unwrap(), 10.0);
    assert_eq!(hash_int(&(IBig::ONE << 100)), 549755813888);
    assert_eq!(hash_float(1.5), Some(1152921504606846977));
    let e = float_pow(10.0, 400.0).unwrap_err();
    assert_eq!((e.kind, e.errno, e.to_string()), (ErrorKind::OverflowError, Some(34), "[Errno 34] Numerical result out of range".to_string()));
}

#[test]
fn big_int_to_string_is_fast() {
    let v = IBig::from(7).pow(120_000); // ~101k decimal digits
    let t = std::time::Instant::now();
    let s = int_to_decimal_string(&v, 0).unwrap();
    assert!(s.len() > 100_000);
    assert_eq!(parse_int(&s, 10, 0).unwrap(), v);
    assert!(t.elapsed().as_secs() < 10, "took {:?}", t.elapsed());
}

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[(self.next() as usize) % xs.len()]
    }
}

#[test]
fn no_panics_on_odd_input() {
    let alphabet: Vec<char> = "<>=^+- z#0123456789,_.bcdeEfFgGnosxX%*é\u{661}\u{0}\u{ffff}".chars().collect();
    let floats = [0.0, -0.0, 1.0, -1.5, 1e300, 5e-324, f64::INFINITY, f64::NAN, f64::MAX, -f64::MIN_POSITIVE];
    let ints = [IBig::ZERO, IBig::from(-1), IBig::from(65), IBig::ONE << 200, -(IBig::ONE << 63)];
    let mut r = Lcg(42);
    for _ in 0..20_000 {
        let n = (r.next() % 9) as usize;
        let spec: String = (0..n).map(|_| r.pick(&alphabet)).collect();
        for d in [None, Some('d'), Some('s')] {
            if let Ok(s) = parse_format_spec(&spec, d, "t") {
                if s.width.is_some_and(|w| w > 100_000) || s.precision.is_some_and(|p| p > 100_000) {
                    continue;
                }
                let x = r.pick(&floats);
                let _ = format_float(x, &s, "float");
                let _ = format_complex(x, r.pick(&floats), &s, "complex");
                let _ = format_int(&ints[(r.next() as usize) % ints.len()], &s, "int", 4300);
                let _ = format_str("héllo", &s, "str");
            }
        }
        let _ = parse_float(&spec);
        let _ = parse_int(&spec, (r.next() % 40) as u32, 4300);
        let _ = float_fromhex(&spec);
    }
    for &x in &floats {
        for &y in &floats {
            let _ = (float_mod(x, y), float_divmod(x, y), float_floordiv(x, y), float_pow(x, y), float_div(x, y));
        }
        for n in [-100_000, -400, -1, 0, 1, 17, 400, 100_000, i64::MIN, i64::MAX] {
            let _ = round_float(x, n);
        }
        let _ = (float_hex(x), float_as_integer_ratio(x), float_to_ibig(x), hash_float(x), complex_repr(x, x));
        for conv in ['e', 'E', 'f', 'F', 'g', 'G', 'x'] {
            for prec in [None, Some(0), Some(1), Some(2000)] {
                let spec = PercentSpec { alt: true, zero: true, sign: true, width: Some(30), prec, ..PercentSpec::default() };
                let _ = percent_format_float(x, &spec, conv);
            }
        }
    }
    for v in &ints {
        for conv in ['d', 'i', 'u', 'o', 'x', 'X', 'q'] {
            let spec = PercentSpec { alt: true, zero: true, blank: true, width: Some(30), prec: Some(5), ..PercentSpec::default() };
            let _ = percent_format_int(v, &spec, conv, 4300);
        }
        let _ = (percent_format_char_int(v, &PercentSpec::default()), ibig_to_f64(v), hash_int(v));
        for b in [0, 1, 2, 10, 36, 37] {
            let _ = int_to_str_radix(v, b);
            let _ = int_to_prefixed(v, b);
        }
        let _ = int_true_divide(v, &IBig::ZERO);
        let _ = int_true_divide(&IBig::ONE, v);
    }
    let _ = percent_format_float(1.0, &PercentSpec { prec: Some(usize::MAX), ..PercentSpec::default() }, 'f');
    let _ = percent_format_int(&IBig::ONE, &PercentSpec { prec: Some(usize::MAX), ..PercentSpec::default() }, 'd', 0);
}
