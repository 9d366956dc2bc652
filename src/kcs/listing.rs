//! Listings and tapes: a text file → the bytes a tape carries, what BASIC's line editor keeps
//! of each line, and a tape recorded from `SAVE` + `LIST` → a clean listing.
//!
//! **Loading is the machine's business.** A listing tape carries every byte of the file; only
//! the line ends are normalised (LF, CRLF or CR become CR plus the ten NULs the monitor sends
//! after a CR on SAVE, docs/hardware.md §5). What a line becomes is then decided by BASIC's line
//! editor INLIN ($A357, `rom/basic/io.asm`), exactly as when the real machine reads the tape:
//!
//! - GETLN strips bit 7 of every byte (so a UTF-8 "é", $C3 $A9, arrives as "C)");
//! - BEL ($07) is stored in the line (and echoed);
//! - Ctrl-O ($0F) toggles output suppression; every other control code, and the codes $7D–$7F
//!   (`}`, `~`, RUB OUT), are ignored;
//! - `@` cancels the line typed so far and `_` deletes the last character (on an empty line it
//!   cancels too);
//! - the buffer holds 71 characters: further characters are dropped (a BEL is echoed each);
//! - a line without a line number is a command, run while the tape loads.
//!
//! [`check_listing`] runs the same rules over the tape bytes and says in words, by line and
//! column, wherever the stored line will differ from the file, or where the machine does
//! something a reader of the file might not expect (lower-case keywords, trailing spaces,
//! commands). The tape still loads: these are warnings, not refusals.

use super::{CR, NULS_AFTER_CR};

/// Characters BASIC's input buffer takes (docs/hardware.md §7: `BUFSIZE` in `rom/basic/defs.asm`).
pub const BASIC_LINE_MAX: usize = 71;
/// BASIC's default terminal width: LIST breaks longer lines there (docs/hardware.md §7).
pub const BASIC_TERMINAL_WIDTH: usize = 72;

const BEL: u8 = 0x07;
const CTRL_O: u8 = 0x0F;
const LF: u8 = b'\n';
/// First code INLIN ignores at the top of the range ($7D `}`, $7E `~`, $7F RUB OUT).
const FIRST_IGNORED_HIGH: u8 = 0x7D;
/// BASIC's line-delete key.
const CANCEL: u8 = b'@';
/// BASIC's rubout key (SHIFT-O).
const RUBOUT: u8 = b'_';

/// What the machine does with something in a listing line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WarningKind {
    /// The line is longer than the input buffer: characters from `column` on are dropped.
    Truncated {
        /// Characters the line editor was offered (after the other rules).
        length: usize,
        /// Characters dropped.
        dropped: usize,
    },
    /// BEL (CTRL-G) is stored in the line.
    Bell,
    /// A control code or $7D–$7F the line editor ignores (the byte, bit 7 stripped).
    Ignored(u8),
    /// Ctrl-O: ignored, but it toggles BASIC's output suppression.
    OutputToggle,
    /// A character that is not 7-bit ASCII: its bytes arrive with bit 7 stripped.
    NotAscii {
        /// The character as the file has it.
        ch: char,
        /// What BASIC keeps of it (empty: nothing, the stripped codes are ignored).
        becomes: String,
    },
    /// `@` cancels the line typed so far.
    Cancel,
    /// `_` deletes the character before it.
    Rubout,
    /// Lower case outside strings and REM: BASIC does not recognise lower-case keywords.
    LowerCase,
    /// The line ends in spaces, which BASIC stores (and LIST shows).
    TrailingSpaces(usize),
    /// No line number: BASIC runs the line as a command while the tape loads.
    Command,
}

/// One thing BASIC's line editor does with a listing that differs from the file as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadWarning {
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column (in characters) where it happens.
    pub column: usize,
    /// What happens.
    pub kind: WarningKind,
}

