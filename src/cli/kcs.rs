//! `superboard kcs`: Kansas City Standard cassette audio to and from files.
//!
//! ```text
//! superboard kcs encode IN OUT.wav [--rate HZ] [--bits 8|16] [--baud 300|600|1200]
//!                                  [--wave sine|square] [--leader S] [--trailer S]
//! superboard kcs decode IN.wav|.flac|.ogg|.mp3 [-o OUT] [--report] [--channel N] [--baud 300|600|1200]
//! ```
//!
//! `encode` treats `.bas`/`.txt` input as a listing (every byte, CR line ends plus the
//! monitor's NUL padding; where BASIC will store something other than the file says — a line
//! too long for its buffer, BEL, lower case, ... — a warning names the line and column), `.65v` as
//! monitor keystrokes (CR line ends), and anything else as raw bytes.
//!
//! `decode` exits 0 when every byte came through, 2 when some were damaged or lost (the output
//! is still written; `--report` lists them with their times), and 1 on an error — including a
//! file with no tape signal in it. It writes the bytes to `-o OUT` exactly as received, or — when OUT ends in `.bas` or
//! `.txt` — as a clean listing (echo lines, NULs and CRs removed). Without `-o` it prints the
//! bytes as text on standard output (NULs dropped, CR as a line end, other control bytes as
//! `\xNN`). The report (`--report`) and any damaged characters go to standard error.
//!
//! [`TapeArgs`] adds `--tape FILE`, `--turbo-tape` and `--record OUT` to `superboard run`.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use superboard::devices::tape::{DeckState, Tape};
use superboard::kcs::{
    self, decode_source, decode_wav, encode_wav, AudioFile, Baud, DecodeOptions, DecodeReport,
    EncodeOptions, KcsError, Waveform,
};
use superboard::machine::Machine;

/// Arguments of `superboard kcs`.
#[derive(Args, Debug)]
pub struct KcsArgs {
    #[command(subcommand)]
    pub command: KcsCommand,
}

/// `kcs` subcommands.
#[derive(Subcommand, Debug)]
pub enum KcsCommand {
    /// Encode a file as cassette audio (WAV).
    Encode(EncodeArgs),
    /// Decode cassette audio (WAV of any layout, FLAC, Ogg or MP3; streamed) to bytes.
    Decode(DecodeArgs),
}

/// Tone shape on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum WaveArg {
    Sine,
    Square,
}

/// Arguments of `superboard kcs encode`.
#[derive(Args, Debug)]
pub struct EncodeArgs {
    /// Inputs (.bas/.txt listing, .65v machine-code keystrokes, or any file as raw bytes), one
    /// recording each on the tape, then the output WAV file.
    #[arg(required = true, num_args = 2.., value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Sample rate in Hz (8000–96000).
    #[arg(long, default_value_t = 44_100)]
    pub rate: u32,
    /// Bits per sample (8 or 16).
    #[arg(long, default_value_t = 16)]
    pub bits: u16,
    /// Baud rate (300, 600 or 1200).
    #[arg(long, default_value_t = 300, value_parser = parse_baud_number)]
    pub baud: u32,
    /// Tone shape.
    #[arg(long, value_enum, default_value_t = WaveArg::Sine)]
    pub wave: WaveArg,
    /// Seconds of 2400 Hz carrier before the data.
    #[arg(long, default_value_t = 2.0)]
    pub leader: f64,
    /// Seconds of 2400 Hz carrier after the data.
    #[arg(long, default_value_t = 1.0)]
    pub trailer: f64,
}

/// Arguments of `superboard kcs decode`.
#[derive(Args, Debug)]
pub struct DecodeArgs {
    /// Input recording: WAV (8/16/24/32-bit integer or 32-bit float PCM, any channel count, any
    /// chunk layout), FLAC, Ogg Vorbis or MP3.
    pub input: PathBuf,
    /// Output file (raw bytes, or a clean listing if it ends in .bas or .txt).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Print the decoding report on standard error.
    #[arg(long)]
    pub report: bool,
    /// Decode this channel (0-based) instead of the best one.
    #[arg(long)]
    pub channel: Option<usize>,
    /// Force the baud rate instead of detecting it.
    #[arg(long, value_parser = parse_baud_number)]
    pub baud: Option<u32>,
    /// List the recordings found on the tape (name, start time, bytes) on standard output.
    #[arg(long)]
    pub list: bool,
    /// Decode only recording N (1 = the first on the tape).
    #[arg(long, value_name = "N")]
    pub recording: Option<usize>,
}

