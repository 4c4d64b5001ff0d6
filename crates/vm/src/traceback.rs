//! Printing uncaught exceptions as CPython 3.11 does: the chain of causes and
//! contexts, "Traceback (most recent call last):", one entry per frame with
//! its source line and a `^^^^` range, repeated entries collapsed, SyntaxError's
//! own layout, and "Did you mean" hints for NameError and AttributeError.

use crate::object::PyRef;
use crate::payload::Payload;
use crate::value::Value;
use crate::Vm;

impl Vm {
    /// Prints `exc` and its chain to sys.stderr. Never fails: errors while
    /// printing fall back to the process's stderr.
    pub fn print_exception(&self, exc: &PyRef) {
        let mut out = String::new();
        let mut seen: Vec<usize> = Vec::new();
        self.format_exception_chain(exc, &mut out, &mut seen);
        self.write_stderr(&out);
    }

    fn format_exception_chain(&self, exc: &PyRef, out: &mut String, seen: &mut Vec<usize>) {
        seen.push(exc.id());
        if let Some(data) = exc.payload.as_exception() {
            let cause = data.cause.get().filter(|c| !c.is_none());
            let context = data.context.get().filter(|c| !c.is_none());
            if let Some(Value::Obj(c)) = cause {
                if !seen.contains(&c.id()) {
                    self.format_exception_chain(&c, out, seen);
                    out.push_str("\nThe above exception was the direct cause of the following exception:\n\n");
                }
            } else if let Some(Value::Obj(c)) = context {
                if !data.suppress_context.get() && !seen.contains(&c.id()) {
                    self.format_exception_chain(&c, out, seen);
                    out.push_str("\nDuring handling of the above exception, another exception occurred:\n\n");
                }
            }
        }
        self.format_single_exception(exc, out);
    }

    /// One exception: its traceback and its final line.
    pub fn format_single_exception(&self, exc: &PyRef, out: &mut String) {
        let tb = exc.payload.as_exception().and_then(|d| d.traceback.get()).filter(|t| !t.is_none());
        if let Some(tb) = tb {
            out.push_str("Traceback (most recent call last):\n");
            self.format_traceback(&tb, out);
        }
        if self.is_subtype(exc.class(), &self.exc.syntax_error) {
            self.format_syntax_error_body(exc, out);
        }
        out.push_str(&self.exception_last_line(exc));
        out.push('\n');
    }

    /// "Type: message" (with module qualification and suggestions).
    pub fn exception_last_line(&self, exc: &PyRef) -> String {
        let typ = exc.class();
        let mut name = self
            .type_lookup_str(typ, "__qualname__")
            .filter(|_| typ.payload.as_type().map_or(false, |t| t.is_heap()))
            .and_then(|v| self.as_str(&v).map(String::from))
            .unwrap_or_else(|| self.type_name(typ));
        if let Some(t) = typ.payload.as_type() {
            if t.is_heap() {
                let module = self
                    .dict_get_str(&t.dict, &self.intern("__module__"))
                    .and_then(|v| self.as_str(&v).map(String::from));
                if let Some(m) = module {
                    if m != "builtins" && m != "__main__" {
                        name = format!("{m}.{name}");
                    }
                }
            }
        }
        let msg = if self.is_subtype(typ, &self.exc.syntax_error) {
            self.syntax_error_field(exc, "msg").unwrap_or_default()
        } else {
            match self.str_string(&Value::Obj(exc.clone())) {
                Ok(s) => s,
                Err(_) => "<exception str() failed>".to_string(),
            }
        };
        let mut line = if msg.is_empty() { name } else { format!("{name}: {msg}") };
        if let Some(s) = self.suggestion_for(exc) {
            line.push_str(&format!(". Did you mean: '{s}'?"));
        }
        for note in self.exception_notes(exc) {
            line.push('\n');
            line.push_str(&note);
        }
        line
    }

    fn exception_notes(&self, exc: &PyRef) -> Vec<String> {
        let d = match self.instance_dict(&Value::Obj(exc.clone()), false) {
            Some(d) => d,
            None => return vec![],
        };
        match self.dict_get_str(&d, &self.intern("__notes__")) {
            Some(notes) => match self.seq_items(&notes) {
                Some(items) => items.iter().map(|n| self.str_string(n).unwrap_or_default()).collect(),
                None => vec![],
            },
            None => vec![],
        }
    }

    fn syntax_error_field(&self, exc: &PyRef, field: &str) -> Option<String> {
        let v = self.getattr_opt(&Value::Obj(exc.clone()), field).ok().flatten()?;
        if v.is_none() {
            return None;
        }
        match &v {
            Value::Int(i) => Some(i.to_string()),
            _ => self.as_str(&v).map(String::from),
        }
    }

