//! Names for addresses: what the disassembly, the trace and the monitor print, and what the
//! user may type wherever an address is asked for.
//!
//! [`Labels::for_roms`] starts from the firmware's documented interface — the monitor's entry
//! points and page-2 variables, BASIC's zero-page pointers and entry points, the I/O registers
//! (docs/debugger.md lists them) — which hold for the original ROMs and the open ones alike,
//! since the open firmware keeps every interface. When an installed ROM is the open one, the
//! symbols of its build (`rom/*.asm` assembled by build.rs) name every routine inside its
//! image and every page-2-and-up variable it declares. Zero-page names only ever come from the
//! documented table: the build's symbol files mix constants (token numbers, bit masks) with
//! addresses, and a constant below $0100 cannot be told from a zero-page variable.

use std::collections::{BTreeMap, HashMap};

use crate::roms::{RomSet, OPEN_SYMBOLS_BASIC, OPEN_SYMBOLS_MONITOR};

/// The documented interface of the firmware: the same addresses in the original ROMs and in
/// the open ones (hardware reference §6 and §7, in docs/debugger.md).
const DOCUMENTED: &[(u16, &str)] = &[
    // BASIC's zero page.
    (0x0000, "WARM_JMP"),
    (0x0003, "STROUT_JMP"),
    (0x0006, "FAC_TO_INT_VEC"),
    (0x0008, "INT_TO_FAC_VEC"),
    (0x000A, "USR"),
    (0x000D, "NULLCNT"),
    (0x000E, "POSX"),
    (0x000F, "WIDTH"),
    (0x0010, "LASTZONE"),
    (0x0011, "LINNUM"),
    (0x0013, "BUF"),
    (0x005E, "DIMFLG"),
    (0x005F, "VALTYP"),
    (0x0065, "TEMPPT"),
    (0x0068, "TEMPST"),
    (0x0071, "INDEX"),
    (0x0079, "TXTTAB"),
    (0x007B, "VARTAB"),
    (0x007D, "ARYTAB"),
    (0x007F, "STREND"),
    (0x0081, "FRETOP"),
    (0x0083, "FRESPC"),
    (0x0085, "MEMSIZ"),
    (0x0087, "CURLIN"),
    (0x0089, "OLDLIN"),
    (0x008B, "OLDTEXT"),
    (0x008D, "DATLIN"),
    (0x008F, "DATPTR"),
    (0x0091, "INPTR"),
    (0x0093, "VARNAM"),
    (0x0095, "VARPNT"),
    (0x0097, "FORPNT"),
    (0x00AC, "FAC"),
    (0x00B0, "FACSIGN"),
    (0x00B3, "ARG"),
    (0x00B7, "ARGSIGN"),
    (0x00BC, "CHRGET"),
    (0x00C2, "CHRGOT"),
    (0x00C3, "TXTPTR"),
    (0x00D4, "RNDSEED"),
    (0x00FB, "MON_SOURCE"),
    (0x00FC, "MON_DATA"),
    (0x00FE, "MON_ADDR"),
    // The monitor's page 2.
    (0x0200, "CURSOR"),
    (0x0201, "CURSOR_CHAR"),
    (0x0203, "LOAD_FLAG"),
    (0x0205, "SAVE_FLAG"),
    (0x0206, "PRINT_DELAY"),
    (0x0212, "CTRLC_DISABLE"),
    (0x0218, "INPUT_VEC"),
    (0x021A, "OUTPUT_VEC"),
    (0x021C, "CTRLC_VEC"),
    (0x021E, "LOAD_VEC"),
    (0x0220, "SAVE_VEC"),
    // BASIC's entry points.
    (0xA274, "RESTART"),
    (0xA357, "INLIN"),
    (0xA386, "GETLN"),
    (0xA636, "BASIC_BREAK"),
    (0xA86C, "CRDO"),
    (0xA8C3, "STROUT"),
    (0xA8E5, "OUTDO"),
    (0xBD11, "BASIC_COLD"),
    (0xBF2D, "SCREEN_OUT"),
    // I/O.
    (0xD000, "VIDEO_RAM"),
    (0xDF00, "KBD_PORT"),
    (0xF000, "ACIA_STATUS"),
    (0xF001, "ACIA_DATA"),
    // The monitor's entry points.
    (0xFC00, "DISK_BOOT"),
    (0xFCA6, "ACIA_INIT"),
    (0xFCB1, "ACIA_SEND"),
    (0xFCBE, "KBD_SELECT_ROW"),
    (0xFCC6, "KBD_READ_COLS_X"),
    (0xFCCF, "KBD_READ_COLS"),
    (0xFD00, "KEYBOARD"),
    (0xFE00, "MON_ENTRY"),
    (0xFE80, "ACIA_READ7"),
    (0xFE93, "HEX_VALUE"),
    (0xFEAC, "MON_SHOW"),
    (0xFEF0, "DEFAULT_VECTORS"),
    (0xFF00, "RESET"),
    (0xFF69, "OUTPUT"),
    (0xFF8B, "LOAD"),
    (0xFF96, "SAVE"),
    (0xFF9B, "CTRLC_CHECK"),
    (0xFFBA, "INPUT"),
    (0xFFE0, "SCREEN_HOME"),
    (0xFFEB, "GETCHAR"),
    (0xFFEE, "PUTCHAR"),
    (0xFFF1, "CTRLC"),
    (0xFFF4, "LOAD_ENTRY"),
    (0xFFF7, "SAVE_ENTRY"),
];

