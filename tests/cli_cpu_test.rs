//! `superboard cpu-test` end to end, on small hand-assembled images.

use std::path::PathBuf;
use std::process::{Command, Output};

/// Writes `bytes` to a fresh file in the temp dir and returns its path.
fn image(name: &str, bytes: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("sb-cpu-test-{}-{name}.bin", std::process::id()));
    std::fs::write(&path, bytes).expect("write temp image");
    path
}

fn cpu_test(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_superboard"))
        .arg("cpu-test")
        .args(args)
        .output()
        .expect("run superboard")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// LDX #$00 / loop: INX / CPX #$20 / BNE loop / done: JMP done   (at $0400, done = $0407)
const COUNT_TO_32: [u8; 10] = [0xA2, 0x00, 0xE8, 0xE0, 0x20, 0xD0, 0xFB, 0x4C, 0x07, 0x04];

#[test]
fn counting_loop_passes_at_the_success_trap() {
    let path = image("count", &COUNT_TO_32);
    let out = cpu_test(&[
        path.to_str().unwrap(),
        "--load",
        "$0400",
        "--start",
        "0x0400",
        "--success",
        "1031", // $0407
    ]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_eq!(text.lines().count(), 1, "{text}");
    // LDX 2 + 31 x (INX 2 + CPX 2 + BNE taken 3) + (2 + 2 + 2) + JMP 3 = 228 cycles;
    // 1 + 32 x 3 + 1 = 98 instructions.
    assert!(
        text.starts_with("result=PASS end=trap pc=$0407 cycles=228 instructions=98 secs="),
        "{text}"
    );
    assert!(text.contains(" mhz="), "{text}");
    let _ = std::fs::remove_file(path);
}

#[test]
fn trap_elsewhere_fails() {
    // LDA #$00 / here: BEQ here   (trap at $0402)
    let path = image("beq", &[0xA9, 0x00, 0xF0, 0xFE]);
    let out = cpu_test(&[
        path.to_str().unwrap(),
        "--load",
        "$0400",
        "--start",
        "$0400",
        "--success",
        "$0500",
    ]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.starts_with("result=FAIL end=trap pc=$0402 "), "{text}");
    let _ = std::fs::remove_file(path);
}

#[test]
fn a_jam_is_reported_as_a_jam_even_at_the_success_address() {
    // NOP / JAM at $C001
    let path = image("jam", &[0xEA, 0x02]);
    let out = cpu_test(&[
        path.to_str().unwrap(),
        "--load",
        "$C000",
        "--start",
        "$C000",
        "--success",
        "$C001",
    ]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(4), "{text}");
    assert!(text.starts_with("result=FAIL end=jam pc=$C001 "), "{text}");
    let _ = std::fs::remove_file(path);
}

#[test]
fn cycle_budget_ends_a_run_without_trap_as_fail() {
    // loop: INX / JMP loop  never traps
    let path = image("endless", &[0xE8, 0x4C, 0x00, 0x04]);
    let out = cpu_test(&[
        path.to_str().unwrap(),
        "--load",
        "$0400",
        "--start",
        "$0400",
        "--success",
        "$0400",
        "--max-cycles",
        "1000",
    ]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(3), "{text}");
    assert!(text.starts_with("result=FAIL end=budget "), "{text}");
    assert!(text.contains(" cycles=1000 "), "{text}");
    let _ = std::fs::remove_file(path);
}

fn assert_one_line_error(out: &Output, needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0));
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains(needle), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn missing_image_is_an_error() {
    let out = cpu_test(&["/nonexistent/sb.bin", "--load", "0", "--start", "0"]);
    assert_one_line_error(&out, "/nonexistent/sb.bin");
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
}

#[test]
fn image_that_does_not_fit_is_an_error() {
    let path = image("big", &[0xEA; 0x20]);
    let out = cpu_test(&[
        path.to_str().unwrap(),
        "--load",
        "$FFF0",
        "--start",
        "$FFF0",
    ]);
    assert_one_line_error(&out, "does not fit");
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
    let _ = std::fs::remove_file(path);
}

#[test]
fn bad_address_is_an_error() {
    let path = image("addr", &[0xEA]);
    for bad in ["$XYZ", "0x10000", "70000", ""] {
        let out = cpu_test(&[path.to_str().unwrap(), "--load", bad, "--start", "0"]);
        assert_one_line_error(&out, "bad address");
        assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
    }
    let _ = std::fs::remove_file(path);
}
