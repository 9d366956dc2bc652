//! A file read on a second thread, ahead of its reader.
//!
//! Decoding a long recording is mostly a sequential read: copying the file out of the page cache
//! costs a fifth of the decoder's time when it happens on the decoding thread. [`ReadAhead`]
//! moves that copy to a thread of its own, which reads the chunks that follow while the decoder
//! works on the current one. Memory stays bounded: at most [`IN_FLIGHT`] chunks wait, each at most
//! [`MAX_CHUNK`] bytes.
//!
//! The decoder also jumps about (a dozen short analysis windows before its main pass). A seek
//! outside the chunk in hand restarts the thread at the new position, and the chunks grow from
//! [`FIRST_CHUNK`] after each restart, so a short window does not pull megabytes it never uses.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Mutex;
use std::thread::JoinHandle;

use superboard::kcs::source::MediaSource;

/// Chunk size after a (re)start, and the largest, in bytes.
const FIRST_CHUNK: usize = 64 << 10;
const MAX_CHUNK: usize = 1 << 20;
/// Chunks read ahead of the reader at most.
const IN_FLIGHT: usize = 3;

type Chunk = io::Result<Vec<u8>>;

/// A [`File`] read ahead on a second thread; see the module comment.
pub struct ReadAhead {
    file: File,
    len: u64,
    /// The chunk in hand, where it starts in the file, and how much of it has been read.
    chunk: Vec<u8>,
    chunk_start: u64,
    used: usize,
    /// Chunks on their way, or `None` once the thread has been stopped or reached the end. (In a
    /// mutex only because symphonia's sources must be `Sync`; it is never contended.)
    incoming: Option<Mutex<Receiver<Chunk>>>,
    thread: Option<JoinHandle<()>>,
    /// Chunks read, going back to the thread to be filled again.
    spent: Option<SyncSender<Vec<u8>>>,
}

impl ReadAhead {
    /// Reads `file` from its start.
    pub fn new(file: File) -> io::Result<ReadAhead> {
        let len = file.metadata()?.len();
        let mut reader = ReadAhead {
            file,
            len,
            chunk: Vec::new(),
            chunk_start: 0,
            used: 0,
            incoming: None,
            thread: None,
            spent: None,
        };
        reader.start(0)?;
        Ok(reader)
    }

    fn position(&self) -> u64 {
        self.chunk_start + self.used as u64
    }

    /// Stops the reading thread, if any, and starts one at `at`.
    fn start(&mut self, at: u64) -> io::Result<()> {
        self.stop();
        let mut file = self.file.try_clone()?;
        file.seek(SeekFrom::Start(at))?;
        let (tx, rx) = sync_channel::<Chunk>(IN_FLIGHT);
        let (spent_tx, spent_rx) = sync_channel::<Vec<u8>>(IN_FLIGHT + 1);
        self.thread = Some(std::thread::spawn(move || {
            let mut size = FIRST_CHUNK;
            loop {
                // A chunk the reader has finished with, refilled: no allocation, no page faults,
                // and `read_to_end` fills spare capacity without zeroing it first.
                let mut buffer = spent_rx.try_recv().unwrap_or_default();
                buffer.clear();
                buffer.reserve(size);
                let result = (&mut file).take(size as u64).read_to_end(&mut buffer);
                let done = !matches!(result, Ok(n) if n == size);
                // The reader is gone (it seeked elsewhere or finished): stop.
                if tx.send(result.map(|_| buffer)).is_err() || done {
                    return;
                }
                size = (size * 2).min(MAX_CHUNK);
            }
        }));
        self.spent = Some(spent_tx);
        self.incoming = Some(Mutex::new(rx));
        self.chunk.clear();
        self.chunk_start = at;
        self.used = 0;
        Ok(())
    }

    fn stop(&mut self) {
        // Dropping the receiver makes the thread's next send fail, which ends it.
        self.incoming = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for ReadAhead {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Read for ReadAhead {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.used == self.chunk.len() {
            let Some(incoming) = self.incoming.as_mut() else {
                return Ok(0);
            };
            let received = match incoming.get_mut() {
                Ok(receiver) => receiver.recv(),
                Err(poisoned) => poisoned.into_inner().recv(),
            };
            match received {
                Ok(Ok(chunk)) => {
                    self.chunk_start += self.chunk.len() as u64;
                    let spent = std::mem::replace(&mut self.chunk, chunk);
                    if let Some(thread) = &self.spent {
                        let _ = thread.try_send(spent);
                    }
                    self.used = 0;
                    if self.chunk.is_empty() {
                        self.incoming = None;
                    }
                }
                Ok(Err(e)) => {
                    self.incoming = None;
                    return Err(e);
                }
                // The thread ended after its last chunk: the end of the file.
                Err(_) => self.incoming = None,
            }
        }
        let n = out.len().min(self.chunk.len() - self.used);
        out[..n].copy_from_slice(&self.chunk[self.used..self.used + n]);
        self.used += n;
        Ok(n)
    }
}

impl Seek for ReadAhead {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(at) => Some(at),
            SeekFrom::End(delta) => self.len.checked_add_signed(delta),
            SeekFrom::Current(delta) => self.position().checked_add_signed(delta),
        }
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        let chunk_end = self.chunk_start + self.chunk.len() as u64;
        if (self.chunk_start..=chunk_end).contains(&target) {
            self.used = (target - self.chunk_start) as usize;
        } else {
            self.start(target)?;
        }
        Ok(target)
    }
}

impl MediaSource for ReadAhead {
    fn is_seekable(&self) -> bool {
        true
    }

    fn byte_len(&self) -> Option<u64> {
        Some(self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_seeks_like_the_file() {
        let path = std::env::temp_dir().join(format!("read-ahead-{}.bin", std::process::id()));
        let data: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 + i / 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        let mut reader = ReadAhead::new(File::open(&path).unwrap()).unwrap();
        let mut all = Vec::new();
        reader.read_to_end(&mut all).unwrap();
        assert_eq!(all, data);
        // Jumps back, forward inside and outside the chunk in hand, and from the end.
        for (seek, expect) in [
            (SeekFrom::Start(10), 10u64),
            (SeekFrom::Current(5), 20),
            (SeekFrom::Start(2_500_000), 2_500_000),
            (SeekFrom::Start(100_000), 100_000),
            (SeekFrom::End(-7), 2_999_993),
        ] {
            assert_eq!(reader.seek(seek).unwrap(), expect);
            let mut buffer = [0u8; 5];
            reader.read_exact(&mut buffer).unwrap();
            let at = expect as usize;
            assert_eq!(buffer[..], data[at..at + 5]);
        }
        assert!(reader.seek(SeekFrom::Current(-10_000_000)).is_err());
        let _ = std::fs::remove_file(&path);
    }
}
