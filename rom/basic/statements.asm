; statements.asm -- the statement loop (NEWSTT) and the statements except PRINT, INPUT, READ,
; LIST, LOAD, SAVE (io.asm).
;
; Each statement handler is entered (by RTS from the dispatch table) with CHRGET just done:
; A = the first character after the keyword, flags as CHRGET leaves them. It returns with
; TXTPTR on the ':' or 0 that ends the statement; anything else there is a ?SN.
; FOR, NEXT, GOSUB, RETURN, RUN and CLEAR change the stack and continue at NEWSTT themselves.
;
; Stack frames: FOR (16 bytes, from the top): TOK_FOR, variable address (2), STEP (packed, 4),
; STEP sign (1: 1, 0 or $FF), limit (packed, 4), line number (2), text pointer after the FOR
; statement (2). GOSUB (5 bytes): TOK_GOSUB, line number (2), text pointer (2).
; The bottom of the stack holds a 0 so that searches stop there.

; NEWSTT: execute the next statement.
NEWSTT:
        tsx                             ; READY comes back to this stack level
        stx SAVESP
        ldx #TEMPST                     ; no temporary string lives across statements
        stx TEMPPT
        ldx CURLIN+1
        inx
        beq @direct
        lda TXTPTR                      ; CONT restarts here
        sta OLDTEXT
        lda TXTPTR+1
        sta OLDTEXT+1
@direct:
        jsr MON_CTRLC
        ldy #0
        lda (TXTPTR),y
        bne @colon
        ldx CURLIN+1                    ; end of line
        inx
        beq READY_J
        ldy #2
        lda (TXTPTR),y                  ; link high byte 0: end of the program
        beq ENDPRG
        iny
        lda (TXTPTR),y
        sta CURLIN
        iny
        lda (TXTPTR),y
        sta CURLIN+1
        jsr ADDON
        jmp NEWSTT_EXEC
@colon:
        cmp #':'
        bne SNERR3
NEWSTT_EXEC:
        jsr CHRGET
        jsr EXECUTE
        jmp NEWSTT
READY_J:
        jmp READY
SNERR3:
        jmp SNERR

; EXECUTE: run the statement whose first character is in A (flags from CHRGET).
EXECUTE:
        beq @rts
        sec
        sbc #$80
        bcc LET_STMT
        cmp #NUM_STMTS
        bcs SNERR3
        asl a
        tay
        lda STMTTAB+1,y
        pha
        lda STMTTAB,y
        pha
        jmp CHRGET
@rts:
        rts

; LET variable = expression
LET_STMT:
        jsr PTRGET
        pha                             ; the variable's address and type
        tya
        pha
        lda VALTYP
        pha
        lda #TOK_EQUAL
        jsr SYNCHR
        jsr FRMEVL
        pla
        tax
        pla
        sta FORPNT+1
        pla
        sta FORPNT
        txa
LET2:                                   ; A = type of the variable; assign FAC to FORPNT
        eor VALTYP
        bmi TMERR2
        bit VALTYP
        bmi @str
        ldx FORPNT
        ldy FORPNT+1
        jmp FSTORE
@str:
        jmp LETSTR
TMERR2:
        jmp TMERR

; END: stop quietly. STOP: stop with "BREAK IN nn". Both allow CONT.
; (END is entered with Z set from the end of the program, too.)
END_STMT:
ENDPRG:
        clc
        .byte $B0                       ; BCS, not taken (C clear): skips the SEC
STOP_STMT:
        sec
        bne STMT_RTS                    ; (Z from CHRGET: something follows)
ENDSTOP:                                ; C set: print BREAK (C survives down to the BCC)
        ldx CURLIN+1
        inx
        beq @direct
        ldx #1
@save:
        lda TXTPTR,x
        sta OLDTEXT,x
        lda CURLIN,x
        sta OLDLIN,x
        dex
        bpl @save
@direct:
        bcc READY_J
        jmp PRINT_BREAK
STMT_RTS:
        rts

; CONT: continue after STOP, END or BREAK (?CN after an error or a program change).
CONT_STMT:
        bne STMT_RTS
        lda OLDTEXT+1
        bne @ok
        ldx #ERR_CN
        jmp ERROR
@ok:
        ldx #1
@restore:
        lda OLDLIN,x
        sta CURLIN,x
        lda OLDTEXT,x
        sta TXTPTR,x
        dex
        bpl @restore
        rts

; REM: skip the rest of the line. DATA: skip the rest of the statement.
DATA_STMT:
        jsr DATAN
        jmp ADDON
REM_STMT:
        jsr REMN
ADDON:                                  ; TXTPTR += Y
        tya
        clc
        adc TXTPTR
        sta TXTPTR
        bcc @r
        inc TXTPTR+1
@r:
        rts

