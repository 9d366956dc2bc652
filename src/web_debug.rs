//! # The page's debugger, BASIC view and assembler: more of the [`Superboard`] facade
//!
//! Compiled only for `wasm32`, as a second `impl` block of the same JavaScript class, so
//! `src/web.rs` keeps the machine's own methods. Everything here is a thin call into the core
//! (`src/debugger/`, `src/basic/`, the `superboard-asm` crate); structured answers cross the
//! boundary as JSON text the page parses, errors as exceptions with the core's message.
//!
//! **Pausing.** A stop (breakpoint, watchpoint, jam, a met step goal) or [`Superboard::debug_pause`]
//! halts the machine: [`Superboard::run_for`] then runs nothing until
//! [`Superboard::debug_continue`] or one of the stepping calls, whatever the page's frame loop
//! does. Stepping calls set a goal and let the frame loop run until it is met, so stepping over
//! a routine that waits for a key works like any other run.

use std::fmt::Write as _;

use wasm_bindgen::prelude::*;

use crate::basic::variables::{self as basic, Value};
use crate::debugger::{
    disassemble, disassemble_around, load_assembly, set_flag, store, trace_line, Debugger,
    DisasmLine, Labels, Register, StopReason, Watchpoint,
};
use crate::web::Superboard;

/// The debugging session of one page machine: settings that are not machine state.
pub(crate) struct DebugSession {
    pub(crate) debugger: Debugger,
    pub(crate) labels: Labels,
    /// Held by a stop or by the user: `run_for` runs nothing.
    pub(crate) halted: bool,
}

impl DebugSession {
    pub(crate) fn new(roms: &crate::roms::RomSet) -> DebugSession {
        DebugSession {
            debugger: Debugger::new(),
            labels: Labels::for_roms(roms),
            halted: false,
        }
    }
}

