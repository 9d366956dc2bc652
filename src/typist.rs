//! # Typist: text → key presses, paced by the ROM's own keyboard scanning
//!
//! A ROM reads the keyboard by polling the matrix, so a key has to stay down long enough for
//! the poller to see it on its debounce passes, and up long enough for the release to be seen
//! before the next press (or a doubled letter like "LL" arrives as one). Rather than guess
//! times, the typist watches what the ROM reads (the keyboard's scan counters) and paces itself:
//!
//! 1. **Settle**: wait until the ROM has read the next key's row [`TypistTiming::release_scans`]
//!    times with nothing pressed (a poller that waits for "all keys up" first sees that), then
//!    **press** the character's chord (the key, plus LEFT SHIFT or CTRL when needed).
//! 2. **Hold** until the key's row has been read at least [`TypistTiming::hold_scans`] times
//!    as part of a row-by-row scan *and* [`TypistTiming::hold_min_cycles`] have passed since the
//!    first of those reads. SYN600 accepts a key on the 3rd matching pass, about 5,600 cycles
//!    after it first sees it (one ~5,000-cycle delay), reads the modifiers right after, and
//!    repeats only after 150 more passes (≈0.8 s), so the defaults sit safely between. Timing
//!    from the first *seen* read (not from the press) matters: a key pressed while the ROM is
//!    busy must not be let go just as the poller reads its modifiers.
//! 3. **Release**, then wait until the key's row has been read at least
//!    [`TypistTiming::release_scans`] more times with the key up — or the ROM has read other
//!    rows [`TypistTiming::ignored_reads`] times without looking at this one (in LOAD mode the
//!    ROM reads only SPACE's row, so the RETURN after `LOAD` would otherwise never count as
//!    released and the SPACE that ends LOAD could never be typed) — and
//!    [`TypistTiming::release_min_cycles`] have passed. Then the next character; its settle
//!    step still makes the ROM see its own row idle first, so a doubled letter stays two.
//!
//! Scan reads are told apart from the Ctrl-C check (which, while a program runs, reads row 0
//! and — only if CTRL is down — row 2) by the keyboard's
//! [`scan_reads`](crate::devices::keyboard::Keyboard::scan_reads) rule. CTRL chords are paced
//! by the Ctrl-C check's own reads instead (row 0 while up, the key's row while held), since
//! that check is exactly who should see them. If the ROM stops reading the keyboard (a program
//! running, a LOAD in progress reading only row 1), the current key simply stays down and the
//! queue stays pending — nothing is dropped and nothing waits on the wall clock.
//!
//! **Character mapping** with SHIFT LOCK down (the power-on state), per docs/hardware.md §4:
//! letters and digits are plain keys (lower case is typed as upper case); `!"#$%&'()` are
//! SHIFT + 1…9; `*` SHIFT + `:`; `=` SHIFT + `-`; `+` SHIFT + `;`; `<` `>` `?` SHIFT + `,` `.`
//! `/`; `@` SHIFT + P; `_` SHIFT + O; `[` SHIFT + K; `\` SHIFT + L; `]` SHIFT + M; `^` SHIFT + N.
//! '\r' or '\n' is RETURN (a "\r\n" pair is one RETURN); control characters $01–$1A other than
//! TAB, LF and CR are CTRL + letter (Ctrl-C = $03); ESC ($1B) is ESC; DEL ($7F) is RUB OUT.
//! If SHIFT LOCK is up when a key is pressed, the modifiers follow the firmware's unlocked rules
//! instead (lower-case letters plain, other plain keys with LEFT SHIFT, shifted characters with
//! RIGHT SHIFT), so text comes out the same either way — except ESC, which SYN600 only
//! recognises with SHIFT LOCK down.

use std::collections::VecDeque;

use crate::devices::keyboard::{Key, KeySource, Keyboard};
use crate::snapshot::{Reader, SnapshotError, Writer};

/// A character the machine's keyboard cannot produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot type {character:?} (character {position} of the text): the Superboard keyboard has no key for it")]
pub struct TypeError {
    /// The character.
    pub character: char,
    /// Its position in the text, counted in characters from 0.
    pub position: usize,
}

