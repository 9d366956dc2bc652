; ---------------------------------------------------------------------------
; float.asm -- floating-point core of the open 8K BASIC
;
; Provides (contract: docs/basic_fp_api.md):
;   FLOAD ALOAD FSTORE FTOARG ARGTOF          moving numbers
;   FADD FSUB FMUL FDIV FNEG FABS FSIGN FSGN  arithmetic, sign
;   FCMP                                      comparison
;   FINT FTOINT FTOUINT INTTOF BYTETOF        integer conversions
;   FIN FOUT                                  text <-> number
; math.asm (included after this file) adds the BASIC functions.
;
; Number format (docs/hardware.md section 7): 4 packed bytes
;   exponent (bias $80, 0 means the number is 0),
;   mantissa 0.1xxx... in 3 bytes, high byte first; the always-1 top bit is
;   replaced by the sign (bit 7 of byte 1).
; FAC is kept unpacked: exponent, 3 mantissa bytes with the top bit set,
; sign byte (bit 7; 0 or $80), and an extension byte FACEXT holding 8 more
; mantissa bits, so results are rounded (half up) only when a number is
; packed (FSTORE, FTOARG) or printed. ARG has the same layout (ARG+5 is its
; extension, used while FADD aligns it).
;
; Needs from the includer: ERROR (X = error offset), CHRGET, CHRGOT
; (CHRGET: next character in A, C clear for a digit), FABS (FACSIGN = 0,
; keeping X and Y; io.asm has it, where the BASIC image has room).
;
; Every routine may clobber A, X and Y unless its comment says otherwise;
; FADD/FSUB/FDIV/FPOW and the functions also destroy ARG, FOUT destroys
; FAC, FCMP leaves FAC rounded.  Deepest use of the 6502 stack: 20
; bytes with the return address (measured, FPOW).  Internal labels: fp_.
; ---------------------------------------------------------------------------

; --- zero page owned by the FP package ($A4-$BB, $D4-$D7) ---
FAC     = $AC           ; exponent; mantissa FAC+1..FAC+3
FACSIGN = $B0           ; bit 7 = sign of FAC (0 or $80)
FACEXT  = $B1           ; 8 extra mantissa bits below FAC+3
ARG     = $B3           ; exponent; mantissa ARG+1..ARG+3
ARGSIGN = $B7           ; bit 7 = sign of ARG
fp_argext = $B8         ; ARG's extension byte (ARG+5), only used inside FADD
fp_ext2 = $B2           ; math.asm: coefficient index of the polynomial
fp_ptr  = $B9           ; 2 bytes: pointer for FLOAD/ALOAD/FSTORE/FCMP
fp_mul  = $B9           ; 3 bytes: FMUL multiplier / FDIV divisor copy
fp_t1   = $A4           ; 4 bytes scratch (also: 6-byte raw FAC save $A4-$A9)
fp_t2   = $A8           ; 4 bytes scratch
fp_k    = $AA           ; 2 bytes (high, low): small integer for fp_addkc
fp_seed = $D4           ; 4 bytes: RND state

fp_buf  = $0100         ; FOUT output buffer ($0100-$010C)

; FIN and FOUT state (they never run at the same time as math.asm code)
fp_dexp  = $A4          ; FIN: decimal exponent; FOUT: decimal exponent k
fp_point = $A5          ; FIN: bit 7 = decimal point seen; FOUT: digits before '.'
fp_ex    = $A6          ; FIN: exponent after E; FOUT: digit being built
fp_exneg = $A7          ; FIN: $FF when the E exponent is negative

; error offsets (table order NF SN RG OD FC OV OM US BS DD /0 ...)
fp_err_fc   = 8
fp_err_ov   = 10
fp_err_div0 = 20

; ---------------------------------------------------------------------------
; FLOAD: FAC = packed number at A/Y.  ALOAD: ARG = packed number at A/Y.
; Out: A = exponent (Z set when the number is 0), extension byte cleared.
; ---------------------------------------------------------------------------
FLOAD:  ldx #0
        .byte $2C               ; BIT abs: skips the LDX below
