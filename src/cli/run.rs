//! `superboard run`: boot a Superboard II, headless or in the terminal.
//!
//! Headless (any `--type`, `--until`, `--until-prompt` or `--serial`, or when stdout is not a
//! terminal): boots, types the `--type` texts one after another, and runs until a stop
//! condition holds, then prints the screen as text:
//!
//! - `--until TEXT`: TEXT appears in what BASIC prints *after the last `--type` text has been
//!   typed* (the output stream at the monitor's $FFEE entry, src/console.rs — so a program
//!   whose own listing contains TEXT, echoed while it was typed or loaded, does not stop the run
//!   before RUN). Without `--type` it matches anywhere on the screen (the monitor's prompt, for
//!   instance, is not printed through $FFEE).
//! - `--until-screen TEXT`: TEXT appears anywhere on the 32×32 screen (the monitor, machine
//!   code that writes the screen directly).
//! - `--until-prompt`: BASIC is back at its `OK` prompt after the last `--type` text.
//! - none of these: everything is typed, the tape is still and nothing is being recorded, and
//!   then `--settle` emulated seconds more (default 1) pass for the machine to act on the last
//!   key.
//!
//! **Exit status**: 0 the stop condition held; 1 an error (a file, ROMs, the serial link);
//! 2 bad options; 3 the time limit (`--max-seconds`) passed first; 4 the CPU jammed (a JAM
//! opcode halted it: the run ends at once and says where — the screen is still printed).
//!
//! **Time limit**: `--max-seconds` of emulated time. The default is 60 s plus the time the
//! `--tape` takes to play (its full length in real time; a tenth of it with `--turbo-tape`,
//! which BASIC reads far faster), at most [`MAX_DEFAULT_SECONDS`]; pass `--max-seconds` for
//! longer runs.
//!
//! **Sequencing**: each `--type` text starts only when the previous one has been typed, no
//! tape is playing (a `--tape` that a LOAD started has been read to its end) and the machine
//! has been quiet like that for 0.1 s. So `--type 'LOAD\n' --type ' \nRUN\n'` loads the whole
//! tape, then presses SPACE (which ends LOAD mode, docs/hardware.md §5) and RUNs.
//!
//! **Recording**: with `--record`, the file is written when the run ends; if the ROM is in the
//! middle of saving a line then, the run goes on until that line is on tape (its closing LF),
//! at most 4 emulated seconds more.
//!
//! **Snapshots**: `--state-in FILE` starts from a saved machine instead of powering on (RAM size
//! and ROM identity come from the file); `--state-out FILE` saves the machine when the run ends,
//! after the recording is finished — so scripts and autograders can start from a prepared
//! machine and chain runs.
//!
//! Interactive (a TTY and none of the options above): see [`super::terminal`].

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use superboard::board::RamSize;
use superboard::devices::tape::DeckState;
use superboard::devices::video::ScreenView;
use superboard::machine::{
    Machine, MachineConfig, CPU_CLOCK_HZ, CYCLES_PER_FRAME, FRAMES_PER_SECOND,
};
use superboard::roms::{RomFiles, RomSet};
use superboard::typist::{TypeError, Typist};

/// Exit status when the stop condition did not hold in time (or typing did not finish).
pub const EXIT_TIMEOUT: i32 = 3;
/// Exit status when the CPU jammed.
pub const EXIT_JAM: i32 = 4;
/// `--max-seconds` when not given, before a tape's playing time is added.
const DEFAULT_MAX_SECONDS: f64 = 60.0;
/// The default `--max-seconds` never exceeds this (15 emulated minutes), however long the tape.
pub const MAX_DEFAULT_SECONDS: f64 = 900.0;
/// A turbo tape is read about this many times faster than it plays in real time (BASIC stores
/// a line in well under the 0.4 s a 12-character line takes at 300 baud).
const TURBO_SPEEDUP: f64 = 10.0;

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

/// The ROM options `run` and `mon` share.
#[derive(Args, Debug)]
pub struct RomArgs {
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
}

