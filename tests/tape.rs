//! The cassette deck on a machine: PLAY (real time and turbo) into the ACIA, RECORD from it,
//! exports, auto-play and the live tape sound.

use std::io::Cursor;

use superboard::board::RamSize;
use superboard::devices::tape::{DeckState, Tape, TapeError, TapeKind, FRAME_TICKS};
use superboard::kcs::{self, DecodeOptions, EncodeOptions, NULS_AFTER_CR};
use superboard::machine::{Machine, MachineConfig};
use superboard::roms::RomSet;

/// Resets the ACIA (÷16, 8N2), then stores every received byte from $0400 on, ORing every
/// status value read into $10 (so an overrun would show as bit 5).
const READER: [u8; 50] = [
    0xA9, 0x03, 0x8D, 0x00, 0xF0, 0xA9, 0x11, 0x8D, 0x00, 0xF0, // reset, $11
    0xA0, 0x00, 0xA9, 0x00, 0x85, 0x12, 0xA9, 0x04, 0x85, 0x13, 0xA9, 0x00, 0x85, 0x10, 0xAD, 0x00,
    0xF0, // F818 wait: LDA $F000
    0xAA, 0x05, 0x10, 0x85, 0x10, 0x8A, // TAX; ORA $10; STA $10; TXA
    0x4A, 0x90, 0xF4, // LSR A; BCC wait
    0xAD, 0x01, 0xF0, 0x91, 0x12, // LDA $F001; STA ($12),Y
    0xE6, 0x12, 0xD0, 0xEB, 0xE6, 0x13, 0x4C, 0x18, 0xF8, // INC ptr; JMP wait
];

/// Resets the ACIA, then transmits the table at $F900 (length patched at $F81B), then loops.
const WRITER: [u8; 33] = [
    0xA9, 0x03, 0x8D, 0x00, 0xF0, 0xA9, 0x11, 0x8D, 0x00, 0xF0, // reset, $11
    0xA2, 0x00, // LDX #0
    0xAD, 0x00, 0xF0, 0x29, 0x02, 0xF0, 0xF9, // F80C tx: wait for TDRE
    0xBD, 0x00, 0xF9, 0x8D, 0x01, 0xF0, // LDA $F900,X; STA $F001
    0xE8, 0xE0, 0x00, 0xD0, 0xEE, // INX; CPX #len; BNE tx
    0x4C, 0x1E, 0xF8, // JMP *
];

fn machine_with(program: &[u8], table: &[u8]) -> Machine {
    let mut monitor = Box::new([0xEAu8; 2048]);
    monitor[..program.len()].copy_from_slice(program);
    monitor[0x100..0x100 + table.len()].copy_from_slice(table);
    for vector in [0x7FA, 0x7FC, 0x7FE] {
        monitor[vector] = 0x00;
        monitor[vector + 1] = 0xF8;
    }
    Machine::new(MachineConfig {
        ram: RamSize::K8,
        roms: RomSet {
            basic: Box::new([0xFF; 8192]),
            monitor,
            chargen: Box::new([0; 2048]),
        },
    })
}

fn received(machine: &Machine) -> Vec<u8> {
    let end = usize::from(machine.peek(0x13)) * 256 + usize::from(machine.peek(0x12));
    (0x0400..end).map(|a| machine.peek(a as u16)).collect()
}

const OVRN: u8 = 0x20;

fn listing() -> &'static str {
    "10 PRINT \"HELLO\"\n20 FOR I=1 TO 10:PRINT I:NEXT I\r\n30 GOTO 10\n"
}

#[test]
fn turbo_play_delivers_every_byte_fast_without_overrun() {
    let mut machine = machine_with(&READER, &[]);
    machine.run_frame();
    let tape = Tape::from_listing("prog.bas", listing().as_bytes()).unwrap();
    let expected = tape.bytes().to_vec();
    machine.insert_tape(tape);
    machine.set_turbo_tape(true);
    machine.play_tape();
    assert_eq!(machine.deck().state(), DeckState::Playing);
    machine.run_for(200_000);
    assert_eq!(received(&machine), expected);
    assert_eq!(machine.peek(0x10) & OVRN, 0);
    assert_eq!(machine.deck().state(), DeckState::Stopped);
    assert_eq!(machine.deck().position(), expected.len());
    assert_eq!(machine.deck().progress(), 1.0);
}