ALOAD:  ldx #ARG-FAC
        sta fp_ptr
        sty fp_ptr+1
        ldy #3
        lda (fp_ptr),y
        sta FAC+3,x
        dey
        lda (fp_ptr),y
        sta FAC+2,x
        dey
        lda (fp_ptr),y
        ora #$80
        sta FAC+1,x
        lda (fp_ptr),y
        and #$80
        sta FACSIGN,x
        dey
        sty FACEXT,x
        lda (fp_ptr),y
        sta FAC,x
        rts

; ---------------------------------------------------------------------------
; FSTORE: packed number at X/Y = FAC, rounded (FAC is left rounded).
; ---------------------------------------------------------------------------
FSTORE: jsr fp_round
        stx fp_ptr
        sty fp_ptr+1
        ldy #0
        lda FAC
        sta (fp_ptr),y
        iny
        lda FACSIGN
        ora #$7F
        and FAC+1
        sta (fp_ptr),y
        iny
        lda FAC+2
        sta (fp_ptr),y
        iny
        lda FAC+3
        sta (fp_ptr),y
        rts

; ---------------------------------------------------------------------------
; FTOARG: ARG = FAC rounded (FAC is left rounded).  ARGTOF: FAC = ARG.
; Both keep Y.
; ---------------------------------------------------------------------------
FTOARG: jsr fp_round
        jmp fp_facarg

ARGTOF: ldx #5
@copy:  lda ARG,x
        sta FAC,x
        dex
        bpl @copy
        rts

; fp_swap: exchange FAC (with sign and extension) and ARG.
fp_swap:
        ldx #5
@loop:  lda FAC,x
        ldy ARG,x
        sta ARG,x
        sty FAC,x
        dex
        bpl @loop
        rts

; ---------------------------------------------------------------------------
; fp_round: round FAC to 24 bits with FACEXT (half up), clear FACEXT.
; Keeps X and Y.  ?OV when rounding carries out of the largest exponent.
; ---------------------------------------------------------------------------
fp_round:
        lda FACEXT
        bpl @done
        inc FAC+3
        bne @done
        inc FAC+2
        bne @done
        inc FAC+1
        bne @done
        lda #$80
        sta FAC+1
        inc FAC
        beq fp_overflow
@done:  lda #0
        sta FACEXT
        rts

fp_overflow:
        ldx #fp_err_ov
        jmp ERROR
fp_fcerr:
        ldx #fp_err_fc
        jmp ERROR

; ---------------------------------------------------------------------------
; fp_normalize: shift the 32-bit mantissa FAC+1..FAC+3,FACEXT left until
; its top bit is set, lowering the exponent; 0 or underflow gives 0.
; fp_zero: FAC = 0.  Both keep Y.
; ---------------------------------------------------------------------------
fp_normalize:
        ldx #4
@byte:  lda FAC+1
        bne @bits
        lda FAC+2
        sta FAC+1
        lda FAC+3
        sta FAC+2
        lda FACEXT
        sta FAC+3
        lda #0
        sta FACEXT
        lda FAC
        sec
        sbc #8
        sta FAC
        bcc fp_zero
        beq fp_zero
        dex
        bne @byte
        beq fp_zero
@bits:  bmi @done                ; (A = FAC+1: shifted in A, stored at the end)
@shift: dec FAC
        beq fp_zero
        asl FACEXT
        rol FAC+3
        rol FAC+2
        rol a
        bpl @shift
        sta FAC+1
@done:  rts

fp_zero:
        lda #0
        sta FAC
        sta FACSIGN
        sta FACEXT
        rts

; fp_negmant: two's complement of the 32-bit mantissa FAC+1..FAC+3,FACEXT.
fp_negmant:
        sec
        lda #0
        sbc FACEXT
        sta FACEXT
        lda #0
        sbc FAC+3
        sta FAC+3
        lda #0
        sbc FAC+2
        sta FAC+2
        lda #0
        sbc FAC+1
        sta FAC+1
        rts

; ---------------------------------------------------------------------------
; FNEG: FAC = -FAC (keeps X and Y).  (FABS is in io.asm.)
; fp_negif: FNEG if Z is clear.
; FSIGN: A = 0, 1 or $FF by the sign of FAC (keeps X and Y).
; FSGN: FAC = SGN(FAC).
; ---------------------------------------------------------------------------
fp_negif:                       ; FNEG when A is nonzero (Z clear)
        beq fp_rts3
FNEG:   lda FAC
        beq fp_rts3
        lda FACSIGN
        eor #$80
        sta FACSIGN
fp_rts3:
        rts

