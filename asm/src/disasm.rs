//! Disassembler on the shared opcode table.
//!
//! [`disassemble`] writes a listing (address, bytes, mnemonic and operand, labels from a symbol
//! table when given). [`disassemble_source`] writes assembler source that this crate's
//! assembler turns back into exactly the same bytes, whatever they are: bytes no instruction
//! can express (a truncated instruction at the end, opcodes whose mnemonic and mode the
//! assembler would encode differently) become `.byte`, absolute operands below $0100 get `a:`,
//! and branches are written `*+n` / `*-n`.

use std::collections::BTreeMap;

use crate::opcodes::{is_canonical, opcode, Mode, Opcode};

/// One decoded instruction (or a truncated one at the end of the input).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// Its address.
    pub addr: u16,
    /// The table entry of its opcode byte.
    pub opcode: &'static Opcode,
    /// Its bytes (fewer than `opcode.len` when truncated).
    pub bytes: Vec<u8>,
}

impl Decoded {
    /// Whether all of the instruction's bytes were there.
    pub fn is_complete(&self) -> bool {
        self.bytes.len() == usize::from(self.opcode.len)
    }

    /// The operand as a number: the byte or word after the opcode; for branches the target
    /// address (which may lie beyond $FFFF or below $0000 when the branch wraps).
    pub fn operand(&self) -> i64 {
        let lo = i64::from(self.bytes.get(1).copied().unwrap_or(0));
        let hi = i64::from(self.bytes.get(2).copied().unwrap_or(0));
        match self.opcode.mode {
            Mode::Relative => {
                i64::from(self.addr) + 2 + i64::from(self.bytes.get(1).copied().unwrap_or(0) as i8)
            }
            _ if self.opcode.len == 3 => lo | hi << 8,
            _ => lo,
        }
    }
}

/// Decodes the instruction at `bytes[0]`, which sits at `addr`. `bytes` must not be empty.
pub fn decode(bytes: &[u8], addr: u16) -> Option<Decoded> {
    let first = *bytes.first()?;
    let op = opcode(first);
    let n = usize::from(op.len).min(bytes.len());
    Some(Decoded {
        addr,
        opcode: op,
        bytes: bytes[..n].to_vec(),
    })
}

/// Why a disassembly cannot be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DisasmError {
    /// The input placed at the origin runs past $FFFF.
    TooLong {
        /// The origin.
        org: u16,
        /// The input length in bytes.
        len: usize,
    },
    /// The requested range is not inside the input.
    BadRange {
        /// First address asked for.
        from: u16,
        /// Last address asked for.
        to: u16,
        /// First address of the input.
        first: u16,
        /// Last address of the input (None for empty input).
        last: Option<u16>,
    },
}

impl std::fmt::Display for DisasmError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DisasmError::TooLong { org, len } => {
                write!(f, "{len} bytes placed at ${org:04X} run past $FFFF")
            }
            DisasmError::BadRange {
                from,
                to,
                first,
                last: Some(last),
            } => write!(
                f,
                "range ${from:04X}-${to:04X} is not inside the input ${first:04X}-${last:04X}"
            ),
            DisasmError::BadRange { from, to, .. } => {
                write!(f, "range ${from:04X}-${to:04X} asked of an empty input")
            }
        }
    }
}

impl std::error::Error for DisasmError {}

/// The part of `bytes` (placed at `org`) between `from` and `to` inclusive; defaults to all.
fn window(
    bytes: &[u8],
    org: u16,
    from: Option<u16>,
    to: Option<u16>,
) -> Result<(&[u8], u16), DisasmError> {
    if usize::from(org) + bytes.len() > 0x10000 {
        return Err(DisasmError::TooLong {
            org,
            len: bytes.len(),
        });
    }
    if bytes.is_empty() {
        return match (from, to) {
            (None, None) => Ok((bytes, org)),
            _ => Err(DisasmError::BadRange {
                from: from.unwrap_or(org),
                to: to.unwrap_or(org),
                first: org,
                last: None,
            }),
        };
    }
    let last = (usize::from(org) + bytes.len() - 1) as u16;
    let (f, t) = (from.unwrap_or(org), to.unwrap_or(last));
    if f < org || t > last || f > t {
        return Err(DisasmError::BadRange {
            from: f,
            to: t,
            first: org,
            last: Some(last),
        });
    }
    let start = usize::from(f - org);
    let end = usize::from(t - org);
    Ok((&bytes[start..=end], f))
}

