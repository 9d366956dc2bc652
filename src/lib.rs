//! # superboard — an Ohio Scientific Superboard II emulator
//!
//! A cycle-exact NMOS 6502 ([`cpu`]), the Superboard II board and its devices, the Kansas City
//! Standard cassette format, the open ROMs built from `rom/` at build time, and a reader for the
//! BASIC program in memory ([`basic`]). The same crate compiles natively (CLI, tests) and to
//! WebAssembly (the page). [`snapshot`] saves and restores the whole machine.

pub mod basic;
pub mod batch;
pub mod board;
pub mod console;
pub mod cpu;
pub mod debugger;
pub mod devices;
pub mod kcs;
pub mod machine;
pub mod roms;
pub mod snapshot;
pub mod typist;
#[cfg(target_arch = "wasm32")]
pub mod web;
#[cfg(target_arch = "wasm32")]
mod web_debug;
