//! The open BASIC (rom/basic/) run headless on the whole machine: cold start through the open
//! monitor, programs typed by the typist, screens compared with golden files.
//!
//! Each `tests/golden/basic/NAME.bas` is typed after a cold start (MEMORY SIZE and TERMINAL
//! WIDTH answered with RETURN); when the typing is done and BASIC is back at "OK", the 24 x 24
//! text window must equal `NAME.txt`. `UPDATE_GOLDEN=1` rewrites the .txt files; a mismatch
//! writes the actual screen under target/golden-actual/basic/. The expected screens were
//! written from the language definition (docs/hardware.md §7) and checked by hand.

use std::path::{Path, PathBuf};

use superboard::board::RamSize;
use superboard::devices::keyboard::Key;
use superboard::devices::video::ScreenView;
use superboard::machine::{Machine, MachineConfig};
use superboard::roms::RomSet;

mod common;
use common::{at_ok, rows, run_until, SLICE_CYCLES};

/// Reset code, the monitor's prompt and the BASIC cold start with its 8K memory probe.
const BOOT_BUDGET_CYCLES: u64 = 20_000_000;
/// Typing and running one golden program.
const PROGRAM_BUDGET_CYCLES: u64 = 200_000_000;

/// A machine with `ram`, cold-started into BASIC with `answers` typed at the two questions.
fn cold_start(ram: RamSize, answers: &str) -> Machine {
    let mut m = Machine::new(MachineConfig {
        ram,
        roms: RomSet::open(),
    });
    run_until(&mut m, BOOT_BUDGET_CYCLES, "monitor prompt", |m| {
        m.screen_text(ScreenView::Full).contains("C/W/M ?")
    });
    m.type_text("C").expect("typable");
    run_until(&mut m, BOOT_BUDGET_CYCLES, "MEMORY SIZE?", |m| {
        m.screen_text(ScreenView::Full).contains("MEMORY SIZE?")
    });
    m.type_text(answers).expect("typable");
    run_until(&mut m, BOOT_BUDGET_CYCLES, "OK after the cold start", at_ok);
    m
}

fn booted() -> Machine {
    cold_start(RamSize::K8, "\n\n")
}

/// Types program lines (no "OK" follows them) and lets BASIC store the last one.
fn enter(m: &mut Machine, text: &str) {
    m.type_text(text).expect("typable");
    run_until(m, PROGRAM_BUDGET_CYCLES, "typing", |_| true);
    m.run_for(500_000);
}

/// Types `text` and waits for "OK".
fn type_and_wait(m: &mut Machine, text: &str, what: &str) {
    m.type_text(text).expect("typable");
    run_until(m, PROGRAM_BUDGET_CYCLES, what, at_ok);
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/basic")
}

/// Compares the window with `dir/name.txt`; returns a description of the difference.
fn check_golden(m: &Machine, name: &str) -> Result<(), String> {
    let actual = rows(m).join("\n") + "\n";
    let golden = golden_dir().join(format!("{name}.txt"));
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::write(&golden, &actual).map_err(|e| format!("{}: {e}", golden.display()))?;
        return Ok(());
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    if expected == actual {
        return Ok(());
    }
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/golden-actual/basic");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    std::fs::write(out.join(format!("{name}.txt")), &actual)
        .map_err(|e| format!("{}: {e}", out.display()))?;
    Err(format!(
        "{name}: screen differs from {}\nexpected:\n{expected}\nactual:\n{actual}",
        golden.display()
    ))
}

/// The golden programs whose names start with `prefix`, sorted.
fn programs(prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(golden_dir())
        .expect("tests/golden/basic")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let name = path.file_stem()?.to_str()?.to_string();
            (path.extension()? == "bas" && name.starts_with(prefix)).then_some(name)
        })
        .collect();
    names.sort();
    names
}