/// The instruction as `MNEMONIC operand` text. `name_of(value, zero_page)` may name an operand
/// address (a branch target, a zero-page or absolute address); unnamed ones are shown in hex.
pub fn instruction_text(d: &Decoded, name_of: &dyn Fn(i64, bool) -> Option<String>) -> String {
    let op = d.opcode;
    let v = d.operand();
    let zp = |v: i64| name_of(v, true).unwrap_or_else(|| format!("${v:02X}"));
    let abs = |v: i64| name_of(v, false).unwrap_or_else(|| format!("${v:04X}"));
    let operand = match op.mode {
        Mode::Implied => String::new(),
        Mode::Accumulator => "A".to_string(),
        Mode::Immediate => format!("#${v:02X}"),
        Mode::ZeroPage => zp(v),
        Mode::ZeroPageX => format!("{},X", zp(v)),
        Mode::ZeroPageY => format!("{},Y", zp(v)),
        Mode::Absolute => abs(v),
        Mode::AbsoluteX => format!("{},X", abs(v)),
        Mode::AbsoluteY => format!("{},Y", abs(v)),
        Mode::Indirect => format!("({})", abs(v)),
        Mode::IndirectX => format!("({},X)", zp(v)),
        Mode::IndirectY => format!("({}),Y", zp(v)),
        Mode::Relative => abs(v & 0xFFFF),
    };
    if operand.is_empty() {
        op.mnemonic.to_string()
    } else {
        format!("{} {operand}", op.mnemonic)
    }
}

