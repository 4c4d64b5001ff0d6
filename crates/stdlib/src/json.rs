//! The `_json` module: the native scanner and encoder that json.decoder,
//! json.scanner and json.encoder pick up when present. Error positions and
//! messages follow CPython's C implementation (which differ from the pure
//! Python fallback, e.g. "Invalid \\escape" points at the backslash).

use crate::native::{descr_error, native_type, new_object, TypeSpec};
use krait_vm::payload::{GetSetDef, Payload};
use krait_vm::types::int::int_to_string;
use krait_vm::types::typeobj::Layout;
use krait_vm::{Args, NativeDef, PyErr, PyRef, PyResult, Value, Vm};
use std::fmt::Write;

/// How a scan step fails: StopIteration at a position (the decoder turns it
/// into "Expecting value"), or a Python exception already made.
enum Fail {
    Stop(usize),
    Py(PyErr),
}

impl From<PyErr> for Fail {
    fn from(e: PyErr) -> Fail {
        Fail::Py(e)
    }
}

type Scan<T> = Result<T, Fail>;

fn stop_iteration(vm: &Vm, idx: usize) -> PyErr {
    vm.new_stop_iteration(Some(Value::Int(idx as i64)))
}

/// `json.decoder.JSONDecodeError(msg, doc, pos)`.
fn decode_error(vm: &Vm, msg: &str, doc: &Value, pos: usize) -> PyErr {
    let make = || -> PyResult<PyErr> {
        let m = vm.import_full("json.decoder")?;
        let cls = vm.getattr_str(&Value::Obj(m), "JSONDecodeError")?;
        match vm.call1(&cls, &[vm.new_str(msg), doc.clone(), Value::Int(pos as i64)])? {
            Value::Obj(e) => Ok(e),
            _ => Err(vm.new_type_error("JSONDecodeError is not an exception")),
        }
    };
    match make() {
        Ok(e) | Err(e) => e,
    }
}

fn str_chars(vm: &Vm, v: &Value, _what: &str) -> PyResult<Vec<char>> {
    match v.payload().and_then(|p| p.as_str()) {
        Some(s) => Ok(s.as_str().chars().collect()),
        None => Err(vm.new_type_error(format!("first argument must be a string, not {}", vm.type_name_of(v)))),
    }
}

fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

fn hex4(s: &[char], at: usize) -> Option<u32> {
    let mut v = 0u32;
    for &c in &s[at..at + 4] {
        v = (v << 4) | c.to_digit(16)?;
    }
    Some(v)
}

/// The body of a JSON string starting after its opening quote at `end`;
/// returns the text and the index after the closing quote.
fn scanstring(vm: &Vm, doc: &Value, s: &[char], mut end: usize, strict: bool) -> Result<(String, usize), PyErr> {
    let len = s.len();
    let begin = end.wrapping_sub(1);
    if end > len {
        return Err(vm.new_value_error("end is out of bounds"));
    }
    let mut out = String::new();
    loop {
        let mut next = end;
        let mut c = '\0';
        while next < len {
            c = s[next];
            if c == '"' || c == '\\' {
                break;
            }
            if strict && (c as u32) <= 0x1f {
                return Err(decode_error(vm, "Invalid control character at", doc, next));
            }
            next += 1;
        }
        if !(next < len && (c == '"' || c == '\\')) {
            return Err(decode_error(vm, "Unterminated string starting at", doc, begin));
        }
        out.extend(&s[end..next]);
        next += 1;
        if c == '"' {
            end = next;
            break;
        }
        if next == len {
            return Err(decode_error(vm, "Unterminated string starting at", doc, begin));
        }
        let e = s[next];
        if e != 'u' {
            end = next + 1;
            let ch = match e {
                '"' | '\\' | '/' => e,
                'b' => '\u{8}',
                'f' => '\u{c}',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                _ => return Err(decode_error(vm, "Invalid \\escape", doc, end - 2)),
            };
            out.push(ch);
            continue;
        }
        next += 1;
        end = next + 4;
        if end >= len {
            return Err(decode_error(vm, "Invalid \\uXXXX escape", doc, next - 1));
        }
        let Some(mut cp) = hex4(s, next) else {
            return Err(decode_error(vm, "Invalid \\uXXXX escape", doc, end - 5));
        };
        if (0xD800..0xDC00).contains(&cp) && end + 6 < len && s[end] == '\\' && s[end + 1] == 'u' {
            let Some(c2) = hex4(s, end + 2) else {
                return Err(decode_error(vm, "Invalid \\uXXXX escape", doc, end + 1));
            };
            if (0xDC00..0xE000).contains(&c2) {
                cp = 0x10000 + (((cp - 0xD800) << 10) | (c2 - 0xDC00));
                end += 6;
            }
        }
        // krait strings cannot hold lone surrogates; they become U+FFFD as
        // in krait's source literals.
        out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
    }
    Ok((out, end))
}