fn parse_baud_number(text: &str) -> Result<u32, String> {
    text.parse::<u32>()
        .ok()
        .filter(|b| Baud::from_bits_per_s(*b).is_some())
        .ok_or_else(|| format!("baud rate `{text}` (use 300, 600 or 1200)"))
}

/// What can go wrong in `superboard kcs`.
#[derive(Debug, thiserror::Error)]
pub enum KcsCliError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Kcs { path: String, source: KcsError },
    #[error("{0}")]
    Tape(String),
    #[error(
        "{path}: no tape signal: {duration_s:.1} s of audio without Kansas City Standard tones \
         (silence, noise or another kind of sound)"
    )]
    NoSignal { path: String, duration_s: f64 },
}

/// Prints what BASIC will do differently from a listing file, on standard error.
fn warn(tape: &Tape) {
    let warnings = tape.warnings();
    if warnings.is_empty() {
        return;
    }
    eprintln!(
        "{}: {} warning(s); the tape loads as the machine reads it:",
        tape.name(),
        warnings.len()
    );
    for line in kcs::describe_warnings(warnings).lines() {
        eprintln!("  {line}");
    }
}

/// Runs `superboard kcs`; returns the exit status.
pub fn run(args: KcsArgs) -> i32 {
    let result = match args.command {
        KcsCommand::Encode(args) => encode(&args).map(|()| 0),
        KcsCommand::Decode(args) => decode(&args),
    };
    match result {
        Ok(status) => status,
        Err(e) => {
            eprintln!("superboard kcs: {e}");
            1
        }
    }
}

fn read(path: &Path) -> Result<Vec<u8>, KcsCliError> {
    std::fs::read(path).map_err(|source| KcsCliError::Io {
        path: path.display().to_string(),
        source,
    })
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), KcsCliError> {
    std::fs::write(path, bytes).map_err(|source| KcsCliError::Io {
        path: path.display().to_string(),
        source,
    })
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn encode(args: &EncodeArgs) -> Result<(), KcsCliError> {
    let (output, inputs) = args
        .files
        .split_last()
        .ok_or_else(|| KcsCliError::Tape("no input and output given".into()))?;
    let mut tape: Option<Tape> = None;
    for input in inputs {
        let contents = read(input)?;
        let name = input.display().to_string();
        let recording = match extension(input).as_str() {
            "wav" => return Err(KcsCliError::Tape(format!("{name}: already a recording"))),
            _ => Tape::from_file(&name, &contents).map_err(|e| KcsCliError::Tape(e.to_string()))?,
        };
        warn(&recording);
        match tape.as_mut() {
            Some(tape) => tape.append(&recording),
            None => tape = Some(recording),
        }
    }
    let tape = tape.ok_or_else(|| KcsCliError::Tape("no input given".into()))?;
    let options = EncodeOptions {
        sample_rate_hz: args.rate,
        bits_per_sample: args.bits,
        baud: Baud::from_bits_per_s(args.baud).unwrap_or(Baud::B300),
        wave: match args.wave {
            WaveArg::Sine => Waveform::Sine,
            WaveArg::Square => Waveform::Square,
        },
        leader_s: args.leader,
        trailer_s: args.trailer,
        ..EncodeOptions::default()
    };
    let wav = tape.to_wav(&options).map_err(|source| KcsCliError::Kcs {
        path: output.display().to_string(),
        source,
    })?;
    write(output, &wav)
}

/// Exit status of `kcs decode` when bytes were damaged or lost (the output is still written).
pub const EXIT_DAMAGED: i32 = 2;

fn decode(args: &DecodeArgs) -> Result<i32, KcsCliError> {
    let options = DecodeOptions {
        baud: args.baud.and_then(Baud::from_bits_per_s),
        channel: args.channel,
        robust: None,
    };
    let kcs_error = |source| KcsCliError::Kcs {
        path: args.input.display().to_string(),
        source,
    };
    // Streamed, read ahead on a second thread: memory stays bounded whatever the recording's
    // length.
    let file = std::fs::File::open(&args.input)
        .and_then(super::read_ahead::ReadAhead::new)
        .map_err(|source| KcsCliError::Io {
            path: args.input.display().to_string(),
            source,
        })?;
    let input_extension = extension(&args.input);
    let hint = Some(input_extension.as_str()).filter(|e| !e.is_empty());
    let mut recording = AudioFile::open(file, hint).map_err(kcs_error)?;
    let decoded = decode_source(&mut recording, &options).map_err(kcs_error)?;
    if decoded.bytes.is_empty() {
        return Err(KcsCliError::NoSignal {
            path: args.input.display().to_string(),
            duration_s: decoded.report.duration_s,
        });
    }
    let report = decoded.report.clone();
    let whole_len = decoded.bytes.len();
    let whole = Tape::from_decoded(&args.input.display().to_string(), decoded)
        .map_err(|e| KcsCliError::Tape(e.to_string()))?;
    let recordings = whole.recordings();
    if args.list {
        for (index, r) in recordings.iter().enumerate() {
            let start_s = if r.start == 0 {
                0.0
            } else {
                whole.time_of_s(r.start - 1)
            };
            println!(
                "{:>3}  {:<32} {start_s:>8.1} s {:>7} bytes",
                index + 1,
                r.name,
                r.len
            );
        }
    } else if recordings.len() > 1 && args.recording.is_none() {
        eprintln!(
            "superboard kcs: the tape holds {} recordings; --list names them, --recording N \
             decodes one",
            recordings.len()
        );
    }
    let tape = match args.recording {
        Some(n) => whole.extract(n.wrapping_sub(1)).ok_or_else(|| {
            KcsCliError::Tape(format!(
                "{}: no recording {n} (the tape holds {})",
                args.input.display(),
                recordings.len()
            ))
        })?,
        None => whole,
    };
    match &args.output {
        Some(path) if matches!(extension(path).as_str(), "bas" | "txt") => {
            write(path, tape.to_listing().as_bytes())?
        }
        Some(path) => write(path, tape.bytes())?,
        None if args.list => {}
        None => print!("{}", printable(tape.bytes())),
    }
    if args.report {
        eprint!("{}", report_text(&report, whole_len));
    } else if !report.errors.is_empty() {
        eprintln!(
            "superboard kcs: {} damaged character(s); first at {:.3} s (use --report for all)",
            report.errors.len(),
            report.errors[0].time_s
        );
    }
    Ok(if report.errors.is_empty() {
        0
    } else {
        EXIT_DAMAGED
    })
}

/// Bytes as terminal text: NULs and LFs dropped, CR as a line end, other controls as `\xNN`.
fn printable(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            0 | b'\n' => {}
            b'\r' => out.push('\n'),
            0x20..=0x7E => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{b:02X}")),
        }
    }
    out
}

