//! Golden suite of BASIC programs and direct commands, run headless through the whole machine:
//! the open monitor and BASIC ROMs on the emulated 6502, with every character typed on the
//! emulated keyboard by the typist.
//!
//! The expected outputs were written from the language definition (Microsoft 6502 BASIC
//! 1.0 rev 3.2 as on the Superboard, docs/hardware.md §7), not copied from what our interpreter
//! prints.
//!
//! **Case files** live in tests/golden/basic_programs/ as `NNN_name.bas` + `NNN_name.out`
//! (cases under `pending/` are not run: they document interpreter bugs, see the team's bug
//! list). A `.bas` file is typed line by line:
//! - the leading lines that start with a digit are the program; they are typed before output
//!   capture starts, and their echo is checked to be exactly the lines typed;
//! - every following line is typed once BASIC waits for a line again (after `OK`, an INPUT
//!   prompt, a program line), so INPUT answers are simply the lines after `RUN`; an empty line
//!   is a bare RETURN;
//! - a line `!CTRL-C` holds CTRL and C down for a moment while the program runs (about 0.2 s
//!   after the previous line) instead of waiting for BASIC to ask for input.
//!
//! **Output capture**: the screen is only 24 columns wide and scrolls, so the suite compares
//! the output stream instead: the runner steps the CPU instruction by instruction and records A
//! each time the program counter reaches $FFEE (the monitor's output entry every BASIC
//! character goes through). CR LF becomes a newline, NULs (the NULL statement's padding) are
//! dropped, and other bytes outside $20–$7E are shown as `<$XX>`. The `.out` file is the
//! output from the first command line on, echo included.
//!
//! `UPDATE_GOLDEN=1` rewrites the `.out` files from the actual output; on a mismatch the actual
//! output goes to target/basic_programs/NAME.out and the test fails with a line diff.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use superboard::machine::{Key, Machine, MachineConfig};

/// The monitor's output entry (JMP ($021A)); BASIC prints every character through it.
const MON_OUTPUT: u16 = 0xFFEE;
/// The monitor's input entry (JMP ($0218)); BASIC reads every key through it.
const MON_INPUT: u16 = 0xFFEB;
/// BASIC counts as waiting for a line once it sits in the input routine with nothing printed
/// for this long (a keyboard poll pass is well under this).
const QUIET_CYCLES: u64 = 30_000;
/// Cycles run between checks of the stop conditions.
const SLICE_CYCLES: u64 = 2_000;
/// The most one command (or one program line) may take before BASIC asks for input again.
const WAIT_BUDGET_CYCLES: u64 = 40_000_000;
/// The most each step of the boot may take (the 8K memory probe is well under a million).
const BOOT_BUDGET_CYCLES: u64 = 5_000_000;
/// How long a program runs after its command line before `!CTRL-C` is typed.
const CTRL_C_DELAY_CYCLES: u64 = 200_000;
/// The case-file line that presses CTRL+C.
const CTRL_C_LINE: &str = "!CTRL-C";
/// How long CTRL and C are held down for `!CTRL-C` (several passes of the Ctrl-C check).
const CTRL_C_HOLD_CYCLES: u64 = 50_000;
/// Number of test functions the cases are spread over (the harness runs them in parallel).
const SHARDS: usize = 4;

/// A machine whose output stream is being recorded.
struct Session {
    machine: Machine,
    /// Every byte sent to $FFEE since the last `take_output`.
    output: Vec<u8>,
    /// BASIC entered $FFEB and has printed nothing since.
    in_input: bool,
    /// Cycle count at the last output byte.
    last_output_cycle: u64,
}

impl Session {
    /// Power on, press `C`, answer MEMORY SIZE and TERMINAL WIDTH with RETURN, wait for OK.
    fn boot() -> Result<Session, String> {
        let mut session = Session {
            machine: Machine::new(MachineConfig::default()),
            output: Vec::new(),
            in_input: false,
            last_output_cycle: 0,
        };
        session.type_text("C")?;
        session.run_until("MEMORY SIZE? ", BOOT_BUDGET_CYCLES, |s| {
            s.output.ends_with(b"MEMORY SIZE? ") && s.waiting()
        })?;
        session.type_text("\r")?;
        session.run_until("TERMINAL WIDTH? ", BOOT_BUDGET_CYCLES, |s| {
            s.output.ends_with(b"TERMINAL WIDTH? ") && s.waiting()
        })?;
        session.type_text("\r")?;
        session.wait_for_input()?;
        let banner = normalise(&session.take_output());
        if !banner.ends_with("\nOK\n") {
            return Err(format!("boot did not end with OK:\n{banner}"));
        }
        Ok(session)
    }

