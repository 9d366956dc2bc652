//! `superboard bench`: emulated clock rate of the CPU on the shared workload
//! ([`superboard::cpu::workload`]), one line per configuration; the KCS codec; snapshot size and
//! save/restore time.

use std::time::Instant;

use superboard::board::{Board, RamSize};
use superboard::cpu::{workload, Bus, Cpu, FlatRam};
use superboard::machine::{Machine, MachineConfig};
use superboard::roms::RomSet;

/// Emulated cycles per measured configuration.
const BENCH_CYCLES: u64 = 400_000_000;

/// Runs `cpu` on `bus` for at least `budget_cycles`; returns (cycles run, seconds).
pub fn time_cycles<B: Bus>(cpu: &mut Cpu, bus: &mut B, budget_cycles: u64) -> (u64, f64) {
    let started = Instant::now();
    let mut cycles = 0u64;
    while cycles < budget_cycles {
        cycles += u64::from(cpu.step(bus));
    }
    (cycles, started.elapsed().as_secs_f64())
}

/// The workload on flat RAM: a CPU-only figure.
fn flat_ram_line() -> String {
    let mut ram = FlatRam::new();
    ram.load(workload::LOAD_ADDR, &workload::PROGRAM);
    let mut cpu = Cpu::new();
    cpu.step(&mut ram);
    cpu.pc = workload::LOAD_ADDR;
    let (cycles, secs) = time_cycles(&mut cpu, &mut ram, BENCH_CYCLES);
    format!(
        "cpu flat-ram: {:.1} emulated MHz ({cycles} cycles in {secs:.3} s)",
        cycles as f64 / secs / 1e6
    )
}

/// The same workload from RAM on the Superboard board: the CPU plus the board's address
/// decoder (32K RAM so the workload's $2000 buffer is RAM; no ROM is executed).
fn board_decode_line() -> String {
    let roms = RomSet {
        basic: Box::new([0xFF; 8192]),
        monitor: Box::new([0xFF; 2048]),
        chargen: Box::new([0; 2048]),
    };
    let mut board = Board::new(RamSize::K32, roms);
    for (offset, byte) in workload::PROGRAM.iter().enumerate() {
        board.poke(workload::LOAD_ADDR + offset as u16, *byte);
    }
    let mut cpu = Cpu::new();
    cpu.step(&mut board);
    cpu.pc = workload::LOAD_ADDR;
    let (cycles, secs) = time_cycles(&mut cpu, &mut board, BENCH_CYCLES);
    format!(
        "board decode: {:.1} emulated MHz ({cycles} cycles in {secs:.3} s)",
        cycles as f64 / secs / 1e6
    )
}

/// Saves and restores per measured snapshot configuration.
const SNAPSHOT_ROUNDS: u32 = 2_000;

/// Snapshot size and save/restore time of a machine at BASIC's prompt with `ram` installed.
fn snapshot_line(ram: RamSize) -> String {
    let mut machine = Machine::new(MachineConfig {
        ram,
        roms: RomSet::open(),
    });
    machine
        .type_text("C\n\n\n")
        .expect("the cold start is typable");
    for _ in 0..180 {
        machine.run_frame();
    }
    let started = Instant::now();
    let mut bytes = Vec::new();
    for _ in 0..SNAPSHOT_ROUNDS {
        bytes = std::hint::black_box(&machine).save_state();
    }
    let save_s = started.elapsed().as_secs_f64() / f64::from(SNAPSHOT_ROUNDS);
    let mut restored = Machine::new(MachineConfig::default());
    let started = Instant::now();
    for _ in 0..SNAPSHOT_ROUNDS {
        if let Err(error) = restored.load_state(std::hint::black_box(&bytes)) {
            return format!("snapshot {}K: restore failed: {error}", ram.bytes() / 1024);
        }
    }
    let restore_s = started.elapsed().as_secs_f64() / f64::from(SNAPSHOT_ROUNDS);
    format!(
        "snapshot {}K: {} bytes; save {:.1} µs, restore {:.1} µs",
        ram.bytes() / 1024,
        bytes.len(),
        save_s * 1e6,
        restore_s * 1e6
    )
}

/// Runs the subcommand; returns the exit status.
pub fn run() -> i32 {
    println!("{}", flat_ram_line());
    println!("{}", board_decode_line());
    for line in super::kcs::bench_lines() {
        println!("{line}");
    }
    println!("{}", super::kcs::turbo_save_line());
    for ram in [RamSize::K8, RamSize::K32] {
        println!("{}", snapshot_line(ram));
    }
    0
}
