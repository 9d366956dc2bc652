//! # Cassette deck on the ACIA's tape port
//!
//! A [`Tape`] is a sequence of bytes with their times on the tape: a listing (every byte of
//! the file, warnings in words where BASIC will store something else) or a 65V machine-code
//! file laid out at 300 baud behind a short leader, a decoded WAV recording (the
//! times as recorded, plus the decoder's report), or bytes captured from the ACIA.
//!
//! The [`TapeDeck`] moves bytes between a tape and the board's [`TapePort`]
//! (docs/interfaces.md "ACIA ↔ tape"):
//!
//! - **PLAY** queues the tape's remaining bytes on `port.rx`. In real time each byte arrives at
//!   its tape time (300 baud: one 11-bit frame every 36,044.8 cycles), exactly as a cassette
//!   would deliver it; in **turbo** the port hands the ACIA the next byte as soon as the ROM has
//!   read the previous one, so a load runs as fast as the ROM digests it, never overruns and
//!   never loses a byte. The head position is the number of bytes the ACIA has taken.
//! - **RECORD** captures every byte the ACIA transmits (`port.tx`) with its cycle; in
//!   **turbo** the ACIA sends each byte the instant the ROM writes it (`port.turbo_tx`), so a
//!   SAVE + LIST takes only as long as BASIC needs to produce the text. STOP turns the capture
//!   into a tape (bytes spaced at least a 300-baud frame apart) that can be played back, exported as a WAV a real Superboard loads
//!   ([`Tape::to_wav`]: 300 baud, 2400/1200 Hz, leader) or as a clean listing
//!   ([`Tape::to_listing`]: the SAVE/LIST echo lines, NULs and CRs stripped).
//! - **Auto-play**: an inserted tape can wait until the ROM asks for cassette input — the
//!   monitor's LOAD flag ($0203 bit 7) set, or the ACIA status being polled while the SAVE flag
//!   ($0205) is clear (the 65V monitor's `L`, or any loader polling RDRF). Outside LOAD and
//!   SAVE the firmware never touches the ACIA.
//! - **Sound**: while the tape plays or records at real speed, [`TapeDeck::drain_audio`]
//!   produces the KCS tones as f32 samples at the host rate, in step with emulated time.
//!
//! Time is kept in ticks of 1/5 CPU cycle, like the ACIA, so a 300-baud bit is exactly 16,384
//! ticks (983,040 Hz × 5 / 300).

use crate::devices::mc6850::{TapePort, TimedByte, CPU_CLOCK_HZ, TICKS_PER_CYCLE};
use crate::kcs::{
    self, decode_wav, encode_wav, DecodeOptions, DecodeReport, Decoded, EncodeOptions, KcsError,
    LoadWarning, ToneSynth, Unreceivable, BITS_PER_FRAME,
};
use crate::machine::Machine;
use crate::snapshot::{Reader, SnapshotError, Writer, MAX_CYCLES};

/// Monitor variable: bit 7 set = input comes from the ACIA (BASIC LOAD).
pub const LOAD_FLAG: u16 = 0x0203;
/// Monitor variable: nonzero = output also goes to the ACIA (BASIC SAVE).
pub const SAVE_FLAG: u16 = 0x0205;
/// Baud rate at which synthesised tapes are laid out.
pub const TAPE_BAUD: u64 = 300;
/// Ticks per bit at 300 baud.
pub const BIT_TICKS: u64 = CPU_CLOCK_HZ * TICKS_PER_CYCLE / TAPE_BAUD;
/// Ticks per 11-bit frame at 300 baud.
pub const FRAME_TICKS: u64 = BIT_TICKS * BITS_PER_FRAME as u64;
/// Leader before the first byte of a synthesised tape, in ticks (half a second).
pub const LEADER_TICKS: u64 = CPU_CLOCK_HZ * TICKS_PER_CYCLE / 2;
/// Lowest tape-sound rate, in hertz (the 2400 Hz tone needs at least 4,800).
pub const MIN_AUDIO_RATE_HZ: u32 = 8_000;
/// Highest tape-sound rate, in hertz (the highest rate sound cards and browsers offer).
pub const MAX_AUDIO_RATE_HZ: u32 = 384_000;
/// Most tape sound kept between `drain_audio` calls, in seconds (older sound is dropped).
const MAX_AUDIO_BACKLOG_S: u64 = 1;

/// Errors making a tape.
#[derive(Debug, thiserror::Error)]
pub enum TapeError {
    /// A 65V file holds characters the monitor cannot take.
    #[error("{name}: {} problem(s): {}", problems.len(), describe(problems))]
    Unreceivable {
        /// Tape (file) name.
        name: String,
        /// Each problem, by line and column.
        problems: Vec<Unreceivable>,
    },
    /// The file is not a tape of any kind.
    #[error("{name}: not a tape: {reason}")]
    NotATape {
        /// Tape (file) name.
        name: String,
        /// Why, in words.
        reason: String,
    },
    /// A tape-sound rate outside what the deck synthesises.
    #[error("tape sound at {0} Hz: use 0 (off) or {MIN_AUDIO_RATE_HZ} to {MAX_AUDIO_RATE_HZ} Hz")]
    AudioRate(u32),
    /// The recording could not be decoded.
    #[error("{name}: {source}")]
    Kcs {
        /// Tape (file) name.
        name: String,
        /// What the KCS layer said.
        source: KcsError,
    },
}

fn describe(problems: &[Unreceivable]) -> String {
    const SHOWN: usize = 5;
    let mut text: Vec<String> = problems
        .iter()
        .take(SHOWN)
        .map(|p| {
            format!(
                "line {}, column {}: {:?} cannot be received",
                p.line, p.column, p.ch
            )
        })
        .collect();
    if problems.len() > SHOWN {
        text.push(format!("and {} more", problems.len() - SHOWN));
    }
    text.join("; ")
}

/// Why `bytes` cannot be a listing, if they cannot: nothing in them, or binary data (text
/// files hold no NULs and few other control codes; UTF-16 text is all NULs in between).
fn not_a_listing(bytes: &[u8]) -> Option<String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Some("the file is empty".into());
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let binary = sample
        .iter()
        .filter(|&&b| {
            b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x07 | 0x0C | 0x1A))
        })
        .count();
    if sample.starts_with(&[0xFF, 0xFE]) || sample.starts_with(&[0xFE, 0xFF]) {
        return Some("the listing is UTF-16 text; save it as ASCII or UTF-8".into());
    }
    if binary * 10 > sample.len() {
        return Some(format!(
            "{binary} of the first {} bytes are control codes: binary data, not a listing",
            sample.len()
        ));
    }
    None
}