    fn type_text(&mut self, text: &str) -> Result<(), String> {
        self.machine
            .type_text(text)
            .map_err(|error| format!("cannot type {text:?}: {error}"))
    }

    /// Step whole instructions for about `cycles`, recording output.
    fn step_for(&mut self, cycles: u64) -> Result<(), String> {
        let end = self.machine.cycles() + cycles;
        while self.machine.cycles() < end {
            if self.machine.cpu.is_jammed() {
                return Err(format!(
                    "the CPU jammed at ${:04X}",
                    self.machine.cpu.pc.wrapping_sub(1)
                ));
            }
            match self.machine.cpu.pc {
                MON_OUTPUT => {
                    self.output.push(self.machine.cpu.a);
                    self.in_input = false;
                    self.last_output_cycle = self.machine.cycles();
                }
                MON_INPUT => self.in_input = true,
                _ => {}
            }
            self.machine.cpu.step(&mut self.machine.board);
        }
        self.machine.board.advance_devices();
        Ok(())
    }

    /// Nothing left to type, and BASIC has been sitting in its input routine quietly.
    fn waiting(&self) -> bool {
        !self.machine.typing_pending()
            && self.in_input
            && self.machine.cycles() - self.last_output_cycle >= QUIET_CYCLES
    }

    fn run_until(
        &mut self,
        what: &str,
        budget_cycles: u64,
        done: impl Fn(&Session) -> bool,
    ) -> Result<(), String> {
        let start = self.machine.cycles();
        while !done(self) {
            if self.machine.cycles() - start > budget_cycles {
                return Err(format!(
                    "{what}: not reached within {budget_cycles} cycles; output so far:\n{}",
                    normalise(&self.output)
                ));
            }
            self.step_for(SLICE_CYCLES)?;
        }
        Ok(())
    }

    fn wait_for_input(&mut self) -> Result<(), String> {
        self.run_until(
            "BASIC waiting for a line",
            WAIT_BUDGET_CYCLES,
            Session::waiting,
        )
    }

    fn take_output(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.output)
    }
}

/// CR LF → newline, NULs dropped, other bytes outside printable ASCII as `<$XX>`.
fn normalise(bytes: &[u8]) -> String {
    let mut text = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        match byte {
            0x00 => {}
            0x0D if bytes.get(i + 1) == Some(&0x0A) => {
                text.push('\n');
                i += 1;
            }
            0x20..=0x7E => text.push(byte as char),
            _ => {
                let _ = write!(text, "<${byte:02X}>");
            }
        }
        i += 1;
    }
    text
}

/// A program line: starts with a line number.
fn is_program_line(line: &str) -> bool {
    line.starts_with(|c: char| c.is_ascii_digit())
}

/// Type the case and return its normalised output from the first command line on.
fn run_case(source: &str) -> Result<String, String> {
    let mut session = Session::boot()?;
    let lines: Vec<&str> = source.lines().collect();
    let program_len = lines.iter().take_while(|l| is_program_line(l)).count();
    for line in &lines[..program_len] {
        session.type_text(&format!("{line}\r"))?;
        session.wait_for_input()?;
    }
    let echo = normalise(&session.take_output());
    let expected_echo: String = lines[..program_len]
        .iter()
        .map(|line| format!("{line}\n"))
        .collect();
    if echo != expected_echo {
        return Err(format!(
            "entering the program printed something else than its echo:\n{echo}"
        ));
    }
    let commands = &lines[program_len..];
    for (index, line) in commands.iter().enumerate() {
        if *line == CTRL_C_LINE {
            session.step_for(CTRL_C_DELAY_CYCLES)?;
            session.machine.key_down(Key::Ctrl);
            session.machine.key_down(Key::C);
            session.step_for(CTRL_C_HOLD_CYCLES)?;
            session.machine.key_up(Key::C);
            session.machine.key_up(Key::Ctrl);
        } else {
            session.type_text(&format!("{line}\r"))?;
        }
        if commands.get(index + 1) == Some(&CTRL_C_LINE) {
            // The program is meant to run until the break: just finish typing.
            session.run_until("typing the line", WAIT_BUDGET_CYCLES, |s| {
                !s.machine.typing_pending()
            })?;
        } else {
            session.wait_for_input()?;
        }
    }
    Ok(normalise(&session.take_output()))
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/basic_programs")
}