/// A key with at most one modifier held with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chord {
    /// The key that produces the character.
    pub key: Key,
    /// LEFT SHIFT or CTRL, when the character needs one.
    pub modifier: Option<Key>,
}

impl Chord {
    const fn plain(key: Key) -> Chord {
        Chord {
            key,
            modifier: None,
        }
    }

    const fn shifted(key: Key) -> Chord {
        Chord {
            key,
            modifier: Some(Key::LeftShift),
        }
    }

    const fn control(key: Key) -> Chord {
        Chord {
            key,
            modifier: Some(Key::Ctrl),
        }
    }
}

/// One queued character: its chord with SHIFT LOCK down, and whether it is a lower-case letter
/// (which matters only if SHIFT LOCK is up when the key is pressed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stroke {
    chord: Chord,
    lower_case: bool,
}

impl Stroke {
    /// The keys to press given the SHIFT LOCK state at that moment (docs/hardware.md §4, step 7).
    /// Locked down: the chord as is (lower-case letters come out upper case). Released: a
    /// lower-case letter and SPACE are plain keys; everything else that was plain needs LEFT
    /// SHIFT ("unchanged"); what needed a shift takes RIGHT SHIFT ("as SHIFT LOCK + SHIFT");
    /// CTRL chords are unchanged.
    fn chord(self, shift_lock_down: bool) -> Chord {
        if shift_lock_down {
            return self.chord;
        }
        let modifier = match self.chord.modifier {
            Some(Key::Ctrl) => Some(Key::Ctrl),
            Some(_) => Some(Key::RightShift),
            None if self.lower_case || self.chord.key == Key::Space => None,
            None => Some(Key::LeftShift),
        };
        Chord {
            key: self.chord.key,
            modifier,
        }
    }
}

/// The letter keys A–Z in alphabetical order.
const LETTER_KEYS: [Key; 26] = [
    Key::A,
    Key::B,
    Key::C,
    Key::D,
    Key::E,
    Key::F,
    Key::G,
    Key::H,
    Key::I,
    Key::J,
    Key::K,
    Key::L,
    Key::M,
    Key::N,
    Key::O,
    Key::P,
    Key::Q,
    Key::R,
    Key::S,
    Key::T,
    Key::U,
    Key::V,
    Key::W,
    Key::X,
    Key::Y,
    Key::Z,
];

/// The digit keys 0–9 in order.
const DIGIT_KEYS: [Key; 10] = [
    Key::Digit0,
    Key::Digit1,
    Key::Digit2,
    Key::Digit3,
    Key::Digit4,
    Key::Digit5,
    Key::Digit6,
    Key::Digit7,
    Key::Digit8,
    Key::Digit9,
];

/// The chord that types `character` with SHIFT LOCK down, if there is one. '\n' maps to
/// RETURN here; [`Typist::queue`] folds a "\r\n" pair into one RETURN.
pub fn chord_for(character: char) -> Option<Chord> {
    let chord = match character {
        'A'..='Z' => Chord::plain(LETTER_KEYS[character as usize - 'A' as usize]),
        'a'..='z' => Chord::plain(LETTER_KEYS[character as usize - 'a' as usize]),
        '0'..='9' => Chord::plain(DIGIT_KEYS[character as usize - '0' as usize]),
        ' ' => Chord::plain(Key::Space),
        '\r' | '\n' => Chord::plain(Key::Return),
        ',' => Chord::plain(Key::Comma),
        '.' => Chord::plain(Key::Period),
        '/' => Chord::plain(Key::Slash),
        ';' => Chord::plain(Key::Semicolon),
        ':' => Chord::plain(Key::Colon),
        '-' => Chord::plain(Key::Minus),
        '!'..=')' => Chord::shifted(DIGIT_KEYS[character as usize - '!' as usize + 1]),
        '*' => Chord::shifted(Key::Colon),
        '=' => Chord::shifted(Key::Minus),
        '+' => Chord::shifted(Key::Semicolon),
        '<' => Chord::shifted(Key::Comma),
        '>' => Chord::shifted(Key::Period),
        '?' => Chord::shifted(Key::Slash),
        '@' => Chord::shifted(Key::P),
        '_' => Chord::shifted(Key::O),
        '[' => Chord::shifted(Key::K),
        '\\' => Chord::shifted(Key::L),
        ']' => Chord::shifted(Key::M),
        '^' => Chord::shifted(Key::N),
        '\u{1B}' => Chord::plain(Key::Esc),
        '\u{7F}' => Chord::plain(Key::RubOut),
        '\u{01}'..='\u{1A}' if character != '\t' => {
            Chord::control(LETTER_KEYS[character as usize - 1])
        }
        _ => return None,
    };
    Some(chord)
}

