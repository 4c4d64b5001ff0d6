//! The XML parser proper: input buffering, the element content state
//! machine, entity expansion, attributes and namespaces. The prolog and
//! document type declaration are in `dtd.rs`. The parser turns the text it
//! is fed into `Event`s, one `next` at a time, so that the Python handlers
//! run with no borrow of the parser held.

use super::content::{content_token, cdata_token, pi, CTok, CdTok, RawAttr, Span};
use super::events::{Ev, Event, Set, H};
use super::scan::{advance, char_ref_value, text, Stop};
use std::collections::{HashMap, VecDeque};

pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
pub const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

pub mod code {
    pub const SYNTAX: u32 = 2;
    pub const NO_ELEMENTS: u32 = 3;
    pub const UNCLOSED_TOKEN: u32 = 5;
    pub const PARTIAL_CHAR: u32 = 6;
    pub const TAG_MISMATCH: u32 = 7;
    pub const DUPLICATE_ATTRIBUTE: u32 = 8;
    pub const JUNK_AFTER_DOC_ELEMENT: u32 = 9;
    pub const PARAM_ENTITY_REF: u32 = 10;
    pub const UNDEFINED_ENTITY: u32 = 11;
    pub const RECURSIVE_ENTITY_REF: u32 = 12;
    pub const ASYNC_ENTITY: u32 = 13;
    pub const BAD_CHAR_REF: u32 = 14;
    pub const BINARY_ENTITY_REF: u32 = 15;
    pub const ATTRIBUTE_EXTERNAL_ENTITY_REF: u32 = 16;
    pub const MISPLACED_XML_PI: u32 = 17;
    pub const UNCLOSED_CDATA_SECTION: u32 = 20;
    pub const EXTERNAL_ENTITY_HANDLING: u32 = 21;
    pub const NOT_STANDALONE: u32 = 22;
    pub const UNBOUND_PREFIX: u32 = 27;
    pub const UNDECLARING_PREFIX: u32 = 28;
    pub const XML_DECL: u32 = 30;
    pub const FINISHED: u32 = 36;
    pub const RESERVED_PREFIX_XML: u32 = 38;
    pub const RESERVED_PREFIX_XMLNS: u32 = 39;
    pub const RESERVED_NAMESPACE_URI: u32 = 40;
    pub const AMPLIFICATION_LIMIT_BREACH: u32 = 43;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XmlError {
    pub code: u32,
    pub line: u64,
    pub col: u64,
    pub byte: i64,
}

/// A declared general or parameter entity.
#[derive(Debug, Clone, Default)]
pub struct Entity {
    /// The replacement text of an internal entity.
    pub value: Option<String>,
    pub sysid: Option<String>,
    pub pubid: Option<String>,
    pub notation: Option<String>,
}

/// An attribute declared by `<!ATTLIST>`.
#[derive(Debug, Clone)]
pub struct AttDecl {
    pub name: String,
    pub default: Option<String>,
    pub cdata: bool,
}

/// An entity's replacement text being read, with where its reference was.
struct Frame {
    text: Vec<u8>,
    pos: usize,
    name: String,
    param: bool,
    depth: usize,
}

/// The width of characters in the document's encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    Utf8,
    One,
    Utf16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Prolog,
    Doctype,
    Subset,
    InDecl,
    AfterSubset,
    Content,
    Epilog,
}

/// The position of a token's start.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Pos {
    pub line: u64,
    pub col: u64,
    pub byte: i64,
    pub prev_cr: bool,
}

