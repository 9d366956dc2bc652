//! BASIC's variables, arrays, string space and pointers, decoded from RAM.
//!
//! **Simple variables** (VARTAB..ARYTAB), 6 bytes each: two name bytes, then four value bytes.
//! Bit 7 of the second name byte marks a string (value: length, address low, address high,
//! 0); bit 7 of the first marks a DEF FN definition (value: address of the `=` in the program
//! text, address of the parameter variable). Otherwise the value is a float.
//!
//! **Arrays** (ARYTAB..STREND): two name bytes, the array's total size in bytes (2, low first),
//! the number of dimensions (1), each dimension's size (2; last dimension first; high byte
//! first in the original, low byte first in the open BASIC), then the elements, first subscript varying fastest, 4 bytes each: a float, or a
//! string descriptor and a 0.
//!
//! **Floats**, 4 bytes: exponent with bias $80 (0: the value is 0), then a 24-bit mantissa
//! 0.1xxx… in binary whose leading 1 is replaced by the sign (bit 7 of the second byte).
//!
//! Nothing here trusts the memory: a pointer out of order, a table running past its end or an
//! array whose sizes do not add up gives a [`BasicError`] naming it, never a panic — the view
//! may look at a machine where BASIC never started, or at a program that POKEd its own tables.

use super::{
    peek_word, ARYTAB, CURLIN, DATPTR, FRETOP, MEMSIZ, OLDLIN, STREND, TXTPTR, TXTTAB, VARTAB,
};

/// Why BASIC's tables cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BasicError {
    /// The pointers are not in the order BASIC keeps them (BASIC not started, or overwritten).
    #[error(
        "BASIC's pointers are out of order (TXTTAB ${txttab:04X}, VARTAB ${vartab:04X}, \
         ARYTAB ${arytab:04X}, STREND ${strend:04X}, FRETOP ${fretop:04X}, MEMSIZ ${memsiz:04X}): \
         is BASIC running?"
    )]
    Pointers {
        txttab: u16,
        vartab: u16,
        arytab: u16,
        strend: u16,
        fretop: u16,
        memsiz: u16,
    },
    /// The simple-variable table is not a whole number of 6-byte entries.
    #[error("the variable table ${start:04X}-${end:04X} is not a whole number of 6-byte entries")]
    VariableTable { start: u16, end: u16 },
    /// An array header that does not fit its table.
    #[error("the array at ${addr:04X} is damaged: {problem}")]
    Array { addr: u16, problem: String },
}

/// The interpreter's pointers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pointers {
    /// Start of the program.
    pub txttab: u16,
    /// Start of the simple variables.
    pub vartab: u16,
    /// Start of the arrays.
    pub arytab: u16,
    /// End of the arrays.
    pub strend: u16,
    /// Bottom of string space.
    pub fretop: u16,
    /// Top of memory + 1.
    pub memsiz: u16,
    /// The line being run, `None` in direct mode.
    pub curlin: Option<u16>,
    /// The line CONT would continue in.
    pub oldlin: u16,
    /// The next DATA item READ takes.
    pub datptr: u16,
    /// The interpreter's position in the text.
    pub txtptr: u16,
}

impl Pointers {
    /// Read the pointers (no check).
    pub fn read(peek: &dyn Fn(u16) -> u8) -> Pointers {
        let curlin = peek_word(&peek, CURLIN);
        Pointers {
            txttab: peek_word(&peek, TXTTAB),
            vartab: peek_word(&peek, VARTAB),
            arytab: peek_word(&peek, ARYTAB),
            strend: peek_word(&peek, STREND),
            fretop: peek_word(&peek, FRETOP),
            memsiz: peek_word(&peek, MEMSIZ),
            curlin: (curlin >> 8 != 0xFF).then_some(curlin),
            oldlin: peek_word(&peek, OLDLIN),
            datptr: peek_word(&peek, DATPTR),
            txtptr: peek_word(&peek, TXTPTR),
        }
    }

    /// Whether they are in BASIC's order: program ≤ variables ≤ arrays ≤ free ≤ strings.
    pub fn in_order(&self) -> bool {
        self.txttab <= self.vartab
            && self.vartab <= self.arytab
            && self.arytab <= self.strend
            && self.strend <= self.fretop
            && self.fretop <= self.memsiz
    }

    /// Bytes between the arrays and the strings.
    pub fn free_bytes(&self) -> u16 {
        self.fretop.saturating_sub(self.strend)
    }
}

/// A variable's or array element's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A number.
    Number(f64),
    /// A string: its bytes and where they are (in the program text or in string space).
    Str {
        /// The characters (bytes as stored).
        bytes: Vec<u8>,
        /// Their address.
        addr: u16,
    },
}

impl Value {
    /// As BASIC's PRINT would show it (numbers without the sign space; strings quoted, with
    /// bytes outside printable ASCII as `{$xx}`).
    pub fn to_text(&self) -> String {
        match self {
            Value::Number(n) => format_number(*n),
            Value::Str { bytes, .. } => {
                let mut out = String::from("\"");
                for &b in bytes {
                    if (0x20..0x7F).contains(&b) {
                        out.push(b as char);
                    } else {
                        out.push_str(&format!("{{${b:02X}}}"));
                    }
                }
                out.push('"');
                out
            }
        }
    }
}

