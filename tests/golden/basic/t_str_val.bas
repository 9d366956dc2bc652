PRINT STR$(12);"/";STR$(-3.5);"/";VAL("42")+1
PRINT VAL(" -7");VAL("X");VAL("1E3");VAL("+2")
