//! The screen as Unicode text: the table in the core, its documentation, its agreement with the
//! open character set's pixels, and `superboard run --unicode`.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

use superboard::devices::video::{
    code_to_unicode, ScreenView, Video, CHARGEN_BYTES, UNICODE_GLYPHS, VIDEO_RAM_BYTES,
};
use superboard::roms::RomSet;

const DOC: &str = include_str!("../docs/display.md");

/// The table rows of docs/display.md: `| $XX | shown | U+XXXX | glyph |`.
fn documented() -> Vec<(u8, char)> {
    DOC.lines()
        .filter_map(|line| line.strip_prefix("| $"))
        .map(|rest| {
            let cells: Vec<&str> = rest.split(" | ").collect();
            let code = u8::from_str_radix(&cells[0][..2], 16).expect("hex code");
            let scalar = u32::from_str_radix(cells[2].trim_start_matches("U+"), 16).expect("U+");
            let ch = char::from_u32(scalar).expect("a Unicode scalar");
            let shown = cells[1].trim_matches('`');
            assert_eq!(
                shown.chars().next(),
                Some(ch),
                "${code:02X}: shown and U+ differ"
            );
            (code, ch)
        })
        .collect()
}

#[test]
fn the_documented_table_is_the_core_table() {
    let listed = documented();
    for code in 0..=255u8 {
        let expected = match listed.iter().find(|(listed_code, _)| *listed_code == code) {
            Some(&(_, ch)) => ch,
            None => {
                assert!(
                    (0x20..=0x7A).contains(&code) && code != 0x60,
                    "${code:02X} is missing from docs/display.md"
                );
                code as char
            }
        };
        assert_eq!(UNICODE_GLYPHS[usize::from(code)], expected, "${code:02X}");
    }
    let mut codes: Vec<u8> = listed.iter().map(|&(code, _)| code).collect();
    codes.dedup();
    assert_eq!(codes.len(), listed.len(), "a code is listed twice");
}

/// The 8×8 pixels (bit 0 leftmost, row 0 top) of the Unicode block characters whose shape is
/// defined exactly in eighths of a cell.
fn block_pixels(ch: char) -> Option<[u8; 8]> {
    let rows = |top: usize, bottom: usize, bits: u8| {
        let mut glyph = [0u8; 8];
        glyph[top..bottom].fill(bits);
        glyph
    };
    let quadrants = |tl: bool, tr: bool, bl: bool, br: bool| {
        let half = |left: bool, right: bool| (u8::from(left) * 0x0F) | (u8::from(right) * 0xF0);
        let mut glyph = rows(0, 4, half(tl, tr));
        glyph[4..].fill(half(bl, br));
        glyph
    };
    let columns = |from: u32, to: u32| rows(0, 8, ((1u16 << to) - (1u16 << from)) as u8);
    Some(match ch {
        '█' => rows(0, 8, 0xFF),
        '▌' => columns(0, 4),
        '▐' => columns(4, 8),
        '▀' => rows(0, 4, 0xFF),
        '▄' => rows(4, 8, 0xFF),
        '▊' => columns(0, 6),
        '\u{1FB8A}' => columns(2, 8),
        '\u{1FB85}' => rows(0, 6, 0xFF),
        '▆' => rows(2, 8, 0xFF),
        '▎' => columns(0, 2),
        '\u{1FB87}' => columns(6, 8),
        '\u{1FB82}' => rows(0, 2, 0xFF),
        '▂' => rows(6, 8, 0xFF),
        '▘' => quadrants(true, false, false, false),
        '▝' => quadrants(false, true, false, false),
        '▖' => quadrants(false, false, true, false),
        '▗' => quadrants(false, false, false, true),
        '▟' => quadrants(false, true, true, true),
        '▙' => quadrants(true, false, true, true),
        '▜' => quadrants(true, true, false, true),
        '▛' => quadrants(true, true, true, false),
        '▚' => quadrants(true, false, false, true),
        '▞' => quadrants(false, true, true, false),
        '▔' => rows(0, 1, 0xFF),
        '▁' => rows(7, 8, 0xFF),
        '▏' => columns(0, 1),
        '▕' => columns(7, 8),
        '\u{1FB76}'..='\u{1FB7B}' => {
            let row = ch as usize - 0x1FB76 + 1;
            rows(row, row + 1, 0xFF)
        }
        '\u{1FB70}'..='\u{1FB75}' => {
            let column = ch as u32 - 0x1FB70 + 1;
            columns(column, column + 1)
        }
        _ => return None,
    })
}

