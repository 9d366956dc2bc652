//! # NMOS 6502 CPU
//!
//! The contract with the rest of the machine: [`Bus`] is called exactly once per clock cycle,
//! dummy reads and read-modify-write double writes included, in the real chip's order.
//! The opcode-fetch cycle (SYNC high) goes through [`Bus::fetch`] so traps and breakpoints can
//! hang off it.

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
