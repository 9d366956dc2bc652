//! Kansas City Standard encoder/decoder through the public API.

mod common;

use std::io::Cursor;

use common::audio::{band_limit, signal, wav_i32_from, with_noise, Rng};
use superboard::kcs::{
    decode_wav, encode_pcm, encode_text, encode_wav, listing_to_tape, AudioFile, Baud,
    ByteErrorKind, DecodeOptions, EncodeOptions, FrameSource, KcsError, Waveform, NULS_AFTER_CR,
};

fn short_options(rate: u32, bits: u16, baud: Baud, wave: Waveform) -> EncodeOptions {
    EncodeOptions {
        sample_rate_hz: rate,
        bits_per_sample: bits,
        baud,
        wave,
        leader_s: 0.3,
        trailer_s: 0.1,
        ..EncodeOptions::default()
    }
}

fn decode(wav: &[u8]) -> superboard::kcs::Decoded {
    decode_wav(wav, &DecodeOptions::default()).unwrap()
}

fn assert_clean(decoded: &superboard::kcs::Decoded, payload: &[u8], what: &str) {
    assert!(
        decoded.report.errors.is_empty(),
        "{what}: errors {:?}",
        &decoded.report.errors[..decoded.report.errors.len().min(5)]
    );
    assert_eq!(decoded.bytes, payload, "{what}: bytes differ");
}

#[test]
fn round_trip_every_rate_depth_baud_and_wave() {
    let mut rng = Rng(0x1234_5678);
    let payload = rng.bytes(40);
    for rate in [8_000, 11_025, 22_050, 44_100, 48_000, 96_000] {
        for bits in [8, 16] {
            for baud in Baud::ALL {
                for wave in [Waveform::Sine, Waveform::Square] {
                    let options = short_options(rate, bits, baud, wave);
                    let wav = encode_wav(&payload, &options).unwrap();
                    let what = format!("{rate} Hz {bits}-bit {baud} baud {wave:?}");
                    let decoded = decode(&wav);
                    assert_eq!(decoded.report.baud, baud, "{what}: baud detection");
                    assert!(decoded.report.baud_detected);
                    assert_clean(&decoded, &payload, &what);
                    assert!(
                        decoded.report.clean_fraction > 0.9,
                        "{what}: {:?}",
                        decoded.report
                    );
                }
            }
        }
    }
}

#[test]
fn encoder_output_has_the_expected_length_format_and_tones() {
    let options = EncodeOptions {
        leader_s: 1.0,
        trailer_s: 0.5,
        ..EncodeOptions::default()
    };
    let wav_bytes = encode_wav(b"AB", &options).unwrap();
    let reader = hound::WavReader::new(Cursor::new(&wav_bytes)).unwrap();
    let spec = reader.spec();
    assert_eq!(
        (spec.channels, spec.sample_rate, spec.bits_per_sample),
        (1, 44_100, 16)
    );
    // 300 bits of leader + 22 bits of data + 150 of trailer at 147 samples per bit.
    assert_eq!(reader.duration(), (300 + 22 + 150) * 147);
    // The leader is pure 2400 Hz: 2 × 2400 sign changes per second.
    let samples = encode_pcm(b"AB", &options).unwrap();
    let leader = &samples[..44_100];
    let changes = leader
        .windows(2)
        .filter(|w| (w[0] >= 0) != (w[1] >= 0))
        .count();
    assert!((4_790..=4_810).contains(&changes), "{changes} sign changes");
    // Phase continuity: no jump larger than one sample step of the fastest tone.
    let max_step = (0.8 * 32767.0 * std::f64::consts::TAU * 2400.0 / 44_100.0) as i32 + 2;
    for w in samples.windows(2) {
        assert!((i32::from(w[1]) - i32::from(w[0])).abs() <= max_step);
    }
}

#[test]
fn encoder_rejects_bad_options() {
    for options in [
        EncodeOptions {
            sample_rate_hz: 7_999,
            ..EncodeOptions::default()
        },
        EncodeOptions {
            sample_rate_hz: 96_001,
            ..EncodeOptions::default()
        },
        EncodeOptions {
            bits_per_sample: 24,
            ..EncodeOptions::default()
        },
        EncodeOptions {
            leader_s: -1.0,
            ..EncodeOptions::default()
        },
        EncodeOptions {
            amplitude: f64::NAN,
            ..EncodeOptions::default()
        },
    ] {
        assert!(matches!(
            encode_wav(b"x", &options),
            Err(KcsError::InvalidOption(_))
        ));
    }
}

