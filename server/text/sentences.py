"""Joining sentences for official documents with exactly one full stop between them.

Rule texts, names and what people typed may or may not end with a full stop (or a "?",
"!", "…"); gluing them with ". " gave "tán thành.. Mở lúc" in the minutes. Every place
that builds a sentence from parts goes through here.
"""

from __future__ import annotations

ENDINGS = (".", "?", "!", "…", ":")


def sentence(text: str) -> str:
    """``text`` with one closing full stop: "a." and "a" both give "a."; "a.." gives "a."."""
    body = " ".join(text.split())
    if not body:
        return ""
    stripped = body.rstrip(".").rstrip()
    if stripped.endswith(ENDINGS[1:]):
        return stripped
    return f"{stripped}." if stripped else ""


def sentences(*parts: str) -> str:
    """Several sentences in one paragraph, each ended once, empty parts left out."""
    return " ".join(s for s in (sentence(p) for p in parts) if s)
