//! Character-generator source: 256 glyphs of 8×8 pixels written as text grids.
//!
//! The open character set lives in `rom/chargen.txt`; `build.rs` turns it into the 2 KB image
//! `OPEN_CHARGEN` with [`parse`]. The format:
//!
//! ```text
//! ; a comment line (blank lines are ignored too)
//! $41 A
//! ..###...
//! .#...#..
//! #.....#.
//! #.....#.
//! #######.
//! #.....#.
//! #.....#.
//! ........
//! ```
//!
//! - A header line is `$` and two hex digits (the code), optionally followed by whitespace and a
//!   free-text name.
//! - Exactly 8 row lines follow, top row first, each exactly 8 characters: `#` = pixel on,
//!   `.` = pixel off. Trailing whitespace (and a CR) is ignored.
//! - All 256 codes must appear exactly once, in any order.
//!
//! The image layout is that of the Superboard's 2 KB character ROM (docs/hardware.md §3): byte
//! `code * 8 + row` holds scan line `row` (0 = top) of the glyph, and **bit 0 is the leftmost
//! pixel**.

use std::fmt;

/// Number of glyphs in a character set.
pub const GLYPH_COUNT: usize = 256;
/// Pixel rows (scan lines) per glyph.
pub const GLYPH_ROWS: usize = 8;
/// Pixels per row.
pub const GLYPH_COLUMNS: usize = 8;
/// Size of a character-generator image in bytes.
pub const CHARGEN_SIZE: usize = GLYPH_COUNT * GLYPH_ROWS;

/// Character marking a lit pixel in a row line.
pub const PIXEL_ON: char = '#';
/// Character marking a dark pixel in a row line.
pub const PIXEL_OFF: char = '.';

/// What is wrong with a character-set source. Line numbers count from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChargenError {
    /// A line starting with `$` whose code is not exactly two hex digits.
    BadHeader { line: usize, text: String },
    /// A code appears a second time.
    DuplicateCode {
        line: usize,
        code: u8,
        first_line: usize,
    },
    /// A row line does not hold exactly 8 pixels.
    WrongWidth { line: usize, width: usize },
    /// A row line holds something other than `#` or `.`.
    BadCharacter {
        line: usize,
        column: usize,
        found: char,
    },
    /// A row line before any `$xx` header.
    RowWithoutHeader { line: usize },
    /// A ninth row line after a header.
    TooManyRows { line: usize, code: u8 },
    /// A glyph ended (next header or end of file) with fewer than 8 rows.
    TooFewRows { line: usize, code: u8, rows: usize },
    /// The file ended without some codes; holds every missing code.
    MissingCodes { codes: Vec<u8> },
}

