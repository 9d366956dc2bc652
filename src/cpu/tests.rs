//! Unit tests through the public API: reset, JAM, interrupts and their polling quirks, BRK,
//! NMOS decimal mode, and a random-program robustness run.

use super::{Bus, Cpu, B, C, D, I, N, U, V, Z};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Cycle {
    Read(u16, u8),
    Write(u16, u8),
}

/// Flat RAM that records every cycle.
struct TraceBus {
    mem: Vec<u8>,
    trace: Vec<Cycle>,
}

impl TraceBus {
    fn new() -> TraceBus {
        TraceBus {
            mem: vec![0; 0x10000],
            trace: Vec::new(),
        }
    }

    fn load(&mut self, addr: u16, bytes: &[u8]) {
        self.mem[addr as usize..addr as usize + bytes.len()].copy_from_slice(bytes);
    }

    fn set_vector(&mut self, vector: u16, target: u16) {
        self.load(vector, &target.to_le_bytes());
    }
}

impl Bus for TraceBus {
    fn read(&mut self, addr: u16) -> u8 {
        let v = self.mem[addr as usize];
        self.trace.push(Cycle::Read(addr, v));
        v
    }
    fn write(&mut self, addr: u16, value: u8) {
        self.mem[addr as usize] = value;
        self.trace.push(Cycle::Write(addr, value));
    }
    fn peek(&self, addr: u16) -> u8 {
        self.mem[addr as usize]
    }
}

/// A CPU that has run its power-on reset into `program` at $0200, with the IRQ vector at
/// $9000 and the NMI vector at $A000.
fn boot(program: &[u8]) -> (Cpu, TraceBus) {
    let mut bus = TraceBus::new();
    bus.set_vector(0xFFFC, 0x0200);
    bus.set_vector(0xFFFE, 0x9000);
    bus.set_vector(0xFFFA, 0xA000);
    bus.load(0x0200, program);
    let mut cpu = Cpu::new();
    assert_eq!(cpu.step(&mut bus), 7);
    bus.trace.clear();
    (cpu, bus)
}

/// Runs one step and returns its trace, checking that the returned count matches it.
fn step(cpu: &mut Cpu, bus: &mut TraceBus) -> Vec<Cycle> {
    bus.trace.clear();
    let cycles = cpu.step(bus);
    assert_eq!(
        cycles as usize,
        bus.trace.len(),
        "cycles returned vs bus calls"
    );
    std::mem::take(&mut bus.trace)
}

#[test]
fn reset_sequence_reads_stack_and_vector() {
    let mut bus = TraceBus::new();
    bus.set_vector(0xFFFC, 0xC123);
    let mut cpu = Cpu::new();
    cpu.pc = 0x1234;
    cpu.s = 0x40;
    cpu.p = U | D;
    let trace = step(&mut cpu, &mut bus);
    use Cycle::Read;
    assert_eq!(
        trace,
        vec![
            Read(0x1234, 0),
            Read(0x1234, 0),
            Read(0x0140, 0),
            Read(0x013F, 0),
            Read(0x013E, 0),
            Read(0xFFFC, 0x23),
            Read(0xFFFD, 0xC1),
        ]
    );
    assert_eq!(cpu.pc, 0xC123);
    assert_eq!(cpu.s, 0x3D);
    assert_eq!(cpu.p & I, I);
    assert_eq!(cpu.p & D, D, "NMOS RESET leaves D alone");
}

#[test]
fn power_on_reset_leaves_stack_at_fd() {
    let (cpu, _) = boot(&[0xEA]);
    assert_eq!(cpu.s, 0xFD);
    assert_eq!(cpu.pc, 0x0200);
}

#[test]
fn jam_halts_until_reset() {
    for op in [
        0x02u8, 0x12, 0x22, 0x32, 0x42, 0x52, 0x62, 0x72, 0x92, 0xB2, 0xD2, 0xF2,
    ] {
        let (mut cpu, mut bus) = boot(&[op]);
        let trace = step(&mut cpu, &mut bus);
        assert_eq!(trace.len(), 2, "JAM ${op:02X}");
        assert!(cpu.is_jammed());
        let pc = cpu.pc;
        for _ in 0..5 {
            assert_eq!(step(&mut cpu, &mut bus), vec![Cycle::Read(0xFFFF, 0x90)]);
            assert_eq!(cpu.pc, pc);
        }
        // Interrupts do not wake a jammed CPU.
        cpu.set_nmi(true);
        cpu.set_irq(true);
        assert_eq!(step(&mut cpu, &mut bus).len(), 1);
        cpu.set_irq(false);
        cpu.reset();
        assert!(!cpu.is_jammed());
        assert_eq!(step(&mut cpu, &mut bus).len(), 7);
        assert_eq!(cpu.pc, 0x0200);
    }
}

