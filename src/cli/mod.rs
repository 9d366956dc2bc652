//! Subcommands of the `superboard` binary, one module each.
use clap::{Parser, Subcommand};

pub mod asm;
pub mod batch;
pub mod bench;
pub mod chargen;
pub mod cpu_test;
pub mod disasm;
pub mod kcs;
pub mod mon;
pub mod read_ahead;
pub mod run;
pub mod serial;
pub mod serve;
pub mod terminal;

/// Ohio Scientific Superboard II emulator and tools.
#[derive(Parser)]
#[command(name = "superboard", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run a raw 6502 test image on flat RAM until it traps.
    CpuTest(cpu_test::CpuTestArgs),
    /// Measure the emulated clock rate.
    Bench,
    /// Assemble 6502 source into a binary.
    Asm(asm::AsmArgs),
    /// Disassemble a 6502 binary.
    Disasm(disasm::DisasmArgs),
    /// Draw a character set (built-in or a 2 KB ROM file) as a PNG sheet or text sample.
    Chargen(chargen::ChargenArgs),
    /// Boot a Superboard II: headless (type text, wait for output) or interactive.
    Run(Box<run::RunArgs>),
    /// Kansas City Standard cassette audio: encode files to WAV, decode WAV to bytes.
    Kcs(kcs::KcsArgs),
    /// Run BASIC jobs from a JSONL file on all cores and write one result per line.
    Batch(batch::BatchArgs),
    /// Serve the web page (or any directory) on 127.0.0.1.
    Serve(serve::ServeArgs),
    /// Machine-language monitor over a whole Superboard: memory, registers, breakpoints,
    /// stepping, assembly; commands from a terminal or a piped script.
    Mon(mon::MonArgs),
}

/// Runs the chosen subcommand and returns the process exit status.
pub fn dispatch(cli: Cli) -> i32 {
    match cli.command {
        Command::CpuTest(args) => cpu_test::run(args),
        Command::Bench => bench::run(),
        Command::Asm(args) => asm::run(args),
        Command::Disasm(args) => disasm::run(args),
        Command::Chargen(args) => chargen::run(args),
        Command::Run(args) => run::run(*args),
        Command::Kcs(args) => kcs::run(args),
        Command::Batch(args) => batch::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Mon(args) => mon::run(args),
    }
}

/// Parses an address or byte: `$F800`, `0xF800` (hex) or `63488` (decimal).
pub fn parse_addr(text: &str) -> Result<u16, String> {
    let t = text.trim();
    let parsed = if let Some(h) = t
        .strip_prefix('$')
        .or_else(|| t.strip_prefix("0x"))
        .or_else(|| t.strip_prefix("0X"))
    {
        u16::from_str_radix(h, 16)
    } else {
        t.parse::<u16>()
    };
    parsed.map_err(|_| format!("bad address `{text}` (use $F800, 0xF800 or 0..65535)"))
}
