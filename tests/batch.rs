//! `superboard batch` and src/batch.rs: every way a job ends, malformed lines, determinism
//! across thread counts. The mixed set here is small enough for a debug build (a few dozen
//! jobs); `scripts/batch-1000.sh` runs the 1,000-job version in release and measures it.

mod common;

use std::path::Path;
use std::process::Command;

use common::describe;
use superboard::batch::{run_line, run_lines, Boots, End, JobResult, Stop};

fn job(json: &str) -> JobResult {
    run_line(json, 1, Path::new("."), &Boots::new())
}

#[test]
fn a_correct_program_finishes_with_its_output_unwrapped() {
    let result = job(
        r#"{"id": "sum", "program": "10 S=0\n20 FOR I=1 TO 10:S=S+I:NEXT\n30 PRINT \"THE SUM OF ONE TO TEN IS\";S\n", "max_seconds": 5}"#,
    );
    assert_eq!(result.id, "sum");
    assert_eq!(result.end, End::Finished, "{result:?}");
    assert_eq!(result.stop, Some(Stop::Prompt));
    assert_eq!(result.error, None);
    // 29 characters: one line in the output, wrapped on the 24-column screen.
    assert_eq!(result.output, "THE SUM OF ONE TO TEN IS 55 \n");
    assert!(
        result.screen.contains("THE SUM OF ONE TO TEN IS"),
        "{}",
        result.screen
    );
    assert!(result.cycles > 0 && result.total_cycles > result.cycles);
    assert!((result.seconds - result.cycles as f64 / 983_040.0).abs() < 1e-9);
    assert_eq!(result.input_left, 0);
}

