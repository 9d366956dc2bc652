//! KCS demodulator: any recording ([`super::source`]) → bytes plus a report.
//!
//! One pass over the chosen channel, in blocks of about 60 ms (at most 4,096 samples), with no
//! per-sample allocation:
//!
//! 1. **Conversion** of the block to a 16-bit scale (any integer depth or float), summing it.
//! 2. **DC removal and level**: the block mean is subtracted; the hysteresis threshold h is a
//!    third of the mean absolute level (≈ 0.21 of a sine's peak) of the previous block,
//!    measured in the crossing pass, never below a floor so a silent channel yields no
//!    crossings.
//! 3. **Zero crossings with hysteresis**, branch-free: the state flips only when the signal
//!    passes +h going up or −h going down; the comparisons of 64 samples are packed into two bit
//!    masks and each crossing is found with one `trailing_zeros`. Each crossing time is refined
//!    by linear interpolation to 1/256 sample. For a sine, the rise through +h and the fall
//!    through −h are exactly half a period apart, so the intervals between crossings are half
//!    periods whatever h is. Polarity does not matter.
//! 4. **Half-period classification**: an interval longer than 1.5 "units" (the tracked length of
//!    a 2400 Hz half period) is space (1200 Hz), otherwise mark. Clean intervals (close to 1 or
//!    2 units) update the unit by a slow average, which follows tape-speed drift; the fraction
//!    of clean intervals is the reported signal quality. An interval longer than 6 units is a
//!    dropout.
//! 5. **UART**: idle until two space intervals in a row start a frame; the frame's bit windows
//!    are laid out from that instant with the current unit; each interval votes, weighted by its
//!    length, for the window holding its midpoint. Every confirmed tone change inside the frame
//!    (both tones lasting two half periods or more) within a quarter bit of the grid pulls the
//!    grid half way onto itself. A start bit voted mark is a false start (noise in the leader)
//!    and is dropped silently; stop bits voted space are a framing error (the byte is kept and
//!    the error reported with the time the frame began); a dropout inside a frame loses the
//!    byte and is reported too.
//!
//! Channel and baud rate, unless given, are chosen first from a sample of the recording (twelve
//! 0.4 s windows spread over it, or all of a short recording): the channel with the most clean
//! half periods (discounted by its clean fraction), then the baud rate whose UART finds the most
//! good frames net of twice the bad ones.

mod fsk;
pub mod live;

use super::source::{FrameSource, PcmFormat};
use super::{Baud, KcsError, BITS_PER_FRAME, MARK_HZ};
use fsk::{Correlator, FlyUart};
pub use live::{LiveBytes, LiveDecoder};

/// Fixed-point fraction bits of crossing times (times are in 1/256 sample).
const FRAC_BITS: u32 = 8;
/// Minimum hysteresis threshold on the 16-bit scale (about −54 dBFS).
const THRESHOLD_FLOOR: i32 = 64;
/// Intervals longer than this many units are signal dropouts.
const DROPOUT_UNITS: u64 = 6;
/// Channels examined when choosing one automatically.
const MAX_ANALYSED_CHANNELS: usize = 8;
/// Below this fraction of clean half periods the recording is noisy and the robust path decodes
/// it, whatever the fast path found.
const ROBUST_BELOW_CLEAN: f64 = 0.995;
/// Analysis windows and their length in seconds.
const ANALYSIS_WINDOWS: usize = 12;
const ANALYSIS_WINDOW_S: f64 = 0.4;

/// What to decode.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DecodeOptions {
    /// Force a baud rate instead of detecting it.
    pub baud: Option<Baud>,
    /// Decode this channel (0-based) instead of choosing the best one.
    pub channel: Option<usize>,
    /// Which demodulator: `None` chooses (the fast one, and the robust one when the fast one
    /// finds trouble); `Some(true)` forces the robust one, `Some(false)` the fast one.
    pub robust: Option<bool>,
}

/// Kinds of per-byte trouble.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ByteErrorKind {
    /// A stop bit read as 0. The byte as received is in the output.
    Framing,
    /// The signal vanished (or the recording ended) inside a frame. No byte is output.
    Dropout,
    /// Some bits could not be read (the signal was lost or drowned for part of the frame);
    /// the byte in the output is the best guess.
    Unclear,
}

/// One damaged character.
#[derive(Clone, Debug, PartialEq)]
pub struct ByteError {
    /// Index in [`Decoded::bytes`]: the damaged byte for [`ByteErrorKind::Framing`] and
    /// [`ByteErrorKind::Unclear`], the position where the lost byte would have been for
    /// [`ByteErrorKind::Dropout`].
    pub byte_index: usize,
    /// Time in the recording at which the frame's start bit began, in seconds.
    pub time_s: f64,
    /// What went wrong.
    pub kind: ByteErrorKind,
}