/// A label that cannot be added or a symbol file that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LabelsError {
    /// The name is not an identifier.
    #[error("`{0}` is not a label name (a letter or _, then letters, digits or _)")]
    BadName(String),
    /// A symbol file line.
    #[error("symbol file {0}")]
    SymbolFile(#[from] superboard_asm::symbols::SymbolFileError),
    /// A symbol's value is not an address.
    #[error("symbol {name} = {value} is not an address ($0000-$FFFF)")]
    NotAnAddress {
        /// The symbol.
        name: String,
        /// Its value.
        value: i64,
    },
}

/// A number as monitors write it: hex by default (`FF`, `$FF`, `0xFF`), `+255` decimal,
/// `%1010` binary.
pub fn parse_number(text: &str) -> Option<u32> {
    let t = text.trim();
    if let Some(d) = t.strip_prefix('+') {
        d.parse().ok()
    } else if let Some(b) = t.strip_prefix('%') {
        u32::from_str_radix(b, 2).ok()
    } else {
        let h = t
            .strip_prefix('$')
            .or_else(|| t.strip_prefix("0x"))
            .or_else(|| t.strip_prefix("0X"))
            .unwrap_or(t);
        u32::from_str_radix(h, 16).ok()
    }
}

/// Address ↔ name, both ways.
#[derive(Clone, Debug, Default)]
pub struct Labels {
    by_addr: BTreeMap<u16, String>,
    by_name: HashMap<String, u16>,
}

impl Labels {
    /// No labels.
    pub fn new() -> Labels {
        Labels::default()
    }

    /// The labels for a machine with these ROMs: the documented interface, plus the build's
    /// symbols for each ROM that is the open one.
    pub fn for_roms(roms: &RomSet) -> Labels {
        let mut labels = Labels::new();
        let open = RomSet::open();
        if roms.monitor == open.monitor {
            labels.add_open_symbols(OPEN_SYMBOLS_MONITOR, 0xF800, 0xFFFF);
        }
        if roms.basic == open.basic {
            labels.add_open_symbols(OPEN_SYMBOLS_BASIC, 0xA000, 0xBFFF);
        }
        // The documented names win: they are the same whichever ROM is installed.
        for &(addr, name) in DOCUMENTED {
            labels.insert(name, addr);
        }
        labels
    }

    /// Symbols of an open ROM's build: routines inside its image and variables from $0200 up
    /// (see the module notes for why not the zero page).
    fn add_open_symbols(&mut self, text: &str, start: u16, end: u16) {
        let Ok(symbols) = superboard_asm::symbols::parse_symbols(text) else {
            return;
        };
        for (name, value) in symbols {
            let Ok(addr) = u16::try_from(value) else {
                continue;
            };
            let in_image = (start..=end).contains(&addr);
            let outside_roms =
                addr >= 0x0200 && !(0xA000..=0xBFFF).contains(&addr) && addr < 0xF800;
            if in_image || outside_roms {
                // Several names for one address: keep the first (alphabetical) one for
                // display; every name still works as input.
                self.by_name.insert(name.clone(), addr);
                self.by_addr.entry(addr).or_insert(name);
            }
        }
    }

