//! `superboard run` with the cassette, end to end through the binary and the open ROMs: the
//! `--type` texts wait for the tape (LOAD, then SPACE, then RUN), `--record` writes what
//! SAVE + LIST sent, and a recorded WAV or a `.bas` listing loads and runs.

mod common;

use std::path::PathBuf;
use std::process::Output;

/// Cold start: C, then RETURN to MEMORY SIZE? and TERMINAL WIDTH?.
const COLD_START: &str = "C\\n\\n\\n";

/// The program, typed with `\n` escapes as on a command line.
const PROGRAM_TYPED: &str = "10 A$=\"KCS\"\\n20 FOR I=1 TO 4\\n30 S=S+I*I\\n40 NEXT I\\n\
                             50 PRINT A$;S\\n";

/// The program as a listing file.
const PROGRAM_BAS: &str = "10 A$=\"KCS\"\n20 FOR I=1 TO 4\n30 S=S+I*I\n40 NEXT I\n50 PRINT A$;S\n";

/// What the program prints (not a substring of its listing).
const OUTPUT: &str = "KCS 30";

fn temp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("run_tape_cli");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

use common::{describe, superboard_run as run};

/// Types the program and SAVE + LIST with `--record path`; the run ends by itself once
/// everything is typed and the ACIA has gone quiet.
fn record(path: &str) -> Output {
    let program = format!("{COLD_START}{PROGRAM_TYPED}");
    let out = run(&[
        "--record",
        path,
        "--type",
        &program,
        "--type",
        "SAVE\\nLIST\\n",
        "--max-seconds",
        "60",
    ]);
    assert!(out.status.success(), "{}", describe(&out));
    out
}

/// LOADs `tape`, ends LOAD with SPACE, RUNs, until the program's output appears.
fn load_and_run(tape: &str, turbo: bool) -> Output {
    let load = format!("{COLD_START}LOAD\\n");
    let mut args = vec![
        "--tape",
        tape,
        "--type",
        &load,
        "--type",
        " \\nRUN\\n",
        "--until",
        OUTPUT,
        "--max-seconds",
        "60",
    ];
    if turbo {
        args.push("--turbo-tape");
    }
    run(&args)
}

#[test]
fn a_recorded_wav_loads_and_runs() {
    let wav = temp("recorded.wav");
    let wav = wav.to_str().unwrap();
    let out = record(wav);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("recorded"),
        "{}",
        describe(&out)
    );
    for turbo in [true, false] {
        let out = load_and_run(wav, turbo);
        assert!(out.status.success(), "turbo {turbo}: {}", describe(&out));
        let screen = String::from_utf8_lossy(&out.stdout);
        let lines: Vec<&str> = screen.lines().collect();
        let run = lines
            .iter()
            .rposition(|line| *line == "RUN")
            .unwrap_or_else(|| panic!("no RUN on the screen: {}", describe(&out)));
        assert_eq!(lines.get(run + 1), Some(&OUTPUT), "{}", describe(&out));
    }
}

#[test]
fn a_recording_to_bas_is_the_typed_program() {
    let bas = temp("recorded.bas");
    record(bas.to_str().unwrap());
    assert_eq!(std::fs::read_to_string(&bas).unwrap(), PROGRAM_BAS);
}

#[test]
fn a_recording_ends_with_the_line_being_saved() {
    // `?` is typed and LIST shows PRINT, so --until matches only the listing's last line,
    // which is on the screen before the ACIA has sent it; the run goes on until it is on tape.
    let raw = temp("last_line.raw");
    let program = format!("{COLD_START}10 A=1\\n20 ?A\\n");
    let out = run(&[
        "--record",
        raw.to_str().unwrap(),
        "--type",
        &program,
        "--type",
        "SAVE\\nLIST\\n",
        "--until",
        "20 PRINT",
        "--max-seconds",
        "60",
    ]);
    assert!(out.status.success(), "{}", describe(&out));
    let bytes = std::fs::read(&raw).unwrap();
    let text = String::from_utf8_lossy(&bytes).replace('\0', "");
    assert!(text.ends_with(" 20 PRINTA\r\n"), "{text:?}");
}

#[test]
fn a_bas_listing_loads_and_runs() {
    let bas = temp("program.bas");
    std::fs::write(&bas, PROGRAM_BAS).unwrap();
    let out = load_and_run(bas.to_str().unwrap(), true);
    assert!(out.status.success(), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(OUTPUT),
        "{}",
        describe(&out)
    );
}

#[test]
fn without_waiting_for_the_tape_the_space_would_end_load_early() {
    // One --type text: SPACE comes right after LOAD, ends load mode before the tape has been
    // read, and RUN finds no program (the reason --type texts wait for the tape).
    let bas = temp("early.bas");
    std::fs::write(&bas, PROGRAM_BAS).unwrap();
    let all_at_once = format!("{COLD_START}LOAD\\n \\nRUN\\n");
    let out = run(&[
        "--tape",
        bas.to_str().unwrap(),
        "--type",
        &all_at_once,
        "--until",
        OUTPUT,
        "--max-seconds",
        "5",
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", describe(&out));
}

#[test]
fn a_real_time_load_longer_than_a_minute_fits_the_default_time_limit() {
    // 40 lines, about 66 s of tape at 300 baud: the default --max-seconds (60) grows by the
    // tape's length when it plays in real time.
    let listing: String = (1..=40)
        .map(|i| format!("{} PRINT \"LINE {i}\";X:X=X+{i}:Y=Y*2\n", i * 10))
        .collect();
    let bas = temp("forty.bas");
    std::fs::write(&bas, listing).unwrap();
    let load = format!("{COLD_START}LOAD\\n");
    let out = run(&[
        "--tape",
        bas.to_str().unwrap(),
        "--type",
        &load,
        "--type",
        " \\nRUN\\n",
        "--until",
        "LINE 40 780",
    ]);
    assert!(out.status.success(), "{}", describe(&out));
}