/// Where a tape's bytes came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TapeKind {
    /// A BASIC listing (`.bas`/`.txt`).
    Listing,
    /// A 65V monitor file (`.65v`).
    MachineCode,
    /// A decoded audio recording (`.wav`).
    Recording,
    /// Raw bytes.
    Bytes,
    /// Bytes captured from the ACIA by RECORD.
    Captured,
}

/// A cassette: bytes with the tape time at which each one's last stop bit ends.
#[derive(Clone, Debug, PartialEq)]
pub struct Tape {
    name: String,
    kind: TapeKind,
    bytes: Vec<u8>,
    /// Non-decreasing, in ticks from the start of the tape.
    end_ticks: Vec<u64>,
    report: Option<DecodeReport>,
    /// What BASIC will do differently from a listing file (empty for other tapes).
    warnings: Vec<LoadWarning>,
    /// The recordings (programs) on the tape, in order, covering every byte.
    recordings: Vec<Recording>,
    /// A live recording still arriving (line-in): bytes are appended ([`Tape::extend`]) and the
    /// deck waits at the end for more instead of stopping. Page state, not kept in snapshots.
    growing: bool,
}

/// One recording on a tape (one SAVE, one program): its name and where its bytes are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recording {
    /// The words of its program's first REM line, else the file's name or "recording N".
    pub name: String,
    /// Index of its first byte on the tape.
    pub start: usize,
    /// Bytes in it.
    pub len: usize,
}

/// Tape time between the last byte of one recording and the first of the next: trailer,
/// silence and leader, as in the WAV export (1 s + 1 s + 2 s).
pub const GAP_BETWEEN_RECORDINGS_TICKS: u64 = 4 * CPU_CLOCK_HZ * TICKS_PER_CYCLE;
/// A pause of this long between two bytes of a decoded recording starts a new recording
/// (within one SAVE the ACIA sends back to back; a pause means the tape was stopped).
const RECORDING_GAP_S: f64 = 2.0;

impl Tape {
    /// Bytes laid out back to back at 300 baud after a half-second leader.
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Tape {
        Tape::laid_out(name, TapeKind::Bytes, bytes)
    }

    fn laid_out(name: &str, kind: TapeKind, bytes: Vec<u8>) -> Tape {
        let end_ticks = (1..=bytes.len() as u64)
            .map(|i| LEADER_TICKS + i * FRAME_TICKS)
            .collect();
        let recordings = one_recording(name, &bytes);
        Tape {
            name: name.to_string(),
            kind,
            bytes,
            end_ticks,
            report: None,
            warnings: Vec::new(),
            recordings,
            growing: false,
        }
    }

    /// A BASIC listing file (LF, CRLF or CR line ends): every byte of every line goes on the
    /// tape, each line followed by CR and ten NULs, as SAVE writes it. BASIC decides what it
    /// keeps, as on the real machine; [`Tape::warnings`] says in words, by line and column,
    /// wherever that differs from the file (a line longer than the input buffer, BEL, lower
    /// case, characters that are ignored, ...). Refused only when the file is not a listing at
    /// all: empty, or binary data.
    pub fn from_listing(name: &str, bytes: &[u8]) -> Result<Tape, TapeError> {
        if let Some(reason) = not_a_listing(bytes) {
            return Err(TapeError::NotATape {
                name: name.to_string(),
                reason,
            });
        }
        let mut tape = Tape::laid_out(name, TapeKind::Listing, kcs::listing_to_tape(bytes));
        tape.warnings = kcs::check_listing(bytes);
        Ok(tape)
    }

    /// A 65V monitor file (`.0300/A9⏎…`, docs/hardware.md §5) with CR line ends.
    pub fn from_machine_code(name: &str, text: &str) -> Result<Tape, TapeError> {
        match kcs::machine_code_to_tape(text) {
            Ok(bytes) => Ok(Tape::laid_out(name, TapeKind::MachineCode, bytes)),
            Err(KcsError::Unreceivable(problems)) => Err(TapeError::Unreceivable {
                name: name.to_string(),
                problems,
            }),
            Err(source) => Err(TapeError::Kcs {
                name: name.to_string(),
                source,
            }),
        }
    }

    /// A recording (WAV; FLAC, Ogg or MP3 on native builds), decoded; the bytes keep their recorded times and the decoder's report
    /// stays available through [`Tape::report`].
    pub fn from_wav(name: &str, wav: &[u8]) -> Result<Tape, TapeError> {
        let decoded =
            decode_wav(wav, &DecodeOptions::default()).map_err(|source| TapeError::Kcs {
                name: name.to_string(),
                source,
            })?;
        Tape::from_decoded(name, decoded)
    }

    /// Audio already decoded to float samples (mono, full scale ±1.0) at `sample_rate_hz`:
    /// what a browser's audio decoder makes of any file, or a recording from line-in.
    pub fn from_audio(name: &str, samples: &[f32], sample_rate_hz: u32) -> Result<Tape, TapeError> {
        let kcs_error = |source| TapeError::Kcs {
            name: name.to_string(),
            source,
        };
        let mut pcm = kcs::MemoryPcm::from_f32(sample_rate_hz, 1, samples).map_err(kcs_error)?;
        let decoded = kcs::decode_source(&mut pcm, &DecodeOptions::default()).map_err(kcs_error)?;
        Tape::from_decoded(name, decoded)
    }

    /// A decoded recording: its bytes at their recorded times, split into recordings where
    /// the tape pauses, with the decoder's report. Refused when no byte was found (no tape
    /// signal in the audio).
    pub fn from_decoded(name: &str, decoded: Decoded) -> Result<Tape, TapeError> {
        let ticks_per_s = (CPU_CLOCK_HZ * TICKS_PER_CYCLE) as f64;
        let mut last = 0;
        let end_ticks = decoded
            .byte_end_s
            .iter()
            .map(|&t| {
                last = ((t * ticks_per_s) as u64).max(last);
                last
            })
            .collect();
        if decoded.bytes.is_empty() {
            return Err(TapeError::NotATape {
                name: name.to_string(),
                reason: format!(
                    "no tape signal: {:.1} s of audio without Kansas City Standard tones",
                    decoded.report.duration_s
                ),
            });
        }
        let recordings = split_recordings(&decoded.bytes, &decoded.byte_end_s);
        Ok(Tape {
            name: name.to_string(),
            kind: TapeKind::Recording,
            bytes: decoded.bytes,
            end_ticks,
            report: Some(decoded.report),
            warnings: Vec::new(),
            recordings,
            growing: false,
        })
    }