#[test]
fn real_time_play_runs_at_300_baud_without_overrun() {
    let mut machine = machine_with(&READER, &[]);
    machine.run_frame();
    let tape = Tape::from_listing("prog.bas", listing().as_bytes()).unwrap();
    let expected = tape.bytes().to_vec();
    let duration_s = tape.duration_s();
    machine.insert_tape(tape);
    machine.play_tape();
    let start = machine.cycles();
    // Halfway through, about half the bytes are in.
    let half_cycles = (duration_s / 2.0 * 983_040.0) as u64;
    machine.run_for(half_cycles);
    let got = received(&machine).len();
    assert!(
        got > expected.len() / 3 && got < expected.len() * 2 / 3,
        "{got}"
    );
    assert!(machine.deck().progress() > 0.3 && machine.deck().progress() < 0.7);
    assert!((machine.deck().position_s() - duration_s / 2.0).abs() < 0.1);
    play_out(&mut machine);
    let elapsed = machine.cycles() - start - 16_384;
    assert_eq!(received(&machine), expected);
    assert_eq!(machine.peek(0x10) & OVRN, 0);
    // 300 baud: 11 bits per byte, 36,044.8 cycles each, after a half-second leader.
    let expected_cycles = 491_520 + expected.len() as u64 * FRAME_TICKS / 5;
    assert!(
        elapsed.abs_diff(expected_cycles) < 40_000,
        "{elapsed} vs {expected_cycles}"
    );
}

#[test]
fn stop_and_play_resume_at_the_head() {
    let mut machine = machine_with(&READER, &[]);
    machine.run_frame();
    let tape = Tape::from_bytes("raw.bin", (0..200u8).collect());
    machine.insert_tape(tape);
    machine.play_tape();
    machine.run_for(491_520 + 50 * 36_045);
    machine.stop_tape();
    let head = machine.deck().position();
    assert!((45..=55).contains(&head), "{head}");
    machine.run_for(1_000_000);
    assert_eq!(received(&machine).len(), head);
    machine.play_tape();
    play_out(&mut machine);
    assert_eq!(received(&machine), (0..200u8).collect::<Vec<_>>());
    assert_eq!(machine.peek(0x10) & OVRN, 0);
}

#[test]
fn switching_turbo_while_playing_loses_nothing() {
    let mut machine = machine_with(&READER, &[]);
    machine.run_frame();
    let data: Vec<u8> = (0..150u8).collect();
    machine.insert_tape(Tape::from_bytes("raw.bin", data.clone()));
    machine.play_tape();
    machine.run_for(491_520 + 30 * 36_045);
    machine.set_turbo_tape(true);
    machine.run_for(2_000);
    let fast = received(&machine).len();
    assert!(fast > 60, "{fast}");
    machine.set_turbo_tape(false);
    let head = machine.deck().position();
    machine.run_for(10 * 36_045);
    let later = machine.deck().position();
    assert!((head + 8..=head + 11).contains(&later), "{head} -> {later}");
    play_out(&mut machine);
    assert_eq!(received(&machine), data);
    assert_eq!(machine.peek(0x10) & OVRN, 0);
}

#[test]
fn auto_play_starts_when_the_rom_polls_the_receiver() {
    // The reader polls the ACIA status at once.
    let mut machine = machine_with(&READER, &[]);
    machine.insert_tape(Tape::from_bytes("raw.bin", b"AUTO".to_vec()));
    machine.set_turbo_tape(true);
    machine.deck_mut().set_auto_play(true);
    machine.run_frame();
    assert_eq!(machine.deck().state(), DeckState::Playing);
    machine.run_for(100_000);
    assert_eq!(received(&machine), b"AUTO");
}

#[test]
fn auto_play_starts_when_the_load_flag_is_set() {
    // JMP * : never touches the ACIA.
    let mut machine = machine_with(&[0x4C, 0x00, 0xF8], &[]);
    machine.poke(0x0203, 0x00);
    machine.insert_tape(Tape::from_bytes("raw.bin", b"AUTO".to_vec()));
    machine.deck_mut().set_auto_play(true);
    machine.run_for(100_000);
    assert_eq!(machine.deck().state(), DeckState::Stopped);
    machine.poke(0x0203, 0xFF);
    machine.run_frame();
    assert_eq!(machine.deck().state(), DeckState::Playing);
}

