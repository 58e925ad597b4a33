"""Vietnamese text helpers: folding, syllable tokens, similar-petition grouping, search queries.

Pure Python, no database and no model download: the server runs on one modest machine in
the hall, often without internet.
"""
