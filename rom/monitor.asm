; ============================================================================
; monitor.asm - the open Superboard II monitor ROM (2 KB at $F800-$FFFF)
;
; A clean-room replacement for the SYN600 monitor, written from the interface
; facts in docs/hardware.md sections 4-6 and 9. It provides:
;   - the reset sequence at $FF00 and the "C/W/M ?" prompt;
;   - the BASIC I/O glue: input, output, Ctrl-C check, LOAD and SAVE, reached
;     through the page-2 vectors $0218-$0221 and the fixed JMPs at $FFEB-$FFF7;
;   - the keyboard poller at $FD00 (debounce, auto-repeat, shift rules);
;   - the 65V machine-language monitor at $FE00 (keyboard or cassette input);
;   - the small ACIA and keyboard helpers third-party programs call.
; Every routine that programs are known to call sits at its documented
; address; the remaining code fills the gaps between them. Only the top 1 KB
; ($FC00-$FFFF) is used, because a stock Superboard may not decode the lower
; half of the socket. Text output goes through the BASIC ROM's screen driver
; at $BF2D (rom/screen.asm), as on the original machine.
; ============================================================================

; ---- Page 1: interrupt handlers live in RAM ---------------------------------
NMI_HANDLER     = $0130         ; NMI vector target (user code in the stack page)
IRQ_HANDLER     = $01C0         ; IRQ/BRK vector target
STACK_TOP       = $28           ; S after reset: the stack stays below $0130

; ---- Page 2: monitor and screen-driver variables (docs/hardware.md section 6) ----
CURSOR          = $0200         ; cursor offset within the last screen page
LOAD_FLAG       = $0203         ; bit 7 set: input comes from the ACIA
SAVE_FLAG       = $0205         ; nonzero: output is copied to the ACIA
PRINT_DELAY     = $0206         ; screen driver delay count per character
CTRLC_DISABLE   = $0212         ; nonzero: the Ctrl-C check returns at once
KBD_RESULT      = $0213         ; keyboard: raw code, then the final ASCII code
KBD_COUNT       = $0214         ; keyboard: passes left until accept/repeat
KBD_CAND        = $0215         ; keyboard: raw code seen on the previous pass
KBD_LAST        = $0216         ; keyboard: raw code last accepted (0 = none)
VECTORS         = $0218         ; five I/O vectors, copied from DEFAULT_VECTORS
VEC_INPUT       = $0218
VEC_OUTPUT      = $021A
VEC_CTRLC       = $021C
VEC_LOAD        = $021E
VEC_SAVE        = $0220
VECTOR_BYTES    = 10

; ---- Zero page used by the 65V monitor ------------------------------------
MON_SOURCE      = $FB           ; 0 = keyboard input, nonzero = ACIA input
MON_DATA        = $FC           ; data byte shown in the display
MON_DIGIT       = $FD           ; scratch: the hex digit being shifted in
MON_ADDR        = $FE           ; current address, low byte ($FF = high byte)

; ---- Hardware --------------------------------------------------------------
VIDEO           = $D000         ; 32 x 32 characters, 1 KB
MON_DISPLAY     = $D0C6         ; "AAAA  DD" at row 6, column 6
KBD_PORT        = $DF00         ; write: row select (0 = selected), read: columns
ACIA_STATUS     = $F000         ; read: status, write: control
ACIA_CONTROL    = $F000
ACIA_DATA       = $F001
RDRF            = $01           ; status: receive data register full
TDRE            = $02           ; status: transmit data register empty
ACIA_MASTER_RESET = $03         ; control: master reset
ACIA_MODE       = $11           ; control: /16, 8 data bits, 2 stop, no IRQ

; ---- BASIC ROM entry points (docs/hardware.md section 9) -------------------------
BASIC_COLD      = $BD11
BASIC_BREAK     = $A636         ; entered by JMP with A = 3
BASIC_WARM_JMP  = $0000         ; BASIC's cold start leaves a JMP here
SCREEN_OUT      = $BF2D         ; screen driver: prints A, keeps A, X, Y

; ---- Keyboard matrix (docs/hardware.md section 4), masks as read (1 = down) -----
ROW0            = $01           ; row-select masks given to KBD_SELECT_ROW
ROW1            = $02
ROW2            = $04
MOD_SHIFT_LOCK  = $01           ; row 0 columns
MOD_RIGHT_SHIFT = $02
MOD_LEFT_SHIFT  = $04
MOD_ESC         = $20
MOD_CTRL        = $40
KEY_SPACE_BIT   = $10           ; row 1
KEY_C_BIT       = $40           ; row 2
SHIFT_DOWN_FLAG = $80           ; key table: shifted code is code - $10