    /// An empty recording that grows while it is decoded live (from line-in): bytes arrive
    /// through [`Tape::extend`] and [`Tape::finish_growing`] ends it. Inserted in the deck, it
    /// plays to a machine in LOAD as the bytes arrive.
    pub fn growing(name: &str) -> Tape {
        Tape {
            name: name.to_string(),
            kind: TapeKind::Recording,
            bytes: Vec::new(),
            end_ticks: Vec::new(),
            report: None,
            warnings: Vec::new(),
            recordings: Vec::new(),
            growing: true,
        }
    }

    /// Whether the tape is a live recording still growing (see [`Tape::growing`]).
    pub fn is_growing(&self) -> bool {
        self.growing
    }

    /// Appends `bytes` to a growing tape, each ending at the time in `end_s` (seconds from the
    /// start of the recording; a time earlier than the previous byte's counts as that time,
    /// missing times as the previous one). They join the last recording; the split into
    /// recordings happens when the tape is finished. Returns false, changing nothing, if the
    /// tape is not growing.
    pub fn extend(&mut self, bytes: &[u8], end_s: &[f64]) -> bool {
        if !self.growing {
            return false;
        }
        let ticks_per_s = (CPU_CLOCK_HZ * TICKS_PER_CYCLE) as f64;
        let mut last = self.end_ticks.last().copied().unwrap_or(0);
        for (i, &byte) in bytes.iter().enumerate() {
            // `as` maps NaN and negative times to 0 and saturates huge ones.
            let t = end_s.get(i).map_or(last, |&s| (s * ticks_per_s) as u64);
            last = t.clamp(last, MAX_CYCLES * TICKS_PER_CYCLE);
            self.bytes.push(byte);
            self.end_ticks.push(last);
        }
        match self.recordings.last_mut() {
            Some(r) => r.len = self.bytes.len() - r.start,
            None if !bytes.is_empty() => self.recordings.push(Recording {
                name: self.name.clone(),
                start: 0,
                len: self.bytes.len(),
            }),
            None => {}
        }
        true
    }

    /// Ends a growing tape: it is split into recordings where the signal paused (as a decoded
    /// WAV is) and keeps `report`, the live decoder's.
    pub fn finish_growing(&mut self, report: Option<DecodeReport>) {
        self.growing = false;
        if !self.bytes.is_empty() {
            let end_s: Vec<f64> = self.end_ticks.iter().map(|&t| ticks_to_s(t)).collect();
            self.recordings = split_recordings(&self.bytes, &end_s);
        }
        self.report = report;
    }

    /// A file by its name's extension: `.bas`/`.txt` listing, `.65v` machine code, `.wav`
    /// recording (and `.flac`, `.ogg`/`.oga`, `.mp3` on native builds; the page decodes those
    /// with the browser's own decoder), anything else raw bytes.
    pub fn from_file(name: &str, contents: &[u8]) -> Result<Tape, TapeError> {
        let extension = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        match extension.as_str() {
            "bas" | "txt" => Tape::from_listing(name, contents),
            "65v" => Tape::from_machine_code(name, &String::from_utf8_lossy(contents)),
            "wav" | "flac" | "ogg" | "oga" | "mp3" => Tape::from_wav(name, contents),
            _ => Ok(Tape::from_bytes(name, contents.to_vec())),
        }
    }

    /// A capture of the ACIA's output. Each byte ends where it was sent, but never sooner
    /// than a 300-baud frame after the one before: a turbo recording (bytes sent as fast as
    /// the ROM wrote them) becomes the same 300-baud tape a real-time one would, and plays back
    /// at 300 baud without an overrun.
    fn captured(name: &str, bytes: &[TimedByte], start_cycle: u64) -> Tape {
        let mut last = 0u64;
        let end_ticks = bytes
            .iter()
            .map(|b| {
                let sent = b.cycle.saturating_sub(start_cycle) * TICKS_PER_CYCLE;
                last = sent.max(last + FRAME_TICKS);
                last
            })
            .collect();
        let bytes: Vec<u8> = bytes.iter().map(|b| b.byte).collect();
        let recordings = one_recording(name, &bytes);
        Tape {
            name: name.to_string(),
            kind: TapeKind::Captured,
            bytes,
            end_ticks,
            report: None,
            warnings: Vec::new(),
            recordings,
            growing: false,
        }
    }

    /// The tape's name (usually the file name).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where the bytes came from.
    pub fn kind(&self) -> TapeKind {
        self.kind
    }

    /// The bytes on the tape.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Number of bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the tape holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The decoder's report, for a tape made from a recording.
    pub fn report(&self) -> Option<&DecodeReport> {
        self.report.as_ref()
    }

    /// For a listing: where BASIC will store something other than the file says, or do
    /// something a reader of the file might not expect (by line and column, in words).
    pub fn warnings(&self) -> &[LoadWarning] {
        &self.warnings
    }

    /// The recordings on the tape (at least one unless the tape is empty), in tape order.
    pub fn recordings(&self) -> &[Recording] {
        &self.recordings
    }

    /// The recording holding byte `index` (the last one past the end).
    pub fn recording_at(&self, index: usize) -> usize {
        self.recordings
            .iter()
            .rposition(|r| r.start <= index)
            .unwrap_or(0)
    }

    /// Recording `index` alone, as a tape of its own (its times from its first byte).
    pub fn extract(&self, index: usize) -> Option<Tape> {
        let r = self.recordings.get(index)?;
        let range = r.start..r.start + r.len;
        let origin = self.end_ticks[r.start].saturating_sub(LEADER_TICKS + FRAME_TICKS);
        Some(Tape {
            name: r.name.clone(),
            kind: self.kind,
            bytes: self.bytes[range.clone()].to_vec(),
            end_ticks: self.end_ticks[range].iter().map(|t| t - origin).collect(),
            report: None,
            warnings: Vec::new(),
            recordings: vec![Recording {
                name: r.name.clone(),
                start: 0,
                len: r.len,
            }],
            growing: false,
        })
    }

