//! BASIC benchmarks in emulated CPU cycles: the Rugg/Feldman BASIC benchmarks 1–8 (Kilobaud,
//! 1977, written here from their published descriptions) and a prime sieve, each typed into the
//! open BASIC on the emulated Superboard and run. The figures count emulated cycles, so they are
//! deterministic and compare interpreters, not host speed.
//!
//! A run is timed from the line feed BASIC prints after the typed `RUN` to the `O` of the `OK`
//! that follows the program; the programs print nothing while timed except the sieve's count,
//! which is checked. `cargo bench --bench basic` prints one line per program.

use superboard::machine::{Machine, MachineConfig, CPU_CLOCK_HZ};

/// The monitor's output entry; BASIC prints every character through it.
const MON_OUTPUT: u16 = 0xFFEE;
/// The monitor's input entry; BASIC reads every key through it.
const MON_INPUT: u16 = 0xFFEB;
/// BASIC counts as waiting for a line after this long in its input routine without output.
const QUIET_CYCLES: u64 = 30_000;
/// The most any step (boot, a line, a whole benchmark) may take.
const BUDGET_CYCLES: u64 = 400_000_000;

/// A machine whose output is recorded with the cycle of each byte.
struct Session {
    machine: Machine,
    output: Vec<(u64, u8)>,
    in_input: bool,
    last_output_cycle: u64,
}

impl Session {
    fn boot() -> Session {
        let mut session = Session {
            machine: Machine::new(MachineConfig::default()),
            output: Vec::new(),
            in_input: false,
            last_output_cycle: 0,
        };
        session.type_text("C");
        session.run_until(|s| s.text().ends_with("MEMORY SIZE? ") && s.waiting());
        session.type_text("\r");
        session.run_until(|s| s.text().ends_with("TERMINAL WIDTH? ") && s.waiting());
        session.type_text("\r");
        session.run_until(Session::waiting);
        assert!(session.text().ends_with("OK\r\n"), "BASIC did not start");
        session.output.clear();
        session
    }

    fn type_text(&mut self, text: &str) {
        self.machine.type_text(text).expect("typable text");
    }

    fn text(&self) -> String {
        self.output.iter().map(|&(_, byte)| byte as char).collect()
    }

    fn waiting(&self) -> bool {
        !self.machine.typing_pending()
            && self.in_input
            && self.machine.cycles() - self.last_output_cycle >= QUIET_CYCLES
    }

    fn run_until(&mut self, done: impl Fn(&Session) -> bool) {
        let start = self.machine.cycles();
        while !done(self) {
            assert!(
                self.machine.cycles() - start < BUDGET_CYCLES,
                "no progress within {BUDGET_CYCLES} cycles; output:\n{}",
                self.text()
            );
            let end = self.machine.cycles() + 2_000;
            while self.machine.cycles() < end {
                assert!(!self.machine.cpu.is_jammed(), "the CPU jammed");
                match self.machine.cpu.pc {
                    MON_OUTPUT => {
                        let cycle = self.machine.cycles();
                        self.output.push((cycle, self.machine.cpu.a));
                        self.in_input = false;
                        self.last_output_cycle = cycle;
                    }
                    MON_INPUT => self.in_input = true,
                    _ => {}
                }
                self.machine.cpu.step(&mut self.machine.board);
            }
            self.machine.board.advance_devices();
        }
    }
}

/// Type `program`, then RUN; return the cycles the run took and what it printed.
fn run_program(program: &str) -> (u64, String) {
    let mut session = Session::boot();
    for line in program.lines() {
        session.type_text(&format!("{}\r", line.trim()));
        session.run_until(Session::waiting);
    }
    session.output.clear();
    session.type_text("RUN\r");
    session.run_until(Session::waiting);
    let output = &session.output;
    let start = output
        .iter()
        .position(|&(_, byte)| byte == b'\n')
        .expect("RUN echoed");
    let ok = output
        .windows(2)
        .rposition(|pair| pair[0].1 == b'O' && pair[1].1 == b'K')
        .expect("OK after the run");
    let printed: String = output[start + 1..ok]
        .iter()
        .map(|&(_, byte)| byte as char)
        .collect();
    (output[ok].0 - output[start].0, printed)
}

/// The benchmarks: name, program, text the run must print (besides line ends).
const BENCHMARKS: [(&str, &str, &str); 9] = [
    (
        "BM1 empty FOR loop to 1000",
        "300 FOR K=1 TO 1000
         400 NEXT K",
        "",
    ),
    (
        "BM2 IF/GOTO loop to 1000",
        "100 K=0
         200 K=K+1
         300 IF K<1000 THEN 200",
        "",
    ),
    (
        "BM3 BM2 + A=K/K*K+K-K",
        "100 K=0
         200 K=K+1
         210 A=K/K*K+K-K
         300 IF K<1000 THEN 200",
        "",
    ),
    (
        "BM4 BM2 + A=K/2*3+4-5",
        "100 K=0
         200 K=K+1
         210 A=K/2*3+4-5
         300 IF K<1000 THEN 200",
        "",
    ),
    (
        "BM5 BM4 + GOSUB",
        "100 K=0
         200 K=K+1
         210 A=K/2*3+4-5
         220 GOSUB 820
         300 IF K<1000 THEN 200
         400 END
         820 RETURN",
        "",
    ),
    (
        "BM6 BM5 + DIM and empty FOR 1-5",
        "100 K=0
         150 DIM M(5)
         200 K=K+1
         210 A=K/2*3+4-5
         220 GOSUB 820
         230 FOR L=1 TO 5
         240 NEXT L
         300 IF K<1000 THEN 200
         400 END
         820 RETURN",
        "",
    ),
    (
        "BM7 BM6 + array store M(L)=A",
        "100 K=0
         150 DIM M(5)
         200 K=K+1
         210 A=K/2*3+4-5
         220 GOSUB 820
         230 FOR L=1 TO 5
         235 M(L)=A
         240 NEXT L
         300 IF K<1000 THEN 200
         400 END
         820 RETURN",
        "",
    ),
    (
        "BM8 K^2, LOG(K), SIN(K), loop to 100",
        "100 K=0
         200 K=K+1
         210 A=K^2
         220 B=LOG(K)
         230 C=SIN(K)
         300 IF K<100 THEN 200",
        "",
    ),
    (
        "Sieve of 1..1000 (168 primes)",
        "10 N=1000: DIM F(N): C=0
         20 FOR I=2 TO N
         30 IF F(I) THEN 60
         40 C=C+1: IF I+I<=N THEN FOR J=I+I TO N STEP I: F(J)=1: NEXT J
         60 NEXT I
         70 PRINT C",
        " 168 ",
    ),
];

fn main() {
    println!("BASIC benchmarks on the emulated Superboard (open ROMs, 8K RAM)");
    println!("{:<40} {:>14} {:>12}", "program", "cycles", "emulated s");
    for (name, program, expected) in BENCHMARKS {
        let (cycles, printed) = run_program(program);
        let printed = printed.replace(['\r', '\n'], "");
        assert_eq!(printed, expected, "{name}: unexpected output");
        println!(
            "{name:<40} {cycles:>14} {:>12.2}",
            cycles as f64 / CPU_CLOCK_HZ as f64
        );
    }
}
