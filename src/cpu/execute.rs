//! Instruction execution: addressing modes with their exact bus cycles, and the opcode `match`.
//!
//! Bus order per addressing mode (after the opcode fetch), as on the NMOS chip:
//! - implied/accumulator: a dummy read of the next byte (PC not advanced).
//! - zp,X / zp,Y: read the zero-page base (dummy), then the wrapped address.
//! - abs,X / abs,Y / (zp),Y: reads take a dummy read at the unfixed address (base high byte,
//!   low byte + index) only on a page crossing; stores and read-modify-writes always take it.
//! - (zp,X): dummy read of the zero-page base, then the pointer at base+X (wrapping in page 0).
//! - read-modify-write: read, write the old value back, write the new value.

use super::{
    Bus, Cpu, B, C, D, I, N, QUIRK_BRANCH, QUIRK_I_DELAY, SIG_IRQ, SIG_JAM, SIG_NMI, STACK_BASE, U,
    V, Z,
};

/// XAA/LXA "magic" constant: the bits of A that survive the analog bus conflict on most chips.
const UNSTABLE_MAGIC: u8 = 0xEE;

impl Cpu {
    // ---- effective addresses ------------------------------------------------------------

    #[inline(always)]
    fn addr_zp<B: Bus>(&mut self, bus: &mut B) -> u16 {
        self.next_byte(bus) as u16
    }

    #[inline(always)]
    fn addr_zp_indexed<B: Bus>(&mut self, bus: &mut B, index: u8) -> u16 {
        let base = self.next_byte(bus);
        self.read(bus, base as u16);
        base.wrapping_add(index) as u16
    }

    #[inline(always)]
    fn addr_abs<B: Bus>(&mut self, bus: &mut B) -> u16 {
        let lo = self.next_byte(bus);
        let hi = self.next_byte(bus);
        u16::from_le_bytes([lo, hi])
    }

    /// abs,index for reads: the dummy read at the unfixed address only on a page crossing.
    #[inline(always)]
    fn addr_abs_indexed_read<B: Bus>(&mut self, bus: &mut B, index: u8) -> u16 {
        let base = self.addr_abs(bus);
        let addr = base.wrapping_add(index as u16);
        if (base ^ addr) & 0xFF00 != 0 {
            self.read(bus, (base & 0xFF00) | (addr & 0x00FF));
        }
        addr
    }

    /// abs,index for stores and RMW: the dummy read at the unfixed address always happens.
    #[inline(always)]
    fn addr_abs_indexed_write<B: Bus>(&mut self, bus: &mut B, index: u8) -> u16 {
        let base = self.addr_abs(bus);
        let addr = base.wrapping_add(index as u16);
        self.read(bus, (base & 0xFF00) | (addr & 0x00FF));
        addr
    }

    #[inline(always)]
    fn addr_indexed_indirect<B: Bus>(&mut self, bus: &mut B) -> u16 {
        let base = self.next_byte(bus);
        self.read(bus, base as u16);
        let ptr = base.wrapping_add(self.x);
        let lo = self.read(bus, ptr as u16);
        let hi = self.read(bus, ptr.wrapping_add(1) as u16);
        u16::from_le_bytes([lo, hi])
    }

    /// The (zp),Y pointer, before indexing.
    #[inline(always)]
    fn indirect_base<B: Bus>(&mut self, bus: &mut B) -> u16 {
        let ptr = self.next_byte(bus);
        let lo = self.read(bus, ptr as u16);
        let hi = self.read(bus, ptr.wrapping_add(1) as u16);
        u16::from_le_bytes([lo, hi])
    }

    #[inline(always)]
    fn addr_indirect_indexed_read<B: Bus>(&mut self, bus: &mut B) -> u16 {
        let base = self.indirect_base(bus);
        let addr = base.wrapping_add(self.y as u16);
        if (base ^ addr) & 0xFF00 != 0 {
            self.read(bus, (base & 0xFF00) | (addr & 0x00FF));
        }
        addr
    }

