//! # MC6850 ACIA at $F000–$F0FF, and the tape port behind it
//!
//! **Wiring** (docs/hardware.md §1, §5; schematic sheets 1 and 3): the chip select decodes
//! $F000–$F0FF on this board and RS (register select) is address bit A0, so even addresses are
//! status/control and odd addresses are the data registers. TXD drives the cassette modulator and
//! RXD comes from the cassette discriminator — both modelled here as [`TapePort`], a queue of
//! timed bytes. /DCD and /CTS are tied active, so DCD and CTS read 0 and never hold TDRE. The
//! /IRQ output is not connected on the 600 board; [`Mc6850::irq`] reports it anyway.
//!
//! **Registers**:
//!
//! | RS (A0) | read | write |
//! |---|---|---|
//! | 0 | status | control |
//! | 1 | receive data (RDR) | transmit data (TDR) |
//!
//! Status bits: RDRF (0), TDRE (1), DCD (2), CTS (3), FE (4), OVRN (5), PE (6), IRQ (7).
//!
//! Control bits: 1:0 counter divide (00 ÷1, 01 ÷16, 10 ÷64, 11 master reset); 4:2 word select
//! (000 7E2, 001 7O2, 010 7E1, 011 7O1, 100 8N2, 101 8N1, 110 8E1, 111 8O1 — data bits, parity,
//! stop bits); 6:5 transmitter control (01 = TX interrupt enabled; 10 = RTS high; 11 = break);
//! 7 receive interrupt enable. SYN600 writes $03 (master reset) then $11 (÷16, 8N2).
//!
//! **Timing**: the ACIA clock is 4,800 Hz (from the video counter) and the CPU clock 983,040 Hz,
//! so one ACIA clock is 204.8 CPU cycles and one bit at ÷16 (300 baud) is 3,276.8 cycles. To keep
//! the fractions exact the chip counts time in *ticks* of 1/5 CPU cycle: one ACIA clock is
//! exactly 1,024 ticks. A byte written to an idle transmitter moves to the shift register at the
//! next ACIA clock edge (TDRE set again), and its frame — start bit, 7 or 8 data bits, optional
//! parity, 1 or 2 stop bits — takes that many bit times; at ÷16, 8N2 (11 bits) that is
//! 36,044.8 cycles, about 27 bytes per second. A byte written while the shift register is busy
//! waits in TDR (TDRE clear) and moves over when the frame ends.
//!
//! **Serial header**: TXD also drives the header's line driver and RXD can come from it
//! ([`TapePort::serial`], src/devices/serial.rs): every transmitted byte is copied to the serial
//! line, and when no tape byte is waiting the receiver takes the serial line's next byte (paced
//! by the line, never overrunning).
//!
//! **Receiver**: bytes come from [`TapePort::rx`]. In real-time mode each byte lands in RDR at its
//! cycle; if RDRF is still set then, the new byte is lost and an overrun is recorded: per the
//! datasheet, OVRN shows in the status only after the CPU has read the valid byte (RDRF stays
//! set), and the next read of RDR clears both. In turbo mode the next byte lands as soon as RDRF
//! is clear, so the ROM reads bytes as fast as it can and none is lost. In 7-bit word formats
//! bit 7 of RDR reads 0. FE and PE are never set: the tape port delivers whole bytes.
//!
//! Master reset clears RDRF, OVRN and the transmitter (a byte in the shift register is dropped)
//! and holds both halves idle until a control word with divide bits ≠ 11 is written. The chip is
//! in that state after power-on.
//!
//! **Turbo transmit** ([`TapePort::turbo_tx`], the deck's turbo RECORD): each byte written to
//! TDR leaves at once, so TDRE is set again before the CPU's next read and the ROM's output
//! loop never waits; the port still receives every byte, in order, with the cycle it was sent.
//!
//! The chip catches up lazily: the board calls [`Mc6850::advance_to`] before every register
//! access and at the end of each run, so behaviour is the same as ticking every cycle.

use std::collections::VecDeque;

use super::serial::SerialLine;
use crate::snapshot::{Reader, SnapshotError, Writer};

