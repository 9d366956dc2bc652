10 DATA "A,B", C D ,"E"
20 READ X$,Y$,Z$:PRINT X$;"/";Y$;"/";Z$
RUN
