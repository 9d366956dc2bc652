A$="12":B$="34":PRINT VAL(A$+B$)+1
