//! Compression: miniz_oxide makes the raw deflate data; the zlib and gzip
//! wrappers (headers, Adler-32/CRC-32 trailers, preset dictionaries) are
//! written here, as zlib's `deflate` lays them out.

use super::checksum::{adler32, crc32};
use super::ZErr;
use miniz_oxide::deflate::core::{compress_to_output, CompressionStrategy, CompressorOxide, TDEFLFlush, TDEFLStatus};
use miniz_oxide::DataFormat;

/// The stream format a `wbits` value selects.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Wrap {
    Raw,
    Zlib,
    Gzip,
}

/// Back-references reach this far at most (miniz_oxide's window).
const MAX_DICT: usize = 32768;

/// A compression stream: `deflateInit2` .. `deflateEnd`.
#[derive(Clone)]
pub struct Deflater {
    comp: Box<CompressorOxide>,
    wrap: Wrap,
    /// Header bytes not yet handed out (written by the first call).
    header: Option<Vec<u8>>,
    check: u32,
    total_in: u32,
    finished: bool,
    /// The previous flush mode (-2 before the first call), for zlib's rule
    /// that repeating a flush without new input does nothing.
    last_flush: i32,
}

impl Deflater {
    /// zlib's `deflateInit2` with its parameter checks; None stands for
    /// Z_STREAM_ERROR. `memLevel` is checked but has no effect here.
    pub fn new(level: i32, method: i32, wbits: i32, mem_level: i32, strategy: i32) -> Option<Deflater> {
        let level = if level == -1 { 6 } else { level };
        let (wrap, bits) = if wbits < 0 {
            if wbits < -15 {
                return None;
            }
            (Wrap::Raw, -wbits)
        } else if wbits > 15 {
            (Wrap::Gzip, wbits - 16)
        } else {
            (Wrap::Zlib, wbits)
        };
        if !(1..=9).contains(&mem_level)
            || method != 8
            || !(8..=15).contains(&bits)
            || !(0..=9).contains(&level)
            || !(0..=4).contains(&strategy)
            || (bits == 8 && wrap != Wrap::Zlib)
        {
            return None;
        }
        let bits = bits.max(9);
        // miniz_oxide's own window limiting still emits matches beyond a
        // small window; without matches the stream is valid for any window.
        let strat = match if bits < 15 { 2 } else { strategy } {
            1 => CompressionStrategy::Filtered,
            2 => CompressionStrategy::HuffmanOnly,
            3 => CompressionStrategy::RLE,
            4 => CompressionStrategy::Fixed,
            _ => CompressionStrategy::Default,
        };
        let comp = Box::new(CompressorOxide::with_params(DataFormat::Raw, level as u8, strat, 15));
        let header = match wrap {
            Wrap::Raw => None,
            Wrap::Zlib => Some(zlib_header(bits as u32, level, strategy, None)),
            Wrap::Gzip => {
                let xfl = if level == 9 {
                    2
                } else if strategy >= 2 || level < 2 {
                    4
                } else {
                    0
                };
                // No file name or time stamp; OS 3 (Unix), as CPython's zlib writes.
                Some(vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 3])
            }
        };
        let check = if wrap == Wrap::Zlib { 1 } else { 0 };
        Some(Deflater { comp, wrap, header, check, total_in: 0, finished: false, last_flush: -2 })
    }

    /// `deflateSetDictionary` right after creation: the compressor is primed
    /// with the dictionary (its output dropped), and a zlib header announces
    /// the dictionary's Adler-32. None: not possible for gzip streams.
    pub fn set_dictionary(&mut self, dict: &[u8], level: i32, strategy: i32) -> Option<()> {
        if self.wrap == Wrap::Gzip {
            return None;
        }
        if dict.is_empty() {
            return Some(());
        }
        if self.wrap == Wrap::Zlib {
            let bits = (self.header.as_ref().map_or(0x78, |h| h[0]) >> 4) as u32 + 8;
            let level = if level == -1 { 6 } else { level };
            self.header = Some(zlib_header(bits, level, strategy, Some(adler32(1, dict))));
        }
        let tail = &dict[dict.len().saturating_sub(MAX_DICT)..];
        // The dictionary's blocks end with a sync flush, so the real output
        // starts on a byte boundary with a fresh block.
        let (st, n) = compress_to_output(&mut self.comp, tail, TDEFLFlush::Sync, |_| true);
        if st != TDEFLStatus::Okay || n != tail.len() {
            return None;
        }
        Some(())
    }

    pub fn finished(&self) -> bool {
        self.finished
    }

    /// Feeds `data` with the zlib flush `mode` (0..=5), appending the output
    /// to `out`. Errors are Z_STREAM_ERROR (a finished stream, a bad mode).
    pub fn run(&mut self, data: &[u8], mode: i32, out: &mut Vec<u8>, when: &'static str) -> Result<(), ZErr> {
        let stream_error = ZErr { code: -2, msg: None, when };
        let flush = match mode {
            0 => TDEFLFlush::None,
            1 => TDEFLFlush::Partial,
            2 => TDEFLFlush::Sync,
            3 => TDEFLFlush::Full,
            4 => TDEFLFlush::Finish,
            5 => TDEFLFlush::NoSync,
            _ => return Err(stream_error),
        };
        if self.finished {
            return Err(stream_error);
        }
        // zlib's RANK: Z_BLOCK ranks between Z_NO_FLUSH and Z_PARTIAL_FLUSH.
        let rank = |f: i32| f * 2 - if f > 4 { 9 } else { 0 };
        let old = std::mem::replace(&mut self.last_flush, mode);
        if data.is_empty() && mode != 4 && rank(mode) <= rank(old) {
            return Ok(());
        }
        if let Some(h) = self.header.take() {
            out.extend_from_slice(&h);
        }
        match self.wrap {
            Wrap::Zlib => self.check = adler32(self.check, data),
            Wrap::Gzip => self.check = crc32(self.check, data),
            Wrap::Raw => {}
        }
        self.total_in = self.total_in.wrapping_add(data.len() as u32);
        let mut pos = 0;
        let mut idle = 0;
        loop {
            let (st, n) = compress_to_output(&mut self.comp, &data[pos..], flush, |b| {
                out.extend_from_slice(b);
                true
            });
            pos += n;
            match st {
                TDEFLStatus::Done => {
                    self.finished = true;
                    self.write_trailer(out);
                    return Ok(());
                }
                TDEFLStatus::Okay => {}
                _ => return Err(stream_error),
            }
            if pos >= data.len() && flush != TDEFLFlush::Finish {
                return Ok(());
            }
            // Output goes to a callback, so each call should take all the input.
            idle = if n == 0 { idle + 1 } else { 0 };
            if idle > 2 {
                return Err(stream_error);
            }
        }
    }

    fn write_trailer(&self, out: &mut Vec<u8>) {
        match self.wrap {
            Wrap::Zlib => out.extend_from_slice(&self.check.to_be_bytes()),
            Wrap::Gzip => {
                out.extend_from_slice(&self.check.to_le_bytes());
                out.extend_from_slice(&self.total_in.to_le_bytes());
            }
            Wrap::Raw => {}
        }
    }
}

/// The two-byte zlib header (RFC 1950), with FDICT and the dictionary id when
/// a dictionary is preset; FLEVEL as zlib derives it from level and strategy.
fn zlib_header(bits: u32, level: i32, strategy: i32, dict_id: Option<u32>) -> Vec<u8> {
    let cmf = ((bits - 8) << 4) | 8;
    let level_flags = if strategy >= 2 || level < 2 {
        0
    } else if level < 6 {
        1
    } else if level == 6 {
        2
    } else {
        3
    };
    let mut h = (cmf << 8) | (level_flags << 6);
    if dict_id.is_some() {
        h |= 0x20;
    }
    h += 31 - h % 31;
    let mut v = vec![(h >> 8) as u8, (h & 0xff) as u8];
    if let Some(id) = dict_id {
        v.extend_from_slice(&id.to_be_bytes());
    }
    v
}
