"""Tracking codes a citizen can read over the phone and type on a keypad.

Ten characters from 31 (digits and capitals without 0/O, 1/I/L) give 31**10 ≈ 8·10**14
codes: unguessable at the rate the portal lets anyone try (see ``server.security.rate_limit``).
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str:
    """What was typed, as stored: case, spaces and dashes do not matter."""
    return typed.strip().upper().replace("-", "").replace(" ", "")[:32]


def grouped(code: str) -> str:
    """For reading aloud: ABCDE-FGHIJ."""
    return f"{code[:5]}-{code[5:]}"
