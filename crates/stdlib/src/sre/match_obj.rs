//! `re.Match`: the spans of one successful match and the group accessors.

use super::engine::State;
use super::pattern::{pattern_of, repr_cut, PatternData};
use super::subject::Subject;
use crate::native::{class_getitem, descr_error, native_type, new_object, unpack, TypeSpec};
use krait_vm::payload::GetSetDef;
use krait_vm::types::typeobj::Layout;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::rc::Rc;

pub struct MatchData {
    pub pattern: Value,
    pub subject: Rc<Subject>,
    /// (start, end) of the whole match and of each group; (-1, -1) if unset.
    pub regs: Box<[(i64, i64)]>,
    pub pos: usize,
    pub endpos: usize,
    pub lastindex: i64,
}

impl krait_vm::gc::NativeData for MatchData {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn krait_vm::gc::Visitor) {
        visitor.visit_value(&self.pattern);
        super::subject::visit_subject(&self.subject, visitor);
    }
}

fn match_type(vm: &Vm) -> PyRef {
    native_type(vm, &MATCH)
}

/// A Match object for the match `st` just found.
pub fn new_match(
    vm: &Vm,
    pattern: &Value,
    p: &PatternData,
    subj: &Rc<Subject>,
    st: &State,
    pos: usize,
    endpos: usize,
) -> PyResult {
    let mut regs = Vec::with_capacity(p.groups + 1);
    regs.push((st.start as i64, st.ptr as i64));
    for g in 1..=p.groups {
        regs.push(match st.group_span(g) {
            Some((a, b)) if a > b => {
                return Err(
                    vm.new_system_error("The span of capturing group is wrong, please report a bug for the re module.")
                )
            }
            Some((a, b)) => (a as i64, b as i64),
            None => (-1, -1),
        });
    }
    let t = match_type(vm);
    let data = MatchData {
        pattern: pattern.clone(),
        subject: subj.clone(),
        regs: regs.into_boxed_slice(),
        pos,
        endpos,
        lastindex: st.lastindex as i64,
    };
    Ok(new_object(vm, &t, &t, data))
}

fn match_of<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a MatchData> {
    v.payload().and_then(|p| p.as_native::<MatchData>()).ok_or_else(|| descr_error(vm, name, "re.Match", v))
}

fn this<'a>(vm: &Vm, args: &Args<'a>, name: &str) -> PyResult<(&'a MatchData, Args<'a>)> {
    match args.args.first() {
        Some(me) => Ok((match_of(vm, me, name)?, Args { args: &args.args[1..], kwnames: args.kwnames })),
        None => Err(vm.new_type_error(format!("descriptor '{name}' of 're.Match' object needs an argument"))),
    }
}

impl MatchData {
    fn pat(&self) -> Option<&PatternData> {
        self.pattern.payload().and_then(|p| p.as_native::<PatternData>())
    }

    /// CPython's `match_getindex`: an int, or a group name.
    fn index(&self, vm: &Vm, key: &Value) -> PyResult<usize> {
        let is_int = matches!(key, Value::Int(_) | Value::Bool(_)) || key.payload().and_then(|p| p.as_int()).is_some();
        let i: i64 = if is_int {
            match vm.index(key)? {
                Value::Int(i) => i,
                Value::Bool(b) => b as i64,
                _ => -1,
            }
        } else {
            match self.pat().map(|p| &p.groupindex) {
                Some(Value::Obj(d)) => match vm.dict_get(d, key)? {
                    Some(Value::Int(i)) => i,
                    _ => -1,
                },
                _ => -1,
            }
        };
        if i < 0 || i as usize >= self.regs.len() {
            return Err(vm.new_index_error("no such group"));
        }
        Ok(i as usize)
    }

    fn get(&self, vm: &Vm, i: usize, default: &Value) -> Value {
        let (a, b) = self.regs[i];
        if a < 0 {
            return default.clone();
        }
        self.subject.slice(vm, a as usize, b as usize)
    }
}

