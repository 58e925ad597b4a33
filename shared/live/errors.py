"""Failures of the live sitting a caller may handle, each with a stable ``code``."""

from __future__ import annotations

from shared.live.messages import text_for


class LiveError(Exception):
    """Base: a stable ``code`` plus the message in Vietnamese and English."""

    def __init__(self, code: str, message_vi: str | None = None, message_en: str | None = None):
        default_vi, default_en = text_for(code)
        self.code = code
        self.message_vi = message_vi or default_vi
        self.message_en = message_en or default_en
        super().__init__(f"{code}: {self.message_en}")


class CommandRejected(LiveError):
    """``decide`` refused a command; nothing changed and no event was made."""


class ProtocolError(LiveError):
    """A message could not be read (bad JSON, unknown type, too large...).

    ``key`` is the command's idempotency key when it could still be read, so the client
    can match the error to what it sent.
    """

    def __init__(self, code: str, key: str | None = None):
        super().__init__(code)
        self.key = key


class EventOutOfOrder(Exception):
    """An event's ``seq`` is not the next one: the receiver missed events and must resync."""

    def __init__(self, expected: int, got: int):
        self.expected = expected
        self.got = got
        super().__init__(f"expected event seq {expected}, got {got}")
