//! The eval loop and everything that runs code: loading compiled code objects,
//! running module bodies and `exec`/`eval` code, calling Python functions,
//! generators, and the introspection helpers other parts of the VM use
//! (`locals()`, zero-argument `super()`, `sys._getframe`, tracebacks).
//!
//! Layout: `exec.rs` is the dispatch loop; `call_bind.rs` binds arguments;
//! `ops.rs` and `matching.rs` hold the slower instructions; `unwind.rs` raising,
//! tracebacks and `except`; `generator.rs` generators and coroutines;
//! `frame.rs` the frame representation.

mod attr_cache;
pub mod call_bind;
pub mod exec;
pub mod frame;
pub mod generator;
pub mod matching;
pub mod ops;
pub mod quick_ops;
pub mod quicken;
pub mod unwind;
pub mod value_stack;

use crate::eval::call_bind::{prepare_call, Prepared};
use crate::eval::exec::{run, Exit};
use crate::eval::frame::{is_null_slow, Frame};
use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::code::PyCode;
use crate::value::Value;
use crate::{Args, PyErr, PyResult, Vm};
use krait_compiler::{CodeObject, CompileError, Constant, ErrorKind};
use krait_compiler::bytecode::Opcode;

/// Calls a Python function object from native code (a nested loop run).
pub fn call_function(vm: &Vm, func: &PyRef, args: Args) -> PyResult {
    exec::call_function(vm, func, args, None)
}

/// Runs a function (a class body) with `locals` as its namespace: what
/// `__build_class__` uses. Returns the body's return value (the `__class__`
/// cell or None).
pub fn call_with_locals(vm: &Vm, func: &PyRef, locals: Value) -> PyResult {
    exec::call_function(vm, func, Args::EMPTY, Some(locals))
}

