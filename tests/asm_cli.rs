//! The build step's image table (superboard_asm::rom_build, what build.rs runs) and the
//! `superboard asm` / `superboard disasm` subcommands.

use std::path::{Path, PathBuf};
use std::process::Command;

use superboard_asm::rom_build::{build_images, RomImage};

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const MONITOR: RomImage = RomImage {
    const_name: "OPEN_MONITOR",
    symbols_const: "OPEN_SYMBOLS_MONITOR",
    source: "rom/monitor.asm",
    start: 0xF800,
    end: 0xFFFF,
    fill: 0xFF,
};

const BASIC: RomImage = RomImage {
    const_name: "OPEN_BASIC",
    symbols_const: "OPEN_SYMBOLS_BASIC",
    source: "rom/basic/basic.asm",
    start: 0xA000,
    end: 0xBFFF,
    fill: 0xFF,
};

#[test]
fn build_step_assembles_present_sources_and_fills_missing_ones() {
    let root = scratch("rom_build_ok");
    let out = root.join("out");
    std::fs::create_dir_all(root.join("rom")).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        root.join("rom/monitor.asm"),
        "        .org $F800\nreset:  jmp reset\n        .include \"vectors.asm\"\n",
    )
    .unwrap();
    std::fs::write(
        root.join("rom/vectors.asm"),
        "        .org $FFFA\n        .word reset, reset, reset\n",
    )
    .unwrap();

    let built = build_images(&root, &out, &[MONITOR, BASIC]).unwrap();

    let monitor = std::fs::read(out.join("open_monitor.bin")).unwrap();
    assert_eq!(monitor.len(), 2048);
    assert_eq!(&monitor[..4], &[0x4C, 0x00, 0xF8, 0xFF]);
    assert_eq!(&monitor[0x7FA..], &[0x00, 0xF8, 0x00, 0xF8, 0x00, 0xF8]);
    assert_eq!(
        std::fs::read_to_string(out.join("open_monitor.sym")).unwrap(),
        "reset = $F800\n"
    );
    let basic = std::fs::read(out.join("open_basic.bin")).unwrap();
    assert_eq!(basic, vec![0xFF; 8192]);

    assert_eq!(built.warnings.len(), 1);
    assert!(
        built.warnings[0].contains("basic.asm"),
        "{:?}",
        built.warnings
    );
    assert!(built.sources.contains(&root.join("rom/monitor.asm")));
    assert!(built.sources.contains(&root.join("rom/vectors.asm")));
    assert_eq!(built.sources.len(), 2, "{:?}", built.sources);
    for needle in [
        "pub const OPEN_MONITOR: [u8; 2048] = *include_bytes!(",
        "pub const OPEN_SYMBOLS_MONITOR: &str = include_str!(",
        "pub const OPEN_BASIC: [u8; 8192] = *include_bytes!(",
        "pub const OPEN_SYMBOLS_BASIC: &str = include_str!(",
    ] {
        assert!(built.rust.contains(needle), "{needle}\n{}", built.rust);
    }
}

#[test]
fn build_step_fails_with_the_assemblers_diagnostics() {
    let root = scratch("rom_build_err");
    std::fs::create_dir_all(root.join("rom")).unwrap();
    std::fs::write(
        root.join("rom/monitor.asm"),
        "        .org $F800\n        lda nowhere\n",
    )
    .unwrap();
    let err = build_images(&root, &root, &[MONITOR]).unwrap_err();
    assert!(
        err.contains("monitor.asm:2:13: error: undefined symbol `nowhere`"),
        "{err}"
    );

    std::fs::write(
        root.join("rom/monitor.asm"),
        "        .org $F000\n        nop\n",
    )
    .unwrap();
    let err = build_images(&root, &root, &[MONITOR]).unwrap_err();
    assert!(err.contains("outside the image range $F800-$FFFF"), "{err}");
}

fn superboard(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_superboard"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn asm_and_disasm_subcommands() {
    let dir = scratch("cli");
    let src = dir.join("prog.asm");
    std::fs::write(&src, "        .org $0300\nstart:  lda #$44\n        bne start\n        .res 2\nend:    .byte 1\n").unwrap();
    let bin = dir.join("prog.bin");
    let lst = dir.join("prog.lst");
    let sym = dir.join("prog.sym");
    let p = |p: &Path| p.to_str().unwrap().to_string();
    let out = superboard(&[
        "asm",
        &p(&src),
        "-o",
        &p(&bin),
        "--listing",
        &p(&lst),
        "--symbols",
        &p(&sym),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read(&bin).unwrap(),
        vec![0xA9, 0x44, 0xD0, 0xFC, 0xFF, 0xFF, 0x01]
    );
    assert!(std::fs::read_to_string(&lst)
        .unwrap()
        .contains("0300  A9 44        start:  lda #$44"));
    assert_eq!(
        std::fs::read_to_string(&sym).unwrap(),
        "end = $0306\nstart = $0300\n"
    );

    // A range and fill byte.
    let out = superboard(&[
        "asm",
        &p(&src),
        "-o",
        &p(&bin),
        "--from",
        "0x02FF",
        "--to",
        "$0307",
        "--fill",
        "0",
    ]);
    assert!(out.status.success());
    assert_eq!(
        std::fs::read(&bin).unwrap(),
        vec![0, 0xA9, 0x44, 0xD0, 0xFC, 0, 0, 0x01, 0]
    );
    let out = superboard(&["asm", &p(&src), "-o", &p(&bin), "--from", "0x0301"]);
    assert!(!out.status.success());

    // Listing with symbols.
    std::fs::write(&bin, [0xA9, 0x44, 0xD0, 0xFC]).unwrap();
    let out = superboard(&["disasm", &p(&bin), "--org", "0x300", "--symbols", &p(&sym)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "start:\n0300  A9 44     LDA #$44\n0302  D0 FC     BNE start\n"
    );

    // --source reassembles to the same bytes.
    let weird: Vec<u8> = vec![0xEB, 0x01, 0x1A, 0xAD, 0x10, 0x00, 0x02, 0x10, 0x80, 0x20];
    std::fs::write(&bin, &weird).unwrap();
    let out = superboard(&["disasm", &p(&bin), "--org", "768", "--source"]);
    assert!(out.status.success());
    let back = dir.join("back.asm");
    std::fs::write(&back, &out.stdout).unwrap();
    let bin2 = dir.join("back.bin");
    let out = superboard(&["asm", &p(&back), "-o", &p(&bin2)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read(&bin2).unwrap(), weird);

    // --from/--to outside the file is an error.
    let out = superboard(&["disasm", &p(&bin), "--org", "768", "--from", "0x200"]);
    assert!(!out.status.success());
}

#[test]
fn asm_reports_diagnostics_and_fails() {
    let dir = scratch("cli_err");
    let src = dir.join("bad.asm");
    std::fs::write(&src, "        lda nowhere\n        foo\n").unwrap();
    let bin = dir.join("bad.bin");
    let out = superboard(&["asm", src.to_str().unwrap(), "-o", bin.to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.asm:1:13: error: undefined symbol `nowhere`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bad.asm:2:9: error: unknown mnemonic or macro `foo`"),
        "{stderr}"
    );
    assert!(stderr.contains("2 errors"), "{stderr}");
    assert!(!bin.exists());
}