; DATAN: Y = offset from TXTPTR to the end of the statement (':' outside quotes, or 0).
; REMN: Y = offset to the end of the line.
DATAN:
        ldx #':'
        .byte $2C
REMN:
        ldx #0
        stx CHARAC
        ldy #0
        sty ENDCHR                      ; $FF inside quotes
@loop:
        lda (TXTPTR),y
        beq @done
        cmp #'"'
        bne @nq
        lda ENDCHR
        eor #$FF
        sta ENDCHR
        bcs @next                       ; (C set by the equal compare)
@nq:
        cmp CHARAC
        bne @next
        bit ENDCHR
        bpl @done
@next:
        iny
        bne @loop
@done:
        rts

; RUN [line]
RUN_STMT:
        php
        jsr CLEARC
        plp
        bcc @goto                       ; a digit follows
        lda DATPTR                      ; TXTTAB - 1, set by CLEARC's RESTORE
        sta TXTPTR
        lda DATPTR+1
        sta TXTPTR+1
        lda #0
        sta CURLIN+1                    ; program mode
        beq CLEARSTK
@goto:
        jsr GOTO_STMT
; CLEARSTK: empty the stack (0 marker at the bottom) and go on with the next statement.
CLEARSTK:
        ldx #$FF
        txs
        lda #0
        pha
        jmp NEWSTT

; CLEAR
CLEAR_STMT:
        bne STMT_RTS2
        jsr CLEARC
        jmp CLEARSTK
STMT_RTS2:
        rts

; CLEARC: forget all variables and strings, RESTORE, no CONT.
CLEARC:
        lda MEMSIZ
        sta FRETOP
        lda MEMSIZ+1
        sta FRETOP+1
        lda VARTAB
        sta ARYTAB
        sta STREND
        lda VARTAB+1
        sta ARYTAB+1
        sta STREND+1
        lda #0
        sta OLDTEXT+1
; RESTORE: READ starts again from the first DATA statement.
RESTORE_STMT:
        lda #<(PROGRAM-1)               ; the 0 before the first line (TXTTAB - 1)
        sta DATPTR
        lda #>(PROGRAM-1)
        sta DATPTR+1
        rts

; NEW
NEW_STMT:
        bne STMT_RTS2
        jsr SCRTCH
        jmp READY_NEWSTACK
; SCRTCH: empty program, no variables.
SCRTCH:
        lda #0
        tay
        sta (TXTTAB),y
        iny
        sta (TXTTAB),y
        jmp FIXLINKS                    ; (sets VARTAB after the end marker, clears)

; GOSUB line
GOSUB_STMT:
        tsx
        cpx #$30+GOSUB_SIZE+2
        bcc OMERR3
        pla
        pla
        lda TXTPTR+1
        pha
        lda TXTPTR
        pha
        lda CURLIN+1
        pha
        lda CURLIN
        pha
        lda #TOK_GOSUB
        pha
        jsr GOTO_STMT
        jmp NEWSTT
OMERR3:
        jmp OMERR
STMT_RTS3:
        rts

; RETURN
RETURN_STMT:
        bne STMT_RTS3
        pla
        pla
@pop:
        pla
        cmp #TOK_FOR
        bne @gosub
        tsx                             ; drop a FOR frame inside the subroutine
        txa
        clc
        adc #FOR_SIZE-1
        tax
        txs
        bcc @pop                        ; (C clear)
@gosub:
        cmp #TOK_GOSUB
        beq @ok
        ldx #ERR_RG
        jmp ERROR
@ok:
        pla
        sta CURLIN
        pla
        sta CURLIN+1
        pla
        sta TXTPTR
        pla
        sta TXTPTR+1
        jsr DATA_STMT
        jmp NEWSTT

; FOR variable = start TO limit [STEP step]
FOR_STMT:
        lda #$80
        sta SUBFLG                      ; no subscripted loop variable
        jsr LET_STMT
        jsr CHKNUM
        pla
        pla
        tsx
        cpx #$30+FOR_SIZE
        bcc OMERR3
        jsr FNDFOR                      ; a loop on the same variable ends here
        bcc @new
        txa
        clc
        adc #FOR_SIZE
        tax
        txs
@new:
        jsr DATAN
        tya
        clc
        adc TXTPTR
        tax
        lda TXTPTR+1
        adc #0
        pha
        txa
        pha
        lda CURLIN+1
        pha
        lda CURLIN
        pha
        lda #TOK_TO
        jsr SYNCHR
        jsr FRMNUM
        jsr PUSHFAC                     ; limit
        jsr fp_loadone                  ; STEP 1 unless one is given
        jsr CHRGOT
        cmp #TOK_STEP
        bne @step
        jsr CHRGET
        jsr FRMNUM
