//! The robust path: a correlation (non-coherent FSK) demodulator and a UART with a flywheel.
//!
//! Used when the fast zero-crossing path finds trouble (framing errors, dropouts, a noisy
//! signal). Instead of timing zero crossings, which noise moves and multiplies, it measures how
//! much of each tone the signal holds:
//!
//! 1. **Correlation.** Each sample is multiplied by cosine and sine references of 2400 Hz and
//!    1200 Hz (one table of `rate / gcd(rate, 1200)` samples covers every phase) and summed per
//!    *slot* of about 1/9600 s. A sliding window of about one 1200 Hz period (1/1200 s) of
//!    slots gives the energy of each tone, `E_mark = I² + Q²` and `E_space` likewise: the
//!    window holds whole periods of both tones, so DC and hum (far below 1200 Hz) cancel, the
//!    two tones are orthogonal, and noise outside a band of about ±1200 Hz around each tone is
//!    averaged away. The decision value of a slot is `E_mark − E_space`; its power is
//!    `E_mark + E_space`.
//! 2. **Bits** are decided by the sign of the decision value summed over the middle 60% of the
//!    bit; a bit is *clear* when its power is above a twentieth of the running signal level and
//!    the tones differ by more than a quarter of it (otherwise the signal was lost there).
//! 3. **Framing.** Idle, the UART looks for a mark-to-space change followed by a clear space
//!    start bit (the zero crossing of the decision value, interpolated, is the edge). The frame's
//!    bit grid is then refitted to the tone changes inside the frame (wow and speed error), and
//!    the fitted bit length slowly updates the speed estimate.
//! 4. **Flywheel.** After a frame, the next start bit is expected exactly one frame later
//!    (SAVE sends characters back to back). If the signal is lost there, the frame is still
//!    read on that grid, so a dropout shorter than a bit costs at most the byte it falls in,
//!    instead of sending the UART hunting for start bits among data bits.

use super::ByteErrorKind;
use crate::kcs::{MARK_HZ, SPACE_HZ};

/// Decision slots per second (about eight per bit at 1200 baud).
const SLOT_RATE_HZ: u32 = 9_600;
/// A bit is clear when its power is above this fraction of the running signal level...
const CLEAR_POWER: f32 = 0.05;
/// ...and the tones' energies differ by more than this fraction of their sum.
const CLEAR_PURITY: f32 = 0.25;
/// Part of each bit (from its start, in bits) whose slots decide it: the middle 60%.
const BIT_WINDOW: (f64, f64) = (0.2, 0.8);
/// Most a tone change inside a frame may lie from its grid position to refit the grid, bits.
const EDGE_REACH: f64 = 0.35;
/// Bit-length estimate stays within these factors of nominal (±15% tape speed).
const SPEED_RANGE: (f64, f64) = (0.85, 1.18);
/// Bits of a frame: start, 8 data, 2 stop.
const FRAME_BITS: f64 = 11.0;
/// Frames the flywheel keeps the grid through lost signal before hunting again.
const FLYWHEEL_FRAMES: f64 = 3.0;

fn gcd(mut a: u32, mut b: u32) -> u32 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Correlates the signal with both tones, slot by slot.
#[derive(Clone, Debug)]
pub(super) struct Correlator {
    /// cos, sin of 2400 Hz and cos, sin of 1200 Hz for each phase index.
    table: Vec<[f32; 4]>,
    phase: usize,
    /// Samples per slot.
    slot_samples: usize,
    filled: usize,
    acc: [f32; 4],
    /// The last `window` slots' correlations.
    ring: Vec<[f32; 4]>,
    ring_at: usize,
    /// Decision values and powers of the slots kept, the first being slot `base`.
    dec: Vec<f32>,
    pow: Vec<f32>,
    base: usize,
}

