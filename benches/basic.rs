//! BASIC benchmarks in emulated CPU cycles: the Rugg/Feldman BASIC benchmarks 1–8 (Kilobaud,
//! 1977, written here from their published descriptions) and a prime sieve, each typed into the
//! open BASIC on the emulated Superboard and run, and the screen driver's scroll. The figures
//! count emulated cycles, so they are deterministic and compare interpreters, not host speed.
//!
//! A run is timed from the line feed BASIC prints after the typed `RUN` to the `O` of the `OK`
//! that follows the program; the programs print nothing while timed except the sieve's count,
//! which is checked. The scroll is one call of the screen driver ($BF2D) with a line feed on the
//! bottom line, from its first instruction to its return.
//!
//! Beside each figure stands the original OSI BASIC 1.0 rev 3.2's, measured the same way on the
//! same emulator (issue #17), and our figure divided by it: at or below 1.00 the open BASIC is
//! at least as fast.
//!
//! `cargo bench --bench basic` prints the table; `-- --profile` adds, under each row, where the
//! cycles went (by routine: the nearest symbol of the open ROMs at or below each instruction);
//! any other argument keeps only the rows whose name contains it.

use superboard::machine::{Machine, MachineConfig};
use superboard::roms::{OPEN_SYMBOLS_BASIC, OPEN_SYMBOLS_MONITOR};

/// The monitor's output entry; BASIC prints every character through it.
const MON_OUTPUT: u16 = 0xFFEE;
/// The monitor's input entry; BASIC reads every key through it.
const MON_INPUT: u16 = 0xFFEB;
/// BASIC counts as waiting for a line after this long in its input routine without output.
const QUIET_CYCLES: u64 = 30_000;
/// The most any step (boot, a line, a whole benchmark) may take.
const BUDGET_CYCLES: u64 = 400_000_000;

/// Cycles spent per routine of the open ROMs (the profile of `--profile`).
struct Profile {
    /// For each address, the index in `names` of the routine it belongs to.
    owner: Vec<u16>,
    names: Vec<String>,
    cycles: Vec<u64>,
}

impl Profile {
    /// Routines are the labels of the open BASIC and monitor (and CHRGET, which BASIC copies
    /// to zero page); an instruction belongs to the nearest label at or below it.
    fn new() -> Profile {
        let mut labels: Vec<(u16, String)> = vec![(0, "(RAM)".into())];
        let roms = [
            (OPEN_SYMBOLS_BASIC, 0xA000..=0xBFFF),
            (OPEN_SYMBOLS_MONITOR, 0xF800..=0xFFFF),
        ];
        for (symbols, range) in roms {
            for line in symbols.lines() {
                let Some((name, value)) = line.split_once(" = $") else {
                    continue;
                };
                let Ok(addr) = u16::from_str_radix(value.trim(), 16) else {
                    continue;
                };
                let zero_page_code = matches!(name, "CHRGET" | "CHRGOT");
                if range.contains(&addr) || zero_page_code {
                    labels.push((addr, name.to_string()));
                }
            }
        }
        labels.sort();
        labels.dedup_by_key(|(addr, _)| *addr);
        // Zero-page code ends with CHRGET's last byte; the RAM after it is "(RAM)" again.
        labels.push((0xD8, "(RAM)".into()));
        labels.sort_by_key(|&(addr, _)| addr);
        let mut owner = vec![0u16; 0x10000];
        let mut names = Vec::new();
        for (i, (addr, name)) in labels.iter().enumerate() {
            let end = labels
                .get(i + 1)
                .map_or(0x10000, |&(next, _)| next as usize);
            owner[*addr as usize..end].fill(names.len() as u16);
            names.push(name.clone());
        }
        let cycles = vec![0; names.len()];
        Profile {
            owner,
            names,
            cycles,
        }
    }

    fn add(&mut self, pc: u16, cycles: u32) {
        self.cycles[self.owner[pc as usize] as usize] += cycles as u64;
    }

    /// The routines that took 1% or more of `total` cycles, most first.
    fn print(&self, total: u64) {
        let mut rows: Vec<(u64, &str)> = self
            .cycles
            .iter()
            .zip(&self.names)
            .filter(|&(&c, _)| c * 100 >= total)
            .map(|(&c, n)| (c, n.as_str()))
            .collect();
        rows.sort_by(|a, b| b.cmp(a));
        for (cycles, name) in rows {
            println!(
                "    {name:<24} {cycles:>12} {:>5.1}%",
                cycles as f64 * 100.0 / total as f64
            );
        }
    }
}

/// A machine whose output is recorded with the cycle of each byte.
struct Session {
    machine: Machine,
    output: Vec<(u64, u8)>,
    in_input: bool,
    last_output_cycle: u64,
    profile: Option<Profile>,
}

impl Session {
    fn boot() -> Session {
        let mut session = Session {
            machine: Machine::new(MachineConfig::default()),
            output: Vec::new(),
            in_input: false,
            last_output_cycle: 0,
            profile: None,
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

    /// One instruction, with the output and input entries watched (and profiled).
    fn step(&mut self) {
        assert!(!self.machine.cpu.is_jammed(), "the CPU jammed");
        let pc = self.machine.cpu.pc;
        match pc {
            MON_OUTPUT => {
                let cycle = self.machine.cycles();
                self.output.push((cycle, self.machine.cpu.a));
                self.in_input = false;
                self.last_output_cycle = cycle;
            }
            MON_INPUT => self.in_input = true,
            _ => {}
        }
        let cycles = self.machine.cpu.step(&mut self.machine.board);
        if let Some(profile) = &mut self.profile {
            profile.add(pc, cycles);
        }
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
                self.step();
            }
            self.machine.board.advance_devices();
        }
    }
}

