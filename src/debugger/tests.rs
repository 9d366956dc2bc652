use super::*;
use crate::machine::{Machine, MachineConfig, CYCLES_PER_FRAME};

/// A machine past its reset sequence with `code` at $0300 and the PC there.
fn machine_with(code: &[u8]) -> Machine {
    let mut m = Machine::new(MachineConfig::default());
    m.cpu.step(&mut m.board);
    for (i, &b) in code.iter().enumerate() {
        m.poke(0x0300 + i as u16, b);
    }
    m.cpu.pc = 0x0300;
    m
}

/// $0300 JSR $0310; $0303 LDA #$42; $0305 JAM. $0310 LDX #3; DEX; BNE -3; RTS.
const CALL: &[u8] = &[
    0x20, 0x10, 0x03, 0xA9, 0x42, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
    0xA2, 0x03, 0xCA, 0xD0, 0xFD, 0x60,
];

fn run(d: &mut Debugger, m: &mut Machine) -> Stop {
    d.run(m, CYCLES_PER_FRAME).stop.expect("a stop")
}

#[test]
fn idle_debugger_runs_exactly_like_run_for() {
    let mut plain = Machine::new(MachineConfig::default());
    let mut watched = Machine::new(MachineConfig::default());
    let mut d = Debugger::new();
    assert!(!d.is_armed());
    for _ in 0..30 {
        let a = plain.run_for(CYCLES_PER_FRAME);
        let b = d.run(&mut watched, CYCLES_PER_FRAME);
        assert_eq!(b.stop, None);
        assert_eq!(a, b.outcome);
    }
    assert_eq!(plain.cpu.pc, watched.cpu.pc);
    assert_eq!(plain.video_ram(), watched.video_ram());
}

#[test]
fn breakpoint_at_the_keyboard_routine_stops_before_it() {
    let mut m = Machine::new(MachineConfig::default());
    let mut d = Debugger::new();
    d.add_breakpoint(0xFD00);
    let mut stop = None;
    for _ in 0..60 {
        stop = d.run(&mut m, CYCLES_PER_FRAME).stop;
        if stop.is_some() {
            break;
        }
    }
    let stop = stop.expect("the monitor waits for a key at $FD00");
    assert_eq!(stop.reason, StopReason::Breakpoint);
    assert_eq!((stop.pc, m.cpu.pc), (0xFD00, 0xFD00));
    assert_eq!(d.last_stop(), Some(stop));
    // Resuming runs the instruction at the breakpoint instead of stopping again at once (the
    // routine then waits for a key inside itself), and the next call stops again.
    let resumed = d.run(&mut m, CYCLES_PER_FRAME);
    assert_eq!(resumed.stop, None);
    m.press_break();
    let mut again = None;
    for _ in 0..60 {
        again = d.run(&mut m, CYCLES_PER_FRAME).stop;
        if again.is_some() {
            break;
        }
    }
    assert_eq!(
        again.map(|s| (s.reason, s.pc)),
        Some((StopReason::Breakpoint, 0xFD00))
    );
    // Removed, it no longer stops.
    assert!(d.remove_breakpoint(0xFD00));
    assert!(!d.is_armed());
    assert_eq!(d.run(&mut m, CYCLES_PER_FRAME).stop, None);
}

#[test]
fn write_watchpoint_on_the_screen_stops_after_the_store() {
    let mut m = Machine::new(MachineConfig::default());
    let mut d = Debugger::new();
    d.add_watchpoint(Watchpoint {
        start: 0xD000,
        end: 0xD3FF,
        read: false,
        write: true,
    });
    let stop = run(&mut d, &mut m);
    let StopReason::Watch(access) = stop.reason else {
        panic!("{stop:?}");
    };
    assert!(access.write);
    assert!((0xD000..=0xD3FF).contains(&access.addr));
    assert_eq!(m.peek(access.addr), access.value);
    // The reset code clears the screen with spaces.
    assert_eq!(access.value, b' ');
    assert!((0xF800..=0xFFFF).contains(&access.pc) || (0xA000..=0xBFFF).contains(&access.pc));
}