impl Correlator {
    pub(super) fn new(sample_rate_hz: u32) -> Correlator {
        let rate = sample_rate_hz.max(1);
        let period = (rate / gcd(rate, SPACE_HZ)) as usize;
        let angle = |freq: u32, n: usize| {
            let cycle_pos = (u64::from(freq) * n as u64) % u64::from(rate);
            std::f64::consts::TAU * cycle_pos as f64 / f64::from(rate)
        };
        let table = (0..period)
            .map(|n| {
                let (m, s) = (angle(MARK_HZ, n), angle(SPACE_HZ, n));
                [
                    m.cos() as f32,
                    m.sin() as f32,
                    s.cos() as f32,
                    s.sin() as f32,
                ]
            })
            .collect();
        let slot_samples = (rate / SLOT_RATE_HZ).max(1) as usize;
        let window =
            ((f64::from(rate) / f64::from(SPACE_HZ) / slot_samples as f64).round() as usize).max(1);
        Correlator {
            table,
            phase: 0,
            slot_samples,
            filled: 0,
            acc: [0.0; 4],
            ring: vec![[0.0; 4]; window],
            ring_at: 0,
            dec: Vec::new(),
            pow: Vec::new(),
            base: 0,
        }
    }

    /// Samples per slot.
    pub(super) fn slot_samples(&self) -> usize {
        self.slot_samples
    }

    /// The sample position (fractional) at the centre of slot `slot`'s window.
    pub(super) fn slot_to_sample(&self, slot: f64) -> f64 {
        (slot + 1.0 - self.ring.len() as f64 / 2.0) * self.slot_samples as f64
    }

    /// Slots produced so far.
    fn end(&self) -> usize {
        self.base + self.dec.len()
    }

    /// Feeds samples (any scale) with `dc` subtracted.
    pub(super) fn push(&mut self, samples: &[i32], dc: f32) {
        let period = self.table.len();
        for &x in samples {
            let v = x as f32 - dc;
            let t = self.table[self.phase];
            self.acc[0] += v * t[0];
            self.acc[1] += v * t[1];
            self.acc[2] += v * t[2];
            self.acc[3] += v * t[3];
            self.phase += 1;
            if self.phase == period {
                self.phase = 0;
            }
            self.filled += 1;
            if self.filled == self.slot_samples {
                self.emit_slot();
            }
        }
    }

    /// Feeds `count` samples of silence (the phase keeps running).
    pub(super) fn push_silence(&mut self, count: usize) {
        const ZEROS: [i32; 256] = [0; 256];
        let mut left = count;
        while left > 0 {
            let n = left.min(ZEROS.len());
            self.push(&ZEROS[..n], 0.0);
            left -= n;
        }
    }

    fn emit_slot(&mut self) {
        self.ring[self.ring_at] = self.acc;
        self.ring_at = (self.ring_at + 1) % self.ring.len();
        self.acc = [0.0; 4];
        self.filled = 0;
        let mut w = [0.0f32; 4];
        for r in &self.ring {
            for (a, b) in w.iter_mut().zip(r) {
                *a += b;
            }
        }
        let mark = w[0] * w[0] + w[1] * w[1];
        let space = w[2] * w[2] + w[3] * w[3];
        self.dec.push(mark - space);
        self.pow.push(mark + space);
    }

    /// Forgets slots before `slot`.
    fn trim(&mut self, slot: usize) {
        if slot > self.base {
            let n = (slot - self.base).min(self.dec.len());
            self.dec.drain(..n);
            self.pow.drain(..n);
            self.base += n;
        }
    }

    /// Sums of decision value and power over slots `from..to` (clipped to those kept).
    fn sums(&self, from: f64, to: f64) -> (f32, f32, usize) {
        let a = (from.ceil().max(self.base as f64) as usize).saturating_sub(self.base);
        let b = (to.ceil().max(0.0) as usize)
            .saturating_sub(self.base)
            .min(self.dec.len());
        if a >= b {
            return (0.0, 0.0, 0);
        }
        let dec: f32 = self.dec[a..b].iter().sum();
        let pow: f32 = self.pow[a..b].iter().sum();
        (dec, pow, b - a)
    }

