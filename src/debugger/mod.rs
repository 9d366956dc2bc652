//! # Debugger: breakpoints, watchpoints, an instruction trace and stepping over a [`Machine`]
//!
//! The debugger is **session state**, not machine state: it lives beside the machine (the page
//! and `superboard mon` each hold one), is never part of a snapshot, and survives loading one.
//! Everything it does goes through [`Debugger::run`], which takes the place of
//! [`Machine::run_for`].
//!
//! **Zero cost when idle.** With no breakpoint, watchpoint, trace or pending step,
//! [`Debugger::run`] is exactly [`Machine::run_for`]. Otherwise it runs the machine through
//! [`Machine::run_with`] with a closure of its own, monomorphised twice: with watchpoints set
//! the CPU steps through [`Watched`], a bus that checks a 64 KB map of watched bytes on each
//! read and write; without them it steps on the board itself. A breakpoint costs one bit test
//! per instruction.
//!
//! **When it stops.** A breakpoint stops *before* the instruction at its address runs. A
//! watchpoint stops *after* the instruction that touched the watched byte (a 6502 instruction
//! cannot be cut short); the stop names the access, the value and the instruction's address.
//! Opcode fetches are not data reads and never trip a read watchpoint; operand and dummy reads
//! do, as they are real bus reads. A JAM stops right after the jamming opcode. The first
//! instruction of a run that resumes from a stop never trips the breakpoint it stopped on.
//!
//! **Stepping** (the goals): *step* runs one instruction; *step over* runs a JSR and everything
//! it calls, stopping at the instruction after it once the stack is back at the JSR's level
//! (recursion-safe); *step out* runs until an RTS or RTI pops the stack above the level it
//! started at; *run to* stops at an address. A goal is met as a [`StopReason::Goal`]; a
//! breakpoint, watchpoint or jam met on the way stops first.
//!
//! **Trace.** When on, a ring keeps the last [`TRACE_CAPACITY`] instructions executed with
//! their address, bytes, registers before execution and cycle — what a user reads after a
//! jam or an unexpected breakpoint.
//!
//! A RESET sequence (BREAK) is not an instruction: it is never traced and trips nothing.

mod labels;
mod listing;

pub use labels::{parse_number, Labels, LabelsError};
pub use listing::{disassemble, disassemble_around, DisasmLine};

use std::collections::BTreeSet;

use crate::board::Board;
use crate::cpu::{Bus, Cpu, B, U};
use crate::devices::keyboard::{Key, MATRIX_SIZE};
use crate::machine::{Machine, RunOutcome};

/// Instructions the trace ring holds.
pub const TRACE_CAPACITY: usize = 4096;

/// `Watchpoint` map bit: stop on a read.
const WATCH_READ: u8 = 1;
/// `Watchpoint` map bit: stop on a write.
const WATCH_WRITE: u8 = 2;

/// Opcode of JSR abs.
const OP_JSR: u8 = 0x20;
/// Opcode of RTS.
const OP_RTS: u8 = 0x60;
/// Opcode of RTI.
const OP_RTI: u8 = 0x40;

/// A watched address range and the accesses that stop the machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Watchpoint {
    /// First address.
    pub start: u16,
    /// Last address (inclusive).
    pub end: u16,
    /// Stop on reads.
    pub read: bool,
    /// Stop on writes.
    pub write: bool,
}

impl Watchpoint {
    /// How it is shown: `$D000-$D3FF rw`, `$0300 w`.
    pub fn describe(&self) -> String {
        let range = if self.start == self.end {
            format!("${:04X}", self.start)
        } else {
            format!("${:04X}-${:04X}", self.start, self.end)
        };
        let kind = match (self.read, self.write) {
            (true, true) => "rw",
            (true, false) => "r",
            _ => "w",
        };
        format!("{range} {kind}")
    }
}

/// One bus access that tripped a watchpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access {
    /// The address read or written.
    pub addr: u16,
    /// The byte read or written.
    pub value: u8,
    /// A write (else a read).
    pub write: bool,
    /// Address of the instruction that made the access.
    pub pc: u16,
}

