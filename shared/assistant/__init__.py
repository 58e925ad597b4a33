"""The assistant's retrieval, shared by the server (the whole archive) and the tablet (the
agenda pack's own text, offline): passages, BM25 ranking, extractive answers and summaries.

Nothing here knows about a database, HTTP or Kivy; callers give passages and a rule for
which of them the reader may see.
"""
