; init.asm -- cold start (entry $BD11): CHRGET into zero page, vectors, MEMORY SIZE?,
; TERMINAL WIDTH?, " nnnn BYTES FREE", banner, then the ready loop.

COLD:
        cld
        ldx #$FF
        txs
        ldx #CHRGET_CODE_END-CHRGET_CODE-1
@copy:                                  ; CHRGET, and ZPINIT to $00 (bytes past its end land
        lda CHRGET_CODE,x               ; on $11-$1B: scratch at this time)
        sta CHRGET,x
        lda ZPINIT,x
        sta WARMJMP,x
        dex
        bpl @copy
        lda #0                          ; parser flags and Ctrl-O off
        ldx #CTRLOFLG-CHARAC
@flags:
        sta CHARAC,x
        dex
        bpl @flags
        sta PROGRAM-1
        jsr CRDO                        ; off the monitor's prompt line
        lda #<PROGRAM
        sta TXTTAB
        lda #>PROGRAM
        sta TXTTAB+1
@memsize:
        lda #<MSG_MEMSIZE
        ldy #>MSG_MEMSIZE
        jsr ASK
        beq @probe
        bcs @memsize
        jsr LINGET
        bne @memsize
        beq @settop
@probe:
        lda #<PROGRAM                   ; RAM ends where $92 and $24 do not read back
        sta LINNUM
        lda #>PROGRAM
        sta LINNUM+1
        ldy #0
@p1:
        lda #$92
        sta (LINNUM),y
        cmp (LINNUM),y
        bne @settop
        lda #$24
        sta (LINNUM),y
        cmp (LINNUM),y
        bne @settop
        inc LINNUM
        bne @p1
        inc LINNUM+1                    ; (the BASIC ROM at $A000 stops it at the latest)
        bne @p1
@settop:
        lda LINNUM
        sta MEMSIZ
        lda LINNUM+1
        sta MEMSIZ+1
@width:
        lda #<MSG_WIDTH
        ldy #>MSG_WIDTH
        jsr ASK
        beq @init
        bcs @width
        jsr LINGET
        bne @width
        lda LINNUM+1
        bne @width
        lda LINNUM
        cmp #16
        bcc @width
        sta WIDTH
        sec                             ; last zone = width - width mod 14 - 14
@mod:
        sbc #14
        bcs @mod
        adc #14                         ; width mod 14
        eor #$FF
        sec
        adc WIDTH
        sbc #14
        sta LASTZONE
@init:
        jsr CRDO
        jsr SCRTCH
        lda MEMSIZ
        sec
        sbc TXTTAB
        tax
        lda MEMSIZ+1
        sbc TXTTAB+1
        jsr LINPRT
        lda #<MSG_BANNER
        ldy #>MSG_BANNER
        jsr STROUT
        jmp READY_NEWSTACK

; ASK: print the question at A/Y, "? ", read a line; CHRGET on it (Z: empty, C clear: digit).
ASK:
        jsr STROUT
        jsr QPROMPT
        jmp CHRGET

; Zero page from $00: JMP warm start, JMP STROUT, FTOINT, INTTOF, JMP USR (?FC), NULL count,
; column, width, last comma zone.
ZPINIT:
        .byte $4C, <READY_NEWSTACK, >READY_NEWSTACK
        .byte $4C, <STROUT, >STROUT
        .word FTOINT, INTTOF
        .byte $4C, <FCERR, >FCERR
        .byte 0, 0, 72, 56
ZPINIT_END:

; CHRGET/CHRGOT as copied to $BC-$D3, then the RND seed (TXTPTR is the operand of the LDA at $C2):
;   INC TXTPTR / BNE +2 / INC TXTPTR+1 / LDA $xxxx / CMP #':' / BCS rts / CMP #' ' /
;   BEQ CHRGET / SEC / SBC #'0' / SEC / SBC #$D0 / RTS
; Result: A = the character, spaces skipped; C clear for '0'-'9'; Z set for ':' and 0.
CHRGET_CODE:
        .byte $E6, TXTPTR, $D0, $02, $E6, TXTPTR+1
        .byte $AD, $00, $00
        .byte $C9, ':', $B0, $0A, $C9, ' ', $F0, $EF
        .byte $38, $E9, '0', $38, $E9, $D0, $60
        .byte $80, $4F, $C7, $52        ; $D4-$D7: the RND seed after a cold start
CHRGET_CODE_END:
        .assert CHRGET_CODE_END - CHRGET_CODE = 28, "CHRGET and the seed must fill $BC-$D7"

MSG_MEMSIZE:    .byte "MEMORY SIZE", 0
MSG_WIDTH:      .byte "TERMINAL WIDTH", 0
MSG_BANNER:     .byte " BYTES FREE", CR, LF, CR, LF
                .byte "SUPERBOARD OPEN BASIC", CR, LF, 0
