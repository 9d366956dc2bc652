//! # Snapshots: the whole machine as bytes, and back
//!
//! [`Machine::save_state`] writes everything that decides what the machine does next — the
//! 6502 with its interrupt and JAM state, RAM and its size, video RAM, the key matrix and SHIFT
//! LOCK, the typist's queue and progress, the ACIA with its shift registers and timing, the
//! wire to the cassette, the tape deck with its tape, head, transport, turbo and recording, and
//! the ROM set by identity (SHA-1 digests). [`Machine::load_state`] puts it back, so a machine
//! restored at any instruction boundary and given the same inputs produces byte-identical
//! screens, memory and tape audio to the one that was never interrupted.
//!
//! **Machine state, session state**: a snapshot holds only what the emulated hardware (and the
//! typist, whose pace follows the ROM's scans) holds. The host's side — the rendered
//! framebuffer (redrawn from video RAM), the tape-sound output rate and volume, the console
//! capture of `run`/`batch`, display options, debugger settings, the page's controls — stays
//! out and is kept across a load.
//!
//! **Format** (full byte layout in `docs/snapshot-format.md`): an 18-byte header — the 8-byte
//! signature `89 53 42 49 49 0D 0A 1A` ("\x89SBII\r\n\x1A"), the format version (u16), the
//! total length (u32) and the CRC-32 of everything after the header (u32), all little-endian —
//! then tagged sections, each a 4-byte ASCII tag, a u32 payload length and the payload. A tag
//! starting with an upper-case letter is *critical* (a reader that does not know it refuses the
//! file); a lower-case one is *ancillary* (it may be skipped), PNG's rule. Each device writes
//! and reads its own section in its own file (`impl` blocks at their ends), so its private state
//! stays private; this module holds the framing, the primitives and the refusals.
//!
//! **Refusals** never touch the running machine: [`Machine::load_state`] builds the restored
//! machine aside and swaps it in only when every check passed. A file is refused when it is not
//! a snapshot, truncated, longer than its header says, corrupted (CRC), from a newer format
//! version, malformed inside a section (values out of range, broken invariants), or needs ROM
//! images this machine does not have. The loader allocates no more than the file's size
//! suggests and every loop is bounded by the input, so no input panics or hangs it.

use std::cell::OnceCell;

use crate::board::Board;
use crate::cpu::Cpu;
use crate::devices::keyboard::Keyboard;
use crate::devices::mc6850::{Mc6850, TapePort, TimedByte};
use crate::devices::tape::TapeDeck;
use crate::machine::Machine;
use crate::roms::{self, RomDigests, RomSet, KNOWN_ROMS};
use crate::typist::Typist;

/// The signature every snapshot starts with: a high-bit byte (catches 7-bit transfers), "SBII",
/// CR LF (catches newline conversion) and ^Z (stops a DOS `type`), as PNG does.
pub const MAGIC: [u8; 8] = [0x89, b'S', b'B', b'I', b'I', 0x0D, 0x0A, 0x1A];
/// The format version this build writes and the newest it reads.
pub const FORMAT_VERSION: u16 = 1;
/// Header size: signature, version, length, CRC-32.
pub const HEADER_BYTES: usize = 18;
/// Largest cycle count a snapshot may hold: 2^53, the largest integer the page's numbers hold
/// exactly (about 290 years of emulated time). Bounds every time field, so no arithmetic on a
/// restored time can overflow.
pub const MAX_CYCLES: u64 = 1 << 53;

/// Section tags, in the order this version writes them.
pub mod tags {
    /// ROM identity.
    pub const ROMS: [u8; 4] = *b"ROMS";
    /// Machine: RAM size, cycle count, budget carry.
    pub const MACH: [u8; 4] = *b"MACH";
    /// The 6502.
    pub const CPU: [u8; 4] = *b"CPU ";
    /// RAM contents.
    pub const RAM: [u8; 4] = *b"RAM ";
    /// Video RAM contents.
    pub const VRAM: [u8; 4] = *b"VRAM";
    /// The key matrix.
    pub const KEYS: [u8; 4] = *b"KEYS";
    /// The typist.
    pub const TYPE: [u8; 4] = *b"TYPE";
    /// The MC6850 ACIA.
    pub const ACIA: [u8; 4] = *b"ACIA";
    /// The ACIA's serial wire to the cassette (bytes in flight both ways).
    pub const PORT: [u8; 4] = *b"PORT";
    /// The tape deck and its tape.
    pub const DECK: [u8; 4] = *b"DECK";
    /// Ancillary: the tape-sound generator (phase, samples not yet drained).
    pub const SOUND: [u8; 4] = *b"snd ";
}

