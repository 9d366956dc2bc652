//! Emulated-cycle counts of the open BASIC running classic benchmark programs (a prime sieve
//! and Rugg/Feldman-style loops), on the whole machine. The counts are printed (run with
//! `--nocapture`); the test checks each program's answer, not its speed.

use superboard::board::RamSize;
use superboard::devices::video::ScreenView;
use superboard::machine::{Machine, MachineConfig};
use superboard::roms::RomSet;

mod common;
use common::{at_ok, rows};

/// Runs until the typing is done and `done` holds, within the benchmark budget.
fn run_until(m: &mut Machine, what: &str, done: impl Fn(&Machine) -> bool) {
    common::run_until(m, BUDGET_CYCLES, what, done);
}

const BUDGET_CYCLES: u64 = 2_000_000_000;

fn booted() -> Machine {
    let mut m = Machine::new(MachineConfig {
        ram: RamSize::K8,
        roms: RomSet::open(),
    });
    run_until(&mut m, "prompt", |m| {
        m.screen_text(ScreenView::Full).contains("C/W/M ?")
    });
    m.type_text("C").expect("typable");
    run_until(&mut m, "MEMORY SIZE?", |m| {
        m.screen_text(ScreenView::Full).contains("MEMORY SIZE?")
    });
    m.type_text("\n\n").expect("typable");
    run_until(&mut m, "OK", at_ok);
    m
}

/// Types `program`, then RUN; returns the cycles from the end of the typing of RUN to "OK"
/// and the last line the program printed.
fn measure(program: &str) -> (u64, String) {
    let mut m = booted();
    m.type_text(program).expect("typable");
    run_until(&mut m, "typing", |_| true);
    m.run_for(500_000);
    m.type_text("RUN\n").expect("typable");
    run_until(&mut m, "RUN typed", |_| true);
    let start = m.cycles();
    run_until(&mut m, "program end", at_ok);
    let rows = rows(&m);
    (m.cycles() - start, rows[rows.len() - 4].clone())
}

const BENCHMARKS: &[(&str, &str, &str)] = &[
    (
        "sieve (primes below 1000)",
        "10 DIM F(1000):C=0\n20 FOR I=2 TO 1000:IF F(I) THEN 50\n30 C=C+1:IF I>500 THEN 50\n\
         40 FOR J=I+I TO 1000 STEP I:F(J)=1:NEXT J\n50 NEXT I:PRINT C\n",
        " 168",
    ),
    (
        "BM1 empty FOR loop to 1000",
        "10 FOR K=1 TO 1000:NEXT K:PRINT K\n",
        " 1001",
    ),
    (
        "BM2 IF/GOTO loop to 1000",
        "10 K=0\n20 K=K+1:IF K<1000 THEN 20\n30 PRINT K\n",
        " 1000",
    ),
    (
        "BM3 arithmetic in a GOTO loop",
        "10 K=0\n20 K=K+1:A=K/K*K+K-K:IF K<1000 THEN 20\n30 PRINT A\n",
        " 1000",
    ),
    (
        "BM5 with GOSUB",
        "10 K=0\n20 K=K+1:A=K/2*3+4-5:GOSUB 50\n30 IF K<1000 THEN 20\n40 PRINT K:END\n\
         50 RETURN\n",
        " 1000",
    ),
    (
        "BM6 with an inner FOR loop",
        "10 K=0\n20 K=K+1:A=K/2*3+4-5:GOSUB 60\n30 FOR L=1 TO 5:NEXT L\n40 IF K<1000 THEN 20\n\
         50 PRINT K:END\n60 RETURN\n",
        " 1000",
    ),
    (
        "BM7 with an array",
        "10 K=0:DIM M(5)\n20 K=K+1:A=K/2*3+4-5:GOSUB 70\n30 FOR L=1 TO 5:M(L)=A:NEXT L\n\
         40 IF K<1000 THEN 20\n50 PRINT K:END\n70 RETURN\n",
        " 1000",
    ),
    (
        "string building",
        "10 FOR I=1 TO 200:A$=STR$(I)+\"ABC\":B$=LEFT$(A$,3):NEXT:PRINT B$\n",
        " 20",
    ),
];

#[test]
fn benchmark_programs_give_their_answers() {
    for (name, program, answer) in BENCHMARKS {
        let (cycles, last) = measure(program);
        assert_eq!(&last, answer, "{name}");
        println!(
            "{name}: {cycles} cycles ({:.2} s at 983,040 Hz)",
            cycles as f64 / 983_040.0
        );
    }
}
