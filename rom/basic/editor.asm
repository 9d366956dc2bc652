; editor.asm -- line numbers, program lines: find, insert, delete, relink; block moves.
;
; Program format (hardware.md §7): from TXTTAB ($0301, with $0300 = 0), each line is
; link to the next line (2), line number (2), crunched text, 0. Two 0 bytes end the program.

; LINGET: read a decimal line number (0..63999) at CHRGOT into LINNUM; ?SN if larger.
; Out: A = the character after it (as CHRGOT leaves it). X and Y kept.
LINGET:
        lda #0
        sta LINNUM
        sta LINNUM+1
        jsr CHRGOT
@loop:
        bcs @done
        sbc #'0'-1                      ; C clear: A - '0'
        pha
        lda LINNUM+1
        cmp #>6400
        bcs @snerr                      ; 6400 * 10 > 63999
        lda LINNUM                      ; LINNUM * 10 = (LINNUM * 4 + LINNUM) * 2
        sta TEMP1
        lda LINNUM+1
        sta TEMP1+1
        asl LINNUM
        rol LINNUM+1
        asl LINNUM
        rol LINNUM+1
        lda LINNUM
        clc
        adc TEMP1
        sta LINNUM
        lda LINNUM+1
        adc TEMP1+1
        sta LINNUM+1
        asl LINNUM
        rol LINNUM+1
        pla
        clc
        adc LINNUM
        sta LINNUM
        bcc @c2
        inc LINNUM+1
@c2:
        jsr CHRGET
        jmp @loop
@snerr:
        jmp SNERR
@done:
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

; INSLINE: the numbered line in BUF (LINNUM, crunched text from BUF, COUNT bytes with its 0):
; replace, insert or (empty text) delete it. Variables are cleared.
        .assert LINNUM+2 = BUF, "INSLINE copies LINNUM and BUF as one block"
INSLINE:
        jsr FNDLIN
        bcc @nodelete
        ldy #0                          ; delete the old line: move the rest down over it
        lda (LOWTR),y
        sta INDEX
        iny
        lda (LOWTR),y
        sta INDEX+1
        lda LOWTR
        sta DEST
        lda LOWTR+1
        sta DEST+1
        jsr MOVEDOWN
        lda DEST
        sta VARTAB
        lda DEST+1
        sta VARTAB+1
@nodelete:
        jsr CLEARC
        lda BUF
        beq FIXLINKS
        lda COUNT                       ; room for link + number + text
        clc
        adc #4
        sta COUNT
        adc VARTAB
        sta HIGHDS
        tay
        lda VARTAB+1
        adc #0
        sta HIGHDS+1
        jsr REASON
        lda VARTAB
        sta HIGHTR
        lda VARTAB+1
        sta HIGHTR+1
        jsr MOVEUP
        ldy #0
        lda #1                          ; any nonzero link; FIXLINKS sets the real one
        sta (LOWTR),y
        iny
        sta (LOWTR),y
        iny                             ; then LINNUM (just below BUF) and the text
@copy:
        lda BUF-4,y
        sta (LOWTR),y
        iny
        cpy COUNT
        bne @copy
; FIXLINKS: recompute every line's link; then clear the variables.
FIXLINKS:
        lda TXTTAB
        ldx TXTTAB+1
@line:
        sta INDEX
        stx INDEX+1
        ldy #1
        lda (INDEX),y
        beq @done
        ldy #4
@scan:
        iny
        lda (INDEX),y
        bne @scan
        iny
        tya
        clc
        adc INDEX
        tax
        ldy #0
        sta (INDEX),y
        lda INDEX+1
        adc #0
        iny
        sta (INDEX),y
        tay
        txa
        pha
        tya
        tax
        pla
        jmp @line
@done:
        lda INDEX
        clc
        adc #2
        sta VARTAB
        lda INDEX+1
        adc #0
        sta VARTAB+1
        jmp CLEARC

; MOVEUP: copy [LOWTR, HIGHTR) so that it ends at HIGHDS (overlap-safe for an upward move).
; LOWTR is kept.
MOVEUP:
        lda HIGHTR
        cmp LOWTR
        bne @step
        lda HIGHTR+1
        cmp LOWTR+1
        beq @done
@step:
        lda HIGHTR
        bne @h1
        dec HIGHTR+1
@h1:
        dec HIGHTR
        lda HIGHDS
        bne @h2
        dec HIGHDS+1
@h2:
        dec HIGHDS
        ldy #0
        lda (HIGHTR),y
        sta (HIGHDS),y
        jmp MOVEUP
@done:
        rts

; MOVEDOWN: copy [INDEX, VARTAB) to DEST upwards (overlap-safe for a downward move).
; Out: DEST = the end of the copy.
MOVEDOWN:
        ldy #0
@loop:
        lda INDEX
        cmp VARTAB
        bne @copy
        lda INDEX+1
        cmp VARTAB+1
        beq @done
@copy:
        lda (INDEX),y
        sta (DEST),y
        inc INDEX
        bne @d1
        inc INDEX+1
@d1:
        inc DEST
        bne @loop
        inc DEST+1
        bne @loop
@done:
        rts