#[test]
fn read_watchpoint_sees_data_reads_not_opcode_fetches() {
    // $0300 LDA $0380; JAM.
    let mut m = machine_with(&[0xAD, 0x80, 0x03, 0x02]);
    m.poke(0x0380, 0x5A);
    let mut d = Debugger::new();
    d.add_watchpoint(Watchpoint {
        start: 0x0300,
        end: 0x0300,
        read: true,
        write: false,
    });
    d.add_watchpoint(Watchpoint {
        start: 0x0380,
        end: 0x0380,
        read: true,
        write: true,
    });
    assert_eq!(d.watchpoints().len(), 2);
    let stop = run(&mut d, &mut m);
    assert_eq!(
        stop.reason,
        StopReason::Watch(Access {
            addr: 0x0380,
            value: 0x5A,
            write: false,
            pc: 0x0300
        })
    );
    assert_eq!(m.cpu.a, 0x5A);
    assert_eq!(stop.pc, 0x0303);
}

#[test]
fn step_over_runs_the_whole_subroutine() {
    let mut m = machine_with(CALL);
    let mut d = Debugger::new();
    d.step_over(&m);
    let stop = run(&mut d, &mut m);
    assert_eq!(stop.reason, StopReason::Goal);
    assert_eq!((m.cpu.pc, m.cpu.x), (0x0303, 0));
    assert!(!d.goal_pending());
    // Not a JSR: one instruction.
    d.step_over(&m);
    run(&mut d, &mut m);
    assert_eq!((m.cpu.pc, m.cpu.a), (0x0305, 0x42));
}

#[test]
fn step_into_then_step_out() {
    let mut m = machine_with(CALL);
    let mut d = Debugger::new();
    d.step(&m);
    run(&mut d, &mut m);
    assert_eq!(m.cpu.pc, 0x0310);
    d.step(&m);
    run(&mut d, &mut m);
    assert_eq!((m.cpu.pc, m.cpu.x), (0x0312, 3));
    d.step_out(&m);
    let stop = run(&mut d, &mut m);
    assert_eq!(stop.reason, StopReason::Goal);
    assert_eq!((m.cpu.pc, m.cpu.x), (0x0303, 0));
}

#[test]
fn step_over_a_breakpoint_inside_stops_there_first() {
    let mut m = machine_with(CALL);
    let mut d = Debugger::new();
    d.add_breakpoint(0x0315);
    // A breakpoint on the first instruction does not stop a step begun there.
    d.add_breakpoint(0x0300);
    d.step_over(&m);
    let stop = run(&mut d, &mut m);
    assert_eq!((stop.reason, stop.pc), (StopReason::Breakpoint, 0x0315));
    // The goal is dropped at any stop.
    assert!(!d.goal_pending());
}

#[test]
fn run_to_an_address() {
    let mut m = machine_with(CALL);
    let mut d = Debugger::new();
    d.run_to(&m, 0x0315);
    let stop = run(&mut d, &mut m);
    assert_eq!(
        (stop.reason, m.cpu.pc, m.cpu.x),
        (StopReason::Goal, 0x0315, 0)
    );
}

#[test]
fn a_jam_stops_and_the_trace_shows_how_it_got_there() {
    let mut m = machine_with(CALL);
    let mut d = Debugger::new();
    d.set_tracing(true);
    let stop = run(&mut d, &mut m);
    assert_eq!(stop.reason, StopReason::Jam(0x0305));
    assert!(m.cpu.is_jammed());
    let pcs: Vec<u16> = d.trace().map(|e| e.pc).collect();
    assert_eq!(
        pcs,
        [0x0300, 0x0310, 0x0312, 0x0313, 0x0312, 0x0313, 0x0312, 0x0313, 0x0315, 0x0303, 0x0305]
    );
    let labels = Labels::new();
    let lines: Vec<String> = d.trace().map(|e| trace_line(e, &labels)).collect();
    assert!(
        lines[0].contains("0300  20 10 03  JSR $0310"),
        "{}",
        lines[0]
    );
    assert!(lines[2].contains("X=03"), "{}", lines[2]);
    // Later runs of the jammed CPU idle without stopping again.
    let more = d.run(&mut m, 1000);
    assert_eq!((more.stop, more.outcome.cycles_run >= 1000), (None, true));
}

