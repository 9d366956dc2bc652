//! WAV out through `hound`, on in-memory buffers, and the sample rates the decoder takes.
//!
//! (Reading is [`super::source`]'s: `symphonia` reads any chunk layout, where `hound` refuses
//! files with a padded odd-sized chunk before the data.)

use std::io::Cursor;

use super::KcsError;

/// Lowest sample rate the decoder accepts, in hertz.
pub const MIN_DECODE_RATE_HZ: u32 = 8_000;
/// Highest sample rate the decoder accepts, in hertz.
pub const MAX_DECODE_RATE_HZ: u32 = 192_000;

/// Samples per write through hound's 16-bit sample writer.
const WRITE_CHUNK: usize = 4096;

/// One chunk through hound's 16-bit writer. A function of its own, never inlined, so its loop
/// compiles the same in every binary: inlined into a large caller (the `superboard` binary's
/// benchmark), the per-sample loop was once compiled as a scalar copy at a third of the speed.
#[inline(never)]
fn write_i16_chunk<W: std::io::Write + std::io::Seek>(
    writer: &mut hound::WavWriter<W>,
    chunk: &[i16],
) -> Result<(), hound::Error> {
    let mut samples = writer.get_i16_writer(chunk.len() as u32);
    for &s in chunk {
        samples.write_sample(s);
    }
    samples.flush()
}

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
                            *status = write_i16_chunk(&mut writer, chunk);
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
