//! # Batch: run BASIC programs headless and report how each ended, for autograding
//!
//! A [`Job`] is one JSON object (one line of a JSONL file): a program (listing text, or a tape
//! file), text to type after RUN, RAM, ROMs, limits and stop conditions. [`run_job`] boots a
//! machine, loads the program from a turbo tape (LOAD, SPACE, RETURN — what a user does), types
//! RUN and the input, and runs until one of these ends it:
//!
//! | `end` | when |
//! |---|---|
//! | `finished` | BASIC is back at its `OK` prompt with no error, or a stop condition held (`stop` says which: `prompt`, `until`, `until_serial`) |
//! | `error` | BASIC is back at its prompt and the last line before it is an error message; `error` holds its code and line (`?SN ERROR IN 120` → `{"code": "SN", "line": 120}`) |
//! | `input` | the program waits for input that the job did not give (nothing left to type, BASIC quiet in its input routine, not at the prompt) |
//! | `time_limit` | `max_seconds` / `max_cycles` of emulated time after RUN passed first |
//! | `jam` | the CPU executed a JAM opcode (`jam_address` says where) |
//! | `invalid` | the job itself is wrong (bad JSON, an unknown field, a character the keyboard cannot type, a missing tape file); `message` says what |
//!
//! The result carries what the program printed after RUN (`output`: the stream at the
//! monitor's output entry, see src/console.rs — unwrapped, exactly what SAVE would send to the
//! ACIA without its NUL padding, BASIC's closing `OK` prompt removed), bytes the ACIA sent
//! (`serial`), the final screen (`screen`, the 24×24 window), emulated `cycles` and `seconds`
//! from RUN to the end, and `total_cycles` from power-on.
//!
//! **Deterministic**: nothing here reads the wall clock or depends on other jobs, so a job
//! gives the same result in any order, on any thread, on any machine. The booted machine is
//! cloned from a per-(RAM, ROMs) template, which is the same state a fresh boot reaches. The
//! only measured field, `wall_ms`, is added by the host around the job ([`run_lines`]).
//!
//! **Pacing of the checks**: the machine runs in slices of [`SLICE_CYCLES`], short enough that
//! BASIC's prompt is noticed before the typist (which needs three keyboard passes, about 5,600
//! cycles, per key) could type any input the program did not read; that leftover input is then
//! dropped (`input_left` counts it) instead of being typed as direct commands.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::board::RamSize;
use crate::console::{last_error, to_text};
use crate::devices::tape::{Tape, TapeKind};
use crate::devices::video::ScreenView;
use crate::machine::{Machine, MachineConfig, CPU_CLOCK_HZ};
use crate::roms::{RomFiles, RomSet};

/// Cycles run between checks of the stop conditions.
pub const SLICE_CYCLES: u64 = 2_048;
/// `max_seconds` when a job gives neither it nor `max_cycles`.
pub const DEFAULT_MAX_SECONDS: f64 = 10.0;
/// Default cap on the output kept per job, in bytes.
pub const DEFAULT_MAX_OUTPUT: usize = 64 * 1024;
/// The most the boot (C, MEMORY SIZE, TERMINAL WIDTH) may take, in emulated seconds.
const BOOT_SECONDS: f64 = 10.0;
/// Loading may take this long plus [`LOAD_SECONDS_PER_BYTE`] per listing byte.
const LOAD_BASE_SECONDS: f64 = 10.0;
/// Generous per-byte loading time: BASIC reads a turbo tape far faster than 300 baud.
const LOAD_SECONDS_PER_BYTE: f64 = 0.05;

