//! A compiler AST tree to `ast` node objects.

use super::AstState;
use crate::value::Value;
use crate::Vm;
use krait_compiler::ast::{AstNode, AstValue};
use krait_compiler::Constant;

pub(super) fn to_object(vm: &Vm, st: &AstState, n: &AstNode) -> Value {
    if n.fields.is_empty() && n.pos.is_none() {
        if let Some(s) = st.singletons.get(n.class) {
            return s.clone();
        }
    }
    let Some(cls) = st.classes.get(n.class) else {
        return Value::None;
    };
    let obj = Value::Obj(crate::types::object::new_plain_instance(vm, cls));
    let Some(dict) = vm.instance_dict(&obj, true) else {
        return obj;
    };
    for (name, v) in &n.fields {
        vm.dict_set_str(&dict, &vm.intern(name), value(vm, st, v));
    }
    if let Some(p) = n.pos {
        let set = |k: &str, v: Value| vm.dict_set_str(&dict, &vm.intern(k), v);
        set("lineno", Value::Int(p.lineno));
        set("col_offset", Value::Int(p.col_offset));
        set("end_lineno", p.end_lineno.map_or(Value::None, Value::Int));
        set(
            "end_col_offset",
            p.end_col_offset.map_or(Value::None, Value::Int),
        );
    }
    obj
}

fn value(vm: &Vm, st: &AstState, v: &AstValue) -> Value {
    match v {
        AstValue::None => Value::None,
        AstValue::Node(n) => to_object(vm, st, n),
        AstValue::List(items) => vm.new_list(items.iter().map(|i| value(vm, st, i)).collect()),
        AstValue::Str(s) => Value::Obj(vm.intern(s)),
        AstValue::Int(i) => Value::Int(*i),
        AstValue::Const(c) => constant(vm, c),
    }
}

pub(super) fn constant(vm: &Vm, c: &Constant) -> Value {
    match c {
        Constant::None => Value::None,
        Constant::Bool(b) => Value::Bool(*b),
        Constant::Int(i) => vm.new_int(i.clone()),
        Constant::Float(f) => Value::Float(*f),
        Constant::Complex { re, im } => vm.new_complex(*re, *im),
        Constant::Str(s) => vm.new_str(s.as_str()),
        Constant::SurrogateStr { text, surrogates } => {
            crate::types::str_surrogates::StrBuf { text: text.clone(), surrogates: surrogates.clone() }.into_value(vm)
        }
        Constant::Bytes(b) => vm.new_bytes(b.clone()),
        Constant::Tuple(items) => vm.new_tuple(items.iter().map(|i| constant(vm, i)).collect()),
        Constant::FrozenSet(items) => {
            let vals: Vec<Value> = items.iter().map(|i| constant(vm, i)).collect();
            vm.new_frozenset(vals.clone())
                .unwrap_or_else(|_| vm.new_tuple(vals))
        }
        Constant::Ellipsis => Value::Obj(vm.ellipsis.clone()),
        Constant::Code(_) => Value::None,
    }
}
