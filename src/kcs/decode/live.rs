//! Streaming KCS decoder: audio pushed as it arrives (a line input, a microphone), bytes out
//! while it plays.
//!
//! [`LiveDecoder`] runs the fast zero-crossing demodulator of the parent module over mono f32
//! samples (full scale ±1) pushed in chunks of any size. Samples are gathered into the same
//! fixed blocks the file decoder uses (a sixteenth of a second, 256 to 4,096 samples, counted
//! from the first sample), so the output depends only on the samples, never on how they were
//! chunked. With a forced baud rate it is exactly what [`super::decode_source`] finds with the
//! fast path (`robust: Some(false)`) as long as no block is noisy (below); after a noisy block
//! the tracked tone restarts from nominal. The latency is one block plus the rest of a frame.
//!
//! Unless a baud rate is forced, one UART per speed listens from the first sample and the
//! speed is chosen once the tone runs show it (`Runs::baud`: the shortest common run is one
//! bit; only runs since the last block with under 80% clean half periods count, so noise before
//! the leader does not vote) and that speed's UART has read [`MIN_GOOD_FRAMES`] clean frames;
//! until then no byte is handed out. Bytes framed in noise before the clean stretch in which the
//! speed showed are dropped then (hiss before the leader makes frames of junk that would spoil
//! the first line). Because every UART has been listening from the start, the chosen one's bytes
//! include those before the decision. A recording that ends before the speed shows is decided
//! by [`LiveDecoder::finish`] as the file decoder would: the runs, else the UART with the most
//! good frames net of twice the bad ones.
//!
//! The robust (correlation) path needs the whole recording for its speed estimate and is not
//! used here: a recording too noisy for the fast path is better saved as a file and decoded
//! whole (the page does that itself only when nothing was found live).

use super::{
    ByteError, DecodeReport, Decoded, Demodulator, Edge, Runs, Scratch, Uart, FRAC_BITS, MAX_BLOCK,
};
use crate::kcs::wav::{MAX_DECODE_RATE_HZ, MIN_DECODE_RATE_HZ};
use crate::kcs::{Baud, KcsError};

/// Clean frames the detected speed's UART must have read before the speed is settled.
pub const MIN_GOOD_FRAMES: u64 = 4;

/// Bytes decoded since the last [`LiveDecoder::take`], with the time each one's second stop
/// bit ended (seconds from the first sample pushed).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LiveBytes {
    /// The new bytes.
    pub bytes: Vec<u8>,
    /// End time of each, in seconds.
    pub end_s: Vec<f64>,
}

/// A KCS decoder fed in real time. See the module documentation.
pub struct LiveDecoder {
    sample_rate_hz: u32,
    forced: Option<Baud>,
    /// The speed, once chosen (or forced).
    baud: Option<Baud>,
    demod: Demodulator,
    scratch: Scratch,
    /// Samples per block.
    block: usize,
    /// Samples waiting in `scratch.samples[1..=filled]`, and their sum.
    filled: usize,
    sum: i64,
    /// Samples already demodulated (the absolute index of the next block's first sample).
    done: u64,
    /// Bytes of the chosen UART already handed out by `take`.
    taken: usize,
    /// Sample at which the current stretch without noisy blocks began.
    clean_since: u64,
    /// The chosen UART's first byte that counts: those framed in noise before the signal
    /// began are dropped when the speed is chosen.
    first: usize,
    finished: bool,
}

impl std::fmt::Debug for LiveDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveDecoder")
            .field("sample_rate_hz", &self.sample_rate_hz)
            .field("baud", &self.baud)
            .field("duration_s", &self.duration_s())
            .field("bytes", &self.bytes().len())
            .field("finished", &self.finished)
            .finish()
    }
}

