//! No input panics the assembler or the disassembler: random byte strings, random token soups
//! and mutations of a real program, from a deterministic generator.

use std::path::Path;

use superboard_asm::disasm::{disassemble, disassemble_source};
use superboard_asm::symbols::parse_symbols;
use superboard_asm::{assemble_with, MemoryFiles, Options};

/// xorshift64*: a small deterministic generator for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "lda",
    "LDA",
    "sta",
    "jmp",
    "jsr",
    "bne",
    "beq",
    "asl",
    "nop",
    "rts",
    "lax",
    "jam",
    "sbc",
    "inc",
    "stx",
    "ldx",
    "a",
    "A",
    "x",
    "X",
    "y",
    "Y",
    "a:",
    "z:",
    "start",
    "start:",
    "@l",
    "@l:",
    "loop:",
    "loop",
    "K",
    "K =",
    "m",
    ".org",
    ".byte",
    ".word",
    ".res",
    ".text",
    ".include",
    ".if",
    ".else",
    ".endif",
    ".macro",
    ".endmacro",
    ".assert",
    ".bogus",
    "$",
    "$FF",
    "$1234",
    "$FFFF",
    "$10000",
    "%1010",
    "%",
    "0",
    "255",
    "256",
    "65535",
    "99999999999",
    "'a'",
    "'",
    "'\\n'",
    "\"s\"",
    "\"",
    "\"self.asm\"",
    "\"other.asm\"",
    "\"nothere.asm\"",
    "#",
    "(",
    ")",
    ",",
    ":",
    ";",
    "+",
    "-",
    "*",
    "/",
    "&",
    "|",
    "^",
    "~",
    "<",
    ">",
    "<<",
    ">>",
    "=",
    "<>",
    "<=",
    ">=",
    "!",
    "&&",
    "||",
    "\n",
    "\n",
    "\n",
    "\t",
    " ",
    "é",
    "\u{0}",
    "\r\n",
];

const PROGRAM: &str = r#"K = $10
        .org $0400
.macro add2 v, w
@x:     lda #v
        clc
        adc #w
        bne @x
.endmacro
start:  ldx #K
@loop:  dex
        bne @loop
        add2 1, 2
.if K > 8
        lda (K),y
.else
        lda (K,x)
.endif
        .byte "hi", 0, <start, >start
        .word start, * + 3
        .res 4, $EA
        .assert * < $0500, "too long"
        .include "other.asm"
        jmp a:start
"#;

fn assemble(files: &[(&str, &[u8])]) {
    let mut mem = MemoryFiles::new();
    for (name, text) in files {
        mem.insert(*name, text.to_vec());
    }
    let result = assemble_with(Path::new("self.asm"), &Options { origin: 0xFFF0 }, &mut mem);
    match result {
        Ok(a) => {
            let _ = a.listing();
            let _ = a.symbols();
            if let Some((lo, hi)) = a.range() {
                let image = a.image(lo, hi, 0xFF).unwrap();
                let _ = disassemble(&image, lo, None, None, Some(a.symbol_table()));
            }
        }
        Err(diags) => {
            assert!(!diags.is_empty());
            for d in diags {
                let _ = d.to_string();
            }
        }
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(0xF022_1234_5678_9ABC);
    for _ in 0..600 {
        let len = rng.below(200);
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                // Mostly printable ASCII and newlines so the lexer gets past the first byte.
                match rng.below(10) {
                    0 => rng.next() as u8,
                    1 => b'\n',
                    _ => 0x20 + rng.below(0x5F) as u8,
                }
            })
            .collect();
        assemble(&[("self.asm", &bytes)]);
        let _ = disassemble_source(&bytes, rng.next() as u16, None, None, None);
        let _ = parse_symbols(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn token_soups_never_panic() {
    let mut rng = Rng(0x7014_E115_0000_0001);
    for _ in 0..1500 {
        let n = rng.below(60);
        let mut text = String::new();
        for _ in 0..n {
            text.push_str(rng.pick(WORDS));
            if rng.below(3) > 0 {
                text.push(' ');
            }
        }
        let other: String = (0..rng.below(20))
            .map(|_| format!("{} ", rng.pick(WORDS)))
            .collect();
        assemble(&[
            ("self.asm", text.as_bytes()),
            ("other.asm", other.as_bytes()),
        ]);
    }
}

#[test]
fn mutated_programs_never_panic() {
    let mut rng = Rng(0x0DD5_EED5_0000_0042);
    let base = PROGRAM.as_bytes();
    let mut mem = MemoryFiles::new();
    mem.insert("self.asm", base.to_vec());
    mem.insert("other.asm", b"        nop\n".to_vec());
    let ok = assemble_with(Path::new("self.asm"), &Options::default(), &mut mem);
    assert!(ok.is_ok(), "{ok:?}");
    for _ in 0..800 {
        let mut bytes = base.to_vec();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(bytes.len().max(1));
            match rng.below(4) {
                0 => {
                    if at < bytes.len() {
                        bytes.remove(at);
                    }
                }
                1 => bytes.insert(at, rng.pick(WORDS).as_bytes()[0]),
                2 => {
                    let word = rng.pick(WORDS).as_bytes();
                    bytes.splice(at..at, word.iter().copied());
                }
                _ => {
                    if at < bytes.len() {
                        bytes[at] = rng.next() as u8;
                    }
                }
            }
        }
        let other: &[u8] = match rng.below(3) {
            0 => b".include \"self.asm\"\n",
            1 => b"        add2 3, 4\n        bne start\n",
            _ => b"@l:     jmp @l\n",
        };
        assemble(&[("self.asm", &bytes), ("other.asm", other)]);
    }
}

#[test]
fn runaway_expansion_stops_with_an_error() {
    // Each expansion calls the macro twice: without limits this would never end.
    let src = b".macro m\n        m\n        m\n.endmacro\n        m\n";
    let mut mem = MemoryFiles::new();
    mem.insert("self.asm", src.to_vec());
    let d = assemble_with(Path::new("self.asm"), &Options::default(), &mut mem).unwrap_err();
    assert!(!d.is_empty());
    let deep = format!("        .byte {}1{}\n", "(".repeat(5000), ")".repeat(5000));
    mem.insert("self.asm", deep.into_bytes());
    assert!(assemble_with(Path::new("self.asm"), &Options::default(), &mut mem).is_err());
    let unary = format!("        .byte {}1\n", "-".repeat(5000));
    mem.insert("self.asm", unary.into_bytes());
    assert!(assemble_with(Path::new("self.asm"), &Options::default(), &mut mem).is_err());
}
