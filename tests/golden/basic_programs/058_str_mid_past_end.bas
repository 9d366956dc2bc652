PRINT "[";MID$("HELLO",9);"]";MID$("HI",2,9)
