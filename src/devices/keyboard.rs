//! # Keyboard: the Superboard II's 8×8 key matrix at $DC00–$DFFF
//!
//! **Wiring** (docs/hardware.md §4, schematic sheet 5): a write anywhere in $DC00–$DFFF stores the
//! byte in the row latch (74LS75 U2/U3); a read returns the eight column lines through 74LS125
//! buffers with 4.7 kΩ pull-ups. Software uses $DF00.
//!
//! **Logic levels**: both sides are active low. A 0 bit in the row latch selects that row ($FE =
//! row 0, $7F = row 7); a pressed key in a selected row pulls its column to 0. With several rows
//! selected the columns are the AND of those rows; with nothing pressed a read gives $FF.
//!
//! **SHIFT LOCK** is a latching key at row 0, column 0: one press locks it down, the next releases
//! it. It is down after power-on (the firmware expects upper-case typing). BREAK is not in the
//! matrix (it drives /RESET; see `Machine::press_break`).
//!
//! **Matrix** (column bit 7 … 1; column 0 of rows 1–7 is unused):
//!
//! | row | bit 7 | bit 6 | bit 5 | bit 4 | bit 3 | bit 2 | bit 1 | bit 0 |
//! |---|---|---|---|---|---|---|---|---|
//! | 0 | REPEAT | CTRL | ESC | – | – | LEFT SHIFT | RIGHT SHIFT | SHIFT LOCK |
//! | 1 | Q | A | Z | SPACE | / | ; | P | – |
//! | 2 | X | C | V | B | N | M | , | – |
//! | 3 | S | D | F | G | H | J | K | – |
//! | 4 | W | E | R | T | Y | U | I | – |
//! | 5 | . | L | O | LINE FEED | RETURN | – | – | – |
//! | 6 | 8 | 9 | 0 | : | - | RUB OUT | – | – |
//! | 7 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | – |
//!
//! **Live picture**: [`Keyboard::matrix`] gives the keys down as the columns see them and
//! [`Keyboard::selected_rows`] the rows the latch selects now; with the per-row read counts the
//! page draws which rows the ROM looks at and how often (the on-screen keyboard's teaching mode).
//! A key can be pressed and let go between two of the page's frames (the typist holds a key for
//! about 20,000 cycles, a 60 Hz frame at 1× is about 16,400 and a slow frame up to 100,000), so
//! [`Keyboard::presses`] also counts each key's presses: a count that moved since the last
//! frame is a key the matrix saw down, even if it is up again now.
//!
//! **Scan observation**: every read of the columns is counted per selected row
//! ([`Keyboard::row_reads`]), and reads that look like part of a row-by-row scan are counted
//! separately ([`Keyboard::scan_reads`]). The typist paces its key presses by these counts.
//! Writes (row selects) have no other effect; reads have no effect on the matrix.

/// Number of rows (and columns) in the matrix.
pub const MATRIX_SIZE: usize = 8;

/// Row latch value after power-on: no row selected.
const ROW_LATCH_POWER_ON: u8 = 0xFF;

/// One key of the matrix, named after its keycap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    Repeat,
    Ctrl,
    Esc,
    LeftShift,
    RightShift,
    ShiftLock,
    Q,
    A,
    Z,
    Space,
    Slash,
    Semicolon,
    P,
    X,
    C,
    V,
    B,
    N,
    M,
    Comma,
    S,
    D,
    F,
    G,
    H,
    J,
    K,
    W,
    E,
    R,
    T,
    Y,
    U,
    I,
    Period,
    L,
    O,
    LineFeed,
    Return,
    Digit8,
    Digit9,
    Digit0,
    Colon,
    Minus,
    RubOut,
    Digit1,
    Digit2,
    Digit3,
    Digit4,
    Digit5,
    Digit6,
    Digit7,
}