@step:
        jsr FSIGN
        pha
        jsr PUSHFAC                     ; step
        lda FORPNT+1
        pha
        lda FORPNT
        pha
        lda #TOK_FOR
        pha
        jmp NEWSTT


; PUSHFAC: push FAC packed (4 bytes, first byte on top). Keeps the caller's return address.
PUSHFAC:
        pla
        sta TEMP1
        pla
        sta TEMP1+1
        tsx                             ; make room for 4 bytes and store FAC there
        txa
        sec
        sbc #4
        tax
        txs
        inx
        ldy #>STACK
        jsr FSTORE
        lda TEMP1+1
        pha
        lda TEMP1
        pha
        rts

; FNDFOR: find the FOR frame for the variable at FORPNT (0: the innermost).
; Out: C set and X = the stack pointer to set to make that frame the top; C clear if none.
FNDFOR:
        tsx
        inx
        inx
@loop:
        lda STACK+1,x
        cmp #TOK_FOR
        bne @none
        lda FORPNT+1
        beq @found
        lda STACK+2,x
        cmp FORPNT
        bne @next
        lda STACK+3,x
        cmp FORPNT+1
        beq @found
@next:
        txa
        clc
        adc #FOR_SIZE
        tax
        bcc @loop
@none:
        clc
@found:                                 ; (C set by the equal compare)
        rts

; NEXT [variable [, variable ...]]
NEXT_STMT:
        bne @name                       ; (Z from CHRGET: no name follows)
        pla
        pla
        lda #0                          ; the innermost loop
        sta FORPNT+1
        beq @find
@name:
        pla
        pla
@var:
        jsr PTRGET
        sta FORPNT
        sty FORPNT+1
@find:
        jsr FNDFOR
        bcs @ok
        ldx #ERR_NF
        jmp ERROR
@ok:
        txs
        lda STACK+2,x
        sta FORPNT
        lda STACK+3,x
        sta FORPNT+1
        txa
        clc
        adc #4
        ldy #>STACK
        jsr ALOAD                       ; step
        lda FORPNT
        ldy FORPNT+1
        jsr FLOAD
        jsr FADD
        ldx FORPNT
        ldy FORPNT+1
        jsr FSTORE
        tsx
        txa
        clc
        adc #9
        ldy #>STACK
        jsr FCMP                        ; variable against the limit
        tsx
        cmp STACK+8,x
        beq @done
        lda STACK+13,x                  ; loop again
        sta CURLIN
        lda STACK+14,x
        sta CURLIN+1
        lda STACK+15,x
        sta TXTPTR
        lda STACK+16,x
        sta TXTPTR+1
@end:
        jmp NEWSTT
@done:
        txa
        clc
        adc #FOR_SIZE
        tax
        txs
        jsr CHRGOT
        cmp #','
        bne @end
        jsr CHRGET
        bne @var                        ; (a name follows)

; GOTO line
GOTO_STMT:
        jsr LINGET
        jsr FNDLIN
        bcs @found
        ldx #ERR_US
        jmp ERROR
@found:
        lda LOWTR
        sec
        sbc #1
        sta TXTPTR
        lda LOWTR+1
        sbc #0
        sta TXTPTR+1
        lda #0
        sta CURLIN+1                    ; program mode (NEWSTT reads the line number)
        rts

; IF expression THEN line / statement(s); IF expression GOTO line
IF_STMT:
        jsr FRMEVL
        jsr CHRGOT
        cmp #TOK_GOTO
        beq @cond
        cmp #TOK_THEN
        bne SNERR4
@cond:
        lda FACEXP
        bne @true
@false:
        jmp REM_STMT
@true:
        jsr CHRGET
        bcc GOTO_STMT                   ; THEN line, GOTO line
        jmp EXECUTE                     ; THEN statement

; ON expression GOTO/GOSUB line, line, ...
ON_STMT:
        jsr GETBYT
        stx CHARAC
        jsr CHRGOT
        cmp #TOK_GOSUB
        beq @ok
        cmp #TOK_GOTO
        bne SNERR4
@ok:
        pha
@loop:
        dec CHARAC
        bne @skip
        pla
        jmp EXECUTE                     ; (Z clear: A is a token)
@skip:
        jsr CHRGET
        jsr LINGET
        cmp #','
        beq @loop
        pla
        rts
SNERR4:
        jmp SNERR

; DIM name(sizes) [, ...]
DIM_STMT:
        lda #$FF
        sta DIMFLG
        jsr PTRGET
        lda #0
        sta DIMFLG
        jsr CHRGOT
        cmp #','
        bne @done
        jsr CHRGET
        bne DIM_STMT                    ; (a name follows)
@done:
        rts

