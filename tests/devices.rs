//! Device tests: keyboard matrix, MC6850 ACIA, video RAM and rendering.

use superboard::devices::keyboard::{Key, KeySource, Keyboard};
use superboard::devices::mc6850::{Mc6850, TapePort, TimedByte, CTS, DCD, IRQ, OVRN, RDRF, TDRE};
use superboard::devices::video::{ScreenView, Video, CHARGEN_BYTES, VIDEO_RAM_BYTES};

// ---------------------------------------------------------------- keyboard

fn read_row(keyboard: &mut Keyboard, latch: u8) -> u8 {
    keyboard.write(latch);
    keyboard.read()
}

#[test]
fn no_key_reads_ff_except_shift_lock_in_row_0() {
    let mut keyboard = Keyboard::new();
    for row in 1..8 {
        assert_eq!(read_row(&mut keyboard, !(1 << row)), 0xFF, "row {row}");
    }
    // SHIFT LOCK is down after power-on: row 0 bit 0 reads 0.
    assert_eq!(read_row(&mut keyboard, 0xFE), 0xFE);
    keyboard.set_shift_lock(false);
    assert_eq!(read_row(&mut keyboard, 0xFE), 0xFF);
    // No row selected: nothing can pull a column low.
    keyboard.set_key(KeySource::Host, Key::A, true);
    assert_eq!(read_row(&mut keyboard, 0xFF), 0xFF);
}

#[test]
fn single_key_pulls_its_column_low_in_its_row_only() {
    let mut keyboard = Keyboard::new();
    keyboard.set_key(KeySource::Host, Key::A, true);
    assert_eq!(Key::A.position(), (1, 6));
    assert_eq!(read_row(&mut keyboard, 0xFD), 0xBF);
    assert_eq!(read_row(&mut keyboard, 0xFB), 0xFF);
    keyboard.set_key(KeySource::Host, Key::A, false);
    assert_eq!(read_row(&mut keyboard, 0xFD), 0xFF);
    // Spot checks against the §4 table.
    for (key, latch, columns) in [
        (Key::Return, 0xDF, 0xF7),
        (Key::Digit1, 0x7F, 0x7F),
        (Key::Digit7, 0x7F, 0xFD),
        (Key::RubOut, 0xBF, 0xFB),
        (Key::Ctrl, 0xFE, 0xBE),
        (Key::K, 0xF7, 0xFD),
        (Key::Period, 0xDF, 0x7F),
    ] {
        let mut keyboard = Keyboard::new();
        keyboard.set_key(KeySource::Typist, key, true);
        assert_eq!(read_row(&mut keyboard, latch), columns, "{key:?}");
    }
}

#[test]
fn several_rows_selected_read_the_and_of_those_rows() {
    let mut keyboard = Keyboard::new();
    keyboard.set_shift_lock(false);
    keyboard.set_key(KeySource::Host, Key::Q, true); // row 1 bit 7
    keyboard.set_key(KeySource::Host, Key::C, true); // row 2 bit 6
    keyboard.set_key(KeySource::Host, Key::Digit5, true); // row 7 bit 3
    assert_eq!(read_row(&mut keyboard, 0xF9), 0x3F); // rows 1 and 2
    assert_eq!(read_row(&mut keyboard, 0x00), 0x37); // all rows
    assert_eq!(read_row(&mut keyboard, 0x7B), 0xB7); // rows 2 and 7
}

#[test]
fn shift_lock_latches_and_sources_are_independent() {
    let mut keyboard = Keyboard::new();
    assert!(keyboard.shift_lock());
    keyboard.set_key(KeySource::Host, Key::ShiftLock, true);
    keyboard.set_key(KeySource::Host, Key::ShiftLock, false);
    assert!(!keyboard.shift_lock());
    keyboard.set_key(KeySource::Host, Key::ShiftLock, true);
    assert!(keyboard.shift_lock());

    keyboard.set_key(KeySource::Host, Key::M, true);
    keyboard.set_key(KeySource::Typist, Key::M, true);
    keyboard.release_all(KeySource::Typist);
    assert!(keyboard.is_down(Key::M));
    keyboard.release_all(KeySource::Host);
    assert!(!keyboard.is_down(Key::M));
    assert!(
        keyboard.shift_lock(),
        "release_all leaves SHIFT LOCK latched"
    );
}

