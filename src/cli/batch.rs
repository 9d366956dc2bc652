//! `superboard batch JOBS.jsonl`: run one BASIC job per line on all cores and write one result
//! per line, in input order (see src/batch.rs for the fields and docs/serial-and-batch.md for
//! recipes). `-` reads the jobs from standard input. A summary goes to standard error.
//!
//! Exit status: 0 every line gave a result (whatever its `end`); 1 the jobs file or the output
//! could not be read or written; 2 bad options.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use superboard::batch::{run_lines, End, JobResult};

/// Options of `superboard batch`.
#[derive(Args, Debug)]
pub struct BatchArgs {
    /// The jobs, one JSON object per line (`-` for standard input).
    pub jobs: PathBuf,
    /// Write the results here instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Leave out `wall_ms`, the one field that differs between runs, so that results can be
    /// compared byte for byte.
    #[arg(long)]
    pub no_wall_time: bool,
}

/// Runs the subcommand; returns the exit status.
pub fn run(args: BatchArgs) -> i32 {
    if args.threads == Some(0) {
        eprintln!("error: --threads must be at least 1");
        return 2;
    }
    let (text, base_dir) = match read_jobs(&args.jobs) {
        Ok(read) => read,
        Err(message) => {
            eprintln!("error: {message}");
            return 1;
        }
    };
    let started = Instant::now();
    let mut results = match run_lines(&text, &base_dir, args.threads.unwrap_or(0)) {
        Ok(results) => results,
        Err(message) => {
            eprintln!("error: {message}");
            return 1;
        }
    };
    let elapsed = started.elapsed().as_secs_f64();
    if args.no_wall_time {
        for result in &mut results {
            result.wall_ms = None;
        }
    }
    if let Err(message) = write_results(&results, args.output.as_deref()) {
        eprintln!("error: {message}");
        return 1;
    }
    eprintln!("{}", summary(&results, elapsed));
    0
}

/// The jobs text and the directory relative tape paths start from.
fn read_jobs(path: &Path) -> Result<(String, PathBuf), String> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("standard input: {e}"))?;
        return Ok((text, PathBuf::from(".")));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| format!("{}: not UTF-8 text ({e})", path.display()))?;
    let base = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    Ok((text, base))
}

fn write_results(results: &[JobResult], path: Option<&Path>) -> Result<(), String> {
    let mut text = String::new();
    for result in results {
        let line = serde_json::to_string(result).map_err(|e| e.to_string())?;
        text.push_str(&line);
        text.push('\n');
    }
    match path {
        Some(path) => std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display())),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| format!("standard output: {e}"))
        }
    }
}

/// "1000 jobs in 12.3 s (81.3 jobs/s): 700 finished, 100 error, ..."
fn summary(results: &[JobResult], seconds: f64) -> String {
    let ends = [
        (End::Finished, "finished"),
        (End::Error, "error"),
        (End::Input, "input"),
        (End::TimeLimit, "time_limit"),
        (End::Jam, "jam"),
        (End::Invalid, "invalid"),
    ];
    let counts: Vec<String> = ends
        .iter()
        .map(|(end, name)| (results.iter().filter(|r| r.end == *end).count(), name))
        .filter(|(count, _)| *count > 0)
        .map(|(count, name)| format!("{count} {name}"))
        .collect();
    format!(
        "{} jobs in {seconds:.2} s ({:.1} jobs/s): {}",
        results.len(),
        results.len() as f64 / seconds.max(1e-9),
        counts.join(", ")
    )
}
