//! # BASIC in memory: what the interpreter keeps where
//!
//! Both the original OSI BASIC (Microsoft 6502 BASIC 1.0 rev 3.2) and our open BASIC keep the
//! same layout, so everything here works with either ROM. The pointers live in zero page, two
//! bytes each, low byte first (docs/interfaces.md, "BASIC"):
//!
//! | address | name | what it points at |
//! |---|---|---|
//! | $79/$7A | TXTTAB | start of the program: $0301 after a cold start ($0300 holds 0) |
//! | $7B/$7C | VARTAB | start of the simple variables, just past the program's end |
//! | $7D/$7E | ARYTAB | start of the arrays |
//! | $7F/$80 | STREND | end of the arrays |
//! | $81/$82 | FRETOP | bottom of the string space (strings grow down from MEMSIZ) |
//! | $85/$86 | MEMSIZ | top of memory + 1 |
//! | $87/$88 | CURLIN | line being run; high byte $FF in direct mode |
//!
//! A stored line is a 2-byte link to the next line, a 2-byte line number, the text with each
//! keyword replaced by its one-byte token (spaces kept as typed) and a 0; a link whose high
//! byte is 0 ends the program. [`listing`] turns that back into text.
//!
//! Everything reads memory through a `peek` function without side effects (such as
//! [`Machine::peek`](crate::machine::Machine::peek)), so it works on a running machine, a
//! snapshot or a synthetic RAM image alike.

pub mod listing;

pub use listing::{listing, program_lines, ListingError, ProgramLine};

/// Zero-page address of TXTTAB, the start of the program.
pub const TXTTAB: u16 = 0x79;
/// Zero-page address of VARTAB, the start of the simple variables (the program's end).
pub const VARTAB: u16 = 0x7B;
/// Zero-page address of ARYTAB, the start of the arrays.
pub const ARYTAB: u16 = 0x7D;
/// Zero-page address of STREND, the end of the arrays.
pub const STREND: u16 = 0x7F;
/// Zero-page address of FRETOP, the bottom of the string space.
pub const FRETOP: u16 = 0x81;
/// Zero-page address of MEMSIZ, the top of memory + 1.
pub const MEMSIZ: u16 = 0x85;
/// Zero-page address of CURLIN, the line being run (high byte $FF in direct mode).
pub const CURLIN: u16 = 0x87;
/// Where the program starts after a cold start (TXTTAB).
pub const PROGRAM_START: u16 = 0x0301;
/// Value of CURLIN's high byte while BASIC takes commands rather than running a program.
pub const DIRECT_MODE: u8 = 0xFF;

/// The first token.
pub const FIRST_TOKEN: u8 = 0x80;

/// The keywords in token order: token $80 is `END`, $C3 is `MID$` — statements $80–$9B, other
/// words and operators $9C–$AC, functions $AD–$C3. The ROM's keyword table holds the same
/// words in the same order (`rom/basic/tokens.asm`).
pub const KEYWORDS: [&str; 68] = [
    // $80: statements
    "END", "FOR", "NEXT", "DATA", "INPUT", "DIM", "READ", "LET", //
    "GOTO", "RUN", "IF", "RESTORE", "GOSUB", "RETURN", "REM", "STOP", //
    "ON", "NULL", "WAIT", "LOAD", "SAVE", "DEF", "POKE", "PRINT", //
    "CONT", "LIST", "CLEAR", "NEW", //
    // $9C: other words and operators
    "TAB(", "TO", "FN", "SPC(", "THEN", "NOT", "STEP", "+", "-", "*", "/", "^", //
    "AND", "OR", ">", "=", "<", //
    // $AD: functions
    "SGN", "INT", "ABS", "USR", "FRE", "POS", "SQR", "RND", //
    "LOG", "EXP", "COS", "SIN", "TAN", "ATN", "PEEK", "LEN", //
    "STR$", "VAL", "ASC", "CHR$", "LEFT$", "RIGHT$", "MID$",
];

/// The keyword of `token`, or `None` for a byte below $80 or past the last token.
pub fn keyword(token: u8) -> Option<&'static str> {
    token
        .checked_sub(FIRST_TOKEN)
        .and_then(|index| KEYWORDS.get(usize::from(index)).copied())
}

/// The little-endian word at `addr` (the second byte at `addr + 1`, wrapping at $FFFF).
pub fn peek_word(peek: &impl Fn(u16) -> u8, addr: u16) -> u16 {
    u16::from_le_bytes([peek(addr), peek(addr.wrapping_add(1))])
}

/// Whether BASIC is in direct mode (taking commands, not running a program line), by CURLIN.
/// Only meaningful once BASIC has been started.
pub fn in_direct_mode(peek: &impl Fn(u16) -> u8) -> bool {
    peek(CURLIN + 1) == DIRECT_MODE
}

/// Whether BASIC has been started: TXTTAB holds $0301 and $0300 holds 0, as a cold start leaves
/// them. Before that, zero page holds power-on noise and CURLIN means nothing.
pub fn started(peek: &impl Fn(u16) -> u8) -> bool {
    peek_word(peek, TXTTAB) == PROGRAM_START && peek(PROGRAM_START - 1) == 0
}

/// Notices a program finishing: BASIC back in direct mode after running program lines (END,
/// STOP, an error, the last line, BREAK and a warm start). Look at the machine often enough —
/// every few hundred cycles: BASIC spends thousands of cycles printing "OK" before it takes
/// commands again, so no run is too short to be seen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProgramWatch {
    state: WatchState,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum WatchState {
    /// BASIC not seen taking commands yet (power-on noise, or a cold start still setting up).
    #[default]
    Unknown,
    /// In direct mode.
    Direct,
    /// Running program lines.
    Running,
}

impl ProgramWatch {
    /// Looks at CURLIN; true exactly once when a program seen running is back in direct mode.
    pub fn observe(&mut self, peek: &impl Fn(u16) -> u8) -> bool {
        if !started(peek) {
            self.state = WatchState::Unknown;
            return false;
        }
        let direct = in_direct_mode(peek);
        let ended = direct && self.state == WatchState::Running;
        self.state = match (self.state, direct) {
            (_, true) => WatchState::Direct,
            (WatchState::Unknown, false) => WatchState::Unknown,
            (_, false) => WatchState::Running,
        };
        ended
    }
}
