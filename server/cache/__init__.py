"""Caches of hot reads that stay correct on every host (docs/operations.md, "Hot reads").

A cached answer is kept together with the *generation* it was read at; the database's
triggers move the generation whenever a row the answer depends on changes, so a host
never serves an answer older than the last committed change, wherever it was written.
"""
