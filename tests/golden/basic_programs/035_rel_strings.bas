PRINT "A"<"B";"B"<"A";"ABC"="ABC";"AB"<"ABC"
