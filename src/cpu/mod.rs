//! # NMOS 6502 CPU
//!
//! The contract with the rest of the machine: [`Bus`] is called exactly once per clock cycle,
//! dummy reads and read-modify-write double writes included, in the real chip's order.
//! The opcode-fetch cycle (SYNC high) goes through [`Bus::fetch`] so traps and breakpoints can
//! hang off it.
//!
//! ## What is emulated
//! - All 151 documented opcodes, the stable undocumented ones (LAX, SAX, DCP, ISC, SLO, RLA, SRE,
//!   RRA, ANC, ALR, ARR, SBX, LAS, every NOP form with its operand reads, $EB SBC) and the
//!   unstable ones with the common model (SHA/SHX/SHY/TAS store `value & (H + 1)` and, on a page
//!   crossing, use that value as the high address byte; XAA/LXA use the magic constant $EE).
//! - JAM opcodes halt the CPU: [`Cpu::is_jammed`] becomes true and every later [`Cpu::step`]
//!   spends one cycle reading $FFFF, until [`Cpu::reset`].
//! - NMOS decimal mode: ADC sets Z from the binary sum and N/V from the intermediate result after
//!   the low-nibble fix-up; SBC sets every flag from the binary difference. ARR, ISC and RRA
//!   inherit the decimal behaviour.
//! - RESET, IRQ and NMI sequences of 7 cycles; BRK is a 2-byte instruction. The first cycle of
//!   these sequences replaces an opcode fetch but goes through [`Bus::read`], so a trap on
//!   [`Bus::fetch`] only ever sees opcodes that are executed.
//! - The absolute NOPs read their effective address like loads do ($0C: 4 cycles; $1C etc.:
//!   4, plus 1 on a page crossing).
//!
//! ## Interrupt timing model
//! Interrupt lines change only between calls to [`Cpu::step`]. An instruction boundary polls the
//! lines as they are when the next `step` starts, with the real chip's exceptions:
//! - CLI, SEI and PLP change I after the poll, so the boundary right after them still uses the
//!   old I (an IRQ pending across `CLI` runs one instruction after it).
//! - A taken branch that does not cross a page does not poll on its last cycle: a line change
//!   made after such a branch is seen one instruction later.
//! - /NMI is edge-triggered: the edge is latched by [`Cpu::set_nmi`]. A latched NMI that is
//!   pending while a BRK or IRQ sequence pushes P takes over its vector fetch ($FFFA).
//!
//! ## Cost model
//! [`Cpu::step`] is generic over the bus so a flat-RAM bus is inlined into the opcode `match`;
//! [`FlatRam`] is that bus for tests, `cpu-test` and benchmarks.

mod arith;
mod execute;
mod flat;
pub mod workload;

#[cfg(test)]
mod tests;

pub use flat::FlatRam;

/// The CPU's view of the address bus. Every call to `read`, `fetch` or `write` is one clock cycle.
pub trait Bus {
    /// A read cycle. May have side effects (device registers).
    fn read(&mut self, addr: u16) -> u8;
    /// A write cycle.
    fn write(&mut self, addr: u16, value: u8);
    /// A side-effect-free look at memory for debuggers, monitors and tests. Takes no cycle.
    fn peek(&self, addr: u16) -> u8;
    /// The opcode-fetch read cycle (SYNC high). Defaults to a plain read.
    #[inline(always)]
    fn fetch(&mut self, addr: u16) -> u8 {
        self.read(addr)
    }
}

/// Status bit 0: carry.
pub const C: u8 = 0x01;
/// Status bit 1: zero.
pub const Z: u8 = 0x02;
/// Status bit 2: IRQ disable.
pub const I: u8 = 0x04;
/// Status bit 3: decimal mode.
pub const D: u8 = 0x08;
/// Status bit 4: break. Not a latch in the chip: set in the copy of P pushed by BRK/PHP,
/// clear in the copy pushed by IRQ/NMI. [`Cpu::p`] always holds it clear.
pub const B: u8 = 0x10;
/// Status bit 5: unused, reads as 1. [`Cpu::p`] always holds it set.
pub const U: u8 = 0x20;
/// Status bit 6: overflow.
pub const V: u8 = 0x40;
/// Status bit 7: negative.
pub const N: u8 = 0x80;

