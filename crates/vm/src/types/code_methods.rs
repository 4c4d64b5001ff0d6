//! The introspection side of `code` objects that tools such as `dis`,
//! `inspect` and `traceback` use: `co_lines()`, `co_positions()`,
//! `co_linetable`, `co_lnotab`, `co_exceptiontable`, `_varname_from_oparg`
//! and `replace()`.
//!
//! krait's instructions are 32-bit words, not CPython's bytecode. Offsets are
//! reported as CPython's (2 bytes per instruction, as `tb_lasti` does), and
//! `co_code` is a rendering in CPython 3.11's opcode numbers so `dis` can walk
//! it: an instruction with a same-named CPython opcode that has no inline
//! caches and whose operand is valid there shows as that opcode; everything
//! else shows as NOP (a documented difference: the bytes cannot be executed).

use crate::payload::{GetSetDef, Payload};
use crate::types::code::PyCode;
use crate::types::function::{Args, NativeDef};
use crate::{PyRef, PyResult, Value, Vm};
use krait_compiler::bytecode::{ArgKind, Opcode};
use krait_compiler::code::{Constant, Position};
use krait_compiler::CodeObject;

fn code_of<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a PyCode> {
    v.payload().and_then(|p| p.as_code()).ok_or_else(|| {
        vm.new_type_error(format!("descriptor '{name}' for 'code' objects doesn't apply to a '{}' object", vm.type_name_of(v)))
    })
}

fn self_code<'a>(vm: &Vm, args: &Args<'a>, name: &str) -> PyResult<&'a PyCode> {
    let me = args.args.first().ok_or_else(|| vm.new_type_error(format!("descriptor '{name}' of 'code' object needs an argument")))?;
    code_of(vm, me, name)
}

fn opt(v: u32) -> Value {
    if v == 0 {
        Value::None
    } else {
        Value::Int(v as i64)
    }
}

/// `(start, end, line)` ranges in byte offsets, runs of one line merged.
fn line_ranges(code: &CodeObject) -> Vec<(usize, usize, u32)> {
    let mut out: Vec<(usize, usize, u32)> = Vec::new();
    for (i, p) in code.positions.iter().enumerate() {
        let line = p.line;
        match out.last_mut() {
            Some(last) if last.2 == line => last.1 = 2 * i + 2,
            _ => out.push((2 * i, 2 * i + 2, line)),
        }
    }
    out
}

fn co_lines(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("co_lines", args, 1, 1)?;
    let pc = self_code(vm, &args, "co_lines")?;
    let items: Vec<Value> = line_ranges(&pc.code)
        .into_iter()
        .map(|(s, e, l)| vm.new_tuple(vec![Value::Int(s as i64), Value::Int(e as i64), opt(l)]))
        .collect();
    vm.iter(&vm.new_list(items))
}

fn co_positions(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("co_positions", args, 1, 1)?;
    let pc = self_code(vm, &args, "co_positions")?;
    let items: Vec<Value> = pc
        .code
        .positions
        .iter()
        .map(|p| {
            if p.line == 0 {
                vm.new_tuple(vec![Value::None; 4])
            } else {
                // Columns are real even when 0; only a missing line hides them.
                let has_cols = !(p.col == 0 && p.end_col == 0 && p.end_line == 0);
                let col = |c: u32| if has_cols { Value::Int(c as i64) } else { Value::None };
                vm.new_tuple(vec![Value::Int(p.line as i64), opt(p.end_line), col(p.col), col(p.end_col)])
            }
        })
        .collect();
    vm.iter(&vm.new_list(items))
}

/// CPython's 6-bit little-endian varint of the location table.
fn push_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 64 {
        out.push(0x40 | (v & 63) as u8);
        v >>= 6;
    }
    out.push(v as u8);
}

fn push_svarint(out: &mut Vec<u8>, v: i64) {
    let z = if v < 0 { ((-v) as u32) << 1 | 1 } else { (v as u32) << 1 };
    push_varint(out, z);
}

/// The 3.11 location table, one long-form (or "no location") entry per instruction.
fn linetable(code: &CodeObject) -> Vec<u8> {
    let mut out = Vec::new();
    let mut prev = code.firstlineno as i64;
    for p in &code.positions {
        let Position { line, end_line, col, end_col } = *p;
        if line == 0 {
            out.push(0x80 | (15 << 3));
            continue;
        }
        out.push(0x80 | (14 << 3));
        push_svarint(&mut out, line as i64 - prev);
        push_varint(&mut out, end_line.saturating_sub(line));
        push_varint(&mut out, col + 1);
        push_varint(&mut out, end_col + 1);
        prev = line as i64;
    }
    out
}

