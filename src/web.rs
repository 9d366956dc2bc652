//! # The web page's facade: a thin wasm-bindgen wrapper around [`Machine`]
//!
//! Compiled only for `wasm32`. The page's element (`www/superboard-ii.js`) owns the wall clock,
//! the DOM and the browser events; everything about the machine stays in the core and is
//! reached through [`Superboard`]. Errors become JavaScript exceptions carrying the core's own message
//! (`JsError`), so the page can show them in words.
//!
//! **Framebuffer**: [`Superboard::render`] draws the full 32×32-cell screen (256×256 RGBA
//! pixels) when video RAM changed and reports whether it did; the pixels stay in wasm memory at
//! [`Superboard::framebuffer_ptr`] until the next call. The page crops the view it shows (TV
//! window, 25×25, 32×32) itself, so one render serves every view.
//!
//! **Numbers**: cycle counts cross the boundary as `f64` (exact up to 2^53 cycles, about 290
//! years of emulated time).

use wasm_bindgen::prelude::*;

use crate::basic;
use crate::board::RamSize;
use crate::devices::keyboard::Key;
use crate::devices::tape::{DeckState, Tape, TapeKind};
use crate::devices::video::ScreenView;
use crate::kcs::{Baud, DecodeReport, EncodeOptions, LiveBytes, LiveDecoder};
use crate::machine::{Machine, MachineConfig};
use crate::roms::{self, RomPart, RomSet, BASIC_BYTES, CHARGEN_BYTES, MONITOR_BYTES};

/// Install the panic hook once, so a Rust panic shows its message in the browser console.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The CPU clock in hertz (983,040 Hz).
#[wasm_bindgen]
pub fn cpu_clock_hz() -> f64 {
    crate::machine::CPU_CLOCK_HZ as f64
}

/// Width and height of the full screen in pixels (32 cells × 8 pixels).
#[wasm_bindgen]
pub fn screen_px() -> u32 {
    ScreenView::Full.width_px() as u32
}

/// The matrix key names [`Superboard::key_down`] accepts, e.g. "A", "Digit1", "Return",
/// "RubOut", "LeftShift", "ShiftLock", in matrix order.
#[wasm_bindgen]
pub fn key_names() -> Vec<String> {
    Key::ALL.iter().map(|key| format!("{key:?}")).collect()
}

/// The keycap legend of a matrix key name (e.g. "RubOut" → "RUB OUT").
#[wasm_bindgen]
pub fn key_legend(name: &str) -> Result<String, JsError> {
    Ok(key_named(name)?.legend().to_string())
}

/// A matrix key's place as `[row, column]` (row = the latch bit that selects it, column = the
/// bit that reads 0 while it is down), for drawing the live matrix.
#[wasm_bindgen]
pub fn key_position(name: &str) -> Result<Vec<u8>, JsError> {
    let (row, column) = key_named(name)?.position();
    Ok(vec![row, column])
}

fn key_named(name: &str) -> Result<Key, JsError> {
    Key::ALL
        .iter()
        .copied()
        .find(|key| format!("{key:?}") == name)
        .ok_or_else(|| JsError::new(&format!("no Superboard key is called {name:?}")))
}

/// What the core knows about a ROM file.
#[derive(Clone, Debug)]
#[wasm_bindgen(getter_with_clone)]
pub struct RomInfo {
    /// SHA-1 of the contents, 40 lower-case hex digits.
    pub sha1: String,
    /// The known image's usual name, or "" if the contents are not recognised.
    pub known_name: String,
    /// What the known image is, or "" if not recognised.
    pub description: String,
    /// The socket it belongs in: "basic", "basic-u9" … "basic-u12", "monitor", "chargen", or ""
    /// when not recognised (then only the size says what it could be).
    pub part: String,
}

/// Identify a ROM image by its SHA-1 against the core's table of original ROMs.
#[wasm_bindgen]
pub fn identify_rom(bytes: &[u8]) -> RomInfo {
    let known = roms::identify(bytes);
    RomInfo {
        sha1: roms::sha1_hex(bytes),
        known_name: known.map_or(String::new(), |k| k.name.to_string()),
        description: known.map_or(String::new(), |k| k.description.to_string()),
        part: known.map_or(String::new(), |k| part_name(k.part)),
    }
}

