//! [`AudioFile`]: recordings streamed through `symphonia` (native builds; see [`super::source`]).

use std::io::{self, Read, Seek, SeekFrom};

use symphonia::core::codecs::audio::well_known::{CODEC_ID_PCM_S16LE, CODEC_ID_PCM_U8};
use symphonia::core::codecs::audio::{AudioDecoder, AudioDecoderOptions};
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, FormatReader, SeekMode, SeekTo, TrackType};
pub use symphonia::core::io::MediaSource;
use symphonia::core::io::{MediaSourceStream, MediaSourceStreamOptions, ReadBytes};
use symphonia::core::meta::MetadataOptions;
use symphonia::core::units::Timestamp;

use super::source::{check_format, convert_i16, convert_u8, FrameSource, PcmFormat};
use super::KcsError;

/// Where a WAV file's odd-length `LIST` chunks before the data keep their length fields, with the
/// even length to show instead: `(offset, little-endian length)`.
///
/// RIFF pads an odd-length chunk with one byte that its length does not count, and some
/// recorders write `LIST` (INFO) chunks of odd length, their last entry unpadded. symphonia 0.6
/// reads the pad of such a list twice (once closing the list, once closing the chunk) and
/// loses its place, refusing the file; shown one byte longer, the list ends on the pad and every
/// chunk after it is found where it is. Only chunk headers are read here (tag and length), and
/// only up to the data chunk.
fn odd_list_lengths<R: Read + Seek>(source: &mut R) -> io::Result<Vec<(u64, [u8; 4])>> {
    /// Chunks examined at most before the data chunk.
    const MAX_CHUNKS: usize = 64;
    let mut found = Vec::new();
    let mut head = [0u8; 12];
    source.seek(SeekFrom::Start(0))?;
    if source.read_exact(&mut head).is_ok() && &head[..4] == b"RIFF" && &head[8..] == b"WAVE" {
        let mut at = 12u64;
        for _ in 0..MAX_CHUNKS {
            let mut header = [0u8; 8];
            source.seek(SeekFrom::Start(at))?;
            if source.read_exact(&mut header).is_err() {
                break;
            }
            let len = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
            match &header[..4] {
                b"data" => break,
                b"LIST" if len % 2 == 1 && len < u32::MAX => {
                    found.push((at + 4, (len + 1).to_le_bytes()));
                }
                _ => {}
            }
            at += 8 + u64::from(len) + u64::from(len & 1);
        }
    }
    source.seek(SeekFrom::Start(0))?;
    Ok(found)
}

/// A source with a few bytes shown differently (see [`odd_list_lengths`]).
struct Patched<R> {
    inner: R,
    at: u64,
    patches: Vec<(u64, [u8; 4])>,
}

impl<R: Read> Read for Patched<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(out)?;
        let end = self.at + n as u64;
        for &(offset, bytes) in &self.patches {
            for (k, &byte) in bytes.iter().enumerate() {
                let position = offset + k as u64;
                if (self.at..end).contains(&position) {
                    out[(position - self.at) as usize] = byte;
                }
            }
        }
        self.at = end;
        Ok(n)
    }
}

impl<R: Seek> Seek for Patched<R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.at = self.inner.seek(to)?;
        Ok(self.at)
    }
}

impl<R: MediaSource> MediaSource for Patched<R> {
    fn is_seekable(&self) -> bool {
        self.inner.is_seekable()
    }

    fn byte_len(&self) -> Option<u64> {
        self.inner.byte_len()
    }
}

/// How the frames in hand are stored.
enum Held {
    /// Interleaved unsigned 8-bit samples straight from the file.
    U8(Vec<u8>),
    /// Interleaved signed 16-bit little-endian samples straight from the file.
    I16(Vec<u8>),
    /// Interleaved samples a symphonia decoder produced, converted to 16 bits.
    Decoded(Vec<i16>),
}

/// A forward gap (in frames) up to which reading on is cheaper than seeking.
const READ_ON_FRAMES: usize = 1 << 16;

/// Bytes read at a time from a WAV file's data chunk (whole frames of it).
const RAW_READ_BYTES: usize = 256 << 10;