#[test]
fn decodes_24_bit_32_bit_int_and_float_wavs() {
    let mut rng = Rng(99);
    let payload = rng.bytes(30);
    let options = short_options(22_050, 16, Baud::B300, Waveform::Sine);
    let x = signal(&payload, &options);
    for (bits, float) in [(24, false), (32, false), (32, true), (8, false)] {
        let wav = wav_i32_from(std::slice::from_ref(&x), 22_050, bits, float);
        let decoded = decode(&wav);
        assert_clean(&decoded, &payload, &format!("{bits}-bit float={float}"));
    }
}

#[test]
fn decodes_192_khz() {
    let mut rng = Rng(192);
    let payload = rng.bytes(20);
    for baud in Baud::ALL {
        let options = short_options(96_000, 16, baud, Waveform::Sine);
        let x = signal(&payload, &options);
        // Twice the samples by linear interpolation: the same sound at 192 kHz.
        let up: Vec<f64> = x
            .windows(2)
            .flat_map(|w| [w[0], (w[0] + w[1]) / 2.0])
            .collect();
        let wav = wav_i32_from(&[up], 192_000, 24, false);
        assert_clean(&decode(&wav), &payload, &format!("192 kHz {baud}"));
    }
}

#[test]
fn multichannel_picks_the_good_channel_or_the_one_asked_for() {
    let mut rng = Rng(7);
    let payload = rng.bytes(30);
    let options = short_options(44_100, 16, Baud::B300, Waveform::Sine);
    let good = signal(&payload, &options);
    let silent = vec![0.0; good.len()];
    let noisy: Vec<f64> = (0..good.len()).map(|_| 0.3 * rng.gauss()).collect();
    let wav = wav_i32_from(
        &[silent.clone(), noisy.clone(), good.clone()],
        44_100,
        16,
        false,
    );
    let decoded = decode(&wav);
    assert_eq!(decoded.report.channel, 2);
    assert_eq!(decoded.report.channels, 3);
    assert_clean(&decoded, &payload, "3 channels");

    let wav = wav_i32_from(&[good, noisy], 44_100, 16, false);
    let decoded = decode(&wav);
    assert_eq!(decoded.report.channel, 0);
    assert_clean(&decoded, &payload, "stereo");

    let forced = decode_wav(
        &wav,
        &DecodeOptions {
            channel: Some(1),
            ..DecodeOptions::default()
        },
    )
    .unwrap();
    assert_eq!(forced.report.channel, 1);
    assert_ne!(forced.bytes, payload);
    assert!(matches!(
        decode_wav(
            &wav,
            &DecodeOptions {
                channel: Some(2),
                ..DecodeOptions::default()
            }
        ),
        Err(KcsError::NoSuchChannel {
            requested: 2,
            channels: 2
        })
    ));
}

#[test]
fn white_noise_at_20_db_decodes_cleanly_and_10_db_reports_errors() {
    let mut rng = Rng(2024);
    let payload = rng.bytes(200);
    for baud in Baud::ALL {
        let options = EncodeOptions {
            amplitude: 0.5,
            ..short_options(44_100, 16, baud, Waveform::Sine)
        };
        let x = signal(&payload, &options);
        let noisy = wav_i32_from(&[with_noise(&x, 20.0, &mut rng)], 44_100, 16, false);
        let decoded = decode(&noisy);
        assert_clean(&decoded, &payload, &format!("20 dB at {baud}"));
        let clean_20 = decoded.report.clean_fraction;

        let noisier = wav_i32_from(&[with_noise(&x, 10.0, &mut rng)], 44_100, 16, false);
        let decoded = decode(&noisier);
        assert!(decoded.report.clean_fraction < clean_20);
        if baud == Baud::B300 {
            // 16 half periods per bit leave enough margin at 300 baud.
            assert_clean(&decoded, &payload, "10 dB at 300 baud");
        }
        // Never silently wrong by much: whatever differs must come with reported errors.
        if decoded.bytes != payload {
            assert!(
                !decoded.report.errors.is_empty(),
                "10 dB at {baud}: wrong bytes, no errors"
            );
        }
    }
}

