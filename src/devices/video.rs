//! # Video: 1 KB of video RAM at $D000–$D3FF, character generator, framebuffer
//!
//! **Wiring** (docs/hardware.md §2–§3): two 2114 RAMs hold 32 rows × 32 columns of character codes;
//! the cell at row r, column c is at $D000 + 32·r + c. The video counter scans them at the
//! crystal rate (3.93216 MHz dot clock, 256 dots × 256 lines, exactly 60 Hz) and feeds each code
//! through the 2 KB character generator (U41): byte `code*8 + line` is scan line `line` (0 =
//! top) of that glyph, shifted out by a 74LS165 with **bit 0 as the leftmost pixel** (the order
//! that matches the common dump and our own `rom/chargen.txt`). White on black, no attributes,
//! no hardware cursor. The CPU is never halted for video (RDY is tied high); the "snow" of CPU
//! accesses is not emulated.
//!
//! **Views**: [`ScreenView::Full`] is all 32×32 cells (256×256 pixels). [`ScreenView::Window`]
//! is the 24×24 text area the firmware uses (rows 4–27, columns 5–28, 192×192 pixels), which
//! is roughly what a TV shows.
//!
//! **Rendering** is lazy: writes mark cells dirty (only when the byte changes) and
//! [`Video::render`] redraws only dirty cells into an RGBA framebuffer (4 bytes per pixel,
//! row-major), returning `None` when nothing changed since the last call for that view.

/// Size of video RAM in bytes.
pub const VIDEO_RAM_BYTES: usize = 1024;
/// Size of the character generator ROM in bytes (256 glyphs × 8 scan lines).
pub const CHARGEN_BYTES: usize = 2048;
/// Character cells per row and rows per screen in video RAM.
pub const CELLS_PER_ROW: usize = 32;
/// Pixels per character cell, horizontally and vertically.
pub const CELL_PIXELS: usize = 8;

const RGBA_WHITE: [u8; 4] = [0xFF, 0xFF, 0xFF, 0xFF];
const RGBA_BLACK: [u8; 4] = [0x00, 0x00, 0x00, 0xFF];

/// Which part of video RAM a view shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum ScreenView {
    /// All 32 × 32 cells.
    Full,
    /// The firmware's 24 × 24 text area: rows 4–27, columns 5–28.
    #[default]
    Window,
}

impl ScreenView {
    /// First cell row shown.
    pub const fn first_row(self) -> usize {
        match self {
            ScreenView::Full => 0,
            ScreenView::Window => 4,
        }
    }

    /// First cell column shown.
    pub const fn first_column(self) -> usize {
        match self {
            ScreenView::Full => 0,
            ScreenView::Window => 5,
        }
    }

    /// Number of cell rows shown.
    pub const fn rows(self) -> usize {
        match self {
            ScreenView::Full => 32,
            ScreenView::Window => 24,
        }
    }

    /// Number of cell columns shown.
    pub const fn columns(self) -> usize {
        match self {
            ScreenView::Full => 32,
            ScreenView::Window => 24,
        }
    }

    /// Framebuffer width in pixels.
    pub const fn width_px(self) -> usize {
        self.columns() * CELL_PIXELS
    }

    /// Framebuffer height in pixels.
    pub const fn height_px(self) -> usize {
        self.rows() * CELL_PIXELS
    }
}

/// The character a screen code shows as text: $20–$7E as ASCII, every other code (control
/// glyphs below $20, RUB OUT and the graphics set from $80) as '·'.
pub fn code_to_char(code: u8) -> char {
    if (0x20..0x7F).contains(&code) {
        code as char
    } else {
        '·'
    }
}

/// Video RAM plus the character generator and a framebuffer.
#[derive(Clone, Debug)]
pub struct Video {
    ram: [u8; VIDEO_RAM_BYTES],
    chargen: Box<[u8; CHARGEN_BYTES]>,
    /// One bit per cell (bit c of word r) changed since the framebuffer was last drawn.
    dirty_rows: [u32; CELLS_PER_ROW],
    framebuffer: Vec<u8>,
    /// The view the framebuffer holds, if it holds one.
    framebuffer_view: Option<ScreenView>,
}

impl Video {
    /// Video RAM with the given power-on contents, drawn through `chargen`.
    pub fn new(ram: [u8; VIDEO_RAM_BYTES], chargen: Box<[u8; CHARGEN_BYTES]>) -> Video {
        Video {
            ram,
            chargen,
            dirty_rows: [u32::MAX; CELLS_PER_ROW],
            framebuffer: Vec::new(),
            framebuffer_view: None,
        }
    }

