//! The prolog, the document type declaration with its internal subset
//! (entity, element, attribute list and notation declarations), the XML
//! declaration and the epilog.

use super::content::comment;
use super::core::{code, Core, Entity, State, XmlError};
use super::decl::{doctype, Fail};
use super::events::{Ev, H};
use super::prolog::{prolog_token, PTok};
use super::scan::{is_space, text};

impl Core {
    pub(super) fn prolog_step(&mut self, fin: bool) -> Result<bool, XmlError> {
        let (tok, n) = match prolog_token(self.cur(), fin, self.ns_sep.is_some()) {
            Ok(x) => x,
            Err(e) => return self.stop(e, fin),
        };
        self.mark();
        self.first = self.at_start();
        let t = self.cur()[..n].to_vec();
        if tok == PTok::InstanceStart {
            return match self.state {
                State::Prolog => {
                    if self.use_foreign_dtd && !self.seen_doctype {
                        self.has_ext = true;
                        if self.handlers.has(H::ExternalEntityRef) {
                            self.emit(Ev::ExternalRef { context: None, sysid: None, pubid: None }, None);
                        }
                    }
                    self.state = State::Content;
                    Ok(true)
                }
                State::Epilog => Err(self.err(code::JUNK_AFTER_DOC_ELEMENT, &t, 0)),
                _ => Err(self.err(code::SYNTAX, &t, 0)),
            };
        }
        self.consume(n);
        let raw = self.raw(&t);
        match self.state {
            State::Prolog | State::Epilog => self.top_token(tok, &t, raw)?,
            State::Doctype => self.doctype_token(tok, &t, raw)?,
            State::Subset => self.subset_token(tok, &t, raw)?,
            State::InDecl => self.decl_token(tok, &t, raw)?,
            State::AfterSubset => match tok {
                PTok::Space => self.emit(Ev::Raw, raw),
                PTok::DeclClose => {
                    self.emit(Ev::EndDoctype, raw);
                    self.end_doctype();
                }
                _ => return Err(self.err(code::SYNTAX, &t, 0)),
            },
            State::Content => unreachable!("content is not tokenized here"),
        }
        Ok(true)
    }

    fn misplaced(&self, t: &[u8]) -> XmlError {
        let c = if self.state == State::Epilog { code::JUNK_AFTER_DOC_ELEMENT } else { code::SYNTAX };
        self.err(c, t, 0)
    }

    fn top_token(&mut self, tok: PTok, t: &[u8], raw: Option<String>) -> Result<(), XmlError> {
        match tok {
            PTok::XmlDecl if self.first => {
                let ev = self.xml_decl(t)?;
                self.emit(ev, raw);
            }
            PTok::XmlDecl => return Err(self.err(code::MISPLACED_XML_PI, t, 0)),
            PTok::Pi => self.emit_pi(t, raw),
            PTok::Comment => self.emit_comment(t, raw),
            PTok::Space => self.emit(Ev::Raw, raw),
            PTok::DeclOpen if t == b"<!DOCTYPE" && self.state == State::Prolog && !self.seen_doctype => {
                self.state = State::Doctype;
                self.decl_toks.clear();
                self.decl_pos.clear();
                self.suppress = self.handlers.has(H::StartDoctypeDecl);
                self.raw_unless_suppressed(raw);
            }
            _ => return Err(self.misplaced(t)),
        }
        Ok(())
    }

    fn emit_comment(&mut self, t: &[u8], raw: Option<String>) {
        if let Ok(((s, e), _)) = comment(t) {
            self.emit(Ev::Comment(super::core::newlines(text(&t[s..e]))), raw);
        }
    }

    fn raw_unless_suppressed(&mut self, raw: Option<String>) {
        if !self.suppress {
            self.emit(Ev::Raw, raw);
        }
    }

    /// A declaration's tokens so far refused at token `i` (or at `t`, the
    /// token just read, when they stopped short).
    fn decl_error(&mut self, f: Fail, t: &[u8]) -> XmlError {
        let Some(f) = f else { return self.err(code::SYNTAX, t, 0) };
        if let Some(p) = self.decl_pos.get(f.idx).copied() {
            self.tok = p;
            let tt = self.decl_toks.get(f.idx).map(|(_, s)| s.as_bytes().to_vec()).unwrap_or_default();
            return self.err(f.code, &tt, f.off);
        }
        self.err(f.code, t, 0)
    }

