A$="HELLO":PRINT LEFT$(A$,2);"/";RIGHT$(A$,3)
PRINT MID$(A$,2,3);"/";MID$(A$,4)
