; eval.asm -- expression evaluator, variable lookup, arrays.
;
; An expression is evaluated by precedence climbing on the 6502 stack. Binding strength
; (as in the original): ^ 127, unary - 125, * / 123, + - 121, relational 100, NOT 90,
; AND 80, OR 70; equal strengths associate to the left.
; After an element, TXTPTR points at the first character after it (CHRGOT gives it).
; A numeric result is in FAC (VALTYP = 0); a string result is a pointer to its descriptor in
; FACMO/FACLO (VALTYP = $FF).

PRECTAB:        .byte 121, 121, 123, 123, 127, 80, 70, 100, 100, 100
RELBITS:        .byte 1, 2, 4               ; > = <, also FCMP result + 1 -> relation bit
NUMOPS:         .word FADD-1, FSUB-1, FMUL-1, FDIV-1, FPOW-1, OP_AND-1, OP_OR-1, OP_REL-1
PREC_NEG        = 125
PREC_NOT        = 90
PREC_REL        = 100

; FRMNUM: evaluate a numeric expression into FAC (?TM for a string).
FRMNUM:
        jsr FRMEVL
CHKNUM:
        bit VALTYP
        bmi TMERR
        rts
CHKSTR:
        bit VALTYP
        bmi CHKRTS
TMERR:
        ldx #ERR_TM
        .byte $2C                       ; BIT abs: skip the next LDX
SNERR:
        ldx #ERR_SN
        jmp ERROR
CHKRTS:
        rts

; CHKCLS / CHKOPN / CHKCOM: the current character must be ')' / '(' / ','; skip it.
CHKCLS:
        lda #')'
        .byte $2C
CHKOPN:
        lda #'('
        .byte $2C
CHKCOM:
        lda #','
; SYNCHR: the current character must be A (else ?SN); then CHRGET.
SYNCHR:
        ldy #0
        cmp (TXTPTR),y
        bne SNERR
        jmp CHRGET

; FRMEVL: evaluate the expression at CHRGOT.
FRMEVL:
        lda #0
; FRMPREC: evaluate an expression binding only operators stronger than A.
FRMPREC:
        pha
        tsx
        cpx #$48                        ; keep $0100-$012F for FOUT's buffer
        bcs @room
        jmp OMERR
@room:
        jsr EVAL_ELEMENT
@loop:
        jsr CHRGOT
        sec
        sbc #TOK_PLUS
        bcc @done
        cmp #10
        bcs @done
        tay
        lda PRECTAB,y
        tsx
        cmp STACK+1,x
        bcc @done
        beq @done
        pha                             ; strength, for the right operand
        lda #0
        sta CPRMASK
        cpy #7
        bcc @notrel
        lda #7                          ; all relational operators are operator 7
        pha
@rel:
        jsr CHRGOT                      ; collect > = < into a mask
        sec
        sbc #TOK_GREATER
        bcc @pushv
        cmp #3
        bcs @pushv
        tax
        lda RELBITS,x
        bit CPRMASK
        bne SNERR
        ora CPRMASK
        sta CPRMASK
        jsr CHRGET
        jmp @rel
@done:
        pla
        rts
@notrel:
        tya
        pha                             ; operator number
        jsr CHRGET
@pushv:
        lda CPRMASK
        pha
        bit VALTYP                      ; the left operand, packed as at RESULT (exponent
        bmi @pushstr                    ; on top): a number rounded, as a store would
        jsr fp_round
        lda FAC+3
        pha
        lda FAC+2
        pha
        lda FACSIGN
        ora #$7F
        and FAC+1
        pha
        lda FAC
        pha
        jmp @pushed
@pushstr:                               ; a string: its descriptor's address at RESULT+2
        lda FACLO
        pha
        lda FACMO
        pha
        pha
        pha
@pushed:
        lda VALTYP
        pha
        tsx
        lda STACK+8,x                   ; the operator's strength
        jsr FRMPREC
        pla
        eor VALTYP
        bmi @tm
        ldx #0