/// Why [`Debugger::run`] stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// A breakpoint at the PC (the instruction there has not run).
    Breakpoint,
    /// A watchpoint was touched by the instruction just executed.
    Watch(Access),
    /// The CPU executed a JAM opcode at this address.
    Jam(u16),
    /// The step, step over, step out or run-to goal was met.
    Goal,
}

/// A stop: why, and where the CPU is now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stop {
    /// Why it stopped.
    pub reason: StopReason,
    /// The PC at the stop (the next instruction to run).
    pub pc: u16,
    /// The machine's cycle count at the stop.
    pub cycle: u64,
}

impl Stop {
    /// One line for people: `breakpoint at $FD00`, `write $41 to $D0C6 by $BF5A`.
    pub fn describe(&self, labels: &Labels) -> String {
        let at = labels.describe_addr(self.pc);
        match self.reason {
            StopReason::Breakpoint => format!("breakpoint at {at}"),
            StopReason::Watch(a) => format!(
                "{} ${:02X} {} {} by {}",
                if a.write { "write" } else { "read" },
                a.value,
                if a.write { "to" } else { "from" },
                labels.describe_addr(a.addr),
                labels.describe_addr(a.pc)
            ),
            StopReason::Jam(pc) => format!("CPU jammed at {}", labels.describe_addr(pc)),
            StopReason::Goal => format!("stopped at {at}"),
        }
    }
}

/// What [`Debugger::run`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DebugRun {
    /// Cycles run and whether the CPU is jammed.
    pub outcome: RunOutcome,
    /// Set when the run ended early.
    pub stop: Option<Stop>,
}

/// A stepping goal in progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Goal {
    /// Stop after one instruction.
    Step,
    /// Stop at `pc` once S is back at `s` or above (the instruction after a JSR).
    Return { pc: u16, s: u8 },
    /// Stop after an RTS/RTI that leaves S above `s`.
    Out { s: u8 },
    /// Stop at `pc`.
    At(u16),
}

/// One executed instruction in the trace ring: registers as they were before it ran.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TraceEntry {
    /// Cycle count when its opcode was fetched.
    pub cycle: u64,
    /// Its address.
    pub pc: u16,
    /// Its bytes (only the first `len` count).
    pub bytes: [u8; 3],
    /// Its length in bytes.
    pub len: u8,
    /// Registers before it ran.
    pub a: u8,
    pub x: u8,
    pub y: u8,
    pub s: u8,
    pub p: u8,
}

/// The keyboard matrix as a debugger shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatrixView {
    /// Rows the latch selects (1 bit = selected, the inverse of the active-low latch).
    pub selected_rows: u8,
    /// Keys held, a byte per row, 1 bit per pressed column.
    pub keys_down: [u8; MATRIX_SIZE],
}

impl MatrixView {
    /// The matrix of `machine` right now.
    pub fn of(machine: &Machine) -> MatrixView {
        MatrixView {
            selected_rows: machine.board.keyboard.selected_rows(),
            keys_down: machine.board.keyboard.matrix(),
        }
    }

    /// The held keys, in matrix order.
    pub fn held(&self) -> Vec<Key> {
        Key::ALL
            .iter()
            .copied()
            .filter(|k| self.keys_down[k.row() as usize] & (1 << k.column()) != 0)
            .collect()
    }
}

/// Breakpoints, watchpoints, the trace and the stepping state of one debugging session.
pub struct Debugger {
    breakpoints: BTreeSet<u16>,
    /// One bit per address, set where a breakpoint is.
    break_map: Box<[u64; 1024]>,
    watchpoints: Vec<Watchpoint>,
    /// WATCH_* bits per address; empty when there is no watchpoint.
    watch_map: Vec<u8>,
    goal: Option<Goal>,
    /// The PC of the last stop: its breakpoint does not trip again on resuming.
    resume_pc: Option<u16>,
    tracing: bool,
    trace: Vec<TraceEntry>,
    /// Next slot of the ring once it is full.
    trace_next: usize,
    last_stop: Option<Stop>,
}

impl Default for Debugger {
    fn default() -> Self {
        Self::new()
    }
}