#[test]
fn reset_drops_a_latched_nmi() {
    let (mut cpu, mut bus) = boot(&[0x02, 0xEA]);
    step(&mut cpu, &mut bus);
    assert!(cpu.is_jammed());
    cpu.set_nmi(true);
    cpu.reset();
    assert_eq!(step(&mut cpu, &mut bus).len(), 7);
    bus.load(0x0200, &[0xEA]);
    assert_eq!(step(&mut cpu, &mut bus).len(), 2, "no NMI after RESET");
}

#[test]
fn irq_masked_by_i() {
    let (mut cpu, mut bus) = boot(&[0xEA, 0xEA]);
    assert_eq!(cpu.p & I, I);
    cpu.set_irq(true);
    assert_eq!(step(&mut cpu, &mut bus).len(), 2);
    assert_eq!(cpu.pc, 0x0201);
}

#[test]
fn irq_sequence_pushes_pc_and_p_with_b_clear() {
    let (mut cpu, mut bus) = boot(&[0xEA]);
    cpu.p = U | C | N;
    cpu.set_irq(true);
    let trace = step(&mut cpu, &mut bus);
    use Cycle::{Read, Write};
    assert_eq!(
        trace,
        vec![
            Read(0x0200, 0xEA),
            Read(0x0200, 0xEA),
            Write(0x01FD, 0x02),
            Write(0x01FC, 0x00),
            Write(0x01FB, U | C | N),
            Read(0xFFFE, 0x00),
            Read(0xFFFF, 0x90),
        ]
    );
    assert_eq!(cpu.pc, 0x9000);
    assert_eq!(cpu.s, 0xFA);
    assert_eq!(cpu.p, U | C | N | I);
}

#[test]
fn cli_takes_effect_after_the_next_instruction() {
    // CLI; NOP; NOP
    let (mut cpu, mut bus) = boot(&[0x58, 0xEA, 0xEA]);
    cpu.set_irq(true);
    assert_eq!(step(&mut cpu, &mut bus).len(), 2); // CLI
    assert_eq!(step(&mut cpu, &mut bus).len(), 2); // the NOP still runs
    assert_eq!(cpu.pc, 0x0202);
    assert_eq!(step(&mut cpu, &mut bus).len(), 7); // now the IRQ
    assert_eq!(cpu.pc, 0x9000);
    assert_eq!(bus.mem[0x01FC], 0x02, "pushed PC is after the NOP");
}

#[test]
fn sei_lets_an_irq_through_at_the_next_boundary() {
    // SEI with I clear; /IRQ asserted right after it: the boundary after SEI still polls with
    // the old I (clear), so the IRQ is taken, pushing P with I already set.
    let (mut cpu, mut bus) = boot(&[0x78, 0xEA]);
    cpu.p = U;
    assert_eq!(step(&mut cpu, &mut bus).len(), 2);
    cpu.set_irq(true);
    assert_eq!(step(&mut cpu, &mut bus).len(), 7);
    assert_eq!(cpu.pc, 0x9000);
    assert_eq!(bus.mem[0x01FB] & I, I);
    assert_eq!(bus.mem[0x01FC], 0x01, "pushed PC is right after SEI");
}

#[test]
fn plp_clearing_i_takes_effect_after_the_next_instruction() {
    // LDA #$00 ; PHA ; PLP ; NOP ; NOP with /IRQ asserted and I set until the PLP.
    let (mut cpu, mut bus) = boot(&[0xA9, 0x00, 0x48, 0x28, 0xEA, 0xEA]);
    cpu.set_irq(true);
    assert_eq!(step(&mut cpu, &mut bus).len(), 2);
    assert_eq!(step(&mut cpu, &mut bus).len(), 3);
    assert_eq!(step(&mut cpu, &mut bus).len(), 4);
    assert_eq!(cpu.p & I, 0);
    assert_eq!(
        step(&mut cpu, &mut bus).len(),
        2,
        "the NOP after PLP still runs"
    );
    assert_eq!(step(&mut cpu, &mut bus).len(), 7);
    assert_eq!(bus.mem[0x01FC], 0x05, "return address is the second NOP");
}

