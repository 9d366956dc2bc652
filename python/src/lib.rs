//! # The `superboard` Python module: the emulator core for notebooks and autograders
//!
//! A thin PyO3 layer over the same Rust core as the command line and the page:
//!
//! ```python
//! import superboard
//! m = superboard.Machine(ram=8)        # powered on at the monitor's C/W/M ? prompt
//! m.boot()                             # C, RETURN, RETURN: BASIC's OK prompt
//! m.type('10 PRINT "HELLO"\nRUN\n')
//! assert m.run(until="HELLO")          # what BASIC prints after the last type()
//! print(m.screen())
//! results = superboard.batch([{"id": 1, "program": "10 PRINT 6*7\n"}])
//! ```
//!
//! Time is emulated: `run(seconds=1)` runs one second of the machine's time, however long the
//! host takes. Errors from the core (a character the keyboard cannot type, a bad ROM or tape
//! file) become `ValueError` or `OSError` with the core's message.

use std::path::PathBuf;

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use superboard::console::{to_text, DEFAULT_OUTPUT_LIMIT};
use superboard::devices::tape::Tape;
use superboard::devices::video::ScreenView;
use superboard::machine::{Machine as Core, MachineConfig, RamSize, RomSet, CPU_CLOCK_HZ};
use superboard::roms::RomFiles;

/// Cycles run between checks of `until` conditions (an eighth of a frame).
const SLICE_CYCLES: u64 = 2_048;
/// Emulated seconds `run(until=...)` waits when given no limit.
const DEFAULT_TIMEOUT_S: f64 = 10.0;

/// A Superboard II: 6502, RAM, ROMs, keyboard, screen, ACIA and cassette deck.
#[pyclass(name = "Machine", module = "superboard", unsendable)]
struct Machine {
    core: Core,
}

fn ram_size(kb: u32) -> PyResult<RamSize> {
    match kb {
        4 => Ok(RamSize::K4),
        8 => Ok(RamSize::K8),
        32 => Ok(RamSize::K32),
        _ => Err(PyValueError::new_err(format!(
            "ram={kb}: the Superboard takes 4, 8 or 32 (KB)"
        ))),
    }
}

fn seconds_to_cycles(seconds: f64) -> PyResult<u64> {
    if !seconds.is_finite() || seconds < 0.0 {
        return Err(PyValueError::new_err(format!(
            "seconds={seconds}: must be a non-negative number"
        )));
    }
    Ok((seconds * CPU_CLOCK_HZ as f64).ceil() as u64)
}

#[pymethods]
impl Machine {
    /// `Machine(ram=8, roms=None)`: RAM in KB (4, 8 or 32); `roms` a directory of original ROM
    /// images (recognised by SHA-1; anything missing stays open), default the open ROMs.
    #[new]
    #[pyo3(signature = (ram = 8, roms = None))]
    fn new(ram: u32, roms: Option<PathBuf>) -> PyResult<Machine> {
        let ram = ram_size(ram)?;
        let roms = match roms {
            None => RomSet::open(),
            Some(dir) => {
                let files = RomFiles {
                    dir: Some(dir),
                    ..RomFiles::default()
                };
                RomSet::load(&files, RomSet::open())
                    .map_err(|e| PyOSError::new_err(e.to_string()))?
                    .0
            }
        };
        let mut core = Core::new(MachineConfig { ram, roms });
        core.capture_console(true, DEFAULT_OUTPUT_LIMIT);
        Ok(Machine { core })
    }

    /// Cold-start BASIC: C, then RETURN to MEMORY SIZE and TERMINAL WIDTH; returns once BASIC
    /// shows its OK prompt (raises `RuntimeError` if it does not within `timeout` emulated
    /// seconds).
    #[pyo3(signature = (timeout = DEFAULT_TIMEOUT_S))]
    fn boot(&mut self, timeout: f64) -> PyResult<()> {
        self.type_("C\r\r")?;
        if self.run(None, None, None, true, Some(timeout))? {
            Ok(())
        } else {
            Err(pyo3::exceptions::PyRuntimeError::new_err(
                "BASIC did not reach its prompt",
            ))
        }
    }

