//! `superboard run --state-in FILE --state-out FILE`: a run saves the machine when it ends and
//! the next run continues from there; bad snapshot files get one-line errors.

use std::path::PathBuf;
use std::process::{Command, Output};

use superboard::machine::{Machine, RomSet, ScreenView};

fn temp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("snapshot_cli");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_superboard"))
        .arg("run")
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_second_run_continues_where_the_first_ended() {
    let state = temp("program.sbstate");
    let state = state.to_str().unwrap();
    let first = run(&[
        "--type",
        "C\\n\\n\\n",
        "--type",
        "10 PRINT 6*7\\n",
        "--state-out",
        state,
    ]);
    assert_eq!(first.status.code(), Some(0), "{first:?}");
    assert!(text(&first.stdout).contains("10 PRINT 6*7"));

    // The file is a snapshot the library reads: same screen as printed.
    let machine = Machine::from_state(&std::fs::read(state).unwrap(), &[&RomSet::open()]).unwrap();
    let printed: Vec<String> = text(&first.stdout).lines().map(str::to_string).collect();
    let restored: Vec<String> = machine
        .screen_text(ScreenView::Window)
        .lines()
        .map(|line| line.trim_end().to_string())
        .collect();
    assert_eq!(printed, restored);

    let second = run(&["--state-in", state, "--type", "RUN\\n", "--until", " 42"]);
    assert_eq!(second.status.code(), Some(0), "{second:?}");
    assert!(text(&second.stdout).contains(" 42"));
}

#[test]
fn a_run_that_times_out_still_saves_its_state() {
    let state = temp("timeout.sbstate");
    let output = run(&[
        "--until",
        "NEVER",
        "--max-seconds",
        "0.5",
        "--state-out",
        state.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(3));
    let machine = Machine::from_state(&std::fs::read(&state).unwrap(), &[&RomSet::open()]).unwrap();
    assert!(machine.cycles() >= 491_520);
}

#[test]
fn bad_snapshot_files_are_refused_in_one_line() {
    let listing = temp("not-a-state.bas");
    std::fs::write(&listing, "10 PRINT 1\n").unwrap();
    let output = run(&["--state-in", listing.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let message = text(&output.stderr);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("not-a-state.bas: not a Superboard snapshot: this is a text file"));

    let good = temp("good.sbstate");
    let output = run(&["--until", "C/W/M", "--state-out", good.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    let bytes = std::fs::read(&good).unwrap();
    let cut = temp("cut.sbstate");
    std::fs::write(&cut, &bytes[..bytes.len() - 100]).unwrap();
    let output = run(&["--state-in", cut.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("truncated snapshot"));

    let missing = run(&["--state-in", temp("nowhere.sbstate").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(1));

    let both = run(&["--ram", "32K", "--state-in", good.to_str().unwrap()]);
    assert_eq!(
        both.status.code(),
        Some(2),
        "RAM size comes from the snapshot"
    );
}

#[test]
fn user_roms_named_in_a_snapshot_must_be_given() {
    let mut monitor = RomSet::open().monitor;
    // A byte of the monitor the boot never reads: the image differs, the machine still boots.
    monitor[0x7F0] ^= 0x5A;
    let monitor_file = temp("my-monitor.rom");
    std::fs::write(&monitor_file, &monitor[..]).unwrap();
    let state = temp("user-rom.sbstate");
    let made = run(&[
        "--monitor",
        monitor_file.to_str().unwrap(),
        "--until",
        "C/W/M",
        "--state-out",
        state.to_str().unwrap(),
    ]);
    assert_eq!(made.status.code(), Some(0), "{made:?}");

    let without = run(&[
        "--state-in",
        state.to_str().unwrap(),
        "--max-seconds",
        "0.1",
    ]);
    assert_eq!(without.status.code(), Some(1));
    let message = text(&without.stderr);
    assert!(
        message.contains("needs ROMs this machine does not have: monitor image with SHA-1"),
        "{message}"
    );

    let with = run(&[
        "--state-in",
        state.to_str().unwrap(),
        "--monitor",
        monitor_file.to_str().unwrap(),
        "--until",
        "C/W/M",
    ]);
    assert_eq!(with.status.code(), Some(0), "{with:?}");
}