#[test]
fn presses_count_each_key_going_down_in_the_matrix() {
    let mut keyboard = Keyboard::new();
    let index = |key: Key| key.row() as usize * 8 + key.column() as usize;
    assert!(keyboard.presses().iter().all(|&n| n == 0));
    keyboard.set_key(KeySource::Typist, Key::M, true);
    keyboard.set_key(KeySource::Typist, Key::M, false);
    // Pressed and let go: up now, but counted.
    assert!(!keyboard.is_down(Key::M));
    assert_eq!(keyboard.presses()[index(Key::M)], 1);
    keyboard.set_key(KeySource::Host, Key::M, true);
    keyboard.set_key(KeySource::Typist, Key::M, true); // already down: not a new press
    keyboard.set_key(KeySource::Host, Key::M, true);
    assert_eq!(keyboard.presses()[index(Key::M)], 2);
    keyboard.set_key(KeySource::Host, Key::ShiftLock, true);
    assert_eq!(
        keyboard.presses().iter().sum::<u32>(),
        2,
        "SHIFT LOCK is a latch"
    );
}

#[test]
fn every_key_has_a_distinct_position() {
    let mut seen = std::collections::HashSet::new();
    for key in Key::ALL {
        assert!(seen.insert(key.position()), "{key:?} shares a position");
        assert!(key.row() < 8 && key.column() < 8);
        if key.row() > 0 {
            assert_ne!(key.column(), 0, "{key:?}: column 0 of rows 1-7 is unused");
        }
    }
    assert_eq!(seen.len(), 52);
}

#[test]
fn scan_reads_count_row_walks_but_not_the_ctrl_c_check() {
    let mut keyboard = Keyboard::new();
    // A poller walking rows 0..7 counts every row 1-7 once.
    for row in 0..8 {
        read_row(&mut keyboard, !(1 << row));
    }
    assert_eq!(keyboard.scan_reads(1), 1);
    assert_eq!(keyboard.scan_reads(2), 1);
    assert_eq!(keyboard.scan_reads(7), 1);
    // The Ctrl-C check: row 0 then row 2, repeatedly.
    for _ in 0..10 {
        read_row(&mut keyboard, 0xFE);
        read_row(&mut keyboard, 0xFB);
    }
    assert_eq!(keyboard.scan_reads(2), 1);
    assert_eq!(keyboard.row_reads(2), 11);
    assert_eq!(keyboard.row_reads(0), 11);
    // peek counts nothing.
    keyboard.write(0xFB);
    keyboard.peek();
    assert_eq!(keyboard.row_reads(2), 11);
}

// ---------------------------------------------------------------- ACIA

/// SYN600's ACIA initialisation: master reset, then ÷16, 8N2, RTS low, no interrupts.
fn acia_after_syn600_init(port: &mut TapePort) -> Mc6850 {
    let mut acia = Mc6850::new();
    acia.advance_to(0, port);
    acia.write(false, 0x03, port);
    acia.write(false, 0x11, port);
    acia
}

#[test]
fn acia_master_reset_and_status_bits() {
    let mut port = TapePort::default();
    let mut acia = Mc6850::new();
    assert!(acia.is_in_master_reset());
    assert_eq!(
        acia.status() & TDRE,
        0,
        "held in reset: transmitter not ready"
    );
    acia.write(false, 0x03, &mut port);
    acia.write(false, 0x11, &mut port);
    assert!(!acia.is_in_master_reset());
    // TDRE set, RDRF clear, DCD and CTS asserted (read 0), no IRQ.
    assert_eq!(acia.status(), TDRE);
    assert_eq!(acia.status() & (DCD | CTS | IRQ), 0);
    assert_eq!(acia.bit_ticks(), 16 * 1024);
    let format = acia.word_format();
    assert_eq!(
        (format.data_bits, format.parity, format.stop_bits),
        (8, false, 2)
    );
}