    /// Type text on the keyboard (`\n` is RETURN), paced by the ROM's keyboard scans. What
    /// BASIC prints after the last key of this text is what `run(until=...)` and `output()`
    /// look at. Raises `ValueError` naming a character the keyboard cannot type.
    #[pyo3(name = "type")]
    fn type_(&mut self, text: &str) -> PyResult<()> {
        self.core
            .type_and_mark(text)
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// Run the machine. With `cycles` or `seconds` alone: run that long, return True. With
    /// `until=TEXT`: until BASIC prints TEXT after the last `type()`; with `until_prompt=True`:
    /// until BASIC is back at its OK prompt after it — within `cycles`/`seconds`/`timeout`
    /// (default 10 emulated seconds); True if the condition held, False if time ran out or the
    /// CPU jammed (see `jam_address`).
    #[pyo3(signature = (cycles = None, seconds = None, until = None, until_prompt = false, timeout = None))]
    fn run(
        &mut self,
        cycles: Option<u64>,
        seconds: Option<f64>,
        until: Option<&str>,
        until_prompt: bool,
        timeout: Option<f64>,
    ) -> PyResult<bool> {
        let condition = until.is_some() || until_prompt;
        let limit = match (cycles, seconds, timeout) {
            (Some(c), _, _) => c,
            (None, Some(s), _) | (None, None, Some(s)) => seconds_to_cycles(s)?,
            (None, None, None) if condition => seconds_to_cycles(DEFAULT_TIMEOUT_S)?,
            (None, None, None) => {
                return Err(PyValueError::new_err(
                    "run() needs cycles=, seconds= or a condition (until=, until_prompt=True)",
                ))
            }
        };
        if !condition {
            self.core.run_for(limit);
            return Ok(self.core.jam_address().is_none());
        }
        let start = self.core.cycles();
        loop {
            let console = self.core.console().expect("the console is always captured");
            let printed = console.since_mark();
            if until.is_some_and(|text| {
                text.is_empty()
                    || printed
                        .windows(text.len())
                        .any(|window| window == text.as_bytes())
            }) || (until_prompt && !self.core.typing_pending() && console.at_prompt())
            {
                return Ok(true);
            }
            let spent = self.core.cycles() - start;
            if spent >= limit || self.core.jam_address().is_some() {
                return Ok(false);
            }
            self.core.run_for(SLICE_CYCLES.min(limit - spent));
        }
    }

    /// The screen as text: the 24×24 window, or all 32×32 cells with `full=True`.
    #[pyo3(signature = (full = false))]
    fn screen(&self, full: bool) -> String {
        let view = if full {
            ScreenView::Full
        } else {
            ScreenView::Window
        };
        self.core.screen_text(view)
    }

    /// What BASIC printed after the last `type()`, unwrapped (CR LF as `\n`, NULs dropped).
    fn output(&self) -> String {
        self.core
            .console()
            .map_or(String::new(), |c| to_text(c.since_mark()))
    }

    /// Read memory without side effects.
    fn peek(&self, address: u16) -> u8 {
        self.core.peek(address)
    }

    /// Store into RAM or video RAM (ROM and device addresses are ignored).
    fn poke(&mut self, address: u16, value: u8) {
        self.core.poke(address, value);
    }

    /// Insert a tape: a file path (`.bas`/`.txt` listing, `.65v`, `.wav`, other: raw bytes) or
    /// `bytes` with a `name` whose extension says the kind. It plays when the ROM reads the
    /// cassette (LOAD), as fast as the ROM reads with `turbo=True`, else at 300 baud.
    #[pyo3(signature = (tape, name = None, turbo = true))]
    fn load_tape(
        &mut self,
        tape: &Bound<'_, PyAny>,
        name: Option<String>,
        turbo: bool,
    ) -> PyResult<()> {
        let (name, bytes) = if let Ok(bytes) = tape.downcast::<PyBytes>() {
            (
                name.unwrap_or_else(|| "tape.bin".into()),
                bytes.as_bytes().to_vec(),
            )
        } else {
            let path: PathBuf = tape.extract()?;
            let bytes = std::fs::read(&path)
                .map_err(|e| PyOSError::new_err(format!("{}: {e}", path.display())))?;
            let file_name = path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            (name.unwrap_or(file_name), bytes)
        };
        let tape =
            Tape::from_file(&name, &bytes).map_err(|e| PyValueError::new_err(e.to_string()))?;
        self.core.set_turbo_tape(turbo);
        self.core.deck_mut().set_auto_play(true);
        self.core.insert_tape(tape);
        Ok(())
    }

    /// The whole machine as a snapshot (`bytes`, the format of `superboard run --state-out`).
    fn save_state<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.core.save_state())
    }

    /// Restore a snapshot from `save_state()`; raises `ValueError` saying what is wrong with
    /// it and leaves the machine as it was.
    fn load_state(&mut self, state: &[u8]) -> PyResult<()> {
        self.core
            .load_state(state)
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// BREAK: reset the CPU (RAM is kept).
    fn press_break(&mut self) {
        self.core.press_break();
    }

    /// CPU cycles since power-on (983,040 a second).
    #[getter]
    fn cycles(&self) -> u64 {
        self.core.cycles()
    }

    /// Where the JAM opcode that halted the CPU is, or None.
    #[getter]
    fn jam_address(&self) -> Option<u16> {
        self.core.jam_address()
    }

    fn __repr__(&self) -> String {
        format!(
            "<superboard.Machine at cycle {} ({:.3} s)>",
            self.core.cycles(),
            self.core.cycles() as f64 / CPU_CLOCK_HZ as f64
        )
    }
}

