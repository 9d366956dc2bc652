//! The chips on the Superboard II besides the CPU and memories, one module per part.
//!
//! Every device shares one vocabulary: `read` (may have side effects), `peek` (never does),
//! `write`, and — for chips with their own sense of time — `advance_to(cycle)` to catch up lazily
//! with the board's cycle counter.

pub mod keyboard;
pub mod mc6850;
pub mod serial;
pub mod tape;
pub mod video;
