//! `superboard run`: boot a Superboard II, headless or in the terminal.
//!
//! Headless (any `--type` or `--until`, or when stdout is not a terminal): boots, types the
//! `--type` texts one after another, and runs until `--until` text appears anywhere on the
//! 32×32 screen (exit 0) or `--max-seconds` of emulated time pass (exit 3); then prints the
//! screen as text. Without `--until` it runs until everything is typed, the tape is still and
//! nothing is being recorded, plus a settle time.
//!
//! **Sequencing**: each `--type` text starts only when the previous one has been typed, no
//! tape is playing (a `--tape` that a LOAD started has been read to its end) and the machine
//! has been quiet like that for 0.1 s. So `--type 'LOAD\n' --type ' \nRUN\n'` loads the whole
//! tape, then presses SPACE (which ends LOAD mode, hardware.md §5) and RUNs.
//!
//! **Recording**: with `--record`, the file is written when the run ends; if the ROM is in the
//! middle of saving a line then, the run goes on until that line is on tape (its closing LF),
//! at most 4 emulated seconds more.
//!
//! Interactive (a TTY and neither option): see [`super::terminal`].

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use superboard::board::RamSize;
use superboard::devices::tape::DeckState;
use superboard::devices::video::ScreenView;
use superboard::machine::{Machine, MachineConfig, CYCLES_PER_FRAME, FRAMES_PER_SECOND};
use superboard::roms::{RomFiles, RomSet};
use superboard::typist::{TypeError, Typist};

/// Exit status when `--until` text did not appear in time (or typing did not finish).
pub const EXIT_TIMEOUT: i32 = 3;
/// `--max-seconds` when not given, before a real-time tape's length is added.
const DEFAULT_MAX_SECONDS: f64 = 60.0;
/// Emulated seconds to keep running after the typing is done, without `--until`.
const SETTLE_SECONDS: f64 = 1.0;

/// Which part of the screen to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ScreenArg {
    /// All 32 × 32 cells.
    Full,
    /// The firmware's 24 × 24 text area.
    Window,
}

impl From<ScreenArg> for ScreenView {
    fn from(arg: ScreenArg) -> ScreenView {
        match arg {
            ScreenArg::Full => ScreenView::Full,
            ScreenArg::Window => ScreenView::Window,
        }
    }
}

/// Options of `superboard run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// Directory of ROM images, recognised by size and SHA-1 (anything missing: open ROMs).
    #[arg(long, value_name = "DIR")]
    pub roms: Option<PathBuf>,
    /// BASIC ROM: one 8 KB image, or give --basic four times for the 2 KB chips U9..U12.
    #[arg(long, value_name = "FILE")]
    pub basic: Vec<PathBuf>,
    /// Monitor ROM (2 KB).
    #[arg(long, value_name = "FILE")]
    pub monitor: Option<PathBuf>,
    /// Character generator ROM (2 KB).
    #[arg(long, value_name = "FILE")]
    pub chargen: Option<PathBuf>,
    /// Installed RAM: 4K, 8K or 32K.
    #[arg(long, value_name = "SIZE", default_value = "8K", value_parser = parse_ram)]
    pub ram: RamSize,
    /// Text to type (repeatable). A newline, `\r` or `\n` means RETURN. Each text starts only
    /// when the previous one is typed and no tape is playing (a LOAD has read the whole tape),
    /// so `--type 'LOAD\n' --type ' \nRUN\n'` loads, ends LOAD with SPACE, then runs.
    #[arg(long = "type", value_name = "TEXT")]
    pub type_text: Vec<String>,
    /// Stop as soon as this text appears on the screen (exit 0).
    #[arg(long, value_name = "TEXT")]
    pub until: Option<String>,
    /// Give up after this many emulated seconds (exit 3). Default: 60, plus the length of a
    /// --tape that plays in real time (without --turbo-tape).
    #[arg(long, value_name = "S")]
    pub max_seconds: Option<f64>,
    /// Screen area to print or show.
    #[arg(long, value_enum, default_value = "window")]
    pub screen: ScreenArg,
    /// Show the graphics characters as their nearest Unicode characters (block elements, box
    /// drawing, legacy-computing symbols; table in docs/display.md) instead of '·'.
    #[arg(long)]
    pub unicode: bool,
    /// Cassette: --tape, --turbo-tape, --record.
    #[command(flatten)]
    pub tape: super::kcs::TapeArgs,
}

/// Parses "4K", "8K" or "32K" (case-insensitive, "KB" also accepted).
pub fn parse_ram(text: &str) -> Result<RamSize, String> {
    match text.trim().to_ascii_uppercase().trim_end_matches('B') {
        "4K" => Ok(RamSize::K4),
        "8K" => Ok(RamSize::K8),
        "32K" => Ok(RamSize::K32),
        _ => Err(format!("`{text}` is not a RAM size (4K, 8K or 32K)")),
    }
}

