//! The open monitor ROM (rom/monitor.asm) and the screen driver (rom/screen.asm), tested
//! through the Machine API against docs/hardware.md §4–§6: the reset prompt, the 65V monitor from
//! the keyboard and from tape, the keyboard poller's codes and repeat timing, the BASIC I/O
//! glue (Ctrl-C, SAVE, LOAD) and the screen driver's wrap and scroll.
//!
//! Small test programs are poked into RAM at $0300 and started by setting the program counter
//! while the monitor waits at its prompt. Where a test needs a BASIC entry point ($A636,
//! $BD11) it patches a copy of the BASIC image, so the monitor is tested on its own.
//! Golden screens live in tests/golden/monitor/; `UPDATE_GOLDEN=1` rewrites them, and a
//! mismatch writes the actual screen under target/golden-actual/monitor/.

use std::path::PathBuf;

use superboard::board::RamSize;
use superboard::devices::keyboard::Key;
use superboard::devices::mc6850::TimedByte;
use superboard::devices::video::ScreenView;
use superboard::machine::{Machine, MachineConfig};
use superboard::roms::RomSet;

const PROGRAM: u16 = 0x0300;
/// Test programs keep a count of results here and the results from RESULTS on.
const COUNT: u16 = 0x03FF;
const RESULTS: u16 = 0x0400;
const LOAD_FLAG: u16 = 0x0203;
const SAVE_FLAG: u16 = 0x0205;
const CTRLC_DISABLE: u16 = 0x0212;
const CURSOR: u16 = 0x0200;
const VIDEO: u16 = 0xD000;
const ROW_BYTES: usize = 32;
const MON_DISPLAY: usize = 0xC6;
const BASIC_START: usize = 0xA000;
const BASIC_BREAK: usize = 0xA636;
const BASIC_COLD: usize = 0xBD11;
const CR: u8 = 0x0D;
const LF: u8 = 0x0A;
/// Enough for the reset code and the prompt.
const BOOT_BUDGET_CYCLES: u64 = 300_000;
/// Enough for the poller to accept a freshly pressed key (about 6,000 cycles).
const ACCEPT_BUDGET_CYCLES: u64 = 60_000;
/// Enough for the poller to see that every key is up.
const RELEASE_CYCLES: u64 = 12_000;

fn machine_with(roms: RomSet) -> Machine {
    Machine::new(MachineConfig {
        ram: RamSize::K8,
        roms,
    })
}

/// Runs in small slices until `done` holds; panics with the screen if it never does.
fn run_until(m: &mut Machine, budget_cycles: u64, what: &str, done: impl Fn(&Machine) -> bool) {
    let start = m.cycles();
    while !done(m) {
        assert!(
            m.cycles() - start < budget_cycles,
            "{what}: not reached within {budget_cycles} cycles; screen:\n{}",
            m.screen_text(ScreenView::Full)
        );
        m.run_for(100);
    }
}

fn row_text(m: &Machine, row: usize) -> String {
    m.video_ram()[row * ROW_BYTES..(row + 1) * ROW_BYTES]
        .iter()
        .map(|&code| code as char)
        .collect()
}

/// A machine with the open ROMs (or `roms`) at the "C/W/M ?" prompt.
fn boot_with(roms: RomSet) -> Machine {
    let mut m = machine_with(roms);
    run_until(&mut m, BOOT_BUDGET_CYCLES, "prompt", |m| {
        row_text(m, 27).contains("C/W/M ?_")
    });
    m.run_for(RELEASE_CYCLES);
    m
}

fn boot() -> Machine {
    boot_with(RomSet::open())
}

/// Press and release a key, giving the poller time to accept it and to see the release.
fn tap(m: &mut Machine, key: Key) {
    m.key_down(key);
    m.run_for(ACCEPT_BUDGET_CYCLES);
    m.key_up(key);
    m.run_for(RELEASE_CYCLES);
}

/// Pokes `code` at $0300 and runs it from there (the monitor waits at its prompt meanwhile).
fn start_program(m: &mut Machine, code: &[u8]) {
    for (offset, &byte) in code.iter().enumerate() {
        m.poke(PROGRAM + offset as u16, byte);
    }
    m.poke(COUNT, 0);
    m.cpu.pc = PROGRAM;
}