/// Where the frames come from.
enum Input<'s> {
    /// Packets from symphonia's format reader, for its decoder.
    Packets(Box<dyn FormatReader + 's>),
    /// The data chunk of an 8- or 16-bit integer PCM WAV file, whose place symphonia found:
    /// read in large blocks straight from the stream (a large read skips the stream's own buffer,
    /// so each byte is copied once, where packets would copy it twice).
    Raw {
        stream: MediaSourceStream<'s>,
        data_start: u64,
        frame_bytes: usize,
        /// The frame the stream is positioned at, if known.
        position: Option<usize>,
    },
}

/// A recording streamed from a file (or bytes) through `symphonia`; see the module comment.
pub struct AudioFile<'s> {
    input: Input<'s>,
    /// `None` for 8/16-bit integer PCM, read straight from the file.
    decoder: Option<Box<dyn AudioDecoder>>,
    track_id: u32,
    format: PcmFormat,
    held: Held,
    /// Frame index of the held packet's first frame, and its frame count.
    held_first: usize,
    held_frames: usize,
    /// Frame index of the next packet's first frame.
    next: usize,
    ended: bool,
    error: Option<KcsError>,
}

impl std::fmt::Debug for AudioFile<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AudioFile")
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

fn not_audio(e: SymphoniaError) -> KcsError {
    KcsError::NotAudio(e.to_string())
}

