//! Subcommands of the `superboard` binary, one module each.
use clap::{Parser, Subcommand};

pub mod bench;
pub mod cpu_test;

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
}

/// Runs the chosen subcommand and returns the process exit status.
pub fn dispatch(cli: Cli) -> i32 {
    match cli.command {
        Command::CpuTest(args) => cpu_test::run(args),
        Command::Bench => bench::run(),
    }
}
