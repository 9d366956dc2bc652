//! BASIC and the cassette on the whole machine with the open ROMs: a program typed in, saved
//! with `SAVE` + `LIST` while the deck records, exported as a WAV, decoded, and loaded into a
//! freshly powered-on machine (turbo and real-time 300 baud) ends with the same listing; a
//! `.bas` listing loads and runs; the clean `.bas` export of a recording is the typed program.

use superboard::devices::tape::{DeckState, Tape, TapeKind, LOAD_FLAG};
use superboard::kcs::{self, DecodeOptions, EncodeOptions};
use superboard::machine::{Machine, MachineConfig, ScreenView, CPU_CLOCK_HZ};

/// The test program, as typed (and as LIST shows it, without LIST's leading space). Every line
/// fits the 24-column window with LIST's leading space, so the screen shows one row per line.
const PROGRAM: &str = "10 REM CASSETTE TEST\n\
                       20 A$=\"KCS\"\n\
                       30 S=0\n\
                       40 FOR I=1 TO 4\n\
                       50 S=S+I*I\n\
                       60 NEXT I\n\
                       70 PRINT A$;S\n\
                       80 IF S<20 THEN END\n\
                       90 PRINT \"BIG\"\n";

/// Upper bound on any one wait, in frames (a minute of emulated time).
const MAX_FRAMES: u64 = 60 * 60;
/// Frames to let the machine settle after a wait (the ACIA still shifting a byte, BASIC
/// printing its prompt).
const SETTLE_FRAMES: u64 = 30;

/// Runs frame by frame until `done` holds (then `SETTLE_FRAMES` more); returns the cycle at
/// which it was first seen to hold. Panics with the screen if it never does.
fn run_until(machine: &mut Machine, what: &str, done: impl Fn(&Machine) -> bool) -> u64 {
    for _ in 0..MAX_FRAMES {
        if done(machine) {
            let cycle = machine.cycles();
            for _ in 0..SETTLE_FRAMES {
                machine.run_frame();
            }
            return cycle;
        }
        machine.run_frame();
    }
    panic!(
        "gave up waiting for {what}; screen:\n{}",
        machine.screen_text(ScreenView::Window)
    );
}

/// Types `text` and runs until it has been typed.
fn type_in(machine: &mut Machine, text: &str) {
    machine.type_text(text).expect("typable text");
    run_until(machine, "the typing", |m| !m.typing_pending());
}

/// Emulated seconds between two cycle counts.
fn seconds(from_cycle: u64, to_cycle: u64) -> f64 {
    (to_cycle - from_cycle) as f64 / CPU_CLOCK_HZ as f64
}

/// The window's rows, trailing blanks removed.
fn screen_lines(machine: &Machine) -> Vec<String> {
    machine
        .screen_text(ScreenView::Window)
        .lines()
        .map(|line| line.trim_end().to_string())
        .collect()
}

/// Whether the last non-blank row (ignoring the cursor row) is BASIC's "OK".
fn at_prompt(machine: &Machine) -> bool {
    screen_lines(machine)
        .iter()
        .rev()
        .find(|line| !line.is_empty() && line.as_str() != "_")
        .is_some_and(|line| line == "OK")
}

/// A powered-on machine after a BASIC cold start (C, then RETURN to both questions).
fn cold_start() -> Machine {
    let mut machine = Machine::new(MachineConfig::default());
    type_in(&mut machine, "C\n\n\n");
    run_until(&mut machine, "the OK after the cold start", at_prompt);
    assert!(
        machine
            .screen_text(ScreenView::Window)
            .contains("BYTES FREE"),
        "cold start did not reach BASIC:\n{}",
        machine.screen_text(ScreenView::Window)
    );
    machine
}

/// The program lines LIST printed last: the rows after the last "LIST" row up to the next
/// "OK", blank rows dropped.
fn listed(machine: &Machine) -> Vec<String> {
    let lines = screen_lines(machine);
    let start = lines
        .iter()
        .rposition(|line| line == "LIST")
        .expect("a LIST on the screen");
    lines[start + 1..]
        .iter()
        .take_while(|line| line.as_str() != "OK")
        .filter(|line| !line.is_empty())
        .cloned()
        .collect()
}

/// The typed program's lines as LIST prints them (a space before each line number).
fn program_as_listed() -> Vec<String> {
    PROGRAM.lines().map(|line| format!(" {line}")).collect()
}

/// Types PROGRAM into a cold-started machine, then SAVE + LIST while the deck records.
/// Returns the LIST output on the screen and the recorded tape.
fn record_program() -> (Vec<String>, Tape) {
    let mut machine = cold_start();
    type_in(&mut machine, PROGRAM);
    machine.record_tape();
    type_in(&mut machine, "SAVE\nLIST\n");
    run_until(&mut machine, "LIST to finish", at_prompt);
    let listing = listed(&machine);
    let tape = machine.stop_tape().expect("a recording");
    assert_eq!(tape.kind(), TapeKind::Captured);
    (listing, tape)
}

