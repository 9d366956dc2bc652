//! # Console: what BASIC prints and when it asks for input
//!
//! Everything BASIC prints goes through the monitor's fixed output entry `$FFEE` (`JMP ($021A)`,
//! normally the monitor's OUTPUT at $FF69: the screen, and with the SAVE flag the ACIA), and
//! every character it reads comes from the input entry `$FFEB` (`JMP ($0218)`). Both entries
//! belong to the ROM interface every Superboard firmware keeps (docs/hardware.md §6), so watching
//! the program counter reach them gives the program's output as one unwrapped byte stream — the
//! very stream SAVE would send to the ACIA, without the NUL padding — and tells when BASIC waits
//! for a key. The screen, by contrast, is 24 columns wide and scrolls.
//!
//! [`Machine::capture_console`](crate::machine::Machine::capture_console) turns the watch on;
//! the run loop then records `A` at every `$FFEE` and notes every `$FFEB`. Nothing here changes
//! what the machine does, so runs with and without capture are identical.
//!
//! **Marks**: a headless driver types a command (say `RUN⏎`) and wants only what comes after
//! it. [`Console::mark_after_typing`] arms a mark that is set at the first byte printed once the
//! typist has *pressed* every key queued so far: the echo of the final RETURN and everything the
//! program prints follow it, the program's own listing (echoed while it was loaded or typed)
//! comes before it.

/// The monitor's fixed output entry; BASIC prints every character through it.
pub const OUTPUT_ENTRY: u16 = 0xFFEE;
/// The monitor's fixed input entry; BASIC reads every character through it.
pub const INPUT_ENTRY: u16 = 0xFFEB;
/// BASIC counts as waiting for input once it sits in the input routine with nothing printed
/// for this many cycles (a keyboard poll pass is well under this).
pub const QUIET_CYCLES: u64 = 30_000;
/// Default cap on the bytes kept (a program printing in an endless loop must not fill memory).
pub const DEFAULT_OUTPUT_LIMIT: usize = 1 << 20;

/// The recorded output stream and input requests.
#[derive(Clone, Debug)]
pub struct Console {
    output: Vec<u8>,
    limit: usize,
    /// Bytes printed beyond `limit` (not kept).
    dropped: u64,
    /// Bytes printed in all (kept or dropped).
    total: u64,
    /// `total` at the latest input request (`None`: none since capture began).
    input_at: Option<u64>,
    /// Cycle of the latest byte printed.
    last_output_cycle: u64,
    /// Typist press count that arms the mark (see the module notes).
    mark_target: Option<u64>,
    /// Output length at the mark.
    mark: usize,
}

impl Console {
    /// An empty console keeping at most `limit` bytes.
    pub fn new(limit: usize) -> Console {
        Console {
            output: Vec::new(),
            limit,
            dropped: 0,
            total: 0,
            input_at: None,
            last_output_cycle: 0,
            mark_target: None,
            mark: 0,
        }
    }

    /// Record a byte printed at `cycle`; `presses` is the typist's press count then.
    #[inline]
    pub(crate) fn printed(&mut self, byte: u8, cycle: u64, presses: u64) {
        if let Some(target) = self.mark_target {
            if presses >= target {
                self.mark = self.output.len();
                self.mark_target = None;
            }
        }
        if self.output.len() < self.limit {
            self.output.push(byte);
        } else {
            self.dropped += 1;
        }
        self.total += 1;
        self.last_output_cycle = cycle;
    }

    /// Record that BASIC asked for a character.
    #[inline]
    pub(crate) fn asked(&mut self) {
        self.input_at = Some(self.total);
    }

    /// Arm a mark for when the typist has pressed `presses_when_done` keys (see the module
    /// notes). Until it is set, [`Console::since_mark`] is empty.
    pub fn mark_after_typing(&mut self, presses_when_done: u64) {
        self.mark_target = Some(presses_when_done);
        self.mark = self.output.len();
    }

    /// Everything recorded (at most the limit).
    pub fn output(&self) -> &[u8] {
        &self.output
    }

    /// What was printed after the mark (empty while the mark is armed but not yet reached).
    pub fn since_mark(&self) -> &[u8] {
        if self.mark_target.is_some() {
            &[]
        } else {
            &self.output[self.mark..]
        }
    }

    /// Bytes printed beyond the limit and not kept.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Forget everything recorded so far (marks included).
    pub fn clear(&mut self) {
        self.output.clear();
        self.dropped = 0;
        self.total = 0;
        self.input_at = None;
        self.mark_target = None;
        self.mark = 0;
    }

    /// BASIC asked for a character and has printed nothing since.
    pub fn in_input(&self) -> bool {
        self.input_at == Some(self.total)
    }