// ---- the scanner ----

struct Scanner {
    strict: bool,
    object_hook: Value,
    pairs_hook: Value,
    parse_float: Value,
    parse_int: Value,
    parse_constant: Value,
}

impl krait_vm::gc::NativeData for Scanner {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn krait_vm::gc::Visitor) {
        for v in [&self.object_hook, &self.pairs_hook, &self.parse_float, &self.parse_int, &self.parse_constant] {
            visitor.visit_value(v);
        }
    }
}

struct ScanCtx<'a> {
    vm: &'a Vm,
    sc: &'a Scanner,
    doc: &'a Value,
    s: &'a [char],
    memo: PyRef,
}

impl ScanCtx<'_> {
    fn skip_ws(&self, mut i: usize) -> usize {
        while i < self.s.len() && is_ws(self.s[i]) {
            i += 1;
        }
        i
    }

    fn at(&self, i: usize, c: char) -> bool {
        i < self.s.len() && self.s[i] == c
    }

    fn matches(&self, i: usize, word: &str) -> bool {
        let w: Vec<char> = word.chars().collect();
        i + w.len() <= self.s.len() && self.s[i..i + w.len()] == w[..]
    }

    fn enter(&self, what: &str) -> Scan<()> {
        let vm = self.vm;
        let d = vm.recursion_depth.get() + 1;
        if d > vm.recursion_limit.get() {
            return Err(Fail::Py(vm.new_recursion_error(format!("maximum recursion depth exceeded{what}"))));
        }
        vm.recursion_depth.set(d);
        Ok(())
    }

    fn leave(&self) {
        self.vm.recursion_depth.set(self.vm.recursion_depth.get().saturating_sub(1));
    }

    fn scan_once(&self, idx: usize) -> Scan<(Value, usize)> {
        let vm = self.vm;
        let s = self.s;
        if idx >= s.len() {
            return Err(Fail::Stop(idx));
        }
        match s[idx] {
            '"' => {
                let (t, end) = scanstring(vm, self.doc, s, idx + 1, self.sc.strict)?;
                Ok((vm.new_str(t), end))
            }
            '{' => {
                self.enter(" while decoding a JSON object from a unicode string")?;
                let r = self.parse_object(idx + 1);
                self.leave();
                r
            }
            '[' => {
                self.enter(" while decoding a JSON array from a unicode string")?;
                let r = self.parse_array(idx + 1);
                self.leave();
                r
            }
            'n' if self.matches(idx, "null") => Ok((Value::None, idx + 4)),
            't' if self.matches(idx, "true") => Ok((Value::Bool(true), idx + 4)),
            'f' if self.matches(idx, "false") => Ok((Value::Bool(false), idx + 5)),
            'N' if self.matches(idx, "NaN") => self.constant("NaN", idx),
            'I' if self.matches(idx, "Infinity") => self.constant("Infinity", idx),
            '-' if self.matches(idx, "-Infinity") => self.constant("-Infinity", idx),
            _ => self.number(idx),
        }
    }

    fn constant(&self, name: &str, idx: usize) -> Scan<(Value, usize)> {
        let v = self.vm.call1(&self.sc.parse_constant, &[self.vm.new_str(name)])?;
        Ok((v, idx + name.len()))
    }

    fn number(&self, start: usize) -> Scan<(Value, usize)> {
        let vm = self.vm;
        let s = self.s;
        let n = s.len();
        let digit = |i: usize| i < n && s[i].is_ascii_digit();
        let mut idx = start;
        if s[idx] == '-' {
            idx += 1;
            if idx >= n {
                return Err(Fail::Stop(start));
            }
        }
        if ('1'..='9').contains(&s[idx]) {
            idx += 1;
            while digit(idx) {
                idx += 1;
            }
        } else if s[idx] == '0' {
            idx += 1;
        } else {
            return Err(Fail::Stop(start));
        }
        let mut is_float = false;
        if idx < n && s[idx] == '.' && digit(idx + 1) {
            is_float = true;
            idx += 2;
            while digit(idx) {
                idx += 1;
            }
        }
        if idx < n && (s[idx] == 'e' || s[idx] == 'E') {
            let e_start = idx;
            idx += 1;
            if idx < n && (s[idx] == '-' || s[idx] == '+') {
                idx += 1;
            }
            while digit(idx) {
                idx += 1;
            }
            if s[idx - 1].is_ascii_digit() {
                is_float = true;
            } else {
                idx = e_start;
            }
        }
        let text: String = s[start..idx].iter().collect();
        let custom = if is_float { &self.sc.parse_float } else { &self.sc.parse_int };
        let builtin = if is_float { &vm.types.float } else { &vm.types.int };
        let is_builtin = matches!(custom, Value::Obj(o) if o.is(builtin));
        let v = if !is_builtin {
            vm.call1(custom, &[vm.new_str(text)])?
        } else if is_float {
            // The grammar matched above is always a valid Rust float literal.
            Value::Float(text.parse::<f64>().unwrap_or(f64::NAN))
        } else if text.len() <= 18 {
            Value::Int(text.parse::<i64>().unwrap_or(0))
        } else {
            // Long literals go through int() for the digit limit and its error.
            vm.call1(&Value::Obj(vm.types.int.clone()), &[vm.new_str(text)])?
        };
        Ok((v, idx))
    }

    fn parse_object(&self, start: usize) -> Scan<(Value, usize)> {
        let vm = self.vm;
        let s = self.s;
        let use_pairs = !self.sc.pairs_hook.is_none();
        let mut pairs: Vec<Value> = Vec::new();
        let dict = vm.new_dict();
        let mut idx = self.skip_ws(start);
        if !self.at(idx, '}') {
            loop {
                if !self.at(idx, '"') {
                    return Err(Fail::Py(decode_error(vm, "Expecting property name enclosed in double quotes", self.doc, idx)));
                }
                let (k, next) = scanstring(vm, self.doc, s, idx + 1, self.sc.strict)?;
                let k = vm.new_str(k);
                // Repeated keys share one str object, as the C scanner's memo does.
                let key = match vm.dict_get(&self.memo, &k)? {
                    Some(m) => m,
                    None => {
                        vm.dict_set(&self.memo, k.clone(), k.clone())?;
                        k
                    }
                };
                idx = self.skip_ws(next);
                if !self.at(idx, ':') {
                    return Err(Fail::Py(decode_error(vm, "Expecting ':' delimiter", self.doc, idx)));
                }
                idx = self.skip_ws(idx + 1);
                let (val, next) = self.scan_once(idx)?;
                if use_pairs {
                    pairs.push(vm.new_tuple(vec![key, val]));
                } else {
                    vm.dict_set(&dict, key, val)?;
                }
                idx = self.skip_ws(next);
                if self.at(idx, '}') {
                    break;
                }
                if !self.at(idx, ',') {
                    return Err(Fail::Py(decode_error(vm, "Expecting ',' delimiter", self.doc, idx)));
                }
                idx = self.skip_ws(idx + 1);
            }
        }
        let end = idx + 1;
        if use_pairs {
            let v = vm.call1(&self.sc.pairs_hook, &[vm.new_list(pairs)])?;
            return Ok((v, end));
        }
        let d = Value::Obj(dict);
        if !self.sc.object_hook.is_none() {
            return Ok((vm.call1(&self.sc.object_hook, &[d])?, end));
        }
        Ok((d, end))
    }

    fn parse_array(&self, start: usize) -> Scan<(Value, usize)> {
        let mut items = Vec::new();
        let mut idx = self.skip_ws(start);
        if !self.at(idx, ']') {
            loop {
                let (val, next) = self.scan_once(idx)?;
                items.push(val);
                idx = self.skip_ws(next);
                if self.at(idx, ']') {
                    break;
                }
                if !self.at(idx, ',') {
                    return Err(Fail::Py(decode_error(self.vm, "Expecting ',' delimiter", self.doc, idx)));
                }
                idx = self.skip_ws(idx + 1);
            }
        }
        Ok((self.vm.new_list(items), idx + 1))
    }
}

