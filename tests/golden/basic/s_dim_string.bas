DIM N$(2):N$(0)="A":N$(2)="C":PRINT N$(0);N$(1);N$(2)