/// `"text"` with JSON escapes.
fn json_str(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn json_line(line: &DisasmLine) -> String {
    let bytes: Vec<String> = line.bytes.iter().map(u8::to_string).collect();
    format!(
        "{{\"addr\":{},\"bytes\":[{}],\"text\":{},\"label\":{}}}",
        line.addr,
        bytes.join(","),
        json_str(&line.text),
        line.label.as_deref().map_or("null".to_string(), json_str)
    )
}

fn json_lines(lines: &[DisasmLine]) -> String {
    let items: Vec<String> = lines.iter().map(json_line).collect();
    format!("[{}]", items.join(","))
}

fn json_value(value: &Value) -> String {
    match value {
        Value::Number(n) => format!(
            "{{\"number\":{},\"text\":{}}}",
            if n.is_finite() {
                n.to_string()
            } else {
                "0".into()
            },
            json_str(&value.to_text())
        ),
        Value::Str { addr, .. } => format!(
            "{{\"string\":{},\"addr\":{addr}}}",
            json_str(&value.to_text())
        ),
    }
}

fn js_error(message: impl std::fmt::Display) -> JsError {
    JsError::new(&message.to_string())
}

#[wasm_bindgen]
impl Superboard {
    // ---- Running and stopping ------------------------------------------------------------

    /// Whether the debugger holds the machine (after a stop or `debug_pause`).
    pub fn debug_halted(&self) -> bool {
        self.debug.halted
    }

    /// Hold the machine where it is.
    pub fn debug_pause(&mut self) {
        self.debug.halted = true;
        self.debug.debugger.cancel_goal();
    }

    /// Let the machine run again (a breakpoint it stopped on does not stop it at once).
    pub fn debug_continue(&mut self) {
        self.debug.halted = false;
    }

    /// Run one instruction at the next `run_for`.
    pub fn debug_step(&mut self) {
        self.debug.debugger.step(&self.machine);
        self.debug.halted = false;
    }

    /// Step over a JSR (or one instruction).
    pub fn debug_step_over(&mut self) {
        self.debug.debugger.step_over(&self.machine);
        self.debug.halted = false;
    }

    /// Run until the current subroutine returns.
    pub fn debug_step_out(&mut self) {
        self.debug.debugger.step_out(&self.machine);
        self.debug.halted = false;
    }

    /// Run until the PC reaches `addr`.
    pub fn debug_run_to(&mut self, addr: u16) {
        self.debug.debugger.run_to(&self.machine, addr);
        self.debug.halted = false;
    }

    /// The last stop as JSON `{kind, text, pc, addr?, value?, write?}` (`kind` is
    /// "breakpoint", "watch", "jam" or "step"), or "" if the machine has run on since.
    pub fn debug_stop(&self) -> String {
        let Some(stop) = self.debug.debugger.last_stop() else {
            return String::new();
        };
        let text = json_str(&stop.describe(&self.debug.labels));
        match stop.reason {
            StopReason::Breakpoint => {
                format!("{{\"kind\":\"breakpoint\",\"text\":{text},\"pc\":{}}}", stop.pc)
            }
            StopReason::Watch(a) => format!(
                "{{\"kind\":\"watch\",\"text\":{text},\"pc\":{},\"addr\":{},\"value\":{},\"write\":{},\"by\":{}}}",
                stop.pc, a.addr, a.value, a.write, a.pc
            ),
            StopReason::Jam(at) => {
                format!("{{\"kind\":\"jam\",\"text\":{text},\"pc\":{at}}}")
            }
            StopReason::Goal => {
                format!("{{\"kind\":\"step\",\"text\":{text},\"pc\":{}}}", stop.pc)
            }
        }
    }

    // ---- Registers -------------------------------------------------------------------------

    /// PC, A, X, Y, S, P.
    pub fn debug_registers(&self) -> Vec<u32> {
        let c = &self.machine.cpu;
        vec![
            u32::from(c.pc),
            u32::from(c.a),
            u32::from(c.x),
            u32::from(c.y),
            u32::from(c.s),
            u32::from(c.p),
        ]
    }

    /// Set a register by name (A X Y S P PC); setting the PC restarts a jammed CPU there.
    pub fn debug_set_register(&mut self, name: &str, value: u32) -> Result<(), JsError> {
        let register =
            Register::named(name).ok_or_else(|| js_error(format!("no register {name:?}")))?;
        let value = u16::try_from(value).map_err(|_| js_error(format!("{value} is too big")))?;
        register
            .set(&mut self.machine.cpu, value)
            .map_err(js_error)?;
        if register == Register::Pc {
            self.machine.cpu.unjam();
        }
        Ok(())
    }

    /// Set or clear a flag (N V D I Z C).
    pub fn debug_set_flag(&mut self, letter: &str, on: bool) -> Result<(), JsError> {
        let c = letter.chars().next().unwrap_or(' ');
        set_flag(&mut self.machine.cpu, c, on).map_err(js_error)
    }

    // ---- Breakpoints, watchpoints, trace ---------------------------------------------------

    pub fn debug_add_breakpoint(&mut self, addr: u16) {
        self.debug.debugger.add_breakpoint(addr);
    }

    pub fn debug_remove_breakpoint(&mut self, addr: u16) {
        self.debug.debugger.remove_breakpoint(addr);
    }

    /// The breakpoints in address order.
    pub fn debug_breakpoints(&self) -> Vec<u16> {
        self.debug.debugger.breakpoints().collect()
    }

    /// Watch `start..=end` for reads and/or writes (neither removes the watchpoint).
    pub fn debug_add_watchpoint(&mut self, start: u16, end: u16, read: bool, write: bool) {
        self.debug.debugger.add_watchpoint(Watchpoint {
            start,
            end,
            read,
            write,
        });
    }

    pub fn debug_remove_watchpoint(&mut self, start: u16, end: u16) {
        self.debug.debugger.remove_watchpoint(start, end);
    }

    /// The watchpoints as JSON `[{start, end, read, write, text}]`.
    pub fn debug_watchpoints(&self) -> String {
        let items: Vec<String> = self
            .debug
            .debugger
            .watchpoints()
            .iter()
            .map(|w| {
                format!(
                    "{{\"start\":{},\"end\":{},\"read\":{},\"write\":{},\"text\":{}}}",
                    w.start,
                    w.end,
                    w.read,
                    w.write,
                    json_str(&w.describe())
                )
            })
            .collect();
        format!("[{}]", items.join(","))
    }

    /// Record the last instructions (the page keeps it on while the debugger is open).
    pub fn debug_set_tracing(&mut self, on: bool) {
        self.debug.debugger.set_tracing(on);
    }

    /// The last `count` traced instructions, one line each, oldest first.
    pub fn debug_trace(&self, count: usize) -> String {
        let entries: Vec<_> = self.debug.debugger.trace().collect();
        entries[entries.len().saturating_sub(count)..]
            .iter()
            .map(|e| trace_line(e, &self.debug.labels))
            .collect::<Vec<_>>()
            .join("\n")
    }

    // ---- Code and memory -------------------------------------------------------------------

    /// About `before` instructions before `pc`, then `after` after it, as JSON
    /// `[{addr, bytes, text, label}]`.
    pub fn debug_disassemble_around(&self, pc: u16, before: usize, after: usize) -> String {
        let peek = |a: u16| self.machine.peek(a);
        json_lines(&disassemble_around(
            &peek,
            pc,
            before.min(64),
            after.min(256),
            &self.debug.labels,
        ))
    }

    /// `count` instructions from `addr`, as JSON like `debug_disassemble_around`.
    pub fn debug_disassemble(&self, addr: u16, count: usize) -> String {
        let peek = |a: u16| self.machine.peek(a);
        json_lines(&disassemble(
            &peek,
            addr,
            count.min(256),
            &self.debug.labels,
        ))
    }

    /// `len` bytes from `start` (wrapping past $FFFF), read without side effects.
    pub fn debug_memory(&self, start: u16, len: usize) -> Vec<u8> {
        (0..len.min(0x10000))
            .map(|i| self.machine.peek(start.wrapping_add(i as u16)))
            .collect()
    }

    /// Store a byte; throws if `addr` is not RAM or video RAM.
    pub fn debug_poke(&mut self, addr: u16, value: u8) -> Result<(), JsError> {
        store(&mut self.machine, addr, &[value]).map_err(js_error)
    }

    /// An address typed by a person: hex (`FD00`, `$FD00`), `+decimal`, or a label with an
    /// optional offset (`KEYBOARD`, `loop+2`).
    pub fn debug_parse_address(&self, text: &str) -> Result<u16, JsError> {
        self.debug.labels.parse_address(text).map_err(js_error)
    }

    /// The label shown for `addr`, if any.
    pub fn debug_label(&self, addr: u16) -> Option<String> {
        self.debug.labels.name_of(addr).map(str::to_string)
    }

    /// Name an address.
    pub fn debug_add_label(&mut self, name: &str, addr: u16) -> Result<(), JsError> {
        self.debug.labels.add(name, addr).map_err(js_error)
    }

    // ---- BASIC -----------------------------------------------------------------------------

    /// BASIC's state as JSON: `{pointers: {txttab, vartab, arytab, strend, fretop, memsiz,
    /// txtptr, datptr, oldlin, free}, line (null in direct mode), variables: [{name, value,
    /// addr}], functions: [{name, text, addr}], arrays: [{name, dims, elements, count, addr}],
    /// strings: [bytes of string space]}`. Throws with a readable message when BASIC's tables do
    /// not make sense (BASIC not started, pointers overwritten).
    pub fn basic_state(&self) -> Result<String, JsError> {
        let state = basic::read(&|a| self.machine.peek(a)).map_err(js_error)?;
        let p = state.pointers;
        let mut out = format!(
            "{{\"pointers\":{{\"txttab\":{},\"vartab\":{},\"arytab\":{},\"strend\":{},\"fretop\":{},\"memsiz\":{},\"txtptr\":{},\"datptr\":{},\"oldlin\":{},\"free\":{}}},\"line\":{}",
            p.txttab,
            p.vartab,
            p.arytab,
            p.strend,
            p.fretop,
            p.memsiz,
            p.txtptr,
            p.datptr,
            p.oldlin,
            p.free_bytes(),
            p.curlin.map_or("null".to_string(), |l| l.to_string())
        );
        let vars: Vec<String> = state
            .variables
            .iter()
            .map(|v| {
                format!(
                    "{{\"name\":{},\"value\":{},\"addr\":{}}}",
                    json_str(&v.name),
                    json_value(&v.value),
                    v.addr
                )
            })
            .collect();
        let _ = write!(out, ",\"variables\":[{}]", vars.join(","));
        let fns: Vec<String> = state
            .functions
            .iter()
            .map(|f| {
                format!(
                    "{{\"name\":{},\"text\":{},\"addr\":{}}}",
                    json_str(&f.name),
                    f.text,
                    f.addr
                )
            })
            .collect();
        let _ = write!(out, ",\"functions\":[{}]", fns.join(","));
        let arrays: Vec<String> = state
            .arrays
            .iter()
            .map(|a| {
                let dims: Vec<String> = a.dims.iter().map(u16::to_string).collect();
                let elements: Vec<String> = a.elements.iter().map(json_value).collect();
                let count: u64 = a.dims.iter().map(|&d| u64::from(d)).product();
                format!(
                    "{{\"name\":{},\"dims\":[{}],\"elements\":[{}],\"count\":{count},\"addr\":{}}}",
                    json_str(&a.name),
                    dims.join(","),
                    elements.join(","),
                    a.addr
                )
            })
            .collect();
        let _ = write!(out, ",\"arrays\":[{}]", arrays.join(","));
        let strings: Vec<String> = state.string_space.iter().map(u8::to_string).collect();
        let _ = write!(out, ",\"strings\":[{}]}}", strings.join(","));
        Ok(out)
    }

    // ---- The assembler ---------------------------------------------------------------------

    /// Assemble 6502 source with the project's assembler. JSON: `{ok: true, start, end,
    /// bytes, listing, symbols: {name: value}}` or `{ok: false, errors: [{line, col, message,
    /// text}]}` where `text` is the error as the CLI prints it, with the source line and a
    /// caret.
    pub fn assemble(&self, source: &str) -> String {
        match assemble_program(source) {
            Ok(a) => {
                let (start, end) = a.range().unwrap_or((0, 0));
                let bytes: Vec<String> = if a.range().is_some() {
                    (start..=end)
                        .map(|addr| a.byte(addr).unwrap_or(0).to_string())
                        .collect()
                } else {
                    Vec::new()
                };
                let symbols: Vec<String> = a
                    .symbol_table()
                    .iter()
                    .map(|(k, v)| format!("{}:{v}", json_str(k)))
                    .collect();
                format!(
                    "{{\"ok\":true,\"start\":{start},\"end\":{end},\"bytes\":[{}],\"listing\":{},\"symbols\":{{{}}}}}",
                    bytes.join(","),
                    json_str(a.listing()),
                    symbols.join(",")
                )
            }
            Err(diags) => {
                let errors: Vec<String> = diags
                    .iter()
                    .map(|d| {
                        format!(
                            "{{\"line\":{},\"col\":{},\"message\":{},\"text\":{}}}",
                            d.line,
                            d.col,
                            json_str(&d.message),
                            json_str(&d.to_string())
                        )
                    })
                    .collect();
                format!("{{\"ok\":false,\"errors\":[{}]}}", errors.join(","))
            }
        }
    }

    /// Assemble and put the bytes at their addresses in RAM; its symbols become labels.
    /// `entry` is where the code starts: the symbol `start` if there is one, else the first
    /// byte. With `usr`, BASIC's USR vector ($0B/$0C) points at the entry; with `monitor`, the
    /// 65V monitor's address ($FE/$FF) does, so its G runs it. Returns `[first, last, entry]`.
    pub fn assemble_and_load(
        &mut self,
        source: &str,
        usr: bool,
        monitor: bool,
    ) -> Result<Vec<u16>, JsError> {
        let assembly = assemble_program(source).map_err(|d| js_error(first_error(&d)))?;
        let (first, last) = load_assembly(&mut self.machine, &assembly, &mut self.debug.labels)
            .map_err(js_error)?;
        let entry = entry_of(&assembly, first);
        let [lo, hi] = entry.to_le_bytes();
        if usr {
            store(&mut self.machine, 0x000B, &[lo, hi]).map_err(js_error)?;
        }
        if monitor {
            store(&mut self.machine, 0x00FE, &[lo, hi]).map_err(js_error)?;
        }
        Ok(vec![first, last, entry])
    }

    /// The assembled program as a file: "65v" (a tape the 65V monitor loads with L and runs
    /// with its G) or "bin" (the bytes from the first to the last address, gaps as $00).
    pub fn assemble_export(&self, source: &str, format: &str) -> Result<Vec<u8>, JsError> {
        let assembly = assemble_program(source).map_err(|d| js_error(first_error(&d)))?;
        let (first, last) = assembly
            .range()
            .ok_or_else(|| js_error("the program makes no bytes"))?;
        let image = assembly.image(first, last, 0).map_err(js_error)?;
        match format {
            "65v" => {
                Ok(
                    crate::kcs::machine_code_file(first, &image, Some(entry_of(&assembly, first)))
                        .into_bytes(),
                )
            }
            "bin" => Ok(image),
            other => Err(js_error(format!("export as 65v or bin, not {other:?}"))),
        }
    }
}

/// Assembles page source (no includes: there is no file system).
fn assemble_program(
    source: &str,
) -> Result<superboard_asm::Assembly, Vec<superboard_asm::Diagnostic>> {
    let mut files = superboard_asm::MemoryFiles::new();
    files.insert("program.asm", source);
    superboard_asm::assemble_with(
        std::path::Path::new("program.asm"),
        &superboard_asm::Options::default(),
        &mut files,
    )
}

fn first_error(diags: &[superboard_asm::Diagnostic]) -> String {
    diags
        .first()
        .map_or_else(|| "assembly failed".to_string(), |d| d.to_string())
}

/// The symbol `start` if defined inside the program, else its first address.
fn entry_of(assembly: &superboard_asm::Assembly, first: u16) -> u16 {
    assembly
        .symbol("start")
        .and_then(|v| u16::try_from(v).ok())
        .unwrap_or(first)
}
