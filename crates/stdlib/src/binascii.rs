//! The `binascii` module: hex, base64, quoted-printable and CRC helpers
//! that base64, quopri and email build on.

use krait_vm::types::int::bytes_like;
use krait_vm::types::text_util::hex_string;
use krait_vm::{Args, NativeDef, PyErr, PyRef, PyResult, Value, Vm};

/// `binascii.Error(msg)`; the class lives in the module's dict.
fn error(vm: &Vm, msg: &str) -> PyErr {
    let make = || -> PyResult<PyErr> {
        let m = vm.import_full("binascii")?;
        let cls = vm.getattr_str(&Value::Obj(m), "Error")?;
        match vm.call1(&cls, &[vm.new_str(msg)])? {
            Value::Obj(e) => Ok(e),
            _ => Err(vm.new_type_error("binascii.Error is not an exception")),
        }
    };
    match make() {
        Ok(e) | Err(e) => e,
    }
}

/// Binary data: any bytes-like object (`Py_buffer` converter).
fn bin_arg(vm: &Vm, v: &Value) -> PyResult<Vec<u8>> {
    if vm.as_str(v).is_some() {
        return Err(vm.new_type_error("a bytes-like object is required, not 'str'"));
    }
    bytes_like(v).ok_or_else(|| vm.new_type_error(format!("a bytes-like object is required, not '{}'", vm.type_name_of(v))))
}

/// ASCII data: bytes-like or an ASCII-only str (`ascii_buffer` converter).
fn ascii_arg(vm: &Vm, v: &Value) -> PyResult<Vec<u8>> {
    if let Some(s) = vm.as_str(v) {
        if !s.is_ascii() {
            return Err(vm.new_value_error("string argument should contain only ASCII characters"));
        }
        return Ok(s.as_bytes().to_vec());
    }
    bytes_like(v).ok_or_else(|| {
        vm.new_type_error(format!("argument should be bytes, buffer or ASCII string, not '{}'", vm.type_name_of(v)))
    })
}

fn truth(vm: &Vm, v: &Option<Value>) -> PyResult<bool> {
    match v {
        Some(v) => vm.truthy(v),
        None => Ok(false),
    }
}

fn hexlify_impl(vm: &Vm, args: Args, name: &str) -> PyResult {
    let a = vm.bind_native(name, args, &["data", "sep", "bytes_per_sep"], 0, 1, None)?;
    let data = bin_arg(vm, a[0].as_ref().unwrap_or(&Value::None))?;
    let sep: Option<u8> = match &a[1] {
        None => None,
        Some(v) => {
            let s: Vec<u32> = if let Some(t) = vm.as_str(v) {
                t.chars().map(|c| c as u32).collect()
            } else if let Some(b) = bytes_like(v) {
                b.iter().map(|&x| x as u32).collect()
            } else {
                return Err(vm.new_type_error(format!("object of type '{}' has no len()", vm.type_name_of(v))));
            };
            if s.len() != 1 {
                return Err(vm.new_value_error("sep must be length 1."));
            }
            if s[0] > 0x7f {
                return Err(vm.new_value_error("sep must be ASCII."));
            }
            Some(s[0] as u8)
        }
    };
    let per = match &a[2] {
        Some(v) => crate::native::ssize(vm, v)?,
        None => 1,
    };
    Ok(vm.new_bytes(hex_string(&data, sep, per).into_bytes()))
}

fn hexlify(vm: &Vm, args: Args) -> PyResult {
    hexlify_impl(vm, args, "hexlify")
}
fn b2a_hex(vm: &Vm, args: Args) -> PyResult {
    hexlify_impl(vm, args, "b2a_hex")
}

