//! Unit tests of str / bytes / bytearray methods, formatting and codecs.
//! Expected values come from CPython 3.11.

use crate::payload::Payload;
use crate::types::bytes::new_bytearray;
use crate::value::Value;
use crate::{PyResult, Vm};

fn vm() -> Box<Vm> {
    Vm::new(Default::default())
}

fn st(vm: &Vm, s: &str) -> Value {
    vm.new_str(s)
}

fn text(v: &Value) -> String {
    v.payload().and_then(|p| p.as_str()).map(|s| s.as_str().to_string()).unwrap_or_else(|| format!("<{v:?}>"))
}

fn raw(v: &Value) -> Vec<u8> {
    crate::types::str_methods::bytes_like(v).unwrap_or_default()
}

/// "TypeError: message" for an error, the str value's text otherwise.
fn show(vm: &Vm, r: PyResult) -> String {
    match r {
        Ok(v) => match v.payload().map(|p| p.base()) {
            Some(Payload::Str(s)) => s.as_str().to_string(),
            Some(Payload::Bytes(_)) | Some(Payload::ByteArray(_)) => crate::types::bytes::bytes_repr(&raw(&v)),
            Some(Payload::List(_)) | Some(Payload::Tuple(_)) => {
                let items = vm.seq_items(&v).unwrap_or_default();
                let parts: Vec<String> = items.iter().map(|x| show(vm, Ok(x.clone()))).collect();
                format!("[{}]", parts.join(", "))
            }
            _ => format!("{v:?}"),
        },
        Err(e) => {
            let args = e.payload.as_exception().and_then(|d| d.args.get());
            let first = args.as_ref().and_then(|a| vm.seq_items(a)).and_then(|a| a.first().cloned());
            let msg = first.map(|m| text(&m)).unwrap_or_default();
            format!("{}: {}", vm.type_name(e.class()), msg)
        }
    }
}

fn m(vm: &Vm, obj: &Value, name: &str, args: &[Value]) -> String {
    show(vm, vm.call_method(obj, name, args))
}

#[test]
fn str_basic_methods() {
    let vm = vm();
    let v = &*vm;
    assert_eq!(m(v, &st(v, "hello world"), "title", &[]), "Hello World");
    assert_eq!(m(v, &st(v, "ß"), "upper", &[]), "SS");
    assert_eq!(m(v, &st(v, "ΑΣ Α"), "lower", &[]), "ας α");
    assert_eq!(m(v, &st(v, "a,b,,c"), "split", &[st(v, ","), Value::Int(2)]), "[a, b, ,c]");
    assert_eq!(m(v, &st(v, "a,b,,c"), "rsplit", &[st(v, ","), Value::Int(2)]), "[a,b, , c]");
    assert_eq!(m(v, &st(v, "  a b  c "), "rsplit", &[Value::None, Value::Int(1)]), "[  a b, c]");
    assert_eq!(m(v, &st(v, " a "), "split", &[Value::None, Value::Int(0)]), "[a ]");
    assert_eq!(m(v, &st(v, "aaa"), "rsplit", &[st(v, "aa")]), "[a, ]");
    assert_eq!(m(v, &st(v, "a\u{1c}b\u{85}c\u{2028}d\r\ne"), "splitlines", &[]), "[a, b, c, d, e]");
    assert_eq!(m(v, &st(v, "abc"), "center", &[Value::Int(8), st(v, "*")]), "**abc***");
    assert_eq!(m(v, &st(v, "ab"), "center", &[Value::Int(5), st(v, "*")]), "**ab*");
    assert_eq!(m(v, &st(v, "-12"), "zfill", &[Value::Int(6)]), "-00012");
    assert_eq!(m(v, &st(v, "xyz"), "replace", &[st(v, ""), st(v, "-"), Value::Int(2)]), "-x-yz");
    assert_eq!(m(v, &st(v, "a\tb\n\tc"), "expandtabs", &[Value::Int(4)]), "a   b\n    c");
    assert_eq!(m(v, &st(v, "aéaé"), "find", &[st(v, "é"), Value::Int(2)]), "3");
    assert_eq!(m(v, &st(v, "aéaé"), "rindex", &[st(v, "é"), Value::Int(0), Value::Int(3)]), "1");
    assert_eq!(m(v, &st(v, "ab"), "count", &[st(v, ""), Value::Int(1)]), "2");
    assert_eq!(m(v, &st(v, "ab"), "find", &[st(v, ""), Value::Int(10)]), "-1");
    assert_eq!(m(v, &st(v, "a"), "index", &[st(v, "b")]), "ValueError: substring not found");
    assert_eq!(m(v, &st(v, "a"), "join", &[v.new_list(vec![st(v, "x"), Value::Int(1)])]), "TypeError: sequence item 1: expected str instance, int found");
    assert_eq!(m(v, &st(v, "a"), "center", &[Value::Int(5), st(v, "ab")]), "TypeError: The fill character must be exactly one character long");
    assert_eq!(m(v, &st(v, "a"), "split", &[st(v, "")]), "ValueError: empty separator");
    assert_eq!(m(v, &st(v, "a"), "startswith", &[Value::Int(1)]), "TypeError: startswith first arg must be str or a tuple of str, not int");
    assert_eq!(m(v, &st(v, "a"), "upper", &[Value::Int(1)]), "TypeError: str.upper() takes no arguments (1 given)");
    assert_eq!(m(v, &st(v, "a"), "center", &[]), "TypeError: center expected at least 1 argument, got 0");
    assert_eq!(m(v, &st(v, "a"), "find", &[]), "TypeError: find() takes at least 1 argument (0 given)");
    assert_eq!(m(v, &st(v, "abc"), "strip", &[st(v, "ac")]), "b");
    assert_eq!(m(v, &st(v, "abcb"), "rpartition", &[st(v, "b")]), "[abc, b, ]");
}

