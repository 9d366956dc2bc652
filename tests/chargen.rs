//! The open character set (rom/chargen.txt) and its text-grid parser.
#![cfg(not(target_arch = "wasm32"))]

use superboard_asm::chargen::{parse, to_text, ChargenError, CHARGEN_SIZE};

const SOURCE: &str = include_str!("../rom/chargen.txt");

/// The build step's output, to check it matches the parser's view of the file.
#[allow(dead_code)]
mod built {
    include!(concat!(env!("OUT_DIR"), "/open_roms.rs"));
}

fn open_set() -> [u8; CHARGEN_SIZE] {
    match parse(SOURCE) {
        Ok(image) => image,
        Err(error) => panic!("rom/chargen.txt: {error}"),
    }
}

fn glyph(image: &[u8; CHARGEN_SIZE], code: u8) -> [u8; 8] {
    let base = usize::from(code) * 8;
    let mut rows = [0; 8];
    rows.copy_from_slice(&image[base..base + 8]);
    rows
}

#[test]
fn build_step_embeds_the_parsed_file() {
    assert_eq!(built::OPEN_CHARGEN, open_set());
}

#[test]
fn file_defines_all_256_codes_once_in_order() {
    // parse() already rejects gaps and duplicates; also keep the file in code order for readers.
    let codes: Vec<u8> = SOURCE
        .lines()
        .filter_map(|line| line.strip_prefix('$'))
        .map(|rest| u8::from_str_radix(&rest[..2], 16).expect("hex header"))
        .collect();
    assert_eq!(codes, (0..=255).collect::<Vec<u8>>());
}

#[test]
fn space_and_0x60_are_blank() {
    let image = open_set();
    assert_eq!(glyph(&image, 0x20), [0; 8]);
    assert_eq!(glyph(&image, 0x60), [0; 8]);
}

#[test]
fn printable_ascii_glyphs_are_drawn_and_distinct() {
    let image = open_set();
    for code in (0x21..=0x7E).filter(|&code| code != 0x60) {
        let shape = glyph(&image, code);
        assert_ne!(shape, [0; 8], "${code:02X} is blank");
        for other in (0..=255u8).filter(|&other| other != code) {
            assert_ne!(
                shape,
                glyph(&image, other),
                "${code:02X} looks the same as ${other:02X}"
            );
        }
    }
}

#[test]
fn text_glyphs_leave_the_spacing_column_and_row() {
    // Letters and digits keep column 0 and column 7 dark so neighbours never touch.
    let image = open_set();
    for code in (b'0'..=b'9').chain(b'A'..=b'Z').chain(b'a'..=b'z') {
        for (row, bits) in glyph(&image, code).iter().enumerate() {
            assert_eq!(
                bits & 0x81,
                0,
                "${code:02X} row {row} touches the cell edge"
            );
        }
    }
    for code in (b'0'..=b'9').chain(b'A'..=b'Z') {
        assert_eq!(glyph(&image, code)[7], 0, "${code:02X} uses row 7");
    }
}

#[test]
fn horizontal_lines_run_bottom_to_top() {
    let image = open_set();
    for k in 0..8u8 {
        let mut expected = [0u8; 8];
        expected[usize::from(7 - k)] = 0xFF;
        assert_eq!(glyph(&image, 0x80 + k), expected, "${:02X}", 0x80 + k);
    }
}

#[test]
fn vertical_lines_run_left_to_right() {
    // Bit 0 is the leftmost pixel, so column k is bit k.
    let image = open_set();
    for k in 0..8u8 {
        assert_eq!(glyph(&image, 0x88 + k), [1 << k; 8], "${:02X}", 0x88 + k);
    }
}

#[test]
fn full_block_is_all_ones() {
    assert_eq!(glyph(&open_set(), 0xA0), [0xFF; 8]);
}

#[test]
fn bit_zero_is_the_leftmost_pixel() {
    let text = to_text(&[0; CHARGEN_SIZE]).replacen("$00\n........", "$00\n#.......", 1);
    assert_eq!(parse(&text).map(|image| image[0]), Ok(0x01));
}

#[test]
fn to_text_round_trips() {
    let image = open_set();
    assert_eq!(parse(&to_text(&image)), Ok(image));
    let mut pattern = [0u8; CHARGEN_SIZE];
    for (i, byte) in pattern.iter_mut().enumerate() {
        *byte = (i as u8).wrapping_mul(37) ^ 0x5A;
    }
    assert_eq!(parse(&to_text(&pattern)), Ok(pattern));
}

/// A complete, valid source of all-blank glyphs: header `$xx` on line 1 + 9·code.
fn blank_source() -> Vec<String> {
    to_text(&[0; CHARGEN_SIZE])
        .lines()
        .map(str::to_string)
        .collect()
}

fn parse_lines(lines: &[String]) -> Result<[u8; CHARGEN_SIZE], ChargenError> {
    parse(&lines.join("\n"))
}