#[test]
fn nmi_is_edge_triggered_and_unmasked() {
    let (mut cpu, mut bus) = boot(&[0xEA, 0xEA, 0xEA, 0xEA]);
    assert_eq!(cpu.p & I, I);
    cpu.set_nmi(true);
    let trace = step(&mut cpu, &mut bus);
    assert_eq!(trace.len(), 7);
    assert_eq!(trace[5], Cycle::Read(0xFFFA, 0x00));
    assert_eq!(cpu.pc, 0xA000);
    // The line stays asserted: no second NMI.
    bus.load(0xA000, &[0xEA, 0xEA]);
    assert_eq!(step(&mut cpu, &mut bus).len(), 2);
    cpu.set_nmi(false);
    assert_eq!(step(&mut cpu, &mut bus).len(), 2);
    cpu.set_nmi(true);
    assert_eq!(step(&mut cpu, &mut bus).len(), 7);
    assert_eq!(cpu.pc, 0xA000);
}

#[test]
fn nmi_wins_over_irq() {
    let (mut cpu, mut bus) = boot(&[0xEA]);
    cpu.p = U;
    cpu.set_irq(true);
    cpu.set_nmi(true);
    step(&mut cpu, &mut bus);
    assert_eq!(cpu.pc, 0xA000);
    // The IRQ follows once the handler clears I... here I is set by the NMI entry.
    assert_eq!(cpu.p & I, I);
}

#[test]
fn brk_pushes_pc_plus_two_with_b_set() {
    let (mut cpu, mut bus) = boot(&[0x00, 0xFF, 0xEA]);
    cpu.p = U | Z;
    let trace = step(&mut cpu, &mut bus);
    use Cycle::{Read, Write};
    assert_eq!(
        trace,
        vec![
            Read(0x0200, 0x00),
            Read(0x0201, 0xFF),
            Write(0x01FD, 0x02),
            Write(0x01FC, 0x02),
            Write(0x01FB, U | Z | B),
            Read(0xFFFE, 0x00),
            Read(0xFFFF, 0x90),
        ]
    );
    assert_eq!(cpu.pc, 0x9000);
    assert_eq!(cpu.p, U | Z | I, "B is not a latch");
}

#[test]
fn rti_returns_from_brk() {
    let (mut cpu, mut bus) = boot(&[0x00, 0xFF, 0xEA]);
    bus.load(0x9000, &[0x40]);
    cpu.p = U | C;
    step(&mut cpu, &mut bus);
    assert_eq!(step(&mut cpu, &mut bus).len(), 6);
    assert_eq!(cpu.pc, 0x0202);
    assert_eq!(cpu.p, U | C);
    assert_eq!(cpu.s, 0xFD);
}

#[test]
fn taken_in_page_branch_delays_a_new_interrupt() {
    // BNE +0 (taken, same page); NOP; NOP
    let (mut cpu, mut bus) = boot(&[0xD0, 0x00, 0xEA, 0xEA]);
    cpu.p = U;
    assert_eq!(step(&mut cpu, &mut bus).len(), 3);
    cpu.set_irq(true);
    assert_eq!(
        step(&mut cpu, &mut bus).len(),
        2,
        "one more instruction first"
    );
    assert_eq!(step(&mut cpu, &mut bus).len(), 7);
    assert_eq!(cpu.pc, 0x9000);
}

#[test]
fn page_crossing_branch_polls_normally() {
    let mut program = vec![0xEA; 0x100];
    // At $02FD: BNE +$10 → $030F, crossing into page 3.
    program[0xFD] = 0xD0;
    program[0xFE] = 0x10;
    let (mut cpu, mut bus) = boot(&program);
    cpu.pc = 0x02FD;
    cpu.p = U;
    assert_eq!(step(&mut cpu, &mut bus).len(), 4);
    assert_eq!(cpu.pc, 0x030F);
    cpu.set_irq(true);
    assert_eq!(step(&mut cpu, &mut bus).len(), 7);
}

#[test]
fn nmi_hijacks_brk() {
    // BNE +0 (taken, in page), then BRK. The NMI edge arrives after the branch, so BRK runs,
    // and the pending NMI takes over its vector fetch.
    let (mut cpu, mut bus) = boot(&[0xD0, 0x00, 0x00, 0x00]);
    cpu.p = U;
    step(&mut cpu, &mut bus);
    cpu.set_nmi(true);
    let trace = step(&mut cpu, &mut bus);
    assert_eq!(trace.len(), 7);
    assert_eq!(trace[4], Cycle::Write(0x01FB, U | B));
    assert_eq!(trace[5], Cycle::Read(0xFFFA, 0x00));
    assert_eq!(cpu.pc, 0xA000);
    // The NMI was consumed.
    bus.load(0xA000, &[0xEA]);
    assert_eq!(step(&mut cpu, &mut bus).len(), 2);
}

/// Runs `program` (ending in JAM) from $0200 with flags `p`; returns A and P.
fn run_program(program: &[u8], p: u8) -> (u8, u8) {
    let (mut cpu, mut bus) = boot(program);
    cpu.p = p;
    for _ in 0..100 {
        if cpu.is_jammed() {
            return (cpu.a, cpu.p);
        }
        cpu.step(&mut bus);
    }
    panic!("program did not reach its JAM");
}