#[test]
fn acia_transmits_at_300_baud_in_emulated_cycles() {
    let mut port = TapePort::default();
    let mut acia = acia_after_syn600_init(&mut port);
    // Write at cycle 1024 (ticks 5120, an exact ACIA clock edge): the byte moves to the shift
    // register at once, so TDRE is set again.
    acia.advance_to(1024, &mut port);
    acia.write(true, 0x41, &mut port);
    assert_eq!(acia.status() & TDRE, TDRE);
    // A second byte waits in TDR while the first is shifted out.
    acia.write(true, 0x42, &mut port);
    assert_eq!(acia.status() & TDRE, 0);
    // 11 bits × 3,276.8 cycles = 36,044.8 cycles per byte: done at 1024 + 36044.8 → 37,069.
    acia.advance_to(37_068, &mut port);
    assert!(port.tx.is_empty());
    assert_eq!(acia.status() & TDRE, 0);
    acia.advance_to(37_069, &mut port);
    assert_eq!(
        port.tx,
        vec![TimedByte {
            cycle: 37_069,
            byte: 0x41
        }]
    );
    assert_eq!(
        acia.status() & TDRE,
        TDRE,
        "second byte moved to the shift register"
    );
    // The second frame starts exactly when the first ends: 1024 + 2 × 36,044.8 = 73,113.6.
    acia.advance_to(73_113, &mut port);
    assert_eq!(port.tx.len(), 1);
    acia.advance_to(73_114, &mut port);
    assert_eq!(
        port.tx[1],
        TimedByte {
            cycle: 73_114,
            byte: 0x42
        }
    );
}

#[test]
fn acia_idle_transmitter_starts_on_the_next_acia_clock_edge() {
    let mut port = TapePort::default();
    let mut acia = acia_after_syn600_init(&mut port);
    // Cycle 100 = tick 500; the next ACIA clock edge is tick 1024 (cycle 204.8).
    acia.advance_to(100, &mut port);
    acia.write(true, 0x55, &mut port);
    assert_eq!(acia.status() & TDRE, 0);
    acia.advance_to(204, &mut port);
    assert_eq!(acia.status() & TDRE, 0);
    acia.advance_to(205, &mut port);
    assert_eq!(acia.status() & TDRE, TDRE);
    // Frame ends at tick 1024 + 11 × 16,384 = 181,248 → cycle 36,249.6 → 36,250.
    acia.advance_to(40_000, &mut port);
    assert_eq!(
        port.tx,
        vec![TimedByte {
            cycle: 36_250,
            byte: 0x55
        }]
    );
}

#[test]
fn acia_divide_and_word_select_set_the_frame_length() {
    let mut port = TapePort::default();
    let mut acia = acia_after_syn600_init(&mut port);
    // ÷64, 7 bits even parity 1 stop (word select 010): 10 bits × 13,107.2 cycles.
    acia.write(false, 0x0A, &mut port);
    acia.write(true, 0xC1, &mut port);
    acia.advance_to(200_000, &mut port);
    assert_eq!(
        port.tx,
        vec![TimedByte {
            cycle: 131_072,
            byte: 0x41
        }]
    );
    // ÷1, 8N1 written at cycle 200,000 (tick 1,000,000): starts on the edge at tick 1,000,448,
    // then 10 bits × 1,024 ticks → tick 1,010,688 = cycle 202,137.6.
    port.tx.clear();
    acia.write(false, 0x14, &mut port);
    acia.write(true, 0x99, &mut port);
    acia.advance_to(300_000, &mut port);
    assert_eq!(
        port.tx,
        vec![TimedByte {
            cycle: 202_138,
            byte: 0x99
        }]
    );
}