    fn doctype_token(&mut self, tok: PTok, t: &[u8], raw: Option<String>) -> Result<(), XmlError> {
        match tok {
            PTok::Space => self.raw_unless_suppressed(raw),
            PTok::Name | PTok::Literal => {
                let n = self.decl_toks.len();
                let kw = self.decl_toks.get(1).map(|(_, s)| s.clone());
                let kw = kw.as_deref();
                self.decl_toks.push((tok, text(t)));
                self.decl_pos.push(self.tok);
                if let Err(Some(f)) = doctype(&self.decl_toks) {
                    return Err(self.decl_error(Some(f), t));
                }
                if tok == PTok::Literal && ((n == 2 && kw == Some("SYSTEM")) || (n == 3 && kw == Some("PUBLIC"))) {
                    // The system id: declarations may be missed.
                    self.not_standalone();
                }
                self.raw_unless_suppressed(raw);
            }
            PTok::OpenBracket | PTok::DeclClose => {
                let toks = std::mem::take(&mut self.decl_toks);
                let (name, sysid, pubid) = match doctype(&toks) {
                    Ok(x) => x,
                    Err(f) => return Err(self.decl_error(f.filter(|_| false), t)),
                };
                self.decl_pos.clear();
                self.has_ext |= sysid.is_some();
                self.doctype_ext = (sysid.clone(), pubid.clone());
                let internal = tok == PTok::OpenBracket;
                let ev = Ev::StartDoctype { name, sysid, pubid, internal };
                if internal {
                    self.emit(ev, raw);
                    self.state = State::Subset;
                } else {
                    self.emit(ev, None);
                    self.emit(Ev::EndDoctype, raw);
                    self.end_doctype();
                }
            }
            _ => return Err(self.err(code::SYNTAX, t, 0)),
        }
        Ok(())
    }

    /// expat asks the NotStandaloneHandler whenever declarations may be
    /// missed (an external subset, an unread parameter entity).
    fn not_standalone(&mut self) {
        if self.standalone != 1 {
            self.emit(Ev::NotStandalone, None);
        }
    }

    fn end_doctype(&mut self) {
        self.state = State::Prolog;
        self.seen_doctype = true;
        let (sysid, pubid) = self.doctype_ext.clone();
        let pep = self.param_entity_parsing;
        if sysid.is_some() && (pep == 2 || (pep == 1 && self.standalone != 1)) && self.handlers.has(H::ExternalEntityRef) {
            self.emit(Ev::ExternalRef { context: None, sysid, pubid }, None);
        }
    }

    fn subset_token(&mut self, tok: PTok, t: &[u8], raw: Option<String>) -> Result<(), XmlError> {
        match tok {
            PTok::Space => self.emit(Ev::Raw, raw),
            PTok::Pi => self.emit_pi(t, raw),
            PTok::Comment => self.emit_comment(t, raw),
            PTok::PeRef => {
                let name = text(&t[1..t.len() - 1]);
                match self.pentities.get(&name).cloned() {
                    Some(Entity { value: Some(v), .. }) => self.push_frame(&name, true, &v, t)?,
                    Some(_) => {
                        self.pe_seen = true;
                        self.not_standalone();
                        self.emit(Ev::Raw, raw);
                    }
                    None if self.has_ext && self.standalone != 1 => {
                        self.pe_seen = true;
                        self.not_standalone();
                        self.emit(Ev::Raw, raw);
                    }
                    None => return Err(self.err(code::UNDEFINED_ENTITY, t, 0)),
                }
            }
            PTok::DeclOpen => {
                let kind = text(&t[2..]);
                let h = match kind.as_str() {
                    "ENTITY" => self.handlers.has(H::EntityDecl) || self.handlers.has(H::UnparsedEntityDecl),
                    "ELEMENT" => self.handlers.has(H::ElementDecl),
                    "ATTLIST" => self.handlers.has(H::AttlistDecl),
                    "NOTATION" => self.handlers.has(H::NotationDecl),
                    _ => return Err(self.err(code::SYNTAX, t, 0)),
                };
                self.state = State::InDecl;
                self.decl_kind = kind.clone();
                self.decl_toks.clear();
                self.decl_pos.clear();
                self.decl_emitted = 0;
                // After an unread parameter entity, declarations are not
                // processed: the default handler sees them.
                self.suppress = h && (self.keep_processing() || kind == "ELEMENT" || kind == "NOTATION");
                self.raw_unless_suppressed(raw);
            }
            PTok::CloseBracket => {
                self.state = State::AfterSubset;
                self.suppress = self.handlers.has(H::StartDoctypeDecl);
                self.raw_unless_suppressed(raw);
            }
            _ => return Err(self.err(code::SYNTAX, t, 0)),
        }
        Ok(())
    }

