//! `superboard mon`: a machine-language monitor over a whole Superboard II, in the spirit of
//! py65mon, for a terminal or a piped script (tests, autograders).
//!
//! One command per line; `;` starts a comment. Numbers are hex unless marked (`$FF`, `0xFF`
//! and `FF` are hex, `+255` decimal, `%11111111` binary). Wherever an address is asked for, a
//! label works too, with an offset (`KEYBOARD`, `loop+2`); ranges are `start:end`
//! (inclusive). docs/debugger.md lists every command; `help` prints them.
//!
//! The machine only runs when a command says so (`goto`, `continue`, `step`, `next`, `out`,
//! `to`, `wait`, `type`), always through the debugger, so breakpoints and watchpoints stop it
//! wherever it runs. A run without a stop ends after a time limit (`wait` takes its own), and
//! says where the CPU is.
//!
//! Exit status: 0, or 1 if any command failed (the script goes on after a failure, printing
//! `error: …`), 2 for bad options.

use std::fmt::Write as _;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use superboard::basic::variables as basic;
use superboard::debugger::{
    disassemble, flags_text, parse_number, registers_text, set_flag, trace_line, Debugger, Labels,
    MatrixView, Register, Stop, StopReason, Watchpoint,
};
use superboard::devices::tape::{DeckState, Tape};
use superboard::devices::video::ScreenView;
use superboard::machine::{Machine, CPU_CLOCK_HZ, CYCLES_PER_FRAME};

use super::run::{machine_with, ScreenArg};

/// Emulated seconds a run without a stop may take before the monitor gives up on it.
const RUN_LIMIT_SECONDS: f64 = 10.0;
/// Instructions `disassemble` shows without a range.
const DISASM_LINES: usize = 16;
/// Bytes `mem` shows without a range.
const MEM_BYTES: u16 = 128;

/// Options of `superboard mon`.
#[derive(Args, Debug)]
pub struct MonArgs {
    #[command(flatten)]
    pub rom: super::run::RomArgs,
    /// Installed RAM: 4K, 8K or 32K.
    #[arg(long, value_name = "SIZE", default_value = "8K", value_parser = super::run::parse_ram)]
    pub ram: superboard::board::RamSize,
    /// Run the commands of this file before reading the standard input (repeatable).
    #[arg(long, value_name = "FILE")]
    pub script: Vec<PathBuf>,
    /// Run this command before the scripts and the standard input (repeatable).
    #[arg(short = 'e', long = "exec", value_name = "COMMAND")]
    pub exec: Vec<String>,
}

/// What the caller does after a command.
#[derive(Debug, PartialEq, Eq)]
enum Flow {
    Continue,
    Quit,
}

/// One command of the table: long name, aliases, arguments, what it does.
struct Command {
    name: &'static str,
    aliases: &'static [&'static str],
    args: &'static str,
    help: &'static str,
}

const COMMANDS: &[Command] = &[
    Command { name: "help", aliases: &["?", "h"], args: "[COMMAND]", help: "list the commands, or explain one" },
    Command { name: "registers", aliases: &["r"], args: "[REG=VALUE|FLAG=0/1 ...]", help: "show the registers, or set them (A X Y S P PC) and flags (N V D I Z C)" },
    Command { name: "mem", aliases: &["m"], args: "[RANGE]", help: "hex and text dump (default: the next 128 bytes)" },
    Command { name: "write", aliases: &[">"], args: "ADDR BYTE... | ADDR \"TEXT\"", help: "store bytes from ADDR on" },
    Command { name: "fill", aliases: &["f"], args: "RANGE BYTE...", help: "fill RANGE with the bytes, repeated" },
    Command { name: "disassemble", aliases: &["d"], args: "[RANGE|ADDR]", help: "disassemble with labels (default: 16 instructions on from the last, or the PC)" },
    Command { name: "assemble", aliases: &["a"], args: "ADDR [INSTRUCTION]", help: "assemble one line at ADDR; without one, every following line until an empty one" },
    Command { name: "step", aliases: &["z"], args: "[COUNT]", help: "run one instruction (or COUNT), showing each" },
    Command { name: "next", aliases: &["n"], args: "", help: "step over: a JSR runs with all it calls" },
    Command { name: "out", aliases: &["finish"], args: "", help: "step out: run until this subroutine returns" },
    Command { name: "to", aliases: &["runto"], args: "ADDR", help: "run until the PC reaches ADDR" },
    Command { name: "goto", aliases: &["g"], args: "[ADDR]", help: "set the PC (if given) and run until something stops it" },
    Command { name: "continue", aliases: &["c"], args: "", help: "run from the PC until something stops it" },
    Command { name: "wait", aliases: &["run"], args: "SECONDS | \"TEXT\" [SECONDS]", help: "run for emulated SECONDS, or until TEXT is on the screen" },
    Command { name: "break", aliases: &["b"], args: "[ADDR...]", help: "set breakpoints; alone, list them" },
    Command { name: "unbreak", aliases: &["ub"], args: "ADDR...|all", help: "remove breakpoints" },
    Command { name: "watch", aliases: &["w"], args: "[RANGE [r|w|rw]]", help: "stop on reads and/or writes of RANGE (default rw); alone, list" },
    Command { name: "unwatch", aliases: &["uw"], args: "RANGE|all", help: "remove watchpoints" },
    Command { name: "label", aliases: &["al"], args: "ADDR NAME", help: "name an address" },
    Command { name: "labels", aliases: &["sl"], args: "[TEXT]", help: "list the labels (those containing TEXT)" },
    Command { name: "unlabel", aliases: &["dl"], args: "NAME", help: "remove a label" },
    Command { name: "symbols", aliases: &[], args: "FILE", help: "add the labels of a symbol file (superboard asm --symbols)" },
    Command { name: "load", aliases: &["l"], args: "FILE [ADDR]", help: "load a binary at ADDR, or assemble a .asm file into memory (with its labels)" },
    Command { name: "save", aliases: &["s"], args: "FILE RANGE [START]", help: "save RANGE as binary, or as a 65V tape if FILE ends in .65v (START: run address)" },
    Command { name: "tape", aliases: &[], args: "[FILE|play|stop|rewind|eject]", help: "insert a tape (.bas/.txt, .65v, .wav, raw; it plays when the ROM reads it), work the deck, or show it" },
    Command { name: "type", aliases: &["t"], args: "TEXT", help: "type on the keyboard and run until typed (\\n or \\r: RETURN)" },
    Command { name: "screen", aliases: &["sc"], args: "[full]", help: "show the screen as text (the TV window, or all 32x32)" },
    Command { name: "trace", aliases: &["tr"], args: "[on|off|COUNT]", help: "turn the instruction trace on/off, or show its last COUNT (20)" },
    Command { name: "vars", aliases: &["basic"], args: "", help: "BASIC's pointers, variables and arrays" },
    Command { name: "keys", aliases: &["matrix"], args: "", help: "the keyboard matrix: the row being scanned and the keys held" },
    Command { name: "reset", aliases: &[], args: "", help: "press BREAK (the reset runs at the next instruction)" },
    Command { name: "cycles", aliases: &["cy"], args: "", help: "the cycle counter" },
    Command { name: "quit", aliases: &["q", "exit"], args: "", help: "leave" },
];