; ---- Keyboard timing (CPU cycles at 983,040 Hz) ----------------------------
; One pass that sees the held key again costs about 5,130 cycles (a scan of
; about 460 plus KBD_DELAY), so 150 passes put the first repeat about
; 798,000 cycles (0.8 s) after the key was accepted and 20 passes give a
; repeat every 102,600 cycles (9.6 per second), matching the original's
; measured 795,000 and 102,500 (docs/hardware.md section 4 step 6).
DEBOUNCE_PASSES = 2             ; seen on 3 consecutive passes = accepted
FIRST_REPEAT_PASSES = 150
NEXT_REPEAT_PASSES  = 20
DELAY_OUTER     = 4             ; KBD_DELAY: 4 x (5 x DELAY_INNER + 6) cycles
DELAY_INNER     = 253

; ---- Characters ---------------------------------------------------------
CR              = $0D
ESC             = $1B
SPACE           = ' '

; ============================================================================
; $F800-$FBFF: unused (image fill $FF). $FC00: routines with no fixed address
; ============================================================================
        .org $F800
        .org $FC00

; CLEAR_SCREEN - fill video RAM $D000-$D3FF with spaces.
; In: -  Out: A = ' ', X = 0  Clobbers: A, X, flags
CLEAR_SCREEN:
        LDA #SPACE
        LDX #0
@fill:  STA VIDEO,X
        STA VIDEO+$100,X
        STA VIDEO+$200,X
        STA VIDEO+$300,X
        INX
        BNE @fill
        RTS

; SAVE_BODY - the default SAVE routine (reached from SAVE at $FF96):
; turn on copying of output to the ACIA.
; In: -  Out: SAVE_FLAG = 1  Clobbers: A, flags
SAVE_BODY:
        LDA #1
        STA SAVE_FLAG
        RTS

; MON_GETC - the 65V monitor's input: the keyboard, or the ACIA (7 bits)
; once `L` was typed.
; In: MON_SOURCE  Out: A = character  Clobbers: A, flags (X, Y kept)
MON_GETC:
        LDA MON_SOURCE
        BEQ @keyboard
        JMP ACIA_READ7
@keyboard:
        JMP KEYBOARD

; MON_SHOW_CURRENT - load the byte at the current address and show the
; address and the byte.
; In: MON_ADDR  Out: MON_DATA = byte at MON_ADDR  Clobbers: A, X, Y, flags
MON_SHOW_CURRENT:
        LDY #0
        LDA (MON_ADDR),Y
        STA MON_DATA
        JMP MON_SHOW

; KBD_SCAN - one scan of the keyboard matrix.
; Row 0 holds the modifiers and is skipped, except that SHIFT LOCK + ESC and
; nothing else there is the ESC key. Otherwise the first of rows 1-7 with a
; key down decides; two keys down in that row count as no key, and column 0
; of rows 1-7 is ignored.
; In: -  Out: A = raw code (key table entry, bit 7 = shift-down flag), 0 and
;         Z set when no key  Clobbers: A, Y, KBD_RESULT, flags
KBD_SCAN:
        LDA #ROW0
        JSR KBD_SELECT_ROW
        JSR KBD_READ_COLS
        CMP #MOD_SHIFT_LOCK | MOD_ESC
        BNE @rows
        LDA #ESC
        RTS
@rows:  LDY #0                  ; Y = table index of the row's column 1
        LDA #ROW1
@row:   STA KBD_RESULT          ; row mask being scanned
        JSR KBD_SELECT_ROW
        JSR KBD_READ_COLS
        AND #$FE                ; column 0 has no key in rows 1-7
        BNE @found
        TYA
        CLC
        ADC #7
        TAY
        LDA KBD_RESULT
        ASL A                   ; next row; 0 after row 7 = no key
        BNE @row
        RTS
@found: LSR A                   ; drop column 0
@column:
        LSR A                   ; lowest key down -> carry
        BCS @key
        INY
        BNE @column
@key:   BNE @none               ; a second key in the same row
        LDA KEY_TABLE,Y
        RTS
@none:  LDA #0
        RTS

PROMPT_TEXT:
        .byte "C/W/M ?"
PROMPT_LENGTH = * - PROMPT_TEXT

        .assert * <= ACIA_INIT, "free code overlaps ACIA_INIT at $FCA6"