impl LiveDecoder {
    /// A decoder for mono audio at `sample_rate_hz` (8 to 192 kHz, as for WAV files), at
    /// `baud` or, with `None`, at the speed it detects.
    pub fn new(sample_rate_hz: u32, baud: Option<Baud>) -> Result<LiveDecoder, KcsError> {
        if !(MIN_DECODE_RATE_HZ..=MAX_DECODE_RATE_HZ).contains(&sample_rate_hz) {
            return Err(KcsError::Unsupported(format!(
                "sample rate {sample_rate_hz} Hz (supported: {MIN_DECODE_RATE_HZ}..={MAX_DECODE_RATE_HZ} Hz)"
            )));
        }
        // The same block length as the file decoder's `run_blocks`.
        let block = (sample_rate_hz as usize / 16).clamp(256, MAX_BLOCK);
        let bauds: &[Baud] = match &baud {
            Some(b) => std::slice::from_ref(b),
            None => &Baud::ALL,
        };
        Ok(LiveDecoder {
            sample_rate_hz,
            forced: baud,
            baud,
            demod: Demodulator::new(sample_rate_hz, bauds),
            scratch: Scratch {
                samples: vec![0; block + 1],
                crossings: vec![0; block],
                edges: vec![Edge::default(); block],
            },
            block,
            filled: 0,
            sum: 0,
            done: 0,
            taken: 0,
            clean_since: 0,
            first: 0,
            finished: false,
        })
    }

    /// The sample rate given at creation.
    pub fn sample_rate_hz(&self) -> u32 {
        self.sample_rate_hz
    }

    /// Feeds mono samples (full scale ±1.0; louder ones are clipped, NaN reads as 0). Samples
    /// pushed after [`LiveDecoder::finish`] are ignored.
    pub fn push(&mut self, samples: &[f32]) {
        if self.finished {
            return;
        }
        let mut rest = samples;
        while !rest.is_empty() {
            let n = (self.block - self.filled).min(rest.len());
            let (now, later) = rest.split_at(n);
            let slots = &mut self.scratch.samples[1 + self.filled..1 + self.filled + n];
            for (slot, &x) in slots.iter_mut().zip(now) {
                let v = crate::kcs::source::f32_to_scale(x);
                *slot = v;
                self.sum += i64::from(v);
            }
            self.filled += n;
            rest = later;
            if self.filled == self.block {
                self.run_block();
            }
        }
    }

    fn run_block(&mut self) {
        let n = self.filled;
        if n == 0 {
            return;
        }
        let (intervals, clean) = (self.demod.tracker.intervals, self.demod.tracker.clean);
        self.demod.block(&mut self.scratch, n, self.sum, self.done);
        self.scratch.samples[0] = self.scratch.samples[n];
        self.done += n as u64;
        self.filled = 0;
        self.sum = 0;
        let tracker = &mut self.demod.tracker;
        let noisy = (tracker.clean - clean) * 5 < (tracker.intervals - intervals) * 4;
        if noisy {
            // Noise (hiss, hum, a microphone's room, before the leader or in a dropout) drags
            // the tracked 2400 Hz half period to its limit, where the carrier would then read
            // as space: the next block starts from the nominal tone again.
            tracker.unit = tracker.nominal_unit;
            self.clean_since = self.done;
        }
        if self.baud.is_none() {
            // Noise also makes runs of every length, many near a 1200-baud bit: only the runs
            // since the last noisy block count.
            if noisy {
                self.demod.runs = Runs::default();
            }
            let baud = self
                .demod
                .runs
                .baud()
                .filter(|&b| self.uart(b).is_some_and(|u| u.good >= MIN_GOOD_FRAMES));
            if baud.is_some() {
                self.choose(baud);
            }
        }
    }

    /// Settles the speed and drops the bytes that UART framed before the signal began (in
    /// noise: a frame that started before the current clean stretch).
    fn choose(&mut self, baud: Option<Baud>) {
        self.baud = baud;
        let Some(uart) = self.chosen() else {
            return;
        };
        let frame = (self.demod.tracker.nominal_unit * uart.halves_per_bit)
            * u64::from(crate::kcs::BITS_PER_FRAME);
        let since = self.clean_since << FRAC_BITS;
        self.first = uart
            .end_times
            .iter()
            // Half a bit of slack: the frame's start bit began within the clean stretch.
            .take_while(|&&end| end.saturating_sub(frame) + frame / 22 < since)
            .count();
        self.taken = self.first;
    }