/// Runs until the deck stops, then a little longer so the program takes the last byte.
fn play_out(machine: &mut Machine) {
    while machine.deck().state() == DeckState::Playing {
        machine.run_frame();
    }
    machine.run_frame();
}

fn save_list_stream() -> Vec<u8> {
    let mut out = Vec::new();
    for line in [
        "OK",
        "LIST",
        "",
        " 10 PRINT \"HI\"",
        " 20 GOTO 10",
        "",
        "OK",
    ] {
        out.extend_from_slice(line.as_bytes());
        out.push(0x0D);
        out.extend_from_slice(&[0; NULS_AFTER_CR]);
        out.push(0x0A);
    }
    out
}

#[test]
fn record_captures_the_transmitter_and_exports_clean_basic_and_wav() {
    let stream = save_list_stream();
    let mut program = WRITER;
    program[27] = stream.len() as u8;
    let mut machine = machine_with(&program, &stream);
    machine.record_tape();
    assert_eq!(machine.deck().state(), DeckState::Recording);
    machine.run_for(stream.len() as u64 * 36_045 + 100_000);
    assert_eq!(machine.deck().len(), stream.len());
    let tape = machine.stop_tape().unwrap();
    assert_eq!(tape.kind(), TapeKind::Captured);
    assert_eq!(tape.bytes(), &stream[..]);
    assert_eq!(machine.deck().tape().map(Tape::len), Some(stream.len()));
    // Back to back at 300 baud.
    let spacing = tape.time_of_s(10) - tape.time_of_s(9);
    assert!((spacing - 11.0 / 300.0).abs() < 0.001, "{spacing}");

    assert_eq!(tape.to_listing(), "10 PRINT \"HI\"\n20 GOTO 10\n");

    let wav = tape.to_wav(&EncodeOptions::default()).unwrap();
    let decoded = kcs::decode_wav(&wav, &DecodeOptions::default()).unwrap();
    assert_eq!(decoded.report.baud, kcs::Baud::B300);
    assert_eq!(decoded.bytes, stream);
    let again = Tape::from_file("again.wav", &wav).unwrap();
    assert_eq!(again.kind(), TapeKind::Recording);
    assert_eq!(again.bytes(), &stream[..]);
    assert!(again.report().is_some_and(|r| r.errors.is_empty()));
}

#[test]
fn listings_carry_every_byte_and_warn_where_basic_differs() {
    let text = "10 PRINT \"CAF\u{c9}\"\n20 REM {BRACES}\n30 PRINT 1\n";
    let tape = Tape::from_listing("odd.bas", text.as_bytes()).unwrap();
    let mut expected = Vec::new();
    for line in text.lines() {
        expected.extend_from_slice(line.as_bytes());
        expected.push(0x0D);
        expected.extend_from_slice(&[0; kcs::NULS_AFTER_CR]);
    }
    assert_eq!(tape.bytes(), &expected[..], "every byte goes on the tape");
    let at: Vec<(usize, usize)> = tape.warnings().iter().map(|w| (w.line, w.column)).collect();
    assert_eq!(at, [(1, 14), (2, 15)]);
    let words = kcs::describe_warnings(tape.warnings());
    assert!(
        words.contains("line 1, column 14: 'É' is not ASCII"),
        "{words}"
    );
    assert!(
        words.contains("line 2, column 8: '{' ($7B)") || words.contains("'}'"),
        "{words}"
    );

    let long = format!("10 REM {}\n", "X".repeat(70));
    let tape = Tape::from_listing("long.bas", long.as_bytes()).unwrap();
    assert_eq!(tape.len(), long.len() + kcs::NULS_AFTER_CR);
    let words = kcs::describe_warnings(tape.warnings());
    assert!(
        words.contains("line 1 is 77 characters long: BASIC keeps the first 71 and drops 6"),
        "{words}"
    );

    let tape = Tape::from_file("x.bas", b"10 PRINT \xFF\n").unwrap();
    assert_eq!(tape.bytes()[9], 0xFF);
    let words = kcs::describe_warnings(tape.warnings());
    assert_eq!(
        words,
        "line 1, column 10: 'ÿ' is not ASCII; with bit 7 stripped BASIC ignores it\n\
         line 1 ends in 1 space(s) from column 9: BASIC stores them and LIST shows them"
    );
}

