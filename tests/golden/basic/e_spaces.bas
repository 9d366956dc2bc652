P R I N T 1 + 2 0
