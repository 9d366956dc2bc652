//! Assembler features: includes, macros, conditionals, local labels, forward references,
//! zero-page choice, `a:`, expressions, data directives, symbol files, images, and the golden
//! listing (tests/golden/asm/, re-blessed with UPDATE_GOLDEN=1).

use std::path::{Path, PathBuf};

use superboard_asm::{
    assemble_file, assemble_with, render_all, Assembly, ImageError, MemoryFiles, Options,
};

fn build(files: &[(&str, &str)]) -> Assembly {
    let mut mem = MemoryFiles::new();
    for (name, text) in files {
        mem.insert(*name, *text);
    }
    assemble_with(Path::new(files[0].0), &Options::default(), &mut mem)
        .unwrap_or_else(|d| panic!("{}", render_all(&d)))
}

fn bytes(a: &Assembly) -> Vec<u8> {
    let (lo, hi) = a.range().expect("something assembled");
    a.image(lo, hi, 0xFF).unwrap()
}

fn one(src: &str) -> Vec<u8> {
    bytes(&build(&[("main.asm", src)]))
}

#[test]
fn includes_are_relative_to_the_including_file() {
    let a = build(&[
        (
            "main.asm",
            "        .org $1000\n        .include \"lib/a.asm\"\n        rts\n",
        ),
        ("lib/a.asm", "        .include \"b.asm\"\n        inx\n"),
        ("lib/b.asm", "        dex\n"),
    ]);
    assert_eq!(bytes(&a), vec![0xCA, 0xE8, 0x60]);
    let files: Vec<PathBuf> = a.files().to_vec();
    assert_eq!(
        files,
        vec![
            PathBuf::from("main.asm"),
            PathBuf::from("lib/a.asm"),
            PathBuf::from("lib/b.asm")
        ]
    );
}

#[test]
fn the_same_file_may_be_included_twice() {
    let a = build(&[
        (
            "main.asm",
            "        .include \"x.asm\"\n        .include \"x.asm\"\n",
        ),
        ("x.asm", "        nop\n"),
    ]);
    assert_eq!(bytes(&a), vec![0xEA, 0xEA]);
}

#[test]
fn macros_take_parameters_and_have_their_own_locals() {
    let src = "
        .org $2000
.macro poke value, addr
        lda #value
        sta addr
.endmacro
.macro wait count
        ldx #count
@spin:  dex
        bne @spin
.endmacro
.macro twice_wait
        wait 1
        wait 2
.endmacro
start:  poke $41, $D000
        poke <start, start+1
        wait 3
        twice_wait
@done:  jmp @done
";
    assert_eq!(
        one(src),
        vec![
            0xA9, 0x41, 0x8D, 0x00, 0xD0, // poke $41, $D000
            0xA9, 0x00, 0x8D, 0x01, 0x20, // poke <start, start+1
            0xA2, 0x03, 0xCA, 0xD0, 0xFD, // wait 3
            0xA2, 0x01, 0xCA, 0xD0, 0xFD, // wait 1
            0xA2, 0x02, 0xCA, 0xD0, 0xFD, // wait 2
            0x4C, 0x19, 0x20, // jmp @done (the caller's local, not the macro's)
        ]
    );
}

#[test]
fn macro_invocations_are_case_sensitive_names_mnemonics_are_not() {
    assert_eq!(
        one(".macro Inc2\n        inx\n        INX\n.endmacro\n        Inc2\n        InX\n"),
        vec![0xE8, 0xE8, 0xE8]
    );
}

#[test]
fn conditionals_nest_and_compare_ca65_style() {
    let src = "
MODEL = 2
        .org $10
.if MODEL = 1
        .byte 1
.else
  .if MODEL <> 2
        .byte 2
  .else
        .byte 3
    .if MODEL >= 2 && MODEL <= 2
        .byte 4
    .endif
  .endif
.endif
.if 0
  .if 1
        .byte 5
  .else
        .byte 6
  .endif
        .bogus this is skipped
.endif
.IF MODEL > 1
        .BYTE 7
.ENDIF
";
    assert_eq!(one(src), vec![3, 4, 7]);
}

#[test]
fn local_labels_belong_to_the_previous_global_label() {
    let src = "
        .org $0300
first:  ldx #2
@loop:  dex
        bne @loop
second: ldy #2
@loop:  dey
        bne @loop
        beq @end
@end:   rts
";
    let a = build(&[("main.asm", src)]);
    assert_eq!(
        bytes(&a),
        vec![0xA2, 0x02, 0xCA, 0xD0, 0xFD, 0xA0, 0x02, 0x88, 0xD0, 0xFD, 0xF0, 0x00, 0x60]
    );
    // Locals stay out of the symbol file.
    assert_eq!(a.symbols(), "first = $0300\nsecond = $0305\n");
}