impl Key {
    /// Every key in the matrix, row 0 first, then by descending column.
    pub const ALL: [Key; 52] = [
        Key::Repeat,
        Key::Ctrl,
        Key::Esc,
        Key::LeftShift,
        Key::RightShift,
        Key::ShiftLock,
        Key::Q,
        Key::A,
        Key::Z,
        Key::Space,
        Key::Slash,
        Key::Semicolon,
        Key::P,
        Key::X,
        Key::C,
        Key::V,
        Key::B,
        Key::N,
        Key::M,
        Key::Comma,
        Key::S,
        Key::D,
        Key::F,
        Key::G,
        Key::H,
        Key::J,
        Key::K,
        Key::W,
        Key::E,
        Key::R,
        Key::T,
        Key::Y,
        Key::U,
        Key::I,
        Key::Period,
        Key::L,
        Key::O,
        Key::LineFeed,
        Key::Return,
        Key::Digit8,
        Key::Digit9,
        Key::Digit0,
        Key::Colon,
        Key::Minus,
        Key::RubOut,
        Key::Digit1,
        Key::Digit2,
        Key::Digit3,
        Key::Digit4,
        Key::Digit5,
        Key::Digit6,
        Key::Digit7,
    ];

    /// The key's (row, column): row 0–7 is the bit that selects it in the row latch, column
    /// 0–7 the bit that reads 0 when it is pressed.
    pub const fn position(self) -> (u8, u8) {
        match self {
            Key::Repeat => (0, 7),
            Key::Ctrl => (0, 6),
            Key::Esc => (0, 5),
            Key::LeftShift => (0, 2),
            Key::RightShift => (0, 1),
            Key::ShiftLock => (0, 0),
            Key::Q => (1, 7),
            Key::A => (1, 6),
            Key::Z => (1, 5),
            Key::Space => (1, 4),
            Key::Slash => (1, 3),
            Key::Semicolon => (1, 2),
            Key::P => (1, 1),
            Key::X => (2, 7),
            Key::C => (2, 6),
            Key::V => (2, 5),
            Key::B => (2, 4),
            Key::N => (2, 3),
            Key::M => (2, 2),
            Key::Comma => (2, 1),
            Key::S => (3, 7),
            Key::D => (3, 6),
            Key::F => (3, 5),
            Key::G => (3, 4),
            Key::H => (3, 3),
            Key::J => (3, 2),
            Key::K => (3, 1),
            Key::W => (4, 7),
            Key::E => (4, 6),
            Key::R => (4, 5),
            Key::T => (4, 4),
            Key::Y => (4, 3),
            Key::U => (4, 2),
            Key::I => (4, 1),
            Key::Period => (5, 7),
            Key::L => (5, 6),
            Key::O => (5, 5),
            Key::LineFeed => (5, 4),
            Key::Return => (5, 3),
            Key::Digit8 => (6, 7),
            Key::Digit9 => (6, 6),
            Key::Digit0 => (6, 5),
            Key::Colon => (6, 4),
            Key::Minus => (6, 3),
            Key::RubOut => (6, 2),
            Key::Digit1 => (7, 7),
            Key::Digit2 => (7, 6),
            Key::Digit3 => (7, 5),
            Key::Digit4 => (7, 4),
            Key::Digit5 => (7, 3),
            Key::Digit6 => (7, 2),
            Key::Digit7 => (7, 1),
        }
    }

    /// The matrix row (0–7).
    pub const fn row(self) -> u8 {
        self.position().0
    }

    /// The matrix column (0–7).
    pub const fn column(self) -> u8 {
        self.position().1
    }

