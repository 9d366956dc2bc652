//! WAV in and out through `hound`, on in-memory buffers.
//!
//! Reading uses [`hound::WavReader`] to validate the RIFF/fmt structure and find the data chunk.
//! For 8- and 16-bit integer PCM the decoder then reads the interleaved samples straight from
//! the byte slice in bulk (the reader's position after the header is the data start), which is
//! far faster than a per-sample iterator. Deeper formats (24/32-bit integer, whose container
//! size hound does not expose, and 32-bit float) go through hound's sample iterator once and are
//! kept converted to a 16-bit scale. A data chunk that claims more bytes than the file holds (a
//! truncated recording) is cut to the whole frames present.

use std::io::Cursor;

use super::KcsError;

/// Lowest sample rate the decoder accepts, in hertz.
pub const MIN_DECODE_RATE_HZ: u32 = 8_000;
/// Highest sample rate the decoder accepts, in hertz.
pub const MAX_DECODE_RATE_HZ: u32 = 192_000;

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
pub struct Pcm<'a> {
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

impl Pcm<'_> {
    /// Interleaved float samples (full scale ±1.0), as a browser's audio decoder or a sound
    /// card gives them.
    pub fn from_f32(
        sample_rate_hz: u32,
        channels: usize,
        samples: &[f32],
    ) -> Result<Pcm<'static>, KcsError> {
        if channels == 0 {
            return Err(KcsError::Unsupported("zero channels".into()));
        }
        if !(MIN_DECODE_RATE_HZ..=MAX_DECODE_RATE_HZ).contains(&sample_rate_hz) {
            return Err(KcsError::Unsupported(format!(
                "sample rate {sample_rate_hz} Hz (supported: {MIN_DECODE_RATE_HZ}..={MAX_DECODE_RATE_HZ} Hz)"
            )));
        }
        let whole = samples.len() / channels * channels;
        Ok(Pcm {
            sample_rate_hz,
            channels,
            bits_per_sample: 32,
            kind: SampleKind::F32,
            // Clamped to the 16-bit scale; `as` maps NaN to 0.
            samples: Samples::Converted(
                samples[..whole]
                    .iter()
                    .map(|&s| (s * 32767.0).clamp(-32768.0, 32767.0) as i32)
                    .collect(),
            ),
        })
    }

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

    /// Duration in seconds.
    pub fn duration_s(&self) -> f64 {
        self.frames() as f64 / f64::from(self.sample_rate_hz)
    }

    /// Converts frames `first..first + out.len()` of `channel` to a 16-bit scale (±32768) and
    /// returns the sum of the converted samples. Frames past the end (or of a channel that does
    /// not exist) read as 0.
    pub fn convert(&self, channel: usize, first: usize, out: &mut [i32]) -> i64 {
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
            return convert_with(frames, frame_bytes, head, |f| {
                (i32::from(f[channel]) - 128) << 8
            });
        }
        let at = channel * 2;
        match (frame_bytes, at) {
            // Monomorphised layouts for the common cases let the loop vectorise.
            (2, 0) => convert_fixed::<2, 0>(frames, head),
            (4, 0) => convert_fixed::<4, 0>(frames, head),
            (4, 2) => convert_fixed::<4, 2>(frames, head),
            _ => convert_with(frames, frame_bytes, head, |f| {
                i32::from(i16::from_le_bytes([f[at], f[at + 1]]))
            }),
        }
    }
}

/// Generic conversion: `frames` holds whole frames of `stride` bytes; `f` reads one sample from
/// a frame (the caller guarantees the channel lies inside the frame).
#[inline(always)]
fn convert_with(frames: &[u8], stride: usize, out: &mut [i32], f: impl Fn(&[u8]) -> i32) -> i64 {
    let mut sum = 0i64;
    for (o, frame) in out.iter_mut().zip(frames.chunks_exact(stride)) {
        let v = f(frame);
        *o = v;
        sum += i64::from(v);
    }
    sum
}

/// 16-bit conversion with the frame size and channel offset known at compile time.
#[inline(always)]
fn convert_fixed<const STRIDE: usize, const AT: usize>(frames: &[u8], out: &mut [i32]) -> i64 {
    // Block sums stay far below 2^31: at most 8192 samples of ±32768.
    let mut sum = 0i32;
    for (o, frame) in out.iter_mut().zip(frames.chunks_exact(STRIDE)) {
        let v = i32::from(i16::from_le_bytes([frame[AT], frame[AT + 1]]));
        *o = v;
        sum = sum.wrapping_add(v);
    }
    i64::from(sum)
}

