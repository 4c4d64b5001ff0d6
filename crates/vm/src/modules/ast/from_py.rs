//! `ast` node objects (maybe built or edited by Python code) to a compiler
//! AST tree, with CPython 3.11's checks and messages (`obj2ast_*`).

use super::{state, AstState};
use crate::payload::Payload;
use crate::value::Value;
use crate::{PyResult, Vm};
use krait_compiler::ast::{
    is_subclass, node_class, nodes::NODE_CLASSES, AstMode, AstNode, AstValue, NodeClass, Pos, Quant,
};
use krait_compiler::Constant;
use std::rc::Rc;

/// How deep a tree may nest before RecursionError (the Rust stack is the limit otherwise).
const MAX_DEPTH: usize = 5000;

struct Conv<'a> {
    vm: &'a Vm,
    st: Rc<AstState>,
    depth: usize,
}

/// The tree of `v`, which must be the root node `compile()`'s mode asks for.
pub(super) fn to_tree(vm: &Vm, v: &Value, mode: AstMode) -> PyResult<AstNode> {
    let req = match mode {
        AstMode::Exec => "Module",
        AstMode::Eval => "Expression",
        AstMode::Single => "Interactive",
    };
    let st = state(vm)?;
    if !vm.isinstance_type(v, &st.classes[req]) {
        return Err(vm.new_type_error(format!(
            "expected {req} node, got {}",
            short_type_name(vm, v)
        )));
    }
    let mut c = Conv { vm, st, depth: 0 };
    let cls = node_class(req).expect("root class in the table");
    c.node_of(v, cls)
}

/// A type's `__name__` (CPython's `_PyType_Name`).
fn short_type_name(vm: &Vm, v: &Value) -> String {
    let n = vm.type_name_of(v);
    n.rsplit('.').next().unwrap_or(&n).to_string()
}