#[test]
fn block_characters_have_exactly_the_pixels_of_their_glyphs() {
    // The line and block range $80-$AF maps to exact shapes wherever Unicode has them (the
    // pictures and terrain above $AF borrow block characters only as approximations).
    let chargen = RomSet::open().chargen;
    let mut checked = 0;
    for code in 0x80..=0xAFu8 {
        if let Some(pixels) = block_pixels(code_to_unicode(code)) {
            let base = usize::from(code) * 8;
            assert_eq!(
                chargen[base..base + 8],
                pixels,
                "${code:02X} {}",
                code_to_unicode(code)
            );
            checked += 1;
        }
    }
    // 14 one-pixel lines (not the centre pair, which are box drawing), 8 halves and three
    // quarters, 4 edge bars, 2 checkers, the full block and 8 quadrant combinations.
    assert_eq!(checked, 37);
}

#[test]
fn graphics_and_pictures_never_map_to_the_placeholder_or_to_ascii() {
    for code in (0x00..0x20).chain(0x80..=0xFF) {
        let ch = code_to_unicode(code);
        assert!(
            ch != '·' && !ch.is_ascii_alphanumeric(),
            "${code:02X} → {ch}"
        );
    }
    assert_eq!(code_to_unicode(b'A'), 'A');
    assert_eq!(code_to_unicode(0x60), ' ', "$60 is a blank glyph");
    assert_eq!(code_to_unicode(0x7C), '}', "this set shows }} at $7C");
}

#[test]
fn video_writes_the_screen_as_unicode_in_every_view() {
    let mut ram = [0x20u8; VIDEO_RAM_BYTES];
    let row = 27 * 32 + 5;
    ram[row..row + 8].copy_from_slice(&[b'H', b'I', 0xCB, 0x84, 0xCC, 0xA0, 0xE9, 0xF0]);
    let video = Video::new(ram, Box::new([0; CHARGEN_BYTES]));
    let full = video.screen_unicode(ScreenView::Full);
    let lines: Vec<&str> = full.split('\n').collect();
    assert_eq!(lines.len(), 32);
    assert!(lines.iter().all(|line| line.chars().count() == 32));
    assert_eq!(lines[27].trim_end(), "     HI┌─┐█●\u{1FBC5}");
    let window = video.screen_unicode(ScreenView::Window);
    let lines: Vec<&str> = window.split('\n').collect();
    assert_eq!((lines.len(), lines[23].chars().count()), (24, 24));
    assert!(lines[23].starts_with("HI┌─┐█●"), "{}", lines[23]);
    assert!(video.screen_text(ScreenView::Window).contains("HI·····"));
}

#[test]
fn run_prints_graphics_as_unicode_with_the_flag() {
    // BASIC POKEs a box corner, a line, a block and a heart into the TV window's last row
    // ($D36A = 54122, clear of the cursor); the screen scrolls as BASIC answers, so look for them on any line.
    let run = |unicode: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_superboard"));
        command.args([
            "run",
            "--type",
            "C\\n\\n\\n",
            "--type",
            "POKE 54122,203:POKE 54123,132:POKE 54124,160:POKE 54125,234\\n",
        ]);
        if unicode {
            command.arg("--unicode");
        }
        let output = command.output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    let plain = run(false);
    let unicode = run(true);
    assert!(plain.contains("····"), "{plain}");
    assert!(unicode.contains("┌─█♥"), "{unicode}");
    assert!(!unicode.contains('·'), "{unicode}");
    assert_eq!(unicode.lines().count(), 24);
}