#[test]
fn a_syntax_error_is_reported_with_its_code_and_line() {
    let result = job(r#"{"id": 7, "program": "10 PRINT 1\n120 PRINT (\n130 PRINT 3\n"}"#);
    assert_eq!(result.end, End::Error, "{result:?}");
    assert_eq!(result.error.as_ref().map(|e| e.code.as_str()), Some("SN"));
    assert_eq!(result.error.as_ref().and_then(|e| e.line), Some(120));
    // BASIC starts an error message on a new line of its own.
    assert_eq!(result.output, " 1 \n\n?SN ERROR IN  120\n");
    let result = job(r#"{"program": "10 X=1/0\n"}"#);
    assert_eq!(result.error.as_ref().map(|e| e.code.as_str()), Some("/0"));
}

#[test]
fn an_endless_loop_meets_the_time_limit() {
    let result = job(r#"{"program": "10 PRINT \"A\";\n20 GOTO 10\n", "max_seconds": 0.2}"#);
    assert_eq!(result.end, End::TimeLimit, "{result:?}");
    let limit = (0.2f64 * 983_040.0).ceil() as u64;
    assert!(
        result.cycles >= limit && result.cycles < limit + 100,
        "{}",
        result.cycles
    );
    assert!(result.output.starts_with("AAAA"), "{}", result.output);
    let result = job(r#"{"program": "10 GOTO 10\n", "max_cycles": 50000}"#);
    assert_eq!(result.end, End::TimeLimit, "{result:?}");
    assert!(result.cycles >= 50_000 && result.cycles < 50_100);
}

#[test]
fn a_jam_ends_the_job_where_it_happened() {
    let result = job(r#"{"program": "10 POKE 768,2:POKE 11,0:POKE 12,3\n20 X=USR(0)\n"}"#);
    assert_eq!(result.end, End::Jam, "{result:?}");
    assert_eq!(result.jam_address, Some(0x0300));
}

#[test]
fn input_is_typed_for_the_program_and_missing_input_is_noticed() {
    let program = r#""10 INPUT A,B\n20 PRINT A*B\n""#;
    let result = job(&format!(r#"{{"program": {program}, "input": "6,7\n"}}"#));
    assert_eq!(result.end, End::Finished, "{result:?}");
    assert_eq!(result.output, "? 6,7\n 42 \n");
    let result = job(&format!(r#"{{"program": {program}, "input": "6\n"}}"#));
    assert_eq!(result.end, End::Input, "{result:?}");
    assert_eq!(result.output, "? 6\n?? ");
    // Input the program never reads is not typed as commands after it ends.
    let result = job(r#"{"program": "10 PRINT 5\n", "input": "NEW\nLIST\n"}"#);
    assert_eq!(result.end, End::Finished, "{result:?}");
    assert_eq!(result.output, " 5 \n");
    assert_eq!(result.input_left, "NEW\nLIST\n".len());
}

#[test]
fn type_steps_answer_prompts_in_turn() {
    let result = job(
        r#"{"program": "10 INPUT \"NAME\";N$\n20 INPUT \"AGE\";A\n30 PRINT N$;A\n", "type": [{"after": "NAME", "text": "ADA\n"}, {"after": "AGE", "text": "36\n"}]}"#,
    );
    assert_eq!(result.end, End::Finished, "{result:?}");
    assert_eq!(result.output, "NAME? ADA\nAGE? 36\nADA 36 \n");
}

#[test]
fn until_and_until_serial_stop_early() {
    let result = job(
        r#"{"program": "10 PRINT \"READY\"\n20 GOTO 20\n", "until": "READY", "max_seconds": 30}"#,
    );
    assert_eq!(
        (result.end, result.stop),
        (End::Finished, Some(Stop::Until))
    );
    assert!(result.seconds < 1.0, "{}", result.seconds);
    // With the SAVE flag set, what BASIC prints also leaves through the ACIA.
    let result = job(
        r#"{"program": "10 POKE 517,1\n20 PRINT \"HI\"\n30 GOTO 30\n", "until_serial": "HI", "max_seconds": 30}"#,
    );
    assert_eq!(
        (result.end, result.stop),
        (End::Finished, Some(Stop::UntilSerial)),
        "{result:?}"
    );
    assert!(result.serial.starts_with("HI"), "{:?}", result.serial);
}

#[test]
fn direct_mode_and_32k() {
    let result = job(r#"{"run": false, "input": "PRINT 2+2\n", "ram": 32}"#);
    assert_eq!(result.end, End::Finished, "{result:?}");
    // Without RUN the output starts right after loading: the typed command's echo is in it.
    assert_eq!(result.output, "PRINT 2+2\n 4 \n");
    let result = job(r#"{"run": false, "input": "PRINT FRE(0)\n", "ram": 4}"#);
    assert_eq!(result.end, End::Finished, "{result:?}");
    let free: i64 = result
        .output
        .lines()
        .nth(1)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(free > 0 && free < 4096, "{free}");
}

#[test]
fn malformed_jobs_give_invalid_results_that_say_why() {
    let cases = [
        ("{\"id\": 1, \"program\": ", "line 1"),
        ("[1, 2]", "line 1"),
        (r#"{"id": 2, "max_secs": 5}"#, "max_secs"),
        (r#"{"id": 3, "ram": 16}"#, "ram 16"),
        (r#"{"id": 4, "program": ""}"#, "program"),
        (
            r#"{"id": 5, "tape": "no-such-file.bas"}"#,
            "no-such-file.bas",
        ),
        (r#"{"id": 6, "input": "\u00e9"}"#, "input"),
        (r#"{"id": 7, "max_seconds": -1}"#, "max_seconds"),
    ];
    for (line, needle) in cases {
        let result = job(line);
        assert_eq!(result.end, End::Invalid, "{line}: {result:?}");
        let message = result.message.unwrap_or_default();
        assert!(message.contains(needle), "{line}: {message}");
    }
    // The id survives when the line is an object with an unknown field.
    assert_eq!(job(r#"{"id": "x", "bogus": 1}"#).id, "x");
}

/// A mixed set: correct programs, syntax errors, endless loops and jams, each with its own
/// numbers so that no two results are alike.
fn mixed_jobs(count: usize) -> (String, Vec<End>) {
    let mut lines = String::new();
    let mut expected = Vec::new();
    for n in 0..count {
        let (program, end) = match n % 4 {
            0 => (
                format!("10 FOR I=1 TO {n}:S=S+I:NEXT\n20 PRINT S\n"),
                End::Finished,
            ),
            1 => (format!("10 PRINT {n}\n20 PRINT (\n"), End::Error),
            2 => (format!("10 X=X+{n}\n20 GOTO 10\n"), End::TimeLimit),
            _ => (
                format!("10 PRINT {n}\n20 POKE 768,2:POKE 11,0:POKE 12,3:X=USR(0)\n"),
                End::Jam,
            ),
        };
        // Long enough for the finishing kinds to end on their own (BASIC's scrolling alone
        // takes a good part of a tenth of a second).
        let job = serde_json::json!({"id": n, "program": program, "max_seconds": 0.4});
        lines.push_str(&job.to_string());
        lines.push('\n');
        expected.push(end);
    }
    lines.push_str("this line is not JSON\n\n");
    expected.push(End::Invalid);
    (lines, expected)
}

#[test]
fn a_mixed_batch_ends_each_job_right_and_the_same_at_any_thread_count() {
    let (lines, expected) = mixed_jobs(24);
    let strip = |mut results: Vec<JobResult>| {
        for result in &mut results {
            assert!(result.wall_ms.is_some());
            result.wall_ms = None;
        }
        results
    };
    let one = strip(run_lines(&lines, Path::new("."), 1).unwrap());
    let ends: Vec<End> = one.iter().map(|r| r.end).collect();
    assert_eq!(ends, expected);
    assert_eq!(one.last().map(|r| r.line), Some(25));
    for (n, result) in one.iter().enumerate().take(24) {
        assert_eq!(result.id, n, "results come in input order");
    }
    let many = strip(run_lines(&lines, Path::new("."), 3).unwrap());
    assert_eq!(one, many);
}

#[test]
fn the_cli_writes_one_result_per_line_in_order() {
    let dir = std::env::temp_dir().join(format!("sb-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("prog.bas"), "10 PRINT \"FROM TAPE\"\n").unwrap();
    let jobs = dir.join("jobs.jsonl");
    std::fs::write(
        &jobs,
        "{\"id\": \"a\", \"tape\": \"prog.bas\"}\nnot json\n{\"id\": \"c\", \"program\": \"10 PRINT 3\\n\"}\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_superboard"))
        .args(["batch", "--threads", "2", "--no-wall-time"])
        .arg(&jobs)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let results: Vec<serde_json::Value> = String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(results.len(), 3, "{}", describe(&out));
    assert_eq!(results[0]["id"], "a");
    assert_eq!(results[0]["output"], "FROM TAPE\n");
    assert_eq!(results[0]["end"], "finished");
    assert_eq!(results[1]["end"], "invalid");
    assert_eq!(results[1]["line"], 2);
    assert_eq!(results[2]["output"], " 3 \n");
    assert!(results[2].get("wall_ms").is_none());
    assert!(String::from_utf8_lossy(&out.stderr).contains("3 jobs in"));
}