; ============================================================================
; $FCA6-$FCD4: ACIA and keyboard-port helpers (fixed addresses)
; ============================================================================
        .org $FCA6

; ACIA_INIT ($FCA6) - master-reset the ACIA, then set 8N2, /16, no IRQ.
; In: -  Out: -  Clobbers: A, flags
ACIA_INIT:
        LDA #ACIA_MASTER_RESET
        STA ACIA_CONTROL
        LDA #ACIA_MODE
        STA ACIA_CONTROL
        RTS

; ACIA_SEND ($FCB1) - transmit A once the transmitter is empty.
; In: A = byte  Out: A kept  Clobbers: flags
ACIA_SEND:
        PHA
@wait:  LDA ACIA_STATUS
        LSR A
        LSR A                   ; C = TDRE
        BCC @wait
        PLA
        STA ACIA_DATA
        RTS

        .assert * <= KBD_SELECT_ROW, "ACIA_SEND overlaps $FCBE"
        .org $FCBE

; KBD_SELECT_ROW ($FCBE) - select keyboard rows.
; In: A = row mask, 1 bits select (inverted here: the port selects with 0)
; Out: A = value written  Clobbers: A, flags
KBD_SELECT_ROW:
        EOR #$FF
        STA KBD_PORT
        RTS

        .org $FCC6

; KBD_READ_COLS_X ($FCC6) - read the selected rows' columns, 1 = key down.
; In: -  Out: X = columns, N/Z set from X, A kept  Clobbers: X, flags
KBD_READ_COLS_X:
        PHA
        JSR KBD_READ_COLS
        TAX
        PLA
        DEX                     ; set N and Z from X
        INX
        RTS

        .assert * = KBD_READ_COLS, "KBD_READ_COLS_X must end at $FCCF"

; KBD_READ_COLS ($FCCF) - read the selected rows' columns, 1 = key down.
; In: -  Out: A = columns, N/Z set from A  Clobbers: A, flags
KBD_READ_COLS:
        LDA KBD_PORT
        EOR #$FF
        RTS

; ============================================================================
; $FD00: the keyboard poller
; ============================================================================
        .org $FD00

; KEYBOARD ($FD00) - wait for a key and return its ASCII code.
; A key is accepted when the same raw code is seen on three consecutive
; passes; a held key repeats after FIRST_REPEAT_PASSES passes and then every
; NEXT_REPEAT_PASSES passes. Passes that see the held key again include the
; KBD_DELAY wait; a pass that sees no key or a new key rescans at once.
; In: -  Out: A = ASCII code  Clobbers: flags, KBD_* (X and Y are kept)
KEYBOARD:
        TXA
        PHA
        TYA
        PHA
@pass:  JSR KBD_SCAN
        BNE @seen
        STA KBD_LAST            ; released: the next press is a new key
        STA KBD_CAND
        BEQ @pass
@seen:  CMP KBD_CAND
        BEQ @again
        STA KBD_CAND            ; a new key: start the debounce count
        LDA #DEBOUNCE_PASSES
        STA KBD_COUNT
        BNE @pass
@again: DEC KBD_COUNT
        BEQ @accept
        JSR KBD_DELAY
        BEQ @pass               ; KBD_DELAY returns with Z set
@accept:
        LDX #FIRST_REPEAT_PASSES
        CMP KBD_LAST
        BNE @first
        LDX #NEXT_REPEAT_PASSES ; still held since the last accept: repeat
@first: STX KBD_COUNT
        STA KBD_LAST
        JSR KBD_MODIFY
        BCS @pass               ; modifier combination without a key
        STA KBD_RESULT
        PLA
        TAY
        PLA
        TAX
        LDA KBD_RESULT
        RTS

; KBD_MODIFY - apply the row-0 modifiers to an accepted key
; (docs/hardware.md section 4 step 7).
; In: A = raw code  Out: C clear and A = ASCII code, or C set when the
;     modifier combination gives no key  Clobbers: A, KBD_RESULT, flags
KBD_MODIFY:
        STA KBD_RESULT
        AND #$7F
        CMP #SPACE              ; SPACE is never modified
        BEQ @done
        LDA #ROW0
        JSR KBD_SELECT_ROW
        JSR KBD_READ_COLS
        LSR A                   ; C = SHIFT LOCK; A = other modifiers >> 1
        BCC @unlocked
        BEQ @plain              ; SHIFT LOCK alone
        CMP #(MOD_CTRL >> 1)
        BEQ @ctrl
        CMP #((MOD_LEFT_SHIFT | MOD_RIGHT_SHIFT) >> 1) + 1
        BCC @shift              ; one or both shifts, nothing else
