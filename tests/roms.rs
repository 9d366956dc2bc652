//! ROM loading and SHA-1 identification, with synthetic files in a temporary directory.

use std::fs;
use std::path::PathBuf;

use superboard::roms::{
    identify_digest, sha1_hex, RomError, RomFiles, RomPart, RomSet, KNOWN_ROMS,
};

/// A fresh, empty directory under the system temp dir, unique to this test.
fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("superboard-roms-{}-{}", std::process::id(), test));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn blank_set() -> RomSet {
    RomSet {
        basic: Box::new([0xEE; 8192]),
        monitor: Box::new([0xEE; 2048]),
        chargen: Box::new([0xEE; 2048]),
    }
}

#[test]
fn sha1_matches_known_digests() {
    assert_eq!(sha1_hex(b""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    assert_eq!(sha1_hex(b"abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
    assert_eq!(
        sha1_hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
        "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
    );
    assert_eq!(
        sha1_hex(&vec![b'a'; 1_000_000]),
        "34aa973cd4c4daa4f61eeb2bdbad27316534016f"
    );
}

#[test]
fn known_table_is_consistent() {
    for known in KNOWN_ROMS {
        assert_eq!(known.sha1.len(), 40);
        assert_eq!(identify_digest(&known.sha1.to_uppercase()), Some(&known));
    }
    assert_eq!(
        identify_digest("4a0241c4015b94c436d0f0f58b3dd9d5207cd847").map(|k| k.part),
        Some(RomPart::Monitor)
    );
    assert_eq!(identify_digest(&sha1_hex(&[0u8; 2048])), None);
}

#[test]
fn named_files_of_the_right_size_are_loaded_as_unrecognised() {
    let dir = temp_dir("named");
    fs::write(dir.join("mon.bin"), [0x11u8; 2048]).unwrap();
    fs::write(dir.join("font.bin"), [0x22u8; 2048]).unwrap();
    fs::write(dir.join("basic.bin"), [0x33u8; 8192]).unwrap();
    let files = RomFiles {
        basic: vec![dir.join("basic.bin")],
        monitor: Some(dir.join("mon.bin")),
        chargen: Some(dir.join("font.bin")),
        ..RomFiles::default()
    };
    let (set, report) = RomSet::load(&files, blank_set()).unwrap();
    assert_eq!(set.monitor[0], 0x11);
    assert_eq!(set.chargen[2047], 0x22);
    assert_eq!(set.basic[8191], 0x33);
    assert_eq!(report.monitor, "mon.bin (unrecognised)");
    assert_eq!(report.basic, "basic.bin (unrecognised)");
}

#[test]
fn parts_not_given_come_from_the_fallback_set() {
    let dir = temp_dir("mix");
    fs::write(dir.join("mon.bin"), [0x11u8; 2048]).unwrap();
    let files = RomFiles {
        monitor: Some(dir.join("mon.bin")),
        ..RomFiles::default()
    };
    let (set, report) = RomSet::load(&files, blank_set()).unwrap();
    assert_eq!(set.monitor[0], 0x11);
    assert_eq!(set.basic[0], 0xEE);
    assert_eq!(set.chargen[0], 0xEE);
    assert_eq!(report.basic, "open");
    assert_eq!(report.chargen, "open");
}

#[test]
fn wrong_sizes_are_errors_naming_the_file_and_the_size() {
    let dir = temp_dir("sizes");
    fs::write(dir.join("short.bin"), [0u8; 2047]).unwrap();
    fs::write(dir.join("basic.bin"), [0u8; 4096]).unwrap();
    let files = RomFiles {
        monitor: Some(dir.join("short.bin")),
        ..RomFiles::default()
    };
    let error = RomSet::load(&files, blank_set()).unwrap_err();
    assert!(matches!(error, RomError::WrongSize { found: 2047, .. }));
    let message = error.to_string();
    assert!(message.contains("short.bin"), "{message}");
    assert!(message.contains("2048"), "{message}");

    let files = RomFiles {
        basic: vec![dir.join("basic.bin")],
        ..RomFiles::default()
    };
    let message = RomSet::load(&files, blank_set()).unwrap_err().to_string();
    assert!(
        message.contains("basic.bin") && message.contains("8192"),
        "{message}"
    );

    fs::write(dir.join("huge.bin"), vec![0u8; 100_000]).unwrap();
    let files = RomFiles {
        monitor: Some(dir.join("huge.bin")),
        ..RomFiles::default()
    };
    assert!(matches!(
        RomSet::load(&files, blank_set()),
        Err(RomError::WrongSize { found: 100_000, .. })
    ));

    let files = RomFiles {
        chargen: Some(dir.join("missing.bin")),
        ..RomFiles::default()
    };
    let message = RomSet::load(&files, blank_set()).unwrap_err().to_string();
    assert!(message.contains("missing.bin"), "{message}");
}

#[test]
fn basic_as_four_chips_in_address_order() {
    let dir = temp_dir("chips");
    let paths: Vec<PathBuf> = (0..4)
        .map(|index| {
            let path = dir.join(format!("chip{index}.bin"));
            fs::write(&path, [index as u8 + 1; 2048]).unwrap();
            path
        })
        .collect();
    let files = RomFiles {
        basic: paths.clone(),
        ..RomFiles::default()
    };
    let (set, report) = RomSet::load(&files, blank_set()).unwrap();
    assert_eq!(
        [
            set.basic[0],
            set.basic[0x800],
            set.basic[0x1000],
            set.basic[0x1FFF]
        ],
        [1, 2, 3, 4]
    );
    assert!(
        report.basic.contains("chip3.bin (unrecognised)"),
        "{}",
        report.basic
    );

    let files = RomFiles {
        basic: paths[..3].to_vec(),
        ..RomFiles::default()
    };
    assert!(matches!(
        RomSet::load(&files, blank_set()),
        Err(RomError::BasicChipCount { count: 3 })
    ));

    fs::write(&paths[2], [0u8; 100]).unwrap();
    let files = RomFiles {
        basic: paths,
        ..RomFiles::default()
    };
    let message = RomSet::load(&files, blank_set()).unwrap_err().to_string();
    assert!(
        message.contains("chip2.bin") && message.contains("2048"),
        "{message}"
    );
}

#[test]
fn a_directory_is_searched_by_size_and_name() {
    let dir = temp_dir("dir");
    fs::write(dir.join("basus01.u9"), [1u8; 2048]).unwrap();
    fs::write(dir.join("basus02.u10"), [2u8; 2048]).unwrap();
    fs::write(dir.join("basus03.u11"), [3u8; 2048]).unwrap();
    fs::write(dir.join("basus04.u12"), [4u8; 2048]).unwrap();
    fs::write(dir.join("monitor.rom"), [5u8; 2048]).unwrap();
    fs::write(dir.join("README.txt"), b"not a rom").unwrap();
    fs::write(dir.join("mystery.bin"), [6u8; 2048]).unwrap();
    let files = RomFiles {
        dir: Some(dir.clone()),
        ..RomFiles::default()
    };
    let (set, report) = RomSet::load(&files, blank_set()).unwrap();
    assert_eq!(
        [
            set.basic[0],
            set.basic[0x800],
            set.basic[0x1000],
            set.basic[0x1800]
        ],
        [1, 2, 3, 4]
    );
    assert_eq!(set.monitor[0], 5);
    assert_eq!(
        set.chargen[0], 0xEE,
        "no chargen in the directory: fallback"
    );
    assert_eq!(report.monitor, "monitor.rom (unrecognised)");
    assert_eq!(report.chargen, "open");

    // Two different monitors in one directory are ambiguous.
    fs::write(dir.join("syn600.rom"), [7u8; 2048]).unwrap();
    let message = RomSet::load(&files, blank_set()).unwrap_err().to_string();
    assert!(message.contains("monitor"), "{message}");
    fs::remove_file(dir.join("syn600.rom")).unwrap();

    // A named file overrides the directory.
    let elsewhere = temp_dir("dir-override");
    fs::write(elsewhere.join("other-mon.bin"), [9u8; 2048]).unwrap();
    let files = RomFiles {
        dir: Some(dir.clone()),
        monitor: Some(elsewhere.join("other-mon.bin")),
        ..RomFiles::default()
    };
    let (set, _) = RomSet::load(&files, blank_set()).unwrap();
    assert_eq!(set.monitor[0], 9);
}

#[test]
fn a_directory_with_some_basic_chips_missing_is_an_error() {
    let dir = temp_dir("partial");
    fs::write(dir.join("basus01.u9"), [1u8; 2048]).unwrap();
    fs::write(dir.join("basus03.u11"), [3u8; 2048]).unwrap();
    let files = RomFiles {
        dir: Some(dir),
        ..RomFiles::default()
    };
    let message = RomSet::load(&files, blank_set()).unwrap_err().to_string();
    assert!(
        message.contains("U10") && message.contains("U9, U11"),
        "{message}"
    );
}

#[test]
fn a_missing_directory_is_an_error_naming_it() {
    let dir = temp_dir("gone").join("nope");
    let files = RomFiles {
        dir: Some(dir),
        ..RomFiles::default()
    };
    let message = RomSet::load(&files, blank_set()).unwrap_err().to_string();
    assert!(message.contains("nope"), "{message}");
}
