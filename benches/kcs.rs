//! KCS throughput: `cargo bench --bench kcs`.
//!
//! Decodes a 5,000-byte program recorded at 44.1 kHz, 16-bit stereo (the WAV parsed from
//! memory, sample conversion included) and encodes the same program to a 44.1 kHz 16-bit mono
//! WAV. Throughput is WAV bytes per second of wall time, best of several runs.

use std::hint::black_box;
use std::time::Instant;

use superboard::kcs::{decode_wav, encode_pcm, encode_wav, DecodeOptions, EncodeOptions};

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..runs {
        let start = Instant::now();
        black_box(f());
        best = best.min(start.elapsed().as_secs_f64());
    }
    best
}

fn main() {
    // A deterministic 5,000-byte "program".
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let program: Vec<u8> = (0..5_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    let options = EncodeOptions::default();

    let mono = encode_pcm(&program, &options).expect("encode");
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 44_100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut cursor = std::io::Cursor::new(Vec::new());
    {
        let mut writer = hound::WavWriter::new(&mut cursor, spec).expect("wav");
        for &s in &mono {
            writer.write_sample(s).expect("sample");
            writer.write_sample(-(s / 2)).expect("sample");
        }
        writer.finalize().expect("finalize");
    }
    let stereo = cursor.into_inner();

    let decoded = decode_wav(&stereo, &DecodeOptions::default()).expect("decode");
    assert_eq!(
        decoded.bytes, program,
        "benchmark recording must decode exactly"
    );

    let decode_s = best_of(30, || decode_wav(&stereo, &DecodeOptions::default()));
    println!(
        "kcs decode: {:.1} MB stereo 16-bit WAV in {:.2} ms = {:.2} GB/s",
        stereo.len() as f64 / 1e6,
        decode_s * 1e3,
        stereo.len() as f64 / decode_s / 1e9
    );
    let wav_len = encode_wav(&program, &options).expect("encode").len();
    let encode_s = best_of(10, || encode_wav(&program, &options));
    println!(
        "kcs encode: {:.1} MB mono 16-bit WAV in {:.2} ms = {:.2} GB/s",
        wav_len as f64 / 1e6,
        encode_s * 1e3,
        wav_len as f64 / encode_s / 1e9
    );
}