@pop4:
        pla
        sta RESULT,x
        inx
        cpx #4
        bne @pop4
        pla
        sta CPRMASK
        pla
        tay                             ; operator number
        pla                             ; (its strength)
        lda #>(@loop-1)                 ; every operator returns to @loop
        pha
        lda #<(@loop-1)
        pha
        bit VALTYP
        bpl @numeric
        cpy #0
        bne @strrel
        jmp CONCAT
@strrel:
        cpy #7
        bne @tm
        jsr STRCMP
        jmp RELRESULT
@tm:
        jmp TMERR
@numeric:
        tya                             ; ALOAD returns into the operator (entered by RTS)
        asl a
        tay
        lda NUMOPS+1,y
        pha
        lda NUMOPS,y
        pha
        lda #<RESULT
        ldy #>RESULT
        jmp ALOAD

; OP_REL: numeric comparison of RESULT (left, packed) with FAC (right); FAC = -1 or 0.
OP_REL:
        lda #<RESULT
        ldy #>RESULT
        jsr FCMP                        ; 1: FAC > left, i.e. left < right
RELRESULT:                              ; A = 0/1/$FF as FCMP; apply CPRMASK
        clc
        adc #1
        tax
        lda RELBITS,x
        and CPRMASK
        beq @false
        lda #$FF
@false:
        tay
; GIVAYF: FAC = signed 16-bit A (high) / Y (low), numeric.
GIVAYF:
        ldx #0
        stx VALTYP
        jmp INTTOF

; OP_AND / OP_OR: 16-bit integer AND / OR of ARG (left) and FAC (right).
OP_AND:
        ldy #0
        .byte $2C
OP_OR:
        ldy #$FF
        sty COUNT
        jsr FTOINT                      ; right operand
        lda FACMO
        pha
        lda FACLO
        pha
        jsr ARGTOF
        jsr FTOINT                      ; left operand
        pla
        tay
        pla
        bit COUNT
        bmi @or
        and FACMO
        pha
        tya
        and FACLO
        jmp @give
@or:
        ora FACMO
        pha
        tya
        ora FACLO
@give:
        tay
        pla
        jmp GIVAYF