#[test]
fn only_files_that_are_no_listing_at_all_are_refused() {
    for (contents, why) in [
        (&b""[..], "empty"),
        (&b" \n\n"[..], "empty"),
        (
            &b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0"[..],
            "binary",
        ),
        (&b"\xFF\xFE1\x000\x00 \x00E\x00N\x00D\x00"[..], "UTF-16"),
    ] {
        let err = Tape::from_file("x.bas", contents).unwrap_err();
        assert!(matches!(err, TapeError::NotATape { .. }), "{err}");
        assert!(err.to_string().contains(why), "{err}");
    }
}

#[test]
fn files_become_tapes_by_extension() {
    let tape = Tape::from_file("prog.65v", b".0300/A9\n41\n.0300G\n").unwrap();
    assert_eq!(tape.kind(), TapeKind::MachineCode);
    assert_eq!(tape.bytes(), b".0300/A9\r41\r.0300G\r");
    let tape = Tape::from_file("prog.BAS", b"10 END\r\n").unwrap();
    assert_eq!(tape.kind(), TapeKind::Listing);
    assert_eq!(tape.len(), 6 + 1 + NULS_AFTER_CR);
    let tape = Tape::from_file("data.bin", &[1, 2, 3]).unwrap();
    assert_eq!(tape.kind(), TapeKind::Bytes);
    assert!(matches!(
        Tape::from_file("noise.wav", b"not a wav"),
        Err(TapeError::Kcs { .. })
    ));
}

#[test]
fn the_tape_sound_follows_emulated_time_and_decodes() {
    let mut machine = machine_with(&READER, &[]);
    machine.run_frame();
    machine.deck_mut().set_audio_rate(22_050).unwrap();
    let mut audio = Vec::new();
    machine.drain_tape_audio(&mut audio);
    assert!(audio.is_empty());
    machine.insert_tape(Tape::from_bytes("raw.bin", b"SOUND!".to_vec()));
    machine.play_tape();
    let mut frames = 0;
    while machine.deck().state() == DeckState::Playing {
        machine.run_frame();
        machine.drain_tape_audio(&mut audio);
        frames += 1;
    }
    // One sample per 1/22,050 s of emulated time.
    let expected = frames as f64 * 16_384.0 / 983_040.0 * 22_050.0;
    assert!(
        (audio.len() as f64 - expected).abs() < 2.0,
        "{} vs {expected}",
        audio.len()
    );
    assert!(audio.iter().any(|&s| s > 0.1));

    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 22_050,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut cursor = Cursor::new(Vec::new());
    {
        let mut writer = hound::WavWriter::new(&mut cursor, spec).unwrap();
        for &s in &audio {
            writer.write_sample(s).unwrap();
        }
        writer.finalize().unwrap();
    }
    let decoded = kcs::decode_wav(&cursor.into_inner(), &DecodeOptions::default()).unwrap();
    assert_eq!(decoded.bytes, b"SOUND!");

    // Stopped: silence.
    let mut quiet = Vec::new();
    machine.run_frame();
    machine.drain_tape_audio(&mut quiet);
    assert!(!quiet.is_empty() && quiet.iter().all(|&s| s == 0.0));
}

#[test]
fn recording_produces_sound_too() {
    let stream = b"REC\r".to_vec();
    let mut program = WRITER;
    program[27] = stream.len() as u8;
    let mut machine = machine_with(&program, &stream);
    machine.deck_mut().set_audio_rate(8_000).unwrap();
    machine.record_tape();
    let mut audio = Vec::new();
    for _ in 0..20 {
        machine.run_frame();
        machine.drain_tape_audio(&mut audio);
    }
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 8_000,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut cursor = Cursor::new(Vec::new());
    {
        let mut writer = hound::WavWriter::new(&mut cursor, spec).unwrap();
        for &s in &audio {
            writer.write_sample(s).unwrap();
        }
        writer.finalize().unwrap();
    }
    let decoded = kcs::decode_wav(&cursor.into_inner(), &DecodeOptions::default()).unwrap();
    assert_eq!(decoded.bytes, stream);
}