/// How the decoding went.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodeReport {
    /// Sample rate of the recording.
    pub sample_rate_hz: u32,
    /// Channels in the recording.
    pub channels: usize,
    /// The channel decoded (0-based).
    pub channel: usize,
    /// The baud rate used.
    pub baud: Baud,
    /// Whether `baud` was detected (false: it was given in the options).
    pub baud_detected: bool,
    /// Length of the recording in seconds.
    pub duration_s: f64,
    /// Half periods (zero-crossing intervals) seen.
    pub half_periods: u64,
    /// Fraction of half periods within tolerance of a nominal tone: 1.0 is a clean signal,
    /// noise and distortion lower it.
    pub clean_fraction: f64,
    /// Tone speed relative to nominal (1.0 = 2400/1200 Hz exactly; 1.05 = 5% fast).
    pub speed: f64,
    /// Whether the robust (correlation) demodulator decoded the bytes; false: the fast
    /// zero-crossing one.
    pub robust: bool,
    /// Damaged characters, in recording order.
    pub errors: Vec<ByteError>,
}

/// Result of decoding a recording.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    /// The received characters (including those with framing errors).
    pub bytes: Vec<u8>,
    /// For each byte, the time its second stop bit ended, in seconds from the recording start.
    pub byte_end_s: Vec<f64>,
    /// Quality and errors.
    pub report: DecodeReport,
}

/// Decodes a recording held in memory: WAV of any layout, FLAC, Ogg and MP3 natively; WAV as
/// `hound` reads it in the page (see `wav_bytes`).
pub fn decode_wav(bytes: &[u8], options: &DecodeOptions) -> Result<Decoded, KcsError> {
    #[cfg(not(target_arch = "wasm32"))]
    let mut file = super::audio_file::AudioFile::from_bytes(bytes, None)?;
    #[cfg(target_arch = "wasm32")]
    let mut file = super::wav_bytes::parse(bytes)?;
    decode_source(&mut file, options)
}

/// Decodes a recording from any [`FrameSource`]: a streamed file, bytes, samples in memory.
pub fn decode_source(
    pcm: &mut dyn FrameSource,
    options: &DecodeOptions,
) -> Result<Decoded, KcsError> {
    let format = pcm.format();
    let channel = match options.channel {
        Some(requested) if requested >= format.channels => {
            return Err(KcsError::NoSuchChannel {
                requested,
                channels: format.channels,
            })
        }
        Some(requested) => requested,
        None => choose_channel(pcm),
    };
    let (baud, baud_detected) = match options.baud {
        Some(baud) => (baud, false),
        None => (choose_baud(pcm, channel), true),
    };

    let mut demod = Demodulator::new(format.sample_rate_hz, &[baud]);
    run_blocks(pcm, channel, 0, format.frames, &mut demod);
    demod.finish();
    let tracker = &demod.tracker;
    let clean_fraction = if tracker.intervals == 0 {
        0.0
    } else {
        tracker.clean as f64 / tracker.intervals as f64
    };
    let speed = tracker.speed();
    let (half_periods, mut baud, mut baud_detected) = (tracker.intervals, baud, baud_detected);
    let Uart {
        bytes,
        end_times,
        errors,
        ..
    } = demod.uarts.swap_remove(0);
    let mut found = Found {
        bytes,
        end_times,
        errors,
    };
    let troubled = !found.errors.is_empty() || clean_fraction < ROBUST_BELOW_CLEAN;
    let mut robust = false;
    if options.robust == Some(true) || (options.robust.is_none() && troubled) {
        // Noise moves zero crossings: the tone runs the correlator sees tell the baud rate
        // and the tape speed better.
        let (runs, unit) = correlator_runs(pcm, channel);
        if options.baud.is_none() {
            if let Some(detected) = runs.baud() {
                baud = detected;
                baud_detected = true;
            }
        }
        let robust_speed = runs.speed(baud, unit).unwrap_or(speed);
        let other = decode_robust(pcm, channel, baud, robust_speed);
        if options.robust == Some(true)
            || clean_fraction < ROBUST_BELOW_CLEAN
            || other.errors.len() <= found.errors.len()
        {
            found = other;
            robust = true;
        }
    }
    if let Some(error) = pcm.take_error() {
        return Err(error);
    }
    let seconds =
        |t: u64| t as f64 / f64::from(format.sample_rate_hz) / f64::from(1u32 << FRAC_BITS);
    let report = DecodeReport {
        sample_rate_hz: format.sample_rate_hz,
        channels: format.channels,
        channel,
        baud,
        baud_detected,
        duration_s: format.duration_s(),
        half_periods,
        clean_fraction,
        speed,
        robust,
        errors: found
            .errors
            .into_iter()
            .map(|(byte_index, t, kind)| ByteError {
                byte_index,
                time_s: seconds(t),
                kind,
            })
            .collect(),
    };
    Ok(Decoded {
        bytes: found.bytes,
        byte_end_s: found.end_times.into_iter().map(seconds).collect(),
        report,
    })
}

/// What a UART found: bytes, their end times and the damaged ones (times in 1/256 sample).
struct Found {
    bytes: Vec<u8>,
    end_times: Vec<u64>,
    errors: Vec<(usize, u64, ByteErrorKind)>,
}

/// Feeds frames `first..first + count` of `channel` to `f` block by block, with each block's
/// mean (its DC level).
fn for_blocks(
    pcm: &mut dyn FrameSource,
    channel: usize,
    first: usize,
    count: usize,
    mut f: impl FnMut(&[i32], f32),
) {
    let mut buffer = vec![0; MAX_BLOCK];
    let end = first.saturating_add(count).min(pcm.format().frames);
    let mut at = first;
    while at < end {
        let n = MAX_BLOCK.min(end - at);
        let sum = pcm.convert(channel, at, &mut buffer[..n]);
        f(&buffer[..n], (sum / n as i64) as f32);
        at += n;
    }
}

