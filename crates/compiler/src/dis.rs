//! A disassembler printing code objects in the layout of CPython's `dis`.
//!
//! Offsets are printed as CPython does, in bytes (2 per instruction word), so
//! jump targets read like CPython's; the instruction index is `offset / 2`.

use crate::bytecode::{ArgKind, BinOp, CmpOp, Opcode};
use crate::code::{CodeObject, Constant};
use std::fmt::Write;

/// Python's repr of a constant (approximate for floats in exotic ranges).
pub fn const_repr(c: &Constant) -> String {
    match c {
        Constant::None => "None".into(),
        Constant::Bool(true) => "True".into(),
        Constant::Bool(false) => "False".into(),
        Constant::Int(i) => i.to_string(),
        Constant::Float(f) => float_repr(*f),
        Constant::Complex { re, im } => {
            if *re == 0.0 && re.is_sign_positive() {
                format!("{}j", float_short(*im))
            } else {
                let sign = if *im < 0.0 || (*im == 0.0 && im.is_sign_negative()) { "-" } else { "+" };
                format!("({}{}{}j)", float_short(*re), sign, float_short(im.abs()))
            }
        }
        Constant::Str(s) => str_repr(s),
        // krait's own disassembly: surrogates show as U+FFFD (docs/differences.md).
        Constant::SurrogateStr { text, .. } => str_repr(text),
        Constant::Bytes(b) => bytes_repr(b),
        Constant::Tuple(t) => {
            let items: Vec<String> = t.iter().map(const_repr).collect();
            if items.len() == 1 {
                format!("({},)", items[0])
            } else {
                format!("({})", items.join(", "))
            }
        }
        Constant::FrozenSet(t) => {
            let items: Vec<String> = t.iter().map(const_repr).collect();
            format!("frozenset({{{}}})", items.join(", "))
        }
        Constant::Ellipsis => "Ellipsis".into(),
        Constant::Code(co) => format!("<code object {} at 0x0, file \"{}\", line {}>", co.name, co.filename, co.firstlineno),
    }
}

fn float_short(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if f == f.trunc() && f.abs() < 1e16 {
        return format!("{}", f as i64).replace("-0", if f.is_sign_negative() && f == 0.0 { "-0" } else { "-0" });
    }
    float_repr(f)
}

fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let s = format!("{f:?}");
    if s.contains('e') {
        // Rust: 1e16 / 1e-5; Python: 1e+16 / 1e-05
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let (sign, digits) = if let Some(d) = e.strip_prefix('-') { ('-', d) } else { ('+', e) };
        let m = m.strip_suffix(".0").unwrap_or(m);
        return format!("{m}e{sign}{digits:0>2}");
    }
    s
}

pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::new();
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

fn bytes_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') { '"' } else { '\'' };
    let mut out = String::from("b");
    out.push(quote);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if c as char == quote => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => {
                let _ = write!(out, "\\x{c:02x}");
            }
        }
    }
    out.push(quote);
    out
}

/// The argument description dis prints in parentheses.
fn arg_repr(co: &CodeObject, op: Opcode, arg: u32) -> String {
    let name = |i: u32| co.names.get(i as usize).cloned().unwrap_or_else(|| format!("<name {i}>"));
    match op {
        Opcode::LoadGlobal => {
            let n = name(arg >> 1);
            if arg & 1 == 1 {
                format!("{n} + NULL")
            } else {
                n
            }
        }
        Opcode::FormatValue => {
            let conv = ["", "str", "repr", "ascii"][(arg & 3) as usize];
            let spec = if arg & 4 != 0 { "with format" } else { "" };
            [conv, spec].iter().filter(|s| !s.is_empty()).cloned().collect::<Vec<_>>().join(", ")
        }
        Opcode::IsOp => if arg == 1 { "is not".into() } else { "is".into() },
        Opcode::ContainsOp => if arg == 1 { "not in".into() } else { "in".into() },
        Opcode::MakeFunction => {
            let mut parts = Vec::new();
            for (bit, s) in [(1, "defaults"), (2, "kwdefaults"), (4, "annotations"), (8, "closure")] {
                if arg & bit != 0 {
                    parts.push(s);
                }
            }
            parts.join(", ")
        }
        _ => match op.arg_kind() {
            ArgKind::None | ArgKind::Num => String::new(),
            ArgKind::Const => co.consts.get(arg as usize).map(const_repr).unwrap_or_default(),
            ArgKind::Name => name(arg),
            ArgKind::Local => co.varnames.get(arg as usize).cloned().unwrap_or_default(),
            ArgKind::Deref => co
                .cellvars
                .iter()
                .chain(co.freevars.iter())
                .nth(arg as usize)
                .cloned()
                .unwrap_or_default(),
            ArgKind::Jump => format!("to {}", arg * 2),
            ArgKind::BinOp => BinOp::from_u32(arg).map(|b| b.symbol().to_string()).unwrap_or_default(),
            ArgKind::Cmp => CmpOp::from_u32(arg).map(|c| c.symbol().to_string()).unwrap_or_default(),
        },
    }
}

/// Disassembles one code object (not its nested ones).
pub fn disassemble(co: &CodeObject) -> String {
    let mut out = String::new();
    let targets: std::collections::HashSet<u32> = co
        .code
        .iter()
        .filter(|i| i.op_byte() != Opcode::ExtendedArg as u8 && Opcode::from_u8(i.op_byte()).map(|o| o.is_jump()).unwrap_or(false))
        .map(|i| i.arg())
        .chain(co.exception_table.iter().map(|e| e.handler))
        .collect();
    let maxline = co.positions.iter().map(|p| p.line).max().unwrap_or(0).max(co.firstlineno);
    let width = maxline.to_string().len().max(3);
    let mut last_line = 0u32;
    let mut ext: u32 = 0;
    for (i, ins) in co.code.iter().enumerate() {
        let Some(op) = Opcode::from_u8(ins.op_byte()) else {
            let _ = writeln!(out, "{:>w$} <invalid opcode {}>", "", ins.op_byte(), w = width);
            continue;
        };
        let arg = ins.arg() | (ext << 24);
        ext = if op == Opcode::ExtendedArg { arg } else { 0 };
        let line = co.positions.get(i).map(|p| p.line).unwrap_or(0);
        let line_field = if line != 0 && line != last_line {
            if i > 0 {
                out.push('\n');
            }
            last_line = line;
            format!("{line:>width$}")
        } else {
            " ".repeat(width)
        };
        let mark = if targets.contains(&(i as u32)) { ">>" } else { "  " };
        let mut text = format!("{line_field}     {mark} {:>4} {:<20}", i * 2, op.name());
        if op.arg_kind() != ArgKind::None || arg != 0 {
            let _ = write!(text, " {arg:>5}");
            let r = arg_repr(co, op, arg);
            if !r.is_empty() {
                let _ = write!(text, " ({r})");
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
    if !co.exception_table.is_empty() {
        out.push_str("ExceptionTable:\n");
        for e in &co.exception_table {
            let _ = writeln!(
                out,
                "  {} to {} -> {} [{}]{}",
                e.start * 2,
                e.end.saturating_sub(1) * 2,
                e.handler * 2,
                e.depth,
                if e.lasti { " lasti" } else { "" }
            );
        }
    }
    out
}

/// Disassembles a code object and, after it, every code object among its constants.
pub fn dis_recursive(co: &CodeObject) -> String {
    let mut out = disassemble(co);
    for c in &co.consts {
        if let Constant::Code(inner) = c {
            let _ = write!(out, "\nDisassembly of {}:\n", const_repr(c));
            out.push_str(&dis_recursive(inner));
        }
    }
    out
}
