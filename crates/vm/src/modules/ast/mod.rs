//! The `_ast` module: CPython 3.11's node classes (from the compiler's
//! generated table), and `compile()`'s AST paths: source to node objects
//! (`PyCF_ONLY_AST`) and node objects to code (through source text, see
//! `krait_compiler::ast::unparse`).

mod from_py;
mod to_py;

use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::function::{Args, NativeDef};
use crate::types::typeobj::{type_flags, Layout};
use crate::value::Value;
use crate::{PyResult, Vm};
use krait_compiler::ast::{nodes::NODE_CLASSES, AstMode, Quant};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

pub const PYCF_ONLY_AST: i64 = 1024;
pub const PYCF_TYPE_COMMENTS: i64 = 4096;
pub const PYCF_ALLOW_TOP_LEVEL_AWAIT: i64 = 8192;

/// The node classes of one interpreter, and the shared instances CPython
/// uses for contexts and operators (`Load()` from the parser is one object).
pub(crate) struct AstState {
    pub base: PyRef,
    pub classes: HashMap<&'static str, PyRef>,
    pub singletons: HashMap<&'static str, Value>,
}

/// Where the interpreter keeps its `AstState` (`vm.state`), made on first use.
#[derive(Default)]
struct AstCache {
    state: RefCell<Option<Rc<AstState>>>,
}

static AST_METHODS: [NativeDef; 2] = [
    NativeDef::method("__init__", ast_init),
    NativeDef::method("__reduce__", ast_reduce),
];

/// The classes, created on first use.
pub(crate) fn state(vm: &Vm) -> PyResult<Rc<AstState>> {
    let cache = vm.state::<AstCache>();
    if let Some(s) = &*cache.state.borrow() {
        return Ok(s.clone());
    }
    let base = vm.new_native_type(
        "ast",
        "AST",
        None,
        Layout::Object,
        type_flags::BASETYPE | type_flags::HAS_DICT,
        &[],
    );
    crate::types::add_methods(vm, &base, &AST_METHODS);
    crate::types::add_getsets(
        vm,
        &base,
        std::slice::from_ref(&crate::types::object::DICT_GETSET),
    );
    let empty = vm.new_tuple(vec![]);
    crate::types::add_attr(vm, &base, "_fields", empty.clone());
    crate::types::add_attr(vm, &base, "_attributes", empty.clone());
    crate::types::add_attr(vm, &base, "__match_args__", empty);
    crate::types::add_attr(vm, &base, "__module__", vm.new_str("ast"));
    crate::types::add_attr(vm, &base, "__doc__", Value::None);
    vm.refresh_slots(&base);
    let mut classes: HashMap<&'static str, PyRef> = HashMap::new();
    let mut singletons = HashMap::new();
    let type_ = Value::Obj(vm.types.type_.clone());
    for c in NODE_CLASSES {
        let parent = if c.base == "AST" {
            base.clone()
        } else {
            classes[c.base].clone()
        };
        let ns = vm.new_dict();
        let set = |k: &str, v: Value| vm.dict_set_str(&ns, &vm.intern(k), v);
        let names: Vec<Value> = c
            .fields
            .iter()
            .map(|f| Value::Obj(vm.intern(f.name)))
            .collect();
        set("_fields", vm.new_tuple(names.clone()));
        set("__match_args__", vm.new_tuple(names));
        set("__module__", vm.new_str("ast"));
        set("__doc__", vm.new_str(c.doc));
        if let Some(attrs) = c.attributes {
            set(
                "_attributes",
                vm.new_tuple(attrs.iter().map(|a| Value::Obj(vm.intern(a))).collect()),
            );
        }
        // Optional fields and attributes read as None when never set.
        for f in c.fields.iter().filter(|f| f.quant == Quant::Opt) {
            set(f.name, Value::None);
        }
        for a in c.optional_attributes {
            set(a, Value::None);
        }
        let args = [
            vm.new_str(c.name),
            vm.new_tuple(vec![Value::Obj(parent)]),
            Value::Obj(ns),
        ];
        let cls = match vm.call(&type_, Args::new(&args))? {
            Value::Obj(o) => o,
            _ => return Err(vm.new_system_error("_ast: type() returned a non-object")),
        };
        if c.fields.is_empty() && c.attributes.is_none() && !c.is_abstract {
            let inst = crate::types::object::new_plain_instance(vm, &cls);
            singletons.insert(c.name, Value::Obj(inst));
        }
        classes.insert(c.name, cls);
    }
    let st = Rc::new(AstState {
        base,
        classes,
        singletons,
    });
    // Another thread may have made them meanwhile: keep the first.
    let st = cache.state.borrow_mut().get_or_insert(st).clone();
    Ok(st)
}