/// Runs every golden program starting with `prefix` on a freshly cold-started machine.
fn run_group(prefix: &str) {
    let names = programs(prefix);
    assert!(!names.is_empty(), "no golden programs named {prefix}*");
    let mut failures = Vec::new();
    for name in &names {
        let path: &Path = &golden_dir().join(format!("{name}.bas"));
        let text = std::fs::read_to_string(path).expect("readable .bas");
        let mut m = booted();
        type_and_wait(&mut m, &text, name);
        if let Err(message) = check_golden(&m, name) {
            failures.push(message);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn cold_start_screen() {
    let m = booted();
    check_golden(&m, "cold_start").unwrap_or_else(|message| panic!("{message}"));
    // Bytes free with 8K, FRE(0) two less (docs/hardware.md §7).
    assert!(m
        .screen_text(ScreenView::Window)
        .contains(" 7423 BYTES FREE"));
}

#[test]
fn cold_start_with_4k_and_a_memory_size_answer() {
    let m = cold_start(RamSize::K4, "\n\n");
    assert!(m
        .screen_text(ScreenView::Window)
        .contains(" 3327 BYTES FREE"));
    let m = cold_start(RamSize::K8, "4096\n40\n");
    assert!(m
        .screen_text(ScreenView::Window)
        .contains(" 3327 BYTES FREE"));
    assert_eq!(m.peek(0x0F), 40, "terminal width");
    assert_eq!(m.peek(0x10), 14, "last comma zone for width 40");
}

#[test]
fn zero_page_after_a_cold_start() {
    let m = booted();
    assert_eq!(m.peek(0x0000), 0x4C, "JMP warm start at $0000");
    assert_eq!(m.peek(0x000A), 0x4C, "JMP at the USR vector");
    assert_eq!(
        (m.peek(0x0F), m.peek(0x10)),
        (72, 56),
        "width and last zone"
    );
    assert_eq!((m.peek(0x79), m.peek(0x7A)), (0x01, 0x03), "TXTTAB = $0301");
    assert_eq!(
        (m.peek(0x85), m.peek(0x86)),
        (0x00, 0x20),
        "MEMSIZ = $2000 with 8K"
    );
    assert_eq!(m.peek(0x0300), 0);
}

#[test]
fn program_lines_are_stored_in_the_original_format() {
    let mut m = booted();
    enter(&mut m, "10 PRINT \"A\": GOTO 10\n");
    let stored: Vec<u8> = (0x0301..0x0301 + 18).map(|a| m.peek(a)).collect();
    // link $0311, line 10, PRINT "A": GOTO 10 with the spaces as typed, 0, then 0 0.
    let expected = [
        0x11, 0x03, 10, 0, 0x97, b' ', b'"', b'A', b'"', b':', b' ', 0x88, b' ', b'1', b'0', 0, 0,
        0,
    ];
    assert_eq!(stored, expected);
    assert_eq!(
        (m.peek(0x7B), m.peek(0x7C)),
        (0x13, 0x03),
        "VARTAB after the end marker"
    );
}

#[test]
fn warm_start_keeps_the_program() {
    let mut m = booted();
    enter(&mut m, "10 PRINT 42\n");
    m.press_break();
    run_until(&mut m, BOOT_BUDGET_CYCLES, "monitor prompt", |m| {
        m.screen_text(ScreenView::Full).contains("C/W/M ?")
    });
    m.type_text("W").expect("typable");
    run_until(&mut m, BOOT_BUDGET_CYCLES, "OK after W", at_ok);
    type_and_wait(&mut m, "RUN\n", "RUN after a warm start");
    let screen = rows(&m);
    assert_eq!(
        screen[screen.len() - 4..screen.len() - 2],
        [" 42".to_string(), String::new()]
    );
}

/// Holds CTRL and C while the program runs (the Ctrl-C check between statements sees them).
fn press_ctrl_c(m: &mut Machine) {
    m.key_down(Key::Ctrl);
    m.key_down(Key::C);
    m.run_for(200_000);
    m.key_up(Key::C);
    m.key_up(Key::Ctrl);
}

#[test]
fn ctrl_c_breaks_a_running_program_and_cont_resumes() {
    let mut m = booted();
    enter(&mut m, "10 I=I+1:GOTO 10\n");
    m.type_text("RUN\n").expect("typable");
    while m.typing_pending() {
        m.run_for(SLICE_CYCLES);
    }
    m.run_for(2_000_000);
    press_ctrl_c(&mut m);
    run_until(&mut m, PROGRAM_BUDGET_CYCLES, "BREAK", at_ok);
    let screen = rows(&m);
    assert_eq!(screen[screen.len() - 3], "BREAK IN  10");
    let count = |m: &mut Machine| {
        type_and_wait(m, "PRINT I\n", "PRINT I");
        let screen = rows(m);
        screen[screen.len() - 4]
            .trim()
            .parse::<f64>()
            .expect("a number")
    };
    let before = count(&mut m);
    assert!(before > 10.0);
    m.type_text("CONT\n").expect("typable");
    while m.typing_pending() {
        m.run_for(SLICE_CYCLES);
    }
    m.run_for(2_000_000);
    press_ctrl_c(&mut m);
    run_until(&mut m, PROGRAM_BUDGET_CYCLES, "second BREAK", at_ok);
    assert!(count(&mut m) > before, "CONT went on counting");
}

#[test]
fn golden_statements() {
    run_group("s_");
}

#[test]
fn golden_expressions() {
    run_group("e_");
}

#[test]
fn golden_strings() {
    run_group("t_");
}

#[test]
fn golden_errors() {
    run_group("x_");
}

#[test]
fn golden_programs() {
    run_group("p_");
}

#[test]
fn golden_math_functions() {
    run_group("m_");
}

#[test]
fn save_sends_the_listing_to_the_acia() {
    let mut m = booted();
    enter(&mut m, "10 PRINT \"HI\"\n20 END\n");
    type_and_wait(&mut m, "SAVE\n", "SAVE");
    type_and_wait(&mut m, "LIST\n", "LIST to tape");
    let sent: Vec<u8> = m.tape().tx.iter().map(|b| b.byte).collect();
    let text: String = sent
        .iter()
        .filter(|&&b| b != 0)
        .map(|&b| b as char)
        .collect();
    assert!(
        text.contains("\r\n 10 PRINT \"HI\"\r\n 20 END\r\n"),
        "tape text: {text:?}"
    );
    // The monitor sends ten NULs after each CR (docs/hardware.md §5).
    let cr = sent.iter().position(|&b| b == b'\r').expect("a CR");
    assert_eq!(sent[cr + 1..cr + 11], [0; 10]);
}

#[test]
fn load_reads_program_lines_from_the_acia_until_space() {
    let mut m = booted();
    m.tape().turbo = true;
    for &byte in b"10 PRINT 6*7\r20 END\r" {
        m.tape()
            .rx
            .push_back(superboard::devices::mc6850::TimedByte { cycle: 0, byte });
    }
    enter(&mut m, "LOAD\n");
    run_until(&mut m, PROGRAM_BUDGET_CYCLES, "tape read", |m| {
        m.screen_text(ScreenView::Window).contains("20 END")
    });
    m.run_for(1_000_000);
    // SPACE ends the load mode (the monitor watches for it while waiting for the ACIA; it
    // also arrives as input), RETURN finishes that line.
    m.key_down(Key::Space);
    m.run_for(200_000);
    m.key_up(Key::Space);
    m.run_for(200_000);
    enter(&mut m, "\n");
    type_and_wait(&mut m, "RUN\n", "RUN of the loaded program");
    let screen = rows(&m);
    assert_eq!(screen[screen.len() - 4], " 42");
}
