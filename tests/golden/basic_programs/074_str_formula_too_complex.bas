10 PRINT "A"+("B"+("C"+("D"+("E"+("F"+"G")))))
RUN
