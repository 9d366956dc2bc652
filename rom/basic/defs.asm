; defs.asm -- names shared by every file of the open BASIC (and by float.asm/math.asm).
;
; Zero-page layout follows OSI BASIC 1.0 rev 3.2 where programs can see it (docs/hardware.md §7):
; $00 warm-start JMP, $0A USR, $0D-$10 print state, $13 input buffer, $64 Ctrl-O flag,
; $79-$88 memory pointers and CURLIN. $A4-$BB and $D4-$D7 belong to the float package.

; ---- monitor entry points (docs/hardware.md §6) --------------------------------------------
MON_INPUT   = $FFEB             ; get a character into A
MON_OUTPUT  = $FFEE             ; print the character in A (registers preserved)
MON_CTRLC   = $FFF1             ; Ctrl-C check: returns, or JMP BREAK_ENTRY with A = 3
MON_LOAD    = $FFF4             ; LOAD: input from the ACIA from now on
MON_SAVE    = $FFF7             ; SAVE: output also to the ACIA

; ---- zero page ---------------------------------------------------------------------------
WARMJMP     = $00               ; JMP warm start (3 bytes)
STROUTJMP   = $03               ; JMP STROUT (3 bytes)
FTOINTVEC   = $06               ; address of FTOINT (for USR routines)
INTTOFVEC   = $08               ; address of INTTOF
USRJMP      = $0A               ; JMP + address of the USR routine (POKE 11,lo : POKE 12,hi)
NULLCNT     = $0D               ; NULs sent after each CR/LF (NULL statement)
POSX        = $0E               ; print column (POS)
WIDTH       = $0F               ; terminal width
LASTZONE    = $10               ; column of the last comma zone
LINNUM      = $11               ; 16-bit integer scratch / line number (2)
BUF         = $13               ; input line buffer, $13-$5A
BUFSIZE     = 71                ; characters the line editor accepts
CHARAC      = $5B               ; scratch: delimiter / tokenizer input pointer
ENDCHR      = $5C               ; scratch: delimiter / tokenizer token number
COUNT       = $5D               ; scratch: counts, crunched line length
DIMFLG      = $5E               ; nonzero while DIM is creating arrays
VALTYP      = $5F               ; $00 numeric, $FF string
DATAFLG     = $60               ; tokenizer: bit 6 = inside DATA
SAVESP      = $60               ; stack level of the statement loop (READY returns to it;
                                ; shares DATAFLG: CRUNCH runs only after READY used it)
SUBFLG      = $61               ; PTRGET: $80 no subscripts, $40 FN name, $20 do not create
INPUTFLG    = $62               ; $00 INPUT, $98 READ
CPRMASK     = $63               ; relational operator bits: 1 '>', 2 '=', 4 '<'
CTRLOFLG    = $64               ; bit 7 set: output suppressed (Ctrl-O)
TEMPPT      = $65               ; next free temporary descriptor (TEMPST..TEMPST+9)
GCDESC      = $66               ; garbage collector: descriptor of the best candidate (2)
TEMPST      = $68               ; three 3-byte temporary string descriptors, $68-$70
INDEX       = $71               ; pointer scratch (2)
DEST        = $73               ; pointer scratch (2)
RESULT      = $75               ; packed float / pointer scratch (4)
TXTTAB      = $79               ; start of program ($0301)
VARTAB      = $7B               ; start of simple variables
ARYTAB      = $7D               ; start of arrays
STREND      = $7F               ; end of arrays
FRETOP      = $81               ; bottom of string space
FRESPC      = $83               ; last string allocated
MEMSIZ      = $85               ; top of memory + 1
CURLIN      = $87               ; current line number; high byte $FF in direct mode
OLDLIN      = $89               ; line to CONTinue in
OLDTEXT     = $8B               ; text pointer to CONTinue from (high byte 0: cannot continue)
DATLIN      = $8D               ; line number of the current DATA statement
DATPTR      = $8F               ; READ position
INPTR       = $91               ; INPUT/READ item pointer
VARNAM      = $93               ; name of the variable being looked up (2)
VARPNT      = $95               ; address of its value
FORPNT      = $97               ; variable being assigned (LET, FOR, INPUT, READ)
LOWTR       = $99               ; pointer scratch (2)
HIGHTR      = $9B               ; pointer scratch (2)
HIGHDS      = $9D               ; pointer scratch (2)
DSCPTR      = $9F               ; pointer to a string descriptor (2)
TEMP1       = $A1               ; scratch (3 bytes, $A1-$A3)
; $A4-$BB: float package (FAC $AC-$AF, FACSIGN $B0, $B1, ARG $B3-$B6, ARGSIGN $B7)
FACEXP      = $AC               ; FAC exponent (0: the value is 0)
FACMO       = $AE               ; when VALTYP = $FF: pointer to the string descriptor (lo)
FACLO       = $AF               ; (hi)
CHRGET      = $BC               ; next character of program text (see CHRGET_CODE)
CHRGOT      = $C2               ; current character again
TXTPTR      = $C3               ; program text pointer (operand of the LDA in CHRGOT)
; $D4-$D7: RND seed (float package)