@plain: LDA KBD_RESULT
        AND #$7F
@done:  CLC
        RTS
@unlocked:
        BEQ @lower
        CMP #(MOD_CTRL >> 1)
        BEQ @ctrl
        CMP #(MOD_LEFT_SHIFT >> 1)
        BEQ @plain              ; LEFT SHIFT alone: upper case
        CMP #(MOD_RIGHT_SHIFT >> 1)
        BEQ @shift              ; RIGHT SHIFT alone: as SHIFT LOCK + SHIFT
        SEC                     ; any other combination: no key
        RTS
@lower: LDA KBD_RESULT
        AND #$7F
        CLC
        ADC #$20
        RTS
@ctrl:  LDA KBD_RESULT
        AND #$7F
        SEC
        SBC #$40
        CLC
        RTS
@shift: LDA KBD_RESULT
        BMI @down
        CLC
        ADC #$10
        RTS
@down:  AND #$7F
        SEC
        SBC #$10
        CLC
        RTS

; KBD_DELAY - the wait between passes that see the same held key.
; In: -  Out: X = 0, Y = 0, Z set  Clobbers: X, Y, flags
KBD_DELAY:
        LDY #DELAY_OUTER
@outer: LDX #DELAY_INNER
@inner: DEX
        BNE @inner
        DEY
        BNE @outer
        RTS

        .assert * <= KEY_TABLE, "keyboard code overlaps the key table at $FDCF"
        .org $FDCF

; KEY_TABLE ($FDCF) - unshifted code of each key of rows 1-7, columns 1-7;
; index = 7 * (row - 1) + (column - 1). SHIFT_DOWN_FLAG marks the keys whose
; shifted code is code - $10; all others shift to code + $10. 0 = no key.
KEY_TABLE:
        .byte 'P' | SHIFT_DOWN_FLAG, ';' | SHIFT_DOWN_FLAG, '/', SPACE, 'Z', 'A', 'Q'  ; row 1
        .byte ',', 'M', 'N', 'B', 'V', 'C', 'X'                                      ; row 2
        .byte 'K', 'J', 'H', 'G', 'F', 'D', 'S'                                      ; row 3
        .byte 'I', 'U', 'Y', 'T', 'R', 'E', 'W'                                      ; row 4
        .byte 0, 0, CR, $0A, 'O', 'L', '.'                                           ; row 5
        .byte 0, $7F | SHIFT_DOWN_FLAG, '-', ':' | SHIFT_DOWN_FLAG, '0', '9' | SHIFT_DOWN_FLAG, '8' | SHIFT_DOWN_FLAG ; row 6
        .byte '7' | SHIFT_DOWN_FLAG, '6' | SHIFT_DOWN_FLAG, '5' | SHIFT_DOWN_FLAG, '4' | SHIFT_DOWN_FLAG, '3' | SHIFT_DOWN_FLAG, '2' | SHIFT_DOWN_FLAG, '1' | SHIFT_DOWN_FLAG ; row 7

        .assert * = MON_ENTRY, "the key table must end at $FDFF"

; ============================================================================
; $FE00: the 65V machine-language monitor
; ============================================================================
        .org $FE00

; MON_ENTRY ($FE00) - clear the screen and run the 65V monitor from address
; 0000 in address mode with keyboard input. Keys: `.` address mode, `/` data
; mode, hex digits shift into the address (address mode) or into the byte at
; the address, which is stored at once (data mode); RETURN steps to the next
; address (data mode); `G` jumps to the address (address mode); `L` switches
; input to the ACIA until reset and enters data mode. Other keys are ignored.
; Never returns.
MON_ENTRY:
        CLD
        LDX #STACK_TOP
        TXS
        JSR CLEAR_SCREEN
        LDA #0
        STA MON_SOURCE
        STA MON_ADDR
        STA MON_ADDR+1
@address:
        JSR MON_SHOW_CURRENT
        JSR MON_GETC
        CMP #'/'
        BEQ @data
        CMP #'L'
        BEQ @tape
        CMP #'G'
        BNE @address_digit
        JMP (MON_ADDR)
@address_digit:
        JSR HEX_VALUE
        BMI @address
        LDX #4
@shift_address:
        ASL MON_ADDR
        ROL MON_ADDR+1
        DEX
        BNE @shift_address
        ORA MON_ADDR
        STA MON_ADDR
        JMP @address
