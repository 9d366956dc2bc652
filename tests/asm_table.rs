//! The opcode table and the assembler agree: every (mnemonic, mode) pair assembles to the
//! table's opcode with the right operand bytes, and well-known encodings are checked by hand.

use superboard_asm::opcodes::{is_canonical, modes_of, opcode_for, Mode, OPCODES};
use superboard_asm::{assemble_source, Options};

fn assemble(src: &str) -> Vec<u8> {
    let text = format!("        .org $0400\n{src}\n");
    let a = match assemble_source("t.asm", &text, &Options::default()) {
        Ok(a) => a,
        Err(d) => panic!("{src}: {}", superboard_asm::render_all(&d)),
    };
    match a.range() {
        Some((lo, hi)) => a.image(lo, hi, 0).unwrap(),
        None => Vec::new(),
    }
}

/// Operand text and expected operand bytes for a mode.
fn operand(mode: Mode) -> (&'static str, Vec<u8>) {
    match mode {
        Mode::Implied => ("", vec![]),
        Mode::Accumulator => ("A", vec![]),
        Mode::Immediate => ("#$44", vec![0x44]),
        Mode::ZeroPage => ("$12", vec![0x12]),
        Mode::ZeroPageX => ("$12,X", vec![0x12]),
        Mode::ZeroPageY => ("$12,Y", vec![0x12]),
        Mode::Absolute => ("$1234", vec![0x34, 0x12]),
        Mode::AbsoluteX => ("$1234,X", vec![0x34, 0x12]),
        Mode::AbsoluteY => ("$1234,Y", vec![0x34, 0x12]),
        Mode::Indirect => ("($1234)", vec![0x34, 0x12]),
        Mode::IndirectX => ("($12,X)", vec![0x12]),
        Mode::IndirectY => ("($12),Y", vec![0x12]),
        // At $0400: target $0407 is 5 bytes past the next instruction.
        Mode::Relative => ("*+7", vec![0x05]),
    }
}

#[test]
fn every_mnemonic_mode_pair_assembles_to_the_table_opcode() {
    let mut checked = 0;
    for op in OPCODES.iter().filter(|o| is_canonical(o.code)) {
        let (text, tail) = operand(op.mode);
        let mut expected = vec![op.code];
        expected.extend(tail);
        assert_eq!(expected.len(), usize::from(op.len));
        for mnemonic in [op.mnemonic.to_string(), op.mnemonic.to_ascii_lowercase()] {
            let src = format!("        {mnemonic} {text}");
            assert_eq!(assemble(&src), expected, "{src} (opcode ${:02X})", op.code);
        }
        checked += 1;
    }
    assert_eq!(checked, 256 - 35);
}

#[test]
fn absolute_forms_with_small_operands_need_a_prefix() {
    for op in OPCODES.iter().filter(|o| is_canonical(o.code)) {
        let index = match op.mode {
            Mode::Absolute => "",
            Mode::AbsoluteX => ",X",
            Mode::AbsoluteY => ",Y",
            _ => continue,
        };
        let src = format!("        {} a:$0012{index}", op.mnemonic);
        assert_eq!(assemble(&src), vec![op.code, 0x12, 0x00], "{src}");
        // Without the prefix a small value picks zero page when the mnemonic has it.
        let zp_mode = match op.mode {
            Mode::Absolute => Mode::ZeroPage,
            Mode::AbsoluteX => Mode::ZeroPageX,
            _ => Mode::ZeroPageY,
        };
        let plain = assemble(&format!("        {} $0012{index}", op.mnemonic));
        match opcode_for(op.mnemonic, zp_mode) {
            Some(zp) => assert_eq!(plain, vec![zp.code, 0x12], "{} zp", op.mnemonic),
            None => assert_eq!(plain, vec![op.code, 0x12, 0x00], "{} abs only", op.mnemonic),
        }
    }
}