/// Type `program`, then RUN; return the cycles the run took and what it printed.
fn run_program(program: &str, profile: bool) -> (u64, String, Option<Profile>) {
    let mut session = Session::boot();
    for line in program.lines() {
        session.type_text(&format!("{}\r", line.trim()));
        session.run_until(Session::waiting);
    }
    session.output.clear();
    if profile {
        session.profile = Some(Profile::new());
    }
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
    (output[ok].0 - output[start].0, printed, session.profile)
}

/// The screen driver's entry.
const SCREEN_PRINT: u16 = 0xBF2D;

/// Cycles of the slowest line feed the screen driver handles while BASIC prints a screenful
/// and more (every line feed on the bottom line scrolls the whole screen up); with `profile`,
/// also where the cycles of all the line feeds went, and their sum.
fn scroll_cycles(profile: bool) -> (u64, Option<(Profile, u64)>) {
    let mut session = Session::boot();
    let mut prof = profile.then(Profile::new);
    session.type_text("FOR I=1 TO 40: PRINT I: NEXT\r");
    let (mut slowest, mut total) = (0, 0);
    let start = session.machine.cycles();
    while !session.waiting() {
        assert!(session.machine.cycles() - start < BUDGET_CYCLES, "no OK");
        let cpu = &session.machine.cpu;
        if cpu.pc == SCREEN_PRINT && cpu.a == b'\n' {
            // Run to the driver's RTS: the return address is on top of the stack.
            let sp = cpu.s;
            let lo = session.machine.peek(0x0100 | sp.wrapping_add(1) as u16);
            let hi = session.machine.peek(0x0100 | sp.wrapping_add(2) as u16);
            let back = u16::from_le_bytes([lo, hi]).wrapping_add(1);
            let begin = session.machine.cycles();
            session.profile = prof.take();
            session.step();
            while !(session.machine.cpu.pc == back && session.machine.cpu.s == sp.wrapping_add(2)) {
                session.step();
            }
            prof = session.profile.take();
            let cycles = session.machine.cycles() - begin;
            slowest = slowest.max(cycles);
            total += cycles;
        } else {
            session.step();
        }
        session.machine.board.advance_devices();
    }
    (slowest, prof.map(|p| (p, total)))
}

/// The benchmarks: name, the original's cycles, program, text the run must print (besides
/// line ends).
const BENCHMARKS: [(&str, u64, &str, &str); 9] = [
    (
        "BM1 empty FOR loop to 1000",
        1_223_713,
        "300 FOR K=1 TO 1000
         400 NEXT K",
        "",
    ),
    (
        "BM2 IF/GOTO loop to 1000",
        7_862_823,
        "100 K=0
         200 K=K+1
         300 IF K<1000 THEN 200",
        "",
    ),
    (
        "BM3 BM2 + A=K/K*K+K-K",
        14_439_749,
        "100 K=0
         200 K=K+1
         210 A=K/K*K+K-K
         300 IF K<1000 THEN 200",
        "",
    ),
    (
        "BM4 BM2 + A=K/2*3+4-5",
        16_123_064,
        "100 K=0
         200 K=K+1
         210 A=K/2*3+4-5
         300 IF K<1000 THEN 200",
        "",
    ),
    (
        "BM5 BM4 + GOSUB",
        17_489_234,
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
        26_606_498,
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
        39_131_498,
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
        7_093_768,
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
        13_665_657,
        "10 N=1000: DIM F(N): C=0
         20 FOR I=2 TO N
         30 IF F(I) THEN 60
         40 C=C+1: IF I+I<=N THEN FOR J=I+I TO N STEP I: F(J)=1: NEXT J
         60 NEXT I
         70 PRINT C",
        " 168 ",
    ),
];

/// The original's line-feed scroll, measured the same way (issue #17).
const ORIGINAL_SCROLL_CYCLES: u64 = 24_000;

fn row(name: &str, original: u64, open: u64) {
    println!(
        "{name:<40} {original:>12} {open:>12} {:>6.2}",
        open as f64 / original as f64
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let profile = args.iter().any(|a| a == "--profile");
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let wanted =
        |name: &str| filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()));
    println!("BASIC benchmarks on the emulated Superboard (8K RAM), emulated CPU cycles");
    println!(
        "{:<40} {:>12} {:>12} {:>6}",
        "program", "original", "open", "ratio"
    );
    for (name, original, program, expected) in BENCHMARKS {
        if !wanted(name) {
            continue;
        }
        let (cycles, printed, prof) = run_program(program, profile);
        let printed = printed.replace(['\r', '\n'], "");
        assert_eq!(printed, expected, "{name}: unexpected output");
        row(name, original, cycles);
        if let Some(prof) = prof {
            prof.print(cycles);
        }
    }
    let name = "Scroll (screen driver line feed)";
    if wanted(name) {
        let (cycles, prof) = scroll_cycles(profile);
        row(name, ORIGINAL_SCROLL_CYCLES, cycles);
        if let Some((prof, total)) = prof {
            prof.print(total);
        }
    }
}
