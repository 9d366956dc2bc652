//! # Board: the Superboard II's memories, devices and THE address decoder
//!
//! **Memory map** (docs/hardware.md §1; schematic rev D sheets 2 and 4):
//!
//! | Range | Chip | Notes |
//! |---|---|---|
//! | $0000–$0FFF / $1FFF / $7FFF | RAM, 4 KB / 8 KB / 32 KB | 8 KB is the most the board holds; 32 KB models the 610 expander |
//! | $A000–$BFFF | BASIC ROM (U9 $A000, U10 $A800, U11 $B000, U12 $B800) | writes ignored |
//! | $D000–$D3FF | video RAM (two 2114) | [`Video`] |
//! | $DC00–$DFFF | keyboard: write = row latch, read = columns | [`Keyboard`], software uses $DF00 |
//! | $F000–$F0FF | MC6850 ACIA; A0 selects the register | [`Mc6850`], firmware uses $F000/$F001 |
//! | $F800–$FFFF | monitor ROM (U13) | writes ignored |
//! | everything else | nothing | reads $FF, writes ignored |
//!
//! Unmapped space reads $FF, assuming the undriven data bus floats high as most emulators do
//! (docs/hardware.md §1 marks the real value unverified). It must not act like RAM, or BASIC's
//! memory probe would run past the real RAM.
//!
//! **Decode**: on the schematic, U23 (74LS138) splits the space into 8 KB blocks and U20 splits
//! the $C000–$DFFF block by A10/A11; [`Board::decode`] follows the same structure by matching the
//! top four address bits, then the bits inside the block. The bus path serves RAM directly
//! (the common case, and what the decoder would answer) and sends everything else through
//! `decode`, kept out of line so the RAM path inlines into the CPU.
//!
//! **Timing**: the board implements [`Bus`]; every `read`, `fetch` and `write` is one CPU cycle
//! and advances [`Board::cycles`]. Devices with their own time (the ACIA) catch up lazily when
//! the CPU touches them and when [`Board::advance_devices`] is called at the end of a run. The
//! typist moves on just before each keyboard read, so the ROM sees its key changes at exactly
//! the scan where they happen. `peek`/`poke` take no cycle and have no side effects on devices.
//!
//! **Power-on contents** of RAM and video RAM come from a fixed-seed generator, so every run is
//! identical while still looking like the random pattern of real static RAM.

use crate::cpu::Bus;
use crate::devices::keyboard::Keyboard;
use crate::devices::mc6850::{Mc6850, TapePort};
use crate::devices::video::{Video, VIDEO_RAM_BYTES};
use crate::roms::{RomDigests, RomSet, BASIC_BYTES, MONITOR_BYTES};
use crate::snapshot::{DigestCache, Reader, SnapshotError, Writer};
use crate::typist::Typist;

/// First address of the BASIC ROM.
pub const BASIC_START: u16 = 0xA000;
/// First address of video RAM.
pub const VIDEO_START: u16 = 0xD000;
/// First address of the keyboard port block (software uses $DF00).
pub const KEYBOARD_START: u16 = 0xDC00;
/// The keyboard address software uses.
pub const KEYBOARD_PORT: u16 = 0xDF00;
/// First address of the ACIA block.
pub const ACIA_START: u16 = 0xF000;
/// Size of the ACIA block: the chip select ignores A1–A7, so the two registers repeat through it.
pub const ACIA_BLOCK_BYTES: u16 = 0x100;
/// ACIA status (read) / control (write).
pub const ACIA_STATUS_CONTROL: u16 = 0xF000;
/// ACIA receive data (read) / transmit data (write).
pub const ACIA_DATA: u16 = 0xF001;
/// First address of the monitor ROM.
pub const MONITOR_START: u16 = 0xF800;
/// The value read from addresses nothing answers.
pub const UNMAPPED_READ: u8 = 0xFF;

/// Seed of the power-on RAM pattern generator.
const POWER_ON_SEED: u64 = 0x5EED_0600_2114_1978;

/// Installed RAM.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum RamSize {
    /// 4 KB at $0000–$0FFF (the standard fit).
    K4,
    /// 8 KB at $0000–$1FFF (a full board).
    #[default]
    K8,
    /// 32 KB at $0000–$7FFF (with a 610 expander).
    K32,
}

impl RamSize {
    /// Size in bytes.
    pub const fn bytes(self) -> usize {
        match self {
            RamSize::K4 => 0x1000,
            RamSize::K8 => 0x2000,
            RamSize::K32 => 0x8000,
        }
    }
}

/// What answers at an address: the result of [`Board::decode`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chip {
    /// RAM at this offset.
    Ram(usize),
    /// BASIC ROM at this offset.
    Basic(usize),
    /// Video RAM at this offset.
    Video(u16),
    /// The keyboard port.
    Keyboard,
    /// The ACIA; `true` selects the data registers (A0 = 1).
    Acia(bool),
    /// Monitor ROM at this offset.
    Monitor(usize),
    /// Nothing.
    Unmapped,
}

