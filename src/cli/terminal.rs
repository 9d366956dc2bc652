//! Interactive `superboard run` in a terminal (crossterm): the screen as text, keys typed
//! through the typist, real-time pacing at 60 frames per second.
//!
//! Keys: printable characters, RETURN and Ctrl+letter are typed naturally with the OSI shift
//! rules (lower case arrives as upper case while SHIFT LOCK is down); Backspace types `_`, which
//! is BASIC's "delete last character"; Esc is ESC. Hot keys, shown in the status line: F2 = BREAK,
//! F3 = toggle SHIFT LOCK, F10 or Ctrl-] = quit. The terminal is restored on exit, on error and
//! on panic.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::style::Print;
use crossterm::terminal::{self, Clear, ClearType};
use crossterm::{cursor, execute, queue};
use superboard::devices::video::ScreenView;
use superboard::machine::{Machine, FRAMES_PER_SECOND};

/// Longest stretch of emulated time to catch up in one go after the host stalls, in frames.
const MAX_CATCH_UP_FRAMES: u32 = 6;

/// Puts the terminal in raw mode on the alternate screen and restores it when dropped.
struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> io::Result<TerminalGuard> {
        terminal::enable_raw_mode()?;
        let guard = TerminalGuard;
        execute!(io::stdout(), terminal::EnterAlternateScreen, cursor::Hide)?;
        Ok(guard)
    }
}

fn restore_terminal() {
    let _ = execute!(io::stdout(), cursor::Show, terminal::LeaveAlternateScreen);
    let _ = terminal::disable_raw_mode();
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// What a host key asks for.
enum Action {
    Type(char),
    Break,
    ToggleShiftLock,
    Quit,
    Nothing,
}

fn action_for(key: KeyEvent) -> Action {
    if key.kind == KeyEventKind::Release {
        return Action::Nothing;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::F(2) => Action::Break,
        KeyCode::F(3) => Action::ToggleShiftLock,
        KeyCode::F(10) => Action::Quit,
        KeyCode::Char(']') if ctrl => Action::Quit,
        // Legacy terminals send Ctrl-] as $1D, which crossterm reports as Ctrl-5.
        KeyCode::Char('5') if ctrl => Action::Quit,
        KeyCode::Char('\u{1D}') => Action::Quit,
        KeyCode::Char(c) if ctrl && c.is_ascii_alphabetic() => {
            Action::Type(((c.to_ascii_uppercase() as u8) - b'@') as char)
        }
        KeyCode::Char(_) if ctrl => Action::Nothing,
        KeyCode::Char(c) => Action::Type(c),
        KeyCode::Enter => Action::Type('\r'),
        KeyCode::Backspace => Action::Type('_'),
        KeyCode::Esc => Action::Type('\u{1B}'),
        _ => Action::Nothing,
    }
}

fn draw(out: &mut impl Write, screen: &str, view: ScreenView, status: &str) -> io::Result<()> {
    queue!(out, cursor::MoveTo(0, 0))?;
    for (row, line) in screen.lines().enumerate() {
        queue!(out, cursor::MoveTo(0, row as u16), Print(line))?;
    }
    queue!(
        out,
        cursor::MoveTo(0, view.rows() as u16 + 1),
        Clear(ClearType::CurrentLine),
        Print(status)
    )?;
    out.flush()
}

/// Runs the machine interactively until the user quits; with `unicode` the graphics characters
/// show as their nearest Unicode characters instead of '·'.
pub fn run(machine: &mut Machine, view: ScreenView, unicode: bool) -> io::Result<()> {
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous_hook(info);
    }));
    let _guard = TerminalGuard::enter()?;
    let mut out = io::stdout();
    execute!(out, Clear(ClearType::All))?;

    let frame = Duration::from_secs(1) / FRAMES_PER_SECOND as u32;
    let mut next_frame = Instant::now();
    let mut last_screen = String::new();
    let mut last_status = String::new();
    loop {
        // Keys until the next frame is due.
        loop {
            let now = Instant::now();
            let wait = next_frame.saturating_duration_since(now);
            if !event::poll(wait)? {
                break;
            }
            if let Event::Key(key) = event::read()? {
                match action_for(key) {
                    Action::Type(c) => {
                        // Characters the keyboard cannot produce are ignored.
                        let _ = machine.type_text(&c.to_string());
                    }
                    Action::Break => {
                        machine.cancel_typing();
                        machine.press_break();
                    }
                    Action::ToggleShiftLock => {
                        let down = machine.shift_lock();
                        machine.set_shift_lock(!down);
                    }
                    Action::Quit => return Ok(()),
                    Action::Nothing => {}
                }
            }
        }
        let mut frames_due = 0;
        while Instant::now() >= next_frame && frames_due < MAX_CATCH_UP_FRAMES {
            machine.run_frame();
            next_frame += frame;
            frames_due += 1;
        }
        if frames_due == MAX_CATCH_UP_FRAMES {
            next_frame = Instant::now() + frame;
        }
        let outcome_jammed = machine.cpu.is_jammed();
        let status = format!(
            "F2 BREAK  F3 SHIFT LOCK ({})  F10/Ctrl-] quit{}{}",
            if machine.shift_lock() { "down" } else { "up" },
            if machine.typing_pending() {
                "  typing…"
            } else {
                ""
            },
            if outcome_jammed { "  CPU JAMMED" } else { "" },
        );
        let screen = if unicode {
            machine.screen_unicode(view)
        } else {
            machine.screen_text(view)
        };
        if screen != last_screen || status != last_status {
            draw(&mut out, &screen, view, &status)?;
            last_screen = screen;
            last_status = status;
        }
    }
}
