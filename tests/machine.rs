//! Machine tests with a small hand-assembled program in place of the monitor ROM: it scans the
//! keyboard at $DF00 row by row and writes each newly pressed key's position to video RAM. This
//! exercises the keyboard → CPU → video path end to end, and the typist's pacing.

use superboard::board::RamSize;
use superboard::devices::keyboard::Key;
use superboard::devices::video::ScreenView;
use superboard::machine::{Machine, MachineConfig, CYCLES_PER_FRAME};
use superboard::roms::RomSet;
use superboard::typist::chord_for;

/// The scanner, assembled by hand at $F800:
///
/// ```text
/// F800 A2 00     LDX #$00
/// F802 86 10     STX $10        ; next screen offset
/// F804 20 18 F8  JSR scan       ; wait_up: until no key is down
/// F807 D0 FB     BNE $F804
/// F809 20 18 F8  JSR scan       ; wait_down: until a key is down
/// F80C F0 FB     BEQ $F809
/// F80E A6 10     LDX $10
/// F810 9D 00 D0  STA $D000,X    ; show the key's code
/// F813 E6 10     INC $10
/// F815 4C 04 F8  JMP $F804
/// scan:          ; A = row*8 + column of the first key down in rows 1-7, or 0
/// F818 A0 01     LDY #$01
/// F81A A9 FD     LDA #$FD
/// F81C 85 11     STA $11        ; row select mask
/// F81E A5 11     LDA $11
/// F820 8D 00 DF  STA $DF00
/// F823 AD 00 DF  LDA $DF00
/// F826 49 FF     EOR #$FF
/// F828 29 FE     AND #$FE       ; column 0 is unused in rows 1-7
/// F82A D0 0B     BNE found
/// F82C 38        SEC
/// F82D 26 11     ROL $11        ; select the next row
/// F82F C8        INY
/// F830 C0 08     CPY #$08
/// F832 D0 EA     BNE $F81E
/// F834 A9 00     LDA #$00
/// F836 60        RTS
/// found:
/// F837 A2 FF     LDX #$FF
/// F839 E8        INX
/// F83A 4A        LSR A
/// F83B 90 FC     BCC $F839      ; X = lowest column down
/// F83D 86 12     STX $12
/// F83F 98        TYA
/// F840 0A 0A 0A  ASL A (×3)
/// F843 05 12     ORA $12
/// F845 60        RTS
/// ```
const SCANNER: [u8; 0x46] = [
    0xA2, 0x00, 0x86, 0x10, 0x20, 0x18, 0xF8, 0xD0, 0xFB, 0x20, 0x18, 0xF8, 0xF0, 0xFB, 0xA6, 0x10,
    0x9D, 0x00, 0xD0, 0xE6, 0x10, 0x4C, 0x04, 0xF8, 0xA0, 0x01, 0xA9, 0xFD, 0x85, 0x11, 0xA5, 0x11,
    0x8D, 0x00, 0xDF, 0xAD, 0x00, 0xDF, 0x49, 0xFF, 0x29, 0xFE, 0xD0, 0x0B, 0x38, 0x26, 0x11, 0xC8,
    0xC0, 0x08, 0xD0, 0xEA, 0xA9, 0x00, 0x60, 0xA2, 0xFF, 0xE8, 0x4A, 0x90, 0xFC, 0x86, 0x12, 0x98,
    0x0A, 0x0A, 0x0A, 0x05, 0x12, 0x60,
];

/// A ROM set whose monitor is `program` at $F800 with all three vectors pointing at $F800.
fn roms_with_monitor(program: &[u8]) -> RomSet {
    let mut monitor = Box::new([0xEAu8; 2048]);
    monitor[..program.len()].copy_from_slice(program);
    for vector in [0x7FA, 0x7FC, 0x7FE] {
        monitor[vector] = 0x00;
        monitor[vector + 1] = 0xF8;
    }
    RomSet {
        basic: Box::new([0xFF; 8192]),
        monitor,
        chargen: Box::new([0; 2048]),
    }
}

fn scanner_machine() -> Machine {
    Machine::new(MachineConfig {
        ram: RamSize::K8,
        roms: roms_with_monitor(&SCANNER),
    })
}

fn code_of(key: Key) -> u8 {
    key.row() * 8 + key.column()
}

#[test]
fn host_keys_reach_video_ram_through_the_program() {
    let mut machine = scanner_machine();
    machine.run_frame();
    machine.key_down(Key::A);
    machine.run_frame();
    machine.key_up(Key::A);
    machine.run_frame();
    machine.key_down(Key::Digit7);
    machine.run_frame();
    machine.release_all_keys();
    machine.run_frame();
    assert_eq!(
        &machine.video_ram()[..2],
        &[code_of(Key::A), code_of(Key::Digit7)]
    );
    assert_eq!(machine.peek(0x0010), 2);
}