impl<'s> AudioFile<'s> {
    /// Opens a recording held in memory. `extension` (such as `"wav"`), when known, helps
    /// recognise the format; the contents decide.
    pub fn from_bytes(bytes: &'s [u8], extension: Option<&str>) -> Result<AudioFile<'s>, KcsError> {
        Self::open(std::io::Cursor::new(bytes), extension)
    }

    /// Opens a recording from a file ([`std::fs::File`]), bytes in a [`std::io::Cursor`], or
    /// any other `symphonia` media source.
    pub fn open<R: MediaSource + 's>(
        mut source: R,
        extension: Option<&str>,
    ) -> Result<AudioFile<'s>, KcsError> {
        let patches = odd_list_lengths(&mut source).map_err(|e| KcsError::Read(e.to_string()))?;
        let source = Patched {
            inner: source,
            at: 0,
            patches,
        };
        let stream = MediaSourceStream::new(Box::new(source), MediaSourceStreamOptions::default());
        Self::from_stream(stream, extension)
    }

    fn from_stream(
        stream: MediaSourceStream<'s>,
        extension: Option<&str>,
    ) -> Result<AudioFile<'s>, KcsError> {
        let mut hint = Hint::new();
        if let Some(extension) = extension {
            hint.with_extension(extension);
        }
        let reader = symphonia::default::get_probe()
            .probe(
                &hint,
                stream,
                FormatOptions::default(),
                MetadataOptions::default(),
            )
            .map_err(not_audio)?;
        let track = reader
            .default_track(TrackType::Audio)
            .ok_or_else(|| KcsError::NotAudio("no audio track".into()))?;
        let track_id = track.id;
        let params = track
            .codec_params
            .as_ref()
            .and_then(|p| p.audio())
            .ok_or_else(|| KcsError::NotAudio("no audio track".into()))?
            .clone();
        let sample_rate_hz = params.sample_rate.ok_or_else(|| {
            KcsError::Unsupported("the file does not give its sample rate".into())
        })?;
        let channels = params.channels.as_ref().map_or(0, |c| c.count());
        check_format(sample_rate_hz, channels)?;
        if let Some(base) = track.time_base {
            // Packet timestamps are taken to count frames (every format symphonia reads for us
            // does so); anything else would make seeks land in the wrong place.
            if base.numer.get() != 1 || base.denom.get() != sample_rate_hz {
                return Err(KcsError::Unsupported(format!(
                    "a time base of {}/{} s",
                    base.numer, base.denom
                )));
            }
        }
        let num_frames = track.num_frames;
        let bits_per_sample = params
            .bits_per_sample
            .and_then(|b| u16::try_from(b).ok())
            .unwrap_or(0);
        let decoder = if params.codec == CODEC_ID_PCM_S16LE || params.codec == CODEC_ID_PCM_U8 {
            None
        } else {
            let decoder = symphonia::default::get_codecs()
                .make_audio_decoder(&params, &AudioDecoderOptions::default())
                .map_err(|e| KcsError::Unsupported(e.to_string()))?;
            Some(decoder)
        };
        let held = if params.codec == CODEC_ID_PCM_U8 {
            Held::U8(Vec::new())
        } else if decoder.is_none() {
            Held::I16(Vec::new())
        } else {
            Held::Decoded(Vec::new())
        };
        let mut num_frames = num_frames;
        let input = if decoder.is_none() {
            // Right after the format reader is made, the stream stands at the first byte of the
            // data chunk.
            let stream = reader.into_inner();
            let data_start = stream.pos();
            let frame_bytes = channels
                * if params.codec == CODEC_ID_PCM_U8 {
                    1
                } else {
                    2
                };
            // A data chunk that claims more than the file holds: what is there.
            if let Some(len) = stream.byte_len() {
                let present = len.saturating_sub(data_start) / frame_bytes as u64;
                num_frames = Some(num_frames.map_or(present, |n| n.min(present)));
            }
            Input::Raw {
                stream,
                data_start,
                frame_bytes,
                position: Some(0),
            }
        } else {
            Input::Packets(reader)
        };
        let mut file = AudioFile {
            input,
            decoder,
            track_id,
            format: PcmFormat {
                sample_rate_hz,
                channels,
                frames: 0,
                bits_per_sample,
            },
            held,
            held_first: 0,
            held_frames: 0,
            next: 0,
            ended: false,
            error: None,
        };
        file.format.frames = match num_frames {
            Some(frames) => usize::try_from(frames).unwrap_or(usize::MAX),
            None => file.count_frames()?,
        };
        Ok(file)
    }

    /// Counts the frames of a file whose header does not say (some MP3 and Ogg files), by reading
    /// the packets through once, and goes back to the start.
    fn count_frames(&mut self) -> Result<usize, KcsError> {
        let mut frames = 0usize;
        while self.fill() {
            frames = self.next;
        }
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        self.seek(0);
        match self.error.take() {
            Some(error) => Err(error),
            None => Ok(frames),
        }
    }

    /// Reads the next block of raw PCM from the data chunk into `held`. False at the end or on
    /// an error.
    fn fill_raw(&mut self) -> bool {
        let Input::Raw {
            stream,
            data_start,
            frame_bytes,
            position,
        } = &mut self.input
        else {
            return false;
        };
        let (Held::U8(data) | Held::I16(data)) = &mut self.held else {
            return false;
        };
        if self.ended || self.next >= self.format.frames {
            self.ended = true;
            return false;
        }
        let fb = *frame_bytes;
        let mut failure = None;
        if *position != Some(self.next) {
            let at = *data_start + (self.next * fb) as u64;
            match stream.seek(SeekFrom::Start(at)) {
                Ok(_) => *position = Some(self.next),
                Err(e) => {
                    failure = Some(KcsError::Read(format!("cannot seek in the recording: {e}")))
                }
            }
        }
        let mut whole = 0;
        if failure.is_none() {
            let frames = (RAW_READ_BYTES / fb)
                .max(1)
                .min(self.format.frames - self.next);
            // Grows once; later blocks reuse the bytes (no clearing).
            data.resize(frames * fb, 0);
            let mut filled = 0;
            while filled < data.len() {
                match stream.read(&mut data[filled..]) {
                    Ok(0) => break,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        failure = Some(KcsError::Read(e.to_string()));
                        break;
                    }
                }
            }
            whole = filled / fb;
            data.truncate(whole * fb);
            *position = (filled % fb == 0).then_some(self.next + whole);
        }
        if let Some(error) = failure {
            self.fail(error);
            return false;
        }
        if whole == 0 {
            self.ended = true;
            return false;
        }
        self.held_first = self.next;
        self.held_frames = whole;
        self.next += whole;
        true
    }

    /// Reads the next packet of the track (or block of raw PCM) into `held`. False at the end or
    /// on an error.
    fn fill(&mut self) -> bool {
        let reader = match &mut self.input {
            Input::Raw { .. } => return self.fill_raw(),
            Input::Packets(reader) => reader,
        };
        loop {
            if self.ended {
                return false;
            }
            let packet = match reader.next_packet() {
                Ok(Some(packet)) => packet,
                Ok(None) => {
                    self.ended = true;
                    return false;
                }
                // A truncated file: what was there has been read.
                Err(SymphoniaError::IoError(e))
                    if e.kind() == std::io::ErrorKind::UnexpectedEof =>
                {
                    self.ended = true;
                    return false;
                }
                Err(e) => {
                    self.fail(KcsError::Read(e.to_string()));
                    return false;
                }
            };
            if packet.track_id != self.track_id {
                continue;
            }
            let channels = self.format.channels;
            self.held_first = self.next;
            match (&mut self.held, self.decoder.as_mut()) {
                (Held::Decoded(samples), Some(decoder)) => match decoder.decode(&packet) {
                    Ok(buffer) => {
                        if buffer.spec().channels().count() != channels {
                            self.fail(KcsError::Unsupported(
                                "the number of channels changes inside the recording".into(),
                            ));
                            return false;
                        }
                        self.held_frames = buffer.frames();
                        samples.resize(buffer.samples_interleaved(), 0);
                        buffer.copy_to_slice_interleaved(&mut samples[..]);
                    }
                    // A damaged packet: its frames read as silence (the decoder then reports
                    // the bytes that fell in it), and decoding goes on with the next one.
                    Err(SymphoniaError::DecodeError(_)) => {
                        self.held_frames = usize::try_from(packet.dur.get()).unwrap_or(0);
                        samples.clear();
                        samples.resize(self.held_frames * channels, 0);
                    }
                    Err(e) => {
                        self.fail(KcsError::Read(e.to_string()));
                        return false;
                    }
                },
                _ => {
                    self.fail(KcsError::Read("internal: packet layout mismatch".into()));
                    return false;
                }
            }
            self.next = self.held_first + self.held_frames;
            return true;
        }
    }

    fn fail(&mut self, error: KcsError) {
        self.ended = true;
        self.held_frames = 0;
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    /// Positions the reader at or before frame `to`; the next [`AudioFile::fill`] reads from
    /// there.
    fn seek(&mut self, to: usize) {
        let reader = match &mut self.input {
            Input::Raw { .. } => {
                // Exact: the next block is read from `to` (see `fill_raw`).
                self.next = to;
                self.held_frames = 0;
                self.ended = false;
                return;
            }
            Input::Packets(reader) => reader,
        };
        let ts = Timestamp::from(i64::try_from(to).unwrap_or(i64::MAX));
        match reader.seek(
            SeekMode::Accurate,
            SeekTo::Timestamp {
                ts,
                track_id: self.track_id,
            },
        ) {
            Ok(seeked) => {
                self.next = usize::try_from(seeked.actual_ts.get()).unwrap_or(0);
                self.held_frames = 0;
                self.ended = false;
                if let Some(decoder) = self.decoder.as_mut() {
                    decoder.reset();
                }
            }
            Err(e) => self.fail(KcsError::Read(format!("cannot seek in the recording: {e}"))),
        }
    }
}