fn m_group(vm: &Vm, args: Args) -> PyResult {
    let (m, rest) = this(vm, &args, "group")?;
    if rest.has_kwargs() {
        return Err(vm.new_type_error("Match.group() takes no keyword arguments"));
    }
    match rest.args {
        [] => Ok(m.get(vm, 0, &Value::None)),
        [g] => Ok(m.get(vm, m.index(vm, g)?, &Value::None)),
        gs => {
            let mut out = Vec::with_capacity(gs.len());
            for g in gs {
                out.push(m.get(vm, m.index(vm, g)?, &Value::None));
            }
            Ok(vm.new_tuple(out))
        }
    }
}

fn m_getitem(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__getitem__", args, 2, 2)?;
    let m = match_of(vm, &args.args[0], "__getitem__")?;
    Ok(m.get(vm, m.index(vm, &args.args[1])?, &Value::None))
}

fn m_groups(vm: &Vm, args: Args) -> PyResult {
    let (m, rest) = this(vm, &args, "groups")?;
    let a = vm.bind_native("groups", rest, &["default"], 0, 0, None)?;
    let default = a[0].clone().unwrap_or(Value::None);
    Ok(vm.new_tuple((1..m.regs.len()).map(|i| m.get(vm, i, &default)).collect()))
}

fn m_groupdict(vm: &Vm, args: Args) -> PyResult {
    let (m, rest) = this(vm, &args, "groupdict")?;
    let a = vm.bind_native("groupdict", rest, &["default"], 0, 0, None)?;
    let default = a[0].clone().unwrap_or(Value::None);
    let out = vm.new_dict();
    if let Some(Value::Obj(gi)) = m.pat().map(|p| &p.groupindex) {
        for (k, _) in vm.dict_items(gi) {
            let v = m.get(vm, m.index(vm, &k)?, &default);
            vm.dict_set(&out, k, v)?;
        }
    }
    Ok(Value::Obj(out))
}

fn span_arg(vm: &Vm, args: &Args, name: &str) -> PyResult<(i64, i64)> {
    let (m, rest) = this(vm, args, name)?;
    let a = unpack(vm, name, &rest, 0, 1)?;
    let i = match a.first() {
        Some(g) => m.index(vm, g)?,
        None => 0,
    };
    Ok(m.regs[i])
}

fn m_start(vm: &Vm, args: Args) -> PyResult {
    Ok(Value::Int(span_arg(vm, &args, "start")?.0))
}
fn m_end(vm: &Vm, args: Args) -> PyResult {
    Ok(Value::Int(span_arg(vm, &args, "end")?.1))
}
fn m_span(vm: &Vm, args: Args) -> PyResult {
    let (a, b) = span_arg(vm, &args, "span")?;
    Ok(vm.new_tuple(vec![Value::Int(a), Value::Int(b)]))
}

/// `expand(template)`: re._expand(pattern, match, template), as CPython 3.11.
fn m_expand(vm: &Vm, args: Args) -> PyResult {
    let (m, rest) = this(vm, &args, "expand")?;
    let a = vm.bind_native("expand", rest, &["template"], 0, 1, None)?;
    let re = Value::Obj(vm.import_full("re")?);
    let f = vm.getattr_str(&re, "_expand")?;
    vm.call1(&f, &[m.pattern.clone(), args.args[0].clone(), a[0].clone().unwrap_or(Value::None)])
}

fn m_copy(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__copy__", args, 1, 1)?;
    match_of(vm, &args.args[0], "__copy__")?;
    Ok(args.args[0].clone())
}

fn m_deepcopy(vm: &Vm, args: Args) -> PyResult {
    let (_, rest) = this(vm, &args, "__deepcopy__")?;
    vm.bind_native("__deepcopy__", rest, &["memo"], 1, 1, None)?;
    Ok(args.args[0].clone())
}

