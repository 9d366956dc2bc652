//! Snapshots that must be refused — truncated, too long, corrupted, foreign, from a newer
//! version, with an unknown critical section or a missing one, or needing ROMs the machine does
//! not have — each with a message that says which, and the running machine untouched. Plus a
//! seeded random and mutation harness over the loader: no input panics or hangs it, and
//! whatever it accepts runs and saves again.

mod common;

use common::Rng;
use superboard::machine::{Machine, MachineConfig, RamSize, RomSet, ScreenView};
use superboard::roms::KNOWN_ROMS;
use superboard::snapshot::{SnapshotError, FORMAT_VERSION, HEADER_BYTES, MAGIC};

/// A machine at BASIC's first question, with a program-like pattern poked into RAM.
fn sample_machine(ram: RamSize) -> Machine {
    let mut machine = Machine::new(MachineConfig {
        ram,
        roms: RomSet::open(),
    });
    for _ in 0..40 {
        machine.run_frame();
    }
    machine.type_text("C\n").unwrap();
    for _ in 0..20 {
        machine.run_frame();
    }
    for addr in 0x0300..0x0340u16 {
        machine.poke(addr, addr as u8);
    }
    machine
}

/// A machine in some other state, to load into: whatever is refused must leave it as it was.
fn target() -> Machine {
    static STATE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let state = STATE.get_or_init(|| {
        let mut machine = Machine::new(MachineConfig::default());
        for _ in 0..10 {
            machine.run_frame();
        }
        machine.save_state()
    });
    Machine::from_state(state, &[&RomSet::open()]).unwrap()
}

/// Loads `bytes` into a running machine, expects a refusal, and checks the machine is untouched.
fn refused(bytes: &[u8]) -> SnapshotError {
    let mut machine = target();
    let before = machine.save_state();
    let screen = machine.screen_text(ScreenView::Full);
    let error = machine
        .load_state(bytes)
        .expect_err("the snapshot should be refused");
    assert_eq!(
        machine.save_state(),
        before,
        "a refused load changed the machine"
    );
    assert_eq!(machine.screen_text(ScreenView::Full), screen);
    error
}

/// Rewrites the header's length and CRC after an edit, so the edit reaches the sections.
fn reseal(bytes: &mut [u8]) {
    let length = bytes.len() as u32;
    bytes[10..14].copy_from_slice(&length.to_le_bytes());
    let crc = crc32fast::hash(&bytes[HEADER_BYTES..]);
    bytes[14..18].copy_from_slice(&crc.to_le_bytes());
}

/// The offset of section `tag`'s payload and its length.
fn section(bytes: &[u8], tag: &[u8; 4]) -> (usize, usize) {
    let mut pos = HEADER_BYTES;
    while pos < bytes.len() {
        let length = u32::from_le_bytes(bytes[pos + 4..pos + 8].try_into().unwrap()) as usize;
        if &bytes[pos..pos + 4] == tag {
            return (pos + 8, length);
        }
        pos += 8 + length;
    }
    panic!("no section {tag:?}");
}

#[test]
fn a_snapshot_starts_with_the_signature_and_version() {
    let bytes = sample_machine(RamSize::K8).save_state();
    assert_eq!(bytes[..8], MAGIC);
    assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), FORMAT_VERSION);
    assert_eq!(
        u32::from_le_bytes(bytes[10..14].try_into().unwrap()) as usize,
        bytes.len()
    );
}

#[test]
fn truncated_snapshots_are_refused() {
    let bytes = sample_machine(RamSize::K8).save_state();
    assert_eq!(
        refused(&[]).to_string(),
        "not a Superboard snapshot: the file is empty"
    );
    for length in [1, 7, 8, 12, HEADER_BYTES - 1] {
        let error = refused(&bytes[..length]);
        assert_eq!(
            error,
            SnapshotError::Truncated {
                expected: HEADER_BYTES,
                found: length
            }
        );
    }
    for length in [
        HEADER_BYTES,
        HEADER_BYTES + 5,
        bytes.len() / 2,
        bytes.len() - 1,
    ] {
        let error = refused(&bytes[..length]);
        assert_eq!(
            error.to_string(),
            format!(
                "truncated snapshot: {length} bytes, but {} expected",
                bytes.len()
            )
        );
    }
}

