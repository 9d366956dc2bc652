PRINT "A","BC","D"
