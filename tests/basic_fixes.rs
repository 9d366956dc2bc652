//! Behaviour of the open BASIC where it once differed from OSI BASIC 1.0 rev 3.2 (bugs B3 and
//! B5 of the golden-suite tester), checked on the default 8K machine.

use superboard::board::RamSize;
use superboard::devices::video::ScreenView;
use superboard::machine::{Machine, MachineConfig};
use superboard::roms::RomSet;

mod common;
use common::{at_ok, rows, run_until};

const BOOT_BUDGET_CYCLES: u64 = 20_000_000;
const PROGRAM_BUDGET_CYCLES: u64 = 400_000_000;

/// Zero-page pointers (docs/hardware.md §7).
const VARTAB: u16 = 0x7B;
const ARYTAB: u16 = 0x7D;
const STREND: u16 = 0x7F;
const MEMSIZ: u16 = 0x85;

/// An 8K machine cold-started into BASIC (RETURN at both questions).
fn booted() -> Machine {
    let mut m = Machine::new(MachineConfig {
        ram: RamSize::K8,
        roms: RomSet::open(),
    });
    run_until(&mut m, BOOT_BUDGET_CYCLES, "monitor prompt", |m| {
        m.screen_text(ScreenView::Full).contains("C/W/M ?")
    });
    m.type_text("C").expect("typable");
    run_until(&mut m, BOOT_BUDGET_CYCLES, "MEMORY SIZE?", |m| {
        m.screen_text(ScreenView::Full).contains("MEMORY SIZE?")
    });
    m.type_text("\n\n").expect("typable");
    run_until(&mut m, BOOT_BUDGET_CYCLES, "OK after the cold start", at_ok);
    m
}

/// Types `text`, waits for "OK" and returns the last `count` rows above the blank row that
/// comes before "OK".
fn output(m: &mut Machine, text: &str, count: usize) -> Vec<String> {
    m.type_text(text).expect("typable");
    run_until(m, PROGRAM_BUDGET_CYCLES, text, at_ok);
    let screen = rows(m);
    let blank = screen.len() - 3;
    assert_eq!(screen[blank], "", "a blank row before OK");
    screen[blank - count..blank].to_vec()
}

fn word(m: &Machine, addr: u16) -> u16 {
    u16::from(m.peek(addr)) | u16::from(m.peek(addr + 1)) << 8
}

#[test]
fn string_array_elements_take_four_bytes() {
    let mut m = booted();
    // 8192 - ($0303 + 12 program bytes + 7 header + 4 elements x 4 bytes) = 7386.
    assert_eq!(
        output(&mut m, "10 DIM A$(3)\nRUN\nPRINT FRE(0)\n", 2),
        ["PRINT FRE(0)", " 7386"]
    );
    let array = word(&m, ARYTAB);
    assert_eq!(word(&m, STREND) - array, 7 + 4 * 4, "header and 4 elements");
    assert_eq!(word(&m, array + 2), 7 + 4 * 4, "size in the header");

    // A string element is length, address low, address high, 0 — like a simple variable.
    output(&mut m, "A$(1)=\"HELLO\"+\"!\": A$(3)=\"X\": B$=A$(1)\n", 0);
    let array = word(&m, ARYTAB);
    let element = |m: &Machine, i: u16| -> Vec<u8> {
        (0..4).map(|k| m.peek(array + 7 + 4 * i + k)).collect()
    };
    let one = element(&m, 1);
    assert_eq!((one[0], one[3]), (6, 0), "A$(1): length 6, then a 0");
    let addr = u16::from(one[1]) | u16::from(one[2]) << 8;
    let text: Vec<u8> = (0..6).map(|k| m.peek(addr + k)).collect();
    assert_eq!(text, b"HELLO!");
    assert_eq!(element(&m, 3)[0], 1, "A$(3) has length 1");
    assert_eq!(element(&m, 2), [0, 0, 0, 0], "A$(2) untouched");
    // A simple string variable holds the same 4 bytes after its 2-byte name.
    let simple: Vec<u8> = (0..6).map(|k| m.peek(word(&m, VARTAB) + k)).collect();
    assert_eq!(simple[..2], [b'B', 0x80]);
    assert_eq!(
        (simple[2], simple[5]),
        (6, 0),
        "B$: a copy of A$(1), then a 0"
    );
    let copy = u16::from(simple[3]) | u16::from(simple[4]) << 8;
    assert_ne!(copy, addr, "a variable's string is copied, not shared");
    let text: Vec<u8> = (0..6).map(|k| m.peek(copy + k)).collect();
    assert_eq!(text, b"HELLO!");
}

