//! The decoder's regression set: recordings of our own program degraded in every way a real
//! cassette degrades them — white noise, mains hum, DC offset, clipping, dropouts, wow and
//! flutter, tape speed, inverted polarity, a dull low-pass, odd sample rates and formats — each
//! alone at several strengths and in combination, generated here with seeded noise. Each case
//! asserts the bytes lost (edit distance to the program) stays within the figure documented
//! in docs/cassette.md, and that whatever is lost is reported.

mod common;

use common::audio::{band_limit, signal, wav_i32_from, with_noise, Rng};
use superboard::kcs::{decode_wav, listing_to_tape, Baud, DecodeOptions, EncodeOptions, Waveform};

/// Our own program: twenty-four lines of BASIC as a listing tape (about 1.3 KB with the NULs).
fn program() -> Vec<u8> {
    let text: String = (1..=24)
        .map(|n| {
            format!(
                "{} PRINT \"LINE {n} OF THE CASSETTE TEST\";{n}*{n}\n",
                n * 10
            )
        })
        .collect();
    listing_to_tape(text.as_bytes())
}

fn options(rate: u32) -> EncodeOptions {
    EncodeOptions {
        sample_rate_hz: rate,
        baud: Baud::B300,
        wave: Waveform::Sine,
        leader_s: 1.0,
        trailer_s: 0.5,
        amplitude: 0.5,
        ..EncodeOptions::default()
    }
}

/// Levenshtein distance: bytes lost, damaged or invented.
fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut row = vec![0; b.len() + 1];
    for (i, &x) in a.iter().enumerate() {
        row[0] = i + 1;
        for (j, &y) in b.iter().enumerate() {
            row[j + 1] = (prev[j] + usize::from(x != y))
                .min(prev[j + 1] + 1)
                .min(row[j] + 1);
        }
        std::mem::swap(&mut prev, &mut row);
    }
    prev[b.len()]
}

/// Decodes `samples` at `rate` and returns the bytes lost; checks that any loss is reported.
fn lost(what: &str, samples: Vec<f64>, rate: u32, expected: &[u8]) -> usize {
    let wav = wav_i32_from(&[samples], rate, 16, false);
    let decoded = decode_wav(&wav, &DecodeOptions::default()).unwrap();
    let lost = edit_distance(&decoded.bytes, expected);
    eprintln!(
        "{what:<40} lost {lost:>4} of {} ({:.2}%), {} reported; {:.1}% clean, {} path",
        expected.len(),
        lost as f64 * 100.0 / expected.len() as f64,
        decoded.report.errors.len(),
        decoded.report.clean_fraction * 100.0,
        if decoded.report.robust {
            "robust"
        } else {
            "fast"
        }
    );
    if lost > 0 {
        let first = decoded
            .bytes
            .iter()
            .zip(expected)
            .position(|(a, b)| a != b)
            .unwrap_or(decoded.bytes.len().min(expected.len()));
        eprintln!(
            "  {} bytes decoded for {}; first difference at byte {first}; errors {:?}",
            decoded.bytes.len(),
            expected.len(),
            &decoded.report.errors[..decoded.report.errors.len().min(4)]
        );
        assert!(
            !decoded.report.errors.is_empty(),
            "{what}: {lost} byte(s) wrong and nothing reported"
        );
    }
    lost
}

/// Plays `x` at a speed that varies over time: `speed(t)` × nominal (linear interpolation).
fn resample(x: &[f64], rate: f64, speed: impl Fn(f64) -> f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(x.len() + x.len() / 8);
    let mut pos = 0.0f64;
    while (pos as usize) + 1 < x.len() {
        let i = pos as usize;
        let f = pos - i as f64;
        out.push(x[i] * (1.0 - f) + x[i + 1] * f);
        pos += speed(pos / rate);
    }
    out
}

fn hum(x: &[f64], rate: f64, amplitude: f64) -> Vec<f64> {
    x.iter()
        .enumerate()
        .map(|(n, v)| {
            let t = n as f64 / rate;
            let w = std::f64::consts::TAU * 50.0 * t;
            v + amplitude * (w.sin() + 0.3 * (3.0 * w).sin())
        })
        .collect()
}

fn clip(x: &[f64], gain: f64, limit: f64) -> Vec<f64> {
    x.iter().map(|v| (v * gain).clamp(-limit, limit)).collect()
}

/// `count` dropouts of `length_s` (signal gone) at seeded random places in the data.
fn dropouts(x: &[f64], rate: f64, count: usize, length_s: f64, rng: &mut Rng) -> Vec<f64> {
    let mut y = x.to_vec();
    let len = (length_s * rate) as usize;
    let lead = (1.2 * rate) as usize;
    let span = x.len() - lead - (rate as usize) - len;
    for k in 0..count {
        // Spread over the data, each in its own stretch.
        let at = lead + span * k / count + (rng.unit() * (span / count - len) as f64) as usize;
        y[at..at + len].fill(0.0);
    }
    y
}

/// Noise is measured at CD rate (the noise spread over the whole band up to 22 kHz, as the
/// issue's figures were); every other impairment at 22,050 Hz to keep the tests quick.
const NOISE_RATE: u32 = 44_100;
const RATE: u32 = 22_050;

