//! # The serial header: the ACIA as a serial port
//!
//! **Wiring**: the Superboard has one MC6850 (src/devices/mc6850.rs). Its TXD drives both the
//! cassette modulator and the serial header's line driver, and its RXD is fed by whichever
//! input is connected — the cassette (the tape deck, src/devices/tape.rs) or the serial header.
//! [`SerialLine`] is the header's side of the ACIA's port ([`TapePort::serial`]): a host (a TCP
//! client, standard input, a page's terminal pane) sends bytes into the receiver and reads what
//! the transmitter sent. A tape that is playing has the receiver first; serial bytes wait
//! until the tape's have been delivered.
//!
//! **The firmware's side**: nothing in BASIC talks to the ACIA on its own. With the monitor's
//! LOAD flag set (`POKE 515,128`), BASIC's input routine takes its characters from the ACIA —
//! received bytes are keyboard input; with the SAVE flag set (`POKE 517,1`), everything BASIC
//! prints also goes out of the ACIA (each CR followed by ten NULs and BASIC's LF). So
//! `POKE 517,1:POKE 515,128` turns the machine into a serial terminal server, as on the real
//! board with a modem on its header. Pressing SPACE on the keyboard ends load mode.
//!
//! **Pace**: a byte's frame takes the time the ACIA's word format and divide give (11 bits at
//! ÷16 = 300 baud: 36,044.8 cycles). In real-time mode a byte sent by the host starts its frame
//! when it arrives, when the line is free (the previous frame ended) and when the receiver has
//! room (the CPU has read the previous byte) — the host side waits for the receiver like a
//! sender with flow control, so nothing is lost when BASIC is slower than the line (a real
//! sender without flow control would overrun it). In turbo mode the next byte lands as soon as
//! the receiver is empty, as with a turbo tape. Transmitted bytes leave at the ACIA's own pace
//! either way; the host drains them with [`SerialLine::take_sent`].
//!
//! All times are in the ACIA's ticks (1/5 CPU cycle) and come from the board's cycle count, so
//! the line is deterministic: the same bytes sent at the same cycles give the same run.

use std::collections::VecDeque;

use crate::snapshot::{Reader, SnapshotError, Writer};

/// The serial header's end of the ACIA port.
#[derive(Clone, Debug, Default)]
pub struct SerialLine {
    /// While true, every transmitted byte is also kept for the host ([`SerialLine::take_sent`]).
    connected: bool,
    /// Deliver received bytes as fast as the CPU reads them (see the module notes).
    turbo: bool,
    /// Bytes from the host not yet in the receiver, with the tick each arrived.
    pending: VecDeque<(u64, u8)>,
    /// The tick the line is free again (the last received frame's end).
    line_free_ticks: u64,
    /// Transmitted bytes not yet taken by the host.
    sent: Vec<u8>,
}

impl SerialLine {
    /// Connect (or disconnect) a host. Disconnecting drops pending input and unread output.
    pub fn set_connected(&mut self, on: bool) {
        self.connected = on;
        if !on {
            self.pending.clear();
            self.sent.clear();
        }
    }

    /// Whether a host is connected.
    pub fn is_connected(&self) -> bool {
        self.connected
    }

    /// Real-time pace (false) or as fast as the CPU reads (true).
    pub fn set_turbo(&mut self, on: bool) {
        self.turbo = on;
    }

    /// Whether received bytes are delivered in turbo mode.
    pub fn turbo(&self) -> bool {
        self.turbo
    }

    /// The host sends `bytes`, arriving at tick `now_ticks`.
    pub fn send(&mut self, bytes: &[u8], now_ticks: u64) {
        self.pending.extend(bytes.iter().map(|&b| (now_ticks, b)));
    }

    /// Bytes sent by the host that the receiver has not taken yet.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Takes what the transmitter sent since the last call.
    pub fn take_sent(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.sent)
    }

    /// The ACIA sent `byte` (its last stop bit has left).
    pub(crate) fn transmitted(&mut self, byte: u8) {
        if self.connected {
            self.sent.push(byte);
        }
    }

    /// The next byte whose frame has fully arrived by `now_ticks`, for an empty receiver that
    /// became empty at `rx_free_ticks`; `frame_ticks` is the current frame length.
    pub(crate) fn next_byte(
        &mut self,
        now_ticks: u64,
        rx_free_ticks: u64,
        frame_ticks: u64,
    ) -> Option<u8> {
        let &(arrived, byte) = self.pending.front()?;
        if self.turbo {
            self.pending.pop_front();
            return Some(byte);
        }
        let start = arrived.max(self.line_free_ticks).max(rx_free_ticks);
        let end = start + frame_ticks;
        if end > now_ticks {
            return None;
        }
        self.pending.pop_front();
        self.line_free_ticks = end;
        Some(byte)
    }
}

/// The serial header through the machine.
impl crate::machine::Machine {
    /// Connect a host to the serial header: from now on transmitted bytes are kept for
    /// [`Machine::serial_take_output`](crate::machine::Machine::serial_take_output), and bytes
    /// sent arrive at the real-time pace (or as fast as the CPU reads with `turbo`).
    pub fn serial_connect(&mut self, turbo: bool) {
        let line = &mut self.board.tape.serial;
        line.set_connected(true);
        line.set_turbo(turbo);
    }

    /// Disconnect the host: pending input and unread output are dropped.
    pub fn serial_disconnect(&mut self) {
        self.board.tape.serial.set_connected(false);
    }

    /// The host sends bytes to the machine; they arrive now (the machine's current cycle).
    pub fn serial_send(&mut self, bytes: &[u8]) {
        let now_ticks = self.cycles() * super::mc6850::TICKS_PER_CYCLE;
        self.board.tape.serial.send(bytes, now_ticks);
    }

    /// What the ACIA sent since the last call (only while a host is connected).
    pub fn serial_take_output(&mut self) -> Vec<u8> {
        self.board.tape.serial.take_sent()
    }

    /// The serial line, for its state.
    pub fn serial(&self) -> &SerialLine {
        &self.board.tape.serial
    }
}

/// Snapshot support (in section `PORT`, after the tape port's fields): connected and turbo
/// flags, the tick the line is free, the bytes waiting to be received with their arrival ticks,
/// and the transmitted bytes the host has not taken yet.
impl SerialLine {
    pub(crate) fn save(&self, w: &mut Writer) {
        w.bool(self.connected);
        w.bool(self.turbo);
        w.u64(self.line_free_ticks);
        w.times(self.pending.iter().map(|&(ticks, _)| ticks));
        let bytes: Vec<u8> = self.pending.iter().map(|&(_, byte)| byte).collect();
        w.raw(&bytes);
        w.blob(&self.sent);
    }

    pub(crate) fn load(r: &mut Reader) -> Result<SerialLine, SnapshotError> {
        let connected = r.bool()?;
        let turbo = r.bool()?;
        let line_free_ticks = r.ticks()?;
        let arrivals = r.times(u64::MAX)?;
        if arrivals.windows(2).any(|pair| pair[1] < pair[0]) {
            return Err(r.invalid("serial bytes to receive are out of time order"));
        }
        let bytes = r.raw(arrivals.len())?;
        let pending = arrivals.into_iter().zip(bytes.iter().copied()).collect();
        Ok(SerialLine {
            connected,
            turbo,
            pending,
            line_free_ticks,
            sent: r.blob()?.to_vec(),
        })
    }
}
