//! `superboard chargen`: the PNG sheet and text sample, for the open set and a user ROM.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;
use std::process::{Command, Output};

fn scratch(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("chargen_cli_{name}"))
}

fn superboard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_superboard"))
        .args(args)
        .output()
        .expect("run superboard")
}

/// Decodes a PNG file into (width, height, RGB bytes).
fn read_png(path: &PathBuf) -> (u32, u32, Vec<u8>) {
    let file = std::fs::File::open(path).expect("PNG written");
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .expect("valid PNG header");
    let mut pixels = vec![0; reader.output_buffer_size().expect("size fits")];
    let info = reader.next_frame(&mut pixels).expect("valid PNG data");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    pixels.truncate(info.buffer_size());
    (info.width, info.height, pixels)
}

fn pixel(rgb: &[u8], width: u32, x: u32, y: u32) -> [u8; 3] {
    let at = ((y * width + x) * 3) as usize;
    [rgb[at], rgb[at + 1], rgb[at + 2]]
}

const WHITE: [u8; 3] = [0xFF; 3];
const BLACK: [u8; 3] = [0; 3];

#[test]
fn sheet_of_the_open_set_has_the_documented_size() {
    let path = scratch("open.png");
    let out = superboard(&["chargen", "--png", path.to_str().unwrap(), "--scale", "2"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (width, height, rgb) = read_png(&path);
    // 16 cells of 8×2 pixels plus 17 grid lines.
    assert_eq!((width, height), (16 * 16 + 17, 16 * 16 + 17));
    // $A0 (full block) is row 10, column 0: its cell starts at (1, 1 + 10 × 17).
    for (dx, dy) in [(0, 0), (15, 15), (7, 9)] {
        assert_eq!(pixel(&rgb, width, 1 + dx, 171 + dy), WHITE);
    }
    // $20 (space) is row 2, column 0: all dark.
    for (dx, dy) in [(0, 0), (15, 15), (7, 9)] {
        assert_eq!(pixel(&rgb, width, 1 + dx, 35 + dy), BLACK);
    }
}

#[test]
fn labelled_sheet_adds_a_header_row_and_column() {
    let path = scratch("labels.png");
    let out = superboard(&[
        "chargen",
        "--png",
        path.to_str().unwrap(),
        "--scale",
        "1",
        "--labels",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (width, height, _) = read_png(&path);
    assert_eq!((width, height), (17 * 8 + 18, 17 * 8 + 18));
}

#[test]
fn user_rom_is_drawn_with_bit_zero_leftmost() {
    let rom_path = scratch("user.rom");
    let mut rom = vec![0u8; 2048];
    rom[0] = 0x01; // code $00, top row: only the leftmost pixel
    std::fs::write(&rom_path, &rom).unwrap();
    let path = scratch("user.png");
    let out = superboard(&[
        "chargen",
        "--png",
        path.to_str().unwrap(),
        "--rom",
        rom_path.to_str().unwrap(),
        "--scale",
        "3",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (width, height, rgb) = read_png(&path);
    assert_eq!((width, height), (16 * 24 + 17, 16 * 24 + 17));
    assert_eq!(pixel(&rgb, width, 1, 1), WHITE);
    assert_eq!(pixel(&rgb, width, 3, 3), WHITE);
    assert_eq!(pixel(&rgb, width, 4, 1), BLACK);
    assert_eq!(pixel(&rgb, width, 1, 4), BLACK);
}

#[test]
fn rom_of_the_wrong_size_is_refused_with_its_name_and_size() {
    let rom_path = scratch("short.rom");
    std::fs::write(&rom_path, [0u8; 100]).unwrap();
    let path = scratch("short.png");
    let out = superboard(&[
        "chargen",
        "--png",
        path.to_str().unwrap(),
        "--rom",
        rom_path.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("short.rom"), "{stderr}");
    assert!(stderr.contains("2048"), "{stderr}");
    assert!(stderr.contains("100"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn text_sample_is_one_cell_per_character() {
    let path = scratch("text.png");
    let out = superboard(&[
        "chargen",
        "--png",
        path.to_str().unwrap(),
        "--scale",
        "3",
        "--text",
        "HELLO WORLD\nabc",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (width, height, _) = read_png(&path);
    assert_eq!((width, height), (11 * 24, 2 * 24));
}

#[test]
fn text_outside_printable_ascii_is_refused() {
    let path = scratch("bad_text.png");
    let out = superboard(&["chargen", "--png", path.to_str().unwrap(), "--text", "é"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("'é'"));
}

#[test]
fn oversized_text_image_is_refused() {
    let path = scratch("huge_text.png");
    let line = "A".repeat(5000);
    let out = superboard(&[
        "chargen",
        "--png",
        path.to_str().unwrap(),
        "--scale",
        "16",
        "--text",
        &line,
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("limit"));
}