@tape:  STA MON_SOURCE          ; nonzero: from now on read the ACIA
@data:  JSR MON_SHOW_CURRENT
        JSR MON_GETC
        CMP #'.'
        BEQ @address
        CMP #'L'
        BEQ @tape
        CMP #CR
        BNE @data_digit
        INC MON_ADDR
        BNE @data
        INC MON_ADDR+1
        JMP @data
@data_digit:
        JSR HEX_VALUE
        BMI @data
        STA MON_DIGIT
        LDY #0
        LDA (MON_ADDR),Y
        ASL A
        ASL A
        ASL A
        ASL A
        ORA MON_DIGIT
        STA (MON_ADDR),Y
        JMP @data

        .assert * <= ACIA_READ7, "the 65V monitor overlaps $FE80"
        .org $FE80

; ACIA_READ7 ($FE80) - wait for a received byte and return it as 7 bits.
; In: -  Out: A = byte & $7F  Clobbers: flags
ACIA_READ7:
        LDA ACIA_STATUS
        LSR A                   ; C = RDRF
        BCC ACIA_READ7
        LDA ACIA_DATA
        AND #$7F
        RTS

        .org $FE93

; HEX_VALUE ($FE93) - convert an ASCII hex digit (0-9, A-F).
; In: A = character  Out: A = 0-15 with N clear, or $80 (N set) if not hex
; Clobbers: flags
HEX_VALUE:
        CMP #'0'
        BCC @bad
        CMP #'9' + 1
        BCC @decimal
        CMP #'A'
        BCC @bad
        CMP #'F' + 1
        BCS @bad
        SBC #'A' - 10 - 1       ; C is clear: subtracts 'A' - 10
        RTS
@decimal:
        AND #$0F
        RTS
@bad:   LDA #$80
        RTS

        .assert * <= MON_SHOW, "HEX_VALUE overlaps $FEAC"
        .org $FEAC

; MON_SHOW ($FEAC) - show "AAAA  DD" at $D0C6: the current address and the
; data byte.
; In: MON_ADDR, MON_DATA  Out: -  Clobbers: A, X, flags
MON_SHOW:
        LDX #0
        LDA MON_ADDR+1
        JSR SHOW_HEX_BYTE
        LDA MON_ADDR
        JSR SHOW_HEX_BYTE
        LDX #6
        LDA MON_DATA
        ; fall through

; SHOW_HEX_BYTE - write A as two hex digits at MON_DISPLAY + X.
; In: A = byte, X = column offset  Out: X += 2  Clobbers: A, flags
SHOW_HEX_BYTE:
        PHA
        LSR A
        LSR A
        LSR A
        LSR A
        JSR @digit
        PLA
        AND #$0F
@digit: CMP #10
        BCC @decimal
        ADC #'A' - '0' - 10 - 1 ; C is set: adds 'A' - '0' - 10
@decimal:
        ADC #'0'                ; C is clear here
        STA MON_DISPLAY,X
        INX
        RTS

        .assert * <= DEFAULT_VECTORS, "MON_SHOW overlaps the vector table"
        .org $FEF0

; DEFAULT_VECTORS ($FEF0) - copied to $0218-$0221 at reset.
DEFAULT_VECTORS:
        .word INPUT, OUTPUT, CTRLC_CHECK, LOAD, SAVE

; ============================================================================
; $FF00: reset, the prompt, and the BASIC I/O glue
; ============================================================================
        .org $FF00

; RESET ($FF00) - cold reset: initialise the stack, the I/O vectors, the ACIA,
; the flags, the cursor and the screen, then ask "C/W/M ?".
; No other RAM is touched, so a BASIC program survives BREAK then `W`.
RESET:
        CLD
        LDX #STACK_TOP
        TXS
        LDX #VECTOR_BYTES - 1
@vector:
        LDA DEFAULT_VECTORS,X
        STA VECTORS,X
        DEX
        BPL @vector
        JSR ACIA_INIT
        LDA #0
        STA CTRLC_DISABLE
        STA LOAD_FLAG
        STA SAVE_FLAG
        STA PRINT_DELAY
        LDA SCREEN_HOME
        STA CURSOR
        JSR CLEAR_SCREEN        ; leaves X = 0
@prompt:
        LDA PROMPT_TEXT,X
        JSR SCREEN_OUT
        INX
        CPX #PROMPT_LENGTH
        BNE @prompt
        JSR KEYBOARD
        CMP #'C'
        BNE @not_cold
        JMP BASIC_COLD
