//! CPU benchmark: the shared workload ([`superboard::cpu::workload`]) on flat RAM, on our core
//! and on the `mos6502` crate, in the same run. Prints emulated MHz for both and the ratio.
//! Run with `cargo bench --bench cpu`.
//!
//! Emulated MHz = emulated clock cycles per wall-clock microsecond; each core counts its own
//! cycles (ours: one per bus access; mos6502: its cycle table), and the cycles-per-instruction
//! figures are printed so the two counts can be compared.

use std::hint::black_box;
use std::time::Instant;

use mos6502::cpu::CPU;
use mos6502::instruction::Nmos6502;
use mos6502::memory::{Bus as _, Memory};
use superboard::cpu::{workload, Cpu, FlatRam};

/// Emulated cycles per timed run.
const BUDGET_CYCLES: u64 = 100_000_000;
/// Timed runs per core, interleaved between the two cores so that load from other processes
/// hits both alike; the best run of each is reported.
const RUNS: usize = 9;

struct Figures {
    mhz: f64,
    cycles_per_instruction: f64,
}

/// One timed run of our core; keeps the best figures in `best`.
fn ours(best: &mut Figures) {
    let mut ram = FlatRam::new();
    ram.load(workload::LOAD_ADDR, &workload::PROGRAM);
    let mut cpu = Cpu::new();
    cpu.step(&mut ram);
    cpu.pc = workload::LOAD_ADDR;
    let started = Instant::now();
    let (mut cycles, mut instructions) = (0u64, 0u64);
    while cycles < BUDGET_CYCLES {
        cycles += u64::from(cpu.step(&mut ram));
        instructions += 1;
    }
    let secs = started.elapsed().as_secs_f64();
    black_box(&ram.mem[..]);
    let mhz = cycles as f64 / secs / 1e6;
    if mhz > best.mhz {
        *best = Figures {
            mhz,
            cycles_per_instruction: cycles as f64 / instructions as f64,
        };
    }
}

/// One timed run of the `mos6502` crate (its `Memory` bus); keeps the best in `best`.
fn theirs(best: &mut Figures) {
    let mut memory = Memory::new();
    memory.set_bytes(workload::LOAD_ADDR, &workload::PROGRAM);
    let mut cpu = CPU::new(memory, Nmos6502);
    cpu.registers.program_counter = workload::LOAD_ADDR;
    let started = Instant::now();
    let mut instructions = 0u64;
    while cpu.cycles < BUDGET_CYCLES {
        cpu.single_step();
        instructions += 1;
    }
    let secs = started.elapsed().as_secs_f64();
    black_box(&cpu.memory);
    let mhz = cpu.cycles as f64 / secs / 1e6;
    if mhz > best.mhz {
        *best = Figures {
            mhz,
            cycles_per_instruction: cpu.cycles as f64 / instructions as f64,
        };
    }
}

fn main() {
    let mut a = Figures {
        mhz: 0.0,
        cycles_per_instruction: 0.0,
    };
    let mut b = Figures {
        mhz: 0.0,
        cycles_per_instruction: 0.0,
    };
    for _ in 0..RUNS {
        ours(&mut a);
        theirs(&mut b);
    }
    println!(
        "superboard cpu: {:8.1} emulated MHz ({:.3} cycles/instruction)",
        a.mhz, a.cycles_per_instruction
    );
    println!(
        "mos6502 0.10:   {:8.1} emulated MHz ({:.3} cycles/instruction)",
        b.mhz, b.cycles_per_instruction
    );
    println!("ratio: {:.2}x", a.mhz / b.mhz);
}
