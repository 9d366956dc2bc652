A=5:B$="X"
CLEAR
PRINT A;B$;"!"
