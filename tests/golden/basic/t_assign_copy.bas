A$="X":B$=A$:A$="Y":PRINT A$;B$