    /// The keycap legend, e.g. "RETURN", "A", ";".
    pub const fn legend(self) -> &'static str {
        match self {
            Key::Repeat => "REPEAT",
            Key::Ctrl => "CTRL",
            Key::Esc => "ESC",
            Key::LeftShift => "LEFT SHIFT",
            Key::RightShift => "RIGHT SHIFT",
            Key::ShiftLock => "SHIFT LOCK",
            Key::Q => "Q",
            Key::A => "A",
            Key::Z => "Z",
            Key::Space => "SPACE",
            Key::Slash => "/",
            Key::Semicolon => ";",
            Key::P => "P",
            Key::X => "X",
            Key::C => "C",
            Key::V => "V",
            Key::B => "B",
            Key::N => "N",
            Key::M => "M",
            Key::Comma => ",",
            Key::S => "S",
            Key::D => "D",
            Key::F => "F",
            Key::G => "G",
            Key::H => "H",
            Key::J => "J",
            Key::K => "K",
            Key::W => "W",
            Key::E => "E",
            Key::R => "R",
            Key::T => "T",
            Key::Y => "Y",
            Key::U => "U",
            Key::I => "I",
            Key::Period => ".",
            Key::L => "L",
            Key::O => "O",
            Key::LineFeed => "LINE FEED",
            Key::Return => "RETURN",
            Key::Digit8 => "8",
            Key::Digit9 => "9",
            Key::Digit0 => "0",
            Key::Colon => ":",
            Key::Minus => "-",
            Key::RubOut => "RUB OUT",
            Key::Digit1 => "1",
            Key::Digit2 => "2",
            Key::Digit3 => "3",
            Key::Digit4 => "4",
            Key::Digit5 => "5",
            Key::Digit6 => "6",
            Key::Digit7 => "7",
        }
    }

    fn mask(self) -> (usize, u8) {
        let (row, column) = self.position();
        (row as usize, 1 << column)
    }
}

/// Who holds a key down. The host (a person at a keyboard) and the typist press keys
/// independently; the matrix sees the union, and releasing one never releases the other's keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeySource {
    /// Keys pressed through `Machine::key_down`.
    Host,
    /// Keys pressed by the typist.
    Typist,
}

/// The key matrix with its row latch and scan counters.
#[derive(Clone, Debug)]
pub struct Keyboard {
    row_latch: u8,
    /// Per row, a bit set for each column whose key the host holds down.
    host_down: [u8; MATRIX_SIZE],
    /// Per row, a bit set for each column whose key the typist holds down.
    typist_down: [u8; MATRIX_SIZE],
    shift_lock_down: bool,
    row_reads: [u64; MATRIX_SIZE],
    scan_reads: [u64; MATRIX_SIZE],
    /// The row selected alone at the previous read, if exactly one was.
    previous_single_row: Option<u8>,
    /// Per key (index row × 8 + column), how often it went down in the matrix. For the picture
    /// only: not in snapshots (a restore keeps the counts, see `keep_presses_of`).
    presses: [u32; MATRIX_SIZE * MATRIX_SIZE],
}

impl Default for Keyboard {
    fn default() -> Self {
        Self::new()
    }
}

impl Keyboard {
    /// Power-on state: no keys down, SHIFT LOCK locked down, no row selected.
    pub fn new() -> Keyboard {
        Keyboard {
            row_latch: ROW_LATCH_POWER_ON,
            host_down: [0; MATRIX_SIZE],
            typist_down: [0; MATRIX_SIZE],
            shift_lock_down: true,
            row_reads: [0; MATRIX_SIZE],
            scan_reads: [0; MATRIX_SIZE],
            previous_single_row: None,
            presses: [0; MATRIX_SIZE * MATRIX_SIZE],
        }
    }

    /// A CPU write to $DC00–$DFFF: latch the row select lines (0 bit = row selected).
    #[inline]
    pub fn write(&mut self, value: u8) {
        self.row_latch = value;
    }

    /// The row latch as last written.
    pub fn row_latch(&self) -> u8 {
        self.row_latch
    }

    /// A CPU read of $DC00–$DFFF: the column lines for the selected rows, counted as a scan
    /// observation.
    #[inline]
    pub fn read(&mut self) -> u8 {
        let selected = !self.row_latch;
        let single_row = if selected.count_ones() == 1 {
            Some(selected.trailing_zeros() as u8)
        } else {
            None
        };
        for row in 0..MATRIX_SIZE {
            if selected & (1 << row) != 0 {
                self.row_reads[row] += 1;
            }
        }
        if let Some(row) = single_row {
            if is_scan_step(self.previous_single_row, row) {
                self.scan_reads[row as usize] += 1;
            }
        }
        self.previous_single_row = single_row;
        self.peek()
    }