/// The pre-3.10 `co_lnotab`: (offset increment, line increment) byte pairs.
fn lnotab(code: &CodeObject) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut off, mut line) = (0usize, code.firstlineno as i64);
    for (start, _, l) in line_ranges(code) {
        if l == 0 {
            continue;
        }
        let mut doff = start - off;
        let mut dline = l as i64 - line;
        while doff > 255 {
            out.extend([255, 0]);
            doff -= 255;
        }
        while dline > 127 {
            out.extend([doff as u8, 127]);
            doff = 0;
            dline -= 127;
        }
        while dline < -128 {
            out.extend([doff as u8, (-128i8) as u8]);
            doff = 0;
            dline += 128;
        }
        if doff != 0 || dline != 0 {
            out.extend([doff as u8, dline as i8 as u8]);
        }
        off = start;
        line = l as i64;
    }
    out
}

/// CPython's exception table: big-endian 6-bit varints, bit 7 marking an entry's start.
fn exceptiontable(code: &CodeObject) -> Vec<u8> {
    fn item(out: &mut Vec<u8>, v: u32, start: bool) {
        let mut msb = if start { 0x80 } else { 0 };
        for shift in [24u32, 18, 12, 6] {
            if v >= 1 << shift {
                out.push((((v >> shift) & 63) as u8) | 0x40 | msb);
                msb = 0;
            }
        }
        out.push((v & 63) as u8 | msb);
    }
    let mut out = Vec::new();
    for e in &code.exception_table {
        item(&mut out, e.start, true);
        item(&mut out, e.end - e.start, false);
        item(&mut out, e.handler, false);
        item(&mut out, e.depth << 1 | e.lasti as u32, false);
    }
    out
}

/// CPython 3.11's number for a krait opcode of the same name that has no
/// inline caches (see the module comment).
fn cpython_op(op: Opcode) -> Option<u8> {
    use Opcode::*;
    Some(match op {
        Nop => 9,
        Resume => 151,
        PopTop => 1,
        Copy => 120,
        Swap => 99,
        PushNull => 2,
        LoadConst => 100,
        LoadFast => 124,
        StoreFast => 125,
        DeleteFast => 126,
        LoadDeref => 137,
        StoreDeref => 138,
        DeleteDeref => 139,
        LoadClosure => 136,
        StoreGlobal => 97,
        DeleteGlobal => 98,
        LoadName => 101,
        StoreName => 90,
        DeleteName => 91,
        DeleteAttr => 96,
        LoadBuildClass => 71,
        LoadAssertionError => 74,
        SetupAnnotations => 85,
        DeleteSubscr => 61,
        BuildSlice => 133,
        UnaryNegative => 11,
        UnaryPositive => 10,
        UnaryNot => 12,
        UnaryInvert => 15,
        IsOp => 117,
        ContainsOp => 118,
        BuildTuple => 102,
        BuildList => 103,
        BuildSet => 104,
        BuildMap => 105,
        BuildConstKeyMap => 156,
        BuildString => 157,
        ListAppend => 145,
        SetAdd => 146,
        MapAdd => 147,
        ListExtend => 162,
        SetUpdate => 163,
        DictUpdate => 165,
        DictMerge => 164,
        ListToTuple => 82,
        UnpackEx => 94,
        FormatValue => 155,
        GetIter => 68,
        GetYieldFromIter => 69,
        KwNames => 172,
        CallFunctionEx => 142,
        MakeFunction => 132,
        ReturnValue => 83,
        YieldValue => 86,
        GetAwaitable => 131,
        EndAsyncFor => 54,
        ReturnGenerator => 75,
        ImportName => 108,
        ImportFrom => 109,
        ImportStar => 84,
        RaiseVarargs => 130,
        Reraise => 119,
        PushExcInfo => 35,
        PopExcept => 89,
        CheckExcMatch => 36,
        CheckEgMatch => 37,
        PrepReraiseStar => 88,
        WithExceptStart => 49,
        BeforeWith => 53,
        BeforeAsyncWith => 52,
        MatchMapping => 31,
        MatchSequence => 32,
        MatchKeys => 33,
        MatchClass => 152,
        GetLen => 30,
        PrintExpr => 70,
        AsyncGenWrap => 87,
        _ => return None,
    })
}