    #[inline(always)]
    fn addr_indirect_indexed_write<B: Bus>(&mut self, bus: &mut B) -> u16 {
        let base = self.indirect_base(bus);
        let addr = base.wrapping_add(self.y as u16);
        self.read(bus, (base & 0xFF00) | (addr & 0x00FF));
        addr
    }

    // ---- instruction shapes -------------------------------------------------------------

    /// Read-modify-write at `addr`: read, write the old value, write the new one.
    #[inline(always)]
    fn rmw<B: Bus>(&mut self, bus: &mut B, addr: u16, op: impl FnOnce(&mut Cpu, u8) -> u8) {
        let old = self.read(bus, addr);
        self.write(bus, addr, old);
        let new = op(self, old);
        self.write(bus, addr, new);
    }

    /// Two-cycle implied instruction: the dummy read of the byte after the opcode.
    #[inline(always)]
    fn implied<B: Bus>(&mut self, bus: &mut B) {
        self.read(bus, self.pc);
    }

    #[inline(always)]
    fn branch<B: Bus>(&mut self, bus: &mut B, taken: bool) {
        let offset = self.next_byte(bus) as i8;
        if !taken {
            return;
        }
        self.read(bus, self.pc);
        let target = self.pc.wrapping_add(offset as u16);
        if (target ^ self.pc) & 0xFF00 != 0 {
            self.read(bus, (self.pc & 0xFF00) | (target & 0x00FF));
        } else {
            // No interrupt poll on the last cycle of a taken in-page branch: the next
            // boundary sees the lines as they were during this instruction.
            self.quirk = QUIRK_BRANCH;
            self.branch_irq = self.signals & SIG_IRQ != 0;
            self.branch_nmi = self.signals & SIG_NMI != 0;
        }
        self.pc = target;
    }

    /// CLI/SEI/PLP: the next boundary polls with the I flag from before the change.
    #[inline(always)]
    fn delay_i_poll(&mut self, old_p: u8) {
        self.quirk = QUIRK_I_DELAY;
        self.quirk_i = old_p & I;
    }

    /// SHA/SHX/SHY/TAS store: `value & (H + 1)` where H is the base high byte; on a page
    /// crossing the stored value also replaces the high byte of the address.
    #[inline(always)]
    fn unstable_store<B: Bus>(&mut self, bus: &mut B, base: u16, index: u8, value: u8) {
        let addr = base.wrapping_add(index as u16);
        self.read(bus, (base & 0xFF00) | (addr & 0x00FF));
        let stored = value & ((base >> 8) as u8).wrapping_add(1);
        let target = if (base ^ addr) & 0xFF00 != 0 {
            ((stored as u16) << 8) | (addr & 0x00FF)
        } else {
            addr
        };
        self.write(bus, target, stored);
    }

    #[inline(always)]
    fn jam<B: Bus>(&mut self, bus: &mut B) {
        self.read(bus, self.pc);
        self.signals |= SIG_JAM;
    }

    #[inline(always)]
    fn lda(&mut self, v: u8) {
        self.a = v;
        self.set_nz(v);
    }

    #[inline(always)]
    fn ldx(&mut self, v: u8) {
        self.x = v;
        self.set_nz(v);
    }

    #[inline(always)]
    fn ldy(&mut self, v: u8) {
        self.y = v;
        self.set_nz(v);
    }

    #[inline(always)]
    fn ora(&mut self, v: u8) {
        self.a |= v;
        self.set_nz(self.a);
    }

    #[inline(always)]
    fn and(&mut self, v: u8) {
        self.a &= v;
        self.set_nz(self.a);
    }

    #[inline(always)]
    fn eor(&mut self, v: u8) {
        self.a ^= v;
        self.set_nz(self.a);
    }

