DIM A(2),B(3),C$(1):B(3)=9:C$(1)="Q":PRINT B(3);C$(1)
