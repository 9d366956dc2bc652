//! Disassemble → reassemble is byte-identical: for random byte strings (deterministic PRNG)
//! at random origins, and for a real program.

use std::collections::BTreeMap;

use superboard_asm::disasm::{disassemble, disassemble_source};
use superboard_asm::{assemble_source, render_all, Options};

/// xorshift64*: a small deterministic generator for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn reassemble(bytes: &[u8], org: u16) {
    reassemble_with(bytes, org, None);
}

fn reassemble_with(bytes: &[u8], org: u16, symbols: Option<&BTreeMap<String, i64>>) {
    let source = disassemble_source(bytes, org, None, None, symbols).unwrap();
    let assembly = assemble_source("roundtrip.asm", &source, &Options::default())
        .unwrap_or_else(|d| panic!("{}\n{source}", render_all(&d)));
    let image = match assembly.range() {
        Some((lo, hi)) => {
            assert_eq!(lo, org);
            assembly.image(lo, hi, 0).unwrap()
        }
        None => Vec::new(),
    };
    assert_eq!(image, bytes, "org ${org:04X}\n{source}");
}

#[test]
fn random_bytes_reassemble_identically() {
    let mut rng = Rng(0x5EED_0000_6502_0001);
    for round in 0..300 {
        let len = 1 + rng.below(96) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        // Some rounds sit at the very ends of memory so branches wrap.
        let org = match round % 3 {
            0 => 0,
            1 => (0x10000 - len) as u16,
            _ => rng.below((0x10000 - len) as u64) as u16,
        };
        reassemble(&bytes, org);
    }
}

#[test]
fn random_bytes_with_random_symbols_reassemble_identically() {
    let mut rng = Rng(0x5EED_0000_6502_0002);
    for round in 0..300 {
        let len = 1 + rng.below(64) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let org = match round % 3 {
            0 => 0,
            1 => (0x10000 - len) as u16,
            _ => rng.below((0x10000 - len) as u64) as u16,
        };
        // Names for some addresses inside the code, some zero-page ones, some the operands
        // happen to use, plus names the source cannot use as they are.
        let mut symbols = BTreeMap::new();
        for k in 0..rng.below(12) {
            let value = match rng.below(4) {
                0 => i64::from(org) + rng.below(len as u64) as i64,
                1 => rng.below(0x100) as i64,
                2 => i64::from(bytes[rng.below(len as u64) as usize]),
                _ => rng.below(0x10000) as i64,
            };
            symbols.insert(format!("L{k}_{value:X}"), value);
        }
        for odd in ["a", "X", "@loc", "9x", "nop", "has space"] {
            symbols.insert(odd.to_string(), rng.below(0x10000) as i64);
        }
        reassemble_with(&bytes, org, Some(&symbols));
    }
}

#[test]
fn every_opcode_with_every_operand_edge_reassembles() {
    for code in 0..=255u8 {
        for operand in [
            [0x00, 0x00],
            [0xFF, 0x00],
            [0x80, 0xFF],
            [0x7F, 0x01],
            [0xFF, 0xFF],
        ] {
            let bytes = [code, operand[0], operand[1]];
            reassemble(&bytes, 0x0200);
            reassemble(&bytes[..2], 0xFFFE);
            reassemble(&bytes[..1], 0xFFFF);
        }
    }
}

const PROGRAM: &str = r#"
; Multiplies two 8-bit numbers and prints the 16-bit product in hex through a CHROUT vector.
CHROUT  = $FFEE
NUM1    = $F0
NUM2    = $F1
RESULT  = $F2           ; 2 bytes

        .org $0300
start:  lda #13
        sta NUM1
        lda #21
        sta NUM2
        jsr multiply
        lda RESULT+1
        jsr hexout
        lda RESULT
        jsr hexout
        jmp *

; RESULT = NUM1 * NUM2 (shift and add). Clobbers A, X.
multiply:
        lda #0
        sta RESULT
        sta RESULT+1
        ldx #8
@loop:  lsr NUM2
        bcc @skip
        clc
        lda RESULT+1
        adc NUM1
        sta RESULT+1
@skip:  ror RESULT+1
        ror RESULT
        dex
        bne @loop
        rts

; Prints A as two hex digits.
hexout: pha
        lsr
        lsr
        lsr
        lsr
        jsr @digit
        pla
        and #$0F
@digit: cmp #10
        bcc @num
        adc #'A'-10-1
        jmp CHROUT
@num:   adc #'0'
        jmp CHROUT
table:  .word start, multiply, hexout
        .byte "done", 0
"#;

#[test]
fn a_real_program_round_trips() {
    let a = assemble_source("program.asm", PROGRAM, &Options::default()).unwrap();
    let (lo, hi) = a.range().unwrap();
    assert_eq!(lo, 0x0300);
    let bytes = a.image(lo, hi, 0).unwrap();
    reassemble(&bytes, lo);
    reassemble_with(&bytes, lo, Some(a.symbol_table()));
    let source = disassemble_source(&bytes, lo, None, None, Some(a.symbol_table())).unwrap();
    for needle in [
        "CHROUT = $FFEE\n",
        "multiply:\n",
        "        JSR multiply\n",
        "        LSR z:NUM2\n",
        "        JMP CHROUT\n",
    ] {
        assert!(source.contains(needle), "{needle}\n{source}");
    }
    // The listing names the symbols it was given.
    let listing = disassemble(&bytes, lo, None, Some(0x0311), Some(a.symbol_table())).unwrap();
    assert!(
        listing.starts_with("start:\n0300  A9 0D     LDA #$0D\n"),
        "{listing}"
    );
    assert!(listing.contains("JSR multiply\n"), "{listing}");
    assert!(
        listing.contains("LDA RESULT\n") || listing.contains("LDA $F2\n"),
        "{listing}"
    );
}

#[test]
fn the_rom_sources_round_trip() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (source, start, end) in [
        ("rom/monitor.asm", 0xF800, 0xFFFF),
        ("rom/basic/basic.asm", 0xA000, 0xBFFF),
    ] {
        let path = root.join(source);
        if !path.exists() {
            continue;
        }
        let a = superboard_asm::assemble_file(&path, &Options::default())
            .unwrap_or_else(|d| panic!("{}", render_all(&d)));
        let image = a.image(start, end, 0xFF).unwrap();
        reassemble(&image, start);
        reassemble_with(&image, start, Some(a.symbol_table()));
    }
}
