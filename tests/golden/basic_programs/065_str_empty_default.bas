10 PRINT "[";Z$;"]";LEN(Z$)
RUN
