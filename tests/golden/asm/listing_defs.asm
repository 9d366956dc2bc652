; Definitions for the golden listing.
ZP      = $F0
PTR     = $FB
CHROUT  = $BF2D
DEBUG   = 0
