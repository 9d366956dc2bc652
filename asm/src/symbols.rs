//! Symbol files: one `NAME = $XXXX` per line, sorted by name. Written by the assembler, read
//! by the disassembler and the debugger.

use std::collections::BTreeMap;

/// Writes a symbol file. Values outside $0000-$FFFF are written in full (`$12345`, `-$1`).
pub fn write_symbols(symbols: &BTreeMap<String, i64>) -> String {
    let mut out = String::new();
    for (name, &value) in symbols {
        let shown = if value < 0 {
            format!("-${:04X}", value.unsigned_abs())
        } else {
            format!("${value:04X}")
        };
        out.push_str(&format!("{name} = {shown}\n"));
    }
    out
}

/// A symbol-file line that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SymbolFileError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for SymbolFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for SymbolFileError {}

/// Reads a symbol file (`NAME = $XXXX` or `NAME = decimal` per line; blank lines and `;`
/// comments allowed).
pub fn parse_symbols(text: &str) -> Result<BTreeMap<String, i64>, SymbolFileError> {
    let mut symbols = BTreeMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split(';').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let err = |message: &str| SymbolFileError {
            line: i + 1,
            message: message.to_string(),
        };
        let (name, value) = line
            .split_once('=')
            .ok_or_else(|| err("`NAME = $XXXX` expected"))?;
        let name = name.trim();
        if name.is_empty() || name.chars().any(char::is_whitespace) {
            return Err(err("bad symbol name"));
        }
        let value = value.trim();
        let (negative, digits) = match value.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, value),
        };
        let magnitude = match digits.strip_prefix('$') {
            Some(h) => i64::from_str_radix(h, 16),
            None => digits.parse::<i64>(),
        }
        .map_err(|_| err("bad value"))?;
        symbols.insert(
            name.to_string(),
            if negative { -magnitude } else { magnitude },
        );
    }
    Ok(symbols)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut m = BTreeMap::new();
        m.insert("START".to_string(), 0xF800);
        m.insert("neg".to_string(), -2);
        m.insert("zp".to_string(), 0x12);
        let text = write_symbols(&m);
        assert_eq!(text, "START = $F800\nneg = -$0002\nzp = $0012\n");
        assert_eq!(parse_symbols(&text).unwrap(), m);
        assert!(parse_symbols("oops").is_err());
        assert!(parse_symbols("a = $zz").is_err());
    }
}
