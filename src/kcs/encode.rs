//! KCS modulator: bytes → PCM.
//!
//! Synthesis is exact in time and phase-continuous. Every bit holds a whole number of cycles of
//! either tone, so in continuous time both tones pass through phase 0 at every bit boundary, and
//! the waveform at sample `n` is simply `tone(2π·f·n / rate)` with `f` the tone of the bit that
//! sample `n` falls in. Both tones therefore repeat with period `L = rate / gcd(rate, 1200)`
//! samples (2400 Hz divides it too), so one table of `L` samples per tone covers any rate, and
//! encoding is a sequence of slice copies. Bit `k` covers samples `ceil(k·rate/baud)` up to
//! `ceil((k+1)·rate/baud)`.

use super::{listing_to_tape, wav, Baud, KcsError, BITS_PER_FRAME, MARK_HZ, SPACE_HZ};

/// Lowest accepted sample rate, in hertz.
pub const MIN_ENCODE_RATE_HZ: u32 = 8_000;
/// Highest accepted sample rate, in hertz.
pub const MAX_ENCODE_RATE_HZ: u32 = 96_000;

/// Shape of the tones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Waveform {
    /// Pure sine tones.
    Sine,
    /// Square tones (what the board's TTL modulator puts out before filtering).
    Square,
}

/// Encoder settings.
#[derive(Clone, Debug, PartialEq)]
pub struct EncodeOptions {
    /// Sample rate, 8,000–96,000 Hz.
    pub sample_rate_hz: u32,
    /// 8 or 16 bits per sample (integer PCM, mono).
    pub bits_per_sample: u16,
    /// Line speed.
    pub baud: Baud,
    /// Tone shape.
    pub wave: Waveform,
    /// Seconds of mark carrier before the first byte.
    pub leader_s: f64,
    /// Seconds of mark carrier after the last byte.
    pub trailer_s: f64,
    /// Peak amplitude as a fraction of full scale, in (0, 1].
    pub amplitude: f64,
}

impl Default for EncodeOptions {
    fn default() -> Self {
        EncodeOptions {
            sample_rate_hz: 44_100,
            bits_per_sample: 16,
            baud: Baud::B300,
            wave: Waveform::Sine,
            leader_s: 2.0,
            trailer_s: 1.0,
            amplitude: 0.8,
        }
    }
}

