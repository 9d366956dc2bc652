//! # The stored program as text, exactly as LIST prints it
//!
//! Walks the line chain from TXTTAB ($0301) and expands each token into its keyword, as the
//! ROM's LIST does: the line number, one space, then the stored text byte by byte (characters
//! as they are, spaces as typed). LIST's own extras are left out — the space it prints before
//! each line number (the sign position of its number printer), the line breaks it inserts at
//! the terminal width and the screen driver's 24-column wrap — so each program line is one
//! line of text, as a person would type it back in.
//!
//! Memory is read through `peek` only; a damaged chain (a link that goes backwards or out of
//! RAM, a line with no end, a byte that is no token) is an error that names the place, never a
//! loop or a panic.

use thiserror::Error;

use super::{keyword, peek_word, PROGRAM_START, TXTTAB};

/// End of the RAM a program can occupy: BASIC's ROM starts at $A000.
const RAM_END: u32 = 0xA000;
/// Link, line number and the terminating 0: the fewest bytes a stored line takes.
const MIN_LINE_BYTES: u32 = 5;

/// One stored program line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramLine {
    /// Where the line is stored (its link field).
    pub address: u16,
    /// The line number.
    pub number: u16,
    /// The text after the number, tokens expanded (no leading space).
    pub text: String,
}

/// Why the program in memory cannot be listed.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ListingError {
    /// TXTTAB does not point at $0301: BASIC has not been cold-started.
    #[error("BASIC has not been started (its program pointer at $79 holds ${0:04X}, not $0301)")]
    NotStarted(u16),
    /// A line's link does not point forward into RAM.
    #[error(
        "the program in memory is damaged: the line at ${at:04X} links to ${next:04X}, which is \
         not a later address in RAM"
    )]
    BadLink {
        /// Address of the line.
        at: u16,
        /// Where its link points.
        next: u16,
    },
    /// No 0 ends the line's text before the next line starts.
    #[error("the program in memory is damaged: line {number} at ${at:04X} has no end")]
    Unterminated {
        /// Address of the line.
        at: u16,
        /// Its line number.
        number: u16,
    },
    /// A byte of $80 or more that is not one of the tokens.
    #[error("line {number} holds the byte ${byte:02X} at ${addr:04X}, which is not a BASIC token")]
    BadToken {
        /// The line number.
        number: u16,
        /// The byte.
        byte: u8,
        /// Its address.
        addr: u16,
    },
}

/// The program's lines, in memory order (which is line-number order for any program BASIC
/// stored itself).
pub fn program_lines(peek: impl Fn(u16) -> u8) -> Result<Vec<ProgramLine>, ListingError> {
    let start = peek_word(&peek, TXTTAB);
    if start != PROGRAM_START {
        return Err(ListingError::NotStarted(start));
    }
    let mut lines = Vec::new();
    let mut at = u32::from(start);
    loop {
        let here = at as u16;
        let next = peek_word(&peek, here);
        // LIST stops at a link whose high byte is 0 (the $00 $00 after the last line).
        if next >> 8 == 0 {
            return Ok(lines);
        }
        let next32 = u32::from(next);
        if next32 < at + MIN_LINE_BYTES || next32 >= RAM_END {
            return Err(ListingError::BadLink { at: here, next });
        }
        let number = peek_word(&peek, here + 2);
        let mut text = String::new();
        let mut addr = at + 4;
        loop {
            if addr >= next32 {
                return Err(ListingError::Unterminated { at: here, number });
            }
            let byte = peek(addr as u16);
            match byte {
                0 => break,
                0x01..=0x7F => text.push(char::from(byte)),
                _ => text.push_str(keyword(byte).ok_or(ListingError::BadToken {
                    number,
                    byte,
                    addr: addr as u16,
                })?),
            }
            addr += 1;
        }
        lines.push(ProgramLine {
            address: here,
            number,
            text,
        });
        at = next32;
    }
}

/// The whole program as text: one line per program line, `NUMBER TEXT\n`, "" when there is no
/// program.
pub fn listing(peek: impl Fn(u16) -> u8) -> Result<String, ListingError> {
    Ok(program_lines(peek)?
        .iter()
        .map(|line| format!("{} {}\n", line.number, line.text))
        .collect())
}
