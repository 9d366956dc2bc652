//! 6502 assembler and disassembler, and THE opcode table shared by the assembler, the
//! disassembler and the CPU's tests.

pub mod chargen;