/// The monitor: a machine, its debugger and its labels.
pub struct Monitor {
    machine: Machine,
    debugger: Debugger,
    labels: Labels,
    /// Where `disassemble` and `mem` go on from.
    next_disasm: Option<u16>,
    next_mem: u16,
    /// `assemble` without an instruction: the address of the next line.
    assembling: Option<u16>,
    /// Directory relative file names are read from and written to.
    dir: PathBuf,
}

fn command_named(word: &str) -> Option<&'static Command> {
    let lower = word.to_ascii_lowercase();
    COMMANDS
        .iter()
        .find(|c| c.name == lower || c.aliases.contains(&lower.as_str()))
}

impl Monitor {
    /// A monitor over `machine`, powered on: the CPU has run its reset sequence and stands at
    /// the reset entry, not yet running.
    pub fn new(mut machine: Machine) -> Monitor {
        let labels = Labels::for_roms(&machine.board.roms());
        let mut debugger = Debugger::new();
        debugger.step(&machine);
        debugger.run(&mut machine, CYCLES_PER_FRAME);
        Monitor {
            machine,
            debugger,
            labels,
            next_disasm: None,
            next_mem: 0,
            assembling: None,
            dir: PathBuf::from("."),
        }
    }

    /// The prompt: `.`, or the address while assembling line by line.
    fn prompt(&self) -> String {
        match self.assembling {
            Some(addr) => format!("{addr:04X}: "),
            None => ". ".to_string(),
        }
    }