impl Debugger {
    /// A debugger with nothing set.
    pub fn new() -> Debugger {
        Debugger {
            breakpoints: BTreeSet::new(),
            break_map: Box::new([0; 1024]),
            watchpoints: Vec::new(),
            watch_map: Vec::new(),
            goal: None,
            resume_pc: None,
            tracing: false,
            trace: Vec::new(),
            trace_next: 0,
            last_stop: None,
        }
    }

    /// Whether [`run`](Debugger::run) needs to watch each instruction.
    pub fn is_armed(&self) -> bool {
        !self.breakpoints.is_empty()
            || !self.watchpoints.is_empty()
            || self.tracing
            || self.goal.is_some()
    }

    /// Set a breakpoint; false if one was there already.
    pub fn add_breakpoint(&mut self, addr: u16) -> bool {
        self.break_map[usize::from(addr >> 6)] |= 1 << (addr & 63);
        self.breakpoints.insert(addr)
    }

    /// Remove a breakpoint; false if there was none.
    pub fn remove_breakpoint(&mut self, addr: u16) -> bool {
        self.break_map[usize::from(addr >> 6)] &= !(1 << (addr & 63));
        self.breakpoints.remove(&addr)
    }

    /// Remove every breakpoint.
    pub fn clear_breakpoints(&mut self) {
        self.breakpoints.clear();
        self.break_map.fill(0);
    }