/// `co_code`: 2 bytes per instruction (see the module comment).
fn display_code(code: &CodeObject) -> Vec<u8> {
    let nlocals = code.varnames.len();
    let nderef = code.cellvars.len() + code.freevars.len();
    let mut out = Vec::with_capacity(code.code.len() * 2);
    for ins in &code.code {
        let op = ins.op();
        let arg = ins.arg();
        let shown = cpython_op(op).and_then(|c| {
            // Operands that index a table must be valid there and fit a byte
            // (no EXTENDED_ARG: one unit per instruction keeps the offsets).
            let a = match op.arg_kind() {
                ArgKind::Const => (arg < code.consts.len() as u32).then_some(arg),
                ArgKind::Name => (arg < code.names.len() as u32).then_some(arg),
                ArgKind::Local => (arg < nlocals as u32).then_some(arg),
                // CPython numbers cells after the locals.
                ArgKind::Deref => (arg < nderef as u32).then_some(arg + nlocals as u32),
                _ => Some(arg),
            }?;
            (a <= 255).then_some((c, a as u8))
        });
        match shown {
            // Opcodes below 90 take no operand in CPython.
            Some((c, a)) => out.extend([c, if c >= 90 { a } else { 0 }]),
            None => out.extend([9, 0]),
        }
    }
    out
}

fn get_co_code(vm: &Vm, v: &Value) -> PyResult {
    Ok(vm.new_bytes(display_code(&code_of(vm, v, "co_code")?.code)))
}
fn get_linetable(vm: &Vm, v: &Value) -> PyResult {
    Ok(vm.new_bytes(linetable(&code_of(vm, v, "co_linetable")?.code)))
}
fn get_lnotab(vm: &Vm, v: &Value) -> PyResult {
    Ok(vm.new_bytes(lnotab(&code_of(vm, v, "co_lnotab")?.code)))
}
fn get_exceptiontable(vm: &Vm, v: &Value) -> PyResult {
    Ok(vm.new_bytes(exceptiontable(&code_of(vm, v, "co_exceptiontable")?.code)))
}

/// Locals, then cells, then free variables, as CPython's "localsplus".
fn varname_from_oparg(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("_varname_from_oparg", args, 2, 2)?;
    let pc = self_code(vm, &args, "_varname_from_oparg")?;
    let i = vm.to_index_i64(&args.args[1])?;
    let n = pc.varnames.len() as i64;
    let name = if (0..n).contains(&i) {
        pc.varnames.get(i as usize)
    } else if i >= n {
        pc.cell_and_free.get((i - n) as usize)
    } else {
        None
    };
    name.map(|s| Value::Obj(s.clone())).ok_or_else(|| vm.new_index_error("tuple index out of range"))
}

fn to_constant(vm: &Vm, x: &Value) -> PyResult<Constant> {
    Ok(match x {
        Value::None => Constant::None,
        Value::Bool(b) => Constant::Bool(*b),
        Value::Int(i) => Constant::Int((*i).into()),
        Value::Float(f) => Constant::Float(*f),
        Value::Obj(o) if o.is(&vm.ellipsis) => Constant::Ellipsis,
        Value::Obj(o) => match &o.payload {
            Payload::Int(i) => Constant::Int(i.clone()),
            Payload::Float(f) => Constant::Float(*f),
            Payload::Complex(c) => Constant::Complex { re: c.0, im: c.1 },
            Payload::Str(s) => crate::types::str_surrogates::constant(s),
            Payload::Bytes(b) => Constant::Bytes(b.bytes.to_vec()),
            Payload::Tuple(items) => Constant::Tuple(items.iter().map(|i| to_constant(vm, i)).collect::<PyResult<_>>()?),
            Payload::FrozenSet(_) => {
                let items = vm.collect_iter(x)?;
                Constant::FrozenSet(items.iter().map(|i| to_constant(vm, i)).collect::<PyResult<_>>()?)
            }
            Payload::Code(c) => Constant::Code(Box::new(c.code.clone())),
            _ => return Err(vm.new_type_error(format!("krait cannot store a '{}' in co_consts", vm.type_name_of(x)))),
        },
    })
}

fn str_arg(vm: &Vm, name: &str, v: &Value) -> PyResult<String> {
    vm.as_str(v)
        .map(|s| s.to_string())
        .ok_or_else(|| vm.new_type_error(format!("replace() argument '{name}' must be str, not {}", vm.type_name_of(v))))
}

fn int_arg(vm: &Vm, v: &Value) -> PyResult<u32> {
    let i = vm.to_index_i64(v)?;
    u32::try_from(i).map_err(|_| vm.new_value_error("code: argument out of range"))
}

/// A tuple of str of the same length as the current one (the instructions
/// index these tables, so their sizes cannot change).
fn names_arg(vm: &Vm, name: &str, v: &Value, len: usize) -> PyResult<Vec<String>> {
    let items = match v.payload() {
        Some(Payload::Tuple(t)) => t.to_vec(),
        _ => return Err(vm.new_type_error(format!("replace() argument '{name}' must be tuple, not {}", vm.type_name_of(v)))),
    };
    let out = items
        .iter()
        .map(|s| vm.as_str(s).map(|s| s.to_string()).ok_or_else(|| vm.new_type_error("name tuples must contain only strings, not 'int'")))
        .collect::<PyResult<Vec<_>>>()?;
    if out.len() != len {
        return Err(vm.new_value_error(format!("krait cannot change the length of {name}")));
    }
    Ok(out)
}