pub struct Core {
    pub ns_sep: Option<String>,
    pub ns_prefixes: bool,
    pub handlers: Set,
    pub param_entity_parsing: i32,
    pub use_foreign_dtd: bool,
    buf: Vec<u8>,
    pos: usize,
    /// Bytes dropped from the front of `buf`.
    base: i64,
    line: u64,
    col: u64,
    prev_cr: bool,
    pub(super) state: State,
    in_cdata: bool,
    pub(super) seen_doctype: bool,
    pub(super) decl_toks: Vec<(super::prolog::PTok, String)>,
    pub(super) decl_pos: Vec<Pos>,
    /// How many of the current declaration's events were reported.
    pub(super) decl_emitted: usize,
    /// The token being handled is the document's first.
    pub(super) first: bool,
    pub(super) decl_kind: String,
    pub(super) suppress: bool,
    pub(super) doctype_ext: (Option<String>, Option<String>),
    pub entities: HashMap<String, Entity>,
    pub pentities: HashMap<String, Entity>,
    pub(super) att_decls: HashMap<String, Vec<AttDecl>>,
    pub(super) has_ext: bool,
    pub(super) pe_seen: bool,
    pub(super) standalone: i32,
    /// Open elements: name as written, name as reported, namespace bindings made.
    tags: Vec<(String, String, usize)>,
    ns: Vec<(Option<String>, Option<String>)>,
    frames: Vec<Frame>,
    /// Where the first frame's reference was.
    frame_pos: Pos,
    queue: VecDeque<Event>,
    pub(super) tok: Pos,
    pub error: Option<XmlError>,
    /// The document has been seen to its end.
    pub done: bool,
    /// Character data is reported in pieces of at most 1024 bytes (expat
    /// does so when it converts from another encoding than UTF-8).
    pub split_data: bool,
    /// The input ended inside a character of a multi-byte encoding.
    pub trailing_partial: bool,
    /// How long the document's characters were before conversion to UTF-8.
    pub src_width: Width,
    /// The byte index (in the document's encoding) of `buf[pos]`.
    pub src_byte: i64,
    /// Bytes of entity replacement text read so far.
    amplified: u64,
    /// An external parsed entity (ExternalEntityParserCreate): content
    /// with any number of top-level elements, after an optional text declaration.
    external: bool,
}

impl Core {
    pub fn new(ns_sep: Option<String>) -> Core {
        Core {
            ns_sep,
            ns_prefixes: false,
            handlers: Set::default(),
            param_entity_parsing: 0,
            use_foreign_dtd: false,
            buf: Vec::new(),
            pos: 0,
            base: 0,
            line: 1,
            col: 0,
            prev_cr: false,
            state: State::Prolog,
            in_cdata: false,
            seen_doctype: false,
            decl_toks: Vec::new(),
            decl_pos: Vec::new(),
            decl_emitted: 0,
            first: false,
            decl_kind: String::new(),
            suppress: false,
            doctype_ext: (None, None),
            entities: HashMap::new(),
            pentities: HashMap::new(),
            att_decls: HashMap::new(),
            has_ext: false,
            pe_seen: false,
            standalone: -1,
            tags: Vec::new(),
            ns: Vec::new(),
            frames: Vec::new(),
            frame_pos: Pos::default(),
            queue: VecDeque::new(),
            tok: Pos::default(),
            error: None,
            done: false,
            split_data: false,
            trailing_partial: false,
            src_width: Width::Utf8,
            src_byte: 0,
            external: false,
            amplified: 0,
        }
    }

    /// The length in the document's encoding of converted text.
    fn src_len(&self, t: &[u8]) -> i64 {
        match self.src_width {
            Width::Utf8 => t.len() as i64,
            Width::One => t.iter().filter(|b| *b & 0xC0 != 0x80).count() as i64,
            Width::Utf16 => t.iter().map(|&b| if b & 0xC0 == 0x80 { 0 } else if b >= 0xF0 { 4 } else { 2 }).sum(),
        }
    }

    /// A byte order mark was removed: expat counts it as a character.
    pub fn skip_bom(&mut self, len: usize) {
        self.src_byte += len as i64;
        self.col += 1;
    }

    /// expat's protection against entity expansion bombs: past 8 MiB of
    /// expanded text, at most 100 times the document's own size.
    pub(super) fn amplification_breached(&self, extra: u64) -> bool {
        let direct = (self.base as u64 + self.pos as u64).max(1);
        let total = self.amplified + extra;
        total >= 8_388_608 && (direct + total) as f64 / direct as f64 > 100.0
    }