fn report_text(report: &DecodeReport, byte_count: usize) -> String {
    let mut text = format!(
        "recording: {:.2} s, {} Hz, {} channel(s); decoded channel {}\n\
         baud: {} ({})\n\
         bytes: {byte_count}\n\
         signal: {:.1}% clean half periods of {}; tape speed {:.3}× nominal\n\
         demodulator: {}\n\
         errors: {}\n",
        report.duration_s,
        report.sample_rate_hz,
        report.channels,
        report.channel,
        report.baud,
        if report.baud_detected {
            "detected"
        } else {
            "given"
        },
        report.clean_fraction * 100.0,
        report.half_periods,
        report.speed,
        if report.robust {
            "robust (tone correlation, flywheel framing)"
        } else {
            "fast (zero crossings)"
        },
        report.errors.len()
    );
    for e in &report.errors {
        text.push_str(&format!(
            "  byte {} at {:.3} s: {}\n",
            e.byte_index,
            e.time_s,
            match e.kind {
                kcs::ByteErrorKind::Framing => "framing error (stop bit read as 0)",
                kcs::ByteErrorKind::Dropout => "signal lost inside the frame (byte missing)",
                kcs::ByteErrorKind::Unclear => {
                    "bits unreadable (signal lost or drowned); the byte is a best guess"
                }
            }
        ));
    }
    text
}

/// Cassette options of `superboard run` (flattened into its arguments).
#[derive(Args, Debug, Default)]
pub struct TapeArgs {
    /// Insert this tape (.bas/.txt listing, .65v machine code, .wav/.flac/.ogg/.mp3 recording, other: raw
    /// bytes); it plays when the ROM reads the cassette (LOAD, or the 65V monitor's L).
    #[arg(long, value_name = "FILE")]
    pub tape: Option<PathBuf>,
    /// Load the tape as fast as the ROM takes the bytes instead of at 300 baud.
    #[arg(long)]
    pub turbo_tape: bool,
    /// Record everything the ACIA sends (SAVE) and write it on exit: .wav as 300-baud cassette
    /// audio, .bas/.txt as a clean listing, anything else as raw bytes.
    #[arg(long, value_name = "FILE", conflicts_with = "tape")]
    pub record: Option<PathBuf>,
}

