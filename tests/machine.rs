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
fn lossy_typing_types_the_rest_and_names_what_it_left_out() {
    let mut machine = scanner_machine();
    let skipped = machine.type_text_lossy("A|B{\r\nC~é");
    let found: Vec<(char, usize)> = skipped.iter().map(|s| (s.character, s.position)).collect();
    assert_eq!(found, vec![('|', 1), ('{', 3), ('~', 7), ('é', 8)]);
    for _ in 0..120 {
        machine.run_frame();
    }
    assert!(!machine.typing_pending());
    let typed = [Key::A, Key::B, Key::Return, Key::C].map(code_of);
    assert_eq!(
        &machine.video_ram()[..4],
        &typed,
        "A B RETURN C, nothing else"
    );
    assert_eq!(machine.peek(0x0010), 4);
}

#[test]
fn lossy_typing_of_plain_text_skips_nothing() {
    let mut machine = scanner_machine();
    assert!(machine.type_text_lossy("10 PRINT \"HI\"\n").is_empty());
    assert!(machine.typing_pending());
}

#[test]
fn the_matrix_picture_shows_keys_down_and_the_row_being_scanned() {
    let mut machine = scanner_machine();
    machine.run_frame();
    let keyboard = &machine.board.keyboard;
    // Only SHIFT LOCK (latched down at power-on) is in the matrix.
    assert_eq!(keyboard.matrix(), [0x01, 0, 0, 0, 0, 0, 0, 0]);
    // The scanner selects one of rows 1–7 at a time.
    let selected = keyboard.selected_rows();
    assert_eq!(selected.count_ones(), 1, "{selected:#04x}");
    assert_eq!(selected & 1, 0, "the scanner never selects row 0");
    machine.key_down(Key::K);
    machine.type_text("\u{3}").unwrap();
    // Pressed once the ROM has seen C's row idle; held for at least 20,000 cycles after.
    machine.run_frame();
    let matrix = machine.board.keyboard.matrix();
    assert_eq!(matrix[Key::K.row() as usize], 1 << Key::K.column());
    // The typist's CTRL and C show beside the host's K.
    assert_eq!(matrix[0], 0x01 | 1 << Key::Ctrl.column());
    assert_eq!(matrix[Key::C.row() as usize], 1 << Key::C.column());
    // The scanner reads every row 1–7 and never row 0.
    let reads: Vec<u64> = (0..8)
        .map(|row| machine.board.keyboard.row_reads(row))
        .collect();
    assert_eq!(reads[0], 0);
    assert!(reads[1..].iter().all(|&n| n > 0), "{reads:?}");
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

#[test]
fn chords_follow_the_firmware_shift_rules() {
    let shifted = |c: char| {
        let chord = chord_for(c).unwrap();
        assert_eq!(chord.modifier, Some(Key::LeftShift), "{c:?}");
        chord.key
    };
    assert_eq!(shifted('!'), Key::Digit1);
    assert_eq!(shifted('\''), Key::Digit7);
    assert_eq!(shifted('('), Key::Digit8);
    assert_eq!(shifted(')'), Key::Digit9);
    assert_eq!(shifted('*'), Key::Colon);
    assert_eq!(shifted('='), Key::Minus);
    assert_eq!(shifted('+'), Key::Semicolon);
    assert_eq!(shifted('<'), Key::Comma);
    assert_eq!(shifted('>'), Key::Period);
    assert_eq!(shifted('?'), Key::Slash);
    assert_eq!(shifted('@'), Key::P);
    assert_eq!(shifted('_'), Key::O);
    assert_eq!(shifted('['), Key::K);
    assert_eq!(shifted('\\'), Key::L);
    assert_eq!(shifted(']'), Key::M);
    assert_eq!(shifted('^'), Key::N);
    for (c, key) in [
        ('a', Key::A),
        ('Z', Key::Z),
        ('0', Key::Digit0),
        (' ', Key::Space),
    ] {
        assert_eq!(chord_for(c).unwrap().key, key);
        assert_eq!(chord_for(c).unwrap().modifier, None);
    }
    let ctrl_c = chord_for('\u{3}').unwrap();
    assert_eq!((ctrl_c.key, ctrl_c.modifier), (Key::C, Some(Key::Ctrl)));
    assert_eq!(chord_for('\r').unwrap().key, Key::Return);
    assert_eq!(chord_for('\n').unwrap().key, Key::Return);
    assert_eq!(chord_for('\u{7F}').unwrap().key, Key::RubOut);
    for c in ['{', '}', '|', '~', '`', '\t', 'é'] {
        assert!(chord_for(c).is_none(), "{c:?}");
    }
}

/// A Ctrl-C check like the monitor's, looping while a "program runs": row 0 bit 6 (CTRL), then
/// row 2 bit 6 (C), each tested with BIT (V = 0 when pressed); counts detections at $D000.
///
/// ```text
/// F800 A9 FE     LDA #$FE
/// F802 8D 00 DF  STA $DF00
/// F805 2C 00 DF  BIT $DF00
/// F808 70 F6     BVS $F800
/// F80A A9 FB     LDA #$FB
/// F80C 8D 00 DF  STA $DF00
/// F80F 2C 00 DF  BIT $DF00
/// F812 70 EC     BVS $F800
/// F814 EE 00 D0  INC $D000
/// F817 4C 00 F8  JMP $F800
/// ```
const CTRL_C_LOOP: [u8; 26] = [
    0xA9, 0xFE, 0x8D, 0x00, 0xDF, 0x2C, 0x00, 0xDF, 0x70, 0xF6, 0xA9, 0xFB, 0x8D, 0x00, 0xDF, 0x2C,
    0x00, 0xDF, 0x70, 0xEC, 0xEE, 0x00, 0xD0, 0x4C, 0x00, 0xF8,
];

#[test]
fn ctrl_c_reaches_the_break_check_and_other_keys_wait_for_a_real_scan() {
    let mut machine = Machine::new(MachineConfig {
        ram: RamSize::K8,
        roms: roms_with_monitor(&CTRL_C_LOOP),
    });
    machine.poke(0xD000, 0);
    machine.type_text("\u{3}").unwrap();
    for _ in 0..30 {
        machine.run_frame();
    }
    assert!(!machine.typing_pending(), "Ctrl-C was seen by the check");
    assert!(
        machine.peek(0xD000) > 0,
        "the check saw CTRL and C together"
    );
    // X shares row 2 with C, but the Ctrl-C check is not a keyboard scan: X must stay queued
    // (held) until a real poller reads it, not be released and lost.
    machine.type_text("X").unwrap();
    for _ in 0..120 {
        machine.run_frame();
    }
    assert!(machine.typing_pending());
}

/// A poller built like SYN600's (docs/hardware.md §4), hand-assembled at $F800, with a busy loop
/// after every key that stands in for BASIC's work:
///
/// * each pass reads row 0, then rows 1–7 until one has a key (code = row*8 + column);
/// * no key: forget the candidate and the last key; a new code: make it the candidate with a
///   count of 2 and rescan at once; the same code: count down, with a ~5,000-cycle delay,
///   and accept at zero — then the count restarts at 150 passes (20 if the same key as the
///   last accepted one), which is the auto-repeat;
/// * after accepting it reads row 0 and sets bit 7 of the result if LEFT SHIFT is down;
/// * the main loop stores each result at $D000+n and then spins ~40,000 cycles.
///
/// ```text
/// F800 A2 00 86 10 86 15 86 13  LDX #0 / STX $10 (index) / STX $15 (last) / STX $13 (cand)
/// F808 A9 02 85 14              LDA #2 / STA $14 (count)
/// F80C 20 23 F8                 main: JSR poll
/// F80F A6 10 9D 00 D0 E6 10     LDX $10 / STA $D000,X / INC $10
/// F816 A0 28 A2 C8 CA D0 FD 88 D0 F8   busy: 40 × 200 × 5 cycles
/// F820 4C 0C F8                 JMP main
/// F823 20 69 F8                 poll: JSR scan
/// F826 F0 14                    BEQ nokey
/// F828 C5 13 D0 12              CMP $13 / BNE newcand
/// F82C C6 14 F0 16              DEC $14 / BEQ accept
/// F830 A0 05 A2 C8 CA D0 FD 88 D0 F8   delay: 5 × 200 × 5 cycles
/// F83A F0 E7                    BEQ poll
/// F83C 85 15                    nokey: STA $15
/// F83E 85 13 A9 02 85 14 D0 DD  newcand: STA $13 / LDA #2 / STA $14 / BNE poll
/// F846 A2 96 C5 15 D0 02 A2 14  accept: LDX #150 / CMP $15 / BNE +2 / LDX #20
/// F84E 86 14 85 15 85 16        STX $14 / STA $15 / STA $16
/// F854 A9 FE 8D 00 DF AD 00 DF  LDA #$FE / STA $DF00 / LDA $DF00
/// F85C 29 04 D0 06              AND #$04 / BNE done
/// F860 A5 16 09 80 85 16        LDA $16 / ORA #$80 / STA $16
/// F866 A5 16 60                 done: LDA $16 / RTS
/// F869 A9 FE 8D 00 DF AD 00 DF  scan: row 0 read
/// F871 A0 01 A9 FD 85 11        LDY #1 / LDA #$FD / STA $11
/// F877 A5 11 8D 00 DF AD 00 DF  LDA $11 / STA $DF00 / LDA $DF00
/// F87F 49 FF 29 FE D0 0B        EOR #$FF / AND #$FE / BNE found
/// F885 38 26 11 C8 C0 08 D0 EA  SEC / ROL $11 / INY / CPY #8 / BNE
/// F88D A9 00 60                 LDA #0 / RTS
/// F890 A2 FF E8 4A 90 FC 86 12  found: X = lowest column down / STX $12
/// F898 98 0A 0A 0A 05 12 60     TYA / ASL ×3 / ORA $12 / RTS
/// ```
const DEBOUNCING_POLLER: [u8; 0x9F] = [
    0xA2, 0x00, 0x86, 0x10, 0x86, 0x15, 0x86, 0x13, 0xA9, 0x02, 0x85, 0x14, 0x20, 0x23, 0xF8, 0xA6,
    0x10, 0x9D, 0x00, 0xD0, 0xE6, 0x10, 0xA0, 0x28, 0xA2, 0xC8, 0xCA, 0xD0, 0xFD, 0x88, 0xD0, 0xF8,
    0x4C, 0x0C, 0xF8, 0x20, 0x69, 0xF8, 0xF0, 0x14, 0xC5, 0x13, 0xD0, 0x12, 0xC6, 0x14, 0xF0, 0x16,
    0xA0, 0x05, 0xA2, 0xC8, 0xCA, 0xD0, 0xFD, 0x88, 0xD0, 0xF8, 0xF0, 0xE7, 0x85, 0x15, 0x85, 0x13,
    0xA9, 0x02, 0x85, 0x14, 0xD0, 0xDD, 0xA2, 0x96, 0xC5, 0x15, 0xD0, 0x02, 0xA2, 0x14, 0x86, 0x14,
    0x85, 0x15, 0x85, 0x16, 0xA9, 0xFE, 0x8D, 0x00, 0xDF, 0xAD, 0x00, 0xDF, 0x29, 0x04, 0xD0, 0x06,
    0xA5, 0x16, 0x09, 0x80, 0x85, 0x16, 0xA5, 0x16, 0x60, 0xA9, 0xFE, 0x8D, 0x00, 0xDF, 0xAD, 0x00,
    0xDF, 0xA0, 0x01, 0xA9, 0xFD, 0x85, 0x11, 0xA5, 0x11, 0x8D, 0x00, 0xDF, 0xAD, 0x00, 0xDF, 0x49,
    0xFF, 0x29, 0xFE, 0xD0, 0x0B, 0x38, 0x26, 0x11, 0xC8, 0xC0, 0x08, 0xD0, 0xEA, 0xA9, 0x00, 0x60,
    0xA2, 0xFF, 0xE8, 0x4A, 0x90, 0xFC, 0x86, 0x12, 0x98, 0x0A, 0x0A, 0x0A, 0x05, 0x12, 0x60,
];

#[test]
fn typist_suits_a_debouncing_poller_with_auto_repeat_and_a_busy_main_loop() {
    let mut machine = Machine::new(MachineConfig {
        ram: RamSize::K8,
        roms: roms_with_monitor(&DEBOUNCING_POLLER),
    });
    let text = "LL!!\"#10 PRINT \"HELLO\",A*B+C=D <> @_ ?? 99 (X) SS MM ;;:: 12345 ''";
    let count = text.chars().count();
    machine.type_text(text).unwrap();
    let mut frames = 0;
    while machine.typing_pending() && frames < 3_600 {
        machine.run_frame();
        frames += 1;
    }
    for _ in 0..120 {
        machine.run_frame();
    }
    let expected: Vec<u8> = text
        .chars()
        .map(|c| {
            let chord = chord_for(c).unwrap();
            let shift = if chord.modifier == Some(Key::LeftShift) {
                0x80
            } else {
                0
            };
            code_of(chord.key) | shift
        })
        .collect();
    assert_eq!(machine.peek(0x0010) as usize, count, "{frames} frames");
    assert_eq!(&machine.video_ram()[..count], &expected[..]);
}