    /// The breakpoints, in address order.
    pub fn breakpoints(&self) -> impl Iterator<Item = u16> + '_ {
        self.breakpoints.iter().copied()
    }

    #[inline(always)]
    fn breaks_at(&self, addr: u16) -> bool {
        self.break_map[usize::from(addr >> 6)] & (1 << (addr & 63)) != 0
    }

    /// Watch `start..=end` for reads and/or writes. A watchpoint with the same range replaces
    /// the old one. Watching neither kind of access removes it.
    pub fn add_watchpoint(&mut self, watch: Watchpoint) {
        let (start, end) = (watch.start.min(watch.end), watch.start.max(watch.end));
        self.watchpoints
            .retain(|w| (w.start, w.end) != (start, end));
        if watch.read || watch.write {
            self.watchpoints.push(Watchpoint {
                start,
                end,
                ..watch
            });
        }
        self.rebuild_watch_map();
    }

    /// Remove the watchpoint covering exactly `start..=end`; false if there was none.
    pub fn remove_watchpoint(&mut self, start: u16, end: u16) -> bool {
        let before = self.watchpoints.len();
        self.watchpoints
            .retain(|w| (w.start, w.end) != (start, end));
        self.rebuild_watch_map();
        self.watchpoints.len() != before
    }

    /// Remove every watchpoint.
    pub fn clear_watchpoints(&mut self) {
        self.watchpoints.clear();
        self.rebuild_watch_map();
    }

    /// The watchpoints, in the order they were set.
    pub fn watchpoints(&self) -> &[Watchpoint] {
        &self.watchpoints
    }

    fn rebuild_watch_map(&mut self) {
        self.watch_map.clear();
        if self.watchpoints.is_empty() {
            return;
        }
        self.watch_map.resize(0x10000, 0);
        for w in &self.watchpoints {
            let bits = if w.read { WATCH_READ } else { 0 } | if w.write { WATCH_WRITE } else { 0 };
            for addr in w.start..=w.end {
                self.watch_map[usize::from(addr)] |= bits;
            }
        }
    }

    /// Turn the trace ring on or off (off also empties it).
    pub fn set_tracing(&mut self, on: bool) {
        self.tracing = on;
        if !on {
            self.trace = Vec::new();
            self.trace_next = 0;
        }
    }

    /// Whether the trace ring records.
    pub fn tracing(&self) -> bool {
        self.tracing
    }

    /// The traced instructions, oldest first (at most [`TRACE_CAPACITY`]).
    pub fn trace(&self) -> impl Iterator<Item = &TraceEntry> + '_ {
        let (newer, older) = self.trace.split_at(self.trace_next);
        older.iter().chain(newer.iter())
    }

    fn record(&mut self, cpu: &Cpu, board: &Board, cycle: u64) {
        let pc = cpu.pc;
        let bytes = [
            board.peek(pc),
            board.peek(pc.wrapping_add(1)),
            board.peek(pc.wrapping_add(2)),
        ];
        let entry = TraceEntry {
            cycle,
            pc,
            bytes,
            len: superboard_asm::opcode(bytes[0]).len,
            a: cpu.a,
            x: cpu.x,
            y: cpu.y,
            s: cpu.s,
            p: cpu.p,
        };
        if self.trace.len() < TRACE_CAPACITY {
            self.trace.push(entry);
        } else {
            self.trace[self.trace_next] = entry;
            self.trace_next = (self.trace_next + 1) % TRACE_CAPACITY;
        }
    }

    /// The last stop, if the machine has not run since.
    pub fn last_stop(&self) -> Option<Stop> {
        self.last_stop
    }

    /// Stop after the next instruction (at the next [`run`](Debugger::run)).
    pub fn step(&mut self, machine: &Machine) {
        self.begin(machine, Goal::Step);
    }

    /// Start a goal from where the CPU is: a breakpoint at the PC does not stop it.
    fn begin(&mut self, machine: &Machine, goal: Goal) {
        self.resume_pc = Some(machine.cpu.pc);
        self.goal = Some(goal);
    }

    /// Step over: a JSR at the PC runs with everything it calls, stopping at the instruction
    /// after it; anything else is a single step.
    pub fn step_over(&mut self, machine: &Machine) {
        let pc = machine.cpu.pc;
        let goal = if machine.peek(pc) == OP_JSR && !machine.cpu.reset_pending() {
            Goal::Return {
                pc: pc.wrapping_add(3),
                s: machine.cpu.s,
            }
        } else {
            Goal::Step
        };
        self.begin(machine, goal);
    }

    /// Step out: run until an RTS or RTI leaves the current subroutine (or interrupt handler).
    pub fn step_out(&mut self, machine: &Machine) {
        self.begin(machine, Goal::Out { s: machine.cpu.s });
    }

    /// Run until the PC reaches `addr` (from the next instruction on).
    pub fn run_to(&mut self, machine: &Machine, addr: u16) {
        self.begin(machine, Goal::At(addr));
    }

    /// Drop a pending step, step over/out or run-to.
    pub fn cancel_goal(&mut self) {
        self.goal = None;
    }

    /// Whether a step, step over/out or run-to is in progress.
    pub fn goal_pending(&self) -> bool {
        self.goal.is_some()
    }

    /// Run `machine` for `budget_cycles` like [`Machine::run_for`], stopping early at a
    /// breakpoint, a watchpoint, a jam or a met goal.
    pub fn run(&mut self, machine: &mut Machine, budget_cycles: u64) -> DebugRun {
        self.last_stop = None;
        if !self.is_armed() {
            return DebugRun {
                outcome: machine.run_for(budget_cycles),
                stop: None,
            };
        }
        let mut stop = None;
        let outcome = if self.watch_map.is_empty() {
            machine.run_with(budget_cycles, |cpu, board| {
                self.instruction(cpu, board, &mut stop, |cpu, board| {
                    cpu.step(board);
                    None
                })
            })
        } else {
            let map = std::mem::take(&mut self.watch_map);
            let outcome = machine.run_with(budget_cycles, |cpu, board| {
                self.instruction(cpu, board, &mut stop, |cpu, board| {
                    let mut bus = Watched {
                        board,
                        map: &map,
                        pc: cpu.pc,
                        hit: None,
                    };
                    cpu.step(&mut bus);
                    bus.hit
                })
            });
            self.watch_map = map;
            outcome
        };
        if let Some(stop) = stop {
            self.resume_pc = Some(stop.pc);
            self.last_stop = Some(stop);
        }
        DebugRun { outcome, stop }
    }

    /// One instruction under the debugger's eye; `execute` runs it and reports a watchpoint
    /// hit. Returns true to end the run (and fills `stop`).
    #[inline(always)]
    fn instruction(
        &mut self,
        cpu: &mut Cpu,
        board: &mut Board,
        stop: &mut Option<Stop>,
        execute: impl FnOnce(&mut Cpu, &mut Board) -> Option<Access>,
    ) -> bool {
        let pc = cpu.pc;
        let sequence = cpu.reset_pending();
        let resuming = self.resume_pc.take() == Some(pc);
        if !sequence && !resuming {
            let at_goal = match self.goal {
                Some(Goal::At(addr)) => addr == pc,
                Some(Goal::Return { pc: addr, s }) => addr == pc && cpu.s >= s,
                _ => false,
            };
            let reason = if self.breaks_at(pc) {
                Some(StopReason::Breakpoint)
            } else if at_goal {
                Some(StopReason::Goal)
            } else {
                None
            };
            if let Some(reason) = reason {
                return self.stop_now(reason, cpu, board, stop);
            }
        }
        let opcode = board.peek(pc);
        if self.tracing && !sequence {
            self.record(cpu, board, board.cycles());
        }
        let hit = execute(cpu, board);
        let reason = if let Some(access) = hit {
            Some(StopReason::Watch(access))
        } else if cpu.is_jammed() && !sequence {
            Some(StopReason::Jam(pc))
        } else {
            match self.goal {
                Some(Goal::Step) => Some(StopReason::Goal),
                Some(Goal::Out { s }) if !sequence && (opcode == OP_RTS || opcode == OP_RTI) => {
                    (cpu.s > s).then_some(StopReason::Goal)
                }
                _ => None,
            }
        };
        match reason {
            Some(reason) => self.stop_now(reason, cpu, board, stop),
            None => false,
        }
    }

    fn stop_now(
        &mut self,
        reason: StopReason,
        cpu: &Cpu,
        board: &Board,
        stop: &mut Option<Stop>,
    ) -> bool {
        // Any stop ends a goal: the user decides what comes next.
        self.goal = None;
        *stop = Some(Stop {
            reason,
            pc: cpu.pc,
            cycle: board.cycles(),
        });
        true
    }
}

