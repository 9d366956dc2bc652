//! # superboard-asm
//!
//! The 6502 tools of the superboard project, std only:
//! - [`opcodes`]: THE NMOS 6502 opcode table (256 entries with mnemonic, mode, length, cycles,
//!   page-crossing penalty, documented or not), shared by the assembler, the disassembler and
//!   the CPU's tests. Lookup by byte ([`opcode`]) or by mnemonic and mode ([`opcode_for`]).
//! - the assembler: [`assemble_file`], [`assemble_source`], [`assemble_with`] (any
//!   [`SourceLoader`], e.g. [`MemoryFiles`]) give an [`Assembly`] (bytes by address, image cut,
//!   listing, symbol file) or a list of [`Diagnostic`]s (file, line, column, caret rendering).
//! - [`disasm`]: listing disassembly, and source output that reassembles to the same bytes.
//! - [`symbols`]: symbol files, `NAME = $XXXX` per line.
//! - [`chargen`]: the character-set text grids of `rom/chargen.txt` → the 2K image.
//! - [`rom_build`]: what the main crate's build script runs to turn `rom/` into images.
//!
//! ## Source syntax (ca65-flavoured)
//!
//! One statement per line; `;` starts a comment. Mnemonics and directives are case-insensitive;
//! labels, constants and macro names are case-sensitive.
//!
//! - `name:` global label. `@name:` local label, scoped to the previous global label (the same
//!   local name may be reused under another global label). Inside a macro, `@name` is scoped to
//!   that one expansion.
//! - `NAME = expr` constant (also `:=`). Defining any name twice is an error. A constant may
//!   use names defined further down, in chains of any length (`c0 = c1 + 1` … `cN = 1`); a
//!   circular definition is an error at the definition that closes the loop.
//! - Numbers `$1F` `%1010` `42` `'c'` (escapes `\n \r \t \0 \\ \' \"`); `*` is the current
//!   address.
//! - Operators, loosest first (ca65 precedence): `||`; `&&`; `= <> < > <= >=` (1 or 0);
//!   `+ - |`; `* / & ^ << >>`; unary `- + ~ ! <` (low byte) `>` (high byte); `( )`.
//!   Note `1 + 2 << 3` is 17 here, as in ca65. Division by zero is an error.
//! - Operands: none (implied, or the accumulator), `A`, `#expr`, `expr`, `expr,X`, `expr,Y`,
//!   `(expr)`, `(expr,X)`, `(expr),Y`; branches take the target address. Zero page is chosen
//!   when the value is known at that point and fits; a forward reference takes the absolute
//!   form, and that choice is kept. `a:expr` forces absolute, `z:expr` zero page. An operand
//!   starting with `(` and ending with `)` is indirect (`sta (addr)` is an error, as in ca65).
//! - Undocumented opcodes by their common names: LAX SAX DCP ISC (ISB) SLO RLA SRE RRA ANC ALR
//!   (ASR) ARR SBX (AXS) LAS SHA SHX SHY TAS XAA (ANE) LXA, NOP with operands, JAM (KIL).
//! - `.org expr` sets the address. `.byte`/`.text` take numbers (-128..255) and "strings";
//!   `.word` takes 16-bit values (little-endian). `.res n, fill` places `n` fill bytes;
//!   `.res n` only reserves `n` addresses (nothing is placed, so images keep their fill byte
//!   there, which lets a ROM source declare RAM variables).
//! - `.include "file"`: path relative to the including file.
//! - `.if expr` / `.else` / `.endif`, nestable. `.org`, `.res` counts and `.if` conditions
//!   must only use symbols defined above them (no forward references).
//! - `.macro name p1, p2` ... `.endmacro`; invoked as `name arg1, arg2` (arguments split at
//!   commas outside parentheses; missing ones are empty). Macros must be defined before use.
//! - `.assert expr, "message"`: an error with the message when `expr` is 0 (checked with final
//!   values, so forward references are fine).
//! - Two statements placing bytes at the same address is an error, as is code beyond $FFFF.

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