    /// Runs one command line; output goes to `out`.
    fn execute(&mut self, line: &str, out: &mut String) -> Result<Flow, String> {
        if let Some(addr) = self.assembling {
            let text = line.trim();
            if text.is_empty() || text == "." {
                self.assembling = None;
                return Ok(Flow::Continue);
            }
            match self.assemble_line(addr, text, out) {
                Ok(next) => self.assembling = Some(next),
                Err(e) => return Err(e),
            }
            return Ok(Flow::Continue);
        }
        let line = strip_comment(line).trim();
        if line.is_empty() {
            return Ok(Flow::Continue);
        }
        let (word, rest) = match line.find(char::is_whitespace) {
            Some(i) => (&line[..i], line[i..].trim()),
            None => (line, ""),
        };
        // `>0300 A9` without a space.
        let (word, rest) = if word.len() > 1 && word.starts_with('>') {
            (">", line[1..].trim())
        } else {
            (word, rest)
        };
        let Some(command) = command_named(word) else {
            return Err(format!("unknown command `{word}` (help lists them)"));
        };
        let args: Vec<&str> = rest.split_whitespace().collect();
        match command.name {
            "help" => self.help(&args, out)?,
            "registers" => self.registers(&args, out)?,
            "mem" => self.mem(&args, out)?,
            "write" => self.write(rest, out)?,
            "fill" => self.fill(&args, out)?,
            "disassemble" => self.disassemble(&args, out)?,
            "assemble" => self.assemble(rest, out)?,
            "step" => self.step(&args, out)?,
            "next" => {
                self.debugger.step_over(&self.machine);
                self.run_until_stop(RUN_LIMIT_SECONDS, out);
            }
            "out" => {
                self.debugger.step_out(&self.machine);
                self.run_until_stop(RUN_LIMIT_SECONDS, out);
            }
            "to" => {
                let addr = self.one_addr(&args)?;
                self.debugger.run_to(&self.machine, addr);
                self.run_until_stop(RUN_LIMIT_SECONDS, out);
            }
            "goto" => {
                if !args.is_empty() {
                    self.machine.cpu.pc = self.one_addr(&args)?;
                    self.machine.cpu.unjam();
                }
                self.run_until_stop(RUN_LIMIT_SECONDS, out);
            }
            "continue" => {
                self.run_until_stop(RUN_LIMIT_SECONDS, out);
            }
            "wait" => self.wait(rest, out)?,
            "break" => self.breakpoints(&args, out)?,
            "unbreak" => self.unbreak(&args, out)?,
            "watch" => self.watch(&args, out)?,
            "unwatch" => self.unwatch(&args, out)?,
            "label" => {
                let [addr, name] = args[..] else {
                    return Err("label ADDR NAME".into());
                };
                let addr = self.addr(addr)?;
                self.labels.add(name, addr).map_err(|e| e.to_string())?;
            }
            "labels" => {
                for (addr, name) in self.labels.iter() {
                    if args.iter().all(|a| name.contains(a)) {
                        let _ = writeln!(out, "${addr:04X} {name}");
                    }
                }
            }
            "unlabel" => {
                let [name] = args[..] else {
                    return Err("unlabel NAME".into());
                };
                if !self.labels.remove(name) {
                    return Err(format!("no label `{name}`"));
                }
            }
            "symbols" => {
                let path = self.path(rest)?;
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                let n = self
                    .labels
                    .add_symbol_file(&text)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                let _ = writeln!(out, "{n} labels from {}", path.display());
            }
            "load" => self.load(&args, out)?,
            "save" => self.save(&args, out)?,
            "tape" => self.tape(rest, out)?,
            "type" => self.type_text(rest, out)?,
            "screen" => {
                let view = match args.first().map(|a| a.to_ascii_lowercase()) {
                    None => ScreenArg::Window,
                    Some(a) if a == "full" => ScreenArg::Full,
                    Some(a) if a == "window" => ScreenArg::Window,
                    Some(a) => return Err(format!("screen [full|window], not `{a}`")),
                };
                for row in self.machine.screen_text(ScreenView::from(view)).lines() {
                    let _ = writeln!(out, "{}", row.trim_end());
                }
            }
            "trace" => self.trace(&args, out)?,
            "vars" => self.vars(out)?,
            "keys" => self.keys(out),
            "reset" => {
                self.machine.press_break();
            }
            "cycles" => {
                let _ = writeln!(out, "{} cycles", self.machine.cycles());
            }
            "quit" => return Ok(Flow::Quit),
            _ => unreachable!("every command of the table is handled"),
        }
        Ok(Flow::Continue)
    }

    fn help(&self, args: &[&str], out: &mut String) -> Result<(), String> {
        let shown: Vec<&Command> = match args.first() {
            Some(word) => vec![command_named(word).ok_or_else(|| format!("no command `{word}`"))?],
            None => COMMANDS.iter().collect(),
        };
        for c in shown {
            let names = std::iter::once(c.name)
                .chain(c.aliases.iter().copied())
                .collect::<Vec<_>>()
                .join(", ");
            let _ = writeln!(out, "{:<24} {:<28} {}", names, c.args, c.help);
        }
        if args.is_empty() {
            let _ = writeln!(
                out,
                "Numbers are hex ($ and 0x optional); +N is decimal, %N binary. Labels work \
                 wherever an address does (NAME, NAME+2); ranges are START:END."
            );
        }
        Ok(())
    }

    // ---- Addresses and numbers -------------------------------------------------------------

    /// An address: a label or a number, with an optional offset.
    fn addr(&self, text: &str) -> Result<u16, String> {
        self.labels.parse_address(text)
    }

    fn one_addr(&self, args: &[&str]) -> Result<u16, String> {
        match args {
            [a] => self.addr(a),
            _ => Err("one address expected".into()),
        }
    }

    /// `START:END` (inclusive) or a single address (`len` bytes from it).
    fn range(&self, text: &str, len: u16) -> Result<(u16, u16), String> {
        match text.split_once(':') {
            Some((a, b)) => {
                let (start, end) = (self.addr(a)?, self.addr(b)?);
                if end < start {
                    return Err(format!("range {text} ends before it starts"));
                }
                Ok((start, end))
            }
            None => {
                let start = self.addr(text)?;
                Ok((start, start.saturating_add(len.saturating_sub(1))))
            }
        }
    }

    fn byte(text: &str) -> Result<u8, String> {
        parse_number(text)
            .and_then(|v| u8::try_from(v).ok())
            .ok_or_else(|| format!("`{text}` is not a byte"))
    }

    fn path(&self, text: &str) -> Result<PathBuf, String> {
        let t = text.trim().trim_matches('"');
        if t.is_empty() {
            return Err("a file name is needed".into());
        }
        Ok(self.dir.join(t))
    }

