"""Vietnamese text handling that the server and the tablet share (folding, syllables)."""
