//! `superboard run` end to end with the open ROMs, and the typist against the open monitor.

use std::fs;
use std::process::Command;

use superboard::devices::video::ScreenView;
use superboard::machine::{Machine, MachineConfig};

fn superboard() -> Command {
    Command::new(env!("CARGO_BIN_EXE_superboard"))
}

#[test]
fn run_boots_to_the_monitor_prompt() {
    let output = superboard()
        .args(["run", "--until", "C/W/M ?", "--max-seconds", "5"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let screen = String::from_utf8(output.stdout).unwrap();
    assert_eq!(screen.lines().count(), 24, "window view: 24 lines");
    assert!(screen.contains("C/W/M ?"), "{screen}");
}

#[test]
fn run_types_into_the_monitor() {
    // M enters the 65V monitor; ".0300/" selects $0300 for data, "A9" stores, RETURN steps.
    let output = superboard()
        .args([
            "run",
            "--type",
            "M",
            "--type",
            ".0300/A9\\r",
            "--screen",
            "full",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let screen = String::from_utf8(output.stdout).unwrap();
    assert_eq!(screen.lines().count(), 32, "full view: 32 lines");
    assert!(screen.contains("0301"), "{screen}");
}

#[test]
fn run_times_out_with_status_3() {
    let output = superboard()
        .args(["run", "--until", "NEVER SHOWN", "--max-seconds", "1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let message = String::from_utf8(output.stderr).unwrap();
    assert!(message.contains("NEVER SHOWN"), "{message}");
}

#[test]
fn run_rejects_bad_options_with_one_line_errors() {
    let output = superboard()
        .args(["run", "--type", "{", "--max-seconds", "1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8(output.stderr).unwrap().contains("'{'"));

    let output = superboard().args(["run", "--ram", "16K"]).output().unwrap();
    assert_ne!(output.status.code(), Some(0));

    let dir = std::env::temp_dir().join(format!("superboard-cli-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let short = dir.join("short-monitor.bin");
    fs::write(&short, [0u8; 1000]).unwrap();
    let output = superboard()
        .args(["run", "--until", "X", "--monitor"])
        .arg(&short)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let message = String::from_utf8(output.stderr).unwrap();
    assert!(
        message.contains("short-monitor.bin") && message.contains("2048"),
        "{message}"
    );
    assert_eq!(message.lines().count(), 1, "{message}");
}

#[test]
fn typist_enters_a_program_through_the_open_monitor() {
    let mut machine = Machine::new(MachineConfig::default());
    for _ in 0..60 {
        machine.run_frame();
    }
    assert!(machine.screen_text(ScreenView::Window).contains("C/W/M ?"));
    // 40 bytes typed in 65V data mode, with doubled digits ("11", "22", …) that need a seen
    // release between presses.
    let bytes: Vec<u8> = (0..40u8).map(|i| i.wrapping_mul(0x11)).collect();
    let mut text = String::from("M.0400/");
    for byte in &bytes {
        text.push_str(&format!("{byte:02X}\r"));
    }
    machine.type_text(&text).unwrap();
    let mut frames = 0;
    while machine.typing_pending() && frames < 3_600 {
        machine.run_frame();
        frames += 1;
    }
    machine.run_frame();
    assert!(!machine.typing_pending());
    let stored: Vec<u8> = (0..40).map(|i| machine.peek(0x0400 + i)).collect();
    assert_eq!(stored, bytes);
}

#[test]
fn the_open_monitor_loads_65v_data_from_the_tape_port() {
    use superboard::machine::TimedByte;
    let mut machine = Machine::new(MachineConfig::default());
    for _ in 0..60 {
        machine.run_frame();
    }
    // Real-time tape: one byte every 40,000 cycles (slower than 300 baud's 36,045).
    let stream = b".0500/12\r34\r56\r";
    for (index, &byte) in stream.iter().enumerate() {
        machine.tape().rx.push_back(TimedByte {
            cycle: 2_000_000 + 40_000 * index as u64,
            byte,
        });
    }
    machine.type_text("ML").unwrap();
    for _ in 0..240 {
        machine.run_frame();
    }
    assert!(machine.tape().rx.is_empty());
    assert_eq!(
        [
            machine.peek(0x0500),
            machine.peek(0x0501),
            machine.peek(0x0502)
        ],
        [0x12, 0x34, 0x56]
    );

    // Turbo: the same stream arrives as fast as the monitor reads it.
    let mut machine = Machine::new(MachineConfig::default());
    machine.type_text("ML").unwrap();
    for _ in 0..60 {
        machine.run_frame();
    }
    machine.tape().turbo = true;
    for &byte in b".0600/AB\rCD\r" {
        machine.tape().rx.push_back(TimedByte { cycle: 0, byte });
    }
    machine.run_frame();
    assert!(machine.tape().rx.is_empty());
    assert_eq!([machine.peek(0x0600), machine.peek(0x0601)], [0xAB, 0xCD]);
}