/// Inserts `tape` into a cold-started machine, types LOAD, presses PLAY once BASIC is in load
/// mode, reads the tape to its end, ends load mode with SPACE and RETURN, and returns the
/// machine (taking keyboard input again) and the emulated seconds the tape played.
fn load(tape: Tape, turbo: bool) -> (Machine, f64) {
    let mut machine = cold_start();
    let length = tape.len();
    machine.insert_tape(tape);
    machine.set_turbo_tape(turbo);
    machine.type_text("LOAD\n").expect("typable text");
    run_until(&mut machine, "load mode", |m| {
        !m.typing_pending() && m.peek(LOAD_FLAG) & 0x80 != 0
    });
    machine.play_tape();
    let started = machine.cycles();
    assert_eq!(machine.deck().state(), DeckState::Playing);
    let ended = run_until(&mut machine, "the tape to be read to its end", |m| {
        m.deck().state() == DeckState::Stopped && m.deck().position() == length
    });
    // SPACE ends load mode (docs/hardware.md §5); BASIC takes the " " line as an empty one. Load
    // mode reads only SPACE's row, never RETURN's: the typist must not wait for RETURN's
    // release to be seen there.
    type_in(&mut machine, " \n");
    assert_eq!(machine.peek(LOAD_FLAG) & 0x80, 0, "still in load mode");
    (machine, seconds(started, ended))
}

/// Lists the loaded program and checks it against `expected`, then runs it.
fn list_and_run(machine: &mut Machine, expected: &[String]) {
    type_in(machine, "LIST\n");
    run_until(machine, "LIST to finish", at_prompt);
    assert_eq!(listed(machine), expected, "the loaded program differs");
    type_in(machine, "RUN\n");
    run_until(machine, "the program to end", at_prompt);
    let lines = screen_lines(machine);
    let run = lines
        .iter()
        .rposition(|line| line == "RUN")
        .expect("RUN on the screen");
    let output: Vec<&str> = lines[run + 1..]
        .iter()
        .map(String::as_str)
        .filter(|line| !line.is_empty() && *line != "_")
        .collect();
    assert_eq!(output, ["KCS 30", "BIG", "OK"]);
}

#[test]
fn the_typed_program_lists_as_typed() {
    let (listing, _) = record_program();
    assert_eq!(listing, program_as_listed());
}

#[test]
fn a_recording_exports_as_the_typed_program() {
    let (_, tape) = record_program();
    assert_eq!(tape.to_listing(), PROGRAM);
    // What SAVE + LIST sent (docs/hardware.md §5): the OK after SAVE, the LIST echo, a blank line,
    // the program lines with a leading space, the closing OK; every line ends in CR, ten NULs
    // and LF. (Blank lines before the first OK are BASIC's own spacing, not checked here.)
    let line_end = format!("\r{}\n", "\0".repeat(kcs::NULS_AFTER_CR));
    let text = String::from_utf8_lossy(tape.bytes()).to_string();
    let body = text
        .strip_suffix(&line_end)
        .expect("the recording ends with a line end");
    let lines: Vec<&str> = body.split(&line_end).skip_while(|l| l.is_empty()).collect();
    let expected: Vec<String> = ["OK", "LIST", ""]
        .into_iter()
        .map(String::from)
        .chain(program_as_listed())
        .chain(["OK".to_string()])
        .collect();
    assert_eq!(lines, expected);
}

#[test]
fn save_to_wav_and_load_in_turbo_gives_the_same_listing() {
    let (listing, tape) = record_program();
    let wav = tape.to_wav(&EncodeOptions::default()).expect("WAV export");
    let decoded = kcs::decode_wav(&wav, &DecodeOptions::default()).expect("the WAV decodes");
    assert_eq!(decoded.bytes, tape.bytes());
    assert!(decoded.report.errors.is_empty(), "{:?}", decoded.report);
    let wav_tape = Tape::from_wav("program.wav", &wav).expect("the WAV becomes a tape");
    assert_eq!(wav_tape.bytes(), tape.bytes());
    let duration_s = wav_tape.duration_s();
    let (mut machine, played_s) = load(wav_tape, true);
    // Turbo: the ROM takes the bytes as fast as it digests them, far quicker than the tape.
    assert!(
        played_s < duration_s / 4.0,
        "{played_s} s for a {duration_s} s tape"
    );
    list_and_run(&mut machine, &listing);
}

#[test]
fn save_to_wav_and_load_at_300_baud_gives_the_same_listing() {
    let (listing, tape) = record_program();
    let wav = tape.to_wav(&EncodeOptions::default()).expect("WAV export");
    let wav_tape = Tape::from_wav("program.wav", &wav).expect("the WAV becomes a tape");
    let duration_s = wav_tape.duration_s();
    let (mut machine, played_s) = load(wav_tape, false);
    // Real time: the tape plays as long as the recording lasts up to its last byte (give or
    // take the frame in which the end is noticed).
    assert!(
        (played_s - duration_s).abs() < 0.02,
        "{played_s} s for a {duration_s} s tape"
    );
    list_and_run(&mut machine, &listing);
}