/// Is `s` a Python identifier in ASCII (the strings CPython interns in code)?
fn identifier_like(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Runs a frame made for a module body or exec'd code to completion.
fn run_toplevel(vm: &Vm, mut frame: Box<Frame>) -> PyResult {
    let r = run(vm, &mut frame, None);
    Frame::recycle(frame);
    match r? {
        Exit::Return(v) => Ok(v),
        Exit::Yield(_) => Err(vm.new_system_error("yield at top level")),
    }
}

impl Vm {
    /// Turns a compiled constant into a value.
    fn load_constant(&self, c: &Constant) -> Value {
        match c {
            Constant::None => Value::None,
            Constant::Bool(b) => Value::Bool(*b),
            Constant::Int(i) => self.new_int(i.clone()),
            Constant::Float(f) => Value::Float(*f),
            Constant::Complex { re, im } => self.new_complex(*re, *im),
            Constant::Str(s) => {
                if identifier_like(s) {
                    Value::Obj(self.intern(s))
                } else {
                    self.new_str(s.as_str())
                }
            }
            Constant::SurrogateStr { text, surrogates } => {
                crate::types::str_surrogates::StrBuf { text: text.clone(), surrogates: surrogates.clone() }.into_value(self)
            }
            Constant::Bytes(b) => self.new_bytes(b.clone()),
            Constant::Tuple(items) => self.new_tuple(items.iter().map(|c| self.load_constant(c)).collect()),
            Constant::FrozenSet(items) => {
                let vals: Vec<Value> = items.iter().map(|c| self.load_constant(c)).collect();
                match self.new_frozenset(vals.clone()) {
                    Ok(v) => v,
                    Err(_) => self.new_tuple(vals),
                }
            }
            Constant::Ellipsis => Value::Obj(self.ellipsis.clone()),
            Constant::Code(code) => Value::Obj(self.load_code((**code).clone())),
        }
    }

    /// Makes a `code` object from compiled code: constants become values once,
    /// names are interned.
    pub fn load_code(&self, code: CodeObject) -> PyRef {
        let consts: Vec<Value> = code.consts.iter().map(|c| self.load_constant(c)).collect();
        let names: Vec<PyRef> = code.names.iter().map(|n| self.intern(n)).collect();
        let varnames: Vec<PyRef> = code.varnames.iter().map(|n| self.intern(n)).collect();
        let cell_and_free: Vec<PyRef> =
            code.cellvars.iter().chain(code.freevars.iter()).map(|n| self.intern(n)).collect();
        let name = self.intern(&code.name);
        let qualname = self.intern(&code.qualname);
        let filename = self.intern(&code.filename);
        let global_cache = names.iter().map(|_| crate::types::code::GlobalCache::empty()).collect();
        use krait_compiler::code::flags;
        let not_simple = flags::VARARGS | flags::VARKEYWORDS | flags::GENERATOR | flags::COROUTINE | flags::ASYNC_GENERATOR;
        let simple_args = code.flags & not_simple == 0
            && code.kwonlyargcount == 0
            && code.cellvars.is_empty()
            && code.freevars.is_empty();
        let attr_cache = names.iter().map(|_| crate::types::code::AttrCache::empty()).collect();
        let nlocalsplus = code.varnames.len() + code.cellvars.len() + code.freevars.len();
        let pc = PyCode {
            quick: quicken::quicken(&code.code),
            nlocalsplus: nlocalsplus as u32,
            start: code.code.first().is_some_and(|i| i.op_byte() == Opcode::Resume as u8 && i.arg() == 0) as u32,
            frame_slots: (nlocalsplus + code.stacksize as usize + 1) as u32,
            attr_cache,
            simple_args,
            global_cache,
            code,
            consts: consts.into_boxed_slice(),
            names: names.into_boxed_slice(),
            varnames: varnames.into_boxed_slice(),
            cell_and_free: cell_and_free.into_boxed_slice(),
            name,
            qualname,
            filename,
        };
        PyRef::new(self.types.code.clone(), Payload::Code(Box::new(pc)))
    }

    /// The builtins dict a frame with `globals` uses: `globals['__builtins__']`
    /// (a module or a dict), else the interpreter's builtins.
    fn builtins_for(&self, globals: &PyRef) -> PyRef {
        match self.dict_get_str(globals, &self.intern("__builtins__")) {
            Some(Value::Obj(o)) => match &o.payload {
                Payload::Module(m) => m.dict.clone(),
                _ if o.payload.as_dict().is_some() => o,
                _ => self.builtins_dict.clone(),
            },
            _ => self.builtins_dict.clone(),
        }
    }

    /// Runs a module body: its locals are its globals.
    pub fn run_module_code(&self, code: &PyRef, globals: &PyRef) -> PyResult {
        if code.payload.as_code().is_none() {
            return Err(self.new_type_error("run_module_code needs a code object"));
        }
        let builtins = self.builtins_for(globals);
        let frame = Frame::new(code.clone(), globals.clone(), builtins, Some(Value::Obj(globals.clone())));
        run_toplevel(self, frame)
    }

    /// Runs code for `exec`/`eval` with separate globals and locals (any
    /// mapping). Adds `__builtins__` to globals when missing, as CPython does.
    pub fn exec_code(&self, code: &PyRef, globals: &PyRef, locals: Value) -> PyResult {
        let Some(pc) = code.payload.as_code() else {
            return Err(self.new_type_error("exec_code needs a code object"));
        };
        if !pc.code.freevars.is_empty() {
            return Err(self.new_type_error("code object passed to exec() may not contain free variables"));
        }
        let key = self.intern("__builtins__");
        if self.dict_get_str(globals, &key).is_none() {
            self.dict_set_str(globals, &key, Value::Obj(self.builtins.clone()));
        }
        let builtins = self.builtins_for(globals);
        let frame = Frame::new(code.clone(), globals.clone(), builtins, Some(locals));
        run_toplevel(self, frame)
    }

    /// The SyntaxError (IndentationError, TabError, RecursionError) for a
    /// compile error, with CPython's args and attributes.
    pub fn compile_error_to_exception(&self, err: &CompileError) -> PyErr {
        let typ = match err.kind {
            ErrorKind::SyntaxError => &self.exc.syntax_error,
            ErrorKind::IndentationError => &self.exc.indentation_error,
            ErrorKind::TabError => &self.exc.tab_error,
            ErrorKind::RecursionError => return self.new_recursion_error(err.msg.clone()),
        };
        if err.no_location {
            return self.new_exception(typ, vec![self.new_str(err.msg.as_str())]);
        }
        let text = match &err.text {
            Some(t) => self.new_str(t.as_str()),
            None => Value::None,
        };
        // Source that cannot be decoded: CPython's details are (filename, 0, -1, None).
        let undecoded = err.lineno == 0 && err.text.is_none();
        let (offset, end_lineno, end_offset) = if undecoded {
            (Value::Int(-1), Value::None, Value::None)
        } else {
            (Value::Int(err.offset as i64), Value::Int(err.end_lineno as i64), Value::Int(err.end_offset as i64))
        };
        let fields = [
            ("filename", self.new_str(err.filename.as_str())),
            ("lineno", Value::Int(err.lineno as i64)),
            ("offset", offset),
            ("text", text),
            ("end_lineno", end_lineno),
            ("end_offset", end_offset),
        ];
        let msg = self.new_str(err.msg.as_str());
        let shown = if undecoded { 4 } else { 6 };
        let details = self.new_tuple(fields[..shown].iter().map(|(_, v)| v.clone()).collect());
        let e = match self.call(&Value::Obj(typ.clone()), Args::new(&[msg.clone(), details.clone()])) {
            Ok(Value::Obj(o)) if o.payload.as_exception().is_some() => o,
            _ => self.new_exception(typ, vec![msg.clone(), details]),
        };
        let ev = Value::Obj(e.clone());
        let _ = self.setattr_str(&ev, "msg", msg);
        for (name, v) in fields {
            let _ = self.setattr_str(&ev, name, v);
        }
        if self.getattr_opt(&ev, "print_file_and_line").ok().flatten().is_none() {
            let _ = self.setattr_str(&ev, "print_file_and_line", Value::None);
        }
        e
    }

    /// The innermost running frame, if any.
    fn top_frame(&self) -> Option<crate::eval::frame::FrameRef> {
        self.frames.borrow().last().copied()
    }

    /// `globals()` of the running Python code.
    pub fn current_globals(&self) -> Option<PyRef> {
        // SAFETY: frames on `vm.frames` are alive while they are listed.
        self.top_frame().map(|f| PyRef::clone(&unsafe { f.get() }.globals))
    }

    /// `locals()` of the running frame: its namespace for module/class/exec
    /// code, else a fresh dict of the bound fast locals and cells.
    pub fn current_locals(&self) -> PyResult<Value> {
        let Some(fr) = self.top_frame() else {
            return Err(self.new_system_error("locals(): no current frame"));
        };
        // SAFETY: as in `current_globals`; only read.
        let f = unsafe { fr.get() };
        if let Some(l) = &f.locals {
            return Ok(l.clone());
        }
        Ok(Value::Obj(self.fast_locals_dict(f)))
    }

    /// What zero-argument `super()` needs: the `__class__` cell's class and
    /// the running function's first argument.
    pub fn current_frame_super_args(&self) -> PyResult<(PyRef, Value)> {
        let Some(fr) = self.top_frame() else {
            return Err(self.new_runtime_error("super(): no current frame"));
        };
        // SAFETY: as in `current_globals`; only read.
        let f = unsafe { fr.get() };
        let code = f.code();
        let co = &code.code;
        if co.argcount == 0 && co.flags & krait_compiler::code::flags::VARARGS == 0 {
            return Err(self.new_runtime_error("super(): no arguments"));
        }
        let nlocals = co.varnames.len();
        // The first argument, read from its cell when it was moved into one.
        let mut first = f.slots.first().cloned().filter(|v| !is_null_slow(v));
        if let Some(ci) = co.cell2arg.iter().position(|a| *a == Some(0)) {
            first = f.slots.get(nlocals + ci).and_then(ops::cell_get);
        }
        let Some(first) = first else {
            return Err(self.new_runtime_error("super(): arg[0] deleted"));
        };
        let ncell = co.cellvars.len();
        let Some(k) = co.freevars.iter().position(|n| n == "__class__") else {
            return Err(self.new_runtime_error("super(): __class__ cell not found"));
        };
        match f.slots.get(nlocals + ncell + k).and_then(ops::cell_get) {
            None => Err(self.new_runtime_error("super(): empty __class__ cell")),
            Some(Value::Obj(c)) if c.payload.as_type().is_some() => Ok((c, first)),
            Some(other) => Err(self.new_type_error(format!(
                "super(): __class__ is not a type ({})",
                self.type_name_of(&other)
            ))),
        }
    }

    /// (code object, current line) of every running frame, outermost first.
    pub fn frame_stack_summary(&self) -> Vec<(PyRef, u32)> {
        let frames = self.frames.borrow().clone();
        frames
            .iter()
            .map(|fr| {
                // SAFETY: as in `current_globals`; only read.
                let f = unsafe { fr.get() };
                (PyRef::clone(&f.code), f.lineno())
            })
            .collect()
    }

    /// (globals, `co_filename`, current line) of every running frame,
    /// innermost first (what `warnings.warn` needs to place a warning).
    pub fn frame_contexts(&self) -> Vec<(PyRef, PyRef, u32)> {
        let frames = self.frames.borrow().clone();
        frames
            .iter()
            .rev()
            .map(|fr| {
                // SAFETY: as in `current_globals`; only read.
                let f = unsafe { fr.get() };
                (PyRef::clone(&f.globals), PyRef::clone(&f.code().filename), f.lineno())
            })
            .collect()
    }

    /// The frame object of the frame `depth` levels below the innermost
    /// (`sys._getframe(depth)`), with `f_back` linked; None if too deep. Each
    /// live frame keeps one frame object, so repeated calls give the same one.
    pub fn frame_object_at(&self, depth: usize) -> Option<PyRef> {
        let frames = self.frames.borrow().clone();
        if depth >= frames.len() {
            return None;
        }
        let mut back: Option<PyRef> = None;
        for fr in &frames[..frames.len() - depth] {
            // SAFETY: frames listed on `vm.frames` are alive, and only this
            // thread (holding the GIL) touches them; `frame_object` only
            // fills the frame's cached object and runs no Python code.
            let f = unsafe { &mut *fr.0.as_ptr() };
            let fo = f.frame_object(self);
            if let Payload::Frame(fi) = &fo.payload {
                if fi.back.get().is_none() {
                    fi.back.set(back.take().map(Value::Obj));
                }
            }
            back = Some(fo);
        }
        back
    }

    /// The frame object of the live frame `frame` (a running generator's),
    /// with `f_back` linked as `sys._getframe` links it.
    pub fn frame_object_of(&self, frame: *const Frame) -> Option<PyRef> {
        let frames = self.frames.borrow();
        let at = frames.iter().rposition(|fr| std::ptr::eq(fr.0.as_ptr(), frame))?;
        let depth = frames.len() - 1 - at;
        drop(frames);
        self.frame_object_at(depth)
    }

    /// The live frame whose frame object is `fo` (None once it has finished).
    pub fn live_frame_of(&self, fo: &PyRef) -> Option<crate::eval::frame::FrameRef> {
        self.frames.borrow().iter().rev().copied().find(|fr| {
            // SAFETY: as in `current_globals`; only read.
            unsafe { fr.get() }.frame_obj.as_ref().is_some_and(|o| o.is(fo))
        })
    }

    /// (`f_locals`, `f_lineno`, `f_lasti`) of a live frame: its namespace or
    /// a fresh dict of its bound fast locals, as CPython computes on access.
    pub fn live_frame_state(&self, fr: crate::eval::frame::FrameRef) -> (Value, u32, u32) {
        // SAFETY: the caller got `fr` from `vm.frames` just now; only read.
        let f = unsafe { fr.get() };
        let locals = match &f.locals {
            Some(l) => l.clone(),
            None => Value::Obj(self.fast_locals_dict(f)),
        };
        (locals, f.lineno(), f.lasti)
    }

    /// A fresh dict of a frame's bound fast locals, cells and free variables.
    pub(crate) fn fast_locals_dict(&self, f: &Frame) -> PyRef {
        self.locals_dict_from(f.code(), &f.slots)
    }

    /// The dict of bound fast locals, cells and free variables in `slots`
    /// (a frame's, or those a finished frame's object kept).
    pub(crate) fn locals_dict_from(&self, code: &crate::types::code::PyCode, slots: &[Value]) -> PyRef {
        let d = self.new_dict();
        for (i, name) in code.varnames.iter().enumerate() {
            if let Some(v) = slots.get(i) {
                if !is_null_slow(v) {
                    self.dict_set_str(&d, name, v.clone());
                }
            }
        }
        let base = code.varnames.len();
        for (k, name) in code.cell_and_free.iter().enumerate() {
            if let Some(v) = slots.get(base + k).and_then(ops::cell_get) {
                self.dict_set_str(&d, name, v);
            }
        }
        d
    }
}

/// Runs a frame prepared by `prepare_call` (used by natives that need the
/// frame, e.g. to call with extra setup). Exposed for tests.
pub fn call_prepared(vm: &Vm, prepared: Prepared) -> PyResult {
    match prepared {
        Prepared::Value(v) => Ok(v),
        Prepared::Frame(frame) => run_toplevel(vm, frame),
    }
}

/// Binds and prepares a call without running it.
pub fn prepare(vm: &Vm, func: &PyRef, args: Args) -> PyResult<Prepared> {
    prepare_call(vm, func, args.args, args.kwnames, None)
}

#[cfg(test)]
mod tests;