#[test]
fn a_tape_holds_several_recordings_that_round_trip_through_a_wav() {
    let first = Tape::from_listing("a.bas", b"10 REM STAR TREK\n20 PRINT 1\n").unwrap();
    let second = Tape::from_listing("b.bas", b"10 PRINT \"NO NAME\"\n").unwrap();
    let third = Tape::from_listing("c.bas", b"5 REM  LUNAR LANDER \n6 END\n").unwrap();
    let mut tape = first.clone();
    tape.append(&second);
    tape.append(&third);
    let names: Vec<&str> = tape.recordings().iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["STAR TREK", "b", "LUNAR LANDER"]);
    assert_eq!(tape.len(), first.len() + second.len() + third.len());
    // The second recording starts a gap after the first ends.
    let gap = tape.time_of_s(first.len()) - tape.time_of_s(first.len() - 1);
    assert!(gap > 4.0, "{gap} s between recordings");

    let wav = tape.to_wav(&EncodeOptions::default()).unwrap();
    let back = Tape::from_wav("tape.wav", &wav).unwrap();
    assert_eq!(back.bytes(), tape.bytes());
    let spans: Vec<(usize, usize)> = back.recordings().iter().map(|r| (r.start, r.len)).collect();
    let expected: Vec<(usize, usize)> =
        tape.recordings().iter().map(|r| (r.start, r.len)).collect();
    assert_eq!(spans, expected);
    assert_eq!(back.recordings()[0].name, "STAR TREK");
    assert_eq!(back.recordings()[1].name, "recording 2");
    assert_eq!(back.extract(1).unwrap().bytes(), second.bytes());
    assert_eq!(
        back.extract(2).unwrap().to_listing(),
        "5 REM  LUNAR LANDER \n6 END\n"
    );
    assert!(back.extract(3).is_none());
}

#[test]
fn the_deck_plays_one_recording_at_a_time_and_winds_to_any() {
    let mut machine = machine_with(&READER, &[]);
    machine.run_frame();
    let first = Tape::from_listing("a.bas", b"10 PRINT 1\n").unwrap();
    let second = Tape::from_listing("b.bas", b"20 PRINT 2\n").unwrap();
    let mut tape = first.clone();
    tape.append(&second);
    machine.insert_tape(tape);
    machine.set_turbo_tape(true);
    machine.play_tape();
    machine.run_for(200_000);
    assert_eq!(
        received(&machine),
        first.bytes(),
        "the first recording only"
    );
    assert_eq!(machine.deck().state(), DeckState::Stopped);
    assert_eq!(machine.deck().position(), first.len());
    assert_eq!(
        machine.deck().recording(),
        1,
        "the head waits at the second"
    );
    // Wind back to the first, then on to the second, and play it.
    assert!(machine.wind_tape(0));
    assert_eq!(machine.deck().position(), 0);
    assert!(machine.wind_tape(1));
    assert!(!machine.wind_tape(2));
    machine.play_tape();
    machine.run_for(200_000);
    let mut both = first.bytes().to_vec();
    both.extend_from_slice(second.bytes());
    assert_eq!(received(&machine), both);
}

#[test]
fn recording_onto_a_tape_appends_a_recording() {
    let stream = b"HELLO\r";
    let mut writer = WRITER;
    writer[27] = stream.len() as u8;
    let mut machine = machine_with(&writer, stream);
    machine.insert_tape(Tape::from_listing("old.bas", b"10 REM OLD\n").unwrap());
    let old_len = machine.deck().len();
    machine.record_tape();
    machine.run_for(stream.len() as u64 * 36_045 + 100_000);
    let captured = machine.stop_tape().expect("a recording");
    assert_eq!(captured.bytes(), stream);
    let tape = machine.deck().tape().unwrap();
    assert_eq!(tape.recordings().len(), 2);
    assert_eq!(tape.recordings()[0].name, "OLD");
    assert_eq!(tape.recordings()[1].start, old_len);
    assert_eq!(&tape.bytes()[old_len..], stream);
    assert_eq!(
        machine.deck().position(),
        old_len,
        "ready to load the new recording"
    );
}

