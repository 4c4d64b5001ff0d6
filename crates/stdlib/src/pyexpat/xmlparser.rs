//! The `pyexpat.xmlparser` type: `Parse`, `ParseFile`, the handler
//! attributes, character data buffering, and the position attributes.

use super::core::{code, Core, XmlError};
use super::encoding::{Decoder, Need};
use super::events::{Ev, Event, Model, Set, H, HANDLER_COUNT, HANDLER_NAMES};
use crate::native::{descr_error, native_type, new_object, TypeSpec};
use krait_vm::gc::{NativeData, Visitor};
use krait_vm::payload::GetSetDef;
use krait_vm::types::typeobj::Layout;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::RefCell;

pub struct Inner {
    pub core: Core,
    pub dec: Decoder,
    pub handlers: [Option<Value>; HANDLER_COUNT],
    pub intern: Option<Value>,
    pub buffer_text: bool,
    pub buffer_size: usize,
    pub buffer: String,
    pub ordered: bool,
    pub specified: bool,
    pub base: Option<String>,
    /// Parsing has ended (final data seen, an error, or a handler raised).
    pub finished: bool,
    /// The position reported as Current* (the event being handled).
    pub pos: (u64, u64, i64),
    pub last_error: Option<XmlError>,
    /// A handler is running.
    pub in_callback: bool,
}

pub struct XmlParser {
    pub inner: RefCell<Inner>,
}

impl NativeData for XmlParser {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        if let Ok(i) = self.inner.try_borrow() {
            for v in i.handlers.iter().flatten() {
                visitor.visit_value(v);
            }
            if let Some(v) = &i.intern {
                visitor.visit_value(v);
            }
        }
    }
    fn clear(&self) {
        let old = self.inner.try_borrow_mut().map(|mut i| {
            (std::mem::take(&mut i.handlers), i.intern.take())
        });
        drop(old);
    }
}

pub fn parser_type(vm: &Vm) -> PyRef {
    native_type(vm, &XMLPARSER)
}

pub fn new_parser(vm: &Vm, encoding: Option<String>, ns_sep: Option<String>, intern: Option<Value>) -> Value {
    let inner = Inner {
        core: Core::new(ns_sep),
        dec: Decoder::new(encoding),
        handlers: Default::default(),
        intern,
        buffer_text: false,
        buffer_size: 8192,
        buffer: String::new(),
        ordered: false,
        specified: false,
        base: None,
        finished: false,
        pos: (1, 0, -1),
        last_error: None,
        in_callback: false,
    };
    let t = parser_type(vm);
    new_object(vm, &t, &t, XmlParser { inner: RefCell::new(inner) })
}

pub(super) fn state<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a XmlParser> {
    v.payload()
        .and_then(|p| p.as_native::<XmlParser>())
        .ok_or_else(|| descr_error(vm, name, "pyexpat.xmlparser", v))
}

/// The ExpatError for an expat error code at a position.
pub fn expat_error(vm: &Vm, e: XmlError) -> krait_vm::PyErr {
    let msg = super::errors::message(e.code as i64).unwrap_or("unknown error");
    let cls = match super::error_class(vm) {
        Ok(c) => c,
        Err(err) => return err,
    };
    let exc = vm.new_exception_msg(&cls, format!("{msg}: line {}, column {}", e.line, e.col));
    let v = Value::Obj(exc.clone());
    for (k, n) in [("code", e.code as i64), ("lineno", e.line as i64), ("offset", e.col as i64)] {
        if let Err(err) = vm.setattr_str(&v, k, Value::Int(n)) {
            return err;
        }
    }
    exc
}

fn opt_str(vm: &Vm, s: Option<String>) -> Value {
    s.map_or(Value::None, |s| vm.new_str(s))
}

impl XmlParser {
    /// Has a document begun and not ended?
    fn parsing_now(&self) -> bool {
        let i = self.inner.borrow();
        i.core.started() && !i.finished
    }