/// The robust path over the whole recording (see [`fsk`]).
fn decode_robust(pcm: &mut dyn FrameSource, channel: usize, baud: Baud, speed: f64) -> Found {
    let PcmFormat {
        sample_rate_hz,
        frames,
        ..
    } = pcm.format();
    let mut correlator = Correlator::new(sample_rate_hz);
    let mut uart = FlyUart::new(&correlator, sample_rate_hz, baud.bits_per_s(), speed);
    for_blocks(pcm, channel, 0, frames, |block, dc| {
        correlator.push(block, dc);
        uart.process(&mut correlator);
    });
    uart.finish(&mut correlator);
    let q8 = |slot: f64| {
        (correlator.slot_to_sample(slot).max(0.0) * f64::from(1u32 << FRAC_BITS)) as u64
    };
    Found {
        bytes: uart.bytes,
        end_times: uart.end_slots.iter().map(|&s| q8(s)).collect(),
        errors: uart
            .errors
            .iter()
            .map(|&(index, slot, kind)| (index, q8(slot), kind))
            .collect(),
    }
}

/// The tone runs the correlator sees over the analysis windows, and the unit they are
/// measured in (a nominal 2400 Hz half period, 1/256 sample).
fn correlator_runs(pcm: &mut dyn FrameSource, channel: usize) -> (Runs, u64) {
    let mut runs = Runs::default();
    let sample_rate_hz = pcm.format().sample_rate_hz;
    // Units of 1/256 sample: a 2400 Hz half period, and a slot.
    let unit = (u64::from(sample_rate_hz) << FRAC_BITS) / u64::from(2 * MARK_HZ);
    for (first, count) in analysis_windows(&pcm.format()) {
        let mut correlator = Correlator::new(sample_rate_hz);
        let slot = (correlator.slot_samples() as u64) << FRAC_BITS;
        let mut signs = fsk::ToneRuns::default();
        for_blocks(pcm, channel, first, count, |block, dc| {
            correlator.push(block, dc);
            signs.take(&mut correlator, |slots, long| {
                runs.interval(slots * slot, long, unit);
            });
        });
        runs.close(unit);
    }
    (runs, unit)
}

/// Frame ranges `(first, count)` that sample the recording for analysis.
fn analysis_windows(format: &PcmFormat) -> Vec<(usize, usize)> {
    let frames = format.frames;
    let window = (ANALYSIS_WINDOW_S * f64::from(format.sample_rate_hz)) as usize;
    if frames <= window * ANALYSIS_WINDOWS {
        return vec![(0, frames)];
    }
    let span = frames - window;
    (0..ANALYSIS_WINDOWS)
        .map(|j| (span * j / (ANALYSIS_WINDOWS - 1), window))
        .collect()
}

fn analyse(pcm: &mut dyn FrameSource, channel: usize, windows: &[(usize, usize)]) -> Demodulator {
    let mut demod = Demodulator::new(pcm.format().sample_rate_hz, &Baud::ALL);
    for &(first, count) in windows {
        demod.restart();
        run_blocks(pcm, channel, first, count, &mut demod);
    }
    demod
}

fn choose_channel(pcm: &mut dyn FrameSource) -> usize {
    let format = pcm.format();
    if format.channels == 1 {
        return 0;
    }
    let windows = analysis_windows(&format);
    let mut best = (0, 0.0);
    for channel in 0..format.channels.min(MAX_ANALYSED_CHANNELS) {
        let tracker = analyse(pcm, channel, &windows).tracker;
        // Clean half periods, discounted by the clean fraction: noise has many crossings, a
        // few of which look clean by chance.
        let score = tracker.clean as f64 * tracker.clean as f64 / tracker.intervals.max(1) as f64;
        if score > best.1 {
            best = (channel, score);
        }
    }
    best.0
}

fn choose_baud(pcm: &mut dyn FrameSource, channel: usize) -> Baud {
    let format = pcm.format();
    let windows = analysis_windows(&format);
    let mut demod = analyse(pcm, channel, &windows);
    if demod.uarts.iter().all(|u| u.good + u.bad == 0) && windows.len() > 1 {
        // The sample held no frames (a short program in a long recording): look at it all.
        demod = analyse(pcm, channel, &[(0, format.frames)]);
    }
    if let Some(baud) = demod.runs.baud() {
        return baud;
    }
    let mut best = (Baud::B300, i64::MIN);
    for uart in &demod.uarts {
        let score = uart.good as i64 - 2 * uart.bad as i64;
        if uart.good > 0 && score > best.1 {
            best = (uart.baud, score);
        }
    }
    best.0
}

/// Longest block, in samples.
const MAX_BLOCK: usize = 4096;

/// Work buffers of the block loop, allocated once per pass.
struct Scratch {
    /// Index 0: the previous block's last sample; then the block's samples.
    samples: Vec<i32>,
    crossings: Vec<u32>,
    edges: Vec<Edge>,
}

