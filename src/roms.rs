//! # ROM sets: the open ROMs built in, and user ROM files recognised by SHA-1
//!
//! A Superboard II has three ROM sockets that matter: BASIC (8 KB at $A000–$BFFF, four 2 KB
//! chips U9 $A000, U10 $A800, U11 $B000, U12 $B800), the monitor (2 KB at $F800–$FFFF, U13) and
//! the character generator (2 KB, U41; not on the CPU bus). [`RomSet::open`] gives the project's
//! own images, assembled from `rom/` at build time. Users may supply original images instead;
//! any part not supplied comes from the open set, so the parts mix freely.
//!
//! User files are checked by size (a wrong size is an error naming the file and the size
//! expected) and recognised by SHA-1 against the table in docs/hardware.md §0; a right-sized file
//! that is not in the table is accepted and reported as unrecognised. In a directory, files are
//! placed by their digest (or, for unrecognised 2 KB files, by a name hint such as "monitor",
//! "chargen", "u9"); files of other sizes are ignored. No ROM image is shipped with the project.

use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Size of the BASIC ROM image in bytes ($A000–$BFFF).
pub const BASIC_BYTES: usize = 8192;
/// Size of one BASIC ROM chip in bytes.
pub const BASIC_CHIP_BYTES: usize = 2048;
/// Number of BASIC ROM chips (U9–U12).
pub const BASIC_CHIPS: usize = 4;
/// Size of the monitor ROM in bytes ($F800–$FFFF).
pub const MONITOR_BYTES: usize = 2048;
/// Size of the character generator ROM in bytes.
pub const CHARGEN_BYTES: usize = 2048;

/// Socket names of the BASIC chips in address order.
pub const BASIC_CHIP_SOCKETS: [&str; BASIC_CHIPS] = ["U9", "U10", "U11", "U12"];

/// The three ROM images of a Superboard II.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RomSet {
    /// BASIC, 8 KB at $A000–$BFFF.
    pub basic: Box<[u8; BASIC_BYTES]>,
    /// Monitor, 2 KB at $F800–$FFFF.
    pub monitor: Box<[u8; MONITOR_BYTES]>,
    /// Character generator: byte `code*8 + line`, bit 0 = leftmost pixel.
    pub chargen: Box<[u8; CHARGEN_BYTES]>,
}

/// Which ROM a known image is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RomPart {
    /// One 2 KB BASIC chip; the index is 0 for U9 ($A000) … 3 for U12 ($B800).
    BasicChip(usize),
    /// The whole 8 KB of BASIC.
    Basic,
    /// The 2 KB monitor.
    Monitor,
    /// The 2 KB character generator.
    Chargen,
}

/// An original ROM image the emulator recognises by its SHA-1 (docs/hardware.md §0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KnownRom {
    /// The usual file name (MAME's where it has one).
    pub name: &'static str,
    /// What it is.
    pub description: &'static str,
    /// Which socket it belongs in.
    pub part: RomPart,
    /// SHA-1 as 40 lower-case hex digits.
    pub sha1: &'static str,
}