/// Inserts the `--tape` (armed for auto-play) or starts the `--record`ing.
pub fn setup_tape(machine: &mut Machine, args: &TapeArgs) -> Result<(), String> {
    machine.set_turbo_tape(args.turbo_tape);
    if let Some(path) = &args.tape {
        let contents = read(path).map_err(|e| e.to_string())?;
        let name = path.display().to_string();
        let tape = Tape::from_file(&name, &contents).map_err(|e| e.to_string())?;
        warn(&tape);
        if let Some(report) = tape.report() {
            if !report.errors.is_empty() {
                eprintln!(
                    "{name}: {} damaged character(s) in the recording; first at {:.3} s",
                    report.errors.len(),
                    report.errors[0].time_s
                );
            }
        }
        machine.insert_tape(tape);
        machine.deck_mut().set_auto_play(true);
    }
    if args.record.is_some() {
        machine.record_tape();
    }
    Ok(())
}

/// Whether the deck is still moving (the run should not count as idle).
pub fn tape_busy(machine: &Machine) -> bool {
    machine.deck().state() == DeckState::Playing
}

/// Stops a `--record`ing and writes the file.
pub fn finish_tape(machine: &mut Machine, args: &TapeArgs) -> Result<(), String> {
    let Some(path) = &args.record else {
        return Ok(());
    };
    let Some(tape) = machine.stop_tape() else {
        return Ok(());
    };
    let bytes = match extension(path).as_str() {
        "wav" => tape
            .to_wav(&EncodeOptions::default())
            .map_err(|e| format!("{}: {e}", path.display()))?,
        "bas" | "txt" => tape.to_listing().into_bytes(),
        _ => tape.bytes().to_vec(),
    };
    write(path, &bytes).map_err(|e| e.to_string())?;
    eprintln!("recorded {} byte(s) to {}", tape.len(), path.display());
    Ok(())
}

/// Program size of the KCS benchmark, in bytes.
const BENCH_PROGRAM_BYTES: usize = 5_000;
/// Timed runs per figure (the best is reported).
const BENCH_RUNS: usize = 5;

/// `superboard bench` lines for the KCS codec: decoding a 5,000-byte program recorded at
/// 44.1 kHz 16-bit stereo (WAV parsing and sample conversion included) and encoding it to a
/// 44.1 kHz 16-bit mono WAV, in WAV bytes per second, and the line-in decoder fed the mono
/// recording as f32 samples in 50 ms chunks (best of five).
pub fn bench_lines() -> Vec<String> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let program: Vec<u8> = (0..BENCH_PROGRAM_BYTES)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    let options = EncodeOptions::default();
    let stereo = match stereo_recording(&program, &options) {
        Ok(wav) => wav,
        Err(e) => return vec![format!("kcs: cannot build the benchmark recording: {e}")],
    };
    let best = |f: &mut dyn FnMut() -> usize| {
        let mut best_s = f64::INFINITY;
        let mut size = 0;
        for _ in 0..BENCH_RUNS {
            let started = std::time::Instant::now();
            size = f();
            best_s = best_s.min(started.elapsed().as_secs_f64());
        }
        (size, best_s)
    };
    let (decoded, decode_s) =
        best(&mut || decode_wav(&stereo, &DecodeOptions::default()).map_or(0, |d| d.bytes.len()));
    let (wav_bytes, encode_s) = best(&mut || encode_wav(&program, &options).map_or(0, |w| w.len()));
    // The line-in decoder, fed the mono recording as f32 in 50 ms chunks.
    let samples: Vec<f32> = kcs::encode_pcm(&program, &options)
        .unwrap_or_default()
        .iter()
        .map(|&s| f32::from(s) / 32768.0)
        .collect();
    let chunk = options.sample_rate_hz as usize / 20;
    let (live_bytes, live_s) = best(&mut || {
        let Ok(mut decoder) = kcs::LiveDecoder::new(options.sample_rate_hz, None) else {
            return 0;
        };
        for piece in samples.chunks(chunk) {
            decoder.push(piece);
        }
        decoder.finish();
        decoder.bytes().len()
    });
    let audio_s = samples.len() as f64 / f64::from(options.sample_rate_hz);
    vec![
        format!(
            "kcs decode: {:.2} GB/s ({:.1} MB stereo 16-bit WAV, {decoded} bytes, in {:.1} ms)",
            stereo.len() as f64 / decode_s / 1e9,
            stereo.len() as f64 / 1e6,
            decode_s * 1e3
        ),
        format!(
            "kcs encode: {:.2} GB/s ({:.1} MB mono 16-bit WAV in {:.1} ms)",
            wav_bytes as f64 / encode_s / 1e9,
            wav_bytes as f64 / 1e6,
            encode_s * 1e3
        ),
        format!(
            "kcs live decode: {:.2} GB/s of f32 samples ({audio_s:.0} s of audio, {live_bytes} bytes, in {:.1} ms, {:.0}x real time)",
            (samples.len() * 4) as f64 / live_s / 1e9,
            live_s * 1e3,
            audio_s / live_s
        ),
    ]
}