/// A threshold crossing as the first stage finds it: the samples either side and the threshold
/// they straddle, from which the second stage interpolates its time ([`Edge::time`]). (The
/// division that interpolation takes is the second stage's, which keeps the two stages' loads
/// close when they run on two threads.)
#[derive(Clone, Copy, Debug, Default)]
struct Edge {
    /// Index of the sample after the crossing, from the start of the recording.
    at: u64,
    before: i32,
    after: i32,
    threshold: i32,
}

impl Edge {
    /// The crossing's time in 1/256 sample, by linear interpolation between the two samples.
    #[inline(always)]
    fn time(&self) -> u64 {
        // A float division is much cheaper than an integer one; the operands are small.
        let span = self.after.abs_diff(self.before).max(1) as f32;
        let past = self.after.abs_diff(self.threshold) as f32;
        let frac = ((past * (1 << FRAC_BITS) as f32 / span) as u32).min(1 << FRAC_BITS);
        (self.at << FRAC_BITS).saturating_sub(u64::from(frac))
    }
}

/// Feeds frames `first..first + count` of `channel` through the demodulator, block by block.
fn run_blocks(
    pcm: &mut dyn FrameSource,
    channel: usize,
    first: usize,
    count: usize,
    demod: &mut Demodulator,
) {
    let format = pcm.format();
    let block = (format.sample_rate_hz as usize / 16).clamp(256, MAX_BLOCK);
    let mut scratch = Scratch {
        samples: vec![0; block + 1],
        crossings: vec![0; block],
        edges: vec![Edge::default(); block],
    };
    let end = first.saturating_add(count).min(format.frames);
    #[cfg(not(target_arch = "wasm32"))]
    if end.saturating_sub(first) >= PIPELINE_MIN_FRAMES {
        run_blocks_pipelined(pcm, channel, (first, end), &mut scratch, demod);
        return;
    }
    run_blocks_sequential(pcm, channel, (first, end), &mut scratch, demod);
}

/// [`run_blocks`] on this thread alone.
fn run_blocks_sequential(
    pcm: &mut dyn FrameSource,
    channel: usize,
    (first, end): (usize, usize),
    scratch: &mut Scratch,
    demod: &mut Demodulator,
) {
    let mut at = first;
    while at < end {
        let n = (scratch.samples.len() - 1).min(end - at);
        let sum = pcm.convert(channel, at, &mut scratch.samples[1..=n]);
        demod.block(scratch, n, sum, at as u64);
        scratch.samples[0] = scratch.samples[n];
        at += n;
    }
}

/// Frames from which a pass runs its two stages on two threads (about 24 s at 44.1 kHz: below
/// that, starting a thread gains nothing worth having).
#[cfg(not(target_arch = "wasm32"))]
const PIPELINE_MIN_FRAMES: usize = 1 << 20;
/// Crossings per batch handed from the first stage to the second (about 0.85 s of the 2400 Hz
/// tone; 96 KB).
#[cfg(not(target_arch = "wasm32"))]
const BATCH: usize = 4096;

/// [`run_blocks`] on two threads: this one reads the samples and finds the crossings
/// ([`Edges`]), a second one turns them into bytes ([`Demodulator::crossings`]). The second
/// stage sees exactly the crossings the sequential loop would give it, in the same order, so
/// the result is the same to the bit; memory stays bounded by a few batches in flight.
#[cfg(not(target_arch = "wasm32"))]
fn run_blocks_pipelined(
    pcm: &mut dyn FrameSource,
    channel: usize,
    (first, end): (usize, usize),
    scratch: &mut Scratch,
    demod: &mut Demodulator,
) {
    use std::sync::mpsc::sync_channel;
    const IN_FLIGHT: usize = 4;
    // A fixed pool of batches, made here and passed back and forth: memory does not depend on
    // how the two threads happen to be scheduled. (A batch never grows: it is sent once it holds
    // BATCH crossings, and a block adds at most MAX_BLOCK.)
    const BATCHES: usize = IN_FLIGHT + 2;
    let mut edges = std::mem::take(&mut demod.edges);
    let (full_tx, full_rx) = sync_channel::<Vec<Edge>>(IN_FLIGHT);
    let (empty_tx, empty_rx) = sync_channel::<Vec<Edge>>(BATCHES);
    for _ in 1..BATCHES {
        let _ = empty_tx.send(Vec::with_capacity(BATCH + MAX_BLOCK));
    }
    std::thread::scope(|scope| {
        let stage = &mut *demod;
        let worker = scope.spawn(move || {
            for mut batch in full_rx {
                stage.crossings(&batch);
                batch.clear();
                // The channel holds the whole pool: this never waits.
                let _ = empty_tx.send(batch);
            }
        });
        let mut batch = Vec::with_capacity(BATCH + MAX_BLOCK);
        let mut at = first;
        while at < end {
            let n = (scratch.samples.len() - 1).min(end - at);
            let sum = pcm.convert(channel, at, &mut scratch.samples[1..=n]);
            let count = edges.block(scratch, n, sum, at as u64);
            batch.extend_from_slice(&scratch.edges[..count]);
            scratch.samples[0] = scratch.samples[n];
            at += n;
            if batch.len() >= BATCH {
                if full_tx.send(std::mem::take(&mut batch)).is_err() {
                    break;
                }
                // Only a worker that has stopped (a panic, joined below) leaves none.
                match empty_rx.recv() {
                    Ok(next) => batch = next,
                    Err(_) => break,
                }
            }
        }
        if !batch.is_empty() {
            let _ = full_tx.send(batch);
        }
        drop(full_tx);
        if let Err(panic) = worker.join() {
            std::panic::resume_unwind(panic);
        }
    });
    demod.edges = edges;
}