/// Why a snapshot was refused. The messages name the problem in words a user can act on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    /// The data does not start with the snapshot signature.
    #[error("not a Superboard snapshot: {what}")]
    NotASnapshot {
        /// What the data looks like instead.
        what: String,
    },
    /// The data ends before the header or before the length its header gives.
    #[error("truncated snapshot: {found} bytes, but {expected} expected")]
    Truncated {
        /// Bytes the snapshot should have.
        expected: usize,
        /// Bytes there are.
        found: usize,
    },
    /// More data than the header's length.
    #[error("damaged snapshot: {found} bytes, but its header says {expected}")]
    TooLong {
        /// Bytes the header gives.
        expected: usize,
        /// Bytes there are.
        found: usize,
    },
    /// Written by a newer format version than this build reads.
    #[error("snapshot from a newer version of the emulator (format {found}; this one reads up to format {supported})")]
    NewerVersion {
        /// The file's format version.
        found: u16,
        /// The newest this build reads.
        supported: u16,
    },
    /// The checksum does not match: the data was damaged.
    #[error(
        "corrupted snapshot: checksum mismatch (CRC-32 {computed:08x}, header says {stored:08x})"
    )]
    Checksum {
        /// CRC-32 in the header.
        stored: u32,
        /// CRC-32 of the data.
        computed: u32,
    },
    /// A section is missing, repeated, unknown and critical, or holds impossible values.
    #[error("corrupted snapshot: {section} at byte {offset}: {problem}")]
    Malformed {
        /// The section's tag, or "header"/"sections".
        section: String,
        /// Byte offset in the snapshot.
        offset: usize,
        /// What is wrong.
        problem: String,
    },
    /// The snapshot was made with ROM images this machine does not have.
    #[error("this snapshot needs ROMs this machine does not have: {}", missing.join("; "))]
    RomsMissing {
        /// One description per missing image, with its SHA-1.
        missing: Vec<String>,
    },
}

/// The ROM set by identity, as the `ROMS` section holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct RomIdentity {
    digests: RomDigests,
    /// Bit 0: BASIC, bit 1: monitor, bit 2: character generator was the writer's open image.
    open_parts: u8,
}

const OPEN_BASIC: u8 = 0x01;
const OPEN_MONITOR: u8 = 0x02;
const OPEN_CHARGEN: u8 = 0x04;

/// Appends section payloads; each device's `save` writes its fields through it.
pub(crate) struct Writer {
    out: Vec<u8>,
}

impl Writer {
    fn with_capacity(bytes: usize) -> Writer {
        Writer {
            out: Vec::with_capacity(bytes),
        }
    }

    /// Writes one section: tag, length, then whatever `fill` writes.
    fn section(&mut self, tag: [u8; 4], fill: impl FnOnce(&mut Writer)) {
        self.out.extend_from_slice(&tag);
        let length_at = self.out.len();
        self.out.extend_from_slice(&[0; 4]);
        fill(self);
        let length = (self.out.len() - length_at - 4) as u32;
        self.out[length_at..length_at + 4].copy_from_slice(&length.to_le_bytes());
    }

    pub(crate) fn u8(&mut self, value: u8) {
        self.out.push(value);
    }

    pub(crate) fn bool(&mut self, value: bool) {
        self.out.push(value as u8);
    }

    pub(crate) fn u16(&mut self, value: u16) {
        self.out.extend_from_slice(&value.to_le_bytes());
    }