    fn dec_at(&self, slot: usize) -> Option<f32> {
        slot.checked_sub(self.base)
            .and_then(|i| self.dec.get(i).copied())
    }

    fn pow_at(&self, slot: usize) -> Option<f32> {
        slot.checked_sub(self.base)
            .and_then(|i| self.pow.get(i).copied())
    }
}

/// One bit as measured: its mean decision value and power.
#[derive(Clone, Copy, Debug)]
struct Bit {
    dec: f32,
    pow: f32,
}

impl Bit {
    fn mark(self) -> bool {
        self.dec >= 0.0
    }

    fn clear(self, level: f32) -> bool {
        self.pow > level * CLEAR_POWER && self.dec.abs() > self.pow * CLEAR_PURITY
    }
}

/// Where the UART is.
#[derive(Clone, Copy, Debug)]
enum Hunt {
    /// Looking for a start bit from this slot on.
    Search(f64),
    /// The next frame is expected to start at this slot (flywheel).
    Expect(f64),
}

/// UART over correlator slots, with a flywheel for dropouts.
#[derive(Clone, Debug)]
pub(super) struct FlyUart {
    nominal_bit: f64,
    /// Slots per bit, tracking the tape speed.
    bit: f64,
    hunt: Hunt,
    /// Running signal power (of clear bits).
    level: f32,
    /// Starts of the frames just read as lost (no byte recovered).
    lost: Vec<f64>,
    /// Slots in half a second: a loss shorter than this before a frame cost a byte.
    half_second: f64,
    pub(super) bytes: Vec<u8>,
    /// End of each byte's frame, in slots.
    pub(super) end_slots: Vec<f64>,
    /// Damaged bytes: index, frame start in slots, kind.
    pub(super) errors: Vec<(usize, f64, ByteErrorKind)>,
    pub(super) good: u64,
}

impl FlyUart {
    /// A UART for `bits_per_s` on `correlator`'s slots, with the tape running at `speed` × nominal.
    pub(super) fn new(
        correlator: &Correlator,
        sample_rate_hz: u32,
        bits_per_s: u32,
        speed: f64,
    ) -> FlyUart {
        let slots_per_s = f64::from(sample_rate_hz) / correlator.slot_samples() as f64;
        let nominal_bit = slots_per_s / f64::from(bits_per_s);
        let speed = speed.clamp(1.0 / SPEED_RANGE.1, 1.0 / SPEED_RANGE.0);
        FlyUart {
            nominal_bit,
            bit: nominal_bit / speed,
            hunt: Hunt::Search(0.0),
            level: 0.0,
            lost: Vec::new(),
            half_second: slots_per_s / 2.0,
            bytes: Vec::new(),
            end_slots: Vec::new(),
            errors: Vec::new(),
            good: 0,
        }
    }

    fn measure(&self, c: &Correlator, start: f64, bit_len: f64, k: f64) -> Bit {
        let (dec, pow, n) = c.sums(
            start + (k + BIT_WINDOW.0) * bit_len,
            start + (k + BIT_WINDOW.1) * bit_len,
        );
        let n = n.max(1) as f32;
        Bit {
            dec: dec / n,
            pow: pow / n,
        }
    }

    /// Decodes every frame the slots kept so far allow, then forgets the slots no longer needed.
    pub(super) fn process(&mut self, c: &mut Correlator) {
        // A frame needs its slots up to its end plus a little for the grid refit.
        let frame_span = (FRAME_BITS + 1.0) * self.bit;
        loop {
            let available = c.end() as f64;
            match self.hunt {
                Hunt::Expect(start) => {
                    if start + frame_span > available {
                        break;
                    }
                    let first = self.measure(c, start, self.bit, 0.0);
                    if first.clear(self.level) && first.mark() {
                        // Carrier where a start bit was due: a pause between characters.
                        self.hunt = Hunt::Search(start);
                    } else {
                        match self.edge_near(c, start, true) {
                            Some(edge) => self.frame(c, edge, false),
                            None => self.frame(c, start, true),
                        }
                    }
                }
                Hunt::Search(from) => match self.find_start(c, from, available - frame_span) {
                    Some(start) => self.frame(c, start, false),
                    None => break,
                },
            }
        }
        let keep = match self.hunt {
            Hunt::Search(from) | Hunt::Expect(from) => from - 2.0 * self.bit,
        };
        c.trim(keep.max(0.0) as usize);
    }