/// A simple variable.
#[derive(Clone, Debug, PartialEq)]
pub struct Variable {
    /// The name as typed: `A`, `XY`, `N$`.
    pub name: String,
    /// Its value.
    pub value: Value,
    /// Address of its 6-byte entry.
    pub addr: u16,
}

/// A DEF FN definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FnDef {
    /// The name as called: `FNA`.
    pub name: String,
    /// Address of the `=` of its definition in the program text.
    pub text: u16,
    /// Address of its parameter variable's value.
    pub parameter: u16,
    /// Address of its 6-byte entry.
    pub addr: u16,
}

/// An array.
#[derive(Clone, Debug, PartialEq)]
pub struct Array {
    /// The name: `A`, `N$`.
    pub name: String,
    /// Each dimension's size (the DIM bound + 1), first subscript first.
    pub dims: Vec<u16>,
    /// The elements, first subscript varying fastest.
    pub elements: Vec<Value>,
    /// Address of its header.
    pub addr: u16,
}

impl Array {
    /// The subscripts of element `index`: `(3,1)`.
    pub fn subscripts(&self, mut index: usize) -> Vec<usize> {
        self.dims
            .iter()
            .map(|&d| {
                let i = index % usize::from(d.max(1));
                index /= usize::from(d.max(1));
                i
            })
            .collect()
    }
}

/// Everything the BASIC view shows.
#[derive(Clone, Debug, PartialEq)]
pub struct BasicState {
    /// The pointers.
    pub pointers: Pointers,
    /// Simple variables in table order (the order they were first used).
    pub variables: Vec<Variable>,
    /// DEF FN definitions.
    pub functions: Vec<FnDef>,
    /// Arrays in table order.
    pub arrays: Vec<Array>,
    /// String space, FRETOP..MEMSIZ.
    pub string_space: Vec<u8>,
}

/// The most array elements decoded per array (the page does not show more).
pub const MAX_ELEMENTS: usize = 4096;

/// Decode BASIC's tables from memory.
pub fn read(peek: &dyn Fn(u16) -> u8) -> Result<BasicState, BasicError> {
    let pointers = Pointers::read(peek);
    let p = pointers;
    if !p.in_order() || p.txttab == 0 {
        return Err(BasicError::Pointers {
            txttab: p.txttab,
            vartab: p.vartab,
            arytab: p.arytab,
            strend: p.strend,
            fretop: p.fretop,
            memsiz: p.memsiz,
        });
    }
    if !(p.arytab - p.vartab).is_multiple_of(6) {
        return Err(BasicError::VariableTable {
            start: p.vartab,
            end: p.arytab,
        });
    }
    let mut variables = Vec::new();
    let mut functions = Vec::new();
    let mut at = p.vartab;
    while at < p.arytab {
        let (n1, n2) = (peek(at), peek(at + 1));
        let body = at + 2;
        if n1 & 0x80 != 0 {
            functions.push(FnDef {
                name: format!("FN{}", name_text(n1, n2, false)),
                text: peek_word(&peek, body),
                parameter: peek_word(&peek, body + 2),
                addr: at,
            });
        } else {
            let string = n2 & 0x80 != 0;
            variables.push(Variable {
                name: name_text(n1, n2, string),
                value: value_at(peek, body, string),
                addr: at,
            });
        }
        at += 6;
    }
    let mut arrays = Vec::new();
    let mut at = p.arytab;
    while at < p.strend {
        let array = array_at(peek, at, p.strend)?;
        at += peek_word(&peek, at + 2);
        arrays.push(array);
    }
    let string_space = (p.fretop..p.memsiz).map(peek).collect();
    Ok(BasicState {
        pointers,
        variables,
        functions,
        arrays,
        string_space,
    })
}

/// The name from its two bytes (bit 7 of each is a type mark).
fn name_text(n1: u8, n2: u8, string: bool) -> String {
    let mut name = String::new();
    for b in [n1 & 0x7F, n2 & 0x7F] {
        if b != 0 {
            name.push(if (0x20..0x7F).contains(&b) {
                b as char
            } else {
                '?'
            });
        }
    }
    if string {
        name.push('$');
    }
    name
}

/// A value of 4 bytes at `addr`: a float, or a string descriptor.
fn value_at(peek: &dyn Fn(u16) -> u8, addr: u16, string: bool) -> Value {
    if string {
        let len = peek(addr);
        let start = peek_word(&peek, addr + 1);
        Value::Str {
            bytes: (0..u16::from(len))
                .map(|i| peek(start.wrapping_add(i)))
                .collect(),
            addr: start,
        }
    } else {
        Value::Number(decode_float([
            peek(addr),
            peek(addr + 1),
            peek(addr + 2),
            peek(addr + 3),
        ]))
    }
}