/// Status bit 0: receive data register full.
pub const RDRF: u8 = 0x01;
/// Status bit 1: transmit data register empty.
pub const TDRE: u8 = 0x02;
/// Status bit 2: data carrier detect lost (/DCD high). Always 0 here.
pub const DCD: u8 = 0x04;
/// Status bit 3: clear to send negated (/CTS high). Always 0 here.
pub const CTS: u8 = 0x08;
/// Status bit 4: framing error.
pub const FE: u8 = 0x10;
/// Status bit 5: receiver overrun.
pub const OVRN: u8 = 0x20;
/// Status bit 6: parity error.
pub const PE: u8 = 0x40;
/// Status bit 7: interrupt request.
pub const IRQ: u8 = 0x80;

/// Control bits 1:0, counter divide select (11 = master reset).
pub const CONTROL_COUNTER_DIVIDE: u8 = 0x03;
/// Control bits 4:2, word select.
pub const CONTROL_WORD_SELECT: u8 = 0x1C;
/// Control bits 6:5, transmitter control.
pub const CONTROL_TRANSMIT: u8 = 0x60;
/// Control bit 7, receive interrupt enable.
pub const CONTROL_RECEIVE_IRQ: u8 = 0x80;
/// Counter divide value that means master reset.
pub const MASTER_RESET: u8 = 0x03;
/// Transmitter control value that enables the TX interrupt (RTS low).
const TRANSMIT_IRQ_ENABLED: u8 = 0x20;

/// The ACIA clock on the Superboard (both TX and RX), Hz.
pub const ACIA_CLOCK_HZ: u64 = 4_800;
/// The CPU clock the ACIA timing is expressed in, Hz.
pub const CPU_CLOCK_HZ: u64 = 983_040;
/// Ticks per CPU cycle: the ACIA counts time in fifths of a CPU cycle.
pub const TICKS_PER_CYCLE: u64 = 5;
/// Ticks per ACIA clock period: 983,040 × 5 / 4,800 = 1,024 exactly.
pub const TICKS_PER_ACIA_CLOCK: u64 = CPU_CLOCK_HZ * TICKS_PER_CYCLE / ACIA_CLOCK_HZ;

/// A byte with the CPU cycle at which it finished (its last stop bit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimedByte {
    /// Board cycle count when the byte's last stop bit was complete.
    pub cycle: u64,
    /// The byte.
    pub byte: u8,
}

/// What the ACIA's serial pins are connected to: the cassette interface. The tape deck fills
/// `rx` (in cycle order) and drains `tx`.
#[derive(Clone, Debug, Default)]
pub struct TapePort {
    /// Bytes arriving at the receiver; `cycle` is when the stop bit is complete. Must be in
    /// non-decreasing cycle order.
    pub rx: VecDeque<TimedByte>,
    /// `true`: deliver the next `rx` byte as soon as RDRF is clear (the ROM read the previous
    /// one), ignoring its cycle — fast loading that never overruns.
    pub turbo: bool,
    /// Every byte the transmitter sent, with the cycle its last stop bit left.
    pub tx: Vec<TimedByte>,
    /// `true`: the transmitter sends each byte the instant it is written (TDRE never stays
    /// clear), so the ROM writes as fast as it can — turbo recording. The bytes are the same;
    /// only their times shrink.
    pub turbo_tx: bool,
    /// Count of CPU reads of the status register (the tape deck's hint that the ROM is waiting
    /// for the cassette).
    pub status_reads: u64,
    /// The serial header (src/devices/serial.rs): receives when no tape byte is waiting, and
    /// gets a copy of everything transmitted.
    pub serial: SerialLine,
}

/// The frame format chosen by the word-select bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WordFormat {
    /// 7 or 8.
    pub data_bits: u8,
    /// Whether a parity bit is sent.
    pub parity: bool,
    /// 1 or 2.
    pub stop_bits: u8,
}

impl WordFormat {
    /// Decode control bits 4:2.
    pub fn from_control(control: u8) -> WordFormat {
        let (data_bits, parity, stop_bits) = match (control & CONTROL_WORD_SELECT) >> 2 {
            0b000 | 0b001 => (7, true, 2),
            0b010 | 0b011 => (7, true, 1),
            0b100 => (8, false, 2),
            0b101 => (8, false, 1),
            _ => (8, true, 1),
        };
        WordFormat {
            data_bits,
            parity,
            stop_bits,
        }
    }

