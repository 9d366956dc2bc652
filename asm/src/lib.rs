//! # superboard-asm
//!
//! The 6502 tools of the superboard project, std only:
//! - [`opcodes`]: THE NMOS 6502 opcode table (256 entries with mnemonic, mode, length, cycles,
//!   page-crossing penalty, documented or not), shared by the assembler, the disassembler and
//!   the CPU's tests.
//! - the assembler ([`assemble_file`], [`assemble_source`], [`assemble_with`]), ca65-flavoured:
//!   `label:`, `@local:`, `NAME = expr`, `*`, `.org .byte .text .word .res .include .if/.else/.endif
//!   .macro/.endmacro .assert`, `<`/`>` low/high byte, `a:` to force absolute, `$hex %bin 'c'`.
//!   Errors come back as [`Diagnostic`]s with file, line and column, several per run.
//! - the disassembler ([`disasm`]), which can also write source that reassembles to the same
//!   bytes.
//! - symbol files ([`symbols`]): `NAME = $XXXX` per line.
//! - [`chargen`]: the character-set text grids of `rom/chargen.txt` → the 2K image.
//! - [`rom_build`]: what the main crate's build script runs to turn `rom/` into images.

mod assembler;
pub mod chargen;
mod diagnostic;
pub mod disasm;
mod expr;
mod lexer;
pub mod opcodes;
pub mod rom_build;
pub mod symbols;

pub use assembler::{
    assemble_file, assemble_source, assemble_with, Assembly, FileSystem, ImageError, MemoryFiles,
    Options, SourceLoader,
};
pub use diagnostic::{render_all, Diagnostic, ErrorKind};
pub use opcodes::{opcode, opcode_for, Mode, Opcode, OPCODES};