#[test]
fn absurd_tape_sound_rates_are_refused_in_words() {
    let mut machine = machine_with(&READER, &[]);
    let error = machine.deck_mut().set_audio_rate(u32::MAX).unwrap_err();
    assert_eq!(
        error.to_string(),
        "tape sound at 4294967295 Hz: use 0 (off) or 8000 to 384000 Hz"
    );
    assert!(machine.deck_mut().set_audio_rate(100).is_err());
    assert!(machine.deck_mut().set_audio_rate(0).is_ok());
    assert!(machine.deck_mut().set_audio_rate(48_000).is_ok());
}

#[test]
fn audio_decoded_elsewhere_becomes_a_tape() {
    let tape = Tape::from_listing("a.bas", b"10 REM FROM THE BROWSER\n").unwrap();
    let options = EncodeOptions {
        sample_rate_hz: 22_050,
        ..EncodeOptions::default()
    };
    let samples: Vec<f32> = kcs::encode_pcm(tape.bytes(), &options)
        .unwrap()
        .iter()
        .map(|&s| f32::from(s) / 32768.0)
        .collect();
    let back = Tape::from_audio("line-in", &samples, 22_050).unwrap();
    assert_eq!(back.bytes(), tape.bytes());
    assert_eq!(back.recordings()[0].name, "FROM THE BROWSER");
    let silence = vec![0.0f32; 22_050];
    let error = Tape::from_audio("quiet", &silence, 22_050).unwrap_err();
    assert!(
        error.to_string().contains("no tape signal: 1.0 s of audio"),
        "{error}"
    );
}

#[test]
fn a_snapshot_keeps_the_tapes_recordings_and_the_head() {
    let mut machine = machine_with(&READER, &[]);
    let mut tape = Tape::from_listing("a.bas", b"10 REM FIRST\n").unwrap();
    tape.append(&Tape::from_listing("b.bas", b"10 REM SECOND\n").unwrap());
    machine.insert_tape(tape);
    assert!(machine.wind_tape(1));
    let state = machine.save_state();
    let mut restored = machine_with(&READER, &[]);
    restored.load_state(&state).unwrap();
    let names: Vec<String> = restored
        .deck()
        .tape()
        .unwrap()
        .recordings()
        .iter()
        .map(|r| r.name.clone())
        .collect();
    assert_eq!(names, ["FIRST", "SECOND"]);
    assert_eq!(restored.deck().recording(), 1);
    assert_eq!(restored.save_state(), state, "the same snapshot again");
}

/// Feeds `data` to the growing tape in the deck in pieces of `piece` bytes, running the machine
/// `cycles` between pieces; the bytes' times are as a 300-baud line would have them, or all
/// zero with `frame_s` 0 (the previous byte's time, long past once the tape plays).
fn feed_growing(machine: &mut Machine, data: &[u8], piece: usize, cycles: u64, frame_s: f64) {
    for (k, chunk) in data.chunks(piece).enumerate() {
        let times: Vec<f64> = (0..chunk.len())
            .map(|i| (k * piece + i + 1) as f64 * frame_s)
            .collect();
        assert!(machine.extend_tape(chunk, &times));
        assert!(machine.deck().tape().unwrap().is_growing());
        machine.run_for(cycles);
    }
}