    /// Adds `other`'s recordings after this tape's end, a trailer, silence and a leader
    /// later ([`GAP_BETWEEN_RECORDINGS_TICKS`]), as a second SAVE onto the same cassette.
    pub fn append(&mut self, other: &Tape) {
        if other.is_empty() {
            return;
        }
        let shift = self
            .end_ticks
            .last()
            .map_or(0, |&t| t + GAP_BETWEEN_RECORDINGS_TICKS);
        let origin = other.end_ticks[0].saturating_sub(FRAME_TICKS);
        let start = self.bytes.len();
        self.bytes.extend_from_slice(&other.bytes);
        self.end_ticks
            .extend(other.end_ticks.iter().map(|t| t - origin + shift));
        for r in &other.recordings {
            self.recordings.push(Recording {
                name: r.name.clone(),
                start: start + r.start,
                len: r.len,
            });
        }
        if self.kind != other.kind {
            self.kind = TapeKind::Bytes;
        }
    }

    /// Tape time at which the last byte ends, in seconds.
    pub fn duration_s(&self) -> f64 {
        ticks_to_s(self.end_ticks.last().copied().unwrap_or(0))
    }

    /// Tape time at which byte `index` ends (the end of the tape past the last byte), seconds.
    pub fn time_of_s(&self, index: usize) -> f64 {
        match self.end_ticks.get(index) {
            Some(&t) => ticks_to_s(t),
            None => self.duration_s(),
        }
    }

    /// The tape as a WAV file a real Superboard loads: 300 baud, 2400/1200 Hz, leader and
    /// trailer as in `options` (use `EncodeOptions::default()` for 44.1 kHz 16-bit, 2 s leader).
    pub fn to_wav(&self, options: &EncodeOptions) -> Result<Vec<u8>, KcsError> {
        if self.recordings.len() <= 1 {
            return encode_wav(&self.bytes, options);
        }
        let parts: Vec<&[u8]> = self
            .recordings
            .iter()
            .map(|r| &self.bytes[r.start..r.start + r.len])
            .collect();
        kcs::encode_wav_recordings(&parts, options)
    }

    /// The tape as a clean BASIC listing (see [`kcs::listing_from_tape`]).
    pub fn to_listing(&self) -> String {
        kcs::listing_from_tape(&self.bytes)
    }
}

fn ticks_to_s(ticks: u64) -> f64 {
    ticks as f64 / (CPU_CLOCK_HZ * TICKS_PER_CYCLE) as f64
}

/// The name of a file's or capture's only recording: its program's, else the file name
/// without directory and extension.
fn one_recording(name: &str, bytes: &[u8]) -> Vec<Recording> {
    if bytes.is_empty() {
        return Vec::new();
    }
    let stem = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    vec![Recording {
        name: kcs::program_name(bytes).unwrap_or_else(|| stem.to_string()),
        start: 0,
        len: bytes.len(),
    }]
}

/// Splits decoded bytes into recordings where the recording pauses for [`RECORDING_GAP_S`]
/// or more between two bytes. A stretch without a program line (the "OK" a SAVE sends before
/// the user types LIST) joins the next one.
fn split_recordings(bytes: &[u8], end_s: &[f64]) -> Vec<Recording> {
    let mut starts = vec![0];
    for i in 1..bytes.len() {
        if end_s[i] - end_s[i - 1] >= RECORDING_GAP_S {
            starts.push(i);
        }
    }
    starts.push(bytes.len());
    let mut recordings: Vec<Recording> = Vec::new();
    let mut from = 0;
    for pair in starts.windows(2) {
        let end = pair[1];
        let has_program = !kcs::listing_from_tape(&bytes[from..end]).is_empty();
        if has_program || end == bytes.len() {
            let number = recordings.len() + 1;
            recordings.push(Recording {
                name: kcs::program_name(&bytes[from..end])
                    .unwrap_or_else(|| format!("recording {number}")),
                start: from,
                len: end - from,
            });
            from = end;
        }
    }
    recordings
}

/// What the deck is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeckState {
    /// Motor off.
    Stopped,
    /// Feeding the ACIA receiver.
    Playing,
    /// Capturing the ACIA transmitter.
    Recording,
}

/// The cassette deck. The machine calls [`TapeDeck::advance_to`] after every run; the host uses
/// the transport controls through the [`Machine`] methods (`insert_tape`, `play_tape`, ...).
#[derive(Clone, Debug)]
pub struct TapeDeck {
    tape: Option<Tape>,
    state: DeckState,
    turbo: bool,
    auto_play: bool,
    /// Bytes the ACIA has taken from the tape (the head position).
    position: usize,
    /// One past the last byte queued on the port while playing.
    queued_end: usize,
    /// Playing: the board tick at which PLAY was pressed, and the tape time then at the head.
    play_started_ticks: u64,
    play_from_ticks: u64,
    /// Recording: captured bytes and the cycle recording began.
    recording: Vec<TimedByte>,
    record_start_cycle: u64,
    now_cycle: u64,
    /// `TapePort::status_reads` at the last sync.
    status_reads_seen: u64,
    audio: Audio,
}

/// Live tape sound.
#[derive(Clone, Debug)]
struct Audio {
    synth: Option<ToneSynth>,
    /// Cycle of the next sample, in 1/sample_rate_hz cycle units (exact rational time).
    next_sample: u64,
    /// Cursor into the bytes whose frames may still sound.
    cursor: usize,
    /// Rendered samples not yet drained.
    pending: Vec<f32>,
}

impl Default for TapeDeck {
    fn default() -> Self {
        Self::new()
    }
}

impl TapeDeck {
    /// An empty deck, stopped, real-time, sound off.
    pub fn new() -> TapeDeck {
        TapeDeck {
            tape: None,
            state: DeckState::Stopped,
            turbo: false,
            auto_play: false,
            position: 0,
            queued_end: 0,
            play_started_ticks: 0,
            play_from_ticks: 0,
            recording: Vec::new(),
            record_start_cycle: 0,
            now_cycle: 0,
            status_reads_seen: 0,
            audio: Audio {
                synth: None,
                next_sample: 0,
                cursor: 0,
                pending: Vec::new(),
            },
        }
    }

    /// The inserted tape.
    pub fn tape(&self) -> Option<&Tape> {
        self.tape.as_ref()
    }

    /// The transport state.
    pub fn state(&self) -> DeckState {
        self.state
    }

    /// Whether PLAY delivers bytes as fast as the ROM reads them.
    pub fn turbo(&self) -> bool {
        self.turbo
    }

    /// Whether an inserted tape starts by itself when the ROM asks for cassette input.
    pub fn auto_play(&self) -> bool {
        self.auto_play
    }

    /// Set auto-play (see [`TapeDeck::auto_play`]).
    pub fn set_auto_play(&mut self, on: bool) {
        self.auto_play = on;
    }

