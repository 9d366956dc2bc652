//! `superboard run --serial tcp:HOST:PORT|stdio`: the ACIA's serial header connected to a byte
//! stream (src/devices/serial.rs has the machine's side).
//!
//! - `tcp:HOST:PORT` listens there (port 0 picks a free one; the address is printed on
//!   standard error as `serial: listening on HOST:PORT`) and serves one client at a time: a
//!   second client is told the line is busy and closed. When a client leaves, the next one
//!   may connect; the machine runs on meanwhile.
//! - `stdio` reads standard input and writes the transmitted bytes to standard output; the
//!   run ends (status 0) once standard input is closed, every byte has been received and the
//!   machine has been quiet for `--settle` seconds. The screen is not printed then (standard
//!   output is the line).
//!
//! The machine runs in real time (60 frames per wall-clock second) and the line at the ACIA's
//! own rate (300 baud with the firmware's setting). With `--serial-turbo` the line delivers
//! bytes as fast as the CPU reads them and the machine runs flat out while anything is being
//! received or sent, and in real time otherwise.
//!
//! **Telnet**: a telnet client's option negotiation (IAC sequences) is dropped, and each line
//! end it sends (CR LF, CR NUL or a lone LF, as netcat sends) becomes the CR the machine's
//! RETURN key gives. What the machine sends goes out unchanged (BASIC ends lines with CR, ten
//! NULs and LF, which terminals show as line ends).
//!
//! The other `run` options work as in headless runs: `--type` texts are typed on the keyboard
//! (`--type 'C\n\n\nPOKE 517,1:POKE 515,128\n'` boots BASIC and hands it to the serial line),
//! the `--until...` conditions end the run, and `--max-seconds` limits it (without one, a TCP
//! server runs until it is stopped).

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::{Duration, Instant};

use superboard::machine::{Machine, CYCLES_PER_FRAME, FRAMES_PER_SECOND};

/// Where `--serial` connects the ACIA.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SerialSpec {
    /// Listen on this address (`HOST:PORT`).
    Tcp(String),
    /// Standard input and output.
    Stdio,
}

/// Parses `tcp:HOST:PORT` or `stdio`.
pub fn parse_serial(text: &str) -> Result<SerialSpec, String> {
    if text == "stdio" {
        return Ok(SerialSpec::Stdio);
    }
    match text.strip_prefix("tcp:") {
        Some(address)
            if address
                .rsplit_once(':')
                .is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok()) =>
        {
            Ok(SerialSpec::Tcp(address.to_string()))
        }
        _ => Err(format!(
            "`{text}` is not a serial link (use tcp:HOST:PORT, e.g. tcp:127.0.0.1:6850, or stdio)"
        )),
    }
}

/// Strips telnet commands and turns the client's line ends into CR.
#[derive(Default)]
struct TelnetFilter {
    state: FilterState,
    /// The previous data byte was CR (so a following LF or NUL belongs to it).
    after_cr: bool,
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum FilterState {
    #[default]
    Data,
    /// After IAC.
    Command,
    /// After IAC WILL/WONT/DO/DONT: the option byte follows.
    Option,
    /// Inside IAC SB ... IAC SE.
    Subnegotiation,
    /// IAC inside a subnegotiation.
    SubnegotiationCommand,
}

const IAC: u8 = 255;
const SB: u8 = 250;
const SE: u8 = 240;

impl TelnetFilter {
    fn filter(&mut self, input: &[u8], out: &mut Vec<u8>) {
        for &byte in input {
            self.state = match (self.state, byte) {
                (FilterState::Data, IAC) => FilterState::Command,
                (FilterState::Data, _) => {
                    self.data(byte, out);
                    FilterState::Data
                }
                (FilterState::Command, IAC) => {
                    self.data(IAC, out);
                    FilterState::Data
                }
                (FilterState::Command, SB) => FilterState::Subnegotiation,
                (FilterState::Command, 251..=254) => FilterState::Option,
                (FilterState::Command, _) | (FilterState::Option, _) => FilterState::Data,
                (FilterState::Subnegotiation, IAC) => FilterState::SubnegotiationCommand,
                (FilterState::Subnegotiation, _) => FilterState::Subnegotiation,
                (FilterState::SubnegotiationCommand, SE) => FilterState::Data,
                (FilterState::SubnegotiationCommand, _) => FilterState::Subnegotiation,
            };
        }
    }