#[test]
fn a_growing_tape_plays_into_a_loading_machine_as_it_arrives() {
    let data = Tape::from_listing("p.bas", listing().as_bytes())
        .unwrap()
        .bytes()
        .to_vec();
    for (turbo, frame_s) in [(true, 11.0 / 300.0), (false, 11.0 / 300.0), (false, 0.0)] {
        let mut machine = machine_with(&READER, &[]);
        machine.deck_mut().set_auto_play(true);
        machine.set_turbo_tape(turbo);
        machine.insert_tape(Tape::growing("line-in"));
        machine.run_frame();
        // Nothing on it yet: the deck waits.
        assert_eq!(machine.deck().state(), DeckState::Stopped);
        // Pieces arrive faster than the line would bring them; with times in the past (a
        // machine ahead of the audio) the bytes still come a frame apart: nothing overruns.
        // (The first piece starts PLAY, which lays it out at its own times.)
        feed_growing(&mut machine, &data[..7], 7, 20_000, 11.0 / 300.0);
        feed_growing(&mut machine, &data[7..40], 7, 20_000, frame_s);
        assert_eq!(machine.deck().state(), DeckState::Playing);
        // Then slower than the ROM reads: the deck waits at the end of the tape, playing.
        feed_growing(&mut machine, &data[40..], 5, 400_000, frame_s);
        assert_eq!(machine.deck().state(), DeckState::Playing, "turbo {turbo}");
        assert_eq!(received(&machine), data, "turbo {turbo}");
        assert_eq!(machine.peek(0x10) & OVRN, 0, "turbo {turbo}");
        assert!(machine.finish_growing_tape(None));
        machine.run_frame();
        assert_eq!(machine.deck().state(), DeckState::Stopped);
        let tape = machine.deck().tape().unwrap();
        assert!(!tape.is_growing());
        assert_eq!(tape.bytes(), data);
        assert_eq!(tape.recordings().len(), 1);
        // Once finished it is an ordinary recording.
        assert!(!machine.extend_tape(b"X", &[100.0]));
        assert!(!machine.finish_growing_tape(None));
    }
}

#[test]
fn a_growing_tape_splits_into_recordings_when_finished_and_refuses_other_tapes() {
    let mut tape = Tape::growing("line-in");
    assert!(tape.is_empty());
    let first = Tape::from_listing("a.bas", b"10 REM FIRST\n").unwrap();
    let second = Tape::from_listing("b.bas", b"10 REM SECOND\n").unwrap();
    let times = |n: usize, from: f64| -> Vec<f64> {
        (1..=n).map(|i| from + i as f64 * 11.0 / 300.0).collect()
    };
    assert!(tape.extend(first.bytes(), &times(first.len(), 0.5)));
    assert_eq!(tape.recordings().len(), 1);
    // Times that go backwards or are missing count as the previous byte's.
    assert!(tape.extend(second.bytes(), &times(second.len(), 30.0)));
    assert!(tape.extend(b"\r", &[f64::NAN]));
    assert!(tape.extend(b"\r", &[]));
    assert_eq!(tape.recordings().len(), 1);
    tape.finish_growing(None);
    let names: Vec<&str> = tape.recordings().iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["FIRST", "SECOND"]);
    assert!((tape.duration_s() - (30.0 + second.len() as f64 * 11.0 / 300.0)).abs() < 1e-3);

    let mut machine = machine_with(&READER, &[]);
    machine.insert_tape(Tape::from_bytes("raw.bin", b"AB".to_vec()));
    assert!(!machine.extend_tape(b"C", &[1.0]));
    assert_eq!(machine.deck().tape().unwrap().bytes(), b"AB");
    assert!(!machine.finish_growing_tape(None));
}

#[test]
fn a_growing_tape_starts_at_its_first_byte_and_is_kept_by_a_snapshot_as_a_plain_tape() {
    // Real time: the line-in recording began 10 s before the first byte; the machine gets that
    // byte a frame after PLAY, not 10 s later.
    let mut machine = machine_with(&READER, &[]);
    machine.deck_mut().set_auto_play(true);
    machine.insert_tape(Tape::growing("line-in"));
    machine.run_frame();
    assert!(machine.extend_tape(b"AB", &[10.0, 10.0 + 11.0 / 300.0]));
    // (The deck notices the ROM polling at the end of a run and starts then.)
    machine.run_frame();
    assert_eq!(machine.deck().state(), DeckState::Playing);
    machine.run_for(3 * 36_045);
    assert_eq!(received(&machine), b"AB");
    assert!(machine.extend_tape(b"C", &[10.0 + 22.0 / 300.0]));
    let state = machine.save_state();
    let mut restored = machine_with(&READER, &[]);
    restored.load_state(&state).unwrap();
    let tape = restored.deck().tape().unwrap();
    assert_eq!(tape.bytes(), b"ABC");
    assert!(!tape.is_growing());
    assert!(!restored.extend_tape(b"D", &[11.0]));
    machine.run_for(2 * 36_045);
    assert_eq!(received(&machine), b"ABC");
}
