A$="ABC":PRINT LEFT$(A$,1);"/";LEFT$(A$,9);"/";RIGHT$(A$,9)
PRINT "/";MID$(A$,4);"/";MID$(A$,3,0);"/"