#[test]
fn speed_drift_of_8_and_10_percent_either_way() {
    let mut rng = Rng(5);
    let payload = rng.bytes(100);
    for baud in Baud::ALL {
        let options = short_options(44_100, 16, baud, Waveform::Sine);
        let x = signal(&payload, &options);
        // Same samples played at a different rate: the tape runs fast or slow.
        for rate in [47_628, 40_572, 48_510, 39_690] {
            let wav = wav_i32_from(std::slice::from_ref(&x), rate, 16, false);
            let decoded = decode(&wav);
            assert_clean(&decoded, &payload, &format!("{baud} baud at {rate} Hz"));
            let expected = f64::from(rate) / 44_100.0;
            assert!(
                (decoded.report.speed - expected).abs() < 0.02,
                "{:?}",
                decoded.report
            );
        }
    }
}

#[test]
fn drifting_speed_within_one_recording() {
    let mut rng = Rng(11);
    let payload = rng.bytes(120);
    let options = short_options(44_100, 16, Baud::B300, Waveform::Sine);
    let x = signal(&payload, &options);
    // Resample with a playback speed sweeping from 0.9 to 1.1 (linear interpolation).
    let mut out = Vec::new();
    let mut pos = 0.0f64;
    while (pos as usize) + 1 < x.len() {
        let i = pos as usize;
        let f = pos - i as f64;
        out.push(x[i] * (1.0 - f) + x[i + 1] * f);
        pos += 0.9 + 0.2 * pos / x.len() as f64;
    }
    let decoded = decode(&wav_i32_from(&[out], 44_100, 16, false));
    assert_clean(&decoded, &payload, "0.9 → 1.1 sweep");
}

#[test]
fn dc_offset_and_inverted_polarity() {
    let mut rng = Rng(3);
    let payload = rng.bytes(60);
    for baud in Baud::ALL {
        let options = EncodeOptions {
            amplitude: 0.5,
            ..short_options(22_050, 16, baud, Waveform::Sine)
        };
        let x = signal(&payload, &options);
        let offset: Vec<f64> = x.iter().map(|v| v + 0.4).collect();
        assert_clean(
            &decode(&wav_i32_from(&[offset], 22_050, 16, false)),
            &payload,
            "DC offset",
        );
        let inverted: Vec<f64> = x.iter().map(|v| -v).collect();
        assert_clean(
            &decode(&wav_i32_from(&[inverted], 22_050, 8, false)),
            &payload,
            "inverted",
        );
    }
}

#[test]
fn band_limited_audio() {
    let mut rng = Rng(17);
    let payload = rng.bytes(80);
    for baud in Baud::ALL {
        for wave in [Waveform::Sine, Waveform::Square] {
            let options = short_options(44_100, 16, baud, wave);
            let x = signal(&payload, &options);
            let y = band_limit(&x, 44_100.0, 300.0, 4_000.0);
            assert_clean(
                &decode(&wav_i32_from(&[y], 44_100, 16, false)),
                &payload,
                &format!("band-limited {baud} {wave:?}"),
            );
        }
    }
}

#[test]
fn a_dropout_is_reported_at_its_time() {
    let mut rng = Rng(23);
    let payload = rng.bytes(100);
    let options = short_options(44_100, 16, Baud::B300, Waveform::Sine);
    let mut x = signal(&payload, &options);
    let middle_s = x.len() as f64 / 44_100.0 / 2.0;
    let from = x.len() / 2;
    x[from..from + 44_100 / 20].fill(0.0);
    let decoded = decode(&wav_i32_from(&[x], 44_100, 16, false));
    let errors = &decoded.report.errors;
    assert!(!errors.is_empty());
    assert!(decoded.bytes.len() < payload.len() + 3);
    let frame_s = 11.0 / 300.0;
    for e in errors {
        assert!(
            e.time_s > middle_s - 2.0 * frame_s && e.time_s < middle_s + 0.05 + 2.0 * frame_s,
            "error at {} s, dropout at {middle_s} s",
            e.time_s
        );
    }
    assert!(errors.iter().any(|e| e.kind == ByteErrorKind::Dropout));
    // Bytes well before the dropout are intact.
    let intact = ((middle_s - 0.3 - 2.0 * frame_s) / frame_s) as usize;
    assert_eq!(decoded.bytes[..intact], payload[..intact]);
}

