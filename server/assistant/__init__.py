"""The assistant: questions over the council's own archive, answered with cited passages.

``corpus`` turns the search index's stored texts into passages and keeps one BM25 index
per process; ``access`` says which passages a reader may see (the same rules as search
and documents); ``llm`` optionally asks a language model server on the LAN to phrase the
answer; ``service`` ties them together for the API route and the console page.
"""