@not_cold:
        CMP #'W'
        BNE @not_warm
        JMP BASIC_WARM_JMP
@not_warm:
        CMP #'M'
        BNE RESET               ; anything else: ask again
        JMP MON_ENTRY

        .assert * <= OUTPUT, "RESET overlaps OUTPUT at $FF69"
        .org $FF69

; OUTPUT ($FF69) - default output: the screen, and the ACIA while SAVE_FLAG
; is set, with ten NULs after each CR (time for the tape reader).
; In: A = character  Out: -  Clobbers: flags (A, X, Y kept)
OUTPUT:
        JSR SCREEN_OUT
        PHA
        LDA SAVE_FLAG
        BEQ @done
        PLA
        PHA
        JSR ACIA_SEND
        CMP #CR
        BNE @done
        TXA
        PHA
        LDX #10
        LDA #0
@nul:   JSR ACIA_SEND
        DEX
        BNE @nul
        PLA
        TAX
@done:  PLA
        RTS

        .assert * = LOAD, "OUTPUT must end at $FF8B"

; LOAD ($FF8B) - default LOAD: input from the ACIA (0 -> $FF), SAVE off.
; In: -  Out: -  Clobbers: A, flags
LOAD:
        DEC LOAD_FLAG
        LDA #0
        STA SAVE_FLAG
        RTS

        .org $FF96

; SAVE ($FF96) - default SAVE: copy output to the ACIA from now on.
; In: -  Out: -  Clobbers: A, flags
SAVE:
        JMP SAVE_BODY

        .org $FF9B

; CTRLC_CHECK ($FF9B) - break into BASIC if CTRL and C are both down.
; BASIC reaches this by JMP, so the RTS returns to BASIC's caller.
; In: -  Out: returns, or JMP BASIC_BREAK with A = 3  Clobbers: A, flags
CTRLC_CHECK:
        LDA CTRLC_DISABLE
        BNE @done
        LDA #$FF ^ ROW0
        STA KBD_PORT
        BIT KBD_PORT            ; V = column 6 (CTRL); 0 means down
        BVS @done
        LDA #$FF ^ ROW2
        STA KBD_PORT
        BIT KBD_PORT            ; V = column 6 (C)
        BVS @done
        LDA #3
        JMP BASIC_BREAK
@done:  RTS

        .assert * = INPUT, "CTRLC_CHECK must end at $FFBA"

; INPUT ($FFBA) - default input: the keyboard, or while LOAD_FLAG bit 7 is
; set the ACIA (8 bits, unmasked). Waiting for the ACIA, SPACE ends load
; mode and is then read from the keyboard as an ordinary key.
; In: -  Out: A = character  Clobbers: flags (X, Y kept)
INPUT:
        BIT LOAD_FLAG
        BPL @keyboard
@wait:  LDA ACIA_STATUS
        LSR A                   ; C = RDRF
        BCS @received
        LDA #$FF ^ ROW1
        STA KBD_PORT
        LDA KBD_PORT
        AND #KEY_SPACE_BIT      ; 0 = SPACE down
        BNE @wait
        STA LOAD_FLAG
@keyboard:
        JMP KEYBOARD
@received:
        LDA ACIA_DATA
        RTS

        .assert * <= SCREEN_HOME, "INPUT overlaps the screen parameters"
        .org $FFE0

; Screen parameters read by the screen driver: home offset in the last page,
; last column minus home, and 0 = 1 KB screen (cursor page $D300).
SCREEN_HOME:    .byte $65
SCREEN_WIDTH:   .byte $17
SCREEN_SIZE:    .byte $00
; $FFE3-$FFEA: the original's bytes, unused by either ROM (purpose unknown),
; kept for programs that might read them.
        .byte $00, $03, $FF, $9F, $00, $03, $FF, $9F

; Fixed entry points through the page-2 vectors ($FFEB-$FFF9).
GETCHAR:        JMP (VEC_INPUT)         ; $FFEB
PUTCHAR:        JMP (VEC_OUTPUT)        ; $FFEE
CTRLC:          JMP (VEC_CTRLC)         ; $FFF1
LOAD_ENTRY:     JMP (VEC_LOAD)          ; $FFF4
SAVE_ENTRY:     JMP (VEC_SAVE)          ; $FFF7

        .assert * = $FFFA, "the entry points must end at $FFFA"
        .word NMI_HANDLER
        .word RESET
        .word IRQ_HANDLER
