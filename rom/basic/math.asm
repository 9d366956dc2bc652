; ---------------------------------------------------------------------------
; math.asm -- BASIC's numeric functions on top of float.asm
;
; Provides: FSQR FLOG FEXP FPOW FSIN FCOS FTAN FATN FRND.
; All take their argument in FAC and leave the result in FAC (FPOW: ARG ^
; FAC); all may clobber A, X, Y, ARG and the FP scratch zero page.
;
; Method: argument reduction to a short interval, then a polynomial
; evaluated by Horner's rule (fp_poly) with our own coefficients. They were
; fitted with a Remez exchange (equi-oscillating relative error) in double
; precision, then rounded to the 4-byte format; the maximum relative errors
; below are measured with the rounded coefficients over the interval:
;   sin r = r*P(r^2),  |r| <= pi/2+0.02,        degree 4 in r^2, 3.0E-8
;   atn t = t*P(t^2),  |t| <= tan(15 deg)+0.002, degree 4 in t^2, 9.6E-10
;   ln m  = s*P(s^2),  s = (m-1)/(m+1), m in [.707,1.414), deg 3, 1.7E-9
;   exp r = P(r),      |r| <= ln(2)/2+0.001,     degree 6,        1.8E-8
; Reductions subtract j*C from x with C split in two (Cody-Waite): a short
; high part, so that j*C_high is exact, and a low part; FAC keeps 32 bits.
; ---------------------------------------------------------------------------

; Constant helpers: A = offset of a packed constant from fp_consts.
;   fp_mulk: FAC = FAC * K   fp_addk: FAC = FAC + K   fp_aloadk: ARG = K
;   fp_loadk: FAC = K        fp_kptr: A/Y = its address
; fp_mulmem / fp_addmem: the same with A/Y pointing at any packed number.
fp_mulk:
        jsr fp_kptr
fp_mulmem:
        jsr ALOAD
        jmp FMUL
fp_addk:
        jsr fp_kptr
fp_addmem:
        jsr ALOAD
        jmp FADD
fp_aloadk:
        jsr fp_kptr
        jmp ALOAD
fp_loadone:
        lda #fp_one-fp_consts
fp_loadk:
        jsr fp_kptr
        jmp FLOAD
fp_kptr:
        clc
        adc #<fp_consts
        ldy #>fp_consts
        bcc @done
        iny
@done:  rts

; fp_stt1 / fp_stt2: packed fp_t1 / fp_t2 = FAC (rounded).
fp_stt1:
        ldx #fp_t1
        .byte $2C               ; BIT abs: skips the LDX below
fp_stt2:
        ldx #fp_t2
        ldy #0
        jmp FSTORE

; fp_savefac / fp_restfac: copy FAC with sign and extension (6 bytes)
; to/from fp_t1..fp_t1+5, unrounded.  Keep Y.
fp_savefac:
        ldx #5
@loop:  lda FAC,x
        sta fp_t1,x
        dex
        bpl @loop
        rts
fp_restfac:
        ldx #5
@loop:  lda fp_t1,x
        sta FAC,x
        dex
        bpl @loop
        rts

; ---------------------------------------------------------------------------
; fp_addkc: FAC = FAC + k * K; k = signed 16-bit in fp_k (high), fp_k+1
; (low); A = offset of the constant K.  k*K is formed apart, so FAC keeps
; its 32 bits.  Uses fp_t1..fp_t1+5.
; ---------------------------------------------------------------------------
fp_addkc2:                      ; the same with K's two parts: K, then K+4
        pha
        jsr fp_addkc
        pla
        clc
        adc #4
fp_addkc:
        pha
        jsr fp_savefac
        lda fp_k
        ldy fp_k+1
        jsr INTTOF
        pla
        jsr fp_mulk
        jsr FTOARG
        jsr fp_restfac
        jmp FADD

; ---------------------------------------------------------------------------
; fp_push: push FAC (rounded, packed) on the 6502 stack under the return
; address.  fp_pullarg: ARG = the number pushed last.
; Use fp_t1 and fp_ptr.
; ---------------------------------------------------------------------------
fp_push:
        jsr fp_stt1
        pla
        sta fp_ptr
        pla
        sta fp_ptr+1
        ldx #3
@loop:  lda fp_t1,x
        pha
        dex
        bpl @loop
        lda fp_ptr+1
        pha
        lda fp_ptr
        pha
        rts

fp_pullarg:
        pla
        sta fp_ptr
        pla
        sta fp_ptr+1
        ldy #0
@loop:  pla
        sta a:fp_t1,y
        iny
        cpy #4
        bne @loop
        lda fp_ptr+1
        pha
        lda fp_ptr
        pha
        lda #fp_t1
        ldy #0
        jmp ALOAD