    /// The input held from the (source) byte index `byte` on.
    pub fn context_from(&self, byte: i64) -> Vec<u8> {
        let from = if self.src_width == Width::Utf8 && byte >= self.base { (byte - self.base) as usize } else { self.pos };
        self.buf.get(from..).unwrap_or_default().to_vec()
    }

    /// Is the next token the first of the document?
    pub(super) fn at_start(&self) -> bool {
        self.base == 0 && self.pos == 0 && self.frames.is_empty()
    }

    /// Reads an external parsed entity rather than a document.
    pub fn start_external(&mut self) {
        self.external = true;
        self.state = State::Content;
    }

    /// Appends UTF-8 text to the input.
    pub fn feed(&mut self, data: &[u8]) {
        if self.pos > 0 && self.pos >= self.buf.len() / 2 {
            self.buf.drain(..self.pos);
            self.base += self.pos as i64;
            self.pos = 0;
        }
        self.buf.extend_from_slice(data);
    }

    /// The current position in the document (line, column, byte index).
    pub fn position(&self) -> (u64, u64, i64) {
        (self.line, self.col, self.src_byte)
    }

    pub fn started(&self) -> bool {
        self.base + self.pos as i64 > 0 || self.state != State::Prolog
    }

    /// The next event, `Ok(None)` when more input is needed (or, with
    /// `final_`, when the document is complete).
    pub fn next(&mut self, final_: bool) -> Result<Option<Event>, XmlError> {
        loop {
            if let Some(e) = self.queue.pop_front() {
                return Ok(Some(e));
            }
            if let Some(e) = self.error {
                return Err(e);
            }
            match self.step(final_) {
                Ok(true) => {}
                Ok(false) => return Ok(None),
                Err(e) => {
                    self.error = Some(e);
                    // Events before the error are still reported.
                }
            }
        }
    }

    /// Records an error found outside `next` (a handler's answer).
    pub fn fail(&mut self, code: u32) -> XmlError {
        let (line, col, byte) = self.position();
        let e = XmlError { code, line, col, byte };
        self.error = Some(e);
        e
    }

    pub(super) fn cur(&self) -> &[u8] {
        match self.frames.last() {
            Some(f) => &f.text[f.pos..],
            None => &self.buf[self.pos..],
        }
    }

    pub(super) fn in_frame(&self) -> bool {
        !self.frames.is_empty()
    }

    /// Notes where the token about to be read starts.
    pub(super) fn mark(&mut self) {
        self.tok = if self.frames.is_empty() {
            Pos { line: self.line, col: self.col, byte: self.src_byte, prev_cr: self.prev_cr }
        } else {
            self.frame_pos
        };
    }