    fn data(&mut self, byte: u8, out: &mut Vec<u8>) {
        let after_cr = std::mem::replace(&mut self.after_cr, byte == b'\r');
        match byte {
            b'\n' | 0 if after_cr => {}
            b'\n' => out.push(b'\r'),
            _ => out.push(byte),
        }
    }
}

/// One end of the line on the host.
enum Link {
    Tcp {
        listener: TcpListener,
        client: Option<TcpStream>,
    },
    Stdio {
        input: Receiver<Vec<u8>>,
        closed: bool,
    },
}

impl Link {
    fn open(spec: &SerialSpec) -> Result<Link, String> {
        match spec {
            SerialSpec::Tcp(address) => {
                let listener = TcpListener::bind(address)
                    .map_err(|e| format!("serial: cannot listen on {address}: {e}"))?;
                listener
                    .set_nonblocking(true)
                    .map_err(|e| format!("serial: {e}"))?;
                let local = listener.local_addr().map_err(|e| format!("serial: {e}"))?;
                eprintln!("serial: listening on {local}");
                Ok(Link::Tcp {
                    listener,
                    client: None,
                })
            }
            SerialSpec::Stdio => {
                // Standard input cannot be polled portably; a reader thread hands its chunks
                // over (the machine itself stays on this thread).
                let (sender, input) = mpsc::channel();
                std::thread::spawn(move || {
                    let mut stdin = io::stdin().lock();
                    let mut buffer = [0u8; 4096];
                    while let Ok(count @ 1..) = stdin.read(&mut buffer) {
                        if sender.send(buffer[..count].to_vec()).is_err() {
                            break;
                        }
                    }
                });
                Ok(Link::Stdio {
                    input,
                    closed: false,
                })
            }
        }
    }

    /// Takes what arrived from the host; connects and disconnects TCP clients on the machine.
    fn poll(&mut self, machine: &mut Machine, turbo: bool, out: &mut Vec<u8>) {
        match self {
            Link::Tcp { listener, client } => {
                while let Ok((mut stream, peer)) = listener.accept() {
                    if client.is_some() {
                        let _ = stream.write_all(b"serial line busy: one client at a time\r\n");
                        continue;
                    }
                    if stream.set_nonblocking(true).is_ok() {
                        eprintln!("serial: {peer} connected");
                        machine.serial_connect(turbo);
                        *client = Some(stream);
                    }
                }
                let Some(stream) = client else {
                    return;
                };
                let mut buffer = [0u8; 4096];
                loop {
                    match stream.read(&mut buffer) {
                        Ok(0) => {
                            eprintln!("serial: client disconnected");
                            machine.serial_disconnect();
                            *client = None;
                            return;
                        }
                        Ok(count) => out.extend_from_slice(&buffer[..count]),
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(_) => return,
                    }
                }
            }
            Link::Stdio { input, closed } => loop {
                match input.try_recv() {
                    Ok(chunk) => out.extend_from_slice(&chunk),
                    Err(TryRecvError::Empty) => return,
                    Err(TryRecvError::Disconnected) => {
                        *closed = true;
                        return;
                    }
                }
            },
        }
    }

    /// Sends what the machine transmitted.
    fn write(&mut self, bytes: &[u8]) -> Result<(), String> {
        if bytes.is_empty() {
            return Ok(());
        }
        match self {
            Link::Tcp { client, .. } => {
                if let Some(stream) = client {
                    if write_all_nonblocking(stream, bytes).is_err() {
                        eprintln!("serial: client disconnected");
                        *client = None;
                    }
                }
                Ok(())
            }
            Link::Stdio { .. } => {
                let mut out = io::stdout().lock();
                out.write_all(bytes)
                    .and_then(|()| out.flush())
                    .map_err(|e| format!("serial: standard output: {e}"))
            }
        }
    }