    /// Bits per frame including start, parity and stop bits.
    pub fn frame_bits(self) -> u64 {
        1 + self.data_bits as u64 + self.parity as u64 + self.stop_bits as u64
    }

    fn data_mask(self) -> u8 {
        if self.data_bits == 7 {
            0x7F
        } else {
            0xFF
        }
    }
}

/// The MC6850 asynchronous communications interface adapter.
#[derive(Clone, Debug)]
pub struct Mc6850 {
    control: u8,
    in_master_reset: bool,
    /// Current time in ticks (1/5 CPU cycle).
    now_ticks: u64,
    // Receiver.
    rdr: u8,
    rdrf: bool,
    /// A byte was lost while RDRF was set; OVRN shows after the next RDR read.
    overrun_pending: bool,
    ovrn: bool,
    // Transmitter.
    tdr: u8,
    tdr_full: bool,
    /// When the byte in TDR was written, in ticks.
    tdr_written_ticks: u64,
    /// The byte being shifted out and the tick its last stop bit ends.
    shifting: Option<(u8, u64)>,
    /// When the shift register last became free, in ticks.
    shifter_free_ticks: u64,
    /// When RDRF was last cleared (the CPU read RDR), in ticks: a serial sender waits for it.
    rx_free_ticks: u64,
}

impl Default for Mc6850 {
    fn default() -> Self {
        Self::new()
    }
}

impl Mc6850 {
    /// Power-on state: held in master reset until the first control write.
    pub fn new() -> Mc6850 {
        Mc6850 {
            control: MASTER_RESET,
            in_master_reset: true,
            now_ticks: 0,
            rdr: 0,
            rdrf: false,
            overrun_pending: false,
            ovrn: false,
            tdr: 0,
            tdr_full: false,
            tdr_written_ticks: 0,
            shifting: None,
            shifter_free_ticks: 0,
            rx_free_ticks: 0,
        }
    }

    /// The last control word written.
    pub fn control(&self) -> u8 {
        self.control
    }

    /// Whether the chip is held in master reset.
    pub fn is_in_master_reset(&self) -> bool {
        self.in_master_reset
    }

    /// Ticks per bit for the current counter divide (÷1, ÷16, ÷64).
    pub fn bit_ticks(&self) -> u64 {
        let divide = match self.control & CONTROL_COUNTER_DIVIDE {
            0b00 => 1,
            0b01 => 16,
            _ => 64,
        };
        TICKS_PER_ACIA_CLOCK * divide
    }

    /// The current word format.
    pub fn word_format(&self) -> WordFormat {
        WordFormat::from_control(self.control)
    }

    /// Bring the chip up to board cycle `cycle`: finish frames, move TDR to the shift register,
    /// and deliver received bytes that are due.
    pub fn advance_to(&mut self, cycle: u64, port: &mut TapePort) {
        let target_ticks = cycle * TICKS_PER_CYCLE;
        if target_ticks > self.now_ticks {
            self.now_ticks = target_ticks;
        }
        if self.in_master_reset {
            // A receiver held in reset loses whatever arrives on the line.
            if !port.turbo {
                while port.rx.front().is_some_and(|next| next.cycle <= cycle) {
                    port.rx.pop_front();
                }
            }
            return;
        }
        self.advance_transmitter(port);
        self.advance_receiver(cycle, port);
    }

    fn advance_transmitter(&mut self, port: &mut TapePort) {
        if port.turbo_tx {
            // Whatever is in the shift register and TDR leaves now.
            let cycle = self.now_ticks.div_ceil(TICKS_PER_CYCLE);
            if let Some((byte, _)) = self.shifting.take() {
                port.tx.push(TimedByte { cycle, byte });
            }
            if self.tdr_full {
                let byte = self.tdr & self.word_format().data_mask();
                port.tx.push(TimedByte { cycle, byte });
                self.tdr_full = false;
            }
            self.shifter_free_ticks = self.now_ticks;
            return;
        }
        loop {
            if let Some((byte, end_ticks)) = self.shifting {
                if end_ticks > self.now_ticks {
                    return;
                }
                port.tx.push(TimedByte {
                    cycle: end_ticks.div_ceil(TICKS_PER_CYCLE),
                    byte,
                });
                port.serial.transmitted(byte);
                self.shifting = None;
                self.shifter_free_ticks = end_ticks;
            }
            if !self.tdr_full {
                return;
            }
            // The transfer happens on an ACIA clock edge once the shift register is free.
            let edge = self.tdr_written_ticks.div_ceil(TICKS_PER_ACIA_CLOCK) * TICKS_PER_ACIA_CLOCK;
            let start_ticks = edge.max(self.shifter_free_ticks);
            if start_ticks > self.now_ticks {
                return;
            }
            let format = self.word_format();
            let end_ticks = start_ticks + format.frame_bits() * self.bit_ticks();
            self.shifting = Some((self.tdr & format.data_mask(), end_ticks));
            self.tdr_full = false;
        }
    }