impl fmt::Display for ChargenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChargenError::BadHeader { line, text } => write!(
                f,
                "line {line}: bad header {text:?}: expected `$` and two hex digits, then a name"
            ),
            ChargenError::DuplicateCode {
                line,
                code,
                first_line,
            } => write!(
                f,
                "line {line}: duplicate code ${code:02X} (first defined at line {first_line})"
            ),
            ChargenError::WrongWidth { line, width } => write!(
                f,
                "line {line}: row is {width} pixels wide, expected {GLYPH_COLUMNS}"
            ),
            ChargenError::BadCharacter {
                line,
                column,
                found,
            } => write!(
                f,
                "line {line}, column {column}: bad character {found:?}, expected '{PIXEL_ON}' or '{PIXEL_OFF}'"
            ),
            ChargenError::RowWithoutHeader { line } => {
                write!(f, "line {line}: row before any `$xx` header")
            }
            ChargenError::TooManyRows { line, code } => write!(
                f,
                "line {line}: glyph ${code:02X} has more than {GLYPH_ROWS} rows"
            ),
            ChargenError::TooFewRows { line, code, rows } => write!(
                f,
                "line {line}: glyph ${code:02X} has {rows} rows, expected {GLYPH_ROWS}"
            ),
            ChargenError::MissingCodes { codes } => {
                write!(f, "{} codes missing:", codes.len())?;
                for code in codes.iter().take(16) {
                    write!(f, " ${code:02X}")?;
                }
                if codes.len() > 16 {
                    write!(f, " ...")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ChargenError {}

/// The glyph being read: its code, header line and rows so far.
struct OpenGlyph {
    code: u8,
    header_line: usize,
    rows: usize,
}

/// Parses a character-set source (format in the module docs) into a 2 KB image.
///
/// Returns the first error found, naming the line.
pub fn parse(source: &str) -> Result<[u8; CHARGEN_SIZE], ChargenError> {
    let mut image = [0u8; CHARGEN_SIZE];
    // Line of the header that defined each code, 0 = not yet seen.
    let mut defined_at = [0usize; GLYPH_COUNT];
    let mut open: Option<OpenGlyph> = None;
    let mut last_line = 0;

    for (index, raw) in source.lines().enumerate() {
        let line = index + 1;
        last_line = line;
        let text = raw.trim_end();
        if text.is_empty() || text.starts_with(';') {
            continue;
        }
        if let Some(rest) = text.strip_prefix('$') {
            close_glyph(open.take(), line)?;
            let code = parse_header(rest).ok_or_else(|| ChargenError::BadHeader {
                line,
                text: text.to_string(),
            })?;
            let first_line = defined_at[usize::from(code)];
            if first_line != 0 {
                return Err(ChargenError::DuplicateCode {
                    line,
                    code,
                    first_line,
                });
            }
            defined_at[usize::from(code)] = line;
            open = Some(OpenGlyph {
                code,
                header_line: line,
                rows: 0,
            });
            continue;
        }
        let glyph = open
            .as_mut()
            .ok_or(ChargenError::RowWithoutHeader { line })?;
        if glyph.rows == GLYPH_ROWS {
            return Err(ChargenError::TooManyRows {
                line,
                code: glyph.code,
            });
        }
        let bits = parse_row(text, line)?;
        image[usize::from(glyph.code) * GLYPH_ROWS + glyph.rows] = bits;
        glyph.rows += 1;
    }
    close_glyph(open, last_line + 1)?;

    let missing: Vec<u8> = (0..=u8::MAX)
        .filter(|&code| defined_at[usize::from(code)] == 0)
        .collect();
    if !missing.is_empty() {
        return Err(ChargenError::MissingCodes { codes: missing });
    }
    Ok(image)
}

/// Checks that a finished glyph got all its rows; `line` is where the next thing starts.
fn close_glyph(glyph: Option<OpenGlyph>, line: usize) -> Result<(), ChargenError> {
    match glyph {
        Some(glyph) if glyph.rows < GLYPH_ROWS => Err(ChargenError::TooFewRows {
            line: if glyph.rows == 0 {
                glyph.header_line
            } else {
                line
            },
            code: glyph.code,
            rows: glyph.rows,
        }),
        _ => Ok(()),
    }
}

/// The code of a header line (the text after `$`): two hex digits, then nothing or whitespace.
fn parse_header(rest: &str) -> Option<u8> {
    let digits = rest.get(..2)?;
    let after = &rest[2..];
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    if !(after.is_empty() || after.starts_with(char::is_whitespace)) {
        return None;
    }
    u8::from_str_radix(digits, 16).ok()
}

/// One row line as a byte, bit 0 = leftmost pixel.
fn parse_row(text: &str, line: usize) -> Result<u8, ChargenError> {
    let width = text.chars().count();
    let mut bits = 0u8;
    for (column, found) in text.chars().enumerate() {
        match found {
            PIXEL_ON if column < GLYPH_COLUMNS => bits |= 1 << column,
            PIXEL_ON | PIXEL_OFF => {}
            _ => {
                return Err(ChargenError::BadCharacter {
                    line,
                    column: column + 1,
                    found,
                })
            }
        }
    }
    if width != GLYPH_COLUMNS {
        return Err(ChargenError::WrongWidth { line, width });
    }
    Ok(bits)
}

/// Writes a 2 KB image back as source text (headers carry the code only), so a character set
/// can be inspected or edited as grids. `parse(&to_text(image))` gives `image` back.
pub fn to_text(image: &[u8; CHARGEN_SIZE]) -> String {
    let mut out = String::with_capacity(GLYPH_COUNT * (4 + GLYPH_ROWS * (GLYPH_COLUMNS + 1)));
    for (code, glyph) in image.chunks_exact(GLYPH_ROWS).enumerate() {
        out.push_str(&format!("${code:02X}\n"));
        for &bits in glyph {
            for column in 0..GLYPH_COLUMNS {
                out.push(if bits & (1 << column) != 0 {
                    PIXEL_ON
                } else {
                    PIXEL_OFF
                });
            }
            out.push('\n');
        }
    }
    out
}
