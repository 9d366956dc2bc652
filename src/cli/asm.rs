//! `superboard asm`: assemble a source file into a binary image, optionally with a listing and
//! a symbol file.
use std::path::PathBuf;

use clap::Args;
use superboard_asm::{assemble_file, render_all, Options};

use super::parse_addr;

/// Assemble 6502 source (ca65-flavoured) into a binary.
#[derive(Args)]
pub struct AsmArgs {
    /// Top source file.
    pub source: PathBuf,
    /// Output binary.
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    /// Address assembly starts at before any `.org` ($hex, 0xhex or decimal).
    #[arg(long, value_parser = parse_addr)]
    pub org: Option<u16>,
    /// First address of the output (default: lowest assembled address).
    #[arg(long, value_parser = parse_addr)]
    pub from: Option<u16>,
    /// Last address of the output (default: highest assembled address).
    #[arg(long, value_parser = parse_addr)]
    pub to: Option<u16>,
    /// Byte for addresses inside the range that nothing was assembled to.
    #[arg(long, value_parser = parse_byte, default_value = "0xFF")]
    pub fill: u8,
    /// Write the listing here.
    #[arg(long)]
    pub listing: Option<PathBuf>,
    /// Write the symbol file (`NAME = $XXXX` per line) here.
    #[arg(long)]
    pub symbols: Option<PathBuf>,
}

fn parse_byte(text: &str) -> Result<u8, String> {
    let value = parse_addr(text)?;
    u8::try_from(value).map_err(|_| format!("{text} does not fit in a byte"))
}

/// Runs the subcommand; returns the exit status.
pub fn run(args: AsmArgs) -> i32 {
    let options = Options {
        origin: args.org.unwrap_or(0),
    };
    let assembly = match assemble_file(&args.source, &options) {
        Ok(a) => a,
        Err(diags) => {
            eprint!("{}", render_all(&diags));
            return 1;
        }
    };
    let (low, high) = assembly.range().unwrap_or((0, 0));
    let bytes = if assembly.range().is_none() && args.from.is_none() && args.to.is_none() {
        Vec::new()
    } else {
        match assembly.image(args.from.unwrap_or(low), args.to.unwrap_or(high), args.fill) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: {}: {e}", args.source.display());
                return 1;
            }
        }
    };
    let writes = [
        (Some(&args.output), bytes),
        (
            args.listing.as_ref(),
            assembly.listing().as_bytes().to_vec(),
        ),
        (args.symbols.as_ref(), assembly.symbols().into_bytes()),
    ];
    for (path, data) in writes {
        if let Some(path) = path {
            if let Err(e) = std::fs::write(path, data) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return 1;
            }
        }
    }
    0
}