/// The array whose header is at `at`, in a table ending at `end`.
fn array_at(peek: &dyn Fn(u16) -> u8, at: u16, end: u16) -> Result<Array, BasicError> {
    let damaged = |problem: String| BasicError::Array { addr: at, problem };
    if end - at < 5 {
        return Err(damaged("its header runs past the end of the arrays".into()));
    }
    let (n1, n2) = (peek(at), peek(at + 1));
    let string = n2 & 0x80 != 0;
    let size = peek_word(&peek, at + 2);
    let count = peek(at + 4);
    if count == 0 {
        return Err(damaged("it has no dimensions".into()));
    }
    let data = u32::from(at) + 5 + 2 * u32::from(count);
    if u32::from(size) > u32::from(end - at) || data > u32::from(at) + u32::from(size) {
        return Err(damaged(format!(
            "its size {size} does not fit before ${end:04X}"
        )));
    }
    let elements_bytes = u32::from(at) + u32::from(size) - data;
    // Stored last dimension first. The original stores each size high byte first (as every
    // Microsoft BASIC of its line); the open BASIC low byte first. The elements must fill the
    // array exactly, which tells the two apart.
    let size_of = |i: u16, big_endian: bool| {
        let pair = [peek(at + 5 + 2 * i), peek(at + 6 + 2 * i)];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    };
    let dims_in = |big_endian: bool| -> (Vec<u16>, u64) {
        let mut dims: Vec<u16> = (0..u16::from(count))
            .map(|i| size_of(i, big_endian))
            .collect();
        dims.reverse();
        let total = dims.iter().map(|&d| u64::from(d)).product();
        (dims, total)
    };
    let fits = |total: u64| total * 4 == u64::from(elements_bytes);
    let (dims, total) = match (dims_in(true), dims_in(false)) {
        (big, _) if fits(big.1) => big,
        (_, little) if fits(little.1) => little,
        (big, _) => {
            return Err(damaged(format!(
                "dimensions {:?} need {} bytes of elements, it holds {elements_bytes}",
                big.0,
                big.1 * 4
            )))
        }
    };
    let data = data as u16;
    let shown = (total as usize).min(MAX_ELEMENTS);
    let elements = (0..shown)
        .map(|i| value_at(peek, data + 4 * i as u16, string))
        .collect();
    Ok(Array {
        name: name_text(n1, n2, string),
        dims,
        elements,
        addr: at,
    })
}

/// A 4-byte BASIC float.
pub fn decode_float(bytes: [u8; 4]) -> f64 {
    let [exp, m1, m2, m3] = bytes;
    if exp == 0 {
        return 0.0;
    }
    let mantissa = f64::from(u32::from_be_bytes([0, m1 | 0x80, m2, m3])) / f64::from(1u32 << 24);
    let magnitude = mantissa * 2f64.powi(i32::from(exp) - 128);
    if m1 & 0x80 != 0 {
        -magnitude
    } else {
        magnitude
    }
}

/// A number as BASIC prints it, without the sign space: six significant digits, fixed point
/// from 0.01 to 999999, otherwise `1.23457E+08`; no leading zero (`.5`).
pub fn format_number(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return "0".into();
    }
    let sci = format!("{:.5e}", value.abs());
    let (digits, exp) = sci.split_once('e').expect("{:e} has an exponent");
    let exp: i32 = exp.parse().expect("a number");
    let digits: String = digits.chars().filter(|c| *c != '.').collect();
    let digits = digits.trim_end_matches('0');
    let sign = if value < 0.0 { "-" } else { "" };
    if (-2..=5).contains(&exp) {
        let text = if exp >= 0 {
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                format!("{digits}{}", "0".repeat(int_len - digits.len()))
            } else {
                format!("{}.{}", &digits[..int_len], &digits[int_len..])
            }
        } else {
            format!(".{}{digits}", "0".repeat((-exp - 1) as usize))
        };
        format!("{sign}{text}")
    } else {
        let mantissa = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits.to_string()
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{mantissa}E{esign}{:02}", exp.abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_decode_as_documented() {
        assert_eq!(decode_float([0x83, 0x20, 0, 0]), 5.0);
        assert_eq!(decode_float([0x7F, 0xC0, 0, 0]), -0.375);
        assert_eq!(decode_float([0xA2, 0x15, 0x02, 0xF9]), 1e10);
        assert_eq!(decode_float([0, 0xFF, 0xFF, 0xFF]), 0.0);
    }

    #[test]
    fn numbers_print_like_basic() {
        for (value, text) in [
            (5.0, "5"),
            (-0.375, "-.375"),
            (1.0 / 3.0, ".333333"),
            (123456789.0, "1.23457E+08"),
            (1e10, "1E+10"),
            (999999.0, "999999"),
            (0.01, ".01"),
            (0.001, "1E-03"),
            (42.5, "42.5"),
            (100.0, "100"),
        ] {
            assert_eq!(format_number(value), text, "{value}");
        }
    }
}
