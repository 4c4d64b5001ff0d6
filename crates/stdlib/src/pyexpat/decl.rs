//! Markup declarations read from their tokens: `<!DOCTYPE>`'s external
//! ID, `<!ENTITY>`, `<!ELEMENT>` (content models), `<!ATTLIST>` and
//! `<!NOTATION>`. Each reader is also run on a declaration's first tokens
//! as they arrive, so that a syntax error is reported at the token where
//! expat finds it: `Err(Some(i))` is a bad token `i`, `Err(None)` a valid
//! beginning.

use super::core::{AttDecl, Core, Entity};
use super::events::{Ev, Model};
use super::prolog::PTok;
use super::scan::char_ref_value;

/// Where a declaration is refused: the token, the error code, and the
/// byte offset in the token.
#[derive(Debug, Clone, Copy)]
pub struct Refusal {
    pub idx: usize,
    pub code: u32,
    pub off: usize,
}

pub type Fail = Option<Refusal>;

/// Declarations read: each event with the index of the token it is
/// reported at, a byte offset in that token, and the error that follows
/// it (an entity value cut short).
type Decls = Vec<(Ev, usize, usize, Option<u32>)>;
type R<T> = Result<T, Fail>;

fn syntax(idx: usize) -> Fail {
    Some(Refusal { idx, code: super::core::code::SYNTAX, off: 0 })
}

pub const BAD_PUBLIC_ID: u32 = 32;

/// Reads tokens in order.
struct Cur<'a> {
    toks: &'a [(PTok, String)],
    i: usize,
}

impl<'a> Cur<'a> {
    fn peek(&self) -> Option<&'a (PTok, String)> {
        self.toks.get(self.i)
    }
    fn next(&mut self) -> R<(PTok, &'a str)> {
        let (k, s) = self.toks.get(self.i).ok_or(None)?;
        self.i += 1;
        Ok((*k, s.as_str()))
    }
    fn bad(&self) -> Fail {
        syntax(self.i - 1)
    }
    fn name(&mut self) -> R<String> {
        match self.next()? {
            (PTok::Name, n) if quant(n) == 0 => Ok(n.to_string()),
            _ => Err(self.bad()),
        }
    }
    fn keyword(&mut self, kw: &str) -> R<()> {
        match self.next()? {
            (PTok::Name, n) if n == kw => Ok(()),
            _ => Err(self.bad()),
        }
    }
    fn literal(&mut self) -> R<String> {
        match self.next()? {
            (PTok::Literal, s) => Ok(s[1..s.len() - 1].to_string()),
            _ => Err(self.bad()),
        }
    }
    fn end(&self) -> R<()> {
        if self.i < self.toks.len() {
            Err(syntax(self.i))
        } else {
            Ok(())
        }
    }
    fn last(&self) -> usize {
        self.i.saturating_sub(1)
    }
}

fn quant(s: &str) -> u8 {
    match s.as_bytes().last() {
        Some(b'?') => 1,
        Some(b'*') => 2,
        Some(b'+') => 3,
        _ => 0,
    }
}

/// A public ID: its characters checked, white space normalized.
fn public_id(c: &mut Cur) -> R<String> {
    let p = c.literal()?;
    let ok = |ch: char| ch.is_ascii_alphanumeric() || " \r\n-'()+,./:=?;!*#@$_%".contains(ch);
    if let Some(off) = p.find(|ch| !ok(ch)) {
        return Err(Some(Refusal { idx: c.last(), code: BAD_PUBLIC_ID, off: off + 1 }));
    }
    Ok(p.split([' ', '\r', '\n']).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" "))
}

/// `SYSTEM "sys"` or `PUBLIC "pub" "sys"` (the system literal optional
/// when `sys_optional`, for notations): (sysid, pubid).
fn external_id(c: &mut Cur, sys_optional: bool) -> R<(Option<String>, Option<String>)> {
    match c.next()? {
        (PTok::Name, "SYSTEM") => Ok((Some(c.literal()?), None)),
        (PTok::Name, "PUBLIC") => {
            let p = public_id(c)?;
            if sys_optional && c.peek().is_none() {
                return Ok((None, Some(p)));
            }
            Ok((Some(c.literal()?), Some(p)))
        }
        _ => Err(c.bad()),
    }
}

/// The tokens after `<!DOCTYPE`: (name, sysid, pubid).
pub fn doctype(toks: &[(PTok, String)]) -> R<(String, Option<String>, Option<String>)> {
    let mut c = Cur { toks, i: 0 };
    let name = c.name()?;
    if c.peek().is_none() {
        return Ok((name, None, None));
    }
    let (sysid, pubid) = external_id(&mut c, false)?;
    c.end()?;
    Ok((name, sysid, pubid))
}

/// A content model group whose '(' was just read.
fn group(c: &mut Cur) -> R<Model> {
    group_at(c, 0)
}

