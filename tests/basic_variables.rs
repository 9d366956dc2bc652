//! BASIC's tables read back from RAM (`superboard::basic::variables`) after programs run on
//! the open BASIC: simple variables, strings in the program and in string space, arrays of
//! every shape, DEF FN, the current line and the pointers.

use superboard::basic::variables::{read, BasicError, Value};
use superboard::machine::{Machine, MachineConfig};

mod common;
use common::{at_ok, run_until};

const BUDGET_CYCLES: u64 = 40_000_000;

/// The open BASIC cold-started on the default 8K machine, then `program` typed.
fn basic_with(program: &str) -> Machine {
    let mut m = Machine::new(MachineConfig::default());
    m.type_text("C\n\n").expect("typable");
    run_until(&mut m, BUDGET_CYCLES, "OK after the cold start", at_ok);
    m.type_text(program).expect("typable");
    m
}

fn number(v: &Value) -> f64 {
    match v {
        Value::Number(n) => *n,
        other => panic!("not a number: {other:?}"),
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::Str { bytes, .. } => String::from_utf8_lossy(bytes).into_owned(),
        other => panic!("not a string: {other:?}"),
    }
}

#[test]
fn variables_arrays_and_strings_of_a_program_that_ran() {
    let mut m = basic_with(
        "10 A=5:B=-.375:XY=1E10:N$=\"HELLO\":M$=N$+\"!\"\n\
         20 DIM C(3),D$(2),E(2,3)\n\
         30 C(1)=7:C(3)=-1:D$(2)=M$+M$:E(2,1)=21:E(0,3)=4\n\
         40 DEF FNF(X)=X*2\n\
         RUN\n",
    );
    run_until(&mut m, BUDGET_CYCLES, "the program ran", at_ok);
    let state = read(&|a| m.peek(a)).expect("BASIC's tables");
    let p = state.pointers;
    assert_eq!(p.txttab, 0x0301);
    assert_eq!(p.curlin, None, "direct mode after RUN ended");
    assert!(p.vartab < p.arytab && p.arytab < p.strend && p.strend <= p.fretop);

    let vars: Vec<(&str, String)> = state
        .variables
        .iter()
        .map(|v| (v.name.as_str(), v.value.to_text()))
        .collect();
    assert_eq!(
        vars,
        [
            ("A", "5".to_string()),
            ("B", "-.375".to_string()),
            ("XY", "1E+10".to_string()),
            ("N$", "\"HELLO\"".to_string()),
            ("M$", "\"HELLO!\"".to_string()),
            ("X", "0".to_string()),
        ]
    );
    assert_eq!(number(&state.variables[2].value), 1e10);
    // A literal stays in the program text; a computed string lives in string space.
    let Value::Str { addr: literal, .. } = state.variables[3].value else {
        panic!()
    };
    let Value::Str { addr: built, .. } = state.variables[4].value else {
        panic!()
    };
    assert!(literal < p.vartab);
    assert!((p.fretop..p.memsiz).contains(&built));
    let space = String::from_utf8_lossy(&state.string_space).into_owned();
    assert!(
        space.contains("HELLO!HELLO!") && space.contains("HELLO!"),
        "{space}"
    );

    assert_eq!(state.functions.len(), 1);
    assert_eq!(state.functions[0].name, "FNF");
    assert_eq!(m.peek(state.functions[0].text), 0xAB, "the `=` token");
    assert_eq!(state.functions[0].parameter, state.variables[5].addr + 2);

    let names: Vec<&str> = state.arrays.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["C", "D$", "E"]);
    let c = &state.arrays[0];
    assert_eq!(c.dims, [4]);
    let cs: Vec<f64> = c.elements.iter().map(number).collect();
    assert_eq!(cs, [0.0, 7.0, 0.0, -1.0]);
    let d = &state.arrays[1];
    assert_eq!(text(&d.elements[2]), "HELLO!HELLO!");
    assert_eq!(text(&d.elements[0]), "");
    let e = &state.arrays[2];
    assert_eq!(e.dims, [3, 4]);
    assert_eq!(e.elements.len(), 12);
    let at = |i: usize| (e.subscripts(i), number(&e.elements[i]));
    let set: Vec<(Vec<usize>, f64)> = (0..12).map(at).filter(|(_, v)| *v != 0.0).collect();
    assert_eq!(set, [(vec![2, 1], 21.0), (vec![0, 3], 4.0)]);
}

#[test]
fn the_current_line_while_a_program_runs() {
    let mut m = basic_with("10 I=I+1:GOTO 20\n20 GOTO 10\nRUN\n");
    run_until(&mut m, BUDGET_CYCLES, "typed", |m| !m.typing_pending());
    m.run_for(200_000);
    let state = read(&|a| m.peek(a)).expect("tables");
    let line = state.pointers.curlin.expect("running");
    assert!(line == 10 || line == 20, "{line}");
    assert!(number(&state.variables[0].value) > 10.0);
    assert!(state.pointers.txtptr > state.pointers.txttab);
    assert!(state.pointers.txtptr < state.pointers.vartab);
}

#[test]
fn memory_that_is_not_basic_gives_an_error_not_a_panic() {
    // Before the cold start the pointers are the power-on pattern.
    let m = Machine::new(MachineConfig::default());
    assert!(matches!(
        read(&|a| m.peek(a)),
        Err(BasicError::Pointers { .. })
    ));
    // Damaged tables: an array whose size runs past STREND.
    let mut m = basic_with("DIM Q(5)\n");
    run_until(&mut m, BUDGET_CYCLES, "DIM ran", at_ok);
    let arytab = u16::from_le_bytes([m.peek(0x7D), m.peek(0x7E)]);
    m.poke(arytab + 2, 0xFF);
    let err = read(&|a| m.peek(a)).unwrap_err();
    assert!(err.to_string().contains("is damaged"), "{err}");
    // Every byte of memory as garbage: still an error or a result, never a panic.
    for seed in 0..200u32 {
        let garbage =
            |a: u16| (u32::from(a).wrapping_mul(2654435761).wrapping_add(seed) >> 13) as u8;
        let _ = read(&garbage);
    }
}