    pub(crate) fn u32(&mut self, value: u32) {
        self.out.extend_from_slice(&value.to_le_bytes());
    }

    pub(crate) fn u64(&mut self, value: u64) {
        self.out.extend_from_slice(&value.to_le_bytes());
    }

    /// Unsigned LEB128: 7 bits per byte, low first, bit 7 set on all but the last.
    pub(crate) fn varint(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.out.push(value as u8 | 0x80);
            value >>= 7;
        }
        self.out.push(value as u8);
    }

    /// A count or length as a varint.
    pub(crate) fn count(&mut self, count: usize) {
        self.varint(count as u64);
    }

    /// Bytes as they are (the reader knows how many).
    pub(crate) fn raw(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }

    /// A varint length, then the bytes.
    pub(crate) fn blob(&mut self, bytes: &[u8]) {
        self.count(bytes.len());
        self.raw(bytes);
    }

    /// A sequence of times as a count, the first value, then signed differences (zigzag
    /// varints): a 300-baud tape costs about three bytes per time instead of eight.
    pub(crate) fn times(&mut self, times: impl ExactSizeIterator<Item = u64>) {
        self.count(times.len());
        let mut previous = 0u64;
        for time in times {
            let delta = time.wrapping_sub(previous) as i64;
            self.varint(((delta << 1) ^ (delta >> 63)) as u64);
            previous = time;
        }
    }

    /// Timed bytes: their cycles as [`Writer::times`], then the bytes.
    pub(crate) fn timed_bytes<'b>(
        &mut self,
        bytes: impl ExactSizeIterator<Item = &'b TimedByte> + Clone,
    ) {
        self.times(bytes.clone().map(|b| b.cycle));
        for b in bytes {
            self.u8(b.byte);
        }
    }
}

/// Reads one section's payload, naming the section and the file offset in every error.
pub(crate) struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    /// File offset of the payload's first byte.
    base: usize,
    tag: [u8; 4],
}

impl<'a> Reader<'a> {
    /// A `Malformed` error at the current position.
    pub(crate) fn invalid(&self, problem: impl Into<String>) -> SnapshotError {
        SnapshotError::Malformed {
            section: tag_name(self.tag),
            offset: self.base + self.pos,
            problem: problem.into(),
        }
    }

    /// The next `n` bytes.
    pub(crate) fn raw(&mut self, n: usize) -> Result<&'a [u8], SnapshotError> {
        if self.data.len() - self.pos < n {
            return Err(self.invalid(format!(
                "section ends early ({n} bytes needed, {} left)",
                self.data.len() - self.pos
            )));
        }
        let bytes = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(bytes)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, SnapshotError> {
        Ok(self.raw(1)?[0])
    }