; DEF FNx(v) = expression. The FN "variable" holds the address of the '=' and the address of
; the parameter variable.
DEF_STMT:
        jsr ERRDIR
        lda #TOK_FN
        jsr SYNCHR
        lda #$C0
        sta SUBFLG
        jsr PTRGET
        sta FORPNT
        sty FORPNT+1
        jsr CHKOPN
        lda #$80
        sta SUBFLG
        jsr PTRGET                      ; the parameter (FORPNT does not move)
        jsr CHKNUM
        jsr CHKCLS
        ldy #0
        lda TXTPTR
        sta (FORPNT),y
        iny
        lda TXTPTR+1
        sta (FORPNT),y
        iny
        lda VARPNT
        sta (FORPNT),y
        iny
        lda VARPNT+1
        sta (FORPNT),y
        lda #TOK_EQUAL
        jsr SYNCHR
        jmp DATA_STMT

; ERRDIR: ?ID in direct mode.
ERRDIR:
        ldx CURLIN+1
        inx
        bne @ok
        ldx #ERR_ID
        jmp ERROR
@ok:
        rts

; FN_CALL: FNx(expression) inside an expression (CHRGOT = the FN token).
FN_CALL:
        jsr CHRGET
        lda #$E0                        ; FN name, not subscripted, never created
        sta SUBFLG
        jsr PTRGET
        ldy #1
        lda (VARPNT),y
        bne @defined
        ldx #ERR_UF
        jmp ERROR
@defined:
        lda VARPNT+1
        pha
        lda VARPNT
        pha
        jsr PARCHK
        jsr CHKNUM
        pla
        sta INDEX
        pla
        sta INDEX+1
        lda TXTPTR+1                    ; the caller's text
        pha
        lda TXTPTR
        pha
        ldy #0                          ; the body: from the '=' of the definition
        lda (INDEX),y
        sta TXTPTR
        iny
        lda (INDEX),y
        sta TXTPTR+1
        iny
        lda (INDEX),y                   ; the parameter
        sta DEST
        iny
        lda (INDEX),y
        sta DEST+1
@save:                                  ; its value (Y = 3 .. 0)
        lda (DEST),y
        pha
        dey
        bpl @save
        lda DEST+1
        pha
        lda DEST
        pha
        ldx DEST
        ldy DEST+1
        jsr FSTORE                      ; parameter = argument
        jsr CHRGET
        jsr FRMNUM
        pla
        sta DEST
        pla
        sta DEST+1
        ldy #0
@restore:
        pla
        sta (DEST),y
        iny
        cpy #4
        bne @restore
        pla
        sta TXTPTR
        pla
        sta TXTPTR+1
        rts

; POKE address, value
POKE_STMT:
        jsr GETPOKE
        txa
        ldy #0
        sta (LINNUM),y
        rts

; GETPOKE: address , byte: LINNUM = address, X = byte (expressions leave LINNUM alone).
GETPOKE:
        jsr GETADR
        jsr CHKCOM
        jmp GETBYT

; WAIT address, and-mask [, xor-mask]: wait until (PEEK(address) XOR xor) AND and <> 0.
WAIT_STMT:
        jsr GETPOKE
        txa
        pha
        ldx #0
        jsr CHRGOT
        beq @go
        jsr CHKCOM
        jsr GETBYT
@go:
        stx TEMP1
        pla
        sta TEMP1+1
        ldy #0
@wait:
        lda (LINNUM),y
        eor TEMP1
        and TEMP1+1
        beq @wait
        rts


; LINGET: read a decimal line number (0..63999) at CHRGOT into LINNUM; ?SN if larger.
; Out: A = the character after it (as CHRGOT leaves it). X kept.
LINGET:
        lda #0
        sta LINNUM
        sta LINNUM+1
        jsr CHRGOT
        bcs @done
@loop:
        sbc #'0'-1                      ; C clear: A - '0'
        pha
        lda LINNUM+1
        cmp #>6400
        bcs @snerr                      ; 6400 * 10 > 63999
        lda LINNUM                      ; LINNUM * 10 = (LINNUM * 4 + LINNUM) * 2
        ldy LINNUM+1
        asl LINNUM
        rol LINNUM+1
        asl LINNUM
        rol LINNUM+1
        adc LINNUM                      ; (C clear: LINNUM < 6400)
        sta LINNUM
        tya
        adc LINNUM+1
        sta LINNUM+1
        asl LINNUM
        rol LINNUM+1
        pla
        adc LINNUM
        sta LINNUM
        bcc @next
        inc LINNUM+1
@next:
        jsr CHRGET
        bcc @loop
@done:
        rts
@snerr:
        jmp SNERR

; INPUT's message for an answer with more items than the statement reads (here rather than
; in io.asm for want of room below the break entry).
MSG_EXTRA:      .byte "?EXTRA IGNORED", CR, LF, 0


; INSLINE: the numbered line in BUF (LINNUM, crunched text from BUF, COUNT bytes with its 0):
; replace, insert or (empty text) delete it. Variables are cleared.