    fn advance_receiver(&mut self, cycle: u64, port: &mut TapePort) {
        if port.turbo {
            if !self.rdrf {
                if let Some(next) = port.rx.pop_front() {
                    self.receive(next.byte);
                }
            }
        } else {
            while port.rx.front().is_some_and(|next| next.cycle <= cycle) {
                if let Some(next) = port.rx.pop_front() {
                    if self.rdrf {
                        self.overrun_pending = true;
                    } else {
                        self.receive(next.byte);
                    }
                }
            }
        }
        self.receive_serial(port);
    }

    /// The serial line's next byte, if the tape has none waiting and the receiver is empty.
    fn receive_serial(&mut self, port: &mut TapePort) {
        if self.rdrf || !port.rx.is_empty() {
            return;
        }
        let frame_ticks = self.word_format().frame_bits() * self.bit_ticks();
        if let Some(byte) = port
            .serial
            .next_byte(self.now_ticks, self.rx_free_ticks, frame_ticks)
        {
            self.receive(byte);
        }
    }

    fn receive(&mut self, byte: u8) {
        self.rdr = byte & self.word_format().data_mask();
        self.rdrf = true;
    }

    /// The status register (no side effects: DCD and CTS are tied active, so there is no
    /// DCD-loss interrupt for a status read to arm).
    pub fn status(&self) -> u8 {
        let mut status = 0;
        if self.rdrf {
            status |= RDRF;
        }
        if !self.in_master_reset && !self.tdr_full {
            status |= TDRE;
        }
        if self.ovrn {
            status |= OVRN;
        }
        if self.irq() {
            status |= IRQ;
        }
        status
    }

    /// The /IRQ output (true = asserted).
    pub fn irq(&self) -> bool {
        if self.in_master_reset {
            return false;
        }
        let receive_irq = self.control & CONTROL_RECEIVE_IRQ != 0 && (self.rdrf || self.ovrn);
        let transmit_irq =
            self.control & CONTROL_TRANSMIT == TRANSMIT_IRQ_ENABLED && !self.tdr_full;
        receive_irq || transmit_irq
    }

    /// A CPU read; `rs` is the register-select line (address bit A0). The caller must have
    /// called `advance_to` for the current cycle.
    pub fn read(&mut self, rs: bool, port: &mut TapePort) -> u8 {
        if !rs {
            port.status_reads += 1;
            return self.status();
        }
        let data = self.rdr;
        if self.overrun_pending {
            // Datasheet sequence: the valid byte is read first, then OVRN shows (RDRF stays set
            // until the overrun is cleared by the next data read).
            self.overrun_pending = false;
            self.ovrn = true;
        } else {
            self.ovrn = false;
            self.rdrf = false;
            self.rx_free_ticks = self.now_ticks;
            if port.turbo && !self.in_master_reset {
                if let Some(next) = port.rx.pop_front() {
                    self.receive(next.byte);
                }
            }
            if port.serial.turbo() && !self.in_master_reset {
                self.receive_serial(port);
            }
        }
        data
    }

    /// A side-effect-free look at a register.
    pub fn peek(&self, rs: bool) -> u8 {
        if rs {
            self.rdr
        } else {
            self.status()
        }
    }

