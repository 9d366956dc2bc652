//! Every error kind, with its file, line and column; several errors per run; rendering with a
//! caret.

use std::path::Path;

use superboard_asm::{assemble_with, Diagnostic, ErrorKind, MemoryFiles, Options};

fn errors_in(files: &[(&str, &str)]) -> Vec<Diagnostic> {
    let mut mem = MemoryFiles::new();
    for (name, text) in files {
        mem.insert(*name, *text);
    }
    match assemble_with(Path::new(files[0].0), &Options::default(), &mut mem) {
        Ok(_) => panic!("expected errors for {files:?}"),
        Err(d) => d,
    }
}

fn single(src: &str) -> Diagnostic {
    let d = errors_in(&[("main.asm", src)]);
    assert_eq!(d.len(), 1, "{d:#?}");
    d.into_iter().next().unwrap()
}

#[track_caller]
fn check(src: &str, kind: ErrorKind, line: usize, col: usize) -> Diagnostic {
    let d = single(src);
    assert_eq!(
        (d.kind, d.file.as_str(), d.line, d.col),
        (kind, "main.asm", line, col),
        "{d}"
    );
    d
}

#[test]
fn undefined_symbol() {
    let d = check(
        "        .org $1000\n        lda nowhere\n",
        ErrorKind::UndefinedSymbol,
        2,
        13,
    );
    assert!(d.message.contains("nowhere"));
    check("x:      bne @missing\n", ErrorKind::UndefinedSymbol, 1, 13);
    check(".if nothing\n.endif\n", ErrorKind::UndefinedSymbol, 1, 5);
    // Circular definitions never get a value: reported once, at the definition that closes
    // the loop, not silently assembled as 0 (tests/asm_constants.rs has more).
    let d = errors_in(&[("main.asm", "B1 = C1\nC1 = B1\n        lda B1\n")]);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(
        (d[0].kind, d[0].line, d[0].col),
        (ErrorKind::Circular, 2, 6)
    );
    assert!(
        d[0].message.contains("(C1 -> B1 -> C1)"),
        "{}",
        d[0].message
    );
    // A symbol defined later is not yet known where an .if needs it.
    check(
        ".if later\n.endif\nlater = 1\n",
        ErrorKind::BadExpression,
        1,
        5,
    );
}

#[test]
fn out_of_range() {
    check(
        "        .org $1000\n        bne $2000\n",
        ErrorKind::OutOfRange,
        2,
        13,
    );
    check("        lda ($1234),y\n", ErrorKind::OutOfRange, 1, 14);
    check("        lda ($1234,x)\n", ErrorKind::OutOfRange, 1, 14);
    check("        .byte 1, 256\n", ErrorKind::OutOfRange, 1, 18);
    check("        lda #$100\n", ErrorKind::OutOfRange, 1, 14);
    check("        .word $10000\n", ErrorKind::OutOfRange, 1, 15);
    check("        stx $1234,y\n", ErrorKind::OutOfRange, 1, 13);
    check(
        "        .org $FFFF\n        nop\n        nop\n",
        ErrorKind::OutOfRange,
        3,
        9,
    );
    check("        .org $10000\n", ErrorKind::OutOfRange, 1, 9);
    // Branch distance exactly one beyond each end.
    check(
        "        .org $1000\n        bcc *+130\n",
        ErrorKind::OutOfRange,
        2,
        13,
    );
    check(
        "        .org $1000\n        bcc *-127\n",
        ErrorKind::OutOfRange,
        2,
        13,
    );
}

#[test]
fn bad_addressing_mode() {
    check("        jmp #3\n", ErrorKind::BadAddressingMode, 1, 13);
    check("        lda ($12)\n", ErrorKind::BadAddressingMode, 1, 13);
    check("        sta #1\n", ErrorKind::BadAddressingMode, 1, 13);
    check("        inx $12\n", ErrorKind::BadAddressingMode, 1, 13);
    check("        jsr\n", ErrorKind::BadAddressingMode, 1, 12);
    check("        ldx $12,x\n", ErrorKind::BadAddressingMode, 1, 13);
}

#[test]
fn unknown_mnemonic_and_directive() {
    let d = check("start:  lad #1\n", ErrorKind::UnknownMnemonic, 1, 9);
    assert!(d.message.contains("lad"));
    check("        .proc foo\n", ErrorKind::UnknownDirective, 1, 9);
}

#[test]
fn duplicate_label() {
    check(
        "here:   nop\nhere:   nop\n",
        ErrorKind::DuplicateLabel,
        2,
        1,
    );
    check("top:\n@x: nop\n@x: nop\n", ErrorKind::DuplicateLabel, 3, 1);
    check("K = 1\nK = 2\n", ErrorKind::DuplicateLabel, 2, 1);
    // The same local name under two global labels is fine.
    let ok = superboard_asm::assemble_source(
        "ok.asm",
        "a1:\n@x: nop\nb1:\n@x: nop\n",
        &Options::default(),
    );
    assert!(ok.is_ok());
}

