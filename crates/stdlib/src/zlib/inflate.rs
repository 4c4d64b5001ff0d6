//! Decompression: the zlib/gzip headers and trailers are read here (with
//! zlib's checks and messages); miniz_oxide decodes the raw deflate data into
//! a buffer that keeps the last 32 KiB of output (or a preset dictionary) in
//! front of the new output, so back-references into it resolve.

use super::checksum::{adler32, crc32};
use super::ZErr;
use miniz_oxide::inflate::core::inflate_flags::{TINFL_FLAG_HAS_MORE_INPUT, TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF};
use miniz_oxide::inflate::core::{decompress, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;

const WINDOW: usize = 32768;
/// Output produced per call of the decoder when nothing limits it.
const CHUNK: usize = 65536;
const FLAGS: u32 = TINFL_FLAG_HAS_MORE_INPUT | TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;

const Z_NEED_DICT: i32 = 2;
const Z_STREAM_ERROR: i32 = -2;
const Z_DATA_ERROR: i32 = -3;
const Z_BUF_ERROR: i32 = -5;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Zlib,
    Gzip,
    /// zlib or gzip, whichever the first two bytes say (wbits 32 + n).
    Auto,
    Raw,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Header,
    /// The zlib header asks for a preset dictionary with this Adler-32.
    NeedDict(u32),
    Body,
    Trailer,
    Done,
    /// A data error; zlib repeats it on every later call.
    Bad(Option<&'static str>),
}

/// What one `inflate` call ended with (errors aside).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// All input used, or the output limit reached.
    Ok,
    StreamEnd,
    NeedDict,
}

/// One decompression stream: `inflateInit2` .. `inflateEnd`.
#[derive(Clone)]
pub struct Inflater {
    mode: Mode,
    /// Window bits; 0 takes them from the zlib header.
    wbits: u32,
    phase: Phase,
    /// Header or trailer bytes gathered so far.
    buf: Vec<u8>,
    dec: Box<DecompressorOxide>,
    /// Recent output: back-references reach into it.
    win: Vec<u8>,
    check: u32,
    total: u32,
    /// The first bytes of the deflate data, to name what was wrong with
    /// the first block when decoding fails.
    first: Vec<u8>,
}

impl Inflater {
    /// zlib's `inflateInit2` checks; None stands for Z_STREAM_ERROR.
    pub fn new(wbits: i32) -> Option<Inflater> {
        let (mode, bits) = if wbits < 0 {
            if wbits < -15 {
                return None;
            }
            (Mode::Raw, -wbits)
        } else {
            let mode = match wbits >> 4 {
                0 => Mode::Zlib,
                1 => Mode::Gzip,
                _ => Mode::Auto,
            };
            (mode, if wbits < 48 { wbits & 15 } else { wbits })
        };
        if bits != 0 && !(8..=15).contains(&bits) {
            return None;
        }
        let phase = if mode == Mode::Raw { Phase::Body } else { Phase::Header };
        Some(Inflater {
            mode,
            wbits: bits as u32,
            phase,
            buf: Vec::new(),
            dec: Box::default(),
            win: Vec::new(),
            check: 0,
            total: 0,
            first: Vec::new(),
        })
    }

    /// `inflateSetDictionary`: for raw streams at any time, for zlib streams
    /// when the header asked for one (and its Adler-32 matches).
    pub fn set_dictionary(&mut self, dict: &[u8], when: &'static str) -> Result<(), ZErr> {
        match self.phase {
            Phase::NeedDict(id) => {
                if adler32(1, dict) != id {
                    return Err(ZErr { code: Z_DATA_ERROR, msg: None, when });
                }
                self.phase = Phase::Body;
            }
            _ if self.mode == Mode::Raw => {}
            _ => return Err(ZErr { code: Z_STREAM_ERROR, msg: None, when }),
        }
        self.win.clear();
        self.win.extend_from_slice(&dict[dict.len().saturating_sub(WINDOW)..]);
        Ok(())
    }