#[test]
fn acia_receives_in_real_time_by_timestamp() {
    let mut port = TapePort::default();
    let mut acia = acia_after_syn600_init(&mut port);
    port.rx.push_back(TimedByte {
        cycle: 1_000,
        byte: b'A',
    });
    port.rx.push_back(TimedByte {
        cycle: 50_000,
        byte: b'B',
    });
    acia.advance_to(999, &mut port);
    assert_eq!(acia.status() & RDRF, 0);
    acia.advance_to(1_000, &mut port);
    assert_eq!(acia.status() & RDRF, RDRF);
    // Reading the status does nothing.
    assert_eq!(acia.read(false, &mut port) & RDRF, RDRF);
    assert_eq!(acia.read(true, &mut port), b'A');
    assert_eq!(acia.status() & RDRF, 0);
    acia.advance_to(49_999, &mut port);
    assert_eq!(acia.status() & RDRF, 0);
    acia.advance_to(50_000, &mut port);
    assert_eq!(acia.read(true, &mut port), b'B');
    assert!(port.rx.is_empty());
}

#[test]
fn acia_overrun_keeps_the_old_byte_and_follows_the_datasheet_sequence() {
    let mut port = TapePort::default();
    let mut acia = acia_after_syn600_init(&mut port);
    port.rx.push_back(TimedByte { cycle: 10, byte: 1 });
    port.rx.push_back(TimedByte { cycle: 20, byte: 2 });
    port.rx.push_back(TimedByte { cycle: 90, byte: 3 });
    acia.advance_to(30, &mut port);
    // Byte 2 was lost; OVRN not visible until the valid byte is read.
    assert_eq!(acia.status() & (RDRF | OVRN), RDRF);
    assert_eq!(acia.read(true, &mut port), 1);
    assert_eq!(acia.status() & (RDRF | OVRN), RDRF | OVRN);
    // The next data read clears both.
    acia.read(true, &mut port);
    assert_eq!(acia.status() & (RDRF | OVRN), 0);
    acia.advance_to(90, &mut port);
    assert_eq!(acia.read(true, &mut port), 3);
}

#[test]
fn acia_turbo_delivers_as_fast_as_the_rom_reads() {
    let mut port = TapePort {
        turbo: true,
        ..TapePort::default()
    };
    for (index, byte) in b"HELLO".iter().enumerate() {
        port.rx.push_back(TimedByte {
            cycle: 1_000_000 * (index as u64 + 1),
            byte: *byte,
        });
    }
    let mut acia = acia_after_syn600_init(&mut port);
    acia.advance_to(5, &mut port);
    let mut received = Vec::new();
    while acia.status() & RDRF != 0 {
        received.push(acia.read(true, &mut port));
    }
    assert_eq!(received, b"HELLO");
    assert_eq!(acia.status() & OVRN, 0);
}

#[test]
fn acia_seven_bit_words_clear_bit_7_and_master_reset_drops_state() {
    let mut port = TapePort::default();
    let mut acia = acia_after_syn600_init(&mut port);
    acia.write(false, 0x09, &mut port); // ÷16, 7 bits, odd parity, 1 stop
    port.rx.push_back(TimedByte {
        cycle: 10,
        byte: 0xC1,
    });
    acia.advance_to(10, &mut port);
    assert_eq!(acia.peek(true), 0x41);
    acia.write(false, 0x03, &mut port);
    assert_eq!(acia.status(), 0);
    // Bytes arriving during reset are lost.
    port.rx.push_back(TimedByte {
        cycle: 20,
        byte: 0x42,
    });
    acia.advance_to(30, &mut port);
    acia.write(false, 0x11, &mut port);
    assert_eq!(acia.status(), TDRE);
    assert!(port.rx.is_empty());
}

#[test]
fn acia_irq_follows_the_enable_bits() {
    let mut port = TapePort::default();
    let mut acia = acia_after_syn600_init(&mut port);
    acia.write(false, 0x31, &mut port); // TX interrupt enabled, TDRE set
    assert!(acia.irq());
    assert_eq!(acia.status() & IRQ, IRQ);
    acia.write(false, 0x91, &mut port); // RX interrupt enabled, nothing received
    assert!(!acia.irq());
    port.rx.push_back(TimedByte { cycle: 5, byte: 7 });
    acia.advance_to(5, &mut port);
    assert!(acia.irq());
    acia.read(true, &mut port);
    assert!(!acia.irq());
}