    /// The head position: bytes already played (or recorded).
    pub fn position(&self) -> usize {
        match self.state {
            DeckState::Recording => self.recording.len(),
            _ => self.position,
        }
    }

    /// Bytes on the tape (or recorded so far).
    pub fn len(&self) -> usize {
        match self.state {
            DeckState::Recording => self.recording.len(),
            _ => self.tape.as_ref().map_or(0, Tape::len),
        }
    }

    /// Whether there is nothing on the tape.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The last byte captured while recording (`None` when not recording or nothing yet).
    pub fn last_recorded_byte(&self) -> Option<u8> {
        match self.state {
            DeckState::Recording => self.recording.last().map(|b| b.byte),
            _ => None,
        }
    }

    /// Played fraction of the tape, 0.0 to 1.0 (1.0 while recording).
    pub fn progress(&self) -> f64 {
        match (self.state, self.len()) {
            (DeckState::Recording, _) => 1.0,
            (_, 0) => 0.0,
            (_, len) => self.position as f64 / len as f64,
        }
    }

    /// Tape counter in seconds of tape time at the head.
    pub fn position_s(&self) -> f64 {
        match self.state {
            DeckState::Recording => {
                ticks_to_s(self.now_cycle.saturating_sub(self.record_start_cycle) * TICKS_PER_CYCLE)
            }
            _ => match (&self.tape, self.position) {
                (Some(_), 0) | (None, _) => 0.0,
                (Some(tape), p) => tape.time_of_s(p - 1),
            },
        }
    }

    /// Turn sound on at `sample_rate_hz` (0 turns it off). Rates outside
    /// [`MIN_AUDIO_RATE_HZ`]..=[`MAX_AUDIO_RATE_HZ`] are refused in words: the synthesiser
    /// renders every sample in emulated time, so an absurd rate would cost minutes and
    /// gigabytes per emulated second.
    pub fn set_audio_rate(&mut self, sample_rate_hz: u32) -> Result<(), TapeError> {
        if sample_rate_hz != 0 && !(MIN_AUDIO_RATE_HZ..=MAX_AUDIO_RATE_HZ).contains(&sample_rate_hz)
        {
            return Err(TapeError::AudioRate(sample_rate_hz));
        }
        self.audio.synth = (sample_rate_hz > 0).then(|| ToneSynth::new(sample_rate_hz));
        self.audio.next_sample = self.audible_until() * u64::from(sample_rate_hz);
        self.audio.cursor = 0;
        self.audio.pending.clear();
        Ok(())
    }

    fn insert(&mut self, tape: Tape, port: &mut TapePort) {
        self.stop(port);
        self.tape = Some(tape);
        self.position = 0;
    }

    fn eject(&mut self, port: &mut TapePort) -> Option<Tape> {
        self.stop(port);
        self.position = 0;
        self.tape.take()
    }

    fn rewind(&mut self, port: &mut TapePort) {
        self.stop(port);
        self.position = 0;
    }

    fn wind(&mut self, recording: usize, port: &mut TapePort) -> bool {
        self.stop(port);
        match self.tape.as_ref().and_then(|t| t.recordings.get(recording)) {
            Some(r) => {
                self.position = r.start;
                true
            }
            None => false,
        }
    }

    /// The recording under the head (0 without a tape).
    pub fn recording(&self) -> usize {
        self.tape
            .as_ref()
            .map_or(0, |t| t.recording_at(self.position))
    }

    fn set_turbo(&mut self, on: bool, port: &mut TapePort) {
        let playing = self.state == DeckState::Playing;
        self.turbo = on;
        if self.state == DeckState::Recording {
            port.turbo_tx = on;
        }
        if playing {
            // Queue the rest again: the real-time schedule restarts from the head now.
            self.stop(port);
            self.play(port);
        }
    }

    fn play(&mut self, port: &mut TapePort) {
        self.stop(port);
        self.render_until(self.audible_until());
        let Some(tape) = &self.tape else {
            return;
        };
        if self.position >= tape.len() {
            return;
        }
        // The head starts at the beginning of the next byte's frame (or of the tape; but a
        // growing tape starts playing when its first byte has arrived, so at that byte: the
        // silence before it is past already).
        let start_ticks = match self.position {
            0 if !tape.growing => 0,
            p => tape.end_ticks[p].saturating_sub(FRAME_TICKS),
        };
        let now_ticks = self.now_cycle * TICKS_PER_CYCLE;
        self.play_started_ticks = now_ticks;
        self.play_from_ticks = start_ticks;
        port.turbo = self.turbo;
        port.rx.clear();
        // A tape of several recordings plays up to the end of the one under the head, as a
        // user stops the deck after the program they wanted.
        let recording = &tape.recordings[tape.recording_at(self.position)];
        let until = (recording.start + recording.len).min(tape.len());
        for (&byte, &end) in tape.bytes[self.position..until]
            .iter()
            .zip(&tape.end_ticks[self.position..until])
        {
            port.rx.push_back(TimedByte {
                cycle: (now_ticks + end.saturating_sub(start_ticks)).div_ceil(TICKS_PER_CYCLE),
                byte,
            });
        }
        self.queued_end = until;
        self.state = DeckState::Playing;
        self.audio.cursor = self.position;
    }

    fn record(&mut self, port: &mut TapePort) {
        self.stop(port);
        self.render_until(self.audible_until());
        self.recording.clear();
        self.record_start_cycle = self.now_cycle;
        port.tx.retain(|b| b.cycle > self.now_cycle);
        port.turbo_tx = self.turbo;
        self.state = DeckState::Recording;
        self.audio.cursor = 0;
    }

    /// Stops the motor. Stopping a recording makes the capture the inserted tape (rewound) and
    /// returns a copy of it.
    fn stop(&mut self, port: &mut TapePort) -> Option<Tape> {
        match self.state {
            DeckState::Stopped => None,
            DeckState::Playing => {
                self.render_until(self.now_cycle);
                self.position = self.queued_end.saturating_sub(port.rx.len());
                port.rx.clear();
                port.turbo = false;
                self.state = DeckState::Stopped;
                None
            }
            DeckState::Recording => {
                self.collect_tx(port);
                port.turbo_tx = false;
                self.render_until(self.now_cycle);
                let tape = Tape::captured("recording", &self.recording, self.record_start_cycle);
                self.state = DeckState::Stopped;
                // A SAVE onto a tape with recordings on it goes after them; the head stops at
                // the start of the new recording, ready to load it back.
                match self.tape.as_mut() {
                    Some(inserted) if !inserted.is_empty() && !tape.is_empty() => {
                        self.position = inserted.len();
                        inserted.append(&tape);
                    }
                    _ => {
                        self.tape = Some(tape.clone());
                        self.position = 0;
                    }
                }
                Some(tape)
            }
        }
    }