fn part_name(part: RomPart) -> String {
    match part {
        RomPart::Basic => "basic".into(),
        RomPart::BasicChip(index) => format!("basic-u{}", index + 9),
        RomPart::Monitor => "monitor".into(),
        RomPart::Chargen => "chargen".into(),
    }
}

/// What is on a tape, in words for the page.
#[derive(Clone, Debug)]
#[wasm_bindgen(getter_with_clone)]
pub struct TapeInfo {
    /// The tape's name (the file name).
    pub name: String,
    /// "listing", "machine code", "recording", "bytes" or "captured".
    pub kind: String,
    /// Bytes on the tape.
    pub bytes: u32,
    /// Tape time at which the last byte ends, in seconds.
    pub duration_s: f64,
    /// The decoder's report for a recording ("" for other tapes).
    pub report: String,
    /// For a listing: where BASIC will store something other than the file says, one warning
    /// a line, in words ("" when there is none). The tape loads all the same.
    pub warnings: String,
    /// How many warnings there are (the text shows the first few).
    pub warning_count: u32,
}

impl TapeInfo {
    fn of(tape: &Tape) -> TapeInfo {
        TapeInfo {
            name: tape.name().to_string(),
            kind: match tape.kind() {
                TapeKind::Listing => "listing",
                TapeKind::MachineCode => "machine code",
                TapeKind::Recording => "recording",
                TapeKind::Bytes => "bytes",
                TapeKind::Captured => "captured",
            }
            .into(),
            bytes: tape.len() as u32,
            duration_s: tape.duration_s(),
            report: tape.report().map_or(String::new(), describe_report),
            warnings: crate::kcs::describe_warnings(tape.warnings()),
            warning_count: tape.warnings().len() as u32,
        }
    }
}

/// A decode report in one or two sentences.
fn describe_report(report: &DecodeReport) -> String {
    let mut text = format!(
        "{:.1} s at {} Hz, {} baud{}, signal {:.0}% clean, tones {:+.1}% off nominal",
        report.duration_s,
        report.sample_rate_hz,
        report.baud.bits_per_s(),
        if report.baud_detected {
            " (detected)"
        } else {
            ""
        },
        report.clean_fraction * 100.0,
        (report.speed - 1.0) * 100.0,
    );
    if report.channels > 1 {
        text += &format!(", channel {} of {}", report.channel + 1, report.channels);
    }
    match report.errors.first() {
        None => text += "; no damaged characters.",
        Some(first) => {
            text += &format!(
                "; {} damaged character{} (first at {:.2} s).",
                report.errors.len(),
                if report.errors.len() == 1 { "" } else { "s" },
                first.time_s
            )
        }
    }
    text
}

/// The program on a tape file (`.wav`, `.bas`, `.txt`, ...) as a clean listing: what LOAD would
/// give, without the echo lines a SAVE records. Throws when the file cannot be read as a tape.
#[wasm_bindgen]
pub fn tape_file_listing(name: &str, contents: &[u8]) -> Result<String, JsError> {
    let tape = Tape::from_file(name, contents).map_err(|e| JsError::new(&e.to_string()))?;
    Ok(tape.to_listing())
}

/// One Superboard II (8 KB of RAM unless configured otherwise), driven by the page.
#[wasm_bindgen]
pub struct Superboard {
    pub(crate) machine: Machine,
    framebuffer_ptr: usize,
    /// Breakpoints, watchpoints, labels, the trace (src/web_debug.rs): session state, kept
    /// out of the machine.
    pub(crate) debug: crate::web_debug::DebugSession,
    program_watch: basic::ProgramWatch,
    program_ended: bool,
}

impl Default for Superboard {
    fn default() -> Self {
        Self::new()
    }
}

