//! Subcommands of the `superboard` binary, one module each.
pub mod chargen;

use clap::{Parser, Subcommand};

/// Ohio Scientific Superboard II emulator and tools.
#[derive(Parser)]
#[command(name = "superboard", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Draw a character set (built-in or a 2 KB ROM file) as a PNG sheet or text sample.
    Chargen(chargen::ChargenArgs),
}

/// Runs the chosen subcommand and returns the process exit status.
pub fn dispatch(cli: Cli) -> i32 {
    match cli.command {
        Command::Chargen(args) => chargen::run(args),
    }
}