    fn intern(&self, vm: &Vm, s: &str) -> PyResult {
        let d = self.inner.borrow().intern.clone();
        let v = vm.new_str(s);
        let Some(Value::Obj(d)) = d else { return Ok(v) };
        if let Some(old) = vm.dict_get(&d, &v)? {
            return Ok(old);
        }
        vm.dict_set(&d, v.clone(), v.clone())?;
        Ok(v)
    }

    fn handler(&self, h: H) -> Option<Value> {
        self.inner.borrow().handlers[h as usize].clone()
    }

    /// Gives the buffered character data to the handler.
    pub fn flush(&self, vm: &Vm) -> PyResult<()> {
        let data = std::mem::take(&mut self.inner.borrow_mut().buffer);
        if data.is_empty() {
            return Ok(());
        }
        match self.handler(H::CharacterData) {
            Some(h) => vm.call1(&h, &[vm.new_str(data)]).map(drop),
            None => Ok(()),
        }
    }

    fn call(&self, vm: &Vm, h: &Value, args: &[Value]) -> PyResult {
        self.flush(vm)?;
        vm.call1(h, args)
    }

    fn chars(&self, vm: &Vm, s: String, raw: Option<String>) -> PyResult<()> {
        let Some(h) = self.handler(H::CharacterData) else { return self.default(vm, raw) };
        let (buffered, size) = {
            let i = self.inner.borrow();
            (i.buffer_text, i.buffer_size)
        };
        if !buffered {
            return vm.call1(&h, &[vm.new_str(s)]).map(drop);
        }
        if self.inner.borrow().buffer.len() + s.len() > size {
            self.flush(vm)?;
        }
        if s.len() > size {
            return vm.call1(&h, &[vm.new_str(s)]).map(drop);
        }
        self.inner.borrow_mut().buffer.push_str(&s);
        Ok(())
    }

    fn default(&self, vm: &Vm, raw: Option<String>) -> PyResult<()> {
        let h = self.handler(H::Default).or_else(|| self.handler(H::DefaultExpand));
        match (h, raw) {
            (Some(h), Some(raw)) => self.call(vm, &h, &[vm.new_str(raw)]).map(drop),
            _ => Ok(()),
        }
    }

    fn model(&self, vm: &Vm, m: Model) -> PyResult {
        let name = match m.name {
            Some(n) => self.intern(vm, &n)?,
            None => Value::None,
        };
        let mut kids = Vec::with_capacity(m.children.len());
        for c in m.children {
            kids.push(self.model(vm, c)?);
        }
        Ok(vm.new_tuple(vec![Value::Int(m.ctype as i64), Value::Int(m.quant as i64), name, vm.new_tuple(kids)]))
    }

