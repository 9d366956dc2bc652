//! Build step: assembles the open ROMs in `rom/` with our own assembler into OUT_DIR.
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=rom");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let mut open_roms = String::new();
    open_roms.push_str(&open_chargen_source(Path::new("rom/chargen.txt")));
    let target = Path::new(&out_dir).join("open_roms.rs");
    if let Err(error) = std::fs::write(&target, open_roms) {
        eprintln!("error: cannot write {}: {error}", target.display());
        std::process::exit(1);
    }
}

/// The `OPEN_CHARGEN` item of open_roms.rs, parsed from the glyph grids in `path`.
///
/// A missing file gives an all-zero character set and a warning (the transitional rule of the
/// interfaces contract); a broken file fails the build with the parser's message.
fn open_chargen_source(path: &Path) -> String {
    println!("cargo:rerun-if-changed={}", path.display());
    let image = match std::fs::read_to_string(path) {
        Ok(text) => match superboard_asm::chargen::parse(&text) {
            Ok(image) => image,
            Err(error) => {
                eprintln!("error: {}: {error}", path.display());
                std::process::exit(1);
            }
        },
        Err(error) => {
            println!(
                "cargo:warning={}: {error}; OPEN_CHARGEN is all zero",
                path.display()
            );
            [0; superboard_asm::chargen::CHARGEN_SIZE]
        }
    };
    let mut source = String::from(
        "/// The open character set from rom/chargen.txt: 256 glyphs x 8 rows, byte = code*8+row,\n\
         /// row 0 = top, bit 0 = leftmost pixel.\n\
         pub const OPEN_CHARGEN: [u8; 2048] = [\n",
    );
    for glyph in image.chunks(8) {
        source.push_str("   ");
        for byte in glyph {
            source.push_str(&format!(" 0x{byte:02X},"));
        }
        source.push('\n');
    }
    source.push_str("];\n");
    source
}
