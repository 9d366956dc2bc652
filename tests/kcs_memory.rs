//! Decoding a recording streamed from a file holds a bounded amount of memory, whatever its
//! length. (A test binary of its own: the heap counter must see this test alone.)

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{self, Read, Seek, SeekFrom};
use std::sync::atomic::{AtomicUsize, Ordering};

use superboard::kcs::source::MediaSource;
use superboard::kcs::{decode_source, encode_pcm, AudioFile, DecodeOptions, EncodeOptions};

/// Counts the bytes the test process holds on the heap, and the most it held.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let held = HELD.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(held, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const PROGRAM: &[u8] = b"10 REM STREAMED\r20 PRINT \"FROM A FILE\"\r";

fn options(rate: u32) -> EncodeOptions {
    EncodeOptions {
        sample_rate_hz: rate,
        leader_s: 0.5,
        trailer_s: 0.2,
        ..EncodeOptions::default()
    }
}

fn pcm16_bytes(samples: &[i16]) -> Vec<u8> {
    samples.iter().flat_map(|s| s.to_le_bytes()).collect()
}

/// The header of a mono 16-bit PCM WAV of `data_len` data bytes.
fn header(rate: u32, data_len: u64) -> Vec<u8> {
    let mut h = b"RIFF".to_vec();
    h.extend_from_slice(&((36 + data_len) as u32).to_le_bytes());
    h.extend_from_slice(b"WAVEfmt ");
    h.extend_from_slice(&16u32.to_le_bytes());
    h.extend_from_slice(&1u16.to_le_bytes());
    h.extend_from_slice(&1u16.to_le_bytes());
    h.extend_from_slice(&rate.to_le_bytes());
    h.extend_from_slice(&(rate * 2).to_le_bytes());
    h.extend_from_slice(&2u16.to_le_bytes());
    h.extend_from_slice(&16u16.to_le_bytes());
    h.extend_from_slice(b"data");
    h.extend_from_slice(&(data_len as u32).to_le_bytes());
    h
}

/// A mono 16-bit WAV made up as it is read: a header, then the same encoded recording over and
/// over, `repeats` times. Nothing but the one recording is held in memory.
struct Endless {
    header: Vec<u8>,
    body: Vec<u8>,
    len: u64,
    at: u64,
}

impl Endless {
    fn new(rate: u32, repeats: u64) -> Endless {
        let samples = encode_pcm(PROGRAM, &options(rate)).unwrap();
        let body = pcm16_bytes(&samples);
        let data_len = body.len() as u64 * repeats;
        let header = header(rate, data_len);
        Endless {
            len: header.len() as u64 + data_len,
            header,
            body,
            at: 0,
        }
    }
}

impl Read for Endless {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let mut n = 0;
        while n < out.len() && self.at < self.len {
            let (source, offset) = if self.at < self.header.len() as u64 {
                (&self.header, self.at as usize)
            } else {
                let into = (self.at - self.header.len() as u64) % self.body.len() as u64;
                (&self.body, into as usize)
            };
            let take = (source.len() - offset)
                .min(out.len() - n)
                .min((self.len - self.at) as usize);
            out[n..n + take].copy_from_slice(&source[offset..offset + take]);
            n += take;
            self.at += take as u64;
        }
        Ok(n)
    }
}

impl Seek for Endless {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.at = match to {
            SeekFrom::Start(at) => at,
            SeekFrom::End(delta) => self.len.saturating_add_signed(delta),
            SeekFrom::Current(delta) => self.at.saturating_add_signed(delta),
        };
        Ok(self.at)
    }
}

impl MediaSource for Endless {
    fn is_seekable(&self) -> bool {
        true
    }

    fn byte_len(&self) -> Option<u64> {
        Some(self.len)
    }
}

/// Decodes `repeats` copies and returns (bytes decoded, heap bytes the decoding added at most,
/// file length).
fn decode_endless(repeats: u64) -> (usize, usize, u64) {
    let source = Endless::new(8_000, repeats);
    let len = source.len;
    let before = HELD.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let mut file = AudioFile::open(source, Some("wav")).unwrap();
    let decoded = decode_source(&mut file, &DecodeOptions::default()).unwrap();
    let peak = PEAK.load(Ordering::Relaxed) - before;
    assert!(decoded.report.errors.is_empty());
    assert_eq!(decoded.bytes.len(), PROGRAM.len() * repeats as usize);
    (decoded.bytes.len(), peak, len)
}

#[test]
fn memory_stays_bounded_whatever_the_length() {
    // One test in this binary: the counter sees only this decoding.
    let (_, short_peak, short_len) = decode_endless(4);
    let (half_bytes, half_peak, half_len) = decode_endless(500);
    let (bytes, peak, len) = decode_endless(1000);
    assert!(len > 200 * short_len && len > 30 << 20);
    // What grows with the length is the output (each byte with its time: 9 bytes, in vectors
    // that may double), not the recording held.
    let grown = 4 * 9 * (bytes - half_bytes);
    assert!(
        peak < half_peak + grown + (64 << 10),
        "decoding {len} bytes held up to {peak} bytes of heap; {half_len} bytes held {half_peak}"
    );
    assert!(
        peak < 8 << 20,
        "{peak} bytes of heap for a {len}-byte recording ({short_peak} for {short_len})"
    );
}