    fn decl_token(&mut self, tok: PTok, t: &[u8], raw: Option<String>) -> Result<(), XmlError> {
        match tok {
            PTok::Space => self.raw_unless_suppressed(raw),
            PTok::PeRef => return Err(self.err(code::PARAM_ENTITY_REF, t, 0)),
            PTok::DeclClose => {
                self.decl_progress(t, true)?;
                self.state = State::Subset;
                self.decl_toks.clear();
                self.decl_pos.clear();
                self.decl_kind.clear();
                self.raw_unless_suppressed(raw);
            }
            PTok::XmlDecl | PTok::Pi | PTok::Comment | PTok::DeclOpen | PTok::CondSect | PTok::InstanceStart => {
                return Err(self.err(code::SYNTAX, t, 0))
            }
            _ => {
                self.decl_toks.push((tok, text(t)));
                self.decl_pos.push(self.tok);
                self.decl_progress(t, false)?;
                if tok == PTok::Or && self.decl_kind == "ELEMENT" && later_choice(&self.decl_toks) {
                    // expat's quirk: a choice's second and later '|' go to
                    // the default handler even when declarations are handled.
                    self.emit(Ev::Raw, raw);
                } else {
                    self.raw_unless_suppressed(raw);
                }
            }
        }
        Ok(())
    }

    /// Reads the declaration's tokens so far, reporting the declarations
    /// they complete (each where its last token is) or the first error.
    fn decl_progress(&mut self, t: &[u8], closing: bool) -> Result<(), XmlError> {
        if !closing && self.decl_toks.len() > 2000 && self.decl_kind == "ELEMENT" {
            // A huge content model is only read whole (reading it again
            // at each token would take quadratic time).
            return Ok(());
        }
        let toks = std::mem::take(&mut self.decl_toks);
        let r = self.read_decl(&self.decl_kind.clone(), &toks, closing);
        self.decl_toks = toks;
        let evs = match r {
            Ok(evs) => evs,
            Err(None) if !closing => return Ok(()),
            Err(f) => return Err(self.decl_error(f, t)),
        };
        let here = self.tok;
        for (ev, at, off, fail) in evs.into_iter().skip(self.decl_emitted) {
            self.decl_emitted += 1;
            if !self.keep_processing() && matches!(ev, Ev::EntityDecl { .. } | Ev::AttlistDecl { .. }) {
                continue;
            }
            self.record_decl(&ev);
            self.tok = self.decl_pos.get(at).copied().unwrap_or(here);
            if off > 0 {
                // Inside the token (where an entity value was cut short).
                let tt = self.decl_toks[at].1.as_bytes().to_vec();
                let e = self.err(0, &tt, off);
                self.tok = super::core::Pos { line: e.line, col: e.col, byte: e.byte, prev_cr: false };
            }
            self.emit(ev, None);
            if let Some(code) = fail {
                // expat reports the value it read before refusing the rest.
                return Err(self.err(code, &[], 0));
            }
        }
        self.tok = here;
        Ok(())
    }

    /// The XML declaration's version, encoding and standalone, read as
    /// expat reads them (an error at the first character it refuses).
    fn xml_decl(&mut self, t: &[u8]) -> Result<Ev, XmlError> {
        let (version, encoding, standalone) = read_xml_decl(t).map_err(|at| self.err(code::XML_DECL, t, at))?;
        self.standalone = standalone;
        Ok(Ev::XmlDecl { version: Some(version), encoding, standalone })
    }

}

