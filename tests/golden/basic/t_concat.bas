A$="AB":B$="CD":PRINT A$+B$;LEN(A$+B$)