    /// The column lines for the currently selected rows, without counting a read.
    pub fn peek(&self) -> u8 {
        let selected = !self.row_latch;
        let mut pulled_low = 0u8;
        for row in 0..MATRIX_SIZE {
            if selected & (1 << row) != 0 {
                pulled_low |= self.row_down(row);
            }
        }
        !pulled_low
    }

    /// The columns held down in `row` (1 bit = pressed), SHIFT LOCK included.
    fn row_down(&self, row: usize) -> u8 {
        let mut down = self.host_down[row] | self.typist_down[row];
        if row == Key::ShiftLock.row() as usize && self.shift_lock_down {
            down |= 1 << Key::ShiftLock.column();
        }
        down
    }

    /// Press or release a key for one source. SHIFT LOCK latches: pressing it toggles the lock,
    /// releasing it does nothing.
    pub fn set_key(&mut self, source: KeySource, key: Key, down: bool) {
        if key == Key::ShiftLock {
            if down {
                self.shift_lock_down = !self.shift_lock_down;
            }
            return;
        }
        let (row, bit) = key.mask();
        if down && self.row_down(row) & bit == 0 {
            let count = &mut self.presses[row * MATRIX_SIZE + bit.trailing_zeros() as usize];
            *count = count.wrapping_add(1);
        }
        let rows = match source {
            KeySource::Host => &mut self.host_down,
            KeySource::Typist => &mut self.typist_down,
        };
        if down {
            rows[row] |= bit;
        } else {
            rows[row] &= !bit;
        }
    }

    /// Whether `key` is held by either source (SHIFT LOCK: whether it is locked down).
    pub fn is_down(&self, key: Key) -> bool {
        let (row, bit) = key.mask();
        self.row_down(row) & bit != 0
    }

    /// Release every key held by `source` (SHIFT LOCK keeps its latched state).
    pub fn release_all(&mut self, source: KeySource) {
        match source {
            KeySource::Host => self.host_down = [0; MATRIX_SIZE],
            KeySource::Typist => self.typist_down = [0; MATRIX_SIZE],
        }
    }

    /// Lock SHIFT LOCK down (`true`) or release it.
    pub fn set_shift_lock(&mut self, down: bool) {
        self.shift_lock_down = down;
    }

    /// Whether SHIFT LOCK is locked down.
    pub fn shift_lock(&self) -> bool {
        self.shift_lock_down
    }

    /// The keys down as the matrix sees them: per row, a bit set for each column a key pulls
    /// low (host and typist keys together, SHIFT LOCK while locked). Row `r` here is the
    /// complement of what a read with only row `r` selected returns.
    pub fn matrix(&self) -> [u8; MATRIX_SIZE] {
        std::array::from_fn(|row| self.row_down(row))
    }

    /// The rows the row latch selects now, one bit per row (bit 0 = row 0): the row a polling
    /// ROM is looking at this moment. 0 when the latch selects nothing.
    pub fn selected_rows(&self) -> u8 {
        !self.row_latch
    }

    /// Per key (index row × 8 + column), how many times it has gone down in the matrix (a key
    /// already held by one source and pressed by the other is not a new press; SHIFT LOCK is a
    /// latch and not counted). Wraps at 2³²; compare for inequality.
    pub fn presses(&self) -> &[u32; MATRIX_SIZE * MATRIX_SIZE] {
        &self.presses
    }

    /// Carry `other`'s press counts over (a snapshot restore: the picture's counts continue).
    pub(crate) fn keep_presses_of(&mut self, other: &Keyboard) {
        self.presses = other.presses;
    }