fn m_repr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__repr__", args, 1, 1)?;
    let m = match_of(vm, &args.args[0], "__repr__")?;
    let g0 = m.get(vm, 0, &Value::None);
    let (a, b) = m.regs[0];
    Ok(vm.new_str(format!(
        "<{} object; span=({a}, {b}), match={}>",
        vm.type_name_of(&args.args[0]),
        repr_cut(vm, &g0, 50)?
    )))
}

fn m_new(vm: &Vm, _args: Args) -> PyResult {
    Err(vm.new_type_error("cannot create 're.Match' instances"))
}

fn g_lastindex(vm: &Vm, v: &Value) -> PyResult {
    let m = match_of(vm, v, "lastindex")?;
    Ok(if m.lastindex >= 0 { Value::Int(m.lastindex) } else { Value::None })
}
fn g_lastgroup(vm: &Vm, v: &Value) -> PyResult {
    let m = match_of(vm, v, "lastgroup")?;
    if m.lastindex < 0 {
        return Ok(Value::None);
    }
    Ok(m.pat().and_then(|p| p.group_name(m.lastindex as usize)).unwrap_or(Value::None))
}
fn g_regs(vm: &Vm, v: &Value) -> PyResult {
    let m = match_of(vm, v, "regs")?;
    let spans = m.regs.iter().map(|&(a, b)| vm.new_tuple(vec![Value::Int(a), Value::Int(b)])).collect();
    Ok(vm.new_tuple(spans))
}
fn g_string(vm: &Vm, v: &Value) -> PyResult {
    Ok(match_of(vm, v, "string")?.subject.value.clone())
}
fn g_re(vm: &Vm, v: &Value) -> PyResult {
    let m = match_of(vm, v, "re")?;
    pattern_of(vm, &m.pattern, "re")?;
    Ok(m.pattern.clone())
}
fn g_pos(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(match_of(vm, v, "pos")?.pos as i64))
}
fn g_endpos(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(match_of(vm, v, "endpos")?.endpos as i64))
}

static METHODS: [NativeDef; 13] = [
    NativeDef::staticmethod("__new__", m_new),
    NativeDef::method("group", m_group),
    NativeDef::method("__getitem__", m_getitem),
    NativeDef::method("groups", m_groups),
    NativeDef::method("groupdict", m_groupdict),
    NativeDef::method("start", m_start),
    NativeDef::method("end", m_end),
    NativeDef::method("span", m_span),
    NativeDef::method("expand", m_expand),
    NativeDef::method("__copy__", m_copy),
    NativeDef::method("__deepcopy__", m_deepcopy),
    NativeDef::method("__repr__", m_repr),
    NativeDef::classmethod("__class_getitem__", class_getitem),
];

static GETSETS: [GetSetDef; 7] = [
    GetSetDef {
        name: "lastindex",
        get: g_lastindex,
        set: None,
        doc: "The integer index of the last matched capturing group.",
    },
    GetSetDef { name: "lastgroup", get: g_lastgroup, set: None, doc: "The name of the last matched capturing group." },
    GetSetDef { name: "regs", get: g_regs, set: None, doc: "" },
    GetSetDef { name: "string", get: g_string, set: None, doc: "The string passed to match() or search()." },
    GetSetDef { name: "re", get: g_re, set: None, doc: "The regular expression object." },
    GetSetDef {
        name: "pos",
        get: g_pos,
        set: None,
        doc: "The index into the string at which the RE engine started looking for a match.",
    },
    GetSetDef {
        name: "endpos",
        get: g_endpos,
        set: None,
        doc: "The index into the string beyond which the RE engine will not go.",
    },
];

static MATCH: TypeSpec = TypeSpec {
    module: "re",
    name: "Match",
    doc: "The result of re.match() and re.search().\nMatch objects always have a boolean value of True.",
    layout: Layout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &METHODS,
    more_methods: &[],
    getsets: &GETSETS,
};