/// The board seen through the watch map: every read and write of a watched byte is noted
/// (the first one per instruction is kept).
struct Watched<'a> {
    board: &'a mut Board,
    map: &'a [u8],
    /// The instruction being executed.
    pc: u16,
    hit: Option<Access>,
}

impl Watched<'_> {
    #[inline(always)]
    fn note(&mut self, addr: u16, value: u8, bit: u8) {
        if self.map[usize::from(addr)] & bit != 0 && self.hit.is_none() {
            self.hit = Some(Access {
                addr,
                value,
                write: bit == WATCH_WRITE,
                pc: self.pc,
            });
        }
    }
}

impl Bus for Watched<'_> {
    #[inline(always)]
    fn read(&mut self, addr: u16) -> u8 {
        let value = self.board.read(addr);
        self.note(addr, value, WATCH_READ);
        value
    }

    #[inline(always)]
    fn write(&mut self, addr: u16, value: u8) {
        self.board.write(addr, value);
        self.note(addr, value, WATCH_WRITE);
    }

    #[inline(always)]
    fn fetch(&mut self, addr: u16) -> u8 {
        self.board.fetch(addr)
    }

    fn peek(&self, addr: u16) -> u8 {
        self.board.peek(addr)
    }
}

/// A CPU register by name, for editing from a monitor or the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Register {
    A,
    X,
    Y,
    /// Stack pointer.
    S,
    /// Status.
    P,
    /// Program counter.
    Pc,
}

impl Register {
    /// The register called `name` (`A`, `X`, `Y`, `S`/`SP`, `P`/`SR`, `PC`; any case).
    pub fn named(name: &str) -> Option<Register> {
        Some(match name.to_ascii_uppercase().as_str() {
            "A" | "AC" => Register::A,
            "X" | "XR" => Register::X,
            "Y" | "YR" => Register::Y,
            "S" | "SP" => Register::S,
            "P" | "SR" => Register::P,
            "PC" => Register::Pc,
            _ => return None,
        })
    }

    /// Set the register; 8-bit registers reject values over $FF. P keeps U set and B clear
    /// (as the CPU holds them).
    pub fn set(self, cpu: &mut Cpu, value: u16) -> Result<(), String> {
        if self != Register::Pc && value > 0xFF {
            return Err(format!("{self:?} is 8 bits: ${value:X} does not fit"));
        }
        let byte = value as u8;
        match self {
            Register::A => cpu.a = byte,
            Register::X => cpu.x = byte,
            Register::Y => cpu.y = byte,
            Register::S => cpu.s = byte,
            Register::P => cpu.p = (byte | U) & !B,
            Register::Pc => cpu.pc = value,
        }
        Ok(())
    }
}