FSIGN:  lda FAC
        beq @done
        lda FACSIGN
        asl a
        lda #$FF
        bcs @done
        lda #1
@done:  rts

FSGN:   jsr FSIGN
        tay                     ; low byte: 0, 1 or $FF
        asl a                   ; C = sign of the result
        lda #0
        adc #$FF                ; C set: 0, C clear: $FF
        eor #$FF                ; high byte: $FF for -1, else 0
        jmp INTTOF

; ---------------------------------------------------------------------------
; BYTETOF: FAC = Y (0..255).  INTTOF: FAC = signed 16-bit A (high) / Y (low).
; fp_itof: FAC = signed 24-bit FAC+1..FAC+3 times 2^(X-$98).
; ---------------------------------------------------------------------------
BYTETOF:
        lda #0
INTTOF: sta FAC+1
        sty FAC+2
        ldx #$90
        lda #0
        sta FAC+3
fp_itof:
        stx FAC
        lda #0
        sta FACEXT
        lda FAC+1
        and #$80
        sta FACSIGN
        bpl @pos
        jsr fp_negmant
@pos:   jmp fp_normalize

; ---------------------------------------------------------------------------
; fp_fix: FAC (rounded first; |FAC| < 2^23, or 0) -> floor(FAC) as a 24-bit
; two's complement integer in FAC+1..FAC+3 (FAC+2 high, FAC+3 low of the
; 16-bit value).  Out: Y = 0 when FAC had no fraction, nonzero otherwise.
; fp_trunc: the same without rounding: the extension's bits are fraction.
; ---------------------------------------------------------------------------
fp_fix16:                       ; the same for |FAC| < 65536, else ?FC
        lda FAC
        cmp #$91
        bcs fp_fcerr2
fp_fix: jsr fp_round
fp_trunc:
        ldy FACEXT              ; Y collects the bits shifted out
        lda #0
        sta FACEXT
        lda #$98
        sec
        sbc FAC                 ; shift count 1..$98 (0 shifts its mantissa out: 0)
@byte:  cmp #8
        bcc @bits
        tax
        tya
        ora FAC+3
        tay
        lda FAC+2
        sta FAC+3
        lda FAC+1
        sta FAC+2
        lda #0
        sta FAC+1
        txa
        sbc #8
        bne @byte
        beq @sign
@bits:  tax
@bit:   lsr FAC+1
        ror FAC+2
        ror FAC+3
        bcc @nc
        ldy #1
@nc:    dex
        bne @bit
@sign:  lda FACSIGN
        bpl @done
        tya                     ; negative with a fraction: one more
        beq @neg
        inc FAC+3
        bne @neg
        inc FAC+2
        bne @neg
        inc FAC+1
@neg:   jmp fp_negmant          ; (FACEXT is 0 after fp_round)
@done:  rts

; ---------------------------------------------------------------------------
; FTOINT: FAC -> floor as signed 16-bit: $AE high, $AF low; ?FC outside
; -32768..32767.  FTOUINT: the same for 0..65535 (addresses: a negative
; number is ?FC, as in the original).
; ---------------------------------------------------------------------------
FTOUINT:
        lda FACSIGN
        bmi fp_fcerr2
        jsr fp_fix16
        lda FAC+1               ; 0..65535: nothing above 16 bits
        beq fp_rts
fp_fcerr2:
        jmp fp_fcerr

FTOINT: jsr fp_fix16
        lda FAC+2               ; the top byte must be the sign extension
        asl a
        lda FAC+1
        adc #0
        bne fp_fcerr2
fp_rts: rts


