PRINT "A"<"AA";"B">"AZ";""<"A";"A"="A "