/// How long the typist holds and releases keys, in ROM scan reads and CPU cycles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypistTiming {
    /// Scan reads of the key's row with the key down before it may be released.
    pub hold_scans: u64,
    /// Minimum CPU cycles a key stays down after the ROM first scanned it.
    pub hold_min_cycles: u64,
    /// Scan reads of the key's row with the key up before the next key is pressed.
    pub release_scans: u64,
    /// Minimum CPU cycles between release and the next press.
    pub release_min_cycles: u64,
    /// Reads of other rows, with none of the released key's row, after which the ROM is taken
    /// not to be watching that row and the release counts as seen.
    pub ignored_reads: u64,
}

impl Default for TypistTiming {
    fn default() -> Self {
        TypistTiming {
            hold_scans: 3,
            hold_min_cycles: 20_000,
            release_scans: 2,
            release_min_cycles: 2_000,
            ignored_reads: 16,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Idle,
    /// The next chord is chosen; waiting for the ROM to scan its row with nothing pressed.
    Settling {
        stroke: Stroke,
        reads_at_start: ReadCounts,
    },
    Holding {
        chord: Chord,
        /// When the typist first noticed the ROM had read the key down.
        first_seen_cycle: Option<u64>,
        reads_at_start: ReadCounts,
    },
    Releasing {
        chord: Chord,
        since_cycle: u64,
        reads_at_start: ReadCounts,
    },
}

/// Queued text and the key it is currently pressing.
#[derive(Clone, Debug)]
pub struct Typist {
    queue: VecDeque<Stroke>,
    phase: Phase,
    /// Chords pressed since the typist was made (a running count, for "everything typed so
    /// far has been pressed" marks).
    presses: u64,
    /// Pacing parameters; may be changed at any time.
    pub timing: TypistTiming,
}

impl Default for Typist {
    fn default() -> Self {
        Self::new()
    }
}

/// The keyboard's read counters that pacing looks at, taken when a phase starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ReadCounts {
    modifier_row: u64,
    key_row: u64,
    key_row_scans: u64,
    all_rows: u64,
}

impl ReadCounts {
    fn take(chord: Chord, keyboard: &Keyboard) -> ReadCounts {
        ReadCounts {
            modifier_row: keyboard.row_reads(Key::Ctrl.row()),
            key_row: keyboard.row_reads(chord.key.row()),
            key_row_scans: keyboard.scan_reads(chord.key.row()),
            all_rows: (0..8).map(|row| keyboard.row_reads(row)).sum(),
        }
    }

    /// How many reads since `self` was taken selected other rows but not the chord's key row
    /// (zero as soon as the ROM looks at the key's row at all).
    fn reads_ignoring(self, chord: Chord, keyboard: &Keyboard) -> u64 {
        let now = ReadCounts::take(chord, keyboard);
        if now.key_row != self.key_row {
            return 0;
        }
        now.all_rows - self.all_rows
    }

    /// How many times the ROM looked at the chord while held, since `self` was taken. A CTRL
    /// chord counts every read of its key's row: the Ctrl-C check reads that row only once it
    /// has seen CTRL down, which is exactly the reader such a chord is for.
    fn held_looks(self, chord: Chord, keyboard: &Keyboard) -> u64 {
        let now = ReadCounts::take(chord, keyboard);
        if chord.modifier == Some(Key::Ctrl) {
            now.key_row - self.key_row
        } else {
            now.key_row_scans - self.key_row_scans
        }
    }