#[test]
fn decimal_adc() {
    // SED CLC LDA #$58 ADC #$46 JAM
    let (a, p) = run_program(&[0xF8, 0x18, 0xA9, 0x58, 0x69, 0x46, 0x02], U);
    assert_eq!(a, 0x04);
    assert_eq!(p & C, C);
    // 99 + 01: BCD 00 with carry; Z from the binary sum ($9A), N from the intermediate ($A0).
    let (a, p) = run_program(&[0xF8, 0x18, 0xA9, 0x99, 0x69, 0x01, 0x02], U);
    assert_eq!(a, 0x00);
    assert_eq!(p & (C | Z | N | V), C | N);
    // 79 + 00 + carry: 80, V set (the intermediate is $80: positive + positive → negative).
    let (a, p) = run_program(&[0xF8, 0x38, 0xA9, 0x79, 0x69, 0x00, 0x02], U);
    assert_eq!(a, 0x80);
    assert_eq!(p & (C | V | N), V | N);
}

#[test]
fn decimal_sbc() {
    // SED SEC LDA #$46 SBC #$12 JAM
    let (a, p) = run_program(&[0xF8, 0x38, 0xA9, 0x46, 0xE9, 0x12, 0x02], U);
    assert_eq!(a, 0x34);
    assert_eq!(p & (C | Z | N), C);
    // 00 - 01: 99 with borrow; flags from the binary result $FF.
    let (a, p) = run_program(&[0xF8, 0x38, 0xA9, 0x00, 0xE9, 0x01, 0x02], U);
    assert_eq!(a, 0x99);
    assert_eq!(p & (C | Z | N), N);
    // 32 - 02 - borrow = 29.
    let (a, _) = run_program(&[0xF8, 0x18, 0xA9, 0x32, 0xE9, 0x02, 0x02], U);
    assert_eq!(a, 0x29);
}

#[test]
fn decimal_isc_and_rra_use_decimal_arithmetic() {
    // SED SEC LDA #$50 ; $10 = $09 ; ISC $10 (→ $10 = $0A, A = $50 - $0A in BCD)
    let (mut cpu, mut bus) = boot(&[0xF8, 0x38, 0xA9, 0x50, 0xE7, 0x10, 0x02]);
    bus.mem[0x10] = 0x09;
    while !cpu.is_jammed() {
        cpu.step(&mut bus);
    }
    assert_eq!(bus.mem[0x10], 0x0A);
    // Low nibble 0 - A borrows: (0 - 0xA) → fixed to $0 - $10 path; result $40 on NMOS.
    assert_eq!(cpu.a, 0x40);

    // RRA: SED CLC LDA #$15 ; $10 = $0A ; RRA $10 (ROR → $05, C=0; A = $15 + $05 = $20)
    let (mut cpu, mut bus) = boot(&[0xF8, 0x18, 0xA9, 0x15, 0x67, 0x10, 0x02]);
    bus.mem[0x10] = 0x0A;
    while !cpu.is_jammed() {
        cpu.step(&mut bus);
    }
    assert_eq!(bus.mem[0x10], 0x05);
    assert_eq!(cpu.a, 0x20);
}

/// xorshift64: deterministic pseudo-random bytes for the robustness run.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Counts bus calls without recording them.
struct CountingRam {
    mem: Vec<u8>,
    calls: u32,
}

impl Bus for CountingRam {
    fn read(&mut self, addr: u16) -> u8 {
        self.calls += 1;
        self.mem[addr as usize]
    }
    fn write(&mut self, addr: u16, value: u8) {
        self.calls += 1;
        self.mem[addr as usize] = value;
    }
    fn peek(&self, addr: u16) -> u8 {
        self.mem[addr as usize]
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = XorShift(0x5EED_6502_CAFE_F00D);
    let mut bus = CountingRam {
        mem: (0..0x10000).map(|_| rng.next() as u8).collect(),
        calls: 0,
    };
    let mut cpu = Cpu::new();
    let mut jams = 0;
    for i in 0..2_000_000u32 {
        bus.calls = 0;
        let cycles = cpu.step(&mut bus);
        assert_eq!(cycles, bus.calls);
        assert!((1..=8).contains(&cycles), "step used {cycles} cycles");
        if cpu.is_jammed() {
            jams += 1;
            cpu.reset();
        }
        if i % 997 == 0 {
            let r = rng.next();
            cpu.set_irq(r & 1 != 0);
            cpu.set_nmi(r & 2 != 0);
        }
    }
    assert!(jams > 0, "random code should hit a JAM sometime");
}
