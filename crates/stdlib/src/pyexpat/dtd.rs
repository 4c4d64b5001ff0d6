//! The prolog, the document type declaration with its internal subset
//! (entity, element, attribute list and notation declarations), the XML
//! declaration and the epilog.

use super::content::comment;
use super::core::{code, AttDecl, Core, Entity, State, XmlError};
use super::events::{Ev, Model, H};
use super::prolog::{prolog_token, PTok};
use super::scan::{char_ref_value, is_space, text};

fn unquote(s: &str) -> String {
    s[1..s.len() - 1].to_string()
}

fn quant(s: &str) -> u8 {
    match s.as_bytes().last() {
        Some(b'?') => 1,
        Some(b'*') => 2,
        Some(b'+') => 3,
        _ => 0,
    }
}

fn strip_quant(s: &str) -> &str {
    s.trim_end_matches(['?', '*', '+'])
}

impl Core {
    pub(super) fn prolog_step(&mut self, fin: bool) -> Result<bool, XmlError> {
        let (tok, n) = match prolog_token(self.cur(), fin) {
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
            self.emit(Ev::Comment(text(&t[s..e])), raw);
        }
    }

    fn raw_unless_suppressed(&mut self, raw: Option<String>) {
        if !self.suppress {
            self.emit(Ev::Raw, raw);
        }
    }

    fn doctype_token(&mut self, tok: PTok, t: &[u8], raw: Option<String>) -> Result<(), XmlError> {
        match tok {
            PTok::Space => self.raw_unless_suppressed(raw),
            PTok::Name | PTok::Literal => {
                let n = self.decl_toks.len();
                let kw = self.decl_toks.get(1).map(|(_, s)| s.as_str());
                if tok == PTok::Literal && ((n == 2 && kw == Some("SYSTEM")) || (n == 3 && kw == Some("PUBLIC"))) {
                    // The system id: declarations may be missed.
                    self.not_standalone();
                }
                self.decl_toks.push((tok, text(t)));
                self.decl_pos.push(self.tok);
                self.raw_unless_suppressed(raw);
            }
            PTok::OpenBracket | PTok::DeclClose => {
                let toks = std::mem::take(&mut self.decl_toks);
                let s: Vec<&str> = toks.iter().map(|(_, s)| s.as_str()).collect();
                let lit = |i: usize| toks.get(i).filter(|(k, _)| *k == PTok::Literal).map(|(_, s)| unquote(s));
                let (sysid, pubid) = match (toks.first(), s.get(1).copied()) {
                    (Some((PTok::Name, _)), None) => (None, None),
                    (Some((PTok::Name, _)), Some("SYSTEM")) if toks.len() == 3 && lit(2).is_some() => (lit(2), None),
                    (Some((PTok::Name, _)), Some("PUBLIC")) if toks.len() == 4 && lit(2).is_some() && lit(3).is_some() => {
                        (lit(3), lit(2))
                    }
                    _ => return Err(self.err(code::SYNTAX, t, 0)),
                };
                self.has_ext |= sysid.is_some();
                self.doctype_ext = (sysid.clone(), pubid.clone());
                let internal = tok == PTok::OpenBracket;
                let ev = Ev::StartDoctype { name: s[0].to_string(), sysid, pubid, internal };
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
                self.decl_kind = kind;
                self.decl_toks.clear();
                self.decl_pos.clear();
                self.suppress = h;
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
                self.state = State::Subset;
                let toks = std::mem::take(&mut self.decl_toks);
                let kind = std::mem::take(&mut self.decl_kind);
                let r = match kind.as_str() {
                    "ENTITY" => self.entity_decl(&toks, t),
                    "ELEMENT" => self.element_decl(&toks).ok_or(()),
                    "ATTLIST" => self.attlist_decl(&toks, t),
                    _ => self.notation_decl(&toks).ok_or(()),
                };
                match r {
                    Ok(evs) => {
                        // Each declaration is reported where its last token is.
                        let n = evs.len();
                        let pos = std::mem::take(&mut self.decl_pos);
                        let here = self.tok;
                        for (i, (ev, at)) in evs.into_iter().enumerate() {
                            let r = if i + 1 == n { raw.clone() } else { None };
                            self.tok = pos.get(at).or(pos.last()).copied().unwrap_or(here);
                            self.emit(ev, r);
                        }
                        self.tok = here;
                        if n == 0 {
                            self.raw_unless_suppressed(raw);
                        }
                    }
                    Err(()) => return Err(self.err(code::SYNTAX, t, 0)),
                }
            }
            PTok::XmlDecl | PTok::Pi | PTok::Comment | PTok::DeclOpen | PTok::CondSect | PTok::InstanceStart => {
                return Err(self.err(code::SYNTAX, t, 0))
            }
            _ => {
                self.decl_toks.push((tok, text(t)));
                self.decl_pos.push(self.tok);
                self.raw_unless_suppressed(raw);
            }
        }
        Ok(())
    }

