"""Storing uploaded PDFs: streamed to disk, checked by MuPDF, never named by the user."""