    /// How many column reads have had `row` selected (alone or with other rows).
    pub fn row_reads(&self, row: u8) -> u64 {
        self.row_reads[row as usize & (MATRIX_SIZE - 1)]
    }

    /// How many column reads of `row` looked like a step of a row-by-row scan: `row` selected
    /// alone, and the previous read selected a single row that was not row 0 — except that
    /// rows 0 and 1 may follow row 0. This tells a keyboard poller (which walks the rows) from
    /// the Ctrl-C check (which reads row 0 then row 2 and ignores everything but C).
    pub fn scan_reads(&self, row: u8) -> u64 {
        self.scan_reads[row as usize & (MATRIX_SIZE - 1)]
    }
}

/// Whether a read of `row` right after a read of `previous` counts as a keyboard-scan step.
/// Only the Ctrl-C check's pattern (row 0, then row 2 or another row past 1) is excluded; a
/// poller that stops at the row holding a key and starts the next pass there again still counts.
fn is_scan_step(previous: Option<u8>, row: u8) -> bool {
    match previous {
        Some(0) => row <= 1,
        Some(_) => true,
        // The first read after a multi-row or no-row select.
        None => row != 0,
    }
}

/// Snapshot support (section `KEYS`, src/snapshot.rs): the row latch, the keys each source holds
/// (eight row bytes for the host, eight for the typist; SHIFT LOCK's own bit is never set there),
/// the SHIFT LOCK latch, the scan counters (eight u64 row reads, eight u64 scan reads) and the
/// row selected alone at the previous read ($FF: none).
impl Keyboard {
    pub(crate) fn save(&self, w: &mut crate::snapshot::Writer) {
        w.u8(self.row_latch);
        w.raw(&self.host_down);
        w.raw(&self.typist_down);
        w.bool(self.shift_lock_down);
        for &count in self.row_reads.iter().chain(&self.scan_reads) {
            w.u64(count);
        }
        w.u8(self.previous_single_row.unwrap_or(NO_ROW));
    }

    pub(crate) fn load(
        r: &mut crate::snapshot::Reader,
    ) -> Result<Keyboard, crate::snapshot::SnapshotError> {
        let row_latch = r.u8()?;
        let mut host_down = [0; MATRIX_SIZE];
        let mut typist_down = [0; MATRIX_SIZE];
        for rows in [&mut host_down, &mut typist_down] {
            rows.copy_from_slice(r.raw(MATRIX_SIZE)?);
            // Column 0 holds a key only in row 0, and that key is SHIFT LOCK, kept as a latch.
            if rows.iter().any(|&row| row & 1 != 0) {
                return Err(r.invalid("a key is held at column 0, where no key can be held"));
            }
        }
        let shift_lock_down = r.bool()?;
        let mut row_reads = [0; MATRIX_SIZE];
        let mut scan_reads = [0; MATRIX_SIZE];
        // Each read takes a bus cycle, so no counter can exceed a cycle count.
        for count in row_reads.iter_mut().chain(scan_reads.iter_mut()) {
            *count = r.cycle()?;
        }
        let previous_single_row = match r.u8()? {
            NO_ROW => None,
            row if (row as usize) < MATRIX_SIZE => Some(row),
            row => return Err(r.invalid(format!("row {row} does not exist"))),
        };
        Ok(Keyboard {
            row_latch,
            host_down,
            typist_down,
            shift_lock_down,
            row_reads,
            scan_reads,
            previous_single_row,
            presses: [0; MATRIX_SIZE * MATRIX_SIZE],
        })
    }
}

/// Snapshot code for "no row".
const NO_ROW: u8 = 0xFF;

impl Key {
    /// The key's place in [`Key::ALL`] (how snapshots name keys).
    pub fn index(self) -> u8 {
        Key::ALL.iter().position(|&key| key == self).unwrap_or(0) as u8
    }

    /// The key at `index` in [`Key::ALL`].
    pub fn from_index(index: u8) -> Option<Key> {
        Key::ALL.get(index as usize).copied()
    }
}
