//! The wasm-bindgen facade (`superboard::web`), run under node by wasm-bindgen-test:
//! `cargo test --target wasm32-unknown-unknown --test web`. Natively this file is empty.
#![cfg(target_arch = "wasm32")]

use superboard::web::{
    identify_rom, key_legend, key_names, key_position, LiveTapeDecoder, Superboard,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test as test;

const PROMPT: &str = "C/W/M ?";
/// One 60 Hz frame of CPU cycles.
const FRAME_CYCLES: f64 = 16_384.0;

fn message(error: wasm_bindgen::JsError) -> String {
    JsValue::from(error)
        .dyn_into::<js_sys::Error>()
        .expect("a JS Error")
        .message()
        .into()
}

fn run_until(machine: &mut Superboard, text: &str, max_frames: u32) -> bool {
    for _ in 0..max_frames {
        machine.run_for(FRAME_CYCLES);
        if machine.screen_text().contains(text) {
            return true;
        }
    }
    false
}

#[test]
fn boots_to_the_monitor_prompt() {
    let mut machine = Superboard::new();
    assert!(
        run_until(&mut machine, PROMPT, 120),
        "{}",
        machine.screen_text()
    );
    assert_eq!(machine.screen_text().lines().count(), 32);
}

#[test]
fn run_for_spends_the_budget_and_counts_cycles() {
    let mut machine = Superboard::new();
    let ran = machine.run_for(10_000.0);
    assert!((10_000.0..10_010.0).contains(&ran), "ran {ran}");
    assert_eq!(machine.cycles(), ran);
    // Nonsense budgets run nothing rather than panicking.
    assert_eq!(machine.run_for(f64::NAN), 0.0);
    assert_eq!(machine.run_for(-5.0), 0.0);
}

#[test]
fn render_reports_changes_only() {
    let mut machine = Superboard::new();
    assert!(machine.render(), "the first render draws everything");
    assert_ne!(machine.framebuffer_ptr(), 0);
    assert!(!machine.render(), "nothing changed since");
    run_until(&mut machine, PROMPT, 120);
    assert!(machine.render(), "the prompt appeared");
}

#[test]
fn typing_reaches_the_rom() {
    let mut machine = Superboard::new();
    assert!(run_until(&mut machine, PROMPT, 120));
    let before = machine.screen_text();
    machine.type_text("C").unwrap();
    assert!(machine.typing_pending());
    for _ in 0..600 {
        machine.run_for(FRAME_CYCLES);
        if !machine.typing_pending() && machine.screen_text() != before {
            break;
        }
    }
    assert!(!machine.typing_pending());
    assert_ne!(machine.screen_text(), before, "C changed the screen");
}

#[test]
fn untypable_text_is_an_error_naming_the_character() {
    let mut machine = Superboard::new();
    let error = machine.type_text("PRINT {").unwrap_err();
    let text = message(error);
    assert!(text.contains("'{'"), "{text}");
    assert!(!machine.typing_pending());
}

#[test]
fn keys_by_name() {
    let names = key_names();
    assert_eq!(names.len(), 52);
    assert!(names.iter().any(|n| n == "RubOut"));
    assert_eq!(key_legend("RubOut").unwrap(), "RUB OUT");
    let mut machine = Superboard::new();
    machine.key_down("A").unwrap();
    machine.key_up("A").unwrap();
    machine.release_all_keys();
    let error = machine.key_down("F13").unwrap_err();
    assert!(message(error).contains("F13"));
}

#[test]
fn lossy_typing_reports_what_it_left_out_and_types_the_rest() {
    let mut machine = Superboard::new();
    assert!(run_until(&mut machine, PROMPT, 120));
    let skipped = machine.type_text_lossy("|C");
    assert_eq!(skipped.len(), 1);
    assert_eq!(
        (skipped[0].character.as_str(), skipped[0].position),
        ("|", 0)
    );
    assert!(machine.typing_pending(), "C is queued");
    assert!(machine.type_text_lossy("").is_empty());
}

#[test]
fn the_live_matrix_shows_keys_and_the_scanned_row() {
    let mut machine = Superboard::new();
    assert!(run_until(&mut machine, PROMPT, 120));
    assert_eq!(key_position("Return").unwrap(), vec![5, 3]);
    assert!(key_position("Tab").is_err());
    machine.key_down("Return").unwrap();
    let matrix = machine.key_matrix();
    assert_eq!(matrix.len(), 8);
    assert_eq!(matrix[5], 1 << 3);
    assert_eq!(matrix[0], 1, "SHIFT LOCK is latched down");
    let before = machine.keyboard_row_reads();
    machine.run_for(FRAME_CYCLES);
    let after = machine.keyboard_row_reads();
    // The monitor's poller walks the rows from the top and stops at the first one with a key:
    // rows 0–5 were read during the frame, rows 6 and 7 not.
    let read: Vec<bool> = (0..8).map(|row| after[row] > before[row]).collect();
    assert_eq!(
        read,
        [true, true, true, true, true, true, false, false],
        "{before:?} {after:?}"
    );
    machine.key_up("Return").unwrap();
    let before = machine.keyboard_row_reads();
    machine.run_for(FRAME_CYCLES);
    let after = machine.keyboard_row_reads();
    assert!(
        (0..8).all(|row| after[row] > before[row]),
        "{before:?} {after:?}"
    );
    assert_eq!(machine.keyboard_selected_rows().count_ones(), 1);
}

#[test]
fn a_key_the_typist_presses_and_releases_within_one_frame_is_counted() {
    let mut machine = Superboard::new();
    assert!(run_until(&mut machine, PROMPT, 120));
    let m = 2 * 8 + 2; // M: row 2, column 2
    let before = machine.key_presses();
    assert_eq!(before.len(), 64);
    machine.type_text("M").unwrap();
    // One slow frame (the page catches up at most 100 ms): the whole keystroke fits in it.
    machine.run_for(100_000.0);
    assert!(!machine.typing_pending());
    assert_eq!(
        machine.key_matrix()[2],
        0,
        "M is up again at the end of the frame"
    );
    let after = machine.key_presses();
    assert_eq!(after[m], before[m] + 1, "but its press is counted");
    // A restore keeps the counts going (the page compares them frame to frame).
    let state = machine.save_state();
    machine.load_state(&state).unwrap();
    assert_eq!(machine.key_presses(), after);
}

#[test]
fn shift_lock_toggles() {
    let mut machine = Superboard::new();
    assert!(machine.shift_lock(), "down at power-on");
    machine.set_shift_lock(false);
    assert!(!machine.shift_lock());
}

#[test]
fn break_resets_to_the_prompt() {
    let mut machine = Superboard::new();
    assert!(run_until(&mut machine, PROMPT, 120));
    machine.poke(0xD000 + 27 * 32 + 5, b'X');
    machine.press_break();
    assert!(run_until(&mut machine, PROMPT, 120));
}

#[test]
fn rom_identification() {
    let unknown = identify_rom(&[0x55; 2048]);
    assert_eq!(unknown.part, "");
    assert_eq!(unknown.known_name, "");
    assert_eq!(unknown.sha1.len(), 40);
    // SHA-1 of the empty message (FIPS 180 test vector).
    assert_eq!(
        identify_rom(&[]).sha1,
        "da39a3ee5e6b4b0d3255bfef95601890afd80709"
    );
}

#[test]
fn user_roms_are_checked_by_size() {
    let error = Superboard::with_roms(None, None, Some(vec![0; 1000]), None)
        .err()
        .expect("a 1000-byte monitor is refused");
    let text = message(error);
    assert!(
        text.contains("1000 bytes") && text.contains("2048"),
        "{text}"
    );
    let chips = vec![js_sys::Uint8Array::new_with_length(2048); 3];
    let error = Superboard::with_roms(None, Some(chips), None, None)
        .err()
        .expect("three chips are refused");
    assert!(message(error).contains("3 chips"));
}

#[test]
fn a_user_chargen_changes_the_pixels_only() {
    // An all-ones character set: every pixel of every cell lights up.
    let mut machine = Superboard::with_roms(None, None, None, Some(vec![0xFF; 2048])).unwrap();
    assert_eq!(machine.chargen(), vec![0xFF; 2048]);
    assert!(
        run_until(&mut machine, PROMPT, 120),
        "open monitor still boots"
    );
}

#[test]
fn a_listing_tape_goes_in_and_out_as_wav() {
    let mut machine = Superboard::new();
    assert!(machine.tape_info().is_none());
    assert_eq!(machine.tape_state(), "stopped");
    let info = machine
        .insert_tape("hello.bas", b"10 PRINT \"HELLO\"\n20 GOTO 10\n")
        .unwrap();
    assert_eq!(info.name, "hello.bas");
    assert_eq!(info.kind, "listing");
    assert!(info.bytes > 20);
    assert!(info.duration_s > 0.5);
    assert_eq!(info.report, "");
    assert_eq!(machine.tape_len(), info.bytes);
    assert_eq!(machine.tape_bytes().len() as u32, info.bytes);
    let times = machine.tape_times_s();
    assert_eq!(times.len() as u32, info.bytes);
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
    let wav = machine.tape_wav().unwrap();
    assert_eq!(&wav[..4], b"RIFF");
    assert_eq!(
        superboard::web::tape_file_listing("saved.wav", &wav).unwrap(),
        "10 PRINT \"HELLO\"\n20 GOTO 10\n"
    );
    // The decoded recording reports how the decoding went.
    let recorded = machine.insert_tape("saved.wav", &wav).unwrap();
    assert_eq!(recorded.kind, "recording");
    assert!(recorded.report.contains("300 baud"), "{}", recorded.report);
    machine.eject_tape();
    assert!(machine.tape_info().is_none());
    assert!(message(machine.tape_wav().unwrap_err()).contains("no tape"));
}

#[test]
fn odd_tapes_load_with_warnings_and_non_tapes_are_refused_in_words() {
    let mut machine = Superboard::new();
    let odd = machine.insert_tape("odd.bas", b"10 PRINT \"~\"\n").unwrap();
    assert_eq!(odd.warning_count, 1);
    assert_eq!(
        odd.warnings,
        "line 1, column 11: '~' ($7E) is ignored by BASIC"
    );
    machine.eject_tape();
    let error = machine.insert_tape("empty.bas", b"").unwrap_err();
    let text = message(error);
    assert!(
        text.contains("empty.bas") && text.contains("not a tape"),
        "{text}"
    );
    let error = machine.insert_tape("noise.wav", &[7; 300]).unwrap_err();
    assert!(message(error).contains("noise.wav"));
    assert!(machine.tape_info().is_none());
}

#[test]
fn the_monitor_loads_a_65v_tape_in_turbo() {
    let mut machine = Superboard::new();
    assert!(run_until(&mut machine, PROMPT, 120));
    machine
        .insert_tape("hello.65v", b".D1A6/48\r45\r4C\r4C\r4F\r")
        .unwrap();
    machine.set_turbo_tape(true);
    machine.set_tape_auto_play(true);
    machine.type_text("ML").unwrap();
    assert!(
        run_until(&mut machine, "HELLO", 600),
        "{}",
        machine.screen_text()
    );
    assert_eq!(machine.tape_position(), machine.tape_len());
    assert_eq!(machine.tape_progress(), 1.0);
    assert!(machine.tape_position_s() > 0.5);
}

#[test]
fn tape_sound_at_real_speed() {
    let mut machine = Superboard::new();
    machine.set_tape_audio_rate(48_000).unwrap();
    machine.insert_tape("t.bas", b"10 END\n").unwrap();
    machine.play_tape();
    assert_eq!(machine.tape_state(), "playing");
    machine.run_for(98_304.0); // 0.1 s
    let samples = machine.drain_tape_audio();
    assert!(
        (4_700..=4_900).contains(&samples.len()),
        "{} samples",
        samples.len()
    );
    assert!(samples.iter().any(|&s| s.abs() > 0.1), "tones, not silence");
    machine.rewind_tape();
    assert_eq!(machine.tape_state(), "stopped");
    assert_eq!(machine.tape_position(), 0);
}

// ---- The debugger, BASIC view and assembler facade (src/web_debug.rs) ----

#[test]
fn a_breakpoint_halts_run_for_until_continue() {
    let mut machine = Superboard::new();
    assert!(run_until(&mut machine, PROMPT, 120));
    machine.debug_add_breakpoint(0xFD00);
    machine.press_break();
    machine.run_for(FRAME_CYCLES);
    assert!(machine.debug_halted());
    assert_eq!(machine.debug_registers()[0], 0xFD00);
    assert!(machine.debug_stop().contains("\"kind\":\"breakpoint\""));
    // Held: nothing runs until the page says so.
    assert_eq!(machine.run_for(FRAME_CYCLES), 0.0);
    machine.debug_continue();
    assert!(machine.run_for(FRAME_CYCLES) > 0.0);
    assert_eq!(machine.debug_stop(), "");
    assert_eq!(machine.debug_parse_address("KEYBOARD").unwrap(), 0xFD00);
    assert!(message(machine.debug_parse_address("nowhere").unwrap_err()).contains("not an address"));
}

#[test]
fn the_assembler_reports_errors_at_line_and_column_and_loads_code() {
    let mut machine = Superboard::new();
    let bad = machine.assemble("        .org $0240\n        lda ($10)\n");
    assert!(bad.starts_with("{\"ok\":false"), "{bad}");
    assert!(bad.contains("\"line\":2,\"col\":13"), "{bad}");
    let good = machine.assemble("        .org $0240\nstart:  lda #1\n        rts\n");
    assert!(
        good.contains("\"start\":576,\"end\":578,\"bytes\":[169,1,96]"),
        "{good}"
    );
    assert_eq!(
        machine
            .assemble_and_load(
                "        .org $0240\nstart:  lda #1\n        rts\n",
                true,
                false
            )
            .unwrap(),
        vec![0x240, 0x242, 0x240]
    );
    assert_eq!((machine.peek(0x0B), machine.peek(0x0C)), (0x40, 0x02));
    let tape = machine
        .assemble_export("        .org $0240\nstart:  lda #1\n", "65v")
        .unwrap();
    assert_eq!(String::from_utf8(tape).unwrap(), ".0240/A9\n01\n.0240G\n");
    assert!(message(
        machine
            .assemble_and_load("        .org $F800\n nop\n", false, false)
            .unwrap_err()
    )
    .contains("not RAM"));
}

#[test]
fn the_basic_view_refuses_memory_that_is_not_basic() {
    let machine = Superboard::new();
    let error = message(machine.basic_state().unwrap_err());
    assert!(error.contains("is BASIC running?"), "{error}");
}

#[test]
fn the_program_in_memory_reads_back_as_listed_and_direct_mode_is_seen() {
    let mut machine = Superboard::new();
    assert!(run_until(&mut machine, PROMPT, 120));
    let error = message(machine.program_listing().unwrap_err());
    assert!(error.contains("not been started"), "{error}");
    machine
        .type_text("C\r\r10 FOR I=1 TO 2000:NEXT\r20 PRINT \"DONE\"\rRUN\r")
        .unwrap();
    let mut saw_running = false;
    for _ in 0..3000 {
        machine.run_for_watching_basic(FRAME_CYCLES);
        // CURLIN means something once BASIC has started (power-on RAM is noise before).
        saw_running |= machine.screen_text().contains("BYTES FREE") && !machine.basic_direct_mode();
        // The program's output: DONE on a line of its own (the typed line 20 holds it too).
        if machine
            .screen_text()
            .lines()
            .any(|line| line.trim() == "DONE")
        {
            break;
        }
    }
    assert!(saw_running, "CURLIN showed the program running");
    machine.run_for_watching_basic(FRAME_CYCLES * 10.0);
    assert!(machine.basic_direct_mode());
    assert!(machine.take_program_end(), "the end was seen");
    assert!(!machine.take_program_end(), "and reported once");
    assert_eq!(
        machine.program_listing().unwrap(),
        "10 FOR I=1 TO 2000:NEXT\n20 PRINT \"DONE\"\n"
    );
}

#[test]
fn ram_size_is_configurable_and_checked() {
    let mut machine = Superboard::configured(32, None, None, None, None).unwrap();
    assert!(run_until(&mut machine, PROMPT, 120));
    machine.type_text("C\r\r").unwrap();
    assert!(
        run_until(&mut machine, "BYTES FREE", 3000),
        "{}",
        machine.screen_text()
    );
    assert!(
        machine.screen_text().contains(" 31999 BYTES FREE"),
        "{}",
        machine.screen_text()
    );
    let error = message(
        Superboard::configured(16, None, None, None, None)
            .err()
            .unwrap(),
    );
    assert!(error.contains("use 4, 8 or 32"), "{error}");
}

#[test]
fn a_snapshot_restores_the_screen_and_memory() {
    let mut machine = Superboard::new();
    assert!(run_until(&mut machine, PROMPT, 120));
    machine.type_text("C\n").unwrap();
    run_until(&mut machine, "MEMORY SIZE", 200);
    machine.poke(0x0300, 0xA9);
    let state = machine.save_state();
    let mut other = Superboard::new();
    other.run_for(FRAME_CYCLES);
    other.load_state(&state).unwrap();
    assert_eq!(other.screen_text(), machine.screen_text());
    assert_eq!(other.peek(0x0300), 0xA9);
    assert_eq!(other.cycles(), machine.cycles());
    assert!(other.render(), "the whole screen is redrawn after a load");
    assert_eq!(other.ram_kb(), 8);
    assert_eq!(other.save_state(), state);
}

#[test]
fn a_bad_snapshot_is_refused_in_words() {
    let mut machine = Superboard::new();
    machine.run_for(FRAME_CYCLES * 10.0);
    let before = machine.save_state();
    let error = machine.load_state(b"10 PRINT 1\n").unwrap_err();
    assert!(message(error).contains("not a Superboard snapshot"));
    let mut cut = before.clone();
    cut.truncate(100);
    let error = machine.load_state(&cut).unwrap_err();
    assert!(message(error).starts_with("truncated snapshot"));
    let mut damaged = before.clone();
    damaged[500] ^= 1;
    let error = machine.load_state(&damaged).unwrap_err();
    assert!(message(error).contains("checksum"));
    assert_eq!(machine.save_state(), before, "the machine is untouched");
}

#[test]
fn line_in_decodes_live_onto_a_growing_tape() {
    let options = superboard::kcs::EncodeOptions {
        sample_rate_hz: 48_000,
        leader_s: 0.5,
        ..superboard::kcs::EncodeOptions::default()
    };
    let tape = superboard::kcs::listing_to_tape(b"10 REM LIVE\n20 PRINT 1\n");
    let samples: Vec<f32> = superboard::kcs::encode_pcm(&tape, &options)
        .unwrap()
        .iter()
        .map(|&s| f32::from(s) / 32768.0)
        .collect();
    let mut machine = Superboard::new();
    let mut decoder = LiveTapeDecoder::new(48_000, 0).unwrap();
    machine.insert_live_tape("line-in");
    assert!(machine.live_tape_inserted());
    let mut received = Vec::new();
    for chunk in samples.chunks(2_400) {
        decoder.push(chunk);
        received.extend(machine.feed_live_tape(&mut decoder).unwrap());
    }
    assert_eq!(decoder.baud(), 300);
    let info = machine.finish_live_tape(&mut decoder).unwrap();
    assert!(!machine.live_tape_inserted());
    assert_eq!(info.name, "line-in");
    assert_eq!(info.bytes as usize, tape.len());
    assert!(
        info.report.contains("300 baud (detected)"),
        "{}",
        info.report
    );
    assert_eq!(machine.tape_bytes(), tape);
    assert!(received.len() <= tape.len());
    assert_eq!(machine.tape_listing(), "10 REM LIVE\n20 PRINT 1\n");
    // The deck no longer holds a growing tape.
    assert!(message(machine.feed_live_tape(&mut decoder).unwrap_err()).contains("no longer holds"));
    // Silence finds nothing: the empty tape comes out.
    let mut quiet = LiveTapeDecoder::new(48_000, 300).unwrap();
    machine.insert_live_tape("line-in");
    quiet.push(&[0.0; 48_000]);
    let error = message(machine.finish_live_tape(&mut quiet).unwrap_err());
    assert!(error.contains("no tape signal: 1.0 s"), "{error}");
    assert!(machine.tape_info().is_none());
    // Bad settings are refused in words.
    let error = message(LiveTapeDecoder::new(48_000, 2400).err().unwrap());
    assert!(error.contains("2400 baud: use 300, 600 or 1200"), "{error}");
    let error = message(LiveTapeDecoder::new(1_000, 0).err().unwrap());
    assert!(error.contains("sample rate 1000 Hz"), "{error}");
}