impl RomArgs {
    /// The ROM files these options name, for the core's loader.
    pub fn files(&self) -> RomFiles {
        RomFiles {
            dir: self.roms.clone(),
            basic: self.basic.clone(),
            monitor: self.monitor.clone(),
            chargen: self.chargen.clone(),
        }
    }
}

/// Options of `superboard run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    pub rom: RomArgs,
    /// Installed RAM: 4K, 8K or 32K.
    #[arg(long, value_name = "SIZE", default_value = "8K", value_parser = parse_ram,
          conflicts_with = "state_in")]
    pub ram: RamSize,
    /// Start from this snapshot (from --state-out or the page's "Download state") instead of
    /// powering on: RAM size, memory, registers, keyboard, typing and tape as they were. Its
    /// ROMs must be the open ones or given with --roms/--basic/--monitor/--chargen.
    #[arg(long, value_name = "FILE")]
    pub state_in: Option<PathBuf>,
    /// Save the whole machine to this snapshot file when the run ends (also after a timeout
    /// and when the terminal session is left).
    #[arg(long, value_name = "FILE")]
    pub state_out: Option<PathBuf>,
    /// Text to type (repeatable). A newline, `\r` or `\n` means RETURN. Each text starts only
    /// when the previous one is typed and no tape is playing (a LOAD has read the whole tape),
    /// so `--type 'LOAD\n' --type ' \nRUN\n'` loads, ends LOAD with SPACE, then runs.
    #[arg(long = "type", value_name = "TEXT")]
    pub type_text: Vec<String>,
    /// Stop (exit 0) as soon as BASIC prints this text after the last --type text has been
    /// typed (without --type: as soon as it is anywhere on the screen).
    #[arg(long, value_name = "TEXT")]
    pub until: Option<String>,
    /// Stop (exit 0) as soon as this text is anywhere on the screen (for the monitor and
    /// machine code, which write the screen directly).
    #[arg(long, value_name = "TEXT")]
    pub until_screen: Option<String>,
    /// Stop (exit 0) when BASIC is back at its OK prompt after the last --type text.
    #[arg(long)]
    pub until_prompt: bool,
    /// Without a stop condition: emulated seconds to run on after everything is typed and the
    /// tape is still.
    #[arg(long, value_name = "S", default_value_t = 1.0)]
    pub settle: f64,
    /// Give up after this many emulated seconds (exit 3). Default: 60 plus the --tape's
    /// playing time (a tenth of it with --turbo-tape), at most 900.
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
    /// Connect the ACIA's serial header: tcp:HOST:PORT (listen there, one client at a time)
    /// or stdio. BASIC uses the line once POKE 517,1:POKE 515,128 set the SAVE and LOAD flags.
    #[arg(long, value_name = "LINK", value_parser = super::serial::parse_serial, conflicts_with = "tape")]
    pub serial: Option<super::serial::SerialSpec>,
    /// The serial line delivers bytes as fast as the CPU reads them (not at 300 baud) and the
    /// machine runs flat out while the line is busy.
    #[arg(long, requires = "serial")]
    pub serial_turbo: bool,
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

/// Builds the machine the options describe (from `--state-in` if given); prints where non-open
/// ROMs came from.
pub fn build_machine(args: &RunArgs) -> Result<Machine, String> {
    let files = args.rom.files();
    let roms = load_roms(&files)?;
    match &args.state_in {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let open = RomSet::open();
            Machine::from_state(&bytes, &[&roms, &open])
                .map_err(|e| format!("{}: {e}", path.display()))
        }
        None => Ok(Machine::new(MachineConfig {
            ram: args.ram,
            roms,
        })),
    }
}

/// A machine with `ram` and the ROMs in `files` (open ones for anything not given).
pub fn machine_with(files: &RomFiles, ram: RamSize) -> Result<Machine, String> {
    Ok(Machine::new(MachineConfig {
        ram,
        roms: load_roms(files)?,
    }))
}

/// The ROMs in `files`, open ones for anything not given; prints where non-open ones came from.
fn load_roms(files: &RomFiles) -> Result<RomSet, String> {
    let (roms, report) = RomSet::load(files, RomSet::open()).map_err(|e| e.to_string())?;
    if files.dir.is_some()
        || !files.basic.is_empty()
        || files.monitor.is_some()
        || files.chargen.is_some()
    {
        eprintln!("ROMs: {report}");
        for ignored in &report.ignored {
            eprintln!("ROMs: ignored {ignored}");
        }
    }
    Ok(roms)
}