#[test]
fn string_arrays_survive_garbage_collection() {
    let mut m = booted();
    // 100 passes over 21 elements make about 10,000 bytes of strings in 8K: string space
    // fills and is collected while the array is live.
    let program = "10 DIM A$(20),B$(5)\n\
                   20 FOR J=1 TO 100: FOR I=0 TO 20: A$(I)=STR$(I*J)+\"/\": NEXT I,J\n\
                   30 B$(2)=\"KEEP\"+\"\"\n\
                   40 FOR I=0 TO 20: S=S+VAL(A$(I)): L=L+LEN(A$(I)): NEXT\n\
                   50 PRINT S;L;A$(20);B$(2)\n\
                   60 PRINT FRE(0)\n\
                   RUN\n";
    let lines = output(&mut m, program, 2);
    // S = 100 * (0 + 1 + ... + 20); L = lengths of " 0/", 9 x " nnn/", 11 x " nnnn/".
    assert_eq!(lines[0], " 21000  114  2000/KEEP");
    // FRE(0): memory minus program, four simple variables (S L I J), the two arrays and the
    // 114 + 4 bytes of live strings.
    let fre = 0x2000 - word(&m, VARTAB) - 4 * 6 - (7 + 21 * 4) - (7 + 6 * 4) - 118;
    assert_eq!(lines[1], format!(" {fre}"));
    assert_eq!(word(&m, MEMSIZ), 0x2000);
    // Every element still reads back after the collections.
    let lines = output(
        &mut m,
        "FOR I=0 TO 20 STEP 10: PRINT A$(I);: NEXT: PRINT\n",
        1,
    );
    assert_eq!(lines, [" 0/ 1000/ 2000/"]);
}

#[test]
fn input_with_surplus_items_prints_extra_ignored() {
    let mut m = booted();
    let lines = output(&mut m, "10 INPUT A\n20 PRINT A\nRUN\n1,2\n", 3);
    assert_eq!(lines, ["? 1,2", "?EXTRA IGNORED", " 1"]);
    // An unquoted string stops at ':' as well as ','; the rest is extra.
    let lines = output(&mut m, "10 INPUT A$\n20 PRINT A$\nRUN\nA:B\n", 3);
    assert_eq!(lines, ["? A:B", "?EXTRA IGNORED", "A"]);
    // Quoted, the ':' and ',' belong to the string.
    let lines = output(&mut m, "RUN\n\"A:B,C\"\n", 2);
    assert_eq!(lines, ["? \"A:B,C\"", "A:B,C"]);
    // Exactly as many items as asked for, over two lines: no message. A ',' after the last
    // one is something left over, as in the original.
    let lines = output(&mut m, "10 INPUT A,B\n20 PRINT A+B\nRUN\n3\n4\n", 3);
    assert_eq!(lines, ["? 3", "?? 4", " 7"]);
    let lines = output(&mut m, "RUN\n3\n4,\n", 3);
    assert_eq!(lines, ["?? 4,", "?EXTRA IGNORED", " 7"]);
    let lines = output(&mut m, "RUN\n3,4\n", 2);
    assert_eq!(lines, ["? 3,4", " 7"]);
    // READ never complains about the data left over.
    let lines = output(&mut m, "10 READ A: PRINT A\n20 DATA 5,6,7\nRUN\n", 1);
    assert_eq!(lines, [" 5"]);
}

#[test]
fn list_ranges() {
    let mut m = booted();
    m.type_text("10 REM A\n20 REM B\n30 REM C\n")
        .expect("typable");
    // LIST starts each line with a new line; "OK" follows the last one directly. As in the
    // original, the new line comes before the range check, so a listing that stops before the
    // program's end leaves an empty line above the "OK".
    let mut list = |command: &str, count: usize| {
        m.type_text(command).expect("typable");
        run_until(&mut m, PROGRAM_BUDGET_CYCLES, command, at_ok);
        let screen = rows(&m);
        screen[screen.len() - 2 - count..screen.len() - 2].to_vec()
    };
    assert_eq!(list("LIST 20\n", 4), ["LIST 20", "", " 20 REM B", ""]);
    assert_eq!(list("LIST -10\n", 4), ["LIST -10", "", " 10 REM A", ""]);
    assert_eq!(
        list("LIST 15-30\n", 4),
        ["LIST 15-30", "", " 20 REM B", " 30 REM C"]
    );
    assert_eq!(list("LIST 31-\n", 2), ["LIST 31-", ""]);
}
