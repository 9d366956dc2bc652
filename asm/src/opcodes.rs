//! THE NMOS 6502 opcode table: one entry per opcode byte, shared by the assembler, the
//! disassembler and the CPU's tests.
//!
//! Each entry gives the mnemonic, the addressing mode, the instruction length, the base cycle
//! count, whether the page-crossing penalty applies, and whether the opcode is documented by
//! MOS. Undocumented opcodes carry their common names (LAX SAX DCP ISC SLO RLA SRE RRA ANC ALR
//! ARR SBX LAS SHA SHX SHY TAS XAA LXA, NOP for the multi-byte no-ops, JAM for the halting
//! opcodes, SBC for $EB).
//!
//! Cycle conventions:
//! - `cycles` is the count without any penalty.
//! - `page_penalty` on a read instruction (abs,X / abs,Y / (zp),Y, including the undocumented
//!   NOP abs,X, LAX, LAS) means one extra cycle when the indexed address crosses a page.
//!   Stores and read-modify-write instructions always take the extra cycle, so it is already in
//!   `cycles` and `page_penalty` is false.
//! - For branches (`Mode::Relative`) `page_penalty` is true and means: +1 cycle when the branch
//!   is taken, and another +1 when the target is in a different page from the next instruction.
//! - JAM: `cycles` is 2 (opcode fetch and the following read before the CPU halts); after that
//!   the CPU makes no progress until RESET.
//!
//! Several opcodes share a (mnemonic, mode) pair (the NOP variants, JAM, ANC $0B/$2B, SBC
//! $E9/$EB). [`opcode_for`] returns the canonical one the assembler emits; the others can only be
//! produced with `.byte`. [`is_canonical`] tells them apart.

/// 6502 addressing modes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// No operand: `CLC`.
    Implied,
    /// The accumulator: `ASL` or `ASL A`.
    Accumulator,
    /// `#$44`.
    Immediate,
    /// `$44`.
    ZeroPage,
    /// `$44,X`.
    ZeroPageX,
    /// `$44,Y`.
    ZeroPageY,
    /// `$4400`.
    Absolute,
    /// `$4400,X`.
    AbsoluteX,
    /// `$4400,Y`.
    AbsoluteY,
    /// `($4400)` (JMP only).
    Indirect,
    /// `($44,X)`.
    IndirectX,
    /// `($44),Y`.
    IndirectY,
    /// Branch target, encoded as a signed 8-bit offset from the next instruction.
    Relative,
}

impl Mode {
    /// Every mode, in declaration order.
    pub const ALL: [Mode; 13] = [
        Mode::Implied,
        Mode::Accumulator,
        Mode::Immediate,
        Mode::ZeroPage,
        Mode::ZeroPageX,
        Mode::ZeroPageY,
        Mode::Absolute,
        Mode::AbsoluteX,
        Mode::AbsoluteY,
        Mode::Indirect,
        Mode::IndirectX,
        Mode::IndirectY,
        Mode::Relative,
    ];

    /// Instruction length in bytes, opcode included.
    pub const fn instruction_len(self) -> u8 {
        match self {
            Mode::Implied | Mode::Accumulator => 1,
            Mode::Immediate
            | Mode::ZeroPage
            | Mode::ZeroPageX
            | Mode::ZeroPageY
            | Mode::IndirectX
            | Mode::IndirectY
            | Mode::Relative => 2,
            Mode::Absolute | Mode::AbsoluteX | Mode::AbsoluteY | Mode::Indirect => 3,
        }
    }

    /// The absolute counterpart of a zero-page mode (and the mode itself otherwise).
    pub const fn widened(self) -> Mode {
        match self {
            Mode::ZeroPage => Mode::Absolute,
            Mode::ZeroPageX => Mode::AbsoluteX,
            Mode::ZeroPageY => Mode::AbsoluteY,
            other => other,
        }
    }
}

/// One opcode's properties.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Opcode {
    /// The opcode byte.
    pub code: u8,
    /// Upper-case mnemonic.
    pub mnemonic: &'static str,
    /// Addressing mode.
    pub mode: Mode,
    /// Length in bytes (always `mode.instruction_len()`).
    pub len: u8,
    /// Base cycle count (see the module documentation for the conventions).
    pub cycles: u8,
    /// Whether the page-crossing (or, for branches, taken/crossing) penalty applies.
    pub page_penalty: bool,
    /// Documented by MOS.
    pub documented: bool,
}

