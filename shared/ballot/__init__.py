"""Verifiable secret ballot (bỏ phiếu kín có thể kiểm chứng): the protocol core.

No HTTP, no database: the server, the tablet app and the ``hdnd ballot verify`` command
call these modules. The protocol itself is written down in ``docs/ballot.md``.
"""