#[test]
fn include_loop_and_missing_include() {
    let d = errors_in(&[
        ("main.asm", "        nop\n        .include \"sub.asm\"\n"),
        ("sub.asm", "; sub\n        .include \"main.asm\"\n"),
    ]);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(
        (d[0].kind, d[0].file.as_str(), d[0].line, d[0].col),
        (ErrorKind::IncludeLoop, "sub.asm", 2, 18)
    );
    check(
        "        .include \"nothere.asm\"\n",
        ErrorKind::MissingInclude,
        1,
        18,
    );
}

#[test]
fn unterminated_macro_and_if() {
    check(
        "        nop\n.macro m\n        nop\n",
        ErrorKind::UnterminatedMacro,
        2,
        1,
    );
    check(
        "        nop\n.if 1\n        nop\n",
        ErrorKind::UnterminatedIf,
        2,
        1,
    );
    check(".if 1\n.else\n.else\n.endif\n", ErrorKind::Syntax, 3, 1);
    check(".endif\n", ErrorKind::Syntax, 1, 1);
    check(".endmacro\n", ErrorKind::Syntax, 1, 1);
}

#[test]
fn assert_failure_carries_its_message() {
    let d = check(
        "        .org $1000\n        .assert * = $2000, \"not at $2000\"\n",
        ErrorKind::AssertFailed,
        2,
        9,
    );
    assert!(d.message.contains("not at $2000"), "{}", d.message);
}

#[test]
fn syntax_errors() {
    check("        lda #(1+\n", ErrorKind::Syntax, 1, 17);
    check("        lda $12,z\n", ErrorKind::Syntax, 1, 17);
    check("        .byte \"open\n", ErrorKind::Syntax, 1, 15);
    check("        lda 1 2\n", ErrorKind::Syntax, 1, 15);
    check("        ?\n", ErrorKind::Syntax, 1, 9);
    check(
        "        .org later\nlater:\n",
        ErrorKind::BadExpression,
        1,
        14,
    );
    check("        .byte 1/0\n", ErrorKind::BadExpression, 1, 16);
}

#[test]
fn overlapping_code() {
    check(
        "        .org $1000\n        nop\n        .org $1000\n        nop\n",
        ErrorKind::Overlap,
        4,
        9,
    );
}

#[test]
fn several_errors_are_collected_in_one_run() {
    let d = errors_in(&[(
        "main.asm",
        "        lda nowhere\n        foo\n        .byte 300\n        jmp #1\nx: nop\nx: nop\n",
    )]);
    let got: Vec<(ErrorKind, usize)> = d.iter().map(|d| (d.kind, d.line)).collect();
    assert_eq!(
        got,
        vec![
            (ErrorKind::UndefinedSymbol, 1),
            (ErrorKind::UnknownMnemonic, 2),
            (ErrorKind::OutOfRange, 3),
            (ErrorKind::BadAddressingMode, 4),
            (ErrorKind::DuplicateLabel, 6),
        ]
    );
}

#[test]
fn errors_inside_macros_and_includes_point_at_their_source() {
    let d = errors_in(&[
        ("main.asm", ".macro load v\n        lda #v\n.endmacro\n        .include \"lib/sub.asm\"\n        load 300\n"),
        ("lib/sub.asm", "        nop\n        bogus\n"),
    ]);
    assert_eq!(d.len(), 2, "{d:#?}");
    assert_eq!(
        (d[0].kind, d[0].file.as_str(), d[0].line),
        (ErrorKind::UnknownMnemonic, "lib/sub.asm", 2)
    );
    assert!(
        d[1].message
            .ends_with("(in macro `load` called at main.asm:5)"),
        "{}",
        d[1].message
    );
    assert_eq!(
        (d[1].kind, d[1].file.as_str(), d[1].line, d[1].col),
        (ErrorKind::OutOfRange, "main.asm", 2, 14)
    );
}

#[test]
fn rendering_shows_the_line_and_a_caret() {
    let d = single("        .org $1000\n\tlda  nowhere ; comment\n");
    assert_eq!(
        d.to_string(),
        "main.asm:2:7: error: undefined symbol `nowhere`\n 2 | \tlda  nowhere ; comment\n   | \t     ^"
    );
}

#[test]
fn unreadable_top_file() {
    let d =
        superboard_asm::assemble_file("/nonexistent/dir/x.asm", &Options::default()).unwrap_err();
    assert_eq!(d[0].kind, ErrorKind::Io);
}
