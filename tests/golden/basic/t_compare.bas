PRINT "A"<"B";"B"<"A";"AB"="AB";"AB"<"ABC";"ABC"<"AB";""<"A"