    /// Calls the handler an event is for (or the default handler).
    fn dispatch(&self, vm: &Vm, e: Event) -> PyResult<()> {
        self.inner.borrow_mut().pos = (e.line, e.col, e.byte);
        if let Ev::Chars(s) = e.ev {
            return self.chars(vm, s, e.raw);
        }
        let base = || opt_str(vm, self.inner.borrow().base.clone());
        let h = e.ev.handler().and_then(|h| self.handler(h));
        // An unparsed entity goes to UnparsedEntityDeclHandler first.
        if let Ev::EntityDecl { notation: Some(_), .. } = &e.ev {
            if let Some(u) = self.handler(H::UnparsedEntityDecl) {
                if let Ev::EntityDecl { name, sysid, pubid, notation, .. } = e.ev {
                    let args =
                        [self.intern(vm, &name)?, base(), opt_str(vm, sysid), opt_str(vm, pubid), opt_str(vm, notation)];
                    return self.call(vm, &u, &args).map(drop);
                }
            }
        }
        let Some(h) = h else {
            return match e.ev {
                Ev::NotStandalone => Ok(()),
                _ => self.default(vm, e.raw),
            };
        };
        let args: Vec<Value> = match e.ev {
            Ev::Raw | Ev::Chars(_) => return Ok(()),
            Ev::XmlDecl { version, encoding, standalone } => {
                vec![opt_str(vm, version), opt_str(vm, encoding), Value::Int(standalone as i64)]
            }
            Ev::StartDoctype { name, sysid, pubid, internal } => {
                vec![self.intern(vm, &name)?, opt_str(vm, sysid), opt_str(vm, pubid), Value::Int(internal as i64)]
            }
            Ev::EndDoctype | Ev::StartCdata | Ev::EndCdata => vec![],
            Ev::EntityDecl { name, param, value, sysid, pubid, notation } => vec![
                self.intern(vm, &name)?,
                Value::Int(param as i64),
                opt_str(vm, value),
                base(),
                opt_str(vm, sysid),
                opt_str(vm, pubid),
                opt_str(vm, notation),
            ],
            Ev::NotationDecl { name, sysid, pubid } => {
                vec![self.intern(vm, &name)?, base(), opt_str(vm, sysid), opt_str(vm, pubid)]
            }
            Ev::ElementDecl { name, model } => vec![self.intern(vm, &name)?, self.model(vm, model)?],
            Ev::AttlistDecl { elname, attname, atype, default, required } => vec![
                self.intern(vm, &elname)?,
                self.intern(vm, &attname)?,
                vm.new_str(atype),
                opt_str(vm, default),
                Value::Int(required as i64),
            ],
            Ev::StartElement { name, attrs, specified } => {
                let (ordered, only_spec) = {
                    let i = self.inner.borrow();
                    (i.ordered, i.specified)
                };
                let n = if only_spec { specified } else { attrs.len() };
                let a = if ordered {
                    let mut l = Vec::with_capacity(2 * n);
                    for (k, v) in attrs.into_iter().take(n) {
                        l.push(self.intern(vm, &k)?);
                        l.push(vm.new_str(v));
                    }
                    vm.new_list(l)
                } else {
                    let d = vm.new_dict();
                    for (k, v) in attrs.into_iter().take(n) {
                        vm.dict_set(&d, self.intern(vm, &k)?, vm.new_str(v))?;
                    }
                    Value::Obj(d)
                };
                vec![self.intern(vm, &name)?, a]
            }
            Ev::EndElement { name } => vec![self.intern(vm, &name)?],
            Ev::StartNs { prefix, uri } => {
                let p = match prefix {
                    Some(p) => self.intern(vm, &p)?,
                    None => Value::None,
                };
                vec![p, opt_str(vm, uri)]
            }
            Ev::EndNs { prefix } => vec![match prefix {
                Some(p) => self.intern(vm, &p)?,
                None => Value::None,
            }],
            Ev::Pi { target, data } => vec![self.intern(vm, &target)?, vm.new_str(data)],
            Ev::Comment(s) => vec![vm.new_str(s)],
            Ev::Skipped { name, param } => vec![self.intern(vm, &name)?, Value::Int(param as i64)],
            Ev::ExternalRef { context, sysid, pubid } => {
                let r = self.call(vm, &h, &[opt_str(vm, context), base(), opt_str(vm, sysid), opt_str(vm, pubid)])?;
                if !vm.truthy(&r)? {
                    let err = self.inner.borrow_mut().core.fail(code::EXTERNAL_ENTITY_HANDLING);
                    return Err(expat_error(vm, err));
                }
                return Ok(());
            }
            Ev::NotStandalone => {
                let r = self.call(vm, &h, &[])?;
                if !vm.truthy(&r)? {
                    let err = self.inner.borrow_mut().core.fail(code::NOT_STANDALONE);
                    return Err(expat_error(vm, err));
                }
                return Ok(());
            }
        };
        self.call(vm, &h, &args).map(drop)
    }

    fn handler_set(&self) -> Set {
        let i = self.inner.borrow();
        let mut s = 0u32;
        for (k, h) in i.handlers.iter().enumerate() {
            if h.is_some() {
                s |= 1 << k;
            }
        }
        Set(s)
    }