    /// The end of the recording: demodulates the samples still short of a block, keeps a frame
    /// that got past its first stop bit, and settles the speed if it was not yet. Later pushes
    /// are ignored.
    pub fn finish(&mut self) {
        if self.finished {
            return;
        }
        self.run_block();
        self.demod.finish();
        self.finished = true;
        if self.baud.is_none() {
            let baud = self.demod.runs.baud().unwrap_or_else(|| {
                let mut best = (Baud::B300, i64::MIN);
                for uart in &self.demod.uarts {
                    let score = uart.good as i64 - 2 * uart.bad as i64;
                    if uart.good > 0 && score > best.1 {
                        best = (uart.baud, score);
                    }
                }
                best.0
            });
            self.choose(Some(baud));
        }
    }

    /// Whether [`LiveDecoder::finish`] was called.
    pub fn finished(&self) -> bool {
        self.finished
    }

    /// The speed: the forced one, or the detected one once the signal showed it (`None` until
    /// then).
    pub fn baud(&self) -> Option<Baud> {
        self.baud
    }

    /// Seconds of audio pushed so far.
    pub fn duration_s(&self) -> f64 {
        (self.done + self.filled as u64) as f64 / f64::from(self.sample_rate_hz)
    }

    fn uart(&self, baud: Baud) -> Option<&Uart> {
        self.demod.uarts.iter().find(|u| u.baud == baud)
    }

    fn chosen(&self) -> Option<&Uart> {
        self.baud.and_then(|b| self.uart(b))
    }

    fn seconds(&self, t: u64) -> f64 {
        t as f64 / f64::from(self.sample_rate_hz) / f64::from(1u32 << FRAC_BITS)
    }

    /// Every byte decoded so far (none until the speed is known).
    pub fn bytes(&self) -> &[u8] {
        self.chosen()
            .map_or(&[], |u| &u.bytes[self.first.min(u.bytes.len())..])
    }

    /// The bytes decoded since the last call, with their end times.
    pub fn take(&mut self) -> LiveBytes {
        let Some(uart) = self.chosen() else {
            return LiveBytes::default();
        };
        let from = self.taken.min(uart.bytes.len());
        let out = LiveBytes {
            bytes: uart.bytes[from..].to_vec(),
            end_s: uart.end_times[from..]
                .iter()
                .map(|&t| self.seconds(t))
                .collect(),
        };
        self.taken = uart.bytes.len();
        out
    }

    /// The damaged characters so far, with the time their frame began (none until the speed
    /// is known).
    pub fn errors(&self) -> Vec<ByteError> {
        self.chosen().map_or_else(Vec::new, |u| {
            u.errors
                .iter()
                .filter(|&&(byte_index, _, _)| byte_index >= self.first)
                .map(|&(byte_index, t, kind)| ByteError {
                    byte_index: byte_index - self.first,
                    time_s: self.seconds(t),
                    kind,
                })
                .collect()
        })
    }

    /// Everything decoded so far as the file decoder reports it: all the bytes with their end
    /// times, and a report (fast path, channel 0 of 1).
    pub fn decoded(&self) -> Decoded {
        let tracker = &self.demod.tracker;
        let clean_fraction = if tracker.intervals == 0 {
            0.0
        } else {
            tracker.clean as f64 / tracker.intervals as f64
        };
        let (bytes, end_s) = match self.chosen() {
            Some(u) => (
                self.bytes().to_vec(),
                u.end_times[self.first.min(u.end_times.len())..]
                    .iter()
                    .map(|&t| self.seconds(t))
                    .collect(),
            ),
            None => (Vec::new(), Vec::new()),
        };
        Decoded {
            bytes,
            byte_end_s: end_s,
            report: DecodeReport {
                sample_rate_hz: self.sample_rate_hz,
                channels: 1,
                channel: 0,
                baud: self.baud.unwrap_or(Baud::B300),
                baud_detected: self.forced.is_none(),
                duration_s: self.duration_s(),
                half_periods: tracker.intervals,
                clean_fraction,
                speed: tracker.speed(),
                robust: false,
                errors: self.errors(),
            },
        }
    }
}