    pub(super) fn consume(&mut self, n: usize) {
        if let Some(f) = self.frames.last_mut() {
            f.pos += n;
            return;
        }
        let (l, c, cr) = advance(self.line, self.col, self.prev_cr, &self.buf[self.pos..self.pos + n]);
        self.line = l;
        self.col = c;
        self.prev_cr = cr;
        self.src_byte += self.src_len(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
    }

    /// An error at `off` bytes into the token `t` marked last.
    pub(super) fn err(&self, code: u32, t: &[u8], off: usize) -> XmlError {
        if !self.frames.is_empty() || self.tok.byte < 0 {
            return XmlError { code, line: self.tok.line, col: self.tok.col, byte: self.tok.byte };
        }
        let off = off.min(t.len());
        let (line, col, _) = advance(self.tok.line, self.tok.col, self.tok.prev_cr, &t[..off]);
        XmlError { code, line, col, byte: self.tok.byte + self.src_len(&t[..off]) }
    }

    /// A tokenizer's refusal: wait for more input, or the error.
    pub(super) fn stop(&mut self, e: Stop, fin: bool) -> Result<bool, XmlError> {
        if matches!(e, Stop::Partial | Stop::PartialChar) && !fin {
            return Ok(false);
        }
        self.mark();
        let off = match e {
            Stop::Error(_, off) => off,
            _ => 0,
        };
        let t = self.cur()[..off.min(self.cur().len())].to_vec();
        match e {
            Stop::Partial if self.in_cdata && self.state == State::Content => Err(self.err(code::UNCLOSED_CDATA_SECTION, &t, 0)),
            Stop::Partial => Err(self.err(code::UNCLOSED_TOKEN, &t, 0)),
            Stop::PartialChar => Err(self.err(code::PARTIAL_CHAR, &t, 0)),
            Stop::Error(c, off) => Err(self.err(c, &t, off)),
        }
    }

    pub(super) fn emit(&mut self, ev: Ev, raw: Option<String>) {
        let t = self.tok;
        self.queue.push_back(Event { ev, raw, line: t.line, col: t.col, byte: t.byte });
    }

    /// The token's text when a default handler may want it.
    pub(super) fn raw(&self, t: &[u8]) -> Option<String> {
        if self.handlers.any_default() {
            Some(text(t))
        } else {
            None
        }
    }

    fn step(&mut self, final_: bool) -> Result<bool, XmlError> {
        let fin = final_ || self.in_frame();
        if self.cur().is_empty() {
            if self.in_frame() {
                return self.pop_frame();
            }
            if !final_ {
                return Ok(false);
            }
            self.mark();
            if self.base == 0 && self.pos == 0 {
                self.tok.byte = -1;
            }
            if self.trailing_partial {
                return Err(self.err(code::UNCLOSED_TOKEN, &[], 0));
            }
            return match self.state {
                State::Content if self.external && self.tags.is_empty() && !self.in_cdata => {
                    self.done = true;
                    Ok(false)
                }
                State::Epilog => {
                    self.done = true;
                    Ok(false)
                }
                State::Content if self.in_cdata => Err(self.err(code::UNCLOSED_CDATA_SECTION, &[], 0)),
                _ => Err(self.err(code::NO_ELEMENTS, &[], 0)),
            };
        }
        match self.state {
            State::Content if self.in_cdata => self.cdata_step(fin),
            State::Content => self.content_step(fin),
            _ => self.prolog_step(fin),
        }
    }

    fn pop_frame(&mut self) -> Result<bool, XmlError> {
        self.mark();
        let f = self.frames.pop().expect("in a frame");
        if !f.param && f.depth != self.tags.len() {
            return Err(self.err(code::ASYNC_ENTITY, &[], 0));
        }
        if self.frames.is_empty() && self.state == State::Content && self.tags.is_empty() {
            self.state = State::Epilog;
        }
        Ok(true)
    }

    /// Starts reading an entity's replacement text (the reference is consumed).
    pub(super) fn push_frame(&mut self, name: &str, param: bool, value: &str, t: &[u8]) -> Result<(), XmlError> {
        if self.frames.iter().any(|f| f.name == name && f.param == param) {
            return Err(self.err(code::RECURSIVE_ENTITY_REF, t, 0));
        }
        self.amplified += value.len() as u64;
        if self.amplification_breached(0) {
            return Err(self.err(code::AMPLIFICATION_LIMIT_BREACH, t, 0));
        }
        if self.frames.is_empty() {
            self.frame_pos = self.tok;
        }
        let depth = self.tags.len();
        self.frames.push(Frame { text: value.as_bytes().to_vec(), pos: 0, name: name.to_string(), param, depth });
        Ok(())
    }

    fn cdata_step(&mut self, fin: bool) -> Result<bool, XmlError> {
        let (tok, n) = match cdata_token(self.cur()) {
            Ok(x) => x,
            Err(e) => return self.stop(e, fin),
        };
        self.mark();
        let t = self.cur()[..n].to_vec();
        self.consume(n);
        let raw = self.raw(&t);
        match tok {
            CdTok::Data => self.emit_data(&t, raw),
            CdTok::Newline => self.emit(Ev::Chars("\n".into()), raw),
            CdTok::End => {
                self.in_cdata = false;
                self.emit(Ev::EndCdata, raw);
            }
        }
        Ok(true)
    }

    fn content_step(&mut self, fin: bool) -> Result<bool, XmlError> {
        if self.external && self.base == 0 && self.pos == 0 && !self.in_frame() && self.cur().starts_with(b"<?xml") {
            // The text declaration of an external entity.
            return match self.cur().windows(2).position(|w| w == b"?>") {
                Some(end) => {
                    self.consume(end + 2);
                    Ok(true)
                }
                None => self.stop(Stop::Partial, fin),
            };
        }
        let (tok, n) = match content_token(self.cur(), self.ns_sep.is_some()) {
            Ok(x) => x,
            // A "]" or "]]" ending the input is character data after all.
            Err(Stop::Partial) if fin && self.cur()[0] == b']' => (CTok::Data, self.cur().len()),
            Err(e) => return self.stop(e, fin),
        };
        self.mark();
        let t = self.cur()[..n].to_vec();
        self.consume(n);
        let raw = self.raw(&t);
        let sp = |s: Span| text(&t[s.0..s.1]);
        match tok {
            CTok::StartTag { name, attrs, empty } => self.start_tag(&t, name, &attrs, empty, raw)?,
            CTok::EndTag { name } => self.end_tag(&t, name, raw)?,
            CTok::Data => self.emit_data(&t, raw),
            CTok::Newline => self.emit(Ev::Chars("\n".into()), raw),
            CTok::CharRef(c) => self.emit(Ev::Chars(c.to_string()), raw),
            CTok::EntityRef { name } => self.entity_ref(&t, &sp(name), raw)?,
            CTok::CdataStart => {
                self.in_cdata = true;
                self.emit(Ev::StartCdata, raw);
            }
            CTok::Comment { body } => self.emit(Ev::Comment(newlines(sp(body))), raw),
            CTok::Pi { target, data } => self.emit(Ev::Pi { target: sp(target), data: newlines(sp(data)) }, raw),
        }
        Ok(true)
    }

    fn emit_data(&mut self, t: &[u8], raw: Option<String>) {
        if !self.split_data || t.len() <= 1024 {
            return self.emit(Ev::Chars(text(t)), raw);
        }
        let s = text(t);
        let mut rest = s.as_str();
        while !rest.is_empty() {
            let mut n = rest.len().min(1024);
            while !rest.is_char_boundary(n) {
                n -= 1;
            }
            self.emit(Ev::Chars(rest[..n].to_string()), Some(rest[..n].to_string()).filter(|_| raw.is_some()));
            rest = &rest[n..];
        }
    }

    pub(super) fn emit_pi(&mut self, t: &[u8], raw: Option<String>) {
        if let Ok((((ts, te), (ds, de)), _)) = pi(t, false) {
            self.emit(Ev::Pi { target: text(&t[ts..te]), data: newlines(text(&t[ds..de])) }, raw);
        }
    }

    fn entity_ref(&mut self, t: &[u8], name: &str, raw: Option<String>) -> Result<(), XmlError> {
        if let Some(c) = predefined(name) {
            self.emit(Ev::Chars(c.to_string()), raw);
            return Ok(());
        }
        let Some(ent) = self.entities.get(name).cloned() else {
            if self.skips_undefined() {
                self.emit(Ev::Skipped { name: name.to_string(), param: false }, raw);
                return Ok(());
            }
            return Err(self.err(code::UNDEFINED_ENTITY, t, 0));
        };
        if ent.notation.is_some() {
            return Err(self.err(code::BINARY_ENTITY_REF, t, 0));
        }
        match ent.value {
            Some(v) if !self.handlers.has(H::Default) => self.push_frame(name, false, &v, t)?,
            // Not expanded (a DefaultHandler is set): reported as skipped.
            Some(_) => self.emit(Ev::Skipped { name: name.to_string(), param: false }, raw),
            None if self.handlers.has(H::ExternalEntityRef) => {
                let ev = Ev::ExternalRef { context: Some(name.to_string()), sysid: ent.sysid, pubid: ent.pubid };
                self.emit(ev, raw)
            }
            None => self.emit(Ev::Raw, raw),
        }
        Ok(())
    }

    /// An undefined entity is skipped (not an error) when declarations
    /// may have been missed: an external subset or parameter entity
    /// references, in a document not declared standalone.
    pub(super) fn skips_undefined(&self) -> bool {
        (self.has_ext || self.pe_seen) && self.standalone != 1
    }

    /// An attribute value with references replaced and white space
    /// normalized, or an error's code and byte offset in `v` (an error in
    /// an entity's replacement text is at the reference).
    pub(super) fn attr_value(&self, v: &[u8], open: &mut Vec<String>) -> Result<String, (u32, usize)> {
        let s = text(v);
        let mut out = String::with_capacity(s.len());
        let mut it = s.char_indices().peekable();
        while let Some((i, c)) = it.next() {
            match c {
                '<' => return Err((super::scan::INVALID_TOKEN, i)),
                '&' => {
                    let end = match super::content::ref_end(&v[i..], 0, self.ns_sep.is_some()) {
                        Ok(n) => i + n - 1,
                        Err(Stop::Error(c, off)) => return Err((c, i + off)),
                        Err(_) => return Err((super::scan::INVALID_TOKEN, i)),
                    };
                    let body = &s[i + 1..end];
                    while it.peek().is_some_and(|(k, _)| *k <= end) {
                        it.next();
                    }
                    if let Some(d) = body.strip_prefix('#') {
                        out.push(char_ref_value(d.as_bytes()).ok_or((code::BAD_CHAR_REF, i))?);
                    } else if let Some(c) = predefined(body) {
                        out.push(c);
                    } else {
                        match self.entities.get(body) {
                            None if self.skips_undefined() => {}
                            // (expat reports this one at the tag.)
                            None => return Err((code::UNDEFINED_ENTITY, usize::MAX)),
                            Some(e) if e.notation.is_some() => return Err((code::BINARY_ENTITY_REF, i)),
                            Some(Entity { value: None, .. }) => return Err((code::ATTRIBUTE_EXTERNAL_ENTITY_REF, i)),
                            Some(Entity { value: Some(rep), .. }) => {
                                if open.iter().any(|n| n == body) {
                                    return Err((code::RECURSIVE_ENTITY_REF, i));
                                }
                                if self.amplification_breached(out.len() as u64 + rep.len() as u64) {
                                    return Err((code::AMPLIFICATION_LIMIT_BREACH, i));
                                }
                                open.push(body.to_string());
                                // (An error in replacement text is reported at the tag.)
                                let r = self.attr_value(rep.as_bytes(), open).map_err(|(c, _)| (c, usize::MAX))?;
                                open.pop();
                                out.push_str(&r);
                            }
                        }
                    }
                }
                '\r' => {
                    if it.peek().map(|p| p.1) == Some('\n') {
                        it.next();
                    }
                    out.push(' ');
                }
                '\n' | '\t' => out.push(' '),
                c => out.push(c),
            }
        }
        Ok(out)
    }

    fn start_tag(&mut self, t: &[u8], name: Span, attrs: &[RawAttr], empty: bool, raw: Option<String>) -> Result<(), XmlError> {
        let qname = text(&t[name.0..name.1]);
        let mut list: Vec<(String, String)> = Vec::with_capacity(attrs.len());
        for a in attrs {
            let an = text(&t[a.name.0..a.name.1]);
            if list.iter().any(|(n, _)| *n == an) {
                let dup = self.err(code::DUPLICATE_ATTRIBUTE, t, a.name.0);
                if self.ns_sep.is_some() {
                    // expat binds (and reports) the namespaces declared
                    // before the duplicate first, then unbinds them.
                    let n = list.len();
                    let mark = self.ns.len();
                    self.ns_start(t, "", list, n, empty)?;
                    if empty {
                        let here = self.tok;
                        self.tok = Pos { line: dup.line, col: dup.col, byte: dup.byte, prev_cr: false };
                        self.unbind_to(mark);
                        self.tok = here;
                    }
                }
                return Err(dup);
            }
            let v = self
                .attr_value(&t[a.value.0..a.value.1], &mut Vec::new())
                .map_err(|(c, o)| self.err(c, t, if o == usize::MAX { 0 } else { a.value.0 + o }))?;
            list.push((an, v));
        }
        let mut specified = list.len();
        if let Some(decls) = self.att_decls.get(&qname) {
            for d in decls {
                if let Some(pos) = list.iter().position(|(n, _)| *n == d.name) {
                    if !d.cdata {
                        let v = &mut list[pos].1;
                        *v = v.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
                    }
                } else if let Some(dv) = &d.default {
                    list.push((d.name.clone(), dv.clone()));
                }
            }
        }
        let (ename, pushed) = if self.ns_sep.is_some() {
            let (ename, pushed, kept, kept_spec) = self.ns_start(t, &qname, list, specified, empty)?;
            list = kept;
            specified = kept_spec;
            (ename, pushed)
        } else {
            (qname.clone(), 0)
        };
        let (has_start, has_end) = (self.handlers.has(H::StartElement), self.handlers.has(H::EndElement));
        // An empty element's tag goes to the default handler only when
        // neither element handler is set.
        let raw = if empty && has_end { None } else { raw };
        self.emit(Ev::StartElement { name: ename.clone(), attrs: list, specified }, raw);
        self.tags.push((qname, ename, pushed));
        if empty {
            // expat reports the end of an empty element where its tag ends
            // (when the start was reported).
            if self.frames.is_empty() && has_start {
                self.tok = Pos { line: self.line, col: self.col, byte: self.src_byte, prev_cr: self.prev_cr };
            }
            self.close_element(None);
        }
        Ok(())
    }

    fn close_element(&mut self, raw: Option<String>) {
        let Some((_, ename, pushed)) = self.tags.pop() else { return };
        self.emit(Ev::EndElement { name: ename }, raw);
        for _ in 0..pushed {
            if let Some((prefix, _)) = self.ns.pop() {
                self.emit(Ev::EndNs { prefix }, None);
            }
        }
        if self.tags.is_empty() && self.frames.is_empty() && !self.external {
            self.state = State::Epilog;
        }
    }

    fn end_tag(&mut self, t: &[u8], name: Span, raw: Option<String>) -> Result<(), XmlError> {
        let qname = &t[name.0..name.1];
        let depth = self.frames.last().map_or(0, |f| f.depth);
        if self.in_frame() && self.tags.len() <= depth {
            // An end tag in an entity for an element opened outside it.
            return Err(self.err(code::ASYNC_ENTITY, t, 0));
        }
        match self.tags.last() {
            Some((open, _, _)) if open.as_bytes() == qname => {}
            _ => return Err(self.err(code::TAG_MISMATCH, t, name.0)),
        }
        self.close_element(raw);
        Ok(())
    }

    /// Namespace processing of a start tag: the bindings its xmlns
    /// attributes make (reported), its expanded name, and its other
    /// attributes with expanded names.
    /// Drops the bindings made since `mark`, reporting their ends.
    fn unbind_to(&mut self, mark: usize) {
        while self.ns.len() > mark {
            if let Some((prefix, _)) = self.ns.pop() {
                if prefix.as_deref() != Some("xml") {
                    self.emit(Ev::EndNs { prefix }, None);
                }
            }
        }
    }

    /// `ns_start_inner`, whose bindings are undone when the tag is refused
    /// (their ends reported for an empty element's tag, as expat does).
    #[allow(clippy::type_complexity)]
    fn ns_start(
        &mut self,
        t: &[u8],
        qname: &str,
        list: Vec<(String, String)>,
        specified: usize,
        empty: bool,
    ) -> Result<(String, usize, Vec<(String, String)>, usize), XmlError> {
        let mark = self.ns.len();
        let r = self.ns_start_inner(t, qname, list, specified);
        if r.is_err() {
            if empty {
                self.unbind_to(mark);
            } else {
                self.ns.truncate(mark);
            }
        }
        r
    }

    #[allow(clippy::type_complexity)]
    fn ns_start_inner(
        &mut self,
        t: &[u8],
        qname: &str,
        list: Vec<(String, String)>,
        specified: usize,
    ) -> Result<(String, usize, Vec<(String, String)>, usize), XmlError> {
        let mut pushed = 0;
        let mut kept = Vec::new();
        let mut kept_spec = 0;
        for (i, (n, v)) in list.into_iter().enumerate() {
            let prefix = if n == "xmlns" {
                None
            } else if let Some(p) = n.strip_prefix("xmlns:") {
                Some(p.to_string())
            } else {
                if i < specified {
                    kept_spec += 1;
                }
                kept.push((n, v));
                continue;
            };
            let p = prefix.as_deref();
            if p == Some("xmlns") {
                return Err(self.err(code::RESERVED_PREFIX_XMLNS, t, 0));
            }
            if p == Some("xml") && v != XML_NS {
                return Err(self.err(code::RESERVED_PREFIX_XML, t, 0));
            }
            if (v == XML_NS && p != Some("xml")) || v == XMLNS_NS {
                return Err(self.err(code::RESERVED_NAMESPACE_URI, t, 0));
            }
            // expat (2.4.5 on) refuses a namespace name holding the separator.
            if self.ns_sep.as_deref().is_some_and(|sep| !sep.is_empty() && v.contains(sep)) {
                return Err(self.err(code::SYNTAX, t, 0));
            }
            if p.is_some() && v.is_empty() {
                return Err(self.err(code::UNDECLARING_PREFIX, t, 0));
            }
            let uri = if v.is_empty() { None } else { Some(v) };
            self.ns.push((prefix.clone(), uri.clone()));
            pushed += 1;
            if p != Some("xml") {
                self.emit(Ev::StartNs { prefix, uri }, None);
            }
        }
        if qname.is_empty() {
            return Ok((String::new(), pushed, Vec::new(), 0));
        }
        let ename = self.expand(t, qname, true)?;
        let mut out: Vec<(String, String)> = Vec::with_capacity(kept.len());
        for (n, v) in kept {
            let en = self.expand(t, &n, false)?;
            if out.iter().any(|(o, _)| *o == en) {
                return Err(self.err(code::DUPLICATE_ATTRIBUTE, t, 0));
            }
            out.push((en, v));
        }
        Ok((ename, pushed, out, kept_spec))
    }

    fn expand(&self, t: &[u8], qname: &str, element: bool) -> Result<String, XmlError> {
        let sep = self.ns_sep.as_deref().unwrap_or("");
        if let Some((p, local)) = qname.split_once(':') {
            let uri = if p == "xml" {
                Some(XML_NS.to_string())
            } else {
                self.ns.iter().rev().find(|(pp, _)| pp.as_deref() == Some(p)).and_then(|(_, u)| u.clone())
            };
            let Some(uri) = uri else { return Err(self.err(code::UNBOUND_PREFIX, t, 0)) };
            let mut s = format!("{uri}{sep}{local}");
            if self.ns_prefixes {
                s.push_str(sep);
                s.push_str(p);
            }
            return Ok(s);
        }
        if element {
            if let Some((_, Some(uri))) = self.ns.iter().rev().find(|(pp, _)| pp.is_none()) {
                return Ok(format!("{uri}{sep}{qname}"));
            }
        }
        Ok(qname.to_string())
    }
}

/// Line breaks (CR LF, CR) as LF.
pub fn newlines(s: String) -> String {
    if !s.contains('\r') {
        return s;
    }
    s.replace("\r\n", "\n").replace('\r', "\n")
}

pub fn predefined(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}