#[wasm_bindgen]
impl Superboard {
    /// A powered-on machine with the open ROMs.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Superboard {
        Superboard::with_set(RamSize::K8, RomSet::open())
    }

    /// A powered-on machine with user ROM images where given (`undefined` parts come from the
    /// open set). `basic` is 8192 bytes; `basic_chips` is a list of four 2048-byte chips
    /// (U9…U12; used when `basic` is absent); `monitor` and `chargen` are 2048 bytes each.
    pub fn with_roms(
        basic: Option<Vec<u8>>,
        basic_chips: Option<Vec<js_sys::Uint8Array>>,
        monitor: Option<Vec<u8>>,
        chargen: Option<Vec<u8>>,
    ) -> Result<Superboard, JsError> {
        Superboard::configured(8, basic, basic_chips, monitor, chargen)
    }

    /// A powered-on machine with `ram_kb` KB of RAM (4, 8 or 32) and user ROM images where
    /// given, as in [`Superboard::with_roms`].
    pub fn configured(
        ram_kb: u32,
        basic: Option<Vec<u8>>,
        basic_chips: Option<Vec<js_sys::Uint8Array>>,
        monitor: Option<Vec<u8>>,
        chargen: Option<Vec<u8>>,
    ) -> Result<Superboard, JsError> {
        let ram = match ram_kb {
            4 => RamSize::K4,
            8 => RamSize::K8,
            32 => RamSize::K32,
            _ => return Err(JsError::new(&format!("{ram_kb} KB of RAM: use 4, 8 or 32"))),
        };
        let mut set = RomSet::open();
        if let Some(bytes) = basic {
            set.basic
                .copy_from_slice(sized(&bytes, BASIC_BYTES, "BASIC ROM")?);
        } else if let Some(chips) = basic_chips {
            if chips.len() != roms::BASIC_CHIPS {
                return Err(JsError::new(&format!(
                    "BASIC given as {} chips: expected four 2048-byte chips (U9, U10, U11, U12)",
                    chips.len()
                )));
            }
            for (index, chip) in chips.iter().enumerate() {
                let bytes = chip.to_vec();
                let socket = roms::BASIC_CHIP_SOCKETS[index];
                let chip = sized(&bytes, roms::BASIC_CHIP_BYTES, socket)?;
                let start = index * roms::BASIC_CHIP_BYTES;
                set.basic[start..start + roms::BASIC_CHIP_BYTES].copy_from_slice(chip);
            }
        }
        if let Some(bytes) = monitor {
            set.monitor
                .copy_from_slice(sized(&bytes, MONITOR_BYTES, "monitor ROM")?);
        }
        if let Some(bytes) = chargen {
            set.chargen
                .copy_from_slice(sized(&bytes, CHARGEN_BYTES, "character generator ROM")?);
        }
        Ok(Superboard::with_set(ram, set))
    }

    /// Run whole instructions for `budget_cycles` CPU cycles (overshoot is credited to the next
    /// call); returns the cycles that passed.
    pub fn run_for(&mut self, budget_cycles: f64) -> f64 {
        let budget = if budget_cycles.is_finite() && budget_cycles > 0.0 {
            budget_cycles as u64
        } else {
            0
        };
        self.run_debugged(budget) as f64
    }

    /// Whether the CPU executed a JAM opcode (only BREAK recovers it).
    pub fn jammed(&self) -> bool {
        self.machine.cpu.is_jammed()
    }

    /// CPU cycles since power-on.
    pub fn cycles(&self) -> f64 {
        self.machine.cycles() as f64
    }

    /// BREAK: assert RESET (RAM is kept).
    pub fn press_break(&mut self) {
        self.machine.press_break();
    }

    /// Press a matrix key by name (see [`key_names`]).
    pub fn key_down(&mut self, name: &str) -> Result<(), JsError> {
        self.machine.key_down(key_named(name)?);
        Ok(())
    }

    /// Release a matrix key by name.
    pub fn key_up(&mut self, name: &str) -> Result<(), JsError> {
        self.machine.key_up(key_named(name)?);
        Ok(())
    }

    /// Release every key the page holds (SHIFT LOCK stays latched).
    pub fn release_all_keys(&mut self) {
        self.machine.release_all_keys();
    }

    /// Lock SHIFT LOCK down or release it.
    pub fn set_shift_lock(&mut self, down: bool) {
        self.machine.set_shift_lock(down);
    }

    /// Whether SHIFT LOCK is down.
    pub fn shift_lock(&self) -> bool {
        self.machine.shift_lock()
    }

    /// Queue text for the typist; throws naming the first character the keyboard cannot type.
    pub fn type_text(&mut self, text: &str) -> Result<(), JsError> {
        self.machine
            .type_text(text)
            .map_err(|error| JsError::new(&error.to_string()))
    }

    /// Whether the typist still has characters to type.
    pub fn typing_pending(&self) -> bool {
        self.machine.typing_pending()
    }

    /// Drop queued text and release the typist's keys.
    pub fn cancel_typing(&mut self) {
        self.machine.cancel_typing();
    }

    /// All 32 rows of the screen as text, joined by '\n' (graphics codes as '·').
    pub fn screen_text(&self) -> String {
        self.machine.screen_text(ScreenView::Full)
    }

    /// A copy of the 1024 bytes of video RAM.
    pub fn video_ram(&self) -> Vec<u8> {
        self.machine.video_ram().to_vec()
    }

    /// Redraw the full-screen framebuffer if video RAM changed; `true` when it did (the pixels
    /// are then at [`Superboard::framebuffer_ptr`]).
    pub fn render(&mut self) -> bool {
        match self.machine.render(ScreenView::Full) {
            Some(pixels) => {
                self.framebuffer_ptr = pixels.as_ptr() as usize;
                true
            }
            None => false,
        }
    }

    /// Address in wasm memory of the RGBA framebuffer drawn by the last [`Superboard::render`]
    /// that returned `true` (256 × 256 × 4 bytes); 0 before the first one.
    pub fn framebuffer_ptr(&self) -> usize {
        self.framebuffer_ptr
    }

    /// The character generator in use (2048 bytes), for glyph checks and key legends.
    pub fn chargen(&self) -> Vec<u8> {
        self.machine.board.video.chargen().to_vec()
    }

    /// Read memory without side effects.
    pub fn peek(&self, addr: u16) -> u8 {
        self.machine.peek(addr)
    }

    /// Store into RAM or video RAM without a cycle.
    pub fn poke(&mut self, addr: u16, value: u8) {
        self.machine.poke(addr, value);
    }

    /// Insert a tape from audio the page decoded itself (the browser's `decodeAudioData` for
    /// WAV, FLAC, Ogg, MP3 …, or a line-in recording): mono float samples at `sample_rate`.
    pub fn insert_tape_audio(
        &mut self,
        name: &str,
        samples: &[f32],
        sample_rate: u32,
    ) -> Result<TapeInfo, JsError> {
        let tape = Tape::from_audio(name, samples, sample_rate)
            .map_err(|e| JsError::new(&e.to_string()))?;
        let info = TapeInfo::of(&tape);
        self.machine.insert_tape(tape);
        Ok(info)
    }

    /// Insert a tape made from a file: `.bas`/`.txt` listing, `.65v` machine code, `.wav`
    /// recording (decoded), anything else raw bytes. Throws with the file name and what is
    /// wrong (a character that cannot be sent, a WAV that cannot be decoded).
    pub fn insert_tape(&mut self, name: &str, contents: &[u8]) -> Result<TapeInfo, JsError> {
        let tape = Tape::from_file(name, contents).map_err(|e| JsError::new(&e.to_string()))?;
        let info = TapeInfo::of(&tape);
        self.machine.insert_tape(tape);
        Ok(info)
    }

    /// What the inserted tape holds, if there is one.
    pub fn tape_info(&self) -> Option<TapeInfo> {
        self.machine.deck().tape().map(TapeInfo::of)
    }

    /// Take the tape out.
    pub fn eject_tape(&mut self) {
        self.machine.eject_tape();
    }

    /// PLAY from the head position.
    pub fn play_tape(&mut self) {
        self.machine.play_tape();
    }

    /// RECORD onto a new tape: capture what the ACIA transmits.
    pub fn record_tape(&mut self) {
        self.machine.record_tape();
    }

    /// STOP; `true` when a recording ended and its tape is now inserted.
    pub fn stop_tape(&mut self) -> bool {
        self.machine.stop_tape().is_some()
    }

    /// Stop and move the head to the start.
    pub fn rewind_tape(&mut self) {
        self.machine.rewind_tape();
    }

    /// Turbo: the tape delivers bytes as fast as the ROM reads them.
    pub fn set_turbo_tape(&mut self, on: bool) {
        self.machine.set_turbo_tape(on);
    }

    /// Auto-play: an inserted tape starts when the ROM asks for cassette input (LOAD).
    pub fn set_tape_auto_play(&mut self, on: bool) {
        self.machine.deck_mut().set_auto_play(on);
    }

    /// "stopped", "playing" or "recording".
    pub fn tape_state(&self) -> String {
        match self.machine.deck().state() {
            DeckState::Stopped => "stopped",
            DeckState::Playing => "playing",
            DeckState::Recording => "recording",
        }
        .into()
    }

    /// The head position in bytes (bytes recorded so far while recording).
    pub fn tape_position(&self) -> u32 {
        self.machine.deck().position() as u32
    }

    /// Bytes on the tape (or recorded so far).
    pub fn tape_len(&self) -> u32 {
        self.machine.deck().len() as u32
    }

    /// Played fraction of the tape, 0 to 1.
    pub fn tape_progress(&self) -> f64 {
        self.machine.deck().progress()
    }

    /// Tape time at the head, in seconds (the counter).
    pub fn tape_position_s(&self) -> f64 {
        self.machine.deck().position_s()
    }

    /// The bytes on the inserted tape (empty without one).
    pub fn tape_bytes(&self) -> Vec<u8> {
        self.machine
            .deck()
            .tape()
            .map_or(Vec::new(), |t| t.bytes().to_vec())
    }

    /// For each byte on the tape, the tape time at which its last stop bit ends, in seconds
    /// (for drawing the waveform around the head).
    pub fn tape_times_s(&self) -> Vec<f64> {
        self.machine.deck().tape().map_or(Vec::new(), |t| {
            (0..t.len()).map(|index| t.time_of_s(index)).collect()
        })
    }

    /// The inserted tape as a WAV file a real Superboard loads (44.1 kHz, 16-bit, 300 baud).
    pub fn tape_wav(&self) -> Result<Vec<u8>, JsError> {
        let tape = self
            .machine
            .deck()
            .tape()
            .ok_or_else(|| JsError::new("there is no tape in the deck"))?;
        tape.to_wav(&EncodeOptions::default())
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// The program under the head (the recording the tape is wound to) as a clean BASIC
    /// listing.
    pub fn tape_listing(&self) -> String {
        let deck = self.machine.deck();
        deck.tape()
            .and_then(|tape| tape.extract(deck.recording()))
            .map_or(String::new(), |recording| recording.to_listing())
    }

    /// Tape sound on at `sample_rate_hz` (0: off). Throws, in words, for a rate outside
    /// 8,000–384,000 Hz.
    pub fn set_tape_audio_rate(&mut self, sample_rate_hz: u32) -> Result<(), JsError> {
        self.machine
            .deck_mut()
            .set_audio_rate(sample_rate_hz)
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// The tape sound produced since the last call (f32 samples, mono, at the audio rate).
    pub fn drain_tape_audio(&mut self) -> Vec<f32> {
        let mut samples = Vec::new();
        self.machine.drain_tape_audio(&mut samples);
        samples
    }
}

/// The serial header (src/devices/serial.rs): a terminal pane's byte stream.
#[wasm_bindgen]
impl Superboard {
    /// Connect a host to the serial header (`turbo`: bytes as fast as the CPU reads them).
    pub fn serial_connect(&mut self, turbo: bool) {
        self.machine.serial_connect(turbo);
    }

    /// Send bytes to the machine's ACIA receiver.
    pub fn serial_send(&mut self, bytes: &[u8]) {
        self.machine.serial_send(bytes);
    }

    /// What the ACIA transmitted since the last call.
    pub fn serial_take_output(&mut self) -> Vec<u8> {
        self.machine.serial_take_output()
    }

    /// Bytes sent that the receiver has not taken yet.
    pub fn serial_pending(&self) -> usize {
        self.machine.serial().pending()
    }
}

/// BASIC's program in memory (course pages: share links, Copy program, `programend`).
#[wasm_bindgen]
impl Superboard {
    /// The BASIC program in memory as text, exactly as LIST prints it (one line per program
    /// line, no screen wrap); "" when there is none. Throws when BASIC has not been started or
    /// the program is damaged, saying where.
    pub fn program_listing(&self) -> Result<String, JsError> {
        basic::listing(|addr| self.machine.peek(addr)).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Whether BASIC is taking commands rather than running a program line (CURLIN's high
    /// byte). Meaningful only once BASIC has been started.
    pub fn basic_direct_mode(&self) -> bool {
        basic::in_direct_mode(&|addr| self.machine.peek(addr))
    }

    /// [`Superboard::run_for`], looking at BASIC every [`PROGRAM_WATCH_CYCLES`] to notice a
    /// program finishing (see [`Superboard::take_program_end`]).
    pub fn run_for_watching_basic(&mut self, budget_cycles: f64) -> f64 {
        let mut left = if budget_cycles.is_finite() && budget_cycles > 0.0 {
            budget_cycles as u64
        } else {
            0
        };
        let mut ran = 0;
        while left > 0 && !self.debug.halted {
            let slice = self.run_debugged(left.min(PROGRAM_WATCH_CYCLES));
            let machine = &self.machine;
            self.program_ended |= self.program_watch.observe(&|addr| machine.peek(addr));
            ran += slice;
            left = left.saturating_sub(slice.max(1));
        }
        ran as f64
    }

    /// Whether a BASIC program has finished (back in direct mode) since the last call.
    pub fn take_program_end(&mut self) -> bool {
        std::mem::take(&mut self.program_ended)
    }
}

/// How often [`Superboard::run_for_watching_basic`] looks at BASIC, in cycles.
pub const PROGRAM_WATCH_CYCLES: u64 = 512;

impl Superboard {
    /// Every run of the page goes through the debugger: exactly `Machine::run_for` while
    /// nothing is set; nothing at all while it holds the machine after a stop
    /// (src/web_debug.rs). Returns the cycles run.
    fn run_debugged(&mut self, budget: u64) -> u64 {
        if self.debug.halted {
            return 0;
        }
        let run = self.debug.debugger.run(&mut self.machine, budget);
        if run.stop.is_some() {
            self.debug.halted = true;
        }
        run.outcome.cycles_run
    }

    fn with_set(ram: RamSize, roms: RomSet) -> Superboard {
        let debug = crate::web_debug::DebugSession::new(&roms);
        Superboard {
            machine: Machine::new(MachineConfig { ram, roms }),
            framebuffer_ptr: 0,
            debug,
            program_watch: basic::ProgramWatch::default(),
            program_ended: false,
        }
    }
}

fn sized<'a>(bytes: &'a [u8], expected: usize, part: &str) -> Result<&'a [u8], JsError> {
    if bytes.len() == expected {
        Ok(bytes)
    } else {
        Err(JsError::new(&format!(
            "{} bytes, expected {expected} for the {part}",
            bytes.len()
        )))
    }
}

/// The screen as Unicode text (docs/display.md).
#[wasm_bindgen]
impl Superboard {
    /// All 32 rows of the screen as Unicode text, joined by '\n': ASCII as itself, graphics
    /// codes as the nearest block, box-drawing or legacy-computing character. The page crops
    /// the view it shows, as it does with the framebuffer.
    pub fn screen_unicode(&self) -> String {
        self.machine.screen_unicode(ScreenView::Full)
    }
}

/// The Unicode character for each of the 256 screen codes, in code order (one string of 256
/// characters), for the page to map a selection of cells itself.
#[wasm_bindgen]
pub fn unicode_glyphs() -> String {
    crate::devices::video::UNICODE_GLYPHS.iter().collect()
}

/// Snapshots (src/snapshot.rs): the whole machine as bytes, for resume-after-reload, save
/// slots, files and rewind.
#[wasm_bindgen]
impl Superboard {
    /// The whole machine as a snapshot (a few KB more than its RAM). Changes nothing.
    pub fn save_state(&self) -> Vec<u8> {
        self.machine.save_state()
    }

    /// Restore a snapshot. RAM size and ROMs come from it (ROMs by SHA-1: this machine's own
    /// or the open ones); the tape-sound rate stays the page's. A bad snapshot throws an Error
    /// saying what is wrong, and the machine goes on untouched. After a load the next
    /// [`Superboard::render`] redraws the whole screen.
    pub fn load_state(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        self.machine
            .load_state(bytes)
            .map_err(|error| JsError::new(&error.to_string()))?;
        self.framebuffer_ptr = 0;
        Ok(())
    }

    /// Whether the deck plays in turbo (restored by a snapshot along with the tape).
    pub fn tape_turbo(&self) -> bool {
        self.machine.deck().turbo()
    }

    /// Installed RAM in KB (4, 8 or 32).
    pub fn ram_kb(&self) -> u32 {
        (self.machine.board.ram_bytes() / 1024) as u32
    }
}

/// A character left out of typed text because the Superboard keyboard has no key for it.
#[derive(Clone, Debug)]
#[wasm_bindgen(getter_with_clone)]
pub struct SkippedChar {
    /// The character.
    pub character: String,
    /// Its position in the text, in characters (Unicode code points) from 0.
    pub position: u32,
}

/// Typing that skips what it cannot make, and the live key matrix for the on-screen keyboard.
#[wasm_bindgen]
impl Superboard {
    /// Queue every character of `text` the keyboard can make; returns the characters left out
    /// (empty when everything will be typed).
    pub fn type_text_lossy(&mut self, text: &str) -> Vec<SkippedChar> {
        self.machine
            .type_text_lossy(text)
            .into_iter()
            .map(|skipped| SkippedChar {
                character: skipped.character.to_string(),
                position: skipped.position as u32,
            })
            .collect()
    }

    /// The keys down as the matrix sees them: 8 bytes, one per row, a bit set per column a key
    /// pulls low (page and typist keys, SHIFT LOCK while locked).
    pub fn key_matrix(&self) -> Vec<u8> {
        self.machine.board.keyboard.matrix().to_vec()
    }

    /// Per key, how many times it has gone down in the matrix: 64 counts, index row × 8 +
    /// column (kept across snapshot restores, from 0 after a power cycle). The page lights a key
    /// whose count moved since its last frame, so a key pressed and let go within one frame
    /// (the typist's are, when frames are slow) still shows.
    pub fn key_presses(&self) -> Vec<u32> {
        self.machine.board.keyboard.presses().to_vec()
    }

    /// The rows the keyboard's row latch selects now (bit n = row n): what the ROM is scanning.
    pub fn keyboard_selected_rows(&self) -> u8 {
        self.machine.board.keyboard.selected_rows()
    }

    /// For each of the 8 rows, how many column reads have selected it since power-on (the page
    /// takes differences per frame to show which rows the ROM reads and how often).
    pub fn keyboard_row_reads(&self) -> Vec<f64> {
        (0..8)
            .map(|row| self.machine.board.keyboard.row_reads(row) as f64)
            .collect()
    }
}

/// One recording on the inserted tape, for the page's list.
#[derive(Clone, Debug)]
#[wasm_bindgen(getter_with_clone)]
pub struct RecordingInfo {
    /// Its name (the program's first REM, the file's name, or "recording N").
    pub name: String,
    /// Index of its first byte on the tape.
    pub start: u32,
    /// Bytes in it.
    pub bytes: u32,
    /// Tape time at which it starts (its first byte's frame), in seconds.
    pub start_s: f64,
}

/// Tapes of several recordings (one per SAVE): list them, wind to one.
#[wasm_bindgen]
impl Superboard {
    /// The recordings on the inserted tape, in tape order (empty without a tape).
    pub fn tape_recordings(&self) -> Vec<RecordingInfo> {
        let Some(tape) = self.machine.deck().tape() else {
            return Vec::new();
        };
        tape.recordings()
            .iter()
            .map(|r| RecordingInfo {
                name: r.name.clone(),
                start: r.start as u32,
                bytes: r.len as u32,
                start_s: if r.start == 0 {
                    0.0
                } else {
                    tape.time_of_s(r.start - 1)
                },
            })
            .collect()
    }

    /// The recording under the head (0-based).
    pub fn tape_recording(&self) -> u32 {
        self.machine.deck().recording() as u32
    }

    /// Stop and wind to the start of recording `index` (0-based). Throws if there is none.
    pub fn wind_tape(&mut self, index: u32) -> Result<(), JsError> {
        if self.machine.wind_tape(index as usize) {
            Ok(())
        } else {
            Err(JsError::new(&format!(
                "the tape has no recording {}",
                index + 1
            )))
        }
    }
}

/// Line-in decoded live (src/kcs/decode/live.rs): the page pushes the samples as they arrive
/// and moves the decoded bytes onto a growing tape in the deck
/// ([`Superboard::feed_live_tape`]), so a machine in LOAD receives them in real time.
#[wasm_bindgen]
pub struct LiveTapeDecoder {
    inner: LiveDecoder,
}

#[wasm_bindgen]
impl LiveTapeDecoder {
    /// A decoder for mono audio at `sample_rate` Hz (8,000 to 192,000) at `baud` (300, 600 or
    /// 1200; 0 detects it). Throws in words for anything else.
    #[wasm_bindgen(constructor)]
    pub fn new(sample_rate: u32, baud: u32) -> Result<LiveTapeDecoder, JsError> {
        let baud = match baud {
            0 => None,
            b => Some(Baud::from_bits_per_s(b).ok_or_else(|| {
                JsError::new(&format!("{b} baud: use 300, 600 or 1200 (0 detects it)"))
            })?),
        };
        let inner =
            LiveDecoder::new(sample_rate, baud).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(LiveTapeDecoder { inner })
    }

    /// Feeds mono samples (full scale ±1.0), any number at a time.
    pub fn push(&mut self, samples: &[f32]) {
        self.inner.push(samples);
    }

    /// The baud rate, 0 until the signal shows it.
    pub fn baud(&self) -> u32 {
        self.inner.baud().map_or(0, Baud::bits_per_s)
    }

    /// Bytes decoded so far.
    pub fn bytes(&self) -> u32 {
        self.inner.bytes().len() as u32
    }

    /// Damaged characters so far.
    pub fn errors(&self) -> u32 {
        self.inner.errors().len() as u32
    }

    /// Seconds of audio pushed.
    pub fn duration_s(&self) -> f64 {
        self.inner.duration_s()
    }
}

/// The growing tape of a live line-in recording.
#[wasm_bindgen]
impl Superboard {
    /// Inserts an empty tape called `name` that grows as [`Superboard::feed_live_tape`] adds
    /// to it; it plays by itself into a machine in LOAD.
    pub fn insert_live_tape(&mut self, name: &str) {
        self.machine.insert_tape(Tape::growing(name));
    }

    /// Moves the bytes `decoder` found since the last call onto the growing tape and returns
    /// them. Throws (taking nothing) when the deck no longer holds the growing tape.
    pub fn feed_live_tape(&mut self, decoder: &mut LiveTapeDecoder) -> Result<Vec<u8>, JsError> {
        if !self.live_tape_inserted() {
            return Err(not_live());
        }
        let LiveBytes { bytes, end_s } = decoder.inner.take();
        self.machine.extend_tape(&bytes, &end_s);
        Ok(bytes)
    }

    /// The end of the recording: the decoder finishes, its last bytes join the tape, which
    /// becomes an ordinary recording with the decoder's report. Throws in words when no byte
    /// was found (and ejects the empty tape) or the deck no longer holds the growing tape.
    pub fn finish_live_tape(&mut self, decoder: &mut LiveTapeDecoder) -> Result<TapeInfo, JsError> {
        if !self.live_tape_inserted() {
            return Err(not_live());
        }
        decoder.inner.finish();
        let LiveBytes { bytes, end_s } = decoder.inner.take();
        self.machine.extend_tape(&bytes, &end_s);
        let decoded = decoder.inner.decoded();
        if decoded.bytes.is_empty() {
            self.machine.eject_tape();
            return Err(JsError::new(&format!(
                "line-in: no tape signal: {:.1} s of audio without Kansas City Standard tones",
                decoded.report.duration_s
            )));
        }
        self.machine.finish_growing_tape(Some(decoded.report));
        self.tape_info().ok_or_else(not_live)
    }

    /// Whether the deck holds a growing (live) tape.
    pub fn live_tape_inserted(&self) -> bool {
        self.machine.deck().tape().is_some_and(Tape::is_growing)
    }
}

fn not_live() -> JsError {
    JsError::new("the deck no longer holds the line-in recording (another tape was inserted)")
}