    /// A single-byte encoding's table from Python's codec, as pyexpat builds it.
    fn encoding_table(vm: &Vm, name: &str) -> PyResult<[Option<char>; 256]> {
        let all: Vec<u8> = (0..=255).collect();
        let codecs = vm.import_full("codecs")?;
        let decode = vm.getattr_str(&Value::Obj(codecs), "decode")?;
        let r = vm.call1(&decode, &[vm.new_bytes(all), vm.new_str(name), vm.new_str("replace")])?;
        let chars: Vec<char> = vm.as_str(&r).map(|s| s.chars().collect()).unwrap_or_default();
        if chars.len() != 256 {
            return Err(vm.new_value_error("multi-byte encodings are not supported"));
        }
        Ok(std::array::from_fn(|i| Some(chars[i]).filter(|c| *c != '\u{FFFD}')))
    }

    pub fn parse(&self, vm: &Vm, data: &[u8], is_str: bool, final_: bool) -> PyResult {
        if self.inner.borrow().finished {
            let err = {
                let i = self.inner.borrow();
                let (line, col, byte) = i.pos;
                XmlError { code: code::FINISHED, line, col, byte }
            };
            return Err(expat_error(vm, err));
        }
        let mut out = Vec::new();
        let r = {
            let mut i = self.inner.borrow_mut();
            if is_str && matches!(i.dec.enc, super::encoding::Enc::Unknown) {
                i.dec.enc = super::encoding::Enc::Utf8;
            }
            i.dec.feed(data, final_, &mut out)
        };
        if let Err(Need::Table(name)) = r {
            let t = match Self::encoding_table(vm, &name) {
                Ok(t) => t,
                Err(e) => {
                    self.inner.borrow_mut().finished = true;
                    return Err(e);
                }
            };
            let mut i = self.inner.borrow_mut();
            i.dec.set_table(t);
            // The data is held by the decoder now (a table needs no other).
            let _ = i.dec.feed(&[], final_, &mut out);
        }
        self.inner.borrow_mut().core.feed(&out);
        self.run(vm, final_)
    }

    fn run(&self, vm: &Vm, final_: bool) -> PyResult {
        {
            let mut i = self.inner.borrow_mut();
            i.core.split_data = i.dec.converts();
            let bom = std::mem::take(&mut i.dec.bom);
            if bom > 0 {
                i.core.skip_bom(bom);
            }
            i.core.src_width = i.dec.width();
            i.core.trailing_partial = final_ && i.dec.pending();
        }
        loop {
            let set = self.handler_set();
            let r = {
                let mut i = self.inner.borrow_mut();
                i.core.handlers = set;
                i.core.next(final_)
            };
            match r {
                Ok(Some(e)) => {
                    let outer = std::mem::replace(&mut self.inner.borrow_mut().in_callback, true);
                    let r = self.dispatch(vm, e);
                    self.inner.borrow_mut().in_callback = outer;
                    if let Err(err) = r {
                        let mut i = self.inner.borrow_mut();
                        i.finished = true;
                        // The parser stopped after the token whose handler raised.
                        i.pos = i.core.position();
                        if let Some(xe) = i.core.error {
                            i.pos = (xe.line, xe.col, xe.byte);
                            i.last_error = Some(xe);
                        }
                        return Err(err);
                    }
                }
                Ok(None) => break,
                Err(xe) => {
                    let mut i = self.inner.borrow_mut();
                    i.finished = true;
                    i.pos = (xe.line, xe.col, xe.byte);
                    i.last_error = Some(xe);
                    drop(i);
                    return Err(expat_error(vm, xe));
                }
            }
        }
        let here = self.inner.borrow().core.position();
        self.inner.borrow_mut().pos = here;
        self.flush(vm)?;
        let mut i = self.inner.borrow_mut();
        if final_ {
            i.finished = true;
        }
        Ok(Value::Int(1))
    }
}

