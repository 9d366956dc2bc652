//! # Kansas City Standard cassette format
//!
//! The Superboard's cassette interface (docs/hardware.md §5) frequency-shift keys the 6850 ACIA's
//! serial line: a 1 bit (mark, also the idle level) is a 2400 Hz tone, a 0 bit (space) is a
//! 1200 Hz tone. Every character is framed as a start bit (0), eight data bits least significant
//! first, and two stop bits (1). At 300 baud a bit lasts 1/300 s, i.e. 8 cycles of 2400 Hz or
//! 4 cycles of 1200 Hz; 600 and 1200 baud keep the tones and shorten the bit ("CUTS" style at
//! 1200 baud: 2 cycles of 2400 Hz or 1 cycle of 1200 Hz).
//!
//! This module is shared by the CLI, the tape deck and the web page, so it opens no files itself:
//! recordings come in through [`source`] (any `Read + Seek`: the CLI passes a file, the page
//! bytes) and WAV files go out as byte buffers (`hound` over [`std::io::Cursor`]).
//!
//! - [`encode`]: bytes → PCM samples / WAV bytes (phase-continuous, table driven).
//! - [`source`]: recordings as frames read block by block, in bounded memory: natively
//!   `audio_file` (symphonia: WAV of any layout, FLAC, Ogg, MP3), in the page `wav_bytes` (WAV in
//!   memory through hound).
//! - [`decode`]: any recording → bytes, their times, and a [`DecodeReport`] (framing errors with
//!   their time in the recording, signal quality, detected baud rate, chosen channel);
//!   [`LiveDecoder`] decodes audio pushed as it arrives (line-in), block by block.
//! - [`wav`]: writing WAV files (the thin layer over `hound`).
//! - [`listing`]: a listing file → the byte stream on its tape (every byte, CR line ends each
//!   followed by the ten NULs the monitor sends after a CR on SAVE), what BASIC's line editor
//!   will keep of each line (warnings in words), and what SAVE + LIST put on tape back into a
//!   clean listing; [`machine_code_to_tape`] makes tapes of 65V monitor files (CR only).

#[cfg(not(target_arch = "wasm32"))]
pub mod audio_file;
pub mod decode;
pub mod encode;
pub mod listing;
pub mod source;
pub mod wav;
#[cfg(target_arch = "wasm32")]
pub mod wav_bytes;

pub use decode::{
    decode_source, decode_wav, ByteError, ByteErrorKind, DecodeOptions, DecodeReport, Decoded,
    LiveBytes, LiveDecoder,
};
pub use encode::{
    encode_pcm, encode_text, encode_wav, encode_wav_recordings, EncodeOptions, ToneSynth, Waveform,
    GAP_BETWEEN_RECORDINGS_S,
};
pub use listing::{
    check_listing, describe_warnings, listing_from_tape, listing_to_tape, program_name,
    split_lines, LoadWarning, WarningKind, BASIC_LINE_MAX, BASIC_TERMINAL_WIDTH,
};
#[cfg(not(target_arch = "wasm32"))]
pub use source::AudioFile;
pub use source::{FrameSource, MemoryPcm, PcmFormat};

use thiserror::Error;

/// Frequency of a 1 bit (mark, idle carrier), in hertz.
pub const MARK_HZ: u32 = 2400;
/// Frequency of a 0 bit (space), in hertz.
pub const SPACE_HZ: u32 = 1200;
/// Bits per character on the line: 1 start + 8 data + 2 stop.
pub const BITS_PER_FRAME: u32 = 11;
/// NUL bytes the monitor sends after every CR while saving (docs/hardware.md §5), giving BASIC time
/// to digest a line while loading.
pub const NULS_AFTER_CR: usize = 10;
/// Carriage return, the line end on tape.
pub const CR: u8 = 0x0D;

/// Line speeds of the cassette interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Baud {
    /// 300 baud, the Superboard's standard (ACIA clock 4800 Hz ÷ 16).
    B300,
    /// 600 baud.
    B600,
    /// 1200 baud ("CUTS"-style, the ×4 clock jumper).
    B1200,
}

impl Baud {
    /// All supported speeds, slowest first.
    pub const ALL: [Baud; 3] = [Baud::B300, Baud::B600, Baud::B1200];

    /// Bits per second.
    pub fn bits_per_s(self) -> u32 {
        match self {
            Baud::B300 => 300,
            Baud::B600 => 600,
            Baud::B1200 => 1200,
        }
    }

    /// Half-periods of the 2400 Hz mark tone in one bit (16 at 300 baud).
    pub fn mark_halves_per_bit(self) -> u32 {
        2 * MARK_HZ / self.bits_per_s()
    }

