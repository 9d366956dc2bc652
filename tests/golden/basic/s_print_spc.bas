PRINT "A";SPC(3);"B";SPC(0);"C"
