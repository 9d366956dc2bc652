; strings.asm -- string literals, temporary descriptors, string space and garbage collection,
; concatenation and comparison, the string functions, FRE, and string assignment.
;
; A descriptor is 3 bytes: length, address low, address high (a string variable or array
; element holds one followed by a 0). Up to three temporary descriptors live at TEMPST;
; TEMPPT points at the next free one (?ST when full). String data grows down from MEMSIZ;
; FRETOP is its lowest byte. Data that lives in the program text is never copied.

; STRLIT: make a temporary string of the text at A (low) / Y (high) up to a '"' or a 0.
; STRLIT2: the same, ending at CHARAC, ENDCHR or 0.
; Out: temporary descriptor in FAC (VALTYP = $FF), INDEX = start, A = length.
STRLIT:
        ldx #'"'
        stx CHARAC
        stx ENDCHR
STRLIT2:
        sta INDEX
        sty INDEX+1
        ldy #$FF
@scan:
        iny
        lda (INDEX),y
        beq @end
        cmp CHARAC
        beq @end
        cmp ENDCHR
        bne @scan
@end:
        tya
; PUSHTEMP: new temporary descriptor: length A, address INDEX. FAC points at it.
PUSHTEMP:
        ldx TEMPPT
        cpx #TEMPST+9
        bcs @sterr
        sta 0,x
        pha
        lda INDEX
        sta 1,x
        lda INDEX+1
        sta 2,x
        stx FACMO
        lda #0
        sta FACLO
        inx
        inx
        inx
        stx TEMPPT
        lda #$FF
        sta VALTYP
        pla
        rts
@sterr:
        ldx #ERR_ST
        jmp ERROR

; STRLIT_SKIP: after STRLIT on program text, move TXTPTR past the literal and its closing quote.
STRLIT_SKIP:
        clc
        adc INDEX
        sta TXTPTR
        lda INDEX+1
        adc #0
        sta TXTPTR+1
        jsr CHRGOT
        cmp #'"'
        bne @done
        jmp CHRGET
@done:
        rts

; FREFAC: the string in FAC: if its descriptor is the newest temporary, release that.
; Out: A = length, INDEX = address, C set if a temporary was released. X kept.
FREFAC:
        lda FACMO
        ldy FACLO
        sta DSCPTR
        sty DSCPTR+1
        clc
        bne @notemp                     ; temporaries are in page 0
        adc #3
        cmp TEMPPT                      ; the newest one ends at TEMPPT
        bne @notemp                     ; (C clear: an older one)
        lda FACMO
        sta TEMPPT                      ; (C set by the equal compare)
@notemp:                                ; (nothing below changes C)
        ldy #1
        lda (DSCPTR),y
        sta INDEX
        iny
        lda (DSCPTR),y
        sta INDEX+1
        ldy #0
        lda (DSCPTR),y
        rts

; FRESTR: the string in FAC (?TM for a number), releasing its temporary descriptor.
; Out: A = length, INDEX = address. (Its space comes back at the next garbage collection.)
FRESTR:
        jsr CHKSTR
        jmp FREFAC

; GETSPA: allocate A bytes of string space (garbage-collecting once if needed, else ?OM).
; Out: FRESPC = FRETOP = address; A = length. Clobbers X, Y.
GETSPA:
        pha
        clc
        adc STREND
        tay
        lda STREND+1
        adc #0
        jsr REASON                      ; STREND + length must stay below FRETOP
        pla
        pha
        eor #$FF
        sec
        adc FRETOP                      ; FRETOP - length
        sta FRETOP
        sta FRESPC
        lda FRETOP+1
        sbc #0
        sta FRETOP+1
        sta FRESPC+1
        pla
        rts

; GARBAG: compact string space. Repeatedly takes, among the descriptors (temporaries, simple
; string variables, string array elements), the string with the highest address below the
; last one moved, and moves it up against the strings already packed. Empty strings and
; strings outside string space are left alone, and string arrays are walked element by
; element (4 bytes each), so the original's hang on a string array cannot happen here.
; It preserves $99-$A3 (LOWTR .. TEMP1) for its callers and uses GCDESC itself.
GC_TOP          = HIGHDS                ; packed strings start here
GC_LIM          = HIGHTR                ; only strings below this address remain
GC_BEST         = LOWTR                 ; address of the best candidate (high byte 0: none)
GC_BESTD        = GCDESC                ; its descriptor
GC_WALK         = TEMP1                 ; descriptor / variable walk
GC_END          = DSCPTR                ; end of the region being walked
GC_STRIDE       = TEMP1+2               ; 3, 4 or 6
GARBAG:
        ldx #$A3-LOWTR