/// The ROM images recognised by SHA-1.
pub const KNOWN_ROMS: [KnownRom; 9] = [
    KnownRom {
        name: "basus01.u9",
        description: "OSI BASIC 1, U9",
        part: RomPart::BasicChip(0),
        sha1: "b41bf24b4470b6e969d32fe48d604637276f846e",
    },
    KnownRom {
        name: "basus02.u10",
        description: "OSI BASIC 2, U10",
        part: RomPart::BasicChip(1),
        sha1: "1397f0dc170c16c8e0c7d02e63099e986e86385b",
    },
    KnownRom {
        name: "basus03.u11",
        description: "OSI BASIC 3, U11",
        part: RomPart::BasicChip(2),
        sha1: "f5e8ee93a5e0656657d0cc60ef44e8a24b8b0a80",
    },
    KnownRom {
        name: "basic3.rom",
        description: "OSI BASIC 3 with the 2001 garbage-collector fix, U11",
        part: RomPart::BasicChip(2),
        sha1: "11407eb24d1ba7afb889b7677c987e8be1a61aab",
    },
    KnownRom {
        name: "basus04.u12",
        description: "OSI BASIC 4, U12",
        part: RomPart::BasicChip(3),
        sha1: "71f210163e4268cba2dd78a97c4d8f5dcebf980e",
    },
    KnownRom {
        name: "basic.rom",
        description: "OSI BASIC 1.0 rev 3.2, all four chips",
        part: RomPart::Basic,
        sha1: "8bdf813218e94870f61b4ae350e7b0e18f21a545",
    },
    KnownRom {
        name: "monde01.u13",
        description: "SYN600 monitor, U13",
        part: RomPart::Monitor,
        sha1: "4a0241c4015b94c436d0f0f58b3dd9d5207cd847",
    },
    KnownRom {
        name: "character.rom",
        description: "character generator, U41 (common dump)",
        part: RomPart::Chargen,
        sha1: "92d5930efee35ca48a74bf9ba1fa69005e6503a1",
    },
    KnownRom {
        name: "chgsup2.u41",
        description: "character generator, U41 (MAME dump)",
        part: RomPart::Chargen,
        sha1: "87c6271497c5b00a974d905766e91bb965180594",
    },
];

/// The known image with this content, if any.
pub fn identify(bytes: &[u8]) -> Option<&'static KnownRom> {
    identify_digest(&sha1_hex(bytes))
}

/// The known image with this SHA-1 (40 hex digits, any case), if any.
pub fn identify_digest(sha1: &str) -> Option<&'static KnownRom> {
    KNOWN_ROMS
        .iter()
        .find(|known| known.sha1.eq_ignore_ascii_case(sha1))
}

/// Errors from loading ROM files.
#[derive(Debug, thiserror::Error)]
pub enum RomError {
    /// A file or directory could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// A file has the wrong size for the part it was given as.
    #[error("{path}: {found} bytes, expected {expected} for the {part}")]
    WrongSize {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        found: usize,
        /// What was expected, e.g. "2048 bytes".
        expected: &'static str,
        /// The ROM it was given as.
        part: &'static str,
    },
    /// BASIC was given as chips but not exactly four of them.
    #[error("BASIC given as {count} files: expected one 8192-byte image or four 2048-byte chips (U9, U10, U11, U12 in address order)")]
    BasicChipCount {
        /// How many files were given.
        count: usize,
    },
    /// A directory held some BASIC chips but not all four.
    #[error(
        "{dir}: BASIC chip {socket} missing (found {found}); give all four chips or one 8 KB image"
    )]
    BasicChipMissing {
        /// The directory searched.
        dir: PathBuf,
        /// The first missing socket.
        socket: &'static str,
        /// The chips that were found.
        found: String,
    },
    /// A directory held two different images for the same part.
    #[error("{dir}: two images for the {part}: {first} and {second}")]
    Duplicate {
        /// The directory searched.
        dir: PathBuf,
        /// The part.
        part: String,
        /// The first file.
        first: PathBuf,
        /// The second file.
        second: PathBuf,
    },
}

/// ROM files a user asked for. Anything left empty comes from the open set.
#[derive(Clone, Debug, Default)]
pub struct RomFiles {
    /// A directory to search (by size and SHA-1); named files below take precedence.
    pub dir: Option<PathBuf>,
    /// BASIC: one 8 KB image, or four 2 KB chips in address order (U9, U10, U11, U12).
    pub basic: Vec<PathBuf>,
    /// Monitor, 2 KB.
    pub monitor: Option<PathBuf>,
    /// Character generator, 2 KB.
    pub chargen: Option<PathBuf>,
}

/// Where each part of a loaded ROM set came from, in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RomReport {
    /// e.g. "open" or "basic.rom (OSI BASIC 1.0 rev 3.2, all four chips)".
    pub basic: String,
    /// e.g. "open" or "monde01.u13 (SYN600 monitor, U13)".
    pub monitor: String,
    /// e.g. "open" or "mychar.bin (unrecognised)".
    pub chargen: String,
    /// Files in a `--roms` directory that were not used, each with the reason, e.g.
    /// "notes.txt (312 bytes; ROMs are 2048 or 8192)".
    pub ignored: Vec<String>,
}