/// NMI vector address.
pub const NMI_VECTOR: u16 = 0xFFFA;
/// RESET vector address.
pub const RESET_VECTOR: u16 = 0xFFFC;
/// IRQ/BRK vector address.
pub const IRQ_VECTOR: u16 = 0xFFFE;

/// Base of the hardware stack page.
const STACK_BASE: u16 = 0x0100;

/// `Cpu::signals` bit: /IRQ is asserted.
const SIG_IRQ: u8 = 0x01;
/// `Cpu::signals` bit: an NMI edge was latched and not yet serviced.
const SIG_NMI: u8 = 0x02;
/// `Cpu::signals` bit: RESET asserted; the next step runs the reset sequence.
const SIG_RESET: u8 = 0x04;
/// `Cpu::signals` bit: a JAM opcode halted the CPU.
const SIG_JAM: u8 = 0x08;

/// Poll quirks carried from one instruction to the next boundary (bit set in `Cpu::quirk`).
/// The boundary uses the I flag from before the last CLI/SEI/PLP (held in `quirk_i`).
const QUIRK_I_DELAY: u8 = 0x01;
/// The last instruction was a taken branch without page crossing: the boundary uses the line
/// state from the start of that branch (held in `branch_irq`/`branch_nmi`).
const QUIRK_BRANCH: u8 = 0x02;

/// The NMOS 6502: registers plus the interrupt and halt state.
#[derive(Clone, Debug)]
pub struct Cpu {
    /// Accumulator.
    pub a: u8,
    /// X index register.
    pub x: u8,
    /// Y index register.
    pub y: u8,
    /// Stack pointer (the stack lives at $0100 + s).
    pub s: u8,
    /// Processor status; U is always set and B always clear here (see [`B`]).
    pub p: u8,
    /// Program counter.
    pub pc: u16,
    /// Bus cycles used by the step in progress.
    cycles: u32,
    /// SIG_* bits: everything that sends an instruction boundary down the slow path, in one
    /// byte so the common case is a single test.
    signals: u8,
    /// Level of /NMI (true = asserted), for edge detection.
    nmi_line: bool,
    /// QUIRK_* bits for the next instruction boundary.
    quirk: u8,
    /// I flag (masked) the next boundary uses under QUIRK_I_DELAY.
    quirk_i: u8,
    /// /IRQ level at the start of the last taken in-page branch (QUIRK_BRANCH).
    branch_irq: bool,
    /// NMI latch at the start of the last taken in-page branch (QUIRK_BRANCH).
    branch_nmi: bool,
}

impl Default for Cpu {
    fn default() -> Self {
        Self::new()
    }
}

impl Cpu {
    /// Power-on state: registers zero, I set, and a RESET sequence pending, so the first
    /// [`step`](Cpu::step) fetches the reset vector (and leaves S at $FD).
    pub fn new() -> Cpu {
        Cpu {
            a: 0,
            x: 0,
            y: 0,
            s: 0,
            p: U | I,
            pc: 0,
            cycles: 0,
            signals: SIG_RESET,
            nmi_line: false,
            quirk: 0,
            quirk_i: 0,
            branch_irq: false,
            branch_nmi: false,
        }
    }

    /// Asserts RESET: the next [`step`](Cpu::step) runs the 7-cycle reset sequence (three dummy
    /// stack reads that decrement S, then the vector at $FFFC). Also releases a JAM.
    pub fn reset(&mut self) {
        self.signals = (self.signals | SIG_RESET) & !SIG_JAM;
    }

    /// Sets the level of the /IRQ line (true = asserted). Level-sensitive: the CPU takes the
    /// interrupt at each instruction boundary while it is asserted and I is clear.
    pub fn set_irq(&mut self, asserted: bool) {
        if asserted {
            self.signals |= SIG_IRQ;
        } else {
            self.signals &= !SIG_IRQ;
        }
    }

    /// Sets the level of the /NMI line (true = asserted). Edge-triggered: only a change from
    /// released to asserted requests an NMI.
    pub fn set_nmi(&mut self, asserted: bool) {
        if asserted && !self.nmi_line {
            self.signals |= SIG_NMI;
        }
        self.nmi_line = asserted;
    }