fn replace(vm: &Vm, args: Args) -> PyResult {
    let pc = self_code(vm, &args, "replace")?;
    if args.positional().len() > 1 {
        return Err(vm.new_type_error("replace() takes no positional arguments"));
    }
    let mut code = pc.code.clone();
    for (k, v) in args.keywords() {
        let k = vm.as_str(k).unwrap_or("");
        match k {
            "co_name" => code.name = str_arg(vm, k, v)?,
            "co_qualname" => code.qualname = str_arg(vm, k, v)?,
            "co_filename" => code.filename = str_arg(vm, k, v)?,
            "co_firstlineno" => code.firstlineno = int_arg(vm, v)?,
            "co_argcount" => code.argcount = int_arg(vm, v)?,
            "co_posonlyargcount" => code.posonlyargcount = int_arg(vm, v)?,
            "co_kwonlyargcount" => code.kwonlyargcount = int_arg(vm, v)?,
            "co_flags" => code.flags = int_arg(vm, v)?,
            "co_names" => code.names = names_arg(vm, k, v, code.names.len())?,
            "co_varnames" => code.varnames = names_arg(vm, k, v, code.varnames.len())?,
            "co_cellvars" => code.cellvars = names_arg(vm, k, v, code.cellvars.len())?,
            "co_freevars" => code.freevars = names_arg(vm, k, v, code.freevars.len())?,
            "co_consts" => {
                let items = match v.payload() {
                    Some(Payload::Tuple(t)) => t.to_vec(),
                    _ => return Err(vm.new_type_error(format!("replace() argument 'co_consts' must be tuple, not {}", vm.type_name_of(v)))),
                };
                if items.len() != code.consts.len() {
                    return Err(vm.new_value_error("krait cannot change the length of co_consts"));
                }
                code.consts = items.iter().map(|c| to_constant(vm, c)).collect::<PyResult<_>>()?;
            }
            // krait cannot run CPython's bytecode or tables: accepted and kept as they are.
            "co_code" | "co_linetable" | "co_exceptiontable" => {
                if !matches!(v.payload(), Some(Payload::Bytes(_))) {
                    return Err(vm.new_type_error(format!("replace() argument '{k}' must be bytes, not {}", vm.type_name_of(v))));
                }
            }
            "co_nlocals" | "co_stacksize" => {
                int_arg(vm, v)?;
            }
            _ => return Err(vm.new_type_error(format!("'{k}' is an invalid keyword argument for replace()"))),
        }
    }
    // The eval loop trusts these: the parameters must fit the locals, and the
    // kind of frame (generator, *args, **kwargs) must stay what the
    // instructions were compiled for. CO_ITERABLE_COROUTINE may change: it
    // is only read when a generator is awaited (`types.coroutine` sets it).
    use krait_compiler::code::flags as f;
    let fixed = f::GENERATOR | f::COROUTINE | f::ASYNC_GENERATOR | f::VARARGS | f::VARKEYWORDS;
    if code.flags & fixed != pc.code.flags & fixed
        || code.posonlyargcount > code.argcount
        || code.total_params() != pc.code.total_params()
    {
        return Err(vm.new_value_error("krait cannot change the parameters or the kind of a code object"));
    }
    Ok(Value::Obj(vm.load_code(code)))
}

static METHODS: [NativeDef; 4] = [
    NativeDef::method("co_lines", co_lines),
    NativeDef::method("co_positions", co_positions),
    NativeDef::method("_varname_from_oparg", varname_from_oparg),
    NativeDef::method("replace", replace),
];

static GETSETS: [GetSetDef; 5] = [
    GetSetDef { name: "co_code", get: get_co_code, set: None, doc: "" },
    GetSetDef { name: "_co_code_adaptive", get: get_co_code, set: None, doc: "" },
    GetSetDef { name: "co_linetable", get: get_linetable, set: None, doc: "" },
    GetSetDef { name: "co_lnotab", get: get_lnotab, set: None, doc: "" },
    GetSetDef { name: "co_exceptiontable", get: get_exceptiontable, set: None, doc: "" },
];

/// Adds these to the `code` type (after `function_type::init`, whose plain
/// `co_code` this replaces).
pub fn init(vm: &Vm) {
    let t: &PyRef = &vm.types.code;
    super::add_methods(vm, t, &METHODS);
    super::add_getsets(vm, t, &GETSETS);
}
