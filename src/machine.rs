//! # Machine: a Superboard II — CPU plus board — driven by cycle budgets
//!
//! [`Machine`] owns the 6502 and the [`Board`] as plain fields. The host passes time in:
//! [`Machine::run_for`] runs whole instructions until a budget of CPU cycles is spent,
//! [`Machine::run_frame`] runs one 60 Hz frame. Nothing here reads the wall clock, so the same
//! inputs give the same screens, byte for byte.
//!
//! **Clock**: crystal 3.93216 MHz ÷ 4 = 983,040 Hz CPU clock; the video counter wraps 256 × 256
//! dots per frame, exactly 60 Hz, so one frame is 16,384 CPU cycles.
//!
//! **Budgets and overshoot**: an instruction can run past the end of a budget by a few cycles;
//! the overshoot is credited against the next call, so after N calls of B cycles the machine has
//! run N·B cycles (plus at most one instruction).
//!
//! **Keys**: the host presses matrix keys ([`Machine::key_down`]/[`Machine::key_up`]); the typist
//! ([`Machine::type_text`]) presses keys of its own, paced by the ROM's scanning. BREAK is not a
//! matrix key: [`Machine::press_break`] asserts RESET. Interrupts: nothing drives /IRQ or /NMI
//! on a stock Superboard II (the ACIA's /IRQ is not connected).

use crate::console::{Console, INPUT_ENTRY, OUTPUT_ENTRY};
use crate::cpu::{Bus, Cpu};
use crate::devices::keyboard::KeySource;
use crate::devices::tape::TapeDeck;

pub use crate::board::{Board, RamSize};
pub use crate::devices::keyboard::Key;
pub use crate::devices::mc6850::{TapePort, TimedByte};
pub use crate::devices::video::ScreenView;
pub use crate::roms::RomSet;
pub use crate::typist::TypeError;

/// CPU clock: 3.93216 MHz crystal ÷ 4.
pub const CPU_CLOCK_HZ: u64 = 983_040;
/// Video frames per second.
pub const FRAMES_PER_SECOND: u64 = 60;
/// CPU cycles per 60 Hz video frame.
pub const CYCLES_PER_FRAME: u64 = CPU_CLOCK_HZ / FRAMES_PER_SECOND;

/// How to build a machine.
#[derive(Clone, Debug)]
pub struct MachineConfig {
    /// Installed RAM.
    pub ram: RamSize,
    /// ROM images.
    pub roms: RomSet,
}

impl Default for MachineConfig {
    /// 8 KB RAM and the open ROMs.
    fn default() -> Self {
        MachineConfig {
            ram: RamSize::K8,
            roms: RomSet::open(),
        }
    }
}

/// What a call to [`Machine::run_for`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunOutcome {
    /// CPU cycles that passed.
    pub cycles_run: u64,
    /// Whether the CPU is jammed (a JAM opcode ran; only BREAK recovers it). A jammed CPU still
    /// consumes time.
    pub jammed: bool,
}

/// An Ohio Scientific Superboard II. Cloning gives an independent machine in the same state
/// (a batch boots once and clones the booted machine for every job).
#[derive(Clone)]
pub struct Machine {
    /// The 6502.
    pub cpu: Cpu,
    /// Memories, devices and the address decoder.
    pub board: Board,
    /// The cassette deck on the ACIA's tape port (src/devices/tape.rs).
    pub deck: TapeDeck,
    /// The cycle count at which the current budget ends (carries overshoot between calls).
    pub(crate) budget_end_cycle: u64,
    /// What BASIC prints and when it asks for input, while captured (src/console.rs). A
    /// host-side observer (session state): a snapshot load keeps the host's.
    pub(crate) console: Option<Box<Console>>,
}

impl Machine {
    /// A powered-on machine; the CPU's reset sequence runs at the first step.
    pub fn new(config: MachineConfig) -> Machine {
        Machine {
            cpu: Cpu::new(),
            board: Board::new(config.ram, config.roms),
            deck: TapeDeck::new(),
            budget_end_cycle: 0,
            console: None,
        }
    }

    /// Run whole instructions until `budget_cycles` are spent (less any overshoot of the previous
    /// call), then bring the devices up to date.
    pub fn run_for(&mut self, budget_cycles: u64) -> RunOutcome {
        let start = self.board.cycles();
        self.budget_end_cycle = self.budget_end_cycle.saturating_add(budget_cycles);
        let end = self.budget_end_cycle;
        if let Some(console) = self.console.as_deref_mut() {
            // The same loop, watching the monitor's I/O entries (src/console.rs).
            while self.board.cycles() < end {
                if self.cpu.is_jammed() {
                    self.board.idle(end - self.board.cycles());
                    break;
                }
                match self.cpu.pc {
                    OUTPUT_ENTRY => console.printed(
                        self.cpu.a,
                        self.board.cycles(),
                        self.board.typist.presses(),
                    ),
                    INPUT_ENTRY => console.asked(),
                    _ => {}
                }
                self.cpu.step(&mut self.board);
            }
        } else {
            while self.board.cycles() < end {
                if self.cpu.is_jammed() {
                    // A jammed 6502 only reads $FFFF each cycle (ROM, no side effects).
                    self.board.idle(end - self.board.cycles());
                    break;
                }
                self.cpu.step(&mut self.board);
            }
        }
        self.board.advance_devices();
        self.sync_tape();
        RunOutcome {
            cycles_run: self.board.cycles() - start,
            jammed: self.cpu.is_jammed(),
        }
    }