; ---------------------------------------------------------------------------
; fp_poly: FAC = P(FAC); X = offset in fp_consts of P's table: degree n,
; then n+1 packed coefficients, highest power first.  Uses fp_t2, fp_ext2.
; fp_polyodd: FAC = FAC * P(FAC^2).  Uses fp_t1 as well.
; ---------------------------------------------------------------------------
fp_polyodd:
        txa
        pha
        jsr fp_stt1
        jsr FTOARG
        jsr FMUL
        pla
        tax
        jsr fp_poly
        lda #fp_t1
        ldy #0
        jmp fp_mulmem

fp_poly:
        inx
        stx fp_ext2             ; offset of the current coefficient
        jsr fp_stt2
        ldx fp_ext2
        lda fp_consts-1,x       ; degree = number of steps
        pha
        txa
        jsr fp_loadk
@loop:  lda #fp_t2
        ldy #0
        jsr fp_mulmem
        lda fp_ext2
        clc
        adc #4
        sta fp_ext2
        jsr fp_addk
        pla
        tax
        dex
        txa
        pha
        bne @loop
        pla
        rts

; ---------------------------------------------------------------------------
; FSQR: FAC = SQR(FAC) = EXP(LOG(FAC)/2); ?FC when negative.  LOG and EXP
; keep 32 bits, so squares of whole numbers give whole roots.
; ---------------------------------------------------------------------------
FSQR:   lda FAC
        beq @done
        jsr FLOG
        lda FAC
        beq @exp
        dec FAC
@exp:   jmp FEXP
@done:  rts

; ---------------------------------------------------------------------------
; FLOG: FAC = natural log of FAC; ?FC for FAC <= 0.
; x = m * 2^e with m in [0.707, 1.414): ln x = e*ln 2 + s*P(s^2),
; s = (m-1)/(m+1).  LOG(1) is exactly 0.
; ---------------------------------------------------------------------------
FLOG:   jsr FSIGN
        cmp #1
        beq @pos
        jmp fp_fcerr
@pos:   jsr fp_round
        lda FAC
        sec
        sbc #$80
        tax                     ; e
        lda #$80
        sta FAC                 ; m in [0.5, 1)
        lda FAC+1
        cmp #$B5                ; below sqrt(1/2): use 2m, e-1
        bcs @inrange
        inc FAC
        dex
@inrange:
        txa
        pha
        lda #fp_mone-fp_consts
        jsr fp_addk             ; m - 1 (exact)
        jsr fp_push
        lda #fp_two-fp_consts
        jsr fp_addk             ; m + 1
        jsr fp_pullarg
        jsr FDIV                ; s
        ldx #fp_logtab-fp_consts
        jsr fp_polyodd          ; ln m
        pla
        sta fp_k+1
        ora #$7F                ; $FF when e < 0
        bmi @eneg
        lda #0
@eneg:  sta fp_k                ; e, sign-extended
        lda #fp_ln2hi-fp_consts
        jmp fp_addkc2

; ---------------------------------------------------------------------------
; FEXP: FAC = e ^ FAC; ?OV when too large, 0 when too small.
; k = INT(x/ln 2 + .5), r = x - k*ln 2 in [-.347, .347], e^x = 2^k * P(r).
; ---------------------------------------------------------------------------
FEXP:   lda FAC
        cmp #$88                ; |x| < 128
        bcc @go
        lda FACSIGN
        bmi @zero
@ov:    jmp fp_overflow
@zero:  jmp fp_zero
@go:    jsr fp_savefac
        lda #fp_log2e-fp_consts
        jsr fp_mulk
        lda #fp_half-fp_consts
        jsr fp_addk
        jsr fp_fix              ; k, |k| <= 185
        sec
        lda #0
        sbc FAC+3
        sta fp_k+1
        lda #0
        sbc FAC+2
        sta fp_k                ; -k
        jsr fp_restfac
        lda #fp_ln2hi-fp_consts
        jsr fp_addkc2           ; r
        lda fp_k
        pha
        lda fp_k+1
        pha
        ldx #fp_exptab-fp_consts
        jsr fp_poly             ; e^r in [0.7, 1.42]
        pla
        sta fp_k+1
        pla
        sta fp_k
        lda FAC                 ; exponent - (-k), 16 bits
        sec
        sbc fp_k+1
        tax
        lda #0
        sbc fp_k
        bmi @zero
        bne @ov
        txa
        beq @zero
        sta FAC
        rts

