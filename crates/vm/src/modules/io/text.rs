//! The text layer of a TextIOWrapper: decoding as it reads (UTF-8 natively,
//! other codecs through `str_codecs`), newline translation at decode time
//! (universal newlines when `newline=None`), and finding line ends.

use super::file::FileState;
use super::stream::CHUNK;
use crate::value::Value;
use crate::{PyResult, Vm};

/// Text-layer state of a TextIOWrapper.
pub struct TextState {
    pub encoding: String,
    pub errors: String,
    /// None: universal newlines; Some("") untranslated; Some("\n" | "\r" | "\r\n").
    pub newline: Option<String>,
    /// Decoded text not yet returned: `decoded[pos..]`.
    pub decoded: String,
    pub pos: usize,
    /// Universal mode: a '\r' at the end of a chunk, held until we know whether '\n' follows.
    pub pending_cr: bool,
    pub line_buffering: bool,
    /// The binary object `.buffer`, made on first use.
    pub buffer: Option<Value>,
    /// Has the encoder started (so a byte-order mark is not written
    /// again)? None until the next write decides it by the stream's
    /// position, as CPython's encoder reset/setstate(0) on seeks.
    pub encoder_started: Option<bool>,
    /// The encoding that continues the stream without a byte-order mark
    /// (`Some(None)`: the codec writes none); found on the first write.
    pub continuation: Option<Option<&'static str>>,
}

/// Decodes more input into the text buffer; false at end of file.
pub fn text_fill(vm: &Vm, st: &mut FileState) -> PyResult<bool> {
    let t = st.text.as_mut().unwrap();
    let mut s = super::file::sm(vm, &st.stream)?;
    let utf8 = matches!(crate::types::str_codecs::lookup(vm, &t.encoding)?, crate::types::str_codecs::Codec::Utf8);
    let eof = if utf8 {
        s.fill(vm, CHUNK)? == 0
    } else {
        // Other codecs: decode the rest of the file at once (no incremental state needed).
        let mut eof = false;
        while !eof {
            eof = s.fill(vm, CHUNK * 8)? == 0;
        }
        true
    };
    let raw = &s.read_buf[s.read_pos..];
    let (text, used) = if utf8 {
        match std::str::from_utf8(raw) {
            Ok(txt) => (txt.to_string(), raw.len()),
            Err(e) if e.error_len().is_none() && !eof => {
                // An incomplete sequence at the end: keep it for the next chunk.
                let n = e.valid_up_to();
                (std::str::from_utf8(&raw[..n]).unwrap().to_string(), n)
            }
            Err(_) => {
                let obj = vm.new_bytes(raw.to_vec());
                // Text streams keep plain text: a lone surrogate from
                // `errors='surrogateescape'` reads as U+FFFD (docs/differences.md).
                (crate::types::str_codecs::decode(vm, &obj, raw, &t.encoding, &t.errors)?.text, raw.len())
            }
        }
    } else {
        let obj = vm.new_bytes(raw.to_vec());
        (crate::types::str_codecs::decode(vm, &obj, raw, &t.encoding, &t.errors)?.text, raw.len())
    };
    s.read_pos += used;
    drop(s);
    if t.pos > 0 && t.pos * 2 >= t.decoded.len() {
        t.decoded.drain(..t.pos);
        t.pos = 0;
    }
    if t.newline.is_none() {
        let mut chunk = String::with_capacity(text.len() + 1);
        if std::mem::take(&mut t.pending_cr) {
            chunk.push('\r');
        }
        chunk.push_str(&text);
        if chunk.ends_with('\r') && !eof {
            chunk.pop();
            t.pending_cr = true;
        }
        t.decoded.push_str(&chunk.replace("\r\n", "\n").replace('\r', "\n"));
    } else {
        t.decoded.push_str(&text);
    }
    Ok(!(eof && text.is_empty()))
}

/// Byte offset in `s` after `n` chars (or the end).
pub fn char_end(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

pub fn text_take(t: &mut TextState, bytes: usize) -> String {
    let out = t.decoded[t.pos..t.pos + bytes].to_string();
    t.pos += bytes;
    out
}

/// `read(n)` on a text file; n < 0 reads everything.
pub fn text_read(vm: &Vm, st: &mut FileState, n: i64) -> PyResult<String> {
    loop {
        let t = st.text.as_ref().unwrap();
        let avail = &t.decoded[t.pos..];
        if n >= 0 && avail.len() >= n as usize && avail.chars().count() >= n as usize {
            break;
        }
        if !text_fill(vm, st)? {
            break;
        }
    }
    let t = st.text.as_mut().unwrap();
    let end = if n < 0 { t.decoded.len() - t.pos } else { char_end(&t.decoded[t.pos..], n as usize) };
    Ok(text_take(t, end))
}

/// Where the first line in `s` ends (byte offset after its terminator), if
/// complete; `eof` says no more data can come.
pub fn line_end(s: &str, newline: Option<&str>, eof: bool) -> Option<usize> {
    match newline {
        None | Some("\n") => s.find('\n').map(|i| i + 1),
        Some("") => {
            let i = s.find(['\r', '\n'])?;
            if s.as_bytes()[i] == b'\n' {
                return Some(i + 1);
            }
            match s.as_bytes().get(i + 1) {
                Some(b'\n') => Some(i + 2),
                Some(_) => Some(i + 1),
                None if eof => Some(i + 1),
                None => None,
            }
        }
        Some(term) => s.find(term).map(|i| i + term.len()),
    }
}

pub fn text_readline(vm: &Vm, st: &mut FileState, limit: i64) -> PyResult<String> {
    let mut eof = false;
    loop {
        let t = st.text.as_ref().unwrap();
        let avail = &t.decoded[t.pos..];
        if let Some(end) = line_end(avail, t.newline.as_deref(), eof) {
            let end = if limit >= 0 { end.min(char_end(avail, limit as usize)) } else { end };
            return Ok(text_take(st.text.as_mut().unwrap(), end));
        }
        if limit >= 0 && avail.chars().count() >= limit as usize {
            let end = char_end(avail, limit as usize);
            return Ok(text_take(st.text.as_mut().unwrap(), end));
        }
        if eof {
            let n = avail.len();
            return Ok(text_take(st.text.as_mut().unwrap(), n));
        }
        eof = !text_fill(vm, st)?;
    }
}

