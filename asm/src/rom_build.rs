//! What the main crate's build script does with `rom/`: assemble each ROM image's top source,
//! cut the image's address range out of the result, and write the image, its symbol file and
//! the Rust constants that include them into OUT_DIR.
//!
//! Transitional rule: a missing top source gives an image filled with the image's fill byte and
//! a warning; an assembly error is an error carrying the assembler's rendered diagnostics.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::assembler::{assemble_file, Options};
use crate::diagnostic::render_all;

/// One ROM image built from assembly source.
#[derive(Clone, Copy, Debug)]
pub struct RomImage {
    /// Name of the `[u8; N]` constant, e.g. `OPEN_MONITOR`.
    pub const_name: &'static str,
    /// Name of the `&str` constant holding the symbol file, e.g. `OPEN_SYMBOLS_MONITOR`.
    pub symbols_const: &'static str,
    /// Top source file, relative to the crate root (`/`-separated).
    pub source: &'static str,
    /// First address of the image.
    pub start: u16,
    /// Last address of the image (inclusive).
    pub end: u16,
    /// Byte for addresses nothing was assembled to.
    pub fill: u8,
}

impl RomImage {
    /// Image size in bytes.
    pub fn size(&self) -> usize {
        usize::from(self.end) - usize::from(self.start) + 1
    }
}

/// What building the images produced.
#[derive(Clone, Debug, Default)]
pub struct BuildOutput {
    /// Rust source with one `[u8; N]` and one `&str` constant per image.
    pub rust: String,
    /// Every source file read (for `cargo:rerun-if-changed`); missing top sources are not
    /// listed.
    pub sources: Vec<PathBuf>,
    /// Warnings to pass on (`cargo:warning`).
    pub warnings: Vec<String>,
}

/// Assembles every image in `images` (sources relative to `root`), writing
/// `OUT_DIR/<const_name lower-case>.bin` and `.sym`, and returns the Rust constants.
pub fn build_images(
    root: &Path,
    out_dir: &Path,
    images: &[RomImage],
) -> Result<BuildOutput, String> {
    let mut output = BuildOutput::default();
    for image in images {
        let source: PathBuf = image
            .source
            .split('/')
            .fold(root.to_path_buf(), |p, part| p.join(part));
        let (bytes, symbols) = if source.exists() {
            let assembly = assemble_file(&source, &Options::default()).map_err(|diags| {
                format!(
                    "assembling {} for {}:\n{}",
                    source.display(),
                    image.const_name,
                    render_all(&diags)
                )
            })?;
            output.sources.extend(assembly.files().iter().cloned());
            let bytes = assembly
                .image(image.start, image.end, image.fill)
                .map_err(|e| format!("{} ({}): {e}", image.const_name, source.display()))?;
            (bytes, assembly.symbols())
        } else {
            output.warnings.push(format!(
                "{} not found: {} is all ${:02X} until it exists",
                source.display(),
                image.const_name,
                image.fill
            ));
            // Not listed in `sources`: cargo treats a missing rerun-if-changed path as always
            // changed. The build script watches the rom/ directory, which sees the file appear.
            (vec![image.fill; image.size()], String::new())
        };
        let stem = image.const_name.to_ascii_lowercase();
        let bin = out_dir.join(format!("{stem}.bin"));
        let sym = out_dir.join(format!("{stem}.sym"));
        std::fs::write(&bin, &bytes).map_err(|e| format!("writing {}: {e}", bin.display()))?;
        std::fs::write(&sym, &symbols).map_err(|e| format!("writing {}: {e}", sym.display()))?;
        let _ = writeln!(
            output.rust,
            "/// `{}` assembled for ${:04X}-${:04X}.\npub const {}: [u8; {}] = *include_bytes!({:?});\n\
             /// Symbol file of `{}` (`NAME = $XXXX` per line).\npub const {}: &str = include_str!({:?});",
            image.source,
            image.start,
            image.end,
            image.const_name,
            image.size(),
            bin.display().to_string(),
            image.source,
            image.symbols_const,
            sym.display().to_string(),
        );
    }
    Ok(output)
}