impl Conv<'_> {
    /// The concrete class of `v` among the subclasses of `expected`.
    fn node(&mut self, v: &Value, expected: &str) -> PyResult<AstNode> {
        // As CPython, positions are read before the kind of node is looked at.
        let pos = match node_class(expected) {
            Some(decl) => self.position(v, decl)?,
            None => None,
        };
        for c in NODE_CLASSES {
            if !c.is_abstract
                && is_subclass(c.name, expected)
                && self.vm.isinstance_type(v, &self.st.classes[c.name])
            {
                let mut n = self.node_of(v, c)?;
                n.pos = pos;
                return Ok(n);
            }
        }
        let r = self.vm.repr(v)?;
        Err(self.vm.new_type_error(format!(
            "expected some sort of {expected}, but got {}",
            r.payload.as_str().map(|s| s.as_str()).unwrap_or("?")
        )))
    }

    fn node_of(&mut self, v: &Value, cls: &'static NodeClass) -> PyResult<AstNode> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self
                .vm
                .new_recursion_error("maximum recursion depth exceeded during compilation"));
        }
        let mut fields = Vec::with_capacity(cls.fields.len());
        for f in cls.fields {
            let val = self.vm.getattr_opt(v, f.name)?;
            let out = match (val, f.quant) {
                (None, Quant::Opt) | (Some(Value::None), Quant::Opt) => AstValue::None,
                (None, _) => {
                    return Err(self.vm.new_type_error(format!(
                        "required field \"{}\" missing from {}",
                        f.name, cls.name
                    )));
                }
                (Some(list), Quant::Seq) => {
                    let items = match list.payload().map(|p| p.base()) {
                        Some(Payload::List(l)) => l.borrow().to_vec(),
                        _ => {
                            return Err(self.vm.new_type_error(format!(
                                "{} field \"{}\" must be a list, not a {}",
                                cls.name,
                                f.name,
                                short_type_name(self.vm, &list)
                            )));
                        }
                    };
                    let mut out = Vec::with_capacity(items.len());
                    for item in &items {
                        out.push(self.value(item, f.ty, cls, f.name)?);
                    }
                    AstValue::List(out)
                }
                (Some(x), _) => self.value(&x, f.ty, cls, f.name)?,
            };
            fields.push((f.name, out));
        }
        self.depth -= 1;
        // `node` fills in the position (roots have none).
        Ok(AstNode {
            class: cls.name,
            fields,
            pos: None,
        })
    }

    /// One field value of ASDL type `ty`.
    fn value(&mut self, x: &Value, ty: &str, cls: &NodeClass, field: &str) -> PyResult<AstValue> {
        let vm = self.vm;
        if x.is_none() && ty != "constant" {
            // None is "absent": fine inside lists (`kw_defaults`, Dict keys), else required.
            let in_list = cls
                .fields
                .iter()
                .any(|f| f.name == field && f.quant == Quant::Seq);
            let optional = cls
                .fields
                .iter()
                .any(|f| f.name == field && f.quant == Quant::Opt);
            if in_list || optional {
                return Ok(AstValue::None);
            }
            return Err(vm.new_value_error(format!("field '{field}' is required for {}", cls.name)));
        }
        Ok(match ty {
            "identifier" | "string" => match vm.as_str(x) {
                Some(s) => AstValue::Str(s.to_string()),
                None => {
                    return Err(vm.new_type_error(format!(
                        "AST {} must be of type str",
                        if ty == "identifier" {
                            "identifier"
                        } else {
                            "string"
                        }
                    )))
                }
            },
            "int" => match vm.as_ibig(x) {
                Some(i) => AstValue::Int(i64::try_from(&i).unwrap_or(i64::MAX)),
                None => {
                    let r = vm.repr(x)?;
                    return Err(vm.new_value_error(format!(
                        "invalid integer value: {}",
                        r.payload.as_str().map(|s| s.as_str()).unwrap_or("?")
                    )));
                }
            },
            "constant" => AstValue::Const(self.constant(x)?),
            _ => AstValue::Node(Box::new(self.node(x, ty)?)),
        })
    }

    fn constant(&self, x: &Value) -> PyResult<Constant> {
        let vm = self.vm;
        Ok(match x {
            Value::None => Constant::None,
            Value::Bool(b) => Constant::Bool(*b),
            Value::Int(i) => Constant::Int((*i).into()),
            Value::Float(f) => Constant::Float(*f),
            Value::Obj(o) if o.is(&vm.ellipsis) => Constant::Ellipsis,
            Value::Obj(o) => match o.payload.base() {
                Payload::Int(i) => Constant::Int(i.clone()),
                Payload::Float(f) => Constant::Float(*f),
                Payload::Complex(c) => Constant::Complex { re: c.0, im: c.1 },
                Payload::Str(s) => crate::types::str_surrogates::constant(s),
                Payload::Bytes(b) => Constant::Bytes(b.bytes.to_vec()),
                Payload::Tuple(items) => Constant::Tuple(
                    items
                        .iter()
                        .map(|i| self.constant(i))
                        .collect::<PyResult<_>>()?,
                ),
                Payload::FrozenSet(_) => {
                    let items = vm.collect_iter(x)?;
                    Constant::FrozenSet(
                        items
                            .iter()
                            .map(|i| self.constant(i))
                            .collect::<PyResult<_>>()?,
                    )
                }
                _ => {
                    return Err(vm.new_type_error(format!(
                        "got an invalid type in Constant: {}",
                        short_type_name(vm, x)
                    )));
                }
            },
        })
    }

    /// `lineno` and friends, for classes that have them.
    fn position(&mut self, v: &Value, cls: &'static NodeClass) -> PyResult<Option<Pos>> {
        // The class that declares `_attributes` (the abstract base for sum types).
        let mut decl = cls;
        while decl.attributes.is_none() {
            match node_class(decl.base) {
                Some(b) => decl = b,
                None => return Ok(None),
            }
        }
        let attrs = decl.attributes.unwrap_or(&[]);
        if attrs.is_empty() {
            return Ok(None);
        }
        let mut vals = [None; 4];
        for (i, name) in ["lineno", "col_offset", "end_lineno", "end_col_offset"]
            .iter()
            .enumerate()
        {
            let optional = decl.optional_attributes.contains(name);
            match self.vm.getattr_opt(v, name)? {
                None if !optional => {
                    return Err(self.vm.new_type_error(format!(
                        "required field \"{name}\" missing from {}",
                        decl.name
                    )));
                }
                None | Some(Value::None) if optional => {}
                None => {}
                Some(x) => match self.value(&x, "int", decl, name)? {
                    AstValue::Int(n) => vals[i] = Some(n),
                    _ => {}
                },
            }
        }
        Ok(Some(Pos {
            lineno: vals[0].unwrap_or(0),
            col_offset: vals[1].unwrap_or(0),
            end_lineno: vals[2],
            end_col_offset: vals[3],
        }))
    }
}
