//! `superboard run` with no ROM options boots the open ROMs: the open monitor's prompt appears,
//! and its 65V monitor takes a program typed on the command line and runs it.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_superboard"))
        .arg("run")
        .args(args)
        .output()
        .expect("superboard runs")
}

#[test]
fn run_without_roms_boots_the_open_monitor_prompt() {
    let out = run(&["--until", "C/W/M ?", "--max-seconds", "2"]);
    let screen = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "screen:\n{screen}");
    let last = screen.lines().rfind(|l| !l.trim().is_empty());
    assert_eq!(last.map(str::trim_end), Some("C/W/M ?_"));
}

#[test]
fn run_types_a_65v_program_that_writes_video_ram() {
    // M, then LDA #$2A / STA $D000 / JMP $0305 and G.
    let out = run(&[
        "--type",
        "M.0300/A9\r2A\r8D\r00\rD0\r4C\r05\r03\r.0300G",
        "--max-seconds",
        "10",
        "--screen",
        "full",
    ]);
    let screen = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "screen:\n{screen}");
    let rows: Vec<&str> = screen.lines().collect();
    assert!(rows[0].starts_with('*'), "screen:\n{screen}");
    assert_eq!(rows[6].trim(), "0300  A9");
}
