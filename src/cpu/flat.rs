//! A flat 64 KiB RAM bus with no devices: the bus for `cpu-test`, the benchmarks and tests.

use super::Bus;

/// 64 KiB of RAM, every address readable and writable, no side effects.
#[derive(Clone)]
pub struct FlatRam {
    /// The memory, indexed by address.
    pub mem: Box<[u8; 0x10000]>,
}

impl Default for FlatRam {
    fn default() -> Self {
        Self::new()
    }
}

impl FlatRam {
    /// All-zero RAM.
    pub fn new() -> FlatRam {
        FlatRam {
            mem: Box::new([0; 0x10000]),
        }
    }

    /// Copies `bytes` to memory starting at `addr`. Returns false (and copies nothing) when
    /// they do not fit below $10000.
    pub fn load(&mut self, addr: u16, bytes: &[u8]) -> bool {
        let start = addr as usize;
        match start.checked_add(bytes.len()) {
            Some(end) if end <= self.mem.len() => {
                self.mem[start..end].copy_from_slice(bytes);
                true
            }
            _ => false,
        }
    }
}

impl Bus for FlatRam {
    #[inline(always)]
    fn read(&mut self, addr: u16) -> u8 {
        self.mem[addr as usize]
    }

    #[inline(always)]
    fn write(&mut self, addr: u16, value: u8) {
        self.mem[addr as usize] = value;
    }

    #[inline(always)]
    fn peek(&self, addr: u16) -> u8 {
        self.mem[addr as usize]
    }
}