/// A deterministic xorshift64* generator for power-on memory contents.
struct PowerOnPattern(u64);

impl PowerOnPattern {
    fn next_byte(&mut self) -> u8 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
    }
}

/// RAM, ROMs and devices of a Superboard II, wired by one address decoder.
#[derive(Clone)]
pub struct Board {
    ram: Box<[u8]>,
    basic: Box<[u8; BASIC_BYTES]>,
    monitor: Box<[u8; MONITOR_BYTES]>,
    /// Video RAM, character generator and framebuffer.
    pub video: Video,
    /// The key matrix.
    pub keyboard: Keyboard,
    /// The ACIA.
    pub acia: Mc6850,
    /// The cassette side of the ACIA: bytes to receive, bytes transmitted.
    pub tape: TapePort,
    /// Text waiting to be typed on the keyboard.
    pub typist: Typist,
    cycles: u64,
    /// SHA-1 digests of the ROMs, computed when a snapshot first needs them.
    rom_digests: DigestCache,
}

impl Board {
    /// A powered-on board with `ram` installed and the given ROMs.
    pub fn new(ram: RamSize, roms: RomSet) -> Board {
        let mut pattern = PowerOnPattern(POWER_ON_SEED);
        let ram: Box<[u8]> = (0..ram.bytes()).map(|_| pattern.next_byte()).collect();
        let mut video_ram = [0u8; VIDEO_RAM_BYTES];
        video_ram.fill_with(|| pattern.next_byte());
        Board {
            ram,
            basic: roms.basic,
            monitor: roms.monitor,
            video: Video::new(video_ram, roms.chargen),
            keyboard: Keyboard::new(),
            acia: Mc6850::new(),
            tape: TapePort::default(),
            typist: Typist::new(),
            cycles: 0,
            rom_digests: DigestCache::new(),
        }
    }

    /// Which chip answers at `addr` — the one address decoder of the board.
    #[inline(always)]
    pub fn decode(&self, addr: u16) -> Chip {
        match addr >> 12 {
            // U23 block $0000–$1FFF (on-board RAM) and $2000–$9FFF (610 expander RAM).
            0x0..=0x9 => {
                if (addr as usize) < self.ram.len() {
                    Chip::Ram(addr as usize)
                } else {
                    Chip::Unmapped
                }
            }
            // U23 block $A000–$BFFF: the four BASIC ROMs.
            0xA | 0xB => Chip::Basic((addr - BASIC_START) as usize),
            // U23 block $C000–$DFFF, split by U20 on A10/A11 inside $D000–$DFFF.
            0xD => match (addr >> 10) & 0x3 {
                0 => Chip::Video(addr - VIDEO_START),
                3 => Chip::Keyboard,
                // $D400 colour RAM and the $D800 latch are not on a Superboard II.
                _ => Chip::Unmapped,
            },
            // U23 block $E000–$FFFF: the ACIA and the monitor ROM.
            0xF => {
                if addr >= MONITOR_START {
                    Chip::Monitor((addr - MONITOR_START) as usize)
                } else if addr < ACIA_START + ACIA_BLOCK_BYTES {
                    Chip::Acia(addr & 1 != 0)
                } else {
                    Chip::Unmapped
                }
            }
            _ => Chip::Unmapped,
        }
    }

    /// CPU cycles since power-on.
    pub fn cycles(&self) -> u64 {
        self.cycles
    }

    /// Let `cycles` pass without bus activity (e.g. a jammed CPU, whose cycles only read $FFFF).
    pub fn idle(&mut self, cycles: u64) {
        self.cycles += cycles;
    }

    /// Bring the devices up to the current cycle (the ACIA's shift registers, the typist).
    pub fn advance_devices(&mut self) {
        self.acia.advance_to(self.cycles, &mut self.tape);
        self.typist.update(self.cycles, &mut self.keyboard);
    }

    /// Store a byte without a bus cycle or device side effects: RAM and video RAM only; ROM and
    /// device addresses are left alone.
    pub fn poke(&mut self, addr: u16, value: u8) {
        match self.decode(addr) {
            Chip::Ram(offset) => self.ram[offset] = value,
            Chip::Video(offset) => self.video.write(offset, value),
            _ => {}
        }
    }

    /// Installed RAM size in bytes.
    pub fn ram_bytes(&self) -> usize {
        self.ram.len()
    }

    /// The ROM images installed (the video's character generator included).
    pub fn roms(&self) -> RomSet {
        RomSet {
            basic: self.basic.clone(),
            monitor: self.monitor.clone(),
            chargen: Box::new(*self.video.chargen()),
        }
    }
}