/// `import _ast`.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let st = state(vm)?;
    let dict = vm.new_dict();
    let set = |k: &str, v: Value| vm.dict_set_str(&dict, &vm.intern(k), v);
    set("__name__", vm.new_str("_ast"));
    set("__doc__", Value::None);
    set("AST", Value::Obj(st.base.clone()));
    for c in NODE_CLASSES {
        set(c.name, Value::Obj(st.classes[c.name].clone()));
    }
    set("PyCF_ONLY_AST", Value::Int(PYCF_ONLY_AST));
    set("PyCF_TYPE_COMMENTS", Value::Int(PYCF_TYPE_COMMENTS));
    set(
        "PyCF_ALLOW_TOP_LEVEL_AWAIT",
        Value::Int(PYCF_ALLOW_TOP_LEVEL_AWAIT),
    );
    Ok(PyRef::new(
        vm.types.module.clone(),
        Payload::Module(Box::new(crate::payload::ModuleData { dict })),
    ))
}

/// `AST.__init__(self, *args, **kwargs)`: positional arguments fill `_fields`
/// in order, keywords set any attribute; missing fields stay unset.
fn ast_init(vm: &Vm, args: Args) -> PyResult {
    let Some(this) = args.args.first() else {
        return Err(
            vm.new_type_error("descriptor '__init__' of 'ast.AST' object needs an argument")
        );
    };
    let pos = &args.positional()[1..];
    let fields = match vm.getattr_opt(&Value::Obj(vm.type_of(this)), "_fields")? {
        Some(f) => vm.collect_iter(&f)?,
        None => vec![],
    };
    if pos.len() > fields.len() {
        let n = fields.len();
        return Err(vm.new_type_error(format!(
            "{} constructor takes at most {n} positional argument{}",
            vm.type_of(this)
                .payload
                .as_type()
                .map(|t| t.name.borrow().clone())
                .unwrap_or_default(),
            if n == 1 { "" } else { "s" }
        )));
    }
    for (name, v) in fields.iter().zip(pos) {
        let Value::Obj(name) = name else { continue };
        vm.setattr(this, name, Some(v.clone()))?;
    }
    for (k, v) in args.keywords() {
        if let Value::Obj(k) = k {
            vm.setattr(this, k, Some(v.clone()))?;
        }
    }
    Ok(Value::None)
}

/// `AST.__reduce__`: (type(self), (), self.__dict__), what copy and pickle use.
fn ast_reduce(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__reduce__", args, 1, 1)?;
    let this = &args.args[0];
    let cls = Value::Obj(vm.type_of(this));
    match vm.instance_dict(this, true) {
        Some(d) => Ok(vm.new_tuple(vec![cls, vm.new_tuple(vec![]), Value::Obj(d)])),
        None => Ok(vm.new_tuple(vec![cls, vm.new_tuple(vec![])])),
    }
}

/// Is `v` an instance of `ast.AST`?
pub fn is_ast(vm: &Vm, v: &Value) -> PyResult<bool> {
    let st = state(vm)?;
    Ok(vm.isinstance_type(v, &st.base))
}

/// `compile()`'s AST paths; None when neither applies (plain source compile).
/// `mode` is "exec", "eval" or "single".
pub fn compile_hook(
    vm: &Vm,
    source: &Value,
    filename: &str,
    mode: &str,
    flags: i64,
) -> PyResult<Option<Value>> {
    let ast_mode = match mode {
        "eval" => AstMode::Eval,
        "single" => AstMode::Single,
        _ => AstMode::Exec,
    };
    if matches!(source, Value::Obj(_)) && is_ast(vm, source)? {
        let tree = from_py::to_tree(vm, source, ast_mode)?;
        if flags & PYCF_ONLY_AST != 0 {
            return Ok(Some(source.clone()));
        }
        let text = krait_compiler::ast::unparse(&tree);
        let m = match ast_mode {
            AstMode::Eval => krait_compiler::Mode::Eval,
            AstMode::Single => krait_compiler::Mode::Single,
            AstMode::Exec => krait_compiler::Mode::Exec,
        };
        return match krait_compiler::compile(&text, filename, m) {
            Ok(c) => Ok(Some(Value::Obj(vm.load_code(c)))),
            Err(e) => Err(vm.compile_error_to_exception(&e)),
        };
    }
    if flags & PYCF_ONLY_AST == 0 {
        return Ok(None);
    }
    let text = match source.payload().map(|p| p.base()) {
        Some(Payload::Str(s)) => s.as_str().to_string(),
        Some(Payload::Bytes(b)) => {
            let decoded = match vm.decode_source_by_codec(&b.bytes, filename) {
                Ok(Some(t)) => Ok(t),
                Ok(None) => krait_compiler::source::decode_source(&b.bytes, filename),
                Err(e) => Err(e),
            };
            match decoded {
                Ok(t) => t,
                Err(e) => return Err(vm.compile_error_to_exception(&e)),
            }
        }
        _ => return Ok(None),
    };
    if text.contains('\0') {
        return Err(vm.new_exception_msg(
            &vm.exc.syntax_error,
            "source code string cannot contain null bytes",
        ));
    }
    match krait_compiler::ast::parse_to_ast(&text, filename, ast_mode) {
        Ok(tree) => Ok(Some(to_py::to_object(vm, &*state(vm)?, &tree))),
        Err(e) => Err(vm.compile_error_to_exception(&e)),
    }
}
