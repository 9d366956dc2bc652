//! Subcommands of the `superboard` binary, one module each.
use clap::{Parser, Subcommand};

/// Ohio Scientific Superboard II emulator and tools.
#[derive(Parser)]
#[command(name = "superboard", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {}

/// Runs the chosen subcommand and returns the process exit status.
pub fn dispatch(cli: Cli) -> i32 {
    match cli.command {}
}