/// Runs `machine` frame by frame until the typing is done and `done` holds, for at most
/// `max_s` emulated seconds; returns whether it got there.
fn run_until(machine: &mut Machine, max_s: u64, done: impl Fn(&Machine) -> bool) -> bool {
    let limit = machine.cycles() + max_s * superboard::machine::CPU_CLOCK_HZ;
    while machine.typing_pending() || !done(machine) {
        if machine.cycles() > limit {
            return false;
        }
        machine.run_frame();
    }
    true
}

/// BASIC waits for a command: "OK" on the row above the cursor.
fn at_ok(machine: &Machine) -> bool {
    let screen = machine.screen_text(superboard::machine::ScreenView::Window);
    let rows: Vec<&str> = screen.lines().map(str::trim_end).collect();
    rows.len() >= 2 && rows[rows.len() - 2] == "OK" && rows[rows.len() - 1] == "_"
}

/// `superboard bench` line for turbo SAVE: a 5 KB program loaded into BASIC, then `SAVE` +
/// `LIST` recorded with turbo on; the wall time of the recording alone (best of three).
pub fn turbo_save_line() -> String {
    let program: String = (1..=100)
        .map(|n| {
            format!(
                "{} PRINT \"LINE {n}: THE QUICK BROWN FOX JUMPS OVER\"\n",
                n * 10
            )
        })
        .collect();
    let mut best: Option<(f64, f64, usize)> = None;
    for _ in 0..3 {
        let mut machine = Machine::new(superboard::machine::MachineConfig::default());
        machine.set_turbo_tape(true);
        let tape = match Tape::from_listing("bench.bas", program.as_bytes()) {
            Ok(tape) => tape,
            Err(e) => return format!("tape turbo save: {e}"),
        };
        machine.insert_tape(tape);
        machine.deck_mut().set_auto_play(true);
        let loaded = machine.type_text("C\n\n\nLOAD\n").is_ok()
            && run_until(&mut machine, 60, |m| m.deck().position() == m.deck().len())
            && machine.type_text(" \n").is_ok()
            && run_until(&mut machine, 10, |_| true);
        if !loaded {
            return format!(
                "tape turbo save: the program did not load:\n{}",
                machine.screen_text(superboard::machine::ScreenView::Window)
            );
        }
        machine.record_tape();
        let started = std::time::Instant::now();
        let from = machine.cycles();
        let listed =
            machine.type_text("SAVE\nLIST\n").is_ok() && run_until(&mut machine, 600, at_ok);
        let wall_s = started.elapsed().as_secs_f64();
        let emulated_s =
            (machine.cycles() - from) as f64 / superboard::machine::CPU_CLOCK_HZ as f64;
        // The recording just made (the deck appends it after the loaded program).
        let recorded = machine.stop_tape();
        let bytes = recorded.as_ref().map_or(0, |t| t.len());
        if !listed || recorded.is_none_or(|t| t.to_listing() != program) {
            return "tape turbo save: the recording is not the program".into();
        }
        if best.is_none_or(|(w, _, _)| wall_s < w) {
            best = Some((wall_s, emulated_s, bytes));
        }
    }
    let (wall_s, emulated_s, bytes) = best.unwrap_or_default();
    format!(
        "tape turbo save: {} byte program, SAVE+LIST recorded ({bytes} bytes, {:.0} s at 300 \
         baud) in {:.0} ms wall, {emulated_s:.2} s emulated",
        program.len(),
        bytes as f64 * 11.0 / 300.0,
        wall_s * 1e3
    )
}

/// The program as a 44.1 kHz 16-bit stereo recording (left: the signal, right: half of it,
/// inverted).
fn stereo_recording(program: &[u8], options: &EncodeOptions) -> Result<Vec<u8>, String> {
    let mono = kcs::encode_pcm(program, options).map_err(|e| e.to_string())?;
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: options.sample_rate_hz,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut cursor = std::io::Cursor::new(Vec::with_capacity(mono.len() * 4 + 64));
    {
        let mut writer = hound::WavWriter::new(&mut cursor, spec).map_err(|e| e.to_string())?;
        for &s in &mono {
            writer.write_sample(s).map_err(|e| e.to_string())?;
            writer.write_sample(-(s / 2)).map_err(|e| e.to_string())?;
        }
        writer.finalize().map_err(|e| e.to_string())?;
    }
    Ok(cursor.into_inner())
}