    /// True once a JAM opcode has halted the CPU, until [`reset`](Cpu::reset).
    pub fn is_jammed(&self) -> bool {
        self.signals & SIG_JAM != 0
    }

    /// Executes one instruction, or one interrupt/reset sequence, or (jammed) one idle cycle.
    /// Returns the number of clock cycles used, which equals the number of bus calls made.
    #[inline]
    pub fn step<B: Bus>(&mut self, bus: &mut B) -> u32 {
        self.cycles = 0;
        let quirk = core::mem::take(&mut self.quirk);
        if self.signals != 0 && self.service(bus, quirk) {
            return self.cycles;
        }
        let op = self.fetch_op(bus);
        self.execute(bus, op);
        self.cycles
    }

    /// The slow path at an instruction boundary: reset, jam, NMI, IRQ. Returns true when it
    /// used the step (no instruction is to be executed).
    #[cold]
    #[inline(never)]
    fn service<B: Bus>(&mut self, bus: &mut B, quirk: u8) -> bool {
        if self.signals & SIG_RESET != 0 {
            self.reset_sequence(bus);
            return true;
        }
        if self.signals & SIG_JAM != 0 {
            self.read(bus, 0xFFFF);
            return true;
        }
        let (irq_line, nmi) = if quirk & QUIRK_BRANCH != 0 {
            (self.branch_irq, self.branch_nmi)
        } else {
            (self.signals & SIG_IRQ != 0, self.signals & SIG_NMI != 0)
        };
        let i_flag = if quirk & QUIRK_I_DELAY != 0 {
            self.quirk_i
        } else {
            self.p & I
        };
        if nmi {
            self.signals &= !SIG_NMI;
            self.interrupt_sequence(bus, NMI_VECTOR);
            true
        } else if irq_line && i_flag == 0 {
            self.interrupt_sequence(bus, IRQ_VECTOR);
            true
        } else {
            false
        }
    }

    /// RESET: two reads at PC, three stack reads that decrement S without writing, then the
    /// vector. I is set; D is left alone (NMOS).
    fn reset_sequence<B: Bus>(&mut self, bus: &mut B) {
        // A stale NMI edge does not survive RESET.
        self.signals &= !(SIG_RESET | SIG_JAM | SIG_NMI);
        self.read(bus, self.pc);
        self.read(bus, self.pc);
        for _ in 0..3 {
            self.read(bus, STACK_BASE | self.s as u16);
            self.s = self.s.wrapping_sub(1);
        }
        self.p |= I;
        let lo = self.read(bus, RESET_VECTOR);
        let hi = self.read(bus, RESET_VECTOR + 1);
        self.pc = u16::from_le_bytes([lo, hi]);
    }

    /// IRQ or NMI: the opcode fetch is replaced by two reads at PC, then PC and P (B clear) are
    /// pushed and the vector is fetched.
    fn interrupt_sequence<B: Bus>(&mut self, bus: &mut B, vector: u16) {
        self.read(bus, self.pc);
        self.read(bus, self.pc);
        self.push_interrupt_frame(bus, vector, self.p & !B);
    }

    /// Cycles 3..7 shared by BRK, IRQ and NMI: push PCH, PCL, P; set I; fetch the vector.
    /// An NMI latched by the time P is pushed takes over a BRK/IRQ vector fetch.
    fn push_interrupt_frame<B: Bus>(&mut self, bus: &mut B, vector: u16, pushed_p: u8) {
        let [lo, hi] = self.pc.to_le_bytes();
        self.push(bus, hi);
        self.push(bus, lo);
        self.push(bus, pushed_p | U);
        self.p |= I;
        let vector = if vector == IRQ_VECTOR && self.signals & SIG_NMI != 0 {
            self.signals &= !SIG_NMI;
            NMI_VECTOR
        } else {
            vector
        };
        let lo = self.read(bus, vector);
        let hi = self.read(bus, vector.wrapping_add(1));
        self.pc = u16::from_le_bytes([lo, hi]);
    }

    /// One read cycle.
    #[inline(always)]
    fn read<B: Bus>(&mut self, bus: &mut B, addr: u16) -> u8 {
        self.cycles += 1;
        bus.read(addr)
    }

