//! Encoding a str that holds lone surrogates with the native codecs: code
//! point by code point (the text alone has U+FFFD where they stand), runs
//! of code points the codec refuses going to the error handler together as
//! in CPython. `surrogateescape` turns U+DC80..U+DCFF back into bytes;
//! `surrogatepass` writes surrogates as the UTFs would any code point.

use super::errors::{encode_exc, handler, replacement_text, Handler};
use super::Codec;
use crate::types::str::PyStr;
use crate::types::str_surrogates::is_surrogate;
use crate::value::Value;
use crate::{PyResult, Vm};

/// How one codec writes code points.
struct Writer {
    codec: Codec,
    big: bool,
}

impl Writer {
    /// Can the codec write `cp` without the error handler?
    fn accepts(&self, cp: u32) -> bool {
        match self.codec {
            Codec::Ascii => cp < 0x80,
            Codec::Latin1 => cp < 0x100,
            _ => !is_surrogate(cp),
        }
    }

    /// Writes an accepted code point (or, for `surrogatepass`, a surrogate
    /// in a UTF).
    fn put(&self, cp: u32, out: &mut Vec<u8>) {
        match self.codec {
            Codec::Ascii | Codec::Latin1 => out.push(cp as u8),
            Codec::Utf8 => match char::from_u32(cp) {
                Some(c) => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
                // A surrogate, in UTF-8's three-byte pattern.
                None => out.extend_from_slice(&[0xE0 | (cp >> 12) as u8, 0x80 | ((cp >> 6) & 0x3F) as u8, 0x80 | (cp & 0x3F) as u8]),
            },
            Codec::Utf16 { .. } => {
                let mut units = [0u16; 2];
                let units: &[u16] = match char::from_u32(cp) {
                    Some(c) => c.encode_utf16(&mut units),
                    None => {
                        units[0] = cp as u16;
                        &units[..1]
                    }
                };
                for u in units {
                    out.extend_from_slice(&if self.big { u.to_be_bytes() } else { u.to_le_bytes() });
                }
            }
            Codec::Utf32 { .. } => out.extend_from_slice(&if self.big { cp.to_be_bytes() } else { cp.to_le_bytes() }),
            Codec::Registry => {}
        }
    }

    /// Bytes per code unit.
    fn unit(&self) -> usize {
        match self.codec {
            Codec::Utf16 { .. } => 2,
            Codec::Utf32 { .. } => 4,
            _ => 1,
        }
    }

    fn is_utf(&self) -> bool {
        matches!(self.codec, Codec::Utf8 | Codec::Utf16 { .. } | Codec::Utf32 { .. })
    }
}

/// `s.encode(codec, errors)` for a str with lone surrogates (`obj` is it).
pub fn encode(vm: &Vm, obj: &Value, s: &PyStr, codec: Codec, errors: &str) -> PyResult<Vec<u8>> {
    let cps: Vec<u32> = s.code_points().collect();
    let (bom, big) = match codec {
        Codec::Utf16 { big, bom } | Codec::Utf32 { big, bom } => (bom, big),
        _ => (false, false),
    };
    let w = Writer { codec, big };
    let name = codec.name();
    let reason = match codec {
        Codec::Ascii => "ordinal not in range(128)",
        Codec::Latin1 => "ordinal not in range(256)",
        _ => "surrogates not allowed",
    };
    let mut out = Vec::with_capacity(cps.len() + 4);
    if bom {
        w.put(0xFEFF, &mut out);
    }
    let mut i = 0;
    while i < cps.len() {
        if w.accepts(cps[i]) {
            w.put(cps[i], &mut out);
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < cps.len() && !w.accepts(cps[end]) {
            end += 1;
        }
        let fail = || encode_exc(vm, name, obj, i, end, reason);
        let bad = &cps[i..end];
        let ascii = |text: String, out: &mut Vec<u8>| text.chars().for_each(|c| w.put(c as u32, out));
        i = match handler(vm, errors)? {
            Handler::Strict => return Err(fail()),
            Handler::SurrogateEscape => {
                // Bytes as they were cannot go in a UTF-16/32 unit.
                if matches!(codec, Codec::Utf16 { .. } | Codec::Utf32 { .. }) {
                    return Err(fail());
                }
                // The escaped bytes of the run go out; the error, if any,
                // names the rest of the run (as CPython's encoders do).
                let escaped = bad.iter().take_while(|&&c| (0xDC80..=0xDCFF).contains(&c)).count();
                out.extend(bad[..escaped].iter().map(|&c| (c - 0xDC00) as u8));
                if escaped < bad.len() {
                    return Err(encode_exc(vm, name, obj, i + escaped, end, reason));
                }
                end
            }
            Handler::SurrogatePass => {
                if !w.is_utf() || !bad.iter().all(|&c| is_surrogate(c)) {
                    return Err(fail());
                }
                bad.iter().for_each(|&c| w.put(c, &mut out));
                end
            }
            Handler::Ignore => end,
            h @ (Handler::Replace | Handler::BackslashReplace | Handler::NameReplace | Handler::XmlCharRefReplace) => {
                ascii(replacement_text(&h, bad).unwrap_or_default(), &mut out);
                end
            }
            Handler::Custom(f) => {
                let exc = encode_exc(vm, name, obj, i, end, reason);
                let res = vm.call1(&f, &[Value::Obj(exc)])?;
                let (rep, pos) = super::errors::parse_result(vm, &res, cps.len(), false)?;
                match rep.payload() {
                    Some(crate::payload::Payload::Str(r)) => {
                        // A UTF takes only ASCII text from a handler, as CPython's encoders.
                        for c in r.code_points() {
                            if !w.accepts(c) || (w.is_utf() && c >= 0x80) {
                                return Err(fail());
                            }
                            w.put(c, &mut out);
                        }
                    }
                    _ => {
                        let b = rep.payload().and_then(|p| p.as_bytes()).unwrap_or(&[]);
                        // Bytes must be whole code units of the codec.
                        if b.len() % w.unit() != 0 {
                            return Err(fail());
                        }
                        out.extend_from_slice(b)
                    }
                }
                pos
            }
        };
    }
    Ok(out)
}
