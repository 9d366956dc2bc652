; Golden listing source: exercises every directive and addressing mode.
        .include "listing_defs.asm"

        .org $0400
.macro  store value, addr
        lda #value
        sta addr
.endmacro

reset:  ldx #$FF
        txs
        cld
        store >MESSAGE, PTR+1
        store <MESSAGE, PTR
        ldy #0
@next:  lda (PTR),y
        beq @done
        jsr CHROUT
        iny
        bne @next
@done:  jmp (VECTOR)

; Every addressing mode once.
modes:  nop
        asl
        rol a
        lda #1
        lda ZP
        lda ZP,x
        ldx ZP,y
        lda $1234
        lda $1234,x
        lda $1234,y
        lda a:ZP
        jmp ($1234)
        lda (ZP,x)
        lda (ZP),y
        bcc modes
.if DEBUG
        brk
.else
        rts
.endif

MESSAGE: .text "HELLO", 13
        .byte 0, 1, 2, 3, 4, 5, 6, 7, 8
        .word reset, modes
        .res 4, $EA
buffer: .res 16
VECTOR: .word reset
        .assert * < $0500, "listing program too long"