fn hex_list(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("${b:02X}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A listing of `bytes` placed at `org`, from `from` to `to` (inclusive; default: all):
/// `ADDR  BYTES     MNEMONIC OPERAND` per instruction, with `NAME:` lines and symbolic
/// operands from `symbols` when given. An instruction cut off by the end of the range is shown
/// as `.byte`.
pub fn disassemble(
    bytes: &[u8],
    org: u16,
    from: Option<u16>,
    to: Option<u16>,
    symbols: Option<&BTreeMap<String, i64>>,
) -> Result<String, DisasmError> {
    let (bytes, start) = window(bytes, org, from, to)?;
    // First name (alphabetically) for each value.
    let mut names: BTreeMap<i64, &str> = BTreeMap::new();
    for (name, &value) in symbols.into_iter().flatten() {
        names.entry(value).or_insert(name.as_str());
    }
    let name_of = |v: i64, _zp: bool| names.get(&v).map(|n| n.to_string());
    let mut out = String::new();
    let mut i = 0;
    while let Some(d) = decode(&bytes[i..], start.wrapping_add(i as u16)) {
        if let Some(label) = names.get(&i64::from(d.addr)) {
            out.push_str(&format!("{label}:\n"));
        }
        let shown: String = d
            .bytes
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(" ");
        let text = if d.is_complete() {
            instruction_text(&d, &name_of)
        } else {
            format!(".byte {}", hex_list(&d.bytes))
        };
        out.push_str(&format!("{:04X}  {shown:<8}  {text}\n", d.addr));
        i += d.bytes.len();
    }
    Ok(out)
}

/// Whether a symbol name can stand in reassembled source as a plain identifier.
fn usable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !["a", "x", "y", "z"]
            .iter()
            .any(|r| name.eq_ignore_ascii_case(r))
}

/// Assembler source for `bytes` placed at `org`, from `from` to `to` (inclusive; default: all),
/// that reassembles to exactly the same bytes.
///
/// With `symbols`, instructions starting at a symbol's address get a `NAME:` label and
/// operands use names (zero-page operands as `z:NAME`, absolute ones below $0100 as
/// `a:NAME`); names of other addresses the code refers to are defined as constants at the top.
pub fn disassemble_source(
    bytes: &[u8],
    org: u16,
    from: Option<u16>,
    to: Option<u16>,
    symbols: Option<&BTreeMap<String, i64>>,
) -> Result<String, DisasmError> {
    let (bytes, start) = window(bytes, org, from, to)?;
    let mut names: BTreeMap<i64, &str> = BTreeMap::new();
    for (name, &value) in symbols.into_iter().flatten() {
        if usable_name(name) && (0..=0xFFFF).contains(&value) {
            names.entry(value).or_insert(name.as_str());
        }
    }
    let mut lines = Vec::new();
    let mut i = 0;
    while let Some(d) = decode(&bytes[i..], start.wrapping_add(i as u16)) {
        i += d.bytes.len();
        lines.push(d);
    }
    let starts: std::collections::BTreeSet<i64> = lines.iter().map(|d| i64::from(d.addr)).collect();
    let expressible = |d: &Decoded| d.is_complete() && is_canonical(d.opcode.code);
    let has_address = |d: &Decoded| {
        !matches!(
            d.opcode.mode,
            Mode::Implied | Mode::Accumulator | Mode::Immediate
        )
    };
    // Names the code refers to that no label line will define.
    let mut out = String::new();
    let mut defined = std::collections::BTreeSet::new();
    for d in lines.iter().filter(|d| expressible(d) && has_address(d)) {
        let v = d.operand();
        if let Some(name) = names.get(&v) {
            if !starts.contains(&v) && defined.insert(v) {
                out.push_str(&format!("{name} = ${v:04X}\n"));
            }
        }
    }
    out.push_str(&format!("        .org ${start:04X}\n"));
    for d in &lines {
        if let Some(label) = names.get(&i64::from(d.addr)) {
            out.push_str(&format!("{label}:\n"));
        }
        let op = d.opcode;
        let line = if !d.is_complete() {
            format!(".byte {}", hex_list(&d.bytes))
        } else if !is_canonical(op.code) {
            format!(
                "{:<20}; {}",
                format!(".byte {}", hex_list(&d.bytes)),
                instruction_text(d, &|_, _| None)
            )
        } else {
            let v = d.operand();
            let name = names.get(&v);
            // Zero-page operands: the value, or z:NAME so a label defined later still
            // gives zero page.
            let zp = || name.map_or_else(|| format!("${v:02X}"), |n| format!("z:{n}"));
            let abs = || match name {
                Some(n) if v < 0x100 => format!("a:{n}"),
                Some(n) => n.to_string(),
                None if v < 0x100 => format!("a:${v:04X}"),
                None => format!("${v:04X}"),
            };
            let plain = || name.map_or_else(|| format!("${v:02X}"), |n| n.to_string());
            let operand = match op.mode {
                Mode::Implied => String::new(),
                Mode::Accumulator => "A".to_string(),
                Mode::Immediate => format!("#${v:02X}"),
                Mode::Relative => {
                    let n = v - i64::from(d.addr);
                    match name {
                        Some(label) => label.to_string(),
                        None if n < 0 => format!("*-{}", -n),
                        None => format!("*+{n}"),
                    }
                }
                Mode::ZeroPage => zp(),
                Mode::ZeroPageX => format!("{},X", zp()),
                Mode::ZeroPageY => format!("{},Y", zp()),
                Mode::Absolute => abs(),
                Mode::AbsoluteX => format!("{},X", abs()),
                Mode::AbsoluteY => format!("{},Y", abs()),
                Mode::Indirect => format!(
                    "({})",
                    name.map_or_else(|| format!("${v:04X}"), |n| n.to_string())
                ),
                Mode::IndirectX => format!("({},X)", plain()),
                Mode::IndirectY => format!("({}),Y", plain()),
            };
            format!("{} {operand}", op.mnemonic)
        };
        out.push_str(&format!("        {}\n", line.trim_end()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_and_source() {
        let bytes = [
            0xA9, 0x44, 0x6C, 0x34, 0x12, 0xD0, 0xFE, 0xAD, 0x12, 0x00, 0xEB, 0x01, 0x4C,
        ];
        let l = disassemble(&bytes, 0x1000, None, None, None).unwrap();
        assert!(l.contains("1000  A9 44     LDA #$44\n"), "{l}");
        assert!(l.contains("1002  6C 34 12  JMP ($1234)\n"), "{l}");
        assert!(l.contains("1005  D0 FE     BNE $1005\n"), "{l}");
        assert!(l.contains("100A  EB 01     SBC #$01\n"), "{l}");
        assert!(l.contains("100C  4C        .byte $4C\n"), "{l}");
        let s = disassemble_source(&bytes, 0x1000, None, None, None).unwrap();
        assert!(s.contains("BNE *+0\n"), "{s}");
        assert!(s.contains("LDA a:$0012\n"), "{s}");
        assert!(s.contains(".byte $EB, $01"), "{s}");
    }

    #[test]
    fn ranges_are_checked() {
        assert!(disassemble(&[0; 4], 0xFFFE, None, None, None).is_err());
        assert!(disassemble(&[0; 4], 0x1000, Some(0x0FFF), None, None).is_err());
        assert!(disassemble(&[0; 4], 0x1000, Some(0x1001), Some(0x1002), None).is_ok());
        assert_eq!(disassemble(&[], 0x1000, None, None, None).unwrap(), "");
    }
}