    /// How many times the ROM looked while the chord was up, since `self` was taken. For a CTRL
    /// chord reads of row 0 count too: the Ctrl-C check reads row 0 on every pass but the key's
    /// row only while CTRL is down.
    fn idle_looks(self, chord: Chord, keyboard: &Keyboard) -> u64 {
        let now = ReadCounts::take(chord, keyboard);
        let scans = now.key_row_scans - self.key_row_scans;
        if chord.modifier == Some(Key::Ctrl) {
            scans.max(now.modifier_row - self.modifier_row)
        } else {
            scans
        }
    }
}

/// The strokes that type `text`, and the characters that have no key (with their positions in
/// characters). A "\r\n" pair is one RETURN.
fn strokes_of(text: &str) -> (Vec<Stroke>, Vec<TypeError>) {
    let mut strokes = Vec::with_capacity(text.len());
    let mut skipped = Vec::new();
    let mut previous = None;
    for (position, character) in text.chars().enumerate() {
        let after_cr = previous == Some('\r');
        previous = Some(character);
        if character == '\n' && after_cr {
            continue;
        }
        match chord_for(character) {
            Some(chord) => strokes.push(Stroke {
                chord,
                lower_case: character.is_ascii_lowercase(),
            }),
            None => skipped.push(TypeError {
                character,
                position,
            }),
        }
    }
    (strokes, skipped)
}

fn set_chord(keyboard: &mut Keyboard, chord: Chord, down: bool) {
    if let Some(modifier) = chord.modifier {
        keyboard.set_key(KeySource::Typist, modifier, down);
    }
    keyboard.set_key(KeySource::Typist, chord.key, down);
}

impl Typist {
    /// An idle typist with default timing.
    pub fn new() -> Typist {
        Typist {
            queue: VecDeque::new(),
            phase: Phase::Idle,
            presses: 0,
            timing: TypistTiming::default(),
        }
    }

    /// Queue `text` after whatever is pending. The whole text is checked first: if any character
    /// cannot be typed, nothing is queued and the error names the first such character.
    pub fn queue(&mut self, text: &str) -> Result<(), TypeError> {
        let (strokes, skipped) = strokes_of(text);
        if let Some(&first) = skipped.first() {
            return Err(first);
        }
        self.queue.extend(strokes);
        Ok(())
    }

    /// Queue every character of `text` the keyboard can make, after whatever is pending, and
    /// return the ones it cannot (`|`, `{`, `~`, TAB, non-ASCII …) with their positions, in
    /// order. A paste with one stray character still types the rest; the caller says what was
    /// left out.
    pub fn queue_lossy(&mut self, text: &str) -> Vec<TypeError> {
        let (strokes, skipped) = strokes_of(text);
        self.queue.extend(strokes);
        skipped
    }

    /// Whether characters are still to be typed (queued, or the current key not yet released).
    pub fn is_pending(&self) -> bool {
        !self.queue.is_empty()
            || matches!(self.phase, Phase::Settling { .. } | Phase::Holding { .. })
    }

    /// Number of characters still queued (not counting the one being pressed).
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// Chords pressed so far (a running count that never goes back).
    pub fn presses(&self) -> u64 {
        self.presses
    }

    /// The value [`Typist::presses`] reaches when every character queued so far has been
    /// pressed.
    pub fn presses_when_done(&self) -> u64 {
        let current = matches!(self.phase, Phase::Settling { .. }) as u64;
        self.presses + self.queue.len() as u64 + current
    }

    /// Drop the queue and release the typist's keys.
    pub fn clear(&mut self, keyboard: &mut Keyboard) {
        self.queue.clear();
        self.phase = Phase::Idle;
        keyboard.release_all(KeySource::Typist);
    }