    /// Run one 60 Hz frame (16,384 cycles).
    pub fn run_frame(&mut self) -> RunOutcome {
        self.run_for(CYCLES_PER_FRAME)
    }

    /// BREAK: assert RESET. The reset sequence runs at the next step; RAM and devices keep their
    /// state (the 6850 has no reset pin), as on the real board.
    pub fn press_break(&mut self) {
        self.cpu.reset();
    }

    /// Press a matrix key (host side). Pressing SHIFT LOCK toggles its latch.
    pub fn key_down(&mut self, key: Key) {
        self.board.keyboard.set_key(KeySource::Host, key, true);
    }

    /// Release a matrix key (host side).
    pub fn key_up(&mut self, key: Key) {
        self.board.keyboard.set_key(KeySource::Host, key, false);
    }

    /// Release every key the host holds (e.g. when the window loses focus). SHIFT LOCK stays
    /// latched; the typist's keys are not affected.
    pub fn release_all_keys(&mut self) {
        self.board.keyboard.release_all(KeySource::Host);
    }

    /// Lock SHIFT LOCK down or release it.
    pub fn set_shift_lock(&mut self, down: bool) {
        self.board.keyboard.set_shift_lock(down);
    }

    /// Whether SHIFT LOCK is locked down (the power-on state).
    pub fn shift_lock(&self) -> bool {
        self.board.keyboard.shift_lock()
    }

    /// Queue text for the typist. Rejects the whole text if a character cannot be typed,
    /// naming it and its position.
    pub fn type_text(&mut self, text: &str) -> Result<(), TypeError> {
        self.board.typist.queue(text)
    }

    /// Queue every character of `text` the keyboard can make; returns the ones it cannot (with
    /// their positions in characters), which are left out.
    pub fn type_text_lossy(&mut self, text: &str) -> Vec<TypeError> {
        self.board.typist.queue_lossy(text)
    }

    /// Whether the typist still has characters to type.
    pub fn typing_pending(&self) -> bool {
        self.board.typist.is_pending()
    }

    /// Drop queued text and release the typist's keys.
    pub fn cancel_typing(&mut self) {
        self.board.typist.clear(&mut self.board.keyboard);
    }

    /// The screen as text, rows joined by '\n' ($20–$7E as ASCII, other codes as '·').
    pub fn screen_text(&self, view: ScreenView) -> String {
        self.board.video.screen_text(view)
    }

    /// Video RAM, 1024 bytes ($D000–$D3FF).
    pub fn video_ram(&self) -> &[u8] {
        self.board.video.ram()
    }

    /// The RGBA framebuffer of `view` (`view.width_px() × view.height_px()` pixels), `Some`
    /// only when something visible changed since the last call.
    pub fn render(&mut self, view: ScreenView) -> Option<&[u8]> {
        self.board.video.render(view)
    }

    /// CPU cycles since power-on.
    pub fn cycles(&self) -> u64 {
        self.board.cycles()
    }

    /// Read memory without side effects or cycles.
    pub fn peek(&self, addr: u16) -> u8 {
        self.board.peek(addr)
    }

    /// Store into RAM or video RAM without a cycle (ROM and device addresses are ignored).
    pub fn poke(&mut self, addr: u16, value: u8) {
        self.board.poke(addr, value);
    }

    /// Start (or stop) recording what BASIC prints and when it asks for input (see
    /// [`Console`]); at most `limit` output bytes are kept. Starting again clears the record.
    pub fn capture_console(&mut self, on: bool, limit: usize) {
        self.console = on.then(|| Box::new(Console::new(limit)));
    }

    /// The console record, while capturing.
    pub fn console(&self) -> Option<&Console> {
        self.console.as_deref()
    }

    /// The console record, to set marks or clear it.
    pub fn console_mut(&mut self) -> Option<&mut Console> {
        self.console.as_deref_mut()
    }

    /// Queue text for the typist and mark the console after it (see
    /// [`Console::mark_after_typing`]): what BASIC prints once the last key of `text` is down.
    pub fn type_and_mark(&mut self, text: &str) -> Result<(), TypeError> {
        self.type_text(text)?;
        let target = self.board.typist.presses_when_done();
        if let Some(console) = self.console.as_deref_mut() {
            console.mark_after_typing(target);
        }
        Ok(())
    }

    /// The address of the JAM opcode that halted the CPU, if it is jammed.
    pub fn jam_address(&self) -> Option<u16> {
        self.cpu.is_jammed().then(|| self.cpu.pc.wrapping_sub(1))
    }

    /// The ACIA's tape side: bytes to receive and bytes transmitted.
    pub fn tape(&mut self) -> &mut TapePort {
        &mut self.board.tape
    }
}