#[test]
fn bytes_after_the_end_are_refused() {
    let mut bytes = sample_machine(RamSize::K8).save_state();
    bytes.push(0);
    let error = refused(&bytes);
    assert!(matches!(error, SnapshotError::TooLong { .. }), "{error}");
    assert!(error.to_string().contains("its header says"));
}

#[test]
fn every_flipped_bit_after_the_header_is_caught_by_the_checksum() {
    let bytes = sample_machine(RamSize::K8).save_state();
    let mut offset = HEADER_BYTES;
    while offset < bytes.len() {
        let mut damaged = bytes.clone();
        damaged[offset] ^= 1 << (offset % 8);
        let error = refused(&damaged);
        assert!(matches!(error, SnapshotError::Checksum { .. }), "{error}");
        assert!(error
            .to_string()
            .starts_with("corrupted snapshot: checksum mismatch"));
        offset += 97;
    }
    let mut damaged = bytes.clone();
    damaged[15] ^= 0x40;
    assert!(matches!(refused(&damaged), SnapshotError::Checksum { .. }));
}

#[test]
fn foreign_files_are_refused_and_named() {
    let mut wav = b"RIFF\x24\x00\x00\x00WAVEfmt ".to_vec();
    wav.resize(64, 0);
    let cases: [(&[u8], &str); 5] = [
        (&wav, "WAV recording"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "PNG picture"),
        (b"10 PRINT \"HELLO\"\n20 GOTO 10\n", "text file"),
        (b"<!DOCTYPE html><html>", "HTML page"),
        (&[0x00, 0xFF, 0x13, 0x37, 0x80, 0x81, 0x00], "signature"),
    ];
    for (bytes, named) in cases {
        let error = refused(bytes);
        assert!(matches!(error, SnapshotError::NotASnapshot { .. }));
        assert!(error.to_string().contains(named), "{error}");
    }
}

#[test]
fn newer_versions_are_refused_by_name() {
    let mut bytes = sample_machine(RamSize::K8).save_state();
    bytes[8..10].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    let error = refused(&bytes);
    assert_eq!(
        error,
        SnapshotError::NewerVersion {
            found: FORMAT_VERSION + 1,
            supported: FORMAT_VERSION
        }
    );
    assert!(error.to_string().contains("newer version of the emulator"));
    bytes[8..10].copy_from_slice(&0u16.to_le_bytes());
    assert!(refused(&bytes).to_string().contains("format version 0"));
}

#[test]
fn unknown_sections_critical_are_refused_ancillary_are_skipped() {
    let machine = sample_machine(RamSize::K8);
    let bytes = machine.save_state();
    let mut critical = bytes.clone();
    critical.extend_from_slice(b"ZZZZ\x02\x00\x00\x00ab");
    reseal(&mut critical);
    let error = refused(&critical);
    assert!(
        error.to_string().contains("\"ZZZZ\" is not known"),
        "{error}"
    );
    let mut ancillary = bytes.clone();
    ancillary.extend_from_slice(b"zzzz\x02\x00\x00\x00ab");
    reseal(&mut ancillary);
    let mut restored = target();
    restored
        .load_state(&ancillary)
        .expect("ancillary sections are skipped");
    assert_eq!(restored.save_state(), bytes);
}

#[test]
fn missing_and_repeated_sections_are_refused() {
    let bytes = sample_machine(RamSize::K8).save_state();
    let (cpu, length) = section(&bytes, b"CPU ");
    let mut missing = bytes[..cpu - 8].to_vec();
    missing.extend_from_slice(&bytes[cpu + length..]);
    reseal(&mut missing);
    assert!(refused(&missing)
        .to_string()
        .contains("section \"CPU\" at byte 18: missing"));
    let mut twice = bytes.clone();
    twice.extend_from_slice(&bytes[cpu - 8..cpu + length]);
    reseal(&mut twice);
    assert!(refused(&twice).to_string().contains("appears twice"));
}

#[test]
fn impossible_values_are_refused_with_their_place() {
    let bytes = sample_machine(RamSize::K8).save_state();
    let (mach, _) = section(&bytes, b"MACH");
    let mut ram_size = bytes.clone();
    ram_size[mach] = 16;
    reseal(&mut ram_size);
    assert_eq!(
        refused(&ram_size).to_string(),
        format!(
            "corrupted snapshot: section \"MACH\" at byte {}: 16 KB is not a RAM size (4, 8 or 32)",
            mach + 1
        )
    );
    let (cpu, _) = section(&bytes, b"CPU ");
    let mut status = bytes.clone();
    status[cpu + 4] |= 0x10;
    reseal(&mut status);
    assert!(refused(&status).to_string().contains("bit 4 (B) clear"));
}