#[test]
fn byte_times_follow_the_recording() {
    let options = short_options(44_100, 16, Baud::B300, Waveform::Sine);
    let decoded = decode(&encode_wav(b"HELLO", &options).unwrap());
    assert_eq!(decoded.bytes, b"HELLO");
    for (i, t) in decoded.byte_end_s.iter().enumerate() {
        let expected = 0.3 + (i + 1) as f64 * 11.0 / 300.0;
        assert!(
            (t - expected).abs() < 0.002,
            "byte {i} ends at {t}, expected {expected}"
        );
    }
}

#[test]
fn forced_baud_is_used() {
    let options = short_options(44_100, 16, Baud::B600, Waveform::Sine);
    let wav = encode_wav(b"SIX HUNDRED", &options).unwrap();
    let decoded = decode_wav(
        &wav,
        &DecodeOptions {
            baud: Some(Baud::B600),
            ..DecodeOptions::default()
        },
    )
    .unwrap();
    assert!(!decoded.report.baud_detected);
    assert_eq!(decoded.bytes, b"SIX HUNDRED");
}

#[test]
fn non_audio_is_a_clear_error() {
    let err = decode_wav(
        b"10 PRINT \"HELLO\"\n20 GOTO 10\n",
        &DecodeOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, KcsError::NotAudio(_)), "{err}");
    assert!(err.to_string().contains("WAV"));
    assert!(decode_wav(&[], &DecodeOptions::default()).is_err());
    // A valid WAV at an unsupported rate.
    let wav = wav_i32_from(&[vec![0.0; 100]], 4_000, 16, false);
    assert!(matches!(
        decode_wav(&wav, &DecodeOptions::default()),
        Err(KcsError::Unsupported(_))
    ));
}

#[test]
fn silence_and_empty_recordings_decode_to_nothing() {
    for samples in [vec![], vec![0.0; 44_100]] {
        let decoded = decode(&wav_i32_from(&[samples], 44_100, 16, false));
        assert!(decoded.bytes.is_empty());
        assert!(decoded.report.errors.is_empty());
    }
}

#[test]
fn random_truncated_and_mutated_inputs_never_panic() {
    let mut rng = Rng(0xDEAD_BEEF);
    let options = short_options(8_000, 16, Baud::B300, Waveform::Sine);
    let mut seeds = vec![encode_wav(b"SEED", &options).unwrap()];
    let x = signal(b"SEED", &options);
    for (bits, float) in [(8, false), (24, false), (32, false), (32, true)] {
        seeds.push(wav_i32_from(&[x.clone(), x.clone()], 8_000, bits, float));
    }
    for round in 0..600 {
        let input = match round % 4 {
            0 => {
                let n = (rng.next() % 200) as usize;
                let mut v = rng.bytes(n);
                if rng.next().is_multiple_of(2) && v.len() >= 12 {
                    v[..4].copy_from_slice(b"RIFF");
                    v[8..12].copy_from_slice(b"WAVE");
                }
                v
            }
            1 => {
                let seed = &seeds[(rng.next() % seeds.len() as u64) as usize];
                let cut = (rng.next() % seed.len() as u64) as usize;
                seed[..cut].to_vec()
            }
            _ => {
                let mut v = seeds[(rng.next() % seeds.len() as u64) as usize].clone();
                let flips = 1 + rng.next() % 8;
                for _ in 0..flips {
                    // Mostly in the header, where the structure lives.
                    let span = if rng.next().is_multiple_of(4) {
                        v.len()
                    } else {
                        80.min(v.len())
                    };
                    let at = (rng.next() % span as u64) as usize;
                    v[at] = rng.next() as u8;
                }
                v
            }
        };
        if let Ok(file) = AudioFile::from_bytes(&input, Some("wav")) {
            let _ = file.format().frames;
        }
        let _ = decode_wav(&input, &DecodeOptions::default());
        let _ = decode_wav(
            &input,
            &DecodeOptions {
                baud: Some(Baud::B1200),
                channel: Some(1),
                robust: Some(true),
            },
        );
    }
}