    fn format_syntax_error_body(&self, exc: &PyRef, out: &mut String) {
        let filename = self.syntax_error_field(exc, "filename");
        let lineno = self.syntax_error_field(exc, "lineno");
        if let (Some(f), Some(l)) = (&filename, &lineno) {
            out.push_str(&format!("  File \"{f}\", line {l}\n"));
        }
        if let Some(full_text) = self.syntax_error_field(exc, "text") {
            let text = full_text.trim_end_matches(['\n', '\r']);
            let stripped = text.trim_start();
            let indent = text.chars().count() - stripped.chars().count();
            out.push_str(&format!("    {stripped}\n"));
            let offset: i64 = self.syntax_error_field(exc, "offset").and_then(|s| s.parse().ok()).unwrap_or(0);
            let end_line: i64 = self.syntax_error_field(exc, "end_lineno").and_then(|s| s.parse().ok()).unwrap_or(0);
            let line: i64 = lineno.as_deref().and_then(|s| s.parse().ok()).unwrap_or(0);
            let mut end_offset: i64 = self.syntax_error_field(exc, "end_offset").and_then(|s| s.parse().ok()).unwrap_or(0);
            // As CPython: an error running past its line marks the rest of the
            // line, and the carets never run past the text.
            let line_size = full_text.chars().count() as i64;
            if end_line > line {
                end_offset = line_size;
            }
            end_offset = end_offset.min(line_size + 1);
            let width = if end_offset > 0 && end_offset > offset { end_offset - offset } else { 1 };
            // 0-based column within the stripped text, clipped to its length;
            // nothing is marked left of the text.
            let col = (offset - 1 - indent as i64).min(stripped.chars().count() as i64);
            if col >= 0 {
                out.push_str(&format!("    {}{}\n", " ".repeat(col as usize), "^".repeat(width as usize)));
            }
        }
    }

    pub(crate) fn format_traceback(&self, tb: &Value, out: &mut String) {
        let mut entries: Vec<(String, u32, String, Option<krait_compiler::code::Position>)> = Vec::new();
        let mut cur = Some(tb.clone());
        while let Some(Value::Obj(t)) = cur {
            let data = match &t.payload {
                Payload::Traceback(d) => d,
                _ => break,
            };
            let (filename, name, pos) = match &data.frame.payload {
                Payload::Frame(f) => match f.code.payload.as_code() {
                    Some(c) => (
                        c.code.filename.clone(),
                        c.code.name.clone(),
                        c.code.positions.get(data.lasti as usize).copied(),
                    ),
                    None => ("?".into(), "?".into(), None),
                },
                _ => ("?".into(), "?".into(), None),
            };
            entries.push((filename, data.lineno, name, pos));
            cur = data.next.get();
        }
        let mut last: Option<(String, u32, String)> = None;
        let mut repeats = 0usize;
        for (filename, lineno, name, pos) in entries {
            let key = (filename.clone(), lineno, name.clone());
            if last.as_ref() == Some(&key) {
                repeats += 1;
                if repeats >= 3 {
                    continue;
                }
            } else {
                flush_repeats(out, repeats);
                repeats = 0;
                last = Some(key);
            }
            out.push_str(&format!("  File \"{filename}\", line {lineno}, in {name}\n"));
            // While the interpreter tears down, CPython's traceback printer can
            // no longer import what reads source files: no source lines then.
            if self.finalizing.get() {
                continue;
            }
            if let Some(src) = source_line(&filename, lineno) {
                // CPython removes the indentation but keeps trailing blanks.
                let stripped = src.trim_start_matches([' ', '\t', '\x0c']);
                out.push_str(&format!("    {stripped}\n"));
                // The caret line includes the 4-space margin.
                if let Some(carets) = pos.and_then(|p| crate::traceback_carets::caret_line(&filename, &src, lineno, p)) {
                    out.push_str(&format!("{carets}\n"));
                }
            }
        }
        flush_repeats(out, repeats);
    }

