; editor.asm -- program lines: insert, delete, relink; block moves. (PEEK and POS are kept
; here too: this file fills the space between the cold start and the screen driver.)
;
; Program format (docs/hardware.md §7): from TXTTAB ($0301, with $0300 = 0), each line is
; link to the next line (2), line number (2), crunched text, 0. Two 0 bytes end the program.

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
        pha                             ; the next line: low
        lda INDEX+1
        adc #0
        tax                             ; high
        ldy #1
        sta (INDEX),y
        dey
        pla
        sta (INDEX),y
        bcc @line                       ; (C clear: no carry out of the address)
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

; FN_PEEK / FN_POS (FAC in, FAC out)
FN_PEEK:
        jsr FTOUINT
        lda FACMO                       ; the address as a pointer at FACLO (low), FACLO+1
        sta FACLO+1
        ldy #0
        lda (FACLO),y
        jmp GIVBYTE
FN_POS:
        lda POSX
        jmp GIVBYTE