fn unhex_impl(vm: &Vm, args: Args, name: &str) -> PyResult {
    let a = vm.bind_native(name, args, &["hexstr"], 0, 1, None)?;
    let data = ascii_arg(vm, a[0].as_ref().unwrap_or(&Value::None))?;
    if data.len() % 2 != 0 {
        return Err(error(vm, "Odd-length string"));
    }
    let mut out = Vec::with_capacity(data.len() / 2);
    for p in data.chunks_exact(2) {
        match ((p[0] as char).to_digit(16), (p[1] as char).to_digit(16)) {
            (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
            _ => return Err(error(vm, "Non-hexadecimal digit found")),
        }
    }
    Ok(vm.new_bytes(out))
}

fn unhexlify(vm: &Vm, args: Args) -> PyResult {
    unhex_impl(vm, args, "unhexlify")
}
fn a2b_hex(vm: &Vm, args: Args) -> PyResult {
    unhex_impl(vm, args, "a2b_hex")
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn b64_value(c: u8) -> Option<u32> {
    B64.iter().position(|&x| x == c).map(|p| p as u32)
}

fn a2b_base64(vm: &Vm, args: Args) -> PyResult {
    let a = vm.bind_native("a2b_base64", args, &["data", "strict_mode"], 1, 1, Some(1))?;
    let data = ascii_arg(vm, a[0].as_ref().unwrap_or(&Value::None))?;
    let strict = truth(vm, &a[1])?;
    if strict && data.first() == Some(&b'=') {
        return Err(error(vm, "Leading padding not allowed"));
    }
    let mut out = Vec::with_capacity(data.len() / 4 * 3 + 3);
    let (mut quad_pos, mut left, mut pads, mut padding_started) = (0u8, 0u32, 0usize, false);
    let mut done = false;
    for (i, &c) in data.iter().enumerate() {
        if c == b'=' {
            padding_started = true;
            if quad_pos >= 2 {
                pads += 1;
                if quad_pos as usize + pads >= 4 {
                    if strict && i + 1 < data.len() {
                        return Err(error(vm, "Excess data after padding"));
                    }
                    done = true;
                    break;
                }
            }
            continue;
        }
        let Some(v) = b64_value(c) else {
            if strict {
                return Err(error(vm, "Only base64 data is allowed"));
            }
            continue;
        };
        if strict && padding_started {
            return Err(error(vm, "Discontinuous padding not allowed"));
        }
        pads = 0;
        match quad_pos {
            0 => {
                quad_pos = 1;
                left = v;
            }
            1 => {
                quad_pos = 2;
                out.push(((left << 2) | (v >> 4)) as u8);
                left = v & 0x0f;
            }
            2 => {
                quad_pos = 3;
                out.push(((left << 4) | (v >> 2)) as u8);
                left = v & 0x03;
            }
            _ => {
                quad_pos = 0;
                out.push(((left << 6) | v) as u8);
                left = 0;
            }
        }
    }
    if !done && quad_pos != 0 {
        if quad_pos == 1 {
            return Err(error(
                vm,
                &format!(
                    "Invalid base64-encoded string: number of data characters ({}) cannot be 1 more than a multiple of 4",
                    out.len() / 3 * 4 + 1
                ),
            ));
        }
        return Err(error(vm, "Incorrect padding"));
    }
    Ok(vm.new_bytes(out))
}

fn b2a_base64(vm: &Vm, args: Args) -> PyResult {
    let a = vm.bind_native("b2a_base64", args, &["data", "newline"], 1, 1, Some(1))?;
    let data = bin_arg(vm, a[0].as_ref().unwrap_or(&Value::None))?;
    let newline = match &a[1] {
        Some(v) => vm.truthy(v)?,
        None => true,
    };
    let mut out = Vec::with_capacity(data.len() / 3 * 4 + 5);
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        out.push(B64[(n >> 18) as usize & 63]);
        out.push(B64[(n >> 12) as usize & 63]);
        out.push(if c.len() > 1 { B64[(n >> 6) as usize & 63] } else { b'=' });
        out.push(if c.len() > 2 { B64[n as usize & 63] } else { b'=' });
    }
    if newline {
        out.push(b'\n');
    }
    Ok(vm.new_bytes(out))
}

/// An `unsigned int` argument: any int, reduced modulo 2**32 as C's "I" converter.
fn uint_arg(vm: &Vm, v: &Value) -> PyResult<u32> {
    if !krait_vm::types::int::is_int(v) {
        return Err(vm.new_type_error(format!("'{}' object cannot be interpreted as an integer", vm.type_name_of(v))));
    }
    let i = krait_vm::types::int::int_of(v).unwrap_or_default();
    let m = i & dashu_int::IBig::from(0xffff_ffffu32);
    Ok(u32::try_from(&m).unwrap_or(0))
}

fn crc32(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::unpack(vm, "crc32", &args, 1, 2)?;
    let data = bin_arg(vm, &a[0])?;
    let mut crc = match a.get(1) {
        Some(v) => uint_arg(vm, v)?,
        None => 0,
    };
    crc = !crc;
    for &b in &data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    Ok(Value::Int((!crc) as i64))
}

fn crc_hqx(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::unpack(vm, "crc_hqx", &args, 2, 2)?;
    let data = bin_arg(vm, &a[0])?;
    let mut crc = uint_arg(vm, &a[1])? & 0xffff;
    for &b in &data {
        crc ^= (b as u32) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 { (crc << 1) ^ 0x1021 } else { crc << 1 } & 0xffff;
        }
    }
    Ok(Value::Int(crc as i64))
}