    /// Read the byte at `offset` (0–1023) in video RAM.
    #[inline]
    pub fn read(&self, offset: u16) -> u8 {
        self.ram[offset as usize & (VIDEO_RAM_BYTES - 1)]
    }

    /// Write the byte at `offset` (0–1023); marks the cell dirty if the code changes.
    #[inline]
    pub fn write(&mut self, offset: u16, value: u8) {
        let offset = offset as usize & (VIDEO_RAM_BYTES - 1);
        if self.ram[offset] != value {
            self.ram[offset] = value;
            self.dirty_rows[offset / CELLS_PER_ROW] |= 1 << (offset % CELLS_PER_ROW);
        }
    }

    /// All 1024 bytes of video RAM.
    pub fn ram(&self) -> &[u8] {
        &self.ram
    }

    /// The character generator in use.
    pub fn chargen(&self) -> &[u8; CHARGEN_BYTES] {
        &self.chargen
    }

    /// Whether any cell changed since the framebuffer was last drawn.
    pub fn is_dirty(&self) -> bool {
        self.dirty_rows.iter().any(|&row| row != 0)
    }

    /// Whether any cell inside `view` changed since the framebuffer was last drawn.
    fn is_dirty_in(&self, view: ScreenView) -> bool {
        let columns = if view.columns() >= CELLS_PER_ROW {
            u32::MAX
        } else {
            ((1u32 << view.columns()) - 1) << view.first_column()
        };
        self.dirty_rows[view.first_row()..view.first_row() + view.rows()]
            .iter()
            .any(|&row| row & columns != 0)
    }

    /// The screen as text: one line per cell row of the view, joined by '\n', codes mapped by
    /// [`code_to_char`].
    pub fn screen_text(&self, view: ScreenView) -> String {
        let mut text = String::with_capacity(view.rows() * (view.columns() * 2 + 1));
        for row in view.first_row()..view.first_row() + view.rows() {
            if row != view.first_row() {
                text.push('\n');
            }
            let start = row * CELLS_PER_ROW + view.first_column();
            for &code in &self.ram[start..start + view.columns()] {
                text.push(code_to_char(code));
            }
        }
        text
    }

    /// Draw the view into the RGBA framebuffer (`view.width_px() × view.height_px()` pixels,
    /// 4 bytes each) if anything changed since the last call, and return it; `None` when the
    /// framebuffer already shows the current contents for this view.
    pub fn render(&mut self, view: ScreenView) -> Option<&[u8]> {
        if self.framebuffer_view != Some(view) {
            self.framebuffer = vec![0; view.width_px() * view.height_px() * 4];
            self.dirty_rows = [u32::MAX; CELLS_PER_ROW];
            self.framebuffer_view = Some(view);
        } else if !self.is_dirty_in(view) {
            self.dirty_rows = [0; CELLS_PER_ROW];
            return None;
        }
        for cell_row in 0..view.rows() {
            let ram_row = view.first_row() + cell_row;
            let dirty = self.dirty_rows[ram_row];
            if dirty == 0 {
                continue;
            }
            for cell_column in 0..view.columns() {
                let ram_column = view.first_column() + cell_column;
                if dirty & (1 << ram_column) != 0 {
                    self.draw_cell(view, cell_row, cell_column);
                }
            }
        }
        self.dirty_rows = [0; CELLS_PER_ROW];
        Some(&self.framebuffer)
    }

    fn draw_cell(&mut self, view: ScreenView, cell_row: usize, cell_column: usize) {
        let ram_offset =
            (view.first_row() + cell_row) * CELLS_PER_ROW + view.first_column() + cell_column;
        let glyph_start = self.ram[ram_offset] as usize * CELL_PIXELS;
        let stride = view.width_px() * 4;
        for line in 0..CELL_PIXELS {
            let bits = self.chargen[glyph_start + line];
            let row_start =
                (cell_row * CELL_PIXELS + line) * stride + cell_column * CELL_PIXELS * 4;
            for pixel in 0..CELL_PIXELS {
                // Bit 0 is the leftmost pixel (the 74LS165 shifts the low bit out first).
                let colour = if bits & (1 << pixel) != 0 {
                    RGBA_WHITE
                } else {
                    RGBA_BLACK
                };
                let at = row_start + pixel * 4;
                self.framebuffer[at..at + 4].copy_from_slice(&colour);
            }
        }
    }
}
