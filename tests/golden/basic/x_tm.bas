A$=1
A="X"
PRINT "A"+1
PRINT -"A"