/// Samples examined per hysteresis step: one bit per sample in a `u64` mask.
const MASK_SAMPLES: usize = 64;

/// Packs eight 0/1 bytes into the low eight bits (byte `k` → bit `k`).
#[inline(always)]
fn pack8(bytes: [u8; 8]) -> u64 {
    (u64::from_le_bytes(bytes).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// Hysteresis zero-crossing detector over one block. The state goes high when the signal
/// (minus `dc`) rises above `h` and low when it falls below `−h`. Writes the indices where the
/// state changes into `crossings` (which must be at least as long as `samples`) and returns
/// their count and the final state.
///
/// Vector-friendly: for 64 samples at a time the comparisons are packed into two bit masks,
/// and each crossing is then found with one `trailing_zeros` on the mask of the opposite
/// threshold.
#[inline(never)]
fn find_crossings(
    samples: &[i32],
    dc: i32,
    h: i32,
    mut high: bool,
    crossings: &mut [u32],
) -> (usize, bool, u32) {
    let mut count = 0;
    // Blocks hold at most 4096 samples at most 2^17 apart: the sum fits in 32 bits.
    let mut abs_sum = 0u32;
    for (chunk_index, chunk) in samples.chunks(MASK_SAMPLES).enumerate() {
        let mut above = [0u8; MASK_SAMPLES];
        let mut below = [0u8; MASK_SAMPLES];
        for ((a, b), &x) in above.iter_mut().zip(below.iter_mut()).zip(chunk) {
            let y = x - dc;
            abs_sum = abs_sum.wrapping_add(y.unsigned_abs());
            *a = u8::from(y > h);
            *b = u8::from(y < -h);
        }
        let mut up = 0u64;
        let mut down = 0u64;
        for k in 0..MASK_SAMPLES / 8 {
            let a: [u8; 8] = above[k * 8..k * 8 + 8].try_into().unwrap_or([0; 8]);
            let b: [u8; 8] = below[k * 8..k * 8 + 8].try_into().unwrap_or([0; 8]);
            up |= pack8(a) << (k * 8);
            down |= pack8(b) << (k * 8);
        }
        // Bits at or after the current position.
        let mut from = u64::MAX;
        loop {
            let candidates = if high { down } else { up } & from;
            if candidates == 0 {
                break;
            }
            let bit = candidates.trailing_zeros();
            if let Some(slot) = crossings.get_mut(count) {
                *slot = (chunk_index * MASK_SAMPLES) as u32 + bit;
                count += 1;
            }
            high = !high;
            from = (u64::MAX << bit) << 1;
        }
    }
    (count, high, abs_sum)
}

/// The crossings at `crossings` (indices into the block) with the samples either side and the
/// threshold crossed. `with_prev[0]` is the sample before the block; crossings alternate between
/// rising (through dc + h) and falling (through dc − h).
#[inline(never)]
fn edges(
    with_prev: &[i32],
    crossings: &[u32],
    (dc, h): (i32, i32),
    rising_first: bool,
    base: u64,
    out: &mut [Edge],
) {
    for (k, (&i, edge)) in crossings.iter().zip(out.iter_mut()).enumerate() {
        let i = i as usize;
        let (Some(&before), Some(&after)) = (with_prev.get(i), with_prev.get(i + 1)) else {
            continue;
        };
        *edge = Edge {
            at: base + i as u64,
            before,
            after,
            threshold: dc + if (k & 1 == 0) == rising_first { h } else { -h },
        };
    }
}

/// Tracks the tone speed and counts clean half periods.
#[derive(Clone, Debug)]
struct Tracker {
    nominal_unit: u64,
    /// Current estimate of a 2400 Hz half period, in 1/256 sample.
    unit: u64,
    min_unit: u64,
    max_unit: u64,
    intervals: u64,
    clean: u64,
    clean_unit_sum: u64,
}

impl Tracker {
    fn new(sample_rate_hz: u32) -> Tracker {
        let nominal_unit = (u64::from(sample_rate_hz) << FRAC_BITS) / u64::from(2 * MARK_HZ);
        Tracker {
            nominal_unit,
            unit: nominal_unit,
            min_unit: nominal_unit * 6 / 10,
            max_unit: nominal_unit * 16 / 10,
            intervals: 0,
            clean: 0,
            clean_unit_sum: 0,
        }
    }

    fn speed(&self) -> f64 {
        if self.clean == 0 {
            return 1.0;
        }
        let mean_unit = self.clean_unit_sum as f64 / self.clean as f64;
        self.nominal_unit as f64 / mean_unit
    }
}

/// One UART at one baud rate, fed with classified half periods.
#[derive(Clone, Debug)]
struct Uart {
    baud: Baud,
    halves_per_bit: u64,
    frame: Option<Frame>,
    /// Tone of the previous interval (true = space).
    prev_long: bool,
    /// Intervals of the current tone so far.
    run: u32,
    /// Start of the current tone, if the previous tone lasted long enough to be real.
    change_at: Option<u64>,
    /// Idle: a space interval `(start, length)` that may begin a start bit.
    candidate: Option<(u64, u64)>,
    bytes: Vec<u8>,
    end_times: Vec<u64>,
    errors: Vec<(usize, u64, ByteErrorKind)>,
    good: u64,
    bad: u64,
}

#[derive(Clone, Debug)]
struct Frame {
    start: u64,
    bit_len: u64,
    end: u64,
    bit: usize,
    next_boundary: u64,
    mark: [u64; BITS_PER_FRAME as usize],
    space: [u64; BITS_PER_FRAME as usize],
}

impl Frame {
    /// A tone change at `t` marks a bit boundary: if it lies within a quarter bit of the
    /// nearest boundary of the frame's grid, move the grid half way towards it. This absorbs
    /// the error of the speed estimate and crossing jitter, which would otherwise accumulate
    /// over the frame; changes far from any boundary are noise and are ignored.
    fn resync(&mut self, t: u64) {
        let offset = t.saturating_sub(self.start);
        let boundary = (offset + self.bit_len / 2) / self.bit_len;
        if !(1..=10).contains(&boundary) {
            return;
        }
        let expected = self.start + boundary * self.bit_len;
        let limit = self.bit_len / 4;
        if t >= expected {
            let error = t - expected;
            if error <= limit {
                let shift = error / 2;
                self.start += shift;
                self.end += shift;
                self.next_boundary += shift;
            }
        } else {
            let error = expected - t;
            if error <= limit {
                let shift = (error / 2).min(self.start);
                self.start -= shift;
                self.end -= shift;
                self.next_boundary -= shift;
            }
        }
    }
}

impl Uart {
    fn new(baud: Baud) -> Uart {
        Uart {
            baud,
            halves_per_bit: u64::from(baud.mark_halves_per_bit()),
            frame: None,
            prev_long: false,
            run: 0,
            change_at: None,
            candidate: None,
            bytes: Vec::new(),
            end_times: Vec::new(),
            errors: Vec::new(),
            good: 0,
            bad: 0,
        }
    }

    fn start_frame(&mut self, t0: u64, unit: u64) {
        let bit_len = unit * self.halves_per_bit;
        self.frame = Some(Frame {
            start: t0,
            bit_len,
            end: t0 + bit_len * 10 + bit_len / 2,
            bit: 0,
            next_boundary: t0 + bit_len,
            mark: [0; BITS_PER_FRAME as usize],
            space: [0; BITS_PER_FRAME as usize],
        });
    }

    #[inline(always)]
    fn interval(&mut self, t0: u64, d: u64, long: bool, unit: u64) {
        // A tone change is a bit boundary only if both tones last at least two half periods
        // (pattern X X Y Y); a lone odd interval is noise.
        let mut boundary = None;
        if long != self.prev_long {
            self.change_at = (self.run >= 2).then_some(t0);
            self.run = 1;
        } else {
            self.run += 1;
            if self.run == 2 {
                boundary = self.change_at.take();
            }
        }
        self.prev_long = long;
        if let Some(frame) = self.frame.as_mut() {
            if let Some(t) = boundary {
                frame.resync(t);
            }
            let mid = t0 + d / 2;
            if mid >= frame.end {
                self.finish_frame();
            } else {
                let mut false_start = false;
                while mid >= frame.next_boundary {
                    frame.bit += 1;
                    frame.next_boundary += frame.bit_len;
                    if frame.bit == 1 && frame.mark[0] >= frame.space[0] {
                        false_start = true;
                        break;
                    }
                }
                if !false_start {
                    self.vote(d, long);
                    return;
                }
                // False start: noise in the carrier.
                self.frame = None;
            }
        }
        // Idle: a start bit needs two space half periods in a row, so a lone noise glitch in
        // the carrier (or in the stop bits) does not open a frame at the wrong time.
        if !long {
            self.candidate = None;
            return;
        }
        match self.candidate.take() {
            Some((c0, cd)) => {
                self.start_frame(c0, unit);
                self.vote(cd, true);
                self.vote(d, true);
            }
            None => self.candidate = Some((t0, d)),
        }
    }

    #[inline]
    fn vote(&mut self, d: u64, long: bool) {
        if let Some(frame) = self.frame.as_mut() {
            let bit = frame.bit.min(BITS_PER_FRAME as usize - 1);
            if long {
                frame.space[bit] += d;
            } else {
                frame.mark[bit] += d;
            }
        }
    }

    fn finish_frame(&mut self) {
        let Some(frame) = self.frame.take() else {
            return;
        };
        // A window that got no votes (possible only at very low sample rates) reads as mark.
        let bit = |k: usize| frame.mark[k] >= frame.space[k];
        let value = (1..=8).fold(0u8, |acc, k| acc | (u8::from(bit(k)) << (k - 1)));
        let stop_ok = bit(9) && bit(10);
        if !stop_ok {
            self.errors
                .push((self.bytes.len(), frame.start, ByteErrorKind::Framing));
            self.bad += 1;
        } else {
            self.good += 1;
        }
        self.bytes.push(value);
        self.end_times
            .push(frame.start + frame.bit_len * u64::from(BITS_PER_FRAME));
    }

    fn dropout(&mut self) {
        self.candidate = None;
        if self.frame.as_ref().is_some_and(|f| f.bit >= 10) {
            // The signal ended during the second stop bit: the byte is complete.
            self.finish_frame();
        } else if let Some(frame) = self.frame.take() {
            self.errors
                .push((self.bytes.len(), frame.start, ByteErrorKind::Dropout));
            self.bad += 1;
        }
    }

    /// End of the signal: a frame past its first stop bit is complete enough to keep.
    fn end_of_signal(&mut self) {
        match &self.frame {
            Some(frame) if frame.bit >= 10 => self.finish_frame(),
            Some(_) => self.dropout(),
            None => {}
        }
    }
}

/// Lengths of tone runs (a stretch of one tone between two changes), for choosing the baud
/// rate: a bit lasts 16 units at 300 baud, 8 at 600 and 4 at 1200, and every run is a whole
/// number of bits, so the shortest run length that is common is the bit length. (A UART at
/// twice the real rate also finds plausible frames in 300-baud data, so the frame count alone
/// cannot decide.)
#[derive(Clone, Debug, Default)]
struct Runs {
    /// Time in the current run, in 1/256 sample.
    length: u64,
    long: bool,
    /// Runs near 4, 8 and 16 units (±25%), their summed lengths (1/256 sample), all runs.
    near: [u64; 3],
    near_length: [u64; 3],
    total: u64,
}

impl Runs {
    /// Unit lengths of one bit for each entry of `near`, with its baud rate.
    const BITS: [(u64, Baud); 3] = [(4, Baud::B1200), (8, Baud::B600), (16, Baud::B300)];

    #[inline(always)]
    fn interval(&mut self, d: u64, long: bool, unit: u64) {
        if long != self.long {
            self.close(unit);
            self.long = long;
        }
        self.length += d;
    }

    fn close(&mut self, unit: u64) {
        if self.length > 0 {
            let quarters = self.length * 4 / unit.max(1);
            for (k, (bit_units, _)) in Self::BITS.iter().enumerate() {
                if quarters * 4 >= bit_units * 12 && quarters * 4 <= bit_units * 20 {
                    self.near[k] += 1;
                    self.near_length[k] += self.length;
                }
            }
            self.total += 1;
        }
        self.length = 0;
    }

    /// Tape speed relative to nominal from the one-bit runs at `baud` (`unit`: the nominal
    /// 2400 Hz half period in 1/256 sample), if there are enough of them.
    fn speed(&self, baud: Baud, unit: u64) -> Option<f64> {
        let k = Self::BITS.iter().position(|&(_, b)| b == baud)?;
        (self.near[k] >= 8).then(|| {
            let mean = self.near_length[k] as f64 / self.near[k] as f64;
            (Self::BITS[k].0 * unit) as f64 / mean
        })
    }

    /// The baud rate whose bit length is the shortest common run (at least a tenth of all
    /// runs), if the runs show one.
    fn baud(&self) -> Option<Baud> {
        Self::BITS
            .iter()
            .zip(self.near)
            .find(|(_, count)| *count >= 8 && count * 10 >= self.total)
            .map(|((_, baud), _)| *baud)
    }
}

/// The first stage of the demodulator: hysteresis zero crossings and their times. It depends on
/// the samples alone, never on what the later stage made of earlier crossings, so the two can
/// run on separate threads (see [`run_blocks`]).
#[derive(Clone, Debug, Default)]
struct Edges {
    high: bool,
    /// Hysteresis threshold for the next block (from the level of the last one).
    threshold: Option<i32>,
}

impl Edges {
    /// Finds the crossings of the `n` samples in `scratch.samples[1..=n]`, the first being
    /// absolute sample `base`, whose sum is `sum`; they are left in `scratch.edges[..count]` and
    /// the count is returned.
    fn block(&mut self, scratch: &mut Scratch, n: usize, sum: i64, base: u64) -> usize {
        if n == 0 || n > scratch.crossings.len() || n >= scratch.samples.len() {
            return 0;
        }
        let with_prev = &scratch.samples[..=n];
        let samples = &with_prev[1..];
        let dc = (sum / n as i64) as i32;
        let threshold = |abs_sum: u32| ((abs_sum / n as u32 / 3) as i32).max(THRESHOLD_FLOOR);
        // The level measured over a block sets the threshold of the next one, so one pass
        // does both; the first block of a stretch is measured first.
        let h = match self.threshold {
            Some(h) => h,
            None => {
                let abs_sum = samples
                    .iter()
                    .fold(0u32, |acc, &x| acc.wrapping_add(x.abs_diff(dc)));
                threshold(abs_sum)
            }
        };

        let rising_first = !self.high;
        let (count, high, abs_sum) =
            find_crossings(samples, dc, h, self.high, &mut scratch.crossings);
        self.high = high;
        self.threshold = Some(threshold(abs_sum));
        edges(
            with_prev,
            &scratch.crossings[..count],
            (dc, h),
            rising_first,
            base,
            &mut scratch.edges[..count],
        );
        count
    }
}

/// Zero-crossing detector ([`Edges`]) + tracker + one UART per candidate baud rate.
#[derive(Clone, Debug)]
struct Demodulator {
    edges: Edges,
    runs: Runs,
    last_crossing: Option<u64>,
    tracker: Tracker,
    uarts: Vec<Uart>,
}

impl Demodulator {
    fn new(sample_rate_hz: u32, bauds: &[Baud]) -> Demodulator {
        Demodulator {
            edges: Edges::default(),
            runs: Runs::default(),
            last_crossing: None,
            tracker: Tracker::new(sample_rate_hz),
            uarts: bauds.iter().map(|&b| Uart::new(b)).collect(),
        }
    }

    /// Forgets the signal position (a new, unrelated stretch of recording follows).
    fn restart(&mut self) {
        for uart in &mut self.uarts {
            uart.frame = None;
            uart.candidate = None;
        }
        self.last_crossing = None;
        self.edges.threshold = None;
        self.runs.length = 0;
    }

    fn finish(&mut self) {
        for uart in &mut self.uarts {
            uart.end_of_signal();
        }
    }

    /// Processes the `n` samples in `scratch.samples[1..=n]`, the first being absolute sample
    /// `base`; `sum` is their sum.
    fn block(&mut self, scratch: &mut Scratch, n: usize, sum: i64, base: u64) {
        let count = self.edges.block(scratch, n, sum, base);
        self.crossings(&scratch.edges[..count]);
    }

    /// The second stage: the crossings' times (1/256 sample) and the intervals between them.
    fn crossings(&mut self, edges: &[Edge]) {
        /// Crossings timed at a time: the divisions of a group run in one tight loop (they
        /// overlap there, where interleaved with the UART each waited for its result).
        const GROUP: usize = 64;
        for group in edges.chunks(GROUP) {
            let mut times = [0u64; GROUP];
            for (t, edge) in times.iter_mut().zip(group) {
                *t = edge.time();
            }
            let mut times = times[..group.len()].iter();
            let mut last = match self.last_crossing {
                Some(last) => last,
                None => match times.next() {
                    Some(&t) => t,
                    None => return,
                },
            };
            for &t in times {
                self.interval(last, t.saturating_sub(last));
                last = t;
            }
            self.last_crossing = Some(last);
        }
    }

    #[inline(always)]
    fn interval(&mut self, t0: u64, d: u64) {
        let tracker = &mut self.tracker;
        let unit = tracker.unit;
        tracker.intervals += 1;
        if d > unit * DROPOUT_UNITS {
            self.runs.length = 0;
            for uart in &mut self.uarts {
                uart.dropout();
            }
            return;
        }
        let long = 2 * d > 3 * unit;
        self.runs.interval(d, long, unit);
        let (norm, clean) = if long {
            (d / 2, d * 20 >= unit * 31 && d * 20 <= unit * 52)
        } else {
            (d, d * 2 >= unit && d * 20 <= unit * 29)
        };
        if clean {
            tracker.clean += 1;
            tracker.clean_unit_sum += norm;
            // Exponential average over ~16 half periods follows speed drift.
            let updated = (unit * 15 + norm) / 16;
            tracker.unit = updated.clamp(tracker.min_unit, tracker.max_unit);
        }
        for uart in &mut self.uarts {
            uart.interval(t0, d, long, unit);
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::kcs::{encode_pcm, EncodeOptions, MemoryPcm};

    /// The two-thread pass gives the one-thread pass's result to the bit, with noise, dropouts
    /// and all three UARTs running.
    #[test]
    fn the_pipelined_pass_equals_the_sequential_pass() {
        let program: Vec<u8> = (0..1600u32).map(|i| (i * 37 % 251) as u8).collect();
        let options = EncodeOptions::default();
        let clean = encode_pcm(&program, &options).unwrap();
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let samples: Vec<f32> = clean
            .iter()
            .enumerate()
            .map(|(i, &s)| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let noise = (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5;
                // A 4 ms dropout every 4.5 s.
                if i % 200_000 < 180 {
                    0.0
                } else {
                    f32::from(s) / 32768.0 + 0.6 * noise
                }
            })
            .collect();
        let mut source = MemoryPcm::from_f32(options.sample_rate_hz, 1, &samples).unwrap();
        let format = source.format();
        assert!(format.frames >= 2 * PIPELINE_MIN_FRAMES);
        let block = MAX_BLOCK.min(format.sample_rate_hz as usize / 16);
        let scratch = || Scratch {
            samples: vec![0; block + 1],
            crossings: vec![0; block],
            edges: vec![Edge::default(); block],
        };
        let mut one = Demodulator::new(format.sample_rate_hz, &Baud::ALL);
        run_blocks_sequential(&mut source, 0, (0, format.frames), &mut scratch(), &mut one);
        let mut two = Demodulator::new(format.sample_rate_hz, &Baud::ALL);
        run_blocks_pipelined(&mut source, 0, (0, format.frames), &mut scratch(), &mut two);
        assert!(one.uarts[0].bytes.len() > 800);
        assert!(one.uarts.iter().any(|u| !u.errors.is_empty()));
        assert_eq!(format!("{one:?}"), format!("{two:?}"));
    }
}
