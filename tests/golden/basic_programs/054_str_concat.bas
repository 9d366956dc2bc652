10 A$="AB": B$="CD"
20 C$=A$+B$+"!"
30 PRINT C$;LEN(C$)
RUN
