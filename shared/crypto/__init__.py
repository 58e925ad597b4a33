"""Pack crypto (format 1): chunked document encryption, key wrap, signatures, at-rest seal.

See docs/pack-format.md; nothing here does I/O beyond the streams a caller passes in.
"""