@save1:
        lda LOWTR,x
        pha
        dex
        bpl @save1
        lda MEMSIZ
        sta GC_TOP
        sta GC_LIM
        lda MEMSIZ+1
        sta GC_TOP+1
        sta GC_LIM+1
@pass:
        lda #0
        sta GC_BEST+1
        sta GC_WALK+1
        sta GC_END+1
        lda #TEMPST
        sta GC_WALK
        lda TEMPPT
        sta GC_END
        lda #3
        jsr @scan                       ; temporaries
        lda VARTAB
        sta GC_WALK
        lda VARTAB+1
        sta GC_WALK+1
        lda ARYTAB
        sta GC_END
        lda ARYTAB+1
        sta GC_END+1
        lda #6
        jsr @scan                       ; simple variables; GC_WALK ends at ARYTAB
@array:
        lda GC_WALK
        cmp STREND
        lda GC_WALK+1
        sbc STREND+1
        bcs @move
        ldy #2                          ; GC_END = the end of this array (C clear)
        lda (GC_WALK),y
        adc GC_WALK
        sta GC_END
        iny
        lda (GC_WALK),y
        adc GC_WALK+1
        sta GC_END+1
        ldy #1
        lda (GC_WALK),y
        bpl @anext                      ; numeric array
        ldy #4
        lda (GC_WALK),y
        asl a
        adc #5
        adc GC_WALK                     ; its first element
        sta GC_WALK
        bcc @a1
        inc GC_WALK+1
@a1:
        lda #4                          ; elements: descriptor and a 0
        jsr @scan
@anext:
        lda GC_END
        sta GC_WALK
        lda GC_END+1
        sta GC_WALK+1
        bne @array                      ; (arrays are above page 0)

@move:
        lda GC_BEST+1
        beq @finish
        ldy #0                          ; move it up against GC_TOP: MOVEUP leaves GC_TOP on
        lda (GC_BESTD),y                ; its new address and GC_LIM = its old address
        clc
        adc GC_BEST
        sta GC_LIM
        lda GC_BEST+1
        adc #0
        sta GC_LIM+1
        jsr MOVEUP
        ldy #1
        lda GC_TOP
        sta (GC_BESTD),y
        iny
        lda GC_TOP+1
        sta (GC_BESTD),y
        jmp @pass
@finish:
        lda GC_TOP
        sta FRETOP
        lda GC_TOP+1
        sta FRETOP+1
        ldx #0
@rest1:
        pla
        sta LOWTR,x
        inx
        cpx #$A3-LOWTR+1
        bne @rest1
        rts

; @scan: the descriptors from GC_WALK to GC_END, A = stride: 3 (temporaries), 4 (array
; elements: descriptor and a 0) or 6 (simple variables: two name bytes, then the descriptor
; of a string variable).
@scan:
        sta GC_STRIDE
@sloop:
        lda GC_WALK
        cmp GC_END
        lda GC_WALK+1
        sbc GC_END+1
        bcs @crts
        ldy #0
        lda GC_STRIDE
        cmp #6
        bne @check
        lda (GC_WALK),y                 ; FN definition?
        bmi @snext
        iny
        lda (GC_WALK),y                 ; numeric?
        bpl @snext
        iny
@check:                                 ; Y = offset of the descriptor
        lda (GC_WALK),y
        beq @snext                      ; empty string
        iny
        lda (GC_WALK),y
        pha
        iny
        lda (GC_WALK),y
        tax
        pla                             ; X/A = its address (high/low)
        cpx FRETOP+1
        bcc @snext
        bne @c1
        cmp FRETOP
        bcc @snext
@c1:
        cpx GC_LIM+1
        bcc @c2
        bne @snext
        cmp GC_LIM
        bcs @snext
@c2:
        cpx GC_BEST+1
        bcc @snext
        bne @c3
        cmp GC_BEST
        bcc @snext
@c3:
        sta GC_BEST
        stx GC_BEST+1
        dey
        dey
        tya
        clc
        adc GC_WALK
        sta GC_BESTD
        lda GC_WALK+1
        adc #0
        sta GC_BESTD+1
@snext:
        lda GC_STRIDE
        clc
        adc GC_WALK
        sta GC_WALK
        bcc @sloop
        inc GC_WALK+1
        bne @sloop