    #[inline(always)]
    fn lax(&mut self, v: u8) {
        self.a = v;
        self.x = v;
        self.set_nz(v);
    }

    // ---- the opcode table ---------------------------------------------------------------

    /// Executes opcode `op` (already fetched; PC points past it).
    #[inline(always)]
    pub(super) fn execute<B: Bus>(&mut self, bus: &mut B, op: u8) {
        // Operand value for a read instruction in the given addressing mode.
        macro_rules! val {
            (imm) => {
                self.next_byte(bus)
            };
            (zp) => {{
                let a = self.addr_zp(bus);
                self.read(bus, a)
            }};
            (zpx) => {{
                let a = self.addr_zp_indexed(bus, self.x);
                self.read(bus, a)
            }};
            (zpy) => {{
                let a = self.addr_zp_indexed(bus, self.y);
                self.read(bus, a)
            }};
            (abs) => {{
                let a = self.addr_abs(bus);
                self.read(bus, a)
            }};
            (abx) => {{
                let a = self.addr_abs_indexed_read(bus, self.x);
                self.read(bus, a)
            }};
            (aby) => {{
                let a = self.addr_abs_indexed_read(bus, self.y);
                self.read(bus, a)
            }};
            (izx) => {{
                let a = self.addr_indexed_indirect(bus);
                self.read(bus, a)
            }};
            (izy) => {{
                let a = self.addr_indirect_indexed_read(bus);
                self.read(bus, a)
            }};
        }
        // Effective address for a store or read-modify-write.
        macro_rules! addr {
            (zp) => {
                self.addr_zp(bus)
            };
            (zpx) => {
                self.addr_zp_indexed(bus, self.x)
            };
            (zpy) => {
                self.addr_zp_indexed(bus, self.y)
            };
            (abs) => {
                self.addr_abs(bus)
            };
            (abx) => {
                self.addr_abs_indexed_write(bus, self.x)
            };
            (aby) => {
                self.addr_abs_indexed_write(bus, self.y)
            };
            (izx) => {
                self.addr_indexed_indirect(bus)
            };
            (izy) => {
                self.addr_indirect_indexed_write(bus)
            };
        }
        macro_rules! load {
            ($f:ident, $mode:ident) => {{
                let v = val!($mode);
                self.$f(v);
            }};
        }
        macro_rules! store {
            ($reg:expr, $mode:ident) => {{
                let a = addr!($mode);
                let v = $reg;
                self.write(bus, a, v);
            }};
        }
        macro_rules! modify {
            ($f:ident, $mode:ident) => {{
                let a = addr!($mode);
                self.rmw(bus, a, |cpu, v| cpu.$f(v));
            }};
        }
        // Undocumented RMW + ALU combinations.
        macro_rules! combo {
            ($rmw:ident, $alu:ident, $mode:ident) => {{
                let a = addr!($mode);
                self.rmw(bus, a, |cpu, v| {
                    let r = cpu.$rmw(v);
                    cpu.$alu(r);
                    r
                });
            }};
        }
        macro_rules! accumulator {
            ($f:ident) => {{
                self.implied(bus);
                self.a = self.$f(self.a);
            }};
        }
        macro_rules! transfer {
            ($dst:ident, $src:ident) => {{
                self.implied(bus);
                self.$dst = self.$src;
                self.set_nz(self.$dst);
            }};
        }
        macro_rules! flag {
            ($mask:expr, $on:expr) => {{
                self.implied(bus);
                self.set_flag($mask, $on);
            }};
        }
        macro_rules! nop {
            (imp) => {
                self.implied(bus)
            };
            ($mode:ident) => {{
                let _ = val!($mode);
            }};
        }

        match op {
            // ---- loads ----
            0xA9 => load!(lda, imm),
            0xA5 => load!(lda, zp),
            0xB5 => load!(lda, zpx),
            0xAD => load!(lda, abs),
            0xBD => load!(lda, abx),
            0xB9 => load!(lda, aby),
            0xA1 => load!(lda, izx),
            0xB1 => load!(lda, izy),
            0xA2 => load!(ldx, imm),
            0xA6 => load!(ldx, zp),
            0xB6 => load!(ldx, zpy),
            0xAE => load!(ldx, abs),
            0xBE => load!(ldx, aby),
            0xA0 => load!(ldy, imm),
            0xA4 => load!(ldy, zp),
            0xB4 => load!(ldy, zpx),
            0xAC => load!(ldy, abs),
            0xBC => load!(ldy, abx),
            0xA7 => load!(lax, zp),
            0xB7 => load!(lax, zpy),
            0xAF => load!(lax, abs),
            0xBF => load!(lax, aby),
            0xA3 => load!(lax, izx),
            0xB3 => load!(lax, izy),

            // ---- stores ----
            0x85 => store!(self.a, zp),
            0x95 => store!(self.a, zpx),
            0x8D => store!(self.a, abs),
            0x9D => store!(self.a, abx),
            0x99 => store!(self.a, aby),
            0x81 => store!(self.a, izx),
            0x91 => store!(self.a, izy),
            0x86 => store!(self.x, zp),
            0x96 => store!(self.x, zpy),
            0x8E => store!(self.x, abs),
            0x84 => store!(self.y, zp),
            0x94 => store!(self.y, zpx),
            0x8C => store!(self.y, abs),
            0x87 => store!(self.a & self.x, zp),
            0x97 => store!(self.a & self.x, zpy),
            0x8F => store!(self.a & self.x, abs),
            0x83 => store!(self.a & self.x, izx),

            // ---- ALU ----
            0x09 => load!(ora, imm),
            0x05 => load!(ora, zp),
            0x15 => load!(ora, zpx),
            0x0D => load!(ora, abs),
            0x1D => load!(ora, abx),
            0x19 => load!(ora, aby),
            0x01 => load!(ora, izx),
            0x11 => load!(ora, izy),
            0x29 => load!(and, imm),
            0x25 => load!(and, zp),
            0x35 => load!(and, zpx),
            0x2D => load!(and, abs),
            0x3D => load!(and, abx),
            0x39 => load!(and, aby),
            0x21 => load!(and, izx),
            0x31 => load!(and, izy),
            0x49 => load!(eor, imm),
            0x45 => load!(eor, zp),
            0x55 => load!(eor, zpx),
            0x4D => load!(eor, abs),
            0x5D => load!(eor, abx),
            0x59 => load!(eor, aby),
            0x41 => load!(eor, izx),
            0x51 => load!(eor, izy),
            0x69 => load!(adc, imm),
            0x65 => load!(adc, zp),
            0x75 => load!(adc, zpx),
            0x6D => load!(adc, abs),
            0x7D => load!(adc, abx),
            0x79 => load!(adc, aby),
            0x61 => load!(adc, izx),
            0x71 => load!(adc, izy),
            0xE9 | 0xEB => load!(sbc, imm),
            0xE5 => load!(sbc, zp),
            0xF5 => load!(sbc, zpx),
            0xED => load!(sbc, abs),
            0xFD => load!(sbc, abx),
            0xF9 => load!(sbc, aby),
            0xE1 => load!(sbc, izx),
            0xF1 => load!(sbc, izy),
            0xC9 => {
                let v = val!(imm);
                self.compare(self.a, v);
            }
            0xC5 => {
                let v = val!(zp);
                self.compare(self.a, v);
            }
            0xD5 => {
                let v = val!(zpx);
                self.compare(self.a, v);
            }
            0xCD => {
                let v = val!(abs);
                self.compare(self.a, v);
            }
            0xDD => {
                let v = val!(abx);
                self.compare(self.a, v);
            }
            0xD9 => {
                let v = val!(aby);
                self.compare(self.a, v);
            }
            0xC1 => {
                let v = val!(izx);
                self.compare(self.a, v);
            }
            0xD1 => {
                let v = val!(izy);
                self.compare(self.a, v);
            }
            0xE0 => {
                let v = val!(imm);
                self.compare(self.x, v);
            }
            0xE4 => {
                let v = val!(zp);
                self.compare(self.x, v);
            }
            0xEC => {
                let v = val!(abs);
                self.compare(self.x, v);
            }
            0xC0 => {
                let v = val!(imm);
                self.compare(self.y, v);
            }
            0xC4 => {
                let v = val!(zp);
                self.compare(self.y, v);
            }
            0xCC => {
                let v = val!(abs);
                self.compare(self.y, v);
            }
            0x24 => load!(bit, zp),
            0x2C => load!(bit, abs),

            // ---- read-modify-write ----
            0x0A => accumulator!(asl),
            0x06 => modify!(asl, zp),
            0x16 => modify!(asl, zpx),
            0x0E => modify!(asl, abs),
            0x1E => modify!(asl, abx),
            0x4A => accumulator!(lsr),
            0x46 => modify!(lsr, zp),
            0x56 => modify!(lsr, zpx),
            0x4E => modify!(lsr, abs),
            0x5E => modify!(lsr, abx),
            0x2A => accumulator!(rol),
            0x26 => modify!(rol, zp),
            0x36 => modify!(rol, zpx),
            0x2E => modify!(rol, abs),
            0x3E => modify!(rol, abx),
            0x6A => accumulator!(ror),
            0x66 => modify!(ror, zp),
            0x76 => modify!(ror, zpx),
            0x6E => modify!(ror, abs),
            0x7E => modify!(ror, abx),
            0xE6 => modify!(inc, zp),
            0xF6 => modify!(inc, zpx),
            0xEE => modify!(inc, abs),
            0xFE => modify!(inc, abx),
            0xC6 => modify!(dec, zp),
            0xD6 => modify!(dec, zpx),
            0xCE => modify!(dec, abs),
            0xDE => modify!(dec, abx),

            // ---- register increments and transfers ----
            0xE8 => {
                self.implied(bus);
                self.x = self.x.wrapping_add(1);
                self.set_nz(self.x);
            }
            0xCA => {
                self.implied(bus);
                self.x = self.x.wrapping_sub(1);
                self.set_nz(self.x);
            }
            0xC8 => {
                self.implied(bus);
                self.y = self.y.wrapping_add(1);
                self.set_nz(self.y);
            }
            0x88 => {
                self.implied(bus);
                self.y = self.y.wrapping_sub(1);
                self.set_nz(self.y);
            }
            0xAA => transfer!(x, a),
            0xA8 => transfer!(y, a),
            0x8A => transfer!(a, x),
            0x98 => transfer!(a, y),
            0xBA => transfer!(x, s),
            0x9A => {
                self.implied(bus);
                self.s = self.x;
            }

            // ---- flags ----
            0x18 => flag!(C, false),
            0x38 => flag!(C, true),
            0xD8 => flag!(D, false),
            0xF8 => flag!(D, true),
            0xB8 => flag!(V, false),
            0x58 => {
                let old = self.p;
                flag!(I, false);
                self.delay_i_poll(old);
            }
            0x78 => {
                let old = self.p;
                flag!(I, true);
                self.delay_i_poll(old);
            }

            // ---- branches ----
            0x10 => self.branch(bus, self.p & N == 0),
            0x30 => self.branch(bus, self.p & N != 0),
            0x50 => self.branch(bus, self.p & V == 0),
            0x70 => self.branch(bus, self.p & V != 0),
            0x90 => self.branch(bus, self.p & C == 0),
            0xB0 => self.branch(bus, self.p & C != 0),
            0xD0 => self.branch(bus, self.p & Z == 0),
            0xF0 => self.branch(bus, self.p & Z != 0),

            // ---- jumps and subroutines ----
            0x4C => {
                self.pc = self.addr_abs(bus);
            }
            0x6C => {
                let ptr = self.addr_abs(bus);
                let lo = self.read(bus, ptr);
                // The pointer's high byte comes from the same page (no carry into PCH).
                let hi = self.read(bus, (ptr & 0xFF00) | (ptr.wrapping_add(1) & 0x00FF));
                self.pc = u16::from_le_bytes([lo, hi]);
            }
            0x20 => {
                let lo = self.next_byte(bus);
                self.read(bus, STACK_BASE | self.s as u16);
                let [pcl, pch] = self.pc.to_le_bytes();
                self.push(bus, pch);
                self.push(bus, pcl);
                // The high byte is read after the pushes (matters when the stack overlaps it).
                let hi = self.read(bus, self.pc);
                self.pc = u16::from_le_bytes([lo, hi]);
            }
            0x60 => {
                self.implied(bus);
                self.read(bus, STACK_BASE | self.s as u16);
                let lo = self.pull(bus);
                let hi = self.pull(bus);
                self.pc = u16::from_le_bytes([lo, hi]);
                self.read(bus, self.pc);
                self.pc = self.pc.wrapping_add(1);
            }
            0x40 => {
                self.implied(bus);
                self.read(bus, STACK_BASE | self.s as u16);
                let p = self.pull(bus);
                self.p = (p | U) & !B;
                let lo = self.pull(bus);
                let hi = self.pull(bus);
                self.pc = u16::from_le_bytes([lo, hi]);
            }
            0x00 => {
                self.next_byte(bus);
                self.push_interrupt_frame(bus, super::IRQ_VECTOR, self.p | B);
            }

            // ---- stack ----
            0x48 => {
                self.implied(bus);
                self.push(bus, self.a);
            }
            0x08 => {
                self.implied(bus);
                self.push(bus, self.p | B | U);
            }
            0x68 => {
                self.implied(bus);
                self.read(bus, STACK_BASE | self.s as u16);
                let v = self.pull(bus);
                self.lda(v);
            }
            0x28 => {
                self.implied(bus);
                self.read(bus, STACK_BASE | self.s as u16);
                let old = self.p;
                let v = self.pull(bus);
                self.p = (v | U) & !B;
                self.delay_i_poll(old);
            }

            // ---- NOPs ----
            0xEA | 0x1A | 0x3A | 0x5A | 0x7A | 0xDA | 0xFA => nop!(imp),
            0x80 | 0x82 | 0x89 | 0xC2 | 0xE2 => nop!(imm),
            0x04 | 0x44 | 0x64 => nop!(zp),
            0x14 | 0x34 | 0x54 | 0x74 | 0xD4 | 0xF4 => nop!(zpx),
            0x0C => nop!(abs),
            0x1C | 0x3C | 0x5C | 0x7C | 0xDC | 0xFC => nop!(abx),

            // ---- undocumented read-modify-write combinations ----
            0x07 => combo!(asl, ora, zp),
            0x17 => combo!(asl, ora, zpx),
            0x0F => combo!(asl, ora, abs),
            0x1F => combo!(asl, ora, abx),
            0x1B => combo!(asl, ora, aby),
            0x03 => combo!(asl, ora, izx),
            0x13 => combo!(asl, ora, izy),
            0x27 => combo!(rol, and, zp),
            0x37 => combo!(rol, and, zpx),
            0x2F => combo!(rol, and, abs),
            0x3F => combo!(rol, and, abx),
            0x3B => combo!(rol, and, aby),
            0x23 => combo!(rol, and, izx),
            0x33 => combo!(rol, and, izy),
            0x47 => combo!(lsr, eor, zp),
            0x57 => combo!(lsr, eor, zpx),
            0x4F => combo!(lsr, eor, abs),
            0x5F => combo!(lsr, eor, abx),
            0x5B => combo!(lsr, eor, aby),
            0x43 => combo!(lsr, eor, izx),
            0x53 => combo!(lsr, eor, izy),
            0x67 => combo!(ror, adc, zp),
            0x77 => combo!(ror, adc, zpx),
            0x6F => combo!(ror, adc, abs),
            0x7F => combo!(ror, adc, abx),
            0x7B => combo!(ror, adc, aby),
            0x63 => combo!(ror, adc, izx),
            0x73 => combo!(ror, adc, izy),
            0xC7 => combo!(dec_raw, cmp_a, zp),
            0xD7 => combo!(dec_raw, cmp_a, zpx),
            0xCF => combo!(dec_raw, cmp_a, abs),
            0xDF => combo!(dec_raw, cmp_a, abx),
            0xDB => combo!(dec_raw, cmp_a, aby),
            0xC3 => combo!(dec_raw, cmp_a, izx),
            0xD3 => combo!(dec_raw, cmp_a, izy),
            0xE7 => combo!(inc_raw, sbc, zp),
            0xF7 => combo!(inc_raw, sbc, zpx),
            0xEF => combo!(inc_raw, sbc, abs),
            0xFF => combo!(inc_raw, sbc, abx),
            0xFB => combo!(inc_raw, sbc, aby),
            0xE3 => combo!(inc_raw, sbc, izx),
            0xF3 => combo!(inc_raw, sbc, izy),

            // ---- undocumented immediate operations ----
            0x0B | 0x2B => {
                let v = val!(imm);
                self.and(v);
                self.set_flag(C, self.a & 0x80 != 0);
            }
            0x4B => {
                let v = val!(imm);
                self.a &= v;
                self.a = self.lsr(self.a);
            }
            0x6B => {
                let v = val!(imm);
                self.arr(v);
            }
            0xCB => {
                let v = val!(imm);
                self.sbx(v);
            }
            0x8B => {
                let v = val!(imm);
                self.a = (self.a | UNSTABLE_MAGIC) & self.x & v;
                self.set_nz(self.a);
            }
            0xAB => {
                let v = val!(imm);
                self.lax((self.a | UNSTABLE_MAGIC) & v);
            }
            0xBB => {
                let v = val!(aby);
                let r = v & self.s;
                self.a = r;
                self.x = r;
                self.s = r;
                self.set_nz(r);
            }

            // ---- unstable stores (common model) ----
            0x93 => {
                let base = self.indirect_base(bus);
                self.unstable_store(bus, base, self.y, self.a & self.x);
            }
            0x9F => {
                let base = self.addr_abs(bus);
                self.unstable_store(bus, base, self.y, self.a & self.x);
            }
            0x9B => {
                let base = self.addr_abs(bus);
                self.s = self.a & self.x;
                self.unstable_store(bus, base, self.y, self.s);
            }
            0x9C => {
                let base = self.addr_abs(bus);
                self.unstable_store(bus, base, self.x, self.y);
            }
            0x9E => {
                let base = self.addr_abs(bus);
                self.unstable_store(bus, base, self.y, self.x);
            }

            // ---- JAM ----
            0x02 | 0x12 | 0x22 | 0x32 | 0x42 | 0x52 | 0x62 | 0x72 | 0x92 | 0xB2 | 0xD2 | 0xF2 => {
                self.jam(bus)
            }
        }
    }

    /// DEC without flags (DCP sets its flags through the compare).
    #[inline(always)]
    fn dec_raw(&mut self, v: u8) -> u8 {
        v.wrapping_sub(1)
    }

    /// INC without flags (ISC sets its flags through the subtraction).
    #[inline(always)]
    fn inc_raw(&mut self, v: u8) -> u8 {
        v.wrapping_add(1)
    }

    #[inline(always)]
    fn cmp_a(&mut self, v: u8) {
        self.compare(self.a, v);
    }
}
