PRINT "A";"B";1;"C"