impl EncodeOptions {
    fn validate(&self) -> Result<(), KcsError> {
        if !(MIN_ENCODE_RATE_HZ..=MAX_ENCODE_RATE_HZ).contains(&self.sample_rate_hz) {
            return Err(KcsError::InvalidOption(format!(
                "sample rate {} Hz is outside {MIN_ENCODE_RATE_HZ}..={MAX_ENCODE_RATE_HZ} Hz",
                self.sample_rate_hz
            )));
        }
        if self.bits_per_sample != 8 && self.bits_per_sample != 16 {
            return Err(KcsError::InvalidOption(format!(
                "{} bits per sample (8 or 16 supported)",
                self.bits_per_sample
            )));
        }
        for (name, seconds) in [("leader", self.leader_s), ("trailer", self.trailer_s)] {
            if !(0.0..=3600.0).contains(&seconds) {
                return Err(KcsError::InvalidOption(format!(
                    "{name} of {seconds} s (0 to 3600 s allowed)"
                )));
            }
        }
        if !(self.amplitude > 0.0 && self.amplitude <= 1.0) {
            return Err(KcsError::InvalidOption(format!(
                "amplitude {} (must be in (0, 1])",
                self.amplitude
            )));
        }
        Ok(())
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Precomputed tone tables and bit clock for one set of options.
struct Modulator {
    rate: u64,
    baud: u64,
    /// One repeat of each tone: index 0 = space (1200 Hz), 1 = mark (2400 Hz).
    tables: [Vec<i16>; 2],
}

impl Modulator {
    fn new(options: &EncodeOptions) -> Modulator {
        let rate = u64::from(options.sample_rate_hz);
        let period = rate / gcd(rate, u64::from(SPACE_HZ));
        // 8-bit output keeps 16-bit-scale samples that are multiples of 256, so the conversion
        // on output is exact.
        let full_scale = if options.bits_per_sample == 8 {
            127.0
        } else {
            32767.0
        };
        let step = if options.bits_per_sample == 8 { 256 } else { 1 };
        let peak = options.amplitude * full_scale;
        let table = |freq_hz: u32| -> Vec<i16> {
            (0..period)
                .map(|n| {
                    // Position within the tone's cycle, computed exactly in integers.
                    let cycle_pos = (u64::from(freq_hz) * n) % rate;
                    let level = match options.wave {
                        Waveform::Sine => {
                            let phase = cycle_pos as f64 / rate as f64;
                            (peak * (std::f64::consts::TAU * phase).sin()).round()
                        }
                        Waveform::Square => {
                            if 2 * cycle_pos < rate {
                                peak.round()
                            } else {
                                -peak.round()
                            }
                        }
                    };
                    (level as i16).saturating_mul(step)
                })
                .collect()
        };
        Modulator {
            rate,
            baud: u64::from(options.baud.bits_per_s()),
            tables: [table(SPACE_HZ), table(MARK_HZ)],
        }
    }

    /// First sample of bit number `bit`.
    fn bit_start(&self, bit: u64) -> u64 {
        (bit * self.rate).div_ceil(self.baud)
    }

    /// Feeds the samples of bit number `bit` (a 1 if `value`) to `sink` as table slices.
    fn emit_bit(&self, bit: u64, value: bool, sink: &mut impl FnMut(&[i16])) {
        let table = &self.tables[usize::from(value)];
        let period = table.len() as u64;
        let start = self.bit_start(bit);
        let end = self.bit_start(bit + 1);
        let mut n = start;
        while n < end {
            let index = (n % period) as usize;
            let run = ((end - n) as usize).min(table.len() - index);
            sink(&table[index..index + run]);
            n += run as u64;
        }
    }
}

/// Leader, data and trailer bits for `byte_count` bytes.
fn total_bits(byte_count: usize, options: &EncodeOptions) -> (u64, u64, u64) {
    let baud = f64::from(options.baud.bits_per_s());
    let leader_bits = (options.leader_s * baud).round() as u64;
    let trailer_bits = (options.trailer_s * baud).round() as u64;
    let data_bits = byte_count as u64 * u64::from(BITS_PER_FRAME);
    (leader_bits, data_bits, trailer_bits)
}

/// Runs the modulator, handing the samples (16-bit scale) to `sink` in slices.
fn modulate(bytes: &[u8], options: &EncodeOptions, mut sink: impl FnMut(&[i16])) -> u64 {
    let modulator = Modulator::new(options);
    let (leader_bits, data_bits, trailer_bits) = total_bits(bytes.len(), options);
    let mut bit = 0u64;
    for _ in 0..leader_bits {
        modulator.emit_bit(bit, true, &mut sink);
        bit += 1;
    }
    for &byte in bytes {
        modulator.emit_bit(bit, false, &mut sink);
        bit += 1;
        for data_bit in 0..8 {
            modulator.emit_bit(bit, byte >> data_bit & 1 == 1, &mut sink);
            bit += 1;
        }
        for _ in 0..2 {
            modulator.emit_bit(bit, true, &mut sink);
            bit += 1;
        }
    }
    for _ in 0..trailer_bits {
        modulator.emit_bit(bit, true, &mut sink);
        bit += 1;
    }
    debug_assert_eq!(bit, leader_bits + data_bits + trailer_bits);
    modulator.bit_start(bit)
}

/// Encodes `bytes` as mono PCM samples on a 16-bit scale (for 8-bit output the samples are
/// multiples of 256), leader and trailer included.
pub fn encode_pcm(bytes: &[u8], options: &EncodeOptions) -> Result<Vec<i16>, KcsError> {
    options.validate()?;
    let mut samples = Vec::with_capacity(sample_count(bytes.len(), options)?);
    modulate(bytes, options, |run| samples.extend_from_slice(run));
    Ok(samples)
}

fn sample_count(byte_count: usize, options: &EncodeOptions) -> Result<usize, KcsError> {
    let (leader, data, trailer) = total_bits(byte_count, options);
    let bits = leader + data + trailer;
    let samples =
        (bits * u64::from(options.sample_rate_hz)).div_ceil(u64::from(options.baud.bits_per_s()));
    let bytes_per_sample = u64::from(options.bits_per_sample / 8);
    // A RIFF file cannot describe more than 4 GiB of data.
    if samples * bytes_per_sample > u64::from(u32::MAX) - 64 {
        return Err(KcsError::InvalidOption(format!(
            "{samples} samples exceed the 4 GiB limit of a WAV file"
        )));
    }
    Ok(samples as usize)
}

/// Encodes `bytes` as a complete mono WAV file (in memory).
pub fn encode_wav(bytes: &[u8], options: &EncodeOptions) -> Result<Vec<u8>, KcsError> {
    options.validate()?;
    let count = sample_count(bytes.len(), options)?;
    wav::write_mono(
        options.sample_rate_hz,
        options.bits_per_sample,
        count,
        |sink| {
            modulate(bytes, options, |run| sink(run));
        },
    )
}

/// Encodes a text listing (see [`listing_to_tape`]: every byte, CR line ends plus NUL padding)
/// as a WAV file.
pub fn encode_text(text: &str, options: &EncodeOptions) -> Result<Vec<u8>, KcsError> {
    encode_wav(&listing_to_tape(text.as_bytes()), options)
}

/// Streaming tone generator for live tape sound: a phase accumulator (so the tone stays
/// continuous whenever the bit changes at an arbitrary instant) producing f32 samples.
#[derive(Clone, Debug)]
pub struct ToneSynth {
    sample_rate_hz: u32,
    /// Phase in cycles, in [0, 1).
    phase: f64,
    /// Peak level of the samples.
    pub volume: f32,
}

impl ToneSynth {
    /// A synthesiser at `sample_rate_hz` (clamped to at least 1 Hz) with volume 0.25.
    pub fn new(sample_rate_hz: u32) -> ToneSynth {
        ToneSynth {
            sample_rate_hz: sample_rate_hz.max(1),
            phase: 0.0,
            volume: 0.25,
        }
    }

    /// The output rate.
    pub fn sample_rate_hz(&self) -> u32 {
        self.sample_rate_hz
    }

    /// The tone's phase in cycles, in [0, 1) (saved in snapshots so sound continues seamlessly).
    pub fn phase(&self) -> f64 {
        self.phase
    }

    /// Sets the phase; values outside [0, 1) are wrapped into it (NaN becomes 0).
    pub fn set_phase(&mut self, phase: f64) {
        self.phase = if phase.is_finite() {
            phase - phase.floor()
        } else {
            0.0
        };
    }

    /// Appends one sample of the tone for `bit` (true = mark 2400 Hz, false = space 1200 Hz).
    pub fn push(&mut self, bit: bool, out: &mut Vec<f32>) {
        let freq_hz = if bit { MARK_HZ } else { SPACE_HZ };
        out.push(self.volume * (std::f64::consts::TAU * self.phase).sin() as f32);
        self.phase += f64::from(freq_hz) / f64::from(self.sample_rate_hz);
        self.phase -= self.phase.floor();
    }

    /// Appends one sample of silence (tape stopped); the phase restarts at 0.
    pub fn push_silence(&mut self, out: &mut Vec<f32>) {
        out.push(0.0);
        self.phase = 0.0;
    }
}