; PARCHK: ( expression ). (Here, in reach of EVAL_ELEMENT's branch for a bracket.)
PARCHK:
        jsr CHKOPN
        jsr FRMEVL
        jmp CHKCLS

; EVAL_ELEMENT: one operand: number, variable, "string", (expression), unary - + NOT,
; FN call or a function.
EVAL_ELEMENT:
        lda #0
        sta VALTYP
        jsr CHRGOT
        bcc @number
        cmp #'.'
        beq @number
        jsr ISLETTER
        bcs @variable
        cmp #'"'
        beq @string
        cmp #'('
        beq PARCHK
        cmp #TOK_PLUS
        beq @plus
        cmp #TOK_MINUS
        beq @minus
        cmp #TOK_NOT
        beq @not
        cmp #TOK_FN
        bne @func
        jmp FN_CALL
@func:
        cmp #TOK_SGN
        bcc @snerr
        cmp #TOK_MID+1
        bcc FUNCALL
@snerr:
        jmp SNERR
@number:
        jmp FIN
@variable:
        ldx #$20                        ; do not create a variable that is only read
        stx SUBFLG
        jsr PTRGET_LETTER               ; (A = its first letter)
        bit VALTYP
        bmi @strvar
        jmp FLOAD
@strvar:
        sta FACMO
        sty FACLO
        rts
@string:                                ; (C set by the equal compare)
        lda TXTPTR
        ldy TXTPTR+1
        adc #0
        bcc @s1
        iny
@s1:
        jsr STRLIT
        jmp STRLIT_SKIP
@plus:
        jsr CHRGET
        jmp EVAL_ELEMENT
@minus:
        jsr CHRGET
        lda #PREC_NEG
        jsr FRMPREC
        jsr CHKNUM
        jmp FNEG
@not:
        jsr CHRGET
        lda #PREC_NOT
        jsr FRMPREC
        jsr CHKNUM
        jsr FTOINT
        lda FACLO
        eor #$FF
        tay
        lda FACMO
        eor #$FF
        jmp GIVAYF

; FUNCALL: A = function token. LEFT$ RIGHT$ MID$ parse their own arguments; the others take
; one argument in parentheses, numeric unless the function says otherwise.
FUNCALL:
        sec
        sbc #TOK_SGN
        asl a
        tay                             ; (CHRGET keeps Y)
        jsr CHRGET
        cpy #(TOK_LEFT-TOK_SGN)*2
        bcs @call
        tya
        pha
        jsr PARCHK
        pla
        tay
        cpy #(TOK_LEN-TOK_SGN)*2
        bcs @call
        cpy #(TOK_FRE-TOK_SGN)*2
        beq @call
        jsr CHKNUM
@call:
        lda FUNCTAB+1,y                 ; entered by RTS
        pha
        lda FUNCTAB,y
        pha
        rts

; ISLETTER: C set if A is 'A'..'Z'. A is kept.
ISLETTER:
        cmp #'Z'+1
        bcs @no
        cmp #'A'
        rts
@no:
        clc
        rts

; GETBYT: evaluate a numeric expression, X = its value 0..255 (?FC otherwise).
GETBYT:
        jsr FRMNUM
CONINT:
        jsr FTOINT
        ldx FACLO
        lda FACMO
        bne FCERR
        rts
FCERR:
        ldx #ERR_FC
        jmp ERROR

; GETADR: evaluate a numeric expression as an address 0..65535 into LINNUM (negative: ?FC).
GETADR:
        jsr FRMNUM
        jsr FTOUINT
        lda FACLO
        sta LINNUM
        lda FACMO
        sta LINNUM+1
        rts

; AYINT: FAC -> integer 0..32767 in FACMO (high)/FACLO (low), ?FC if negative.
AYINT:
        jsr FTOINT
        lda FACMO
        bmi FCERR
        rts

; ----------------------------------------------------------------------------------------
; PTRGET: parse a variable name at CHRGOT and find it; A/Y = address of its value (also in
; VARPNT), VALTYP set. SUBFLG (reset here): $80 no subscripts, $40 FN name, $20 do not create
; a missing simple variable (return a constant zero instead).
PTRGET:
        jsr CHRGOT
        jsr ISLETTER
        bcs PTRGET_LETTER
        jmp SNERR
PTRGET_LETTER:                          ; the same with A = the first letter, at CHRGOT
        sta VARNAM
        ldx #0
        stx VARNAM+1
        jsr CHRGET
        bcc @second
        jsr ISLETTER
        bcc @endname
@second:
        sta VARNAM+1
@skip:
        jsr CHRGET                      ; further letters and digits do not count
        bcc @skip
        jsr ISLETTER
        bcs @skip
@endname:                               ; (X is still 0)
        cmp #'$'
        bne @numeric
        asl VARNAM+1                    ; bit 7 of the second letter: a string
        sec
        ror VARNAM+1
        ldx #$FF
        jsr CHRGET
@numeric:                               ; (A = the character after the name)
        stx VALTYP
        ldx SUBFLG
        bit SUBFLG                      ; V: an FN name
        ldy #0
        sty SUBFLG
        bvc @notfn
        asl VARNAM                      ; bit 7 of the first letter: FN
        sec
        ror VARNAM
@notfn:
        cmp #'('
        bne @simple
        txa
        bmi @simple
        jmp ARRAY
@simple:
        stx TEMP1+2
        lda VARTAB
        ldx VARTAB+1
@search:
        sta LOWTR
        stx LOWTR+1
        cpx ARYTAB+1
        bne @check
        cmp ARYTAB
        beq @notfound
@check:
        ldy #0
        lda (LOWTR),y
        cmp VARNAM
        bne @next
        iny
        lda (LOWTR),y
        cmp VARNAM+1
        beq @found
@next:
        lda LOWTR
        clc
        adc #6
        bcc @search
        inx
        bne @search
@found:
        lda LOWTR
        clc
        adc #2
        ldy LOWTR+1
        bcc @f1
        iny
@f1:
        sta VARPNT
        sty VARPNT+1
        rts
@notfound:
        lda TEMP1+2
        and #$20
        beq @create
        lda #<ZERO_CONST
        ldy #>ZERO_CONST
        bne @f1
@create:                                ; move the arrays up 6 bytes
        lda STREND
        clc
        adc #6
        tay
        lda STREND+1
        adc #0
        jsr REASON                      ; (keeps A and Y)
        sty HIGHDS
        sta HIGHDS+1
        ldx STREND
        stx HIGHTR
        ldx STREND+1
        stx HIGHTR+1
        sty STREND
        sta STREND+1
        jsr MOVEUP                      ; from LOWTR = ARYTAB, where the search stopped
        lda ARYTAB
        clc
        adc #6
        sta ARYTAB
        bcc @c1
        inc ARYTAB+1
@c1:
        ldy #0
        lda VARNAM
        sta (LOWTR),y
        iny
        lda VARNAM+1
        sta (LOWTR),y
        lda #0
@c2:
        iny
        sta (LOWTR),y
        cpy #5
        bne @c2
        beq @found

; REASON: make sure Y (low) / A (high) is below FRETOP, collecting garbage if needed.
REASON:
        cmp FRETOP+1
        bcc @ok
        bne @gc
        cpy FRETOP
        bcc @ok
@gc:
        pha
        tya
        pha
        jsr GARBAG
        pla
        tay
        pla
        cmp FRETOP+1
        bcc @ok
        bne OMERR
        cpy FRETOP
        bcs OMERR
@ok:
        rts
OMERR:
        ldx #ERR_OM
        jmp ERROR

; ----------------------------------------------------------------------------------------
; ARRAY: subscripted variable. CHRGOT = '('. Array layout: name (2), total size (2),
; number of dimensions (1), then the size of each dimension (2 each, last dimension first),
; then the elements, first subscript varying fastest: 4 bytes each, a float or, as in a simple
; string variable, a string descriptor followed by a 0 (the original's layout).
; DIMFLG nonzero: create it with the given sizes (?DD if it exists); otherwise an unknown
; array is created with 11 elements per dimension. At most 8 subscripts.
SUBBUF          = $0110                 ; subscripts (high, low), last subscript first
SIZEBUF         = $0120                 ; sizes of a new array's dimensions (low, high)
ARRAY:
        lda DIMFLG
        pha
        lda VALTYP
        pha
        lda VARNAM
        pha
        lda VARNAM+1
        pha
        lda #0
        sta DIMFLG
        pha                             ; count of subscripts
@sub:
        jsr CHRGET
        jsr FRMNUM
        jsr AYINT
        pla
        tax
        inx
        lda FACLO
        pha
        lda FACMO
        pha
        txa
        pha
        jsr CHRGOT
        cmp #','
        beq @sub
        jsr CHKCLS
        pla
        sta COUNT
        asl a
        sta TEMP1+2                     ; 2 * count
        cmp #17                         ; at most 8 subscripts
        bcs @bserr
        ldy #0
@pop:
        pla
        sta SUBBUF,y
        iny
        cpy TEMP1+2
        bne @pop
        pla
        sta VARNAM+1
        pla
        sta VARNAM
        pla
        sta VALTYP
        pla
        sta DIMFLG
        lda ARYTAB
        ldx ARYTAB+1
@search:
        sta LOWTR
        stx LOWTR+1
        cpx STREND+1
        bne @check
        cmp STREND
        beq @notfound
@check:
        ldy #0
        lda (LOWTR),y
        iny
        cmp VARNAM
        bne @next
        lda (LOWTR),y
        cmp VARNAM+1
        beq @found
@next:
        iny
        lda (LOWTR),y
        clc
        adc LOWTR
        pha
        iny
        lda (LOWTR),y
        adc LOWTR+1
        tax
        pla
        jmp @search
@found:
        lda DIMFLG
        beq @elj
        ldx #ERR_DD
        .byte $2C
@bserr:
        ldx #ERR_BS
        jmp ERROR
@elj:
        jmp @element
@notfound:
        lda #4                          ; product of the sizes times the element size
        sta DEST
        lda #0
        sta DEST+1
        tay
@size:
        lda #11
        ldx #0
        bit DIMFLG
        bpl @s1
        ldx SUBBUF,y                    ; DIM: size = subscript + 1
        lda SUBBUF+1,y
        clc
        adc #1
        bcc @s1
        inx
@s1:
        sta TEMP1
        sta SIZEBUF,y
        stx TEMP1+1
        txa
        sta SIZEBUF+1,y
        jsr MUL16
        iny
        iny
        cpy TEMP1+2
        bne @size
        tya
        clc
        adc #5
        sta RESULT+2                    ; header size
        adc DEST
        sta DEST
        bcc @t1
        inc DEST+1
@t1:
        lda DEST
        clc
        adc LOWTR
        tay
        lda DEST+1
        adc LOWTR+1
        bcs @om
        jsr REASON
        sty STREND
        sta STREND+1
        lda LOWTR                       ; clear it all
        sta INDEX
        lda LOWTR+1
        sta INDEX+1
        ldy #0
@clear:
        tya
        sta (INDEX),y
        inc INDEX
        bne @c1
        inc INDEX+1
@c1:
        lda INDEX
        cmp STREND
        bne @clear
        lda INDEX+1
        cmp STREND+1
        bne @clear
        lda VARNAM                      ; header
        sta (LOWTR),y
        iny
        lda VARNAM+1
        sta (LOWTR),y
        iny
        lda DEST
        sta (LOWTR),y
        iny
        lda DEST+1
        sta (LOWTR),y
        iny
        lda COUNT
        sta (LOWTR),y
        ldx #0
@hdr:
        iny
        lda SIZEBUF,x
        sta (LOWTR),y
        inx
        cpx TEMP1+2
        bne @hdr
        lda DIMFLG
        bpl @element
        rts
@om:
        jmp OMERR
@element:
        ldy #4
        lda (LOWTR),y
        cmp COUNT
        bne @bs2
        lda #0
        sta DEST
        sta DEST+1
        tax
@el:
        iny
        lda (LOWTR),y
        sta TEMP1
        iny
        lda (LOWTR),y
        sta TEMP1+1
        lda DEST
        ora DEST+1
        beq @first                      ; 0 times the size: nothing to multiply
        txa
        pha
        jsr MUL16                       ; DEST *= size of this dimension
        pla
        tax
@first:
        lda SUBBUF+1,x
        cmp TEMP1
        lda SUBBUF,x
        sbc TEMP1+1
        bcs @bs2                      ; subscript >= size
        lda SUBBUF+1,x
        adc DEST
        sta DEST
        lda SUBBUF,x
        adc DEST+1
        sta DEST+1
        inx
        inx
        cpx TEMP1+2
        bne @el
        iny                             ; Y = header size
        sty RESULT+2
        asl DEST                        ; DEST *= 4, the element size (no overflow: the
        rol DEST+1                      ; array fits in memory)
        asl DEST
        rol DEST+1
        lda RESULT+2
        clc
        adc LOWTR
        tay
        lda LOWTR+1
        adc #0
        tax
        tya
        clc
        adc DEST
        sta VARPNT
        txa
        adc DEST+1
        sta VARPNT+1
        tay
        lda VARPNT
        rts
@bs2:
        jmp @bserr

; MUL16: DEST = DEST * TEMP1 (16-bit), ?OM on overflow. Clobbers A, X.
MUL16:
        lda #0
        sta RESULT
        sta RESULT+1
        ldx #16
@loop:
        asl RESULT
        rol RESULT+1
        bcs @om
        asl DEST
        rol DEST+1
        bcc @noadd
        lda RESULT
        clc
        adc TEMP1
        sta RESULT
        lda RESULT+1
        adc TEMP1+1
        sta RESULT+1
        bcs @om
@noadd:
        dex
        bne @loop
        lda RESULT
        sta DEST
        lda RESULT+1
        sta DEST+1
        rts
@om:
        jmp OMERR