; ---------------------------------------------------------------------------
; FPOW: FAC = ARG ^ FAC = e ^ (FAC * ln ARG), x^2 = x*x.  x^0 = 1, 0^y = 0; a negative
; base needs a whole exponent (else ?FC) and gives a negative result for
; an odd one.
; ---------------------------------------------------------------------------
FPOW:   lda FAC
        bne @y
        jmp fp_loadone
@y:     lda ARG
        bne @sq
        jmp fp_zero
@sq:    lda #fp_two-fp_consts   ; x^2 is x*x: fast, and exact where it fits
        jsr fp_kptr
        jsr FCMP
        tax                     ; (FCMP's flags do not follow A)
        bne @x
        jsr ARGTOF
        jmp FMUL
@x:     lda #0                  ; 1 when the result is negative
        ldx ARGSIGN
        bpl @pos
        jsr fp_savefac
        lda FAC
        cmp #$98
        bcs @fc                 ; (|y| >= 2^23 with a negative base)
        jsr fp_fix
        tya
        beq @whole
@fc:    jmp fp_fcerr
@whole: sta ARGSIGN
        lda FAC+3
        and #1
        tay
        jsr fp_restfac
        tya
@pos:   pha
        jsr fp_push             ; y
        jsr ARGTOF
        jsr FLOG
        jsr fp_pullarg
        jsr FMUL
        jsr FEXP
        pla
        jmp fp_negif

; ---------------------------------------------------------------------------
; FSIN / FCOS: x = r + j*pi/2 with |r| <= pi/2 (about), j = 2k for SIN
; (k = INT(x/pi + .5)) and j = 2k-1 for COS (k = INT(x/pi + 1)); both are
; then (-1)^k * sin r.
; |x| >= 16384 first becomes 2*pi * f, f = q - INT(q), q = x / 2pi rounded
; to 4 bytes: the original's reduction, whose digits it repeats there
; (SIN(30000) = -.801376); at that size one step of x (2^-9 or more) is
; already as large as what the exact reduction would gain.
; FTAN: SIN/COS (?/0 only if COS is exactly 0).
; ---------------------------------------------------------------------------
FCOS:   lda #1
        .byte $2C               ; BIT abs: skips the LDA below
FSIN:   lda #0
        sta fp_ext2             ; 1 for COS
        lda FAC
        cmp #$8F
        bcc @near
        jsr FTOARG
        lda #fp_twopi-fp_consts
        jsr fp_loadk
        jsr FDIV                ; q = x / 2pi
        jsr FTOARG              ; (rounded)
        jsr FINT
        jsr FSUB                ; f = q - INT(q), exact
        lda #fp_twopi-fp_consts
        jsr fp_mulk
@near:  jsr fp_savefac
        lda #fp_invpi-fp_consts
        jsr fp_mulk
        lda #fp_half-fp_consts
        ldx fp_ext2
        beq @add
        lda #fp_one-fp_consts
@add:   jsr fp_addk
        jsr fp_fix              ; k, |k| < 5300
        lda FAC+3
        and #1
        pha                     ; odd k: negate the result
        asl FAC+3
        rol FAC+2
        lda fp_ext2             ; -j = (1 for COS) - 2k
        sec
        sbc FAC+3
        sta fp_k+1
        lda #0
        sbc FAC+2
        sta fp_k
        jsr fp_restfac
        lda #fp_pio2hi-fp_consts
        jsr fp_addkc2           ; r
        ldx #fp_sintab-fp_consts
        jsr fp_polyodd
        pla
        jmp fp_negif

FTAN:   jsr fp_push             ; x
        jsr FSIN
        jsr fp_pullarg          ; ARG = x
        jsr fp_push             ; sin x
        jsr ARGTOF
        jsr FCOS
        jsr fp_pullarg          ; ARG = sin x
        jmp FDIV

; ---------------------------------------------------------------------------
; FATN: FAC = ATN(FAC) in radians.  |x| > 1: pi/2 - atn(1/x); then
; t*P(t^2) over 0 <= t <= 1.
; ---------------------------------------------------------------------------
FATN:   lda FACSIGN
        pha
        jsr FABS
        lda #fp_one-fp_consts
        jsr fp_kptr
        jsr FCMP
        pha                     ; 1: x > 1
        cmp #1
        bne @le1
        lda #fp_one-fp_consts
        jsr fp_aloadk
        jsr FDIV                ; 1/x
@le1:   ldx #fp_atntab-fp_consts
        jsr fp_polyodd
        pla
        cmp #1
        bne @noinv
        lda #fp_halfpi-fp_consts
        jsr fp_aloadk
        jsr FSUB
@noinv: pla
        ldx FAC
        beq fp_rts4
        sta FACSIGN
fp_rts4:
        rts

; ---------------------------------------------------------------------------
; FRND: BASIC's RND, the generator of Microsoft BASIC 1.0 (same constants,
; same steps, so a program seeded the same way gets the same numbers).
; Positive: seed = seed * 11879546 + 3.927677739E-8; 0: the last number
; again; negative: the argument itself is scrambled into the seed.  The
; scramble swaps the first and last mantissa bytes, moves the exponent
; below them as the extension byte, makes the exponent $80 (a number in
; [0, 1)), normalises, and stores the result rounded as the new seed
; ($D4-$D7, set to $80,$4F,$C7,$52 at cold start).
; ---------------------------------------------------------------------------
FRND:   jsr FSIGN
        bmi @swap
        pha
        lda #fp_seed
        ldy #0
        jsr FLOAD
        pla
        beq fp_rts4             ; RND(0): the last number
        lda #fp_rndmul-fp_consts
        jsr fp_mulk
        lda #fp_rndadd-fp_consts
        jsr fp_addk