/// Turns the two-character escapes `\r` and `\n` into RETURN characters.
pub fn unescape_type_text(text: &str) -> String {
    text.replace("\\r", "\r").replace("\\n", "\n")
}

/// Builds the machine the options describe; prints where non-open ROMs came from.
pub fn build_machine(args: &RunArgs) -> Result<Machine, String> {
    let files = RomFiles {
        dir: args.roms.clone(),
        basic: args.basic.clone(),
        monitor: args.monitor.clone(),
        chargen: args.chargen.clone(),
    };
    let (roms, report) = RomSet::load(&files, RomSet::open()).map_err(|e| e.to_string())?;
    if args.roms.is_some()
        || !args.basic.is_empty()
        || args.monitor.is_some()
        || args.chargen.is_some()
    {
        eprintln!("ROMs: {report}");
    }
    Ok(Machine::new(MachineConfig {
        ram: args.ram,
        roms,
    }))
}

/// Runs the subcommand; returns the exit status.
pub fn run(args: RunArgs) -> i32 {
    if args.max_seconds.is_some_and(|s| !s.is_finite() || s < 0.0) {
        eprintln!("error: --max-seconds must be a non-negative number of seconds");
        return 2;
    }
    let mut machine = match build_machine(&args) {
        Ok(machine) => machine,
        Err(message) => {
            eprintln!("error: {message}");
            return 1;
        }
    };
    if let Err(message) = super::kcs::setup_tape(&mut machine, &args.tape) {
        eprintln!("error: {message}");
        return 1;
    }
    let interactive = args.type_text.is_empty()
        && args.until.is_none()
        && std::io::stdin().is_terminal()
        && std::io::stdout().is_terminal();
    let status = if interactive {
        match super::terminal::run(&mut machine, args.screen.into(), args.unicode) {
            Ok(()) => 0,
            Err(error) => {
                eprintln!("error: terminal: {error}");
                1
            }
        }
    } else {
        run_headless(&mut machine, &args)
    };
    if let Err(message) = super::kcs::finish_tape(&mut machine, &args.tape) {
        eprintln!("error: {message}");
        return 1;
    }
    status
}

/// What the headless run is waiting for before it types the next `--type` text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Wait {
    /// The typist is still pressing keys.
    Typing,
    /// The tape is playing (a LOAD or the 65V monitor's `L` is reading it).
    Tape,
    /// Typing and tape are done; the machine gets a moment to act on the last key.
    Quiet,
}

impl Wait {
    fn describe(self) -> &'static str {
        match self {
            Wait::Typing => "the typing",
            Wait::Tape => "the tape to finish playing",
            Wait::Quiet => "the machine to settle",
        }
    }
}

/// Feeds the `--type` texts to the typist one at a time: a text starts only when the previous
/// one has been typed, no tape is playing, and [`QUIET_FRAMES`] frames have passed like that.
/// The quiet time covers the gap between the last RETURN and what the ROM does with it (a
/// `LOAD` sets the load flag, and the armed tape starts at the end of that run), so "LOAD⏎"
/// followed by " ⏎RUN⏎" types the SPACE only after the whole tape has been read.
struct Sequencer {
    texts: std::collections::VecDeque<String>,
    quiet_frames: u64,
    /// The recording length at the last frame, to notice the ACIA sending (SAVE).
    recorded_len: usize,
}

/// Frames (0.1 s) the machine must be quiet before the next `--type` text starts.
const QUIET_FRAMES: u64 = 6;

impl Sequencer {
    fn new(texts: Vec<String>) -> Sequencer {
        Sequencer {
            texts: texts.into(),
            quiet_frames: QUIET_FRAMES,
            recorded_len: 0,
        }
    }

    /// What the machine is busy with now, if anything.
    fn busy(machine: &Machine) -> Option<Wait> {
        if machine.typing_pending() {
            Some(Wait::Typing)
        } else if super::kcs::tape_busy(machine) {
            Some(Wait::Tape)
        } else {
            None
        }
    }

    /// Call after every frame: queues the next text when the machine is quiet. Returns whether
    /// the ACIA recorded something during the frame.
    fn after_frame(&mut self, machine: &mut Machine) -> Result<bool, TypeError> {
        let recorded_len = if machine.deck().state() == DeckState::Recording {
            machine.deck().len()
        } else {
            self.recorded_len
        };
        let recorded = recorded_len != self.recorded_len;
        self.recorded_len = recorded_len;
        if Sequencer::busy(machine).is_some() {
            self.quiet_frames = 0;
        } else {
            self.quiet_frames += 1;
        }
        self.start_next(machine)?;
        Ok(recorded)
    }

    /// Queues the next text if the machine has been quiet long enough.
    fn start_next(&mut self, machine: &mut Machine) -> Result<(), TypeError> {
        if self.quiet_frames >= QUIET_FRAMES {
            if let Some(text) = self.texts.pop_front() {
                machine.type_text(&text)?;
                self.quiet_frames = 0;
            }
        }
        Ok(())
    }

