//! The programs on the page's shelf (`www/programs/*.bas`) load through the cassette path the
//! page uses (a listing tape, turbo, `LOAD`, SPACE) into the open BASIC and run as described.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{rows, run_until};
use superboard::devices::keyboard::Key;
use superboard::devices::tape::{DeckState, Tape, LOAD_FLAG};
use superboard::machine::{Machine, MachineConfig};

/// Emulated cycles allowed for any one wait (two minutes at 0.983 MHz).
const BUDGET_CYCLES: u64 = 120_000_000;
/// The TV window's first cell in video RAM ($D085): row 4, column 5.
const WINDOW: u16 = 0xD085;

/// BASIC waits for a command: its last line above the cursor is "OK".
fn at_ok(m: &Machine) -> bool {
    rows(m)
        .iter()
        .rev()
        .find(|row| !row.is_empty() && row.as_str() != "_")
        .is_some_and(|row| row == "OK")
}

/// A machine with BASIC cold-started and `file` loaded from a turbo listing tape, at "OK".
fn loaded(file: &str) -> Machine {
    let path = format!("{}/www/programs/{file}", env!("CARGO_MANIFEST_DIR"));
    let listing = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let tape =
        Tape::from_listing(file, listing.as_bytes()).unwrap_or_else(|e| panic!("{file}: {e}"));
    let mut m = Machine::new(MachineConfig::default());
    m.type_text("C\n\n\n").unwrap();
    run_until(&mut m, BUDGET_CYCLES, "BASIC's OK", at_ok);
    m.insert_tape(tape);
    m.set_turbo_tape(true);
    m.type_text("LOAD\n").unwrap();
    run_until(&mut m, BUDGET_CYCLES, "load mode", |m| {
        m.peek(LOAD_FLAG) & 0x80 != 0
    });
    m.play_tape();
    run_until(&mut m, BUDGET_CYCLES, "the tape read to its end", |m| {
        m.deck().state() == DeckState::Stopped && m.deck().position() == m.deck().len()
    });
    // SPACE ends load mode; BASIC takes the " " line as an empty one and prints nothing.
    m.type_text(" \n").unwrap();
    // LIST ends with the file's last line: the whole program arrived.
    let last_line = format!(
        " {} ",
        listing.lines().last().unwrap().split(' ').next().unwrap()
    );
    m.type_text("LIST\n").unwrap();
    run_until(&mut m, BUDGET_CYCLES, "LIST to the last line", |m| {
        at_ok(m) && rows(m).iter().any(|row| row.starts_with(&last_line))
    });
    m
}

/// The code in the TV window's cell at (`row`, `column`).
fn cell(m: &Machine, row: u16, column: u16) -> u8 {
    m.peek(WINDOW + 32 * row + column)
}

#[test]
fn every_listing_on_the_shelf_fits_the_machine() {
    // Lines BASIC can take (at most 71 characters) in characters the keyboard can send.
    let dir = format!("{}/www/programs", env!("CARGO_MANIFEST_DIR"));
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "bas") {
            let text = std::fs::read_to_string(&path).unwrap();
            Tape::from_listing("shelf.bas", text.as_bytes()).unwrap();
            for line in text.lines() {
                assert!(line.len() <= 71, "{}: {line}", path.display());
            }
            count += 1;
        }
    }
    assert!(count >= 3, "{count} programs on the shelf");
}

#[test]
fn the_lesson_asks_and_answers() {
    let mut m = loaded("lesson.bas");
    m.type_text("RUN\nADA\n12\n4\n").unwrap();
    run_until(&mut m, BUDGET_CYCLES, "the lesson to end", at_ok);
    let screen = rows(&m);
    for expected in [
        "A TIMES B IS 42",
        "HELLO, ADA",
        "1 TO 9, PLEASE",
        " 4 TIMES 4 IS 16",
        "****",
        "START YOUR OWN.",
    ] {
        assert!(
            screen.iter().any(|row| row == expected),
            "{expected}: {screen:#?}"
        );
    }
}

#[test]
fn the_pictures_demo_draws_with_the_graphics_characters_and_sails_on() {
    let mut m = loaded("pictures.bas");
    m.type_text("RUN\n").unwrap();
    run_until(&mut m, BUDGET_CYCLES, "the frame and the sea", |m| {
        cell(m, 0, 0) == 0xCB && cell(m, 20, 23) == 0xCE && cell(m, 14, 22) == 0x04
    });
    assert_eq!(
        (cell(&m, 0, 1), cell(&m, 1, 0)),
        (0x84, 0x8B),
        "frame lines"
    );
    assert_eq!(
        (0..4)
            .map(|i| cell(&m, 3, 18 + i % 2 + 32 * (i / 2)))
            .collect::<Vec<_>>(),
        [0xE0, 0xE1, 0xE2, 0xE3],
        "the moon"
    );
    // The ship keeps moving along row 15 until stopped.
    let ship = |m: &Machine| (1..23).find(|&c| matches!(cell(m, 15, c), 0xEE | 0xEF));
    run_until(&mut m, BUDGET_CYCLES, "the ship", |m| ship(m).is_some());
    let first = ship(&m);
    run_until(&mut m, BUDGET_CYCLES, "the ship to move", |m| {
        ship(m).is_some() && ship(m) != first
    });
    assert!(!at_ok(&m), "the demo runs until stopped");
}

#[test]
fn the_game_moves_the_basket_with_x_and_ends_with_a_score() {
    let mut m = loaded("catch.bas");
    m.type_text("RUN\n").unwrap();
    // The basket (rounded corners around a line) starts at column 11 of row 22.
    let basket =
        |m: &Machine| (1..23).find(|&c| cell(m, 22, c) == 0x84 && cell(m, 22, c - 1) == 0xDD);
    run_until(&mut m, BUDGET_CYCLES, "the basket", |m| basket(m).is_some());
    assert_eq!(basket(&m), Some(11));
    m.key_down(Key::X);
    run_until(&mut m, BUDGET_CYCLES, "the basket at the right edge", |m| {
        basket(m) == Some(21)
    });
    m.key_up(Key::X);
    run_until(&mut m, BUDGET_CYCLES, "the score", at_ok);
    let screen = rows(&m);
    let score = screen
        .iter()
        .find_map(|row| row.strip_prefix("YOU CAUGHT "))
        .unwrap_or_else(|| panic!("no score: {screen:#?}"));
    let caught: u32 = score.trim_end_matches(" OF 10").trim().parse().unwrap();
    assert!(caught <= 10, "{score}");
    assert_eq!(m.peek(0x0212), 0, "the Ctrl-C check is on again");
}