    /// Move on as far as the ROM's reads so far allow: release a key that has been seen enough,
    /// press the next key once the release has been seen. Call before every keyboard read (so
    /// the read sees the new state) and whenever time passes.
    pub fn update(&mut self, cycle: u64, keyboard: &mut Keyboard) {
        loop {
            match self.phase {
                Phase::Idle => {
                    let Some(stroke) = self.queue.pop_front() else {
                        return;
                    };
                    // Only the key's row matters while settling; the modifier is chosen at the
                    // press, from the SHIFT LOCK state then.
                    let chord = stroke.chord(keyboard.shift_lock());
                    self.phase = Phase::Settling {
                        stroke,
                        reads_at_start: ReadCounts::take(chord, keyboard),
                    };
                }
                Phase::Settling {
                    stroke,
                    reads_at_start,
                } => {
                    let chord = stroke.chord(keyboard.shift_lock());
                    if reads_at_start.idle_looks(chord, keyboard) < self.timing.release_scans {
                        return;
                    }
                    set_chord(keyboard, chord, true);
                    self.presses += 1;
                    self.phase = Phase::Holding {
                        chord,
                        first_seen_cycle: None,
                        reads_at_start: ReadCounts::take(chord, keyboard),
                    };
                    return;
                }
                Phase::Holding {
                    chord,
                    first_seen_cycle,
                    reads_at_start,
                } => {
                    let seen = reads_at_start.held_looks(chord, keyboard);
                    let Some(first_seen) = first_seen_cycle else {
                        if seen > 0 {
                            self.phase = Phase::Holding {
                                chord,
                                first_seen_cycle: Some(cycle),
                                reads_at_start,
                            };
                        }
                        return;
                    };
                    if seen < self.timing.hold_scans
                        || cycle.saturating_sub(first_seen) < self.timing.hold_min_cycles
                    {
                        return;
                    }
                    set_chord(keyboard, chord, false);
                    self.phase = Phase::Releasing {
                        chord,
                        since_cycle: cycle,
                        reads_at_start: ReadCounts::take(chord, keyboard),
                    };
                }
                Phase::Releasing {
                    chord,
                    since_cycle,
                    reads_at_start,
                } => {
                    let seen = reads_at_start.idle_looks(chord, keyboard)
                        >= self.timing.release_scans
                        || reads_at_start.reads_ignoring(chord, keyboard)
                            >= self.timing.ignored_reads;
                    if !seen || cycle.saturating_sub(since_cycle) < self.timing.release_min_cycles {
                        return;
                    }
                    self.phase = Phase::Idle;
                }
            }
        }
    }
}

/// Snapshot support (section `TYPE`, src/snapshot.rs): the timing (five u64), the count of
/// chords pressed (u64), the queue (a count, then per stroke the key, the modifier and the
/// lower-case flag) and the phase (a tag
/// byte and its fields). Keys are their index in [`Key::ALL`]; "no modifier" is $FF. A phase's
/// read counts are the keyboard's counters when it began, so they can never exceed the
/// keyboard's current ones — the loader checks that against the restored keyboard.
impl Typist {
    pub(crate) fn save(&self, w: &mut Writer) {
        let t = self.timing;
        for value in [
            t.hold_scans,
            t.hold_min_cycles,
            t.release_scans,
            t.release_min_cycles,
            t.ignored_reads,
        ] {
            w.u64(value);
        }
        w.u64(self.presses);
        w.count(self.queue.len());
        for stroke in &self.queue {
            save_chord(w, stroke.chord);
            w.bool(stroke.lower_case);
        }
        match self.phase {
            Phase::Idle => w.u8(PHASE_IDLE),
            Phase::Settling {
                stroke,
                reads_at_start,
            } => {
                w.u8(PHASE_SETTLING);
                save_chord(w, stroke.chord);
                w.bool(stroke.lower_case);
                reads_at_start.save(w);
            }
            Phase::Holding {
                chord,
                first_seen_cycle,
                reads_at_start,
            } => {
                w.u8(PHASE_HOLDING);
                save_chord(w, chord);
                w.bool(first_seen_cycle.is_some());
                w.u64(first_seen_cycle.unwrap_or(0));
                reads_at_start.save(w);
            }
            Phase::Releasing {
                chord,
                since_cycle,
                reads_at_start,
            } => {
                w.u8(PHASE_RELEASING);
                save_chord(w, chord);
                w.u64(since_cycle);
                reads_at_start.save(w);
            }
        }
    }