@crts:
        rts

; STRCOPY: copy the string in FAC (descriptor pointer) into new string space; the result is a
; new temporary in FAC. Used when the data lives where it will not stay (buffer, $0100).
STRCOPY:
        jsr FREFAC
        jsr GETSPA
        jsr FREFAC                      ; the source may have moved (A = its length again)
        jmp COPYTEMP

; CONCAT: left string (descriptor pointer in RESULT+2/+3) + right string (FAC).
CONCAT:
        ldy #0
        lda (RESULT+2),y
        clc
        adc (FACMO),y
        bcc @ok
        ldx #ERR_LS
        jmp ERROR
@ok:
        jsr GETSPA                      ; (a collection updates both descriptors)
        lda FACLO
        pha
        lda FACMO
        pha
        jsr @left                       ; released only if it is the newest temporary
        jsr MOVSTR
        pla
        sta FACMO
        pla
        sta FACLO
        jsr FREFAC                      ; right
        jsr MOVSTR
        jsr @left                       ; left, now the newest if a temporary
        jmp NEWTEMP
@left:
        lda RESULT+2
        sta FACMO
        lda RESULT+3
        sta FACLO
        jmp FREFAC

; COPYTEMP: copy A bytes from INDEX to new string space (allocated by GETSPA) and make a
; temporary of the new string.
COPYTEMP:
        jsr MOVSTR
; NEWTEMP: temporary for the string from FRETOP to FRESPC (just allocated and filled).
NEWTEMP:
        lda FRETOP
        sta INDEX
        lda FRETOP+1
        sta INDEX+1
        lda FRESPC
        sec
        sbc INDEX
        jmp PUSHTEMP

; MOVSTR: copy A bytes from INDEX to FRESPC; FRESPC += A.
MOVSTR:
        tax
        tay
        beq @adv
@copy:
        dey
        lda (INDEX),y
        sta (FRESPC),y
        tya
        bne @copy
@adv:
        txa
        clc
        adc FRESPC
        sta FRESPC
        bcc @rts
        inc FRESPC+1
@rts:
        rts

; STRCMP: compare the left string (RESULT+2/+3) with the right one (FAC).
; Out: A = 0 equal, 1 right greater, $FF right smaller (like FCMP).
STRCMP:
        jsr FREFAC                      ; right
        sta COUNT
        lda INDEX
        sta DEST
        lda INDEX+1
        sta DEST+1
        lda RESULT+2
        sta FACMO
        lda RESULT+3
        sta FACLO
        jsr FREFAC                      ; left: INDEX, A
        sta TEMP1
        ldy #0
@loop:
        cpy TEMP1
        beq @leftend
        cpy COUNT
        beq @greater                    ; the right one ended first
        lda (INDEX),y
        cmp (DEST),y
        bne @differ
        iny
        bne @loop
@leftend:
        cpy COUNT
        bne @less
        lda #0
        rts
@differ:
        bcs @greater
@less:
        lda #1                          ; left < right
        rts
@greater:
        lda #$FF
        rts

; ----------------------------------------------------------------------------------------
; String functions. FAC holds the (already evaluated) argument for LEN STR$ VAL ASC CHR$.
FN_LEN:
        jsr FRESTR
GIVBYTE:
        tay
        lda #0
        jmp GIVAYF

FN_ASC:
        jsr FRESTR
        tax
        beq FCERR3
        ldy #0
        lda (INDEX),y
        jmp GIVBYTE
FCERR3:
        jmp FCERR

FN_CHR:
        jsr CHKNUM
        jsr CONINT
        stx TEMP1+2
        lda #<(TEMP1+2)
        sta INDEX
        lda #0
        sta INDEX+1
        lda #1
        jsr GETSPA
        jmp COPYTEMP

FN_STR:
        jsr CHKNUM
        jsr FOUT
        jsr STRLIT
        jmp STRCOPY

FN_VAL:
        jsr FRESTR
        tax
        lda TXTPTR
        pha
        lda TXTPTR+1
        pha
        txa                             ; a 0 after the string while FIN reads it
        clc
        adc INDEX
        sta DEST
        lda INDEX+1
        adc #0
        sta DEST+1
        ldy #0
        lda (DEST),y
        pha
        tya
        sta (DEST),y
        lda INDEX
        sta TXTPTR
        lda INDEX+1
        sta TXTPTR+1
        lda #0
        sta VALTYP
        jsr CHRGOT
        jsr FINSIGN
        pla
        ldy #0
        sta (DEST),y
        pla
        sta TXTPTR+1
        pla
        sta TXTPTR
        rts

