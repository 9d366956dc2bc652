PRINT "A";SPC(3);"B";SPC(1);"C"