    /// Declarations after an unread parameter entity are not processed
    /// (they might be overridden), unless the document is standalone.
    fn keep_processing(&self) -> bool {
        !self.pe_seen || self.standalone == 1
    }

    /// An external ID at `toks[i..]`: (sysid, pubid, tokens used).
    fn external_id(toks: &[(PTok, String)], i: usize) -> Option<(Option<String>, Option<String>, usize)> {
        let lit = |k: usize| toks.get(k).filter(|(t, _)| *t == PTok::Literal).map(|(_, s)| unquote(s));
        match toks.get(i).map(|(_, s)| s.as_str()) {
            Some("SYSTEM") => Some((Some(lit(i + 1)?), None, 2)),
            Some("PUBLIC") => {
                let p = lit(i + 1)?;
                match lit(i + 2) {
                    Some(s) => Some((Some(s), Some(p), 3)),
                    None => Some((None, Some(p), 2)),
                }
            }
            _ => None,
        }
    }

    fn entity_decl(&mut self, toks: &[(PTok, String)], t: &[u8]) -> Result<Vec<(Ev, usize)>, ()> {
        let param = toks.first().map(|x| x.0) == Some(PTok::Percent);
        let i = param as usize;
        let name = match toks.get(i) {
            Some((PTok::Name, n)) => n.clone(),
            _ => return Err(()),
        };
        let mut ent = Entity::default();
        match toks.get(i + 1) {
            Some((PTok::Literal, v)) if toks.len() == i + 2 => {
                ent.value = Some(self.entity_value(&v[1..v.len() - 1]).map_err(|_| ())?);
            }
            _ => {
                let (sysid, pubid, used) = Self::external_id(toks, i + 1).ok_or(())?;
                if sysid.is_none() {
                    return Err(());
                }
                ent.sysid = sysid;
                ent.pubid = pubid;
                let j = i + 1 + used;
                match (toks.get(j), toks.get(j + 1)) {
                    (None, _) => {}
                    (Some((PTok::Name, k)), Some((PTok::Name, nd))) if k == "NDATA" && !param && toks.len() == j + 2 => {
                        ent.notation = Some(nd.clone())
                    }
                    _ => return Err(()),
                }
            }
        }
        let _ = t;
        if !self.keep_processing() {
            return Ok(Vec::new());
        }
        let table = if param { &mut self.pentities } else { &mut self.entities };
        table.entry(name.clone()).or_insert_with(|| ent.clone());
        let ev = Ev::EntityDecl { name, param, value: ent.value, sysid: ent.sysid, pubid: ent.pubid, notation: ent.notation };
        Ok(vec![(ev, toks.len() - 1)])
    }

    /// A literal entity value: character references replaced, line breaks
    /// normalized, general entity references kept.
    fn entity_value(&self, v: &str) -> Result<String, ()> {
        let mut out = String::with_capacity(v.len());
        let mut rest = v;
        while let Some(c) = rest.chars().next() {
            match c {
                '&' if rest.starts_with("&#") => {
                    let end = rest.find(';').ok_or(())?;
                    out.push(char_ref_value(rest[2..end].as_bytes()).ok_or(())?);
                    rest = &rest[end + 1..];
                    continue;
                }
                '%' => return Err(()),
                '\r' => {
                    out.push('\n');
                    if rest[1..].starts_with('\n') {
                        rest = &rest[1..];
                    }
                }
                c => out.push(c),
            }
            rest = &rest[c.len_utf8()..];
        }
        Ok(out)
    }

