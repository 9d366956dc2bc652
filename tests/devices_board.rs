//! Board decode tests: RAM sizes, ROMs, video, keyboard and ACIA mirrors, unmapped space, cycles.

use superboard::board::{Board, Chip, RamSize};
use superboard::cpu::Bus;
use superboard::devices::keyboard::{Key, KeySource};
use superboard::roms::RomSet;

fn test_roms() -> RomSet {
    let mut basic = Box::new([0u8; 8192]);
    for (index, byte) in basic.iter_mut().enumerate() {
        *byte = (index >> 8) as u8 ^ 0xA0;
    }
    let mut monitor = Box::new([0u8; 2048]);
    for (index, byte) in monitor.iter_mut().enumerate() {
        *byte = (index >> 8) as u8 ^ 0xF8;
    }
    RomSet {
        basic,
        monitor,
        chargen: Box::new([0; 2048]),
    }
}

#[test]
fn ram_size_sets_the_top_of_ram() {
    for (size, top) in [
        (RamSize::K4, 0x0FFFu16),
        (RamSize::K8, 0x1FFF),
        (RamSize::K32, 0x7FFF),
    ] {
        let mut board = Board::new(size, test_roms());
        for addr in [0x0000, 0x0301, top] {
            board.write(addr, 0x92);
            assert_eq!(board.read(addr), 0x92, "{size:?} {addr:04X}");
            board.write(addr, 0x24);
            assert_eq!(board.read(addr), 0x24, "{size:?} {addr:04X}");
        }
        // The next byte is not RAM (BASIC's memory probe must stop here).
        board.write(top + 1, 0x92);
        assert_eq!(board.read(top + 1), 0xFF, "{size:?} above RAM");
        assert_eq!(board.decode(top + 1), Chip::Unmapped);
    }
    assert_eq!(RamSize::default(), RamSize::K8);
}

#[test]
fn roms_are_mapped_and_read_only() {
    let mut board = Board::new(RamSize::K8, test_roms());
    assert_eq!(board.read(0xA000), 0xA0);
    assert_eq!(board.read(0xA800), 0xA8);
    assert_eq!(board.read(0xBFFF), 0xA0 ^ 0x1F);
    board.write(0xA000, 0x00);
    assert_eq!(board.read(0xA000), 0xA0);
    assert_eq!(board.read(0xF800), 0xF8);
    assert_eq!(board.read(0xFFFC), 0xF8 ^ 0x07);
    board.write(0xFFFC, 0x00);
    assert_eq!(board.peek(0xFFFC), 0xF8 ^ 0x07);
}

#[test]
fn unmapped_space_reads_ff_and_ignores_writes() {
    let mut board = Board::new(RamSize::K8, test_roms());
    for addr in [
        0x2000u16, 0x9FFF, 0xC000, 0xCFFF, 0xD400, 0xD800, 0xDBFF, 0xE000, 0xEFFF, 0xF100, 0xF7FF,
    ] {
        board.write(addr, 0x00);
        assert_eq!(board.read(addr), 0xFF, "{addr:04X}");
        assert_eq!(board.peek(addr), 0xFF, "{addr:04X}");
    }
}

#[test]
fn video_ram_is_1k_at_d000() {
    let mut board = Board::new(RamSize::K8, test_roms());
    board.write(0xD000, 0x41);
    board.write(0xD3FF, 0x42);
    assert_eq!(board.read(0xD000), 0x41);
    assert_eq!(board.video.ram()[0], 0x41);
    assert_eq!(board.video.ram()[1023], 0x42);
    assert_eq!(board.decode(0xD3FF), Chip::Video(0x3FF));
    assert_eq!(board.decode(0xD400), Chip::Unmapped);
}

#[test]
fn keyboard_answers_in_all_of_dc00_to_dfff() {
    let mut board = Board::new(RamSize::K8, test_roms());
    board.keyboard.set_key(KeySource::Host, Key::A, true);
    board.write(0xDF00, 0xFD);
    assert_eq!(board.read(0xDF00), 0xBF);
    // Mirrors: any address in the block latches rows and reads columns.
    board.write(0xDC00, 0xFB);
    assert_eq!(board.read(0xDFFF), 0xFF);
    board.write(0xDE37, 0xFD);
    assert_eq!(board.read(0xDC01), 0xBF);
    assert_eq!(board.peek(0xDF00), 0xBF);
}

#[test]
fn acia_answers_in_f000_to_f0ff_with_a0_as_register_select() {
    let mut board = Board::new(RamSize::K8, test_roms());
    assert_eq!(board.decode(0xF000), Chip::Acia(false));
    assert_eq!(board.decode(0xF001), Chip::Acia(true));
    assert_eq!(board.decode(0xF0FE), Chip::Acia(false));
    assert_eq!(board.decode(0xF0FF), Chip::Acia(true));
    board.write(0xF0A2, 0x03); // master reset through a mirror
    board.write(0xF000, 0x11);
    assert_eq!(board.read(0xF0F0) & 0x02, 0x02, "TDRE");
    board.write(0xF0F1, 0x41);
    for _ in 0..40_000 {
        board.read(0x0000);
    }
    board.advance_devices();
    assert_eq!(board.tape.tx.len(), 1);
    assert_eq!(board.tape.tx[0].byte, 0x41);
}

#[test]
fn every_bus_cycle_counts_and_peek_and_poke_do_not() {
    let mut board = Board::new(RamSize::K8, test_roms());
    assert_eq!(board.cycles(), 0);
    board.read(0x0000);
    board.fetch(0xF800);
    board.write(0x0000, 1);
    board.read(0xDF00);
    assert_eq!(board.cycles(), 4);
    board.peek(0xDF00);
    board.poke(0x0010, 0x77);
    board.poke(0xD010, 0x78);
    assert_eq!(board.cycles(), 4);
    assert_eq!(board.peek(0x0010), 0x77);
    assert_eq!(board.peek(0xD010), 0x78);
    // poke leaves ROMs alone.
    board.poke(0xA000, 0);
    assert_eq!(board.peek(0xA000), 0xA0);
    // A keyboard peek is not a scan.
    assert_eq!(board.keyboard.row_reads(0), 0);
}

#[test]
fn power_on_contents_are_deterministic_and_not_blank() {
    let a = Board::new(RamSize::K8, test_roms());
    let b = Board::new(RamSize::K8, test_roms());
    let ram_a: Vec<u8> = (0..0x2000u16).map(|addr| a.peek(addr)).collect();
    let ram_b: Vec<u8> = (0..0x2000u16).map(|addr| b.peek(addr)).collect();
    assert_eq!(ram_a, ram_b);
    assert_eq!(a.video.ram(), b.video.ram());
    let distinct: std::collections::HashSet<u8> = ram_a.iter().copied().collect();
    assert!(
        distinct.len() > 200,
        "looks random: {} values",
        distinct.len()
    );
}