    /// BASIC sits in its input routine and has been quiet for [`QUIET_CYCLES`] at `cycle`.
    pub fn waiting(&self, cycle: u64) -> bool {
        self.in_input() && cycle.saturating_sub(self.last_output_cycle) >= QUIET_CYCLES
    }

    /// BASIC is back at its prompt after the mark: the last thing printed after the mark is
    /// `OK` on a line of its own and BASIC has asked for input since.
    pub fn at_prompt(&self) -> bool {
        self.in_input() && ends_with_prompt(self.since_mark())
    }
}

/// Whether `output` ends with BASIC's prompt, `OK` CR LF, at the start of a line.
pub fn ends_with_prompt(output: &[u8]) -> bool {
    let trimmed = trim_nuls(output);
    trimmed.ends_with(b"OK\r\n")
        && (trimmed.len() == 4 || matches!(trimmed[trimmed.len() - 5], b'\n' | b'\r'))
}

fn trim_nuls(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    &bytes[..end]
}

/// A BASIC error message, `?SN ERROR IN 120` (or `?SN ERROR` in direct mode).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BasicError {
    /// The two-character code: `SN`, `/0`, `OM`, ...
    pub code: String,
    /// The line the error happened in; `None` in direct mode.
    pub line: Option<u32>,
}

/// The last BASIC error message in `output`, if the last line before the final `OK` prompt is
/// one (`?XX ERROR` with an optional ` IN n`).
pub fn last_error(output: &[u8]) -> Option<BasicError> {
    let text = to_text(output);
    let mut lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    while lines
        .last()
        .is_some_and(|line| line.is_empty() || *line == "OK")
    {
        lines.pop();
    }
    parse_error(lines.last()?)
}

/// Parses `?XX ERROR` or `?XX ERROR IN n` (BASIC prints the number with a leading space).
pub fn parse_error(line: &str) -> Option<BasicError> {
    let rest = line.trim().strip_prefix('?')?;
    let code: String = rest.chars().take(2).collect();
    let after = rest.get(code.len()..)?.strip_prefix(" ERROR")?.trim();
    let line = if after.is_empty() {
        None
    } else {
        Some(after.strip_prefix("IN")?.trim().parse().ok()?)
    };
    Some(BasicError { code, line })
}

/// The output stream as text: CR LF (or a lone CR) is a newline, NULs and lone LFs are
/// dropped, other bytes are taken as Latin-1 (the machine's codes map one to one).
pub fn to_text(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    let mut previous = 0u8;
    for &byte in bytes {
        match byte {
            0x00 => continue,
            b'\r' => text.push('\n'),
            b'\n' if previous == b'\r' => {}
            b'\n' => {}
            _ => text.push(byte as char),
        }
        previous = byte;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_parse_with_and_without_a_line() {
        assert_eq!(
            parse_error("?SN ERROR IN  120"),
            Some(BasicError {
                code: "SN".into(),
                line: Some(120)
            })
        );
        assert_eq!(
            parse_error("?/0 ERROR"),
            Some(BasicError {
                code: "/0".into(),
                line: None
            })
        );
        assert_eq!(parse_error("SN ERROR IN 10"), None);
        assert_eq!(parse_error("?SN ERROR IN X"), None);
        assert_eq!(
            last_error(b"\r\nHI\r\n?OM ERROR IN  20\r\nOK\r\n").map(|e| (e.code, e.line)),
            Some(("OM".into(), Some(20)))
        );
        assert_eq!(last_error(b"?SN ERROR IN 10\r\nDONE\r\nOK\r\n"), None);
    }

    #[test]
    fn the_prompt_is_ok_on_a_line_of_its_own() {
        assert!(ends_with_prompt(b"\r\nOK\r\n"));
        assert!(ends_with_prompt(b"OK\r\n"));
        assert!(!ends_with_prompt(b"\r\nLOOK\r\n"));
        assert!(!ends_with_prompt(b"\r\nOK\r\n? "));
    }

    #[test]
    fn text_unwraps_line_ends_and_drops_padding() {
        assert_eq!(to_text(b"A\r\0\0\nB\rC\n"), "A\nB\nC");
    }

    #[test]
    fn the_mark_waits_for_the_last_press() {
        let mut console = Console::new(16);
        console.printed(b'L', 0, 0);
        console.mark_after_typing(2);
        console.printed(b'I', 1, 1);
        assert_eq!(console.since_mark(), b"");
        console.printed(b'\r', 2, 2);
        console.printed(b'X', 3, 2);
        assert_eq!(console.since_mark(), b"\rX");
        console.asked();
        assert!(console.in_input());
        assert!(!console.waiting(3 + QUIET_CYCLES - 1));
        assert!(console.waiting(3 + QUIET_CYCLES));
    }
}
