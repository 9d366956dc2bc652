//! The CPU benchmark workload, shared by `superboard bench` and `benches/cpu.rs`.
//!
//! A never-ending loop that mixes what a BASIC interpreter does: a 256-byte block copy with
//! abs,Y addressing, a checksum through a (zp),Y pointer with ADC and a carry branch,
//! 64 JSR/RTS calls into a routine with shifts, rotates, logic, stack pushes and zp,X / abs,Y
//! accesses, and a compare-and-decrement scan with abs,X read-modify-write. Hand-assembled; the
//! listing is in the comments (address, label, instruction).

/// Where [`PROGRAM`] is loaded and where execution starts.
pub const LOAD_ADDR: u16 = 0x0400;

/// The workload's machine code, to be loaded at [`LOAD_ADDR`] in flat RAM.
#[rustfmt::skip]
pub const PROGRAM: [u8; 109] = [
    0xA2, 0xFF,              // $0400 start: LDX #$FF
    0x9A,                    // $0402 TXS
    0xA0, 0x00,              // $0403 LDY #$00
    0x98,                    // $0405 init: TYA
    0x99, 0x00, 0x10,        // $0406 STA $1000,Y
    0xC8,                    // $0409 INY
    0xD0, 0xF9,              // $040A BNE init
    0xA0, 0x00,              // $040C outer: LDY #$00
    0xB9, 0x00, 0x10,        // $040E copy: LDA $1000,Y
    0x99, 0x00, 0x20,        // $0411 STA $2000,Y
    0xC8,                    // $0414 INY
    0xD0, 0xF7,              // $0415 BNE copy
    0xA9, 0x00,              // $0417 LDA #$00
    0x85, 0x10,              // $0419 STA $10
    0x85, 0x20,              // $041B STA $20
    0x85, 0x21,              // $041D STA $21
    0xA9, 0x20,              // $041F LDA #$20
    0x85, 0x11,              // $0421 STA $11
    0xA0, 0x00,              // $0423 LDY #$00
    0x18,                    // $0425 sum: CLC
    0xB1, 0x10,              // $0426 LDA ($10),Y
    0x65, 0x20,              // $0428 ADC $20
    0x85, 0x20,              // $042A STA $20
    0x90, 0x02,              // $042C BCC nocarry
    0xE6, 0x21,              // $042E INC $21
    0xC8,                    // $0430 nocarry: INY
    0xD0, 0xF2,              // $0431 BNE sum
    0xA2, 0x40,              // $0433 LDX #$40
    0x20, 0x50, 0x04,        // $0435 calls: JSR mix
    0xCA,                    // $0438 DEX
    0xD0, 0xFA,              // $0439 BNE calls
    0xA2, 0x00,              // $043B LDX #$00
    0xBD, 0x00, 0x20,        // $043D scan: LDA $2000,X
    0xC9, 0x80,              // $0440 CMP #$80
    0x90, 0x03,              // $0442 BCC small
    0xDE, 0x00, 0x20,        // $0444 DEC $2000,X
    0xE8,                    // $0447 small: INX
    0xD0, 0xF3,              // $0448 BNE scan
    0xEE, 0x00, 0x10,        // $044A INC $1000
    0x4C, 0x0C, 0x04,        // $044D JMP outer
    0xA5, 0x30,              // $0450 mix: LDA $30
    0x0A,                    // $0452 ASL A
    0x26, 0x31,              // $0453 ROL $31
    0x45, 0x31,              // $0455 EOR $31
    0x46, 0x32,              // $0457 LSR $32
    0x69, 0x35,              // $0459 ADC #$35
    0x85, 0x30,              // $045B STA $30
    0x48,                    // $045D PHA
    0x8A,                    // $045E TXA
    0x29, 0x0F,              // $045F AND #$0F
    0xA8,                    // $0461 TAY
    0x68,                    // $0462 PLA
    0x99, 0x00, 0x03,        // $0463 STA $0300,Y
    0xB5, 0x20,              // $0466 LDA $20,X
    0x05, 0x32,              // $0468 ORA $32
    0x85, 0x32,              // $046A STA $32
    0x60,                    // $046C RTS
];