#[test]
fn the_trace_ring_keeps_the_last_instructions() {
    // $0300 INX; JMP $0300.
    let mut m = machine_with(&[0xE8, 0x4C, 0x00, 0x03]);
    let mut d = Debugger::new();
    d.set_tracing(true);
    d.run(&mut m, 100_000);
    let entries: Vec<&TraceEntry> = d.trace().collect();
    assert_eq!(entries.len(), TRACE_CAPACITY);
    assert!(entries.windows(2).all(|w| w[0].cycle < w[1].cycle));
    let last = entries.last().unwrap();
    assert!(last.cycle < m.cycles());
    d.set_tracing(false);
    assert_eq!(d.trace().count(), 0);
}

#[test]
fn registers_and_flags_are_editable() {
    let mut m = machine_with(&[]);
    Register::named("a").unwrap().set(&mut m.cpu, 0x12).unwrap();
    Register::named("PC")
        .unwrap()
        .set(&mut m.cpu, 0xFE00)
        .unwrap();
    Register::named("p").unwrap().set(&mut m.cpu, 0xFF).unwrap();
    assert!(Register::named("x")
        .unwrap()
        .set(&mut m.cpu, 0x100)
        .is_err());
    assert!(Register::named("q").is_none());
    assert_eq!((m.cpu.a, m.cpu.pc, m.cpu.p), (0x12, 0xFE00, 0xEF));
    set_flag(&mut m.cpu, 'c', false).unwrap();
    set_flag(&mut m.cpu, 'N', false).unwrap();
    assert!(set_flag(&mut m.cpu, 'B', true).is_err());
    assert_eq!(flags_text(m.cpu.p), "nV-bDIZc");
    assert!(registers_text(&m.cpu).starts_with("PC=FE00 A=12"));
}

#[test]
fn matrix_view_shows_selected_row_and_held_keys() {
    let mut m = Machine::new(MachineConfig::default());
    m.key_down(Key::A);
    m.board.keyboard.write(0xFD);
    let view = MatrixView::of(&m);
    assert_eq!(view.selected_rows, 0x02);
    assert_eq!(view.held(), vec![Key::ShiftLock, Key::A]);
}

#[test]
fn labels_come_from_the_build_for_open_roms_and_the_documentation_otherwise() {
    let open = Labels::for_roms(&crate::roms::RomSet::open());
    assert_eq!(open.name_of(0xFD00), Some("KEYBOARD"));
    assert_eq!(open.lookup("KBD_SCAN"), Some(0xFC2D));
    assert_eq!(open.name_of(0x0079), Some("TXTTAB"));
    // Constants of the build never name zero-page bytes.
    assert_eq!(open.lookup("CR"), None);
    let mut other = crate::roms::RomSet::open();
    other.monitor[0] ^= 0xFF;
    let original = Labels::for_roms(&other);
    assert_eq!(original.name_of(0xFD00), Some("KEYBOARD"));
    assert_eq!(original.lookup("KBD_SCAN"), None);
    assert_eq!(original.lookup("BASIC_COLD"), Some(0xBD11));
    assert_eq!(
        original.operand_name(0x021B, false).as_deref(),
        Some("OUTPUT_VEC+1")
    );
    assert_eq!(original.operand_name(0x0300, true), None);
    let mut mine = Labels::new();
    assert!(mine.add("9lives", 1).is_err());
    assert_eq!(
        mine.add_symbol_file("start = $0300\nloop = $0305\n")
            .unwrap(),
        2
    );
    assert_eq!(mine.describe_addr(0x0305), "$0305 loop");
    assert!(mine.remove("loop"));
    assert_eq!(mine.name_of(0x0305), None);
    assert!(mine.add_symbol_file("big = $12345\n").is_err());
}

#[test]
fn disassembly_around_the_pc_lines_up_on_it() {
    let m = machine_with(CALL);
    let mut labels = Labels::new();
    labels.add("sub", 0x0310).unwrap();
    let peek = |a: u16| m.peek(a);
    let lines = disassemble(&peek, 0x0300, 2, &labels);
    assert_eq!(lines[0].to_text(), "0300  20 10 03  JSR sub");
    assert_eq!(lines[1].text, "LDA #$42");
    let around = disassemble_around(&peek, 0x0313, 3, 1, &labels);
    let addrs: Vec<u16> = around.iter().map(|l| l.addr).collect();
    assert_eq!(addrs, [0x0310, 0x0312, 0x0313, 0x0315]);
    assert_eq!(around[0].label.as_deref(), Some("sub"));
    assert_eq!(around[2].text, "BNE $0312");
}
