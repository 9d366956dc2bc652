//! Snapshots on the whole machine: a machine saved at random cycles (mid-typing, mid-program,
//! mid-tape in turbo and real time, mid-recording in real time and turbo, after random key
//! presses and BREAKs), restored into a freshly powered-on machine and given the same inputs
//! behaves byte for byte like the run that was never interrupted — CPU, RAM, video RAM,
//! rendered screen, tape sound, tape position and recording. Seeds are fixed; `SNAPSHOT_SEEDS=N` runs N seeds per scenario
//! for a longer soak.

mod common;

use common::Rng;
use superboard::devices::tape::{DeckState, Tape};
use superboard::machine::{Key, Machine, MachineConfig, RamSize, RomSet, ScreenView};

/// FNV-1a, 64 bits.
fn fnv(hash: &mut u64, bytes: &[u8]) {
    for &byte in bytes {
        *hash ^= u64::from(byte);
        *hash = hash.wrapping_mul(0x0000_0100_0000_01B3);
    }
}

/// One input given to the machine.
#[derive(Clone, Debug)]
enum Event {
    Run(u64),
    Type(&'static str),
    Key(Key, bool),
    Break,
    Play,
    Record,
    Stop,
    Turbo(bool),
}

/// What the machine does, step by step, in a scenario. `RunUntil` and `RunFor` become `Run`
/// events of random length.
enum Step {
    Do(Event),
    RunUntil(&'static str, fn(&Machine) -> bool),
    RunFor(u64),
}

/// Applies `event`; returns the tape sound it produced.
fn apply(machine: &mut Machine, event: &Event) -> Vec<f32> {
    match *event {
        Event::Run(budget) => {
            machine.run_for(budget);
        }
        Event::Type(text) => machine.type_text(text).expect("typable"),
        Event::Key(key, true) => machine.key_down(key),
        Event::Key(key, false) => machine.key_up(key),
        Event::Break => machine.press_break(),
        Event::Play => machine.play_tape(),
        Event::Record => machine.record_tape(),
        Event::Stop => {
            machine.stop_tape();
        }
        Event::Turbo(on) => machine.set_turbo_tape(on),
    }
    let mut sound = Vec::new();
    machine.drain_tape_audio(&mut sound);
    sound
}

/// Everything observable after a step: CPU, cycles, RAM, video RAM, deck, and the sound the
/// step produced.
fn fingerprint(machine: &Machine, sound: &[f32]) -> u64 {
    let mut hash = 0xCBF2_9CE4_8422_2325;
    let cpu = &machine.cpu;
    fnv(&mut hash, &[cpu.a, cpu.x, cpu.y, cpu.s, cpu.p]);
    fnv(&mut hash, &cpu.pc.to_le_bytes());
    fnv(
        &mut hash,
        &[cpu.is_jammed() as u8, machine.typing_pending() as u8],
    );
    fnv(&mut hash, &machine.cycles().to_le_bytes());
    let ram: Vec<u8> = (0..machine.board.ram_bytes())
        .map(|addr| machine.peek(addr as u16))
        .collect();
    fnv(&mut hash, &ram);
    fnv(&mut hash, machine.video_ram());
    let deck = machine.deck();
    fnv(&mut hash, &[deck.state() as u8]);
    fnv(&mut hash, &(deck.position() as u64).to_le_bytes());
    fnv(&mut hash, &(deck.len() as u64).to_le_bytes());
    for sample in sound {
        fnv(&mut hash, &sample.to_bits().to_le_bytes());
    }
    hash
}

/// The rendered full screen, hashed.
fn screen_hash(machine: &mut Machine) -> u64 {
    let mut hash = 0xCBF2_9CE4_8422_2325;
    let pixels = machine.render(ScreenView::Full).expect("a fresh render");
    fnv(&mut hash, pixels);
    hash
}

/// A scenario: how to build its machine, its steps, and whether random host keys and BREAKs are
/// mixed in.
struct Scenario {
    name: &'static str,
    ram: RamSize,
    sound_rate_hz: u32,
    tape: Option<(&'static str, bool)>,
    steps: Vec<Step>,
    chaos: bool,
}

/// What the checked save points landed on, so each scenario proves it covered its case.
#[derive(Default, Debug)]
struct Coverage {
    typing: usize,
    playing: usize,
    recording: usize,
    save_points: usize,
}

/// Most save points per seed, the chance of one after any event, and the events replayed after
/// each.
const MAX_SAVE_POINTS: usize = 12;
const SAVE_ONE_IN: u64 = 24;
const WINDOW_STEPS: usize = 24;

fn seeds() -> u64 {
    std::env::var("SNAPSHOT_SEEDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2)
}

fn new_machine(scenario: &Scenario) -> Machine {
    let mut machine = Machine::new(MachineConfig {
        ram: scenario.ram,
        roms: RomSet::open(),
    });
    machine.deck_mut().set_audio_rate(scenario.sound_rate_hz);
    machine
}

/// A cold-started BASIC, shared by every seed of a scenario (restored from a snapshot).
fn booted(scenario: &Scenario) -> Vec<u8> {
    let mut machine = new_machine(scenario);
    machine.type_text("C\n\n\n").unwrap();
    while machine.typing_pending() || !machine.screen_text(ScreenView::Window).contains("OK") {
        assert!(machine.cycles() < 20_000_000, "BASIC did not start");
        machine.run_for(20_000);
    }
    if let Some((listing, turbo)) = scenario.tape {
        machine.insert_tape(Tape::from_listing("t.bas", listing.as_bytes()).unwrap());
        machine.set_turbo_tape(turbo);
        machine.deck_mut().set_auto_play(true);
    }
    machine.save_state()
}

/// The reference run: its events, a fingerprint after each, and snapshots at the save points
/// (picked at random as the run goes) and at the end of each point's window.
struct Reference {
    events: Vec<Event>,
    prints: Vec<u64>,
    points: Vec<usize>,
    snapshots: std::collections::HashMap<usize, Vec<u8>>,
    coverage: Coverage,
}

impl Reference {
    fn push(&mut self, machine: &mut Machine, event: Event, rng: &mut Rng) {
        let sound = apply(machine, &event);
        let index = self.events.len();
        self.prints.push(fingerprint(machine, &sound));
        self.events.push(event);
        let window_end = self.points.iter().any(|&p| p + WINDOW_STEPS == index);
        let point = self.points.len() < MAX_SAVE_POINTS && rng.below(SAVE_ONE_IN) == 0;
        if point {
            self.points.push(index);
            self.coverage.save_points += 1;
            self.coverage.typing += machine.typing_pending() as usize;
            match machine.deck().state() {
                DeckState::Playing => self.coverage.playing += 1,
                DeckState::Recording => self.coverage.recording += 1,
                DeckState::Stopped => {}
            }
        }
        if point || window_end {
            self.snapshots.insert(index, machine.save_state());
        }
    }
}

/// Runs `scenario` once per seed: a reference run logging its events and fingerprints and
/// saving at random points; then for each point a fresh machine restored from the snapshot
/// replays the following events and must match step by step, and its own snapshot at the end
/// of the window must equal the reference's.
fn check(scenario: Scenario) -> Coverage {
    let boot = booted(&scenario);
    let mut coverage = Coverage::default();
    for seed in 0..seeds() {
        let mut rng = Rng::seeded(seed + 1);
        let mut machine = new_machine(&scenario);
        machine.load_state(&boot).unwrap();
        let mut reference = Reference {
            events: Vec::new(),
            prints: Vec::new(),
            points: Vec::new(),
            snapshots: std::collections::HashMap::new(),
            coverage: Coverage::default(),
        };
        for step in &scenario.steps {
            let start = machine.cycles();
            let budget = |rng: &mut Rng| match rng.below(8) {
                0 => 1 + rng.below(12),
                1 => 16_384,
                _ => 1 + rng.below(40_000),
            };
            match step {
                Step::Do(event) => reference.push(&mut machine, event.clone(), &mut rng),
                Step::RunFor(cycles) => {
                    while machine.cycles() - start < *cycles {
                        let event = Event::Run(budget(&mut rng));
                        reference.push(&mut machine, event, &mut rng);
                    }
                }
                Step::RunUntil(what, done) => {
                    while !done(&machine) {
                        assert!(
                            machine.cycles() - start < 60_000_000,
                            "{}: {what} never happened; screen:\n{}",
                            scenario.name,
                            machine.screen_text(ScreenView::Window)
                        );
                        let event = Event::Run(budget(&mut rng));
                        reference.push(&mut machine, event, &mut rng);
                    }
                }
            }
            if scenario.chaos {
                let chaos = match rng.below(16) {
                    0 => Some(Event::Key(
                        Key::ALL[rng.below(52) as usize],
                        rng.below(2) == 0,
                    )),
                    1 => Some(Event::Break),
                    2 => Some(Event::Type("?1\n")),
                    _ => None,
                };
                if let Some(event) = chaos {
                    reference.push(&mut machine, event, &mut rng);
                }
            }
        }
        let Reference {
            events,
            prints,
            points,
            snapshots,
            coverage: seen,
        } = reference;
        coverage.save_points += seen.save_points;
        coverage.typing += seen.typing;
        coverage.playing += seen.playing;
        coverage.recording += seen.recording;
        for &point in points.iter().filter(|&&p| p + WINDOW_STEPS < events.len()) {
            let saved = &snapshots[&point];
            let mut restored = new_machine(&scenario);
            restored.load_state(saved).unwrap();
            assert_eq!(
                &restored.save_state(),
                saved,
                "{}: seed {seed}: restore then save is not the identity (event {point})",
                scenario.name
            );
            for index in point + 1..=point + WINDOW_STEPS {
                let sound = apply(&mut restored, &events[index]);
                assert_eq!(
                    fingerprint(&restored, &sound),
                    prints[index],
                    "{}: seed {seed}: restored at event {point}, differs at event {index} ({:?})",
                    scenario.name,
                    events[index]
                );
            }
            let end = point + WINDOW_STEPS;
            assert_eq!(
                restored.save_state(),
                snapshots[&end],
                "{}: seed {seed}: restored at event {point}, whole state differs at event {end}",
                scenario.name
            );
            let mut uninterrupted = new_machine(&scenario);
            uninterrupted.load_state(&snapshots[&end]).unwrap();
            assert_eq!(screen_hash(&mut restored), screen_hash(&mut uninterrupted));
        }
    }
    assert!(coverage.save_points >= 4, "{}: {coverage:?}", scenario.name);
    coverage
}

const PROGRAM: &str = "10 FOR I=1 TO 40\n20 PRINT I;I*I\n30 NEXT\n";

fn at_ok(machine: &Machine) -> bool {
    !machine.typing_pending()
        && machine
            .screen_text(ScreenView::Window)
            .lines()
            .map(str::trim_end)
            .rfind(|line| !line.is_empty() && *line != "_")
            == Some("OK")
}

fn typed(machine: &Machine) -> bool {
    !machine.typing_pending()
}

#[test]
fn restores_mid_typing_and_mid_program() {
    let coverage = check(Scenario {
        name: "typing",
        ram: RamSize::K8,
        sound_rate_hz: 0,
        tape: None,
        steps: vec![
            Step::Do(Event::Type(PROGRAM)),
            Step::RunUntil("the program typed", typed),
            Step::Do(Event::Type("RUN\n")),
            Step::RunUntil("the program's end", at_ok),
        ],
        chaos: false,
    });
    assert!(coverage.typing > 0, "{coverage:?}");
}

#[test]
fn restores_a_32k_machine_with_random_keys_and_breaks() {
    let steps = (0..40)
        .flat_map(|_| [Step::RunFor(60_000), Step::Do(Event::Type("PRINT 7\n"))])
        .collect();
    check(Scenario {
        name: "chaos",
        ram: RamSize::K32,
        sound_rate_hz: 0,
        tape: None,
        steps,
        chaos: true,
    });
}

const LISTING: &str = "10 PRINT \"HI\"\n20 GOTO 10\n";

fn tape_read(machine: &Machine) -> bool {
    machine.deck().state() == DeckState::Stopped
        && machine.deck().position() == machine.deck().len()
}

fn tape_steps() -> Vec<Step> {
    vec![
        Step::Do(Event::Type("LOAD\n")),
        Step::RunUntil("the tape read", tape_read),
        Step::RunFor(100_000),
        Step::Do(Event::Type(" \nLIST\n")),
        Step::RunUntil("the listing", at_ok),
    ]
}

#[test]
fn restores_mid_tape_in_real_time_with_sound() {
    let coverage = check(Scenario {
        name: "real-time tape",
        ram: RamSize::K8,
        sound_rate_hz: 22_050,
        tape: Some((LISTING, false)),
        steps: tape_steps(),
        chaos: false,
    });
    assert!(coverage.playing > 0, "{coverage:?}");
}

#[test]
fn restores_mid_tape_in_turbo() {
    let mut steps = tape_steps();
    // Switch to real time and back while playing.
    steps.insert(1, Step::RunFor(400_000));
    steps.insert(2, Step::Do(Event::Turbo(false)));
    steps.insert(3, Step::RunFor(200_000));
    steps.insert(4, Step::Do(Event::Turbo(true)));
    let coverage = check(Scenario {
        name: "turbo tape",
        ram: RamSize::K8,
        sound_rate_hz: 11_025,
        tape: Some((LISTING, true)),
        steps,
        chaos: false,
    });
    assert!(coverage.playing > 0, "{coverage:?}");
}

#[test]
fn restores_mid_recording_with_sound() {
    let coverage = check(Scenario {
        name: "recording",
        ram: RamSize::K8,
        sound_rate_hz: 22_050,
        tape: None,
        steps: vec![
            Step::Do(Event::Type("10 PRINT 1\n20 END\n")),
            Step::RunUntil("the program typed", typed),
            Step::Do(Event::Record),
            Step::Do(Event::Type("SAVE\nLIST\n")),
            Step::RunUntil("the listing saved", at_ok),
            Step::RunFor(200_000),
            Step::Do(Event::Stop),
            Step::Do(Event::Play),
            Step::RunFor(300_000),
        ],
        chaos: false,
    });
    assert!(coverage.recording > 0, "{coverage:?}");
}

#[test]
fn restores_mid_turbo_recording() {
    let coverage = check(Scenario {
        name: "turbo recording",
        ram: RamSize::K8,
        sound_rate_hz: 11_025,
        tape: None,
        steps: vec![
            Step::Do(Event::Type("10 PRINT 1\n20 END\n")),
            Step::RunUntil("the program typed", typed),
            Step::Do(Event::Turbo(true)),
            Step::Do(Event::Record),
            Step::Do(Event::Type("SAVE\nLIST\n")),
            Step::RunUntil("the listing saved", at_ok),
            Step::RunFor(100_000),
            Step::Do(Event::Stop),
            Step::Do(Event::Turbo(false)),
            Step::Do(Event::Play),
            Step::RunFor(400_000),
        ],
        chaos: false,
    });
    assert!(coverage.recording > 0, "{coverage:?}");
}