/// The case names (file stems), sorted.
fn case_names() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(golden_dir())
        .expect("tests/golden/basic_programs exists")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            (path.extension()? == "bas").then(|| path.file_stem()?.to_str().map(String::from))?
        })
        .collect();
    names.sort();
    names
}

/// Lines of both texts side by side where they differ.
fn line_diff(expected: &str, actual: &str) -> String {
    let expected: Vec<&str> = expected.split('\n').collect();
    let actual: Vec<&str> = actual.split('\n').collect();
    let mut diff = String::new();
    for i in 0..expected.len().max(actual.len()) {
        let (e, a) = (expected.get(i), actual.get(i));
        if e == a {
            let _ = writeln!(diff, "   {:3} |{}", i + 1, e.unwrap_or(&""));
        } else {
            if let Some(e) = e {
                let _ = writeln!(diff, "-  {:3} |{e}|", i + 1);
            }
            if let Some(a) = a {
                let _ = writeln!(diff, "+  {:3} |{a}|", i + 1);
            }
        }
    }
    diff
}

/// Run one case against its golden output; `Err` describes the failure.
fn check_case(name: &str) -> Result<(), String> {
    let dir = golden_dir();
    let source = fs::read_to_string(dir.join(format!("{name}.bas")))
        .map_err(|error| format!("{name}.bas: {error}"))?;
    let out_path = dir.join(format!("{name}.out"));
    let actual = run_case(&source).map_err(|error| format!("{name}: {error}"))?;
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        fs::write(&out_path, &actual).map_err(|error| format!("{name}.out: {error}"))?;
        return Ok(());
    }
    let expected = fs::read_to_string(&out_path)
        .map_err(|error| format!("{name}.out: {error} (UPDATE_GOLDEN=1 writes it)"))?;
    if expected == actual {
        return Ok(());
    }
    let actual_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/basic_programs");
    let _ = fs::create_dir_all(&actual_dir);
    let _ = fs::write(actual_dir.join(format!("{name}.out")), &actual);
    Err(format!(
        "{name}: output differs from {name}.out (- expected, + actual; actual written to \
         target/basic_programs/{name}.out)\n{}",
        line_diff(&expected, &actual)
    ))
}

/// Run every case whose index is `shard` modulo [`SHARDS`] (only those whose name contains
/// `$BASIC_CASE` when that is set); fail listing all failures.
fn run_shard(shard: usize) {
    let names = case_names();
    assert!(
        names.len() >= 150 || std::env::var_os("BASIC_CASE").is_some(),
        "the suite should hold at least 150 cases, found {}",
        names.len()
    );
    let only = std::env::var("BASIC_CASE").ok();
    let failures: Vec<String> = names
        .iter()
        .enumerate()
        .filter(|(index, _)| index % SHARDS == shard)
        .filter(|(_, name)| {
            only.as_ref()
                .is_none_or(|only| name.contains(only.as_str()))
        })
        .filter_map(|(_, name)| check_case(name).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn shard_0() {
    run_shard(0);
}

#[test]
fn shard_1() {
    run_shard(1);
}

#[test]
fn shard_2() {
    run_shard(2);
}

#[test]
fn shard_3() {
    run_shard(3);
}

#[test]
fn normalise_joins_crlf_and_escapes_control_bytes() {
    assert_eq!(normalise(b"A\r\nB\0C\x07\r"), "A\nBC<$07><$0D>");
}

#[test]
fn line_diff_marks_only_differing_lines() {
    let diff = line_diff("A\nB\n", "A\nC\n");
    assert!(diff.contains("-    2 |B|"));
    assert!(diff.contains("+    2 |C|"));
    assert!(!diff.contains("-    1"));
}