/// Writes the `--state-out` snapshot, if one was asked for.
fn save_state(machine: &Machine, args: &RunArgs) -> Result<(), String> {
    match &args.state_out {
        Some(path) => std::fs::write(path, machine.save_state())
            .map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => Ok(()),
    }
}

/// Runs the subcommand; returns the exit status.
pub fn run(args: RunArgs) -> i32 {
    if args.max_seconds.is_some_and(|s| !s.is_finite() || s < 0.0) {
        eprintln!("error: --max-seconds must be a non-negative number of seconds");
        return 2;
    }
    if !args.settle.is_finite() || args.settle < 0.0 {
        eprintln!("error: --settle must be a non-negative number of seconds");
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
        && args.serial.is_none()
        && args.until.is_none()
        && args.until_screen.is_none()
        && !args.until_prompt
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
    if let Err(message) = save_state(&machine, &args) {
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
                // The mark moves on with every text, so it ends after the last one.
                machine.type_and_mark(&text)?;
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

/// The default time limit: see the module notes.
fn default_max_seconds(machine: &Machine, turbo_tape: bool) -> f64 {
    let tape_s = machine.deck().tape().map_or(0.0, |tape| tape.duration_s());
    let tape_s = if turbo_tape {
        tape_s / TURBO_SPEEDUP
    } else {
        tape_s
    };
    (DEFAULT_MAX_SECONDS + tape_s).min(MAX_DEFAULT_SECONDS)
}

/// Cycles for the screen driver to finish the character being printed (it takes a few hundred
/// per character, a scroll a few thousand).
const SCREEN_CATCH_UP_CYCLES: u64 = 8_000;

/// What ends a headless run successfully.
enum Stop<'a> {
    /// BASIC printed this after the mark.
    Printed(&'a str),
    /// The text is on the screen.
    OnScreen(&'a str),
    /// BASIC is back at its prompt after the mark.
    Prompt,
    /// Everything typed, then `frames` quiet frames.
    Settled { frames: u64 },
}

impl Stop<'_> {
    fn from_args(args: &RunArgs) -> Stop<'_> {
        if let Some(text) = &args.until {
            if args.type_text.is_empty() {
                Stop::OnScreen(text)
            } else {
                Stop::Printed(text)
            }
        } else if let Some(text) = &args.until_screen {
            Stop::OnScreen(text)
        } else if args.until_prompt {
            Stop::Prompt
        } else {
            Stop::Settled {
                frames: (args.settle * FRAMES_PER_SECOND as f64).round() as u64,
            }
        }
    }

    /// Whether the condition holds; `idle_frames` counts frames with nothing left to do.
    fn holds(&self, machine: &Machine, sequencer: &Sequencer, idle_frames: u64) -> bool {
        let typed = sequencer.texts.is_empty();
        let console = machine.console();
        match self {
            Stop::Printed(text) => {
                typed
                    && console.is_some_and(|c| {
                        superboard::console::to_text(c.since_mark()).contains(text)
                    })
            }
            Stop::OnScreen(text) => machine.screen_text(ScreenView::Full).contains(text),
            Stop::Prompt => typed && console.is_some_and(|c| c.at_prompt()),
            Stop::Settled { frames } => idle_frames >= *frames,
        }
    }

    fn describe(&self) -> String {
        match self {
            Stop::Printed(text) => format!("{text:?} was not printed"),
            Stop::OnScreen(text) => format!("{text:?} did not appear"),
            Stop::Prompt => "BASIC did not return to its prompt".into(),
            Stop::Settled { .. } => "typing not finished".into(),
        }
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
    machine.capture_console(true, superboard::console::DEFAULT_OUTPUT_LIMIT);
    let mut serial = match &args.serial {
        Some(spec) => match super::serial::SerialHost::open(spec, machine, args.serial_turbo) {
            Ok(host) => Some(host),
            Err(message) => {
                eprintln!("error: {message}");
                return 1;
            }
        },
        None => None,
    };
    let mut sequencer = Sequencer::new(texts);
    if let Err(error) = sequencer.start_next(machine) {
        eprintln!("error: --type: {error}");
        return 2;
    }
    // A serial server runs until it is stopped, unless given a limit.
    let max_seconds = match (args.max_seconds, &serial) {
        (Some(seconds), _) => seconds,
        (None, Some(_)) => f64::INFINITY,
        (None, None) => default_max_seconds(machine, args.tape.turbo_tape),
    };
    let max_frames = (max_seconds * FRAMES_PER_SECOND as f64).ceil() as u64;
    let stop = Stop::from_args(args);
    let mut frames = 0u64;
    let mut idle_frames = 0u64;
    let status = loop {
        let settled = match (&serial, &stop) {
            // On a serial line, "settled" also needs standard input closed and the line quiet.
            (Some(host), Stop::Settled { frames }) => {
                sequencer.done(machine) && host.finished(machine, *frames)
            }
            _ => stop.holds(machine, &sequencer, idle_frames),
        };
        if settled {
            if let Stop::Printed(_) = stop {
                // The text was seen entering the output routine; let the screen driver draw
                // its last character before the screen is printed.
                machine.run_for(SCREEN_CATCH_UP_CYCLES);
            }
            break 0;
        }
        if let Some(address) = machine.jam_address() {
            eprintln!(
                "jam: the CPU halted on the JAM opcode ${:02X} at ${address:04X} after {:.2} \
                 emulated seconds (only BREAK recovers it)",
                machine.peek(address),
                machine.cycles() as f64 / CPU_CLOCK_HZ as f64
            );
            break EXIT_JAM;
        }
        if frames >= max_frames {
            let waiting = sequencer
                .waiting_for(machine)
                .map_or(String::new(), |wait| {
                    format!(" (still waiting for {})", wait.describe())
                });
            eprintln!(
                "timeout: {} within {max_seconds} emulated seconds{waiting}",
                stop.describe()
            );
            break EXIT_TIMEOUT;
        }
        match serial.as_mut() {
            Some(host) => {
                if let Err(message) = host.frame(machine) {
                    eprintln!("error: {message}");
                    break 1;
                }
            }
            None => {
                machine.run_for(CYCLES_PER_FRAME);
            }
        }
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
    if serial.as_ref().is_some_and(|host| host.owns_stdout()) {
        // Standard output is the serial line: no screen after it.
        return status;
    }
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
/// monitor's NULs, then BASIC's LF; docs/hardware.md §5).
fn last_byte_ends_line(machine: &Machine) -> bool {
    machine.deck().last_recorded_byte() == Some(b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;
    use superboard::devices::tape::Tape;

    #[test]
    fn the_default_time_limit_grows_with_the_tape_but_stays_capped() {
        let mut machine = Machine::new(MachineConfig::default());
        assert_eq!(default_max_seconds(&machine, false), DEFAULT_MAX_SECONDS);
        let line = "10 REM THIS LINE IS PADDING TO MAKE A VERY LONG TAPE OF NOTHING\n";
        let short = Tape::from_listing("short.bas", line.repeat(40).as_bytes()).unwrap();
        let short_s = short.duration_s();
        machine.insert_tape(short);
        let limit = default_max_seconds(&machine, false);
        assert!(
            (limit - (DEFAULT_MAX_SECONDS + short_s)).abs() < 1e-9,
            "{limit}"
        );
        let turbo = default_max_seconds(&machine, true);
        assert!(turbo > DEFAULT_MAX_SECONDS && turbo < limit, "{turbo}");
        // About 1 MB of listing: some 10 hours at 300 baud (10 MB would be 107 hours).
        let huge = Tape::from_listing("huge.bas", line.repeat(16_000).as_bytes()).unwrap();
        assert!(huge.duration_s() > 10.0 * 3600.0);
        machine.insert_tape(huge);
        assert_eq!(default_max_seconds(&machine, false), MAX_DEFAULT_SECONDS);
        assert_eq!(default_max_seconds(&machine, true), MAX_DEFAULT_SECONDS);
    }
}