fn scanner_of<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a Scanner> {
    v.payload().and_then(|p| p.as_native::<Scanner>()).ok_or_else(|| descr_error(vm, name, "_json.Scanner", v))
}

fn scanner_new(vm: &Vm, args: Args) -> PyResult {
    let t = native_type(vm, &SCANNER);
    let (cls, rest) = crate::native::split_new(vm, args, &t)?;
    let a = vm.bind_native("make_scanner", rest, &["context"], 0, 1, None)?;
    let ctx = a[0].clone().unwrap_or(Value::None);
    let strict = vm.getattr_str(&ctx, "strict")?;
    let sc = Scanner {
        strict: vm.truthy(&strict)?,
        object_hook: vm.getattr_str(&ctx, "object_hook")?,
        pairs_hook: vm.getattr_str(&ctx, "object_pairs_hook")?,
        parse_float: vm.getattr_str(&ctx, "parse_float")?,
        parse_int: vm.getattr_str(&ctx, "parse_int")?,
        parse_constant: vm.getattr_str(&ctx, "parse_constant")?,
    };
    Ok(new_object(vm, &cls, &t, sc))
}

fn scanner_call(vm: &Vm, args: Args) -> PyResult {
    let me = args.args.first().ok_or_else(|| vm.new_type_error("descriptor '__call__' needs an argument"))?;
    let sc = scanner_of(vm, me, "__call__")?;
    let a = vm.bind_native("scan_once", Args { args: &args.args[1..], kwnames: args.kwnames }, &["string", "idx"], 0, 2, None)?;
    let doc = a[0].clone().unwrap_or(Value::None);
    let idx = crate::native::ssize(vm, a[1].as_ref().unwrap_or(&Value::None))?;
    let s = str_chars(vm, &doc, "string")?;
    if idx < 0 {
        return Err(vm.new_value_error("idx cannot be negative"));
    }
    let ctx = ScanCtx { vm, sc, doc: &doc, s: &s, memo: vm.new_dict() };
    match ctx.scan_once(idx as usize) {
        Ok((v, end)) => Ok(vm.new_tuple(vec![v, Value::Int(end as i64)])),
        Err(Fail::Stop(i)) => Err(stop_iteration(vm, i)),
        Err(Fail::Py(e)) => Err(e),
    }
}

