//! Disassembly of the machine's memory with labels, read through `peek` (no side effects).

use superboard_asm::disasm::{decode, instruction_text};

use super::Labels;

/// One disassembled instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisasmLine {
    /// Its address.
    pub addr: u16,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// `MNEMONIC operand` with labels.
    pub text: String,
    /// The label of its address, if any.
    pub label: Option<String>,
}

impl DisasmLine {
    /// `FD00  A9 00     LDA #$00` (with `LABEL:` on a line before when labelled).
    pub fn to_text(&self) -> String {
        let bytes: Vec<String> = self.bytes.iter().map(|b| format!("{b:02X}")).collect();
        let line = format!("{:04X}  {:<8}  {}", self.addr, bytes.join(" "), self.text);
        match &self.label {
            Some(label) => format!("{label}:\n{line}"),
            None => line,
        }
    }
}

/// The instruction at `addr`.
fn line_at(peek: &dyn Fn(u16) -> u8, addr: u16, labels: &Labels) -> DisasmLine {
    let bytes = [
        peek(addr),
        peek(addr.wrapping_add(1)),
        peek(addr.wrapping_add(2)),
    ];
    let d = decode(&bytes, addr).expect("three bytes decode");
    let text = instruction_text(&d, &|v, zp| labels.operand_name(v, zp));
    DisasmLine {
        addr,
        bytes: d.bytes,
        text,
        label: labels.name_of(addr).map(str::to_string),
    }
}

/// `count` instructions from `addr` on (wrapping past $FFFF).
pub fn disassemble(
    peek: &dyn Fn(u16) -> u8,
    addr: u16,
    count: usize,
    labels: &Labels,
) -> Vec<DisasmLine> {
    let mut lines = Vec::with_capacity(count);
    let mut at = addr;
    for _ in 0..count {
        let line = line_at(peek, at, labels);
        at = at.wrapping_add(line.bytes.len() as u16);
        lines.push(line);
    }
    lines
}

/// About `before` instructions leading up to `pc`, then `pc` and `after` more. Code cannot be
/// decoded backwards with certainty; this picks the earliest start within `3 × before` bytes
/// whose instructions fall exactly on `pc` (a labelled address is preferred as a start, since
/// routines begin there), so the lines shown before `pc` are the likeliest real ones.
pub fn disassemble_around(
    peek: &dyn Fn(u16) -> u8,
    pc: u16,
    before: usize,
    after: usize,
    labels: &Labels,
) -> Vec<DisasmLine> {
    let reach = (before * 3) as u16;
    let mut best: Option<Vec<DisasmLine>> = None;
    for back in (1..=reach).rev() {
        let start = pc.wrapping_sub(back);
        let mut lines = Vec::new();
        let mut at = start;
        while at != pc && lines.len() <= before * 3 {
            let line = line_at(peek, at, labels);
            let next = at.wrapping_add(line.bytes.len() as u16);
            lines.push(line);
            // Stepping over pc means this start is out of step with it.
            if pc.wrapping_sub(at) < next.wrapping_sub(at) && next != pc {
                lines.clear();
                break;
            }
            at = next;
        }
        if at != pc || lines.is_empty() {
            continue;
        }
        let labelled = labels.name_of(start).is_some();
        let better = match &best {
            None => true,
            Some(_) if labelled => true,
            Some(_) => false,
        };
        if better {
            best = Some(lines);
            if labelled {
                break;
            }
        }
    }
    let mut lines = best.unwrap_or_default();
    if lines.len() > before {
        lines.drain(..lines.len() - before);
    }
    lines.extend(disassemble(peek, pc, after + 1, labels));
    lines
}
