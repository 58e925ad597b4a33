"""The web pages' strings: Vietnamese first, English second, one catalogue per language."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Literal

from starlette.requests import Request

LANGUAGES = ("vi", "en")
LANG_COOKIE = "hdnd_lang"
_DIR = Path(__file__).parent / "locales"


@cache
def catalogue(lang: str) -> dict[str, str]:
    return json.loads((_DIR / f"{lang}.json").read_text(encoding="utf-8"))


def language_of(request: Request) -> Literal["vi", "en"]:
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "vi"
    return "en" if lang == "en" else "vi"  # LANGUAGES


def translator(lang: str):  # a plain callable for templates
    """``t(key, **values)``: the string in ``lang``, else Vietnamese, else the key itself."""
    own, fallback = catalogue(lang), catalogue("vi")

    def t(key: str, **values: object) -> str:
        text = own.get(key) or fallback.get(key) or key
        return text.format(**values) if values else text

    return t


def message_of(error: object, lang: str) -> str:
    """A DomainError's (or live error's) message in the page's language."""
    vi = getattr(error, "message_vi", "") or str(error)
    en = getattr(error, "message_en", "") or vi
    return en if lang == "en" else vi