    fn element_decl(&mut self, toks: &[(PTok, String)]) -> Option<Vec<(Ev, usize)>> {
        let name = match toks.first() {
            Some((PTok::Name, n)) => n.clone(),
            _ => return None,
        };
        let model = match toks.get(1) {
            Some((PTok::Name, k)) if k == "EMPTY" && toks.len() == 2 => Model { ctype: 1, quant: 0, name: None, children: vec![] },
            Some((PTok::Name, k)) if k == "ANY" && toks.len() == 2 => Model { ctype: 2, quant: 0, name: None, children: vec![] },
            Some((PTok::OpenParen, _)) => {
                let (m, end) = group(toks, 1)?;
                if end != toks.len() {
                    return None;
                }
                m
            }
            _ => return None,
        };
        Some(vec![(Ev::ElementDecl { name, model }, toks.len() - 1)])
    }

    fn attlist_decl(&mut self, toks: &[(PTok, String)], t: &[u8]) -> Result<Vec<(Ev, usize)>, ()> {
        let elname = match toks.first() {
            Some((PTok::Name, n)) => n.clone(),
            _ => return Err(()),
        };
        let mut evs = Vec::new();
        let mut i = 1;
        while i < toks.len() {
            let attname = match &toks[i] {
                (PTok::Name, n) => n.clone(),
                _ => return Err(()),
            };
            i += 1;
            let mut atype = match toks.get(i) {
                Some((PTok::Name, n)) if n == "NOTATION" => {
                    i += 1;
                    "NOTATION".to_string()
                }
                Some((PTok::Name, n)) => {
                    i += 1;
                    n.clone()
                }
                Some((PTok::OpenParen, _)) => String::new(),
                _ => return Err(()),
            };
            if atype.is_empty() || atype == "NOTATION" {
                // An enumeration: ( name | name ... ).
                if toks.get(i).map(|x| x.0) != Some(PTok::OpenParen) {
                    return Err(());
                }
                atype.push('(');
                i += 1;
                loop {
                    match toks.get(i) {
                        Some((PTok::Name, n)) => atype.push_str(n),
                        _ => return Err(()),
                    }
                    i += 1;
                    match toks.get(i) {
                        Some((PTok::Or, _)) => atype.push('|'),
                        Some((PTok::CloseParen, s)) if s == ")" => break,
                        _ => return Err(()),
                    }
                    i += 1;
                }
                atype.push(')');
                i += 1;
            }
            let lit = |k: usize| toks.get(k).filter(|(t, _)| *t == PTok::Literal).map(|(_, s)| s.clone());
            let (dflt, required) = match toks.get(i) {
                Some((PTok::PoundName, k)) if k == "#REQUIRED" => (None, true),
                Some((PTok::PoundName, k)) if k == "#IMPLIED" => (None, false),
                Some((PTok::PoundName, k)) if k == "#FIXED" => {
                    i += 1;
                    (Some(lit(i).ok_or(())?), true)
                }
                Some((PTok::Literal, v)) => (Some(v.clone()), false),
                _ => return Err(()),
            };
            let at = i;
            i += 1;
            let dflt = match dflt {
                Some(v) => {
                    let v = self.attr_value(&v.as_bytes()[1..v.len() - 1], t, &mut Vec::new()).map_err(|_| ())?;
                    Some(if atype == "CDATA" { v } else { v.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ") })
                }
                None => None,
            };
            if self.keep_processing() {
                let decls = self.att_decls.entry(elname.clone()).or_default();
                if !decls.iter().any(|d| d.name == attname) {
                    decls.push(AttDecl { name: attname.clone(), default: dflt.clone(), cdata: atype == "CDATA" });
                }
            }
            evs.push((Ev::AttlistDecl { elname: elname.clone(), attname, atype, default: dflt, required }, at));
        }
        Ok(evs)
    }

    fn notation_decl(&mut self, toks: &[(PTok, String)]) -> Option<Vec<(Ev, usize)>> {
        let name = match toks.first() {
            Some((PTok::Name, n)) => n.clone(),
            _ => return None,
        };
        let (sysid, pubid, used) = Self::external_id(toks, 1)?;
        if 1 + used != toks.len() {
            return None;
        }
        Some(vec![(Ev::NotationDecl { name, sysid, pubid }, toks.len() - 1)])
    }

    /// The XML declaration's version, encoding and standalone.
    fn xml_decl(&mut self, t: &[u8]) -> Result<Ev, XmlError> {
        let bad = |me: &Self| me.err(code::XML_DECL, t, 0);
        let body = &t[5..t.len() - 2];
        let mut attrs: Vec<(String, String)> = Vec::new();
        let mut i = 0;
        loop {
            let start = i;
            while i < body.len() && is_space(body[i]) {
                i += 1;
            }
            if i == body.len() {
                break;
            }
            if i == start {
                return Err(bad(self));
            }
            let ns = i;
            while i < body.len() && body[i].is_ascii_alphabetic() {
                i += 1;
            }
            let name = text(&body[ns..i]);
            while i < body.len() && is_space(body[i]) {
                i += 1;
            }
            if body.get(i) != Some(&b'=') {
                return Err(bad(self));
            }
            i += 1;
            while i < body.len() && is_space(body[i]) {
                i += 1;
            }
            let q = match body.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => q,
                _ => return Err(bad(self)),
            };
            let vs = i + 1;
            let Some(len) = body[vs..].iter().position(|&b| b == q) else { return Err(bad(self)) };
            attrs.push((name, text(&body[vs..vs + len])));
            i = vs + len + 1;
        }
        let mut version = None;
        let mut encoding = None;
        let mut standalone = -1;
        let mut stage = 0;
        for (n, v) in attrs {
            match n.as_str() {
                "version" if stage == 0 => {
                    version = Some(v);
                    stage = 1
                }
                "encoding" if stage == 1 => {
                    encoding = Some(v);
                    stage = 2
                }
                "standalone" if stage >= 1 && stage < 3 => {
                    standalone = match v.as_str() {
                        "yes" => 1,
                        "no" => 0,
                        _ => return Err(bad(self)),
                    };
                    stage = 3
                }
                _ => return Err(bad(self)),
            }
        }
        if version.is_none() {
            return Err(bad(self));
        }
        self.standalone = standalone;
        Ok(Ev::XmlDecl { version, encoding, standalone })
    }
}

/// A parenthesized content model starting at `toks[i]` ('('): the model
/// and the index after it.
fn group(toks: &[(PTok, String)], mut i: usize) -> Option<(Model, usize)> {
    i += 1;
    if let Some((PTok::PoundName, p)) = toks.get(i) {
        if p != "#PCDATA" {
            return None;
        }
        i += 1;
        let mut names = Vec::new();
        loop {
            match toks.get(i) {
                Some((PTok::Or, _)) => match toks.get(i + 1) {
                    Some((PTok::Name, n)) if quant(n) == 0 => {
                        names.push(Model { ctype: 4, quant: 0, name: Some(n.clone()), children: vec![] });
                        i += 2;
                    }
                    _ => return None,
                },
                Some((PTok::CloseParen, c)) => {
                    let q = quant(c);
                    if !names.is_empty() && q != 2 {
                        return None;
                    }
                    return Some((Model { ctype: 3, quant: q, name: None, children: names }, i + 1));
                }
                _ => return None,
            }
        }
    }
    let mut items = Vec::new();
    let mut sep: Option<PTok> = None;
    loop {
        let (m, next) = match toks.get(i) {
            Some((PTok::Name, n)) => {
                (Model { ctype: 4, quant: quant(n), name: Some(strip_quant(n).to_string()), children: vec![] }, i + 1)
            }
            Some((PTok::OpenParen, _)) => group(toks, i)?,
            _ => return None,
        };
        items.push(m);
        i = next;
        match toks.get(i) {
            Some((k @ (PTok::Or | PTok::Comma), _)) => {
                if sep.map_or(false, |s| s != *k) {
                    return None;
                }
                sep = Some(*k);
                i += 1;
            }
            Some((PTok::CloseParen, c)) => {
                let ctype = if sep == Some(PTok::Or) { 5 } else { 6 };
                return Some((Model { ctype, quant: quant(c), name: None, children: items }, i + 1));
            }
            _ => return None,
        }
    }
}
