//! Test recordings: seeded noise and payloads, WAV files of float signals, impairments.

use std::io::Cursor;

use superboard::kcs::{encode_pcm, EncodeOptions};

/// xorshift64*: deterministic test noise and payloads.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Standard normal (Box–Muller).
    pub fn gauss(&mut self) -> f64 {
        let u1 = self.unit().max(1e-12);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

pub fn wav_i32_from(samples: &[Vec<f64>], rate: u32, bits: u16, float: bool) -> Vec<u8> {
    let channels = samples.len();
    let spec = hound::WavSpec {
        channels: channels as u16,
        sample_rate: rate,
        bits_per_sample: bits,
        sample_format: if float {
            hound::SampleFormat::Float
        } else {
            hound::SampleFormat::Int
        },
    };
    let mut cursor = Cursor::new(Vec::new());
    {
        let mut w = hound::WavWriter::new(&mut cursor, spec).unwrap();
        let frames = samples[0].len();
        let full = ((1i64 << (bits - 1)) - 1) as f64;
        for i in 0..frames {
            for ch in samples {
                let x = ch[i].clamp(-1.0, 1.0);
                if float {
                    w.write_sample(x as f32).unwrap();
                } else if bits == 8 {
                    w.write_sample((x * full).round() as i8).unwrap();
                } else if bits == 16 {
                    w.write_sample((x * full).round() as i16).unwrap();
                } else {
                    w.write_sample((x * full).round() as i32).unwrap();
                }
            }
        }
        w.finalize().unwrap();
    }
    cursor.into_inner()
}

/// The clean signal as floats in [-1, 1].
pub fn signal(payload: &[u8], options: &EncodeOptions) -> Vec<f64> {
    encode_pcm(payload, options)
        .unwrap()
        .iter()
        .map(|&s| f64::from(s) / 32768.0)
        .collect()
}

pub fn with_noise(x: &[f64], snr_db: f64, rng: &mut Rng) -> Vec<f64> {
    let power = x.iter().map(|v| v * v).sum::<f64>() / x.len() as f64;
    let sigma = (power / 10f64.powf(snr_db / 10.0)).sqrt();
    x.iter().map(|v| v + sigma * rng.gauss()).collect()
}

/// One-pole low-pass then one-pole high-pass, like a cassette's band limits.
pub fn band_limit(x: &[f64], rate: f64, low_hz: f64, high_hz: f64) -> Vec<f64> {
    let a_lp = 1.0 - (-std::f64::consts::TAU * high_hz / rate).exp();
    let rc = 1.0 / (std::f64::consts::TAU * low_hz);
    let a_hp = rc / (rc + 1.0 / rate);
    let mut lp = 0.0;
    let mut hp = 0.0;
    let mut prev = 0.0;
    x.iter()
        .map(|&v| {
            lp += a_lp * (v - lp);
            hp = a_hp * (hp + lp - prev);
            prev = lp;
            hp
        })
        .collect()
}
