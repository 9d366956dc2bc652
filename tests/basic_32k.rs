//! The open BASIC on a 32K machine (RamSize::K32, RAM at $0000–$7FFF).
//!
//! The golden suite runs the 8K board, where most addresses a `BIT abs` skip byte ($2C) can
//! read are unmapped and answer $FF. With 32K they are RAM holding whatever is there, so any
//! skip whose following code tests the flags BIT leaves behaves differently (bug B4: "?"
//! prompts fell through into STROUT and printed a screen of junk). Each test runs with the
//! power-on RAM pattern and again with RAM above the monitor's area filled with $00 and $FF,
//! the two values that flip Z, N and V for every skip.

use superboard::board::RamSize;
use superboard::devices::video::ScreenView;
use superboard::machine::{Machine, MachineConfig};
use superboard::roms::RomSet;

mod common;
use common::{at_ok, rows, run_until};

/// Reset, the monitor prompt and the cold start with a 32K memory probe.
const BOOT_BUDGET_CYCLES: u64 = 40_000_000;
const PROGRAM_BUDGET_CYCLES: u64 = 100_000_000;
/// RAM the fills cover: above the page-3 program start, below the 32K top.
const FILL_RANGE: std::ops::Range<u16> = 0x0400..0x8000;

/// A 32K machine at the monitor prompt, RAM above $0400 filled with `fill` (None: the
/// power-on pattern), then cold-started into BASIC with `answers` typed at MEMORY SIZE and
/// TERMINAL WIDTH.
fn cold_start_32k(fill: Option<u8>, answers: &str) -> Machine {
    let mut m = Machine::new(MachineConfig {
        ram: RamSize::K32,
        roms: RomSet::open(),
    });
    run_until(&mut m, BOOT_BUDGET_CYCLES, "monitor prompt", |m| {
        m.screen_text(ScreenView::Full).contains("C/W/M ?")
    });
    if let Some(value) = fill {
        for addr in FILL_RANGE {
            m.poke(addr, value);
        }
    }
    m.type_text("C").expect("typable");
    run_until(&mut m, BOOT_BUDGET_CYCLES, "MEMORY SIZE?", |m| {
        m.screen_text(ScreenView::Full).contains("MEMORY SIZE?")
    });
    m.type_text(answers).expect("typable");
    run_until(&mut m, BOOT_BUDGET_CYCLES, "OK after the cold start", at_ok);
    m
}

fn type_and_wait(m: &mut Machine, text: &str, what: &str) {
    m.type_text(text).expect("typable");
    run_until(m, PROGRAM_BUDGET_CYCLES, what, at_ok);
}

const FILLS: [Option<u8>; 3] = [None, Some(0x00), Some(0xFF)];

/// The window from the monitor prompt on, as the cold start leaves it.
fn boot_lines(memory_size: &str, bytes_free: &str) -> Vec<String> {
    [
        "C/W/M ?",
        memory_size,
        "TERMINAL WIDTH?",
        "",
        bytes_free,
        "",
        "SUPERBOARD OPEN BASIC",
        "",
        "OK",
        "_",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

#[test]
fn cold_start_probes_all_32k() {
    for fill in FILLS {
        let m = cold_start_32k(fill, "\n\n");
        let screen = rows(&m);
        // The probe stops at $8000, the first address that does not keep what was written:
        // bytes free = $8000 - $0301 = 31,999.
        assert_eq!(
            screen[screen.len() - 10..],
            boot_lines("MEMORY SIZE?", " 31999 BYTES FREE")[..],
            "fill {fill:?}"
        );
        assert_eq!((m.peek(0x85), m.peek(0x86)), (0x00, 0x80), "MEMSIZ = $8000");
        assert_eq!((m.peek(0x81), m.peek(0x82)), (0x00, 0x80), "FRETOP = $8000");
    }
}

#[test]
fn memory_size_answer_on_32k() {
    for fill in FILLS {
        let m = cold_start_32k(fill, "20000\n\n");
        let screen = rows(&m);
        // 20000 - 769 = 19231.
        assert_eq!(
            screen[screen.len() - 10..],
            boot_lines("MEMORY SIZE? 20000", " 19231 BYTES FREE")[..],
            "fill {fill:?}"
        );
    }
}

#[test]
fn programs_and_input_run_on_32k() {
    for fill in FILLS {
        let mut m = cold_start_32k(fill, "\n\n");
        let program = "10 DIM A(2000): A(2000)=7\n\
                       20 INPUT \"N\";N\n\
                       30 INPUT A,B\n\
                       40 PRINT N*A(2000)+A+B; FRE(0)\n\
                       RUN\n6\n1\n2\n";
        type_and_wait(&mut m, program, "the program");
        let screen = rows(&m);
        // FRE(0) = the 32K top minus the program, three simple variables (6 bytes each) and
        // the 2001-element array (7-byte header, 4 bytes per element).
        let program_end = u16::from(m.peek(0x7B)) | u16::from(m.peek(0x7C)) << 8;
        let fre = 0x8000 - u32::from(program_end) - 18 - 7 - 2001 * 4;
        assert_eq!(
            screen[screen.len() - 7..],
            [
                "N? 6".to_string(),
                "? 1".to_string(),
                "?? 2".to_string(),
                format!(" 45  {fre}"),
                String::new(),
                "OK".to_string(),
                "_".to_string(),
            ],
            "fill {fill:?}"
        );
    }
}