    /// Appends to a growing tape (see [`Tape::extend`]); while the deck plays up to the tape's
    /// end, the new bytes are queued on the port too. Each arrives at its recorded time after
    /// PLAY, but never sooner than a frame after the byte before it (or after now, for the
    /// first byte after a wait), so a machine running faster than the audio gets them at the
    /// line's pace instead of all at once. False if the inserted tape is not growing.
    fn extend(&mut self, bytes: &[u8], end_s: &[f64], port: &mut TapePort) -> bool {
        let Some(tape) = self.tape.as_mut() else {
            return false;
        };
        let old_len = tape.len();
        if !tape.extend(bytes, end_s) {
            return false;
        }
        if self.state == DeckState::Playing && self.queued_end == old_len {
            let frame_cycles = FRAME_TICKS.div_ceil(TICKS_PER_CYCLE);
            let mut previous = port.rx.back().map_or(self.now_cycle, |b| b.cycle);
            for (&byte, &end) in tape.bytes[old_len..].iter().zip(&tape.end_ticks[old_len..]) {
                let at = (self.play_started_ticks + end.saturating_sub(self.play_from_ticks))
                    .div_ceil(TICKS_PER_CYCLE);
                previous = at.max(previous + frame_cycles);
                port.rx.push_back(TimedByte {
                    cycle: previous,
                    byte,
                });
            }
            self.queued_end = tape.len();
        }
        true
    }

    fn collect_tx(&mut self, port: &mut TapePort) {
        let start = self.record_start_cycle;
        self.recording
            .extend(port.tx.drain(..).filter(|b| b.cycle > start));
    }

    /// Catch up with board cycle `cycle`: track the head, collect transmitted bytes, start an
    /// armed tape when `cassette_wanted` (the ROM is reading the cassette), stop at the end of
    /// the tape.
    pub fn advance_to(&mut self, cycle: u64, port: &mut TapePort, cassette_wanted: bool) {
        self.now_cycle = self.now_cycle.max(cycle);
        match self.state {
            DeckState::Playing => {
                self.render_until(self.now_cycle);
                self.position = self.queued_end.saturating_sub(port.rx.len());
                // A growing tape keeps the motor running at its end: more is on its way.
                let growing = self.tape.as_ref().is_some_and(Tape::is_growing);
                if port.rx.is_empty() && self.position >= self.queued_end && !growing {
                    self.state = DeckState::Stopped;
                    port.turbo = false;
                }
            }
            DeckState::Recording => {
                self.collect_tx(port);
                self.render_until(self.audible_until());
            }
            DeckState::Stopped => {
                // Auto-play starts only at the beginning of a recording, so LOAD does not run
                // on into the next program.
                let remaining = self.tape.as_ref().is_some_and(|t| {
                    self.position < t.len() && t.recordings.iter().any(|r| r.start == self.position)
                });
                if self.auto_play && cassette_wanted && remaining {
                    self.play(port);
                }
            }
        }
    }

    /// The line level (true = mark) at absolute tick `ticks`, or None for silence.
    fn line_at(&mut self, ticks: u64) -> Option<bool> {
        let cursor = &mut self.audio.cursor;
        match self.state {
            DeckState::Playing if !self.turbo => {
                let tape = self.tape.as_ref()?;
                let tape_ticks = ticks.checked_sub(self.play_started_ticks)? + self.play_from_ticks;
                Some(frame_level(
                    tape_ticks,
                    cursor,
                    tape.len(),
                    |i| tape.end_ticks[i],
                    |i| tape.bytes[i],
                ))
            }
            DeckState::Recording => Some(frame_level(
                ticks,
                cursor,
                self.recording.len(),
                |i| self.recording[i].cycle * TICKS_PER_CYCLE,
                |i| self.recording[i].byte,
            )),
            _ => None,
        }
    }

    /// Renders the tape sound into the pending buffer for every sample before `cycle`, with
    /// the current transport state.
    fn render_until(&mut self, cycle: u64) {
        let Some(rate) = self
            .audio
            .synth
            .as_ref()
            .map(|s| u64::from(s.sample_rate_hz()))
        else {
            return;
        };
        // Sample k sounds at cycle k × CPU_CLOCK_HZ / rate; `next_sample` counts in
        // cycles × rate so the time stays exact.
        let end = cycle * rate;
        let backlog = MAX_AUDIO_BACKLOG_S * CPU_CLOCK_HZ * rate;
        if end.saturating_sub(self.audio.next_sample) > backlog {
            self.audio.next_sample = end - backlog;
        }
        let mut pending = std::mem::take(&mut self.audio.pending);
        while self.audio.next_sample < end {
            let ticks = self.audio.next_sample * TICKS_PER_CYCLE / rate;
            let level = self.line_at(ticks);
            if let Some(synth) = self.audio.synth.as_mut() {
                match level {
                    Some(bit) => synth.push(bit, &mut pending),
                    None => synth.push_silence(&mut pending),
                }
            }
            self.audio.next_sample += CPU_CLOCK_HZ;
        }
        // Keep at most one second for a host that does not drain.
        let keep = (MAX_AUDIO_BACKLOG_S * rate) as usize;
        if pending.len() > keep {
            pending.drain(..pending.len() - keep);
        }
        self.audio.pending = pending;
    }

    /// The last cycle whose sound is known. The ACIA reports a transmitted byte only when its
    /// last stop bit has left, so while recording the sound runs one frame behind.
    fn audible_until(&self) -> u64 {
        match self.state {
            DeckState::Recording => self
                .now_cycle
                .saturating_sub(FRAME_TICKS / TICKS_PER_CYCLE + 1)
                .max(self.record_start_cycle),
            _ => self.now_cycle,
        }
    }

    /// Appends the tape sound produced since the last call, up to the current emulated time:
    /// KCS tones while playing in real time or recording (one frame behind), silence otherwise.
    /// Does nothing while sound is off ([`TapeDeck::set_audio_rate`]). At most one second is
    /// kept between calls.
    pub fn drain_audio(&mut self, out: &mut Vec<f32>) {
        self.render_until(self.audible_until());
        out.append(&mut self.audio.pending);
    }
}

