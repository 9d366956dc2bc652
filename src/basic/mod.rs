//! # BASIC in memory: reading the interpreter's state out of RAM
//!
//! OSI BASIC (the original 1.0 rev 3.2 and the open one in `rom/basic/`, which keeps every
//! format) keeps its state in RAM at documented places; this module reads it with `peek`
//! (no side effects, no cycles), for the page's BASIC view and `superboard mon`.
//!
//! **Memory layout** (docs/debugger.md has the full picture): the program from TXTTAB ($0301),
//! simple variables from VARTAB (6 bytes each), arrays from ARYTAB up to STREND, free memory,
//! then string data from FRETOP up to MEMSIZ (strings grow down). CURLIN holds the line being
//! run ($FF in its high byte in direct mode); TXTPTR, inside the CHRGET routine copied to zero
//! page, is the interpreter's position in the text.
//!
//! - [`variables`]: simple variables, arrays, DEF FN definitions, string space, pointers.

pub mod variables;

/// Zero-page pointer: start of the program text ($0301).
pub const TXTTAB: u16 = 0x79;
/// Zero-page pointer: start of the simple variables (end of the program).
pub const VARTAB: u16 = 0x7B;
/// Zero-page pointer: start of the arrays.
pub const ARYTAB: u16 = 0x7D;
/// Zero-page pointer: end of the arrays (start of free memory).
pub const STREND: u16 = 0x7F;
/// Zero-page pointer: bottom of string space.
pub const FRETOP: u16 = 0x81;
/// Zero-page pointer: top of memory + 1 (top of string space).
pub const MEMSIZ: u16 = 0x85;
/// Zero-page word: the line being run; high byte $FF in direct mode.
pub const CURLIN: u16 = 0x87;
/// Zero-page word: the line CONT continues in.
pub const OLDLIN: u16 = 0x89;
/// Zero-page pointer: the next DATA item READ takes.
pub const DATPTR: u16 = 0x8F;
/// Zero-page pointer inside CHRGET: the interpreter's position in the text.
pub const TXTPTR: u16 = 0xC3;

/// Reads a little-endian word with `peek`.
pub fn peek_word(peek: &dyn Fn(u16) -> u8, addr: u16) -> u16 {
    u16::from_le_bytes([peek(addr), peek(addr.wrapping_add(1))])
}
