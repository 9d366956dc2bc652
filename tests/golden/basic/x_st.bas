PRINT "A"+("B"+("C"+"D"))
PRINT "A"+("B"+("C"+("D"+"E")))
