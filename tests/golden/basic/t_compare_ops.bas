A$="CAT":PRINT A$>"BAT";A$<="CAT";A$<>"DOG"