/// One job: what to run and when to stop. Unknown fields are an error (a misspelt limit must
/// not silently fall back to the default).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Job {
    /// Any JSON value, copied to the result.
    pub id: Value,
    /// The program as listing text (lines separated by `\n`).
    pub program: Option<String>,
    /// Or a tape file: `.bas`/`.txt` listing or `.wav` recording; a relative path is taken
    /// from the jobs file's directory.
    pub tape: Option<String>,
    /// Text typed after RUN (`\n` is RETURN), e.g. the answers to INPUT.
    pub input: String,
    /// More text to type once something has been printed: `[{"after": "NAME", "text": "BO\n"}]`,
    /// in order, each after the previous one was typed.
    #[serde(rename = "type")]
    pub steps: Vec<TypeStep>,
    /// Whether to type RUN after loading (false: `input` is typed at the prompt as direct
    /// commands).
    pub run: Option<bool>,
    /// RAM in KB: 4, 8 (default) or 32.
    pub ram: Option<u32>,
    /// A directory of original ROM images (as `superboard run --roms`); default: the open ROMs.
    pub roms: Option<String>,
    /// Emulated seconds after RUN before the job ends with `time_limit` (default 10).
    pub max_seconds: Option<f64>,
    /// The same limit in CPU cycles (if both are given, the smaller wins).
    pub max_cycles: Option<u64>,
    /// End (`finished`, stop `until`) as soon as the program prints this text.
    pub until: Option<String>,
    /// End (`finished`, stop `until_serial`) as soon as the ACIA has sent this text.
    pub until_serial: Option<String>,
    /// Whether BASIC's prompt ends the job (default true).
    pub until_prompt: Option<bool>,
    /// Most output bytes kept (default 65,536); more sets `truncated`.
    pub max_output: Option<usize>,
}

/// Text to type once some text has been printed.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TypeStep {
    /// Printed text to wait for (after RUN, and after the previous step); empty: at once.
    #[serde(default)]
    pub after: String,
    /// What to type.
    pub text: String,
}

/// How a job ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum End {
    Finished,
    Error,
    Input,
    TimeLimit,
    Jam,
    Invalid,
}

/// Which stop condition ended a `finished` job.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stop {
    Prompt,
    Until,
    UntilSerial,
}

/// A BASIC error in a result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorInfo {
    /// The two-character code (`SN`, `/0`, `OM`, ...).
    pub code: String,
    /// The program line, or `null` for an error in direct mode.
    pub line: Option<u32>,
}

/// The result of one job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobResult {
    /// The job's `id` (`null` when the line could not be read).
    pub id: Value,
    /// The job's line number in the input, from 1.
    pub line: usize,
    pub end: End,
    /// The condition that ended a `finished` job.
    pub stop: Option<Stop>,
    /// The BASIC error for `end: "error"`.
    pub error: Option<ErrorInfo>,
    /// What is wrong with an `invalid` job, or why loading failed.
    pub message: Option<String>,
    /// What the program printed after RUN (CR LF as `\n`, NULs dropped).
    pub output: String,
    /// Whether `output` was cut at `max_output`.
    pub truncated: bool,
    /// What the ACIA sent after RUN.
    pub serial: String,
    /// The final screen, the 24×24 window, rows joined by `\n`, trailing spaces removed.
    pub screen: String,
    /// CPU cycles from RUN to the end.
    pub cycles: u64,
    /// The same in emulated seconds.
    pub seconds: f64,
    /// CPU cycles from power-on to the end.
    pub total_cycles: u64,
    /// Characters of `input`/`type` never typed (the program ended first).
    pub input_left: usize,
    /// Where the JAM opcode was, for `end: "jam"`.
    pub jam_address: Option<u16>,
    /// Wall-clock milliseconds the job took on the host (the one field that varies between
    /// runs; left out when the host does not measure it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wall_ms: Option<f64>,
}

impl JobResult {
    fn invalid(id: Value, line: usize, message: String) -> JobResult {
        JobResult {
            id,
            line,
            end: End::Invalid,
            stop: None,
            error: None,
            message: Some(message),
            output: String::new(),
            truncated: false,
            serial: String::new(),
            screen: String::new(),
            cycles: 0,
            seconds: 0.0,
            total_cycles: 0,
            input_left: 0,
            jam_address: None,
            wall_ms: None,
        }
    }
}

/// A boot template's key (RAM in KB, ROM directory) and the booted machine or why it failed.
type BootKey = (u32, Option<PathBuf>);
type BootCache = HashMap<BootKey, Result<Machine, String>>;

/// Booted machines shared by the jobs of a batch, one per (RAM, ROM directory): each job
/// starts from a clone.
#[derive(Default)]
pub struct Boots {
    machines: Mutex<BootCache>,
}

impl Boots {
    /// An empty cache.
    pub fn new() -> Boots {
        Boots::default()
    }