    /// Whether every text has been queued and typed and the tape is still.
    fn done(&self, machine: &Machine) -> bool {
        self.texts.is_empty() && Sequencer::busy(machine).is_none()
    }

    /// What the run is still waiting for.
    fn waiting_for(&self, machine: &Machine) -> Option<Wait> {
        Sequencer::busy(machine).or((!self.texts.is_empty()).then_some(Wait::Quiet))
    }
}

fn run_headless(machine: &mut Machine, args: &RunArgs) -> i32 {
    let texts: Vec<String> = args
        .type_text
        .iter()
        .map(|text| unescape_type_text(text))
        .collect();
    // Check every text up front so a typo fails before anything runs.
    for (text, original) in texts.iter().zip(&args.type_text) {
        if let Err(error) = Typist::new().queue(text) {
            eprintln!("error: --type {original:?}: {error}");
            return 2;
        }
    }
    let mut sequencer = Sequencer::new(texts);
    if let Err(error) = sequencer.start_next(machine) {
        eprintln!("error: --type: {error}");
        return 2;
    }
    let max_seconds = args.max_seconds.unwrap_or_else(|| {
        let tape_s = match machine.deck().tape() {
            Some(tape) if !args.tape.turbo_tape => tape.duration_s(),
            _ => 0.0,
        };
        DEFAULT_MAX_SECONDS + tape_s
    });
    let max_frames = (max_seconds * FRAMES_PER_SECOND as f64).ceil() as u64;
    let settle_frames = (SETTLE_SECONDS * FRAMES_PER_SECOND as f64) as u64;
    let mut frames = 0u64;
    let mut idle_frames = 0u64;
    let status = loop {
        if let Some(until) = &args.until {
            if machine
                .screen_text(ScreenView::Full)
                .contains(until.as_str())
            {
                break 0;
            }
        } else if idle_frames >= settle_frames {
            break 0;
        }
        if frames >= max_frames {
            let waiting = sequencer
                .waiting_for(machine)
                .map_or(String::new(), |wait| {
                    format!(" (still waiting for {})", wait.describe())
                });
            match &args.until {
                Some(until) => eprintln!(
                    "timeout: {until:?} did not appear within {} emulated seconds{waiting}",
                    max_seconds
                ),
                None => eprintln!(
                    "timeout: typing not finished within {} emulated seconds{waiting}",
                    max_seconds
                ),
            }
            break EXIT_TIMEOUT;
        }
        machine.run_for(CYCLES_PER_FRAME);
        frames += 1;
        let recorded = match sequencer.after_frame(machine) {
            Ok(recorded) => recorded,
            Err(error) => {
                eprintln!("error: --type: {error}");
                break 2;
            }
        };
        if sequencer.done(machine) && !recorded {
            idle_frames += 1;
        } else {
            idle_frames = 0;
        }
    };
    finish_recording(machine);
    let mut out = std::io::stdout().lock();
    let screen = if args.unicode {
        machine.screen_unicode(args.screen.into())
    } else {
        machine.screen_text(args.screen.into())
    };
    for line in screen.lines() {
        // A closed pipe (e.g. `| head`) is not an error worth reporting.
        if writeln!(out, "{}", line.trim_end()).is_err() {
            break;
        }
    }
    status
}

/// Emulated time the ACIA may be silent before a recording counts as finished (about five
/// 300-baud characters; BASIC keeps the transmitter busy while it has output).
const RECORD_QUIET_FRAMES: u64 = 12;
/// The longest the run goes on after its end to finish a recorded line (a 71-character line
/// takes 2.6 s at 300 baud).
const RECORD_FINISH_MAX_FRAMES: u64 = 4 * FRAMES_PER_SECOND;

/// While recording, the run ends with the line being saved: bytes still in the ACIA reach the
/// tape, and a line the ROM is sending is completed up to its closing LF, unless the ACIA stays
/// silent (nothing more to send) or the line takes longer than [`RECORD_FINISH_MAX_FRAMES`].
fn finish_recording(machine: &mut Machine) {
    if machine.deck().state() != DeckState::Recording {
        return;
    }
    let mut quiet_frames = 0;
    let mut last_len = machine.deck().len();
    for _ in 0..RECORD_FINISH_MAX_FRAMES {
        if quiet_frames >= RECORD_QUIET_FRAMES || last_byte_ends_line(machine) {
            return;
        }
        machine.run_for(CYCLES_PER_FRAME);
        let len = machine.deck().len();
        if len == last_len {
            quiet_frames += 1;
        } else {
            quiet_frames = 0;
            last_len = len;
        }
    }
}

/// Whether the last byte recorded so far is the LF that closes a line on tape (text, CR, the
/// monitor's NULs, then BASIC's LF; hardware.md §5).
fn last_byte_ends_line(machine: &Machine) -> bool {
    machine.deck().last_recorded_byte() == Some(b'\n')
}