impl FrameSource for AudioFile<'_> {
    fn format(&self) -> PcmFormat {
        self.format
    }

    fn convert(&mut self, channel: usize, first: usize, out: &mut [i32]) -> i64 {
        let channels = self.format.channels;
        let mut filled = 0;
        let mut sum = 0i64;
        while filled < out.len() && channel < channels {
            let want = first + filled;
            if want < self.held_first || want >= self.held_first + self.held_frames {
                if want < self.held_first.min(self.next)
                    || want > self.next.saturating_add(READ_ON_FRAMES)
                {
                    if self.error.is_some() {
                        break;
                    }
                    self.seek(want);
                }
                if !self.fill() {
                    break;
                }
                continue;
            }
            let offset = want - self.held_first;
            let n = (self.held_frames - offset).min(out.len() - filled);
            let dst = &mut out[filled..filled + n];
            sum += match &self.held {
                Held::U8(data) => convert_u8(&data[offset * channels..], channels, channel, dst),
                Held::I16(data) => {
                    convert_i16(&data[offset * channels * 2..], channels, channel, dst)
                }
                Held::Decoded(samples) => {
                    let mut sum = 0i64;
                    for (o, frame) in dst
                        .iter_mut()
                        .zip(samples[offset * channels..].chunks_exact(channels))
                    {
                        *o = i32::from(frame[channel]);
                        sum += i64::from(*o);
                    }
                    sum
                }
            };
            filled += n;
        }
        out[filled..].fill(0);
        sum
    }

    fn take_error(&mut self) -> Option<KcsError> {
        self.error.take()
    }
}
