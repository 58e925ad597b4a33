"""Vietnamese and English text for every error code of the live sitting.

The text lives on the error classes (``shared.live.errors``); this catalogue keyed by
the stable ``code`` is kept for callers that only hold a code.
"""

from __future__ import annotations

from shared.errors import by_code
from shared.live.errors import CommandRejected, LiveError, ProtocolError


def _catalogue() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for base in (CommandRejected, ProtocolError):
        for cls in base.__subclasses__():
            out[cls.code] = (cls.message_vi, cls.message_en)
    return out


MESSAGES: dict[str, tuple[str, str]] = _catalogue()


def text_for(code: str) -> tuple[str, str]:
    """(Vietnamese, English) for ``code``; an unknown code still yields readable text."""
    known = by_code(code)
    if known is not None:
        return known.message_vi, known.message_en
    return f"Lỗi: {code}", f"Error: {code}"


__all__ = ["MESSAGES", "LiveError", "text_for"]
