//! Helpers shared by the integration tests that drive BASIC on the whole machine, and a seeded
//! generator for random test data.
// Each test crate uses its own subset of these.
#![allow(dead_code)]

pub mod audio;

use std::process::{Command, Output};

use superboard::devices::video::ScreenView;
use superboard::machine::Machine;

/// Cycles per `run_for` slice while waiting for something on screen.
pub const SLICE_CYCLES: u64 = 20_000;

/// The window's rows, trailing spaces removed.
pub fn rows(m: &Machine) -> Vec<String> {
    m.screen_text(ScreenView::Window)
        .lines()
        .map(|row| row.trim_end().to_string())
        .collect()
}

/// BASIC waits for a command: "OK" above the cursor on the last row.
pub fn at_ok(m: &Machine) -> bool {
    let rows = rows(m);
    rows.len() >= 2 && rows[rows.len() - 1] == "_" && rows[rows.len() - 2] == "OK"
}

/// Runs until the typing is done and `done` holds; panics with the screen if that takes more
/// than `budget_cycles`.
pub fn run_until(m: &mut Machine, budget_cycles: u64, what: &str, done: impl Fn(&Machine) -> bool) {
    let start = m.cycles();
    while m.typing_pending() || !done(m) {
        assert!(
            m.cycles() - start < budget_cycles,
            "{what}: not reached within {budget_cycles} cycles; screen:\n{}",
            m.screen_text(ScreenView::Window)
        );
        m.run_for(SLICE_CYCLES);
    }
}

/// `superboard run ARGS` (the binary under test), waited for.
pub fn superboard_run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_superboard"))
        .arg("run")
        .args(args)
        .output()
        .expect("run superboard")
}

/// A finished command's status, stdout and stderr, for assertion messages.
pub fn describe(out: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// xorshift64*: a small seeded generator for test data, the same on every platform.
pub struct Rng(pub u64);

impl Rng {
    /// A generator from any seed (0 included).
    pub fn seeded(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in 0..n (0 when n is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// An index in 0..n (0 when n is 0).
    pub fn idx(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }
}
