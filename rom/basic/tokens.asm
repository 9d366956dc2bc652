; tokens.asm -- keyword table, dispatch tables, tokenizer (CRUNCH) and keyword printing for LIST.
;
; Keywords are stored in token order ($80 first), the last letter of each with bit 7 set,
; the table ends with a 0 byte. The tokenizer tries them in that order, so the first match wins
; (INPUT before INT, GOTO before GOSUB), as in the original.

; Statement handlers, token order $80-$9B; entered by RTS, so each entry is address - 1.
STMTTAB:
        .word END_STMT-1, FOR_STMT-1, NEXT_STMT-1, DATA_STMT-1
        .word INPUT_STMT-1, DIM_STMT-1, READ_STMT-1, LET_STMT-1
        .word GOTO_STMT-1, RUN_STMT-1, IF_STMT-1, RESTORE_STMT-1
        .word GOSUB_STMT-1, RETURN_STMT-1, REM_STMT-1, STOP_STMT-1
        .word ON_STMT-1, NULL_STMT-1, WAIT_STMT-1, LOAD_STMT-1
        .word SAVE_STMT-1, DEF_STMT-1, POKE_STMT-1, PRINT_STMT-1
        .word CONT_STMT-1, LIST_STMT-1, CLEAR_STMT-1, NEW_STMT-1

; Function handlers, token order $AD-$C3 (entered by RTS from FUNCALL: address - 1).
FUNCTAB:
        .word FSGN-1, FINT-1, FABS-1, USRJMP-1, FN_FRE-1, FN_POS-1, FSQR-1, FRND-1
        .word FLOG-1, FEXP-1, FCOS-1, FSIN-1, FTAN-1, FATN-1, FN_PEEK-1, FN_LEN-1
        .word FN_STR-1, FN_VAL-1, FN_ASC-1, FN_CHR-1, FN_LEFT-1, FN_RIGHT-1, FN_MID-1

KEYWORDS:
        .byte "EN", 'D'|$80, "FO", 'R'|$80, "NEX", 'T'|$80, "DAT", 'A'|$80
        .byte "INPU", 'T'|$80, "DI", 'M'|$80, "REA", 'D'|$80, "LE", 'T'|$80
        .byte "GOT", 'O'|$80, "RU", 'N'|$80, "I", 'F'|$80, "RESTOR", 'E'|$80
        .byte "GOSU", 'B'|$80, "RETUR", 'N'|$80, "RE", 'M'|$80, "STO", 'P'|$80
        .byte "O", 'N'|$80, "NUL", 'L'|$80, "WAI", 'T'|$80, "LOA", 'D'|$80
        .byte "SAV", 'E'|$80, "DE", 'F'|$80, "POK", 'E'|$80, "PRIN", 'T'|$80
        .byte "CON", 'T'|$80, "LIS", 'T'|$80, "CLEA", 'R'|$80, "NE", 'W'|$80
        .byte "TAB", '('|$80, "T", 'O'|$80, "F", 'N'|$80, "SPC", '('|$80
        .byte "THE", 'N'|$80, "NO", 'T'|$80, "STE", 'P'|$80
        .byte '+'|$80, '-'|$80, '*'|$80, '/'|$80, '^'|$80
        .byte "AN", 'D'|$80, "O", 'R'|$80, '>'|$80, '='|$80, '<'|$80
        .byte "SG", 'N'|$80, "IN", 'T'|$80, "AB", 'S'|$80, "US", 'R'|$80
        .byte "FR", 'E'|$80, "PO", 'S'|$80, "SQ", 'R'|$80, "RN", 'D'|$80
        .byte "LO", 'G'|$80, "EX", 'P'|$80, "CO", 'S'|$80, "SI", 'N'|$80
        .byte "TA", 'N'|$80, "AT", 'N'|$80, "PEE", 'K'|$80, "LE", 'N'|$80
        .byte "STR", '$'|$80, "VA", 'L'|$80, "AS", 'C'|$80, "CHR", '$'|$80
        .byte "LEFT", '$'|$80, "RIGHT", '$'|$80, "MID", '$'|$80
        .byte 0
KEYWORDS_END:
        .assert KEYWORDS_END - KEYWORDS <= 256, "keyword table must be indexable by Y"

; Two-letter error codes, 2 bytes each, offset = ERR_xx.
ERRTAB:
        .byte "NFSNRGODFCOVOMUSBSDD/0IDTMLSSTCNUF"

; ----------------------------------------------------------------------------------------
; CRUNCH: tokenize the line in BUF in place.
; In:  TXTPTR = address (in zero page) of the first character to crunch.
; Out: crunched text from BUF, terminated by 0; COUNT = its length including the 0.
;      Spaces are kept; nothing is crunched inside quotes, after REM, or in DATA (up to ':').
; Clobbers A, X, Y.
CRUNCH:
        ldx TXTPTR
        ldy #0
        sty DATAFLG
@next:
        lda 0,x
        beq @store
        cmp #' '
        beq @store
        cmp #'"'
        beq @quote
        bit DATAFLG
        bvs @store
        cmp #'?'
        bne @notq
        lda #TOK_PRINT
        bne @store
@notq:
        cmp #'0'
        bcc @match
        cmp #'<'
        bcc @store                      ; digits, ':' and ';' stand for themselves
@match:
        sty COUNT                       ; output index
        stx CHARAC                      ; where this keyword attempt starts
        ldy #0
        lda #$80
        sta ENDCHR                      ; token number of the keyword being tried
@kwstart:
        ldx CHARAC
@kwchar:
        lda 0,x
        cmp #' '                        ; spaces inside a keyword are skipped
        bne @kwcmp
        inx
        bne @kwchar
@kwcmp:
        eor KEYWORDS,y
        beq @kwnext                     ; this letter matches, keyword goes on
        cmp #$80
        beq @found                      ; last letter matches
@kwskip:
        lda KEYWORDS,y                  ; mismatch: skip to the next keyword
        iny
        asl a
        bcc @kwskip
        inc ENDCHR
        lda KEYWORDS,y
        bne @kwstart
        ldy COUNT                       ; no keyword here: keep the character
        ldx CHARAC
        lda 0,x
        bne @store
@kwnext:
        inx
        iny
        bne @kwchar
@found:
        lda ENDCHR
        ldy COUNT
@store:
        inx
        sta BUF,y
        iny
        cmp #0
        beq @done
        sec
        sbc #':'                        ; ':' ends DATA (0), DATA starts it ($49: bit 6)
        beq @flag
        cmp #TOK_DATA-':'
        bne @notdata
@flag:
        sta DATAFLG
@notdata:
        cmp #TOK_REM-':'
        bne @next
@rem:                                   ; REM: copy the rest as it is
        lda 0,x
        sta BUF,y
        beq @done1
        inx
        iny
        bne @rem
@quote:                                 ; copy up to the closing quote (or end of line)
        sta BUF,y
        inx
        iny
        lda 0,x
        beq @store
        cmp #'"'
        bne @quote
        beq @store
@done1:
        iny
@done:
        sty COUNT
        rts

; ----------------------------------------------------------------------------------------
; PRINT_TOKEN: print the keyword of token A (>= $80) for LIST. Clobbers A, X, Y.
PRINT_TOKEN:
        tax
        ldy #0
@skip:
        cpx #$80
        beq @print
@skip1:
        lda KEYWORDS,y
        iny
        asl a
        bcc @skip1
        dex
        bne @skip
@print:
        lda KEYWORDS,y
        pha
        and #$7F
        jsr OUTDO
        iny
        pla
        bpl @print
        rts