impl fmt::Display for RomReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "BASIC: {}; monitor: {}; chargen: {}",
            self.basic, self.monitor, self.chargen
        )
    }
}

/// A file's contents plus how it was recognised.
struct RomFile {
    path: PathBuf,
    /// The file's size in bytes (files larger than any ROM are not kept in `bytes`).
    size: usize,
    bytes: Vec<u8>,
    known: Option<&'static KnownRom>,
}

impl RomFile {
    fn read(path: &Path) -> Result<RomFile, RomError> {
        let io_error = |source| RomError::Io {
            path: path.to_path_buf(),
            source,
        };
        // Never read more than the largest ROM (plus one byte, to report the size as wrong).
        let mut bytes = Vec::with_capacity(BASIC_BYTES + 1);
        fs::File::open(path)
            .and_then(|file| file.take(BASIC_BYTES as u64 + 1).read_to_end(&mut bytes))
            .map_err(io_error)?;
        if bytes.len() > BASIC_BYTES {
            let size = fs::metadata(path).map_err(io_error)?.len();
            bytes.truncate(0);
            return Ok(RomFile {
                path: path.to_path_buf(),
                bytes,
                known: None,
                size: usize::try_from(size).unwrap_or(usize::MAX),
            });
        }
        let known = identify(&bytes);
        Ok(RomFile {
            path: path.to_path_buf(),
            size: bytes.len(),
            bytes,
            known,
        })
    }

    fn from_image(image: &RomImage) -> RomFile {
        RomFile {
            path: PathBuf::from(&image.name),
            size: image.bytes.len(),
            known: identify(&image.bytes),
            bytes: image.bytes.clone(),
        }
    }

    fn describe(&self) -> String {
        let file_name = self
            .path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.path.display().to_string());
        match self.known {
            Some(known) if known.name == file_name => {
                format!("{} ({})", known.name, known.description)
            }
            Some(known) => format!("{file_name} = {} ({})", known.name, known.description),
            None => format!("{file_name} (unrecognised)"),
        }
    }

    fn expect_size(
        &self,
        size: usize,
        expected: &'static str,
        part: &'static str,
    ) -> Result<(), RomError> {
        if self.size == size {
            Ok(())
        } else {
            Err(RomError::WrongSize {
                path: self.path.clone(),
                found: self.size,
                expected,
                part,
            })
        }
    }
}

/// Describe an 8 KB BASIC image: by its own digest, else chip by chip when every chip is known.
fn describe_basic_image(file: &RomFile) -> String {
    if file.known.is_some() {
        return file.describe();
    }
    let chips: Vec<Option<&KnownRom>> = file
        .bytes
        .chunks_exact(BASIC_CHIP_BYTES)
        .enumerate()
        .map(|(index, chip)| identify(chip).filter(|known| known.part == RomPart::BasicChip(index)))
        .collect();
    if chips.iter().all(Option::is_some) {
        let names: Vec<&str> = chips.iter().flatten().map(|known| known.name).collect();
        let file_name = file
            .path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        format!("{file_name} ({})", names.join(" + "))
    } else {
        file.describe()
    }
}

fn describe_chips(chips: &[RomFile]) -> String {
    chips
        .iter()
        .map(RomFile::describe)
        .collect::<Vec<_>>()
        .join(" + ")
}

/// What a file found in a directory is taken to be.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    Basic,
    BasicChip(usize),
    Monitor,
    Chargen,
}

impl Slot {
    fn name(self) -> String {
        match self {
            Slot::Basic => "BASIC image".into(),
            Slot::BasicChip(index) => format!("BASIC chip {}", BASIC_CHIP_SOCKETS[index]),
            Slot::Monitor => "monitor".into(),
            Slot::Chargen => "character generator".into(),
        }
    }
}