    pub(crate) fn load(r: &mut Reader, keyboard: &Keyboard) -> Result<Typist, SnapshotError> {
        let timing = TypistTiming {
            hold_scans: r.u64()?,
            hold_min_cycles: r.u64()?,
            release_scans: r.u64()?,
            release_min_cycles: r.u64()?,
            ignored_reads: r.u64()?,
        };
        // Each press takes at least one keyboard scan, so a cycle count bounds it.
        let presses = r.cycle()?;
        let count = r.count(3)?;
        let mut queue = VecDeque::with_capacity(count);
        for _ in 0..count {
            queue.push_back(Stroke {
                chord: load_chord(r)?,
                lower_case: r.bool()?,
            });
        }
        let phase = match r.u8()? {
            PHASE_IDLE => Phase::Idle,
            PHASE_SETTLING => {
                let stroke = Stroke {
                    chord: load_chord(r)?,
                    lower_case: r.bool()?,
                };
                Phase::Settling {
                    stroke,
                    reads_at_start: ReadCounts::load(r, stroke.chord, keyboard)?,
                }
            }
            PHASE_HOLDING => {
                let chord = load_chord(r)?;
                let seen = r.bool()?;
                let cycle = r.cycle()?;
                Phase::Holding {
                    chord,
                    first_seen_cycle: seen.then_some(cycle),
                    reads_at_start: ReadCounts::load(r, chord, keyboard)?,
                }
            }
            PHASE_RELEASING => {
                let chord = load_chord(r)?;
                let since_cycle = r.cycle()?;
                Phase::Releasing {
                    chord,
                    since_cycle,
                    reads_at_start: ReadCounts::load(r, chord, keyboard)?,
                }
            }
            other => return Err(r.invalid(format!("unknown typist phase {other}"))),
        };
        Ok(Typist {
            queue,
            phase,
            presses,
            timing,
        })
    }
}

const PHASE_IDLE: u8 = 0;
const PHASE_SETTLING: u8 = 1;
const PHASE_HOLDING: u8 = 2;
const PHASE_RELEASING: u8 = 3;
/// Snapshot code for "no modifier".
const NO_MODIFIER: u8 = 0xFF;

fn save_chord(w: &mut Writer, chord: Chord) {
    w.u8(chord.key.index());
    w.u8(chord.modifier.map_or(NO_MODIFIER, Key::index));
}

fn load_chord(r: &mut Reader) -> Result<Chord, SnapshotError> {
    let key = r.u8()?;
    let key = Key::from_index(key).ok_or_else(|| r.invalid(format!("no key number {key}")))?;
    let modifier = match r.u8()? {
        NO_MODIFIER => None,
        m => match Key::from_index(m) {
            Some(modifier @ (Key::LeftShift | Key::RightShift | Key::Ctrl)) => Some(modifier),
            _ => return Err(r.invalid(format!("key number {m} is not a modifier"))),
        },
    };
    Ok(Chord { key, modifier })
}

impl ReadCounts {
    fn save(self, w: &mut Writer) {
        for count in [
            self.modifier_row,
            self.key_row,
            self.key_row_scans,
            self.all_rows,
        ] {
            w.u64(count);
        }
    }

    fn load(
        r: &mut Reader,
        chord: Chord,
        keyboard: &Keyboard,
    ) -> Result<ReadCounts, SnapshotError> {
        let counts = ReadCounts {
            modifier_row: r.u64()?,
            key_row: r.u64()?,
            key_row_scans: r.u64()?,
            all_rows: r.u64()?,
        };
        let now = ReadCounts::take(chord, keyboard);
        if counts.modifier_row > now.modifier_row
            || counts.key_row > now.key_row
            || counts.key_row_scans > now.key_row_scans
            || counts.all_rows > now.all_rows
        {
            return Err(r.invalid("the typist counted more keyboard reads than the keyboard"));
        }
        Ok(counts)
    }
}