    fn insert(&mut self, name: &str, addr: u16) {
        if let Some(old) = self.by_addr.insert(addr, name.to_string()) {
            if old != name {
                // The old name still resolves; it just is not displayed.
                self.by_name.entry(old).or_insert(addr);
            }
        }
        self.by_name.insert(name.to_string(), addr);
    }

    /// Add a label (replacing the displayed name of `addr`).
    pub fn add(&mut self, name: &str, addr: u16) -> Result<(), LabelsError> {
        let mut chars = name.chars();
        let ok = chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !ok {
            return Err(LabelsError::BadName(name.to_string()));
        }
        self.insert(name, addr);
        Ok(())
    }

    /// Remove a label by name; false if there was none.
    pub fn remove(&mut self, name: &str) -> bool {
        match self.by_name.remove(name) {
            Some(addr) => {
                if self.by_addr.get(&addr).is_some_and(|n| n == name) {
                    self.by_addr.remove(&addr);
                    if let Some((other, _)) = self.by_name.iter().find(|(_, &a)| a == addr) {
                        self.by_addr.insert(addr, other.clone());
                    }
                }
                true
            }
            None => false,
        }
    }

    /// Add every symbol of a symbol file (`NAME = $XXXX` per line, as `superboard asm
    /// --symbols` writes); returns how many.
    pub fn add_symbol_file(&mut self, text: &str) -> Result<usize, LabelsError> {
        let symbols = superboard_asm::symbols::parse_symbols(text)?;
        for (name, &value) in &symbols {
            if u16::try_from(value).is_err() {
                return Err(LabelsError::NotAnAddress {
                    name: name.clone(),
                    value,
                });
            }
        }
        for (name, value) in &symbols {
            self.add(name, *value as u16)?;
        }
        Ok(symbols.len())
    }

    /// The name shown for `addr`.
    pub fn name_of(&self, addr: u16) -> Option<&str> {
        self.by_addr.get(&addr).map(String::as_str)
    }

    /// The address called `name`.
    pub fn lookup(&self, name: &str) -> Option<u16> {
        self.by_name.get(name).copied()
    }

    /// Every displayed label in address order.
    pub fn iter(&self) -> impl Iterator<Item = (u16, &str)> + '_ {
        self.by_addr.iter().map(|(&a, n)| (a, n.as_str()))
    }

    /// An address as typed: a label or a number ([`parse_number`]), with an optional `+N` or
    /// `-N` offset (`loop+2`, `TXTTAB+1`).
    pub fn parse_address(&self, text: &str) -> Result<u16, String> {
        let text = text.trim();
        let term =
            |t: &str| -> Option<u32> { self.lookup(t).map(u32::from).or_else(|| parse_number(t)) };
        let value = match text
            .char_indices()
            .skip(1)
            .find(|&(_, c)| c == '+' || c == '-')
        {
            Some((i, sign)) => {
                let base = term(&text[..i]);
                let offset = parse_number(&text[i + 1..]);
                match (base, offset) {
                    (Some(b), Some(o)) if sign == '+' => b.checked_add(o),
                    (Some(b), Some(o)) => b.checked_sub(o),
                    _ => None,
                }
            }
            None => term(text),
        };
        match value {
            Some(v) if v <= 0xFFFF => Ok(v as u16),
            Some(_) => Err(format!("`{text}` is past $FFFF")),
            None => Err(format!("`{text}` is not an address (hex number or label)")),
        }
    }

    /// `$FD00 KEYBOARD` or `$1234`.
    pub fn describe_addr(&self, addr: u16) -> String {
        match self.name_of(addr) {
            Some(name) => format!("${addr:04X} {name}"),
            None => format!("${addr:04X}"),
        }
    }

    /// The name for an operand of a disassembled instruction: zero-page operands take names of
    /// $00xx, absolute ones any; below $0300 (BASIC's pointers, the monitor's vectors) also
    /// `NAME+1` for the byte after a named one, the high byte of a pointer or vector.
    pub fn operand_name(&self, value: i64, zero_page: bool) -> Option<String> {
        let addr = u16::try_from(value).ok()?;
        if zero_page && addr > 0xFF {
            return None;
        }
        if let Some(name) = self.name_of(addr) {
            return Some(name.to_string());
        }
        if addr >= 0x0300 {
            return None;
        }
        let below = addr.checked_sub(1)?;
        self.name_of(below).map(|name| format!("{name}+1"))
    }
}