/// Place a file from a directory: by digest, else by size and a name hint.
fn slot_for(file: &RomFile) -> Option<Slot> {
    if let Some(known) = file.known {
        return Some(match known.part {
            RomPart::Basic => Slot::Basic,
            RomPart::BasicChip(index) => Slot::BasicChip(index),
            RomPart::Monitor => Slot::Monitor,
            RomPart::Chargen => Slot::Chargen,
        });
    }
    let name = file
        .path
        .file_name()
        .map(|name| name.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match file.bytes.len() {
        BASIC_BYTES => Some(Slot::Basic),
        BASIC_CHIP_BYTES => {
            if name.contains("char") || name.contains("chr") || name.contains("font") {
                Some(Slot::Chargen)
            } else if name.contains("mon") || name.contains("syn") || name.contains("u13") {
                Some(Slot::Monitor)
            } else {
                // "u9".."u12" or "basic1".."basic4"; check the two-digit sockets first.
                let hints = [
                    ("u10", 1),
                    ("u11", 2),
                    ("u12", 3),
                    ("u9", 0),
                    ("basic1", 0),
                    ("basic2", 1),
                    ("basic3", 2),
                    ("basic4", 3),
                ];
                hints
                    .iter()
                    .find(|(hint, _)| name.contains(hint))
                    .map(|&(_, index)| Slot::BasicChip(index))
            }
        }
        _ => None,
    }
}

/// The open ROM images and their symbol tables, generated by build.rs from `rom/`.
mod open {
    include!(concat!(env!("OUT_DIR"), "/open_roms.rs"));
}

/// Symbol table of the open monitor (`name = $addr` per line), for tests and debuggers.
pub const OPEN_SYMBOLS_MONITOR: &str = open::OPEN_SYMBOLS_MONITOR;
/// Symbol table of the open BASIC (`name = $addr` per line), for tests and debuggers.
pub const OPEN_SYMBOLS_BASIC: &str = open::OPEN_SYMBOLS_BASIC;

impl Default for RomSet {
    fn default() -> Self {
        Self::open()
    }
}

impl RomSet {
    /// The project's own ROMs: open monitor, open BASIC and open character set, assembled from
    /// `rom/` at build time.
    pub fn open() -> RomSet {
        RomSet {
            basic: Box::new(open::OPEN_BASIC),
            monitor: Box::new(open::OPEN_MONITOR),
            chargen: Box::new(open::OPEN_CHARGEN),
        }
    }

    /// Load the ROMs named in `files`; every part not given comes from `fallback` (normally
    /// [`RomSet::open`]). Returns the set and a report of where each part came from.
    pub fn load(files: &RomFiles, fallback: RomSet) -> Result<(RomSet, RomReport), RomError> {
        let mut set = fallback;
        let mut report = RomReport::open();
        if let Some(dir) = &files.dir {
            load_directory(dir, &mut set, &mut report)?;
        }
        let basic = files
            .basic
            .iter()
            .map(|path| RomFile::read(path))
            .collect::<Result<Vec<_>, _>>()?;
        let monitor = files.monitor.as_deref().map(RomFile::read).transpose()?;
        let chargen = files.chargen.as_deref().map(RomFile::read).transpose()?;
        install(
            &mut set,
            &mut report,
            &basic,
            monitor.as_ref(),
            chargen.as_ref(),
        )?;
        Ok((set, report))
    }

    /// Like [`RomSet::load`] for images already in memory (e.g. files handed over by a web
    /// page): each image has a name for messages and the report. Sizes are checked and images
    /// recognised exactly as for files.
    pub fn from_images(
        images: &RomImages,
        fallback: RomSet,
    ) -> Result<(RomSet, RomReport), RomError> {
        let mut set = fallback;
        let mut report = RomReport::open();
        let basic: Vec<RomFile> = images.basic.iter().map(RomFile::from_image).collect();
        let monitor = images.monitor.as_ref().map(RomFile::from_image);
        let chargen = images.chargen.as_ref().map(RomFile::from_image);
        install(
            &mut set,
            &mut report,
            &basic,
            monitor.as_ref(),
            chargen.as_ref(),
        )?;
        Ok((set, report))
    }
}

/// SHA-1 digests of a ROM set: how snapshots name the ROMs they need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RomDigests {
    /// The whole 8 KB BASIC image.
    pub basic: [u8; 20],
    /// Each 2 KB BASIC chip, U9 to U12.
    pub basic_chips: [[u8; 20]; BASIC_CHIPS],
    /// The monitor.
    pub monitor: [u8; 20],
    /// The character generator.
    pub chargen: [u8; 20],
}