fn count(m: &Machine) -> u8 {
    m.peek(COUNT)
}

fn results(m: &Machine) -> Vec<u8> {
    (0..u16::from(count(m)))
        .map(|i| m.peek(RESULTS + i))
        .collect()
}

/// Compares the 24 x 24 text window with tests/golden/monitor/`name`.txt.
fn assert_golden(m: &Machine, name: &str) {
    let actual = m.screen_text(ScreenView::Window) + "\n";
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let golden = root
        .join("tests/golden/monitor")
        .join(format!("{name}.txt"));
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(golden.parent().expect("golden dir")).expect("create golden dir");
        std::fs::write(&golden, &actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    if expected != actual {
        let out = root.join("target/golden-actual/monitor");
        std::fs::create_dir_all(&out).expect("create target/golden-actual");
        std::fs::write(out.join(format!("{name}.txt")), &actual).expect("write actual");
        panic!(
            "screen differs from {} (actual written under target/golden-actual/monitor)\n\
             expected:\n{expected}\nactual:\n{actual}",
            golden.display()
        );
    }
}

/// The open ROMs with BASIC bytes replaced at `addr` (a BASIC-image address).
fn roms_with_basic_patch(addr: usize, bytes: &[u8]) -> RomSet {
    let mut roms = RomSet::open();
    let offset = addr - BASIC_START;
    roms.basic[offset..offset + bytes.len()].copy_from_slice(bytes);
    roms
}

#[test]
fn reset_prints_the_prompt_at_row_27_column_5_with_the_cursor_after_it() {
    let m = boot();
    assert_eq!(&row_text(&m, 27)[5..13], "C/W/M ?_");
    assert_eq!(m.peek(CURSOR), 0x65 + 7, "cursor offset after the prompt");
    // Everything else was cleared to spaces.
    let spaces = m.video_ram().iter().filter(|&&c| c == b' ').count();
    assert_eq!(spaces, 1024 - 7);
    for flag in [LOAD_FLAG, SAVE_FLAG, CTRLC_DISABLE, 0x0206] {
        assert_eq!(m.peek(flag), 0, "flag ${flag:04X} cleared at reset");
    }
    // The I/O vectors hold the documented defaults.
    let vectors: Vec<u8> = (0x0218..0x0222).map(|a| m.peek(a)).collect();
    assert_eq!(
        vectors,
        [0xBA, 0xFF, 0x69, 0xFF, 0x9B, 0xFF, 0x8B, 0xFF, 0x96, 0xFF]
    );
    assert_golden(&m, "boot");
}

#[test]
fn monitor_rom_keeps_the_documented_entry_points_and_data() {
    let rom = RomSet::open().monitor;
    let at = |addr: usize| rom[addr - 0xF800];
    // Vectors: NMI $0130, RESET $FF00, IRQ $01C0.
    assert_eq!(&rom[0x7FA..], &[0x30, 0x01, 0x00, 0xFF, 0xC0, 0x01]);
    // Screen parameters.
    assert_eq!([at(0xFFE0), at(0xFFE1), at(0xFFE2)], [0x65, 0x17, 0x00]);
    // $FFEB-$FFF7: JMP (vector).
    for (entry, vector) in [
        (0xFFEB, 0x0218u16),
        (0xFFEE, 0x021A),
        (0xFFF1, 0x021C),
        (0xFFF4, 0x021E),
        (0xFFF7, 0x0220),
    ] {
        assert_eq!(
            [at(entry), at(entry + 1), at(entry + 2)],
            [0x6C, vector as u8, (vector >> 8) as u8],
            "entry ${entry:04X}"
        );
    }
}

#[test]
fn any_other_key_at_the_prompt_asks_again() {
    let mut m = boot();
    tap(&mut m, Key::X);
    m.run_for(BOOT_BUDGET_CYCLES);
    assert_eq!(&row_text(&m, 27)[5..13], "C/W/M ?_");
    assert!(row_text(&m, 26).trim().is_empty());
}

#[test]
fn c_jumps_to_the_basic_cold_start() {
    // $BD11: LDA #$C0 / STA $0400 / JMP * (a stand-in cold start).
    let roms = roms_with_basic_patch(
        BASIC_COLD,
        &[0xA9, 0xC0, 0x8D, 0x00, 0x04, 0x4C, 0x16, 0xBD],
    );
    let mut m = boot_with(roms);
    m.poke(RESULTS, 0);
    tap(&mut m, Key::C);
    assert_eq!(m.peek(RESULTS), 0xC0);
    assert_eq!(m.cpu.pc, 0xBD16);
}

#[test]
fn w_jumps_to_0000() {
    let mut m = boot();
    // $0000: JMP $0300; $0300: LDA #$57 / STA $0400 / JMP $0305.
    for (addr, byte) in [(0x0000, 0x4C), (0x0001, 0x00), (0x0002, 0x03)] {
        m.poke(addr, byte);
    }
    for (offset, byte) in [0xA9u8, 0x57, 0x8D, 0x00, 0x04, 0x4C, 0x05, 0x03]
        .into_iter()
        .enumerate()
    {
        m.poke(PROGRAM + offset as u16, byte);
    }
    tap(&mut m, Key::W);
    assert_eq!(m.peek(RESULTS), 0x57);
}

#[test]
fn m_starts_the_65v_monitor_showing_address_0000() {
    let mut m = boot();
    m.poke(0x0000, 0xA5);
    tap(&mut m, Key::M);
    let display = &m.video_ram()[MON_DISPLAY..MON_DISPLAY + 8];
    assert_eq!(display, b"0000  A5");
    assert!(row_text(&m, 27).trim().is_empty(), "the screen was cleared");
    assert_golden(&m, "monitor_65v");
}

/// LDA #$41 / STA $D000 / LDA #$42 / STA $0400 / JMP $0309, as 65V keystrokes.
const PROGRAM_65V: &str = ".0300/A9\r41\r8D\r00\rD0\rA9\r42\r8D\r00\r04\r4C\r0A\r03\r.0300G";
const PROGRAM_65V_BYTES: [u8; 13] = [
    0xA9, 0x41, 0x8D, 0x00, 0xD0, 0xA9, 0x42, 0x8D, 0x00, 0x04, 0x4C, 0x0A, 0x03,
];

#[test]
fn the_65v_monitor_stores_typed_bytes_and_runs_them_with_g() {
    let mut m = boot();
    tap(&mut m, Key::M);
    let (before_g, g) = PROGRAM_65V.split_at(PROGRAM_65V.len() - 1);
    m.type_text(before_g).expect("typable");
    run_until(&mut m, 20_000_000, "typing", |m| !m.typing_pending());
    m.run_for(RELEASE_CYCLES);
    assert_eq!(&m.video_ram()[MON_DISPLAY..MON_DISPLAY + 8], b"0300  A9");
    let stored: Vec<u8> = (0..13).map(|i| m.peek(PROGRAM + i)).collect();
    assert_eq!(stored, PROGRAM_65V_BYTES);
    m.type_text(g).expect("typable");
    run_until(&mut m, 1_000_000, "G", |m| m.peek(RESULTS) == 0x42);
    assert_eq!(m.video_ram()[0], 0x41);
    assert!((0x030A..0x030D).contains(&m.cpu.pc));
}

#[test]
fn the_65v_data_mode_shifts_digits_into_the_byte_and_return_steps() {
    let mut m = boot();
    tap(&mut m, Key::M);
    m.type_text(".1234/5\r").expect("typable");
    run_until(&mut m, 5_000_000, "typing", |m| !m.typing_pending());
    m.run_for(RELEASE_CYCLES);
    assert_eq!(m.peek(0x1234) & 0x0F, 0x05);
    assert_eq!(&m.video_ram()[MON_DISPLAY..MON_DISPLAY + 4], b"1235");
    m.type_text("ABC").expect("typable");
    run_until(&mut m, 5_000_000, "typing", |m| !m.typing_pending());
    m.run_for(RELEASE_CYCLES);
    // Each digit is stored at once: A, then AB, then BC.
    assert_eq!(m.peek(0x1235), 0xBC);
    assert_eq!(&m.video_ram()[MON_DISPLAY..MON_DISPLAY + 8], b"1235  BC");
}

#[test]
fn the_65v_monitor_loads_and_runs_a_tape_after_l() {
    let mut m = boot();
    tap(&mut m, Key::M);
    let tape = m.tape();
    tape.turbo = true;
    // Bit 7 set on one byte: the monitor masks tape input to 7 bits.
    for (i, byte) in PROGRAM_65V.bytes().enumerate() {
        let byte = if i == 0 { byte | 0x80 } else { byte };
        tape.rx.push_back(TimedByte { cycle: 0, byte });
    }
    tap(&mut m, Key::L);
    run_until(&mut m, 5_000_000, "tape program", |m| {
        m.peek(RESULTS) == 0x42
    });
    let stored: Vec<u8> = (0..13).map(|i| m.peek(PROGRAM + i)).collect();
    assert_eq!(stored, PROGRAM_65V_BYTES);
    assert_eq!(m.video_ram()[0], 0x41);
}

#[test]
fn the_65v_monitor_keeps_up_with_a_real_time_300_baud_tape() {
    let mut m = boot();
    tap(&mut m, Key::M);
    // 11 bits per byte at 300 baud: 983,040 * 11 / 300 = 36,044 cycles apart.
    const BYTE_CYCLES: u64 = 36_044;
    let first = m.cycles() + 100_000;
    let tape = m.tape();
    tape.turbo = false;
    for (i, byte) in PROGRAM_65V.bytes().enumerate() {
        let cycle = first + i as u64 * BYTE_CYCLES;
        tape.rx.push_back(TimedByte { cycle, byte });
    }
    tap(&mut m, Key::L);
    run_until(&mut m, 5_000_000, "tape program", |m| {
        m.peek(RESULTS) == 0x42
    });
    let stored: Vec<u8> = (0..13).map(|i| m.peek(PROGRAM + i)).collect();
    assert_eq!(stored, PROGRAM_65V_BYTES);
}

/// LDY #$A5 / LDX #$5A / JSR $FD00 / STY $03FD / STX $03FE / LDX $03FF / STA $0400,X /
/// INC $03FF / JMP $0300: stores each key code and checks that X and Y survive.
const KEY_LOGGER: [u8; 25] = [
    0xA0, 0xA5, 0xA2, 0x5A, 0x20, 0x00, 0xFD, 0x8C, 0xFD, 0x03, 0x8E, 0xFE, 0x03, 0xAE, 0xFF, 0x03,
    0x9D, 0x00, 0x04, 0xEE, 0xFF, 0x03, 0x4C, 0x00, 0x03,
];

/// The code the poller returns for `key` with `modifiers` held, or None for no key.
fn code_for(m: &mut Machine, modifiers: &[Key], key: Key) -> Option<u8> {
    let before = count(m);
    for &modifier in modifiers {
        m.key_down(modifier);
    }
    m.key_down(key);
    let start = m.cycles();
    while count(m) == before && m.cycles() - start < ACCEPT_BUDGET_CYCLES {
        m.run_for(200);
    }
    m.key_up(key);
    for &modifier in modifiers {
        m.key_up(modifier);
    }
    m.run_for(RELEASE_CYCLES);
    let after = count(m);
    assert!(
        after.wrapping_sub(before) <= 1,
        "one press gave several codes"
    );
    (after != before).then(|| m.peek(RESULTS + u16::from(before)))
}

fn key_logger() -> Machine {
    let mut m = boot();
    start_program(&mut m, &KEY_LOGGER);
    m.run_for(RELEASE_CYCLES);
    m
}

/// Every key of rows 1-7 with its code unshifted and with SHIFT (SHIFT LOCK down), from the
/// matrix table of docs/hardware.md §4.
const KEY_CODES: [(Key, u8, u8); 46] = [
    (Key::Q, b'Q', b'a'),
    (Key::A, b'A', b'Q'),
    (Key::Z, b'Z', b'j'),
    (Key::Space, b' ', b' '),
    (Key::Slash, b'/', b'?'),
    (Key::Semicolon, b';', b'+'),
    (Key::P, b'P', b'@'),
    (Key::X, b'X', b'h'),
    (Key::C, b'C', b'S'),
    (Key::V, b'V', b'f'),
    (Key::B, b'B', b'R'),
    (Key::N, b'N', b'^'),
    (Key::M, b'M', b']'),
    (Key::Comma, b',', b'<'),
    (Key::S, b'S', b'c'),
    (Key::D, b'D', b'T'),
    (Key::F, b'F', b'V'),
    (Key::G, b'G', b'W'),
    (Key::H, b'H', b'X'),
    (Key::J, b'J', b'Z'),
    (Key::K, b'K', b'['),
    (Key::W, b'W', b'g'),
    (Key::E, b'E', b'U'),
    (Key::R, b'R', b'b'),
    (Key::T, b'T', b'd'),
    (Key::Y, b'Y', b'i'),
    (Key::U, b'U', b'e'),
    (Key::I, b'I', b'Y'),
    (Key::Period, b'.', b'>'),
    (Key::L, b'L', b'\\'),
    (Key::O, b'O', b'_'),
    (Key::LineFeed, 0x0A, 0x1A),
    (Key::Return, 0x0D, 0x1D),
    (Key::Digit8, b'8', b'('),
    (Key::Digit9, b'9', b')'),
    (Key::Digit0, b'0', b'@'),
    (Key::Colon, b':', b'*'),
    (Key::Minus, b'-', b'='),
    (Key::RubOut, 0x7F, 0x6F),
    (Key::Digit1, b'1', b'!'),
    (Key::Digit2, b'2', b'"'),
    (Key::Digit3, b'3', b'#'),
    (Key::Digit4, b'4', b'$'),
    (Key::Digit5, b'5', b'%'),
    (Key::Digit6, b'6', b'&'),
    (Key::Digit7, b'7', b'\''),
];

#[test]
fn every_key_gives_its_code_with_shift_lock_down() {
    let mut m = key_logger();
    assert!(m.shift_lock());
    for (key, plain, shifted) in KEY_CODES {
        assert_eq!(code_for(&mut m, &[], key), Some(plain), "{key:?}");
        assert_eq!(
            code_for(&mut m, &[Key::LeftShift], key),
            Some(shifted),
            "LEFT SHIFT + {key:?}"
        );
        assert_eq!(
            code_for(&mut m, &[Key::RightShift], key),
            Some(shifted),
            "RIGHT SHIFT + {key:?}"
        );
        let ctrl = if key == Key::Space {
            b' '
        } else {
            plain.wrapping_sub(0x40)
        };
        assert_eq!(
            code_for(&mut m, &[Key::Ctrl], key),
            Some(ctrl),
            "CTRL + {key:?}"
        );
    }
    assert_eq!(m.peek(0x03FD), 0xA5, "Y kept");
    assert_eq!(m.peek(0x03FE), 0x5A, "X kept");
}

#[test]
fn every_key_gives_its_code_with_shift_lock_up() {
    let mut m = key_logger();
    m.set_shift_lock(false);
    m.run_for(RELEASE_CYCLES);
    for (key, plain, shifted) in KEY_CODES {
        let space = key == Key::Space;
        let lower = if space {
            b' '
        } else {
            plain.wrapping_add(0x20)
        };
        assert_eq!(code_for(&mut m, &[], key), Some(lower), "{key:?}");
        assert_eq!(
            code_for(&mut m, &[Key::LeftShift], key),
            Some(plain),
            "LEFT SHIFT + {key:?}"
        );
        assert_eq!(
            code_for(&mut m, &[Key::RightShift], key),
            Some(shifted),
            "RIGHT SHIFT + {key:?}"
        );
        let ctrl = if space {
            b' '
        } else {
            plain.wrapping_sub(0x40)
        };
        assert_eq!(
            code_for(&mut m, &[Key::Ctrl], key),
            Some(ctrl),
            "CTRL + {key:?}"
        );
        if !space {
            assert_eq!(
                code_for(&mut m, &[Key::LeftShift, Key::RightShift], key),
                None,
                "both shifts + {key:?} with SHIFT LOCK up is no key"
            );
        }
    }
}

#[test]
fn modifier_combinations_esc_and_two_keys() {
    let mut m = key_logger();
    assert_eq!(code_for(&mut m, &[], Key::Esc), Some(0x1B), "ESC");
    assert_eq!(
        code_for(&mut m, &[Key::LeftShift, Key::RightShift], Key::A),
        Some(b'Q'),
        "both shifts"
    );
    assert_eq!(
        code_for(&mut m, &[Key::Ctrl, Key::LeftShift], Key::A),
        Some(b'A'),
        "CTRL + SHIFT leaves the code alone"
    );
    assert_eq!(code_for(&mut m, &[Key::Repeat], Key::A), Some(b'A'));
    assert_eq!(
        code_for(&mut m, &[Key::Q], Key::A),
        None,
        "two keys in one row"
    );
    assert_eq!(
        code_for(&mut m, &[Key::X], Key::Q),
        Some(b'Q'),
        "the lowest row wins"
    );
    m.set_shift_lock(false);
    assert_eq!(
        code_for(&mut m, &[], Key::Esc),
        None,
        "ESC needs SHIFT LOCK"
    );
    assert_eq!(code_for(&mut m, &[Key::Esc], Key::A), None);
}

#[test]
fn a_held_key_repeats_after_about_0_8_s_then_about_9_6_times_a_second() {
    let mut m = key_logger();
    m.key_down(Key::K);
    let mut stamps = Vec::new();
    let mut seen = count(&m);
    let start = m.cycles();
    while stamps.len() < 5 && m.cycles() - start < 2_000_000 {
        m.run_for(100);
        if count(&m) != seen {
            seen = count(&m);
            stamps.push(m.cycles());
        }
    }
    m.key_up(Key::K);
    assert_eq!(stamps.len(), 5, "codes while K was held");
    assert!(
        stamps[0] - start < 20_000,
        "accepted after {}",
        stamps[0] - start
    );
    let first = stamps[1] - stamps[0];
    assert!(
        (700_000..=900_000).contains(&first),
        "first repeat after {first} cycles"
    );
    for pair in stamps[1..].windows(2) {
        let next = pair[1] - pair[0];
        assert!(
            (90_000..=115_000).contains(&next),
            "repeat after {next} cycles"
        );
    }
    assert!(results(&m).iter().all(|&c| c == b'K'));
}

/// JSR $FFF1 / INC $03FF / JMP $0300: polls the Ctrl-C check.
const CTRLC_POLLER: [u8; 9] = [0x20, 0xF1, 0xFF, 0xEE, 0xFF, 0x03, 0x4C, 0x00, 0x03];

fn ctrlc_machine() -> Machine {
    // $A636: STA $0400 / JMP $A639 (a stand-in break entry).
    let roms = roms_with_basic_patch(BASIC_BREAK, &[0x8D, 0x00, 0x04, 0x4C, 0x39, 0xA6]);
    let mut m = boot_with(roms);
    m.poke(RESULTS, 0xEE);
    start_program(&mut m, &CTRLC_POLLER);
    m
}

#[test]
fn ctrl_c_check_jumps_to_a636_with_a_3() {
    let mut m = ctrlc_machine();
    for keys in [&[Key::Ctrl][..], &[Key::C][..]] {
        for &key in keys {
            m.key_down(key);
        }
        let before = count(&m);
        m.run_for(5_000);
        assert_ne!(count(&m), before, "{keys:?} alone returns");
        m.release_all_keys();
    }
    assert_eq!(m.peek(RESULTS), 0xEE);
    m.key_down(Key::Ctrl);
    m.key_down(Key::C);
    m.run_for(5_000);
    assert_eq!(m.peek(RESULTS), 3, "A at $A636");
    assert!((0xA639..0xA63C).contains(&m.cpu.pc));
}

#[test]
fn ctrl_c_check_returns_at_once_when_disabled() {
    let mut m = ctrlc_machine();
    m.poke(CTRLC_DISABLE, 1);
    m.key_down(Key::Ctrl);
    m.key_down(Key::C);
    let before = count(&m);
    m.run_for(5_000);
    assert_ne!(count(&m), before);
    assert_eq!(m.peek(RESULTS), 0xEE);
}

/// Pokes `text` (zero-terminated) at $0380 and a program that optionally calls `entry` first,
/// then prints the text through $FFEE and stops: [JSR entry] / LDX #0 / LDA $0380,X / BEQ end
/// / JSR $FFEE / INX / BNE loop / end: INC $03FF / JMP *.
fn start_printer(m: &mut Machine, entry: Option<u16>, text: &[u8]) {
    for (i, &byte) in text.iter().chain(&[0]).enumerate() {
        m.poke(0x0380 + i as u16, byte);
    }
    let mut code = Vec::new();
    if let Some(entry) = entry {
        code.extend([0x20, entry as u8, (entry >> 8) as u8]);
    }
    let base = PROGRAM as usize + code.len();
    let end = base + 13;
    code.extend([
        0xA2, 0x00, 0xBD, 0x80, 0x03, 0xF0, 0x06, 0x20, 0xEE, 0xFF, 0xE8, 0xD0, 0xF5,
    ]);
    code.extend([
        0xEE,
        0xFF,
        0x03,
        0x4C,
        (end + 3) as u8,
        ((end + 3) >> 8) as u8,
    ]);
    start_program(m, &code);
}

#[test]
fn output_with_the_save_flag_copies_text_and_ten_nuls_after_cr_to_the_acia() {
    let mut m = boot();
    start_printer(&mut m, Some(0xFFF7), b"HI\r\n");
    // At 300 baud each byte takes about 36,000 cycles to leave the ACIA.
    run_until(&mut m, 1_000_000, "printing", |m| count(m) == 1);
    m.run_for(100_000);
    assert_eq!(m.peek(SAVE_FLAG), 1);
    let sent: Vec<u8> = m.tape().tx.iter().map(|t| t.byte).collect();
    let mut expected = b"HI\r".to_vec();
    expected.extend([0; 10]);
    expected.push(LF);
    assert_eq!(sent, expected);
    assert_eq!(&row_text(&m, 26)[5..14], "C/W/M ?HI");
}

#[test]
fn output_without_the_save_flag_sends_nothing() {
    let mut m = boot();
    start_printer(&mut m, None, b"HI\r\n");
    run_until(&mut m, 500_000, "printing", |m| count(m) == 1);
    assert!(m.tape().tx.is_empty());
}

/// JSR $FFF4 / loop: JSR $FFEB / LDX $03FF / STA $0400,X / INC $03FF / JMP loop.
const LOAD_LOGGER: [u8; 15] = [
    0x20, 0xF4, 0xFF, 0x20, 0xEB, 0xFF, 0xAE, 0xFF, 0x03, 0x9D, 0x00, 0x04, 0xEE, 0xFF, 0x03,
];

#[test]
fn load_flag_input_reads_the_acia_unmasked_until_space() {
    let mut m = boot();
    m.poke(SAVE_FLAG, 1);
    let mut code = LOAD_LOGGER.to_vec();
    code.extend([0x4C, 0x03, 0x03]);
    start_program(&mut m, &code);
    let tape = m.tape();
    tape.turbo = true;
    for byte in [0xC1, b'B', CR] {
        tape.rx.push_back(TimedByte { cycle: 0, byte });
    }
    run_until(&mut m, 200_000, "tape bytes", |m| count(m) == 3);
    assert_eq!(results(&m), [0xC1, b'B', CR]);
    assert_eq!(m.peek(LOAD_FLAG), 0xFF);
    assert_eq!(m.peek(SAVE_FLAG), 0, "LOAD clears the SAVE flag");
    // SPACE ends load mode and is delivered as a key.
    m.key_down(Key::Space);
    run_until(&mut m, ACCEPT_BUDGET_CYCLES, "SPACE", |m| count(m) == 4);
    m.key_up(Key::Space);
    assert_eq!(m.peek(RESULTS + 3), b' ');
    assert_eq!(m.peek(LOAD_FLAG), 0);
    // Now the ACIA is no longer read.
    m.tape().rx.push_back(TimedByte {
        cycle: 0,
        byte: b'Z',
    });
    m.run_for(100_000);
    assert_eq!(count(&m), 4);
}

#[test]
fn screen_driver_wraps_past_column_28_and_scrolls_on_lf() {
    let mut m = boot();
    // 30 characters wrap after the 17 that fit behind the prompt; CR alone returns to column 5
    // and the next text overwrites.
    start_printer(
        &mut m,
        None,
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123\r\nLINE 2\r\n\r\nOVERWRITTEN\rNEW\r\nEND",
    );
    run_until(&mut m, 1_000_000, "printing", |m| count(m) == 1);
    assert_eq!(&row_text(&m, 22)[5..29], "C/W/M ?ABCDEFGHIJKLMNOPQ");
    assert_eq!(&row_text(&m, 23)[5..18], "RSTUVWXYZ0123");
    assert_eq!(&row_text(&m, 24)[5..11], "LINE 2");
    assert!(row_text(&m, 25).trim().is_empty());
    assert_eq!(&row_text(&m, 27)[5..9], "END_");
    assert_eq!(&row_text(&m, 26)[5..16], "NEWRWRITTEN");
    assert!(row_text(&m, 27)[9..].trim().is_empty());
    assert_eq!(m.peek(CURSOR), 0x65 + 3);
    assert_golden(&m, "screen_wrap_scroll");
}

#[test]
fn screen_driver_keeps_the_cursor_column_on_lf_and_keeps_registers() {
    let mut m = boot();
    // LDA #$0A / LDX #$11 / LDY #$22 / JSR $BF2D / STA $0400 / STX $0401 / STY $0402 /
    // INC $03FF / JMP *
    let code = [
        0xA9, 0x0A, 0xA2, 0x11, 0xA0, 0x22, 0x20, 0x2D, 0xBF, 0x8D, 0x00, 0x04, 0x8E, 0x01, 0x04,
        0x8C, 0x02, 0x04, 0xEE, 0xFF, 0x03, 0x4C, 0x15, 0x03,
    ];
    start_program(&mut m, &code);
    run_until(&mut m, 200_000, "LF", |m| count(m) == 1);
    assert_eq!(
        [m.peek(0x0400), m.peek(0x0401), m.peek(0x0402)],
        [0x0A, 0x11, 0x22]
    );
    // The prompt moved up a row without its cursor; the cursor is in the same column.
    assert_eq!(&row_text(&m, 26)[5..13], "C/W/M ? ");
    assert_eq!(&row_text(&m, 27)[5..13], "       _");
    assert_eq!(m.video_ram()[27 * ROW_BYTES + 12], b'_');
    assert_eq!(m.peek(VIDEO + 26 * ROW_BYTES as u16 + 12), b' ');
}

#[test]
fn screen_driver_ignores_nul() {
    let mut m = boot();
    let before = m.video_ram().to_vec();
    // LDA #$00 / JSR $FFEE / INC $03FF / JMP *
    start_program(
        &mut m,
        &[
            0xA9, 0x00, 0x20, 0xEE, 0xFF, 0xEE, 0xFF, 0x03, 0x4C, 0x08, 0x03,
        ],
    );
    run_until(&mut m, 10_000, "NUL", |m| count(m) == 1);
    assert_eq!(m.video_ram(), &before[..]);
    assert_eq!(m.peek(CURSOR), 0x65 + 7);
}

#[test]
fn break_resets_to_the_prompt_touching_only_the_stack_page_2_and_video() {
    let mut m = boot();
    let pattern = |addr: u16| (addr as u8) ^ (addr >> 8) as u8 ^ 0x5A;
    for addr in 0x0000..0x2000u16 {
        m.poke(addr, pattern(addr));
    }
    m.poke(CTRLC_DISABLE, 1);
    m.poke(0x0206, 3);
    m.poke(VIDEO + 27 * ROW_BYTES as u16 + 5, b'*');
    m.press_break();
    run_until(&mut m, BOOT_BUDGET_CYCLES, "prompt after BREAK", |m| {
        row_text(m, 27).contains("C/W/M ?_")
    });
    assert_eq!(m.peek(CTRLC_DISABLE), 0);
    assert_eq!(m.peek(0x0206), 0);
    let page_2_monitor = [0x0200..=0x0206, 0x0212..=0x0216, 0x0218..=0x0221];
    for addr in (0x0000..0x0100u16).chain(0x0300..0x2000) {
        assert_eq!(m.peek(addr), pattern(addr), "${addr:04X} changed");
    }
    for addr in 0x0200..0x0300u16 {
        if !page_2_monitor.iter().any(|r| r.contains(&addr)) {
            assert_eq!(m.peek(addr), pattern(addr), "${addr:04X} changed");
        }
    }
}
