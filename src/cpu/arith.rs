//! ALU operations: binary and NMOS decimal ADC/SBC, compares, shifts and the undocumented
//! combined operations. Register-only: the bus cycles live in `execute.rs`.
//!
//! NMOS decimal mode (derived from the chip's behaviour as documented in the 6502.org decimal
//! mode tutorial, appendix A):
//! - ADC: the low nibble is fixed up first (+6 above 9, carrying into the high nibble); N and V
//!   come from that intermediate sum, Z from the plain binary sum; then the high nibble is
//!   fixed up (+$60 above $9F) and gives C.
//! - SBC: all flags from the binary difference; the result is nibble-corrected (-6 / -$60).

use super::{Cpu, C, D, N, V, Z};

impl Cpu {
    /// ADC: A + value + C.
    #[inline(always)]
    pub(super) fn adc(&mut self, value: u8) {
        if self.p & D != 0 {
            self.adc_decimal(value);
            return;
        }
        let a = self.a as u16;
        let sum = a + value as u16 + (self.p & C) as u16;
        let result = sum as u8;
        let overflow = (!(self.a ^ value) & (self.a ^ result) & 0x80) != 0;
        self.p = (self.p & !(C | V)) | ((sum >> 8) as u8) | ((overflow as u8) << 6);
        self.a = result;
        self.set_nz(result);
    }

    #[inline(never)]
    fn adc_decimal(&mut self, value: u8) {
        let a = self.a as u16;
        let m = value as u16;
        let carry = (self.p & C) as u16;
        let binary = (a + m + carry) as u8;
        let mut lo = (a & 0x0F) + (m & 0x0F) + carry;
        if lo > 0x09 {
            lo = ((lo + 0x06) & 0x0F) + 0x10;
        }
        let mut sum = (a & 0xF0) + (m & 0xF0) + lo;
        let intermediate = sum as u8;
        let overflow = (!(self.a ^ value) & (self.a ^ intermediate) & 0x80) != 0;
        if sum > 0x9F {
            sum += 0x60;
        }
        self.p &= !(N | V | Z | C);
        self.p |= (intermediate & N)
            | ((overflow as u8) << 6)
            | (((binary == 0) as u8) << 1)
            | ((sum > 0xFF) as u8);
        self.a = sum as u8;
    }

    /// SBC: A - value - !C.
    #[inline(always)]
    pub(super) fn sbc(&mut self, value: u8) {
        if self.p & D != 0 {
            self.sbc_decimal(value);
            return;
        }
        self.adc(!value);
    }

    #[inline(never)]
    fn sbc_decimal(&mut self, value: u8) {
        let a = self.a as i16;
        let m = value as i16;
        let borrow = 1 - (self.p & C) as i16;
        let mut lo = (a & 0x0F) - (m & 0x0F) - borrow;
        if lo < 0 {
            lo = ((lo - 0x06) & 0x0F) - 0x10;
        }
        let mut result = (a & 0xF0) - (m & 0xF0) + lo;
        if result < 0 {
            result -= 0x60;
        }
        // Flags are exactly those of the binary subtraction.
        let decimal = result as u8;
        self.p &= !D;
        self.adc(!value);
        self.p |= D;
        self.a = decimal;
    }

    /// CMP/CPX/CPY: register - value, setting N, Z, C.
    #[inline(always)]
    pub(super) fn compare(&mut self, register: u8, value: u8) {
        let diff = register.wrapping_sub(value);
        self.set_nz(diff);
        self.set_flag(C, register >= value);
    }

    #[inline(always)]
    pub(super) fn asl(&mut self, value: u8) -> u8 {
        self.set_flag(C, value & 0x80 != 0);
        let r = value << 1;
        self.set_nz(r);
        r
    }

    #[inline(always)]
    pub(super) fn lsr(&mut self, value: u8) -> u8 {
        self.set_flag(C, value & 0x01 != 0);
        let r = value >> 1;
        self.set_nz(r);
        r
    }

    #[inline(always)]
    pub(super) fn rol(&mut self, value: u8) -> u8 {
        let r = (value << 1) | (self.p & C);
        self.set_flag(C, value & 0x80 != 0);
        self.set_nz(r);
        r
    }

    #[inline(always)]
    pub(super) fn ror(&mut self, value: u8) -> u8 {
        let r = (value >> 1) | ((self.p & C) << 7);
        self.set_flag(C, value & 0x01 != 0);
        self.set_nz(r);
        r
    }

    #[inline(always)]
    pub(super) fn inc(&mut self, value: u8) -> u8 {
        let r = value.wrapping_add(1);
        self.set_nz(r);
        r
    }

    #[inline(always)]
    pub(super) fn dec(&mut self, value: u8) -> u8 {
        let r = value.wrapping_sub(1);
        self.set_nz(r);
        r
    }

    #[inline(always)]
    pub(super) fn bit(&mut self, value: u8) {
        self.p =
            (self.p & !(N | V | Z)) | (value & (N | V)) | ((((self.a & value) == 0) as u8) << 1);
    }

    /// ARR: AND, then ROR A, with flags from the adder's point of view. In decimal mode the
    /// NMOS chip also applies BCD fix-ups to the rotated value.
    pub(super) fn arr(&mut self, value: u8) {
        let t = self.a & value;
        let carry_in = self.p & C;
        let r = (t >> 1) | (carry_in << 7);
        if self.p & D == 0 {
            self.set_nz(r);
            self.set_flag(C, r & 0x40 != 0);
            self.set_flag(V, ((r >> 6) ^ (r >> 5)) & 1 != 0);
            self.a = r;
            return;
        }
        self.set_nz(r);
        self.set_flag(V, (r ^ t) & 0x40 != 0);
        let mut out = r;
        if (t & 0x0F) + (t & 0x01) > 0x05 {
            out = (out & 0xF0) | (out.wrapping_add(0x06) & 0x0F);
        }
        let high_fix = (t as u16 & 0xF0) + (t as u16 & 0x10) > 0x50;
        if high_fix {
            out = out.wrapping_add(0x60);
        }
        self.set_flag(C, high_fix);
        self.a = out;
    }

    /// SBX (AXS): X = (A & X) - value, flags as CMP, no decimal mode.
    pub(super) fn sbx(&mut self, value: u8) {
        let t = self.a & self.x;
        self.compare(t, value);
        self.x = t.wrapping_sub(value);
    }
}
