; ============================================================================
; basic.asm - INTERIM top file of the 8 KB BASIC image ($A000-$BFFF)
;
; Stands in until the open BASIC interpreter lands (the basic helper replaces
; this file). It keeps the BASIC image's fixed entry points working so the
; monitor can be built and tested:
;   $BD11  cold start: says that BASIC is not built yet, waits for a key and
;          returns to the monitor's prompt; leaves JMP BASIC_COLD at $0000
;          so the monitor's `W` repeats the message
;   $A636  break entry (JMP with A = 3): says BREAK, waits for a key and
;          returns to the monitor's prompt
;   $BF2D  the screen driver, rom/screen.asm
; ============================================================================

INTERIM_BASIC   = 1             ; marks this stand-in image (tests/monitor.rs)
MONITOR_RESET   = $FF00
GETCHAR         = $FFEB         ; monitor: input through the page-2 vector
PUTCHAR         = $FFEE         ; monitor: output through the page-2 vector
WARM_JMP        = $0000         ; JMP opcode + address, for the monitor's `W`
OP_JMP          = $4C

        .org $A000

        .org $A636

; BASIC_BREAK ($A636) - Ctrl-C from the monitor's check arrives here.
; In: A = 3  Never returns.
BASIC_BREAK:
        LDX #BREAK_TEXT - MESSAGES
        JMP SAY_AND_RETURN

        .org $BD11

; BASIC_COLD ($BD11) - cold start. Never returns.
BASIC_COLD:
        LDA #OP_JMP
        STA WARM_JMP
        LDA #<BASIC_COLD
        STA WARM_JMP + 1
        LDA #>BASIC_COLD
        STA WARM_JMP + 2
        LDX #COLD_TEXT - MESSAGES
        ; fall through

; SAY_AND_RETURN - print the zero-terminated message at MESSAGES + X, wait
; for a key and restart the monitor.
; In: X = message offset  Never returns.
SAY_AND_RETURN:
        LDA MESSAGES,X
        BEQ @wait
        JSR PUTCHAR
        INX
        BNE SAY_AND_RETURN
@wait:  JSR GETCHAR
        JMP MONITOR_RESET

MESSAGES:
COLD_TEXT:
        .byte $0D, $0A, "OPEN BASIC NOT BUILT"
        .byte $0D, $0A, "YET - PRESS A KEY"
        .byte $0D, $0A, "FOR THE MONITOR", 0
BREAK_TEXT:
        .byte $0D, $0A, "BREAK", 0

        .org $BF2D
        .include "../screen.asm"

        .assert * <= $C000, "the screen driver overflows the BASIC image"