fn a2b_qp(vm: &Vm, args: Args) -> PyResult {
    let a = vm.bind_native("a2b_qp", args, &["data", "header"], 0, 1, None)?;
    let data = ascii_arg(vm, a[0].as_ref().unwrap_or(&Value::None))?;
    let header = truth(vm, &a[1])?;
    let hex = |c: u8| (c as char).to_digit(16);
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    while i < data.len() {
        if data[i] == b'=' {
            i += 1;
            if i >= data.len() {
                break;
            }
            if data[i] == b'\n' || data[i] == b'\r' {
                // A soft line break: drop through the end of the line.
                if data[i] != b'\n' {
                    while i < data.len() && data[i] != b'\n' {
                        i += 1;
                    }
                }
                if i < data.len() {
                    i += 1;
                }
            } else if data[i] == b'=' {
                out.push(b'=');
                i += 1;
            } else if let (Some(h), Some(l)) = (hex(data[i]), data.get(i + 1).and_then(|&c| hex(c))) {
                out.push((h * 16 + l) as u8);
                i += 2;
            } else {
                out.push(b'=');
            }
        } else if header && data[i] == b'_' {
            out.push(b' ');
            i += 1;
        } else {
            out.push(data[i]);
            i += 1;
        }
    }
    Ok(vm.new_bytes(out))
}

fn b2a_qp(vm: &Vm, args: Args) -> PyResult {
    const MAXLINESIZE: usize = 76;
    let a = vm.bind_native("b2a_qp", args, &["data", "quotetabs", "istext", "header"], 0, 1, None)?;
    let data = bin_arg(vm, a[0].as_ref().unwrap_or(&Value::None))?;
    let quotetabs = truth(vm, &a[1])?;
    let istext = match &a[2] {
        Some(v) => vm.truthy(v)?,
        None => true,
    };
    let header = truth(vm, &a[3])?;
    // Line ends are written as CRLF when the first line ends that way.
    let crlf = match data.iter().position(|&c| c == b'\n') {
        Some(p) => p > 0 && data[p - 1] == b'\r',
        None => false,
    };
    let hexd = b"0123456789ABCDEF";
    let n = data.len();
    let mut out: Vec<u8> = Vec::with_capacity(n * 2);
    let mut linelen = 0usize;
    let mut i = 0;
    let soft_break = |out: &mut Vec<u8>| {
        out.push(b'=');
        if crlf {
            out.push(b'\r');
        }
        out.push(b'\n');
    };
    while i < n {
        let c = data[i];
        let next = data.get(i + 1).copied();
        let quote = c > 126
            || c == b'='
            || (header && c == b'_')
            || (c == b'.' && linelen == 0 && matches!(next, None | Some(b'\n') | Some(b'\r') | Some(0)))
            || (!istext && (c == b'\r' || c == b'\n'))
            || ((c == b'\t' || c == b' ') && i + 1 == n)
            || (c < 33 && c != b'\r' && c != b'\n' && (quotetabs || (c != b'\t' && c != b' ')));
        if quote {
            if linelen + 3 >= MAXLINESIZE {
                soft_break(&mut out);
                linelen = 0;
            }
            out.extend_from_slice(&[b'=', hexd[(c >> 4) as usize], hexd[(c & 15) as usize]]);
            i += 1;
            linelen += 3;
        } else if istext && (c == b'\n' || (c == b'\r' && next == Some(b'\n'))) {
            linelen = 0;
            // Whitespace before a line end is quoted so it survives transport.
            if let Some(&last) = out.last() {
                if last == b' ' || last == b'\t' {
                    out.pop();
                    out.extend_from_slice(&[b'=', hexd[(last >> 4) as usize], hexd[(last & 15) as usize]]);
                }
            }
            if crlf {
                out.push(b'\r');
            }
            out.push(b'\n');
            i += if c == b'\r' { 2 } else { 1 };
        } else {
            if i + 1 != n && next != Some(b'\n') && linelen + 1 >= MAXLINESIZE {
                soft_break(&mut out);
                linelen = 0;
            }
            linelen += 1;
            out.push(if header && c == b' ' { b'_' } else { c });
            i += 1;
        }
    }
    Ok(vm.new_bytes(out))
}

