//! The charmap codec behind the single-byte encodings of `encodings/*.py`
//! (cp1252, cp437, koi8_r, mac_roman, iso8859_*, ...): decoding through a
//! 256-char table or any mapping object, encoding through a mapping.

use super::errors::decode_error;
use crate::value::Value;
use crate::{PyResult, Vm};

fn is_lookup_error(vm: &Vm, e: &crate::PyErr) -> bool {
    vm.is_subtype(e.class(), &vm.exc.lookup_error)
}

/// `mapping[key]`, with a LookupError meaning "undefined".
fn get(vm: &Vm, mapping: &Value, key: i64) -> PyResult<Option<Value>> {
    match vm.getitem(mapping, &Value::Int(key)) {
        Ok(v) if v.is_none() => Ok(None),
        Ok(v) => Ok(Some(v)),
        Err(e) if is_lookup_error(vm, &e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `codecs.charmap_decode(data, errors, mapping)`; mapping None is Latin-1.
pub fn decode_charmap(vm: &Vm, data: &[u8], errors: &str, mapping: &Value) -> PyResult<crate::types::str_surrogates::StrBuf> {
    if mapping.is_none() {
        return Ok(data.iter().map(|&b| b as char).collect());
    }
    let table: Option<Vec<char>> = vm.as_str(mapping).map(|s| s.chars().collect());
    let mut data = super::errors::DecodeInput::from(data);
    let mut out = crate::types::str_surrogates::StrBuf::with_capacity(data.len());
    let mut pos = 0;
    while pos < data.len() {
        let b = data[pos];
        let ok = match &table {
            Some(t) => match t.get(b as usize) {
                Some(&c) if c != '\u{FFFE}' => {
                    out.push(c);
                    true
                }
                _ => false,
            },
            None => match get(vm, mapping, b as i64)? {
                None => false,
                Some(Value::Int(v)) => {
                    if v == 0xFFFE {
                        false
                    } else {
                        match u32::try_from(v).ok().filter(|&v| v < 0x110000) {
                            Some(v) => {
                                out.push(char::from_u32(v).unwrap_or('\u{FFFD}'));
                                true
                            }
                            None => return Err(vm.new_type_error("character mapping must be in range(0x110000)")),
                        }
                    }
                }
                Some(v) => match vm.as_str(&v) {
                    Some("\u{FFFE}") => false,
                    Some(s) => {
                        out.push_str(s);
                        true
                    }
                    None if vm.as_ibig(&v).is_some() => {
                        return Err(vm.new_type_error("character mapping must be in range(0x110000)"))
                    }
                    None => return Err(vm.new_type_error("character mapping must return integer, None or str")),
                },
            },
        };
        if ok {
            pos += 1;
        } else {
            pos = decode_error(vm, errors, "charmap", &mut data, pos, pos + 1, "character maps to <undefined>", &mut out)?;
        }
    }
    Ok(out)
}

/// Encodes `c` through a general mapping object (`mapping[ord(c)]`):
/// an int in range(256), bytes, or None/missing for "undefined".
pub fn encode_through_mapping(vm: &Vm, mapping: &Value, c: u32, out: &mut Vec<u8>) -> PyResult<bool> {
    let v = match get(vm, mapping, c as i64)? {
        None => return Ok(false),
        Some(v) => v,
    };
    if let Value::Int(i) = v {
        return match u8::try_from(i) {
            Ok(b) => {
                out.push(b);
                Ok(true)
            }
            Err(_) => Err(vm.new_type_error("character mapping must be in range(256)")),
        };
    }
    if let Some(b) = v.payload().and_then(|p| p.as_bytes()) {
        out.extend_from_slice(b);
        return Ok(true);
    }
    if vm.as_ibig(&v).is_some() {
        return Err(vm.new_type_error("character mapping must be in range(256)"));
    }
    Err(vm.new_type_error(format!(
        "character mapping must return integer, bytes or None, not {}",
        vm.type_name_of(&v)
    )))
}