impl RomSet {
    /// The SHA-1 digest of each image (and of each BASIC chip).
    pub fn digests(&self) -> RomDigests {
        let mut basic_chips = [[0; 20]; BASIC_CHIPS];
        for (digest, chip) in basic_chips
            .iter_mut()
            .zip(self.basic.chunks_exact(BASIC_CHIP_BYTES))
        {
            *digest = sha1(chip);
        }
        RomDigests {
            basic: sha1(&self.basic[..]),
            basic_chips,
            monitor: sha1(&self.monitor[..]),
            chargen: sha1(&self.chargen[..]),
        }
    }
}

/// A ROM image in memory with the name it came under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RomImage {
    /// A file name or label, used in messages and the report.
    pub name: String,
    /// The image.
    pub bytes: Vec<u8>,
}

/// ROM images in memory. Anything left empty comes from the fallback set.
#[derive(Clone, Debug, Default)]
pub struct RomImages {
    /// BASIC: one 8 KB image, or four 2 KB chips in address order (U9, U10, U11, U12).
    pub basic: Vec<RomImage>,
    /// Monitor, 2 KB.
    pub monitor: Option<RomImage>,
    /// Character generator, 2 KB.
    pub chargen: Option<RomImage>,
}

impl RomReport {
    fn open() -> RomReport {
        RomReport {
            basic: "open".into(),
            monitor: "open".into(),
            chargen: "open".into(),
            ignored: Vec::new(),
        }
    }
}

/// Check sizes and copy the given parts into `set`, describing each in `report`.
fn install(
    set: &mut RomSet,
    report: &mut RomReport,
    basic: &[RomFile],
    monitor: Option<&RomFile>,
    chargen: Option<&RomFile>,
) -> Result<(), RomError> {
    match basic {
        [] => {}
        [image] => {
            image.expect_size(
                BASIC_BYTES,
                "8192 bytes (or four 2048-byte chips)",
                "BASIC ROM",
            )?;
            set.basic.copy_from_slice(&image.bytes);
            report.basic = describe_basic_image(image);
        }
        chips if chips.len() == BASIC_CHIPS => {
            for (index, chip) in chips.iter().enumerate() {
                chip.expect_size(BASIC_CHIP_BYTES, "2048 bytes", "BASIC chip")?;
                set.basic[index * BASIC_CHIP_BYTES..(index + 1) * BASIC_CHIP_BYTES]
                    .copy_from_slice(&chip.bytes);
            }
            report.basic = describe_chips(chips);
        }
        chips => return Err(RomError::BasicChipCount { count: chips.len() }),
    }
    if let Some(file) = monitor {
        file.expect_size(MONITOR_BYTES, "2048 bytes", "monitor ROM")?;
        set.monitor.copy_from_slice(&file.bytes);
        report.monitor = file.describe();
    }
    if let Some(file) = chargen {
        file.expect_size(CHARGEN_BYTES, "2048 bytes", "character generator ROM")?;
        set.chargen.copy_from_slice(&file.bytes);
        report.chargen = file.describe();
    }
    Ok(())
}