#[test]
fn a_bas_listing_loads_and_runs() {
    let tape = Tape::from_listing("program.bas", PROGRAM.as_bytes()).expect("a listing");
    let (mut machine, _) = load(tape, true);
    list_and_run(&mut machine, &program_as_listed());
}

/// SAVE + LIST of whatever is in memory, recorded; the clean listing of the recording.
fn saved_listing(machine: &mut Machine) -> String {
    machine.record_tape();
    type_in(machine, "SAVE\nLIST\n");
    run_until(machine, "LIST to finish", at_prompt);
    let tape = machine.stop_tape().expect("a recording");
    // The SAVE flag stays set after LIST; clear it as POKE 517,0 would.
    machine.poke(0x0205, 0);
    tape.to_listing()
}

#[test]
fn odd_listings_load_as_basic_stores_them_with_warnings() {
    use superboard::kcs::WarningKind;
    let long = format!("10 REM {}", "X".repeat(80));
    let file = format!("{long}\n20 PRINT \"A\u{7}B\"\n30 print \"hi\"\n40 A=1   \n");
    let tape = Tape::from_listing("odd.bas", file.as_bytes()).expect("it is a listing");
    let kinds: Vec<(usize, usize, WarningKind)> = tape
        .warnings()
        .iter()
        .map(|w| (w.line, w.column, w.kind.clone()))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                1,
                72,
                WarningKind::Truncated {
                    length: 87,
                    dropped: 16
                }
            ),
            (2, 12, WarningKind::Bell),
            (3, 4, WarningKind::LowerCase),
            (4, 7, WarningKind::TrailingSpaces(3)),
        ]
    );
    let (mut machine, _) = load(tape, true);
    // What BASIC stored, as LIST sends it to tape: the long line cut at 71 characters, the BEL
    // kept, lower case as typed, the trailing spaces kept.
    let expected = format!(
        "{}\n20 PRINT \"A\u{7}B\"\n30 print \"hi\"\n40 A=1   \n",
        &long[..71]
    );
    assert_eq!(saved_listing(&mut machine), expected);
}

/// Types PROGRAM into a cold-started machine and records SAVE + LIST with turbo on or off;
/// returns the tape and the emulated seconds from SAVE to the end of the listing.
fn record_with_turbo(turbo: bool) -> (Tape, f64) {
    let mut machine = cold_start();
    type_in(&mut machine, PROGRAM);
    machine.set_turbo_tape(turbo);
    machine.record_tape();
    let started = machine.cycles();
    machine.type_text("SAVE\nLIST\n").expect("typable text");
    let ended = run_until(&mut machine, "LIST to finish", |m| {
        !m.typing_pending() && at_prompt(m)
    });
    (
        machine.stop_tape().expect("a recording"),
        seconds(started, ended),
    )
}

#[test]
fn turbo_save_records_the_same_bytes_and_wav_as_real_time_much_sooner() {
    let (turbo, turbo_s) = record_with_turbo(true);
    let (real, real_s) = record_with_turbo(false);
    assert_eq!(turbo.bytes(), real.bytes());
    let options = EncodeOptions::default();
    assert!(turbo.to_wav(&options).unwrap() == real.to_wav(&options).unwrap());
    // At 300 baud every byte costs 36,045 cycles; in turbo the ROM never waits for the ACIA.
    assert!(real_s >= turbo.len() as f64 * 11.0 / 300.0, "{real_s} s");
    assert!(
        turbo_s * 4.0 < real_s,
        "turbo {turbo_s} s, real time {real_s} s"
    );
    // The turbo capture plays back at 300 baud: its bytes are at least a frame apart.
    let times: Vec<f64> = (0..turbo.len()).map(|i| turbo.time_of_s(i)).collect();
    assert!(times.windows(2).all(|w| w[1] - w[0] >= 11.0 / 300.0 - 1e-9));
}

#[test]
fn turbo_save_of_a_5_kb_program_decodes_back_byte_identical() {
    let program: String = (1..=100)
        .map(|n| {
            format!(
                "{} PRINT \"LINE {n}: THE QUICK BROWN FOX JUMPS OVER\"\n",
                n * 10
            )
        })
        .collect();
    assert!(program.len() > 4_900, "{}", program.len());
    let (mut machine, _) = load(
        Tape::from_listing("long.bas", program.as_bytes()).unwrap(),
        true,
    );
    machine.set_turbo_tape(true);
    machine.record_tape();
    type_in(&mut machine, "SAVE\nLIST\n");
    run_until(&mut machine, "LIST to finish", at_prompt);
    let tape = machine.stop_tape().expect("a recording");
    assert_eq!(tape.to_listing(), program);
    let wav = tape.to_wav(&EncodeOptions::default()).unwrap();
    let decoded = kcs::decode_wav(&wav, &DecodeOptions::default()).unwrap();
    assert!(decoded.report.errors.is_empty(), "{:?}", decoded.report);
    assert_eq!(decoded.bytes, tape.bytes());
}