fn group_at(c: &mut Cur, depth: usize) -> R<Model> {
    if depth > 20_000 {
        // Too deep to build (a model no document needs).
        return Err(syntax(c.i));
    }
    if let Some((PTok::PoundName, p)) = c.peek() {
        if p != "#PCDATA" || depth > 0 {
            return Err(syntax(c.i));
        }
        c.i += 1;
        let mut names = Vec::new();
        loop {
            match c.next()? {
                (PTok::Or, _) => {
                    let n = c.name()?;
                    names.push(Model { ctype: 4, quant: 0, name: Some(n), children: vec![] });
                }
                (PTok::CloseParen, q) => {
                    let q = quant(q);
                    if !names.is_empty() && q != 2 {
                        return Err(c.bad());
                    }
                    return Ok(Model { ctype: 3, quant: q, name: None, children: names });
                }
                _ => return Err(c.bad()),
            }
        }
    }
    let mut items = Vec::new();
    let mut sep: Option<PTok> = None;
    loop {
        let m = match c.next()? {
            (PTok::Name, n) => {
                Model { ctype: 4, quant: quant(n), name: Some(n.trim_end_matches(['?', '*', '+']).to_string()), children: vec![] }
            }
            (PTok::OpenParen, _) => group_at(c, depth + 1)?,
            _ => return Err(c.bad()),
        };
        items.push(m);
        match c.next()? {
            (k @ (PTok::Or | PTok::Comma), _) => {
                if sep.is_some_and(|s| s != k) {
                    return Err(c.bad());
                }
                sep = Some(k);
            }
            (PTok::CloseParen, q) => {
                let ctype = if sep == Some(PTok::Or) { 5 } else { 6 };
                return Ok(Model { ctype, quant: quant(q), name: None, children: items });
            }
            _ => return Err(c.bad()),
        }
    }
}

const ATT_TYPES: [&str; 8] = ["CDATA", "ID", "IDREF", "IDREFS", "ENTITY", "ENTITIES", "NMTOKEN", "NMTOKENS"];