impl Board {
    /// Everything but RAM: the decoder, then the chip. Kept out of line so the RAM fast path
    /// inlines into the CPU.
    #[inline(never)]
    fn read_decoded(&mut self, addr: u16, cycle: u64) -> u8 {
        match self.decode(addr) {
            Chip::Ram(offset) => self.ram[offset],
            Chip::Basic(offset) => self.basic[offset],
            Chip::Monitor(offset) => self.monitor[offset],
            Chip::Video(offset) => self.video.read(offset),
            Chip::Keyboard => {
                self.typist.update(cycle, &mut self.keyboard);
                self.keyboard.read()
            }
            Chip::Acia(rs) => {
                self.acia.advance_to(cycle, &mut self.tape);
                self.acia.read(rs, &mut self.tape)
            }
            Chip::Unmapped => UNMAPPED_READ,
        }
    }

    #[inline(never)]
    fn write_decoded(&mut self, addr: u16, value: u8, cycle: u64) {
        match self.decode(addr) {
            Chip::Ram(offset) => self.ram[offset] = value,
            Chip::Video(offset) => self.video.write(offset, value),
            Chip::Keyboard => self.keyboard.write(value),
            Chip::Acia(rs) => {
                self.acia.advance_to(cycle, &mut self.tape);
                self.acia.write(rs, value, &mut self.tape);
            }
            Chip::Basic(_) | Chip::Monitor(_) | Chip::Unmapped => {}
        }
    }
}

impl Bus for Board {
    #[inline(always)]
    fn read(&mut self, addr: u16) -> u8 {
        let cycle = self.cycles;
        self.cycles += 1;
        // RAM is the common case; the decoder answers the same for it.
        match self.ram.get(addr as usize) {
            Some(&value) => value,
            None => self.read_decoded(addr, cycle),
        }
    }

    #[inline(always)]
    fn write(&mut self, addr: u16, value: u8) {
        let cycle = self.cycles;
        self.cycles += 1;
        match self.ram.get_mut(addr as usize) {
            Some(cell) => *cell = value,
            None => self.write_decoded(addr, value, cycle),
        }
    }

    fn peek(&self, addr: u16) -> u8 {
        match self.decode(addr) {
            Chip::Ram(offset) => self.ram[offset],
            Chip::Basic(offset) => self.basic[offset],
            Chip::Monitor(offset) => self.monitor[offset],
            Chip::Video(offset) => self.video.read(offset),
            Chip::Keyboard => self.keyboard.peek(),
            Chip::Acia(rs) => self.acia.peek(rs),
            Chip::Unmapped => UNMAPPED_READ,
        }
    }
}

/// The board's state read back from a snapshot (the ROMs come separately, by identity).
pub(crate) struct Restored {
    pub ram: Box<[u8]>,
    pub video_ram: [u8; VIDEO_RAM_BYTES],
    pub keyboard: Keyboard,
    pub acia: Mc6850,
    pub port: TapePort,
    pub typist: Typist,
    pub cycles: u64,
}

/// Snapshot support (src/snapshot.rs): the RAM size and cycle count (section `MACH`) and the
/// RAM contents (section `RAM `); the devices save themselves.
impl Board {
    /// The ROMs' SHA-1 digests (computed once; the images never change after power-on).
    pub fn rom_digests(&self) -> &RomDigests {
        self.rom_digests.get_or_init(|| self.roms().digests())
    }

    /// RAM size in KB (u8: 4, 8 or 32) and the cycle count (u64).
    pub(crate) fn save_machine(&self, w: &mut Writer) {
        w.u8((self.ram.len() / 1024) as u8);
        w.u64(self.cycles);
    }

    pub(crate) fn load_machine(r: &mut Reader) -> Result<(RamSize, u64), SnapshotError> {
        let ram = match r.u8()? {
            4 => RamSize::K4,
            8 => RamSize::K8,
            32 => RamSize::K32,
            other => return Err(r.invalid(format!("{other} KB is not a RAM size (4, 8 or 32)"))),
        };
        Ok((ram, r.cycle()?))
    }

    /// The RAM contents, as many bytes as are installed.
    pub(crate) fn save_ram(&self, w: &mut Writer) {
        w.raw(&self.ram);
    }

    pub(crate) fn load_ram(r: &mut Reader, size: RamSize) -> Result<Box<[u8]>, SnapshotError> {
        Ok(r.raw(size.bytes())?.into())
    }

    /// A board with restored memories and devices and the given ROMs, whose digests are known.
    pub(crate) fn restore(state: Restored, roms: RomSet, digests: RomDigests) -> Board {
        Board {
            ram: state.ram,
            basic: roms.basic,
            monitor: roms.monitor,
            video: Video::new(state.video_ram, roms.chargen),
            keyboard: state.keyboard,
            acia: state.acia,
            tape: state.port,
            typist: state.typist,
            cycles: state.cycles,
            rom_digests: DigestCache::from(digests),
        }
    }
}
