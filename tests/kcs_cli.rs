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
fn odd_listings_encode_with_warnings_and_errors_are_one_line_and_non_zero() {
    let bas = temp("odd.bas");
    std::fs::write(&bas, "10 PRINT \"\u{e9}\"\n").unwrap();
    let wav = temp("odd.wav");
    let out = superboard()
        .args(["kcs", "encode"])
        .arg(&bas)
        .arg(&wav)
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1 warning(s)"), "{err}");
    assert!(err.contains("line 1, column 11: 'é' is not ASCII"), "{err}");
    let back = temp("odd_back.bas");
    assert!(superboard()
        .args(["kcs", "decode"])
        .arg(&wav)
        .arg("-o")
        .arg(&back)
        .status()
        .unwrap()
        .success());
    assert_eq!(
        std::fs::read_to_string(&back).unwrap(),
        "10 PRINT \"\u{e9}\"\n"
    );

    let empty = temp("empty.bas");
    std::fs::write(&empty, "").unwrap();
    let out = superboard()
        .args(["kcs", "encode"])
        .arg(&empty)
        .arg(temp("empty.wav"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a tape: the file is empty"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1);

    let out = superboard()
        .args(["kcs", "decode"])
        .arg(&bas)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a readable WAV, FLAC, Ogg or MP3"));
}

#[test]
fn run_loads_a_65v_tape_through_the_monitor() {
    // LDA #'A' / STA $D100 / JMP * : the loaded program puts an A at row 8, column 0.
    let program = temp("hello.65v");
    std::fs::write(&program, ".0300/A9\n41\n8D\n00\nD1\n4C\n05\n03\n.0300G\n").unwrap();
    for turbo in [true, false] {
        let mut command = superboard();
        command
            .arg("run")
            .arg("--tape")
            .arg(&program)
            .args(["--type", "M", "--type", "L", "--screen", "full"])
            .args(["--max-seconds", "5"]);
        if turbo {
            command.arg("--turbo-tape");
        }
        let out = command.output().unwrap();
        let screen = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            screen.lines().nth(8).map(str::trim_end),
            Some("A"),
            "turbo {turbo}:\n{screen}"
        );
    }
}

#[test]
fn run_warns_about_an_odd_tape_and_rejects_a_non_tape_with_one_line() {
    let odd = temp("odd_run.bas");
    std::fs::write(&odd, "10 PRINT \"~\"\n").unwrap();
    let out = superboard()
        .arg("run")
        .arg("--tape")
        .arg(&odd)
        .args(["--type", "X", "--max-seconds", "0.1"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 1, column 11: '~' ($7E) is ignored"),
        "{err}"
    );

    let bad = temp("bad_run.bas");
    std::fs::write(&bad, b"\0\0\0\x01\x02").unwrap();
    let out = superboard()
        .arg("run")
        .arg("--tape")
        .arg(&bad)
        .args(["--type", "X"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a tape"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1);
}

/// A mono 16-bit WAV of `samples` at 22,050 Hz.
fn wav_file(name: &str, samples: &[i16]) -> PathBuf {
    let path = temp(name);
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 22_050,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(&path, spec).unwrap();
    for &s in samples {
        writer.write_sample(s).unwrap();
    }
    writer.finalize().unwrap();
    path
}

#[test]
fn decode_exits_2_when_bytes_are_lost_and_1_without_a_tape_signal() {
    let options = superboard::kcs::EncodeOptions {
        sample_rate_hz: 22_050,
        leader_s: 0.5,
        trailer_s: 0.2,
        ..Default::default()
    };
    let payload: Vec<u8> = (0..120u8).map(|i| b'A' + i % 26).collect();
    let mut samples = superboard::kcs::encode_pcm(&payload, &options).unwrap();
    // Half a second of signal lost in the middle: bytes are gone for good.
    let middle = samples.len() / 2;
    samples[middle..middle + 11_025].fill(0);
    let damaged = wav_file("damaged.wav", &samples);
    let out = superboard()
        .args(["kcs", "decode"])
        .arg(&damaged)
        .arg("--report")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("signal lost"), "{err}");
    assert!(!out.stdout.is_empty(), "the rest is still decoded");

    let silence = wav_file("silence.wav", &vec![0; 22_050 * 2]);
    let out = superboard()
        .args(["kcs", "decode"])
        .arg(&silence)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no tape signal: 2.0 s of audio"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1);
}

#[test]
fn several_programs_on_one_tape_are_listed_and_extracted() {
    let a = temp("trek.bas");
    let b = temp("lander.bas");
    std::fs::write(&a, "10 REM STAR TREK\n20 PRINT \"KLINGONS\"\n").unwrap();
    std::fs::write(&b, "10 REM LUNAR LANDER\n20 PRINT \"FUEL\"  \n").unwrap();
    let wav = temp("two.wav");
    assert!(superboard()
        .args(["kcs", "encode"])
        .arg(&a)
        .arg(&b)
        .arg(&wav)
        .args(["--rate", "11025"])
        .status()
        .unwrap()
        .success());
    let out = superboard()
        .args(["kcs", "decode", "--list"])
        .arg(&wav)
        .output()
        .unwrap();
    assert!(out.status.success());
    let listed = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 2, "{listed}");
    assert!(lines[0].contains("1  STAR TREK"), "{listed}");
    assert!(lines[1].contains("2  LUNAR LANDER"), "{listed}");
    let back = temp("lander_back.bas");
    assert!(superboard()
        .args(["kcs", "decode", "--recording", "2", "-o"])
        .arg(&back)
        .arg(&wav)
        .status()
        .unwrap()
        .success());
    assert_eq!(
        std::fs::read_to_string(&back).unwrap(),
        "10 REM LUNAR LANDER\n20 PRINT \"FUEL\"  \n"
    );
    let out = superboard()
        .args(["kcs", "decode", "--recording", "3"])
        .arg(&wav)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no recording 3 (the tape holds 2)"));
}

#[test]
fn decode_reads_flac_ogg_and_mp3_files() {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audio");
    let program = std::fs::read(fixtures.join("codec.bas")).unwrap();
    for name in ["codec.flac", "codec.ogg", "codec.mp3"] {
        let out_path = temp(&format!("{name}.bas"));
        let out = superboard()
            .args(["kcs", "decode"])
            .arg(fixtures.join(name))
            .arg("-o")
            .arg(&out_path)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(std::fs::read(&out_path).unwrap(), program, "{name}");
    }
}

#[test]
fn decode_of_a_header_only_wav_says_there_is_no_tape_signal() {
    let path = temp("header-only.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 44_100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    hound::WavWriter::create(&path, spec)
        .unwrap()
        .finalize()
        .unwrap();
    let out = superboard()
        .args(["kcs", "decode"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no tape signal"), "{err}");
}
