; io.asm -- character I/O through the monitor, line input, PRINT, INPUT, READ, LIST,
; LOAD/SAVE, error messages and the ready loop.

LOAD_STMT       = MON_LOAD              ; LOAD and SAVE take no arguments: the monitor does it
SAVE_STMT       = MON_SAVE              ; and returns straight to the statement loop

; OUTQUES / OUTSP: print '?' / ' ' (falling into OUTDO, whose first BIT sets the flags
; afresh: the $2C skip reads $20A9, which is RAM on a 32K machine, so nothing after it may
; test the flags that BIT leaves).
OUTQUES:
        lda #'?'
        .byte $2C
OUTSP:
        lda #' '
; OUTDO: print A. Printable characters move the column; at the terminal width a CR/LF comes
; first. Nothing is printed while Ctrl-O is on. A, X, Y kept.
OUTDO:
        bit CTRLOFLG
        bmi @rts
        cmp #' '
        bcs @printable
        cmp #CR
        bne @out
        pha
        lda #0
        sta POSX
        pla
        bne @out
@printable:
        pha
        lda POSX
        cmp WIDTH
        bcc @fits
        jsr CRDO
@fits:
        inc POSX
        pla
@out:
        jsr MON_OUTPUT
@rts:
        rts

; CRDO: CR, LF and the NULL count of NULs; column 0. A, X, Y kept.
CRDO:
        pha
        lda #CR
        jsr OUTDO
        lda #LF
        jsr OUTDO
        txa
        pha
        ldx NULLCNT
        beq @done
        lda #0
@nul:
        jsr OUTDO
        dex
        bne @nul
@done:
        stx POSX
        pla
        tax
        pla
        rts

; STROUT: print the 0-terminated string at A (low) / Y (high). X kept.
STROUT:
        sta INDEX
        sty INDEX+1
        ldy #0
@loop:
        lda (INDEX),y
        beq @done
        jsr OUTDO
        iny
        bne @loop
@done:
        rts

; STRPRT: print the string in FAC (releasing its temporary).
STRPRT:
        jsr FRESTR
        tax
        beq @done
        ldy #0
@loop:
        lda (INDEX),y
        jsr OUTDO
        iny
        dex
        bne @loop
@done:
        rts

; LINPRT: print A (high) / X (low) unsigned, as PRINT prints a number (leading space).
LINPRT:
        stx TEMP1
        tay
        jsr BYTETOF
        lda #<C256
        ldy #>C256
        jsr ALOAD
        jsr FMUL
        jsr FTOARG
        ldy TEMP1
        jsr BYTETOF
        jsr FADD
        jsr FOUT
        jmp STROUT
C256:           .byte $89, 0, 0, 0      ; 256
ZERO_CONST      = C256 + 1              ; value of a variable never assigned: 0, 0, 0 is the
                                        ; number 0 (its exponent) and "" (a 3-byte descriptor)