STACK       = $0100
STACK_TOP   = $FC               ; SP after a restart
FOR_SIZE    = 16                ; bytes a FOR frame takes on the 6502 stack
GOSUB_SIZE  = 5
PROGRAM     = $0301             ; TXTTAB after a cold start ($0300 holds 0)

; ---- characters --------------------------------------------------------------------------
CR          = $0D
LF          = $0A
BEL         = $07

; ---- tokens (docs/hardware.md §7 table) -------------------------------------------------------
TOK_END     = $80
TOK_FOR     = $81
TOK_NEXT    = $82
TOK_DATA    = $83
TOK_INPUT   = $84
TOK_DIM     = $85
TOK_READ    = $86
TOK_LET     = $87
TOK_GOTO    = $88
TOK_RUN     = $89
TOK_IF      = $8A
TOK_RESTORE = $8B
TOK_GOSUB   = $8C
TOK_RETURN  = $8D
TOK_REM     = $8E
TOK_STOP    = $8F
TOK_ON      = $90
TOK_NULL    = $91
TOK_WAIT    = $92
TOK_LOAD    = $93
TOK_SAVE    = $94
TOK_DEF     = $95
TOK_POKE    = $96
TOK_PRINT   = $97
TOK_CONT    = $98
TOK_LIST    = $99
TOK_CLEAR   = $9A
TOK_NEW     = $9B
TOK_TAB     = $9C
TOK_TO      = $9D
TOK_FN      = $9E
TOK_SPC     = $9F
TOK_THEN    = $A0
TOK_NOT     = $A1
TOK_STEP    = $A2
TOK_PLUS    = $A3
TOK_MINUS   = $A4
TOK_MUL     = $A5
TOK_DIV     = $A6
TOK_POW     = $A7
TOK_AND     = $A8
TOK_OR      = $A9
TOK_GREATER = $AA
TOK_EQUAL   = $AB
TOK_LESS    = $AC
TOK_SGN     = $AD
TOK_FRE     = $B1
TOK_PEEK    = $BB
TOK_LEN     = $BC
TOK_STR     = $BD
TOK_CHR     = $C0
TOK_LEFT    = $C1
TOK_MID     = $C3
NUM_STMTS   = TOK_NEW - TOK_END + 1

; ---- error codes: offsets into ERRTAB (NF SN RG OD FC OV OM US BS DD /0 ID TM LS ST CN UF)
ERR_NF      = 0
ERR_SN      = 2
ERR_RG      = 4
ERR_OD      = 6
ERR_FC      = 8
ERR_OV      = 10
ERR_OM      = 12
ERR_US      = 14
ERR_BS      = 16
ERR_DD      = 18
ERR_DIV0    = 20
ERR_ID      = 22
ERR_TM      = 24
ERR_LS      = 26
ERR_ST      = 28
ERR_CN      = 30
ERR_UF      = 32