#[test]
fn str_dunders() {
    let vm = vm();
    let v = &*vm;
    let abc = st(v, "abcdefgh");
    let sl = v.new_slice(Value::Int(-3), Value::Int(-100), Value::Int(-2));
    assert_eq!(m(v, &abc, "__getitem__", &[sl]), "fdb");
    assert_eq!(m(v, &st(v, "a"), "__getitem__", &[Value::Int(5)]), "IndexError: string index out of range");
    assert_eq!(m(v, &st(v, "a"), "__add__", &[Value::Int(1)]), "TypeError: can only concatenate str (not \"int\") to str");
    assert_eq!(m(v, &st(v, "a"), "__mul__", &[Value::Float(1.5)]), "TypeError: can't multiply sequence by non-int of type 'float'");
    assert_eq!(m(v, &st(v, "ab"), "__mul__", &[Value::Int(1 << 62)]), "OverflowError: repeated string is too long");
    assert_eq!(m(v, &st(v, "a"), "__mul__", &[Value::Int(1_000_000_000_000)]), "MemoryError: ");
    assert_eq!(m(v, &st(v, "ab"), "__rmul__", &[Value::Int(3)]), "ababab");
    assert_eq!(m(v, &st(v, "a'b"), "__repr__", &[]), "\"a'b\"");
    // Two UTF-8 bytes for the one character, one for an ASCII one.
    let size = |s: &str| m(v, &st(v, s), "__sizeof__", &[]).parse::<i64>().unwrap();
    assert_eq!(size("\u{e9}") - size("a"), 1);
    assert_eq!(m(v, &st(v, "abc"), "__contains__", &[Value::Int(1)]), "TypeError: 'in <string>' requires string as left operand, not int");
}

#[test]
fn str_format_method() {
    let vm = vm();
    let v = &*vm;
    let f = |fmt: &str, args: &[Value]| m(v, &st(v, fmt), "format", args);
    assert_eq!(f("{0!r:>10}", &[st(v, "x")]), "       'x'");
    assert_eq!(f("{{}} {{{0}}}", &[Value::Int(7)]), "{} {7}");
    assert_eq!(f("{:*^9}", &[st(v, "abc")]), "***abc***");
    assert_eq!(f("{:10.3}|", &[st(v, "abcdef")]), "abc       |");
    assert_eq!(f("{0:>{1}}", &[st(v, "x"), Value::Int(5)]), "    x");
    assert_eq!(f("{!a}", &[st(v, "é")]), "'\\xe9'");
    assert_eq!(f("{0[1]}", &[st(v, "abc")]), "b");
    assert_eq!(f("}", &[]), "ValueError: Single '}' encountered in format string");
    assert_eq!(f("{", &[]), "ValueError: Single '{' encountered in format string");
    assert_eq!(f("{0}{}", &[Value::Int(1), Value::Int(2)]), "ValueError: cannot switch from manual field specification to automatic field numbering");
    assert_eq!(f("{1}", &[Value::Int(1)]), "IndexError: Replacement index 1 out of range for positional args tuple");
    assert_eq!(f("{a}", &[]), "KeyError: a");
    assert_eq!(f("{:{:{}}}", &[Value::Int(1), Value::Int(2), Value::Int(3)]), "ValueError: Max string recursion exceeded");
    assert_eq!(f("{0!}", &[Value::Int(1)]), "ValueError: unmatched '{' in format spec");
    assert_eq!(f("{0[}", &[Value::Int(1)]), "ValueError: expected '}' before end of string");
    assert_eq!(f("{0.}", &[Value::Int(1)]), "ValueError: Empty attribute in format string");
    assert_eq!(f("{!x}", &[Value::Int(1)]), "ValueError: Unknown conversion specifier x");
    assert_eq!(f("{:=10}", &[st(v, "x")]), "ValueError: '=' alignment not allowed in string format specifier");
    assert_eq!(f("{:d}", &[st(v, "x")]), "ValueError: Unknown format code 'd' for object of type 'str'");
}

