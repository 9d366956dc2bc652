//! Forward-referenced constants: chains of any length settle, in any order, within macros and
//! local scopes; a real cycle is reported once, at the definition that closes it.

use superboard_asm::{assemble_source, render_all, ErrorKind, Options};

fn assemble(src: &str) -> Result<superboard_asm::Assembly, Vec<superboard_asm::Diagnostic>> {
    assemble_source("main.asm", src, &Options::default())
}

/// `c0 = c1 + 1` … `c{n-1} = cn + 1`, `cn = 1`, then code using c0.
fn chain(n: usize) -> String {
    let mut src = String::from("        .org $0300\n        lda #<c0\n        ldx #>c0\n");
    for i in 0..n {
        src.push_str(&format!("c{i} = c{} + 1\n", i + 1));
    }
    src.push_str(&format!("c{n} = 1\n"));
    src
}

#[test]
fn a_chain_of_fifteen_and_one_of_two_thousand_settle() {
    for n in [1, 15, 16, 17, 40, 2000] {
        let a = assemble(&chain(n)).unwrap_or_else(|d| panic!("n={n}: {}", render_all(&d)));
        let value = n as i64 + 1;
        assert_eq!(a.symbol("c0"), Some(value), "n={n}");
        assert_eq!(a.byte(0x0301), Some(value as u8));
        assert_eq!(a.byte(0x0303), Some((value >> 8) as u8));
    }
}

#[test]
fn chains_through_labels_locals_and_macros() {
    let src = "\
size = last - first + extra
extra = more * 2
        .org $0400
first:  lda #size
@here:  ldx #local_ref
local_ref = @there - @here
@there: nop
        .macro k name, value
name = value
        .endmacro
        k far, nearer + 1
        k nearer, size
last:   rts
more = 3
";
    let a = assemble(src).unwrap_or_else(|d| panic!("{}", render_all(&d)));
    assert_eq!(a.symbol("first"), Some(0x400));
    assert_eq!(a.symbol("last"), Some(0x405));
    assert_eq!(a.symbol("size"), Some(5 + 6));
    assert_eq!(a.symbol("far"), Some(12));
    assert_eq!(a.byte(0x0401), Some(11));
    assert_eq!(a.byte(0x0403), Some(2));
}

#[test]
fn a_cycle_is_reported_at_the_line_that_closes_it() {
    let src = "        .org $0300\n        lda #a\na = b + 1\nc = 7\nb = c + a\n";
    let d = assemble(src).unwrap_err();
    assert_eq!(d.len(), 1, "{}", render_all(&d));
    let e = &d[0];
    assert_eq!(
        (e.kind, e.file.as_str(), e.line, e.col),
        (ErrorKind::Circular, "main.asm", 5, 9)
    );
    assert_eq!(
        e.message,
        "circular definition: `b` depends on itself (b -> a -> b)"
    );
    let shown = render_all(&d);
    assert!(shown.contains("main.asm:5:9"), "{shown}");
    assert!(shown.contains(" 5 | b = c + a\n   |         ^"), "{shown}");
}

#[test]
fn a_long_cycle_and_a_self_reference() {
    let mut src = chain(30);
    src = src.replace("c30 = 1", "c30 = c0 - 1");
    let d = assemble(&src).unwrap_err();
    assert_eq!(d.len(), 1, "{}", render_all(&d));
    assert_eq!((d[0].line, d[0].col), (34, 7));
    assert!(d[0]
        .message
        .starts_with("circular definition: `c30` depends on itself (c30 -> c0 -> c1"));
    let d = assemble("x = x + 1\n").unwrap_err();
    assert_eq!(d.len(), 1, "{}", render_all(&d));
    assert_eq!((d[0].line, d[0].col), (1, 5));
    assert!(d[0].message.contains("(x -> x)"));
}

#[test]
fn an_undefined_symbol_at_the_end_of_a_chain_is_named_where_it_is_used() {
    let d = assemble("a = b + 1\nb = nothing\n        .org $300\n        lda #a\n").unwrap_err();
    let undefined: Vec<_> = d
        .iter()
        .filter(|e| e.message.contains("undefined symbol `nothing`"))
        .collect();
    assert_eq!(undefined.len(), 1, "{}", render_all(&d));
    assert_eq!((undefined[0].line, undefined[0].col), (2, 5));
}