    /// Finds the next start bit at or after `from`, looking no further than `until`. Sets the
    /// hunt position to where it stopped.
    fn find_start(&mut self, c: &Correlator, from: f64, until: f64) -> Option<f64> {
        let mut slot = (from.ceil() as usize).max(c.base + 1);
        while (slot as f64) < until {
            let (Some(before), Some(now)) = (c.dec_at(slot - 1), c.dec_at(slot)) else {
                break;
            };
            if let Some(pow) = c.pow_at(slot) {
                // The level follows pure tones while idle (the leader).
                if now.abs() > pow * 0.5 {
                    self.level += (pow - self.level) * 0.01;
                }
            }
            if before >= 0.0 && now < 0.0 {
                let edge = (slot - 1) as f64 + f64::from(before / (before - now));
                let start = self.measure(c, edge, self.bit, 0.0);
                let idle = self.measure(c, edge, self.bit, -0.75);
                if start.clear(self.level) && !start.mark() && idle.mark() {
                    self.hunt = Hunt::Search(edge);
                    return Some(edge);
                }
            }
            slot += 1;
        }
        self.hunt = Hunt::Search(slot as f64);
        None
    }

    /// The zero crossing of the decision value nearest `at` within `EDGE_REACH` bits, going
    /// from mark to space if `falling`.
    fn edge_near(&self, c: &Correlator, at: f64, falling: bool) -> Option<f64> {
        let reach = EDGE_REACH * self.bit;
        let from = (at - reach).ceil().max(1.0) as usize;
        let to = (at + reach).floor() as usize;
        let mut best: Option<f64> = None;
        for slot in from..=to {
            let (Some(before), Some(now)) = (c.dec_at(slot - 1), c.dec_at(slot)) else {
                continue;
            };
            let crosses = if falling {
                before >= 0.0 && now < 0.0
            } else {
                before < 0.0 && now >= 0.0
            };
            if crosses {
                let t = (slot - 1) as f64 + f64::from(before / (before - now));
                if best.is_none_or(|b| (t - at).abs() < (b - at).abs()) {
                    best = Some(t);
                }
            }
        }
        best
    }

