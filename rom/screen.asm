; ============================================================================
; screen.asm - the screen driver at $BF2D (assembled into the BASIC image)
;
; Included by rom/basic/basic.asm right after `.org $BF2D`; it must fit in
; $BF2D-$BFFF (211 bytes). Both ROMs print through it: the monitor for its
; prompt, BASIC through the monitor's output vector. Written from the
; interface facts in docs/hardware.md sections 3 and 6.
;
; The text line is one row of the last screen page: the cursor is an offset
; in that page ($D300 for the 1 KB screen, $D700 when SCR_SIZE is nonzero),
; from SCR_HOME up to SCR_HOME + SCR_WIDTH (columns 5-28 of row 27 with the
; monitor's $65/$17). The cursor is a '_' kept in video RAM; the character it
; covers is saved in SCR_UNDER.
;   $00  ignored
;   CR   cursor back to home (no scroll)
;   LF   scroll: rows 1..cursor row move up one row, the cursor row is
;        cleared, the cursor stays in its column
;   else stored at the cursor; past the last column the cursor wraps to
;        home and the screen scrolls (CR + LF)
; All symbols are prefixed SCR_ because they share BASIC's name space.
; ============================================================================

SCR_CURSOR      = $0200         ; cursor offset within the last screen page
SCR_UNDER       = $0201         ; character under the cursor
SCR_SCRATCH     = $0202         ; scroll and clear limits
SCR_DELAY       = $0206         ; delay count, about 326 cycles per unit
SCR_RAMCOPY     = $0207         ; 8 bytes: LDA src,Y / STA dst,Y / INY / RTS
SCR_RAMCOPY_SRC = SCR_RAMCOPY + 1
SCR_RAMCOPY_DST = SCR_RAMCOPY + 4
SCR_HOME        = $FFE0         ; monitor ROM: home offset ($65)
SCR_WIDTH       = $FFE1         ; monitor ROM: last column - home ($17)
SCR_SIZE        = $FFE2         ; monitor ROM: 0 = 1 KB screen, else 2 KB
SCR_VIDEO       = $D000
SCR_PAGE_1K     = $D3           ; last page of the 1 KB screen
SCR_PAGE_2K     = $D7           ; last page of the 2 KB screen
SCR_ROW_BYTES   = 32            ; row length of the 1 KB screen
SCR_STACK_A     = $0103         ; caller's A after three pushes, indexed by S
SCR_CURSOR_CHAR = '_'
SCR_CR          = $0D
SCR_LF          = $0A
SCR_DELAY_INNER = 64            ; 64 x 5 + 6 = 326 cycles per delay unit
SCR_OP_LDA_ABSY = $B9
SCR_OP_STA_ABSY = $99
SCR_OP_INY      = $C8
SCR_OP_RTS      = $60

; SCR_PRINT ($BF2D) - print one character.
; In: A = character  Out: -  Clobbers: flags (A, X, Y kept); uses $0200-$0202
;     and $0207-$020E
SCR_PRINT:
        PHA
        TXA
        PHA
        TYA
        PHA
        TSX
        LDA SCR_STACK_A,X       ; the character again
        BEQ @exit
        LDY SCR_DELAY
        BEQ @dispatch
@delay: LDX #SCR_DELAY_INNER
@delay_inner:
        DEX
        BNE @delay_inner
        DEY
        BNE @delay
@dispatch:
        LDX SCR_CURSOR
        CMP #SCR_CR
        BEQ @crlf               ; (C set)
        CMP #SCR_LF
        BNE @char
        CLC                     ; LF: C clear
@crlf:  PHP
        LDA SCR_UNDER           ; take the cursor off
        JSR SCR_PUT
        PLP
        BCC @scroll             ; LF: scroll
        LDX SCR_HOME            ; CR: back to home
@move:  STX SCR_CURSOR          ; draw the cursor at offset X
        CLV
        LDY SCR_SIZE
        BNE @get_wide
        LDA SCR_PAGE_1K * $100,X
        BVC @got
@get_wide:
        LDA SCR_PAGE_2K * $100,X
@got:   STA SCR_UNDER
        LDA #SCR_CURSOR_CHAR
        JSR SCR_PUT
@exit:  PLA
        TAY
        PLA
        TAX
        PLA
        RTS
@char:  JSR SCR_PUT
        TXA
        SEC
        SBC SCR_HOME            ; column within the text line
        INX
        CMP SCR_WIDTH
        BCC @move               ; it was not the last column
        LDX SCR_HOME            ; wrap: CR + LF (the cell at the cursor
        STX SCR_CURSOR          ; already holds the printed character)
@scroll:
        LDX #SCR_TEMPLATE_END - SCR_TEMPLATE - 1
@copy_template:
        LDA SCR_TEMPLATE,X
        STA SCR_RAMCOPY,X
        DEX
        BPL @copy_template
        LDA #$100 - SCR_ROW_BYTES       ; row mask
        LDX #SCR_PAGE_1K
        LDY SCR_SIZE
        BEQ @narrow
        LDX #SCR_PAGE_2K
        ASL SCR_RAMCOPY_SRC             ; source = destination + 64
        ASL A                           ; row mask $C0
@narrow:
        AND SCR_HOME
        STA SCR_SCRATCH         ; start of the cursor row in the last page
        LDY #0
@move_up:
        CPX SCR_RAMCOPY_DST + 1
        BEQ @last
@pair:  JSR SCR_RAMCOPY         ; a whole page, two bytes a turn (rows are 32 or 64
        JSR SCR_RAMCOPY         ; bytes, so pages and rows hold whole pairs)
        BNE @pair
        INC SCR_RAMCOPY_SRC + 1
        INC SCR_RAMCOPY_DST + 1
        BNE @move_up
@last:  CPY SCR_SCRATCH         ; the last page, up to the cursor row
        BEQ @clear
        JSR SCR_RAMCOPY
        BNE @last
@clear: TYA                     ; blank the cursor row: Y is at its start, and the RAM
        CLC                     ; routine's STA points at this page
        ADC SCR_RAMCOPY_SRC     ; row length
        STA SCR_SCRATCH
        LDA #' '
@clear_byte:
        JSR SCR_RAMCOPY + 3     ; STA dst,Y / INY / RTS
        CPY SCR_SCRATCH
        BNE @clear_byte
        LDX SCR_CURSOR
        JMP @move

; The RAM routine that moves one byte up a row; copied to SCR_RAMCOPY.
SCR_TEMPLATE:
        .byte SCR_OP_LDA_ABSY, <(SCR_VIDEO + SCR_ROW_BYTES), >(SCR_VIDEO + SCR_ROW_BYTES)
        .byte SCR_OP_STA_ABSY, <SCR_VIDEO, >SCR_VIDEO
        .byte SCR_OP_INY, SCR_OP_RTS
SCR_TEMPLATE_END:

; SCR_PUT - store A at offset X of the last screen page.
; In: A, X  Out: -  Clobbers: Y, flags
SCR_PUT:
        LDY SCR_SIZE
        BNE @wide
        STA SCR_PAGE_1K * $100,X
        RTS
@wide:  STA SCR_PAGE_2K * $100,X
        RTS