fn load_directory(dir: &Path, set: &mut RomSet, report: &mut RomReport) -> Result<(), RomError> {
    let io_error = |source| RomError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(io_error)?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.is_file())
        .collect();
    // Directory order is up to the file system; sort so results are reproducible.
    paths.sort();

    let mut found: Vec<(Slot, RomFile)> = Vec::new();
    let file_name = |path: &Path| {
        path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into(),
        )
    };
    for path in paths {
        let size = fs::metadata(&path).map(|meta| meta.len()).unwrap_or(0);
        if size != BASIC_BYTES as u64 && size != BASIC_CHIP_BYTES as u64 {
            report.ignored.push(format!(
                "{} ({size} bytes; ROM images are {BASIC_CHIP_BYTES} or {BASIC_BYTES})",
                file_name(&path)
            ));
            continue;
        }
        let file = RomFile::read(&path)?;
        let Some(slot) = slot_for(&file) else {
            report.ignored.push(format!(
                "{} (an unrecognised {size}-byte image whose name does not say which chip it \
                 is; name it after the chip, e.g. monitor.rom or u9.rom, or use --basic, \
                 --monitor, --chargen)",
                file_name(&path)
            ));
            continue;
        };
        if let Some((_, first)) = found.iter().find(|(taken, _)| *taken == slot) {
            if first.bytes == file.bytes {
                report.ignored.push(format!(
                    "{} (the same image as {})",
                    file_name(&path),
                    file_name(&first.path)
                ));
            } else {
                return Err(RomError::Duplicate {
                    dir: dir.to_path_buf(),
                    part: slot.name(),
                    first: first.path.clone(),
                    second: file.path,
                });
            }
            continue;
        }
        found.push((slot, file));
    }

    let take = |slot: Slot| {
        found
            .iter()
            .find(|(taken, _)| *taken == slot)
            .map(|(_, f)| f)
    };
    if let Some(image) = take(Slot::Basic) {
        set.basic.copy_from_slice(&image.bytes);
        report.basic = describe_basic_image(image);
    } else {
        let chips: Vec<Option<&RomFile>> = (0..BASIC_CHIPS)
            .map(|index| take(Slot::BasicChip(index)))
            .collect();
        if chips.iter().any(Option::is_some) {
            if let Some(missing) = chips.iter().position(Option::is_none) {
                let present: Vec<&str> = chips
                    .iter()
                    .enumerate()
                    .filter(|(_, chip)| chip.is_some())
                    .map(|(index, _)| BASIC_CHIP_SOCKETS[index])
                    .collect();
                return Err(RomError::BasicChipMissing {
                    dir: dir.to_path_buf(),
                    socket: BASIC_CHIP_SOCKETS[missing],
                    found: present.join(", "),
                });
            }
            let chips: Vec<&RomFile> = chips.into_iter().flatten().collect();
            for (index, chip) in chips.iter().enumerate() {
                set.basic[index * BASIC_CHIP_BYTES..(index + 1) * BASIC_CHIP_BYTES]
                    .copy_from_slice(&chip.bytes);
            }
            report.basic = chips
                .iter()
                .map(|chip| chip.describe())
                .collect::<Vec<_>>()
                .join(" + ");
        }
    }
    if let Some(file) = take(Slot::Monitor) {
        set.monitor.copy_from_slice(&file.bytes);
        report.monitor = file.describe();
    }
    if let Some(file) = take(Slot::Chargen) {
        set.chargen.copy_from_slice(&file.bytes);
        report.chargen = file.describe();
    }
    Ok(())
}

// SHA-1 (FIPS 180-4), used only to recognise ROM images a user supplies; not for security.

/// The SHA-1 digest of `data`.
pub fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];

    // Padding: a 1 bit, zeros to 56 mod 64 bytes, then the message length in bits (big endian).
    let bit_length = (data.len() as u64).wrapping_mul(8);
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bit_length.to_be_bytes());

    for block in message.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, &word) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let temp = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(word);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = temp;
        }
        for (state, value) in h.iter_mut().zip([a, b, c, d, e]) {
            *state = state.wrapping_add(value);
        }
    }

    let mut digest = [0u8; 20];
    for (chunk, word) in digest.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    digest
}

/// The SHA-1 digest of `data` as 40 lower-case hex digits.
pub fn sha1_hex(data: &[u8]) -> String {
    sha1(data)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