    /// Reads the frame starting at `start` (its start bit unreadable if `forced`).
    fn frame(&mut self, c: &Correlator, start: f64, forced: bool) {
        let bit = self.bit;
        let measure_all = |uart: &Self, start: f64, bit: f64| -> [Bit; 11] {
            std::array::from_fn(|k| uart.measure(c, start, bit, k as f64))
        };
        let mut bits = measure_all(self, start, bit);
        // Refit the grid to the tone changes inside the frame: x_k = start + k * bit.
        let mut points: Vec<(f64, f64)> = Vec::with_capacity(11);
        if !forced {
            points.push((0.0, start));
        }
        for k in 1..11 {
            let (a, b) = (bits[k - 1], bits[k]);
            if a.clear(self.level) && b.clear(self.level) && a.mark() != b.mark() {
                if let Some(t) = self.edge_near(c, start + k as f64 * bit, a.mark()) {
                    points.push((k as f64, t));
                }
            }
        }
        let (mut start, mut bit_len) = (start, bit);
        let mut moved = false;
        if points.len() >= 2 {
            let n = points.len() as f64;
            let mk = points.iter().map(|p| p.0).sum::<f64>() / n;
            let mx = points.iter().map(|p| p.1).sum::<f64>() / n;
            let skk: f64 = points.iter().map(|p| (p.0 - mk) * (p.0 - mk)).sum();
            let skx: f64 = points.iter().map(|p| (p.0 - mk) * (p.1 - mx)).sum();
            if skk > 0.0 {
                let fitted = skx / skk;
                if fitted > bit * 0.8 && fitted < bit * 1.25 {
                    bit_len = fitted;
                    start = mx - mk * fitted;
                    moved = true;
                    if points.len() >= 3 {
                        self.bit = (self.bit + (fitted - self.bit) * 0.1).clamp(
                            self.nominal_bit / SPEED_RANGE.1,
                            self.nominal_bit / SPEED_RANGE.0,
                        );
                    }
                }
            }
        } else if points.len() == 1 && forced {
            // One tone change only: shift the grid onto it.
            let (k, t) = points[0];
            start = t - k * bit;
            moved = true;
        }
        if moved {
            bits = measure_all(self, start, bit_len);
        }

        let unclear = bits[1..=8].iter().filter(|b| !b.clear(self.level)).count();
        let end = start + FRAME_BITS * bit_len;
        if unclear >= 4 {
            // The signal is gone: no byte here. The flywheel keeps the grid for a few frames
            // (a short dropout); then the UART hunts for start bits again.
            let first_lost = *self.lost.first().unwrap_or(&start);
            self.lost.push(start);
            self.hunt = if start - first_lost < FLYWHEEL_FRAMES * FRAME_BITS * bit_len {
                Hunt::Expect(end)
            } else {
                Hunt::Search(start + bit_len)
            };
            return;
        }
        if let Some(&first_lost) = self.lost.first() {
            // The signal came back soon: every frame read as lost held a byte.
            if start - first_lost < self.half_second {
                for &at in &self.lost {
                    self.errors
                        .push((self.bytes.len(), at, ByteErrorKind::Dropout));
                }
            }
            self.lost.clear();
        }
        let level = self.level;
        for b in bits.iter().filter(|b| b.clear(level)) {
            self.level += (b.pow - self.level) * 0.2;
        }
        let value = (1..=8).fold(0u8, |acc, k| acc | (u8::from(bits[k].mark()) << (k - 1)));
        let stop_space = bits[9..=10]
            .iter()
            .any(|b| b.clear(self.level) && !b.mark());
        if unclear > 0 {
            self.errors
                .push((self.bytes.len(), start, ByteErrorKind::Unclear));
        } else if stop_space {
            self.errors
                .push((self.bytes.len(), start, ByteErrorKind::Framing));
        } else {
            self.good += 1;
        }
        self.bytes.push(value);
        self.end_slots.push(end);
        self.hunt = if stop_space {
            Hunt::Search(start + (FRAME_BITS - 0.5) * bit_len)
        } else {
            Hunt::Expect(end)
        };
    }

    /// End of the recording: reads what is left, the signal being silence from here on.
    pub(super) fn finish(&mut self, c: &mut Correlator) {
        let tail = ((FRAME_BITS + 2.0) * self.bit) as usize * c.slot_samples() + c.slot_samples();
        c.push_silence(tail);
        self.process(c);
    }
}

/// Tone runs in the correlator's slots, for choosing the baud rate: the tone flips only when
/// the other one clearly dominates, so noise does not chop runs up.
#[derive(Clone, Debug, Default)]
pub(super) struct ToneRuns {
    space: bool,
    length: u64,
}

impl ToneRuns {
    /// Consumes the correlator's slots, calling `run(slots, space)` for each finished run.
    pub(super) fn take(&mut self, c: &mut Correlator, mut run: impl FnMut(u64, bool)) {
        for (&dec, &pow) in c.dec.iter().zip(&c.pow) {
            let space = if dec > 0.3 * pow {
                false
            } else if dec < -0.3 * pow {
                true
            } else {
                self.space
            };
            if space != self.space {
                if self.length > 0 {
                    run(self.length, self.space);
                }
                self.space = space;
                self.length = 0;
            }
            self.length += 1;
        }
        let end = c.end();
        c.trim(end);
    }
}
