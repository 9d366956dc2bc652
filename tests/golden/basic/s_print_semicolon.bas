PRINT 1;2;"A";"B";-1