#[test]
fn well_known_encodings() {
    let cases: &[(&str, &[u8])] = &[
        ("LDA #$44", &[0xA9, 0x44]),
        ("JMP ($1234)", &[0x6C, 0x34, 0x12]),
        ("JMP $1234", &[0x4C, 0x34, 0x12]),
        ("JSR $FFEE", &[0x20, 0xEE, 0xFF]),
        ("LDA $44", &[0xA5, 0x44]),
        ("LDA $44,X", &[0xB5, 0x44]),
        ("LDA $4400", &[0xAD, 0x00, 0x44]),
        ("LDA $4400,X", &[0xBD, 0x00, 0x44]),
        ("LDA $4400,Y", &[0xB9, 0x00, 0x44]),
        ("LDA $44,Y", &[0xB9, 0x44, 0x00]),
        ("LDA ($44,X)", &[0xA1, 0x44]),
        ("LDA ($44),Y", &[0xB1, 0x44]),
        ("LDX $44,Y", &[0xB6, 0x44]),
        ("STX $44,Y", &[0x96, 0x44]),
        ("STA $0200,X", &[0x9D, 0x00, 0x02]),
        ("ASL", &[0x0A]),
        ("ASL A", &[0x0A]),
        ("ROR a", &[0x6A]),
        ("INC $D000", &[0xEE, 0x00, 0xD0]),
        ("BIT $2C", &[0x24, 0x2C]),
        ("BRK", &[0x00]),
        ("RTI", &[0x40]),
        ("NOP", &[0xEA]),
        ("SBC #1", &[0xE9, 0x01]),
        ("LAX $12", &[0xA7, 0x12]),
        ("SAX $12", &[0x87, 0x12]),
        ("DCP $1234,X", &[0xDF, 0x34, 0x12]),
        ("ISC ($12),Y", &[0xF3, 0x12]),
        ("ISB $12", &[0xE7, 0x12]),
        ("ANC #$0F", &[0x0B, 0x0F]),
        ("ALR #$0F", &[0x4B, 0x0F]),
        ("ASR #$0F", &[0x4B, 0x0F]),
        ("ARR #$0F", &[0x6B, 0x0F]),
        ("SBX #$0F", &[0xCB, 0x0F]),
        ("AXS #$0F", &[0xCB, 0x0F]),
        ("LAS $1234,Y", &[0xBB, 0x34, 0x12]),
        ("XAA #$0F", &[0x8B, 0x0F]),
        ("ANE #$0F", &[0x8B, 0x0F]),
        ("LXA #$0F", &[0xAB, 0x0F]),
        ("SHA ($12),Y", &[0x93, 0x12]),
        ("SHA $1234,Y", &[0x9F, 0x34, 0x12]),
        ("SHX $1234,Y", &[0x9E, 0x34, 0x12]),
        ("SHY $1234,X", &[0x9C, 0x34, 0x12]),
        ("TAS $1234,Y", &[0x9B, 0x34, 0x12]),
        ("NOP #$12", &[0x80, 0x12]),
        ("NOP $12", &[0x04, 0x12]),
        ("NOP $12,X", &[0x14, 0x12]),
        ("NOP $1234", &[0x0C, 0x34, 0x12]),
        ("NOP $1234,X", &[0x1C, 0x34, 0x12]),
        ("JAM", &[0x02]),
        ("KIL", &[0x02]),
        ("BNE *", &[0xD0, 0xFE]),
        ("BEQ *+2", &[0xF0, 0x00]),
        ("BCC *-126", &[0x90, 0x80]),
        ("BCS *+129", &[0xB0, 0x7F]),
    ];
    for (src, bytes) in cases {
        assert_eq!(assemble(&format!("        {src}")), bytes.to_vec(), "{src}");
    }
}

#[test]
fn table_facts() {
    // Base cycles and penalties of a few well-known opcodes.
    let facts: &[(u8, &str, u8, bool)] = &[
        (0xA9, "LDA", 2, false),
        (0xBD, "LDA", 4, true),
        (0x9D, "STA", 5, false),
        (0xB1, "LDA", 5, true),
        (0x91, "STA", 6, false),
        (0x1E, "ASL", 7, false),
        (0x00, "BRK", 7, false),
        (0x20, "JSR", 6, false),
        (0x6C, "JMP", 5, false),
        (0xD0, "BNE", 2, true),
        (0xB3, "LAX", 5, true),
        (0xD3, "DCP", 8, false),
        (0x1C, "NOP", 4, true),
        (0xBB, "LAS", 4, true),
    ];
    for &(code, mnemonic, cycles, penalty) in facts {
        let o = &OPCODES[usize::from(code)];
        assert_eq!(
            (o.mnemonic, o.cycles, o.page_penalty),
            (mnemonic, cycles, penalty),
            "${code:02X}"
        );
    }
    assert_eq!(modes_of("lda").len(), 8);
    assert_eq!(modes_of("JMP"), vec![Mode::Absolute, Mode::Indirect]);
    assert!(modes_of("FOO").is_empty());
    let undocumented = OPCODES.iter().filter(|o| !o.documented).count();
    assert_eq!(undocumented, 105);
}