    // ---- Registers and memory --------------------------------------------------------------

    fn show_registers(&self, out: &mut String) {
        let _ = writeln!(out, "{}", registers_text(&self.machine.cpu));
    }

    fn registers(&mut self, args: &[&str], out: &mut String) -> Result<(), String> {
        for arg in args {
            let (name, value) = arg
                .split_once('=')
                .ok_or_else(|| format!("`{arg}`: NAME=VALUE expected"))?;
            if let Some(register) = Register::named(name) {
                let value = if register == Register::Pc {
                    self.addr(value)?
                } else {
                    u16::from(Monitor::byte(value)?)
                };
                register.set(&mut self.machine.cpu, value)?;
                if register == Register::Pc {
                    // A new PC restarts a jammed CPU there.
                    self.machine.cpu.unjam();
                    self.next_disasm = None;
                }
            } else if name.len() == 1 {
                let on = match value {
                    "1" => true,
                    "0" => false,
                    _ => return Err(format!("flag {name}: 0 or 1, not `{value}`")),
                };
                set_flag(
                    &mut self.machine.cpu,
                    name.chars().next().unwrap_or(' '),
                    on,
                )?;
            } else {
                return Err(format!("no register `{name}` (A X Y S P PC, or a flag)"));
            }
        }
        self.show_registers(out);
        Ok(())
    }