    pub(crate) fn bool(&mut self) -> Result<bool, SnapshotError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            other => {
                self.pos -= 1;
                Err(self.invalid(format!("{other} is not a truth value (0 or 1)")))
            }
        }
    }

    pub(crate) fn u16(&mut self) -> Result<u16, SnapshotError> {
        let bytes = self.raw(2)?;
        Ok(u16::from_le_bytes([bytes[0], bytes[1]]))
    }

    pub(crate) fn u32(&mut self) -> Result<u32, SnapshotError> {
        let mut bytes = [0; 4];
        bytes.copy_from_slice(self.raw(4)?);
        Ok(u32::from_le_bytes(bytes))
    }

    pub(crate) fn u64(&mut self) -> Result<u64, SnapshotError> {
        let mut bytes = [0; 8];
        bytes.copy_from_slice(self.raw(8)?);
        Ok(u64::from_le_bytes(bytes))
    }

    /// A u64 that is a cycle count (at most [`MAX_CYCLES`]).
    pub(crate) fn cycle(&mut self) -> Result<u64, SnapshotError> {
        let value = self.u64()?;
        self.check_cycle(value)?;
        Ok(value)
    }

    /// A u64 that is a time in ACIA/tape ticks (1/5 cycle; at most 5 × [`MAX_CYCLES`]).
    pub(crate) fn ticks(&mut self) -> Result<u64, SnapshotError> {
        let value = self.u64()?;
        if value > MAX_CYCLES * 5 {
            self.pos -= 8;
            return Err(self.invalid(format!("time {value} ticks is out of range")));
        }
        Ok(value)
    }

    fn check_cycle(&mut self, value: u64) -> Result<(), SnapshotError> {
        if value > MAX_CYCLES {
            return Err(self.invalid(format!("cycle count {value} is out of range")));
        }
        Ok(())
    }

    pub(crate) fn varint(&mut self) -> Result<u64, SnapshotError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            let bits = u64::from(byte & 0x7F);
            if shift == 63 && bits > 1 {
                return Err(self.invalid("number too large"));
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(self.invalid("number too large"))
    }

    /// A count of items that take at least `min_item_bytes` each: refused if the rest of the
    /// section could not hold them, so nothing is allocated for a count that lies.
    pub(crate) fn count(&mut self, min_item_bytes: usize) -> Result<usize, SnapshotError> {
        let count = self.varint()?;
        let left = (self.data.len() - self.pos) as u64;
        if count.saturating_mul(min_item_bytes.max(1) as u64) > left {
            return Err(self.invalid(format!(
                "count {count} does not fit in the {left} bytes left"
            )));
        }
        Ok(count as usize)
    }

    /// A varint length and that many bytes.
    pub(crate) fn blob(&mut self) -> Result<&'a [u8], SnapshotError> {
        let length = self.count(1)?;
        self.raw(length)
    }

    /// A blob holding UTF-8 text.
    pub(crate) fn string(&mut self) -> Result<String, SnapshotError> {
        let at = self.pos;
        let bytes = self.blob()?;
        String::from_utf8(bytes.to_vec()).map_err(|_| {
            self.pos = at;
            self.invalid("text is not UTF-8")
        })
    }

    /// Times written by [`Writer::times`]; each must be a cycle count, or at most `limit`.
    pub(crate) fn times(&mut self, limit: u64) -> Result<Vec<u64>, SnapshotError> {
        let count = self.count(1)?;
        let mut times = Vec::with_capacity(count);
        let mut previous = 0u64;
        for _ in 0..count {
            let zigzag = self.varint()?;
            let delta = ((zigzag >> 1) as i64) ^ -((zigzag & 1) as i64);
            let time = previous.wrapping_add(delta as u64);
            if time > limit {
                return Err(self.invalid(format!("time {time} is out of range")));
            }
            times.push(time);
            previous = time;
        }
        Ok(times)
    }

    /// Timed bytes written by [`Writer::timed_bytes`]; every cycle at most [`MAX_CYCLES`].
    pub(crate) fn timed_bytes(&mut self) -> Result<Vec<TimedByte>, SnapshotError> {
        let cycles = self.times(MAX_CYCLES)?;
        let bytes = self.raw(cycles.len())?;
        Ok(cycles
            .into_iter()
            .zip(bytes)
            .map(|(cycle, &byte)| TimedByte { cycle, byte })
            .collect())
    }

    /// Whether every byte of the section has been read (fields added at the end of a section
    /// are optional this way: a file written before them simply ends earlier).
    pub(crate) fn at_end(&self) -> bool {
        self.pos == self.data.len()
    }

    /// Ends the section: every byte must have been read.
    fn finish(self) -> Result<(), SnapshotError> {
        if self.pos != self.data.len() {
            return Err(self.invalid(format!(
                "{} unexpected bytes at the end of the section",
                self.data.len() - self.pos
            )));
        }
        Ok(())
    }
}

fn tag_name(tag: [u8; 4]) -> String {
    let printable = tag.iter().all(|b| b.is_ascii_graphic() || *b == b' ');
    if printable {
        format!("section {:?}", String::from_utf8_lossy(&tag).trim_end())
    } else {
        format!(
            "section {:02x}{:02x}{:02x}{:02x}",
            tag[0], tag[1], tag[2], tag[3]
        )
    }
}

/// The sections of a checked snapshot, by tag.
struct Sections<'a> {
    found: Vec<([u8; 4], usize, &'a [u8])>,
}

