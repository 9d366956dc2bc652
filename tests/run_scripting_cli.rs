//! `superboard run` as a scripting tool: what `--until` matches, `--until-prompt`, `--settle`,
//! a CPU jam and the `--roms` report of ignored files. (The default time limit's cap is a unit
//! test in src/cli/run.rs: a run that waits it out would take minutes.)

mod common;

use std::path::PathBuf;
use std::process::Output;

const COLD_START: &str = "C\\n\\n\\n";

use common::{describe, superboard_run as run};

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sb-run-scripting-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The screen's lines after the last line equal to `marker`.
fn lines_after(out: &Output, marker: &str) -> Vec<String> {
    let screen = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<String> = screen.lines().map(str::to_string).collect();
    let at = lines
        .iter()
        .rposition(|line| line == marker)
        .unwrap_or_else(|| panic!("no {marker:?} line: {}", describe(out)));
    lines[at + 1..].to_vec()
}

#[test]
fn until_ignores_the_typed_listing_and_waits_for_the_program() {
    // The listing holds "DONE" (echoed as it is typed); only the program's own DONE counts.
    let program = format!("{COLD_START}10 FOR I=1 TO 200:NEXT\\n20 PRINT \"DONE\"\\n");
    let out = run(&[
        "--type",
        &program,
        "--type",
        "RUN\\n",
        "--until",
        "DONE",
        "--max-seconds",
        "30",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(
        lines_after(&out, "RUN").first().map(String::as_str),
        Some("DONE")
    );
}

#[test]
fn until_ignores_a_listing_echoed_during_load() {
    let bas = temp("echoed.bas");
    std::fs::write(&bas, "10 FOR I=1 TO 200:NEXT\n20 PRINT \"FINISHED\"\n").unwrap();
    let load = format!("{COLD_START}LOAD\\n");
    let out = run(&[
        "--tape",
        bas.to_str().unwrap(),
        "--turbo-tape",
        "--type",
        &load,
        "--type",
        " \\nRUN\\n",
        "--until",
        "FINISHED",
        "--max-seconds",
        "30",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(
        lines_after(&out, "RUN").first().map(String::as_str),
        Some("FINISHED"),
        "{}",
        describe(&out)
    );
}

#[test]
fn until_prompt_waits_for_ok_after_the_program() {
    let program = format!("{COLD_START}10 FOR I=1 TO 300:NEXT\\n20 PRINT \"END\"\\nRUN\\n");
    let out = run(&["--type", &program, "--until-prompt", "--max-seconds", "30"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let after: Vec<String> = lines_after(&out, "RUN")
        .into_iter()
        .filter(|line| !line.is_empty())
        .collect();
    assert_eq!(after, ["END", "OK", "_"], "{}", describe(&out));

    // A program that never ends never reaches the prompt.
    let endless = format!("{COLD_START}10 GOTO 10\\nRUN\\n");
    let out = run(&["--type", &endless, "--until-prompt", "--max-seconds", "3"]);
    assert_eq!(out.status.code(), Some(3), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("prompt"),
        "{}",
        describe(&out)
    );
}

#[test]
fn a_jam_ends_the_run_at_once_with_status_4() {
    // The 65V monitor stores a JAM opcode ($02) at $0300 and jumps there.
    let out = run(&[
        "--type",
        "M",
        "--type",
        ".0300/02\\r.0300G",
        "--max-seconds",
        "600",
    ]);
    assert_eq!(out.status.code(), Some(4), "{}", describe(&out));
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(
        message.contains("jam") && message.contains("$0300") && message.contains("$02"),
        "{message}"
    );
    assert!(!message.contains("typing not finished"), "{message}");
    // The message says when: well before the 600 s limit.
    let seconds: f64 = message
        .split("after ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no time in {message}"));
    assert!(seconds < 10.0, "{message}");
    assert!(!out.stdout.is_empty(), "the screen is still printed");
}

#[test]
fn settle_is_an_option() {
    let out = run(&["--type", "M", "--settle=-1"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--settle"));
    let out = run(&["--type", "M", "--settle", "0.2"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
}

#[test]
fn roms_dir_names_the_files_it_ignored_and_why() {
    let dir = temp("roms");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "where these came from").unwrap();
    std::fs::write(dir.join("mystery.bin"), [0x5Au8; 2048]).unwrap();
    let out = run(&[
        "--roms",
        dir.to_str().unwrap(),
        "--until",
        "C/W/M ?",
        "--max-seconds",
        "5",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let message = String::from_utf8_lossy(&out.stderr);
    let ignored: Vec<&str> = message
        .lines()
        .filter(|line| line.starts_with("ROMs: ignored "))
        .collect();
    assert_eq!(ignored.len(), 2, "{message}");
    assert!(
        ignored[0].contains("mystery.bin") && ignored[0].contains("unrecognised"),
        "{message}"
    );
    assert!(
        ignored[1].contains("notes.txt") && ignored[1].contains("21 bytes"),
        "{message}"
    );
}