#[test]
fn typist_delivers_a_long_text_exactly() {
    let mut machine = scanner_machine();
    // 100 characters, with doubled letters, shifted characters and a CTRL character.
    let text = "HELLO WORLD, LLAMAS!! 10 PRINT \"A\"; 20 GOTO 10 == (X+Y)*2 <> 7? @_[]^\\ \
                abc xy 0123456789 $%&'\u{3} MOOSE";
    assert_eq!(text.chars().count(), 100);
    machine.type_text(text).unwrap();
    assert!(machine.typing_pending());
    let mut frames = 0;
    while machine.typing_pending() && frames < 600 {
        machine.run_frame();
        frames += 1;
    }
    machine.run_for(CYCLES_PER_FRAME);
    assert!(
        !machine.typing_pending(),
        "typing finished in {frames} frames"
    );
    let expected: Vec<u8> = text
        .chars()
        .map(|c| code_of(chord_for(c).unwrap().key))
        .collect();
    assert_eq!(&machine.video_ram()[..100], &expected[..]);
    assert_eq!(machine.peek(0x0010), 100, "nothing dropped or doubled");
}

#[test]
fn typing_waits_while_the_rom_does_not_scan() {
    // A program that never reads the keyboard: JMP $F800.
    let mut machine = Machine::new(MachineConfig {
        ram: RamSize::K8,
        roms: roms_with_monitor(&[0x4C, 0x00, 0xF8]),
    });
    machine.type_text("AB").unwrap();
    for _ in 0..120 {
        machine.run_frame();
    }
    assert!(machine.typing_pending());
}

#[test]
fn untypable_characters_are_rejected_by_name_and_position() {
    let mut machine = scanner_machine();
    let error = machine.type_text("PRINT {1}").unwrap_err();
    assert_eq!((error.character, error.position), ('{', 6));
    assert!(error.to_string().contains("'{'"));
    assert!(!machine.typing_pending(), "nothing queued");
    assert!(machine.type_text("\t").is_err());
    assert!(machine.type_text("~").is_err());
}

#[test]
fn crlf_is_one_return() {
    let mut machine = scanner_machine();
    machine.type_text("A\r\nB\nC\r").unwrap();
    for _ in 0..120 {
        machine.run_frame();
    }
    let ret = code_of(Key::Return);
    assert_eq!(
        &machine.video_ram()[..6],
        &[
            code_of(Key::A),
            ret,
            code_of(Key::B),
            ret,
            code_of(Key::C),
            ret
        ]
    );
    assert_eq!(machine.peek(0x0010), 6);
}

#[test]
fn run_for_counts_cycles_and_carries_overshoot() {
    let mut machine = scanner_machine();
    let mut total = 0;
    for _ in 0..10 {
        let outcome = machine.run_for(1000);
        assert!(!outcome.jammed);
        assert!(outcome.cycles_run >= 993 && outcome.cycles_run <= 1007);
        total += outcome.cycles_run;
    }
    assert_eq!(total, machine.cycles());
    assert!((10_000..10_007).contains(&total), "{total}");
}

#[test]
fn a_jammed_cpu_still_spends_time_and_break_recovers() {
    // $F800: JAM ($02).
    let mut machine = Machine::new(MachineConfig {
        ram: RamSize::K8,
        roms: roms_with_monitor(&[0x02]),
    });
    let outcome = machine.run_for(50_000);
    assert!(outcome.jammed);
    assert!((50_000..50_007).contains(&outcome.cycles_run));
    machine.press_break();
    let outcome = machine.run_for(5);
    assert!(outcome.cycles_run >= 5);
}

#[test]
fn break_restarts_the_program_and_keeps_ram() {
    let mut machine = scanner_machine();
    machine.type_text("AB").unwrap();
    for _ in 0..60 {
        machine.run_frame();
    }
    assert_eq!(machine.peek(0x0010), 2);
    machine.poke(0x0200, 0x5A);
    machine.press_break();
    machine.run_frame();
    assert_eq!(machine.peek(0x0010), 0, "program restarted");
    assert_eq!(machine.peek(0x0200), 0x5A, "RAM kept");
}

#[test]
fn shift_lock_is_down_by_default_and_settable() {
    let mut machine = scanner_machine();
    assert!(machine.shift_lock());
    machine.set_shift_lock(false);
    assert!(!machine.shift_lock());
    machine.key_down(Key::ShiftLock);
    assert!(machine.shift_lock());
}

#[test]
fn render_reports_changes_and_screen_text_reads_video_ram() {
    let mut machine = scanner_machine();
    assert!(machine.render(ScreenView::Full).is_some());
    machine.run_frame();
    machine.poke(0xD000 + 27 * 32 + 5, b'O');
    machine.poke(0xD000 + 27 * 32 + 6, b'K');
    assert!(machine.render(ScreenView::Full).is_some());
    assert!(machine.render(ScreenView::Full).is_none());
    let window = machine.screen_text(ScreenView::Window);
    assert!(window.split('\n').nth(23).unwrap().starts_with("OK"));
}