#[test]
fn str_percent_format() {
    let vm = vm();
    let v = &*vm;
    let p = |fmt: &str, a: Value| m(v, &st(v, fmt), "__mod__", &[a]);
    let tup = |items: Vec<Value>| v.new_tuple(items);
    assert_eq!(p("%5.2s|", st(v, "abc")), "   ab|");
    assert_eq!(p("%-5c|", st(v, "x")), "x    |");
    assert_eq!(p("%#x %#o %#X", tup(vec![Value::Int(255), Value::Int(8), Value::Int(255)])), "0xff 0o10 0XFF");
    assert_eq!(p("%05d %+d % d", tup(vec![Value::Int(-3), Value::Int(3), Value::Int(3)])), "-0003 +3  3");
    assert_eq!(p("%.*f", tup(vec![Value::Int(2), Value::Float(1.5)])), "1.50");
    assert_eq!(p("%*s|", tup(vec![Value::Int(-3), st(v, "a")])), "a  |");
    assert_eq!(p("%d", Value::Float(3.99)), "3");
    assert_eq!(p("%a %r", tup(vec![st(v, "é"), st(v, "é")])), "'\\xe9' 'é'");
    assert_eq!(p("%d", st(v, "x")), "TypeError: %d format: a real number is required, not str");
    assert_eq!(p("%x", Value::Float(1.5)), "TypeError: %x format: an integer is required, not float");
    assert_eq!(p("%y", Value::Int(1)), "ValueError: unsupported format character 'y' (0x79) at index 1");
    assert_eq!(p("%s %s", tup(vec![Value::Int(1)])), "TypeError: not enough arguments for format string");
    assert_eq!(p("%s", tup(vec![Value::Int(1), Value::Int(2)])), "TypeError: not all arguments converted during string formatting");
    assert_eq!(p("%(a)s", Value::Int(1)), "TypeError: format requires a mapping");
    assert_eq!(p("%c", Value::Int(-1)), "OverflowError: %c arg not in range(0x110000)");
    assert_eq!(p("%", tup(vec![])), "ValueError: incomplete format");
    assert_eq!(p("a", Value::Int(5)), "TypeError: not all arguments converted during string formatting");
    assert_eq!(p("%s%%", Value::Int(5)), "5%");
}

#[test]
fn codecs() {
    let vm = vm();
    let v = &*vm;
    assert_eq!(m(v, &st(v, "é"), "encode", &[st(v, "ascii")]), "UnicodeEncodeError: ascii");
    assert_eq!(m(v, &st(v, "é\u{1234}\u{1F600}"), "encode", &[st(v, "ascii"), st(v, "backslashreplace")]), "b'\\\\xe9\\\\u1234\\\\U0001f600'");
    assert_eq!(m(v, &st(v, "é"), "encode", &[st(v, "latin-1"), st(v, "xmlcharrefreplace")]), "b'\\xe9'");
    assert_eq!(m(v, &st(v, "é"), "encode", &[st(v, "ascii"), st(v, "xmlcharrefreplace")]), "b'&#233;'");
    assert_eq!(m(v, &st(v, "a"), "encode", &[st(v, "foo")]), "LookupError: unknown encoding: foo");
    assert_eq!(m(v, &st(v, "a\u{1234}"), "encode", &[st(v, "utf-16")]), "b'\\xff\\xfea\\x004\\x12'");
    let bad = v.new_bytes(b"a\xffb\xe2\x82".to_vec());
    assert_eq!(m(v, &bad, "decode", &[st(v, "utf-8"), st(v, "backslashreplace")]), "a\\xffb\\xe2\\x82");
    assert_eq!(m(v, &bad, "decode", &[st(v, "utf-8"), st(v, "replace")]), "a\u{fffd}b\u{fffd}");
    let e = crate::types::str_codecs::decode(v, &bad, b"\xe2\x82x", "utf-8", "strict").unwrap_err();
    let args = v.seq_items(&e.payload.as_exception().unwrap().args.get().unwrap()).unwrap();
    assert_eq!(text(&args[4]), "invalid continuation byte");
    assert_eq!(v.str_string(&Value::Obj(e)).unwrap(), "'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte");
    let e = crate::types::str_codecs::encode(v, &st(v, "éé"), "éé", "ascii", "strict").unwrap_err();
    assert_eq!(v.str_string(&Value::Obj(e)).unwrap(), "'ascii' codec can't encode characters in position 0-1: ordinal not in range(128)");
    let e = crate::types::str_codecs::encode(v, &st(v, "a\u{1234}"), "a\u{1234}", "latin1", "strict").unwrap_err();
    assert_eq!(v.str_string(&Value::Obj(e)).unwrap(), "'latin-1' codec can't encode character '\\u1234' in position 1: ordinal not in range(256)");
    assert!(matches!((&args[2], &args[3]), (Value::Int(0), Value::Int(2))));
}

