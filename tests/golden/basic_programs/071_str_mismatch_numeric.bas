A="X"