/// The line level at `ticks` given bytes ending at `end(i)` (non-decreasing): the bit being
/// sent inside a frame, mark (carrier) between frames. `cursor` only moves forward.
fn frame_level(
    ticks: u64,
    cursor: &mut usize,
    len: usize,
    end: impl Fn(usize) -> u64,
    byte: impl Fn(usize) -> u8,
) -> bool {
    while *cursor < len && end(*cursor) <= ticks {
        *cursor += 1;
    }
    if *cursor >= len {
        return true;
    }
    let Some(into_frame) = ticks.checked_sub(end(*cursor).saturating_sub(FRAME_TICKS)) else {
        return true;
    };
    match into_frame / BIT_TICKS {
        0 => false,
        bit @ 1..=8 => byte(*cursor) >> (bit - 1) & 1 == 1,
        _ => true,
    }
}

/// The tape deck through the machine: transport controls act on the board's tape port at the
/// machine's current cycle.
impl Machine {
    /// Insert a tape (stopping the deck first). The head is at the start.
    pub fn insert_tape(&mut self, tape: Tape) {
        self.sync_tape();
        self.deck.insert(tape, &mut self.board.tape);
    }

    /// Appends decoded bytes to the growing tape in the deck (a live line-in recording, see
    /// [`Tape::growing`]); a machine already in LOAD receives them as they come. False, and
    /// nothing changes, if the inserted tape is not a growing one.
    pub fn extend_tape(&mut self, bytes: &[u8], end_s: &[f64]) -> bool {
        self.sync_tape();
        self.deck.extend(bytes, end_s, &mut self.board.tape)
    }

    /// Ends the growing tape in the deck (see [`Tape::finish_growing`]); the deck stops at its
    /// end from now on. False if the inserted tape is not a growing one.
    pub fn finish_growing_tape(&mut self, report: Option<DecodeReport>) -> bool {
        self.sync_tape();
        match self.deck.tape.as_mut() {
            Some(tape) if tape.is_growing() => {
                tape.finish_growing(report);
                self.sync_tape();
                true
            }
            _ => false,
        }
    }

    /// Take the tape out.
    pub fn eject_tape(&mut self) -> Option<Tape> {
        self.sync_tape();
        self.deck.eject(&mut self.board.tape)
    }

    /// PLAY from the head position.
    pub fn play_tape(&mut self) {
        self.sync_tape();
        self.deck.play(&mut self.board.tape);
    }

    /// RECORD: capture what the ACIA transmits from now on.
    pub fn record_tape(&mut self) {
        self.sync_tape();
        self.deck.record(&mut self.board.tape);
    }

    /// STOP. After a recording, returns the captured tape (which is also left inserted).
    pub fn stop_tape(&mut self) -> Option<Tape> {
        self.sync_tape();
        self.deck.stop(&mut self.board.tape)
    }

    /// Stop and move the head to the start of the tape.
    pub fn rewind_tape(&mut self) {
        self.sync_tape();
        self.deck.rewind(&mut self.board.tape);
    }

    /// Stop and wind the tape to the start of recording `recording` (0-based); false if the
    /// tape has no such recording.
    pub fn wind_tape(&mut self, recording: usize) -> bool {
        self.sync_tape();
        self.deck.wind(recording, &mut self.board.tape)
    }

    /// Turbo loading on or off (takes effect at once if playing).
    pub fn set_turbo_tape(&mut self, on: bool) {
        self.sync_tape();
        self.deck.set_turbo(on, &mut self.board.tape);
    }

    /// The deck, for its state, counter and progress.
    pub fn deck(&self) -> &TapeDeck {
        &self.deck
    }

    /// The deck, for settings (auto-play, sound rate).
    pub fn deck_mut(&mut self) -> &mut TapeDeck {
        &mut self.deck
    }

    /// Appends the tape sound up to now (see [`TapeDeck::drain_audio`]).
    pub fn drain_tape_audio(&mut self, out: &mut Vec<f32>) {
        self.deck.drain_audio(out);
    }

    /// Brings the deck up to the current cycle; `run_for` calls it after every run. The ROM
    /// wants the cassette when the LOAD flag is set, or when it polled the ACIA status since
    /// the last call while not saving.
    pub fn sync_tape(&mut self) {
        let polled = self.board.tape.status_reads != self.deck.status_reads_seen;
        self.deck.status_reads_seen = self.board.tape.status_reads;
        let wanted = self.peek(LOAD_FLAG) & 0x80 != 0 || (polled && self.peek(SAVE_FLAG) == 0);
        let cycle = self.board.cycles();
        self.deck.advance_to(cycle, &mut self.board.tape, wanted);
    }
}

/// Snapshot support (section `DECK`, src/snapshot.rs): the transport (state, turbo, auto-play),
/// the head (position, end of what was queued, when and where PLAY started), the recording so
/// far with its start, the deck's clock, the status reads it has seen, then the tape if one is
/// inserted (name, kind, bytes with their end times). The decoder's report of a tape made from
/// a WAV file and the warnings about a listing file describe that file, not the machine, and
/// are not kept. The sound generator is the ancillary section `snd `.
impl TapeDeck {
    pub(crate) fn save(&self, w: &mut Writer) {
        w.u8(match self.state {
            DeckState::Stopped => 0,
            DeckState::Playing => 1,
            DeckState::Recording => 2,
        });
        w.bool(self.turbo);
        w.bool(self.auto_play);
        w.count(self.position);
        w.count(self.queued_end);
        w.u64(self.play_started_ticks);
        w.u64(self.play_from_ticks);
        w.timed_bytes(self.recording.iter());
        w.u64(self.record_start_cycle);
        w.u64(self.now_cycle);
        w.u64(self.status_reads_seen);
        w.bool(self.tape.is_some());
        if let Some(tape) = &self.tape {
            w.blob(tape.name.as_bytes());
            w.u8(match tape.kind {
                TapeKind::Listing => 0,
                TapeKind::MachineCode => 1,
                TapeKind::Recording => 2,
                TapeKind::Bytes => 3,
                TapeKind::Captured => 4,
            });
            w.times(tape.end_ticks.iter().copied());
            w.raw(&tape.bytes);
            // The index of recordings (name, start, length), after the bytes.
            w.count(tape.recordings.len());
            for recording in &tape.recordings {
                w.blob(recording.name.as_bytes());
                w.count(recording.start);
                w.count(recording.len);
            }
        }
    }