#[test]
fn labels_are_case_sensitive() {
    let a = build(&[(
        "main.asm",
        "        .org $10\nfoo:    nop\nFoo:    nop\n        jmp foo\n        jmp Foo\n",
    )]);
    assert_eq!(
        bytes(&a),
        vec![0xEA, 0xEA, 0x4C, 0x10, 0x00, 0x4C, 0x11, 0x00]
    );
}

#[test]
fn forward_references_resolve_through_chains_of_constants() {
    let src = "
        .org $4000
        jmp later
        lda FIRST
        .word FIRST, SECOND
FIRST = SECOND + 1
SECOND = later + 1
later:  rts
";
    assert_eq!(
        one(src),
        vec![0x4C, 0x0A, 0x40, 0xAD, 0x0C, 0x40, 0x0C, 0x40, 0x0B, 0x40, 0x60]
    );
}

#[test]
fn zero_page_is_chosen_when_known_and_kept_stable() {
    let src = "
ZPVAR = $12
        .org $0200
        lda ZPVAR           ; known: zero page
        lda LATER           ; unknown in pass 1: absolute, even though it turns out small
        lda ZPVAR,x
        lda LATER,x
        stx ZPVAR,y
        lda a:ZPVAR         ; forced absolute
        lda z:LATER         ; forced zero page
        ldx ZPVAR+$100,y    ; too big for zero page
LATER = $34
";
    assert_eq!(
        one(src),
        vec![
            0xA5, 0x12, 0xAD, 0x34, 0x00, 0xB5, 0x12, 0xBD, 0x34, 0x00, 0x96, 0x12, 0xAD, 0x12,
            0x00, 0xA5, 0x34, 0xBE, 0x12, 0x01,
        ]
    );
}

#[test]
fn expressions() {
    let src = "
        .org $1234
V = 10
        .byte <*, >*, V*2+1, V/3, V-12+2, -1, ~$F0 & $FF, 1<<4|1, $F0>>4, V^3, (V+2)*2
        .byte 'A', 'z'-'a', %1010_0101, 3 = 3, 3 <> 3, 2 < 3, 2 > 3, !0, 1 && 0, 1 || 0
        .word * - 2, $1234 & $FF00
";
    assert_eq!(
        one(src),
        vec![
            0x34, 0x12, 21, 3, 0, 0xFF, 0x0F, 0x11, 0x0F, 9, 24, //
            b'A', 25, 0xA5, 1, 0, 1, 0, 1, 0, 1, //
            0x47, 0x12, 0x00, 0x12,
        ]
    );
}

#[test]
fn data_directives() {
    let a = build(&[(
        "main.asm",
        "        .org $0100\n        .text \"AB\"\n        .byte \"C\", 0, \"D\\n\"\n        .res 2, $EA\nbuf:    .res 3\n        .word buf\n",
    )]);
    // .res without a fill value only reserves: those addresses keep the image fill.
    assert_eq!(
        bytes(&a),
        vec![b'A', b'B', b'C', 0, b'D', b'\n', 0xEA, 0xEA, 0xFF, 0xFF, 0xFF, 0x08, 0x01]
    );
    assert_eq!(a.byte(0x0108), None);
    assert_eq!(a.byte(0x0106), Some(0xEA));
    assert_eq!(a.symbol("buf"), Some(0x0108));
}

#[test]
fn images_reject_code_outside_their_range() {
    let a = build(&[("main.asm", "        .org $F7FF\n        nop\n        nop\n")]);
    assert_eq!(a.range(), Some((0xF7FF, 0xF800)));
    assert_eq!(
        a.image(0xF800, 0xFFFF, 0xFF),
        Err(ImageError::Outside {
            addr: 0xF7FF,
            count: 1,
            start: 0xF800,
            end: 0xFFFF
        })
    );
    let image = a.image(0xF7FE, 0xF801, 0x55).unwrap();
    assert_eq!(image, vec![0x55, 0xEA, 0xEA, 0x55]);
    assert!(a.image(2, 1, 0).is_err());
}

#[test]
fn origin_option_and_comments() {
    let mut mem = MemoryFiles::new();
    mem.insert(
        "m.asm",
        "; only a comment\n        nop ; trailing\n\n        .byte ';'\n",
    );
    let a = assemble_with(Path::new("m.asm"), &Options { origin: 0x8000 }, &mut mem).unwrap();
    assert_eq!(a.range(), Some((0x8000, 0x8001)));
    assert_eq!(bytes(&a), vec![0xEA, b';']);
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/asm")
}

#[test]
fn golden_listing() {
    let dir = golden_dir();
    let a = assemble_file(dir.join("listing.asm"), &Options::default())
        .unwrap_or_else(|d| panic!("{}", render_all(&d)));
    let actual = format!("{}\n; symbols\n{}", a.listing(), a.symbols());
    let expected_path = dir.join("listing.lst");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&expected_path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    if actual != expected {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("listing.actual.lst");
        std::fs::write(&out, &actual).unwrap();
        panic!(
            "listing differs from {}; actual written to {}",
            expected_path.display(),
            out.display()
        );
    }
}
