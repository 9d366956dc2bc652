//! Reading recordings as streams: any WAV chunk layout, FLAC/Ogg/MP3, and the same result
//! whether a recording is streamed from a file or held in memory. (Bounded memory:
//! tests/kcs_memory.rs.)

mod common;

use std::path::Path;

use common::audio::{signal, wav_i32_from};
use superboard::kcs::{
    decode_source, decode_wav, encode_pcm, encode_wav, AudioFile, Baud, DecodeOptions,
    EncodeOptions, FrameSource, KcsError, MemoryPcm, Waveform,
};

const PROGRAM: &[u8] = b"10 REM STREAMED\r20 PRINT \"FROM A FILE\"\r";

fn options(rate: u32) -> EncodeOptions {
    EncodeOptions {
        sample_rate_hz: rate,
        leader_s: 0.5,
        trailer_s: 0.2,
        ..EncodeOptions::default()
    }
}

/// `tests/fixtures/audio/codec.*` hold our own `codec.bas`, encoded by `superboard kcs encode
/// codec.bas codec.wav --rate 11025 --leader 1 --trailer 0.5` and compressed with `flac -8`,
/// `oggenc -q 2` and `lame -t -b 32` (`-t`: no Xing header, so the reader has to count the MP3's
/// frames itself).
fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/audio")
        .join(name)
}

/// A RIFF chunk: id, little-endian length, body, and the pad byte an odd length takes.
fn chunk(id: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut out = id.to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(body);
    if body.len() % 2 == 1 {
        out.push(0);
    }
    out
}

fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
    let body: Vec<u8> = chunks.concat();
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32 + 4).to_le_bytes());
    out.extend_from_slice(b"WAVE");
    out.extend_from_slice(&body);
    out
}

fn fmt_pcm16(rate: u32, channels: u16) -> Vec<u8> {
    let mut fmt = Vec::new();
    fmt.extend_from_slice(&1u16.to_le_bytes());
    fmt.extend_from_slice(&channels.to_le_bytes());
    fmt.extend_from_slice(&rate.to_le_bytes());
    fmt.extend_from_slice(&(rate * 2 * u32::from(channels)).to_le_bytes());
    fmt.extend_from_slice(&(2 * channels).to_le_bytes());
    fmt.extend_from_slice(&16u16.to_le_bytes());
    chunk(b"fmt ", &fmt)
}

fn pcm16_bytes(samples: &[i16]) -> Vec<u8> {
    samples.iter().flat_map(|s| s.to_le_bytes()).collect()
}

#[test]
fn a_wav_with_odd_sized_padded_chunks_decodes() {
    let samples = encode_pcm(PROGRAM, &options(22_050)).unwrap();
    // A LIST chunk of odd length (its last entry unpadded, the pad byte after the chunk) before
    // the data, as some recorders write, an odd chunk after it, and a `fact` chunk.
    let wav = riff(&[
        fmt_pcm16(22_050, 1),
        chunk(
            b"LIST",
            b"INFOISFT\x06\x00\x00\x00tape1\x00ICMT\x01\x00\x00\x00x",
        ),
        chunk(b"JUNK", b"odd"),
        chunk(b"fact", &(samples.len() as u32).to_le_bytes()),
        chunk(b"data", &pcm16_bytes(&samples)),
        chunk(b"id3 ", b"odd"),
    ]);
    assert_eq!(wav.len() % 2, 0);
    let decoded = decode_wav(&wav, &DecodeOptions::default()).unwrap();
    assert_eq!(decoded.bytes, PROGRAM);
    assert!(decoded.report.errors.is_empty());
}

#[test]
fn a_truncated_data_chunk_gives_what_is_there() {
    let samples = encode_pcm(PROGRAM, &options(22_050)).unwrap();
    let mut wav = riff(&[fmt_pcm16(22_050, 1), chunk(b"data", &pcm16_bytes(&samples))]);
    // Cut in the trailer: the chunk claims more than the file holds.
    wav.truncate(wav.len() - 22_050 * 2 / 10);
    let decoded = decode_wav(&wav, &DecodeOptions::default()).unwrap();
    assert_eq!(decoded.bytes, PROGRAM);
}