@swap:  ldx FAC+3
        lda FAC+1
        sta FAC+3
        stx FAC+1
        lda FAC
        sta FACEXT
        lda #$80
        sta FAC
        asl a                   ; A = 0: positive
        sta FACSIGN
        jsr fp_normalize
        ldx #fp_seed
        ldy #0
        jmp FSTORE

; ---------------------------------------------------------------------------
; Constants (packed), addressed by their offset from fp_consts
; ---------------------------------------------------------------------------
fp_consts:
fp_one:    .byte $81,$00,$00,$00        ; 1
fp_mone:   .byte $81,$80,$00,$00        ; -1
fp_half:   .byte $80,$00,$00,$00        ; .5
fp_invpi:  .byte $7F,$22,$F9,$83        ; 1/pi
fp_log2e:  .byte $81,$38,$AA,$3B        ; 1/ln 2
fp_halfpi: .byte $81,$49,$0F,$DB        ; pi/2
fp_twopi:  .byte $83,$49,$0F,$DB        ; 2*pi
fp_pio2hi: .byte $81,$49,$10,$00        ; 3217/2048 (12 bits of pi/2)
fp_pio2lo: .byte $6F,$95,$77,$7A        ; pi/2 - 3217/2048 = -4.45445510E-6
fp_ln2hi:  .byte $80,$31,$72,$00        ; 45426/65536 (16 bits of ln 2)
fp_ln2lo:  .byte $6D,$3F,$BE,$8E        ; ln 2 - 45426/65536 = 1.42860682E-6
fp_rndmul: .byte $98,$35,$44,$7A        ; 11879546 (RND's multiplier)
fp_rndadd: .byte $68,$28,$B1,$46        ; 3.927677739E-8 (RND's increment)

; Polynomial tables for fp_poly: degree, coefficients from the highest power.
fp_sintab:
        .byte 4
        .byte $6E,$2E,$58,$D4           ;  2.59797253E-6
        .byte $74,$CF,$AD,$5F           ; -1.98056441E-4
        .byte $7A,$08,$87,$23           ;  8.33300035E-3
        .byte $7E,$AA,$AA,$A3           ; -.166666552
        .byte $81,$00,$00,$00           ;  1
fp_atntab:
        .byte 7
        .byte $79,$99,$CA,$0B           ; -4.69327485E-3
        .byte $7B,$46,$AC,$F8           ;  .0242523998
        .byte $7C,$F3,$A7,$FF           ; -.0594863854
        .byte $7D,$4B,$0B,$72           ;  .0991429240
        .byte $7E,$8F,$8F,$3A           ; -.140194803
        .byte $7E,$4C,$7D,$6F           ;  .199697241
        .byte $7F,$AA,$A8,$E8           ; -.333319902
        .byte $80,$7F,$FF,$FE           ;  .999999881
fp_logtab:
        .byte 3
        .byte $7F,$19,$4D,$A2           ;  .299420416
        .byte $7F,$4C,$AA,$F8           ;  .399741888
        .byte $80,$2A,$AA,$C5           ;  .666668236
fp_two: .byte $82,$00,$00,$00           ;  2
fp_exptab:
        .byte 6
        .byte $77,$35,$5B,$BE           ;  1.38365454E-3
        .byte $7A,$09,$37,$86           ;  8.37505423E-3
        .byte $7C,$2A,$AC,$52           ;  .0416682437
        .byte $7E,$2A,$AA,$03           ;  .166664168
        .byte $7F,$7F,$FF,$FD           ;  .499999911
        .byte $81,$00,$00,$00           ;  1
        .byte $81,$00,$00,$00           ;  1