#[test]
fn bytes_methods() {
    let vm = vm();
    let v = &*vm;
    let b = |s: &[u8]| v.new_bytes(s.to_vec());
    assert_eq!(m(v, &b(b"\x00\n'\"\\\x7f\x80"), "__repr__", &[]), "b'\\x00\\n\\'\"\\\\\\x7f\\x80'");
    assert_eq!(m(v, &b(b"'"), "__repr__", &[]), "b\"'\"");
    assert_eq!(m(v, &b(b"abcdef"), "hex", &[st(v, ":"), Value::Int(-4)]), "61626364:6566");
    assert_eq!(m(v, &b(b"abcdef"), "hex", &[st(v, ":"), Value::Int(2)]), "6162:6364:6566");
    assert_eq!(m(v, &b(b"abc"), "find", &[Value::Int(98)]), "1");
    assert_eq!(m(v, &b(b"abc"), "find", &[st(v, "b")]), "TypeError: argument should be integer or bytes-like object, not 'str'");
    assert_eq!(m(v, &b(b" a b "), "split", &[]), "[b'a', b'b']");
    assert_eq!(m(v, &b(b"a\rb\nc\r\n"), "splitlines", &[Value::Bool(true)]), "[b'a\\r', b'b\\n', b'c\\r\\n']");
    assert_eq!(m(v, &b(b"x"), "center", &[Value::Int(4), b(b"-")]), "b'-x--'");
    assert_eq!(m(v, &b(b"abc"), "replace", &[b(b""), b(b"-")]), "b'-a-b-c-'");
    assert_eq!(m(v, &b(b"Hello wORLD"), "title", &[]), "b'Hello World'");
    assert_eq!(m(v, &b(b"a"), "__add__", &[st(v, "a")]), "TypeError: can't concat str to bytes");
    assert_eq!(m(v, &b(b"a"), "__getitem__", &[Value::Int(5)]), "IndexError: index out of range");
    assert_eq!(m(v, &b(b"abc"), "__getitem__", &[Value::Int(-1)]), "99");
    let pct = v.new_tuple(vec![b(b"x"), Value::Int(5), Value::Int(255), st(v, "é"), b(b"y"), Value::Int(65), b(b"z")]);
    assert_eq!(m(v, &b(b"%s %d %x %r %a %c %c"), "__mod__", &[pct]), "b\"x 5 ff '\\\\xe9' b'y' A z\"");
    assert_eq!(m(v, &b(b"%s"), "__mod__", &[Value::Int(5)]), "TypeError: %b requires a bytes-like object, or an object that implements __bytes__, not 'int'");
    let h1 = v.hash(&b(b"abc")).unwrap();
    let h2 = v.hash(&st(v, "abc")).unwrap();
    assert_eq!(h1, h2);
    let ba = new_bytearray(v, b"abc".to_vec());
    assert_eq!(m(v, &b(b"abc"), "__eq__", &[ba.clone()]), "True");
    assert_eq!(m(v, &ba, "__lt__", &[b(b"abd")]), "True");
}