    /// Decompresses from `input`, appending to `out` until the input is used
    /// up, the stream ends, or `out` holds `limit` bytes (output-free steps,
    /// such as reading a trailer, still go on then, as zlib's do). Returns
    /// how much input was used.
    pub fn inflate(&mut self, input: &[u8], limit: Option<usize>, out: &mut Vec<u8>) -> (usize, Result<Status, ZErr>) {
        let when = "while decompressing data";
        let mut pos = 0;
        loop {
            match self.phase {
                Phase::Bad(msg) => return (pos, Err(ZErr { code: Z_DATA_ERROR, msg, when })),
                Phase::Done => return (pos, Ok(Status::StreamEnd)),
                Phase::NeedDict(_) => return (pos, Ok(Status::NeedDict)),
                Phase::Header => {
                    let before = self.buf.len();
                    self.buf.extend_from_slice(&input[pos..]);
                    match self.parse_header() {
                        Err((m, used)) => {
                            self.phase = Phase::Bad(Some(m));
                            pos += used.saturating_sub(before).min(input.len() - pos);
                        }
                        Ok(None) => return (input.len(), Ok(Status::Ok)),
                        Ok(Some(len)) => {
                            pos += len - before;
                            self.buf.clear();
                        }
                    }
                }
                Phase::Body => {
                    if self.first.len() < 5 {
                        let take = (5 - self.first.len()).min(input.len() - pos);
                        self.first.extend_from_slice(&input[pos..pos + take]);
                    }
                    let (n, st) = self.body(&input[pos..], limit, out);
                    pos += n;
                    match st {
                        TINFLStatus::Done => {
                            self.phase = if self.mode == Mode::Raw { Phase::Done } else { Phase::Trailer };
                        }
                        TINFLStatus::NeedsMoreInput | TINFLStatus::HasMoreOutput => return (pos, Ok(Status::Ok)),
                        _ => self.phase = Phase::Bad(first_block_error(&self.first)),
                    }
                }
                Phase::Trailer => {
                    let need = if self.mode == Mode::Gzip { 8 } else { 4 };
                    let take = (need - self.buf.len()).min(input.len() - pos);
                    self.buf.extend_from_slice(&input[pos..pos + take]);
                    pos += take;
                    if let Some(m) = self.check_trailer() {
                        self.phase = Phase::Bad(Some(m));
                    } else if self.buf.len() == need {
                        self.phase = Phase::Done;
                    } else {
                        return (pos, Ok(Status::Ok));
                    }
                }
            }
        }
    }

    /// Runs the deflate decoder; returns the input used and its last status.
    fn body(&mut self, input: &[u8], limit: Option<usize>, out: &mut Vec<u8>) -> (usize, TINFLStatus) {
        let mut pos = 0;
        loop {
            let room = match limit {
                Some(l) => l.saturating_sub(out.len()).min(CHUNK),
                None => CHUNK,
            };
            let start = self.win.len();
            self.win.resize(start + room, 0);
            let (st, nin, nout) = decompress(&mut self.dec, &input[pos..], &mut self.win, start, FLAGS);
            self.win.truncate(start + nout);
            pos += nin;
            let new = &self.win[start..];
            self.check = match self.mode {
                Mode::Gzip => crc32(self.check, new),
                Mode::Zlib => adler32(self.check, new),
                _ => self.check,
            };
            self.total = self.total.wrapping_add(nout as u32);
            out.extend_from_slice(new);
            if self.win.len() > 4 * WINDOW {
                self.win.drain(..self.win.len() - WINDOW);
            }
            // With no room left one more call still goes past output-free
            // codes (the end of the last block), as zlib does.
            if st != TINFLStatus::HasMoreOutput || room == 0 || (nin == 0 && nout == 0) {
                return (pos, st);
            }
        }
    }