    fn mem(&mut self, args: &[&str], out: &mut String) -> Result<(), String> {
        let (start, end) = match args {
            [] => (self.next_mem, self.next_mem.saturating_add(MEM_BYTES - 1)),
            [r] => self.range(r, MEM_BYTES)?,
            _ => return Err("mem [RANGE]".into()),
        };
        let mut line_start = start;
        loop {
            let line_end = line_start.saturating_add(15).min(end);
            let bytes: Vec<u8> = (line_start..=line_end)
                .map(|a| self.machine.peek(a))
                .collect();
            let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02X}")).collect();
            let text: String = bytes
                .iter()
                .map(|&b| {
                    if (0x20..0x7F).contains(&b) {
                        b as char
                    } else {
                        '.'
                    }
                })
                .collect();
            let _ = writeln!(out, "{line_start:04X}  {:<47}  {text}", hex.join(" "));
            if line_end == end {
                break;
            }
            line_start = line_end + 1;
        }
        self.next_mem = end.wrapping_add(1);
        Ok(())
    }

    /// Bytes from arguments: hex bytes, or one "quoted text".
    fn bytes_of(text: &str) -> Result<Vec<u8>, String> {
        let t = text.trim();
        if let Some(inner) = t.strip_prefix('"') {
            let inner = inner
                .strip_suffix('"')
                .ok_or("the text has no closing quote")?;
            return Ok(inner.bytes().collect());
        }
        t.split_whitespace().map(Monitor::byte).collect()
    }

    fn write(&mut self, rest: &str, out: &mut String) -> Result<(), String> {
        let (addr, data) = rest
            .split_once(char::is_whitespace)
            .ok_or("write ADDR BYTE... (or \"TEXT\")")?;
        let addr = self.addr(addr)?;
        let bytes = Monitor::bytes_of(data)?;
        if bytes.is_empty() {
            return Err("no bytes to write".into());
        }
        self.store(addr, &bytes)?;
        let _ = writeln!(out, "{} bytes at ${addr:04X}", bytes.len());
        Ok(())
    }

    fn store(&mut self, addr: u16, bytes: &[u8]) -> Result<(), String> {
        superboard::debugger::store(&mut self.machine, addr, bytes)
    }

    fn fill(&mut self, args: &[&str], out: &mut String) -> Result<(), String> {
        let [range, bytes @ ..] = args else {
            return Err("fill RANGE BYTE...".into());
        };
        let (start, end) = self.range(range, 1)?;
        let pattern: Vec<u8> = bytes
            .iter()
            .map(|b| Monitor::byte(b))
            .collect::<Result<_, _>>()?;
        if pattern.is_empty() {
            return Err("fill RANGE BYTE...: no bytes".into());
        }
        let data: Vec<u8> = pattern
            .iter()
            .copied()
            .cycle()
            .take(usize::from(end - start) + 1)
            .collect();
        self.store(start, &data)?;
        let _ = writeln!(out, "filled ${start:04X}-${end:04X}");
        Ok(())
    }

    // ---- Code ------------------------------------------------------------------------------

    fn disassemble(&mut self, args: &[&str], out: &mut String) -> Result<(), String> {
        let peek = |a: u16| self.machine.peek(a);
        let lines = match args {
            [] => {
                let from = self.next_disasm.unwrap_or(self.machine.cpu.pc);
                disassemble(&peek, from, DISASM_LINES, &self.labels)
            }
            [r] if r.contains(':') => {
                let (start, end) = self.range(r, 1)?;
                let mut lines = Vec::new();
                let mut at = start;
                loop {
                    let line = disassemble(&peek, at, 1, &self.labels).remove(0);
                    let next = at.wrapping_add(line.bytes.len() as u16);
                    lines.push(line);
                    if next > end || next <= at {
                        break;
                    }
                    at = next;
                }
                lines
            }
            [a] => disassemble(&peek, self.addr(a)?, DISASM_LINES, &self.labels),
            _ => return Err("disassemble [RANGE|ADDR]".into()),
        };
        if let Some(last) = lines.last() {
            self.next_disasm = Some(last.addr.wrapping_add(last.bytes.len() as u16));
        }
        for line in lines {
            let _ = writeln!(out, "{}", line.to_text());
        }
        Ok(())
    }

    fn assemble(&mut self, rest: &str, out: &mut String) -> Result<(), String> {
        let (addr, instruction) = match rest.split_once(char::is_whitespace) {
            Some((a, i)) => (a, i.trim()),
            None => (rest, ""),
        };
        if addr.is_empty() {
            return Err("assemble ADDR [INSTRUCTION]".into());
        }
        let addr = self.addr(addr)?;
        if instruction.is_empty() {
            self.assembling = Some(addr);
            let _ = writeln!(out, "assembling at ${addr:04X}; an empty line ends");
            return Ok(());
        }
        self.assemble_line(addr, instruction, out).map(|_| ())
    }

    /// Assembles one line at `addr` with the project's assembler (labels usable as operands);
    /// returns the address after it.
    fn assemble_line(&mut self, addr: u16, line: &str, out: &mut String) -> Result<u16, String> {
        // The labels the line names become constants of the one-line source.
        let mut source = String::new();
        for word in line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            if let Some(value) = self.labels.lookup(word) {
                if !source.contains(&format!("\n{word} =")) {
                    let _ = write!(source, "\n{word} = ${value:04X}");
                }
            }
        }
        let text = format!(".org ${addr:04X}\n{line}{source}\n");
        let assembly =
            superboard_asm::assemble_source("line", &text, &superboard_asm::Options::default())
                .map_err(|diags| {
                    let d = &diags[0];
                    if d.line == 2 {
                        format!(
                            "{}\n  {line}\n  {}^",
                            d.message,
                            " ".repeat(d.col.saturating_sub(1))
                        )
                    } else {
                        d.message.clone()
                    }
                })?;
        let Some((start, end)) = assembly.range() else {
            return Err("that line makes no bytes".into());
        };
        let bytes: Vec<u8> = (start..=end)
            .map(|a| assembly.byte(a).unwrap_or(0))
            .collect();
        self.store(start, &bytes)?;
        let shown = disassemble(&|a| self.machine.peek(a), start, 1, &self.labels).remove(0);
        let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02X}")).collect();
        let _ = writeln!(out, "{start:04X}  {:<8}  {}", hex.join(" "), shown.text);
        Ok(end.wrapping_add(1))
    }

    // ---- Running ---------------------------------------------------------------------------

    /// Shows where the CPU is: registers and the instruction at the PC.
    fn show_position(&self, out: &mut String) {
        self.show_registers(out);
        let line = disassemble(
            &|a| self.machine.peek(a),
            self.machine.cpu.pc,
            1,
            &self.labels,
        )
        .remove(0);
        let _ = writeln!(out, "{}", line.to_text());
    }

    fn report_stop(&mut self, stop: Stop, out: &mut String) {
        let _ = writeln!(out, "{}", stop.describe(&self.labels));
        if let StopReason::Jam(_) = stop.reason {
            if self.debugger.tracing() {
                let _ = writeln!(out, "last instructions:");
                self.show_trace(8, out);
            }
        }
        self.next_disasm = None;
        self.show_position(out);
    }

    /// Runs until the debugger stops or `seconds` of emulated time pass; returns the stop.
    fn run_until_stop(&mut self, seconds: f64, out: &mut String) -> Option<Stop> {
        let budget = (seconds * CPU_CLOCK_HZ as f64) as u64;
        let start = self.machine.cycles();
        while self.machine.cycles() - start < budget {
            if let Some(stop) = self.debugger.run(&mut self.machine, CYCLES_PER_FRAME).stop {
                self.report_stop(stop, out);
                return Some(stop);
            }
        }
        self.debugger.cancel_goal();
        let _ = writeln!(out, "no stop after {seconds} s of emulated time");
        self.next_disasm = None;
        self.show_position(out);
        None
    }

    fn step(&mut self, args: &[&str], out: &mut String) -> Result<(), String> {
        let count = match args {
            [] => 1,
            [n] => parse_number(&format!("+{}", n.trim_start_matches('+')))
                .filter(|&n| n > 0)
                .ok_or_else(|| format!("`{n}` is not a count"))?,
            _ => return Err("step [COUNT]".into()),
        };
        for _ in 0..count {
            if self.machine.cpu.is_jammed() {
                return Err("the CPU is jammed: set the PC (r pc=…) or reset".into());
            }
            let pc = self.machine.cpu.pc;
            let line = disassemble(&|a| self.machine.peek(a), pc, 1, &self.labels).remove(0);
            self.debugger.step(&self.machine);
            let run = self.debugger.run(&mut self.machine, CYCLES_PER_FRAME);
            let cpu = &self.machine.cpu;
            let _ = writeln!(
                out,
                "{:04X}  {:<24}  A={:02X} X={:02X} Y={:02X} S={:02X} P={}",
                pc,
                line.text,
                cpu.a,
                cpu.x,
                cpu.y,
                cpu.s,
                flags_text(cpu.p)
            );
            match run.stop {
                Some(Stop {
                    reason: StopReason::Goal,
                    ..
                }) => {}
                Some(stop) => {
                    self.report_stop(stop, out);
                    break;
                }
                None => break,
            }
        }
        self.next_disasm = None;
        Ok(())
    }

    fn wait(&mut self, rest: &str, out: &mut String) -> Result<(), String> {
        let rest = rest.trim();
        if let Some(quoted) = rest.strip_prefix('"') {
            let (text, after) = quoted
                .split_once('"')
                .ok_or("wait \"TEXT\" [SECONDS]: no closing quote")?;
            let seconds = match after.trim() {
                "" => RUN_LIMIT_SECONDS,
                s => seconds_of(s)?,
            };
            let budget = (seconds * CPU_CLOCK_HZ as f64) as u64;
            let start = self.machine.cycles();
            while self.machine.cycles() - start < budget {
                if self.machine.screen_text(ScreenView::Full).contains(text) {
                    return Ok(());
                }
                if let Some(stop) = self.debugger.run(&mut self.machine, CYCLES_PER_FRAME).stop {
                    self.report_stop(stop, out);
                    return Ok(());
                }
            }
            return Err(format!("\"{text}\" did not appear within {seconds} s"));
        }
        let seconds = seconds_of(rest)?;
        let budget = (seconds * CPU_CLOCK_HZ as f64) as u64;
        let start = self.machine.cycles();
        while self.machine.cycles() - start < budget {
            let left = budget - (self.machine.cycles() - start);
            if let Some(stop) = self
                .debugger
                .run(&mut self.machine, left.min(CYCLES_PER_FRAME))
                .stop
            {
                self.report_stop(stop, out);
                break;
            }
        }
        Ok(())
    }

    fn type_text(&mut self, rest: &str, out: &mut String) -> Result<(), String> {
        let text = rest.trim();
        let text = text
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .unwrap_or(text);
        let text = text
            .replace("\\r", "\r")
            .replace("\\n", "\r")
            .replace("\\\\", "\\");
        self.machine.type_text(&text).map_err(|e| e.to_string())?;
        let budget = (RUN_LIMIT_SECONDS * 6.0 * CPU_CLOCK_HZ as f64) as u64;
        let start = self.machine.cycles();
        while self.machine.typing_pending() {
            if self.machine.cycles() - start >= budget {
                return Err(
                    "the machine did not take the typing (is it reading the keyboard?)".into(),
                );
            }
            if let Some(stop) = self.debugger.run(&mut self.machine, CYCLES_PER_FRAME).stop {
                self.report_stop(stop, out);
                break;
            }
        }
        Ok(())
    }

    // ---- Breakpoints and watchpoints -------------------------------------------------------

    fn breakpoints(&mut self, args: &[&str], out: &mut String) -> Result<(), String> {
        if args.is_empty() {
            let list: Vec<u16> = self.debugger.breakpoints().collect();
            if list.is_empty() {
                let _ = writeln!(out, "no breakpoints");
            }
            for addr in list {
                let _ = writeln!(out, "{}", self.labels.describe_addr(addr));
            }
            return Ok(());
        }
        let addrs: Vec<u16> = args
            .iter()
            .map(|a| self.addr(a))
            .collect::<Result<_, _>>()?;
        for addr in addrs {
            self.debugger.add_breakpoint(addr);
            let _ = writeln!(out, "breakpoint at {}", self.labels.describe_addr(addr));
        }
        Ok(())
    }

    fn unbreak(&mut self, args: &[&str], out: &mut String) -> Result<(), String> {
        if args.first().is_some_and(|a| a.eq_ignore_ascii_case("all")) {
            self.debugger.clear_breakpoints();
            let _ = writeln!(out, "no breakpoints");
            return Ok(());
        }
        if args.is_empty() {
            return Err("unbreak ADDR...|all".into());
        }
        for a in args {
            let addr = self.addr(a)?;
            if !self.debugger.remove_breakpoint(addr) {
                return Err(format!("no breakpoint at ${addr:04X}"));
            }
        }
        Ok(())
    }

    fn watch(&mut self, args: &[&str], out: &mut String) -> Result<(), String> {
        let (range, kind) = match args {
            [] => {
                if self.debugger.watchpoints().is_empty() {
                    let _ = writeln!(out, "no watchpoints");
                }
                for w in self.debugger.watchpoints() {
                    let _ = writeln!(out, "{}", w.describe());
                }
                return Ok(());
            }
            [r] => (*r, "rw"),
            [r, k] => (*r, *k),
            _ => return Err("watch RANGE [r|w|rw]".into()),
        };
        let (read, write) = match kind.to_ascii_lowercase().as_str() {
            "r" => (true, false),
            "w" => (false, true),
            "rw" | "wr" => (true, true),
            other => return Err(format!("`{other}`: r, w or rw")),
        };
        let (start, end) = self.range(range, 1)?;
        let watch = Watchpoint {
            start,
            end,
            read,
            write,
        };
        self.debugger.add_watchpoint(watch);
        let _ = writeln!(out, "watching {}", watch.describe());
        Ok(())
    }

    fn unwatch(&mut self, args: &[&str], out: &mut String) -> Result<(), String> {
        match args {
            [a] if a.eq_ignore_ascii_case("all") => {
                self.debugger.clear_watchpoints();
                let _ = writeln!(out, "no watchpoints");
                Ok(())
            }
            [r] => {
                let (start, end) = self.range(r, 1)?;
                if self.debugger.remove_watchpoint(start, end) {
                    Ok(())
                } else {
                    Err(format!("no watchpoint on {r}"))
                }
            }
            _ => Err("unwatch RANGE|all".into()),
        }
    }

    fn show_trace(&self, count: usize, out: &mut String) {
        let entries: Vec<_> = self.debugger.trace().collect();
        for entry in &entries[entries.len().saturating_sub(count)..] {
            let _ = writeln!(out, "{}", trace_line(entry, &self.labels));
        }
    }

    fn trace(&mut self, args: &[&str], out: &mut String) -> Result<(), String> {
        match args {
            [a] if a.eq_ignore_ascii_case("on") => {
                self.debugger.set_tracing(true);
                let _ = writeln!(out, "trace on");
            }
            [a] if a.eq_ignore_ascii_case("off") => {
                self.debugger.set_tracing(false);
                let _ = writeln!(out, "trace off");
            }
            _ => {
                if !self.debugger.tracing() {
                    return Err("the trace is off (trace on)".into());
                }
                let count = match args {
                    [] => 20,
                    [n] => n
                        .trim_start_matches('+')
                        .parse()
                        .map_err(|_| format!("`{n}` is not a count"))?,
                    _ => return Err("trace [on|off|COUNT]".into()),
                };
                self.show_trace(count, out);
            }
        }
        Ok(())
    }

    // ---- Files and devices -----------------------------------------------------------------

    fn load(&mut self, args: &[&str], out: &mut String) -> Result<(), String> {
        let (file, addr) = match args {
            [f] => (*f, None),
            [f, a] => (*f, Some(self.addr(a)?)),
            _ => return Err("load FILE [ADDR]".into()),
        };
        let path = self.path(file)?;
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("asm"))
        {
            return self.load_source(&path, out);
        }
        let Some(addr) = addr else {
            return Err("load FILE ADDR: where should the bytes go?".into());
        };
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        self.store(addr, &bytes)?;
        let _ = writeln!(
            out,
            "{} bytes at ${addr:04X}-${:04X}",
            bytes.len(),
            usize::from(addr) + bytes.len().max(1) - 1
        );
        Ok(())
    }

    /// Assembles a source file into memory and adds its symbols as labels.
    fn load_source(&mut self, path: &Path, out: &mut String) -> Result<(), String> {
        let assembly = superboard_asm::assemble_file(path, &superboard_asm::Options::default())
            .map_err(|d| superboard_asm::render_all(&d).trim_end().to_string())?;
        let (start, end) =
            superboard::debugger::load_assembly(&mut self.machine, &assembly, &mut self.labels)?;
        let named = assembly.symbol_table().len();
        let _ = writeln!(
            out,
            "assembled {} into ${start:04X}-${end:04X}, {named} labels",
            path.display()
        );
        Ok(())
    }

    fn save(&mut self, args: &[&str], out: &mut String) -> Result<(), String> {
        let (file, range, start) = match args {
            [f, r] => (*f, *r, None),
            [f, r, s] => (*f, *r, Some(self.addr(s)?)),
            _ => return Err("save FILE RANGE [START]".into()),
        };
        let path = self.path(file)?;
        let (from, to) = self.range(range, 1)?;
        let bytes: Vec<u8> = (from..=to).map(|a| self.machine.peek(a)).collect();
        let is_65v = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("65v"));
        let data = if is_65v {
            superboard::kcs::machine_code_file(from, &bytes, start).into_bytes()
        } else {
            if start.is_some() {
                return Err("a run address only goes into a .65v tape".into());
            }
            bytes.clone()
        };
        std::fs::write(&path, &data).map_err(|e| format!("{}: {e}", path.display()))?;
        let _ = writeln!(
            out,
            "saved ${from:04X}-${to:04X} ({} bytes) to {}",
            bytes.len(),
            path.display()
        );
        Ok(())
    }

    fn tape(&mut self, rest: &str, out: &mut String) -> Result<(), String> {
        let rest = rest.trim();
        match rest.to_ascii_lowercase().as_str() {
            "eject" => {
                self.machine.eject_tape();
            }
            "play" => self.machine.play_tape(),
            "stop" => {
                self.machine.stop_tape();
            }
            "rewind" => self.machine.rewind_tape(),
            _ => {}
        }
        let control = ["eject", "play", "stop", "rewind"]
            .iter()
            .any(|c| rest.eq_ignore_ascii_case(c));
        if !rest.is_empty() && !control {
            let path = self.path(rest)?;
            let contents = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let tape = Tape::from_file(&path.display().to_string(), &contents)
                .map_err(|e| e.to_string())?;
            self.machine.insert_tape(tape);
            // Played by the ROM's first read of the cassette (LOAD, or the monitor's L), as
            // fast as it takes the bytes.
            self.machine.deck_mut().set_auto_play(true);
            self.machine.set_turbo_tape(true);
        }
        let deck = &self.machine.deck;
        match deck.tape() {
            Some(tape) => {
                let state = match deck.state() {
                    DeckState::Stopped => "stopped",
                    DeckState::Playing => "playing",
                    DeckState::Recording => "recording",
                };
                let _ = writeln!(
                    out,
                    "tape {}: {} bytes, at byte {}, {state}",
                    tape.name(),
                    deck.len(),
                    deck.position()
                );
            }
            None => {
                let _ = writeln!(out, "no tape");
            }
        }
        Ok(())
    }

    // ---- Views -----------------------------------------------------------------------------

    fn vars(&self, out: &mut String) -> Result<(), String> {
        let state = basic::read(&|a| self.machine.peek(a)).map_err(|e| e.to_string())?;
        let p = state.pointers;
        let _ = writeln!(
            out,
            "TXTTAB=${:04X} VARTAB=${:04X} ARYTAB=${:04X} STREND=${:04X} FRETOP=${:04X} MEMSIZ=${:04X}",
            p.txttab, p.vartab, p.arytab, p.strend, p.fretop, p.memsiz
        );
        let line = match p.curlin {
            Some(n) => format!("line {n}"),
            None => "direct mode".to_string(),
        };
        let _ = writeln!(
            out,
            "{line}, TXTPTR=${:04X}, {} bytes free, {} bytes of strings",
            p.txtptr,
            p.free_bytes(),
            state.string_space.len()
        );
        for v in &state.variables {
            let _ = writeln!(out, "{} = {}", v.name, v.value.to_text());
        }
        for f in &state.functions {
            let _ = writeln!(out, "{} defined at ${:04X}", f.name, f.text);
        }
        for a in &state.arrays {
            let dims: Vec<String> = a.dims.iter().map(|d| (d - 1).to_string()).collect();
            let values: Vec<String> = a.elements.iter().map(|v| v.to_text()).collect();
            let _ = writeln!(out, "{}({}) = {}", a.name, dims.join(","), values.join(" "));
        }
        Ok(())
    }

    fn keys(&self, out: &mut String) {
        let view = MatrixView::of(&self.machine);
        let rows: Vec<String> = (0..8)
            .filter(|r| view.selected_rows & (1 << r) != 0)
            .map(|r| r.to_string())
            .collect();
        let _ = writeln!(
            out,
            "row latch ${:02X}: scanning row {}",
            !view.selected_rows,
            if rows.is_empty() {
                "none".to_string()
            } else {
                rows.join(", ")
            }
        );
        let held: Vec<&str> = view.held().iter().map(|k| k.legend()).collect();
        let _ = writeln!(
            out,
            "held: {}",
            if held.is_empty() {
                "nothing".to_string()
            } else {
                held.join(", ")
            }
        );
    }
}