#[test]
fn every_sample_format_decodes_the_same() {
    let enc = options(16_000);
    let x = signal(PROGRAM, &enc);
    for (bits, float) in [
        (8, false),
        (16, false),
        (24, false),
        (32, false),
        (32, true),
    ] {
        let wav = wav_i32_from(
            &[x.clone(), x.iter().map(|v| -v / 3.0).collect()],
            16_000,
            bits,
            float,
        );
        let decoded = decode_wav(&wav, &DecodeOptions::default()).unwrap();
        assert_eq!(decoded.bytes, PROGRAM, "{bits} bits, float {float}");
        assert_eq!(decoded.report.channels, 2);
    }
}

#[test]
fn flac_ogg_and_mp3_recordings_decode() {
    let program = std::fs::read(fixture("codec.bas")).unwrap();
    for name in ["codec.flac", "codec.ogg", "codec.mp3"] {
        let file = std::fs::File::open(fixture(name)).unwrap();
        let extension = name.rsplit('.').next();
        let mut recording = AudioFile::open(file, extension).unwrap();
        assert_eq!(recording.format().sample_rate_hz, 11_025, "{name}");
        let decoded = decode_source(&mut recording, &DecodeOptions::default()).unwrap();
        let tape = superboard::devices::tape::Tape::from_decoded(name, decoded).unwrap();
        assert_eq!(tape.to_listing().as_bytes(), &program[..], "{name}");
        // The contents decide, not the name.
        let bytes = std::fs::read(fixture(name)).unwrap();
        let decoded = decode_wav(&bytes, &DecodeOptions::default()).unwrap();
        assert!(decoded.report.errors.is_empty(), "{name}");
    }
}

#[test]
fn text_and_noise_are_not_audio_and_say_so() {
    for bytes in [
        &b"10 PRINT 1\n"[..],
        &[0u8; 3000][..],
        b"RIFF\x04\x00\x00\x00WAVE",
        b"",
    ] {
        let err = AudioFile::from_bytes(bytes, None).unwrap_err();
        assert!(
            matches!(err, KcsError::NotAudio(_)),
            "{err} for {} bytes",
            bytes.len()
        );
    }
}

#[test]
fn streamed_and_in_memory_recordings_decode_identically() {
    // Stereo, long enough that the channel and baud choices sample windows far apart (seeks).
    let enc = EncodeOptions {
        baud: Baud::B600,
        wave: Waveform::Square,
        ..options(11_025)
    };
    let mut x = Vec::new();
    for _ in 0..40 {
        x.extend(signal(PROGRAM, &enc));
    }
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let noise: Vec<f64> = (0..x.len())
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64 * 0.2 - 0.1
        })
        .collect();
    let wav = wav_i32_from(&[noise, x.clone()], 11_025, 16, false);
    let streamed = decode_wav(&wav, &DecodeOptions::default()).unwrap();
    assert_eq!(streamed.report.channel, 1);
    assert_eq!(streamed.report.baud, Baud::B600);
    let floats: Vec<f32> = x.iter().map(|&v| v as f32).collect();
    let mut memory = MemoryPcm::from_f32(11_025, 1, &floats).unwrap();
    let held = decode_source(&mut memory, &DecodeOptions::default()).unwrap();
    assert_eq!(streamed.bytes, held.bytes);
    assert_eq!(streamed.bytes.len(), PROGRAM.len() * 40);
}

#[test]
fn a_wav_written_by_the_encoder_reads_back_with_its_format() {
    let wav = encode_wav(PROGRAM, &options(44_100)).unwrap();
    let file = AudioFile::from_bytes(&wav, Some("wav")).unwrap();
    let format = file.format();
    assert_eq!(
        (
            format.sample_rate_hz,
            format.channels,
            format.bits_per_sample
        ),
        (44_100, 1, 16)
    );
    assert_eq!(
        format.frames,
        encode_pcm(PROGRAM, &options(44_100)).unwrap().len()
    );
}
