//! WAV files held in memory, read through `hound`: the page's (wasm) reader.
//!
//! Native builds read recordings through [`super::source::AudioFile`] (symphonia: any chunk
//! layout, FLAC, Ogg, MP3). The page keeps symphonia out of its wasm module (it would more than
//! double its size) and reads WAV here: `hound` checks the RIFF/fmt structure and finds the data
//! chunk; 8- and 16-bit integer samples are then read straight from the byte slice, deeper
//! formats (24/32-bit integer, 32-bit float) go through hound's sample iterator once and are kept
//! on the 16-bit scale. A data chunk that claims more bytes than the file holds is cut to the
//! whole frames present. What hound refuses (a padded odd-sized chunk before the data) the page
//! hands to the browser's own decoder instead (`www/tape.js`).

use std::io::Cursor;

use super::source::{convert_i16, convert_u8, f32_to_scale, FrameSource, PcmFormat};
use super::wav::{MAX_DECODE_RATE_HZ, MIN_DECODE_RATE_HZ};
use super::KcsError;

/// Layout of the samples as stored in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SampleKind {
    /// Unsigned 8-bit, offset 128.
    U8,
    /// Signed 16-bit little endian.
    I16,
    /// Signed integer of more than 16 bits (24 or 32).
    Wide,
    /// IEEE 754 32-bit float, full scale ±1.0.
    F32,
}

#[derive(Clone, Debug)]
enum Samples<'a> {
    /// Interleaved raw data, a whole number of frames (U8, I16).
    Raw(&'a [u8]),
    /// Interleaved samples already on the 16-bit scale (Wide, F32).
    Converted(Vec<i32>),
}

/// A parsed WAV file: its format and its sample data.
#[derive(Clone, Debug)]
pub struct WavBytes<'a> {
    /// Sample rate in hertz.
    pub sample_rate_hz: u32,
    /// Channels per frame.
    pub channels: usize,
    /// Bits per sample as declared in the header.
    pub bits_per_sample: u16,
    /// Sample layout.
    pub kind: SampleKind,
    samples: Samples<'a>,
}

impl WavBytes<'_> {
    /// Frames (samples per channel).
    pub fn frames(&self) -> usize {
        match &self.samples {
            Samples::Raw(bytes) => bytes.len() / self.raw_frame_bytes(),
            Samples::Converted(v) => v.len() / self.channels,
        }
    }

    fn raw_frame_bytes(&self) -> usize {
        let sample_bytes = if self.kind == SampleKind::U8 { 1 } else { 2 };
        self.channels * sample_bytes
    }

    /// Converts frames `first..first + out.len()` of `channel` to a 16-bit scale (±32768) and
    /// returns the sum of the converted samples. Frames past the end (or of a channel that does
    /// not exist) read as 0.
    fn convert_frames(&self, channel: usize, first: usize, out: &mut [i32]) -> i64 {
        let available = if channel < self.channels {
            self.frames().saturating_sub(first).min(out.len())
        } else {
            0
        };
        let (head, tail) = out.split_at_mut(available);
        tail.fill(0);
        let data = match &self.samples {
            Samples::Raw(bytes) => bytes,
            Samples::Converted(v) => {
                let from = &v[(first * self.channels).min(v.len())..];
                let mut sum = 0i64;
                for (o, frame) in head.iter_mut().zip(from.chunks_exact(self.channels)) {
                    *o = frame[channel];
                    sum += i64::from(frame[channel]);
                }
                return sum;
            }
        };
        let frame_bytes = self.raw_frame_bytes();
        let frames = &data[(first * frame_bytes).min(data.len())..];
        if self.kind == SampleKind::U8 {
            convert_u8(frames, self.channels, channel, head)
        } else {
            convert_i16(frames, self.channels, channel, head)
        }
    }
}

impl FrameSource for WavBytes<'_> {
    fn format(&self) -> PcmFormat {
        PcmFormat {
            sample_rate_hz: self.sample_rate_hz,
            channels: self.channels,
            frames: self.frames(),
            bits_per_sample: self.bits_per_sample,
        }
    }

    fn convert(&mut self, channel: usize, first: usize, out: &mut [i32]) -> i64 {
        self.convert_frames(channel, first, out)
    }

    fn take_error(&mut self) -> Option<KcsError> {
        None
    }
}

/// Parses a WAV file held in memory.
pub fn parse(bytes: &[u8]) -> Result<WavBytes<'_>, KcsError> {
    let reader =
        hound::WavReader::new(Cursor::new(bytes)).map_err(|e| KcsError::NotAudio(e.to_string()))?;
    let spec = reader.spec();
    if spec.channels == 0 {
        return Err(KcsError::Unsupported("zero channels".into()));
    }
    if !(MIN_DECODE_RATE_HZ..=MAX_DECODE_RATE_HZ).contains(&spec.sample_rate) {
        return Err(KcsError::Unsupported(format!(
            "sample rate {} Hz (supported: {MIN_DECODE_RATE_HZ}..={MAX_DECODE_RATE_HZ} Hz)",
            spec.sample_rate
        )));
    }
    let channels = usize::from(spec.channels);
    let bits = spec.bits_per_sample;
    let kind = match (spec.sample_format, bits) {
        (hound::SampleFormat::Int, 1..=8) => SampleKind::U8,
        (hound::SampleFormat::Int, 9..=16) => SampleKind::I16,
        (hound::SampleFormat::Int, 17..=32) => SampleKind::Wide,
        (hound::SampleFormat::Float, 32) => SampleKind::F32,
        (format, bits) => {
            return Err(KcsError::Unsupported(format!(
                "{format:?} samples of {bits} bits"
            )));
        }
    };
    let samples = match kind {
        SampleKind::U8 | SampleKind::I16 => {
            let declared = reader.len() as usize * if kind == SampleKind::U8 { 1 } else { 2 };
            let cursor = reader.into_inner();
            let start = usize::try_from(cursor.position())
                .unwrap_or(usize::MAX)
                .min(bytes.len());
            let end = start.saturating_add(declared).min(bytes.len());
            let frame_bytes = channels * if kind == SampleKind::U8 { 1 } else { 2 };
            let whole = (end - start) / frame_bytes * frame_bytes;
            Samples::Raw(&bytes[start..start + whole])
        }
        SampleKind::Wide => {
            let shift = u32::from(bits) - 16;
            let mut reader = reader;
            let mut v: Vec<i32> = reader
                .samples::<i32>()
                .map_while(Result::ok)
                .map(|s| s >> shift)
                .collect();
            v.truncate(v.len() / channels * channels);
            Samples::Converted(v)
        }
        SampleKind::F32 => {
            let mut reader = reader;
            // Clamped to the 16-bit scale; `as` maps NaN to 0.
            let mut v: Vec<i32> = reader
                .samples::<f32>()
                .map_while(Result::ok)
                .map(f32_to_scale)
                .collect();
            v.truncate(v.len() / channels * channels);
            Samples::Converted(v)
        }
    };
    Ok(WavBytes {
        sample_rate_hz: spec.sample_rate,
        channels,
        bits_per_sample: bits,
        kind,
        samples,
    })
}
