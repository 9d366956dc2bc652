//! `superboard run`: boot a Superboard II, headless or in the terminal.
//!
//! Headless (any `--type` or `--until`, or when stdout is not a terminal): boots, types each
//! `--type` text in turn, and runs until `--until` text appears anywhere on the 32×32 screen
//! (exit 0) or `--max-seconds` of emulated time pass (exit 3); then prints the screen as text.
//! Without `--until` it runs until the typing is done plus a settle time. Interactive (a TTY and
//! neither option): see [`super::terminal`].

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use superboard::board::RamSize;
use superboard::devices::video::ScreenView;
use superboard::machine::{Machine, MachineConfig, CYCLES_PER_FRAME, FRAMES_PER_SECOND};
use superboard::roms::{RomFiles, RomSet};

/// Exit status when `--until` text did not appear in time (or typing did not finish).
pub const EXIT_TIMEOUT: i32 = 3;
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
    /// Text to type (repeatable). A newline, `\r` or `\n` means RETURN.
    #[arg(long = "type", value_name = "TEXT")]
    pub type_text: Vec<String>,
    /// Stop as soon as this text appears on the screen (exit 0).
    #[arg(long, value_name = "TEXT")]
    pub until: Option<String>,
    /// Give up after this many emulated seconds (exit 3).
    #[arg(long, value_name = "S", default_value_t = 60.0)]
    pub max_seconds: f64,
    /// Screen area to print or show.
    #[arg(long, value_enum, default_value = "window")]
    pub screen: ScreenArg,
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
    if !args.max_seconds.is_finite() || args.max_seconds < 0.0 {
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
    let interactive = args.type_text.is_empty()
        && args.until.is_none()
        && std::io::stdin().is_terminal()
        && std::io::stdout().is_terminal();
    if interactive {
        return match super::terminal::run(&mut machine, args.screen.into()) {
            Ok(()) => 0,
            Err(error) => {
                eprintln!("error: terminal: {error}");
                1
            }
        };
    }
    run_headless(&mut machine, &args)
}

fn run_headless(machine: &mut Machine, args: &RunArgs) -> i32 {
    for text in &args.type_text {
        if let Err(error) = machine.type_text(&unescape_type_text(text)) {
            eprintln!("error: --type {text:?}: {error}");
            return 2;
        }
    }
    let max_frames = (args.max_seconds * FRAMES_PER_SECOND as f64).ceil() as u64;
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
            match &args.until {
                Some(until) => eprintln!(
                    "timeout: {until:?} did not appear within {} emulated seconds",
                    args.max_seconds
                ),
                None => eprintln!(
                    "timeout: typing not finished within {} emulated seconds",
                    args.max_seconds
                ),
            }
            break EXIT_TIMEOUT;
        }
        machine.run_for(CYCLES_PER_FRAME);
        frames += 1;
        if machine.typing_pending() {
            idle_frames = 0;
        } else {
            idle_frames += 1;
        }
    };
    let mut out = std::io::stdout().lock();
    for line in machine.screen_text(args.screen.into()).lines() {
        // A closed pipe (e.g. `| head`) is not an error worth reporting.
        if writeln!(out, "{}", line.trim_end()).is_err() {
            break;
        }
    }
    status
}