/// One `name="value"` of an XML declaration from `t[p..end]`, as expat's
/// parsePseudoAttribute: (name offset, name, value offset, value, next
/// offset), None at the end, or the offset of the refused character.
#[allow(clippy::type_complexity)]
fn pseudo_attribute(t: &[u8], mut p: usize, end: usize) -> Result<Option<(usize, String, usize, String, usize)>, usize> {
    if p == end {
        return Ok(None);
    }
    if !is_space(t[p]) {
        return Err(p);
    }
    while p < end && is_space(t[p]) {
        p += 1;
    }
    if p == end {
        return Ok(None);
    }
    let name_at = p;
    loop {
        if p == end || t[p] >= 0x80 {
            return Err(p);
        }
        if t[p] == b'=' {
            break;
        }
        if is_space(t[p]) {
            let name_end = p;
            while p < end && is_space(t[p]) {
                p += 1;
            }
            if p == end || t[p] != b'=' {
                return Err(p);
            }
            if name_end == name_at {
                return Err(p);
            }
            break;
        }
        p += 1;
    }
    if p == name_at {
        return Err(p);
    }
    let name = text(&t[name_at..p]).trim_end().to_string();
    p += 1;
    while p < end && is_space(t[p]) {
        p += 1;
    }
    if p == end || (t[p] != b'"' && t[p] != b'\'') {
        return Err(p);
    }
    let q = t[p];
    p += 1;
    let value_at = p;
    loop {
        if p == end {
            return Err(p);
        }
        let c = t[p];
        if c == q {
            break;
        }
        if !(c.is_ascii_alphanumeric() || c == b'.' || c == b'-' || c == b'_') {
            return Err(p);
        }
        p += 1;
    }
    Ok(Some((name_at, name, value_at, text(&t[value_at..p]), p + 1)))
}

/// Is the last token of an element declaration a '|' that is not the
/// first of its (non-mixed) group?
fn later_choice(toks: &[(PTok, String)]) -> bool {
    let mut seen: Vec<bool> = Vec::new();
    let mut later = false;
    for (k, _) in toks {
        match k {
            PTok::OpenParen => seen.push(false),
            PTok::PoundName => {
                if let Some(top) = seen.last_mut() {
                    // Mixed content: its '|' are all alike.
                    *top = false;
                }
                seen.push(false);
                seen.pop();
            }
            PTok::CloseParen => {
                seen.pop();
            }
            PTok::Or => {
                let mixed = toks.iter().any(|(k, _)| *k == PTok::PoundName);
                match seen.last_mut() {
                    Some(top) => {
                        later = *top && !mixed;
                        *top = true;
                    }
                    None => later = false,
                }
            }
            _ => {}
        }
    }
    later
}

/// The XML declaration `t` (from "<?xml" to "?>"): version, encoding and
/// standalone (-1 when absent), or the offset where expat refuses it.
pub(super) fn read_xml_decl(t: &[u8]) -> Result<(String, Option<String>, i32), usize> {
    let end = t.len() - 2;
    let Some((at, name, _, version, mut p)) = pseudo_attribute(t, 5, end)? else { return Err(5) };
    if name != "version" {
        return Err(at);
    }
    let mut encoding = None;
    let mut standalone = -1;
    let mut attr = pseudo_attribute(t, p, end)?;
    if let Some((_, name, vat, value, next)) = &attr {
        if name == "encoding" {
            if !value.as_bytes().first().is_some_and(|c| c.is_ascii_alphabetic()) {
                return Err(*vat);
            }
            encoding = Some(value.clone());
            p = *next;
            attr = pseudo_attribute(t, p, end)?;
        }
    }
    if let Some((at, name, vat, value, next)) = attr {
        if name != "standalone" {
            return Err(at);
        }
        standalone = match value.as_str() {
            "yes" => 1,
            "no" => 0,
            _ => return Err(vat),
        };
        p = next;
        while p < end && is_space(t[p]) {
            p += 1;
        }
        if p != end {
            return Err(p);
        }
    }
    Ok((version, encoding, standalone))
}