    pub(crate) fn load(r: &mut Reader) -> Result<TapeDeck, SnapshotError> {
        let state = match r.u8()? {
            0 => DeckState::Stopped,
            1 => DeckState::Playing,
            2 => DeckState::Recording,
            other => return Err(r.invalid(format!("unknown transport state {other}"))),
        };
        let turbo = r.bool()?;
        let auto_play = r.bool()?;
        let position = r.varint()?;
        let queued_end = r.varint()?;
        let play_started_ticks = r.ticks()?;
        let play_from_ticks = r.ticks()?;
        let recording = r.timed_bytes()?;
        let record_start_cycle = r.cycle()?;
        let now_cycle = r.cycle()?;
        let status_reads_seen = r.cycle()?;
        let tape = if r.bool()? {
            let name = r.string()?;
            let kind = match r.u8()? {
                0 => TapeKind::Listing,
                1 => TapeKind::MachineCode,
                2 => TapeKind::Recording,
                3 => TapeKind::Bytes,
                4 => TapeKind::Captured,
                other => return Err(r.invalid(format!("unknown tape kind {other}"))),
            };
            let end_ticks = r.times(MAX_CYCLES * TICKS_PER_CYCLE)?;
            if end_ticks.windows(2).any(|pair| pair[1] < pair[0]) {
                return Err(r.invalid("the tape's byte times go backwards"));
            }
            let bytes = r.raw(end_ticks.len())?.to_vec();
            let recordings = if r.at_end() {
                // Written before tapes held several recordings: one, the whole tape.
                one_recording(&name, &bytes)
            } else {
                let count = r.count(3)?;
                let mut recordings = Vec::with_capacity(count);
                let mut next = 0u64;
                for _ in 0..count {
                    let name = r.string()?;
                    let start = r.varint()?;
                    let len = r.varint()?;
                    if start != next || len == 0 {
                        return Err(r.invalid("the tape's recordings do not follow each other"));
                    }
                    next = start + len;
                    recordings.push(Recording {
                        name,
                        start: start as usize,
                        len: len as usize,
                    });
                }
                if next != bytes.len() as u64 {
                    return Err(r.invalid("the tape's recordings do not cover its bytes"));
                }
                recordings
            };
            Some(Tape {
                name,
                kind,
                bytes,
                end_ticks,
                report: None,
                warnings: Vec::new(),
                recordings,
                growing: false,
            })
        } else {
            None
        };
        let len = tape.as_ref().map_or(0, Tape::len) as u64;
        if position > len || queued_end > len {
            return Err(r.invalid(format!(
                "head position {position} (queued to {queued_end}) is past the end of a {len}-byte tape"
            )));
        }
        let mut deck = TapeDeck::new();
        deck.tape = tape;
        deck.state = state;
        deck.turbo = turbo;
        deck.auto_play = auto_play;
        deck.position = position as usize;
        deck.queued_end = queued_end as usize;
        deck.play_started_ticks = play_started_ticks;
        deck.play_from_ticks = play_from_ticks;
        deck.recording = recording;
        deck.record_start_cycle = record_start_cycle;
        deck.now_cycle = now_cycle;
        deck.status_reads_seen = status_reads_seen;
        Ok(deck)
    }

    /// Whether tape sound is on (a snapshot then carries the generator's state).
    pub(crate) fn sound_on(&self) -> bool {
        self.audio.synth.is_some()
    }

    /// Section `snd `: sample rate (u32), tone phase (f64), next sample time (u64, in
    /// cycles × rate), the cursor into the bytes that may still sound, and the samples rendered
    /// but not yet drained (count, then f32 each).
    pub(crate) fn save_sound(&self, w: &mut Writer) {
        let Some(synth) = &self.audio.synth else {
            return;
        };
        w.u32(synth.sample_rate_hz());
        w.u64(synth.phase().to_bits());
        w.u64(self.audio.next_sample);
        w.count(self.audio.cursor);
        w.count(self.audio.pending.len());
        for sample in &self.audio.pending {
            w.u32(sample.to_bits());
        }
    }

    /// Reads section `snd ` (if any) and sets up sound as the host has it: off if the host's
    /// deck has sound off; the saved generator if it ran at the host's rate; otherwise a fresh
    /// generator at the host's rate. The host's volume is kept. `cycles` is the restored
    /// machine's cycle count, which must leave room for sample times at that rate.
    pub(crate) fn load_sound(
        &mut self,
        section: Option<&mut Reader>,
        host: &TapeDeck,
        cycles: u64,
    ) -> Result<(), SnapshotError> {
        let saved = match section {
            Some(r) => Some(Self::read_sound(r)?),
            None => None,
        };
        let Some(host_synth) = &host.audio.synth else {
            return Ok(());
        };
        let rate = host_synth.sample_rate_hz();
        // Sample times count cycles × rate, and the renderer multiplies them by 5 more.
        if cycles
            .max(self.now_cycle)
            .checked_mul(u64::from(rate) * 8)
            .is_none()
        {
            return Err(SnapshotError::Malformed {
                section: "section \"MACH\"".into(),
                offset: 0,
                problem: format!("cycle count {cycles} is too large for tape sound at {rate} Hz"),
            });
        }
        match saved {
            Some((saved_rate, phase, next_sample, cursor, pending)) if saved_rate == rate => {
                let mut synth = host_synth.clone();
                synth.set_phase(phase);
                self.audio = Audio {
                    synth: Some(synth),
                    next_sample,
                    cursor,
                    pending,
                };
            }
            _ => {
                // The host's rate passed the check when the host set it.
                let _ = self.set_audio_rate(rate);
                if let Some(synth) = self.audio.synth.as_mut() {
                    synth.volume = host_synth.volume;
                }
            }
        }
        Ok(())
    }

    #[allow(clippy::type_complexity)]
    fn read_sound(r: &mut Reader) -> Result<(u32, f64, u64, usize, Vec<f32>), SnapshotError> {
        let rate = r.u32()?;
        if rate == 0 {
            return Err(r.invalid("sample rate 0"));
        }
        let phase = f64::from_bits(r.u64()?);
        if !(0.0..1.0).contains(&phase) {
            return Err(r.invalid(format!("tone phase {phase} is not in [0, 1)")));
        }
        let next_sample = r.u64()?;
        let cursor = r.varint()? as usize;
        let count = r.count(4)?;
        let mut pending = Vec::with_capacity(count);
        for _ in 0..count {
            let sample = f32::from_bits(r.u32()?);
            if !sample.is_finite() {
                return Err(r.invalid("a sound sample is not a number"));
            }
            pending.push(sample);
        }
        Ok((rate, phase, next_sample, cursor, pending))
    }
}