#[test]
fn text_becomes_cr_plus_nul_padding_whatever_the_line_ends() {
    let mut expected = b"10 PRINT 1".to_vec();
    expected.push(0x0D);
    expected.extend_from_slice(&[0; NULS_AFTER_CR]);
    expected.extend_from_slice(b"20 END  ");
    expected.push(0x0D);
    expected.extend_from_slice(&[0; NULS_AFTER_CR]);
    for text in [
        "10 PRINT 1\n20 END  \n",
        "10 PRINT 1\r\n20 END  \r\n",
        "10 PRINT 1\r20 END  \r",
        "10 PRINT 1\n20 END  ",
        "\u{feff}10 PRINT 1\n20 END  \n",
    ] {
        assert_eq!(listing_to_tape(text.as_bytes()), expected, "{text:?}");
    }
    assert_eq!(
        listing_to_tape(b"A\n\nB\n").len(),
        3 * (1 + NULS_AFTER_CR) + 2
    );
}

#[test]
fn every_byte_of_a_listing_goes_on_the_tape_with_warnings_by_line_and_column() {
    let text = "10 PRINT \"OK\"\n20 PRINT \"\u{e9}T\u{e9}\"\t\n30 A=1~2\n";
    let tape = listing_to_tape(text.as_bytes());
    assert_eq!(&tape[..13], b"10 PRINT \"OK\"");
    assert!(tape.windows(2).any(|w| w == "\u{e9}".as_bytes()));
    let warnings = superboard::kcs::check_listing(text.as_bytes());
    let found: Vec<(usize, usize)> = warnings.iter().map(|w| (w.line, w.column)).collect();
    assert_eq!(found, [(2, 11), (2, 13), (2, 15), (3, 7)]);
    let words = superboard::kcs::describe_warnings(&warnings);
    assert!(
        words.contains("line 2, column 11: 'é' is not ASCII; BASIC stores \"C)\""),
        "{words}"
    );
    assert!(
        words.contains("line 2, column 15: a tab is ignored by BASIC"),
        "{words}"
    );
    assert!(
        words.contains("line 3, column 7: '~' ($7E) is ignored by BASIC"),
        "{words}"
    );
}

#[test]
fn encode_text_round_trips_through_the_decoder() {
    let options = short_options(11_025, 8, Baud::B1200, Waveform::Square);
    let wav = encode_text("10 PRINT \"HI\"\n", &options).unwrap();
    let decoded = decode(&wav);
    assert_eq!(decoded.bytes, listing_to_tape(b"10 PRINT \"HI\""));
}

#[test]
fn listing_from_tape_keeps_only_program_lines() {
    let mut tape = Vec::new();
    for line in [
        "OK",
        "LIST",
        "",
        " 10 PRINT \"HI\"",
        " 20 GOTO 10  ",
        "",
        "OK",
    ] {
        tape.extend_from_slice(line.as_bytes());
        tape.push(0x0D);
        tape.extend_from_slice(&[0; NULS_AFTER_CR]);
        tape.push(0x0A);
    }
    assert_eq!(
        superboard::kcs::listing_from_tape(&tape),
        "10 PRINT \"HI\"\n20 GOTO 10  \n",
        "trailing spaces are part of the line"
    );
    // A line LIST broke at 72 columns is joined again.
    let long = format!(" 30 REM {}", "X".repeat(64));
    assert_eq!(long.len(), 72);
    let tape = format!("{long}\r\nYYY\r\n 40 END\r\nOK\r\n");
    assert_eq!(
        superboard::kcs::listing_from_tape(tape.as_bytes()),
        format!("{}YYY\n40 END\n", &long[1..])
    );
}

#[test]
fn machine_code_files_get_cr_line_ends_without_padding() {
    assert_eq!(
        superboard::kcs::machine_code_to_tape(".0300/A9\n41\r\n.0300G\n").unwrap(),
        b".0300/A9\r41\r.0300G\r"
    );
    assert!(superboard::kcs::machine_code_to_tape(".0300/\u{7}\n").is_err());
}