    /// CPython 3.11's "Did you mean" for NameError and AttributeError.
    fn suggestion_for(&self, exc: &PyRef) -> Option<String> {
        let typ = exc.class();
        let dict = self.instance_dict(&Value::Obj(exc.clone()), false);
        let get = |k: &str| dict.as_ref().and_then(|d| self.dict_get_str(d, &self.intern(k)));
        if self.is_subtype(typ, &self.exc.attribute_error) {
            let name = get("name")?;
            let name = self.as_str(&name)?.to_string();
            let obj = get("obj")?;
            let dir = self.call(&self.dict_get_str(&self.builtins_dict, &self.intern("dir"))?, crate::Args::new(&[obj])).ok()?;
            let candidates: Vec<String> = self.seq_items(&dir)?.iter().filter_map(|v| self.as_str(v).map(String::from)).collect();
            return best_match(&name, &candidates);
        }
        if self.is_subtype(typ, &self.exc.name_error) && !self.is_subtype(typ, &self.exc.unbound_local_error) {
            let name = match get("name") {
                Some(n) => self.as_str(&n).map(String::from),
                None => {
                    let msg = self.str_string(&Value::Obj(exc.clone())).ok()?;
                    msg.strip_prefix("name '").and_then(|r| r.strip_suffix("' is not defined")).map(String::from)
                }
            }?;
            // As CPython 3.11: the innermost frame's local variable names
            // (co_varnames), then its globals, then builtins, each searched on its
            // own; the first list with a close enough name wins.
            let mut tb = exc.payload.as_exception()?.traceback.get();
            let mut frame = None;
            while let Some(Value::Obj(t)) = tb {
                if let Payload::Traceback(d) = &t.payload {
                    frame = Some(d.frame.clone());
                    tb = d.next.get();
                } else {
                    break;
                }
            }
            let keys = |d: &PyRef| -> Vec<String> {
                self.dict_keys(d).iter().filter_map(|k| self.as_str(k).map(String::from)).collect()
            };
            if let Some(f) = frame {
                if let Payload::Frame(fi) = &f.payload {
                    if let Payload::Code(c) = &fi.code.payload {
                        let varnames: Vec<String> =
                            c.varnames.iter().filter_map(|n| n.payload.as_str().map(|s| s.as_str().to_string())).collect();
                        if let Some(m) = best_match(&name, &varnames) {
                            return Some(m);
                        }
                    }
                    if let Some(m) = best_match(&name, &keys(&fi.globals)) {
                        return Some(m);
                    }
                }
            }
            return best_match(&name, &keys(&self.builtins_dict));
        }
        None
    }
}

fn flush_repeats(out: &mut String, repeats: usize) {
    if repeats >= 3 {
        let more = repeats - 2;
        out.push_str(&format!(
            "  [Previous line repeated {more} more time{}]\n",
            if more == 1 { "" } else { "s" }
        ));
    }
}

/// Line `lineno` (1-based) of a source file, read fresh (files are small and
/// this runs once per uncaught exception).
fn source_line(filename: &str, lineno: u32) -> Option<String> {
    if filename.starts_with('<') || lineno == 0 {
        return None;
    }
    let bytes = std::fs::read(filename).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    text.lines().nth(lineno as usize - 1).map(|l| l.to_string())
}

const MOVE_COST: usize = 2;
const CASE_COST: usize = 1;
const MAX_CANDIDATES: usize = 750;
const MAX_NAME: usize = 40;

/// The candidate closest to `name` by CPython's weighted edit distance, if
/// close enough (same rules as CPython 3.11's suggestions.c).
fn best_match(name: &str, candidates: &[String]) -> Option<String> {
    if candidates.len() > MAX_CANDIDATES || name.len() > MAX_NAME {
        return None;
    }
    let mut best: Option<(usize, &String)> = None;
    for c in candidates {
        if c == name || c.len() > MAX_NAME {
            continue;
        }
        let max_dist = (name.len() + c.len() + 3) * MOVE_COST / 6;
        let limit = match best {
            Some((d, _)) => max_dist.min(d.saturating_sub(1)),
            None => max_dist,
        };
        let d = edit_distance(name.as_bytes(), c.as_bytes(), limit);
        if d <= limit && best.map_or(true, |(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c.clone())
}

fn substitution_cost(a: u8, b: u8) -> usize {
    if a == b {
        0
    } else if a.to_ascii_lowercase() == b.to_ascii_lowercase() {
        CASE_COST
    } else {
        MOVE_COST
    }
}

/// Levenshtein distance with insert/delete cost 2 and case-only substitution 1;
/// returns `max + 1` once the distance must exceed `max`.
fn edit_distance(a: &[u8], b: &[u8], max: usize) -> usize {
    // Strip the common prefix and suffix, as they cost nothing.
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[pre..], &b[pre..]);
    let suf = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[..a.len() - suf], &b[..b.len() - suf]);
    if a.is_empty() || b.is_empty() {
        return (a.len() + b.len()) * MOVE_COST;
    }
    if a.len().abs_diff(b.len()) * MOVE_COST > max {
        return max + 1;
    }
    let mut row: Vec<usize> = (1..=b.len()).map(|i| i * MOVE_COST).collect();
    let mut result = 0;
    for (i, &ca) in a.iter().enumerate() {
        let mut distance = i * MOVE_COST;
        result = distance;
        let mut min_row = usize::MAX;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = distance + substitution_cost(ca, cb);
            distance = row[j];
            let insert_delete = (result.min(distance)) + MOVE_COST;
            result = insert_delete.min(substitute);
            row[j] = result;
            min_row = min_row.min(result);
        }
        if min_row > max {
            return max + 1;
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_like_cpython() {
        let c = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(best_match("pritn", &c(&["print", "input", "len"])), Some("print".into()));
        assert_eq!(best_match("lenght", &c(&["length", "len"])), Some("length".into()));
        assert_eq!(best_match("xyz", &c(&["print", "input"])), None);
        assert_eq!(best_match("Print", &c(&["print"])), Some("print".into()));
    }
}