#[test]
fn missing_user_roms_are_named() {
    // A machine with a changed monitor: an unrecognised user image.
    let mut roms = RomSet::open();
    roms.monitor[0] ^= 0xFF;
    let user = Machine::new(MachineConfig {
        ram: RamSize::K8,
        roms: roms.clone(),
    });
    let bytes = user.save_state();
    let error = refused(&bytes);
    let digest = superboard::roms::sha1_hex(&roms.monitor[..]);
    assert_eq!(
        error.to_string(),
        format!("this snapshot needs ROMs this machine does not have: monitor image with SHA-1 {digest}")
    );
    // Given the image, it loads; from_state finds ROMs among the candidates.
    let restored = Machine::from_state(&bytes, &[&roms]).expect("the ROM is there");
    assert_eq!(restored.board.roms(), roms);
    assert!(Machine::from_state(&bytes, &[&RomSet::open()]).is_err());

    // A known original BASIC and the open BASIC of another build, by crafting the digests.
    let open = sample_machine(RamSize::K8).save_state();
    let (roms_at, _) = section(&open, b"ROMS");
    let original = KNOWN_ROMS
        .iter()
        .find(|known| known.name == "basic.rom")
        .unwrap();
    let mut known = open.clone();
    known[roms_at] &= !0x01;
    for (i, pair) in original.sha1.as_bytes().chunks(2).enumerate() {
        known[roms_at + 1 + i] =
            u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap();
    }
    reseal(&mut known);
    let message = refused(&known).to_string();
    assert!(
        message.contains("BASIC basic.rom (OSI BASIC 1.0 rev 3.2, all four chips, SHA-1 8bdf8132"),
        "{message}"
    );
    assert!(
        message.contains("load your original ROMs first"),
        "{message}"
    );
    let mut other_build = open.clone();
    other_build[roms_at + 1] ^= 1;
    reseal(&mut other_build);
    let message = refused(&other_build).to_string();
    assert!(
        message.contains("the open BASIC of another build"),
        "{message}"
    );
}

#[test]
fn a_snapshot_of_open_roms_loads_into_a_machine_with_user_roms() {
    let bytes = sample_machine(RamSize::K32).save_state();
    let mut roms = RomSet::open();
    roms.chargen[8] ^= 0x3C;
    let mut machine = Machine::new(MachineConfig {
        ram: RamSize::K8,
        roms,
    });
    machine.load_state(&bytes).unwrap();
    assert_eq!(machine.board.roms(), RomSet::open());
    assert_eq!(machine.board.ram_bytes(), 32 * 1024);
    assert_eq!(machine.save_state(), bytes);
}

#[test]
fn the_hosts_sound_rate_is_kept_across_a_load() {
    let silent = sample_machine(RamSize::K8).save_state();
    let mut machine = target();
    machine.deck_mut().set_audio_rate(48_000);
    machine.load_state(&silent).unwrap();
    // Sound stays on: the restored machine carries a sound section at the host's rate.
    let (sound, _) = section(&machine.save_state(), b"snd ");
    let rate = machine.save_state()[sound..sound + 4].to_vec();
    assert_eq!(u32::from_le_bytes(rate.try_into().unwrap()), 48_000);
    // And a machine without sound ignores a snapshot's sound section.
    let with_sound = machine.save_state();
    let mut quiet = target();
    quiet.load_state(&with_sound).unwrap();
    assert!(quiet
        .save_state()
        .windows(4)
        .all(|window| window != b"snd "));
}

// --- The random and mutation harness ---------------------------------------------------------

/// Snapshots to mutate: BASIC booting, a tape playing in real time with sound, a recording, a
/// 32K machine mid-typing.
fn corpus() -> Vec<Vec<u8>> {
    let mut out = vec![sample_machine(RamSize::K8).save_state()];
    let mut playing = sample_machine(RamSize::K8);
    playing.deck_mut().set_audio_rate(8_000);
    playing.insert_tape(superboard::devices::tape::Tape::from_bytes(
        "t",
        b"ABC\r".repeat(8),
    ));
    playing.play_tape();
    playing.run_for(100_000);
    out.push(playing.save_state());
    let mut recording = sample_machine(RamSize::K8);
    recording.record_tape();
    recording.run_for(50_000);
    out.push(recording.save_state());
    let mut typing = sample_machine(RamSize::K32);
    typing.type_text("\n\n10 PRINT 1\n").unwrap();
    typing.run_for(300_000);
    out.push(typing.save_state());
    out
}

