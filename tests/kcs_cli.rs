//! `superboard kcs encode|decode` end to end.

use std::path::PathBuf;
use std::process::Command;

fn superboard() -> Command {
    Command::new(env!("CARGO_BIN_EXE_superboard"))
}

fn temp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("kcs_cli");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn listing_round_trips_through_encode_and_decode() {
    let bas = temp("prog.bas");
    let wav = temp("prog.wav");
    let back = temp("back.bas");
    std::fs::write(&bas, "10 PRINT \"HELLO\"\r\n20 GOTO 10\r\n").unwrap();
    let status = superboard()
        .args(["kcs", "encode"])
        .arg(&bas)
        .arg(&wav)
        .args([
            "--rate", "22050", "--bits", "8", "--baud", "600", "--wave", "square",
        ])
        .args(["--leader", "0.5", "--trailer", "0.2"])
        .status()
        .unwrap();
    assert!(status.success());
    let out = superboard()
        .args(["kcs", "decode"])
        .arg(&wav)
        .arg("-o")
        .arg(&back)
        .arg("--report")
        .output()
        .unwrap();
    assert!(out.status.success());
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(report.contains("baud: 600 (detected)"), "{report}");
    assert!(report.contains("errors: 0"), "{report}");
    assert_eq!(
        std::fs::read_to_string(&back).unwrap(),
        "10 PRINT \"HELLO\"\n20 GOTO 10\n"
    );

    // Without -o the text goes to standard output.
    let out = superboard()
        .args(["kcs", "decode"])
        .arg(&wav)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "10 PRINT \"HELLO\"\n20 GOTO 10\n"
    );
}

#[test]
fn raw_bytes_round_trip() {
    let bin = temp("raw.bin");
    let wav = temp("raw.wav");
    let back = temp("raw.out");
    let data: Vec<u8> = (0..=255).collect();
    std::fs::write(&bin, &data).unwrap();
    assert!(superboard()
        .args(["kcs", "encode"])
        .arg(&bin)
        .arg(&wav)
        .args(["--baud", "1200", "--leader", "0.3"])
        .status()
        .unwrap()
        .success());
    assert!(superboard()
        .args(["kcs", "decode"])
        .arg(&wav)
        .args(["--channel", "0", "-o"])
        .arg(&back)
        .status()
        .unwrap()
        .success());
    assert_eq!(std::fs::read(&back).unwrap(), data);
}

#[test]
fn errors_are_one_line_and_non_zero() {
    let bas = temp("bad.bas");
    std::fs::write(&bas, "10 PRINT \"\u{e9}\"\n").unwrap();
    let out = superboard()
        .args(["kcs", "encode"])
        .arg(&bas)
        .arg(temp("bad.wav"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 1, column 11"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1);

    let out = superboard()
        .args(["kcs", "decode"])
        .arg(&bas)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a readable WAV"));
}