; FABS: FAC = |FAC| (float.asm's; kept here, where there is room). Keeps X and Y.
FABS:   lda #0
        sta FACSIGN
        rts

; ----------------------------------------------------------------------------------------
; PRINT [item {, | ; | item}]: numbers with a sign position and a trailing space, strings as
; they are; ',' moves to the next 14-column zone (a new line past LASTZONE), ';' nothing;
; TAB(n) to column n, SPC(n) n spaces. No ',' or ';' at the end: a new line.
PRINT_STMT:
        bne @item
        jmp CRDO
@rts:
        rts
@item:
        beq @rts
        cmp #TOK_TAB
        beq @tab
        cmp #TOK_SPC
        beq @tab
        cmp #','
        beq @comma
        cmp #';'
        beq @next
        jsr FRMEVL
        bit VALTYP
        bmi @str
        jsr FOUT
        jsr STRLIT
        clc
        adc POSX
        cmp WIDTH
        bcc @fits
        jsr CRDO
@fits:
        jsr STRPRT
        jsr OUTSP
        jmp @after
@str:
        jsr STRPRT
@after:
        jsr CHRGOT
        jmp PRINT_STMT
@comma:
        lda POSX
        cmp LASTZONE
        bcc @zone
        jsr CRDO
        jmp @next
@zone:
        sec
@z1:
        sbc #14
        bcs @z1
        tax                             ; -(spaces to the next zone)
@zsp:
        jsr OUTSP
        inx
        bne @zsp
        beq @next
@tab:
        pha
        jsr CHRGET
        jsr GETBYT
        jsr CHKCLS
        pla
        cmp #TOK_TAB
        bne @spaces
        txa
        sec
        sbc POSX
        bcc @item2
        tax
@spaces:
        txa
        beq @item2
@sp1:
        jsr OUTSP
        dex
        bne @sp1
@item2:
        jsr CHRGOT
        jmp @item
@next:
        jsr CHRGET
        jmp @item

; NULL n: n NULs after each CR/LF.
NULL_STMT:
        jsr GETBYT
        stx NULLCNT
        rts

; ----------------------------------------------------------------------------------------
; INLIN: read a line into BUF (0-terminated), echoing it. '_' deletes the last character,
; '@' cancels the line, BEL is kept, other control codes and codes >= $7D are ignored;
; a full buffer answers with BEL. Out: X = length.
INLIN:
        ldx #0
@key:
        jsr GETLN
        cmp #BEL
        beq @store
        cmp #CR
        beq @end
        cmp #' '
        bcc @key
        cmp #$7D
        bcs @key
        cmp #'@'
        beq @cancel
        cmp #'_'
        beq @rubout
@store:
        cpx #BUFSIZE
        bcs @full
        sta BUF,x
        inx
        .byte $2C                       ; echo the character (skip the LDA)
@full:
        lda #BEL
        jsr OUTDO
        jmp @key
@rubout:
        jsr OUTDO
        dex
        bpl @key
@cancel:
        jsr OUTDO
        jsr CRDO
        jmp INLIN
@end:
        lda #0
        sta BUF,x
        jmp CRDO

; GETLN: one character from the monitor, bit 7 stripped; Ctrl-O toggles output suppression.
GETLN:
        jsr MON_INPUT
        and #$7F
        cmp #$0F
        bne @rts
        pha
        lda CTRLOFLG
        eor #$FF
        sta CTRLOFLG
        pla
@rts:
        rts

; PROMPT: "? " and a line. TXTPTR = BUF - 1 (callers that need TXTPTR save it first).
QPROMPT:
        jsr OUTQUES
        jsr OUTSP
        jsr INLIN
SETBUFPTR:
        lda #<(BUF-1)
        sta TXTPTR
        lda #0
        sta TXTPTR+1
        rts

; ----------------------------------------------------------------------------------------
; INPUT ["prompt";] variable [, variable ...]
INPUT_STMT:
        lsr CTRLOFLG
        cmp #'"'
        bne @noprompt
        jsr EVAL_ELEMENT
        lda #';'
        jsr SYNCHR
        jsr STRPRT
@noprompt:
        jsr ERRDIR
        lda TXTPTR                      ; "? " and a line, keeping TXTPTR
        pha
        lda TXTPTR+1
        pha
        jsr QPROMPT
        lda #','                        ; so the first item is found
        sta BUF-1
        pla
        sta TXTPTR+1
        pla
        sta TXTPTR
        lda BUF
        bne @go
        clc                             ; an empty answer ends the program, like END
        jmp ENDSTOP
@go:
        ldx #<(BUF-1)
        ldy #0
        tya
        beq PLIST

; READ variable [, variable ...]
READ_STMT:
        ldx DATPTR
        ldy DATPTR+1
        lda #$98
; PLIST: read the variables of the statement from the data at Y/X (pointing at the ',' or end
; before the next item). A = INPUTFLG ($00 INPUT, $98 READ).
PLIST:
        sta INPUTFLG
        stx INPTR
        sty INPTR+1
@item:
        jsr PTRGET
        sta FORPNT
        sty FORPNT+1
        jsr SWAPTXT                     ; TXTPTR on the data, INPTR keeps the statement
        ldy #0
        lda (TXTPTR),y
        cmp #','
        beq @start
        bit INPUTFLG
        bmi @finddata
        jsr OUTQUES                     ; INPUT: ask for more with "?? "
        jsr QPROMPT
        beq @start                      ; (SETBUFPTR leaves Z set)
@finddata:
        ldy #0
        lda (TXTPTR),y
        bne @stmt
        ldy #2                          ; end of a line: go to the next one
        lda (TXTPTR),y
        bne @nextline
        ldx #ERR_OD
        jmp ERROR
@nextline:
        iny
        lda (TXTPTR),y
        sta DATLIN
        iny
        lda (TXTPTR),y
        sta DATLIN+1
        jsr ADDON
@stmt:
        jsr CHRGET
        cmp #TOK_DATA
        beq @start
        jsr DATA_STMT
        jmp @finddata
@start:
        jsr CHRGET
        bit VALTYP
        bpl @num
        sta CHARAC                      ; quoted: up to the next '"'
        cmp #'"'
        beq @quoted                     ; (C set: the string starts after the quote)
        lda #':'                        ; unquoted: up to ':' or ','
        sta CHARAC
        lda #','
        clc
@quoted:
        sta ENDCHR
        lda TXTPTR
        ldy TXTPTR+1
        adc #0
        bcc @u1
        iny
@u1:
        jsr STRLIT2
        jsr STRLIT_SKIP
        jsr LETSTR
        jmp @more
@num:
        jsr FINSIGN
        ldx FORPNT
        ldy FORPNT+1
        jsr FSTORE
@more:
        jsr CHRGOT
        beq @ok
        cmp #','
        beq @ok
        bit INPUTFLG
        bmi @readerr
        lda #<MSG_REDO
        ldy #>MSG_REDO
        jsr STROUT
        lda OLDTEXT
        sta TXTPTR
        lda OLDTEXT+1
        sta TXTPTR+1
        rts
@readerr:
        lda DATLIN
        sta CURLIN
        lda DATLIN+1
        sta CURLIN+1
        jmp SNERR
@ok:
        jsr SWAPTXT
        jsr CHRGOT
        beq @done
        jsr CHKCOM
        jmp @item
@done:
        ldy #0
        bit INPUTFLG
        bmi @read
        lda (INPTR),y                   ; INPUT: anything left in the answer is dropped
        beq @rts                        ; with "?EXTRA IGNORED" (a ',' or ':' stopped it)
        lda #<MSG_EXTRA
        ldy #>MSG_EXTRA
        jmp STROUT
@read:                                  ; READ: remember where the data goes on
        lda INPTR
        sta DATPTR
        lda INPTR+1
        sta DATPTR+1
@rts:
        rts

; SWAPTXT: exchange TXTPTR and INPTR.
SWAPTXT:
        ldx #1
@swap:
        lda TXTPTR,x
        ldy INPTR,x
        sta INPTR,x
        sty TXTPTR,x
        dex
        bpl @swap
        rts

; FNDLIN: find line LINNUM. C set: found, LOWTR = the line; C clear: LOWTR = the first line
; with a greater number (or the end of the program). FNDLIN_FROM: start at A/X (low/high).
FNDLIN:
        lda TXTTAB
        ldx TXTTAB+1
FNDLIN_FROM:
        ldy #1
        sta LOWTR
        stx LOWTR+1
        lda (LOWTR),y
        beq @notfound
        ldy #3
        lda LINNUM+1
        cmp (LOWTR),y
        bcc @notfound
        bne @next
        dey
        lda LINNUM
        cmp (LOWTR),y
        bcc @notfound
        beq @found
@next:
        ldy #1
        lda (LOWTR),y
        tax
        dey
        lda (LOWTR),y
        jmp FNDLIN_FROM
@notfound:
        clc
@found:
        rts

; ----------------------------------------------------------------------------------------
; LIST [from][-[to]]
LIST_STMT:
        php                             ; C clear: a line number follows
        jsr LINGET                      ; from (0 when none)
        plp
        lda LINNUM
        pha
        lda LINNUM+1
        pha
        bcc @to                         ; "LIST n": to n
        lda #$FF
        sta LINNUM
        sta LINNUM+1
@to:
        jsr CHRGOT
        cmp #TOK_MINUS
        bne @go
        lda #$FF                        ; "n-": to the end, "n-m": to m
        sta LINNUM
        sta LINNUM+1
        jsr CHRGET
        bcs @go
        jsr LINGET
@go:
        lda LINNUM
        sta HIGHTR
        lda LINNUM+1
        sta HIGHTR+1
        pla
        sta LINNUM+1
        pla
        sta LINNUM
        jsr FNDLIN
@line:
        ldy #1
        lda (LOWTR),y
        beq @end
        jsr MON_CTRLC
        jsr CRDO                        ; (before the range check, as the original: a listing
        ldy #2                          ; that stops before the program's end shows an empty
        lda HIGHTR                      ; line above the OK)
        cmp (LOWTR),y                   ; stop past the last line: HIGHTR < its number
        iny
        lda HIGHTR+1
        sbc (LOWTR),y
        bcc @end
        dey
        lda (LOWTR),y
        tax
        iny
        lda (LOWTR),y
        jsr LINPRT
        jsr OUTSP
        ldy #4
@char:
        lda (LOWTR),y
        beq @nextline
        bmi @token
        jsr OUTDO
        iny
        bne @char
@token:
        sty COUNT
        jsr PRINT_TOKEN
        ldy COUNT
        iny
        bne @char
@nextline:
        ldy #0
        lda (LOWTR),y
        tax
        iny
        lda (LOWTR),y
        sta LOWTR+1
        stx LOWTR
        jmp @line
@end:
        jmp READY

; ----------------------------------------------------------------------------------------
; ERROR: X = error code offset. Prints "?XX ERROR" [" IN nnnn"], no CONT, back to OK.
ERROR:
        txa
        ldx #$FF
        txs
        tax
        lsr CTRLOFLG
        jsr CRDO
        jsr OUTQUES
        lda ERRTAB,x
        jsr OUTDO
        lda ERRTAB+1,x
        jsr OUTDO
        lda #<MSG_ERROR
        ldy #>MSG_ERROR
        jsr STROUT
        lda #0
        sta OLDTEXT+1
        sta DIMFLG
        jsr INLINE_NUM
READY_NEWSTACK:
        ldx #$FF
        txs
        lda #0
        pha
        tsx
        stx SAVESP
; READY: "OK" and the command loop. The stack goes back to the statement loop's level, so
; FOR and GOSUB frames survive STOP/END/BREAK for CONT.
READY:
        ldx SAVESP
        txs
        lsr CTRLOFLG
        lda #<MSG_OK
        ldy #>MSG_OK
        jsr STROUT
MAIN:
        lda #$FF
        sta CURLIN+1
        jsr INLIN
        jsr SETBUFPTR
        jsr CHRGET
        beq MAIN                        ; empty line, or one starting with ':' (as the original)
        bcc @numbered
        jsr CRUNCH
        jsr SETBUFPTR
        lda #':'                        ; NEWSTT starts on a ':' before the line
        sta BUF-1
        jmp NEWSTT
@numbered:
        jsr LINGET
        jsr CRUNCH
        jsr INSLINE
        jmp MAIN

; PRINT_BREAK: "BREAK" [" IN nnnn"], then OK.
PRINT_BREAK:
        jsr CRDO
        lda #<MSG_BREAK
        ldy #>MSG_BREAK
        jsr STROUT
        jsr INLINE_NUM
        jmp READY

; INLINE_NUM: " IN nnnn" unless in direct mode.
INLINE_NUM:
        ldy CURLIN+1
        iny
        beq @rts
        lda #<MSG_IN
        ldy #>MSG_IN
        jsr STROUT
        ldx CURLIN
        lda CURLIN+1
        jmp LINPRT
@rts:
        rts

MSG_ERROR:      .byte " ERROR", 0
MSG_IN:         .byte " IN ", 0
MSG_OK:         .byte CR, LF, "OK", CR, LF, 0
MSG_BREAK:      .byte "BREAK", 0
MSG_REDO:       .byte "?REDO FROM START", CR, LF, 0