#[test]
fn rejects_a_row_of_the_wrong_width() {
    let mut lines = blank_source();
    lines[9 * 0x41 + 3] = "#######".to_string(); // line 9*65+4
    let error = parse_lines(&lines).unwrap_err();
    assert_eq!(
        error,
        ChargenError::WrongWidth {
            line: 9 * 0x41 + 4,
            width: 7
        }
    );
    assert!(error.to_string().contains("line 589"), "{error}");
}

#[test]
fn rejects_a_duplicate_code() {
    let mut lines = blank_source();
    lines[9 * 5] = "$03 second three".to_string();
    let error = parse_lines(&lines).unwrap_err();
    assert_eq!(
        error,
        ChargenError::DuplicateCode {
            line: 46,
            code: 3,
            first_line: 28
        }
    );
    assert!(error.to_string().contains("line 46"), "{error}");
    assert!(error.to_string().contains("$03"), "{error}");
}

#[test]
fn rejects_missing_codes() {
    let mut lines = blank_source();
    lines.drain(9 * 0x7F..9 * 0x80);
    lines.truncate(lines.len() - 9);
    let error = parse_lines(&lines).unwrap_err();
    assert_eq!(
        error,
        ChargenError::MissingCodes {
            codes: vec![0x7F, 0xFF]
        }
    );
    assert!(error.to_string().contains("$7F $FF"), "{error}");
}

#[test]
fn rejects_a_bad_pixel_character() {
    let mut lines = blank_source();
    lines[1] = "...X....".to_string();
    let error = parse_lines(&lines).unwrap_err();
    assert_eq!(
        error,
        ChargenError::BadCharacter {
            line: 2,
            column: 4,
            found: 'X'
        }
    );
}

#[test]
fn rejects_short_and_long_glyphs() {
    let mut lines = blank_source();
    lines.remove(9 * 2 + 8); // glyph $02 loses its last row; $03 starts on line 27
    assert_eq!(
        parse_lines(&lines).unwrap_err(),
        ChargenError::TooFewRows {
            line: 27,
            code: 2,
            rows: 7
        }
    );
    let mut lines = blank_source();
    lines.insert(9 * 2 + 9, "........".to_string());
    assert_eq!(
        parse_lines(&lines).unwrap_err(),
        ChargenError::TooManyRows { line: 28, code: 2 }
    );
    let mut lines = blank_source();
    lines.truncate(lines.len() - 1);
    assert_eq!(
        parse_lines(&lines).unwrap_err(),
        ChargenError::TooFewRows {
            line: 2304,
            code: 0xFF,
            rows: 7
        }
    );
}

#[test]
fn rejects_bad_headers_and_stray_rows() {
    for header in ["$", "$4", "$4G A", "$123", "$41A"] {
        let mut lines = blank_source();
        lines[9 * 0x41] = header.to_string();
        assert_eq!(
            parse_lines(&lines).unwrap_err(),
            ChargenError::BadHeader {
                line: 9 * 0x41 + 1,
                text: header.to_string()
            },
            "{header:?}"
        );
    }
    assert_eq!(
        parse("; comment\n\n........\n").unwrap_err(),
        ChargenError::RowWithoutHeader { line: 3 }
    );
}

#[test]
fn accepts_comments_names_blank_lines_and_crlf() {
    let text = blank_source()
        .join("\r\n")
        .replace("$41\r\n", "; the letter\r\n\r\n$41 A  \r\n");
    assert_eq!(parse(&text), Ok([0; CHARGEN_SIZE]));
}

#[test]
fn never_panics_on_mangled_input() {
    // Deterministic mutations of the real file: flips, cuts, multibyte characters.
    let base: Vec<char> = SOURCE.chars().collect();
    let junk = ['#', '.', '$', '\n', ';', 'é', '€', ' ', 'F', '0', '\r'];
    let mut state: u32 = 0x1234_5678;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state as usize
    };
    for _ in 0..300 {
        let mut text = base.clone();
        for _ in 0..1 + next() % 8 {
            let at = next() % text.len();
            match next() % 3 {
                0 => text[at] = junk[next() % junk.len()],
                1 => {
                    text.remove(at);
                }
                _ => text.insert(at, junk[next() % junk.len()]),
            }
        }
        let text: String = text.into_iter().collect();
        if let Err(error) = parse(&text) {
            assert!(!error.to_string().is_empty());
        }
    }
    assert!(parse("").is_err());
    assert!(parse("$").is_err());
    assert!(parse("$é").is_err());
}

/// Whether the pixel at (`row`, `column`) of a glyph is lit (bit 0 is the leftmost pixel).
fn lit(image: &[u8; CHARGEN_SIZE], code: u8, row: usize, column: usize) -> bool {
    glyph(image, code)[row] & (1 << column) != 0
}