/// The flag letters of P from bit 7 to bit 0 (`-` for the unused bit, `B` never set in P).
pub const FLAG_LETTERS: &str = "NV-BDIZC";

/// Set or clear a flag by letter (`N V D I Z C`, any case).
pub fn set_flag(cpu: &mut Cpu, letter: char, on: bool) -> Result<(), String> {
    let upper = letter.to_ascii_uppercase();
    let bit = match FLAG_LETTERS.find(upper) {
        Some(i) if upper != '-' && upper != 'B' => 0x80u8 >> i,
        _ => return Err(format!("no flag `{letter}` (use N V D I Z C)")),
    };
    if on {
        cpu.p |= bit;
    } else {
        cpu.p &= !bit;
    }
    Ok(())
}

/// The status register as letters, upper case when set: `Nv-bdIzc`.
pub fn flags_text(p: u8) -> String {
    FLAG_LETTERS
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if p & (0x80 >> i) != 0 {
                c
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// The registers in one line: `PC=FD00 A=0D X=FF Y=00 S=28 P=24 nv-bdIzc`.
pub fn registers_text(cpu: &Cpu) -> String {
    format!(
        "PC={:04X} A={:02X} X={:02X} Y={:02X} S={:02X} P={:02X} {}",
        cpu.pc,
        cpu.a,
        cpu.x,
        cpu.y,
        cpu.s,
        cpu.p,
        flags_text(cpu.p)
    )
}

/// A traced instruction as one line: cycle, address, bytes, instruction, registers before.
pub fn trace_line(entry: &TraceEntry, labels: &Labels) -> String {
    let len = usize::from(entry.len).max(1);
    let bytes: Vec<String> = entry.bytes[..len]
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    let decoded = superboard_asm::disasm::decode(&entry.bytes[..len], entry.pc)
        .map(|d| superboard_asm::disasm::instruction_text(&d, &|v, zp| labels.operand_name(v, zp)))
        .unwrap_or_default();
    format!(
        "{:>10}  {:04X}  {:<8}  {:<24}  A={:02X} X={:02X} Y={:02X} S={:02X} P={}",
        entry.cycle,
        entry.pc,
        bytes.join(" "),
        decoded,
        entry.a,
        entry.x,
        entry.y,
        entry.s,
        flags_text(entry.p)
    )
}

/// Store `bytes` from `addr` on without bus cycles; an error names the first address that is
/// not RAM or video RAM (ROM, a device, nothing) — the bytes before it are stored.
pub fn store(machine: &mut Machine, addr: u16, bytes: &[u8]) -> Result<(), String> {
    if usize::from(addr) + bytes.len() > 0x10000 {
        return Err(format!(
            "{} bytes from ${addr:04X} run past $FFFF",
            bytes.len()
        ));
    }
    for (i, &b) in bytes.iter().enumerate() {
        let a = addr + i as u16;
        machine.poke(a, b);
        if machine.peek(a) != b {
            return Err(format!(
                "${a:04X} is not RAM (ROM, a device or nothing): stopped there"
            ));
        }
    }
    Ok(())
}

/// Put an assembled program into memory at its addresses and add its symbols to `labels`;
/// returns the first and last address it placed.
pub fn load_assembly(
    machine: &mut Machine,
    assembly: &superboard_asm::Assembly,
    labels: &mut Labels,
) -> Result<(u16, u16), String> {
    let (start, end) = assembly.range().ok_or("the program makes no bytes")?;
    for addr in start..=end {
        if let Some(b) = assembly.byte(addr) {
            store(machine, addr, &[b])?;
        }
    }
    for (name, &value) in assembly.symbol_table() {
        if let Ok(addr) = u16::try_from(value) {
            // Names the label syntax refuses (none from the assembler) are skipped.
            let _ = labels.add(name, addr);
        }
    }
    Ok((start, end))
}

#[cfg(test)]
mod tests;
