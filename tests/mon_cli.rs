//! `superboard mon` end to end: each `tests/golden/mon/NAME.mon` script is piped through the
//! monitor and its output must equal `NAME.out` (the first line of which is the expected exit
//! status). `UPDATE_GOLDEN=1` rewrites the `.out` files from the actual output.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn mon(args: &[&str], stdin: &str) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_superboard"))
        .arg("mon")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("superboard runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
    )
}

fn golden(name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/mon");
    let script = fs::read_to_string(dir.join(format!("{name}.mon"))).unwrap();
    let (status, output) = mon(&[], &script);
    let actual = format!("exit {status}\n{output}");
    let expected_path = dir.join(format!("{name}.out"));
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        fs::write(&expected_path, &actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&expected_path).unwrap_or_default();
    if actual != expected {
        let first = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .unwrap_or(actual.lines().count().min(expected.lines().count()));
        panic!(
            "{name}.mon: output differs from {name}.out at line {}:\n  expected: {:?}\n  actual:   {:?}\n\
             (UPDATE_GOLDEN=1 rewrites it)\n{actual}",
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

#[test]
fn machine_code_in_ram_golden() {
    golden("code");
}

#[test]
fn basic_on_the_open_roms_golden() {
    golden("basic");
}

#[test]
fn files_load_save_assemble_and_tape() {
    let dir = std::env::temp_dir().join(format!("superboard-mon-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let src = dir.join("prog.asm");
    fs::write(
        &src,
        "        .org $0300\nstart:  lda #'A'\n        jsr $FFEE\nspin:   jmp spin\n",
    )
    .unwrap();
    let d = dir.display();
    let script = format!(
        "load {d}/prog.asm\nd start:spin\nsave {d}/prog.bin start:spin+2\nsave {d}/prog.65v start:spin+2 start\n\
         f 0300:0307 EA\nload {d}/prog.bin 0300\nm 0300:0307\nload {d}/missing.bin 0300\n\
         tape {d}/prog.65v\ntape eject\ntape {d}/prog.bin\n"
    );
    let (status, out) = mon(&[], &script);
    assert_eq!(status, 1, "one load fails:\n{out}");
    assert!(out.contains("assembled"), "{out}");
    assert!(out.contains("0300  A9 41     LDA #$41"), "{out}");
    assert!(out.contains("0302  20 EE FF  JSR PUTCHAR"), "{out}");
    assert!(out.contains("0305  4C 05 03  JMP spin"), "{out}");
    assert_eq!(
        fs::read(dir.join("prog.bin")).unwrap(),
        [0xA9, 0x41, 0x20, 0xEE, 0xFF, 0x4C, 0x05, 0x03]
    );
    assert_eq!(
        fs::read_to_string(dir.join("prog.65v")).unwrap(),
        ".0300/A9\n41\n20\nEE\nFF\n4C\n05\n03\n.0300G\n"
    );
    assert!(out.contains("0300  A9 41 20 EE FF 4C 05 03"), "{out}");
    assert!(
        out.contains("error: ") && out.contains("missing.bin"),
        "{out}"
    );
    assert!(out.contains("tape ") && out.contains("prog.65v: "), "{out}");
    assert!(out.contains("no tape"), "{out}");
    // The 65V tape runs in the machine: M, L reads it and G jumps to the code, which prints A.
    let script = format!("tape {d}/prog.65v\nwait \"C/W/M ?\"\ntype M\ntype L\nb 0305\nc\n");
    let (status, out) = mon(&[], &script);
    assert_eq!(status, 0, "{out}");
    assert!(out.contains("breakpoint at $0305\nPC=0305 A=41"), "{out}");
    fs::remove_dir_all(&dir).ok();
}

#[test]
fn commands_from_options_and_an_interactive_style_session() {
    let (status, out) = mon(&["-e", "r a=12", "-e", "registers"], "quit\nr\n");
    assert_eq!(status, 0);
    assert_eq!(out.matches("A=12").count(), 2, "{out}");
    assert!(!out.contains(". r\n"), "nothing runs after quit:\n{out}");
}