fn xp_parse(vm: &Vm, args: Args) -> PyResult {
    let me = args.args.first().cloned().unwrap_or(Value::None);
    let p = state(vm, &me, "Parse")?;
    if args.has_kwargs() {
        let n = args.positional().len() - 1;
        return Err(vm.new_type_error(format!("Parse() takes at least 1 positional argument ({n} given)")));
    }
    let rest = Args { args: &args.args[1..], kwnames: args.kwnames };
    let b = vm.bind_native("Parse", rest, &["data", "isfinal"], 2, 1, None)?;
    let data = b[0].clone().unwrap_or(Value::None);
    let final_ = match &b[1] {
        Some(v) => crate::native::c_int(vm, v)? != 0,
        None => false,
    };
    if let Some(s) = vm.as_str(&data) {
        let bytes = s.as_bytes().to_vec();
        return p.parse(vm, &bytes, true, final_);
    }
    match krait_vm::types::int::bytes_like(&data) {
        Some(bytes) => p.parse(vm, &bytes, false, final_),
        None => Err(vm.new_type_error(format!(
            "a bytes-like object is required, not '{}'",
            vm.type_name_of(&data)
        ))),
    }
}

fn xp_parse_file(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("ParseFile", args, 2, 2)?;
    let me = &args.args[0];
    let p = state(vm, me, "ParseFile")?;
    let Some(read) = vm.getattr_opt(&args.args[1], "read")? else {
        return Err(vm.new_type_error("argument must have 'read' attribute"));
    };
    loop {
        let data = vm.call1(&read, &[Value::Int(2048)])?;
        let bytes = if let Some(b) = data.payload().and_then(|p| p.as_bytes()) {
            b.to_vec()
        } else {
            return Err(vm.new_type_error(format!(
                "read() did not return a bytes object (type={})",
                vm.type_name_of(&data)
            )));
        };
        let last = bytes.is_empty();
        p.parse(vm, &bytes, false, last)?;
        if last {
            return Ok(Value::Int(1));
        }
    }
}

fn xp_set_base(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("SetBase", args, 2, 2)?;
    let p = state(vm, &args.args[0], "SetBase")?;
    let Some(s) = vm.as_str(&args.args[1]) else {
        return Err(vm.new_type_error(format!("SetBase() argument must be str, not {}", vm.type_name_of(&args.args[1]))));
    };
    p.inner.borrow_mut().base = Some(s.to_string());
    Ok(Value::None)
}

fn xp_get_base(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("GetBase", args, 1, 1)?;
    let p = state(vm, &args.args[0], "GetBase")?;
    let b = p.inner.borrow().base.clone();
    Ok(opt_str(vm, b))
}

/// The input from the event being handled on, inside a handler (None
/// elsewhere).
fn xp_get_input_context(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("GetInputContext", args, 1, 1)?;
    let p = state(vm, &args.args[0], "GetInputContext")?;
    let i = p.inner.borrow();
    if !i.in_callback {
        return Ok(Value::None);
    }
    Ok(vm.new_bytes(i.core.context_from(i.pos.2)))
}

fn xp_set_param_entity_parsing(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("SetParamEntityParsing", args, 2, 2)?;
    let p = state(vm, &args.args[0], "SetParamEntityParsing")?;
    let flag = crate::native::c_int(vm, &args.args[1])?;
    // expat refuses only while a document is being parsed.
    let ok = !p.parsing_now();
    if ok {
        p.inner.borrow_mut().core.param_entity_parsing = flag;
    }
    Ok(Value::Int(ok as i64))
}

fn xp_use_foreign_dtd(vm: &Vm, args: Args) -> PyResult {
    let me = args.args.first().cloned().unwrap_or(Value::None);
    let p = state(vm, &me, "UseForeignDTD")?;
    let rest = Args { args: &args.args[1..], kwnames: args.kwnames };
    let b = vm.bind_native("UseForeignDTD", rest, &["flag"], 1, 0, None)?;
    let flag = match &b[0] {
        Some(v) => vm.truthy(v)?,
        None => true,
    };
    if p.parsing_now() {
        let e = {
            let i = p.inner.borrow();
            let (line, col, byte) = i.pos;
            XmlError { code: 26, line, col, byte }
        };
        return Err(expat_error(vm, e));
    }
    p.inner.borrow_mut().core.use_foreign_dtd = flag;
    Ok(Value::None)
}

