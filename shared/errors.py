"""The one shape of every failure a caller may handle, on the server and the tablet alike.

A stable ``code`` that programs switch on, a message in Vietnamese and in English that
people read, and ``extra`` facts (a field name, attempts left …). The server turns these
into RFC 9457 problem+json (``server.errors.DomainError`` adds the HTTP status); the
tablet shows ``message_vi`` or ``message_en`` by the user's language.
"""

from __future__ import annotations

from typing import Any


class BilingualError(Exception):
    """Base: subclasses set ``code`` and default messages as class attributes."""

    code: str = "error"
    message_vi: str = "Đã xảy ra lỗi."
    message_en: str = "Something went wrong."

    def __init__(
        self,
        message_vi: str | None = None,
        message_en: str | None = None,
        **extra: Any,
    ) -> None:
        if message_vi is not None:
            self.message_vi = message_vi
        if message_en is not None:
            self.message_en = message_en
        self.extra = extra
        detail = ", ".join(f"{k}={v!r}" for k, v in extra.items())
        super().__init__(f"{self.message_en} ({detail})" if detail else self.message_en)