impl std::fmt::Display for LoadWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (line, column) = (self.line, self.column);
        match &self.kind {
            WarningKind::Truncated { length, dropped } => write!(
                f,
                "line {line} is {length} characters long: BASIC keeps the first \
                 {BASIC_LINE_MAX} and drops {dropped} from column {column} on"
            ),
            WarningKind::Bell => write!(
                f,
                "line {line}, column {column}: BEL (CTRL-G) is stored in the line"
            ),
            WarningKind::Ignored(byte) => write!(
                f,
                "line {line}, column {column}: {} is ignored by BASIC",
                byte_name(*byte)
            ),
            WarningKind::OutputToggle => write!(
                f,
                "line {line}, column {column}: CTRL-O is ignored but turns BASIC's output \
                 off (or back on)"
            ),
            WarningKind::NotAscii { ch, becomes } if becomes.is_empty() => write!(
                f,
                "line {line}, column {column}: {ch:?} is not ASCII; with bit 7 stripped \
                 BASIC ignores it"
            ),
            WarningKind::NotAscii { ch, becomes } => write!(
                f,
                "line {line}, column {column}: {ch:?} is not ASCII; BASIC stores {becomes:?} \
                 (bit 7 stripped)"
            ),
            WarningKind::Cancel => write!(
                f,
                "line {line}, column {column}: '@' cancels the line typed so far (BASIC's \
                 line-delete key)"
            ),
            WarningKind::Rubout => write!(
                f,
                "line {line}, column {column}: '_' deletes the character before it (BASIC's \
                 rubout key)"
            ),
            WarningKind::LowerCase => write!(
                f,
                "line {line}, column {column}: lower case is stored as it is, but BASIC only \
                 knows keywords and variables in capitals (?SN ERROR when it runs)"
            ),
            WarningKind::TrailingSpaces(count) => write!(
                f,
                "line {line} ends in {count} space(s) from column {column}: BASIC stores \
                 them and LIST shows them"
            ),
            WarningKind::Command => write!(
                f,
                "line {line} has no line number: BASIC runs it as a command while the tape \
                 loads"
            ),
        }
    }
}

fn byte_name(byte: u8) -> String {
    match byte {
        0x00 => "NUL".into(),
        0x09 => "a tab".into(),
        0x0C => "a form feed".into(),
        0x1A => "CTRL-Z (end-of-file mark)".into(),
        0x7F => "RUB OUT ($7F)".into(),
        b @ 0x01..=0x1F => format!("CTRL-{} (${b:02X})", char::from(b + 0x40)),
        b => format!("{:?} (${b:02X})", char::from(b)),
    }
}

/// Describes warnings in words: the first few in full, then how many more.
pub fn describe_warnings(warnings: &[LoadWarning]) -> String {
    const SHOWN: usize = 8;
    let mut text: Vec<String> = warnings.iter().take(SHOWN).map(|w| w.to_string()).collect();
    if warnings.len() > SHOWN {
        text.push(format!("and {} more", warnings.len() - SHOWN));
    }
    text.join("\n")
}

/// Splits bytes into lines at LF, CRLF or CR. A trailing line end does not start an extra line.
pub fn split_lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = bytes;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match rest.iter().position(|&b| b == CR || b == LF) {
            Some(pos) => {
                let line = &rest[..pos];
                let skip = if rest[pos] == CR && rest.get(pos + 1) == Some(&LF) {
                    2
                } else {
                    1
                };
                rest = &rest[pos + skip..];
                Some(line)
            }
            None => {
                let line = rest;
                rest = &[];
                Some(line)
            }
        }
    })
}

/// A listing's bytes → the byte stream on its tape: every byte of every line, each line ended
/// by CR and [`NULS_AFTER_CR`] NULs (as the monitor sends on SAVE), whatever the file's line
/// ends. A final line without a line end still gets one. A UTF-8 byte-order mark at the start
/// is encoding metadata, not text, and is left out.
pub fn listing_to_tape(bytes: &[u8]) -> Vec<u8> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 2);
    for line in split_lines(bytes) {
        out.extend_from_slice(line);
        out.push(CR);
        out.resize(out.len() + NULS_AFTER_CR, 0);
    }
    out
}