impl<'a> Sections<'a> {
    /// Splits the body into sections; refuses repeated tags and unknown critical ones.
    fn split(bytes: &'a [u8]) -> Result<Sections<'a>, SnapshotError> {
        const KNOWN: [[u8; 4]; 11] = [
            tags::ROMS,
            tags::MACH,
            tags::CPU,
            tags::RAM,
            tags::VRAM,
            tags::KEYS,
            tags::TYPE,
            tags::ACIA,
            tags::PORT,
            tags::DECK,
            tags::SOUND,
        ];
        let mut found: Vec<([u8; 4], usize, &[u8])> = Vec::new();
        let mut pos = HEADER_BYTES;
        while pos < bytes.len() {
            let malformed = |problem: String| SnapshotError::Malformed {
                section: "sections".into(),
                offset: pos,
                problem,
            };
            if bytes.len() - pos < 8 {
                return Err(malformed("a section header is cut short".into()));
            }
            let mut tag = [0u8; 4];
            tag.copy_from_slice(&bytes[pos..pos + 4]);
            let mut length = [0u8; 4];
            length.copy_from_slice(&bytes[pos + 4..pos + 8]);
            let length = u32::from_le_bytes(length) as usize;
            if length > bytes.len() - pos - 8 {
                return Err(malformed(format!(
                    "{} says {length} bytes but only {} are left",
                    tag_name(tag),
                    bytes.len() - pos - 8
                )));
            }
            if found.iter().any(|(seen, _, _)| *seen == tag) {
                return Err(malformed(format!("{} appears twice", tag_name(tag))));
            }
            let critical = tag[0].is_ascii_uppercase();
            if KNOWN.contains(&tag) || !critical {
                found.push((tag, pos + 8, &bytes[pos + 8..pos + 8 + length]));
            } else {
                return Err(malformed(format!(
                    "{} is not known to this version and cannot be skipped",
                    tag_name(tag)
                )));
            }
            pos += 8 + length;
        }
        Ok(Sections { found })
    }

    /// A reader over the section `tag`, if present.
    fn optional(&self, tag: [u8; 4]) -> Option<Reader<'a>> {
        self.found
            .iter()
            .find(|(seen, _, _)| *seen == tag)
            .map(|&(tag, base, data)| Reader {
                data,
                pos: 0,
                base,
                tag,
            })
    }

    /// A reader over the section `tag`, which must be present.
    fn required(&self, tag: [u8; 4]) -> Result<Reader<'a>, SnapshotError> {
        self.optional(tag).ok_or_else(|| SnapshotError::Malformed {
            section: tag_name(tag),
            offset: HEADER_BYTES,
            problem: "missing".into(),
        })
    }
}