/// `1.5`, `+2`: emulated seconds.
fn seconds_of(text: &str) -> Result<f64, String> {
    text.trim()
        .trim_start_matches('+')
        .trim_end_matches('s')
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .ok_or_else(|| format!("`{text}` is not a number of seconds"))
}

/// The line without its `;` comment (a `;` inside quotes stays).
fn strip_comment(line: &str) -> &str {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => return &line[..i],
            _ => {}
        }
    }
    line
}

/// Runs the subcommand; returns the exit status.
pub fn run(args: MonArgs) -> i32 {
    let files = args.rom.files();
    let machine = match machine_with(&files, args.ram) {
        Ok(m) => m,
        Err(message) => {
            eprintln!("error: {message}");
            return 2;
        }
    };
    let mut monitor = Monitor::new(machine);
    let mut failed = false;
    let stdout = std::io::stdout();
    let interactive = std::io::stdin().is_terminal();
    let mut run_line = |monitor: &mut Monitor, line: &str, echo: bool| -> Flow {
        let mut out = String::new();
        if echo {
            out.push_str(&monitor.prompt());
            out.push_str(line);
            out.push('\n');
        }
        let flow = match monitor.execute(line, &mut out) {
            Ok(flow) => flow,
            Err(message) => {
                failed = true;
                out.push_str(&format!("error: {message}\n"));
                Flow::Continue
            }
        };
        let mut lock = stdout.lock();
        let _ = lock.write_all(out.as_bytes());
        let _ = lock.flush();
        flow
    };
    for command in &args.exec {
        if run_line(&mut monitor, command, true) == Flow::Quit {
            return i32::from(failed);
        }
    }
    for script in &args.script {
        let text = match std::fs::read_to_string(script) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {}: {e}", script.display());
                return 2;
            }
        };
        for line in text.lines() {
            if run_line(&mut monitor, line, true) == Flow::Quit {
                return i32::from(failed);
            }
        }
    }
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    loop {
        if interactive {
            print!("{}", monitor.prompt());
            let _ = std::io::stdout().flush();
        }
        let Some(Ok(line)) = lines.next() else {
            break;
        };
        if run_line(&mut monitor, &line, !interactive) == Flow::Quit {
            break;
        }
    }
    i32::from(failed)
}
