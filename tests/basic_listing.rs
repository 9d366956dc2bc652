//! The listing reader (`superboard::basic`): a program typed into the open BASIC reads back
//! exactly as the ROM's own LIST sends it to tape; synthetic RAM images cover every token,
//! the empty program, and damaged chains (errors in words, never a loop or a panic).

mod common;

use common::{at_ok, run_until};
use superboard::basic::{self, ListingError, ProgramLine, KEYWORDS};
use superboard::machine::{Machine, MachineConfig};

const BUDGET: u64 = 50_000_000;

/// Lines that use statements, functions, operators, strings with keyword-like words in
/// quotes, REM and DATA (not tokenised), and spaces as typed.
const PROGRAM: &str = "10 REM LOOPS AND PRINT\n\
                       20 FOR I=1 TO 10 STEP 2:PRINT I;\" FOR TO \";SQR(I)\n\
                       30 IF I>5 AND I<>7 OR NOT I THEN 20\n\
                       40 DATA PRINT,GOTO,1E3\n\
                       50 A$=LEFT$(\"ABC\",2)+MID$(\"XYZ\",2,1)+CHR$(65)\n\
                       60 ON X GOSUB 100,200\n\
                       70 PRINT TAB(5);SPC(2);INT(-3.5);ABS(2^3/4*2-1)\n\
                       100 DEF FNA(X)=X*X:POKE 530,1:WAIT 57088,1,1\n\
                       63999 END\n";

fn cold_start() -> Machine {
    let mut machine = Machine::new(MachineConfig::default());
    machine.type_text("C\n\n").expect("typable");
    run_until(&mut machine, BUDGET, "the OK after the cold start", at_ok);
    machine
}

/// Types `text` and runs until BASIC has taken the last line (entering program lines prints no
/// OK, so the wait is for the typing, then a little longer for BASIC to store the last line).
fn type_in(machine: &mut Machine, text: &str) {
    machine.type_text(text).expect("typable");
    run_until(machine, BUDGET, "the typing", |m| !m.typing_pending());
    machine.run_for(200_000);
}

#[test]
fn a_typed_program_lists_as_typed_and_as_the_roms_list_sends_it() {
    let mut machine = cold_start();
    type_in(&mut machine, PROGRAM);
    let listing = basic::listing(|addr| machine.peek(addr)).expect("a program");
    assert_eq!(listing, PROGRAM);

    // The ROM's own LIST, sent to tape by SAVE, cleaned up the way the tape export does.
    machine.record_tape();
    machine.type_text("SAVE\nLIST\n").expect("typable");
    run_until(&mut machine, BUDGET, "LIST to finish", at_ok);
    let tape = machine.stop_tape().expect("a recording");
    assert_eq!(tape.to_listing(), listing);
}

#[test]
fn lines_entered_out_of_order_and_replaced_list_in_number_order() {
    let mut machine = cold_start();
    type_in(
        &mut machine,
        "30 PRINT 3\n10 PRINT 1\n20 PRINT 0\n20 PRINT 2\n40 GOTO 10\n40\n",
    );
    let lines = basic::program_lines(|addr| machine.peek(addr)).expect("a program");
    let numbers: Vec<u16> = lines.iter().map(|line| line.number).collect();
    assert_eq!(numbers, [10, 20, 30]);
    assert_eq!(lines[0].address, basic::PROGRAM_START);
    assert_eq!(
        basic::listing(|addr| machine.peek(addr)).unwrap(),
        "10 PRINT 1\n20 PRINT 2\n30 PRINT 3\n"
    );
}

#[test]
fn new_leaves_an_empty_listing_and_direct_mode_is_seen() {
    let mut machine = cold_start();
    assert!(basic::in_direct_mode(&|addr| machine.peek(addr)));
    type_in(&mut machine, "10 PRINT 1\nNEW\n");
    assert_eq!(basic::listing(|addr| machine.peek(addr)).unwrap(), "");
}

#[test]
fn a_machine_at_the_monitor_prompt_has_no_basic_started() {
    let mut machine = Machine::new(MachineConfig::default());
    machine.run_for(2_000_000);
    let error = basic::listing(|addr| machine.peek(addr)).unwrap_err();
    assert!(matches!(error, ListingError::NotStarted(_)), "{error}");
    assert!(error.to_string().contains("not been started"));
}

/// A 64 KB image with TXTTAB = $0301 and `program` stored from $0301.
fn image(program: &[u8]) -> Vec<u8> {
    let mut ram = vec![0u8; 0x10000];
    ram[basic::TXTTAB as usize] = 0x01;
    ram[basic::TXTTAB as usize + 1] = 0x03;
    ram[0x0301..0x0301 + program.len()].copy_from_slice(program);
    ram
}

/// Stores lines (number, crunched bytes) from $0301 with correct links, then the end link.
fn stored(lines: &[(u16, &[u8])]) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut at = 0x0301usize;
    for (number, text) in lines {
        let next = at + 4 + text.len() + 1;
        bytes.extend_from_slice(&(next as u16).to_le_bytes());
        bytes.extend_from_slice(&number.to_le_bytes());
        bytes.extend_from_slice(text);
        bytes.push(0);
        at = next;
    }
    bytes.extend_from_slice(&[0, 0]);
    bytes
}