    /// Parses the header gathered in `buf`: Ok(Some(length)) when complete,
    /// Ok(None) when more bytes are needed.
    fn parse_header(&mut self) -> Result<Option<usize>, (&'static str, usize)> {
        let b = &self.buf;
        if b.len() < 2 {
            return Ok(None);
        }
        let gzip_magic = b[0] == 0x1f && b[1] == 0x8b;
        if self.mode == Mode::Gzip || (self.mode == Mode::Auto && gzip_magic) {
            if !gzip_magic {
                return Err(("incorrect header check", 2));
            }
            self.mode = Mode::Gzip;
            return self.parse_gzip_header();
        }
        self.mode = Mode::Zlib;
        if ((b[0] as u32) << 8 | b[1] as u32) % 31 != 0 {
            return Err(("incorrect header check", 2));
        }
        if b[0] & 0x0f != 8 {
            return Err(("unknown compression method", 2));
        }
        let len = (b[0] >> 4) as u32 + 8;
        if self.wbits == 0 {
            self.wbits = len;
        }
        if len > 15 || len > self.wbits {
            return Err(("invalid window size", 2));
        }
        self.check = 1;
        if b[1] & 0x20 == 0 {
            self.phase = Phase::Body;
            return Ok(Some(2));
        }
        if b.len() < 6 {
            return Ok(None);
        }
        self.phase = Phase::NeedDict(u32::from_be_bytes([b[2], b[3], b[4], b[5]]));
        Ok(Some(6))
    }

    /// The gzip header (RFC 1952): fixed part, optional extra field, file
    /// name, comment and header CRC.
    fn parse_gzip_header(&mut self) -> Result<Option<usize>, (&'static str, usize)> {
        let b = &self.buf;
        if b.len() < 4 {
            return Ok(None);
        }
        if b[2] != 8 {
            return Err(("unknown compression method", 4));
        }
        let flags = b[3];
        if flags & 0xe0 != 0 {
            return Err(("unknown header flags set", 4));
        }
        let mut p = 10;
        if b.len() < p {
            return Ok(None);
        }
        if flags & 4 != 0 {
            if b.len() < p + 2 {
                return Ok(None);
            }
            p += 2 + u16::from_le_bytes([b[p], b[p + 1]]) as usize;
            if b.len() < p {
                return Ok(None);
            }
        }
        for bit in [8, 16] {
            if flags & bit != 0 {
                match b[p..].iter().position(|&c| c == 0) {
                    Some(i) => p += i + 1,
                    None => return Ok(None),
                }
            }
        }
        if flags & 2 != 0 {
            if b.len() < p + 2 {
                return Ok(None);
            }
            if u16::from_le_bytes([b[p], b[p + 1]]) as u32 != crc32(0, &b[..p]) & 0xffff {
                return Err(("header crc mismatch", p + 2));
            }
            p += 2;
        }
        self.check = 0;
        self.total = 0;
        self.phase = Phase::Body;
        Ok(Some(p))
    }

    /// Checks the trailer bytes gathered so far; the message of a mismatch.
    fn check_trailer(&self) -> Option<&'static str> {
        let b = &self.buf;
        if self.mode == Mode::Gzip {
            if b.len() >= 4 && u32::from_le_bytes([b[0], b[1], b[2], b[3]]) != self.check {
                return Some("incorrect data check");
            }
            if b.len() == 8 && u32::from_le_bytes([b[4], b[5], b[6], b[7]]) != self.total {
                return Some("incorrect length check");
            }
        } else if b.len() == 4 && u32::from_be_bytes([b[0], b[1], b[2], b[3]]) != self.check {
            return Some("incorrect data check");
        }
        None
    }
}

/// What zlib would say about a first block whose header is already wrong.
fn first_block_error(b: &[u8]) -> Option<&'static str> {
    let b0 = *b.first()?;
    match (b0 >> 1) & 3 {
        3 => Some("invalid block type"),
        0 if b.len() >= 5 && u16::from_le_bytes([b[1], b[2]]) != !u16::from_le_bytes([b[3], b[4]]) => {
            Some("invalid stored block lengths")
        }
        2 if b.len() >= 2 => {
            let bits = (b0 as u32 | (b[1] as u32) << 8) >> 3;
            if bits & 31 > 29 || (bits >> 5) & 31 > 29 {
                Some("too many length or distance symbols")
            } else {
                None
            }
        }
        _ => None,
    }
}

/// A `zlib.Decompress` object's state: the stream plus the attributes
/// CPython keeps beside it.
#[derive(Clone)]
pub struct DecompStream {
    inf: Inflater,
    zdict: Option<Vec<u8>>,
    pub unused_data: Vec<u8>,
    pub unconsumed_tail: Vec<u8>,
    pub eof: bool,
    /// `flush` saw the end and freed the stream (`is_initialised` = 0).
    pub ended: bool,
}