use Mode::*;

const fn op(
    code: u8,
    mnemonic: &'static str,
    mode: Mode,
    cycles: u8,
    page_penalty: bool,
    documented: bool,
) -> Opcode {
    Opcode {
        code,
        mnemonic,
        mode,
        len: mode.instruction_len(),
        cycles,
        page_penalty,
        documented,
    }
}

/// Documented opcode.
const fn d(code: u8, mnemonic: &'static str, mode: Mode, cycles: u8, penalty: bool) -> Opcode {
    op(code, mnemonic, mode, cycles, penalty, true)
}

/// Undocumented opcode.
const fn u(code: u8, mnemonic: &'static str, mode: Mode, cycles: u8, penalty: bool) -> Opcode {
    op(code, mnemonic, mode, cycles, penalty, false)
}

/// The 256 opcodes, indexed by opcode byte.
pub static OPCODES: [Opcode; 256] = [
    d(0x00, "BRK", Implied, 7, false),
    d(0x01, "ORA", IndirectX, 6, false),
    u(0x02, "JAM", Implied, 2, false),
    u(0x03, "SLO", IndirectX, 8, false),
    u(0x04, "NOP", ZeroPage, 3, false),
    d(0x05, "ORA", ZeroPage, 3, false),
    d(0x06, "ASL", ZeroPage, 5, false),
    u(0x07, "SLO", ZeroPage, 5, false),
    d(0x08, "PHP", Implied, 3, false),
    d(0x09, "ORA", Immediate, 2, false),
    d(0x0A, "ASL", Accumulator, 2, false),
    u(0x0B, "ANC", Immediate, 2, false),
    u(0x0C, "NOP", Absolute, 4, false),
    d(0x0D, "ORA", Absolute, 4, false),
    d(0x0E, "ASL", Absolute, 6, false),
    u(0x0F, "SLO", Absolute, 6, false),
    d(0x10, "BPL", Relative, 2, true),
    d(0x11, "ORA", IndirectY, 5, true),
    u(0x12, "JAM", Implied, 2, false),
    u(0x13, "SLO", IndirectY, 8, false),
    u(0x14, "NOP", ZeroPageX, 4, false),
    d(0x15, "ORA", ZeroPageX, 4, false),
    d(0x16, "ASL", ZeroPageX, 6, false),
    u(0x17, "SLO", ZeroPageX, 6, false),
    d(0x18, "CLC", Implied, 2, false),
    d(0x19, "ORA", AbsoluteY, 4, true),
    u(0x1A, "NOP", Implied, 2, false),
    u(0x1B, "SLO", AbsoluteY, 7, false),
    u(0x1C, "NOP", AbsoluteX, 4, true),
    d(0x1D, "ORA", AbsoluteX, 4, true),
    d(0x1E, "ASL", AbsoluteX, 7, false),
    u(0x1F, "SLO", AbsoluteX, 7, false),
    d(0x20, "JSR", Absolute, 6, false),
    d(0x21, "AND", IndirectX, 6, false),
    u(0x22, "JAM", Implied, 2, false),
    u(0x23, "RLA", IndirectX, 8, false),
    d(0x24, "BIT", ZeroPage, 3, false),
    d(0x25, "AND", ZeroPage, 3, false),
    d(0x26, "ROL", ZeroPage, 5, false),
    u(0x27, "RLA", ZeroPage, 5, false),
    d(0x28, "PLP", Implied, 4, false),
    d(0x29, "AND", Immediate, 2, false),
    d(0x2A, "ROL", Accumulator, 2, false),
    u(0x2B, "ANC", Immediate, 2, false),
    d(0x2C, "BIT", Absolute, 4, false),
    d(0x2D, "AND", Absolute, 4, false),
    d(0x2E, "ROL", Absolute, 6, false),
    u(0x2F, "RLA", Absolute, 6, false),
    d(0x30, "BMI", Relative, 2, true),
    d(0x31, "AND", IndirectY, 5, true),
    u(0x32, "JAM", Implied, 2, false),
    u(0x33, "RLA", IndirectY, 8, false),
    u(0x34, "NOP", ZeroPageX, 4, false),
    d(0x35, "AND", ZeroPageX, 4, false),
    d(0x36, "ROL", ZeroPageX, 6, false),
    u(0x37, "RLA", ZeroPageX, 6, false),
    d(0x38, "SEC", Implied, 2, false),
    d(0x39, "AND", AbsoluteY, 4, true),
    u(0x3A, "NOP", Implied, 2, false),
    u(0x3B, "RLA", AbsoluteY, 7, false),
    u(0x3C, "NOP", AbsoluteX, 4, true),
    d(0x3D, "AND", AbsoluteX, 4, true),
    d(0x3E, "ROL", AbsoluteX, 7, false),
    u(0x3F, "RLA", AbsoluteX, 7, false),
    d(0x40, "RTI", Implied, 6, false),
    d(0x41, "EOR", IndirectX, 6, false),
    u(0x42, "JAM", Implied, 2, false),
    u(0x43, "SRE", IndirectX, 8, false),
    u(0x44, "NOP", ZeroPage, 3, false),
    d(0x45, "EOR", ZeroPage, 3, false),
    d(0x46, "LSR", ZeroPage, 5, false),
    u(0x47, "SRE", ZeroPage, 5, false),
    d(0x48, "PHA", Implied, 3, false),
    d(0x49, "EOR", Immediate, 2, false),
    d(0x4A, "LSR", Accumulator, 2, false),
    u(0x4B, "ALR", Immediate, 2, false),
    d(0x4C, "JMP", Absolute, 3, false),
    d(0x4D, "EOR", Absolute, 4, false),
    d(0x4E, "LSR", Absolute, 6, false),
    u(0x4F, "SRE", Absolute, 6, false),
    d(0x50, "BVC", Relative, 2, true),
    d(0x51, "EOR", IndirectY, 5, true),
    u(0x52, "JAM", Implied, 2, false),
    u(0x53, "SRE", IndirectY, 8, false),
    u(0x54, "NOP", ZeroPageX, 4, false),
    d(0x55, "EOR", ZeroPageX, 4, false),
    d(0x56, "LSR", ZeroPageX, 6, false),
    u(0x57, "SRE", ZeroPageX, 6, false),
    d(0x58, "CLI", Implied, 2, false),
    d(0x59, "EOR", AbsoluteY, 4, true),
    u(0x5A, "NOP", Implied, 2, false),
    u(0x5B, "SRE", AbsoluteY, 7, false),
    u(0x5C, "NOP", AbsoluteX, 4, true),
    d(0x5D, "EOR", AbsoluteX, 4, true),
    d(0x5E, "LSR", AbsoluteX, 7, false),
    u(0x5F, "SRE", AbsoluteX, 7, false),
    d(0x60, "RTS", Implied, 6, false),
    d(0x61, "ADC", IndirectX, 6, false),
    u(0x62, "JAM", Implied, 2, false),
    u(0x63, "RRA", IndirectX, 8, false),
    u(0x64, "NOP", ZeroPage, 3, false),
    d(0x65, "ADC", ZeroPage, 3, false),
    d(0x66, "ROR", ZeroPage, 5, false),
    u(0x67, "RRA", ZeroPage, 5, false),
    d(0x68, "PLA", Implied, 4, false),
    d(0x69, "ADC", Immediate, 2, false),
    d(0x6A, "ROR", Accumulator, 2, false),
    u(0x6B, "ARR", Immediate, 2, false),
    d(0x6C, "JMP", Indirect, 5, false),
    d(0x6D, "ADC", Absolute, 4, false),
    d(0x6E, "ROR", Absolute, 6, false),
    u(0x6F, "RRA", Absolute, 6, false),
    d(0x70, "BVS", Relative, 2, true),
    d(0x71, "ADC", IndirectY, 5, true),
    u(0x72, "JAM", Implied, 2, false),
    u(0x73, "RRA", IndirectY, 8, false),
    u(0x74, "NOP", ZeroPageX, 4, false),
    d(0x75, "ADC", ZeroPageX, 4, false),
    d(0x76, "ROR", ZeroPageX, 6, false),
    u(0x77, "RRA", ZeroPageX, 6, false),
    d(0x78, "SEI", Implied, 2, false),
    d(0x79, "ADC", AbsoluteY, 4, true),
    u(0x7A, "NOP", Implied, 2, false),
    u(0x7B, "RRA", AbsoluteY, 7, false),
    u(0x7C, "NOP", AbsoluteX, 4, true),
    d(0x7D, "ADC", AbsoluteX, 4, true),
    d(0x7E, "ROR", AbsoluteX, 7, false),
    u(0x7F, "RRA", AbsoluteX, 7, false),
    u(0x80, "NOP", Immediate, 2, false),
    d(0x81, "STA", IndirectX, 6, false),
    u(0x82, "NOP", Immediate, 2, false),
    u(0x83, "SAX", IndirectX, 6, false),
    d(0x84, "STY", ZeroPage, 3, false),
    d(0x85, "STA", ZeroPage, 3, false),
    d(0x86, "STX", ZeroPage, 3, false),
    u(0x87, "SAX", ZeroPage, 3, false),
    d(0x88, "DEY", Implied, 2, false),
    u(0x89, "NOP", Immediate, 2, false),
    d(0x8A, "TXA", Implied, 2, false),
    u(0x8B, "XAA", Immediate, 2, false),
    d(0x8C, "STY", Absolute, 4, false),
    d(0x8D, "STA", Absolute, 4, false),
    d(0x8E, "STX", Absolute, 4, false),
    u(0x8F, "SAX", Absolute, 4, false),
    d(0x90, "BCC", Relative, 2, true),
    d(0x91, "STA", IndirectY, 6, false),
    u(0x92, "JAM", Implied, 2, false),
    u(0x93, "SHA", IndirectY, 6, false),
    d(0x94, "STY", ZeroPageX, 4, false),
    d(0x95, "STA", ZeroPageX, 4, false),
    d(0x96, "STX", ZeroPageY, 4, false),
    u(0x97, "SAX", ZeroPageY, 4, false),
    d(0x98, "TYA", Implied, 2, false),
    d(0x99, "STA", AbsoluteY, 5, false),
    d(0x9A, "TXS", Implied, 2, false),
    u(0x9B, "TAS", AbsoluteY, 5, false),
    u(0x9C, "SHY", AbsoluteX, 5, false),
    d(0x9D, "STA", AbsoluteX, 5, false),
    u(0x9E, "SHX", AbsoluteY, 5, false),
    u(0x9F, "SHA", AbsoluteY, 5, false),
    d(0xA0, "LDY", Immediate, 2, false),
    d(0xA1, "LDA", IndirectX, 6, false),
    d(0xA2, "LDX", Immediate, 2, false),
    u(0xA3, "LAX", IndirectX, 6, false),
    d(0xA4, "LDY", ZeroPage, 3, false),
    d(0xA5, "LDA", ZeroPage, 3, false),
    d(0xA6, "LDX", ZeroPage, 3, false),
    u(0xA7, "LAX", ZeroPage, 3, false),
    d(0xA8, "TAY", Implied, 2, false),
    d(0xA9, "LDA", Immediate, 2, false),
    d(0xAA, "TAX", Implied, 2, false),
    u(0xAB, "LXA", Immediate, 2, false),
    d(0xAC, "LDY", Absolute, 4, false),
    d(0xAD, "LDA", Absolute, 4, false),
    d(0xAE, "LDX", Absolute, 4, false),
    u(0xAF, "LAX", Absolute, 4, false),
    d(0xB0, "BCS", Relative, 2, true),
    d(0xB1, "LDA", IndirectY, 5, true),
    u(0xB2, "JAM", Implied, 2, false),
    u(0xB3, "LAX", IndirectY, 5, true),
    d(0xB4, "LDY", ZeroPageX, 4, false),
    d(0xB5, "LDA", ZeroPageX, 4, false),
    d(0xB6, "LDX", ZeroPageY, 4, false),
    u(0xB7, "LAX", ZeroPageY, 4, false),
    d(0xB8, "CLV", Implied, 2, false),
    d(0xB9, "LDA", AbsoluteY, 4, true),
    d(0xBA, "TSX", Implied, 2, false),
    u(0xBB, "LAS", AbsoluteY, 4, true),
    d(0xBC, "LDY", AbsoluteX, 4, true),
    d(0xBD, "LDA", AbsoluteX, 4, true),
    d(0xBE, "LDX", AbsoluteY, 4, true),
    u(0xBF, "LAX", AbsoluteY, 4, true),
    d(0xC0, "CPY", Immediate, 2, false),
    d(0xC1, "CMP", IndirectX, 6, false),
    u(0xC2, "NOP", Immediate, 2, false),
    u(0xC3, "DCP", IndirectX, 8, false),
    d(0xC4, "CPY", ZeroPage, 3, false),
    d(0xC5, "CMP", ZeroPage, 3, false),
    d(0xC6, "DEC", ZeroPage, 5, false),
    u(0xC7, "DCP", ZeroPage, 5, false),
    d(0xC8, "INY", Implied, 2, false),
    d(0xC9, "CMP", Immediate, 2, false),
    d(0xCA, "DEX", Implied, 2, false),
    u(0xCB, "SBX", Immediate, 2, false),
    d(0xCC, "CPY", Absolute, 4, false),
    d(0xCD, "CMP", Absolute, 4, false),
    d(0xCE, "DEC", Absolute, 6, false),
    u(0xCF, "DCP", Absolute, 6, false),
    d(0xD0, "BNE", Relative, 2, true),
    d(0xD1, "CMP", IndirectY, 5, true),
    u(0xD2, "JAM", Implied, 2, false),
    u(0xD3, "DCP", IndirectY, 8, false),
    u(0xD4, "NOP", ZeroPageX, 4, false),
    d(0xD5, "CMP", ZeroPageX, 4, false),
    d(0xD6, "DEC", ZeroPageX, 6, false),
    u(0xD7, "DCP", ZeroPageX, 6, false),
    d(0xD8, "CLD", Implied, 2, false),
    d(0xD9, "CMP", AbsoluteY, 4, true),
    u(0xDA, "NOP", Implied, 2, false),
    u(0xDB, "DCP", AbsoluteY, 7, false),
    u(0xDC, "NOP", AbsoluteX, 4, true),
    d(0xDD, "CMP", AbsoluteX, 4, true),
    d(0xDE, "DEC", AbsoluteX, 7, false),
    u(0xDF, "DCP", AbsoluteX, 7, false),
    d(0xE0, "CPX", Immediate, 2, false),
    d(0xE1, "SBC", IndirectX, 6, false),
    u(0xE2, "NOP", Immediate, 2, false),
    u(0xE3, "ISC", IndirectX, 8, false),
    d(0xE4, "CPX", ZeroPage, 3, false),
    d(0xE5, "SBC", ZeroPage, 3, false),
    d(0xE6, "INC", ZeroPage, 5, false),
    u(0xE7, "ISC", ZeroPage, 5, false),
    d(0xE8, "INX", Implied, 2, false),
    d(0xE9, "SBC", Immediate, 2, false),
    d(0xEA, "NOP", Implied, 2, false),
    u(0xEB, "SBC", Immediate, 2, false),
    d(0xEC, "CPX", Absolute, 4, false),
    d(0xED, "SBC", Absolute, 4, false),
    d(0xEE, "INC", Absolute, 6, false),
    u(0xEF, "ISC", Absolute, 6, false),
    d(0xF0, "BEQ", Relative, 2, true),
    d(0xF1, "SBC", IndirectY, 5, true),
    u(0xF2, "JAM", Implied, 2, false),
    u(0xF3, "ISC", IndirectY, 8, false),
    u(0xF4, "NOP", ZeroPageX, 4, false),
    d(0xF5, "SBC", ZeroPageX, 4, false),
    d(0xF6, "INC", ZeroPageX, 6, false),
    u(0xF7, "ISC", ZeroPageX, 6, false),
    d(0xF8, "SED", Implied, 2, false),
    d(0xF9, "SBC", AbsoluteY, 4, true),
    u(0xFA, "NOP", Implied, 2, false),
    u(0xFB, "ISC", AbsoluteY, 7, false),
    u(0xFC, "NOP", AbsoluteX, 4, true),
    d(0xFD, "SBC", AbsoluteX, 4, true),
    d(0xFE, "INC", AbsoluteX, 7, false),
    u(0xFF, "ISC", AbsoluteX, 7, false),
];

