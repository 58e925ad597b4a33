"""The app's words, one catalogue per language in ``tablet_app/locales/<lang>.json``.

Vietnamese is the app's first language; a key missing in English falls back to the
Vietnamese text, and a key missing everywhere shows itself (so it is noticed in review).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LOCALES = Path(__file__).resolve().parent.parent / "locales"
LANGUAGES = ("vi", "en")


@cache
def catalogue(language: str) -> dict[str, str]:
    path = LOCALES / f"{language}.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else {}


def translate(key: str, language: str = "vi", **values: object) -> str:
    text = catalogue(language).get(key) or catalogue("vi").get(key) or key
    return text.format(**values) if values else text


def error_text(error: BaseException, language: str = "vi") -> str:
    """The message of a domain error (``message_vi``/``message_en``) in ``language``."""
    attribute = "message_vi" if language == "vi" else "message_en"
    return str(getattr(error, attribute, None) or translate("error.unexpected", language))
