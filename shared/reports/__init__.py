"""The official layout of Vietnamese administrative documents (Nghị định 30/2020): one
description, rendered as a PDF (PyMuPDF) or a DOCX (python-docx).

In shared/ because the server (minutes, reports, the demo's packs) and the tablet (the demo
without a server) render the same documents to the same bytes.
"""
