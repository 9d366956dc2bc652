//! The wasm-bindgen facade in headless Chromium (wasm-bindgen-test-runner with chromedriver):
//! `cargo test --target wasm32-unknown-unknown --test web_browser`. Checks what needs a real
//! browser's memory and typed arrays: the framebuffer read through wasm memory.
#![cfg(target_arch = "wasm32")]

use superboard::web::{screen_px, Superboard};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test as test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const FRAME_CYCLES: f64 = 16_384.0;

/// The RGBA framebuffer as the page sees it: a view onto wasm memory.
fn framebuffer(machine: &Superboard) -> Vec<u8> {
    let memory = wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .unwrap();
    let buffer = js_sys::Uint8Array::new(&memory.buffer());
    let start = machine.framebuffer_ptr() as u32;
    let len = screen_px() * screen_px() * 4;
    // Copy on the JS side first: allocating the Vec may grow wasm memory, which detaches any
    // view onto the old buffer (docs/toolchain.md pitfall 6).
    buffer.slice(start, start + len).to_vec()
}

#[test]
fn framebuffer_shows_the_prompt_glyphs() {
    let mut machine = Superboard::new();
    let mut found = None;
    for _ in 0..120 {
        machine.run_for(FRAME_CYCLES);
        if let Some(row) = machine
            .screen_text()
            .lines()
            .position(|l| l.contains("C/W/M ?"))
        {
            found = Some(row);
            break;
        }
    }
    let row = found.expect("the prompt appears");
    let line_text = machine.screen_text().lines().nth(row).unwrap().to_string();
    let column = line_text.chars().position(|c| c == 'C').unwrap();
    assert!(machine.render());
    let pixels = framebuffer(&machine);
    let chargen = machine.chargen();
    let width = screen_px() as usize;
    for line in 0..8 {
        let bits = chargen[b'C' as usize * 8 + line];
        for x in 0..8 {
            let at = ((row * 8 + line) * width + column * 8 + x) * 4;
            let lit = pixels[at] == 0xFF;
            assert_eq!(lit, bits & (1 << x) != 0, "pixel {x} of line {line} of 'C'");
            assert_eq!(pixels[at + 3], 0xFF, "opaque");
        }
    }
}

#[test]
fn many_frames_in_a_row() {
    let mut machine = Superboard::new();
    let before = machine.cycles();
    for _ in 0..600 {
        machine.run_for(FRAME_CYCLES);
        machine.render();
    }
    assert!(machine.cycles() - before >= 600.0 * FRAME_CYCLES);
}
