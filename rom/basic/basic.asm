; basic.asm -- top file of the open 8K BASIC for the Superboard II ($A000-$BFFF).
;
; Written from scratch against the published behaviour of OSI BASIC 1.0 rev 3.2
; (docs/hardware.md §6, §7, §9): same tokens, program and variable layout, zero page and messages.
; Fixed addresses other ROMs and programs rely on:
;   $A636  break entry (the monitor's Ctrl-C check jumps here with A = 3)
;   $BD11  cold start
;   $BF2D  screen driver (rom/screen.asm)
; $0000 holds JMP warm start after a cold start.
; The modules are placed around the two fixed entry points so little space is lost:
;   $A000-$A635  tables, tokenizer, I/O (tokens.asm, io.asm)
;   $A639-$BD10  statements, evaluator, strings, then the float package (float.asm, math.asm)
;   $BD14-$BF2C  cold start and program-line editing (init.asm, editor.asm)
; The asserts below fail the build if any region overflows.

BREAK_ADDR      = $A636
COLD_ADDR       = $BD11
SCREEN_ADDR     = $BF2D

        .include "defs.asm"

        .org $A000
        .include "tokens.asm"
        .include "io.asm"
END_LOW:
        .assert * <= BREAK_ADDR, "code before the break entry overlaps $A636"
        .res BREAK_ADDR-*, $FF
BREAK_ENTRY:                            ; A = 3 from the monitor: BREAK [IN nnnn], CONT allowed
        sec
        jmp ENDSTOP
        .include "statements.asm"
        .include "eval.asm"
        .include "strings.asm"
        .include "float.asm"
        .include "math.asm"
END_MID:
        .assert * <= COLD_ADDR, "code overlaps the cold start at $BD11"
        .res COLD_ADDR-*, $FF
COLD_ENTRY:
        jmp COLD
        .include "init.asm"
        .include "editor.asm"
END_HIGH:
        .assert * <= SCREEN_ADDR, "code overlaps the screen driver at $BF2D"
        .res SCREEN_ADDR-*, $FF
        .include "../screen.asm"