/// Parses a WAV file held in memory.
pub fn parse(bytes: &[u8]) -> Result<Pcm<'_>, KcsError> {
    let reader =
        hound::WavReader::new(Cursor::new(bytes)).map_err(|e| KcsError::NotWav(e.to_string()))?;
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
                .map(|s| (s * 32767.0).clamp(-32768.0, 32767.0) as i32)
                .collect();
            v.truncate(v.len() / channels * channels);
            Samples::Converted(v)
        }
    };
    Ok(Pcm {
        sample_rate_hz: spec.sample_rate,
        channels,
        bits_per_sample: bits,
        kind,
        samples,
    })
}

/// Samples per write through hound's 16-bit sample writer.
const WRITE_CHUNK: usize = 4096;

/// Writes a mono integer WAV of exactly `count` samples. `fill` receives a sink taking samples
/// on a 16-bit scale (8-bit output keeps the high byte); samples past `count` are dropped and
/// missing ones are written as silence, so the file is always well formed.
pub fn write_mono(
    sample_rate_hz: u32,
    bits_per_sample: u16,
    count: usize,
    fill: impl FnOnce(&mut dyn FnMut(&[i16])),
) -> Result<Vec<u8>, KcsError> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: sample_rate_hz,
        bits_per_sample,
        sample_format: hound::SampleFormat::Int,
    };
    let werr = |e: hound::Error| KcsError::WavWrite(e.to_string());
    let bytes_per_sample = usize::from(bits_per_sample / 8);
    if u32::try_from(count.saturating_mul(bytes_per_sample)).is_err() {
        return Err(KcsError::InvalidOption(format!(
            "{count} samples do not fit in a WAV file"
        )));
    }
    let mut cursor = Cursor::new(Vec::with_capacity(64 + count * bytes_per_sample));
    {
        let mut writer = hound::WavWriter::new(&mut cursor, spec).map_err(werr)?;
        match bits_per_sample {
            16 => {
                // Samples go through hound's 16-bit writer a cache-sized chunk at a time; its
                // buffer is reused, which is much faster than one huge buffer.
                let mut chunk: Vec<i16> = Vec::with_capacity(WRITE_CHUNK);
                let mut left = count;
                let mut status = Ok(());
                let mut write_chunk =
                    |chunk: &mut Vec<i16>, status: &mut Result<(), hound::Error>| {
                        if status.is_ok() {
                            let mut samples = writer.get_i16_writer(chunk.len() as u32);
                            for &s in chunk.iter() {
                                samples.write_sample(s);
                            }
                            *status = samples.flush();
                        }
                        chunk.clear();
                    };
                fill(&mut |mut run: &[i16]| {
                    run = &run[..run.len().min(left)];
                    left -= run.len();
                    while !run.is_empty() {
                        let take = run.len().min(WRITE_CHUNK - chunk.len());
                        chunk.extend_from_slice(&run[..take]);
                        run = &run[take..];
                        if chunk.len() == WRITE_CHUNK {
                            write_chunk(&mut chunk, &mut status);
                        }
                    }
                });
                while left > 0 {
                    let take = left.min(WRITE_CHUNK - chunk.len());
                    chunk.resize(chunk.len() + take, 0);
                    left -= take;
                    if chunk.len() == WRITE_CHUNK {
                        write_chunk(&mut chunk, &mut status);
                    }
                }
                write_chunk(&mut chunk, &mut status);
                status.map_err(werr)?;
            }
            8 => {
                let mut left = count;
                let mut status = Ok(());
                fill(&mut |run: &[i16]| {
                    let take = run.len().min(left);
                    for &s in &run[..take] {
                        if status.is_ok() {
                            status = writer.write_sample((s >> 8) as i8);
                        }
                    }
                    left -= take;
                });
                for _ in 0..left {
                    if status.is_ok() {
                        status = writer.write_sample(0i8);
                    }
                }
                status.map_err(werr)?;
            }
            other => {
                return Err(KcsError::InvalidOption(format!(
                    "{other} bits per sample (8 or 16 supported)"
                )))
            }
        }
        writer.finalize().map_err(werr)?;
    }
    Ok(cursor.into_inner())
}