    /// Standard input has been closed (never for TCP).
    fn input_closed(&self) -> bool {
        matches!(self, Link::Stdio { closed: true, .. })
    }
}

/// A few bytes a frame: a short wait when the socket buffer is full is enough.
fn write_all_nonblocking(stream: &mut TcpStream, mut bytes: &[u8]) -> io::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !bytes.is_empty() {
        match stream.write(bytes) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(count) => bytes = &bytes[count..],
            Err(e) if e.kind() == io::ErrorKind::WouldBlock && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(1));
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// What the run loop asks of the serial link each frame.
pub struct SerialHost {
    link: Link,
    filter: TelnetFilter,
    turbo: bool,
    /// Wall-clock time the next frame is due.
    next_frame: Instant,
    /// Frames since anything moved on the line (for turbo pacing and the end of stdio).
    quiet_frames: u64,
}

impl SerialHost {
    /// Opens the link (listens, or starts reading standard input).
    pub fn open(
        spec: &SerialSpec,
        machine: &mut Machine,
        turbo: bool,
    ) -> Result<SerialHost, String> {
        let link = Link::open(spec)?;
        if matches!(link, Link::Stdio { .. }) {
            machine.serial_connect(turbo);
        }
        Ok(SerialHost {
            link,
            filter: TelnetFilter::default(),
            turbo,
            next_frame: Instant::now(),
            quiet_frames: 0,
        })
    }

    /// Whether the screen may be printed on standard output at the end.
    pub fn owns_stdout(&self) -> bool {
        matches!(self.link, Link::Stdio { .. })
    }

    /// Runs one frame with the line: takes input, runs, sends output, keeps pace.
    pub fn frame(&mut self, machine: &mut Machine) -> Result<(), String> {
        let mut received = Vec::new();
        self.link.poll(machine, self.turbo, &mut received);
        let mut bytes = Vec::with_capacity(received.len());
        self.filter.filter(&received, &mut bytes);
        machine.serial_send(&bytes);
        machine.run_for(CYCLES_PER_FRAME);
        let sent = machine.serial_take_output();
        self.link.write(&sent)?;
        let busy = machine.serial().pending() > 0 || !sent.is_empty() || !bytes.is_empty();
        self.quiet_frames = if busy { 0 } else { self.quiet_frames + 1 };
        let frame = Duration::from_secs_f64(1.0 / FRAMES_PER_SECOND as f64);
        let now = Instant::now();
        if self.turbo && busy {
            self.next_frame = now;
        } else {
            self.next_frame += frame;
            if self.next_frame > now {
                std::thread::sleep(self.next_frame - now);
            } else if now - self.next_frame > frame * 6 {
                // Behind by more than 0.1 s (a slow host): do not try to catch up.
                self.next_frame = now;
            }
        }
        Ok(())
    }

    /// Standard input is closed, everything was received and the line has been quiet for
    /// `settle_frames`.
    pub fn finished(&self, machine: &Machine, settle_frames: u64) -> bool {
        self.link.input_closed()
            && machine.serial().pending() == 0
            && self.quiet_frames >= settle_frames
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_specs_parse() {
        assert_eq!(parse_serial("stdio"), Ok(SerialSpec::Stdio));
        assert_eq!(
            parse_serial("tcp:127.0.0.1:6850"),
            Ok(SerialSpec::Tcp("127.0.0.1:6850".into()))
        );
        assert_eq!(
            parse_serial("tcp:[::1]:0"),
            Ok(SerialSpec::Tcp("[::1]:0".into()))
        );
        for bad in ["tcp:6850", "tcp:host:port", "serial", "tcp::1"] {
            assert!(parse_serial(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn telnet_commands_are_dropped_and_line_ends_become_cr() {
        let mut filter = TelnetFilter::default();
        let mut out = Vec::new();
        // WILL ECHO, DO SUPPRESS-GO-AHEAD, a subnegotiation, an escaped 255.
        filter.filter(&[IAC, 251, 1, b'A', IAC, 253, 3, b'B'], &mut out);
        filter.filter(&[IAC, SB, 24, 0, b'X', IAC, SE, IAC, IAC], &mut out);
        filter.filter(b"1\r\n2\r\x003\n4\r", &mut out);
        filter.filter(b"\n5", &mut out);
        assert_eq!(out, b"AB\xFF1\r2\r3\r4\r5");
    }
}
