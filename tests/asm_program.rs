//! Programs built with our assembler, run on our CPU over flat RAM: a real program that
//! computes things, and the opcode table's cycle counts checked against the CPU.

use superboard::cpu::{Cpu, FlatRam};
use superboard_asm::opcodes::{Mode, OPCODES};
use superboard_asm::{assemble_source, render_all, Options};

const PROGRAM: &str = r#"
; Computes three things and stores them for the test to read:
;   PRIMES  number of primes below 256 (sieve of Eratosthenes)
;   PRODUCT NUM1 * NUM2 as a 16-bit number (shift and add)
;   SORTED  the DATA table sorted ascending (bubble sort)
SIEVE   = $0400         ; 256 flags: 0 = prime candidate
PTR     = $F0           ; 2 bytes
NUM1    = $F2
NUM2    = $F3
PRODUCT = $F4           ; 2 bytes
PRIMES  = $F6
SWAPPED = $F7
SORTED  = $0500
N_DATA  = data_end - data

.macro  set16 addr, value
        lda #<value
        sta addr
        lda #>value
        sta addr+1
.endmacro

        .org $0200
reset:  ldx #$FF
        txs
        cld
        jsr sieve
        lda #200
        sta NUM1
        lda #123
        sta NUM2
        jsr multiply
        jsr sort
done:   jmp done

; Sieve: clears SIEVE, then marks multiples of each candidate from 2 up; counts the primes.
sieve:  lda #0
        tax
@clear: sta SIEVE,x
        inx
        bne @clear
        sta PRIMES
        ldx #2
@next:  lda SIEVE,x
        bne @skip
        inc PRIMES
        txa                 ; mark x*2, x*3, ... below 256
@mark:  stx PTR
        clc
        adc PTR
        bcs @skip
        tay
        lda #1
        sta SIEVE,y
        tya
        jmp @mark
@skip:  inx
        bne @next
        rts

; PRODUCT = NUM1 * NUM2. Clobbers A, X; NUM2 is consumed.
multiply:
        set16 PRODUCT, 0
        ldx #8
@loop:  lsr NUM2
        bcc @noadd
        clc
        lda PRODUCT+1
        adc NUM1
        sta PRODUCT+1
@noadd: ror PRODUCT+1
        ror PRODUCT
        dex
        bne @loop
        rts

; Copies DATA to SORTED and bubble-sorts it.
sort:   ldx #N_DATA-1
@copy:  lda data,x
        sta SORTED,x
        dex
        bpl @copy
@pass:  lda #0
        sta SWAPPED
        ldx #0
@cmp:   lda SORTED,x
        cmp SORTED+1,x
        bcc @inorder
        beq @inorder
        tay
        lda SORTED+1,x
        sta SORTED,x
        tya
        sta SORTED+1,x
        inc SWAPPED
@inorder:
        inx
        cpx #N_DATA-1
        bne @cmp
        lda SWAPPED
        bne @pass
        rts

data:   .byte 42, 7, 255, 0, 19, 19, 128, 3, 'z', 'a'
data_end:
        .assert N_DATA = 10, "ten data bytes"

        .org $FFFC
        .word reset, reset
"#;

fn run_until_self_loop(cpu: &mut Cpu, ram: &mut FlatRam, max_steps: usize) -> u16 {
    for _ in 0..max_steps {
        let pc = cpu.pc;
        cpu.step(ram);
        if cpu.pc == pc {
            return pc;
        }
    }
    panic!("no self-loop after {max_steps} steps; pc = ${:04X}", cpu.pc);
}

#[test]
fn assembled_program_computes_on_the_cpu() {
    let a = assemble_source("program.asm", PROGRAM, &Options::default())
        .unwrap_or_else(|d| panic!("{}", render_all(&d)));
    let mut ram = FlatRam::new();
    let (lo, hi) = a.range().unwrap();
    assert!(ram.load(lo, &a.image(lo, hi, 0).unwrap()));
    let mut cpu = Cpu::new();
    let stop = run_until_self_loop(&mut cpu, &mut ram, 1_000_000);
    assert_eq!(i64::from(stop), a.symbol("done").unwrap());
    let peek = |addr: u16| ram.mem[usize::from(addr)];
    assert_eq!(peek(0xF6), 54, "primes below 256");
    assert_eq!(u16::from_le_bytes([peek(0xF4), peek(0xF5)]), 200 * 123);
    let sorted: Vec<u8> = (0..10).map(|i| peek(0x0500 + i)).collect();
    assert_eq!(sorted, vec![0, 3, 7, 19, 19, 42, b'a', b'z', 128, 255]);
}

/// Runs one instruction at $0200 and returns the cycles it took.
fn cycles_of(code: u8, x: u8, y: u8, p: u8, at: u16, operand: [u8; 2]) -> u32 {
    let mut ram = FlatRam::new();
    ram.mem[0xFFFC] = at as u8;
    ram.mem[0xFFFD] = (at >> 8) as u8;
    let a = usize::from(at);
    ram.mem[a] = code;
    ram.mem[a + 1] = operand[0];
    ram.mem[a + 2] = operand[1];
    // Pointer for (zp,X) and (zp),Y at $10/$11 and, for X = $FF, at $0F/$10.
    ram.mem[0x0F] = 0x10;
    ram.mem[0x10] = 0x10;
    ram.mem[0x11] = 0x30;
    let mut cpu = Cpu::new();
    cpu.step(&mut ram); // reset sequence
    cpu.x = x;
    cpu.y = y;
    cpu.p = p;
    cpu.step(&mut ram)
}

#[test]
fn table_cycle_counts_match_the_cpu() {
    const NOT_FLAGS: u8 = 0x24; // U and I only: N V Z C clear
    const ALL_FLAGS: u8 = 0xE7; // N V U I Z C set
    for op in OPCODES.iter().filter(|o| o.mnemonic != "JAM") {
        let code = op.code;
        if op.mode == Mode::Relative {
            // In page: not taken 2, taken 3. Across a page: taken 4.
            let mut near = [
                cycles_of(code, 0, 0, NOT_FLAGS, 0x0200, [0x10, 0]),
                cycles_of(code, 0, 0, ALL_FLAGS, 0x0200, [0x10, 0]),
            ];
            near.sort();
            assert_eq!(near, [2, 3], "{} ${code:02X}", op.mnemonic);
            let mut far = [
                cycles_of(code, 0, 0, NOT_FLAGS, 0x02F0, [0x7F, 0]),
                cycles_of(code, 0, 0, ALL_FLAGS, 0x02F0, [0x7F, 0]),
            ];
            far.sort();
            assert_eq!(far, [2, 4], "{} ${code:02X} crossing", op.mnemonic);
            continue;
        }
        let base = cycles_of(code, 0, 0, NOT_FLAGS, 0x0200, [0x10, 0x30]);
        assert_eq!(
            base,
            u32::from(op.cycles),
            "{} ${code:02X} {:?}",
            op.mnemonic,
            op.mode
        );
        if matches!(op.mode, Mode::AbsoluteX | Mode::AbsoluteY | Mode::IndirectY) {
            let crossing = cycles_of(code, 0xFF, 0xFF, NOT_FLAGS, 0x0200, [0x10, 0x30]);
            let expected = u32::from(op.cycles) + u32::from(op.page_penalty);
            assert_eq!(
                crossing, expected,
                "{} ${code:02X} {:?} crossing a page",
                op.mnemonic, op.mode
            );
        }
    }
}