    /// One write cycle.
    #[inline(always)]
    fn write<B: Bus>(&mut self, bus: &mut B, addr: u16, value: u8) {
        self.cycles += 1;
        bus.write(addr, value);
    }

    /// The opcode fetch cycle (SYNC).
    #[inline(always)]
    fn fetch_op<B: Bus>(&mut self, bus: &mut B) -> u8 {
        self.cycles += 1;
        let op = bus.fetch(self.pc);
        self.pc = self.pc.wrapping_add(1);
        op
    }

    /// Reads the byte at PC and advances PC.
    #[inline(always)]
    fn next_byte<B: Bus>(&mut self, bus: &mut B) -> u8 {
        let v = self.read(bus, self.pc);
        self.pc = self.pc.wrapping_add(1);
        v
    }

    /// Writes to $0100+S and decrements S.
    #[inline(always)]
    fn push<B: Bus>(&mut self, bus: &mut B, value: u8) {
        self.write(bus, STACK_BASE | self.s as u16, value);
        self.s = self.s.wrapping_sub(1);
    }

    /// Increments S and reads $0100+S.
    #[inline(always)]
    fn pull<B: Bus>(&mut self, bus: &mut B) -> u8 {
        self.s = self.s.wrapping_add(1);
        self.read(bus, STACK_BASE | self.s as u16)
    }

    /// Sets N and Z from `value`.
    #[inline(always)]
    fn set_nz(&mut self, value: u8) {
        self.p = (self.p & !(N | Z)) | (value & N) | (((value == 0) as u8) << 1);
    }

    /// Sets or clears the flags in `mask`.
    #[inline(always)]
    fn set_flag(&mut self, mask: u8, on: bool) {
        if on {
            self.p |= mask;
        } else {
            self.p &= !mask;
        }
    }
}

/// Snapshot support (section `CPU `, src/snapshot.rs): A, X, Y, S, P (u8 each), PC (u16), then
/// the interrupt and halt state — the SIG_* bits, the /NMI level, the QUIRK_* bits, the delayed
/// I flag and the line levels latched by the last in-page branch. The step's own cycle counter
/// is not saved: snapshots are taken between steps.
impl Cpu {
    pub(crate) fn save(&self, w: &mut crate::snapshot::Writer) {
        for register in [self.a, self.x, self.y, self.s, self.p] {
            w.u8(register);
        }
        w.u16(self.pc);
        w.u8(self.signals);
        w.bool(self.nmi_line);
        w.u8(self.quirk);
        w.u8(self.quirk_i);
        w.bool(self.branch_irq);
        w.bool(self.branch_nmi);
    }

    pub(crate) fn load(
        r: &mut crate::snapshot::Reader,
    ) -> Result<Cpu, crate::snapshot::SnapshotError> {
        let (a, x, y, s) = (r.u8()?, r.u8()?, r.u8()?, r.u8()?);
        let p = r.u8()?;
        if p & U == 0 || p & B != 0 {
            return Err(r.invalid(format!(
                "status {p:#04x} must have bit 5 set and bit 4 (B) clear"
            )));
        }
        let pc = r.u16()?;
        let signals = r.u8()?;
        if signals & !(SIG_IRQ | SIG_NMI | SIG_RESET | SIG_JAM) != 0 {
            return Err(r.invalid(format!("unknown interrupt state bits {signals:#04x}")));
        }
        let nmi_line = r.bool()?;
        let quirk = r.u8()?;
        if quirk & !(QUIRK_I_DELAY | QUIRK_BRANCH) != 0 {
            return Err(r.invalid(format!("unknown interrupt-poll state {quirk:#04x}")));
        }
        let quirk_i = r.u8()?;
        if quirk_i & !I != 0 {
            return Err(r.invalid(format!("delayed I flag {quirk_i:#04x} is not 0 or 4")));
        }
        Ok(Cpu {
            a,
            x,
            y,
            s,
            p,
            pc,
            cycles: 0,
            signals,
            nmi_line,
            quirk,
            quirk_i,
            branch_irq: r.bool()?,
            branch_nmi: r.bool()?,
        })
    }
}
