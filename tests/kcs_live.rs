//! The streaming KCS decoder (line-in): any chunking gives the same bytes, at 300, 600 and 1200
//! baud, detected or forced, after silence and noise.

mod common;

use common::audio::{signal, Rng};
use superboard::kcs::{
    decode_source, listing_to_tape, Baud, DecodeOptions, EncodeOptions, KcsError, LiveDecoder,
    MemoryPcm,
};

fn program() -> Vec<u8> {
    listing_to_tape(
        b"10 REM LIVE FROM LINE IN\n20 FOR I=1 TO 10:PRINT I,I*I:NEXT I\n30 PRINT \"DONE\"\n",
    )
}

fn recording(payload: &[u8], rate: u32, baud: Baud) -> Vec<f32> {
    let options = EncodeOptions {
        sample_rate_hz: rate,
        baud,
        leader_s: 0.5,
        trailer_s: 0.2,
        ..EncodeOptions::default()
    };
    signal(payload, &options)
        .iter()
        .map(|&x| x as f32)
        .collect()
}

/// Pushes `samples` in chunks of the sizes `sizes` gives (cycled), collecting what `take`
/// hands out after every push; then finishes and collects the rest.
fn stream(
    samples: &[f32],
    rate: u32,
    baud: Option<Baud>,
    mut size: impl FnMut() -> usize,
) -> (LiveDecoder, Vec<u8>, Vec<f64>) {
    let mut decoder = LiveDecoder::new(rate, baud).unwrap();
    let (mut bytes, mut times) = (Vec::new(), Vec::new());
    let mut at = 0;
    while at < samples.len() {
        let n = size().clamp(1, samples.len() - at);
        decoder.push(&samples[at..at + n]);
        at += n;
        let got = decoder.take();
        assert_eq!(got.bytes.len(), got.end_s.len());
        bytes.extend(got.bytes);
        times.extend(got.end_s);
    }
    decoder.finish();
    let got = decoder.take();
    bytes.extend(got.bytes);
    times.extend(got.end_s);
    (decoder, bytes, times)
}

#[test]
fn any_chunking_gives_the_program_and_the_same_times() {
    let payload = program();
    let rate = 44_100;
    let samples = recording(&payload, rate, Baud::B300);
    let mut rng = Rng(0x5EED);
    let mut reference: Option<Vec<f64>> = None;
    for sizes in [vec![1], vec![7], vec![128], vec![4096], vec![]] {
        let random = sizes.is_empty();
        let mut k = 0;
        let (decoder, bytes, times) = stream(&samples, rate, None, || {
            k += 1;
            if random {
                (rng.next() % 5000) as usize + 1
            } else {
                sizes[(k - 1) % sizes.len()]
            }
        });
        assert_eq!(bytes, payload, "chunks {sizes:?}");
        assert_eq!(decoder.bytes(), payload.as_slice());
        assert_eq!(decoder.baud(), Some(Baud::B300));
        assert!(decoder.errors().is_empty());
        assert!(times.windows(2).all(|w| w[0] <= w[1]));
        match &reference {
            None => reference = Some(times),
            Some(r) => assert_eq!(&times, r, "chunks {sizes:?}"),
        }
    }
    // The last byte ends one trailer before the end of the recording.
    let last = *reference.unwrap().last().unwrap();
    assert!(
        (last - (samples.len() as f64 / f64::from(rate) - 0.2)).abs() < 0.01,
        "{last}"
    );
}

#[test]
fn it_finds_what_the_file_decoder_finds() {
    let payload = program();
    for (rate, baud) in [
        (48_000, Baud::B300),
        (22_050, Baud::B600),
        (44_100, Baud::B1200),
    ] {
        let samples = recording(&payload, rate, baud);
        let (decoder, bytes, _) = stream(&samples, rate, Some(baud), || 1000);
        let mut pcm = MemoryPcm::from_f32(rate, 1, &samples).unwrap();
        let options = DecodeOptions {
            baud: Some(baud),
            robust: Some(false),
            ..DecodeOptions::default()
        };
        let file = decode_source(&mut pcm, &options).unwrap();
        assert_eq!(bytes, payload, "{baud} baud at {rate} Hz");
        let live = decoder.decoded();
        assert_eq!(live.bytes, file.bytes);
        assert_eq!(live.byte_end_s, file.byte_end_s);
        assert_eq!(live.report.half_periods, file.report.half_periods);
        assert_eq!(live.report.baud, baud);
        assert!(!live.report.baud_detected);
    }
}

#[test]
fn it_detects_600_and_1200_baud_and_holds_bytes_back_until_then() {
    let payload = program();
    for baud in [Baud::B600, Baud::B1200] {
        let rate = 48_000;
        let samples = recording(&payload, rate, baud);
        let mut decoder = LiveDecoder::new(rate, None).unwrap();
        // The leader alone shows no speed and no bytes.
        decoder.push(&samples[..rate as usize / 4]);
        assert_eq!(decoder.baud(), None);
        assert!(decoder.take().bytes.is_empty());
        let (decoder, bytes, _) = stream(&samples, rate, None, || 2048);
        assert_eq!(decoder.baud(), Some(baud));
        assert_eq!(bytes, payload, "{baud} baud");
        assert!(decoder.decoded().report.baud_detected);
    }
}

#[test]
fn silence_and_noise_before_the_leader_do_not_disturb_it() {
    let payload = program();
    let rate = 44_100;
    let mut rng = Rng(42);
    // Half a second of silence, then half a second of hiss (-50 to -26 dBFS), then the
    // recording (peak 0.8).
    for level in [0.003, 0.01, 0.05] {
        let mut samples = vec![0.0f32; rate as usize / 2];
        samples.extend((0..rate / 2).map(|_| (level * rng.gauss()) as f32));
        let start_s = samples.len() as f64 / f64::from(rate);
        samples.extend(recording(&payload, rate, Baud::B300));
        let (decoder, bytes, times) = stream(&samples, rate, None, || 333);
        assert_eq!(bytes, payload, "noise at {level}");
        assert!(decoder.errors().is_empty(), "{:?}", decoder.errors());
        // Times count from the first sample pushed.
        let first_end = start_s + 0.5 + 11.0 / 300.0;
        assert!((times[0] - first_end).abs() < 0.005, "{}", times[0]);
    }
}

#[test]
fn a_short_recording_is_decided_when_it_ends_and_silence_gives_nothing() {
    let rate = 16_000;
    let samples = recording(b"HI\r", rate, Baud::B300);
    let (decoder, bytes, _) = stream(&samples, rate, None, || 4096);
    assert_eq!(bytes, b"HI\r");
    assert_eq!(decoder.baud(), Some(Baud::B300));
    let (decoder, bytes, _) = stream(&[0.0; 40_000], rate, None, || 4096);
    assert!(bytes.is_empty());
    assert!(decoder.finished());
    assert!((decoder.duration_s() - 2.5).abs() < 1e-9);
    // Pushes after the end are ignored.
    let mut decoder = decoder;
    decoder.push(&samples);
    assert!(decoder.take().bytes.is_empty());
}

#[test]
fn unsupported_sample_rates_are_refused_in_words() {
    for rate in [0, 4_000, 1_000_000] {
        let error = LiveDecoder::new(rate, None).unwrap_err();
        assert!(matches!(error, KcsError::Unsupported(_)));
        assert!(
            error
                .to_string()
                .contains(&format!("sample rate {rate} Hz")),
            "{error}"
        );
    }
}