fn sc_strict(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Bool(scanner_of(vm, v, "strict")?.strict))
}
fn sc_object_hook(vm: &Vm, v: &Value) -> PyResult {
    Ok(scanner_of(vm, v, "object_hook")?.object_hook.clone())
}
fn sc_pairs_hook(vm: &Vm, v: &Value) -> PyResult {
    Ok(scanner_of(vm, v, "object_pairs_hook")?.pairs_hook.clone())
}
fn sc_parse_float(vm: &Vm, v: &Value) -> PyResult {
    Ok(scanner_of(vm, v, "parse_float")?.parse_float.clone())
}
fn sc_parse_int(vm: &Vm, v: &Value) -> PyResult {
    Ok(scanner_of(vm, v, "parse_int")?.parse_int.clone())
}
fn sc_parse_constant(vm: &Vm, v: &Value) -> PyResult {
    Ok(scanner_of(vm, v, "parse_constant")?.parse_constant.clone())
}

static SCANNER_METHODS: [NativeDef; 2] =
    [NativeDef::staticmethod("__new__", scanner_new), NativeDef::method("__call__", scanner_call)];

static SCANNER_GETSETS: [GetSetDef; 6] = [
    GetSetDef { name: "strict", get: sc_strict, set: None, doc: "strict" },
    GetSetDef { name: "object_hook", get: sc_object_hook, set: None, doc: "object_hook" },
    GetSetDef { name: "object_pairs_hook", get: sc_pairs_hook, set: None, doc: "object_pairs_hook" },
    GetSetDef { name: "parse_float", get: sc_parse_float, set: None, doc: "parse_float" },
    GetSetDef { name: "parse_int", get: sc_parse_int, set: None, doc: "parse_int" },
    GetSetDef { name: "parse_constant", get: sc_parse_constant, set: None, doc: "parse_constant" },
];