    /// Parses "300", "600" or "1200".
    pub fn from_bits_per_s(bits_per_s: u32) -> Option<Baud> {
        match bits_per_s {
            300 => Some(Baud::B300),
            600 => Some(Baud::B600),
            1200 => Some(Baud::B1200),
            _ => None,
        }
    }
}

impl std::fmt::Display for Baud {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.bits_per_s())
    }
}

/// A character in a 65V machine-code file that the monitor cannot take as a keystroke.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreceivable {
    /// 1-based line number in the source text.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// The offending character.
    pub ch: char,
}

impl std::fmt::Display for Unreceivable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {}: {:?}",
            self.line, self.column, self.ch
        )
    }
}

fn list_problems(problems: &[Unreceivable]) -> String {
    const SHOWN: usize = 5;
    let mut text: Vec<String> = problems.iter().take(SHOWN).map(|p| p.to_string()).collect();
    if problems.len() > SHOWN {
        text.push(format!("and {} more", problems.len() - SHOWN));
    }
    text.join("; ")
}

/// Errors of the KCS encoder, decoder and WAV layer.
#[derive(Debug, Error)]
pub enum KcsError {
    /// The bytes are not an audio file the reader knows (WAV; FLAC, Ogg and MP3 on native builds).
    #[error("not a readable WAV, FLAC, Ogg or MP3 file: {0}")]
    NotAudio(String),
    /// Reading the recording failed part way (an I/O error, a seek the format cannot do).
    #[error("cannot read the recording: {0}")]
    Read(String),
    /// A recording whose format the decoder does not handle.
    #[error("unsupported audio format: {0}")]
    Unsupported(String),
    /// An option outside its range.
    #[error("invalid option: {0}")]
    InvalidOption(String),
    /// The requested channel does not exist.
    #[error("channel {requested} requested but the recording has {channels} channel(s)")]
    NoSuchChannel {
        /// 0-based channel asked for.
        requested: usize,
        /// Channels in the file.
        channels: usize,
    },
    /// A WAV writing failure reported by `hound`.
    #[error("cannot write WAV: {0}")]
    WavWrite(String),
    /// Characters in a 65V machine-code file that the monitor cannot take.
    #[error("{} character(s) the machine cannot receive: {}", .0.len(), list_problems(.0))]
    Unreceivable(Vec<Unreceivable>),
}

/// Tape bytes for `text`: each line's characters, then CR and `nuls_after_cr` NULs. Every
/// character `accept` refuses is reported by line and column (1-based).
fn lines_to_tape(
    text: &str,
    accept: fn(char) -> bool,
    nuls_after_cr: usize,
) -> Result<Vec<u8>, KcsError> {
    let mut out = Vec::with_capacity(text.len() + text.len() / 4);
    let mut problems = Vec::new();
    for (line_index, line) in split_lines(text.as_bytes()).enumerate() {
        for (column_index, ch) in String::from_utf8_lossy(line).chars().enumerate() {
            if accept(ch) {
                out.push(ch as u8);
            } else {
                problems.push(Unreceivable {
                    line: line_index + 1,
                    column: column_index + 1,
                    ch,
                });
            }
        }
        out.push(CR);
        out.resize(out.len() + nuls_after_cr, 0);
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(KcsError::Unreceivable(problems))
    }
}

/// Converts a 65V machine-code file (monitor keystrokes such as `.0300/A9⏎41⏎`, docs/hardware.md
/// §5) to tape bytes: LF, CRLF and CR become CR, with no NUL padding (the monitor digests each
/// keystroke at once). Every character must be printable ASCII; others are reported by line and
/// column.
pub fn machine_code_to_tape(text: &str) -> Result<Vec<u8>, KcsError> {
    lines_to_tape(text, |ch| (' '..='~').contains(&ch), 0)
}

/// A 65V monitor file (the keystrokes of the monitor's data mode, hardware.md §5) that puts
/// `bytes` at `org`: `.0300/A9` then each further byte after a RETURN; with `start`, ends with
/// `.ssssG` so the monitor jumps there once loaded. Lines end in LF (the tape reader turns them
/// into the CRs the monitor steps on). Bytes that would run past $FFFF are not written.
pub fn machine_code_file(org: u16, bytes: &[u8], start: Option<u16>) -> String {
    let room = 0x10000 - usize::from(org);
    let mut text = format!(".{org:04X}/");
    for (i, byte) in bytes.iter().take(room).enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(&format!("{byte:02X}"));
    }
    text.push('\n');
    if let Some(start) = start {
        text.push_str(&format!(".{start:04X}G\n"));
    }
    text
}