#[test]
fn bytes_construction() {
    let vm = vm();
    let v = &*vm;
    let bytes_t = Value::Obj(v.types.bytes.clone());
    let c = |args: &[Value]| show(v, v.call(&bytes_t, crate::Args::new(args)));
    assert_eq!(c(&[st(v, "a")]), "TypeError: string argument without an encoding");
    assert_eq!(c(&[Value::Int(3)]), "b'\\x00\\x00\\x00'");
    assert_eq!(c(&[Value::Int(-1)]), "ValueError: negative count");
    assert_eq!(c(&[v.new_list(vec![Value::Int(256)])]), "ValueError: bytes must be in range(0, 256)");
    assert_eq!(c(&[Value::Float(1.5)]), "TypeError: cannot convert 'float' object to bytes");
    assert_eq!(c(&[st(v, "é"), st(v, "utf-8")]), "b'\\xc3\\xa9'");
    let fromhex = v.getattr_str(&bytes_t, "fromhex").unwrap();
    assert_eq!(show(v, v.call(&fromhex, crate::Args::new(&[st(v, " 61 62 ")]))), "b'ab'");
    assert_eq!(show(v, v.call(&fromhex, crate::Args::new(&[st(v, "6g")]))), "ValueError: non-hexadecimal number found in fromhex() arg at position 1");
}

#[test]
fn bytearray_mutation() {
    let vm = vm();
    let v = &*vm;
    let ba = new_bytearray(v, b"abc".to_vec());
    let sl = |a: Value, b: Value, c: Value| v.new_slice(a, b, c);
    m(v, &ba, "__setitem__", &[sl(Value::Int(1), Value::Int(2), Value::None), v.new_bytes(b"xyz".to_vec())]);
    assert_eq!(raw(&ba), b"axyzc");
    assert_eq!(
        m(v, &ba, "__setitem__", &[sl(Value::None, Value::None, Value::Int(2)), v.new_bytes(b"xy".to_vec())]),
        "ValueError: attempt to assign bytes of size 2 to extended slice of size 3"
    );
    m(v, &ba, "__delitem__", &[sl(Value::None, Value::None, Value::Int(2))]);
    assert_eq!(raw(&ba), b"xz");
    m(v, &ba, "append", &[Value::Int(65)]);
    m(v, &ba, "insert", &[Value::Int(-10), Value::Int(66)]);
    assert_eq!(raw(&ba), b"BxzA");
    assert_eq!(m(v, &ba, "append", &[Value::Int(300)]), "ValueError: byte must be in range(0, 256)");
    assert_eq!(m(v, &ba, "pop", &[]), "65");
    assert_eq!(m(v, &ba, "remove", &[Value::Int(5)]), "ValueError: value not found in bytearray");
    assert_eq!(m(v, &ba, "extend", &[Value::Int(5)]), "TypeError: can't extend bytearray with int");
    m(v, &ba, "__iadd__", &[v.new_bytes(b"q".to_vec())]);
    m(v, &ba, "__imul__", &[Value::Int(2)]);
    assert_eq!(raw(&ba), b"BxzqBxzq");
    assert_eq!(m(v, &ba, "upper", &[]), "b'BXZQBXZQ'");
    assert_eq!(m(v, &ba, "__repr__", &[]), "bytearray(b'BxzqBxzq')");
    assert!(v.hash(&ba).is_err());
}

#[test]
fn format_value_and_repeat() {
    let vm = vm();
    let v = &*vm;
    let fv = |x: Value, spec: &str| show(v, v.format_value(&x, spec).map(Value::Obj));
    assert_eq!(fv(Value::Float(1234.5), ",.2f"), "1,234.50");
    assert_eq!(fv(Value::Int(255), "#x"), "0xff");
    assert_eq!(fv(Value::Bool(true), ""), "True");
    assert_eq!(fv(st(v, "ab"), "^6"), "  ab  ");
    assert_eq!(fv(Value::None, "x"), "TypeError: unsupported format string passed to NoneType.__format__");
    let b = v.new_bytes(b"ab".to_vec());
    assert_eq!(m(v, &b, "__mul__", &[Value::Int(1 << 62)]), "OverflowError: repeated bytes are too long");
    let ba = new_bytearray(v, b"ab".to_vec());
    assert_eq!(m(v, &ba, "__mul__", &[Value::Int(1 << 62)]), "MemoryError: ");
    assert_eq!(m(v, &b, "join", &[Value::Int(5)]), "TypeError: can only join an iterable");
    assert_eq!(m(v, &b, "__mul__", &[Value::Int(3)]), "b'ababab'");
    assert_eq!(m(v, &st(v, "a"), "join", &[Value::Int(5)]), "TypeError: can only join an iterable");
    assert_eq!(m(v, &st(v, "{0[a]}"), "format_map", &[v.new_list(vec![])]), "ValueError: Format string contains positional fields");
}
