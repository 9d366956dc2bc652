10 READ A$,B$,C$
20 PRINT A$;"/";B$;"/";C$
30 DATA HELLO,"A, B",  X
RUN