/// What BASIC's line editor stores for one line of bytes, and the warnings (line number
/// `line` in each).
pub fn line_input(line: usize, bytes: &[u8]) -> (Vec<u8>, Vec<LoadWarning>) {
    let mut warnings = Vec::new();
    let mut buffer: Vec<u8> = Vec::with_capacity(BASIC_LINE_MAX);
    // (column of the first dropped character, characters offered, dropped)
    let mut overflow: Option<(usize, usize, usize)> = None;
    let mut column = 0;
    let mut i = 0;
    while i < bytes.len() {
        column += 1;
        let warn = |kind| LoadWarning { line, column, kind };
        // One character of the file: a whole UTF-8 sequence where there is one.
        let width = utf8_width(&bytes[i..]);
        let raw = &bytes[i..i + width];
        i += width;
        let non_ascii = width > 1 || raw[0] >= 0x80;
        if non_ascii {
            let ch = std::str::from_utf8(raw)
                .ok()
                .and_then(|s| s.chars().next())
                .unwrap_or(char::from(raw[0]));
            // What BASIC keeps of the bytes once bit 7 is stripped.
            let becomes: String = raw
                .iter()
                .map(|&b| b & 0x7F)
                .filter(|b| (0x20..FIRST_IGNORED_HIGH).contains(b) || *b == BEL)
                .map(char::from)
                .collect();
            warnings.push(warn(WarningKind::NotAscii { ch, becomes }));
        }
        for &b in raw {
            let b = b & 0x7F;
            match b {
                BEL if !non_ascii => warnings.push(warn(WarningKind::Bell)),
                BEL => {}
                CTRL_O => {
                    if !non_ascii {
                        warnings.push(warn(WarningKind::OutputToggle));
                    }
                    continue;
                }
                0x00..=0x1F | FIRST_IGNORED_HIGH..=0x7F => {
                    if !non_ascii {
                        warnings.push(warn(WarningKind::Ignored(b)));
                    }
                    continue;
                }
                CANCEL => {
                    warnings.push(warn(WarningKind::Cancel));
                    buffer.clear();
                    overflow = None;
                    continue;
                }
                RUBOUT => {
                    warnings.push(warn(WarningKind::Rubout));
                    // On an empty line the rubout falls into the cancel (INLIN's DEX/BPL).
                    buffer.pop();
                    continue;
                }
                _ => {}
            }
            if buffer.len() < BASIC_LINE_MAX {
                buffer.push(b);
            } else {
                let o = overflow.get_or_insert((column, BASIC_LINE_MAX, 0));
                o.1 += 1;
                o.2 += 1;
            }
        }
    }
    if let Some((column, length, dropped)) = overflow {
        warnings.push(LoadWarning {
            line,
            column,
            kind: WarningKind::Truncated { length, dropped },
        });
    }
    let first = buffer.iter().position(|&b| b != b' ');
    match first {
        None => {}
        Some(start) if !buffer[start].is_ascii_digit() => warnings.push(LoadWarning {
            line,
            column: start + 1,
            kind: WarningKind::Command,
        }),
        Some(_) => {}
    }
    if let Some(column) = lower_case_column(&buffer) {
        warnings.push(LoadWarning {
            line,
            column,
            kind: WarningKind::LowerCase,
        });
    }
    let trailing = buffer.iter().rev().take_while(|&&b| b == b' ').count();
    if first.is_some() && trailing > 0 {
        warnings.push(LoadWarning {
            line,
            column: buffer.len() - trailing + 1,
            kind: WarningKind::TrailingSpaces(trailing),
        });
    }
    (buffer, warnings)
}

/// Bytes in the UTF-8 sequence at the start of `bytes` (1 for ASCII or a broken sequence).
fn utf8_width(bytes: &[u8]) -> usize {
    let width = match bytes[0] {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return 1,
    };
    match bytes.get(..width).map(std::str::from_utf8) {
        Some(Ok(_)) => width,
        _ => 1,
    }
}

/// Column (1-based) of the first lower-case letter outside strings and before any REM, where
/// BASIC would read it as (part of) a keyword or variable.
fn lower_case_column(line: &[u8]) -> Option<usize> {
    let mut quoted = false;
    for (i, &b) in line.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'R' if !quoted && line[i..].starts_with(b"REM") => return None,
            b'a'..=b'z' if !quoted => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// Everything BASIC's line editor will do differently from the file, line by line (see the
/// module manual). `bytes` is the listing file (any line ends).
pub fn check_listing(bytes: &[u8]) -> Vec<LoadWarning> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    split_lines(bytes)
        .enumerate()
        .flat_map(|(index, line)| line_input(index + 1, line).1)
        .collect()
}

/// Turns what `SAVE` + `LIST` put on tape (docs/hardware.md §5) back into a clean listing. Lines
/// are split at CR; NULs and LFs (the tape's padding and line ends) are dropped; the echo
/// lines ("OK", "LIST", blank) and anything else that is not a numbered program line are left
/// out, and so is the space LIST prints before each line number. Every other character is kept
/// as it is, trailing spaces included; lines end in LF. A program line that LIST broke at the
/// terminal width is joined with its continuation.
pub fn listing_from_tape(bytes: &[u8]) -> String {
    let mut out: Vec<Vec<u8>> = Vec::new();
    let mut previous_full_width = false;
    for raw in bytes.split(|&b| b == CR) {
        let raw: Vec<u8> = raw.iter().copied().filter(|&b| b != 0 && b != LF).collect();
        let start = raw.iter().position(|&b| b != b' ').unwrap_or(raw.len());
        let line = &raw[start..];
        let numbered = line.first().is_some_and(u8::is_ascii_digit);
        if numbered {
            out.push(line.to_vec());
        } else if previous_full_width && !raw.is_empty() {
            if let Some(last) = out.last_mut() {
                last.extend_from_slice(&raw);
            }
        }
        previous_full_width =
            (numbered || previous_full_width) && raw.len() >= BASIC_TERMINAL_WIDTH;
    }
    let mut listing = String::new();
    for line in out {
        listing.push_str(&String::from_utf8_lossy(&line));
        listing.push('\n');
    }
    listing
}
