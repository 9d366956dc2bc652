//! `superboard disasm`: disassemble a binary, as a listing or as source that reassembles to the
//! same bytes.
use std::path::PathBuf;

use clap::Args;
use superboard_asm::disasm::{disassemble, disassemble_source};
use superboard_asm::symbols::parse_symbols;

use super::parse_addr;

/// Disassemble a 6502 binary.
#[derive(Args)]
pub struct DisasmArgs {
    /// The binary.
    pub file: PathBuf,
    /// Address of the file's first byte ($hex, 0xhex or decimal).
    #[arg(long, value_parser = parse_addr)]
    pub org: u16,
    /// First address to disassemble (default: the start of the file).
    #[arg(long, value_parser = parse_addr)]
    pub from: Option<u16>,
    /// Last address to disassemble (default: the end of the file).
    #[arg(long, value_parser = parse_addr)]
    pub to: Option<u16>,
    /// Symbol file (`NAME = $XXXX` per line) for labels and operands.
    #[arg(long)]
    pub symbols: Option<PathBuf>,
    /// Print assembler source that `superboard asm` turns back into the same bytes.
    #[arg(long)]
    pub source: bool,
}

/// Runs the subcommand; returns the exit status.
pub fn run(args: DisasmArgs) -> i32 {
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", args.file.display());
            return 1;
        }
    };
    let symbols = match &args.symbols {
        None => None,
        Some(path) => {
            let parsed = std::fs::read_to_string(path)
                .map_err(|e| e.to_string())
                .and_then(|text| parse_symbols(&text).map_err(|e| e.to_string()));
            match parsed {
                Ok(s) => Some(s),
                Err(e) => {
                    eprintln!("error: symbol file {}: {e}", path.display());
                    return 1;
                }
            }
        }
    };
    let text = if args.source {
        disassemble_source(&bytes, args.org, args.from, args.to, symbols.as_ref())
    } else {
        disassemble(&bytes, args.org, args.from, args.to, symbols.as_ref())
    };
    match text {
        Ok(t) => {
            print!("{t}");
            0
        }
        Err(e) => {
            eprintln!("error: {}: {e}", args.file.display());
            1
        }
    }
}