/// Accepted alternative spellings of undocumented mnemonics, mapped to the table's names.
const ALIASES: [(&str, &str); 5] = [
    ("ANE", "XAA"),
    ("ISB", "ISC"),
    ("AXS", "SBX"),
    ("ASR", "ALR"),
    ("KIL", "JAM"),
];

/// The table entry for an opcode byte.
pub fn opcode(code: u8) -> &'static Opcode {
    &OPCODES[usize::from(code)]
}

/// The table's spelling of a mnemonic (case-insensitive, aliases resolved), if it is one.
pub fn canonical_mnemonic(name: &str) -> Option<&'static str> {
    let upper = name.to_ascii_uppercase();
    let wanted = ALIASES
        .iter()
        .find(|(alias, _)| *alias == upper)
        .map_or(upper.as_str(), |(_, real)| real);
    OPCODES
        .iter()
        .find(|o| o.mnemonic == wanted)
        .map(|o| o.mnemonic)
}

/// Whether `name` is a mnemonic (case-insensitive, aliases included).
pub fn is_mnemonic(name: &str) -> bool {
    canonical_mnemonic(name).is_some()
}

/// The opcode the assembler emits for a mnemonic (case-insensitive) in a mode: the documented
/// one if there is one, otherwise the lowest opcode byte with that pair.
pub fn opcode_for(mnemonic: &str, mode: Mode) -> Option<&'static Opcode> {
    let name = canonical_mnemonic(mnemonic)?;
    let mut candidates = OPCODES
        .iter()
        .filter(|o| o.mnemonic == name && o.mode == mode);
    let first = candidates.next()?;
    if first.documented {
        return Some(first);
    }
    Some(
        OPCODES
            .iter()
            .find(|o| o.mnemonic == name && o.mode == mode && o.documented)
            .unwrap_or(first),
    )
}