static FUNCS: [NativeDef; 12] = [
    NativeDef::function("hexlify", hexlify),
    NativeDef::function("b2a_hex", b2a_hex),
    NativeDef::function("unhexlify", unhexlify),
    NativeDef::function("a2b_hex", a2b_hex),
    NativeDef::function("a2b_base64", a2b_base64),
    NativeDef::function("b2a_base64", b2a_base64),
    NativeDef::function("crc32", crc32),
    NativeDef::function("crc_hqx", crc_hqx),
    NativeDef::function("a2b_qp", a2b_qp),
    NativeDef::function("b2a_qp", b2a_qp),
    NativeDef::function("a2b_uu", a2b_uu),
    NativeDef::function("b2a_uu", b2a_uu),
];

fn a2b_uu(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::unpack(vm, "a2b_uu", &args, 1, 1)?;
    let data = ascii_arg(vm, &a[0])?;
    let data: &[u8] = match data.iter().position(|&c| c == b'\n' || c == b'\r') {
        Some(p) => &data[..p],
        None => &data,
    };
    let Some((&first, rest)) = data.split_first() else { return Ok(vm.new_bytes(vec![0u8; 32])) };
    let len = (first.wrapping_sub(b' ') & 0x3f) as usize;
    let mut bits: Vec<u8> = Vec::new();
    for i in 0..((len + 2) / 3 * 4) {
        let c = rest.get(i).copied().unwrap_or(b' ');
        if c == b'\n' || c == b'\r' {
            break;
        }
        if !(b' '..=b' ' + 64).contains(&c) {
            return Err(error(vm, "Illegal char"));
        }
        bits.push((c - b' ') & 0x3f);
    }
    let mut out = Vec::with_capacity(len);
    for q in bits.chunks(4) {
        let g = |k: usize| *q.get(k).unwrap_or(&0) as u32;
        let n = g(0) << 18 | g(1) << 12 | g(2) << 6 | g(3);
        out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
    }
    out.resize(len, 0);
    for &c in rest.iter().skip((len + 2) / 3 * 4) {
        if c != b' ' && c != b'`' && c != b'\n' && c != b'\r' {
            return Err(error(vm, "Trailing garbage"));
        }
    }
    Ok(vm.new_bytes(out))
}

fn b2a_uu(vm: &Vm, args: Args) -> PyResult {
    let a = vm.bind_native("b2a_uu", args, &["data", "backtick"], 1, 1, Some(1))?;
    let data = bin_arg(vm, a[0].as_ref().unwrap_or(&Value::None))?;
    let backtick = truth(vm, &a[1])?;
    if data.len() > 45 {
        return Err(error(vm, "At most 45 bytes at once"));
    }
    let enc = |v: u32| -> u8 {
        if backtick && v == 0 {
            b'`'
        } else {
            b' ' + v as u8
        }
    };
    let mut out = vec![enc(data.len() as u32)];
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        for s in [18, 12, 6, 0] {
            out.push(enc((n >> s) & 0x3f));
        }
    }
    out.push(b'\n');
    Ok(vm.new_bytes(out))
}

/// Creates the `binascii` module with its Error and Incomplete classes.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let mk = |name: &str, base: &PyRef| -> PyResult {
        let ns = vm.new_dict();
        vm.dict_set_str(&ns, &vm.intern("__module__"), vm.new_str("binascii"));
        let bases = vm.new_tuple(vec![Value::Obj(base.clone())]);
        vm.call1(&Value::Obj(vm.types.type_.clone()), &[vm.new_str(name), bases, Value::Obj(ns)])
    };
    let err = mk("Error", &vm.exc.value_error)?;
    let inc = mk("Incomplete", &vm.exc.exception)?;
    Ok(crate::native::make_module(vm, "binascii", "Conversion between binary data and ASCII", &FUNCS, vec![("Error", err), ("Incomplete", inc)]))
}