; ---------------------------------------------------------------------------
; FINT: FAC = floor(FAC) (BASIC's INT).  Like the original, INT sees the
; accumulator's extra bits: 1/.1 (9.99999985 before rounding) gives 9.
; ---------------------------------------------------------------------------
FINT:   lda FAC
        cmp #$98
        bcs @done               ; 2^23 and above: whole in its 24 bits
        jsr fp_trunc
        ldx #$98
        jmp fp_itof
@done:  rts

; ---------------------------------------------------------------------------
; FSUB: FAC = ARG - FAC.  FADD: FAC = ARG + FAC.
; The operand with the smaller exponent is shifted right into its extension
; byte; the sum keeps 32 bits.  ?OV on overflow.  ARG is destroyed.
; ---------------------------------------------------------------------------
FSUB:   jsr FNEG
FADD:   lda ARG
        beq @done               ; x + 0
        lda FAC
        bne @both
        jmp ARGTOF              ; 0 + x
@both:  sec
        lda FAC
        sbc ARG
        beq @aligned
        bcs @shift
        eor #$FF                ; ARG is the larger: swap, count = -count
        adc #1
        pha
        jsr fp_swap
        pla
@shift: cmp #33
        bcs @done               ; the smaller one is below FAC's last bit
@byte:  cmp #8
        bcc @bits
        ldy ARG+3               ; whole bytes first
        sty fp_argext
        ldy ARG+2
        sty ARG+3
        ldy ARG+1
        sty ARG+2
        ldy #0
        sty ARG+1
        sbc #8
        bne @byte
        beq @aligned
@bits:  tay
@bit:   lsr ARG+1
        ror ARG+2
        ror ARG+3
        ror fp_argext
        dey
        bne @bit
@aligned:
        lda FACSIGN
        eor ARGSIGN
        bmi @sub
        clc
        lda FACEXT
        adc fp_argext
        sta FACEXT
        lda FAC+3
        adc ARG+3
        sta FAC+3
        lda FAC+2
        adc ARG+2
        sta FAC+2
        lda FAC+1
        adc ARG+1
        sta FAC+1
        bcc @done
        ror FAC+1
        ror FAC+2
        ror FAC+3
        ror FACEXT
        inc FAC
        beq @ov
@done:  rts
@ov:    jmp fp_overflow
@sub:   sec
        lda FACEXT
        sbc fp_argext
        sta FACEXT
        lda FAC+3
        sbc ARG+3
        sta FAC+3
        lda FAC+2
        sbc ARG+2
        sta FAC+2
        lda FAC+1
        sbc ARG+1
        sta FAC+1
        bcs @norm
        lda FACSIGN             ; |ARG| was larger
        eor #$80
        sta FACSIGN
        jsr fp_negmant
@norm:  jmp fp_normalize

; ---------------------------------------------------------------------------
; FMUL: FAC = ARG * FAC.  Shift-and-add: the 32 bits of FAC (with its
; extension) select additions of ARG's 24-bit mantissa into a 32-bit
; product, low multiplier byte first.  ?OV on overflow, 0 on underflow.
; ---------------------------------------------------------------------------
FMUL:   lda FAC
        beq @done
        lda ARG
        bne @go
@zero:  jmp fp_zero
@go:    clc
        adc FAC
        bcs @high
        sbc #$7F                ; C clear: A = sum - $80
        beq @zero
        bcc @zero
        bcs @exp
@high:  adc #$7F                ; C set: A = sum - $100 + $80
        bcs @ov
@exp:   sta FAC
        lda FACSIGN
        eor ARGSIGN
        sta FACSIGN
        lda FAC+1
        sta fp_mul
        lda FAC+2
        sta fp_mul+1
        lda FAC+3
        sta fp_mul+2
        ldx FACEXT
        lda #0
        sta FAC+1
        sta FAC+2
        sta FAC+3
        sta FACEXT
        txa                     ; (sets Z for fp_mulbyte)
        jsr fp_mulbyte
        lda fp_mul+2
        jsr fp_mulbyte
        lda fp_mul+1
        jsr fp_mulbyte
        lda fp_mul
        jsr fp_mulbyte
        jmp fp_normalize        ; product of two 0.1xxx fractions: >= 0.01
@done:  rts
@ov:    jmp fp_overflow

; fp_mulbyte: for each bit of A (lowest first) add ARG's mantissa into the
; product if set, then shift the product right one bit.
fp_mulbyte:
        bne @bits
        lda FAC+3               ; zero byte: shift the product 8 bits
        sta FACEXT
        lda FAC+2
        sta FAC+3
        lda FAC+1
        sta FAC+2
        lda #0
        sta FAC+1
        rts
@bits:  lsr a
        ora #$80                ; marker bit: the loop ends when it leaves
@loop:  tay
        bcc @noadd
        clc
        lda FAC+3
        adc ARG+3
        sta FAC+3
        lda FAC+2
        adc ARG+2
        sta FAC+2
        lda FAC+1
        adc ARG+1
        sta FAC+1
@noadd: ror FAC+1
        ror FAC+2
        ror FAC+3
        ror FACEXT
        tya
        lsr a
        bne @loop
        rts

; ---------------------------------------------------------------------------
; FDIV: FAC = ARG / FAC.  Restoring division of ARG's mantissa by FAC's
; (rounded) mantissa, 32 quotient bits.  ?/0 when FAC = 0, ?OV on overflow,
; 0 on underflow.  ARG is destroyed.
; ---------------------------------------------------------------------------
FDIV:   lda FAC
        bne @nz
        ldx #fp_err_div0
        jmp ERROR
@nz:    lda ARG
        bne @go
@zero:  jmp fp_zero
@go:    jsr fp_round
        lda ARG
        sec
        sbc FAC
        bcc @neg
        adc #$80                ; C set: exponent = difference + $81
        bcs @ov
        bcc @exp
@neg:   sbc #$7E                ; C clear: A - $7F = difference + $81
        bcc @zero
        beq @zero
@exp:   sta FAC
        lda FACSIGN
        eor ARGSIGN
        sta FACSIGN
        lda FAC+1
        sta fp_mul
        lda FAC+2
        sta fp_mul+1
        lda FAC+3
        sta fp_mul+2
        lda #0
        sta FAC+1
        sta FAC+2
        sta FAC+3
        lda #1                  ; marker bit: leaves FAC+1 after 32 bits
        sta FACEXT
@loop:  sec
        lda ARG+3
        sbc fp_mul+2
        tay
        lda ARG+2
        sbc fp_mul+1
        tax
        lda ARG+1
        sbc fp_mul
        bcc @skip
@take:  sta ARG+1
        stx ARG+2
        sty ARG+3
@skip:  rol FACEXT              ; shift in the quotient bit (C)
        rol FAC+3
        rol FAC+2
        rol FAC+1
        bcs @end
        asl ARG+3
        rol ARG+2
        rol ARG+1
        bcc @loop
        lda ARG+3               ; remainder overflowed 24 bits: the
        sbc fp_mul+2            ; subtraction always fits (C is set)
        tay
        lda ARG+2
        sbc fp_mul+1
        tax
        lda ARG+1
        sbc fp_mul
        sec
        bcs @take
@end:   jmp fp_normalize        ; quotient >= 0.1 binary
@ov:    jmp fp_overflow

; ---------------------------------------------------------------------------
; FCMP: compare FAC (rounded first) with the packed number at A/Y.
; Out: A = 0 equal, 1 FAC greater, $FF FAC less.
; ---------------------------------------------------------------------------
FCMP:   sta fp_ptr
        sty fp_ptr+1
        jsr fp_round
        ldy #0
        lda (fp_ptr),y
        beq @sgn                ; against 0: the sign of FAC
        iny
        lda FAC
        bne @both
        lda (fp_ptr),y          ; FAC = 0: the opposite of the other's sign
        asl a
        lda #1
        bcs @done
        lda #$FF
@done:  rts
@both:  lda (fp_ptr),y
        eor FACSIGN
        bmi @sgn                ; signs differ: the sign of FAC
        dey
@loop:  lda (fp_ptr),y          ; exponent, mantissa bytes (top bit set)
        cpy #1
        bne @cmp
        ora #$80
@cmp:   cmp a:FAC,y
        bne @diff
        iny
        cpy #4
        bne @loop
        lda #0
        rts
@diff:  lda #$FF                ; |FAC| < |other| when C is set
        bcs @sign
        lda #1
@sign:  bit FACSIGN
        bpl @ret
        eor #$FE                ; both negative: reversed
@ret:   rts
@sgn:   jmp FSIGN

; ---------------------------------------------------------------------------
; fp_mul10: FAC = FAC * 10 keeping 32 bits: ARG = FAC with its extension,
; FAC = 4*FAC + ARG, doubled.  ?OV on overflow.
; ---------------------------------------------------------------------------
fp_mul10:
        jsr fp_facarg
        lda FAC
        beq @done
        clc
        adc #2
        bcs @ov
        sta FAC
        jsr FADD
        inc FAC
        beq @ov
@done:  rts
@ov:    jmp fp_overflow

; ---------------------------------------------------------------------------
; fp_div10: FAC = FAC / 10: long division of the 32-bit mantissa times 8 by
; 10 in place (35 steps), exponent - 3, normalised.  Underflow gives 0.
; ---------------------------------------------------------------------------
fp_div10:
        lda FAC
        beq @done
        ldx #35
        lda #0
@loop:  asl FACEXT
        rol FAC+3
        rol FAC+2
        rol FAC+1
        rol a
        cmp #10
        bcc @next
        sbc #10
        inc FACEXT
@next:  dex
        bne @loop
        lda FAC
        sec
        sbc #3
        beq @zero
        bcc @zero
        sta FAC
        jmp fp_normalize
@zero:  jmp fp_zero
@done:  rts

; ---------------------------------------------------------------------------
; FIN: parse a number at TXTPTR.  In: A = its first character, flags as
; CHRGOT leaves them.  Accepts digits, one '.', 'E' with an optional sign
; ('+'/'-' or the cruncher's tokens for them); the sign in front of the
; number is the evaluator's business.  Out: FAC (rounded), A and flags
; as CHRGOT gives them, TXTPTR on the first character after the number.
; ?OV on overflow.  Method: FAC = 10*FAC + digit in 32 bits, then scaled
; by tens (fp_mul10 / fp_div10) for the point and the E part.
; ---------------------------------------------------------------------------
fp_tok_plus  = $A3
fp_tok_minus = $A4

FIN:    ldx #0
        stx fp_dexp
        stx fp_point
        stx fp_ex
        stx fp_exneg
        stx FAC
        stx FACSIGN
        stx FACEXT
        bcs @other
@digit: sbc #'0'-1              ; C clear: A = digit value
        pha
        jsr fp_mul10
        pla
        beq @count
        tay
        jsr fp_facarg
        jsr BYTETOF
        jsr FADD                ; FAC = 10*FAC + digit
@count:
        bit fp_point
        bpl @next
        dec fp_dexp
@next:  jsr CHRGET
        bcc @digit
@other: cmp #'.'
        bne @notpt
        bit fp_point
        bmi @scale
        dec fp_point
        bne @next
@notpt: cmp #'E'
        bne @scale
        jsr CHRGET
        bcc @exdig
        cmp #'-'
        beq @exmin
        cmp #fp_tok_minus
        beq @exmin
        cmp #'+'
        beq @explus
        cmp #fp_tok_plus
        bne @exend
        beq @explus
@exmin: dec fp_exneg
@explus:
        jsr CHRGET
        bcs @exend
@exdig: sbc #'0'-1
        tay
        lda fp_ex
        cmp #10
        bcs @exsat
        asl a
        sta fp_ex
        asl a
        asl a
        adc fp_ex
        sta fp_ex
        tya
        adc fp_ex
        .byte $2C               ; BIT abs: skips the LDA below
@exsat: lda #100                ; beyond any range: stays 100
        sta fp_ex
        jsr CHRGET
        bcc @exdig
@exend: lda fp_dexp
        ldx fp_exneg
        bne @exsub
        clc
        adc fp_ex
        bvc @total
        lda #$7F
        bne @total
@exsub: sec
        sbc fp_ex
        bvc @total
        lda #$80
@total: sta fp_dexp
@scale: lda FAC
        beq @end
        lda fp_dexp
        beq @end
        bmi @down
        jsr fp_mul10
        dec fp_dexp
        jmp @scale
@down:  jsr fp_div10
        inc fp_dexp
        jmp @scale
@end:   jsr fp_round            ; a literal is a 4-byte number, as the original's
        jmp CHRGOT

; fp_facarg: ARG = FAC with sign and extension, unrounded.
fp_facarg:
        ldx #5
@copy:  lda FAC,x
        sta ARG,x
        dex
        bpl @copy
        rts

; ---------------------------------------------------------------------------
; FOUT: FAC -> text at $0100, zero-terminated; out A/Y = $00/$01.
; Sign position (' ' or '-'), six significant digits rounded half up, no
; trailing zeros, no leading '0' before the point; plain notation for
; 0.01 <= |x| < 999999.5, else d.dddddE+nn.  FAC is destroyed.
; Method: scale by 10 (32-bit mul10/div10) until 99999.5 <= x < 999999.5,
; round to an integer N, emit N's digits by subtracting powers of ten.
; ---------------------------------------------------------------------------
FOUT:   jsr fp_round
        ldy #' '
        lda FAC
        beq @pos                ; 0 prints as " 0" whatever its sign bit
        lda FACSIGN
        bpl @pos
        ldy #'-'
@pos:   sty fp_buf
        ldy #1
        lda FAC
        bne @nz
        lda #'0'
        jsr fp_emit
        jmp @term
@nz:    lda #0                  ; (the scaling ignores FACSIGN)
        sta fp_dexp
@big:   ldx #0                  ; x >= 999999.5: divide by 10
        jsr fp_cmpk
        bcc @small
        jsr fp_div10
        inc fp_dexp
        bne @big
@small: ldx #4                  ; x < 99999.5: multiply by 10
        jsr fp_cmpk
        bcs @scaled
        jsr fp_mul10
        dec fp_dexp
        bne @small
@scaled:
        lda #$98                ; integer part: shift right 4..7 bits,
        sec                     ; the last bit out is the half
        sbc FAC
        tax
@shr:   lsr FAC+1
        ror FAC+2
        ror FAC+3
        dex
        bne @shr
        bcc @rounded
        inc FAC+3
        bne @rounded
        inc FAC+2
        bne @rounded
        inc FAC+1
@rounded:
        lda fp_dexp             ; x = N * 10^k, N has 6 digits
        clc
        adc #7
        bmi @eform
        cmp #8
        bcs @eform
        sbc #0                  ; C clear: digits before the point = k + 6
        sta fp_point
        lda #0
        beq @fmt
@eform: lda #1
        sta fp_point
        lda fp_dexp
        clc
        adc #5
@fmt:   sta fp_dexp             ; the E exponent, 0 for none
        ldy #1
        lda fp_point
        beq @lead
        bpl @digits
@lead:  lda #'.'                ; .ddd or .0ddd
        jsr fp_emit
        lda fp_point
        beq @digits
        lda #'0'
        jsr fp_emit
@digits:
        ldx #0
@dig:   lda #'0'
        sta fp_ex
@sub:   sec
        lda FAC+3
        sbc fp_p10lo,x
        sta FAC+3
        lda FAC+2
        sbc fp_p10mid,x
        sta FAC+2
        lda FAC+1
        sbc fp_p10hi,x
        sta FAC+1
        bcc @over
        inc fp_ex
        bcs @sub
@over:  lda FAC+3
        adc fp_p10lo,x
        sta FAC+3
        lda FAC+2
        adc fp_p10mid,x
        sta FAC+2
        lda FAC+1
        adc fp_p10hi,x
        sta FAC+1
        lda fp_ex
        jsr fp_emit
        dec fp_point
        bne @nopt
        lda #'.'
        jsr fp_emit
@nopt:  inx
        cpx #6
        bne @dig
@strip: dey                     ; drop trailing zeros after the point,
        lda fp_buf,y            ; then the point itself
        cmp #'0'
        beq @strip
        cmp #'.'
        beq @cut
        iny
@cut:   ldx #'+'
        lda fp_dexp
        beq @term
        bpl @eplus
        ldx #'-'
        eor #$FF
        clc
        adc #1
@eplus: pha
        lda #'E'
        jsr fp_emit
        txa
        jsr fp_emit
        pla
        ldx #'0'-1
        sec
@tens:  inx
        sbc #10
        bcs @tens
        adc #'0'+10
        pha
        txa
        jsr fp_emit
        pla
        jsr fp_emit
@term:  lda #0
        sta fp_buf,y
        lda #<fp_buf
        ldy #>fp_buf
        rts

; fp_emit: store A at fp_buf+Y, Y+1.
fp_emit:
        sta fp_buf,y
        iny
        rts

; fp_cmpk: C set when FAC (positive) >= the unpacked constant at fp_foutk+X.
fp_cmpk:
        ldy #0
@loop:  lda a:FAC,y
        cmp fp_foutk,x
        bne @done
        inx
        iny
        cpy #4
        bne @loop
@done:  rts

fp_foutk:
        .byte $94,$F4,$23,$F8   ; 999999.5 (exponent, full mantissa)
        .byte $91,$C3,$4F,$C0   ; 99999.5
fp_p10hi:
        .byte $01,$00,$00,$00,$00,$00   ; 100000 10000 1000 100 10 1
fp_p10mid:
        .byte $86,$27,$03,$00,$00,$00
fp_p10lo:
        .byte $A0,$10,$E8,$64,$0A,$01
