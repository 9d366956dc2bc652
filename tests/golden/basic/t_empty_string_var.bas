PRINT "[";A$;"]";LEN(A$)