#[test]
fn white_noise() {
    let payload = program();
    let x = signal(&payload, &options(NOISE_RATE));
    let mut rng = Rng(0x5EED_0001);
    for (snr_db, allowed) in [(20.0, 0), (10.0, 0), (6.0, 0), (3.0, 0), (0.0, 0)] {
        let y = with_noise(&x, snr_db, &mut rng);
        let n = lost(
            &format!("white noise {snr_db} dB SNR"),
            y,
            NOISE_RATE,
            &payload,
        );
        assert!(n <= allowed, "white noise {snr_db} dB: {n} lost");
    }
}

#[test]
fn short_dropouts_cost_at_most_one_byte_each() {
    let payload = program();
    let x = signal(&payload, &options(NOISE_RATE));
    let mut rng = Rng(0x5EED_0002);
    for (count, ms) in [(20, 1.0), (20, 3.0), (20, 5.0)] {
        let y = dropouts(&x, f64::from(NOISE_RATE), count, ms / 1000.0, &mut rng);
        let n = lost(
            &format!("{count} dropouts of {ms} ms"),
            y,
            NOISE_RATE,
            &payload,
        );
        assert!(n <= count, "{count} dropouts of {ms} ms: {n} lost");
    }
}

#[test]
fn hum_dc_clipping_polarity_and_low_pass() {
    let payload = program();
    let rate = f64::from(RATE);
    let x = signal(&payload, &options(RATE));
    let cases: Vec<(&str, Vec<f64>)> = vec![
        ("hum 50 Hz at half the signal", hum(&x, rate, 0.25)),
        ("hum 50 Hz as loud as the signal", hum(&x, rate, 0.5)),
        ("DC offset +0.4", x.iter().map(|v| v + 0.4).collect()),
        ("clipped (gain 4, clip at 0.6)", clip(&x, 4.0, 0.6)),
        ("clipped hard (gain 20)", clip(&x, 20.0, 0.9)),
        ("inverted", x.iter().map(|v| -v).collect()),
        (
            "low-pass 3 kHz, high-pass 300 Hz",
            band_limit(&x, rate, 300.0, 3_000.0),
        ),
        ("low-pass 1.5 kHz", band_limit(&x, rate, 20.0, 1_500.0)),
    ];
    for (what, y) in cases {
        assert_eq!(lost(what, y, RATE, &payload), 0, "{what}");
    }
}

#[test]
fn speed_wow_and_flutter() {
    let payload = program();
    let rate = f64::from(RATE);
    let x = signal(&payload, &options(RATE));
    let tau = std::f64::consts::TAU;
    let cases: Vec<(&str, Vec<f64>)> = vec![
        ("10% fast", resample(&x, rate, |_| 1.1)),
        ("10% slow", resample(&x, rate, |_| 0.9)),
        (
            "wow 3% at 0.5 Hz",
            resample(&x, rate, |t| 1.0 + 0.03 * (tau * 0.5 * t).sin()),
        ),
        (
            "wow 5% at 1 Hz",
            resample(&x, rate, |t| 1.0 + 0.05 * (tau * t).sin()),
        ),
        (
            "flutter 1% at 12 Hz",
            resample(&x, rate, |t| 1.0 + 0.01 * (tau * 12.0 * t).sin()),
        ),
    ];
    for (what, y) in cases {
        assert_eq!(lost(what, y, RATE, &payload), 0, "{what}");
    }
}

#[test]
fn rates_and_formats() {
    let payload = program();
    for rate in [8_000, 11_025, 22_050, 48_000, 96_000] {
        let x = signal(&payload, &options(rate));
        assert_eq!(lost(&format!("{rate} Hz"), x, rate, &payload), 0);
    }
    let x = signal(&payload, &options(RATE));
    for (what, bits, float) in [
        ("8-bit", 8, false),
        ("24-bit", 24, false),
        ("float", 32, true),
    ] {
        let wav = wav_i32_from(std::slice::from_ref(&x), RATE, bits, float);
        let decoded = decode_wav(&wav, &DecodeOptions::default()).unwrap();
        assert_eq!(decoded.bytes, payload, "{what}");
    }
}

#[test]
fn impairments_combined() {
    let payload = program();
    let rate = f64::from(RATE);
    let x = signal(&payload, &options(RATE));
    let tau = std::f64::consts::TAU;
    let mut rng = Rng(0x5EED_0003);
    // A worn tape on a cheap deck: 5% slow with wow, hum, DC, clipping, 10 dB of hiss.
    let y = resample(&x, rate, |t| 0.95 + 0.02 * (tau * 0.7 * t).sin());
    let y = clip(&hum(&y, rate, 0.15), 2.0, 0.8);
    let y: Vec<f64> = y.iter().map(|v| v + 0.1).collect();
    let y = with_noise(&y, 10.0, &mut rng);
    assert_eq!(lost("worn tape, cheap deck", y, RATE, &payload), 0);
    // Plus 6 dB of hiss and ten 5 ms dropouts.
    let y = resample(&x, rate, |t| 1.05 + 0.02 * (tau * 0.5 * t).sin());
    let y = dropouts(&hum(&y, rate, 0.15), rate, 10, 0.005, &mut rng);
    let y = with_noise(&y, 6.0, &mut rng);
    let n = lost("fast, wow, hum, 6 dB, 10 dropouts", y, RATE, &payload);
    assert!(n <= 10, "{n} lost");
}