; FINSIGN: FIN with an optional leading '+' or '-' (INPUT, READ and VAL read ASCII text).
FINSIGN:
        bcc @fin                        ; a digit
        cmp #'+'
        beq @plus
        cmp #'-'
        bne @other
        jsr CHRGET
        jsr FIN
        jmp FNEG
@other:
        sec                             ; (FIN wants the flags CHRGOT gives)
        bcs @fin
@plus:
        jsr CHRGET
@fin:
        jmp FIN

; LEFT$(s$, n) RIGHT$(s$, n) MID$(s$, m[, n]). CHRGOT = '('.
FN_LEFT:
        lda #0
        .byte $2C
FN_RIGHT:
        lda #1
        .byte $2C
FN_MID:
        lda #2
        pha
        jsr CHKOPN
        jsr FRMEVL
        jsr CHKSTR
        lda FACLO
        pha
        lda FACMO
        pha
        jsr CHKCOM
        jsr GETBYT
        txa
        pha                             ; n (LEFT$/RIGHT$) or m (MID$)
        ldx #255                        ; MID$ length when not given
        jsr CHRGOT
        cmp #','
        bne @close
        jsr CHRGET
        jsr GETBYT
@close:
        stx COUNT
        jsr CHKCLS
        pla
        sta TEMP1                       ; n or m: 0 is ?FC for all three, as the original
        beq @fc
        pla
        sta FACMO
        pla
        sta FACLO
        ldy #0
        lda (FACMO),y
        sta TEMP1+1                     ; length of the string
        pla                             ; 0 LEFT$, 1 RIGHT$, 2 MID$
        beq @left
        lsr a
        bcs @right
        lda TEMP1                       ; MID$: start at m - 1 (C clear)
        sbc #0
        bcs @clamp
@fc:
        jmp FCERR
@right:
        lda TEMP1+1                     ; RIGHT$: start at length - n (C set), count 255
        sbc TEMP1
        bcs @clamp
        lda #0
        beq @clamp
@left:
        ldx TEMP1
        stx COUNT                       ; A = 0: start at 0
@clamp:
        cmp TEMP1+1                     ; start <= length
        bcc @c1
        lda TEMP1+1
@c1:
        sta RESULT
        eor #$FF
        sec
        adc TEMP1+1                     ; count <= length - start
        cmp COUNT
        bcc @sub
        lda COUNT
@sub:
; SUBSTR: new temporary with A bytes from offset RESULT of the string in FAC.
        jsr GETSPA                      ; (keeps A; a collection leaves FAC and RESULT alone)
        pha
        jsr FREFAC                      ; source (it may have moved); releases a temporary
        lda INDEX
        clc
        adc RESULT
        sta INDEX
        bcc @s1
        inc INDEX+1
@s1:
        pla
        jmp COPYTEMP

; FRE(x): garbage-collect, then the free bytes between the arrays and the strings (signed).
FN_FRE:                                 ; (a string argument's temporary ends with the statement)
        jsr GARBAG
        lda FRETOP
        sec
        sbc STREND
        tay
        lda FRETOP+1
        sbc STREND+1
        jmp GIVAYF

; ----------------------------------------------------------------------------------------
; LETSTR: assign the string in FAC to the descriptor at FORPNT (3 bytes).
; Program-text strings are shared; a fresh temporary in string space is taken over;
; anything else is copied into string space.
LETSTR:
        jsr FREFAC
        ldx #0
        bcc @nt
        dex                             ; X = $FF: it was a temporary
@nt:
        ldy INDEX+1
        cpy VARTAB+1
        bne @c1
        ldy INDEX
        cpy VARTAB
@c1:
        bcc @below
        inx                             ; string space: a temporary is taken over
        beq @store
        bne @copy
@below:
        ldy INDEX+1                     ; the program text is shared; the input buffer and
        cpy #>PROGRAM                   ; FOUT's buffer are not
        bcs @store
@copy:
        jsr GETSPA
        jsr FREFAC                      ; re-read: the source may have moved
        jsr COPYTEMP
        jsr FREFAC
@store:
        ldy #0
        sta (FORPNT),y
        iny
        lda INDEX
        sta (FORPNT),y
        iny
        lda INDEX+1
        sta (FORPNT),y
        rts
