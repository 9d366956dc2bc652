//! `superboard kcs`: Kansas City Standard cassette audio to and from files.
//!
//! ```text
//! superboard kcs encode IN OUT.wav [--rate HZ] [--bits 8|16] [--baud 300|600|1200]
//!                                  [--wave sine|square] [--leader S] [--trailer S]
//! superboard kcs decode IN.wav [-o OUT] [--report] [--channel N] [--baud 300|600|1200]
//! ```
//!
//! `encode` treats `.bas`/`.txt` input as a listing (CR line ends plus the monitor's NUL
//! padding; characters the machine cannot receive are reported by line and column), `.65v` as
//! monitor keystrokes (CR line ends), and anything else as raw bytes.
//!
//! `decode` writes the bytes to `-o OUT` exactly as received, or — when OUT ends in `.bas` or
//! `.txt` — as a clean listing (echo lines, NULs and CRs removed). Without `-o` it prints the
//! bytes as text on standard output (NULs dropped, CR as a line end, other control bytes as
//! `\xNN`). The report (`--report`) and any damaged characters go to standard error.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use superboard::kcs::{
    self, decode_wav, encode_wav, Baud, DecodeOptions, DecodeReport, EncodeOptions, KcsError,
    Waveform,
};

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
    /// Decode cassette audio (any PCM WAV) to bytes.
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
    /// Input: .bas/.txt listing, .65v machine-code keystrokes, or any file as raw bytes.
    pub input: PathBuf,
    /// Output WAV file.
    pub output: PathBuf,
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
    /// Input WAV file (8/16/24/32-bit integer or 32-bit float PCM, any channel count).
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
}

/// Runs `superboard kcs`; returns the exit status.
pub fn run(args: KcsArgs) -> i32 {
    let result = match args.command {
        KcsCommand::Encode(args) => encode(&args),
        KcsCommand::Decode(args) => decode(&args),
    };
    match result {
        Ok(()) => 0,
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
    let input = read(&args.input)?;
    let kcs_err = |path: &Path| {
        let path = path.display().to_string();
        move |source| KcsCliError::Kcs { path, source }
    };
    let bytes = match extension(&args.input).as_str() {
        "bas" | "txt" => {
            kcs::text_to_tape(&String::from_utf8_lossy(&input)).map_err(kcs_err(&args.input))?
        }
        "65v" => kcs::machine_code_to_tape(&String::from_utf8_lossy(&input))
            .map_err(kcs_err(&args.input))?,
        _ => input,
    };
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
    let wav = encode_wav(&bytes, &options).map_err(kcs_err(&args.output))?;
    write(&args.output, &wav)
}

fn decode(args: &DecodeArgs) -> Result<(), KcsCliError> {
    let input = read(&args.input)?;
    let options = DecodeOptions {
        baud: args.baud.and_then(Baud::from_bits_per_s),
        channel: args.channel,
    };
    let decoded = decode_wav(&input, &options).map_err(|source| KcsCliError::Kcs {
        path: args.input.display().to_string(),
        source,
    })?;
    match &args.output {
        Some(path) if matches!(extension(path).as_str(), "bas" | "txt") => {
            write(path, kcs::listing_from_tape(&decoded.bytes).as_bytes())?
        }
        Some(path) => write(path, &decoded.bytes)?,
        None => print!("{}", printable(&decoded.bytes)),
    }
    if args.report {
        eprint!("{}", report_text(&decoded.report, decoded.bytes.len()));
    } else if !decoded.report.errors.is_empty() {
        eprintln!(
            "superboard kcs: {} damaged character(s); first at {:.3} s (use --report for all)",
            decoded.report.errors.len(),
            decoded.report.errors[0].time_s
        );
    }
    Ok(())
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
            }
        ));
    }
    text
}