impl DecompStream {
    /// `decompressobj(wbits, zdict)`; a raw stream gets its dictionary now.
    pub fn new(wbits: i32, zdict: Option<Vec<u8>>) -> Result<DecompStream, Option<ZErr>> {
        let mut inf = Inflater::new(wbits).ok_or(None)?;
        if let (Some(d), true) = (&zdict, wbits < 0) {
            inf.set_dictionary(d, "while setting zdict").map_err(Some)?;
        }
        Ok(DecompStream { inf, zdict, unused_data: Vec::new(), unconsumed_tail: Vec::new(), eof: false, ended: false })
    }

    /// Runs the stream over `input`, setting the dictionary when asked, and
    /// saves the input left over as CPython's `save_unconsumed_input` does.
    fn run(&mut self, input: &[u8], limit: Option<usize>, out: &mut Vec<u8>) -> Result<Status, ZErr> {
        let mut pos = 0;
        let res = loop {
            let (n, r) = self.inf.inflate(&input[pos..], limit, out);
            pos += n;
            match (r, &self.zdict) {
                (Ok(Status::NeedDict), Some(d)) => {
                    if let Err(e) = self.inf.set_dictionary(d, "while setting zdict") {
                        break Err(e);
                    }
                }
                (r, _) => break r,
            }
        };
        self.save_unconsumed(&input[pos..], res == Ok(Status::StreamEnd));
        res
    }

    /// CPython's `save_unconsumed_input`: after the end, what is left goes to
    /// `unused_data`; `unconsumed_tail` becomes what is left when input
    /// remains or a tail was there before (then even after the end, where
    /// CPython keeps the leftover in both).
    fn save_unconsumed(&mut self, left: &[u8], at_end: bool) {
        if at_end {
            self.unused_data.extend_from_slice(left);
        }
        if (!at_end && !left.is_empty()) || !self.unconsumed_tail.is_empty() {
            self.unconsumed_tail = left.to_vec();
        }
    }

    /// `Decompress.decompress(data, max_length)`.
    pub fn decompress(&mut self, input: &[u8], max_length: usize) -> Result<Vec<u8>, ZErr> {
        let when = "while decompressing data";
        if self.ended {
            self.save_unconsumed(input, false);
            return Err(ZErr { code: Z_STREAM_ERROR, msg: None, when });
        }
        let mut out = Vec::new();
        match self.run(input, if max_length == 0 { None } else { Some(max_length) }, &mut out)? {
            Status::StreamEnd => self.eof = true,
            Status::NeedDict => return Err(ZErr { code: Z_NEED_DICT, msg: None, when }),
            Status::Ok => {}
        }
        Ok(out)
    }

    /// `Decompress.flush()`: the unconsumed tail without an output limit;
    /// only a dictionary that does not fit is raised (CPython's flush
    /// ignores the stream's own errors).
    pub fn flush(&mut self) -> Result<Vec<u8>, ZErr> {
        let mut out = Vec::new();
        if self.ended {
            return Ok(out);
        }
        let input = self.unconsumed_tail.clone();
        match self.run(&input, None, &mut out) {
            Ok(Status::StreamEnd) => {
                self.eof = true;
                self.ended = true;
            }
            Err(e) if e.when == "while setting zdict" => return Err(e),
            _ => {}
        }
        Ok(out)
    }
}

/// `zlib.decompress(data, wbits)`: one whole stream; data after its end is ignored.
pub fn decompress_all(data: &[u8], wbits: i32) -> Result<Vec<u8>, ZErr> {
    let when = "while decompressing data";
    let mut inf = Inflater::new(wbits).ok_or(ZErr { code: Z_STREAM_ERROR, msg: None, when: "while preparing to decompress data" })?;
    let mut out = Vec::new();
    match inf.inflate(data, None, &mut out).1? {
        Status::StreamEnd => Ok(out),
        Status::NeedDict => Err(ZErr { code: Z_NEED_DICT, msg: None, when }),
        Status::Ok => Err(ZErr { code: Z_BUF_ERROR, msg: None, when }),
    }
}