/// Checks the header, length and CRC; returns the format version.
fn check_header(bytes: &[u8]) -> Result<u16, SnapshotError> {
    let signature = &bytes[..bytes.len().min(MAGIC.len())];
    if signature != &MAGIC[..signature.len()] || bytes.is_empty() {
        return Err(SnapshotError::NotASnapshot {
            what: looks_like(bytes),
        });
    }
    if bytes.len() < HEADER_BYTES {
        return Err(SnapshotError::Truncated {
            expected: HEADER_BYTES,
            found: bytes.len(),
        });
    }
    let version = u16::from_le_bytes([bytes[8], bytes[9]]);
    if version > FORMAT_VERSION {
        return Err(SnapshotError::NewerVersion {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    if version == 0 {
        return Err(SnapshotError::Malformed {
            section: "header".into(),
            offset: 8,
            problem: "format version 0 does not exist".into(),
        });
    }
    let length = u32::from_le_bytes([bytes[10], bytes[11], bytes[12], bytes[13]]) as usize;
    if length < HEADER_BYTES {
        return Err(SnapshotError::Malformed {
            section: "header".into(),
            offset: 10,
            problem: format!("length {length} is shorter than the header"),
        });
    }
    if bytes.len() < length {
        return Err(SnapshotError::Truncated {
            expected: length,
            found: bytes.len(),
        });
    }
    if bytes.len() > length {
        return Err(SnapshotError::TooLong {
            expected: length,
            found: bytes.len(),
        });
    }
    let stored = u32::from_le_bytes([bytes[14], bytes[15], bytes[16], bytes[17]]);
    let computed = crc32fast::hash(&bytes[HEADER_BYTES..]);
    if stored != computed {
        return Err(SnapshotError::Checksum { stored, computed });
    }
    Ok(version)
}

/// A guess at what a file that is not a snapshot is, for the refusal message.
fn looks_like(bytes: &[u8]) -> String {
    let starts = |prefix: &[u8]| bytes.starts_with(prefix);
    if bytes.is_empty() {
        "the file is empty".into()
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WAVE") {
        "this is a WAV recording (insert it as a tape instead)".into()
    } else if starts(b"\x89PNG") {
        "this is a PNG picture".into()
    } else if starts(b"PK\x03\x04") || starts(b"\x1f\x8b") {
        "this is a compressed archive".into()
    } else if starts(b"<") {
        "this looks like an HTML page".into()
    } else if bytes
        .iter()
        .take(256)
        .all(|&b| b == b'\t' || b == b'\r' || b == b'\n' || (0x20..0x7F).contains(&b))
    {
        "this is a text file (a BASIC listing goes on a tape instead)".into()
    } else {
        "it does not start with the snapshot signature".into()
    }
}

impl RomIdentity {
    fn of(board: &Board) -> RomIdentity {
        let digests = *board.rom_digests();
        let open = open_digests();
        let mut open_parts = 0;
        if digests.basic == open.basic {
            open_parts |= OPEN_BASIC;
        }
        if digests.monitor == open.monitor {
            open_parts |= OPEN_MONITOR;
        }
        if digests.chargen == open.chargen {
            open_parts |= OPEN_CHARGEN;
        }
        RomIdentity {
            digests,
            open_parts,
        }
    }

    fn save(&self, w: &mut Writer) {
        w.u8(self.open_parts);
        w.raw(&self.digests.basic);
        for chip in &self.digests.basic_chips {
            w.raw(chip);
        }
        w.raw(&self.digests.monitor);
        w.raw(&self.digests.chargen);
    }

    fn load(r: &mut Reader) -> Result<RomIdentity, SnapshotError> {
        let open_parts = r.u8()?;
        if open_parts & !(OPEN_BASIC | OPEN_MONITOR | OPEN_CHARGEN) != 0 {
            return Err(r.invalid(format!("unknown open-ROM flags {open_parts:#04x}")));
        }
        let mut digest = || -> Result<[u8; 20], SnapshotError> {
            let mut d = [0u8; 20];
            d.copy_from_slice(r.raw(20)?);
            Ok(d)
        };
        let basic = digest()?;
        let basic_chips = [digest()?, digest()?, digest()?, digest()?];
        let monitor = digest()?;
        let chargen = digest()?;
        Ok(RomIdentity {
            digests: RomDigests {
                basic,
                basic_chips,
                monitor,
                chargen,
            },
            open_parts,
        })
    }

    /// Finds each image among `candidates` (sets with their digests) by digest; names every
    /// one that is missing.
    fn resolve(&self, candidates: &[(&RomSet, &RomDigests)]) -> Result<RomSet, SnapshotError> {
        let want = &self.digests;
        let basic = candidates
            .iter()
            .find(|(_, d)| d.basic == want.basic)
            .map(|(set, _)| set.basic.clone());
        let monitor = candidates
            .iter()
            .find(|(_, d)| d.monitor == want.monitor)
            .map(|(set, _)| set.monitor.clone());
        let chargen = candidates
            .iter()
            .find(|(_, d)| d.chargen == want.chargen)
            .map(|(set, _)| set.chargen.clone());
        let mut missing = Vec::new();
        if basic.is_none() {
            missing.push(self.describe_basic());
        }
        if monitor.is_none() {
            let open = self.open_parts & OPEN_MONITOR != 0;
            missing.push(describe_part("monitor", &want.monitor, open));
        }
        if chargen.is_none() {
            let open = self.open_parts & OPEN_CHARGEN != 0;
            missing.push(describe_part("character generator", &want.chargen, open));
        }
        match (basic, monitor, chargen) {
            (Some(basic), Some(monitor), Some(chargen)) => Ok(RomSet {
                basic,
                monitor,
                chargen,
            }),
            _ => Err(SnapshotError::RomsMissing { missing }),
        }
    }

    fn describe_basic(&self) -> String {
        if self.open_parts & OPEN_BASIC != 0 || known(&self.digests.basic).is_some() {
            return describe_part(
                "BASIC",
                &self.digests.basic,
                self.open_parts & OPEN_BASIC != 0,
            );
        }
        let chips: Vec<String> = self
            .digests
            .basic_chips
            .iter()
            .map(|chip| known(chip).map_or_else(|| hex(chip), |k| k.name.to_string()))
            .collect();
        format!("BASIC made of the chips {}", chips.join(" + "))
    }
}

fn known(digest: &[u8; 20]) -> Option<&'static roms::KnownRom> {
    let hex = hex(digest);
    KNOWN_ROMS.iter().find(|known| known.sha1 == hex)
}

fn hex(digest: &[u8; 20]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn describe_part(part: &str, digest: &[u8; 20], open: bool) -> String {
    if open {
        format!(
            "the open {part} of another build of the emulator (SHA-1 {}); snapshots load only into the build that made them",
            hex(digest)
        )
    } else if let Some(known) = known(digest) {
        format!(
            "{part} {} ({}, SHA-1 {}); load your original ROMs first",
            known.name,
            known.description,
            hex(digest)
        )
    } else {
        format!("{part} image with SHA-1 {}", hex(digest))
    }
}

/// The digests of this build's open ROMs, computed once.
fn open_digests() -> &'static RomDigests {
    static OPEN: std::sync::OnceLock<RomDigests> = std::sync::OnceLock::new();
    OPEN.get_or_init(|| RomSet::open().digests())
}

/// A lazily computed digest cache for a board's ROMs (they never change after power-on).
pub(crate) type DigestCache = OnceCell<RomDigests>;

impl Machine {
    /// The whole machine as a snapshot (see the module documentation). Takes no cycle and
    /// changes nothing.
    pub fn save_state(&self) -> Vec<u8> {
        // RAM and video RAM, a little for registers, about five bytes per tape byte.
        let tape_bytes = self.deck.tape().map_or(0, |tape| tape.len()) + self.deck.len();
        let mut w = Writer::with_capacity(self.board.ram_bytes() + 2048 + 5 * tape_bytes);
        w.raw(&MAGIC);
        w.u16(FORMAT_VERSION);
        w.u32(0); // length, filled in below
        w.u32(0); // CRC-32, filled in below
        w.section(tags::ROMS, |w| RomIdentity::of(&self.board).save(w));
        w.section(tags::MACH, |w| {
            self.board.save_machine(w);
            w.u64(self.budget_end_cycle);
        });
        w.section(tags::CPU, |w| self.cpu.save(w));
        w.section(tags::RAM, |w| self.board.save_ram(w));
        w.section(tags::VRAM, |w| w.raw(self.board.video.ram()));
        w.section(tags::KEYS, |w| self.board.keyboard.save(w));
        w.section(tags::TYPE, |w| self.board.typist.save(w));
        w.section(tags::ACIA, |w| self.board.acia.save(w));
        w.section(tags::PORT, |w| self.board.tape.save(w));
        w.section(tags::DECK, |w| self.deck.save(w));
        if self.deck.sound_on() {
            w.section(tags::SOUND, |w| self.deck.save_sound(w));
        }
        let mut out = w.out;
        let length = out.len() as u32;
        out[10..14].copy_from_slice(&length.to_le_bytes());
        let crc = crc32fast::hash(&out[HEADER_BYTES..]);
        out[14..18].copy_from_slice(&crc.to_le_bytes());
        out
    }

    /// Restores a snapshot into this machine. The ROM images are found by SHA-1 among this
    /// machine's own and the open ROMs. Session state is kept: the tape-sound rate and volume
    /// (the sound generator continues seamlessly when the rates match), the console capture and
    /// the keyboard's press counts (the page's key picture).
    /// On any error the machine is left exactly as it was.
    pub fn load_state(&mut self, bytes: &[u8]) -> Result<(), SnapshotError> {
        let own = self.board.roms();
        let open = RomSet::open();
        let candidates = [(&own, self.board.rom_digests()), (&open, open_digests())];
        let mut restored = Machine::from_state_with(bytes, &candidates, Some(&self.deck))?;
        restored.console = self.console.take();
        restored
            .board
            .keyboard
            .keep_presses_of(&self.board.keyboard);
        std::mem::swap(self, &mut restored);
        Ok(())
    }

    /// A machine restored from a snapshot, its ROM images found by SHA-1 among `roms` (give
    /// [`RomSet::open`] and any user ROMs). Tape sound is off.
    pub fn from_state(bytes: &[u8], roms: &[&RomSet]) -> Result<Machine, SnapshotError> {
        let open = RomSet::open();
        let digests: Vec<RomDigests> = roms
            .iter()
            .map(|&set| {
                if set == &open {
                    *open_digests()
                } else {
                    set.digests()
                }
            })
            .collect();
        let candidates: Vec<(&RomSet, &RomDigests)> =
            roms.iter().copied().zip(digests.iter()).collect();
        Machine::from_state_with(bytes, &candidates, None)
    }

    fn from_state_with(
        bytes: &[u8],
        roms: &[(&RomSet, &RomDigests)],
        host: Option<&TapeDeck>,
    ) -> Result<Machine, SnapshotError> {
        check_header(bytes)?;
        let sections = Sections::split(bytes)?;
        let read = |tag| sections.required(tag);

        let mut r = read(tags::ROMS)?;
        let identity = RomIdentity::load(&mut r)?;
        r.finish()?;

        let mut r = read(tags::MACH)?;
        let (ram_size, cycles) = Board::load_machine(&mut r)?;
        let budget_end_cycle = r.cycle()?;
        if budget_end_cycle > cycles {
            return Err(r.invalid(format!(
                "budget end {budget_end_cycle} lies after the cycle count {cycles}"
            )));
        }
        r.finish()?;

        let mut r = read(tags::CPU)?;
        let cpu = Cpu::load(&mut r)?;
        r.finish()?;

        let mut r = read(tags::RAM)?;
        let ram = Board::load_ram(&mut r, ram_size)?;
        r.finish()?;

        let mut r = read(tags::VRAM)?;
        let mut video_ram = [0u8; crate::devices::video::VIDEO_RAM_BYTES];
        video_ram.copy_from_slice(r.raw(crate::devices::video::VIDEO_RAM_BYTES)?);
        r.finish()?;

        let mut r = read(tags::KEYS)?;
        let keyboard = Keyboard::load(&mut r)?;
        r.finish()?;

        let mut r = read(tags::TYPE)?;
        let typist = Typist::load(&mut r, &keyboard)?;
        r.finish()?;

        let mut r = read(tags::ACIA)?;
        let acia = Mc6850::load(&mut r)?;
        r.finish()?;

        let mut r = read(tags::PORT)?;
        let port = TapePort::load(&mut r)?;
        r.finish()?;

        let mut r = read(tags::DECK)?;
        let mut deck = TapeDeck::load(&mut r)?;
        r.finish()?;

        if let Some(host) = host {
            let mut sound = sections.optional(tags::SOUND);
            deck.load_sound(sound.as_mut(), host, cycles)?;
            if let Some(r) = sound {
                r.finish()?;
            }
        }

        let roms = identity.resolve(roms)?;
        let board = Board::restore(
            crate::board::Restored {
                ram,
                video_ram,
                keyboard,
                acia,
                port,
                typist,
                cycles,
            },
            roms,
            identity.digests,
        );
        Ok(Machine {
            cpu,
            board,
            deck,
            budget_end_cycle,
            console: None,
        })
    }
}
