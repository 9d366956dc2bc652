//! `superboard chargen`: draws a character set as a PNG so glyphs can be looked at.
//!
//! ```text
//! superboard chargen --png sheet.png [--scale N] [--labels] [--rom FILE]
//! superboard chargen --png sample.png --text "HELLO WORLD" [--scale N] [--rom FILE]
//! ```
//!
//! Without `--rom` the built-in open character set (`rom/chargen.txt`) is drawn; with it, a
//! user-supplied 2 KB character ROM in the same layout (byte `code*8 + row`, bit 0 = leftmost
//! pixel, docs/hardware.md §3), so the two can be compared side by side.
//!
//! The sheet holds the 256 glyphs as 16 rows × 16 columns (code = row × 16 + column), each
//! cell `8 × scale` pixels square, separated and framed by 1-pixel grid lines. So the image is
//! `16 × 8 × scale + 17` pixels on each side; `--labels` adds a header row and column holding
//! the hex digits 0–F, drawn with the character set's own digit and letter glyphs, making it
//! `17 × 8 × scale + 18`. `--text` instead draws the given text (one line per newline) as the
//! screen would show it, one cell per character with no gaps.

use std::path::{Path, PathBuf};

use clap::Args;
use superboard_asm::chargen::{self, ChargenError, CHARGEN_SIZE, GLYPH_COLUMNS, GLYPH_ROWS};

/// The open character set's source, parsed at run time (build.rs has already checked it).
const OPEN_CHARGEN_SOURCE: &str = include_str!("../../rom/chargen.txt");

/// Glyphs per sheet row and per sheet column.
const SHEET_GLYPHS_ACROSS: usize = 16;
/// Largest accepted `--scale`.
const MAX_SCALE: u32 = 16;
/// Largest `--text` image, in pixels (48 MB of RGB).
const MAX_TEXT_PIXELS: usize = 16 << 20;

const INK_RGB: [u8; 3] = [0xFF, 0xFF, 0xFF];
const PAPER_RGB: [u8; 3] = [0x00, 0x00, 0x00];
const GRID_RGB: [u8; 3] = [0x30, 0x50, 0x80];
const LABEL_INK_RGB: [u8; 3] = [0xFF, 0xC0, 0x40];

/// Arguments of `superboard chargen`.
#[derive(Args, Debug)]
pub struct ChargenArgs {
    /// PNG file to write.
    #[arg(long, value_name = "FILE")]
    pub png: PathBuf,
    /// Image pixels per glyph pixel.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=MAX_SCALE as i64))]
    pub scale: u32,
    /// Draw this 2 KB character ROM instead of the built-in open set.
    #[arg(long, value_name = "FILE")]
    pub rom: Option<PathBuf>,
    /// Label the sheet's rows and columns with hex digits drawn in the character set itself.
    #[arg(long)]
    pub labels: bool,
    /// Draw this text (printable ASCII, lines split at newlines) instead of the glyph sheet.
    #[arg(long, value_name = "TEXT")]
    pub text: Option<String>,
}

