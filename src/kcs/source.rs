//! Audio in: a recording as frames that the decoder reads block by block, whatever holds it.
//!
//! The decoder ([`super::decode`]) makes a few passes over a recording: it samples a dozen short
//! windows to choose the channel and the baud rate, then reads it through once (twice when the
//! robust path is needed). It asks for frames with [`FrameSource::convert`], almost always in
//! order, so a source only needs to hold the stretch being read:
//!
//! - `AudioFile` (native builds, `audio_file.rs`) streams any file `symphonia` reads — WAV of any
//!   chunk layout (padded odd-sized chunks included) and sample format, FLAC, Ogg Vorbis, MP3 —
//!   from any `Read + Seek` source: a file on disk or bytes in memory. Memory stays bounded by
//!   one block (a packet, or 256 KB of a WAV's data chunk) whatever the recording's length.
//! - `WavBytes` (the page's wasm, `wav_bytes.rs`) reads a WAV held in memory through `hound`;
//!   what it refuses, the page gives to the browser's own decoder.
//! - [`MemoryPcm`] holds samples already in memory: what a browser's `decodeAudioData` or a sound
//!   card gives (interleaved floats).
//!
//! Every sample reaches the decoder on a 16-bit scale (±32768) as `i32`.

use super::wav::{MAX_DECODE_RATE_HZ, MIN_DECODE_RATE_HZ};
use super::KcsError;

#[cfg(not(target_arch = "wasm32"))]
pub use super::audio_file::{AudioFile, MediaSource};

/// What a recording is: rate, channels, length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PcmFormat {
    /// Sample rate in hertz.
    pub sample_rate_hz: u32,
    /// Channels per frame.
    pub channels: usize,
    /// Frames (samples per channel).
    pub frames: usize,
    /// Bits per sample as stored (0 when the format has no such notion, as in MP3).
    pub bits_per_sample: u16,
}

impl PcmFormat {
    /// Duration in seconds.
    pub fn duration_s(&self) -> f64 {
        self.frames as f64 / f64::from(self.sample_rate_hz)
    }
}

/// Frames of a recording, read a block at a time.
pub trait FrameSource {
    /// Rate, channels and length.
    fn format(&self) -> PcmFormat;

    /// Converts frames `first..first + out.len()` of `channel` to a 16-bit scale (±32768) and
    /// returns the sum of the converted samples. Frames past the end, of a channel that does not
    /// exist, or that could not be read (see [`FrameSource::take_error`]) read as 0.
    fn convert(&mut self, channel: usize, first: usize, out: &mut [i32]) -> i64;

    /// The first error met while reading (a failing disk, a file that ends early, a seek the
    /// format cannot do), if any; the frames it hid read as silence. The decoder checks this once
    /// a pass ends, so its inner loops carry no error paths.
    fn take_error(&mut self) -> Option<KcsError>;
}

pub(crate) fn check_format(sample_rate_hz: u32, channels: usize) -> Result<(), KcsError> {
    if channels == 0 {
        return Err(KcsError::Unsupported("zero channels".into()));
    }
    if !(MIN_DECODE_RATE_HZ..=MAX_DECODE_RATE_HZ).contains(&sample_rate_hz) {
        return Err(KcsError::Unsupported(format!(
            "sample rate {sample_rate_hz} Hz (supported: {MIN_DECODE_RATE_HZ}..={MAX_DECODE_RATE_HZ} Hz)"
        )));
    }
    Ok(())
}

/// Interleaved samples in memory, already on the 16-bit scale.
#[derive(Clone, Debug)]
pub struct MemoryPcm {
    format: PcmFormat,
    samples: Vec<i32>,
}

impl MemoryPcm {
    /// Interleaved float samples (full scale ±1.0), as a browser's audio decoder or a sound card
    /// gives them. A trailing partial frame is dropped; NaN reads as 0.
    pub fn from_f32(
        sample_rate_hz: u32,
        channels: usize,
        samples: &[f32],
    ) -> Result<MemoryPcm, KcsError> {
        check_format(sample_rate_hz, channels)?;
        let whole = samples.len() / channels * channels;
        Ok(MemoryPcm {
            format: PcmFormat {
                sample_rate_hz,
                channels,
                frames: whole / channels,
                bits_per_sample: 32,
            },
            // Clamped to the 16-bit scale; `as` maps NaN to 0.
            samples: samples[..whole].iter().map(|&s| f32_to_scale(s)).collect(),
        })
    }
}

/// A float sample (full scale ±1.0) on the 16-bit scale.
#[inline]
pub(crate) fn f32_to_scale(s: f32) -> i32 {
    (s * 32767.0).clamp(-32768.0, 32767.0) as i32
}

impl FrameSource for MemoryPcm {
    fn format(&self) -> PcmFormat {
        self.format
    }

    fn convert(&mut self, channel: usize, first: usize, out: &mut [i32]) -> i64 {
        let channels = self.format.channels;
        let from = if channel < channels {
            &self.samples[first.saturating_mul(channels).min(self.samples.len())..]
        } else {
            &[]
        };
        let mut sum = 0i64;
        let mut frames = from.chunks_exact(channels);
        for o in out.iter_mut() {
            *o = frames.next().map_or(0, |frame| frame[channel]);
            sum += i64::from(*o);
        }
        sum
    }

    fn take_error(&mut self) -> Option<KcsError> {
        None
    }
}

/// Raw interleaved unsigned 8-bit frames (`data`, whole frames) of `channels`: `channel` onto
/// the 16-bit scale into `out`; returns the sum. (The WAV readers of both builds share these.)
pub(crate) fn convert_u8(data: &[u8], channels: usize, channel: usize, out: &mut [i32]) -> i64 {
    let mut sum = 0i64;
    for (o, frame) in out.iter_mut().zip(data.chunks_exact(channels)) {
        *o = (i32::from(frame[channel]) - 128) << 8;
        sum += i64::from(*o);
    }
    sum
}

/// Raw interleaved signed 16-bit little-endian frames: as [`convert_u8`]. `out` holds at most
/// 65,536 samples (the common layouts sum in 32 bits).
pub(crate) fn convert_i16(data: &[u8], channels: usize, channel: usize, out: &mut [i32]) -> i64 {
    match (channels, channel) {
        // Monomorphised layouts for the common cases let the loop vectorise.
        (1, 0) => convert_fixed::<2, 0>(data, out),
        (2, 0) => convert_fixed::<4, 0>(data, out),
        (2, 1) => convert_fixed::<4, 2>(data, out),
        _ => {
            let at = channel * 2;
            let mut sum = 0i64;
            for (o, frame) in out.iter_mut().zip(data.chunks_exact(channels * 2)) {
                *o = i32::from(i16::from_le_bytes([frame[at], frame[at + 1]]));
                sum += i64::from(*o);
            }
            sum
        }
    }
}

/// 16-bit conversion with the frame size and channel offset known at compile time.
#[inline(always)]
fn convert_fixed<const STRIDE: usize, const AT: usize>(frames: &[u8], out: &mut [i32]) -> i64 {
    // The decoder's blocks are at most a few thousand samples of ±32768: the sum fits 32 bits,
    // and a wrapping 32-bit sum vectorises where a 64-bit one does not.
    let mut sum = 0i32;
    for (o, frame) in out.iter_mut().zip(frames.chunks_exact(STRIDE)) {
        let v = i32::from(i16::from_le_bytes([frame[AT], frame[AT + 1]]));
        *o = v;
        sum = sum.wrapping_add(v);
    }
    i64::from(sum)
}