// ---------------------------------------------------------------- video

fn chargen_with_one_glyph() -> Box<[u8; CHARGEN_BYTES]> {
    let mut chargen = Box::new([0u8; CHARGEN_BYTES]);
    // Glyph $41: scan line 0 has only the leftmost pixel (bit 0), line 7 the rightmost (bit 7).
    chargen[0x41 * 8] = 0x01;
    chargen[0x41 * 8 + 7] = 0x80;
    chargen
}

fn pixel(framebuffer: &[u8], width: usize, x: usize, y: usize) -> [u8; 4] {
    let at = (y * width + x) * 4;
    framebuffer[at..at + 4].try_into().unwrap()
}

#[test]
fn video_renders_only_when_dirty() {
    let mut video = Video::new([0x20; VIDEO_RAM_BYTES], chargen_with_one_glyph());
    assert!(
        video.render(ScreenView::Full).is_some(),
        "first render draws"
    );
    assert!(video.render(ScreenView::Full).is_none());
    video.write(5, 0x20); // same value: not dirty
    assert!(video.render(ScreenView::Full).is_none());
    video.write(5, 0x41);
    assert!(video.render(ScreenView::Full).is_some());
    assert!(video.render(ScreenView::Full).is_none());
    // A change outside the window does not redraw the window.
    assert!(video.render(ScreenView::Window).is_some(), "new view draws");
    video.write(0, 0x41);
    assert!(video.render(ScreenView::Window).is_none());
    video.write(4 * 32 + 5, 0x41);
    assert!(video.render(ScreenView::Window).is_some());
}

#[test]
fn video_draws_a_glyph_with_bit_0_leftmost() {
    let mut video = Video::new([0x20; VIDEO_RAM_BYTES], chargen_with_one_glyph());
    video.write(32 + 2, 0x41); // row 1, column 2
    let framebuffer = video.render(ScreenView::Full).unwrap().to_vec();
    assert_eq!(framebuffer.len(), 256 * 256 * 4);
    let white = [0xFF, 0xFF, 0xFF, 0xFF];
    let black = [0, 0, 0, 0xFF];
    let lit: Vec<(usize, usize)> = (0..256)
        .flat_map(|y| (0..256).map(move |x| (x, y)))
        .filter(|&(x, y)| pixel(&framebuffer, 256, x, y) == white)
        .collect();
    assert_eq!(lit, vec![(16, 8), (23, 15)]);
    assert_eq!(pixel(&framebuffer, 256, 17, 8), black);

    // The same cell in the window view: row 1 is outside, so move it to row 4, column 5.
    video.write(4 * 32 + 5, 0x41);
    let window = video.render(ScreenView::Window).unwrap().to_vec();
    assert_eq!(window.len(), 192 * 192 * 4);
    assert_eq!(pixel(&window, 192, 0, 0), white);
    assert_eq!(pixel(&window, 192, 7, 7), white);
    assert_eq!(pixel(&window, 192, 1, 0), black);
}

#[test]
fn video_screen_text_maps_codes() {
    let mut ram = [0x20u8; VIDEO_RAM_BYTES];
    ram[27 * 32 + 5..27 * 32 + 10].copy_from_slice(b"HI!~\x7F");
    ram[27 * 32 + 10] = 0x05;
    ram[27 * 32 + 11] = 0xA1;
    let video = Video::new(ram, chargen_with_one_glyph());
    let full = video.screen_text(ScreenView::Full);
    let lines: Vec<&str> = full.split('\n').collect();
    assert_eq!(lines.len(), 32);
    assert_eq!(lines[27].chars().count(), 32);
    assert_eq!(lines[27].trim_end(), "     HI!~···");
    let window = video.screen_text(ScreenView::Window);
    let lines: Vec<&str> = window.split('\n').collect();
    assert_eq!(lines.len(), 24);
    assert!(lines[23].starts_with("HI!~···"));
    assert_eq!(lines[23].chars().count(), 24);
}