#[test]
fn centre_line_pieces_leave_the_cell_exactly_where_they_join() {
    // The one-pixel line family runs along row 3 and column 3 ($84 and $8B): each piece must
    // reach the cell edge at those pixels in the directions its name promises, and nowhere else,
    // so corners, T-junctions, crosses and straight lines join up in any arrangement.
    const UP: u8 = 1;
    const DOWN: u8 = 2;
    const LEFT: u8 = 4;
    const RIGHT: u8 = 8;
    let pieces = [
        (0x84, LEFT | RIGHT),
        (0x8B, UP | DOWN),
        (0xCB, RIGHT | DOWN),
        (0xCC, LEFT | DOWN),
        (0xCD, UP | RIGHT),
        (0xCE, UP | LEFT),
        (0xD6, LEFT | RIGHT | DOWN),
        (0xD7, LEFT | RIGHT | UP),
        (0xD8, UP | DOWN | RIGHT),
        (0xD9, UP | DOWN | LEFT),
        (0xDA, UP | DOWN | LEFT | RIGHT),
        (0xDB, RIGHT | DOWN),
        (0xDC, LEFT | DOWN),
        (0xDD, UP | RIGHT),
        (0xDE, UP | LEFT),
    ];
    let image = open_set();
    for (code, exits) in pieces {
        let edges = [
            (
                UP,
                (0..8)
                    .map(|column| lit(&image, code, 0, column))
                    .collect::<Vec<_>>(),
            ),
            (
                DOWN,
                (0..8).map(|column| lit(&image, code, 7, column)).collect(),
            ),
            (LEFT, (0..8).map(|row| lit(&image, code, row, 0)).collect()),
            (RIGHT, (0..8).map(|row| lit(&image, code, row, 7)).collect()),
        ];
        for (side, pixels) in edges {
            let expected: Vec<bool> = (0..8).map(|i| exits & side != 0 && i == 3).collect();
            assert_eq!(pixels, expected, "${code:02X} edge {side}");
        }
    }
}

/// Every lit pixel on the touching edges of two neighbouring cells has a lit neighbour (same
/// line or one off) across the seam, so a shape drawn over several cells has no breaks.
fn seam_joins(image: &[u8; CHARGEN_SIZE], first: u8, second: u8, side_by_side: bool) -> bool {
    let edge = |code: u8, far: bool| -> Vec<bool> {
        let at = if far { 7 } else { 0 };
        (0..8)
            .map(|i| match side_by_side {
                true => lit(image, code, i, at),
                false => lit(image, code, at, i),
            })
            .collect()
    };
    let (a, b) = (edge(first, true), edge(second, false));
    let covered = |from: &[bool], to: &[bool]| {
        (0..8).all(|i| !from[i] || (i.saturating_sub(1)..=(i + 1).min(7)).any(|j| to[j]))
    };
    a.iter().any(|&on| on) && covered(&a, &b) && covered(&b, &a)
}

#[test]
fn multi_cell_shapes_join_across_the_seams() {
    let image = open_set();
    let side_by_side = [
        (0xC3, 0xC4), // shallow rise
        (0xC5, 0xC6), // shallow fall
        (0xC4, 0xC5), // peak
        (0xC6, 0xC3), // valley
        (0xE0, 0xE1), // circle top
        (0xE2, 0xE3), // circle bottom
        (0xE4, 0xE5), // wide oval
        (0xD0, 0x87), // edge box: corners meet the one-pixel edge lines
        (0x87, 0xD1),
        (0xD2, 0x80),
        (0x80, 0xD3),
        (0x9D, 0xAF), // thick bars meet the thick cross
        (0xAF, 0x9D),
        (0xBD, 0xBE), // / then \ makes a peak
        (0xCF, 0xCF), // diamonds chain
    ];
    let stacked = [
        (0xC8, 0xC7), // steep rise
        (0xC9, 0xCA), // steep fall
        (0xE0, 0xE2), // circle left
        (0xE1, 0xE3), // circle right
        (0xE6, 0xE7), // tall oval
        (0xD0, 0x88), // edge box sides
        (0x88, 0xD2),
        (0xD1, 0x8F),
        (0x8F, 0xD3),
        (0x9C, 0xAF),
        (0xAF, 0x9C),
    ];
    for (first, second) in side_by_side {
        assert!(
            seam_joins(&image, first, second, true),
            "${first:02X} | ${second:02X}"
        );
    }
    for (first, second) in stacked {
        assert!(
            seam_joins(&image, first, second, false),
            "${first:02X} over ${second:02X}"
        );
    }
    // Corner-to-corner diagonals continue into the diagonal neighbour cell.
    assert!(lit(&image, 0xBD, 0, 7) && lit(&image, 0xBD, 7, 0));
    assert!(lit(&image, 0xBE, 0, 0) && lit(&image, 0xBE, 7, 7));
}

#[test]
fn slashes_span_the_letter_height_and_mirror_each_other() {
    // At 8x8 a short diagonal reads as a dash: / and \ run from the cap line (row 0) to the
    // baseline (row 6) like the letters beside them, one pixel per row.
    let image = open_set();
    let (slash, backslash) = (glyph(&image, b'/'), glyph(&image, b'\\'));
    for row in 0..7 {
        assert_eq!(slash[row].count_ones(), 1, "/ row {row}");
        assert_eq!(
            backslash[row],
            slash[row].reverse_bits() >> 1,
            "\\ row {row}"
        );
    }
    assert_eq!((slash[7], backslash[7]), (0, 0));
    assert!(slash[0] > slash[6], "/ leans right");
}