/// One random mutation of `bytes`.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let len = bytes.len();
    match rng.idx(9) {
        0 => {
            let at = rng.idx(len);
            bytes[at] ^= 1 << rng.idx(8);
        }
        1 => {
            let at = rng.idx(len);
            bytes[at] = rng.next() as u8;
        }
        2 => bytes.truncate(rng.idx(len)),
        3 => {
            let at = rng.idx(len);
            let n = 1 + rng.idx(16);
            bytes.splice(at..at, (0..n).map(|_| rng.next() as u8));
        }
        4 => {
            let at = rng.idx(len);
            let end = (at + 1 + rng.idx(64)).min(len);
            bytes.drain(at..end);
        }
        5 if len >= 8 => {
            // An interesting value somewhere.
            let at = rng.idx(len - 8);
            let value: u64 = [0, 1, 0x7F, 0x80, 0xFF, u64::MAX, 1 << 53, 1 << 63][rng.idx(8)];
            let width = [1, 2, 4, 8][rng.idx(4)];
            bytes[at..at + width].copy_from_slice(&value.to_le_bytes()[..width]);
        }
        6 => {
            // A section length.
            let mut pos = HEADER_BYTES;
            let mut starts = Vec::new();
            while pos + 8 <= bytes.len() {
                starts.push(pos);
                let length = u32::from_le_bytes(bytes[pos + 4..pos + 8].try_into().unwrap());
                pos += 8 + length as usize;
            }
            if let Some(&start) = starts.get(rng.idx(starts.len())) {
                let length = rng.next() as u32 % 70_000;
                bytes[start + 4..start + 8].copy_from_slice(&length.to_le_bytes());
            }
        }
        7 => {
            let at = rng.idx(len);
            bytes[at] = [0x80, 0xFF, 0x00, 0x01][rng.idx(4)];
        }
        _ => {
            let a = rng.idx(len);
            let b = rng.idx(len);
            bytes.swap(a, b);
        }
    }
}

#[test]
fn random_and_mutated_snapshots_never_panic() {
    let corpus = corpus();
    let mut rng = Rng(0x5EED_5A4E_0011);
    let mut accepted = 0;
    let mut host = target();
    host.deck_mut().set_audio_rate(8_000);
    for round in 0..1500 {
        let mut bytes = if round % 50 == 0 {
            // Pure noise, sometimes behind a valid signature.
            let n = rng.idx(300);
            let mut noise: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
            if round % 100 == 0 {
                noise.splice(0..0, MAGIC);
            }
            noise
        } else {
            corpus[rng.idx(corpus.len())].clone()
        };
        for _ in 0..1 + rng.idx(3) {
            if bytes.is_empty() {
                break;
            }
            mutate(&mut rng, &mut bytes);
        }
        // Mostly reseal, so the mutation reaches the section parsers past the CRC.
        if bytes.len() >= HEADER_BYTES && rng.idx(4) != 0 {
            reseal(&mut bytes);
        }
        let mut machine = if round % 8 == 0 {
            Machine::new(MachineConfig::default())
        } else {
            target()
        };
        if round % 3 == 0 {
            machine.deck_mut().set_audio_rate(8_000);
        }
        let before = machine.save_state();
        match machine.load_state(&bytes) {
            Ok(()) => {
                accepted += 1;
                // Whatever loads must run, make sound, and save to something that loads.
                machine.run_for(3_000);
                let mut sound = Vec::new();
                machine.drain_tape_audio(&mut sound);
                machine.render(ScreenView::Full);
                let again = machine.save_state();
                host.load_state(&again).expect("a re-saved snapshot loads");
            }
            Err(error) => {
                assert!(!error.to_string().is_empty());
                assert_eq!(machine.save_state(), before);
            }
        }
    }
    // Some mutations (RAM bytes, register values) are valid states: the harness reached the
    // end of the loader, not just its first checks.
    assert!(
        accepted > 20,
        "only {accepted} mutated snapshots were accepted"
    );
}