fn collapse(v: &str) -> String {
    v.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

impl Core {
    /// Declarations after an unread parameter entity are not processed
    /// (they might be overridden), unless the document is standalone.
    pub(super) fn keep_processing(&self) -> bool {
        !self.pe_seen || self.standalone == 1
    }

    /// Records what a declaration defines.
    pub(super) fn record_decl(&mut self, ev: &Ev) {
        match ev {
            Ev::EntityDecl { name, param, value, sysid, pubid, notation } => {
                let table = if *param { &mut self.pentities } else { &mut self.entities };
                let ent = Entity { value: value.clone(), sysid: sysid.clone(), pubid: pubid.clone(), notation: notation.clone() };
                table.entry(name.clone()).or_insert(ent);
            }
            Ev::AttlistDecl { elname, attname, atype, default, .. } => {
                let decls = self.att_decls.entry(elname.clone()).or_default();
                if !decls.iter().any(|d| d.name == *attname) {
                    decls.push(AttDecl { name: attname.clone(), default: default.clone(), cdata: atype == "CDATA" });
                }
            }
            _ => {}
        }
    }

    /// Reads a declaration of kind `kind` from its tokens so far: the
    /// declarations they complete (`closing`: the declaration's '>' came,
    /// so that those that could still go on are complete too).
    pub(super) fn read_decl(&self, kind: &str, toks: &[(PTok, String)], closing: bool) -> R<Decls> {
        let mut c = Cur { toks, i: 0 };
        match kind {
            "ENTITY" => self.entity_decl(&mut c, closing),
            "ELEMENT" => {
                let name = c.name()?;
                let model = match c.next()? {
                    (PTok::Name, "EMPTY") => Model { ctype: 1, quant: 0, name: None, children: vec![] },
                    (PTok::Name, "ANY") => Model { ctype: 2, quant: 0, name: None, children: vec![] },
                    (PTok::OpenParen, _) => group(&mut c)?,
                    _ => return Err(c.bad()),
                };
                c.end()?;
                Ok(vec![(Ev::ElementDecl { name, model }, c.last(), 0, None)])
            }
            "ATTLIST" => self.attlist_decl(&mut c),
            _ => {
                let name = c.name()?;
                let (sysid, pubid) = external_id(&mut c, true)?;
                c.end()?;
                if sysid.is_none() {
                    // Reported at the '>' that ends it.
                    return Ok(if closing { vec![(Ev::NotationDecl { name, sysid, pubid }, usize::MAX, 0, None)] } else { vec![] });
                }
                Ok(vec![(Ev::NotationDecl { name, sysid, pubid }, c.last(), 0, None)])
            }
        }
    }

    fn entity_decl(&self, c: &mut Cur, closing: bool) -> R<Decls> {
        let param = c.peek().map(|x| x.0) == Some(PTok::Percent);
        if param {
            c.i += 1;
        }
        let name = c.name()?;
        let mut ent = Entity::default();
        let mut trunc = None;
        if let Some((PTok::Literal, v)) = c.peek() {
            c.i += 1;
            let at = c.i - 1;
            let (value, cut) = self.entity_value(&v[1..v.len() - 1]).map_err(|(code, off)| Some(Refusal { idx: at, code, off: off + 1 }))?;
            ent.value = Some(value);
            trunc = cut.map(|(o, code)| (o + 1, code));
        } else {
            let (sysid, pubid) = external_id(c, false)?;
            ent.sysid = sysid;
            ent.pubid = pubid;
            if !param && c.peek().is_some() {
                c.keyword("NDATA")?;
                ent.notation = Some(c.name()?);
            } else if !param && !closing {
                // NDATA may follow.
                return Ok(Vec::new());
            }
        }
        c.end()?;
        // An external entity without NDATA is reported at the '>'.
        let at = if ent.sysid.is_some() && ent.notation.is_none() && !param { usize::MAX } else { c.last() };
        let ev = Ev::EntityDecl { name, param, value: ent.value, sysid: ent.sysid, pubid: ent.pubid, notation: ent.notation };
        let (off, code) = trunc.unwrap_or((0, None));
        Ok(vec![(ev, at, off, code)])
    }

    /// A literal entity value: character references replaced, line breaks
    /// normalized, general entity references kept; or an error's code and
    /// byte offset in `v` (a parameter entity reference, not allowed in the
    /// internal subset). As in expat, a malformed reference ends the value,
    /// and the declaration is reported there (the offset returned).
    #[allow(clippy::type_complexity)]
    fn entity_value(&self, v: &str) -> Result<(String, Option<(usize, Option<u32>)>), (u32, usize)> {
        let ns = self.ns_sep.is_some();
        let mut out = String::with_capacity(v.len());
        let mut rest = v;
        while let Some(ch) = rest.chars().next() {
            let at = v.len() - rest.len();
            match ch {
                '&' | '%' => {
                    let end = match super::content::ref_end(rest.as_bytes(), 0, ns) {
                        Ok(end) => end,
                        Err(super::scan::Stop::Error(code, off)) => return Ok((out, Some((at + off, Some(code))))),
                        Err(_) => return Ok((out, Some((at, Some(super::scan::INVALID_TOKEN))))),
                    };
                    if ch == '%' {
                        return Ok((out, Some((at, Some(super::core::code::PARAM_ENTITY_REF)))));
                    }
                    if rest.starts_with("&#") {
                        match char_ref_value(&rest.as_bytes()[2..end - 1]) {
                            Some(c) => out.push(c),
                            None => return Ok((out, Some((at, Some(super::core::code::BAD_CHAR_REF))))),
                        }
                    } else {
                        out.push_str(&rest[..end]);
                    }
                    rest = &rest[end..];
                    continue;
                }
                '\r' => {
                    out.push('\n');
                    if rest[1..].starts_with('\n') {
                        rest = &rest[1..];
                    }
                }
                ch => out.push(ch),
            }
            rest = &rest[ch.len_utf8()..];
        }
        Ok((out, None))
    }

    fn attlist_decl(&self, c: &mut Cur) -> R<Decls> {
        let elname = c.name()?;
        let mut evs = Vec::new();
        while c.peek().is_some() {
            let attname = c.name()?;
            let mut atype = match c.next()? {
                (PTok::Name, "NOTATION") => {
                    match c.next()? {
                        (PTok::OpenParen, _) => {}
                        _ => return Err(c.bad()),
                    }
                    "NOTATION(".to_string()
                }
                (PTok::Name, n) if ATT_TYPES.contains(&n) => n.to_string(),
                (PTok::OpenParen, _) => "(".to_string(),
                _ => return Err(c.bad()),
            };
            if atype.ends_with('(') {
                loop {
                    match c.next()? {
                        (PTok::Name | PTok::Nmtoken, n) if quant(n) == 0 => atype.push_str(n),
                        _ => return Err(c.bad()),
                    }
                    match c.next()? {
                        (PTok::Or, _) => atype.push('|'),
                        (PTok::CloseParen, ")") => break,
                        _ => return Err(c.bad()),
                    }
                }
                atype.push(')');
            }
            let (dflt, required) = match c.next()? {
                (PTok::PoundName, "#REQUIRED") => (None, true),
                (PTok::PoundName, "#IMPLIED") => (None, false),
                (PTok::PoundName, "#FIXED") => (Some(c.literal()?), true),
                (PTok::Literal, v) => (Some(v[1..v.len() - 1].to_string()), false),
                _ => return Err(c.bad()),
            };
            let at = c.last();
            let dflt = match dflt {
                Some(v) => {
                    let v = self
                        .attr_value(v.as_bytes(), &mut Vec::new())
                        .map_err(|(code, off)| Some(Refusal { idx: at, code, off: if off == usize::MAX { 0 } else { off + 1 } }))?;
                    Some(if atype == "CDATA" { v } else { collapse(&v) })
                }
                None => None,
            };
            evs.push((Ev::AttlistDecl { elname: elname.clone(), attname, atype, default: dflt, required }, at, 0, None));
        }
        Ok(evs)
    }
}