    fn get(&self, ram_kb: u32, roms: Option<PathBuf>) -> Result<Machine, String> {
        let key = (ram_kb, roms);
        if let Some(found) = self.lock().get(&key) {
            return found.clone();
        }
        // Boot outside the lock; two threads may boot the same template, with the same result.
        let booted = boot(key.0, key.1.as_deref());
        self.lock().entry(key).or_insert(booted.clone());
        booted
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BootCache> {
        // A poisoned cache only means another job panicked; the entries are still whole.
        self.machines
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn ram_size(kb: u32) -> Option<RamSize> {
    match kb {
        4 => Some(RamSize::K4),
        8 => Some(RamSize::K8),
        32 => Some(RamSize::K32),
        _ => None,
    }
}

fn seconds_to_cycles(seconds: f64) -> u64 {
    (seconds * CPU_CLOCK_HZ as f64).ceil() as u64
}

/// Runs the machine in slices until `done` holds or `budget` cycles pass; false on timeout.
fn run_until(machine: &mut Machine, budget: u64, done: impl Fn(&Machine) -> bool) -> bool {
    let start = machine.cycles();
    while !done(machine) {
        if machine.cycles() - start >= budget || machine.jam_address().is_some() {
            return false;
        }
        machine.run_for(SLICE_CYCLES);
    }
    true
}

/// Power on, C, RETURN to MEMORY SIZE and TERMINAL WIDTH, until BASIC's first prompt.
fn boot(ram_kb: u32, roms: Option<&Path>) -> Result<Machine, String> {
    let ram = ram_size(ram_kb).ok_or_else(|| format!("ram {ram_kb}: use 4, 8 or 32 (KB)"))?;
    let roms = match roms {
        None => RomSet::open(),
        Some(dir) => {
            let files = RomFiles {
                dir: Some(dir.to_path_buf()),
                ..RomFiles::default()
            };
            RomSet::load(&files, RomSet::open())
                .map_err(|e| e.to_string())?
                .0
        }
    };
    let mut machine = Machine::new(MachineConfig { ram, roms });
    machine.capture_console(true, DEFAULT_MAX_OUTPUT);
    machine.type_and_mark("C\r\r").map_err(|e| e.to_string())?;
    let booted = run_until(&mut machine, seconds_to_cycles(BOOT_SECONDS), |m| {
        !m.typing_pending() && m.console().is_some_and(|c| c.at_prompt())
    });
    if !booted {
        return Err("the machine did not boot to BASIC's prompt".into());
    }
    Ok(machine)
}

/// The program as a tape, from the job's text or file.
fn program_tape(job: &Job, base_dir: &Path) -> Result<Option<Tape>, String> {
    match (&job.program, &job.tape) {
        (Some(_), Some(_)) => Err("give either program or tape, not both".into()),
        (Some(text), None) => Tape::from_listing("program", text.as_bytes())
            .map(Some)
            .map_err(|e| format!("program: {e}")),
        (None, Some(path)) => {
            let full = base_dir.join(path);
            let bytes = std::fs::read(&full).map_err(|e| format!("tape {path}: {e}"))?;
            let tape = Tape::from_file(path, &bytes).map_err(|e| format!("tape {path}: {e}"))?;
            if tape.kind() == TapeKind::MachineCode {
                return Err(format!(
                    "tape {path}: a 65V machine-code tape; batch jobs run BASIC programs"
                ));
            }
            Ok(Some(tape))
        }
        (None, None) => Ok(None),
    }
}

/// Checks a job's fields before anything runs.
fn check(job: &Job) -> Result<(), String> {
    if let Some(s) = job.max_seconds {
        if !s.is_finite() || s < 0.0 {
            return Err(format!("max_seconds {s}: must be a non-negative number"));
        }
    }
    let mut probe = crate::typist::Typist::new();
    probe.queue(&job.input).map_err(|e| format!("input: {e}"))?;
    for (index, step) in job.steps.iter().enumerate() {
        probe
            .queue(&step.text)
            .map_err(|e| format!("type[{index}].text: {e}"))?;
    }
    Ok(())
}

/// Finds `needle` in `haystack[from..]`, returning the end of the match.
fn find_from(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() {
        return Some(from.min(haystack.len()));
    }
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|at| from + at + needle.len())
}

/// Runs one job to its end. `line` is its line number for the result; relative tape paths
/// are taken from `base_dir`. Deterministic: see the module notes.
pub fn run_job(job: &Job, line: usize, base_dir: &Path, boots: &Boots) -> JobResult {
    let id = job.id.clone();
    if let Err(message) = check(job) {
        return JobResult::invalid(id, line, message);
    }
    let tape = match program_tape(job, base_dir) {
        Ok(tape) => tape,
        Err(message) => return JobResult::invalid(id, line, message),
    };
    let roms = job.roms.as_ref().map(|dir| base_dir.join(dir));
    let mut machine = match boots.get(job.ram.unwrap_or(8), roms) {
        Ok(machine) => machine,
        Err(message) => return JobResult::invalid(id, line, message),
    };
    let max_output = job.max_output.unwrap_or(DEFAULT_MAX_OUTPUT);
    machine.capture_console(true, max_output);

    let mut result = JobResult::invalid(id, line, String::new());
    result.message = None;
    if let Some(tape) = tape {
        if let Err(message) = load(&mut machine, tape) {
            result.end = End::TimeLimit;
            result.message = Some(message);
            return finish(result, &machine, 0, 0);
        }
    }
    let run = job.run.unwrap_or(true);
    // Typable: checked above. The time limit starts once RUN's RETURN is down.
    let _ = machine.type_and_mark(if run { "RUN\r" } else { "" });
    let run_pressed = machine.board.typist.presses_when_done();
    if !run_until(&mut machine, seconds_to_cycles(BOOT_SECONDS), |m| {
        m.board.typist.presses() >= run_pressed
    }) {
        result.end = End::TimeLimit;
        result.message = Some("BASIC did not take the RUN command".into());
        return finish(result, &machine, 0, 0);
    }
    let _ = machine.type_text(&job.input);
    let start_cycle = machine.cycles();
    let tx_start = machine.board.tape.tx.len();
    let limit = match (job.max_seconds, job.max_cycles) {
        (None, None) => seconds_to_cycles(DEFAULT_MAX_SECONDS),
        (seconds, cycles) => seconds
            .map(seconds_to_cycles)
            .unwrap_or(u64::MAX)
            .min(cycles.unwrap_or(u64::MAX)),
    };
    let until_prompt = job.until_prompt.unwrap_or(true);
    let mut steps = job.steps.iter();
    let mut next_step = steps.next();
    let mut step_from = 0;
    loop {
        if let Some(address) = machine.jam_address() {
            result.end = End::Jam;
            result.jam_address = Some(address);
            break;
        }
        let console = machine.console().expect("captured");
        let printed = console.since_mark();
        if let Some(step) = next_step {
            if let Some(end) = find_from(printed, step.after.as_bytes(), step_from) {
                let _ = machine.type_text(&step.text);
                step_from = end;
                next_step = steps.next();
                continue;
            }
        }
        let console = machine.console().expect("captured");
        let printed = console.since_mark();
        if let Some(until) = &job.until {
            if find_from(printed, until.as_bytes(), 0).is_some() {
                result.end = End::Finished;
                result.stop = Some(Stop::Until);
                break;
            }
        }
        if let Some(until) = &job.until_serial {
            let sent: Vec<u8> = machine.board.tape.tx[tx_start.min(machine.board.tape.tx.len())..]
                .iter()
                .map(|b| b.byte)
                .collect();
            if find_from(&sent, until.as_bytes(), 0).is_some() {
                result.end = End::Finished;
                result.stop = Some(Stop::UntilSerial);
                break;
            }
        }
        if console.at_prompt() && (until_prompt || !run) {
            match last_error(printed) {
                Some(error) => {
                    result.end = End::Error;
                    result.error = Some(ErrorInfo {
                        code: error.code,
                        line: error.line,
                    });
                }
                None => {
                    result.end = End::Finished;
                    result.stop = Some(Stop::Prompt);
                }
            }
            break;
        }
        if next_step.is_none()
            && !machine.typing_pending()
            && console.waiting(machine.cycles())
            && !console.at_prompt()
        {
            result.end = End::Input;
            break;
        }
        if machine.cycles() - start_cycle >= limit {
            result.end = End::TimeLimit;
            break;
        }
        machine.run_for(
            SLICE_CYCLES
                .min(limit - (machine.cycles() - start_cycle))
                .max(1),
        );
    }
    let typist = &machine.board.typist;
    result.input_left = (typist.presses_when_done() - typist.presses()) as usize
        + next_step.map_or(0, |step| step.text.chars().count())
        + steps.map(|step| step.text.chars().count()).sum::<usize>();
    machine.cancel_typing();
    finish(result, &machine, start_cycle, tx_start)
}

/// LOAD from a turbo tape, then SPACE and RETURN once BASIC has read all of it.
fn load(machine: &mut Machine, tape: Tape) -> Result<(), String> {
    let budget = seconds_to_cycles(LOAD_BASE_SECONDS + LOAD_SECONDS_PER_BYTE * tape.len() as f64);
    machine.set_turbo_tape(true);
    machine.deck_mut().set_auto_play(true);
    machine.insert_tape(tape);
    let _ = machine.type_text("LOAD\r");
    let loaded = run_until(machine, budget, |m| {
        let deck = m.deck();
        !m.typing_pending()
            && deck.state() == crate::devices::tape::DeckState::Stopped
            && deck.position() >= deck.len()
            && m.console().is_some_and(|c| c.waiting(m.cycles()))
    });
    if !loaded {
        return Err("the program did not finish loading".into());
    }
    let _ = machine.type_and_mark(" \r");
    if !run_until(machine, seconds_to_cycles(BOOT_SECONDS), |m| {
        !m.typing_pending() && m.console().is_some_and(|c| c.waiting(m.cycles()))
    }) {
        return Err("BASIC did not leave load mode".into());
    }
    machine.eject_tape();
    Ok(())
}

/// Fills in what the machine shows at the end.
fn finish(
    mut result: JobResult,
    machine: &Machine,
    start_cycle: u64,
    tx_start: usize,
) -> JobResult {
    if let Some(console) = machine.console() {
        let mut text = to_text(console.since_mark());
        // The echo of RUN's RETURN comes first; BASIC's prompt (after an end at the prompt)
        // last.
        if let Some(rest) = text.strip_prefix('\n') {
            text = rest.to_string();
        }
        if result.stop == Some(Stop::Prompt) || result.end == End::Error {
            // BASIC ends a program's output with a blank line before OK (not after an error
            // message, which has a line of its own).
            if let Some(rest) = text.strip_suffix("OK\n") {
                text = rest
                    .strip_suffix("\n\n")
                    .map_or(rest, |r| &rest[..r.len() + 1])
                    .to_string();
            }
        }
        result.output = text;
        result.truncated = console.dropped() > 0;
    }
    let sent: Vec<u8> = machine.board.tape.tx[tx_start.min(machine.board.tape.tx.len())..]
        .iter()
        .map(|b| b.byte)
        .collect();
    result.serial = to_text(&sent);
    result.screen = machine
        .screen_text(ScreenView::Window)
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    result.total_cycles = machine.cycles();
    result.cycles = machine.cycles().saturating_sub(start_cycle);
    if start_cycle == 0 {
        result.cycles = 0;
    }
    result.seconds = result.cycles as f64 / CPU_CLOCK_HZ as f64;
    result
}

/// Parses and runs one JSONL line (line number `line`, from 1); a line that is not a job gives
/// an `invalid` result.
pub fn run_line(text: &str, line: usize, base_dir: &Path, boots: &Boots) -> JobResult {
    match serde_json::from_str::<Job>(text) {
        Ok(job) => run_job(&job, line, base_dir, boots),
        Err(error) => {
            // Keep the id if the line is an object that has one.
            let id = serde_json::from_str::<Value>(text)
                .ok()
                .and_then(|value| value.get("id").cloned())
                .unwrap_or(Value::Null);
            JobResult::invalid(id, line, format!("line {line}: {error}"))
        }
    }
}

/// Runs every non-blank line of a JSONL text on `threads` threads (0: all cores) and returns
/// the results in input order, each with `wall_ms` measured around its job.
#[cfg(not(target_arch = "wasm32"))]
pub fn run_lines(text: &str, base_dir: &Path, threads: usize) -> Result<Vec<JobResult>, String> {
    use rayon::prelude::*;
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| (index + 1, line))
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| format!("cannot start {threads} threads: {e}"))?;
    let boots = Boots::new();
    Ok(pool.install(|| {
        lines
            .par_iter()
            .map(|&(line, text)| {
                let started = std::time::Instant::now();
                let mut result = run_line(text, line, base_dir, &boots);
                result.wall_ms = Some(started.elapsed().as_secs_f64() * 1e3);
                result
            })
            .collect()
    }))
}