/// What can go wrong in `superboard chargen`.
#[derive(Debug, thiserror::Error)]
pub enum ChargenCliError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: a character ROM is {CHARGEN_SIZE} bytes, this file has {size}")]
    RomSize { path: PathBuf, size: usize },
    #[error("built-in rom/chargen.txt: {0}")]
    OpenSource(#[from] ChargenError),
    #[error("--text: {found:?} is not printable ASCII, so it has no glyph to show")]
    NotPrintable { found: char },
    #[error("--text is empty")]
    EmptyText,
    #[error("--text would make a {pixels}-pixel image; the limit is {MAX_TEXT_PIXELS}")]
    TextTooLarge { pixels: usize },
    #[error("cannot encode PNG: {0}")]
    Encode(#[from] png::EncodingError),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// An RGB image, 3 bytes per pixel, rows top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RgbImage {
    pub width: usize,
    pub height: usize,
    pub rgb: Vec<u8>,
}

impl RgbImage {
    fn filled(width: usize, height: usize, colour: [u8; 3]) -> RgbImage {
        RgbImage {
            width,
            height,
            rgb: colour.repeat(width * height),
        }
    }

    fn fill_rect(&mut self, x: usize, y: usize, w: usize, h: usize, colour: [u8; 3]) {
        for row in y..(y + h).min(self.height) {
            for column in x..(x + w).min(self.width) {
                let at = (row * self.width + column) * 3;
                self.rgb[at..at + 3].copy_from_slice(&colour);
            }
        }
    }

    /// Draws glyph `code` with its top-left corner at (x, y), each pixel a scale×scale square.
    fn draw_glyph(
        &mut self,
        rom: &[u8; CHARGEN_SIZE],
        code: u8,
        (x, y): (usize, usize),
        scale: usize,
        ink: [u8; 3],
    ) {
        let base = usize::from(code) * GLYPH_ROWS;
        for (row, &bits) in rom[base..base + GLYPH_ROWS].iter().enumerate() {
            for column in 0..GLYPH_COLUMNS {
                // Bit 0 is the leftmost pixel (docs/hardware.md §3).
                let colour = if bits & (1 << column) != 0 {
                    ink
                } else {
                    PAPER_RGB
                };
                self.fill_rect(x + column * scale, y + row * scale, scale, scale, colour);
            }
        }
    }
}

/// Runs the subcommand; returns the process exit status.
pub fn run(args: ChargenArgs) -> i32 {
    match execute(&args) {
        Ok(()) => 0,
        Err(error) => {
            eprintln!("superboard chargen: {error}");
            1
        }
    }
}

fn execute(args: &ChargenArgs) -> Result<(), ChargenCliError> {
    let rom = match &args.rom {
        Some(path) => load_rom(path)?,
        None => chargen::parse(OPEN_CHARGEN_SOURCE)?,
    };
    let scale = args.scale.clamp(1, MAX_SCALE) as usize;
    let image = match &args.text {
        Some(text) => render_text(&rom, text, scale)?,
        None => render_sheet(&rom, scale, args.labels),
    };
    let bytes = encode_png(&image)?;
    std::fs::write(&args.png, bytes).map_err(|source| ChargenCliError::Write {
        path: args.png.clone(),
        source,
    })
}

/// Reads a user character ROM, which must be exactly 2 KB.
pub fn load_rom(path: &Path) -> Result<[u8; CHARGEN_SIZE], ChargenCliError> {
    let bytes = std::fs::read(path).map_err(|source| ChargenCliError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    <[u8; CHARGEN_SIZE]>::try_from(bytes.as_slice()).map_err(|_| ChargenCliError::RomSize {
        path: path.to_path_buf(),
        size: bytes.len(),
    })
}

/// Side of one sheet cell in image pixels.
fn cell_px(scale: usize) -> usize {
    GLYPH_COLUMNS * scale
}

/// The 16×16 glyph sheet (layout in the module docs).
pub fn render_sheet(rom: &[u8; CHARGEN_SIZE], scale: usize, labels: bool) -> RgbImage {
    let cell = cell_px(scale);
    let header = usize::from(labels);
    let cells = SHEET_GLYPHS_ACROSS + header;
    let side = cells * cell + cells + 1;
    let mut image = RgbImage::filled(side, side, GRID_RGB);
    // Top-left corner of the cell in sheet row `r`, column `c` (counting the header).
    let origin = |r: usize, c: usize| (1 + c * (cell + 1), 1 + r * (cell + 1));

    for code in 0..=u8::MAX {
        let row = usize::from(code) / SHEET_GLYPHS_ACROSS + header;
        let column = usize::from(code) % SHEET_GLYPHS_ACROSS + header;
        image.draw_glyph(rom, code, origin(row, column), scale, INK_RGB);
    }
    if labels {
        image.fill_rect(1, 1, cell, cell, PAPER_RGB);
        for digit in 0..SHEET_GLYPHS_ACROSS {
            let code = hex_digit_code(digit);
            image.draw_glyph(rom, code, origin(0, digit + 1), scale, LABEL_INK_RGB);
            image.draw_glyph(rom, code, origin(digit + 1, 0), scale, LABEL_INK_RGB);
        }
    }
    image
}

/// Character code of hex digit `digit` (0–15) in the ASCII part of the set.
fn hex_digit_code(digit: usize) -> u8 {
    b"0123456789ABCDEF"[digit % 16]
}

/// Text drawn as the screen shows it: one 8×8 cell per character, lines at newlines.
pub fn render_text(
    rom: &[u8; CHARGEN_SIZE],
    text: &str,
    scale: usize,
) -> Result<RgbImage, ChargenCliError> {
    let lines: Vec<&str> = text.lines().collect();
    if let Some(found) = lines
        .iter()
        .flat_map(|line| line.chars())
        .find(|c| !(' '..='~').contains(c))
    {
        return Err(ChargenCliError::NotPrintable { found });
    }
    let columns = lines.iter().map(|line| line.len()).max().unwrap_or(0);
    if columns == 0 {
        return Err(ChargenCliError::EmptyText);
    }
    let cell = cell_px(scale);
    let pixels = (columns * cell).saturating_mul(lines.len() * cell);
    if pixels > MAX_TEXT_PIXELS {
        return Err(ChargenCliError::TextTooLarge { pixels });
    }
    let mut image = RgbImage::filled(columns * cell, lines.len() * cell, PAPER_RGB);
    for (row, line) in lines.iter().enumerate() {
        for (column, byte) in line.bytes().enumerate() {
            image.draw_glyph(rom, byte, (column * cell, row * cell), scale, INK_RGB);
        }
    }
    Ok(image)
}

/// Encodes an RGB image as an 8-bit RGB PNG.
pub fn encode_png(image: &RgbImage) -> Result<Vec<u8>, ChargenCliError> {
    let mut bytes = Vec::new();
    // Sheets are at most 17 × 8 × MAX_SCALE + 18 pixels across; text at most MAX_TEXT_PIXELS.
    let width = u32::try_from(image.width).unwrap_or(u32::MAX);
    let height = u32::try_from(image.height).unwrap_or(u32::MAX);
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&image.rgb)?;
    writer.finish()?;
    Ok(bytes)
}