fn xp_external_entity_parser_create(vm: &Vm, args: Args) -> PyResult {
    let me = args.args.first().cloned().unwrap_or(Value::None);
    let p = state(vm, &me, "ExternalEntityParserCreate")?;
    let rest = Args { args: &args.args[1..], kwnames: args.kwnames };
    vm.bind_native("ExternalEntityParserCreate", rest, &["context", "encoding"], 2, 1, None)?;
    let i = p.inner.borrow();
    let new = new_parser(vm, None, i.core.ns_sep.clone(), i.intern.clone());
    let np = state(vm, &new, "ExternalEntityParserCreate")?;
    {
        let mut n = np.inner.borrow_mut();
        n.handlers = i.handlers.clone();
        n.ordered = i.ordered;
        n.specified = i.specified;
        n.buffer_text = i.buffer_text;
        n.buffer_size = i.buffer_size;
        n.base = i.base.clone();
        n.core.entities = i.core.entities.clone();
        n.core.ns_prefixes = i.core.ns_prefixes;
        n.core.start_external();
    }
    Ok(new)
}

fn xp_new(vm: &Vm, _args: Args) -> PyResult {
    Err(vm.new_type_error("cannot create 'pyexpat.xmlparser' instances"))
}

static METHODS: [NativeDef; 9] = [
    NativeDef::staticmethod("__new__", xp_new),
    NativeDef::method("Parse", xp_parse).doc("Parse($self, data, isfinal=False, /)\n--\n\nParse XML data.\n\n`isfinal' should be true at end of input."),
    NativeDef::method("ParseFile", xp_parse_file).doc("ParseFile($self, file, /)\n--\n\nParse XML data from file-like object."),
    NativeDef::method("SetBase", xp_set_base),
    NativeDef::method("GetBase", xp_get_base),
    NativeDef::method("GetInputContext", xp_get_input_context),
    NativeDef::method("SetParamEntityParsing", xp_set_param_entity_parsing),
    NativeDef::method("UseForeignDTD", xp_use_foreign_dtd),
    NativeDef::method("ExternalEntityParserCreate", xp_external_entity_parser_create),
];

macro_rules! handler_getset {
    ($($h:ident),*) => {
        [$(GetSetDef {
            name: HANDLER_NAMES[H::$h as usize],
            get: |vm, v| {
                let p = state(vm, v, HANDLER_NAMES[H::$h as usize])?;
                let h = p.inner.borrow().handlers[H::$h as usize].clone();
                Ok(h.unwrap_or(Value::None))
            },
            set: Some(|vm, v, value| set_handler(vm, v, H::$h, value)),
            doc: "",
        }),*]
    };
}

fn set_handler(vm: &Vm, v: &Value, h: H, value: Option<Value>) -> PyResult<()> {
    let p = state(vm, v, HANDLER_NAMES[h as usize])?;
    let value = match value {
        None => return Err(vm.new_runtime_error("Cannot delete attribute")),
        Some(Value::None) => None,
        Some(v) => Some(v),
    };
    if h == H::CharacterData {
        p.flush(vm)?;
    }
    let old = std::mem::replace(&mut p.inner.borrow_mut().handlers[h as usize], value);
    drop(old);
    Ok(())
}

pub static HANDLER_GETSETS: [GetSetDef; HANDLER_COUNT] = handler_getset!(
    StartElement,
    EndElement,
    ProcessingInstruction,
    CharacterData,
    UnparsedEntityDecl,
    NotationDecl,
    StartNamespaceDecl,
    EndNamespaceDecl,
    Comment,
    StartCdataSection,
    EndCdataSection,
    Default,
    DefaultExpand,
    NotStandalone,
    ExternalEntityRef,
    StartDoctypeDecl,
    EndDoctypeDecl,
    EntityDecl,
    XmlDecl,
    ElementDecl,
    AttlistDecl,
    SkippedEntity
);

pub(super) static XMLPARSER: TypeSpec = TypeSpec {
    module: "pyexpat",
    name: "xmlparser",
    doc: "XML parser",
    layout: Layout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &METHODS,
    more_methods: &[],
    getsets: &HANDLER_GETSETS,
};
