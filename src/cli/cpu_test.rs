//! `superboard cpu-test`: run a raw 6502 test image on flat 64K RAM until it traps.
//!
//! The image is loaded at `--load`, PC is set to `--start`, and the CPU runs until it traps (an
//! instruction that jumps or branches to itself), jams (a JAM opcode halts it) or `--max-cycles`
//! is spent. Test suites signal success by trapping at a known address (`--success`).
//! Prints one line:
//! `result=PASS|FAIL end=trap|jam|budget pc=$XXXX cycles=N instructions=N secs=S mhz=M`,
//! where `pc` is the trap's address, the JAM opcode's address, or where the budget ran out.
//!
//! Exit status: 0 PASS (a trap at `--success`); 1 a trap anywhere else; 2 bad options or image;
//! 3 the budget ran out; 4 the CPU jammed.

use super::parse_addr;
use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use superboard::cpu::{Cpu, FlatRam};

/// Arguments of `cpu-test`.
#[derive(Args)]
pub struct CpuTestArgs {
    /// Raw binary image to load.
    pub image: PathBuf,
    /// Load address ($C000, 0xC000 or decimal).
    #[arg(long)]
    pub load: String,
    /// Start address (PC after loading).
    #[arg(long)]
    pub start: String,
    /// Address of the success trap; without it every trap is a FAIL.
    #[arg(long)]
    pub success: Option<String>,
    /// Give up after this many cycles.
    #[arg(long, default_value_t = 1_000_000_000)]
    pub max_cycles: u64,
}

/// Why a run stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum End {
    /// The PC stopped moving (a jump or branch to itself).
    Trap,
    /// A JAM opcode halted the CPU.
    Jam,
    /// `--max-cycles` ran out first.
    Budget,
}

impl End {
    fn name(self) -> &'static str {
        match self {
            End::Trap => "trap",
            End::Jam => "jam",
            End::Budget => "budget",
        }
    }
}

/// How a run ended.
struct Outcome {
    end: End,
    /// The trap's address, the JAM opcode's address, or the PC when the budget ran out.
    pc: u16,
    cycles: u64,
    instructions: u64,
}

/// Steps until the PC repeats across one instruction, a JAM, or the cycle budget.
fn run_until_trap(cpu: &mut Cpu, ram: &mut FlatRam, max_cycles: u64) -> Outcome {
    let mut cycles = 0u64;
    let mut instructions = 0u64;
    loop {
        let before = cpu.pc;
        cycles += u64::from(cpu.step(ram));
        instructions += 1;
        let end = if cpu.is_jammed() {
            Some(End::Jam)
        } else if cpu.pc == before {
            Some(End::Trap)
        } else if cycles >= max_cycles {
            Some(End::Budget)
        } else {
            None
        };
        if let Some(end) = end {
            return Outcome {
                end,
                pc: if end == End::Jam { before } else { cpu.pc },
                cycles,
                instructions,
            };
        }
    }
}

/// Runs the subcommand; returns the exit status (0 only on PASS).
pub fn run(args: CpuTestArgs) -> i32 {
    let addrs = (|| {
        let load = parse_addr(&args.load)?;
        let start = parse_addr(&args.start)?;
        let success = args.success.as_deref().map(parse_addr).transpose()?;
        Ok::<_, String>((load, start, success))
    })();
    let (load, start, success) = match addrs {
        Ok(addrs) => addrs,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let image = match std::fs::read(&args.image) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", args.image.display());
            return 2;
        }
    };
    let mut ram = FlatRam::new();
    if !ram.load(load, &image) {
        eprintln!(
            "error: {} is {} bytes and does not fit at ${:04X} (at most {} bytes)",
            args.image.display(),
            image.len(),
            load,
            0x10000 - load as usize
        );
        return 2;
    }
    let mut cpu = Cpu::new();
    // Run the power-on reset sequence, then start where asked.
    cpu.step(&mut ram);
    cpu.pc = start;

    let started = Instant::now();
    let outcome = run_until_trap(&mut cpu, &mut ram, args.max_cycles);
    let secs = started.elapsed().as_secs_f64();
    let pass = outcome.end == End::Trap && success == Some(outcome.pc);
    let mhz = if secs > 0.0 {
        outcome.cycles as f64 / secs / 1e6
    } else {
        0.0
    };
    println!(
        "result={} end={} pc=${:04X} cycles={} instructions={} secs={secs:.3} mhz={mhz:.1}",
        if pass { "PASS" } else { "FAIL" },
        outcome.end.name(),
        outcome.pc,
        outcome.cycles,
        outcome.instructions
    );
    match outcome.end {
        End::Trap if pass => 0,
        End::Trap => 1,
        End::Budget => 3,
        End::Jam => 4,
    }
}