#[test]
fn every_token_expands_to_its_keyword() {
    let tokens: Vec<u8> = (0x80..=0xC3).collect();
    let ram = image(&stored(&[(1, &tokens)]));
    let lines = basic::program_lines(|addr| ram[usize::from(addr)]).unwrap();
    assert_eq!(
        lines,
        [ProgramLine {
            address: 0x0301,
            number: 1,
            text: KEYWORDS.concat()
        }]
    );
    assert_eq!(basic::keyword(0x80), Some("END"));
    assert_eq!(basic::keyword(0x97), Some("PRINT"));
    assert_eq!(basic::keyword(0xC3), Some("MID$"));
    assert_eq!(basic::keyword(0xC4), None);
    assert_eq!(basic::keyword(b'A'), None);
}

#[test]
fn the_highest_line_number_and_an_empty_line_text_list() {
    let ram = image(&stored(&[(0, b""), (65535, b"\x97 1")]));
    assert_eq!(
        basic::listing(|addr| ram[usize::from(addr)]).unwrap(),
        "0 \n65535 PRINT 1\n"
    );
}

#[test]
fn damaged_programs_are_errors_that_name_the_place() {
    // A link pointing back at the line itself: a loop LIST would never leave.
    let mut program = stored(&[(10, b"\x97")]);
    program[0..2].copy_from_slice(&0x0301u16.to_le_bytes());
    let ram = image(&program);
    let error = basic::listing(|addr| ram[usize::from(addr)]).unwrap_err();
    assert_eq!(
        error,
        ListingError::BadLink {
            at: 0x0301,
            next: 0x0301
        }
    );
    assert!(error.to_string().contains("$0301"), "{error}");

    // A link into the ROM.
    let mut program = stored(&[(10, b"\x97")]);
    program[0..2].copy_from_slice(&0xA100u16.to_le_bytes());
    let ram = image(&program);
    assert!(matches!(
        basic::listing(|addr| ram[usize::from(addr)]),
        Err(ListingError::BadLink { next: 0xA100, .. })
    ));

    // Text running into the next line without its 0.
    let mut program = stored(&[(10, b"AB"), (20, b"C")]);
    program[6] = b'X'; // the 0 that ends line 10
    let ram = image(&program);
    assert_eq!(
        basic::listing(|addr| ram[usize::from(addr)]),
        Err(ListingError::Unterminated {
            at: 0x0301,
            number: 10
        })
    );

    // A byte past the last token.
    let ram = image(&stored(&[(10, b"\x97"), (20, b"\xC4")]));
    let error = basic::listing(|addr| ram[usize::from(addr)]).unwrap_err();
    assert_eq!(
        error,
        ListingError::BadToken {
            number: 20,
            byte: 0xC4,
            addr: 0x030B
        }
    );
    assert!(error.to_string().contains("line 20"), "{error}");
}

#[test]
fn random_ram_never_loops_or_panics() {
    // A fixed-seed xorshift fills the program area; whatever it holds, the reader ends.
    let mut state = 0x2545_F491u32;
    for _ in 0..200 {
        let mut ram = image(&[]);
        for byte in &mut ram[0x0301..0x2000] {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            *byte = state as u8;
        }
        let _ = basic::listing(|addr| ram[usize::from(addr)]);
    }
}

/// Runs `machine` in slices, feeding a watch; returns how many program ends it saw.
fn ends_seen(machine: &mut Machine, watch: &mut basic::ProgramWatch, cycles: u64) -> usize {
    let mut ends = 0;
    let mut left = cycles;
    while left > 0 {
        left -= machine.run_for(512.min(left)).cycles_run.min(left);
        ends += usize::from(watch.observe(&|addr| machine.peek(addr)));
    }
    ends
}

#[test]
fn the_program_watch_sees_every_kind_of_end_once() {
    let mut machine = Machine::new(MachineConfig::default());
    let mut watch = basic::ProgramWatch::default();
    // Power-on noise in zero page is never taken for a program.
    assert_eq!(ends_seen(&mut machine, &mut watch, 2_000_000), 0);
    // Nor is the cold start, which sets up zero page before it first takes commands.
    machine.type_text("C\n\n").expect("typable");
    assert_eq!(ends_seen(&mut machine, &mut watch, 3_000_000), 0);
    assert!(at_ok(&machine));
    assert!(basic::started(&|addr| machine.peek(addr)));
    for (program, what) in [
        ("10 END\n", "END"),
        ("10 PRINT 1\n", "the last line"),
        ("10 X=1/0\n", "an error"),
        ("10 STOP\n", "STOP"),
    ] {
        type_in(&mut machine, &format!("NEW\n{program}"));
        assert_eq!(
            ends_seen(&mut machine, &mut watch, 100_000),
            0,
            "{what}: typing is not a run"
        );
        machine.type_text("RUN\n").expect("typable");
        assert_eq!(ends_seen(&mut machine, &mut watch, 2_000_000), 1, "{what}");
    }
}