/// The modes a mnemonic (case-insensitive) exists in.
pub fn modes_of(mnemonic: &str) -> Vec<Mode> {
    let Some(name) = canonical_mnemonic(mnemonic) else {
        return Vec::new();
    };
    let mut modes: Vec<Mode> = OPCODES
        .iter()
        .filter(|o| o.mnemonic == name)
        .map(|o| o.mode)
        .collect();
    modes.sort();
    modes.dedup();
    modes
}

/// Whether the assembler reproduces this opcode from its mnemonic and mode (false for the
/// duplicate NOP, JAM, ANC and SBC encodings).
pub fn is_canonical(code: u8) -> bool {
    let o = opcode(code);
    opcode_for(o.mnemonic, o.mode).is_some_and(|c| c.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_indexed_by_code() {
        for (i, o) in OPCODES.iter().enumerate() {
            assert_eq!(usize::from(o.code), i);
            assert_eq!(o.len, o.mode.instruction_len());
        }
    }

    #[test]
    fn documented_count_is_151() {
        assert_eq!(OPCODES.iter().filter(|o| o.documented).count(), 151);
    }

    #[test]
    fn canonical_choices() {
        assert_eq!(opcode_for("nop", Implied).map(|o| o.code), Some(0xEA));
        assert_eq!(opcode_for("SBC", Immediate).map(|o| o.code), Some(0xE9));
        assert_eq!(opcode_for("NOP", Immediate).map(|o| o.code), Some(0x80));
        assert_eq!(opcode_for("JAM", Implied).map(|o| o.code), Some(0x02));
        assert_eq!(opcode_for("ANE", Immediate).map(|o| o.code), Some(0x8B));
        assert!(!is_canonical(0xEB));
        assert!(!is_canonical(0x1A));
        assert!(is_canonical(0x04));
        assert_eq!(
            (0..=255u8).filter(|&c| !is_canonical(c)).count(),
            6 + 11 + 4 + 2 + 5 + 5 + 1 + 1
        );
    }
}