static SCANNER: TypeSpec = TypeSpec {
    module: "_json",
    name: "Scanner",
    doc: "JSON scanner object",
    layout: Layout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &SCANNER_METHODS,
    more_methods: &[],
    getsets: &SCANNER_GETSETS,
};

// ---- string encoding ----

fn escape_ascii(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{:04x}", u);
                }
            }
        }
    }
    out.push('"');
}

fn escape_unicode(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\0'..='\u{1f}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            _ => out.push(c),
        }
    }
    out.push('"');
}

fn str_arg<'a>(vm: &Vm, v: &'a Value) -> PyResult<&'a str> {
    match v.payload().and_then(|p| p.as_str()) {
        Some(s) => Ok(s.as_str()),
        None => Err(vm.new_type_error(format!("first argument must be a string, not {}", vm.type_name_of(v)))),
    }
}

fn encode_basestring_ascii(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::unpack(vm, "encode_basestring_ascii", &args, 1, 1)?;
    let mut out = String::new();
    escape_ascii(&mut out, str_arg(vm, &a[0])?);
    Ok(vm.new_str(out))
}

fn encode_basestring(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::unpack(vm, "encode_basestring", &args, 1, 1)?;
    let mut out = String::new();
    escape_unicode(&mut out, str_arg(vm, &a[0])?);
    Ok(vm.new_str(out))
}

fn py_scanstring(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::unpack(vm, "scanstring", &args, 2, 3)?;
    let end = crate::native::ssize(vm, &a[1])?;
    let strict = match a.get(2) {
        Some(v) => vm.truthy(v)?,
        None => true,
    };
    let s = str_chars(vm, &a[0], "string")?;
    if end < 0 || end as usize > s.len() {
        return Err(vm.new_value_error("end is out of bounds"));
    }
    let (t, end) = scanstring(vm, &a[0], &s, end as usize, strict)?;
    Ok(vm.new_tuple(vec![vm.new_str(t), Value::Int(end as i64)]))
}

// ---- the encoder ----

#[derive(Clone, Copy, PartialEq)]
enum StrEnc {
    Ascii,
    Unicode,
    Custom,
}

struct Encoder {
    markers: Value,
    default: Value,
    encoder: Value,
    indent: Value,
    key_sep: String,
    item_sep: String,
    sort_keys: bool,
    skipkeys: bool,
    allow_nan: bool,
    fast: StrEnc,
}

fn encoder_of<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a Encoder> {
    v.payload().and_then(|p| p.as_native::<Encoder>()).ok_or_else(|| descr_error(vm, name, "_json.Encoder", v))
}

fn encoder_new(vm: &Vm, args: Args) -> PyResult {
    let t = native_type(vm, &ENCODER);
    let (cls, rest) = crate::native::split_new(vm, args, &t)?;
    let names = [
        "markers", "default", "encoder", "indent", "key_separator", "item_separator", "sort_keys", "skipkeys",
        "allow_nan",
    ];
    let a = vm.bind_native("make_encoder", rest, &names, 0, 9, None)?;
    let a: Vec<Value> = a.into_iter().map(|v| v.unwrap_or(Value::None)).collect();
    let markers = a[0].clone();
    if !markers.is_none() && markers.payload().and_then(|p| p.as_dict()).is_none() {
        return Err(vm.new_type_error(format!(
            "make_encoder() argument 1 must be dict or None, not {}",
            vm.type_name_of(&markers)
        )));
    }
    let sep = |i: usize| -> PyResult<String> {
        match a[i].payload().and_then(|p| p.as_str()) {
            Some(s) => Ok(s.as_str().to_string()),
            None => Err(vm.new_type_error(format!(
                "make_encoder() argument {} must be str, not {}",
                i + 1,
                vm.type_name_of(&a[i])
            ))),
        }
    };
    let fast = match a[2].payload() {
        Some(Payload::NativeFunction { def, .. }) if std::ptr::eq(*def, &FUNCS[0]) => StrEnc::Ascii,
        Some(Payload::NativeFunction { def, .. }) if std::ptr::eq(*def, &FUNCS[1]) => StrEnc::Unicode,
        _ => StrEnc::Custom,
    };
    let enc = Encoder {
        markers,
        default: a[1].clone(),
        encoder: a[2].clone(),
        indent: a[3].clone(),
        key_sep: sep(4)?,
        item_sep: sep(5)?,
        sort_keys: vm.truthy(&a[6])?,
        skipkeys: vm.truthy(&a[7])?,
        allow_nan: vm.truthy(&a[8])?,
        fast,
    };
    Ok(new_object(vm, &cls, &t, enc))
}

