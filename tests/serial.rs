//! The ACIA as a serial port: the machine's side (src/devices/serial.rs) and
//! `superboard run --serial` with a telnet-style TCP client and with standard input.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{run_until, SLICE_CYCLES};
use superboard::machine::{Machine, MachineConfig};

/// Boots BASIC and hands input and output to the serial line (LOAD and SAVE flags).
const TO_SERIAL: &str = "C\r\rPOKE 517,1:POKE 515,128\r";

fn serial_machine(turbo: bool) -> Machine {
    machine_typing(TO_SERIAL, turbo)
}

fn machine_typing(text: &str, turbo: bool) -> Machine {
    let mut machine = Machine::new(MachineConfig::default());
    machine.serial_connect(turbo);
    machine.type_text(text).unwrap();
    run_until(&mut machine, 20_000_000, "BASIC on the line", |m| {
        m.peek(0x0203) & 0x80 != 0
    });
    machine
}

/// Runs until the line has sent `text` (NULs dropped); returns everything sent.
fn read_until(machine: &mut Machine, text: &str, budget: u64) -> String {
    let mut sent = String::new();
    let start = machine.cycles();
    while !sent.contains(text) {
        assert!(
            machine.cycles() - start < budget,
            "{text:?} not sent; sent so far: {sent:?}"
        );
        machine.run_for(SLICE_CYCLES);
        let bytes = machine.serial_take_output();
        sent.extend(bytes.iter().filter(|&&b| b != 0).map(|&b| b as char));
    }
    sent
}

#[test]
fn bytes_sent_to_the_line_are_basic_input_and_its_output_comes_back() {
    for turbo in [false, true] {
        let mut machine = serial_machine(turbo);
        machine.serial_send(b"10 PRINT \"SUM\";2+3\rRUN\r");
        let sent = read_until(&mut machine, "SUM 5", 40_000_000);
        assert!(sent.contains("RUN\r\n"), "turbo {turbo}: {sent:?}");
        assert!(machine.serial().pending() == 0);
    }
}

#[test]
fn real_time_bytes_arrive_at_300_baud_and_turbo_ones_faster() {
    // Input from the line only (no SAVE flag): with it, BASIC's echo of every character
    // would go out at 300 baud too and pace the input in both modes.
    let line = b"PRINT \"ABCDEFGHIJKLMNOPQRSTUVWXYZ\"\r";
    let mut cycles = Vec::new();
    for turbo in [false, true] {
        let mut machine = machine_typing("C\r\rPOKE 515,128\r", turbo);
        let start = machine.cycles();
        machine.serial_send(line);
        while machine.serial().pending() > 0 {
            machine.run_for(1_000);
        }
        cycles.push(machine.cycles() - start);
    }
    // 33 bytes of 11 bits at 300 baud (36,044.8 cycles each) at least, in real time.
    assert!(cycles[0] >= 32 * 36_044, "{cycles:?}");
    assert!(cycles[1] * 4 < cycles[0], "{cycles:?}");
}

#[test]
fn nothing_is_kept_while_no_host_is_connected() {
    let mut machine = serial_machine(true);
    machine.serial_disconnect();
    machine.type_text("PRINT 1\r").unwrap();
    for _ in 0..100 {
        machine.run_frame();
    }
    assert!(machine.serial_take_output().is_empty());
}

/// Kills the child when dropped, so a failing test never leaves a server behind.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_telnet_client_types_a_program_and_reads_its_output() {
    let mut server = Server(
        Command::new(env!("CARGO_BIN_EXE_superboard"))
            .args([
                "run",
                "--serial",
                "tcp:127.0.0.1:0",
                "--type",
                "C\\n\\nPOKE 517,1:POKE 515,128\\n",
                "--until",
                "TOTAL 15",
                "--max-seconds",
                "120",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(120);
    // The server names its port on standard error.
    let mut stderr = BufReader::new(server.0.stderr.take().unwrap());
    let mut line = String::new();
    let address = loop {
        line.clear();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "no address");
        if let Some(address) = line.trim().strip_prefix("serial: listening on ") {
            break address.to_string();
        }
    };
    let mut client = TcpStream::connect(&address).unwrap();
    client
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    // Telnet's opening negotiation (IAC DO SUPPRESS-GO-AHEAD) and CR LF line ends, as a
    // telnet client sends them; the server drops the one and turns the other into RETURN.
    client.write_all(&[255, 253, 3]).unwrap();
    let mut received = Vec::new();
    let mut typed = false;
    let mut buffer = [0u8; 1024];
    loop {
        assert!(
            Instant::now() < deadline,
            "no TOTAL from the machine; received {:?}",
            String::from_utf8_lossy(&received)
        );
        match client.read(&mut buffer) {
            Ok(0) => break,
            Ok(count) => received.extend_from_slice(&buffer[..count]),
            Err(_) => {}
        }
        let text = String::from_utf8_lossy(&received).replace('\0', "");
        // BASIC's OK after the POKEs comes out of the line: it is listening.
        if !typed && text.contains("OK") {
            client
                .write_all(b"10 FOR I=1 TO 5:T=T+I:NEXT\r\n20 PRINT \"TOTAL\";T\r\nRUN\r\n")
                .unwrap();
            typed = true;
        }
        if text.contains("TOTAL 15") {
            break;
        }
    }
    let text = String::from_utf8_lossy(&received).replace('\0', "");
    assert!(text.contains("RUN\r\n"), "{text:?}");
    // The run ends by itself with --until: what BASIC printed after the last --type text.
    let status = loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
    let mut screen = String::new();
    server
        .0
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut screen)
        .unwrap();
    assert!(screen.contains("TOTAL 15"), "{screen}");
}

#[test]
fn stdio_is_a_serial_line_too() {
    let mut child = Server(
        Command::new(env!("CARGO_BIN_EXE_superboard"))
            .args([
                "run",
                "--serial",
                "stdio",
                "--serial-turbo",
                "--type",
                "C\\n\\nPOKE 517,1:POKE 515,128\\n",
                "--max-seconds",
                "60",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    {
        let mut stdin = child.0.stdin.take().unwrap();
        // Netcat-style LF line ends; the input waits in the line until BASIC listens.
        stdin.write_all(b"PRINT 6*7\n").unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the run did not end after stdin closed"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut out = Vec::new();
    child
        .0
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut out)
        .unwrap();
    let text = String::from_utf8_lossy(&out).replace('\0', "");
    assert_eq!(status.code(), Some(0), "{text:?}");
    assert!(text.contains("PRINT 6*7\r\n 42 \r\n"), "{text:?}");
}

#[test]
fn bad_serial_specs_are_rejected() {
    let out = Command::new(env!("CARGO_BIN_EXE_superboard"))
        .args(["run", "--serial", "tcp:nowhere", "--max-seconds", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tcp:HOST:PORT"));
}

#[test]
fn a_snapshot_keeps_the_serial_line() {
    // Bytes still on the way in (real-time pace) survive a save and load: both machines
    // answer the same, byte for byte.
    let mut machine = serial_machine(false);
    machine.serial_send(b"PRINT 6*7\r");
    machine.run_for(40_000);
    let state = machine.save_state();
    let mut restored = Machine::new(MachineConfig::default());
    restored.load_state(&state).unwrap();
    assert_eq!(restored.serial().pending(), machine.serial().pending());
    assert!(restored.serial().pending() > 0);
    let original = read_until(&mut machine, " 42", 40_000_000);
    let again = read_until(&mut restored, " 42", 40_000_000);
    assert_eq!(original, again);
}