/// `batch(jobs, threads=0, base_dir=".")`: run batch jobs (dicts, or JSON strings, with the
/// fields of `superboard batch`) on `threads` threads (0: all cores) and return the results as
/// dicts, in order. Relative tape paths start at `base_dir`.
#[pyfunction]
#[pyo3(signature = (jobs, threads = 0, base_dir = None))]
fn batch(
    py: Python<'_>,
    jobs: Vec<Bound<'_, PyAny>>,
    threads: usize,
    base_dir: Option<PathBuf>,
) -> PyResult<Vec<PyObject>> {
    let json = py.import("json")?;
    let mut lines = String::new();
    for (index, job) in jobs.iter().enumerate() {
        let line: String = if job.is_instance_of::<PyString>() {
            job.extract()?
        } else {
            json.call_method1("dumps", (job,))?.extract()?
        };
        if line.contains('\n') {
            return Err(PyValueError::new_err(format!(
                "job {index}: a job string must be one line of JSON"
            )));
        }
        lines.push_str(&line);
        lines.push('\n');
    }
    let base_dir = base_dir.unwrap_or_else(|| PathBuf::from("."));
    let results = py
        .allow_threads(|| superboard::batch::run_lines(&lines, &base_dir, threads))
        .map_err(pyo3::exceptions::PyRuntimeError::new_err)?;
    results
        .iter()
        .map(|result| {
            let text = serde_json::to_string(result)
                .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
            Ok(json.call_method1("loads", (text,))?.unbind())
        })
        .collect()
}

/// The Superboard II emulator core.
#[pymodule]
#[pyo3(name = "superboard")]
fn superboard_py(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<Machine>()?;
    module.add_function(wrap_pyfunction!(batch, module)?)?;
    module.add("CPU_CLOCK_HZ", CPU_CLOCK_HZ)?;
    Ok(())
}