impl krait_vm::gc::NativeData for Encoder {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn krait_vm::gc::Visitor) {
        for v in [&self.markers, &self.default, &self.encoder, &self.indent] {
            visitor.visit_value(v);
        }
    }
}

struct EncCtx<'a> {
    vm: &'a Vm,
    e: &'a Encoder,
    out: String,
}

impl EncCtx<'_> {
    fn float(&mut self, f: f64) -> PyResult<()> {
        if !f.is_finite() {
            if !self.e.allow_nan {
                return Err(self.vm.new_value_error("Out of range float values are not JSON compliant"));
            }
            self.out.push_str(if f.is_nan() { "NaN" } else if f > 0.0 { "Infinity" } else { "-Infinity" });
            return Ok(());
        }
        // float.__repr__ even for subclasses, as the C encoder does.
        let r = self.vm.repr_string(&Value::Float(f))?;
        self.out.push_str(&r);
        Ok(())
    }

    fn int(&mut self, v: &Value) -> PyResult<()> {
        match v {
            Value::Int(i) => {
                let _ = write!(self.out, "{i}");
            }
            _ => {
                let i = krait_vm::types::int::int_of(v).unwrap_or_default();
                let s = int_to_string(self.vm, &i)?;
                self.out.push_str(&s);
            }
        }
        Ok(())
    }

    fn string(&mut self, v: &Value, s: &str) -> PyResult<()> {
        match self.e.fast {
            StrEnc::Ascii => escape_ascii(&mut self.out, s),
            StrEnc::Unicode => escape_unicode(&mut self.out, s),
            StrEnc::Custom => {
                let r = self.vm.call1(&self.e.encoder, &[v.clone()])?;
                match r.payload().and_then(|p| p.as_str()) {
                    Some(t) => self.out.push_str(t.as_str()),
                    None => {
                        return Err(self.vm.new_type_error(format!(
                            "encoder() must return a string, not {}",
                            self.vm.type_name_of(&r)
                        )))
                    }
                }
            }
        }
        Ok(())
    }

    fn enter(&self) -> PyResult<()> {
        let vm = self.vm;
        let d = vm.recursion_depth.get() + 1;
        if d > vm.recursion_limit.get() {
            return Err(vm.new_recursion_error("maximum recursion depth exceeded while encoding a JSON object"));
        }
        vm.recursion_depth.set(d);
        Ok(())
    }

    fn leave(&self) {
        self.vm.recursion_depth.set(self.vm.recursion_depth.get().saturating_sub(1));
    }

    /// Registers `v` in the markers dict (circular reference check); returns its id key.
    fn mark(&self, v: &Value) -> PyResult<Option<Value>> {
        let Some(Value::Obj(m)) = Some(&self.e.markers).filter(|m| !m.is_none()) else { return Ok(None) };
        let id = self.vm.call1(&self.vm.getattr_str(&Value::Obj(self.vm.builtins.clone()), "id")?, &[v.clone()])?;
        if self.vm.dict_get(m, &id)?.is_some() {
            return Err(self.vm.new_value_error("Circular reference detected"));
        }
        self.vm.dict_set(m, id.clone(), v.clone())?;
        Ok(Some(id))
    }

    fn unmark(&self, id: Option<Value>) -> PyResult<()> {
        if let (Some(id), Value::Obj(m)) = (id, &self.e.markers) {
            self.vm.dict_remove(m, &id)?;
        }
        Ok(())
    }

    fn obj(&mut self, v: &Value) -> PyResult<()> {
        let vm = self.vm;
        match v {
            Value::None => self.out.push_str("null"),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Int(_) => self.int(v)?,
            Value::Float(f) => self.float(*f)?,
            _ => {
                let p = v.payload().map(|p| p.base());
                match p {
                    Some(Payload::Str(s)) => self.string(v, s.as_str())?,
                    Some(Payload::Int(_)) if vm.isinstance_type(v, &vm.types.int) => self.int(v)?,
                    Some(Payload::Float(f)) if vm.isinstance_type(v, &vm.types.float) => self.float(*f)?,
                    Some(Payload::List(_)) | Some(Payload::Tuple(_)) => {
                        self.enter()?;
                        let r = self.list(v);
                        self.leave();
                        r?
                    }
                    Some(Payload::Dict(_)) => {
                        self.enter()?;
                        let r = self.dict(v);
                        self.leave();
                        r?
                    }
                    _ => {
                        let id = self.mark(v)?;
                        let newobj = vm.call1(&self.e.default, &[v.clone()])?;
                        self.enter()?;
                        let r = self.obj(&newobj);
                        self.leave();
                        r?;
                        self.unmark(id)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn list(&mut self, v: &Value) -> PyResult<()> {
        // Item `i`, read afresh each time as CPython's encoder does: a list
        // shortened while it is encoded (by a `default` hook) ends early.
        let item = |i: usize| -> Option<Value> {
            let p = v.payload()?;
            match p.as_tuple() {
                Some(t) => t.get(i).cloned(),
                None => p.as_list()?.borrow().get(i).cloned(),
            }
        };
        if item(0).is_none() {
            self.out.push_str("[]");
            return Ok(());
        }
        let id = self.mark(v)?;
        self.out.push('[');
        let mut i = 0;
        while let Some(x) = item(i) {
            if i > 0 {
                self.out.push_str(&self.e.item_sep);
            }
            self.obj(&x)?;
            i += 1;
        }
        self.out.push(']');
        self.unmark(id)
    }

    fn dict(&mut self, v: &Value) -> PyResult<()> {
        let vm = self.vm;
        let Some(Value::Obj(d)) = Some(v) else { return Ok(()) };
        if vm.dict_len(d) == 0 {
            self.out.push_str("{}");
            return Ok(());
        }
        let id = self.mark(v)?;
        self.out.push('{');
        // PyMapping_Items: a subclass's own items() is honoured.
        let mut items: Vec<Value> = if vm.class_of(v).is(&vm.types.dict) {
            vm.dict_items(d).into_iter().map(|(k, x)| vm.new_tuple(vec![k, x])).collect()
        } else {
            let it = vm.call_method(v, "items", &[])?;
            vm.collect_iter(&it)?
        };
        if self.e.sort_keys {
            let l = vm.new_list(items);
            vm.list_sort(&l, None, false)?;
            items = vm.seq_items(&l).unwrap_or_default();
        }
        let mut first = true;
        for item in &items {
            let kv = vm.seq_items(item).filter(|t| t.len() == 2).ok_or_else(|| vm.new_value_error("items must return 2-tuples"))?;
            let (k, val) = (&kv[0], &kv[1]);
            let kstr: Value = match k {
                Value::None => vm.new_str("null"),
                Value::Bool(b) => vm.new_str(if *b { "true" } else { "false" }),
                _ if k.payload().and_then(|p| p.as_str()).is_some() => k.clone(),
                Value::Float(_) | Value::Int(_) => {
                    let mut sub = EncCtx { vm, e: self.e, out: String::new() };
                    sub.obj(k)?;
                    vm.new_str(sub.out)
                }
                _ if vm.isinstance_type(k, &vm.types.float) => {
                    let mut sub = EncCtx { vm, e: self.e, out: String::new() };
                    sub.float(krait_vm::types::float::float_of(k).unwrap_or(0.0))?;
                    vm.new_str(sub.out)
                }
                _ if vm.isinstance_type(k, &vm.types.int) => {
                    let mut sub = EncCtx { vm, e: self.e, out: String::new() };
                    sub.int(k)?;
                    vm.new_str(sub.out)
                }
                _ if self.e.skipkeys => continue,
                _ => {
                    return Err(vm.new_type_error(format!(
                        "keys must be str, int, float, bool or None, not {}",
                        vm.type_name_of(k)
                    )))
                }
            };
            if first {
                first = false;
            } else {
                self.out.push_str(&self.e.item_sep);
            }
            let ks = kstr.payload().and_then(|p| p.as_str()).map(|s| s.as_str().to_string()).unwrap_or_default();
            self.string(&kstr, &ks)?;
            self.out.push_str(&self.e.key_sep);
            self.obj(val)?;
        }
        self.out.push('}');
        self.unmark(id)
    }
}

fn encoder_call(vm: &Vm, args: Args) -> PyResult {
    let me = args.args.first().ok_or_else(|| vm.new_type_error("descriptor '__call__' needs an argument"))?;
    let e = encoder_of(vm, me, "__call__")?;
    let a = vm.bind_native(
        "_iterencode",
        Args { args: &args.args[1..], kwnames: args.kwnames },
        &["obj", "_current_indent_level"],
        0,
        2,
        None,
    )?;
    crate::native::ssize(vm, a[1].as_ref().unwrap_or(&Value::Int(0)))?;
    let mut ctx = EncCtx { vm, e, out: String::new() };
    ctx.obj(a[0].as_ref().unwrap_or(&Value::None))?;
    Ok(vm.new_tuple(vec![vm.new_str(ctx.out)]))
}

fn en_markers(vm: &Vm, v: &Value) -> PyResult {
    Ok(encoder_of(vm, v, "markers")?.markers.clone())
}
fn en_default(vm: &Vm, v: &Value) -> PyResult {
    Ok(encoder_of(vm, v, "default")?.default.clone())
}
fn en_encoder(vm: &Vm, v: &Value) -> PyResult {
    Ok(encoder_of(vm, v, "encoder")?.encoder.clone())
}
fn en_indent(vm: &Vm, v: &Value) -> PyResult {
    Ok(encoder_of(vm, v, "indent")?.indent.clone())
}
fn en_key_sep(vm: &Vm, v: &Value) -> PyResult {
    Ok(vm.new_str(encoder_of(vm, v, "key_separator")?.key_sep.clone()))
}
fn en_item_sep(vm: &Vm, v: &Value) -> PyResult {
    Ok(vm.new_str(encoder_of(vm, v, "item_separator")?.item_sep.clone()))
}
fn en_sort_keys(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Bool(encoder_of(vm, v, "sort_keys")?.sort_keys))
}
fn en_skipkeys(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Bool(encoder_of(vm, v, "skipkeys")?.skipkeys))
}

static ENCODER_METHODS: [NativeDef; 2] =
    [NativeDef::staticmethod("__new__", encoder_new), NativeDef::method("__call__", encoder_call)];

static ENCODER_GETSETS: [GetSetDef; 8] = [
    GetSetDef { name: "markers", get: en_markers, set: None, doc: "markers" },
    GetSetDef { name: "default", get: en_default, set: None, doc: "default" },
    GetSetDef { name: "encoder", get: en_encoder, set: None, doc: "encoder" },
    GetSetDef { name: "indent", get: en_indent, set: None, doc: "indent" },
    GetSetDef { name: "key_separator", get: en_key_sep, set: None, doc: "key_separator" },
    GetSetDef { name: "item_separator", get: en_item_sep, set: None, doc: "item_separator" },
    GetSetDef { name: "sort_keys", get: en_sort_keys, set: None, doc: "sort_keys" },
    GetSetDef { name: "skipkeys", get: en_skipkeys, set: None, doc: "skipkeys" },
];

static ENCODER: TypeSpec = TypeSpec {
    module: "_json",
    name: "Encoder",
    doc: "_iterencode(obj, _current_indent_level) -> iterable",
    layout: Layout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &ENCODER_METHODS,
    more_methods: &[],
    getsets: &ENCODER_GETSETS,
};

static FUNCS: [NativeDef; 3] = [
    NativeDef::function("encode_basestring_ascii", encode_basestring_ascii),
    NativeDef::function("encode_basestring", encode_basestring),
    NativeDef::function("scanstring", py_scanstring),
];

/// Creates the `_json` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let scanner = Value::Obj(native_type(vm, &SCANNER));
    let encoder = Value::Obj(native_type(vm, &ENCODER));
    Ok(crate::native::make_module(
        vm,
        "_json",
        "json speedups\n",
        &FUNCS,
        vec![("make_scanner", scanner), ("make_encoder", encoder)],
    ))
}