    /// A CPU write; `rs` is address bit A0. The caller must have called `advance_to` for the
    /// current cycle.
    pub fn write(&mut self, rs: bool, value: u8, port: &mut TapePort) {
        if !rs {
            self.control = value;
            if value & CONTROL_COUNTER_DIVIDE == MASTER_RESET {
                self.master_reset();
            } else if self.in_master_reset {
                self.in_master_reset = false;
                self.shifter_free_ticks = self.now_ticks;
                self.advance_receiver(self.now_ticks / TICKS_PER_CYCLE, port);
            }
            return;
        }
        if self.in_master_reset {
            return;
        }
        self.tdr = value;
        self.tdr_full = true;
        self.tdr_written_ticks = self.now_ticks;
        self.advance_transmitter(port);
    }

    fn master_reset(&mut self) {
        self.in_master_reset = true;
        self.rdrf = false;
        self.ovrn = false;
        self.overrun_pending = false;
        self.tdr_full = false;
        self.shifting = None;
    }
}

/// Snapshot support (section `ACIA`, src/snapshot.rs): the control register, the master-reset
/// hold, the chip's clock in ticks, the receiver (RDR, RDRF, the pending and shown overrun), the
/// transmitter (TDR, its full flag and write time) and the shift register (busy flag, byte, end
/// tick; then the tick it last became free; then, optional for files written before the serial
/// header, the tick RDRF was last cleared).
impl Mc6850 {
    pub(crate) fn save(&self, w: &mut Writer) {
        w.u8(self.control);
        w.bool(self.in_master_reset);
        w.u64(self.now_ticks);
        w.u8(self.rdr);
        w.bool(self.rdrf);
        w.bool(self.overrun_pending);
        w.bool(self.ovrn);
        w.u8(self.tdr);
        w.bool(self.tdr_full);
        w.u64(self.tdr_written_ticks);
        w.bool(self.shifting.is_some());
        let (byte, end_ticks) = self.shifting.unwrap_or((0, 0));
        w.u8(byte);
        w.u64(end_ticks);
        w.u64(self.shifter_free_ticks);
        w.u64(self.rx_free_ticks);
    }

    pub(crate) fn load(r: &mut Reader) -> Result<Mc6850, SnapshotError> {
        let control = r.u8()?;
        let in_master_reset = r.bool()?;
        let now_ticks = r.ticks()?;
        let rdr = r.u8()?;
        let rdrf = r.bool()?;
        let overrun_pending = r.bool()?;
        let ovrn = r.bool()?;
        let tdr = r.u8()?;
        let tdr_full = r.bool()?;
        let tdr_written_ticks = r.ticks()?;
        let busy = r.bool()?;
        let byte = r.u8()?;
        let end_ticks = r.ticks()?;
        Ok(Mc6850 {
            control,
            in_master_reset,
            now_ticks,
            rdr,
            rdrf,
            overrun_pending,
            ovrn,
            tdr,
            tdr_full,
            tdr_written_ticks,
            shifting: busy.then_some((byte, end_ticks)),
            shifter_free_ticks: r.ticks()?,
            rx_free_ticks: if r.at_end() { 0 } else { r.ticks()? },
        })
    }
}

/// Snapshot support (section `PORT`): bytes on the way to the receiver (with their arrival
/// cycles, which must not decrease), the turbo flag, bytes the transmitter sent and the deck has
/// not collected yet, the turbo-transmit flag, and the count of status reads; then, optional
/// for files written before it, the serial header's line (src/devices/serial.rs).
impl TapePort {
    pub(crate) fn save(&self, w: &mut Writer) {
        w.timed_bytes(self.rx.iter());
        w.bool(self.turbo);
        w.timed_bytes(self.tx.iter());
        w.bool(self.turbo_tx);
        w.u64(self.status_reads);
        self.serial.save(w);
    }

    pub(crate) fn load(r: &mut Reader) -> Result<TapePort, SnapshotError> {
        let rx = r.timed_bytes()?;
        if rx.windows(2).any(|pair| pair[1].cycle < pair[0].cycle) {
            return Err(r.invalid("bytes to receive are out of time order"));
        }
        Ok(TapePort {
            rx: rx.into(),
            turbo: r.bool()?,
            tx: r.timed_bytes()?,
            turbo_tx: r.bool()?,
            status_reads: r.cycle()?,
            serial: if r.at_end() {
                SerialLine::default()
            } else {
                SerialLine::load(r)?
            },
        })
    }
}
